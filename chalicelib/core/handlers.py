"""Handler configurations (privacyIDEA's event handler bindings): the plain value, reads, writes.

Writes follow privacyIDEA 3.14: ``save_handler`` creates, or updates when the draft names an
existing id (omitted conditions and options are kept, ``clear_options`` empties the options;
position, ordering and active are always taken from the draft); enable, disable and delete
answer ``HandlerNotFound`` for an unknown id. As in privacyIDEA, a handler missing a required
option is saved (``missing_of`` names what it lacks; it does not run until complete). Every
write forgets the cached handler set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from chalicelib.core import secret_options
from chalicelib.core.handler_rules import (
    ActionProblem,
    HandlerRules,
    ModuleRules,
    action_problem,
    missing_options,
)
from chalicelib.core.handler_set_version import bump_handler_set_version
from chalicelib.core.model import format_stored_time, utcnow
from chalicelib.errors import NotFound, StoreUnavailable, ValidationFailed
from chalicelib.store import meta
from chalicelib.store.access import save_if, store_access
from chalicelib.store.handlers import PARTITION, HandlerModel

# The id sequence of handler configurations (privacyIDEA's ``eventhandler_seq``).
HANDLER_SEQUENCE = "eventhandler"
CONDITIONS_NOT_A_DICT = "The 'conditions' parameter must be a dictionary."


@dataclass(frozen=True)
class HandlerConfig:
    """A stored handler configuration: the one declaration of a handler's fields."""

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


# The stored attributes, each named as the config's field (``id`` is the key).
STORED_FIELDS = tuple(f.name for f in fields(HandlerConfig) if f.name != "id")


def _from_item(item: HandlerModel) -> HandlerConfig:
    def as_dict(value: Any) -> dict[str, str]:
        raw = value.as_dict() if hasattr(value, "as_dict") else dict(value or {})
        return {str(k): str(v) for k, v in raw.items()}

    values = {name: getattr(item, name) for name in STORED_FIELDS}
    values.update(
        events=tuple(values["events"] or ()),
        position=values["position"] or "post",
        ordering=int(values["ordering"] or 0),
        active=bool(values["active"]),
        abort_on_error=bool(values["abort_on_error"]),
        options=as_dict(values["options"]),
        conditions=as_dict(values["conditions"]),
    )
    return HandlerConfig(id=int(item.id), **values)


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
        options = values.get("options") or {}
        if not isinstance(options, dict):  # a pre handler may have set anything
            raise ValidationFailed("The 'options' parameter must be a dictionary.", field="options")
        values["options"] = dict(options)
        for required in ("name", "handlermodule", "action"):
            values[required] = values.get(required) or ""
        return cls(**values)


def _problem_text(problem: ActionProblem, draft: HandlerDraft) -> tuple[str, str]:
    """(privacyIDEA's message, the field) of an action problem."""
    allowed = ", ".join(problem.allowed)
    if problem.kind == "module":
        return f"Unknown handler module: {problem.subject}", "handlermodule"
    if problem.kind == "action":
        return f"Unknown action: {problem.subject}. Allowed are: {allowed}", "action"
    if problem.kind == "position":
        return f"Unknown position: {problem.subject}. Allowed are: {allowed}", "position"
    # Options are not checked at save (see ``missing_of``): no other kind reaches here.
    return f"Invalid option {problem.subject}", f"option.{problem.subject}"


def missing_message(config: HandlerConfig, missing: tuple[str, ...]) -> str:
    """What a save answers (privacyIDEA's ``detail``) and a run records for ``missing``."""
    names = ", ".join(missing)
    plural = "s" if len(missing) > 1 else ""
    return (
        f"Missing option{plural} {names} of {config.handlermodule}:{config.action}: the "
        f"handler is saved but does not run until set (option.{missing[0]}=… in a form, "
        f'"options": {{"{missing[0]}": …}} in JSON)'
    )


def _refuse(problem: ActionProblem | None, draft: HandlerDraft) -> None:
    if problem is not None:
        message, field_name = _problem_text(problem, draft)
        raise ValidationFailed(message, field=field_name)


def _validate(draft: HandlerDraft, rules: HandlerRules) -> ModuleRules:
    """The draft's module declaration; ``ValidationFailed`` in privacyIDEA's words otherwise."""
    for name, value in (
        ("name", draft.name),
        ("event", draft.events),
        ("handlermodule", draft.handlermodule),
        ("action", draft.action),
    ):
        if not value:
            raise ValidationFailed(f"Missing parameter: {name}", field=name)
    _refuse(
        action_problem(rules, draft.handlermodule, draft.action, position=draft.position), draft
    )
    if isinstance(draft.ordering, bool) or not isinstance(draft.ordering, int):
        raise ValidationFailed(f"Invalid ordering: {draft.ordering}", field="ordering")
    if draft.conditions is not None and not isinstance(draft.conditions, dict):
        raise ValidationFailed(CONDITIONS_NOT_A_DICT, field="conditions")
    if not isinstance(draft.options, dict):
        raise ValidationFailed("The 'options' parameter must be a dictionary.", field="options")
    module = rules.module(draft.handlermodule)
    assert module is not None  # action_problem found it
    return module


