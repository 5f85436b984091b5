"""ProcessMaker's data: projects, triggers, events, cases, planned executions, refresh tokens.

One table; every key starts with the workspace, so a workspace never sees another's data:
- project: ``pk="ws#<ws>"``, ``sk="project#<prj_uid>"`` (tasks and routes inside);
- its triggers and events: ``pk="ws#<ws>#prj#<prj_uid>"``, ``sk="trigger#<uid>"`` /
  ``"event#<uid>"``: one Query lists a project's events;
- a case: ``pk="ws#<ws>#case#<app_uid>"``, ``sk="case"``; its planned executions (APP_EVENT)
  in the same partition, ``sk="appevent#<del_index:05>#<evn_uid>"``, so finishing a task reads
  its executions with one Query;
- an OAuth refresh token: ``pk="oauth#<sha256>"``, ``sk="refresh"`` (TTL).
Sparse indexes: ``by_uid`` (``uid_key="<ws>#<uid>"``) finds a trigger or event without its
project; ``by_event`` and ``by_status``/``by_workspace`` list executions for the log, newest
due time first when read backwards.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model

SHORT_NAME = "processmaker"
OPEN = "OPEN"
CLOSE = "CLOSE"


class ByUid(GlobalSecondaryIndex):
    """A trigger or event by its uid alone (to tell "missing" from "another project's")."""

    class Meta:
        index_name = "by_uid"
        projection = AllProjection()

    uid_key = UnicodeAttribute(hash_key=True)


class ExecutionsByEvent(GlobalSecondaryIndex):
    """The executions of one event, by due time."""

    class Meta:
        index_name = "by_event"
        projection = AllProjection()

    event_key = UnicodeAttribute(hash_key=True)
    due_key = UnicodeAttribute(range_key=True)


class ExecutionsByStatus(GlobalSecondaryIndex):
    """The executions of one workspace in one status (OPEN or CLOSE), by due time."""

    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    status_key = UnicodeAttribute(hash_key=True)
    due_key = UnicodeAttribute(range_key=True)


class ExecutionsByWorkspace(GlobalSecondaryIndex):
    """Every execution of one workspace, by due time."""

    class Meta:
        index_name = "by_workspace"
        projection = AllProjection()

    workspace_key = UnicodeAttribute(hash_key=True)
    due_key = UnicodeAttribute(range_key=True)


class ProcessMakerModel(Model):
    class Meta(BaseMeta):
        table_name = SHORT_NAME

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()  # project | trigger | event | case | appevent | refresh
    data = UnicodeAttribute(default="{}")  # JSON text: the entity's fields
    uid_key = UnicodeAttribute(null=True)
    # Planned executions (APP_EVENT) only:
    status = UnicodeAttribute(null=True)  # OPEN | CLOSE
    attempts = NumberAttribute(null=True)
    due_at = UnicodeAttribute(null=True)  # stored time text
    due_key = UnicodeAttribute(null=True)  # f"{due_at}#{app_uid}#{del_index}#{evn_uid}"
    last_execution = UnicodeAttribute(null=True)
    error = UnicodeAttribute(null=True)
    result = UnicodeAttribute(null=True)  # EXECUTED | FAILED | SKIPPED | TASK_FINISHED | ...
    event_key = UnicodeAttribute(null=True)
    status_key = UnicodeAttribute(null=True)
    workspace_key = UnicodeAttribute(null=True)
    expires_at = TTLAttribute(null=True)

    by_uid = ByUid()
    by_event = ExecutionsByEvent()
    by_status = ExecutionsByStatus()
    by_workspace = ExecutionsByWorkspace()


bind_model(ProcessMakerModel, SHORT_NAME)


def workspace_pk(workspace: str) -> str:
    return f"ws#{workspace}"


def project_pk(workspace: str, prj_uid: str) -> str:
    return f"ws#{workspace}#prj#{prj_uid}"


def case_pk(workspace: str, app_uid: str) -> str:
    return f"ws#{workspace}#case#{app_uid}"


def appevent_sk(del_index: int, evn_uid: str) -> str:
    return f"appevent#{del_index:05d}#{evn_uid}"


def uid_key(workspace: str, uid: str) -> str:
    return f"{workspace}#{uid}"
