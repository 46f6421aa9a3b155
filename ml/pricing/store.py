"""Reads of the warehouse for the price model: past openings with their outcomes, competitor bid positions, and
the open notices to price. SQL that runs the same on SQLite and PostgreSQL (the date of a time differs)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bidradar.core import schema, warehouse
from bidradar.ingestion import readers
from bidradar.rules.floor import reference_floor_pct_sql
from ml.pricing import increment
from ml.pricing.features import OPENING_KEY, RAW_OPENING_SCHEMA

POSITIONS_SCHEMA = {
    "category": pl.String,
    "range_pct": pl.Float64,
    "known_date": pl.Date,
    "position_bin": pl.Int32,
    "bids": pl.Int64,
}

# The openings with their floor inputs, their bids and their bidder-list fetches are ingestion's
# (bidradar.ingestion.readers); what pricing makes of them is here: the bids near the floor, the lowest valid bid,
# and the competitor bid positions.


def _openings_with_bid_facts() -> sa.Select:
    """Every opening of readers.openings_with_floor_inputs_select with near_floor_count (bids at or above the floor
    and below 100.5% of it) and lowest_valid_bid (the lowest bid at or above the floor): NULL where no list was
    fetched or the floor is unknown."""
    o = readers.openings_with_floor_inputs_select().cte("openings")
    d = readers.opening_bids_select().subquery("d")
    key = [d.c[k] for k in OPENING_KEY]
    on = sa.and_(*(o.c[k] == d.c[k] for k in OPENING_KEY))
    at_or_above = d.c.bid_amount >= o.c.floor_amount
    bidders = (
        sa.select(
            *key,
            sa.func.sum(sa.case((sa.and_(at_or_above, d.c.bid_amount < o.c.floor_amount * 1.005), 1), else_=0)).label(
                "near_floor_count"
            ),
            sa.func.min(sa.case((at_or_above, d.c.bid_amount))).label("lowest_valid_bid"),
        )
        .select_from(d.join(o, on))
        .where(o.c.floor_amount.is_not(None))
        .group_by(*key)
        .cte("bidders")
    )
    return sa.select(o, bidders.c.near_floor_count, bidders.c.lowest_valid_bid).select_from(
        o.outerjoin(bidders, sa.and_(*(bidders.c[k] == o.c[k] for k in OPENING_KEY)))
    )


def read_list_fetches(engine: Engine) -> pl.DataFrame:
    """(opening key, bidder_list_known_at): when each stored bidder list was first fetched."""
    return readers.read_bidder_list_fetches(engine).rename({"first_fetched_at": "bidder_list_known_at"})


def read_raw_openings(engine: Engine) -> pl.DataFrame:
    """Every opening with a 예정가격 (RAW_OPENING_SCHEMA), with when each of its facts became known."""
    sql_schema = {k: v for k, v in RAW_OPENING_SCHEMA.items() if k != "bidder_list_known_at"}
    frame = warehouse.read_frame(engine, _openings_with_bid_facts(), schema=dict(sql_schema))
    if frame.is_empty():
        return pl.DataFrame(schema=RAW_OPENING_SCHEMA)
    frame = frame.select(pl.col(c).cast(t) for c, t in sql_schema.items())
    fetches = read_list_fetches(engine)
    frame = frame.join(fetches, on=OPENING_KEY, how="left")
    # A list's fetch time only where the warehouse holds the list (a fetched but empty list holds no rows).
    known = pl.when(pl.col("bidder_list_count").is_not_null()).then(pl.col("bidder_list_known_at"))
    return frame.with_columns(bidder_list_known_at=known).select(
        pl.col(c).cast(t) for c, t in RAW_OPENING_SCHEMA.items()
    )


def read_positions(engine: Engine) -> pl.DataFrame:
    """Competitor bid positions: % of the 기초금액 minus the floor at a 사정률 of 100%, in bins of 0.1 point
    (POSITIONS_SCHEMA)."""
    o = readers.openings_with_floor_inputs_select().cte("o")
    d = readers.opening_bids_select().subquery("d")
    known_date = (
        sa.cast(o.c.known_at, sa.Date) if warehouse.dialect_of(engine) == "postgresql" else sa.func.date(o.c.known_at)
    )
    reference = reference_floor_pct_sql("o.lower_limit_rate", "1.0 * o.a_value / o.base_amount")
    position_bin = sa.literal_column(
        f"CAST(ROUND((100.0 * d.bid_amount / o.base_amount - {reference}) * 10) AS INTEGER)"
    )
    query = (
        sa.select(
            o.c.category,
            (sa.func.abs(o.c.reserve_range_high_pct - o.c.reserve_range_low_pct) / 2).label("range_pct"),
            known_date.label("known_date"),
            position_bin.label("position_bin"),
            sa.func.count().label("bids"),
        )
        .select_from(d.join(o, sa.and_(*(o.c[k] == d.c[k] for k in OPENING_KEY))))
        .where(d.c.bid_amount.is_not(None), o.c.floor_amount.is_not(None), o.c.reserve_range_low_pct.is_not(None))
        .group_by(sa.text("1, 2, 3, 4"))
    )
    frame = warehouse.read_frame(engine, query, schema=POSITIONS_SCHEMA)
    if frame.is_empty():
        return pl.DataFrame(schema=POSITIONS_SCHEMA)
    return frame.select(pl.col(c).cast(t) for c, t in POSITIONS_SCHEMA.items())


def read_stored_positions(engine: Engine) -> pl.DataFrame:
    """The positions as the price_training_set asset stored them (price_bid_positions)."""
    frame = warehouse.read_frame(engine, "SELECT * FROM price_bid_positions", schema=POSITIONS_SCHEMA)
    if frame.is_empty():
        return pl.DataFrame(schema=POSITIONS_SCHEMA)
    return frame.select(pl.col(c).cast(t) for c, t in POSITIONS_SCHEMA.items())


# Every column typed by the one schema (SQLite hands timestamps back as text).
TRAINING_SCHEMA = schema.polars_schema(schema.price_training_set)


def read_training_set(engine: Engine) -> pl.DataFrame:
    return warehouse.read_frame(engine, "SELECT * FROM price_training_set", schema=TRAINING_SCHEMA)


def read_training_state(engine: Engine) -> pl.DataFrame:
    """Of every stored row, what a run compares and the history it gives (ml.pricing.increment.STATE_COLUMNS)."""
    columns = increment.STATE_COLUMNS
    query = sa.select(*(schema.price_training_set.c[c] for c in columns))
    return warehouse.read_frame(engine, query, schema={c: TRAINING_SCHEMA[c] for c in columns})


def read_training_rows(engine: Engine, keys: pl.DataFrame) -> pl.DataFrame:
    """The stored rows of these openings (bounded IN lists of notice numbers, then the whole key)."""
    table = schema.price_training_set
    numbers = keys["notice_no"].unique().sort().to_list()
    frames = [
        warehouse.read_frame(
            engine, sa.select(table).where(table.c.notice_no.in_(numbers[i : i + 500])), schema=TRAINING_SCHEMA
        )
        for i in range(0, len(numbers), 500)
    ]
    rows = pl.concat(frames, how="vertical_relaxed") if frames else pl.DataFrame(schema=TRAINING_SCHEMA)
    return rows.join(keys.select(OPENING_KEY), on=OPENING_KEY, how="semi")


POSITION_KEY = ["category", "range_pct", "known_date", "position_bin"]


def changed_position_days(current: pl.DataFrame, stored: pl.DataFrame) -> list[dt.date]:
    """The days whose competitor positions differ from the stored ones (a row added, gone or with other bids)."""
    both = current.join(stored, on=POSITION_KEY, how="full", coalesce=True, suffix="_stored")
    differs = both.filter(~pl.col("bids").eq_missing(pl.col("bids_stored")))
    return sorted(differs["known_date"].unique().to_list())


@dataclass(frozen=True)
class TrainingRefresh:
    update: increment.TrainingUpdate
    position_days: list[dt.date]
    position_rows: int
    written: bool


def refresh_training_set(
    engine: Engine, raw: pl.DataFrame, positions: pl.DataFrame, built_at: dt.datetime, full: bool = False
) -> TrainingRefresh:
    """Grow the stored training set by what changed (ml.pricing.increment) and rewrite the days of competitor
    positions that changed, in one transaction. Planned from the stored rows at a table version; if another run
    wrote in between, planned again (up to 3 times). Nothing changed: nothing is written."""
    for attempt in range(1, 4):
        version = warehouse.table_version(engine, "price_training_set")
        plan = increment.plan(raw, pl.DataFrame() if full else read_training_state(engine), full=full)
        update = increment.build(plan, read_training_rows(engine, increment.rows_to_read(plan)), built_at)
        days = changed_position_days(positions, read_stored_positions(engine))
        changed = positions.filter(pl.col("known_date").is_in(days))
        if update.mode == "incremental" and update.rows.is_empty() and not update.delete_notice_nos and not days:
            return TrainingRefresh(update, [], 0, written=False)
        training_write = (
            warehouse.TableWrite("price_training_set", update.rows, OPENING_KEY, replace="table")
            if update.mode == "full"
            else warehouse.TableWrite(
                "price_training_set",
                update.rows,
                OPENING_KEY,
                replace="keys",
                delete_keys={"notice_no": update.delete_notice_nos},
            )
        )
        try:
            warehouse.write(
                engine,
                [
                    dataclasses.replace(training_write, expected_version=version),
                    warehouse.TableWrite(
                        "price_bid_positions",
                        changed,
                        POSITION_KEY,
                        replace="keys",
                        delete_keys={"known_date": [d.isoformat() for d in days]},
                    ),
                ],
            )
            return TrainingRefresh(update, days, changed.height, written=True)
        except warehouse.StaleWrite:
            if attempt == 3:
                raise
    raise AssertionError("unreachable")


def read_open_notices(engine: Engine, notice_nos: Sequence[str]) -> pl.DataFrame:
    """These notices (the eligible ones of matching's pairs, `verdicts.read_eligible_pairs`) with their 기초금액 and
    the A of their floor; a number without a notice row has no row."""
    schema = {**RAW_OPENING_SCHEMA, "bid_close_at": pl.Datetime("us")}
    schema = {k: v for k, v in schema.items() if k != "known_at"}
    wanted = sorted(set(notice_nos))
    chunks = [wanted[i : i + 500] for i in range(0, len(wanted), 500)] or [[]]  # bounded IN lists on both backends
    frames = [
        warehouse.read_frame(engine, readers.notices_with_floor_inputs_select(chunk), schema=schema) for chunk in chunks
    ]
    return pl.concat(frames, how="vertical_relaxed")


def as_of_date(value: dt.datetime) -> dt.date:
    return value.date()


def read_serving_strategy(engine: Engine) -> dict | None:
    """The row of price_serving_strategy (what serves, its replay figures and calibration), or None."""
    frame = warehouse.read_frame(engine, "SELECT * FROM price_serving_strategy ORDER BY decided_at DESC")
    return frame.row(0, named=True) if frame.height else None


def read_coverage(engine: Engine) -> pl.DataFrame:
    """Per result partition: completed openings, with G2B's participant count, with a fetched bidder list."""
    return readers.read_opening_coverage(engine)
