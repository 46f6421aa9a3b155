"""Stop 36 (`fixord36`), issue 24: ordinary texts the leak check masked as MASK_NUMBER, and look-alike attacks that
must still be masked.

Classes that were damaged: two compact dates joined by a dash or a tilde (a date range), a notice's, a contract's or
a document's number led by its year or its date (누리장터 2026-12345, 용역 2026-12345-000, 거래번호 20261207-1234567),
and numbers right after a word that names a code (tracking ref, 거래번호, 예산과목, 품번, nsn). The attacks put a
phone, a 주민번호, a card or an account after or near the same words. All values are made up by hand for this file.
"""

from __future__ import annotations

import pytest

from bidradar.masking import Masker
from bidradar.masking.leakcheck import leak_scan
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = b"s36-fixord36-masking-test-key-32"

ORDINARY = [
    "Order #A-2026-00042 shipped 2026-12-05, tracking ref 12345-67890",
    "누리장터 2026-12345 공고, 참가신청 12건",
    "기간: 20261201-20261231",
    "기간: 20261201~20261231",
    "품번 123-456-789 재고 12",
    "거래번호 20261207-1234567",
    "예산과목 1234-567-890",
    "용역 2026-12345-000 변경계약",
    "nsn 1234-56-789-0123",
    "NSN: 5820-01-234-5678 무전기 부품",
    "tracking no. 98765-43210 배송 완료",
    "문서 2025-123456 참조",
    "v1_2_3_4",
    "img_2024_01_15_001.png",
]

# (text, fragments that must not appear in what is sent)
ATTACKS = [
    ("거래번호 문의 010-2345-6789", ("2345-6789",)),
    ("품번 010-2345-6789", ("2345-6789",)),
    ("품번 900101-1234568", ("1234568",)),
    ("예산과목 900101-1234568", ("1234568",)),
    ("기간: 900101-1234568", ("1234568",)),
    ("nsn 4111-1111-1111-1111", ("4111-1111",)),
    ("입금 2026-12345-000 (국민은행)", ("12345",)),
    ("tracking ref 110-123-456789 신한", ("456789",)),
    ("거래번호 2026-123456 계좌", ("123456",)),
    ("공고 2026-12345 입금계좌", ("12345",)),
    ("누리장터 2026-123456-789 (농협)", ("123456",)),
    ("품번 123-456-789012 (우리은행)", ("789012",)),
    ("2026-123456-12 카카오뱅크", ("123456",)),
    ("회원 20261207-1234567", ("1234567",)),
    ("19900101-1234568", ("1234568",)),
    ("주민번호 19900101-1234568", ("1234568",)),
    ("20261207-3234567", ("3234567",)),
]


# Addresses in a file's or a host's name (octets in underscores) and after an address label in spaces: the detectors'
# (the leak check does not read these forms yet).
IP_ATTACKS = [
    ("ip_3_16_254_230.log", ("3_16_254_230",)),
    ("backup-13_125_77_201.tar.gz", ("13_125_77_201", "125_77")),
    ("prod-db-10_20_30_40", ("10_20_30_40", "20_30")),
    ("scp ./dump_203_0_113_77.sql .", ("203_0_113_77",)),
    ("IP: 211 76 224 252", ("211 76 224 252", "224 252")),
    ("서버 아이피 주소: 10 1 2 3 입니다", ("10 1 2 3",)),
]
IP_ORDINARY = ["rec_12_05_30_45.wav", "file-1_2_3_4.txt", "section-3_1_2_4", "IP: 2 3", "score: 211 76 224 252"]


def _sent(text: str, masker: Masker) -> str | None:
    try:
        return mask_outgoing(masker, text, "the text").text
    except MaskingRefused:
        return None  # refused outright: nothing goes out


@pytest.mark.parametrize("text", ORDINARY, ids=[f"ordinary-{i}" for i in range(len(ORDINARY))])
def test_ordinary_goes_out_unchanged(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the text").text == text


@pytest.mark.parametrize(("text", "fragments"), ATTACKS, ids=[f"attack-{i}" for i in range(len(ATTACKS))])
def test_attack_is_masked(text: str, fragments: tuple[str, ...]) -> None:
    masker = Masker(KEY)
    sent = _sent(text, masker)
    if sent is None:
        return
    for fragment in fragments:
        assert fragment not in sent, sent
    assert masker.unmask(sent) == text


@pytest.mark.parametrize(("text", "fragments"), ATTACKS, ids=[f"leakcheck-{i}" for i in range(len(ATTACKS))])
def test_leak_check_alone_sees_the_attack(text: str, fragments: tuple[str, ...]) -> None:
    assert leak_scan(text), text


@pytest.mark.parametrize(("text", "fragments"), IP_ATTACKS, ids=[f"ip-{i}" for i in range(len(IP_ATTACKS))])
def test_address_is_masked(text: str, fragments: tuple[str, ...]) -> None:
    test_attack_is_masked(text, fragments)


@pytest.mark.parametrize("text", IP_ORDINARY, ids=[f"ip-ordinary-{i}" for i in range(len(IP_ORDINARY))])
def test_address_look_alike_goes_out_unchanged(text: str) -> None:
    test_ordinary_goes_out_unchanged(text)
