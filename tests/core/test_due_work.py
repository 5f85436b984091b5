"""The due-work index: plan, cancel, read what is due, claim once, finish, retry."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.core import due_work
from chalicelib.errors import ValidationFailed

NOW = datetime(2026, 12, 1, 12, 0, 0)


def keys(items):
    return [(work.kind, work.key) for work in items]


def test_only_work_due_by_now_is_read(aws):
    due_work.plan_work("test", "early", NOW - timedelta(minutes=5), {"n": 1})
    due_work.plan_work("test", "exact", NOW)
    due_work.plan_work("test", "later", NOW + timedelta(microseconds=1))

    due = list(due_work.due_work(NOW))

    assert keys(due) == [("test", "early"), ("test", "exact")]
    assert due[0].payload == {"n": 1}
    assert due[0].due_at == NOW - timedelta(minutes=5)


def test_planning_twice_is_one_item_and_cancel_removes_it(aws):
    due_work.plan_work("test", "a", NOW, {"v": 1})
    due_work.plan_work("test", "a", NOW, {"v": 2})
    assert [work.payload for work in due_work.due_work(NOW)] == [{"v": 2}]

    due_work.cancel_work("test", "a", NOW)
    due_work.cancel_work("test", "a", NOW)  # cancelling what is gone is no error
    assert list(due_work.due_work(NOW)) == []


def test_a_claim_is_taken_once_until_its_lease_expires(aws):
    work = due_work.plan_work("test", "a", NOW)
    assert due_work.claim(work, lease_seconds=60)
    assert not due_work.claim(work, lease_seconds=60)


def test_an_expired_lease_can_be_taken_over(aws, monkeypatch):
    work = due_work.plan_work("test", "a", NOW)
    assert due_work.claim(work, lease_seconds=1)
    later = due_work.utcnow() + timedelta(seconds=5)
    monkeypatch.setattr(due_work, "utcnow", lambda: later)
    assert due_work.claim(work, lease_seconds=60)


def test_finished_work_is_gone_and_can_recur(aws):
    work = due_work.plan_work("test", "a", NOW, {"occurrence": 1})
    due_work.finish(work, next_due=NOW + timedelta(days=7), payload={"occurrence": 2})

    assert list(due_work.due_work(NOW)) == []
    following = list(due_work.due_work(NOW + timedelta(days=7)))
    assert keys(following) == [("test", "a")]
    assert following[0].payload == {"occurrence": 2}
    assert following[0].attempts == 0


def test_retry_moves_the_work_and_counts_the_attempt(aws):
    work = due_work.plan_work("test", "a", NOW)
    assert due_work.claim(work, lease_seconds=60)
    again = due_work.retry(work, NOW + timedelta(minutes=1), "boom")

    assert list(due_work.due_work(NOW)) == []
    (stored,) = due_work.due_work(NOW + timedelta(minutes=1))
    assert (stored.attempts, stored.last_error) == (1, "boom")
    assert due_work.claim(again, lease_seconds=60)  # the new item carries no lease


def test_claiming_work_that_was_cancelled_fails(aws):
    work = due_work.plan_work("test", "a", NOW)
    due_work.cancel_work("test", "a", NOW)
    assert not due_work.claim(work, lease_seconds=60)


@pytest.mark.parametrize(("kind", "key"), [("", "a"), ("a#b", "a"), ("test", "")])
def test_bad_names_are_refused(aws, kind, key):
    with pytest.raises(ValidationFailed):
        due_work.plan_work(kind, key, NOW)


def test_shards_spread_work_and_are_all_read(aws, monkeypatch):
    from chalicelib.settings import Settings

    monkeypatch.setattr(due_work, "get_settings", lambda: Settings(due_work_shards=4))
    for number in range(20):
        due_work.plan_work("test", f"k{number}", NOW)
    from chalicelib.store.due_work import DueWorkModel

    shards = {item.shard for item in DueWorkModel.scan()}
    assert len(shards) > 1
    assert len(list(due_work.due_work(NOW))) == 20
