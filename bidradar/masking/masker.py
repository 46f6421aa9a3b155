"""The reversible masker and the leak check that guards every outgoing text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bidradar.masking.detect import Detection, SecretSet, compile_secrets, detect_view, merge_detections
from bidradar.masking.leakcheck import MaskingLeakError, leak_check_text
from bidradar.masking.normalize import normalise
from bidradar.masking.tokens import TokenMaker, Vault, unmask
from bidradar.masking.turns import Told, across, across_reply_lines

__all__ = ["MaskResult", "Masker", "MaskingLeakError", "leak_check"]


@dataclass(frozen=True)
class MaskResult:
    masked: str
    detections: list[Detection]  # spans in the ORIGINAL text

    def counts(self) -> dict[str, int]:
        return dict(Counter(d.kind for d in self.detections))


class Masker:
    """Masks texts for one company. Keep one per call: its vault collects the call's tokens.

    `key` is the company's masking key (HMAC); `secrets` the values the company marked secret (name, CEO,
    address, amounts...), matched in every written form. `detectors` restricts detection to some of
    `bidradar.masking.detect.DETECTORS` (the leak-check test disables one on purpose; None means all). `told`: the
    texts masked before in the call or conversation (turns.py), shared by maskers that share a vault.
    """

    def __init__(
        self,
        key: bytes,
        secrets: Iterable[str] | SecretSet = (),
        vault: Vault | None = None,
        detectors: Iterable[str] | None = None,
        told: Told | None = None,
    ) -> None:
        if not key:
            raise ValueError("a masking key is required")
        self._key = key
        self._make_token = TokenMaker(key)
        self._secrets = compile_secrets(secrets)
        self._detectors = tuple(detectors) if detectors is not None else None
        self.vault = vault if vault is not None else Vault()
        self.told = told if told is not None else Told()
        self._token_cache: dict[tuple[str, str], str] = {}

    def detect(self, text: str) -> list[Detection]:
        found = self._detect(text)
        if "\n" in text and (more := across_reply_lines(self._detect, text)):
            return merge_detections(text, [*found, *more])
        return found

    def _detect(self, text: str) -> list[Detection]:
        return detect_view(normalise(text), self._secrets, self._detectors)

    def mask(self, text: str) -> MaskResult:
        """`text` masked; read after the texts this masker masked before (a value told over several messages)."""
        detections = self.detect(text)
        earlier = list(self.told.texts)
        self.told.add(text)
        if earlier:
            detections = self._across(earlier, text, detections)
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

    def _across(self, earlier: list[str], text: str, detections: list[Detection]) -> list[Detection]:
        """`detections` with the pieces of values that reach into `text` from the earlier texts. The earlier pieces
        went out already: they become values of the vault, masked wherever they stand again (repeats.py)."""
        pieces = across(self._detect, earlier, text)
        if not pieces:
            return detections
        here = len(earlier)
        for piece in pieces:
            if piece.index != here:
                self._token(piece.kind, earlier[piece.index][piece.start : piece.end])
        found = [Detection(p.kind, p.start, p.end) for p in pieces if p.index == here]
        if not found:
            return detections
        return merge_detections(text, [*detections, *found])

    @property
    def secret_variants(self) -> tuple[str, ...]:
        return self._secrets.variants if self._secrets is not None else ()

    def token_for(self, kind: str, value: str) -> str:
        """The token of `value` as type `kind`, recorded in the vault (for what the leak check masks)."""
        return self._token(kind, value)

    def unmask(self, text: str) -> str:
        return unmask(text, self.vault).text

    def leak_check(self, masked: str) -> None:
        """Raise `MaskingLeakError` if `masked` still holds a refused shape or one of this company's secrets."""
        leak_check_text(masked, self._secrets.variants if self._secrets is not None else ())

    def _token(self, kind: str, value: str) -> str:
        token = self._token_cache.get((kind, value))
        if token is None:
            token = self._make_token(kind, value)
            self._token_cache[(kind, value)] = token
        self.vault.add(token, value)
        return token


def leak_check(text: str, secrets: SecretSet | Iterable[str] | None = None) -> None:
    """The independent second line (`leakcheck.py`) on an outgoing text; tokens themselves are ignored."""
    compiled = compile_secrets(secrets)
    leak_check_text(text, compiled.variants if compiled is not None else ())
