"""ProcessMaker 3.x REST API (``/api/1.0/{workspace}``): OAuth, designer, events, cases, log.

The token endpoint is also served where ProcessMaker documents it, ``/{workspace}/oauth2/token``.
Every other route needs credentials (Bearer from ``oauth2/token``, or HTTP Basic) of a member
of the workspace (a token from another workspace's ``oauth2/token`` is refused: 401), and a
ProcessMaker right: ``PM_FACTORY`` for projects, triggers, events and the execution log,
``PM_CASES`` for cases (admins hold both). Each route's ``access`` is both its declaration
and its guard (``DialectRoutes``), so a body reads its caller with ``current_caller()``.
Errors leave in Restler's shape (``wire.render_error``). Mutating routes go through
``engine/operations.perform``; the timed execution of events is ``engine/processmaker_jobs``.
API Gateway and ``chalice local`` accept the ``1.0`` path part as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from chalicelib.auth.permissions import PM_CASES, PM_FACTORY
from chalicelib.auth.principal import Principal
from chalicelib.deferred import deferred
from chalicelib.dialects.common import DialectRoutes, current_caller, json_response, to_response
from chalicelib.dialects.processmaker import wire
from chalicelib.engine import operations
from chalicelib.errors import AuthenticationFailed
from chalicelib.openapi import declare

# Loaded when a ProcessMaker route runs, not when the app is imported (cold start).
if TYPE_CHECKING:
    from chalicelib.core import secret_options
    from chalicelib.core.handler_rules import HandlerRules
    from chalicelib.dialects.processmaker import cases, designer, executions
    from chalicelib.dialects.processmaker import events as pm_events
else:
    secret_options = deferred("chalicelib.core.secret_options")
    cases = deferred("chalicelib.dialects.processmaker.cases")
    designer = deferred("chalicelib.dialects.processmaker.designer")
    pm_events = deferred("chalicelib.dialects.processmaker.events")
    executions = deferred("chalicelib.dialects.processmaker.executions")

bp = Blueprint(__name__)

BASE = "/api/1.0/{workspace}"
BODY_TYPES = ["application/json", "application/x-www-form-urlencoded", "text/plain"]
OPERATIONS = {
    name: f"processmaker.{name}"
    for name in (
        "project.create",
        "project.delete",
        "trigger.create",
        "trigger.update",
        "trigger.delete",
        "event.create",
        "event.update",
        "event.delete",
        "case.start",
        "case.variables",
        "case.route",
    )
}
operations.declare(*OPERATIONS.values())


def _in_workspace(caller: Principal, path: Mapping[str, Any]) -> None:
    """A workspace is a tenant: its routes admit only its members (admins belong to all), and
    a token issued by one workspace's ``oauth2/token`` only there. Anyone else is, as in
    ProcessMaker where each workspace has its own users, unknown here: 401."""
    workspace = str(path.get("workspace") or "")
    if caller.token_workspace is not None and caller.token_workspace != workspace:
        raise AuthenticationFailed(
            f"the token was issued for another workspace than {workspace}", reason="invalid"
        )
    if not caller.in_workspace(workspace):
        raise AuthenticationFailed(
            f"{caller.username} does not belong to the workspace {workspace}", reason="invalid"
        )


# Every route under BASE, taking the body types ProcessMaker clients send; each admits only
# the workspace's members.
route = DialectRoutes(
    bp,
    "processmaker",
    render=wire.render_error,
    overrides=wire.STATUS_OVERRIDES,
    prefix=BASE,
    content_types=BODY_TYPES,
    tenant=_in_workspace,
)


def _query(name: str) -> str | None:
    params = bp.current_request.query_params
    return params.get(name) if params else None


def _perform(name: str, caller: Principal, params: dict[str, Any], action, describe=None):
    return operations.perform(OPERATIONS[name], caller, params, action, describe=describe)


def _without(params: dict[str, Any], *names: str) -> dict[str, Any]:
    return {key: value for key, value in params.items() if key not in names}


# ---------------------------------------------------------------- OAuth


TOKEN_BODY_TYPES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
# ProcessMaker serves its token endpoint at ``/{workspace}/oauth2/token``, outside the REST
# API's base; clients use both.
workspace_root = DialectRoutes(
    bp,
    "processmaker",
    render=wire.render_error,
    overrides=wire.STATUS_OVERRIDES,
    content_types=TOKEN_BODY_TYPES,
)


def _token(workspace: str) -> Response:
    from chalicelib.dialects.processmaker import oauth as processmaker_oauth

    request = bp.current_request
    granted = processmaker_oauth.issue(
        workspace, wire.token_params(request), wire.client_basic(request)
    )
    return json_response(granted, headers={"Cache-Control": "no-store"})


@route(
    "/oauth2/token",
    "OAuth 2.0 token: password or refresh_token grant",
    methods=["POST"],
    access=declare.PUBLIC,
    content_types=TOKEN_BODY_TYPES,
    body="PmTokenRequest",
    body_types=TOKEN_BODY_TYPES,
    responses={200: ("A token", "PmToken")},
)
def token(workspace: str) -> Response:
    """OAuth 2.0 password and refresh_token grants."""
    return _token(workspace)


@workspace_root(
    "/{workspace}/oauth2/token",
    "OAuth 2.0 token at ProcessMaker's documented URL (outside /api/1.0)",
    methods=["POST"],
    access=declare.PUBLIC,
    body="PmTokenRequest",
    body_types=TOKEN_BODY_TYPES,
    responses={200: ("A token", "PmToken")},
)
def workspace_token(workspace: str) -> Response:
    """The same grants as ``/api/1.0/{workspace}/oauth2/token``."""
    return _token(workspace)


# ---------------------------------------------------------------- projects


@route(
    "/project",
    "Every project of the workspace",
    access=declare.permission(PM_FACTORY),
    responses={200: ("Projects", "PmList")},
)
def list_projects(workspace: str) -> Response:
    return json_response(designer.list_projects(workspace))


@route(
    "/project",
    "Create a project (PM_FACTORY)",
    methods=["POST"],
    access=declare.permission(PM_FACTORY),
    body={"type": "object"},
    sample_body={"prj_name": "matrix"},
    responses={201: ("The project (an imported structure: its uid map)", "PmCreatedProject")},
)
def create_project(workspace: str) -> Response:
    caller = current_caller()
    body = wire.json_object(bp.current_request)
    project = _perform(
        "project.create",
        caller,
        {**body, "workspace": workspace},
        lambda p: designer.create_project(p["workspace"], _without(p, "workspace")),
        describe=lambda project: {"prj_uid": project["prj_uid"]},
    )
    return json_response(designer.creation_answer(project), 201)


@route(
    "/project/{prj_uid}",
    "One project",
    access=declare.permission(PM_FACTORY),
    responses={200: ("The project", "PmObject")},
)
def get_project(workspace: str, prj_uid: str) -> Response:
    return json_response(designer.get_project(workspace, prj_uid))


@route(
    "/project/{prj_uid}",
    "Delete a project (PM_FACTORY)",
    methods=["DELETE"],
    access=declare.permission(PM_FACTORY),
    responses={200: "Done (no body)"},
)
def delete_project(workspace: str, prj_uid: str) -> Response:
    caller = current_caller()
    _perform(
        "project.delete",
        caller,
        {"workspace": workspace, "prj_uid": prj_uid},
        lambda p: designer.delete_project(p["workspace"], p["prj_uid"]),
    )
    return to_response(wire.empty_ok())


# ---------------------------------------------------------------- triggers


def _rules() -> HandlerRules:
    from chalicelib.engine.modules.base import module_rules  # loaded when a trigger is used

    return module_rules()


def _secret_keys(body: dict[str, Any]) -> frozenset[str]:
    module, action = body.get("tri_handlermodule"), body.get("tri_action")
    if not (isinstance(module, str) and isinstance(action, str)):
        return frozenset()
    return _rules().secret_options(module, action)


def _masked(trigger: dict[str, Any]) -> dict[str, Any]:
    return designer.masked_trigger(trigger, _secret_keys(trigger))


def _secrets_apart(body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The trigger body with its secret options masked, and those secrets.

    The masked body is what ``pre`` handlers and the operation's event see; the store gets the
    secrets back (``secret_options.restored``), so a secret never reaches ``/v2/events`` or a log.
    """
    options = body.get("tri_options")
    if not isinstance(options, dict):
        return body, {}
    shown, secrets = secret_options.split(options, _secret_keys(body))
    return {**body, "tri_options": shown}, secrets


