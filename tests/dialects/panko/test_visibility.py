"""Who sees which events: Panko's RBAC for admins and non-admins, gateway identity headers."""

from __future__ import annotations

from datetime import datetime

import pytest

from chalicelib.auth.principal import Principal
from chalicelib.auth.principals import create_principal
from chalicelib.core import events
from chalicelib.core.model import build_event, make_trait
from chalicelib.engine import operations
from chalicelib.settings import reset_settings
from tests.conftest import basic
from tests.dialects.panko.support import fault, ids, q

ADMIN_USER, ADMIN_PROJECT = "admin-user-id", "admin-project-id"
USER, PROJECT = "user-id", "project-id"
MOMENT = datetime(2013, 12, 31, 5, 0)
GATEWAY_SECRET = "gateway-shared-secret"
# The identity gateway proves itself with this header on every request it forwards.
PROOF = {"X-Event-Service-Gateway-Secret": GATEWAY_SECRET}


@pytest.fixture
def gateway(aws, monkeypatch):
    """Trust X-Roles/X-User-Id/X-Project-Id, as Panko's noauth mode does."""
    monkeypatch.setenv("EVENT_SERVICE_TRUST_IDENTITY_HEADERS", "true")
    monkeypatch.setenv("EVENT_SERVICE_GATEWAY_SECRET", GATEWAY_SECRET)
    reset_settings()
    yield
    monkeypatch.delenv("EVENT_SERVICE_TRUST_IDENTITY_HEADERS")
    monkeypatch.delenv("EVENT_SERVICE_GATEWAY_SECRET")
    reset_settings()


@pytest.fixture
def acl_events(aws):
    """Panko's AclRestrictionEventTest data: no owner, the admin's, the user's."""

    def event(message_id, event_type, traits):
        return build_event(
            event_type=event_type,
            message_id=message_id,
            generated=MOMENT,
            traits=[make_trait(name, "string", value) for name, value in traits],
            owner_from_traits=True,  # as an admin's ingest: the traits name the owner
        )

    events.record_events(
        [
            event("1", "empty_ev", [("random", "blah")]),
            event("2", "admin_ev", [("project_id", ADMIN_PROJECT), ("user_id", ADMIN_USER)]),
            event("3", "user_ev", [("project_id", PROJECT), ("user_id", USER)]),
        ]
    )


def member(user=USER, project=PROJECT):
    return {"X-Roles": "member", "X-User-Id": user, "X-Project-Id": project, **PROOF}


def admin_headers(user=ADMIN_USER, project=ADMIN_PROJECT):
    return {"X-Roles": "admin", "X-User-Id": user, "X-Project-Id": project, **PROOF}


def types(response):
    assert response.status_code == 200, response.body
    return sorted(event["event_type"] for event in response.json_body)


# ---------------------------------------------------------------- Panko's ACL tests, noauth mode


def test_non_admin_sees_only_their_own_events(client, gateway, acl_events):
    assert types(client.http.get("/v2/events", headers=member())) == ["user_ev"]
    single = client.http.get("/v2/events/3", headers=member())
    assert single.json_body["event_type"] == "user_ev"


def test_non_admin_with_another_user_or_project_sees_nothing(client, gateway, acl_events):
    assert types(client.http.get("/v2/events", headers=member(user="blah"))) == []
    assert types(client.http.get("/v2/events", headers=member(project="blah"))) == []


def test_non_admin_cannot_show_others_events(client, gateway, acl_events):
    for message_id in ("1", "2"):
        response = client.http.get(f"/v2/events/{message_id}", headers=member())
        assert response.status_code == 404
        assert fault(response) == f"Event {message_id} Not Found"


def test_admin_sees_their_project_and_unowned_events(client, gateway, acl_events):
    assert types(client.http.get("/v2/events", headers=admin_headers())) == [
        "admin_ev",
        "empty_ev",
    ]
    for message_id in ("1", "2"):
        assert client.http.get(f"/v2/events/{message_id}", headers=admin_headers()).json_body
    assert client.http.get("/v2/events/3", headers=admin_headers()).status_code == 404


def test_admin_trait_filters_stay_within_visibility(client, gateway, acl_events):
    blah = q(("random", "blah"))
    assert types(client.http.get(f"/v2/events?{blah}", headers=admin_headers())) == ["empty_ev"]
    theirs = q(("user_id", USER))
    assert types(client.http.get(f"/v2/events?{theirs}", headers=admin_headers())) == []


@pytest.mark.parametrize("value", ["True", "true", "1", "yes", "on", "t", "Y"])
def test_admin_all_tenants_sees_everything(client, gateway, acl_events, value):
    query = q(("all_tenants", value))
    assert types(client.http.get(f"/v2/events?{query}", headers=admin_headers())) == [
        "admin_ev",
        "empty_ev",
        "user_ev",
    ]


def test_admin_all_tenants_false_is_consumed_without_effect(client, gateway, acl_events):
    query = q(("all_tenants", "False"))
    assert types(client.http.get(f"/v2/events?{query}", headers=admin_headers())) == [
        "admin_ev",
        "empty_ev",
    ]


def test_non_admin_all_tenants_is_just_a_trait_filter(client, gateway, acl_events):
    query = q(("all_tenants", "True"))
    assert types(client.http.get(f"/v2/events?{query}", headers=member())) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Roles": "admin", "X-User-Id": "u"},
        {"X-Roles": "admin", "X-Project-Id": "p"},
        {"X-Roles": "admin"},
        {"X-User-Id": "u", "X-Project-Id": ""},
    ],
)
def test_gateway_identity_needs_user_and_project(client, gateway, acl_events, headers):
    for path in ("/v2/events", "/v2/events/1"):
        response = client.http.get(path, headers={**headers, **PROOF})
        assert response.status_code == 403
        assert fault(response) == "RBAC Authorization Failed"


