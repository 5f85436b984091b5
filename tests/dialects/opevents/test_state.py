"""opEvents after creation: stateful deduplication, flaps, and PATCH of an event."""

from __future__ import annotations

import threading

import pytest

from tests.dialects.opevents import support as opevents_support
from tests.dialects.opevents.support import EVENTS, ROOT, call, create, json_get

router = opevents_support.router
writer = opevents_support.writer

T0 = 1_800_000_000.0
DOWN = {
    "node": "router1",
    "event": "Node Down",
    "state": "down",
    "stateful": "Node",
    "element": "",
    "priority": 6,
}
UP = {**DOWN, "event": "Node Up", "state": "up", "priority": 1}


def event(client, headers, event_id):
    return json_get(client, f"{EVENTS}/{event_id}", headers).json_body


def listed_ids(client, headers):
    return [
        e["id"]
        for e in json_get(client, EVENTS, headers, o_start=T0 - 10, o_end=T0 + 9999).json_body
    ]


def test_the_same_state_again_creates_no_record(client, writer, router):
    first = create(client, writer, **DOWN, time=T0)
    again = create(client, writer, **{**DOWN, "state": "DOWN"}, time=T0 + 5, details="again")
    assert first.status_code == again.status_code == 201
    assert again.json_body == {"success": 1, "id": first.json_body["id"], "duplicate": 1}
    assert again.headers["Location"].endswith(first.json_body["id"])
    assert listed_ids(client, writer) == [first.json_body["id"]]


def test_another_element_or_stateful_is_another_state(client, writer, router):
    ids = {
        create(client, writer, **DOWN, time=T0).json_body["id"],
        create(
            client, writer, **{**DOWN, "element": "Gi0/1", "stateful": "Interface"}, time=T0 + 1
        ).json_body["id"],
        create(
            client, writer, **{**DOWN, "element": "Gi0/2", "stateful": "Interface"}, time=T0 + 2
        ).json_body["id"],
    }
    assert len(ids) == 3 and set(listed_ids(client, writer)) == ids


def test_stateless_events_are_never_deduplicated(client, writer, router):
    for _ in range(2):
        create(client, writer, node="router1", event="Syslog", details="same", time=T0)
    assert len(listed_ids(client, writer)) == 2


def test_up_soon_after_down_is_a_flap_and_both_link(client, writer, router):
    down = create(client, writer, **DOWN, time=T0, escalate=1).json_body["id"]
    up = create(client, writer, **UP, time=T0 + 30)
    assert up.status_code == 201 and up.json_body["flap"] == 1
    up_id = up.json_body["id"]
    flap = event(client, writer, up_id)
    assert (flap["flap"], flap["event"]) == (1, "Node Flap")  # opEvents' "<stateful> Flap"
    assert flap["stateful_eventids"] == [down]
    stopped = event(client, writer, down)
    assert stopped["stateful_eventids"] == [up_id]
    assert stopped["flap"] == 0 and stopped["event"] == "Node Down"
    # opevents_no_action_on_flap: the down is acknowledged, which stops its escalation
    assert (stopped["acknowledged"], stopped["escalate"]) == (1, 0)
    # Down again: a new record, linked to the up it follows.
    again = create(client, writer, **DOWN, time=T0 + 60).json_body
    assert "duplicate" not in again
    assert event(client, writer, again["id"])["stateful_eventids"] == [up_id]


def test_up_long_after_down_is_no_flap(client, writer, router):
    down = create(client, writer, **DOWN, time=T0).json_body["id"]
    up = create(client, writer, **UP, time=T0 + 91).json_body
    assert "flap" not in up
    assert event(client, writer, up["id"])["flap"] == 0
    assert event(client, writer, up["id"])["stateful_eventids"] == [down]
    assert event(client, writer, up["id"])["event"] == "Node Up"
    assert "stateful_eventids" not in event(client, writer, down)
    assert event(client, writer, down)["acknowledged"] == 0


def test_flap_window_is_a_setting(client, writer, router, monkeypatch):
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("OPEVENTS_FLAP_SECONDS", "300")
    reset_settings()
    try:
        create(client, writer, **DOWN, time=T0)
        assert create(client, writer, **UP, time=T0 + 200).json_body["flap"] == 1
    finally:
        monkeypatch.delenv("OPEVENTS_FLAP_SECONDS")
        reset_settings()


