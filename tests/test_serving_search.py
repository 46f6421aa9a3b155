"""The Korean search index is what serves a two-syllable query: proven with the plan of the API's own query."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
import sqlalchemy as sa

from bidradar.core import warehouse
from bidradar.core.warehouse import TableWrite
from serving.api import queries, search

NOW = dt.datetime(2026, 3, 10, 12, 0)
WORDS = ["도로", "전기", "정보시스템", "급식", "방역", "조경", "소프트웨어", "교량", "하수관로", "LED"]


def many_notices(count: int) -> pl.DataFrame:
    """`count` notices; one in 200 is a 청소 notice."""
    rows = []
    for i in range(count):
        word = "청소" if i % 200 == 0 else WORDS[i % len(WORDS)]
        rows.append(
            {
                "notice_no": f"R26BK{i:08d}",
                "notice_order": "000",
                "revision_key": "x",
                "category": "services",
                "is_cancelled": False,
                "title": f"{2026 - i % 3}년 {word} 용역 {i}호",
                "notice_agency_name": f"기관{i % 97}",
                "registered_at": NOW - dt.timedelta(minutes=i),
                "bid_close_at": NOW + dt.timedelta(hours=i % 500),
            }
        )
    return pl.DataFrame(rows)


def test_query_words_and_bigrams() -> None:
    assert search.words("  도로 청소 LED ") == ["도로", "청소", "led"]
    assert search.bigrams("청소년") == ["청소", "소년"] and search.bigrams("청") == []


def plan_of(engine: sa.Engine, query: sa.Select) -> str:
    compiled = query.compile(dialect=engine.dialect)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            rows = conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params).fetchall()
            return "\n".join(r[0] for r in rows)
        params = tuple(compiled.params[name] for name in compiled.positiontup or [])
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), params).fetchall()
        return "\n".join(r[-1] for r in rows)


@pytest.mark.slow
def test_the_bigram_index_serves_a_two_syllable_query(migrated_engine: sa.Engine) -> None:
    warehouse.write(
        migrated_engine,
        [TableWrite("bid_notices", many_notices(20_000), key=["notice_no"])],
        partition_date=dt.date(2026, 3, 10),
    )
    dialect = migrated_engine.dialect.name
    with migrated_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if dialect == "postgresql" else "ANALYZE")
    # The API's probe of the index for a query (search.plan): at most FREQUENT + 1 hits, then the page by key.
    plan = plan_of(migrated_engine, search.hits_query(["청소"], dialect).limit(search.FREQUENT + 1))
    if dialect == "postgresql":
        # The GIN index on notice_search.bigrams finds the 100 청소 notices; no scan of the bigram arrays.
        assert "Bitmap Index Scan on notice_search_bigrams" in plan, plan
        assert "Seq Scan on notice_search" not in plan, plan
    else:
        # The posting list of 청소: a range of the (bigram, notice_no) primary key.
        assert "SEARCH notice_search_bigrams USING PRIMARY KEY (bigram=?)" in plan, plan
    with migrated_engine.connect() as conn:
        found = queries.list_notices(conn, queries.NoticeFilters(q="청소"), "registered_desc", 200, None, NOW)
    assert len(found["items"]) == 100 and all("청소" in item["title"] for item in found["items"])


@pytest.mark.slow
def test_a_frequent_word_is_found_by_walking_the_sort_order(migrated_engine: sa.Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A word in thousands of notices skips the index; paging through it still finds every notice once, in order,
    also when a page ends early after its scanning budget."""
    warehouse.write(
        migrated_engine,
        [TableWrite("bid_notices", many_notices(3_000), key=["notice_no"])],
        partition_date=dt.date(2026, 3, 10),
    )
    monkeypatch.setattr(search, "FREQUENT", 50)
    monkeypatch.setattr(queries, "SCAN_BATCH", 100)
    monkeypatch.setattr(queries, "SCAN_BATCHES", 2)
    expected = [f"R26BK{i:08d}" for i in range(3_000) if i % 200 and WORDS[i % len(WORDS)] == "도로"]
    seen, cursor = [], None
    with migrated_engine.connect() as conn:
        assert search.plan(conn, "도로").candidates is None  # walk the sort order
        assert search.plan(conn, "도로 청소").candidates is not None  # the 15 청소 notices, then check 도로
        while True:
            page = queries.list_notices(conn, queries.NoticeFilters(q="도로"), "registered_desc", 40, cursor, NOW)
            seen += [item["notice_no"] for item in page["items"]]
            if (cursor := page["next_cursor"]) is None:
                break
        # A frequent word beside a rare one: the rare one goes through the index (도로 and 청소 never meet).
        both = queries.list_notices(conn, queries.NoticeFilters(q="도로 청소"), "registered_desc", 40, None, NOW)
    assert seen == expected  # registered one minute apart, newest (lowest i) first
    assert both["items"] == []


