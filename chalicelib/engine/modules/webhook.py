"""``WebHook``: privacyIDEA's ``post_webhook``, with checked destinations and a timeout.

``data`` is a template: with ``application/json`` it is parsed as JSON and tags are replaced
inside its strings (a string that is exactly one tag becomes that value, e.g. ``"{traits}"``
an object); with ``application/x-www-form-urlencoded`` tags are replaced in the text and
URL-encoded. ``replace`` False sends ``data`` as written. An empty ``data`` sends the event
as JSON. A non-2xx answer is a failure; the executor retries it with backoff.
"""

from __future__ import annotations

import json
from urllib.parse import quote_plus

from chalicelib.core.executions import current_depth, depth_headers
from chalicelib.engine.modules import outbound
from chalicelib.engine.modules.base import (
    ActionContext,
    ActionFailed,
    HandlerModule,
    OptionSpec,
    register,
)
from chalicelib.engine.modules.templates import render, render_json, tag_values

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
# privacyIDEA releases before 3.10 stored these words for the two content types.
_LEGACY_CONTENT_TYPES = {"json": JSON, "urlendcode": FORM, "urlencoded": FORM}
DEFAULT_TIMEOUT = "10"


@register
class WebHookModule(HandlerModule):
    identifier = "WebHook"
    description = "Post a webhook (JSON or form data) to a URL."
    positions = ("post", "pre")
    actions = {
        "post_webhook": {
            "URL": OptionSpec(required=True, description="The URL the WebHook is posted to"),
            "content_type": OptionSpec(
                required=True,
                description="The encoding that is sent to the WebHook, for example json",
                value=(JSON, FORM),
            ),
            "replace": OptionSpec(
                type="bool",
                required=True,
                description="Replace tags in data: {event_type}, {message_id}, {generated}, "
                "{source}, {node}, {logged_in_user}, any trait name, {traits} and {event}.",
            ),
            "data": OptionSpec(
                required=True,
                description="The data posted in the WebHook (empty: the event as JSON)",
            ),
            "timeout": OptionSpec(
                type="int",
                description="Seconds to wait for the connection and for the answer.",
                default=DEFAULT_TIMEOUT,
            ),
            "authorization": OptionSpec(
                description="Sent as the Authorization header, e.g. 'Bearer <token>' "
                "(write-only: never shown again).",
                secret=True,
            ),
        }
    }

    def run(self, action: str, options: dict[str, str], context: ActionContext) -> None:
        url = str(self.option(action, options, "URL"))
        raw_type = str(self.option(action, options, "content_type")).strip()
        content_type = _LEGACY_CONTENT_TYPES.get(raw_type.lower(), raw_type)
        if content_type not in (JSON, FORM):
            raise ActionFailed(f"unknown content_type {raw_type!r}", retryable=False)
        timeout = self.number(action, options, "timeout")
        data = options.get("data") or ""
        values = tag_values(context)
        if not data.strip():
            body = json.dumps(values["event"], default=str).encode()
            content_type = JSON
        elif not self.flag(action, options, "replace"):
            body = data.encode()
        elif content_type == JSON:
            try:
                document = json.loads(data)
            except ValueError:
                body = render(data, values).encode()  # not JSON: replace in the text
            else:
                body = json.dumps(render_json(document, values), default=str).encode()
        else:
            body = render(data, values, quote=quote_plus).encode()
        # The receiver may be this service: the depth it records at stops a handler loop.
        depth = context.event.depth + 1 if context.event is not None else current_depth() + 1
        headers = {"Content-Type": content_type, **depth_headers(depth, body)}
        if options.get("authorization"):
            headers["Authorization"] = options["authorization"]
        reply = outbound.post(url, body, headers, timeout=timeout)
        context.details["status"] = reply.status
