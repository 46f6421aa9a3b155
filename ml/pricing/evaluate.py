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
    strategies: pl.DataFrame  # the replay: strategies side by side with counts and 95% intervals
    bands: dict[str, list[dict]]  # per strategy: observed win rate per band of competitors (the served chance)


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


STRATEGIES = ("model", "learned_margin", "agency_mean_floor", "floor_at_100", "median_margin")
BIDDING_BASELINES = ("agency_mean_floor", "floor_at_100", "median_margin")
# Strategies learned from the data: each serves only when it beats every baseline with intervals apart.
CANDIDATES = ("model", "learned_margin")
STRATEGY_KO = {
    "model": "모델",
    "learned_margin": "학습한 최적 여유율",
    "agency_mean_floor": "기관 평균 사정률의 낙찰하한가",
    "floor_at_100": "사정률 100%의 낙찰하한가",
    "median_margin": "낙찰자 중앙 여유율",
    "base_rate": "무작위 기준 1/(경쟁사+1)",
}
Z95 = 1.959964


def wilson(wins: float, n: float, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval of a win rate (sound at 0 wins and with few openings)."""
    if n <= 0:
        return (0.0, 1.0)
    p = wins / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (float(max(0.0, centre - half)), float(min(1.0, centre + half)))


def replayable(frame: pl.DataFrame) -> pl.Expr:
    """Openings a replay can judge: awarded, with the notice's real floor and a fetched bidder list holding a
    bid at or above it. (유찰 and openings without a list are reported apart, never counted as wins or losses.)"""
    return (
        pl.col("winning_amount").is_not_null()
        & (pl.col("floor_source") == "notice")
        & pl.col("bidder_count").is_not_null()
        & pl.col("lowest_valid_bid").is_not_null()
    )


def replay_wins(amount: np.ndarray, test: pl.DataFrame) -> np.ndarray:
    """Would this bid have won each (replayable) opening? At or above the real floor and below every real bid at
    or above the floor (strictly: a tie goes to the lottery, not to us)."""
    floor = test["floor_amount"].to_numpy()
    lowest = test["lowest_valid_bid"].cast(pl.Float64).to_numpy()
    return (amount >= floor - 1e-6) & (amount < lowest)


def median_margins(train: pl.DataFrame) -> dict[str, float]:
    """The winners' median margin over the real floor (%), per category, from the training openings."""
    known = train.filter(pl.col("winner_margin_pct").is_not_null() & (pl.col("floor_source") == "notice"))
    overall = float(known["winner_margin_pct"].median() or 0.0) if known.height else 0.0  # type: ignore[arg-type]
    per = known.group_by("category").agg(pl.col("winner_margin_pct").median(), pl.len().alias("n"))
    margins = {c: float(m) for c, m, n in per.iter_rows() if n >= 20}
    margins["*"] = overall
    return margins


def agency_mean_floor(frame: pl.DataFrame) -> np.ndarray:
    """The floor at the agency's mean 사정률 (earlier openings; 100% without any), in won (not rounded)."""
    base = frame["base_amount"].to_numpy().astype(float)
    a_value = frame["a_value"].cast(pl.Float64).to_numpy()
    rate_limit = frame["lower_limit_rate"].cast(pl.Float64).to_numpy()
    return rules.floor_at_rate(base, baseline_rates(frame)["agency_mean"], rate_limit, a_value)


def baseline_amounts(
    test: pl.DataFrame, margins: dict[str, float], learned: dict[str, float] | None = None
) -> dict[str, np.ndarray]:
    """The amount each bidding strategy without a model would have bid (whole won, at or above its own floor
    estimate); with `learned` (learned_margins) the learned margin's amount too."""
    base = test["base_amount"].to_numpy().astype(float)
    a_value = test["a_value"].cast(pl.Float64).to_numpy()
    rate_limit = test["lower_limit_rate"].cast(pl.Float64).to_numpy()
    agency_floor = agency_mean_floor(test)
    margin = np.array([margins.get(c, margins["*"]) for c in test["category"].to_list()], dtype=float)
    amounts = {
        "agency_mean_floor": rules.smallest_bid_at_or_above(agency_floor),
        "floor_at_100": rules.smallest_bid_at_or_above(rules.floor_at_rate(base, 100.0, rate_limit, a_value)),
        "median_margin": rules.smallest_bid_at_or_above(agency_floor * (1 + margin / 100)),
    }
    if learned is not None:
        amounts["learned_margin"] = rules.smallest_bid_at_or_above(
            agency_floor * (1 + learned_margin_of(test, learned) / 100)
        )
    return amounts


# ---------------------------------------------------------------------------------------------------------------------
# The learned margin (issue 22 item 5): where the competitors' lowest valid bid and the real floor fall around our
# own floor estimate, learned from the bidder lists, and the margin with the most wins.

MARGIN_GRID = np.round(np.arange(-2.0, 4.0 + 1e-9, 0.01), 2)  # % over the agency-mean floor
MARGIN_SMOOTH = 5  # grid steps each side (±0.05 point): a margin is chosen for a band, not for one lucky point
MARGIN_PRIOR = 100.0  # openings' worth of the parent curve that a group's curve is shrunk towards


def size_band(base_amount: pl.Expr) -> pl.Expr:
    return (
        pl.when(base_amount < 1e8)
        .then(pl.lit("<1억"))
        .when(base_amount < 1e9)
        .then(pl.lit("1-10억"))
        .otherwise(pl.lit("≥10억"))
    )


def _margin_keys(frame: pl.DataFrame) -> tuple[list[str], list[str]]:
    keys = frame.select(
        category=pl.col("category"),
        group=pl.concat_str(
            [pl.col("category"), pl.col("range_pct").cast(pl.String), size_band(pl.col("base_amount"))], separator="|"
        ),
    )
    return keys["category"].to_list(), keys["group"].to_list()


def learned_margin_of(frame: pl.DataFrame, learned: dict[str, float]) -> np.ndarray:
    """Each row's learned margin (%): its group's (category × range × size), else its category's, else overall."""
    categories, groups = _margin_keys(frame)
    return np.array(
        [learned.get(g, learned.get(c, learned.get("*", 0.0))) for c, g in zip(categories, groups, strict=True)],
        dtype=float,
    )


def margin_win_curves(judged: pl.DataFrame) -> np.ndarray:
    """(openings, MARGIN_GRID): would a bid at the agency-mean floor × (1 + m/100) have won each opening? It wins
    when at or above the real floor and below the lowest real bid at or above it, i.e. for m in [lo, hi)."""
    estimate = agency_mean_floor(judged)
    lo = 100 * (judged["floor_amount"].to_numpy() / estimate - 1)
    hi = 100 * (judged["lowest_valid_bid"].cast(pl.Float64).to_numpy() / estimate - 1)
    return (MARGIN_GRID[None, :] >= lo[:, None]) & (MARGIN_GRID[None, :] < hi[:, None])


def _best_margin(wins: np.ndarray) -> float:
    kernel = np.ones(2 * MARGIN_SMOOTH + 1)
    smooth = np.convolve(wins, kernel / kernel.sum(), mode="same")
    return float(MARGIN_GRID[int(np.argmax(smooth))])


def learned_margins(train: pl.DataFrame) -> dict[str, float]:
    """The margin over the agency-mean floor with the most replayed wins among the training openings that a replay
    can judge (awarded, real floor, bidder list), per category × range × size band, each group's win curve shrunk
    towards its category's (MARGIN_PRIOR openings' worth) and each category's towards the overall one. Only
    openings known before the cut-off train it (the caller passes the training side of the split)."""
    judged = train.filter(replayable(train))
    if judged.height == 0:
        return {}
    curves = margin_win_curves(judged).astype(float)
    overall = curves.mean(axis=0)
    learned = {"*": _best_margin(overall)}
    categories, groups = (np.asarray(k, dtype=object) for k in _margin_keys(judged))
    category_rate = {}
    for category in set(categories.tolist()):
        rows = categories == category
        wins = curves[rows].sum(axis=0) + MARGIN_PRIOR * overall
        category_rate[category] = wins / (rows.sum() + MARGIN_PRIOR)
        learned[category] = _best_margin(wins)
    for group in set(groups.tolist()):
        rows = groups == group
        parent = category_rate[categories[rows][0]]
        learned[group] = _best_margin(curves[rows].sum(axis=0) + MARGIN_PRIOR * parent)
    return learned


def strategy_table(wins: dict[str, np.ndarray], competitors: np.ndarray) -> pl.DataFrame:
    """Strategies side by side: openings, wins, win rate and its 95% interval; the base rate as expected wins."""
    rows = []
    for name, won in wins.items():
        n, k = int(won.size), int(won.sum())
        low, high = wilson(k, n)
        rows.append((name, STRATEGY_KO[name], n, float(k), k / n if n else 0.0, low, high))
    p = 1.0 / (competitors + 1.0)
    n = int(p.size)
    mean = float(p.mean()) if n else 0.0
    half = Z95 * float(np.sqrt(np.sum(p * (1 - p)))) / n if n else 0.0
    rows.append(
        ("base_rate", STRATEGY_KO["base_rate"], n, float(p.sum()), mean, max(0.0, mean - half), min(1.0, mean + half))
    )
    return pl.DataFrame(
        rows,
        schema={
            "strategy": pl.String,
            "strategy_ko": pl.String,
            "openings": pl.Int64,
            "wins": pl.Float64,
            "win_rate": pl.Float64,
            "low_95": pl.Float64,
            "high_95": pl.Float64,
        },
        orient="row",
    )


def calibration_by_decile(predicted: np.ndarray, won: np.ndarray) -> tuple[pl.DataFrame, float]:
    """Reliability by decile of the predicted chance, and the Brier score."""
    if predicted.size == 0:
        return pl.DataFrame(
            schema={"decile": pl.Int64, "openings": pl.Int64, "mean_predicted": pl.Float64, "observed": pl.Float64}
        ), float("nan")
    order = np.argsort(predicted, kind="stable")
    decile = np.empty(predicted.size, dtype=np.int64)
    decile[order] = np.arange(predicted.size) * 10 // predicted.size + 1
    frame = pl.DataFrame({"decile": decile, "p": predicted, "won": won.astype(float)})
    table = (
        frame.group_by("decile")
        .agg(
            pl.len().alias("openings"),
            pl.col("p").mean().alias("mean_predicted"),
            pl.col("won").mean().alias("observed"),
        )
        .sort("decile")
    )
    return table, float(np.mean((predicted - won) ** 2))


# Pseudo-openings of the base rate 1/(competitors + 1) added to each band's replay: a band of 20 openings with no win
# would otherwise show "0.0%" to a company facing 170 bidders (the 14-day demo did, for 439 of 525 advices), while
# 700 openings (a 30-day build) move the rate by a few percent of itself. The interval stays the raw Wilson one.
PRIOR_OPENINGS = 30


def competitor_bands(competitors: np.ndarray, won: np.ndarray, bands: int = 5) -> list[dict]:
    """The win rate of a strategy per band of competitor counts (quantiles), with its 95% interval: the calibrated
    chance served for a notice with that many competitors expected. The rate is the replay's wins shrunk toward the
    band's base rate (mean 1/(competitors + 1)) by PRIOR_OPENINGS: (wins + m·base) / (openings + m)."""
    if competitors.size == 0:
        return []
    edges = np.unique(np.quantile(competitors, np.linspace(0, 1, bands + 1)))
    out = []
    for i, (lo, hi) in enumerate(itertools.pairwise(edges)):
        rows = (competitors >= lo) & ((competitors <= hi) if i == len(edges) - 2 else (competitors < hi))
        n, k = int(rows.sum()), int(won[rows].sum())
        low, high = wilson(k, n)
        base = float(np.mean(1.0 / (competitors[rows] + 1.0))) if n else 0.0
        out.append(
            {
                "competitors_from": float(lo),
                "competitors_to": float(hi),
                "openings": n,
                "wins": k,
                "rate": (k + PRIOR_OPENINGS * base) / (n + PRIOR_OPENINGS) if n else 0.0,
                "observed_rate": k / n if n else 0.0,
                "base_rate": base,
                "low": low,
                "high": high,
            }
        )
    if out:
        out[0]["competitors_from"], out[-1]["competitors_to"] = 0.0, float("inf")
    return out


def chance_from_bands(bands: list[dict], competitors: float | None) -> tuple[float, float, float] | None:
    """(chance, low, high) for a notice expecting `competitors`; None when there is no calibration to say."""
    if not bands or competitors is None or not np.isfinite(competitors):
        return None
    for band in bands:
        if competitors <= band["competitors_to"]:
            return band["rate"], band["low"], band["high"]
    last = bands[-1]
    return last["rate"], last["low"], last["high"]


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

    # The replay: only awarded openings with the real floor and a bidder list.
    mask = test.select(replayable(test)).to_series().to_numpy()
    replay = test.filter(pl.Series(mask))
    amounts = {"model": rec.amount[mask], **baseline_amounts(replay, median_margins(train), learned_margins(train))}
    wins = {name: replay_wins(amount, replay) for name, amount in amounts.items()}
    competitors = replay["participant_count"].cast(pl.Float64).fill_null(replay["bidder_count"].cast(pl.Float64))
    strategies = strategy_table(wins, competitors.to_numpy())
    calibration, brier = calibration_by_decile(rec.win_probability[mask], wins["model"])
    base_p = 1.0 / (competitors.to_numpy() + 1.0)
    no_award = test.filter(pl.col("winning_amount").is_null())
    metrics.update(
        test_openings=float(test.height),
        replay_openings=float(replay.height),
        not_awarded_openings=float(no_award.height),
        failed_openings=float(no_award.filter(pl.col("opening_status") == "유찰").height),
        awarded_without_list=float(
            test.filter(pl.col("winning_amount").is_not_null() & pl.col("bidder_count").is_null()).height
        ),
        awarded_without_real_floor=float(
            test.filter(pl.col("winning_amount").is_not_null() & (pl.col("floor_source") != "notice")).height
        ),
        predicted_win_rate_model=float(rec.win_probability[mask].mean()) if replay.height else 0.0,
        brier=brier,
        brier_base_rate=float(np.mean((base_p - wins["model"]) ** 2)) if replay.height else float("nan"),
        rules_share=float(rules_rows.mean()) if test.height else 0.0,
        competitor_count_share=float(test["participant_count"].is_not_null().mean()) if test.height else 0.0,
        bidder_list_share=float(test["bidder_count"].is_not_null().mean()) if test.height else 0.0,
    )
    for row in strategies.iter_rows(named=True):
        metrics[f"replay_win_rate_{row['strategy']}"] = row["win_rate"]
        metrics[f"replay_wins_{row['strategy']}"] = row["wins"]
        metrics[f"replay_low_{row['strategy']}"] = row["low_95"]
        metrics[f"replay_high_{row['strategy']}"] = row["high_95"]
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
        "participant_count",
        "bidder_count",
    ).with_columns(
        pl.Series("rate_p10", rec.rate_quantiles[:, 0]),
        pl.Series("rate_p50", rec.rate_quantiles[:, 1]),
        pl.Series("rate_p90", rec.rate_quantiles[:, 2]),
        *[pl.Series(f"rate_{name}", values) for name, values in baselines.items()],
        pl.Series("win_probability", rec.win_probability),
        pl.Series("replayed", mask),
        pl.Series("expected_bidders", rec.expected_bidders),
    )
    if noise_floor is not None and not noise_floor.is_empty():
        per_opening = per_opening.join(noise_floor, on="notice_no", how="left")
        known = per_opening.filter(pl.col("noise_floor_rate_pct").is_not_null())
        if known.height:
            metrics["mae_noise_floor"] = float(
                (known["noise_floor_rate_pct"] - known["assessment_rate_pct"]).abs().mean()
            )  # type: ignore[arg-type]
    bands = {name: competitor_bands(competitors.to_numpy(), won) for name, won in wins.items()}
    return Backtest(
        split_at=split_at,
        train_rows=train.height,
        test_rows=test.height,
        metrics=metrics,
        reliability=calibration,
        by_range=_by_range(per_opening),
        test=per_opening,
        model=fitted,
        strategies=strategies,
        bands=bands,
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
    strategy: str  # what serves: "model", or the best bidding baseline (규칙 기반)


def _candidate_verdict(metrics: dict[str, float], name: str) -> tuple[bool, str]:
    """Does this learned strategy beat every baseline (the base rate too) with its 95% interval above the best
    baseline's? And the sentence that says so."""
    rate = metrics.get(f"replay_win_rate_{name}")
    if rate is None:
        return False, f"{name}: not replayed"
    rivals = [*BIDDING_BASELINES, "base_rate"]
    leader = max(rivals, key=lambda b: metrics[f"replay_win_rate_{b}"])
    text = (
        f"{name} {rate:.2%} [{metrics[f'replay_low_{name}']:.2%}–{metrics[f'replay_high_{name}']:.2%}] vs best "
        f"baseline {leader} {metrics[f'replay_win_rate_{leader}']:.2%} [{metrics[f'replay_low_{leader}']:.2%}–"
        f"{metrics[f'replay_high_{leader}']:.2%}]"
    )
    if any(rate <= metrics[f"replay_win_rate_{b}"] for b in rivals):
        return False, f"{text}: does not beat every baseline"
    if metrics[f"replay_low_{name}"] <= metrics[f"replay_high_{leader}"]:
        return False, f"{text}: the intervals overlap"
    return True, f"{text}: beats every baseline with intervals apart"


def promotion_decision(metrics: dict[str, float]) -> Promotion:
    """A learned strategy (the model, or the learned margin) serves only when its replay win rate beats every
    baseline (the base rate too) AND its 95% interval does not overlap the best baseline's; of two that pass, the
    higher win rate. Otherwise the best bidding baseline serves, labelled 규칙 기반. `promote` says whether the
    model version itself serves (the registry's champion)."""
    n = metrics.get("replay_openings", 0.0)
    best = max(BIDDING_BASELINES, key=lambda b: (metrics.get(f"replay_win_rate_{b}", 0.0), b == "agency_mean_floor"))
    if n < 30:
        return Promotion(False, f"only {n:.0f} awarded openings with a bidder list to replay (30 at least)", best)
    verdicts = {name: _candidate_verdict(metrics, name) for name in CANDIDATES}
    text = f"replay on {n:.0f} openings: " + "; ".join(sentence for _, sentence in verdicts.values())
    passed = [name for name, (ok, _) in verdicts.items() if ok]
    if not passed:
        return Promotion(False, f"{text}; {best} serves (규칙 기반)", best)
    winner = max(passed, key=lambda name: metrics[f"replay_win_rate_{name}"])
    return Promotion(winner == "model", f"{text}; {winner} serves", winner)
