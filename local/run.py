"""``make run``: the whole of event-service on one machine, as one process tree.

    python -m local.run                      the supervisor (this module)
    ├── thread  embedded DynamoDB            moto's server on 127.0.0.1:$DYNAMODB_PORT
    ├── thread  stream pump                  events stream -> app.handle_event_stream
    ├── thread  ticker                       app.run_schedule every $SCHEDULE_INTERVAL_SECONDS
    ├── thread  snapshots                    tables -> $DATA_DIR/snapshot.json, ≤1 s after a write
    └── child   chalice local --stage local  the API on 127.0.0.1:$PORT

Start: check ports, create the tables, restore the snapshot, release the leases of executions
left ``running`` (their owner is gone), make sure the admin exists, then start the pump (at
LATEST, so restored events do not run their handlers again; it first replays the events the
snapshot names as not yet dispatched), the ticker and the API. Every write to the embedded
DynamoDB schedules a snapshot (at most ``SNAPSHOT_INTERVAL_SECONDS``, 1 s, later), so a
``kill -9`` loses at most about the last second. Stop (SIGINT, SIGTERM, SIGHUP, or the API
dying): stop the API, the ticker and the pump, write a last snapshot, stop the embedded
DynamoDB.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from local.config import (
    ENV_DATA_DIR,
    LocalConfig,
    LocalConfigError,
    busy_port,
    runtime_environment,
)
from local.embedded_dynamodb import EmbeddedDynamoDB, PortInUse
from local.persistence import SnapshotError

log = logging.getLogger(__name__)

LOCK_FILE = ".lock"
_API_STOP_SECONDS = 10.0
_TRIM_EVERY_SECONDS = 30.0


def say(message: str) -> None:
    """One line for the person running ``make run``."""
    print(f"event-service: {message}", flush=True)


class DataDirInUse(RuntimeError):
    """Another ``make run`` holds this DATA_DIR."""


class DataDirLock:
    """An exclusive lock on DATA_DIR, so two runtimes never overwrite each other's snapshot."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / LOCK_FILE
        self._file: Any = None

    def acquire(self) -> DataDirLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise DataDirInUse(f"{self.path.parent} is in use by pid {holder}") from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the flock
            self._file = None


