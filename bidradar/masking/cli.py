"""`bidradar mask`: shows exactly what the gateway would send for a text (the lead wires it into Typer)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bidradar.masking.masker import Masker


def mask_command(text: str, secrets: Sequence[str], key: bytes, as_json: bool) -> str:
    """The masked text; with `as_json`, an object with `masked`, `restored` and `detections`.

    `detections` lists type and start/end (positions in the ORIGINAL text), never the value. The leak check
    is run on the masked text, so a leak raises `MaskingLeakError` here exactly as it would in the gateway.
    """
    masker = Masker(key, secrets)
    result = masker.mask(text)
    masker.leak_check(result.masked)
    if not as_json:
        return result.masked
    payload = {
        "masked": result.masked,
        "restored": masker.unmask(result.masked),
        "detections": [{"type": d.kind, "start": d.start, "end": d.end} for d in result.detections],
        "counts": result.counts(),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)
