"""Panko V2 ingest (beyond Panko): ``POST /v2/events`` bodies in Panko's Event shape.

A body is one event or a list of them: ``{"message_id"?, "event_type", "generated"?,
"traits"?: [{"name", "type"?, "value"}], "raw"?}``. Everything is validated before anything
is written. Ownership, as Panko's visibility reads it: an admin's events are stored with
exactly the traits sent (owned by whatever ``project_id``/``user_id`` traits they carry, or by
no project); anyone else's are stamped with the caller's project and user, and naming another
owner is refused. Ids are per owner: a non-admin's message id is stored scoped to its owner
(``core.events.scoped_message_id``), so tenants neither see nor take each other's ids.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from chalicelib.core.events import scoped_message_id
from chalicelib.core.model import (
    OWNER_TRAITS,
    Event,
    Trait,
    build_event,
    make_trait,
    new_message_id,
)
from chalicelib.dialects.panko.query import FILTER_TYPES, invalid_input
from chalicelib.errors import PermissionDenied, ValidationFailed

EVENT_ATTRIBUTES = ("message_id", "event_type", "generated", "traits", "raw")
TRAIT_ATTRIBUTES = ("name", "type", "value")
SOURCE = "panko"


@dataclass(frozen=True)
class Owner:
    """Who ingests: their identity is the default owner of what they send."""

    username: str
    project_id: str | None
    user_id: str
    admin: bool


def _unknown_attributes(argument: str, extra: list[str]) -> ValidationFailed:
    plural = "s" if len(extra) > 1 else ""
    return ValidationFailed(
        f"Unknown attribute{plural} for argument {argument}: {', '.join(extra)}",
        field=argument,
    )


def _trait(data: Any) -> Trait:
    if not isinstance(data, dict):
        raise invalid_input("traits", data, "Value should be an object")
    extra = [key for key in data if key not in TRAIT_ATTRIBUTES]
    if extra:
        raise _unknown_attributes("trait", extra)
    name, value = data.get("name"), data.get("value")
    trait_type = data.get("type") or "string"
    if not isinstance(name, str) or not name:
        raise invalid_input("name", name, "Mandatory field missing.")
    if value is None:
        raise invalid_input("value", None, "Mandatory field missing.")
    if trait_type not in FILTER_TYPES:
        raise ValidationFailed(
            f"The data type {trait_type} is not supported. The supported data type list is: "
            f"{list(FILTER_TYPES)}",
            field="traits",
        )
    try:
        return make_trait(name, trait_type, value)
    except ValidationFailed as exc:
        raise ValidationFailed(
            f"Unable to convert the value {value} to the expected data type {trait_type}.",
            field="traits",
            cause=exc,
        ) from exc


def _check_owner(trait: Trait, owner: Owner) -> None:
    if owner.admin or trait.name not in OWNER_TRAITS:
        return
    own = owner.project_id if trait.name == "project_id" else owner.user_id
    if trait.type != "string" or trait.value != own:
        raise PermissionDenied(
            f"Not Authorized to record events with {trait.name} {trait.wire_value()}",
            permission="admin",
        )


def normalise(data: Any) -> dict[str, Any]:
    """Check one wire event's shape and give it a message id if it has none."""
    if not isinstance(data, dict):
        raise ValidationFailed("Request must be a JSON dict or a list of JSON dicts")
    extra = [key for key in data if key not in EVENT_ATTRIBUTES]
    if extra:
        raise _unknown_attributes("event", extra)
    normalised = dict(data)
    if normalised.get("message_id") in (None, ""):
        normalised["message_id"] = new_message_id()
    return normalised


def event_from_wire(data: dict[str, Any], owner: Owner) -> Event:
    """One validated event, owned as the module docstring says."""
    if not isinstance(data.get("event_type"), str) or not data["event_type"]:
        raise invalid_input("event_type", data.get("event_type"), "Mandatory field missing.")
    traits_data = data.get("traits") or []
    if not isinstance(traits_data, list):
        raise invalid_input("traits", traits_data, f"Value not a valid list: {traits_data}")
    traits = [_trait(item) for item in traits_data]
    seen: set[tuple[str, str]] = set()
    for trait in traits:
        if (trait.name, trait.type) in seen:
            raise invalid_input(
                "traits", trait.name, f"The {trait.type} trait {trait.name} is given twice."
            )
        seen.add((trait.name, trait.type))
        _check_owner(trait, owner)
    generated = data.get("generated")
    if generated is not None and not isinstance(generated, str):
        raise invalid_input("generated", generated, "Not an ISO 8601 timestamp.")
    try:
        event = build_event(
            event_type=data["event_type"],
            traits=traits,
            message_id=data.get("message_id"),
            generated=generated,
            raw=data.get("raw"),
            source=SOURCE,
            # An admin's traits are kept exactly as sent; anyone else's events are theirs.
            project_id=None if owner.admin else owner.project_id,
            user_id=None if owner.admin else owner.user_id,
            owner_from_traits=owner.admin,
            recorded_by=owner.username,
        )
    except ValidationFailed as exc:
        name = exc.field or "event"
        raise invalid_input(name, data.get(name), exc.message) from exc
    if owner.admin:
        return event  # an admin reserves ids in the shared space, as Panko's pipeline does
    return replace(
        event, message_id=scoped_message_id(event.message_id, owner.project_id, owner.user_id)
    )


def events_from_wire(items: list[dict[str, Any]], owner: Owner) -> list[Event]:
    """Every event validated, or the first error (prefixed with its index in a list)."""
    result = []
    for index, item in enumerate(items):
        try:
            result.append(event_from_wire(normalise(item), owner))
        except (ValidationFailed, PermissionDenied) as exc:
            if len(items) > 1:
                exc.message = f"Event {index}: {exc.message}"
                exc.args = (exc.message,)
            raise
    return result
