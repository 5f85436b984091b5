"""MaDDash windows applied by the scheduled function, driven through the local ticker."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
import yaml

from tests.dialects.maddash.support import (
    EXAMPLE,
    OWAMP,
    T0,
    A,
    B,
    C,
    at,
    create_event,
    get,
    load_example,
    post_json,
    status_of,
)

D = "denv-owamp.es.net"


@pytest.fixture
def ticker(client, admin, monkeypatch):
    """``ticker(seconds)``: one tick of ``app.run_schedule`` (as the local ticker invokes it,
    with a scheduled event and a Lambda context) with the scheduler's clock at ``seconds``."""
    import app as application
    from chalicelib.engine import scheduler
    from local.ticker import Ticker

    load_example(client, admin)
    local = Ticker(application.run_schedule, interval=3600)

    def tick(seconds: int) -> dict:
        monkeypatch.setattr(scheduler, "utcnow", lambda: at(seconds))
        return local.tick()

    return tick


def result(client, admin, status: int, row: str = A, col: str = B, when: int = T0) -> None:
    body = {
        "gridName": OWAMP,
        "rowName": row,
        "columnName": col,
        "checkName": "Loss",
        "status": status,
        "message": f"status {status}",
        "time": when,
    }
    assert post_json(client, "/maddash/admin/results", body, admin).status_code == 200


def maddash_events(client, admin) -> list[dict]:
    answer = client.http.get("/v2/events?limit=100", headers=admin)
    found = [e for e in json.loads(answer.body) if e["event_type"].startswith("maddash.maint")]
    return sorted(found, key=lambda e: (e["generated"], e["event_type"]))


def trait(event: dict, name: str):
    return next(t["value"] for t in event["traits"] if t["name"] == name)


def test_a_window_starts_and_ends_within_one_tick(client, admin, ticker):
    window = create_event(client, admin)
    ticker(T0 - 10)
    assert status_of(client, A, B) == 4
    ticker(T0 + 5)
    assert status_of(client, A, B) == 5
    assert status_of(client, A, C, "Loss Reverse") == 5
    assert status_of(client, B, C) == 4  # not covered
    grid = get(client, "/maddash/grids/OWAMP+Mesh")[1]
    assert grid["grid"][0][1][0]["status"] == 5
    code, check = get(client, f"/maddash/grids/OWAMP+Mesh/{A}/{B}/Loss")
    assert (code, check["statusShortName"]) == (200, "MAINTENANCE")
    ticker(T0 + 3600)
    assert status_of(client, A, B) == 4  # no result: NOT RUN, as MaDDash
    assert get(client, "/maddash/events")[1] == {"events": []}  # ended: expired
    assert get(client, f"/maddash/events/{window}")[0] == 404
    start, end = maddash_events(client, admin)
    assert (start["event_type"], end["event_type"]) == (
        "maddash.maintenance.start",
        "maddash.maintenance.end",
    )
    assert trait(start, "window_id") == str(window)
    assert f"/maddash/grids/OWAMP+Mesh/{A}/{B}/Loss" in json.loads(trait(start, "checks"))
    assert trait(end, "nodes") == f"{A},{B},{C}"


def test_a_result_during_maintenance_is_kept_and_shown_after(client, admin, ticker):
    result(client, admin, 2, when=T0 - 100)
    create_event(client, admin)
    ticker(T0 + 5)
    assert status_of(client, A, B) == 5
    result(client, admin, 0, when=T0 + 60)
    assert status_of(client, A, B) == 5  # a result does not lift maintenance
    check = get(client, f"/maddash/grids/OWAMP+Mesh/{A}/{B}/Loss")[1]
    assert [h["returnCode"] for h in check["history"]] == [0, 2]
    ticker(T0 + 3605)
    assert status_of(client, A, B) == 0  # the last recorded result, not NOT RUN


