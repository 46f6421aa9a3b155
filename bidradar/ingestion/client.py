"""A client for the G2B open API that survives the real one.

- the key is URL-encoded exactly once (double encoding gives error 30);
- page size per operation (예비가격 caps at 500 and silently returns 10 rows above it);
- retries with backoff on transient codes (01 02 04 05 23 99), HTML maintenance pages, gateway errors,
  truncated bodies and network errors;
- windows split on 07; a stop on 22 (daily quota) that says when to resume;
- one clear error naming the setting for key problems (10 20 21 30 31 32);
- parses all three response shapes (normal JSON, the ResponseError JSON, the XML gateway error);
- counts its calls per operation, and the minimum a perfect crawl would have needed;
- decodes strictly: the declared charset, else EUC-KR/CP949 (what G2B really sends), else a clear error;
- checks that the pages of a query add up to its totalCount, and fetches the whole query again when not.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import tenacity

from bidradar.core.clock import KST

BID_SERVICE = "/1230000/ad/BidPublicInfoService"
RESULT_SERVICE = "/1230000/as/ScsbidInfoService"

DEFAULT_PAGE_SIZE = 999
# Measured: the 예비가격 operations cap at 500 and answer 10 rows when asked for more.
PAGE_SIZE_BY_SUFFIX = {"PreparPcDetail": 500}
WINDOW_FORMAT = "%Y%m%d%H%M"
MIN_SPLIT = dt.timedelta(hours=1)

# httpx logs every URL at INFO, and G2B's key travels in the query string: never let it reach a log.
logging.getLogger("httpx").setLevel(logging.WARNING)

TRANSIENT_CODES = {"01", "02", "04", "05", "23", "99"}
KEY_CODES = {"10", "20", "21", "29", "30", "31", "32"}
BUG_CODES = {"06", "08", "11", "12"}
CODE_MEANINGS = {
    "01": "application error",
    "02": "database error",
    "04": "HTTP error",
    "05": "service timeout",
    "06": "date format error",
    "07": "query window too long",
    "08": "required parameter missing",
    "10": "no service key",
    "11": "required parameter missing",
    "12": "service retired",
    "20": "service not approved for this key",
    "21": "service key disabled",
    "22": "daily quota exceeded",
    "23": "per-second limit exceeded",
    "29": "IP blocked",
    "30": "service key not registered",
    "31": "service key expired",
    "32": "IP not registered",
    "99": "unknown error",
}


class G2BError(Exception):
    """A G2B call failed in a way the caller should see; `code` is G2B's result code when there is one."""

    def __init__(self, message: str, code: str | None = None, operation: str | None = None):
        super().__init__(message)
        self.code, self.operation = code, operation


class G2BTransientError(G2BError):
    """Worth retrying: a transient code, maintenance page, gateway error, truncated body or network error."""


class G2BRangeError(G2BError):
    """Code 07: the query window is too long (the caller splits it)."""


class G2BDecodeError(G2BError):
    """A body valid neither in its declared charset nor in EUC-KR/CP949: not stored, never turned into U+FFFD."""


class G2BIncompleteQuery(G2BError):
    """The pages of one query did not add up to its totalCount (items lost, or a count too low), however often
    the query was fetched again."""


class G2BKeyError(G2BError):
    """The service key is missing, wrong, expired or not approved: a configuration problem."""


class G2BQuotaExceeded(G2BError):
    """Code 22: the daily quota of this operation is used up."""

    def __init__(self, message: str, operation: str, resume_at: dt.datetime):
        super().__init__(message, "22", operation)
        self.resume_at = resume_at


@dataclass
class Page:
    items: list[dict[str, str]]
    total_count: int
    page_no: int
    num_of_rows: int


# ---------------------------------------------------------------------------------------------------------------------
# Parsing (pure): text of an HTTP 200 answer -> Page, or the right error


