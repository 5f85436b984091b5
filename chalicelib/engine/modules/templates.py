"""Templates of handler options: ``{tag}`` replaced by the event's fields, never ``str.format``.

Tags are the event's fields (``event_type``, ``message_id``, ``generated``, ``source``,
``depth``), every trait by name (``{node}``, ``{result.username}``), the handler
(``handler_name``, ``handler_id``), ``action`` (the event name, privacyIDEA's tag), ``time``
and ``date`` (now, UTC), and ``traits``/``event`` (the whole as JSON). An unknown tag, or any
other brace, stays as written, so JSON templates need no escaping. No attribute or index
lookups: a template cannot reach into objects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from chalicelib.core.model import Event, utcnow
from chalicelib.engine.modules.base import ActionContext

_TAG = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.:\-]*)\}")


def plain_value(value: Any) -> Any:
    """A value as JSON shows it: datetimes in isoformat, the rest as it is."""
    return value.isoformat() if isinstance(value, datetime) else value


def event_document(event: Event) -> dict[str, Any]:
    """The event as a JSON-ready dict (what ``{event}`` and webhooks send)."""
    return {
        "message_id": event.message_id,
        "event_type": event.event_type,
        "generated": event.generated.isoformat(),
        "source": event.source,
        "depth": event.depth,
        "project_id": event.project_id,
        "user_id": event.user_id,
        "traits": {name: plain_value(value) for name, value in event.trait_values().items()},
    }


def tag_values(context: ActionContext) -> dict[str, Any]:
    """Every tag a template of ``context`` may use, with its value."""
    now = utcnow()
    if context.event is not None:
        document = event_document(context.event)
        traits = document["traits"]
        fields = {key: document[key] for key in ("message_id", "generated", "source", "depth")}
    else:
        from chalicelib.engine.conditions import PARAMS_PREFIX, flatten

        params = context.params or {}
        # Plain parameter names, and the names the operation's event will give them.
        named = {**flatten(params), **flatten(params, PARAMS_PREFIX)}
        traits = {name: plain_value(value) for name, value in named.items()}
        if context.principal is not None:
            # The actor, never a parameter of the same name.
            traits["logged_in_user"] = context.principal.username
            traits["role"] = "admin" if context.principal.is_admin else "user"
        document = {"event_type": context.event_name, "traits": traits}
        fields = {"source": context.event_name.split(".", 1)[0]}
    values: dict[str, Any] = dict(traits)
    values.update(fields)
    values.update(
        {
            "event_type": context.event_name,
            "action": context.event_name,
            "handler_name": context.handler_name,
            "handler_id": context.handler_id,
            "time": now.strftime("%H:%M:%S"),
            "date": now.strftime("%Y-%m-%d"),
            "traits": traits,
            "event": document,
        }
    )
    return values


def _as_text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, default=str, sort_keys=True)
    return str(plain_value(value))


def render(template: str, values: dict[str, Any], quote: Callable[[str], str] | None = None) -> str:
    """``template`` with every known ``{tag}`` replaced (passed through ``quote`` if given)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values or values[name] is None:
            return match.group(0) if name not in values else ""
        text = _as_text(values[name])
        return quote(text) if quote else text

    return _TAG.sub(replace, template)


def render_json(document: Any, values: dict[str, Any]) -> Any:
    """A parsed JSON template with tags replaced in keys and strings.

    A string that is exactly one known tag becomes that value itself (a number stays a
    number, ``{traits}`` an object).
    """
    if isinstance(document, dict):
        return {render(str(k), values): render_json(v, values) for k, v in document.items()}
    if isinstance(document, list):
        return [render_json(item, values) for item in document]
    if isinstance(document, str):
        whole = _TAG.fullmatch(document)
        if whole and whole.group(1) in values:
            return plain_value(values[whole.group(1)])
        return render(document, values)
    return document