def test_two_concurrent_reports_of_one_state_make_one_record(writer, router):
    from chalicelib.dialects.opevents import events as opevents

    creator = opevents.Creator("poller")
    barrier = threading.Barrier(4)
    results = []

    def report(offset: int) -> None:
        barrier.wait()
        results.append(opevents.create_event({**DOWN, "time": T0 + offset}, creator))

    threads = [threading.Thread(target=report, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = [r for r in results if not r.duplicate]
    assert len(results) == 4 and len(stored) == 1
    assert {r.event_id for r in results} == {stored[0].event_id}
    from datetime import datetime

    from chalicelib.dialects.opevents.query import ListingQuery, list_events

    window = ListingQuery(datetime(2020, 1, 1), datetime(2030, 1, 1))
    assert [e["id"] for e in list_events(window).events] == [stored[0].event_id]


def test_a_failed_record_hands_the_state_back(writer, router, monkeypatch):
    from chalicelib.core import events
    from chalicelib.dialects.opevents import events as opevents
    from chalicelib.errors import StoreUnavailable

    def unavailable(event):
        raise StoreUnavailable()

    monkeypatch.setattr(events, "record_event", unavailable)
    with pytest.raises(StoreUnavailable):
        opevents.create_event({**DOWN, "time": T0}, opevents.Creator("poller"))
    monkeypatch.undo()
    retried = opevents.create_event({**DOWN, "time": T0}, opevents.Creator("poller"))
    assert not retried.duplicate


# ---------------------------------------------------------------- PATCH


def patch(client, headers, event_id, body=None, raw=None):
    return call(client, "PATCH", f"{ROOT}/api/v1/events/{event_id}", headers, data=body, raw=raw)


def test_patch_updates_the_event(client, writer, router):
    event_id = create(client, writer, **DOWN, time=T0, escalate=1).json_body["id"]
    response = patch(
        client,
        writer,
        event_id,
        {"acknowledged": 1, "priority": 8, "details": "on it", "tags": {"team": "noc"}},
    )
    assert response.status_code == 200
    assert response.json_body == {"success": "Event successfully updated"}
    updated = event(client, writer, event_id)
    assert updated["acknowledged"] == 1 and updated["escalate"] == 0  # cleared on acknowledge
    assert (updated["priority"], updated["level"]) == (8, "Fatal")
    assert updated["details"] == "on it" and updated["tag_team"] == "noc"
    assert updated["event"] == "Node Down"  # the rest is kept
    filtered = json_get(
        client, EVENTS, writer, o_start=T0 - 1, o_end=T0 + 1, ev_event_details="on it"
    ).json_body
    assert [e["id"] for e in filtered] == [event_id]


def test_patch_is_an_operation_with_its_event(client, writer, router):
    from chalicelib.core.events import EventQuery, list_events

    event_id = create(client, writer, **DOWN, time=T0).json_body["id"]
    patch(client, writer, event_id, {"escalate": 1})
    [recorded] = list_events(EventQuery(event_type="opevents.event.update"))
    assert recorded.trait_values()["params.event_id"] == event_id
    assert recorded.trait_values()["params.changes.escalate"] == 1
    assert recorded.trait_values()["logged_in_user"] == "poller"


@pytest.mark.parametrize(
    ("event_id", "body", "status", "answer"),
    [
        (
            "0123456789abcdef01234567",
            None,
            400,
            {
                "error": "Empty input: Please provide the necessary data in the request body.",
                "errorTitle": "Invalid Input",
            },
        ),
        (
            "0123456789abcdef01234567",
            {},
            400,
            {
                "error": "Empty input: Please provide the necessary data in the request body.",
                "errorTitle": "Invalid Input",
            },
        ),
        (
            "not-an-id",
            {"acknowledged": 1},
            400,
            {
                "error": "Invalid event id :not-an-id is not a valid OID.\n",
                "errorTitle": "Invalid Input",
            },
        ),
        (
            "0123456789abcdef01234567",
            {"acknowledged": 1},
            404,
            {"error": "Event 0123456789abcdef01234567 not found"},
        ),
    ],
)
def test_patch_refusals(client, writer, event_id, body, status, answer):
    response = patch(client, writer, event_id, body)
    assert (response.status_code, response.json_body) == (status, answer)


@pytest.mark.parametrize(
    "body",
    [{"node": "other"}, {"acknowledged": 2}, {"priority": "x"}, {"details": 5}, {"tags": [1]}],
)
def test_patch_refuses_what_it_cannot_set(client, writer, router, body):
    event_id = create(client, writer, **DOWN, time=T0).json_body["id"]
    response = patch(client, writer, event_id, body)
    assert response.status_code == 400 and response.json_body["errorTitle"] == "Invalid Input"
    assert event(client, writer, event_id)["acknowledged"] == 0


def test_a_flap_is_recorded_under_its_flap_name(client, writer, router):
    from chalicelib.core.events import EventQuery, list_events

    create(client, writer, **{**DOWN, "stateful": "Interface", "element": "Gi0/1"}, time=T0)
    up = create(client, writer, **{**UP, "stateful": "Interface", "element": "Gi0/1"}, time=T0 + 5)
    [recorded] = list_events(EventQuery(event_type="Interface Flap"))
    assert recorded.message_id == up.json_body["id"]


def test_a_flap_acknowledges_a_down_patched_in_between(client, writer, router, monkeypatch):
    from chalicelib.dialects.opevents import events as opevents

    down = create(client, writer, **DOWN, time=T0).json_body["id"]
    real_get = opevents._get_entry
    calls = []

    def racing_get(event_id):  # a PATCH lands between the flap's read and its write
        entry = real_get(event_id)
        if not calls:
            calls.append(event_id)
            patch(client, writer, down, {"details": "looked at"})
        return entry

    monkeypatch.setattr(opevents, "_get_entry", racing_get)
    assert create(client, writer, **UP, time=T0 + 10).json_body["flap"] == 1
    monkeypatch.undo()
    stopped = event(client, writer, down)
    assert (stopped["details"], stopped["acknowledged"]) == ("looked at", 1)


def test_patch_takes_opevents_documented_example(client, writer, router):
    event_id = create(client, writer, **DOWN, time=T0).json_body["id"]
    response = patch(client, writer, event_id, {"details": "Ping failed", "level": "Minor"})
    assert (response.status_code, response.json_body) == (
        200,
        {"success": "Event successfully updated"},
    )
    updated = event(client, writer, event_id)
    assert (updated["details"], updated["level"], updated["priority"]) == (
        "Ping failed",
        "Minor",
        5,
    )


def test_patch_sets_tag_properties(client, writer, router):
    event_id = create(client, writer, **DOWN, time=T0).json_body["id"]
    response = patch(client, writer, event_id, {"tag_customer": "ACME", "tag_sla": 4})
    assert response.status_code == 200
    updated = event(client, writer, event_id)
    assert (updated["tag_customer"], updated["tag_sla"]) == ("ACME", 4)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"priority": 11}, "priority must be an integer from 0 to 10, not 11"),
        ({"priority": -1}, "priority must be an integer from 0 to 10, not -1"),
        ({"priority": 2.5}, "priority must be an integer from 0 to 10, not 2.5"),
        ({"level": "Urgent"}, "level must be one of Normal, Warning, Minor, Major, Critical"),
        ({"tag_": "x"}, "'tag_' is not a valid tag name"),
        ({"tag_x": {"a": 1}}, "tag_x must be a text or a number"),
        ({"flap": 1}, "Unknown properties: flap"),
        ({"escalate": 2}, "escalate must be 0 or 1, not 2"),
    ],
)
def test_patch_keeps_opevents_ranges(client, writer, router, body, error):
    event_id = create(client, writer, **DOWN, time=T0).json_body["id"]
    response = patch(client, writer, event_id, body)
    assert response.status_code == 400 and response.json_body["errorTitle"] == "Invalid Input"
    assert response.json_body["error"].startswith(error)
    assert event(client, writer, event_id)["priority"] == 6
