"""Runs whose process is gone: marked failed and their pool slots released, so the next run does not wait forever.

A run in progress names the process that executes it: `bidradar/pid` and `bidradar/host` tags for the runs the
CLI executes in its own process, the "Started process for run (pid: N)" engine event for the runs the daemon
launches (the default run launcher cannot tell the daemon that such a worker died). A run whose process is no
longer alive on this host is an orphan. The CLI releases orphans before it runs anything; the
`release_orphaned_runs` sensor does it every 30 seconds where the daemon runs (docs/operations.md)."""

from __future__ import annotations

import os
import socket

from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

PID_TAG = "bidradar/pid"
HOST_TAG = "bidradar/host"
IN_PROGRESS = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]


def process_tags() -> dict[str, str]:
    """The tags that name this process as the one executing a run."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return _not_a_zombie(pid)


def _not_a_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True  # no /proc (not Linux): kill(0) said alive


def _worker_pid(instance: DagsterInstance, run_id: str) -> int | None:
    records = instance.get_records_for_run(run_id, of_type=DagsterEventType.ENGINE_EVENT, limit=50).records
    for record in records:
        message = record.event_log_entry.user_message or ""
        if message.startswith("Started process for run (pid: "):
            return int(message.removeprefix("Started process for run (pid: ").rstrip(").") or 0) or None
    return None


def release_orphaned_runs(instance: DagsterInstance, here: str | None = None) -> list[str]:
    """Fail every run in progress whose executing process is gone from this host, and free its pool slots.

    Runs executed on another host (their tags say so) are left to that host. Returns the released run ids."""
    here = here or socket.gethostname()
    released = []
    for record in instance.get_run_records(RunsFilter(statuses=IN_PROGRESS), limit=500):
        run = record.dagster_run
        if PID_TAG in run.tags:
            if run.tags.get(HOST_TAG) != here:
                continue
            pid: int | None = int(run.tags[PID_TAG])
        else:
            pid = _worker_pid(instance, run.run_id)
        if pid is None or pid == os.getpid() or _alive(pid):
            continue
        instance.report_run_failed(
            run, f"the process that ran this run (pid {pid} on {here}) is gone: marked failed, its pool slots freed"
        )
        if instance.event_log_storage.supports_global_concurrency_limits:
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(run.run_id)
    return released
