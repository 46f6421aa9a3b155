"""The readers of ingestion's tables for the other domains (matching, alerts, analysis, pricing, the API): they
name the columns of bid_notices, its limit rows, bid_results, bid_outcomes, notice_base_amounts, the 예비가격,
bid_result_bidders and the raw pages so no other module does (tests/test_table_seams.py fails when one does).

How a reader is written here (follow it for every addition, so the readers read as one):
- Every query is a Core expression built from `bidradar.core.schema`: no SQL text, no reflection. A renamed column
  fails at import or test time, not in a morning run. The one exception is a rule of `bidradar.rules` that has a
  SQL form (the A값 and the floor): it is used as that form, a `literal_column` over named table aliases, so the
  rule keeps its one home.
- A whole read is `read_<what>(source, ...) -> pl.DataFrame` through `warehouse.read_frame(..., schema=...)`, and
  its frame's columns and dtypes are a module constant `<WHAT>_SCHEMA` made with `schema.polars_schema(table,
  [columns])` plus any derived column typed here. The frame has those columns, in that order, even when empty, and
  the same dtypes on both backends. Reads of several frames return a NamedTuple of them. (One notice's detail for
  the API's JSON may be plain dicts: notice_limits, notice_openings.)
- SQL the caller must compose further (filter, page, count, join, delete against) is a selectable:
  `<what>_select(...) -> sa.Select` whose labelled columns are the contract (its docstring names them). The caller
  uses `sel.selected_columns.<name>` (or `.subquery().c.<name>`) and never the table.
- A condition others need to apply the same way (what "open" means) is a function returning a Core condition.
- `source` is an Engine or a Connection (the API reads inside its snapshot). Lists of notice numbers are read 500
  at a time (`_chunked`), bounded IN lists on both backends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bidradar.core import schema, warehouse
from bidradar.ingestion.crawl import BIDDERS_OP
from bidradar.rules.a_value import a_value_for_floor_sql, a_value_rule_sql
from bidradar.rules.floor import floor_sql

_N, _R, _B, _D = schema.bid_notices, schema.bid_results, schema.notice_base_amounts, schema.bid_result_bidders
_L, _G, _F = schema.notice_license_limits, schema.notice_region_limits, schema.notice_detail_fetches
_CHUNK = 500  # bounded IN lists on both backends

NOTICE_SCHEMA: dict[str, pl.DataType] = schema.polars_schema(_N)
"""Every column of bid_notices (one row per notice, its latest revision)."""

OPENING_SCHEMA: dict[str, pl.DataType] = {**schema.polars_schema(_R), "a_value": pl.Int64}
"""Every column of bid_results plus a_value: the A of the floor by bidradar.rules.a_value (0 where the rule does
not apply, NULL where it applies or may apply and A is not published)."""

BID_AMOUNT_SCHEMA: dict[str, pl.DataType] = {"notice_no": pl.String, "bid_amount": pl.Int64}


def _chunked(
    source: Engine | Connection, query: sa.Select, key: sa.ColumnElement, notice_nos: Sequence[str] | None, types: dict
) -> pl.DataFrame:
    """The query's rows (of just these notices when given), as a frame of `types`."""
    chunks = [None] if notice_nos is None else [notice_nos[i : i + _CHUNK] for i in range(0, len(notice_nos), _CHUNK)]
    frames = [
        warehouse.read_frame(source, query if chunk is None else query.where(key.in_(list(chunk))), schema=types)
        for chunk in chunks
    ]
    frames = [f.select(list(types)) for f in frames if not f.is_empty()]
    return pl.concat(frames) if frames else pl.DataFrame(schema=types)


def read_notices(source: Engine | Connection, notice_nos: Sequence[str]) -> pl.DataFrame:
    """These notices (NOTICE_SCHEMA), ordered by notice_no; a number ingestion never saw has no row."""
    return _chunked(source, sa.select(_N).order_by(_N.c.notice_no), _N.c.notice_no, notice_nos, NOTICE_SCHEMA)


