"""CPU of the G2B simulator's generator per generated day, and a golden hash of everything it serves.

    .venv/bin/python bench/bench_simulator.py [--against 1dc3ea7] [--days 3] [--per-day 400]

Runs twice, each in a fresh process: on a revision's ``bidradar/`` (``git archive`` into a temporary directory)
and on this working tree. Each run prints

- the CPU-seconds per generated day of a crawl like the fidelity month (notices, their 면허/지역 rows, every
  opening with its 예비가격, every bidder and the award, through the generator's item builders), and
- a golden hash (SHA-256) of every body the simulator serves, through its request handler (no sockets): notices of
  every category by registration and by change, 기초금액, 면허제한, 참가가능지역, openings, 예비가격 (and the
  more-than-500 paging quirk), awards, bidders (``OpengCompt``) of every completed opening, lookups by notice number,
  pages of 999 and of 7 rows, for several seeds and days; plus the generator's own objects (every notice with its
  차수, limits, truth and 기초금액; every day's ``results_of`` arrays; ``redrawn_assessment_rates``;
  ``noise_floor``).

Then the ratio of the two CPU figures and whether the hashes are equal: a change to the generator meant to make it
faster must keep every seed's output byte for byte. Measures CPU (``time.process_time``), so a busy machine inflates
both runs about alike; asserts nothing, exits 1 when the hashes differ.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_SEEDS = ((11, 90), (20260101, 60), (7, 150))  # (seed, notices a day)
GOLDEN_DAYS = (dt.date(2026, 3, 2), dt.date(2026, 3, 7), dt.date(2026, 11, 30))  # a Monday, a Saturday, a later one


def _pages(core, op: str, rows: int, **params: str) -> Iterator[bytes]:
    from bidradar.ingestion.simulator.server import OPERATIONS

    page = 1
    while True:
        query = {"ServiceKey": core.service_key, "pageNo": str(page), "numOfRows": str(rows), **params}
        status, _, body = core.handle(OPERATIONS[op].service + "/" + op, query)
        yield body
        if status != 200 or b'"NO_DATA"' in body[:200] or page > 2_000:
            return
        page += 1


def golden() -> str:
    """SHA-256 of every served body and of the generator's objects for GOLDEN_SEEDS × GOLDEN_DAYS."""
    from bidradar.ingestion.simulator.generator import KST, NoticeGenerator
    from bidradar.ingestion.simulator.server import OPERATIONS, SimulatorCore

    digest = hashlib.sha256()

    def feed(*parts: object) -> None:
        for part in parts:
            digest.update(part if isinstance(part, bytes) else repr(part).encode())
            digest.update(b"\x00")

    for seed, per_day in GOLDEN_SEEDS:
        gen = NoticeGenerator(seed=seed, notices_per_day=per_day)
        feed(gen.noise_floor(2.0, draws=150), gen.noise_floor(3.0, draws=150))
        for day in GOLDEN_DAYS:
            now = dt.datetime.combine(day + dt.timedelta(days=20), dt.time(12), KST)
            core = SimulatorCore(gen, "golden-key", now)
            bgn, end = day.strftime("%Y%m%d") + "0000", day.strftime("%Y%m%d") + "2359"
            completed: set[str] = set()
            for op, spec in OPERATIONS.items():
                if spec.shape == "compt":
                    continue
                for div in spec.windows:
                    for rows in (999, 7) if div == "1" else (999,):
                        for body in _pages(core, op, rows, inqryDiv=div, inqryBgnDt=bgn, inqryEndDt=end):
                            feed(op, div, rows, body)
                            if spec.shape == "opening" and rows == 999:
                                for item in json.loads(body)["response"]["body"]["items"] or []:
                                    if isinstance(item, dict) and item["progrsDivCdNm"] == "개찰완료":
                                        completed.add(item["bidNtceNo"])
                if spec.shape == "prepar":  # more than the cap of 500: 10 rows a page
                    feed(op, next(_pages(core, op, 600, inqryDiv="1", inqryBgnDt=bgn, inqryEndDt=end)))
            for no in sorted(completed):
                for rows in (999, 13):
                    for body in _pages(core, "getOpengResultListInfoOpengCompt", rows, bidNtceNo=no):
                        feed("compt", no, rows, body)
            notices = gen.origin_notices(day)
            for n in notices[::4]:  # lookups by number, every operation that has one
                for op, spec in OPERATIONS.items():
                    if spec.by_no_div:
                        feed(op, n.no, next(_pages(core, op, 999, inqryDiv=spec.by_no_div, bidNtceNo=n.no)))
            for n in notices:
                feed(n.no, n.category, n.ntce, n.dminstt, n.rgst, n.close, n.openg, n.priced, n.cancelled)
                feed(n.presmpt, n.bssamt, n.rate_lo, n.rate_hi, n.lwlt, n.a_value, n.licenses, n.regions, n.truth)
                for v in [*n.versions, *([n.bsis] if n.bsis else [])]:
                    feed(v.ord, v.rgst, v.chg, v.values)
            for r in gen.results_of(day):
                feed(r.notice, r.ord, r.rl_openg, r.rgst, r.prices, r.pick_counts, r.drawn, r.plnprc, r.floor_amount)
                feed(r.n_qualified, r.award_rgst, r.winner_position, r.status)
                for array in (r.company_idx, r.amounts, r.picks, r.bid_offsets, r.rank_order):
                    feed(array.dtype.str, array.shape, array.tobytes())
            priced = [n.no for n in notices if n.priced][:3]
            feed([gen.redrawn_assessment_rates(no, 5) for no in priced])
    return digest.hexdigest()


