"""One declaration per route, shared by the code, the OpenAPI document, the auth matrix and bench.

Put ``@declare.route(...)`` directly under ``@bp.route(...)``::

    @bp.route("/admin/users", methods=["GET"])
    @declare.route("admin", "List users", access=declare.ADMIN,
                   responses={200: ("Users", "UserList")})
    @admin_errors
    def list_users(): ...

A schema given as a string names one in ``chalicelib.openapi.schemas.SCHEMAS``.

The decorator only stores a small tuple on the view function: importing a dialect costs
nothing more. ``chalicelib.openapi.document`` reads it back from ``app.routes`` when
``/openapi.json`` is asked for; ``chalicelib.openapi.dialects`` says how each dialect refuses.

``access`` is one of ``public``, ``authenticated``, ``admin`` or ``permission:<name>``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

PUBLIC = "public"
AUTHENTICATED = "authenticated"
ADMIN = "admin"
PERMISSION_PREFIX = "permission:"
ATTRIBUTE = "__api_route__"

JSON = "application/json"
JSON_OR_XML = (JSON, "application/xml")

# A response: a description, or (description, JSON schema of the body).
ResponseSpec = str | tuple[str, Mapping[str, Any]]


def permission(name: str) -> str:
    """The ``access`` of a route that needs ``name`` (admins hold every permission)."""
    return PERMISSION_PREFIX + name


class RouteDeclaration(NamedTuple):
    """What a route is, who may call it, what it takes and what it answers."""

    dialect: str
    summary: str
    access: str = AUTHENTICATED
    body: Mapping[str, Any] | None = None  # JSON schema of the request body
    body_types: tuple[str, ...] = (JSON,)
    # Query parameters: {name: JSON schema}, or the name of a set in schemas.QUERIES.
    query: Mapping[str, Mapping[str, Any]] | str | None = None
    responses: Mapping[int, ResponseSpec] | None = None
    # Values for path parameters and a body that would succeed for an allowed caller, used by
    # the auth matrix and bench (a refused call with a valid body must still write nothing).
    sample_path: Mapping[str, str] | None = None
    sample_body: Any = None
    path_suffix: str = ""  # e.g. "/" where the dialect redirects the bare path
    response_types: tuple[str, ...] = (JSON,)
    # Where this route refuses unlike the rest of its dialect: {case: status} (see dialects).
    refusals: Mapping[str, int] | None = None
    # False: served, but not an operation of the document (a dialect's catch-all 404).
    listed: bool = True

    @property
    def required_permission(self) -> str | None:
        if self.access.startswith(PERMISSION_PREFIX):
            return self.access.removeprefix(PERMISSION_PREFIX)
        return None


def route(dialect: str, summary: str, **fields: Any) -> Callable[[Callable], Callable]:
    """Declare the route below (see the module docstring); returns the view unchanged."""
    for name in ("body_types", "response_types"):
        if name in fields:
            fields[name] = tuple(fields[name])
    declaration = RouteDeclaration(dialect, summary, **fields)

    def attach(view: Callable) -> Callable:
        setattr(view, ATTRIBUTE, declaration)
        return view

    return attach


def declaration_of(view: Callable) -> RouteDeclaration | None:
    return getattr(view, ATTRIBUTE, None)
