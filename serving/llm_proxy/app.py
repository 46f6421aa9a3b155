"""The ASGI app of the Claude masking proxy: the Anthropic Messages API towards the client, masked upstream.

    app = create_app(ProxyConfig(upstream_url="https://api.anthropic.com", key=key))

Routes: POST /v1/messages (JSON and SSE, `?beta=true` or not), POST /v1/messages/count_tokens, GET /v1/models[/id]
(passed through), GET /healthz, GET /metrics. Every other path gets a 404 in the API's error shape: the proxy
never forwards a body it has not masked. Request headers are forwarded from an allow-list only (`anthropic-version`
and `anthropic-beta` when they have the API's shape, the content type, the API key or Authorization for upstream);
every other header is dropped, and none is logged. The query string is masked like any text. Upstream errors reach
the client unmodified, status, headers and body.

Masking runs off the event loop: requests up to `inline_limit_bytes` in a bounded thread pool, larger ones in a
small process pool (a 5 MB request then costs the other streams nothing but a share of the CPU). Each request is
parsed, masked and serialised in the worker; the loop only moves bytes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import multiprocessing
import os
import re
import time
from collections import ChainMap
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import anyio
import httpx
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from bidradar.masking import Masker, MaskingLeakError, Vault
from bidradar.masking.detect import SECRET
from bidradar.masking.policy import mask_outgoing
from serving.llm_proxy.memory import MAX_VALUES, ContextMemory, RememberedStore, RememberedValues, judge
from serving.llm_proxy.observability import AuditWriter, CallRecord, Metrics
from serving.llm_proxy.request_masking import (
    MODEL_ID,
    MaskedRequest,
    RequestRefused,
    json_utf8,
    mask_known,
    mask_request,
)
from serving.llm_proxy.streaming import SSEDecoder, StreamRewriter, UnmaskStats, format_event, unmask_message

# The request headers forwarded upstream, each with the shape its value must have; every other one is dropped.
_REQUEST_ALLOW = {
    "anthropic-version": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "anthropic-beta": re.compile(r"[a-z0-9-]{1,80}(?:\s*,\s*[a-z0-9-]{1,80}){0,30}"),  # then item by item:
    "content-type": re.compile(r"application/json(?:;\s*charset=utf-8)?", re.IGNORECASE),
    "accept": re.compile(r"(?:application/json|text/event-stream|\*/\*)(?:\s*,\s*[a-z/*+-]{1,40})*", re.IGNORECASE),
    "x-api-key": re.compile(r"[\x21-\x7e]{1,512}"),
    "authorization": re.compile(r"[\x21-\x7e ]{1,4096}"),
}
# A beta flag as Anthropic names them: words and a date (`interleaved-thinking-2025-05-14`, `claude-code-20250219`,
# `context-1m-2025-08-07`). Another item (`hanbit-kim-minsu`) is dropped from the header, the others go on.
_BETA_FLAG = re.compile(r"[a-z0-9]{1,30}(?:-[a-z0-9]{1,30}){0,6}-20[0-9]{2}-?[0-9]{2}-?[0-9]{2}")
# `date` and `server` too: uvicorn sets its own, and two of each would reach the client.
_RESPONSE_DROP = frozenset(
    {"content-length", "connection", "keep-alive", "transfer-encoding", "content-encoding", "date", "server"}
)


@dataclass
class ProxyConfig:
    upstream_url: str
    key: bytes  # the masking key (HMAC); every replica must have the same one
    allow_binary: bool = False
    timeout_seconds: float = 600.0
    audit: AuditWriter | None = None
    metrics: Metrics | None = None
    transport: httpx.AsyncBaseTransport | None = None  # tests and the benchmark may plug one in
    mask_threads: int = 4  # requests masked at once in threads (bounded: the rest wait their turn)
    mask_processes: int = 2  # large requests masked at once in worker processes
    inline_limit_bytes: int = 256 * 1024  # larger bodies go to the process pool
    remembered_values: int = MAX_VALUES  # values masked by context, kept masked on later turns (memory.py); 0: off
    remembered_store: RememberedStore | None = None  # their keyed hashes in the warehouse: they outlive a restart


def api_error(status: int, kind: str, message: str) -> JSONResponse:
    """An error in the Anthropic API's shape, which the SDKs and Claude Code read."""
    return JSONResponse({"type": "error", "error": {"type": kind, "message": message}}, status_code=status)


