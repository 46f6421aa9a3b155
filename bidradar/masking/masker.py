"""The reversible masker and the leak check that guards every outgoing text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bidradar.masking.detect import Detection, compile_secrets, detect
from bidradar.masking.tokens import Vault, make_token, unmask


class MaskingLeakError(RuntimeError):
    """A text about to be sent still contains a detectable value. Nothing was sent.

    The message names the entity type and position only, never the value, so it is safe to log.
    """

    def __init__(self, kind: str, start: int, end: int, total: int = 1) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.total = total
        more = f" (and {total - 1} more)" if total > 1 else ""
        super().__init__(
            f"masking leak: a {kind} value remains at characters {start}..{end} of the outgoing text{more};"
            " the call was refused and nothing was sent"
        )


@dataclass(frozen=True)
class MaskResult:
    masked: str
    detections: list[Detection]  # spans in the ORIGINAL text

    def counts(self) -> dict[str, int]:
        return dict(Counter(d.kind for d in self.detections))


class Masker:
    """Masks texts for one company. Keep one per call: its vault collects the call's tokens.

    `key` is the company's masking key (HMAC); `secrets` the values the company marked secret (name, CEO,
    address, amounts...), matched case-insensitively with any whitespace between their words.
    """

    def __init__(self, key: bytes, secrets: Iterable[str] = (), vault: Vault | None = None) -> None:
        if not key:
            raise ValueError("a masking key is required")
        self._key = key
        self._secret_re: re.Pattern[str] | None = compile_secrets(secrets)
        self.vault = vault if vault is not None else Vault()
        self._token_cache: dict[tuple[str, str], str] = {}

    def detect(self, text: str) -> list[Detection]:
        return detect(text, self._secret_re)

    def mask(self, text: str) -> MaskResult:
        detections = self.detect(text)
        if not detections:
            return MaskResult(text, detections)
        parts: list[str] = []
        pos = 0
        for d in detections:
            value = text[d.start : d.end]
            parts.append(text[pos : d.start])
            parts.append(self._token(d.kind, value))
            pos = d.end
        parts.append(text[pos:])
        return MaskResult("".join(parts), detections)

    def unmask(self, text: str) -> str:
        return unmask(text, self.vault).text

    def leak_check(self, masked: str) -> None:
        """Raise `MaskingLeakError` if `masked` still holds anything the detector (or a secret) matches."""
        leak_check(masked, self._secret_re)

    def _token(self, kind: str, value: str) -> str:
        token = self._token_cache.get((kind, value))
        if token is None:
            token = make_token(self._key, kind, value)
            self._token_cache[(kind, value)] = token
        self.vault.add(token, value)
        return token


def leak_check(text: str, secrets: re.Pattern[str] | Iterable[str] | None = None) -> None:
    """Scan an outgoing text again; any detection refuses the call (tokens themselves are ignored)."""
    secret_re = secrets if isinstance(secrets, re.Pattern) or secrets is None else compile_secrets(secrets)
    found = detect(text, secret_re)
    if found:
        first = found[0]
        raise MaskingLeakError(first.kind, first.start, first.end, len(found))
