"""The detection view: written variants normalised, offsets mapped back to the original text."""

from __future__ import annotations

import json
import unicodedata

import pytest

from bidradar.masking import Masker
from bidradar.masking import detect as d
from bidradar.masking.normalize import normalise

KEY = b"normalise-test-key-of-32-bytes!!"


@pytest.mark.parametrize(
    ("original", "normalised"),
    [
        ("０１０－１２３４－５６７８", "010-1234-5678"),  # full-width digits and dash
        ("010\u20131234\u22125678", "010-1234-5678"),  # en-dash, minus sign
        ("010\u00a01234\u30005678", "010 1234 5678"),  # NBSP, ideographic space
        ("010\u200b1234\u200d5678\ufeff", "01012345678"),  # zero-width characters vanish
        ("㈜한빛 （주）한빛", "(주)한빛 (주)한빛"),
        (unicodedata.normalize("NFD", "한빛소프트웨어"), "한빛소프트웨어"),
        ('{"a": "x\\n010-1234-5678\\tb\\"c\\u0041\\ud83d\\ude00"}', '{"a": "x\n010-1234-5678\tb"cA\U0001f600"}'),
        ("010%2D1234%2D5678 %ED%95%9C%EB%B9%9B", "010-1234-5678 한빛"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_written_variants_normalise(original: str, normalised: str) -> None:
    assert normalise(original).text == normalised


def test_spans_map_back_to_whole_pieces_of_the_original() -> None:
    original = "x\\n０１０\u2013１２３４\u200b-5678\\ty ㈜"
    view = normalise(original)
    start = view.text.index("010")
    end = start + len("010-1234-5678")
    s, e = view.span(start, end)
    assert original[s:e] == "０１０\u2013１２３４\u200b-5678"
    # A span starting inside an escape covers the whole escape.
    s, e = view.span(1, 2)
    assert original[s:e] == "\\n"


def test_masking_replaces_exactly_the_original_written_form_and_round_trips() -> None:
    profile = {"description": "연락처\n０１０\u2013１２３４\u2013５６７８\n서버\t10.0.3.17", "name": "㈜한빛"}
    text = json.dumps(profile, ensure_ascii=False)
    masker = Masker(KEY, ["한빛"])
    result = masker.mask(text)
    assert [x.kind for x in result.detections] == [d.PHONE, d.IPV4, d.SECRET]
    masked = json.loads(result.masked)  # tokens are plain ASCII: the JSON stays valid
    assert "１２３４" not in masked["description"] and "10.0.3.17" not in masked["description"]
    assert "한빛" not in masked["name"]
    assert masker.unmask(result.masked) == text


def test_json_ascii_escaped_korean_secret_is_found() -> None:
    text = json.dumps({"name": "한빛소프트웨어 주식회사"}, ensure_ascii=True)
    masked = Masker(KEY, ["한빛소프트웨어(주)"]).mask(text).masked
    assert "\\ud55c\\ube5b" not in masked and json.loads(masked)["name"].startswith("MASK_SECRET_")
