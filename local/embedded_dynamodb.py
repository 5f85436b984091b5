"""The embedded DynamoDB: moto's server (DynamoDB, DynamoDB Streams, SES, SNS ...) in a thread."""

from __future__ import annotations

import contextlib
import errno
import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

# moto keeps every shard iterator it ever handed out; a pump polling twice a second would
# grow that without end. The newest few are all a reader can still be holding.
_KEPT_SHARD_ITERATORS = 64


# DynamoDB operations that change what a snapshot would hold.
MUTATING_OPERATIONS = frozenset(
    {
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "BatchWriteItem",
        "TransactWriteItems",
        "CreateTable",
        "DeleteTable",
        "UpdateTable",
        "UpdateTimeToLive",
    }
)
_write_listeners: list[Callable[[], None]] = []
_requests = threading.RLock()


def on_write(listener: Callable[[], None]) -> Callable[[], None]:
    """Call ``listener()`` after every DynamoDB write the embedded server applies; returns the
    function that removes it."""
    _install_request_hook()
    _write_listeners.append(listener)
    return lambda: _write_listeners.remove(listener) if listener in _write_listeners else None


def _install_request_hook() -> None:
    """Wrap moto's DynamoDB request handling (once per process): one request at a time, as
    DynamoDB applies each atomically (moto's threaded server would interleave two ADDs to one
    item), and the write listeners told after each write."""
    from moto.dynamodb.responses import DynamoHandler

    from local import moto_json, moto_queries, moto_transactions

    # A transaction's rollback snapshots only its items, not whole tables; a Query reads only
    # its partition; GetRecords skips moto's generic serializer (see each module).
    moto_transactions.install()
    moto_queries.install()
    moto_json.install()
    if getattr(DynamoHandler, "_event_service_hooked", False):
        return
    original = DynamoHandler.call_action

    def call_action(self: Any) -> Any:
        target = self.headers.get("X-Amz-Target") or self.headers.get("x-amz-target") or ""
        with _requests:
            response = original(self)
        if target.rpartition(".")[2] in MUTATING_OPERATIONS:
            for listener in list(_write_listeners):
                listener()
        return response

    DynamoHandler.call_action = call_action
    DynamoHandler._event_service_hooked = True


def _client_form(value: dict[str, Any]) -> dict[str, Any]:
    """An attribute as boto3's client hands it over: binaries as bytes (moto keeps base64 text
    at the top level and bytes inside maps and lists)."""
    import base64

    ((kind, inner),) = value.items()
    if kind == "B":
        return {"B": base64.b64decode(inner) if isinstance(inner, str) else inner}
    if kind == "BS":
        return {"BS": [base64.b64decode(p) if isinstance(p, str) else p for p in inner]}
    if kind == "M":
        return {"M": {name: _client_form(part) for name, part in inner.items()}}
    if kind == "L":
        return {"L": [_client_form(part) for part in inner]}
    return {kind: inner}


class PortInUse(OSError):
    """The port the embedded server should listen on is taken."""

    def __init__(self, port: int) -> None:
        super().__init__(errno.EADDRINUSE, f"port {port} is already in use")
        self.port = port


class EmbeddedDynamoDB:
    """moto's server on ``host:port`` (``port=0``: any free port), served from a daemon thread.

    The socket is bound in ``start()`` itself, so a taken port is an immediate ``PortInUse``
    rather than a thread that never comes up.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> EmbeddedDynamoDB:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        _install_request_hook()
        # One access-log line per pump poll would drown everything else.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        try:
            self._server = make_server(
                self.host,
                self.port,
                DomainDispatcherApplication(create_backend_app),
                threaded=True,
                request_handler=MotoRequestHandler,
            )
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(self.port) from exc
            raise
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="embedded-dynamodb", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def forget_spent_shard_iterators(self) -> int:
        """Drop all but the newest shard iterators moto remembers; returns how many went."""
        try:
            from moto.dynamodbstreams.models import dynamodbstreams_backends

            dropped = 0
            for regions in list(dynamodbstreams_backends.values()):
                for backend in list(regions.values()):
                    iterators = backend.shard_iterators
                    for key in list(iterators)[:-_KEPT_SHARD_ITERATORS]:
                        iterators.pop(key, None)
                        dropped += 1
            return dropped
        except Exception:  # housekeeping of moto's internals must never stop the runtime
            log.debug("could not trim moto's shard iterators", exc_info=True)
            return 0

    @property
    def request_lock(self) -> contextlib.AbstractContextManager[Any]:
        """Held while moto answers a request: whoever holds it sees the tables between two."""
        return _requests

    def table_items(self, table_name: str, locked: bool = True) -> list[dict[str, Any]]:
        """Every item of ``table_name`` in DynamoDB JSON, read from moto's memory.

        A snapshot reads the tables this way, not by Scan over HTTP: moto's response
        serializer took 20 s to hand over 5,000 events, holding the request lock page after
        page while every other request waited. Read between two requests, so consistent;
        ``locked=False`` for a reader that is alone with its copy of memory (a forked child).
        """
        from moto.dynamodb.models import dynamodb_backends

        with _requests if locked else contextlib.nullcontext():
            for regions in list(dynamodb_backends.values()):
                for backend in list(regions.values()):
                    table = backend.tables.get(table_name)
                    if table is not None:
                        return [
                            {name: _client_form(value) for name, value in attributes.items()}
                            for attributes in (i.to_json()["Attributes"] for i in table.all_items())
                        ]
        return []

    def __enter__(self) -> EmbeddedDynamoDB:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
