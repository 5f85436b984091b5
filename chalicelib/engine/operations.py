"""The one way a mutating operation runs: pre handlers, the operation, then its event.

Every dialect's mutating route calls ``perform``, or ``ingest`` when what it writes are events
themselves (Panko's and opEvents' ingest: the events are their own record, so steps 1-2 run
and step 3 is the stored events):

1. Active ``pre`` handlers bound to the operation's name run on a copy of its parameters and
   may change them or refuse the operation. They never see who acts as a parameter: the
   principal is passed beside the parameters and no handler can replace it.
2. The operation runs on the parameters the handlers left; it checks its invariants and
   authorisation on *those* (a route's early checks are only a courtesy).
3. An event named after the operation is recorded in the one store, and the stream delivers
   it to the ``post`` handlers. The event belongs to the acting principal (its
   ``project_id``/``user_id``); parameters become ``params.<name>`` traits and the result
   ``result.<name>`` traits, so no parameter can pose as a visibility trait. Secrets never
   reach the parameters (routes pass masks, see ``core.secret_options``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from chalicelib import metrics, observability
from chalicelib.deferred import deferred

# Every dialect declares its operations when imported (cold start); the event store, the
# event model and the parameter flattening load when an operation first runs.
if TYPE_CHECKING:
    from chalicelib.auth.principal import Principal
    from chalicelib.core import events, model
    from chalicelib.core.model import Trait
    from chalicelib.engine import conditions
else:
    events = deferred("chalicelib.core.events")
    model = deferred("chalicelib.core.model")
    conditions = deferred("chalicelib.engine.conditions")

T = TypeVar("T")

# Operation names in declaration order: what ``GET /event/available`` offers besides the
# ingested event types. Dialects declare theirs when their module is imported.
_DECLARED: dict[str, None] = {}


def declare(*names: str) -> None:
    """Make operation names known (idempotent, keeps first-declared order)."""
    for name in names:
        _DECLARED.setdefault(name, None)


def declared_operations() -> list[str]:
    return list(_DECLARED)


def _flatten(params: dict[str, Any], prefix: str) -> list[Trait]:
    return [
        model.infer_trait(name, value) for name, value in conditions.flatten(params, prefix).items()
    ]


RESULT_PREFIX = "result."


def operation_event(
    name: str,
    principal: Principal | None,
    params: dict[str, Any],
    result: dict[str, Any] | None,
    *,
    depth: int = 0,
):
    """The event that records operation ``name`` done by ``principal`` (owned by them)."""
    traits = _flatten(params, conditions.PARAMS_PREFIX)
    traits.append(model.Trait("result_status", "string", "True"))
    if result:
        traits.extend(_flatten(result, RESULT_PREFIX))
    if principal is not None:
        traits.append(model.Trait("logged_in_user", "string", principal.username))
        traits.append(model.Trait("role", "string", "admin" if principal.is_admin else "user"))
    return model.build_event(
        event_type=name,
        traits=traits,
        raw={
            "operation": name,
            "params": params,
            "result": result,
            "principal": principal.username if principal else None,
        },
        source=name.split(".", 1)[0],
        project_id=principal.project_id if principal else None,
        user_id=principal.user_id if principal else None,
        recorded_by=principal.username if principal else None,
        depth=depth,
    )


def ingest(
    name: str,
    principal: Principal | None,
    params: dict[str, Any],
    action: Callable[[dict[str, Any]], T],
) -> T:
    """Run ingest operation ``name``: pre handlers, then ``action(params)``, which stores the
    ingested events (each reaches the ``post`` handlers through the stream as itself).

    Raises ``OperationRefused`` when a pre handler refuses it.
    """
    from chalicelib.engine import pre  # the engine loads handler modules only when used

    declare(name)
    return action(pre.apply_pre_handlers(name, principal, copy.deepcopy(params)))


def perform(
    name: str,
    principal: Principal | None,
    params: dict[str, Any],
    action: Callable[[dict[str, Any]], T],
    *,
    describe: Callable[[T], dict[str, Any] | None] | None = None,
) -> T:
    """Run operation ``name``: pre handlers, ``action(params)``, then record its event.

    Raises ``OperationRefused`` when a pre handler refuses it; errors of ``action`` propagate
    and record nothing.
    """
    from chalicelib.core.executions import current_depth
    from chalicelib.engine import pre  # the engine loads handler modules only when used

    declare(name)
    # A deep copy: nothing a handler changes reaches the caller's objects.
    params = pre.apply_pre_handlers(name, principal, copy.deepcopy(params))
    result = action(params)
    summary = describe(result) if describe else None
    try:
        # Inside a handler execution the event is one level deeper (dispatch stops loops).
        event = operation_event(name, principal, params, summary, depth=current_depth())
        events.record_event(event)
        metrics.count("EventsRecorded", dialect=event.source)
    except Exception:
        # The operation already took effect; losing its event must not turn it into an error.
        observability.logger.exception(
            "could not record operation event",
            extra={"operation": name, "request_id": observability.current_request_id()},
        )
    return result
