"""The rules of the price lottery (적격심사, 복수예비가격), as pure functions on numbers and arrays.

- 사정률 = 예정가격 / 기초금액 × 100; the 예정가격 is the mean of the drawn 예비가격 (their numbers are notice fields:
  `reserve_price_count`, `drawn_price_count`, never fixed here).
- 낙찰하한가 = (예정가격 − A) × 하한율 / 100 + A (A = 0 unless the 공사 applies the A-value rule).
- The winner is the lowest bid at or above the 낙찰하한가.
- 하한율: the notice's own `sucsfbidLwltRate`; only when a notice lacks it, the dated table below.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

# Spread of the 사정률 if every bidder picked uniformly: ~0.51 points at ±2% (README of the G2B reference). In
# units of the half range (2 or 3 %) that is ~0.255; the rules fallback widens it by half.
UNIFORM_DEV_SD = 0.255
RULES_WIDENING = 1.5


def floor_amount(planned_price: np.ndarray | float, lower_limit_rate: np.ndarray | float, a_value=0.0):  # type: ignore[no-untyped-def]
    """낙찰하한가 in won (not rounded: a bid must be at or above it)."""
    return (planned_price - a_value) * lower_limit_rate / 100.0 + a_value


def floor_at_rate(base_amount, assessment_rate_pct, lower_limit_rate, a_value=0.0):  # type: ignore[no-untyped-def]
    """낙찰하한가 for a given 사정률 (%): 예정가격 = 기초금액 × 사정률 / 100."""
    return floor_amount(base_amount * assessment_rate_pct / 100.0, lower_limit_rate, a_value)


def reference_floor_pct(lower_limit_rate, a_share):  # type: ignore[no-untyped-def]
    """The floor at a 사정률 of 100%, in % of the 기초금액: 하한율 + A/기초금액 × (100 − 하한율)."""
    return lower_limit_rate + a_share * (100.0 - lower_limit_rate)


def bid_position(amount, base_amount, lower_limit_rate, a_share):  # type: ignore[no-untyped-def]
    """Where a bid sits: its % of the 기초금액 minus the floor at a 사정률 of 100% (points)."""
    return amount / base_amount * 100.0 - reference_floor_pct(lower_limit_rate, a_share)


def smallest_bid_at_or_above(floor: np.ndarray | float):  # type: ignore[no-untyped-def]
    """Bids are whole won: the smallest amount that is not below the floor."""
    return np.ceil(np.asarray(floor) - 1e-9).astype(np.int64)


# A dated fallback table of 적격심사 하한율, used ONLY for a notice without `sucsfbidLwltRate`. Sources: the G2B
# reference README (floors raised by 2 %p: 지자체 from 2025-07-01, 조달청/national 공사 from 2026-01-30, 조달청
# 시설분야 용역 below 5억 from 2026-05-26). Third-party tables disagree on some 용역 and 물품 bands: the notice wins.
# (category, local?, upper bound of the 추정가격 band in won, rate before the raise, rate after, date of the raise)
_TABLE: list[tuple[str, bool | None, float, float, float, dt.date]] = [
    ("construction", True, 1e9, 87.745, 89.745, dt.date(2025, 7, 1)),
    ("construction", True, 5e9, 86.745, 88.745, dt.date(2025, 7, 1)),
    ("construction", True, 1e10, 85.495, 87.495, dt.date(2025, 7, 1)),
    ("construction", False, 1e9, 87.745, 89.745, dt.date(2026, 1, 30)),
    ("construction", False, 5e9, 86.745, 88.745, dt.date(2026, 1, 30)),
    ("construction", False, 1e10, 85.495, 87.495, dt.date(2026, 1, 30)),
    ("services", True, 5e8, 87.745, 89.745, dt.date(2025, 7, 1)),
    ("services", False, 5e8, 87.995, 89.995, dt.date(2026, 5, 26)),
    ("services", None, math.inf, 84.995, 84.995, dt.date(2025, 7, 1)),
    ("goods", True, 1e8, 87.745, 89.745, dt.date(2025, 7, 1)),
    ("goods", None, math.inf, 84.995, 84.995, dt.date(2025, 7, 1)),
    ("construction", None, math.inf, 85.495, 85.495, dt.date(2025, 7, 1)),
]


def table_lower_limit_rate(category: str, estimated_price: float | None, is_local: bool, on: dt.date) -> float:
    """The dated 하한율 for a notice that does not carry its own (see the table's sources above)."""
    amount = estimated_price if estimated_price is not None else 0.0
    for cat, local, upper, before, after, since in _TABLE:
        if cat == category and (local is None or local == is_local) and amount < upper:
            return after if on >= since else before
    return 87.745
