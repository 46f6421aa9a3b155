"""Tokens, unmasking, streaming, and the planted corpus round trip through the masker alone."""

from __future__ import annotations

import hashlib
import hmac
import json
import random

import pytest

from bidradar.masking import Masker, StreamUnmasker, Vault, make_token, mask_command, unmask
from bidradar.masking import detect as d
from tests.kit.masking_corpus import COMPANY_SECRETS, planted_corpus

KEY = b"company-key-for-tests"


def test_tokens_are_keyed_deterministic_and_plain_ascii() -> None:
    token = make_token(KEY, d.RRN, "900101-1234567")
    assert token == make_token(KEY, d.RRN, "900101-1234567")
    assert token != make_token(b"another company", d.RRN, "900101-1234567")
    assert token.startswith("MASK_RRN_") and len(token.split("_")[2]) == 16
    assert token.replace("_", "").isalnum() and token.isascii()
    assert json.loads(json.dumps(token)) == token
    # HMAC-SHA256 of "<type>\0<value>" under the key, its first 64 bits in upper-case hex; the masker's tokens are
    # the same (it keeps the keyed state and copies it per value).
    expected = hmac.new(KEY, f"{d.RRN}\x00900101-1234567".encode(), hashlib.sha256).hexdigest()[:16].upper()
    assert token == f"MASK_RRN_{expected}"
    masker = Masker(KEY)
    assert masker.mask("주민번호 900101-1234567").masked == f"주민번호 {token}"
    assert masker.token_for(d.EMAIL, "kim@example.com") == make_token(KEY, d.EMAIL, "kim@example.com")


def test_same_value_gets_same_token_across_calls() -> None:
    first = Masker(KEY).mask("전화 010-1234-5678").masked
    second = Masker(KEY).mask("다시 010-1234-5678 로").masked
    assert first.split()[1] == second.split()[1]


def test_planted_corpus_is_fully_masked_and_exactly_restored() -> None:
    docs = planted_corpus()
    planted = [p for doc in docs for p in doc.planted]
    assert len(planted) >= 300
    # The first corpus's documents; session tokens and AWS host names are planted by attack_corpus(), credentials
    # and private keys by tests/test_masking_secrets_corpus.py, cards, passports, licences, health insurance
    # numbers, IBANs and base64 payloads by tests/test_masking_redteam.py, 차량번호 by
    # tests/test_masking_redteam32_mident.py, cloud client ids by tests/test_masking_s33_mident.py; NUMBER is only
    # what the leak check masks.
    unplanted = {d.AWS_SESSION_TOKEN, d.AWS_HOST, d.CREDENTIAL, d.PRIVATE_KEY, d.NUMBER}
    unplanted |= {d.CARD, d.PASSPORT, d.DRIVER_LICENSE, d.HEALTH_INSURANCE, d.IBAN, d.ENCODED, d.VEHICLE, d.CLOUD_ID}
    assert {p.kind for p in planted} == set(d.ENTITY_TYPES) - unplanted
    for doc in docs:
        masker = Masker(KEY, COMPANY_SECRETS)
        masked = masker.mask(doc.text).masked
        leaked = [p for p in doc.planted if p.value in masked]
        assert leaked == []
        masker.leak_check(masked)
        assert masker.unmask(masked) == doc.text


def _vault_with(*values: tuple[str, str]) -> tuple[Vault, list[str]]:
    masker = Masker(KEY)
    tokens = [masker._token(kind, value) for kind, value in values]
    return masker.vault, tokens


def test_unmask_accepts_case_changes_escapes_and_wrappers() -> None:
    vault, (token,) = _vault_with((d.PHONE, "010-1234-5678"))
    variants = [
        token,
        token.lower(),
        token.title(),
        token.replace("_", "\\_"),  # Markdown-escaped
        token.replace("_", "-"),
    ]
    for variant in variants:
        assert unmask(f"call {variant} now", vault).text == "call 010-1234-5678 now"
    assert unmask(f'[{token}] and "{token}" and [[{token}]]', vault).text == (
        '[010-1234-5678] and "010-1234-5678" and [[010-1234-5678]]'
    )


