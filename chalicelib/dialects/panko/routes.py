"""OpenStack Panko V2 events API (``/v2``), compatible with pankoclient, plus ingest.

Read routes mimic Panko: ``/v2/capabilities`` (no auth), ``/v2/event_types…`` (admin only),
``/v2/events`` and ``/v2/events/{message_id}`` (visibility by project and user). Collection
URLs also answer with a trailing slash: API Gateway and Chalice's local gateway strip it
before routing. ``POST /v2/events`` (beyond Panko) records events in Panko's Event shape.
Errors are Panko's ``{"error_message": {faultcode, faultstring, debuginfo}}`` (or XML).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from chalice import Blueprint, Response

from chalicelib.auth import permissions
from chalicelib.auth.identity import TOKEN_HEADERS, from_gateway
from chalicelib.auth.principal import Principal
from chalicelib.deferred import deferred
from chalicelib.dialects.common import (
    DialectRoutes,
    authenticated_principal,
    bounded_body,
    current_caller,
    decode_json,
    to_response,
)
from chalicelib.dialects.panko import wire as panko_wire
from chalicelib.dialects.panko.wire import Fault
from chalicelib.engine import operations
from chalicelib.errors import (
    AuthenticationFailed,
    EventServiceError,
    PermissionDenied,
    ValidationFailed,
)
from chalicelib.openapi import declare
from chalicelib.settings import get_settings

# Loaded when a Panko route runs, not when the app is imported (cold start).
if TYPE_CHECKING:
    from chalicelib.core import catalog, events
    from chalicelib.dialects.panko import ingest as panko_ingest
    from chalicelib.dialects.panko import query as panko_query
else:
    catalog = deferred("chalicelib.core.catalog")
    events = deferred("chalicelib.core.events")
    panko_ingest = deferred("chalicelib.dialects.panko.ingest")
    panko_query = deferred("chalicelib.dialects.panko.query")

bp = Blueprint(__name__)

INGEST_OPERATION = "panko.events.ingest"
operations.declare(INGEST_OPERATION)

RBAC_FAILED = "RBAC Authorization Failed"
NEXT_MARKER_HEADER = "X-Event-Service-Next-Marker"
NOT_FOUND = "The resource could not be found."
AUTH_REQUIRED = "The request you have made requires authentication."
# Panko's routes take bodies of any type on GET (WSME answers 415 itself): let them through.
ANY_CONTENT = ["*/*"]


def _render_error(exc: EventServiceError, status: int) -> Response:
    message = exc.message
    if isinstance(exc, AuthenticationFailed) and exc.reason == "missing":
        message = AUTH_REQUIRED
    response = to_response(panko_wire.render_fault(message, status, _accept()))
    if isinstance(exc, AuthenticationFailed):
        response.headers["WWW-Authenticate"] = 'Basic realm="event-service"'
    return response


# ---------------------------------------------------------------- request helpers


def _accept() -> str | None:
    request = bp.current_request
    return request.headers.get("accept") if request is not None else None


def _respond(body: Any, status: int = 200) -> Response:
    return to_response(panko_wire.render(body, _accept(), status))


def _arguments(allowed: tuple[str, ...] = ()) -> panko_query.Arguments:
    request = bp.current_request
    params = request.query_params
    multi = {name: params.getlist(name) for name in params} if params else {}
    return panko_query.collect_arguments(
        multi, bounded_body(request), request.headers.get("content-type"), allowed
    )


def _from_gateway_headers(headers: Any) -> bool:
    """True when the identity comes from trusted X-User-Id/X-Project-Id/X-Roles headers."""
    return from_gateway(headers) and not any(headers.get(name) for name in TOKEN_HEADERS)


def _authenticate(request: Any) -> Principal:
    """The authenticated caller; ``requires_context`` for identities from gateway headers.

    Panko (and so a gateway-header identity) needs both a user and a project, else 403. A
    principal of this service always has a user; one without a project (the local admin, for
    instance) is treated as belonging to no project: it sees events that have none.
    """
    principal = authenticated_principal(request)
    if _from_gateway_headers(request.headers) and not (
        request.headers.get("x-user-id") and request.headers.get("x-project-id")
    ):
        raise PermissionDenied(RBAC_FAILED)
    return principal


# ---------------------------------------------------------------- the caller guard


def _not_authorized(principal: Principal) -> EventServiceError:
    """``requires_admin``: Panko answers a non-admin 401 naming their project."""
    return Fault(f"Not Authorized to access project {principal.project_id}", 401)


def _rbac_failed(principal: Principal, permission: str) -> EventServiceError:
    return PermissionDenied(RBAC_FAILED, permission=permission)


route = DialectRoutes(
    bp,
    "panko",
    render=_render_error,
    authenticate=_authenticate,
    admin_refusal=_not_authorized,
    permission_refusal=_rbac_failed,
)
# Panko's ``requires_admin`` asks for no user/project context (``requires_context`` guards
# only the events): its admin routes authenticate without the gateway-header rule.
admin_route = DialectRoutes(bp, "panko", render=_render_error, admin_refusal=_not_authorized)


def _visibility(principal: Principal) -> events.Visibility:
    """Panko's RBAC as a store visibility.

    An admin sees the events of their project and those of no project; anyone else only the
    events of their own project and user.
    """
    if principal.is_admin:
        return events.Visibility(project=principal.project_id)
    return events.Visibility(project=principal.project_id, user=principal.user_id)


def _base_url() -> str:
    """Panko's ``application_url``: scheme, host and any stage or mapping prefix."""
    request = bp.current_request
    scheme = (request.headers.get("x-forwarded-proto") or "http").split(",")[0].strip()
    host = request.headers.get("host") or "localhost"
    prefix = (request.context.get("path") or "/").rstrip("/")  # this route is "/"
    return f"{scheme}://{host}{prefix}"


