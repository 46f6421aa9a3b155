"""Reads of the warehouse for the price model: past openings with their outcomes, competitor bid positions, and
the open notices to price. SQL that runs the same on SQLite and PostgreSQL (the date of a time differs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bidradar.core import schema, warehouse
from bidradar.ingestion.crawl import BIDDERS_OP
from bidradar.rules.a_value import a_value_for_floor_sql, a_value_rule_sql
from bidradar.rules.floor import floor_sql, reference_floor_pct_sql
from ml.pricing.features import OPENING_KEY, RAW_OPENING_SCHEMA

POSITIONS_SCHEMA = {
    "category": pl.String,
    "range_pct": pl.Float64,
    "known_date": pl.Date,
    "position_bin": pl.Int32,
    "bids": pl.Int64,
}

# Which A goes into an opening's floor (bidradar.rules.a_value): the notice's flag when its 기초금액 row is crawled,
# else by category, 추정가격 and the notice's date; NULL (an unknown floor) where the rule may apply or applies
# without a published A. Never 0 for "not crawled".
_OPENING_A_RULE = a_value_rule_sql(
    "r.category",
    "b.a_value_applies",
    "n.estimated_price",
    "COALESCE(n.notice_at, n.registered_at, r.notice_registered_at, r.opened_at)",
)
_OPENING_A_VALUE = a_value_for_floor_sql(_OPENING_A_RULE, "b.a_value")

# One row per opening with a 예정가격, from bid_outcomes (every part wherever it was registered). The 기초금액 and
# its range come from the notice's 기초금액 row when crawled, else from the 15 예비가격 (the opening's own bssamt, and
# the lowest and highest price, from which features.range_from_prices reads the range). The floor
# (bidradar.rules.floor.floor_sql) wherever its A (above) and 하한율 are known. Counts stay NULL when unknown:
# participant_count is G2B's prtcptCnum, bidder_list_count the rows of a fetched bidder list (NULL: not fetched),
# never 0 for "not crawled".
_OPENINGS_CTE = (
    """
WITH base AS (
    SELECT notice_no, base_amount AS notice_base_amount, reserve_range_low_pct, reserve_range_high_pct, a_value,
           a_value_applies, ROW_NUMBER() OVER (PARTITION BY notice_no ORDER BY notice_order DESC) AS rn
    FROM notice_base_amounts
),
prices AS (
    SELECT notice_no, notice_order, bid_class_no, rebid_no, MIN(reserve_price) AS reserve_price_low,
           MAX(reserve_price) AS reserve_price_high, COUNT(*) AS prices,
           SUM(CASE WHEN is_drawn THEN 1 ELSE 0 END) AS drawn
    FROM bid_result_reserve_prices
    GROUP BY notice_no, notice_order, bid_class_no, rebid_no
),
openings AS (
    SELECT r.notice_no, r.notice_order, r.bid_class_no, r.rebid_no, r.category, r.opened_at, r.opening_status,
           COALESCE(r.opening_registered_at, r.opened_at) AS known_at, r.award_registered_at AS award_known_at,
           n.bid_close_at, r.demand_agency_code,
           COALESCE(r.notice_agency_code, n.notice_agency_code) AS notice_agency_code,
           COALESCE(r.demand_agency_name, n.demand_agency_name) AS demand_agency_name, n.contract_method,
           n.construction_site_region, COALESCE(r.base_amount, b.notice_base_amount) AS base_amount,
           r.planned_price, COALESCE(r.lower_limit_rate, n.lower_limit_rate) AS lower_limit_rate, n.estimated_price,
           b.reserve_range_low_pct, b.reserve_range_high_pct, p.reserve_price_low, p.reserve_price_high,
           """
    + _OPENING_A_VALUE
    + """ AS a_value, """
    + _OPENING_A_RULE
    + """ AS a_value_rule,
           COALESCE(n.reserve_price_count, p.prices) AS reserve_price_count,
           COALESCE(n.drawn_price_count, p.drawn) AS drawn_price_count, r.winning_amount,
           r.participant_count, r.bidder_count AS bidder_list_count,
           """
    + floor_sql("r.planned_price", "COALESCE(r.lower_limit_rate, n.lower_limit_rate)", _OPENING_A_VALUE)
    + """ AS floor_amount
    FROM bid_outcomes r
    LEFT JOIN base b ON b.notice_no = r.notice_no AND b.rn = 1
    LEFT JOIN bid_notices n ON n.notice_no = r.notice_no
    LEFT JOIN prices p ON p.notice_no = r.notice_no AND p.notice_order = r.notice_order
         AND p.bid_class_no = r.bid_class_no AND p.rebid_no = r.rebid_no
    WHERE r.planned_price IS NOT NULL AND COALESCE(r.base_amount, b.notice_base_amount) > 0
)
"""
)

OPENINGS_SQL = (
    _OPENINGS_CTE
    + """
