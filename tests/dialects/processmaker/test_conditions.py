"""ProcessMaker conditions: PHP as designers write it, without eval; limits; refusals say why."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.dialects.processmaker.conditions import (
    MAX_CALLS,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NODES,
    evaluate_condition,
    parse_condition,
)
from tests.dialects.processmaker.test_runtime import designer as designer  # the fixture
from tests.engine.conftest import receiver  # noqa: F401 - the real local HTTP receiver

VARIABLES = {
    "amount": "1500",
    "VAL": "2",
    "region": "EU",
    "zero": "0",
    "count": 3,
    "name": "  Alice ",
    "tags": ["gold", "eu", "7"],
    "grid": {"1": {"qty": "4", "price": "2.5"}, "2": {"qty": "1", "price": "10"}},
    "client": {"country": "FR"},
    "none": None,
    "query": "a b&c",
    "quote": "O'Brien",
    "started": "2026-12-01 08:30:00",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the grammar we had: still right
        ("@@amount > 1000", True),
        ("@@amount > 2000", False),
        ("@@VAL == 2", True),  # '2' == 2, as PHP
        ("@@VAL === '2'", True),
        ("@@region == 'EU'", True),
        ('@@region != "EU"', False),
        ("@@region <> 'US'", True),
        ("@@amount >= 1500 and @@region == 'EU'", True),
        ("@@amount >= 1500 && @@region == 'US'", False),
        ("@@amount < 10 or @@region == 'EU'", True),
        ("@@amount < 10 || @@count <= 2", False),
        ("not @@amount > 1000", False),
        ("!(@@amount > 1000 and @@region == 'US')", True),
        ("@#count > 2.5", True),
        ("@@missing == ''", True),  # a missing variable is null: '' as text
        ("@@missing", False),
        ("@@zero", False),  # "0" is false, as PHP
        ("@@region", True),
        ("true", True),
        ("null", False),
        ("@@region < 'FR'", True),  # texts compare as texts
        ("@@amount > 1000 AND (@@VAL == 1 OR @@VAL == 2)", True),
        # unary minus and arithmetic
        ("@#amount > -1", True),
        ("-@#amount < -1000", True),
        ("@%count * 2 + 1 == 7", True),
        ("@%count - 1 - 1 == 1", True),  # left to right
        ("2 + 3 * 4 == 14", True),
        ("(2 + 3) * 4 == 20", True),
        ("10 / 4 == 2.5", True),
        ("10 % 4 == 2", True),
        ("-7 % 3 == -1", True),  # the dividend's sign, as PHP
        ("2 ** 3 ** 2 == 512", True),  # right-associative
        ("-2 ** 2 == -4", True),  # ** binds tighter than unary minus
        ("@@amount + 500 == 2000", True),  # numeric texts in arithmetic
        ("@@missing + 1 == 1", True),
        ("'a' . 'b' . @@region == 'abEU'", True),
        ("'n' . 1 + 2 == 'n3'", True),  # PHP 8: + before .
        # numbers in every PHP literal form
        ("1.5e3 == 1500", True),
        ("1E-3 < 0.01", True),
        (".5 == 0.5", True),
        ("1. == 1", True),
        ("0x1A == 26", True),
        ("0b101 == 5", True),
        ("017 == 15", True),
        ("0o17 == 15", True),
        ("1_000_000 == 1000000", True),
        ("-1 < 0", True),
        # every variable prefix
        ("@%amount === 1500", True),  # integer
        ("@#amount === 1500.0", True),  # float
        ("@@count === '3'", True),  # text
        ("@?query == 'a+b%26c'", True),  # URL-encoded
        ("@$quote == 'O\\\\\\'Brien'", True),  # SQL-escaped
        ("@=count === 3", True),  # as stored
        ("@&client->country == 'FR'", True),  # object attribute
        ("@=tags[0] == 'gold'", True),
        ("@@grid[1][qty] * @#grid['1']['price'] == 10", True),
        ("@%grid[2][qty] == 1", True),
        ("@@grid[9][qty] == ''", True),
        # && || ! beside and or not, PHP's precedence
        ("!@@zero", True),
        ("!@@region == false", True),  # (!'EU') == false
        ("true or false and false", True),
        ("false and true || true", False),  # and binds looser than ||
        ("true xor true", False),
        ("TRUE && !FALSE", True),
        ("not @@zero and @@region", True),
        # string comparison
        ("'abc' < 'abd'", True),
        ("'10' == '1e1'", True),  # numeric texts compare as numbers
        ("'abc' == 0", False),  # PHP 8
        ("null == false", True),
        ("null == '0'", False),
        ("'1' === 1", False),
        ("1 === 1.0", False),
        ("1 == 1.0", True),
        # functions
        ("empty(@@missing)", True),
        ("empty(@@zero)", True),
        ("!empty(@@region)", True),
        ("isset(@@region)", True),
        ("isset(@@missing)", False),
        ("isset(@=none)", False),
        ("isset(@@region, @@amount)", True),
        ("in_array(@@region, array('EU', 'US'))", True),
        ("in_array('7', @=tags)", True),
        ("in_array(7, @=tags)", True),
        ("in_array(7, @=tags, true)", False),
        ("in_array(@@region, ['FR', 'DE'])", False),
        ("in_array('x', array('a' => 'x'))", True),
        ("strtolower(@@region) == 'eu'", True),
        ("strtoupper('eu') === @@region", True),
        ("strlen(@@region) == 2", True),
        ("strlen('é') == 2", True),  # bytes, as PHP
        ("trim(@@name) === 'Alice'", True),
        ("substr('ProcessMaker', 0, 7) == 'Process'", True),
        ("substr('ProcessMaker', -5) == 'Maker'", True),
        ("substr('ProcessMaker', 2, -6) == 'oces'", True),
        ("intval('12abc') === 12", True),
        ("intval('ff', 16) == 255", True),
        ("floatval('2.5kg') === 2.5", True),
        ("abs(-3) == 3", True),
        ("round(2.5) == 3", True),
        ("round(-2.5) == -3", True),
        ("round(1.955, 2) == 1.96", True),
        ("min(@#amount, 2000) == 1500", True),
        ("max(@=tags) == 'gold'", True),
        ("max(1, '10', 3) == 10", True),
        ("date('Y-m-d', 0) == '1970-01-01'", True),
        ("date('D, d M Y H:i:s', 86400 + 3661) == 'Fri, 02 Jan 1970 01:01:01'", True),
        ("strtotime('2026-12-01 08:30:00') == 1796113800", True),
        ("strtotime(@@started) < strtotime('2027-01-01')", True),
        ("strtotime('+1 day', 0) == 86400", True),
        ("strtotime('yesterday', 86400 * 3 + 5) == 86400 * 2", True),
        ("strtotime('no such time') === false", True),
        ("count(@=tags) == 3", True),
        ("(int) '42x' === 42", True),
        ("(string) 2.0 === '2'", True),
        ("(bool) '0' === false", True),
        ("IN_ARRAY('EU', ['EU'])", True),  # PHP's function names ignore case
        ("\"tab\\there\" == 'tab\there'", True),
    ],
)
def test_conditions_evaluate_as_php_would(text, expected):
    assert evaluate_condition(text, VARIABLES) is expected


# ProcessMaker's own examples ("Using Conditions", wiki.processmaker.com/3.0/Using_Conditions).
WIKI_EXAMPLES = [
    ("3124.5", {}, True),
    ('"hello world"', {}, True),
    ("False", {}, False),
    ("@@ContactType", {"ContactType": "lead"}, True),
    ("@%Total == 400", {"Total": "400"}, True),
    ('"check" === @@PaymentType', {"PaymentType": "check"}, True),
    ('@@USR_USERNAME != "admin"', {"USR_USERNAME": "admin"}, False),
    ("@#InvoiceAmount > 100.00", {"InvoiceAmount": 100.5}, True),
    ("max(@#Invoice, @#TotalBill) < 1000", {"Invoice": 200, "TotalBill": "999.5"}, True),
    (
        "(@#Price - @#Discount) * @%Quantity <= 3000",
        {"Price": 100, "Discount": 10, "Quantity": 34},
        False,
    ),
    ('(@#Amount >= 5000.00 and @@priority == "high")', {"Amount": 5000, "priority": "high"}, True),
    (
        '((@@contact=="sales" or @@contact=="lead")\nand !(@@priority=="high"))',
        {"contact": "lead", "priority": "low"},
        True,
    ),
    ("@@FIELD1 == 1", {"FIELD1": "1"}, True),  # ProcessMaker's Behat step condition
    # the same page's older revisions (wiki.processmaker.com/index.php/Using_Conditions)
    ('"check" == @@PaymentType', {"PaymentType": "cash"}, False),
    ("@@USR_USERNAME != 'admin'", {"USR_USERNAME": "alice"}, True),
    ('@#Amount >= 5000.00 and @@priority == "high"', {"Amount": 4999, "priority": "high"}, False),
    (
        '(@@contact=="sales" or @@contact=="lead")\nand !(@@priority=="high")',
        {"contact": "sales", "priority": "high"},
        False,
    ),
]


@pytest.mark.parametrize(("text", "variables", "expected"), WIKI_EXAMPLES)
def test_processmakers_documented_examples_parse_and_hold(text, variables, expected):
    assert evaluate_condition(text, variables) is expected


# Conditions from ProcessMaker 3's own repository (RunningCases/processmaker): its API
# description (apiary.apib: step conditions), its Behat features and the process templates they
# import (features/json/process_template_*.json: gateway flow conditions). ProcessMaker runs
# each through G::replaceDataField and eval; here each parses and holds as PHP would.
REPOSITORY_EXAMPLES = [
    ("@@var1 == 1", {"var1": "1"}, True),
    ("@@sheetApproved == '1'", {"sheetApproved": "1"}, True),
    ("@@APPROVED == 'Y'", {"APPROVED": "N"}, False),
    ("@@APPROVED == 'N'", {"APPROVED": "N"}, True),
    ("@@FIELD2 == 2", {"FIELD2": "2"}, True),
    ('(@@Condicion1 == "1") && (@@Condicion2=="1")', {"Condicion1": "1", "Condicion2": "0"}, False),
    ('(@@Condicion1 == "1") || (@@Condicion2=="1")', {"Condicion1": "1", "Condicion2": "0"}, True),
    ('(@@Condicion1 == "0") || (@@Condicion2=="0")', {"Condicion1": "1", "Condicion2": "1"}, False),
    ('(@@Condicion1 == "0") && (@@Condicion2=="0")', {"Condicion1": "0", "Condicion2": "0"}, True),
    ("@@TXT_NUMERO>=5", {"TXT_NUMERO": "12"}, True),  # numeric texts compare as numbers
    ("@@TXT_NUMERO<5", {"TXT_NUMERO": "12"}, False),
    ("@@Tarea == 'Final'", {"Tarea": "Final"}, True),
    ("@@Tarea == 'Return'", {"Tarea": "Final"}, False),
    ("@@Tarea == 'Continuar'", {}, False),  # a variable never set is ''
]


@pytest.mark.parametrize(("text", "variables", "expected"), REPOSITORY_EXAMPLES)
def test_conditions_from_processmakers_repository_parse_and_hold(text, variables, expected):
    assert evaluate_condition(text, variables) is expected


def test_date_and_strtotime_read_the_current_time():
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert evaluate_condition(f"date('Y-m-d') == '{today}'", {}) is True
    assert evaluate_condition("strtotime('now') >= strtotime('today')", {}) is True
    assert evaluate_condition("strtotime('tomorrow') - strtotime('today') == 86400", {}) is True


def test_an_empty_condition_holds():
    assert evaluate_condition("", {}) is True
    assert evaluate_condition("   ", {}) is True


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("@@amount >", "unexpected end of the condition"),
        ("@@amount > > 1", "unexpected '>' at position 12"),
        ("(@@amount > 1", "the '(' at position 1 is not closed: expected ')', found the end"),
        ("@@amount > 1)", "unexpected ')' at position 13"),
        ("system('ls')", "unsupported function 'system' at position 1"),
        ("exec('ls') or true", "unsupported function 'exec' at position 1"),
        ("@@amount; 1", "unsupported ';' at position 9"),
        ("__import__('os')", "unsupported function '__import__' at position 1"),
        ("PHP_OS == 'Linux'", "unsupported name 'PHP_OS' at position 1"),
        (
            "$x == 1",
            "unsupported '$' (PHP variables); use a case variable such as @@name at position 1",
        ),
        ("@@a = 1", "unsupported '=' (assignment); compare with '==' at position 5"),
        ("@@a ? 1 : 2", "unsupported '?' (the ternary operator) at position 5"),
        (
            "@@a == 1 == true",
            "comparisons cannot be chained ('==' then '==' at position 10); join them with and",
        ),
        (
            '"$x" == 1',
            "unsupported '$' inside a double-quoted text at position 1: variables are not "
            "interpolated; use a case variable such as @@name",
        ),
        ("isset('x')", "isset() at position 1 takes case variables only"),
        ("strlen()", "strlen() at position 1 takes 1 arguments, not 0"),
        ("substr('a')", "substr() at position 1 takes 2 to 3 arguments, not 1"),
        ("089 == 1", "invalid numeric literal '089' at position 1"),
        ("12abc == 1", "invalid numeric literal '12a' at position 1"),
        ("@@a.b == 1", "unsupported name 'b' at position 5"),
        ("@!x == 1", "unsupported '@' at position 1"),
        ("", "the condition is empty"),
    ],
)
def test_what_is_not_supported_is_named(text, reason):
    with pytest.raises(ValueError) as raised:
        parse_condition(text)
    assert str(raised.value) == reason


def test_nesting_is_capped_with_a_clear_error_not_a_recursion_error():
    for text in ("(" * 400 + "1" + ")" * 400, "!" * 400 + "1", "-" * 400 + "1"):
        with pytest.raises(ValueError) as raised:
            parse_condition(text)
        assert str(raised.value) == f"the condition nests deeper than {MAX_DEPTH} levels"
    nested = "(" * MAX_DEPTH + "@@region == 'EU'" + ")" * MAX_DEPTH
    assert evaluate_condition(nested, VARIABLES) is True


def test_length_is_capped():
    with pytest.raises(ValueError) as raised:
        parse_condition("1 or " * (MAX_LENGTH // 5 + 1) + "1")
    assert str(raised.value) == f"the condition is longer than {MAX_LENGTH} characters"


def test_parts_and_calls_are_capped_at_save():
    within = " + ".join("1" for _ in range(MAX_NODES // 2 - 1)) + " > 0"
    assert evaluate_condition(within, {}) is True
    with pytest.raises(ValueError) as raised:
        parse_condition(" + ".join("1" for _ in range(MAX_NODES // 2 + 1)))
    assert str(raised.value) == (
        f"the condition has more than {MAX_NODES} parts (values, variables, operators and calls)"
    )
    calls = " + ".join("abs(1)" for _ in range(MAX_CALLS))
    assert evaluate_condition(f"{calls} == {MAX_CALLS}", {}) is True
    with pytest.raises(ValueError) as raised:
        parse_condition(calls + " + abs(1)")
    assert str(raised.value) == f"the condition makes more than {MAX_CALLS} calls"


def test_long_chains_evaluate_in_a_loop():
    chain = " and ".join(f"@%count == {3}" for _ in range(1500))
    assert evaluate_condition(chain, VARIABLES) is True
    assert evaluate_condition(chain + " and @@zero", VARIABLES) is False
    either = " || ".join("@@region == 'US'" for _ in range(1500)) + " || @@region == 'EU'"
    assert evaluate_condition(either, VARIABLES) is True
    total = " + ".join("1" for _ in range(3000))
    assert evaluate_condition(f"{total} == 3000", {}) is True


def test_runtime_errors_are_condition_errors():
    for text in ("1 / 0", "1 % 0", "in_array('a', 'abc')", "count('abc')"):
        condition = parse_condition(text)
        with pytest.raises(ValueError):
            condition.holds({})


def test_huge_powers_overflow_to_float_as_php_does():
    assert evaluate_condition("9 ** 9 ** 9 > 1", {}) is True
    assert evaluate_condition("2 ** 63 == 9223372036854775808.0", {}) is True


# ---------------------------------------------------------------- through the API


def test_the_documented_examples_save_as_event_conditions(client):
    from tests.dialects.processmaker.support import (
        API,
        call,
        event_body,
        make_designer,
        make_project,
        make_trigger,
    )

    headers = make_designer()
    prj = make_project(client, headers)["prj_uid"]
    tri = make_trigger(client, headers, prj)
    for text, _, _ in WIKI_EXAMPLES + REPOSITORY_EXAMPLES:
        body = event_body(tri, evn_conditions=text)
        response = call(client, "POST", f"{API}/project/{prj}/event", headers, body)
        assert response.status_code == 201, (text, response.body)
        assert response.json_body["evn_conditions"] == text


def test_deep_nesting_is_a_400_at_save_not_a_500(client):
    from tests.dialects.processmaker.support import (
        API,
        call,
        error_message,
        event_body,
        make_designer,
        make_project,
        make_trigger,
    )

    headers = make_designer()
    prj = make_project(client, headers)["prj_uid"]
    tri = make_trigger(client, headers, prj)
    body = event_body(tri, evn_conditions="(" * 400 + "@@a" + ")" * 400)
    response = call(client, "POST", f"{API}/project/{prj}/event", headers, body)
    assert response.status_code == 400
    assert error_message(response) == (
        "Bad Request: Invalid value specified for `evn_conditions`: "
        f"the condition nests deeper than {MAX_DEPTH} levels"
    )
    body = event_body(tri, evn_conditions="eval('1')")
    response = call(client, "POST", f"{API}/project/{prj}/event", headers, body)
    assert (response.status_code, error_message(response)) == (
        400,
        "Bad Request: Invalid value specified for `evn_conditions`: "
        "unsupported function 'eval' at position 1",
    )


def test_1500_chained_ands_save_and_then_fire(designer):
    from datetime import timedelta

    from tests.dialects.processmaker.support import TASK_A, make_event
    from tests.dialects.processmaker.test_runtime import log, start_case, started_at, tick

    client, headers, prj, tri, hook = designer
    chain = " and ".join(f"@%amount > {n}" for n in range(1500))
    make_event(
        client,
        headers,
        prj,
        tri,
        tas_uid=TASK_A,
        evn_action="EXECUTE_CONDITIONAL_TRIGGER",
        evn_when_occurs="TASK_STARTED",
        evn_when=0,
        evn_conditions=chain,
    )
    high = start_case(client, headers, prj, variables={"amount": 1500})
    low = start_case(client, headers, prj, variables={"amount": 1000})

    tick(started_at(client, headers, high["app_uid"]) + timedelta(minutes=1))

    (post,) = hook.posts("/hook")
    assert post.json()["case"] == high["app_number"]
    results = {line["app_uid"]: line["app_evn_result"] for line in log(client, headers)["data"]}
    assert results == {high["app_uid"]: "EXECUTED", low["app_uid"]: "CONDITION_FALSE"}
