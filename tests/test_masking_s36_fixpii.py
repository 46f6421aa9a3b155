"""Stop 36 (`fixpii`), after the second fresh probe of stop 35 (docs/notes/s35-lead.md): personal values that went out
in part, and ordinary texts that were masked.

Classes that leaked: an e-mail address wrapped across a line break inside its local part or its domain, or with its
local part spelled (`minsu dot kim at …`: the first piece went out); a 주민번호's halves with a decoy before the real
half, or the back half told before the front. Classes that were damaged: a phone's shape inside a product or request
code, a document number or a date range that starts with a year and a month, and addresses that are the same on
every machine (loopback, 0.0.0.0, netmasks, the whole private blocks as CIDR). Each class has attacks in several
formats (signatures, chat, CSV, JSON, Korean prose) and look-alikes on both sides of the line. All values are made up
by hand for this file.
"""

from __future__ import annotations

import pytest

from bidradar.masking import Masker
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = b"s36-fixpii-masking-test-key-32by"

# (text, fragments that must not appear in what is sent): the classes that leaked
LEAKED = [
    # e-mail wrapped inside its local part or its domain
    ("감사합니다.\n--\n오서준 | 한빛소프트 영업팀\nseojun\n.oh@example.co.kr | 02-2125-1234", ("seojun", "example.co")),
    ("[오서준] [오후 2:10] 메일은 seojun.\noh@hanbit-soft.co.kr 입니다", ("seojun", "hanbit-soft")),
    ('이름,이메일\n오서준,"seojun.oh@exam\nple.co.kr"\n김민지,minji@daeil.kr', ("seojun", "exam", "ple.co", "minji")),
    ('{"담당자": "박지우", "email": "jiwoo_\\npark@daeil-eng.kr"}', ("jiwoo", "park@", "daeil-eng")),
    ("회신은 minji.lee@corp\n.daeil.co.kr 로 부탁드립니다", ("minji", "corp", "daeil")),
    ("메일 seojun.oh@example.\nco.kr 로 보내 주세요", ("seojun", "example")),
    ("Best regards,\nSeojun Oh | seojun.oh@hanbit-\nsoft.co.kr | 010-2345-6789", ("seojun.oh", "hanbit-", "soft.co")),
    ("연락처: seo.jun\n.oh@example.co.kr", ("seo.jun", "jun", "example.co")),
    ("메일: seojun\r\n.oh@example.co.kr", ("seojun", "example.co")),
    ("> 담당자 메일: seojun\n> .oh@example.co.kr\n> 확인 부탁드립니다", ("seojun", "example.co")),
    ("> 회신: jiwoo.park@daeil-\n>> eng.co.kr", ("jiwoo", "daeil", "eng.co")),
    # the local part spelled too
    ("메일: minsu dot kim at example dot com", ("minsu", "kim", "example")),
    ("minsu [dot] kim [at] daeil [dot] co [dot] kr", ("minsu", "kim", "daeil")),
    ("이메일은 minsu 점 kim 골뱅이 naver 점 com 입니다", ("minsu", "kim")),
    ("email me: MINSU DOT KIM AT EXAMPLE DOT COM", ("MINSU", "KIM")),
    ("ji dot woo dot park at hanbit dot io 로 연락 주세요", ("ji dot", "woo", "park", "hanbit")),
    ('{"contact": "minsu dot kim at example dot com", "team": "영업"}', ("minsu", "kim at")),
    ("minsu_dot_kim_at_example_dot_com", ("minsu", "kim")),
    ("minsu (dot) kim (at) example (dot) com", ("minsu", "kim")),
    # 주민번호 halves: a decoy first, or the back told before the front
    ("주민번호 앞자리 900101, 뒷자리는 ******* 아니고 1845612 입니다", ("900101", "1845612")),
    ("주민번호 앞 880214 (예시 1234567 아님) 뒤 1873526", ("880214", "1873526")),
    ("주민등록번호: 앞자리 850315 / 뒷자리 (샘플 9999999 아님) 2845613", ("850315", "2845613")),
    ("주민번호 앞 900101 뒤 1234567 아니고 2845613", ("900101", "2845613")),
    ("앞자리 900101\n뒷자리 xxxxxxx 는 예시고요\n실제 뒷자리 1845612", ("900101", "1845612")),
    ("[김] [오후 3:12] 주민번호 뒷자리 1845612\n[김] [오후 3:13] 앞자리는 920707", ("1845612", "920707")),
    ("뒷자리 1845612 앞자리 920707", ("1845612", "920707")),
    ("뒤 7자리는 2845613이고 앞 6자리는 920707입니다", ("2845613", "920707")),
    ("주민번호 뒤는 1845612, 생년월일은 920707", ("1845612", "920707")),
    ("구분,값\n뒷자리,1845612\n앞자리,920707", ("1845612", "920707")),
    ('{"memo": "뒷자리 2845613, 앞자리 010203"}', ("2845613", "010203")),
    ("외국인등록번호 뒷자리 5845612, 앞자리 920707", ("5845612", "920707")),
    ("주민번호: 뒷자리 1845612 / 앞자리 920707", ("1845612", "920707")),
    ("[박] [오전 9:01] 앞자리 030405\n[박] [오전 9:01] 뒤는 0000000 말고 4123456 이에요", ("030405", "4123456")),
]
# and the other side of the ordinary classes' lines: still masked
STILL_MASKED = [
    # a real phone beside a code's words
    ("담당자 010-2345-6789", ("2345",)),
    ("연락처: PRD팀 010-2345-6789", ("2345",)),
    ("TEL-010-2345-6789", ("2345",)),
    ("HP-01023456789", ("23456789",)),
    ("T-02-2125-1234", ("2125",)),
    ("홍길동-010-2345-6789", ("2345",)),
    ("resume-01023456789.pdf", ("23456789",)),
    ("연락처_01023456789.xlsx", ("23456789",)),
    ("Prd-010-2345-6789", ("2345",)),
    ("연락처 010-2345-6789a", ("2345",)),
    ("품번,담당자 연락처\nPRD-77,010-2345-6789", ("2345",)),
    ('{"sku": "AB-77", "phone": "010-2345-6789"}', ("2345",)),
    # document-number shapes with a personal word
    ("계좌 2024-01-123456", ("123456",)),
    ("주민 1990-01-01-1234567", ("1234567",)),
    # addresses that are somebody's
    # (a private network such as `VPC 10.20.0.0/16` goes out since s37 ordinary37; its hosts do not)
    ("서버 10.20.3.17/24, 방화벽 10.20.3.9/32", ("10.20",)),
    ("고객 대역 203.0.113.0/24", ("203.0",)),
    ("inet 10.0.3.17 netmask 255.255.255.0 broadcast 10.0.3.255", ("10.0.3",)),
    ("ip 10.0.0.0 에서 접속", ("10.0.0.0",)),
]
ATTACKS = LEAKED + STILL_MASKED