def cpu_per_day(days: int, per_day: int, seed: int = 20260101) -> dict[str, float]:
    """CPU-seconds per day of a month-like crawl through the item builders (what tests/test_simulator_fidelity.py
    does), split into the notices and the results (openings, 예비가격, bidders, awards)."""
    from bidradar.ingestion.simulator.generator import NoticeGenerator

    gen = NoticeGenerator(seed=seed, notices_per_day=per_day)
    month = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(days)]
    started = time.process_time()
    notices = [n for day in month for n in gen.origin_notices(day)]
    for n in notices:
        gen.license_limits_for(n.no), gen.regions_for(n.no)
    after_notices = time.process_time()
    bidders = 0
    for n in notices:
        result = None if n.cancelled else gen.result_for(n.no)
        if result is None:
            continue
        gen.opening_values(result)
        if result.status != "개찰완료":
            continue
        bidders += len(result.amounts)
        [gen.compt_values(result, i) for i in range(len(result.amounts))]
        gen.award_values(result)
        if result.priced:
            [gen.prepar_values(result, sno) for sno in range(1, 16)]
    done = time.process_time()
    return {
        "notices": (after_notices - started) / days,
        "results": (done - after_notices) / days,
        "total": (done - started) / days,
        "bidders_per_day": bidders / days,
    }


def _child(tree: str, days: int, per_day: int, with_golden: bool) -> None:
    sys.path.insert(0, tree)
    import bidradar

    assert Path(bidradar.__file__).resolve().is_relative_to(Path(tree).resolve()), bidradar.__file__
    figures = cpu_per_day(days, per_day)
    started = time.process_time()
    figures["golden"] = golden() if with_golden else "not computed"  # type: ignore[assignment]
    figures["golden_cpu"] = time.process_time() - started
    print(json.dumps(figures))


def _run(tree: Path, days: int, per_day: int, with_golden: bool) -> dict:
    flags = [] if with_golden else ["--timing-only"]
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(tree), "--days", str(days), "--per-day", str(per_day), *flags],
        check=True,
        capture_output=True,
        text=True,
        cwd=tree,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="1dc3ea7", help="the revision to compare with (default: %(default)s)")
    parser.add_argument("--days", type=int, default=3, help="days of the timed crawl (default: %(default)s)")
    parser.add_argument("--per-day", type=int, default=400, help="notices a day (the fidelity month's 400)")
    parser.add_argument("--timing-only", action="store_true", help="skip the golden hash (~50 CPU-s a revision)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.days, args.per_day, not args.timing_only)
        return
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "archive", args.against, "bidradar"], cwd=ROOT, check=True, capture_output=True
        ).stdout
        tar_path = Path(tmp) / "rev.tar"
        tar_path.write_bytes(archive)
        with tarfile.open(tar_path) as tar:
            tar.extractall(tmp, filter="data")
        old = _run(Path(tmp), args.days, args.per_day, not args.timing_only)
    new = _run(ROOT, args.days, args.per_day, not args.timing_only)
    print(f"{args.days} days of {args.per_day} notices, CPU-s per day (time.process_time)")
    print(f"{'':>12} {args.against:>10} {'this tree':>10} {'ratio':>6}")
    for key in ("notices", "results", "total"):
        print(f"{key:>12} {old[key]:>10.2f} {new[key]:>10.2f} {new[key] / old[key]:>6.2f}")
    print(f"{'bidders/day':>12} {old['bidders_per_day']:>10.0f} {new['bidders_per_day']:>10.0f}")
    print(f"{'golden CPU':>12} {old['golden_cpu']:>10.2f} {new['golden_cpu']:>10.2f}")
    same = old["golden"] == new["golden"]
    print(
        f"golden {args.against}: {old['golden']}\ngolden this tree: {new['golden']}\n{'SAME' if same else 'DIFFERENT'}"
    )
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
