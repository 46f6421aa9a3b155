"""Warehouse reads of the alert selection, and the insert-only write of new alerts.

The reads are written against what exists: hard/soft matches and bid_notices (required); match_analyses,
bid_recommendations (issue 12) and per-opening outcomes (issue 9) when their tables exist. Missing tables or
columns give alerts without that part, never an error.
"""

from __future__ import annotations

import datetime as dt
import importlib

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bidradar.alerts import select
from bidradar.core import warehouse
from bidradar.matching import profiles as profile_files
from ml.pricing.advice import PRICED, price_block_text, read_price_advice

# Outcome tables of issue 9 that may replace bid_results as the source of results, in order of preference.
OUTCOME_TABLES = ("bid_outcomes", "opening_outcomes")


def _columns(engine: Engine, table: str) -> set[str]:
    inspector = sa.inspect(engine)
    if not inspector.has_table(table):
        return set()
    return {c["name"] for c in inspector.get_columns(table)}


def companies_frame(profiles: list[tuple[str, profile_files.CompanyProfile]]) -> pl.DataFrame:
    rows = [
        {
            "company_id": cid,
            "name": p.name,
            "plan": p.plan,
            "slack_channel": p.slack_channel,
            "alert_email": p.alert_email,
        }
        for cid, p in profiles
    ]
    return pl.DataFrame(rows, schema=select.COMPANY_SCHEMA)


def _eligibility_lines(frame: pl.DataFrame) -> pl.Series:
    """The eligibility line of each pair. Seam for issue 11: when bidradar.matching.explain.render_explanation exists
    (the explanation rendered from per-rule codes at read time), it is used; until then the stored explanation_ko."""
    try:
        render = importlib.import_module("bidradar.matching.explain").render_explanation
    except (ImportError, AttributeError):
        render = None
    if render is not None and "explanation_ko" not in frame.columns:
        return pl.Series("eligibility", [render(row) for row in frame.iter_rows(named=True)], dtype=pl.String)
    if "explanation_ko" in frame.columns:
        return frame["explanation_ko"].fill_null("참가 자격 충족").alias("eligibility")
    return pl.Series("eligibility", ["참가 자격 충족"] * frame.height, dtype=pl.String)


def read_candidates(engine: Engine) -> pl.DataFrame:
    """The current ranked matches with what an alert shows (and, where they exist, the AI summary and the
    recommended bid)."""
    hard_columns = _columns(engine, "hard_matches")
    explanation = ", h.explanation_ko" if "explanation_ko" in hard_columns else ""
    verdict_codes = ", ".join(f"h.{c}" for c in sorted(hard_columns) if c.endswith(("_verdict", "_code", "_codes")))
    query = f"""
        SELECT s.company_id, s.notice_no, s.rank, h.verdict, n.title,
               COALESCE(n.demand_agency_name, n.notice_agency_name) AS agency, n.estimated_price, n.bid_close_at
               {explanation}{", " + verdict_codes if verdict_codes else ""}
        FROM soft_matches s
        JOIN hard_matches h ON h.company_id = s.company_id AND h.notice_no = s.notice_no
        JOIN bid_notices n ON n.notice_no = s.notice_no
        ORDER BY s.company_id, s.rank"""
    frame = warehouse.read_frame(engine, query, schema=select.CANDIDATE_SCHEMA)
    if frame.is_empty():
        return pl.DataFrame(schema={**select.CANDIDATE_SCHEMA, **select.OPTIONAL_CANDIDATE})
    frame = frame.with_columns(_eligibility_lines(frame))
    if {"summary_ko", "label_ko", "company_id", "notice_no"} <= _columns(engine, "match_analyses"):
        analyses = warehouse.read_frame(
            engine, "SELECT company_id, notice_no, summary_ko AS ai_summary, label_ko AS ai_label FROM match_analyses"
        )
        if not analyses.is_empty():
            frame = frame.join(analyses.unique(["company_id", "notice_no"]), on=["company_id", "notice_no"], how="left")
    frame = frame.join(read_recommendations(engine), on=["company_id", "notice_no"], how="left")
    frame = select.with_optional(frame, select.OPTIONAL_CANDIDATE)
    return frame.select([*select.CANDIDATE_SCHEMA, *select.OPTIONAL_CANDIDATE])


