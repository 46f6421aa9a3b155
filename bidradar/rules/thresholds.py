"""고시금액 (the 국제입찰 대상금액) and the 중소기업 restriction thresholds, by issuer kind and date, every row sourced.

판로지원법 (중소기업제품 구매촉진 및 판로지원에 관한 법률) 시행령 제2조의2 reserves 물품·용역 notices of public
buyers: 추정가격 below 1억 to 소기업·소상공인, from 1억 up to the issuer's 고시금액 to 중소기업. It does not cover
공사 (the old "공사 10억" bar had no source and is gone) nor a private issuer (not a 공공기관 under the law). The
고시금액 is re-set every two years from the won/SDR rate, separately for
- national bodies (국가계약법 제4조, 기획재정부 고시: 중앙행정기관 130,000 SDR 물품·용역, 5,000,000 SDR 공사),
- public enterprises and 준정부기관 (same 고시, 정부조달협정 부속서3: 400,000 SDR / 15,000,000 SDR),
- local governments and 교육청 (지방계약법 제5조, 행정안전부 고시 「지방자치단체의 국제입찰 대상금액」,
  200,000 SDR / 15,000,000 SDR).

Where we are not sure of a figure the row carries the range it lies in (`low`..`amount`): a price inside the range is
*unknown* for a company that is not a 중소기업, never a confident answer. After the last known period the last row
keeps holding, flagged "확인 필요" (`needs_check`), and its range is widened by `STALE_MARGIN` on both sides: the new
고시 moves the amounts by a few percent. A day before the first row, or in a gap between sourced rows, has no
threshold (unknown). docs/eligibility.md lists the same rows (a test compares them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

SMALL_ONLY_BELOW = 100_000_000  # 소기업·소상공인 below 1억 (판로지원법 시행령 제2조의2 ①1), every public issuer
STALE_MARGIN = 0.10
ISSUER_KINDS = ("national", "local", "public_corp", "private", "unknown")
ISSUER_KO = {
    "national": "국가기관",
    "local": "지자체",
    "public_corp": "공기업·준정부기관",
    "private": "민간",
    "unknown": "미상",
}
SME_ISSUERS = ("national", "local", "public_corp")  # 판로지원법 applies to these


@dataclass(frozen=True)
class NoticeAmount:
    """One 고시금액 row: `amount` is the figure of the source; `low` < `amount` when only a range is sure."""

    issuer: str  # national, local, public_corp
    category: str  # goods_services (물품·용역) or construction (공사)
    valid_from: dt.date
    valid_to: dt.date  # inclusive: the end of the 고시's two-year period
    amount: int
    source: str
    low: int | None = None  # lower end of the sure range (None: the amount is confirmed)

    @property
    def confirmed(self) -> bool:
        return self.low is None or self.low == self.amount


_EOK = 100_000_000
_MOEF_2024 = (
    "기획재정부 고시 「국가를 당사자로 하는 계약에 관한 법률 시행령 등에 따른 국제입찰 대상금액」 (late 2024; "
    "as reported by EBN; shared/reference/g2b/README.md), 2025-01-01..2026-12-31"
)
_MOEF_2022 = "기획재정부 고시 국제입찰 대상금액 2023-01-01..2024-12-31 (shared/reference/g2b/README.md)"
_MOEF_2016 = "기획재정부 고시 제2016-34호, 2017-01-01..2018-12-31 (shared/reference/g2b/README.md)"
_MOIS = (
    "행정안전부 고시 「지방자치단체의 국제입찰 대상금액」 (지방계약법): 200,000 SDR 물품·용역, "
    "15,000,000 SDR 공사 at the 고시's won/SDR rate; the 물품·용역 figure is derived from the SDR amount (the text of the "
    "고시 is not in our sources), so only the range between the national figure and it is sure"
)

NOTICE_AMOUNTS: tuple[NoticeAmount, ...] = (
    # national bodies (중앙행정기관)
    NoticeAmount("national", "construction", dt.date(2017, 1, 1), dt.date(2018, 12, 31), 80 * _EOK, _MOEF_2016),
    NoticeAmount("national", "goods_services", dt.date(2023, 1, 1), dt.date(2024, 12, 31), 220_000_000, _MOEF_2022),
    NoticeAmount("national", "construction", dt.date(2023, 1, 1), dt.date(2024, 12, 31), 83 * _EOK, _MOEF_2022),
    NoticeAmount("national", "goods_services", dt.date(2025, 1, 1), dt.date(2026, 12, 31), 230_000_000, _MOEF_2024),
    NoticeAmount("national", "construction", dt.date(2025, 1, 1), dt.date(2026, 12, 31), 88 * _EOK, _MOEF_2024),
    # 공기업·준정부기관
    NoticeAmount("public_corp", "goods_services", dt.date(2017, 1, 1), dt.date(2018, 12, 31), 640_000_000, _MOEF_2016),
    NoticeAmount("public_corp", "construction", dt.date(2017, 1, 1), dt.date(2018, 12, 31), 240 * _EOK, _MOEF_2016),
    NoticeAmount("public_corp", "goods_services", dt.date(2023, 1, 1), dt.date(2024, 12, 31), 670_000_000, _MOEF_2022),
    NoticeAmount("public_corp", "construction", dt.date(2023, 1, 1), dt.date(2024, 12, 31), 249 * _EOK, _MOEF_2022),
    NoticeAmount("public_corp", "goods_services", dt.date(2025, 1, 1), dt.date(2026, 12, 31), 710_000_000, _MOEF_2024),
    NoticeAmount("public_corp", "construction", dt.date(2025, 1, 1), dt.date(2026, 12, 31), 265 * _EOK, _MOEF_2024),
    # 지자체·교육청
    NoticeAmount(
        "local", "goods_services", dt.date(2023, 1, 1), dt.date(2024, 12, 31), 330_000_000, _MOIS, 220_000_000
    ),
    NoticeAmount("local", "construction", dt.date(2023, 1, 1), dt.date(2024, 12, 31), 249 * _EOK, _MOIS),
    NoticeAmount(
        "local", "goods_services", dt.date(2025, 1, 1), dt.date(2026, 12, 31), 350_000_000, _MOIS, 230_000_000
    ),
    NoticeAmount("local", "construction", dt.date(2025, 1, 1), dt.date(2026, 12, 31), 265 * _EOK, _MOIS),
)


@dataclass(frozen=True)
class Threshold:
    """The 고시금액 in force for a notice: `low`..`high` is the range of doubt (equal when sure)."""

    issuer: str
    category: str
    low: int
    high: int
    source: str
    valid_from: dt.date
    needs_check: bool  # past the last known 고시 period: "확인 필요"

    @property
    def amount(self) -> int:
        return self.high


def notice_amount(issuer: str, category: str, day: dt.date) -> Threshold | None:
    """The 고시금액 row for an issuer kind ('national', 'local', 'public_corp'), a category ('goods', 'services',
    'goods_services' or 'construction') and the notice's date; None when no sourced row covers the day."""
    cat = "construction" if category == "construction" else "goods_services"
    rows = sorted((r for r in NOTICE_AMOUNTS if r.issuer == issuer and r.category == cat), key=lambda r: r.valid_from)
    if not rows:
        return None
    for row in rows:
        if row.valid_from <= day <= row.valid_to:
            return Threshold(issuer, cat, row.low or row.amount, row.amount, row.source, row.valid_from, False)
    last = rows[-1]
    if day > last.valid_to:
        low = int((last.low or last.amount) * (1 - STALE_MARGIN))
        high = int(last.amount * (1 + STALE_MARGIN))
        source = f"{last.source}; 확인 필요: {last.valid_to} 이후의 고시 미반영"
        return Threshold(issuer, cat, low, high, source, last.valid_from, True)
    return None


