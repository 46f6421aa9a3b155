"""30-day backfill from the G2B simulator into each backend: throughput, API calls against the minimum, memory.

    .venv/bin/python bench/bench_ingestion.py [--days 30] [--postgres postgresql://postgres@127.0.0.1:5432/test]

The simulator runs in its own process (`bidradar g2b-sim`), so the peak memory printed is the crawler's and
loader's own. Phases:
  crawl       HTTP + JSON parsing in the client + gzip + the raw write (bounded by the simulator's speed)
  notices     read the columnar copies of the raw pages, normalize, load the four notice tables: the "parse,
              normalize and load" rate in DISTINCT notices/s, target >= 20,000 on one core into PostgreSQL,
              and its ratio to a bare COPY of the same rows into a table with the same keys
  results     the same for openings, awards, 예비가격 and every bidder, plus the outcomes; each 10-day chunk in
              its own process (as a Dagster run), whose peak RSS is printed (target < 500 MB)
Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
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

import polars as pl

from assets.common.resources import WarehouseResource
from bidradar.core import warehouse
from bidradar.core.clock import now_kst
from bidradar.ingestion import crawl, normalize, outcomes
from bidradar.ingestion import tables as ingest_tables
from bidradar.ingestion.client import G2BClient

KEY = "bench-key"


def start_simulator(port: int) -> subprocess.Popen:
    env = {**os.environ, "G2B_SERVICE_KEY": KEY}
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "g2b-sim", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
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


def backend_cpu_seconds(engine: sa.Engine) -> float:
    """CPU seconds (user + system) used so far by the PostgreSQL backends of this database (same machine, /proc):
    the server's share, which wall time on a loaded machine hides. 0 on SQLite (in-process: in the CPU time)."""
    if engine.dialect.name != "postgresql":
        return 0.0
    probe = sa.create_engine(engine.url, poolclass=sa.pool.NullPool)
    with probe.connect() as conn:
        pids = list(
            conn.execute(
                sa.text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalars()
        )
    probe.dispose()
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(stat[11]) + int(stat[12])) / tick
        except OSError:
            pass
    return total


def notices_phase(resource_: WarehouseResource, days: list[dt.date]) -> dict:
    """Parse (columnar copy), normalize and load the notice tables; the rate counts DISTINCT notices. Wall time,
    this process's CPU time and the server's CPU time are measured apart."""
    engine = resource_.engine
    with engine.connect() as conn:  # the pool's connection exists before the server's CPU is first read
        conn.exec_driver_sql("SELECT 1")
    server = backend_cpu_seconds(engine)
    started, cpu, distinct = time.perf_counter(), time.process_time(), set()
    frames: dict[str, list[pl.DataFrame]] = {name: [] for name in NOTICE_TABLES}
    steps = dict.fromkeys(("read", "normalize", "write"), 0.0)
    for day in days:
        step = time.process_time()
        raw = ingest_tables.load_raw_pages(engine, "notices", day)
        steps["read"] += time.process_time() - step
        step = time.process_time()
        tables = ingest_tables.notice_tables(raw, day)
        steps["normalize"] += time.process_time() - step
        step = time.process_time()
        resource_.write(ingest_tables.notice_writes(tables, raw, now_kst(), engine.dialect.name), day)
        steps["write"] += time.process_time() - step
        distinct.update(tables["bid_notices"]["notice_no"].to_list())
        for name in NOTICE_TABLES:
            frames[name].append(tables[name].with_columns(pl.lit(day).alias("partition_date")))
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "steps": steps,
        "server_cpu": backend_cpu_seconds(engine) - server,
        "notices": len(distinct),
        "frames": frames,
    }


def json_parse_phase(engine: sa.Engine, days: list[dt.date]) -> dict:
    """The floor of the notices phase: only parsing the same days' stored JSON pages into frames (polars' JSON
    reader, the fields normalization reads), the pages already read from the database: wall and CPU seconds."""
    with engine.connect() as conn:
        pages = conn.execute(
            sa.text(
                "SELECT operation, items_json_gz FROM g2b_raw_pages WHERE dataset = 'notices' AND partition_date "
                "IN :days ORDER BY partition_date, operation, request_key, page_no"
            ).bindparams(sa.bindparam("days", expanding=True)),
            {"days": [d.isoformat() for d in days]},
        ).all()
    by_operation: dict[str, list[bytes]] = {}
    for operation, blob in pages:
        by_operation.setdefault(operation, []).append(bytes(blob))
    started, cpu = time.perf_counter(), time.process_time()
    for operation, blobs in by_operation.items():
        normalize.pages_to_frame(blobs, operation)
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}