def test_unknown_tokens_are_left_and_counted() -> None:
    vault, (token,) = _vault_with((d.EMAIL, "kim@example.com"))
    foreign = make_token(b"other key", d.EMAIL, "kim@example.com")
    result = unmask(f"{token} {foreign} MASK_RRN_00000000000000FF", vault)
    assert result.text == f"kim@example.com {foreign} MASK_RRN_00000000000000FF"
    assert (result.restored, result.unknown) == (1, 2)


def test_stream_split_at_every_offset_of_a_token() -> None:
    vault, (a, b) = _vault_with((d.RRN, "900101-1234567"), (d.SECRET, "한빛정보통신"))
    text = f"x{a}y {b.lower()}. MASK_ but not a token, MASK_RRN_12 either, M"
    expected = unmask(text, vault).text
    assert "900101-1234567" in expected and "한빛정보통신" in expected
    for cut in range(len(text) + 1):
        streamer = StreamUnmasker(vault)
        out = streamer.feed(text[:cut]) + streamer.feed(text[cut:]) + streamer.flush()
        assert out == expected, cut
        # Nothing half-restored is ever emitted: no emitted piece ends inside a token.
    for cut_a in range(0, len(text), 3):
        for cut_b in range(cut_a, len(text), 5):
            streamer = StreamUnmasker(vault)
            pieces = [streamer.feed(text[:cut_a]), streamer.feed(text[cut_a:cut_b]), streamer.feed(text[cut_b:])]
            assert "".join(pieces) + streamer.flush() == expected


def test_stream_random_chunkings_and_counts() -> None:
    rng = random.Random(3)
    doc = planted_corpus(3)[2]
    masker = Masker(KEY, COMPANY_SECRETS)
    masked = masker.mask(doc.text).masked
    for _ in range(50):
        streamer = StreamUnmasker(masker.vault)
        out, pos = [], 0
        while pos < len(masked):
            step = rng.randint(1, 12)
            out.append(streamer.feed(masked[pos : pos + step]))
            pos += step
        out.append(streamer.flush())
        assert "".join(out) == doc.text
        assert streamer.restored == len(masker.mask(doc.text).detections)
        assert streamer.unknown == 0


def test_stream_does_not_hold_back_plain_text() -> None:
    streamer = StreamUnmasker(Vault())
    assert streamer.feed("hello world") == "hello world"
    assert streamer.feed(" and MAS") == " and "
    assert streamer.feed("SIVE rock") == "MASSIVE rock"
    assert streamer.flush() == ""


def test_mask_command_text_and_json() -> None:
    text = "대표 김하늘 010-1234-5678"
    plain = mask_command(text, ["김하늘"], KEY, as_json=False)
    assert "김하늘" not in plain and "010-1234-5678" not in plain and plain.startswith("대표 MASK_SECRET_")
    payload = json.loads(mask_command(text, ["김하늘"], KEY, as_json=True))
    assert payload["masked"] == plain
    assert payload["restored"] == text
    assert payload["detections"] == [
        {"type": "SECRET", "start": 3, "end": 6},
        {"type": "PHONE", "start": 7, "end": 20},
    ]
    assert "김하늘" not in json.dumps(payload["detections"], ensure_ascii=False)


def test_masker_requires_a_key() -> None:
    with pytest.raises(ValueError):
        Masker(b"")


@pytest.mark.parametrize("kind", d.ENTITY_TYPES)
def test_stream_split_at_every_offset_for_every_type(kind: str) -> None:
    vault, (token,) = _vault_with((kind, f"value of {kind}"))
    text = f"앞 {token}뒤"
    for cut in range(len(text) + 1):
        streamer = StreamUnmasker(vault)
        first = streamer.feed(text[:cut])
        assert "MASK" not in first.upper() or token in text[:cut]
        assert first + streamer.feed(text[cut:]) + streamer.flush() == f"앞 value of {kind}뒤"
