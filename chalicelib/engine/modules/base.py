"""The family of handler modules: one base class, declarations as data, one registry.

A module declares its actions (each with its option schemas), the positions it may run at and
its ``abort_on_error`` default. ``/event/handlermodules``, ``/event/actions/…``,
``/event/positions/…``, ``/event/defaults/…`` and validation on save all read these
declarations (core gets them through ``module_rules()``, so it never imports the engine);
the executor calls ``run``. An option declared ``secret`` is write-only: stored, used by the
action, and shown nowhere (see ``core.handlers``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from chalicelib.auth.principal import Principal
from chalicelib.core.handler_rules import HandlerRules
from chalicelib.core.model import Event
from chalicelib.errors import OperationRefused


@dataclass(frozen=True)
class OptionSpec:
    """One option of an action, in privacyIDEA's schema terms."""

    type: str = "str"  # str | text | bool | int
    required: bool = False
    description: str = ""
    value: tuple[Any, ...] | None = None  # allowed values, when the set is closed
    default: Any = None
    visible_if: str | None = None
    visible_value: str | None = None
    # Write-only (a password, an Authorization header): masked on read, kept out of events,
    # executions, logs and error messages.
    secret: bool = False

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"type": self.type, "description": self.description}
        if self.required:
            wire["required"] = True
        if self.value is not None:
            wire["value"] = list(self.value)
        if self.default is not None:
            wire["default"] = self.default
        if self.visible_if is not None:
            wire["visibleIf"] = self.visible_if
            wire["visibleValue"] = self.visible_value
        if self.secret:
            wire["secret"] = True
        return wire


@dataclass
class ActionContext:
    """What an action sees. ``event`` is set at ``post``; ``params`` (mutable) at ``pre``."""

    handler_id: int
    handler_name: str
    event_name: str
    principal: Principal | None = None
    event: Event | None = None
    params: dict[str, Any] | None = None
    details: dict[str, Any] = field(default_factory=dict)  # what the action reports back
    position: str = "post"
    # Prefixed to the names of counters the action changes: a ProcessMaker trigger's are its
    # workspace's (``processmaker/jobs``), apart from the counters admins' handlers read.
    counter_namespace: str = ""

    def refuse(self, message: str) -> None:
        """Stop the operation (pre position only)."""
        raise OperationRefused(message, handler_id=self.handler_id)

    def value_of(self, name: str) -> Any:
        """A trait of the event (post) or a parameter of the request (pre), or None."""
        if self.event is not None:
            trait = self.event.trait(name)
            return trait.value if trait is not None else None
        from chalicelib.engine.conditions import PARAMS_PREFIX, flatten

        # A parameter by its event name (params.<name>), or by its plain name.
        named = flatten(self.params or {}, PARAMS_PREFIX)
        return named[name] if name in named else flatten(self.params or {}).get(name)


class ActionFailed(Exception):
    """An action did not achieve its effect; the executor may retry it."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class HandlerModule:
    """Base of every handler module."""

    identifier: ClassVar[str] = ""
    description: ClassVar[str] = ""
    actions: ClassVar[dict[str, dict[str, OptionSpec]]] = {}
    positions: ClassVar[tuple[str, ...]] = ("post", "pre")
    default_abort_on_error: ClassVar[bool] = False

    def run(self, action: str, options: dict[str, str], context: ActionContext) -> None:
        """Perform ``action``; raise ``ActionFailed`` (or any exception) when it fails."""
        raise NotImplementedError

    @classmethod
    def actions_wire(cls) -> dict[str, dict[str, Any]]:
        return {
            action: {key: spec.to_wire() for key, spec in options.items()}
            for action, options in cls.actions.items()
        }

    @classmethod
    def option(cls, action: str, options: dict[str, str], key: str) -> Any:
        """Option ``key`` of ``action``: the configured value, else its declared default.

        A required option that is missing or empty fails the action (not worth a retry).
        """
        spec = cls.actions.get(action, {}).get(key, OptionSpec())
        value = options.get(key)
        if value is None or value == "":
            value = spec.default
        if spec.required and (value is None or value == ""):
            raise ActionFailed(
                f"option {key!r} of {cls.identifier}:{action} is required", retryable=False
            )
        return value

    @classmethod
    def flag(cls, action: str, options: dict[str, str], key: str) -> bool:
        """A ``bool`` option, read with privacyIDEA's ``is_true``."""
        from chalicelib.engine.conditions import is_true

        return is_true(cls.option(action, options, key))

    @classmethod
    def number(cls, action: str, options: dict[str, str], key: str) -> float:
        """A numeric option; a value that is not a positive number fails the action."""
        value = cls.option(action, options, key)
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = -1.0
        if not number > 0:
            raise ActionFailed(
                f"option {key!r} must be a positive number, not {value!r}", retryable=False
            )
        return number


_REGISTRY: dict[str, type[HandlerModule]] = {}


def register(module: type[HandlerModule]) -> type[HandlerModule]:
    """Class decorator: make ``module`` available under its identifier."""
    _REGISTRY[module.identifier] = module
    return module


def get_module(identifier: str) -> type[HandlerModule] | None:
    """The module class named exactly ``identifier`` (case-sensitive), or None."""
    _load_builtin_modules()
    return _REGISTRY.get(identifier)


def module_names() -> list[str]:
    """Identifiers of every registered module: the built-ins in their order, then the rest."""
    _load_builtin_modules()
    from chalicelib.engine.modules.builtin import BUILTIN_ORDER

    ordered = [name for name in BUILTIN_ORDER if name in _REGISTRY]
    return ordered + [name for name in _REGISTRY if name not in ordered]


def _load_builtin_modules() -> None:
    # Importing the package registers the built-in modules; done lazily for cold start.
    import chalicelib.engine.modules.builtin  # noqa: F401


def _check_conditions(conditions: dict[str, str]) -> None:
    from chalicelib.engine.conditions import validate_conditions

    validate_conditions(conditions)


def module_rules() -> HandlerRules:
    """The engine's declarations as core's handler writes need them (modules, conditions)."""
    return HandlerRules(module=get_module, check_conditions=_check_conditions)
