"""Exactly-once delivery to a local Slack Web API stand-in (tests/kit/slack.py), on SQLite and PostgreSQL.

Every alert must reach its channel exactly once (each message of it: the parent and its thread replies), whatever
happens: a crash at each step of the protocol (claimed, about to send, posted but not confirmed, confirmed), a
process killed with SIGKILL, a timeout after Slack received the post, a 500, a 429 with Retry-After, and the
errors that must fail an alert instead of being retried forever."""

from __future__ import annotations

import collections
import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bidradar.alerts import select, slack_blocks, store
from bidradar.alerts import text as alert_text
from bidradar.alerts.deliver import Drainer, Pacer, SlackTransport, slack_client
from bidradar.alerts.outbox import DrainerBusy, Outbox, utc_now
from tests import alerts_fixtures as fx
from tests.kit.slack import SlackStandIn

REPO = Path(__file__).resolve().parents[1]
LATER = dt.timedelta(hours=3)  # past every retry and grace time


class Crash(BaseException):
    """A crash of the drainer at a chosen step (BaseException: no handler of ours catches it)."""


@pytest.fixture
def slack():
    stand_in = SlackStandIn(late_answer_s=2.5)
    for channel in ("#bids-acme", "#bids-beta"):  # the workspace's channels, as a real one has them
        stand_in.channel_id(channel)
    with stand_in.serve() as url:
        stand_in.url = url  # type: ignore[attr-defined]
        yield stand_in


def fill_outbox(engine) -> None:
    due = select.select_due(fx.candidates(), fx.companies(), fx.empty_shown(), fx.empty_outcomes(), fx.NOW)
    rows = select.outbox_rows(due, fx.companies(), email_enabled=False)
    store.write_new(engine, due, rows, dt.datetime(2026, 11, 23, 8, 0))


def drainer(engine, slack: SlackStandIn, *, hook=None, shift: dt.timedelta = dt.timedelta(0), token="xoxb-test"):
    client = slack_client(token, slack.url, timeout=1)  # type: ignore[attr-defined]
    return Drainer(
        engine,
        fx.DASHBOARD,
        slack=SlackTransport(client, pacer=Pacer(interval=0.0)),
        hook=hook or (lambda step, row, part: None),
        now=lambda: utc_now() + shift,
        lock_wait_seconds=5,
    )


def expected_parts(engine) -> dict[str, int]:
    import json

    return {
        key: len(slack_blocks.render(json.loads(row["payload"]), fx.TODAY, fx.DASHBOARD))
        for (key, _), row in Outbox(engine).statuses().items()
    }


def assert_exactly_once(slack: SlackStandIn, engine) -> None:
    parts = expected_parts(engine)
    counts = collections.Counter((m.alert_key, (m.metadata or {})["event_payload"]["part"]) for m in slack.messages)
    expected = {(key, part): 1 for key, n in parts.items() for part in range(n)}
    assert dict(counts) == expected
    statuses = Outbox(engine).statuses()
    assert {row["status"] for row in statuses.values()} == {"sent"}
    # Thread replies hang under their alert's parent message.
    for key in parts:
        messages = sorted(slack.messages_of(key), key=lambda m: m.metadata["event_payload"]["part"])
        assert all(m.thread_ts == messages[0].ts for m in messages[1:])


