"""The pipeline's commands: migrate, the bundled simulator, backfill, and the demo."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import typer

from bidradar.core.settings import (
    STATE_DIR,
    CommonSettings,
    G2BSettings,
    PipelineSettings,
    get_settings,
    redact_url,
)
from orchestration.cli.common import app, fail, load, parse_day, prepare_dagster_home, whole_number
from orchestration.cli.runs import ALL_ALERTS, build_days, release_orphans, run_job
from orchestration.cli.supervise import (
    die_with_parent,
    serve_dagster_and_api,
    start_bundled_simulator,
    stop_on_sigterm,
)

COUNTED_TABLES = [
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


def migrate_warehouse(settings: CommonSettings) -> None:
    from bidradar.core import warehouse

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


@app.command()
def migrate() -> None:
    """Apply the warehouse migrations in sql/ (idempotent; refuses edited ones)."""
    migrate_warehouse(load(CommonSettings))


@app.command("g2b-sim")
def g2b_sim(
    port: int = typer.Option(8089, metavar="PORT", help="port to listen on (127.0.0.1)"),
    host: str = typer.Option("127.0.0.1", metavar="HOST", help="address to bind"),
) -> None:
    """Run the bundled G2B simulator (the real API's paths, envelopes and faults) until Ctrl+C."""
    from bidradar.ingestion.simulator import run_forever

    settings = load(G2BSettings)
    run_forever(host, port, settings.sim_seed, settings.sim_notices_per_day, settings.g2b_service_key)


@app.command()
def backfill(
    start: str = typer.Option(..., metavar="YYYY-MM-DD", callback=parse_day, help="first day (Asia/Seoul)"),
    end: str = typer.Option(..., metavar="YYYY-MM-DD", callback=parse_day, help="last day, inclusive"),
) -> None:
    """Crawl and build a span of days (notices, then results) in runs of at most 10 days."""
    from bidradar.core.clock import today_kst

    settings = load(PipelineSettings)
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
    stop_on_sigterm()
    prepare_dagster_home(settings, settings.log_level)
    migrate_warehouse(settings)
    release_orphans()
    with ExitStack() as stack:
        simulator = start_bundled_simulator(settings, stack)
        if simulator:
            typer.echo(f"crawling the bundled G2B simulator at {simulator.url}")
        started = time.monotonic()
        build_days(settings, first, last, "cli-backfill")
    typer.echo(f"backfilled {first} .. {last} in {time.monotonic() - started:.0f} s")
    print_counts(settings)


def profile_errors(settings: PipelineSettings) -> list[str]:
    """Each invalid profile file as `file:line: field: message`; a missing PROFILES_DIR is one such line too."""
    from bidradar.matching.profiles import load_profiles, profile_paths

    folder = settings.profiles_dir
    if not folder.is_dir():
        return [f"PROFILES_DIR: {folder} is not a folder: create it, or set PROFILES_DIR to the folder of profiles"]
    if not profile_paths(folder):
        return [f"PROFILES_DIR: {folder} holds no profile (*.yaml): add one (see docs/profiles.md)"]
    return [f"{folder / str(error)}" for error in load_profiles(folder).errors]


@app.command()
def demo(
    days: str = typer.Option(
        "14",
        metavar="N",
        callback=whole_number(1, 90, "--days 7"),
        help="how many days of data, ending today (Asia/Seoul), 1..90",
    ),
    serve: bool = typer.Option(
        True, help="after building the data, serve the dashboard and the Dagster UI until Ctrl+C"
    ),
    ui_port: str = typer.Option(
        "3000", metavar="PORT", callback=whole_number(1, 65535, "--ui-port 3001"), help="port of the Dagster UI"
    ),
    api_port: str = typer.Option(
        "8000", metavar="PORT", callback=whole_number(1, 65535, "--api-port 8001"), help="port of the dashboard"
    ),
) -> None:
    """The main job: migrate, crawl the last N days, build every asset, then serve the dashboard and Dagster UI."""
    from bidradar.core.clock import today_kst

    assert isinstance(days, int) and isinstance(ui_port, int) and isinstance(api_port, int)  # parsed by callbacks
    settings = load(PipelineSettings)
    stop_on_sigterm()
    # The profiles are checked before the build (minutes), by the validator of the company_profiles asset: a new
    # user learns of a typo at once, not after the whole crawl. An invalid file does not stop the other companies
    # (the asset matches the valid ones), so the demo that serves goes on; under --no-serve it fails here.
    problems = profile_errors(settings)
    for problem in problems:
        typer.secho(f"invalid profile: {problem}", err=True, fg="red")
    if problems and not serve:
        raise fail(f"{len(problems)} profile problem(s) above: fix them and run again", 1)
    # The demo reads copies of the profiles, each given a sign-in token made now (the shipped ones hold none).
    demo_folder = STATE_DIR / "demo-profiles"
    tokens = demo_profiles(settings.profiles_dir, demo_folder)
    os.environ["PROFILES_DIR"] = str(demo_folder.resolve())
    last = today_kst()
    first = last - dt.timedelta(days=days - 1)
    # The demo's partitions are the days it builds: from G2B_START_DATE (a year back) the UI would show the
    # demo's days as a few percent "filled" among hundreds of days it never meant to crawl.
    os.environ["G2B_START_DATE"] = first.isoformat()
    get_settings.cache_clear()
    settings = load(PipelineSettings)
    prepare_dagster_home(settings, settings.log_level)
    migrate_warehouse(settings)
    release_orphans()
    with ExitStack() as stack:
        simulator = start_bundled_simulator(settings, stack)
        source = f"the bundled G2B simulator at {simulator.url}" if simulator else settings.g2b_base_url
        typer.echo(f"building {first} .. {last} ({days} days) from {source} into {redact_url(settings.database_url)}")
        started = time.monotonic()
        # The build runs in child processes, so the memory of its imports and frames goes back before the demo
        # serves; the simulator, a child too, starts afresh once the crawl is done: it held the ~45 days a results
        # day looks back on, and the schedules ask it for today's days only (issue 27).
        build_in_child(["--part", "crawl", "--first", first.isoformat(), "--last", last.isoformat()])
        if simulator:
            simulator.restart()
        build_in_child(["--part", "rest"])
        typer.echo(f"built in {time.monotonic() - started:.0f} s")
        if not serve:
            # The warehouse now holds their hashes: `bidradar serve-api` takes them until profiles are matched again.
            for company_id, token in tokens.items():
                typer.echo(f"  sign in as {company_id:<18} with token {token}")
            return

        def announce() -> None:
            typer.echo("")
            if problems:  # said before the build; said again where the user looks once it is done
                typer.secho(
                    f"{len(problems)} invalid profile(s), listed above: those companies are not matched",
                    err=True,
                    fg="red",
                )
            typer.echo(f"Dashboard (notices, detail, board; API docs at /docs):  http://127.0.0.1:{api_port}/")
            for company_id, token in tokens.items():
                typer.echo(f"  sign in as {company_id:<18} with token {token}")
            typer.echo(f"Dagster UI (asset graph, partitions, backfills, runs): http://127.0.0.1:{ui_port}")
            if simulator:
                typer.echo(f"G2B simulator (what the pipeline crawls):            {simulator.url}")

        serve_dagster_and_api(settings, ui_port, api_port, announce)


def build_in_child(arguments: list[str]) -> None:
    """`demo-build` with these arguments in a child process (same environment and folder); its exit code is ours."""
    command = [sys.executable, "-m", "orchestration.cli", "demo-build", *arguments]
    child = subprocess.Popen(command, preexec_fn=die_with_parent)
    try:
        code = child.wait()
    except KeyboardInterrupt:  # Ctrl+C reached the child too; SIGTERM only us: pass it on, and let it unwind
        child.send_signal(signal.SIGTERM)
        child.wait()
        raise
    if code:
        raise typer.Exit(code)  # the child said what failed


@app.command("demo-build", hidden=True)
def demo_build(
    part: str = typer.Option(..., help="crawl: notices and results of --first..--last; rest: every other step"),
    start: str = typer.Option(None, "--first", metavar="YYYY-MM-DD", callback=parse_day),
    end: str = typer.Option(None, "--last", metavar="YYYY-MM-DD", callback=parse_day),
) -> None:
    """A part of `demo`'s build, in a process of its own (run by `demo`)."""
    settings = load(PipelineSettings)
    stop_on_sigterm()
    if part == "crawl":
        assert isinstance(start, dt.date) and isinstance(end, dt.date)
        build_days(settings, start, end, "demo")
        return
    typer.echo(f"match_companies: profiles in {settings.profiles_dir}")
    if not run_job("match_companies", settings.log_level, {"bidradar/trigger": "demo"}):
        raise fail("match_companies failed. See the messages above.", 1)
    typer.echo(
        f"price_bids: training set, price model (MLflow at {redact_url(settings.mlflow_tracking_uri)}), recommendations"
    )
    if not run_job("price_bids", settings.log_level, {"bidradar/trigger": "demo"}):
        raise fail("price_bids failed. See the messages above.", 1)
    typer.echo("deliver_alerts: the morning briefing of each profile (Slack when SLACK_BOT_TOKEN is set)")
    if not run_job("deliver_alerts", settings.log_level, {"bidradar/trigger": "demo"}, config=ALL_ALERTS):
        raise fail("deliver_alerts failed. See the messages above.", 1)
    print_counts(settings)
    typer.echo(mlflow_ui_hint(settings))


def mlflow_ui_hint(settings: PipelineSettings) -> str:
    """How to open the MLflow UI on the price model's experiment (its start page is GenAI traces, empty here)."""
    from mlflow.tracking import MlflowClient

    from ml.pricing.registry import EXPERIMENT

    mlflow = Path(sys.executable).with_name("mlflow")
    experiment = MlflowClient(settings.mlflow_tracking_uri).get_experiment_by_name(EXPERIMENT)
    page = f"/#/experiments/{experiment.experiment_id}" if experiment is not None else ""
    return (
        f"MLflow UI (price model runs, registered versions):   {mlflow} ui --backend-store-uri "
        f"{redact_url(settings.mlflow_tracking_uri)} --port 5000  then http://127.0.0.1:5000{page}"
    )


def print_counts(settings: CommonSettings) -> None:
    from bidradar.core import warehouse

    counts = warehouse.table_counts(warehouse.make_engine(settings.database_url), COUNTED_TABLES)
    for table, count in counts.items():
        typer.echo(f"  {table:<28} {count:>10,} rows")


def demo_profiles(source: Path, target: Path) -> dict[str, str]:
    """Copy the profiles of `source` into `target` (replacing what it held), giving each profile without an
    api_token_hash a new random token; {company_id: token} of those, to print. Only the hashes are written: the
    tokens exist in this run's output alone, and no token is ever shipped (issue 26)."""
    import secrets
    import shutil

    from bidradar.matching.profiles import load_profiles, profile_paths

    if source.resolve() == target.resolve():
        return {}  # PROFILES_DIR is the copy itself: its tokens were printed by the run that made it
    loaded = {p.company_id: p for p in load_profiles(source).profiles}
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    tokens = {}
    for path in profile_paths(source):
        text = path.read_text(encoding="utf-8")
        profile = loaded.get(path.stem.lower())
        if profile is not None and not profile.profile.api_token_hash:
            token = secrets.token_urlsafe(32)
            digest = hashlib.sha256(token.encode()).hexdigest()
            text = text.rstrip("\n") + f"\napi_token_hash: sha256:{digest}  # made by `bidradar demo` for this run\n"
            tokens[profile.company_id] = token
        (target / path.name).write_text(text, encoding="utf-8")
    return tokens
