"""A local stand-in of the Slack Web API (the part bidradar's alerts use), for tests and the demo.

    with SlackStandIn().serve() as base_url:          # http://127.0.0.1:<port>/api/
        client = WebClient(token="xoxb-test", base_url=base_url)

It speaks chat.postMessage (with thread_ts and metadata), conversations.history and conversations.replies (metadata
only with include_all_metadata, as Slack does), conversations.list and auth.test, RECORDS every request, and keeps
the messages per channel, so a test can count the messages of an alert and read their blocks. Faults:
`fail_next(n, mode)` for the next n chat.postMessage calls (optionally only for one channel):
  "429"          HTTP 429 with Retry-After (nothing posted)
  "500"          HTTP 500 (nothing posted)
  "timeout"      the message IS posted, then the answer comes too late (the client times out): the ambiguous case
  "lost"         nothing posted and no answer in time
  an error code  {"ok": false, "error": code}: channel_not_found, not_in_channel, invalid_auth, ...
`channel_errors[name] = code` makes every post to that channel fail with the code.

Demo (prints every message it receives, as text):
    python -m tests.kit.slack --port 8091
    SLACK_API_URL=http://127.0.0.1:8091/api/ SLACK_BOT_TOKEN=xoxb-demo bidradar alerts-drain
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.kit.http import serve_http


@dataclass(frozen=True)
class RecordedCall:
    method: str
    params: dict[str, Any]
    token: str | None
    at: float  # time.monotonic() when received


@dataclass
class Message:
    channel: str  # id
    ts: str
    text: str
    blocks: list[dict]
    metadata: dict | None
    thread_ts: str | None

    @property
    def alert_key(self) -> str | None:
        return ((self.metadata or {}).get("event_payload") or {}).get("alert_key")

    def as_slack(self, with_metadata: bool) -> dict:
        out: dict[str, Any] = {"type": "message", "ts": self.ts, "text": self.text, "blocks": self.blocks}
        if self.thread_ts:
            out["thread_ts"] = self.thread_ts
        if with_metadata and self.metadata:
            out["metadata"] = self.metadata
        return out


@dataclass
class _Fault:
    mode: str
    channel: str | None


@dataclass
class SlackStandIn:
    token: str | None = "xoxb-test"
    retry_after: int = 1
    late_answer_s: float = 2.5  # "timeout": longer than the client's timeout
    on_message: Callable[[Message], None] | None = None
    calls: list[RecordedCall] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    channel_errors: dict[str, str] = field(default_factory=dict)
    _faults: list[_Fault] = field(default_factory=list)
    _channels: dict[str, str] = field(default_factory=dict)  # "#name" -> id
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # -- control and inspection ---------------------------------------------------------------------------------

    def fail_next(self, n: int, mode: str, channel: str | None = None) -> None:
        with self._lock:
            self._faults.extend(_Fault(mode, channel) for _ in range(n))

    def channel_id(self, name: str) -> str:
        with self._lock:
            return self._channel_id(name)

    def _channel_id(self, name: str) -> str:
        if not name.startswith("#"):
            return name
        return self._channels.setdefault(name, f"C{len(self._channels) + 1:010d}")

    def messages_of(self, alert_key: str) -> list[Message]:
        return [m for m in self.messages if m.alert_key == alert_key]

    def posts(self) -> list[RecordedCall]:
        return [c for c in self.calls if c.method == "chat.postMessage"]

    # -- the API ----------------------------------------------------------------------------------------------

    def handle(self, method: str, params: dict[str, Any], token: str | None) -> tuple[int, dict, dict[str, str], float]:
        """(status, body, headers, delay before answering)."""
        with self._lock:
            self.calls.append(RecordedCall(method, params, token, time.monotonic()))
            if self.token is not None and token != self.token:
                return 200, {"ok": False, "error": "invalid_auth"}, {}, 0.0
            handler = getattr(self, "_" + method.replace(".", "_"), None)
            if handler is None:
                return 200, {"ok": False, "error": "unknown_method"}, {}, 0.0
            return handler(params)

    def _auth_test(self, params: dict) -> tuple:
        return 200, {"ok": True, "team": "bidradar-test", "user": "bidradar"}, {}, 0.0

    def _chat_postMessage(self, params: dict) -> tuple:
        channel = str(params.get("channel") or "")
        fault = next((f for f in self._faults if f.channel in (None, channel)), None)
        if fault is not None:
            self._faults.remove(fault)
        if not channel:
            return 200, {"ok": False, "error": "channel_not_found"}, {}, 0.0
        if channel in self.channel_errors:
            return 200, {"ok": False, "error": self.channel_errors[channel]}, {}, 0.0
        if fault is not None and fault.mode == "429":
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(self.retry_after)}, 0.0
        if fault is not None and fault.mode == "500":
            return 500, {"ok": False, "error": "internal_error"}, {}, 0.0
        if fault is not None and fault.mode == "lost":
            return 200, {"ok": False, "error": "never_answered"}, {}, self.late_answer_s
        if fault is not None and fault.mode not in ("timeout",):
            return 200, {"ok": False, "error": fault.mode}, {}, 0.0
        if not params.get("text") and not params.get("blocks"):
            return 200, {"ok": False, "error": "no_text"}, {}, 0.0
        blocks = params.get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        metadata = params.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        channel_id = self._channel_id(channel)
        ts = f"{1_800_000_000 + next(self._ts)}.000100"
        message = Message(channel_id, ts, params.get("text") or "", blocks, metadata, params.get("thread_ts"))
        self.messages.append(message)
        if self.on_message:
            self.on_message(message)
        delay = self.late_answer_s if fault is not None and fault.mode == "timeout" else 0.0
        return 200, {"ok": True, "channel": channel_id, "ts": ts, "message": message.as_slack(True)}, {}, delay

    def _page(self, found: list[Message], params: dict, with_metadata: bool) -> tuple:
        limit = int(params.get("limit") or 100)
        start = int(params.get("cursor") or 0)
        page = found[start : start + limit]
        more = start + limit < len(found)
        body = {
            "ok": True,
            "messages": [m.as_slack(with_metadata) for m in page],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }
        return 200, body, {}, 0.0

    def _conversations_history(self, params: dict) -> tuple:
        channel = str(params.get("channel") or "")
        if channel.startswith("#") or channel not in self._channels.values():
            return 200, {"ok": False, "error": "channel_not_found"}, {}, 0.0
        oldest = float(params.get("oldest") or 0)
        found = [m for m in self.messages if m.channel == channel and m.thread_ts is None and float(m.ts) > oldest]
        found.sort(key=lambda m: float(m.ts), reverse=True)  # newest first, as Slack answers
        return self._page(found, params, _truthy(params.get("include_all_metadata")))

    def _conversations_replies(self, params: dict) -> tuple:
        channel, ts = str(params.get("channel") or ""), str(params.get("ts") or "")
        found = [m for m in self.messages if m.channel == channel and (m.ts == ts or m.thread_ts == ts)]
        if not found:
            return 200, {"ok": False, "error": "thread_not_found"}, {}, 0.0
        found.sort(key=lambda m: float(m.ts))  # parent first, then the replies in order
        return self._page(found, params, _truthy(params.get("include_all_metadata")))

    def _conversations_list(self, params: dict) -> tuple:
        channels = [{"id": cid, "name": name[1:], "is_member": True} for name, cid in self._channels.items()]
        return 200, {"ok": True, "channels": channels, "response_metadata": {"next_cursor": ""}}, {}, 0.0

    # -- serving ------------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        with serve_http(_handler_for(self), host, port, "slack-standin") as bound:
            yield f"http://{host}:{bound}/api/"


def _truthy(value: object) -> bool:
    return str(value).lower() in {"1", "true"}


def _handler_for(stand_in: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            return None

        def _params(self) -> dict[str, Any]:
            url = urllib.parse.urlsplit(self.path)
            params: dict[str, Any] = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            kind = self.headers.get("Content-Type", "")
            if body and kind.startswith("application/json"):
                params.update(json.loads(body))
            elif body:
                params.update({k: v[-1] for k, v in urllib.parse.parse_qs(body.decode()).items()})
            return params

        def _serve(self) -> None:
            method = urllib.parse.urlsplit(self.path).path.rsplit("/", 1)[-1]
            params = self._params()
            auth = self.headers.get("Authorization", "")
            token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else params.get("token")
            status, body, headers, delay = stand_in.handle(method, params, token)
            if delay:
                time.sleep(delay)
            data = json.dumps(body).encode() if status != 500 else b"Internal Server Error"
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8" if status != 500 else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the "timeout" fault)

        do_GET = _serve
        do_POST = _serve

    return Handler


def _print_message(message: Message) -> None:
    from bidradar.alerts.slack_blocks import block_lines

    where = f"{message.channel} thread {message.thread_ts}" if message.thread_ts else message.channel
    print(f"\n=== {where} ts={message.ts} alert={message.alert_key}\ntext: {message.text}", flush=True)
    for block in message.blocks:
        for line in block_lines(block):
            print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="A local Slack Web API stand-in that prints what it receives.")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--token", default="", help="the bot token to require; empty accepts any")
    args = parser.parse_args()
    stand_in = SlackStandIn(token=args.token or None, on_message=_print_message)
    with stand_in.serve(port=args.port) as url:
        print(f"Slack stand-in at {url} (set SLACK_API_URL={url}); Ctrl+C stops it", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
