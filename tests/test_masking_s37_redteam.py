"""Stop 37's red team (docs/notes/s37-redteam37.md): the generated corpus of attack-work/s37/corpus.py through the
masking policy, in process (what the gateway sends and `bidradar mask` prints; the runner attack-work/s37/run.py
also drives the gateway with google-genai and the proxy with the anthropic SDK).

A planted value must not go out in any written form, nor once its separators are removed; a refusal is no leak.
A case told in several messages (`extra["turns"]`) is masked message by message with one masker, as a
conversation. An ordinary text must go out unchanged and not be refused. Every case must come back unmasked exactly.
The case ids in KNOWN_GAPS failed when this file was last brought up to date: they are strict xfails, so a fix that
closes one makes the test fail until its id is removed here (`python tests/test_masking_s37_redteam.py` prints the
ids that fail now).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bidradar.masking.masker import Masker
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = bytes.fromhex("37" * 32)
HERE = Path(__file__).resolve().parents[1] / "attack-work" / "s37"


def _corpus() -> ModuleType:
    sys.path.insert(0, str(HERE))  # the corpus imports its neighbour ordinary37
    try:
        spec = importlib.util.spec_from_file_location("s37_redteam_corpus", HERE / "corpus.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(HERE))
    return module


corpus = _corpus()

# Why a case still fails, by class (or `ordinary:<class>`): the reasons of KNOWN_GAPS.
_REASONS = {
    "PASSWORD": "a password in base64 of UTF-16 (powershell -EncodedCommand)",
    "PHONE": "a phone in base64 of UTF-16 (powershell -EncodedCommand)",
    "AWSACCOUNT": "an account id in an ASCII table cell",
    "EMAIL": "an e-mail address split at its @ by Word runs",
    "SECRETWORD": "the company's secret word split by Word runs",
}

KNOWN_GAPS = {
    "awsaccount-orgs_table",
    "email-docx_runs",
    "password-powershell_encoded",
    "phone-utf16_b64",
    "secretword-docx_midword",
    "secretword-docx_runs",
}

ATTACKS = corpus.attacks()
ORDINARY = corpus.ordinary()


def _reason(case: object) -> str:
    cls = getattr(case, "cls", "")
    key = "ordinary:" + cls if getattr(case, "ordinary", False) else cls
    return _REASONS.get(key) or f"{cls} written as {getattr(case, 'form', '')}"


def _params(cases: list) -> list:
    return [
        pytest.param(c, id=c.id, marks=pytest.mark.xfail(strict=True, reason=_reason(c)) if c.id in KNOWN_GAPS else ())
        for c in cases
    ]


def _round_trip(case: object) -> tuple[list[str], list[str], Masker] | None:
    """What goes out for each message of the case, or None when the policy refused (nothing was sent)."""
    masker = Masker(KEY, corpus.SECRETS)
    turns = case.extra.get("turns") or [case.text]  # type: ignore[attr-defined]
    try:
        return turns, [mask_outgoing(masker, t, "the text").text for t in turns], masker
    except MaskingRefused:
        return None


def _fails(case: object) -> bool:
    done = _round_trip(case)
    if done is None:
        return bool(getattr(case, "ordinary", False))
    turns, sent, masker = done
    if [masker.unmask(s) for s in sent] != turns:
        return True
    if getattr(case, "ordinary", False):
        return sent != turns
    return corpus.leaked(case, "\n".join(sent)) is not None


def test_known_gaps_are_cases() -> None:
    ids = {c.id for c in ATTACKS + ORDINARY}
    assert ids >= KNOWN_GAPS, sorted(KNOWN_GAPS - ids)


@pytest.mark.parametrize("case", _params(ATTACKS))
def test_planted_value_does_not_leave(case: object) -> None:
    done = _round_trip(case)
    if done is None:
        return  # refused: nothing was sent
    turns, sent, masker = done
    assert corpus.leaked(case, "\n".join(sent)) is None, sent
    assert [masker.unmask(s) for s in sent] == turns


@pytest.mark.parametrize("case", _params(ORDINARY))
def test_ordinary_text_goes_out_unchanged(case: object) -> None:
    done = _round_trip(case)
    assert done is not None, "an ordinary text was refused"
    turns, sent, _ = done
    assert sent == turns


if __name__ == "__main__":
    print(sorted(c.id for c in ATTACKS + ORDINARY if _fails(c)))
