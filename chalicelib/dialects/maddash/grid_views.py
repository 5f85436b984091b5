"""MaDDash's read APIs as plain values: dashboards, grids, rows, cells, checks and history.

Every answer is one or two key reads: a grid is its item plus one Query of its checks; a
check's history is one Query of its history partition, newest first. Statuses are derived on
read (``maddash_checks.effective_status``), so a window's start or end and a new result never
race over a stored status.
"""

from __future__ import annotations

import json
import math
from typing import Any

from chalicelib.dialects.maddash.checks import (
    CheckRef,
    effective_status,
    encode_name,
    status_short_name,
)
from chalicelib.dialects.maddash.grids import check_items, grid_items, summary
from chalicelib.dialects.maddash.report import grid_report
from chalicelib.errors import NotFound, ValidationFailed
from chalicelib.store.access import store_access
from chalicelib.store.maddash import GRIDS_PK, MaddashModel, cells_pk, history_pk


def grid_uri(grid: str) -> str:
    return f"/maddash/grids/{encode_name(grid)}"


def dashboards() -> dict[str, Any]:
    boards = summary()["dashboards"]
    return {
        "dashboards": [
            {
                "name": board["name"],
                "grids": [{"name": name, "uri": grid_uri(name)} for name in board["grids"]],
            }
            for board in boards
        ]
    }


def grids() -> dict[str, Any]:
    return {
        "grids": [
            {"name": item.sk, "uri": grid_uri(item.sk)} for item in grid_items() if item.active
        ]
    }


def members(kind: str) -> dict[str, Any]:
    """``/maddash/rows``, ``/maddash/columns`` or ``/maddash/checks``."""
    return {kind: summary()[kind]}


def _grid_doc(grid: str) -> dict[str, Any]:
    with store_access():
        try:
            item = MaddashModel.get(GRIDS_PK, grid)
        except MaddashModel.DoesNotExist:
            item = None
    if item is None or not item.active:
        raise NotFound(f"Unable to find grid with name {grid}")
    return json.loads(item.doc)


def _cell_entry(item: MaddashModel) -> dict[str, Any]:
    ref = CheckRef(item.grid, item.row, item.col, item.check)
    return {
        "message": item.message or "",
        "status": effective_status(item.result_status, item.maintenance),
        "prevCheckTime": int(item.prev_check_time or 0),
        "uri": ref.uri,
    }


def _label(member: str, props: dict[str, Any]) -> str:
    """A row or column as MaDDash shows it: its ``label`` from groupMembers, else its id."""
    label = props.get("label")
    return member if label is None else str(label)


def _props(props: dict[str, Any]) -> dict[str, Any]:
    """A member's properties as MaDDash sends them: every key lower-cased."""
    return {str(key).lower(): value for key, value in props.items()}


def grid(name: str) -> dict[str, Any]:
    """The full grid as MaDDash's ``DBMesh`` builds it, with Madalert's report.

    Rows and columns are those holding active checks, in ``rowOrder``/``colOrder``, named by
    their labels (a row's ``uri`` keeps its id); check names are sorted, and each cell lists
    its checks in that order (``null`` for a check the cell lacks).
    """
    doc = _grid_doc(name)
    items = sorted(
        check_items(name, active_only=True),
        key=lambda item: (int(item.row_order or 0), int(item.col_order or 0), item.check),
    )
    cells: dict[tuple[str, str], dict[str, MaddashModel]] = {}
    rows: list[str] = []
    columns: dict[int, str] = {}
    last_update: int | None = None
    for item in items:
        if not rows or rows[-1] != item.row:  # sorted by row order: a row's checks are together
            rows.append(item.row)
        columns[int(item.col_order or 0)] = item.col
        cells.setdefault((item.row, item.col), {})[item.check] = item
        prev = int(item.prev_check_time or 0)
        last_update = prev if last_update is None else max(last_update, prev)
    cols = [columns[order] for order in sorted(columns)]
    check_names = sorted({item.check for item in items})
    row_props, col_props = doc["rowProps"], doc["columnProps"]
    matrix = [
        [
            None
            if (row, col) not in cells
            else [
                _cell_entry(cells[row, col][check]) if check in cells[row, col] else None
                for check in check_names
            ]
            for col in cols
        ]
        for row in rows
    ]
    document = {
        "name": doc["name"],
        "statusLabels": doc["statusLabels"],
        "lastUpdateTime": last_update,
        "columnNames": [_label(col, col_props.get(col, {})) for col in cols],
        "columnProps": [_props(col_props.get(col, {})) for col in cols],
        "columnIds": cols,  # beyond MaDDash: the ids its filters and check URIs name
        "checkNames": check_names,
        "grid": matrix,
        "rows": [
            {
                "id": row,  # beyond MaDDash, as columnIds
                "name": _label(row, row_props.get(row, {})),
                "uri": f"{grid_uri(name)}/{encode_name(row)}",
                "props": _props(row_props.get(row, {})),
            }
            for row in rows
        ],
    }
    document["report"] = grid_report(document, doc.get("report"))
    return document


