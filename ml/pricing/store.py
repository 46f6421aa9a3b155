"""Reads of the warehouse for the price model: past openings with their outcomes, competitor bid positions, and
the open notices to price. SQL that runs the same on SQLite and PostgreSQL (the date of a time differs)."""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy.engine import Engine

from bidradar.core import warehouse
from bidradar.rules.floor import floor_sql, reference_floor_pct_sql
from ml.pricing.features import RAW_OPENING_SCHEMA

POSITIONS_SCHEMA = {
    "category": pl.String,
    "range_pct": pl.Float64,
    "known_date": pl.Date,
    "position_bin": pl.Int32,
    "bids": pl.Int64,
}

# The latest 기초금액 row per notice, and each opening's floor (낙찰하한가 = (예정가격 − A) × 하한율 / 100 + A).
_OPENINGS_CTE = (
    """
WITH base AS (
    SELECT notice_no, base_amount AS notice_base_amount, reserve_range_low_pct, reserve_range_high_pct, a_value,
           ROW_NUMBER() OVER (PARTITION BY notice_no ORDER BY notice_order DESC) AS rn
    FROM notice_base_amounts
),
openings AS (
    SELECT r.notice_no, r.notice_order, r.bid_class_no, r.rebid_no, r.category, r.opened_at,
           COALESCE(r.registered_at, r.opened_at) AS known_at, n.bid_close_at, r.demand_agency_code,
           COALESCE(r.notice_agency_code, n.notice_agency_code) AS notice_agency_code,
           COALESCE(r.demand_agency_name, n.demand_agency_name) AS demand_agency_name, n.contract_method,
           n.construction_site_region, COALESCE(r.base_amount, b.notice_base_amount) AS base_amount,
           r.planned_price, COALESCE(r.lower_limit_rate, n.lower_limit_rate) AS lower_limit_rate, n.estimated_price,
           b.reserve_range_low_pct, b.reserve_range_high_pct, COALESCE(b.a_value, 0) AS a_value,
           n.reserve_price_count, n.drawn_price_count, r.winning_amount,
           """
    + floor_sql("r.planned_price", "COALESCE(r.lower_limit_rate, n.lower_limit_rate)", "COALESCE(b.a_value, 0)")
    + """ AS floor_amount
    FROM bid_results r
    JOIN base b ON b.notice_no = r.notice_no AND b.rn = 1
    LEFT JOIN bid_notices n ON n.notice_no = r.notice_no
    WHERE r.planned_price IS NOT NULL AND COALESCE(r.base_amount, b.notice_base_amount) > 0
)
"""
)

OPENINGS_SQL = (
    _OPENINGS_CTE
    + """
, bidders AS (
    SELECT d.notice_no, d.notice_order, d.bid_class_no, d.rebid_no, COUNT(*) AS bidder_count,
           SUM(CASE WHEN d.bid_amount >= o.floor_amount AND d.bid_amount < o.floor_amount * 1.005 THEN 1 ELSE 0 END)
               AS near_floor_count
    FROM bid_result_bidders d
    JOIN openings o ON o.notice_no = d.notice_no AND o.notice_order = d.notice_order
         AND o.bid_class_no = d.bid_class_no AND o.rebid_no = d.rebid_no
    GROUP BY d.notice_no, d.notice_order, d.bid_class_no, d.rebid_no
)
SELECT o.*, COALESCE(b.bidder_count, 0) AS bidder_count, COALESCE(b.near_floor_count, 0) AS near_floor_count
FROM openings o
LEFT JOIN bidders b ON b.notice_no = o.notice_no AND b.notice_order = o.notice_order
     AND b.bid_class_no = o.bid_class_no AND b.rebid_no = o.rebid_no
"""
)

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
WHERE d.bid_amount IS NOT NULL AND o.lower_limit_rate IS NOT NULL
GROUP BY 1, 2, 3, 4
"""
)

OPEN_NOTICES_SQL = """
WITH base AS (
    SELECT notice_no, notice_order, base_amount, reserve_range_low_pct, reserve_range_high_pct, a_value
    FROM notice_base_amounts
)
SELECT n.notice_no, n.notice_order, n.category, n.bid_close_at, n.demand_agency_code, n.notice_agency_code,
       n.demand_agency_name, n.contract_method, n.construction_site_region, b.base_amount, n.lower_limit_rate,
       n.estimated_price, b.reserve_range_low_pct, b.reserve_range_high_pct, b.a_value, n.reserve_price_count,
       n.drawn_price_count, n.price_decision_method, n.title
FROM bid_notices n
LEFT JOIN base b ON b.notice_no = n.notice_no AND b.notice_order = n.notice_order
WHERE n.notice_no IN (SELECT notice_no FROM hard_matches WHERE verdict = 'eligible')
"""


def read_raw_openings(engine: Engine) -> pl.DataFrame:
    frame = warehouse.read_frame(engine, OPENINGS_SQL, schema=dict(RAW_OPENING_SCHEMA))
    if frame.is_empty():
        return pl.DataFrame(schema=RAW_OPENING_SCHEMA)
    return frame.select(pl.col(c).cast(t) for c, t in RAW_OPENING_SCHEMA.items())


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


TRAINING_SCHEMA = {"cutoff_at": pl.Datetime("us"), "known_at": pl.Datetime("us"), "opened_at": pl.Datetime("us")}


def read_training_set(engine: Engine) -> pl.DataFrame:
    return warehouse.read_frame(engine, "SELECT * FROM price_training_set", schema=TRAINING_SCHEMA)


def read_open_notices(engine: Engine) -> pl.DataFrame:
    schema = {**RAW_OPENING_SCHEMA, "bid_close_at": pl.Datetime("us")}
    schema = {k: v for k, v in schema.items() if k != "known_at"}
    return warehouse.read_frame(engine, OPEN_NOTICES_SQL, schema=schema)


def as_of_date(value: dt.datetime) -> dt.date:
    return value.date()
