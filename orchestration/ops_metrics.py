"""The Dagster half of `bidradar ops-metrics`: runs, daemon heartbeats and the newest materialized partitions, read
through the Dagster instance (DAGSTER_HOME: PostgreSQL in production), plus the collectors of bidradar/ops/metrics.py.

Metric names (deploy/prometheus/alerts.yml and the Grafana dashboard use exactly these):
  bidradar_dagster_runs{job,status}                            runs finished in the last 24 hours
  bidradar_dagster_last_run_timestamp_seconds{job,status}     end of the newest SUCCESS / FAILURE run per job
  bidradar_dagster_oldest_started_run_age_seconds             age of the oldest run still STARTED (0: none)
  bidradar_dagster_daemon_heartbeat_age_seconds{daemon}       seconds since each daemon's last heartbeat
  bidradar_partition_newest_age_days{asset}                   today (Seoul) minus the newest materialized partition
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from dagster import AssetKey, DagsterInstance, DagsterRunStatus, RunsFilter

from bidradar.core.clock import today_kst
from bidradar.core.settings import BackupSettings
from bidradar.ops.backup import database_name
from bidradar.ops.metrics import Collector, Metric, backup_metrics, disk_metrics, warehouse_metrics

# The daily-partitioned assets whose freshness matters: new notices hourly, results daily (bid_openings: the asset
# the results crawl writes; bid_results is a view, never materialized, so it could never look fresh or stale).
WATCHED_ASSETS = ("bid_notices", "bid_openings")
FINISHED = (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED)


def run_metrics(instance: DagsterInstance) -> list[Metric]:
    runs = Metric("bidradar_dagster_runs", "runs finished in the last 24 hours, by job and status")
    last = Metric("bidradar_dagster_last_run_timestamp_seconds", "end of the newest run per job and status")
    since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=24)
    counts: dict[tuple[str, str], int] = {}
    for record in instance.get_run_records(RunsFilter(statuses=list(FINISHED), updated_after=since), limit=5000):
        key = (record.dagster_run.job_name, record.dagster_run.status.value)
        counts[key] = counts.get(key, 0) + 1
    for (job, status), count in sorted(counts.items()):
        runs.add(count, job=job, status=status)
    for status in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE):
        newest: dict[str, float] = {}
        for record in instance.get_run_records(RunsFilter(statuses=[status]), limit=500):
            job = record.dagster_run.job_name
            ended = record.end_time or record.update_timestamp.timestamp()
            newest[job] = max(newest.get(job, 0.0), ended)
        for job, ended in sorted(newest.items()):
            last.add(ended, job=job, status=status.value)
    started = instance.get_run_records(RunsFilter(statuses=[DagsterRunStatus.STARTED]), limit=100)
    oldest = min((r.start_time or r.create_timestamp.timestamp() for r in started), default=None)
    stuck = Metric("bidradar_dagster_oldest_started_run_age_seconds", "age of the oldest run still STARTED (0: none)")
    stuck.add(time.time() - oldest if oldest else 0)
    return [runs, last, stuck]


def heartbeat_metrics(instance: DagsterInstance) -> list[Metric]:
    age = Metric("bidradar_dagster_daemon_heartbeat_age_seconds", "seconds since each daemon's last heartbeat")
    now = time.time()
    for daemon, heartbeat in sorted(instance.get_daemon_heartbeats().items()):
        age.add(now - heartbeat.timestamp, daemon=daemon)
    return [age]


def partition_metrics(instance: DagsterInstance) -> list[Metric]:
    age = Metric("bidradar_partition_newest_age_days", "today (Asia/Seoul) minus the newest materialized partition")
    today = today_kst()
    for asset in WATCHED_ASSETS:
        keys = instance.get_materialized_partitions(AssetKey(asset))
        if keys:
            age.add((today - max(dt.date.fromisoformat(k) for k in keys)).days, asset=asset)
    return [age]


def collectors(settings: BackupSettings, instance: DagsterInstance | None) -> dict[str, Collector]:
    from bidradar.core import warehouse

    engine = warehouse.make_engine(settings.database_url)
    databases = [database_name(url) for url in settings.databases_to_back_up if url.startswith("postgres")]
    disks = [settings.backup_dir, settings.dagster_home, Path("/")]
    found: dict[str, Collector] = {
        "backups": lambda: backup_metrics(settings.backup_dir, databases),
        "disk": lambda: disk_metrics(disks),
        "warehouse": lambda: warehouse_metrics(engine),
    }
    if instance is not None:
        found["runs"] = lambda: run_metrics(instance)
        found["daemons"] = lambda: heartbeat_metrics(instance)
        found["partitions"] = lambda: partition_metrics(instance)
    return found
