"""Matching's read of the open notices with their limits: ingestion's reader (Core, bidradar/ingestion/readers.py)
against the SQL text matching ran before it (kept here as the baseline), back to back on the same warehouse.

    nice -n 10 .venv/bin/python bench/bench_open_notice_read.py [--notices 20000] [--postgres URL]

Builds a fresh SQLite file and a fresh PostgreSQL database with synthetic notices (each with one license row of
its current 차수, one of an old 차수, and one region row; a third closed), then times each read five times and
prints the median and the ratio. Also checks that both reads return the same rows. Prints numbers; asserts
nothing else.
"""

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import polars as pl
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bidradar.core import schema, warehouse
from bidradar.ingestion import readers

AS_OF = dt.datetime(2026, 3, 5, 21, 0)
_OPEN = "NOT n.is_cancelled AND (n.bid_close_at IS NULL OR n.bid_close_at > :as_of)"
BASELINE = (
    f"""SELECT n.notice_no, n.notice_order, n.category, n.title, n.classification_name, n.classification_large,
       n.classification_mid, n.product_name, n.notice_agency_name, n.demand_agency_name, n.attachment_names,
       n.notice_agency_code, n.demand_agency_code, n.budget_amount, n.estimated_price, n.contract_method,
       n.is_designated_competition, n.is_product_class_limited, n.is_manufacturer_required, n.product_class_no,
       n.product_list_raw, n.is_joint_duty, n.joint_duty_regions, n.joint_duty_share_pct, n.registered_at,
       n.notice_at, n.bid_close_at, n.is_cancelled, n.is_license_limited,
       CASE WHEN COALESCE(n.region_limit_basis, '') <> '' THEN TRUE ELSE FALSE END AS is_region_limited,
       n.is_track_record_limited, n.is_international,
       f.license_limits_complete AS license_known, f.region_limits_complete AS region_known
FROM bid_notices n LEFT JOIN notice_detail_fetches f ON f.partition_date = date(n.registered_at) WHERE {_OPEN}""",
    f"""SELECT l.notice_no, l.notice_order, l.group_no, l.seq_no, l.license_name, l.license_code,
       l.permitted_industries_raw, l.main_fields_raw
FROM notice_license_limits l JOIN bid_notices n ON n.notice_no = l.notice_no AND n.notice_order = l.notice_order
WHERE {_OPEN}""",
    f"""SELECT r.notice_no, r.notice_order, r.sido, r.sigungu FROM notice_region_limits r
JOIN bid_notices n ON n.notice_no = r.notice_no AND n.notice_order = r.notice_order WHERE {_OPEN}""",
)


def build(engine: sa.Engine, count: int) -> None:
    day = dt.date(2026, 3, 4)
    notices, licenses, regions = [], [], []
    for i in range(count):
        no = f"R26BK{i:08d}"
        close = AS_OF - dt.timedelta(hours=1) if i % 3 == 0 else AS_OF + dt.timedelta(days=3)
        notices.append(
            {
                "notice_no": no,
                "notice_order": "001",
                "partition_date": day,
                "revision_key": f"001|{i}",
                "category": "construction",
                "is_cancelled": False,
                "title": f"청사 전기설비 개선공사 {i}",
                "registered_at": dt.datetime(2026, 3, 4, 9),
                "bid_close_at": close,
                "estimated_price": 100_000_000 + i,
                "region_limit_basis": "본사소재지" if i % 2 else None,
            }
        )
        for order in ("000", "001"):
            licenses.append(
                {
                    "notice_no": no,
                    "notice_order": order,
                    "group_no": 1,
                    "seq_no": 1,
                    "partition_date": day,
                    "license_name": "전기공사업",
                    "license_code": "0037",
                    "license_limit_raw": "전기공사업/0037",
                }
            )
        regions.append(
            {
                "notice_no": no,
                "notice_order": "001",
                "seq_no": 1,
                "partition_date": day,
                "region_name": "경기도",
                "sido": "경기도",
            }
        )
    fetch = {
        "partition_date": day,
        "license_limits_complete": True,
        "region_limits_complete": True,
        "base_amounts_complete": True,
        "fetched_at": dt.datetime(2026, 3, 4, 23),
    }
    with engine.begin() as conn:
        for table, rows in ((schema.bid_notices, notices), (schema.notice_license_limits, licenses)):
            conn.execute(table.insert(), rows)
        conn.execute(schema.notice_region_limits.insert(), regions)
        conn.execute(schema.notice_detail_fetches.insert(), fetch)


def timed(fn, runs: int = 5) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def run(label: str, engine: sa.Engine) -> None:
    params = {"as_of": AS_OF.strftime("%Y-%m-%d %H:%M:%S")}
    # The baseline cast its frames to the same dtypes (it read with matching's schemas then).
    types = (readers.OPEN_NOTICE_SCHEMA, readers.LICENSE_LIMIT_SCHEMA, readers.REGION_LIMIT_SCHEMA)
    base_s, base = timed(
        lambda: [warehouse.read_frame(engine, q, params, schema=t) for q, t in zip(BASELINE, types, strict=True)]
    )
    new_s, new = timed(lambda: readers.read_open_notices(engine, AS_OF))
    same = all(
        sorted(b.select(sorted(b.columns)).cast(pl.String).rows())
        == sorted(n.select(sorted(b.columns)).cast(pl.String).rows())
        for b, n in zip(base, new, strict=True)  # type: ignore[arg-type]
    )
    print(
        f"{label:10} open notices {new.notices.height:>7,}  baseline (SQL text) {base_s * 1000:8.1f} ms  "  # type: ignore[union-attr]
        f"reader (Core) {new_s * 1000:8.1f} ms  ratio {new_s / base_s:5.2f}  same rows: {same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=20_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = warehouse.make_engine(f"sqlite:///{folder}/w.db")
        warehouse.migrate(engine)
        build(engine, args.notices)
        run("sqlite", engine)
        engine.dispose()
    name = f"bench_open_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(warehouse.sqlalchemy_url(args.postgres), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        engine = warehouse.make_engine(args.postgres.rsplit("/", 1)[0] + f"/{name}")
        warehouse.migrate(engine)
        build(engine, args.notices)
        run("postgresql", engine)
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


if __name__ == "__main__":
    main()
