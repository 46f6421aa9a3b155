"""The training set grows by what changed (issue 21 item 2), on a real warehouse (SQLite and PostgreSQL): a rerun
with nothing new writes nothing, a new day writes its own rows, a late award or bidder list for an old opening
rewrites that opening and the later rows whose look-back history it feeds, and after every step the stored set
equals a full build of the same openings, row by row and bit for bit (`ml.pricing.increment`,
`ml.pricing.store.refresh_training_set`).

The openings come from the simulator's generator (tests.kit.market), seen as the warehouse held them at a given
time (`features.as_known_at`); the crawl itself is tested through the assets in tests/test_pricing.py."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
import sqlalchemy as sa

from bidradar.core import warehouse
from bidradar.ingestion.simulator import NoticeGenerator
from ml.pricing import features, increment, store
from tests.kit.market import openings_and_positions

KEY = features.OPENING_KEY
DAYS = [dt.date(2026, 2, 2) + dt.timedelta(days=i) for i in range(21)]
T0 = dt.datetime(2026, 3, 2, 9, 0)  # the first build: what the warehouse held that morning
BUILT = dt.datetime(2026, 3, 2, 9, 30)


@pytest.fixture(scope="module")
def market() -> tuple[pl.DataFrame, pl.DataFrame]:
    generator = NoticeGenerator(seed=20260101, notices_per_day=300)
    return openings_and_positions(generator, DAYS)


def _stored(engine: sa.Engine) -> pl.DataFrame:
    return store.read_training_set(engine).sort(KEY)


def _assert_equals_full_build(engine: sa.Engine, raw: pl.DataFrame) -> pl.DataFrame:
    """The stored set equals a full build of `raw`: same keys, and every column of every row the same value
    (built_at aside: when a row was built is not what it says)."""
    stored = _stored(engine).drop("built_at")
    full = increment.full_build(raw, BUILT).drop("built_at")
    full = full.select(pl.col(c).cast(store.TRAINING_SCHEMA[c]) for c in full.columns).sort(KEY)
    assert stored.columns == full.columns
    assert stored.height == full.height
    assert stored.select(KEY).equals(full.select(KEY))
    for column in stored.columns:
        same = stored[column].eq_missing(full[column])
        assert same.all(), (column, stored.filter(~same).head(3), full.filter(~same).head(3))
    return full


def _refresh(engine: sa.Engine, raw: pl.DataFrame, positions: pl.DataFrame, at: dt.datetime, **kw):  # type: ignore[no-untyped-def]
    return store.refresh_training_set(engine, raw, positions, at, **kw)


def _positions_known(positions: pl.DataFrame, at: dt.datetime) -> pl.DataFrame:
    return positions.filter(pl.col("known_date") < at.date())


def test_a_rerun_writes_nothing_and_a_new_day_writes_its_rows(migrated_engine: sa.Engine, market) -> None:  # type: ignore[no-untyped-def]
    raw, positions = market
    first = _refresh(migrated_engine, features.as_known_at(raw, T0), _positions_known(positions, T0), BUILT)
    assert first.update.mode == "full" and first.written
    assert first.update.rows.height > 1000
    _assert_equals_full_build(migrated_engine, features.as_known_at(raw, T0))

    # Nothing changed: nothing is recomputed, nothing written, the table's version stays.
    version = warehouse.table_version(migrated_engine, "price_training_set")
    again = _refresh(migrated_engine, features.as_known_at(raw, T0), _positions_known(positions, T0), BUILT)
    assert again.update.mode == "incremental", again.update.reason
    assert again.update.rows.height == 0 and not again.written and again.position_days == []
    assert warehouse.table_version(migrated_engine, "price_training_set") == version

    # One more day: the openings registered that day (and the awards and lists that came with it) are written,
    # nothing else; the rows before are untouched (their built_at stays).
    before = _stored(migrated_engine)
    t1 = T0 + dt.timedelta(days=1)
    now = features.trainable(features.as_known_at(raw, t1))
    then = features.trainable(features.as_known_at(raw, T0))
    moved = increment.input_hashes(now).join(increment.input_hashes(then), on=[*KEY, "input_hash"], how="anti")
    day = _refresh(migrated_engine, now, _positions_known(positions, t1), BUILT + dt.timedelta(days=1))
    assert day.update.mode == "incremental", day.update.reason
    assert day.update.new_openings > 100
    written = day.update.rows.select(KEY)
    # Exactly the new or changed openings, plus the later rows whose history they feed (counted apart).
    assert written.height == moved.height + day.update.lookback_rows
    assert moved.select(KEY).join(written, on=KEY, how="anti").is_empty()
    # Those are the openings registered that day and the older ones whose award or list came that day.
    arrived = [
        pl.col(c).is_between(T0, t1, closed="left") for c in ("known_at", "award_known_at", "bidder_list_known_at")
    ]
    assert moved.join(now.filter(pl.any_horizontal(arrived)), on=KEY, how="anti").is_empty()
    after = _stored(migrated_engine)
    untouched = after.join(written, on=KEY, how="anti")
    assert untouched.height == before.height - (written.height - day.update.new_openings)
    assert (untouched["built_at"] == BUILT).all()
    assert day.position_days == [t1.date() - dt.timedelta(days=1)]
    _assert_equals_full_build(migrated_engine, now)
    stored_positions = store.read_stored_positions(migrated_engine)
    assert store.changed_position_days(_positions_known(positions, t1), stored_positions) == []


def _late(raw: pl.DataFrame, key: dict, columns: list[str]) -> pl.DataFrame:
    """`raw` without these facts of one opening (not crawled yet)."""
    this = pl.all_horizontal(pl.col(c) == key[c] for c in KEY)
    return raw.with_columns(pl.when(this).then(None).otherwise(pl.col(c)).alias(c) for c in columns)


def _old_opening(training: pl.DataFrame, known: str, value: str, group: list[str]) -> dict:
    """An opening whose fact (`value`, known at `known`) feeds the history of many later rows of its group."""
    facts = training.filter(pl.col(value).is_not_null() & pl.col(known).is_not_null())
    later = facts.join(training.select(*group, pl.col("cutoff_at").alias("c")), on=group).filter(
        pl.col("c") > pl.col(known)
    )
    counts = later.group_by(KEY).agg(pl.len().alias("later")).sort("later", *KEY, descending=True)
    row = counts.row(counts.height // 4, named=True)  # not the very oldest: a typical old opening
    assert row["later"] >= 10, row
    return {c: row[c] for c in KEY}


AWARD = ["winning_amount", "award_known_at"]
LIST = ["bidder_list_known_at", "bidder_list_count", "near_floor_count", "lowest_valid_bid"]


@pytest.mark.parametrize(
    ("late", "known", "value", "groups", "feature"),
    [
        (AWARD, "award_known_at", "winner_margin_pct", [["demand_agency_code"]], "agency_margin_mean"),
        (
            LIST,
            "bidder_list_known_at",
            "near_floor_count",
            [["category", "range_pct"], ["demand_agency_code"]],
            "category_near_floor_mean",
        ),
    ],
    ids=["award", "bidder_list"],
)
def test_a_late_fact_for_an_old_opening_rewrites_it_and_the_later_rows_that_read_it(  # type: ignore[no-untyped-def]
    migrated_engine: sa.Engine, market, late, known, value, groups, feature
) -> None:
    raw, positions = market
    held = features.as_known_at(raw, T0)
    key = _old_opening(increment.full_build(held, BUILT), known, value, groups[0])
    without = _late(held, key, late)
    _refresh(migrated_engine, without, _positions_known(positions, T0), BUILT)
    before = _stored(migrated_engine)

    # The fact arrives (a late crawl), with the time G2B registered it (or the list was fetched): days ago.
    update = _refresh(migrated_engine, held, _positions_known(positions, T0), BUILT + dt.timedelta(hours=1)).update
    full = _assert_equals_full_build(migrated_engine, held)
    assert update.mode == "incremental", update.reason
    assert (update.new_openings, update.changed_openings, update.removed_openings) == (0, 1, 0)
    assert update.lookback_rows > 0

    # What was rewritten: that opening, and exactly the rows of the groups the fact feeds (the agency; for a list
    # also the category × range) closed after the fact was known.
    this = full.filter(**key).row(0, named=True)
    reading = before.filter(
        pl.any_horizontal(pl.all_horizontal(pl.col(g) == this[g] for g in group) for group in groups)
        & (pl.col("cutoff_at") > this[known])
    ).join(pl.DataFrame([key]), on=KEY, how="anti")
    assert update.rows.height == 1 + reading.height == 1 + update.lookback_rows
    assert reading.select(KEY).join(update.rows, on=KEY, how="anti").is_empty()

    # The test can fail: rewriting only the changed opening (no look-back) would leave rows that differ from the
    # full build in the look-back feature.
    naive = before.join(full.select(*KEY, feature), on=KEY, suffix="_full")
    stale = naive.filter(~pl.col(feature).eq_missing(pl.col(f"{feature}_full"))).join(
        pl.DataFrame([key]), on=KEY, how="anti"
    )
    assert stale.height > 0
    assert stale.select(KEY).join(reading, on=KEY, how="anti").is_empty()


def test_days_in_sequence_with_late_facts_and_a_withdrawn_opening_equal_a_full_build(  # type: ignore[no-untyped-def]
    migrated_engine: sa.Engine, market
) -> None:
    """Day after day, with awards registered days late and an opening that leaves the set: after every run the
    stored set is the full build's, row by row."""
    raw, positions = market
    # Eight awards of openings a week old or more are crawled only on the last day, with their own (old)
    # registration.
    late_awards = raw.filter(
        pl.col("award_known_at").is_not_null() & (pl.col("known_at") < T0 - dt.timedelta(days=7))
    ).sample(n=8, seed=3)
    delayed = pl.col("notice_no").is_in(late_awards["notice_no"].implode())
    at = T0
    for step in range(4):
        held = features.as_known_at(raw, at)
        if step < 3:
            held = held.with_columns(pl.when(delayed).then(None).otherwise(pl.col(c)).alias(c) for c in AWARD)
        if step == 2:  # an opening withdrawn from the warehouse (say, a cancelled result): its row goes
            gone = held.filter(pl.col("known_at") < T0 - dt.timedelta(days=5)).sort(KEY).row(0, named=True)
            held = held.filter(pl.any_horizontal(pl.col(c) != gone[c] for c in KEY))
        result = _refresh(migrated_engine, held, _positions_known(positions, at), at)
        assert result.update.mode == ("full" if step == 0 else "incremental"), result.update.reason
        if step == 2:
            assert result.update.removed_openings == 1
            assert _stored(migrated_engine).filter(**{c: gone[c] for c in KEY}).is_empty()
        if step == 3:
            assert result.update.changed_openings >= late_awards.height
            assert result.update.lookback_rows > 0
        _assert_equals_full_build(migrated_engine, held)
        at += dt.timedelta(days=1)


