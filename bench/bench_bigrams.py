"""The search bigrams of one long text on PostgreSQL: 0011's quadratic function against 0018's linear one.

    .venv/bin/python bench/bench_bigrams.py [--postgres postgresql://postgres@127.0.0.1:5432/test]

Migrates a fresh database, recreates 0011's function under another name, and times both on Korean texts of
1,000 to 60,000 characters (the best of 3), then one write of a notice with a 60,000-character title through the
search trigger (the ingestion cuts titles at MAX_TEXT_CHARS first; the write here does not, to time the worst
case). Prints numbers and ratios; asserts nothing.
"""

import argparse
import datetime as dt
import sys
import time
import uuid
from pathlib import Path

import polars as pl
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bidradar.core import warehouse
from bidradar.ingestion.normalize import MAX_TEXT_CHARS

QUADRATIC = (
    "CREATE FUNCTION quadratic_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$ SELECT "
    "coalesce(array_agg(DISTINCT b ORDER BY b), '{}') FROM (SELECT substr(t, i, 2) AS b FROM "
    "generate_series(1, char_length(t) - 1) AS i) AS grams WHERE b !~ '\\s' $$"
)
SYLLABLES = "서울특별시 강남구 도로포장 정보시스템 유지관리 용역 긴급 재공고 "


def text_of(length: int) -> str:
    return (SYLLABLES * (length // len(SYLLABLES) + 1))[:length]


def best_of(conn: sa.Connection, function: str, text: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        conn.execute(sa.text(f"SELECT cardinality({function}(:t))"), {"t": text}).scalar_one()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    base = parser.parse_args().postgres
    db = f"bb_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(warehouse.sqlalchemy_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f"CREATE DATABASE {db}"))
    engine = warehouse.make_engine(base.rsplit("/", 1)[0] + "/" + db)
    try:
        warehouse.migrate(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql(QUADRATIC)
        print(f"{'characters':>10} {'0011 quadratic s':>17} {'0018 linear s':>14} {'ratio':>7}")
        with engine.connect() as conn:
            for length in (1_000, MAX_TEXT_CHARS, 15_000, 60_000):
                text = text_of(length)
                runs = 1 if length > 20_000 else 3
                old, new = best_of(conn, "quadratic_bigrams", text, runs), best_of(conn, "bidradar_bigrams", text)
                print(f"{length:>10,} {old:>17.3f} {new:>14.3f} {old / new:>7.1f}")
        notice = {
            "notice_no": "R26BK99999999",
            "notice_order": "000",
            "revision_key": "000|x",
            "category": "services",
            "is_cancelled": False,
            "title": text_of(60_000),
            "registered_at": dt.datetime(2026, 11, 2, 9),
        }
        start = time.perf_counter()
        warehouse.write(
            engine, [warehouse.TableWrite("bid_notices", pl.DataFrame([notice]), ["notice_no"])], dt.date(2026, 11, 2)
        )
        print(
            f"one notice with a 60,000-character title written through the search trigger: "
            f"{time.perf_counter() - start:.3f} s"
        )
    finally:
        engine.dispose()
        with admin.connect() as c:
            c.execute(sa.text(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"))


if __name__ == "__main__":
    main()
