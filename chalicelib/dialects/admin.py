"""The platform's own API: health, users (principals) and tokens.

Errors: ``{"error": <kind>, "message": <text>, "request_id": <id>}``.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import observability
from chalicelib.auth import principals
from chalicelib.auth.tokens import issue_token
from chalicelib.core.errors import (
    AuthenticationFailed,
    Conflict,
    EventServiceError,
    NotFound,
    OperationRefused,
    PermissionDenied,
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
from chalicelib.openapi import declare
from chalicelib.store.tables import tables_reachable

bp = Blueprint(__name__)
operations.declare("admin.user.create", "admin.user.delete")

_STATUS = (
    (ValidationFailed, 400),
    (AuthenticationFailed, 401),
    (PermissionDenied, 403),
    (OperationRefused, 403),  # a pre event handler refused the operation
    (NotFound, 404),
    (Conflict, 409),
)


def _status_of(exc: EventServiceError) -> int:
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    return 503 if type(exc).__name__ == "StoreUnavailable" else 500


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


admin_errors = error_boundary(_render, _status_of)


@bp.route("/health", methods=["GET"])
@declare.route(
    "admin",
    "Health: are the tables reachable",
    access=declare.PUBLIC,
    responses={200: ("Reachable", "Health"), 503: ("Unreachable", "Health")},
)
@admin_errors
def health() -> Response:
    reachable = tables_reachable()
    return json_response(
        {"status": "ok" if reachable else "unavailable", "tables": reachable},
        200 if reachable else 503,
    )


@bp.route("/admin/users", methods=["POST"], content_types=["application/json"])
@declare.route(
    "admin",
    "Create a user",
    access=declare.ADMIN,
    body="NewUser",
    responses={201: ("Created", "User"), 409: "Exists"},
    sample_body={"username": "matrix-new", "password": "matrix-password-1", "roles": ["user"]},
)
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
@declare.route("admin", "List users", access=declare.ADMIN, responses={200: ("Users", "UserList")})
@admin_errors
def list_users() -> Response:
    require_admin(current_principal(bp.current_request))
    return json_response([p.public() for p in principals.list_principals()])


@bp.route("/admin/users/{username}", methods=["DELETE"])
@declare.route(
    "admin",
    "Delete a user",
    access=declare.ADMIN,
    responses={204: "Deleted", 404: "No such user"},
    sample_path={"username": "matrix-target"},
)
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
@declare.route("admin", "A fresh signed token for the caller", responses={200: ("Token", "Token")})
@admin_errors
def token() -> Response:
    """Trade credentials (Basic, or a still-valid token) for a fresh signed token."""
    caller = current_principal(bp.current_request)
    return json_response(
        {"token": issue_token(caller), "username": caller.username, "roles": list(caller.roles)}
    )
