"""Runs the ``post`` handlers of an event: each at most once per lease, repeated only after a
lease expires (a delivery that died mid-action), and never once its execution is final.

For every active ``post`` handler bound to the event's name, in ``ordering``:
1. its conditions are evaluated on the stored event; when one does not hold, a final
   ``skipped`` execution is written (one conditional write) and nothing runs;
2. otherwise the execution is claimed (a conditional write, see ``core.executions``): a
   final execution is never repeated, a ``running`` one whose lease has not expired belongs
   to another delivery (the record is retried later), an expired one is taken over;
3. the action runs, retried with exponential backoff up to ``action_max_attempts`` while its
   failure is worth a retry, and the execution is made final: ``ok`` or ``failed`` with its
   error;
4. the invocation's deadline is kept: before each attempt and each backoff the remaining time
   is checked against one attempt's bound (``outbound_deadline_seconds``) plus a margin; when
   it does not fit, the claim is released (its lease ends now) and ``DeadlineNear`` leaves the
   record to Lambda's redelivery. A lease is the invocation's remaining time, never more, and
   each attempt's outbound calls are bounded by what is left.
A failing handler never stops the others, except that a failed handler with
``abort_on_error`` leaves the handlers after it ``skipped``. Events deeper than
``max_event_depth`` (recorded because of executions) run nothing: handler loops stop there.

The handler set is read once per batch, exactly: a cached set is reused for events recorded
before it was read (less a clock margin); otherwise the handler-set version (one GetItem)
decides whether the set is read again. So a handler applies to every event recorded after
its write returned, and a batch of older events costs no request at all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib import metrics, observability
from chalicelib.core import executions
from chalicelib.core import handlers as handler_configs
from chalicelib.core.handler_rules import missing_options
from chalicelib.core.handler_set_version import read_handler_set_version
from chalicelib.core.handlers import HandlerConfig
from chalicelib.core.model import Event, utcnow
from chalicelib.engine import conditions
from chalicelib.engine.modules import outbound
from chalicelib.engine.modules.base import ActionContext, ActionFailed, HandlerModule, get_module
from chalicelib.errors import EventServiceError, OperationRefused
from chalicelib.settings import Settings, get_settings

# Time kept back from the invocation's deadline: enough to write a final state and answer.
DEADLINE_MARGIN_SECONDS = 3.0
# Clocks of the API and stream containers may differ by this much (NTP keeps them closer).
CLOCK_MARGIN = timedelta(seconds=1)


class DeadlineNear(EventServiceError):
    """Too little of the invocation is left for the next step: leave the record to redelivery."""

    default_message = "the invocation's deadline is near: left for redelivery"


@dataclass(frozen=True)
class _HandlerSet:
    version: int
    read_at: datetime
    handlers: list[HandlerConfig]


_handler_set: _HandlerSet | None = None
_handler_set_lock = threading.Lock()


def handlers_for(events: Sequence[Event]) -> list[HandlerConfig]:
    """The handler set that applies to ``events`` (see the module docstring)."""
    global _handler_set
    with _handler_set_lock:
        cached = _handler_set
        if cached is not None and all(
            event.recorded_at is not None and event.recorded_at < cached.read_at - CLOCK_MARGIN
            for event in events
        ):
            return cached.handlers
        read_at = utcnow()
        version = read_handler_set_version()
        if cached is not None and cached.version == version:
            handlers = cached.handlers
        else:
            handlers = handler_configs.list_handlers()
        _handler_set = _HandlerSet(version, read_at, handlers)
        return handlers


def forget_handler_set() -> None:
    """Drop the stream side's cached handler set (tests, and after tables are recreated)."""
    global _handler_set
    _handler_set = None


class ExecutionInProgress(EventServiceError):
    """Another delivery holds a live claim on one of the record's executions: retry later."""

    default_message = "an execution of this event is still running elsewhere"


@dataclass(frozen=True)
class Outcome:
    """What became of one handler on one event.

    ``status``: ok, failed or skipped (decided now), done (final already), busy (claimed
    elsewhere).
    """

    handler_id: int
    status: str
    attempts: int = 0
    error: str | None = None


