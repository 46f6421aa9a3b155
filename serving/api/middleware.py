"""The ASGI middleware around every route: the body limit, and the security headers, counts and latencies of
every answer (plain ASGI: cheaper than BaseHTTPMiddleware on every request)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from prometheus_client import Counter, Histogram
from slowapi import Limiter
from slowapi.errors import RateLimitExceeded
from starlette.requests import Request

log = logging.getLogger("serving.api")


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
            await problem(413, "request body too large")(scope, receive, send)
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
    """slowapi's limits for every request but those to `exempt` paths: `limiter` across all routes (its key: the
    company or the client address, deps.rate_limit_key), and `signin_limiter` on top for POST /signin (its key: the
    client address). Over a limit: 429 with Retry-After.

    slowapi's own middleware finds the endpoint by walking `app.routes` and skips a request whose endpoint it cannot
    find; FastAPI keeps included routers nested (`_IncludedRouter`), so it would find none and limit nothing. The
    check here is the one slowapi's middleware makes, for every request."""

    def __init__(self, app: Any, limiter: Limiter, signin_limiter: Limiter, exempt: frozenset[str]) -> None:
        self.app, self.limiter, self.signin_limiter, self.exempt = app, limiter, signin_limiter, exempt

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http" and scope["path"] not in self.exempt:
            request = Request(scope)
            limiters = [self.limiter]
            if scope["path"] == "/signin" and scope["method"] == "POST":
                limiters.insert(0, self.signin_limiter)
            try:
                for limiter in limiters:
                    limiter._check_request_limit(request, None, True)
            except RateLimitExceeded as error:
                response = problem(429, f"rate limit exceeded: {error.detail}", {"Retry-After": "60"})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def problem(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """An error answer as every route gives it: {"detail": "..."} (models.Problem)."""
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


class HeaderLimit:
    """Refuse a request whose request line and headers together exceed the limit (431). uvicorn's default parser
    (httptools) takes headers of any size; Caddy stops them at its own limit in production (deploy/caddy/Caddyfile)."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http":
            size = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
            size += sum(len(name) + len(value) + 4 for name, value in scope["headers"])
            if size > self.max_bytes:
                await problem(431, f"request headers too large (over {self.max_bytes} bytes)")(scope, receive, send)
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
    """Security headers on every answer, and its count and latency per route for /metrics. The outermost layer of
    the app: an exception no handler took becomes a 500 problem answer here, logged, with the same headers (Starlette
    would answer it outside every middleware, without them)."""

    def __init__(self, app: Any, requests_total: Counter, latency: Histogram) -> None:
        self.app, self.requests_total, self.latency = app, requests_total, latency

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status, answering = 500, False
        csp = (DOCS_CSP if scope["path"].startswith(("/docs", "/redoc")) else CSP).encode()

        async def send_with_headers(message: dict) -> None:
            nonlocal status, answering
            if message["type"] == "http.response.start":
                status, answering = message["status"], True
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in [*SECURITY_HEADERS, (b"content-security-policy", csp)] if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("%s %s failed", scope["method"], scope["path"])
            if answering:  # the answer had begun: nothing more can be sent
                raise
            await problem(500, "internal error: the operator's log has the details")(scope, receive, send_with_headers)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            self.requests_total.labels(scope["method"], route, str(status)).inc()
            self.latency.labels(scope["method"], route).observe(time.perf_counter() - started)
