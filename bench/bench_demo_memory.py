"""Memory of `bidradar demo`, all its processes together: the build (crawl, results, matching, pricing, alerts, each
step's peak) and then the running demo (Dagster webserver, daemon, code server, run workers, the dashboard) while it
serves for a while, its schedules ticking and the dashboard and the Dagster UI being read. Targets (issue 27): the
build under 1 GB, the running demo under 1.5 GB.

  .venv/bin/python bench/bench_demo_memory.py [--days 14] [--serve-seconds 180]

Everything goes to a temporary folder (SQLite warehouse, Dagster home, MLflow) on free ports, from the bundled G2B
simulator (simulated data). PSS is the honest sum (pages shared between processes are split between them); RSS
counts shared pages once per process.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_memory_budget import MB, memory, tree
from tests.kit.compose import REPO, free_port


def role(pid: int) -> str:
    """A short name of what the process is, from its command line."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "gone"
    for marker, name in (
        ("dagster_webserver", "dagster webserver"),
        ("dagster-webserver", "dagster webserver"),
        ("dagster-daemon", "dagster daemon"),
        ("dagster_daemon", "dagster daemon"),
        ("dagster._daemon", "dagster daemon"),
        ("api grpc", "code server (grpc)"),
        ("grpc-health", "code server (grpc)"),
        ("execute_run", "run worker"),
        ("api execute_", "run worker"),
        ("serve-api", "dashboard (serve-api)"),
        ("g2b-sim", "G2B simulator"),
        ("demo-build", "demo's build (child)"),
        (" dev ", "dagster dev"),
        ("demo", "demo (supervisor)"),
    ):
        if marker in cmdline:
            return name
    return cmdline[:60]


class Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.phase = pid, "start"
        self.peak: dict[str, tuple[int, int, dict[str, int]]] = {}  # phase -> (rss, pss, pss by role) at the peak
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            by_role: dict[str, int] = defaultdict(int)
            rss_total = pss_total = 0
            for pid in tree(self.pid):
                rss, pss = memory([pid])
                rss_total, pss_total = rss_total + rss, pss_total + pss
                by_role[role(pid)] += pss
            if pss_total > self.peak.get(self.phase, (0, 0, {}))[1]:
                self.peak[self.phase] = (rss_total, pss_total, dict(by_role))
            time.sleep(0.25)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--serve-seconds", type=int, default=180)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bidradar-demo-memory-"))
    ui_port, api_port, sim_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{root / 'warehouse.db'}",
        "DAGSTER_HOME": str(root / "dagster"),
        "MLFLOW_TRACKING_URI": f"sqlite:///{root / 'mlflow.db'}",
        "G2B_BASE_URL": f"http://127.0.0.1:{sim_port}",
        "PYTHONUNBUFFERED": "1",  # its lines as they come: they mark the steps
    }
    command = [sys.executable, "-m", "orchestration.cli", "demo", "--days", str(args.days)]
    command += ["--ui-port", str(ui_port), "--api-port", str(api_port)]
    demo = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = Sampler(demo.pid)
    sampler.start()
    started = time.monotonic()
    log = (root / "demo.log").open("w", encoding="utf-8")
    assert demo.stdout is not None
    phases = ("ingest_notices", "ingest_results", "match_companies", "price_bids", "deliver_alerts")
    build_seconds = 0.0
    failed = ""
    try:
        for line in demo.stdout:
            log.write(line)
            log.flush()
            step = line.split(":", 1)[0].strip()
            if step in phases:
                sampler.phase = f"build: {step}"
            if "Stop with Ctrl+C" in line:
                build_seconds = time.monotonic() - started
                sampler.phase = "serving"
                break
        else:
            failed = f"the demo stopped before serving (exit {demo.wait()}): see {root / 'demo.log'}"
    except KeyboardInterrupt:  # Ctrl+C (or SIGINT) while it builds: stop the demo, print what was measured
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=120)
        failed = f"interrupted while building: see {root / 'demo.log'}"
    except BaseException:
        demo.kill()
        raise
    finally:
        if failed:
            sampler.stop.set()
            sampler.join()
    if not failed:
        threading.Thread(target=lambda: [log.write(line) for line in demo.stdout], daemon=True).start()  # type: ignore[union-attr]
        deadline = time.monotonic() + args.serve_seconds
        pages = [f"http://127.0.0.1:{api_port}{p}" for p in ("/", "/api/notices?limit=50", "/api/stats")]
        pages += [f"http://127.0.0.1:{ui_port}/", f"http://127.0.0.1:{ui_port}/assets"]
        try:
            while time.monotonic() < deadline:
                for page in pages:
                    with contextlib.suppress(OSError):  # still starting
                        urllib.request.urlopen(page, timeout=30).read()
                time.sleep(5)
        finally:
            sampler.stop.set()
            sampler.join()
            demo.send_signal(signal.SIGTERM)
            demo.wait(timeout=120)
    log.close()

    load = os.getloadavg()
    print(
        f"demo --days {args.days}: built in {build_seconds:.0f} s, served {args.serve_seconds} s; load average "
        f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; log {root / 'demo.log'}"
    )
    print("| phase | peak RSS (MB) | peak PSS (MB) | PSS by process at the peak (MB) |")
    print("|---|---|---|---|")
    for phase, (rss, pss, by_role) in sampler.peak.items():
        parts = ", ".join(f"{name} {value / MB:.0f}" for name, value in sorted(by_role.items(), key=lambda i: -i[1]))
        print(f"| {phase} | {rss / MB:.0f} | {pss / MB:.0f} | {parts} |")
    build = max((v[1] for k, v in sampler.peak.items() if k.startswith("build")), default=0)
    serving = sampler.peak.get("serving", (0, 0, {}))[1]
    print(
        f"build peak PSS {build / MB:.0f} MB (target < 1024); running demo peak PSS {serving / MB:.0f} MB "
        f"(target < 1536)"
    )
    if failed:  # what was measured up to the failure is printed above; the run still fails
        raise SystemExit(failed)


if __name__ == "__main__":
    main()
