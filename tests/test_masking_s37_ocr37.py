"""Stop 37, issue 24 (s36 red team's class): identifiers written with look-alike digits.

Classes: letters an OCR pass, a scan or a careless hand puts for digits inside a digit group (O o D for 0, I l for 1,
Z z for 2, S s for 5, G for 6, B for 8, q g for 9); digits drawn in circles, negative circles, double circles,
brackets or with a full stop (①, ❶, ➀, ➊, ⓵, ⑴, ⒈; the ➀ series has no zero, so its ten stands for one), full-width
and mathematical digits; Cyrillic and Greek letters that look like Latin letters or digits (О, Ο, З, б) in a word
with ASCII letters or digits; combining marks drawn on each digit (underline, strike, overline, an enclosing
circle); a value that ends its line with a dash and goes on after an empty line (a PDF copied page by page). Each
kind the masker knows (phone, 주민/외국인/사업자등록번호, card, account, 운전면허번호, passport, IPv4) in chat,
JSON, CSV, logs and Korean prose; and look-alikes that must go out unchanged: words and codes made of those letters
(SOS, BIOS 2.0, IO-1O, SB12-3456-7890), hex and base64, units (512B, 10s), list markers (① 개요, ⑴ 총칙), Russian and
Greek words, accented Latin, dates and contract numbers broken over a blank line. All values are made up here
(check digits computed where the shape has one); none is real.

The rule for OCR letters (detect._lookalike_digits): a run of two to four groups joined by one space, dot or dash is
read as digits only when every group holds a digit and nothing but digits and those letters, the letters are at
most half as many as the digits and there are six digits or more; then the digit detectors must find a value in
the reading (checksum for cards and 주민/외국인/사업자번호, a licence's region, a phone's or an account's shape and
its bank word). Letters in a value that fails them stay as written.
"""

from __future__ import annotations

import re

import pytest

from bidradar.masking import Masker
from bidradar.masking.leakcheck import leak_scan
from bidradar.masking.normalize import normalise
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = b"s37-ocr37-masking-test-key-32-by"
SECRETS = ("한빛소프트랩",)

