"""MaDDash check results: record one in the check's history and as its latest result.

A result never touches the maintenance tokens, so a check held at MAINTENANCE by a started
window stays there; its result shows again once the last window over it ends.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from chalicelib.core.model import utcnow
from chalicelib.dialects.maddash.checks import CheckRef, effective_status
from chalicelib.dialects.maddash.grid_views import check_item
from chalicelib.errors import NotFound, ValidationFailed
from chalicelib.store.access import store_access, update_if
from chalicelib.store.maddash import MaddashModel, history_pk

MAX_MESSAGE = 4000
FIELDS = ("gridName", "rowName", "columnName", "checkName")


def parse_result(body: Any) -> tuple[CheckRef, int, str, int, dict[str, Any]]:
    """``{gridName, rowName, columnName, checkName, status, message, time, returnParams}``."""
    if not isinstance(body, Mapping):
        raise ValidationFailed("a JSON object is required", field="body")
    names = []
    for name in FIELDS:
        value = body.get(name)
        if not isinstance(value, str) or not value:
            raise ValidationFailed(f"Missing required field {name}", field=name)
        names.append(value)
    status = body.get("status")
    if isinstance(status, bool) or not isinstance(status, int) or status < 0:
        raise ValidationFailed(
            "status must be a MaDDash status code (0-5 or custom)", field="status"
        )
    message = body.get("message") or ""
    if not isinstance(message, str):
        raise ValidationFailed("message must be a string", field="message")
    when = body.get("time")
    if when is None:
        when = int(utcnow().timestamp())
    if isinstance(when, bool) or not isinstance(when, int) or when < 0:
        raise ValidationFailed("time must be UNIX seconds", field="time")
    params = body.get("returnParams") or {}
    if not isinstance(params, Mapping):
        raise ValidationFailed("returnParams must be an object", field="returnParams")
    return CheckRef(*names), status, message[:MAX_MESSAGE], when, dict(params)


def record_result(
    ref: CheckRef, status: int, message: str, when: int, params: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Store a result of the active check ``ref``; returns its status after the result."""
    item = check_item(ref)
    same = item.result_status is not None and int(item.result_status) == status
    count = int(item.return_code_count or 0) + 1 if same else 1
    entry = MaddashModel(
        history_pk(ref.ref),
        f"{when:012d}#{uuid.uuid4().hex[:8]}",
        time=when,
        status=status,
        message=message,
        return_code_count=count,
        doc=json.dumps(params or {}),
    )
    with store_access():
        entry.save()
    applied = update_if(
        item,
        [
            MaddashModel.result_status.set(status),
            MaddashModel.message.set(message),
            MaddashModel.prev_check_time.set(when),
            MaddashModel.return_code_count.set(count),
            MaddashModel.result_count.add(1),
            # The check ran: a rescheduled time is spent, the interval applies again.
            MaddashModel.next_check_time.remove(),
        ],
        MaddashModel.active == True,  # noqa: E712
    )
    if not applied:
        raise NotFound("Check resource not found")
    return {
        "uri": ref.uri,
        "status": effective_status(item.result_status, item.maintenance),
        "returnCode": status,
    }