def in_force_since(day: dt.date) -> dt.date:
    """The first day of the span that holds `day` and in which the 고시금액 rows in force (and their staleness) do
    not change: two days with the same answer get the same thresholds for every notice day up to them."""
    edges = {r.valid_from for r in NOTICE_AMOUNTS} | {r.valid_to + dt.timedelta(days=1) for r in NOTICE_AMOUNTS}
    return max((edge for edge in edges if edge <= day), default=dt.date.min)


def threshold_frame() -> pl.DataFrame:
    """Every 고시금액 row as a frame (issuer, category, valid_from, valid_to, low, amount, source), for joins; the
    open end after the last row is `stale_frame`'s business, see `sme_frame`."""
    return pl.DataFrame(
        [
            (r.issuer, r.category, r.valid_from, r.valid_to, r.low or r.amount, r.amount, r.source)
            for r in NOTICE_AMOUNTS
        ],
        schema={
            "issuer": pl.String,
            "category": pl.String,
            "valid_from": pl.Date,
            "valid_to": pl.Date,
            "low": pl.Int64,
            "amount": pl.Int64,
            "source": pl.String,
        },
        orient="row",
    )


def sme_frame(days: pl.Series) -> pl.DataFrame:
    """(issuer, day, sme_low, sme_high, needs_check) for every SME issuer and each distinct notice day: the 물품·용역
    고시금액 range in force that day (no row where none is sourced)."""
    rows = []
    for day in days.drop_nulls().unique().to_list():
        for issuer in SME_ISSUERS:
            t = notice_amount(issuer, "goods_services", day)
            if t is not None:
                rows.append((issuer, day, t.low, t.high, t.needs_check))
    return pl.DataFrame(
        rows,
        schema={
            "issuer": pl.String,
            "notice_day": pl.Date,
            "sme_low": pl.Int64,
            "sme_high": pl.Int64,
            "needs_check": pl.Boolean,
        },
        orient="row",
    )