def report(grid_name: Any, json_url: Any = None) -> dict[str, Any]:
    """``GET /maddash/report?grid=``: the grid's report alone (MaDDash's texts for a bad query;
    a remote ``json`` grid is not fetched)."""
    if json_url is not None and grid_name is not None:
        raise ValidationFailed("You cannot specify both json and grid", field="grid")
    if json_url is not None:
        raise ValidationFailed("Reports on a remote grid (json) are not served", field="json")
    if grid_name is None:
        raise ValidationFailed(
            "Must specify one of 'json' or 'grid' in parameters list", field="grid"
        )
    return grid(grid_name)["report"]


def _active_under(grid_name: str, prefix: str) -> list[MaddashModel]:
    """Active checks of one grid whose key starts with ``prefix`` (a row, or a row and column)."""
    with store_access():
        return list(
            MaddashModel.query(
                cells_pk(encode_name(grid_name)),
                MaddashModel.sk.startswith(prefix),
                filter_condition=MaddashModel.active == True,  # noqa: E712
            )
        )


def row(grid_name: str, row_name: str) -> dict[str, Any]:
    """``{"cells": [{name, uri}]}``: the row's columns that hold active checks."""
    doc = _grid_doc(grid_name)
    used = {item.col for item in _active_under(grid_name, f"{encode_name(row_name)}/")}
    if not used:
        raise NotFound("Row resource not found")
    base = f"{grid_uri(grid_name)}/{encode_name(row_name)}"
    return {
        "cells": [
            {"name": col, "uri": f"{base}/{encode_name(col)}"}
            for col in doc["columns"]
            if col in used
        ]
    }


def cell(grid_name: str, row_name: str, col_name: str) -> dict[str, Any]:
    """``{"checks": [{name, uri}]}`` of one cell."""
    items = _active_under(grid_name, f"{encode_name(row_name)}/{encode_name(col_name)}/")
    if not items:
        raise NotFound("Cell resource not found")
    items.sort(key=lambda item: item.check)  # as the grid's cells list them
    return {
        "checks": [
            {"name": item.check, "uri": CheckRef(item.grid, item.row, item.col, item.check).uri}
            for item in items
        ]
    }


def check_item(ref: CheckRef) -> MaddashModel:
    """The stored active check ``ref``; ``NotFound`` (MaDDash's text) otherwise."""
    with store_access():
        try:
            item = MaddashModel.get(cells_pk(encode_name(ref.grid)), ref.cell_key)
        except MaddashModel.DoesNotExist:
            item = None
    if item is None or not item.active:
        raise NotFound("Check resource not found")
    return item


def _page_number(value: Any, default: int, name: str) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(f"{name} must be an integer", field=name) from exc


def check(ref: CheckRef, results_per_page: Any = None, page: Any = None) -> dict[str, Any]:
    """One check with its status, template and a page of history (newest first)."""
    per = _page_number(results_per_page, 10, "resultsPerPage")
    number = _page_number(page, 0, "page")
    if per <= 0:
        raise ValidationFailed(
            "numResults parameter must be greater than 0", field="resultsPerPage"
        )
    if number < 0:
        raise ValidationFailed(
            "The page parameter must be greater than or equal to 0", field="page"
        )
    item = check_item(ref)
    template = json.loads(item.doc or "{}")
    with store_access():
        recent = list(
            MaddashModel.query(
                history_pk(ref.ref), scan_index_forward=False, limit=per * (number + 1)
            )
        )
    history = [
        {
            "time": int(entry.time),
            "returnCode": int(entry.status),
            "message": entry.message or "",
            "returnParams": json.loads(entry.doc or "{}"),
            "returnCodeCount": int(entry.return_code_count or 1),
            "status": int(entry.status),
        }
        for entry in recent[per * number :]
    ]
    status = effective_status(item.result_status, item.maintenance)
    # MaDDash reports on the whole grid beside each check (its row's and column's sites).
    document = grid(ref.grid)
    sites = document["report"]["sites"]
    names = {row["id"]: row["name"] for row in document["rows"]}
    names |= dict(zip(document["columnIds"], document["columnNames"], strict=True))
    interval = template.get("checkInterval")
    prev = int(item.prev_check_time or 0)
    planned = item.next_check_time
    return {
        "gridName": ref.grid,
        "rowName": ref.row,
        "colName": ref.col,
        "checkName": ref.check,
        "description": template.get("description") or "",
        "prevCheckTime": prev,
        "nextCheckTime": int(planned)
        if planned is not None
        else (prev + int(interval) if prev and isinstance(interval, int) else 0),
        "status": status,
        "returnCode": effective_status(item.result_status, None),
        "message": item.message or "",
        "returnCodeCount": int(item.return_code_count or 0),
        "type": template.get("type"),
        "params": template.get("params"),
        "checkInterval": template.get("checkInterval"),
        "retryInterval": template.get("retryInterval"),
        "retryAttempts": template.get("retryAttempts"),
        "statusShortName": status_short_name(status),
        "historyPageCount": math.ceil(int(item.result_count or 0) / per),
        "historyResultPerPage": per,
        "history": history,
        "globalReport": document["report"]["global"],
        "rowReport": sites.get(names.get(ref.row, ref.row)),
        "colReport": sites.get(names.get(ref.col, ref.col)),
    }
