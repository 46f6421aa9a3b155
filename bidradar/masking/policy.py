"""Mask, don't refuse: the one policy for every text that leaves, used by the gateway and the proxy alike.

1. The masker's detectors mask what they recognise (validated shapes, context, the secrets catalogue, profile
   secrets in the profile's own text).
2. The independent leak check (`leakcheck.py`) scans the masked text. Whatever it still finds is masked too, as
   a token of the matching type, and counted under `leakcheck:<CLASS>` (the class that caught what the detectors
   missed: that count is the record of a detector gap, and tests/test_masking_policy.py keeps it honest).
3. Only what cannot be masked safely is refused (`MaskingRefused`): a residue the leak check can place only
   approximately (a company secret in an unusual written form) or one that is still there after masking
   (never expected). The error names the value class and where (the part of the request), never the value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from bidradar.masking import detect as d
from bidradar.masking.leakcheck import MaskingLeakError, leak_scan
from bidradar.masking.masker import Masker
from bidradar.masking.repeats import mask_repeats

# What a residue of each leak-check class is masked as.
RESIDUE_KIND = {
    "DIGITS": d.NUMBER,
    "AWSKEYID": d.AWS_ACCESS_KEY,
    "S3BUCKET": d.S3_BUCKET,
    "EMAIL": d.EMAIL,
    "IPV4": d.IPV4,
    "IPV6": d.IPV4,
    "BASE64SECRET": d.AWS_SECRET_KEY,
    "AWSTOKEN": d.AWS_SESSION_TOKEN,
    "AWSHOST": d.AWS_HOST,
    "CREDENTIAL": d.CREDENTIAL,
    "PASSPORT": d.PASSPORT,
    "ENCODED": d.ENCODED,
}
RESIDUE_PREFIX = "leakcheck:"
_MAX_ROUNDS = 3


class MaskingRefused(MaskingLeakError):
    """A text holds a value that cannot be masked safely: nothing was sent. Says which class and where."""

    def __init__(self, kind: str, where: str, start: int, end: int, total: int = 1) -> None:
        super().__init__(kind, start, end, total)
        self.where = where
        self.args = (
            f"masking refused: a {kind} value at characters {start}..{end} of {where} cannot be masked safely;"
            " nothing was sent",
        )

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass
class Outgoing:
    """A text ready to leave: masked, leak-checked, with what was masked per entity type and per residue class."""

    text: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def residues(self) -> dict[str, int]:
        return {k.removeprefix(RESIDUE_PREFIX): n for k, n in self.counts.items() if k.startswith(RESIDUE_PREFIX)}


# A profile's secret words are masked only in the profile's own text (issue 24): their tokens are not repeated into
# other parts of the call (public notice text shares the vault).
_NOT_REPEATED = frozenset([d.SECRET])


def mask_outgoing(masker: Masker, text: str, where: str) -> Outgoing:
    """The masked, sealed form of `text` (see the module doc); raises `MaskingRefused`. Every value masked in the
    call so far is masked wherever else it stands in `text` (repeats.py), before and after the leak check."""
    result = masker.mask(text)
    out = Outgoing(result.masked, Counter(det.kind for det in result.detections))
    out.text = mask_repeats(masker, out.text, _NOT_REPEATED)
    before = len(masker.vault)
    out.text = seal(masker, out.text, where, out.counts)
    if len(masker.vault) > before:  # the leak check's residues: values found too
        out.text = mask_repeats(masker, out.text, _NOT_REPEATED)
    return out


def seal(masker: Masker, masked: str, where: str, counts: Counter[str]) -> str:
    """Mask whatever the leak check still finds in an already masked text, or refuse it."""
    variants: Iterable[str] = masker.secret_variants
    for _ in range(_MAX_ROUNDS):
        found = leak_scan(masked, variants)
        if not found:
            return masked
        for kind, start, end in found:
            if kind not in RESIDUE_KIND:  # SECRET: its position is only approximate, so it cannot be cut out
                raise MaskingRefused(kind, where, start, end, len(found))
        # Right to left, merged; the text is joined once (a copy per residue was quadratic: 1 MB with 100 residues).
        spans = _merge_spans([(start, end, kind) for kind, start, end in found])
        pieces: list[str] = []
        rest = len(masked)
        for start, end, kind in reversed(spans):
            # A residue may hold a detector's token (a JWT wrapped over lines: the detector masked its head, the leak
            # check then took `Bearer <token>⏎<signature>`): the vault keeps the original text, not the token, so
            # unmasking, which resolves one level, restores it exactly.
            value = masker.unmask(masked[start:end])
            pieces += (masked[end:rest], masker.token_for(RESIDUE_KIND[kind], value))
            rest = start
            counts[RESIDUE_KIND[kind]] += 1
            counts[RESIDUE_PREFIX + kind] += 1
        pieces.append(masked[:rest])
        masked = "".join(reversed(pieces))
    found = leak_scan(masked, variants)
    if found:
        kind, start, end = found[0]
        raise MaskingRefused(kind, where, start, end, len(found))
    return masked


def _merge_spans(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    spans.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in spans:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, kind))
    return merged
