"""The OpenAPI 3.1 document, built from ``app.routes`` and each route's declaration.

Built once per container, on the first ``GET /openapi.json``: paths and methods come from
Chalice's route table (``{name}`` path parameters as they are), the rest from
``declare.route`` declarations and ``dialects.DIALECTS``. Every protected operation lists its
dialect's credentials and refusals (401/403 with the dialect's error body); every operation
has a ``default`` response in its dialect's error shape.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from chalicelib.openapi import declare
from chalicelib.openapi.dialects import DIALECTS, SECURITY_SCHEMES, DialectDeclaration
from chalicelib.openapi.schemas import QUERIES, SCHEMAS

OPENAPI_VERSION = "3.1.0"
TITLE = "event-service"
VERSION = "1.0"
_PATH_PARAMETER = re.compile(r"{([^}+]+)\+?}")
_REFUSALS = {
    401: "Refused: no, wrong or expired credentials",
    403: "Refused: the caller lacks the role or permission",
}


class UndeclaredRoute(LookupError):
    """A Chalice route without ``@declare.route`` (or naming an unknown dialect)."""


def iter_routes(app: Any) -> Iterator[tuple[str, str, Any, declare.RouteDeclaration | None]]:
    """(path, method, route entry, declaration) for every route Chalice serves."""
    for path, methods in sorted(app.routes.items()):
        for method, entry in sorted(methods.items()):
            yield path, method, entry, declare.declaration_of(entry.view_function)


def _schema(spec: Any) -> dict[str, Any]:
    if isinstance(spec, str):
        return {"$ref": f"#/components/schemas/{spec}"}
    return dict(spec)


def _content(types: tuple[str, ...], schema: dict[str, Any] | None) -> dict[str, Any]:
    return {kind: ({"schema": schema} if schema is not None else {}) for kind in types}


def _response(spec: declare.ResponseSpec, types: tuple[str, ...]) -> dict[str, Any]:
    if isinstance(spec, str):
        return {"description": spec}
    description, schema = spec
    return {"description": description, "content": _content(types, _schema(schema))}


def _error_ref(dialect: DialectDeclaration) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{_error_name(dialect)}"}


def _error_name(dialect: DialectDeclaration) -> str:
    return f"{dialect.name.capitalize()}Error"


def _parameters(path: str, declaration: declare.RouteDeclaration) -> list[dict[str, Any]]:
    found = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PATH_PARAMETER.findall(path)
    ]
    query = declaration.query or {}
    for name, schema in (QUERIES[query] if isinstance(query, str) else query).items():
        found.append({"name": name, "in": "query", "required": False, "schema": dict(schema)})
    return found


def _operation(
    path: str, method: str, entry: Any, declaration: declare.RouteDeclaration, operation_id: str
) -> dict[str, Any]:
    dialect = DIALECTS.get(declaration.dialect)
    if dialect is None:
        raise UndeclaredRoute(f"{method} {path}: unknown dialect {declaration.dialect!r}")
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": declaration.summary,
        "tags": [dialect.tag],
        "x-access": declaration.access,
    }
    if entry.view_function.__doc__:
        operation["description"] = " ".join(entry.view_function.__doc__.split())
    parameters = _parameters(path, declaration)
    if parameters:
        operation["parameters"] = parameters
    if declaration.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": _content(declaration.body_types, _schema(declaration.body)),
        }
    responses = {
        str(status): _response(spec, declaration.response_types)
        for status, spec in (declaration.responses or {}).items()
    }
    error = _content(dialect.error_types, _error_ref(dialect))
    if declaration.access == declare.PUBLIC:
        operation["security"] = []
    else:
        operation["security"] = [{name: []} for name in dialect.security]
        for status in sorted(dialect.statuses(declaration.refusals)):
            refusal: dict[str, Any] = {
                "description": _REFUSALS.get(status, "Refused"),
                "content": error,
            }
            if status == 401 and dialect.challenge:
                refusal["headers"] = {
                    "WWW-Authenticate": {
                        "description": f"`{dialect.challenge}`",
                        "schema": {"type": "string"},
                    }
                }
            responses.setdefault(str(status), refusal)
    responses["default"] = {"description": f"An error in {dialect.tag}'s shape", "content": error}
    operation["responses"] = responses
    return operation


def _view_id(entry: Any, declaration: declare.RouteDeclaration | None) -> str:
    """``<dialect>_<view>``: dialects reuse view names (``token``, ``get_event``)."""
    return f"{declaration.dialect if declaration else 'undeclared'}_{entry.view_name}"


def build_document(app: Any) -> dict[str, Any]:
    """The whole document; ``UndeclaredRoute`` when a route has no declaration."""
    paths: dict[str, dict[str, Any]] = {}
    used: dict[str, DialectDeclaration] = {}
    views = Counter(_view_id(entry, d) for _, _, entry, d in iter_routes(app))
    for path, method, entry, declaration in iter_routes(app):
        if declaration is None:
            raise UndeclaredRoute(f"{method} {path} has no @declare.route declaration")
        if not declaration.listed:
            continue
        # One view may serve several methods (a 405 responder): then one id per method.
        operation_id = _view_id(entry, declaration)
        if views[operation_id] > 1:
            operation_id = f"{operation_id}_{method.lower()}"
        paths.setdefault(path, {})[method.lower()] = _operation(
            path, method, entry, declaration, operation_id
        )
        used[declaration.dialect] = DIALECTS[declaration.dialect]
    schemas = dict(SCHEMAS)
    schemas.update({_error_name(d): dict(d.error_schema) for d in used.values()})
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "One serverless backend that speaks several event APIs over one "
            "event store. Each tag is a dialect; each answers errors in its own shape.",
        },
        "tags": [{"name": d.tag, "description": d.description} for d in used.values()],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": dict(SECURITY_SCHEMES)},
    }


_cached: dict[int, Mapping[str, Any]] = {}


def document_for(app: Any) -> Mapping[str, Any]:
    """The document of ``app``, built on first use and kept for the container's life."""
    key = id(app)
    if key not in _cached:
        _cached[key] = build_document(app)
    return _cached[key]
