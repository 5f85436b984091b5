"""Shared helpers and fixtures of the opEvents dialect tests."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from tests.conftest import basic

ROOT = "/omk/opEvents"
EVENTS = f"{ROOT}/events"
NODES = f"{ROOT}/nodes"
WRITER_PASSWORD = "writer-password-1"
READER_PASSWORD = "reader-password-1"
ROUTER = {
    "name": "router1",
    "host": "router1.example.com",
    "aliases": ["r1", "core-router"],
    "addresses": ["10.0.0.1", "2001:db8::1"],
}


def call(client, method, path, headers=None, *, data=None, form=None, query=None, raw=None):
    """One request; ``data`` goes as JSON, ``form`` as a urlencoded form."""
    headers = dict(headers or {})
    body = b"" if raw is None else raw
    if data is not None:
        body = json.dumps(data).encode()
        headers.setdefault("Content-Type", "application/json")
    if form is not None:
        body = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if query:
        path = f"{path}?{urlencode(query)}"
    return client.http.request(method, path, headers=headers, body=body)


def json_get(client, path, headers, **query):
    return call(client, "GET", path, {**headers, "Accept": "application/json"}, query=query)


def create(client, headers, **properties):
    return call(client, "POST", EVENTS, headers, data=properties)


def _principal(username: str, password: str, *rights: str) -> dict[str, str]:
    from chalicelib.auth.principal import Principal
    from chalicelib.auth.principals import create_principal

    create_principal(
        Principal(
            username,
            roles=("user",),
            permissions=rights,
            project_id="p-ops",
            user_id=f"u-{username}",
        ),
        password,
    )
    return basic(username, password)


@pytest.fixture
def writer(aws):
    """A non-admin holding opevents_read and opevents_write; its Basic headers."""
    return _principal("poller", WRITER_PASSWORD, "opevents_read", "opevents_write")


@pytest.fixture
def reader(aws):
    """A non-admin holding opevents_read only."""
    return _principal("viewer", READER_PASSWORD, "opevents_read")


@pytest.fixture
def router(client, admin):
    """router1 in the node registry (made through the API)."""
    response = call(client, "POST", NODES, admin, data=ROUTER)
    assert response.status_code == 201, response.body
    return ROUTER["name"]