# ---------------------------------------------------------------- routes


@route(
    "/",
    "API versions",
    access=declare.PUBLIC,
    content_types=ANY_CONTENT,
    responses={200: ("Versions", "PankoVersions")},
)
def versions() -> Response:
    return to_response(panko_wire.render(panko_wire.versions(_base_url()), None))


@route(
    "/v2",
    "No index (always 404, as Panko)",
    access=declare.PUBLIC,
    content_types=ANY_CONTENT,
    responses={404: "Always"},
)
def v2_root() -> Response:
    raise Fault(NOT_FOUND, 404)  # Panko's /v2 has no index


@route(
    "/v2/capabilities",
    "Capabilities",
    access=declare.PUBLIC,
    content_types=ANY_CONTENT,
    responses={200: ("Capabilities", "PankoCapabilities")},
    response_types=declare.JSON_OR_XML,
)
def capabilities() -> Response:
    _arguments()
    return _respond(panko_wire.capabilities())


@admin_route(
    "/v2/event_types",
    "Event types",
    access=declare.ADMIN,
    content_types=ANY_CONTENT,
    responses={200: ("Names", "PankoEventTypes")},
    response_types=declare.JSON_OR_XML,
)
def list_event_types() -> Response:
    _arguments()
    return _respond(catalog.list_event_types())


@admin_route(
    "/v2/event_types/{event_type}",
    "An event type (unused in Panko: always 404)",
    access=declare.ADMIN,
    content_types=ANY_CONTENT,
    responses={404: "Always"},
    response_types=declare.JSON_OR_XML,
)
def get_event_type(event_type: str) -> Response:
    raise Fault(NOT_FOUND, 404)  # "Unused API, will always return 404."


@admin_route(
    "/v2/event_types/{event_type}/traits",
    "Trait descriptions of an event type",
    access=declare.ADMIN,
    content_types=ANY_CONTENT,
    responses={200: ("Traits", "PankoTraitDescriptions")},
    response_types=declare.JSON_OR_XML,
)
def list_trait_descriptions(event_type: str) -> Response:
    _arguments()
    pairs = catalog.list_trait_descriptions(unquote(event_type))
    return _respond([panko_wire.trait_description_to_wire(name, kind) for name, kind in pairs])


