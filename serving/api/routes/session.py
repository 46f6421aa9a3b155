"""Signing in and out of the dashboard: the company's token in exchange for a cookie."""

from __future__ import annotations

import urllib.parse

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from serving.api import queries
from serving.api.deps import TOKEN_COOKIE, company_for_token
from serving.api.templating import page

router = APIRouter(include_in_schema=False)
COOKIE_MAX_AGE = 30 * 24 * 3600


def _safe_next(request: Request, value: str | None = None) -> str:
    """Only a local path: never redirect to another site after signing in."""
    target = value if value is not None else request.query_params.get("next", "/board")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/board"
    return target


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request) -> Response:
    return page(request, "signin.html", {"company": None, "error": None, "next": _safe_next(request)})


@router.post("/signin", response_class=HTMLResponse)
async def signin(request: Request) -> Response:
    body = (await request.body()).decode("utf-8", errors="replace")
    form = urllib.parse.parse_qs(body, max_num_fields=5)
    token = (form.get("token") or [""])[0].strip()
    next_url = _safe_next(request, (form.get("next") or ["/board"])[0])
    warehouse = request.app.state.warehouse

    def check() -> queries.Company | None:
        with warehouse.snapshot() as conn:
            return company_for_token(request, conn, token)

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


@router.post("/signout")
def signout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(TOKEN_COOKIE, path="/")
    return response
