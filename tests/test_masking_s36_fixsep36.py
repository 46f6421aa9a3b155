"""Stop 36, after the red team (docs/notes/s36-redteam36.md): separators between digit groups that the digit readers
did not know, and labels written with a space between their syllables.

Classes: a symbol, a pictograph or an emoji between the groups of a phone, card, 사업자/법인등록번호, account,
운전면허번호 or IPv4 (`010♡2082♡7771`, `4297💳0974💳7622💳9752`, `010▶…`, `010^…`, with a variation selector), a doubled
separator (`~~`, `..`, `ㆍㆍ`), an x or a multiplication sign between spaces, the jamo ㅣ drawn as a bar, a word said for
a dash (`다시`, `대시`), commas or semicolons between an address's octets after an address word (`59,40,215,236`), and a
label spaced as OCR and PDF text extraction give it (`사 업 자 번 호 : 4272308749`, `운 전 면 허 26 04 613434 29`). Each
class has attacks in several formats (chat, CSV, JSON, Korean prose, PDF-extracted text) that must not go out, and
ordinary look-alikes (prices, lists, ratings, dimensions, dates, versions, notice numbers, table grids) that must go
out unchanged. All values are made up here (check digits computed where the shape has one); none is real.
"""

from __future__ import annotations

import pytest

from bidradar.masking import Masker
from bidradar.masking.leakcheck import leak_scan
from bidradar.masking.normalize import normalise
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = b"s36-fixsep36-masking-test-key-32"
SECRETS = ("한빛소프트랩",)

# (text, what must not appear in what is sent: the value's digits once separators go)
ATTACKS = [
    # phones: symbols, emoji (with a variation selector), doubled separators, x, ㅣ, said dashes
    ("[박서준] [오후 2:14] 제 번호 010♡3847♡2915 입니다", "01038472915"),
    ("연락처 010❤️5521❤️8093 로 주세요", "01055218093"),
    ("010✨6612✨4470 (개인폰)", "01066124470"),
    ("비상연락 010▷2195▷4359", "01021954359"),
    ("폰 010^4718^1548", "01047181548"),
    ("번호 010~~4821~~9933 저장", "01048219933"),
    ("번호 010..4821..9934 저장", "01048219934"),
    ("담당자 010ㆍㆍ4821ㆍㆍ9936", "01048219936"),
    ("윤서아 010 x 7712 x 3309", "01077123309"),
    ("윤서아 010 X 7712 X 3310", "01077123310"),
    ("윤서아 010 × 7712 × 3311", "01077123311"),
    ("HP) 010 ㅣ 5520 ㅣ 8812", "01055208812"),
    ("HP) 032ㅣ909ㅣ6395", "0329096395"),
    ("연락처 010 다시 4417 다시 2093", "01044172093"),
    ("연락처 010 대시 4417 대시 2094", "01044172094"),
    ("대표 02★2125★1234", "0221251234"),
    ("name,phone\n김하늘,010♡3847♡2917\n이도윤,010♡3847♡2918\n", "01038472917"),
    ('{"contact": {"name": "최유진", "mobile": "010🔹7723🔹1180"}}', "01077231180"),
    ("text me at 010★5512★0098 tonight", "01055120098"),
    ("연락처 ０１０♡２０８２♡７７７２", "01020827772"),
    ("4532 5778 x 7375 9993 카드로 결제", "4532577873759993"),
    # cards
    ("결제카드 4532♡5778♡7375♡9993", "4532577873759993"),
    ("card: 5412💳8895💳1755💳9214 exp 09/29", "5412889517559214"),
    ('{"pan": "6011 x 7245 x 7361 x 5423"}', "6011724573615423"),
    ("카드번호 9410 다시 9983 다시 2782 다시 9255", "9410998327829255"),
    ("법카 3782▶713439▶22135 (아멕스)", "378271343922135"),
    # 사업자/법인등록번호, accounts, licences
    ("사업자 362~~11~~22683", "3621122683"),
    ("사업자번호 702▶61▶93703", "7026193703"),
    ("사 업 자 번 호 : 7026193703", "7026193703"),
    ("사 업 자 등 록 번 호  1968770389  (PDF 추출)", "1968770389"),
    ("법 인 번 호 1101736019651", "1101736019651"),
    ("법인등록번호 110167★5849797", "1101675849797"),
    ("우리 997970💸70💸435517", "99797070435517"),
    ("국민은행 계좌 123456♡78♡901234 예금주 김하늘", "12345678901234"),
    ("운 전 면 허 번 호 11 23 456789 01", "112345678901"),
    ("운 전 면 허 26 04 613435 29", "260461343529"),
    ("면허번호 12♡34♡567890♡12", "123456789012"),
    ("운전면허 13 45 678901 23 (1종 보통)", "134567890123"),
    # IPv4: octets apart by commas or semicolons after an address word, or by a symbol or said dash
    ("접속 IP 59,40,215,236", "5940215236"),
    ("server ip: 211;45;67;189", "2114567189"),
    ("서버 주소 175♡211♡34♡9", "175211349"),
    ("DB 112 x 78 x 221 x 76", "1127822176"),
    ("아이피 175 다시 179 다시 38 다시 207", "17517938207"),
    ('{"host_ip": "59,40,215,237"}', "5940215237"),
]

