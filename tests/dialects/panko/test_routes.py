"""Every Panko V2 route: status, body, JSON and XML, trailing slashes, authentication."""

from __future__ import annotations

import json

import pytest

from chalicelib.auth.principals import get_principal
from chalicelib.auth.tokens import issue_token
from tests.conftest import basic
from tests.dialects.panko.support import fault, ids, record, record_scenario

XML = {"Accept": "application/xml"}
CAPABILITIES = {
    "api": {"events:query:simple": True},
    "event_storage": {"storage:production_ready": True},
}
EVENT_100 = {
    "message_id": "100",
    "event_type": "Bar",
    "traits": [
        {"name": "trait_A", "value": "my_Bar_text", "type": "string"},
        {"name": "trait_B", "value": "101", "type": "integer"},
        {"name": "trait_C", "value": "100.123456", "type": "float"},
        {"name": "trait_D", "value": "2014-01-01T05:00:00", "type": "datetime"},
    ],
    "generated": "2014-01-01T05:00:00",
    "raw": {"status": {"nested": "started"}},
}


@pytest.fixture
def scenario(aws):
    return record_scenario()


def test_versions_document_names_v2_under_the_callers_url(client):
    response = client.http.get("/")
    assert response.status_code == 200
    version = response.json_body["versions"]["values"][0]
    assert version["id"] == "v2" and version["status"] == "stable"
    assert version["links"][0] == {"href": "http://localhost/v2", "rel": "self"}
    assert version["updated"] == "2013-02-13T00:00:00Z"
    assert [m["base"] for m in version["media-types"]] == ["application/json", "application/xml"]
    behind_proxy = client.http.get(
        "/", headers={"Host": "api.example", "X-Forwarded-Proto": "https"}
    )
    assert behind_proxy.json_body["versions"]["values"][0]["links"][0]["href"] == (
        "https://api.example/v2"
    )


def test_v2_itself_is_404_as_in_panko(client):
    response = client.http.get("/v2")
    assert response.status_code == 404
    assert fault(response) == "The resource could not be found."


@pytest.mark.parametrize("path", ["/v2/capabilities", "/v2/capabilities/"])
def test_capabilities_need_no_credentials(client, path):
    response = client.http.get(path)
    assert response.status_code == 200
    assert response.json_body == CAPABILITIES
    assert list(response.json_body) == ["api", "event_storage"]


def test_capabilities_in_xml(client):
    response = client.http.get("/v2/capabilities", headers=XML)
    assert response.headers["Content-Type"] == "application/xml"
    assert response.body.decode() == (
        "<result><api><item><key>events:query:simple</key><value>true</value></item></api>"
        "<event_storage><item><key>storage:production_ready</key><value>true</value></item>"
        "</event_storage></result>"
    )


@pytest.mark.parametrize("path", ["/v2/event_types", "/v2/event_types/"])
def test_event_types_are_sorted_by_name(client, admin, scenario, path):
    response = client.http.get(path, headers=admin)
    assert response.status_code == 200
    assert response.json_body == ["Bar", "Foo", "Zoo"]


def test_event_types_in_xml_and_empty(client, admin):
    empty = client.http.get("/v2/event_types", headers={**admin, **XML})
    assert empty.body.decode() == "<result />"
    record("m1", event_type="Foo")
    response = client.http.get("/v2/event_types", headers={**admin, "Accept": "text/xml"})
    assert response.headers["Content-Type"] == "text/xml"
    assert response.body.decode() == "<result><item>Foo</item></result>"


@pytest.mark.parametrize("path", ["/v2/event_types/Foo", "/v2/event_types/trait_A/"])
def test_one_event_type_is_always_404(client, admin, scenario, path):
    response = client.http.get(path, headers=admin)
    assert response.status_code == 404
    assert fault(response) == "The resource could not be found."


