"""The `bidradar` command line. Every command honours the settings (environment and `.env`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from contextlib import ExitStack
from pathlib import Path

import typer

from bidradar.core.settings import Settings, SettingsError, get_settings, redact_url

app = typer.Typer(
    help="bidradar: G2B (나라장터) notices a company may bid on, explained, and priced.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
REPO_ROOT = Path(__file__).resolve().parent.parent
# Sign-in tokens of the shipped demo profiles (profiles/*.yaml hold only their sha256). Demo data only: a real
# company's token is made with `python -c "import secrets; print(secrets.token_urlsafe(32))"` and only its hash
# goes into its profile (docs/serving.md).
DEMO_TOKENS = {
    "daesung-electric": "demo-daesung-electric-Tz4nB8sYc3Hd",
    "hanbit-soft": "demo-hanbit-soft-k7Qm2xRw9LpV",
}

EMBEDDED_INSTANCE_YAML = """\
# The embedded Dagster instance of bidradar (SQLite storage in this folder), written on first run.
# Production uses the repository's dagster.yaml (PostgreSQL) instead.
# At most two runs at once (a Raspberry Pi has four slow cores); one step at a time per pool (g2b_api: the
# crawl shares the daily quota; warehouse_writer: the writes). Runs older than 90 days are purged by
# purge_old_runs_job, ticks by the retention below.
concurrency:
  runs:
    max_concurrent_runs: 2
  pools:
    default_limit: 1
retention:
  schedule:
    purge_after_days: 90
  sensor:
    purge_after_days:
      skipped: 7
      failure: 30
      success: -1
telemetry:
  enabled: false
