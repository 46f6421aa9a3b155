"""EXPLAIN (ANALYZE, BUFFERS) of every statement the API runs for its list, search and detail requests, on the
database bench_api.py loaded (1M notices): the plans recorded in bench/README.md.

    BENCH_API_DATABASE=bidradar_bench_api .venv/bin/python bench/explain_api.py [--full]

The statements are the API's own (serving.api.queries called as the routes call them, in a read-only snapshot);
each is run once to warm the cache, then again under EXPLAIN with the same parameters. Prints per request each
statement's execution time and its plan's top nodes (all of it with --full). Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bidradar.core.clock import now_kst  # noqa: E402
from serving.api import db, queries  # noqa: E402

REQUESTS = {
    "list: open, closing soonest": dict(filters=queries.NoticeFilters(status="open"), sort="close_asc"),
    "list: services, newest": dict(filters=queries.NoticeFilters(category="services"), sort="registered_desc"),
    "list: open, goods, dearest": dict(
        filters=queries.NoticeFilters(status="open", category="goods"), sort="price_desc"
    ),
    "search: 청소 (frequent word)": dict(filters=queries.NoticeFilters(q="청소"), sort="registered_desc"),
    "search: 정보시스템, open": dict(
        filters=queries.NoticeFilters(q="정보시스템", status="open"), sort="registered_desc"
    ),
    "search: 수원시, services": dict(
        filters=queries.NoticeFilters(q="수원시", category="services"), sort="registered_desc"
    ),
    "search: 전기, services (a frequent word the filter excludes: the longest walk)": dict(
        filters=queries.NoticeFilters(q="전기", category="services"), sort="registered_desc"
    ),
    "search: 교량 보수 (two words)": dict(filters=queries.NoticeFilters(q="교량 보수"), sort="registered_desc"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="print whole plans")
    args = parser.parse_args()
    server = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = os.environ.get("BENCH_API_DATABASE", "bidradar_bench_api")
    warehouse = db.Warehouse(server.rsplit("/", 1)[0] + f"/{name}")
    recorded: list[tuple[str, object]] = []

    @sa.event.listens_for(warehouse.engine, "before_cursor_execute")
    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("EXPLAIN", "SHOW", "SELECT PG_", "SELECT VERSION")):
            recorded.append((statement, parameters))

    now = now_kst().replace(tzinfo=None)
    with warehouse.snapshot() as conn:
        sample = conn.execute(
            sa.text("SELECT notice_no FROM bid_notices ORDER BY registered_at DESC LIMIT 1 OFFSET 500")
        ).scalar()
    calls = {
        label: (lambda conn, r=r: queries.list_notices(conn, r["filters"], r["sort"], 50, None, now, warehouse))
        for label, r in REQUESTS.items()
    }
    calls["detail"] = lambda conn: queries.notice_detail(conn, warehouse, sample, now)
    for label, call in calls.items():
        with warehouse.snapshot() as conn:
            call(conn)  # warm
            recorded.clear()
            warehouse.search_probes.clear()
            call(conn)
            statements = list(recorded)
            print(f"\n### {label}: {len(statements)} statements")
            total = 0.0
            for statement, parameters in statements:
                raw = conn.connection.dbapi_connection.cursor()
                raw.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                plan = [row[0] for row in raw.fetchall()]
                raw.close()
                took = float(next(line for line in plan if line.startswith("Execution Time")).split()[2])
                total += took
                short = " ".join(statement.split())[:160]
                print(f"\n{took:8.2f} ms  {short}")
                for line in plan if args.full else plan[:6]:
                    print(f"    {line}")
            print(f"\n    total execution {total:.2f} ms")


if __name__ == "__main__":
    main()
