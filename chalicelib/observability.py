"""JSON logs with request id, route, principal and latency (Lambda Powertools ``Logger``)."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from chalicelib import metrics

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger

SERVICE_NAME = "event-service"
# Importing Powertools costs about as much as a fifth of Chalice + PynamoDB: not at import.
_logger: Logger | None = None
_logger_lock = threading.Lock()


def get_logger() -> Logger:
    """The service's JSON logger, created on first use."""
    global _logger
    if _logger is None:
        with _logger_lock:
            if _logger is None:
                from aws_lambda_powertools import Logger

                # Chalice gave its app logger, also named after the service, a plain-text
                # stdout handler; the JSON one replaces it, or every line would print twice.
                named = logging.getLogger(SERVICE_NAME)
                for handler in list(named.handlers):
                    if type(handler.formatter) is logging.Formatter:
                        named.removeHandler(handler)
                _logger = Logger(service=SERVICE_NAME)
    return _logger


def __getattr__(name: str) -> Any:
    """``observability.logger`` (and ``from ... import logger``) still work, lazily."""
    if name == "logger":
        return get_logger()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_principal: ContextVar[str | None] = ContextVar("principal", default=None)


def current_request_id() -> str:
    """The id of the request being served (a fresh one outside a request)."""
    value = _request_id.get()
    if value is None:
        value = str(uuid.uuid4())
        _request_id.set(value)
    return value


def note_principal(username: str | None) -> None:
    """Remember who the current request is from, for its log line."""
    _principal.set(username)


def http_middleware(event: Any, get_response: Any) -> Any:
    """Chalice HTTP middleware: one JSON log line per request, ``X-Request-Id`` on every answer."""
    context = getattr(event, "context", None) or {}
    request_id = context.get("requestId") or str(uuid.uuid4())
    _request_id.set(request_id)
    _principal.set(None)
    started = time.perf_counter()
    response = get_response(event)
    latency_ms = round((time.perf_counter() - started) * 1000, 3)
    response.headers["X-Request-Id"] = request_id
    get_logger().info(
        "request",
        extra={
            "request_id": request_id,
            "method": event.method,
            "route": context.get("resourcePath") or event.path,
            "path": event.path,
            "status": response.status_code,
            "principal": _principal.get(),
            "latency_ms": latency_ms,
        },
    )
    metrics.flush("api")
    return response
