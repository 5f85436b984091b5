"""Handler configurations (privacyIDEA's event handler bindings): the plain value, reads, writes.

Writes follow privacyIDEA 3.14: ``save_handler`` creates, or updates when the draft names an
existing id (omitted conditions and options are kept, ``clear_options`` empties the options;
position, ordering and active are always taken from the draft); enable, disable and delete
answer ``HandlerNotFound`` for an unknown id. Every write forgets the cached handler set.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from chalicelib.core.errors import NotFound, StoreUnavailable, ValidationFailed
from chalicelib.core.handler_set_version import bump_handler_set_version
from chalicelib.core.model import format_stored_time, utcnow
from chalicelib.store import meta
from chalicelib.store.access import save_if, store_access
from chalicelib.store.handlers import PARTITION, HandlerModel

# The id sequence of handler configurations (privacyIDEA's ``eventhandler_seq``).
HANDLER_SEQUENCE = "eventhandler"
CONDITIONS_NOT_A_DICT = "The 'conditions' parameter must be a dictionary."


@dataclass(frozen=True)
class HandlerConfig:
    id: int
    name: str
    events: tuple[str, ...]
    handlermodule: str
    action: str
    position: str = "post"
    ordering: int = 0
    active: bool = True
    abort_on_error: bool = False
    options: dict[str, str] = field(default_factory=dict)
    conditions: dict[str, str] = field(default_factory=dict)

    def handles(self, event_name: str, position: str) -> bool:
        return self.active and self.position == position and event_name in self.events


def _from_item(item: HandlerModel) -> HandlerConfig:
    def as_dict(value: Any) -> dict[str, str]:
        raw = value.as_dict() if hasattr(value, "as_dict") else dict(value or {})
        return {str(k): str(v) for k, v in raw.items()}

    return HandlerConfig(
        id=int(item.id),
        name=item.name,
        events=tuple(item.events or ()),
        handlermodule=item.handlermodule,
        action=item.action,
        position=item.position or "post",
        ordering=int(item.ordering or 0),
        active=bool(item.active),
        abort_on_error=bool(item.abort_on_error),
        options=as_dict(item.options),
        conditions=as_dict(item.conditions),
    )


def list_handlers() -> list[HandlerConfig]:
    """Every handler configuration, ordered by (ordering, id): the order they run in."""
    with store_access():
        configs = [_from_item(item) for item in HandlerModel.query(PARTITION)]
    configs.sort(key=lambda config: (config.ordering, config.id))
    return configs


# The handler set is read on every mutating request (pre handlers) and once per stream batch.
# A container keeps it for a few seconds; a write in this container forgets it at once.
_CACHE_SECONDS = 5.0
_cache: list[tuple[float, list[HandlerConfig]]] = []


def cached_handlers(max_age_seconds: float = _CACHE_SECONDS) -> list[HandlerConfig]:
    """``list_handlers()``, reused for ``max_age_seconds`` within this container."""
    import time

    now = time.monotonic()
    if _cache and now - _cache[0][0] < max_age_seconds:
        return _cache[0][1]
    configs = list_handlers()
    _cache[:] = [(now, configs)]
    return configs


def forget_cached_handlers() -> None:
    """Drop the cached handler set (after every write, and between tests)."""
    _cache.clear()


# ---------------------------------------------------------------- writing


def _handler_set_changed() -> None:
    """Forget this container's set; the version tells stream containers to re-read theirs."""
    forget_cached_handlers()
    bump_handler_set_version()


class HandlerNotFound(NotFound):
    """No handler configuration has that id."""

    default_message = "The requested EventHandler could not be found."

    def __init__(self, handler_id: int | None = None) -> None:
        self.handler_id = handler_id
        super().__init__()


@dataclass(frozen=True)
class HandlerDraft:
    """What a create or update asks for, as plain values.

    ``id`` None creates with the next id; an id that exists updates it, one that does not
    creates with that id. ``abort_on_error`` None keeps the stored value (update) or takes the
    module's default (create). ``conditions`` None keeps the stored conditions. ``options``
    replace the stored ones only when non-empty or when ``clear_options`` is set.
    Option and condition values are stored as text (``str(value)``, so JSON true is "True").
    """

    name: str
    events: tuple[str, ...]
    handlermodule: str
    action: str
    id: int | None = None
    position: str = "post"
    ordering: int = 0
    active: bool = True
    abort_on_error: bool | None = None
    options: dict[str, Any] = field(default_factory=dict)
    clear_options: bool = False
    conditions: dict[str, Any] | None = None

    def to_params(self) -> dict[str, Any]:
        """The draft as the parameters of its operation event (what pre handlers see)."""
        params = {f.name: getattr(self, f.name) for f in fields(self)}
        params["events"] = list(self.events)
        params["options"] = dict(self.options)
        params["conditions"] = None if self.conditions is None else dict(self.conditions)
        return params

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> HandlerDraft:
        """The draft ``to_params`` described (after pre handlers may have changed it)."""
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in params.items() if key in known}
        values["events"] = tuple(values.get("events") or ())
        values["options"] = dict(values.get("options") or {})
        for required in ("name", "handlermodule", "action"):
            values[required] = values.get(required) or ""
        return cls(**values)