def test_overlapping_windows_hold_a_check_until_the_last_ends(client, admin, ticker):
    create_event(client, admin, endTime=T0 + 3600)
    create_event(
        client,
        admin,
        checkFilters={"columnName": B},
        startTime=T0 + 1800,
        endTime=T0 + 7200,
    )
    ticker(T0 + 5)
    assert (status_of(client, A, B), status_of(client, C, B)) == (5, 4)
    ticker(T0 + 1805)
    assert (status_of(client, A, B), status_of(client, C, B)) == (5, 5)
    ticker(T0 + 3605)
    assert (status_of(client, A, B), status_of(client, A, C)) == (5, 4)
    ticker(T0 + 7205)
    assert (status_of(client, A, B), status_of(client, C, B)) == (4, 4)
    assert len(maddash_events(client, admin)) == 4


def test_deleting_a_started_window_lifts_it_on_the_next_tick(client, admin, ticker):
    window = create_event(client, admin, endTime=None)
    ticker(T0 + 5)
    assert status_of(client, A, B) == 5
    answer = client.http.delete(f"/maddash/admin/events/{window}", headers=admin)
    assert answer.status_code == 200
    assert get(client, f"/maddash/events/{window}")[0] == 404
    ticker(T0 + 65)
    assert status_of(client, A, B) == 4
    assert [e["event_type"] for e in maddash_events(client, admin)][-1] == (
        "maddash.maintenance.end"
    )
    report = ticker(T0 + 125)
    assert report["work"]["done"] == 0  # nothing left planned for it


def test_editing_a_started_window_moves_it_on_the_next_tick(client, admin, ticker):
    window = create_event(client, admin)
    ticker(T0 + 5)
    body = {
        "checkFilters": {"rowName": C, "checkName": "Loss"},
        "name": "moved",
        "description": "now on C",
        "startTime": T0,
        "endTime": T0 + 7200,
        "changeStatus": True,
    }
    answer = post_json(client, f"/maddash/admin/events/{window}", body, admin, method="put")
    assert answer.status_code == 200
    ticker(T0 + 65)
    assert (status_of(client, A, B), status_of(client, C, A)) == (4, 5)
    assert status_of(client, C, A, "Loss Reverse") == 4
    # Same occurrence: the edit moved its checks without a new start event.
    assert len(maddash_events(client, admin)) == 1
    ticker(T0 + 3605)
    assert status_of(client, C, A) == 5  # the edited end counts
    ticker(T0 + 7205)
    assert status_of(client, C, A) == 4


def test_a_window_without_change_status_marks_nothing_but_is_recorded(client, admin, ticker):
    create_event(client, admin, changeStatus=False)
    ticker(T0 + 5)
    assert status_of(client, A, B) == 4
    [start] = maddash_events(client, admin)
    assert trait(start, "change_status") == "False"


def test_a_window_already_over_expires_on_the_next_tick(client, admin, ticker):
    create_event(client, admin, startTime=1_000, endTime=2_000)
    ticker(T0)
    assert get(client, "/maddash/events")[1] == {"events": []}
    assert status_of(client, A, B) == 4


def test_two_overlapping_ticks_apply_each_transition_once(client, admin, ticker):
    from chalicelib.dialects.jobs import run_due_work

    create_event(client, admin)
    barrier = threading.Barrier(2)
    reports = []

    def tick() -> None:
        barrier.wait()
        reports.append(run_due_work(at(T0 + 5)))

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = sum(report["work"]["done"] for report in reports)
    taken = sum(report["work"]["taken"] for report in reports)
    assert (done, taken) in ((1, 1), (1, 0))  # (1, 0): the second read it already finished
    assert status_of(client, A, B) == 5
    assert len(maddash_events(client, admin)) == 1


def test_a_window_held_by_another_tick_is_left_to_it(client, admin, ticker):
    from chalicelib.core import due_work
    from chalicelib.dialects.maddash.window_apply import apply_window
    from chalicelib.dialects.maddash.windows import START

    window = create_event(client, admin)
    [work] = list(due_work.due_work(at(T0 + 5)))
    assert due_work.claim(work, 300)  # another tick holds it
    report = ticker(T0 + 5)
    assert report["work"]["taken"] == 1
    assert status_of(client, A, B) == 4
    # The holder applies it; applying the same transition again changes nothing.
    for _ in range(2):
        apply_window(START, str(window), work.due_at, at(T0 + 5))
    assert status_of(client, A, B) == 5
    assert len(maddash_events(client, admin)) == 1


