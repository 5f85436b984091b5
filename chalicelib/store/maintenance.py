"""MaDDash maintenance windows ("events") and the targets that answer "under maintenance?".

One table, items told apart by key:
- ``pk="windows"``, ``sk=<id, zero-padded>``: a window: its definition, the checks it covers
  (check refs), the due times planned for it, and what the scheduler last applied;
- ``pk="node#<name>"`` or ``pk="check#<name>"``, ``sk=<id, zero-padded>``: one item per node
  (a row or column of a covered check) and per check name, with the window's timing, so
  "is node X under maintenance at T" is one Query on ``node#X``.
"""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model, string_list

SHORT_NAME = "maintenance"
WINDOWS_PK = "windows"


def window_sk(window_id: int) -> str:
    return f"{window_id:012d}"


def node_pk(node: str) -> str:
    return f"node#{node}"


def check_pk(check: str) -> str:
    return f"check#{check}"


class MaintenanceModel(Model):
    class Meta(BaseMeta):
        table_name = SHORT_NAME

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    window_id = NumberAttribute()
    # Timing, on windows and targets alike (UNIX seconds; end_time -1 never ends).
    start_time = NumberAttribute()
    end_time = NumberAttribute(default=-1)
    cron = UnicodeAttribute(null=True)  # recurring: 5-field cron in ``time_zone``
    time_zone = UnicodeAttribute(null=True)
    duration = NumberAttribute(null=True)  # seconds each occurrence lasts
    # The window's definition.
    name = UnicodeAttribute(null=True)
    description = UnicodeAttribute(null=True)
    change_status = BooleanAttribute(null=True)
    cover_new_checks = BooleanAttribute(null=True)
    filters = UnicodeAttribute(null=True)  # JSON of the normalised checkFilters
    checks = string_list(null=True)  # check refs
    created_by = UnicodeAttribute(null=True)
    deleted = BooleanAttribute(null=True)  # deleted while applied: the next tick clears it
    # Due work planned for it (stored time text), so an edit or delete can cancel it.
    planned_start = UnicodeAttribute(null=True)
    planned_end = UnicodeAttribute(null=True)
    # What the scheduler applied: the occurrence token, and the checks held at status 5.
    applied_token = UnicodeAttribute(null=True)
    applied_checks = string_list(null=True)


bind_model(MaintenanceModel, SHORT_NAME)
