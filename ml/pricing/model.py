"""The price model: where the 예정가격 (and so the floor) will land, how many competitors bid and where their bids
cluster, and the bid amount with the highest chance of being the lowest bid at or above the floor.

- 사정률: HistGradientBoosting with quantile losses (10%, 50%, 90%) on the deviation (사정률 − 100) / half range,
  turned into a full distribution by the standardized residual quantiles of a time-later validation slice
  (a location-scale model whose shape is calibrated on openings the trees did not see).
- Competitors: HistGradientBoosting with a Poisson loss for the number of bidders, log-normal spread around it
  (measured on the validation slice), and a density of their bid positions relative to the floor at 100%
  (histograms per category and range from earlier openings; `rules.bid_position`).
- The chance of winning with amount B: average over the 사정률 scenarios s_k with floor F_k ≤ B of
  E_N[(1 − G(B) + G(F_k))^N], where G is the competitors' position CDF: we win when B is at or above the floor
  and no competitor bid falls in [F_k, B). The best B is at one of the scenario floors (between two of them the
  chance only falls), so the search is exact over the scenarios.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from ml.pricing import rules
from ml.pricing.features import CATEGORICAL_FEATURES, HISTORY_FEATURES, NOTICE_FEATURES

if TYPE_CHECKING:  # scikit-learn (~160 MB with SciPy) loads where a model is fitted, not in every Dagster process
    from sklearn.dummy import DummyRegressor
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.isotonic import IsotonicRegression

FEATURES = [*NOTICE_FEATURES, *HISTORY_FEATURES, "prior_dev", *CATEGORICAL_FEATURES]
QUANTILES = (0.1, 0.5, 0.9)
SCENARIOS = 41  # 사정률 scenarios per notice
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(5)  # expectations over the log-normal bidder count
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()
BIN_WIDTH = 0.1  # points of the 기초금액 per competitor-position bin
GOOD_BAND = 0.8
CHUNK_ROWS = 1024  # the amount interval: amounts whose chance is at least 80% of the best


@dataclasses.dataclass
class ModelParams:
    max_iter: int = 150
    learning_rate: float = 0.08
    max_leaf_nodes: int = 15
    min_samples_leaf: int = 40
    l2_regularization: float = 1.0
    validation_share: float = 0.2
    # Refit the trees on the validation slice too? Off: the latest openings reach the model through the history
    # features at scoring time anyway, and the spreads and the calibration stay those of the trees that serve.
    refit_on_all: bool = False
    random_state: int = 0

    def as_dict(self) -> dict[str, float | int]:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Density:
    """Competitor bid positions per (category, range): bin edges and the CDF at each edge."""

    edges: np.ndarray
    cdfs: dict[tuple[str, float], np.ndarray]
    fallback: np.ndarray

    def cdf(self, category: str, range_pct: float, positions: np.ndarray) -> np.ndarray:
        table = self.cdfs.get((category, float(range_pct)), self.fallback)
        return np.interp(positions, self.edges, table, left=0.0, right=1.0)

    def share_near(self, category: str, range_pct: float, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        return self.cdf(category, range_pct, high) - self.cdf(category, range_pct, low)


def fit_density(positions: pl.DataFrame) -> Density:
    """positions: category, range_pct, position_bin (round(position / BIN_WIDTH)), bids."""
    edges = np.arange(-8.0, 20.0 + BIN_WIDTH / 2, BIN_WIDTH) - BIN_WIDTH / 2

    def table(frame: pl.DataFrame) -> np.ndarray:
        counts = np.zeros(edges.size - 1)
        if frame.height:
            agg = frame.group_by("position_bin").agg(pl.col("bids").sum())
            idx = agg["position_bin"].to_numpy() - round(edges[0] / BIN_WIDTH + 0.5)
            keep = (idx >= 0) & (idx < counts.size)
            np.add.at(counts, idx[keep], agg["bids"].to_numpy()[keep])
        counts = counts + 1e-3  # never a zero-width gap: an unseen position is rare, not impossible
        return np.concatenate([[0.0], np.cumsum(counts) / counts.sum()])

    cdfs = {
        (cat, float(rng)): table(group)
        for (cat, rng), group in positions.group_by("category", "range_pct")
        if group["bids"].sum() >= 200
    }
    return Density(edges=edges, cdfs=cdfs, fallback=table(positions))


@dataclasses.dataclass
class PriceModel:
    params: ModelParams
    quantile_models: dict[float, HistGradientBoostingRegressor]
    count_model: HistGradientBoostingRegressor | DummyRegressor
    residual_quantiles: np.ndarray  # standardized residuals at the scenario levels
    count_log_sd: float
    density: Density
    categories: dict[str, list[str]]  # categorical feature levels, in code order
    trained_rows: int
    trained_until: str
    shrinkage: float  # k of the prior: agency mean × n / (n + k)
    calibration: IsotonicRegression | None  # raw chance -> observed win rate, fitted on the validation slice
    # Numeric columns with no known value in training (e.g. no bidder list yet): the trees cannot bin them and
    # learned nothing from them, so they are held constant at scoring too.
    unknown_columns: tuple[int, ...] = ()

    # ----- features -------------------------------------------------------------------------------------------

    def matrix(self, frame: pl.DataFrame) -> np.ndarray:
        return _matrix(frame, self.categories, self.shrinkage, self.unknown_columns)

    def prior(self, frame: pl.DataFrame) -> np.ndarray:
        return _prior(frame, self.shrinkage)

    # ----- predictions ----------------------------------------------------------------------------------------

    def rate_quantiles(self, frame: pl.DataFrame) -> np.ndarray:
        """(rows, 3): the 10/50/90% quantiles of the 사정률 (%)."""
        x = self.matrix(frame)
        dev = np.column_stack([self.quantile_models[q].predict(x) for q in QUANTILES]) + self.prior(frame)[:, None]
        dev.sort(axis=1)
        return 100 + dev * frame["range_pct"].to_numpy()[:, None]

    def rate_scenarios(self, frame: pl.DataFrame, quantiles: np.ndarray | None = None) -> np.ndarray:
        """(rows, SCENARIOS): equally likely 사정률 values (%), sorted."""
        q = self.rate_quantiles(frame) if quantiles is None else quantiles
        width = np.maximum(q[:, 2] - q[:, 0], 1e-6)
        return np.sort(q[:, 1:2] + self.residual_quantiles[None, :] * width[:, None], axis=1)

    def expected_bidders(self, frame: pl.DataFrame) -> np.ndarray:
        return np.maximum(self.count_model.predict(self.matrix(frame)), 1.0)


def _prior(frame: pl.DataFrame, k: float) -> np.ndarray:
    """The agency's earlier mean deviation shrunk towards 0 by n / (n + k): the trees learn corrections to it."""
    n = frame["agency_openings"].cast(pl.Float64).to_numpy()
    mean = frame["agency_rate_dev_mean"].cast(pl.Float64).fill_null(0.0).to_numpy()
    return mean * n / (n + k)


