"""Past openings straight from the simulator's generator, in the shape the warehouse query gives the price model
(ml.pricing.features.RAW_OPENING_SCHEMA). Dev-only: the benchmark needs 200,000 openings without crawling them,
and the leakage test needs many agencies quickly. The warehouse path is tested through the assets."""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np
import polars as pl

from bidradar.ingestion.fields import CATEGORIES
from bidradar.ingestion.simulator import NoticeGenerator
from bidradar.ingestion.simulator.generator import Result
from ml.pricing import rules
from ml.pricing.features import RAW_OPENING_SCHEMA


def openings_and_positions(
    generator: NoticeGenerator, days: list[dt.date], list_share: float = 1.0
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The openings (as `raw_openings`) and the competitors' bid positions (ml.pricing.store.POSITIONS_SCHEMA,
    binned like the warehouse query) of the same days, each day's results drawn once."""
    rows: list[dict] = []
    frames: list[pl.DataFrame] = []
    for day in days:
        results = generator.results_of(day)
        rows += _opening_rows(generator, day, results, list_share)
        frames += _position_frames(results)
    return pl.DataFrame(rows, schema=RAW_OPENING_SCHEMA), _positions(frames)


def raw_openings(generator: NoticeGenerator, days: list[dt.date], list_share: float = 1.0) -> pl.DataFrame:
    """`list_share`: the share of openings whose bidder list was fetched (the rest: NULL list facts, as when the
    quota deferred them); G2B's participant count is there for every opening, as in the bulk lists."""
    rows = [row for day in days for row in _opening_rows(generator, day, generator.results_of(day), list_share)]
    return pl.DataFrame(rows, schema=RAW_OPENING_SCHEMA)


def _opening_rows(generator: NoticeGenerator, day: dt.date, results: list[Result], list_share: float) -> list[dict]:
    rows: list[dict] = []
    notices = {notice.no: notice for notice in generator.origin_notices(day)}
    for result in results:
        n = result.notice
        if result.plnprc is None or n.lwlt is None or result.amounts is None or not result.prices:
            continue  # 협상/외자: no 예정가격 or no 하한율 to learn from
        amounts = result.amounts
        floor = rules.floor_amount(result.plnprc, n.lwlt, n.a_value or 0.0)
        qualified = amounts[amounts >= floor]
        last = notices[n.no].versions[-1].values
        listed = (zlib.crc32(n.no.encode()) % 1000) / 1000 < list_share
        registered = result.rgst.replace(tzinfo=None)
        winner = result.winner
        award_at = (result.award_rgst or result.rgst).replace(tzinfo=None) if winner is not None else None
        rows.append(
            {
                "notice_no": n.no,
                "notice_order": result.ord,
                "bid_class_no": "1",
                "rebid_no": "000",
                "category": CATEGORIES[n.category],
                "opened_at": result.rl_openg.replace(tzinfo=None),
                "opening_status": result.status,
                "known_at": registered,
                "bid_close_at": n.close.replace(tzinfo=None),
                "demand_agency_code": n.dminstt.code,
                "notice_agency_code": n.ntce.code,
                "demand_agency_name": n.dminstt.name,
                "contract_method": last.get("cntrctCnclsMthdNm"),
                "construction_site_region": last.get("cnstrtsiteRgnNm"),
                "base_amount": n.bssamt,
                "planned_price": result.plnprc,
                "lower_limit_rate": n.lwlt,
                "estimated_price": n.presmpt,
                "reserve_range_low_pct": n.rate_lo,
                "reserve_range_high_pct": n.rate_hi,
                "a_value": n.a_value,
                "reserve_price_count": int(last.get("totPrdprcNum", 15)),
                "drawn_price_count": int(last.get("drwtPrdprcNum", 4)),
                "winning_amount": winner.amount if winner is not None else None,
                "award_known_at": award_at,
                # The morning crawl after the opening's registration fetches its list.
                "bidder_list_known_at": dt.datetime.combine(registered.date() + dt.timedelta(days=1), dt.time(7))
                if listed
                else None,
                "reserve_price_low": min(result.prices),
                "reserve_price_high": max(result.prices),
                "participant_count": int(amounts.size),
                "bidder_list_count": int(amounts.size) if listed else None,
                "near_floor_count": int(np.sum((amounts >= floor) & (amounts < floor * 1.005))) if listed else None,
                "lowest_valid_bid": int(qualified.min()) if listed and qualified.size else None,
            }
        )
    return rows


def _position_frames(results: list[Result]) -> list[pl.DataFrame]:
    frames = []
    for result in results:
        n = result.notice
        if result.amounts is None or n.lwlt is None or not n.bssamt:
            continue
        position = rules.bid_position(result.amounts, n.bssamt, n.lwlt, (n.a_value or 0.0) / n.bssamt)
        frames.append(
            pl.DataFrame(
                {
                    "category": CATEGORIES[n.category],
                    "range_pct": (n.rate_hi - n.rate_lo) / 2,
                    "known_date": result.rgst.date(),
                    "position_bin": np.round(position * 10).astype(np.int32),
                }
            )
        )
    return frames


def _positions(frames: list[pl.DataFrame]) -> pl.DataFrame:
    if not frames:
        return pl.DataFrame(
            schema={
                "category": pl.String,
                "range_pct": pl.Float64,
                "known_date": pl.Date,
                "position_bin": pl.Int32,
                "bids": pl.Int64,
            }
        )
    return (
        pl.concat(frames)
        .group_by("category", "range_pct", "known_date", "position_bin")
        .agg(pl.len().cast(pl.Int64).alias("bids"))
    )
