"""The read-only API and dashboard (`bidradar serve-api`).

Reads the finished tables of the warehouse, never writes them: on PostgreSQL as the read-only role of migration
0011 (API_DATABASE_URL), every page inside one snapshot (db.Warehouse.snapshot). Notices are public; what
bidradar computed for a company needs that company's bearer token (only its sha256 is stored, in the profile).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from pydantic import AfterValidator
from slowapi import Limiter
from slowapi.errors import RateLimitExceeded
from slowapi.middleware import SlowAPIASGIMiddleware
from slowapi.util import get_remote_address
from sqlalchemy.engine import Connection
from starlette.middleware.cors import CORSMiddleware

from bidradar.core.clock import KST, now_kst
from bidradar.core.settings import ApiSettings, get_settings
from serving.api import db, models, queries

HERE = Path(__file__).resolve().parent
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
# Middleware


class BodyLimit:
    """Refuse a request body larger than the limit (413), whether it says its length or streams it."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await JSONResponse({"detail": "request body too large"}, status_code=413)(scope, receive, send)
            return
        seen = 0

        async def limited_receive() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise HTTPException(413, "request body too large")
            return message

        await self.app(scope, limited_receive, send)


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"
)


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class Observe:
    """Security headers on every answer, and its count and latency per route for /metrics (plain ASGI: cheaper
    than BaseHTTPMiddleware on every request)."""

    def __init__(self, app: Any, requests_total: Counter, latency: Histogram) -> None:
        self.app, self.requests_total, self.latency = app, requests_total, latency

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        csp = (DOCS_CSP if scope["path"].startswith(("/docs", "/redoc")) else CSP).encode()

        async def send_with_headers(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in [*SECURITY_HEADERS, (b"content-security-policy", csp)] if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            self.requests_total.labels(scope["method"], route, str(status)).inc()
            self.latency.labels(scope["method"], route).observe(time.perf_counter() - started)


# ---------------------------------------------------------------------------------------------------------------------
# The app


def create_app(settings: ApiSettings | None = None, now: Callable[[], dt.datetime] = now_kst) -> FastAPI:
    settings = settings or get_settings(ApiSettings)
    warehouse = db.Warehouse(settings.serving_database_url)
    limiter = Limiter(key_func=get_remote_address, default_limits=[settings.api_rate_limit], storage_uri="memory://")
    app = FastAPIOffline(
        title="bidradar API",
        version="1.0",
        description="Read-only API of bidradar: G2B (나라장터) notices for everyone; a company's matches, "
        "eligibility, relevance, recommendations and analyses with its bearer token. Times are KST; money is won.",
        favicon_url=None,
    )
    app.state.warehouse, app.state.settings, app.state.now, app.state.limiter = warehouse, settings, now, limiter
    app.state.token_cache = (None, {})
    registry = CollectorRegistry()
    requests_total = Counter("bidradar_api_requests", "HTTP requests", ["method", "route", "status"], registry=registry)
    latency = Histogram(
        "bidradar_api_request_seconds",
        "HTTP request latency",
        ["method", "route"],
        registry=registry,
        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
    )

    app.add_middleware(SlowAPIASGIMiddleware)
    if settings.api_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api_cors_origins,
            allow_methods=["GET"],
            allow_headers=["Authorization"],
            max_age=600,
        )
    app.add_middleware(BodyLimit, max_bytes=settings.api_max_body_bytes)
    app.add_middleware(Observe, requests_total=requests_total, latency=latency)

    @app.exception_handler(RateLimitExceeded)
    async def rate_limited(request: Request, error: RateLimitExceeded) -> Response:
        return JSONResponse(
            {"detail": f"rate limit exceeded: {error.detail}"}, status_code=429, headers={"Retry-After": "60"}
        )

    @app.exception_handler(queries.CursorError)
    async def bad_cursor(request: Request, error: queries.CursorError) -> Response:
        detail = [{"loc": ["query", "cursor"], "msg": str(error), "type": "value_error"}]
        return JSONResponse({"detail": detail}, status_code=422)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _api_routes(app, limiter)
    from serving.api import dashboard

    dashboard.add_routes(app)
    _ = RequestValidationError  # FastAPI's own 422 names the field in `loc`: kept as documented in the schema
    app.state.metrics = (registry, generate_latest, CONTENT_TYPE_LATEST)
    return app


def snapshot(request: Request) -> Iterator[Connection]:
    with request.app.state.warehouse.snapshot() as conn:
        yield conn


ConnDep = Annotated[Connection, Depends(snapshot)]
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


