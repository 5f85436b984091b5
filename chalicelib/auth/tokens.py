"""Signed, expiring bearer tokens (HS256 JWT) that name a principal and its credential version.

A token is accepted while its signature and expiry hold, its id (``jti``) was not revoked by a
logout (``revoke_token``), its principal still exists and its credential version (``ver``) is
the principal's current one (see ``principals``). ``auth_time``
is the login that started the session: a refreshed token keeps it, and never lives past
``auth_time + max_session_seconds``.

Signing keys (rotation without logging everyone out): the token secret is either one key
(a plain string) or a key ring, JSON ``{"keys": [{"key": "...", "retire_at": <epoch s>}, ...]}``
whose first key signs. Every token names its key in the JWT header (``kid``: a fingerprint of
the key, so it reveals nothing and never drifts from it). A token is verified with the key its
``kid`` names, while that key is in the ring and not past its ``retire_at``; a token from
before key ids (no ``kid``) is tried against every key still in service. ``make rotate-secret``
(ops/rotate_secret.py) puts a new key first and gives the old one a ``retire_at`` one maximum
session length later, by when every token it signed has expired.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from chalicelib.auth.principal import Principal
from chalicelib.errors import AuthenticationFailed
from chalicelib.settings import get_settings

ALGORITHM = "HS256"
ISSUER = "event-service"


@dataclass(frozen=True)
class SigningKey:
    key: str
    retire_at: float | None = None  # epoch seconds; None: in service until rotated out

    @property
    def kid(self) -> str:
        return key_id(self.key)

    def in_service(self, now: float) -> bool:
        return self.retire_at is None or now < self.retire_at


def key_id(key: str) -> str:
    """A key's id: the start of its SHA-256, enough to tell keys apart, useless to guess one."""
    return "k" + hashlib.sha256(key.encode()).hexdigest()[:16]


@lru_cache(maxsize=4)
def keyring(secret: str) -> tuple[SigningKey, ...]:
    """The signing keys a token secret holds, the signing one first (see the module doc)."""
    if secret.lstrip().startswith("{"):
        try:
            keys = json.loads(secret)["keys"]
            ring = tuple(SigningKey(str(k["key"]), k.get("retire_at")) for k in keys)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError("the token secret's key ring is not valid JSON of keys") from exc
        if not ring or not all(k.key for k in ring):
            raise ValueError("the token secret's key ring holds no key")
        return ring
    return (SigningKey(secret),)


def _verification_keys(kid: Any) -> list[str]:
    now = time.time()
    ring = keyring(get_settings().token_secret)
    if kid is None:  # issued before tokens named their key
        return [k.key for k in ring if k.in_service(now)]
    found = [k for k in ring if k.kid == kid]
    if not found:
        raise AuthenticationFailed("the token's signing key is unknown", reason="invalid")
    if not found[0].in_service(now):
        raise AuthenticationFailed("the token's signing key was retired", reason="expired")
    return [found[0].key]


def issue_token(
    principal: Principal, ttl_seconds: int | None = None, *, workspace: str | None = None
) -> str:
    """A token for ``principal`` valid for ``ttl_seconds`` (the setting by default).

    ``workspace`` (a ProcessMaker login's) becomes the ``ws`` claim: ProcessMaker's routes
    refuse the token in any other workspace. Every token has its own id (``jti``), which
    logout revokes.

    A principal that came from a token keeps that token's session start; ``AuthenticationFailed``
    (expired) when that session already reached its maximum length.
    """
    import jwt

    settings = get_settings()
    now = int(time.time())
    auth_time = principal.auth_time if principal.auth_time is not None else now
    session_end = auth_time + settings.max_session_seconds
    if session_end <= now:
        raise AuthenticationFailed(
            "the session reached its maximum length; log in again", reason="expired"
        )
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": principal.username,
        "username": principal.username,
        "role": "admin" if principal.is_admin else "user",
        "roles": list(principal.roles),
        "rights": list(principal.permissions),
        "project_id": principal.project_id,
        "user_id": principal.user_id,
        "ver": principal.credential_version,
        "auth_time": auth_time,
        "iat": now,
        "exp": min(now + (ttl_seconds or settings.token_ttl_seconds), session_end),
        "jti": secrets.token_urlsafe(16),
    }
    # A token refreshed from a workspace's token stays in that workspace.
    workspace = workspace if workspace is not None else principal.token_workspace
    if workspace is not None:
        claims["ws"] = workspace
    signing = keyring(settings.token_secret)[0]
    return jwt.encode(claims, signing.key, algorithm=ALGORITHM, headers={"kid": signing.kid})


def principal_from_token(token: str) -> Principal:
    """The principal a valid, unrevoked token names, as stored now.

    ``AuthenticationFailed`` when the token is invalid, expired, or revoked (its principal is
    gone or its credential version is older than the principal's).
    """
    import jwt

    from chalicelib.auth.principals import current_principal

    try:
        keys = _verification_keys(jwt.get_unverified_header(token).get("kid"))
    except jwt.PyJWTError as exc:
        raise AuthenticationFailed(str(exc), reason="invalid", cause=exc) from exc
    claims: dict[str, Any] | None = None
    failure: jwt.PyJWTError | None = None
    for key in keys:
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "sub"]},
            )
            break
        except jwt.InvalidSignatureError as exc:
            failure = exc  # perhaps another key's (a token without kid)
        except jwt.ExpiredSignatureError as exc:
            raise AuthenticationFailed(str(exc), reason="expired", cause=exc) from exc
        except jwt.PyJWTError as exc:
            raise AuthenticationFailed(str(exc), reason="invalid", cause=exc) from exc
    if claims is None:
        raise AuthenticationFailed(
            "the token's signature is not valid", reason="invalid", cause=failure
        )
    token_id = claims.get("jti")
    if isinstance(token_id, str) and is_revoked(token_id):
        raise AuthenticationFailed("the token was revoked (logged out)", reason="revoked")
    principal = current_principal(str(claims["sub"]))
    version = claims.get("ver")
    if principal is None or version != principal.credential_version:
        raise AuthenticationFailed("the token was revoked", reason="revoked")
    auth_time = claims.get("auth_time")
    if not isinstance(auth_time, int):
        auth_time = int(claims.get("iat") or time.time())
    workspace = claims.get("ws")
    return dataclasses.replace(
        principal,
        auth_time=auth_time,
        token_workspace=workspace if isinstance(workspace, str) else None,
        token_id=token_id if isinstance(token_id, str) else None,
    )


def is_revoked(token_id: str) -> bool:
    """True when the token with this id was revoked one by one (``revoke_token``)."""
    from chalicelib.store.access import store_access
    from chalicelib.store.revoked_tokens import RevokedTokenModel

    with store_access():
        try:
            RevokedTokenModel.get(token_id)
        except RevokedTokenModel.DoesNotExist:
            return False
    return True


def revoke_token(token: str) -> bool:
    """Refuse ``token`` from now on (a logout); False when it was not a valid token anyway.

    Its id is kept until the token's own expiry, after which its signature check refuses it.
    """
    from datetime import UTC, datetime

    from chalicelib.store.access import store_access
    from chalicelib.store.revoked_tokens import RevokedTokenModel

    try:
        principal = principal_from_token(token)
    except AuthenticationFailed:
        return False
    import jwt

    expiry = jwt.decode(token, options={"verify_signature": False}).get("exp")
    if principal.token_id is None or not isinstance(expiry, int):
        return False
    item = RevokedTokenModel(principal.token_id, expires_at=datetime.fromtimestamp(expiry, UTC))
    with store_access():
        item.save()
    return True
