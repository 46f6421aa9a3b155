"""The notices phase from the columnar copies (Arrow IPC) against the gzipped JSON, back to back on the same data.

    taskset -c 0 .venv/bin/python bench/bench_notice_read.py [--postgres postgresql://postgres@127.0.0.1:5432/test]

Crawls 10 days of notices from an in-process simulator into a fresh PostgreSQL database once, then runs the
notices phase (read raw + normalize + load) twice each way. Prints numbers; asserts nothing.
"""

import argparse
import datetime as dt
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bidradar.core import warehouse
from bidradar.core.clock import now_kst
from bidradar.ingestion import crawl, fields
from bidradar.ingestion import tables as T
from bidradar.ingestion.client import G2BClient
from bidradar.ingestion.simulator import G2BSimulator

NOTICE_TABLES = (
    "bid_notices",
    "notice_base_amounts",
    "notice_license_limits",
    "notice_region_limits",
    "notice_detail_fetches",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    base = parser.parse_args().postgres
    db = f"nb_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(warehouse.sqlalchemy_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f"CREATE DATABASE {db}"))
    engine = warehouse.make_engine(base.rsplit("/", 1)[0] + "/" + db)
    try:
        warehouse.migrate(engine)
        days = [dt.date(2026, 11, 9) + dt.timedelta(days=i) for i in range(10)]
        now = dt.datetime(2026, 11, 25, tzinfo=ZoneInfo("Asia/Seoul"))
        sim = G2BSimulator(seed=20260101, notices_per_day=1500, service_key="k", now=now)
        with sim.serve() as url, G2BClient(url, "k", timeout=300) as client:
            for day in days:
                frame = crawl.raw_pages_frame(crawl.crawl_notice_day(client, day))
                warehouse.write(engine, [T.raw_pages_write(frame, "notices")], day)
        current = fields.MAPPING_VERSION
        for _ in range(2):
            for label, version in (("columnar (Arrow IPC)", current), ("gzipped JSON", "stale")):
                fields.MAPPING_VERSION = version  # a stale version makes the reader fall back to the JSON
                with engine.begin() as conn:
                    for table in NOTICE_TABLES:
                        conn.exec_driver_sql(f"DELETE FROM {table}")
                started, reading, distinct = time.perf_counter(), 0.0, set()
                for day in days:
                    t0 = time.perf_counter()
                    raw = T.load_raw_pages(engine, "notices", day)
                    reading += time.perf_counter() - t0
                    tables = T.notice_tables(raw, day)
                    warehouse.write(engine, T.notice_writes(tables, raw, now_kst(), engine.dialect.name), day)
                    distinct.update(tables["bid_notices"]["notice_no"].to_list())
                seconds = time.perf_counter() - started
                print(
                    f"{label:22} {len(distinct):,} distinct notices in {seconds:.2f} s = "
                    f"{len(distinct) / seconds:,.0f}/s (reading the raw layer {reading:.2f} s)"
                )
        fields.MAPPING_VERSION = current
    finally:
        engine.dispose()
        with admin.connect() as c:
            c.execute(sa.text(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"))


if __name__ == "__main__":
    main()
