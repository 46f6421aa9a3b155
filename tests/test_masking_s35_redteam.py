"""Stop 35's red team (docs/notes/s35-redteam.md): the generated corpus of attack-work/s35/corpus.py through the
masking policy, in process (what the gateway sends and `bidradar mask` prints; the runner attack-work/s35/run.py
also drives the gateway with google-genai and the proxy with the anthropic SDK).

A planted value must not go out in any written form, nor once its separators are removed; a refusal is no leak.
An ordinary text must go out unchanged and not be refused. Every case must come back unmasked exactly.
The case ids in KNOWN_GAPS failed when this file was written: they are strict xfails, so a fix that closes one
makes the test fail until its id is removed here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bidradar.masking.masker import Masker
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = bytes.fromhex("35" * 32)


def _corpus() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "attack-work" / "s35" / "corpus.py"
    spec = importlib.util.spec_from_file_location("s35_redteam_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


corpus = _corpus()

# Why each written form leaks (or an ordinary text is damaged), by the case's `form` or class: the reasons of KNOWN_GAPS.
_REASONS = {
    "newline_in_group": "a line break inside a digit group, not at its separator (OCR, narrow columns)",
    "english_words": "digits spelled as English words (a transcript)",
    "quoted_printable": "quoted-printable bytes (=30=31=30=2D...) as in a raw e-mail",
    "js_hex_escape": "JavaScript/Python \\x escapes",
    "md_code_groups": "each digit group in its own Markdown code span",
    "md_bold_groups": "each digit group in Markdown bold",
    "slash_spaced": "groups separated by ' / '",
    "hangul_num": "Hangul numerals with a group of fewer than three syllables",
    "hangul_num_spaced": "Hangul numerals, space-separated, a group of fewer than three syllables",
    "hangul_mixed": "digits and Hangul numerals mixed within one value",
    "hanja_num": "Hanja numerals (〇一二三...)",
    "split": "the groups in separate HTML table cells",
    "spaced4": "a key written in groups of four characters",
    "split_json": "an e-mail address split over JSON strings",
    "wrapped": "an e-mail address wrapped after its @",
    "gender_apart": "a 주민번호 in three fields: birth date, gender digit, the rest",
    "hangul_dot_nospace": "an IPv4 with 점 between octets and no spaces, a particle glued",
    "PASSPORT": "a passport label spaced as OCR prints it (여 권 번 호)",
    "SECRETWORD": "the company's name as base64 of its UTF-8",
    "bucket_suffix": "an AWS account id at the end of a bucket name (cheongun-backup-<account>)",
    "underscore_ip": "an IPv4 with underscores for dots (192_168_49_49)",
    "dot_spaced_ip": "an IPv4 with ' . ' between octets after 아이피",
    "sep": "a separator the digit reader does not know (box drawing, 〜, ⸺, ˗, --, :, |, +, #, 、, →, ...)",
    "chat_config": "a password in the next chat message after its label, or in English prose ('the password ... is X')",
    "told_apart": "an e-mail address told in two parts with words between (kim 뒤에 @naver.com)",
    "english_number_words": "an IPv4 in English number words (ten dot four dot eleven dot nine)",
    "halves_words": "a card's or an account's halves with words between (앞자리 …, 뒷자리 …)",
    "hago_between": "a phone read out with 하고 between its groups",
    "ordinary:land_no": "a building register number (1168096306-1-54568130) masked as NUMBER",
    "ordinary:serial_no": "an equipment serial number in 4-4-4 groups masked as NUMBER",
    "ordinary:digit_grid": "a grid of 4-digit measurements read as card numbers (four groups of four, Luhn by chance)",
    "ordinary:placeholder": "a placeholder or documented test value (000000-0000000, 010-0000-0000, 4242…, RFC 5737)",
    "ordinary:tax_invoice": "an e-tax invoice approval number (yyyymmdd-8-8) masked as NUMBER",
    "ordinary:rnd_project": "an R&D project number (RS-2023-69237052) masked as NUMBER",
    "ordinary:cve_std": "an HS code (NNNN.NN-NNNN) masked as NUMBER",
    "ordinary:patent": "patent, trademark and design numbers (10-2579554, 10-2023-4807267) masked as NUMBER",
    "ordinary:order16": "a courier tracking number in 4-4-4 groups masked as NUMBER",
    "ordinary:doc_no": "a document number (조달청-2023-037664) masked as NUMBER",
    "ordinary:hs_code": "an HS code (NNNN.NN-NNNN) masked as NUMBER",
    "ordinary:md_table": "comma-grouped amounts in Markdown table cells masked as CARD",
}

KNOWN_GAPS = {
    "IP-y067",
    "ORD-placeholder-247",
    "ORD-placeholder-248",
    "ORD-placeholder-249",
    "ORD-placeholder-250",
}

ATTACKS = corpus.attacks()
ORDINARY = corpus.ordinary()


def _reason(case: object) -> str:
    form, cls = getattr(case, "form", ""), getattr(case, "cls", "")
    key = "ordinary:" + cls if getattr(case, "ordinary", False) else form.split(":")[0]
    return _REASONS.get(key) or _REASONS.get(cls) or f"{cls} written as {form}"


def _params(cases: list) -> list:
    return [
        pytest.param(c, id=c.id, marks=pytest.mark.xfail(strict=True, reason=_reason(c)) if c.id in KNOWN_GAPS else ())
        for c in cases
    ]


def test_known_gaps_are_cases() -> None:
    ids = {c.id for c in ATTACKS + ORDINARY}
    assert ids >= KNOWN_GAPS, sorted(KNOWN_GAPS - ids)


@pytest.mark.parametrize("case", _params(ATTACKS))
def test_planted_value_does_not_leave(case: object) -> None:
    masker = Masker(KEY, corpus.SECRETS)
    text = case.text  # type: ignore[attr-defined]
    try:
        sent = mask_outgoing(masker, text, "the text").text
    except MaskingRefused:
        return  # nothing was sent
    assert corpus.leaked(case, sent) is None, sent
    assert masker.unmask(sent) == text


@pytest.mark.parametrize("case", _params(ORDINARY))
def test_ordinary_text_goes_out_unchanged(case: object) -> None:
    text = case.text  # type: ignore[attr-defined]
    assert mask_outgoing(Masker(KEY, corpus.SECRETS), text, "the text").text == text


def test_proxy_keeps_a_certificate_after_a_private_key() -> None:
    """Through the proxy (real app, anthropic SDK): a private key in one request, then a public certificate in the
    next. The certificate alone goes out unchanged; after the key it must too (it is public, and the model needs it)."""
    anthropic = pytest.importorskip("anthropic")
    from tests.kit.anthropic import masking_proxy

    certificate = next(c.text for c in ORDINARY if c.cls == "public_key" and "CERTIFICATE" in c.text)
    private_key = next(c.text for c in ATTACKS if c.cls == "PRIVKEY")
    with masking_proxy(KEY) as (standin, url):
        client = anthropic.Anthropic(api_key="test-key", base_url=url, max_retries=0)
        for text in (private_key, certificate):
            client.messages.create(
                model="claude-sonnet-4-5", max_tokens=5, messages=[{"role": "user", "content": text}]
            )
        assert private_key not in standin.requests[-2].body
        assert standin.requests[-1].json()["messages"][0]["content"] == certificate
