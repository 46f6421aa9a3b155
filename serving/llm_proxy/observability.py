"""Audit rows (one per call, into the warehouse's `llm_proxy_calls`) and Prometheus metrics of the proxy.

Neither ever holds a value, a header or a token: counts per entity type, token usage, status and timings.
Audit rows are written by a background thread in small batches, so a slow warehouse never slows a call; if the
warehouse is unreachable the rows are dropped and counted (`llm_proxy_audit_dropped_total`), the calls go on.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import queue
import threading
import uuid
from dataclasses import asdict, dataclass, field

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Counter, Histogram

from bidradar.core import warehouse
from bidradar.core.clock import now_kst

log = logging.getLogger("bidradar.llm_proxy")

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)
_MASK_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25)


@dataclass
class CallRecord:
    route: str  # messages or count_tokens
    streamed: bool
    call_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    called_at: dt.datetime = field(default_factory=now_kst)
    model: str | None = None
    outcome: str = "ok"  # ok, upstream_error, refused, upstream_unreachable, stream_broken, client_gone
    status: int = 200
    refusal_cause: str | None = None
    entity_counts: dict[str, int] = field(default_factory=dict)
    masked_strings: int = 0
    restored_tokens: int = 0
    unknown_tokens: int = 0
    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_read_tokens: int | None = None
    mask_ms: float = 0.0
    first_byte_ms: float | None = None
    latency_ms: float = 0.0

    def row(self) -> dict[str, object]:
        row = asdict(self)
        row["entity_counts"] = json.dumps(self.entity_counts, sort_keys=True)
        row["masked_values"] = sum(self.entity_counts.values())
        row["called_at"] = self.called_at.replace(tzinfo=None)
        return row


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "llm_proxy_requests", "calls through the proxy", ["route", "outcome", "status"], registry=r
        )
        self.masked_values = Counter("llm_proxy_masked_values", "values masked, per entity type", ["type"], registry=r)
        self.refused = Counter(
            "llm_proxy_refused", "requests refused before sending (fail closed)", ["cause"], registry=r
        )
        self.restored = Counter("llm_proxy_restored_tokens", "tokens restored in answers", registry=r)
        self.unknown = Counter(
            "llm_proxy_unknown_tokens", "token-shaped strings in answers not in the request", registry=r
        )
        self.tokens = Counter("llm_proxy_model_tokens", "model tokens reported by the API", ["kind"], registry=r)
        labels = ["route", "streamed"]
        self.latency = Histogram(
            "llm_proxy_request_seconds",
            "whole call, as the client sees it",
            labels,
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.first_byte = Histogram(
            "llm_proxy_first_byte_seconds",
            "request received to first byte sent",
            labels,
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.mask_time = Histogram(
            "llm_proxy_mask_seconds", "time spent masking a request", buckets=_MASK_BUCKETS, registry=r
        )
        self.audit_dropped = Counter("llm_proxy_audit_dropped", "audit rows the warehouse did not take", registry=r)

    def observe(self, record: CallRecord) -> None:
        self.requests.labels(record.route, record.outcome, str(record.status)).inc()
        for kind, count in record.entity_counts.items():
            self.masked_values.labels(kind).inc(count)
        if record.refusal_cause:
            self.refused.labels(record.refusal_cause).inc()
        self.restored.inc(record.restored_tokens)
        self.unknown.inc(record.unknown_tokens)
        for kind, value in (("input", record.input_tokens), ("output", record.output_tokens)):
            if value:
                self.tokens.labels(kind).inc(value)
        streamed = "true" if record.streamed else "false"
        self.latency.labels(record.route, streamed).observe(record.latency_ms / 1000)
        if record.first_byte_ms is not None:
            self.first_byte.labels(record.route, streamed).observe(record.first_byte_ms / 1000)
        if record.outcome != "refused":
            self.mask_time.observe(record.mask_ms / 1000)


_COLUMNS = tuple(
    [
        "call_id",
        "called_at",
        "route",
        "model",
        "streamed",
        "outcome",
        "status",
        "refusal_cause",
        "entity_counts",
        "masked_values",
        "masked_strings",
        "restored_tokens",
        "unknown_tokens",
        "input_tokens",
        "output_tokens",
        "cache_read_tokens",
        "mask_ms",
        "first_byte_ms",
        "latency_ms",
    ]
)
_INSERT = sa.text(
    f"INSERT INTO llm_proxy_calls ({', '.join(_COLUMNS)}) VALUES ({', '.join(':' + c for c in _COLUMNS)})"
)


class AuditWriter:
    """Writes call records to the warehouse from a background thread."""

    def __init__(self, database_url: str, metrics: Metrics | None = None, batch: int = 100) -> None:
        self.engine = warehouse.make_engine(database_url)
        self.metrics = metrics
        self.batch = batch
        self._queue: queue.Queue[CallRecord | None] = queue.Queue(maxsize=10_000)
        self._thread = threading.Thread(target=self._run, name="llm-proxy-audit", daemon=True)
        self._thread.start()

    def submit(self, record: CallRecord) -> None:
        try:
            self._queue.put_nowait(record)
        except queue.Full:
            self._dropped(1)

    def close(self, timeout: float = 10.0) -> None:
        self._queue.put(None)
        self._thread.join(timeout)
        self.engine.dispose()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            records = [first] if first is not None else []
            while len(records) < self.batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    first = None
                    break
                records.append(item)
            if records:
                self._write(records)
            if first is None:
                return

    def _write(self, records: list[CallRecord]) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(_INSERT, [r.row() for r in records])
        except Exception as error:  # the warehouse is down or not migrated: the calls must go on
            log.warning("llm-proxy: %d audit rows not written (%s)", len(records), type(error).__name__)
            self._dropped(len(records))

    def _dropped(self, n: int) -> None:
        if self.metrics is not None:
            self.metrics.audit_dropped.inc(n)
