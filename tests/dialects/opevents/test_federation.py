"""Federation over real HTTP: one service forwards to another's opEvents API, and to itself.

The receiving service is this very app served by Chalice's local HTTP server on a free port
(``chalice local``'s server, in a thread), sharing the moto store with the sender.
"""

from __future__ import annotations

from tests.dialects.opevents import support as opevents_support
from tests.dialects.opevents.support import EVENTS, WRITER_PASSWORD, create, json_get
from tests.engine.conftest import add_handler, deliver_new_records

router = opevents_support.router
writer = opevents_support.writer


def node_downs(client, headers) -> list[dict]:
    return json_get(client, EVENTS, headers, ev_event_name="Node Down").json_body


def test_forward_to_another_service_with_its_login(client, writer, router, served):
    from chalicelib.core.events import get_event
    from chalicelib.core.executions import list_executions

    add_handler(
        1,
        "Federation",
        "forward",
        ["Node Down"],
        options={
            "URL": served,
            "username": "poller",
            "password": WRITER_PASSWORD,
            "auth_method": "login",
        },
        conditions={"trait:source_site": "edge"},
    )
    original = create(
        client,
        writer,
        node="router1",
        event="Node Down",
        priority=6,
        details="Ping failed",
        source_site="edge",
    ).json_body["id"]
    seen: set[str] = set()
    deliver_new_records(seen)

    [execution] = list_executions(handler_id=1)
    assert execution["status"] == "ok", execution
    forwarded = [e for e in node_downs(client, writer) if e["id"] != original]
    assert len(forwarded) == 1
    [copy] = forwarded
    assert (copy["node"], copy["priority"], copy["level"]) == ("router1", 6, "Major")
    assert copy["details"] == "Ping failed" and copy["message_id"] == original
    assert copy["id"] in execution["detail"]  # the receiver's id, as the remote id
    assert get_event(copy["id"]).depth == 1 and get_event(copy["id"]).recorded_by == "poller"


def test_forward_to_itself_stops_at_the_maximum_depth(client, writer, router, served):
    from chalicelib.core.events import get_event
    from chalicelib.core.executions import list_executions
    from chalicelib.settings import get_settings

    add_handler(
        1,
        "Federation",
        "forward",
        ["Node Down"],
        options={"URL": served, "username": "poller", "password": WRITER_PASSWORD},
    )
    create(client, writer, node="router1", event="Node Down")
    seen: set[str] = set()
    rounds = 0
    while deliver_new_records(seen) and rounds < 20:
        rounds += 1

    limit = get_settings().max_event_depth
    depths = sorted(get_event(e["id"]).depth for e in node_downs(client, writer))
    assert depths == list(range(limit + 2))  # 0 … limit forward once each; limit+1 stops
    statuses = sorted(e["status"] for e in list_executions(handler_id=1))
    assert statuses == ["ok"] * (limit + 1) + ["skipped"]
    [skipped] = [e for e in list_executions(handler_id=1) if e["status"] == "skipped"]
    assert "max_event_depth" in (skipped.get("error") or skipped.get("detail") or "")
