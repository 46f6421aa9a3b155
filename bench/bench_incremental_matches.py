"""Incremental hard matches: wall and CPU time (this process's and PostgreSQL's) of a full hard_matches run against
a run after a new day of notices, a rerun with nothing changed and one after one notice's new 차수, through real
Dagster materializations on a real warehouse (notices crawled from the in-process simulator).

    .venv/bin/python bench/bench_incremental_matches.py [--notices-per-day 1000] [--days 3] [--copies 50] [--postgres URL]

Prints numbers (simulated notices; copies of the two shipped profiles); asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa
from bench_matching import backend_cpu_seconds
from dagster import materialize

from assets import ingestion, matching
from assets.common.resources import G2BResource, ProfilesResource, WarehouseResource
from bidradar.core import warehouse
from bidradar.ingestion.simulator import G2BSimulator
from bidradar.matching.profiles import business_no_check_digit
from tests.support import materialize_days

KEY = "bidradar-simulator-key"
SHIPPED = Path(__file__).resolve().parents[1] / "profiles"


def business_no(serial: int) -> str:
    """A distinct 사업자등록번호 with a valid check digit per copy (duplicates are refused)."""
    first9 = f"{100 + serial // 100:03d}81{serial % 100:02d}12"[:9].ljust(9, "0")
    digits = first9 + str(business_no_check_digit(first9))
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def run(database_url: str, folder: Path, as_of: str, full: bool) -> dict:
    engine = warehouse.make_engine(database_url)
    server, cpu, start = backend_cpu_seconds(engine), time.process_time(), time.perf_counter()
    result = materialize(
        [matching.company_profiles, matching.hard_matches],
        resources={
            "warehouse": WarehouseResource(database_url=database_url),
            "profiles": ProfilesResource(folder=str(folder)),
        },
        run_config={"ops": {"hard_matches": {"config": {"as_of": as_of, "full_rebuild": full}}}},
    )
    seconds, cpu, server = time.perf_counter() - start, time.process_time() - cpu, backend_cpu_seconds(engine) - server
    engine.dispose()
    [event] = result.asset_materializations_for_node("hard_matches")
    meta = {k: v.value for k, v in event.metadata.items() if k != "preview"}
    keep = ("mode", "companies", "open_notices", "pairs_evaluated", "rows_deleted", "rows_written")
    times = {"cpu_s": round(cpu, 2), "server_cpu_s": round(server, 2)}
    return {"seconds_with_profiles_and_dagster": round(seconds, 2), **times, **{k: meta[k] for k in keep}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices-per-day", type=int, default=1000)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--postgres", default=None)
    parser.add_argument(
        "--copies", type=int, default=50, help="copies of each shipped profile (companies = 2 × copies)"
    )
    args = parser.parse_args()
    days = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(args.days)]
    now = dt.datetime.combine(days[-1], dt.time(21, 0), tzinfo=ZoneInfo("Asia/Seoul"))
    as_of = f"{days[-1]} 21:00"
    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.postgres or f"sqlite:///{tmp}/bench.db"
        folder = Path(tmp) / "profiles"
        folder.mkdir()
        for serial, (path, copy) in enumerate(
            (path, copy) for path in sorted(SHIPPED.glob("*.yaml")) for copy in range(args.copies)
        ):
            text = re.sub(r"business_no: [0-9-]+", f"business_no: {business_no(serial)}", path.read_text("utf-8"))
            (folder / f"{path.stem}-{copy:03d}.yaml").write_text(text, encoding="utf-8")
        engine = warehouse.make_engine(database_url)
        warehouse.migrate(engine)
        sim = G2BSimulator(seed=20260101, notices_per_day=args.notices_per_day, service_key=KEY, now=now)
        notice_assets = [ingestion.g2b_raw_notices, ingestion.notice_tables]
        with sim.serve() as url:
            g2b = G2BResource(base_url=url, service_key=KEY, backoff_initial_seconds=0.01)
            assert materialize_days(notice_assets, database_url, days[:-1], g2b).success
            print("full:       ", json.dumps(run(database_url, folder, f"{days[-2]} 21:00", True)))
            # The next evening with that day's notices: only they are judged (the day is not in the fingerprint).
            assert materialize_days(notice_assets, database_url, days[-1:], g2b).success
        print("new day:    ", json.dumps(run(database_url, folder, as_of, False)))
        print("unchanged:  ", json.dumps(run(database_url, folder, as_of, False)))
        with engine.begin() as conn:
            notice_no = conn.execute(sa.text("SELECT MIN(notice_no) FROM hard_matches")).scalar_one()
            conn.execute(
                sa.text(
                    "UPDATE bid_notices SET revision_key = 'bench', estimated_price = estimated_price / 2 WHERE notice_no = :n"
                ),
                {"n": notice_no},
            )
        print("one notice: ", json.dumps(run(database_url, folder, as_of, False)))
        print("full again: ", json.dumps(run(database_url, folder, as_of, True)))
        engine.dispose()


if __name__ == "__main__":
    main()
