"""A local stand-in of the Gemini REST API (the part google-genai uses), for tests and offline runs.

    with GeminiStandIn().serve() as base_url:
        client = genai.Client(api_key="test", http_options=types.HttpOptions(base_url=base_url))

It speaks `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse`, requires the
`x-goog-api-key` header, and RECORDS every request body, so a test can prove that no planted value ever
reached "the model". By default it answers by echoing the prompt text (`echo_prefix` + text of all user
parts), so the masking round trip can be checked; for structured output (`responseMimeType:
application/json`) it answers with `json_answer(prompt_text)` when one is configured. `fail_next(n, mode)`
makes the next n calls fail: "429", "500", "503", "timeout", "malformed" (a 200 with a body that is not
JSON) or "blocked" (a safety block: `promptFeedback.blockReason`, no candidates).
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.kit.http import serve_http

FAIL_MODES = ("429", "500", "503", "timeout", "malformed", "blocked")
_PATH_RE = re.compile(
    r"^/(?P<version>v1beta|v1)/models/(?P<model>[^/:]+):(?P<method>generateContent|streamGenerateContent)"
)
_STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED"}
_STATUS_NAMES |= {500: "INTERNAL", 503: "UNAVAILABLE"}


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    api_key: str | None
    body: str  # the raw body as received (JSON text, possibly with \\u escapes)

    def json(self) -> dict[str, Any]:
        return json.loads(self.body)

    def decoded(self) -> str:
        """The body with JSON escapes resolved, so `value in decoded()` also finds non-ASCII values."""
        return json.dumps(self.json(), ensure_ascii=False)


def prompt_text(request: dict[str, Any]) -> str:
    """Concatenated text of the user parts of a generateContent request."""
    texts = []
    for content in request.get("contents", []):
        if content.get("role", "user") != "user":
            continue
        texts.extend(part["text"] for part in content.get("parts", []) if "text" in part)
    return "".join(texts)


class GeminiStandIn:
    def __init__(
        self,
        *,
        echo_prefix: str = "Echo: ",
        json_answer: Callable[[str], Any] | None = None,
        stream_chunk_chars: int = 7,
        timeout_delay_s: float = 2.0,
    ) -> None:
        self.echo_prefix = echo_prefix
        self.json_answer = json_answer
        self.stream_chunk_chars = stream_chunk_chars  # small chunks: tokens get split across SSE events
        self.timeout_delay_s = timeout_delay_s
        self.requests: list[RecordedRequest] = []
        self._failures: list[str] = []
        self._lock = threading.Lock()

    # -- control -----------------------------------------------------------------------------------------

    def fail_next(self, n: int, mode: str) -> None:
        if mode not in FAIL_MODES:
            raise ValueError(f"unknown failure mode {mode!r}; one of {', '.join(FAIL_MODES)}")
        with self._lock:
            self._failures.extend([mode] * n)

    def _take_failure(self) -> str | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Run the server in a thread; yields its base URL (for `HttpOptions(base_url=...)`)."""
        with serve_http(_make_handler(self), host, port, "gemini-standin") as bound:
            yield f"http://{host}:{bound}"

    # -- answers -----------------------------------------------------------------------------------------

    def answer_text(self, request: dict[str, Any]) -> str:
        prompt = prompt_text(request)
        config = request.get("generationConfig") or {}
        if config.get("responseMimeType") == "application/json" and self.json_answer is not None:
            answer = self.json_answer(prompt)
            return answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
        return self.echo_prefix + prompt


def _usage(prompt: str, answer: str) -> dict[str, int]:
    # Roughly 4 characters per token: enough for the gateway's audit records to carry real numbers.
    prompt_tokens, output_tokens = max(1, len(prompt) // 4), max(1, len(answer) // 4)
    return {
        "promptTokenCount": prompt_tokens,
        "candidatesTokenCount": output_tokens,
        "totalTokenCount": prompt_tokens + output_tokens,
    }


def _response(text: str, model: str, usage: dict[str, int] | None, finish: str | None) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": text}]}, "index": 0}
    if finish:
        candidate["finishReason"] = finish
    body: dict[str, Any] = {"candidates": [candidate], "modelVersion": model}
    if usage:
        body["usageMetadata"] = usage
    return body


def _make_handler(standin: GeminiStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in separate writes: without this, Nagle and delayed ACKs add ~40 ms a request.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8")
            api_key = self.headers.get("x-goog-api-key")
            standin._record(RecordedRequest("POST", self.path, api_key, raw))
            match = _PATH_RE.match(self.path)
            if match is None:
                return self._error(404, f"no such method: {self.path}")
            if not api_key:
                return self._error(401, "API key missing: send it in the x-goog-api-key header")
            try:
                request = json.loads(raw)
            except ValueError:
                return self._error(400, "request body is not JSON")
            failure = standin._take_failure()
            if failure in ("429", "500", "503"):
                return self._error(int(failure), f"stand-in failure {failure}")
            if failure == "timeout":
                time.sleep(standin.timeout_delay_s)
                return self._error(503, "stand-in answered too late")
            if failure == "malformed":
                return self._send(200, b'{"candidates": [{"content": ', "application/json")
            model = match.group("model")
            if failure == "blocked":
                blocked = {"promptFeedback": {"blockReason": "SAFETY"}, "modelVersion": model}
                return self._send_json(200, blocked)
            answer = standin.answer_text(request)
            usage = _usage(prompt_text(request), answer)
            if match.group("method") == "generateContent":
                return self._send_json(200, _response(answer, model, usage, "STOP"))
            return self._stream(answer, model, usage)

        def _stream(self, answer: str, model: str, usage: dict[str, int]) -> None:
            size = max(1, standin.stream_chunk_chars)
            pieces = [answer[i : i + size] for i in range(0, len(answer), size)] or [""]
            events = []
            for i, piece in enumerate(pieces):
                last = i == len(pieces) - 1
                body = _response(piece, model, usage if last else None, "STOP" if last else None)
                events.append(b"data: " + json.dumps(body, ensure_ascii=False).encode() + b"\r\n\r\n")
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for event in events:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                return

        def _error(self, code: int, message: str) -> None:
            status = _STATUS_NAMES.get(code, "UNKNOWN")
            self._send_json(code, {"error": {"code": code, "message": message, "status": status}})

        def _send_json(self, code: int, body: dict[str, Any]) -> None:
            self._send(code, json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=UTF-8")

        def _send(self, code: int, payload: bytes, content_type: str) -> None:
            try:
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler
