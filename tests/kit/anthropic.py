"""A local stand-in of the Anthropic Messages API, for the proxy's tests and its benchmark.

    standin = AnthropicStandIn()
    with standin.serve() as base_url:
        client = anthropic.Anthropic(api_key="test", base_url=base_url)

It speaks `POST /v1/messages` (JSON, and SSE when `stream` is true, with or without `?beta=true`),
`POST /v1/messages/count_tokens` and `GET /v1/models`, on loopback, and RECORDS every request (path, query,
headers, raw body), so a test can prove that no planted value ever reached "the model".

What it answers is a `Reply` chosen by `responder(request_body)`; by default it echoes the text of the last user
message. Streams come in small deltas (`chunk_chars` characters of text, of tool-call JSON, of thinking), each
event written to the socket in two pieces cut inside it (so SSE events and UTF-8 sequences arrive split), with a
`ping` after `message_start`. A thinking block carries a signature (an HMAC of its thinking text under the
stand-in's key); a later request whose history holds a thinking block whose text no longer matches its
signature is refused with the API's 400 "Invalid `signature` in `thinking` block", as Anthropic does.
`Reply.error_after` cuts a stream with an `error` event (overloaded_error) after that many events;
`Reply.status` answers with an HTTP error instead.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import re
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.kit.http import serve_http

_SIGNING_KEY = b"anthropic-standin-thinking"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_text(payload: Any) -> str:
    """JSON as the API writes it: UTF-8 text, except a lone surrogate (echoed from a request), which UTF-8 cannot
    carry, so the whole payload is escaped then."""
    text = json.dumps(payload, ensure_ascii=False)
    return json.dumps(payload) if not text.isascii() and _LONE_SURROGATE.search(text) else text


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-case names
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def decoded(self) -> str:
        """The body with JSON escapes resolved, so `value in decoded()` also finds non-ASCII values."""
        return json.dumps(self.json(), ensure_ascii=False) if self.body else ""


@dataclass
class Text:
    text: str


@dataclass
class ToolUse:
    name: str
    input: dict[str, Any]
    id: str = field(default_factory=lambda: f"toolu_{uuid.uuid4().hex[:24]}")


@dataclass
class Thinking:
    thinking: str

    @property
    def signature(self) -> str:
        return sign_thinking(self.thinking)


@dataclass
class Reply:
    blocks: list[Text | ToolUse | Thinking]
    stop_reason: str = "end_turn"
    error_after: int | None = None  # streams: an `error` event after this many events
    status: int | None = None  # an HTTP error instead of an answer
    error_type: str = "overloaded_error"
    error_message: str = "Overloaded"


PLACES = ("user", "system", "tool_result")


def request_with_text(text: str, place: str) -> dict[str, Any]:
    """A Messages request carrying `text` where a client puts text: the user's turn, the system prompt, or a
    tool's result after the assistant's tool call (one of PLACES). Model and max_tokens are the caller's."""
    if place == "system":
        return {"system": text, "messages": [{"role": "user", "content": "요약해 주세요"}]}
    if place == "tool_result":
        return {
            "tools": [{"name": "read_file", "description": "read a file", "input_schema": {"type": "object"}}],
            "messages": [
                {"role": "user", "content": "파일을 읽어 주세요"},
                {
                    "role": "assistant",
                    "content": [{"type": "tool_use", "id": "toolu_01", "name": "read_file", "input": {}}],
                },
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": text}]},
            ],
        }
    return {"messages": [{"role": "user", "content": [{"type": "text", "text": text}]}]}


def send_in_batches(client: Any, model: str, texts: list[str], *, streamed: bool = False, size: int = 30) -> None:
    """Send `texts` through `client` (the real anthropic SDK), `size` per request, each request putting its batch in
    the next of PLACES, streamed or not: how the red-team corpora cross the proxy."""
    for i, start in enumerate(range(0, len(texts), size)):
        request = request_with_text("\n\n".join(texts[start : start + size]), PLACES[i % len(PLACES)])
        if streamed:
            with client.messages.stream(model=model, max_tokens=50, **request) as stream:
                stream.get_final_message()
        else:
            client.messages.create(model=model, max_tokens=50, **request)


def seen_upstream(standin: AnthropicStandIn) -> str:
    """Everything the stand-in received: raw bodies and their decoded text (escapes resolved)."""
    return "\n".join(r.body for r in standin.requests) + "\n".join(r.decoded() for r in standin.requests)


