"""What core needs of the handler modules, passed in so that core never imports the engine.

The engine declares modules (``engine.modules.base``); a handler or trigger write needs their
actions, option rules and positions, and a condition check. ``HandlerRules`` carries those,
and ``action_problem`` is the one validator of a (module, action, options) triple: handlers
and ProcessMaker triggers both call it and word its answer in their own dialect.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "ActionProblem",
    "HandlerRules",
    "ModuleRules",
    "OptionRule",
    "action_problem",
    "missing_options",
]


class OptionRule(Protocol):
    @property
    def required(self) -> bool: ...
    @property
    def default(self) -> Any: ...
    @property
    def secret(self) -> bool: ...
    @property
    def value(self) -> tuple[Any, ...] | None: ...


class ModuleRules(Protocol):
    @property
    def actions(self) -> Mapping[str, Mapping[str, OptionRule]]: ...
    @property
    def positions(self) -> tuple[str, ...]: ...
    @property
    def default_abort_on_error(self) -> bool: ...


@dataclass(frozen=True)
class HandlerRules:
    """The module declarations and condition check a write needs.

    Passed in by the caller (the engine provides them: ``engine.modules.base.module_rules``),
    so this module never imports the engine.
    """

    module: Callable[[str], ModuleRules | None]
    check_conditions: Callable[[dict[str, str]], None]

    def secret_options(self, handlermodule: str, action: str) -> frozenset[str]:
        module = self.module(handlermodule)
        specs = module.actions.get(action, {}) if module is not None else {}
        return frozenset(key for key, spec in specs.items() if spec.secret)


@dataclass(frozen=True)
class ActionProblem:
    """Why a (module, action, options) triple cannot be saved; each dialect words it.

    ``kind``: ``module`` (unknown), ``action`` (unknown; ``allowed`` lists the module's),
    ``position`` (the module does not run there; ``allowed`` lists where it does), ``option``
    (unknown option ``subject``), ``choice`` (``subject``'s value is not one of ``allowed``),
    ``required`` (option ``subject`` has no value and no default).
    """

    kind: str
    subject: str
    allowed: tuple[str, ...] = ()


def action_problem(
    rules: HandlerRules,
    module_name: str,
    action: str,
    *,
    position: str,
    options: Mapping[str, str] | None = None,
    closed_options: bool = False,
) -> ActionProblem | None:
    """The first problem of the triple, or None when it can be saved.

    Options are checked only when given: unknown names and values outside a closed set only
    with ``closed_options`` (privacyIDEA stores any option; a trigger runs unattended).
    """
    module = rules.module(module_name)
    if module is None:
        return ActionProblem("module", module_name)
    if action not in module.actions:
        return ActionProblem("action", action, tuple(sorted(module.actions)))
    if position not in module.positions:
        return ActionProblem("position", position, tuple(sorted(module.positions)))
    if options is None:
        return None
    specs = module.actions[action]
    if closed_options:
        for key, value in options.items():
            spec = specs.get(key)
            if spec is None:
                return ActionProblem("option", key)
            if spec.value is not None and value and value not in spec.value:
                return ActionProblem("choice", key, tuple(str(v) for v in spec.value))
    missing = missing_options(specs, options)
    return ActionProblem("required", missing[0]) if missing else None


def missing_options(
    specs: Mapping[str, OptionRule], options: Mapping[str, str], *, empty_is_missing: bool = True
) -> tuple[str, ...]:
    """The required options of an action (``specs``) that ``options`` leave without a value
    (absent, or empty unless ``empty_is_missing`` is False).

    privacyIDEA saves a handler without them (its API never checks; its web UI asks): such a
    handler is incomplete, and each run records what is missing instead of calling out.
    """
    blank = (None, "") if empty_is_missing else (None,)
    return tuple(
        key
        for key, spec in specs.items()
        if spec.required and spec.default is None and options.get(key) in blank
    )
