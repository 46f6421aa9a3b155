"""The price advice a company reads: the typed record, its ONE reader, and its Korean rendering.

`PriceAdvice` is the seam between pricing and the surfaces that show it (the dashboard's detail page, the Slack
briefing): they call `read_price_advice` and render with `price_block_ko`, never the table's columns. Unknown stays
unknown: no competitor count, chance or history is invented; each is shown as 미상 with the reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bidradar.core.formatting import won_range_text, won_text

PRICED, NO_BASE, NOT_APPLICABLE = "priced", "no_base_amount", "not_applicable"
# No 낙찰하한율: the notice states none and the dated table has no row for it (외자, beyond the 적격심사 bands, no
# 추정가격): no floor can be computed, so no amount is advised.
NO_RATE = "no_lower_limit_rate"
# No A: the notice applies the A값 rule (or, without its 기초금액 row's flag, may: a 공사 under 300억) and G2B has not
# published the A. The floor is unknown, so no amount is advised (an A of 0 would put the floor too low).
NO_A_VALUE = "no_a_value"


@dataclasses.dataclass(frozen=True)
class PriceAdvice:
    """One company's price advice for one open notice (a row of bid_recommendations)."""

    company_id: str
    notice_no: str
    notice_order: str
    status: str  # priced, no_base_amount, no_lower_limit_rate, no_a_value, not_applicable
    strategy: str | None  # model, agency_mean_floor, floor_at_100, median_margin
    method_ko: str  # 모델 / 규칙 기반(...) / 기초금액 공개 전 / 해당 없음
    model_version: str | None
    base_amount: int | None
    lower_limit_rate: float | None
    amount: int | None  # the recommended bid, whole won
    amount_rate_pct: float | None  # the same, % of the 기초금액
    chance: float | None  # calibrated on the replay of past openings; None: not validated yet
    chance_low: float | None  # its 95% interval
    chance_high: float | None
    expected_competitors: float | None  # None: no history of participant counts to say
    competitors_source: str | None  # agency (this agency's openings), category (the category's), None
    history_openings: int  # the agency's earlier openings the figures come from
    history_counted_openings: int  # of them, with G2B's participant count
    history_rate_mean: float | None  # their mean 사정률 (%)
    rate_p10: float | None
    rate_p50: float | None
    rate_p90: float | None
    floor_p10: int | None
    floor_p50: int | None
    floor_p90: int | None
    explanation_ko: str
    as_of: dt.datetime
    scored_at: dt.datetime


FIELDS = [f.name for f in dataclasses.fields(PriceAdvice)]
# Record field -> table column where the names differ.
_COLUMN = {
    "amount": "recommended_amount",
    "amount_rate_pct": "recommended_rate_pct",
    "chance": "win_chance",
    "chance_low": "win_chance_low",
    "chance_high": "win_chance_high",
}
COLUMNS = [_COLUMN.get(f, f) for f in FIELDS]


def _parse_time(value: object) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def read_price_advice(
    engine: Engine | Connection, company_id: str | None = None, notice_nos: Iterable[str] | None = None
) -> list[PriceAdvice]:
    """The advice rows of a company (all companies when None), optionally for some notices only. Takes an engine
    or an open connection (the API reads inside its own transaction)."""
    query = f"SELECT {', '.join(COLUMNS)} FROM bid_recommendations WHERE 1 = 1"
    params: dict[str, object] = {}
    if company_id is not None:
        query += " AND company_id = :company"
        params["company"] = company_id
    wanted = list(notice_nos) if notice_nos is not None else None
    statement = sa.text(query)
    if wanted is not None:
        if not wanted:
            return []
        query += " AND notice_no IN :notices"
        params["notices"] = wanted
        statement = sa.text(query).bindparams(sa.bindparam("notices", expanding=True))
    if isinstance(engine, Connection):
        rows = engine.execute(statement, params).mappings().all()
    else:
        with engine.connect() as conn:
            rows = conn.execute(statement, params).mappings().all()
    out = []
    for row in rows:
        values = {f: row[_COLUMN.get(f, f)] for f in FIELDS}
        values["as_of"], values["scored_at"] = _parse_time(values["as_of"]), _parse_time(values["scored_at"])
        out.append(PriceAdvice(**values))
    return out


# ---------------------------------------------------------------------------------------------------------------------
# Korean rendering (the dashboard's detail page and Slack show the same lines)


def pct_text(value: float | None, digits: int = 1) -> str:
    return "미상" if value is None else f"{value * 100:.{digits}f}%"


def amount_text(amount: int | None) -> str:
    """1억 2,345만 6,789원 style: exact won (a bid is exact) with the reading in 억/만."""
    if amount is None:
        return "미상"
    return f"{amount:,}원 ({won_text(amount)})"


def competitors_text(advice: PriceAdvice) -> str:
    if advice.expected_competitors is None:
        return "미상 (참여업체 수 이력 없음)"
    where = {"agency": "이 기관", "category": "같은 분야"}.get(advice.competitors_source or "", "")
    return f"약 {advice.expected_competitors:,.0f}개사 ({where} 과거 개찰 기준)"


def chance_text(advice: PriceAdvice) -> str:
    if advice.chance is None:
        return "미상 (과거 개찰 재현 검증 전)"
    return f"{pct_text(advice.chance)} (95% 구간 {pct_text(advice.chance_low)}~{pct_text(advice.chance_high)})"


def price_block_ko(advice: PriceAdvice) -> list[tuple[str, str]]:
    """(label, value) lines of the price block, in Korean; no raw keys, rounded numbers."""
    if advice.status != PRICED:
        return [("추천 상태", advice.method_ko), ("설명", advice.explanation_ko)]  # under a 투찰가 추천 heading
    lines = [
        ("추천 투찰금액", f"{amount_text(advice.amount)}, 기초금액의 {advice.amount_rate_pct:.3f}%"),
        ("낙찰 가능성", chance_text(advice)),
        ("예상 경쟁", competitors_text(advice)),
    ]
    if advice.floor_p10 is not None and advice.floor_p90 is not None:
        lines.append(("낙찰하한가 예상 범위", f"{won_range_text(advice.floor_p10, advice.floor_p90)} (80% 구간)"))
    if advice.lower_limit_rate is not None:
        lines.append(("낙찰하한율", f"{advice.lower_limit_rate:.3f}%"))
    lines += [("방법", advice.method_ko), ("근거", advice.explanation_ko)]
    return lines


def price_block_text(advice: PriceAdvice) -> str:
    """The block as plain lines (Slack mrkdwn, e-mail)."""
    return "\n".join(f"{label}: {value}" for label, value in price_block_ko(advice))


def advice_view(advice: PriceAdvice) -> dict:
    """The record for JSON (the API) with its Korean block: typed fields, times in ISO, and the lines to show."""
    values = dataclasses.asdict(advice)
    values["as_of"], values["scored_at"] = advice.as_of.isoformat(), advice.scored_at.isoformat()
    values["price_block_ko"] = [{"label": label, "value": value} for label, value in price_block_ko(advice)]
    return values
