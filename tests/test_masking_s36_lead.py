"""Stop 36, the lead: goods' codes and registry numbers after their label go out unchanged (the red team's ordinary
texts), while a person's number written after the same labels is still masked. Hand-written values."""

from __future__ import annotations

import pytest

from bidradar.masking.masker import Masker
from bidradar.masking.policy import mask_outgoing

KEY = bytes.fromhex("36" * 32)

UNCHANGED = [
    "물품분류번호 4321150101 (데스크톱컴퓨터), 세부품명번호 43211507-24012345",
    "세부품명 번호: 43211507-24012345",
    "상품코드 880-1234-5678 은 내부 품목 코드입니다",
    "제품코드: 8801234-567890",
    "자재코드 4410-2233-5566-7788 입고",
    "등기번호 제2026-012345호",
    "등기번호: 1234-5678-90123 (등기우편)",
]

MASKED = [
    ("상품코드 문의는 010-2345-6789 로", "010-2345-6789"),  # a phone is a phone whatever came before it
    ("등기번호 900101-1234568", "900101-1234568"),  # a valid 주민번호
    ("제품코드 담당 kim.minsu@example.co.kr", "kim.minsu@example.co.kr"),
    ("세부품명번호 43211507 입금계좌 110-234-567890 (신한)", "110-234-567890"),
]


@pytest.mark.parametrize("text", UNCHANGED)
def test_a_code_after_its_label_goes_out_unchanged(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the text").text == text


@pytest.mark.parametrize(("text", "value"), MASKED)
def test_a_persons_number_after_the_same_labels_is_still_masked(text: str, value: str) -> None:
    masker = Masker(KEY)
    sent = mask_outgoing(masker, text, "the text").text
    assert value not in sent and value.replace("-", "") not in sent.replace("-", ""), sent
    assert masker.unmask(sent) == text
