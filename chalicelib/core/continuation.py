"""Continuation markers: where a listing that its read budget ended goes on, sealed.

A listing may stop after reading items that it did not return (a filter refused them, or the
caller may not see them). To continue *after* them, the marker must name a position past the
last match: the key of the last item read, which can belong to someone else's event. So the
position is sealed: encrypted (a stream cipher from HMAC-SHA256 as a PRF, keyed off the
service's token secret) and authenticated (encrypt-then-MAC, HMAC-SHA256). A caller learns
nothing from it and cannot make one up; each marker is bound to a ``scope`` (who asks and in
what order), so another caller's marker, or one of another listing, is refused as unknown.

A sealed marker starts with ``PREFIX``; anything else is a listing's plain marker (an id).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any

from chalicelib.errors import InvalidMarker
from chalicelib.settings import get_settings

__all__ = ["PREFIX", "is_sealed", "open_marker", "seal"]

PREFIX = "~c1."
_NONCE = 16
_TAG = 16


def _keys() -> tuple[bytes, bytes]:
    secret = get_settings().token_secret.encode()
    derive = lambda label: hmac.new(secret, label, hashlib.sha256).digest()  # noqa: E731
    return derive(b"continuation-marker/encrypt"), derive(b"continuation-marker/mac")


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + 31) // 32
    stream = b"".join(
        hmac.new(key, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
        for counter in range(blocks)
    )
    return stream[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def is_sealed(marker: str) -> bool:
    return marker.startswith(PREFIX)


def seal(position: Any, scope: str) -> str:
    """A marker holding ``position`` (JSON-able) that only ``open_marker(..., scope)`` reads."""
    encrypt_key, mac_key = _keys()
    plain = json.dumps({"p": position, "s": scope}, separators=(",", ":")).encode()
    nonce = os.urandom(_NONCE)
    cipher = _xor(plain, _keystream(encrypt_key, nonce, len(plain)))
    tag = hmac.new(mac_key, nonce + cipher, hashlib.sha256).digest()[:_TAG]
    return PREFIX + base64.urlsafe_b64encode(nonce + cipher + tag).decode().rstrip("=")


def open_marker(marker: str, scope: str) -> Any:
    """The position sealed in ``marker`` for ``scope``; ``InvalidMarker`` for anything else."""
    if not is_sealed(marker):
        raise InvalidMarker(marker)
    body = marker[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError:
        raise InvalidMarker(marker) from None
    if len(raw) <= _NONCE + _TAG:
        raise InvalidMarker(marker)
    nonce, cipher, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    encrypt_key, mac_key = _keys()
    expected = hmac.new(mac_key, nonce + cipher, hashlib.sha256).digest()[:_TAG]
    if not hmac.compare_digest(tag, expected):
        raise InvalidMarker(marker)
    plain = _xor(cipher, _keystream(encrypt_key, nonce, len(cipher)))
    try:
        content = json.loads(plain)
    except ValueError:
        raise InvalidMarker(marker) from None
    if not isinstance(content, dict) or content.get("s") != scope:
        raise InvalidMarker(marker)
    return content.get("p")
