"""The console in headless Chromium against the app behind a real HTTP server.

Setup that is not the console's job (a MaDDash configuration, check results, ingesting events
as a poller would) goes over HTTP with Basic; the stream and the scheduler are driven directly,
as their Lambda triggers would.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.conftest import ADMIN_PASSWORD
from tests.console.conftest import PROJECT, contrast_failures, readme_screenshot
from tests.engine.conftest import deliver_new_records

ROOT_AUTH = ("root", ADMIN_PASSWORD)
ROW = "albq-owamp.es.net"


@pytest.fixture
def console(served, admin, page):
    """The events page as a browser asks for it (no JSON Accept), logged in as the admin."""
    page.goto(f"{served}/omk/opEvents/events")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Console pages").wait_for()
    return page


def ingest(served: str, **properties) -> str:
    """An opEvents event on a node registered first (as a poller's nodes are)."""
    node = requests.post(
        f"{served}/omk/opEvents/nodes", json={"name": properties["node"]}, auth=ROOT_AUTH
    )
    assert node.status_code in (201, 409), node.text
    response = requests.post(f"{served}/omk/opEvents/events", json=properties, auth=ROOT_AUTH)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def open_event(page, name: str):
    page.goto(page.url.split("#")[0] + "#events")
    page.get_by_role("button", name=name).first.click()
    return page.get_by_role("complementary", name="Event detail")


def test_a_handler_made_in_the_form_runs_and_shows_in_the_event_detail(served, console):
    page = console
    page.get_by_role("link", name="Handlers").click()
    page.get_by_role("button", name="New handler").click()
    page.get_by_label("Name", exact=True).fill("log node downs")
    page.get_by_label("Events").fill("Node Down")
    page.get_by_label("Module").select_option("Logging")
    page.get_by_label("Action").select_option("logging")
    page.get_by_label("level").select_option("WARNING")  # an option generated from /event/actions
    page.get_by_role("button", name="Create handler").click()
    row = page.locator("tr", has_text="log node downs")
    row.wait_for()
    assert "Logging: logging" in row.inner_text()
    stored = requests.get(f"{served}/event/", auth=ROOT_AUTH).json()["result"]["value"]
    assert [(h["name"], h["event"], h["options"]["level"]) for h in stored] == [
        ("log node downs", ["Node Down"], "WARNING")
    ]

    event_id = ingest(served, node="router1", event="Node Down", priority=5, details="ping lost")
    assert deliver_new_records(set()) >= 1  # the stream hands the event to the handler

    detail = open_event(page, "Node Down")
    detail.get_by_role("heading", name="Node Down on router1").wait_for()
    execution = detail.locator("tr.execution")
    execution.wait_for()
    assert re.search(r"log node downs \(#1\)\s+Logging: logging\s+ok\s+1", execution.inner_text())
    traits = detail.get_by_role("region", name="Traits")
    assert "ping lost" in traits.inner_text()
    assert '"details": "ping lost"' in detail.get_by_label("Raw event").inner_text()
    assert f"Event {event_id}" in detail.inner_text()
    assert contrast_failures(page) == []  # WCAG AA: 4.5:1 for every text
    readme_screenshot(page, "console-events.png")

    # Edit (its ordering) and disable it from the list.
    page.get_by_role("link", name="Handlers").click()
    page.get_by_role("button", name="Edit log node downs").click()
    page.get_by_label("Ordering").fill("5")
    page.get_by_role("button", name="Save handler").click()
    page.get_by_text("Handler saved.").wait_for()
    page.get_by_role("button", name="Disable log node downs").click()
    page.get_by_role("button", name="Enable log node downs").wait_for()
    stored = requests.get(f"{served}/event/", auth=ROOT_AUTH).json()["result"]["value"]
    assert [(h["ordering"], h["active"], h["options"]["level"]) for h in stored] == [
        (5, False, "WARNING")
    ]


RESULTS = [
    (ROW, "bois-owamp.es.net", "Loss", 0),
    (ROW, "bois-owamp.es.net", "Loss Reverse", 2),
    ("bois-owamp.es.net", "chic-owamp.es.net", "Loss", 1),
    ("chic-owamp.es.net", ROW, "Loss Reverse", 3),
]


def load_owamp(served: str, results=RESULTS) -> None:
    """The example MaDDash configuration and some check results, over HTTP."""
    config = (PROJECT / "examples" / "maddash.yaml").read_bytes()
    loaded = requests.post(
        f"{served}/maddash/admin/config",
        data=config,
        headers={"Content-Type": "application/x-yaml"},
        auth=ROOT_AUTH,
    )
    assert loaded.status_code == 200, loaded.text
    for row, column, check, status in results:
        posted = requests.post(
            f"{served}/maddash/admin/results",
            json={
                "gridName": "OWAMP Mesh",
                "rowName": row,
                "columnName": column,
                "checkName": check,
                "status": status,
                "message": "measured",
            },
            auth=ROOT_AUTH,
        )
        assert posted.status_code == 200, posted.text


def open_grid(page) -> None:
    page.get_by_role("link", name="Grids").click()
    page.get_by_label("Grid", exact=True).select_option("OWAMP Mesh")
    page.locator(f'.check[data-row="{ROW}"]').first.wait_for()


def wait_for_cell(page, check: str, status: str, col: str = "bois-owamp.es.net") -> None:
    """Refresh until the check from ``ROW`` to ``col`` shows ``status``."""
    page.get_by_role("button", name="Refresh").click()
    page.wait_for_function(
        f"""() => document.querySelector(
        '.check[data-row="{ROW}"][data-col="{col}"][data-check="{check}"]')
        ?.dataset.status === '{status}'"""
    )


def utc_input(seconds: int) -> str:
    """A datetime-local value, as the console writes UTC times in its form."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M")


def test_a_maintenance_window_turns_the_grid_cells(served, console):

    from chalicelib.dialects import jobs as dialect_jobs

    load_owamp(served)

    page = console
    page.get_by_role("link", name="Grids").click()
    page.get_by_label("Grid", exact=True).select_option("OWAMP Mesh")
    cells = page.locator(f'.check[data-row="{ROW}"]')
    cells.first.wait_for()
    assert page.locator(f'.check[data-row="{ROW}"][data-col="bois-owamp.es.net"]').evaluate_all(
        "cells => cells.map(c => [c.dataset.check, c.dataset.status, getComputedStyle(c)"
        ".backgroundColor])"
    ) == [["Loss", "OK", "rgb(0, 138, 0)"], ["Loss Reverse", "CRITICAL", "rgb(208, 2, 27)"]]

    page.get_by_role("button", name=f"{ROW} to bois-owamp.es.net, Loss Reverse: CRITICAL").click()
    history = page.get_by_role("region", name="Check history")
    assert history.locator("tr.history").inner_text().split("\t")[1:] == ["CRITICAL", "measured"]

    page.get_by_label("Window name").fill("fibre cut")
    page.get_by_label("Row", exact=True).select_option(ROW)
    page.get_by_role("button", name="Create window").click()
    page.get_by_role("button", name="End fibre cut now").wait_for()

    dialect_jobs.run_due_work()  # the minute's tick applies the window
    page.get_by_role("button", name="Refresh").click()
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('.check[data-row="{ROW}"]')]
        .every(c => c.dataset.status === 'MAINTENANCE')"""
    )
    assert cells.count() == 4  # two columns, two checks each
    assert cells.first.evaluate("c => getComputedStyle(c).backgroundColor") == "rgb(0, 0, 0)"
    others = page.locator(f'.check[data-status]:not([data-row="{ROW}"])')
    assert sorted(set(others.evaluate_all("cs => cs.map(c => c.dataset.status)"))) == [
        "NOT RUN",
        "UNKNOWN",
        "WARNING",
    ]
    assert contrast_failures(page) == []
    readme_screenshot(page, "console-grid.png")

    # An event on the row's node shows the window that covers it.
    ingest(served, node=ROW, event="Node Down", details="during the repair")
    detail = open_event(page, "Node Down")
    windows = detail.get_by_role("region", name="Maintenance windows")
    windows.get_by_text("fibre cut").wait_for()

    page.get_by_role("link", name="Grids").click()
    page.get_by_role("button", name="End fibre cut now").click()
    page.get_by_text("No current or planned window on this grid.").wait_for()
    dialect_jobs.run_due_work()
    page.get_by_role("button", name="Refresh").click()
    page.wait_for_function(
        f"""() => document.querySelector('.check[data-row="{ROW}"][data-check="Loss"]')
        ?.dataset.status === 'OK'"""
    )


