"""What every dialect's routes share: body parsing, authentication (headers or the session
cookie), and one error boundary."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from chalice import Response

from chalicelib import observability
from chalicelib.auth.identity import TOKEN_HEADERS, authenticate
from chalicelib.auth.principal import Principal
from chalicelib.core.errors import (
    AuthenticationFailed,
    EventServiceError,
    PermissionDenied,
    TooManyAttempts,
    ValidationFailed,
)
from chalicelib.settings import get_settings

INTERNAL_ERROR = "internal error"


def error_boundary(render: Callable[[EventServiceError, int], Response], status_of) -> Callable:
    """Decorate routes so every failure leaves through ``render`` in the dialect's own format.

    ``status_of(exc)`` picks the HTTP status of a domain error. Anything unexpected is logged
    with its traceback and rendered as a 500 carrying the request id, never a traceback.
    """

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except EventServiceError as exc:
                status = status_of(exc)
                if status >= 500:
                    observability.logger.error(
                        "request failed",
                        extra={"request_id": observability.current_request_id()},
                        exc_info=exc.cause or exc,
                    )
                response = render(exc, status)
                if isinstance(exc, TooManyAttempts):
                    response.headers["Retry-After"] = str(exc.retry_after)
                return response
            except Exception as exc:
                observability.logger.exception(
                    "unhandled error", extra={"request_id": observability.current_request_id()}
                )
                error = EventServiceError(
                    f"{INTERNAL_ERROR} (request id {observability.current_request_id()})",
                    cause=exc,
                )
                return render(error, 500)

        return wrapper

    return decorate


def raw_body(request: Any) -> bytes:
    body = request.raw_body or b""
    if len(body) > get_settings().max_body_bytes:
        raise ValidationFailed(
            f"the body is larger than {get_settings().max_body_bytes} bytes", field="body"
        )
    return body


def json_body(request: Any, *, required: bool = True) -> Any:
    """The request's JSON body; ``ValidationFailed`` when missing, oversized or malformed."""
    body = raw_body(request)
    if not body.strip():
        if required:
            raise ValidationFailed("a JSON body is required", field="body")
        return None
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(f"malformed JSON: {exc}", field="body", cause=exc) from exc


SESSION_COOKIE = "omk"  # opEvents' login cookie: a signed token (``opevents_auth``)
# A cross-site form or image cannot send a custom header, so a write that authenticates with
# the cookie alone must carry this one (the console's fetch does); reads need not.
CSRF_HEADER = "x-requested-with"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_token(request: Any) -> str | None:
    """The session cookie's token, if the request carries one."""
    from http.cookies import CookieError, SimpleCookie

    raw = request.headers.get("cookie")
    if not raw:
        return None
    try:
        cookies = SimpleCookie(raw)
    except CookieError:
        return None
    morsel = cookies.get(SESSION_COOKIE)
    return morsel.value if morsel is not None and morsel.value else None


def _sends_credentials(request: Any) -> bool:
    return any(request.headers.get(name) for name in TOKEN_HEADERS)


def current_principal(request: Any) -> Principal:
    """Authenticate the request (``AuthenticationFailed`` when it cannot be).

    Credentials in headers come first; else the session cookie, and for a write only with
    the ``X-Requested-With`` header (a same-origin script's, never a cross-site form's).
    """
    token = None if _sends_credentials(request) else session_token(request)
    if token is None:
        principal = authenticate(request.headers)
    else:
        if request.method.upper() not in SAFE_METHODS and not request.headers.get(CSRF_HEADER):
            raise AuthenticationFailed(
                "a write with the session cookie needs the X-Requested-With header",
                reason="missing",
            )
        from chalicelib.auth.tokens import principal_from_token

        principal = principal_from_token(token)
    observability.note_principal(principal.username)
    return principal


def cookie_principal(request: Any) -> Principal:
    """opEvents' own routes: the cookie is their login's, accepted for writes as opEvents does."""
    token = None if _sends_credentials(request) else session_token(request)
    if token is None:
        return current_principal(request)
    from chalicelib.auth.tokens import principal_from_token

    principal = principal_from_token(token)
    observability.note_principal(principal.username)
    return principal


def require(principal: Principal, permission: str) -> None:
    if not principal.can(permission):
        raise PermissionDenied(
            f"{principal.username} lacks the permission {permission}", permission=permission
        )


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise PermissionDenied(f"{principal.username} is not an admin", permission="admin")


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(body, separators=(",", ":")),
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