"""


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def load() -> Settings:
    try:
        return get_settings()
    except SettingsError as error:
        raise fail(str(error)) from None


def prepare_dagster_home(settings: Settings) -> Path:
    """Point DAGSTER_HOME at the configured folder, creating the embedded instance on first run."""
    home = settings.dagster_home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(EMBEDDED_INSTANCE_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@app.command()
def migrate() -> None:
    """Apply the warehouse migrations in sql/ (idempotent; refuses edited ones)."""
    from bidradar.core import warehouse

    settings = load()
    try:
        report = warehouse.migrate(warehouse.make_engine(settings.database_url))
    except warehouse.MigrationError as error:
        raise fail(str(error)) from None
    except Exception as error:  # connection problems: one line, naming the setting
        raise fail(
            f"cannot reach the warehouse at DATABASE_URL ({redact_url(settings.database_url)}): "
            f"{str(error).splitlines()[0]}"
        ) from None
    for name in report.applied:
        typer.echo(f"applied {name}")
    typer.echo(
        f"warehouse is up to date ({len(report.applied)} applied, {len(report.already_applied)} already applied)"
    )


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((host, port)) != 0


@app.command("g2b-sim")
def g2b_sim(
    port: int = typer.Option(8089, metavar="PORT", help="port to listen on (127.0.0.1)"),
    host: str = typer.Option("127.0.0.1", metavar="HOST", help="address to bind"),
) -> None:
    """Run the bundled G2B simulator (the real API's paths, envelopes and faults) until Ctrl+C."""
    from bidradar.ingestion.simulator import run_forever

    settings = load()
    run_forever(host, port, settings.sim_seed, settings.sim_notices_per_day, settings.g2b_service_key)


@app.command()
def mask(
    company: str = typer.Option(None, help="company id (profile file name): also mask that profile's secrets"),
    as_json: bool = typer.Option(False, "--json", help="print masked, restored and detections as JSON"),
) -> None:
    """Read text on standard input and print exactly what the LLM gateway would send."""
    from bidradar.masking import MaskingLeakError, mask_command
    from bidradar.masking.keys import MaskingKeyError, company_key, master_secret, secret_values
    from bidradar.matching.profiles import load_profiles

    settings = load()
    secrets: list[str] = []
    if company:
        loaded = load_profiles(settings.profiles_dir)
        match = next((p for p in loaded.profiles if p.company_id == company), None)
        if match is None:
            known = ", ".join(p.company_id for p in loaded.profiles) or "none"
            raise fail(f"no valid profile '{company}' in PROFILES_DIR ({settings.profiles_dir}); known: {known}")
        secrets = secret_values(match.profile)
    try:
        key = company_key(master_secret(settings), company or "_default")
    except MaskingKeyError as error:
        raise fail(str(error)) from None
    try:
        typer.echo(mask_command(sys.stdin.read(), secrets, key, as_json), nl=not as_json)
    except MaskingLeakError as error:
        raise fail(f"refused: {error}") from None


@app.command("llm-proxy")
def llm_proxy(
    port: int = typer.Option(8787, metavar="PORT", help="port to listen on"),
    host: str = typer.Option("127.0.0.1", metavar="HOST", help="address to bind (0.0.0.0 behind a load balancer)"),
) -> None:
    """Run the Claude masking proxy (Anthropic Messages API) until Ctrl+C: ANTHROPIC_BASE_URL=http://HOST:PORT claude"""
    import uvicorn

    from serving.llm_proxy import app_from_settings

    settings = load()
    if not _port_is_free(host if host != "0.0.0.0" else "127.0.0.1", port):
        raise fail(f"port {port} is in use; pick another with --port")
    try:
        proxy = app_from_settings(settings)
    except Exception as error:  # the warehouse (audit) is unreachable or not migratable: one line
        where = redact_url(settings.database_url)
        raise fail(f"cannot start the proxy's audit (LLM_PROXY_AUDIT) on DATABASE_URL ({where}): {error}") from None
    typer.echo(f"llm-proxy on http://{host}:{port} -> {settings.anthropic_upstream_url}")
    # No access log: it would add a line per call and nothing the audit rows do not already hold.
    uvicorn.run(proxy, host=host, port=port, log_level=settings.log_level.lower(), access_log=False)


def _start_bundled_simulator(settings: Settings, stack: ExitStack) -> str | None:
    """Start the simulator in this process when G2B_BASE_URL points at a free loopback port."""
    url = urllib.parse.urlsplit(settings.g2b_base_url)
    if url.hostname not in {"127.0.0.1", "localhost"} or not url.port:
        return None
    if not _port_is_free("127.0.0.1", url.port):
        typer.echo(f"using the G2B API already listening at {settings.g2b_base_url}")
        return None
    from bidradar.ingestion.simulator import G2BSimulator

    simulator = G2BSimulator(
        seed=settings.sim_seed, notices_per_day=settings.sim_notices_per_day, service_key=settings.g2b_service_key
    )
    return stack.enter_context(simulator.serve(host="127.0.0.1", port=url.port))


def run_job(job_name: str, log_level: str, tags: dict[str, str]) -> bool:
    """Run one job in this process, recorded in the Dagster instance (so the UI shows it)."""
    from dagster import DagsterInstance

    from orchestration.definitions import defs

    # Dagster's console logger prints stack traces with failures: people get our one-line message instead
    # (the run's full log stays in the Dagster UI), unless LOG_LEVEL=DEBUG asks for everything.
    dagster_level = "DEBUG" if log_level == "DEBUG" else "CRITICAL"
    result = defs.resolve_job_def(job_name).execute_in_process(
        instance=DagsterInstance.get(),
        run_config={"loggers": {"console": {"config": {"log_level": dagster_level}}}},
        tags=tags,
        raise_on_error=False,
    )
    if not result.success:
        for event in result.all_events:
            if event.is_step_failure and event.step_failure_data:
                typer.secho(f"{job_name}: {failure_message(event.step_failure_data.error)}", err=True, fg="red")
    return result.success


def failure_message(error) -> str:  # type: ignore[no-untyped-def]
    """What went wrong, in one line: the cause under Dagster's step wrapper, without Dagster's class names."""
    while error.cls_name == "DagsterExecutionStepExecutionError" and error.cause is not None:
        error = error.cause
    message = error.message.strip()
    if message.startswith("dagster.") and ": " in message:  # "dagster...Failure: <what happened>"
        message = message.split(": ", 1)[1]
    return message.splitlines()[0] if message else error.cls_name


def day_chunks(first: dt.date, last: dt.date, size: int) -> list[tuple[dt.date, dt.date]]:
    """[first, last] cut into runs of at most `size` days, as the ingestion BackfillPolicy does."""
    chunks, start = [], first
    while start <= last:
        end = min(last, start + dt.timedelta(days=size - 1))
        chunks.append((start, end))
        start = end + dt.timedelta(days=1)
    return chunks


def build_days(settings: Settings, first: dt.date, last: dt.date, trigger: str) -> None:
    """Materialize notices, then results, for [first, last] in runs of at most 10 days."""
    from orchestration.partitions import ingestion_backfill_policy

    size = ingestion_backfill_policy.max_partitions_per_run or 10
    for job_name in ("ingest_notices", "ingest_results"):
        for start, end in day_chunks(first, last, size):
            typer.echo(f"{job_name}: {start} .. {end}")
            tags = {
                "dagster/asset_partition_range_start": start.isoformat(),
                "dagster/asset_partition_range_end": end.isoformat(),
                "bidradar/trigger": trigger,
            }
            if not run_job(job_name, settings.log_level, tags):
                raise fail(
                    f"{job_name} failed for {start} .. {end}; earlier days are saved. See the messages above.", 1
                )


def _day(value: str | None) -> dt.date | None:
    """A --start/--end value: a calendar day written YYYY-MM-DD, said in our words when it is not one."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a day: write it as YYYY-MM-DD, e.g. 2026-11-20") from None


@app.command()
def backfill(
    start: str = typer.Option(..., metavar="YYYY-MM-DD", callback=_day, help="first day (Asia/Seoul)"),
    end: str = typer.Option(..., metavar="YYYY-MM-DD", callback=_day, help="last day, inclusive"),
) -> None:
    """Crawl and build a span of days (notices, then results) in runs of at most 10 days."""
    from bidradar.core.clock import today_kst

    settings = load()
    first, last = start, end  # already days (the callback parsed them)
    assert isinstance(first, dt.date) and isinstance(last, dt.date)
    if last < first:
        raise fail(f"--end {last} is before --start {first}")
    if first < settings.g2b_start_date:
        raise fail(
            f"--start {first} is before G2B_START_DATE ({settings.g2b_start_date}), the first "
            "partition: start later, or set G2B_START_DATE earlier"
        )
    if last > today_kst():
        raise fail(f"--end {last} is in the future (today in Seoul is {today_kst()})")
    prepare_dagster_home(settings)
    migrate()
    with ExitStack() as stack:
        simulator_url = _start_bundled_simulator(settings, stack)
        if simulator_url:
            typer.echo(f"crawling the bundled G2B simulator at {simulator_url}")
        started = time.monotonic()
        build_days(settings, first, last, "cli-backfill")
    typer.echo(f"backfilled {first} .. {last} in {time.monotonic() - started:.0f} s")
    _print_counts(settings)


def _whole_number(low: int, high: int, example: str):  # type: ignore[no-untyped-def]
    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise typer.BadParameter(f"'{value}' is not a whole number: use {low}..{high}, e.g. {example}") from None
        if not low <= number <= high:
            raise typer.BadParameter(f"{number} is out of range: use {low}..{high}, e.g. {example}")
        return number

    return parse


def _profile_errors(settings: Settings) -> list[str]:
    """Each invalid profile file as `file:line: field: message`; a missing PROFILES_DIR is one such line too."""
    from bidradar.matching.profiles import load_profiles, profile_paths

    folder = settings.profiles_dir
    if not folder.is_dir():
        return [f"PROFILES_DIR: {folder} is not a folder: create it, or set PROFILES_DIR to the folder of profiles"]
    if not profile_paths(folder):
        return [f"PROFILES_DIR: {folder} holds no profile (*.yaml): add one (see docs/profiles.md)"]
    return [f"{folder / str(error)}" for error in load_profiles(folder).errors]


@app.command("serve-api")
def serve_api(
    port: int = typer.Option(8000, help="port to listen on"),
    host: str = typer.Option("127.0.0.1", help="address to bind (0.0.0.0 to serve the network)"),
    workers: int = typer.Option(1, min=1, max=16, help="worker processes (each with its own connection pool)"),
) -> None:
    """Serve the read-only API and the dashboard (http://HOST:PORT/, API docs at /docs) until Ctrl+C."""
    import uvicorn

    from serving.api.db import Warehouse
    from serving.api.main import SERVER_OPTIONS, known_companies, public_token_problems

    settings = load()
    reading = redact_url(settings.serving_database_url)
    warehouse = Warehouse(settings.serving_database_url)
    known = known_companies(warehouse)
    warehouse.engine.dispose()
    problems = public_token_problems(known[1]) if known else []
    if problems:
        raise fail("the API will not start: " + " ".join(problems))
    typer.echo(f"dashboard: http://{host}:{port}/   API docs: http://{host}:{port}/docs   reading {reading}")
    uvicorn.run(
        "serving.api.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        access_log=False,
        **SERVER_OPTIONS,  # type: ignore[arg-type]
    )


@app.command()
def demo(
    days: str = typer.Option(
        "14",
        metavar="N",
        callback=_whole_number(1, 90, "--days 7"),
        help="how many days of data, ending today (Asia/Seoul), 1..90",
    ),
    serve: bool = typer.Option(
        True, help="after building the data, serve the dashboard and the Dagster UI until Ctrl+C"
    ),
    ui_port: str = typer.Option(
        "3000", metavar="PORT", callback=_whole_number(1, 65535, "--ui-port 3001"), help="port of the Dagster UI"
    ),
    api_port: str = typer.Option(
        "8000", metavar="PORT", callback=_whole_number(1, 65535, "--api-port 8001"), help="port of the dashboard"
    ),
) -> None:
    """The main job: migrate, crawl the last N days, build every asset, then serve the dashboard and Dagster UI."""
    from bidradar.core.clock import today_kst

    assert isinstance(days, int) and isinstance(ui_port, int) and isinstance(api_port, int)  # parsed by callbacks
    settings = load()
    _stop_on_sigterm()
    prepare_dagster_home(settings)
    migrate()
    last = today_kst()
    first = last - dt.timedelta(days=days - 1)
    with ExitStack() as stack:
        simulator_url = _start_bundled_simulator(settings, stack)
        source = f"the bundled G2B simulator at {simulator_url}" if simulator_url else settings.g2b_base_url
        typer.echo(f"building {first} .. {last} ({days} days) from {source} into {redact_url(settings.database_url)}")
        started = time.monotonic()
        build_days(settings, first, last, "demo")
        typer.echo(f"match_companies: profiles in {settings.profiles_dir}")
        if not run_job("match_companies", settings.log_level, {"bidradar/trigger": "demo"}):
            raise fail("match_companies failed. See the messages above.", 1)
        typer.echo(
            f"price_bids: training set, price model (MLflow at {redact_url(settings.mlflow_tracking_uri)}), "
            "recommendations"
        )
        if not run_job("price_bids", settings.log_level, {"bidradar/trigger": "demo"}):
            raise fail("price_bids failed. See the messages above.", 1)
        typer.echo("deliver_alerts: the morning briefing of each profile (Slack when SLACK_BOT_TOKEN is set)")
        if not run_job("deliver_alerts", settings.log_level, {"bidradar/trigger": "demo"}):
            raise fail("deliver_alerts failed. See the messages above.", 1)
        typer.echo(f"built in {time.monotonic() - started:.0f} s")
        _print_counts(settings)
        typer.echo(mlflow_ui_hint(settings))
        problems = _profile_errors(settings)
        for problem in problems:
            typer.secho(f"invalid profile: {problem}", err=True, fg="red")
        if not serve:
            if problems:
                raise fail(f"{len(problems)} profile problem(s) above: fix them and run again", 1)
            return
        _serve_dagster(settings, ui_port, api_port, simulator_url)


def mlflow_ui_hint(settings: Settings) -> str:
    """How to open the MLflow UI on the price model's runs and registered versions."""
    mlflow = Path(sys.executable).with_name("mlflow")
    return (
        f"MLflow UI (price model runs, registered versions):   {mlflow} ui --backend-store-uri "
        f"{redact_url(settings.mlflow_tracking_uri)} --port 5000  then http://127.0.0.1:5000"
    )


@app.command("pricing-report")
def pricing_report(
    output: Path = typer.Option(Path("docs/pricing.md"), help="where to write the report (Markdown)"),
    noise_sample: int = typer.Option(300, min=0, help="held-out openings whose noise floor is simulated"),
) -> None:
    """Backtest the price model on the warehouse's openings and write the honest report (docs/pricing.md)."""
    from bidradar.core import warehouse
    from bidradar.core.clock import now_kst
    from ml.pricing import evaluate, features, report, store

    settings = load()
    engine = warehouse.make_engine(settings.database_url)
    try:
        raw = store.read_raw_openings(engine)
        positions = store.read_positions(engine)
        coverage = store.read_coverage(engine)
    except Exception as error:  # no warehouse or not migrated: one line
        raise fail(
            f"cannot read openings from DATABASE_URL ({redact_url(settings.database_url)}): "
            f"{str(error).splitlines()[0]}. Run `bidradar migrate` and a backfill first."
        ) from None
    training = features.build_training_set(raw)
    if training.height < 300:
        raise fail(
            f"{training.height} openings with a 사정률 in the warehouse: too few for a backtest (300 at least). "
            "Backfill more days of results first."
        )
    split = evaluate.split_time(training)
    noise = _simulator_noise_floor(settings, training.filter(training["cutoff_at"] >= split), noise_sample)
    backtest = evaluate.backtest(training, positions, split_at=split, noise_floor=noise)
    simulated = noise is not None
    source = (
        f"the bundled G2B simulator (seed {settings.sim_seed})"
        if simulated
        else f"the warehouse at {redact_url(settings.database_url)}"
    )
    span = f"{training['cutoff_at'].min():%Y-%m-%d} .. {training['cutoff_at'].max():%Y-%m-%d}"
    text = report.render(
        backtest,
        source,
        simulated,
        now_kst(),
        training.height,
        span,
        noise.height if noise is not None else 0,
        coverage,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    m = backtest.metrics
    decision = evaluate.promotion_decision(m)
    typer.echo(
        f"wrote {output}: MAE model {m['mae_model']:.4f} vs best baseline {m['mae_best_baseline']:.4f}; replay on "
        f"{m['replay_openings']:.0f} awarded openings with a bidder list: model {m['replay_win_rate_model']:.2%}, "
        f"agency-mean floor {m['replay_win_rate_agency_mean_floor']:.2%}, floor at 100% "
        f"{m['replay_win_rate_floor_at_100']:.2%}, median margin {m['replay_win_rate_median_margin']:.2%}, base rate "
        f"{m['replay_win_rate_base_rate']:.2%}; Brier {m['brier']:.4f}; serving: {decision.strategy}"
    )


def _simulator_noise_floor(settings: Settings, test, sample: int):  # type: ignore[no-untyped-def]
    """The best any predictor could do on simulated openings: the median of the generator's own 사정률 for the same
    notice over fresh draws (it knows the agency's true bias). None when the openings are not the simulator's."""
    import zlib

    import numpy as np
    import polars as pl

    from bidradar.ingestion.simulator import NoticeGenerator

    if sample == 0 or test.is_empty():
        return None
    generator = NoticeGenerator(seed=settings.sim_seed, notices_per_day=settings.sim_notices_per_day)
    rows = test.sample(min(sample, test.height), seed=0)
    out = []
    for notice_no, base_amount in rows.select("notice_no", "base_amount").iter_rows():
        notice = generator.notice(notice_no)
        if notice is None or notice.bssamt != base_amount:
            return None  # not the simulator's data (or another seed): no noise floor is known
        rng = np.random.default_rng([settings.sim_seed, zlib.crc32(notice_no.encode())])
        rates = [generator._make_result(rng, notice).sajeong_rate for _ in range(200)]
        out.append((notice_no, float(np.median(rates))))
    return pl.DataFrame(out, schema=["notice_no", "noise_floor_rate_pct"], orient="row")


@app.command("alerts-drain")
def alerts_drain() -> None:
    """Find the alerts due now (briefing, reminders, results) and deliver them, each once (docs/alerts.md)."""
    settings = load()
    prepare_dagster_home(settings)
    migrate()
    if not run_job("deliver_alerts", settings.log_level, {"bidradar/trigger": "cli-alerts-drain"}):
        raise fail("deliver_alerts failed. See the messages above.", 1)
    from bidradar.core import warehouse

    engine = warehouse.make_engine(settings.database_url)
    counts = warehouse.read_frame(
        engine, "SELECT transport, status, count(*) AS n FROM alert_outbox GROUP BY transport, status ORDER BY 1, 2"
    )
    for transport, status, n in counts.iter_rows():
        typer.echo(f"  {transport:<6} {status:<8} {n:>6}")


@app.command()
def backup() -> None:
    """Dump PostgreSQL, prove each dump by restoring it into a scratch database, rotate, report to OPS_SLACK_CHANNEL."""
    from bidradar.ops.backup import BackupReport, post_report, report_text, run_backup

    settings = load()
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
    """Restore a verified dump over its database (DATABASE_URL), all or nothing, then check the row counts."""
    from bidradar.ops.backup import BackupError, database_name, latest_backup
    from bidradar.ops.backup import restore as restore_dump

    settings = load()
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
        counts = restore_dump(dump, url)
    except BackupError as error:
        raise fail(str(error), 1) from None
    rows = sum(counts.values())
    typer.echo(f"restored {dump.name} into {redact_url(url)}: {len(counts)} tables, {rows:,} rows, as in the dump")


@app.command("ops-metrics")
def ops_metrics(
    port: int = typer.Option(None, metavar="PORT", help="port to listen on; default OPS_METRICS_PORT (9108)"),
    host: str = typer.Option("127.0.0.1", metavar="HOST", help="address to bind (0.0.0.0 in a container)"),
) -> None:
    """Serve Prometheus metrics of runs, partitions, backups and disk space on /metrics until Ctrl+C."""
    from dagster import DagsterInstance

    from bidradar.ops.metrics import make_server
    from orchestration.ops_metrics import collectors

    settings = load()
    prepare_dagster_home(settings)
    instance = DagsterInstance.get()
    server = make_server(collectors(settings, instance), host, port or settings.ops_metrics_port)
    typer.echo(f"ops metrics on http://{host}:{server.server_address[1]}/metrics")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped")
    finally:
        server.server_close()


def _print_counts(settings: Settings) -> None:
    from bidradar.core import warehouse

    tables = [
        "bid_notices",
        "notice_base_amounts",
        "notice_license_limits",
        "notice_region_limits",
        "bid_outcomes",
        "bid_result_reserve_prices",
        "bid_result_bidders",
        "company_profiles",
        "hard_matches",
        "soft_matches",
        "match_analyses",
        "llm_calls",
        "price_training_set",
        "bid_recommendations",
        "alert_outbox",
    ]
    counts = warehouse.table_counts(warehouse.make_engine(settings.database_url), tables)
    for table, count in counts.items():
        typer.echo(f"  {table:<28} {count:>10,} rows")


def _serve_dagster(settings: Settings, ui_port: int, api_port: int, simulator_url: str | None) -> None:
    command = [
        sys.executable,
        "-m",
        "dagster",
        "dev",
        "-w",
        str(REPO_ROOT / "workspace.yaml"),
        "-h",
        "127.0.0.1",
        "-p",
        str(ui_port),
    ]
    # The UI's code server, daemon and run workers read the settings again: hand them the resolved values,
    # so a schedule writes to the same warehouse and crawls the same simulator as this process.
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "DAGSTER_HOME": str(settings.dagster_home),
        "PROFILES_DIR": str(settings.profiles_dir),
        "G2B_BASE_URL": settings.g2b_base_url,
    }
    if settings.log_level != "DEBUG":
        # The webserver, daemon and code server print Dagster's DEBUG lines and beta warnings otherwise.
        command += ["--log-level", settings.log_level.lower()]
        env["PYTHONWARNINGS"] = "ignore"
    # Its own process group: on stop, the whole tree (webserver, daemon, code server) goes, not just `dagster dev`.
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, start_new_session=True)
    api_command = [sys.executable, "-m", "orchestration.cli", "serve-api", "--port", str(api_port)]
    api = subprocess.Popen(api_command, cwd=REPO_ROOT, env=env, start_new_session=True)
    typer.echo("")
    typer.echo(f"Dashboard (notices, detail, board; API docs at /docs):  http://127.0.0.1:{api_port}/")
    for company_id, token in _demo_tokens(settings).items():
        typer.echo(f"  sign in as {company_id:<18} with token {token}")
    typer.echo(f"Dagster UI (asset graph, partitions, backfills, runs): http://127.0.0.1:{ui_port}")
    if simulator_url:
        typer.echo(f"G2B simulator (what the schedules crawl):            {simulator_url}")
    typer.echo("Stop with Ctrl+C (or kill this process: SIGTERM stops everything it started).")
    try:
        code = process.wait()
    except KeyboardInterrupt:
        _stop_group(process, api)
        typer.echo("stopped")
        return
    _stop_group(api)
    raise fail(f"the Dagster UI stopped by itself (exit code {code}); see its messages above", 1)


def _stop_group(*processes: subprocess.Popen) -> None:
    """Stop children and their process groups, all at once: SIGINT first (Dagster and uvicorn shut their children
    down on it), then SIGTERM, then SIGKILL."""
    import signal

    for sig, grace in ((signal.SIGINT, 20), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        alive = [p for p in processes if p.poll() is None]
        if not alive:
            break
        for process in alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
        deadline = time.monotonic() + grace
        for process in alive:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
    for process in processes:
        # The leaders are gone; children they did not stop go with their groups.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def _stop_on_sigterm() -> None:
    """`kill PID` stops the demo like Ctrl+C does (Python's default would end it with the UI left running)."""
    import signal

    def interrupt(_signum, _frame):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    # Started in the background (`demo &`), SIGINT is ignored, and Dagster copies SIGINT's handler onto SIGTERM
    # when it runs a job: give SIGINT Python's default, so both keep stopping the demo.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _no_flag_placeholders() -> None:
    """Typer 0.29 shows `<bool>` beside every flag (--help, --no-serve) in the help: flags take no value."""
    from typer.core import TyperOption

    typed = TyperOption.display_type_rich

    def display_type_rich(self, ctx):  # type: ignore[no-untyped-def]
        return None if self.is_flag else typed(self, ctx)

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


def _demo_tokens(settings: Settings) -> dict[str, str]:
    """The demo tokens whose hash is in a profile of PROFILES_DIR (an edited profile's token is not known)."""
    import hashlib

    from bidradar.matching.profiles import load_profiles

    hashes = {p.company_id: p.profile.api_token_hash for p in load_profiles(settings.profiles_dir).profiles}
    return {
        company_id: token
        for company_id, token in DEMO_TOKENS.items()
        if hashes.get(company_id) == "sha256:" + hashlib.sha256(token.encode()).hexdigest()
    }


def main() -> None:
    import logging
    import warnings

    _no_flag_placeholders()
    # Dagster's beta warnings are for us, not for the person running the command.
    warnings.filterwarnings("ignore", module="dagster")
    warnings.filterwarnings("ignore", message=".*is currently in beta.*")
    with contextlib.suppress(SettingsError):  # each command reports a bad setting itself
        logging.basicConfig(level=get_settings().log_level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # Dagster's instance migrations, not ours
    app()


if __name__ == "__main__":
    main()
