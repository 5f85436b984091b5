"""ProcessMaker's designer registry: projects (tasks and routes) and triggers, per workspace.

A trigger does not run PHP here: it names a handler-module action (``tri_handlermodule``,
``tri_action``, ``tri_options``), validated against the module registry as a handler's is
and run by the scheduler when an event fires. Messages follow Restler's (``Bad Request:`` is
added by the dialect). Options whose declaration is secret are masked on read; sending the
mask back on update keeps the stored value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any

from chalicelib.core import secret_options
from chalicelib.core.handler_rules import ActionProblem, HandlerRules, action_problem
from chalicelib.core.model import format_stored_time, utcnow
from chalicelib.dialects.processmaker.vocabulary import END_OF_PROCESS, invalid, new_uid, required
from chalicelib.errors import ValidationFailed
from chalicelib.store.access import store_access
from chalicelib.store.processmaker import (
    ProcessMakerModel,
    project_pk,
    uid_key,
    workspace_pk,
)

UID_PATTERN = re.compile(r"^[0-9a-f]{32}$")
WORKSPACE_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
# The route target that ends the case (ProcessMaker's "end of process").
# The key under which create_project hands back an import's uid map (never stored).
UID_MAP = "uid_map"
# What validates a trigger's action: (module, action, options) -> error text or None. The
# engine's module registry provides it (see ``engine/processmaker_jobs.trigger_validator``).


# ---------------------------------------------------------------- Restler's messages


def check_workspace(workspace: str) -> str:
    if not isinstance(workspace, str) or not WORKSPACE_PATTERN.match(workspace):
        raise invalid("workspace")
    return workspace


def text_field(body: dict[str, Any], name: str, *, optional: bool = False) -> str:
    """A string field; required ones need at least one character."""
    value = body.get(name)
    if value is None:
        if optional:
            return ""
        raise required(name)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise invalid(name)
    text = str(value)
    if not text and not optional:
        raise invalid(name, ". Minimum 1 character required.")
    return text


def loads(item: ProcessMakerModel) -> dict[str, Any]:
    return json.loads(item.data or "{}")


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


def get_item(pk: str, sk: str) -> ProcessMakerModel | None:
    with store_access():
        try:
            return ProcessMakerModel.get(pk, sk)
        except ProcessMakerModel.DoesNotExist:
            return None


def find_by_uid(workspace: str, uid: str, kind: str) -> ProcessMakerModel | None:
    """A trigger or event of any project of ``workspace``, by uid (index read)."""
    with store_access():
        for item in ProcessMakerModel.by_uid.query(uid_key(workspace, uid)):
            if item.kind == kind:
                return item
    return None


# ---------------------------------------------------------------- projects


def _project_not_found(prj_uid: str) -> ValidationFailed:
    return ValidationFailed(
        f"The project with prj_uid: '{prj_uid}' does not exist.", field="prj_uid"
    )


def task_not_found(tas_uid: str) -> ValidationFailed:
    return ValidationFailed(f"The task with tas_uid: '{tas_uid}' does not exist.", field="tas_uid")


def _tasks(value: Any) -> list[dict[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid("tasks")
    tasks: list[dict[str, str]] = []
    for entry in value:
        if not isinstance(entry, dict):
            raise invalid("tasks")
        title = text_field(entry, "tas_title")
        tas_uid = entry.get("tas_uid") or new_uid()
        if not isinstance(tas_uid, str) or not UID_PATTERN.match(tas_uid):
            raise invalid("tas_uid", ". Expecting 32 lowercase hexadecimal characters")
        if any(task["tas_uid"] == tas_uid for task in tasks):
            raise invalid("tas_uid", f". Duplicate '{tas_uid}'")
        tasks.append({"tas_uid": tas_uid, "tas_title": title})
    return tasks


def _routes(value: Any, tasks: list[dict[str, str]]) -> list[dict[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid("routes")
    known = {task["tas_uid"] for task in tasks}
    routes = []
    for entry in value:
        if not isinstance(entry, dict):
            raise invalid("routes")
        source, target = text_field(entry, "tas_uid"), text_field(entry, "rou_next_task")
        if source not in known:
            raise task_not_found(source)
        if target not in known and target != END_OF_PROCESS:
            raise task_not_found(target)
        routes.append({"tas_uid": source, "rou_next_task": target})
    return routes


def create_project(workspace: str, body: dict[str, Any]) -> dict[str, Any]:
    """Store a new project: from ProcessMaker's project structure (``diagrams``, see
    ``project_import``) or from this service's ``tasks`` and ``routes`` (a given ``tas_uid`` is
    kept). With ``diagrams``, the answer carries ProcessMaker's uid map under ``UID_MAP``."""
    check_workspace(workspace)
    name = text_field(body, "prj_name").strip()
    if not name:
        raise ValidationFailed("`prj_name` is required but it is empty.", field="prj_name")
    description = text_field(body, "prj_description", optional=True)
    prj_uid = new_uid()
    uid_map: list[dict[str, str]] | None = None
    if body.get("diagrams") is not None:
        from chalicelib.dialects.processmaker.project_import import from_structure

        if body.get("tasks") is not None or body.get("routes") is not None:
            raise invalid("diagrams", ": send either diagrams or tasks and routes, not both")
        tasks, routes, uid_map = from_structure(body, prj_uid)
    else:
        tasks = _tasks(body.get("tasks"))
        routes = _routes(body.get("routes"), tasks)
    project = {
        "prj_uid": prj_uid,
        "prj_name": name,
        "prj_description": description,
        "prj_create_date": format_stored_time(utcnow()),
        "tasks": tasks,
        "routes": routes,
    }
    item = ProcessMakerModel(
        workspace_pk(workspace), f"project#{project['prj_uid']}", kind="project"
    )
    item.data = dumps(project)
    with store_access():
        item.save()
    return project if uid_map is None else {**project, UID_MAP: uid_map}


