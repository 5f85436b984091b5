"""perfSONAR's own MaDDash web UI, unmodified, against ``make run`` in headless Chromium.

Served as ``apache-maddash.conf`` serves it: the UI under ``/maddash-webui/`` (its CGI pages run
by perl, ``tests/local/maddash_webui/perl/CGI.pm`` standing in for CGI.pm) and ``/maddash/*``
proxied to the API on the same origin. Dojo 1.7 comes from the npm registry (``npm pack``) at
test time; without npm or the registry the test fails saying so, it never skips. Both grids of
``examples/maddash.yaml`` must draw with labels, cells, a colour per status (MaDDash's default
scale), the black of a maintenance window, and a cell must open its details page.
``UPDATE_SCREENSHOTS=1`` refreshes ``docs/maddash-webui.png``.
"""

from __future__ import annotations

import concurrent.futures
import mimetypes
import os
import shutil
import signal
import subprocess
import tarfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from tests.console.conftest import ARTIFACTS, CHROMIUM_ARGS, DOCS, chromium_path
from tests.local.support import wait_until
from tests.local.test_run import ADMIN, START_DEADLINE, Runtime

WEBUI = Path(__file__).parent / "maddash_webui"
DOJO_PACKAGES = ("dojo@1.7.12", "dijit@1.7.12", "dojox@1.7.12")  # the Dojo 1.7 release
OWAMP, A, B, C = "OWAMP Mesh", "albq-owamp.es.net", "bois-owamp.es.net", "chic-owamp.es.net"
# maddash.js's default colour scale, as the browser reports a background.
COLOURS = {
    0: "rgb(0, 158, 115)",
    1: "rgb(240, 228, 66)",
    2: "rgb(204, 121, 167)",
    3: "rgb(230, 159, 0)",
    4: "rgb(86, 180, 233)",
    5: "rgb(0, 0, 0)",
}