def read_recommendations(engine: Engine) -> pl.DataFrame:
    """(company_id, notice_no, recommended_bid, win_chance, price_block) through the price advice's own reader
    (ml.pricing.advice): the Korean price block is rendered there, once, for every surface."""
    schema = {
        "company_id": pl.String,
        "notice_no": pl.String,
        "recommended_bid": pl.Int64,
        "win_chance": pl.Float64,
        "price_block": pl.String,
    }
    rows = [
        (a.company_id, a.notice_no, a.amount, a.chance, price_block_text(a) if a.status == PRICED else None)
        for a in read_price_advice(engine)
    ]
    return pl.DataFrame(rows, schema=schema, orient="row")


def read_shown(engine: Engine) -> pl.DataFrame:
    frame = warehouse.read_frame(
        engine, "SELECT company_id, notice_no, kind, item FROM alert_items ORDER BY created_at, alert_key, position"
    )
    return pl.DataFrame(schema=select.SHOWN_SCHEMA) if frame.is_empty() else frame


def read_outcomes(engine: Engine) -> pl.DataFrame:
    """One row per opened notice that some alert showed: winner, 사정률, bidders, and the floor where it is known.

    From bid_results (one opening per notice: the latest). The floor is 예정가격 × 낙찰하한율 (the A값 of a 공사 is not
    applied, so for those it is a little low)."""
    schema = {**select.OUTCOME_SCHEMA, "floor_amount": pl.Int64, "opening_status": pl.String}
    query = """
        SELECT r.notice_no, r.opened_at, r.winner_name, r.winning_amount, r.assessment_rate_pct, r.participant_count,
               r.opening_status, r.planned_price, r.lower_limit_rate, r.rebid_no, r.bid_class_no
        FROM bid_results r
        WHERE r.opened_at IS NOT NULL AND r.notice_no IN (SELECT notice_no FROM alert_items)"""
    frame = warehouse.read_frame(
        engine, query, schema={**select.OUTCOME_SCHEMA, "planned_price": pl.Int64, "lower_limit_rate": pl.Float64}
    )
    if frame.is_empty():
        return pl.DataFrame(schema={**schema, "bid_amounts": pl.List(pl.Int64)})
    frame = (
        frame.sort(["opened_at", "rebid_no", "bid_class_no"], descending=True)
        .unique("notice_no", keep="first")
        .with_columns(
            (pl.col("planned_price") * pl.col("lower_limit_rate") / 100).ceil().cast(pl.Int64).alias("floor_amount")
        )
        .select(list(schema))
    )
    bids = warehouse.read_frame(
        engine,
        "SELECT notice_no, bid_amount FROM bid_result_bidders WHERE bid_amount IS NOT NULL "
        "AND notice_no IN (SELECT notice_no FROM alert_items)",
        schema={"bid_amount": pl.Int64},
    )
    if bids.is_empty():
        return frame.with_columns(pl.lit(None, dtype=pl.List(pl.Int64)).alias("bid_amounts"))
    amounts = bids.group_by("notice_no").agg(pl.col("bid_amount").alias("bid_amounts"))
    return frame.join(amounts, on="notice_no", how="left")


def write_new(engine: Engine, due: select.Due, rows: pl.DataFrame, now: dt.datetime) -> tuple[int, int]:
    """Insert the alerts whose (key, transport) the outbox does not hold yet, and their items. Existing rows are
    never touched: what was due once stays as it was made, and its delivery state is the drainer's."""
    existing = warehouse.read_frame(engine, "SELECT alert_key, transport FROM alert_outbox")
    known_keys = set(existing["alert_key"].to_list()) if not existing.is_empty() else set()
    if not existing.is_empty():
        rows = rows.join(existing, on=["alert_key", "transport"], how="anti")
    items = due.items.filter(~pl.col("alert_key").is_in(list(known_keys)))
    items = items.filter(pl.col("alert_key").is_in(rows["alert_key"].unique().to_list()))
    rows = rows.with_columns(pl.lit(now).alias("created_at"))
    items = items.with_columns(pl.lit(now).alias("created_at"))
    if rows.is_empty():
        return 0, 0
    warehouse.write(
        engine,
        [
            warehouse.TableWrite("alert_outbox", rows, ["alert_key", "transport"], replace="rows"),
            warehouse.TableWrite("alert_items", items, ["alert_key", "notice_no"], replace="rows"),
        ],
    )
    return rows.height, items.height
