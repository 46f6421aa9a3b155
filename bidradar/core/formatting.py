"""Money as Korean readers say it, in one place: 3.2억, 10억, 4500만원.

`won_text` formats one amount (messages, prompts); `won_expr` is the same rule as a polars expression, for a
column of amounts. A test keeps the two identical.
"""

from __future__ import annotations

import polars as pl

UNKNOWN = "미상"
EOK = 100_000_000
MAN = 10_000


def won_text(amount: int | float | None) -> str:
    """One amount: 3.2억 from 320,000,000; 4500만원 from 45,000,000; 미상 when there is none."""
    if amount is None or not isinstance(amount, int | float):
        return UNKNOWN
    if amount >= EOK:
        return f"{round(amount / EOK, 1):g}억"
    return f"{round(amount / MAN)}만원"


def won_range_text(low: int | float | None, high: int | float | None) -> str:
    """A range of amounts: 3.2억 ~ 3.4억; in whole won when both ends read the same rounded (a floor's 80% range is
    often within 1,000만원: "3.6억 ~ 3.6억" says nothing)."""
    if low is None or high is None:
        return UNKNOWN
    if won_text(low) == won_text(high):
        return f"{round(low):,}원 ~ {round(high):,}원"
    return f"{won_text(low)} ~ {won_text(high)}"


def won_expr(expr: pl.Expr) -> pl.Expr:
    """The same as `won_text`, for a column."""
    eok = (expr.cast(pl.Float64) / EOK).round(1).cast(pl.String).str.replace(r"\.0$", "")
    man = (expr.cast(pl.Float64) / MAN).round(0).cast(pl.Int64).cast(pl.String)
    return pl.when(expr.is_null()).then(pl.lit(UNKNOWN)).when(expr >= EOK).then(eok + "억").otherwise(man + "만원")
