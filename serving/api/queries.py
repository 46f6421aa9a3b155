"""The API's reads: each function takes a connection inside a snapshot (db.Warehouse.snapshot) and returns
plain dicts. Filters and cursors are bound parameters of Core expressions, never SQL text."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidradar.analysis import store as analysis_store
from bidradar.core.schema import Timestamp
from bidradar.ingestion import readers
from bidradar.matching import explain, verdicts
from bidradar.matching import ranked as ranked_pairs
from bidradar.matching import store as matching_store
from ml.pricing.advice import advice_view, read_price_advice
from serving.api import db, search

n = db.bid_notices
Sort = Literal["registered_desc", "close_asc", "price_desc"]
Status = Literal["open", "closed", "opened", "cancelled"]
Category = Literal["goods", "services", "construction", "foreign"]
CATEGORY_KO = {"goods": "물품", "services": "용역", "construction": "공사", "foreign": "외자"}
STATUS_KO = {"open": "진행 중", "closed": "마감(개찰 대기)", "opened": "개찰 완료", "cancelled": "취소"}
NO_CLOSE = dt.datetime(9999, 12, 31)


class CursorError(ValueError):
    """The cursor was not made by this API for this sort order."""


# ---------------------------------------------------------------------------------------------------------------------
# The notice list


def _sort_key(dialect: str, sort: Sort) -> tuple[sa.ColumnElement[Any], bool]:
    """(key expression, descending) of a sort order: the very expressions migration 0011 indexed."""
    if sort == "close_asc":
        never = "TIMESTAMP '9999-12-31 00:00:00'" if dialect == "postgresql" else "'9999-12-31 00:00:00'"
        return sa.func.coalesce(n.c.bid_close_at, sa.literal_column(never), type_=Timestamp), False
    if sort == "price_desc":
        return sa.func.coalesce(n.c.estimated_price, sa.literal_column("-1"), type_=sa.BigInteger), True
    return n.c.registered_at, True


def encode_cursor(sort: Sort, key: Any, notice_no: str) -> str:
    value = key.isoformat(sep=" ") if isinstance(key, dt.datetime) else key
    raw = json.dumps([sort, value, notice_no], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: Sort) -> tuple[Any, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        made_for, value, notice_no = json.loads(raw)
        if made_for != sort or not isinstance(notice_no, str):
            raise ValueError
        if sort == "price_desc":
            # The key is coalesce(estimated_price, -1), a BIGINT: a value beyond it is no cursor of ours.
            if not isinstance(value, int) or isinstance(value, bool) or not -1 <= value < 2**63:
                raise ValueError
            return value, notice_no
        return dt.datetime.fromisoformat(value), notice_no
    except (ValueError, TypeError, json.JSONDecodeError) as error:
        raise CursorError("not a cursor of this list and sort order (use next_cursor of the previous page)") from error


def _results_exist() -> sa.ColumnElement[bool]:
    return sa.exists().where(db.bid_results.c.notice_no == n.c.notice_no)


def status_condition(status: Status, now: dt.datetime | sa.BindParameter, dialect: str) -> sa.ColumnElement[bool]:
    """The statuses as notice_status gives them, so they part the notices: cancelled first, then opened (a result
    exists), then closed or open by the close time."""
    live = sa.not_(n.c.is_cancelled)
    if status == "open":
        # "closes after now, or has no close time" as a range of the close_asc sort key, which is indexed.
        return sa.and_(live, _sort_key(dialect, "close_asc")[0] > now, sa.not_(_results_exist()))
    if status == "closed":
        return sa.and_(live, n.c.bid_close_at.is_not(None), n.c.bid_close_at <= now, sa.not_(_results_exist()))
    if status == "opened":
        return sa.and_(live, _results_exist())
    return n.c.is_cancelled


@dataclass(frozen=True)
class NoticeFilters:
    q: str | None = None
    category: Category | None = None
    agency: str | None = None
    region: str | None = None
    amount_min: int | None = None
    amount_max: int | None = None
    deadline_from: dt.datetime | None = None
    deadline_to: dt.datetime | None = None
    status: Status | None = None


# The list's statements are built once per shape (which filters are given, the sort, a cursor or not, how the text
# search is answered) with bound parameters, and kept: building a Core statement and its cache key costs ~0.5 ms of
# CPU a request, more than PostgreSQL takes to answer it. A shape: (the filters given, the status, whether the text
# search has candidates, how many words each row's text is checked for).
Shape = tuple[tuple[str, ...], Status | None, bool, int]
SHAPED = ("category", "agency", "region", "amount_min", "amount_max", "deadline_from", "deadline_to")


def _shape(filters: NoticeFilters, found: search.Plan | None) -> Shape:
    given = tuple(
        name
        for name in SHAPED
        if (getattr(filters, name) if name in ("category", "agency", "region") else getattr(filters, name) is not None)
    )
    words = len(found.checked_words) if found is not None else 0
    return given, filters.status, found is not None and found.candidates is not None, words


def _conditions(dialect: str, shape: Shape) -> list[sa.ColumnElement[bool]]:
    """The filters' conditions with bound parameters (their values: _parameters); the text search's come from its
    plan (search.plan)."""
    given, status, candidates, words = shape
    where: list[sa.ColumnElement[bool]] = []
    if candidates:
        where.append(search.among_candidates(dialect))
    where += search.text_conditions(words)
    if "category" in given:
        where.append(n.c.category == sa.bindparam("category", type_=sa.Text))
    if "agency" in given:
        agency = sa.bindparam("agency", type_=sa.Text)
        where.append(
            sa.or_(n.c.notice_agency_name.like(agency, escape="/"), n.c.demand_agency_name.like(agency, escape="/"))
        )
    if "region" in given:
        r = db.notice_region_limits
        where.append(
            sa.exists().where(
                r.c.notice_no == n.c.notice_no,
                r.c.notice_order == n.c.notice_order,
                sa.or_(
                    r.c.sido == sa.bindparam("region", type_=sa.Text),
                    r.c.region_name.like(sa.bindparam("region_prefix", type_=sa.Text), escape="/"),
                ),
            )
        )
    if "amount_min" in given:
        where.append(n.c.estimated_price >= sa.bindparam("amount_min", type_=sa.BigInteger))
    if "amount_max" in given:
        where.append(n.c.estimated_price <= sa.bindparam("amount_max", type_=sa.BigInteger))
    if "deadline_from" in given:
        where.append(n.c.bid_close_at >= sa.bindparam("deadline_from", type_=Timestamp))
    if "deadline_to" in given:
        where.append(n.c.bid_close_at < sa.bindparam("deadline_end", type_=Timestamp))
    if status:
        where.append(status_condition(status, sa.bindparam("now", type_=Timestamp), dialect))
    return where


def _parameters(filters: NoticeFilters, now: dt.datetime, found: search.Plan | None) -> dict[str, Any]:
    """The values of _conditions' bound parameters."""
    params: dict[str, Any] = {"now": now}
    if found is not None:
        params |= search.parameters(found)
    if filters.category:
        params["category"] = filters.category
    if filters.agency:
        params["agency"] = "%" + search.like_escaped(filters.agency) + "%"
    if filters.region:
        params["region"] = filters.region
        params["region_prefix"] = search.like_escaped(filters.region) + "%"
    for name in ("amount_min", "amount_max", "deadline_from"):
        if getattr(filters, name) is not None:
            params[name] = getattr(filters, name)
    if filters.deadline_to is not None:
        params["deadline_end"] = _day_end(filters.deadline_to)  # a date alone: that whole day
    return params


