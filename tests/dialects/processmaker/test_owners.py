"""A case's execution events belong to whoever started it, never to its variables' owner."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.auth.principal import Principal
from chalicelib.auth.principals import create_principal
from chalicelib.core.events import EventQuery, list_events
from tests.conftest import basic
from tests.dialects.processmaker.support import JSON, TASK_A, WORKSPACES, make_event
from tests.dialects.processmaker.test_runtime import (  # noqa: F401 - fixtures
    designer,
    start_case,
    started_at,
    tick,
)
from tests.engine.conftest import receiver  # noqa: F401 - the designer fixture's receiver


def test_a_case_with_owner_variables_does_not_plant_its_execute_event(client, designer):  # noqa: F811
    _, headers, prj, tri, hook = designer
    create_principal(
        Principal(
            "alice",
            roles=("user",),
            permissions=("PM_CASES",),
            project_id="p1",
            user_id="alice",
            workspaces=WORKSPACES,
        ),
        "alice-password-1",
    )
    create_principal(
        Principal(
            "bob", roles=("user",), permissions=("events_ingest",), project_id="p2", user_id="bob"
        ),
        "bob-password-1",
    )
    alice = {**basic("alice", "alice-password-1"), **JSON}
    make_event(
        client, headers, prj, tri, tas_uid=TASK_A, evn_when_occurs="TASK_STARTED", evn_when=0
    )
    case = start_case(client, alice, prj, variables={"project_id": "p2", "user_id": "bob"})
    tick(started_at(client, alice, case["app_uid"]) + timedelta(minutes=1))
    assert hook.posts("/hook")  # it ran

    (recorded,) = list_events(EventQuery(event_type="processmaker.event.execute"))
    assert (recorded.project_id, recorded.user_id) == ("p1", "alice")
    assert recorded.trait_values()["sent_project_id"] == "p2"
    seen_by_bob = client.http.get("/v2/events?limit=100", headers=basic("bob", "bob-password-1"))
    assert seen_by_bob.status_code == 200
    assert [
        e for e in seen_by_bob.json_body if e["event_type"] == "processmaker.event.execute"
    ] == []
