"""The readers of ingestion's tables for the other domains (alerts, analysis, the API): they name the columns of
bid_notices, bid_results, notice_base_amounts and bid_result_bidders so no other module does.

Every query is built from `bidradar.core.schema`, so a renamed column fails at import or test time, not in a
morning run. Frames carry the schema's dtypes on both backends.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bidradar.core import schema, warehouse

_N, _R, _B, _D = schema.bid_notices, schema.bid_results, schema.notice_base_amounts, schema.bid_result_bidders
_CHUNK = 500  # bounded IN lists on both backends

NOTICE_SCHEMA: dict[str, pl.DataType] = schema.polars_schema(_N)
"""Every column of bid_notices (one row per notice, its latest revision)."""

OPENING_SCHEMA: dict[str, pl.DataType] = {**schema.polars_schema(_R), "a_value": pl.Int64}
"""Every column of bid_results plus a_value: the A값 of the notice's latest 기초금액 row for 공사 (NULL when unknown),
0 for 물품·용역 (no A값)."""

BID_AMOUNT_SCHEMA: dict[str, pl.DataType] = {"notice_no": pl.String, "bid_amount": pl.Int64}


def _chunked(
    source: Engine | Connection, query: sa.Select, key: sa.ColumnElement, notice_nos: Sequence[str], types: dict
) -> pl.DataFrame:
    frames = [
        warehouse.read_frame(source, query.where(key.in_(list(notice_nos[i : i + _CHUNK]))), schema=types)
        for i in range(0, len(notice_nos), _CHUNK)
    ]
    return pl.concat([f.select(list(types)) for f in frames]) if frames else pl.DataFrame(schema=types)


def read_notices(source: Engine | Connection, notice_nos: Sequence[str]) -> pl.DataFrame:
    """These notices (NOTICE_SCHEMA), ordered by notice_no; a number ingestion never saw has no row."""
    return _chunked(source, sa.select(_N).order_by(_N.c.notice_no), _N.c.notice_no, notice_nos, NOTICE_SCHEMA)


def read_latest_openings(source: Engine | Connection, notice_nos: Sequence[str]) -> pl.DataFrame:
    """The latest opening (by opened_at, then 재입찰 and 분류 번호) of each of these notices that has been opened
    (OPENING_SCHEMA, one row per notice)."""
    a_value = (
        sa.select(_B.c.a_value)
        .where(_B.c.notice_no == _R.c.notice_no)
        .order_by(_B.c.notice_order.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = sa.select(_R, sa.case((_R.c.category == "construction", a_value), else_=0).label("a_value")).where(
        _R.c.opened_at.is_not(None)
    )
    frame = _chunked(source, query, _R.c.notice_no, notice_nos, OPENING_SCHEMA)
    return (
        frame.sort(["opened_at", "rebid_no", "bid_class_no"], descending=True)
        .unique("notice_no", keep="first", maintain_order=True)
        .sort("notice_no")
    )


def read_bid_amounts(source: Engine | Connection, notice_nos: Sequence[str]) -> pl.DataFrame:
    """Every known bid amount of every opening of these notices (BID_AMOUNT_SCHEMA, one row per bid)."""
    query = sa.select(_D.c.notice_no, _D.c.bid_amount).where(_D.c.bid_amount.is_not(None))
    return _chunked(source, query, _D.c.notice_no, notice_nos, BID_AMOUNT_SCHEMA)


# ---------------------------------------------------------------------------------------------------------------------
# Selectables for readers that page, filter and join in SQL (the API's list, board and detail pages)
#
# A page of 50 out of a million notices is a keyset range of an index, so the API cannot read frames: it builds its
# queries on these. Ingestion owns them; each names what its rows mean, and a renamed column fails at import (Core
# from schema.py). They are the tables themselves (not subqueries), so the expression indexes of migration 0011
# serve the API's sort keys on both backends.

notices = _N
"""One row per notice, its latest revision (차수): `bid_close_at` is G2B's bidClseDt, `opening_at` its opengDt, both
naive KST; `registered_at` its rgstDt."""

notice_region_limits = schema.notice_region_limits
"""참가가능지역 of each notice and 차수 (no rows: 전국, or not fetched: see notice_detail_fetches)."""

openings = _R
"""One row per opening (notice, 차수, 분류, 재입찰) that G2B reported, by opening or by award: a notice with a row here
has been opened. Some openings belong to notices registered before the crawl window (no row in `notices`)."""


def notice_limits(source: Engine | Connection, notice_no: str, registered_on: object) -> dict[str, object]:
    """Every 차수's 기초금액, license and region limits of one notice, and whether its registration day's limits were
    fetched at all (False: unknown, not 'none'). Plain dicts, ordered by 차수."""
    lic, reg, fetches = schema.notice_license_limits, schema.notice_region_limits, schema.notice_detail_fetches

    def rows(query: sa.Select) -> list[dict]:
        return [dict(r._mapping) for r in _connection_rows(source, query)]

    fetched = rows(
        sa.select(fetches.c.license_limits_complete, fetches.c.region_limits_complete).where(
            fetches.c.partition_date == registered_on
        )
    )
    return {
        "base_amounts": rows(sa.select(_B).where(_B.c.notice_no == notice_no).order_by(_B.c.notice_order)),
        "license_limits": rows(
            sa.select(lic)
            .where(lic.c.notice_no == notice_no)
            .order_by(lic.c.notice_order, lic.c.group_no, lic.c.seq_no)
        ),
        "region_limits": rows(
            sa.select(reg).where(reg.c.notice_no == notice_no).order_by(reg.c.notice_order, reg.c.seq_no)
        ),
        "license_limits_known": bool(fetched and fetched[0]["license_limits_complete"]),
        "region_limits_known": bool(fetched and fetched[0]["region_limits_complete"]),
    }


_O = schema.bid_outcomes


def notice_openings(source: Engine | Connection, notice_no: str) -> list[dict]:
    """Every opening of one notice (차수, 분류, 재입찰 order) with what is known of it, and every bidder where the bidder
    list was crawled: `bidders` is None while it was not (G2B's participant_count may still be known; a list G2B gave
    empty is not told apart from one not crawled: no rows either way). The winner is the bidder whose
    사업자등록번호 the award names (`is_winner`); names repeat, numbers do not."""
    keys = ("notice_order", "bid_class_no", "rebid_no")
    found = [
        dict(r._mapping)
        for r in _connection_rows(
            source,
            sa.select(
                *[_O.c[k] for k in ("notice_no", *keys)],
                _O.c.opened_at,
                _O.c.opening_status,
                _O.c.participant_count,
                _O.c.bidder_count,
                _O.c.base_amount,
                _O.c.planned_price,
                _O.c.assessment_rate_pct,
                _O.c.lower_limit_rate,
                _O.c.winner_name,
                _O.c.winner_business_no,
                _O.c.winning_amount,
                _O.c.winning_rate_pct,
                _O.c.winner_rank,
            )
            .where(_O.c.notice_no == notice_no)
            .order_by(*[_O.c[k] for k in keys]),
        )
    ]
    bidders = [
        dict(r._mapping)
        for r in _connection_rows(
            source,
            sa.select(*[_D.c[k] for k in keys], _D.c.business_no, _D.c.rank, _D.c.company_name)
            .add_columns(_D.c.bid_amount, _D.c.bid_rate_pct)
            .where(_D.c.notice_no == notice_no)
            .order_by(*[_D.c[k] for k in keys], sa.func.coalesce(_D.c.rank, 2**31 - 1), _D.c.business_no),
        )
    ]
    for opening in found:
        mine = [b for b in bidders if all(b[k] == opening[k] for k in keys)]
        winner_no = opening["winner_business_no"]
        opening["bidders"] = (
            [
                {
                    "rank": b["rank"],
                    "business_no": b["business_no"],
                    "company_name": b["company_name"],
                    "bid_amount": b["bid_amount"],
                    "bid_rate_pct": b["bid_rate_pct"],
                    "is_winner": winner_no is not None and b["business_no"] == winner_no,
                }
                for b in mine
            ]
            if mine
            else None  # G2B's bidder list (OpengCompt) not crawled yet, whatever participant_count says
        )
        opening["awarded"] = winner_no is not None or opening["winner_name"] is not None
    return found


def _connection_rows(source: Engine | Connection, query: sa.Select) -> list[sa.Row]:
    if isinstance(source, Connection):
        return list(source.execute(query))
    with source.connect() as conn:
        return list(conn.execute(query))
