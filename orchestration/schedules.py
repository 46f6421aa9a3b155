"""Schedules (Asia/Seoul): today's notices hourly in working hours, yesterday's once closed in the morning,
results daily. Morning runs re-read a few recent days, because G2B publishes with a delay."""

from __future__ import annotations

import datetime as dt

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, schedule

from bidradar.clock import KST
from orchestration.jobs import matching_job, notices_job, results_job

# On from the start: a deployment that crawls nothing until someone flips a switch helps nobody.
RUNNING = DefaultScheduleStatus.RUNNING
RESULTS_LOOKBACK_DAYS = 3  # results of a day keep arriving for a while after the openings
NOTICES_OVERLAP_DAYS = 2


def _days_before(context: ScheduleEvaluationContext, days: range) -> list[str]:
    today = context.scheduled_execution_time.astimezone(KST).date()
    return [(today - dt.timedelta(days=n)).isoformat() for n in days]


@schedule(
    job=notices_job,
    cron_schedule="0 8-19 * * 1-5",
    execution_timezone="Asia/Seoul",
    default_status=RUNNING,
    description="Today's notices, every hour from 08:00 to 19:00 on working days.",
)
def notices_today_hourly(context: ScheduleEvaluationContext):
    (today,) = _days_before(context, range(0, 1))
    hour = context.scheduled_execution_time.astimezone(KST).strftime("%H")
    return RunRequest(run_key=f"notices-{today}-{hour}", partition_key=today)


@schedule(
    job=notices_job,
    cron_schedule="30 6 * * *",
    execution_timezone="Asia/Seoul",
    default_status=RUNNING,
    description="Yesterday's notices once the day is closed, and the day before again (publishing is late).",
)
def notices_closed_days_morning(context: ScheduleEvaluationContext):
    for day in _days_before(context, range(1, NOTICES_OVERLAP_DAYS + 1)):
        yield RunRequest(run_key=f"notices-closed-{day}-{context.scheduled_execution_time:%Y%m%d}", partition_key=day)


@schedule(
    job=results_job,
    cron_schedule="0 7 * * *",
    execution_timezone="Asia/Seoul",
    default_status=RUNNING,
    description="Results of the last days (awards and bidders are published after the openings).",
)
def results_daily(context: ScheduleEvaluationContext):
    for day in _days_before(context, range(1, RESULTS_LOOKBACK_DAYS + 1)):
        yield RunRequest(run_key=f"results-{day}-{context.scheduled_execution_time:%Y%m%d}", partition_key=day)


@schedule(
    job=matching_job,
    cron_schedule="15 8-19 * * 1-5",
    execution_timezone="Asia/Seoul",
    default_status=RUNNING,
    description="Re-match every company after the hourly notice crawl; picks up edited profiles too.",
)
def matches_hourly(context: ScheduleEvaluationContext):
    return RunRequest(run_key=f"matches-{context.scheduled_execution_time:%Y%m%d%H}")


all_schedules = [matches_hourly, notices_today_hourly, notices_closed_days_morning, results_daily]