# The values (made up; check digits computed): phone 010-4821-7735, 주민 850315-1582030, 외국인 920807-6185203,
# 사업자 220-81-56219, cards 4551 6328 0915 3849 and 5381 6094 7215 0685, account 123456-78-901234 (국민),
# licence 21-15-385106-58, passport M58308163, IPv4 59.137.116.106.
ATTACKS = [
    # OCR letters inside digit groups
    ("연락처 O1O-4821-7735", "01048217735"),
    ("TEL 5 O1O-4821-7735 (내선 없음)", "01048217735"),
    ("[김하늘] [오후 2:14] 제 번호 o1o-482l-7735 이에요", "01048217735"),
    ('{"name": "최유진", "mobile": "010-4B21-773S"}', "01048217735"),
    ("name,phone\n김하늘,O1O-4821-773S\n이도윤,02-3142-7788\n", "01048217735"),
    ("주민번호 8S0315-1S82030", "8503151582030"),
    ("제 주민등록번호는 85O315-l582O30 입니다", "8503151582030"),
    ("외국인등록번호 92O8O7-6l85203 (스캔본)", "9208076185203"),
    ("외국인등록번호 9Z0807-618SZ03", "9208076185203"),
    ("사업자등록번호 22O-81-S6219", "2208156219"),
    ("카드번호 4SS1 6328 O9l5 3849", "4551632809153849"),
    ("2026-12-07 10:14:02 INFO payment pan=5381-6O94-72l5-O685 status=ok", "5381609472150685"),
    ("card: 4551 G328 0915 3B4q exp 09/29", "4551632809153849"),
    ("국민은행 l23456-78-9O1234 예금주 김하늘", "12345678901234"),
    ("환불 계좌: 국민 123456-7B-90l234", "12345678901234"),
    ("운전면허 2l-15-3851O6-58 (1종 보통)", "211538510658"),
    ('{"license_no": "21-1S-385106-S8"}', "211538510658"),
    ("서버 S9.137.116.1O6 접속 불가", "59137116106"),
    ("여권번호 M583O8l63 (스캔)", "58308163"),
    ('{"passport_no": "M5S3O8163", "nationality": "KOR"}', "58308163"),
    # digits drawn in circles and brackets
    ("연락처 ⓪①⓪-④⑧②①-⑦⑦③⑤", "01048217735"),
    ("HP ⓿❶⓿-❹❽❷❶-❼❼❸❺", "01048217735"),
    ("[박서준] ➓➀➓-➃➇➁➀-➆➆➂➄ 로 연락 주세요", "01048217735"),
    ("주민번호 ➑➎➓➂➀➎-➀➎➑➁➓➂➓", "8503151582030"),
    ("카드 ⓸⓹⓹⓵ ⓺⓷⓶⓼ ⓾⓽⓵⓹ ⓷⓼⓸⓽", "4551632809153849"),
    ("사업자번호 ⑵⑵⑽-⑻⑴-⑸⑹⑵⑴⑼", "2208156219"),
    ("면허번호 ⒉⒈-⒈⒌-⒊⒏⒌⒈⒑⒍-⒌⒏", "211538510658"),
    ("서버 ➄➈.➀➂➆.➀➀➅.➀➓➅", "59137116106"),
    ("연락처 🄋➀🄋-➃➇➁➀-➆➆➂➄", "01048217735"),
    ("계좌 (국민) １２３４５６－７８－９０１２３４", "12345678901234"),
    ("card 𝟒𝟓𝟓𝟏 𝟔𝟑𝟐𝟖 𝟎𝟗𝟏𝟓 𝟑𝟖𝟒𝟗", "4551632809153849"),
    ("phone,note\n𝟢𝟣𝟢-𝟦𝟪𝟤𝟣-𝟩𝟩𝟥𝟧,개인\n", "01048217735"),
    ("여권번호 ⓜ➄➇➂➓➇➀➅➂", "58308163"),
    # Cyrillic and Greek look-alikes
    ("тел. О1О-4821-7735", "01048217735"),
    ("τηλ. Ο1Ο-4821-7735", "01048217735"),
    ("주민번호 850З15-1582030", "8503151582030"),
    ("카드 4551 бЗ28 0915 З849", "4551632809153849"),
    ("서버 59.1З7.11б.1О6", "59137116106"),
    # combining marks on each digit
    ("신청인 (9̲2̲0̲8̲0̲7̲-̲6̲1̲8̲5̲2̲0̲3̲)", "9208076185203"),
    ("휴대폰 0̶1̶0̶-̶4̶8̶2̶1̶-̶7̶7̶3̶5̶", "01048217735"),
    ("사업자 2̅2̅0̅-8̅1̅-5̅6̅2̅1̅9̅", "2208156219"),
    ("카드 4⃝5⃝5⃝1⃝ 6⃝3⃝2⃝8⃝ 0⃝9⃝1⃝5⃝ 3⃝8⃝4⃝9⃝", "4551632809153849"),
    # a dashed value broken over an empty line (PDF text)
    ("카드번호 4551-6328-\n\n0915-3849  유효기간 09/29", "4551632809153849"),
    ("연락처 010-4821-\n\n7735", "01048217735"),
    ("주민등록번호 850315-\n\n1582030 (신청서 2쪽)", "8503151582030"),
    ("계좌번호 123456-78-\n \n901234 (국민)", "12345678901234"),
]

ORDINARY = [
    "IO-1O 커넥터 2개, SOS 버튼, BIOS 2.0 업데이트, ZIP 파일",
    "모델 SB-1200-S, 품번 GS-5810-B2, 규격 B5 용지 500매",
    "S/N: SB12-3456-7890 (제조번호)",
    "sha256 3b8f0a1c9d2e4f6a 0xDEADBEEF color #1B5E20 ff00aa",
    "payload aGVsbG8gd29ybGQ= Q2xhdWRlIDIuMA== SGVsbG8sIDIwMjQ=",
    "버퍼 512B 1024B 2048B 4096B, 타임아웃 10s 30s 60s, 메모리 16G-32G-64G",
    "commit 12b4560 998b123 merged; tag v2.0.1O",
    "목차 ① 개요 ② 범위 ③ 일정, ⑴ 총칙 ⑵ 입찰 ⑶ 계약, ⒈ 서론",
    "①②③ 단계로 진행, ➀➁➂ 순서, 평가 ⑩점 만점에 ⑧점",
    "Телефон: свяжитесь с Олегом, Ο Όλυμπος 2917 μ.",
    "СОVID-19 대응 2024, café naïve résumé, e̲x̲a̲m̲p̲l̲e̲",
    "기간 2024-03-\n\n15 09:00, 계약번호 2024-0012-\n\n0001호",
    "목록 1-\n\n2-\n\n3, 공고번호 20241201234-00, 조달요청번호 1234567-00",
    "B2B 2024-01-15, Q3 2025, ISO 9001:2015, OS 10.15.7",
    "HS 3907.68-8046, 2Ol5-O1-O1 개정",
    "품번 G5-1O2B-3S45, 로트 L0T-2O24-l1",
]


