"""Cookies need a same-origin proof on every cookie-authenticated write (issue 18).

The attack: with only the ``omk`` cookie, a page on another site posts a form
(``Content-Type: text/plain``, ``Origin: https://evil.example``) whose body is JSON;
``POST /omk/opEvents/nodes`` and ``/events`` once answered 201.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import ADMIN_PASSWORD
from tests.dialects.opevents import support as opevents_support
from tests.dialects.opevents.support import EVENTS, NODES, ROOT, WRITER_PASSWORD, call

writer = opevents_support.writer
router = opevents_support.router

HOST = "events.example.org"
BODIES = {
    NODES: {"name": "planted", "host": "10.0.0.9"},
    EVENTS: {"node": "router1", "event": "Node Down", "level": "Critical"},
}


def _session(client, username: str = "root", password: str = ADMIN_PASSWORD) -> str:
    """An opEvents login's cookie (the admin's by default: node writes are admin-only)."""
    response = call(
        client, "POST", f"{ROOT}/login", form={"username": username, "password": password}
    )
    return response.headers["Set-Cookie"].split(";", 1)[0]


def _post(client, path: str, headers: dict) -> object:
    return client.http.post(path, headers=headers, body=json.dumps(BODIES[path]))


def _stored() -> tuple[int, int]:
    import boto3

    from chalicelib.store import nodes, opevents

    dynamodb = boto3.client("dynamodb")
    return tuple(
        dynamodb.scan(TableName=model.Meta.table_name, Select="COUNT")["Count"]
        for model in (nodes.NodeModel, opevents.OpEventModel)
    )


@pytest.mark.parametrize("path", [NODES, EVENTS])
@pytest.mark.parametrize(
    "extra",
    [
        {"Content-Type": "text/plain", "Origin": "https://evil.example"},  # the form post
        {"Content-Type": "text/plain"},  # no Origin at all (an old browser's form)
        {"Content-Type": "application/json", "Origin": "https://evil.example"},
        {"Content-Type": "text/plain", "Origin": f"https://{HOST}"},  # own origin, not JSON
        {"Content-Type": "application/x-www-form-urlencoded", "X-Requested-With": "x"},
    ],
    ids=["form-evil-origin", "form-no-origin", "json-evil-origin", "text-own-origin", "urlenc"],
)
def test_a_cross_site_form_post_with_the_cookie_is_refused(client, admin, router, path, extra):
    cookie = _session(client)
    before = _stored()

    response = _post(client, path, {"Cookie": cookie, "Host": HOST, **extra})

    assert response.status_code == 401, response.body
    assert _stored() == before


@pytest.mark.parametrize("path", [NODES, EVENTS])
@pytest.mark.parametrize(
    "proof",
    [{"X-Requested-With": "XMLHttpRequest"}, {"Origin": f"https://{HOST}"}],
    ids=["x-requested-with", "own-origin"],
)
def test_a_same_origin_write_with_the_cookie_is_accepted(client, admin, router, path, proof):
    cookie = _session(client)
    headers = {"Cookie": cookie, "Host": HOST, "Content-Type": "application/json", **proof}

    assert _post(client, path, headers).status_code == 201


def test_a_writers_cookie_is_refused_cross_site_too(client, writer, router):
    cookie = _session(client, "poller", WRITER_PASSWORD)
    headers = {"Cookie": cookie, "Content-Type": "text/plain", "Origin": "https://evil.example"}
    assert _post(client, EVENTS, headers).status_code == 401
    headers = {"Cookie": cookie, "Content-Type": "application/json", "X-Requested-With": "x"}
    assert _post(client, EVENTS, headers).status_code == 201


def test_cookie_reads_need_no_proof(client, writer, router):
    cookie = _session(client, "poller", WRITER_PASSWORD)
    headers = {"Cookie": cookie, "Accept": "application/json"}
    assert client.http.get(EVENTS, headers=headers).status_code == 200