def _secrets_restored(body: dict[str, Any], secrets: dict[str, Any]) -> dict[str, Any]:
    options = body.get("tri_options")
    if not secrets or not isinstance(options, dict):
        return body
    return {**body, "tri_options": secret_options.restored(options, secrets)}


@route(
    "/project/{prj_uid}/triggers",
    "The project's triggers",
    access=declare.permission(PM_FACTORY),
    responses={200: ("Triggers", "PmList")},
)
def list_triggers(workspace: str, prj_uid: str) -> Response:
    return json_response([_masked(t) for t in designer.list_triggers(workspace, prj_uid)])


@route(
    "/project/{prj_uid}/trigger",
    "Create a trigger (PM_FACTORY)",
    methods=["POST"],
    access=declare.permission(PM_FACTORY),
    body={"type": "object"},
    sample_body={"tri_title": "matrix"},
    responses={201: ("The trigger", "PmObject")},
)
def create_trigger(workspace: str, prj_uid: str) -> Response:
    caller = current_caller()
    body, secrets = _secrets_apart(wire.json_object(bp.current_request))
    validate = _rules()
    trigger = _perform(
        "trigger.create",
        caller,
        {**body, "workspace": workspace, "prj_uid": prj_uid},
        lambda p: designer.create_trigger(
            p["workspace"],
            p["prj_uid"],
            _secrets_restored(_without(p, "workspace", "prj_uid"), secrets),
            validate,
            by_admin=caller.is_admin,
        ),
        describe=lambda trigger: {"tri_uid": trigger["tri_uid"]},
    )
    return json_response(_masked(trigger), 201)


