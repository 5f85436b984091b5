"""privacyIDEA 3.14's event handler API (``/event``) and its login (``POST /auth``).

Reading ``/event`` needs the ``eventhandling_read`` permission (admins hold every permission);
writing handler configurations is admin-only, because a handler sees every tenant's events
(privacyIDEA's ``eventhandling`` rights are admin-scope policies). Secret options are
write-only: every read shows ``secret_options.SECRET_MASK``. Credentials: the bare JWT from
``POST /auth`` in ``PI-Authorization`` or ``Authorization`` (or ``Bearer``), or HTTP Basic.
Beyond privacyIDEA: the execution history (``/event/executions``,
``/event/{id}/executions``) and the Counter module's counters (``/event/counters``).
The wire format lives in ``wire``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from chalicelib.auth.identity import TOKEN_HEADERS
from chalicelib.auth.permissions import EVENTHANDLING_READ, known_permissions
from chalicelib.auth.principal import Principal
from chalicelib.deferred import deferred
from chalicelib.dialects.common import (
    DialectRoutes,
    authenticated_principal,
    current_caller,
    to_response,
)
from chalicelib.dialects.privacyidea import wire
from chalicelib.engine import operations
from chalicelib.errors import (
    AdminRequired,
    AuthenticationFailed,
    EventServiceError,
    ValidationFailed,
)
from chalicelib.openapi import declare

# Loaded when a privacyIDEA route runs, not when the app is imported (cold start).
if TYPE_CHECKING:
    from chalicelib.core import handler_rules, handlers, secret_options
else:
    handler_rules = deferred("chalicelib.core.handler_rules")
    handlers = deferred("chalicelib.core.handlers")
    secret_options = deferred("chalicelib.core.secret_options")

bp = Blueprint(__name__)

CREATE = "event.handler.create"
UPDATE = "event.handler.update"
ENABLE = "event.handler.enable"
DISABLE = "event.handler.disable"
DELETE = "event.handler.delete"
operations.declare(CREATE, UPDATE, ENABLE, DISABLE, DELETE)

# privacyIDEA clients post forms as well as JSON.
BODY_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
]
READ = declare.permission(EVENTHANDLING_READ)


def _render(exc: EventServiceError, status: int) -> Response:
    _, code, message = wire.error_triple(exc)
    return to_response(wire.failure(status, code, message, wire.nonce_of(bp.current_request)))


def _rules() -> handler_rules.HandlerRules:
    from chalicelib.engine.modules.base import module_rules

    return module_rules()


def _to_wire(config: handlers.HandlerConfig) -> dict[str, Any]:
    rules = _rules()
    return wire.handler_to_wire(handlers.masked(config, rules), handlers.missing_of(config, rules))


def _ok(value: Any, detail: dict[str, Any] | None = None) -> Response:
    return to_response(wire.success(value, wire.nonce_of(bp.current_request), detail))


# ---------------------------------------------------------------- the caller guard


def _sent_basic(headers: Any) -> bool:
    return any(
        (headers.get(name) or "").strip().lower().startswith("basic ") for name in TOKEN_HEADERS
    )


def _authenticate(request: Any) -> Principal:
    """The authenticated caller; HTTP Basic with a wrong password is privacyIDEA's 4031."""
    try:
        return authenticated_principal(request)
    except AuthenticationFailed as exc:
        if exc.reason == "invalid" and _sent_basic(request.headers):
            raise AuthenticationFailed(reason=wire.WRONG_CREDENTIALS, cause=exc) from exc
        raise


def _like_a_user_token(principal: Principal, permission: str) -> EventServiceError:
    """As privacyIDEA: a non-admin without an event-handling right is like a user-role token
    (401/4306), as is a non-admin asking for a write (the default admin refusal)."""
    return AdminRequired(f"{principal.username} is not an admin")


