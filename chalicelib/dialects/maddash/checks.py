"""MaDDash checks as values: names and URIs, status codes, and the events API's check filters.

Pure functions: no store, no Chalice. A check is named by (grid, row, column, check); its
*ref* is the four names form-encoded as Java's ``URLEncoder`` does (space as ``+``, ``/`` as
``%2F``) and joined by ``/``, which is also the tail of its URI ``/maddash/grids/<ref>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from chalicelib.errors import ValidationFailed

OK, WARNING, CRITICAL, UNKNOWN, NOT_RUN, MAINTENANCE = range(6)
STATUS_SHORT_NAMES = ("OK", "WARNING", "CRITICAL", "UNKNOWN", "NOT RUN", "MAINTENANCE")
FILTER_KEYS = ("gridName", "rowName", "columnName", "checkName", "dimensionName")
WILDCARD = "*"


def encode_name(name: str) -> str:
    """One URI segment as MaDDash writes it (Java ``URLEncoder.encode(name, "UTF-8")``)."""
    return quote_plus(name, safe="*")


def decode_name(segment: str) -> str:
    """A path segment as MaDDash reads it (form decoding: ``+`` is a space)."""
    return unquote_plus(segment)


def status_short_name(status: int) -> str:
    return STATUS_SHORT_NAMES[status] if 0 <= status < len(STATUS_SHORT_NAMES) else "CUSTOM"


def effective_status(result_status: float | None, maintenance_tokens: Iterable[str] | None) -> int:
    """MAINTENANCE while a window holds the check, else its last result, else NOT RUN."""
    if maintenance_tokens:
        return MAINTENANCE
    return NOT_RUN if result_status is None else int(result_status)


@dataclass(frozen=True, order=True)
class CheckRef:
    """One check of one cell of one grid."""

    grid: str
    row: str
    col: str
    check: str

    @property
    def ref(self) -> str:
        return "/".join(encode_name(part) for part in (self.grid, self.row, self.col, self.check))

    @property
    def cell_key(self) -> str:
        """The check's key within its grid's partition."""
        return "/".join(encode_name(part) for part in (self.row, self.col, self.check))

    @property
    def uri(self) -> str:
        return f"/maddash/grids/{self.ref}"

    @classmethod
    def from_ref(cls, ref: str) -> CheckRef:
        grid, row, col, check = (decode_name(part) for part in ref.split("/"))
        return cls(grid, row, col, check)


# ---------------------------------------------------------------- the events API's filters

Filters = dict[str, tuple[str, ...]]


def _json_type(value: Any) -> str:
    """The name Java's JSON-P gives a value's type, as MaDDash's messages show it."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return "NUMBER"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, list):
        return "ARRAY"
    return "OBJECT"


def parse_filters(body: Mapping[str, Any], field: str = "checkFilters") -> Filters:
    """``checkFilters`` normalised: key → allowed values; absent, null or ``*`` → no key.

    MaDDash's messages for a missing, null or mistyped filter; an empty array (which breaks
    MaDDash's SQL) is refused too.
    """
    if field not in body:
        raise ValidationFailed(f"Missing required field {field}", field=field)
    raw = body[field]
    if raw is None:
        raise ValidationFailed(f"Field {field} cannot be null", field=field)
    if not isinstance(raw, dict):
        raise ValidationFailed(f"Invalid type for field {field}: {_json_type(raw)}", field=field)
    filters: Filters = {}
    for key in FILTER_KEYS:
        value = raw.get(key)
        if value is None or value == WILDCARD:
            continue
        if isinstance(value, str):
            filters[key] = (value,)
            continue
        if not isinstance(value, list):
            raise ValidationFailed(
                f"Invalid type for filter {key}: {_json_type(value)}", field=field
            )
        if not value:
            raise ValidationFailed(f"Filter {key} cannot be an empty array", field=field)
        for item in value:
            if not isinstance(item, str):
                raise ValidationFailed(
                    f"Invalid type for filter {key}: {_json_type(item)}", field=field
                )
        if WILDCARD not in value:
            filters[key] = tuple(dict.fromkeys(value))
    return filters


def query_filters(params: Mapping[str, list[str]]) -> Filters:
    """``GET /maddash/events`` filters from repeatable query parameters (exact matches)."""
    return {key: tuple(params[key]) for key in FILTER_KEYS if params.get(key)}


def matches(check: CheckRef, filters: Filters) -> bool:
    """Values OR'ed within a key, keys AND'ed; a dimension is the row or the column."""
    for key, values in filters.items():
        if key == "gridName" and check.grid not in values:
            return False
        if key == "rowName" and check.row not in values:
            return False
        if key == "columnName" and check.col not in values:
            return False
        if key == "checkName" and check.check not in values:
            return False
        if key == "dimensionName" and check.row not in values and check.col not in values:
            return False
    return True