@route(
    "/project/{prj_uid}/trigger/{tri_uid}",
    "One trigger (secret options masked)",
    access=declare.permission(PM_FACTORY),
    responses={200: ("The trigger", "PmObject")},
)
def get_trigger(workspace: str, prj_uid: str, tri_uid: str) -> Response:
    return json_response(_masked(designer.get_trigger(workspace, prj_uid, tri_uid)))


@route(
    "/project/{prj_uid}/trigger/{tri_uid}",
    "Change a trigger (PM_FACTORY)",
    methods=["PUT"],
    access=declare.permission(PM_FACTORY),
    body={"type": "object"},
    sample_body={"tri_title": "matrix"},
    responses={200: "Done (no body)"},
)
def update_trigger(workspace: str, prj_uid: str, tri_uid: str) -> Response:
    caller = current_caller()
    body, secrets = _secrets_apart(wire.json_object(bp.current_request))
    validate = _rules()
    _perform(
        "trigger.update",
        caller,
        {**body, "workspace": workspace, "prj_uid": prj_uid, "tri_uid": tri_uid},
        lambda p: designer.update_trigger(
            p["workspace"],
            p["prj_uid"],
            p["tri_uid"],
            _secrets_restored(_without(p, "workspace", "prj_uid", "tri_uid"), secrets),
            validate,
            by_admin=caller.is_admin,
        ),
    )
    return to_response(wire.empty_ok())


