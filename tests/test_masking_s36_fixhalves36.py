"""Stop 36, after the red team (docs/notes/s36-redteam36.md): values told in pieces, passports after an abbreviated
label or in a traveller's record, e-mail addresses read out in Korean, IPv6 in other dress.

Classes: a 법인/사업자등록번호, a card, an account or a 운전면허번호 told in pieces with their places (앞/뒤/끝/처음/
나머지, `N자리`, a bank's name between), front first or back first; a passport after `PP No.`, `PP#`, `pp_no`,
`ppNo`, read digit by digit or with 엠, or without a passport word in a traveller's record; an e-mail with 쩜, 에이티,
엣; an IPv6 as a UNC host name (`…ipv6-literal.net`), with spaced colons, or after an IPv6 word with other separators.
Each class has attacks in several formats (chat, e-mail, CSV, JSON, prose) that must not go out, through the real
policy, and ordinary look-alikes that must go out unchanged. All values are generated (checksums and Luhn computed,
see test_values_are_well_formed) or made up; none is real.
"""

from __future__ import annotations

import pytest

from bidradar.masking import Masker
from bidradar.masking.detect import business_number_ok, corporate_number_ok, luhn_ok
from bidradar.masking.leakcheck import leak_scan
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = b"s36-fixhalves36-masking-test-key"
SECRETS = ("청운데이터랩",)

CRN = "1101975944031"  # 110197-5944031
BRN = "8064577873"  # 806-45-77873
VISA = "4285455665182675"
MASTER = "5372020383056725"

# (text, what must not appear in what is sent: letters and digits only, separators and spaces removed)
ATTACKS = [
    # a 법인등록번호 in pieces, either order
    ("법인번호 뒤 5944031, 앞 110197", "5944031"),
    ("법인번호 앞 110197, 뒤 5944031 입니다", "5944031"),
    ("[박대리] [오후 2:10] 법인등록번호 끝자리 5944031 이고 앞자리는 110197 이에요", "5944031"),
    ("안녕하세요,\n요청하신 법인번호는 나머지 5944031, 처음 110197 입니다.\n감사합니다.", "5944031"),
    # a 사업자등록번호
    ("사업자번호 끝 5자리 77873 / 앞 806-45", "77873"),
    ("사업자등록번호 앞 806-45, 끝 5자리 77873", "77873"),
    ('{"memo": "사업자번호 뒤 77873 앞 806-45"}', "77873"),
    ("사업자번호는요 뒤에 77873 이고 앞은 806-45 예요", "77873"),
    ("법인번호 뒤 7자리는 5944031 이고요, 앞 6자리는 110197 입니다", "5944031"),
    # a card
    ("카드 뒤 8자리 6518 2675 먼저 드리고 앞 8자리는 4285 4556", "65182675"),
    ("카드번호 처음 4285 4556, 나머지 6518 2675", "65182675"),
    ("결제 카드 끝자리 8305 6725 앞자리 5372 0203", "83056725"),
    # an account, a bank's name between
    ("계좌 끝자리 609563, 앞은 농협 327625-23", "609563"),
    ("입금 계좌 앞자리 327625-23, 끝자리 609563 (농협)", "609563"),
    ("이름,메모\n김하늘,계좌 뒤 609563 앞 신한 327625-23", "609563"),
    # a 운전면허번호
    ("면허번호 뒤 092770-48 / 앞 26-74", "09277048"),
    # a passport after an abbreviated label, read out, or in a traveller's record
    ("PP No. M884H0149", "M884H0149"),
    ("Passport#: M73105528 (exp 2031)", "M73105528"),
    ("여권 No: M402C7716", "M402C7716"),
    ('{"name": "정하늘", "passportNo": "M884H0149"}', "M884H0149"),
    ('{"pp_no": "M551K2087", "issued": "2024-03-02"}', "M551K2087"),
    ("name,ppNo,nationality\n이서준,M22817306,KOR", "M22817306"),
    ("여권번호 엠059C8935", "059C8935"),
    ("passport  M 5 5 9 7 9 1 9 7", "M55979197"),
    ('{"traveler": "정하늘", "doc": {"type": "P", "no": "M267E4076"}}', "M267E4076"),
    ("탑승객 명단\n1. 김민준 M190B3345", "M190B3345"),
    # e-mail read out in Korean
    ("yujin.choi 골뱅이 daum 쩜 net", "daumnet"),
    ("[김과장] 메일은 minsu.kang 골뱅이 hanmail 쩜 net 으로요", "minsukang"),
    ("seoyeon.lee (at) hanbit-soft (쩜) co (쩜) kr", "seoyeonlee"),
    ("연락: haneul.jung 에이티 naver 점 com", "haneuljung"),
    ("haneul 점 jung 에이티 naver 점 com", "haneul"),  # the local part spelled too (fixpii's reading, with 쩜)
    ("[카톡] yu 쩜 jin 골뱅이 daum 쩜 net", "yujin"),
    ("jiwoo.han 엣 gmail 쩜 com 으로 보내주세요", "jiwoohan"),
    ("문의 dohyun 앳 example 쩜컴", "dohyun"),
    # IPv6 in other dress
    ("\\\\2406-5900-1f-2a--17.ipv6-literal.net\\share", "240659001f2a17"),
    ("net use Z: \\\\fe80--1cc0-3e8d-4c4-4f6bs4.ipv6-literal.net\\backup", "fe801cc03e8d4c44f6b"),
    ("v6 주소 2404 : f340 : 10 : 3 :  : a1", "2404f3401031a1"),
    ("host,addr\nweb1,2001 : db8 : 85a3 : : 8a2e : 370 : 7334", "2001db885a38a2e3707334"),
    ("IPv6 2404-f340-10-3--a1 로 접속", "2404f3401031a1"),
    ("inet6 fd12_3456_789a_1__1 세팅", "fd123456789a11"),
]