def shrinkage_of(training: pl.DataFrame) -> float:
    """Empirical Bayes k = within-agency variance / between-agency variance of the deviation."""
    by_agency = (
        training.group_by("demand_agency_code")
        .agg(
            pl.len().alias("n"),
            ((pl.col("assessment_rate_pct") - 100) / pl.col("range_pct")).mean().alias("m"),
            ((pl.col("assessment_rate_pct") - 100) / pl.col("range_pct")).var().alias("v"),
        )
        .filter(pl.col("n") >= 5)
    )
    if by_agency.height < 3:
        return 10.0
    within = float(by_agency["v"].mean())  # type: ignore[arg-type]
    between = float(by_agency["m"].var()) - within / float(by_agency["n"].mean())  # type: ignore[arg-type]
    return float(np.clip(within / max(between, 1e-4), 0.1, 1000.0))


def _matrix(
    frame: pl.DataFrame, categories: dict[str, list[str]], k: float, unknown: tuple[int, ...] = ()
) -> np.ndarray:
    numeric = frame.select(pl.col(c).cast(pl.Float64) for c in [*NOTICE_FEATURES, *HISTORY_FEATURES]).to_numpy()
    numeric = np.column_stack([numeric, _prior(frame, k)])
    if unknown:
        numeric[:, list(unknown)] = 0.0
    codes = []
    for name in CATEGORICAL_FEATURES:
        levels = {level: i for i, level in enumerate(categories[name])}
        codes.append(np.array([levels.get(v, np.nan) for v in frame[name].to_list()], dtype=float))
    return np.column_stack([numeric, *codes]) if codes else numeric


def _levels(frame: pl.DataFrame) -> dict[str, list[str]]:
    # At most 250 levels per feature (HistGradientBoosting's limit), the most frequent ones.
    return {
        name: frame[name].value_counts(sort=True).head(250)[name].drop_nulls().sort().to_list()
        for name in CATEGORICAL_FEATURES
    }


