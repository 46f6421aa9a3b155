"""Masking of an Anthropic Messages request: the whole body, every string value and every object key.

Nothing is structure by its key alone. The walk covers every field of the request (`model`, `system`, `messages`,
`tools`, `metadata`, `stop_sequences`, `mcp_servers`, `container`, `output_format`, `tool_choice`, fields this code
does not know ...) and every string goes through the masking policy (`bidradar.masking.policy`: detectors, secrets
catalogue, the leak check's residues masked too), object keys included. Exceptions, each validated:

- enumerated fields of the Messages API (`type`, `role`, `media_type`, `service_tier`, `ttl`, ...) keep a value
  the API defines (a `type` of "text" stays "text"); any other value is replaced by a token as a whole;
- opaque values Anthropic itself issued, kept only when they have its shape: `signature` (base64), the `data` of
  `redacted_thinking`, ids (`toolu_...`, `srvtoolu_...`, `file_...`, `msg_...`), base64 `source.data` when binary
  blocks are allowed; a value without that shape is masked like text; a base64 `text/*` source in UTF-8 is a text
  file: decoded, masked as text and encoded again;
- strings are also read in their structural context (`context.py`: JSON keys, name/value siblings, command-line
  arrays, schema properties, adjacent text blocks);
- `model` is kept when it has the shape of a model id and the masker finds nothing in it, else tokenised whole;
- `metadata.user_id` and `mcp_servers[].authorization_token` are always tokenised whole (an identity and a
  credential: Anthropic sees a stable pseudonym, never the value).

Tokens are deterministic (an HMAC of the value under the proxy's key), so the history of a conversation masks to
the same bytes on every turn, and the vault needed to unmask the answer is rebuilt from the request alone.

Numbers are kept exactly as written (`-0`, `1.10`, `1e5`); a non-finite number (`NaN`, `Infinity`, `1E400`) is a
400. Any failure refuses the request: `RequestRefused` names the cause and the place (a JSON path), never a value.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets as random_secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bidradar.masking import Masker, MaskingLeakError, Vault
from bidradar.masking import detect as d
from bidradar.masking.policy import RESIDUE_PREFIX, seal
from bidradar.masking.repeats import KnownValues, add_secret_parts
from serving.llm_proxy.context import ContextSpans, Place, Span, context_spans, identifier_number
from serving.llm_proxy.memory import RememberedValues

_MAX_DEPTH = 200

# Enumerated fields: the values the Messages API defines. `type` also takes versioned tool and edit types.
_BLOCK_TYPES = frozenset(
    [
        "text",
        "image",
        "document",
        "tool_use",
        "tool_result",
        "thinking",
        "redacted_thinking",
        "server_tool_use",
        "mcp_tool_use",
        "mcp_tool_result",
        "web_search_tool_result",
        "web_fetch_tool_result",
        "code_execution_tool_result",
        "search_result",
        "bash_code_execution_tool_result",
        "text_editor_code_execution_tool_result",
        "tool_search_tool_result",
        "container_upload",
        "web_search_result",
        "web_fetch_result",
        "code_execution_result",
        "bash_code_execution_result",
        "tool_reference",
        "text_editor_code_execution_result",
        "web_search_tool_result_error",
        "web_fetch_tool_error",
        "code_execution_tool_result_error",
        "base64",
        "url",
        "file",
        "content",
        "text_plain",
        "char_location",
        "page_location",
        "content_block_location",
        "search_result_location",
        "web_search_result_location",
        "ephemeral",
        "adaptive",
        "enabled",
        "disabled",
        "auto",
        "any",
        "tool",
        "none",
        "custom",
        "anthropic",  # a skill of Anthropic's (container.skills[].type), beside "custom"
        "json_schema",
        "url_mcp",
        "object",
        "string",
        "integer",
        "number",
        "boolean",
        "array",
        "null",
    ]
)
# The versioned types of Anthropic's own tools (`bash_20250124`, `text_editor_20250728`, `web_search_20250305`...):
# a known tool name and a date. Any other `…_20250101` is not the API's value (a name with a date in it) and is
# masked, so a tool type Anthropic adds later is masked until it is listed here (upstream then says which type it
# does not know; nothing leaves unmasked).
_VERSIONED_TYPE = re.compile(
    r"(?:bash|computer|text_editor|str_replace_editor|str_replace_based_edit_tool|web_search|web_fetch"
    r"|code_execution|memory|tool_search_tool_regex|tool_search_tool_bm25|mcp_toolset|clear_tool_uses"
    r"|clear_thinking|tool_search)_20[0-9]{6}\Z"
)
_ENUMS: dict[str, frozenset[str]] = {
    "role": frozenset({"user", "assistant", "system"}),
    "service_tier": frozenset({"auto", "standard_only"}),
    "ttl": frozenset({"5m", "1h"}),
    "effort": frozenset({"low", "medium", "high", "max"}),
}
_MEDIA_TYPE = re.compile(
    r"(?:image|application|text|audio|video)/[a-z0-9.+-]{1,60}(?:;[ \t]?charset=\"?[A-Za-z0-9_.:-]{1,40}\"?)?\Z"
)
_CHARSET = re.compile(r"charset=\"?([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
# What a text file without a declared charset is read as, in order: a BOM says UTF-8 or UTF-16; Korean Excel and
# Windows tools write CP949 (a superset of EUC-KR).
_FALLBACK_ENCODINGS = ("utf-8", "cp949")
# A model id as Anthropic names them (`claude-sonnet-4-5`, `claude-sonnet-4-5-20250929`, `claude-3-5-sonnet-latest`,
# `claude-3-5-sonnet-v2@20241022` on Vertex, `claude-2.1`, `claude-instant-1.2`): a family, a version, a date or
# `latest`. Anything else in `model` (`claude-kim-minsu`) is tokenised whole: a new naming scheme is masked until
# it is added here (upstream then answers "model not found" with the token, never the value).
_FAMILY = r"(?:opus|sonnet|haiku|instant)"
MODEL_ID = re.compile(
    rf"claude-(?:{_FAMILY}-)?[0-9]{{1,2}}(?:[.-][0-9]{{1,2}})?(?:-{_FAMILY})?(?:-v[0-9])?(?:-(?:latest|20[0-9]{{6}}))?"
    r"(?:@20[0-9]{6})?"
)
_MODEL = re.compile(MODEL_ID.pattern + r"\Z")
# The ids Anthropic issues: a prefix and base62 (`toolu_01T1x1fJ34qAmk2tNTrN7Up6`; `toolu_vrtx_…` on Vertex). An id
# of any other shape (one another client made up, or a value in its place) is tokenised whole: `tool_use.id` and
# `tool_result.tool_use_id` get the same token, so they still pair.
_ID = re.compile(r"(?:toolu|srvtoolu|mcptoolu|msg|file|container|cntr)_(?:vrtx_|bdrk_)?[A-Za-z0-9]{8,100}\Z")
# Fields holding a value Anthropic issued, with the least length of its shape (a citation's index is 60-odd bytes).
_OPAQUE_MIN_LENGTH = {"signature": 100, "encrypted_content": 100, "encrypted_index": 40}
_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}\Z")  # standard base64: no provider token prefix fits
_ID_KEYS = frozenset({"id", "tool_use_id", "file_id"})
_ALWAYS_TOKENISED = frozenset({"user_id", "authorization_token"})
_MODEL_KIND = d.SECRET


def anthropic_opaque(value: str, min_length: int = 100) -> bool:
    """Whether `value` has the shape of a value Anthropic issued and only Anthropic reads (a thinking block's
    `signature`, a `redacted_thinking` block's `data`, a search result's `encrypted_content`): standard base64, padded
    or not, of at least `min_length` characters that decodes to binary bytes. A key, a password or a base64-encoded text in that place is not kept: an API key is shorter, a
    text decodes to printable characters, a DER key starts with its SEQUENCE header."""
    if len(value) < min_length or not _BASE64.match(value):
        return False
    try:  # unpadded too: a protobuf blob's base64 may end without its `=`
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    if raw[:2] in (b"\x30\x82", b"\x30\x81"):  # a DER structure: a private key's body
        return False
    printable = sum(1 for b in raw if 32 <= b < 127 or b in (9, 10, 13))
    return printable < 0.85 * len(raw)


class RequestRefused(Exception):
    """The request cannot be masked safely; nothing was sent. The message is safe to show and to log."""

    def __init__(self, cause: str, message: str) -> None:
        self.cause = cause  # a short label for metrics: leak, binary, malformed, non_finite, masker_error
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:  # raised in a worker process, re-raised in the app
        return (RequestRefused, (self.cause, str(self)))


@dataclass
class MaskedRequest:
    body: dict[str, Any]
    masker: Masker
    content: bytes = b""  # the masked body as it is sent upstream (numbers as the client wrote them)
    counts: Counter[str] = field(default_factory=Counter)
    strings: int = 0
    mask_seconds: float = 0.0
    model: str | None = None  # the model id when it has a model id's shape (for the audit), else None
    stream: bool = False  # the client asked for a streamed answer

    @property
    def masked_values(self) -> int:
        return sum(n for k, n in self.counts.items() if not k.startswith(RESIDUE_PREFIX))


# --- JSON with numbers kept as written ---------------------------------------------------------------------------


class RawNumber:
    """A JSON number as the client wrote it (`-0`, `1.10`, `1e5` survive the round trip)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RawNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


