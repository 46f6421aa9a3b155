"""Housekeeping: the Dagster instance's run history, and the verified nightly backup of PostgreSQL."""

import datetime as dt
import socket

from dagster import (
    DagsterRunStatus,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    Definitions,
    Failure,
    JobDefinition,
    OpDefinition,
    OpExecutionContext,
    RunsFilter,
    ScheduleDefinition,
    SensorEvaluationContext,
    SkipReason,
    job,
    op,
    sensor,
)

from assets.common import orphans
from assets.common.resources import BackupResource, RetentionResource, WarehouseResource
from bidradar.core.clock import TIMEZONE, today_kst
from bidradar.ops.backup import report_text
from bidradar.ops.retention import prune

RUN_RETENTION_DAYS = 90
FINISHED = [DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED]


@op(description=f"Delete finished runs (and their event logs) older than {RUN_RETENTION_DAYS} days.")
def purge_old_runs(context: OpExecutionContext) -> int:
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=RUN_RETENTION_DAYS)
    records = context.instance.get_run_records(RunsFilter(statuses=FINISHED, created_before=cutoff), limit=5000)
    for record in records:
        context.instance.delete_run(record.dagster_run.run_id)
    context.log.info(f"purged {len(records)} runs created before {cutoff:%Y-%m-%d}")
    return len(records)


def nightly(
    one_op: OpDefinition, job_name: str, description: str, cron: str, schedule_name: str | None = None
) -> tuple[JobDefinition, ScheduleDefinition]:
    """A job of one op and its schedule, on from the start, at `cron` Seoul time."""

    @job(name=job_name, description=description)
    def nightly_job() -> None:
        one_op()

    schedule = ScheduleDefinition(
        name=schedule_name,
        job=nightly_job,
        cron_schedule=cron,
        execution_timezone=TIMEZONE,
        default_status=DefaultScheduleStatus.RUNNING,
    )
    return nightly_job, schedule


purge_old_runs_job, purge_old_runs_schedule = nightly(
    purge_old_runs,
    "purge_old_runs_job",
    "Housekeeping: Dagster keeps run history forever unless told otherwise.",
    "0 3 * * *",
)


@op(
    description="pg_dump -Fc of each database in BACKUP_DATABASE_URLS (default: the warehouse), proven by a restore "
    "into a scratch database with equal row counts, rotated (BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY), reported to "
    "OPS_SLACK_CHANNEL. Fails the run when any dump fails its proof."
)
def backup_databases(context: OpExecutionContext, backups: BackupResource) -> None:
    reports = backups.run()
    for report in reports:
        summary = {key: value for key, value in report.as_dict().items() if key != "counts"}
        context.log.info(f"backup of {report.database}: {summary}")
    try:
        backups.report(report_text(reports, socket.gethostname()))
    except Exception as error:  # the dumps are done either way; the run says the report was lost
        context.log.error(f"the backup report did not reach Slack: {error}")
    failed = [r for r in reports if not r.ok]
    if failed:
        raise Failure(description="; ".join(f"{r.database}: {r.problem}" for r in failed))


backup_job, backup_schedule = nightly(
    backup_databases,
    "backup_job",
    "Nightly verified backup: dump, restore into a scratch database and count, rotate, report.",
    "0 3 * * *",
    schedule_name="backup_schedule",
)


@op(
    description="Delete what the retention settings let go (bidradar/ops/retention.py, docs/retention.md): raw G2B "
    "pages older than RAW_PAGE_RETENTION_DAYS, Gemini answers superseded for more than SUPERSEDED_RETENTION_DAYS, "
    "matches of closed notices opened more than CLOSED_MATCH_RETENTION_DAYS ago."
)
def prune_warehouse(context: OpExecutionContext, warehouse: WarehouseResource, retention: RetentionResource) -> None:
    pruned = prune(
        warehouse.engine,
        today_kst(),
        retention.raw_page_days,
        retention.superseded_days,
        retention.closed_match_days,
    )
    context.log.info(
        f"pruned {pruned.raw_pages} raw pages, {pruned.superseded_answers} superseded answers and "
        f"{pruned.closed_matches} matches of closed notices"
    )


prune_warehouse_job, prune_warehouse_schedule = nightly(
    prune_warehouse,
    "prune_warehouse_job",
    "Nightly retention: raw pages and superseded rows past their settings.",
    "30 3 * * *",
)


@sensor(
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description="Fails the runs whose process is gone (killed, out of memory) and frees their pool slots, so the "
    "next run does not wait for them (assets/common/orphans.py). The default run launcher cannot see a worker die.",
)
def release_orphaned_runs(context: SensorEvaluationContext) -> SkipReason:
    released = orphans.release_orphaned_runs(context.instance)
    return SkipReason(f"released {len(released)} run(s): {', '.join(released)}" if released else "no orphaned run")


defs = Definitions(
    jobs=[purge_old_runs_job, backup_job, prune_warehouse_job],
    schedules=[purge_old_runs_schedule, backup_schedule, prune_warehouse_schedule],
    sensors=[release_orphaned_runs],
)
