"""The ASGI middleware around every route: the body limit, and the security headers, counts and latencies of
every answer (plain ASGI: cheaper than BaseHTTPMiddleware on every request)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from prometheus_client import Counter, Histogram
from slowapi import Limiter
from slowapi.errors import RateLimitExceeded
from starlette.requests import Request


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


class RateLimit:
    """slowapi's limits, checked for every request but those to `exempt` paths; over the limit, a 429 with
    Retry-After.

    slowapi's own middleware finds the endpoint by walking `app.routes` and skips a request whose endpoint it cannot
    find; FastAPI keeps included routers nested (`_IncludedRouter`), so it finds none and would limit nothing. The
    check here is the one slowapi's middleware makes, keyed by the path (slowapi's `key_style="url"`)."""

    def __init__(self, app: Any, limiter: Limiter, exempt: frozenset[str]) -> None:
        self.app, self.limiter, self.exempt = app, limiter, exempt

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http" and scope["path"] not in self.exempt:
            try:
                self.limiter._check_request_limit(Request(scope), None, True)
            except RateLimitExceeded as error:
                response = JSONResponse(
                    {"detail": f"rate limit exceeded: {error.detail}"}, status_code=429, headers={"Retry-After": "60"}
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


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
    """Security headers on every answer, and its count and latency per route for /metrics."""

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