ORDINARY = [
    # a phone's shape inside a code
    "PRD-010-2345-6789",
    "품번 010-1234-5678A",
    "REQ-0102345678",
    "REQ0102345678",
    "주문코드 SKU-010-2345-6789-B 출고",
    '{"sku": "AB-010-2345-6789", "qty": 3}',
    "품번,수량\nPRD-010-2345-6789,10\nPRD-010-2345-6790,5",
    "| 품번 | 수량 |\n|---|---|\n| REQ-0102345678 | 2 |",
    # a document number or a date range that starts with a year and a month
    "협정번호 2024-01-123456",
    "문서 2024-11-05-001",
    "기간 2024-01-01-2024-12-31",
    "접수번호: 2023.12.004512 처리",
    "| 문서번호 | 2024-11-05-001 |",
    "계약기간은 2025-03-01-2025-12-31 입니다",
    # addresses that are the same on every machine
    "127.0.0.1",
    "0.0.0.0",
    "10.0.0.0/8",
    "listen 0.0.0.0:8080",
    "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/db",
    "allow 172.16.0.0/12 and 192.168.0.0/16, deny 0.0.0.0/0",
    "netmask 255.255.255.0",
    "127.0.0.53 resolver, 127.0.0.0/8",
    # halves' look-alikes
    "카드 결제는 앞자리 4자리, 뒷자리 4자리를 확인합니다",
    "생산일자 앞 6자리 241301, 뒤 7자리 로트번호 9912345",
    "주문번호 앞자리 202401, 뒤에 붙는 번호 1234",
    # spelled and wrapped addresses' look-alikes
    "look at the dot com bubble",
    "버전은 v1.2.3 이고\n.env 파일을 확인하세요",
]

# (text, what must stay in what is sent: the word before an address on its own line is no part of it)
KEPT_BESIDE = [
    ("Contact\nkim@example.com", "Contact\n"),
    ("Thanks.\nkim@example.com", "Thanks.\n"),
    ("see you.\nkim@example.com", "see you.\n"),
    ("kim@example.com\nThanks", "\nThanks"),
    ("I emailed him. kim at example dot com replied", "I emailed him. "),
]


def _sent(text: str, masker: Masker) -> str | None:
    try:
        return mask_outgoing(masker, text, "the text").text
    except MaskingRefused:
        return None  # nothing was sent


@pytest.mark.parametrize(("text", "fragments"), ATTACKS, ids=[f"attack-{i}" for i in range(len(ATTACKS))])
def test_value_does_not_go_out(text: str, fragments: tuple[str, ...]) -> None:
    masker = Masker(KEY)
    sent = _sent(text, masker)
    if sent is None:
        return
    for fragment in fragments:
        assert fragment not in sent, sent
    assert masker.unmask(sent) == text


@pytest.mark.parametrize("text", ORDINARY, ids=[f"ordinary-{i}" for i in range(len(ORDINARY))])
def test_ordinary_look_alike_goes_out_unchanged(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the text").text == text


@pytest.mark.parametrize(("text", "kept"), KEPT_BESIDE, ids=[f"kept-{i}" for i in range(len(KEPT_BESIDE))])
def test_word_beside_an_address_stays(text: str, kept: str) -> None:
    sent = mask_outgoing(Masker(KEY), text, "the text").text
    assert kept in sent and "kim@" not in sent and "kim at" not in sent, sent


# The leak check alone (every detector off) sees the leak classes too: its own patterns, not the detectors'.
LEAK_CHECK_SEES = LEAKED


@pytest.mark.parametrize(
    ("text", "fragments"), LEAK_CHECK_SEES, ids=[f"leakcheck-{i}" for i in range(len(LEAK_CHECK_SEES))]
)
def test_leak_check_alone_masks_the_class(text: str, fragments: tuple[str, ...]) -> None:
    masker = Masker(KEY, detectors=())
    sent = _sent(text, masker)
    if sent is None:
        return
    for fragment in fragments:
        assert fragment not in sent, sent
