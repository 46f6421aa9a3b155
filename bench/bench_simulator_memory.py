"""Memory of the bundled G2B simulator alone while it serves results days: every results window of each day
(awards, openings, 예비가격) and the bidders of every completed opening, as a crawl asks for them.

    .venv/bin/python bench/bench_simulator_memory.py [--days 3] [--first 2026-11-20] [--per-day 1500]

Calls the simulator's request handler in this process (no sockets), so the RSS printed is the simulator's own.
The first results day generates the 43 origin days it looks back on. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bidradar.ingestion.simulator.generator import KST, NoticeGenerator
from bidradar.ingestion.simulator.server import OPERATIONS, SimulatorCore


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def pages(core: SimulatorCore, op: str, **params: str) -> Iterator[bytes]:
    page = 1
    while True:
        query = {"ServiceKey": core.service_key, "pageNo": str(page), "numOfRows": "999", **params}
        status, _, body = core.handle(OPERATIONS[op].service + "/" + op, query)
        if status != 200:
            raise SystemExit(f"{op} answered HTTP {status}: {body[:300]!r}")
        if b'"NO_DATA"' in body[:200]:
            return
        yield body
        page += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--first", type=dt.date.fromisoformat, default=dt.date(2026, 11, 20))
    parser.add_argument("--per-day", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()
    generator = NoticeGenerator(seed=args.seed, notices_per_day=args.per_day)
    now = dt.datetime.combine(args.first + dt.timedelta(days=args.days + 16), dt.time(12), KST)
    core = SimulatorCore(generator, "bench-key", now)
    print(
        f"seed {args.seed}, {args.per_day} notices a day; load average {os.getloadavg()[0]:.1f}; start {rss_mb():.0f} MB"
    )
    started, served = time.process_time(), 0
    for n in range(args.days):
        day = args.first + dt.timedelta(days=n)
        window = {"inqryDiv": "1", "inqryBgnDt": day.strftime("%Y%m%d0000"), "inqryEndDt": day.strftime("%Y%m%d2359")}
        for op, spec in OPERATIONS.items():
            if spec.kind not in ("result", "award") or not spec.windows:
                continue
            for body in pages(core, op, **window):
                served += len(body)
                if spec.shape != "opening":
                    continue
                items = json.loads(body)["response"]["body"]["items"]
                for item in [items] if isinstance(items, dict) else items:
                    if item.get("progrsDivCdNm") == "개찰완료":
                        served += sum(
                            len(b) for b in pages(core, "getOpengResultListInfoOpengCompt", bidNtceNo=item["bidNtceNo"])
                        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{day}: RSS {rss_mb():.0f} MB, peak {peak:.0f} MB; CPU {time.process_time() - started:.1f} s so far; "
            f"{served / 1e6:.0f} MB served"
        )


if __name__ == "__main__":
    main()
