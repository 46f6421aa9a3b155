"""What every route of the API and the dashboard shares: the snapshot a request reads in, the company a request
speaks for, and the checks of its inputs. Routes (serving/api/routes/) import from here, never from each other or
from main.py."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator
from sqlalchemy.engine import Connection

from bidradar.core.clock import KST
from serving.api import db, models, queries

TOKEN_COOKIE = "bidradar_token"
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


def notice_filters(
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
    deadline_to: Annotated[Time, Query(description="입찰마감 at or before (KST)")] = None,
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


# ---------------------------------------------------------------------------------------------------------------------
# The company a request speaks for

UNAUTHORIZED = {401: {"model": models.Problem, "description": "missing, unknown or revoked token"}}
bearer = HTTPBearer(
    auto_error=False, description="the company's API token (its sha256 is the profile's api_token_hash)"
)


def company_for_token(request: Request, conn: Connection, token: str | None) -> queries.Company | None:
    if not token or len(token) > 200:
        return None
    warehouse: db.Warehouse = request.app.state.warehouse
    version = warehouse.versions(conn, ("company_profiles",))["company_profiles"]
    cached_version, companies = request.app.state.token_cache
    if cached_version != version or version == 0:
        companies = queries.companies_by_token_hash(conn)
        request.app.state.token_cache = (version, companies)
    return companies.get("sha256:" + hashlib.sha256(token.encode()).hexdigest())


def company_from_cookie(request: Request, conn: Connection) -> queries.Company | None:
    """The company signed in on the dashboard (None: nobody)."""
    return company_for_token(request, conn, request.cookies.get(TOKEN_COOKIE))


def optional_company(
    request: Request,
    conn: ConnDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> queries.Company | None:
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


OptionalCompany = Annotated[queries.Company | None, Depends(optional_company)]
RequiredCompany = Annotated[queries.Company, Depends(required_company)]
