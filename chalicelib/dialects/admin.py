"""The platform's own API: health, users (principals) and tokens.

Errors: ``{"error": <kind>, "message": <text>, "request_id": <id>}``.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import observability
from chalicelib.auth import principals
from chalicelib.auth.tokens import issue_token
from chalicelib.core.errors import (
    EventServiceError,
    ValidationFailed,
)
from chalicelib.dialects.common import (
    current_principal,
    error_boundary,
    json_body,
    json_response,
    require_admin,
)
from chalicelib.engine import operations
from chalicelib.store.tables import tables_reachable

bp = Blueprint(__name__)
operations.declare("admin.user.create", "admin.user.delete")


def _render(exc: EventServiceError, status: int) -> Response:
    headers = {"WWW-Authenticate": 'Basic realm="event-service"'} if status == 401 else None
    return json_response(
        {
            "error": type(exc).__name__,
            "message": exc.message,
            "request_id": observability.current_request_id(),
        },
        status,
        headers,
    )


admin_errors = error_boundary(_render)  # statuses: each error's own


@bp.route("/health", methods=["GET"])
@admin_errors
def health() -> Response:
    reachable = tables_reachable()
    return json_response(
        {"status": "ok" if reachable else "unavailable", "tables": reachable},
        200 if reachable else 503,
    )


@bp.route("/admin/users", methods=["POST"], content_types=["application/json"])
@admin_errors
def create_user() -> Response:
    request = bp.current_request
    caller = current_principal(request)
    require_admin(caller)
    principal, password = principals.validate_new_principal(json_body(request))
    created = operations.perform(
        "admin.user.create",
        caller,
        principal.public(),
        lambda params: principals.create_principal(principal, password),
        describe=lambda created: {"username": created.username},
    )
    return json_response(created.public(), 201)


@bp.route("/admin/users", methods=["GET"])
@admin_errors
def list_users() -> Response:
    require_admin(current_principal(bp.current_request))
    return json_response([p.public() for p in principals.list_principals()])


@bp.route("/admin/users/{username}", methods=["DELETE"])
@admin_errors
def delete_user(username: str) -> Response:
    caller = current_principal(bp.current_request)
    require_admin(caller)
    if username == caller.username:
        raise ValidationFailed("an admin cannot delete their own user", field="username")
    operations.perform(
        "admin.user.delete",
        caller,
        {"username": username},
        lambda params: principals.delete_principal(params["username"]),
    )
    return Response(body="", status_code=204)


@bp.route("/auth/token", methods=["POST"])
@admin_errors
def token() -> Response:
    """Trade credentials (Basic, or a still-valid token) for a fresh signed token."""
    caller = current_principal(bp.current_request)
    return json_response(
        {"token": issue_token(caller), "username": caller.username, "roles": list(caller.roles)}
    )
