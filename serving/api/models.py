"""Response models: the OpenAPI schema of the API. Times are Korea Standard Time with their offset (+09:00):
the warehouse keeps them naive, as G2B publishes them, and the API adds the zone. Money is in won."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field

from bidradar.core.clock import KST


def with_kst(value: dt.datetime) -> dt.datetime:
    """A naive warehouse time is KST: say so (RFC 3339 date-times carry their offset)."""
    return value.replace(tzinfo=KST) if value.tzinfo is None else value


Time = Annotated[dt.datetime, AfterValidator(with_kst)]

Status = Literal["open", "closed", "opened", "cancelled"]
Stage = Literal["new", "open", "closing", "closed", "opened"]
ShownVerdict = Literal["eligible", "conditional", "unknown"]


class NoticeSummary(BaseModel):
    notice_no: str
    notice_order: str
    category: str
    title: str
    notice_agency_name: str | None
    demand_agency_name: str | None
    estimated_price: int | None = Field(description="추정가격, won")
    registered_at: Time
    bid_close_at: Time | None
    opening_at: Time | None
    is_cancelled: bool
    status: Status


class NoticePage(BaseModel):
    items: list[NoticeSummary]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")
    limit: int
    sort: str


class BaseAmount(BaseModel):
    notice_order: str
    base_amount: int | None = Field(description="기초금액, won")
    reserve_range_low_pct: float | None = Field(description="예비가격 range, e.g. -2.0")
    reserve_range_high_pct: float | None
    base_amount_published_at: Time | None


class LicenseLimit(BaseModel):
    group_no: int
    seq_no: int
    license_name: str
    license_code: str | None
    permitted_industries_raw: str | None


class RegionLimit(BaseModel):
    seq_no: int
    region_name: str
    sido: str
    sigungu: str | None


class Revision(BaseModel):
    notice_order: str
    notice_kind: str | None = Field(description="the current 차수's 공고 kind; null for earlier ones (not kept)")
    changed_at: Time | None
    change_reason: str | None
    base_amount: int | None
    is_current: bool


class Bidder(BaseModel):
    rank: int | None = Field(description="개찰순위")
    business_no: str = Field(description="사업자등록번호")
    company_name: str | None
    bid_amount: int | None
    bid_rate_pct: float | None
    is_winner: bool = Field(description="the award names this 사업자등록번호")


class Result(BaseModel):
    notice_order: str
    bid_class_no: str
    rebid_no: str
    opened_at: Time | None
    opening_status: str | None
    participant_count: int | None = Field(description="참가업체 수 as G2B reports it (known before the bidder list)")
    bidder_count: int | None = Field(description="bidder rows crawled; null: the bidder list is not crawled yet")
    base_amount: int | None
    planned_price: int | None
    assessment_rate_pct: float | None
    lower_limit_rate: float | None
    winner_name: str | None
    winner_business_no: str | None
    winning_amount: int | None
    winning_rate_pct: float | None
    winner_rank: int | None
    awarded: bool = Field(description="G2B reported the award (낙찰자)")
    bidders: list[Bidder] | None = Field(description="every bidder by rank; null: the bidder list is not crawled yet")


class RuleVerdict(BaseModel):
    rule: str
    rule_ko: str
    verdict: str
    verdict_ko: str = Field(description="충족, 미충족 or 확인 필요")
    code: int = Field(description="matching's reason code: 0-9 pass, 10-19 fail, 20-29 unknown")
    reason_ko: str = Field(description="the reason in Korean; empty when the rule has nothing to say")


class Eligibility(BaseModel):
    verdict: str
    verdict_ko: str = Field(description="참가 가능, 참가 불가 or 확인 필요")
    summary_ko: str = Field(description="the verdict and its reasons, e.g. 참가 불가: 면허 미보유: 전기공사업")
    explanation_ko: str
    rules: list[RuleVerdict]
    as_of: Time | None


class Relevance(BaseModel):
    rank: int
    score: float
    scorer: str
    matched_terms: list[str]


class Analysis(BaseModel):
    source: str
    label_ko: str
    model: str | None
    summary_ko: str
    key_requirements: list[str]
    eligibility_concerns: list[str]
    risks: list[str]
    effort_estimate: str
    decision: str
    decision_ko: str = Field(description="참가 권장 or 참가 비권장")
    decision_reasons: list[str]
    fit_score: int
    analysed_at: Time | None


class CompanyView(BaseModel):
    company_id: str
    company_name: str
    plan: str
    eligibility: Eligibility | None = Field(
        description="null: the notice was not open at the company's last matching run (or it was never matched)"
    )
    relevance: Relevance | None
    analysis: Analysis | None = Field(description="Pro plan only")
    recommendation: dict[str, Any] | None = Field(description="Pro plan only; from bid_recommendations")
    plan_note: str | None = Field(description="what Pro adds, shown to Free companies")


class NoticeDetail(BaseModel):
    notice: dict[str, Any] = Field(description="every column of bid_notices for the notice")
    status: Status
    g2b_url: str | None
    attachments: list[str]
    base_amount: BaseAmount | None
    license_limits: list[LicenseLimit]
    license_limits_known: bool = Field(description="false: the limits were never fetched (unknown, not 'none')")
    region_limits: list[RegionLimit]
    region_limits_known: bool
    revisions: list[Revision] = Field(description="차수 history")
    results: list[Result]
    company: CompanyView | None = Field(description="only with a company token")


class Match(BaseModel):
    notice_no: str
    title: str
    category: str
    notice_agency_name: str | None
    demand_agency_name: str | None
    estimated_price: int | None
    registered_at: Time
    bid_close_at: Time | None
    opening_at: Time | None
    verdict: str
    verdict_ko: str
    summary_ko: str = Field(description="the verdict and its reasons in Korean")
    explanation_ko: str
    rank: int | None
    score: float | None
    stage: Stage
    stage_ko: str


class MatchPage(BaseModel):
    company_id: str
    company_name: str
    plan: str
    total: int = Field(description="matches the filters select, over every page")
    items: list[Match]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")


class BoardColumn(BaseModel):
    stage: Stage
    stage_ko: str
    count: int = Field(description="matches in this stage (the match list with stage=… shows them all)")
    items: list[Match]


class VerdictCount(BaseModel):
    verdict: ShownVerdict
    verdict_ko: str
    count: int


class Board(BaseModel):
    company_id: str
    company_name: str
    plan: str
    as_of: Time
    total: int = Field(description="the company's matches the filters select (the sum of the columns' counts)")
    verdict_counts: list[VerdictCount]
    columns: list[BoardColumn]


class Stats(BaseModel):
    """Counts of the warehouse. Every notice count is of bid_notices (one row per notice, its latest 차수), and
    open + closed + with results + cancelled = notices."""

    as_of: Time
    notices: int = Field(description="notices in the warehouse")
    open_notices: int = Field(description="not cancelled, no result, closing after now or with no close time")
    open_by_category: dict[str, int] = Field(description="open_notices by category")
    closing_today: int = Field(description="open notices that close before midnight (KST)")
    closed_notices: int = Field(description="not cancelled, closed, no result yet (awaiting opening)")
    notices_with_results: int = Field(description="not cancelled notices with at least one opening")
    cancelled_notices: int = Field(description="notices whose latest 차수 is a 취소공고")
    openings: int = Field(description="openings reported by G2B (a notice may have several: 차수, 분류, 재입찰)")
    openings_of_unknown_notices: int = Field(
        description="openings of notices not in the warehouse (registered before the crawled days)"
    )
    latest_registered_at: Time | None
    companies: int = Field(description="valid company profiles")


class Health(BaseModel):
    status: Literal["ok"]
    database: str


class Problem(BaseModel):
    detail: str