def test_the_index_follows_upserts_of_titles_with_repeated_bigrams(migrated_engine: sa.Engine) -> None:
    """The writer's upsert (SQLite: INSERT ... ON CONFLICT) fires the index triggers; a title that repeats a
    bigram (청소 ... 청소) must not break the write, and a changed title moves the notice in the index."""
    day = dt.date(2026, 3, 10)
    frame = many_notices(3).with_columns(pl.lit("청소 청소 청소용역 2026 2026").alias("title"))
    for title in ("청소 청소 청소용역 2026 2026", "도로 도로 보수 공사"):
        frame = frame.with_columns(pl.lit(title).alias("title"))
        warehouse.write(migrated_engine, [TableWrite("bid_notices", frame, key=["notice_no"])], partition_date=day)
    with migrated_engine.connect() as conn:
        assert (
            queries.list_notices(conn, queries.NoticeFilters(q="청소"), "registered_desc", 10, None, NOW)["items"] == []
        )
        found = queries.list_notices(conn, queries.NoticeFilters(q="도로"), "registered_desc", 10, None, NOW)["items"]
    assert len(found) == 3


def test_the_index_follows_updates_in_place_and_deletes(migrated_engine: sa.Engine) -> None:
    """Upserts that UPDATE rows (replace='rows', a newer revision) and deletes by key keep the index in step (on
    PostgreSQL by migration 0024's statement triggers): a changed title moves its notice, an update that leaves the
    title alone keeps it findable, a deleted notice is found no more. An ASCII word matches whatever its case."""

    def notices(titles: list[str], revision: str) -> pl.DataFrame:
        frame = many_notices(len(titles)).with_columns(
            pl.Series("title", titles), pl.lit(revision).alias("revision_key")
        )
        return frame.with_columns(
            pl.lit(revision == "b").alias("is_cancelled"),  # a column other than the text changes too
            pl.lit(dt.date(2026, 3, 10)).alias("partition_date"),
        )

    def found(conn: sa.Connection, word: str) -> list[str]:
        page = queries.list_notices(conn, queries.NoticeFilters(q=word), "registered_desc", 10, None, NOW)
        return sorted(item["notice_no"] for item in page["items"])

    def upsert(frame: pl.DataFrame) -> None:
        write = TableWrite("bid_notices", frame, key=["notice_no"], newer_column="revision_key", replace="rows")
        warehouse.write(migrated_engine, [write])

    upsert(notices(["하천 정비 LED", "교량 보수", "방역 소독"], "a"))
    upsert(notices(["도로 포장", "교량 보수", "방역 소독"], "b"))  # the first title changes, the others do not
    warehouse.write(
        migrated_engine,
        [
            TableWrite(
                "bid_notices",
                notices(["-"], "b").clear(),
                key=["notice_no"],
                replace="keys",
                delete_keys={"notice_no": ["R26BK00000002"]},
            )
        ],
    )
    with migrated_engine.connect() as conn:
        assert found(conn, "하천") == [] and found(conn, "led") == []
        assert found(conn, "도로") == ["R26BK00000000"]
        assert found(conn, "교량") == ["R26BK00000001"] and found(conn, "교량 보수") == ["R26BK00000001"]
        assert found(conn, "방역") == []
    upsert(notices(["LED 조명 교체"], "c"))
    with migrated_engine.connect() as conn:
        assert found(conn, "led") == ["R26BK00000000"] and found(conn, "LED 조명") == ["R26BK00000000"]
