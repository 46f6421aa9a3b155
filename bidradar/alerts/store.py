"""Warehouse reads of the alert selection, and the insert-only write of new alerts.

The ranked pairs and the verdicts come from matching's readers (bidradar.matching.ranked, .verdicts, with the
Korean reasons), the notices and openings from ingestion's (bidradar.ingestion.readers), the analyses from the
analysis' reader; no other domain's table is named here.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy.engine import Engine

from bidradar.alerts import select
from bidradar.analysis import store as analysis_store
from bidradar.core import warehouse
from bidradar.ingestion import readers as ingestion_readers
from bidradar.matching import profiles as profile_files
from bidradar.matching import ranked as ranked_pairs
from bidradar.matching import verdicts
from bidradar.rules import floor
from ml.pricing.advice import price_block_text, read_price_advice


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


def read_candidates(engine: Engine) -> pl.DataFrame:
    """The current ranked matches with what an alert shows: the verdict with its Korean reasons (matching's), the
    AI summary (the analysis') and the recommended bid."""
    ranked = ranked_pairs.read_ranked(engine).select("company_id", "notice_no", "rank")
    if ranked.is_empty():
        return pl.DataFrame(schema={**select.CANDIDATE_SCHEMA, **select.OPTIONAL_CANDIDATE})
    notices = ingestion_readers.read_notices(engine, ranked["notice_no"].unique().sort().to_list()).select(
        "notice_no",
        "title",
        pl.coalesce("demand_agency_name", "notice_agency_name").alias("agency"),
        "estimated_price",
        "bid_close_at",
    )
    frame = ranked.join(notices, on="notice_no", how="inner").sort("company_id", "rank")
    judged = verdicts.verdicts_frame(verdicts.read_verdicts(engine)).select(
        "company_id", "notice_no", "verdict", pl.col("summary_ko").alias("eligibility")
    )
    # Every soft match is a pair of a stored verdict (matching ranks only eligible and unknown pairs).
    frame = frame.join(judged, on=["company_id", "notice_no"], how="inner")
    analyses = analysis_store.analyses_frame(analysis_store.read_analyses(engine))
    frame = frame.join(
        analyses.select(
            "company_id", "notice_no", pl.col("summary_ko").alias("ai_summary"), pl.col("label_ko").alias("ai_label")
        ),
        on=["company_id", "notice_no"],
        how="left",
    )
    frame = frame.join(read_recommendations(engine), on=["company_id", "notice_no"], how="left")
    frame = select.with_optional(frame, select.OPTIONAL_CANDIDATE)
    return frame.select([*select.CANDIDATE_SCHEMA, *select.OPTIONAL_CANDIDATE])


def read_recommendations(engine: Engine) -> pl.DataFrame:
    """(company_id, notice_no, recommended_bid, win_chance, price_block) through the price advice's own reader
    (ml.pricing.advice): the Korean price block is rendered there, once, for every surface. An advice without an
    amount still has its block (why not: 기초금액 공개 전, 복수예가 아님, A값 미상), so a Pro item never shows nothing."""
    schema = {
        "company_id": pl.String,
        "notice_no": pl.String,
        "recommended_bid": pl.Int64,
        "win_chance": pl.Float64,
        "price_block": pl.String,
    }
    rows = [
        (a.company_id, a.notice_no, a.amount, a.chance, price_block_text(a))
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

    From ingestion's reader (one opening per notice: the latest). The floor is `bidradar.rules.floor.floor_amount` with the
    notice's A값 (latest 기초금액 row); a 공사 whose A값 is unknown has an unknown floor, 물품·용역 have no A값."""
    schema = {**select.OUTCOME_SCHEMA, "floor_amount": pl.Int64, "opening_status": pl.String}
    shown = read_shown(engine)["notice_no"].unique().sort().to_list()
    frame = ingestion_readers.read_latest_openings(engine, shown)
    if frame.is_empty():
        return pl.DataFrame(schema={**schema, "bid_amounts": pl.List(pl.Int64)})
    frame = frame.with_columns(
        floor.floor_amount(pl.col("planned_price"), pl.col("lower_limit_rate"), pl.col("a_value"))
        .ceil()
        .cast(pl.Int64)
        .alias("floor_amount")
    ).select([pl.col(name).cast(dtype) for name, dtype in schema.items()])
    bids = ingestion_readers.read_bid_amounts(engine, frame["notice_no"].to_list())
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