def _regressor(params: ModelParams, loss: str, n_categorical: int, **extra: float) -> HistGradientBoostingRegressor:
    from sklearn.ensemble import HistGradientBoostingRegressor

    n = len(NOTICE_FEATURES) + len(HISTORY_FEATURES) + 1
    mask = [False] * n + [True] * n_categorical
    return HistGradientBoostingRegressor(
        loss=loss,
        max_iter=params.max_iter,
        learning_rate=params.learning_rate,
        max_leaf_nodes=params.max_leaf_nodes,
        min_samples_leaf=params.min_samples_leaf,
        l2_regularization=params.l2_regularization,
        categorical_features=mask,
        early_stopping=False,
        random_state=params.random_state,
        **extra,
    )


def scenario_levels() -> np.ndarray:
    return (np.arange(SCENARIOS) + 0.5) / SCENARIOS


def fit(training: pl.DataFrame, positions: pl.DataFrame, params: ModelParams | None = None) -> PriceModel:
    """Fit on the training set (sorted by cutoff_at); the last `validation_share` calibrates the spreads."""
    from sklearn.dummy import DummyRegressor
    from sklearn.isotonic import IsotonicRegression

    params = params or ModelParams()
    training = training.sort("cutoff_at")
    categories = _levels(training)
    k = shrinkage_of(training)
    raw_numeric = _matrix(training, categories, k)[:, : len(NOTICE_FEATURES) + len(HISTORY_FEATURES) + 1]
    fit_share = max(1, int(training.height * (1 - params.validation_share)))
    unknown = tuple(int(i) for i in np.flatnonzero(np.isnan(raw_numeric[:fit_share]).all(axis=0)))
    x_all = _matrix(training, categories, k, unknown)
    dev = ((training["assessment_rate_pct"] - 100) / training["range_pct"]).to_numpy() - _prior(training, k)
    # Competitors: G2B's participant count (every opening, in bulk); an opening whose count is unknown does not
    # train the count model (NaN rows are dropped below), never as 0.
    bidders = training["participant_count"].cast(pl.Float64).to_numpy()
    n_fit = max(1, int(training.height * (1 - params.validation_share)))
    fit_rows, val_rows = slice(0, n_fit), slice(n_fit, None)

    def train(x: np.ndarray, y_dev: np.ndarray, y_count: np.ndarray):  # type: ignore[no-untyped-def]
        quantile_models = {
            q: _regressor(params, "quantile", len(CATEGORICAL_FEATURES), quantile=q).fit(x, y_dev) for q in QUANTILES
        }
        counted = ~np.isnan(y_count)
        if counted.sum() >= 20 and float(np.sum(y_count[counted])) > 0:
            count_model = _regressor(params, "poisson", len(CATEGORICAL_FEATURES)).fit(x[counted], y_count[counted])
        else:  # no participant count known yet: a constant, labelled by the missing history downstream
            count_model = DummyRegressor(strategy="constant", constant=1.0).fit(x[:1], np.ones(1))
        return quantile_models, count_model

    # The spreads and the calibration come from openings the trees did not see (a later slice).
    quantile_models, count_model = train(x_all[fit_rows], dev[fit_rows], bidders[fit_rows])
    x_val = x_all[val_rows]
    if x_val.shape[0] >= 50:
        pred = np.sort(np.column_stack([quantile_models[q].predict(x_val) for q in QUANTILES]), axis=1)
        standardized = (dev[val_rows] - pred[:, 1]) / np.maximum(pred[:, 2] - pred[:, 0], 1e-6)
        residual_quantiles = np.quantile(standardized, scenario_levels())
        count_pred = np.maximum(count_model.predict(x_val), 1.0)
        observed = bidders[val_rows]
        known = ~np.isnan(observed)
        count_log_sd = float(np.std(np.log1p(observed[known]) - np.log1p(count_pred[known]))) if known.any() else 0.8
        # The chance at the best amount is a maximum over scenarios and so biased upwards (the optimizer's curse):
        # map it to the win rate observed on the validation slice, replaying each opening as the report does.
        draft = PriceModel(
            params=params,
            quantile_models=quantile_models,
            count_model=count_model,
            residual_quantiles=residual_quantiles,
            count_log_sd=count_log_sd,
            density=fit_density(positions),
            categories=categories,
            unknown_columns=unknown,
            trained_rows=n_fit,
            trained_until="",
            shrinkage=k,
            calibration=None,
        )
        # Only openings a replay can judge (awarded, real floor, a bidder list): a 유찰 is neither won nor lost.
        validation = training[val_rows]
        judged = validation.filter(
            pl.col("winning_amount").is_not_null()
            & (pl.col("floor_source") == "notice")
            & pl.col("lowest_valid_bid").is_not_null()
        )
        calibration = None
        if judged.height >= 30:
            rec = recommend(draft, judged, (judged["agency_openings"] == 0).to_numpy())
            won = (rec.amount >= judged["floor_amount"].to_numpy() - 1e-6) & (
                rec.amount < judged["lowest_valid_bid"].cast(pl.Float64).to_numpy()
            )
            calibration = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
            calibration.fit(rec.win_probability, won.astype(float))
        if params.refit_on_all:
            quantile_models, count_model = train(x_all, dev, bidders)
    else:  # too little data for a validation slice: a normal shape (q10..q90 = 2.563 sd) and a wide count
        residual_quantiles = _normal_quantiles(scenario_levels()) / 2.563
        count_log_sd = 0.8
        calibration = None
    return PriceModel(
        params=params,
        quantile_models=quantile_models,
        count_model=count_model,
        residual_quantiles=residual_quantiles,
        count_log_sd=count_log_sd,
        density=fit_density(positions),
        categories=categories,
        unknown_columns=unknown,
        trained_rows=training.height,
        trained_until=str(training["cutoff_at"].max()),
        shrinkage=k,
        calibration=calibration,
    )