def _describe_failure(exc: BaseException) -> tuple[str, bool]:
    """(recorded error, worth a retry) for an exception an action raised."""
    if isinstance(exc, ActionFailed):
        return str(exc), exc.retryable
    if isinstance(exc, OperationRefused):
        return f"refused: {exc.message}", False
    if isinstance(exc, EventServiceError):
        return f"{type(exc).__name__}: {exc.message}", True
    return f"{type(exc).__name__}: {exc}", True


class BatchSession:
    """State shared by the records of one stream batch: the handler set, read once, and the
    invocation's deadline."""

    def __init__(
        self, context: Any = None, settings: Settings | None = None, sleep: Any = time.sleep
    ) -> None:
        self._context = context
        self._settings = settings or get_settings()
        self._sleep = sleep
        self._handlers: list[HandlerConfig] | None = None

    def prepare(self, events: Sequence[Event]) -> None:
        """Read the handler set that applies to the batch's ``events`` (once per batch)."""
        self._handlers = handlers_for(events)

    @property
    def handlers(self) -> list[HandlerConfig]:
        if self._handlers is None:
            self._handlers = handlers_for([])
        return self._handlers

    def remaining_seconds(self) -> float | None:
        """The invocation's remaining time, or None outside Lambda (no deadline)."""
        remaining = getattr(self._context, "get_remaining_time_in_millis", None)
        if callable(remaining):
            try:
                return remaining() / 1000
            except Exception:  # a context that cannot tell: no deadline known
                return None
        return None

    def fits(self, seconds: float) -> bool:
        """True when ``seconds`` of work still end before the deadline less the margin."""
        remaining = self.remaining_seconds()
        return remaining is None or remaining - DEADLINE_MARGIN_SECONDS >= seconds

    def lease_seconds(self) -> float:
        """How long a claim lasts: never past the invocation's end when that is known."""
        remaining = self.remaining_seconds()
        if remaining is not None:
            return max(1.0, remaining)
        return float(self._settings.execution_lease_seconds)

    def attempt_seconds(self) -> float:
        """The longest one attempt may take: the outbound deadline, within what is left."""
        bound = self._settings.outbound_deadline_seconds
        remaining = self.remaining_seconds()
        if remaining is None:
            return bound
        return max(0.0, min(bound, remaining - DEADLINE_MARGIN_SECONDS))

    def destinations(self, event: Event) -> frozenset[str]:
        """The outbound destinations (``host:port``) the ``post`` handlers bound to ``event``
        may call: every handler option named ``URL`` (WebHook, Federation)."""
        keys = set()
        for handler in self.handlers:
            if handler.handles(event.event_type, "post") and handler.options.get("URL"):
                key = outbound.destination_key(str(handler.options["URL"]))
                if key is not None:
                    keys.add(key)
        return frozenset(keys)

    def run_post_handlers(self, event: Event) -> list[Outcome]:
        """Run every bound ``post`` handler on ``event``; raises when the record must be retried.

        ``ExecutionInProgress`` when another delivery holds a live claim, ``StoreUnavailable``
        when the execution store cannot be written.
        """
        bound = [h for h in self.handlers if h.handles(event.event_type, "post")]
        if not bound:
            return []
        if not self.fits(0.0):
            raise DeadlineNear(f"event {event.message_id}: no time left in this invocation")
        too_deep = event.depth > self._settings.max_event_depth
        context = conditions.ConditionContext.for_event(event)
        outcomes: list[Outcome] = []
        abort_reason: str | None = None
        for handler in bound:
            if too_deep:
                reason = (
                    f"event depth {event.depth} is beyond max_event_depth "
                    f"{self._settings.max_event_depth}: handler loops stop here"
                )
                outcomes.append(self._skip(handler, event, reason))
                continue
            if abort_reason is not None:
                outcomes.append(self._skip(handler, event, abort_reason))
                continue
            outcome = self._execute(handler, event, context)
            outcomes.append(outcome)
            if outcome.status == "failed" and handler.abort_on_error:
                abort_reason = (
                    f"not run: handler {handler.id} ({handler.name}) failed with abort_on_error"
                )
        busy = [o.handler_id for o in outcomes if o.status == "busy"]
        if busy:
            raise ExecutionInProgress(
                f"event {event.message_id}: handlers {busy} are claimed by another delivery"
            )
        return outcomes

    # ------------------------------------------------------------ one handler

    def _skip(self, handler: HandlerConfig, event: Event, reason: str) -> Outcome:
        state = executions.record_skipped(handler, event, reason)
        self._log(handler, event, state, detail=reason)
        return Outcome(handler.id, state)

    def _execute(
        self, handler: HandlerConfig, event: Event, context: conditions.ConditionContext
    ) -> Outcome:
        condition_error: str | None = None
        try:
            unmet = conditions.unmet_condition(handler.conditions, context)
        except Exception as exc:  # a broken condition fails the handler, like privacyIDEA
            unmet, condition_error = None, f"condition error: {_describe_failure(exc)[0]}"
        if unmet is not None:
            return self._skip(handler, event, f"condition {unmet} not met")

        claimed = executions.claim_execution(handler, event, self.lease_seconds())
        if claimed.claim is None:
            self._log(handler, event, claimed.state)
            return Outcome(handler.id, claimed.state)
        claim = claimed.claim

        module = get_module(handler.handlermodule)
        error = condition_error or _unrunnable(handler, module)
        attempts, details = 0, dict[str, Any]()
        if error is None:
            assert module is not None
            try:
                attempts, error, details = self._run_with_retries(module, handler, event)
            except DeadlineNear:
                executions.release_claim(claim)
                raise
        status = "failed" if error else "ok"
        executions.finish_execution(
            claim, status, attempts=attempts, error=error, detail=details or None
        )
        self._log(handler, event, status, attempts=attempts, error=error)
        return Outcome(handler.id, status, attempts, error)

    def _run_with_retries(
        self, module: type[HandlerModule], handler: HandlerConfig, event: Event
    ) -> tuple[int, str | None, dict[str, Any]]:
        max_attempts = max(1, self._settings.action_max_attempts)
        error: str | None = None
        details: dict[str, Any] = {}
        for attempt in range(1, max_attempts + 1):
            attempt_seconds = self.attempt_seconds()
            if not self.fits(self._settings.outbound_deadline_seconds):
                raise DeadlineNear(f"handler {handler.id}: no time for attempt {attempt}")
            action_context = ActionContext(
                handler.id, handler.name, event.event_type, event=event, position="post"
            )
            try:
                with (
                    executions.running_at_depth(event.depth + 1),
                    outbound.deadline_within(attempt_seconds),
                ):
                    module().run(handler.action, dict(handler.options), action_context)
            except Exception as exc:
                error, retryable = _describe_failure(exc)
                details = action_context.details
                if not retryable or attempt == max_attempts:
                    return attempt, error, details
                backoff = self._settings.action_backoff_seconds * 2 ** (attempt - 1)
                if not self.fits(backoff + self._settings.outbound_deadline_seconds):
                    raise DeadlineNear(
                        f"handler {handler.id}: no time to back off and retry ({error})"
                    ) from exc
                self._sleep(backoff)
            else:
                return attempt, None, action_context.details
        return max_attempts, error, details  # pragma: no cover - the loop always returns

    def _log(self, handler: HandlerConfig, event: Event, status: str, **extra: Any) -> None:
        metrics.count("ActionExecutions", module=handler.handlermodule, status=status)
        observability.logger.info(
            "handler execution",
            extra={
                "message_id": event.message_id,
                "event_type": event.event_type,
                "handler_id": handler.id,
                "handler": f"{handler.handlermodule}:{handler.action}",
                "status": status,
                **{key: value for key, value in extra.items() if value is not None},
            },
        )


def _unrunnable(handler: HandlerConfig, module: type[HandlerModule] | None) -> str | None:
    """Why ``handler`` cannot run at ``post`` (a binding stored before validation), or None."""
    if module is None:
        return f"unknown handler module {handler.handlermodule!r}"
    if handler.action not in module.actions:
        return f"unknown action {handler.action!r} of {handler.handlermodule}"
    if "post" not in module.positions:
        return f"{handler.handlermodule} does not run at position post"
    # privacyIDEA saves a handler without its required options: record that, never call out.
    # An empty value is the module's to read (WebHook's empty data sends the event itself).
    specs = module.actions[handler.action]
    missing = missing_options(specs, handler.options, empty_is_missing=False)
    if missing:
        return "missing option " + ", ".join(missing)
    return None
