"""Every route by every kind of caller → the status its dialect's refusal declaration names.

Generated from Chalice's route table and the route declarations, so a new route is in the
matrix the moment it is registered. Columns: no credentials, a wrong password, a valid
non-admin without the route's permission, a valid principal with it, an expired token, a
revoked token (of an admin whose tokens were revoked since), an admin; for ProcessMaker's routes,
also the workspace (members of the route's workspace or of another, tokens issued for either).
A refused call must
leave every table as it was (compared item by item); the routes' sample bodies would write
if they were let in.
"""

from __future__ import annotations

import json

import pytest

from app import app
from chalicelib.auth.principal import Principal
from chalicelib.openapi import declare
from chalicelib.openapi.dialects import (
    DIALECTS,
    EXPIRED,
    INVALID,
    LACKS_PERMISSION,
    MISSING,
    NOT_ADMIN,
    REVOKED,
)
from chalicelib.openapi.document import iter_routes
from tests.conftest import ADMIN_PASSWORD, basic

HOLDER_PASSWORD = "holder-password-1"
ROUTES = [
    pytest.param(path, method, declaration, id=f"{method} {path}")
    for path, method, _, declaration in iter_routes(app)
]
PROTECTED = [param for param in ROUTES if param.values[2].access != declare.PUBLIC]
PROCESSMAKER = [param for param in PROTECTED if param.values[2].dialect == "processmaker"]
# The workspace every ProcessMaker route of the matrix is called in (its path's sample value).
WORKSPACE = "matrix"


# Path values that only exist once seeded (an opEvents event's generated id), by name.
_SEEDED_PATH: dict[str, str] = {}


def _url(path: str, declaration: declare.RouteDeclaration) -> str:
    samples = {**(declaration.sample_path or {}), **_SEEDED_PATH}
    for name in declaration_path_names(path):
        path = path.replace("{" + name + "}", samples.get(name, "matrix"))
    return path + declaration.path_suffix


def declaration_path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _call(client, path, method, declaration, headers):
    headers = dict(headers)
    # An API client asks for what the route answers (opEvents serves browsers the console).
    if declaration.response_types:
        headers.setdefault("Accept", declaration.response_types[0])
    body = b""
    if declaration.sample_body is not None:
        body = json.dumps(declaration.sample_body).encode()
        headers["Content-Type"] = declaration.body_types[0]
    return client.http.request(method, _url(path, declaration), headers=headers, body=body)


def _snapshot() -> dict[str, list[str]]:
    """Every item of every table, in a stable order; but the lock-out's failure counts, which
    a wrong password is meant to write (tests/auth cover them)."""
    import boto3

    from chalicelib.store import login_failures
    from chalicelib.store.tables import ALL_MODELS

    dynamodb = boto3.client("dynamodb")
    found = {}
    for model, short_name in ALL_MODELS:
        if short_name == login_failures.SHORT_NAME:
            continue
        items = dynamodb.scan(TableName=model.Meta.table_name)["Items"]
        found[model.Meta.table_name] = sorted(json.dumps(item, sort_keys=True) for item in items)
    return found


def _expired_token(username: str) -> dict[str, str]:
    """A token of an existing principal (its current credential version), expired a minute ago."""
    from chalicelib.auth.principals import get_principal
    from chalicelib.auth.tokens import issue_token

    token = issue_token(get_principal(username), ttl_seconds=-60)
    return {"Authorization": f"Bearer {token}"}


def _revoked_token() -> dict[str, str]:
    """A token of an admin who still exists, then their tokens revoked: only the credential
    version can refuse it (``POST /admin/users/{u}/revoke`` and deleting a user both bump it)."""
    from chalicelib.auth.principal import Principal
    from chalicelib.auth.principals import create_principal, revoke_tokens
    from chalicelib.auth.tokens import issue_token

    revoked = create_principal(
        Principal("revoked", roles=("admin",), user_id="revoked"), ADMIN_PASSWORD
    )
    token = issue_token(revoked)
    revoke_tokens("revoked")
    return {"Authorization": f"Bearer {token}"}


def _seed(declaration: declare.RouteDeclaration) -> None:
    """What the route's ``sample_path`` names, where the dialect refuses with 404 (opEvents):
    there a missing item would read as a refusal."""
    _SEEDED_PATH.clear()
    if declaration.dialect == "opevents":
        from chalicelib.dialects.opevents import events as opevents
        from chalicelib.dialects.opevents import nodes

        nodes.create_node(nodes.node_from_dict({"name": "matrix"}))
        created = opevents.create_event(
            {"node": "matrix", "event": "Matrix Check"}, opevents.Creator("root")
        )
        _SEEDED_PATH["event_id"] = created.event_id


def _holder(permission: str | None) -> dict[str, str]:
    """A non-admin holding exactly the route's permission (or none, for ``authenticated``)."""
    from chalicelib.auth.principal import Principal
    from chalicelib.auth.principals import create_principal

    granted = (permission,) if permission else ()
    create_principal(
        Principal(
            "holder",
            roles=("user",),
            permissions=granted,
            project_id="p1",
            workspaces=(WORKSPACE,),
        ),
        HOLDER_PASSWORD,
    )
    return basic("holder", HOLDER_PASSWORD)


