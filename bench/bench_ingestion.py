"""30-day backfill from the G2B simulator into each backend: throughput, API calls against the minimum, memory.

    .venv/bin/python bench/bench_ingestion.py [--days 30] [--postgres postgresql://postgres@127.0.0.1:5432/test]

The simulator runs in its own process (`bidradar g2b-sim`), so the peak memory printed is the crawler's and
loader's own. Phases:
  crawl       HTTP + JSON parsing in the client + gzip + the raw write (bounded by the simulator's speed)
  notices     parse the raw pages (gunzip + JSON), normalize, load the four notice tables: the "parse,
              normalize and load" rate, target >= 20,000 notices/s on one core into PostgreSQL
  results     the same for openings, 예비가격 and every bidder
Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assets.ingestion import load_raw
from bidradar.core import warehouse
from bidradar.core.clock import now_kst
from bidradar.ingestion import crawl
from bidradar.ingestion import tables as ingest_tables
from bidradar.ingestion.client import G2BClient
from orchestration.resources import WarehouseResource

KEY = "bench-key"


def start_simulator(port: int) -> subprocess.Popen:
    env = {**os.environ, "G2B_SERVICE_KEY": KEY}
    process = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "g2b-sim", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, text=True)  # fmt: skip
    process.stdout.readline()  # the simulator prints its URL once it listens
    return process


def crawl_phase(url: str, engine: sa.Engine, days: list[dt.date]) -> dict:
    started = time.perf_counter()
    with G2BClient(url, KEY) as client:
        for day in days:
            for dataset, crawl_day in (("notices", crawl.crawl_notice_day), ("results", crawl.crawl_result_day)):
                frame = crawl.raw_pages_frame(crawl_day(client, day))
                warehouse.write(engine, [ingest_tables.raw_pages_write(frame, dataset)], day)
        stats = client.stats
    return {"seconds": time.perf_counter() - started, "calls": stats.total_calls, "minimum": stats.total_minimum}


def notices_phase(resource_: WarehouseResource, days: list[dt.date]) -> dict:
    started, notices = time.perf_counter(), 0
    for day in days:
        raw = load_raw(resource_, "notices", day)
        tables = ingest_tables.notice_tables(raw, day)
        resource_.write(ingest_tables.notice_writes(tables, raw, now_kst()), day)
        notices += tables["bid_notices"].height
    return {"seconds": time.perf_counter() - started, "notices": notices}


def results_phase(resource_: WarehouseResource, days: list[dt.date]) -> dict:
    rates = resource_.read_frame("SELECT notice_no, lower_limit_rate FROM bid_notices")
    started, openings, bidders = time.perf_counter(), 0, 0
    for day in days:
        raw = load_raw(resource_, "results", day)
        tables = ingest_tables.result_tables(raw, rates)
        resource_.write(ingest_tables.result_writes(tables), day)
        results, bidder_rows = tables["bid_results"], tables["bid_result_bidders"]
        openings, bidders = openings + results.height, bidders + bidder_rows.height
    return {"seconds": time.perf_counter() - started, "openings": openings, "bidders": bidders}


def run_backend(name: str, database_url: str, url: str, days: list[dt.date]) -> None:
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    resource_ = WarehouseResource(database_url=database_url)
    crawled = crawl_phase(url, engine, days)
    notices = notices_phase(resource_, days)
    results = results_phase(resource_, days)
    over = (crawled["calls"] / crawled["minimum"] - 1) * 100
    print(f"\n== {name}: {len(days)} days {days[0]} .. {days[-1]}")
    print(f"crawl    {crawled['seconds']:7.1f} s   API calls {crawled['calls']:,} vs minimum {crawled['minimum']:,} "
          f"({over:+.2f}%; target <= +5%)")  # fmt: skip
    rate = notices["notices"] / notices["seconds"]
    print(f"notices  {notices['seconds']:7.2f} s   {notices['notices']:,} notices (with 기초금액, 면허, 지역): "
          f"{rate:,.0f} notices/s parse+normalize+load (target >= 20,000/s)")  # fmt: skip
    print(f"results  {results['seconds']:7.2f} s   {results['openings']:,} openings, {results['bidders']:,} bidders: "
          f"{results['openings'] / results['seconds']:,.0f} openings/s, {results['bidders'] / results['seconds']:,.0f} bidder rows/s")  # fmt: skip
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument(
        "--postgres", default=os.environ.get("BIDRADAR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--port", type=int, default=18189)
    args = parser.parse_args()
    last = dt.date.today() - dt.timedelta(days=1)
    days = [last - dt.timedelta(days=n) for n in range(args.days - 1, -1, -1)]
    simulator = start_simulator(args.port)
    url = f"http://127.0.0.1:{args.port}"
    try:
        with tempfile.TemporaryDirectory() as folder:
            run_backend("SQLite", f"sqlite:///{folder}/bench.db", url, days)
        db = f"bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(warehouse.sqlalchemy_url(args.postgres), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {db}"))
        try:
            run_backend("PostgreSQL", args.postgres.rsplit("/", 1)[0] + f"/{db}", url, days)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
    finally:
        simulator.terminate()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of the crawler and loader: {peak_mb:,.0f} MB (target < 1,024 MB)")


if __name__ == "__main__":
    main()
