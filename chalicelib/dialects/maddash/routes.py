"""perfSONAR MaDDash's REST API at ``/maddash``: grids, checks, results and events.

Reads are public, as MaDDash serves them; ``/maddash/admin/*`` needs an admin (HTTP Basic,
as MaDDash's Apache front end asks: 401 with ``realm="MaDDash Administrative API"``).
Errors are plain text, as MaDDash's; a request error is a 400 where MaDDash answers 500.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.auth.principal import Principal
from chalicelib.deferred import deferred
from chalicelib.dialects.common import (
    authenticated_principal,
    bounded_body,
    error_boundary,
    json_response,
    parse_json_body,
    require_admin,
)
from chalicelib.dialects.maddash import checks as maddash_checks
from chalicelib.dialects.maddash.checks import FILTER_KEYS
from chalicelib.dialects.maddash.wire import event_uri, window_to_wire
from chalicelib.engine import operations
from chalicelib.errors import (
    EventServiceError,
)
from chalicelib.openapi import declare

bp = Blueprint(__name__)
# Loaded when a MaDDash route runs, not when the app is imported (cold start).
grid_views = deferred("chalicelib.dialects.maddash.grid_views")
maddash_config = deferred("chalicelib.dialects.maddash.config")
maddash_recurrence = deferred("chalicelib.core.recurrence")
maddash_results = deferred("chalicelib.dialects.maddash.results")
maintenance = deferred("chalicelib.dialects.maddash.windows")
operations.declare(
    "maddash.config.load",
    "maddash.result.record",
    "maddash.event.create",
    "maddash.event.update",
    "maddash.event.delete",
    # Not operations: what the scheduler records when a window starts or ends.
    "maddash.maintenance.start",
    "maddash.maintenance.end",
)
REALM = 'Basic realm="MaDDash Administrative API"'
YAML_TYPES = ["application/x-yaml", "application/yaml", "text/yaml", "text/plain"]


def _render(exc: EventServiceError, status: int) -> Response:
    headers = {"Content-Type": "text/plain; charset=utf-8"}
    if status == 401:
        headers["WWW-Authenticate"] = REALM
    return Response(body=exc.message, status_code=status, headers=headers)


maddash_errors = error_boundary(_render)  # statuses: each error's own


def _admin() -> Principal:
    principal = authenticated_principal(bp.current_request)
    require_admin(principal)
    return principal


def _names(*segments: str) -> list[str]:
    return [maddash_checks.decode_name(segment) for segment in segments]


# ---------------------------------------------------------------- grids (public)


@bp.route("/maddash/dashboards", methods=["GET"])
@declare.route(
    "maddash",
    "Dashboards and their grids",
    access=declare.PUBLIC,
    responses={200: ("Dashboards and their grids", "MdObject")},
)
@maddash_errors
def dashboards() -> Response:
    return json_response(grid_views.dashboards())


@bp.route("/maddash/grids", methods=["GET"])
@declare.route(
    "maddash",
    "Every grid",
    access=declare.PUBLIC,
    responses={200: ("Every grid", "MdObject")},
)
@maddash_errors
def grids() -> Response:
    return json_response(grid_views.grids())


@bp.route("/maddash/grids/{grid}", methods=["GET"])
@declare.route(
    "maddash",
    "One grid: rows, columns and statuses",
    access=declare.PUBLIC,
    responses={
        200: ("One grid: rows, columns and statuses", "MdObject"),
        404: "No such grid, row, column or check",
    },
)
@maddash_errors
def grid(grid: str) -> Response:
    return json_response(grid_views.grid(*_names(grid)))


@bp.route("/maddash/grids/{grid}/{row}", methods=["GET"])
@declare.route(
    "maddash",
    "One row of a grid",
    access=declare.PUBLIC,
    responses={200: ("One row of a grid", "MdObject"), 404: "No such grid, row, column or check"},
)
@maddash_errors
def grid_row(grid: str, row: str) -> Response:
    return json_response(grid_views.row(*_names(grid, row)))


@bp.route("/maddash/grids/{grid}/{row}/{col}", methods=["GET"])
@declare.route(
    "maddash",
    "One cell of a grid: its checks",
    access=declare.PUBLIC,
    responses={
        200: ("One cell of a grid: its checks", "MdObject"),
        404: "No such grid, row, column or check",
    },
)
@maddash_errors
def grid_cell(grid: str, row: str, col: str) -> Response:
    return json_response(grid_views.cell(*_names(grid, row, col)))


@bp.route("/maddash/grids/{grid}/{row}/{col}/{check}", methods=["GET"])
@declare.route(
    "maddash",
    "One check and its results, paged",
    access=declare.PUBLIC,
    query={"resultsPerPage": {"type": "integer", "minimum": 1}, "page": {"type": "integer"}},
    responses={200: ("The check", "MdObject"), 404: "No such check"},
)
@maddash_errors
def grid_check(grid: str, row: str, col: str, check: str) -> Response:
    params = bp.current_request.query_params or {}
    ref = maddash_checks.CheckRef(*_names(grid, row, col, check))
    return json_response(grid_views.check(ref, params.get("resultsPerPage"), params.get("page")))


@bp.route("/maddash/rows", methods=["GET"])
@declare.route(
    "maddash",
    "Every row name",
    access=declare.PUBLIC,
    responses={200: ("Every row name", "MdObject")},
)
@maddash_errors
def rows() -> Response:
    return json_response(grid_views.members("rows"))


@bp.route("/maddash/columns", methods=["GET"])
@declare.route(
    "maddash",
    "Every column name",
    access=declare.PUBLIC,
    responses={200: ("Every column name", "MdObject")},
)
@maddash_errors
def columns() -> Response:
    return json_response(grid_views.members("columns"))


@bp.route("/maddash/checks", methods=["GET"])
@declare.route(
    "maddash",
    "Every check name",
    access=declare.PUBLIC,
    responses={200: ("Every check name", "MdObject")},
)
@maddash_errors
def checks() -> Response:
    return json_response(grid_views.members("checks"))


# ---------------------------------------------------------------- events (public reads)


@bp.route("/maddash/events", methods=["GET"])
@declare.route(
    "maddash",
    "Maintenance events, filtered by grid, row, column or check",
    access=declare.PUBLIC,
    query={name: {"type": "string"} for name in FILTER_KEYS},
    responses={200: ("Events", "MdEvents")},
)
@maddash_errors
def list_events() -> Response:
    params = bp.current_request.query_params
    multi = {key: params.getlist(key) for key in params} if params else {}
    windows = maintenance.windows_matching(maddash_checks.query_filters(multi))
    return json_response({"events": [window_to_wire(window) for window in windows]})


@bp.route("/maddash/events/{event_id}", methods=["GET"])
@declare.route(
    "maddash",
    "One maintenance event with its checks",
    access=declare.PUBLIC,
    responses={200: ("One maintenance event with its checks", "MdObject"), 404: "No such event"},
)
@maddash_errors
def get_event(event_id: str) -> Response:
    return json_response(window_to_wire(maintenance.load_window(event_id), with_checks=True))


@bp.route("/maddash/events/{event_id}/occurrences", methods=["GET"])
@declare.route(
    "maddash",
    "When an event is on between two times (recurring ones expanded in their zone; beyond MaDDash)",
    access=declare.PUBLIC,
    query={
        "from": {"type": "integer", "description": "UNIX seconds"},
        "to": {"type": "integer", "description": "UNIX seconds; at most 62 days after from"},
    },
    responses={
        200: (
            "Its occurrences",
            {
                "type": "object",
                "properties": {
                    "occurrences": {"type": "array", "items": {"type": "object"}},
                    "truncated": {"type": "boolean"},
                },
            },
        ),
        400: "A bad range",
        404: "No such event",
    },
)
@maddash_errors
def event_occurrences(event_id: str) -> Response:
    """Beyond MaDDash: when a window is on within ``from``..``to`` (a calendar's month);
    a recurring rule is expanded here, in its own time zone."""
    params = bp.current_request.query_params or {}
    begin, end = maddash_recurrence.parse_span(params.get("from"), params.get("to"))
    found, more = maddash_recurrence.occurrences_between(
        maintenance.load_window(event_id).timing, begin, end
    )
    spans = [{"startTime": start, "endTime": stop} for start, stop in found]
    return json_response({"occurrences": spans, "truncated": more})


# ---------------------------------------------------------------- admin


def _window_summary(window: Any) -> dict[str, Any]:
    return {"id": window.id, "uri": event_uri(window.id), "checks": len(window.checks)}


@bp.route("/maddash/admin/events", methods=["POST"])
@declare.route(
    "maddash",
    "Create a maintenance event (admins)",
    access=declare.ADMIN,
    body={"type": "object"},
    responses={200: ("Its URI", "MdUri")},
    sample_body={
        "name": "matrix",
        "startTime": 4102444800,
        "endTime": 4102448400,
        "changeStatus": 0,
        "checks": [],
        "coverNewChecks": True,
    },
)
@maddash_errors
def create_event() -> Response:
    caller = _admin()
    body = parse_json_body(bp.current_request)
    window = operations.perform(
        "maddash.event.create",
        caller,
        body if isinstance(body, dict) else {"body": body},
        lambda params: maintenance.create_window(params, created_by=caller.username),
        describe=_window_summary,
    )
    return json_response({"uri": event_uri(window.id)})


@bp.route("/maddash/admin/events/{event_id}", methods=["PUT"])
@declare.route(
    "maddash",
    "Change a maintenance event (admins)",
    access=declare.ADMIN,
    body={"type": "object"},
    responses={200: ("The event", "MdObject"), 404: "No such event"},
    sample_path={"event_id": "1"},
    sample_body={"name": "matrix-renamed"},
)
@maddash_errors
def edit_event(event_id: str) -> Response:
    caller = _admin()
    body = parse_json_body(bp.current_request)
    params = {"id": event_id, **(body if isinstance(body, dict) else {"body": body})}
    window = operations.perform(
        "maddash.event.update",
        caller,
        params,
        lambda p: maintenance.update_window(event_id, {k: v for k, v in p.items() if k != "id"}),
        describe=_window_summary,
    )
    return json_response(window_to_wire(window, with_checks=True))


@bp.route("/maddash/admin/events/{event_id}", methods=["DELETE"])
@declare.route(
    "maddash",
    "Delete a maintenance event (admins)",
    access=declare.ADMIN,
    responses={200: ("Deleted", "MdDeleted"), 404: "No such event"},
    sample_path={"event_id": "1"},
)
@maddash_errors
def remove_event(event_id: str) -> Response:
    caller = _admin()
    operations.perform(
        "maddash.event.delete",
        caller,
        {"id": event_id},
        lambda params: maintenance.delete_window(params["id"]),
        describe=_window_summary,
    )
    return json_response({"status": 0, "message": "Successfully deleted event"})


@bp.route("/maddash/admin/results", methods=["POST"])
@declare.route(
    "maddash",
    "Record a check result (admins)",
    access=declare.ADMIN,
    body={"type": "object"},
    responses={200: ("What changed", "MdObject")},
    sample_body={
        "gridName": "matrix",
        "rowName": "a",
        "columnName": "b",
        "checkName": "c",
        "status": 0,
    },
)
@maddash_errors
def post_result() -> Response:
    caller = _admin()
    body = parse_json_body(bp.current_request)
    maddash_results.parse_result(body)  # refuse a malformed result before pre handlers see it

    def record(params: dict[str, Any]) -> dict[str, Any]:
        return maddash_results.record_result(*maddash_results.parse_result(params))

    return json_response(operations.perform("maddash.result.record", caller, body, record))


@bp.route(
    "/maddash/admin/config",
    methods=["POST"],
    content_types=["application/json", *YAML_TYPES],
)
@declare.route(
    "maddash",
    "Load a MaDDash configuration: grids, groups and checks (admins)",
    access=declare.ADMIN,
    body={"type": "object"},
    body_types=["application/json", "application/x-yaml"],
    responses={200: ("Counts of what was loaded", "MdObject")},
    sample_body={"grids": []},
)
@maddash_errors
def load_config() -> Response:
    caller = _admin()
    request = bp.current_request
    as_json = (request.headers.get("content-type") or "").startswith("application/json")
    config = maddash_config.parse_config_text(bounded_body(request), as_json=as_json)
    grids = (
        [g.get("name") for g in config.get("grids") or [] if isinstance(g, dict)]
        if isinstance(config, dict)
        else []
    )
    counts = operations.perform(
        "maddash.config.load",
        caller,
        {"grids": grids},
        lambda params: maddash_config.apply_config(config),
        describe=lambda counts: counts,
    )
    return json_response(counts)