def read_latest_openings(source: Engine | Connection, notice_nos: Sequence[str]) -> pl.DataFrame:
    """The latest opening (by opened_at, then 재입찰 and 분류 번호) of each of these notices that has been opened
    (OPENING_SCHEMA, one row per notice), with the A of its floor by bidradar.rules.a_value (the notice's flag, else
    its category, 300억 and 2019-08-01; NULL where the rule applies or may apply and A is not published)."""
    r, n, b = _R.alias("r"), _N.alias("n"), _latest_base_rows().alias("b")
    a_rule = a_value_rule_sql(
        "r.category", "b.a_value_applies", "n.estimated_price", "COALESCE(n.notice_at, n.registered_at, r.opened_at)"
    )
    query = (
        sa.select(r, sa.literal_column(a_value_for_floor_sql(a_rule, "b.a_value")).label("a_value"))
        .select_from(
            r.outerjoin(b, sa.and_(b.c.notice_no == r.c.notice_no, b.c.rn == 1)).outerjoin(
                n, n.c.notice_no == r.c.notice_no
            )
        )
        .where(r.c.opened_at.is_not(None))
    )
    frame = _chunked(source, query, r.c.notice_no, notice_nos, OPENING_SCHEMA)
    return (
        frame.sort(["opened_at", "rebid_no", "bid_class_no"], descending=True)
        .unique("notice_no", keep="first", maintain_order=True)
        .sort("notice_no")
    )


def _latest_base_rows() -> sa.CTE:
    """Each notice's 기초금액 rows numbered from the latest 차수 (rn = 1): the row a floor of an opening reads."""
    return sa.select(
        _B.c.notice_no,
        _B.c.base_amount.label("notice_base_amount"),
        _B.c.reserve_range_low_pct,
        _B.c.reserve_range_high_pct,
        _B.c.a_value,
        _B.c.a_value_applies,
        sa.func.row_number().over(partition_by=_B.c.notice_no, order_by=_B.c.notice_order.desc()).label("rn"),
    ).cte("base")


def read_bid_amounts(source: Engine | Connection, notice_nos: Sequence[str]) -> pl.DataFrame:
    """Every known bid amount of every opening of these notices (BID_AMOUNT_SCHEMA, one row per bid)."""
    query = sa.select(_D.c.notice_no, _D.c.bid_amount).where(_D.c.bid_amount.is_not(None))
    return _chunked(source, query, _D.c.notice_no, notice_nos, BID_AMOUNT_SCHEMA)


# ---------------------------------------------------------------------------------------------------------------------
# Open notices with their limits (matching's input), the limits of some notices, and the notices' current revisions


def open_condition(as_of: dt.datetime) -> sa.ColumnElement[bool]:
    """A notice of bid_notices is open at `as_of` (naive KST): not cancelled, and closing after `as_of` or with no
    close time (then the deadline is unknown, which the rules say, not hide)."""
    return sa.and_(sa.not_(_N.c.is_cancelled), sa.or_(_N.c.bid_close_at.is_(None), _N.c.bid_close_at > as_of))


_OPEN_NOTICE_COLUMNS = [
    "notice_no",
    "notice_order",
    "revision_key",
    "category",
    "title",
    "classification_name",
    "classification_large",
    "classification_mid",
    "product_name",
    "notice_agency_name",
    "demand_agency_name",
    "attachment_names",
    "notice_agency_code",
    "demand_agency_code",
    "budget_amount",
    "estimated_price",
    "contract_method",
    "is_designated_competition",
    "is_product_class_limited",
    "is_manufacturer_required",
    "product_class_no",
    "product_list_raw",
    "is_joint_duty",
    "joint_duty_regions",
    "joint_duty_share_pct",
    "registered_at",
    "notice_at",
    "bid_close_at",
    "is_cancelled",
    "is_license_limited",
    "is_track_record_limited",
    "is_international",
    "region_limit_basis",
]
LIMITS_KNOWN_SCHEMA: dict[str, pl.DataType] = {"license_known": pl.Boolean, "region_known": pl.Boolean}
"""license_known / region_known: the notice's partition has a complete 면허제한 / 참가가능지역 fetch
(notice_detail_fetches). False or NULL: its limits are unknown, never "none"."""