def masked(config: HandlerConfig, rules: HandlerRules) -> HandlerConfig:
    """``config`` as every reader sees it: secret options replaced by ``SECRET_MASK``, URL
    credentials masked."""
    secret = rules.secret_options(config.handlermodule, config.action)
    shown = secret_options.masked(config.options, secret)
    return config if shown == config.options else replace(config, options=shown)


def missing_of(config: HandlerConfig, rules: HandlerRules) -> tuple[str, ...]:
    """The required options ``config`` lacks (privacyIDEA saves such a handler; it cannot run)."""
    module = rules.module(config.handlermodule)
    specs = module.actions.get(config.action, {}) if module is not None else {}
    return missing_options(specs, config.options)


def final_options(
    draft: HandlerDraft,
    rules: HandlerRules,
    stored: dict[str, str],
    secrets: Mapping[str, str],
    stored_target: tuple[str, str] | None = None,
) -> dict[str, str]:
    """The options to store: the draft's (or the stored ones), with secrets resolved.

    A secret option sent as ``SECRET_MASK`` (or omitted while other options are replaced)
    keeps its stored value while its destination stays the stored one (``stored_target``,
    the stored (module, action), and the URL); otherwise ``SecretNotResent`` (a 400 naming
    the option). The real value a client sent reaches here in ``secrets`` only. Required
    options may be missing, as privacyIDEA allows (``missing_of`` names them).
    """
    replacing = bool(draft.options) or draft.clear_options
    options = _as_text(draft.options) if replacing else dict(stored)
    secret = rules.secret_options(draft.handlermodule, draft.action)
    try:
        return secret_options.resolved(
            _as_text(secret_options.restored(options, secrets)),
            stored,
            secret,
            keep_omitted=not draft.clear_options,
            target=(draft.handlermodule, draft.action),
            stored_target=stored_target,
        )
    except secret_options.SecretNotResent as exc:
        exc.field = f"option.{exc.option}"
        raise


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


def _stored_values(
    draft: HandlerDraft, default_abort: bool, options: dict[str, str], conditions: dict[str, str]
) -> dict[str, Any]:
    values = {name: getattr(draft, name) for name in STORED_FIELDS}
    values.update(
        events=list(draft.events),
        abort_on_error=default_abort if draft.abort_on_error is None else draft.abort_on_error,
        options=options,
        conditions=conditions,
    )
    return values


def _new_item(handler_id: int, values: dict[str, Any]) -> HandlerModel:
    return HandlerModel(PARTITION, handler_id, updated_at=format_stored_time(utcnow()), **values)


def _update(item: HandlerModel, values: dict[str, Any]) -> int:
    # privacyIDEA 3.14: position, ordering and active are not partial; omitted means default.
    for name, value in values.items():
        setattr(item, name, value)
    item.updated_at = format_stored_time(utcnow())
    with store_access():
        item.save()
    return int(item.id)


def save_handler(
    draft: HandlerDraft, rules: HandlerRules, secrets: Mapping[str, str] | None = None
) -> int:
    """Create or update a handler configuration (privacyIDEA 3.14 rules); returns its id.

    ``rules`` supplies the module declarations; ``secrets`` the real values of secret options
    the draft carries as ``SECRET_MASK`` (see ``final_options``).
    """
    module = _validate(draft, rules)
    conditions = None if draft.conditions is None else _as_text(draft.conditions)
    if conditions is not None:
        rules.check_conditions(conditions)
    secrets = secrets or {}

    def values_for(existing: HandlerModel | None) -> dict[str, Any]:
        stored = _from_item(existing) if existing is not None else None
        options = final_options(
            draft,
            rules,
            stored.options if stored else {},
            secrets,
            (stored.handlermodule, stored.action) if stored else None,
        )
        if stored is not None and draft.abort_on_error is None:
            default_abort = stored.abort_on_error
        else:
            default_abort = module.default_abort_on_error
        kept = conditions if conditions is not None else (stored.conditions if stored else {})
        return _stored_values(draft, default_abort, options, kept)

    try:
        with store_access():
            if draft.id is None:
                values = values_for(None)
                while True:
                    handler_id = meta.next_sequence_value(HANDLER_SEQUENCE)
                    # An id taken by an explicit-id create is skipped, never overwritten.
                    if _put_new(_new_item(handler_id, values)):
                        return handler_id
            existing = _load(draft.id)
            if existing is None:
                values = values_for(None)
                # privacyIDEA creates a binding with an unknown explicit id; the sequence must
                # then never hand that id out again.
                meta.raise_sequence_to(HANDLER_SEQUENCE, draft.id)
                if _put_new(_new_item(draft.id, values)):
                    return draft.id
                existing = _load(draft.id)  # created concurrently: update it instead
                if existing is None:
                    raise StoreUnavailable("the handler configuration could not be stored")
            return _update(existing, values_for(existing))
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
