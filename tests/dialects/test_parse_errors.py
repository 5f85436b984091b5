"""No 500 from parsing: every registered route, walked with bodies no parser should choke on.

The routes come from ``app.routes``, so a route added later is walked too (what that table
must hold is stated independently in tests/openapi/routes.txt).
"""

from __future__ import annotations

import re

import pytest

DEEP_JSON = b"[" * 100_000 + b"]" * 100_000
HUGE_INTEGER = b'{"limit": ' + b"9" * 5000 + b', "value": ' + b"9" * 5000 + b"}"
BODIES = {
    "deep json": ("application/json", DEEP_JSON),
    "deep json object": ("application/json", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    "huge integer": ("application/json", HUGE_INTEGER),
    "not utf-8": ("application/json", b'{"event_type": "\xff\xfe"}'),
    "bad charset": (
        "multipart/form-data; charset=no-such-charset; boundary=XX",
        b'--XX\r\nContent-Disposition: form-data; name="event"\r\n'
        b"Content-Type: text/plain; charset=no-such-charset\r\n\r\nvalue\r\n--XX--\r\n",
    ),
    "malformed multipart": ("multipart/form-data; boundary=", b"--\r\n\r\n--"),
    "malformed form": ("application/x-www-form-urlencoded", b"%ZZ=%&&==&a=%E0%A4%A"),
    "form bad utf-8": ("application/x-www-form-urlencoded", b"event=\xff\xfe&name=\xc3"),
    "deep xml": ("application/xml", b"<a>" * 5000 + b"</a>" * 5000),
    "json text": ("text/plain", b"{" * 1000),
}
PATH_VALUES = ("1", "9" * 5000)


def _routes():
    from app import app

    for path, methods in sorted(app.routes.items()):
        for method in sorted(methods):
            yield path, method


def _concrete(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


@pytest.mark.parametrize("body_name", sorted(BODIES))
def test_every_route_answers_bad_bodies_without_a_server_error(client, admin, body_name):
    content_type, body = BODIES[body_name]
    failures = []
    for path, method in _routes():
        for value in PATH_VALUES:
            url = _concrete(path, value)
            for query in ("", "?limit=" + "9" * 5000 + "&q.field=a&q.value=" + "9" * 5000):
                response = client.http.request(
                    method,
                    url + query,
                    headers={**admin, "Content-Type": content_type},
                    body=body,
                )
                if response.status_code >= 500:
                    failures.append((method, url[:60], query[:20], response.status_code))
    assert failures == []
