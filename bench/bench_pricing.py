"""Price model benchmark: two years of openings (~200,000) from the simulator's generator, then, in a fresh
process so the peak memory is the training's own: the training set, the backtest and the final fit (what the
price_model asset does), and the scoring rate of the recommendation.

    taskset -c 0,1 .venv/bin/python bench/bench_pricing.py [--days 230] [--per-day 1500]
    taskset -c 0,1 .venv/bin/python bench/bench_pricing.py --increment [--database-url postgresql://...]

The second: the training set grown by one new day (ml.pricing.increment) against the full build, in memory and
through a warehouse (a temporary SQLite unless given one; its price tables are emptied first).

Targets (issue 12): training < 2 min on 2 cores with < 2 GB peak; scoring >= 10,000 notices/s. It prints numbers
and asserts nothing. The generated openings are cached in .bidradar/bench/ (the generation is not measured).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

CACHE = ROOT / ".bidradar" / "bench"


def generate(days: int, per_day: int, seed: int) -> tuple[Path, Path]:
    from bidradar.ingestion.simulator import NoticeGenerator
    from tests.kit.market import openings_and_positions

    CACHE.mkdir(parents=True, exist_ok=True)
    raw_path = CACHE / f"openings-{seed}-{per_day}-{days}.parquet"
    pos_path = CACHE / f"positions-{seed}-{per_day}-{days}.parquet"
    if raw_path.exists() and pos_path.exists():
        return raw_path, pos_path
    generator = NoticeGenerator(seed=seed, notices_per_day=per_day)
    start = dt.date(2024, 1, 1)
    raws, positions = [], []
    began = time.perf_counter()
    for chunk in range(0, days, 10):  # the generator caches 96 days: walk in chunks
        span = [start + dt.timedelta(days=i) for i in range(chunk, min(days, chunk + 10))]
        raw, position = openings_and_positions(generator, span)
        raws.append(raw)
        positions.append(position)
    pl.concat(raws).write_parquet(raw_path)
    pl.concat(positions).group_by("category", "range_pct", "known_date", "position_bin").agg(
        pl.col("bids").sum()
    ).write_parquet(pos_path)
    print(f"generated {sum(r.height for r in raws):,} openings in {time.perf_counter() - began:.0f} s (not measured)")
    return raw_path, pos_path


def peak_mb() -> float:
    """Peak resident memory of this process (VmHWM: reset by exec, unlike ru_maxrss which a child inherits)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(raw_path: Path, pos_path: Path) -> None:
    import numpy as np

    from ml.pricing import evaluate, features
    from ml.pricing import model as price_model

    raw, positions = pl.read_parquet(raw_path), pl.read_parquet(pos_path)
    print(
        f"openings: {raw.height:,}; participants: {int(raw['participant_count'].sum()):,}; with a bidder list: "
        f"{raw['bidder_list_count'].is_not_null().sum():,}; peak after loading {peak_mb():.0f} MB"
    )
    # Wall time, and CPU time of all threads (on a shared machine the wall time says more about the neighbours).
    t0, c0 = time.perf_counter(), time.process_time()
    training = features.build_training_set(raw)
    t1, c1 = time.perf_counter(), time.process_time()
    backtest = evaluate.backtest(training, positions)
    t2, c2 = time.perf_counter(), time.process_time()
    final = price_model.fit(training, positions)
    t3, c3 = time.perf_counter(), time.process_time()
    print(f"training set ({training.height:,} rows, as-of history):  wall {t1 - t0:6.1f} s, cpu {c1 - c0:6.1f} s")
    print(
        f"backtest (fit on {backtest.train_rows:,}, test {backtest.test_rows:,}):  wall {t2 - t1:6.1f} s, cpu {c2 - c1:6.1f} s"
    )
    print(f"final fit on {training.height:,} openings:            wall {t3 - t2:6.1f} s, cpu {c3 - c2:6.1f} s")
    print(
        f"TRAINING TOTAL (what the price_model asset does): wall {t3 - t0:6.1f} s, cpu {c3 - c0:6.1f} s; "
        f"peak RSS {peak_mb():.0f} MB"
    )
    m = backtest.metrics
    print(
        f"held-out MAE: model {m['mae_model']:.4f}, always 100 {m['mae_always_100']:.4f}, agency mean "
        f"{m['mae_agency_mean']:.4f}, agency x range {m['mae_agency_range_mean']:.4f}"
    )
    print(
        f"replay on {m['replay_openings']:,.0f} awarded openings with a list: "
        + ", ".join(
            f"{r['strategy']} {r['win_rate']:.2%} [{r['low_95']:.2%}-{r['high_95']:.2%}]"
            for r in backtest.strategies.iter_rows(named=True)
        )
        + f"; Brier {m['brier']:.4f} (base rate {m['brier_base_rate']:.4f}); predicted {m['predicted_win_rate_model']:.2%}"
    )
    notices = training.tail(20_000)
    best, best_cpu = float("inf"), float("inf")
    for _ in range(3):
        start, cpu = time.perf_counter(), time.process_time()
        rec = price_model.recommend(final, notices, (notices["agency_openings"] == 0).to_numpy())
        best, best_cpu = min(best, time.perf_counter() - start), min(best_cpu, time.process_time() - cpu)
    assert np.isfinite(rec.win_probability).all()
    print(
        f"scoring {notices.height:,} notices: wall {best:.2f} s = {notices.height / best:,.0f} notices/s "
        f"(cpu {best_cpu:.2f} s)"
    )


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> str:
    wall, cpu = _clock()
    return f"wall {wall - start[0]:6.2f} s, cpu {cpu - start[1]:6.2f} s"