def creation_answer(project: dict[str, Any]) -> Any:
    """What ``POST /project`` answers: ProcessMaker's uid map for an imported structure (as
    ``BpmnWorkflow::createFromStruct``), else the project."""
    return project.get(UID_MAP, project)


def get_project(workspace: str, prj_uid: str) -> dict[str, Any]:
    """The project; ``The project with prj_uid: … does not exist.`` otherwise."""
    check_workspace(workspace)
    item = get_item(workspace_pk(workspace), f"project#{prj_uid}")
    if item is None:
        raise _project_not_found(prj_uid)
    return loads(item)


def list_projects(workspace: str) -> list[dict[str, Any]]:
    check_workspace(workspace)
    with store_access():
        items = ProcessMakerModel.query(
            workspace_pk(workspace), ProcessMakerModel.sk.startswith("project#")
        )
        return [loads(item) for item in items]


def delete_project(workspace: str, prj_uid: str) -> None:
    """Delete the project, its triggers and its events (planned executions stay, as PM)."""
    get_project(workspace, prj_uid)
    with store_access():
        children = list(ProcessMakerModel.query(project_pk(workspace, prj_uid)))
        with ProcessMakerModel.batch_write() as batch:
            for child in children:
                batch.delete(child)
        ProcessMakerModel(workspace_pk(workspace), f"project#{prj_uid}").delete()


def task_of(project: dict[str, Any], tas_uid: str) -> dict[str, str] | None:
    return next((task for task in project["tasks"] if task["tas_uid"] == tas_uid), None)


# ---------------------------------------------------------------- triggers


def trigger_not_found(tri_uid: str) -> ValidationFailed:
    return ValidationFailed(
        f"The trigger with tri_uid: '{tri_uid}' does not exist.", field="tri_uid"
    )