def _after(key: sa.ColumnElement[Any], descending: bool) -> sa.ColumnElement[bool]:
    """Past the cursor's row in the sort order (its key and notice_no: after_key, after_no)."""
    bound = sa.tuple_(sa.bindparam("after_key", type_=key.type), sa.bindparam("after_no", type_=sa.Text))
    return sa.tuple_(key, n.c.notice_no) < bound if descending else sa.tuple_(key, n.c.notice_no) > bound


def _order(key: sa.ColumnElement[Any], descending: bool) -> list[sa.ColumnElement[Any]]:
    return [key.desc(), n.c.notice_no.desc()] if descending else [key.asc(), n.c.notice_no.asc()]


LIST_COLUMNS = (
    n.c.notice_no,
    n.c.notice_order,
    n.c.category,
    n.c.title,
    n.c.notice_agency_name,
    n.c.demand_agency_name,
    n.c.estimated_price,
    n.c.registered_at,
    n.c.bid_close_at,
    n.c.opening_at,
    n.c.is_cancelled,
)


def notice_status(row: dict[str, Any], opened: bool, now: dt.datetime) -> Status:
    if row["is_cancelled"]:
        return "cancelled"
    if opened:
        return "opened"
    close = row["bid_close_at"]
    return "closed" if close is not None and close <= now else "open"


