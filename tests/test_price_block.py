"""The Korean price block, from the typed record (ml.pricing.advice): the API's detail, the dashboard's detail page
over HTTP and the Slack briefing all show it; no raw key and no long float reaches a user; unknown is 미상."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import polars as pl

from bidradar.alerts import slack_blocks
from bidradar.alerts import store as alert_store
from bidradar.core import warehouse
from bidradar.core.warehouse import TableWrite
from ml.pricing import recommendations
from ml.pricing.advice import COLUMNS, PriceAdvice, price_block_ko, price_block_text
from tests import serving_data
from tests.serving_data import TOKENS

NOTICE = "R26BK00000004"  # hanbit (Pro) is eligible for it in tests/serving_data.py
RAW_KEY = re.compile(r"\b[a-z]+_[a-z_]+\b")
LONG_FLOAT = re.compile(r"\d\.\d{4,}")


def advice_row(**overrides: object) -> dict:
    row = {
        "company_id": "hanbit",
        "notice_no": NOTICE,
        "notice_order": "000",
        "status": "priced",
        "strategy": "agency_mean_floor",
        "method_ko": "규칙 기반(기관 평균 사정률의 낙찰하한가)",
        "model_version": None,
        "base_amount": 175_000_000,
        "lower_limit_rate": 87.745,
        "a_value": 0,
        "rate_p10": 99.31234567891234,
        "rate_p50": 99.81234567891234,
        "rate_p90": 100.31234567891234,
        "floor_p10": 152_500_123,
        "floor_p50": 153_270_456,
        "floor_p90": 154_040_789,
        "recommended_amount": 153_270_457,
        "recommended_rate_pct": 87.58311828571428,
        "win_chance": 0.031234567891234,
        "win_chance_low": 0.012345678912345,
        "win_chance_high": 0.061234567891234,
        "expected_competitors": 312.4567891234,
        "competitors_source": "agency",
        "history_openings": 23,
        "history_counted_openings": 23,
        "history_rate_mean": 99.81234567891234,
        "explanation_ko": "이 기관 지난 개찰 23건: 평균 사정률 99.81%, 평균 312개사 참여.",
        "as_of": dt.datetime(2026, 11, 20, 9),
        "scored_at": dt.datetime(2026, 11, 20, 9, 5),
    }
    return {**row, **overrides}


def test_the_block_is_korean_rounded_and_says_unknown() -> None:
    advice = PriceAdvice(**_record(advice_row()))
    lines = dict(price_block_ko(advice))
    assert lines["추천 투찰금액"].startswith("153,270,457원 (1.5억)") and "87.583%" in lines["추천 투찰금액"]
    assert lines["낙찰 가능성"] == "3.1% (95% 구간 1.2%~6.1%)"
    assert lines["예상 경쟁"] == "약 312개사 (이 기관 과거 개찰 기준)"
    unknown = PriceAdvice(
        **{
            **_record(advice_row()),
            "chance": None,
            "chance_low": None,
            "chance_high": None,
            "expected_competitors": None,
            "competitors_source": None,
        }
    )
    lines = dict(price_block_ko(unknown))
    assert lines["낙찰 가능성"].startswith("미상") and lines["예상 경쟁"].startswith("미상")
    assert "0개사" not in " ".join(lines.values())


def _record(row: dict) -> dict:
    """A bid_recommendations row as the record's fields (the reader's mapping, written out for the test)."""
    names = {
        "recommended_amount": "amount",
        "recommended_rate_pct": "amount_rate_pct",
        "win_chance": "chance",
        "win_chance_low": "chance_low",
        "win_chance_high": "chance_high",
    }
    return {names.get(k, k): v for k, v in row.items() if k != "a_value"}


def test_the_api_the_detail_page_and_slack_show_the_block(sqlite_url: str) -> None:
    with serving_data.served_warehouse(sqlite_url) as (url, _app):
        engine = warehouse.make_engine(sqlite_url)
        frame = pl.DataFrame([advice_row()])
        warehouse.write(
            engine, [TableWrite("bid_recommendations", frame, ["company_id", "notice_no"], replace="table")]
        )
        engine.dispose()
        headers = {"Authorization": f"Bearer {TOKENS['hanbit']}"}
        with httpx.Client(base_url=url, timeout=30) as client:
            detail = client.get(f"/api/notices/{NOTICE}", headers=headers).json()
            recommendation = detail["company"]["recommendation"]
            assert recommendation["amount"] == 153_270_457 and recommendation["chance"] > 0.03
            labels = [line["label"] for line in recommendation["price_block_ko"]]
            assert labels[:3] == ["추천 투찰금액", "낙찰 가능성", "예상 경쟁"]
            csrf = serving_data.csrf_token(client.get("/signin"))
            client.post("/signin", data={"token": TOKENS["hanbit"], "csrf": csrf})
            page = client.get(f"/notices/{NOTICE}").text
    block = page[page.index('data-testid="price-block"') : page.index("</dl>", page.index('data-testid="price-block"'))]
    assert "추천 투찰금액" in block and "153,270,457원" in block and "3.1% (95% 구간 1.2%~6.1%)" in block
    assert "약 312개사" in block and "이 기관 지난 개찰 23건" in block
    text = re.sub(r"<[^>]+>", " ", block)
    assert not RAW_KEY.search(text), RAW_KEY.search(text)
    assert not LONG_FLOAT.search(text), LONG_FLOAT.search(text)


def test_slack_shows_the_same_block() -> None:
    advice = PriceAdvice(**_record(advice_row()))
    item = {
        "notice_no": NOTICE,
        "title": "2026년 본관 청소용역",
        "agency": "서울특별시 중구",
        "estimated_price": 175_000_000,
        "bid_close_at": "2026-11-25T10:00:00",
        "eligibility": "참가 자격 충족",
        "recommended_bid": advice.amount,
        "win_chance": advice.chance,
        "price_block": price_block_text(advice),
    }
    blocks = slack_blocks._item_blocks(item, 1, True, dt.date(2026, 11, 20), "https://bidradar.example")
    fields = " ".join(f["text"] for b in blocks for f in b.get("fields", []))
    assert "*투찰가 추천*" in fields and "153,270,457원" in fields and "95% 구간" in fields and "약 312개사" in fields
    assert not LONG_FLOAT.search(fields)
    free = slack_blocks._item_blocks(item, 1, False, dt.date(2026, 11, 20), "https://bidradar.example")
    assert "153,270,457" not in str(free)  # Free plan: no price


def test_email_shows_the_same_block() -> None:
    """The e-mail's price lines are the block of price_block_ko, not only the amount and chance (plain and HTML)."""
    from bidradar.alerts import email_render

    advice = PriceAdvice(**_record(advice_row()))
    item = {
        "notice_no": NOTICE,
        "title": "2026년 본관 청소용역",
        "agency": "서울특별시 중구",
        "estimated_price": 175_000_000,
        "bid_close_at": "2026-11-25T10:00:00",
        "eligibility": "참가 자격 충족",
        "recommended_bid": advice.amount,
        "win_chance": advice.chance,
        "price_block": price_block_text(advice),
    }
    payload = {
        "kind": "briefing",
        "plan": "pro",
        "company_name": "에이크미(주)",
        "total_new": 1,
        "items": [item],
    }
    plain = email_render.plain_text(payload, dt.date(2026, 11, 20), "https://bidradar.example")
    for label, value in price_block_ko(advice):
        assert f"  {label}: {value}" in plain, label
    page = email_render.html_part(payload, dt.date(2026, 11, 20), "https://bidradar.example")
    text = re.sub(r"<[^>]+>", " ", page)
    assert "추천 투찰금액" in text and "153,270,457원" in text and "95% 구간" in text and "약 312개사" in text
    assert "이 기관 지난 개찰 23건" in text and "낙찰하한가 예상 범위" in text
    assert not LONG_FLOAT.search(text) and not RAW_KEY.search(text)
    free = email_render.plain_text({**payload, "plan": "free"}, dt.date(2026, 11, 20), "https://bidradar.example")
    assert "153,270,457" not in free  # Free plan: no price


