"""ProcessMaker's OAuth 2.0 token endpoint (bshaffer/oauth2-server-php): password and refresh.

The access token is the service's signed token naming the workspace it was issued for (``ws``):
ProcessMaker's routes refuse it in any other workspace, and only members of the workspace (or
admins) get one. The refresh token is random, stored hashed with its expiry and used once
(each refresh hands out a new one, for the same workspace and scope). Clients are the
``id:secret`` pairs of ``PROCESSMAKER_OAUTH_CLIENTS``, sent in the body or as HTTP Basic.
``scope`` is what was asked, within ProcessMaker's scopes (``Server.php``: ``view_processes``,
``edit_processes``, ``*``). Refusals carry OAuth's ``error``/``error_description`` and the
status ProcessMaker's server answers with.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import secrets
import time
from datetime import timedelta
from typing import Any

from chalicelib.auth.principals import get_principal, verify_credentials
from chalicelib.auth.tokens import issue_token
from chalicelib.dialects.processmaker.designer import check_workspace, dumps, loads
from chalicelib.errors import EventServiceError, NotFound
from chalicelib.settings import get_settings
from chalicelib.store.access import store_access
from chalicelib.store.processmaker import ProcessMakerModel

REFRESH_TTL_SECONDS = 14 * 86400  # bshaffer's default refresh_token_lifetime
REFRESH_SK = "refresh"
# The scopes ProcessMaker's OAuth server supports (``Server::__construct``).
SCOPES = ("view_processes", "edit_processes", "*")
INVALID_CLIENT = "Invalid REST API credentials, please send a valid client_id and client_secret."


class OAuthRefused(EventServiceError):
    """A token request refused in OAuth's terms (``error``, ``error_description``, status)."""

    def __init__(self, status: int, error: str, description: str) -> None:
        self.status_code, self.error = status, error
        super().__init__(description)


def _client_ok(client_id: str, client_secret: str) -> bool:
    # Compared as UTF-8 bytes: ``compare_digest`` refuses non-ASCII text (``client_id: "é"``
    # once answered 500), and every pair is compared so the time says nothing about which.
    sent_id = client_id.encode("utf-8", "surrogatepass")
    sent_secret = client_secret.encode("utf-8", "surrogatepass")
    found = False
    for pair in get_settings().processmaker_oauth_clients:
        known_id, _, known_secret = pair.partition(":")
        same_id = hmac.compare_digest(known_id.encode(), sent_id)
        same_secret = hmac.compare_digest(known_secret.encode(), sent_secret)
        found |= same_id and same_secret
    return found


def _scope(params: dict[str, Any]) -> str | None:
    """The scope asked for (space-separated, each a ProcessMaker scope); None when none was."""
    requested = params.get("scope")
    if requested is None or requested == "":
        return None
    names = str(requested).split()
    if not names or any(name not in SCOPES for name in names):
        raise OAuthRefused(400, "invalid_scope", "An unsupported scope was requested")
    return " ".join(dict.fromkeys(names))


def _refresh_pk(token: str) -> str:
    return f"oauth#{hashlib.sha256(token.encode()).hexdigest()}"


def _grant(
    workspace: str, username: str, client_id: str, principal: Any, scope: str | None
) -> dict[str, Any]:
    refresh = secrets.token_hex(20)
    item = ProcessMakerModel(_refresh_pk(refresh), REFRESH_SK, kind="refresh")
    # The refresh token belongs to one login of one credential version: a password change,
    # a deletion or a revocation ends it, and it never outlives the login's maximum session.
    auth_time = principal.auth_time if principal.auth_time is not None else int(time.time())
    principal = dataclasses.replace(principal, auth_time=auth_time)
    item.data = dumps(
        {
            "username": username,
            "client_id": client_id,
            "ws": workspace,
            "ver": principal.credential_version,
            "auth_time": auth_time,
            "scope": scope,
        }
    )
    item.expires_at = timedelta(seconds=REFRESH_TTL_SECONDS)
    with store_access():
        item.save()
    ttl = get_settings().token_ttl_seconds
    return {
        "access_token": issue_token(principal, ttl, workspace=workspace),
        "expires_in": ttl,
        "token_type": "bearer",
        "scope": scope,
        "refresh_token": refresh,
    }


def _take_refresh_token(token: str) -> dict[str, Any]:
    """The refresh token's grant, used up (a second use is refused)."""
    with store_access():
        try:
            item = ProcessMakerModel.get(_refresh_pk(token), REFRESH_SK)
        except ProcessMakerModel.DoesNotExist:
            raise OAuthRefused(400, "invalid_grant", "Invalid refresh token") from None
        expires = item.expires_at
        if expires is not None and expires.timestamp() < time.time():
            raise OAuthRefused(400, "invalid_grant", "Refresh token has expired")
    with store_access(
        on_condition_failed=lambda: OAuthRefused(400, "invalid_grant", "Invalid refresh token")
    ):
        item.delete(condition=ProcessMakerModel.pk.exists())
    return loads(item)


def issue(workspace: str, params: dict[str, Any], basic: tuple[str, str] | None) -> dict[str, Any]:
    """Answer ``POST /{workspace}/oauth2/token`` for ``params`` (form or JSON fields)."""
    check_workspace(workspace)
    grant_type = str(params.get("grant_type") or "")
    if not grant_type:
        raise OAuthRefused(
            400, "invalid_request", "The grant type was not specified in the request"
        )
    client_id, client_secret = basic or (
        str(params.get("client_id") or ""),
        str(params.get("client_secret") or ""),
    )
    if not client_id:
        raise OAuthRefused(
            400, "invalid_client", "Client credentials were not found in the headers or body"
        )
    if grant_type not in ("password", "refresh_token"):
        raise OAuthRefused(
            400, "unsupported_grant_type", f'Grant type "{grant_type}" not supported'
        )
    if not _client_ok(client_id, client_secret):
        raise OAuthRefused(400, "invalid_client", INVALID_CLIENT)
    if grant_type == "password":
        username, password = str(params.get("username") or ""), str(params.get("password") or "")
        if not username or not password:
            raise OAuthRefused(
                400, "invalid_request", 'Missing parameters: "username" and "password" required'
            )
        scope = _scope(params)
        principal = verify_credentials(username, password)
        # A workspace has its own users in ProcessMaker: a non-member is unknown here.
        if principal is None or not principal.in_workspace(workspace):
            raise OAuthRefused(401, "invalid_grant", "Invalid username and password combination")
        return _grant(workspace, username, client_id, principal, scope)
    refresh = str(params.get("refresh_token") or "")
    if not refresh:
        raise OAuthRefused(400, "invalid_request", 'Missing parameter: "refresh_token" is required')
    grant = _take_refresh_token(refresh)
    if grant.get("client_id") != client_id or grant.get("ws") != workspace:
        raise OAuthRefused(400, "invalid_grant", "Invalid refresh token")
    try:
        principal = get_principal(grant["username"])  # a deleted user gets no new token
    except NotFound:
        raise OAuthRefused(400, "invalid_grant", "Invalid refresh token") from None
    auth_time = int(grant.get("auth_time") or 0)
    if principal.credential_version != grant.get("ver") or not principal.in_workspace(workspace):
        raise OAuthRefused(400, "invalid_grant", "Invalid refresh token")
    if auth_time + get_settings().max_session_seconds <= time.time():
        raise OAuthRefused(400, "invalid_grant", "Refresh token has expired")
    principal = dataclasses.replace(principal, auth_time=auth_time)
    return _grant(workspace, grant["username"], client_id, principal, grant.get("scope"))
