"""Shared helpers of the privacyIDEA dialect tests."""

from __future__ import annotations

import json
from urllib.parse import urlencode

WEBHOOK = {
    "name": "hook",
    "event": "compute.instance.create.end",
    "handlermodule": "WebHook",
    "action": "post_webhook",
    "option.URL": "http://127.0.0.1:8000/hook",
    "option.content_type": "application/json",
    "option.replace": "False",
    "option.data": "{}",
}


def call(client, method, path, headers=None, *, form=None, data=None, query=None):
    headers = dict(headers or {})
    body = b""
    if form is not None:
        body = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    if query:
        path = f"{path}?{urlencode(query)}"
    return client.http.request(method, path, headers=headers, body=body)


def error_of(response) -> dict:
    body = response.json_body
    assert body["result"]["status"] is False
    return body["result"]["error"]
