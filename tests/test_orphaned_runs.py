"""A run whose process is gone releases its pool slots: `kill -9` a real backfill, rerun the same days, it completes.
SIGTERM stops a backfill cleanly: the run is recorded as failed, no partition is half written, a rerun completes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

BIDRADAR = [sys.executable, "-m", "orchestration.cli"]
DAYS = ["--start", "2026-11-02", "--end", "2026-11-03"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}",
        "DAGSTER_HOME": str(tmp_path / "dagster"),
        "SIM_NOTICES_PER_DAY": "60",
        "G2B_BASE_URL": f"http://127.0.0.1:{_free_port()}",
        "G2B_START_DATE": "2026-10-01",
        "PYTHONWARNINGS": "ignore",
    }


def _wait_for_a_started_step(home: Path, process: subprocess.Popen, timeout: float = 180) -> str:
    """The id of the first run that has a step going (so it holds a pool slot)."""
    from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the backfill ended before it could be killed"
        if (home / "dagster.yaml").exists():
            with DagsterInstance.from_config(str(home)) as instance:
                for record in instance.get_run_records(RunsFilter(statuses=[DagsterRunStatus.STARTED])):
                    run_id = record.dagster_run.run_id
                    steps = instance.get_records_for_run(run_id, of_type=DagsterEventType.STEP_START).records
                    if steps:
                        return run_id
        time.sleep(0.5)
    pytest.fail("no run started a step within the timeout")


def _run_status(home: Path, run_id: str) -> str:
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(home)) as instance:
        run = instance.get_run_by_id(run_id)
        assert run is not None
        return run.status.value


def _notice_days(tmp_path: Path) -> dict[str, int]:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT partition_date, count(*) FROM bid_notices GROUP BY 1")).all()
    engine.dispose()
    return {str(day): count for day, count in rows}


def test_a_killed_backfill_leaves_no_slot_behind_and_the_rerun_completes(tmp_path) -> None:
    env = _env(tmp_path)
    home = tmp_path / "dagster"
    first = subprocess.Popen(
        [*BIDRADAR, "backfill", *DAYS], env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        run_id = _wait_for_a_started_step(home, first)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert _run_status(home, run_id) == "STARTED"  # the dead run still holds its slot
    # Before the fix this waited forever for the dead run's g2b_api slot.
    rerun = subprocess.run(
        [*BIDRADAR, "backfill", *DAYS], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=400
    )
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert f"released 1 run(s) left by a process that is gone: {run_id}" in rerun.stdout
    assert _run_status(home, run_id) == "FAILURE"
    assert set(_notice_days(tmp_path)) == {"2026-11-02", "2026-11-03"}


def test_sigterm_stops_a_backfill_cleanly_and_the_rerun_completes(tmp_path) -> None:
    env = _env(tmp_path)
    home = tmp_path / "dagster"
    first = subprocess.Popen(
        [*BIDRADAR, "backfill", *DAYS], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    run_id = _wait_for_a_started_step(home, first)
    first.send_signal(signal.SIGTERM)
    try:
        _, stderr = first.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        first.kill()
        pytest.fail("the backfill did not stop within 60 s of SIGTERM")
    assert first.returncode != 0 and "Traceback" not in stderr, stderr[-2000:]
    assert _run_status(home, run_id) in {"FAILURE", "CANCELED"}  # recorded, not left STARTED
    # Each day is whole or absent: a notice day has all its notices (the rerun's count) or none.
    before = _notice_days(tmp_path)
    rerun = subprocess.run(
        [*BIDRADAR, "backfill", *DAYS], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=400
    )
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    after = _notice_days(tmp_path)
    assert set(after) == {"2026-11-02", "2026-11-03"}
    assert all(before[day] == after[day] for day in before), (before, after)
