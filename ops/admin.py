"""``make admin STAGE=dev USER=alice``: create (or recover) an admin of a deployed stage.

No stage ever has a default credential: this is how the first admin comes to be. The password
is asked for twice on the terminal (never an argument: it would stay in the shell's history),
or read as the first line of stdin with ``--password-stdin`` for automation. The principal is
checked and written exactly as ``POST /admin/users`` does it (``validate_new_principal``, then
``create_principal`` under ``operations.perform``: the stage's pre handlers apply and an
``admin.user.create`` event is recorded in the one store), with the operator's AWS identity
as the acting principal. ``--recover`` gives an existing user a new password and the admin
role (``admin.user.update``), which also revokes every token the user holds.

It needs the operator's credentials to allow, on the stage: ``cloudformation:DescribeStacks``,
``secretsmanager:GetSecretValue`` on the token secret, ``sts:GetCallerIdentity`` and the
DynamoDB item writes on the stage's tables.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, TextIO

from ops.stage import OpsError, operator_principal, use_stage


def read_password(stdin: bool, stream: TextIO | None = None) -> str:
    """The new password: first line of ``stream`` (stdin), or asked twice on the terminal."""
    if stdin:
        line = (stream or sys.stdin).readline()
        return line.rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != first:
        raise OpsError("the two passwords differ; nothing was written")
    return first


def create_admin(username: str, password: str, actor: Any) -> Any:
    """Create ``username`` as an admin the way ``POST /admin/users`` does; returns it."""
    from chalicelib.auth import principals
    from chalicelib.auth.permissions import ADMIN_ROLE
    from chalicelib.dialects.admin import USER_CREATE
    from chalicelib.engine import operations

    principal, password = principals.validate_new_principal(
        {"username": username, "password": password, "roles": [ADMIN_ROLE]}
    )

    def create(params: dict[str, Any]) -> Any:
        checked, _ = principals.validate_new_principal({**params, "password": password})
        return principals.create_principal(checked, password)

    return operations.perform(
        USER_CREATE,
        actor,
        principal.public(),
        create,
        describe=lambda created: {"username": created.username},
    )


def recover_admin(username: str, password: str, actor: Any) -> Any:
    """Give ``username`` a new password and the admin role (``PATCH /admin/users/{name}``)."""
    from chalicelib.auth import principals
    from chalicelib.auth.permissions import ADMIN_ROLE
    from chalicelib.dialects.admin import PASSWORD_MASK, USER_UPDATE
    from chalicelib.engine import operations

    current = principals.get_principal(username)
    roles = list(dict.fromkeys([*current.roles, ADMIN_ROLE]))
    principals.validate_changes({"password": password, "roles": roles})

    def update(params: dict[str, Any]) -> Any:
        # As PATCH does it: checked again on what the pre handlers left, the mask swapped back.
        requested = {key: value for key, value in params.items() if key != "username"}
        if requested.get("password") == PASSWORD_MASK:
            requested["password"] = password
        return principals.update_principal(
            str(params.get("username")), principals.validate_changes(requested)
        )

    return operations.perform(
        USER_UPDATE,
        actor,
        {"username": username, "roles": roles, "password": PASSWORD_MASK},
        update,
        describe=lambda updated: {"username": updated.username},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--user", required=True, help="the admin's username")
    parser.add_argument("--password-stdin", action="store_true", help="read the password's line")
    parser.add_argument(
        "--recover", action="store_true", help="reset an existing user's password, make it admin"
    )
    args = parser.parse_args(argv)
    from chalicelib.errors import EventServiceError

    try:
        use_stage(args.stage)
        actor = operator_principal()
        password = read_password(args.password_stdin)
        done = (recover_admin if args.recover else create_admin)(args.user, password, actor)
    except (OpsError, EventServiceError) as exc:
        print(f"event-service: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    verb = "recovered" if args.recover else "created"
    print(f"event-service: {verb} admin {done.username} on {args.stage} as {actor.username}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
