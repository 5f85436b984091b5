"""ProcessMaker 3.x's wire format: Restler's error body, OAuth's refusals, request bodies.

Every error is ``{"error": {"code": <status>, "message": "<reason phrase>: <message>"}}``
(notes C.4); 401 is just ``Unauthorized`` and 403 Restler's fixed sentence. The token
endpoint answers refusals as OAuth does: ``{"error": …, "error_description": …}``.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from chalicelib.deferred import deferred
from chalicelib.dialects.common import Answer, StatusOverrides, bounded_body, json_answer
from chalicelib.errors import (
    Conflict,
    EventServiceError,
    NotFound,
    OperationRefused,
    ValidationFailed,
)

# OAuth (its store, tokens and principals) loads when the token endpoint or a refusal needs
# it, not when the app is imported (cold start).
if TYPE_CHECKING:
    from chalicelib.dialects.processmaker import oauth
else:
    oauth = deferred("chalicelib.dialects.processmaker.oauth")

UNAUTHORIZED = "Unauthorized"
FORBIDDEN = (
    "Forbidden: You don't have permission to access this endpoint or resource on this server."
)
_REASONS = {400: "Bad Request", 500: "Internal Server Error", 503: "Service Unavailable"}


# Restler answers every application error with 400 (``Api::STAT_APP_EXCEPTION``); the
# others (401, 403, 429, 500, 503, an OAuth refusal's own) keep the error's own status.
STATUS_OVERRIDES: StatusOverrides = {
    ValidationFailed: 400,
    NotFound: 400,
    Conflict: 400,
    OperationRefused: 400,
}


def render_error(exc: EventServiceError, status: int) -> Answer:
    if isinstance(exc, oauth.OAuthRefused):
        return json_answer({"error": exc.error, "error_description": exc.message}, status)
    if status == 401:
        message = UNAUTHORIZED
    elif status == 403:
        message = FORBIDDEN
    else:
        message = f"{_REASONS.get(status, 'Bad Request')}: {exc.message}"
    headers = {"WWW-Authenticate": 'Bearer realm="ProcessMaker"'} if status == 401 else None
    return json_answer({"error": {"code": status, "message": message}}, status, headers)


def empty_ok() -> Answer:
    """ProcessMaker's PUT and DELETE answer 200 with no body."""
    return Answer(body="", status_code=200)


def json_object(request: Any, *, required: bool = True) -> dict[str, Any]:
    """The JSON object of the body (Restler's ``$request_data``)."""
    body = bounded_body(request)
    if not body.strip():
        if required:
            raise ValidationFailed("the request body is empty", field="body")
        return {}
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ValidationFailed(f"malformed JSON: {exc}", field="body", cause=exc) from exc
    if not isinstance(data, dict):
        raise ValidationFailed("the body must be a JSON object", field="body")
    return data


def _multipart_fields(content_type: str, body: bytes) -> dict[str, Any]:
    """The text fields of a ``multipart/form-data`` body (PHP's curl with an array body)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise oauth.OAuthRefused(400, "invalid_request", "The request body is malformed")
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str) and part.get_filename() is None:
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                fields[name] = payload.decode("utf-8", "replace")
    return fields


def token_params(request: Any) -> dict[str, Any]:
    """The token request's fields: a form, a multipart form or a JSON object (ProcessMaker's
    JavaScript clients send JSON or a form; PHP's curl with an array body sends multipart)."""
    raw_type = request.headers.get("content-type") or ""
    content_type = raw_type.lower()
    body = bounded_body(request)
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    if content_type.startswith("multipart/form-data"):
        return _multipart_fields(raw_type, body)
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise oauth.OAuthRefused(400, "invalid_request", "The request body is malformed") from None
    return data if isinstance(data, dict) else {}


def client_basic(request: Any) -> tuple[str, str] | None:
    """OAuth client credentials sent as HTTP Basic, or None."""
    value = (request.headers.get("authorization") or "").strip()
    scheme, _, rest = value.partition(" ")
    if scheme.lower() != "basic" or not rest:
        return None
    try:
        decoded = base64.b64decode(rest.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None
