"""HTTP front of the G2B simulator: the real paths, envelopes, error shapes, paging quirks and faults.

Response shapes per code (all HTTP 200 unless a fault says otherwise):
- 00 normal JSON ``{"response": {"header": ..., "body": {"items": [...], "numOfRows", "pageNo", "totalCount"}}}``;
  a page holding exactly one item carries it as an object, not a list (the real serializer does that).
- 03 no data: same envelope, ``resultMsg`` "NO_DATA", ``"items": ""``, totalCount 0 (also for pageNo past the end).
- 01, 02, 04, 05, 06, 07, 08, 11: produced by the procurement system itself, so JSON
  ``{"nkoneps.com.response.ResponseError": {"header": {"resultCode", "resultMsg"}}}``.
  06 = bad YYYYMMDDHHMM, 07 = window over 31 days / out-of-range value, 08 = required parameter missing.
- 10, 12, 20, 21, 22, 23, 30, 31, 32, 99: produced by the data.go.kr gateway before the request reaches
  G2B, so XML ``<OpenAPI_ServiceResponse><cmmMsgHeader>...`` even with ``type=json``.
  10 = ServiceKey missing or pageNo/numOfRows not a number, 12 = unknown operation,
  30 = wrong key or a double-encoded key (one still holding ``%`` after the HTTP layer decoded it once).

Paging: lists cap numOfRows at 999 (larger asks are served 999 rows); the PreparPcDetail operations cap at
500 and, when asked for more, silently serve 10 rows per page while echoing the asked numOfRows.

Faults (``G2BSimulator.inject``): the codes above, plus "xml_gateway" (generic SERVICE ERROR, reason 04
HTTP_ERROR), "html_maintenance" (HTML 점검 page, HTTP 503 or ``status=200``), "timeout" (hold ``delay``
seconds then close without answering) and "truncated" (Content-Length larger than the half body sent).

Data faults answer normally but change the answer, in G2B's own field names:
"short_total_count" (``totalCount`` lowered by ``by``, default half of it: G2B has answered too low counts),
"missing_items" (the page's ``items`` lose ``drop`` items while ``totalCount`` stays), "mislabelled_euc_kr" (the
body encoded EUC-KR/CP949 while the Content-Type still says UTF-8), "undecodable_body" (bytes valid in neither
UTF-8 nor CP949 in the first ``bidNtceNm``) and "set_field" (every item's ``field``,
e.g. ``bidNtceNm``, set to ``value`` repeated ``repeat`` times, on the first ``items`` items of the page (default
all): huge, blank or negative values).
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .fields import project
from .generator import BSNS_DIV_NM, CATEGORIES, KST, NoticeGenerator, Result, fmt_dt

BID_PATH = "/1230000/ad/BidPublicInfoService"
SCSBID_PATH = "/1230000/as/ScsbidInfoService"
MAX_WINDOW = timedelta(days=31)

RESPONSE_ERROR_MSG = {
    "01": "어플리케이션 에러",
    "02": "데이터베이스 에러",
    "04": "HTTP 에러",
    "05": "서비스 연결실패 에러",
    "06": "날짜 형식 에러",
    "07": "입력범위값 초과 에러",
    "08": "필수값 입력 에러",
    "11": "필수 요청 파라미터가 없음",
}
GATEWAY_AUTH_MSG = {
    "04": "HTTP_ERROR",
    "10": "INVALID_REQUEST_PARAMETER_ERROR",
    "12": "NO_OPENAPI_SERVICE_ERROR",
    "20": "SERVICE_ACCESS_DENIED_ERROR",
    "21": "TEMPORARILY_DISABLE_THE_SERVICEKEY_ERROR",
    "22": "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR",
    "23": "LIMITED_NUMBER_OF_SERVICE_REQUESTS_PER_SECOND_EXCEEDS_ERROR",
    "30": "SERVICE_KEY_IS_NOT_REGISTERED_ERROR",
    "31": "DEADLINE_HAS_EXPIRED_ERROR",
    "32": "UNREGISTERED_IP_ERROR",
    "99": "UNKNOWN_ERROR",
}
DATA_FAULTS = {"short_total_count", "missing_items", "mislabelled_euc_kr", "undecodable_body", "set_field"}
FAULTS = {
    *RESPONSE_ERROR_MSG,
    *GATEWAY_AUTH_MSG,
    "xml_gateway",
    "html_maintenance",
    "timeout",
    "truncated",
    *DATA_FAULTS,
}

MAINTENANCE_HTML = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="UTF-8"><title>시스템 점검 안내</title></head>
<body><div class="inspection"><h1>시스템 점검 안내</h1>
<p>보다 나은 서비스 제공을 위하여 시스템 점검을 실시하고 있습니다.</p>
<p>점검시간 동안 서비스 이용이 일시 중단되오니 양해 부탁드립니다.</p></div></body></html>
"""