def test_gateway_roles_decide_admin(client, gateway, acl_events):
    assert client.http.get("/v2/event_types", headers=admin_headers()).json_body == [
        "admin_ev",
        "empty_ev",
        "user_ev",
    ]
    upper = {**admin_headers(), "X-Roles": "Member,Admin"}
    assert client.http.get("/v2/event_types", headers=upper).status_code == 200
    refused = client.http.get("/v2/event_types", headers=member())
    assert refused.status_code == 401
    assert fault(refused) == f"Not Authorized to access project {PROJECT}"


def test_gateway_headers_are_ignored_unless_trusted(client, acl_events):
    response = client.http.get("/v2/events", headers=admin_headers())
    assert response.status_code == 401


def test_credentials_win_over_gateway_headers(client, gateway, acl_events, user):
    response = client.http.get("/v2/events", headers={**user, **admin_headers()})
    assert types(response) == []  # alice (p1) owns none of these events


# ---------------------------------------------------------------- principals of this service


def test_basic_user_and_admin(client, admin, user):
    for message_id, project, owner in (
        ("alice-1", "p1", "u-alice"),
        ("bob-1", "p1", "u-bob"),
        ("root-1", "p-admin", "root"),
        ("none-1", None, None),
    ):
        events.record_event(
            build_event(
                event_type="t",
                message_id=message_id,
                generated=MOMENT,
                project_id=project,
                user_id=owner,
            )
        )
    assert ids(client.http.get("/v2/events", headers=user)) == ["alice-1"]
    assert ids(client.http.get("/v2/events", headers=admin)) == ["none-1", "root-1"]
    everything = client.http.get(f"/v2/events?{q(('all_tenants', 'true'))}", headers=admin)
    assert ids(everything) == ["alice-1", "bob-1", "none-1", "root-1"]


def test_a_principal_without_a_project_belongs_to_no_project(client, aws):
    create_principal(Principal("ops", roles=("admin",), user_id="ops"), "ops-password-1")
    create_principal(Principal("solo", roles=("user",), user_id="solo"), "solo-password-1")
    for message_id, project, owner in (
        ("owned", "p1", "solo"),
        ("solo-unowned", None, "solo"),
        ("other-unowned", None, "someone"),
    ):
        events.record_event(
            build_event(event_type="t", message_id=message_id, project_id=project, user_id=owner)
        )
    ops, solo = basic("ops", "ops-password-1"), basic("solo", "solo-password-1")
    assert sorted(ids(client.http.get("/v2/events", headers=ops))) == [
        "other-unowned",
        "solo-unowned",
    ]
    all_tenants = client.http.get(f"/v2/events?{q(('all_tenants', '1'))}", headers=ops)
    assert len(ids(all_tenants)) == 3
    assert ids(client.http.get("/v2/events", headers=solo)) == ["solo-unowned"]
    assert client.http.get("/v2/events/owned", headers=solo).status_code == 404


def test_an_operation_event_of_another_dialect_is_listed_with_its_traits(client, admin):
    caller = Principal("root", roles=("admin",), project_id="p-admin", user_id="root")
    operations.perform(
        "maddash.event.create",
        caller,
        {"name": "disk full", "severity": 3, "details": {"host": "db1"}, "project_id": "p1"},
        lambda params: {"id": 7},
        describe=lambda result: result,
    )
    query = q(("event_type", "maddash.event.create"))
    listed = client.http.get(f"/v2/events?{query}", headers=admin).json_body
    assert len(listed) == 1
    traits = {t["name"]: (t["value"], t["type"]) for t in listed[0]["traits"]}
    assert traits["params.name"] == ("disk full", "string")
    assert traits["params.severity"] == ("3", "integer")
    assert traits["params.details.host"] == ("db1", "string")
    assert traits["result.id"] == ("7", "integer")
    # The event is the actor's: a parameter cannot pose as a visibility trait.
    assert traits["project_id"] == ("p-admin", "string")
    assert traits["user_id"] == ("root", "string")
    assert traits["params.project_id"] == ("p1", "string")
    by_trait = q(("params.severity", "ge", "integer", "2"))
    assert ids(client.http.get(f"/v2/events?{by_trait}", headers=admin)) == [
        listed[0]["message_id"]
    ]
    assert "maddash.event.create" in client.http.get("/v2/event_types", headers=admin).json_body


def test_gateway_identity_without_the_gateway_secret_is_no_identity(client, gateway, acl_events):
    for headers in (
        {key: value for key, value in admin_headers().items() if key not in PROOF},
        {**admin_headers(), **dict.fromkeys(PROOF, "a-guess")},
    ):
        response = client.http.get("/v2/events", headers=headers)
        assert response.status_code == 401


def test_event_types_ask_no_user_or_project_context(client, gateway, acl_events):
    """Panko's requires_admin, unlike the events' requires_context, needs no X-Project-Id."""
    no_project = {key: value for key, value in admin_headers().items() if key != "X-Project-Id"}
    assert client.http.get("/v2/event_types", headers=no_project).status_code == 200
    assert client.http.get("/v2/events", headers=no_project).status_code == 403
    member_only = {key: value for key, value in member().items() if key != "X-Project-Id"}
    refused = client.http.get("/v2/event_types", headers=member_only)
    assert refused.status_code == 401
    assert fault(refused) == "Not Authorized to access project None"
