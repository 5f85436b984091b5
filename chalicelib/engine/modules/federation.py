"""``Federation``: forward the event to another event-service or opEvents server.

privacyIDEA's Federation forwards a request to another privacyIDEA; here the thing to
forward is the event, for hub-and-spoke setups: ``POST {URL}/omk/opEvents/events`` with the
event as opEvents' normalised properties (``node``, ``event``, ``time``, ``date``,
``details``, ``priority``, ``level``, ``state``, ...) plus its other traits. The receiver
learns the forwarded depth from ``X-Event-Service-Depth``, signed with the federation secret
both share, so a forward back to the sender cannot loop. Authentication: opEvents' login (a
session cookie, sent with ``X-Requested-With``), HTTP Basic, or a token.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC
from typing import Any
from urllib.parse import urlencode

from chalicelib.core.executions import ORIGIN_HEADER, depth_headers
from chalicelib.engine.modules import outbound
from chalicelib.engine.modules.base import (
    ActionContext,
    ActionFailed,
    HandlerModule,
    OptionSpec,
    register,
)
from chalicelib.engine.modules.templates import plain_value

EVENTS_PATH = "/omk/opEvents/events"
LOGIN_PATH = "/omk/opEvents/login"
AUTH_METHODS = ("basic", "login")
# opEvents session cookies by (base URL, username), reused until the server refuses one.
_SESSIONS: dict[tuple[str, str], str] = {}
# Records of a batch run concurrently: one login per (server, user), not one per record.
_SESSIONS_LOCK = threading.Lock()


def opevents_document(context: ActionContext, node: str | None) -> dict[str, Any]:
    """The event as opEvents' ``POST /events`` body."""
    event = context.event
    assert event is not None
    traits = {name: plain_value(value) for name, value in event.trait_values().items()}
    document: dict[str, Any] = {name: value for name, value in traits.items() if "." not in name}
    document.update(
        {
            "node": traits.get("node") or node or traits.get("host") or event.source,
            "event": event.event_type,
            "time": int(event.generated.replace(tzinfo=UTC).timestamp()),
            "date": event.generated.isoformat(),
            "details": str(traits.get("details", "")),
            "message_id": event.message_id,
            "source": event.source,
        }
    )
    if "priority" in traits:
        document["priority"] = traits["priority"]
    dotted = {name: value for name, value in traits.items() if "." in name}
    if dotted:
        document["traits"] = dotted
    return document


@register
class FederationModule(HandlerModule):
    identifier = "Federation"
    description = "Forward the event to another event-service or opEvents server."
    positions = ("post",)
    default_abort_on_error = True
    actions = {
        "forward": {
            "URL": OptionSpec(
                required=True,
                description="The base URL of the other server, e.g. https://hub.example.com "
                "(the event goes to {URL}/omk/opEvents/events).",
            ),
            "username": OptionSpec(description="The user to authenticate as."),
            "password": OptionSpec(description="The password of that user.", secret=True),
            "auth_method": OptionSpec(
                description="basic: HTTP Basic on the request (event-service); login: "
                "opEvents' POST /omk/opEvents/login and its session cookie.",
                value=AUTH_METHODS,
                default="basic",
            ),
            "token": OptionSpec(
                description="A bearer token for the other server (instead of a password).",
                secret=True,
            ),
            "node": OptionSpec(description="The node to report when the event has no node trait."),
            "timeout": OptionSpec(
                type="int",
                description="Seconds to wait for the connection and for the answer.",
                default="10",
            ),
        }
    }

    def run(self, action: str, options: dict[str, str], context: ActionContext) -> None:
        if context.event is None:
            raise ActionFailed("Federation forwards stored events only", retryable=False)
        base = str(self.option(action, options, "URL")).rstrip("/")
        timeout = self.number(action, options, "timeout")
        body = json.dumps(opevents_document(context, options.get("node")), default=str).encode()
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            # counts at a peer that shares the federation secret (``depth_from_headers``)
            **depth_headers(context.event.depth + 1, body),
            ORIGIN_HEADER: context.event.message_id,
        }
        try:
            headers.update(self._authorization(action, options, base, timeout))
            reply = outbound.post(base + EVENTS_PATH, body, headers, timeout=timeout)
        except ActionFailed as exc:
            # A remembered session may have expired: log in again once.
            if not str(exc).startswith(("HTTP 401", "HTTP 403")) or not self._forget(options, base):
                raise
            headers.update(self._authorization(action, options, base, timeout))
            reply = outbound.post(base + EVENTS_PATH, body, headers, timeout=timeout)
        context.details["status"] = reply.status
        try:
            answer = json.loads(reply.body or b"{}")
        except ValueError:
            answer = {}
        if isinstance(answer, dict) and answer.get("id") is not None:
            context.details["remote_id"] = str(answer["id"])

    def _authorization(
        self, action: str, options: dict[str, str], base: str, timeout: float
    ) -> dict[str, str]:
        token = options.get("token")
        if token:
            return {"Authorization": f"Bearer {token}"}
        username, password = options.get("username"), options.get("password") or ""
        if not username:
            return {}
        if self.option(action, options, "auth_method") == "login":
            with _SESSIONS_LOCK:
                return _session_cookie(base, username, password, timeout)
        import base64

        pair = base64.b64encode(f"{username}:{password}".encode()).decode()
        return {"Authorization": f"Basic {pair}"}

    @staticmethod
    def _forget(options: dict[str, str], base: str) -> bool:
        """Drop a remembered session; True when there was one to drop."""
        return _SESSIONS.pop((base, options.get("username") or ""), None) is not None


def _session_cookie(base: str, username: str, password: str, timeout: float) -> dict[str, str]:
    """The remembered opEvents session of (``base``, ``username``), logging in when none."""
    key = (base, username)
    # A write with the session cookie proves it is no cross-site form (``require_same_origin``).
    same_origin = {"X-Requested-With": "XMLHttpRequest"}
    if key in _SESSIONS:
        return {"Cookie": _SESSIONS[key], **same_origin}
    reply = outbound.post(
        base + LOGIN_PATH,
        urlencode({"username": username, "password": password}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
        timeout=timeout,
        success=range(200, 400),  # opEvents may answer a login with a redirect
    )
    cookie = reply.headers.get("set-cookie", "").split(";", 1)[0].strip()
    if not cookie:
        raise ActionFailed("the login answered without a session cookie", retryable=False)
    _SESSIONS[key] = cookie
    return {"Cookie": cookie, **same_origin}


def forget_sessions() -> None:
    _SESSIONS.clear()
