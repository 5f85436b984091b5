"""The TCP peer's address as the request's ``sourceIp`` under ``chalice local``.

API Gateway puts the address its edge saw in ``requestContext.identity.sourceIp``, and the
lock-out counts failed logins per (username, address) from it (``auth/client_address``).
``chalice local`` writes 127.0.0.1 there for every peer, so on a shared machine or behind a
LAN address every client would share one count. ``install()`` makes the local server report
the connection's own peer address instead, never a header a client wrote.
"""

from __future__ import annotations

import threading
from typing import Any

from chalice import local as chalice_local

_request = threading.local()  # chalice local serves each connection in its own thread
_CHALICE_ADDRESS = chalice_local.LambdaEventConverter.LOCAL_SOURCE_IP  # outside a connection


class PeerAddressConverter(chalice_local.LambdaEventConverter):
    """Chalice's event converter whose ``sourceIp`` is the serving thread's peer address."""

    @property  # type: ignore[override]
    def LOCAL_SOURCE_IP(self) -> str:
        return getattr(_request, "peer", None) or _CHALICE_ADDRESS


class PeerAddressHandler(chalice_local.ChaliceRequestHandler):
    """Chalice's request handler that records its connection's peer for the converter."""

    def handle(self) -> None:  # one connection, all its requests (keep-alive), one thread
        _request.peer = str(self.client_address[0])
        try:
            super().handle()
        finally:
            _request.peer = None


class PeerAddressServer(chalice_local.LocalDevServer):
    """Chalice's local server with the peer-recording handler."""

    def __init__(self, app_object: Any, config: Any, host: str, port: int, **kwargs: Any) -> None:
        kwargs.setdefault("handler_cls", PeerAddressHandler)
        super().__init__(app_object, config, host, port, **kwargs)


def install() -> None:
    """Make every local server built from now on report each connection's peer address."""
    chalice_local.LambdaEventConverter = PeerAddressConverter  # type: ignore[misc]
    chalice_local.LocalDevServer = PeerAddressServer  # type: ignore[misc]