@route(
    "/project/{prj_uid}/trigger/{tri_uid}",
    "Delete a trigger (PM_FACTORY)",
    methods=["DELETE"],
    access=declare.permission(PM_FACTORY),
    responses={200: "Done (no body)"},
)
def delete_trigger(workspace: str, prj_uid: str, tri_uid: str) -> Response:
    caller = current_caller()
    _perform(
        "trigger.delete",
        caller,
        {"workspace": workspace, "prj_uid": prj_uid, "tri_uid": tri_uid},
        lambda p: designer.delete_trigger(p["workspace"], p["prj_uid"], p["tri_uid"]),
    )
    return to_response(wire.empty_ok())


# ---------------------------------------------------------------- events


@route(
    "/project/{prj_uid}/events",
    "The project's events",
    access=declare.permission(PM_FACTORY),
    query={"filter": {"type": "string"}},
    responses={200: ("Events", "PmList")},
)
def list_events(workspace: str, prj_uid: str) -> Response:
    found = pm_events.list_events(workspace, prj_uid, _query("filter"))
    return json_response([pm_events.to_wire(event) for event in found])


@route(
    "/project/{prj_uid}/event/{evn_uid}",
    "One event",
    access=declare.permission(PM_FACTORY),
    responses={200: ("The event", "PmObject")},
)
def get_event(workspace: str, prj_uid: str, evn_uid: str) -> Response:
    return json_response(pm_events.to_wire(pm_events.get_event(workspace, prj_uid, evn_uid)))


@route(
    "/project/{prj_uid}/event",
    "Create a timed event (PM_FACTORY)",
    methods=["POST"],
    access=declare.permission(PM_FACTORY),
    body={"type": "object"},
    sample_body={"evn_type": "START"},
    responses={201: ("The event", "PmObject")},
)
def create_event(workspace: str, prj_uid: str) -> Response:
    caller = current_caller()
    body = wire.json_object(bp.current_request)
    event = _perform(
        "event.create",
        caller,
        {**body, "workspace": workspace, "prj_uid": prj_uid},
        lambda p: pm_events.create_event(
            p["workspace"], p["prj_uid"], _without(p, "workspace", "prj_uid", "evn_uid")
        ),
        describe=lambda event: {"evn_uid": event["evn_uid"]},
    )
    return json_response(pm_events.to_wire(event), 201)


@route(
    "/project/{prj_uid}/event/{evn_uid}",
    "Change an event (PM_FACTORY)",
    methods=["PUT"],
    access=declare.permission(PM_FACTORY),
    body={"type": "object"},
    sample_body={"evn_status": "ACTIVE"},
    responses={200: "Done (no body)"},
)
def update_event(workspace: str, prj_uid: str, evn_uid: str) -> Response:
    caller = current_caller()
    body = wire.json_object(bp.current_request)
    _perform(
        "event.update",
        caller,
        {**body, "workspace": workspace, "prj_uid": prj_uid, "evn_uid": evn_uid},
        lambda p: pm_events.update_event(
            p["workspace"],
            p["prj_uid"],
            p["evn_uid"],
            _without(p, "workspace", "prj_uid", "evn_uid"),
        ),
    )
    return to_response(wire.empty_ok())


@route(
    "/project/{prj_uid}/event/{evn_uid}",
    "Delete an event (PM_FACTORY)",
    methods=["DELETE"],
    access=declare.permission(PM_FACTORY),
    responses={200: "Done (no body)"},
)
def delete_event(workspace: str, prj_uid: str, evn_uid: str) -> Response:
    caller = current_caller()
    _perform(
        "event.delete",
        caller,
        {"workspace": workspace, "prj_uid": prj_uid, "evn_uid": evn_uid},
        lambda p: pm_events.delete_event(p["workspace"], p["prj_uid"], p["evn_uid"]),
    )
    return to_response(wire.empty_ok())


# ---------------------------------------------------------------- execution log


