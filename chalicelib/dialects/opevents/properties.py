"""opEvents' normalised event properties: defaults, priority and level, what PATCH may set.

Pure functions (no store): ``normalise`` turns a client's JSON object into the properties
opEvents keeps, ``traits_of`` into the one store's typed traits, ``validate_changes`` checks
the body of newer opEvents' ``PATCH /api/v1/events/{id}``.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
from datetime import UTC, datetime
from typing import Any

from chalicelib.core.model import Trait, convert_trait_value, infer_trait, parse_timestamp
from chalicelib.errors import ValidationFailed

SOURCE = "opevents"
DEFAULT_TYPE = "api"
DEFAULT_PRIORITY = 3
# The nearest NMIS level of each priority (opEvents' table; 0-1 round up to Normal, 4 down
# to Warning, 9-10 stay Fatal).
LEVELS = (
    "Normal",  # 0
    "Normal",  # 1
    "Normal",  # 2
    "Warning",  # 3
    "Warning",  # 4
    "Minor",  # 5
    "Major",  # 6
    "Critical",  # 7
    "Fatal",  # 8
)
LEVEL_PRIORITY = {"normal": 2, "warning": 3, "minor": 5, "major": 6, "critical": 7, "fatal": 8}
# Assigned by the server: never taken from the input.
SERVER_PROPERTIES = ("_id", "id", "eventid", "stateful_eventids")
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
MAX_EVENT_NAME = 255  # the one store's event type
# The properties are stored twice (opEvents' record, the one-store raw): far below 400 KB.
MAX_PROPERTIES_BYTES = 64 * 1024
ID_PATTERN_LENGTH = 24


# ---------------------------------------------------------------- properties


def level_of(priority: int) -> str:
    """The NMIS level name opEvents shows for ``priority``."""
    return LEVELS[min(max(priority, 0), len(LEVELS) - 1)]


def parse_priority(value: Any) -> int:
    """An integer priority; negatives become 0, values above 10 are kept."""
    try:
        # The one store's integer rule: ints, integral floats and digit strings; no booleans.
        return max(0, convert_trait_value("integer", value))
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValidationFailed(
            f"priority must be an integer from 0 to 10, not {value!r}", field="priority"
        ) from exc


def _unix_time(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise ValidationFailed(f"{name} must be UNIX seconds", field=name)
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = None
    if number is None and name == "date" and isinstance(value, str):
        try:
            return parse_timestamp(value).replace(tzinfo=UTC).timestamp()
        except ValueError:
            pass
    if number is None or not math.isfinite(number) or number < 0:
        raise ValidationFailed(f"{name} is not a valid time: {value!r}", field=name)
    return number


def _string(properties: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = properties.get(name)
    if value is None or value == "":
        if required:
            raise ValidationFailed(f"the property {name} is required", field=name)
        return None
    if isinstance(value, dict | list | bool):
        raise ValidationFailed(f"the property {name} must be a string", field=name)
    return str(value)


def normalise(data: Any, now: float | None = None) -> dict[str, Any]:
    """opEvents' normalised properties of a new event (node not resolved yet)."""
    if not isinstance(data, dict):
        raise ValidationFailed("the body must be a JSON object of event properties")
    properties = {k: v for k, v in data.items() if k not in SERVER_PROPERTIES and v is not None}
    name = _string(properties, "event", required=True) or ""
    if len(name) > MAX_EVENT_NAME:
        raise ValidationFailed(
            f"the event name is longer than {MAX_EVENT_NAME} characters", field="event"
        )
    node, host = _string(properties, "node"), _string(properties, "host")
    if not (node or host):
        raise ValidationFailed("a node or a host property is required", field="node")
    for text in ("element", "state", "stateful", "details", "type"):
        if text in properties:
            properties[text] = _string(properties, text) or ""
    if "time" in properties:
        moment = _unix_time(properties["time"], "time")
    elif "date" in properties:
        moment = _unix_time(properties["date"], "date")
    else:
        moment = time.time() if now is None else now
    properties["time"] = moment
    properties.setdefault("date", datetime.fromtimestamp(moment, UTC).strftime(DATE_FORMAT))
    if "priority" in properties:
        priority = parse_priority(properties["priority"])
    else:
        level = str(properties.get("level", "")).strip().lower()
        priority = LEVEL_PRIORITY.get(level, DEFAULT_PRIORITY)
    properties["priority"] = priority
    properties["level"] = level_of(priority)
    properties["type"] = properties.get("type") or DEFAULT_TYPE
    properties["event"] = name
    properties.setdefault("acknowledged", 0)
    properties.setdefault("escalate", 0)
    properties.setdefault("flap", 0)
    if node:
        properties["node"] = node
    if len(json.dumps(properties, default=str)) > MAX_PROPERTIES_BYTES:
        raise ValidationFailed(f"the event's properties exceed {MAX_PROPERTIES_BYTES} bytes")
    return properties


