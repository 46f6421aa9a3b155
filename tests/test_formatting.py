"""The one money formatter: the scalar and the column form agree on every band and edge."""

from __future__ import annotations

import polars as pl
import pytest

from bidradar.core.formatting import won_expr, won_text

AMOUNTS = [None, 0, 9_999, 45_000_000, 99_994_999, 99_999_999, 100_000_000, 320_000_000, 1_000_000_000, 20_650_000_000]


@pytest.mark.parametrize("amount", AMOUNTS)
def test_scalar_and_column_agree(amount: int | None) -> None:
    column = pl.select(won_expr(pl.lit(amount, dtype=pl.Int64))).item()
    assert column == won_text(amount)


def test_as_people_say_it() -> None:
    assert won_text(320_000_000) == "3.2억"
    assert won_text(1_000_000_000) == "10억"
    assert won_text(45_000_000) == "4500만원"
    assert won_text(None) == "미상"
