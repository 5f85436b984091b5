"""Opmantek/FirstWave opEvents REST API (``/omk/opEvents``): login, events, nodes.

- ``POST /login``: form ``username``/``password`` → session cookie (``opevents_auth``);
- ``POST /events``: create an event from normalised properties → 201, ``Location``,
  ``{"success": 1, "id": "<24 hex>"}``;
- ``GET /events`` (JSON by ``Accept`` or as ``/events.json``): the last two hours, filtered;
- ``GET /events/{id}`` and ``/events/{id}.json`` (API Gateway cannot route ``{id}.json``: the
  route takes ``{id}`` and strips the suffix);
- ``PATCH /api/v1/events/{id}``: newer opEvents' update of an event;
- ``/nodes`` and ``/nodes/{name}``: opCommon's node registry (writes: admins only).
Reads need ``opevents_read``, event writes ``opevents_write`` (admins hold both).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, unquote, urlencode

from chalice import Blueprint, Response

from chalicelib.auth import permissions
from chalicelib.core.depth import current_depth, depth_from_headers
from chalicelib.deferred import deferred
from chalicelib.dialects.common import (
    DialectRoutes,
    bounded_body,
    cookie_principal,
    current_caller,
    json_response,
    parse_json_body,
)
from chalicelib.dialects.opevents.auth import (
    STATUS_OVERRIDES,
    over_https,
    render,
    render_api_v1,
    session_cookie,
)
from chalicelib.engine import operations
from chalicelib.errors import AuthenticationFailed, ValidationFailed
from chalicelib.openapi import declare

# Loaded when an opEvents route runs, not when the app is imported (cold start).
if TYPE_CHECKING:
    from chalicelib.auth import principals
    from chalicelib.dialects.opevents import events as opevents
    from chalicelib.dialects.opevents import nodes
    from chalicelib.dialects.opevents import query as opevents_query
else:
    principals = deferred("chalicelib.auth.principals")
    nodes = deferred("chalicelib.dialects.opevents.nodes")
    opevents = deferred("chalicelib.dialects.opevents.events")
    opevents_query = deferred("chalicelib.dialects.opevents.query")

bp = Blueprint(__name__)

ROOT = "/omk/opEvents"
EVENTS = f"{ROOT}/events"
ANY_CONTENT = ["*/*"]
JSON_SUFFIX = ".json"

CREATE_EVENT = "opevents.event.create"
UPDATE_EVENT = "opevents.event.update"
CREATE_NODE = "opevents.node.create"
UPDATE_NODE = "opevents.node.update"
DELETE_NODE = "opevents.node.delete"
operations.declare(CREATE_EVENT, UPDATE_EVENT, CREATE_NODE, UPDATE_NODE, DELETE_NODE)

# ---------------------------------------------------------------- request helpers


def _request() -> Any:
    return bp.current_request


def _wants_json(path_json: bool) -> bool:
    accept = (_request().headers.get("accept") or "").lower()
    return path_json or "json" in accept


def _stage_prefix() -> str:
    """Any stage prefix in front of ``/omk/opEvents`` (API Gateway's ``/dev``), or ``""``."""
    path = _request().context.get("path") or ""
    return path[: path.find(ROOT)].rstrip("/") if ROOT in path else ""


def _base_url() -> str:
    """Scheme, host and any stage prefix in front of ``/omk/opEvents``."""
    request = _request()
    scheme = (request.headers.get("x-forwarded-proto") or "http").split(",")[0].strip()
    host = request.headers.get("host") or "localhost"
    return f"{scheme}://{host}{_stage_prefix()}"


def _event_url(event_id: str) -> str:
    return f"{_base_url()}{EVENTS}/{event_id}"


def _console_page() -> Response:
    """A browser's view of the events: the console's event page, as opEvents serves its GUI."""
    from chalicelib.dialects.console import page_response

    return page_response(_stage_prefix())


def _form(request: Any) -> dict[str, str]:
    """A form body (or a JSON object) as single values."""
    mimetype = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    if mimetype == "application/json":
        data = parse_json_body(request, required=False) or {}
        return {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    text = bounded_body(request).decode("utf-8", errors="replace")
    return {key: values[0] for key, values in parse_qs(text).items()}


def _event_id(raw: str) -> str:
    event_id = unquote(raw)
    return event_id[: -len(JSON_SUFFIX)] if event_id.endswith(JSON_SUFFIX) else event_id


def _page_for_browsers(event_id: str = "") -> Response | None:
    """Event reads a browser may ask for get the console's page, which holds no data (its
    login form asks for credentials), ahead of the guard; JSON (asked for by ``Accept`` or a
    ``.json`` suffix on the ``event_id`` path value) goes through it."""
    path_json = unquote(event_id).endswith(JSON_SUFFIX)
    return None if _wants_json(path_json) else _console_page()


# Credentials in headers first, else the session cookie (writes only with a same-origin proof);
# a refusal of an authenticated caller is opEvents' 404. /api/v1 words bad input its own way.
route = DialectRoutes(
    bp, "opevents", render=render, authenticate=cookie_principal, overrides=STATUS_OVERRIDES
)
api_v1_route = route.with_render(render_api_v1)

READ = declare.permission(permissions.OPEVENTS_READ)
WRITE = declare.permission(permissions.OPEVENTS_WRITE)


# ---------------------------------------------------------------- login


@route(
    f"{ROOT}/login",
    "Log in: a session cookie for username and password",
    methods=["POST"],
    access=declare.PUBLIC,
    content_types=ANY_CONTENT,
    body="OeLogin",
    body_types=["application/x-www-form-urlencoded", "application/json"],
    responses={200: ("Logged in; Set-Cookie: omk=...", "OeLoggedIn")},
)
def login() -> Response:
    request = _request()
    form = _form(request)
    username, password = form.get("username") or "", form.get("password") or ""
    principal = principals.verify_credentials(username, password) if username else None
    if principal is None:
        raise AuthenticationFailed("wrong username or password")
    return json_response(
        {"success": 1, "username": principal.username},
        headers={"Set-Cookie": session_cookie(principal, secure=over_https(request))},
    )


# ---------------------------------------------------------------- events


@route(
    EVENTS,
    "Create an event (a stateful duplicate answers the id it repeats)",
    methods=["POST"],
    access=WRITE,
    content_types=ANY_CONTENT,
    body="OeNewEvent",
    responses={201: ("Created; Location names it", "OeCreated")},
    sample_body={"event": "Node Down", "node": "matrix", "level": "Major"},
)
def create_event() -> Response:
    """Create an event; a stateful duplicate answers the id of the event it repeats."""
    request = _request()
    principal = current_caller()
    properties = parse_json_body(request)
    opevents.normalise(properties)  # refuse bad input before any handler sees it
    creator = opevents.Creator(
        username=principal.username,
        project_id=principal.project_id,
        user_id=principal.user_id,
        # A forwarded event arrives one level deeper: a Federation loop stops at the limit.
        depth=max(depth_from_headers(request.headers), current_depth()),
    )
    created = operations.ingest(
        CREATE_EVENT, principal, dict(properties), lambda p: opevents.create_event(p, creator)
    )
    body: dict[str, Any] = {"success": 1, "id": created.event_id}
    if created.duplicate:
        body["duplicate"] = 1
    if created.flap:
        body["flap"] = 1
    return json_response(body, 201, {"Location": _event_url(created.event_id)})


def _list_events() -> Response:
    params = dict(_request().query_params or {})
    listing = opevents_query.list_events(opevents_query.ListingQuery.from_parameters(params))
    headers = {}
    if listing.continuation:
        params["o_continue"] = listing.continuation
        headers["Link"] = f'<{_base_url()}{EVENTS}.json?{urlencode(params)}>; rel="next"'
        headers["X-OpEvents-Continue"] = listing.continuation
    return json_response(listing.events, headers=headers)


@route(
    EVENTS,
    "The last two hours of events (JSON by Accept; a browser gets the console's event page)",
    before=_page_for_browsers,
    access=READ,
    content_types=ANY_CONTENT,
    responses={200: ("Events, or the console's event page", "OeEvents")},
    response_types=("application/json", "text/html"),
)
def list_events() -> Response:
    return _list_events()


@route(
    f"{EVENTS}.json",
    "The last two hours of events as JSON",
    access=READ,
    content_types=ANY_CONTENT,
    responses={200: ("Events", "OeEvents")},
)
def list_events_json() -> Response:
    return _list_events()


@route(
    f"{EVENTS}/{{event_id}}",
    "One event (JSON by Accept or a .json suffix; a browser gets the console)",
    before=_page_for_browsers,
    access=READ,
    content_types=ANY_CONTENT,
    responses={200: ("The event, or the console's page for it", "OeEvent"), 404: "No such event"},
    response_types=("application/json", "text/html"),
)
def get_event(event_id: str) -> Response:
    return json_response(opevents.get_event(_event_id(event_id)))


@api_v1_route(
    f"{ROOT}/api/v1/events/{{event_id}}",
    "Update an event (newer opEvents' /api/v1)",
    methods=["PATCH"],
    access=WRITE,
    content_types=ANY_CONTENT,
    body={"type": "object"},
    responses={200: ("Updated", "OeUpdated"), 404: "No such event"},
    sample_body={"acknowledged": 1},
)
def update_event(event_id: str) -> Response:
    event_id = unquote(event_id)
    if not opevents.is_event_id(event_id):
        raise ValidationFailed(f"Invalid event id :{event_id} is not a valid OID.\n")
    changes = parse_json_body(_request(), required=False)
    opevents.validate_changes(changes)  # refuse bad input before any handler sees it
    operations.perform(
        UPDATE_EVENT,
        current_caller(),
        {"event_id": event_id, "changes": changes},
        lambda params: opevents.update_event(
            event_id, opevents.validate_changes(params.get("changes"))
        ),
    )
    return json_response({"success": "Event successfully updated"})


# ---------------------------------------------------------------- nodes
# Writes are for admins (who hold opevents_read too); a refusal is 404, as every one here.


@route(
    f"{ROOT}/nodes",
    "Every node",
    access=READ,
    content_types=ANY_CONTENT,
    responses={200: ("Nodes", "OeNodes")},
)
def list_nodes() -> Response:
    return json_response([node.to_dict() for node in nodes.list_nodes()])


@route(
    f"{ROOT}/nodes",
    "Register a node (admins)",
    methods=["POST"],
    access=declare.ADMIN,
    content_types=ANY_CONTENT,
    body="OeNode",
    responses={201: ("Created; Location names it", "OeNode"), 409: "Exists"},
    sample_body={"name": "matrix-new", "host": "matrix-new.example"},
)
def create_node() -> Response:
    node = nodes.node_from_dict(parse_json_body(_request()))
    created = operations.perform(
        CREATE_NODE,
        current_caller(),
        node.to_dict(),
        lambda params: nodes.create_node(nodes.node_from_dict(params)),
    )
    location = f"{_base_url()}{ROOT}/nodes/{quote(created.name, safe='')}"
    return json_response(created.to_dict(), 201, {"Location": location})


@route(
    f"{ROOT}/nodes/{{name}}",
    "One node",
    access=READ,
    content_types=ANY_CONTENT,
    responses={200: ("The node", "OeNode"), 404: "No such node"},
    sample_path={"name": "matrix"},
)
def get_node(name: str) -> Response:
    return json_response(nodes.get_node(unquote(name)).to_dict())


@route(
    f"{ROOT}/nodes/{{name}}",
    "Replace a node (admins)",
    methods=["PUT"],
    access=declare.ADMIN,
    content_types=ANY_CONTENT,
    body="OeNode",
    responses={200: ("The node", "OeNode"), 404: "No such node"},
    sample_path={"name": "matrix"},
    sample_body={"name": "matrix", "host": "matrix.example"},
)
def replace_node(name: str) -> Response:
    name = unquote(name)
    node = nodes.node_from_dict(parse_json_body(_request()), name=name)
    replaced = operations.perform(
        UPDATE_NODE,
        current_caller(),
        node.to_dict(),
        lambda params: nodes.replace_node(nodes.node_from_dict(params, name=name)),
    )
    return json_response(replaced.to_dict())


@route(
    f"{ROOT}/nodes/{{name}}",
    "Delete a node (admins)",
    methods=["DELETE"],
    access=declare.ADMIN,
    content_types=ANY_CONTENT,
    responses={204: "Deleted", 404: "No such node"},
    sample_path={"name": "matrix"},
)
def delete_node(name: str) -> Response:
    operations.perform(
        DELETE_NODE,
        current_caller(),
        {"name": unquote(name)},
        lambda params: nodes.delete_node(params["name"]),
    )
    return Response(body="", status_code=204)


# ---------------------------------------------------------------- every other path

# opEvents' 404 in its error shape, for any path under /omk/opEvents it does not serve.
route.not_served("/omk/opEvents/{proxy+}", text="Page not found")