@pytest.fixture(scope="module")
def dojo(tmp_path_factory) -> Path:
    """Dojo and Dijit 1.7 from the npm registry, laid out as the UI's ``lib/dojo/``."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is missing: the MaDDash web UI test fetches Dojo 1.7 with it", False)
    packs = tmp_path_factory.mktemp("dojo-packs")
    fetched = subprocess.run(
        [npm, "pack", *DOJO_PACKAGES, "--pack-destination", str(packs)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if fetched.returncode != 0:
        pytest.fail(f"npm could not fetch {' and '.join(DOJO_PACKAGES)}:\n{fetched.stderr}", False)
    root = tmp_path_factory.mktemp("dojo")
    for package in DOJO_PACKAGES:
        name, version = package.split("@")
        target = root / name
        with tarfile.open(packs / f"{name}-{version}.tgz") as archive:
            for member in archive.getmembers():
                member.name = member.name.removeprefix("package/")
            archive.extractall(target, filter="data")
    return root


class _Handler(BaseHTTPRequestHandler):
    """``/maddash-webui/`` from the copied UI (``*.cgi`` run by perl, ``lib/dojo/`` from npm),
    ``/maddash/*`` proxied to the API, as Apache does with apache-maddash.conf."""

    api: str
    dojo: Path

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/maddash" or parts.path.startswith("/maddash/"):
            return self._proxy()
        if not parts.path.startswith("/maddash-webui/"):
            return self._answer(404, b"not here", "text/plain")
        relative = parts.path.removeprefix("/maddash-webui/") or "index.cgi"
        if relative.startswith("lib/dojo/"):
            return self._file(self.dojo, relative.removeprefix("lib/dojo/"))
        if relative.endswith(".cgi"):
            return self._cgi(relative, parts.query)
        return self._file(WEBUI / "web", relative)

    def _file(self, root: Path, relative: str) -> None:
        path = (root / relative).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            return self._answer(404, b"no such file", "text/plain")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return self._answer(200, path.read_bytes(), kind)

    def _cgi(self, script: str, query: str) -> None:
        path = WEBUI / "web" / script
        if not path.is_file():
            return self._answer(404, b"no such page", "text/plain")
        ran = subprocess.run(
            ["perl", "-T", f"-I{WEBUI / 'perl'}", str(path)],
            env={"PATH": os.environ.get("PATH", ""), "QUERY_STRING": query},
            capture_output=True,
            timeout=60,
            check=True,
        )
        _, _, body = ran.stdout.partition(b"\r\n\r\n")
        return self._answer(200, body, "text/html; charset=ISO-8859-1")

    def _proxy(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        headers = {
            name: value
            for name, value in self.headers.items()
            if name.lower() in ("content-type", "authorization", "accept")
        }
        answer = requests.request(
            self.command,
            f"{self.api}{self.path}",
            headers=headers,
            data=self.rfile.read(length) if length else None,
            timeout=30,
        )
        kind = answer.headers.get("Content-Type", "application/json")
        return self._answer(answer.status_code, answer.content, kind)

    def _answer(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def runtime(tmp_path_factory) -> Iterator[Runtime]:
    """``make run`` with the example grids; the ticker runs every second."""
    tmp_path = tmp_path_factory.mktemp("maddash-webui")
    runtime = Runtime(
        tmp_path,
        tmp_path / "data",
        ADMIN_USERNAME=ADMIN[0],
        ADMIN_PASSWORD=ADMIN[1],
        MADDASH_CONFIG="examples/maddash.yaml",
        SCHEDULE_INTERVAL_SECONDS="1",
    )
    try:
        wait_until(runtime.healthy, "the API", START_DEADLINE)
        yield runtime
    finally:
        try:
            runtime.stop(signal.SIGTERM)
        finally:
            runtime.kill()


@pytest.fixture(scope="module")
def site(runtime, dojo) -> Iterator[str]:
    handler = type("Handler", (_Handler,), {"api": runtime.url, "dojo": dojo})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _result(api: str, grid: str, row: str, col: str, check: str, status: int) -> None:
    body = {"gridName": grid, "rowName": row, "columnName": col, "checkName": check}
    body |= {"status": status, "message": f"status {status}"}
    answer = requests.post(f"{api}/maddash/admin/results", json=body, auth=ADMIN, timeout=30)
    assert answer.status_code == 200, answer.text


def _seed(api: str) -> None:
    """One status per cell of the OWAMP grid (Loss / Loss Reverse), the Throughput grid OK
    and CRITICAL, and Chicago's outgoing checks in a maintenance window (black)."""
    statuses = {(A, B): 0, (A, C): 1, (B, A): 2, (B, C): 3}  # (C, *) stays NOT RUN, then 5
    for (row, col), status in statuses.items():
        _result(api, OWAMP, row, col, "Loss", status)
        _result(api, OWAMP, row, col, "Loss Reverse", status)
    _result(api, "Throughput", "albq-pt1.es.net", "bois-pt1.es.net", "Throughput", 0)
    _result(api, "Throughput", "bois-pt1.es.net", "albq-pt1.es.net", "Throughput", 2)
    now = int(time.time())
    window = {
        "checkFilters": {"gridName": OWAMP, "rowName": C, "checkName": "Loss"},
        "name": "fibre cut",
        "description": "repair",
        "startTime": now,
        "endTime": now + 3600,
        "changeStatus": True,
    }
    created = requests.post(f"{api}/maddash/admin/events", json=window, auth=ADMIN, timeout=30)
    assert created.status_code == 200, created.text
    check = f"{api}/maddash/grids/OWAMP+Mesh/{C}/{A}/Loss"
    wait_until(lambda: requests.get(check, timeout=30).json()["status"] == 5, "MAINTENANCE")


GRID_SCRIPT = """() => [...document.querySelectorAll('.grid-container')].map((box) => ({
  name: box.querySelector('.maddashGridName').textContent,
  rows: [...box.querySelectorAll('.gleft text')].map((t) => t.textContent),
  columns: [...box.querySelectorAll('.gtop text')].map((t) => t.textContent),
  cells: [...box.querySelectorAll('.ggrid .grow')].map((row) =>
    [...row.querySelectorAll('.gcell')].map((cell) =>
      [...cell.children].map((half) => getComputedStyle(half).backgroundColor))),
  legend: [...box.querySelectorAll('.legends .ltext')]
    .filter((t) => getComputedStyle(t).display !== 'none').map((t) => t.textContent),
  summary: box.querySelector('[id^=report-]').textContent,
}))"""


def test_the_original_web_ui_draws_both_grids_and_opens_a_check(runtime, site):
    _seed(runtime.url)
    # Its own thread: the console tests' session-wide Playwright may hold this thread's loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_draw_and_open_a_check, site).result()


def _draw_and_open_a_check(site: str) -> None:
    with chromium_browser() as browser:
        context = browser.new_context(viewport={"width": 1100, "height": 700})
        context.set_default_timeout(30_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(f"console: {message.text}"))
        page.goto(f"{site}/maddash-webui/index.cgi?dashboard=ESnet")
        try:
            page.wait_for_function(
                "document.querySelectorAll('.grid-container .gcell').length >= 10"
            )
        except Exception:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "maddash-webui.png"), full_page=True)
            pytest.fail(f"no grid drawn; the page said: {errors}", False)
        owamp, throughput = page.evaluate(GRID_SCRIPT)
        assert owamp["name"] == OWAMP
        assert owamp["rows"] == ["Albuquerque", "Boise", "Chicago"]  # labels, not host ids
        assert owamp["columns"] == ["Albuquerque", "Boise", "Chicago"]
        albuquerque, boise, chicago = owamp["cells"]
        assert albuquerque == [[], [COLOURS[0]] * 2, [COLOURS[1]] * 2]  # self excluded: empty
        assert boise == [[COLOURS[2]] * 2, [], [COLOURS[3]] * 2]
        # Chicago's Loss (the top half: sorted check names) is in maintenance, its Loss
        # Reverse never ran.
        assert chicago == [[COLOURS[5], COLOURS[4]], [COLOURS[5], COLOURS[4]], []]
        assert owamp["legend"][:2] == ["Loss is 0", "Loss above 0"]
        # Madalert's report above the grid: Albuquerque's and Boise's rows fail (outgoing).
        assert owamp["summary"] == "Found a total of 2 problems involving 2 hosts in the grid"
        assert throughput["name"] == "Throughput"
        assert throughput["rows"] == ["albq-pt1.es.net", "bois-pt1.es.net"]  # no labels
        assert throughput["cells"] == [[[], [COLOURS[0]]], [[COLOURS[2]], []]]
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            page.screenshot(path=str(DOCS / "maddash-webui.png"), full_page=True)

        # The Reports menu's page draws each site's problems from the grid's report.
        report = context.new_page()
        report.goto(f"{site}/maddash-webui/report.cgi?grid=OWAMP+Mesh")
        report.get_by_text("Outgoing test failures").first.wait_for()
        report.close()

        with context.expect_page() as opened:
            page.locator(".grid-container").first.locator(".gcell").nth(1).locator(
                "div"
            ).first.click()
        details = opened.value
        details.wait_for_selector(".maddashCheckTitle")
        title = details.locator(".maddashCheckTitle").text_content()
        assert title == f"{A} to {B} (Loss)"
        assert "status 0" in details.locator("body").text_content()
        context.close()


class chromium_browser:
    """Debian's Chromium under Playwright (as tests/console), for this module's one test."""

    def __enter__(self):
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            pytest.fail("playwright is missing: `make deps` installs requirements-dev.txt", False)
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        return self._browser

    def __exit__(self, *exc: object) -> None:
        self._browser.close()
        self._playwright.stop()
