"""Panko V2 request arguments: WSME's parsing of ``q``, ``limit``, ``sort``, ``marker``; checks.

Arguments come from the query string (``q.field/q.op/q.type/q.value`` zipped by position,
repeated ``sort``) or from a body on GET (JSON, or XML parsed with defusedxml). Every refusal
carries Panko's faultstring; the checks run in Panko's order: argument parsing, then each
``q`` in turn, then ``limit``, then ``sort``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.core.events import (
    OPERATORS,
    SORT_DIRECTIONS,
    SORT_KEYS,
    EventQuery,
    TraitFilter,
    Visibility,
)
from chalicelib.core.model import parse_timestamp
from chalicelib.dialects.panko.wire import Fault
from chalicelib.errors import ValidationFailed

QUERY_ATTRIBUTES = ("field", "op", "type", "value")
LIST_ARGUMENTS = ("q", "limit", "sort", "marker")
FILTER_TYPES = ("integer", "float", "string", "datetime")
DEFAULT_SORT_DIRECTION = "asc"
JSON_BODY_TYPES = ("application/json", "text/javascript", "application/javascript")
XML_BODY_TYPES = ("application/xml", "text/xml")
FORM_TYPE = "application/x-www-form-urlencoded"
TRUE_STRINGS = ("1", "t", "true", "on", "y", "yes")  # oslo strutils.bool_from_string
SORT_HELP = (
    "the sort parameter should be a pair of sort key and sort dir combined with ':', or only "
    "sort key specified and sort dir will be default 'asc', the supported "
)


def invalid_input(name: str, value: Any, reason: str) -> ValidationFailed:
    """WSME's ``InvalidInput`` text."""
    return ValidationFailed(
        f"Invalid input for field/attribute {name}. Value: '{value}'. {reason}", field=name
    )


def unknown_argument(names: Iterable[str]) -> ValidationFailed:
    return ValidationFailed(f'Unknown argument: "{", ".join(sorted(names))}"', field="query")


@dataclass
class Arguments:
    """Arguments as given, before Panko's checks; None when absent."""

    q: list[dict[str, Any]] | None = None
    limit: int | None = None
    sort: list[str] | None = None
    marker: str | None = None
    given: set[str] = field(default_factory=set)


# ---------------------------------------------------------------- parsing


def _to_int(value: Any, name: str, *, from_body: bool) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        if isinstance(value, bool | float | list | dict):
            raise ValueError(f"invalid literal for int() with base 10: {value!r}")
        text = str(value).strip()
        if len(text) > 20:  # int() of thousands of digits is slow work for a refusal
            raise ValueError(f"invalid literal for int() with base 10: {text[:20]!r}...")
        return int(text)
    except (TypeError, ValueError) as exc:
        # Panko lets this ValueError escape as a 500; a 400 with the same text is kinder.
        if from_body:
            raise invalid_input(name, value, str(exc)) from exc
        raise ValidationFailed(str(exc), field=name) from exc


def _from_query_string(params: Mapping[str, list[str]]) -> dict[str, Any]:
    unknown = [name for name in params if name not in LIST_ARGUMENTS[1:] and not _is_q_path(name)]
    if unknown:
        raise unknown_argument(unknown)
    found: dict[str, Any] = {}
    if any(_is_q_path(name) for name in params):
        queries: list[dict[str, Any]] = []
        for attribute in QUERY_ATTRIBUTES:
            for index, value in enumerate(params.get(f"q.{attribute}", [])):
                while len(queries) <= index:
                    queries.append({})
                queries[index][attribute] = value
        found["q"] = queries
    if "limit" in params:
        found["limit"] = _to_int(params["limit"][-1], "limit", from_body=False)
    if "sort" in params:
        found["sort"] = list(params["sort"])
    if "marker" in params:
        found["marker"] = params["marker"][-1]
    return found


def _is_q_path(name: str) -> bool:
    return name.startswith("q.") and name[2:] in QUERY_ATTRIBUTES


