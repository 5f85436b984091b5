"""privacyIDEA 3.14's wire format: request parameters, the JSON envelope and its error codes.

privacyIDEA merges form fields, the query string and a JSON body into one parameter dict
(``request.all_data``); answers are ``{"jsonrpc", "result": {"status", "value"|"error"}, ...}``
with sorted keys. Domain errors become privacyIDEA's HTTP status, ``error.code`` and message
here, once, for every route.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from chalicelib.deferred import deferred
from chalicelib.dialects.common import Answer, StatusOverrides, bounded_body
from chalicelib.errors import (
    AdminRequired,
    AuthenticationFailed,
    Conflict,
    EventServiceError,
    NotFound,
    OperationRefused,
    PermissionDenied,
    StoreFailure,
    StoreUnavailable,
    TooManyAttempts,
    ValidationFailed,
)

# Handler drafts and privacyIDEA's truth values load when a binding is read or written, not
# when the app is imported (cold start).
if TYPE_CHECKING:
    from chalicelib.core import handlers
    from chalicelib.core.handlers import HandlerConfig, HandlerDraft
    from chalicelib.engine import compare
else:
    handlers = deferred("chalicelib.core.handlers")
    compare = deferred("chalicelib.engine.compare")

VERSION = "privacyIDEA 3.14"
VERSION_NUMBER = "3.14"
HEADERS = {"Content-Type": "application/json", "Cache-Control": "no-cache"}
OPTION_PREFIX = "option."
# AuthenticationFailed.reason for a wrong username/password (POST /auth, HTTP Basic).
WRONG_CREDENTIALS = "credentials"

INTERNAL_ERROR = (
    "500 Internal Server Error: The server encountered an internal error and was unable to "
    "complete your request. Either the server is overloaded or there is an error in the "
    "application."
)
_INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")


# ---------------------------------------------------------------- parameters


def is_true(value: Any) -> bool:
    """privacyIDEA's ``is_true()``: the engine's one (``compare.TRUE_VALUES`` are true)."""
    return compare.is_true(value)


def _form_fields(body: bytes, content_type: str) -> dict[str, Any]:
    if content_type.lower().startswith("multipart/form-data"):
        import email.parser  # rare: multipart forms only, so not at cold start
        import email.policy

        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        fields: dict[str, Any] = {}
        for part in message.iter_parts() if message.is_multipart() else ():
            name = part.get_param("name", header="content-disposition")
            if isinstance(name, str) and name and part.get_filename() is None:
                fields.setdefault(name, part.get_content())
        return fields
    fields = {}
    for key, value in parse_qsl(body.decode("utf-8"), keep_blank_values=True):
        fields.setdefault(key, value)
    return fields


def all_params(request: Any) -> dict[str, Any]:
    """privacyIDEA's ``request.all_data``: form fields, then the query string, then JSON."""
    body = bounded_body(request)
    content_type = request.headers.get("content-type") or ""
    form: dict[str, Any] = {}
    data: dict[str, Any] = {}
    if body.strip():
        try:
            if sent_json(request):
                data = json.loads(body)
            else:
                form = _form_fields(body, content_type)
        # LookupError: an unknown multipart charset; RecursionError: JSON nested too deeply.
        except (UnicodeDecodeError, ValueError, LookupError, RecursionError) as exc:
            raise ValidationFailed(f"Could not parse the request body: {exc}", cause=exc) from exc
        if not isinstance(data, dict):
            raise ValidationFailed("The JSON body must be an object.")
    query = request.query_params
    from_query = {key: query.getlist(key)[0] for key in query} if query else {}
    return {**form, **from_query, **data}


def sent_json(request: Any) -> bool:
    """True when the request's body is (to be read as) a JSON object."""
    body = bounded_body(request)
    kind = (request.headers.get("content-type") or "").lower()
    return bool(body.strip()) and (
        "json" in kind
        or (
            not kind.startswith(("multipart/", "application/x-www-form-urlencoded"))
            and body.lstrip()[:1] == b"{"
        )
    )


def nonce_of(request: Any) -> str | None:
    """The ``nonce`` parameter to echo, if the request carries a readable one."""
    try:
        nonce = all_params(request).get("nonce")
    except Exception:
        return None
    return None if nonce is None else str(nonce)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _integer(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise ValidationFailed(f"{what} must be an integer: {value}", field=what)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value) and len(value) <= 19:  # fits 64 bits
        return int(value)
    raise ValidationFailed(f"{what} must be an integer: {str(value)[:40]}", field=what)


def path_id(value: str) -> int:
    """An id from the URL path; 905 when it is not an integer."""
    return _integer(value, "The event handler id")


def optional_int(params: dict[str, Any], name: str) -> int | None:
    value = params.get(name)
    return None if value is None or value == "" else _integer(value, f"The parameter {name}")


