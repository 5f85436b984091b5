"""privacyIDEA 3.14's event handler API (``/event``) and its login (``POST /auth``).

Reading ``/event`` needs the ``eventhandling_read`` permission (admins hold every permission);
writing handler configurations is admin-only, because a handler sees every tenant's events
(privacyIDEA's ``eventhandling`` rights are admin-scope policies). Secret options are
write-only: every read shows ``secret_options.SECRET_MASK``. Credentials: the bare JWT from
``POST /auth`` in ``PI-Authorization`` or ``Authorization`` (or ``Bearer``), or HTTP Basic.
Beyond privacyIDEA: the execution history (``/event/executions``,
``/event/{id}/executions``) and the Counter module's counters (``/event/counters``).
The wire format lives in ``privacyidea_wire``.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.auth.identity import TOKEN_HEADERS
from chalicelib.auth.permissions import ADMIN_ROLE, EVENTHANDLING_READ, known_permissions
from chalicelib.auth.principal import Principal
from chalicelib.core import handler_rules, handlers, secret_options
from chalicelib.dialects.common import authenticated_principal, error_boundary
from chalicelib.dialects.privacyidea import wire
from chalicelib.engine import operations
from chalicelib.errors import (
    AdminRequired,
    AuthenticationFailed,
    EventServiceError,
    ValidationFailed,
)
from chalicelib.openapi import declare

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
# Handler writes need the admin role, which privacyIDEA names this way in its refusals.
ADMIN_ONLY = ADMIN_ROLE


def _render(exc: EventServiceError, status: int) -> Response:
    _, code, message = wire.error_triple(exc)
    return wire.failure(status, code, message, wire.nonce_of(bp.current_request))


privacyidea_errors = error_boundary(_render, wire.STATUS_OVERRIDES)


def _rules() -> handler_rules.HandlerRules:
    from chalicelib.engine.modules.base import module_rules

    return module_rules()


def _to_wire(config: handlers.HandlerConfig) -> dict[str, Any]:
    return wire.handler_to_wire(handlers.masked(config, _rules()))


def _ok(value: Any) -> Response:
    return wire.success(value, wire.nonce_of(bp.current_request))


def _sent_basic(headers: Any) -> bool:
    return any(
        (headers.get(name) or "").strip().lower().startswith("basic ") for name in TOKEN_HEADERS
    )


def _caller(permission: str) -> Principal:
    """The authenticated caller, if they hold ``permission`` (``ADMIN_ONLY``: are an admin).

    As privacyIDEA: a non-admin asking for a write, or without any event-handling right, is
    like a user-role token (401/4306).
    """
    request = bp.current_request
    try:
        principal = authenticated_principal(request)
    except AuthenticationFailed as exc:
        if exc.reason == "invalid" and _sent_basic(request.headers):
            raise AuthenticationFailed(reason=wire.WRONG_CREDENTIALS, cause=exc) from exc
        raise
    if principal.is_admin or (permission != ADMIN_ONLY and principal.can(permission)):
        return principal
    raise AdminRequired(f"{principal.username} is not an admin")


# ---------------------------------------------------------------- login


@bp.route("/auth", methods=["POST"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "Log in: a token for username and password",
    access=declare.PUBLIC,
    body="PiLogin",
    body_types=BODY_TYPES,
    responses={200: ("Logged in", "PiAuthenticated")},
)
@privacyidea_errors
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


@bp.route("/event", methods=["GET"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "Every handler binding (GET /event redirects to /event/)",
    access=declare.permission(EVENTHANDLING_READ),
    responses={200: ("Bindings", "PiHandlers"), 308: "To the path with a slash"},
    path_suffix="/",
)
@privacyidea_errors
def list_bindings() -> Response:
    """Every binding, by ordering then id. ``GET /event`` (no slash) redirects, as Flask."""
    request = bp.current_request
    path = wire.raw_path(request)
    if path and not path.endswith("/"):
        return wire.redirect_to_slash(request)
    _caller(EVENTHANDLING_READ)
    return _ok([_to_wire(config) for config in handlers.list_handlers()])


@bp.route("/event/{handler_id}", methods=["GET"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "One binding, as a list of 0 or 1",
    access=declare.permission(EVENTHANDLING_READ),
    responses={200: ("Bindings", "PiHandlers")},
    sample_path={"handler_id": "1"},
)
@privacyidea_errors
def get_binding(handler_id: str) -> Response:
    """A list of 0 or 1 bindings (an unknown id is ``[]``, not 404)."""
    _caller(EVENTHANDLING_READ)
    config = handlers.get_handler(wire.path_id(handler_id))
    return _ok([] if config is None else [_to_wire(config)])


@bp.route("/event", methods=["POST"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "Create or update a binding",
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
@privacyidea_errors
def save_binding() -> Response:
    """Create a binding, or update the one ``id`` names (privacyIDEA 3.14 rules)."""
    request = bp.current_request
    if wire.raw_path(request).endswith("/"):
        return wire.method_not_allowed("GET, HEAD, OPTIONS")
    caller = _caller(ADMIN_ONLY)
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
    return _ok(handler_id)


def _set_active(handler_id: str, active: bool) -> Response:
    caller = _caller(ADMIN_ONLY)
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


@bp.route("/event/enable/{handler_id}", methods=["POST"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "Enable a binding",
    access=declare.ADMIN,
    responses={200: ("Done", "PiValue")},
    sample_path={"handler_id": "1"},
)
@privacyidea_errors
def enable_binding(handler_id: str) -> Response:
    return _set_active(handler_id, True)


@bp.route("/event/disable/{handler_id}", methods=["POST"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "Disable a binding",
    access=declare.ADMIN,
    responses={200: ("Done", "PiValue")},
    sample_path={"handler_id": "1"},
)
@privacyidea_errors
def disable_binding(handler_id: str) -> Response:
    return _set_active(handler_id, False)


@bp.route("/event/{handler_id}", methods=["DELETE"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "Delete a binding",
    access=declare.ADMIN,
    responses={200: ("Done", "PiValue")},
    sample_path={"handler_id": "1"},
)
@privacyidea_errors
def delete_binding(handler_id: str) -> Response:
    caller = _caller(ADMIN_ONLY)
    try:
        number = wire.path_id(handler_id)
    except ValidationFailed as exc:
        raise handlers.HandlerNotFound() from exc  # a non-integer id names no binding
    result = operations.perform(
        DELETE, caller, {"id": number}, lambda params: handlers.delete_handler(int(params["id"]))
    )
    return _ok(result)


# ---------------------------------------------------------------- catalogues


@bp.route("/event/available", methods=["GET"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "Event names handlers can bind to",
    access=declare.permission(EVENTHANDLING_READ),
    responses={200: ("Names", "PiStrings")},
)
@privacyidea_errors
def available_events() -> Response:
    """This service's operations, then every ingested event type; no duplicates."""
    from chalicelib.core.catalog import list_event_types

    _caller(EVENTHANDLING_READ)
    names = dict.fromkeys(operations.declared_operations())
    names.update(dict.fromkeys(list_event_types()))
    return _ok(list(names))


