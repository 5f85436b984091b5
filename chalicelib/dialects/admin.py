"""The platform's own API: health, users (principals), tokens and passwords.

Errors: ``{"error": <kind>, "message": <text>, "request_id": <id>}``, with the domain error's
own status; a method a route does not take is a 405 and an unknown ``/admin/…`` path a 404,
both in that shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from chalicelib import observability
from chalicelib.auth.principal import Principal
from chalicelib.deferred import deferred
from chalicelib.dialects.common import (
    DialectRoutes,
    current_caller,
    json_response,
    parse_json_body,
)
from chalicelib.engine import operations
from chalicelib.errors import (
    AuthenticationFailed,
    EventServiceError,
    NotFound,
    ValidationFailed,
)
from chalicelib.openapi import declare

# Loaded when a user or token route runs, not when the app is imported (cold start).
if TYPE_CHECKING:
    from chalicelib.auth import principals, tokens
else:
    principals = deferred("chalicelib.auth.principals")
    tokens = deferred("chalicelib.auth.tokens")

bp = Blueprint(__name__)
USER_CREATE = "admin.user.create"
USER_UPDATE = "admin.user.update"
USER_DELETE = "admin.user.delete"
USER_REVOKE = "admin.user.revoke"
PASSWORD_CHANGE = "auth.password.change"
operations.declare(USER_CREATE, USER_UPDATE, USER_DELETE, USER_REVOKE, PASSWORD_CHANGE)

ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Stands in for a password in an operation's parameters: pre handlers and events never see it.
PASSWORD_MASK = "********"


class MethodNotAllowed(EventServiceError):
    """The route exists but does not take this method."""

    default_message = "method not allowed"
    status_code = 405

    def __init__(self, method: str, allowed: tuple[str, ...]) -> None:
        self.allowed = allowed
        super().__init__(f"{method} is not allowed here; allowed: {', '.join(allowed)}")


def _render(exc: EventServiceError, status: int) -> Response:
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="event-service"'
    if isinstance(exc, MethodNotAllowed):
        headers["Allow"] = ", ".join(exc.allowed)
    return json_response(
        {
            "error": type(exc).__name__,
            "message": exc.message,
            "request_id": observability.current_request_id(),
        },
        status,
        headers,
    )


route = DialectRoutes(bp, "admin", render=_render)  # statuses: each error's own


def _refuse_other_methods(path: str, allowed: tuple[str, ...]) -> None:
    """Answer the methods ``path`` does not take with a 405 in this API's error shape."""
    others = [method for method in ALL_METHODS if method not in allowed]

    def not_allowed(**_: Any) -> Response:
        raise MethodNotAllowed(bp.current_request.method, allowed)

    # Named before it is registered: the route's view (and its operation ids) take this name.
    name = path.strip("/").replace("/", "_").replace("{", "").replace("}", "")
    not_allowed.__name__ = "not_allowed_" + name
    route(
        path,
        f"{path} takes only {', '.join(allowed)}",
        methods=others,
        access=declare.PUBLIC,
        content_types=["*/*"],
        responses={405: "Method not allowed; Allow names the methods"},
    )(not_allowed)


@route(
    "/health",
    "Health: are the tables reachable",
    access=declare.PUBLIC,
    responses={200: ("Reachable", "Health"), 503: ("Unreachable", "Health")},
)
def health() -> Response:
    from chalicelib.store.tables import tables_reachable  # every model: only /health needs it

    reachable = tables_reachable()
    return json_response(
        {"status": "ok" if reachable else "unavailable", "tables": reachable},
        200 if reachable else 503,
    )


# ---------------------------------------------------------------- users


@route(
    "/admin/users",
    "Create a user",
    methods=["POST"],
    access=declare.ADMIN,
    content_types=["application/json"],
    body="NewUser",
    responses={201: ("Created", "User"), 409: "Exists"},
    sample_body={"username": "matrix-new", "password": "matrix-password-1", "roles": ["user"]},
)
def create_user() -> Response:
    caller = current_caller()
    body = parse_json_body(bp.current_request)
    principal, password = principals.validate_new_principal(body)

    def create(params: dict[str, Any]) -> Principal:
        # Checked again on what the pre handlers left; the password never passed through them.
        checked, _ = principals.validate_new_principal({**params, "password": password})
        return principals.create_principal(checked, password)

    created = operations.perform(
        USER_CREATE,
        caller,
        principal.public(),
        create,
        describe=lambda created: {"username": created.username},
    )
    return json_response(created.public(), 201)


@route(
    "/admin/users",
    "List users",
    access=declare.ADMIN,
    responses={200: ("Users", "UserList")},
)
def list_users() -> Response:
    return json_response([p.public() for p in principals.list_principals()])


@route(
    "/admin/users/{username}",
    "One user",
    access=declare.ADMIN,
    responses={200: ("The user", "User"), 404: "No such user"},
    sample_path={"username": "alice"},
)
def get_user(username: str) -> Response:
    return json_response(principals.get_principal(username).public())


