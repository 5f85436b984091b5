"""Who is calling: credentials from request headers, turned into a principal.

Accepted everywhere: HTTP Basic, ``Authorization: Bearer <token>``, a bare token in
``Authorization``/``PI-Authorization`` (privacyIDEA's clients) and ``X-Auth-Token`` (Panko's).
Behind an identity gateway, a setting trusts ``X-Roles``/``X-User-Id``/``X-Project-Id``, and
only on requests that carry the gateway's shared secret header (another setting).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping

from chalicelib.auth.principal import Principal
from chalicelib.errors import AuthenticationFailed
from chalicelib.settings import GATEWAY_SECRET_HEADER, get_settings

TOKEN_HEADERS = ("pi-authorization", "authorization", "x-auth-token")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        lowered = {key.lower(): val for key, val in headers.items()}
        value = lowered.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _basic(value: str) -> Principal:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise AuthenticationFailed("malformed Basic credentials", cause=exc) from exc
    username, sep, password = decoded.partition(":")
    if not sep or not username:
        raise AuthenticationFailed("malformed Basic credentials")
    # The principals store, password hashing and the lock-out load when a request first
    # authenticates (a token's check reads its principal too), not when the app is imported.
    from chalicelib.auth.principals import verify_credentials

    principal = verify_credentials(username, password)
    if principal is None:
        raise AuthenticationFailed("wrong username or password")
    return principal


def from_gateway(headers: Mapping[str, str]) -> bool:
    """True when identity headers are trusted and the request proves it came via the gateway."""
    settings = get_settings()
    if not settings.trust_identity_headers or not settings.gateway_secret:
        return False
    sent = _header(headers, GATEWAY_SECRET_HEADER) or ""
    return hmac.compare_digest(sent.encode(), settings.gateway_secret.encode())


def _trusted_headers(headers: Mapping[str, str]) -> Principal | None:
    user_id, project_id = _header(headers, "x-user-id"), _header(headers, "x-project-id")
    roles = _header(headers, "x-roles")
    if not (user_id or project_id or roles):
        return None
    # Panko splits X-Roles on ',' without stripping; roles compare case-insensitively.
    role_list = tuple(role.lower() for role in (roles or "").split(",") if role)
    return Principal(
        username=user_id or "",
        roles=role_list,
        project_id=project_id,
        user_id=user_id or "",
    )


def authenticate(headers: Mapping[str, str]) -> Principal:
    """The principal the request's credentials name.

    ``AuthenticationFailed(reason="missing")`` without credentials; ``reason="invalid"`` or
    ``"expired"`` when they are wrong.
    """
    for name in TOKEN_HEADERS:
        value = _header(headers, name)
        if value is None:
            continue
        scheme, _, rest = value.partition(" ")
        if scheme.lower() == "basic" and rest:
            return _basic(rest.strip())
        # Token checks load with the first request that sends a token, not at import.
        from chalicelib.auth.tokens import principal_from_token

        if scheme.lower() == "bearer" and rest:
            return principal_from_token(rest.strip())
        return principal_from_token(value)
    if from_gateway(headers):
        trusted = _trusted_headers(headers)
        if trusted is not None:
            return trusted
    raise AuthenticationFailed("missing credentials", reason="missing")


def optional_principal(headers: Mapping[str, str]) -> Principal | None:
    """Like ``authenticate`` but None when no credentials were sent at all."""
    try:
        return authenticate(headers)
    except AuthenticationFailed as exc:
        if exc.reason == "missing":
            return None
        raise
