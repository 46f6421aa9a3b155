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
