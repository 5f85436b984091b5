"""The principals service: create, read, change, revoke and verify the callers of event-service.

Revocation: each principal has a credential version that every token names. A password change
or ``revoke`` raises it, deletion removes the principal; tokens naming an older version or a
missing principal are refused. Each process keeps what it read of a principal for at most
``principal_cache_seconds`` (≤ 60 s), and forgets it at once when it makes a change itself.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from typing import Any

from chalicelib.auth import client_address, lockout
from chalicelib.auth.passwords import hash_password, verify_password
from chalicelib.auth.permissions import (
    ADMIN_ROLE,
    ROLE_PATTERN,
    USER_ROLE,
    known_permissions,
)
from chalicelib.auth.principal import Principal
from chalicelib.core.model import format_stored_time, utcnow
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.settings import Settings, get_settings
from chalicelib.store.access import store_access
from chalicelib.store.principals import PARTITION, PrincipalModel

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,63}$")
MIN_PASSWORD_LENGTH = 8
# The fields an admin may set on a user (POST creates with them, PATCH changes them).
USER_FIELDS = (
    "username",
    "password",
    "roles",
    "permissions",
    "project_id",
    "user_id",
    "workspaces",
)
CHANGEABLE_FIELDS = ("password", "roles", "permissions", "project_id", "user_id", "workspaces")
# A ProcessMaker workspace name, as the ``/api/1.0/{workspace}`` routes accept it.
WORKSPACE_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

# What this process read of each principal: username -> (expiry, principal or None if gone).
_records: dict[str, tuple[float, Principal | None]] = {}
# Verified Basic credentials, so a client sending Basic on every request does not pay argon2
# each time: (username, password digest) -> (principal, expiry).
_verified: dict[tuple[str, bytes], tuple[Principal, float]] = {}


def _to_principal(item: PrincipalModel) -> Principal:
    return Principal(
        username=item.username,
        roles=tuple(item.roles or ()),
        permissions=tuple(item.permissions or ()),
        project_id=item.project_id,
        user_id=item.user_id,
        credential_version=int(item.credential_version or 0),
        workspaces=tuple(item.workspaces or ()),
    )


def forget(username: str | None = None) -> None:
    """Drop what this process cached of ``username`` (of everyone when None)."""
    if username is None:
        _records.clear()
        _verified.clear()
        return
    _records.pop(username, None)
    for key in [key for key in _verified if key[0] == username]:
        _verified.pop(key, None)


# ---------------------------------------------------------------- validation


def _string_list(value: Any, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(f"{name} must be a list of strings", field=name)
    return tuple(dict.fromkeys(value))


def _roles(value: Any) -> tuple[str, ...]:
    roles = _string_list(value, "roles")
    bad = [role for role in roles if not ROLE_PATTERN.match(role)]
    if bad:
        raise ValidationFailed(
            f"invalid role {bad[0]!r}: a role is 1-64 characters of letters, digits and _.-",
            field="roles",
        )
    return roles


def _permissions(value: Any) -> tuple[str, ...]:
    permissions = _string_list(value, "permissions")
    known = known_permissions()
    unknown = sorted(set(permissions) - set(known))
    if unknown:
        raise ValidationFailed(
            f"unknown permissions: {', '.join(unknown)}; known are {', '.join(known)}",
            field="permissions",
        )
    return permissions


def _workspaces(value: Any) -> tuple[str, ...]:
    workspaces = _string_list(value, "workspaces")
    bad = [name for name in workspaces if not WORKSPACE_PATTERN.match(name)]
    if bad:
        raise ValidationFailed(
            f"invalid workspace {bad[0]!r}: a workspace is 1-64 characters of letters, "
            "digits and _.-",
            field="workspaces",
        )
    return workspaces


def _password(value: Any, name: str = "password") -> str:
    if not isinstance(value, str) or len(value) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"{name} must be a string of at least {MIN_PASSWORD_LENGTH} characters", field=name
        )
    return value


def _optional_text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ValidationFailed(f"{name} must be a string", field=name)
    return value or None


def _object(data: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationFailed("the body must be a JSON object")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationFailed(
            f"unknown field: {unknown[0]}; known are {', '.join(allowed)}", field=unknown[0]
        )
    return data


def validate_new_principal(data: Any) -> tuple[Principal, str]:
    """Check the admin API's JSON for a new user; returns the principal and the password."""
    data = _object(data, USER_FIELDS)
    username = data.get("username")
    if not isinstance(username, str) or not USERNAME_PATTERN.match(username):
        raise ValidationFailed(
            "username must be 1-64 characters of letters, digits and _.@+-", field="username"
        )
    password = _password(data.get("password"))
    roles = _roles(data["roles"]) if data.get("roles") is not None else ()
    permissions = _permissions(data["permissions"]) if data.get("permissions") is not None else ()
    workspaces = _workspaces(data["workspaces"]) if data.get("workspaces") is not None else ()
    principal = Principal(
        username=username,
        roles=roles or (USER_ROLE,),
        permissions=permissions,
        project_id=_optional_text(data, "project_id"),
        user_id=_optional_text(data, "user_id") or username,
        workspaces=workspaces,
    )
    return principal, password


