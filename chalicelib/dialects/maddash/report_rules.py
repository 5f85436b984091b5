"""MaDDash's report definitions (``reports:`` in maddash.yaml): validated, and evaluated with
Madalert's semantics (pure).

A configuration lists reports (``id`` and ``rule``); a grid's ``report`` names the one that
applies to it, else ``defaultReport`` does, else Madalert's own default rule (``DEFAULT_RULE``,
written here in the same form). ``ConfigLoader.parseRule`` (perfsonar/maddash) reads:

- rules: ``matchFirst`` / ``matchAll`` (``rules``: a list), ``forEachSite`` (``rule``: a site
  rule), ``rule`` (``selector`` of type ``grid``, ``match``, ``problem``) and ``siteRule``
  (``site``: one row or column name, a site ``selector``, ``match``, ``problem``);
- site rules, inside ``forEachSite``: ``matchFirst`` / ``matchAll`` of site rules and ``rule``
  with a site selector; ``forEachSite`` and ``siteRule`` cannot nest there;
- selectors: ``grid`` (every check); per site ``site`` (its row and its column), ``row``,
  ``column`` and ``check`` (``rowIndex``: that check of the site's row, ``colIndex``: of its
  column; one of them at least). MaDDash's loader names its ``cell`` selector ``"column"``
  (``PROP_REPORTS_RULE_SELECTOR_TYPE_CELL``), so no configuration reaches it: ``cell`` is
  refused, as MaDDash refuses it;
- matches: ``status`` (every selected check has ``status``), ``statusThreshold`` (at least
  ``threshold`` of them have it), ``statusWeightedThreshold`` (``statuses``: a weight per
  status, a weight outside 0..1 or a status beyond the list leaves the check out; matched when
  the mean weight reaches ``threshold``); none matches an empty selection;
- problems: ``severity``, ``category``, ``message`` (the problem's ``name``), ``solutions``.

A rule "matches" when it added a problem; ``matchFirst`` stops at the first rule that matched,
``matchAll`` and ``forEachSite`` evaluate every rule and site. Keys MaDDash ignores (such as
``added_by_psconfig``) are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.dialects.maddash.mesh import Mesh, Problem, Report
from chalicelib.errors import ValidationFailed

RuleSpec = dict[str, Any]


GRID_SELECTORS = ("grid",)
SITE_SELECTORS = ("site", "row", "column", "check")
MATCHES = ("status", "statusThreshold", "statusWeightedThreshold")

INFRASTRUCTURE, ACTUAL = "INFRASTRUCTURE", "ACTUAL"
FAILURE_WEIGHTS = [0.0, 0.5, 1.0, -1.0]


def _rule(selector: dict[str, Any], match: dict[str, Any], name: str, severity: int, category: str):
    problem = {"message": name, "severity": severity, "category": category, "solutions": []}
    return {"type": "rule", "selector": selector, "match": match, "problem": problem}


def _first(*rules: RuleSpec) -> RuleSpec:
    return {"type": "matchFirst", "rules": list(rules)}


def _all(*rules: RuleSpec) -> RuleSpec:
    return {"type": "matchAll", "rules": list(rules)}


def _status(status: int, threshold: float | None = None) -> dict[str, Any]:
    if threshold is None:
        return {"type": "status", "status": status}
    return {"type": "statusThreshold", "status": status, "threshold": threshold}


def _check(row_index: int, col_index: int) -> dict[str, Any]:
    return {"type": "check", "rowIndex": row_index, "colIndex": col_index}


_FAILING = {"type": "statusWeightedThreshold", "statuses": FAILURE_WEIGHTS, "threshold": 0.7}

# Madalert.defaultRule(), rule for rule.
DEFAULT_RULE: RuleSpec = _first(
    _rule({"type": "grid"}, _status(3), "Grid is down", 3, INFRASTRUCTURE),
    _rule({"type": "grid"}, _status(0), "No issues found", 0, INFRASTRUCTURE),
    {
        "type": "forEachSite",
        "rule": _first(
            _rule({"type": "site"}, _status(3), "Site is down", 3, INFRASTRUCTURE),
            _all(
                _first(
                    _rule(_check(0, 1), _status(3), "Site can't test", 3, INFRASTRUCTURE),
                    _rule(
                        _check(0, 1), _status(3, 0.7), "Site mostly can't test", 3, INFRASTRUCTURE
                    ),
                ),
                _first(
                    _rule(_check(1, 0), _status(3), "Site can't be tested", 3, INFRASTRUCTURE),
                    _rule(
                        _check(1, 0),
                        _status(3, 0.7),
                        "Site mostly can't be tested",
                        3,
                        INFRASTRUCTURE,
                    ),
                ),
                _rule({"type": "row"}, _FAILING, "Outgoing test failures", 2, ACTUAL),
                _rule({"type": "column"}, _FAILING, "Incoming test failures", 2, ACTUAL),
            ),
        ),
    },
)


# ---------------------------------------------------------------- validation


def _fail(where: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{where}: {message}", field="config")


def _required(raw: Any, key: str, where: str) -> Any:
    if not isinstance(raw, Mapping):
        raise _fail(where, "must be a mapping")
    if raw.get(key) is None:
        raise _fail(where, f"missing required property '{key}'")
    return raw[key]


def _integer(value: Any, where: str, what: str) -> int:
    """An integer as Java's ``Integer.parseInt(value + "")`` reads one."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise _fail(where, f"'{what}' must be an integer")
    try:
        return int(value)
    except ValueError:
        raise _fail(where, f"'{what}' must be an integer") from None