def test_editing_a_windows_end_moves_when_the_cells_return(served, console):
    from chalicelib.dialects import jobs as dialect_jobs
    from chalicelib.dialects.maddash.window_items import from_epoch

    load_owamp(served)
    page = console
    open_grid(page)
    page.get_by_label("Window name").fill("fibre cut")
    page.get_by_label("Description").fill("splice")
    page.get_by_label("Row", exact=True).select_option(ROW)
    page.get_by_label("Check", exact=True).select_option("Loss")
    page.get_by_role("button", name="Create window").click()
    page.get_by_role("button", name="Edit fibre cut").wait_for()
    (listed,) = requests.get(f"{served}/maddash/events").json()["events"]
    start = listed["startTime"]
    assert listed["endTime"] == start + 3600  # the form's default: an hour
    dialect_jobs.run_due_work()
    wait_for_cell(page, "Loss", "MAINTENANCE")
    wait_for_cell(page, "Loss Reverse", "CRITICAL")  # not covered: the Loss check only

    page.get_by_role("button", name="Edit fibre cut").click()
    form = page.get_by_role("form", name="Edit maintenance window fibre cut")
    assert form.get_by_label("Window name").input_value() == "fibre cut"
    assert form.get_by_label("Description").input_value() == "splice"
    assert form.get_by_label("Row", exact=True).input_value() == ROW
    assert form.get_by_label("Column", exact=True).input_value() == ""
    assert form.get_by_label("Check", exact=True).input_value() == "Loss"
    assert form.get_by_label("Start (UTC)").input_value() == utc_input(start)
    assert form.get_by_label("End (UTC)").input_value() == utc_input(start + 3600)
    assert form.get_by_label("Show cells as MAINTENANCE").is_checked()
    assert form.get_by_label("Cron rule").input_value() == ""
    form.get_by_label("End (UTC)").fill(utc_input(start + 1800))
    form.get_by_role("button", name="Save window").click()
    page.get_by_text("fibre cut saved").wait_for()
    page.get_by_role("form", name="New maintenance window").wait_for()  # the form is reset
    saved = requests.get(f"{served}{listed['uri']}").json()
    assert (saved["name"], saved["description"], saved["startTime"], saved["endTime"]) == (
        "fibre cut",
        "splice",
        start,
        start + 1800,
    )
    assert saved["checkFilters"] == {
        "gridName": ["OWAMP Mesh"],
        "rowName": [ROW],
        "checkName": ["Loss"],
    }
    assert saved["changeStatus"] is True and "recurrence" not in saved
    page.locator("#windows-table tr", has_text=utc_input(start + 1800)).wait_for()

    # 45 minutes in: after the old end would have held them, the edited one has let them go.
    dialect_jobs.run_due_work(from_epoch(start + 2700))
    wait_for_cell(page, "Loss", "OK")
    page.get_by_text("No current or planned window on this grid.").wait_for()


