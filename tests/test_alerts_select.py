"""What is due: the selection of briefings, reminders and results (frames in, frames out), plans, rendering limits,
the Korean working-day calendar of the schedules and the operators' alert."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from dagster import DagsterInstance, SkipReason, build_schedule_context

from bidradar.alerts import calendar, ops, select, slack_blocks
from tests import alerts_fixtures as fx

KST = ZoneInfo("Asia/Seoul")


def due(candidates=None, shown=None, outcomes=None, today=fx.TODAY, kinds=select.KINDS, follows=None, at=dt.time(8)):  # type: ignore[no-untyped-def]
    return select.select_due(
        fx.candidates() if candidates is None else candidates,
        fx.companies(),
        fx.empty_shown() if shown is None else shown,
        fx.empty_outcomes() if outcomes is None else outcomes,
        dt.datetime.combine(today, at),
        kinds=kinds,
        follows=follows,
    )


def payload(result: select.Due, key: str) -> dict:
    return json.loads(result.alerts.filter(pl.col("alert_key") == key)["payload"][0])


def test_free_gets_the_top_5_eligible_without_price_or_ai_and_pro_gets_all() -> None:
    result = due(kinds=["briefing"])
    free, pro = payload(result, "briefing:beta:2026-11-23"), payload(result, "briefing:acme:2026-11-23")
    assert [i["rank"] for i in free["items"]] == [1, 2, 3, 4, 5]  # rank 7 is 'unknown': never briefed
    assert free["total_new"] == 7 and free["left_out"] == 2
    assert all("recommended_bid" not in i and "ai_summary" not in i for i in free["items"])
    assert [i["rank"] for i in pro["items"]] == [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12]
    assert pro["items"][0]["recommended_bid"] == 119_000_000 and pro["items"][0]["win_chance"] == 0.12
    assert result.items.filter(pl.col("alert_key") == "briefing:beta:2026-11-23").height == 5


def test_a_conditional_match_is_briefed_with_its_condition_and_an_unknown_one_is_not() -> None:
    reason = "조건부: 지역의무공동도급(부산광역시 40%), 면허 충족(전기공사업)"
    cands = fx.candidates().with_columns(
        pl.when((pl.col("company_id") == "beta") & (pl.col("rank") == 2))
        .then(pl.lit("conditional"))
        .when((pl.col("company_id") == "beta") & (pl.col("rank") == 3))
        .then(pl.lit("unknown"))
        .otherwise(pl.col("verdict"))
        .alias("verdict"),
        pl.when((pl.col("company_id") == "beta") & (pl.col("rank") == 2))
        .then(pl.lit(reason))
        .otherwise(pl.col("eligibility"))
        .alias("eligibility"),
    )
    items = payload(due(candidates=cands, kinds=["briefing"]), "briefing:beta:2026-11-23")["items"]
    assert [i["rank"] for i in items] == [1, 2, 4, 5, 6]
    assert reason in json.dumps(items, ensure_ascii=False)


def test_the_next_briefing_shows_only_what_no_earlier_briefing_showed() -> None:
    first = due(kinds=["briefing"])
    shown = first.items.select("company_id", "notice_no", "kind", "item")
    next_day = fx.TODAY + dt.timedelta(days=1)
    second = due(shown=shown, today=next_day, kinds=["briefing"])
    free = payload(second, "briefing:beta:2026-11-24")
    assert [i["rank"] for i in free["items"]] == [6, 8]  # the two left out yesterday
    assert "briefing:acme:2026-11-24" not in second.alerts["alert_key"].to_list()  # nothing new for Pro
    # Notices that closed before today are never briefed.
    closed = fx.candidates().with_columns(pl.lit(dt.datetime(2026, 11, 22, 10)).alias("bid_close_at"))
    assert due(candidates=closed, kinds=["briefing"]).alerts.is_empty()


def test_the_briefing_leaves_out_what_closed_earlier_the_same_day() -> None:
    """Still open is by the close time: a notice that closed at 07:00 is not news in the 08:00 briefing."""
    early = fx.candidates().with_columns(pl.lit(dt.datetime(2026, 11, 23, 7, 0)).alias("bid_close_at"))
    assert due(candidates=early, kinds=["briefing"]).alerts.is_empty()
    assert not due(candidates=early, kinds=["briefing"], at=dt.time(6, 59)).alerts.is_empty()
    later = fx.candidates().with_columns(pl.lit(dt.datetime(2026, 11, 23, 10, 0)).alias("bid_close_at"))
    items = payload(due(candidates=later, kinds=["briefing"]), "briefing:beta:2026-11-23")["items"]
    assert len(items) == 5


def test_reminders_at_d3_and_d1_for_shown_or_followed_notices() -> None:
    first = due(kinds=["briefing"])
    shown = first.items.select("company_id", "notice_no", "kind", "item")
    follows = pl.DataFrame({"company_id": ["beta"], "notice_no": ["R26BKB00008"]})
    result = due(shown=shown, kinds=["reminder"], follows=follows)
    keys = sorted(result.alerts["alert_key"])
    # Closing dates are TODAY + (rank % 5) days: D-1 for ranks 1, 6, 11; D-3 for 3, 8.
    assert "reminder:beta:R26BKB00001:D-1" in keys and "reminder:beta:R26BKB00003:D-3" in keys
    assert "reminder:beta:R26BKB00008:D-3" in keys  # followed, never briefed (Free left it out)
    assert "reminder:beta:R26BKB00006:D-1" not in keys  # neither shown nor followed
    assert "reminder:acme:R26BKA00011:D-1" in keys
    reminder = payload(result, "reminder:acme:R26BKA00011:D-1")
    assert reminder["days_left"] == 1 and reminder["item"]["ai_summary"]


def test_results_with_the_winner_the_rate_and_where_the_recommendation_would_have_landed() -> None:
    first = due(kinds=["briefing"])
    shown = first.items.select("company_id", "notice_no", "kind", "item")
    outcomes = pl.DataFrame(
        {
            "notice_no": ["R26BKA00001", "R26BKB00001", "R26BKB00002"],
            "opened_at": [dt.datetime(2026, 11, 24, 11)] * 3,
            "winner_name": ["(주)가나", None, None],
            "winning_amount": [125_000_000, None, None],
            "assessment_rate_pct": [99.812, 100.4, 99.1],
            "participant_count": [41, 12, 30],
            "floor_amount": [118_000_000, None, None],
            "bid_amounts": [[117_000_000, 121_000_000, 125_000_000], None, None],
            # B00002: opened, winner not registered yet (the 적격심사 review): no result until it is.
            "opening_status": ["개찰완료", "유찰", "개찰완료"],
        },
        schema={**select.OUTCOME_SCHEMA, **select.OPTIONAL_OUTCOME},
    )
    result = due(shown=shown, outcomes=outcomes, kinds=["result"])
    assert sorted(result.alerts["alert_key"]) == ["result:acme:R26BKA00001", "result:beta:R26BKB00001"]
    pro = payload(result, "result:acme:R26BKA00001")
    # Recommended 119,000,000: valid bids (≥ floor) are 121M and 125M, so it would have been first.
    assert pro["landing"] == "1순위: 낙찰이었을 금액"
    assert pro["outcome"]["winner_name"] == "(주)가나" and pro["outcome"]["assessment_rate_pct"] == 99.812
    free = payload(result, "result:beta:R26BKB00001")
    assert free["landing"] is None and "recommended_bid" not in free["item"]
    lines = slack_blocks.as_text(slack_blocks.render(free, fx.TODAY, fx.DASHBOARD))
    assert "*낙찰자*: 유찰 (낙찰자 없음)" in lines and "*사정률*: 100.400%" in lines and "Pro 플랜" in lines


@pytest.mark.parametrize(
    ("recommended", "outcome", "landing"),
    [
        (90, {"floor_amount": 100}, "낙찰하한가 미달로 무효였을 금액"),
        (105, {"floor_amount": 100, "bid_amounts": [101, 103, 110]}, "유효 투찰 3건 중 3순위였을 금액"),
        (105, {"winning_amount": 104}, "낙찰 금액보다 높아 낙찰은 어려웠을 금액"),
        (103, {"winning_amount": 104, "floor_amount": 100}, "낙찰 금액보다 낮아 1순위였을 금액"),
        (None, {"winning_amount": 104}, None),
    ],
)
def test_landing(recommended, outcome, landing) -> None:  # type: ignore[no-untyped-def]
    assert select.landing_of(recommended, outcome) == landing


def test_outbox_rows_per_transport() -> None:
    result = due(kinds=["briefing"])
    rows = select.outbox_rows(result, fx.companies(), email_enabled=True)
    assert sorted(zip(rows["alert_key"], rows["transport"], strict=True)) == [
        ("briefing:acme:2026-11-23", "email"),
        ("briefing:acme:2026-11-23", "slack"),
        ("briefing:beta:2026-11-23", "email"),
        ("briefing:beta:2026-11-23", "slack"),
    ]
    assert select.outbox_rows(result, fx.companies(), email_enabled=False)["transport"].to_list() == ["slack"] * 2
    silent = fx.companies().with_columns(pl.lit(None, dtype=pl.String).alias("slack_channel"))
    assert select.outbox_rows(result, silent, email_enabled=False).is_empty()


def test_block_kit_limits_hold_for_a_huge_briefing() -> None:
    long_title = "아주 긴 공고명 " * 200
    candidates = fx.candidates(n_acme=180).with_columns(
        pl.lit(long_title).alias("title"),
        pl.lit("기관 " * 500).alias("agency"),
        pl.lit("요약 " * 2000).alias("ai_summary"),
        pl.lit("판정 " * 2000).alias("eligibility"),
    )
    result = due(candidates=candidates, kinds=["briefing"])
    brief = payload(result, "briefing:acme:2026-11-23")
    brief["company_name"] = "회사" * 200
    messages = slack_blocks.render(brief, fx.TODAY, fx.DASHBOARD)
    assert len(messages) > 2
    shown = 0
    for message in messages:
        assert 0 < len(message.text) <= slack_blocks.MAX_TEXT
        assert len(message.blocks) <= slack_blocks.MAX_BLOCKS
        for block in message.blocks:
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= slack_blocks.MAX_HEADER
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= slack_blocks.MAX_SECTION
                assert all(len(f["text"]) <= slack_blocks.MAX_FIELD for f in block.get("fields", []))
                shown += "fields" in block
            if block["type"] == "context":
                assert all(len(e["text"]) <= slack_blocks.MAX_CONTEXT for e in block["elements"])
    assert shown == len(brief["items"])  # every item once, none lost to the limits


@pytest.mark.parametrize(
    ("day", "working", "name"),
    [
        (dt.date(2026, 3, 2), False, "삼일절 대체 휴일"),  # 삼일절 fell on a Sunday
        (dt.date(2026, 3, 3), True, None),
        (dt.date(2026, 9, 25), False, "추석"),
        (dt.date(2026, 10, 5), False, "개천절 대체 휴일"),
        (dt.date(2026, 11, 21), False, None),  # a Saturday
    ],
)
def test_working_days_skip_korean_public_and_substitute_holidays(day, working, name) -> None:  # type: ignore[no-untyped-def]
    assert calendar.is_working_day(day) is working
    assert calendar.holiday_name(day) == name


def test_the_briefing_schedule_skips_a_substitute_holiday_and_runs_the_next_day() -> None:
    from assets.alerts import alerts_daily_reminders, alerts_morning_briefing

    with DagsterInstance.ephemeral() as instance:
        holiday = build_schedule_context(instance, scheduled_execution_time=dt.datetime(2026, 3, 2, 8, tzinfo=KST))
        result = alerts_morning_briefing(holiday)
        assert isinstance(result, SkipReason) and "삼일절 대체 휴일" in result.skip_message
        workday = build_schedule_context(instance, scheduled_execution_time=dt.datetime(2026, 3, 3, 8, tzinfo=KST))
        request = alerts_morning_briefing(workday)
        assert request.run_key == "briefing-2026-03-03"
        config = request.run_config["ops"]["alert_outbox"]["config"]
        assert config == {"kinds": ["briefing", "reminder", "result"], "today": "2026-03-03"}
        daily = build_schedule_context(instance, scheduled_execution_time=dt.datetime(2026, 3, 2, 9, tzinfo=KST))
        reminder = alerts_daily_reminders(daily)
        assert reminder.run_config["ops"]["alert_outbox"]["config"]["kinds"] == ["reminder", "result"]
        assert reminder.run_key == "reminders-20260302"


def test_the_ops_message_names_the_job_the_steps_and_the_first_line_of_the_error() -> None:
    message = ops.failed_run_message("ingest_notices", "abc-123", "G2B answered 500\nTraceback ...", ["notice_tables"])
    lines = slack_blocks.as_text([message])
    assert message.blocks[0]["text"]["text"] == "🚨 실행 실패: ingest_notices"
    assert "G2B answered 500" in lines and "Traceback" not in lines and "notice_tables" in lines
    assert message.text == "bidradar 실행 실패: ingest_notices: G2B answered 500"


def test_the_run_failure_sensor_posts_to_the_ops_channel() -> None:
    from dagster import DagsterEventType, build_run_status_sensor_context, job, op

    from assets.alerts import ops_alert_on_run_failure
    from assets.common.resources import AlertsResource
    from tests.kit.slack import SlackStandIn

    @op
    def crawl_step() -> None:
        raise RuntimeError("G2B answered 500 three times\nmore detail")

    @job
    def nightly() -> None:
        crawl_step()

    slack = SlackStandIn()
    with slack.serve() as url, DagsterInstance.ephemeral() as instance:
        result = nightly.execute_in_process(instance=instance, raise_on_error=False)
        assert not result.success
        failure = next(e for e in result.all_events if e.event_type == DagsterEventType.RUN_FAILURE)
        alerts = AlertsResource(slack_bot_token="xoxb-test", slack_api_url=url, ops_slack_channel="#bidradar-ops")
        context = build_run_status_sensor_context(
            sensor_name="ops_alert_on_run_failure",
            dagster_event=failure,
            dagster_instance=instance,
            dagster_run=result.dagster_run,
            resources={"alerts": alerts},
        ).for_run_failure()
        ops_alert_on_run_failure(context)
        # Without a channel: nothing is posted.
        quiet = AlertsResource(slack_bot_token="xoxb-test", slack_api_url=url, ops_slack_channel="")
        ops_alert_on_run_failure(
            build_run_status_sensor_context(
                sensor_name="ops_alert_on_run_failure",
                dagster_event=failure,
                dagster_instance=instance,
                dagster_run=result.dagster_run,
                resources={"alerts": quiet},
            ).for_run_failure()
        )
    (message,) = slack.messages
    assert message.channel == slack.channel_id("#bidradar-ops")
    assert message.blocks[0]["text"]["text"] == "🚨 실행 실패: nightly"
    text = slack_blocks.as_text([slack_blocks.SlackMessage(message.text, message.blocks)])
    assert "G2B answered 500 three times" in text and "more detail" not in text and "crawl_step" in text


def test_every_kind_renders_as_email_with_plain_text_and_html() -> None:
    from bidradar.alerts import email_render

    first = due(kinds=["briefing"])
    shown = first.items.select("company_id", "notice_no", "kind", "item")
    outcomes = pl.DataFrame(
        {
            "notice_no": ["R26BKA00001"],
            "opened_at": [dt.datetime(2026, 11, 24, 11)],
            "winner_name": ["(주)가나"],
            "winning_amount": [125_000_000],
            "assessment_rate_pct": [99.812],
            "participant_count": [41],
        },
        schema=select.OUTCOME_SCHEMA,
    )
    later = due(shown=shown, outcomes=outcomes, kinds=["reminder", "result"])
    for key, text in [
        ("reminder:acme:R26BKA00001:D-1", "입찰 마감이 1일 남았습니다."),
        ("result:acme:R26BKA00001", "낙찰자: (주)가나"),
    ]:
        message = email_render.build_message(payload(later, key), fx.TODAY, fx.DASHBOARD, "a@b.c", "d@e.f", key)
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert text in plain and "http://dash.test/notices/R26BKA00001" in html
    result_plain = email_render.plain_text(payload(later, "result:acme:R26BKA00001"), fx.TODAY, fx.DASHBOARD)
    assert "추천 투찰가였다면: 1.2억: 낙찰 금액보다 낮은 금액 (하한가 미상: 유효했다면 1순위)" in result_plain
