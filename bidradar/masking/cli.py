"""`bidradar mask`: shows exactly what the gateway would send for a text (the lead wires it into Typer)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bidradar.masking.masker import Masker
from bidradar.masking.policy import mask_outgoing


def mask_command(text: str, secrets: Sequence[str], key: bytes, as_json: bool) -> str:
    """The masked text; with `as_json`, an object with `masked`, `restored` and `detections`.

    `detections` lists type and start/end (positions in the ORIGINAL text), never the value. The text goes
    through the gateway's policy (`mask_outgoing`): what the leak check still finds is masked and counted as
    `leakcheck:<CLASS>` in `counts`, and what cannot be masked safely raises `MaskingRefused`, as in the gateway.
    """
    masker = Masker(key, secrets)
    # detect, not mask: a masker reads each text it masks after the ones it masked before (turns.py), and the
    # same text twice would be read across itself
    detections = masker.detect(text)
    out = mask_outgoing(masker, text, "the text")
    if not as_json:
        return out.text
    payload = {
        "masked": out.text,
        "restored": masker.unmask(out.text),
        "detections": [{"type": d.kind, "start": d.start, "end": d.end} for d in detections],
        "counts": dict(out.counts),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)
