"""Stop 36, fixco36: a company secret written with separators between its characters, and e-mails with defanged dots.

Classes: the profile secret `청운데이터랩` with a short run of `-_./*~` (the view reads `·` as `.`) or an HTML tag between
any two characters (`청운-데이터-랩`, `<b>청운</b>데이터랩`, a file name `청운_데이터랩_견적서.xlsx`); e-mail addresses with a
plain at and a defanged dot in the domain (`[.]`, `(.)`, `[dot]`, a dot with spaces around it) or wrapped right before
the at. Each class is tried in several formats (a label line, chat, CSV, JSON, Markdown, HTML, a file name) through the
real policy (masker, then leak check), and restored exactly; look-alikes (other words sharing a prefix, prose with
dots and dashes, a handle on a new line) go out unchanged. The company name and every address are made up here.
"""

from __future__ import annotations

import json

import pytest

from bidradar.masking import Masker
from bidradar.masking.leakcheck import leak_scan
from bidradar.masking.policy import mask_outgoing

KEY = b"s36-fixco36-masking-test-key-32b"
SECRETS = ("청운데이터랩",)


def _send(text: str) -> tuple[str, Masker]:
    masker = Masker(KEY, SECRETS)
    return mask_outgoing(masker, text, "prompt").text, masker


SEPARATED_NAMES = [
    "청운-데이터-랩",
    "청운·데이터·랩",
    "청운_데이터랩",
    "청운/데이터랩",
    "청운.데이터.랩",
    "청운데-이터랩",
    "청운**데이터랩",
    "청운</b>데이터랩",
    "청-운-데-이-터-랩",
    "청운 - 데이터 - 랩",
    "청운~데이터~랩",
    '청운</span><span class="x">데이터랩',
]
FORMATS = [
    "업체: {}",
    "[오후 3:02] 김대리: {} 견적 보냈어요",
    "업체명,대표\n{},홍길동",
    '{{"company": "{}"}}',
    "| 업체 | {} |",
]


@pytest.mark.parametrize("name", SEPARATED_NAMES)
@pytest.mark.parametrize("form", FORMATS)
def test_separated_secret_is_masked_whole_and_restored(name: str, form: str) -> None:
    text = form.format(json.dumps(name, ensure_ascii=False)[1:-1] if form.startswith("{{") else name)
    sent, masker = _send(text)
    assert "청운" not in sent and "데이터" not in sent and "랩" not in sent
    assert sent.count("MASK_SECRET_") == 1  # one token for the whole written form
    assert masker.unmask(sent) == text
    assert leak_scan(sent, masker.secret_variants) == []


@pytest.mark.parametrize(
    "text",
    [
        "청운_데이터랩_견적서.xlsx",
        "(주)청운데이터-랩",
        "**청운**데이터랩 입찰 참가",
        "<b>청운</b>데이터랩",
        "청운데이터랩",
        "청운 데이터랩",
    ],
)
def test_marked_up_and_file_name_forms(text: str) -> None:
    sent, masker = _send(text)
    assert "청운" not in sent and "데이터랩" not in sent
    assert masker.unmask(sent) == text


@pytest.mark.parametrize(
    "text",
    [
        "청운동 주민센터 앞에서 만나요",
        "데이터랩 소개 자료",
        "청운.데이터 분석 과제",
        "청운----데이터랩",  # a rule, not a separator
        "v1.2.3 - 데이터 - 랩 노트",
        "a-b-c 데이터/분석",
        "2024.11.01 개찰",
        "서울 종로구 청운효자동, 데이터 센터",
    ],
)
def test_look_alikes_go_out_unchanged(text: str) -> None:
    sent, _ = _send(text)
    assert sent == text


def test_leak_check_reads_separated_secret() -> None:
    variants = Masker(KEY, SECRETS).secret_variants
    for text in ("업체: 청운-데이터-랩", "<b>청운</b>데이터랩", "청운·데이터·랩"):
        assert [kind for kind, *_ in leak_scan(text, variants)] == ["SECRET"]
    for text in ("청운동", "청운----데이터랩", "데이터랩"):
        assert leak_scan(text, variants) == []


DEFANGED = [
    ("dev-ops44@cwdl[.]kr", "dev-ops44"),
    ("hs.kim7@naver(.)com", "hs.kim7"),
    ("jiwoo.park63@cwdl . kr", "jiwoo.park63"),
    ("minji_lee@example[dot]co[.]kr", "minji_lee"),
    ("hs.kim7@naver{.}com", "hs.kim7"),
    ("hs.kim7\n@naver.com", "hs.kim7"),
]
EMAIL_FORMATS = [
    "담당자 이메일: {}",
    "[오전 9:10] 박과장: 메일은 {} 로 주세요",
    "이름,메일\n김하늘,{}",
    "> 회신: {}",
]


@pytest.mark.parametrize(("address", "local"), DEFANGED)
@pytest.mark.parametrize("form", EMAIL_FORMATS)
def test_defanged_email_is_masked(address: str, local: str, form: str) -> None:
    text = form.format(address)
    sent, masker = _send(text)
    assert local not in sent
    assert "MASK_EMAIL_" in sent
    assert masker.unmask(sent) == text
    assert leak_scan(sent) == []


@pytest.mark.parametrize("address", [a for a, _ in DEFANGED if "\n" not in a])
def test_leak_check_reads_defanged_email(address: str) -> None:
    assert {kind for kind, *_ in leak_scan(f"메일: {address}")} == {"EMAIL"}


@pytest.mark.parametrize(
    "text",
    [
        "사용 예: foo@bar . 그리고 다음",
        "email me@home . Then we talk",
        "hello\n@kim.park 확인 부탁",
        "Thanks.\n@naver.com 공지",
        "파일 v1.2 . 3 버전 [.] 표기",
        "(주)청운 (.) 안내",
    ],
)
def test_email_look_alikes_go_out_unchanged(text: str) -> None:
    sent, _ = _send(text)
    assert sent == text