def bare_copy_phase(engine: sa.Engine, frames: dict[str, list[pl.DataFrame]], tables: tuple[str, ...]) -> dict:
    """The floor: COPY the same rows (last of each key) of `tables` into empty tables with the same keys and
    indexes, no triggers, in one transaction."""
    keys = ingest_tables.NOTICE_TABLE_KEYS
    rows = {t: pl.concat(frames[t], how="diagonal").unique(keys[t], keep="last") for t in tables}
    with engine.begin() as conn:
        for t in tables:
            conn.exec_driver_sql(f"CREATE TABLE bench_bare_{t} (LIKE {t} INCLUDING ALL)")
    server, started, cpu = backend_cpu_seconds(engine), time.perf_counter(), time.process_time()
    with engine.begin() as conn:
        for t in tables:
            warehouse._copy_into(conn, f"bench_bare_{t}", rows[t])
    took = {
        "rows": sum(r.height for r in rows.values()),
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "server_cpu": backend_cpu_seconds(engine) - server,
    }
    with engine.begin() as conn:
        for t in tables:
            conn.exec_driver_sql(f"DROP TABLE bench_bare_{t}")
    return took


def results_chunk(database_url: str, days: list[dt.date], out) -> None:  # runs in a child process
    engine = warehouse.make_engine(database_url)
    started, openings, bidders = time.perf_counter(), 0, 0
    for day in days:
        raw = ingest_tables.load_raw_pages(engine, "results", day)
        tables = ingest_tables.result_tables(raw)
        del raw
        warehouse.write(engine, ingest_tables.result_writes(tables), day)
        openings += tables["bid_openings"].height
        bidders += tables["bid_result_bidders"].height
        del tables
        frame = outcomes.outcomes_for_day(engine, day)
        warehouse.write(engine, [ingest_tables.outcome_write(frame)], day)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put({"seconds": time.perf_counter() - started, "openings": openings, "bidders": bidders, "peak_mb": peak})


def results_phase(database_url: str, days: list[dt.date], chunk: int = 10) -> dict:
    """Results in chunks of `chunk` days, each in a fresh process (as a Dagster run is): peak RSS per chunk."""
    totals = {"seconds": 0.0, "openings": 0, "bidders": 0, "peak_mb": 0.0}
    ctx = multiprocessing.get_context("spawn")
    for i in range(0, len(days), chunk):
        queue = ctx.Queue()
        child = ctx.Process(target=results_chunk, args=(database_url, days[i : i + chunk], queue))
        child.start()
        got = queue.get()
        child.join()
        for k in ("seconds", "openings", "bidders"):
            totals[k] += got[k]
        totals["peak_mb"] = max(totals["peak_mb"], got["peak_mb"])
    return totals


NOTICE_TABLES = ("bid_notices", "notice_base_amounts", "notice_license_limits", "notice_region_limits")