def test_cover_new_checks_takes_checks_a_later_config_adds(client, admin, ticker):
    covering = create_event(client, admin, coverNewChecks=True, endTime=None)
    frozen = create_event(client, admin, endTime=None)
    ticker(T0 + 5)
    config = yaml.safe_load(EXAMPLE.read_text())
    config["groups"]["owampHosts"].append(D)
    answer = post_json(client, "/maddash/admin/config", config, admin)
    assert json.loads(answer.body)["windows_grown"] == 1
    assert status_of(client, A, D) == 4
    ticker(T0 + 65)
    assert status_of(client, A, D) == 5
    assert status_of(client, D, A) == 4  # row D is not in the filters
    covered = get(client, f"/maddash/events/{covering}")[1]["checks"]
    assert f"/maddash/grids/OWAMP+Mesh/{A}/{D}/Loss" in covered
    assert len(get(client, f"/maddash/events/{frozen}")[1]["checks"]) == 4


def _last_sunday_of_march(year: int) -> datetime:
    day = datetime(year, 3, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def test_a_weekly_window_follows_local_time_across_daylight_saving(client, admin, ticker):
    from chalicelib.core import due_work
    from chalicelib.dialects.maddash.windows import START

    change = _last_sunday_of_march(datetime.now(UTC).year + 1)  # Europe: 01:00 UTC
    before = change - timedelta(days=7)
    epoch = lambda moment: int(moment.replace(tzinfo=UTC).timestamp())  # noqa: E731
    window = create_event(
        client,
        admin,
        startTime=epoch(before - timedelta(days=1)),
        endTime=None,
        recurrence={"cron": "0 3 * * 0", "timeZone": "Europe/Berlin", "duration": 7200},
    )
    listed = get(client, f"/maddash/events/{window}")[1]
    assert listed["recurrence"]["timeZone"] == "Europe/Berlin"
    # Sunday 03:00 in Berlin is 02:00 UTC in winter, 01:00 UTC in summer.
    winter, summer = epoch(before + timedelta(hours=2)), epoch(change + timedelta(hours=1))
    ticker(winter - 60)
    assert status_of(client, A, B) == 4
    ticker(winter + 5)
    assert status_of(client, A, B) == 5
    ticker(winter + 7200)
    assert status_of(client, A, B) == 4
    assert due_work.planned_work(START, str(window), at(summer)) is not None
    ticker(summer - 60)
    assert status_of(client, A, B) == 4
    ticker(summer + 5)
    assert status_of(client, A, B) == 5
    ticker(summer + 7200)
    assert status_of(client, A, B) == 4
    assert get(client, "/maddash/events")[1]["events"][0]["uri"] == f"/maddash/events/{window}"
    assert len(maddash_events(client, admin)) == 4


def test_in_maintenance_condition_skips_a_handler_during_a_window(client, admin, ticker):
    from chalicelib.core.counters import get_counter
    from chalicelib.core.model import Trait, build_event
    from chalicelib.engine import dispatch
    from tests.engine.conftest import add_handler, stream_batch

    create_event(client, admin)
    add_handler(
        1,
        "Counter",
        "increase_counter",
        ["Node Down"],
        options={"counter_name": "pages"},
        conditions={"in_maintenance": "False"},
    )

    def node_down(node: str, seconds: int):
        return build_event(
            event_type="Node Down",
            generated=at(seconds),
            traits=[Trait("node", "string", node)],
        )

    dispatch.handle_stream_batch(stream_batch(node_down(A, T0 + 60)))
    assert get_counter("pages") == 0  # A is under maintenance: skipped
    dispatch.handle_stream_batch(stream_batch(node_down("albq-pt1.es.net", T0 + 60)))
    assert get_counter("pages") == 1
    dispatch.handle_stream_batch(stream_batch(node_down(A, T0 + 4000)))
    assert get_counter("pages") == 2  # after the window
