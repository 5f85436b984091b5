"""Signed, expiring bearer tokens (HS256 JWT) that name a principal and its credential version.

A token is accepted while its signature and expiry hold, its id (``jti``) was not revoked by a
logout (``revoke_token``), its principal still exists and its credential version (``ver``) is
the principal's current one (see ``principals``). ``auth_time``
is the login that started the session: a refreshed token keeps it, and never lives past
``auth_time + max_session_seconds``.
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from typing import Any

from chalicelib.auth.principal import Principal
from chalicelib.errors import AuthenticationFailed
from chalicelib.settings import get_settings

ALGORITHM = "HS256"
ISSUER = "event-service"


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
    return jwt.encode(claims, settings.token_secret, algorithm=ALGORITHM)


def principal_from_token(token: str) -> Principal:
    """The principal a valid, unrevoked token names, as stored now.

    ``AuthenticationFailed`` when the token is invalid, expired, or revoked (its principal is
    gone or its credential version is older than the principal's).
    """
    import jwt

    from chalicelib.auth.principals import current_principal

    try:
        claims = jwt.decode(
            token,
            get_settings().token_secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationFailed(str(exc), reason="expired", cause=exc) from exc
    except jwt.PyJWTError as exc:
        raise AuthenticationFailed(str(exc), reason="invalid", cause=exc) from exc
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