ORDINARY = [
    "계약금액 1,234,567원, 부가세 123,456원, 합계 1,358,023원",
    "서버 구축비 1,234,100,200원 (VAT 포함)",
    "평점 ★★★★☆ 4.5 (리뷰 1,234건), 5★ 호텔 3박",
    "목록 1, 2, 3, 4 와 10, 20, 30, 40 그리고 100, 200, 300",
    "서버 4대, 1,2,3,4번 랙에 설치",
    "규격 600×600×1200mm, 1920 x 1080 해상도, 50×100×2000, 1 x 2 x 3",
    "점수 90 ★ 85 ★ 70 ★ 100, 2024♡2025 시즌",
    "버전 v1.2.3 → v1.2.4, 범위 1..10, 2024~~2025년, 09:00~18:00",
    "공고번호 R26BK01234567-000 ▶ 입찰 마감 2026-12-08 10:00, 20241101948-00",
    "id;value;count\n1;234;56;789\n2;235;57;790\n",
    "│ 4532 │ 5778 │ 7375 │ 9993 │\n│ 1024 │ 2048 │ 4096 │ 8192 │",
    "일정 2024ㆍ12ㆍ25, 2025·01·02 ～ 2025·01·31",
    "오늘 3시 ☕ 5시 🍺 ㅋㅋ 2 ㅣ 3 ㅣ 4",
    "다시 보기 2024 다시 2025, 1588♡1234",
    "불법 인터넷 사이트 차단 3621122683건 중",
    "사 업 자 가 바 뀝 니 다 2024년부터",
    "[김하늘] [오후 3:12] 사진 3장 ▶ 10:30 도착 ▶ 12:00 출발",
    "HS 3907.68-8046, ISBN 978-89-12345-67-8 ★ 추천",
]


@pytest.mark.parametrize(("text", "value"), ATTACKS, ids=[f"attack-{i}" for i in range(len(ATTACKS))])
def test_value_written_apart_does_not_go_out(text: str, value: str) -> None:
    masker = Masker(KEY, SECRETS)
    try:
        sent = mask_outgoing(masker, text, "the text")
    except MaskingRefused:
        return  # nothing was sent
    compact = "".join(c for c in normalise(sent.text).text if c.isdigit() or c.isalpha())
    assert value not in compact, sent.text
    assert not sent.residues, sent.counts  # a detector masked it, not the leak check's residue
    assert masker.unmask(sent.text) == text


@pytest.mark.parametrize("text", ORDINARY, ids=[f"ordinary-{i}" for i in range(len(ORDINARY))])
def test_ordinary_look_alike_goes_out_unchanged(text: str) -> None:
    assert mask_outgoing(Masker(KEY, SECRETS), text, "the text").text == text


def test_view_reads_odd_separators_as_dashes_and_dots() -> None:
    assert normalise("010♡2082♡7771").text == "010-2082-7771"
    assert normalise("010🔸3669🔸3195").text == "010-3669-3195"
    assert normalise("010 다시 369 다시 3021").text == "010-369-3021"
    assert normalise("IP 59,40,215,236").text == "IP 59.40.215.236"
    assert normalise("사 업 자 번 호").text == "사업자번호"
    assert normalise("600×600×1200").text == "600×600×1200"  # no identifier's first digits: a dimension


# The leak check's own reading: a grouping the view does not read as an identifier's (3-5-3) still has a phone's 0.
@pytest.mark.parametrize(
    "text",
    [
        "연락처 010♡12345♡678",
        "010★1234★56★78 로 연락",
        "주민 900101♥12♥34568",
        "4532♡57787♡3759993",
    ],
)
def test_leak_check_reads_odd_runs_itself(text: str) -> None:
    assert any(kind == "DIGITS" for kind, _, _ in leak_scan(text)), text


@pytest.mark.parametrize(
    "text",
    ["규격 600×600×1200", "│ 4532 │ 5778 │ 7375 │ 9993 │", "평점 4★5★3★4★5"],
)
def test_leak_check_leaves_odd_looking_data(text: str) -> None:
    assert leak_scan(text) == []


@pytest.mark.parametrize(("text", "value"), ATTACKS, ids=[f"leakcheck-{i}" for i in range(len(ATTACKS))])
def test_leak_check_alone_sees_every_attack(text: str, value: str) -> None:
    """The second line sees each class by itself (with the detectors off, the policy would mask it as a residue)."""
    assert leak_scan(text), text
