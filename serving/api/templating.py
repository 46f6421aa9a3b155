"""The dashboard's Jinja2 templates (serving/api/templates/), with the filters and globals every page uses, and the
one way a page is answered."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from bidradar.core.clock import KST
from bidradar.core.formatting import won_text
from serving.api import queries, sessions

HERE = Path(__file__).resolve().parent
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
    """A time as the pages show it, in KST: the warehouse's naive times are KST already; a time with a zone (a
    clock's, a run's in UTC) is converted."""
    if value is None:
        return "-"
    if value.tzinfo is not None:
        value = value.astimezone(KST)
    return value.strftime("%Y-%m-%d %H:%M")


def _day(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _query(filters: queries.MatchFilters, **changes: Any) -> str:
    """A link's query string: the filters with `changes` (None drops a filter)."""
    return urllib.parse.urlencode(filters.params(**changes))


def _pct(value: float | None) -> str:
    return f"{value:.3f}%" if value is not None else "-"


templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters.update(won=won_text, when=_when, day=_day, pct=_pct)
templates.env.globals.update(
    CATEGORY_KO=queries.CATEGORY_KO,
    STATUS_KO=queries.STATUS_KO,
    CATEGORY_OPTIONS=CATEGORY_OPTIONS,
    STATUS_OPTIONS=STATUS_OPTIONS,
    SORT_OPTIONS=SORT_OPTIONS,
    SIDO=SIDO,
    STAGE_KO=queries.STAGE_KO,
    VERDICT_KO=queries.VERDICT_KO,
    SHOWN_VERDICTS=queries.SHOWN_VERDICTS,
    query=_query,
)


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """A page; its forms get `csrf_token` (sessions.py), the browser's or a new one set as a cookie."""
    token = request.cookies.get(sessions.CSRF_COOKIE)
    fresh = not sessions.well_formed(token)
    if fresh:
        token = sessions.new_csrf_token()
    response = templates.TemplateResponse(request, name, {**context, "csrf_token": token}, status_code=status_code)
    response.headers["Cache-Control"] = "private, no-cache"
    if fresh:
        sessions.set_cookie(request, response, sessions.CSRF_COOKIE, token, sessions.CSRF_MAX_AGE, "lax")  # type: ignore[arg-type]
    return response
