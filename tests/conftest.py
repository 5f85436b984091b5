"""Shared fixtures: moto-backed tables, the Chalice test client, principals.

The environment is set before anything imports botocore, so every client (PynamoDB's,
boto3's) talks to moto with fake credentials.
"""

from __future__ import annotations

import base64
import os
import threading
from collections.abc import Iterator

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "EVENT_SERVICE_STAGE": "local",
        "EVENT_SERVICE_TABLE_PREFIX": "test-",
        # argon2 at its cheapest: tests check behaviour, not hash strength.
        "EVENT_SERVICE_PASSWORD_MEMORY_KIB": "1024",
        "EVENT_SERVICE_ACTION_BACKOFF_SECONDS": "0.01",
    }
)
for _name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
    os.environ.pop(_name, None)

import pytest  # noqa: E402
from moto import mock_aws  # noqa: E402

from chalicelib.settings import get_settings, reset_settings  # noqa: E402
from local.routing import install as install_greedy_routes  # noqa: E402

# The test client and local servers match ``{proxy+}`` at any depth, as API Gateway does.
install_greedy_routes()

ADMIN_PASSWORD = "admin-password-1"
USER_PASSWORD = "user-password-1"


def basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _forget_process_caches() -> None:
    from chalicelib.auth import principals
    from chalicelib.core import catalog, handlers

    catalog.forget_cache()
    handlers.forget_cached_handlers()
    principals.forget()
    from chalicelib.engine import executor

    executor.forget_handler_set()


def _atomic_moto_dynamodb() -> None:
    """One DynamoDB request at a time in moto, as DynamoDB applies each atomically, and
    transactions that roll back by item (local/moto_transactions.py).

    Stream records are dispatched concurrently; moto's in-process update of one item is a
    read-modify-write without a lock, so two concurrent ADDs could lose one.
    """
    import threading

    from moto.dynamodb.responses import DynamoHandler

    from local import moto_json, moto_queries, moto_transactions

    # The embedded runtime's fixes (local/UPSTREAM.md): a transaction copies only its items, a
    # Query reads only its partition, item results are plain JSON; the tests run what
    # `make run` runs.
    moto_transactions.install()
    moto_queries.install()
    moto_json.install()
    if getattr(DynamoHandler, "_event_service_atomic", False):
        return
    lock = threading.RLock()
    call_action = DynamoHandler.call_action

    def atomic_call_action(self):
        with lock:
            return call_action(self)

    DynamoHandler.call_action = atomic_call_action
    DynamoHandler._event_service_atomic = True


@pytest.fixture
def aws():
    """A fresh moto account with every event-service table created."""
    reset_settings()
    _atomic_moto_dynamodb()
    with mock_aws():
        from chalicelib.store.tables import bind_all, create_all_tables

        bind_all(get_settings())
        create_all_tables(wait=False)
        _forget_process_caches()
        yield
        _forget_process_caches()


@pytest.fixture
def client(aws):
    from chalice.test import Client

    from app import app

    with Client(app, stage_name="local") as test_client:
        yield test_client


@pytest.fixture
def admin(aws):
    """An admin principal; returns its Basic auth headers."""
    from chalicelib.auth.principal import Principal
    from chalicelib.auth.principals import create_principal

    create_principal(
        Principal("root", roles=("admin",), project_id="p-admin", user_id="root"), ADMIN_PASSWORD
    )
    return basic("root", ADMIN_PASSWORD)


@pytest.fixture
def user(aws):
    """A plain user principal in project p1; returns its Basic auth headers."""
    from chalicelib.auth.principal import Principal
    from chalicelib.auth.principals import create_principal

    create_principal(
        Principal("alice", roles=("user",), project_id="p1", user_id="u-alice"), USER_PASSWORD
    )
    return basic("alice", USER_PASSWORD)


@pytest.fixture
def served(aws, monkeypatch) -> Iterator[str]:
    """The app behind a real HTTP server; its base URL. Webhooks may reach 127.0.0.1."""
    from chalice.config import Config
    from chalice.local import create_local_server

    from app import app
    from chalicelib.engine.modules import federation, outbound
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE", "1")
    reset_settings()
    outbound.forget_pools()
    federation.forget_sessions()
    app_class = app.__class__
    server = create_local_server(app, Config.create(chalice_stage="local"), "127.0.0.1", 0)
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server.server_address[1]}"
    finally:
        server.shutdown()
        server.server.server_close()
        thread.join()
        app.__class__ = app_class  # create_local_server swapped in its local subclass
        federation.forget_sessions()
        outbound.forget_pools()
        monkeypatch.undo()
        reset_settings()
