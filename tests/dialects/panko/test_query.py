"""GET /v2/events arguments: filter semantics, the operator-by-type matrix, Panko's error texts."""

from __future__ import annotations

import json
import operator
from datetime import datetime

import pytest

from tests.dialects.panko.support import fault, ids, q, record, record_scenario

OPERATORS = ("lt", "le", "eq", "ne", "ge", "gt")
SORT_HELP = (
    "the sort parameter should be a pair of sort key and sort dir combined with ':', or only "
    "sort key specified and sort dir will be default 'asc', the supported "
)
# (trait, type, the values of events "0", "100", "200", the filter value as sent)
TYPED_TRAITS = [
    ("trait_A", "string", ["my_Foo_text", "my_Bar_text", "my_Zoo_text"], "my_Foo_text"),
    ("trait_B", "integer", [1, 101, 201], "101"),
    ("trait_C", "float", [0.123456, 100.123456, 200.123456], "100.123456"),
    (
        "trait_D",
        "datetime",
        [datetime(2013, 12, 31, 5), datetime(2014, 1, 1, 5), datetime(2014, 1, 2, 5)],
        "2014-01-01T05:00:00",
    ),
]
PY_OPERATORS = {
    "lt": operator.lt,
    "le": operator.le,
    "eq": operator.eq,
    "ne": operator.ne,
    "ge": operator.ge,
    "gt": operator.gt,
}
CONVERT = {"string": str, "integer": int, "float": float, "datetime": datetime.fromisoformat}


@pytest.fixture
def scenario(aws):
    return record_scenario()


def get(client, headers, query):
    return client.http.get(f"/v2/events?{query}", headers=headers)


# ---------------------------------------------------------------- filter semantics


@pytest.mark.parametrize("op", OPERATORS)
@pytest.mark.parametrize("trait,kind,values,pivot", TYPED_TRAITS, ids=[t[1] for t in TYPED_TRAITS])
def test_operator_by_type_matrix(client, admin, scenario, trait, kind, values, pivot, op):
    compare, wanted = PY_OPERATORS[op], CONVERT[kind](pivot)
    pairs = zip(["0", "100", "200"], values, strict=True)
    expected = [mid for mid, value in pairs if compare(value, wanted)]
    assert ids(get(client, admin, q((trait, op, kind, pivot)))) == expected


def test_a_trait_filter_needs_the_trait_with_that_type(client, admin, scenario):
    # trait_B is stored as an integer: as a string or a float it matches nothing.
    assert ids(get(client, admin, q(("trait_B", "eq", "string", "101")))) == []
    assert ids(get(client, admin, q(("trait_B", "eq", "float", "101")))) == []
    assert ids(get(client, admin, q(("trait_B", "eq", "integer", "101")))) == ["100"]


def test_ne_does_not_match_events_without_the_trait(client, admin, scenario):
    record("no-b", generated=datetime(2015, 1, 1), traits=(("trait_A", "string", "x"),))
    assert ids(get(client, admin, q(("trait_B", "ne", "integer", "1")))) == ["100", "200"]
    assert ids(get(client, admin, q(("trait_A", "ne", "string", "x")))) == ["0", "100", "200"]


def test_filters_are_anded(client, admin, scenario):
    both = q(("trait_A", "eq", "string", "my_Foo_text"), ("trait_B", "eq", "integer", "1"))
    assert ids(get(client, admin, both)) == ["0"]
    none = q(("trait_A", "eq", "string", "my_Foo_text"), ("trait_B", "eq", "integer", "101"))
    assert ids(get(client, admin, none)) == []
    same_twice = q(("trait_A", "my_Foo_text"), ("trait_A", "my_Bar_text"))
    assert ids(get(client, admin, same_twice)) == []
    ranged = q(("trait_B", "gt", "integer", "0"), ("trait_B", "lt", "integer", "200"))
    assert ids(get(client, admin, ranged)) == ["0", "100"]


