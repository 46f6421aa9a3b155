"""The read-only API and dashboard (`bidradar serve-api`): the app, its middleware and error handlers, and the
routers of serving/api/routes/ (shared dependencies in serving/api/deps.py).

Reads the finished tables of the warehouse, never writes them: on PostgreSQL as the read-only role of migration
0011 (API_DATABASE_URL), every page inside one snapshot (db.Warehouse.snapshot). Notices are public; what
bidradar computed for a company needs that company's bearer token (only its sha256 is stored, in the profile).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from slowapi import Limiter
from slowapi.util import get_remote_address
from starlette.middleware.cors import CORSMiddleware

from bidradar.core.clock import now_kst
from bidradar.core.settings import Settings, get_settings
from serving.api import db, queries
from serving.api.middleware import BodyLimit, Observe, RateLimit
from serving.api.routes import companies, dashboard, notices, operations, session

HERE = Path(__file__).resolve().parent
# FastAPI's own 422 (RequestValidationError) names the field in `loc`: kept as documented in the schema.
ROUTERS = [notices.router, companies.router, operations.router, dashboard.router, session.router]
UNLIMITED = frozenset({"/healthz", "/metrics"})


def create_app(settings: Settings | None = None, now: Callable[[], dt.datetime] = now_kst) -> FastAPI:
    settings = settings or get_settings()
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
    app.state.metrics = (registry, generate_latest, CONTENT_TYPE_LATEST)

    app.add_middleware(RateLimit, limiter=limiter, exempt=UNLIMITED)
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

    @app.exception_handler(queries.CursorError)
    async def bad_cursor(request: Request, error: queries.CursorError) -> Response:
        detail = [{"loc": ["query", "cursor"], "msg": str(error), "type": "value_error"}]
        return JSONResponse({"detail": detail}, status_code=422)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app
