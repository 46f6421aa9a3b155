"""Alerts: the outbox of what is due per company, its delivery (Slack, e-mail), the schedules (the 08:00 briefing on
Korean working days, reminders hourly 09–18) and the operators' alert of a failed run. See docs/alerts.md."""

import datetime as dt

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetSelection,
    Config,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    Definitions,
    MaterializeResult,
    MetadataValue,
    RunFailureSensorContext,
    RunRequest,
    ScheduleEvaluationContext,
    SkipReason,
    asset,
    define_asset_job,
    run_failure_sensor,
    schedule,
    with_source_code_references,
)
from pydantic import Field

from assets.common.automation import after_inputs_change
from assets.common.resources import AlertsResource, WarehouseResource
from assets.metadata import markdown_preview
from bidradar.alerts import calendar, ops, select, store
from bidradar.alerts.deliver import Drainer
from bidradar.alerts.outbox import DrainerBusy
from bidradar.core.clock import KST, TIMEZONE, now_kst
from bidradar.matching.store import read_valid_profiles

OWNERS = ["team:data-platform"]
GROUP = "alerts"
BRIEFING_TIME = dt.time(8, 0)  # KST, the morning briefing's schedule


class OutboxConfig(Config):
    # Without config (the automation sensor's runs) only reminders and results: the briefing goes out at 08:00, when
    # its schedule asks for every kind, never with each change of the matches.
    kinds: list[str] = Field(
        default=["reminder", "result"], description="which alerts to look for: briefing, reminder, result"
    )
    today: str = Field(
        default="", description="the KST day the alerts are for (YYYY-MM-DD), as at 08:00 that day; empty means now"
    )


@asset(
    # bid_outcomes, the asset behind the bid_results view the results are read through.
    deps=["soft_matches", "hard_matches", "company_profiles", "match_analyses", "bid_recommendations", "bid_outcomes"],
    automation_condition=after_inputs_change(),
    pool="warehouse_writer",
    group_name=GROUP,
    owners=OWNERS,
    kinds={"polars", "sql"},
    description="What is due per company, one row per alert and transport with a stable key: the morning briefing "
    "(eligible matches no earlier briefing showed; Free: top 5, Pro: all with the recommended bid and the AI summary), "
    "D-3 and D-1 reminders of the notices shown, and results of shown notices once opened. Insert-only: a key "
    "already in the outbox is never made again.",
)
def alert_outbox(
    context: AssetExecutionContext, config: OutboxConfig, warehouse: WarehouseResource, alerts: AlertsResource
) -> MaterializeResult:
    unknown = set(config.kinds) - set(select.KINDS)
    if unknown:
        raise ValueError(f"unknown alert kinds {sorted(unknown)}; use {list(select.KINDS)}")
    # A day asked for is read as at its briefing (08:00): "still open" is by the close time, not the day.
    as_of = dt.datetime.combine(dt.date.fromisoformat(config.today), BRIEFING_TIME) if config.today else now_kst()
    today = as_of.date()
    engine = warehouse.engine
    companies = store.companies_frame(read_valid_profiles(engine))
    due = select.select_due(
        store.read_candidates(engine),
        companies,
        store.read_shown(engine),
        store.read_outcomes(engine),
        as_of,
        kinds=config.kinds,
    )
    rows = select.outbox_rows(due, companies, email_enabled=alerts.email_enabled)
    written, items = store.write_new(engine, due, rows, now_kst())
    by_kind = {k: int(n) for k, n in rows.group_by("kind").len().iter_rows()} if rows.height else {}
    context.log.info(f"alerts due {today}: {rows.height} (new {written}) for {companies.height} companies")
    return MaterializeResult(
        metadata={
            "dagster/row_count": written,
            "today": today.isoformat(),
            "kinds": ", ".join(config.kinds),
            "due": rows.height,
            "new_rows": written,
            "new_items": items,
            "by_kind": str(by_kind),
            "preview": markdown_preview(rows, ["alert_key", "transport", "destination", "plan"], rows=10),
        }
    )


