"""Runs the ``post`` handlers of an event, each exactly once per event.

For every active ``post`` handler bound to the event's name, in ``ordering``:
1. its conditions are evaluated on the stored event; when one does not hold, a final
   ``skipped`` execution is written (one conditional write) and nothing runs;
2. otherwise the execution is claimed (a conditional write, see ``core.executions``): a
   final execution is never repeated, a ``running`` one whose lease has not expired belongs
   to another delivery (the record is retried later), an expired one is taken over;
3. the action runs, retried with exponential backoff up to ``action_max_attempts`` while its
   failure is worth a retry, and the execution is made final: ``ok`` or ``failed`` with its
   error.
A failing handler never stops the others, except that a failed handler with
``abort_on_error`` leaves the handlers after it ``skipped``. Events deeper than
``max_event_depth`` (recorded because of executions) run nothing: handler loops stop there.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from chalicelib import metrics, observability
from chalicelib.core import executions
from chalicelib.core.errors import EventServiceError, OperationRefused
from chalicelib.core.handlers import HandlerConfig, cached_handlers
from chalicelib.core.model import Event
from chalicelib.engine import conditions
from chalicelib.engine.modules.base import ActionContext, ActionFailed, HandlerModule, get_module
from chalicelib.settings import Settings, get_settings

# A lease taken from the invocation's remaining time outlives it by this much.
LEASE_MARGIN_SECONDS = 5.0


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
    """State shared by the records of one stream batch: the handler set, read once."""

    def __init__(
        self, context: Any = None, settings: Settings | None = None, sleep: Any = time.sleep
    ) -> None:
        self._context = context
        self._settings = settings or get_settings()
        self._sleep = sleep
        self._handlers: list[HandlerConfig] | None = None

    @property
    def handlers(self) -> list[HandlerConfig]:
        if self._handlers is None:
            self._handlers = cached_handlers()
        return self._handlers

    def lease_seconds(self) -> float:
        """How long a claim lasts: the invocation's remaining time when known."""
        remaining = getattr(self._context, "get_remaining_time_in_millis", None)
        if callable(remaining):
            try:
                return max(1.0, remaining() / 1000 + LEASE_MARGIN_SECONDS)
            except Exception:  # a context that cannot tell: fall back to the setting
                pass
        return float(self._settings.execution_lease_seconds)

    def run_post_handlers(self, event: Event) -> list[Outcome]:
        """Run every bound ``post`` handler on ``event``; raises when the record must be retried.

        ``ExecutionInProgress`` when another delivery holds a live claim, ``StoreUnavailable``
        when the execution store cannot be written.
        """
        bound = [h for h in self.handlers if h.handles(event.event_type, "post")]
        if not bound:
            return []
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
        attempts, details = 0, {}
        if error is None:
            assert module is not None
            attempts, error, details = self._run_with_retries(module, handler, event)
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
            action_context = ActionContext(
                handler.id, handler.name, event.event_type, event=event, position="post"
            )
            try:
                with executions.running_at_depth(event.depth + 1):
                    module().run(handler.action, dict(handler.options), action_context)
            except Exception as exc:
                error, retryable = _describe_failure(exc)
                details = action_context.details
                if not retryable or attempt == max_attempts:
                    return attempt, error, details
                self._sleep(self._settings.action_backoff_seconds * 2 ** (attempt - 1))
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
    return None