def run_backend(name: str, database_url: str, url: str | None, days: list[dt.date]) -> None:
    """Crawl (unless `url` is None: the raw pages of `days` are in the database already), then the notices phase
    (from empty notice tables) and the results phase."""
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    resource_ = WarehouseResource(database_url=database_url)
    crawled = crawl_phase(url, engine, days) if url else None
    if crawled is None:
        with engine.begin() as conn:
            for table in (*NOTICE_TABLES, "notice_detail_fetches"):
                conn.exec_driver_sql(f"DELETE FROM {table}")
        # Without it each rerun loads into the dead rows of the last one, and autovacuum's work on them (counted
        # among this database's backends) lands in the phase at random: 1.2-1.8 s of server CPU for one workload.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in (*NOTICE_TABLES, "notice_detail_fetches", "notice_search"):
                conn.exec_driver_sql(f"VACUUM ANALYZE {table}")
    notices = notices_phase(resource_, days)
    with engine.connect() as conn:
        crawled_results = conn.execute(sa.text("SELECT count(*) FROM g2b_raw_pages WHERE dataset = 'results'")).scalar()
    results = results_phase(database_url, days) if crawled_results else {"openings": 0}
    print(f"\n== {name}: {len(days)} days {days[0]} .. {days[-1]}; load average {os.getloadavg()[0]:.1f}")
    if crawled:
        over = (crawled["calls"] / crawled["minimum"] - 1) * 100
        print(
            f"crawl    {crawled['seconds']:7.1f} s   API calls {crawled['calls']:,} vs minimum {crawled['minimum']:,} "
            f"({over:+.2f}%; target <= +5%)"
        )
    if not notices["notices"]:  # a reused database with result pages only
        notices = None
    if notices:
        print_notices(name, engine, days, notices)
    if results["openings"]:
        print(
            f"results  {results['seconds']:7.2f} s   {results['openings']:,} openings, {results['bidders']:,} bidders "
            f"(with outcomes): {results['bidders'] / results['seconds']:,.0f} bidder rows/s; peak RSS of a "
            f"{min(len(days), 10)}-day chunk {results['peak_mb']:,.0f} MB (target < 500 MB for 10 days)"
        )
    engine.dispose()


def print_notices(name: str, engine: sa.Engine, days: list[dt.date], notices: dict) -> None:
    rate = notices["notices"] / notices["seconds"]
    cpu_rate = notices["notices"] / (notices["cpu"] + notices["server_cpu"])
    print(
        f"notices  {notices['seconds']:7.2f} s   {notices['notices']:,} distinct notices (with 기초금액, 면허, 지역): "
        f"{rate:,.0f} notices/s parse+normalize+load (target >= 20,000/s); CPU {notices['cpu']:.2f} s here + "
        f"{notices['server_cpu']:.2f} s in PostgreSQL = {cpu_rate:,.0f} notices per CPU second"
    )
    parse = json_parse_phase(engine, days)
    print(
        f"         parsing the same days' JSON pages alone: {parse['seconds']:.2f} s, CPU {parse['cpu']:.2f} s "
        f"({notices['notices'] / parse['cpu']:,.0f} notices per CPU second); the whole phase costs "
        f"{(notices['cpu'] + notices['server_cpu']) / parse['cpu']:.1f}x its CPU"
    )
    if name == "PostgreSQL":
        steps = notices["steps"]
        print(
            f"         CPU here by step: read the columnar copies {steps['read']:.2f} s, normalize "
            f"{steps['normalize']:.2f} s, write {steps['write']:.2f} s (the server's {notices['server_cpu']:.2f} s is "
            "nearly all the write's)"
        )
        write_cpu = steps["write"] + notices["server_cpu"]
        for tables in (("bid_notices",), NOTICE_TABLES):
            bare = bare_copy_phase(engine, notices["frames"], tables)
            bare_cpu = bare["cpu"] + bare["server_cpu"]
            what = "bid_notices rows" if len(tables) == 1 else "rows of the four notice tables"
            print(
                f"         bare COPY of the same {bare['rows']:,} {what}: {bare['seconds']:.2f} s, CPU "
                f"{bare['cpu']:.2f} s here + {bare['server_cpu']:.2f} s in PostgreSQL ({bare['rows'] / bare_cpu:,.0f} "
                f"rows per CPU second); the whole phase costs {(notices['cpu'] + notices['server_cpu']) / bare_cpu:.1f}x "
                f"its CPU, the write alone {write_cpu / bare_cpu:.1f}x"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument(
        "--postgres", default=os.environ.get("BIDRADAR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--port", type=int, default=18189)
    parser.add_argument(
        "--reuse",
        metavar="DATABASE_URL",
        help="skip the crawl: a PostgreSQL database that holds the raw pages already (its notice tables are emptied)",
    )
    args = parser.parse_args()
    if args.reuse:
        engine = warehouse.make_engine(args.reuse)
        with engine.connect() as conn:
            days = list(conn.execute(sa.text("SELECT DISTINCT partition_date FROM g2b_raw_pages ORDER BY 1")).scalars())
        engine.dispose()
        days = [d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in days][: args.days]
        run_backend("PostgreSQL", args.reuse, None, days)
        return
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
    print(f"\npeak memory of the crawler and notice loader: {peak_mb:,.0f} MB (target < 1,024 MB)")


if __name__ == "__main__":
    main()
