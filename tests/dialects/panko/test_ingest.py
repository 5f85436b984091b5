"""POST /v2/events: ingest in Panko's Event shape (beyond Panko)."""

from __future__ import annotations

import json

import pytest

from chalicelib.auth import permissions
from chalicelib.auth.principal import Principal
from chalicelib.auth.principals import create_principal
from chalicelib.core import events
from chalicelib.core.events import scoped_message_id as scoped
from chalicelib.engine import operations
from chalicelib.errors import OperationRefused
from tests.conftest import basic
from tests.dialects.panko.support import fault, ids

JSON = {"Content-Type": "application/json"}
EVENT = {
    "message_id": "94834db1-8f1b-404d-b2ec-c35901f1b7f0",
    "event_type": "compute.instance.update",
    "generated": "2015-01-01T12:00:00",
    "traits": [
        {"name": "tenant_id", "type": "string", "value": "7f13f2b17917463b9ee21aa92c4b36d6"},
        {"name": "service", "value": "conductor.tem-devstack-01"},
        {"name": "memory_mb", "type": "integer", "value": 512},
        {"name": "load", "type": "float", "value": "0.5"},
        {"name": "launched_at", "type": "datetime", "value": "2015-01-01T11:59:00Z"},
    ],
    "raw": {"status": {"nested": "started"}},
}


@pytest.fixture
def ingester(aws):
    create_principal(
        Principal(
            "collector",
            roles=("user",),
            permissions=(permissions.EVENTS_INGEST,),
            project_id="p1",
            user_id="u-collector",
        ),
        "collector-password-1",
    )
    return basic("collector", "collector-password-1")


def post(client, headers, body, content_type=JSON):
    payload = body if isinstance(body, str) else json.dumps(body)
    return client.http.post("/v2/events", headers={**headers, **content_type}, body=payload)


COLLECTOR_OWN = scoped("own", "p1", "u-collector")


def stored_ids():
    return sorted(e.message_id for e in events.list_events(events.EventQuery(limit=1000)))


def test_an_admins_event_keeps_exactly_the_traits_sent(client, admin):
    response = post(client, admin, EVENT)
    assert response.status_code == 201
    assert response.json_body == {"stored": [EVENT["message_id"]], "duplicates": []}
    shown = client.http.get(f"/v2/events/{EVENT['message_id']}", headers=admin).json_body
    assert shown["event_type"] == "compute.instance.update"
    assert shown["generated"] == "2015-01-01T12:00:00"
    assert shown["raw"] == {"status": {"nested": "started"}}
    assert shown["traits"] == [
        {"name": "launched_at", "value": "2015-01-01T11:59:00", "type": "datetime"},
        {"name": "load", "value": "0.5", "type": "float"},
        {"name": "memory_mb", "value": "512", "type": "integer"},
        {"name": "service", "value": "conductor.tem-devstack-01", "type": "string"},
        {"name": "tenant_id", "value": "7f13f2b17917463b9ee21aa92c4b36d6", "type": "string"},
    ]
    stored = events.get_event(EVENT["message_id"])
    assert stored.source == "panko" and stored.recorded_by == "root"
    # No owner traits were sent, so the event belongs to no project (not to the admin's).
    assert (stored.project_id, stored.user_id) == (None, None)


def test_a_list_gets_message_ids_and_times_where_missing(client, admin):
    response = post(client, admin, [{"event_type": "a"}, {"event_type": "b", "traits": []}])
    assert response.status_code == 201
    stored = response.json_body["stored"]
    assert len(stored) == 2 and len(set(stored)) == 2
    assert sorted(ids(client.http.get("/v2/events", headers=admin))) == sorted(stored)
    assert client.http.get("/v2/event_types", headers=admin).json_body == ["a", "b"]


def test_an_empty_list_stores_nothing(client, admin):
    response = post(client, admin, [])
    assert response.status_code == 201
    assert response.json_body == {"stored": [], "duplicates": []}


def test_duplicates_are_skipped_and_reported_never_overwritten(client, admin):
    assert post(client, admin, EVENT).status_code == 201
    changed = {**EVENT, "raw": {"changed": True}}
    fresh = {**EVENT, "message_id": "fresh"}
    response = post(client, admin, [changed, fresh, fresh])
    assert response.status_code == 201
    assert response.json_body == {"stored": ["fresh"], "duplicates": [EVENT["message_id"], "fresh"]}
    assert events.get_event(EVENT["message_id"]).raw == {"status": {"nested": "started"}}