def validate_changes(data: Any) -> dict[str, Any]:
    """Check a PATCH body: the fields to change, as plain values (``password`` in clear)."""
    data = _object(data, CHANGEABLE_FIELDS)
    changes: dict[str, Any] = {}
    if "roles" in data:
        changes["roles"] = _roles(data["roles"]) or (USER_ROLE,)
    if "permissions" in data:
        changes["permissions"] = _permissions(data["permissions"])
    if "project_id" in data:
        changes["project_id"] = _optional_text(data, "project_id")
    if "user_id" in data:
        user_id = _optional_text(data, "user_id")
        if user_id is None:
            raise ValidationFailed("user_id must be a non-empty string", field="user_id")
        changes["user_id"] = user_id
    if "workspaces" in data:
        changes["workspaces"] = _workspaces(data["workspaces"] or [])
    if "password" in data:
        changes["password"] = _password(data["password"])
    return changes


# ---------------------------------------------------------------- store


def create_principal(principal: Principal, password: str) -> Principal:
    """Store a new principal; ``Conflict`` if the username is taken."""
    item = PrincipalModel(
        PARTITION,
        principal.username,
        password_hash=hash_password(password),
        roles=list(principal.roles),
        permissions=list(principal.permissions),
        project_id=principal.project_id,
        user_id=principal.user_id or principal.username,
        workspaces=list(principal.workspaces),
        created_at=format_stored_time(utcnow()),
        # Starts at the creation time in ms, so a user deleted and created again under the
        # same name never matches the versions the earlier one's tokens carry.
        credential_version=time.time_ns() // 1_000_000,
    )
    with store_access(
        on_condition_failed=lambda: Conflict(f"user {principal.username} already exists")
    ):
        item.save(condition=PrincipalModel.username.does_not_exist())
    forget(principal.username)
    return _to_principal(item)


def _read(username: str) -> Principal | None:
    with store_access():
        try:
            return _to_principal(PrincipalModel.get(PARTITION, username))
        except PrincipalModel.DoesNotExist:
            return None


def get_principal(username: str) -> Principal:
    found = _read(username)
    if found is None:
        raise NotFound(f"user {username} does not exist")
    return found


def current_principal(username: str) -> Principal | None:
    """The principal as stored, read at most ``principal_cache_seconds`` ago; None if gone."""
    now = time.monotonic()
    cached = _records.get(username)
    if cached is not None and cached[0] > now:
        return cached[1]
    found = _read(username)
    _records[username] = (now + get_settings().principal_cache_seconds, found)
    return found


def list_principals() -> list[Principal]:
    """Every principal, by username."""
    with store_access():
        return [_to_principal(item) for item in PrincipalModel.query(PARTITION)]


def delete_principal(username: str) -> None:
    try:
        with store_access(on_condition_failed=lambda: NotFound(f"user {username} does not exist")):
            PrincipalModel(PARTITION, username).delete(condition=PrincipalModel.username.exists())
    finally:
        forget(username)