def _error_for_code(code: str, message: str, operation: str) -> G2BError:
    meaning = CODE_MEANINGS.get(code, "unexpected result code")
    text = f"G2B {operation} answered code {code} ({meaning}): {message}".rstrip(": ")
    if code in TRANSIENT_CODES:
        return G2BTransientError(text, code, operation)
    if code == "07":
        return G2BRangeError(text, code, operation)
    if code == "22":
        return G2BQuotaExceeded(text, operation, next_quota_reset())
    if code in KEY_CODES:
        hint = {
            "10": "set G2B_SERVICE_KEY to your data.go.kr service key",
            "29": "this machine's IP is blocked at data.go kr; ask the portal to lift it",
            "32": "register this machine's IP for the key at data.go.kr",
            "20": "apply for this service (BidPublicInfoService / ScsbidInfoService) with the key at data.go.kr",
        }.get(
            code,
            "check G2B_SERVICE_KEY: use the decoded key (not the URL-encoded one) and make sure it is "
            "registered and not expired at data.go.kr",
        )
        return G2BKeyError(f"{text}. Fix: {hint}.", code, operation)
    if code in BUG_CODES:
        return G2BError(f"{text}. This is a bug in bidradar's request; please report it.", code, operation)
    return G2BTransientError(text, code, operation)


_XML_CODE = re.compile(r"<returnReasonCode>\s*(\d+)\s*</returnReasonCode>")
_XML_MSG = re.compile(r"<returnAuthMsg>\s*([^<]*)</returnAuthMsg>")


def parse_response(text: str, operation: str) -> Page:
    """Parse one answer: normal JSON, the ResponseError JSON, or the XML gateway error (all HTTP 200)."""
    head = text.lstrip()[:200].lower()
    if head.startswith("<"):
        code = _XML_CODE.search(text)
        if code:
            message = _XML_MSG.search(text)
            raise _error_for_code(code.group(1).zfill(2), message.group(1).strip() if message else "", operation)
        raise G2BTransientError(
            f"G2B {operation} answered an HTML/XML page (maintenance?) instead of JSON", None, operation
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise G2BTransientError(
            f"G2B {operation} sent a truncated or invalid JSON body ({error.msg} at "
            f"{error.pos} of {len(text)} characters)",
            None,
            operation,
        ) from None
    if not isinstance(data, dict):
        raise G2BTransientError(f"G2B {operation} sent JSON of an unknown shape", None, operation)
    if "response" not in data:
        error_key = next((k for k in data if k.endswith("ResponseError")), None)
        header = (data.get(error_key) or {}).get("header", {}) if error_key else {}
        raise _error_for_code(str(header.get("resultCode", "99")), str(header.get("resultMsg", "")), operation)
    header = data["response"].get("header", {})
    code = str(header.get("resultCode", "99"))
    body = data["response"].get("body") or {}
    if code == "03":
        return Page([], int(body.get("totalCount") or 0), int(body.get("pageNo") or 1), int(body.get("numOfRows") or 0))
    if code != "00":
        raise _error_for_code(code, str(header.get("resultMsg", "")), operation)
    items = body.get("items", "")
    if isinstance(items, dict) and set(items) == {"item"}:  # the XML-to-JSON shape some gateways produce
        items = items["item"]
    if items in ("", None):
        items = []
    elif isinstance(items, dict):  # a one-item page comes as an object, not a list
        items = [items]
    return Page(items, int(body.get("totalCount") or 0), int(body.get("pageNo") or 1), int(body.get("numOfRows") or 0))


# G2B's older services and some gateways send EUC-KR (CP949 is its superset, as Windows writes it) whatever the
# Content-Type says; decoding with "replace" stored every syllable of such a page as U+FFFD.
FALLBACK_CHARSET = "cp949"


def decode_body(content: bytes, declared: str | None, operation: str) -> tuple[str, str]:
    """(text, charset used): the declared charset (UTF-8 when none) if the bytes are valid in it, else CP949.

    Strict both ways: a body valid in neither fails with G2BDecodeError instead of being stored with U+FFFD."""
    charset = (declared or "utf-8").lower()
    try:
        return content.decode(charset), charset
    except (UnicodeDecodeError, LookupError) as error:
        first_bad = error.start if isinstance(error, UnicodeDecodeError) else 0
        if isinstance(error, UnicodeDecodeError) and error.reason == "unexpected end of data":
            # A character cut at the very end: the body was truncated on the way, worth fetching again.
            raise G2BTransientError(f"G2B {operation} sent a truncated body", None, operation) from None
    try:
        return content.decode(FALLBACK_CHARSET), FALLBACK_CHARSET
    except UnicodeDecodeError:
        raise G2BDecodeError(
            f"G2B {operation} sent a body that is neither valid {charset.upper()} (as its Content-Type says) nor "
            f"EUC-KR/CP949 (first bad byte at {first_bad} of {len(content)} bytes): G2B sent broken text, not stored",
            None,
            operation,
        ) from None


def next_quota_reset(now: dt.datetime | None = None) -> dt.datetime:
    """Quotas reset at midnight in Korea."""
    now = (now or dt.datetime.now(KST)).astimezone(KST)
    return dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0, 5), KST)


