"""Work follows the data: which assets the automation sensor asks for after which change, and freshness checks that
fail when a partition is late. Evaluated by Dagster itself on a real (ephemeral) instance."""

from __future__ import annotations

import datetime as dt

import pytest
from dagster import (
    AssetKey,
    AssetMaterialization,
    AssetObservation,
    AssetSelection,
    DagsterInstance,
    Definitions,
    build_sensor_context,
    define_asset_job,
    evaluate_automation_conditions,
)

from assets import ingestion
from assets.common.resources import G2BResource, WarehouseResource
from bidradar.core.clock import KST, now_kst, today_kst


def _updated(instance: DagsterInstance, asset: str, partition: str | None = None) -> None:
    instance.report_runless_asset_event(AssetMaterialization(asset, partition=partition))


def _requested(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {key.to_user_string() for key in _keys(result) if result.get_num_requested(key) > 0}


def _ran(instance: DagsterInstance, result):  # type: ignore[no-untyped-def]
    """What the sensor asked for, materialized in dependency order (as its run would), and the sensor's next tick."""
    from orchestration.definitions import defs

    for name in [n for n in ALL if n in _requested(result)]:
        _updated(instance, name)
    return evaluate_automation_conditions(
        defs=defs, instance=instance, asset_selection=AssetSelection.assets(*ALL[1:]), cursor=result.cursor
    )


def _keys(result):  # type: ignore[no-untyped-def]
    return {AssetKey(name) for name in ALL}


ALL = [
    "company_profile_files",
    "company_profiles",
    "hard_matches",
    "soft_matches",
    "match_analyses",
    "price_training_set",
    "price_model",
    "bid_recommendations",
    "alert_outbox",
    "alert_deliveries",
]


def test_each_asset_runs_after_what_it_reads_changed() -> None:
    from orchestration.definitions import defs

    day = today_kst().isoformat()
    with DagsterInstance.ephemeral() as instance:
        selection = AssetSelection.assets(*ALL[1:])
        tick = evaluate_automation_conditions(defs=defs, instance=instance, asset_selection=selection)
        assert _requested(tick) == set(), "nothing changed: nothing runs"

        # New notices: the matches follow, and what reads them after them in the same run (Dagster orders the
        # steps by their dependencies); not the training set, the model or the profiles, which do not read them.
        for asset in ("bid_notices", "notice_license_limits", "notice_region_limits", "notice_base_amounts"):
            _updated(instance, asset, day)
        tick = evaluate_automation_conditions(
            defs=defs, instance=instance, asset_selection=selection, cursor=tick.cursor
        )
        chain = {"hard_matches", "soft_matches", "match_analyses", "bid_recommendations", "alert_outbox"}
        assert chain <= _requested(tick)
        assert not {"price_training_set", "price_model", "company_profiles"} & _requested(tick)
        tick = _ran(instance, tick)
        tick = evaluate_automation_conditions(
            defs=defs, instance=instance, asset_selection=selection, cursor=tick.cursor
        )
        assert _requested(tick) == set(), "handled once: not asked again while nothing new arrived"

        # New matches (say, a manual run): analyses and recommendations follow, then the alerts.
        _updated(instance, "hard_matches")
        _updated(instance, "soft_matches")
        tick = evaluate_automation_conditions(
            defs=defs, instance=instance, asset_selection=selection, cursor=tick.cursor
        )
        assert {"match_analyses", "bid_recommendations", "alert_outbox"} <= _requested(tick)
        assert "hard_matches" not in _requested(tick)
        tick = _ran(instance, tick)

        _updated(instance, "alert_outbox")
        tick = evaluate_automation_conditions(
            defs=defs, instance=instance, asset_selection=selection, cursor=tick.cursor
        )
        assert _requested(tick) == {"alert_deliveries"}
        tick = _ran(instance, tick)

        # New outcomes (results): the training set grows; a changed profile folder: the profiles are reloaded.
        _updated(instance, "bid_outcomes", day)
        instance.report_runless_asset_event(
            AssetObservation("company_profile_files", tags={"dagster/data_version": "changed"})
        )
        tick = evaluate_automation_conditions(
            defs=defs, instance=instance, asset_selection=selection, cursor=tick.cursor
        )
        assert {"price_training_set", "company_profiles"} <= _requested(tick)
        # The profiles' chain follows (matches for the edited company, and on); the model waits for its daily start.
        assert "hard_matches" in _requested(tick) and "price_model" not in _requested(tick)


def _freshness(instance: DagsterInstance) -> dict[str, bool]:
    checks = ingestion.freshness_checks
    job = define_asset_job("freshness", selection=AssetSelection.checks(*checks))
    defs = Definitions(
        assets=ingestion.defs.assets,
        asset_checks=checks,
        jobs=[job],
        resources={"g2b": G2BResource(), "warehouse": WarehouseResource(database_url="sqlite:///:memory:")},
    )
    result = defs.resolve_job_def("freshness").execute_in_process(instance=instance, raise_on_error=False)
    return {e.asset_key.to_user_string(): e.passed for e in result.get_asset_check_evaluations()}


@pytest.mark.parametrize(
    ("now", "required"),
    [
        (dt.datetime(2026, 12, 7, 7, 59, tzinfo=KST), dt.date(2026, 12, 5)),  # yesterday's deadline still rules
        (dt.datetime(2026, 12, 7, 8, 0, tzinfo=KST), dt.date(2026, 12, 6)),  # today's: yesterday must be in
        (dt.datetime(2026, 12, 6, 23, 5, tzinfo=dt.UTC), dt.date(2026, 12, 6)),  # 08:05 KST, as CI met it
        (dt.datetime(2026, 12, 7, 23, 59, tzinfo=KST), dt.date(2026, 12, 6)),
        # naive, as now_kst() gives it: Korean time whatever the machine's zone (the check failed from 23:00 KST on)
        (dt.datetime(2026, 12, 7, 23, 30), dt.date(2026, 12, 6)),
        (dt.datetime(2026, 12, 7, 3, 0), dt.date(2026, 12, 5)),
    ],
)
def test_the_freshness_deadline_asks_for_yesterday_from_8_in_seoul(now: dt.datetime, required: dt.date) -> None:
    # Dagster's time-partition builder asked for today's partition after 08:00 (end_offset=1): results failed daily.
    assert ingestion.required_partition(now) == required


def test_the_freshness_check_fails_when_results_are_late_and_passes_once_they_arrive() -> None:
    today = today_kst()
    # Before 08:00 in Seoul the deadline is yesterday's: the day before yesterday must be in. Both days cover both.
    days = [(today - dt.timedelta(days=n)).isoformat() for n in (1, 2)]
    with DagsterInstance.ephemeral() as instance:
        for day in days:
            _updated(instance, "bid_notices", day)
        verdict = _freshness(instance)
        assert verdict == {"bid_notices": True, "bid_openings": False}, verdict  # results are late
        for day in days:
            _updated(instance, "bid_openings", day)
        assert _freshness(instance) == {"bid_notices": True, "bid_openings": True}


def test_the_freshness_sensor_runs_the_checks_only_when_what_is_late_changes() -> None:
    with DagsterInstance.ephemeral() as instance:
        day = ingestion.required_partition(now_kst()).isoformat()
        first = ingestion.freshness_sensor(build_sensor_context(instance=instance))
        assert first.run_key == f"freshness-{day}-bid_notices-bid_openings"
        _updated(instance, "bid_notices", day)
        assert ingestion.freshness_sensor(build_sensor_context(instance=instance)).run_key == (
            f"freshness-{day}-bid_openings"
        )
        _updated(instance, "bid_openings", day)
        assert ingestion.freshness_sensor(build_sensor_context(instance=instance)).run_key == f"freshness-{day}-all-in"