def _flask_routing(**_: Any) -> Response | None:
    """Flask's strict slashes answer before any login (Chalice routes ``/event`` and ``/event/``
    alike): ``GET /event`` redirects to ``/event/`` (308) and ``POST /event/`` is 405."""
    request = bp.current_request
    path = wire.raw_path(request)
    method = (request.method or "").upper()
    if method == "GET" and path and not path.endswith("/"):
        return to_response(wire.redirect_to_slash(request))
    if method == "POST" and path.endswith("/"):
        return to_response(wire.method_not_allowed("GET, HEAD, OPTIONS"))
    return None


route = DialectRoutes(
    bp,
    "privacyidea",
    render=_render,
    overrides=wire.STATUS_OVERRIDES,
    authenticate=_authenticate,
    permission_refusal=_like_a_user_token,
)


# ---------------------------------------------------------------- login


@route(
    "/auth",
    "Log in: a token for username and password",
    methods=["POST"],
    content_types=BODY_TYPES,
    access=declare.PUBLIC,
    body="PiLogin",
    body_types=BODY_TYPES,
    responses={200: ("Logged in", "PiAuthenticated")},
)
def auth() -> Response:
    """Username and password for a signed token, sent back bare in ``Authorization``."""
    from chalicelib.auth.principals import verify_credentials
    from chalicelib.auth.tokens import issue_token

    params = wire.all_params(bp.current_request)
    username, password = str(params.get("username") or ""), str(params.get("password") or "")
    principal = verify_credentials(username, password) if username and password else None
    if principal is None:
        raise AuthenticationFailed(reason=wire.WRONG_CREDENTIALS)
    rights = list(known_permissions()) if principal.is_admin else list(principal.permissions)
    return _ok(
        {
            "token": issue_token(principal),
            "role": "admin" if principal.is_admin else "user",
            "username": principal.username,
            "realm": "",
            "rights": rights,
        }
    )


# ---------------------------------------------------------------- bindings


@route(
    "/event",
    "Every handler binding (GET /event redirects to /event/)",
    before=_flask_routing,
    methods=["GET"],
    content_types=BODY_TYPES,
    access=READ,
    responses={200: ("Bindings", "PiHandlers"), 308: "To the path with a slash"},
    path_suffix="/",
)
def list_bindings() -> Response:
    """Every binding, by ordering then id. ``GET /event`` (no slash) redirects, as Flask."""
    return _ok([_to_wire(config) for config in handlers.list_handlers()])


@route(
    "/event/{handler_id}",
    "One binding, as a list of 0 or 1",
    methods=["GET"],
    content_types=BODY_TYPES,
    access=READ,
    responses={200: ("Bindings", "PiHandlers")},
    sample_path={"handler_id": "1"},
)
def get_binding(handler_id: str) -> Response:
    """A list of 0 or 1 bindings (an unknown id is ``[]``, not 404)."""
    config = handlers.get_handler(wire.path_id(handler_id))
    return _ok([] if config is None else [_to_wire(config)])


@route(
    "/event",
    "Create or update a binding",
    before=_flask_routing,
    methods=["POST"],
    content_types=BODY_TYPES,
    access=declare.ADMIN,
    body="PiHandlerForm",
    body_types=BODY_TYPES,
    responses={200: ("Its id", "PiId")},
    sample_body={
        "name": "matrix",
        "event": "matrix.event",
        "handlermodule": "Logging",
        "action": "logging",
    },
)
def save_binding() -> Response:
    """Create a binding, or update the one ``id`` names (privacyIDEA 3.14 rules)."""
    request = bp.current_request
    caller = current_caller()
    draft = wire.draft_from_params(wire.all_params(request), strict=wire.sent_json(request))
    exists = draft.id is not None and handlers.get_handler(draft.id) is not None
    rules = _rules()
    # Secret option values never pass through pre handlers or into the operation's event:
    # those see the mask, and the save takes the real values from here.
    secret = rules.secret_options(draft.handlermodule, draft.action)
    params = draft.to_params()
    params["options"], sent_secrets = secret_options.split(draft.options, secret)
    handler_id = operations.perform(
        UPDATE if exists else CREATE,
        caller,
        params,
        lambda params: handlers.save_handler(
            handlers.HandlerDraft.from_params(params), rules, sent_secrets
        ),
        describe=lambda saved_id: {"id": saved_id},
    )
    # privacyIDEA saves a handler without its required options; the answer says what it lacks.
    saved = handlers.get_handler(handler_id)
    missing = handlers.missing_of(saved, rules) if saved is not None else ()
    if saved is not None and missing:
        message = handlers.missing_message(saved, missing)
        return _ok(handler_id, {"missing_options": list(missing), "message": message})
    return _ok(handler_id)