def _events(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        value = ",".join(_text(part) for part in value)
    return tuple(part.strip() for part in _text(value).split(",") if part.strip())


def _json_object(params: dict[str, Any], name: str, message: str) -> dict[str, Any] | None:
    """A parameter that is a JSON object, sent as one (JSON body) or as its text (form)."""
    value = params.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError) as exc:
            raise ValidationFailed(message, field=name, cause=exc) from exc
    if not isinstance(value, dict):
        raise ValidationFailed(message, field=name)
    return value


# What POST /event reads; ``condition`` is the legacy field GET /event/ still shows (empty).
DRAFT_PARAMETERS = (
    "id",
    "name",
    "event",
    "handlermodule",
    "action",
    "position",
    "ordering",
    "active",
    "abort_on_error",
    "options",
    "clear_options",
    "conditions",
    "condition",
    "nonce",
)
# What GET /event/ adds to an incomplete binding: a binding read back can be posted again.
READ_ONLY_PARAMETERS = ("incomplete", "missing_options")
OPTIONS_FORMS = 'option.<name>=<value> (form or JSON) or "options": {"<name>": <value>} (JSON)'
CONDITIONS_FORMS = 'conditions=<JSON object> (form) or "conditions": {"<name>": <value>} (JSON)'


def _refuse_misspelt(params: dict[str, Any], strict: bool) -> None:
    """A parameter that looks like a misspelt form is a 905 naming the right one, never dropped.

    ``strict`` (a JSON body): any top-level key that is not a known parameter is refused too.
    """
    for key in params:
        lowered = key.lower()
        if lowered.startswith(("condition.", "conditions.")) or (
            key == "condition" and params[key] not in (None, "")
        ):
            raise ValidationFailed(
                f"Unknown parameter {key}: send conditions as {CONDITIONS_FORMS}", field=key
            )
        if lowered.startswith("options.") or (
            lowered.startswith("option.") and not key.startswith(OPTION_PREFIX)
        ):
            raise ValidationFailed(
                f"Unknown parameter {key}: send options as {OPTIONS_FORMS}", field=key
            )
        if (
            strict
            and key not in DRAFT_PARAMETERS
            and key not in READ_ONLY_PARAMETERS
            and not key.startswith(OPTION_PREFIX)
        ):
            raise ValidationFailed(
                f"Unknown parameter {key}. Known are: {', '.join(DRAFT_PARAMETERS[:-2])} and "
                f"option.<name>",
                field=key,
            )


def draft_from_params(params: dict[str, Any], *, strict: bool = False) -> HandlerDraft:
    """``POST /event`` parameters as a handler draft (privacyIDEA 3.14's reading of them).

    Options come from ``option.<name>`` parameters and/or an ``options`` object (the
    ``option.`` form wins for a name given both ways); conditions from a ``conditions`` object
    or its JSON text. ``strict`` refuses unknown top-level keys (a JSON body).
    """
    _refuse_misspelt(params, strict)
    raw_id = params.get("id")
    handler_id = None
    if raw_id not in (None, "", 0, False):
        handler_id = _integer(raw_id, "The parameter id") or None
    ordering = params.get("ordering")
    position = params.get("position")
    options = _json_object(params, "options", "The 'options' parameter must be a dictionary.")
    options = dict(options or {})
    options.update(
        {
            key[len(OPTION_PREFIX) :]: value
            for key, value in params.items()
            if key.startswith(OPTION_PREFIX)
        }
    )
    return handlers.HandlerDraft(
        id=handler_id,
        name=_text(params.get("name")),
        events=_events(params.get("event")),
        handlermodule=_text(params.get("handlermodule")),
        action=_text(params.get("action")),
        position=_text(position) if position not in (None, "") else "post",
        ordering=0 if ordering in (None, "") else _integer(ordering, "The parameter ordering"),
        active=is_true(params["active"]) if "active" in params else True,
        abort_on_error=(is_true(params["abort_on_error"]) if "abort_on_error" in params else None),
        options=options,
        clear_options=is_true(params.get("clear_options")),
        conditions=_json_object(params, "conditions", handlers.CONDITIONS_NOT_A_DICT),
    )


def handler_to_wire(config: HandlerConfig, missing: tuple[str, ...] = ()) -> dict[str, Any]:
    """One binding as ``GET /event/`` shows it (pass it through ``handlers.masked`` first).

    Beyond privacyIDEA: a binding lacking required options (``missing``, which privacyIDEA
    saves too) says so in ``incomplete`` and ``missing_options``, so a client can tell why
    it does not run; complete bindings carry neither key.
    """
    wire = asdict(config)
    wire["event"] = list(wire.pop("events"))
    wire["condition"] = ""  # privacyIDEA's legacy field, always empty
    wire["position"] = config.position or "post"
    if missing:
        wire["incomplete"] = True
        wire["missing_options"] = list(missing)
    return wire


