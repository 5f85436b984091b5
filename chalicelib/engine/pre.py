"""Position ``pre``: handlers that run inside the request, before the operation.

The active ``pre`` handlers bound to the operation's name run in ``ordering`` on its
parameters (which a ``RequestMangler`` may change). As in privacyIDEA 3.14 (notes §7.4) a
failing pre handler is logged and the operation continues, unless the handler has
``abort_on_error``: then the operation is refused. A handler that refuses on purpose
(``RequestMangler``'s ``refuse``) always stops it. Pre runs leave no execution history: the
operation has no event yet.
"""

from __future__ import annotations

from typing import Any

from chalicelib import observability
from chalicelib.auth.principal import Principal
from chalicelib.core.handlers import HandlerConfig, cached_handlers
from chalicelib.engine import conditions
from chalicelib.engine.modules.base import ActionContext, ActionFailed, get_module
from chalicelib.errors import OperationRefused


def _run(handler: HandlerConfig, name: str, principal: Principal | None, params: dict) -> bool:
    """Run one pre handler; False when its conditions do not hold."""
    module = get_module(handler.handlermodule)
    if module is None:
        raise ActionFailed(f"unknown handler module {handler.handlermodule!r}")
    if handler.action not in module.actions:
        raise ActionFailed(f"unknown action {handler.action!r} of {handler.handlermodule}")
    if "pre" not in module.positions:
        raise ActionFailed(f"{handler.handlermodule} does not run at position pre")
    context = conditions.ConditionContext.for_request(name, principal, params)
    if not conditions.evaluate(handler.conditions, context):
        return False
    action_context = ActionContext(
        handler.id, handler.name, name, principal=principal, params=params, position="pre"
    )
    module().run(handler.action, dict(handler.options), action_context)
    return True


def apply_pre_handlers(
    name: str, principal: Principal | None, params: dict[str, Any]
) -> dict[str, Any]:
    """Run the active pre handlers of ``name`` on ``params``; return the (mangled) params.

    Raises ``OperationRefused`` when a handler refuses the operation, or fails with
    ``abort_on_error``.
    """
    bound = [h for h in cached_handlers() if h.handles(name, "pre")]
    for handler in bound:
        log = {
            "operation": name,
            "handler_id": handler.id,
            "handler": f"{handler.handlermodule}:{handler.action}",
            "request_id": observability.current_request_id(),
        }
        try:
            ran = _run(handler, name, principal, params)
        except OperationRefused as exc:
            observability.logger.info("pre handler refused the operation", extra=log)
            if exc.handler_id is None:
                exc.handler_id = handler.id
            raise
        except Exception as exc:
            observability.logger.warning(
                "pre handler failed", extra={**log, "error": type(exc).__name__}
            )
            if handler.abort_on_error:
                reason = str(exc) if isinstance(exc, ActionFailed) else type(exc).__name__
                raise OperationRefused(
                    f"event handler {handler.name} failed: {reason}",
                    handler_id=handler.id,
                    cause=exc,
                ) from exc
            continue
        observability.logger.info("pre handler", extra={**log, "ran": ran})
    return params
