"""Position pre: RequestMangler changes or refuses an operation before it runs."""

from __future__ import annotations

import json

import pytest

from chalicelib.auth.principal import Principal
from chalicelib.engine import operations
from chalicelib.engine.modules.base import get_module
from chalicelib.errors import OperationRefused
from tests.engine.conftest import add_handler, read_stream

ROOT = Principal("root", roles=("admin",), user_id="root")
ALICE = Principal("alice", roles=("user",), user_id="u-alice")


def run(params, principal=ROOT, name="thing.create"):
    """Perform ``name`` with an action that returns the parameters it was given."""
    return operations.perform(name, principal, params, lambda given: dict(given))


def recorded_event():
    from chalicelib.core.events import get_event

    [record] = read_stream()
    return get_event(record["dynamodb"]["Keys"]["message_id"]["S"])


def test_set_and_delete_parameters(aws):
    add_handler(
        1,
        "RequestMangler",
        "set",
        ["thing.create"],
        position="pre",
        ordering=1,
        options={"parameter": "colour", "value": "blue"},
    )
    add_handler(
        2,
        "RequestMangler",
        "delete",
        ["thing.create"],
        position="pre",
        ordering=2,
        options={"parameter": "secret"},
    )
    add_handler(
        3,
        "RequestMangler",
        "set",
        ["other.create"],
        position="pre",
        options={"parameter": "colour", "value": "red"},
    )

    assert run({"name": "x", "secret": "s", "colour": "green"}) == {"name": "x", "colour": "blue"}
    # The operation's event carries the parameters the operation actually ran with.
    traits = recorded_event().trait_values()
    assert traits["params.colour"] == "blue" and "params.secret" not in traits


def test_set_with_match_groups(aws):
    add_handler(
        1,
        "RequestMangler",
        "set",
        ["thing.create"],
        position="pre",
        options={
            "parameter": "realm",
            "value": "{1}",
            "match_parameter": "user",
            "match_pattern": "(.*)@(.*)",
        },
    )
    add_handler(
        2,
        "RequestMangler",
        "set",
        ["thing.create"],
        position="pre",
        ordering=1,
        options={
            "parameter": "user",
            "value": "{0}",
            "match_parameter": "user",
            "match_pattern": "(.*)@(.*)",
        },
    )

    assert run({"user": "bob@ops"}) == {"user": "bob", "realm": "ops"}
    assert run({"user": "plain"}) == {"user": "plain"}  # no match: nothing changes
    assert run({}) == {}  # no match_parameter: nothing changes


def test_conditions_gate_pre_handlers(aws):
    add_handler(
        1,
        "RequestMangler",
        "set",
        ["thing.create"],
        position="pre",
        options={"parameter": "reviewed", "value": "yes"},
        conditions={"logged_in_user": "user", "trait:params.size": ">10"},
    )

    assert run({"size": 20}, principal=ALICE) == {"size": 20, "reviewed": "yes"}
    assert run({"size": 5}, principal=ALICE) == {"size": 5}
    assert run({"size": 20}, principal=ROOT) == {"size": 20}


def test_refuse_stops_the_operation(aws):
    add_handler(
        7,
        "RequestMangler",
        "refuse",
        ["thing.create"],
        position="pre",
        options={"message": "{logged_in_user} may not create {name}"},
        conditions={"trait:params.name": "'matches'forbidden.*"},
    )
    done = []

    with pytest.raises(OperationRefused) as caught:
        operations.perform("thing.create", ALICE, {"name": "forbidden-1"}, done.append)

    assert caught.value.message == "alice may not create forbidden-1"
    assert caught.value.handler_id == 7
    assert done == [] and read_stream() == []  # nothing ran, nothing was recorded
    assert run({"name": "fine"}) == {"name": "fine"}


def test_a_failing_pre_handler_is_logged_and_the_operation_continues(aws):
    add_handler(
        1,
        "WebHook",
        "post_webhook",
        ["thing.create"],
        position="pre",
        options={
            "URL": "http://169.254.169.254/",
            "content_type": "application/json",
            "replace": "False",
            "data": "{}",
        },
    )
    add_handler(
        2,
        "RequestMangler",
        "set",
        ["thing.create"],
        position="pre",
        ordering=1,
        options={"parameter": "after", "value": "ran"},
    )
    assert run({"a": 1}) == {"a": 1, "after": "ran"}


def test_a_failing_pre_handler_with_abort_on_error_refuses(aws):
    add_handler(
        4,
        "WebHook",
        "post_webhook",
        ["thing.create"],
        position="pre",
        abort_on_error=True,
        name="guard hook",
        options={
            "URL": "http://169.254.169.254/",
            "content_type": "application/json",
            "replace": "False",
            "data": "{}",
        },
    )
    with pytest.raises(OperationRefused) as caught:
        run({"a": 1})
    assert caught.value.handler_id == 4
    assert caught.value.message.startswith("event handler guard hook failed: destination")


