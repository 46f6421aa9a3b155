"""Each deployable starts with its own settings: a bad value of a setting it does not read never stops it, and a bad
value of one it reads stops it with one line naming the setting."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bidradar.core import warehouse
from bidradar.core.settings import DEPLOYABLES, SettingsError, all_setting_names, deployables_of, load_settings

REPO = Path(__file__).resolve().parents[1]
BIDRADAR = [sys.executable, "-m", "orchestration.cli"]

# A value each setting refuses (checked below: every one of them is refused by the deployables that read it).
BAD = {
    "G2B_BASE_URL": "apis.data.go.kr",
    "G2B_START_DATE": "2026-13-01",
    "SIM_SEED": "many",
    "GEMINI_BASE_URL": "not a url",
    "GEMINI_TIMEOUT_SECONDS": "forever",
    "MATCH_TOP_K": "0",
    "MLFLOW_TRACKING_URI": "nowhere",
    "SLACK_API_URL": "slack",
    "DASHBOARD_URL": "dash",
    "SMTP_PORT": "99999",
    "BACKUP_DATABASE_URLS": "sqlite:///x.db",
    "BACKUP_KEEP_DAILY": "0",
    "OPS_METRICS_PORT": "0",
    "RAW_PAGE_RETENTION_DAYS": "-1",
    "API_RATE_LIMIT": "lots",
    "API_CORS_ORIGINS": "https://example.com/",
    "API_DATABASE_URL": "mysql://x",
    "ANTHROPIC_UPSTREAM_URL": "anthropic",
    "LLM_PROXY_TIMEOUT_SECONDS": "0",
}


@pytest.mark.parametrize("deployable", sorted(DEPLOYABLES))
def test_a_deployable_ignores_bad_settings_it_does_not_read(deployable: str, monkeypatch) -> None:
    kind = DEPLOYABLES[deployable]
    others = {name: value for name, value in BAD.items() if deployable not in deployables_of(name)}
    assert others, f"{deployable} reads every setting: nothing to prove"
    for name, value in others.items():
        monkeypatch.setenv(name, value)
    load_settings(kind)  # starts


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_setting_stops_every_deployable_that_reads_it(name: str, monkeypatch) -> None:
    readers = deployables_of(name)
    assert readers, f"{name} is read by no deployable"
    monkeypatch.setenv(name, BAD[name])
    for deployable in readers:
        with pytest.raises(SettingsError, match=name):
            load_settings(DEPLOYABLES[deployable])


def test_every_setting_belongs_to_a_deployable_and_the_api_reads_no_pipeline_secret() -> None:
    assert all(deployables_of(name) for name in all_setting_names())
    api = {name.upper() for name in DEPLOYABLES["api"].model_fields}
    assert not api & {"G2B_SERVICE_KEY", "GEMINI_API_KEY", "MASKING_SECRET", "SLACK_BOT_TOKEN", "SMTP_PASSWORD"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_api_process_starts_without_the_pipelines_settings(tmp_path) -> None:
    """The real `serve-api`, with every pipeline-only setting broken: it serves."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONWARNINGS": "ignore"}
    # Migrated in this process, as `bidradar migrate` does (tests/test_platform.py runs that CLI): a CLI process
    # here would cost ~0.8 CPU-s (measured) of start-up for nothing this test asserts.
    engine = warehouse.make_engine(url)
    warehouse.migrate(engine)
    engine.dispose()
    env.update({name: value for name, value in BAD.items() if "api" not in deployables_of(name)})
    port = _free_port()
    server = subprocess.Popen(
        [*BIDRADAR, "serve-api", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read().decode()[-2000:] if server.stderr else ""
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail("serve-api did not answer /healthz within 60 s")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_alerts_drain_runs_with_a_broken_g2b_and_gemini_setting(tmp_path) -> None:
    """The real `alerts-drain` (a Dagster run of the alerts deployable) does not read G2B or Gemini settings."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}",
        "DAGSTER_HOME": str(tmp_path / "dagster"),
        "PYTHONWARNINGS": "ignore",
        "G2B_BASE_URL": BAD["G2B_BASE_URL"],
        "G2B_START_DATE": BAD["G2B_START_DATE"],
        "GEMINI_BASE_URL": BAD["GEMINI_BASE_URL"],
        "API_RATE_LIMIT": BAD["API_RATE_LIMIT"],
    }
    result = subprocess.run(
        [*BIDRADAR, "alerts-drain"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    broken = subprocess.run(
        [*BIDRADAR, "backfill", "--start", "2026-11-02", "--end", "2026-11-02"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # The pipeline reads them: it refuses to start, in one line naming one of them.
    assert broken.returncode == 2 and "Traceback" not in broken.stderr
    assert "G2B_BASE_URL" in broken.stderr or "GEMINI_BASE_URL" in broken.stderr