@functools.lru_cache(maxsize=1024)
def notice_list_query(dialect: str, shape: Shape, sort: Sort, after: bool) -> sa.Select:
    """One page of the list (`limit` + 1 rows, to know whether there is a next page), for the filters of `shape`
    (_shape); `after`: from a cursor on. Its parameters: _parameters, after_key and after_no, limit."""
    key, descending = _sort_key(dialect, sort)
    where = _conditions(dialect, shape)
    if after:
        where.append(_after(key, descending))
    order = _order(key, descending)
    given, _, candidates, words = shape
    if (
        dialect == "postgresql"
        and sort == "price_desc"
        and set(given) <= PRICE_INDEX_COVERS
        and not (candidates or words)
    ):
        # The page's notice numbers first, by an index-only scan of the price index (migration 0032 includes
        # these filters' columns), then their rows: the walk past closed notices reads no table rows.
        page = sa.select(n.c.notice_no).where(*where).order_by(*order).limit(sa.bindparam("limit")).correlate(None)
        where = [n.c.notice_no.in_(page.scalar_subquery())]
    columns = [*LIST_COLUMNS, _results_exist().label("opened"), key.label("sort_key")]
    return sa.select(*columns).where(*where).order_by(*order).limit(sa.bindparam("limit"))


# The filters whose columns migration 0032's price index includes (the status's too: is_cancelled, bid_close_at).
PRICE_INDEX_COVERS = {"category", "amount_min", "amount_max", "deadline_from", "deadline_to"}


def _dicts(result: sa.CursorResult) -> list[dict[str, Any]]:
    # Plain str keys: SQLAlchemy's column names are a str subclass whose missing attributes cost a Python call each
    # when pydantic_core's JSON writer probes them (routes/notices.py).
    keys = list(map(str, result.keys()))
    return [dict(zip(keys, row, strict=True)) for row in result]


SCAN_BATCH = 2_000
SCAN_BATCHES = 10


def list_notices(
    conn: Connection,
    filters: NoticeFilters,
    sort: Sort,
    limit: int,
    cursor: str | None,
    now: dt.datetime,
    warehouse: db.Warehouse | None = None,
) -> dict[str, Any]:
    cache = warehouse.search_probes if warehouse is not None else None
    found = search.plan(conn, filters.q, cache) if filters.q else None
    after = decode_cursor(cursor, sort) if cursor else None
    shape = _shape(filters, found)
    params = _parameters(filters, now, found)
    if found is not None and found.candidates is None:
        rows, next_key = _scan_for_words(conn, shape, params, sort, limit, after)
    else:
        query = notice_list_query(conn.dialect.name, shape, sort, after is not None)
        if after is not None:
            params |= {"after_key": after[0], "after_no": after[1]}
        rows = _dicts(conn.execute(query, params | {"limit": limit + 1}))
        next_key = (rows[limit - 1]["sort_key"], rows[limit - 1]["notice_no"]) if len(rows) > limit else None
        rows = rows[:limit]
    items = []
    for row in rows:
        row.pop("sort_key")
        row["status"] = notice_status(row, row.pop("opened"), now)
        items.append(row)
    next_cursor = encode_cursor(sort, *next_key) if next_key else None
    return {"items": items, "next_cursor": next_cursor, "limit": limit, "sort": sort}


