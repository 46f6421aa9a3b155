"""Memory of each docker-compose.pi.yml service, measured here: the services started from their entrypoints as in
their containers (tests/kit/compose.py), idle, then while the daemon runs a real workload through the code server
(N days of notices and results from the G2B simulator, matching, the nightly backup). Prints the budget table of
docs/deploy-pi.md: RSS and PSS (shared pages split between processes: the honest sum), per process tree, against the
compose limits and a 4 GB Pi.

  BIDRADAR_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_memory_budget.py
  options: --days N (default 7), --api-venv /path/to/.venv (a branch with `bidradar serve-api`, to measure the API)

PostgreSQL is measured as the backends serving this stack's two databases (their PSS; shared_buffers is the
configured size on the Pi, counted separately). The G2B simulator is not a production service and is not counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

from tests.kit.compose import REPO, free_port, load_compose, local_stack

MB = 1024 * 1024


def tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return pids


def memory(pids: list[int]) -> tuple[int, int]:
    """(RSS, PSS) in bytes, summed over the processes."""
    rss = pss = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        rss += int(re.search(r"^Rss:\s+(\d+)", rollup, re.M).group(1)) * 1024  # type: ignore[union-attr]
        pss += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1)) * 1024  # type: ignore[union-attr]
    return rss, pss


def postgres_backends(databases: list[str]) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if cmdline.startswith("postgres: ") and any(f" {db} " in cmdline for db in databases):
            found.append(int(proc.name))
    return found


class Sampler(threading.Thread):
    def __init__(self, groups: dict[str, callable]) -> None:  # type: ignore[valid-type]
        super().__init__(daemon=True)
        self.groups, self.peak, self.last, self.phase = groups, {}, {}, "idle"
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for name, pids in self.groups.items():
                rss, pss = memory(pids())
                key = (self.phase, name)
                old = self.peak.get(key, (0, 0))
                self.peak[key] = (max(old[0], rss), max(old[1], pss))
                self.last[name] = (rss, pss)
            time.sleep(0.5)


def wait_for_runs(env: dict[str, str], timeout: float) -> list[tuple[str, str]]:
    code = (
        "from dagster import DagsterInstance\n"
        "i = DagsterInstance.get()\n"
        "print('\\n'.join(f'{r.dagster_run.job_name} {r.dagster_run.status.value}' for r in i.get_run_records()))"
    )
    deadline = time.monotonic() + timeout
    while True:
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout
        runs = [tuple(line.split()) for line in out.splitlines() if line.strip()]
        busy = [r for r in runs if r[1] in {"QUEUED", "NOT_STARTED", "STARTING", "STARTED"}]
        if (runs and not busy) or time.monotonic() > deadline:
            return runs  # type: ignore[return-value]
        time.sleep(5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--api-venv", type=Path, default=None)
    args = parser.parse_args()
    server = os.environ.get("BIDRADAR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    suffix = uuid.uuid4().hex[:8]
    names = [f"bench_wh_{suffix}", f"bench_dg_{suffix}"]
    admin = sa.create_engine(server.replace("postgresql://", "postgresql+psycopg2://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
    base = server.rsplit("/", 1)[0]
    compose = load_compose()
    filled = load_compose(
        {"POSTGRES_PASSWORD": "x", "DOMAIN": "x", "OPS_PASSWORD_HASH": "x", "GRAFANA_ADMIN_PASSWORD": "x"}
    )
    limits = {n: s.get("mem_limit", "") for n, s in filled["services"].items()}
    root = Path(tempfile.mkdtemp(prefix="bidradar-membench-"))
    sim_port = free_port()
    extra = {"G2B_BASE_URL": f"http://127.0.0.1:{sim_port}", "LOG_LEVEL": "WARNING"}
    simulator = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "g2b-sim", "--port", str(sim_port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with local_stack(root, f"{base}/{names[0]}", f"{base}/{names[1]}") as stack:
            assert stack.run("migrate", compose, extra).returncode == 0
            services = ["code-server", "dagster-webserver", "dagster-daemon", "ops-metrics"]
            for name in services:
                stack.start(name, compose, root / f"{name}.log", extra)
                if name == "code-server":
                    assert stack.healthy(name, compose).returncode == 0, (root / f"{name}.log").read_text()
            for name in services[1:]:
                assert stack.healthy(name, compose).returncode == 0, (root / f"{name}.log").read_text()
            api = None
            if args.api_venv:
                api_port = free_port()
                env = stack.env(compose["services"]["api"], extra)
                env["PATH"] = f"{args.api_venv / 'bin'}:{env['PATH']}"
                subprocess.run(
                    [str(args.api_venv / "bin" / "bidradar"), "migrate"],
                    env=env,
                    check=True,
                    capture_output=True,
                    cwd=root,
                )
                api = subprocess.Popen(
                    [
                        str(args.api_venv / "bin" / "bidradar"),
                        "serve-api",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(api_port),
                    ],
                    env=env,
                    cwd=root,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
                stack.processes["api"] = api
            groups = {name: (lambda p=stack.processes[name]: tree(p.pid)) for name in stack.processes}
            groups["postgres (backends of this stack)"] = lambda: postgres_backends(names)
            sampler = Sampler(groups)
            sampler.start()
            time.sleep(60)  # idle: the daemon ticks, the webserver and code server wait

            sampler.phase = "work"
            env = stack.env(compose["services"]["code-server"], extra)
            workspace = str(stack.workspace())
            last = dt.date.today() - dt.timedelta(days=1)
            first = last - dt.timedelta(days=args.days - 1)
            started = time.monotonic()
            tags = json.dumps(
                {
                    "dagster/asset_partition_range_start": first.isoformat(),
                    "dagster/asset_partition_range_end": last.isoformat(),
                }
            )
            for job in ("ingest_notices", "ingest_results"):
                subprocess.run(
                    ["dagster", "job", "launch", "-w", workspace, "-j", job, "--tags", tags],
                    env=env,
                    check=True,
                    capture_output=True,
                    cwd=root,
                )
            runs = wait_for_runs(env, 3600)
            for job in ("match_companies", "backup_job"):
                subprocess.run(
                    ["dagster", "job", "launch", "-w", workspace, "-j", job],
                    env=env,
                    check=True,
                    capture_output=True,
                    cwd=root,
                )
                runs = wait_for_runs(env, 3600)
            if api is not None:
                for path in ("/", "/api/notices?limit=50", "/api/stats", "/healthz"):
                    for _ in range(20):
                        with contextlib.suppress(Exception):
                            urllib.request.urlopen(f"http://127.0.0.1:{api_port}{path}", timeout=30).read()
            work_seconds = time.monotonic() - started
            sampler.phase = "after"
            time.sleep(30)
            sampler.stop.set()
            sampler.join()
    finally:
        simulator.terminate()
        simulator.wait()
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    print(f"runs: {sorted(runs)}  workload: {work_seconds:.0f} s for {args.days} days")
    print("| service | idle RSS / PSS (MB) | peak RSS / PSS under work (MB) | after (MB, PSS) | compose limit |")
    print("|---|---|---|---|---|")
    total_idle = total_peak = 0
    for name in groups:
        idle = sampler.peak.get(("idle", name), (0, 0))
        work = sampler.peak.get(("work", name), (0, 0))
        after = sampler.peak.get(("after", name), (0, 0))
        total_idle += idle[1]
        total_peak += max(work[1], idle[1])
        limit = limits.get(name.split(" ")[0], "")
        print(
            f"| {name} | {idle[0] / MB:.0f} / {idle[1] / MB:.0f} | {work[0] / MB:.0f} / {work[1] / MB:.0f} | "
            f"{after[1] / MB:.0f} | {limit} |"
        )
    print(f"| **sum of PSS** | {total_idle / MB:.0f} | {total_peak / MB:.0f} (sum of peaks) | | |")


if __name__ == "__main__":
    main()
