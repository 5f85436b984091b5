"""Snapshots of the embedded tables under DATA_DIR, so ``make run`` keeps its data across restarts.

A snapshot is one JSON file, written atomically: every item of every table in DynamoDB JSON,
keyed by the table's short name (``events``, ``principals`` ...), so a changed table prefix
still restores. Restoring batch-writes the items back into freshly created tables.

Snapshots are taken on change (``DebouncedSnapshots``): at most ``debounce_seconds`` (1 s)
after a write, so a ``kill -9`` loses at most about the last second. Each snapshot also names
the events recorded but not yet dispatched (``pending_dispatch``): after a restart the stream
pump replays exactly those.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Collection, Mapping
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SNAPSHOT_FILE = "snapshot.json"
SNAPSHOT_FORMAT = "event-service-snapshot"
SNAPSHOT_VERSION = 1
_BATCH = 25  # BatchWriteItem's limit
_UNPROCESSED_RETRIES = 8


class SnapshotError(RuntimeError):
    """The snapshot file cannot be read back."""


def snapshot_path(data_dir: Path) -> Path:
    return Path(data_dir) / SNAPSHOT_FILE


# DynamoDB JSON is JSON except for binary values, which the client hands over as bytes.
def attribute_to_json(value: dict[str, Any]) -> dict[str, Any]:
    """A client's attribute value as JSON-safe DynamoDB JSON (binaries in base64)."""
    ((kind, inner),) = value.items()
    if kind == "B":
        return {"B": base64.b64encode(inner).decode()}
    if kind == "BS":
        return {"BS": [base64.b64encode(part).decode() for part in inner]}
    if kind == "M":
        return {"M": {name: attribute_to_json(part) for name, part in inner.items()}}
    if kind == "L":
        return {"L": [attribute_to_json(part) for part in inner]}
    return value


def attribute_from_json(value: dict[str, Any]) -> dict[str, Any]:
    """The reverse of ``attribute_to_json``: what a client accepts."""
    ((kind, inner),) = value.items()
    if kind == "B":
        return {"B": base64.b64decode(inner)}
    if kind == "BS":
        return {"BS": [base64.b64decode(part) for part in inner]}
    if kind == "M":
        return {"M": {name: attribute_from_json(part) for name, part in inner.items()}}
    if kind == "L":
        return {"L": [attribute_from_json(part) for part in inner]}
    return value


def _scan_all(client: Any, table_name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    # scan-ok: local snapshot (the whole table is the point; never a request path)
    for page in client.get_paginator("scan").paginate(TableName=table_name, ConsistentRead=True):
        items.extend(page["Items"])
    return items


EVENTS_TABLE = "events"


def _message_id(item: dict[str, Any]) -> str:
    return item["message_id"]["S"]


def take_snapshot(
    client: Any,
    tables: Mapping[str, str],
    data_dir: Path,
    dispatched: Callable[[], Collection[str]] | None = None,
    read_table: Callable[[str], list[dict[str, Any]]] | None = None,
) -> dict[str, int]:
    """Write every item of ``tables`` (short name -> table name) to DATA_DIR; item counts back.

    ``read_table(name)`` hands over a table's items as the client would (the embedded
    server's ``table_items``: read from memory, far cheaper than a Scan); by default
    ``client`` scans it.

    ``dispatched()`` names the events already handed to the stream handler; it is asked before
    the tables are read, so an event dispatched meanwhile counts as pending (replayed, and its
    executions' claims keep the replay from repeating what is final). The file is replaced
    atomically, so a crash mid-write keeps the previous snapshot.
    """
    done = set(dispatched()) if dispatched is not None else None
    read = read_table or (lambda name: _scan_all(client, name))
    scanned = {
        short: [
            {key: attribute_to_json(value) for key, value in item.items()} for item in read(name)
        ]
        for short, name in tables.items()
    }
    data: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "taken_at": datetime.now(UTC).isoformat(),
        "tables": scanned,
    }
    if done is not None:
        data["pending_dispatch"] = [
            _message_id(item)
            for item in scanned.get(EVENTS_TABLE, [])
            if _message_id(item) not in done
        ]
    path = snapshot_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # 0600 from creation: the snapshot holds password hashes and secret handler options.
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(data, out, separators=(",", ":"))
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)
    return {short: len(items) for short, items in data["tables"].items()}


