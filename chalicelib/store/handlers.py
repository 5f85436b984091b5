"""Handler configurations (privacyIDEA's event handler bindings)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model, string_list

SHORT_NAME = "handlers"
# The handler set is small and read whole (once per stream batch): one partition, a Query.
PARTITION = "handler"


class HandlerModel(Model):
    class Meta(BaseMeta):
        table_name = SHORT_NAME

    pk = UnicodeAttribute(hash_key=True, default=PARTITION)
    id = NumberAttribute(range_key=True)
    name = UnicodeAttribute()
    events = string_list(default=list)
    handlermodule = UnicodeAttribute()
    action = UnicodeAttribute()
    position = UnicodeAttribute(default="post")
    ordering = NumberAttribute(default=0)
    active = BooleanAttribute(default=True)
    abort_on_error = BooleanAttribute(default=False)
    options: MapAttribute[str, Any] = MapAttribute(default=dict)
    conditions: MapAttribute[str, Any] = MapAttribute(default=dict)
    updated_at = UnicodeAttribute(null=True)


bind_model(HandlerModel, SHORT_NAME)
