"""The chance served per band of competitors: a small replay without a win must not say 0% to a company facing
170 bidders; a large replay says what it observed."""

from __future__ import annotations

import numpy as np

from ml.pricing import evaluate


def test_a_small_band_without_a_win_shows_about_the_base_rate_not_zero() -> None:
    competitors = np.linspace(160.0, 180.0, 20)
    bands = evaluate.competitor_bands(competitors, np.zeros(20, dtype=bool), bands=1)
    chance, low, high = evaluate.chance_from_bands(bands, 170.0)
    base = 1 / 171
    assert 0.5 * base < chance < base  # shrunk toward the base rate, below it: no win was seen
    assert low == 0.0 and high > 0.1  # the interval stays what 0 of 20 says
    assert bands[0]["observed_rate"] == 0.0


def test_a_large_band_shows_what_the_replay_observed() -> None:
    rng = np.random.default_rng(7)
    competitors = rng.integers(150, 190, 2_000).astype(float)
    won = np.zeros(2_000, dtype=bool)
    won[:60] = True  # 3%: a strategy that beats the base rate (~0.6%)
    (band,) = evaluate.competitor_bands(competitors, won, bands=1)
    assert abs(band["rate"] - 0.03) < 0.03 * 0.05
    assert band["low"] < band["rate"] < band["high"]