# What a trigger of a designer who is not an admin may run: the actions ``/event`` leaves to
# non-admins' reach, nothing that sends mail, federates, mangles requests or logs. Counters
# are safe because a trigger's are its workspace's own (``counter_namespace``).
NON_ADMIN_ACTIONS: dict[str, frozenset[str]] = {
    "WebHook": frozenset({"post_webhook"}),
    "Counter": frozenset({"increase_counter", "decrease_counter", "reset_counter"}),
}


def counter_namespace(workspace: str) -> str:
    """The prefix of the counters a trigger of ``workspace`` changes."""
    return f"pm:{workspace}:"


def _destination_problem(url: str) -> str | None:
    """Why a non-admin's WebHook may not post to ``url`` (the SSRF guard's static half: the
    host is resolved again, and every address checked, each time the trigger runs)."""
    import ipaddress
    from urllib.parse import urlsplit

    from chalicelib.engine.modules import outbound
    from chalicelib.settings import get_settings

    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        return f"malformed URL: {exc}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "the URL must be http:// or https:// with a host"
    if parts.username is not None or parts.password is not None:
        return "credentials belong in the authorization option, not in the URL"
    host = parts.hostname.lower().rstrip(".")
    if host in outbound.ALWAYS_REFUSED_NAMES:
        return f"destination {host} is a cloud metadata endpoint"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None  # a name: checked when it is resolved, at every run
    try:
        outbound.check_address(host, address, get_settings())
    except outbound.DestinationRefused as exc:
        return str(exc)
    return None


def _non_admin_problem(module: str, action: str, options: dict[str, str]) -> tuple[str, str] | None:
    """(field, detail) when a designer who is not an admin may not save this action."""
    allowed = NON_ADMIN_ACTIONS.get(module)
    if allowed is None:
        return "tri_handlermodule", f"{module} needs an admin; allowed are " + ", ".join(
            NON_ADMIN_ACTIONS
        )
    if action not in allowed:
        return "tri_action", f"'{action}' needs an admin"
    if module == "WebHook":
        problem = _destination_problem(options.get("URL", ""))
        if problem is not None:
            return "tri_options", f"URL: {problem}"
    return None


def _trigger_fields(
    body: dict[str, Any],
    rules: HandlerRules,
    stored_options: dict[str, str],
    by_admin: bool,
    stored_target: tuple[str, str] | None = None,
) -> dict[str, Any]:
    title = text_field(body, "tri_title")
    description = text_field(body, "tri_description", optional=True)
    module = text_field(body, "tri_handlermodule")
    action = text_field(body, "tri_action")
    raw_options = body.get("tri_options") or {}
    if not isinstance(raw_options, dict):
        raise invalid("tri_options", ". Expecting an object")
    options = {str(key): "" if value is None else str(value) for key, value in raw_options.items()}
    # a mask the client sent back (what it read) keeps the stored secret, for the stored
    # destination only (a new URL must come with the secret again)
    try:
        options = secret_options.resolved(
            options,
            stored_options,
            rules.secret_options(module, action),
            target=(module, action),
            stored_target=stored_target,
        )
    except secret_options.SecretNotResent as exc:
        raise invalid("tri_options", f": {exc.message}") from exc
    problem = action_problem(
        rules, module, action, position="post", options=options, closed_options=True
    )
    if problem is not None:
        field_name, detail = _problem_text(problem, module)
        raise invalid(field_name, f": {detail}")
    refused = None if by_admin else _non_admin_problem(module, action, options)
    if refused is not None:
        raise invalid(refused[0], f": {refused[1]}")
    return {
        "tri_title": title,
        "tri_description": description,
        "tri_handlermodule": module,
        "tri_action": action,
        "tri_options": options,
    }


def save_project_item(
    workspace: str, prj_uid: str, kind: str, uid: str, data: dict[str, Any]
) -> None:
    """Store a project's ``kind`` item (``trigger``, ``event``) under its project, by uid."""
    item = ProcessMakerModel(
        project_pk(workspace, prj_uid),
        f"{kind}#{uid}",
        kind=kind,
        uid_key=uid_key(workspace, uid),
    )
    item.data = dumps(data)
    with store_access():
        item.save()