@functools.lru_cache(maxsize=1024)
def _scan_batch_query(dialect: str, shape: Shape, sort: Sort, after: bool) -> sa.Select:
    """One batch of the walk (_scan_for_words): the next `batch` rows of the sort order that pass the filters,
    numbered; of them the rows whose text holds the words, and the batch's last row, up to `need` + 1, with
    whether each was opened."""
    key, descending = _sort_key(dialect, sort)
    given, status, _, words = shape
    where = _conditions(dialect, (given, status, False, 0))
    if after:
        where.append(_after(key, descending))
    order = _order(key, descending)
    batch = (
        sa.select(
            *LIST_COLUMNS,
            n.c.classification_name,
            key.label("sort_key"),
            sa.func.row_number().over(order_by=order).label("position"),
        )
        .where(*where)
        .order_by(*order)
        .limit(sa.bindparam("batch"))
        .subquery()
    )
    holds = sa.and_(*search.text_conditions(words, batch))
    wanted = [c for c in batch.c if c.name not in ("classification_name", "position")]
    last = batch.c.position == sa.bindparam("batch", type_=sa.Integer)
    # In the batch's own order (the sort key's, which the database knows the batch comes in), not by `position`
    # (which it would sort the whole batch by): the walk stops at the `need`-th row found, before the batch's end.
    in_order = (lambda c: c.desc()) if descending else (lambda c: c.asc())
    picked = (
        sa.select(*wanted, batch.c.position, holds.label("holds"))
        .where(sa.or_(holds, last))
        .order_by(in_order(batch.c.sort_key), in_order(batch.c.notice_no))
        .limit(sa.bindparam("need"))
        .subquery()
    )
    opened = sa.exists().where(db.bid_results.c.notice_no == picked.c.notice_no).label("opened")
    return sa.select(picked, opened).order_by(in_order(picked.c.sort_key), in_order(picked.c.notice_no))


def _scan_for_words(
    conn: Connection,
    shape: Shape,
    params: dict[str, Any],
    sort: Sort,
    limit: int,
    after: tuple[Any, str] | None,
) -> tuple[list[dict[str, Any]], tuple[Any, str] | None]:
    """Words in thousands of notices: walk the sort order in batches (each an index range of the sort key) and
    keep the rows whose text holds every word; a page of 50 is found within a few batches. After SCAN_BATCHES
    batches the page ends early, with a cursor to go on from.

    One statement per batch: the batch's rows are numbered in the walk's order, and the rows that hold the words,
    with the batch's last row (where the next batch starts), come back in that order up to what the page still
    needs. Whether a notice was opened is looked up only for those few rows, not for the whole batch."""
    found: list[dict[str, Any]] = []
    for _ in range(SCAN_BATCHES):
        need = limit + 1 - len(found)
        query = _scan_batch_query(conn.dialect.name, shape, sort, after is not None)
        bound = params | {"batch": SCAN_BATCH, "need": need + 1}
        if after is not None:
            bound |= {"after_key": after[0], "after_no": after[1]}
        rows = _dicts(conn.execute(query, bound))
        edge = next((r for r in rows if r["position"] == SCAN_BATCH), None)
        for row in rows:
            del row["position"]
        found += [r for r in rows if r.pop("holds")][:need]
        if len(found) > limit:
            last = found[limit - 1]
            return found[:limit], (last["sort_key"], last["notice_no"])
        if edge is None:  # the batch was not full: the end of the list
            return found, None
        after = (edge["sort_key"], edge["notice_no"])
    return found, after


# ---------------------------------------------------------------------------------------------------------------------
# One notice


def _rows(conn: Connection, query: sa.Select) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(query)]


_ONE_NOTICE = sa.select(n).where(n.c.notice_no == sa.bindparam("notice_no", type_=sa.String))  # built once


def notice_detail(conn: Connection, warehouse: db.Warehouse, notice_no: str, now: dt.datetime) -> dict[str, Any] | None:
    notice = conn.execute(_ONE_NOTICE, {"notice_no": notice_no}).mappings().first()
    if notice is None:
        return None
    notice = dict(notice)
    order = notice["notice_order"]
    limits = readers.notice_limits(conn, notice_no, notice["registered_at"].date())
    amounts = limits["base_amounts"]
    results = readers.notice_openings(conn, notice_no)
    current_amount = next((a for a in reversed(amounts) if a["notice_order"] == order), None)
    return {
        "notice": notice,
        "status": notice_status(notice, bool(results), now),
        "g2b_url": notice["detail_url"],
        "attachments": [p.strip() for p in (notice["attachment_names"] or "").split(" | ") if p.strip()],
        "base_amount": current_amount,
        "license_limits": [x for x in limits["license_limits"] if x["notice_order"] == order],
        "license_limits_known": limits["license_limits_known"],
        "region_limits": [x for x in limits["region_limits"] if x["notice_order"] == order],
        "region_limits_known": limits["region_limits_known"],
        "revisions": _revisions(notice, amounts),
        "results": results,
    }


