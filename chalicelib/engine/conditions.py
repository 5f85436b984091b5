"""Handler conditions: one small grammar shared by every module, parsed by hand (no eval).

A handler runs only when all of its conditions hold. A condition is a key and a text value in
privacyIDEA's forms (notes §8.3):

- comparisons: ``x`` (equals), ``==x``, ``=x``, ``!=x``, ``>5``, ``<5``, ``>=5``, ``<=5``
  (also ``=>``, ``=<``), and the quoted comparators ``'equals'``, ``'!equals'``, ``'<'``,
  ``'>'``, ``'=='``, ``'!='``, ``'<='``, ``'>='``, ``'contains'``, ``'!contains'``,
  ``'string_contains'``, ``'!string_contains'`` (ignoring case, as privacyIDEA's),
  ``'matches'``, ``'!matches'`` (full-match
  regular expression), ``'in'``, ``'!in'`` (comma-separated list), ``'date_before'``,
  ``'date_after'``, ``'date_within_last'`` and ``'!date_within_last'`` (``7d``, ``12h``);
  numbers compare as numbers, ISO timestamps as times, anything else as text; a missing
  value never matches;
- keyed comparisons (``trait``, ``counter``): ``name <comparison> value``, e.g. ``hits > 10``;
- booleans (``result_status``, ``result_value``, ``in_maintenance``): ``True``/``False``
  compared with privacyIDEA's ``is_true`` (a missing value counts as false);
- ``event_type``: a regular expression matched at the start of the name (as privacyIDEA's
  ``serial``);
- ``logged_in_user``: ``admin`` or ``user``, the role of who caused the event (privacyIDEA).

A known condition whose value does not parse is refused when the handler is saved
(``validate_conditions``); an unknown key is stored and ignored, as privacyIDEA does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.core.model import Event, utcnow
from chalicelib.engine.compare import (
    CAPS,
    Comparison,
    compare,
    compile_pattern,
    is_true,
    parse_comparison,
)
from chalicelib.errors import ValidationFailed

__all__ = [
    "CONDITIONS",
    "Comparison",
    "ConditionContext",
    "compare",
    "describe_conditions",
    "evaluate",
    "flatten",
    "is_true",
    "parse_comparison",
    "unmet_condition",
    "validate_conditions",
]

TRAIT_PREFIX = "trait:"
BOOL_FORMS = ("True", "False", "true", "false", "TRUE", "FALSE", "1", "0")
ROLES = ("admin", "user")

# ---------------------------------------------------------------- what conditions read


@dataclass(frozen=True)
class ConditionContext:
    """What conditions read: an event's fields and traits, or a request before it runs."""

    event_type: str
    source: str = ""
    generated: datetime = field(default_factory=utcnow)
    values: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def for_event(cls, event: Event) -> ConditionContext:
        return cls(event.event_type, event.source, event.generated, event.trait_values())

    @classmethod
    def for_request(cls, name: str, principal: Any, params: Mapping[str, Any]) -> ConditionContext:
        """A ``pre`` context: the operation's parameters and caller, no outcome yet.

        Parameters are named as the operation's event will name them (``params.<name>``), so
        one condition reads the same at ``pre`` and at ``post``.
        """
        values = flatten(params, PARAMS_PREFIX)
        if principal is not None:
            values["logged_in_user"] = principal.username
            values["role"] = "admin" if principal.is_admin else "user"
        return cls(name, name.split(".", 1)[0], utcnow(), values)


# The prefix of an operation's parameters among its event's traits (engine.operations).
PARAMS_PREFIX = "params."


