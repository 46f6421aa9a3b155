"""bidradar/ops/metrics.py: the Prometheus text the alert rules read, from real files and a real warehouse."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import sqlalchemy as sa

from bidradar.core import warehouse
from bidradar.ops.metrics import Metric, backup_metrics, collect, disk_metrics, render, warehouse_metrics


def samples(text: str, name: str) -> dict[str, float]:
    return {labels: float(value) for labels, value in re.findall(rf"^{name}(\{{.*?\}})? (\S+)$", text, re.M)}


def test_backup_metrics_read_the_verified_dumps_and_the_failures(tmp_path: Path) -> None:
    for name in ("bidradar-20261120T180000Z.dump", "bidradar-20261121T180000Z.dump", "dagster-20261121T180000Z.dump"):
        (tmp_path / name).write_bytes(b"x" * 10)
    (tmp_path / "bidradar-20261122T180000Z.dump.failed").write_bytes(b"x")
    (tmp_path / "bidradar-20261122T190000Z.dump.partial").write_bytes(b"x")  # being written: not a backup
    text = render(backup_metrics(tmp_path, ["bidradar", "dagster", "mlflow"]))
    newest = dt.datetime(2026, 11, 21, 18, tzinfo=dt.UTC).timestamp()
    assert samples(text, "bidradar_backup_last_success_timestamp_seconds") == {
        '{database="bidradar"}': newest,
        '{database="dagster"}': newest,
        '{database="mlflow"}': 0.0,
    }
    assert samples(text, "bidradar_backup_verified_files")['{database="bidradar"}'] == 2
    failed = samples(text, "bidradar_backup_last_failure_timestamp_seconds")
    assert failed['{database="bidradar"}'] == dt.datetime(2026, 11, 22, 18, tzinfo=dt.UTC).timestamp()
    assert failed['{database="dagster"}'] == 0


def test_warehouse_metrics_turn_kst_write_times_into_unix_time(tmp_path: Path) -> None:
    engine = warehouse.make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    warehouse.migrate(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO table_versions VALUES ('bid_notices', 3, 10, '2026-11-23 09:00:00')"))
    text = render(warehouse_metrics(engine))
    assert "bidradar_warehouse_up 1" in text
    assert samples(text, "bidradar_warehouse_last_write_timestamp_seconds") == {
        '{table="bid_notices"}': dt.datetime(2026, 11, 23, 0, tzinfo=dt.UTC).timestamp()
    }
    gone = warehouse.make_engine(f"sqlite:///{tmp_path / 'nothing.db'}")
    assert "bidradar_warehouse_up 0" in render(warehouse_metrics(gone))


def test_disk_metrics_use_the_filesystem_of_a_folder_not_made_yet(tmp_path: Path) -> None:
    text = render(disk_metrics([tmp_path / "later" / "backups"]))
    usage = os.statvfs(tmp_path)
    assert (
        samples(text, "bidradar_disk_size_bytes")[f'{{path="{tmp_path}/later/backups"}}']
        == usage.f_blocks * usage.f_frsize
    )


def test_a_failing_collector_is_reported_and_hides_nothing() -> None:
    def broken() -> list[Metric]:
        raise RuntimeError("instance unreachable")

    text = collect({"ok": lambda: [Metric("bidradar_x", "x").add(1, path='a"b\\c')], "runs": broken})
    assert 'bidradar_x{path="a\\"b\\\\c"} 1' in text
    assert samples(text, "bidradar_ops_collector_failed") == {'{collector="ok"}': 0, '{collector="runs"}': 1}
    assert text.count("# TYPE ") == 2