def traits_of(properties: dict[str, Any]) -> list[Trait]:
    """The one store's typed traits: ``priority`` integer, ``time`` float, the rest strings."""
    traits = []
    for name, value in properties.items():
        if name == "priority":
            traits.append(Trait(name, "integer", int(value)))
        elif name == "time":
            traits.append(Trait(name, "float", float(value)))
        elif isinstance(value, dict | list):
            traits.append(infer_trait(name, value))  # JSON text
        else:
            traits.append(Trait(name, "string", str(value)[:255]))
    return traits


def new_event_id(now: float | None = None) -> str:
    """A MongoDB-ObjectId-shaped id: 4 bytes of UNIX time, then 8 random bytes (24 hex)."""
    seconds = int(time.time() if now is None else now) & 0xFFFFFFFF
    return seconds.to_bytes(4, "big").hex() + os.urandom(8).hex()


def is_event_id(value: str) -> bool:
    return len(value) == ID_PATTERN_LENGTH and all(c in "0123456789abcdef" for c in value)


# ---------------------------------------------------------------- PATCH


# What PATCH may set: opEvents' predefined properties a client changes (the rest are the
# server's: node, event, time, ids), and custom ones under the ``tag_`` prefix.
FLAGS = ("acknowledged", "escalate")  # flap and the rest are opEvents' own findings
TEXTS = ("details", "interface_description", "authority", "location")
UPDATABLE = (*FLAGS, "priority", "level", *TEXTS, "delayedaction", "tags", "tag_<name>")
MAX_PATCH_PRIORITY = 10
TAG_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
EMPTY_INPUT = "Empty input: Please provide the necessary data in the request body."
MAX_UPDATE_ATTEMPTS = 3


def _flag(value: Any, name: str) -> int:
    if value in (True, 1, "1", "true"):
        return 1
    if value in (False, 0, "0", "false"):
        return 0
    raise ValidationFailed(f"{name} must be 0 or 1, not {value!r}", field=name)


def _patch_priority(value: Any) -> int:
    """PATCH's priority: an integer of opEvents' range 0-10."""
    try:
        priority = convert_trait_value("integer", value)
    except (TypeError, ValueError, OverflowError):
        priority = None
    if priority is None or not 0 <= priority <= MAX_PATCH_PRIORITY:
        raise ValidationFailed(
            f"priority must be an integer from 0 to {MAX_PATCH_PRIORITY}, not {value!r}",
            field="priority",
        )
    return int(priority)


def _tag_value(name: str, value: Any) -> str | int | float:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationFailed(f"{name} must be a text or a number", field=name)
    return value


def _tags(changes: dict[str, Any]) -> dict[str, Any]:
    tags: dict[str, Any] = {}
    given = changes.get("tags")
    if given is not None:
        if not isinstance(given, dict):
            raise ValidationFailed("tags must be an object of names to values", field="tags")
        for name, value in given.items():
            tags[f"tag_{name}"] = value
    for key, value in changes.items():
        if key.startswith("tag_"):
            tags[key] = value
    for key, value in tags.items():
        if not TAG_NAME.match(key[len("tag_") :]):
            raise ValidationFailed(f"{key!r} is not a valid tag name", field=key)
        _tag_value(key, value)
    return tags


def validate_changes(changes: Any) -> dict[str, Any]:
    """The property changes of a PATCH, validated (opEvents' predefined properties, ``tag_*``).

    ``priority`` (0-10) sets ``level`` to its NMIS level; ``level`` alone (Normal, Warning,
    Minor, Major, Critical, Fatal) sets ``priority`` to that level's; acknowledging clears
    ``escalate``, as opEvents does.
    """
    if changes is None or changes == {} or changes == []:
        raise ValidationFailed(EMPTY_INPUT)
    if not isinstance(changes, dict):
        raise ValidationFailed("the body must be a JSON object of event properties")
    unknown = sorted(key for key in changes if key not in UPDATABLE and not key.startswith("tag_"))
    if unknown:
        raise ValidationFailed(
            f"Unknown properties: {', '.join(unknown)}; only {', '.join(UPDATABLE)} can be set"
        )
    valid: dict[str, Any] = {}
    for name in FLAGS:
        if name in changes:
            valid[name] = _flag(changes[name], name)
    if "level" in changes:
        level = str(changes["level"]).strip().lower()
        if level not in LEVEL_PRIORITY or isinstance(changes["level"], bool):
            raise ValidationFailed(
                "level must be one of Normal, Warning, Minor, Major, Critical, Fatal, "
                f"not {changes['level']!r}",
                field="level",
            )
        valid["priority"] = LEVEL_PRIORITY[level]
    if "priority" in changes:
        valid["priority"] = _patch_priority(changes["priority"])
    if "priority" in valid:
        valid["level"] = level_of(valid["priority"])
    for name in TEXTS:
        if name in changes:
            if not isinstance(changes[name], str):
                raise ValidationFailed(f"{name} must be a string", field=name)
            valid[name] = changes[name]
    if "delayedaction" in changes:
        valid["delayedaction"] = _unix_time(changes["delayedaction"], "delayedaction")
    valid.update(_tags(changes))
    if valid.get("acknowledged") == 1 and "escalate" not in valid:
        valid["escalate"] = 0  # opEvents clears escalation on acknowledgement
    return valid
