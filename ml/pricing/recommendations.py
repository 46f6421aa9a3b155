"""Bid recommendations for the open notices a Pro company may bid on: one row per (company, notice), with the
amount, its chance of winning, the interval, the base rate and a short Korean explanation.

Rows that cannot be priced still get a row that says why (not a 복수예가 lottery; 기초금액 not yet published).
An agency without history is priced by the rules (uniform picks around 100%, widened), labelled as such.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from bidradar.core.formatting import won_text
from ml.pricing.model import PriceModel, recommend

MODEL, RULES, NO_BASE, NOT_APPLICABLE = "model", "rules", "no_base_amount", "not_applicable"
METHOD_KO = {
    MODEL: "모델",
    RULES: "규칙 기반(기관 이력 없음, 넓은 구간)",
    NO_BASE: "기초금액 공개 전",
    NOT_APPLICABLE: "해당 없음(복수예가 아님)",
}
LOTTERY = "복수예가"

RECOMMENDATION_SCHEMA: dict[str, pl.DataType] = {
    "company_id": pl.String(),
    "notice_no": pl.String(),
    "notice_order": pl.String(),
    "status": pl.String(),
    "method_ko": pl.String(),
    "model_version": pl.String(),
    "base_amount": pl.Int64(),
    "lower_limit_rate": pl.Float64(),
    "a_value": pl.Int64(),
    "rate_p10": pl.Float64(),
    "rate_p50": pl.Float64(),
    "rate_p90": pl.Float64(),
    "planned_price_p10": pl.Int64(),
    "planned_price_p50": pl.Int64(),
    "planned_price_p90": pl.Int64(),
    "floor_p10": pl.Int64(),
    "floor_p50": pl.Int64(),
    "floor_p90": pl.Int64(),
    "expected_bidders": pl.Float64(),
    "competitors_near_floor": pl.Float64(),
    "recommended_amount": pl.Int64(),
    "recommended_rate_pct": pl.Float64(),
    "win_probability": pl.Float64(),
    "amount_low": pl.Int64(),
    "amount_high": pl.Int64(),
    "base_rate": pl.Float64(),
    "explanation_ko": pl.String(),
}


def status_of(features: pl.DataFrame, has_model: bool) -> pl.Series:
    lottery = features["price_decision_method"].fill_null("").str.contains(LOTTERY)
    has_base = (
        features["base_amount"].is_not_null()
        & (features["base_amount"] > 0)
        & features["reserve_range_low_pct"].is_not_null()
    )
    history = (features["agency_openings"] > 0) & has_model
    return (
        pl.select(
            pl.when(~lottery)
            .then(pl.lit(NOT_APPLICABLE))
            .when(~has_base)
            .then(pl.lit(NO_BASE))
            .when(history)
            .then(pl.lit(MODEL))
            .otherwise(pl.lit(RULES))
        )
        .to_series()
        .alias("status")
    )


def price_notices(features: pl.DataFrame, model: PriceModel | None, version: str | None) -> pl.DataFrame:
    """One row per notice (features from ml.pricing.features.notice_features plus price_decision_method)."""
    features = features.with_columns(status_of(features, model is not None))
    priced = features.filter(pl.col("status").is_in([MODEL, RULES]))
    out = features.select(
        "notice_no",
        "notice_order",
        "status",
        "base_amount",
        "lower_limit_rate",
        "a_value",
        "agency_openings",
        "agency_range_rate_mean",
        "agency_rate_dev_mean",
        "range_pct",
        "demand_agency_name",
    )
    if priced.height:
        rec = recommend(model, priced, (priced["status"] == RULES).to_numpy())
        values = pl.DataFrame(
            {
                "notice_no": priced["notice_no"],
                "rate_p10": rec.rate_quantiles[:, 0],
                "rate_p50": rec.rate_quantiles[:, 1],
                "rate_p90": rec.rate_quantiles[:, 2],
                "planned_price_p10": rec.planned_quantiles[:, 0].round().astype(np.int64),
                "planned_price_p50": rec.planned_quantiles[:, 1].round().astype(np.int64),
                "planned_price_p90": rec.planned_quantiles[:, 2].round().astype(np.int64),
                "floor_p10": np.ceil(rec.floor_quantiles[:, 0]).astype(np.int64),
                "floor_p50": np.ceil(rec.floor_quantiles[:, 1]).astype(np.int64),
                "floor_p90": np.ceil(rec.floor_quantiles[:, 2]).astype(np.int64),
                "expected_bidders": rec.expected_bidders,
                "competitors_near_floor": rec.near_floor,
                "recommended_amount": rec.amount,
                "recommended_rate_pct": rec.amount / priced["base_amount"].to_numpy() * 100,
                "win_probability": rec.win_probability,
                "amount_low": rec.amount_low,
                "amount_high": rec.amount_high,
                "base_rate": rec.base_rate,
            }
        )
        out = out.join(values, on="notice_no", how="left")
    else:
        out = out.with_columns(
            pl.lit(None, dtype=t).alias(c)
            for c, t in RECOMMENDATION_SCHEMA.items()
            if c not in out.columns and c not in ("company_id", "method_ko", "model_version", "explanation_ko")
        )
    return out.with_columns(
        method_ko=pl.col("status").replace_strict(METHOD_KO),
        model_version=pl.when(pl.col("status") == MODEL).then(pl.lit(version, dtype=pl.String)),
        explanation_ko=pl.Series([explanation(r) for r in out.iter_rows(named=True)], dtype=pl.String),
    )


def explanation(row: dict) -> str:
    status = row["status"]
    if status == NOT_APPLICABLE:
        return "복수예가 적격심사가 아니어서 사정률 기반 투찰금액 추천이 없습니다."
    if status == NO_BASE:
        rate = row["lower_limit_rate"]
        return (
            f"기초금액 공개 전입니다. 공개되면 추천합니다 (낙찰하한율 {rate:.3f}%)."
            if rate
            else ("기초금액 공개 전입니다. 공개되면 추천합니다.")
        )
    amount = row["recommended_amount"]
    text = (
        f"추천 투찰금액 {amount:,}원({won_text(amount)}, 기초금액의 {row['recommended_rate_pct']:.3f}%): "
        f"낙찰 가능성 {row['win_probability']:.1%}, 무작위 기준 {row['base_rate']:.1%} "
        f"(예상 경쟁 {row['expected_bidders']:.0f}개사). "
        f"예정가격 {won_text(row['planned_price_p10'])}~{won_text(row['planned_price_p90'])}, "
        f"낙찰하한가 {won_text(row['floor_p10'])}~{won_text(row['floor_p90'])} (80% 구간)."
    )
    if status == RULES:
        return text + " 이 기관의 과거 개찰 이력이 없어 규칙(예비가격 균등 추첨)으로 넓게 잡았습니다."
    mean = 100 + (row["agency_rate_dev_mean"] or 0) * row["range_pct"]
    return text + f" 근거: 이 기관의 과거 개찰 {row['agency_openings']:,}건, 평균 사정률 {mean:.2f}%."


def recommendation_rows(
    pairs: pl.DataFrame, priced: pl.DataFrame, as_of: dt.datetime, scored_at: dt.datetime
) -> pl.DataFrame:
    """Every (Pro company, eligible notice) pair with its notice's recommendation."""
    if pairs.is_empty():
        return pl.DataFrame(
            schema={**RECOMMENDATION_SCHEMA, "as_of": pl.Datetime("us"), "scored_at": pl.Datetime("us")}
        )
    frame = pairs.select("company_id", "notice_no").join(priced, on="notice_no", how="inner")
    return frame.select(
        *[pl.col(c).cast(t) for c, t in RECOMMENDATION_SCHEMA.items()],
        pl.lit(as_of, dtype=pl.Datetime("us")).alias("as_of"),
        pl.lit(scored_at, dtype=pl.Datetime("us")).alias("scored_at"),
    )
