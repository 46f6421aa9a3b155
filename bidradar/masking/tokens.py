"""Tokens, the per-call vault, and unmasking (whole texts and streamed chunks).

A token is `MASK_<TYPE>_<16 uppercase hex>`, the hex being an HMAC-SHA256 of the type and the exact value
under the company's key: the same value gets the same token in every call (the model can refer to it
across calls) while nobody without the key can test a guess against a token. Tokens are plain ASCII
letters, digits and underscores: safe in JSON, in Markdown tables and in code blocks.

Models do not always copy tokens verbatim, so unmasking accepts any letter case, `-` instead of `_`,
Markdown-escaped underscores (`MASK\\_RRN\\_...`) and whatever brackets or quotes the model put around
the token (those characters are left in place; only the token itself is replaced).
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass, field

from bidradar.masking.detect import ENTITY_TYPES, TOKEN_HEX_LEN, TOKEN_PREFIX

_TYPES_ALT = "|".join(sorted(ENTITY_TYPES, key=len, reverse=True))
_LOOSE_SEP = r"(?:\\?_|-)"
# What a model may write for a token; group 1 is the type, group 2 the hex.
_LOOSE_TOKEN_RE = re.compile(
    rf"{TOKEN_PREFIX}{_LOOSE_SEP}({_TYPES_ALT}){_LOOSE_SEP}([0-9A-F]{{{TOKEN_HEX_LEN}}})", re.IGNORECASE
)
# A tail that may still grow into a token: held back by the streaming unmasker. Anchored at the end.
_MAX_TYPE_LEN = max(len(t) for t in ENTITY_TYPES)
_PARTIAL_SEP = r"(?:\\|\\_|_|-)"
_PARTIAL_TOKEN_RE = re.compile(
    rf"M(?:A(?:S(?:K(?:{_PARTIAL_SEP}(?:[A-Z0-9]{{1,{_MAX_TYPE_LEN}}}"
    rf"(?:{_PARTIAL_SEP}[0-9A-F]{{0,{TOKEN_HEX_LEN - 1}}})?)?)?)?)?)?\Z",
    re.IGNORECASE,
)
_MAX_TOKEN_LEN = len(TOKEN_PREFIX) + 2 + _MAX_TYPE_LEN + 2 + TOKEN_HEX_LEN


def make_token(key: bytes, kind: str, value: str) -> str:
    """The token of `value` of type `kind` under `key` (deterministic, keyed)."""
    return TokenMaker(key)(kind, value)


class TokenMaker:
    """`make_token` for one key, many values: the keyed HMAC state is set up once and copied per value (about
    half the time of a one-shot hmac.digest, which pads and hashes the key every time). The same HMAC-SHA256."""

    def __init__(self, key: bytes) -> None:
        self._keyed = hmac.new(key, digestmod="sha256")

    def __call__(self, kind: str, value: str) -> str:
        mac = self._keyed.copy()
        mac.update(f"{kind}\x00{value}".encode())
        return f"{TOKEN_PREFIX}_{kind}_{mac.digest()[: TOKEN_HEX_LEN // 2].hex().upper()}"


class TokenCollisionError(RuntimeError):
    """Two different values of one call got the same token (odds about 2^-64; never expected)."""


@dataclass
class Vault:
    """Token -> original value for one call. Shared by the prompt, the system instruction and the answer."""

    values: dict[str, str] = field(default_factory=dict)

    def add(self, token: str, value: str) -> None:
        known = self.values.setdefault(token, value)
        if known != value:
            raise TokenCollisionError(f"token collision on {token.split('_')[1]} values")

    def __len__(self) -> int:
        return len(self.values)

    def __contains__(self, token: object) -> bool:
        return token in self.values


@dataclass(frozen=True)
class UnmaskResult:
    text: str
    restored: int
    unknown: int  # token-shaped strings that are not in this call's vault, left as they were


def unmask(text: str, vault: Vault) -> UnmaskResult:
    """Replace every token of `vault` in `text` by its value; unknown tokens stay and are counted."""
    restored = 0
    unknown = 0

    def replace(m: re.Match[str]) -> str:
        nonlocal restored, unknown
        value = vault.values.get(m.group())  # the token as the masker wrote it (the common case)
        if value is None:
            value = vault.values.get(f"{TOKEN_PREFIX}_{m.group(1).upper()}_{m.group(2).upper()}")
        if value is None:
            unknown += 1
            return m.group(0)
        restored += 1
        return value

    out = _LOOSE_TOKEN_RE.sub(replace, text) if "_" in text or "-" in text else text
    return UnmaskResult(out, restored, unknown)


def partial_token_start(text: str) -> int:
    """Index where a possibly incomplete token at the end of `text` begins, or len(text) if none."""
    m = _PARTIAL_TOKEN_RE.search(text, max(0, len(text) - _MAX_TOKEN_LEN))
    return m.start() if m else len(text)


class StreamUnmasker:
    """Unmasks a streamed answer chunk by chunk.

    A token split across chunks (`MASK_RR` + `N_3F9A...`) must not be emitted half-restored, so the tail
    that could still become a token is held back until the next chunk proves it is or is not one. The
    concatenated output is always equal to `unmask(whole answer)`.
    """

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._pending = ""
        self.restored = 0
        self.unknown = 0

    def feed(self, chunk: str) -> str:
        buffer = self._pending + chunk
        cut = partial_token_start(buffer)
        self._pending = buffer[cut:]
        return self._emit(buffer[:cut])

    def flush(self) -> str:
        rest, self._pending = self._pending, ""
        return self._emit(rest)

    def _emit(self, text: str) -> str:
        if not text:
            return ""
        result = unmask(text, self._vault)
        self.restored += result.restored
        self.unknown += result.unknown
        return result.text