def test_rows_built_before_fingerprints_or_with_other_code_are_rebuilt_in_full(  # type: ignore[no-untyped-def]
    migrated_engine: sa.Engine, market
) -> None:
    raw, positions = market
    held = features.as_known_at(raw, T0)
    _refresh(migrated_engine, held, _positions_known(positions, T0), BUILT)
    with migrated_engine.begin() as conn:
        conn.execute(sa.text("UPDATE price_training_set SET input_hash = NULL"))
    result = _refresh(migrated_engine, held, _positions_known(positions, T0), BUILT)
    assert result.update.mode == "full", result.update.reason
    _assert_equals_full_build(migrated_engine, held)
    again = _refresh(migrated_engine, held, _positions_known(positions, T0), BUILT)
    assert not again.written
    # Asked for (the run config full_rebuild): every row again, the same rows.
    asked = _refresh(migrated_engine, held, _positions_known(positions, T0), BUILT, full=True)
    assert asked.update.mode == "full" and asked.written
    assert asked.update.rows.height == _stored(migrated_engine).height
    _assert_equals_full_build(migrated_engine, held)


# ---------------------------------------------------------------------------------------------------------------------
# Through Dagster, on a warehouse crawled from the simulator over HTTP

SIM_KEY = "training-increment-key"
CRAWL_DAYS = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(10)]
AWARD_COLUMNS = ["winner_name", "winner_business_no", "winning_amount", "winning_rate_pct", "winner_rank"]
AWARD_COLUMNS += ["award_registered_at", "award_partition_date"]


