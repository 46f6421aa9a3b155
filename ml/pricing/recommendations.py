"""Bid recommendations for the open notices a Pro company may bid on: one row per (company, notice) in the shape
of the typed record ml.pricing.advice.PriceAdvice.

What serves is decided by the replay (ml.pricing.evaluate.promotion_decision, stored in price_serving_strategy):
the model only when it beat every baseline with intervals apart, otherwise the best bidding baseline, labelled
규칙 기반. The chance shown is that strategy's observed win rate in the replay for notices with as many competitors
(with its 95% interval), so it is calibrated by construction. Rows that cannot be priced say why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math

import numpy as np
import polars as pl

from bidradar.core.formatting import won_range_text
from bidradar.rules.a_value import APPLIES
from ml.pricing import evaluate, rules
from ml.pricing.advice import NO_A_VALUE, NO_BASE, NO_RATE, NOT_APPLICABLE, PRICED
from ml.pricing.model import PriceModel, recommend

LOTTERY = "복수예가"
Z10 = 1.2816  # the 10% and 90% quantiles of a normal: the floor's 80% range


@dataclasses.dataclass(frozen=True)
class ServingStrategy:
    """The strategy that serves and its calibration (a row of price_serving_strategy)."""

    strategy: str
    model_version: str | None
    replay_openings: int
    replay_win_rate: float | None
    replay_win_rate_low: float | None
    replay_win_rate_high: float | None
    reason: str
    bands: list[dict]

    @property
    def method_ko(self) -> str:
        if self.strategy == "model":
            return "모델"
        if self.strategy == "learned_margin":
            return f"학습 기반({evaluate.STRATEGY_KO[self.strategy]})"
        return f"규칙 기반({evaluate.STRATEGY_KO[self.strategy]})"

    def as_row(self, decided_at: dt.datetime) -> dict:
        return {
            "strategy": self.strategy,
            "decided_at": decided_at,
            "model_version": self.model_version,
            "replay_openings": self.replay_openings,
            "replay_win_rate": self.replay_win_rate,
            "replay_win_rate_low": self.replay_win_rate_low,
            "replay_win_rate_high": self.replay_win_rate_high,
            "reason": self.reason,
            "calibration_json": json.dumps(self.bands, default=lambda v: None),
        }


# Before any replay could judge a strategy: the agency-mean floor, its chance unknown (shown as 미상).
UNVALIDATED = ServingStrategy("agency_mean_floor", None, 0, None, None, None, "no replay yet", [])


def strategy_from_backtest(backtest: evaluate.Backtest, decision: evaluate.Promotion, version: str | None):
    m = backtest.metrics
    name = decision.strategy
    replayed = int(m.get("replay_openings", 0))
    # No opening replayed: the strategy's chance is unknown (미상), not the 0% of zero wins in zero openings.
    return ServingStrategy(
        strategy=name,
        model_version=version if name == "model" else None,
        replay_openings=replayed,
        replay_win_rate=m.get(f"replay_win_rate_{name}") if replayed else None,
        replay_win_rate_low=m.get(f"replay_low_{name}") if replayed else None,
        replay_win_rate_high=m.get(f"replay_high_{name}") if replayed else None,
        reason=decision.reason,
        bands=backtest.bands.get(name, []) if replayed else [],
    )


def strategy_from_row(row: dict | None) -> ServingStrategy:
    if not row:
        return UNVALIDATED
    bands = json.loads(row["calibration_json"] or "[]")
    for band in bands:
        if band.get("competitors_to") is None:
            band["competitors_to"] = math.inf
    return ServingStrategy(
        strategy=row["strategy"],
        model_version=row["model_version"],
        replay_openings=int(row["replay_openings"]),
        replay_win_rate=row["replay_win_rate"],
        replay_win_rate_low=row["replay_win_rate_low"],
        replay_win_rate_high=row["replay_win_rate_high"],
        reason=row["reason"],
        bands=bands,
    )


def status_of(features: pl.DataFrame) -> pl.Series:
    lottery = features["price_decision_method"].fill_null("").str.contains(LOTTERY)
    has_base = (
        features["base_amount"].is_not_null()
        & (features["base_amount"] > 0)
        & features["reserve_range_low_pct"].is_not_null()
    )
    return (
        pl.select(
            pl.when(~lottery)
            .then(pl.lit(NOT_APPLICABLE))
            .when(~has_base)
            .then(pl.lit(NO_BASE))
            .when(features["lower_limit_rate"].is_null())
            .then(pl.lit(NO_RATE))
            .when(features["a_value"].is_null())
            .then(pl.lit(NO_A_VALUE))
            .otherwise(pl.lit(PRICED))
        )
        .to_series()
        .alias("status")
    )


def expected_competitors(frame: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """Competitors expected from G2B's participant counts of earlier openings: the agency's mean when it has any,
    else the category × range (geometric) mean, else unknown (None, never 0)."""
    agency = pl.when(pl.col("agency_counted_openings") > 0).then(pl.col("agency_participants_mean"))
    category = (pl.col("category_log_bidders_mean").exp() - 1).round(1)
    out = frame.select(
        value=pl.coalesce(agency, category),
        source=pl.when(agency.is_not_null())
        .then(pl.lit("agency"))
        .when(category.is_not_null())
        .then(pl.lit("category")),
    )
    return out["value"], out["source"]


def _rate_quantiles(frame: pl.DataFrame) -> np.ndarray:
    """(n, 3) 사정률 10/50/90%: the agency's mean and spread when it has five openings or more, else 100% with the
    spread of uniform picks, widened by half (ml.pricing.rules)."""
    rng = frame["range_pct"].to_numpy()
    n = frame["agency_openings"].to_numpy()
    mean = 100 + frame["agency_rate_dev_mean"].fill_null(0.0).to_numpy() * rng
    own_sd = frame["agency_rate_dev_std"].fill_null(np.nan).to_numpy() * rng
    rule_sd = rules.UNIFORM_DEV_SD * rules.RULES_WIDENING * rng
    sd = np.where((n >= 5) & np.isfinite(own_sd), own_sd, rule_sd)
    mid = np.where(n > 0, mean, 100.0)
    return np.column_stack([mid - Z10 * sd, mid, mid + Z10 * sd])


def price_notices(
    features: pl.DataFrame,
    serving: ServingStrategy,
    model: PriceModel | None,
    margins: dict[str, float],
    learned: dict[str, float] | None = None,
) -> pl.DataFrame:
    """One row per notice (features from ml.pricing.features.notice_features plus price_decision_method).
    `margins`: the winners' median margins (evaluate.median_margins); `learned`: the learned margins
    (evaluate.learned_margins), needed when the learned margin serves."""
    features = features.with_columns(status_of(features))
    priced = features.filter(pl.col("status") == PRICED)
    available = (serving.strategy != "model" or model is not None) and (
        serving.strategy != "learned_margin" or learned is not None
    )
    strategy = serving.strategy if available else "agency_mean_floor"
    method_ko = serving.method_ko if strategy == serving.strategy else UNVALIDATED.method_ko
    competitors, source = expected_competitors(priced)
    base = priced["base_amount"].to_numpy().astype(float)
    if strategy == "model" and model is not None:
        rec = recommend(model, priced, (priced["agency_openings"] == 0).to_numpy())
        amount, quantiles = rec.amount, rec.rate_quantiles
    else:
        amount = evaluate.baseline_amounts(priced, margins, learned)[strategy] if priced.height else np.zeros(0)
        quantiles = _rate_quantiles(priced) if priced.height else np.zeros((0, 3))
    floors = rules.floor_at_rate(
        base[:, None],
        quantiles,
        priced["lower_limit_rate"].to_numpy()[:, None],
        priced["a_value"].to_numpy().astype(float)[:, None],  # known for every priced notice (status_of)
    )
    chances = [
        evaluate.chance_from_bands(serving.bands, c) if strategy == serving.strategy else None
        for c in competitors.to_list()
    ]
    if strategy == serving.strategy and serving.replay_win_rate is not None:
        pooled = (serving.replay_win_rate, serving.replay_win_rate_low, serving.replay_win_rate_high)
        chances = [c if c is not None else pooled for c in chances]
    values = pl.DataFrame(
        {
            "notice_no": priced["notice_no"],
            "strategy": [strategy] * priced.height,
            "method_ko": [method_ko] * priced.height,
            "model_version": [serving.model_version if strategy == "model" else None] * priced.height,
            "rate_p10": quantiles[:, 0],
            "rate_p50": quantiles[:, 1],
            "rate_p90": quantiles[:, 2],
            "floor_p10": np.ceil(floors[:, 0]).astype(np.int64),
            "floor_p50": np.ceil(floors[:, 1]).astype(np.int64),
            "floor_p90": np.ceil(floors[:, 2]).astype(np.int64),
            "recommended_amount": np.asarray(amount, dtype=np.int64),
            "recommended_rate_pct": np.asarray(amount, dtype=float) / base * 100 if priced.height else np.zeros(0),
            "win_chance": [c[0] if c else None for c in chances],
            "win_chance_low": [c[1] if c else None for c in chances],
            "win_chance_high": [c[2] if c else None for c in chances],
            "expected_competitors": competitors,
            "competitors_source": source,
        },
        schema_overrides={
            "win_chance": pl.Float64,
            "win_chance_low": pl.Float64,
            "win_chance_high": pl.Float64,
            "model_version": pl.String,
            "expected_competitors": pl.Float64,
            "competitors_source": pl.String,
        },
    )
    out = features.select(
        "notice_no",
        "notice_order",
        "status",
        "base_amount",
        "lower_limit_rate",
        "a_value",
        "a_value_rule",
        pl.col("agency_openings").alias("history_openings"),
        pl.col("agency_counted_openings").alias("history_counted_openings"),
        pl.coalesce(
            pl.when(pl.col("agency_range_openings") > 0).then(pl.col("agency_range_rate_mean")),
            pl.when(pl.col("agency_openings") > 0).then(100 + pl.col("agency_rate_dev_mean") * pl.col("range_pct")),
        ).alias("history_rate_mean"),
        "agency_participants_mean",
    ).join(values, on="notice_no", how="left")
    out = out.with_columns(
        method_ko=pl.when(pl.col("status") == NOT_APPLICABLE)
        .then(pl.lit("해당 없음(복수예가 아님)"))
        .when(pl.col("status") == NO_BASE)
        .then(pl.lit("기초금액 공개 전"))
        .when(pl.col("status") == NO_RATE)
        .then(pl.lit("낙찰하한율 미상"))
        .when(pl.col("status") == NO_A_VALUE)
        .then(pl.lit("A값 미상"))
        .otherwise(pl.col("method_ko"))
    )
    return out.with_columns(
        explanation_ko=pl.Series([explanation(r, serving) for r in out.iter_rows(named=True)], dtype=pl.String)
    )


def history_text(row: dict) -> str:
    """이 기관 지난 개찰 23건: 평균 사정률 99.80%, 평균 312개사 참여 (or what is unknown)."""
    n = row["history_openings"] or 0
    if n == 0:
        return "이 기관의 지난 개찰 이력이 아직 없습니다."
    parts = []
    if row["history_rate_mean"] is not None:
        parts.append(f"평균 사정률 {row['history_rate_mean']:.2f}%")
    counted = row["history_counted_openings"] or 0
    if counted and row["agency_participants_mean"] is not None:
        parts.append(
            f"평균 {row['agency_participants_mean']:,.0f}개사 참여" + ("" if counted == n else f"({counted}건 기준)")
        )
    else:
        parts.append("참여업체 수 미상")
    return f"이 기관 지난 개찰 {n:,}건: " + ", ".join(parts) + "."


def explanation(row: dict, serving: ServingStrategy) -> str:
    status = row["status"]
    if status == NOT_APPLICABLE:
        return "복수예가 적격심사가 아니어서 사정률 기반 투찰금액 추천이 없습니다."
    if status == NO_BASE:
        rate = row["lower_limit_rate"]
        tail = f" (낙찰하한율 {rate:.3f}%)" if rate else ""
        return f"기초금액 공개 전입니다. 공개되면 추천합니다{tail}."
    if status == NO_RATE:
        return "공고에 낙찰하한율이 없고 적용할 하한율 표도 없어 낙찰하한가를 계산할 수 없습니다. 투찰금액 추천이 없습니다."
    if status == NO_A_VALUE:
        if row["a_value_rule"] == APPLIES:
            why = "A값 적용 공고이지만 A값(국민연금·건강보험·퇴직공제부금 등)이 아직 공개되지 않아"
        else:
            why = "A값 적용 여부가 공개되지 않은 공사(추정가격 300억 미만)라서"
        return f"{why} 낙찰하한가를 계산할 수 없습니다. A값이 공개되면 추천합니다. 투찰금액 추천이 없습니다."
    text = [history_text(row)]
    if row["win_chance"] is not None and serving.replay_openings:
        text.append(
            f"같은 방법으로 과거 개찰 {serving.replay_openings:,}건을 재현해 보니 경쟁사 수가 비슷한 개찰에서 "
            f"{row['win_chance'] * 100:.1f}%를 낙찰받았습니다."
        )
    else:
        text.append("이 방법의 낙찰 가능성은 아직 과거 개찰로 검증되지 않았습니다.")
    text.append(f"낙찰하한가는 {won_range_text(row['floor_p10'], row['floor_p90'])}(80% 구간)로 예상됩니다.")
    if row["strategy"] == "learned_margin":
        text.append(
            "과거 개찰의 경쟁사 투찰 분포에서 배운 여유율로 추천합니다(기준 방법보다 나은 것이 재현으로 검증됨)."
        )
    elif row["strategy"] != "model":
        text.append("모델이 기준 방법보다 낫다고 검증되지 않아 규칙 기반으로 추천합니다.")
    return " ".join(text)


def recommendation_rows(
    pairs: pl.DataFrame, priced: pl.DataFrame, as_of: dt.datetime, scored_at: dt.datetime
) -> pl.DataFrame:
    """Every (Pro company, eligible notice) pair with its notice's recommendation (the columns of
    bid_recommendations, read back as ml.pricing.advice.PriceAdvice)."""
    schema = {
        "company_id": pl.String,
        "notice_no": pl.String,
        "notice_order": pl.String,
        "status": pl.String,
        "strategy": pl.String,
        "method_ko": pl.String,
        "model_version": pl.String,
        "base_amount": pl.Int64,
        "lower_limit_rate": pl.Float64,
        "a_value": pl.Int64,
        "rate_p10": pl.Float64,
        "rate_p50": pl.Float64,
        "rate_p90": pl.Float64,
        "floor_p10": pl.Int64,
        "floor_p50": pl.Int64,
        "floor_p90": pl.Int64,
        "recommended_amount": pl.Int64,
        "recommended_rate_pct": pl.Float64,
        "win_chance": pl.Float64,
        "win_chance_low": pl.Float64,
        "win_chance_high": pl.Float64,
        "expected_competitors": pl.Float64,
        "competitors_source": pl.String,
        "history_openings": pl.Int32,
        "history_counted_openings": pl.Int32,
        "history_rate_mean": pl.Float64,
        "explanation_ko": pl.String,
        "as_of": pl.Datetime("us"),
        "scored_at": pl.Datetime("us"),
    }
    if pairs.is_empty() or priced.is_empty():
        return pl.DataFrame(schema=schema)
    frame = pairs.select("company_id", "notice_no").join(priced, on="notice_no", how="inner")
    frame = frame.with_columns(
        pl.lit(as_of, dtype=pl.Datetime("us")).alias("as_of"),
        pl.lit(scored_at, dtype=pl.Datetime("us")).alias("scored_at"),
    )
    return frame.select(pl.col(c).cast(t) for c, t in schema.items())