def optional_company(
    request: Request,
    conn: Annotated[Connection, Depends(snapshot)],
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


def _etag(request: Request, response: Response, conn: Connection, tables: tuple[str, ...], *extra: str) -> bool:
    """Set an ETag from the versions of the tables read (and the minute: a status moves with the clock);
    True when the client already has this version (answer 304)."""
    versions = request.app.state.warehouse.versions(conn, tables)
    minute = request.app.state.now().strftime("%Y%m%d%H%M")
    basis = "|".join([str(request.url.path), str(request.url.query), minute, *map(str, versions.values()), *extra])
    tag = f'W/"{hashlib.sha256(basis.encode()).hexdigest()[:20]}"'
    response.headers["ETag"] = tag
    return request.headers.get("if-none-match") == tag


NOT_FOUND = {404: {"model": models.Problem, "description": "no such notice"}}
UNAUTHORIZED = {401: {"model": models.Problem, "description": "missing, unknown or revoked token"}}
NOT_MODIFIED = {304: {"description": "unchanged since the ETag given in If-None-Match"}}


def _api_routes(app: FastAPI, limiter: Limiter) -> None:
    @app.get("/api/notices", response_model=models.NoticePage, tags=["notices"], responses=NOT_MODIFIED)
    def list_notices(
        request: Request,
        response: Response,
        conn: ConnDep,
        filters: Annotated[queries.NoticeFilters, Depends(notice_filters)],
        sort: Annotated[
            queries.Sort, Query(description="registered_desc (newest), close_asc, price_desc")
        ] = "registered_desc",
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        cursor: Annotated[Text, Query(max_length=400, description="next_cursor of the previous page")] = None,
    ) -> Any:
        """Notices, filtered and searched, a page at a time (keyset paging: stable while data is written)."""
        if _etag(request, response, conn, ("bid_notices", "bid_results", "notice_region_limits")):
            return Response(status_code=304, headers=dict(response.headers))
        response.headers["Cache-Control"] = "no-cache"
        return queries.list_notices(
            conn, filters, sort, limit, cursor, request.app.state.now(), request.app.state.warehouse
        )

    @app.get(
        "/api/notices/{notice_no}",
        response_model=models.NoticeDetail,
        tags=["notices"],
        responses={**NOT_FOUND, **UNAUTHORIZED},
    )
    def notice_detail(
        request: Request,
        response: Response,
        conn: ConnDep,
        notice_no: Annotated[str, PathParam(pattern=NOTICE_NO_PATTERN, description="공고번호, e.g. R26BK01706792")],
        company: Annotated[queries.Company | None, Depends(optional_company)],
    ) -> Any:
        """Everything known of one notice; with a company token also its eligibility, relevance and (Pro) the
        recommendation and analysis."""
        detail = queries.notice_detail(conn, request.app.state.warehouse, notice_no, request.app.state.now())
        if detail is None:
            raise HTTPException(404, f"no notice {notice_no}")
        detail["notice"] = {
            k: models.with_kst(v) if isinstance(v, dt.datetime) else v for k, v in detail["notice"].items()
        }
        detail["company"] = None
        if company is not None:
            detail["company"] = queries.company_notice(conn, request.app.state.warehouse, company, notice_no)
            response.headers["Cache-Control"] = "private, no-store"
        response.headers["Vary"] = "Authorization"
        return detail

    @app.get("/api/companies/me/matches", response_model=models.MatchPage, tags=["company"], responses=UNAUTHORIZED)
    def my_matches(
        request: Request,
        response: Response,
        conn: ConnDep,
        company: Annotated[queries.Company, Depends(required_company)],
        stage: Annotated[models.Stage | None, Query(description="only this board stage")] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    ) -> Any:
        """The company's matches (eligible, or unknown: to be checked), most relevant first."""
        response.headers["Cache-Control"] = "private, no-store"
        return queries.company_matches(
            conn, request.app.state.warehouse, company, request.app.state.now(), stage, limit, offset
        )

    @app.get("/api/board", response_model=models.Board, tags=["company"], responses=UNAUTHORIZED)
    def board(
        request: Request,
        response: Response,
        conn: ConnDep,
        company: Annotated[queries.Company, Depends(required_company)],
        per_stage: Annotated[int, Query(ge=1, le=200)] = 30,
    ) -> Any:
        """The company's matches grouped by stage: new, eligible, closing within 3 days, closed awaiting
        opening, opened with result."""
        response.headers["Cache-Control"] = "private, no-store"
        return queries.board(conn, request.app.state.warehouse, company, request.app.state.now(), per_stage)

    @app.get("/api/stats", response_model=models.Stats, tags=["notices"])
    def stats(request: Request, conn: ConnDep) -> Any:
        """Counts of the warehouse: notices, open ones by category, closing today, results, companies."""
        return queries.stats(conn, request.app.state.now())

    @app.get(
        "/healthz",
        response_model=models.Health,
        tags=["operations"],
        responses={503: {"model": models.Problem, "description": "the database is unreachable"}},
    )
    @limiter.exempt
    def healthz(request: Request) -> Any:
        """Checks the database with one query in a snapshot."""
        warehouse: db.Warehouse = request.app.state.warehouse
        try:
            with warehouse.snapshot() as conn:
                warehouse.versions(conn, ("bid_notices",))
        except Exception as error:
            raise HTTPException(503, f"database unreachable: {type(error).__name__}") from None
        return {"status": "ok", "database": warehouse.dialect}

    @app.get(
        "/metrics",
        tags=["operations"],
        response_class=Response,
        responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
    )
    @limiter.exempt
    def metrics(request: Request) -> Response:
        """Request counts and latencies per route, in the Prometheus text format."""
        registry, render, content_type = request.app.state.metrics
        return Response(render(registry), media_type=content_type)