@pytest.mark.parametrize("path", ["/v2/event_types/Foo/traits", "/v2/event_types/Foo/traits/"])
def test_trait_descriptions_by_type_rank(client, admin, scenario, path):
    response = client.http.get(path, headers=admin)
    assert response.status_code == 200
    assert response.json_body == [
        {"type": "string", "name": "trait_A"},
        {"type": "integer", "name": "trait_B"},
        {"type": "float", "name": "trait_C"},
        {"type": "datetime", "name": "trait_D"},
    ]
    assert [list(item) for item in response.json_body] == [["type", "name"]] * 4


def test_trait_descriptions_of_an_unknown_type_are_empty(client, admin, scenario):
    response = client.http.get("/v2/event_types/NoSuch/traits", headers=admin)
    assert response.status_code == 200 and response.json_body == []


def test_trait_descriptions_in_xml(client, admin):
    record("m1", traits=(("service", "string", "x"),))
    response = client.http.get("/v2/event_types/Foo/traits", headers={**admin, **XML})
    assert response.body.decode() == (
        "<result><item><type>string</type><name>service</name></item></result>"
    )


def test_trait_instances_of_one_name(client, admin, scenario):
    response = client.http.get("/v2/event_types/Foo/traits/trait_B", headers=admin)
    assert response.status_code == 200
    assert response.json_body == [{"name": "trait_B", "value": "1", "type": "integer"}]
    datetimes = client.http.get("/v2/event_types/Bar/traits/trait_D", headers=admin)
    assert datetimes.json_body == [
        {"name": "trait_D", "value": "2014-01-01T05:00:00", "type": "datetime"}
    ]


def test_trait_instances_are_not_deduplicated_and_go_by_type_rank(client, admin):
    record("m1", traits=(("size", "integer", 3), ("name", "string", "a")))
    record("m2", traits=(("size", "integer", 3), ("size", "string", "big")))
    response = client.http.get("/v2/event_types/Foo/traits/size", headers=admin)
    assert response.json_body == [
        {"name": "size", "value": "big", "type": "string"},
        {"name": "size", "value": "3", "type": "integer"},
        {"name": "size", "value": "3", "type": "integer"},
    ]
    unknown = client.http.get("/v2/event_types/Foo/traits/nothing", headers=admin)
    assert unknown.status_code == 200 and unknown.json_body == []
    other_type = client.http.get("/v2/event_types/Bar/traits/size", headers=admin)
    assert other_type.json_body == []


def test_path_parameters_are_url_decoded(client, admin):
    record("a b", event_type="odd type", traits=(("odd name", "string", "v"),))
    assert client.http.get("/v2/events/a%20b", headers=admin).json_body["message_id"] == "a b"
    traits = client.http.get("/v2/event_types/odd%20type/traits/odd%20name", headers=admin)
    assert traits.json_body == [{"name": "odd name", "value": "v", "type": "string"}]


@pytest.mark.parametrize(
    "path",
    [
        "/v2/event_types",
        "/v2/event_types/Foo",
        "/v2/event_types/Foo/traits",
        "/v2/event_types/Foo/traits/trait_A",
    ],
)
def test_event_type_routes_refuse_non_admins_with_401(client, user, scenario, path):
    response = client.http.get(path, headers=user)
    assert response.status_code == 401
    assert fault(response) == "Not Authorized to access project p1"


def test_one_event_has_pankos_exact_shape(client, admin, scenario):
    response = client.http.get("/v2/events/100", headers=admin)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json_body == EVENT_100
    assert list(response.json_body) == ["message_id", "event_type", "traits", "generated", "raw"]
    assert [list(t) for t in response.json_body["traits"]] == [["name", "value", "type"]] * 4


def test_one_event_in_xml(client, admin, scenario):
    response = client.http.get("/v2/events/100", headers={**admin, **XML})
    assert response.status_code == 200
    assert response.body.decode() == (
        "<result><message_id>100</message_id><event_type>Bar</event_type><traits>"
        "<item><name>trait_A</name><value>my_Bar_text</value><type>string</type></item>"
        "<item><name>trait_B</name><value>101</value><type>integer</type></item>"
        "<item><name>trait_C</name><value>100.123456</value><type>float</type></item>"
        "<item><name>trait_D</name><value>2014-01-01T05:00:00</value><type>datetime</type></item>"
        "</traits><generated>2014-01-01T05:00:00</generated>"
        "<raw>{'status': {'nested': 'started'}}</raw></result>"
    )


