"""The read-only API and dashboard (`bidradar serve-api`): the app, its middleware and error handlers, and the
routers of serving/api/routes/ (shared dependencies in serving/api/deps.py).

Reads the finished tables of the warehouse, never writes them: on PostgreSQL as the read-only role of migration
0011 (API_DATABASE_URL), every page inside one snapshot (db.Warehouse.snapshot). Notices are public; what
bidradar computed for a company needs that company's bearer token (only its sha256 is stored, in the profile).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from slowapi import Limiter
from starlette.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bidradar.core.clock import now_kst
from bidradar.core.settings import ApiSettings, get_settings
from serving.api import db, queries
from serving.api.deps import PUBLIC_TOKEN_HASHES, client_address, rate_limit_key
from serving.api.middleware import BodyLimit, HeaderLimit, Observe, RateLimit
from serving.api.routes import companies, dashboard, notices, operations, session

HERE = Path(__file__).resolve().parent
log = logging.getLogger("serving.api")
# FastAPI's own 422 (RequestValidationError) names the field in `loc`: kept as documented in the schema.
ROUTERS = [notices.router, companies.router, operations.router, dashboard.router, session.router]
UNLIMITED = frozenset({"/healthz", "/metrics"})
# How `bidradar serve-api` runs uvicorn (and the tests too). The client address is the app's business
# (API_TRUSTED_PROXIES): uvicorn's own proxy headers trust X-Forwarded-For from 127.0.0.1 by default, so anything on
# the host could claim any address.
SERVER_OPTIONS = {"proxy_headers": False, "server_header": False}


class PublicTokenError(RuntimeError):
    """A profile holds the hash of a token printed in bidradar's source: anyone could sign in as that company."""


def known_companies(warehouse: db.Warehouse) -> tuple[int, dict[str, queries.Company]] | None:
    """(version of company_profiles, {token hash: company}); None when the warehouse cannot be read yet (not
    reachable, or not migrated: each request reads it again)."""
    try:
        with warehouse.snapshot() as conn:
            version = warehouse.versions(conn, ("company_profiles",))["company_profiles"]
            return version, queries.companies_by_token_hash(conn)
    except sa.exc.SQLAlchemyError as error:
        log.warning("could not read the company profiles at start: %s", str(error).splitlines()[0])
        return None


def public_token_problems(companies: dict[str, queries.Company]) -> list[str]:
    """The companies whose profile holds a public token hash (deps.PUBLIC_TOKEN_HASHES), as messages. Sign-in and
    bearer checks refuse those hashes too, whenever the profile came."""
    return [
        f"company {company.company_id}: its profile's api_token_hash is the hash of a demo token printed in "
        "bidradar's source, so anyone could sign in as it. Make a new token (docs/serving.md: Access), put its "
        "hash in the profile, and run the pipeline (or remove api_token_hash)."
        for hashed, company in sorted(companies.items(), key=lambda item: item[1].company_id)
        if hashed in PUBLIC_TOKEN_HASHES
    ]


def create_app(settings: ApiSettings | None = None, now: Callable[[], dt.datetime] = now_kst) -> FastAPI:
    settings = settings or get_settings(ApiSettings)
    warehouse = db.Warehouse(settings.serving_database_url)
    # The companies are known before the first request, so the rate limit counts a token as its company at once.
    known = known_companies(warehouse)
    problems = public_token_problems(known[1]) if known else []
    if problems:
        raise PublicTokenError("the API will not start: " + " ".join(problems))
    # application_limits: one count per client across every route (slowapi's default_limits count per route).
    limiter = Limiter(key_func=rate_limit_key, application_limits=[settings.api_rate_limit], storage_uri="memory://")
    signin_limiter = Limiter(
        key_func=client_address, application_limits=[settings.api_signin_rate_limit], storage_uri="memory://"
    )
    app = FastAPIOffline(
        title="bidradar API",
        version="1.0",
        description="Read-only API of bidradar: G2B (나라장터) notices for everyone; a company's matches, "
        "eligibility, relevance, recommendations and analyses with its bearer token. Times are KST; money is won.",
        favicon_url=None,
    )
    app.state.warehouse, app.state.settings, app.state.now, app.state.limiter = warehouse, settings, now, limiter
    app.state.token_cache = known or (None, {})
    app.state.session_companies = {}
    registry = CollectorRegistry()
    requests_total = Counter("bidradar_api_requests", "HTTP requests", ["method", "route", "status"], registry=registry)
    latency = Histogram(
        "bidradar_api_request_seconds",
        "HTTP request latency",
        ["method", "route"],
        registry=registry,
        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
    )
    app.state.metrics = (registry, generate_latest, CONTENT_TYPE_LATEST)

    # The last added runs first: Observe > HeaderLimit > BodyLimit > proxy headers > RateLimit > CORS > routes.
    if settings.api_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api_cors_origins,
            allow_methods=["GET"],
            allow_headers=["Authorization"],
            max_age=600,
        )
    app.add_middleware(RateLimit, limiter=limiter, signin_limiter=signin_limiter, exempt=UNLIMITED)
    # The client address and scheme from X-Forwarded-For/-Proto, only when the connection comes from a trusted
    # proxy, reading X-Forwarded-For from the right and skipping trusted hops (none trusted: the peer is the client).
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.api_trusted_proxies)
    app.add_middleware(BodyLimit, max_bytes=settings.api_max_body_bytes)
    app.add_middleware(HeaderLimit, max_bytes=settings.api_max_header_bytes)
    app.add_middleware(Observe, requests_total=requests_total, latency=latency)

    @app.exception_handler(queries.CursorError)
    async def bad_cursor(request: Request, error: queries.CursorError) -> Response:
        detail = [{"loc": ["query", "cursor"], "msg": str(error), "type": "value_error"}]
        return JSONResponse({"detail": detail}, status_code=422)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app