def _text(value: Any, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    raise invalid_input(name, value, "Wrong type. Expected 'text'")


def _from_mapping(data: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments from a decoded body (a JSON object or the XML equivalent)."""
    unknown = [name for name in data if name not in LIST_ARGUMENTS]
    if unknown:
        raise unknown_argument(unknown)
    found: dict[str, Any] = {}
    if data.get("q") is not None:
        if not isinstance(data["q"], list):
            raise invalid_input("q", data["q"], f"Value not a valid list: {data['q']}")
        queries = []
        for item in data["q"]:
            if not isinstance(item, dict):
                raise invalid_input("q", item, "Value should be an object")
            extra = [key for key in item if key not in QUERY_ATTRIBUTES]
            if extra:
                raise ValidationFailed(
                    f"Unknown attribute{'s' if len(extra) > 1 else ''} for argument q: "
                    + ", ".join(extra),
                    field="q",
                )
            if item.get("value") is None:
                raise invalid_input("value", None, "Mandatory field missing.")
            queries.append({key: _text(item.get(key), key) for key in item})
        found["q"] = queries
    if data.get("limit") is not None:
        found["limit"] = _to_int(data["limit"], "limit", from_body=True)
    if data.get("sort") is not None:
        sort = data["sort"]
        if not isinstance(sort, list):
            raise invalid_input("sort", sort, f"Value not a valid list: {sort}")
        found["sort"] = [_text(item, "sort") or "" for item in sort]
    if data.get("marker") is not None:
        found["marker"] = _text(data["marker"], "marker")
    return found


def _xml_arguments(body: bytes) -> dict[str, Any]:
    from defusedxml import ElementTree as SafeElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = SafeElementTree.fromstring(body)
    except (SafeElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise ValidationFailed("Request is not in valid XML format", cause=exc) from exc
    data: dict[str, Any] = {}
    for child in root:
        if child.tag == "q":
            data["q"] = [{attr.tag: attr.text or "" for attr in item} for item in child]
        elif child.tag == "sort":
            data["sort"] = [item.text or "" for item in child]
        else:
            data[child.tag] = child.text or ""
    return data


def _from_body(body: bytes, content_type: str | None) -> dict[str, Any]:
    if not body.strip():
        return {}
    mimetype = (content_type or "").split(";", 1)[0].strip().lower()
    if mimetype == FORM_TYPE:
        return {}
    if mimetype in JSON_BODY_TYPES:
        from chalicelib.dialects.common import decode_json

        data = decode_json(body, "Request is not in valid JSON format")
        if not isinstance(data, dict):
            raise ValidationFailed("Request must be a JSON dict")
        return _from_mapping(data)
    if mimetype in XML_BODY_TYPES:
        return _from_mapping(_xml_arguments(body))
    raise Fault(f"Unknown mimetype: {mimetype}", 415)


def collect_arguments(
    params: Mapping[str, list[str]] | None,
    body: bytes,
    content_type: str | None,
    allowed: tuple[str, ...] = LIST_ARGUMENTS,
) -> Arguments:
    """WSME's argument parsing: query string and body, each argument given at most once.

    ``allowed`` narrows the arguments a route takes (``()`` for routes that take none).
    """
    params = params or {}
    from_params = _from_query_string(params)
    from_body = _from_body(body, content_type)
    for name in from_body:
        if name in from_params:
            raise ValidationFailed(f"Parameter {name} was given several times", field=name)
    merged = {**from_params, **from_body}
    not_taken = [name for name in merged if name not in allowed]
    if not_taken:
        raise unknown_argument(
            [name for name in params if name.split(".", 1)[0] in not_taken] or not_taken
        )
    return Arguments(given=set(merged), **merged)


# ---------------------------------------------------------------- Panko's checks


def convert_filter_value(value: str, trait_type: str) -> Any:
    """``EventQuery._get_value_as_type``: the filter value as a trait of ``trait_type``."""
    if trait_type not in FILTER_TYPES:
        raise ValidationFailed(
            f"The data type {trait_type} is not supported. The supported data type list is: "
            f"{list(FILTER_TYPES)}",
            field="q",
        )
    try:
        if trait_type == "integer":
            return int(value)
        if trait_type == "float":
            number = float(value)
            if not math.isfinite(number):  # DynamoDB stores no NaN or infinity
                raise ValueError(value)
            return number
        if trait_type == "datetime":
            return parse_timestamp(value)
        return str(value)
    except ValueError as exc:
        raise ValidationFailed(
            f"Unable to convert the value {value} to the expected data type {trait_type}.",
            field="q",
            cause=exc,
        ) from exc
    except Exception as exc:
        raise ValidationFailed(
            f"Unexpected exception converting {value} to the expected data type {trait_type}.",
            field="q",
            cause=exc,
        ) from exc


def _only_operator(op: str, allowed: str, field_name: str) -> ValidationFailed:
    return ValidationFailed(
        f"Operator {op} is not supported. Only `{allowed}' operator is available for field "
        f"{field_name}",
        field="q",
    )


def _timestamp(value: str, name: str) -> datetime:
    try:
        return parse_timestamp(value)
    except (TypeError, ValueError) as exc:
        # Panko answers 500 with the parser's message; a bad timestamp is the caller's error.
        raise invalid_input(name, value, "Not an ISO 8601 timestamp.") from exc


# Past this a limit is not a page size but a mistake (or a probe): refused, not capped.
LIMIT_CEILING = 2**31 - 1


def _check_limit(limit: int | None, default_limit: int, max_limit: int | None = None) -> int:
    if limit and limit <= 0:
        raise invalid_input("limit", limit, "the limit should be a positive integer.")
    if limit and limit > LIMIT_CEILING:
        raise invalid_input("limit", limit, f"the limit should be at most {LIMIT_CEILING}.")
    chosen = limit or default_limit  # limit=0 means the default, as in Panko
    # As Gnocchi's max_limit: a larger page is answered with at most max_limit events.
    return min(chosen, max_limit) if max_limit else chosen


def _check_sort(sort: list[str] | None) -> tuple[tuple[str, str], ...]:
    if not sort:
        return ()
    checked = []
    for given in sort:
        key, _, direction = given.partition(":")
        if key not in SORT_KEYS:
            raise invalid_input("sort", given, f"{SORT_HELP}sort keys are: {SORT_KEYS}")
        if direction and direction not in SORT_DIRECTIONS:
            raise invalid_input(
                "sort direction", given, f"{SORT_HELP}sort directions are: {SORT_DIRECTIONS}"
            )
        checked.append((key, direction or DEFAULT_SORT_DIRECTION))
    return tuple(checked)


def event_query(
    args: Arguments,
    *,
    visibility: Visibility,
    admin: bool,
    default_limit: int,
    max_limit: int | None = None,
) -> EventQuery:
    """``_event_query_to_event_filter`` and ``set_pagination_options``: the store's query.

    ``visibility`` is the caller's; an admin's ``all_tenants`` true lifts it (for anyone else
    ``all_tenants`` is an ordinary trait filter, as in Panko).
    """
    special: dict[str, str] = {}
    everything = False
    traits: list[TraitFilter] = []
    for query in args.q or ():
        op = query.get("op") or "eq"
        field_name = query.get("field")
        value = query.get("value")
        if op not in OPERATORS:
            raise ValidationFailed(
                f"Operator {op} is not supported. The supported operators are: {OPERATORS}",
                field="q",
            )
        if value is None:
            raise invalid_input("value", None, "Mandatory field missing.")
        if not field_name:  # an empty field names no trait (and no store path): a client fault
            raise invalid_input("field", field_name, "Mandatory field missing.")
        if field_name in ("event_type", "message_id") and op != "eq":
            raise _only_operator(op, "eq", field_name)
        if field_name == "start_timestamp" and op != "ge":
            raise _only_operator(op, "ge", field_name)
        if field_name == "end_timestamp" and op != "le":
            raise _only_operator(op, "le", field_name)
        if field_name in ("event_type", "message_id", "start_timestamp", "end_timestamp"):
            special[field_name] = value  # the last one wins, as in Panko
        elif field_name == "all_tenants" and admin:
            everything = value.strip().lower() in TRUE_STRINGS
        else:
            trait_type = query.get("type") or "string"
            converted = convert_filter_value(value, trait_type)
            traits.append(TraitFilter(field_name, trait_type, op, converted))
    limit = _check_limit(args.limit, default_limit, max_limit)
    sort = _check_sort(args.sort)
    start = special.get("start_timestamp")
    end = special.get("end_timestamp")
    if everything:
        visibility = Visibility.all()
    options: dict[str, Any] = {"sort": sort} if sort else {}
    return EventQuery(
        event_type=special.get("event_type") or None,
        message_id=special.get("message_id") or None,
        start=_timestamp(start, "start_timestamp") if start else None,
        end=_timestamp(end, "end_timestamp") if end else None,
        traits=tuple(traits),
        visibility=visibility,
        limit=limit,
        marker=args.marker or None,
        **options,
    )
