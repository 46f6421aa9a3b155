"""The alert assets on a real warehouse (two simulated days, the shipped profiles matched), delivering to the Slack
stand-in and a local SMTP server: each shipped profile gets its briefing, in Slack and by e-mail, once."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from dagster import materialize

from assets import alerts as alert_assets
from assets.common.resources import AlertsResource, WarehouseResource
from bidradar.alerts import text as alert_text
from bidradar.core import warehouse
from tests.kit.slack import SlackStandIn
from tests.kit.smtp import SmtpStandIn
from tests.support import copy_sqlite_warehouse

REPO = Path(__file__).resolve().parent.parent
KEY = "bidradar-simulator-key"
NOW = dt.datetime(2026, 3, 5, 21, 0, tzinfo=ZoneInfo("Asia/Seoul"))
DAYS = (dt.date(2026, 3, 4), dt.date(2026, 3, 5))
AS_OF = {"config": {"as_of": "2026-03-05 21:00", "top_k": 20}}
TODAY = "2026-03-06"


@pytest.fixture(scope="module")
def built(matched_warehouse_template: Path, tmp_path_factory) -> Iterator[str]:
    """A copy of the run's two-day warehouse with the shipped profiles matched (tests/conftest.py)."""
    folder = tmp_path_factory.mktemp("alerts")
    database_url = copy_sqlite_warehouse(matched_warehouse_template, folder)
    yield database_url


def run_alerts(database_url: str, slack_url: str, smtp: tuple[str, int], kinds: list[str], today: str = TODAY):
    resources = {
        "warehouse": WarehouseResource(database_url=database_url),
        "alerts": AlertsResource(
            slack_bot_token="xoxb-test",
            slack_api_url=slack_url,
            dashboard_url="http://dash.test",
            smtp_host=smtp[0],
            smtp_port=smtp[1],
            smtp_starttls="false",
            per_channel_interval_seconds=0.0,
        ),
    }
    result = materialize(
        [alert_assets.alert_outbox, alert_assets.alert_deliveries],
        resources=resources,
        run_config={"ops": {"alert_outbox": {"config": {"kinds": kinds, "today": today}}}},
    )
    assert result.success
    return result


def test_each_shipped_profile_gets_its_briefing_once_in_slack_and_by_email(built: str) -> None:
    slack, mail = SlackStandIn(), SmtpStandIn()
    with slack.serve() as slack_url, mail.serve() as smtp:
        result = run_alerts(built, slack_url, smtp, ["briefing"])
        delivered = result.asset_materializations_for_node("alert_deliveries")[0].metadata
        assert delivered["failed"].value == 0
        by_channel = {m.channel: m for m in slack.messages if m.thread_ts is None}
        assert {slack.channel_id("#bids-daesung"), slack.channel_id("#bids-hanbit")} <= set(by_channel)

        free = by_channel[slack.channel_id("#bids-daesung")]
        pro = by_channel[slack.channel_id("#bids-hanbit")]
        assert free.alert_key == "briefing:daesung-electric:2026-03-06"
        assert free.blocks[0]["text"]["text"] == "📋 대성전력(주) 입찰 브리핑 · 3월 6일(금)"
        assert pro.blocks[0]["text"]["text"] == "📋 한빛소프트웨어(주) 입찰 브리핑 · 3월 6일(금)"
        free_items = [b for b in free.blocks if b["type"] == "section" and "fields" in b]
        assert 1 <= len(free_items) <= 5
        assert any(
            alert_text.PRO_PITCH in e["text"] for b in free.blocks if b["type"] == "context" for e in b["elements"]
        )
        for block in free_items:
            labels = [f["text"].split("\n")[0] for f in block["fields"]]
            assert labels == ["*발주기관*", "*추정가격*", "*마감*"]
        assert free.text.startswith("대성전력(주) 입찰 브리핑 3월 6일(금): 새 공고")

        # The same alerts by e-mail: a plain-text and an HTML part, to the profile's address.
        to = {rcpt[0]: message for rcpt, message in mail.received}
        assert set(to) == {"ops@daesung-elec.example.co.kr", "bids@hanbitsoft.example.co.kr"}
        message = to["ops@daesung-elec.example.co.kr"]
        assert message["Subject"].startswith("[bidradar] 대성전력(주) 입찰 브리핑 3월 6일(금)")
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "추정가격:" in plain and alert_text.PRO_PITCH in plain
        assert '<html lang="ko">' in html and "상세 보기" in html and "http://dash.test/notices/" in html

        # A rerun the same day makes and sends nothing new.
        posts, mails = len(slack.posts()), len(mail.received)
        again = run_alerts(built, slack_url, smtp, ["briefing"])
        assert again.asset_materializations_for_node("alert_outbox")[0].metadata["new_rows"].value == 0
        assert len(slack.posts()) == posts and len(mail.received) == mails


