"""Per-opening outcomes, joined from the parts stored by their own registration day.

A day's run recomputes the outcomes of every notice it touched: openings, awards, 예비가격 or bidders registered
that day, and notices registered that day (so a backfill of a notice's day fills the 낙찰하한율 of its outcomes).
An award registered ten working days after its opening lands on that opening, whichever was crawled first.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy.engine import Engine

from bidradar.core import warehouse
from bidradar.ingestion import normalize

_KEY = ", ".join(normalize.OPENING_KEY)
_TOUCHED = """WITH touched AS (
    SELECT notice_no FROM bid_openings WHERE partition_date = :day
    UNION SELECT notice_no FROM bid_awards WHERE partition_date = :day
    UNION SELECT notice_no FROM bid_result_reserve_prices WHERE partition_date = :day
    UNION SELECT notice_no FROM bid_result_bidders WHERE partition_date = :day
    UNION SELECT o.notice_no FROM bid_outcomes o JOIN bid_notices n ON n.notice_no = o.notice_no
          WHERE n.partition_date = :day
)
"""
_ON_KEY = " AND ".join(f"b.{c} = a.{c}" for c in normalize.OPENING_KEY)
QUERIES = {
    "openings": f"{_TOUCHED}SELECT * FROM bid_openings WHERE notice_no IN (SELECT notice_no FROM touched)",
    "awards": f"{_TOUCHED}SELECT * FROM bid_awards WHERE notice_no IN (SELECT notice_no FROM touched)",
    "prices": f"{_TOUCHED}SELECT {_KEY}, MAX(planned_price) AS planned_price, MAX(base_amount) AS base_amount "
    f"FROM bid_result_reserve_prices WHERE notice_no IN (SELECT notice_no FROM touched) GROUP BY {_KEY}",
    "bidders": f"{_TOUCHED}SELECT {', '.join('b.' + c for c in normalize.OPENING_KEY)}, COUNT(*) AS bidder_count, "
    "MAX(CASE WHEN b.business_no = a.winner_business_no THEN b.rank END) AS winner_rank "
    f"FROM bid_result_bidders b LEFT JOIN bid_awards a ON {_ON_KEY} "
    f"WHERE b.notice_no IN (SELECT notice_no FROM touched) GROUP BY {', '.join('b.' + c for c in normalize.OPENING_KEY)}",
    "notices": f"{_TOUCHED}SELECT notice_no, lower_limit_rate, registered_at FROM bid_notices "
    "WHERE notice_no IN (SELECT notice_no FROM touched)",
}
_STR = dict.fromkeys(normalize.OPENING_KEY, pl.String)
SCHEMAS = {
    "openings": {
        **_STR,
        "partition_date": pl.Date,
        "category": pl.String,
        "opened_at": pl.Datetime("us"),
        "opening_status": pl.String,
        "notice_agency_code": pl.String,
        "demand_agency_code": pl.String,
        "demand_agency_name": pl.String,
        "participant_count": pl.Int64,
        "registered_at": pl.Datetime("us"),
    },
    "awards": {
        **_STR,
        "partition_date": pl.Date,
        "category": pl.String,
        "participant_count": pl.Int64,
        "winner_name": pl.String,
        "winner_business_no": pl.String,
        "winning_amount": pl.Int64,
        "winning_rate_pct": pl.Float64,
        "opened_at": pl.Datetime("us"),
        "awarded_on": pl.String,
        "demand_agency_code": pl.String,
        "demand_agency_name": pl.String,
        "registered_at": pl.Datetime("us"),
    },
    "prices": {**_STR, "planned_price": pl.Int64, "base_amount": pl.Int64},
    "bidders": {**_STR, "bidder_count": pl.Int64, "winner_rank": pl.Int64},
    "notices": {"notice_no": pl.String, "lower_limit_rate": pl.Float64, "registered_at": pl.Datetime("us")},
}


def _typed(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """Exactly the schema's columns and types, also for an empty result (read_frame cannot infer those)."""
    if frame.is_empty():
        return pl.DataFrame(schema=schema)
    frame = warehouse.cast_frame(frame, schema)
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])


def load_inputs(engine: Engine, day: dt.date) -> dict[str, pl.DataFrame]:
    params = {"day": day.isoformat()}
    return {name: _typed(warehouse.read_frame(engine, query, params), SCHEMAS[name]) for name, query in QUERIES.items()}


def outcomes_for_day(engine: Engine, day: dt.date) -> pl.DataFrame:
    """The outcomes of every opening whose notice the day touched, from all that the warehouse holds."""
    inputs = load_inputs(engine, day)
    return normalize.outcomes(
        inputs["openings"], inputs["awards"], inputs["prices"], inputs["bidders"], inputs["notices"]
    )


def coverage(frame: pl.DataFrame, day: dt.date) -> dict[str, int]:
    """Of the completed openings registered on `day`: how many have G2B's participant count (prtcptCnum, bulk)
    and how many a fetched bidder list (one call each under the quota)."""
    day_openings = frame.filter((pl.col("opening_partition_date") == day) & (pl.col("opening_status") == "개찰완료"))
    return {
        "completed_openings": day_openings.height,
        "with_participant_count": day_openings.filter(pl.col("participant_count").is_not_null()).height,
        "with_bidder_list": day_openings.filter(pl.col("bidder_count").is_not_null()).height,
    }


def coverage_markdown(coverage: dict[str, dict[str, int]]) -> str:
    lines = ["| partition | completed openings | with participant count | with bidder list | list coverage |"]
    lines.append("|---|---|---|---|---|")
    for day, c in sorted(coverage.items()):
        share = f"{c['with_bidder_list'] / c['completed_openings']:.0%}" if c["completed_openings"] else "–"
        lines.append(
            f"| {day} | {c['completed_openings']:,} | {c['with_participant_count']:,} | {c['with_bidder_list']:,} "
            f"| {share} |"
        )
    return "\n".join(lines)
