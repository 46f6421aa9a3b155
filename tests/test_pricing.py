"""Price intelligence: no feature sees a later opening, the lottery rules, the promotion rule both ways (real
MLflow on a temporary SQLite store), and the assets end to end on a real warehouse crawled from the simulator."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest
from dagster import materialize

from assets import ingestion, matching, pricing
from assets.common.resources import G2BResource, MLflowResource, ProfilesResource, WarehouseResource
from bidradar.core import warehouse
from bidradar.ingestion.simulator import G2BSimulator, NoticeGenerator
from bidradar.rules import rates
from ml.pricing import evaluate, features, registry
from ml.pricing import model as price_model
from tests.kit.market import bid_positions, raw_openings
from tests.support import materialize_days

SHIPPED = Path(__file__).resolve().parents[1] / "profiles"


@pytest.fixture(scope="module")
def market() -> tuple[pl.DataFrame, pl.DataFrame]:
    generator = NoticeGenerator(seed=20260101, notices_per_day=400)
    days = [dt.date(2026, 2, 2) + dt.timedelta(days=i) for i in range(18)]
    return raw_openings(generator, days), bid_positions(generator, days)


# ---------------------------------------------------------------------------------------------------------------------
# Leakage


def test_no_feature_uses_an_opening_known_at_or_after_the_cutoff(market) -> None:  # type: ignore[no-untyped-def]
    raw, _ = market
    training = features.build_training_set(raw)
    assert training.height > 3000
    outcomes = features.outcomes_from_training_set(training)
    # 1) Every sampled row's history equals a brute-force recomputation from openings known before its cut-off.
    assert features.leakage_mismatches(training, outcomes, sample=400) == 0
    # 2) Rewriting every later opening (known at or after the cut-off) changes no feature of the row.
    row = training.filter(pl.col("agency_openings") > 5).sort("cutoff_at")[training.height // 3].row(0, named=True)
    cutoff = row["cutoff_at"]
    later = pl.col("known_at") >= cutoff
    tampered = raw.with_columns(
        planned_price=pl.when(later)
        .then(pl.col("planned_price") * 1.03)
        .otherwise(pl.col("planned_price"))
        .cast(pl.Int64),
        bidder_count=pl.when(later).then(pl.col("bidder_count") * 5).otherwise(pl.col("bidder_count")),
        near_floor_count=pl.when(later).then(99).otherwise(pl.col("near_floor_count")).cast(pl.Int32),
        winning_amount=pl.when(later).then(None).otherwise(pl.col("winning_amount")),
    )
    again = features.build_training_set(tampered)
    key = [pl.col(c) == row[c] for c in features.OPENING_KEY]
    redone = again.filter(pl.all_horizontal(key)).row(0, named=True)
    for name in [*features.HISTORY_FEATURES, *features.NOTICE_FEATURES]:
        assert redone[name] == row[name], name
    # 3) The test can see leakage: rewriting an EARLIER opening of the same agency does change the row.
    earlier = (pl.col("known_at") < cutoff) & (pl.col("demand_agency_code") == row["demand_agency_code"])
    touched = raw.with_columns(
        planned_price=pl.when(earlier)
        .then(pl.col("planned_price") * 1.03)
        .otherwise(pl.col("planned_price"))
        .cast(pl.Int64)
    )
    changed = features.build_training_set(touched).filter(pl.all_horizontal(key)).row(0, named=True)
    assert changed["agency_rate_dev_mean"] != row["agency_rate_dev_mean"]


def test_features_are_known_before_bidding_and_targets_follow_the_rules(market) -> None:  # type: ignore[no-untyped-def]
    raw, _ = market
    training = features.build_training_set(raw)
    assert set(training["range_pct"].unique().to_list()) <= {2.0, 3.0}
    assert (training["cutoff_at"] > training["known_at"]).sum() == 0  # an opening is known after its own close
    row = training.filter(pl.col("a_value") > 0).row(0, named=True)
    planned = row["base_amount"] * row["assessment_rate_pct"] / 100
    expected = (planned - row["a_value"]) * row["lower_limit_rate"] / 100 + row["a_value"]
    assert row["floor_amount"] == pytest.approx(expected, rel=1e-9)
    assert row["winning_amount"] >= row["floor_amount"]


def test_lower_limit_rate_comes_from_the_notice_and_only_then_the_dated_table() -> None:
    assert rates.table_rate("construction", 5e8, "national", dt.date(2026, 1, 29)) == 87.745
    assert rates.table_rate("construction", 5e8, "national", dt.date(2026, 1, 30)) == 89.745
    assert rates.table_rate("construction", 5e8, "local", dt.date(2025, 7, 1)) == 89.745
    assert rates.table_rate("construction", None, "local", dt.date(2025, 7, 1)) is None  # no guessed default
    notice = pl.DataFrame(
        {
            "category": ["construction", "construction"],
            "estimated_price": [500_000_000, 500_000_000],
            "reserve_range_low_pct": [-2.0, -2.0],
            "reserve_range_high_pct": [2.0, 2.0],
            "lower_limit_rate": [86.5, None],
            "bid_close_at": [dt.datetime(2026, 3, 2, 10)] * 2,
            "base_amount": [550_000_000] * 2,
            "a_value": [0, 0],
            "construction_site_region": [None, None],
            "demand_agency_name": ["조달청", "조달청"],
            "contract_method": [None, None],
        }
    )
    facts = features.notice_facts(notice, pl.col("bid_close_at"))
    assert facts["lower_limit_rate"].to_list() == [86.5, 89.745]
    assert facts["lower_limit_source"].to_list() == ["notice", "table"]


def test_the_best_bid_is_at_a_scenario_floor_and_its_chance_is_a_probability(market) -> None:  # type: ignore[no-untyped-def]
    raw, positions = market
    training = features.build_training_set(raw)
    fitted = price_model.fit(training, positions)
    sample = training.tail(200)
    rec = price_model.recommend(fitted, sample)
    assert ((rec.win_probability >= 0) & (rec.win_probability <= 1)).all()
    assert (rec.amount_low <= rec.amount).all() and (rec.amount <= rec.amount_high).all()
    assert (rec.floor_quantiles[:, 0] <= rec.floor_quantiles[:, 2]).all()
    # The recommended bid is at or above the 10% floor and below the 90% planned price.
    assert (rec.amount >= np.floor(rec.floor_quantiles[:, 0])).all()
    assert (rec.amount < rec.planned_quantiles[:, 2]).all()
    # The rules fallback (no history) is wider than the model.
    by_rules = price_model.recommend(fitted, sample, np.ones(sample.height, dtype=bool))
    model_width = (rec.rate_quantiles[:, 2] - rec.rate_quantiles[:, 0]).mean()
    assert (by_rules.rate_quantiles[:, 2] - by_rules.rate_quantiles[:, 0]).mean() > model_width


# ---------------------------------------------------------------------------------------------------------------------
# Promotion


def metrics(mae_model: float, wins_model: float) -> dict[str, float]:
    return {
        "mae_model": mae_model,
        "mae_best_baseline": 0.40,
        "replay_wins_model": wins_model,
        "replay_wins_agency_mean_floor": 100.0,
    }


def test_promotion_rule_both_ways() -> None:
    assert evaluate.promotion_decision(metrics(0.39, 120)).promote
    assert not evaluate.promotion_decision(metrics(0.40, 120)).promote  # a tie is not a win
    assert not evaluate.promotion_decision(metrics(0.41, 120)).promote
    assert not evaluate.promotion_decision(metrics(0.39, 100)).promote  # better MAE, but no more wins


def test_a_model_is_registered_and_served_only_when_it_beats_the_baselines(market, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    raw, positions = market
    training = features.build_training_set(raw)
    backtest = evaluate.backtest(training, positions)
    final = price_model.fit(training, positions)
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    assert registry.load_champion(uri) is None
    # It loses: logged, not registered, nothing serves.
    lost = registry.log_training(uri, backtest, final, evaluate.promotion_decision(metrics(0.5, 0)))
    assert lost.version is None and lost.champion is None
    # It wins: version 1 serves.
    won = registry.log_training(uri, backtest, final, evaluate.promotion_decision(metrics(0.3, 200)))
    assert won.version == "1" and won.champion == "1"
    # The next one loses: version 1 keeps serving, and it scores like the model it was trained as.
    kept = registry.log_training(uri, backtest, final, evaluate.promotion_decision(metrics(0.5, 0)))
    assert kept.version is None and kept.champion == "1"
    served, version = registry.load_champion(uri)  # type: ignore[misc]
    assert version == "1"
    sample = training.tail(50)
    assert (price_model.recommend(served, sample).amount == price_model.recommend(final, sample).amount).all()
    assert (tmp_path / "mlartifacts").is_dir()  # artifacts beside the store, not in the working directory


# ---------------------------------------------------------------------------------------------------------------------
# The assets end to end

KEY = "bidradar-simulator-key"
DAYS = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(12)]
NOW = dt.datetime.combine(DAYS[-1], dt.time(21, 0), ZoneInfo("Asia/Seoul"))
AS_OF = f"{DAYS[-1]:%Y-%m-%d} 21:00"


@pytest.fixture(scope="module")
def simulator_url() -> Iterator[str]:
    sim = G2BSimulator(seed=20260101, notices_per_day=350, service_key=KEY, now=NOW)
    with sim.serve() as url:
        yield url


@pytest.mark.slow
@pytest.mark.timeout(900)  # crawls 12 days of notices and results through HTTP, then trains and logs to MLflow
def test_pricing_assets_recommend_for_every_eligible_pro_notice(
    simulator_url: str, database_url: str, tmp_path: Path
) -> None:
    warehouse.migrate(warehouse.make_engine(database_url))
    g2b = G2BResource(base_url=simulator_url, service_key=KEY, backoff_initial_seconds=0.01)
    notices = [ingestion.g2b_raw_notices, ingestion.notice_tables]
    assert materialize_days(notices, database_url, DAYS, g2b).success
    results = [ingestion.g2b_raw_results, ingestion.result_tables, ingestion.bid_outcomes]
    assert materialize_days(results, database_url, DAYS, g2b).success
    folder = tmp_path / "profiles"
    folder.mkdir()
    for name in ("hanbit-soft.yaml", "daesung-electric.yaml"):  # Pro and Free
        shutil.copy(SHIPPED / name, folder / name)
    resources = {
        "warehouse": WarehouseResource(database_url=database_url),
        "profiles": ProfilesResource(folder=str(folder)),
        "mlflow": MLflowResource(tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}"),
    }
    config = {"config": {"as_of": AS_OF, "top_k": 20}}
    result = materialize(
        [
            matching.company_profiles,
            matching.hard_matches,
            matching.soft_matches,
            pricing.price_training_set,
            pricing.price_model,
            pricing.bid_recommendations,
        ],
        resources=resources,
        run_config={"ops": {"hard_matches": config, "soft_matches": config}},
    )
    assert result.success
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert checks["history_strictly_earlier"].passed
    assert checks["every_eligible_pro_notice_has_a_row"].passed
    model_meta = result.asset_materializations_for_node("price_model")[0].metadata
    # The check and the promotion agree, and the metadata names the MLflow run.
    assert checks["beats_best_baseline"].passed == model_meta["promoted"].value
    assert model_meta["mlflow_run_id"].value, model_meta["reason"].value

    engine = warehouse.make_engine(database_url)
    training = warehouse.read_frame(engine, "SELECT * FROM price_training_set")
    assert training.height >= pricing.MIN_OPENINGS
    pairs = warehouse.read_frame(engine, "SELECT company_id, notice_no FROM hard_matches WHERE verdict = 'eligible'")
    recs = warehouse.read_frame(engine, "SELECT * FROM bid_recommendations")
    pro_pairs = pairs.filter(pl.col("company_id") == "hanbit-soft")
    assert pro_pairs.height > 0
    assert sorted(recs["notice_no"].to_list()) == sorted(pro_pairs["notice_no"].to_list())
    assert set(recs["company_id"].to_list()) == {"hanbit-soft"}  # Free plan: none
    priced = recs.filter(pl.col("status").is_in(["model", "rules"]))
    assert priced.height > 0
    assert priced.filter((pl.col("win_probability") < 0) | (pl.col("win_probability") > 1)).is_empty()
    assert priced.filter(pl.col("recommended_amount") < pl.col("floor_p10") - 1).is_empty()
    assert all("추천 투찰금액" in text and "낙찰 가능성" in text for text in priced["explanation_ko"].to_list())
    labelled = recs.filter(pl.col("status") == "rules")
    assert all("규칙" in text for text in labelled["method_ko"].to_list())
    engine.dispose()