OPEN_NOTICE_SCHEMA: dict[str, pl.DataType] = {
    **schema.polars_schema(_N, _OPEN_NOTICE_COLUMNS),
    "is_region_limited": pl.Boolean,  # the notice states a 지역제한 basis (rgnLmtBidLocplcJdgmBssNm)
    **LIMITS_KNOWN_SCHEMA,
}
"""An open notice as matching judges it: the notice columns the rules and the soft match read, plus
is_region_limited and whether its limit rows are known."""

LICENSE_LIMIT_SCHEMA: dict[str, pl.DataType] = schema.polars_schema(
    _L,
    [
        "notice_no",
        "notice_order",
        "group_no",
        "seq_no",
        "license_name",
        "license_code",
        "permitted_industries_raw",
        "main_fields_raw",
    ],
)
"""면허제한 rows of a notice's current 차수: rows of one group_no must all hold, any one group suffices."""

REGION_LIMIT_SCHEMA: dict[str, pl.DataType] = schema.polars_schema(
    _G, ["notice_no", "notice_order", "sido", "sigungu", "region_name"]
)
"""참가가능지역 rows of a notice's current 차수 (sigungu NULL: the whole 시도)."""

NOTICE_REVISION_SCHEMA: dict[str, pl.DataType] = {
    **schema.polars_schema(_N, ["notice_no", "revision_key"]),
    **LIMITS_KNOWN_SCHEMA,
}


class NoticesWithLimits(NamedTuple):
    notices: pl.DataFrame  # OPEN_NOTICE_SCHEMA
    licenses: pl.DataFrame  # LICENSE_LIMIT_SCHEMA
    regions: pl.DataFrame  # REGION_LIMIT_SCHEMA


def _limits_known() -> list[sa.ColumnElement]:
    return [_F.c.license_limits_complete.label("license_known"), _F.c.region_limits_complete.label("region_known")]


def _with_fetches(columns: list[sa.ColumnElement]) -> sa.Select:
    # A revision's license and region rows are fetched with the day it was registered, which is not always the day
    # that owns the row now (a change found through inqryDiv=3 moves it): "known" follows the registration day.
    return sa.select(*columns, *_limits_known()).select_from(
        _N.outerjoin(_F, _F.c.partition_date == sa.func.date(_N.c.registered_at))
    )


def _current_rows(table: sa.Table, types: dict) -> sa.Select:
    """The rows of `table` that belong to their notice's current 차수 (joined to bid_notices)."""
    return sa.select(*(table.c[c] for c in types)).join(
        _N, sa.and_(_N.c.notice_no == table.c.notice_no, _N.c.notice_order == table.c.notice_order)
    )


def _notices_with_limits(
    source: Engine | Connection, condition: sa.ColumnElement[bool], notice_nos: Sequence[str] | None
) -> NoticesWithLimits:
    region_limited = sa.case((sa.func.coalesce(_N.c.region_limit_basis, "") != "", True), else_=False)
    notices = _with_fetches([*(_N.c[c] for c in _OPEN_NOTICE_COLUMNS), region_limited.label("is_region_limited")])
    key = _N.c.notice_no
    return NoticesWithLimits(
        _chunked(source, notices.where(condition).order_by(key), key, notice_nos, OPEN_NOTICE_SCHEMA),
        _chunked(
            source, _current_rows(_L, LICENSE_LIMIT_SCHEMA).where(condition), key, notice_nos, LICENSE_LIMIT_SCHEMA
        ),
        _chunked(source, _current_rows(_G, REGION_LIMIT_SCHEMA).where(condition), key, notice_nos, REGION_LIMIT_SCHEMA),
    )


def read_open_notices(
    source: Engine | Connection, as_of: dt.datetime, notice_nos: Sequence[str] | None = None
) -> NoticesWithLimits:
    """The notices open at `as_of` (naive KST; open_condition) with the license and region rows of their current
    차수 (OPEN_NOTICE_SCHEMA, LICENSE_LIMIT_SCHEMA, REGION_LIMIT_SCHEMA); of just `notice_nos` when given."""
    return _notices_with_limits(source, open_condition(as_of), notice_nos)