def test_type_defaults_to_string_when_absent_or_empty(client, admin, scenario):
    assert ids(get(client, admin, q(("trait_A", "my_Foo_text")))) == ["0"]
    assert ids(get(client, admin, q(("trait_A", "eq", "", "my_Foo_text")))) == ["0"]
    assert ids(get(client, admin, q(("trait_A", "", "string", "my_Bar_text")))) == ["100"]


def test_event_type_and_message_id_filters(client, admin, scenario):
    assert ids(get(client, admin, q(("event_type", "Bar")))) == ["100"]
    assert ids(get(client, admin, q(("message_id", "200")))) == ["200"]
    assert ids(get(client, admin, q(("message_id", "nope")))) == []
    assert ids(get(client, admin, q(("event_type", "Bar"), ("message_id", "200")))) == []
    # A special field given twice: the last one wins (it is not ANDed).
    assert ids(get(client, admin, q(("event_type", "Bar"), ("event_type", "Zoo")))) == ["200"]


def test_start_and_end_timestamps_are_inclusive(client, admin, scenario):
    start = ("start_timestamp", "ge", "datetime", "2014-01-01T05:00:00")
    end = ("end_timestamp", "le", "datetime", "2014-01-01T05:00:00")
    assert ids(get(client, admin, q(start))) == ["100", "200"]
    assert ids(get(client, admin, q(end))) == ["0", "100"]
    assert ids(get(client, admin, q(start, end))) == ["100"]
    with_zone = ("start_timestamp", "ge", None, "2014-01-01T06:00:00+01:00")
    assert ids(get(client, admin, q(with_zone))) == ["100", "200"]
    crossed = q(
        ("start_timestamp", "ge", None, "2014-01-02T00:00:00"),
        ("end_timestamp", "le", None, "2014-01-01T00:00:00"),
    )
    assert ids(get(client, admin, crossed)) == []


def test_time_range_with_event_type_and_trait(client, admin, scenario):
    query = q(
        ("start_timestamp", "ge", "datetime", "2013-12-31T05:00:00"),
        ("event_type", "eq", "string", "Zoo"),
        ("trait_C", "gt", "float", "1"),
    )
    assert ids(get(client, admin, query)) == ["200"]


def test_query_attributes_are_zipped_by_position(client, admin, scenario):
    # As in WSME: the only q.type given belongs to the first query, so trait_C is compared
    # as a string here and matches nothing. Clients send all four attributes or none.
    shifted = q(("event_type", "Zoo"), ("trait_C", "gt", "float", "1"))
    assert ids(get(client, admin, shifted)) == []


def test_an_unknown_field_is_just_a_trait_filter(client, admin, scenario):
    assert ids(get(client, admin, q(("bad_field", "x")))) == []


def test_dotted_trait_names_filter(client, admin):
    record("m1", traits=(("result.status", "string", "ok"),))
    record("m2", traits=(("result", "string", "ok"),))
    assert ids(get(client, admin, q(("result.status", "ok")))) == ["m1"]


def test_limit_zero_means_the_default_limit(client, admin, monkeypatch):
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("PANKO_DEFAULT_LIMIT", "2")
    reset_settings()
    for index in range(3):
        record(f"m{index}")
    assert ids(get(client, admin, "")) == ["m0", "m1"]
    assert ids(get(client, admin, "limit=0")) == ["m0", "m1"]
    assert ids(get(client, admin, "limit=3")) == ["m0", "m1", "m2"]
    monkeypatch.undo()
    reset_settings()


def test_empty_special_values_are_no_filter(client, admin, scenario):
    assert ids(get(client, admin, q(("event_type", "")))) == ["0", "100", "200"]
    assert ids(get(client, admin, "marker=")) == ["0", "100", "200"]


# ---------------------------------------------------------------- the body form


def test_arguments_as_a_json_body_on_get(client, admin, scenario):
    body = {
        "q": [{"field": "trait_B", "op": "ge", "type": "integer", "value": "101"}],
        "limit": 1,
        "sort": ["message_id:desc"],
    }
    response = client.http.get(
        "/v2/events",
        headers={**admin, "Content-Type": "application/json"},
        body=json.dumps(body),
    )
    assert ids(response) == ["200"]
    numbers = {"q": [{"field": "trait_B", "type": "integer", "value": 101}]}
    response = client.http.get(
        "/v2/events",
        headers={**admin, "Content-Type": "application/json"},
        body=json.dumps(numbers),
    )
    assert ids(response) == ["100"]


