"""What every dialect's routes share: bounded body parsing, authentication, permission checks,
one error boundary, the session cookie (opEvents' login, which the console uses), and the
execution depth a request carries over HTTP.

Each domain error knows its HTTP status (``errors.py``); a dialect supplies only how an
error looks on its wire (``render``). A dialect's wire format renders plain ``Answer`` values;
this module and the dialects' ``routes.py`` are where they become Chalice ``Response``s.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from chalice import Response

from chalicelib import observability
from chalicelib.auth import client_address
from chalicelib.auth.identity import TOKEN_HEADERS, authenticate
from chalicelib.auth.principal import Principal
from chalicelib.core.depth import depth_from_headers, running_at_depth
from chalicelib.errors import (
    AdminRequired,
    AuthenticationFailed,
    EventServiceError,
    PathNotServed,
    PermissionDenied,
    ValidationFailed,
)
from chalicelib.openapi import declare
from chalicelib.settings import get_settings

INTERNAL_ERROR = "internal error"

__all__ = [
    "Answer",
    "DialectRoutes",
    "StatusOverrides",
    "authenticated_principal",
    "bounded_body",
    "current_caller",
    "decode_json",
    "error_boundary",
    "json_answer",
    "json_response",
    "parse_json_body",
    "request_depth_middleware",
    "require_admin",
    "require_permission",
    "to_response",
]


# {ErrorClass: status}: where a dialect's original answers unlike the error's own status.
StatusOverrides = Mapping[type[EventServiceError], int]


def status_of_error(exc: EventServiceError, overrides: StatusOverrides | None = None) -> int:
    """The HTTP status ``exc`` means in a dialect: its override, else its own ``status_code``."""
    if overrides:
        for kind in type(exc).__mro__:
            if kind in overrides:
                return overrides[kind]
    return int(exc.status_code)


def error_boundary(
    render: Callable[[EventServiceError, int], Answer | Response],
    overrides: StatusOverrides | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate routes so every failure leaves through ``render`` in the dialect's own format.

    The status is the error's own (``status_code``) unless the dialect overrides its class.
    Errors worth retrying (429, 503) carry ``Retry-After``. Anything unexpected is logged with
    its traceback and rendered as a 500 carrying the request id, never a traceback.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except EventServiceError as exc:
                status = status_of_error(exc, overrides)
                if status >= 500:
                    observability.logger.error(
                        "request failed",
                        extra={"request_id": observability.current_request_id()},
                        exc_info=exc.cause or exc,
                    )
                response = to_response(render(exc, status))
                if exc.retry_after_seconds is not None and status in (429, 503):
                    response.headers["Retry-After"] = str(exc.retry_after_seconds)
                return response
            except Exception as exc:
                observability.logger.exception(
                    "unhandled error", extra={"request_id": observability.current_request_id()}
                )
                error = EventServiceError(
                    f"{INTERNAL_ERROR} (request id {observability.current_request_id()})",
                    cause=exc,
                )
                return to_response(render(error, 500))

        return wrapper

    return decorate


# ---------------------------------------------------------------- the caller guard

_CALLER: ContextVar[Principal | None] = ContextVar("event_service_caller", default=None)


def current_caller() -> Principal:
    """The principal the route's guard admitted (``AuthenticationFailed`` on a public route)."""
    principal = _CALLER.get()
    if principal is None:
        raise AuthenticationFailed(reason="missing")
    return principal


def _admin_refusal(principal: Principal) -> EventServiceError:
    return AdminRequired(f"{principal.username} is not an admin")


def _permission_refusal(principal: Principal, permission: str) -> EventServiceError:
    return PermissionDenied(
        f"{principal.username} lacks the permission {permission}", permission=permission
    )


