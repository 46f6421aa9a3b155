"""Helpers shared by the tests that build a warehouse through Dagster."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import polars as pl
from dagster import ExecuteInProcessResult, materialize

from assets.common.resources import G2BResource, WarehouseResource
from bidradar.core import warehouse


def materialize_days(
    assets: Sequence, database_url: str, days: Sequence[dt.date], g2b: G2BResource, raise_on_error: bool = True
) -> ExecuteInProcessResult:
    """Materialize partitioned assets over a range of days as one run, as a backfill does."""
    return materialize(
        assets,
        resources={"warehouse": WarehouseResource(database_url=database_url), "g2b": g2b},
        tags={
            "dagster/asset_partition_range_start": days[0].isoformat(),
            "dagster/asset_partition_range_end": days[-1].isoformat(),
        },
        raise_on_error=raise_on_error,
    )


def read_table(database_url: str, table: str) -> pl.DataFrame:
    """Every row of one warehouse table (tests read what the assets wrote, through a fresh engine)."""
    engine = warehouse.make_engine(database_url)
    try:
        return warehouse.read_frame(engine, f"SELECT * FROM {table}")
    finally:
        engine.dispose()


def copy_sqlite_warehouse(template: Path, folder: Path) -> str:
    """A private copy of a built SQLite warehouse (and its profiles) in `folder`; its URL.

    Building a warehouse through Dagster takes tens of seconds; a test file that only reads it, or writes its own
    tables on top, takes a copy of the one built for the whole run (tests/conftest.py) instead of building its own."""
    folder.mkdir(parents=True, exist_ok=True)
    # SQLite's online backup copies what is committed, also what still sits in the write-ahead log.
    with (
        contextlib.closing(sqlite3.connect(template / "w.db")) as source,
        contextlib.closing(sqlite3.connect(folder / "w.db")) as target,
    ):
        source.backup(target)
    if (template / "profiles").is_dir():
        shutil.copytree(template / "profiles", folder / "profiles", dirs_exist_ok=True)
    return f"sqlite:///{folder / 'w.db'}"