ORDINARY = [
    "끝자리 3자리만 보세요",
    "앞 2자리 11 뒤 3자리 222 (예시)",
    "2023 앞 2024 뒤 비교표",
    "뒤 10, 앞 20 순서로 정렬",
    "앞으로 2024년 뒤 2025년, 주문 앞 12 뒤 34, 합계 앞 1200 뒤 3400",
    "계좌 수 123 하나 456",
    "카탈로그: 모델 M123A4567, M12345678 재고 12",
    "품번 S884H0149 / D12345678 입고",
    "pp. 12-15, PPT M12345678 참고",
    "type=PDF M12345678",
    "meet at noon, then dot the i's at 3 점 5",
    "엣지 케이스 at 3 점 5, 쩜 찍고 com 들어가서",
    "우리 에이티 팀 회의 점심",
    "버전 v6.0.1, IPv6 지원 2024-01-15 배포, v6 2.3.4",
    "회의 10 : 30 : 45, 점수 3 : 2 : : 1",
    "abc : def : 123 : 1",
    "ipv6 2024.01.15 릴리스",
]


def test_values_are_well_formed() -> None:
    assert corporate_number_ok(CRN)
    assert business_number_ok(BRN)
    assert luhn_ok(VISA) and luhn_ok(MASTER)


def _compact(text: str) -> str:
    return "".join(c for c in text if c.isdigit() or c.isalpha())


@pytest.mark.parametrize(("text", "value"), ATTACKS, ids=[f"attack-{i}" for i in range(len(ATTACKS))])
def test_value_told_apart_does_not_go_out(text: str, value: str) -> None:
    masker = Masker(KEY, SECRETS)
    try:
        out = mask_outgoing(masker, text, "the text")
    except MaskingRefused:
        pytest.fail("refused: these must be masked, not refused")
    assert value not in _compact(out.text), out.text
    # the detectors found it, not only the leak check behind them
    assert not any(k.startswith("leakcheck:") for k in out.counts), out.counts
    assert masker.unmask(out.text) == text


# A value told in pieces is one value: one token for the whole, so the proxy's memory keeps it from turn to turn.
@pytest.mark.parametrize(
    "text",
    ["법인번호 뒤 5944031, 앞 110197", "카드 뒤 8자리 6518 2675 먼저 드리고 앞 8자리는 4285 4556"],
)
def test_pieces_are_one_token(text: str) -> None:
    sent = mask_outgoing(Masker(KEY, SECRETS), text, "the text").text
    assert sent.count("MASK_") == 1, sent


@pytest.mark.parametrize("text", ORDINARY, ids=[f"ordinary-{i}" for i in range(len(ORDINARY))])
def test_ordinary_look_alike_goes_out_unchanged(text: str) -> None:
    assert mask_outgoing(Masker(KEY, SECRETS), text, "the text").text == text


# The leak check reads pieces with their places, the passports' abbreviations, the Korean read-out e-mails and IPv6
# in other dress with its own patterns: with the detectors off it still finds them.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("법인번호 뒤 5944031, 앞 110197", "DIGITS"),
        ("사업자번호 끝 5자리 77873 / 앞 806-45", "DIGITS"),
        ("카드 뒤 8자리 6518 2675 먼저 드리고 앞 8자리는 4285 4556", "DIGITS"),
        ("계좌 끝자리 609563, 앞은 농협 327625-23", "DIGITS"),
        ("PP No. M884H0149", "PASSPORT"),
        ('{"pp_no": "M551K2087"}', "PASSPORT"),
        ("yujin.choi 골뱅이 daum 쩜 net", "EMAIL"),
        ("연락: haneul.jung 에이티 naver 점 com", "EMAIL"),
        ("jiwoo.han 엣 gmail 쩜 com", "EMAIL"),
        ("\\\\2406-5900-1f-2a--17.ipv6-literal.net\\share", "IPV6"),
        ("v6 주소 2404 : f340 : 10 : 3 :  : a1", "IPV6"),
    ],
)
def test_leak_check_alone_sees_it(text: str, kind: str) -> None:
    assert kind in {k for k, _, _ in leak_scan(text)}


@pytest.mark.parametrize("text", ORDINARY)
def test_leak_check_leaves_look_alikes(text: str) -> None:
    assert leak_scan(text) == []
