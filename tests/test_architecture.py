"""The shape of the code location: the import direction (import-linter) and a snapshot of the definitions.

The snapshot makes a renamed asset, a dropped dependency, a changed partitioning, a lost check, job or schedule
fail a test, so such a change is always deliberate. After a deliberate change, rewrite it with
`BIDRADAR_UPDATE_SNAPSHOT=1 ./bidradar.sh test tests/test_architecture.py` and review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT = REPO / "tests" / "snapshots" / "definitions.json"


def test_imports_follow_the_layers_of_the_architecture() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def _partitions(definition) -> str | None:  # type: ignore[no-untyped-def]
    if definition is None:
        return None
    return f"{type(definition).__name__}({getattr(definition, 'timezone', '')})"


def definitions_shape() -> dict:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "deps": sorted(k.to_user_string() for k in node.parent_keys),
            "partitions": _partitions(node.partitions_def),
            "group": node.group_name,
            "observable": node.is_observable,
            "checks": sorted(c.name for c in node.check_keys),
            "backfill_policy": str(node.backfill_policy) if node.backfill_policy else None,
            "automation": node.automation_condition.get_label() if node.automation_condition else None,
        }
    jobs = {}
    for job in sorted(defs.resolve_all_job_defs(), key=lambda j: j.name):
        if job.name.startswith("__"):
            continue
        jobs[job.name] = sorted(k.to_user_string() for k in job.asset_layer.executable_asset_keys) or [
            node.name for node in job.nodes_in_topological_order
        ]
    schedules = {
        s.name: {"job": s.job_name, "cron": s.cron_schedule, "timezone": s.execution_timezone}
        for s in sorted(defs.schedules or [], key=lambda s: s.name)
    }
    sensors = {
        s.name: sorted(t.job_name for t in s.targets) if s.has_jobs else []
        for s in sorted(defs.sensors or [], key=lambda s: s.name)
    }
    return {
        "assets": assets,
        "jobs": jobs,
        "schedules": schedules,
        "sensors": sensors,
        "resources": sorted(defs.resources or {}),
    }


def test_definitions_match_the_snapshot() -> None:
    shape = definitions_shape()
    text = json.dumps(shape, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("BIDRADAR_UPDATE_SNAPSHOT") == "1":
        SNAPSHOT.write_text(text, encoding="utf-8")
    # A missing snapshot is a failure, never a new one written by the check itself.
    assert SNAPSHOT.exists(), f"{SNAPSHOT} is missing: write it with BIDRADAR_UPDATE_SNAPSHOT=1 and review it"
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert shape == expected, (
        "the Dagster definitions changed; if deliberate, rewrite tests/snapshots/definitions.json with "
        "BIDRADAR_UPDATE_SNAPSHOT=1 and review the diff"
    )


def test_every_dependency_is_a_real_asset_not_a_view() -> None:
    """A dependency on something no asset writes (a view such as bid_results) is a phantom: it never updates, so
    automation and staleness can never follow it."""
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        for parent in graph.get(key).parent_keys:
            node = graph.get(parent)
            assert node.is_materializable or node.is_observable, (
                f"{key.to_user_string()} depends on {parent.to_user_string()}, which nothing writes"
            )


def test_no_clock_offset_chain_only_the_crawls_and_the_times_people_expect() -> None:
    """Schedules start the crawls (G2B cannot say when it published), the 08:00 briefing, the 09:00 reminders and
    the 03:00 housekeeping; everything else runs when its inputs change."""
    shape = definitions_shape()
    assert set(shape["schedules"]) == {
        "notices_today_hourly",
        "notices_closed_days_morning",
        "results_daily",
        "bidder_lists_resume",  # a crawl too: re-crawls result days whose bidder lists the quota deferred
        "alerts_morning_briefing",
        "alerts_daily_reminders",
        "backup_schedule",
        "purge_old_runs_job_schedule",
        "prune_warehouse_job_schedule",
    }
    for name in ("hard_matches", "soft_matches", "match_analyses", "bid_recommendations", "alert_outbox"):
        assert shape["assets"][name]["automation"] == "after its inputs change", name
    assert "follow_the_data" in shape["sensors"]


def test_the_snapshot_sees_a_dropped_dependency() -> None:
    shape = definitions_shape()
    assert shape["assets"]["soft_matches"]["deps"], "the snapshot must record dependencies"
    assert "daily" in (shape["assets"]["bid_notices"]["partitions"] or "").lower()
