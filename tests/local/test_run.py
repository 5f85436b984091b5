"""``make run`` end to end: the supervisor serves the API, stops every process it started on
SIGTERM or SIGINT, and a restart on the same DATA_DIR still has the users created before."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

import pytest
import requests

from local.child import LocalRunProcess
from local.config import port_in_use
from tests.local.support import wait_until

ADMIN = ("boss", "boss-password-1")
START_DEADLINE = 180.0  # a cold machine installs nothing here, but imports are slow on CI
STOP_DEADLINE = 90.0


class Runtime(LocalRunProcess):
    """One ``python -m local.run`` (what ``make run`` execs), its log in a file of ``tmp_path``."""

    def __init__(self, tmp_path: Path, data_dir: Path, **env: str) -> None:
        log = tmp_path / f"run-{len(list(tmp_path.glob('run-*.log')))}.log"
        super().__init__(data_dir, log, **env)

    def children(self) -> list[int]:
        found = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            found += [int(pid) for pid in (task / "children").read_text().split()]
        return found

    def stop(self, signum: int) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=STOP_DEADLINE)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads children from /proc")
def test_make_run_serves_stops_cleanly_and_keeps_users(tmp_path):
    data_dir = tmp_path / "data"
    first = Runtime(tmp_path, data_dir, ADMIN_USERNAME=ADMIN[0], ADMIN_PASSWORD=ADMIN[1])
    try:
        wait_until(first.healthy, "GET /health to answer 200", START_DEADLINE)
        answer = requests.post(
            f"{first.url}/admin/users", auth=ADMIN, json={"username": "carol", "password": "x" * 9}
        )
        assert answer.status_code == 201, answer.text
        answer = requests.post(
            f"{first.url}/admin/users", auth=ADMIN, json={"username": "temp", "password": "y" * 9}
        )
        assert answer.status_code == 201, answer.text
        assert requests.delete(f"{first.url}/admin/users/temp", auth=ADMIN).status_code == 204
        children = first.children()
        assert children, "chalice local runs as a child of the supervisor"

        assert first.stop(signal.SIGTERM) == 0, first.output()
    finally:
        first.kill()
    assert all(gone(pid) for pid in children)
    assert not port_in_use("127.0.0.1", first.port)
    assert not port_in_use("127.0.0.1", first.dynamodb_port)
    assert ADMIN[1] not in first.output()  # a given password is never printed

    second = Runtime(tmp_path, data_dir, ADMIN_USERNAME=ADMIN[0], ADMIN_PASSWORD=ADMIN[1])
    try:
        wait_until(second.healthy, "GET /health after the restart", START_DEADLINE)
        answer = requests.get(f"{second.url}/admin/users", auth=ADMIN)
        assert answer.status_code == 200, answer.text
        assert sorted(user["username"] for user in answer.json()) == ["boss", "carol"]
        assert "restored" in second.output()
        children = second.children()
        assert second.stop(signal.SIGINT) == 0, second.output()  # Ctrl-C
    finally:
        second.kill()
    assert all(gone(pid) for pid in children)


def test_a_port_in_use_is_one_line_and_exit_status_1(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        runtime = Runtime(tmp_path, tmp_path / "data", DYNAMODB_PORT=str(port))
        try:
            status = runtime.process.wait(timeout=STOP_DEADLINE)
        finally:
            runtime.kill()
    assert status == 1
    assert runtime.output() == f"event-service: port {port} (DYNAMODB_PORT) is already in use\n"


class SlowReceiver:
    """A local webhook receiver; while ``hold`` is set, it takes requests and never answers."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.arrived: list[dict] = []
        self.hold = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                import json

                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.arrived.append(json.loads(body))
                if receiver.hold.is_set():
                    self._stall()
                    return
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def _stall(self) -> None:
                import time

                deadline = time.monotonic() + 120
                while receiver.hold.is_set() and time.monotonic() < deadline:
                    time.sleep(0.1)
                self.close_connection = True

            def log_message(self, *args) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def ids(self) -> list[str]:
        return [body.get("id") for body in self.arrived]

    def close(self) -> None:
        self.hold.clear()
        self.server.shutdown()
        self.server.server_close()


