"""The platform as a user meets it: settings errors, the CLI, and the Dagster code location."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from bidradar.core import warehouse
from bidradar.core.settings import PipelineSettings, SettingsError, load_settings

REPO = Path(__file__).resolve().parent.parent
BIDRADAR = [sys.executable, "-m", "orchestration.cli"]


def run(args: list[str], env: dict[str, str] | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=REPO, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DATABASE_URL", "mysql://somewhere/db", "sqlite:///"),
        ("SIM_NOTICES_PER_DAY", "lots", "integer"),
        ("G2B_START_DATE", "2026-13-01", "month"),
        ("G2B_BASE_URL", "apis.data.go.kr", "http://"),
        ("LOG_LEVEL", "LOUD", "DEBUG"),
    ],
)
def test_a_bad_setting_gives_one_line_naming_it(name: str, value: str, expected: str, monkeypatch) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        load_settings(PipelineSettings)
    message = str(error.value)
    assert "\n" not in message and name in message and expected in message


def test_cli_bad_setting_exits_with_the_line_and_no_traceback() -> None:
    result = run([*BIDRADAR, "migrate"], {"DATABASE_URL": "mysql://somewhere/db"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "DATABASE_URL" in lines[0]


def test_cli_migrate_builds_the_warehouse_where_pointed(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    first = run([*BIDRADAR, "migrate"], {"DATABASE_URL": url})
    assert first.returncode == 0, first.stderr
    assert "applied 0002_notices.sql" in first.stdout
    again = run([*BIDRADAR, "migrate"], {"DATABASE_URL": url})
    assert "0 applied" in again.stdout
    assert "bid_notices" in sa.inspect(sa.create_engine(url)).get_table_names()


def test_cli_help_lists_the_commands() -> None:
    result = run([*BIDRADAR, "--help"])
    assert result.returncode == 0
    for command in ("migrate", "demo", "backfill", "g2b-sim", "mask"):
        assert command in result.stdout


def test_definitions_load_with_the_assets_that_exist() -> None:
    from orchestration.definitions import defs

    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {
        "g2b_raw_notices",
        "bid_notices",
        "notice_base_amounts",
        "notice_license_limits",
        "notice_region_limits",
        "g2b_raw_results",
        "bid_openings",
        "bid_awards",
        "bid_outcomes",
        "company_profile_files",
        "company_profiles",
        "hard_matches",
        "soft_matches",
        "match_analyses",
    } <= keys
    for job in ("ingest_notices", "ingest_results", "match_companies", "purge_old_runs_job"):
        assert defs.resolve_job_def(job).name == job


def test_dagster_validates_the_code_location(tmp_path) -> None:
    """What `dagster dev` loads: the workspace, through Dagster's own validation."""
    result = run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
        {"DAGSTER_HOME": str(tmp_path)},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation successful" in (result.stdout + result.stderr)


