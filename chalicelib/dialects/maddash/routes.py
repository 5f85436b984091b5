"""perfSONAR MaDDash's REST API at ``/maddash``: grids, checks, results and events.

Reads are public, as MaDDash serves them; ``/maddash/admin/*`` needs an admin or an operator
granted ``maddash_admin`` (HTTP Basic, as MaDDash's Apache front end asks: 401 with
``realm="MaDDash Administrative API"``). Errors are plain text, as MaDDash's; a request error
is a 400 where MaDDash answers 500, and any other path under ``/maddash`` a plain-text 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from chalicelib.auth import permissions
from chalicelib.deferred import deferred
from chalicelib.dialects.common import (
    DialectRoutes,
    bounded_body,
    current_caller,
    json_response,
    parse_json_body,
)
from chalicelib.dialects.maddash import checks as maddash_checks
from chalicelib.dialects.maddash.checks import FILTER_KEYS
from chalicelib.dialects.maddash.wire import admin_event_uri, event_uri, window_to_wire
from chalicelib.engine import operations
from chalicelib.errors import EventServiceError, ValidationFailed
from chalicelib.openapi import declare

# Loaded when a MaDDash route runs, not when the app is imported (cold start).
if TYPE_CHECKING:
    from chalicelib.core import recurrence as maddash_recurrence
    from chalicelib.dialects.maddash import check_schedule, grid_views
    from chalicelib.dialects.maddash import config as maddash_config
    from chalicelib.dialects.maddash import results as maddash_results
    from chalicelib.dialects.maddash import windows as maintenance
else:
    check_schedule = deferred("chalicelib.dialects.maddash.check_schedule")
    grid_views = deferred("chalicelib.dialects.maddash.grid_views")
    maddash_config = deferred("chalicelib.dialects.maddash.config")
    maddash_recurrence = deferred("chalicelib.core.recurrence")
    maddash_results = deferred("chalicelib.dialects.maddash.results")
    maintenance = deferred("chalicelib.dialects.maddash.windows")

bp = Blueprint(__name__)
operations.declare(
    "maddash.config.load",
    "maddash.result.record",
    "maddash.event.create",
    "maddash.event.update",
    "maddash.event.delete",
    "maddash.schedule.update",
    # Not operations: what the scheduler records when a window starts or ends.
    "maddash.maintenance.start",
    "maddash.maintenance.end",
)
REALM = 'Basic realm="MaDDash Administrative API"'
# MaDDash admits any operator in its htpasswd file to /maddash/admin: here an admin, or a
# principal granted this permission (windows, results, rescheduling and configuration).
MADDASH_ADMIN = "maddash_admin"
permissions.register(MADDASH_ADMIN)
OPERATOR = declare.permission(MADDASH_ADMIN)
YAML_TYPES = ["application/x-yaml", "application/yaml", "text/yaml", "text/plain"]


def _render(exc: EventServiceError, status: int) -> Response:
    headers: dict[str, str | list[str]] = {"Content-Type": "text/plain; charset=utf-8"}
    if status == 401:
        headers["WWW-Authenticate"] = REALM
    return Response(body=exc.message, status_code=status, headers=headers)


# Statuses: each error's own. Access: the default authentication, AdminRequired for a non-admin.
route = DialectRoutes(bp, "maddash", render=_render)


def _names(*segments: str) -> list[str]:
    return [maddash_checks.decode_name(segment) for segment in segments]


# ---------------------------------------------------------------- grids (public)


@route(
    "/maddash/dashboards",
    "Dashboards and their grids",
    methods=["GET"],
    access=declare.PUBLIC,
    responses={200: ("Dashboards and their grids", "MdObject")},
)
def dashboards() -> Response:
    return json_response(grid_views.dashboards())


@route(
    "/maddash/grids",
    "Every grid",
    methods=["GET"],
    access=declare.PUBLIC,
    responses={200: ("Every grid", "MdObject")},
)
def grids() -> Response:
    return json_response(grid_views.grids())


@route(
    "/maddash/grids/{grid}",
    "One grid: rows, columns and statuses",
    methods=["GET"],
    access=declare.PUBLIC,
    responses={
        200: ("One grid: rows, columns and statuses", "MdObject"),
        404: "No such grid, row, column or check",
    },
)
def grid(grid: str) -> Response:
    return json_response(grid_views.grid(*_names(grid)))


@route(
    "/maddash/grids/{grid}/{row}",
    "One row of a grid",
    methods=["GET"],
    access=declare.PUBLIC,
    responses={200: ("One row of a grid", "MdObject"), 404: "No such grid, row, column or check"},
)
def grid_row(grid: str, row: str) -> Response:
    return json_response(grid_views.row(*_names(grid, row)))


@route(
    "/maddash/grids/{grid}/{row}/{col}",
    "One cell of a grid: its checks",
    methods=["GET"],
    access=declare.PUBLIC,
    responses={
        200: ("One cell of a grid: its checks", "MdObject"),
        404: "No such grid, row, column or check",
    },
)
def grid_cell(grid: str, row: str, col: str) -> Response:
    return json_response(grid_views.cell(*_names(grid, row, col)))


@route(
    "/maddash/grids/{grid}/{row}/{col}/{check}",
    "One check and its results, paged",
    methods=["GET"],
    access=declare.PUBLIC,
    query={"resultsPerPage": {"type": "integer", "minimum": 1}, "page": {"type": "integer"}},
    responses={200: ("The check", "MdObject"), 404: "No such check"},
)
def grid_check(grid: str, row: str, col: str, check: str) -> Response:
    params: Mapping[str, str] = bp.current_request.query_params or {}
    ref = maddash_checks.CheckRef(*_names(grid, row, col, check))
    return json_response(grid_views.check(ref, params.get("resultsPerPage"), params.get("page")))


@route(
    "/maddash/rows",
    "Every row name",
    methods=["GET"],
    access=declare.PUBLIC,
    responses={200: ("Every row name", "MdObject")},
)
def rows() -> Response:
    return json_response(grid_views.members("rows"))


@route(
    "/maddash/columns",
    "Every column name",
    methods=["GET"],
    access=declare.PUBLIC,
    responses={200: ("Every column name", "MdObject")},
)
def columns() -> Response:
    return json_response(grid_views.members("columns"))


@route(
    "/maddash/checks",
    "Every check name",
    methods=["GET"],
    access=declare.PUBLIC,
    responses={200: ("Every check name", "MdObject")},
)
def checks() -> Response:
    return json_response(grid_views.members("checks"))


@route(
    "/maddash/report",
    "Madalert's report on one grid (the Reports menu)",
    methods=["GET"],
    access=declare.PUBLIC,
    query={"grid": {"type": "string"}, "json": {"type": "string"}},
    responses={200: ("The report", "MdObject"), 400: "No grid named", 404: "No such grid"},
)
def grid_report() -> Response:
    params: Mapping[str, str] = bp.current_request.query_params or {}
    return json_response(grid_views.report(params.get("grid"), params.get("json")))


# ---------------------------------------------------------------- events (public reads)


@route(
    "/maddash/events",
    "Maintenance events, filtered by grid, row, column or check",
    methods=["GET"],
    access=declare.PUBLIC,
    query={
        **{name: {"type": "string"} for name in FILTER_KEYS},
        "marker": {"type": "string", "description": "continue after this event id"},
    },
    responses={200: ("Events", "MdEvents"), 400: "A bad marker"},
)
def list_events() -> Response:
    params = bp.current_request.query_params
    multi = {key: params.getlist(key) for key in params} if params else {}
    page = maintenance.windows_matching(
        maddash_checks.query_filters(multi), after=_marker(params.get("marker") if params else None)
    )
    answer: dict[str, Any] = {"events": [window_to_wire(window) for window in page.windows]}
    if page.marker is not None:
        # Beyond MaDDash: the read budget ended the listing; ?marker= continues after it.
        answer["marker"] = page.marker
    return json_response(answer)


def _marker(raw: str | None) -> int:
    if raw is None or raw == "":
        return 0
    if not raw.isdigit() or len(raw) > 12:
        raise ValidationFailed("marker must be an event id", field="marker")
    return int(raw)


@route(
    "/maddash/events/{event_id}",
    "One maintenance event with its checks",
    methods=["GET"],
    access=declare.PUBLIC,
    responses={200: ("One maintenance event with its checks", "MdObject"), 404: "No such event"},
)
def get_event(event_id: str) -> Response:
    return json_response(window_to_wire(maintenance.load_window(event_id), with_checks=True))


@route(
    "/maddash/events/{event_id}/occurrences",
    "When an event is on between two times (recurring ones expanded in their zone; beyond MaDDash)",
    methods=["GET"],
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
def event_occurrences(event_id: str) -> Response:
    """Beyond MaDDash: when a window is on within ``from``..``to`` (a calendar's month);
    a recurring rule is expanded here, in its own time zone."""
    params: Mapping[str, str] = bp.current_request.query_params or {}
    begin, end = maddash_recurrence.parse_span(params.get("from"), params.get("to"))
    found, more = maddash_recurrence.occurrences_between(
        maintenance.load_window(event_id).timing, begin, end
    )
    spans = [{"startTime": start, "endTime": stop} for start, stop in found]
    return json_response({"occurrences": spans, "truncated": more})


# ---------------------------------------------------------------- admin


def _window_summary(window: Any) -> dict[str, Any]:
    return {"id": window.id, "uri": event_uri(window.id), "checks": len(window.checks)}


@route(
    "/maddash/admin/events",
    "Create a maintenance event (operators)",
    methods=["POST"],
    access=OPERATOR,
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
def create_event() -> Response:
    caller = current_caller()
    body = parse_json_body(bp.current_request)
    window = operations.perform(
        "maddash.event.create",
        caller,
        body if isinstance(body, dict) else {"body": body},
        lambda params: maintenance.create_window(params, created_by=caller.username),
        describe=_window_summary,
    )
    # MaDDash's code answers the admin path it was posted to; DELETE base + uri works.
    return json_response({"uri": admin_event_uri(window.id)})


@route(
    "/maddash/admin/events/{event_id}",
    "One maintenance event with its checks, at the URI its creation answered (operators)",
    methods=["GET"],
    access=OPERATOR,
    responses={200: ("One maintenance event with its checks", "MdObject"), 404: "No such event"},
    sample_path={"event_id": "1"},
)
def get_admin_event(event_id: str) -> Response:
    return json_response(window_to_wire(maintenance.load_window(event_id), with_checks=True))


@route(
    "/maddash/admin/events/{event_id}",
    "Change a maintenance event (operators)",
    methods=["PUT"],
    access=OPERATOR,
    body={"type": "object"},
    responses={200: ("The event", "MdObject"), 404: "No such event"},
    sample_path={"event_id": "1"},
    sample_body={"name": "matrix-renamed"},
)
def edit_event(event_id: str) -> Response:
    caller = current_caller()
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


@route(
    "/maddash/admin/events/{event_id}",
    "Delete a maintenance event (operators)",
    methods=["DELETE"],
    access=OPERATOR,
    responses={200: ("Deleted", "MdDeleted"), 404: "No such event"},
    sample_path={"event_id": "1"},
)
def remove_event(event_id: str) -> Response:
    caller = current_caller()
    operations.perform(
        "maddash.event.delete",
        caller,
        {"id": event_id},
        lambda params: maintenance.delete_window(params["id"]),
        describe=_window_summary,
    )
    return json_response({"status": 0, "message": "Successfully deleted event"})


@route(
    "/maddash/admin/schedule",
    "Reschedule the matched checks: set their nextCheckTime (operators)",
    methods=["POST"],
    access=OPERATOR,
    body={"type": "object"},
    responses={200: ("{status, checkUpdateCount, message}", "MdObject")},
    sample_body={"checkFilters": {"gridName": "matrix"}, "nextCheckTime": 4102444800},
)
def reschedule_checks() -> Response:
    caller = current_caller()
    body = parse_json_body(bp.current_request)
    return json_response(
        operations.perform(
            "maddash.schedule.update",
            caller,
            body if isinstance(body, dict) else {"body": body},
            check_schedule.reschedule,
        )
    )


@route(
    "/maddash/admin/results",
    "Record a check result (operators)",
    methods=["POST"],
    access=OPERATOR,
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
def post_result() -> Response:
    caller = current_caller()
    body = parse_json_body(bp.current_request)
    maddash_results.parse_result(body)  # refuse a malformed result before pre handlers see it

    def record(params: dict[str, Any]) -> dict[str, Any]:
        return maddash_results.record_result(*maddash_results.parse_result(params))

    return json_response(operations.perform("maddash.result.record", caller, body, record))


@route(
    "/maddash/admin/config",
    "Load a MaDDash configuration: grids, groups and checks (operators)",
    methods=["POST"],
    content_types=["application/json", *YAML_TYPES],
    access=OPERATOR,
    body={"type": "object"},
    body_types=["application/json", "application/x-yaml"],
    responses={200: ("Counts of what was loaded", "MdObject")},
    sample_body={"grids": []},
)
def load_config() -> Response:
    caller = current_caller()
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


# ---------------------------------------------------------------- every other path

# MaDDash's 404 for a path it does not serve (``DialectRoutes.not_served``): the greedy
# ``/maddash/{proxy+}`` catches every depth below ``/maddash`` (in API Gateway, and locally
# through ``local.routing``); ``/maddash`` itself is one more resource.
route.not_served("/maddash", "/maddash/{proxy+}", text="Resource not found")
