"""The one money formatter: the scalar and the column form agree on every band and edge."""

from __future__ import annotations

import polars as pl
import pytest

from bidradar.core.formatting import won_expr, won_range_text, won_text

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


def test_a_range_that_rounds_to_one_amount_is_shown_in_won() -> None:
    """A floor's 80% range is often narrower than 1,000만원: "3.6억 ~ 3.6억" (the demo's briefing) says nothing."""
    assert won_range_text(358_512_000, 361_900_123) == "358,512,000원 ~ 361,900,123원"
    assert won_range_text(320_000_000, 340_000_000) == "3.2억 ~ 3.4억"
    assert won_range_text(None, 340_000_000) == "미상"
