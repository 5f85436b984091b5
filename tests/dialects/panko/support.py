"""Shared data of the Panko dialect tests: Panko's own functional-test events, and helpers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from chalicelib.core import events
from chalicelib.core.model import Event, build_event, make_trait

# Panko's test_event_scenarios fixture: one event per type, message ids "0", "100", "200",
# generated (and trait_D) a day apart from 2013-12-31T05:00:00.
SCENARIO_TYPES = ("Foo", "Bar", "Zoo")
SCENARIO_START = datetime(2013, 12, 31, 5, 0)
ADMIN_GATEWAY = {"X-Roles": "admin", "X-User-Id": "user", "X-Project-Id": "project"}


def scenario_events() -> list[Event]:
    result = []
    for index, event_type in enumerate(SCENARIO_TYPES):
        base = index * 100
        moment = SCENARIO_START + timedelta(days=index)
        result.append(
            build_event(
                event_type=event_type,
                message_id=str(base),
                generated=moment,
                traits=[
                    make_trait("trait_A", "string", f"my_{event_type}_text"),
                    make_trait("trait_B", "integer", base + 1),
                    make_trait("trait_C", "float", float(base) + 0.123456),
                    make_trait("trait_D", "datetime", moment),
                ],
                raw={"status": {"nested": "started"}},
            )
        )
    return result


def record_scenario() -> list[Event]:
    recorded = scenario_events()
    assert events.record_events(recorded).stored == [e.message_id for e in recorded]
    return recorded


def record(
    message_id: str,
    *,
    event_type: str = "Foo",
    generated: datetime = SCENARIO_START,
    traits: tuple[tuple[str, str, Any], ...] = (),
    project_id: str | None = None,
    user_id: str | None = None,
) -> Event:
    event = build_event(
        event_type=event_type,
        message_id=message_id,
        generated=generated,
        traits=[make_trait(*trait) for trait in traits],
        project_id=project_id,
        user_id=user_id,
    )
    assert events.record_event(event)
    return event


def q(*filters: tuple[str, ...], **extra: Any) -> str:
    """A Panko query string: each filter is (field, op, type, value) or (field, value)."""
    pairs: list[tuple[str, Any]] = []
    for item in filters:
        field, op, kind, value = item if len(item) == 4 else (item[0], "eq", None, item[1])
        pairs += [("q.field", field), ("q.op", op)]
        if kind is not None:
            pairs.append(("q.type", kind))
        pairs.append(("q.value", value))
    for name, value in extra.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((name, one))
    return urlencode(pairs)


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.body
    return [event["message_id"] for event in response.json_body]


def fault(response: Any) -> str:
    """The faultstring of a Panko JSON error body (checking its shape on the way)."""
    body = json.loads(response.body)
    error = body["error_message"]
    assert set(error) == {"faultcode", "faultstring", "debuginfo"}
    assert error["debuginfo"] is None
    assert error["faultcode"] == ("Client" if response.status_code < 500 else "Server")
    return error["faultstring"]
