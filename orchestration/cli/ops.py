"""The operators' commands: alerts, backups, restore, and the Prometheus exporter."""

from __future__ import annotations

import socket
from pathlib import Path

import typer

from bidradar.core.settings import AlertsSettings, BackupSettings, redact_url
from orchestration.cli.common import app, fail, load, prepare_dagster_home
from orchestration.cli.data import migrate_warehouse
from orchestration.cli.runs import ALL_ALERTS, release_orphans, run_job
from orchestration.cli.supervise import stop_on_sigterm


@app.command("alerts-drain")
def alerts_drain() -> None:
    """Find the alerts due now (briefing, reminders, results) and deliver them, each once (docs/alerts.md)."""
    settings = load(AlertsSettings)
    stop_on_sigterm()
    prepare_dagster_home(settings, settings.log_level)
    migrate_warehouse(settings)
    release_orphans()
    trigger = {"bidradar/trigger": "cli-alerts-drain"}
    if not run_job("deliver_alerts", settings.log_level, trigger, "alerts", config=ALL_ALERTS):
        raise fail("deliver_alerts failed. See the messages above.", 1)
    from bidradar.alerts.outbox import Outbox
    from bidradar.core import warehouse

    for transport, status, n in Outbox(warehouse.make_engine(settings.database_url)).status_counts():
        typer.echo(f"  {transport:<6} {status:<8} {n:>6}")


@app.command()
def backup() -> None:
    """Dump PostgreSQL, prove each dump by restoring it into a scratch database, rotate, report to OPS_SLACK_CHANNEL."""
    from bidradar.ops.backup import BackupReport, post_report, report_text, run_backup

    settings = load(BackupSettings)
    stop_on_sigterm()
    reports: list[BackupReport] = []
    for url in settings.databases_to_back_up:
        typer.echo(f"backing up {redact_url(url)} into {settings.backup_dir}")
        report = run_backup(url, settings.backup_dir, settings.backup_keep_daily, settings.backup_keep_weekly)
        reports.append(report)
    text = report_text(reports, socket.gethostname())
    typer.echo(text)
    try:
        posted = post_report(text, settings.slack_bot_token, settings.ops_slack_channel, settings.slack_api_url)
    except Exception as error:  # the backup itself is done; say that the report did not reach Slack
        typer.secho(f"the report did not reach Slack: {str(error).splitlines()[0]}", err=True, fg="red")
        posted = False
    if posted:
        typer.echo(f"reported to {settings.ops_slack_channel}")
    if not all(r.ok for r in reports):
        raise fail("a backup failed (see above); the previous verified backups are untouched", 1)


@app.command()
def restore(
    dump: Path = typer.Argument(None, metavar="[DUMP]", help="a .dump file; default: the newest verified one"),
    yes: bool = typer.Option(False, "--yes", help="do not ask before replacing the database's tables"),
) -> None:
    """Restore a verified dump into a new database, verify counts and checksums, then switch it in for DATABASE_URL's."""
    from bidradar.ops.backup import BackupError, database_name, latest_backup
    from bidradar.ops.backup import restore as restore_dump

    settings = load(BackupSettings)
    url = settings.database_url
    if not url.startswith("postgres"):
        raise fail("restore needs PostgreSQL: DATABASE_URL is not a postgresql:// URL")
    if dump is None:
        newest = latest_backup(settings.backup_dir, database_name(url))
        if newest is None:
            raise fail(f"no verified dump of {database_name(url)} in BACKUP_DIR ({settings.backup_dir})")
        dump = newest.path
    if not yes and not typer.confirm(f"replace the tables of {redact_url(url)} with {dump.name}?"):
        raise fail("not restored", 1)
    try:
        report = restore_dump(dump, url)
    except BackupError as error:
        raise fail(str(error), 1) from None
    rows = sum(report.counts.values())
    typer.echo(
        f"restored {dump.name} into {redact_url(url)}: {len(report.counts)} tables, {rows:,} rows, as in the dump "
        f"(counts and checksums); the previous database is kept as {report.previous_database} (DROP DATABASE it "
        "once satisfied)"
    )


@app.command("ops-metrics")
def ops_metrics(
    port: int = typer.Option(None, metavar="PORT", help="port to listen on; default OPS_METRICS_PORT (9108)"),
    host: str = typer.Option("127.0.0.1", metavar="HOST", help="address to bind (0.0.0.0 in a container)"),
) -> None:
    """Serve Prometheus metrics of runs, partitions, backups and disk space on /metrics until Ctrl+C."""
    from dagster import DagsterInstance

    from bidradar.ops.metrics import make_server
    from orchestration.ops_metrics import collectors

    settings = load(BackupSettings)
    stop_on_sigterm()
    prepare_dagster_home(settings, settings.log_level)
    instance = DagsterInstance.get()
    server = make_server(collectors(settings, instance), host, port or settings.ops_metrics_port)
    typer.echo(f"ops metrics on http://{host}:{server.server_address[1]}/metrics")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped")
    finally:
        server.server_close()
