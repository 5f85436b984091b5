"""What core needs of the handler modules, passed in so that core never imports the engine.

The engine declares modules (``engine.modules.base``); a handler write needs their actions,
option rules and positions, and a condition check. ``HandlerRules`` carries those. Secret
options live here too: ``SECRET_MASK`` is what they read as everywhere outside the store and
the action, and ``final_options`` resolves a mask back to the stored (or newly sent) value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.errors import ValidationFailed

if TYPE_CHECKING:
    from chalicelib.core.handlers import HandlerConfig, HandlerDraft


class OptionRule(Protocol):
    required: bool
    default: Any
    secret: bool


class ModuleRules(Protocol):
    actions: Mapping[str, Mapping[str, OptionRule]]
    positions: tuple[str, ...]
    default_abort_on_error: bool


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


# What a secret option's value reads as everywhere outside the store and the action.
SECRET_MASK = "********"


def masked(config: HandlerConfig, rules: HandlerRules) -> HandlerConfig:
    """``config`` with every non-empty secret option replaced by ``SECRET_MASK``."""
    secret = rules.secret_options(config.handlermodule, config.action)
    if not secret & config.options.keys():
        return config
    options = {
        key: SECRET_MASK if key in secret and value else value
        for key, value in config.options.items()
    }
    return replace(config, options=options)


def final_options(
    draft: HandlerDraft,
    module: ModuleRules,
    stored: dict[str, str],
    secrets: Mapping[str, str],
) -> dict[str, str]:
    """The options to store: the draft's (or the stored ones), with secrets resolved.

    A secret option sent as ``SECRET_MASK`` (or omitted while other options are replaced)
    keeps its stored value; the real value a client sent reaches here in ``secrets`` only.
    Every required option of the action must then have a value.
    """
    replacing = bool(draft.options) or draft.clear_options
    options = {str(k): str(v) for k, v in draft.options.items()} if replacing else dict(stored)
    specs = module.actions[draft.action]
    for key, spec in specs.items():
        if not spec.secret:
            continue
        if options.get(key) == SECRET_MASK:
            if secrets.get(key) not in (None, "", SECRET_MASK):
                options[key] = str(secrets[key])
            elif stored.get(key):
                options[key] = stored[key]
            else:
                options.pop(key)
        elif key not in options and stored.get(key) and not draft.clear_options:
            options[key] = stored[key]
    for key, spec in specs.items():
        if spec.required and spec.default is None and options.get(key) in (None, ""):
            raise ValidationFailed(
                f"Missing option {key} of {draft.handlermodule}:{draft.action}: send "
                f'option.{key}=… (form) or "options": {{"{key}": …}} (JSON)',
                field=f"option.{key}",
            )
    return options