def test_an_unknown_event_is_404(client, admin, scenario):
    response = client.http.get("/v2/events/nope", headers=admin)
    assert response.status_code == 404
    assert fault(response) == "Event nope Not Found"
    xml = client.http.get("/v2/events/nope", headers={**admin, **XML})
    assert xml.body.decode() == (
        "<error_message><error><faultcode>Client</faultcode>"
        "<faultstring>Event nope Not Found</faultstring><debuginfo /></error></error_message>"
    )


@pytest.mark.parametrize("path", ["/v2/events", "/v2/events/"])
def test_event_list_with_and_without_trailing_slash(client, admin, scenario, path):
    response = client.http.get(path, headers=admin)
    assert ids(response) == ["0", "100", "200"]
    assert response.json_body[1] == EVENT_100


def test_event_list_in_xml(client, admin, scenario):
    response = client.http.get("/v2/events?limit=1", headers={**admin, **XML})
    body = response.body.decode()
    assert body.startswith("<result><item><message_id>0</message_id><event_type>Foo</event_type>")
    assert body.endswith("<raw>{'status': {'nested': 'started'}}</raw></item></result>")


def test_microseconds_show_in_generated_and_datetime_traits(client, admin):
    from datetime import datetime

    moment = datetime(2014, 1, 1, 5, 0, 0, 123456)
    record("m1", generated=moment, traits=(("at", "datetime", moment),))
    body = client.http.get("/v2/events/m1", headers=admin).json_body
    assert body["generated"] == "2014-01-01T05:00:00.123456"
    assert body["traits"][0]["value"] == "2014-01-01T05:00:00.123456"


@pytest.mark.parametrize(
    "path", ["/v2/events", "/v2/events/0", "/v2/event_types", "/v2/event_types/Foo/traits"]
)
def test_protected_routes_need_credentials(client, aws, path):
    response = client.http.get(path)
    assert response.status_code == 401
    assert fault(response) == "The request you have made requires authentication."
    assert "WWW-Authenticate" in response.headers


def test_wrong_password_is_401(client, admin):
    response = client.http.get("/v2/events", headers=basic("root", "wrong-password"))
    assert response.status_code == 401
    assert fault(response) == "wrong username or password"


def test_x_auth_token_from_this_service(client, admin, scenario):
    token = issue_token(get_principal("root"))
    assert ids(client.http.get("/v2/events", headers={"X-Auth-Token": token})) == [
        "0",
        "100",
        "200",
    ]
    forged = client.http.get("/v2/events", headers={"X-Auth-Token": token[:-4] + "AAAA"})
    assert forged.status_code == 401


@pytest.mark.parametrize(
    "path", ["/v2/capabilities?x=1", "/v2/events/0?limit=1", "/v2/event_types?q.field=a"]
)
def test_routes_without_arguments_refuse_them(client, admin, scenario, path):
    response = client.http.get(path, headers=admin)
    assert response.status_code == 400
    assert fault(response).startswith("Unknown argument: ")


def test_only_get_and_ingest_are_routed(client, admin, scenario):
    assert client.http.delete("/v2/events/0", headers=admin).status_code == 405
    assert client.http.put("/v2/event_types", headers=admin).status_code == 405


def test_store_failure_is_a_server_fault(client, admin, monkeypatch):
    from chalicelib.core import events
    from chalicelib.errors import StoreUnavailable

    def broken(query):
        raise StoreUnavailable()

    monkeypatch.setattr(events, "list_page", broken)
    response = client.http.get("/v2/events", headers=admin)
    assert response.status_code == 503
    assert json.loads(response.body)["error_message"]["faultcode"] == "Server"
    assert response.headers["Retry-After"] == "1"  # a retry signal: the store is unavailable
