"""Price intelligence assets: the training set of past openings, the price model (MLflow), and the bid
recommendations for the open notices of Pro companies. The logic is in ml/pricing (pure functions); these are
thin Dagster definitions around it (docs/pricing.md)."""

import polars as pl
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetSelection,
    AutomationCondition,
    Config,
    Definitions,
    MaterializeResult,
    MetadataValue,
    asset,
    define_asset_job,
    with_source_code_references,
)
from pydantic import Field

from assets.common.automation import after_inputs_change
from assets.common.resources import MLflowResource, WarehouseResource
from assets.metadata import markdown_preview
from bidradar.core.clock import TIMEZONE, now_kst
from bidradar.core.warehouse import TableWrite
from bidradar.matching import verdicts
from bidradar.matching.store import read_valid_profiles
from ml.pricing import evaluate, features, recommendations, store
from ml.pricing import model as pricing_model
from ml.pricing.advice import NO_BASE, NOT_APPLICABLE, PRICED

OWNERS = ["team:data-platform"]
GROUP = "pricing"
MIN_OPENINGS = 300  # below this a backtest says nothing


class TrainingSetConfig(Config):
    full_rebuild: bool = Field(
        default=False,
        description="build every row again (a run also does when nothing is stored, when the feature code changed, "
        "or when more than half the rows would be recomputed)",
    )


@asset(
    deps=["bid_outcomes", "bid_notices", "notice_base_amounts"],
    # New outcomes are what it learns from; a notice alone (no result yet) adds no row.
    automation_condition=after_inputs_change(only=["bid_outcomes"]),
    pool="warehouse_writer",
    group_name=GROUP,
    owners=OWNERS,
    kinds={"polars", "sql"},
    description="One row per past opening with a 사정률: features known before its bids closed (agency, category, "
    "contract method, range, log 기초금액, 하한율, A값 share, region, month, weekday; the agency's earlier draw "
    "statistics and the earlier competitor density near the floor, from openings known strictly before the close) "
    "and the targets (사정률, winner's margin over the floor, bidders). Also price_bid_positions, the competitors' "
    "bid positions relative to the floor. Grows by what changed (ml/pricing/increment.py): each row keeps the "
    "fingerprint of its opening's raw facts and the feature code; a run recomputes the openings whose fingerprint "
    "moved (new days, a late award or bidder list, a withdrawn opening) and every later row whose look-back history "
    "they feed: an opening's 사정률 and participants (at its registration) feed its demand agency, notice agency and "
    "category × range; an award (at its registration) its agency; a bidder list (at its fetch) its agency and "
    "category × range; a row of that group whose cut-off is after the changed event's time is recomputed. Other rows "
    "stay as stored; the result equals a full build. Positions are rewritten only for the days that differ. "
    "`full_rebuild` builds everything.",
    check_specs=[
        AssetCheckSpec(
            "history_strictly_earlier",
            asset="price_training_set",
            blocking=True,
            description="recomputed by brute force for a sample of the rows this run wrote, no history feature uses "
            "an opening known at or after the row's cut-off",
        )
    ],
)
def price_training_set(
    context: AssetExecutionContext, config: TrainingSetConfig, warehouse: WarehouseResource
) -> MaterializeResult:
    raw = store.read_raw_openings(warehouse.engine)
    positions = store.read_positions(warehouse.engine)
    built_at = now_kst().replace(tzinfo=None)  # KST wall time, as every timestamp of the warehouse
    refresh = store.refresh_training_set(warehouse.engine, raw, positions, built_at, full=config.full_rebuild)
    update, training = refresh.update, refresh.update.training
    context.log.info(f"price training set: {update.mode}, {update.reason}; {update.rows.height} rows written")
    # The rows this run built, against the whole set after the write.
    built = update.rows
    mismatches = features.leakage_mismatches(built, features.outcomes_from_training_set(training), sample=200)
    span = f"{training['cutoff_at'].min()} .. {training['cutoff_at'].max()}" if training.height else "none"
    context.log.info(f"price training set: {training.height} openings ({span})")
    sources = dict(training["lower_limit_source"].value_counts().iter_rows()) if training.height else {}
    ranges = dict(training["range_source"].value_counts().iter_rows()) if training.height else {}
    counted = int(training["participant_count"].is_not_null().sum()) if training.height else 0
    listed = int(training["bidder_count"].is_not_null().sum()) if training.height else 0
    return MaterializeResult(
        metadata={
            "dagster/row_count": training.height,
            "openings": training.height,
            "mode": update.mode,
            "reason": update.reason,
            "rows_written": update.rows.height if refresh.written else 0,
            "new_openings": update.new_openings,
            "changed_openings": update.changed_openings,
            "removed_openings": update.removed_openings,
            "lookback_rows": update.lookback_rows,
            "days_written": len(update.days) if refresh.written else 0,
            "position_days_written": len(refresh.position_days),
            "agencies": training["demand_agency_code"].n_unique() if training.height else 0,
            "span": span,
            # Competitors: G2B's participant count (bulk) for every opening it gave one; a bidder list where
            # fetched. Unknown stays NULL (never 0).
            "openings_with_participant_count": counted,
            "openings_with_bidder_list": listed,
            "participant_count_coverage_pct": round(100 * counted / training.height, 1) if training.height else 0.0,
            "openings_with_real_floor": int((training["floor_source"] == "notice").sum()) if training.height else 0,
            "range_from_notice": int(ranges.get("notice", 0)),
            "range_from_reserve_prices": int(ranges.get("prices", 0)),
            "lower_limit_from_notice": int(sources.get("notice", 0)),
            "lower_limit_from_table": int(sources.get("table", 0)),
            "bid_position_rows": positions.height,
            "bid_position_rows_written": refresh.position_rows,
            "preview_of_rows_written": markdown_preview(
                update.rows,
                [
                    "notice_no",
                    "demand_agency_code",
                    "range_pct",
                    "agency_openings",
                    "agency_rate_dev_mean",
                    "assessment_rate_pct",
                    "participant_count",
                    "bidder_count",
                ],
            ),
        },
        check_results=[
            AssetCheckResult(
                check_name="history_strictly_earlier",
                passed=mismatches == 0,
                metadata={"sampled_rows": min(200, built.height), "mismatches": mismatches},
            )
        ],
    )