# ---------------------------------------------------------------- answers


def _body(content: dict[str, Any], nonce: str | None) -> str:
    if nonce is not None:
        content["nonce"] = nonce
    return json.dumps(content, sort_keys=True, default=str)


def success(value: Any, nonce: str | None = None, detail: dict[str, Any] | None = None) -> Answer:
    """privacyIDEA's ``send_result`` envelope (no ``signature``: we hold no audit key);
    ``detail`` only when given, as ``send_result(details=…)``."""
    content: dict[str, Any] = {
        "id": 1,
        "jsonrpc": "2.0",
        "result": {"status": True, "value": value},
        "time": time.time(),
        "version": VERSION,
        "versionnumber": VERSION_NUMBER,
    }
    if detail:
        content["detail"] = detail
    return Answer(body=_body(content, nonce), status_code=200, headers=dict(HEADERS))


def failure(status: int, code: int, message: str, nonce: str | None = None) -> Answer:
    """privacyIDEA's ``send_error`` envelope: ``detail`` null, no ``versionnumber``."""
    content = {
        "detail": None,
        "id": 1,
        "jsonrpc": "2.0",
        "result": {"status": False, "error": {"code": code, "message": message}},
        "time": time.time(),
        "version": VERSION,
    }
    return Answer(body=_body(content, nonce), status_code=status, headers=dict(HEADERS))


_AUTH_FAILURES = {
    "missing": (4033, "Authentication failure. Missing Authorization header."),
    WRONG_CREDENTIALS: (4031, "Authentication failure. Wrong credentials"),
    "expired": (4305, "Authentication failure. Your token has expired: {}"),
    "invalid": (4304, "Authentication failure. Error decoding the Authorization token: {}"),
}
WRONG_ROLE = (
    "Authentication failure. You do not have the necessary role (['admin']) to access "
    "this resource!"
)


def error_triple(exc: EventServiceError) -> tuple[int, int, str]:
    """(HTTP status, ``error.code``, ``error.message``) of a domain error, as privacyIDEA."""
    if isinstance(exc, ValidationFailed):
        return 400, 905, f"ERR905: {exc.message}"
    if isinstance(exc, TooManyAttempts):
        return 429, 4031, f"Authentication failure. {exc.message}"
    if isinstance(exc, AuthenticationFailed):
        code, template = _AUTH_FAILURES.get(exc.reason, _AUTH_FAILURES["invalid"])
        return 401, code, template.format(exc.message)
    if isinstance(exc, AdminRequired):
        return 401, 4306, WRONG_ROLE
    if isinstance(exc, PermissionDenied):
        return (
            403,
            303,
            f"Admin actions are defined, but the action {exc.permission} is not allowed!",
        )
    if isinstance(exc, NotFound):
        return 404, 601, exc.message
    if isinstance(exc, OperationRefused):
        return 400, 10, f"ERR10: {exc.message}"
    if isinstance(exc, Conflict):
        return 409, 10, f"ERR10: {exc.message}"
    if isinstance(exc, StoreUnavailable | StoreFailure):
        return exc.status_code, -500, exc.message  # 503 retryable, 500 otherwise
    return 500, -500, INTERNAL_ERROR


# privacyIDEA refuses a non-admin like a user-role token (401/4306) and a pre handler's
# refusal as a policy error (400/ERR10); every other error keeps its own status.
STATUS_OVERRIDES: StatusOverrides = {AdminRequired: 401, OperationRefused: 400}


# ---------------------------------------------------------------- routing quirks

_HTML = "<!doctype html>\n<html lang=en>\n<title>{title}</title>\n<h1>{title}</h1>\n<p>{text}</p>\n"


def raw_path(request: Any) -> str:
    """The path as the client sent it (Chalice routes ``/event/`` and ``/event`` alike)."""
    return str((request.context or {}).get("path") or "")


def redirect_to_slash(request: Any) -> Answer:
    """Flask's 308 from ``/event`` to ``/event/``."""
    target = raw_path(request) + "/"
    query = request.query_params
    if query:
        from urllib.parse import urlencode

        target += "?" + urlencode([(key, value) for key in query for value in query.getlist(key)])
    text = (
        f'You should be redirected automatically to the target URL: <a href="{target}">'
        f"{target}</a>. If not, click the link."
    )
    return Answer(
        body=_HTML.format(title="Redirecting...", text=text),
        status_code=308,
        headers={"Content-Type": "text/html; charset=utf-8", "Location": target},
    )


def method_not_allowed(allowed: str) -> Answer:
    """Flask's HTML 405."""
    return Answer(
        body=_HTML.format(
            title="405 Method Not Allowed",
            text="The method is not allowed for the requested URL.",
        ),
        status_code=405,
        headers={"Content-Type": "text/html; charset=utf-8", "Allow": allowed},
    )