@asset(
    deps=[alert_outbox],
    automation_condition=after_inputs_change(),
    group_name=GROUP,
    owners=OWNERS,
    kinds={"slack", "email"},
    description="Delivery of the outbox, each alert once: claimed before sending, confirmed after; after a crash or "
    "an ambiguous failure the message is looked up by its metadata before it is sent again. One drainer at a time; "
    "companies side by side, so one company's failure never holds back another's.",
    check_specs=[
        AssetCheckSpec(
            "no_failed_alerts",
            asset="alert_deliveries",
            description="no alert failed for good (bad channel, bot not invited, bad token)",
        )
    ],
)
def alert_deliveries(
    context: AssetExecutionContext, warehouse: WarehouseResource, alerts: AlertsResource
) -> MaterializeResult:
    slack, mail = alerts.slack_transport(), alerts.mail_transport()
    if slack is None:
        context.log.warning("SLACK_BOT_TOKEN is empty: Slack alerts stay in the outbox until it is set")
    drainer = Drainer(warehouse.engine, alerts.dashboard, slack=slack, mail=mail)
    try:
        report = drainer.drain()
    except DrainerBusy:
        context.log.info("another drainer is running; it sends what is due")
        return MaterializeResult(
            metadata={"skipped": "another drainer held the lock"},
            check_results=[AssetCheckResult(check_name="no_failed_alerts", passed=True)],
        )
    failures = "\n".join(f"- `{key}` ({transport}): {reason}" for key, transport, reason in report.failures)
    context.log.info(
        f"alerts: sent {report.sent}, recovered {report.recovered}, retry {report.retried}, "
        f"unsure {report.unsure}, failed {report.failed}"
    )
    return MaterializeResult(
        metadata={
            "sent": report.sent,
            "recovered_by_lookup": report.recovered,
            "retry_later": report.retried,
            "unsure_looked_up_next_run": report.unsure,
            "failed": report.failed,
            "failures": MetadataValue.md(failures or "_none_"),
        },
        check_results=[
            AssetCheckResult(
                check_name="no_failed_alerts",
                passed=report.failed == 0,
                severity=AssetCheckSeverity.WARN,
                metadata={"failures": MetadataValue.md(failures or "_none_")},
            )
        ],
    )


alerts_job = define_asset_job(
    "deliver_alerts",
    selection=AssetSelection.assets(alert_outbox, alert_deliveries),
    description="Find what is due (briefing, reminders, results) and deliver it, each alert once.",
)


def _run_config(kinds: list[str], today: dt.date) -> dict:
    return {"ops": {"alert_outbox": {"config": {"kinds": kinds, "today": today.isoformat()}}}}


@schedule(
    job=alerts_job,
    cron_schedule=f"{BRIEFING_TIME.minute} {BRIEFING_TIME.hour} * * 1-5",
    execution_timezone=TIMEZONE,
    default_status=DefaultScheduleStatus.RUNNING,
    description="The morning briefing at 08:00 Asia/Seoul on working days: Korean public holidays (substitute "
    "holidays included) are skipped.",
)
def alerts_morning_briefing(context: ScheduleEvaluationContext):
    day = context.scheduled_execution_time.astimezone(KST).date()
    holiday = calendar.holiday_name(day)
    if not calendar.is_working_day(day):
        return SkipReason(f"{day} is not a working day ({holiday or 'weekend'}): no briefing")
    return RunRequest(run_key=f"briefing-{day}", run_config=_run_config(list(select.KINDS), day))


@schedule(
    job=alerts_job,
    cron_schedule="0 9 * * *",
    execution_timezone=TIMEZONE,
    default_status=DefaultScheduleStatus.RUNNING,
    description="The D-3 and D-1 reminders of the day at 09:00, weekends included (on working days they usually went "
    "out already, with the first matches of the morning: each alert goes out once).",
)
def alerts_daily_reminders(context: ScheduleEvaluationContext):
    when = context.scheduled_execution_time.astimezone(KST)
    return RunRequest(run_key=f"reminders-{when:%Y%m%d}", run_config=_run_config(["reminder", "result"], when.date()))


@run_failure_sensor(
    name="ops_alert_on_run_failure",
    default_status=DefaultSensorStatus.RUNNING,
    description="Posts every failed run (job, failed steps, first line of the error) to OPS_SLACK_CHANNEL.",
)
def ops_alert_on_run_failure(context: RunFailureSensorContext, alerts: AlertsResource) -> None:
    client = alerts.ops_client()
    if client is None:
        context.log.info("OPS_SLACK_CHANNEL or SLACK_BOT_TOKEN is empty: no ops alert")
        return
    run = context.dagster_run
    steps = [event.step_key for event in context.get_step_failure_events() if event.step_key]
    error = context.failure_event.message if context.failure_event else None
    for event in context.get_step_failure_events():
        if event.step_failure_data and event.step_failure_data.error:
            cause = event.step_failure_data.error
            # The cause under Dagster's step wrapper is what a person needs to read.
            while cause.cls_name == "DagsterExecutionStepExecutionError" and cause.cause is not None:
                cause = cause.cause
            error = cause.message
            break
    message = ops.failed_run_message(run.job_name, run.run_id, error, steps)
    client.chat_postMessage(
        channel=alerts.ops_channel,
        text=message.text,
        blocks=message.blocks,
        metadata={"event_type": "bidradar_ops", "event_payload": {"run_id": run.run_id}},
    )


defs = Definitions(
    assets=with_source_code_references([alert_outbox, alert_deliveries]),
    jobs=[alerts_job],
    schedules=[alerts_morning_briefing, alerts_daily_reminders],
    sensors=[ops_alert_on_run_failure],
)