def sign_thinking(thinking: str) -> str:
    """A signature of Anthropic's shape: standard base64 of a few hundred binary bytes (`EqQBCkgIARAB…`)."""
    digest = hmac.new(_SIGNING_KEY, thinking.encode(), hashlib.sha256).digest()
    blob = b"".join(hashlib.sha256(digest + bytes([i])).digest() for i in range(8))
    return base64.b64encode(b"\x12\x80\x02" + digest + blob).decode()


def message_texts(body: dict[str, Any]) -> list[str]:
    """Every text of a request: system, text blocks, tool results, tool inputs (for 'what did the model see')."""
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("type", "id", "tool_use_id", "signature", "cache_control"):
                    walk(item)

    walk(body.get("system"))
    walk(body.get("messages"))
    return out


def last_user_text(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages", [])):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content
        texts = [b.get("text", "") for b in content if isinstance(b, dict) and b.get("type") == "text"]
        if texts:
            return "".join(texts)
    return ""


def echo(body: dict[str, Any]) -> Reply:
    return Reply([Text("Echo: " + last_user_text(body))])


class AnthropicStandIn:
    def __init__(
        self, responder: Callable[[dict[str, Any]], Reply] = echo, *, chunk_chars: int = 5, split_writes: bool = True
    ) -> None:
        self.responder = responder
        self.chunk_chars = chunk_chars
        self.split_writes = split_writes
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def messages_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == "/v1/messages"]

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        with serve_http(_make_handler(self), host, port, "anthropic-standin") as bound:
            yield f"http://{host}:{bound}"


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


def check_signatures(body: dict[str, Any]) -> str | None:
    """The API's complaint about a thinking block whose text does not match its signature, or None."""
    for i, message in enumerate(body.get("messages", [])):
        content = message.get("content")
        if not isinstance(content, list):
            continue
        for j, block in enumerate(content):
            if not isinstance(block, dict) or block.get("type") != "thinking":
                continue
            if not hmac.compare_digest(str(block.get("signature", "")), sign_thinking(block.get("thinking", ""))):
                return f"messages.{i}.content.{j}: Invalid `signature` in `thinking` block"
    return None


