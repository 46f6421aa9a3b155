"""Running Dagster jobs from the command line: in this process, recorded in the instance (the UI shows them), after
releasing the runs an earlier, killed command left behind."""

from __future__ import annotations

import datetime as dt

import typer

from bidradar.core.settings import PipelineSettings
from orchestration.cli.common import fail


def release_orphans() -> None:
    """Fail the runs of this host whose process is gone (a `kill -9`, a lost container) and free their pool slots."""
    from dagster import DagsterInstance

    from assets.common.orphans import release_orphaned_runs

    released = release_orphaned_runs(DagsterInstance.get())
    if released:
        typer.echo(f"released {len(released)} run(s) left by a process that is gone: {', '.join(released)}")


# The alerts the CLI looks for: every kind (the automation sensor's runs leave the briefing to its 08:00 schedule).
ALL_ALERTS = {"ops": {"alert_outbox": {"config": {"kinds": ["briefing", "reminder", "result"]}}}}


def run_job(
    job_name: str, log_level: str, tags: dict[str, str], location: str = "pipeline", config: dict | None = None
) -> bool:
    """Run one job in this process. `location`: "pipeline" (every asset) or "alerts" (the alerts deployable)."""
    from dagster import DagsterInstance

    from assets.common.orphans import process_tags

    if location == "alerts":
        from orchestration.alerts_definitions import defs
    else:
        from orchestration.definitions import defs

    # Dagster's console logger prints stack traces with failures: people get our one-line message instead
    # (the run's full log stays in the Dagster UI), unless LOG_LEVEL=DEBUG asks for everything.
    dagster_level = "DEBUG" if log_level == "DEBUG" else "CRITICAL"
    result = defs.resolve_job_def(job_name).execute_in_process(
        instance=DagsterInstance.get(),
        run_config={"loggers": {"console": {"config": {"log_level": dagster_level}}}, **(config or {})},
        tags={**tags, **process_tags()},
        raise_on_error=False,
    )
    if not result.success:
        for event in result.all_events:
            if event.is_step_failure and event.step_failure_data:
                typer.secho(f"{job_name}: {failure_message(event.step_failure_data.error)}", err=True, fg="red")
            evaluation = event.event_specific_data if event.event_type_value == "ASSET_CHECK_EVALUATION" else None
            if evaluation is not None and not evaluation.passed:  # what Dagster's "N checks failed" leaves out
                typer.secho(f"{job_name}: {failed_check_message(evaluation)}", err=True, fg="red")
    return result.success


def failed_check_message(evaluation) -> str:  # type: ignore[no-untyped-def]
    """One failed asset check in one line: asset, check, its description and what it found."""
    found = ", ".join(f"{k}={getattr(v, 'value', v)}" for k, v in (evaluation.metadata or {}).items())
    what = " ".join(part for part in (evaluation.description, found) if part)
    return f"{evaluation.asset_key.to_user_string()}: check {evaluation.check_name} failed" + (
        f": {what}" if what else ""
    )


def failure_message(error) -> str:  # type: ignore[no-untyped-def]
    """What went wrong, in one line: the cause under Dagster's step wrapper, without Dagster's class names."""
    while error.cls_name == "DagsterExecutionStepExecutionError" and error.cause is not None:
        error = error.cause
    message = error.message.strip()
    if message.startswith(("dagster.", "bidradar.")) and ": " in message:  # "dagster...Failure: <what happened>"
        message = message.split(": ", 1)[1]
    if message.endswith(":") or "blocking asset check" in message:  # Dagster's list of failed checks: keep it all
        return " ".join(line.strip() for line in message.splitlines())
    return message.splitlines()[0] if message else error.cls_name


def day_chunks(first: dt.date, last: dt.date, size: int) -> list[tuple[dt.date, dt.date]]:
    """[first, last] cut into runs of at most `size` days, as the ingestion BackfillPolicy does."""
    chunks, start = [], first
    while start <= last:
        end = min(last, start + dt.timedelta(days=size - 1))
        chunks.append((start, end))
        start = end + dt.timedelta(days=1)
    return chunks


def build_days(settings: PipelineSettings, first: dt.date, last: dt.date, trigger: str) -> None:
    """Materialize notices, then results, for [first, last] in runs of at most 10 days, then the bidder lists
    those runs deferred, while the day's budget lasts."""
    log_level = settings.log_level
    from assets.common.partitions import ingestion_backfill_policy

    size = ingestion_backfill_policy.max_partitions_per_run or 10
    for job_name in ("ingest_notices", "ingest_results"):
        for start, end in day_chunks(first, last, size):
            typer.echo(f"{job_name}: {start} .. {end}")
            tags = {
                "dagster/asset_partition_range_start": start.isoformat(),
                "dagster/asset_partition_range_end": end.isoformat(),
                "bidradar/trigger": trigger,
            }
            if not run_job(job_name, log_level, tags):
                raise fail(
                    f"{job_name} failed for {start} .. {end}; earlier days are saved. See the messages above.", 1
                )
    resume_bidder_lists(settings, first, last, trigger)


def resume_bidder_lists(settings: PipelineSettings, first: dt.date, last: dt.date, trigger: str) -> None:
    """Fetch, with the day's budget left, the bidder lists a run of several days deferred. Such a run keeps the lists
    of openings whose notice it does not hold for its last day (crawl.BidderPlan.defer_unnoticed), and that day
    fetches only its own openings: a span ending on a day without openings (today, a Sunday) fetched none (a 3-day
    demo: 0 lists). A day at a time, oldest first, as the bidder_lists_resume schedule does each morning."""
    from bidradar.core import warehouse
    from bidradar.ingestion import crawl, readers
    from bidradar.ingestion.ledger import CallLedger

    engine = warehouse.make_engine(settings.database_url)
    try:
        ledger = CallLedger(engine, settings.g2b_daily_call_budget)
        days = readers.days_missing_bidder_lists(engine, first, last + dt.timedelta(days=1), (last - first).days + 1)
        for day in days:
            if ledger.remaining(crawl.BIDDERS_OP) == 0:
                typer.echo(f"bidder lists: today's {crawl.BIDDERS_OP} budget is spent; bidder_lists_resume goes on")
                return
            typer.echo(f"ingest_results: {day} again, for the bidder lists deferred with budget left")
            tags = {"dagster/partition": day.isoformat(), "bidradar/trigger": trigger}
            if not run_job("ingest_results", settings.log_level, tags):
                raise fail(f"ingest_results failed for {day}; earlier days are saved. See the messages above.", 1)
    finally:
        engine.dispose()
