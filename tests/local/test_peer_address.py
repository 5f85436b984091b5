"""Under ``chalice local`` (``make run``) the lock-out sees each client's own address: the
TCP peer, as API Gateway's ``sourceIp`` is what its edge saw (``local/peer_address.py``)."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator

import pytest
from chalice import Chalice
from chalice.config import Config

from local import peer_address
from tests.conftest import USER_PASSWORD, basic

# Linux answers on all of 127.0.0.0/8: a client bound to another loopback address is another
# peer of the same server.
GUESSER, OPERATOR = "127.0.0.2", "127.0.0.3"


@pytest.fixture
def serve(monkeypatch) -> Iterator:
    """``serve(app)``: the app behind a real local server built as ``make run`` builds it."""
    from chalice import local as chalice_local

    monkeypatch.setattr(chalice_local, "LambdaEventConverter", chalice_local.LambdaEventConverter)
    monkeypatch.setattr(chalice_local, "LocalDevServer", chalice_local.LocalDevServer)
    peer_address.install()
    servers = []
    classes = []

    def start(app: Chalice) -> int:
        classes.append((app, app.__class__))
        server = chalice_local.create_local_server(app, Config(), "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server.server.server_address[1]

    yield start
    for server in servers:
        server.shutdown()
        server.server.server_close()
    for app, app_class in classes:
        app.__class__ = app_class  # create_local_server swapped in its local subclass


def request(port: int, source: str, method: str, path: str, headers: dict | None = None):
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_each_connection_reports_its_own_peer(serve):
    echo = Chalice("echo")

    @echo.route("/address")
    def address() -> dict:
        return {"sourceIp": echo.current_request.context["identity"]["sourceIp"]}

    port = serve(echo)
    for source in (GUESSER, OPERATOR, "127.0.0.1"):
        status, body = request(port, source, "GET", "/address")
        assert status == 200 and body == f'{{"sourceIp":"{source}"}}'.encode()


def test_a_guesser_on_the_lan_does_not_lock_out_the_operator(serve, aws, user):
    """Issue 18's note: locally every peer was 127.0.0.1, so one guesser locked everyone out."""
    import app as service

    port = serve(service.app)
    wrong = basic("alice", "wrong-password")
    statuses = [request(port, GUESSER, "POST", "/auth/token", wrong)[0] for _ in range(11)]
    assert statuses == [401] * 10 + [429]
    status, _ = request(port, OPERATOR, "POST", "/auth/token", basic("alice", USER_PASSWORD))
    assert status == 200
