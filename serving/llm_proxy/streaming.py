"""Unmasking of Anthropic answers: whole JSON messages, and SSE streams event by event, without buffering.

Stream handling, per content block (`index`):
- `text_delta`: through a `StreamUnmasker`, which holds back any suffix that could still grow into a token and
  flushes it (as one more `text_delta`) just before the block's `content_block_stop`;
- `input_json_delta` (the partial JSON of a tool call): buffered to the end of the block, parsed, every string
  value unmasked, and re-emitted as one delta of valid JSON (replacing tokens inside partial JSON would break its
  escaping); a body that does not parse is passed on as the model wrote it (it holds tokens, never values);
- `thinking_delta` and `signature_delta`: passed on untouched. The signature covers the thinking the model wrote,
  which is masked text; the client shows it with tokens and sends it back byte for byte (docs/llm-proxy.md);
- `ping`, `message_start`, `message_delta` (usage), `message_stop`, `error` and any event this code does not
  know: passed on byte for byte.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bidradar.masking import StreamUnmasker, Vault, unmask

_UNTOUCHED_BLOCKS = frozenset({"thinking", "redacted_thinking"})
# Left as the model wrote them. Tool names and ids are unmasked like text: a tool name may have been masked on the
# way out, and only tokens of this request's vault are ever replaced.
_UNTOUCHED_KEYS = frozenset({"type", "signature", "thinking", "data", "media_type"})


@dataclass
class UnmaskStats:
    restored: int = 0
    unknown: int = 0
    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_read_tokens: int | None = None
    model: str | None = None
    stop_reason: str | None = None
    upstream_error: str | None = None  # the `type` of an error event seen mid-stream


def unmask_all(value: Any, vault: Vault, stats: UnmaskStats) -> Any:
    """Every string value in a JSON value unmasked, whatever its key (a tool call's input)."""
    if isinstance(value, str):
        result = unmask(value, vault)
        stats.restored += result.restored
        stats.unknown += result.unknown
        return result.text
    if isinstance(value, list):
        return [unmask_all(item, vault, stats) for item in value]
    if isinstance(value, dict):  # keys too: the proxy masks object keys on the way out
        return {unmask_all(key, vault, stats): unmask_all(item, vault, stats) for key, item in value.items()}
    return value


def unmask_value(value: Any, vault: Vault, stats: UnmaskStats) -> Any:
    """A content block (or any API object) with its text unmasked; structure and thinking left as they are."""
    if isinstance(value, str):
        result = unmask(value, vault)
        stats.restored += result.restored
        stats.unknown += result.unknown
        return result.text
    if isinstance(value, list):
        return [unmask_value(item, vault, stats) for item in value]
    if isinstance(value, dict):
        if value.get("type") in _UNTOUCHED_BLOCKS:
            return value
        return {
            key: item
            if key in _UNTOUCHED_KEYS and isinstance(item, str)
            else unmask_all(item, vault, stats)
            if key == "input"
            else unmask_value(item, vault, stats)
            for key, item in value.items()
        }
    return value


def unmask_message(message: dict[str, Any], vault: Vault, stats: UnmaskStats) -> dict[str, Any]:
    """A non-streamed Messages answer with its content unmasked (thinking blocks stay as the model wrote them)."""
    _read_usage(message.get("usage"), stats)
    stats.model = message.get("model")
    stats.stop_reason = message.get("stop_reason")
    if isinstance(message.get("content"), list):
        message = dict(message)
        message["content"] = [unmask_value(block, vault, stats) for block in message["content"]]
    return message


def _read_usage(usage: Any, stats: UnmaskStats) -> None:
    if not isinstance(usage, dict):
        return
    if isinstance(usage.get("input_tokens"), int):
        stats.input_tokens = usage["input_tokens"]
    if isinstance(usage.get("output_tokens"), int):
        stats.output_tokens = usage["output_tokens"]
    if isinstance(usage.get("cache_read_input_tokens"), int):
        stats.cache_read_tokens = usage["cache_read_input_tokens"]


class SSEDecoder:
    """Bytes from the network -> complete SSE events (their raw text, without the blank line that ends them).

    Chunks may split an event, a line or a UTF-8 sequence anywhere: bytes are decoded incrementally and text is
    kept until the blank line that ends an event arrives.
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._buffer = ""

    def feed(self, chunk: bytes) -> list[str]:
        text = self._decoder.decode(chunk)
        if not text:
            return []
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        self._buffer += text
        if "\n\n" not in self._buffer:
            return []
        *events, self._buffer = self._buffer.split("\n\n")
        return [event for event in events if event.strip()]

    def close(self) -> list[str]:
        rest = self._buffer + self._decoder.decode(b"", final=True)
        self._buffer = ""
        return [rest] if rest.strip() else []


def parse_event(raw: str) -> tuple[str | None, str]:
    """(event name, data) of one raw SSE event; data lines are joined with newlines."""
    name = None
    data: list[str] = []
    for line in raw.split("\n"):
        if line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
        elif line.startswith("event:"):
            name = line[6:].strip()
    return name, "\n".join(data)


def format_event(name: str, payload: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(payload, ensure_ascii=False, separators=(',', ':'))}\n\n"


@dataclass
class _Block:
    kind: str
    text: StreamUnmasker | None = None
    json_parts: list[str] = field(default_factory=list)


class StreamRewriter:
    """Rewrites one SSE answer: feed it raw events, it yields the text to send to the client."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.stats = UnmaskStats()
        self._blocks: dict[int, _Block] = {}

    def event(self, raw: str) -> Iterator[str]:
        name, data = parse_event(raw)
        if name not in ("content_block_start", "content_block_delta", "content_block_stop"):
            if name in ("message_start", "message_delta"):
                self._usage(name, data)
            elif name == "error":
                self.stats.upstream_error = self._error_type(data)
                yield from self.flush_all()
            yield raw + "\n\n"
            return
        try:
            payload = json.loads(data)
            index = payload["index"]
        except (ValueError, KeyError, TypeError):
            yield raw + "\n\n"  # not what the API documents: leave it alone
            return
        if name == "content_block_start":
            yield from self._start(index, payload, raw)
        elif name == "content_block_delta":
            yield from self._delta(index, payload, raw)
        else:
            yield from self._stop(index)
            yield raw + "\n\n"

    def flush_all(self) -> Iterator[str]:
        """Whatever is held back, for every open block (before an error event or at the end of the stream)."""
        for index in list(self._blocks):
            yield from self._stop(index)

    def _start(self, index: int, payload: dict[str, Any], raw: str) -> Iterator[str]:
        block = payload.get("content_block") or {}
        kind = block.get("type", "")
        state = _Block(kind)
        self._blocks[index] = state
        if kind == "text":
            state.text = StreamUnmasker(self.vault)
            if block.get("text"):
                payload = {**payload, "content_block": {**block, "text": ""}}
                yield format_event("content_block_start", payload)
                yield from self._text_delta(index, state, block["text"])
                return
            yield raw + "\n\n"
        elif kind in _UNTOUCHED_BLOCKS or kind == "tool_use" or kind == "server_tool_use" or kind == "mcp_tool_use":
            if kind.endswith("tool_use") and block.get("input"):
                payload = {**payload, "content_block": unmask_value(block, self.vault, self.stats)}
                yield format_event("content_block_start", payload)
                return
            yield raw + "\n\n"
        else:  # server tool results and block types this code does not know: every string unmasked
            yield format_event("content_block_start", unmask_value(payload, self.vault, self.stats))

    def _delta(self, index: int, payload: dict[str, Any], raw: str) -> Iterator[str]:
        delta = payload.get("delta") or {}
        kind = delta.get("type")
        state = self._blocks.get(index)
        if kind == "text_delta" and state is not None and state.text is not None:
            yield from self._text_delta(index, state, delta.get("text", ""))
        elif kind == "input_json_delta" and state is not None:
            state.json_parts.append(delta.get("partial_json", ""))
        elif kind == "citations_delta":
            yield format_event("content_block_delta", unmask_value(payload, self.vault, self.stats))
        else:  # thinking_delta, signature_delta, and deltas this code does not know
            yield raw + "\n\n"

    def _text_delta(self, index: int, state: _Block, text: str) -> Iterator[str]:
        assert state.text is not None
        out = state.text.feed(text)
        if out:
            yield format_event(
                "content_block_delta", {"type": "content_block_delta", "index": index, "delta": _text(out)}
            )

    def _stop(self, index: int) -> Iterator[str]:
        state = self._blocks.pop(index, None)
        if state is None:
            return
        if state.text is not None:
            rest = state.text.flush()
            self.stats.restored += state.text.restored
            self.stats.unknown += state.text.unknown
            if rest:
                yield format_event(
                    "content_block_delta", {"type": "content_block_delta", "index": index, "delta": _text(rest)}
                )
        elif state.json_parts:
            partial = "".join(state.json_parts)
            try:
                value = json.loads(partial) if partial.strip() else {}
            except ValueError:
                rewritten = partial  # invalid JSON from the model: passed on as written (tokens, not values)
            else:
                value = unmask_all(value, self.vault, self.stats)
                rewritten = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            yield format_event(
                "content_block_delta",
                {"type": "content_block_delta", "index": index, "delta": _json(rewritten)},
            )

    def _usage(self, name: str, data: str) -> None:
        try:
            payload = json.loads(data)
        except ValueError:
            return
        if name == "message_start":
            message = payload.get("message") or {}
            self.stats.model = message.get("model")
            _read_usage(message.get("usage"), self.stats)
        else:
            _read_usage(payload.get("usage"), self.stats)
            self.stats.stop_reason = (payload.get("delta") or {}).get("stop_reason") or self.stats.stop_reason

    @staticmethod
    def _error_type(data: str) -> str:
        try:
            return str(json.loads(data)["error"]["type"])
        except (ValueError, KeyError, TypeError):
            return "unknown"


def _text(text: str) -> dict[str, str]:
    return {"type": "text_delta", "text": text}


def _json(partial: str) -> dict[str, str]:
    return {"type": "input_json_delta", "partial_json": partial}
