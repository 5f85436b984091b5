"""How deep in a chain of handler executions the running code is, and how that depth crosses
HTTP: a WebHook or Federation post sends it signed, an inbound request proves it.

Its own small module because every HTTP request's middleware reads it
(``dialects/common.request_depth_middleware``): the execution history in
``core/executions`` (which re-exports these names) loads only where it is used.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from collections.abc import Iterator, Mapping
from contextvars import ContextVar

from chalicelib.settings import get_settings

# Forwarded events carry their depth in this header, signed in the next one; ingestion routes
# pass them to ``depth_from_headers`` so a handler loop across servers stops too.
DEPTH_HEADER = "X-Event-Service-Depth"
DEPTH_SIGNATURE_HEADER = "X-Event-Service-Depth-Signature"
ORIGIN_HEADER = "X-Event-Service-Origin"

_depth: ContextVar[int] = ContextVar("execution_depth", default=0)


def current_depth() -> int:
    """The depth an event recorded now gets: 0 outside handler executions."""
    return _depth.get()


@contextlib.contextmanager
def running_at_depth(depth: int) -> Iterator[None]:
    """Within the block, events recorded in this context get ``depth``."""
    token = _depth.set(depth)
    try:
        yield
    finally:
        _depth.reset(token)


def _depth_signature(depth: int, body: bytes) -> str:
    settings = get_settings()
    key = (settings.federation_secret or settings.token_secret).encode()
    return hmac.new(key, f"{depth}\n".encode() + body, hashlib.sha256).hexdigest()


def depth_headers(depth: int, body: bytes) -> dict[str, str]:
    """The headers a WebHook or Federation post sends its depth in: the depth and an HMAC of
    it and the body under the federation secret, which a peer sharing the secret verifies."""
    return {DEPTH_HEADER: str(depth), DEPTH_SIGNATURE_HEADER: _depth_signature(depth, body)}


def depth_from_headers(headers: Mapping[str, str], body: bytes = b"") -> int:
    """The depth an inbound forwarded event proves; 0 when absent, malformed or unproven.

    The depth counts only with a valid signature of it and ``body`` (``depth_headers``): a
    client cannot set it (a deep event runs no post handlers), and a signature seen by one
    WebHook receiver vouches for that very body only.
    """
    lowered = {str(key).lower(): value for key, value in headers.items()}
    try:
        depth = max(0, int(str(lowered.get(DEPTH_HEADER.lower(), "0")).strip()))
    except ValueError:
        return 0
    sent = str(lowered.get(DEPTH_SIGNATURE_HEADER.lower()) or "").strip()
    if not depth or not sent:
        return 0
    expected = _depth_signature(depth, body)
    if not hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode()):
        return 0
    return depth