def measure_increment(raw_path: Path, pos_path: Path, database_url: str | None) -> None:
    """The training set grown by one new day (ml.pricing.increment) against the full build, in memory and through
    the warehouse (read the stored set, plan, write), with the equality of the two checked."""
    import tempfile

    from bidradar.core import warehouse
    from ml.pricing import features, increment, store

    raw, positions = pl.read_parquet(raw_path), pl.read_parquet(pos_path)
    # The morning of the day by which 90% of the openings were known: the openings known then, and one day later
    # (that day's openings, and the awards and lists that came that day).
    day = raw["known_at"].sort()[int(raw.height * 0.9)].date()
    t0 = dt.datetime.combine(day, dt.time(9))
    t1 = t0 + dt.timedelta(days=1)
    held0, held1 = features.as_known_at(raw, t0), features.as_known_at(raw, t1)
    pos0, pos1 = (positions.filter(pl.col("known_date") < t.date()) for t in (t0, t1))
    stored = increment.full_build(held0, t0)
    start = _clock()
    full = increment.full_build(held1, t1)
    print(f"in memory, full build of {full.height:,} rows:             {_since(start)}")
    start = _clock()
    update = increment.plan_update(held1, stored, t1)
    print(f"in memory, one new day ({update.reason}): {_since(start)}")
    key = features.OPENING_KEY
    grown = pl.concat([stored.join(update.rows, on=key, how="anti"), update.rows]).sort(key).drop("built_at")
    same = grown.equals(full.sort(key).drop("built_at"))
    # Independently: the openings with a fact that became known that day (registered, awarded, list fetched).
    times = ("known_at", "award_known_at", "bidder_list_known_at")
    arrived = features.trainable(held1).filter(pl.any_horizontal(pl.col(c).is_between(t0, t1, "left") for c in times))
    print(
        f"  {update.rows.height:,} rows recomputed ({arrived.height:,} openings had a fact known that day); the grown "
        f"set equals the full build: {same}"
    )

    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite:///{folder}/bench.db"
        engine = warehouse.make_engine(url)
        warehouse.migrate(engine)
        with engine.begin() as conn:  # a database of its own: start empty
            conn.exec_driver_sql("DELETE FROM price_training_set")
            conn.exec_driver_sql("DELETE FROM price_bid_positions")
        backend = warehouse.dialect_of(engine)
        start = _clock()
        first = store.refresh_training_set(engine, held0, pos0, t0)
        print(f"{backend}: first build ({first.update.rows.height:,} rows written):    {_since(start)}")
        start = _clock()
        grown = store.refresh_training_set(engine, held1, pos1, t1)
        print(
            f"{backend}: one new day ({grown.update.rows.height:,} rows, {len(grown.position_days)} position day "
            f"written):  {_since(start)}"
        )
        start = _clock()
        rerun = store.refresh_training_set(engine, held1, pos1, t1)
        print(f"{backend}: rerun, nothing new ({rerun.update.rows.height} rows written):   {_since(start)}")
        start = _clock()
        rebuilt = store.refresh_training_set(engine, held1, pos1, t1, full=True)
        print(f"{backend}: the same day as a full rebuild ({rebuilt.update.rows.height:,} rows): {_since(start)}")
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=230)
    parser.add_argument("--per-day", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--measure", nargs=2, metavar=("OPENINGS", "POSITIONS"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--increment", action="store_true", help="only the training set grown by one new day against a full build"
    )
    parser.add_argument("--database-url", help="with --increment: a warehouse to write (default: a temporary SQLite)")
    args = parser.parse_args()
    if args.measure:
        measure(Path(args.measure[0]), Path(args.measure[1]))
        return
    raw_path, pos_path = generate(args.days, args.per_day, args.seed)
    if args.increment:
        measure_increment(raw_path, pos_path, args.database_url)
        return
    # A fresh process: its peak memory is the training's, not the generator's.
    subprocess.run([sys.executable, __file__, "--measure", str(raw_path), str(pos_path)], check=True)


if __name__ == "__main__":
    main()