def test_cli_mask_json_shows_what_leaves_and_restores_it(tmp_path) -> None:
    text = "담당 010-2345-6789, ops@hanbit.example.com, 서버 10.0.3.17, 계약 3억 (공고 R26BK01706792)"
    env = {"MASKING_SECRET": "test-secret-of-at-least-32-bytes-long", "PROFILES_DIR": str(REPO / "profiles")}
    result = subprocess.run(
        [*BIDRADAR, "mask", "--json"],
        cwd=tmp_path,
        input=text,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    for value in ("010-2345-6789", "ops@hanbit.example.com", "10.0.3.17"):
        assert value not in payload["masked"]
    assert "R26BK01706792" in payload["masked"]  # a notice number is not an identifier
    assert payload["restored"] == text
    assert {d["type"] for d in payload["detections"]} == {"PHONE", "EMAIL", "IP"}
    assert all(set(d) == {"type", "start", "end"} for d in payload["detections"])  # positions, never values


def test_cli_mask_with_a_company_masks_its_profile_secrets(tmp_path) -> None:
    env = {"MASKING_SECRET": "test-secret-of-at-least-32-bytes-long", "PROFILES_DIR": str(REPO / "profiles")}
    text = "한빛소프트웨어(주)가 2025년 서울특별시 마포구 홈페이지 고도화 사업을 320,000,000원에 수행"
    result = subprocess.run(
        [*BIDRADAR, "mask", "--company", "hanbit-soft"],
        cwd=tmp_path,
        input=text,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "한빛소프트웨어(주)" not in result.stdout and "MASK_SECRET_" in result.stdout
    unknown = subprocess.run(
        [*BIDRADAR, "mask", "--company", "nobody"],
        cwd=tmp_path,
        input=text,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )
    assert unknown.returncode == 2 and "no valid profile 'nobody'" in unknown.stderr and "hanbit-soft" in unknown.stderr


def test_every_setting_is_documented_in_env_example_and_readme() -> None:
    from bidradar.core.settings import all_setting_names

    env_example = (REPO / ".env.example").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in all_setting_names():
        assert f"\n{name}=" in env_example, f"{name} missing from .env.example"
        assert f"`{name}`" in readme, f"{name} missing from the README's configuration table"


def test_relative_paths_resolve_where_the_settings_were_read(tmp_path, monkeypatch) -> None:
    # Dagster's run workers may start in another folder: they must write to the same warehouse.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///data/w.db")
    monkeypatch.setenv("PROFILES_DIR", "companies")
    settings = load_settings(PipelineSettings)
    assert settings.database_url == f"sqlite:///{tmp_path.as_posix()}/data/w.db"
    assert settings.profiles_dir == tmp_path / "companies"


def test_schedules_ask_for_the_right_seoul_days() -> None:
    import datetime as dt

    from dagster import build_schedule_context

    from assets.ingestion import notices_closed_days_morning, notices_today_hourly, results_daily
    from orchestration.definitions import defs

    def keys(schedule, utc: dt.datetime) -> list[str]:
        context = build_schedule_context(
            scheduled_execution_time=utc.replace(tzinfo=dt.UTC), repository_def=defs.get_repository_def()
        )
        return [request.partition_key for request in schedule.evaluate_tick(context).run_requests]

    # 23:30 UTC on Sunday is 08:30 on Monday in Seoul: today is already Monday there.
    assert keys(notices_today_hourly, dt.datetime(2026, 11, 22, 23, 30)) == ["2026-11-23"]
    assert keys(notices_closed_days_morning, dt.datetime(2026, 11, 22, 21, 30)) == ["2026-11-22", "2026-11-21"]
    assert keys(results_daily, dt.datetime(2026, 11, 22, 22, 0)) == ["2026-11-22", "2026-11-21", "2026-11-20"]


def _backfill_env(tmp_path: Path, notices_per_day: int, simulator_port: int) -> tuple[str, dict[str, str]]:
    """(warehouse URL, environment) of a CLI backfill into tmp_path from the bundled simulator on that port."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    return url, {
        "DATABASE_URL": url,
        "DAGSTER_HOME": str(tmp_path / "dagster"),
        "SIM_NOTICES_PER_DAY": str(notices_per_day),
        "G2B_BASE_URL": f"http://127.0.0.1:{simulator_port}",
    }


def test_cli_backfill_failure_is_one_readable_line(tmp_path) -> None:
    url, env = _backfill_env(tmp_path, 40, 18477)
    # Migrated in this process, as `bidradar migrate` does (warehouse.migrate; its CLI has its own test above): a
    # second CLI process would cost ~0.9 CPU-s (measured) of start-up for nothing this test asserts.
    engine = warehouse.make_engine(url)
    warehouse.migrate(engine)
    with engine.begin() as conn:  # a damaged warehouse: the normalization step cannot write
        conn.exec_driver_sql("DROP TABLE notice_region_limits")
    engine.dispose()
    result = run([*BIDRADAR, "backfill", "--start", "2026-11-02", "--end", "2026-11-02"], env, timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Stack Trace" not in result.stderr
    assert "ingest_notices: " in result.stderr and "notice_region_limits" in result.stderr


def test_a_bad_setting_never_prints_a_password_or_key(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresq://bidradar:S3cretPW@db:5432/bidradar")
    with pytest.raises(SettingsError) as error:
        load_settings(PipelineSettings)
    assert "S3cretPW" not in str(error.value) and "***" in str(error.value)
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setenv("G2B_BASE_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("GEMINI_BASE_URL", "not a url")
    with pytest.raises(SettingsError, match="GEMINI_BASE_URL"):
        load_settings(PipelineSettings)


def test_the_masking_key_file_follows_dagster_home_not_the_working_directory(tmp_path, monkeypatch) -> None:
    from bidradar.masking.keys import master_secret

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "state" / "dagster"))
    monkeypatch.setenv("MASKING_SECRET", "")
    monkeypatch.chdir(tmp_path)
    first = master_secret(load_settings(PipelineSettings))
    key_file = tmp_path / "state" / "masking.key"
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    monkeypatch.chdir(REPO)  # another process, another folder: the same key
    assert master_secret(load_settings(PipelineSettings)) == first


def test_cli_backfill_fetches_the_bidder_lists_its_runs_deferred(tmp_path) -> None:
    """A run of several result days keeps the lists of openings whose notice it does not hold for its last day, which
    fetches only its own: without the resume pass a 3-day demo ending on a Monday morning had 0 bidder lists. With
    the day's budget left, every completed opening of the span gets its list."""
    url, env = _backfill_env(tmp_path, 30, 18479)
    result = run([*BIDRADAR, "backfill", "--start", "2026-11-03", "--end", "2026-11-05"], env, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "again, for the bidder lists deferred" in result.stdout  # the pass ran: the run had deferred lists
    with sa.create_engine(url).connect() as conn:
        completed, missing = conn.execute(
            sa.text(
                "SELECT COUNT(*), SUM(CASE WHEN bidder_count IS NULL THEN 1 ELSE 0 END) FROM bid_outcomes "
                "WHERE opening_status = '개찰완료' AND opening_partition_date BETWEEN '2026-11-03' AND '2026-11-05'"
            )
        ).one()
    assert completed > 0 and missing == 0, (completed, missing)