def test_arguments_as_an_xml_body_on_get(client, admin, scenario):
    body = (
        "<parameters><q><item><field>event_type</field><value>Zoo</value></item></q>"
        "<limit>5</limit><sort><item>generated:desc</item></sort></parameters>"
    )
    response = client.http.get(
        "/v2/events", headers={**admin, "Content-Type": "application/xml"}, body=body
    )
    assert ids(response) == ["200"]


def test_an_xml_body_with_entities_is_refused(client, admin, scenario):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;">]><parameters><marker>&b;</marker></parameters>'
    )
    response = client.http.get(
        "/v2/events", headers={**admin, "Content-Type": "application/xml"}, body=bomb
    )
    assert response.status_code == 400
    assert fault(response) == "Request is not in valid XML format"


def test_a_form_body_is_ignored(client, admin, scenario):
    response = client.http.get(
        "/v2/events?limit=1",
        headers={**admin, "Content-Type": "application/x-www-form-urlencoded"},
        body="limit=2",
    )
    assert ids(response) == ["0"]


# ---------------------------------------------------------------- Panko's error catalogue

ERRORS = [
    (
        q(("trait_A", "whats-up", "string", "x")),
        "Operator whats-up is not supported. The supported operators are: "
        "('lt', 'le', 'eq', 'ne', 'ge', 'gt')",
    ),
    (
        q(("trait_A", "el", "string", "x")),
        "Operator el is not supported. The supported operators are: "
        "('lt', 'le', 'eq', 'ne', 'ge', 'gt')",
    ),
    (
        q(("event_type", "ne", None, "Foo")),
        "Operator ne is not supported. Only `eq' operator is available for field event_type",
    ),
    (
        q(("message_id", "gt", None, "0")),
        "Operator gt is not supported. Only `eq' operator is available for field message_id",
    ),
    (
        q(("start_timestamp", "gt", None, "2014-01-01T00:00:00")),
        "Operator gt is not supported. Only `ge' operator is available for field start_timestamp",
    ),
    (
        q(("end_timestamp", "ge", None, "2014-01-01T00:00:00")),
        "Operator ge is not supported. Only `le' operator is available for field end_timestamp",
    ),
    (
        q(("trait_A", "eq", "whats-up", "x")),
        "The data type whats-up is not supported. The supported data type list is: "
        "['integer', 'float', 'string', 'datetime']",
    ),
    (
        q(("trait_A", "eq", "boolean", "true")),
        "The data type boolean is not supported. The supported data type list is: "
        "['integer', 'float', 'string', 'datetime']",
    ),
    (
        q(("trait_B", "eq", "integer", "1.5")),
        "Unable to convert the value 1.5 to the expected data type integer.",
    ),
    (
        q(("trait_C", "eq", "float", "abc")),
        "Unable to convert the value abc to the expected data type float.",
    ),
    (
        q(("trait_C", "eq", "float", "nan")),
        "Unable to convert the value nan to the expected data type float.",
    ),
    (
        q(("trait_D", "eq", "datetime", "yesterday")),
        "Unable to convert the value yesterday to the expected data type datetime.",
    ),
    (
        "limit=-2",
        "Invalid input for field/attribute limit. Value: '-2'. "
        "the limit should be a positive integer.",
    ),
    ("limit=abc", "invalid literal for int() with base 10: 'abc'"),
    (
        "sort=invalid_key:desc",
        "Invalid input for field/attribute sort. Value: 'invalid_key:desc'. "
        f"{SORT_HELP}sort keys are: ('message_id', 'generated')",
    ),
    (
        "sort=message_id:bah",
        "Invalid input for field/attribute sort direction. Value: 'message_id:bah'. "
        f"{SORT_HELP}sort directions are: ('asc', 'desc')",
    ),
    (
        "sort=generated:desc,message_id",
        "Invalid input for field/attribute sort direction. Value: 'generated:desc,message_id'. "
        f"{SORT_HELP}sort directions are: ('asc', 'desc')",
    ),
    ("bad_Stuff_here", 'Unknown argument: "bad_Stuff_here"'),
    ("name=x", 'Unknown argument: "name"'),
    ("q.foo=x", 'Unknown argument: "q.foo"'),
    ("marker=nope", "Marker nope not found."),
    (
        q(("start_timestamp", "ge", None, "not-a-time")),
        "Invalid input for field/attribute start_timestamp. Value: 'not-a-time'. "
        "Not an ISO 8601 timestamp.",
    ),
    (
        q(("end_timestamp", "le", None, "2014-13-01")),
        "Invalid input for field/attribute end_timestamp. Value: '2014-13-01'. "
        "Not an ISO 8601 timestamp.",
    ),
    (
        "q.field=trait_A&q.op=eq",
        "Invalid input for field/attribute value. Value: 'None'. Mandatory field missing.",
    ),
]