@bp.route("/event/handlermodules", methods=["GET"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "Handler module names",
    access=declare.permission(EVENTHANDLING_READ),
    responses={200: ("Names", "PiStrings")},
)
@privacyidea_errors
def handler_modules() -> Response:
    from chalicelib.engine.modules.base import module_names

    _caller(EVENTHANDLING_READ)
    return _ok(module_names())


def _module(name: str):
    from chalicelib.engine.modules.base import get_module

    _caller(EVENTHANDLING_READ)
    return get_module(name)


@bp.route("/event/positions/{module}", methods=["GET"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "A module's positions",
    access=declare.permission(EVENTHANDLING_READ),
    responses={200: ("Positions", "PiStrings")},
    sample_path={"module": "Logging"},
)
@privacyidea_errors
def module_positions(module: str) -> Response:
    found = _module(module)
    return _ok([] if found is None else list(found.positions))


@bp.route("/event/actions/{module}", methods=["GET"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "A module's actions and their options",
    access=declare.permission(EVENTHANDLING_READ),
    responses={200: ("Actions", "PiValue")},
    sample_path={"module": "Logging"},
)
@privacyidea_errors
def module_actions(module: str) -> Response:
    found = _module(module)
    return _ok([] if found is None else found.actions_wire())


@bp.route("/event/conditions/{module}", methods=["GET"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "The conditions a module's bindings take",
    access=declare.permission(EVENTHANDLING_READ),
    responses={200: ("Conditions", "PiValue")},
    sample_path={"module": "Logging"},
)
@privacyidea_errors
def module_conditions(module: str) -> Response:
    """Every module shares the one condition set; an unknown module has none (``[]``)."""
    found = _module(module)
    if found is None:
        return _ok([])
    from chalicelib.engine.conditions import describe_conditions

    return _ok(describe_conditions())


@bp.route("/event/defaults/{module}", methods=["GET"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "A module's defaults",
    access=declare.permission(EVENTHANDLING_READ),
    responses={200: ("Defaults", "PiObject")},
    sample_path={"module": "Logging"},
)
@privacyidea_errors
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


@bp.route("/event/executions", methods=["GET"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "Handler executions, newest first",
    access=declare.permission(EVENTHANDLING_READ),
    query="PiExecutionFilters",
    responses={200: ("Executions", "PiList")},
)
@privacyidea_errors
def list_executions() -> Response:
    """Handler executions, newest first, filtered by status, event_type, message_id, handler_id."""
    from chalicelib.core.executions import list_executions as find

    _caller(EVENTHANDLING_READ)
    params = wire.all_params(bp.current_request)
    filters = _execution_filters(params)
    handler_id = wire.optional_int(params, "handler_id")
    if handler_id is not None:
        filters["handler_id"] = handler_id
    return _ok(find(**filters))


@bp.route("/event/{handler_id}/executions", methods=["GET"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "One binding's executions",
    access=declare.permission(EVENTHANDLING_READ),
    query="PiExecutionFilters",
    responses={200: ("Executions", "PiList")},
    sample_path={"handler_id": "1"},
)
@privacyidea_errors
def binding_executions(handler_id: str) -> Response:
    from chalicelib.core.executions import list_executions as find

    _caller(EVENTHANDLING_READ)
    number = wire.path_id(handler_id)
    filters = _execution_filters(wire.all_params(bp.current_request))
    return _ok(find(handler_id=number, **filters))


@bp.route("/event/counters", methods=["GET"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "Every counter",
    access=declare.permission(EVENTHANDLING_READ),
    responses={200: ("Counters", "PiValue")},
)
@privacyidea_errors
def list_counters() -> Response:
    from chalicelib.core.counters import list_counters as find

    _caller(EVENTHANDLING_READ)
    return _ok(find())


@bp.route("/event/counters/{name}", methods=["GET"], content_types=BODY_TYPES)
@declare.route(
    "privacyidea",
    "A counter's value",
    access=declare.permission(EVENTHANDLING_READ),
    responses={200: ("Value", "PiValue")},
    sample_path={"name": "matrix"},
)
@privacyidea_errors
def read_counter(name: str) -> Response:
    """A counter's value (0 for a counter never changed)."""
    from urllib.parse import unquote

    from chalicelib.core.counters import get_counter

    _caller(EVENTHANDLING_READ)
    return _ok(get_counter(unquote(name)))
