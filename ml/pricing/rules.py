"""The rules of the price lottery (적격심사, 복수예비가격), as pure functions on numbers and arrays.

- 사정률 = 예정가격 / 기초금액 × 100; the 예정가격 is the mean of the drawn 예비가격 (their numbers are notice fields:
  `reserve_price_count`, `drawn_price_count`, never fixed here).
- 낙찰하한가 = (예정가격 − A) × 하한율 / 100 + A (A = 0 unless the 공사 applies the A-value rule).
- The winner is the lowest bid at or above the 낙찰하한가.
- 하한율: the notice's own `sucsfbidLwltRate`; only when a notice lacks it, the dated table of
  `bidradar.rules.rates`.
The floor formula and the rate table live in `bidradar.rules` (one home for G2B's rules); this module re-exports
the floor functions the price model calls.
"""

from __future__ import annotations

from bidradar.rules.floor import floor_amount, floor_at_rate, reference_floor_pct, smallest_bid_at_or_above

__all__ = ["bid_position", "floor_amount", "floor_at_rate", "reference_floor_pct", "smallest_bid_at_or_above"]
# Spread of the 사정률 if every bidder picked uniformly: ~0.51 points at ±2% (README of the G2B reference). In
# units of the half range (2 or 3 %) that is ~0.255; the rules fallback widens it by half.
UNIFORM_DEV_SD = 0.255
RULES_WIDENING = 1.5


def bid_position(amount, base_amount, lower_limit_rate, a_share):  # type: ignore[no-untyped-def]
    """Where a bid sits: its % of the 기초금액 minus the floor at a 사정률 of 100% (points)."""
    return amount / base_amount * 100.0 - reference_floor_pct(lower_limit_rate, a_share)
