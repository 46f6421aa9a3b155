"""The dashboard at /: server-rendered pages in Korean (Jinja2, serving/api/templating.py) with a little vendored
JavaScript (static/app.js) for the search that refreshes as you type. The same queries as the API; the signed-in
company comes from the cookie of routes/session.py."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from serving.api import queries
from serving.api.deps import NOTICE_NO_PATTERN, company_from_cookie, kst_naive
from serving.api.templating import SORT_OPTIONS, page

router = APIRouter(include_in_schema=False)
MAX_AMOUNT = 10**15  # the API's bound (deps.notice_filters): beyond it a BIGINT comparison would fail
FILTER_FIELDS = (
    "q",
    "category",
    "agency",
    "region",
    "amount_min",
    "amount_max",
    "deadline_from",
    "deadline_to",
    "status",
    "sort",
)


def _parse_filters(params: dict[str, str]) -> tuple[queries.NoticeFilters, str, str | None, list[str]]:
    """The list page's query string, checked with the API's limits; errors become messages on the page."""
    errors: list[str] = []
    values: dict[str, Any] = {}
    for name in FILTER_FIELDS[:-1]:
        raw = (params.get(name) or "").strip()
        if raw:
            values[name] = raw
    if params.get("status") is None:
        values["status"] = "open"  # the dashboard opens on the notices one can still bid on
    if values.get("status") == "all":
        values.pop("status")
    for name in ("amount_min", "amount_max"):
        if name in values:
            try:
                values[name] = int(values[name].replace(",", ""))
                if not 0 <= values[name] <= MAX_AMOUNT:
                    raise ValueError
            except ValueError:
                errors.append(f"{name}: 0 이상 1,000조 원 이하의 숫자(원)로 입력하세요")
                values.pop(name)
    for name in ("deadline_from", "deadline_to"):
        if name in values:
            try:
                values[name] = kst_naive(dt.datetime.fromisoformat(values[name]))
            except ValueError:
                errors.append(f"{name}: YYYY-MM-DD 형식으로 입력하세요")
                values.pop(name)
    if values.get("category") not in (None, *queries.CATEGORY_KO):
        errors.append("category: 분야가 올바르지 않습니다")
        values.pop("category")
    if values.get("status") not in (None, *queries.STATUS_KO):
        errors.append("status: 상태가 올바르지 않습니다")
        values.pop("status")
    for name in ("q", "agency", "region"):
        if name in values and ("\x00" in values[name] or len(values[name]) > 100):
            errors.append(f"{name}: 100자 이내의 글자로 입력하세요")
            values.pop(name)
    filters = queries.NoticeFilters(**values)
    sort = params.get("sort") or "registered_desc"
    if sort not in dict(SORT_OPTIONS):
        errors.append("sort: 정렬 방식이 올바르지 않습니다")
        sort = "registered_desc"
    cursor = params.get("cursor") or None
    return filters, sort, cursor, errors


def notice_list(request: Request, partial: bool) -> Response:
    params = dict(request.query_params)
    filters, sort, cursor, errors = _parse_filters(params)
    warehouse = request.app.state.warehouse
    with warehouse.snapshot() as conn:
        company = company_from_cookie(request, conn)
        try:
            result = queries.list_notices(conn, filters, sort, 50, cursor, request.app.state.now(), warehouse)  # type: ignore[arg-type]
        except queries.CursorError:
            errors.append("cursor: 다음 페이지 정보가 올바르지 않습니다")
            result = queries.list_notices(conn, filters, sort, 50, None, request.app.state.now(), warehouse)  # type: ignore[arg-type]
        # A signed-in company reads why it may or may not bid on each notice of the page.
        verdicts = queries.page_verdicts(conn, company, [r["notice_no"] for r in result["items"]]) if company else {}
    more_params = {k: v for k, v in params.items() if k != "cursor" and v}
    more_url = None
    if result["next_cursor"]:
        more_url = "/?" + urllib.parse.urlencode({**more_params, "cursor": result["next_cursor"]})
    context = {
        "company": company,
        "result": result,
        "verdicts": verdicts,
        "errors": errors,
        "params": params,
        "more_url": more_url,
        "first_url": "/?" + urllib.parse.urlencode(more_params) if cursor else None,
        "status_value": params.get("status", "open"),
        "sort": sort,
    }
    # A filter the page could not use is a 400 (the page still shows the list without it, and says why).
    return page(request, "_rows.html" if partial else "list.html", context, 400 if errors else 200)


@router.get("/", response_class=HTMLResponse)
def list_page(request: Request) -> Response:
    return notice_list(request, partial=False)


@router.get("/partials/notices", response_class=HTMLResponse)
def list_rows(request: Request) -> Response:
    return notice_list(request, partial=True)


@router.get("/notices/{notice_no}", response_class=HTMLResponse)
def detail_page(request: Request, notice_no: str) -> Response:
    warehouse = request.app.state.warehouse
    with warehouse.snapshot() as conn:
        company = company_from_cookie(request, conn)
        detail = None
        if re.fullmatch(NOTICE_NO_PATTERN, notice_no):
            detail = queries.notice_detail(conn, warehouse, notice_no, request.app.state.now())
        if detail is None:
            return page(request, "not_found.html", {"company": company, "notice_no": notice_no}, 404)
        view = queries.company_notice(conn, warehouse, company, notice_no) if company else None
    return page(request, "detail.html", {"company": company, "d": detail, "n": detail["notice"], "view": view})


def _parse_match_filters(params: dict[str, str]) -> tuple[queries.MatchFilters, list[str]]:
    """The board's and the match list's query string; errors become messages on the page."""
    errors: list[str] = []
    values: dict[str, Any] = {}
    for name, allowed in (
        ("verdict", queries.SHOWN_VERDICTS),
        ("stage", queries.STAGES),
        ("category", tuple(queries.CATEGORY_KO)),
    ):
        raw = (params.get(name) or "").strip()
        if raw and raw not in allowed:
            errors.append(f"{name}: {MATCH_FILTER_KO[name]} 값이 올바르지 않습니다")
        elif raw:
            values[name] = raw
    for name in ("deadline_from", "deadline_to"):
        raw = (params.get(name) or "").strip()
        if raw:
            try:
                values[name] = kst_naive(dt.datetime.fromisoformat(raw))
            except ValueError:
                errors.append(f"{name}: YYYY-MM-DD 형식으로 입력하세요")
    return queries.MatchFilters(**values), errors


MATCH_FILTER_KO = {"verdict": "자격 판정", "stage": "단계", "category": "분야"}


@router.get("/board", response_class=HTMLResponse)
def board_page(request: Request) -> Response:
    filters, errors = _parse_match_filters(dict(request.query_params))
    filters = queries.MatchFilters(**{**filters.__dict__, "stage": None})  # the stage is the board's column
    warehouse = request.app.state.warehouse
    with warehouse.snapshot() as conn:
        company = company_from_cookie(request, conn)
        if company is None:
            return RedirectResponse("/signin?next=/board", status_code=303)
        board = queries.board(conn, company, request.app.state.now(), 30, filters)
    context = {"company": company, "board": board, "filters": filters, "errors": errors}
    return page(request, "board.html", context, 400 if errors else 200)


@router.get("/matches", response_class=HTMLResponse)
def matches_page(request: Request) -> Response:
    params = dict(request.query_params)
    filters, errors = _parse_match_filters(params)
    cursor = params.get("cursor") or None
    warehouse = request.app.state.warehouse
    with warehouse.snapshot() as conn:
        company = company_from_cookie(request, conn)
        if company is None:
            return RedirectResponse("/signin?next=/matches", status_code=303)
        now = request.app.state.now()
        try:
            result = queries.company_matches(conn, company, now, filters, 50, cursor)
        except queries.CursorError:
            errors.append("cursor: 다음 페이지 정보가 올바르지 않습니다")
            result = queries.company_matches(conn, company, now, filters, 50, None)
    more_url = None
    if result["next_cursor"]:
        more_url = "/matches?" + urllib.parse.urlencode({**filters.params(), "cursor": result["next_cursor"]})
    context = {
        "company": company,
        "result": result,
        "filters": filters,
        "errors": errors,
        "more_url": more_url,
        "first_url": "/matches?" + urllib.parse.urlencode(filters.params()) if cursor else None,
    }
    return page(request, "matches.html", context, 400 if errors else 200)