def _set_active(handler_id: str, active: bool) -> Response:
    caller = current_caller()
    try:
        number = wire.path_id(handler_id)
    except ValidationFailed as exc:
        raise handlers.HandlerNotFound() from exc  # privacyIDEA: /event/disable/abc is 404
    result = operations.perform(
        ENABLE if active else DISABLE,
        caller,
        {"id": number},
        lambda params: handlers.set_active(int(params["id"]), active),
    )
    return _ok(result)


@route(
    "/event/enable/{handler_id}",
    "Enable a binding",
    methods=["POST"],
    content_types=BODY_TYPES,
    access=declare.ADMIN,
    responses={200: ("Done", "PiValue")},
    sample_path={"handler_id": "1"},
)
def enable_binding(handler_id: str) -> Response:
    return _set_active(handler_id, True)


@route(
    "/event/disable/{handler_id}",
    "Disable a binding",
    methods=["POST"],
    content_types=BODY_TYPES,
    access=declare.ADMIN,
    responses={200: ("Done", "PiValue")},
    sample_path={"handler_id": "1"},
)
def disable_binding(handler_id: str) -> Response:
    return _set_active(handler_id, False)


@route(
    "/event/{handler_id}",
    "Delete a binding",
    methods=["DELETE"],
    content_types=BODY_TYPES,
    access=declare.ADMIN,
    responses={200: ("Done", "PiValue")},
    sample_path={"handler_id": "1"},
)
def delete_binding(handler_id: str) -> Response:
    caller = current_caller()
    try:
        number = wire.path_id(handler_id)
    except ValidationFailed as exc:
        raise handlers.HandlerNotFound() from exc  # a non-integer id names no binding
    result = operations.perform(
        DELETE, caller, {"id": number}, lambda params: handlers.delete_handler(int(params["id"]))
    )
    return _ok(result)


# ---------------------------------------------------------------- catalogues


@route(
    "/event/available",
    "Event names handlers can bind to",
    methods=["GET"],
    content_types=BODY_TYPES,
    access=READ,
    responses={200: ("Names", "PiStrings")},
)
def available_events() -> Response:
    """This service's operations, then every ingested event type; no duplicates."""
    from chalicelib.core.catalog import list_event_types

    names = dict.fromkeys(operations.declared_operations())
    names.update(dict.fromkeys(list_event_types()))
    return _ok(list(names))


@route(
    "/event/handlermodules",
    "Handler module names",
    methods=["GET"],
    content_types=BODY_TYPES,
    access=READ,
    responses={200: ("Names", "PiStrings")},
)
def handler_modules() -> Response:
    from chalicelib.engine.modules.base import module_names

    return _ok(module_names())


def _module(name: str):
    from chalicelib.engine.modules.base import get_module

    return get_module(name)


@route(
    "/event/positions/{module}",
    "A module's positions",
    methods=["GET"],
    content_types=BODY_TYPES,
    access=READ,
    responses={200: ("Positions", "PiStrings")},
    sample_path={"module": "Logging"},
)
def module_positions(module: str) -> Response:
    found = _module(module)
    return _ok([] if found is None else list(found.positions))


@route(
    "/event/actions/{module}",
    "A module's actions and their options",
    methods=["GET"],
    content_types=BODY_TYPES,
    access=READ,
    responses={200: ("Actions", "PiValue")},
    sample_path={"module": "Logging"},
)
def module_actions(module: str) -> Response:
    found = _module(module)
    return _ok([] if found is None else found.actions_wire())