class PriceModelConfig(Config):
    max_iter: int = Field(
        default=pricing_model.ModelParams().max_iter,
        ge=1,
        description="boosting iterations of each of the model's trees (the backtest's and the final fit's); the "
        "default is the product's, fewer trade accuracy for CPU (a quick look on a small machine, the tests)",
    )


@asset(
    deps=[price_training_set],
    # Retrained once a day (minutes of CPU on a Pi), when the training set has grown after that day's results
    # crawl: 07:00 is when the model may start, it waits for the data.
    automation_condition=AutomationCondition.on_cron("0 7 * * *", TIMEZONE),
    group_name=GROUP,
    owners=OWNERS,
    kinds={"scikitlearn", "mlflow"},
    description="The price model: HistGradientBoosting quantiles of the 사정률, a Poisson model of the bidders and "
    "the competitors' bid density. A time-ordered backtest against always-100%, the agency mean and the agency × "
    "range mean; params, metrics, the backtest plot and the model go to MLflow. A new version is registered and "
    "made `champion` only when it beats the best baseline on 사정률 MAE and the agency-mean floor in the replay; "
    "otherwise the check fails and the previous champion keeps serving.",
    check_specs=[
        AssetCheckSpec(
            "beats_best_baseline",
            asset="price_model",
            description="the new model beats every baseline on held-out 사정률 MAE and in the "
            "replay; if not, it is not promoted",
        )
    ],
)
def price_model(
    context: AssetExecutionContext, config: PriceModelConfig, warehouse: WarehouseResource, mlflow: MLflowResource
) -> MaterializeResult:
    from ml.pricing import registry  # MLflow (~140 MB) loads in the runs that use it, not in every Dagster process

    training = store.read_training_set(warehouse.engine)
    positions = store.read_stored_positions(warehouse.engine)
    champion = registry.champion_version(mlflow.uri)
    if training.height < MIN_OPENINGS:
        reason = f"{training.height} openings: too few for a backtest (at least {MIN_OPENINGS})"
        context.log.warning(reason)
        return MaterializeResult(
            metadata={"openings": training.height, "promoted": False, "reason": reason, "champion": str(champion)},
            check_results=[
                AssetCheckResult(
                    check_name="beats_best_baseline",
                    passed=False,
                    severity=AssetCheckSeverity.ERROR,
                    metadata={"reason": reason},
                )
            ],
        )
    params = pricing_model.ModelParams(max_iter=config.max_iter)
    backtest = evaluate.backtest(training, positions, params)
    decision = evaluate.promotion_decision(backtest.metrics)
    final = pricing_model.fit(training, positions, params)
    run = registry.log_training(mlflow.uri, backtest, final, decision)
    serving = recommendations.strategy_from_backtest(backtest, decision, run.champion)
    warehouse.write(
        [
            TableWrite(
                "price_serving_strategy",
                pl.DataFrame([serving.as_row(now_kst())]),
                ["strategy"],
                replace="table",
            )
        ]
    )
    context.log.info(f"price model: {decision.reason}; serving {serving.method_ko}; champion {run.champion}")
    metrics = {k: round(v, 5) for k, v in backtest.metrics.items() if v == v}
    return MaterializeResult(
        metadata={
            **metrics,
            "promoted": decision.promote,
            "serving_strategy": serving.strategy,
            "serving_method_ko": serving.method_ko,
            "replay_strategies": markdown_preview(backtest.strategies, rows=10),
            "reason": decision.reason,
            "registered_version": str(run.version),
            "champion_version": str(run.champion),
            "mlflow_run_id": run.run_id,
            "mlflow_experiment_id": run.experiment_id,
            "mlflow_tracking_uri": mlflow.uri,
            "mlflow_ui": MetadataValue.md(
                f"`mlflow ui --backend-store-uri {mlflow.uri}` then open "
                f"`#/experiments/{run.experiment_id}/runs/{run.run_id}`"
            ),
            "calibration_by_decile": markdown_preview(backtest.reliability, rows=20),
            "mae_by_range": markdown_preview(backtest.by_range, rows=10),
        },
        check_results=[
            AssetCheckResult(
                check_name="beats_best_baseline",
                passed=decision.promote,
                severity=AssetCheckSeverity.ERROR,
                metadata={
                    "reason": decision.reason,
                    "champion_version": str(run.champion),
                    "serving_strategy": serving.strategy,
                },
            )
        ],
    )