def read_notices_with_limits(source: Engine | Connection, notice_nos: Sequence[str]) -> NoticesWithLimits:
    """These notices, open or not (closed, cancelled), in the same record as read_open_notices: a pair judged
    again on request, so a notice that closed says so instead of saying nothing."""
    return _notices_with_limits(source, sa.true(), notice_nos)


def read_notice_limits(source: Engine | Connection, notice_nos: Sequence[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(LICENSE_LIMIT_SCHEMA, REGION_LIMIT_SCHEMA) rows of just these notices' current 차수, open or not."""
    key = _N.c.notice_no
    return (
        _chunked(source, _current_rows(_L, LICENSE_LIMIT_SCHEMA), key, notice_nos, LICENSE_LIMIT_SCHEMA),
        _chunked(source, _current_rows(_G, REGION_LIMIT_SCHEMA), key, notice_nos, REGION_LIMIT_SCHEMA),
    )


def read_open_notice_revisions(source: Engine | Connection, as_of: dt.datetime) -> pl.DataFrame:
    """NOTICE_REVISION_SCHEMA of the notices open at `as_of`: what a notice's hard matches depend on besides the
    profiles (bidradar.matching.incremental)."""
    query = _with_fetches([_N.c.notice_no, _N.c.revision_key]).where(open_condition(as_of)).order_by(_N.c.notice_no)
    return _chunked(source, query, _N.c.notice_no, None, NOTICE_REVISION_SCHEMA)


def notice_revision(notice_order: str, revision_key: str | None) -> str:
    """The version of a notice that a derived row (an analysis) depends on: its 차수 and the last change time. The
    same text as current_revisions_select's notice_revision."""
    return f"{notice_order}|{revision_key or ''}"


def current_revisions_select() -> sa.Select:
    """(notice_no, notice_revision) of every notice's current revision (notice_revision() of its row), to compose:
    a derived row whose revision is not here is superseded."""
    revision = _N.c.notice_order + "|" + sa.func.coalesce(_N.c.revision_key, "")
    return sa.select(_N.c.notice_no, revision.label("notice_revision"))


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


# ---------------------------------------------------------------------------------------------------------------------
# Openings with their floor inputs, their bids and their bidder-list fetches (pricing's training set and positions)

OPENING_KEY = ("notice_no", "notice_order", "bid_class_no", "rebid_no")
_P, _W = schema.bid_result_reserve_prices, schema.g2b_raw_pages


def openings_with_floor_inputs_select() -> sa.Select:
    """One row per opening with a 예정가격 and a 기초금액 above 0 (from bid_outcomes: every part wherever it was
    registered), with what its floor is made of. Labelled columns: the OPENING_KEY, category, opened_at,
    opening_status, known_at (when the opening was registered, else its time), award_known_at, bid_close_at,
    demand_agency_code, notice_agency_code, demand_agency_name, contract_method, construction_site_region,
    base_amount (the opening's own, else the notice's latest 기초금액 row), planned_price, lower_limit_rate,
    estimated_price, reserve_range_low_pct / reserve_range_high_pct (the notice's 기초금액 row), reserve_price_low /
    reserve_price_high (the lowest and highest of the 15 예비가격), a_value and a_value_rule (bidradar.rules.a_value:
    NULL where the rule may apply or applies without a published A; never 0 for "not crawled"),
    reserve_price_count, drawn_price_count, winning_amount, participant_count (G2B's prtcptCnum), bidder_list_count
    (rows of a fetched bidder list; NULL: not fetched) and floor_amount (bidradar.rules.floor; NULL when unknown).

    The rules are their SQL form over the aliases r (the opening), n (its notice) and b (the notice's latest
    기초금액 row), so the rows are the rules' own."""
    base = _latest_base_rows()
    prices = (
        sa.select(
            *(_P.c[k] for k in OPENING_KEY),
            sa.func.min(_P.c.reserve_price).label("reserve_price_low"),
            sa.func.max(_P.c.reserve_price).label("reserve_price_high"),
            sa.func.count().label("prices"),
            sa.func.sum(sa.case((_P.c.is_drawn, 1), else_=0)).label("drawn"),
        )
        .group_by(*(_P.c[k] for k in OPENING_KEY))
        .cte("prices")
    )
    r, n, b, p = schema.bid_outcomes.alias("r"), _N.alias("n"), base.alias("b"), prices.alias("p")
    a_rule = a_value_rule_sql(
        "r.category",
        "b.a_value_applies",
        "n.estimated_price",
        "COALESCE(n.notice_at, n.registered_at, r.notice_registered_at, r.opened_at)",
    )
    a_value = a_value_for_floor_sql(a_rule, "b.a_value")
    base_amount = sa.func.coalesce(r.c.base_amount, b.c.notice_base_amount)
    return (
        sa.select(
            *(r.c[k] for k in OPENING_KEY),
            r.c.category,
            r.c.opened_at,
            r.c.opening_status,
            sa.func.coalesce(r.c.opening_registered_at, r.c.opened_at).label("known_at"),
            r.c.award_registered_at.label("award_known_at"),
            n.c.bid_close_at,
            r.c.demand_agency_code,
            sa.func.coalesce(r.c.notice_agency_code, n.c.notice_agency_code).label("notice_agency_code"),
            sa.func.coalesce(r.c.demand_agency_name, n.c.demand_agency_name).label("demand_agency_name"),
            n.c.contract_method,
            n.c.construction_site_region,
            base_amount.label("base_amount"),
            r.c.planned_price,
            sa.func.coalesce(r.c.lower_limit_rate, n.c.lower_limit_rate).label("lower_limit_rate"),
            n.c.estimated_price,
            b.c.reserve_range_low_pct,
            b.c.reserve_range_high_pct,
            p.c.reserve_price_low,
            p.c.reserve_price_high,
            sa.literal_column(a_value).label("a_value"),
            sa.literal_column(a_rule).label("a_value_rule"),
            sa.func.coalesce(n.c.reserve_price_count, p.c.prices).label("reserve_price_count"),
            sa.func.coalesce(n.c.drawn_price_count, p.c.drawn).label("drawn_price_count"),
            r.c.winning_amount,
            r.c.participant_count,
            r.c.bidder_count.label("bidder_list_count"),
            sa.literal_column(
                floor_sql("r.planned_price", "COALESCE(r.lower_limit_rate, n.lower_limit_rate)", a_value)
            ).label("floor_amount"),
        )
        .select_from(
            r.outerjoin(b, sa.and_(b.c.notice_no == r.c.notice_no, b.c.rn == 1))
            .outerjoin(n, n.c.notice_no == r.c.notice_no)
            .outerjoin(p, sa.and_(*(p.c[k] == r.c[k] for k in OPENING_KEY)))
        )
        .where(r.c.planned_price.is_not(None), base_amount > 0)
    )


def opening_bids_select() -> sa.Select:
    """Every bid of every fetched bidder list: the OPENING_KEY and bid_amount (NULL where G2B gave none)."""
    return sa.select(*(_D.c[k] for k in OPENING_KEY), _D.c.bid_amount)


def notices_with_floor_inputs_select(notice_nos: Sequence[str]) -> sa.Select:
    """These notices (at most _CHUNK numbers a call) with their current 차수's 기초금액 and what their floor is made
    of. Labelled columns: notice_no, notice_order, category, bid_close_at, demand_agency_code, notice_agency_code,
    demand_agency_name, contract_method, construction_site_region, base_amount, lower_limit_rate, estimated_price,
    reserve_range_low_pct, reserve_range_high_pct, a_value and a_value_rule (bidradar.rules.a_value, over the
    aliases n and b), reserve_price_count, drawn_price_count, price_decision_method, title. A number without a
    notice row has no row."""
    n, b = _N.alias("n"), _B.alias("b")
    a_rule = a_value_rule_sql(
        "n.category", "b.a_value_applies", "n.estimated_price", "COALESCE(n.notice_at, n.registered_at)"
    )
    return (
        sa.select(
            n.c.notice_no,
            n.c.notice_order,
            n.c.category,
            n.c.bid_close_at,
            n.c.demand_agency_code,
            n.c.notice_agency_code,
            n.c.demand_agency_name,
            n.c.contract_method,
            n.c.construction_site_region,
            b.c.base_amount,
            n.c.lower_limit_rate,
            n.c.estimated_price,
            b.c.reserve_range_low_pct,
            b.c.reserve_range_high_pct,
            sa.literal_column(a_value_for_floor_sql(a_rule, "b.a_value")).label("a_value"),
            sa.literal_column(a_rule).label("a_value_rule"),
            n.c.reserve_price_count,
            n.c.drawn_price_count,
            n.c.price_decision_method,
            n.c.title,
        )
        .select_from(n.outerjoin(b, sa.and_(b.c.notice_no == n.c.notice_no, b.c.notice_order == n.c.notice_order)))
        .where(n.c.notice_no.in_(list(notice_nos)))
    )


BIDDER_LIST_FETCH_SCHEMA: dict[str, pl.DataType] = {
    **dict.fromkeys(OPENING_KEY, pl.String),
    "first_fetched_at": pl.Datetime("us"),
}
"""When each opening's bidder list (getOpengResultListInfoOpengCompt) was first fetched, one row per opening."""


def read_bidder_list_fetches(source: Engine | Connection) -> pl.DataFrame:
    """BIDDER_LIST_FETCH_SCHEMA: the first fetch of each opening's bidder-list raw pages (a request key is the
    opening key, '-'-joined, @ a fingerprint of the opening; bidradar.ingestion.crawl)."""
    raw_types = {"request_key": pl.String, "fetched_at": pl.Datetime("us")}
    query = (
        sa.select(_W.c.request_key, sa.func.min(_W.c.fetched_at).label("fetched_at"))
        .where(_W.c.operation == BIDDERS_OP)
        .group_by(_W.c.request_key)
    )
    frame = warehouse.read_frame(source, query, schema=raw_types)
    if frame.is_empty():
        return pl.DataFrame(schema=BIDDER_LIST_FETCH_SCHEMA)
    parts = pl.col("request_key").str.split("@").list.first().str.splitn("-", 4)
    return (
        frame.with_columns(parts.alias("_k"))
        .select(
            *[pl.col("_k").struct.field(f"field_{i}").alias(c) for i, c in enumerate(OPENING_KEY)],
            pl.col("fetched_at").cast(pl.Datetime("us")).alias("first_fetched_at"),
        )
        .group_by(OPENING_KEY)
        .agg(pl.col("first_fetched_at").min())
        .select(pl.col(c).cast(t) for c, t in BIDDER_LIST_FETCH_SCHEMA.items())
    )


OPENING_COVERAGE_SCHEMA: dict[str, pl.DataType] = {
    "partition_date": pl.Date,
    "completed_openings": pl.Int64,
    "with_participant_count": pl.Int64,
    "with_bidder_list": pl.Int64,
}
"""Per result partition (opening_partition_date): its completed openings (개찰완료), those with G2B's participant
count, those with a fetched bidder list."""


def read_opening_coverage(source: Engine | Connection) -> pl.DataFrame:
    """OPENING_COVERAGE_SCHEMA, one row per partition in date order."""
    o = schema.bid_outcomes
    day = o.c.opening_partition_date
    query = (
        sa.select(
            day.label("partition_date"),
            sa.func.count().label("completed_openings"),
            sa.func.sum(sa.case((o.c.participant_count.is_not(None), 1), else_=0)).label("with_participant_count"),
            sa.func.sum(sa.case((o.c.bidder_count.is_not(None), 1), else_=0)).label("with_bidder_list"),
        )
        .where(o.c.opening_status == "개찰완료", day.is_not(None))
        .group_by(day)
        .order_by(day)
    )
    frame = warehouse.read_frame(source, query, schema=OPENING_COVERAGE_SCHEMA)
    if frame.is_empty():
        return pl.DataFrame(schema=OPENING_COVERAGE_SCHEMA)
    return frame.select(pl.col(c).cast(t) for c, t in OPENING_COVERAGE_SCHEMA.items())