class NonFiniteNumber(ValueError):
    pass


def _float(text: str) -> RawNumber:
    if not _finite(float(text)):
        raise NonFiniteNumber(text[:20])
    return RawNumber(text)


def _int(text: str) -> int | RawNumber:
    return RawNumber(text) if text.startswith("-0") else int(text)


def _finite(value: float) -> bool:
    return value - value == 0.0


def _constant(name: str) -> Any:
    raise NonFiniteNumber(name)


def parse_body(raw: bytes) -> Any:
    """The request body; raises `RequestRefused` for invalid JSON and for non-finite numbers."""
    try:
        return json.loads(raw, parse_float=_float, parse_int=_int, parse_constant=_constant)
    except NonFiniteNumber as error:
        raise RequestRefused(
            "non_finite",
            f"the request body holds a non-finite number ({error}); JSON numbers must be finite",
        ) from None
    except (ValueError, RecursionError):
        raise RequestRefused("malformed", "the request body is not valid JSON") from None


def dump_body(body: Any) -> bytes:
    """The body as JSON, every `RawNumber` written exactly as it was read."""
    nonce = random_secrets.token_hex(8)
    numbers: dict[str, str] = {}

    def default(value: Any) -> str:
        if isinstance(value, RawNumber):
            marker = f"\ue000{nonce}:{len(numbers)}\ue001"
            numbers[marker] = value.text
            return marker
        raise TypeError(type(value).__name__)

    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=default)
    if numbers:
        text = re.sub(f'"\ue000{nonce}:[0-9]+\ue001"', lambda m: numbers[m.group()[1:-1]], text)
    return json_utf8(text)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_utf8(text: str) -> bytes:
    """JSON text (or SSE lines of JSON) as UTF-8. A lone surrogate (a request may carry "\\ud800") can only stand
    inside a JSON string and UTF-8 cannot carry it: it is written back as the escape it came as."""
    if not text.isascii():
        text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text.encode()