@pytest.mark.timeout(900)  # crawls 10 days of notices and results through HTTP
def test_the_asset_writes_nothing_on_a_rerun_and_a_late_award_rewrites_what_reads_it(database_url: str) -> None:  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    from dagster import materialize

    from assets import ingestion, pricing
    from assets.common.resources import G2BResource, WarehouseResource
    from bidradar.ingestion.simulator import G2BSimulator
    from tests.support import materialize_days

    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    now = dt.datetime.combine(CRAWL_DAYS[-1], dt.time(21, 0), ZoneInfo("Asia/Seoul"))
    # 80 notices a day (200 before): the crawl's CPU is the simulator drawing the openings of the 43 days before each
    # results day, so it scales with this. At 80 (seed 20260101) the first build writes 483 rows (the test wants more
    # than 100) and the award taken away feeds 3 later rows of its agency (4 at 200; the test wants one).
    sim = G2BSimulator(seed=20260101, notices_per_day=80, service_key=SIM_KEY, now=now)
    with sim.serve() as url:
        g2b = G2BResource(base_url=url, service_key=SIM_KEY, backoff_initial_seconds=0.01)
        notices = [ingestion.g2b_raw_notices, ingestion.notice_tables]
        assert materialize_days(notices, database_url, CRAWL_DAYS, g2b).success
        results = [ingestion.g2b_raw_results, ingestion.result_tables, ingestion.bid_outcomes]
        assert materialize_days(results, database_url, CRAWL_DAYS, g2b).success
    resources = {"warehouse": WarehouseResource(database_url=database_url)}

    def run(full: bool = False) -> dict:
        config = {"ops": {"price_training_set": {"config": {"full_rebuild": full}}}}
        result = materialize([pricing.price_training_set], resources=resources, run_config=config)
        assert all(c.passed for c in result.get_asset_check_evaluations())
        meta = result.asset_materializations_for_node("price_training_set")[0].metadata
        return {name: value.value for name, value in meta.items()}

    first = run()
    assert first["mode"] == "full" and first["rows_written"] > 100
    rerun = run()
    assert (rerun["mode"], rerun["rows_written"], rerun["position_days_written"]) == ("incremental", 0, 0)

    # An award of an old opening whose agency closed later openings after it: not crawled yet, then crawled late
    # (with G2B's registration time of days ago).
    stored = _stored(engine)
    later = stored.join(stored.select("demand_agency_code", pl.col("cutoff_at").alias("c")), on="demand_agency_code")
    later = later.filter(pl.col("winner_margin_pct").is_not_null() & (pl.col("c") > pl.col("award_known_at")))
    key = later.group_by(KEY).len().sort("len", *KEY, descending=True).row(0, named=True)
    key = {k: key[k] for k in KEY}
    where = " AND ".join(f"{k} = :{k}" for k in KEY)
    with engine.begin() as conn:
        award = dict(
            conn.execute(sa.text(f"SELECT {', '.join(AWARD_COLUMNS)} FROM bid_outcomes WHERE {where}"), key)
            .mappings()
            .one()
        )
        conn.execute(
            sa.text(f"UPDATE bid_outcomes SET {', '.join(f'{c} = NULL' for c in AWARD_COLUMNS)} WHERE {where}"), key
        )
    missing = run()
    assert (missing["changed_openings"], missing["new_openings"]) == (1, 0), missing["reason"]
    assert missing["lookback_rows"] > 0 and missing["rows_written"] == 1 + missing["lookback_rows"]
    with engine.begin() as conn:
        assignments = ", ".join(f"{c} = :{c}" for c in AWARD_COLUMNS)
        conn.execute(sa.text(f"UPDATE bid_outcomes SET {assignments} WHERE {where}"), {**award, **key})
    late = run()
    assert late["rows_written"] == missing["rows_written"] and late["changed_openings"] == 1
    grown = _stored(engine).drop("built_at")
    assert run(full=True)["mode"] == "full"
    assert grown.equals(_stored(engine).drop("built_at"))
    assert grown.filter(**key)["winning_amount"][0] == award["winning_amount"]
    engine.dispose()
