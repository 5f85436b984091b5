"""Domain errors of event-service: plain exceptions that know their HTTP meaning.

Each error carries its HTTP status once (``status_code``, as Chalice's ``ChaliceViewError``
does); a dialect renders only the *shape* of the answer. ``retry_after_seconds`` is set only
on errors a client should retry (throttling, unavailability, lock-out): they answer with
``Retry-After``. A dialect whose original answers differently declares only its overrides,
``{ErrorClass: status}`` (``dialects/common.status_of_error``).
"""

from __future__ import annotations

__all__ = [
    "AdminRequired",
    "AuthenticationFailed",
    "Conflict",
    "EventNotFound",
    "EventServiceError",
    "InvalidMarker",
    "NotFound",
    "OperationRefused",
    "PathNotServed",
    "PermissionDenied",
    "StoreFailure",
    "StoreUnavailable",
    "TooManyAttempts",
    "ValidationFailed",
]


class EventServiceError(Exception):
    """Base of every domain error; carries a message and an optional cause."""

    default_message = "event-service error"
    status_code = 500
    # Seconds a client should wait before retrying; None: retrying the same request won't help.
    retry_after_seconds: int | None = None

    def __init__(self, message: str | None = None, *, cause: BaseException | None = None) -> None:
        self.message = message or self.default_message
        self.cause = cause
        super().__init__(self.message)


class ValidationFailed(EventServiceError):
    """The input is malformed, incomplete or of the wrong type; nothing was written."""

    default_message = "invalid input"
    status_code = 400

    def __init__(
        self,
        message: str | None = None,
        *,
        field: str | None = None,
        cause: BaseException | None = None,
    ) -> None:
        self.field = field
        super().__init__(message, cause=cause)


class AuthenticationFailed(EventServiceError):
    """No credentials, or credentials that do not identify a principal."""

    default_message = "authentication required"
    status_code = 401

    def __init__(
        self,
        message: str | None = None,
        *,
        reason: str = "invalid",
        cause: BaseException | None = None,
    ) -> None:
        # reason: "missing" (no credentials), "invalid" (bad password or token), "expired".
        self.reason = reason
        super().__init__(message, cause=cause)


class PermissionDenied(EventServiceError):
    """An authenticated principal lacks the role or permission the operation needs."""

    default_message = "permission denied"
    status_code = 403

    def __init__(
        self,
        message: str | None = None,
        *,
        permission: str | None = None,
        cause: BaseException | None = None,
    ) -> None:
        self.permission = permission
        super().__init__(message, cause=cause)


class AdminRequired(PermissionDenied):
    """The operation is an admin's; the caller is authenticated but not an admin."""

    default_message = "admin role required"

    def __init__(self, message: str | None = None, *, cause: BaseException | None = None) -> None:
        super().__init__(message, permission="admin", cause=cause)


class NotFound(EventServiceError):
    """The addressed resource does not exist (or is not visible to the caller)."""

    default_message = "not found"
    status_code = 404


class PathNotServed(EventServiceError):
    """No route serves the path: the dialect's own 404 (not a missing item, which some
    dialects answer otherwise, as ProcessMaker's 400)."""

    default_message = "Not Found"
    status_code = 404


class EventNotFound(NotFound):
    """No event with that message id is visible to the caller."""

    def __init__(self, message_id: str) -> None:
        self.message_id = message_id
        super().__init__(f"Event {message_id} Not Found")


class InvalidMarker(ValidationFailed):
    """A pagination marker names no stored event."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        super().__init__(f"Marker {marker} not found.", field="marker")


class Conflict(EventServiceError):
    """The write conflicts with what is stored (for example a duplicate key)."""

    default_message = "conflict"
    status_code = 409


class OperationRefused(EventServiceError):
    """A ``pre`` handler refused the operation before it ran."""

    default_message = "the operation was refused by an event handler"
    status_code = 403

    def __init__(
        self, message: str | None = None, *, handler_id: int | None = None, cause=None
    ) -> None:
        self.handler_id = handler_id
        super().__init__(message, cause=cause)


class StoreUnavailable(EventServiceError):
    """The store could not be read or written; the caller should retry later."""

    default_message = "the event store is unavailable"
    status_code = 503
    retry_after_seconds = 1


class StoreFailure(EventServiceError):
    """The store refused the request for a reason retrying will not mend (a 500, logged).

    A sibling of ``StoreUnavailable``, never a kind of it: "retry later" and "this will not
    work" must not be caught by the same ``except``.
    """

    default_message = "the event store failed"
    status_code = 500


class TooManyAttempts(EventServiceError):
    """Too many failed logins for a username: refused until ``retry_after`` seconds pass."""

    default_message = "too many failed logins; try again later"
    status_code = 429

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        self.retry_after = max(1, int(retry_after))
        self.retry_after_seconds = self.retry_after
        super().__init__(message or f"too many failed logins; retry after {self.retry_after} s")