# --- the walk ----------------------------------------------------------------------------------------------------


def mask_request(
    body: Any, key: bytes, *, allow_binary: bool = False, remembered: RememberedValues | None = None
) -> MaskedRequest:
    """A masked copy of the request body (and its bytes); raises `RequestRefused` if any part cannot be masked.

    `remembered`: values masked by context in earlier requests (memory.py), masked wherever they appear here."""
    started = time.perf_counter()
    if isinstance(body, bytes | bytearray):
        body = parse_body(bytes(body))
    if not isinstance(body, dict):
        raise RequestRefused("malformed", "the request body is not a JSON object")
    result = MaskedRequest(body={}, masker=Masker(key))
    walker = _Walker(result, allow_binary, context_spans(body, result.masker), remembered)
    out = walker.api(body, "$", 0)
    # Second pass over the texts of the first: a value detected anywhere in the request is masked everywhere in it,
    # also where the detector alone would not see it (a bare account number in a tool's output, a value the client
    # got back unmasked in an earlier answer). Same value, same token: the history stays byte-identical from turn
    # to turn. Then the leak check's residues are masked (policy.seal). Kept values (enumerations, signatures,
    # ids) are not texts and are not touched.
    add_secret_parts(result.masker)
    known = KnownValues(result.masker.vault, masker=result.masker)
    before = len(result.masker.vault)
    walker.seal_all(out, known)
    # What only the leak check found (its residues) is a value found too: masked everywhere in the request.
    later: KnownValues | None = None
    if len(result.masker.vault) > before:
        add_secret_parts(result.masker)
        later = KnownValues(result.masker.vault, masker=result.masker)
    result.body = walker.finish(out, later)
    model = result.body.get("model")
    result.model = model if isinstance(model, str) and model == body.get("model") else None  # kept: a model id
    result.stream = body.get("stream") is True
    result.content = dump_body(result.body)
    result.mask_seconds = time.perf_counter() - started
    return result


