"""The real pankoclient (and the ``openstack event`` CLI) against the app over real HTTP.

The app runs in Chalice's local dev server on a free 127.0.0.1 port, in a thread of this
process, so moto's in-process DynamoDB serves it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from chalicelib.auth.principals import get_principal
from chalicelib.auth.tokens import issue_token
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD
from tests.dialects.panko.support import record_scenario

pytest.importorskip("pankoclient")


@pytest.fixture
def endpoint(aws, admin, user):
    from chalice.config import Config
    from chalice.local import LocalDevServer

    from app import app

    record_scenario()
    server = LocalDevServer(app, Config.create(), "127.0.0.1", 0)
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server.server_address[1]}"
    server.shutdown()
    server.server.server_close()
    thread.join(timeout=10)


def panko(endpoint, token=None, username=None, password=None):
    from keystoneauth1 import session
    from keystoneauth1.http_basic import HTTPBasicAuth
    from keystoneauth1.token_endpoint import Token
    from pankoclient import client

    if token:
        auth = Token(endpoint, token)
    else:
        auth = HTTPBasicAuth(endpoint=endpoint, username=username, password=password)
    return client.Client("2", session=session.Session(auth=auth))


def test_pankoclient_with_a_token(endpoint):
    c = panko(endpoint, token=issue_token(get_principal("root")))
    assert c.capabilities.list().to_dict() == {
        "api": {"events:query:simple": True},
        "event_storage": {"storage:production_ready": True},
    }
    listed = c.event.list()
    assert [e.message_id for e in listed] == ["0", "100", "200"]
    assert listed[1].traits[1] == {"name": "trait_B", "value": "101", "type": "integer"}
    shown = c.event.get("100")
    assert (shown.event_type, shown.generated) == ("Bar", "2014-01-01T05:00:00")
    assert shown.raw == {"status": {"nested": "started"}}
    assert list(c.event_type.list()) == ["Bar", "Foo", "Zoo"]
    descriptions = c.event_trait_description.list("Foo")
    assert [(d.name, d.type) for d in descriptions] == [
        ("trait_A", "string"),
        ("trait_B", "integer"),
        ("trait_C", "float"),
        ("trait_D", "datetime"),
    ]
    instances = c.event_trait.list("Foo", "trait_B")
    assert [(t.name, t.value, t.type) for t in instances] == [("trait_B", "1", "integer")]


def test_pankoclient_filters_and_pages(endpoint):
    c = panko(endpoint, username="root", password=ADMIN_PASSWORD)
    assert [e.message_id for e in c.event.list(filters={"event_type": "Zoo"})] == ["200"]
    assert [e.message_id for e in c.event.list(filters={"trait_A": "my_Foo_text"})] == ["0"]
    first = c.event.list(limit=2, sorts=["message_id:desc"])
    assert [e.message_id for e in first] == ["200", "100"]
    rest = c.event.list(limit=2, sorts=["message_id:desc"], marker="100")
    assert [e.message_id for e in rest] == ["0"]


def test_pankoclient_errors(endpoint):
    from pankoclient import exceptions

    c = panko(endpoint, username="root", password=ADMIN_PASSWORD)
    with pytest.raises(exceptions.NotFound) as missing:
        c.event.get("nope")
    assert "Event nope Not Found" in str(missing.value)
    with pytest.raises(exceptions.BadRequest) as bad:
        c.event.list(sorts=["message_id:bah"])
    assert "supported sort directions" in str(bad.value)
    member = panko(endpoint, username="alice", password=USER_PASSWORD)
    assert list(member.event.list()) == []
    with pytest.raises(exceptions.Unauthorized):
        member.event_type.list()


def _openstack(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    done = subprocess.run(
        [sys.executable, "-m", "openstackclient.shell", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_openstack_event_cli(endpoint):
    pytest.importorskip("openstackclient")
    token = issue_token(get_principal("root"))
    with_token = ["--os-auth-type", "admin_token", "--os-endpoint", endpoint, "--os-token", token]
    listed = json.loads(_openstack(*with_token, "event", "list", "--limit", "2", "-f", "json"))
    assert [row["message_id"] for row in listed] == ["0", "100"]
    with_basic = [
        "--os-auth-type",
        "http_basic",
        "--os-endpoint",
        endpoint,
        "--os-username",
        "root",
        "--os-password",
        ADMIN_PASSWORD,
    ]
    shown = json.loads(_openstack(*with_basic, "event", "show", "200", "-f", "json"))
    assert shown["event_type"] == "Zoo"
