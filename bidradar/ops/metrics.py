"""The operations metrics Prometheus scrapes from `bidradar ops-metrics` (deploy/prometheus/): backups, disk space and
the warehouse's last writes. The Dagster half (runs, daemon heartbeats, newest partitions) is collected in
orchestration/ops_metrics.py, which imports Dagster; this module does not.

Metric names (the alert rules and the Grafana dashboard in deploy/ use exactly these):
  bidradar_backup_last_success_timestamp_seconds{database}   newest verified dump (0: none)
  bidradar_backup_last_size_bytes{database}                  its size
  bidradar_backup_verified_files{database}                   verified dumps kept
  bidradar_backup_last_failure_timestamp_seconds{database}   newest dump that failed its proof (0: none)
  bidradar_disk_free_bytes{path} / bidradar_disk_size_bytes{path}
  bidradar_warehouse_up                                       1 when the warehouse answered the last scrape
  bidradar_warehouse_last_write_timestamp_seconds{table}     table_versions.written_at (KST) as a Unix time
  bidradar_ops_collector_failed{collector}                    1: that collector raised this scrape (the others report)
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import sqlalchemy as sa

from bidradar.core.clock import KST
from bidradar.ops.backup import NAME, STAMP, list_backups

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass
class Metric:
    name: str
    help: str
    kind: str = "gauge"  # or "counter"
    samples: list[tuple[dict[str, str], float]] = field(default_factory=list)

    def add(self, value: float, **labels: str) -> Metric:
        self.samples.append((labels, float(value)))
        return self


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def render(metrics: Iterable[Metric]) -> str:
    """The Prometheus text exposition format (0.0.4)."""
    lines = []
    for metric in metrics:
        lines.append(f"# HELP {metric.name} {metric.help}")
        lines.append(f"# TYPE {metric.name} {metric.kind}")
        for labels, value in metric.samples:
            shown = ",".join(f'{key}="{_escape(val)}"' for key, val in sorted(labels.items()))
            lines.append(f"{metric.name}{{{shown}}} {value:.17g}" if shown else f"{metric.name} {value:.17g}")
    return "\n".join(lines) + "\n"


def backup_metrics(folder: Path, databases: Sequence[str]) -> list[Metric]:
    last = Metric("bidradar_backup_last_success_timestamp_seconds", "Unix time of the newest verified dump (0: none)")
    size = Metric("bidradar_backup_last_size_bytes", "size of the newest verified dump")
    files = Metric("bidradar_backup_verified_files", "verified dumps kept")
    failed = Metric("bidradar_backup_last_failure_timestamp_seconds", "Unix time of the newest failed dump (0: none)")
    for database in databases:
        backups = list_backups(folder, database)
        newest = backups[-1] if backups else None
        last.add(newest.taken_at.timestamp() if newest else 0, database=database)
        size.add(newest.path.stat().st_size if newest else 0, database=database)
        files.add(len(backups), database=database)
        stamps = [
            dt.datetime.strptime(m["stamp"], STAMP).replace(tzinfo=dt.UTC)
            for p in (folder.glob(f"{database}-*.dump.failed") if folder.is_dir() else [])
            if (m := NAME.match(p.name.removesuffix(".failed")))
        ]
        failed.add(max(stamps).timestamp() if stamps else 0, database=database)
    return [last, size, files, failed]


def disk_metrics(paths: Sequence[Path]) -> list[Metric]:
    free = Metric("bidradar_disk_free_bytes", "free bytes on the filesystem holding the path")
    size = Metric("bidradar_disk_size_bytes", "size of the filesystem holding the path")
    for path in paths:
        target = path
        while not target.exists() and target != target.parent:
            target = target.parent  # a folder not created yet: its filesystem is its parent's
        usage = shutil.disk_usage(target)
        free.add(usage.free, path=str(path))
        size.add(usage.total, path=str(path))
    return [free, size]


def warehouse_metrics(engine: sa.Engine) -> list[Metric]:
    up = Metric("bidradar_warehouse_up", "1 when the warehouse answered this scrape")
    written = Metric("bidradar_warehouse_last_write_timestamp_seconds", "last write of each table (table_versions)")
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT table_name, written_at FROM table_versions")).all()
    except sa.exc.SQLAlchemyError:
        return [up.add(0), written]
    for table, written_at in rows:
        if isinstance(written_at, str):  # SQLite hands back text
            written_at = dt.datetime.fromisoformat(written_at)
        written.add(written_at.replace(tzinfo=KST).timestamp(), table=table)
    return [up.add(1), written]


Collector = Callable[[], list[Metric]]


def collect(collectors: dict[str, Collector]) -> str:
    """Run every collector; one that raises is counted and skipped, so a broken source never hides the others."""
    metrics: list[Metric] = []
    errors = Metric("bidradar_ops_collector_failed", "1 when the collector raised during this scrape")
    for name, collector in collectors.items():
        try:
            metrics.extend(collector())
            errors.add(0, collector=name)
        except Exception:
            errors.add(1, collector=name)
    return render([*metrics, errors])


def make_server(collectors: dict[str, Collector], host: str, port: int) -> ThreadingHTTPServer:
    """GET /metrics (the text format) and GET /healthz ("ok"); a scrape at a time (collectors are not reentrant)."""
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = re.sub(r"\?.*$", "", self.path)
            if path == "/metrics":
                with lock:
                    body, content_type, status = collect(collectors).encode(), CONTENT_TYPE, 200
            elif path == "/healthz":
                body, content_type, status = b"ok\n", "text/plain", 200
            else:
                body, content_type, status = b"not found\n", "text/plain", 404
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return ThreadingHTTPServer((host, port), Handler)