def test_recommendation_rows_are_the_record_columns() -> None:
    empty = recommendations.recommendation_rows(
        pl.DataFrame(), pl.DataFrame(), dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 1)
    )
    assert set(empty.columns) == set(COLUMNS) | {"a_value"}


def test_a_pro_alert_says_why_an_advice_has_no_amount(sqlite_url: str) -> None:
    """alerts' reader gives every advice its block: one without an amount says why (기초금액 공개 전), not nothing."""
    engine = warehouse.make_engine(sqlite_url)
    warehouse.migrate(engine)
    waiting = advice_row(
        status="no_base_amount",
        method_ko="기초금액 공개 전",
        base_amount=None,
        **dict.fromkeys(
            ("rate_p10", "rate_p50", "rate_p90", "floor_p10", "floor_p50", "floor_p90", "recommended_amount"), None
        ),
        **dict.fromkeys(("recommended_rate_pct", "win_chance", "win_chance_low", "win_chance_high"), None),
        explanation_ko="기초금액 공개 전입니다. 공개되면 추천합니다 (낙찰하한율 87.745%).",
    )
    warehouse.write(
        engine,
        [TableWrite("bid_recommendations", pl.DataFrame([waiting]), ["company_id", "notice_no"], replace="table")],
    )
    row = alert_store.read_recommendations(engine).row(0, named=True)
    engine.dispose()
    assert row["recommended_bid"] is None and row["win_chance"] is None
    assert (
        row["price_block"]
        == "추천 상태: 기초금액 공개 전\n설명: 기초금액 공개 전입니다. 공개되면 추천합니다 (낙찰하한율 87.745%)."
    )