INVALID = [
    (
        {"traits": []},
        "Invalid input for field/attribute event_type. Value: 'None'. Mandatory field missing.",
    ),
    ({"event_type": "t", "colour": "red"}, "Unknown attribute for argument event: colour"),
    (
        {"event_type": "t", "generated": "soon"},
        "Invalid input for field/attribute generated. "
        "Value: 'soon'. generated is not an ISO-8601 timestamp: 'soon'",
    ),
    (
        {"event_type": "t", "generated": 12},
        "Invalid input for field/attribute generated. Value: '12'. Not an ISO 8601 timestamp.",
    ),
    (
        {"event_type": "t", "traits": {"a": 1}},
        "Invalid input for field/attribute traits. "
        "Value: '{'a': 1}'. Value not a valid list: {'a': 1}",
    ),
    (
        {"event_type": "t", "traits": [{"name": "a", "type": "boolean", "value": "1"}]},
        "The data type boolean is not supported. The supported data type list is: "
        "['integer', 'float', 'string', 'datetime']",
    ),
    (
        {"event_type": "t", "traits": [{"name": "a", "type": "integer", "value": "x"}]},
        "Unable to convert the value x to the expected data type integer.",
    ),
    (
        {"event_type": "t", "traits": [{"name": "a", "type": "float", "value": "inf"}]},
        "Unable to convert the value inf to the expected data type float.",
    ),
    (
        {"event_type": "t", "traits": [{"name": "a"}]},
        "Invalid input for field/attribute value. Value: 'None'. Mandatory field missing.",
    ),
    (
        {"event_type": "t", "traits": [{"value": "a"}]},
        "Invalid input for field/attribute name. Value: 'None'. Mandatory field missing.",
    ),
    (
        {"event_type": "t", "traits": [{"name": "a", "value": "b", "unit": "s"}]},
        "Unknown attribute for argument trait: unit",
    ),
    (
        {"event_type": "t", "traits": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}]},
        "Invalid input for field/attribute traits. Value: 'a'. The string trait a is given twice.",
    ),
    (
        {"event_type": "t", "message_id": "a#b"},
        "Invalid input for field/attribute message_id. "
        "Value: 'a#b'. message_id must be a string of at most 128 characters without '#'",
    ),
    (["just text"], "Request must be a JSON dict or a list of JSON dicts"),
]


@pytest.mark.parametrize("body,message", INVALID, ids=[m[:40] for _, m in INVALID])
def test_an_invalid_event_is_refused(client, admin, body, message):
    response = post(client, admin, body)
    assert response.status_code == 400, response.body
    assert fault(response) == message
    assert stored_ids() == []


def test_one_invalid_event_rejects_the_whole_request(client, admin):
    batch = [{**EVENT, "message_id": "good"}, {"event_type": "t", "traits": [{"name": "x"}]}]
    response = post(client, admin, batch)
    assert response.status_code == 400
    assert fault(response) == (
        "Event 1: Invalid input for field/attribute value. Value: 'None'. Mandatory field missing."
    )
    assert stored_ids() == []
    assert client.http.get("/v2/event_types", headers=admin).json_body == []


@pytest.mark.parametrize(
    "body,content_type,status,message",
    [
        ("{nope", JSON, 400, "Request is not in valid JSON format"),
        ("", JSON, 400, "Request is not in valid JSON format"),
        (
            '{"event_type": "t"}',
            {"Content-Type": "text/plain"},
            415,
            "Unknown mimetype: text/plain",
        ),
    ],
)
def test_unreadable_bodies(client, admin, body, content_type, status, message):
    response = post(client, admin, body, content_type)
    assert response.status_code == status
    assert fault(response) == message


def test_callers_without_the_ingest_permission_are_refused(client, user):
    response = post(client, user, EVENT)
    assert response.status_code == 403
    assert fault(response) == "RBAC Authorization Failed"
    assert stored_ids() == []


def test_anonymous_callers_are_refused(client, aws):
    response = post(client, {}, EVENT)
    assert response.status_code == 401
    assert stored_ids() == []


def test_an_ingester_records_for_their_own_project_only(client, ingester, user):
    own = {"event_type": "t", "message_id": "own", "traits": [{"name": "service", "value": "x"}]}
    assert post(client, ingester, own).status_code == 201
    stored = events.get_event(COLLECTOR_OWN)
    assert (stored.project_id, stored.user_id, stored.recorded_by) == (
        "p1",
        "u-collector",
        "collector",
    )
    explicit = {
        "event_type": "t",
        "message_id": "explicit",
        "traits": [
            {"name": "project_id", "value": "p1"},
            {"name": "user_id", "value": "u-collector"},
        ],
    }
    assert post(client, ingester, explicit).status_code == 201
    for trait in (
        {"name": "project_id", "value": "p-other"},
        {"name": "user_id", "value": "u-alice"},
        {"name": "project_id", "type": "integer", "value": 1},
    ):
        forged = {"event_type": "t", "message_id": "forged", "traits": [trait]}
        response = post(client, ingester, forged)
        assert response.status_code == 403
        assert fault(response).startswith(f"Not Authorized to record events with {trait['name']}")
    assert stored_ids() == sorted(scoped(i, "p1", "u-collector") for i in ("explicit", "own"))