@dataclass(frozen=True)
class OpSpec:
    service: str  # path prefix
    kind: str  # generator index kind: notice | bsis | license | region | result | award | compt
    category: str | None
    shape: str  # how an entry becomes rows: notice | bsis | license | region | award | opening | prepar | compt
    windows: dict[str, str]  # inqryDiv -> key time of the window
    by_no_div: str  # inqryDiv that means "by bidNtceNo"
    cap: int = 999


def _build_ops() -> dict[str, OpSpec]:
    ops: dict[str, OpSpec] = {}
    for cat in CATEGORIES:
        ops[f"getBidPblancListInfo{cat}"] = OpSpec(BID_PATH, "notice", cat, "notice", {"1": "rgst", "3": "chg"}, "2")
        if cat != "Frgcpt":
            ops[f"getBidPblancListInfo{cat}BsisAmount"] = OpSpec(BID_PATH, "bsis", cat, "bsis", {"1": "rgst"}, "2")
        result_windows = {"1": "rgst", "2": "ntce", "3": "openg"}
        # Awards are indexed by their own registration (the final winner, days after the opening).
        ops[f"getScsbidListSttus{cat}"] = OpSpec(SCSBID_PATH, "award", cat, "award", result_windows, "4")
        ops[f"getOpengResultListInfo{cat}"] = OpSpec(SCSBID_PATH, "result", cat, "opening", result_windows, "4")
        ops[f"getOpengResultListInfo{cat}PreparPcDetail"] = OpSpec(
            SCSBID_PATH, "result", cat, "prepar", result_windows, "4", cap=500
        )
    ops["getBidPblancListInfoLicenseLimit"] = OpSpec(BID_PATH, "license", None, "license", {"1": "rgst"}, "2")
    ops["getBidPblancListInfoPrtcptPsblRgn"] = OpSpec(BID_PATH, "region", None, "region", {"1": "rgst"}, "2")
    ops["getOpengResultListInfoOpengCompt"] = OpSpec(SCSBID_PATH, "result", None, "compt", {}, "")
    return ops


OPERATIONS: dict[str, OpSpec] = _build_ops()


