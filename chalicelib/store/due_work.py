"""The due-work index: everything that must happen at a time, for every dialect.

One item per planned piece of work (a MaDDash window's start or end, a ProcessMaker timed
execution, a recurring window's next occurrence):
- ``shard``: ``"due#<n>"``, n in ``0..due_work_shards-1`` (a hash of the work's key), so no
  single partition takes every write;
- ``due_key``: ``"<due_at>#<kind>#<key>"``: stored time text first, so "everything due by T"
  is one Query per shard with ``due_key < "<T>$"`` that never reads work planned later.
Done work is deleted, so a tick's reads grow with the work due, never with the work planned.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model

SHORT_NAME = "due_work"


class DueWorkModel(Model):
    class Meta(BaseMeta):
        table_name = SHORT_NAME

    shard = UnicodeAttribute(hash_key=True)
    due_key = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()
    key = UnicodeAttribute()
    due_at = UnicodeAttribute()  # stored time text (naive UTC, sortable)
    payload = UnicodeAttribute(default="{}")  # JSON text: the job's own arguments
    attempts = NumberAttribute(default=0)
    # While a tick runs the work, later ticks leave it alone until this time (stored time text).
    lease_until = UnicodeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)


bind_model(DueWorkModel, SHORT_NAME)