def mask_known(vault: Vault) -> Callable[[str], str]:
    """What replaces every value (and secret part) of `vault` in a text by its token: what the request's body
    masked is masked in the query string too. Built once per request (finding all values is not free)."""
    return KnownValues(vault).sub


class _Pending:
    """A text masked by the first pass, waiting for the second (known values, then the leak check)."""

    __slots__ = ("path", "text")

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path


class _Base64Text:
    """The decoded text of a base64 `text/*` source, masked like any text and encoded again (in the same charset)
    when sealed."""

    __slots__ = ("encoding", "text")

    def __init__(self, text: Any, encoding: str) -> None:
        self.text = text
        self.encoding = encoding


def _text_payload(source: dict[str, Any]) -> tuple[str, str] | None:
    """(text, encoding) of a base64 source whose media type is `text/*` and whose bytes decode: by the declared
    charset, else by a BOM, else as UTF-8, else as CP949; None otherwise (then it is binary)."""
    media_type, data = source.get("media_type"), source.get("data")
    if not (isinstance(media_type, str) and media_type.startswith("text/") and isinstance(data, str)):
        return None
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return None
    declared = _CHARSET.search(media_type)
    if declared is not None:
        encodings: tuple[str, ...] = (declared.group(1),)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif raw.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    else:
        encodings = _FALLBACK_ENCODINGS
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
        if "\x00" not in text:  # NUL characters: a binary file, whatever decoded
            return text, encoding
    return None