def test_a_module_that_cannot_run_at_pre_counts_as_a_failure(aws):
    add_handler(
        1,
        "Federation",
        "forward",
        ["thing.create"],
        position="pre",
        options={"URL": "http://hub.example"},
    )
    assert run({"a": 1}) == {"a": 1}
    add_handler(
        1,
        "Federation",
        "forward",
        ["thing.create"],
        position="pre",
        abort_on_error=True,
        options={"URL": "http://hub.example"},
    )
    with pytest.raises(OperationRefused, match="does not run at position pre"):
        run({"a": 1})


def test_other_modules_run_at_pre(aws):
    from chalicelib.core.counters import get_counter

    add_handler(
        1,
        "Counter",
        "increase_counter",
        ["thing.create"],
        position="pre",
        options={"counter_name": "attempts-{name}"},
    )
    add_handler(2, "RequestMangler", "refuse", ["thing.create"], position="pre", ordering=1)
    with pytest.raises(OperationRefused):
        run({"name": "x"})
    assert get_counter("attempts-x") == 1  # counted although refused afterwards


def test_request_mangler_runs_at_pre_only():
    assert get_module("RequestMangler").positions == ("pre",)
    assert set(get_module("RequestMangler").actions) == {"set", "delete", "refuse"}


# ---------------------------------------------------------------- through a real route


def create_user(client, headers, username):
    return client.http.post(
        "/admin/users",
        headers={**headers, "Content-Type": "application/json"},
        body=json.dumps({"username": username, "password": "long-enough-pw"}),
    )


def test_a_pre_handler_refuses_a_real_route(client, admin):
    add_handler(
        1,
        "RequestMangler",
        "refuse",
        ["admin.user.create"],
        position="pre",
        options={"message": "no new users named {username}"},
        conditions={"trait:params.username": "'in'mallory,trudy"},
    )

    refused = create_user(client, admin, "mallory")
    assert refused.status_code == 403
    assert refused.json_body["error"] == "OperationRefused"
    assert refused.json_body["message"] == "no new users named mallory"
    listed = client.http.get("/admin/users", headers=admin).json_body
    assert "mallory" not in [u["username"] for u in listed]

    assert create_user(client, admin, "bob").status_code == 201


def test_a_pre_handler_mangles_a_real_routes_event(client, admin):
    add_handler(
        1,
        "RequestMangler",
        "set",
        ["admin.user.create"],
        position="pre",
        options={
            "parameter": "project_id",
            "value": "team-{0}",
            "match_parameter": "username",
            "match_pattern": "ops-(.*)",
        },
    )

    created = create_user(client, admin, "ops-carol")
    assert created.status_code == 201 and created.json_body["project_id"] == "team-carol"
    event = recorded_event()
    assert event.event_type == "admin.user.create"
    assert event.trait("params.project_id").value == "team-carol"
    assert event.trait("params.username").value == "ops-carol"
    # The event is still the acting admin's, whatever the parameters say.
    assert (event.project_id, event.user_id) == ("p-admin", "root")


# ---------------------------------------------------------------- pre handlers and guards


def test_a_pre_handler_cannot_turn_a_delete_into_deleting_the_acting_admin(client, admin, user):
    add_handler(
        1,
        "RequestMangler",
        "set",
        ["admin.user.delete"],
        position="pre",
        options={"parameter": "username", "value": "root"},
    )
    response = client.http.delete("/admin/users/alice", headers=admin)
    assert response.status_code == 400  # the guard ran on what the handler left
    listed = [u["username"] for u in client.http.get("/admin/users", headers=admin).json_body]
    assert listed == ["alice", "root"]
    assert read_stream() == []  # a refused operation records nothing


def test_a_pre_handler_cannot_make_a_user_invalid(client, admin):
    add_handler(
        1,
        "RequestMangler",
        "set",
        ["admin.user.create"],
        position="pre",
        options={"parameter": "permissions", "value": "everything"},
    )
    assert create_user(client, admin, "bob").status_code == 400
    listed = [u["username"] for u in client.http.get("/admin/users", headers=admin).json_body]
    assert listed == ["root"]


@pytest.mark.parametrize("parameter", ["logged_in_user", "role", "user_id", "project_id"])
def test_no_pre_handler_changes_who_is_acting(aws, parameter):
    add_handler(
        1,
        "RequestMangler",
        "set",
        ["thing.create"],
        position="pre",
        options={"parameter": parameter, "value": "admin"},
    )
    seen = []
    add_handler(
        2,
        "RequestMangler",
        "refuse",
        ["thing.create"],
        position="pre",
        ordering=1,
        options={"message": "refused"},
        conditions={"logged_in_user": "admin"},
    )
    operations.perform("thing.create", ALICE, {"name": "x"}, seen.append)
    assert seen[0][parameter] == "admin"  # a parameter like any other …
    traits = recorded_event().trait_values()
    # … while the actor stays alice: the event is hers, and the "admin" condition did not hold.
    assert (traits["logged_in_user"], traits["role"], traits["user_id"]) == (
        "alice",
        "user",
        "u-alice",
    )
    assert traits[f"params.{parameter}"] == "admin"