def _revisions(notice: dict, amounts: list[dict]) -> list[dict[str, Any]]:
    """The 차수 history: every order seen in the warehouse (the notice's own and its 기초금액 rows'). The warehouse
    keeps the latest 차수 of a notice only, so an earlier one shows its 기초금액; the registration date is the
    notice's, shown once on the page (a 기초금액 row's own date is when the amount was published, not the notice)."""
    orders = sorted({a["notice_order"] for a in amounts} | {notice["notice_order"]})
    history = []
    for order in orders:
        current = order == notice["notice_order"]
        history.append(
            {
                "notice_order": order,
                "is_current": current,
                "notice_kind": notice["notice_kind"] if current else None,
                "changed_at": notice["changed_at"] if current else None,
                "change_reason": notice["change_reason"] if current else None,
                "base_amount": next((a["base_amount"] for a in amounts if a["notice_order"] == order), None),
            }
        )
    return history


# ---------------------------------------------------------------------------------------------------------------------
# A company's view


@dataclass(frozen=True)
class Company:
    company_id: str
    name: str
    plan: str

    @property
    def is_pro(self) -> bool:
        return self.plan == "pro"


def companies_by_token_hash(conn: Connection) -> dict[str, Company]:
    """{"sha256:<hex>": company} of every valid profile that has a token hash."""
    return {
        profile.api_token_hash: Company(company_id, profile.name or company_id, profile.plan)
        for company_id, profile in matching_store.read_valid_profiles(conn)
        if profile.api_token_hash
    }


RULE_KO = explain.RULE_KO
VERDICT_KO = explain.VERDICT_KO


def eligibility(verdict: verdicts.HardVerdict, as_of: dt.datetime | None = None) -> dict[str, Any]:
    """The verdict as the API shows it: the Korean verdict and its reasons, and each rule's judgement."""
    return {
        "verdict": verdict.verdict,
        "verdict_ko": verdict.verdict_ko,
        "summary_ko": verdict.summary_ko,
        "explanation_ko": verdict.explanation_ko,
        "rules": [
            {
                "rule": r.rule,
                "rule_ko": r.rule_ko,
                "verdict": r.verdict,
                "verdict_ko": r.verdict_ko,
                "code": r.code,
                "reason_ko": r.text_ko,
            }
            for r in verdict.reasons
        ],
        "as_of": as_of,
    }


def page_verdicts(conn: Connection, company: Company, notice_nos: list[str]) -> dict[str, dict[str, Any]]:
    """{notice_no: eligibility} of a page of notices for a signed-in company (ineligible ones say why too)."""
    return {no: eligibility(v) for no, v in verdicts.verdicts_for(conn, company.company_id, notice_nos).items()}


def company_notice(conn: Connection, warehouse: db.Warehouse, company: Company, notice_no: str) -> dict[str, Any]:
    """What bidradar computed for this company about this notice: eligibility, relevance, and for Pro the
    recommendation and the analysis."""
    s = ranked_pairs.ranked_select(company.company_id)
    soft = conn.execute(sa.select(s).where(s.c.notice_no == notice_no))
    soft = soft.mappings().first()
    verdict = verdicts.verdict_for(conn, company.company_id, notice_no)
    judged = eligibility(verdict, soft["as_of"] if soft is not None else None) if verdict is not None else None
    relevance = None
    if soft is not None:
        relevance = {
            "rank": soft["rank"],
            "score": soft["score"],
            "scorer": soft["scorer"],
            "matched_terms": [t for t in (soft["matched_terms"] or "").split(",") if t.strip()],
        }
    analysis = recommendation = None
    if company.is_pro:
        found = analysis_store.read_analyses(conn, company.company_id, [notice_no])
        analysis = found[0].as_dict() if found else None
        recommendation = _recommendation(conn, warehouse, company, notice_no)
    return {
        "company_id": company.company_id,
        "company_name": company.name,
        "plan": company.plan,
        "eligibility": judged,
        "relevance": relevance,
        "analysis": analysis,
        "recommendation": recommendation,
        "plan_note": None if company.is_pro else PRO_NOTE,
    }