def _log_page(workspace: str, evn_uid: str | None) -> Response:
    page, following = executions.list_executions(
        workspace,
        evn_uid=evn_uid,
        status=_query("status"),
        limit=_query("limit"),
        marker=_query("marker"),
    )
    return json_response({"data": [executions.to_wire(e) for e in page], "next": following})


@route(
    "/project/{prj_uid}/event/{evn_uid}/executions",
    "The execution log of one event",
    access=declare.permission(PM_FACTORY),
    query="PmLogFilters",
    responses={200: ("A page", "PmLogPage")},
)
def event_executions(workspace: str, prj_uid: str, evn_uid: str) -> Response:
    pm_events.get_event(workspace, prj_uid, evn_uid)
    return _log_page(workspace, evn_uid)


@route(
    "/executions",
    "The workspace's execution log",
    access=declare.permission(PM_FACTORY),
    query="PmLogFilters",
    responses={200: ("A page", "PmLogPage")},
)
def workspace_executions(workspace: str) -> Response:
    designer.check_workspace(workspace)
    return _log_page(workspace, None)


# ---------------------------------------------------------------- cases


@route(
    "/cases",
    "Start a case",
    methods=["POST"],
    access=declare.permission(PM_CASES),
    body={"type": "object"},
    sample_body={"pro_uid": "matrix", "tas_uid": "matrix"},
    responses={200: ("The case", "PmCaseStarted")},
)
def start_case(workspace: str) -> Response:
    caller = current_caller()
    body = wire.json_object(bp.current_request)
    case = _perform(
        "case.start",
        caller,
        {**body, "workspace": workspace},
        lambda p: cases.start_case(
            p["workspace"],
            _without(p, "workspace"),
            owner=(caller.project_id, caller.user_id),  # the case's events are the starter's
        ),
        describe=lambda case: {"app_uid": case["app_uid"], "app_number": case["app_number"]},
    )
    return json_response({"app_uid": case["app_uid"], "app_number": case["app_number"]})


@route(
    "/cases/{app_uid}",
    "One case",
    access=declare.permission(PM_CASES),
    responses={200: ("The case", "PmObject")},
)
def get_case(workspace: str, app_uid: str) -> Response:
    designer.check_workspace(workspace)
    return json_response(cases.to_wire(cases.load_case(workspace, app_uid)))


@route(
    "/cases/{app_uid}/variable",
    "Set case variables",
    methods=["PUT"],
    access=declare.permission(PM_CASES),
    body={"type": "object"},
    sample_body={"matrix": "1"},
    responses={200: "Done (no body)"},
)
def set_variables(workspace: str, app_uid: str) -> Response:
    caller = current_caller()
    body = wire.json_object(bp.current_request)
    _perform(
        "case.variables",
        caller,
        {"workspace": workspace, "app_uid": app_uid, "variables": body},
        lambda p: cases.set_variables(p["workspace"], p["app_uid"], p["variables"]),
    )
    return to_response(wire.empty_ok())


@route(
    "/cases/{app_uid}/route-case",
    "Route a case to its next task",
    methods=["PUT"],
    access=declare.permission(PM_CASES),
    responses={200: "Done (no body)"},
)
def route_case(workspace: str, app_uid: str) -> Response:
    caller = current_caller()
    _perform(
        "case.route",
        caller,
        {"workspace": workspace, "app_uid": app_uid},
        lambda p: cases.route_case(p["workspace"], p["app_uid"]),
    )
    return to_response(wire.empty_ok())


# ---------------------------------------------------------------- every other path


def _restler_not_found(exc: Any, status: int) -> Response:
    """Restler's answer to a path no class serves: ``{"error": {"code": 404, "message":
    "Not Found"}}``."""
    return json_response({"error": {"code": status, "message": exc.message}}, status)


# ProcessMaker's (Restler's) 404 for any path of a workspace it does not serve
# (``/api/1.0/{ws}/projects``, a misspelt resource).
route.with_render(_restler_not_found).not_served("/{proxy+}", text="Not Found")
