"""API benchmark: p50/p95/p99 latency and requests per second of the notice list, Korean text search and the
detail page, at 1, 16 and 64 concurrent clients, against `bidradar serve-api` on PostgreSQL.

    .venv/bin/python bench/bench_api.py [--notices 1000000] [--seconds 10] [--workers 2] [--reuse]

It loads N synthetic notices (simulator vocabulary: titles, agencies, regions; registered over the last
N/1500 days, as the simulator's 1,500 a day) into a fresh database `bidradar_bench_api` on BENCH_PG_URL
(default postgresql://postgres@127.0.0.1:5432/postgres), through the warehouse's own write path, so the search
index is built by migration 0011's trigger. Then it starts the API as the read-only role and drives it with a
bounded (closed-loop) load generator on loopback: C clients, each with one keep-alive connection, each sending
its next request when the previous answer has arrived. The generator shares the machine's cores with the
server and PostgreSQL. Prints a Markdown table; asserts nothing (the targets are in docs/serving.md).

Beside each latency, what holds on a loaded machine too: the API's CPU per request (its processes' user + system
time over the run / requests) and PostgreSQL's (its backends on the benchmark's database), and the floor: a bare
SELECT of the same rows (each answer's notices by primary key, psycopg2, as many clients, closed loop) with its
p95 and the API's p95 as a multiple of it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import polars as pl
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bidradar.core import warehouse  # noqa: E402
from bidradar.core.clock import now_kst  # noqa: E402
from bidradar.core.warehouse import TableWrite  # noqa: E402
from bidradar.ingestion.simulator.vocab import AGENCIES, REGIONS, TITLES  # noqa: E402

DB = os.environ.get("BENCH_API_DATABASE", "bidradar_bench_api")  # a name of your own on a shared server
CATEGORY_OF = {"Thng": "goods", "Servc": "services", "Cnstwk": "construction", "Frgcpt": "foreign"}
SEARCH_WORDS = [
    "청소",
    "도로",
    "전기",
    "급식",
    "방역",
    "소방",
    "교량",
    "조명",
    "하천",
    "경비",
    "청사",
    "정보시스템",
    "클라우드",
    "리모델링",
    "노트북",
    "수원시",
]
CHUNK = 100_000


def database_urls(server_url: str) -> tuple[str, str]:
    base = server_url.rsplit("/", 1)[0]
    parts = urllib.parse.urlsplit(base + f"/{DB}")
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return base + f"/{DB}", urllib.parse.urlunsplit(parts._replace(netloc=f"bidradar_reader@{host}"))


def notices_chunk(start: int, count: int, now: dt.datetime, per_day: int) -> pl.DataFrame:
    rng = random.Random(start)
    titles = [(CATEGORY_OF[k], t) for k, ts in TITLES.items() for t in ts]
    rows = []
    for i in range(start, start + count):
        category, title = titles[rng.randrange(len(titles))]
        agency = AGENCIES[rng.randrange(len(AGENCIES))]
        sigungu = rng.choice(REGIONS[agency.sido] or [agency.sido])
        registered = now - dt.timedelta(days=i // per_day, seconds=rng.randrange(86_400))
        close = registered + dt.timedelta(days=rng.randint(5, 20), hours=rng.randint(0, 8))
        price = rng.choice([None, rng.randrange(5_000_000, 5_000_000_000, 1000)])
        rows.append(
            (
                f"R{registered:%y}BK{i:08d}",
                "000",
                registered.date(),
                "x",
                category,
                "등록공고",
                i % 97 == 0,
                f"{registered.year}년 {sigungu} {title}",
                agency.code,
                agency.name,
                agency.name,
                price,
                registered,
                close,
                close + dt.timedelta(hours=1),
                f"https://www.g2b.go.kr/link/{i}",
            )
        )
    columns = [
        "notice_no",
        "notice_order",
        "partition_date",
        "revision_key",
        "category",
        "notice_kind",
        "is_cancelled",
        "title",
        "notice_agency_code",
        "notice_agency_name",
        "demand_agency_name",
        "estimated_price",
        "registered_at",
        "bid_close_at",
        "opening_at",
        "detail_url",
    ]
    frame = pl.DataFrame(rows, schema=columns, orient="row")
    return frame.with_columns(pl.col("estimated_price").cast(pl.Int64))


def load(server_url: str, notices: int) -> tuple[str, str]:
    url, reader = database_urls(server_url)
    admin = sa.create_engine(warehouse.sqlalchemy_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {DB}")
    admin.dispose()
    engine = warehouse.make_engine(url)
    warehouse.migrate(engine)
    now = now_kst()
    started = time.monotonic()
    for start in range(0, notices, CHUNK):
        frame = notices_chunk(start, min(CHUNK, notices - start), now, per_day=1500)
        warehouse.write(engine, [TableWrite("bid_notices", frame, key=["notice_no"], replace="rows")])
        base = frame.filter(pl.col("estimated_price").is_not_null()).select(
            "notice_no",
            "notice_order",
            "partition_date",
            "category",
            base_amount=pl.col("estimated_price"),
            reserve_range_low_pct=pl.lit(-2.0),
            reserve_range_high_pct=pl.lit(2.0),
        )
        warehouse.write(
            engine, [TableWrite("notice_base_amounts", base, key=["notice_no", "notice_order"], replace="rows")]
        )
        print(f"  loaded {start + frame.height:>9,} notices ({time.monotonic() - started:.0f} s)", flush=True)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    print(f"loaded and analysed in {time.monotonic() - started:.0f} s", flush=True)
    return url, reader


# ---------------------------------------------------------------------------------------------------------------------
# A small keep-alive HTTP/1.1 client: the load generator should cost the shared cores less than the server.


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        return (await self.get_body(path))[0]

    async def get_body(self, path: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")  # type: ignore[union-attr]
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        body = await self.reader.readexactly(length)  # type: ignore[union-attr]
        return status, body


async def drive(port: int, paths: list[str], clients: int, seconds: float) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def client(k: int) -> None:
        nonlocal errors
        connection = Connection(port)
        i = k
        while time.perf_counter() < stop:
            path = paths[i % len(paths)]
            i += clients
            started = time.perf_counter()
            status = await connection.get(path)
            latencies.append(time.perf_counter() - started)
            errors += status != 200

    began = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    return latencies, errors, time.perf_counter() - began


def scenarios(url: str, seed: int = 7) -> dict[str, list[str]]:
    rng = random.Random(seed)
    engine = warehouse.make_engine(url)
    with engine.connect() as conn:
        sample = [
            r[0] for r in conn.execute(sa.text("SELECT notice_no FROM bid_notices TABLESAMPLE SYSTEM (1) LIMIT 5000"))
        ]
    engine.dispose()
    categories = ["", "&category=goods", "&category=services", "&category=construction"]
    sorts = ["registered_desc", "close_asc", "price_desc"]
    lists = [f"/api/notices?limit=50&status=open&sort={rng.choice(sorts)}{rng.choice(categories)}" for _ in range(200)]
    lists += [f"/api/notices?limit=50&sort={rng.choice(sorts)}{rng.choice(categories)}" for _ in range(100)]
    searches = [
        f"/api/notices?limit=50&q={urllib.parse.quote(rng.choice(SEARCH_WORDS))}"
        + rng.choice(["", "&status=open", "&category=services"])
        for _ in range(300)
    ]
    details = [f"/api/notices/{no}" for no in rng.sample(sample, min(len(sample), 2000))]
    rng.shuffle(lists)
    return {"list": lists, "search": searches, "detail": details}


def server_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of the API's processes so far: the server process and its uvicorn workers
    (/proc, Linux). Per request, it is what the API costs whatever the machine's load."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    children = Path(f"/proc/{pid}/task/{pid}/children")
    pids = [pid] + ([int(p) for p in children.read_text().split()] if children.exists() else [])
    for one in pids:
        try:
            stat = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(stat[11]) + int(stat[12])) / tick
        except OSError:
            pass
    return total


def database_cpu(admin_url: str) -> dict[int, float]:
    """CPU seconds (user + system) so far of each PostgreSQL backend serving the API (role bidradar_reader) on the
    benchmark's database (/proc, Linux; PostgreSQL on this machine)."""
    engine = sa.create_engine(warehouse.sqlalchemy_url(admin_url))
    with engine.connect() as conn:
        query = "SELECT pid FROM pg_stat_activity WHERE datname = :db AND usename = 'bidradar_reader'"
        pids = list(conn.execute(sa.text(query), {"db": DB}).scalars())
    engine.dispose()
    tick, found = os.sysconf("SC_CLK_TCK"), {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            found[pid] = (int(stat[11]) + int(stat[12])) / tick
        except OSError:
            pass
    return found


def database_cpu_since(admin_url: str, before: dict[int, float]) -> float:
    """What the API's backends spent since `before` (a backend that ended meanwhile is not counted: the pool keeps
    its connections through a run)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in database_cpu(admin_url).items())


async def page_rows(port: int, paths: list[str]) -> list[list[str]]:
    """The notice numbers each path answers with (a page's items, or the one notice of a detail path)."""
    connection, rows = Connection(port), []
    for path in paths:
        status, body = await connection.get_body(path)
        if status == 200:
            answer = json.loads(body)
            rows.append(
                [i["notice_no"] for i in answer["items"]] if "items" in answer else [answer["notice"]["notice_no"]]
            )
    return rows


BARE = {
    "page": "SELECT notice_no, notice_order, category, title, notice_agency_name, demand_agency_name, estimated_price, "
    "registered_at, bid_close_at, opening_at, is_cancelled FROM bid_notices WHERE notice_no = ANY(%s)",
    "detail": "SELECT * FROM bid_notices WHERE notice_no = ANY(%s)",
}


def bare_select(
    reader_url: str, sql: str, rows: list[list[str]], clients: int, seconds: float
) -> tuple[list[float], float]:
    """The floor of a request: a bare SELECT of the same rows (each answer's notices by primary key), by `clients`
    threads with a connection each, closed loop as the API's clients. Latencies and elapsed seconds."""
    import psycopg2

    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    def client(k: int) -> None:
        conn = psycopg2.connect(reader_url)
        conn.autocommit = True
        cursor, i = conn.cursor(), k
        while time.perf_counter() < stop:
            started = time.perf_counter()
            cursor.execute(sql, (rows[i % len(rows)],))
            cursor.fetchall()
            latencies.append(time.perf_counter() - started)
            i += clients
        conn.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - began


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per endpoint and concurrency")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--concurrency", default="1,16,64")
    parser.add_argument("--reuse", action="store_true", help=f"keep the loaded {DB} database of an earlier run")
    args = parser.parse_args()
    server_url = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    if args.reuse:
        url, reader = database_urls(server_url)
    else:
        print(f"loading {args.notices:,} notices into {DB}", flush=True)
        url, reader = load(server_url, args.notices)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "API_DATABASE_URL": reader,
        "API_RATE_LIMIT": "100000000/minute",
        "LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "-m",
        "orchestration.cli",
        "serve-api",
        "--port",
        str(port),
        "--workers",
        str(args.workers),
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300  # a loaded machine takes a while to import the app
        while time.monotonic() < deadline and server.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        paths = scenarios(url)
        asyncio.run(drive(port, paths["list"] + paths["search"] + paths["detail"][:200], 4, 5))  # warm up
        print(
            f"\n{args.notices:,} notices, {args.workers} uvicorn workers, {args.seconds:.0f} s per row, "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before the runs; "
            f"`{' '.join(sys.argv)}` (the database time of the same reads: bench/explain_api.py)\n"
        )
        answers = {name: asyncio.run(page_rows(port, endpoint_paths[:100])) for name, endpoint_paths in paths.items()}
        print(
            "| endpoint | clients | requests | req/s | p50 ms | p95 ms | p99 ms | non-200 | API CPU ms/request "
            "| DB CPU ms/request | bare SELECT p95 ms | p95 / bare | load |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, endpoint_paths in paths.items():
            for clients in (int(c) for c in args.concurrency.split(",")):
                cpu_before, db_before = server_cpu_seconds(server.pid), database_cpu(server_url)
                latencies, errors, elapsed = asyncio.run(drive(port, endpoint_paths, clients, args.seconds))
                cpu = server_cpu_seconds(server.pid) - cpu_before
                db_cpu = database_cpu_since(server_url, db_before)
                q = statistics.quantiles(latencies, n=100, method="inclusive")
                sql = BARE["detail" if name == "detail" else "page"]
                bare, _ = bare_select(url, sql, answers[name], clients, min(args.seconds, 5.0))
                bare_p95 = statistics.quantiles(bare, n=100, method="inclusive")[94]
                print(
                    f"| {name} | {clients} | {len(latencies):,} | {len(latencies) / elapsed:,.0f} | "
                    f"{q[49] * 1000:.1f} | {q[94] * 1000:.1f} | {q[98] * 1000:.1f} | {errors} | "
                    f"{cpu / len(latencies) * 1000:.1f} | {db_cpu / len(latencies) * 1000:.2f} | "
                    f"{bare_p95 * 1000:.2f} | {q[94] / bare_p95:.0f}x | {os.getloadavg()[0]:.1f} |",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