@pytest.mark.parametrize("query,message", ERRORS, ids=[m[:40] for _, m in ERRORS])
def test_error_catalogue(client, admin, scenario, query, message):
    response = get(client, admin, query)
    assert response.status_code == 400, response.body
    assert fault(response) == message


def test_checks_run_in_pankos_order(client, admin, scenario):
    # q before limit, limit before sort; the first bad q wins.
    bad_everything = q(("a", "no", None, "1"), ("b", "eq", "nope", "1"), limit="-1", sort="x")
    assert fault(get(client, admin, bad_everything)).startswith("Operator no is not supported")
    assert fault(get(client, admin, "limit=-1&sort=x")).startswith(
        "Invalid input for field/attribute limit."
    )


BODY_ERRORS = [
    ("application/json", "[]", 400, "Request must be a JSON dict"),
    ("application/json", "{nope", 400, "Request is not in valid JSON format"),
    ("application/json", '{"bogus": 1}', 400, 'Unknown argument: "bogus"'),
    (
        "application/json",
        '{"q": [{"field": "a", "value": "b", "oops": 1}]}',
        400,
        "Unknown attribute for argument q: oops",
    ),
    (
        "application/json",
        '{"q": [{"field": "a"}]}',
        400,
        "Invalid input for field/attribute value. Value: 'None'. Mandatory field missing.",
    ),
    (
        "application/json",
        '{"q": "event_type"}',
        400,
        "Invalid input for field/attribute q. Value: 'event_type'. "
        "Value not a valid list: event_type",
    ),
    (
        "application/json",
        '{"limit": "many"}',
        400,
        "Invalid input for field/attribute limit. Value: 'many'. "
        "invalid literal for int() with base 10: 'many'",
    ),
    ("text/plain", "abc", 415, "Unknown mimetype: text/plain"),
    ("application/xml", "<oops", 400, "Request is not in valid XML format"),
]


@pytest.mark.parametrize("content_type,body,status,message", BODY_ERRORS)
def test_body_errors(client, admin, scenario, content_type, body, status, message):
    response = client.http.get(
        "/v2/events", headers={**admin, "Content-Type": content_type}, body=body
    )
    assert response.status_code == status, response.body
    assert fault(response) == message


def test_an_argument_given_twice_is_refused(client, admin, scenario):
    response = client.http.get(
        "/v2/events?limit=1",
        headers={**admin, "Content-Type": "application/json"},
        body='{"limit": 2}',
    )
    assert response.status_code == 400
    assert fault(response) == "Parameter limit was given several times"


def test_errors_in_xml(client, admin, scenario):
    response = client.http.get("/v2/events?limit=-2", headers={**admin, "Accept": "text/xml"})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/xml"
    assert response.body.decode() == (
        "<error_message><error><faultcode>Client</faultcode><faultstring>Invalid input for "
        "field/attribute limit. Value: '-2'. the limit should be a positive integer."
        "</faultstring><debuginfo /></error></error_message>"
    )