@admin_route(
    "/v2/event_types/{event_type}/traits/{trait_name}",
    "Trait values of an event type",
    access=declare.ADMIN,
    content_types=ANY_CONTENT,
    responses={200: ("Traits", "PankoTraits")},
    response_types=declare.JSON_OR_XML,
)
def list_trait_instances(event_type: str, trait_name: str) -> Response:
    _arguments()
    found = events.list_trait_instances(unquote(event_type), unquote(trait_name))
    return _respond([panko_wire.trait_to_wire(trait) for trait in found])


@route(
    "/v2/events",
    "Events visible to the caller",
    access=declare.AUTHENTICATED,
    content_types=ANY_CONTENT,
    query="PankoListQuery",
    responses={200: ("Events", "PankoEvents")},
    response_types=declare.JSON_OR_XML,
)
def list_events() -> Response:
    principal = current_caller()
    query = panko_query.event_query(
        _arguments(panko_query.LIST_ARGUMENTS),
        visibility=_visibility(principal),
        admin=principal.is_admin,  # an admin's all_tenants lifts the visibility
        default_limit=get_settings().panko_default_limit,
        max_limit=get_settings().panko_max_limit,
    )
    page = events.list_page(query)
    response = _respond([panko_wire.event_to_wire(event) for event in page.events])
    if page.ended_early and page.next_marker:
        # The read budget ended the page: the last event is the marker that continues it.
        response.headers[NEXT_MARKER_HEADER] = page.next_marker
    return response


@route(
    "/v2/events/{message_id}",
    "One event",
    access=declare.AUTHENTICATED,
    content_types=ANY_CONTENT,
    responses={200: ("Event", "PankoEvent"), 404: "Not visible or none"},
    response_types=declare.JSON_OR_XML,
)
def get_event(message_id: str) -> Response:
    principal = current_caller()
    _arguments()
    event = events.get_event(unquote(message_id), _visibility(principal))
    return _respond(panko_wire.event_to_wire(event))


@route(
    "/v2/events",
    "Record events (beyond Panko)",
    methods=["POST"],
    access=declare.permission(permissions.EVENTS_INGEST),
    content_types=ANY_CONTENT,
    body="PankoNewEvents",
    responses={201: ("Stored and duplicate ids", "PankoIngested")},
    response_types=declare.JSON_OR_XML,
    sample_body={"event_type": "matrix.event", "traits": []},
)
def ingest_events() -> Response:
    """Record one event or a list of them; 201 with the stored and the duplicate message ids.

    All events are validated before any is written; a message id already stored is skipped
    and reported, never overwritten.
    """
    principal = current_caller()
    owner = panko_ingest.Owner(
        username=principal.username,
        project_id=principal.project_id,
        user_id=principal.user_id,
        admin=principal.is_admin,
    )
    body = _ingest_body(bp.current_request)
    events.check_batch_size(len(body) if isinstance(body, list) else 1)
    wire = [panko_ingest.normalise(item) for item in (body if isinstance(body, list) else [body])]
    panko_ingest.events_from_wire(wire, owner)  # refuse invalid input before any handler runs

    def store(params: dict[str, Any]) -> events.RecordResult:
        items = params.get("events", wire)
        if not isinstance(items, list):
            raise ValidationFailed("Request must be a JSON dict or a list of JSON dicts")
        return events.record_events(panko_ingest.events_from_wire(items, owner))

    result = operations.ingest(INGEST_OPERATION, principal, {"events": wire}, store)
    return _respond({"stored": result.stored, "duplicates": result.duplicates}, 201)


def _ingest_body(request: Any) -> Any:
    mimetype = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    if mimetype not in panko_query.JSON_BODY_TYPES:
        raise Fault(f"Unknown mimetype: {mimetype}", 415)
    return decode_json(bounded_body(request), "Request is not in valid JSON format")


# ---------------------------------------------------------------- every other path

# Panko's (Pecan's) 404 in its error shape, for any path under /v2 it does not serve.
route.not_served("/v2/{proxy+}", text="The resource could not be found.")