, bidders AS (
    SELECT d.notice_no, d.notice_order, d.bid_class_no, d.rebid_no,
           SUM(CASE WHEN d.bid_amount >= o.floor_amount AND d.bid_amount < o.floor_amount * 1.005 THEN 1 ELSE 0 END)
               AS near_floor_count,
           MIN(CASE WHEN d.bid_amount >= o.floor_amount THEN d.bid_amount END) AS lowest_valid_bid
    FROM bid_result_bidders d
    JOIN openings o ON o.notice_no = d.notice_no AND o.notice_order = d.notice_order
         AND o.bid_class_no = d.bid_class_no AND o.rebid_no = d.rebid_no
    WHERE o.floor_amount IS NOT NULL
    GROUP BY d.notice_no, d.notice_order, d.bid_class_no, d.rebid_no
)
SELECT o.*, b.near_floor_count, b.lowest_valid_bid
FROM openings o
LEFT JOIN bidders b ON b.notice_no = o.notice_no AND b.notice_order = o.notice_order
     AND b.bid_class_no = o.bid_class_no AND b.rebid_no = o.rebid_no
"""
)

# When each opening's bidder list was fetched: the first fetch of its raw pages (request key = opening key @ a
# fingerprint of the opening; see bidradar.ingestion.crawl).
LIST_FETCHES_SQL = """
SELECT request_key, MIN(fetched_at) AS fetched_at FROM g2b_raw_pages WHERE operation = :op GROUP BY request_key
"""

# Competitor bid positions: % of the 기초금액 minus the floor at a 사정률 of 100%, in bins of 0.1 point.
POSITIONS_SQL = (
    _OPENINGS_CTE
    + """
SELECT o.category, ABS(o.reserve_range_high_pct - o.reserve_range_low_pct) / 2 AS range_pct,
       {known_date} AS known_date,
       CAST(ROUND((100.0 * d.bid_amount / o.base_amount
                   - """
    + reference_floor_pct_sql("o.lower_limit_rate", "1.0 * o.a_value / o.base_amount")
    + """) * 10)
            AS INTEGER) AS position_bin,
       COUNT(*) AS bids
FROM bid_result_bidders d
JOIN openings o ON o.notice_no = d.notice_no AND o.notice_order = d.notice_order
     AND o.bid_class_no = d.bid_class_no AND o.rebid_no = d.rebid_no
WHERE d.bid_amount IS NOT NULL AND o.floor_amount IS NOT NULL AND o.reserve_range_low_pct IS NOT NULL
GROUP BY 1, 2, 3, 4
"""
)

_NOTICE_A_RULE = a_value_rule_sql(
    "n.category", "b.a_value_applies", "n.estimated_price", "COALESCE(n.notice_at, n.registered_at)"
)
OPEN_NOTICES_SQL = (
    """
WITH base AS (
    SELECT notice_no, notice_order, base_amount, reserve_range_low_pct, reserve_range_high_pct, a_value,
           a_value_applies
    FROM notice_base_amounts
)
SELECT n.notice_no, n.notice_order, n.category, n.bid_close_at, n.demand_agency_code, n.notice_agency_code,
       n.demand_agency_name, n.contract_method, n.construction_site_region, b.base_amount, n.lower_limit_rate,
       n.estimated_price, b.reserve_range_low_pct, b.reserve_range_high_pct, """
    + a_value_for_floor_sql(_NOTICE_A_RULE, "b.a_value")
    + " AS a_value, "
    + _NOTICE_A_RULE
    + """ AS a_value_rule, n.reserve_price_count,
       n.drawn_price_count, n.price_decision_method, n.title