def _validate(draft: HandlerDraft):
    """The draft's module class; ``ValidationFailed`` in privacyIDEA's words otherwise."""
    from chalicelib.engine.modules.base import get_module

    for name, value in (
        ("name", draft.name),
        ("event", draft.events),
        ("handlermodule", draft.handlermodule),
        ("action", draft.action),
    ):
        if not value:
            raise ValidationFailed(f"Missing parameter: {name}", field=name)
    module = get_module(draft.handlermodule)
    if module is None:
        raise ValidationFailed(
            f"Unknown handler module: {draft.handlermodule}", field="handlermodule"
        )
    if draft.action not in module.actions:
        raise ValidationFailed(
            f"Unknown action: {draft.action}. Allowed are: {', '.join(sorted(module.actions))}",
            field="action",
        )
    if draft.position not in module.positions:
        raise ValidationFailed(
            f"Unknown position: {draft.position}. "
            f"Allowed are: {', '.join(sorted(module.positions))}",
            field="position",
        )
    if isinstance(draft.ordering, bool) or not isinstance(draft.ordering, int):
        raise ValidationFailed(f"Invalid ordering: {draft.ordering}", field="ordering")
    if draft.conditions is not None and not isinstance(draft.conditions, dict):
        raise ValidationFailed(CONDITIONS_NOT_A_DICT, field="conditions")
    return module


def _as_text(values: dict[str, Any]) -> dict[str, str]:
    return {str(key): str(value) for key, value in values.items()}


def _load(handler_id: int) -> HandlerModel | None:
    with store_access():
        try:
            return HandlerModel.get(PARTITION, handler_id)
        except HandlerModel.DoesNotExist:
            return None


def _put_new(item: HandlerModel) -> bool:
    """Store ``item`` unless its id is taken; False when it is."""
    return save_if(item, HandlerModel.id.does_not_exist())


def _new_item(
    draft: HandlerDraft, handler_id: int, default_abort: bool, conditions: dict[str, str]
) -> HandlerModel:
    return HandlerModel(
        PARTITION,
        handler_id,
        name=draft.name,
        events=list(draft.events),
        handlermodule=draft.handlermodule,
        action=draft.action,
        position=draft.position,
        ordering=draft.ordering,
        active=draft.active,
        abort_on_error=default_abort if draft.abort_on_error is None else draft.abort_on_error,
        options=_as_text(draft.options),
        conditions=conditions,
        updated_at=format_stored_time(utcnow()),
    )


def _update(item: HandlerModel, draft: HandlerDraft, conditions: dict[str, str] | None) -> int:
    item.name = draft.name
    item.events = list(draft.events)
    item.handlermodule = draft.handlermodule
    item.action = draft.action
    # privacyIDEA 3.14: position, ordering and active are not partial; omitted means default.
    item.position = draft.position
    item.ordering = draft.ordering
    item.active = draft.active
    if draft.abort_on_error is not None:
        item.abort_on_error = draft.abort_on_error
    if draft.options or draft.clear_options:
        item.options = _as_text(draft.options)
    if conditions is not None:
        item.conditions = conditions
    item.updated_at = format_stored_time(utcnow())
    with store_access():
        item.save()
    return int(item.id)


def save_handler(draft: HandlerDraft) -> int:
    """Create or update a handler configuration (privacyIDEA 3.14 rules); returns its id."""
    from chalicelib.engine.conditions import validate_conditions

    module = _validate(draft)
    conditions = None if draft.conditions is None else _as_text(draft.conditions)
    if conditions is not None:
        validate_conditions(conditions)
    try:
        with store_access():
            if draft.id is None:
                while True:
                    handler_id = meta.next_sequence_value(HANDLER_SEQUENCE)
                    item = _new_item(
                        draft, handler_id, module.default_abort_on_error, conditions or {}
                    )
                    # An id taken by an explicit-id create is skipped, never overwritten.
                    if _put_new(item):
                        return handler_id
            existing = _load(draft.id)
            if existing is None:
                # privacyIDEA creates a binding with an unknown explicit id; the sequence must
                # then never hand that id out again.
                meta.raise_sequence_to(HANDLER_SEQUENCE, draft.id)
                item = _new_item(draft, draft.id, module.default_abort_on_error, conditions or {})
                if _put_new(item):
                    return draft.id
                existing = _load(draft.id)  # created concurrently: update it instead
                if existing is None:
                    raise StoreUnavailable("the handler configuration could not be stored")
            return _update(existing, draft, conditions)
    finally:
        _handler_set_changed()


def get_handler(handler_id: int) -> HandlerConfig | None:
    """The handler configuration ``handler_id``, or None."""
    item = _load(handler_id)
    return None if item is None else _from_item(item)


def set_active(handler_id: int, active: bool) -> int:
    """Enable or disable a handler configuration; ``HandlerNotFound`` if it does not exist."""
    item = HandlerModel(PARTITION, handler_id)
    try:
        with store_access(on_condition_failed=lambda: HandlerNotFound(handler_id)):
            item.update(
                actions=[
                    HandlerModel.active.set(active),
                    HandlerModel.updated_at.set(format_stored_time(utcnow())),
                ],
                condition=HandlerModel.id.exists(),
            )
    finally:
        _handler_set_changed()
    return handler_id


def delete_handler(handler_id: int) -> int:
    """Delete a handler configuration; ``HandlerNotFound`` if it does not exist."""
    try:
        with store_access(on_condition_failed=lambda: HandlerNotFound(handler_id)):
            HandlerModel(PARTITION, handler_id).delete(condition=HandlerModel.id.exists())
    finally:
        _handler_set_changed()
    return handler_id
