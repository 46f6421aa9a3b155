"""Signing in and out of the dashboard: the company's token in exchange for a session (serving/api/sessions.py).
Both forms carry a CSRF token; sign-in attempts have their own, stricter rate limit (main.py)."""

from __future__ import annotations

import urllib.parse

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from serving.api import queries, sessions
from serving.api.deps import company_for_token, remember_session
from serving.api.middleware import problem
from serving.api.templating import page

router = APIRouter(include_in_schema=False)
FORM_FIELDS = 5  # csrf, next, token: more is not our form
OLD_TOKEN_COOKIE = "bidradar_token"  # the raw token, as cookies held it before sessions (issue 26): cleared


def _safe_next(request: Request, value: str | None = None) -> str:
    """Only a local path: never redirect to another site after signing in."""
    target = value if value is not None else request.query_params.get("next", "/board")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/board"
    return target


async def _form(request: Request) -> dict[str, str] | Response:
    """The urlencoded form of a POST, one value per field; a problem answer (400) when it is not one."""
    body = await request.body()
    try:
        fields = urllib.parse.parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=FORM_FIELDS
        )
    except (UnicodeDecodeError, ValueError):
        return problem(400, f"not a form of this site: at most {FORM_FIELDS} fields, UTF-8, urlencoded")
    form: dict[str, str] = {}
    for name, value in fields:
        if name in form:
            return problem(400, f"form field {name} given twice")
        form[name] = value
    return form


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request) -> Response:
    return page(request, "signin.html", {"company": None, "error": None, "next": _safe_next(request)})


@router.post("/signin", response_class=HTMLResponse)
async def signin(request: Request) -> Response:
    form = await _form(request)
    if isinstance(form, Response):
        return form
    next_url = _safe_next(request, form.get("next") or "/board")
    if not sessions.csrf_matches(request.cookies.get(sessions.CSRF_COOKIE), form.get(sessions.CSRF_FIELD)):
        context = {"company": None, "error": "로그인 화면이 만료되었습니다. 다시 시도하세요.", "next": next_url}
        return page(request, "signin.html", context, 403)
    token = (form.get("token") or "").strip()
    warehouse = request.app.state.warehouse
    settings = request.app.state.settings
    old_session = request.cookies.get(sessions.SESSION_COOKIE)

    def check_and_open() -> tuple[queries.Company | None, str | None]:
        with warehouse.snapshot() as conn:
            company = company_for_token(request, conn, token)
        if company is None:
            return None, None
        now = request.app.state.now()
        return company, sessions.open_session(
            warehouse, company.company_id, now, settings.api_session_hours, old_session
        )

    company, session_id = await run_in_threadpool(check_and_open)
    if company is None or session_id is None:
        context = {"company": None, "error": "토큰이 올바르지 않습니다.", "next": next_url}
        return page(request, "signin.html", context, 401)
    if old_session:
        remember_session(request, old_session, None)
    remember_session(request, session_id, company.company_id)
    response = RedirectResponse(next_url, status_code=303)
    sessions.set_cookie(
        request, response, sessions.SESSION_COOKIE, session_id, settings.api_session_hours * 3600, "lax"
    )
    response.delete_cookie(OLD_TOKEN_COOKIE, path="/")
    return response


@router.post("/signout")
async def signout(request: Request) -> Response:
    form = await _form(request)
    if isinstance(form, Response):
        return form
    if not sessions.csrf_matches(request.cookies.get(sessions.CSRF_COOKIE), form.get(sessions.CSRF_FIELD)):
        return problem(403, "the sign-out form's CSRF token is missing or wrong: reload the page and sign out again")
    session_id = request.cookies.get(sessions.SESSION_COOKIE)
    await run_in_threadpool(sessions.close_session, request.app.state.warehouse, session_id)
    if session_id:
        remember_session(request, session_id, None)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(sessions.SESSION_COOKIE, path="/")
    response.delete_cookie(OLD_TOKEN_COOKIE, path="/")
    return response
