"""Dated thresholds of the 중소기업 restriction, with their sources, applied by the notice's date.

판로지원법 (중소기업제품 구매촉진 및 판로지원에 관한 법률) 시행령 제2조의2 reserves 물품·용역 notices below 1억
to 소기업·소상공인 and those from 1억 up to the 고시금액 to 중소기업. The 고시금액 is set every two years, and
separately for national bodies (기획재정부 고시), local governments (행정안전부 고시: 지자체, 교육청) and public
enterprises (공기업·준정부기관). One table, one row per (issuer, category, period); the row in force on the
notice's date applies. A row whose amount is not sourced yet has `amount=None`: the rule then says *unknown* for
a company that is not a 중소기업 rather than guess.

Issuer kinds are inferred from the agency name (`issuer_kind`): a 시도/시군구 name or 교육청 is local, a name
ending in 공사/공단 is a public enterprise, anything else national (조달청 publishing for a 수요기관 follows the
수요기관).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from bidradar.matching.regions import NAME_TO_CODE

SMALL_ONLY_BELOW = 100_000_000  # 소기업·소상공인 below 1억 (물품·용역), every issuer


@dataclass(frozen=True)
class Threshold:
    issuer: str  # national, local, public_corp
    category: str  # goods, services, construction
    valid_from: dt.date
    valid_to: dt.date  # inclusive
    amount: int | None  # 중소기업 restriction below this 추정가격; None = not sourced yet (-> unknown)
    source: str


_FAR = dt.date(2099, 12, 31)
_OLD = dt.date(2000, 1, 1)
SME_THRESHOLDS: tuple[Threshold, ...] = (
    *(
        Threshold(
            "national",
            cat,
            dt.date(2024, 1, 1),
            dt.date(2026, 12, 31),
            230_000_000,
            "기획재정부 고시 (국가계약 물품·용역 고시금액 2.3억, 2024–2026), docs/shared G2B reference",
        )
        for cat in ("goods", "services")
    ),
    *(
        Threshold(
            "national",
            cat,
            _OLD,
            dt.date(2023, 12, 31),
            210_000_000,
            "earlier 고시금액 2.1억 (the value this project used; its exact period is not verified)",
        )
        for cat in ("goods", "services")
    ),
    *(
        Threshold(
            issuer,
            cat,
            _OLD,
            _FAR,
            None,
            "행정안전부 고시 (지자체) / 공기업·준정부기관 계약사무규칙: own 고시금액, not sourced yet",
        )
        for issuer in ("local", "public_corp")
        for cat in ("goods", "services")
    ),
    *(
        Threshold(
            issuer,
            "construction",
            _OLD,
            _FAR,
            1_000_000_000,
            "공사 중소기업 제한 추정가격 10억 (carried over from the previous rule; not re-verified)",
        )
        for issuer in ("national", "local", "public_corp")
    ),
)


def threshold_frame() -> pl.DataFrame:
    return pl.DataFrame(
        [(t.issuer, t.category, t.valid_from, t.valid_to, t.amount, t.source) for t in SME_THRESHOLDS],
        schema={
            "issuer": pl.String,
            "category": pl.String,
            "valid_from": pl.Date,
            "valid_to": pl.Date,
            "sme_limit": pl.Int64,
            "source": pl.String,
        },
        orient="row",
    )


def sme_threshold(issuer: str, category: str, on: dt.date) -> Threshold | None:
    """The row in force for an issuer kind, category and date (None: no restriction of this kind applies)."""
    return next(
        (
            t
            for t in SME_THRESHOLDS
            if t.issuer == issuer and t.category == category and t.valid_from <= on <= t.valid_to
        ),
        None,
    )


# Official 시도 names, current and old (agency names start with them: "경기도 수원시", "전라북도교육청").
_LOCAL_PREFIXES = tuple(
    sorted((n for n in NAME_TO_CODE if n.endswith(("특별시", "광역시", "자치시", "도"))), key=len, reverse=True)
)


def issuer_kind(agency_name: str | None) -> str:
    """national, local or public_corp from an agency name."""
    name = (agency_name or "").strip()
    if name.endswith("교육청") or (name.startswith(_LOCAL_PREFIXES) and not name.endswith(("공사", "공단"))):
        return "local"
    if name.endswith(("공사", "공단")):
        return "public_corp"
    return "national"


def issuer_kind_expr(expr: pl.Expr) -> pl.Expr:
    name = expr.fill_null("").str.strip_chars()
    corp = name.str.ends_with("공사") | name.str.ends_with("공단")
    local_prefix = pl.any_horizontal([name.str.starts_with(p) for p in _LOCAL_PREFIXES])
    return (
        pl.when(name.str.ends_with("교육청") | (local_prefix & ~corp))
        .then(pl.lit("local"))
        .when(corp)
        .then(pl.lit("public_corp"))
        .otherwise(pl.lit("national"))
    )