def _number(value: Any, where: str, what: str) -> float:
    """A number as ``Double.parseDouble(value + "")`` reads one."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _fail(where, f"'{what}' must be a number")
    try:
        return float(value)
    except ValueError:
        raise _fail(where, f"'{what}' must be a number") from None


def _rules(raw: Any, where: str, parse: Any) -> list[RuleSpec]:
    rules = _required(raw, "rules", where)
    if not isinstance(rules, list):
        raise _fail(f"{where}.rules", "must be a list of rules")
    return [parse(rule, f"{where}.rules[{i}]") for i, rule in enumerate(rules)]


def _selector(raw: Any, where: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    kind = str(_required(raw, "type", where))
    if kind in GRID_SELECTORS + SITE_SELECTORS and kind not in allowed:
        inside = "outside" if kind in GRID_SELECTORS else "within"
        raise _fail(where, f"selector type '{kind}' may only be used {inside} a forEachSite rule")
    if kind not in allowed:
        raise _fail(where, f"invalid selector type '{kind}'")
    if kind != "check":
        return {"type": kind}
    indexes = {}
    for key in ("rowIndex", "colIndex"):
        value = raw.get(key)
        indexes[key] = -1 if value is None else _integer(value, where, key)
    if indexes["rowIndex"] < 0 and indexes["colIndex"] < 0:
        raise _fail(where, "a selector of type 'check' needs rowIndex or colIndex")
    return {"type": "check", **indexes}


def _match(raw: Any, where: str) -> dict[str, Any]:
    kind = str(_required(raw, "type", where))
    if kind == "status":
        return {"type": kind, "status": _integer(_required(raw, "status", where), where, "status")}
    if kind == "statusThreshold":
        status = _integer(_required(raw, "status", where), where, "status")
        threshold = _number(_required(raw, "threshold", where), where, "threshold")
        return {"type": kind, "status": status, "threshold": threshold}
    if kind == "statusWeightedThreshold":
        weights = _required(raw, "statuses", where)
        if not isinstance(weights, list):
            raise _fail(where, "'statuses' must be a list of numbers")
        statuses = [_number(weight, where, "statuses") for weight in weights]
        threshold = _number(_required(raw, "threshold", where), where, "threshold")
        return {"type": kind, "statuses": statuses, "threshold": threshold}
    raise _fail(where, f"invalid match type '{kind}'")


def _problem(raw: Any, where: str) -> dict[str, Any]:
    severity = _integer(_required(raw, "severity", where), where, "severity")
    category = str(_required(raw, "category", where))
    message = str(_required(raw, "message", where))
    solutions = raw.get("solutions") or []
    if not isinstance(solutions, list) or not all(isinstance(s, str) for s in solutions):
        raise _fail(where, "'solutions' must be a list of strings")
    return {"message": message, "severity": severity, "category": category, "solutions": solutions}


def _leaf(raw: Any, where: str, selectors: tuple[str, ...]) -> RuleSpec:
    return {
        "type": "rule",
        "selector": _selector(_required(raw, "selector", where), f"{where}.selector", selectors),
        "match": _match(_required(raw, "match", where), f"{where}.match"),
        "problem": _problem(_required(raw, "problem", where), f"{where}.problem"),
    }


def parse_site_rule(raw: Any, where: str) -> RuleSpec:
    """A rule inside ``forEachSite`` (``ConfigLoader.parseSiteRule``)."""
    kind = str(_required(raw, "type", where))
    if kind in ("matchFirst", "matchAll"):
        return {"type": kind, "rules": _rules(raw, where, parse_site_rule)}
    if kind == "forEachSite":
        raise _fail(where, "cannot nest forEachSite rules")
    if kind == "siteRule":
        raise _fail(where, "cannot nest siteRule rules in forEachSite")
    if kind == "rule":
        return _leaf(raw, where, SITE_SELECTORS)
    raise _fail(where, f"invalid rule type '{kind}'")


def parse_rule(raw: Any, where: str) -> RuleSpec:
    """A report's rule (``ConfigLoader.parseRule``), normalised; ``ValidationFailed`` names the
    part that is wrong."""
    kind = str(_required(raw, "type", where))
    if kind in ("matchFirst", "matchAll"):
        return {"type": kind, "rules": _rules(raw, where, parse_rule)}
    if kind == "forEachSite":
        return {
            "type": kind,
            "rule": parse_site_rule(_required(raw, "rule", where), f"{where}.rule"),
        }
    if kind == "siteRule":
        site = str(_required(raw, "site", where))
        return {**_leaf(raw, where, SITE_SELECTORS), "type": "siteRule", "site": site}
    if kind == "rule":
        return _leaf(raw, where, GRID_SELECTORS)
    raise _fail(where, f"invalid rule type '{kind}'")


def parse_reports(config: Mapping[str, Any]) -> tuple[dict[str, RuleSpec], str | None]:
    """``reports`` (id → rule) and ``defaultReport`` of a configuration, validated."""
    raw_reports = config.get("reports")
    reports: dict[str, RuleSpec] = {}
    if raw_reports is not None:
        if not isinstance(raw_reports, list):
            raise _fail("reports", "must be a list of reports")
        for index, raw in enumerate(raw_reports):
            where = f"reports[{index}]"
            report_id = str(_required(raw, "id", where))
            where = f"reports[{index}] ({report_id})"
            rule = parse_rule(_required(raw, "rule", where), f"{where}.rule")
            if report_id in reports:
                raise _fail(where, f"two reports share the id '{report_id}'")
            reports[report_id] = rule
    default = config.get("defaultReport")
    if default is not None and str(default) not in reports:
        raise _fail("defaultReport", f"no report has the id '{default}'")
    return reports, None if default is None else str(default)


def grid_rule(
    grid: str, report_id: Any, reports: dict[str, RuleSpec], default: str | None
) -> dict[str, Any] | None:
    """The report a grid names (``report``), else the default report; None: Madalert's own."""
    if report_id is not None:
        if str(report_id) not in reports:
            raise _fail(f"grid {grid}", f"report '{report_id}' is not in reports")
        return {"id": str(report_id), "rule": reports[str(report_id)]}
    if default is not None:
        return {"id": default, "rule": reports[default]}
    return None