def update_principal(username: str, changes: dict[str, Any]) -> Principal:
    """Apply ``validate_changes`` output; a new password also revokes the user's tokens."""
    actions = []
    for name in ("roles", "permissions", "workspaces"):
        if name in changes:
            actions.append(getattr(PrincipalModel, name).set(list(changes[name])))
    if "project_id" in changes:
        attribute = PrincipalModel.project_id
        value = changes["project_id"]
        actions.append(attribute.set(value) if value is not None else attribute.remove())
    if "user_id" in changes:
        actions.append(PrincipalModel.user_id.set(changes["user_id"]))
    if "password" in changes:
        actions.append(PrincipalModel.password_hash.set(hash_password(changes["password"])))
        actions.append(PrincipalModel.credential_version.add(1))
    if not actions:
        return get_principal(username)
    item = PrincipalModel(PARTITION, username)
    try:
        with store_access(on_condition_failed=lambda: NotFound(f"user {username} does not exist")):
            item.update(actions=actions, condition=PrincipalModel.username.exists())
    finally:
        forget(username)
    return _to_principal(item)


def revoke_tokens(username: str) -> Principal:
    """Raise the credential version: every token issued so far for ``username`` is refused."""
    item = PrincipalModel(PARTITION, username)
    try:
        with store_access(on_condition_failed=lambda: NotFound(f"user {username} does not exist")):
            item.update(
                actions=[PrincipalModel.credential_version.add(1)],
                condition=PrincipalModel.username.exists(),
            )
    finally:
        forget(username)
    return _to_principal(item)


# ---------------------------------------------------------------- verification


def verify_credentials(username: str, password: str) -> Principal | None:
    """The principal if ``password`` is right for ``username``, else None.

    Each attempt is counted (per username and client address) before the password is
    checked, and ``TooManyAttempts`` answers at the limit whatever the password (see
    ``lockout``). An unknown username costs one hash, as a wrong password does.
    """
    # JSON can carry lone surrogates, which no UTF-8 encoder (argon2's, DynamoDB's) takes: such a
    # name or password is compared as its UTF-8 bytes with the bad parts replaced, never a 500.
    username, password = _encodable(username), _encodable(password)
    address = client_address.current()
    digest = hmac.new(get_settings().token_secret.encode(), password.encode(), hashlib.sha256)
    cache_key = (username, digest.digest())
    cached = _verified.get(cache_key)
    if cached and cached[1] > time.monotonic():
        # Verified before in this process: no guess, so nothing to count; a locked-out
        # address is still refused, so it cannot learn that this password is right.
        lockout.ensure_not_locked(username, address)
        return cached[0]
    lockout.admit(username, address)
    with store_access():
        try:
            item = PrincipalModel.get(PARTITION, username)
        except PrincipalModel.DoesNotExist:
            item = None
    if item is None:
        # Hash anyway, so a wrong username costs as long as a wrong password.
        verify_password(_decoy_hash(), password)
        lockout.record_failure(username)
        return None
    if not verify_password(item.password_hash, password):
        lockout.record_failure(username)
        return None
    lockout.reset(username, address)
    principal = _to_principal(item)
    expiry = time.monotonic() + get_settings().principal_cache_seconds
    _verified[cache_key] = (principal, expiry)
    _records[username] = (expiry, principal)
    return principal


def _encodable(text: str) -> str:
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


_decoy: list[str] = []


def _decoy_hash() -> str:
    if not _decoy:
        _decoy.append(hash_password(secrets.token_urlsafe(16)))
    return _decoy[0]


def ensure_local_admin(settings: Settings | None = None) -> tuple[str, str | None]:
    """On the local stage, make sure an admin exists; returns (username, new password or None).

    ``ADMIN_USERNAME``/``ADMIN_PASSWORD`` name it; with neither set an ``admin`` with a random
    password is created and the password returned (to be printed once). Other stages never
    create a default credential.
    """
    settings = settings or get_settings()
    if settings.stage != "local":
        raise PermissionError("default credentials are only created on the local stage")
    username = settings.admin_username or "admin"
    if _read(username) is not None:
        return username, None
    password = settings.admin_password or secrets.token_urlsafe(18)
    try:
        create_principal(Principal(username, roles=(ADMIN_ROLE,), user_id=username), password)
    except Conflict:
        return username, None
    return username, (None if settings.admin_password else password)