def _save_trigger(workspace: str, prj_uid: str, trigger: dict[str, Any]) -> None:
    save_project_item(workspace, prj_uid, "trigger", trigger["tri_uid"], trigger)


def create_trigger(
    workspace: str,
    prj_uid: str,
    body: dict[str, Any],
    rules: HandlerRules,
    by_admin: bool = False,
) -> dict[str, Any]:
    """A new trigger; one saved by a non-admin may use only ``NON_ADMIN_ACTIONS``."""
    get_project(workspace, prj_uid)
    fields = _trigger_fields(body, rules, {}, by_admin)
    trigger = {"tri_uid": new_uid(), "prj_uid": prj_uid, **fields}
    _save_trigger(workspace, prj_uid, trigger)
    return trigger


def load_trigger(workspace: str, prj_uid: str, tri_uid: str) -> dict[str, Any] | None:
    """The stored trigger of that project (options unmasked: for running it), or None."""
    item = get_item(project_pk(workspace, prj_uid), f"trigger#{tri_uid}")
    return None if item is None else loads(item)


def get_trigger(workspace: str, prj_uid: str, tri_uid: str) -> dict[str, Any]:
    get_project(workspace, prj_uid)
    trigger = load_trigger(workspace, prj_uid, tri_uid)
    if trigger is None:
        raise trigger_not_found(tri_uid)
    return trigger


def list_triggers(workspace: str, prj_uid: str) -> list[dict[str, Any]]:
    get_project(workspace, prj_uid)
    with store_access():
        items = ProcessMakerModel.query(
            project_pk(workspace, prj_uid), ProcessMakerModel.sk.startswith("trigger#")
        )
        return [loads(item) for item in items]


def update_trigger(
    workspace: str,
    prj_uid: str,
    tri_uid: str,
    body: dict[str, Any],
    rules: HandlerRules,
    by_admin: bool = False,
) -> dict[str, Any]:
    """The trigger changed; as on create, a non-admin's may use only ``NON_ADMIN_ACTIONS``."""
    stored = get_trigger(workspace, prj_uid, tri_uid)
    trigger = {
        "tri_uid": tri_uid,
        "prj_uid": prj_uid,
        **_trigger_fields(
            body,
            rules,
            stored["tri_options"],
            by_admin,
            (stored["tri_handlermodule"], stored["tri_action"]),
        ),
    }
    _save_trigger(workspace, prj_uid, trigger)
    return trigger


def delete_trigger(workspace: str, prj_uid: str, tri_uid: str) -> None:
    """Delete a trigger; events naming it are skipped when they fire (as ProcessMaker)."""
    get_trigger(workspace, prj_uid, tri_uid)
    with store_access():
        ProcessMakerModel(project_pk(workspace, prj_uid), f"trigger#{tri_uid}").delete()


def masked_trigger(trigger: dict[str, Any], secret: Collection[str]) -> dict[str, Any]:
    """The trigger as clients read it: secret options replaced by a mask."""
    options = secret_options.masked(trigger["tri_options"], secret)
    return {key: value for key, value in trigger.items() if key != "prj_uid"} | {
        "tri_options": options
    }


def _problem_text(problem: ActionProblem, module: str) -> tuple[str, str]:
    """(field, detail) of a trigger's action problem, in ProcessMaker's words."""
    allowed = ", ".join(problem.allowed)
    if problem.kind == "module":
        return "tri_handlermodule", f"unknown module '{problem.subject}'"
    if problem.kind == "action":
        return "tri_action", f"'{problem.subject}'. Allowed are: {allowed}"
    if problem.kind == "position":
        return "tri_handlermodule", f"{module} runs only in requests"
    if problem.kind == "option":
        return "tri_options", f"unknown option '{problem.subject}'"
    if problem.kind == "choice":
        return "tri_options", f"'{problem.subject}' must be one of {allowed}"
    return "tri_options", f"'{problem.subject}' is required"