# ---------------------------------------------------------------- evaluation


def _selected(selector: dict[str, Any], mesh: Mesh, site: str | None) -> list[int]:
    """The statuses a selector reads (``TestSet.match``), in Madalert's order and multiplicity."""
    kind = selector["type"]
    found: list[int] = []
    for r, row in enumerate(mesh.rows):
        for c, col in enumerate(mesh.columns):
            cell = mesh.cells[r][c]
            if cell is None:  # ``hasColumn``: a cell the grid leaves out
                continue
            if kind == "check":
                # ``forCheck``: the row's check and the column's (a site's cell with itself once
                # when both indexes are the same).
                row_index, col_index = selector["rowIndex"], selector["colIndex"]
                wanted = []
                if 0 <= row_index < mesh.check_count and row == site:
                    wanted.append(row_index)
                if (
                    0 <= col_index < mesh.check_count
                    and col == site
                    and not (row == col and row_index == col_index)
                ):
                    wanted.append(col_index)
                found += [cell[i] for i in wanted if i < len(cell) and cell[i] is not None]
                continue
            if (
                kind == "grid"
                or (kind == "site" and site in (row, col))
                or (kind == "row" and row == site)
                or (kind == "column" and col == site)
            ):
                found += [status for status in cell if status is not None]
    return found


def matches(match: dict[str, Any], statuses: list[int]) -> bool:
    """``StatusMatcher``: whether the selected statuses match."""
    kind = match["type"]
    if kind == "status":
        return bool(statuses) and all(status == match["status"] for status in statuses)
    if kind == "statusThreshold":
        hits = sum(1 for status in statuses if status == match["status"])
        return bool(statuses) and hits / len(statuses) >= match["threshold"]
    weights = match["statuses"]
    counted = [
        weights[status]
        for status in statuses
        if status < len(weights) and 0.0 <= weights[status] <= 1.0
    ]
    return bool(counted) and sum(counted) / len(counted) >= match["threshold"]


def _problem_of(rule: RuleSpec) -> Problem:
    spec = rule["problem"]
    return Problem(spec["message"], spec["severity"], spec["category"], tuple(spec["solutions"]))


def evaluate(rule: RuleSpec, mesh: Mesh, report: Report, site: str | None = None) -> bool:
    """Add ``rule``'s problems to ``report`` (``Rule.addToReport``); whether it matched.

    ``site`` is set inside ``forEachSite`` (a ``SiteRule`` given its site)."""
    kind = rule["type"]
    if kind == "matchFirst":
        return any(evaluate(inner, mesh, report, site) for inner in rule["rules"])
    if kind == "matchAll":
        results = [evaluate(inner, mesh, report, site) for inner in rule["rules"]]
        return any(results)
    if kind == "forEachSite":
        results = [evaluate(rule["rule"], mesh, report, each) for each in mesh.sites()]
        return any(results)
    target = rule["site"] if kind == "siteRule" else site
    if not matches(rule["match"], _selected(rule["selector"], mesh, target)):
        return False
    if target is None:
        report.global_problems.append(_problem_of(rule))
    else:
        report.site_problems.setdefault(target, []).append(_problem_of(rule))
    return True
