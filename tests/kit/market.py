"""Past openings straight from the simulator's generator, in the shape the warehouse query gives the price model
(ml.pricing.features.RAW_OPENING_SCHEMA). Dev-only: the benchmark needs 200,000 openings without crawling them,
and the leakage test needs many agencies quickly. The warehouse path is tested through the assets."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from bidradar.ingestion.fields import CATEGORIES
from bidradar.ingestion.simulator import NoticeGenerator
from ml.pricing import rules
from ml.pricing.features import RAW_OPENING_SCHEMA


def raw_openings(generator: NoticeGenerator, days: list[dt.date]) -> pl.DataFrame:
    rows: list[dict] = []
    for day in days:
        for result in generator._results_of(day):
            n = result.notice
            if result.plnprc is None or n.lwlt is None or result.amounts is None:
                continue  # 협상/외자 and failed openings: no 예정가격 or no 하한율 to learn from
            amounts = result.amounts
            floor = rules.floor_amount(result.plnprc, n.lwlt, n.a_value or 0.0)
            qualified = amounts[amounts >= floor]
            last = n.versions[-1].values
            rows.append(
                {
                    "notice_no": n.no,
                    "notice_order": result.ord,
                    "bid_class_no": "1",
                    "rebid_no": "000",
                    "category": CATEGORIES[n.category],
                    "opened_at": result.rl_openg.replace(tzinfo=None),
                    "known_at": result.rgst.replace(tzinfo=None),
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
                    "winning_amount": int(qualified.min()) if result.status == "개찰완료" and qualified.size else None,
                    "bidder_count": int(amounts.size),
                    "near_floor_count": int(np.sum((amounts >= floor) & (amounts < floor * 1.005))),
                }
            )
    return pl.DataFrame(rows, schema=RAW_OPENING_SCHEMA)


def bid_positions(generator: NoticeGenerator, days: list[dt.date]) -> pl.DataFrame:
    """Competitor bid positions (ml.pricing.store.POSITIONS_SCHEMA), binned like the warehouse query."""
    frames = []
    for day in days:
        for result in generator._results_of(day):
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
