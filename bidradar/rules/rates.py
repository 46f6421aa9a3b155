"""낙찰하한율 (the 적격심사 floor rate) by contract type, amount band, issuer and date: ONE dated, sourced table.

The notice's own `sucsfbidLwltRate` always wins: this table is for what the notice does not say (the simulator's
market, a price model's prior, a check of a notice's rate). Third-party tables disagree on some 용역 and 물품 bands;
every row names its source, and rows whose value is not confirmed by an official text say so (`confirmed`).

`lower_limit_rate(category, amount, issuer_kind, day)` -> (rate in %, source id), or (None, reason) where the notice
is not awarded by 적격심사 at that amount (외자 최저가, 공사 ≥ 300억 종합심사, …).

- category: "construction" (공사), "services" (일반·기술용역), "facility_services" (시설분야 용역: 청소, 경비,
  시설물 유지관리…), "goods" (물품), "foreign" (외자);
- amount: 추정가격 in won (the bands are by 추정가격, VAT excluded);
- issuer_kind: "national" (조달청 and national bodies, 국가계약법), "local" (지자체 and 교육청, 지방계약법),
  "public_corp" (공기업·준정부기관: their own 세부기준; LH, 수자원공사 followed the 2026 raise, 한전 did not);
- day: the notice's date (the rate of the notice's 공고일 applies).

Reconciliation (issue 20): two tables disagreed, this one (from `bidradar/ingestion/rates.py`) and a small one in
`ml/pricing/rules.py`. This one is followed because every row names its source and issuer, and it agrees with the
G2B reference where the reference is explicit. The other one was wrong against the reference in three places and
is gone: it applied the 조달청 *시설분야* 용역 raise (87.995 → 89.995 from 2026-05-26) to every national 용역, it gave
공사 100억–300억 85.495 (the bands give 79.995), and it answered 87.745 for any case it did not know (an amount
outside every 적격심사 band has no rate: `None` with the reason). 물품 of 지자체 below 1억 (87.745 → 89.745 in the
other table) is not in any source we hold; it stays the third-party 물품 band, marked unconfirmed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

NOTICE_THRESHOLD_2024 = (
    230_000_000  # 물품·용역 고시금액 of national bodies (bidradar.rules.thresholds): the 용역 band edge
)
OPEN_END = dt.date(9999, 12, 31)

SOURCES: dict[str, str] = {
    "moef-2026": "기획재정부 계약예규 「적격심사기준」 and 조달청 「시설공사 적격심사세부기준」, +2 %p from 2026-01-30 "
    "(notice relayed by 대한전문건설협회 울산시회, ulsan.kosca.or.kr nttNo=5003; shared/reference/g2b/README.md)",
    "mois-2025": "행정안전부 「지방자치단체 입찰 시 낙찰자 결정 기준」, +2 %p for 지자체 from 2025-07-01 "
    "(shared/reference/g2b/README.md)",
    "pps-facility-2026": "조달청 시설분야 용역 적격심사 (below 5억): 87.995 -> 89.995 from 2026-05-26 "
    "(shared/reference/g2b/README.md)",
    "bands-pre-2025": "공사 bands before the raises: 3억 미만 and 3억–10억 87.745, 10억–50억 86.745, 50억–100억 "
    "85.495, 100억–300억 79.995 (국가철도공단, 한국환경공단 and 한전 tables on dhbid.net / dkbid.co.kr; "
    "studio-oim.tistory.com/309 for 국가계약법 vs 지방계약법)",
    "services-third-party": "일반용역: 고시금액 이상 84.995, 미만 86.995–87.995 (third-party tables disagree; "
    "dhbid.net 국가철도공단 2018; 지자체 일반용역 87.745): not confirmed by an official text",
    "goods-third-party": "물품 적격심사: 고시금액 미만 84.245, 이상 80.495 (dhbid.net 한국환경공단; third-party, "
    "not confirmed by an official text)",
    "public-corp": "공기업·준정부기관 keep their own 세부기준; 한전 kept 87.745 after 2026-01-30 "
    "(shared/reference/g2b/README.md); others are taken at the pre-raise bands until their notices say otherwise",
}


@dataclass(frozen=True)
class Band:
    category: str
    issuer_kind: str
    amount_from: int  # inclusive, won (추정가격)
    amount_to: int | None  # exclusive; None = no upper bound
    rate: float
    valid_from: dt.date
    valid_to: dt.date  # inclusive
    source: str
    confirmed: bool = True


_EOK = 100_000_000
# 공사 amount bands (추정가격) and their pre-raise rates; the 2 %p raises move every band of an issuer at once.
_CONSTRUCTION = [
    (0, 3 * _EOK, 87.745),
    (3 * _EOK, 10 * _EOK, 87.745),
    (10 * _EOK, 50 * _EOK, 86.745),
    (50 * _EOK, 100 * _EOK, 85.495),
    (100 * _EOK, 300 * _EOK, 79.995),
]
_RAISE = {"national": dt.date(2026, 1, 30), "local": dt.date(2025, 7, 1)}
_RAISE_SOURCE = {"national": "moef-2026", "local": "mois-2025"}


def _build() -> list[Band]:
    bands: list[Band] = []
    start = dt.date(2020, 1, 1)
    for kind, raised in _RAISE.items():
        before = raised - dt.timedelta(days=1)
        for lo, hi, rate in _CONSTRUCTION:
            bands.append(Band("construction", kind, lo, hi, rate, start, before, "bands-pre-2025"))
            bands.append(Band("construction", kind, lo, hi, round(rate + 2, 3), raised, OPEN_END, _RAISE_SOURCE[kind]))
    for lo, hi, rate in _CONSTRUCTION:
        bands.append(Band("construction", "public_corp", lo, hi, rate, start, OPEN_END, "public-corp", False))
    # 용역 (일반·기술): national by the 고시금액; 지자체 일반용역 87.745, +2 %p from 2025-07-01.
    t = NOTICE_THRESHOLD_2024
    bands += [
        Band("services", "national", 0, t, 87.995, start, OPEN_END, "services-third-party", False),
        Band("services", "national", t, None, 84.995, start, OPEN_END, "services-third-party", False),
        Band("services", "local", 0, None, 87.745, start, dt.date(2025, 6, 30), "services-third-party", False),
        Band("services", "local", 0, None, 89.745, dt.date(2025, 7, 1), OPEN_END, "mois-2025"),
        Band("services", "public_corp", 0, t, 87.995, start, OPEN_END, "public-corp", False),
        Band("services", "public_corp", t, None, 84.995, start, OPEN_END, "public-corp", False),
        # 시설분야 용역 (청소·경비·시설관리): 조달청 below 5억 87.995 -> 89.995 from 2026-05-26.
        Band("facility_services", "national", 0, 5 * _EOK, 87.995, start, dt.date(2026, 5, 25), "pps-facility-2026"),
        Band("facility_services", "national", 0, 5 * _EOK, 89.995, dt.date(2026, 5, 26), OPEN_END, "pps-facility-2026"),
        Band("facility_services", "national", 5 * _EOK, None, 87.745, start, OPEN_END, "services-third-party", False),
        Band("facility_services", "local", 0, None, 87.745, start, dt.date(2025, 6, 30), "services-third-party", False),
        Band("facility_services", "local", 0, None, 89.745, dt.date(2025, 7, 1), OPEN_END, "mois-2025"),
        Band("facility_services", "public_corp", 0, None, 87.995, start, OPEN_END, "public-corp", False),
    ]
    for kind in ("national", "local", "public_corp"):
        bands.append(Band("goods", kind, 0, t, 84.245, start, OPEN_END, "goods-third-party", False))
        bands.append(Band("goods", kind, t, None, 80.495, start, OPEN_END, "goods-third-party", False))
    return bands


BANDS: list[Band] = _build()
ISSUER_KINDS = ("national", "local", "public_corp")
CATEGORIES = ("construction", "services", "facility_services", "goods", "foreign")


def issuer_kind_of(agency_kind: str) -> str:
    """Map an agency kind (pps, national, university, public_corp, sido, sigungu, education) to the rate issuer."""
    if agency_kind in {"sido", "sigungu", "education"}:
        return "local"
    if agency_kind == "public_corp":
        return "public_corp"
    return "national"


def find_band(category: str, amount: int, issuer_kind: str, day: dt.date) -> Band | None:
    if category not in CATEGORIES or issuer_kind not in ISSUER_KINDS:
        raise ValueError(f"unknown category {category!r} or issuer kind {issuer_kind!r}")
    for band in BANDS:
        if (
            band.category == category
            and band.issuer_kind == issuer_kind
            and band.amount_from <= amount
            and (band.amount_to is None or amount < band.amount_to)
            and band.valid_from <= day <= band.valid_to
        ):
            return band
    return None


def table_rate(category: str, amount: float | None, issuer_kind: str, day: dt.date) -> float | None:
    """The dated rate for a notice that does not carry its own `sucsfbidLwltRate`; None where no band applies or the
    추정가격 is unknown (never a default rate)."""
    if amount is None or category not in CATEGORIES or issuer_kind not in ISSUER_KINDS:
        return None
    return lower_limit_rate(category, int(amount), issuer_kind, day)[0]


def lower_limit_rate(category: str, amount: int, issuer_kind: str, day: dt.date) -> tuple[float | None, str]:
    """The 적격심사 낙찰하한율 (%) and the id of its source in SOURCES; (None, why) where no 적격심사 band applies."""
    if category == "foreign":
        return None, "외자: 최저가낙찰, no 낙찰하한율"
    band = find_band(category, amount, issuer_kind, day)
    if band is None:
        return None, f"no 적격심사 band for {category} {amount:,}원 ({issuer_kind}, {day}): 종합심사 or 협상"
    return band.rate, band.source