def _usage(body: dict[str, Any], output: str) -> dict[str, int]:
    return {"input_tokens": max(1, len(json.dumps(body)) // 4), "output_tokens": max(1, len(output) // 4)}


def _block_json(block: Text | ToolUse | Thinking) -> dict[str, Any]:
    if isinstance(block, Text):
        return {"type": "text", "text": block.text}
    if isinstance(block, ToolUse):
        return {"type": "tool_use", "id": block.id, "name": block.name, "input": block.input}
    return {"type": "thinking", "thinking": block.thinking, "signature": block.signature}


def _message(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    content = [_block_json(b) for b in reply.blocks]
    return {
        "id": f"msg_{uuid.uuid4().hex[:24]}",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "claude-standin"),
        "content": content,
        "stop_reason": reply.stop_reason,
        "stop_sequence": None,
        "usage": _usage(body, json.dumps(content)),
    }


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def stream_events(body: dict[str, Any], reply: Reply, chunk_chars: int) -> Iterator[tuple[str, dict[str, Any]]]:
    message = _message(body, reply)
    start = {**message, "content": [], "stop_reason": None, "usage": {**message["usage"], "output_tokens": 1}}
    yield "message_start", {"type": "message_start", "message": start}
    yield "ping", {"type": "ping"}
    for index, block in enumerate(reply.blocks):
        if isinstance(block, Text):
            start_block = {"type": "text", "text": ""}
            yield "content_block_start", {"type": "content_block_start", "index": index, "content_block": start_block}
            for piece in _pieces(block.text, chunk_chars):
                delta = {"type": "text_delta", "text": piece}
                yield "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
        elif isinstance(block, ToolUse):
            start_block = {"type": "tool_use", "id": block.id, "name": block.name, "input": {}}
            yield "content_block_start", {"type": "content_block_start", "index": index, "content_block": start_block}
            for piece in _pieces(json.dumps(block.input, ensure_ascii=False), chunk_chars):
                delta = {"type": "input_json_delta", "partial_json": piece}
                yield "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
        else:
            start_block = {"type": "thinking", "thinking": "", "signature": ""}
            yield "content_block_start", {"type": "content_block_start", "index": index, "content_block": start_block}
            for piece in _pieces(block.thinking, chunk_chars):
                delta = {"type": "thinking_delta", "thinking": piece}
                yield "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
            delta = {"type": "signature_delta", "signature": block.signature}
            yield "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
    stop = {"stop_reason": reply.stop_reason, "stop_sequence": None}
    usage = {"output_tokens": message["usage"]["output_tokens"]}
    yield "message_delta", {"type": "message_delta", "delta": stop, "usage": usage}
    yield "message_stop", {"type": "message_stop"}


def _make_handler(standin: AnthropicStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in separate writes: without this, Nagle and delayed ACKs add ~40 ms.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _record(self, body: bytes) -> RecordedRequest:
            path, _, query = self.path.partition("?")
            recorded = RecordedRequest(
                self.command, path, query, {k.lower(): v for k, v in self.headers.items()}, body.decode("utf-8")
            )
            standin.record(recorded)
            return recorded

        def _json(self, status: int, payload: Any) -> None:
            data = _json_text(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("request-id", f"req_{uuid.uuid4().hex[:24]}")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            recorded = self._record(b"")
            if recorded.path == "/v1/models":
                model = {"type": "model", "id": "claude-standin-1", "display_name": "Stand-in"}
                model["created_at"] = "2026-01-01T00:00:00Z"
                self._json(200, {"data": [model], "has_more": False, "first_id": model["id"], "last_id": model["id"]})
            else:
                self._json(404, _error("not_found_error", f"Not found: {recorded.path}"))

        def do_HEAD(self) -> None:
            self._record(b"")
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            recorded = self._record(self.rfile.read(length))
            if not (recorded.headers.get("x-api-key") or recorded.headers.get("authorization")):
                self._json(401, _error("authentication_error", "x-api-key header is required"))
                return
            try:
                body = recorded.json()
            except ValueError:
                self._json(400, _error("invalid_request_error", "The request body is not valid JSON."))
                return
            if recorded.path == "/v1/messages/count_tokens":
                self._json(200, {"input_tokens": _usage(body, "")["input_tokens"]})
                return
            if recorded.path != "/v1/messages":
                self._json(404, _error("not_found_error", f"Not found: {recorded.path}"))
                return
            complaint = check_signatures(body)
            if complaint:
                self._json(400, _error("invalid_request_error", complaint))
                return
            reply = standin.responder(body)
            if reply.status is not None:
                self._json(reply.status, _error(reply.error_type, reply.error_message))
                return
            if body.get("stream"):
                self._stream(body, reply)
            else:
                self._json(200, _message(body, reply))

        def _stream(self, body: dict[str, Any], reply: Reply) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream; charset=utf-8")
            self.send_header("cache-control", "no-cache")
            self.send_header("request-id", f"req_{uuid.uuid4().hex[:24]}")
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            try:
                for n, (name, payload) in enumerate(stream_events(body, reply, standin.chunk_chars)):
                    if reply.error_after is not None and n == reply.error_after:
                        name, payload = "error", _error(reply.error_type, reply.error_message)
                        self._chunk(f"event: {name}\ndata: {json.dumps(payload)}\n\n".encode())
                        break
                    self._chunk(f"event: {name}\ndata: {_json_text(payload)}\n\n".encode())
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _chunk(self, data: bytes) -> None:
            # Two writes cut inside the event (possibly inside a UTF-8 sequence): the reader must reassemble.
            cut = len(data) // 2 if standin.split_writes else len(data)
            for part in (data[:cut], data[cut:]):
                if part:
                    self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                    self.wfile.flush()

    return Handler


@contextlib.contextmanager
def masking_proxy(key: bytes) -> Iterator[tuple[AnthropicStandIn, str]]:
    """The real proxy app (masking key `key`) served on loopback in front of a stand-in that streams in 7-character
    deltas: (the stand-in, the proxy's base URL), what the masking tests send through."""
    from serving.llm_proxy import ProxyConfig, create_app
    from tests.kit.asgi import serve_app

    standin = AnthropicStandIn(chunk_chars=7)
    with standin.serve() as upstream, serve_app(create_app(ProxyConfig(upstream, key))) as url:
        yield standin, url
