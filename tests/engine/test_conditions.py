"""The condition grammar: every condition, every comparison form, validation and the catalogue."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.auth.principal import Principal
from chalicelib.core.model import Trait, build_event, utcnow
from chalicelib.engine.conditions import (
    Comparison,
    ConditionContext,
    compare,
    describe_conditions,
    evaluate,
    is_true,
    parse_comparison,
    unmet_condition,
    validate_conditions,
)
from chalicelib.errors import ValidationFailed

WHEN = datetime(2025, 3, 1, 12, 0, 0)


def node_down(**extra):
    traits = [
        Trait("node", "string", "router1"),
        Trait("priority", "integer", 6),
        Trait("state", "string", "down"),
        Trait("details", "string", "Ping failed on eth0"),
        Trait("seen", "datetime", WHEN),
        Trait("load", "float", 0.75),
    ]
    traits += [Trait(name, "string", value) for name, value in extra.items()]
    return build_event(
        event_type="Node Down", message_id="m1", generated=WHEN, traits=traits, source="opevents"
    )


def operation(result=True, role="admin", user="root"):
    traits = [
        Trait("username", "string", "bob"),
        Trait("logged_in_user", "string", user),
        Trait("role", "string", role),
    ]
    if result:
        traits += [
            Trait("result_status", "string", "True"),
            Trait("result.username", "string", "bob"),
        ]
    return build_event(event_type="admin.user.create", traits=traits, source="admin")


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "comparator", "right"),
    [
        ("down", "equals", "down"),
        ("==down", "equals", "down"),
        ("=down", "equals", "down"),
        ("!=down", "!equals", "down"),
        (">100", ">", "100"),
        ("<100", "<", "100"),
        (">=5", ">=", "5"),
        ("=>5", ">=", "5"),
        ("<=5", "<=", "5"),
        ("=<5", "<=", "5"),
        ("'>'100", ">", "100"),
        ("'<'100", "<", "100"),
        ("'=='1000", "equals", "1000"),
        ("'!='x", "!equals", "x"),
        ("'<='5", "<=", "5"),
        ("'>='5", ">=", "5"),
        ("'equals'x", "equals", "x"),
        ("'!equals'x", "!equals", "x"),
        ("'matches'router[0-9]+", "matches", "router[0-9]+"),
        ("'!matches'web.*", "!matches", "web.*"),
        ("'in'up,down", "in", "up,down"),
        ("'!in'up,down", "!in", "up,down"),
        ("'contains'eth0", "contains", "eth0"),
        ("'!contains'eth0", "!contains", "eth0"),
        ("'string_contains'eth", "string_contains", "eth"),
        ("'!string_contains'eth", "!string_contains", "eth"),
        ("'date_before'2030-01-01", "date_before", "2030-01-01"),
        ("'date_after'{now}-7d", "date_after", "{now}-7d"),
        ("'date_within_last'7d", "date_within_last", "7d"),
        ("'!date_within_last'1h", "!date_within_last", "1h"),
        ("web=1", "equals", "web=1"),  # a comparator not at the start is part of the value
    ],
)
def test_single_value_forms(text, comparator, right):
    assert parse_comparison(text) == Comparison("", comparator, right)


def test_keyed_forms():
    assert parse_comparison("hits > 10", keyed=True) == Comparison("hits", ">", "10")
    assert parse_comparison("hits '>' 10", keyed=True) == Comparison("hits", ">", "10")
    assert parse_comparison("severity >= 3", keyed=True) == Comparison("severity", ">=", "3")
    assert parse_comparison("host 'matches' web-.*", keyed=True) == Comparison(
        "host", "matches", "web-.*"
    )
    with pytest.raises(ValueError):
        parse_comparison("hits", keyed=True)
    with pytest.raises(ValueError):
        parse_comparison(">10", keyed=True)


def test_is_true_is_privacyideas():
    assert all(is_true(v) for v in (1, "1", True, "True", "true", "TRUE"))
    assert not any(is_true(v) for v in (0, "0", False, "False", "yes", "on", None, "", [1]))


# ---------------------------------------------------------------- comparing


@pytest.mark.parametrize(
    ("left", "text", "expected"),
    [
        (6, ">5", True),
        (6, ">6", False),
        (6, ">=6", True),
        (6, "<=5", False),
        ("6", "<10", True),  # numbers compare as numbers, not text ("6" > "10")
        (0.75, "<1", True),
        (6, "6", True),
        (6, "!=6", False),
        ("down", "down", True),
        ("down", "Down", False),
        ("down", "!=up", True),
        ("router1", "'matches'router[0-9]", True),
        ("router12", "'matches'router[0-9]", False),  # a full match, as privacyIDEA's
        ("router1", "'!matches'router[0-9]", False),
        ("down", "'in'up,down", True),
        ("down", "'!in'up,down", False),
        ("Ping failed on eth0", "'contains'eth0", True),
        ("Ping failed on eth0", "'string_contains'eth1", False),
        (["a", "b"], "'contains'b", True),
        (WHEN, "'date_before'2030-01-01", True),
        (WHEN, "'date_after'2030-01-01", False),
        (WHEN, "'date_after'{now}-36500d", True),
        (WHEN, ">2024-12-31T00:00:00", True),
        (utcnow() - timedelta(hours=1), "'date_within_last'2h", True),
        (utcnow() - timedelta(hours=3), "'date_within_last'2h", False),
        (utcnow() - timedelta(hours=3), "'!date_within_last'2h", True),
        (None, "!=x", False),  # a missing value never matches, even a negation
        (None, "x", False),
    ],
)
def test_compare(left, text, expected):
    assert compare(left, parse_comparison(text)) is expected


# ---------------------------------------------------------------- every condition


def test_event_fields_and_traits():
    event = node_down()
    assert evaluate({"event_type": "Node"}, event)  # matched at the start
    assert evaluate({"event_type": "Node (Down|Up)$"}, event)
    assert not evaluate({"event_type": "Up"}, event)
    assert evaluate({"source": "opevents"}, event)
    assert not evaluate({"source": "!=opevents"}, event)
    assert evaluate({"node": "router1", "state": "down", "priority": ">5"}, event)
    assert not evaluate({"priority": "<=5"}, event)
    assert evaluate({"state": "'in'down,unreachable"}, event)
    assert evaluate({"trait:details": "'contains'eth0"}, event)
    assert evaluate({"trait:load": "<0.8", "trait:seen": "'date_before'{now}"}, event)
    assert not evaluate({"trait:missing": "!=x"}, event)
    assert evaluate({"trait": "priority >= 6"}, event)
    assert evaluate({"trait": "node 'matches' router.*"}, event)
    assert not evaluate({"trait": "priority > 6"}, event)
    assert unmet_condition({"node": "router1", "priority": ">9", "state": "up"}, event) == (
        "priority"
    )


def test_all_conditions_are_anded_and_unknown_keys_ignored():
    event = node_down()
    assert evaluate({"blabla": "yes", "always": "yes", "node": "router1"}, event)
    assert not evaluate({"node": "router1", "state": "up"}, event)
    assert evaluate({}, event)


def test_result_conditions():
    done, empty = operation(result=True), operation(result=False)
    assert evaluate({"result_status": "True", "result_value": "True"}, done)
    assert not evaluate({"result_status": "False"}, done)
    # privacyIDEA's is_true: a missing result counts as False.
    assert evaluate({"result_status": "False", "result_value": "false"}, empty)
    assert not evaluate({"result_value": "True"}, node_down())
    explicit = build_event(event_type="x", traits=[Trait("result_value", "string", "0")])
    assert evaluate({"result_value": "False"}, explicit)


def test_principal_conditions():
    by_admin, by_user = operation(role="admin"), operation(role="user", user="alice")
    assert evaluate({"logged_in_user": "admin"}, by_admin)
    assert not evaluate({"logged_in_user": "admin"}, by_user)
    assert evaluate({"logged_in_user": "user"}, by_user)
    assert evaluate({"logged_in_user": "user"}, node_down())  # no login counts as user
    assert evaluate({"role": "!=user"}, by_admin)
    assert evaluate({"trait:logged_in_user": "alice"}, by_user)


def test_request_context_for_pre_handlers():
    admin = Principal("root", roles=("admin",))
    context = ConditionContext.for_request(
        "admin.user.create", admin, {"username": "bob", "meta": {"team": "ops"}}
    )
    assert evaluate(
        {
            "event_type": "admin\\.user",
            "source": "admin",
            # Named as the operation's event will name them, so pre and post agree.
            "trait:params.username": "bob",
            "trait:params.meta.team": "ops",
            "logged_in_user": "admin",
            "result_status": "False",  # nothing has run yet
        },
        context,
    )
    anonymous = ConditionContext.for_request("admin.user.create", None, {})
    assert evaluate({"logged_in_user": "user"}, anonymous)


def test_in_maintenance_reads_the_maddash_windows(aws):
    from chalicelib.dialects.maddash.grids import load_config
    from chalicelib.dialects.maddash.window_items import epoch
    from chalicelib.dialects.maddash.windows import create_window

    load_config(
        {
            "groups": {"hosts": ["router1", "router2"]},
            "checks": {"ping": {"name": "ping"}},
            "grids": [{"name": "G", "rows": "hosts", "columns": "hosts", "checks": ["ping"]}],
        }
    )
    event = node_down(check="ping")
    assert evaluate({"in_maintenance": "False"}, event)
    start = epoch(WHEN)
    create_window(
        {
            "checkFilters": {"rowName": "router1", "columnName": "router1"},
            "name": "router1",
            "description": "",
            "startTime": start - 3600,
            "endTime": start + 3600,
        }
    )
    assert evaluate({"in_maintenance": "True"}, event)
    assert not evaluate({"in_maintenance": "False"}, event)
    later = build_event(
        event_type="Node Down",
        generated=WHEN + timedelta(hours=2),
        traits=[Trait("node", "string", "router1")],
    )
    assert evaluate({"in_maintenance": "False"}, later)
    create_window(
        {
            "checkFilters": {"checkName": "ping", "rowName": "router2"},
            "name": "ping",
            "description": "",
            "startTime": start,
            "endTime": start + 5 * 3600,
        }
    )
    on_check = build_event(
        event_type="Check Failed",
        generated=WHEN + timedelta(hours=2),
        traits=[Trait("check", "string", "ping")],
    )
    assert evaluate({"in_maintenance": "True"}, on_check)


def test_counter_condition_reads_counters(aws):
    from chalicelib.core.counters import change_counter

    event = node_down()
    assert evaluate({"counter": "failures < 1"}, event)  # never changed: 0
    change_counter("failures", 11)
    assert evaluate({"counter": "failures > 10"}, event)
    assert not evaluate({"counter": "failures '<' 10"}, event)


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "conditions",
    [
        {"event_type": "Node ("},
        {"node": ""},
        {"priority": ">"},
        {"state": "'matches'(unclosed"},
        {"node": "'in'\"a"},
        {"trait:seen": "'date_before'tomorrow"},
        {"trait:seen": "'date_within_last'a week"},
        {"trait:": "x"},
        {"trait": "priority"},
        {"counter": ">10"},
        {"result_status": "yes"},
        {"result_value": ""},
        {"in_maintenance": "maybe"},
        {"logged_in_user": "root"},
    ],
)
def test_known_condition_with_unparsable_value_is_refused(conditions):
    key = next(iter(conditions))
    with pytest.raises(ValidationFailed) as caught:
        validate_conditions(conditions)
    assert f"condition {key}" in caught.value.message


def test_valid_and_unknown_conditions_are_accepted():
    validate_conditions(
        {
            "event_type": "Node .*",
            "node": "router1",
            "priority": "'>'5",
            "state": "'in'down,up",
            "trait:severity": ">=3",
            "trait": "host 'matches' web-.*",
            "result_status": "True",
            "result_value": "false",
            "logged_in_user": "admin",
            "role": "admin",
            "in_maintenance": "False",
            "counter": "hits > 10",
            "source": "opevents",
            "blabla": "yes",  # unknown: stored and ignored
            "client_ip": "((",  # privacyIDEA's token-world conditions are unknown here
        }
    )


def test_evaluating_an_unparsable_stored_value_fails_clearly():
    with pytest.raises(ValidationFailed):
        evaluate({"priority": ">"}, node_down())


# ---------------------------------------------------------------- the catalogue


def test_describe_conditions_has_privacyideas_shape():
    described = describe_conditions()
    assert set(described) == {
        "event_type",
        "source",
        "node",
        "priority",
        "state",
        "trait",
        "result_status",
        "result_value",
        "logged_in_user",
        "role",
        "in_maintenance",
        "counter",
    }
    for schema in described.values():
        assert set(schema) <= {"type", "desc", "group", "value"}
        assert schema["type"] in ("str", "multi", "regexp") and schema["desc"] and schema["group"]
    assert described["event_type"]["type"] == "regexp"
    assert described["logged_in_user"]["value"] == ["admin", "user"]
    assert described["in_maintenance"]["value"] == ["True", "False"]


def test_patterns_run_on_re2_so_a_crafted_trait_cannot_stall_the_stream():
    """``(a|aa)+`` is exponential for Python's backtracking ``re`` on "aaa…ab"; RE2 is linear."""
    from chalicelib.engine.compare import compile_pattern

    crafted = "a" * 254 + "b"  # a string trait holds 255 characters
    event = build_event(event_type="x", traits=[Trait("host", "string", crafted)])
    conditions = {"trait:host": "'matches'(a|aa)+"}
    validate_conditions(conditions)
    assert evaluate(conditions, event) is False
    assert compile_pattern("(a|aa)+").fullmatch(crafted) is None
    assert type(compile_pattern("(a|aa)+")).__module__.startswith("re2")
    # Python-only constructs (backreferences, lookaround) are refused at save, naming RE2.
    for pattern in (r"(a)\1", "(?=a)a", "(?<!b)a"):
        with pytest.raises(ValidationFailed, match="RE2"):
            validate_conditions({"trait:host": f"'matches'{pattern}"})
    with pytest.raises(ValidationFailed, match="RE2"):
        validate_conditions({"event_type": r"(x)\1"})  # the regexp kind too


def test_condition_caps_are_a_clear_400_at_save():
    from chalicelib.engine.conditions import MAX_CONDITION_TEXT, MAX_CONDITIONS

    many = {f"trait:t{i}": "x" for i in range(MAX_CONDITIONS + 1)}
    with pytest.raises(ValidationFailed, match=f"at most {MAX_CONDITIONS}"):
        validate_conditions(many)
    with pytest.raises(ValidationFailed, match=f"longer than {MAX_CONDITION_TEXT}"):
        validate_conditions({"trait:host": "'matches'" + "a" * MAX_CONDITION_TEXT})
    with pytest.raises(ValidationFailed, match="at most 1000 characters"):
        validate_conditions({"trait:host": "'matches'" + "a" * 1001})