class _Walker:
    def __init__(
        self,
        result: MaskedRequest,
        allow_binary: bool,
        context: ContextSpans,
        remembered: RememberedValues | None = None,
    ) -> None:
        self.result = result
        self.masker = result.masker
        self.allow_binary = allow_binary
        self.context = context
        self.remembered = remembered

    # -- strings ----------------------------------------------------------------------------------------------

    def text(self, text: str, path: str, place: Place | None = None) -> Any:
        if not text:
            return text
        self.result.strings += 1
        try:
            joined = self.context.joined.get(place) if place is not None else None
            if joined is not None:  # masked with the blocks around it (context.py): its spans are known
                detections = [d.Detection(kind, start, end) for start, end, kind in joined]
            else:
                detections = self.masker.detect(text)
            extra = self.context.extra.get(place) if place is not None else None
            if extra:
                detections = _with_context(detections, extra, text)
            masked = _apply(self.masker, text, detections)
        except Exception as error:  # a masker bug must not let the text through unmasked
            raise RequestRefused(
                "masker_error", f"the masker failed on the text at {path} ({type(error).__name__})"
            ) from None
        self.result.counts.update(det.kind for det in detections)
        return _Pending(masked, path)

    def seal_all(self, value: Any, known: KnownValues) -> None:
        """Each text of the first pass with the known values masked and sealed (the leak check), in place."""
        if isinstance(value, _Pending):
            value.text = self.seal(value, known)
        elif isinstance(value, _Base64Text):
            self.seal_all(value.text, known)
        elif isinstance(value, list):
            for item in value:
                self.seal_all(item, known)
        elif isinstance(value, dict):
            for k, v in value.items():
                self.seal_all(k, known)
                self.seal_all(v, known)

    def finish(self, value: Any, known: KnownValues | None) -> Any:
        """The sealed request: `known`, values found after the first pass (the leak check's), masked once more."""
        if isinstance(value, _Pending):
            return known.sub(value.text, self.count) if known is not None else value.text
        if isinstance(value, _Base64Text):
            text = self.finish(value.text, known)
            return base64.b64encode(text.encode(value.encoding)).decode()
        if isinstance(value, list):
            return [self.finish(item, known) for item in value]
        if isinstance(value, dict):
            return {self.finish(k, known): self.finish(v, known) for k, v in value.items()}
        return value

    def count(self, token: str) -> str:
        self.result.counts[token.split("_")[1]] += 1
        return token

    def seal(self, pending: _Pending, known: KnownValues) -> str:
        counts = self.result.counts
        text = known.sub(pending.text, self.count)
        if self.remembered is not None:
            text = self.recall(text)
        try:
            return seal(self.masker, text, pending.path, counts)
        except MaskingLeakError as error:
            raise RequestRefused("leak", str(error)) from None
        except Exception as error:
            raise RequestRefused(
                "masker_error", f"the leak check failed on the text at {pending.path} ({type(error).__name__})"
            ) from None

    def recall(self, text: str) -> str:
        """Values masked by context in earlier requests, masked here as the same tokens (memory.py)."""
        assert self.remembered is not None
        found = self.remembered.find(text)
        if not found:
            return text
        parts: list[str] = []
        pos = 0
        for start, end, value, kind in found:
            parts.append(text[pos:start])
            parts.append(self.masker.token_for(kind, value))
            self.result.counts[kind] += 1
            pos = end
        parts.append(text[pos:])
        return "".join(parts)

    def whole(self, value: str, path: str, kind: str = d.SECRET) -> str:
        """The value replaced by one token (an identity, a credential, an invalid enumerated value)."""
        self.result.counts[kind] += 1
        return self.masker.token_for(kind, value)

    def key(self, name: Any, path: str) -> Any:
        return self.text(name, f"{path} (a key)") if isinstance(name, str) else name

    # -- API objects: enumerated fields validated, everything else masked ------------------------------------

    def api(self, value: Any, path: str, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            raise RequestRefused("malformed", f"the request nests deeper than {_MAX_DEPTH} levels at {path}")
        if isinstance(value, str):
            return self.text(value, path)
        if isinstance(value, list):
            return [self.api(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
        if not isinstance(value, dict):
            return value  # numbers, booleans, null
        kind = value.get("type")
        data = value.get("data")
        if kind == "redacted_thinking" and isinstance(data, str) and anthropic_opaque(data):
            return {"type": "redacted_thinking", "data": value["data"]}  # encrypted by Anthropic
        source = value.get("source")
        if (
            isinstance(source, dict)
            and source.get("type") == "base64"
            and not self.allow_binary
            and _text_payload(source) is None
        ):
            media_type = str(source.get("media_type", ""))
            raise RequestRefused(
                "binary",
                f"the {kind if kind in _BLOCK_TYPES else 'content'} block at {path} is binary"
                f" ({media_type if _MEDIA_TYPE.match(media_type) else 'base64'}), which the proxy cannot mask;"
                " set LLM_PROXY_ALLOW_BINARY=true to let such blocks through unmasked",
            )
        out: dict[str, Any] = {}
        for name, item in value.items():
            where = f"{path}.{name}"
            out[self.key(name, path)] = self.field(name, item, where, depth, value)
        return out

    def field(self, name: Any, item: Any, where: str, depth: int, parent: dict[str, Any]) -> Any:
        if not isinstance(item, str):
            if name in ("input_schema", "schema") and isinstance(item, dict):
                return self.schema(item, where, depth + 1)
            if name in ("input", "metadata", "content") and not isinstance(item, list | str):
                return self.data(item, where, depth + 1)
            return self.api(item, where, depth + 1)
        if name == "type":
            valid = item in _BLOCK_TYPES or _VERSIONED_TYPE.match(item)
            return item if valid else self.whole(item, where)
        if name in _ENUMS:
            return item if item in _ENUMS[name] else self.whole(item, where)
        if name == "media_type":
            return item if _MEDIA_TYPE.match(item) else self.whole(item, where)
        if name in _ALWAYS_TOKENISED:
            return self.whole(item, where, d.CREDENTIAL if name == "authorization_token" else d.SECRET)
        if name == "model":
            return item if _MODEL.match(item) and not self.masker.detect(item) else self.whole(item, where, _MODEL_KIND)
        if name in _ID_KEYS:
            return item if _ID.match(item) and not self.masker.detect(item) else self.whole(item, where)
        if name in _OPAQUE_MIN_LENGTH or (name == "data" and parent.get("type") == "redacted_thinking"):
            # Anthropic's signature over the (masked) thinking it wrote, its encrypted thinking, a web search
            # result's encrypted page or a citation's index: kept as it is when it has that shape (the masker's
            # random-key rules would read any such value as a key, and the next turn would be refused upstream)
            keep = anthropic_opaque(item, _OPAQUE_MIN_LENGTH.get(name, 100))
            return item if keep else self.whole(item, where)
        if name == "data" and parent.get("type") == "base64":
            payload = _text_payload(parent)
            if payload is not None:  # a text file sent as base64: masked as text, sent as base64 again
                return _Base64Text(self.text(payload[0], f"{where} (decoded)"), payload[1])
            if self.allow_binary:
                return item  # binary, allowed by the setting: passed through as it is
        return self.text(item, where, (id(parent), name))

    # -- user data: tool inputs, metadata, schema values: every key and value masked, no enumerations --------

    def data(self, value: Any, path: str, depth: int, place: Place | None = None) -> Any:
        if depth > _MAX_DEPTH:
            raise RequestRefused("malformed", f"the request nests deeper than {_MAX_DEPTH} levels at {path}")
        if isinstance(value, str):
            return self.text(value, path, place)
        if isinstance(value, list):
            return [self.data(item, f"{path}[{i}]", depth + 1, (id(value), i)) for i, item in enumerate(value)]
        if isinstance(value, dict):
            out = {}
            for name, item in value.items():
                where = f"{path}.{name}"
                if name in _ALWAYS_TOKENISED and isinstance(item, str):
                    out[self.key(name, path)] = self.whole(item, where)
                else:
                    out[self.key(name, path)] = self.data(item, where, depth + 1, (id(value), name))
            return out
        if identifier_number(value):  # an id in a number field: masked as its digits, becoming a token string
            pending = self.text(str(value), path, place)
            return value if pending.text == str(value) else pending
        return value

    # -- JSON schemas (tool input_schema, output_format.schema): `type` validated, the rest masked ------------

    def schema(self, value: Any, path: str, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            raise RequestRefused("malformed", f"the request nests deeper than {_MAX_DEPTH} levels at {path}")
        if isinstance(value, list):
            return [self.schema(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
        if not isinstance(value, dict):
            return self.data(value, path, depth)
        out: dict[str, Any] = {}
        for name, item in value.items():
            where = f"{path}.{name}"
            masked_name = self.key(name, path)
            if name == "type" and isinstance(item, str):
                out[masked_name] = item if item in _BLOCK_TYPES else self.whole(item, where)
            elif name in ("properties", "patternProperties", "$defs", "definitions") and isinstance(item, dict):
                out[masked_name] = {
                    self.key(prop, where): self.schema(sub, f"{where}.{prop}", depth + 1) for prop, sub in item.items()
                }
            elif name in ("items", "additionalProperties", "not", "anyOf", "oneOf", "allOf", "prefixItems"):
                out[masked_name] = self.schema(item, where, depth + 1)
            else:  # description, enum, const, default, examples, required, format, pattern, $ref ...
                out[masked_name] = self.data(item, where, depth + 1, (id(value), name))
        return out


def _with_context(detections: list[d.Detection], extra: list[Span], text: str) -> list[d.Detection]:
    """The string's own detections and those its context adds, overlaps merged (sorted, disjoint)."""
    candidates = [*detections, *(d.Detection(kind, start, end) for start, end, kind in extra)]
    return d.merge_detections(text, candidates)


def _apply(masker: Masker, text: str, detections: list[d.Detection]) -> str:
    """`text` with each detected span replaced by its token (as `Masker.mask` does with its own detections)."""
    if not detections:
        return text
    parts: list[str] = []
    pos = 0
    for det in detections:
        parts.append(text[pos : det.start])
        parts.append(masker.token_for(det.kind, text[det.start : det.end]))
        pos = det.end
    parts.append(text[pos:])
    return "".join(parts)
