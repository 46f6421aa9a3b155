"""A day on which G2B gave no 기초금액, no license and no region rows (today early, a holiday) is written as a day
with no rows, not refused by the writer for the raw columns of an empty frame (the demo stopped on it)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from bidradar.core import warehouse
from bidradar.ingestion import tables


def test_a_day_without_detail_rows_is_written_empty(database_url: str) -> None:
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    day = dt.date(2026, 12, 7)
    notice_tables = tables.notice_tables({}, day)
    warehouse.write(
        engine, tables.notice_writes(notice_tables, {}, dt.datetime(2026, 12, 7, 9), engine.dialect.name), day
    )
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM notice_base_amounts")).scalar_one() == 0
        fetched = conn.execute(sa.text("SELECT base_amounts_complete FROM notice_detail_fetches")).scalar_one()
    assert not fetched  # nothing fetched that day: "unknown", not "no limit"