PRO_NOTE = "Pro 플랜은 공고별 AI 분석(요약·요건·위험·참가 판단)과 투찰가 추천(사정률 분포 기반)을 함께 보여 줍니다."


def _recommendation(conn: Connection, warehouse: db.Warehouse, company: Company, notice_no: str) -> dict | None:
    """The price advice (ml.pricing.advice: the typed record, its reader and its Korean block)."""
    found = read_price_advice(conn, company.company_id, [notice_no])
    return advice_view(found[0]) if found else None


# ---------------------------------------------------------------------------------------------------------------------
# Matches and the board

STAGES = ("new", "open", "closing", "closed", "opened")
# The same words as the notice list's status (STATUS_KO) where the concept is the same.
STAGE_KO = {
    "new": "신규(2일 이내 등록)",
    "open": STATUS_KO["open"],
    "closing": "마감 임박(3일 이내)",
    "closed": STATUS_KO["closed"],
    "opened": STATUS_KO["opened"],
}
SHOWN_VERDICTS = ("eligible", "conditional", "unknown")  # hard_matches keeps these; ineligible pairs are not listed
NEW_WITHIN = dt.timedelta(days=2)
CLOSING_WITHIN = dt.timedelta(days=3)
NEVER_RANKED = 2_000_000_000
MATCH_PAGE_CURSOR = "matches"


def _stage(now: dt.datetime) -> sa.ColumnElement[str]:
    return sa.case(
        (_results_exist(), "opened"),
        (sa.and_(n.c.bid_close_at.is_not(None), n.c.bid_close_at <= now), "closed"),
        (sa.and_(n.c.bid_close_at.is_not(None), n.c.bid_close_at <= now + CLOSING_WITHIN), "closing"),
        (n.c.registered_at >= now - NEW_WITHIN, "new"),
        else_="open",
    )


@dataclass(frozen=True)
class MatchFilters:
    """The board's and the match list's filters (None: all)."""

    verdict: str | None = None
    stage: str | None = None
    category: str | None = None
    deadline_from: dt.datetime | None = None
    deadline_to: dt.datetime | None = None

    def params(self, **changes: Any) -> dict[str, str]:
        """As a query string's parameters (the dashboard's links), with `changes` applied."""
        values = {**self.__dict__, **changes}
        out = {}
        for name, value in values.items():
            if value is None:
                continue
            out[name] = value.strftime("%Y-%m-%d") if isinstance(value, dt.datetime) else str(value)
        return out


def _matches_query(company: Company, now: dt.datetime, dialect: str) -> sa.Subquery:
    """The company's pairs worth showing (eligible, conditional or unknown; not cancelled) with their notice,
    relevance, stage and sort key; the verdicts' reasons are read through matching's reader afterwards
    (_match_items). Served by hard_matches_company_verdict and soft_matches_company_score."""
    h, s = verdicts.pairs_select(company.company_id), ranked_pairs.ranked_select(company.company_id)
    close_key = _sort_key(dialect, "close_asc")[0]
    return (
        sa.select(
            h.c.notice_no,
            n.c.title,
            n.c.category,
            n.c.notice_agency_name,
            n.c.demand_agency_name,
            n.c.estimated_price,
            n.c.registered_at,
            n.c.bid_close_at,
            n.c.opening_at,
            h.c.verdict,
            s.c.rank,
            s.c.score,
            _stage(now).label("stage"),
            # Unranked open pairs after the ranked ones, then the closed notices the company follows (matching keeps
            # a closed notice's pair, without relevance, until its result: docs/matching.md).
            sa.func.coalesce(
                s.c.rank, sa.case((_stage(now).in_(("closed", "opened")), NEVER_RANKED + 1), else_=NEVER_RANKED)
            ).label("rank_key"),
            close_key.label("close_key"),
        )
        .join(n, n.c.notice_no == h.c.notice_no)
        .outerjoin(s, sa.and_(s.c.company_id == h.c.company_id, s.c.notice_no == h.c.notice_no))
        .where(h.c.verdict.in_(SHOWN_VERDICTS), sa.not_(n.c.is_cancelled))
        .subquery("matches")
    )