def in_child_process(write: Callable[[], object], hold: AbstractContextManager[Any]) -> None:
    """Run ``write()`` in a forked child, holding ``hold`` only while forking; wait for it.

    ``make run``'s snapshots: serialising every table costs time in proportion to everything
    stored (seconds at 50,000 events), and in the supervisor it held the interpreter lock the
    embedded DynamoDB needs to answer, so every request slowed down as the table grew. A child
    process writes from its copy-on-write image of memory instead (the way Redis saves): the
    supervisor pays the fork, holding ``hold`` (the embedded server's request lock, so the
    image is between two requests, as consistent as before). The child has one thread: it
    takes no lock another thread could have held at the fork, logs nothing, and leaves by
    ``os._exit``. Where there is no ``fork``, ``write()`` runs here.
    """
    if not hasattr(os, "fork"):
        write()
        return
    with hold, warnings.catch_warnings():
        # "use of fork() may lead to deadlocks in the child": the child avoids every lock.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's lines run in the child
            status = 1
            try:
                write()
                status = 0
            except BaseException:
                os.write(2, traceback.format_exc().encode(errors="replace"))
            finally:
                os._exit(status)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SnapshotError(f"the snapshot process ended with status {code}")


def read_snapshot(data_dir: Path) -> dict[str, list[dict[str, Any]]] | None:
    """The tables of the snapshot in DATA_DIR (short name -> items), or None if there is none."""
    data = _read_file(data_dir)
    return None if data is None else data["tables"]


def pending_dispatch(data_dir: Path) -> list[dict[str, Any]]:
    """The events items (DynamoDB JSON) the snapshot names as not yet dispatched."""
    data = _read_file(data_dir)
    if data is None:
        return []
    pending = set(data.get("pending_dispatch") or ())
    return [item for item in data["tables"].get(EVENTS_TABLE, []) if _message_id(item) in pending]


def _read_file(data_dir: Path) -> dict[str, Any] | None:
    path = snapshot_path(data_dir)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"cannot read {path}: {exc}") from exc
    if data.get("format") != SNAPSHOT_FORMAT or data.get("version") != SNAPSHOT_VERSION:
        raise SnapshotError(f"{path} is not an event-service snapshot of version 1")
    return data


def _write_batch(client: Any, table_name: str, items: list[dict[str, Any]]) -> None:
    requests = {table_name: [{"PutRequest": {"Item": item}} for item in items]}
    for attempt in range(_UNPROCESSED_RETRIES):
        unprocessed = client.batch_write_item(RequestItems=requests).get("UnprocessedItems")
        if not unprocessed:
            return
        requests = unprocessed
        time.sleep(0.05 * 2**attempt)
    raise RuntimeError(f"restoring {table_name}: items stayed unprocessed")


def restore_snapshot(client: Any, tables: Mapping[str, str], data_dir: Path) -> dict[str, int]:
    """Put every item of the DATA_DIR snapshot back into ``tables``; item counts back.

    Tables the snapshot knows but the code no longer has are skipped with a warning.
    """
    stored = read_snapshot(data_dir)
    if stored is None:
        return {}
    restored: dict[str, int] = {}
    for short, items in stored.items():
        table_name = tables.get(short)
        if table_name is None:
            log.warning("snapshot table %s has no model any more; its items are skipped", short)
            continue
        decoded = [{name: attribute_from_json(value) for name, value in i.items()} for i in items]
        for start in range(0, len(decoded), _BATCH):
            _write_batch(client, table_name, decoded[start : start + _BATCH])
        restored[short] = len(decoded)
    return restored


class DebouncedSnapshots:
    """Take a snapshot soon after every change: once writes pause for ``quiet_seconds``, and
    never later than ``debounce_seconds`` after the first unsaved write.

    ``changed()`` is cheap and thread-safe (the embedded server calls it after each write).
    """

    def __init__(
        self,
        snapshot: Callable[[], object],
        debounce_seconds: float = 1.0,
        quiet_seconds: float = 0.2,
    ) -> None:
        self.snapshot = snapshot
        self.debounce_seconds = debounce_seconds
        self.quiet_seconds = min(quiet_seconds, debounce_seconds)
        self.taken = 0
        self._lock = threading.Lock()
        self._first_change: float | None = None
        self._last_change = 0.0
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def changed(self) -> None:
        now = time.monotonic()
        with self._lock:
            if self._first_change is None:
                self._first_change = now
            self._last_change = now
        self._wake.set()

    def start(self) -> DebouncedSnapshots:
        self._thread = threading.Thread(target=self._loop, name="snapshots", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _due_in(self) -> float | None:
        """Seconds until the next snapshot is due; None when nothing is unsaved."""
        with self._lock:
            if self._first_change is None:
                return None
            now = time.monotonic()
            return max(
                0.0,
                min(
                    self._first_change + self.debounce_seconds - now,
                    self._last_change + self.quiet_seconds - now,
                ),
            )

    def _loop(self) -> None:
        while not self._stopping.is_set():
            due = self._due_in()
            if due is None:
                self._wake.wait()
                self._wake.clear()
                continue
            if due > 0:
                self._stopping.wait(due)
                continue
            with self._lock:
                self._first_change = None  # writes from now on need the next snapshot
            try:
                self.snapshot()
                self.taken += 1
            except Exception:
                log.exception("snapshot failed; retrying on the next change")
                self.changed()
                self._stopping.wait(self.debounce_seconds)