_TOKEN_RE = re.compile(r"MASK_[A-Z]+_[0-9A-F]{16}")
_OCR_READ = str.maketrans("OoDIlZzSsGBqg", "0001122556899")


def _compact(text: str) -> str:
    """The digits of what is sent, with every look-alike letter read as a digit (tokens taken out first)."""
    return "".join(c for c in _TOKEN_RE.sub(" ", normalise(text).text).translate(_OCR_READ) if c.isdigit())


@pytest.mark.parametrize(("text", "value"), ATTACKS, ids=[f"attack-{i}" for i in range(len(ATTACKS))])
def test_look_alike_value_does_not_go_out(text: str, value: str) -> None:
    masker = Masker(KEY, SECRETS)
    try:
        sent = mask_outgoing(masker, text, "the text")
    except MaskingRefused:
        return  # nothing was sent
    assert value not in _compact(sent.text), sent.text
    assert not sent.residues, sent.counts  # a detector masked it, not the leak check's residue
    assert masker.unmask(sent.text) == text


@pytest.mark.parametrize("text", ORDINARY, ids=[f"ordinary-{i}" for i in range(len(ORDINARY))])
def test_ordinary_look_alike_goes_out_unchanged(text: str) -> None:
    assert mask_outgoing(Masker(KEY, SECRETS), text, "the text").text == text


def test_view_reads_look_alike_digits() -> None:
    assert normalise("➓➀➓-➃➇➁➀").text == "010-4821"
    assert normalise("⑵⑵⑽-⑻⑴").text == "220-81"
    assert normalise("⓿❶⓿ ⓵⓶").text == "010 12"
    assert normalise("⑴ 개요 ⑩점").text == "(1) 개요 10점"  # alone: NFKC's reading
    assert normalise("тел. О1О-4821").text == "тел. O1O-4821"  # a mixed word reads in Latin
    assert normalise("Олег").text == "Олег"  # a Russian word stays
    assert normalise("1̲6̲-̲8̲").text == "16-8"
    view = normalise("카드 4551-6328-\n\n0915-3849")
    assert view.text == "카드 4551-6328-0915-3849"
    assert view.span(3, len(view.text)) == (3, 24)  # the whole written value, breaks too


def test_ocr_letters_need_a_valid_value() -> None:
    """The same letters in a value whose checksum fails are not read (nothing to mask: a detector judges)."""
    masker = Masker(KEY, SECRETS)
    good = mask_outgoing(masker, "카드번호 4SS1 6328 O9l5 3849", "the text")
    assert "CARD" in good.counts
    bad = mask_outgoing(masker, "카드번호 4SS1 6328 O9l5 3840", "the text")
    assert "CARD" not in bad.counts


def test_a_word_before_a_number_is_not_read_into_it() -> None:
    """One separator throughout a read run: `5G` then a space is a word before the number, not its first group."""
    sent = mask_outgoing(Masker(KEY, SECRETS), "계좌 관련 문의 5G 2024-0012-345678", "the text").text
    assert sent.startswith("계좌 관련 문의 5G MASK_"), sent
    sent = mask_outgoing(Masker(KEY, SECRETS), "국민은행 지점코드 S2B 1234-567890", "the text").text
    assert "S2B MASK_" in sent, sent


# The independent second check: it reads the view, so it sees everything the view folds (drawn digits, look-alike
# scripts, marks, the PDF break), and reads OCR letters in digit groups with its own pattern (leakcheck._read_ocr_letters).
@pytest.mark.parametrize(("text", "value"), ATTACKS, ids=[f"leakcheck-{i}" for i in range(len(ATTACKS))])
def test_leak_check_alone_sees_folded_digits(text: str, value: str) -> None:
    assert leak_scan(text), text


@pytest.mark.parametrize("text", ORDINARY, ids=[f"leakcheck-ordinary-{i}" for i in range(len(ORDINARY))])
def test_leak_check_leaves_ordinary_look_alikes(text: str) -> None:
    assert leak_scan(text) == [], text