def _match_conditions(query: sa.Subquery, filters: MatchFilters, with_stage: bool = True) -> list:
    where: list[sa.ColumnElement[bool]] = []
    if filters.verdict:
        where.append(query.c.verdict == filters.verdict)
    if filters.stage and with_stage:
        where.append(query.c.stage == filters.stage)
    if filters.category:
        where.append(query.c.category == filters.category)
    if filters.deadline_from is not None:
        where.append(query.c.bid_close_at >= filters.deadline_from)
    if filters.deadline_to is not None:
        # A date alone means the whole day (KST): up to the next midnight.
        where.append(query.c.bid_close_at < _day_end(filters.deadline_to))
    return where


def _day_end(value: dt.datetime) -> dt.datetime:
    """The exclusive end of "at or before `value`": a date alone (midnight) is its whole day; G2B's times are whole
    seconds (and SQLite compares them as text of seconds), so otherwise the next second."""
    step = dt.timedelta(days=1) if value.time() == dt.time(0, 0) else dt.timedelta(seconds=1)
    try:
        return value.replace(microsecond=0) + step
    except OverflowError:  # at or before the last second there is: everything
        return dt.datetime.max.replace(microsecond=0)


def _match_order(query: sa.Subquery) -> list:
    return [query.c.rank_key.asc(), query.c.close_key.asc(), query.c.notice_no.asc()]