def _normal_quantiles(levels: np.ndarray) -> np.ndarray:
    from scipy.stats import norm

    return norm.ppf(levels)


# ---------------------------------------------------------------------------------------------------------------------
# The chance of winning


@dataclasses.dataclass
class Recommendation:
    """Arrays, one entry per notice."""

    rate_quantiles: np.ndarray  # (n, 3) 사정률 %
    floor_quantiles: np.ndarray  # (n, 3) won
    planned_quantiles: np.ndarray  # (n, 3) won
    expected_bidders: np.ndarray  # competitors
    near_floor: np.ndarray  # competitors expected within 0.5% above the median floor
    amount: np.ndarray  # won (float: NaN where the floor is unknown: no 하한율 or an unknown A)
    win_probability: np.ndarray  # NaN where the floor is unknown
    amount_low: np.ndarray  # NaN where the floor is unknown
    amount_high: np.ndarray
    base_rate: np.ndarray


def win_chances(cdf_floor: np.ndarray, bidders: np.ndarray, log_sd: float) -> np.ndarray:
    """P(win) of bidding (just at) each scenario floor, (n, K), given equally likely floors sorted ascending.

    cdf_floor: the competitors' position CDF at the floors. Bidding at floor j wins in scenario k <= j (the real floor
    is at or below the bid) when no competitor bids in [F_k, F_j): probability exp(-N (G_j - G_k)) for N
    competitors. Summed over k by the recursion S_j = S_(j-1) exp(-N (G_j - G_(j-1))) + 1, so a notice costs O(K)
    per bidder-count node, not O(K^2). N is log-normal around `bidders` (mean) with sd `log_sd` on log(1 + N)."""
    n, k = cdf_floor.shape
    steps = np.diff(cdf_floor, axis=1, prepend=cdf_floor[:, :1]).clip(0.0, None)
    chance = np.zeros((n, k))
    for node, weight in zip(_NODES, _WEIGHTS, strict=True):
        count = np.maximum(np.expm1(np.log1p(bidders) + log_sd * node - log_sd**2 / 2), 0.0)
        decay = np.exp(-count[:, None] * steps)
        running = np.zeros(n)
        for j in range(k):
            running = running * decay[:, j] + 1.0
            chance[:, j] += weight * running / k
    return chance


