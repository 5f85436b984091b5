"""``make run`` with a table that has grown: 5,000 stored events, then a 1,000-event ingest that
answers 2xx and a stream that delivers each of its events to the handler bound to them.

Before the embedded DynamoDB's rollback fix (local/moto_transactions.py) a grouped write
copied the whole table once per item: a 550-event POST answered 500 after 51 s, and the stream
pump's reads timed out with it. Deadlines here are generous limits for slow machines, never
speed assertions (speed is ``make bench``'s).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from tests.local.support import wait_until
from tests.local.test_run import ADMIN, START_DEADLINE, Runtime

STORED, BATCH, DELIVERED_TYPE = 5000, 1000, "size.delivered"
REQUEST_TIMEOUT = 120.0  # the service's own store timeouts answer 503 well before this


class CountingReceiver:
    """A local webhook receiver keeping the ``id`` of each call it gets."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.ids.append(json.loads(body)["id"])
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def distinct(self) -> set[str]:
        with self.lock:
            return set(self.ids)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _batch(prefix: str, event_type: str, count: int) -> list[dict]:
    return [
        {
            "event_type": event_type,
            "message_id": f"{prefix}-{number}",
            "generated": f"2026-01-01T00:{number // 60 % 60:02d}:{number % 60:02d}",
            "traits": [{"name": "host", "type": "string", "value": f"h{number % 7}"}],
        }
        for number in range(count)
    ]


def _ingest(runtime: Runtime, events: list[dict]) -> requests.Response:
    return requests.post(
        f"{runtime.url}/v2/events", auth=ADMIN, json=events, timeout=REQUEST_TIMEOUT
    )


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="as the other make run tests")
def test_a_grown_table_still_takes_a_1000_event_ingest_and_delivers_every_event(tmp_path):
    receiver = CountingReceiver()
    runtime = Runtime(
        tmp_path,
        tmp_path / "data",
        ADMIN_USERNAME=ADMIN[0],
        ADMIN_PASSWORD=ADMIN[1],
        EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE="1",
    )
    try:
        wait_until(runtime.healthy, "GET /health to answer 200", START_DEADLINE)
        for round_number in range(STORED // BATCH):
            answer = _ingest(runtime, _batch(f"seed{round_number}", "size.seed", BATCH))
            assert answer.status_code == 201, (round_number, answer.status_code, answer.text)
        answer = requests.post(
            f"{runtime.url}/event",
            auth=ADMIN,
            data={
                "name": "count",
                "event": DELIVERED_TYPE,
                "handlermodule": "WebHook",
                "action": "post_webhook",
                "position": "post",
                "option.URL": receiver.url,
                "option.content_type": "application/json",
                "option.replace": "True",
                "option.data": '{"id": "{message_id}"}',
            },
            timeout=REQUEST_TIMEOUT,
        )
        assert answer.status_code == 200, answer.text

        answer = _ingest(runtime, _batch("late", DELIVERED_TYPE, BATCH))

        assert answer.status_code == 201, (answer.status_code, answer.text)
        expected = {f"late-{number}" for number in range(BATCH)}
        wait_until(
            lambda: receiver.distinct() == expected,
            "every event of the 1,000-event ingest to reach its handler",
            600,
        )
        page = requests.get(
            f"{runtime.url}/v2/events",
            params={"q.field": "event_type", "q.value": "size.seed", "limit": "10"},
            auth=ADMIN,
            timeout=REQUEST_TIMEOUT,
        )
        assert page.status_code == 200 and len(page.json()) == 10
        output = runtime.output()
        assert "Traceback" not in output, output[-4000:]
        # No batch given up on: nothing was dead-lettered on the way.
        assert not (tmp_path / "data" / "stream-dead-letters.jsonl").exists()
    finally:
        runtime.kill()
        receiver.close()