def test_reminders_and_results_of_shown_notices(built: str) -> None:
    engine = warehouse.make_engine(built)
    shown = warehouse.read_frame(
        engine,
        "SELECT a.notice_no, a.item FROM alert_items a WHERE a.company_id = 'hanbit-soft' AND a.kind = 'briefing'",
    )
    if shown.is_empty():  # the first test makes the briefing; run alone, make it here
        slack, mail = SlackStandIn(), SmtpStandIn()
        with slack.serve() as slack_url, mail.serve() as smtp:
            run_alerts(built, slack_url, smtp, ["briefing"])
        shown = warehouse.read_frame(
            engine,
            "SELECT a.notice_no, a.item FROM alert_items a WHERE a.company_id = 'hanbit-soft' AND a.kind = 'briefing'",
        )
    item = json.loads(shown["item"][0])
    close = dt.datetime.fromisoformat(item["bid_close_at"])
    # An opening of that notice: the result goes to the company that was shown it.
    with engine.begin() as conn:
        conn.exec_driver_sql(
            # bid_results is a view over the per-opening outcomes (the opening and its award joined)
            "INSERT INTO bid_outcomes (notice_no, notice_order, bid_class_no, rebid_no, opening_partition_date, "
            "category, opened_at, opening_status, participant_count, base_amount, planned_price, assessment_rate_pct, "
            "lower_limit_rate, winner_name, winning_amount, notice_missing) VALUES (?, '000', '0', '0', ?, 'services', "
            "?, '개찰완료', 37, 100000000, 99500000, 99.5, 87.745, '(주)가나정보', 88000000, FALSE)",
            (item["notice_no"], close.date().isoformat(), (close + dt.timedelta(hours=1)).isoformat(sep=" ")),
        )
    slack, mail = SlackStandIn(), SmtpStandIn()
    with slack.serve() as slack_url, mail.serve() as smtp:
        reminder_day = (close.date() - dt.timedelta(days=1)).isoformat()
        run_alerts(built, slack_url, smtp, ["reminder"], today=reminder_day)
        key = f"reminder:hanbit-soft:{item['notice_no']}:D-1"
        (reminder,) = slack.messages_of(key)
        assert reminder.blocks[0]["text"]["text"].startswith("⏰ 마감 D-1: ")
        run_alerts(built, slack_url, smtp, ["result"])
        (result,) = slack.messages_of(f"result:hanbit-soft:{item['notice_no']}")
        fields = [f["text"] for b in result.blocks if b["type"] == "section" for f in b.get("fields", [])]
        assert "*낙찰자*\n(주)가나정보" in fields
        assert "*사정률*\n99.500%" in fields
        assert "*참가업체*\n37곳" in fields
        assert result.text.startswith("개찰 결과: ")
    outbox = warehouse.read_frame(engine, "SELECT kind, transport, status FROM alert_outbox")
    assert set(outbox.filter(pl.col("kind") != "briefing")["status"]) == {"sent"}
    engine.dispose()