class LocalRuntime:
    """Starts, watches and stops every part of the local runtime."""

    def __init__(self, config: LocalConfig, env: dict[str, str]) -> None:
        self.config = config
        self.env = env
        self.embedded = EmbeddedDynamoDB(config.host, config.dynamodb_port)
        self.lock = DataDirLock(config.data_dir)
        self.api: subprocess.Popen[bytes] | None = None
        self.pump: Any = None
        self.ticker: Any = None
        self.snapshots: Any = None
        self.tables: dict[str, str] = {}
        self._pending: list[dict[str, Any]] = []
        self._restored_dispatched: set[str] = set()
        self._unhook_writes: Any = None
        self._client: Any = None
        self._session: Any = None
        self._stop_requested = False
        self._signals = 0

    # ------------------------------------------------------------------ signals

    def _on_signal(self, signum: int, frame: Any) -> None:
        self._signals += 1
        self._stop_requested = True
        if self._signals == 2:
            say("stopping now (one more signal kills the API at once)")

    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)

    # ------------------------------------------------------------------ start

    def _prepare_store(self) -> None:
        """Tables, restored data and the admin user, before anything can read or write."""
        import boto3

        from chalicelib.auth.principals import ensure_local_admin
        from chalicelib.settings import get_settings, reset_settings
        from chalicelib.store.tables import ALL_MODELS, bind_all, create_all_tables
        from local.persistence import pending_dispatch, read_snapshot, restore_snapshot

        reset_settings()
        settings = get_settings()
        bind_all(settings)
        create_all_tables(wait=True)
        tables = {short: model.Meta.table_name for model, short in ALL_MODELS}
        session = boto3.session.Session(region_name=settings.region)
        self._client = session.client("dynamodb", endpoint_url=self.config.endpoint)
        self._session = session
        restored = restore_snapshot(self._client, tables, self.config.data_dir)
        self._pending = pending_dispatch(self.config.data_dir)
        pending_ids = {item["message_id"]["S"] for item in self._pending}
        restored_events = (read_snapshot(self.config.data_dir) or {}).get("events", [])
        self._restored_dispatched = {
            item["message_id"]["S"] for item in restored_events
        } - pending_ids
        released = release_running_executions(self._client, tables.get("executions"))
        if released:
            say(f"released {released} execution(s) left running: redelivery takes them over")
        # Only now may a snapshot be written: before, it would replace the data with nothing.
        self.tables = tables
        if restored:
            counts = ", ".join(f"{count} {short}" for short, count in restored.items() if count)
            say(f"restored {counts or 'empty tables'} from {self.config.data_dir}")
        username, password = ensure_local_admin(settings)
        if password:
            say(f"created admin user {username!r} with password {password} (shown only once)")
        else:
            say(f"admin user {username!r} is ready (HTTP Basic auth)")
        if settings.maddash_config:
            self._load_maddash_config(settings.maddash_config)

    def _load_maddash_config(self, name: str) -> None:
        """MADDASH_CONFIG: MaDDash grids and checks loaded (again) at every start."""
        from chalicelib.dialects.maddash.config import load_config_file
        from chalicelib.errors import EventServiceError

        try:
            counts = load_config_file(self.config.project_dir / name)
        except (OSError, EventServiceError) as exc:
            say(f"MADDASH_CONFIG {name} not loaded: {getattr(exc, 'message', exc)}")
            return
        say(f"MaDDash config {name}: {counts['grids']} grids, {counts['checks']} checks")

    def _start_workers(self) -> None:
        import app
        from chalicelib.store.events import EventModel
        from local.embedded_dynamodb import on_write
        from local.persistence import DebouncedSnapshots
        from local.stream_pump import StreamPump
        from local.ticker import Ticker

        region = self.env["AWS_REGION"]
        self.pump = StreamPump(
            app.handle_event_stream,
            table_name=EventModel.Meta.table_name,
            data_dir=self.config.data_dir,
            endpoint_url=self.config.endpoint,
            region=region,
            start_at="LATEST",
            poll_seconds=self.config.stream_poll_seconds,
            session=self._session,
        )
        self.pump.note_dispatched(self._restored_dispatched)
        if self._pending:
            say(f"replaying {len(self._pending)} event(s) recorded but not dispatched")
        self.pump.replay(self._pending).start()
        self.ticker = Ticker(
            app.run_schedule, self.config.schedule_interval_seconds, region=region
        ).start()
        if self.config.snapshot_interval_seconds > 0:
            self.snapshots = DebouncedSnapshots(
                self._snapshot_in_child, debounce_seconds=self.config.snapshot_interval_seconds
            ).start()
            self._unhook_writes = on_write(self.snapshots.changed)
            self.snapshots.changed()  # the restored state, with what is still pending

    def _start_api(self) -> None:
        command = [
            sys.executable,
            "-m",
            "local.api_server",
            "--host",
            self.config.host,
            "--port",
            str(self.config.port),
            "--stage",
            "local",
            "--no-autoreload",
        ]
        env = dict(self.env, EVENT_SERVICE_SUPERVISOR_PID=str(os.getpid()))
        # Its own session: the terminal's Ctrl-C reaches the supervisor, which stops the API
        # after its own shutdown has begun, and a kill of the group takes any grandchildren.
        self.api = subprocess.Popen(
            command,
            cwd=self.config.project_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.config.api_url}/health", timeout=2) as answer:
                return answer.status == 200
        except (urllib.error.URLError, OSError):
            return False

    # ------------------------------------------------------------------ run

    def run(self) -> int:
        self.install_signal_handlers()
        try:
            self.lock.acquire()
        except DataDirInUse as exc:
            say(f"{ENV_DATA_DIR} {exc}")
            return 1
        try:
            self.embedded.start()
        except PortInUse as exc:
            say(f"port {exc.port} (DYNAMODB_PORT) is already in use")
            self.lock.release()
            return 1
        status = 0
        try:
            say(f"embedded DynamoDB on {self.config.endpoint}, data in {self.config.data_dir}")
            self._prepare_store()
            if not self._stop_requested:
                self._start_workers()
                self._start_api()
                status = self._watch()
        except SnapshotError as exc:
            say(f"{exc}; move it away to start with empty tables")
            status = 1
        except Exception:
            log.exception("the local runtime failed")
            status = 1
        finally:
            self.shutdown()
        return status

    def _watch(self) -> int:
        ready = False
        last_trim = time.monotonic()
        while not self._stop_requested:
            assert self.api is not None
            code = self.api.poll()
            if code is not None:
                say(f"chalice local exited with status {code}; stopping")
                return 1
            if not ready and self._healthy():
                ready = True
                say(f"ready: {self.config.api_url} (GET /health; Ctrl-C stops everything)")
            if time.monotonic() - last_trim > _TRIM_EVERY_SECONDS:
                self.embedded.forget_spent_shard_iterators()
                last_trim = time.monotonic()
            time.sleep(0.25)
        return 0

    # ------------------------------------------------------------------ stop

    def _stop_api(self) -> None:
        if self.api is None or self.api.poll() is not None:
            return
        for signum, wait in ((signal.SIGTERM, _API_STOP_SECONDS), (signal.SIGKILL, None)):
            try:
                os.killpg(self.api.pid, signum)
            except ProcessLookupError:
                return
            try:
                self.api.wait(timeout=1.0 if self._signals >= 3 else wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def shutdown(self) -> None:
        """Stop everything that was started, in the order that loses nothing."""
        say("stopping")
        steps = (
            ("API", self._stop_api),
            ("ticker", lambda: self.ticker and self.ticker.stop()),
            ("snapshots", self._stop_snapshots),
            ("stream pump", lambda: self.pump and self.pump.stop()),
            ("final snapshot", self._final_snapshot),
            ("embedded DynamoDB", self.embedded.stop),
            ("data lock", self.lock.release),
        )
        for name, step in steps:
            try:
                step()
            except Exception:
                log.exception("stopping the %s failed", name)
        say("stopped")

    def _snapshot(self) -> dict[str, int]:
        from local.persistence import take_snapshot

        dispatched = self.pump.dispatched_ids if self.pump is not None else None
        return take_snapshot(
            self._client,
            self.tables,
            self.config.data_dir,
            dispatched,
            read_table=self.embedded.table_items,
        )

    def _snapshot_in_child(self) -> None:
        """A snapshot written by a forked child (local.persistence.in_child_process)."""
        from local.persistence import in_child_process, take_snapshot

        # Asked here, before the fork: the pump's lock may be held at the moment of the fork.
        done = self.pump.dispatched_ids() if self.pump is not None else None
        in_child_process(
            lambda: take_snapshot(
                self._client,
                self.tables,
                self.config.data_dir,
                None if done is None else lambda: done,
                read_table=lambda name: self.embedded.table_items(name, locked=False),
            ),
            self.embedded.request_lock,
        )

    def _stop_snapshots(self) -> None:
        if self._unhook_writes is not None:
            self._unhook_writes()
        if self.snapshots is not None:
            self.snapshots.stop()

    def _final_snapshot(self) -> None:
        if self._client is None or not self.tables:
            return
        counts = self._snapshot()
        say(f"saved {sum(counts.values())} items to {self.config.data_dir}")


def release_running_executions(client: Any, table_name: str | None) -> int:
    """End the leases of executions left ``running`` by a runtime that is gone (this DATA_DIR's
    lock says none other is alive), so the replayed records take them over at once."""
    if not table_name:
        return 0
    released = 0
    # scan-ok: local start-up only (the whole table is the point; never a request path)
    pages = client.get_paginator("scan").paginate(
        TableName=table_name,
        FilterExpression="#s = :running",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":running": {"S": "running"}},
    )
    for page in pages:
        for item in page["Items"]:
            client.update_item(
                TableName=table_name,
                Key={"execution_id": item["execution_id"]},
                UpdateExpression="SET lease_until = :zero",
                ConditionExpression="#s = :running",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":zero": {"N": "0"}, ":running": {"S": "running"}},
            )
            released += 1
    return released


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="event-service: %(levelname)s %(message)s")
    logging.getLogger("local").setLevel(logging.INFO)
    try:
        config = LocalConfig.from_env()
    except LocalConfigError as exc:
        say(str(exc))
        return 2
    taken = busy_port(config)
    if taken:
        say(f"port {taken[0]} ({taken[1]}) is already in use")
        return 1
    # Before anything imports botocore or the app: both read the environment once.
    env = runtime_environment(config, os.environ)
    for name in set(os.environ) - set(env):
        del os.environ[name]
    os.environ.update(env)
    if str(config.project_dir) not in sys.path:
        sys.path.insert(0, str(config.project_dir))
    return LocalRuntime(config, env).run()


if __name__ == "__main__":
    sys.exit(main())
