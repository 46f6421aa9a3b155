"""Masking of an Anthropic Messages request: every text the client sends, before it leaves.

The walk covers `system`, `messages` and `tools`: text blocks, tool results (string or blocks), tool-use
inputs in the history (every string value, at any depth), documents (plain-text sources, titles, context),
search results, citations, and the thinking text of earlier turns. Structural fields (`type`, ids, tool
names, `signature`, `media_type`, `cache_control`) and opaque data (`redacted_thinking`) are left as they are.

Tokens are deterministic (an HMAC of the value under the proxy's key), so the history of a conversation masks
to the same bytes on every turn, and the vault needed to unmask the answer is rebuilt from the request alone.
The masker leaves tokens alone, so thinking text (which the model wrote in tokens, see docs/llm-proxy.md)
comes back byte for byte and its signature stays valid.

Any failure refuses the request: `RequestRefused` names the cause and the place (a JSON path), never a value.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bidradar.masking import Masker, MaskingLeakError, Vault, make_token

# Keys whose values are structure, not text the user wrote.
_STRUCTURAL_KEYS = frozenset(
    {"type", "id", "tool_use_id", "name", "signature", "media_type", "cache_control", "role", "file_id"}
)
_MASKED_TOP_LEVEL = ("system", "messages", "tools")
_MAX_LEAK_FIXES = 200


class RequestRefused(Exception):
    """The request cannot be masked safely; nothing was sent. The message is safe to show and to log."""

    def __init__(self, cause: str, message: str) -> None:
        self.cause = cause  # a short label for metrics: leak, binary, malformed, masker_error
        super().__init__(message)


@dataclass
class MaskedRequest:
    body: dict[str, Any]
    masker: Masker
    counts: Counter[str] = field(default_factory=Counter)
    strings: int = 0
    mask_seconds: float = 0.0

    @property
    def masked_values(self) -> int:
        return sum(self.counts.values())


def mask_request(body: Any, key: bytes, *, allow_binary: bool = False) -> MaskedRequest:
    """A masked copy of the request body; raises `RequestRefused` if any part cannot be masked."""
    started = time.perf_counter()
    if not isinstance(body, dict):
        raise RequestRefused("malformed", "the request body is not a JSON object")
    result = MaskedRequest(body={}, masker=Masker(key))
    walker = _Walker(result, allow_binary, key)
    out = dict(body)
    for name in _MASKED_TOP_LEVEL:
        if name in body:
            out[name] = walker.value(body[name], name)
    # Second pass: a value detected anywhere in the request is masked everywhere in it, also where the detector
    # alone would not see it (a bare account number in a tool's output, a value the client got back unmasked in
    # an earlier answer). Same value, same token: the history stays byte-identical from turn to turn. Then every
    # string, as it will be sent, goes through the leak check.
    walker.checking = True
    walker.known = _known_values_regex(result.masker.vault)
    walker.by_value = {value: token for token, value in result.masker.vault.values.items()}
    for name in _MASKED_TOP_LEVEL:
        if name in out:
            out[name] = walker.value(out[name], name)
    result.body = out
    result.mask_seconds = time.perf_counter() - started
    return result


def _known_values_regex(vault: Vault) -> re.Pattern[str] | None:
    values = sorted(set(vault.values.values()), key=len, reverse=True)
    if not values:
        return None
    alternatives = "|".join(re.escape(v) for v in values)
    # Not inside a longer word or number, nor inside a token (tokens are letters, digits and underscores).
    return re.compile(rf"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])")


class _Walker:
    def __init__(self, result: MaskedRequest, allow_binary: bool, key: bytes) -> None:
        self.key = key
        self.result = result
        self.masker = result.masker
        self.allow_binary = allow_binary

    checking = False
    known: re.Pattern[str] | None = None
    by_value: dict[str, str]

    def text(self, text: str, path: str) -> str:
        if self.checking:
            return self.known_values_and_leak_check(text, path)
        self.result.strings += 1
        try:
            masked = self.masker.mask(text)
        except Exception as error:  # a masker bug must not let the text through unmasked
            raise RequestRefused(
                "masker_error", f"the masker failed on the text at {path} ({type(error).__name__})"
            ) from None
        if masked.detections:
            self.result.counts.update(d.kind for d in masked.detections)
        return masked.masked

    def known_values_and_leak_check(self, text: str, path: str) -> str:
        kinds: list[str] = []

        def replace(match: re.Match[str]) -> str:
            token = self.by_value[match.group(0)]
            kinds.append(token.split("_")[1])
            return token

        masked = self.known.sub(replace, text) if self.known is not None else text
        # The leak check may be stricter than the detectors (it refuses whole shapes, such as long digit runs):
        # what it finds is masked too, as a SECRET token (restorable like any other), rather than refusing
        # Claude Code's own prompt for a model id or a JSON schema's largest integer. Refused only if that
        # does not converge.
        for _ in range(_MAX_LEAK_FIXES):
            try:
                self.masker.leak_check(masked)
                break
            except MaskingLeakError as error:
                if not 0 <= error.start < error.end <= len(masked):
                    raise RequestRefused("leak", f"{error} (at {path})") from None
                value = masked[error.start : error.end]
                token = make_token(self.key, "SECRET", value)
                self.masker.vault.add(token, value)
                masked = masked[: error.start] + token + masked[error.end :]
                kinds.append(error.kind)
            except Exception as error:
                raise RequestRefused(
                    "masker_error", f"the leak check failed on the text at {path} ({type(error).__name__})"
                ) from None
        else:
            raise RequestRefused("leak", f"the text at {path} still held values after {_MAX_LEAK_FIXES} fixes")
        self.result.counts.update(kinds)
        return masked

    def value(self, value: Any, path: str) -> Any:
        if isinstance(value, str):
            return self.text(value, path) if value else value
        if isinstance(value, list):
            return [self.value(item, f"{path}[{i}]") for i, item in enumerate(value)]
        if isinstance(value, dict):
            return self.block(value, path)
        return value  # numbers, booleans, null

    def block(self, block: dict[str, Any], path: str) -> dict[str, Any]:
        kind = block.get("type")
        if kind == "redacted_thinking":
            return block  # encrypted by Anthropic: nothing readable to mask
        source = block.get("source")
        if isinstance(source, dict) and source.get("type") == "base64":
            media_type = str(source.get("media_type", ""))
            if not self.allow_binary:
                raise RequestRefused(
                    "binary",
                    f"the {kind or 'content'} block at {path} is binary ({media_type or 'base64'}), which the proxy"
                    " cannot mask; set LLM_PROXY_ALLOW_BINARY=true to let such blocks through unmasked",
                )
        out: dict[str, Any] = {}
        for key, item in block.items():
            if key in _STRUCTURAL_KEYS and not isinstance(item, dict | list):
                out[key] = item
            elif key == "source" and isinstance(item, dict):
                out[key] = self.source(item, f"{path}.source")
            else:
                out[key] = self.value(item, f"{path}.{key}")
        return out

    def source(self, source: dict[str, Any], path: str) -> dict[str, Any]:
        if source.get("type") == "base64":
            return source  # binary (allowed above): passed through as it is
        return {
            key: (self.value(item, f"{path}.{key}") if key not in _STRUCTURAL_KEYS else item)
            for key, item in source.items()
        }
