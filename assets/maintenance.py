"""Housekeeping of the Dagster instance itself."""

import datetime as dt

from dagster import (
    DagsterRunStatus,
    DefaultScheduleStatus,
    Definitions,
    OpExecutionContext,
    RunsFilter,
    ScheduleDefinition,
    job,
    op,
)

from bidradar.core.clock import TIMEZONE

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


@job(description="Housekeeping: Dagster keeps run history forever unless told otherwise.")
def purge_old_runs_job() -> None:
    purge_old_runs()


purge_old_runs_schedule = ScheduleDefinition(
    job=purge_old_runs_job,
    cron_schedule="0 3 * * *",
    execution_timezone=TIMEZONE,
    default_status=DefaultScheduleStatus.RUNNING,
)


defs = Definitions(jobs=[purge_old_runs_job], schedules=[purge_old_runs_schedule])
