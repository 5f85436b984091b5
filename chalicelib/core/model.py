"""The event as every part of event-service sees it: plain, typed, immutable values."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from chalicelib.errors import ValidationFailed

TRAIT_TYPES: tuple[str, ...] = ("string", "integer", "float", "datetime")
# Panko orders trait descriptions and instances by storage table: text, int, float, datetime.
TRAIT_TYPE_RANK: dict[str, int] = {name: rank for rank, name in enumerate(TRAIT_TYPES)}
MAX_STRING_TRAIT = 255  # Panko crops text traits to 255 characters
MAX_MESSAGE_ID = 128
MAX_EVENT_TYPE = 255
STORED_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"  # what the stored text reads like (years 0001-9999)
# DynamoDB numbers: 38 significant digits, magnitude from 1e-130 up to below 1e126.
MAX_NUMBER_DIGITS = 38
MAX_NUMBER_MAGNITUDE = 1e126
MIN_NUMBER_MAGNITUDE = 1e-130
# The traits that say who owns an event (Panko's visibility reads them).
OWNER_TRAITS = ("project_id", "user_id")
# A source's own ``project_id``/``user_id`` data (an opEvents property, a case variable) is kept
# under this prefix: data, never an owner.
SENT_OWNER_PREFIX = "sent_"


def utcnow() -> datetime:
    """Now, as naive UTC (the form every stored time takes)."""
    return datetime.now(UTC).replace(tzinfo=None)


def parse_timestamp(value: Any) -> datetime:
    """Parse an ISO-8601 timestamp (or a datetime) into naive UTC.

    Raises ``ValueError`` for anything else, so callers decide which error their dialect shows.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        parsed = datetime.fromisoformat(text)
    else:
        raise ValueError(f"not a timestamp: {value!r}")
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        except OverflowError as exc:  # an offset that moves it before 0001 or after 9999
            raise ValueError(f"{value!r} is outside the years 0001-9999 in UTC") from exc
    return parsed


def format_stored_time(moment: datetime) -> str:
    """Fixed-width text that sorts like the time it names.

    ``isoformat`` pads the year to four digits (``strftime('%Y')`` does not on Linux: year 500
    would be stored as ``500-…`` and sort after year 2000).
    """
    return moment.isoformat(sep="T", timespec="microseconds")


def check_storable_number(value: int | float) -> None:
    """``ValueError`` when DynamoDB cannot store ``value`` as a number."""
    magnitude: int | float
    if isinstance(value, int):
        if len(str(abs(value)).rstrip("0")) > MAX_NUMBER_DIGITS:
            raise ValueError(f"more than {MAX_NUMBER_DIGITS} significant digits")
        magnitude = abs(value)
    else:
        if not math.isfinite(value):
            raise ValueError("a number must be finite")
        magnitude = abs(value)
    if magnitude and not MIN_NUMBER_MAGNITUDE <= magnitude < MAX_NUMBER_MAGNITUDE:
        raise ValueError("outside DynamoDB's range (1e-130 to 1e126 in magnitude)")


@dataclass(frozen=True, order=True)
class Trait:
    """One typed trait. ``value`` is str, int, float or a naive-UTC datetime."""

    name: str
    type: str
    value: Any = field(compare=False)

    @property
    def rank(self) -> int:
        return TRAIT_TYPE_RANK[self.type]

    def wire_value(self) -> str:
        """The value as Panko shows it: always text, datetimes in isoformat."""
        if isinstance(self.value, datetime):
            return self.value.isoformat()
        return str(self.value)


def convert_trait_value(trait_type: str, value: Any) -> Any:
    """Convert ``value`` to the Python value of ``trait_type``; ``ValueError`` when it cannot."""
    if trait_type == "string":
        if isinstance(value, dict | list):
            raise ValueError("a string trait cannot hold an object or a list")
        return str(value)[:MAX_STRING_TRAIT]
    if trait_type == "integer":
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(f"not an integer: {value!r}")
        if isinstance(value, str) and len(value.strip()) > MAX_NUMBER_DIGITS + 2:
            raise ValueError("too many digits")  # before int() parses thousands of digits
        whole = int(value)
        check_storable_number(whole)
        return whole
    if trait_type == "float":
        if isinstance(value, bool):
            raise ValueError(f"not a float: {value!r}")
        number = float(value)
        check_storable_number(number)
        return number
    if trait_type == "datetime":
        return parse_timestamp(value)
    raise ValueError(f"unknown trait type {trait_type!r}")


