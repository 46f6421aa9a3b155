"""The dated 낙찰하한율 table: the documented raises, one band per case, every row sourced."""

from __future__ import annotations

import datetime as dt

import pytest

from bidradar.rules.rates import BANDS, CATEGORIES, ISSUER_KINDS, SOURCES, find_band, lower_limit_rate

EOK = 100_000_000


@pytest.mark.parametrize(
    ("category", "amount", "issuer", "day", "rate"),
    [
        ("construction", 5 * EOK, "national", dt.date(2026, 1, 29), 87.745),
        ("construction", 5 * EOK, "national", dt.date(2026, 1, 30), 89.745),
        ("construction", 20 * EOK, "national", dt.date(2026, 1, 30), 88.745),
        ("construction", 70 * EOK, "national", dt.date(2026, 2, 1), 87.495),
        ("construction", 20 * EOK, "local", dt.date(2025, 6, 30), 86.745),
        ("construction", 20 * EOK, "local", dt.date(2025, 7, 1), 88.745),
        ("construction", 5 * EOK, "public_corp", dt.date(2026, 3, 1), 87.745),  # 한전 kept 87.745
        ("facility_services", 3 * EOK, "national", dt.date(2026, 5, 25), 87.995),
        ("facility_services", 3 * EOK, "national", dt.date(2026, 5, 26), 89.995),
    ],
)
def test_documented_rates_and_raise_dates(category, amount, issuer, day, rate) -> None:
    found, source = lower_limit_rate(category, amount, issuer, day)
    assert found == rate and source in SOURCES


def test_no_overlaps_and_no_gaps_below_the_top_band() -> None:
    days = sorted({b.valid_from for b in BANDS} | {b.valid_to for b in BANDS if b.valid_to.year < 9999})
    amounts = sorted({b.amount_from for b in BANDS} | {b.amount_to - 1 for b in BANDS if b.amount_to})
    for category in CATEGORIES[:-1]:
        for issuer in ISSUER_KINDS:
            for day in days:
                for amount in amounts:
                    hits = [
                        b
                        for b in BANDS
                        if b.category == category
                        and b.issuer_kind == issuer
                        and b.amount_from <= amount
                        and (b.amount_to is None or amount < b.amount_to)
                        and b.valid_from <= day <= b.valid_to
                    ]
                    assert len(hits) <= 1
                    if amount < 300 * EOK:
                        assert find_band(category, amount, issuer, day) is not None


def test_outside_qualification_review_there_is_no_rate() -> None:
    assert lower_limit_rate("foreign", EOK, "national", dt.date(2026, 3, 1))[0] is None
    assert lower_limit_rate("construction", 400 * EOK, "national", dt.date(2026, 3, 1))[0] is None
