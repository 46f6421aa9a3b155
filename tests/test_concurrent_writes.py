"""Two writers at once never mix their results: the one write path locks per table and partition.

Reproduced before the fix on PostgreSQL: two matching runs racing left two rank-1 rows for one company with mixed
`as_of`, because each run's DELETE saw only the rows committed before it started and both inserts survived.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from assets.common.resources import G2BResource
from bidradar.core import warehouse
from bidradar.core.warehouse import TableWrite
from bidradar.ingestion.simulator import G2BSimulator
from tests.support import materialize_days

REPO = Path(__file__).resolve().parents[1]
KEY = "bidradar-simulator-key"
NOW = dt.datetime(2026, 3, 5, 21, 0, tzinfo=ZoneInfo("Asia/Seoul"))
DAYS = (dt.date(2026, 3, 4), dt.date(2026, 3, 5))


def _matches(run: str, companies: int, notices: int) -> pl.DataFrame:
    # Each run matches a different set of notices (the open set moved between runs).
    offset = 0 if run == "a" else notices
    return pl.DataFrame(
        {
            "company_id": [f"c{c}" for c in range(companies) for _ in range(notices)],
            "notice_no": [f"R26BK{offset + n:08d}" for _ in range(companies) for n in range(notices)],
            "score": [1.0] * (companies * notices),
            "hard_verdict": ["eligible"] * (companies * notices),
            "matched_terms": [run] * (companies * notices),
            "scorer": ["test"] * (companies * notices),
            "as_of": [dt.datetime(2026, 3, 5, 9 if run == "a" else 10)] * (companies * notices),
            "evaluated_at": [dt.datetime(2026, 3, 5, 10)] * (companies * notices),
            "top_k": [notices] * (companies * notices),
            "inputs_fingerprint": [run] * (companies * notices),
        }
    )


@pytest.mark.postgres
def test_racing_whole_table_writes_leave_exactly_one_run(postgres_url: str) -> None:
    engine = warehouse.make_engine(postgres_url)
    warehouse.migrate(engine)
    frames = {run: _matches(run, companies=20, notices=50) for run in "ab"}
    for _ in range(5):
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def writer(run: str, barrier: threading.Barrier = barrier, errors: list[BaseException] = errors) -> None:
            try:
                barrier.wait()
                warehouse.write(
                    engine, [TableWrite("soft_matches", frames[run], ["company_id", "notice_no"], replace="table")]
                )
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=writer, args=(run,)) for run in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        table = warehouse.read_frame(engine, "SELECT company_id, notice_no, matched_terms FROM soft_matches")
        assert table["matched_terms"].n_unique() == 1, "rows of both runs survived"
        assert table.height == 20 * 50
    assert warehouse.table_version(engine, "soft_matches") == 10
    engine.dispose()


@pytest.fixture(scope="module")
def simulator_url() -> Iterator[str]:
    sim = G2BSimulator(seed=20260101, notices_per_day=200, service_key=KEY, now=NOW)
    with sim.serve() as url:
        yield url


_RUN = """
import sys
from dagster import materialize
from assets import matching
from assets.common.resources import ProfilesResource, WarehouseResource
config = {"config": {"as_of": sys.argv[3], "top_k": 20}}
result = materialize(
    [matching.company_profiles, matching.hard_matches, matching.soft_matches],
    resources={"warehouse": WarehouseResource(database_url=sys.argv[1]), "profiles": ProfilesResource(folder=sys.argv[2])},
    run_config={"ops": {"hard_matches": config, "soft_matches": config}},
)
sys.exit(0 if result.success else 1)
"""


@pytest.mark.postgres
def test_two_real_matching_runs_racing_on_postgresql(simulator_url: str, postgres_url: str) -> None:
    from assets import ingestion

    warehouse.migrate(warehouse.make_engine(postgres_url))
    g2b = G2BResource(base_url=simulator_url, service_key=KEY, backoff_initial_seconds=0.01)
    assert materialize_days([ingestion.g2b_raw_notices, ingestion.notice_tables], postgres_url, DAYS, g2b).success
    env = {**os.environ, "PYTHONPATH": str(REPO), "DAGSTER_HOME": ""}
    env.pop("DAGSTER_HOME")
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _RUN, postgres_url, str(REPO / "profiles"), as_of],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for as_of in ("2026-03-05 09:00", "2026-03-05 21:00")
    ]
    for run in runs:
        output, _ = run.communicate(timeout=240)
        assert run.returncode == 0, output.decode()[-2000:]
    engine = warehouse.make_engine(postgres_url)
    summary = warehouse.read_frame(engine, "SELECT * FROM hard_match_summary")  # hard_matches' as_of is here
    assert summary.height > 0 and summary["as_of"].n_unique() == 1, "hard_match_summary mixes two runs"
    for table in ("hard_matches", "soft_matches"):
        frame = warehouse.read_frame(engine, f"SELECT * FROM {table}")
        assert frame.height > 0
        assert frame.select("company_id", "notice_no").is_duplicated().sum() == 0
    # Soft rows keep the as_of of the run that scored their notice (a later run scores only what changed), but
    # whichever run wrote last read the last hard matches: the scored pairs are exactly today's candidate pairs.
    pairs = ["company_id", "notice_no"]
    candidates = warehouse.read_frame(engine, "SELECT * FROM hard_matches").filter(
        pl.col("verdict").is_in(["eligible", "conditional", "unknown"])
    )
    scored = warehouse.read_frame(engine, "SELECT * FROM soft_matches")
    assert candidates.select(pairs).sort(pairs).equals(scored.select(pairs).sort(pairs)), "soft and hard disagree"
    engine.dispose()


@pytest.mark.postgres
def test_concurrent_writes_of_different_partitions_lose_no_version(postgres_url: str) -> None:
    """400 writes of 400 different partitions, 12 at a time: each moves `table_versions` on by exactly one.

    Before the version moved in one statement, a read-then-write lost 101-119 of 400 increments, so the API's ETag
    could answer "not modified" for changed data."""
    engine = warehouse.make_engine(postgres_url)
    warehouse.migrate(engine)
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(400)]
    errors: list[BaseException] = []

    def writer(chunk: list[dt.date]) -> None:
        try:
            for day in chunk:
                notice = {"notice_no": f"R25BK{day:%m%d}{day.year % 100:04d}", "notice_order": "000", "title": "t"}
                notice |= {"revision_key": "000|x", "category": "services", "is_cancelled": False}
                notice |= {"registered_at": dt.datetime(day.year, day.month, day.day, 9)}
                warehouse.write(engine, [TableWrite("bid_notices", pl.DataFrame([notice]), ["notice_no"])], day)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(days[n::12],)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[0]
    assert warehouse.table_counts(engine, ["bid_notices"]) == {"bid_notices": 400}
    assert warehouse.table_version(engine, "bid_notices") == 400
    engine.dispose()


def _terminate_writers_waiting_on(holder, database: str) -> int:
    """Terminate the backends of `database` waiting for an advisory lock (a write stuck behind ours)."""
    with holder.cursor() as cur:
        cur.execute("SELECT pg_stat_clear_snapshot()")  # the holder stays in one transaction: see the present
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND wait_event = 'advisory' "
            "AND pid <> pg_backend_pid()",
            (database,),
        )
        return cur.rowcount


def _hold_partition_lock(url: str, table: str, day: dt.date):  # type: ignore[no-untyped-def]
    import psycopg2

    holder = psycopg2.connect(url)
    with holder.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"bidradar:{table}:{day}",))
    return holder


def _one_notice(day: dt.date) -> TableWrite:
    notice = {"notice_no": "R26BK00000001", "notice_order": "000", "title": "t", "revision_key": "000|x"}
    notice |= {"category": "services", "is_cancelled": False, "registered_at": dt.datetime(2026, 3, 5, 9)}
    return TableWrite("bid_notices", pl.DataFrame([notice]), ["notice_no"])


@pytest.mark.postgres
def test_a_connection_terminated_mid_write_is_retried(postgres_url: str) -> None:
    """Before: the write failed with a raw psycopg2 OperationalError/InterfaceError and the run with it."""
    engine = warehouse.make_engine(postgres_url)
    warehouse.migrate(engine)
    day = dt.date(2026, 3, 5)
    holder = _hold_partition_lock(postgres_url, "bid_notices", day)
    outcome: list[object] = []
    thread = threading.Thread(target=lambda: outcome.append(_write_or_error(engine, day)))
    thread.start()
    deadline = time.monotonic() + 60
    while not _terminate_writers_waiting_on(holder, postgres_url.rsplit("/", 1)[1]):
        assert time.monotonic() < deadline, "the write never waited for the lock"
        time.sleep(0.05)
    holder.rollback()  # the lock is free: the retried write goes through
    thread.join(60)
    assert outcome and not isinstance(outcome[0], BaseException), outcome
    assert warehouse.table_counts(engine, ["bid_notices"]) == {"bid_notices": 1}
    holder.close()
    engine.dispose()


@pytest.mark.postgres
def test_a_connection_terminated_every_time_ends_in_one_line_naming_the_database(postgres_url: str) -> None:
    engine = warehouse.make_engine(postgres_url)
    warehouse.migrate(engine)
    day = dt.date(2026, 3, 5)
    holder = _hold_partition_lock(postgres_url, "bid_notices", day)
    outcome: list[object] = []
    thread = threading.Thread(target=lambda: outcome.append(_write_or_error(engine, day)))
    thread.start()
    database = postgres_url.rsplit("/", 1)[1]
    terminated, deadline = 0, time.monotonic() + 90
    while thread.is_alive() and time.monotonic() < deadline:
        terminated += _terminate_writers_waiting_on(holder, database)
        time.sleep(0.05)
    holder.rollback()
    holder.close()
    thread.join(5)
    assert terminated >= 2  # it was retried
    (error,) = outcome
    assert isinstance(error, warehouse.WarehouseUnavailable), repr(error)
    message = str(error)
    assert "\n" not in message and database in message and "127.0.0.1:5432" in message
    assert "InterfaceError" not in message and "psycopg2" not in message
    assert warehouse.table_counts(engine, ["bid_notices"]) == {"bid_notices": 0}
    engine.dispose()


def _write_or_error(engine, day: dt.date) -> object:  # type: ignore[no-untyped-def]
    try:
        return warehouse.write(engine, [_one_notice(day)], day)
    except BaseException as error:
        return error
