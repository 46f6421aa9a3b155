"""What every route of the API and the dashboard shares: the snapshot a request reads in, the company a request
speaks for, and the checks of its inputs. Routes (serving/api/routes/) import from here, never from each other or
from main.py."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator
from sqlalchemy.engine import Connection
from starlette.concurrency import run_in_threadpool

from bidradar.core.clock import KST
from serving.api import db, models, queries, sessions

NOTICE_NO_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"


# ---------------------------------------------------------------------------------------------------------------------
# Input checks shared by the API and the dashboard


def clean_text(value: str | None) -> str | None:
    """Free text as the database can take it: no NUL, no lone surrogates, trimmed (empty means absent)."""
    if value is None:
        return None
    if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValueError("contains a character that is not text (NUL or a lone surrogate)")
    return value.strip()


def kst_naive(value: dt.datetime | None) -> dt.datetime | None:
    """A time as the warehouse keeps it: naive KST (a time with a zone is converted)."""
    if value is None or value.tzinfo is None:
        return value
    try:
        return value.astimezone(KST).replace(tzinfo=None)
    except OverflowError:
        raise ValueError("out of range") from None


Text = Annotated[str | None, AfterValidator(clean_text)]
Time = Annotated[dt.datetime | None, AfterValidator(kst_naive)]


async def notice_filters(
    q: Annotated[Text, Query(max_length=100, description="Korean text search in titles and agency names")] = None,
    category: Annotated[
        queries.Category | None, Query(description="goods 물품, services 용역, construction 공사, foreign 외자")
    ] = None,
    agency: Annotated[Text, Query(max_length=100, description="part of the notice or demand agency name")] = None,
    region: Annotated[
        Text, Query(max_length=60, description="참가가능지역 시도 (or the start of a region name)")
    ] = None,
    amount_min: Annotated[int | None, Query(ge=0, le=10**15, description="추정가격 at least, won")] = None,
    amount_max: Annotated[int | None, Query(ge=0, le=10**15, description="추정가격 at most, won")] = None,
    deadline_from: Annotated[Time, Query(description="입찰마감 at or after (KST)")] = None,
    deadline_to: Annotated[Time, Query(description="입찰마감 at or before (KST; a date alone: that whole day)")] = None,
    status: Annotated[
        queries.Status | None, Query(description="open, closed (awaiting opening), opened, cancelled")
    ] = None,
) -> queries.NoticeFilters:
    return queries.NoticeFilters(
        q, category, agency, region, amount_min, amount_max, deadline_from, deadline_to, status
    )


# ---------------------------------------------------------------------------------------------------------------------
# The snapshot of a request


def snapshot(request: Request) -> Iterator[Connection]:
    with request.app.state.warehouse.snapshot() as conn:
        yield conn


ConnDep = Annotated[Connection, Depends(snapshot)]
T = TypeVar("T")


async def in_snapshot(request: Request, read: Callable[[Connection], T]) -> T:
    """`read(conn)` in one snapshot, on one thread of the pool: what ConnDep gives a sync route, for the busiest
    routes (the notice list, search and detail). ConnDep costs three hand-offs between the event loop and the
    thread pool per request (the snapshot's start, the route, the snapshot's end), each ~50 µs of CPU and a wait
    for the GIL under load; this costs one."""

    def run() -> T:
        with request.app.state.warehouse.snapshot() as conn:
            return read(conn)

    return await run_in_threadpool(run)


# ---------------------------------------------------------------------------------------------------------------------
# The company a request speaks for

UNAUTHORIZED = {401: {"model": models.Problem, "description": "missing, unknown or revoked token"}}
bearer = HTTPBearer(
    auto_error=False, description="the company's API token (its sha256 is the profile's api_token_hash)"
)


# Hashes of tokens that were printed in bidradar's source (the demo profiles shipped before issue 26): anyone can
# sign in with them, so they never open anything, and the API refuses to start while a profile holds one.
PUBLIC_TOKEN_HASHES = frozenset(
    {
        "sha256:d6306b0afa44340b9d7240ba0aa8e5c059011e26d6a57d63612a95f708a394b1",
        "sha256:91928b010262d18bda3fa767465ccfca3de9dfcc3df34e16831deef44db46d1a",
    }
)


def token_hash(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


def companies(request: Request, conn: Connection) -> dict[str, queries.Company]:
    """{token hash: company} of the valid profiles, reread when company_profiles was written."""
    warehouse: db.Warehouse = request.app.state.warehouse
    version = warehouse.versions(conn, ("company_profiles",))["company_profiles"]
    cached_version, found = request.app.state.token_cache
    if cached_version != version or version == 0:
        found = queries.companies_by_token_hash(conn)
        request.app.state.token_cache = (version, found)
    return found


def company_for_token(request: Request, conn: Connection, token: str | None) -> queries.Company | None:
    if not token or len(token) > 200:
        return None
    hashed = token_hash(token)
    return None if hashed in PUBLIC_TOKEN_HASHES else companies(request, conn).get(hashed)


def company_from_cookie(request: Request, conn: Connection) -> queries.Company | None:
    """The company signed in on the dashboard: its live session's, while the company still has a token."""
    session_id = request.cookies.get(sessions.SESSION_COOKIE)
    company_id = sessions.session_company_id(conn, session_id, request.app.state.now())
    if company_id is None:
        return None
    company = next((c for h, c in companies(request, conn).items() if c.company_id == company_id), None)
    if company is not None and session_id is not None:
        remember_session(request, session_id, company.company_id)
    return company


def remember_session(request: Request, session_id: str, company_id: str | None) -> None:
    """What the rate limit knows of a session without reading the database (None: forget it)."""
    known: dict[str, str] = request.app.state.session_companies
    if company_id is None:
        known.pop(sessions.digest(session_id), None)
        return
    if len(known) > 10_000:
        known.clear()
    known[sessions.digest(session_id)] = company_id


def rate_limit_key(request: Request) -> str:
    """Who a request counts against: its company when it carries a known token or session, else its client address
    (after the trusted proxies: main.py). Read from memory only; an unknown credential counts as its address."""
    state = request.app.state
    authorization = request.headers.get("authorization", "")
    if authorization[:7].lower() == "bearer " and len(authorization) < 220:
        company = state.token_cache[1].get(token_hash(authorization[7:].strip()))
        if company is not None:
            return f"company:{company.company_id}"
    session_id = request.cookies.get(sessions.SESSION_COOKIE)
    if sessions.well_formed(session_id):
        company_id = state.session_companies.get(sessions.digest(session_id))  # type: ignore[arg-type]
        if company_id is not None:
            return f"company:{company_id}"
    return f"address:{client_address(request)}"


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def optional_company(request: Request, conn: ConnDep, credentials: Credentials) -> queries.Company | None:
    return company_of_credentials(request, conn, credentials)


def company_of_credentials(
    request: Request, conn: Connection, credentials: HTTPAuthorizationCredentials | None
) -> queries.Company | None:
    """The company of a bearer token (None: no token); an unknown or revoked token is a 401."""
    if credentials is None:
        return None
    company = company_for_token(request, conn, credentials.credentials)
    if company is None:
        raise HTTPException(401, "unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})
    return company


def required_company(company: Annotated[queries.Company | None, Depends(optional_company)]) -> queries.Company:
    if company is None:
        raise HTTPException(
            401, "a company token is required (Authorization: Bearer ...)", headers={"WWW-Authenticate": "Bearer"}
        )
    return company


RequiredCompany = Annotated[queries.Company, Depends(required_company)]
