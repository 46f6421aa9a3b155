"""Synthetic matches and companies for the alert tests (two companies: a Pro one with a long briefing, a Free one)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from bidradar.alerts import select
from ml.pricing.advice import PriceAdvice, price_block_text

TODAY = dt.date(2026, 11, 23)  # a Monday
NOW = dt.datetime.combine(TODAY, dt.time(8, 0))  # its briefing
DASHBOARD = "http://dash.test"


def companies() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "company_id": "acme",
                "name": "에이크미(주)",
                "plan": "pro",
                "slack_channel": "#bids-acme",
                "alert_email": "bids@acme.example.co.kr",
            },
            {
                "company_id": "beta",
                "name": "베타전기(주)",
                "plan": "free",
                "slack_channel": "#bids-beta",
                "alert_email": "ops@beta.example.co.kr",
            },
        ],
        schema=select.COMPANY_SCHEMA,
    )


def advice(notice_no: str, amount: int) -> PriceAdvice:
    """A priced advice as ml.pricing writes it: 12% chance, about 7 competitors at this agency."""
    return PriceAdvice(
        company_id="acme", notice_no=notice_no, notice_order="000", status="priced", strategy="model",
        method_ko="모델", model_version="3", base_amount=amount + 10_000_000, lower_limit_rate=87.745,
        amount=amount, amount_rate_pct=amount / (amount + 10_000_000) * 100, chance=0.12, chance_low=0.08,
        chance_high=0.17, expected_competitors=7.0, competitors_source="agency", history_openings=40,
        history_counted_openings=38, history_rate_mean=99.9, rate_p10=99.1, rate_p50=100.0, rate_p90=100.9,
        floor_p10=None, floor_p50=None, floor_p90=None, explanation_ko="이 기관의 과거 개찰 40건 기준",
        as_of=dt.datetime.combine(TODAY, dt.time(6)), scored_at=dt.datetime.combine(TODAY, dt.time(6)),
    )  # fmt: skip


def candidates(n_acme: int = 12, n_beta: int = 8) -> pl.DataFrame:
    rows = []
    for company, n in (("acme", n_acme), ("beta", n_beta)):
        for i in range(1, n + 1):
            rows.append(
                {
                    "company_id": company,
                    "notice_no": f"R26BK{company[0].upper()}{i:05d}",
                    "rank": i,
                    "verdict": "eligible" if i % 7 else "unknown",
                    "title": f"{'정보시스템 유지관리' if company == 'acme' else '청사 전기설비 개선공사'} {i}차 <긴급> & 재공고",
                    "agency": "서울특별시 마포구" if company == "acme" else "경기도 수원시",
                    "estimated_price": 120_000_000 + i * 10_000_000,
                    "bid_close_at": dt.datetime.combine(TODAY, dt.time(10, 0)) + dt.timedelta(days=i % 5),
                    "eligibility": "면허 충족(소프트웨어사업자) · 지역 충족(서울특별시)",
                    "recommended_bid": 110_000_000 + i * 9_000_000,
                    "win_chance": 0.12,
                    # The one rendering of the advice (ml.pricing.advice), as alerts.store reads it.
                    "price_block": price_block_text(
                        advice(f"R26BK{company[0].upper()}{i:05d}", 110_000_000 + i * 9_000_000)
                    ),
                    "ai_summary": "유지관리 3년 실적이 있어 적합. 인력 2명 상주 조건 확인 필요.",
                    "ai_label": "Gemini 분석",
                }
            )
    return pl.DataFrame(rows, schema={**select.CANDIDATE_SCHEMA, **select.OPTIONAL_CANDIDATE})


def empty_shown() -> pl.DataFrame:
    return pl.DataFrame(schema=select.SHOWN_SCHEMA)


def empty_outcomes() -> pl.DataFrame:
    return pl.DataFrame(schema=select.OUTCOME_SCHEMA)
