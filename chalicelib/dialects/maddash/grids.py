"""MaDDash grid configuration: parse a ``maddash.yaml``, store its grids and checks.

Loading a configuration (``load_config``):

1. parse and validate it (``parse_config``, pure): every grid's rows and columns from its
   groups (``rowOrder``/``colOrder``: ``alphabetical``, the default, or ``group``), the cells
   kept (``excludeSelf``, ``columnAlgorithm``, ``excludeChecks``), one check per cell and
   check template, and the report rule that applies to it (``report_rules``);
2. for each grid, read its stored checks (one Query), write the new ones, update the changed
   ones (keeping their results) and mark the ones that disappeared inactive (kept for history);
3. grids no longer configured become inactive with their checks; the summary (dashboards,
   rows, columns, check names) is written last.
Reading grids lives in ``dialects/maddash/grid_views.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.dialects.maddash.checks import STATUS_SHORT_NAMES, CheckRef, encode_name
from chalicelib.dialects.maddash.report_rules import grid_rule, parse_reports
from chalicelib.errors import ValidationFailed
from chalicelib.store.access import store_access
from chalicelib.store.maddash import (
    CONFIG_PK,
    GRIDS_PK,
    SUMMARY_SK,
    MaddashModel,
    cells_pk,
)

ORDERS = ("alphabetical", "group")
COLUMN_ALGORITHMS = ("all", "afterSelf", "beforeSelf")
TEMPLATE_FIELDS = (
    "description",
    "type",
    "params",
    "checkInterval",
    "retryInterval",
    "retryAttempts",
    "timeout",
)
# MaDDash's labelled statuses: MAINTENANCE (5) has no label, custom states follow it.
LABEL_KEYS = ("ok", "warning", "critical", "unknown", "notrun")


@dataclass
class PlannedCheck:
    ref: CheckRef
    row_order: int
    col_order: int
    template: dict[str, Any]


@dataclass
class GridPlan:
    name: str
    doc: dict[str, Any]
    checks: dict[str, PlannedCheck] = field(default_factory=dict)  # by cell key


@dataclass
class ConfigPlan:
    grids: list[GridPlan]
    dashboards: list[dict[str, Any]]
    labels: dict[str, str]


def _fail(message: str) -> ValidationFailed:
    return ValidationFailed(message, field="config")


def _mapping(config: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = config.get(key) or {}
    if not isinstance(value, Mapping):
        raise _fail(f"{key} must be a mapping")
    return value


def _truthy(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True", "yes")


def _group(groups: Mapping[str, Any], name: Any, grid: str, role: str) -> list[str]:
    members = groups.get(name) if isinstance(name, str) else None
    if not isinstance(members, list) or not all(isinstance(m, str) and m for m in members):
        raise _fail(f"grid {grid}: {role} names no group of member ids: {name!r}")
    return list(dict.fromkeys(members))


def _ordered(members: list[str], order: Any, grid: str, key: str) -> list[str]:
    order = order or "alphabetical"
    if order not in ORDERS:
        raise _fail(f"grid {grid}: {key} must be one of {', '.join(ORDERS)}")
    return sorted(members) if order == "alphabetical" else members


def _status_labels(raw: Any, grid: str) -> list[str | None]:
    labels = raw or {}
    if not isinstance(labels, Mapping):
        raise _fail(f"grid {grid}: statusLabels must be a mapping")
    # An empty label is no label (MaDDash's DBMesh sends null).
    result: list[str | None] = [labels.get(key) or None for key in LABEL_KEYS]
    for extra in labels.get("extra") or []:
        value = extra.get("value") if isinstance(extra, Mapping) else None
        if not isinstance(value, int) or value < len(STATUS_SHORT_NAMES):
            raise _fail(f"grid {grid}: statusLabels.extra needs values above 5")
        result.extend([None] * (value + 1 - len(result)))
        result[value] = extra.get("description") or extra.get("shortName")
    return result


def _kept_columns(row: str, columns: list[str], group_cols: list[str], grid: Mapping) -> list[str]:
    algorithm = grid.get("columnAlgorithm") or "all"
    if algorithm not in COLUMN_ALGORITHMS:
        raise _fail(
            f"grid {grid['name']}: columnAlgorithm must be one of all, afterSelf, beforeSelf"
        )
    kept = []
    for col in columns:
        if _truthy(grid.get("excludeSelf")) and col == row:
            continue
        if algorithm != "all" and row in group_cols:
            here, there = group_cols.index(row), group_cols.index(col)
            if (algorithm == "afterSelf") != (there > here):
                continue
        kept.append(col)
    return kept


def _excluded(exclusions: Any, check_key: str, row: str, col: str) -> bool:
    """``excludeChecks: {<check key>: {<row id or default>: [<column ids> or "*"]}}``."""
    rules = exclusions.get(check_key) if isinstance(exclusions, Mapping) else None
    if not isinstance(rules, Mapping):
        return False
    cols = rules.get(row, rules.get("default")) or []
    return "*" in cols or col in cols


def _templates(config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    templates = {}
    for key, raw in _mapping(config, "checks").items():
        if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str) or not raw["name"]:
            raise _fail(f"check {key} needs a name")
        templates[str(key)] = {"name": raw["name"]} | {
            name: raw.get(name) for name in TEMPLATE_FIELDS
        }
    return templates


def _plan_grid(raw: Any, position: int, config: Mapping, templates: dict, props: dict) -> GridPlan:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str) or not raw["name"]:
        raise _fail("every grid needs a name")
    name = raw["name"]
    groups = _mapping(config, "groups")
    group_rows = _group(groups, raw.get("rows"), name, "rows")
    group_cols = _group(groups, raw.get("columns"), name, "columns")
    rows = _ordered(group_rows, raw.get("rowOrder"), name, "rowOrder")
    columns = _ordered(group_cols, raw.get("colOrder"), name, "colOrder")
    check_keys = raw.get("checks")
    if not isinstance(check_keys, list) or not check_keys:
        raise _fail(f"grid {name}: checks must list check keys")
    unknown = [key for key in check_keys if key not in templates]
    if unknown:
        raise _fail(f"grid {name}: unknown checks {', '.join(map(str, unknown))}")
    check_names = [templates[key]["name"] for key in check_keys]
    if len(set(check_names)) != len(check_names):
        raise _fail(f"grid {name}: two checks share a name")
    plan = GridPlan(name=name, doc={})
    for row_order, row in enumerate(rows):
        for col in _kept_columns(row, columns, group_cols, raw):
            for key in check_keys:
                if _excluded(raw.get("excludeChecks"), key, row, col):
                    continue
                ref = CheckRef(name, row, col, templates[key]["name"])
                plan.checks[ref.cell_key] = PlannedCheck(
                    ref, row_order, columns.index(col), templates[key]
                )
    plan.doc = {
        "name": name,
        "position": position,
        "rows": rows,
        "columns": columns,
        "checkNames": check_names,
        "statusLabels": _status_labels(raw.get("statusLabels"), name),
        "rowProps": {row: props.get(row, {}) for row in rows},
        "columnProps": {col: props.get(col, {}) for col in columns},
    }
    return plan


def parse_config(config: Any) -> ConfigPlan:
    """Validate a MaDDash configuration and plan its grids (pure)."""
    if not isinstance(config, Mapping):
        raise _fail("the configuration must be a mapping")
    props: dict[str, dict[str, Any]] = {}
    for member in config.get("groupMembers") or []:
        if not isinstance(member, Mapping) or not isinstance(member.get("id"), str):
            raise _fail("every groupMembers entry needs an id")
        props[member["id"]] = {k: v for k, v in member.items() if k != "id"}
    templates = _templates(config)
    raw_grids = config.get("grids") or []
    if not isinstance(raw_grids, list):
        raise _fail("grids must be a list")
    grids = [_plan_grid(raw, i, config, templates, props) for i, raw in enumerate(raw_grids)]
    reports, default_report = parse_reports(config)
    for raw, grid in zip(raw_grids, grids, strict=True):
        # The rule itself is stored with the grid: a later configuration may drop the report.
        grid.doc["report"] = grid_rule(grid.name, raw.get("report"), reports, default_report)
    names = [grid.name for grid in grids]
    if len(set(names)) != len(names):
        raise _fail("two grids share a name")
    dashboards = []
    for board in config.get("dashboards") or []:
        listed = [g.get("name") for g in board.get("grids") or [] if isinstance(g, Mapping)]
        missing = [grid for grid in listed if grid not in names]
        if missing:
            raise _fail(f"dashboard {board.get('name')}: unknown grids {missing}")
        dashboards.append({"name": str(board.get("name")), "grids": listed})
    labels = {member: str(p.get("label") or member) for member, p in props.items()}
    return ConfigPlan(grids=grids, dashboards=dashboards, labels=labels)


# ---------------------------------------------------------------- storing a configuration


def grid_items() -> list[MaddashModel]:
    """Every stored grid (active or not), in configuration order."""
    with store_access():
        items = list(MaddashModel.query(GRIDS_PK))
    return sorted(items, key=lambda item: (item.position or 0, item.sk))


def check_items(grid: str, *, active_only: bool = False) -> list[MaddashModel]:
    """Every stored check of ``grid`` (one Query), optionally the active ones only."""
    condition = (MaddashModel.active == True) if active_only else None  # noqa: E712
    with store_access():
        return list(MaddashModel.query(cells_pk(encode_name(grid)), filter_condition=condition))


def check_ref(item: MaddashModel) -> CheckRef:
    return CheckRef(item.grid, item.row, item.col, item.check)


def active_checks(grids: list[str] | None = None) -> Iterator[CheckRef]:
    """Active checks of the active grids (of ``grids`` when given): one Query per grid."""
    for grid in grid_items():
        if grid.active and (grids is None or grid.sk in grids):
            for item in check_items(grid.sk, active_only=True):
                yield check_ref(item)


def _store_grid(plan: GridPlan, counts: dict[str, int]) -> None:
    stored = {item.sk: item for item in check_items(plan.name)}
    new = []
    with store_access():
        for key, planned in plan.checks.items():
            doc = json.dumps(planned.template, sort_keys=True, default=str)
            item = stored.get(key)
            if item is None:
                new.append(
                    MaddashModel(
                        cells_pk(encode_name(plan.name)),
                        key,
                        doc=doc,
                        active=True,
                        grid=planned.ref.grid,
                        row=planned.ref.row,
                        col=planned.ref.col,
                        check=planned.ref.check,
                        row_order=planned.row_order,
                        col_order=planned.col_order,
                        result_count=0,
                    )
                )
            elif (item.active, item.row_order, item.col_order, item.doc) != (
                True,
                planned.row_order,
                planned.col_order,
                doc,
            ):
                item.update(
                    actions=[
                        MaddashModel.active.set(True),
                        MaddashModel.row_order.set(planned.row_order),
                        MaddashModel.col_order.set(planned.col_order),
                        MaddashModel.doc.set(doc),
                    ]
                )
        for key, item in stored.items():
            if key not in plan.checks and item.active:
                item.update(actions=[MaddashModel.active.set(False)])
                counts["deactivated"] += 1
        with MaddashModel.batch_write() as batch:
            for item in new:
                batch.save(item)
        MaddashModel(
            GRIDS_PK,
            plan.name,
            doc=json.dumps(plan.doc),
            active=True,
            position=plan.doc["position"],
        ).save()
    counts["added"] += len(new)
    counts["checks"] += len(plan.checks)


def _summary(plan: ConfigPlan) -> dict[str, Any]:
    rows: set[str] = set()
    cols: set[str] = set()
    names: set[str] = set()
    for grid in plan.grids:
        for planned in grid.checks.values():
            rows.add(planned.ref.row)
            cols.add(planned.ref.col)
            names.add(planned.ref.check)

    def members(ids: set[str]) -> list[dict[str, str]]:
        return [{"id": member, "name": plan.labels.get(member, member)} for member in sorted(ids)]

    return {
        "dashboards": plan.dashboards,
        "rows": members(rows),
        "columns": members(cols),
        "checks": [{"name": name} for name in sorted(names)],
    }


def load_config(config: Any) -> dict[str, int]:
    """Store a configuration's grids and checks; returns counts (grids, checks, added, …)."""
    plan = parse_config(config)
    counts = {"grids": len(plan.grids), "checks": 0, "added": 0, "deactivated": 0}
    configured = {grid.name for grid in plan.grids}
    for grid in plan.grids:
        _store_grid(plan=grid, counts=counts)
    for stale in grid_items():
        if stale.sk not in configured and stale.active:
            _store_grid(GridPlan(name=stale.sk, doc=json.loads(stale.doc)), counts)
            with store_access():
                stale.update(actions=[MaddashModel.active.set(False)])
    with store_access():
        MaddashModel(CONFIG_PK, SUMMARY_SK, doc=json.dumps(_summary(plan))).save()
    return counts


def summary() -> dict[str, Any]:
    """The loaded configuration's dashboards, rows, columns and check names."""
    with store_access():
        try:
            return json.loads(MaddashModel.get(CONFIG_PK, SUMMARY_SK).doc)
        except MaddashModel.DoesNotExist:
            return {"dashboards": [], "rows": [], "columns": [], "checks": []}