def _refused(client, path, method, declaration, headers, expected, column):
    before = _snapshot()
    response = _call(client, path, method, declaration, headers)
    assert response.status_code == expected, (
        f"{column}: {response.status_code} {response.body[:200]!r}"
    )
    assert _snapshot() == before, f"{column}: a refused call wrote"
    return response


def _allowed(client, path, method, declaration, headers, column, refusals):
    response = _call(client, path, method, declaration, headers)
    assert response.status_code not in refusals, (
        f"{column}: refused {response.status_code} {response.body[:200]!r}"
    )
    assert response.status_code < 500, f"{column}: {response.status_code}"


@pytest.mark.parametrize(("path", "method", "declaration"), ROUTES)
def test_route_answers_each_caller_as_its_dialect_declares(
    client, admin, user, path, method, declaration
):
    dialect = DIALECTS[declaration.dialect]
    _seed(declaration)
    columns = {
        "no credentials": {},
        "wrong password": basic("root", "not-the-password"),
        "non-admin without the permission": user,
        "expired token": _expired_token("root"),
        "admin": admin,
    }
    if declaration.access == declare.PUBLIC:
        statuses = {
            column: _call(client, path, method, declaration, headers).status_code
            for column, headers in columns.items()
        }
        assert len(set(statuses.values())) == 1, f"a public route minds credentials: {statuses}"
        assert set(statuses.values()) < set(range(100, 500)), statuses
        return

    refusals = dialect.statuses(declaration.refusals)
    for column, case in (
        ("no credentials", MISSING),
        ("wrong password", INVALID),
        ("expired token", EXPIRED),
    ):
        expected = dialect.refusal(case, declaration.refusals)
        response = _refused(client, path, method, declaration, columns[column], expected, column)
        if expected == 401 and dialect.challenge:
            challenge = response.headers.get("WWW-Authenticate")
            assert challenge == dialect.challenge, f"{column}: challenge {challenge!r}"

    plain = "non-admin without the permission"
    if declaration.access == declare.AUTHENTICATED:
        _allowed(client, path, method, declaration, columns[plain], plain, refusals)
    else:
        case = NOT_ADMIN if declaration.access == declare.ADMIN else LACKS_PERMISSION
        _refused(
            client,
            path,
            method,
            declaration,
            columns[plain],
            dialect.refusal(case, declaration.refusals),
            plain,
        )

    if declaration.required_permission:
        holder = _holder(declaration.required_permission)
        _allowed(client, path, method, declaration, holder, "with the permission", refusals)
    _allowed(client, path, method, declaration, admin, "admin", refusals)


@pytest.mark.parametrize(("path", "method", "declaration"), PROTECTED)
def test_revoked_token_is_refused(client, admin, path, method, declaration):
    _seed(declaration)
    expected = DIALECTS[declaration.dialect].refusal(REVOKED, declaration.refusals)
    _refused(client, path, method, declaration, _revoked_token(), expected, "revoked token")


def _member(name: str, workspaces: tuple[str, ...], permission: str | None) -> Principal:
    from chalicelib.auth.principals import create_principal

    granted = (permission,) if permission else ()
    return create_principal(
        Principal(name, roles=("user",), permissions=granted, workspaces=workspaces),
        HOLDER_PASSWORD,
    )


def _bearer(principal: Principal, workspace: str) -> dict[str, str]:
    """A token as ``/api/1.0/{workspace}/oauth2/token`` issues it."""
    from chalicelib.auth.tokens import issue_token

    return {"Authorization": f"Bearer {issue_token(principal, workspace=workspace)}"}


@pytest.mark.parametrize(("path", "method", "declaration"), PROCESSMAKER)
def test_processmaker_routes_admit_only_the_workspaces_members(
    client, admin, path, method, declaration
):
    """Caller x workspace x route: with the route's permission, a member of another workspace
    (by password or by its workspace's token) and a member of both holding a token issued for
    the other workspace are refused (401, nothing written); the same callers are let in where
    they belong."""
    from chalicelib.auth.principals import get_principal

    assert declaration.path_suffix == "" and path.startswith("/api/1.0/{workspace}")
    permission = declaration.required_permission
    outsider = _member("outsider", ("elsewhere",), permission)
    both = _member("both", (WORKSPACE, "elsewhere"), permission)
    refused = DIALECTS[declaration.dialect].refusal(INVALID, declaration.refusals)
    columns = {
        "member of another workspace (password)": basic("outsider", HOLDER_PASSWORD),
        "member of another workspace (its token)": _bearer(outsider, "elsewhere"),
        "member of both, the other's token": _bearer(both, "elsewhere"),
        "admin, another workspace's token": _bearer(get_principal("root"), "elsewhere"),
    }
    for column, headers in columns.items():
        _refused(client, path, method, declaration, headers, refused, column)

    refusals = DIALECTS[declaration.dialect].statuses(declaration.refusals)
    for column, headers in {
        "member (password)": basic("both", HOLDER_PASSWORD),
        "member (this workspace's token)": _bearer(both, WORKSPACE),
        "admin (this workspace's token)": _bearer(get_principal("root"), WORKSPACE),
    }.items():
        _allowed(client, path, method, declaration, headers, column, refusals)
