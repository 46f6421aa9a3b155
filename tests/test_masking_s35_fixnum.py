"""Stop 35, helper fixnum: digits written as words or with ` / ` between groups, and IPv4 with 점 glued.

The red team's classes (docs/notes/s35-redteam.md): English digit words, Hanja numerals and Hangul numerals in
groups shorter than three, mixed with digits, space-separated; ` / ` between digit groups; `121점230점70점148입니다`.
Each attack must not go out (neither its written form nor its digits), and come back exact when unmasked; each
look-alike (numeral words next to numbers in prose, counting, ratios and lists with slashes, scores) goes out as it is.
"""

from __future__ import annotations

import re

import pytest

from bidradar.masking.masker import Masker
from bidradar.masking.normalize import normalise
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = bytes.fromhex("36" * 32)

# (text, the value's digits, its written form)
ATTACKS = [
    # English digit words: groups apart by commas, "dash", hyphens; "oh" for 0; "double"; glued to Hangul.
    ("주민번호 eight one zero two one four, one three four five six seven two", "8102141345672", "eight one zero"),
    ("call me on oh one oh dash nine eight seven six dash five four three two", "01098765432", "nine eight seven six"),
    ("Phone: Zero Two - Three Four Five - Six Seven Eight Nine, thanks", "023456789", "Three Four Five"),
    ("biz no. two three two dash two three dash six four eight nine five", "2322364895", "six four eight"),
    ("번호는zero one zero, double five one two, three four double eight이에요", "01055123488", "double five"),
    ("card five five five five, four four four four, three three three three, one one one one", "5555444433331111", ""),
    ("account: one one zero / two three four / five six seven eight nine zero", "110234567890", "five six seven"),
    # Hanja numerals with short groups (一 between digit groups stays a dash).
    ("사업자등록번호 二一〇-八一-四五六七八", "2108145678", "二一〇-八一"),
    ("면허 一二-三四-五六七八九〇-一二", "123456789012", "五六七八九〇"),
    ("연락처 〇二-七二〇〇-二四四五", "0272002445", "七二〇〇"),
    # Hangul numerals: a two-syllable group, dashed or spaced, mixed with digits, a particle after the last.
    ("공이-삼사오-육칠팔구로 연락 주세요", "023456789", "삼사오-육칠팔구"),
    ("사업자번호 일이삼-사오-육칠팔구공", "1234567890", "육칠팔구공"),
    ("운전면허번호는 일일-이이-삼삼삼삼삼삼-사사입니다", "112233333344", "삼삼삼삼삼삼"),
    ("면허 이삼-육팔-오팔팔사이사-육오로 확인", "236858842465", "오팔팔사이사"),
    ("CONTACT=공일공 이삼 사오육칠 팔구", "01023456789", "사오육칠"),
    ("번호 영이 일이삼사 오육칠팔 입니다", "0212345678", "일이삼사"),
    ("사업자 123-사오-67890", "1234567890", "123-사오-67890"),
    ("주민번호 900101-1234568 아니고 공이-345-6789", "023456789", "공이-345-6789"),
    # ` / ` between groups with an identifier's grouping.
    ("외국인등록번호 900101 / 5234567", "9001015234567", "900101 / 5234567"),
    ("사업자 123 / 45 / 67890 (주)가나다", "1234567890", "123 / 45 / 67890"),
    ("면허 12 / 34 / 567890 / 12", "123456789012", "567890 / 12"),
    ("연락처 010 / 9876 / 5432", "01098765432", "9876 / 5432"),
    ("국민은행 123456 / 78 / 901234 김하늘", "12345678901234", "123456 / 78"),
    # IPv4 with 점 and no spaces, a particle glued.
    ("서버 주소는 10점20점30점40이고 포트는 22", "", "10점20점30점40"),
    ("접속 IP 203점0점113점77로 바꿨어요", "", "203점0점113점77"),
]

LOOK_ALIKES = [
    # Numeral words next to numbers in prose.
    "공사 2024 1231 일이 많다",
    "2024-12-31 이사 회의, 참석 12명",
    "이사 3명, 감사 2명, 2024 12 31 선임",
    "가격은 1000 사이 2000 사이 3000 사이",
    "제 2024-공사-0123호 공고",
    "계약번호 공사-2024-0123 입찰",
    "일반 공사-2024-1234호, 용역-2024-0001",
    "공사-1234-5678 구간",
    "2024-공사-12345 계약",
    "2024 공사 12345 건",
    "삼사 년 전 공사 1건, 이사 2회",
    "오전 10시 사이 3 층에서 일이 있어요",
    "1 이상 10 이하, 3 일 이내",
    "二三 一二三 (한자 숫자 설명)",
    "第一二 1234",
    # Counting and numbers in English prose.
    "Table 2: one, two, three, four, five, six, seven, eight, nine, ten",
    "count: one two three four five six seven eight nine ten",
    "I have one or two ideas, maybe three; five of them agreed and nine did not",
    "Oh, one more thing: two or three of the four servers",
    # Slashes between numbers that are not an identifier's groups.
    "2023 / 2024 / 2025 실적 비교",
    "100 / 200 / 300 / 400",
    "합계 123456 / 789012",
    "총 12345 / 67890 건 처리",
    "2024 / 12 / 31",
    "해상도 1920 / 1080",
    "12:30 / 13:30 회의",
    "1,000 / 2,000 / 3,000원",
    "비율 3 / 4 / 5, 점수 90 / 100",
    "진행률 3 / 10",
    # Scores and outline numbers with 점.
    "국어 80점0점90점70점",
    "1점2점3점4입니다",
    "평가 결과 90점80점70점이며 통과",
]


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", normalise(text).text)


@pytest.mark.parametrize(("text", "digits", "form"), ATTACKS, ids=[a[0][:30] for a in ATTACKS])
def test_value_does_not_go_out(text: str, digits: str, form: str) -> None:
    masker = Masker(KEY, [])
    try:
        sent = mask_outgoing(masker, text, "the text").text
    except MaskingRefused:
        return  # nothing was sent
    assert sent != text
    if form:
        assert form not in sent, sent
    if digits:
        assert digits not in _digits(sent), sent
    assert masker.unmask(sent) == text


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alike_goes_out_unchanged(text: str) -> None:
    assert mask_outgoing(Masker(KEY, []), text, "the text").text == text


def test_a_lone_hanja_one_between_groups_stays_a_dash() -> None:
    assert normalise("010 一 1234 一 5678").text == "010 - 1234 - 5678"
    assert normalise("010一1234一5678").text == "010-1234-5678"


def test_spelled_digits_are_one_piece_of_the_view() -> None:
    text = "tel zero one zero, one two three four, five six seven eight ok"
    view = normalise(text)
    assert view.text == "tel 010-1234-5678 ok"
    start = view.text.index("010")
    # Any detection that touches the chain covers its whole written form in the original.
    assert view.span(start, start + 3) == (4, text.index(" ok"))


def test_short_groups_need_an_identifier_shape() -> None:
    assert normalise("공사-12").text == "공사-12"  # two groups, few digits
    assert normalise("공이-1234-5678").text == "02-1234-5678"
    assert normalise("공사-1234-5678").text == "공사-1234-5678"  # no phone's area code is 04
    assert normalise("2024-공사-0123").text == "2024-공사-0123"  # no identifier is grouped 4-2-4
    assert normalise("공사 1234 5678").text == "공사 1234 5678"  # spaces only, written digits: prose around numbers
    assert normalise("공이 일이삼사 오육칠팔").text == "02 1234 5678"  # spaces only, every group spoken