@route(
    "/admin/users/{username}",
    "Change a user (a new password revokes their tokens)",
    methods=["PATCH"],
    access=declare.ADMIN,
    content_types=["application/json"],
    body="UserChanges",
    responses={200: ("The user", "User"), 404: "No such user"},
    sample_path={"username": "alice"},
    sample_body={"project_id": "p2"},
)
def update_user(username: str) -> Response:
    """Change roles, permissions, workspaces, project, user id or password (which revokes the
    tokens)."""
    caller = current_caller()
    changes = principals.validate_changes(parse_json_body(bp.current_request))
    password = changes.get("password")
    params: dict[str, Any] = {**changes, "username": username}
    if password is not None:
        params["password"] = PASSWORD_MASK

    def update(params: dict[str, Any]) -> Principal:
        target = params.get("username")
        requested = {key: value for key, value in params.items() if key != "username"}
        if requested.get("password") == PASSWORD_MASK and password is not None:
            requested["password"] = password
        for name in ("roles", "permissions", "workspaces"):
            if isinstance(requested.get(name), tuple):  # as validated; anything else is checked
                requested[name] = list(requested[name])
        checked = principals.validate_changes(requested)
        demoted = "roles" in checked and not Principal("", roles=checked["roles"]).is_admin
        if target == caller.username and demoted:
            raise ValidationFailed("an admin cannot remove their own admin role", field="roles")
        return principals.update_principal(str(target), checked)

    updated = operations.perform(
        USER_UPDATE,
        caller,
        params,
        update,
        describe=lambda updated: {"username": updated.username},
    )
    return json_response(updated.public())


@route(
    "/admin/users/{username}",
    "Delete a user",
    methods=["DELETE"],
    access=declare.ADMIN,
    responses={204: "Deleted", 404: "No such user"},
    sample_path={"username": "matrix-target"},
)
def delete_user(username: str) -> Response:
    caller = current_caller()

    def delete(params: dict[str, Any]) -> None:
        target = params.get("username")
        if target == caller.username:  # on the parameters the pre handlers left
            raise ValidationFailed("an admin cannot delete their own user", field="username")
        principals.delete_principal(str(target))

    operations.perform(USER_DELETE, caller, {"username": username}, delete)
    return Response(body="", status_code=204)


@route(
    "/admin/users/{username}/revoke",
    "Revoke every token issued so far for a user",
    methods=["POST"],
    access=declare.ADMIN,
    responses={200: ("Revoked", "Revoked"), 404: "No such user"},
    sample_path={"username": "alice"},
)
def revoke_user_tokens(username: str) -> Response:
    """Refuse every token issued so far for ``username`` (Basic logins keep working)."""
    caller = current_caller()
    revoked = operations.perform(
        USER_REVOKE,
        caller,
        {"username": username},
        lambda params: principals.revoke_tokens(str(params.get("username"))),
        describe=lambda revoked: {"username": revoked.username},
    )
    return json_response({"username": revoked.username, "revoked": True})


# ---------------------------------------------------------------- tokens and passwords


@route(
    "/auth/token",
    "A fresh signed token for the caller",
    methods=["POST"],
    access=declare.AUTHENTICATED,
    responses={200: ("Token", "Token")},
)
def token() -> Response:
    """Trade credentials (Basic, or a valid token) for a fresh signed token.

    A token keeps the session of the login it came from: refreshing never carries it past
    the maximum session length.
    """
    caller = current_caller()
    return json_response(
        {
            "token": tokens.issue_token(caller),
            "username": caller.username,
            "roles": list(caller.roles),
        }
    )


@route(
    "/auth/password",
    "Change one's own password (earlier tokens are revoked)",
    methods=["POST"],
    access=declare.AUTHENTICATED,
    content_types=["application/json"],
    body="PasswordChange",
    responses={200: ("A fresh token", "FreshToken")},
    # Too short a new password: refused (400) for every caller, so the matrix writes nothing.
    sample_body={"current_password": "matrix", "new_password": "short"},
)
def change_password() -> Response:
    """Self-service: ``{"current_password", "new_password"}``; every earlier token is revoked."""
    caller = current_caller()
    body = parse_json_body(bp.current_request)
    if not isinstance(body, dict) or set(body) - {"current_password", "new_password"}:
        raise ValidationFailed(
            'the body must be {"current_password": ..., "new_password": ...}', field="body"
        )
    current, new = body.get("current_password"), body.get("new_password")
    if not isinstance(current, str) or not current:
        raise ValidationFailed("current_password is required", field="current_password")
    changes = principals.validate_changes({"password": new})
    if principals.verify_credentials(caller.username, current) is None:
        raise AuthenticationFailed("the current password is wrong")

    def change(params: dict[str, Any]) -> Principal:
        # Whoever acts changes their own password: no parameter can name another user.
        return principals.update_principal(caller.username, changes)

    changed = operations.perform(
        PASSWORD_CHANGE,
        caller,
        {"username": caller.username},
        change,
        describe=lambda changed: {"username": changed.username},
    )
    fresh = tokens.issue_token(changed)  # a new session: the earlier tokens are revoked
    return json_response({"token": fresh, "username": changed.username})


@route(
    "/admin/{anything}",
    "Any other /admin path: 404 in this API's error shape",
    methods=list(ALL_METHODS),
    access=declare.PUBLIC,
    content_types=["*/*"],
    responses={404: "No such route"},
)
def unknown_admin_route(anything: str) -> Response:
    raise NotFound(f"no such route: {bp.current_request.context.get('path') or anything}")


_refuse_other_methods("/health", ("GET",))
_refuse_other_methods("/admin/users", ("GET", "POST"))
_refuse_other_methods("/admin/users/{username}", ("GET", "PATCH", "DELETE"))
_refuse_other_methods("/admin/users/{username}/revoke", ("POST",))
_refuse_other_methods("/auth/token", ("POST",))
_refuse_other_methods("/auth/password", ("POST",))
