"""opEvents' authentication and refusals: the login session cookie, and 401/404 as opEvents.

``POST /omk/opEvents/login`` trades a username and password for a session cookie: a signed,
expiring token (the service's own, so revoking a principal's tokens ends its sessions too),
``HttpOnly``, ``SameSite=Lax``, and ``Secure`` when the request came over HTTPS. Later calls
send the cookie, or HTTP Basic, or a bearer token. opEvents answers "not authenticated" with
401 and "authenticated but not allowed" with 404, so the routes' permission refusals leave as
404, and input errors as 400 ``{"success": 0, "error": ...}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.deferred import deferred
from chalicelib.dialects.common import SESSION_COOKIE, Answer, StatusOverrides, json_answer
from chalicelib.errors import (
    AuthenticationFailed,
    EventServiceError,
    PermissionDenied,
)
from chalicelib.settings import get_settings

# Signing a session loads when someone logs in, not when the app is imported (cold start).
if TYPE_CHECKING:
    from chalicelib.auth import tokens
    from chalicelib.auth.principal import Principal
else:
    tokens = deferred("chalicelib.auth.tokens")

NOT_FOUND = "Not Found"

# opEvents answers "authenticated but not allowed" as it answers "no such thing".
STATUS_OVERRIDES: StatusOverrides = {PermissionDenied: 404}


def render(exc: EventServiceError, status: int) -> Answer:
    """How opEvents answers an error (its routes' ``DialectRoutes`` render through this)."""
    if isinstance(exc, AuthenticationFailed):
        return json_answer(
            {"error": "not authenticated"},
            401,
            {"WWW-Authenticate": 'Basic realm="opEvents"'},
        )
    if isinstance(exc, PermissionDenied):
        return json_answer({"error": NOT_FOUND}, 404)  # says nothing of the permission
    if status == 404:
        return json_answer({"error": exc.message}, 404)
    return json_answer({"success": 0, "error": exc.message}, status)


def render_api_v1(exc: EventServiceError, status: int) -> Answer:
    """Newer opEvents' ``/api/v1`` answers: ``{"error", "errorTitle"}`` for bad input."""
    if status == 400:
        return json_answer({"error": exc.message, "errorTitle": "Invalid Input"}, 400)
    return render(exc, status)


def over_https(request: Any) -> bool:
    """True when the client reached us over HTTPS (API Gateway and proxies say so)."""
    forwarded = request.headers.get("x-forwarded-proto") or ""
    return forwarded.split(",")[0].strip().lower() == "https"


def session_cookie(principal: Principal, *, secure: bool) -> str:
    """The ``Set-Cookie`` value of a new session for ``principal``."""
    ttl = get_settings().token_ttl_seconds
    parts = [
        f"{SESSION_COOKIE}={tokens.issue_token(principal, ttl)}",
        "Path=/",
        f"Max-Age={ttl}",
        "HttpOnly",
        "SameSite=Lax",
    ]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)