def recommend(model: PriceModel | None, frame: pl.DataFrame, rules_rows: np.ndarray | None = None) -> Recommendation:
    """The recommendation for notices with a 기초금액. `rules_rows` marks notices to price by the rules (no agency
    history): the 사정률 spread of uniform picks, widened by half, around 100%, and wide bidder counts."""
    n = frame.height
    base = frame["base_amount"].to_numpy().astype(float)
    rate_limit = frame["lower_limit_rate"].cast(pl.Float64).to_numpy()
    a_value = frame["a_value"].cast(pl.Float64).to_numpy()  # NULL (unknown A) -> NaN: no floor, no amount
    range_pct = frame["range_pct"].to_numpy()
    levels = scenario_levels()
    if model is not None:
        quantiles = model.rate_quantiles(frame)
        scenarios = model.rate_scenarios(frame, quantiles)
        bidders = model.expected_bidders(frame)
        log_sd = model.count_log_sd
    else:
        quantiles = np.zeros((n, 3))
        scenarios = np.zeros((n, SCENARIOS))
        bidders = np.zeros(n)
        log_sd = 0.8
    rules_rows = np.zeros(n, dtype=bool) if rules_rows is None else rules_rows
    if model is None:
        rules_rows = np.ones(n, dtype=bool)
    if rules_rows.any():
        sd = rules.UNIFORM_DEV_SD * rules.RULES_WIDENING * range_pct[rules_rows]
        z = _normal_quantiles(levels)
        scenarios[rules_rows] = 100 + sd[:, None] * z[None, :]
        quantiles[rules_rows] = 100 + sd[:, None] * _normal_quantiles(np.array(QUANTILES))[None, :]
        fallback = np.exp(frame["category_log_bidders_mean"].fill_null(math.log(26)).to_numpy()) - 1
        bidders[rules_rows] = fallback[rules_rows]
        log_sd = max(log_sd, 0.8)
    floors_all = rules.floor_at_rate(base[:, None], scenarios, rate_limit[:, None], a_value[:, None])
    planned = base[:, None] * quantiles / 100
    # An amount only where the floor is known: a notice or opening whose 하한율 or A is unknown (NULL) gets no amount
    # and no chance (NaN), rather than a search over NaN floors (which left the amount band empty: ±inf).
    priced = np.flatnonzero(np.isfinite(floors_all).all(axis=1) & (base > 0))
    amount = np.full(n, np.nan)
    win_probability = np.full(n, np.nan)
    amount_low = np.full(n, np.nan)
    amount_high = np.full(n, np.nan)
    near = np.full(n, np.nan)
    if priced.size:
        p = _price_known_floors(
            model,
            floors_all[priced],
            base[priced],
            rate_limit[priced],
            a_value[priced],
            quantiles[priced],
            bidders[priced],
            range_pct[priced],
            np.asarray(frame["category"].to_list(), dtype=object)[priced],
            log_sd,
        )
        amount[priced], win_probability[priced], amount_low[priced], amount_high[priced], near[priced] = p
    return Recommendation(
        rate_quantiles=quantiles,
        floor_quantiles=rules.floor_amount(planned, rate_limit[:, None], a_value[:, None]),
        planned_quantiles=planned,
        expected_bidders=bidders,
        near_floor=near,
        amount=amount,
        win_probability=win_probability,
        amount_low=amount_low,
        amount_high=amount_high,
        base_rate=1.0 / (bidders + 1.0),
    )


def _price_known_floors(  # type: ignore[no-untyped-def]
    model, floors, base, rate_limit, a_value, quantiles, bidders, range_pct, categories, log_sd
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The best amount, its chance, the band of amounts within GOOD_BAND of it, and the competitors near the median
    floor, for notices whose scenario floors are all known."""
    n = floors.shape[0]
    a_share = a_value / base
    candidates = rules.smallest_bid_at_or_above(floors)
    density = model.density if model is not None else None
    pos_floor = rules.bid_position(floors, base[:, None], rate_limit[:, None], a_share[:, None])
    cdf_floor = np.empty_like(floors)
    near = np.zeros(n)
    median_floor = rules.floor_at_rate(base, quantiles[:, 1], rate_limit, a_value)
    for category, rng in {(c, r) for c, r in zip(categories.tolist(), range_pct.tolist(), strict=True)}:
        rows = (categories == category) & (range_pct == rng)
        cdf = (lambda p, c=category, r=rng: density.cdf(c, r, p)) if density else _default_cdf
        cdf_floor[rows] = cdf(pos_floor[rows])
        low = rules.bid_position(median_floor[rows], base[rows], rate_limit[rows], a_share[rows])
        high = rules.bid_position(median_floor[rows] * (1 + 0.005), base[rows], rate_limit[rows], a_share[rows])
        near[rows] = bidders[rows] * (cdf(high) - cdf(low))
    chances = win_chances(cdf_floor, bidders, log_sd)
    best = chances.argmax(axis=1)
    rows = np.arange(n)
    best_chance = chances[rows, best]
    if model is not None and model.calibration is not None:
        best_chance = model.calibration.predict(best_chance)
        chances = chances * (best_chance / np.maximum(chances[rows, best], 1e-12))[:, None]
    # The best amount is always in its own band (chances[best] == best_chance), so the band is never empty.
    good = chances >= GOOD_BAND * best_chance[:, None]
    good[rows, best] = True
    amount_low = np.where(good, candidates, np.iinfo(np.int64).max).min(axis=1)
    amount_high = np.where(good, candidates, np.iinfo(np.int64).min).max(axis=1)
    return candidates[rows, best], best_chance, amount_low, amount_high, near


def _default_cdf(positions: np.ndarray) -> np.ndarray:
    """Without any history of bids: positions spread like the floor itself (normal, sd 1 point) above it."""
    from scipy.stats import norm

    return norm.cdf(positions, loc=0.3, scale=1.0)
