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


def grid(name: str) -> dict[str, Any]:
    """The full grid: rows, columns, check names and the ``grid[row][col][check]`` matrix."""
    doc = _grid_doc(name)
    cells: dict[tuple[str, str], dict[str, MaddashModel]] = {}
    last_update = 0
    for item in check_items(name, active_only=True):
        cells.setdefault((item.row, item.col), {})[item.check] = item
        last_update = max(last_update, int(item.prev_check_time or 0))
    matrix = []
    for row in doc["rows"]:
        line = []
        for col in doc["columns"]:
            checks = cells.get((row, col))
            line.append(
                None
                if not checks
                else [
                    _cell_entry(checks[check]) if check in checks else None
                    for check in doc["checkNames"]
                ]
            )
        matrix.append(line)
    return {
        "name": doc["name"],
        "statusLabels": doc["statusLabels"],
        "lastUpdateTime": last_update,
        "rows": [
            {
                "name": row,
                "uri": f"{grid_uri(name)}/{encode_name(row)}",
                "props": doc["rowProps"][row],
            }
            for row in doc["rows"]
        ],
        "columnNames": doc["columns"],
        "columnProps": [doc["columnProps"][col] for col in doc["columns"]],
        "checkNames": doc["checkNames"],
        "grid": matrix,
        "report": [],
    }


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
    order = {name: i for i, name in enumerate(_grid_doc(grid_name)["checkNames"])}
    items.sort(key=lambda item: order.get(item.check, len(order)))
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
    interval = template.get("checkInterval")
    prev = int(item.prev_check_time or 0)
    return {
        "gridName": ref.grid,
        "rowName": ref.row,
        "colName": ref.col,
        "checkName": ref.check,
        "description": template.get("description") or "",
        "prevCheckTime": prev,
        "nextCheckTime": prev + int(interval) if prev and isinstance(interval, int) else 0,
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
    }