def test_a_weekly_window_shows_on_its_calendar_days(served, console):
    load_owamp(served, results=[])
    now = datetime.now(UTC)
    month_start = datetime(now.year, now.month, 1, tzinfo=UTC)
    next_month = datetime(now.year + now.month // 12, now.month % 12 + 1, 1, tzinfo=UTC)
    # Sundays 22:00 in New York are Mondays 02:00 or 03:00 UTC, whatever the season.
    weekly = {
        "checkFilters": {"gridName": "OWAMP Mesh", "rowName": ROW},
        "name": "weekly backup",
        "description": "",
        "startTime": int(month_start.timestamp()),
        "changeStatus": True,
        "recurrence": {"cron": "0 22 * * 0", "timeZone": "America/New_York", "duration": 3600},
    }
    one_off_start = int(now.timestamp()) // 3600 * 3600 + 3600
    one_off = weekly | {
        "name": "fibre cut",
        "startTime": one_off_start,
        "endTime": one_off_start + 86400,
    }
    del one_off["recurrence"]
    for body in (weekly, one_off):
        made = requests.post(f"{served}/maddash/admin/events", json=body, auth=ROOT_AUTH)
        assert made.status_code == 200, made.text

    def days(first: datetime, until: datetime, weekday: int | None = None) -> set[str]:
        found, day = set(), first.replace(hour=0, minute=0, second=0, microsecond=0)
        while day < until:
            if weekday is None or day.weekday() == weekday:
                found.add(day.date().isoformat())
            day += timedelta(days=1)
        return found

    mondays = days(month_start, next_month, weekday=0)
    one_off_days = days(
        datetime.fromtimestamp(one_off_start, UTC),
        min(datetime.fromtimestamp(one_off_start + 86400, UTC), next_month),
    )
    page = console
    open_grid(page)
    calendar = page.get_by_role("region", name=re.compile(r"^Calendar: "))
    calendar.locator("td.busy").first.wait_for()
    busy = calendar.locator("td.busy").evaluate_all("cs => cs.map(c => c.dataset.date)")
    assert set(busy) == mondays | one_off_days
    # The text alternative: each busy day names its windows, and the list says when.
    first_monday = min(mondays)
    cell = calendar.locator(f'td[data-date="{first_monday}"]')
    assert "weekly backup" in cell.inner_text()
    item = calendar.get_by_role("list", name="Days with a window").locator(
        f'li[data-date="{first_monday}"]'
    )
    assert re.search(
        rf"weekly backup {first_monday} 0[23]:00 to {first_monday} 0[34]:00 UTC", item.inner_text()
    )
    assert contrast_failures(page) == []

    calendar.get_by_role("button", name="Next month").click()
    after = next_month + timedelta(days=32)
    following = datetime(after.year, after.month, 1, tzinfo=UTC)
    first_day = next_month.date().isoformat()
    page.wait_for_function(
        f"() => document.querySelector('.calendar td[data-date=\"{first_day}\"]')"
    )
    calendar.locator("td.busy").first.wait_for()
    busy = calendar.locator("td.busy").evaluate_all("cs => cs.map(c => c.dataset.date)")
    assert set(busy) == days(next_month, following, weekday=0) | (
        days(
            datetime.fromtimestamp(one_off_start, UTC),
            datetime.fromtimestamp(one_off_start + 86400, UTC),
        )
        & days(next_month, following)
    )


def test_the_events_page_by_keyboard_only(served, admin, page):
    ingest(served, node="router1", event="Link Down", element="eth0")
    page.goto(f"{served}/console")
    page.get_by_label("Username").wait_for()
    # The page puts focus in the login form; the keyboard does the rest.
    assert page.evaluate("document.activeElement.id") == "login-username"
    page.keyboard.type("root")
    page.keyboard.press("Tab")
    page.keyboard.type(ADMIN_PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Link Down").wait_for()

    reached = None
    for _ in range(40):  # Tab through the nav and the filters to the event
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " return [e.textContent, s.outlineStyle, s.outlineWidth]; }"
        )
        assert focused[1] != "none" and focused[2] != "0px", focused  # a visible focus ring
        if focused[0] == "Link Down":
            reached = focused
            break
    assert reached is not None
    page.keyboard.press("Enter")
    detail = page.get_by_role("complementary", name="Event detail")
    detail.get_by_role("heading", name="Link Down on router1").wait_for()
    assert page.locator('[aria-pressed="true"]').inner_text() == "Link Down"


def test_timers_show_a_planned_execution(served, client, console):
    from tests.dialects.processmaker import support as pm

    headers = pm.make_designer()
    project = pm.make_project(client, headers)["prj_uid"]
    trigger = pm.make_trigger(client, headers, project)
    pm.make_event(client, headers, project, trigger)
    started = pm.call(
        client, "POST", f"{pm.API}/cases", headers, {"pro_uid": project, "tas_uid": pm.TASK_B}
    )
    assert started.status_code == 200, started.body

    page = console
    page.get_by_role("link", name="Timers").click()
    row = page.locator("tr.timer")
    row.wait_for()
    text = row.inner_text()
    assert "remind the reviewer" in text and "PENDING" in text
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", text)  # its due time


def test_the_handler_list_marks_a_handler_missing_a_required_option(served, console):
    """privacyIDEA saves a sendmail handler without ``To``; the list says why it never runs."""
    form = {
        "name": "mail-ops",
        "event": "Node Down",
        "handlermodule": "UserNotification",
        "action": "sendmail",
    }
    saved = requests.post(f"{served}/event", data=form, auth=ROOT_AUTH)
    assert saved.status_code == 200, saved.text
    console.get_by_role("link", name="Handlers").click()
    row = console.locator("tr[data-handler='mail-ops']")
    row.wait_for()
    assert "incomplete: missing To" in row.inner_text()


def test_an_events_address_opens_its_detail(served, admin, page):
    """opEvents' GUI address of one event, from a browser, is the console with its detail."""
    event_id = ingest(served, node="router1", event="Node Up", details="back")
    page.goto(f"{served}/omk/opEvents/events/{event_id}")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    detail = page.get_by_role("complementary", name="Event detail")
    detail.get_by_role("heading", name="Node Up on router1").wait_for()
    assert f"Event {event_id}" in detail.inner_text()


def test_a_reader_sees_what_its_permissions_allow(served, aws, page):
    """A principal without handler rights gets the refusal on that page and stays logged in."""
    from chalicelib.auth.principal import Principal
    from chalicelib.auth.principals import create_principal

    create_principal(
        Principal("ops", roles=("user",), permissions=("opevents_read",), user_id="u-ops"),
        "ops-password-1",
    )
    page.goto(f"{served}/console#handlers")
    page.get_by_label("Username").fill("ops")
    page.get_by_label("Password").fill("ops-password-1")
    page.get_by_role("button", name="Log in").click()
    refusal = page.locator("#page [role=alert]")
    refusal.wait_for()
    assert refusal.inner_text()  # privacyIDEA's refusal, as its API words it
    page.get_by_role("link", name="Events").click()
    page.get_by_text("0 events").wait_for()  # the session lives on: opEvents reads work
    assert page.get_by_role("navigation", name="Console pages").is_visible()
    assert contrast_failures(page) == []
    # The contrast check itself finds a faint text.
    page.evaluate(
        "document.body.append(Object.assign(document.createElement('p'),"
        " {textContent: 'faint', style: 'color: #bbbbbb'}))"
    )
    assert contrast_failures(page) == [["faint", "1.92"]]


def test_without_chromium_the_tests_fail_with_the_fix(monkeypatch, tmp_path):
    """Never a silent skip: a missing browser is a failure naming the one command to run."""
    from tests.console import conftest

    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y chromium"):
        conftest.chromium_path()


class _Receiver:
    """A webhook target on loopback answering 204 (a ProcessMaker trigger posts to it)."""

    def __init__(self) -> None:
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_the_events_page_shows_every_dialect_and_looks_back_a_year(served, client, console):
    """The one store: events sent through Panko, opEvents and a ProcessMaker execution all
    show; a year-old one appears through the range control; "Load more" follows the marker."""
    from chalicelib.dialects import jobs as dialect_jobs
    from tests.dialects.processmaker import support as pm

    sent = requests.post(
        f"{served}/v2/events",
        auth=ROOT_AUTH,
        json=[
            {"event_type": "backup.finished", "traits": [{"name": "host", "value": "db-2"}]},
            {
                "event_type": "archive.sealed",
                "generated": (datetime.now(UTC) - timedelta(days=360)).isoformat(),
                "traits": [{"name": "host", "value": "vault-1"}],
            },
        ],
    )
    assert sent.status_code == 201, sent.text
    ingest(served, node="router1", event="Node Down", priority=5, details="ping lost")
    receiver = _Receiver()
    try:
        headers = pm.make_designer()
        project = pm.make_project(client, headers)["prj_uid"]
        trigger = pm.make_trigger(client, headers, project, url=receiver.url)
        pm.make_event(
            client,
            headers,
            project,
            trigger,
            tas_uid=pm.TASK_A,
            evn_when_occurs="TASK_STARTED",
            evn_when=0,
        )
        started = pm.call(
            client, "POST", f"{pm.API}/cases", headers, {"pro_uid": project, "tas_uid": pm.TASK_A}
        )
        assert started.status_code == 200, started.body
        report = dialect_jobs.run_due_work(datetime.now(UTC) + timedelta(minutes=5))
        assert report["work"]["done"] == 1
    finally:
        receiver.close()

    page = console
    events = page.get_by_role("table", name="Events, newest first")
    for name in ("backup.finished", "Node Down", "processmaker.event.execute"):
        events.get_by_role("button", name=name, exact=True).first.wait_for()
    row = page.locator("tr", has=page.get_by_role("button", name="Node Down", exact=True))
    assert re.search(r"router1\s+Node Down\s+5\s+ping lost", row.first.inner_text())
    assert events.get_by_role("button", name="archive.sealed").count() == 0  # 24 h by default

    page.get_by_label("Time range").select_option(label="Last year")
    page.get_by_role("button", name="Apply filters").click()
    events.get_by_role("button", name="archive.sealed").wait_for()
    times = [cell.inner_text() for cell in events.locator("tbody tr td:first-child").all()]
    assert times == sorted(times, reverse=True)  # newest first
    assert times[-1].startswith(str((datetime.now(UTC) - timedelta(days=360)).year))

    # From / to: only the year-old event's day.
    day = datetime.now(UTC) - timedelta(days=360)
    page.get_by_label("Time range").select_option(label="From / to")
    page.get_by_label("From").fill((day - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_label("To").fill((day + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_label("Event type").fill("")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_text("1 events").wait_for()
    assert events.get_by_role("button").all_inner_texts() == ["archive.sealed"]

    # An event type filter, then paging past the first page with "Load more".
    many = [
        {"event_type": "bulk.tick", "traits": [{"name": "n", "value": str(i)}]} for i in range(55)
    ]
    assert requests.post(f"{served}/v2/events", auth=ROOT_AUTH, json=many).status_code == 201
    page.get_by_label("Time range").select_option(label="Last hour")
    page.get_by_label("Event type").fill("bulk.tick")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_text("50 events (more to load)").wait_for()
    page.get_by_role("button", name="Load more").click()
    page.get_by_text("55 events ·").wait_for()
    assert page.get_by_role("button", name="Load more").is_hidden()
    assert (
        len(set(events.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.id)")))
        == 55
    )
