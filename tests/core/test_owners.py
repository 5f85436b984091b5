"""Owners are the creator's: a ``project_id``/``user_id`` property, variable or trait sent by a
non-admin source is data, never the event's owner (``core.model.build_event``)."""

from __future__ import annotations

import pytest

from chalicelib.auth.principal import Principal
from chalicelib.auth.principals import create_principal
from chalicelib.core.model import SENT_OWNER_PREFIX, Trait, build_event
from tests.conftest import basic
from tests.dialects.opevents.support import EVENTS, NODES, ROUTER, call


def test_a_sources_owner_traits_are_kept_apart_and_the_creator_owns_the_event():
    event = build_event(
        event_type="x",
        traits=[Trait("project_id", "string", "p2"), Trait("user_id", "string", "bob")],
        project_id="p1",
        user_id="alice",
    )
    assert (event.project_id, event.user_id) == ("p1", "alice")
    values = event.trait_values()
    assert values["project_id"] == "p1" and values["user_id"] == "alice"
    assert values[f"{SENT_OWNER_PREFIX}project_id"] == "p2"
    assert values[f"{SENT_OWNER_PREFIX}user_id"] == "bob"


def test_an_event_nobody_owns_is_not_owned_by_its_traits():
    event = build_event(event_type="x", traits=[Trait("project_id", "string", "p2")])
    assert event.project_id is None and event.trait("project_id") is None
    assert event.trait_values()["sent_project_id"] == "p2"


def test_the_owner_named_again_is_not_duplicated():
    event = build_event(
        event_type="x", traits=[Trait("project_id", "string", "p1")], project_id="p1"
    )
    assert [t.name for t in event.traits] == ["project_id"]


def test_only_an_admins_ingest_lets_traits_name_the_owner():
    event = build_event(
        event_type="x",
        traits=[Trait("project_id", "string", "p2"), Trait("user_id", "string", "bob")],
        owner_from_traits=True,
    )
    assert (event.project_id, event.user_id) == ("p2", "bob")


@pytest.fixture
def alice_and_bob(aws):
    create_principal(
        Principal(
            "alice",
            roles=("user",),
            permissions=("events_ingest", "opevents_read", "opevents_write"),
            project_id="p1",
            user_id="alice",
        ),
        "alice-password-1",
    )
    create_principal(
        Principal(
            "bob", roles=("user",), permissions=("events_ingest",), project_id="p2", user_id="bob"
        ),
        "bob-password-1",
    )
    return basic("alice", "alice-password-1"), basic("bob", "bob-password-1")


def test_alices_opevents_event_naming_bob_is_not_in_bobs_events(client, admin, alice_and_bob):
    """The attack: an opEvents event with project_id p2 / user_id bob landed in bob's view."""
    alice, bob = alice_and_bob
    assert call(client, "POST", NODES, admin, data=ROUTER).status_code == 201
    created = call(
        client,
        "POST",
        EVENTS,
        alice,
        data={
            "node": "router1",
            "event": "Planted",
            "details": "x",
            "project_id": "p2",
            "user_id": "bob",
        },
    )
    assert created.status_code == 201, created.body
    seen_by_bob = client.http.get("/v2/events?limit=100", headers=bob)
    assert seen_by_bob.status_code == 200
    assert [e for e in seen_by_bob.json_body if e["event_type"] == "Planted"] == []
    [mine] = [
        e
        for e in client.http.get("/v2/events?limit=100", headers=alice).json_body
        if e["event_type"] == "Planted"
    ]
    traits = {t["name"]: t["value"] for t in mine["traits"]}
    assert (traits["project_id"], traits["user_id"]) == ("p1", "alice")
    assert (traits["sent_project_id"], traits["sent_user_id"]) == ("p2", "bob")