def test_briefings_arrive_once_with_their_content(migrated_engine, slack) -> None:
    fill_outbox(migrated_engine)
    report = drainer(migrated_engine, slack).drain()
    assert report.sent == 2 and report.failed == 0
    assert_exactly_once(slack, migrated_engine)

    pro = slack.messages_of("briefing:acme:2026-11-23")
    free = slack.messages_of("briefing:beta:2026-11-23")
    assert len(pro) == 2 and len(free) == 1  # 11 eligible Pro items: 5 in the message, 6 in its thread
    parent = pro[0]
    assert parent.text.startswith("에이크미(주) 입찰 브리핑 11월 23일(월): 새 공고 11건")
    assert parent.blocks[0]["type"] == "header" and "입찰 브리핑" in parent.blocks[0]["text"]["text"]
    sections = [b for b in parent.blocks if b["type"] == "section" and "fields" in b]
    assert len(sections) == 5
    first = sections[0]
    assert "1. <http://dash.test/notices/R26BKA00001|" in first["text"]["text"]
    assert "&lt;긴급&gt; &amp; 재공고" in first["text"]["text"]  # user text escaped for mrkdwn
    fields = [f["text"] for f in first["fields"]]
    assert fields[0] == "*발주기관*\n서울특별시 마포구"
    assert fields[1] == "*추정가격*\n1.3억"
    assert fields[2].startswith("*마감*\nD-1 · 11/24(화) 10:00")
    assert fields[3].startswith("*투찰가 추천*\n추천 투찰금액: 119,000,000원 (1.2억)")
    assert "낙찰 가능성: 12.0% (95% 구간 8.0%~17.0%)" in fields[3]  # the advice's own words, as on the detail page
    contexts = [e["text"] for b in parent.blocks if b["type"] == "context" for e in b["elements"]]
    assert any(c.startswith("🤖 *Gemini 분석* 유지관리 3년") for c in contexts)
    assert any("나머지 6건은 스레드" in c for c in contexts)
    buttons = [e for b in parent.blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons[0]["url"] == "http://dash.test/notices/R26BKA00001"
    reply_sections = [b for b in pro[1].blocks if b["type"] == "section"]
    assert reply_sections[0]["text"]["text"].startswith("*6. <")

    free_text = slack_blocks.as_text([slack_blocks.SlackMessage(free[0].text, free[0].blocks)])
    assert "투찰가 추천" not in free_text and "낙찰 가능성" not in free_text and "🤖" not in free_text
    assert alert_text.PRO_PITCH in free_text
    assert free_text.count("[상세 보기]") == 5  # Free: the top 5 of 7 eligible

    # A second drain finds nothing to do.
    before = len(slack.posts())
    assert drainer(migrated_engine, slack, shift=LATER).drain().sent == 0
    assert len(slack.posts()) == before


STEPS = [
    ("claimed", 0),
    ("sending", 0),
    ("posted", 0),
    ("confirmed", 0),
    ("sending", 1),
    ("posted", 1),
    ("confirmed", 1),
]  # part 1: the first thread reply of the Pro briefing


@pytest.mark.parametrize(("step", "part"), STEPS)
def test_a_crash_at_each_step_still_delivers_each_message_once(migrated_engine, slack, step, part) -> None:
    fill_outbox(migrated_engine)

    def crash(at: str, row, at_part: int) -> None:
        if at == step and at_part == part and row.company_id == "acme":
            raise Crash(f"crash at {step} of part {part}")

    with pytest.raises(Crash):
        drainer(migrated_engine, slack, hook=crash).drain()
    # A new drainer (as after a restart) finishes the work.
    report = drainer(migrated_engine, slack, shift=LATER).drain()
    assert_exactly_once(slack, migrated_engine)
    row = Outbox(migrated_engine).statuses()[("briefing:acme:2026-11-23", "slack")]
    assert row["recovered"] == (1 if step == "posted" else 0)  # found by its metadata, not posted again
    assert report.failed == 0


def test_a_killed_drainer_process_does_not_double_send(database_url, slack) -> None:
    """SIGKILL after Slack accepted the parent message and before it was confirmed: the worst moment."""
    from bidradar.core import warehouse

    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    fill_outbox(engine)
    script = textwrap.dedent(f"""
        import os, signal
        from bidradar.core import warehouse
        from bidradar.alerts.deliver import Drainer, Pacer, SlackTransport, slack_client
        def hook(step, row, part):
            if step == "posted" and part == 0 and row.company_id == "acme":
                os.kill(os.getpid(), signal.SIGKILL)
        client = slack_client("xoxb-test", {slack.url!r}, timeout=1)
        Drainer(warehouse.make_engine({database_url!r}), "http://dash.test",
                slack=SlackTransport(client, pacer=Pacer(0.0)), hook=hook, workers=1).drain()
    """)  # type: ignore[attr-defined]
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == -9, result.stderr[-2000:]
    assert len(slack.messages_of("briefing:acme:2026-11-23")) == 1  # posted, never confirmed
    drainer(engine, slack, shift=LATER).drain()
    assert_exactly_once(slack, engine)
    engine.dispose()


def test_a_timeout_after_slack_received_the_post_is_looked_up_not_resent(migrated_engine, slack) -> None:
    fill_outbox(migrated_engine)
    slack.fail_next(1, "timeout", channel="#bids-beta")
    report = drainer(migrated_engine, slack).drain()
    assert report.unsure == 1 and report.sent == 1
    row = Outbox(migrated_engine).statuses()[("briefing:beta:2026-11-23", "slack")]
    assert row["status"] == "sending" and "no answer from Slack" in row["error"]
    assert len(slack.messages_of("briefing:beta:2026-11-23")) == 1
    # Too early (within the grace period): left alone.
    assert drainer(migrated_engine, slack).drain().sent == 0
    report = drainer(migrated_engine, slack, shift=LATER).drain()
    assert report.recovered == 1 and report.sent == 1
    history = [c for c in slack.calls if c.method == "conversations.history"]
    assert history and str(history[-1].params["include_all_metadata"]).lower() in {"1", "true"}
    assert_exactly_once(slack, migrated_engine)


def test_a_500_is_ambiguous_and_a_lost_request_is_resent_after_the_lookup(migrated_engine, slack) -> None:
    fill_outbox(migrated_engine)
    slack.fail_next(1, "500", channel="#bids-beta")
    slack.fail_next(1, "lost", channel="#bids-acme")
    report = drainer(migrated_engine, slack).drain()
    assert report.unsure == 2 and report.sent == 0
    report = drainer(migrated_engine, slack, shift=LATER).drain()
    assert report.sent == 2 and report.recovered == 0
    assert_exactly_once(slack, migrated_engine)


def test_429_waits_for_retry_after_then_sends(migrated_engine, slack, monkeypatch) -> None:
    import slack_sdk.http_retry.builtin_handlers as handlers

    waits: list[float] = []
    real_sleep = handlers.time.sleep
    monkeypatch.setattr(handlers.time, "sleep", lambda seconds: (waits.append(seconds), real_sleep(seconds)))
    fill_outbox(migrated_engine)
    slack.retry_after = 2
    slack.fail_next(1, "429", channel="#bids-beta")
    report = drainer(migrated_engine, slack).drain()
    assert report.sent == 2
    beta_posts = [c for c in slack.posts() if c.params["channel"] == "#bids-beta"]
    assert len(beta_posts) == 2  # the 429, then the retry by RateLimitErrorRetryHandler
    assert len(waits) == 1 and waits[0] >= 2  # it waited for Retry-After (plus jitter) before retrying
    assert_exactly_once(slack, migrated_engine)


def test_429_past_the_sdk_retries_is_retried_later_without_a_lookup(migrated_engine, slack) -> None:
    fill_outbox(migrated_engine)
    slack.retry_after = 0
    slack.fail_next(3, "429", channel="#bids-beta")  # the first try and both SDK retries
    report = drainer(migrated_engine, slack).drain()
    assert report.retried == 1 and report.sent == 1
    row = Outbox(migrated_engine).statuses()[("briefing:beta:2026-11-23", "slack")]
    assert row["status"] == "retry" and "429" in row["error"]
    assert drainer(migrated_engine, slack, shift=LATER).drain().sent == 1
    assert not [c for c in slack.calls if c.method == "conversations.history"]  # surely not sent: no lookup
    assert_exactly_once(slack, migrated_engine)


@pytest.mark.parametrize("code", ["channel_not_found", "not_in_channel", "invalid_auth"])
def test_permanent_errors_fail_that_alert_only_and_are_not_retried(migrated_engine, slack, code) -> None:
    fill_outbox(migrated_engine)
    slack.channel_errors["#bids-beta"] = code
    report = drainer(migrated_engine, slack).drain()
    assert report.sent == 1 and report.failed == 1
    ((key, _transport, reason),) = report.failures
    assert key == "briefing:beta:2026-11-23" and code in reason
    statuses = Outbox(migrated_engine).statuses()
    assert statuses[("briefing:beta:2026-11-23", "slack")]["status"] == "failed"
    assert code in statuses[("briefing:beta:2026-11-23", "slack")]["error"]
    assert statuses[("briefing:acme:2026-11-23", "slack")]["status"] == "sent"
    posts = len(slack.posts())
    drainer(migrated_engine, slack, shift=LATER).drain()
    assert len(slack.posts()) == posts  # not retried


def test_a_wrong_token_fails_with_invalid_auth(migrated_engine, slack) -> None:
    fill_outbox(migrated_engine)
    report = drainer(migrated_engine, slack, token="xoxb-wrong").drain()
    assert report.failed == 2 and all("invalid_auth" in reason for _, _, reason in report.failures)


def test_one_drainer_at_a_time(migrated_engine, slack) -> None:
    fill_outbox(migrated_engine)
    with Outbox(migrated_engine).drainer_lock():
        busy = drainer(migrated_engine, slack)
        busy.lock_wait_seconds = 0
        with pytest.raises(DrainerBusy):
            busy.drain()
    assert slack.messages == []
    assert drainer(migrated_engine, slack).drain().sent == 2


def test_the_pacer_keeps_one_message_a_second_per_channel() -> None:
    clock = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    pacer = Pacer(1.0, clock=lambda: clock[0], sleep=sleep)
    pacer.wait("C1")
    pacer.wait("C2")  # another channel: no wait
    clock[0] += 0.25
    pacer.wait("C1")
    pacer.wait("C1")
    assert slept == [0.75, 1.0]


def test_slack_sdk_default_retries_are_not_used() -> None:
    client = slack_client("xoxb-test", "http://127.0.0.1:9/api/", timeout=1)
    assert [type(h).__name__ for h in client.retry_handlers] == ["RateLimitErrorRetryHandler"]