def _snapshot_pending(data_dir: Path) -> tuple[set[str], set[str]]:
    import json

    try:
        data = json.loads((data_dir / "snapshot.json").read_text())
    except (OSError, ValueError):
        return set(), set()
    stored = {item["message_id"]["S"] for item in data["tables"].get("events", [])}
    return stored, set(data.get("pending_dispatch") or ())


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads children from /proc")
def test_make_run_killed_with_9_keeps_its_data_and_dispatches_what_was_pending(tmp_path):
    data_dir = tmp_path / "data"
    receiver = SlowReceiver()
    first = Runtime(tmp_path, data_dir, ADMIN_USERNAME=ADMIN[0], ADMIN_PASSWORD=ADMIN[1])
    try:
        wait_until(first.healthy, "GET /health to answer 200", START_DEADLINE)
        # A WebHook made over HTTP, and an event sent right after it: it fires.
        answer = requests.post(
            f"{first.url}/event",
            auth=ADMIN,
            data={
                "name": "hook",
                "event": "test.sent",
                "handlermodule": "WebHook",
                "action": "post_webhook",
                "position": "post",
                "option.URL": receiver.url,
                "option.content_type": "application/json",
                "option.replace": "True",
                "option.data": '{"id": "{message_id}"}',
            },
        )
        assert answer.status_code == 200, answer.text
        ingest = f"{first.url}/v2/events"
        assert (
            requests.post(
                ingest, auth=ADMIN, json={"event_type": "test.sent", "message_id": "first"}
            ).status_code
            == 201
        )
        wait_until(lambda: receiver.ids() == ["first"], "the handler to fire on 'first'", 60)

        # The next event's delivery hangs: it is recorded but never dispatched when killed.
        receiver.hold.set()
        assert (
            requests.post(
                ingest, auth=ADMIN, json={"event_type": "test.sent", "message_id": "pending"}
            ).status_code
            == 201
        )
        wait_until(lambda: "pending" in receiver.ids(), "the delivery of 'pending' to start", 60)

        def snapshot_names_pending() -> bool:
            stored, pending = _snapshot_pending(data_dir)
            return (
                {"first", "pending"} <= stored and "pending" in pending and "first" not in pending
            )

        wait_until(snapshot_names_pending, "a snapshot naming 'pending' as not dispatched", 30)
        first.process.kill()  # kill -9: no shutdown, no final snapshot
        first.process.wait()
    finally:
        first.kill()
    receiver.hold.clear()
    before_restart = len(receiver.arrived)

    second = Runtime(tmp_path, data_dir, ADMIN_USERNAME=ADMIN[0], ADMIN_PASSWORD=ADMIN[1])
    try:
        wait_until(second.healthy, "GET /health after the restart", START_DEADLINE)
        events = requests.get(
            f"{second.url}/v2/events?q.field=event_type&q.value=test.sent", auth=ADMIN
        )
        assert sorted(e["message_id"] for e in events.json()) == ["first", "pending"]
        wait_until(
            lambda: receiver.ids()[before_restart:] == ["pending"],
            "'pending' to be dispatched after the restart",
            90,
        )
        history = requests.get(f"{second.url}/event/executions", auth=ADMIN).json()
        statuses = {e["message_id"]: e["status"] for e in history["result"]["value"]}
        assert statuses == {"first": "ok", "pending": "ok"}
        assert "replaying 1 event" in second.output()
        assert second.stop(signal.SIGTERM) == 0, second.output()
        assert receiver.ids()[before_restart:] == ["pending"]  # exactly once; 'first' not again
    finally:
        second.kill()
        receiver.close()