def flatten(params: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested parameters as dotted names (the way operation events name their traits)."""
    flat: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


# ---------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class ConditionSpec:
    """One known condition: its UI schema and how it reads and checks a context."""

    name: str
    type: str  # str | multi | regexp (privacyIDEA's UI types)
    desc: str
    group: str
    kind: str  # compare | keyed | bool | regexp | role | maintenance
    read: Callable[[ConditionContext], Any] | None = None
    values: tuple[str, ...] | None = None

    def value(self, context: ConditionContext) -> Any:
        """What the condition reads from ``context`` (its ``read``)."""
        if self.read is None:
            raise TypeError(f"condition {self.name} reads nothing")
        return self.read(context)

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"type": self.type, "desc": self.desc, "group": self.group}
        if self.values is not None:
            wire["value"] = (
                [{"name": value} for value in self.values]
                if self.type == "multi"
                else list(self.values)
            )
        return wire


def _value(name: str) -> Callable[[ConditionContext], Any]:
    return lambda context: context.values.get(name)


def _result_value(context: ConditionContext) -> Any:
    # The operation's returned value when it reports one; otherwise "it returned something".
    for name in ("result_value", "result.value"):
        if name in context.values:
            return context.values[name]
    if "result_status" in context.values and any(k.startswith("result.") for k in context.values):
        return True
    return None


def _specs() -> tuple[ConditionSpec, ...]:
    compare_hint = " Forms: x, !=x, >5, <=5, 'matches'regex, 'in'a,b, 'contains'x."
    return (
        ConditionSpec(
            "event_type",
            "regexp",
            "The event name must match this regular expression (matched at its start).",
            "event",
            "regexp",
            lambda context: context.event_type,
        ),
        ConditionSpec(
            "source",
            "str",
            "The source of the event (the dialect or operation family)." + compare_hint,
            "event",
            "compare",
            lambda context: context.source,
        ),
        ConditionSpec(
            "node",
            "str",
            "The event's node trait." + compare_hint,
            "event",
            "compare",
            _value("node"),
        ),
        ConditionSpec(
            "priority",
            "str",
            "The event's priority trait, e.g. >3 or <=5." + compare_hint,
            "event",
            "compare",
            _value("priority"),
        ),
        ConditionSpec(
            "state",
            "str",
            "The event's state trait, e.g. down." + compare_hint,
            "event",
            "compare",
            _value("state"),
        ),
        ConditionSpec(
            "trait",
            "str",
            "Compare any trait: '<name> <comparator> <value>', e.g. 'severity >= 3' or "
            "\"host 'matches' web-.*\". A key 'trait:<name>' with a comparison value "
            "(e.g. trait:severity = >=3) does the same.",
            "trait",
            "keyed",
            None,
        ),
        ConditionSpec(
            "result_status",
            "str",
            "The operation succeeded (True) or not (False).",
            "result",
            "bool",
            _value("result_status"),
            ("True", "False"),
        ),
        ConditionSpec(
            "result_value",
            "str",
            "The operation returned a true value (True) or not (False).",
            "result",
            "bool",
            _result_value,
            ("True", "False"),
        ),
        ConditionSpec(
            "logged_in_user",
            "str",
            "The role of the logged-in user who caused the event (no login counts as user).",
            "principal",
            "role",
            _value("role"),
            ROLES,
        ),
        ConditionSpec(
            "role",
            "str",
            "The role of the principal who caused the event." + compare_hint,
            "principal",
            "compare",
            _value("role"),
        ),
        ConditionSpec(
            "in_maintenance",
            "str",
            "The event's node (a MaDDash row or column) or check (a MaDDash check name) is "
            "(True) or is not (False) covered by a MaDDash maintenance window at the event's "
            "time.",
            "maintenance",
            "maintenance",
            None,
            ("True", "False"),
        ),
        ConditionSpec(
            "counter",
            "str",
            "Compare an event counter: '<counter name> <comparator> <value>', e.g. "
            "'failures > 10' (a counter never changed is 0).",
            "counter",
            "keyed",
            None,
        ),
    )


CONDITIONS: dict[str, ConditionSpec] = {spec.name: spec for spec in _specs()}


def describe_conditions() -> dict[str, dict[str, Any]]:
    """privacyIDEA's ``GET /event/conditions/<module>`` value: the same for every module."""
    return {name: spec.to_wire() for name, spec in CONDITIONS.items()}


def _spec_for(key: str) -> ConditionSpec | None:
    if key.startswith(TRAIT_PREFIX):
        return ConditionSpec(key, "str", "", "trait", "compare", _value(key[len(TRAIT_PREFIX) :]))
    return CONDITIONS.get(key)


# ---------------------------------------------------------------- validation and evaluation


def _parse(spec: ConditionSpec, value: str) -> Any:
    """The parsed form of ``value`` for ``spec``; ``ValueError`` when it does not parse."""
    if not value.strip():
        raise ValueError("a value is required")
    if spec.kind == "compare":
        if spec.name.startswith(TRAIT_PREFIX) and not spec.name[len(TRAIT_PREFIX) :].strip():
            raise ValueError("the key needs a trait name after 'trait:'")
        return parse_comparison(value)
    if spec.kind == "keyed":
        return parse_comparison(value, keyed=True)
    if spec.kind in ("bool", "maintenance"):
        if value.strip() not in BOOL_FORMS:
            raise ValueError("expected True or False")
        return is_true(value.strip())
    if spec.kind == "role":
        if value.strip() not in ROLES:
            raise ValueError(f"expected one of {', '.join(ROLES)}")
        return value.strip()
    if spec.kind == "regexp":
        return compile_pattern(value)
    raise ValueError(f"unknown condition kind {spec.kind}")


# Caps on what a handler's conditions may hold, checked at save (a clear 400, never a stall):
# how many, and each one's text (the expression core's length cap for privacyIDEA's values).
MAX_CONDITIONS = 100
MAX_CONDITION_TEXT = CAPS.max_length


def validate_conditions(conditions: Mapping[str, Any]) -> None:
    """Refuse a known condition whose value does not parse, and conditions beyond the caps
    (``ValidationFailed``)."""
    if len(conditions) > MAX_CONDITIONS:
        raise ValidationFailed(
            f"{len(conditions)} conditions; at most {MAX_CONDITIONS}", field="conditions"
        )
    for key, raw in conditions.items():
        if len(str(key)) + len("" if raw is None else str(raw)) > MAX_CONDITION_TEXT:
            raise ValidationFailed(
                f"condition {str(key)[:50]}: longer than {MAX_CONDITION_TEXT} characters",
                field="conditions",
            )
        spec = _spec_for(str(key))
        if spec is None:
            continue
        try:
            _parse(spec, "" if raw is None else str(raw))
        except ValueError as exc:
            raise ValidationFailed(
                f"condition {key}: invalid value {raw!r}: {exc}", field="conditions"
            ) from exc


def _holds(spec: ConditionSpec, parsed: Any, context: ConditionContext) -> bool:
    if spec.kind == "compare":
        return compare(spec.value(context), parsed)
    if spec.kind == "keyed":
        if spec.name == "counter":
            from chalicelib.core.counters import get_counter

            return compare(get_counter(parsed.left), parsed)
        return compare(context.values.get(parsed.left), parsed)
    if spec.kind == "bool":
        return parsed == is_true(spec.value(context))
    if spec.kind == "role":
        return (spec.value(context) or "user") == parsed
    if spec.kind == "regexp":
        return parsed.match(context.event_type) is not None
    if spec.kind == "maintenance":
        from chalicelib.core.maintenance import is_under_maintenance

        node, check = context.values.get("node"), context.values.get("check")
        under = is_under_maintenance(
            str(node) if node is not None else None,
            str(check) if check is not None else None,
            context.generated,
        )
        return parsed == under
    return True


def unmet_condition(conditions: Mapping[str, Any], context: ConditionContext | Event) -> str | None:
    """The first condition ``context`` does not meet (its key), or None when all hold.

    Unknown keys are ignored. A value that does not parse raises ``ValidationFailed``.
    """
    if isinstance(context, Event):
        context = ConditionContext.for_event(context)
    for key, raw in conditions.items():
        spec = _spec_for(str(key))
        if spec is None:
            continue
        try:
            parsed = _parse(spec, "" if raw is None else str(raw))
        except ValueError as exc:
            raise ValidationFailed(
                f"condition {key}: invalid value {raw!r}: {exc}", field="conditions"
            ) from exc
        if not _holds(spec, parsed, context):
            return str(key)
    return None


def evaluate(conditions: Mapping[str, Any], context: ConditionContext | Event) -> bool:
    """True when every known condition holds for ``context`` (an event or a request)."""
    return unmet_condition(conditions, context) is None