def test_an_admin_may_record_for_any_owner(client, admin, user):
    body = {
        "event_type": "t",
        "message_id": "for-alice",
        "traits": [{"name": "project_id", "value": "p1"}, {"name": "user_id", "value": "u-alice"}],
    }
    assert post(client, admin, body).status_code == 201
    assert ids(client.http.get("/v2/events", headers=user)) == ["for-alice"]
    assert ids(client.http.get("/v2/events", headers=admin)) == []


def test_ingest_answers_in_xml_when_asked(client, admin):
    response = post(client, {**admin, "Accept": "application/xml"}, {**EVENT, "message_id": "x1"})
    assert response.status_code == 201
    assert response.body.decode() == (
        "<result><stored><item>x1</item></stored><duplicates /></result>"
    )


def test_ingest_is_a_declared_operation():
    assert "panko.events.ingest" in operations.declared_operations()


def test_pre_handlers_may_refuse_or_change_an_ingest(client, admin, monkeypatch):
    from chalicelib.engine import pre

    seen = []

    def refuse(name, principal, params):
        seen.append((name, principal.username, [e["message_id"] for e in params["events"]]))
        raise OperationRefused("ingest is closed")

    monkeypatch.setattr(pre, "apply_pre_handlers", refuse)
    response = post(client, admin, [EVENT, {"event_type": "t"}])
    assert response.status_code == 403
    assert fault(response) == "ingest is closed"
    assert seen[0][0] == "panko.events.ingest" and seen[0][1] == "root"
    assert seen[0][2][0] == EVENT["message_id"] and seen[0][2][1]  # ids given before handlers
    assert stored_ids() == []

    def tag(name, principal, params):
        changed = [
            {**e, "traits": [*e.get("traits", []), {"name": "tagged", "value": "yes"}]}
            for e in params["events"]
        ]
        return {**params, "events": changed}

    monkeypatch.setattr(pre, "apply_pre_handlers", tag)
    assert post(client, admin, {"event_type": "t", "message_id": "m"}).status_code == 201
    assert events.get_event("m").trait("tagged").value == "yes"


@pytest.fixture
def tenants(aws):
    """alice (p1) and bob (p2), both with events_ingest; their Basic headers."""
    for name, project in (("alice", "p1"), ("bob", "p2")):
        create_principal(
            Principal(
                name,
                roles=("user",),
                permissions=(permissions.EVENTS_INGEST,),
                project_id=project,
                user_id=name,
            ),
            f"{name}-password-1",
        )
    return basic("alice", "alice-password-1"), basic("bob", "bob-password-1")


def test_ids_are_per_owner_nobody_learns_another_tenants_ids(client, tenants):
    """The attack: bob posts alice's ids and reads which come back as duplicates."""
    alice, bob = tenants
    assert post(client, alice, {"event_type": "t", "message_id": "secret-1"}).status_code == 201
    probe = post(client, bob, [{"event_type": "t", "message_id": i} for i in ("secret-1", "x")])
    assert probe.status_code == 201
    assert probe.json_body["duplicates"] == []
    # Panko's duplicate answer stays for the same owner, by the id sent or the id stored.
    again = post(client, alice, {"event_type": "t", "message_id": "secret-1"})
    assert again.json_body == {"stored": [], "duplicates": [scoped("secret-1", "p1", "alice")]}
    stored_id = scoped("secret-1", "p1", "alice")
    again = post(client, alice, {"event_type": "t", "message_id": stored_id})
    assert again.json_body["duplicates"] == [stored_id]


def test_ids_are_per_owner_nobody_squats_another_tenants_id(client, tenants):
    """The attack: bob stores an id first; alice's later event must still be hers."""
    alice, bob = tenants
    assert post(client, bob, {"event_type": "squat", "message_id": "m-1"}).status_code == 201
    # bob cannot reach into alice's id space with her scoped form either
    alices_form = scoped("m-1", "p1", "alice")
    assert post(client, bob, {"event_type": "squat", "message_id": alices_form}).status_code == 201
    response = post(client, alice, {"event_type": "mine", "message_id": "m-1"})
    assert response.json_body == {"stored": [alices_form], "duplicates": []}
    # alice reads it by the id she sent (and by the stored one); bob never sees it
    for path_id in ("m-1", alices_form):
        shown = client.http.get(f"/v2/events/{path_id}", headers=alice)
        assert shown.status_code == 200 and shown.json_body["event_type"] == "mine"
    # bob, by the same ids, reads only his own events
    for path_id in ("m-1", alices_form):
        assert client.http.get(f"/v2/events/{path_id}", headers=bob).json_body["event_type"] == (
            "squat"
        )
    listed = client.http.get("/v2/events?limit=100", headers=bob).json_body
    assert {e["event_type"] for e in listed} == {"squat"}
