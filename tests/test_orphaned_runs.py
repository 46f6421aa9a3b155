"""A run whose process is gone releases its pool slots: `kill -9` a real backfill, the next backfill of the same days
releases it. SIGTERM stops a backfill cleanly: the run is recorded as failed, no partition is half written, a rerun
completes."""

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


def _wait_for_a_started_step(
    home: Path, process: subprocess.Popen, timeout: float = 180, other_than: str | None = None
) -> str:
    """The id of the first run (other than `other_than`) that has a step going (so it holds a pool slot)."""
    from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the backfill ended before it could be killed"
        # Once a run has its event log, the backfill has made the instance's storage: opening it here before then
        # would race the backfill's own first opening (both stamp the new SQLite schemas: "more than one head").
        if any(shard.stem != "index" for shard in (home / "history" / "runs").glob("*.db")):
            with DagsterInstance.from_config(str(home)) as instance:
                for record in instance.get_run_records(RunsFilter(statuses=[DagsterRunStatus.STARTED])):
                    run_id = record.dagster_run.run_id
                    if run_id == other_than:
                        continue
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


@pytest.mark.slow
@pytest.mark.timeout(900)  # three backfills: minutes on a loaded machine
def test_a_killed_backfill_is_released_the_next_stops_cleanly_on_sigterm_and_a_rerun_completes(tmp_path) -> None:
    """Three backfills of the same days on one instance (each backfill is minutes of CPU, so they share one):
    - the first is killed (-9) mid-step: its run stays STARTED, holding its pool slot;
    - the second releases that run as it starts (before the fix it waited forever for the dead run's g2b_api slot),
      gets a step going, and is stopped by SIGTERM: it exits non-zero without a traceback, its run is recorded as
      failed, and each day is whole or absent;
    - the third completes both days."""
    env = _env(tmp_path)
    home = tmp_path / "dagster"
    killed = subprocess.Popen(
        [*BIDRADAR, "backfill", *DAYS], env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        killed_run = _wait_for_a_started_step(home, killed)
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
    assert _run_status(home, killed_run) == "STARTED"  # the dead run still holds its slot

    stopped = subprocess.Popen(
        [*BIDRADAR, "backfill", *DAYS], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stopped_run = _wait_for_a_started_step(home, stopped, other_than=killed_run)
    stopped.send_signal(signal.SIGTERM)
    try:
        stdout, stderr = stopped.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        stopped.kill()
        pytest.fail("the backfill did not stop within 60 s of SIGTERM")
    assert f"released 1 run(s) left by a process that is gone: {killed_run}" in stdout, stdout[-2000:]
    assert _run_status(home, killed_run) == "FAILURE"
    assert stopped.returncode != 0 and "Traceback" not in stderr, stderr[-2000:]
    assert _run_status(home, stopped_run) in {"FAILURE", "CANCELED"}  # recorded, not left STARTED

    # Each day is whole or absent: a notice day has all its notices (the rerun's count) or none.
    before = _notice_days(tmp_path)
    rerun = subprocess.run(
        [*BIDRADAR, "backfill", *DAYS], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=400
    )
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    after = _notice_days(tmp_path)
    assert set(after) == {"2026-11-02", "2026-11-03"}
    assert all(before[day] == after[day] for day in before), (before, after)


def test_a_stop_inside_sqlalchemys_pool_logs_no_traceback_and_a_real_error_still_does() -> None:
    """The SIGTERM of the test above can land while the pool closes a SQLite connection (1 run in 7 on a loaded
    machine): the pool logged Dagster's interrupt as an error with its traceback. A command that stops on SIGTERM
    drops those records; a real error closing a connection is still logged. In a child: the filter is process-wide."""
    script = (
        "import sqlalchemy.pool as p\n"
        "from dagster import DagsterExecutionInterruptedError\n"
        "from orchestration.cli.supervise import stop_on_sigterm\n"
        "stop_on_sigterm()\n"
        "for pool in (p.NullPool(lambda: None), p.QueuePool(lambda: None)):\n"
        "    for error in (KeyboardInterrupt(), DagsterExecutionInterruptedError(), OSError('disk I/O error')):\n"
        "        try:\n"
        "            raise error\n"
        "        except BaseException:\n"
        "            pool.logger.error('Exception closing connection', exc_info=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("Traceback") == 2 and done.stderr.count("OSError: disk I/O error") == 2, done.stderr
    assert "KeyboardInterrupt" not in done.stderr and "Interrupted" not in done.stderr, done.stderr