def page_size_for(operation: str) -> int:
    return next((size for suffix, size in PAGE_SIZE_BY_SUFFIX.items() if operation.endswith(suffix)), DEFAULT_PAGE_SIZE)


def service_for(operation: str) -> str:
    return RESULT_SERVICE if operation.startswith(("getScsbid", "getOpengResult")) else BID_SERVICE


# ---------------------------------------------------------------------------------------------------------------------
# The client


@dataclass
class CallStats:
    calls: Counter = field(default_factory=Counter)  # every HTTP request, retries included
    minimum: Counter = field(default_factory=Counter)  # ceil(totalCount / page size) per paged query
    retries: Counter = field(default_factory=Counter)
    recoded: Counter = field(default_factory=Counter)  # pages whose bytes were not in their declared charset
    splits: int = 0

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def total_minimum(self) -> int:
        return sum(self.minimum.values())

    def as_metadata(self) -> dict[str, object]:
        overhead = (self.total_calls / self.total_minimum - 1) * 100 if self.total_minimum else 0.0
        return {
            "api_calls": self.total_calls,
            "api_calls_minimum": self.total_minimum,
            "api_calls_over_minimum_pct": round(overhead, 2),
            "api_retries": sum(self.retries.values()),
            "api_window_splits": self.splits,
            "api_pages_not_in_declared_charset": sum(self.recoded.values()),
            "api_calls_by_operation": dict(sorted(self.calls.items())),
        }