def make_trait(name: Any, trait_type: Any, value: Any) -> Trait:
    """Validate and build one trait; raises ``ValidationFailed`` with a clear message."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationFailed("a trait needs a non-empty string name", field="traits")
    if trait_type not in TRAIT_TYPES:
        raise ValidationFailed(
            f"trait {name}: type must be one of {', '.join(TRAIT_TYPES)}, not {trait_type!r}",
            field="traits",
        )
    try:
        converted = convert_trait_value(trait_type, value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValidationFailed(
            f"trait {name}: cannot convert {value!r} to {trait_type}", field="traits", cause=exc
        ) from exc
    return Trait(name, trait_type, converted)


def _storable(value: int | float) -> bool:
    try:
        check_storable_number(value)
    except ValueError:
        return False
    return True


def infer_trait(name: str, value: Any) -> Trait:
    """A trait whose type follows the Python value (for properties recorded by other dialects)."""
    if isinstance(value, bool):
        return Trait(name, "string", str(value))
    if isinstance(value, int) and _storable(value):
        return Trait(name, "integer", value)
    if isinstance(value, float) and _storable(value):
        return Trait(name, "float", value)
    if isinstance(value, datetime):
        return Trait(name, "datetime", parse_timestamp(value))
    if isinstance(value, dict | list):
        import json

        return Trait(name, "string", json.dumps(value, sort_keys=True)[:MAX_STRING_TRAIT])
    return Trait(name, "string", str(value)[:MAX_STRING_TRAIT])


def new_message_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Event:
    """One event of the one store."""

    message_id: str
    event_type: str
    generated: datetime
    traits: tuple[Trait, ...] = ()
    raw: Any = field(default_factory=dict)
    source: str = "api"
    project_id: str | None = None
    user_id: str | None = None
    recorded_by: str | None = None
    depth: int = 0
    # When the store accepted it (None before it is stored): the stream compares it with the
    # time its handler set was read.
    recorded_at: datetime | None = field(default=None, compare=False)

    def trait(self, name: str, trait_type: str | None = None) -> Trait | None:
        """The trait called ``name`` (of ``trait_type`` when given), or None."""
        for trait in self.traits:
            if trait.name == name and (trait_type is None or trait.type == trait_type):
                return trait
        return None

    def trait_values(self) -> dict[str, Any]:
        """Trait name to value (the first type wins when a name has several)."""
        values: dict[str, Any] = {}
        for trait in self.traits:
            values.setdefault(trait.name, trait.value)
        return values


def _owned_traits(
    traits: list[Trait] | tuple[Trait, ...],
    owner: dict[str, str | None],
    owner_from_traits: bool,
) -> dict[tuple[str, str], Trait]:
    """The traits by (name, type), with the owner traits as ``build_event`` explains."""
    by_key: dict[tuple[str, str], Trait] = {}
    renamed: list[Trait] = []
    for trait in traits:
        if trait.name in OWNER_TRAITS and not owner_from_traits:
            if trait.type == "string" and trait.value == owner[trait.name]:
                continue  # the same owner the caller is: nothing to keep apart
            renamed.append(Trait(SENT_OWNER_PREFIX + trait.name, trait.type, trait.value))
            continue
        by_key[(trait.name, trait.type)] = trait  # one value per (name, type), last wins
    for trait in renamed:  # a trait sent under the prefix itself wins over a renamed one
        by_key.setdefault((trait.name, trait.type), trait)
    for name, value in owner.items():
        if value and (name, "string") not in by_key:
            by_key[(name, "string")] = Trait(name, "string", str(value))
    return by_key


def build_event(
    *,
    event_type: Any,
    traits: list[Trait] | tuple[Trait, ...] = (),
    message_id: Any = None,
    generated: Any = None,
    raw: Any = None,
    source: str = "api",
    project_id: str | None = None,
    user_id: str | None = None,
    recorded_by: str | None = None,
    depth: int = 0,
    owner_from_traits: bool = False,
) -> Event:
    """Validate the parts of an event and assemble it.

    Owners are the creator's: ``project_id``/``user_id`` (the acting principal's, or None for
    an event nobody owns) are the event's owner and its owner traits. A ``project_id`` or
    ``user_id`` trait among ``traits`` (an opEvents property, a case variable, an ingested
    trait) is data, never an owner: it is kept as ``sent_project_id``/``sent_user_id``
    (dropped when it names the owner already). Only ``owner_from_traits`` (an admin's
    Panko ingest, where the traits sent name the owner) lets the traits decide.
    """
    if not isinstance(event_type, str) or not event_type.strip():
        raise ValidationFailed("event_type must be a non-empty string", field="event_type")
    if len(event_type) > MAX_EVENT_TYPE:
        raise ValidationFailed(
            f"event_type is longer than {MAX_EVENT_TYPE} characters", field="event_type"
        )
    if message_id is None or message_id == "":
        message_id = new_message_id()
    if not isinstance(message_id, str) or len(message_id) > MAX_MESSAGE_ID or "#" in message_id:
        raise ValidationFailed(
            f"message_id must be a string of at most {MAX_MESSAGE_ID} characters without '#'",
            field="message_id",
        )
    if generated is None:
        moment = utcnow()
    else:
        try:
            moment = parse_timestamp(generated)
        except (TypeError, ValueError) as exc:
            raise ValidationFailed(
                f"generated is not an ISO-8601 timestamp: {generated!r}", field="generated"
            ) from exc
    owner = {"project_id": project_id or None, "user_id": user_id or None}
    by_key = _owned_traits(traits, owner, owner_from_traits)
    ordered = tuple(sorted(by_key.values(), key=lambda t: (t.name, t.rank)))
    project = by_key.get(("project_id", "string"))
    user = by_key.get(("user_id", "string"))
    return Event(
        message_id=message_id,
        event_type=event_type,
        generated=moment,
        traits=ordered,
        raw={} if raw is None else raw,
        source=source,
        project_id=project.value if project else None,
        user_id=user.value if user else None,
        recorded_by=recorded_by,
        depth=depth,
    )