@asset(
    deps=["price_model", "hard_matches", "company_profiles", "bid_notices", "notice_base_amounts"],
    automation_condition=after_inputs_change(),
    pool="warehouse_writer",
    group_name=GROUP,
    owners=OWNERS,
    kinds={"polars", "sql", "mlflow"},
    description="For every open notice a Pro company may bid on (eligible in hard_matches; Free plan: none): the "
    "distribution of the 예정가격 and the floor, the competitors' density, the amount with the highest chance of "
    "being the lowest bid at or above the floor (won), that chance, an interval, the base rate (1 / expected "
    "bidders) and a short Korean explanation. Scored by the MLflow champion; agencies without history by the "
    "rules, labelled.",
    check_specs=[
        AssetCheckSpec(
            "every_eligible_pro_notice_has_a_row",
            asset="bid_recommendations",
            blocking=True,
            description="one row per eligible (Pro company, open notice) pair, priced or saying why not",
        )
    ],
)
def bid_recommendations(
    context: AssetExecutionContext, warehouse: WarehouseResource, mlflow: MLflowResource
) -> MaterializeResult:
    from ml.pricing import registry  # MLflow loads in the runs that use it

    scored_at = now_kst()
    pro = [cid for cid, profile in read_valid_profiles(warehouse.engine) if profile.plan == "pro"]
    pairs = verdicts.read_eligible_pairs(warehouse.engine)
    pairs = pairs.filter(pl.col("company_id").is_in(pro)) if pairs.height else pairs
    as_of = pairs["as_of"].max() if pairs.height else scored_at.replace(tzinfo=None)
    serving = recommendations.strategy_from_row(store.read_serving_strategy(warehouse.engine))
    champion = registry.load_champion(mlflow.uri) if serving.strategy == "model" else None
    model, version = champion if champion else (None, None)
    notices = store.read_open_notices(warehouse.engine, pairs["notice_no"].unique().to_list() if pairs.height else [])
    if pairs.height and notices.height:
        training = store.read_training_set(warehouse.engine)
        history = features.outcomes_from_training_set(training)
        margins = evaluate.median_margins(training) if training.height else {"*": 0.0}
        learned = evaluate.learned_margins(training) if serving.strategy == "learned_margin" else None
        priced = recommendations.price_notices(
            features.notice_features(notices, history, as_of), serving, model, margins, learned
        )
    else:
        priced = pl.DataFrame(schema={"notice_no": pl.String})
    frame = recommendations.recommendation_rows(pairs, priced, as_of, scored_at.replace(tzinfo=None))
    warehouse.write([TableWrite("bid_recommendations", frame, ["company_id", "notice_no"], replace="table")])
    counts = dict(frame["status"].value_counts().iter_rows()) if frame.height else {}
    missing = pairs.height - frame.height
    context.log.info(f"{frame.height} recommendations for {len(pro)} Pro companies (model version {version})")
    return MaterializeResult(
        metadata={
            "dagster/row_count": frame.height,
            "pro_companies": len(pro),
            "eligible_pairs": pairs.height,
            "rows": frame.height,
            "model_version": str(version),
            "serving_strategy": serving.strategy,
            "serving_reason": serving.reason,
            **{f"rows_{status}": int(counts.get(status, 0)) for status in (PRICED, NO_BASE, NOT_APPLICABLE)},
            "median_win_chance": float(frame["win_chance"].median() or 0) if frame.height else 0.0,
            "rows_with_chance_unknown": int(frame.filter(pl.col("status") == PRICED)["win_chance"].is_null().sum())
            if frame.height
            else 0,
            "rows_with_competitors_unknown": int(
                frame.filter(pl.col("status") == PRICED)["expected_competitors"].is_null().sum()
            )
            if frame.height
            else 0,
            "median_expected_competitors": float(frame["expected_competitors"].median() or 0) if frame.height else 0.0,
            "preview": markdown_preview(
                frame,
                [
                    "company_id",
                    "notice_no",
                    "status",
                    "recommended_amount",
                    "win_chance",
                    "expected_competitors",
                    "explanation_ko",
                ],
            ),
        },
        check_results=[
            AssetCheckResult(
                check_name="every_eligible_pro_notice_has_a_row",
                passed=missing == 0,
                metadata={"missing_pairs": missing},
            )
        ],
    )


pricing_job = define_asset_job(
    "price_bids",
    selection=AssetSelection.assets(price_training_set, price_model, bid_recommendations),
    description="Rebuild the training set, train and judge the price model (MLflow), then recommend bids.",
)
defs = Definitions(
    assets=with_source_code_references([price_training_set, price_model, bid_recommendations]),
    jobs=[pricing_job],
)
