"""Handler executions: the claim that makes a (record, handler) run once, and its history."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model

SHORT_NAME = "executions"
STATUSES = ("running", "ok", "failed", "skipped")
FINAL_STATUSES = ("ok", "failed", "skipped")


class ExecutionsByHandler(GlobalSecondaryIndex):
    """The executions of one handler, newest last, per ``handler_key`` shard.

    ``handler_key`` is ``"<handler id>#<shard>"``: a handler bound to a busy event type is
    several partitions, not one hot key.
    """

    class Meta:
        index_name = "by_handler"
        projection = AllProjection()

    handler_key = UnicodeAttribute(hash_key=True)
    started_key = UnicodeAttribute(range_key=True)


class ExecutionsByDay(GlobalSecondaryIndex):
    """All executions of one UTC day, for the global history list, per ``day_key`` shard.

    ``day_key`` is ``"<day>#<shard>"``: a busy day is several partitions, not one hot key.
    """

    class Meta:
        index_name = "by_day"
        projection = AllProjection()

    day_key = UnicodeAttribute(hash_key=True)
    started_key = UnicodeAttribute(range_key=True)


class ExecutionsByMessage(GlobalSecondaryIndex):
    """The executions one event caused (one per bound handler)."""

    class Meta:
        index_name = "by_message"
        projection = AllProjection()

    message_id = UnicodeAttribute(hash_key=True)
    started_key = UnicodeAttribute(range_key=True)


class ExecutionModel(Model):
    class Meta(BaseMeta):
        table_name = SHORT_NAME

    execution_id = UnicodeAttribute(hash_key=True)  # f"{message_id}#{handler_id}"
    message_id = UnicodeAttribute()
    handler_id = NumberAttribute()
    handler_key = UnicodeAttribute()  # f"{handler_id}#{shard}": the by_handler partition
    handler_name = UnicodeAttribute(null=True)
    event_type = UnicodeAttribute()
    handlermodule = UnicodeAttribute()
    action = UnicodeAttribute()
    status = UnicodeAttribute()  # running | ok | failed | skipped
    attempts = NumberAttribute(default=0)
    started_at = UnicodeAttribute()
    started_key = UnicodeAttribute()  # f"{started_at}#{execution_id}"
    day = UnicodeAttribute()
    day_key = UnicodeAttribute()  # f"{day}#{shard}": the by_day partition
    finished_at = UnicodeAttribute(null=True)
    duration_ms = NumberAttribute(null=True)
    error = UnicodeAttribute(null=True)
    detail = UnicodeAttribute(null=True)
    # A running claim belongs to ``claim_token`` until ``lease_until`` (epoch seconds); after
    # that another delivery of the record may take it over (the first one crashed).
    claim_token = UnicodeAttribute(null=True)
    lease_until = NumberAttribute(null=True)
    expires_at = TTLAttribute(null=True)

    by_handler = ExecutionsByHandler()
    by_day = ExecutionsByDay()
    by_message = ExecutionsByMessage()


bind_model(ExecutionModel, SHORT_NAME)