class DialectRoutes:
    """One dialect's route decorator: the Chalice route, its declaration, the error boundary
    and the caller guard, stacked once::

        route = DialectRoutes(bp, "maddash", render=_render)

        @route("/maddash/admin/events", "Create a window", methods=["POST"],
               access=declare.ADMIN, responses={...})
        def create_event() -> Response:
            caller = current_caller()
            ...

    ``access`` (``declare.PUBLIC``, ``AUTHENTICATED``, ``ADMIN`` or ``permission(name)``) is
    both what the OpenAPI document says and what the guard enforces before the body runs:
    one declaration, no way for the two to drift. ``authenticate`` is the dialect's own login
    check; ``admin_refusal`` and ``permission_refusal`` build the error a refused caller gets
    (the boundary then renders it in the dialect's shape). A route's ``before`` answers ahead
    of the guard where the original does (a redirect, a page that holds no data): it takes
    the route's path values and returns a response, or None to go on. ``tenant`` checks the
    admitted caller against the route's path values (ProcessMaker's workspaces) and raises
    when the caller does not belong there.
    """

    def __init__(
        self,
        bp: Any,
        dialect: str,
        *,
        render: Callable[[EventServiceError, int], Answer | Response],
        overrides: StatusOverrides | None = None,
        authenticate: Callable[[Any], Principal] | None = None,
        admin_refusal: Callable[[Principal], EventServiceError] = _admin_refusal,
        permission_refusal: Callable[[Principal, str], EventServiceError] = _permission_refusal,
        prefix: str = "",
        content_types: Iterable[str] | None = None,
        tenant: Callable[[Principal, Mapping[str, Any]], None] | None = None,
    ) -> None:
        self.bp = bp
        self.prefix = prefix  # every path of the dialect starts with it
        self.content_types = None if content_types is None else list(content_types)
        self.dialect = dialect
        self.overrides = overrides
        self.errors = error_boundary(render, overrides)
        self.authenticate = authenticate or authenticated_principal
        self.admin_refusal = admin_refusal
        self.permission_refusal = permission_refusal
        self.tenant = tenant

    def admit(self, access: str) -> Principal | None:
        """The caller ``access`` admits (None for a public route); refusals raise."""
        if access == declare.PUBLIC:
            return None
        principal = self.authenticate(self.bp.current_request)
        if access == declare.ADMIN:
            if not principal.is_admin:
                raise self.admin_refusal(principal)
        elif access.startswith(declare.PERMISSION_PREFIX):
            permission = access.removeprefix(declare.PERMISSION_PREFIX)
            if not principal.can(permission):
                raise self.permission_refusal(principal, permission)
        return principal

    def with_render(
        self, render: Callable[[EventServiceError, int], Answer | Response]
    ) -> DialectRoutes:
        """The same dialect's routes with another error body (e.g. a versioned sub-API)."""
        twin = copy.copy(self)
        twin.errors = error_boundary(render, self.overrides)
        return twin

    def guard(
        self,
        view: Callable[..., Any],
        access: str,
        before: Callable[..., Answer | Response | None] | None = None,
    ) -> Callable[..., Any]:
        """``view`` behind the error boundary and the guard for ``access``."""

        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if before is not None:
                early = before(**kwargs)
                if early is not None:
                    return to_response(early)
            principal = self.admit(access)
            if principal is not None and self.tenant is not None:
                self.tenant(principal, kwargs)
            token = _CALLER.set(principal)
            try:
                answer = view(*args, **kwargs)
            finally:
                _CALLER.reset(token)
            return to_response(answer) if isinstance(answer, Answer) else answer

        return self.errors(guarded)

    def __call__(
        self,
        path: str,
        summary: str,
        *,
        methods: Iterable[str] = ("GET",),
        access: str = declare.AUTHENTICATED,
        content_types: Iterable[str] | None = None,
        before: Callable[..., Answer | Response | None] | None = None,
        **declaration: Any,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(view: Callable[..., Any]) -> Callable[..., Any]:
            handler = declare.route(self.dialect, summary, access=access, **declaration)(
                self.guard(view, access, before)
            )
            options: dict[str, Any] = {"methods": list(methods)}
            accepted = self.content_types if content_types is None else list(content_types)
            if accepted is not None:
                options["content_types"] = accepted
            self.bp.route(self.prefix + path, **options)(handler)
            return handler

        return register

    def not_served(self, *paths: str, text: str = "Not Found") -> None:
        """Answer the dialect's own 404 (``PathNotServed(text)`` in its shape) on ``paths``,
        where API Gateway would answer 403 "Missing Authentication Token". A ``{proxy+}``
        path matches one or more segments; a literal or ``{var}`` route beats it, in AWS and
        locally (``local.routing`` gives ``chalice local`` and the test client API Gateway's
        rules); one variable child per resource is all API Gateway allows."""
        for number, path in enumerate(paths):

            def unserved(**_: str) -> Any:
                raise PathNotServed(text)

            unserved.__name__ = f"not_served_{number}"
            self(
                path,
                "A path this dialect does not serve: 404",
                methods=NOT_SERVED_METHODS,
                content_types=NOT_SERVED_TYPES,
                access=declare.PUBLIC,
                responses={404: text},
                listed=False,
            )(unserved)


# What a client may send to a path no route serves: any method, any body type.
NOT_SERVED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
NOT_SERVED_TYPES = ("*/*",)


def _raw_body(event: Any) -> bytes:
    try:
        body = getattr(event, "raw_body", b"")
    except Exception:  # a body Chalice cannot decode proves nothing
        return b""
    return body if isinstance(body, bytes) else b""


def request_depth_middleware(event: Any, get_response: Any) -> Any:
    """HTTP middleware: the request's client address (for the lock-out) and the depth of the
    events it records (``X-Event-Service-Depth``, see ``depth_from_headers``).

    A WebHook or Federation action sends its depth, signed; a handler posting to this very
    service (or to a peer sharing the federation secret) therefore records a deeper event, and
    dispatch stops at ``max_event_depth``. A depth without a valid signature counts as 0.
    """
    address = client_address.from_context(getattr(event, "context", None))
    depth = depth_from_headers(getattr(event, "headers", None) or {}, _raw_body(event))
    with client_address.at_address(address), running_at_depth(depth):
        return get_response(event)


def bounded_body(request: Any) -> bytes:
    """The raw body; ``ValidationFailed`` past ``max_body_bytes``."""
    body = request.raw_body or b""
    if len(body) > get_settings().max_body_bytes:
        raise ValidationFailed(
            f"the body is larger than {get_settings().max_body_bytes} bytes", field="body"
        )
    return body


def decode_json(body: bytes | str, message: str | None = None) -> Any:
    """``json.loads`` whose every failure is a ``ValidationFailed``.

    Covers what ``json.loads`` raises beyond ``JSONDecodeError``: undecodable bytes, integers
    past Python's digit limit, and nesting deep enough to exhaust the recursion limit.
    """
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        detail = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        text = message or f"malformed JSON: {detail}"
        raise ValidationFailed(text, field="body", cause=exc) from exc


def parse_json_body(request: Any, *, required: bool = True) -> Any:
    """The request's JSON body; ``ValidationFailed`` when missing, oversized or malformed."""
    body = bounded_body(request)
    if not body.strip():
        if required:
            raise ValidationFailed("a JSON body is required", field="body")
        return None
    return decode_json(body)


SESSION_COOKIE = "omk"  # opEvents' login cookie: a signed token (``opevents_auth``)
# A cross-site form or image cannot send a custom header, so a write that authenticates with
# the cookie alone must carry this one (the console's fetch does) or this site's ``Origin``;
# reads need neither.
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


def _origin_is_own(headers: Mapping[str, str]) -> bool:
    """True when the ``Origin`` header names the host the request was sent to."""
    from urllib.parse import urlsplit

    origin, host = headers.get("origin"), headers.get("host")
    if not origin or not host or origin.strip().lower() == "null":
        return False
    try:
        parts = urlsplit(origin.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.strip().lower()


def _declares_json(content_type: str | None) -> bool:
    mimetype = (content_type or "").split(";", 1)[0].strip().lower()
    return mimetype == "application/json" or mimetype.endswith("+json")


def require_same_origin(request: Any) -> None:
    """A write authenticated by the session cookie alone must prove it comes from this site.

    ``X-Requested-With`` (which no cross-site form can send) or an ``Origin`` naming this host;
    and a body only as JSON declared as JSON, so no ``text/plain`` form post passes for one.
    """
    if request.method.upper() in SAFE_METHODS:
        return
    headers = request.headers
    if not headers.get(CSRF_HEADER) and not _origin_is_own(headers):
        raise AuthenticationFailed(
            "a write with the session cookie needs the X-Requested-With header or this "
            "site's Origin",
            reason="missing",
        )
    if (request.raw_body or b"").strip() and not _declares_json(headers.get("content-type")):
        raise AuthenticationFailed(
            "a write with the session cookie sends its body as application/json",
            reason="missing",
        )


def authenticated_principal(request: Any) -> Principal:
    """Authenticate the request (``AuthenticationFailed`` when it cannot be).

    Credentials in headers come first; else the session cookie, and for a write only with a
    same-origin proof (``require_same_origin``).
    """
    token = None if _sends_credentials(request) else session_token(request)
    if token is None:
        principal = authenticate(request.headers)
    else:
        require_same_origin(request)
        from chalicelib.auth.tokens import principal_from_token

        principal = principal_from_token(token)
    observability.note_principal(principal.username)
    return principal


# opEvents' routes take the cookie of its login, for writes too, with the same proof.
cookie_principal = authenticated_principal


def require_permission(principal: Principal, permission: str) -> None:
    """``PermissionDenied`` unless ``principal`` holds ``permission``."""
    if not principal.can(permission):
        raise _permission_refusal(principal, permission)


def require_admin(principal: Principal) -> None:
    """``AdminRequired`` unless ``principal`` is an admin."""
    if not principal.is_admin:
        raise _admin_refusal(principal)


# ---------------------------------------------------------------- answers


@dataclass
class Answer:
    """An HTTP answer in plain values, as a dialect's wire format renders it.

    Wire modules build these and never import Chalice; the routes boundary (``DialectRoutes``,
    the error boundary, or ``to_response`` in a ``routes.py``) turns them into ``Response``s.
    """

    body: str
    status_code: int = 200
    headers: dict[str, str] = field(default_factory=dict)


def to_response(answer: Answer | Response) -> Response:
    """The Chalice ``Response`` of ``answer`` (a ``Response`` passes through unchanged)."""
    if isinstance(answer, Answer):
        headers: dict[str, str | list[str]] = dict(answer.headers)
        return Response(body=answer.body, status_code=answer.status_code, headers=headers)
    return answer


def json_answer(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    """A compact JSON ``Answer``."""
    return Answer(
        body=json.dumps(body, separators=(",", ":")),
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A compact JSON ``Response``."""
    return to_response(json_answer(body, status, headers))