def create_app(config: ProxyConfig) -> Starlette:
    proxy = _Proxy(config)
    routes = [
        Route("/v1/messages", proxy.messages, methods=["POST"]),
        Route("/v1/messages/count_tokens", proxy.count_tokens, methods=["POST"]),
        Route("/v1/models", proxy.passthrough_get, methods=["GET"]),
        Route("/v1/models/{model_id:path}", proxy.passthrough_get, methods=["GET"]),
        Route("/healthz", proxy.healthz, methods=["GET"]),
        Route("/metrics", proxy.metrics_endpoint, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=proxy.lifespan)
    app.add_exception_handler(404, _not_found)
    app.add_exception_handler(405, _not_allowed)
    app.state.proxy = proxy
    return app


async def _not_found(request: Request, _exc: Exception) -> Response:
    return api_error(404, "not_found_error", f"llm-proxy: {request.method} {request.url.path} is not proxied")


async def _not_allowed(request: Request, _exc: Exception) -> Response:
    return api_error(405, "invalid_request_error", f"llm-proxy: {request.method} is not allowed on {request.url.path}")


_WORKER_DIGESTS: dict[str, str] = {}  # in a worker process: the keyed hashes the proxy loaded at start


def _start_worker(loaded: dict[str, str]) -> None:
    """A worker process: the lowest priority, and the loaded hashes of the memory (sent once, not per request)."""
    _WORKER_DIGESTS.update(loaded)
    _background_priority()


def _background_priority() -> None:
    """Large bodies are masked at the lowest CPU priority (nice +19): when the cores are busy, the scheduler runs the
    event loop and the small requests' threads first, so one large request does not delay the other streams. At
    +19 the worker gets 15/1024 of a contended core's time beside a process at 0 (+10 gave it 110/1024); on an idle
    core it runs at full speed either way."""
    os.nice(19)


class _Proxy:
    def __init__(self, config: ProxyConfig) -> None:
        self.config = config
        self.metrics = config.metrics or Metrics()
        self.client: httpx.AsyncClient | None = None
        self.threads = anyio.CapacityLimiter(max(1, config.mask_threads))
        self.processes: concurrent.futures.ProcessPoolExecutor | None = None
        self.memory = (
            ContextMemory(config.key, config.remembered_values, config.remembered_store)
            if config.remembered_values > 0
            else None
        )

    async def mask(self, raw: bytes) -> MaskedRequest:
        """Parse, mask and serialise one body off the event loop (threads, or processes for large bodies); then
        remember what it masked by context only (memory.py)."""
        key, allow, memory = self.config.key, self.config.allow_binary, self.memory
        if len(raw) <= self.config.inline_limit_bytes or self.config.mask_processes < 1:
            return await anyio.to_thread.run_sync(_mask_raw, raw, key, allow, memory, limiter=self.threads)
        if self.processes is None:
            context = multiprocessing.get_context("forkserver")
            self.processes = concurrent.futures.ProcessPoolExecutor(
                self.config.mask_processes,
                mp_context=context,
                initializer=_start_worker,
                initargs=(memory.loaded if memory is not None else {},),
            )
        loop = asyncio.get_running_loop()
        # None: the memory is off; else what it remembers, and the keyed hashes of what earlier processes did
        pairs = memory.snapshot() if memory is not None else None
        content, values, judged, counts, strings, seconds, model, stream = await loop.run_in_executor(
            self.processes, _mask_in_process, raw, key, allow, pairs
        )
        if memory is not None:
            await anyio.to_thread.run_sync(memory.learn_judged, judged, limiter=self.threads)
        masker = Masker(key, vault=Vault(values))
        return MaskedRequest({}, masker, content, counts, strings, seconds, model, stream)

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        self.client = httpx.AsyncClient(
            base_url=self.config.upstream_url.rstrip("/"),
            timeout=httpx.Timeout(self.config.timeout_seconds, connect=10.0),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50, keepalive_expiry=60),
            transport=self.config.transport,
            follow_redirects=False,
        )
        try:
            yield
        finally:
            await self.client.aclose()
            if self.processes is not None:
                self.processes.shutdown(cancel_futures=True)
            if self.config.audit is not None:
                self.config.audit.close()
            if self.config.remembered_store is not None:
                self.config.remembered_store.close()

    # -- simple routes --------------------------------------------------------------------------------------

    async def healthz(self, _request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def metrics_endpoint(self, _request: Request) -> Response:
        return Response(generate_latest(self.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    async def passthrough_get(self, request: Request) -> Response:
        try:
            query = await anyio.to_thread.run_sync(_masked_query, request, self.config.key, limiter=self.threads)
            path = _masked_path(request, self.config.key)
            upstream = await self._client().get(path, params=query, headers=_forward_headers(request))
        except RequestRefused as refusal:
            return api_error(
                400, "invalid_request_error", f"llm-proxy refused the request, nothing was sent: {refusal}"
            )
        except httpx.HTTPError as error:
            return _unreachable(error)
        return Response(upstream.content, upstream.status_code, headers=_response_headers(upstream))

    # -- the Messages API -----------------------------------------------------------------------------------

    async def count_tokens(self, request: Request) -> Response:
        return await self.messages(request, route="count_tokens")

    async def messages(self, request: Request, route: str = "messages") -> Response:
        started = time.perf_counter()
        raw = await request.body()
        record = CallRecord(route=route, streamed=False)
        try:
            masked = await self.mask(raw)
            query = await anyio.to_thread.run_sync(
                _masked_query, request, self.config.key, masked.masker.vault, limiter=self.threads
            )
        except RequestRefused as refusal:
            record.outcome, record.status, record.refusal_cause = "refused", 400, refusal.cause
            self._finish(record, started)
            return api_error(
                400, "invalid_request_error", f"llm-proxy refused the request, nothing was sent: {refusal}"
            )
        streamed = route == "messages" and masked.stream
        record.streamed = streamed
        record.model = masked.model
        record.entity_counts = dict(masked.counts)
        record.masked_strings = masked.strings
        record.mask_ms = masked.mask_seconds * 1000
        client = self._client()
        upstream_request = client.build_request(
            "POST", request.url.path, params=query, headers=_forward_headers(request), content=masked.content
        )
        try:
            upstream = await client.send(upstream_request, stream=True)
        except httpx.HTTPError as error:
            record.outcome, record.status = "upstream_unreachable", 502
            self._finish(record, started)
            return _unreachable(error)
        record.first_byte_ms = (time.perf_counter() - started) * 1000
        content_type = upstream.headers.get("content-type", "")
        if upstream.status_code == 200 and content_type.startswith("text/event-stream"):
            return StreamingResponse(
                self._stream(upstream, masked, record, started),
                status_code=200,
                headers=_response_headers(upstream),
            )
        try:
            data = await upstream.aread()
        except httpx.HTTPError as error:
            record.outcome, record.status = "upstream_unreachable", 502
            self._finish(record, started)
            return _unreachable(error)
        finally:
            await upstream.aclose()
        record.status = upstream.status_code
        if upstream.status_code != 200:
            record.outcome = "upstream_error"
        elif route == "messages" and content_type.startswith("application/json"):
            stats = UnmaskStats()
            try:
                message = json.loads(data)
                data = json_utf8(json.dumps(unmask_message(message, masked.masker.vault, stats), ensure_ascii=False))
            except ValueError:
                pass  # not JSON after all: passed on as it came (it holds tokens, never values)
            _copy_stats(stats, record)
        elif route == "count_tokens":
            with contextlib.suppress(ValueError, AttributeError):
                record.input_tokens = json.loads(data).get("input_tokens")
        self._finish(record, started)
        return Response(data, upstream.status_code, headers=_response_headers(upstream))

    async def _stream(
        self, upstream: httpx.Response, masked: MaskedRequest, record: CallRecord, started: float
    ) -> AsyncIterator[bytes]:
        decoder = SSEDecoder()
        rewriter = StreamRewriter(masked.masker.vault)
        first = True
        completed = False
        try:
            async for chunk in upstream.aiter_bytes():
                out = "".join(piece for raw in decoder.feed(chunk) for piece in rewriter.event(raw))
                if out:
                    if first:
                        record.first_byte_ms = (time.perf_counter() - started) * 1000
                        first = False
                    yield json_utf8(out)
            tail = [piece for raw in decoder.close() for piece in rewriter.event(raw)]
            tail.extend(rewriter.flush_all())
            if tail:
                yield json_utf8("".join(tail))
            if rewriter.stats.upstream_error:
                record.outcome = "upstream_error"
            completed = True
        except httpx.HTTPError as error:
            record.outcome = "stream_broken"
            completed = True
            yield _error_event("api_error", f"llm-proxy: the upstream stream broke ({type(error).__name__})")
        except Exception as error:  # unmasking failed: stop rather than send something half-processed
            record.outcome = "stream_broken"
            completed = True
            yield _error_event("api_error", f"llm-proxy: unmasking the answer failed ({type(error).__name__})")
        finally:
            await upstream.aclose()
            _copy_stats(rewriter.stats, record)
            if not completed:
                record.outcome = "client_gone"
            self._finish(record, started)

    # -- helpers --------------------------------------------------------------------------------------------

    def _client(self) -> httpx.AsyncClient:
        if self.client is None:  # the app was started without its lifespan
            raise RuntimeError("the proxy's HTTP client is not started (run the app with its lifespan)")
        return self.client

    def _finish(self, record: CallRecord, started: float) -> None:
        record.latency_ms = (time.perf_counter() - started) * 1000
        self.metrics.observe(record)
        if self.config.audit is not None:
            self.config.audit.submit(record)


def _copy_stats(stats: UnmaskStats, record: CallRecord) -> None:
    record.restored_tokens = stats.restored
    record.unknown_tokens = stats.unknown
    record.input_tokens = stats.input_tokens
    record.output_tokens = stats.output_tokens
    record.cache_read_tokens = stats.cache_read_tokens
    if stats.model and MODEL_ID.fullmatch(stats.model):
        record.model = stats.model[:120]


def _mask_raw(raw: bytes, key: bytes, allow_binary: bool, memory: ContextMemory | None) -> MaskedRequest:
    if memory is None:
        return mask_request(raw, key, allow_binary=allow_binary)
    masked = mask_request(raw, key, allow_binary=allow_binary, remembered=memory.finder())
    memory.learn(masked.masker.vault.values)
    return masked


def _mask_in_process(
    raw: bytes,
    key: bytes,
    allow_binary: bool,
    remembered: tuple[tuple[tuple[str, str], ...], dict[str, str]] | None,
) -> tuple[Any, ...]:
    """In a worker process: the picklable parts of a MaskedRequest (the vault's values, not the Masker), and the
    memory's judgement of its values (memory.judge: the detectors run here, not beside the event loop)."""
    digests = ChainMap(remembered[1], _WORKER_DIGESTS) if remembered is not None else None
    finder = RememberedValues(remembered[0], key, digests) if remembered is not None else None
    masked = mask_request(raw, key, allow_binary=allow_binary, remembered=finder)
    vault = masked.masker.vault.values
    judged = judge(Masker(key), vault, finder.kinds) if finder is not None else []
    return (
        masked.content,
        vault,
        judged,
        masked.counts,
        masked.strings,
        masked.mask_seconds,
        masked.model,
        masked.stream,
    )


def _masked_query(request: Request, key: bytes, body: Vault | None = None) -> list[tuple[str, str]]:
    """The query string with every name and value through the masking policy (`beta=true` stays as it is); what
    the request's body masked (`body`: its vault) is masked here too, as the same token."""
    items = request.query_params.multi_items()
    if not items:  # the usual case; finding the body's values is not free (an automaton of every value it masked)
        return []
    masker = Masker(key)
    known = mask_known(body) if body is not None else (lambda text: text)
    try:
        return [
            (
                mask_outgoing(masker, known(name), "the query string").text,
                mask_outgoing(masker, known(value), "the query string").text,
            )
            for name, value in items
        ]
    except MaskingLeakError as error:
        raise RequestRefused("leak", str(error)) from None


def _masked_path(request: Request, key: bytes) -> str:
    """`/v1/models` or `/v1/models/<id>`: an id without the shape of Anthropic's model ids (the path is a string that
    goes upstream like any other) is sent as one token, as `model` in a body is."""
    model_id = request.path_params.get("model_id")
    if model_id is None or MODEL_ID.fullmatch(model_id):
        return request.url.path
    return "/v1/models/" + Masker(key).token_for(SECRET, model_id)


def _forward_headers(request: Request) -> list[tuple[str, str]]:
    forwarded = []
    for name, value in request.headers.items():
        shape = _REQUEST_ALLOW.get(name.lower())
        if shape is None or not shape.fullmatch(value):
            continue
        if name.lower() == "anthropic-beta":
            value = ",".join(flag for flag in re.split(r"\s*,\s*", value) if _BETA_FLAG.fullmatch(flag))
            if not value:
                continue
        forwarded.append((name, value))
    return forwarded


def _response_headers(upstream: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in upstream.headers.items() if k.lower() not in _RESPONSE_DROP}


def _unreachable(error: Exception) -> Response:
    return api_error(502, "api_error", f"llm-proxy: the upstream API is unreachable ({type(error).__name__})")


def _error_event(kind: str, message: str) -> bytes:
    payload: dict[str, Any] = {"type": "error", "error": {"type": kind, "message": message}}
    return json_utf8(format_event("error", payload))
