"""How each dialect answers: its tag, error body, credentials, and the status of each refusal.

One entry per dialect; a new dialect adds its ``DialectDeclaration`` to ``DIALECTS`` (a route
that refuses unlike the rest of its dialect says so in its own ``refusals=``). The
OpenAPI document takes error shapes and security from here, and the auth matrix test
(``tests/openapi/test_auth_matrix.py``) expects exactly these statuses from every route.
Imported only when the document is built or by tests, never on a request path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

# The refusal cases of the auth matrix.
MISSING = "missing"  # no credentials at all
INVALID = "invalid"  # wrong password (Basic) or a token that does not verify
EXPIRED = "expired"  # a signed token past its expiry
REVOKED = "revoked"  # a token of a user deleted since it was issued
NOT_ADMIN = "not_admin"  # a valid non-admin on an admin route
LACKS_PERMISSION = "lacks_permission"  # a valid non-admin without the route's permission

# Credentials every protected route accepts (chalicelib/auth/identity.py).
SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "basic": {"type": "http", "scheme": "basic", "description": "HTTP Basic: username:password"},
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A token from POST /auth/token or POST /auth",
    },
    "piAuthorization": {
        "type": "apiKey",
        "in": "header",
        "name": "PI-Authorization",
        "description": "privacyIDEA's clients: the bare token from POST /auth",
    },
    "xAuthToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Auth-Token",
        "description": "Panko's clients (keystoneauth admin_token): a token from POST /auth/token",
    },
    "omkSession": {
        "type": "apiKey",
        "in": "cookie",
        "name": "omk",
        "description": "opEvents' session cookie from POST /omk/opEvents/login",
    },
}


class DialectDeclaration(NamedTuple):
    name: str
    tag: str
    description: str
    error_schema: Mapping[str, Any]
    security: tuple[str, ...]
    refusals: Mapping[str, int]
    error_types: tuple[str, ...] = ("application/json",)
    # The WWW-Authenticate challenge its 401 for missing or bad credentials carries.
    challenge: str | None = None

    def refusal(self, case: str, route_refusals: Mapping[str, int] | None = None) -> int:
        """The status answered for ``case`` (a route's own ``refusals`` first).

        A revoked token is refused as an invalid one unless declared otherwise.
        """
        refusals = {**self.refusals, **(route_refusals or {})}
        if case == REVOKED and REVOKED not in refusals:
            return refusals[INVALID]
        return refusals[case]

    def statuses(self, route_refusals: Mapping[str, int] | None = None) -> set[int]:
        """Every status this dialect (or route) refuses with."""
        return set({**self.refusals, **(route_refusals or {})}.values())


_STRING = {"type": "string"}

ADMIN_ERROR = {
    "type": "object",
    "required": ["error", "message", "request_id"],
    "properties": {
        "error": {"type": "string", "description": "the error's kind, e.g. ValidationFailed"},
        "message": _STRING,
        "request_id": _STRING,
    },
}

PANKO_FAULT = {
    "type": "object",
    "required": ["error_message"],
    "properties": {
        "error_message": {
            "type": "object",
            "required": ["faultcode", "faultstring"],
            "properties": {
                "faultcode": {"enum": ["Client", "Server"]},
                "faultstring": _STRING,
                "debuginfo": {"type": ["string", "null"]},
            },
        }
    },
}

PRIVACYIDEA_FAILURE = {
    "type": "object",
    "required": ["id", "jsonrpc", "result", "time", "version"],
    "properties": {
        "detail": {"type": "null"},
        "id": {"type": "integer"},
        "jsonrpc": {"const": "2.0"},
        "nonce": _STRING,
        "result": {
            "type": "object",
            "required": ["status", "error"],
            "properties": {
                "status": {"const": False},
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"type": "integer"}, "message": _STRING},
                },
            },
        },
        "time": {"type": "number"},
        "version": _STRING,
    },
}

OPEVENTS_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": _STRING, "success": {"const": 0}, "errorTitle": _STRING},
}

PROCESSMAKER_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"type": "integer"}, "message": _STRING},
                },
                {"type": "string", "description": "OAuth's error code (the token route)"},
            ]
        },
        "error_description": _STRING,
    },
}

DIALECTS: dict[str, DialectDeclaration] = {
    "admin": DialectDeclaration(
        name="admin",
        tag="platform",
        description="Health, users and tokens. Errors: `{error, message, request_id}`; "
        "401 carries `WWW-Authenticate: Basic`.",
        error_schema=ADMIN_ERROR,
        security=("basic", "bearer"),
        refusals={MISSING: 401, INVALID: 401, EXPIRED: 401, NOT_ADMIN: 403, LACKS_PERMISSION: 403},
        challenge='Basic realm="event-service"',
    ),
    "panko": DialectDeclaration(
        name="panko",
        tag="Panko V2",
        description="OpenStack Panko's V2 events API (JSON, or XML when asked for), plus "
        "ingest. Errors are Panko's faults; a non-admin on an admin route is refused 401 "
        "naming their project, as Panko does; one without `events_ingest` 403.",
        error_schema=PANKO_FAULT,
        security=("xAuthToken", "basic", "bearer"),
        refusals={MISSING: 401, INVALID: 401, EXPIRED: 401, NOT_ADMIN: 401, LACKS_PERMISSION: 403},
        error_types=("application/json", "application/xml"),
        challenge='Basic realm="event-service"',
    ),
    "privacyidea": DialectDeclaration(
        name="privacyidea",
        tag="privacyIDEA",
        description="privacyIDEA 3.14's event handler API in its JSON-RPC envelope. A caller "
        "with neither event-handling right is refused 401 (code 4306), one with the other "
        "right only 403 (code 303); bad credentials 401 (4031, 4033, 4304, 4305).",
        error_schema=PRIVACYIDEA_FAILURE,
        security=("piAuthorization", "bearer", "basic"),
        refusals={MISSING: 401, INVALID: 401, EXPIRED: 401, NOT_ADMIN: 401, LACKS_PERMISSION: 401},
    ),
    "opevents": DialectDeclaration(
        name="opevents",
        tag="opEvents",
        description="Opmantek opEvents' REST API and opCommon's nodes. Not authenticated: 401 "
        '`{"error": "not authenticated"}`; authenticated but not allowed: 404 (as opEvents, '
        'saying nothing of the permission); bad input 400 `{"success": 0, "error"}` '
        '(`/api/v1`: `{"error", "errorTitle"}`).',
        error_schema=OPEVENTS_ERROR,
        security=("omkSession", "basic", "bearer"),
        refusals={MISSING: 401, INVALID: 401, EXPIRED: 401, NOT_ADMIN: 404, LACKS_PERMISSION: 404},
        challenge='Basic realm="opEvents"',
    ),
    "maddash": DialectDeclaration(
        name="maddash",
        tag="MaDDash",
        description="perfSONAR MaDDash's REST API. Reads are public; `/maddash/admin/*` needs "
        'an admin: 401 with `WWW-Authenticate: Basic realm="MaDDash Administrative API"`, '
        "403 for a non-admin. Errors are plain text.",
        error_schema={"type": "string"},
        security=("basic", "bearer"),
        refusals={MISSING: 401, INVALID: 401, EXPIRED: 401, NOT_ADMIN: 403, LACKS_PERMISSION: 403},
        error_types=("text/plain",),
        challenge='Basic realm="MaDDash Administrative API"',
    ),
    "processmaker": DialectDeclaration(
        name="processmaker",
        tag="ProcessMaker",
        description="ProcessMaker 3.x's REST API in Restler's error shape: 401 "
        '`{"error": {"code": 401, "message": "Unauthorized"}}`, 403 (no `PM_FACTORY`) '
        "Restler's fixed sentence, application errors 400. The token route refuses as OAuth: "
        '`{"error", "error_description"}`.',
        error_schema=PROCESSMAKER_ERROR,
        security=("bearer", "basic"),
        refusals={MISSING: 401, INVALID: 401, EXPIRED: 401, NOT_ADMIN: 403, LACKS_PERMISSION: 403},
        challenge='Bearer realm="ProcessMaker"',
    ),
    "console": DialectDeclaration(
        name="console",
        tag="console",
        description="The operator console's static files; its data comes from the dialects' "
        "own routes with the session cookie.",
        error_schema=ADMIN_ERROR,
        security=(),
        refusals={MISSING: 401, INVALID: 401, EXPIRED: 401, NOT_ADMIN: 403, LACKS_PERMISSION: 403},
    ),
    "reference": DialectDeclaration(
        name="reference",
        tag="reference",
        description="This document and its rendered page.",
        error_schema=ADMIN_ERROR,
        security=(),
        refusals={MISSING: 401, INVALID: 401, EXPIRED: 401, NOT_ADMIN: 403, LACKS_PERMISSION: 403},
    ),
}
