"""The search index's bigrams computed by the notice writer (migration 0031) are exactly the server's own.

PostgreSQL only: the staging table and its triggers exist there (SQLite's row triggers index each notice). Each test
compares notice_search after a real write with `bidradar_bigrams` over the same bid_notices rows."""

from __future__ import annotations

import datetime as dt

import polars as pl
import sqlalchemy as sa

from bidradar.core import warehouse
from bidradar.core.warehouse import TableWrite
from bidradar.ingestion import search_index
from bidradar.ingestion import tables as ingest_tables

DAY = dt.date(2026, 3, 10)
TITLES = {
    "plain": "2026년 도로 청소 용역",
    "ascii": "LED 가로등 교체 (Phase-2) CCTV",
    "quotes": 'a"b\\c {d,e} 전기"공사',
    "single": "가 나 다 A",
    "tabs": "정보\t시스템\n유지\r보수  관리",
    "fullwidth": "ＬＥＤ 조명 구매",  # lower-cases outside ASCII: left to the server
    "greek": "ΣΙΓΜΑ 측량",
    "ideographic": "급식\u3000재료 구매",  # whitespace outside ASCII: left to the server
    "nbsp": "방역\u00a0소독",
    "emoji": "청소🧹 용역",
}


def notices(titles: dict[str, str], revision: str = "000|20260310090000") -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "notice_no": f"R26BK{i:08d}",
                "notice_order": revision[:3],
                "revision_key": revision,
                "category": "services",
                "is_cancelled": False,
                "title": title,
                "notice_agency_name": None if i % 2 else "조달청 서울지방조달청",
                "demand_agency_name": "서울특별시 Gangnam-gu" if i % 3 == 0 else None,
                "classification_name": "",
                "registered_at": dt.datetime(2026, 3, 10, 9),
            }
            for i, title in enumerate(titles.values())
        ]
    )


def write_notices(engine: sa.Engine, frame: pl.DataFrame, day: dt.date = DAY) -> None:
    tables = {**ingest_tables.notice_tables({}, day), "bid_notices": frame}
    warehouse.write(engine, ingest_tables.notice_writes(tables, {}, dt.datetime(2026, 3, 10, 12), "postgresql"), day)


def mismatches(engine: sa.Engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT n.notice_no, n.title, s.bigrams FROM bid_notices AS n LEFT JOIN notice_search AS s "
                "USING (notice_no) WHERE s.bigrams IS DISTINCT FROM bidradar_bigrams(bidradar_search_text(n.title, "
                "n.notice_agency_name, n.demand_agency_name, n.classification_name))"
            )
        ).all()


def count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_the_writers_bigrams_are_the_servers_and_are_never_committed(postgres_url: str) -> None:
    engine = warehouse.make_engine(postgres_url)
    warehouse.migrate(engine)
    frame = notices(TITLES)
    staged = search_index.staged_search_rows(frame)
    # The texts whose lower-casing or whitespace depends on the locale are left to the server; the rest are staged.
    left_to_server = {"fullwidth", "greek", "ideographic", "nbsp"}
    expected = {f"R26BK{i:08d}" for i, name in enumerate(TITLES) if name not in left_to_server}
    assert set(staged["notice_no"]) == expected
    write_notices(engine, frame)
    assert count(engine, "notice_search") == len(TITLES)
    assert mismatches(engine) == []
    assert count(engine, "notice_search_staged") == 0
    write_notices(engine, frame)  # a rerun: the same index
    assert mismatches(engine) == [] and count(engine, "notice_search") == len(TITLES)
    engine.dispose()


def test_a_staged_row_is_used_only_for_the_text_it_was_computed_from(postgres_url: str) -> None:
    engine = warehouse.make_engine(postgres_url)
    warehouse.migrate(engine)
    frame = notices({"plain": TITLES["plain"]})
    wrong = pl.DataFrame({"notice_no": [frame["notice_no"][0]], "source_text": ["다른 공고"], "bigrams": ["{zz}"]})
    writes = [
        TableWrite("notice_search_staged", wrong, ["notice_no"], replace="table"),
        TableWrite("bid_notices", frame, ["notice_no"], "revision_key"),
    ]
    warehouse.write(engine, writes, DAY)
    assert mismatches(engine) == []
    engine.dispose()


def test_an_older_revision_written_later_leaves_the_newer_ones_bigrams(postgres_url: str) -> None:
    engine = warehouse.make_engine(postgres_url)
    warehouse.migrate(engine)
    write_notices(engine, notices({"new": "새 제목 하수관로 정비"}, "001|20260311090000"), DAY + dt.timedelta(days=1))
    write_notices(engine, notices({"old": "옛 제목 교량 보수"}, "000|20260310090000"))  # loses to the newer 차수
    assert mismatches(engine) == []
    with engine.connect() as conn:
        bigrams = conn.execute(sa.text("SELECT bigrams FROM notice_search")).scalar_one()
    assert "관로" in bigrams and "교량" not in bigrams
    assert count(engine, "notice_search_staged") == 0
    engine.dispose()
