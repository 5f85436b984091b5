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
import time
from collections.abc import Iterator, Mapping
from contextvars import ContextVar

from chalicelib.settings import get_settings

# Forwarded events carry their depth in this header, signed in the next one; ingestion routes
# pass them to ``depth_from_headers`` so a handler loop across servers stops too.
DEPTH_HEADER = "X-Event-Service-Depth"
DEPTH_SIGNATURE_HEADER = "X-Event-Service-Depth-Signature"
# When the depth was signed (UNIX seconds, signed with it): a body and its depth that a
# receiver saw can be sent again only within this window, not forever.
DEPTH_TIME_HEADER = "X-Event-Service-Depth-Time"
DEPTH_PROOF_SECONDS = 300
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


def _depth_signature(depth: int, signed_at: int, body: bytes) -> str:
    settings = get_settings()
    key = (settings.federation_secret or settings.token_secret).encode()
    return hmac.new(key, f"{depth}\n{signed_at}\n".encode() + body, hashlib.sha256).hexdigest()


def depth_headers(depth: int, body: bytes, now: float | None = None) -> dict[str, str]:
    """The headers a WebHook or Federation post sends its depth in: the depth, the time, and
    an HMAC of them and the body under the federation secret, which a peer sharing the secret
    verifies (within ``DEPTH_PROOF_SECONDS`` of the time)."""
    signed_at = int(time.time() if now is None else now)
    return {
        DEPTH_HEADER: str(depth),
        DEPTH_TIME_HEADER: str(signed_at),
        DEPTH_SIGNATURE_HEADER: _depth_signature(depth, signed_at, body),
    }


def depth_from_headers(headers: Mapping[str, str], body: bytes = b"") -> int:
    """The depth an inbound forwarded event proves; 0 when absent, malformed or unproven.

    The depth counts only with a valid signature of it, its time and ``body``
    (``depth_headers``), signed within ``DEPTH_PROOF_SECONDS`` of now: a client cannot set it
    (a deep event runs no post handlers), and a signature seen by one WebHook receiver vouches
    for that very body only, and only for a few minutes.
    """
    lowered = {str(key).lower(): value for key, value in headers.items()}
    try:
        depth = max(0, int(str(lowered.get(DEPTH_HEADER.lower(), "0")).strip()))
        signed_at = int(str(lowered.get(DEPTH_TIME_HEADER.lower(), "0")).strip())
    except ValueError:
        return 0
    sent = str(lowered.get(DEPTH_SIGNATURE_HEADER.lower()) or "").strip()
    if not depth or not sent or abs(time.time() - signed_at) > DEPTH_PROOF_SECONDS:
        return 0
    expected = _depth_signature(depth, signed_at, body)
    if not hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode()):
        return 0
    return depth
