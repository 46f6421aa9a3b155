"""낙찰하한가 (the 적격심사 floor), with the A값 rule: the ONE place the formula is written.

낙찰하한가 = (예정가격 − A) × 하한율 / 100 + A, where A is the sum of the fixed cost items (국민연금, 건강보험,
퇴직공제, 산업안전보건관리비 …) of a 공사 that applies the A값 rule (`bidPrceCalclAYn` = Y), else 0
(기획재정부 계약예규 「적격심사기준」 and 조달청 「시설공사 적격심사세부기준」; shared/reference/g2b/README.md,
"How the winning price works"). The floor is not rounded: a bid must be at or above it, and bids are whole won.

The functions are plain arithmetic, so one definition serves floats, numpy arrays and polars expressions alike;
`floor_sql` renders the same formula for a query that must aggregate around the floor in the database. An A값 that
is unknown (NULL) gives an unknown floor: callers pass 0 only where the notice says the rule does not apply.
A test (tests/test_rules_single_home.py) fails when another module writes this arithmetic or a rate of its own.
"""

from __future__ import annotations

from typing import Any


def floor_amount(planned_price: Any, lower_limit_rate: Any, a_value: Any = 0.0) -> Any:
    """낙찰하한가 in won: (예정가격 − A) × 하한율 / 100 + A (not rounded)."""
    return (planned_price - a_value) * lower_limit_rate / 100.0 + a_value


def floor_at_rate(base_amount: Any, assessment_rate_pct: Any, lower_limit_rate: Any, a_value: Any = 0.0) -> Any:
    """낙찰하한가 for a given 사정률 (%): 예정가격 = 기초금액 × 사정률 / 100."""
    return floor_amount(base_amount * assessment_rate_pct / 100.0, lower_limit_rate, a_value)


def reference_floor_pct(lower_limit_rate: Any, a_share: Any) -> Any:
    """The floor at a 사정률 of 100%, in % of the 기초금액: 하한율 + A/기초금액 × (100 − 하한율)."""
    return lower_limit_rate + a_share * (100.0 - lower_limit_rate)


def smallest_bid_at_or_above(floor: Any) -> Any:
    """Bids are whole won: the smallest amount that is not below the floor (arrays in, int64 arrays out)."""
    import numpy as np

    return np.ceil(np.asarray(floor) - 1e-9).astype(np.int64)


def floor_sql(planned_price: str, lower_limit_rate: str, a_value: str) -> str:
    """`floor_amount` as a SQL expression over the given column expressions (same formula, for in-database
    aggregation; NULL in, NULL out)."""
    return f"(({planned_price}) - ({a_value})) * ({lower_limit_rate}) / 100.0 + ({a_value})"


def reference_floor_pct_sql(lower_limit_rate: str, a_share: str) -> str:
    """`reference_floor_pct` as a SQL expression."""
    return f"(({lower_limit_rate}) + ({a_share}) * (100 - ({lower_limit_rate})))"
