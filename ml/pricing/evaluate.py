"""The time-ordered backtest, the baselines, the calibration of the win probability, the replay and the rule that
decides whether a new model version may serve.

Train on openings whose results were known before the split, test on the openings that close after it. Baselines
for the 사정률: always 100%, the agency's mean, the agency × range mean (both from openings known before each test
notice closed: the same history the model's features see). Replay: insert a bid into each held-out opening among
its real bidders; it wins when it is at or above the real floor and below the real winning bid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import numpy as np
import polars as pl

from ml.pricing import model as price_model
from ml.pricing import rules

BASELINES = ("always_100", "agency_mean", "agency_range_mean")
RELIABILITY_BINS = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0)


@dataclasses.dataclass
class Backtest:
    split_at: dt.datetime
    train_rows: int
    test_rows: int
    metrics: dict[str, float]
    reliability: pl.DataFrame  # bin, notices, mean predicted, observed win rate
    by_range: pl.DataFrame  # range_pct, openings, MAE of model and baselines
    test: pl.DataFrame  # per held-out opening: predictions and outcomes (for plots and reports)
    model: price_model.PriceModel


def split_time(training: pl.DataFrame, test_share: float = 0.25) -> dt.datetime:
    """With three months or more: the last month (or, when it has barely begun, the months holding the last
    `test_share` of the openings); with less: the last `test_share` of the openings."""
    cutoffs = training["cutoff_at"].sort()
    first, last = cutoffs[0], cutoffs[-1]
    by_share = cutoffs[int(len(cutoffs) * (1 - test_share))]
    if (last - first).days >= 90:
        month = dt.datetime(last.year, last.month, 1)
        # A month only just begun is too small a test: then the last `test_share` months' worth of openings.
        return (
            month if (cutoffs >= month).sum() >= 0.1 * len(cutoffs) else dt.datetime(by_share.year, by_share.month, 1)
        )
    return by_share


def baseline_rates(test: pl.DataFrame) -> dict[str, np.ndarray]:
    frame = test.select(
        agency=100 + pl.col("agency_rate_dev_mean") * pl.col("range_pct"),
        agency_range=pl.col("agency_range_rate_mean"),
    ).with_columns(agency_range=pl.coalesce("agency_range", "agency"))
    return {
        "always_100": np.full(test.height, 100.0),
        "agency_mean": frame["agency"].fill_null(100.0).to_numpy(),
        "agency_range_mean": frame["agency_range"].fill_null(100.0).to_numpy(),
    }


def replay_wins(amount: np.ndarray, test: pl.DataFrame) -> np.ndarray:
    """Would this bid have won each opening? At or above the real floor and below the real winning bid."""
    floor = test["floor_amount"].to_numpy()
    winning = test["winning_amount"].cast(pl.Float64).fill_null(np.inf).to_numpy()
    return (amount >= floor - 1e-6) & (amount < winning)


def backtest(
    training: pl.DataFrame,
    positions: pl.DataFrame,
    params: price_model.ModelParams | None = None,
    split_at: dt.datetime | None = None,
    noise_floor: pl.DataFrame | None = None,
) -> Backtest:
    """Fit on what was known before `split_at`; measure on the openings that closed after it."""
    training = training.sort("cutoff_at")
    split_at = split_at or split_time(training)
    train = training.filter(pl.col("known_at") < split_at)
    test = training.filter(pl.col("cutoff_at") >= split_at)
    train_positions = positions.filter(pl.col("known_date") < split_at.date())
    fitted = price_model.fit(train, train_positions, params)
    rules_rows = (test["agency_openings"] == 0).to_numpy()
    rec = price_model.recommend(fitted, test, rules_rows)
    actual = test["assessment_rate_pct"].to_numpy()
    metrics: dict[str, float] = {"mae_model": float(np.mean(np.abs(rec.rate_quantiles[:, 1] - actual)))}
    baselines = baseline_rates(test)
    for name, predicted in baselines.items():
        metrics[f"mae_{name}"] = float(np.mean(np.abs(predicted - actual)))
    metrics["mae_best_baseline"] = min(metrics[f"mae_{b}"] for b in BASELINES)
    inside = (actual >= rec.rate_quantiles[:, 0]) & (actual <= rec.rate_quantiles[:, 2])
    metrics["rate_interval_80_coverage"] = float(inside.mean())

    won = replay_wins(rec.amount, test)
    base = test["base_amount"].to_numpy().astype(float)
    a_value = test["a_value"].to_numpy().astype(float)
    naive_amount = rules.smallest_bid_at_or_above(
        rules.floor_at_rate(base, baselines["agency_mean"], test["lower_limit_rate"].to_numpy(), a_value)
    )
    naive_won = replay_wins(naive_amount, test)
    base_rate = 1.0 / (test["bidder_count"].to_numpy() + 1.0)
    metrics.update(
        replay_openings=float(test.height),
        replay_wins_model=float(won.sum()),
        replay_wins_agency_mean_floor=float(naive_won.sum()),
        replay_expected_wins_base_rate=float(base_rate.sum()),
        replay_win_rate_model=float(won.mean()) if test.height else 0.0,
        replay_win_rate_agency_mean_floor=float(naive_won.mean()) if test.height else 0.0,
        replay_win_rate_base_rate=float(base_rate.mean()) if test.height else 0.0,
        predicted_win_rate_model=float(rec.win_probability.mean()) if test.height else 0.0,
        brier=float(np.mean((rec.win_probability - won) ** 2)) if test.height else 0.0,
        brier_base_rate=float(np.mean((rec.base_rate - won) ** 2)) if test.height else 0.0,
        rules_share=float(rules_rows.mean()) if test.height else 0.0,
    )
    per_opening = test.select(
        "notice_no",
        "notice_order",
        "bid_class_no",
        "rebid_no",
        "cutoff_at",
        "category",
        "range_pct",
        "demand_agency_code",
        "assessment_rate_pct",
        "bidder_count",
    ).with_columns(
        pl.Series("rate_p10", rec.rate_quantiles[:, 0]),
        pl.Series("rate_p50", rec.rate_quantiles[:, 1]),
        pl.Series("rate_p90", rec.rate_quantiles[:, 2]),
        *[pl.Series(f"rate_{name}", values) for name, values in baselines.items()],
        pl.Series("win_probability", rec.win_probability),
        pl.Series("won", won),
        pl.Series("won_naive", naive_won),
        pl.Series("expected_bidders", rec.expected_bidders),
    )
    if noise_floor is not None and not noise_floor.is_empty():
        per_opening = per_opening.join(noise_floor, on="notice_no", how="left")
        known = per_opening.filter(pl.col("noise_floor_rate_pct").is_not_null())
        if known.height:
            metrics["mae_noise_floor"] = float(
                (known["noise_floor_rate_pct"] - known["assessment_rate_pct"]).abs().mean()
            )  # type: ignore[arg-type]
    return Backtest(
        split_at=split_at,
        train_rows=train.height,
        test_rows=test.height,
        metrics=metrics,
        reliability=reliability_table(rec.win_probability, won),
        by_range=_by_range(per_opening),
        test=per_opening,
        model=fitted,
    )


def _by_range(per_opening: pl.DataFrame) -> pl.DataFrame:
    err = {
        name: (pl.col(f"rate_{name}") - pl.col("assessment_rate_pct")).abs().mean().alias(f"mae_{name}")
        for name in BASELINES
    }
    return (
        per_opening.group_by("range_pct")
        .agg(
            pl.len().alias("openings"),
            (pl.col("rate_p50") - pl.col("assessment_rate_pct")).abs().mean().alias("mae_model"),
            *err.values(),
        )
        .sort("range_pct")
    )


def reliability_table(predicted: np.ndarray, won: np.ndarray) -> pl.DataFrame:
    frame = pl.DataFrame({"p": predicted, "won": won.astype(float)})
    edges = list(RELIABILITY_BINS)
    labels = [f"{lo:.0%}–{hi:.0%}" for lo, hi in itertools.pairwise(edges)]
    return (
        frame.with_columns(bin=pl.col("p").cut(edges[1:-1], labels=labels, left_closed=True))
        .group_by("bin")
        .agg(
            pl.len().alias("notices"),
            pl.col("p").mean().alias("mean_predicted"),
            pl.col("won").mean().alias("observed"),
        )
        .with_columns(pl.col("bin").cast(pl.String))
        .sort("mean_predicted")
    )


@dataclasses.dataclass(frozen=True)
class Promotion:
    promote: bool
    reason: str


def promotion_decision(metrics: dict[str, float]) -> Promotion:
    """A new version serves only when it beats the best 사정률 baseline on held-out MAE AND wins more held-out
    openings in the replay than bidding at the floor of the agency's mean 사정률."""
    mae, best = metrics["mae_model"], metrics["mae_best_baseline"]
    wins, naive = metrics["replay_wins_model"], metrics["replay_wins_agency_mean_floor"]
    if not mae < best:
        return Promotion(False, f"사정률 MAE {mae:.4f} does not beat the best baseline {best:.4f}")
    if not wins > naive:
        return Promotion(False, f"replay wins {wins:.0f} do not beat bidding at the agency-mean floor ({naive:.0f})")
    return Promotion(True, f"MAE {mae:.4f} < best baseline {best:.4f}; replay wins {wins:.0f} > {naive:.0f}")