@route(
    "/event/conditions/{module}",
    "The conditions a module's bindings take",
    methods=["GET"],
    content_types=BODY_TYPES,
    access=READ,
    responses={200: ("Conditions", "PiValue")},
    sample_path={"module": "Logging"},
)
def module_conditions(module: str) -> Response:
    """Every module shares the one condition set; an unknown module has none (``[]``)."""
    found = _module(module)
    if found is None:
        return _ok([])
    from chalicelib.engine.conditions import describe_conditions

    return _ok(describe_conditions())


@route(
    "/event/defaults/{module}",
    "A module's defaults",
    methods=["GET"],
    content_types=BODY_TYPES,
    access=READ,
    responses={200: ("Defaults", "PiObject")},
    sample_path={"module": "Logging"},
)
def module_defaults(module: str) -> Response:
    found = _module(module)
    return _ok({"abort_on_error": bool(found is not None and found.default_abort_on_error)})


# ---------------------------------------------------------------- history and counters


def _execution_filters(params: dict[str, Any]) -> dict[str, Any]:
    filters: dict[str, Any] = {
        name: str(params[name])
        for name in ("status", "event_type", "message_id", "marker")
        if params.get(name) not in (None, "")
    }
    limit = wire.optional_int(params, "limit")
    if limit is not None:
        if limit < 1:
            raise ValidationFailed(f"The parameter limit must be positive: {limit}")
        filters["limit"] = limit
    return filters


@route(
    "/event/executions",
    "Handler executions, newest first",
    methods=["GET"],
    content_types=BODY_TYPES,
    access=READ,
    query="PiExecutionFilters",
    responses={200: ("Executions", "PiList")},
)
def list_executions() -> Response:
    """Handler executions, newest first, filtered by status, event_type, message_id, handler_id."""
    params = wire.all_params(bp.current_request)
    filters = _execution_filters(params)
    handler_id = wire.optional_int(params, "handler_id")
    if handler_id is not None:
        filters["handler_id"] = handler_id
    return _execution_page(filters)


NEXT_MARKER_HEADER = "X-Event-Service-Next-Marker"


def _execution_page(filters: dict[str, Any]) -> Response:
    """One bounded page; ``X-Event-Service-Next-Marker`` says how to go on when more may follow."""
    from chalicelib.core.executions import list_executions_page

    page = list_executions_page(**filters)
    response = _ok(page.executions)
    if page.next_marker:
        response.headers[NEXT_MARKER_HEADER] = page.next_marker
    return response


@route(
    "/event/{handler_id}/executions",
    "One binding's executions",
    methods=["GET"],
    content_types=BODY_TYPES,
    access=READ,
    query="PiExecutionFilters",
    responses={200: ("Executions", "PiList")},
    sample_path={"handler_id": "1"},
)
def binding_executions(handler_id: str) -> Response:
    number = wire.path_id(handler_id)
    filters = _execution_filters(wire.all_params(bp.current_request))
    return _execution_page({**filters, "handler_id": number})


@route(
    "/event/counters",
    "Every counter",
    methods=["GET"],
    content_types=BODY_TYPES,
    access=READ,
    responses={200: ("Counters", "PiValue")},
)
def list_counters() -> Response:
    from chalicelib.core.counters import list_counters as find

    return _ok(find())


@route(
    "/event/counters/{name}",
    "A counter's value",
    methods=["GET"],
    content_types=BODY_TYPES,
    access=READ,
    responses={200: ("Value", "PiValue")},
    sample_path={"name": "matrix"},
)
def read_counter(name: str) -> Response:
    """A counter's value (0 for a counter never changed)."""
    from urllib.parse import unquote

    from chalicelib.core.counters import get_counter

    return _ok(get_counter(unquote(name)))


# ---------------------------------------------------------------- every other path


# privacyIDEA's 404 in its error shape (a ResourceNotFound, code 601) below a handler id:
# ``/event`` itself has a variable child, ``{handler_id}``, and API Gateway allows only one.
def _render_unserved(exc: EventServiceError, status: int) -> Response:
    from chalicelib.errors import NotFound

    return _render(NotFound(exc.message), status)


route.with_render(_render_unserved).not_served(
    "/event/{handler_id}/{proxy+}",
    text="The requested URL was not found on the server.",
)
