"""Migrations and partition writes on both backends."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import time

import polars as pl
import pytest
import sqlalchemy as sa

from bidradar.core import warehouse
from bidradar.core.warehouse import MigrationError, TableWrite, WarehouseWriteError

DAY = dt.date(2026, 11, 2)


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_migrations_apply_from_empty_then_reapply_as_no_op(empty_database_url: str) -> None:
    engine = warehouse.make_engine(empty_database_url)
    first = warehouse.migrate(engine)
    assert first.applied and not first.already_applied
    assert {"schema_migrations", "g2b_raw_pages", "bid_notices", "bid_outcomes"} <= _tables(engine)
    assert "bid_results" in sa.inspect(engine).get_view_names()  # the old name reads the outcomes
    second = warehouse.migrate(engine)
    assert second.applied == []
    assert second.already_applied == first.applied
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT version, checksum FROM schema_migrations ORDER BY version")).all()
    assert [r.version for r in rows] == sorted({m.version for m in warehouse.discover_migrations(engine.dialect.name)})
    assert all(len(r.checksum) == 64 for r in rows)


def test_an_edited_migration_is_refused(empty_database_url: str, tmp_path) -> None:
    folder = tmp_path / "sql"
    shutil.copytree(warehouse.sql_dir(), folder)
    engine = warehouse.make_engine(empty_database_url)
    warehouse.migrate(engine, folder)
    edited = folder / "0002_notices.sql"
    edited.write_text(edited.read_text() + "\n-- an innocent-looking edit\n")
    with pytest.raises(MigrationError, match=r"0002_notices\.sql was edited after it was applied"):
        warehouse.migrate(engine, folder)


def test_a_failing_migration_leaves_nothing_behind(empty_database_url: str, tmp_path) -> None:
    folder = tmp_path / "sql"
    folder.mkdir()
    (folder / "0001_ok.sql").write_text("CREATE TABLE one (id INTEGER PRIMARY KEY);\n")
    (folder / "0002_broken.sql").write_text("CREATE TABLE two (id INTEGER PRIMARY KEY);\nCREATE TABLE nonsense (;\n")
    engine = warehouse.make_engine(empty_database_url)
    with pytest.raises(MigrationError, match=r"0002_broken\.sql failed and was rolled back"):
        warehouse.migrate(engine, folder)
    assert "one" in _tables(engine) and "two" not in _tables(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM schema_migrations")).scalar_one() == 1


def test_dialect_variants_sit_side_by_side() -> None:
    sqlite = {m.version: m.path.name for m in warehouse.discover_migrations("sqlite")}
    postgres = {m.version: m.path.name for m in warehouse.discover_migrations("postgresql")}
    assert sqlite.keys() == postgres.keys()
    assert sqlite["0001"].endswith(".sqlite.sql") and postgres["0001"].endswith(".postgresql.sql")
    assert sqlite["0002"] == postgres["0002"] == "0002_notices.sql"


def _notice(no: str, order: str, title: str, changed: str = "") -> dict:
    return {
        "notice_no": no,
        "notice_order": order,
        "revision_key": f"{order}|{changed or '20261102090000'}",
        "category": "services",
        "is_cancelled": False,
        "title": title,
        "registered_at": dt.datetime(2026, 11, 2, 9, 0),
        "estimated_price": 219_000_000,
    }


def _count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_partition_write_is_idempotent_and_newer_revision_wins(migrated_engine: sa.Engine) -> None:
    rows = pl.DataFrame([_notice("R26BK00000001", "000", "원공고"), _notice("R26BK00000002", "000", "둘째")])
    for _ in range(2):  # a rerun yields exactly the same rows
        warehouse.write(
            migrated_engine, partition_date=DAY, writes=[TableWrite("bid_notices", rows, ["notice_no"], "revision_key")]
        )
    assert _count(migrated_engine, "bid_notices") == 2

    # A later day brings 차수 001 of the first notice: it wins, and owns the row now.
    later = dt.date(2026, 11, 5)
    amended = pl.DataFrame([_notice("R26BK00000001", "001", "정정공고", "20261105100000")])
    warehouse.write(migrated_engine, [TableWrite("bid_notices", amended, ["notice_no"], "revision_key")], later)
    # Re-running the first day must not bring the old 차수 back.
    warehouse.write(
        migrated_engine, partition_date=DAY, writes=[TableWrite("bid_notices", rows, ["notice_no"], "revision_key")]
    )
    frame = warehouse.read_frame(
        migrated_engine,
        "SELECT notice_no, notice_order, title, partition_date FROM bid_notices ORDER BY notice_no",
        schema={"partition_date": pl.Date},
    )
    assert frame.rows() == [("R26BK00000001", "001", "정정공고", later), ("R26BK00000002", "000", "둘째", DAY)]


def test_a_failed_partition_write_changes_nothing(migrated_engine: sa.Engine) -> None:
    good = pl.DataFrame([_notice("R26BK00000001", "000", "원공고")])
    warehouse.write(
        migrated_engine, partition_date=DAY, writes=[TableWrite("bid_notices", good, ["notice_no"], "revision_key")]
    )
    bad = pl.DataFrame([{**_notice("R26BK00000009", "000", "새 공고")}]).with_columns(title=pl.lit(None, pl.String))
    # title is NOT NULL: the second write fails, and the first one of the same transaction is undone too.
    with pytest.raises(WarehouseWriteError, match="bid_notices"):
        warehouse.write(
            migrated_engine,
            partition_date=DAY,
            writes=[
                TableWrite("bid_notices", pl.DataFrame([_notice("R26BK00000003", "000", "셋째")]), ["notice_no"]),
                TableWrite("bid_notices", bad, ["notice_no"]),
            ],
        )
    frame = warehouse.read_frame(migrated_engine, "SELECT notice_no FROM bid_notices")
    assert frame["notice_no"].to_list() == ["R26BK00000001"]


def test_empty_strings_stay_empty_and_nulls_stay_null(migrated_engine: sa.Engine) -> None:
    row = {**_notice("R26BK00000001", "000", "제목"), "change_reason": "", "reference_no": None}
    warehouse.write(
        migrated_engine, partition_date=DAY, writes=[TableWrite("bid_notices", pl.DataFrame([row]), ["notice_no"])]
    )
    frame = warehouse.read_frame(migrated_engine, "SELECT change_reason, reference_no FROM bid_notices")
    assert frame.row(0) == ("", None)


_MIGRATE = """
import json, sys, time
from pathlib import Path
from bidradar.core import warehouse
engine = warehouse.make_engine(sys.argv[1])
time.sleep(max(0.0, float(sys.argv[3]) - time.time()))  # both processes start migrating at the same instant
report = warehouse.migrate(engine, Path(sys.argv[2]))
print(json.dumps({"applied": report.applied, "already_applied": report.already_applied}))
"""


def test_two_processes_migrating_at_once_apply_each_migration_once(empty_database_url: str, tmp_path) -> None:
    """Two services starting together: the second waits for the first's lock, then finds nothing to do.

    Before the lock both read an empty ledger and the second failed with "table one already exists", a message that
    looks like a broken migration."""
    folder = tmp_path / "sql"
    folder.mkdir()
    # A migration that takes a while, so the two processes surely overlap.
    (folder / "0001_slow.postgresql.sql").write_text("SELECT pg_sleep(1.5);\nCREATE TABLE one (id INTEGER);\n")
    slow_sqlite = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) FROM c"
    )
    (folder / "0001_slow.sqlite.sql").write_text(f"{slow_sqlite};\nCREATE TABLE one (id INTEGER);\n")
    (folder / "0002_two.sql").write_text("CREATE TABLE two (id INTEGER);\n")
    start_at = str(time.time() + 4)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _MIGRATE, empty_database_url, str(folder), start_at],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err[-2000:]
    reports = sorted((json.loads(out) for out, _ in outputs), key=lambda r: len(r["applied"]))
    names = ["0001_slow." + empty_database_url.split(":")[0].split("+")[0] + ".sql", "0002_two.sql"]
    assert reports[0] == {"applied": [], "already_applied": names}
    assert reports[1] == {"applied": names, "already_applied": []}
    engine = warehouse.make_engine(empty_database_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM schema_migrations")).scalar_one() == 2
    engine.dispose()
