"""Store access: PynamoDB failures turned into domain errors, once, for every core module.

A ``PynamoDBException`` becomes the domain error that says what it means (``store_error``):
DynamoDB's ``ValidationException`` (an item too large, a number out of range) is the caller's
mistake, ``ValidationFailed`` (400); throttling, timeouts and an unreachable store are
``StoreUnavailable`` (503 + Retry-After); anything else is a ``StoreFailure`` (500). A write
refused by its condition becomes the caller's own outcome: a domain error, or False.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import PynamoDBException, TransactWriteError

from chalicelib.errors import StoreFailure, StoreUnavailable, ValidationFailed

if TYPE_CHECKING:
    from pynamodb.expressions.condition import Condition
    from pynamodb.expressions.update import Action
    from pynamodb.models import Model

__all__ = [
    "condition_failed",
    "response_code",
    "save_if",
    "store_access",
    "store_error",
    "update_if",
]

CONDITION_FAILED = "ConditionalCheckFailedException"
# A cancelled transaction names its reason per item, without the "Exception" suffix.
TRANSACTION_CONDITION_FAILED = "ConditionalCheckFailed"
VALIDATION = ("ValidationException", "ValidationError")
# Worth a retry later: the store is busy, briefly failing, or unreachable.
RETRYABLE = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "ResourceNotFoundException",  # a table being created or restored
        "TransactionConflict",
        "TransactionConflictException",
        "TransactionInProgressException",
        "LimitExceededException",
    }
)


def _error_of(exc: PynamoDBException) -> dict[str, Any]:
    """DynamoDB's ``Error`` of the answer behind ``exc``; empty when there was no answer.

    PynamoDB's ``cause_response_code`` fails on a timeout: botocore's ``ReadTimeoutError``
    carries ``response=None``, not a missing attribute.
    """
    response = getattr(exc.cause, "response", None)
    error = response.get("Error") if isinstance(response, dict) else None
    return error if isinstance(error, dict) else {}


def response_code(exc: PynamoDBException) -> str | None:
    """DynamoDB's error code behind ``exc``; None when the request got no answer."""
    return _error_of(exc).get("Code")


def store_error(exc: PynamoDBException) -> StoreUnavailable | StoreFailure | ValidationFailed:
    """The domain error a store failure means (see the module docstring)."""
    code = response_code(exc)
    codes = {code}
    if isinstance(exc, TransactWriteError):
        codes |= {r.code for r in exc.cancellation_reasons if r is not None and r.code}
    if codes & set(VALIDATION):
        message = _error_of(exc).get("Message") or "the store refused the item"
        return ValidationFailed(f"the store refused the data: {message}", cause=exc)
    # No response code: the request never got an answer (connection refused, timeout).
    if code is None or codes & RETRYABLE:
        return StoreUnavailable(cause=exc)
    return StoreFailure(cause=exc)


def condition_failed(exc: BaseException) -> bool:
    """True when ``exc`` is a write refused by its condition (one item or a transaction)."""
    if isinstance(exc, TransactWriteError):
        return any(
            reason is not None and reason.code == TRANSACTION_CONDITION_FAILED
            for reason in exc.cancellation_reasons
        )
    return isinstance(exc, PynamoDBException) and response_code(exc) == CONDITION_FAILED


@contextlib.contextmanager
def store_access(on_condition_failed: Callable[[], Exception] | None = None) -> Iterator[None]:
    """Within the block, a store failure raises the domain error it means (``store_error``).

    With ``on_condition_failed``, a write refused by its condition raises the error it makes
    instead. Other exceptions (domain errors, ``DoesNotExist`` caught inside) pass unchanged.
    """
    try:
        yield
    except PynamoDBException as exc:
        if on_condition_failed is not None and condition_failed(exc):
            raise on_condition_failed() from exc
        raise store_error(exc) from exc


def save_if(item: Model, condition: Condition) -> bool:
    """Save ``item`` when ``condition`` holds; False (nothing written) when it does not."""
    try:
        item.save(condition=condition)
    except PynamoDBException as exc:
        if condition_failed(exc):
            return False
        raise store_error(exc) from exc
    return True


def update_if(item: Model, actions: Sequence[Action], condition: Condition) -> bool:
    """Apply ``actions`` to ``item`` when ``condition`` holds; False when it does not."""
    try:
        item.update(actions=list(actions), condition=condition)
    except PynamoDBException as exc:
        if condition_failed(exc):
            return False
        raise store_error(exc) from exc
    return True