FROM bid_notices n
LEFT JOIN base b ON b.notice_no = n.notice_no AND b.notice_order = n.notice_order
WHERE n.notice_no IN :notice_nos
"""
)


def read_list_fetches(engine: Engine) -> pl.DataFrame:
    """(opening key, bidder_list_known_at): when each stored bidder list was first fetched."""
    schema = {"request_key": pl.String, "fetched_at": pl.Datetime("us")}
    frame = warehouse.read_frame(engine, LIST_FETCHES_SQL, {"op": BIDDERS_OP}, schema=schema)
    key_schema = {**dict.fromkeys(OPENING_KEY, pl.String), "bidder_list_known_at": pl.Datetime("us")}
    if frame.is_empty():
        return pl.DataFrame(schema=key_schema)
    parts = pl.col("request_key").str.split("@").list.first().str.splitn("-", 4)
    return (
        warehouse.cast_frame(frame, schema)
        .with_columns(parts.alias("_k"))
        .select(
            *[pl.col("_k").struct.field(f"field_{i}").alias(c) for i, c in enumerate(OPENING_KEY)],
            pl.col("fetched_at").cast(pl.Datetime("us")).alias("bidder_list_known_at"),
        )
        .group_by(OPENING_KEY)
        .agg(pl.col("bidder_list_known_at").min())
    )


def read_raw_openings(engine: Engine) -> pl.DataFrame:
    """Every opening with a 예정가격 (RAW_OPENING_SCHEMA), with when each of its facts became known."""
    sql_schema = {k: v for k, v in RAW_OPENING_SCHEMA.items() if k != "bidder_list_known_at"}
    frame = warehouse.read_frame(engine, OPENINGS_SQL, schema=dict(sql_schema))
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
    known_date = "CAST(o.known_at AS DATE)" if warehouse.dialect_of(engine) == "postgresql" else "DATE(o.known_at)"
    frame = warehouse.read_frame(engine, POSITIONS_SQL.format(known_date=known_date), schema=POSITIONS_SCHEMA)
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


def read_open_notices(engine: Engine, notice_nos: Sequence[str]) -> pl.DataFrame:
    """These notices (the eligible ones of matching's pairs, `verdicts.read_eligible_pairs`) with their 기초금액 and
    the A of their floor; a number without a notice row has no row."""
    schema = {**RAW_OPENING_SCHEMA, "bid_close_at": pl.Datetime("us")}
    schema = {k: v for k, v in schema.items() if k != "known_at"}
    statement = sa.text(OPEN_NOTICES_SQL).bindparams(sa.bindparam("notice_nos", expanding=True))
    wanted = sorted(set(notice_nos))
    chunks = [wanted[i : i + 500] for i in range(0, len(wanted), 500)] or [[]]  # bounded IN lists on both backends
    frames = [warehouse.read_frame(engine, statement, {"notice_nos": chunk}, schema=schema) for chunk in chunks]
    return pl.concat(frames, how="vertical_relaxed")


def as_of_date(value: dt.datetime) -> dt.date:
    return value.date()


def read_serving_strategy(engine: Engine) -> dict | None:
    """The row of price_serving_strategy (what serves, its replay figures and calibration), or None."""
    frame = warehouse.read_frame(engine, "SELECT * FROM price_serving_strategy ORDER BY decided_at DESC")
    return frame.row(0, named=True) if frame.height else None


COVERAGE_SQL = """
SELECT opening_partition_date AS partition_date, COUNT(*) AS completed_openings,
       SUM(CASE WHEN participant_count IS NOT NULL THEN 1 ELSE 0 END) AS with_participant_count,
       SUM(CASE WHEN bidder_count IS NOT NULL THEN 1 ELSE 0 END) AS with_bidder_list
FROM bid_outcomes WHERE opening_status = '개찰완료' AND opening_partition_date IS NOT NULL
GROUP BY opening_partition_date ORDER BY opening_partition_date
"""


def read_coverage(engine: Engine) -> pl.DataFrame:
    """Per result partition: completed openings, with G2B's participant count, with a fetched bidder list."""
    schema = {
        "partition_date": pl.Date,
        "completed_openings": pl.Int64,
        "with_participant_count": pl.Int64,
        "with_bidder_list": pl.Int64,
    }
    frame = warehouse.read_frame(engine, COVERAGE_SQL, schema=schema)
    if frame.is_empty():
        return pl.DataFrame(schema=schema)
    return warehouse.cast_frame(frame, schema).select(pl.col(c).cast(t) for c, t in schema.items())
