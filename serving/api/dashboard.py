"""The dashboard at /: server-rendered pages in Korean (Jinja2) with a little vendored JavaScript (static/app.js)
for the search that refreshes as you type. The same queries as the API; the company's token is kept in an
HttpOnly, SameSite cookie after signing in."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from bidradar.core.formatting import won_text
from serving.api import queries

HERE = Path(__file__).resolve().parent
COOKIE_MAX_AGE = 30 * 24 * 3600
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
CATEGORY_OPTIONS = [("", "전체 분야"), *queries.CATEGORY_KO.items()]
STATUS_OPTIONS = [
    ("open", "진행 중"),
    ("closed", "마감(개찰 대기)"),
    ("opened", "개찰 완료"),
    ("cancelled", "취소"),
    ("all", "전체 상태"),
]
SORT_OPTIONS = [("registered_desc", "최신 등록순"), ("close_asc", "마감 임박순"), ("price_desc", "추정가격 높은순")]
SIDO = [
    "서울특별시",
    "부산광역시",
    "대구광역시",
    "인천광역시",
    "광주광역시",
    "대전광역시",
    "울산광역시",
    "세종특별자치시",
    "경기도",
    "강원특별자치도",
    "충청북도",
    "충청남도",
    "전북특별자치도",
    "전라남도",
    "경상북도",
    "경상남도",
    "제주특별자치도",
]


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _pct(value: float | None) -> str:
    return f"{value:.3f}%" if value is not None else "-"


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
            except ValueError:
                errors.append(f"{name}: 숫자(원)로 입력하세요")
                values.pop(name)
    for name in ("deadline_from", "deadline_to"):
        if name in values:
            try:
                values[name] = dt.datetime.fromisoformat(values[name])
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


def add_routes(app: FastAPI) -> None:
    from serving.api.app import TOKEN_COOKIE, company_for_token

    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters.update(won=won_text, when=_when, pct=_pct)
    templates.env.globals.update(
        CATEGORY_KO=queries.CATEGORY_KO,
        STATUS_KO=queries.STATUS_KO,
        CATEGORY_OPTIONS=CATEGORY_OPTIONS,
        STATUS_OPTIONS=STATUS_OPTIONS,
        SORT_OPTIONS=SORT_OPTIONS,
        SIDO=SIDO,
    )

    def company_of(request: Request, conn) -> queries.Company | None:  # type: ignore[no-untyped-def]
        return company_for_token(request, conn, request.cookies.get(TOKEN_COOKIE))

    def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
        response = templates.TemplateResponse(request, name, context, status_code=status_code)
        response.headers["Cache-Control"] = "private, no-cache"
        return response

    def notice_list(request: Request, partial: bool) -> Response:
        params = dict(request.query_params)
        filters, sort, cursor, errors = _parse_filters(params)
        warehouse = request.app.state.warehouse
        with warehouse.snapshot() as conn:
            company = company_of(request, conn)
            try:
                result = queries.list_notices(conn, filters, sort, 50, cursor, request.app.state.now(), warehouse)  # type: ignore[arg-type]
            except queries.CursorError:
                errors.append("cursor: 다음 페이지 정보가 올바르지 않습니다")
                result = queries.list_notices(conn, filters, sort, 50, None, request.app.state.now(), warehouse)  # type: ignore[arg-type]
            # A signed-in company reads why it may or may not bid on each notice of the page.
            verdicts = (
                queries.page_verdicts(conn, company, [r["notice_no"] for r in result["items"]]) if company else {}
            )
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
            "status_value": params.get("status", "open"),
            "sort": sort,
        }
        return page(request, "_rows.html" if partial else "list.html", context)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def list_page(request: Request) -> Response:
        return notice_list(request, partial=False)

    @app.get("/partials/notices", response_class=HTMLResponse, include_in_schema=False)
    def list_rows(request: Request) -> Response:
        return notice_list(request, partial=True)

    @app.get("/notices/{notice_no}", response_class=HTMLResponse, include_in_schema=False)
    def detail_page(request: Request, notice_no: str) -> Response:
        import re

        from serving.api.app import NOTICE_NO_PATTERN

        warehouse = request.app.state.warehouse
        with warehouse.snapshot() as conn:
            company = company_of(request, conn)
            detail = None
            if re.fullmatch(NOTICE_NO_PATTERN, notice_no):
                detail = queries.notice_detail(conn, warehouse, notice_no, request.app.state.now())
            if detail is None:
                return page(request, "not_found.html", {"company": company, "notice_no": notice_no}, 404)
            view = queries.company_notice(conn, warehouse, company, notice_no) if company else None
        return page(request, "detail.html", {"company": company, "d": detail, "n": detail["notice"], "view": view})

    @app.get("/board", response_class=HTMLResponse, include_in_schema=False)
    def board_page(request: Request) -> Response:
        warehouse = request.app.state.warehouse
        with warehouse.snapshot() as conn:
            company = company_of(request, conn)
            if company is None:
                return RedirectResponse("/signin?next=/board", status_code=303)
            board = queries.board(conn, warehouse, company, request.app.state.now(), 30)
        return page(request, "board.html", {"company": company, "board": board})

    @app.get("/signin", response_class=HTMLResponse, include_in_schema=False)
    def signin_page(request: Request) -> Response:
        return page(request, "signin.html", {"company": None, "error": None, "next": _safe_next(request)})

    @app.post("/signin", response_class=HTMLResponse, include_in_schema=False)
    async def signin(request: Request) -> Response:
        body = (await request.body()).decode("utf-8", errors="replace")
        form = urllib.parse.parse_qs(body, max_num_fields=5)
        token = (form.get("token") or [""])[0].strip()
        next_url = _safe_next(request, (form.get("next") or ["/board"])[0])
        warehouse = request.app.state.warehouse

        def check() -> queries.Company | None:
            with warehouse.snapshot() as conn:
                return company_for_token(request, conn, token)

        from starlette.concurrency import run_in_threadpool

        company = await run_in_threadpool(check)
        if company is None:
            context = {"company": None, "error": "토큰이 올바르지 않습니다.", "next": next_url}
            return page(request, "signin.html", context, 401)
        response = RedirectResponse(next_url, status_code=303)
        response.set_cookie(
            TOKEN_COOKIE,
            token,
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.api_cookie_secure,
            path="/",
        )
        return response

    @app.post("/signout", include_in_schema=False)
    def signout() -> Response:
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(TOKEN_COOKIE, path="/")
        return response


def _safe_next(request: Request, value: str | None = None) -> str:
    """Only a local path: never redirect to another site after signing in."""
    target = value if value is not None else request.query_params.get("next", "/board")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/board"
    return target