def encode_match_cursor(rank_key: int, close_key: dt.datetime, notice_no: str) -> str:
    raw = json.dumps([MATCH_PAGE_CURSOR, rank_key, close_key.isoformat(sep=" "), notice_no], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_match_cursor(cursor: str) -> tuple[int, dt.datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        made_for, rank_key, close, notice_no = json.loads(raw)
        if made_for != MATCH_PAGE_CURSOR or not isinstance(rank_key, int) or isinstance(rank_key, bool):
            raise ValueError
        if not -(2**31) <= rank_key <= NEVER_RANKED + 1 or not isinstance(notice_no, str):
            raise ValueError
        return rank_key, dt.datetime.fromisoformat(close), notice_no
    except (ValueError, TypeError, AttributeError, json.JSONDecodeError) as error:
        raise CursorError("not a cursor of the match list (use next_cursor of the previous page)") from error


def _match_items(conn: Connection, company: Company, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    judged = {v.notice_no: v for v in verdicts.read_verdicts(conn, company.company_id, [r["notice_no"] for r in rows])}
    items = []
    for row in rows:
        verdict = judged[row["notice_no"]]
        row = {k: v for k, v in row.items() if k not in ("rank_key", "close_key")}
        items.append(
            {
                **row,
                "verdict_ko": verdict.verdict_ko,
                "summary_ko": verdict.summary_ko,
                "explanation_ko": verdict.explanation_ko,
                "stage_ko": STAGE_KO[row["stage"]],
            }
        )
    return items


def company_matches(
    conn: Connection,
    company: Company,
    now: dt.datetime,
    filters: MatchFilters,
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    """One page of the company's matches, most relevant first (rank, then close, then notice number), paged by
    keyset: the cursor is the last row's sort key, so a page costs the same at any depth. `total`: how many
    matches the filters select (every page together)."""
    query = _matches_query(company, now, conn.dialect.name)
    where = _match_conditions(query, filters)
    total = conn.execute(sa.select(sa.func.count()).select_from(query).where(*where)).scalar_one()
    if cursor:
        rank_key, close_key, notice_no = decode_match_cursor(cursor)
        bound = sa.tuple_(
            sa.literal(rank_key, type_=sa.Integer),
            sa.literal(close_key, type_=Timestamp),
            sa.literal(notice_no),
        )
        where.append(sa.tuple_(query.c.rank_key, query.c.close_key, query.c.notice_no) > bound)
    rows = _rows(conn, sa.select(query).where(*where).order_by(*_match_order(query)).limit(limit + 1))
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_match_cursor(last["rank_key"], last["close_key"], last["notice_no"])
    return {
        "company_id": company.company_id,
        "company_name": company.name,
        "plan": company.plan,
        "total": total,
        "items": _match_items(conn, company, rows[:limit]),
        "next_cursor": next_cursor,
    }


def board(
    conn: Connection, company: Company, now: dt.datetime, per_stage: int, filters: MatchFilters | None = None
) -> dict[str, Any]:
    """The matches grouped by stage: each column's count and its first `per_stage` cards (most relevant first),
    and the count of each verdict; the rest of a column is the match list of its stage (company_matches)."""
    filters = filters or MatchFilters()
    query = _matches_query(company, now, conn.dialect.name)
    where = _match_conditions(query, filters, with_stage=False)
    ranked = (
        sa.select(
            query,
            sa.func.row_number().over(partition_by=query.c.stage, order_by=_match_order(query)).label("position"),
        )
        .where(*where)
        .subquery()
    )
    rows = _rows(
        conn, sa.select(ranked).where(ranked.c.position <= per_stage).order_by(ranked.c.stage, ranked.c.position)
    )
    counts = conn.execute(
        sa.select(query.c.stage, query.c.verdict, sa.func.count())
        .where(*where)
        .group_by(query.c.stage, query.c.verdict)
    ).all()
    by_stage = {stage: sum(c for s, _, c in counts if s == stage) for stage in STAGES}
    columns = {
        stage: {"stage": stage, "stage_ko": STAGE_KO[stage], "count": by_stage[stage], "items": []} for stage in STAGES
    }
    for row in _match_items(conn, company, rows):
        row.pop("position")
        columns[row["stage"]]["items"].append(row)
    return {
        "company_id": company.company_id,
        "company_name": company.name,
        "plan": company.plan,
        "as_of": now,
        "total": sum(by_stage.values()),
        "verdict_counts": [
            {
                "verdict": v,
                "verdict_ko": explain.VERDICT_KO[v],
                "count": sum(c for _, vv, c in counts if vv == v),
            }
            for v in SHOWN_VERDICTS
        ],
        "columns": [columns[s] for s in STAGES],
    }


# ---------------------------------------------------------------------------------------------------------------------
# Stats


def stats(conn: Connection, now: dt.datetime) -> dict[str, Any]:
    """The warehouse's counts, each defined in models.Stats. Every notice count is of bid_notices (one row per
    notice), so none exceeds `notices`; the four statuses part the notices, so `closed_notices` is what the other
    three leave (each of those is an index range: the open notices by close time, the cancelled ones by migration
    0028's partial index, the opened ones from the openings)."""
    dialect = conn.dialect.name
    open_now = status_condition("open", now, dialect)
    by_category = dict(
        tuple(row)
        for row in conn.execute(sa.select(n.c.category, sa.func.count()).where(open_now).group_by(n.c.category))
    )
    count = lambda *where: conn.execute(sa.select(sa.func.count()).select_from(n).where(*where)).scalar_one()  # noqa: E731
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time())
    r = db.bid_results
    notices, cancelled = count(), count(n.c.is_cancelled)
    opened = conn.execute(
        sa.select(sa.func.count(sa.distinct(r.c.notice_no)))
        .select_from(r.join(n, n.c.notice_no == r.c.notice_no))
        .where(sa.not_(n.c.is_cancelled))
    ).scalar_one()
    openings = conn.execute(sa.select(sa.func.count()).select_from(r)).scalar_one()
    known = sa.exists().where(n.c.notice_no == r.c.notice_no)
    openings_unknown = conn.execute(sa.select(sa.func.count()).select_from(r).where(~known)).scalar_one()
    latest = conn.execute(sa.select(sa.func.max(n.c.registered_at))).scalar_one()
    companies = matching_store.count_valid_profiles(conn)
    open_count = sum(by_category.values())
    return {
        "as_of": now,
        "notices": notices,
        "open_notices": open_count,
        "open_by_category": {c: by_category.get(c, 0) for c in CATEGORY_KO},
        "closing_today": count(open_now, n.c.bid_close_at < tomorrow),
        "closed_notices": notices - open_count - opened - cancelled,
        "notices_with_results": opened,
        "cancelled_notices": cancelled,
        "openings": openings,
        "openings_of_unknown_notices": openings_unknown,
        "latest_registered_at": latest,
        "companies": companies,
    }
