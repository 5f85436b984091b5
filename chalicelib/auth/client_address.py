"""The network address a request came from, for the lock-out to count failures by.

API Gateway's ``requestContext.identity.sourceIp`` (what its edge saw, never a header the
client wrote); under ``make run`` the TCP peer (``local/peer_address``), where plain
``chalice local`` writes 127.0.0.1 for every peer. The HTTP middleware sets it for the request
(``dialects/common.request_depth_middleware``); outside a request it is ``unknown``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

UNKNOWN = "unknown"
# An IPv6 address with a zone fits; anything longer is not an address API Gateway reports.
_MAX_LENGTH = 64

_ADDRESS: ContextVar[str] = ContextVar("client_address", default=UNKNOWN)


def current() -> str:
    """The calling client's address (``unknown`` outside a request)."""
    return _ADDRESS.get()


def from_context(context: Mapping[str, Any] | None) -> str:
    """The source address of a Lambda proxy request context."""
    identity = (context or {}).get("identity") or {}
    address = identity.get("sourceIp") if isinstance(identity, Mapping) else None
    if not isinstance(address, str) or not address.strip():
        return UNKNOWN
    return address.strip()[:_MAX_LENGTH]


@contextmanager
def at_address(address: str) -> Iterator[None]:
    """Within the block, the client's address is ``address``."""
    token = _ADDRESS.set(address)
    try:
        yield
    finally:
        _ADDRESS.reset(token)