class ApiError(Exception):
    """A response other than 00/03; ``gateway`` selects the XML shape."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
        self.gateway = code in GATEWAY_AUTH_MSG and code not in RESPONSE_ERROR_MSG


@dataclass
class Fault:
    fault: str
    operation: str | None
    times: int | None  # None = until cleared
    after: int
    delay: float = 30.0
    status: int = 503
    extra: dict[str, Any] = field(default_factory=dict)


def gateway_xml(code: str) -> bytes:
    return (
        "<OpenAPI_ServiceResponse>\n\t<cmmMsgHeader>\n\t\t<errMsg>SERVICE ERROR</errMsg>\n"
        f"\t\t<returnAuthMsg>{GATEWAY_AUTH_MSG[code]}</returnAuthMsg>\n"
        f"\t\t<returnReasonCode>{code}</returnReasonCode>\n\t</cmmMsgHeader>\n</OpenAPI_ServiceResponse>"
    ).encode()


def response_error_json(code: str) -> bytes:
    header = {"resultCode": code, "resultMsg": RESPONSE_ERROR_MSG[code]}
    return _dumps({"nkoneps.com.response.ResponseError": {"header": header}})


def normal_json(
    items: list[dict[str, str]], num_of_rows: int, page_no: int, total: int, *, lost: bool = False
) -> bytes:
    """A normal answer; an empty page is 03 NO_DATA, unless a fault took its items (`lost`): then it stays 00 with
    its totalCount, as "missing_items" says, and not an answer of no data that no count check could tell apart."""
    if not items and not lost:
        header = {"resultCode": "03", "resultMsg": "NO_DATA"}
        body: dict[str, Any] = {"items": "", "numOfRows": num_of_rows, "pageNo": page_no, "totalCount": 0}
    else:
        header = {"resultCode": "00", "resultMsg": "정상"}
        # The real serializer turns a one-element list into a bare object.
        body = {"items": items[0] if len(items) == 1 else items}
        body.update(numOfRows=num_of_rows, pageNo=page_no, totalCount=total)
    return _dumps({"response": {"header": header, "body": body}})


def _dumps(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_minute(value: str) -> datetime:
    if len(value) != 12 or not value.isdigit():
        raise ApiError("06")
    try:
        return datetime.strptime(value, "%Y%m%d%H%M").replace(tzinfo=KST)
    except ValueError as exc:
        raise ApiError("06") from exc


class SimulatorCore:
    """Request handling independent of the socket layer: faults, validation, querying, paging."""

    def __init__(self, generator: NoticeGenerator, service_key: str, now: datetime | None) -> None:
        self.generator = generator
        self.service_key = service_key
        self.now = now
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._calls: dict[str, int] = {}
        self._row_cache: dict[tuple, list[tuple[Any, int]]] = {}

    # ----- faults and stats -------------------------------------------------------------------------

    def inject(
        self, fault: str, operation: str | None = None, times: int | None = 1, after: int = 0, **kw: Any
    ) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; known: {sorted(FAULTS)}")
        delay = float(kw.pop("delay", 30.0))
        status = int(kw.pop("status", 503))
        with self._lock:
            self._faults.append(Fault(fault, operation, times, after, delay, status, kw))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def calls(self) -> dict[str, int]:
        with self._lock:
            return dict(self._calls)

    def reset_calls(self) -> None:
        with self._lock:
            self._calls.clear()

    def count_and_take_fault(self, operation: str) -> Fault | None:
        with self._lock:
            self._calls[operation] = self._calls.get(operation, 0) + 1
            for f in self._faults:
                if f.operation not in (None, operation):
                    continue
                if f.after > 0:
                    f.after -= 1
                    continue
                if f.times is not None:
                    f.times -= 1
                    if f.times <= 0:
                        self._faults.remove(f)
                return f
            return None

    def current_now(self) -> datetime:
        return self.now.astimezone(KST) if self.now is not None else datetime.now(KST)

    # ----- request handling -------------------------------------------------------------------------

    def handle(self, path: str, params: dict[str, str], fault: Fault | None = None) -> tuple[int, str, bytes]:
        """Returns (HTTP status, content type, body) for an API request that is not faulted or has a data fault."""
        try:
            body = self._serve(path, params, fault)
            if fault is not None and fault.fault == "mislabelled_euc_kr":
                body = body.decode("utf-8").encode("cp949")  # the label below still says UTF-8
            elif fault is not None and fault.fault == "undecodable_body":
                # 0xFF starts no character in UTF-8 nor in EUC-KR/CP949: a body broken on the way.
                body = body.replace(b'"bidNtceNm":"', b'"bidNtceNm":"\xff\xfe', 1)
            return 200, "application/json;charset=UTF-8", body
        except ApiError as err:
            if err.gateway:
                return 200, "text/xml;charset=UTF-8", gateway_xml(err.code)
            return 200, "application/json;charset=UTF-8", response_error_json(err.code)
        except Exception:  # a simulator bug: make it loud (HTTP 500), never a fake API error
            return 500, "text/plain;charset=UTF-8", traceback.format_exc().encode()

    def _serve(self, path: str, params: dict[str, str], fault: Fault | None = None) -> bytes:
        prefix, _, op_name = path.rstrip("/").rpartition("/")
        spec = OPERATIONS.get(op_name)
        if spec is None or spec.service != prefix:
            raise ApiError("12")
        key = params.get("ServiceKey", params.get("serviceKey"))
        if not key:
            raise ApiError("10")
        if key != self.service_key:  # includes a double-encoded key: it still holds "%2B", "%3D" …
            raise ApiError("30")
        page_no = _int_param(params, "pageNo", 1)
        num_of_rows = _int_param(params, "numOfRows", 10)
        if page_no < 1 or num_of_rows < 1:
            raise ApiError("07")
        rows = self._rows(op_name, spec, params)
        per_page = min(num_of_rows, spec.cap)
        if spec.shape == "prepar" and num_of_rows > spec.cap:
            per_page = 10  # the measured quirk: more than 500 silently gives 10 rows
        start = (page_no - 1) * per_page
        page = rows[start : start + per_page]
        items = [self._materialize(op_name, spec, payload, sub) for payload, sub in page]
        total, lost = len(rows), False
        if fault is not None and fault.fault == "short_total_count":
            total -= int(fault.extra.get("by", total // 2))
        elif fault is not None and fault.fault == "missing_items":
            kept = items[: max(0, len(items) - int(fault.extra.get("drop", 1)))]
            lost, items = bool(items) and not kept, kept
        elif fault is not None and fault.fault == "set_field":
            value = str(fault.extra["value"]) * int(fault.extra.get("repeat", 1))
            changed = int(fault.extra.get("items", len(items)))  # the first `items` items of the page
            items = [{**item, fault.extra["field"]: value} if n < changed else item for n, item in enumerate(items)]
        return normal_json(items, num_of_rows, page_no, total, lost=lost)

    def _rows(self, op_name: str, spec: OpSpec, params: dict[str, str]) -> list[tuple[Any, int]]:
        now = self.current_now()
        if spec.shape == "compt":
            return self._compt_rows(params, now)
        div = params.get("inqryDiv", "")
        if not div:
            raise ApiError("08")
        if div == spec.by_no_div:
            no = params.get("bidNtceNo", "")
            if not no:
                raise ApiError("08")
            entries = self.generator.by_notice(spec.kind, spec.category, no, now)
            cache_key = None
        elif div in spec.windows:
            bgn_s, end_s = params.get("inqryBgnDt", ""), params.get("inqryEndDt", "")
            if not bgn_s or not end_s:
                raise ApiError("08")
            bgn, end = parse_minute(bgn_s), parse_minute(end_s)
            if end < bgn or end - bgn > MAX_WINDOW:
                raise ApiError("07")
            # The minute of inqryEndDt is inclusive (…2359 covers 23:59:59).
            end_incl = end + timedelta(seconds=59)
            visible_minute = now.replace(second=0, microsecond=0)
            cache_key = (op_name, div, bgn, end, visible_minute)
            with self._lock:
                cached = self._row_cache.get(cache_key)
            if cached is not None:
                return cached
            # Visibility is cut at the whole minute so a cached page stays valid for that minute.
            entries = self.generator.window(spec.kind, spec.windows[div], spec.category, bgn, end_incl, visible_minute)
        else:
            raise ApiError("07")
        rows = self._expand(spec, entries, params.get("bidNtceOrd", ""))
        if cache_key is not None:
            with self._lock:
                if len(self._row_cache) > 64:
                    self._row_cache.clear()
                self._row_cache[cache_key] = rows
        return rows

    def _compt_rows(self, params: dict[str, str], now: datetime) -> list[tuple[Any, int]]:
        no = params.get("bidNtceNo", "")
        if not no:
            raise ApiError("08")
        result = self.generator.result_for(no)
        if result is None or result.rgst > now or result.status != "개찰완료":
            return []
        if params.get("bidNtceOrd") and params["bidNtceOrd"] != result.ord:
            return []
        return [(result, i) for i in range(len(result.amounts))]

    @staticmethod
    def _expand(spec: OpSpec, entries: list, ord_filter: str) -> list[tuple[Any, int]]:
        rows: list[tuple[Any, int]] = []
        for _, _, _, payload in entries:
            if spec.shape in ("license", "region"):
                notice, vi = payload
                if ord_filter and notice.versions[vi].ord != ord_filter:
                    continue
                n_rows = len(notice.licenses) if spec.shape == "license" else len(notice.regions)
                rows.extend((payload, i) for i in range(n_rows))
            elif spec.shape == "prepar":
                if payload.status == "개찰완료" and payload.priced:  # 비예가 (협상, 외자) has no 예비가격
                    rows.extend((payload, sno) for sno in range(1, 16))
            elif spec.shape == "award":
                if payload.status == "개찰완료":
                    rows.append((payload, 0))
            else:
                rows.append((payload, 0))
        return rows

    def _materialize(self, op_name: str, spec: OpSpec, payload: Any, sub: int) -> dict[str, str]:
        gen = self.generator
        if spec.shape == "notice":
            notice, vi = payload
            return project(op_name, notice.versions[vi].values)
        if spec.shape == "bsis":
            return project(op_name, payload.bsis.values)
        if spec.shape in ("license", "region"):
            notice, vi = payload
            version = notice.versions[vi]
            values = {
                "bidNtceNo": notice.no,
                "bidNtceOrd": version.ord,
                "rgstDt": fmt_dt(version.rgst),
                "bsnsDivNm": BSNS_DIV_NM[notice.category],
            }
            if spec.shape == "license":
                values.update(notice.licenses[sub])
            else:
                values.update(lmtSno=str(sub + 1), prtcptPsblRgnNm=notice.regions[sub])
            return project(op_name, values)
        result: Result = gen.result(payload)  # the payload is the opening's Outcome
        if spec.shape == "award":
            return project(op_name, gen.award_values(result))
        if spec.shape == "opening":
            return project(op_name, gen.opening_values(result))
        if spec.shape == "prepar":
            return project(op_name, gen.prepar_values(result, sub))
        return project(op_name, gen.compt_values(result, sub))


def _int_param(params: dict[str, str], name: str, default: int) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit():
        raise ApiError("10")
    return int(raw)


class _Handler(BaseHTTPRequestHandler):
    # Headers and body go out in two writes; with Nagle on, the delayed ACK costs ~40 ms per keep-alive call.
    disable_nagle_algorithm = True
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, like the real gateway

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and benchmarks hammer it
        pass

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        if split.path.startswith("/_sim/"):
            self._control("GET", split.path)
            return
        # parse_qs URL-decodes exactly once, like the real HTTP layer in front of the gateway.
        params = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        core = self.server.core
        operation = split.path.rstrip("/").rpartition("/")[2]
        fault = core.count_and_take_fault(operation)
        if fault is not None and fault.fault not in DATA_FAULTS:
            self._fault(fault)
            return
        status, ctype, body = core.handle(split.path, params, fault)
        self._send(status, ctype, body)

    def do_POST(self) -> None:
        self._control("POST", urlsplit(self.path).path)

    def do_DELETE(self) -> None:
        self._control("DELETE", urlsplit(self.path).path)

    def _control(self, method: str, path: str) -> None:
        core = self.server.core
        if path == "/_sim/faults" and method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            try:
                spec = json.loads(self.rfile.read(length) or b"{}")
                core.inject(**spec)
            except (ValueError, TypeError) as exc:
                self._send(400, "application/json", _dumps({"error": str(exc)}))
                return
            self._send(200, "application/json", _dumps({"ok": True}))
        elif path == "/_sim/faults" and method == "DELETE":
            core.clear_faults()
            self._send(200, "application/json", _dumps({"ok": True}))
        elif path == "/_sim/stats" and method == "GET":
            self._send(200, "application/json", _dumps({"calls": core.calls}))
        else:
            self._send(404, "application/json", _dumps({"error": "not found"}))

    def _fault(self, fault: Fault) -> None:
        name = fault.fault
        if name in RESPONSE_ERROR_MSG:
            self._send(200, "application/json;charset=UTF-8", response_error_json(name))
        elif name in GATEWAY_AUTH_MSG:
            self._send(200, "text/xml;charset=UTF-8", gateway_xml(name))
        elif name == "xml_gateway":
            self._send(200, "text/xml;charset=UTF-8", gateway_xml("04"))
        elif name == "html_maintenance":
            self._send(fault.status, "text/html;charset=UTF-8", MAINTENANCE_HTML.encode())
        elif name == "timeout":
            # Hold the request, then drop the connection without a byte of response.
            self.server.stopping.wait(fault.delay)
            self.close_connection = True
        elif name == "truncated":
            body = normal_json([{"bidNtceNo": "R26BK00000000", "bidNtceNm": "잘린 응답"}] * 20, 20, 1, 20)
            self.send_response(200)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], core: SimulatorCore) -> None:
        super().__init__(address, _Handler)
        self.core = core
        self.stopping = threading.Event()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up (a crawler that timed out, a demo stopped with Ctrl+C) is not the simulator's
        # error: no BrokenPipeError traceback in the demo's console. Anything else is still printed.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class G2BSimulator:
    """The G2B open API, simulated: ``with sim.serve() as base_url:`` then crawl ``base_url`` like apis.data.go.kr."""

    def __init__(
        self,
        seed: int = 20260101,
        notices_per_day: int = 1500,
        service_key: str = "bidradar-simulator-key",
        now: datetime | None = None,
    ) -> None:
        if now is not None and now.tzinfo is None:
            raise ValueError("now must be timezone-aware (Asia/Seoul)")
        self.generator = NoticeGenerator(seed=seed, notices_per_day=notices_per_day)
        self._core = SimulatorCore(self.generator, service_key, now)

    @property
    def now(self) -> datetime | None:
        return self._core.now

    @now.setter
    def now(self, value: datetime | None) -> None:
        """Move the simulated clock (tests step time forward to see results appear)."""
        if value is not None and value.tzinfo is None:
            raise ValueError("now must be timezone-aware (Asia/Seoul)")
        self._core.now = value

    @property
    def service_key(self) -> str:
        return self._core.service_key

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        server = _Server((host, port), self._core)
        thread = threading.Thread(target=server.serve_forever, name="g2b-simulator", daemon=True)
        thread.start()
        try:
            yield f"http://{host}:{server.server_address[1]}"
        finally:
            server.stopping.set()
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

    def inject(
        self, fault: str, operation: str | None = None, times: int | None = 1, after: int = 0, **kwargs: Any
    ) -> None:
        """Fail the next matching call(s). kwargs: ``delay`` (timeout, s), ``status`` (html_maintenance), ``by``
        (short_total_count), ``drop`` (missing_items), ``field``, ``value``, ``repeat``
        and ``items`` (set_field)."""
        self._core.inject(fault, operation=operation, times=times, after=after, **kwargs)

    def clear_faults(self) -> None:
        self._core.clear_faults()

    @property
    def calls(self) -> dict[str, int]:
        return self._core.calls

    def reset_calls(self) -> None:
        self._core.reset_calls()


def run_forever(host: str, port: int, seed: int, notices_per_day: int, service_key: str) -> None:
    """Blocking standalone server for ``bidradar g2b-sim``; prints the base URL."""
    sim = G2BSimulator(seed=seed, notices_per_day=notices_per_day, service_key=service_key)
    server = _Server((host, port), sim._core)
    print(f"G2B simulator listening on http://{host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()
        server.server_close()