class G2BClient:
    """One client per crawl; `stats` says how many calls it made."""

    def __init__(
        self,
        base_url: str,
        service_key: str,
        *,
        timeout: float = 30.0,
        max_attempts: int = 5,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
        on_call: Callable[[str], object] | None = None,
        on_quota_exceeded: Callable[[str], object] | None = None,
    ):
        if not service_key:
            raise G2BKeyError("G2B_SERVICE_KEY is empty: set it to your decoded data.go.kr service key", "10")
        if re.search(r"%[0-9A-Fa-f]{2}", service_key):
            raise G2BKeyError(
                "G2B_SERVICE_KEY looks URL-encoded (it contains %XX): use the decoded key (일반 인증키 Decoding); "
                "bidradar encodes it once itself",
                "30",
            )
        self._encoded_key = urllib.parse.quote(service_key, safe="")
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)
        self.stats = CallStats()
        # The quota ledger (bidradar.ingestion.ledger): told of every request before it is sent (it may refuse it),
        # and of G2B's own "quota exceeded" (22).
        self._on_call = on_call
        self._on_quota_exceeded = on_quota_exceeded
        self._retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(G2BTransientError),
            wait=tenacity.wait_exponential_jitter(initial=backoff_initial, max=backoff_max),
            stop=tenacity.stop_after_attempt(max_attempts),
            reraise=True,
            before_sleep=self._count_retry,
        )
        # A whole query again when its pages do not add up to totalCount (a page came back short, or the count
        # was too low): G2B answers right on a later try; what stays short fails the day unwritten.
        self._query_retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(G2BIncompleteQuery),
            wait=tenacity.wait_exponential_jitter(initial=backoff_initial, max=backoff_max),
            stop=tenacity.stop_after_attempt(max_attempts),
            reraise=True,
            before_sleep=self._count_retry,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> G2BClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _count_retry(self, state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        self.stats.retries[getattr(error, "operation", None) or "?"] += 1

    def _request_once(self, operation: str, params: dict[str, str | int]) -> Page:
        # The key goes into the query string by hand: httpx would re-encode an already encoded value.
        query = urllib.parse.urlencode({"ServiceKey": "", **params, "type": "json"})
        query = query.replace("ServiceKey=", f"ServiceKey={self._encoded_key}", 1)
        if self._on_call is not None:
            self._on_call(operation)
        self.stats.calls[operation] += 1
        try:
            response = self._http.get(f"{service_for(operation)}/{operation}?{query}")
        except httpx.TimeoutException:
            raise G2BTransientError(f"G2B {operation} timed out", None, operation) from None
        except httpx.TransportError as error:
            raise G2BTransientError(f"G2B {operation}: network error {error!r}", None, operation) from None
        if response.status_code >= 500 or response.status_code == 429:
            raise G2BTransientError(f"G2B {operation} answered HTTP {response.status_code}", None, operation)
        if response.status_code != 200:
            raise G2BError(
                f"G2B {operation} answered HTTP {response.status_code}; check G2B_BASE_URL ({self._http.base_url})",
                None,
                operation,
            )
        text, charset = decode_body(response.content, response.charset_encoding, operation)
        if charset != (response.charset_encoding or "utf-8").lower():
            self.stats.recoded[operation] += 1
        try:
            return parse_response(text, operation)
        except G2BQuotaExceeded:
            if self._on_quota_exceeded is not None:
                self._on_quota_exceeded(operation)
            raise

    def fetch_page(self, operation: str, params: dict[str, str | int]) -> Page:
        """One page, retried on transient failures."""
        return self._retrying(self._request_once, operation, params)

    def iter_pages(self, operation: str, params: dict[str, str | int]) -> Iterator[Page]:
        """Every page of one query, using totalCount to stop without an extra empty call."""
        yield from self.fetch_query(operation, params)

    def fetch_query(self, operation: str, params: dict[str, str | int]) -> list[Page]:
        """Every page of one query, checked to add up to its totalCount; fetched again whole when they do not."""
        pages = self._query_retrying(self._fetch_query_once, operation, params)
        self.stats.minimum[operation] += max(1, math.ceil(pages[0].total_count / page_size_for(operation)))
        return pages

    def _fetch_query_once(self, operation: str, params: dict[str, str | int]) -> list[Page]:
        size = page_size_for(operation)
        pages = [self.fetch_page(operation, {**params, "pageNo": 1, "numOfRows": size})]
        total = pages[0].total_count
        for page_no in range(2, max(1, math.ceil(total / size)) + 1):
            pages.append(self.fetch_page(operation, {**params, "pageNo": page_no, "numOfRows": size}))
        received = sum(len(page.items) for page in pages)
        if received == total and total and len(pages[-1].items) == size:
            # A full last page that ends exactly at totalCount may hide a count that is too low: look once more
            # (past the end G2B answers 03 NO_DATA, so this costs one call when the total is a multiple of a page).
            after = self.fetch_page(operation, {**params, "pageNo": len(pages) + 1, "numOfRows": size})
            if after.items:
                pages.append(after)
                received += len(after.items)
        if received != total:
            query = ", ".join(f"{k}={v}" for k, v in params.items())
            raise G2BIncompleteQuery(
                f"G2B {operation} ({query}): its pages held {received} items but totalCount said {total} "
                f"(items lost or a wrong count)",
                None,
                operation,
            )
        return pages

    def iter_window(
        self, operation: str, inqry_div: int, start: dt.datetime, end: dt.datetime, **extra: str
    ) -> Iterator[tuple[str, Page]]:
        """Every page of a time window as (request_key, page); a window refused with 07 is halved and retried."""
        params = {
            "inqryDiv": inqry_div,
            "inqryBgnDt": start.strftime(WINDOW_FORMAT),
            "inqryEndDt": end.strftime(WINDOW_FORMAT),
            **extra,
        }
        request_key = f"inqryDiv={inqry_div}&{params['inqryBgnDt']}-{params['inqryEndDt']}"
        pages = self.iter_pages(operation, params)
        try:
            first = next(pages)
        except G2BRangeError:
            if end - start <= MIN_SPLIT:
                raise
            self.stats.splits += 1
            middle = start + (end - start) / 2
            middle = middle.replace(second=0, microsecond=0)
            yield from self.iter_window(operation, inqry_div, start, middle, **extra)
            # Windows are inclusive to the minute: the second half starts one minute later.
            yield from self.iter_window(operation, inqry_div, middle + dt.timedelta(minutes=1), end, **extra)
            return
        yield request_key, first
        for page in pages:
            yield request_key, page
