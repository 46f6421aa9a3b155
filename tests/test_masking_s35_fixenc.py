"""Stop 35, after the red team (docs/notes/s35-redteam.md): values written apart or encoded so no detector saw them.

Classes: bytes as quoted-printable or `\\x` escapes; Markdown around each digit group; a line break inside a digit
group; values split over cells, strings or fields; keys written in groups of four after their label; the company's
secret name as base64 of its UTF-8. Each class has attacks that must not go out and ordinary look-alikes that must go
out unchanged. The values are made up (valid check digits where the shape has one) and differ from the red team's.
"""

from __future__ import annotations

import base64

import pytest

from bidradar.masking import Masker
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = b"s35-fixenc-masking-test-key-32by"
SECRETS = ("한빛소프트랩", "Bluefin Data")


def _qp(value: str) -> str:
    return "".join(f"={b:02X}" for b in value.encode())


def _hex_escapes(value: str) -> str:
    return "".join(f"\\x{b:02x}" for b in value.encode())


# (text, what must not appear in what is sent: the value's digits or letters once separators go)
ATTACKS = [
    # quoted-printable and \x escapes
    (f"Content-Transfer-Encoding: quoted-printable\n\n주민번호 {_qp('850315-1234564')}\n", "8503151234564"),
    (f'{{"phone": "{_qp("010-2345-6789")}"}}', "01023456789"),
    (f"연락처: {_qp('010-2345-')}=\n{_qp('6789')} 입니다", "01023456789"),
    (f"acct = '{_hex_escapes('110-234-567890')}'  # 신한", "110234567890"),
    (f'const biz = "{_hex_escapes("220-81-62517")}";', "2208162517"),
    # Markdown around each group
    ("주민번호: `850315`-`1234564`", "8503151234564"),
    ("사업자등록번호 **220**-**81**-**62517** 입니다", "2208162517"),
    ("전화 _010_-_2345_-_6789_ 로", "01023456789"),
    ("연락처 ***010***.***2345***.***6789***", "01023456789"),
    # a line break inside a group
    ("INSERT INTO t VALUES ('850315\n1234564');", "8503151234564"),
    ("UPDATE t SET phone = '010-23\n45-6789';", "01023456789"),
    ('tel = "010-2345-67\\n89"', "01023456789"),
    ("휴대폰 010-234\n5-6789로 주세요", "01023456789"),
    ("biz_no: 220-8\n1-62517\n", "2208162517"),
    # split values
    ("<tr><th>결제 카드</th><td>4539</td><td>1488</td><td>0343</td><td>6467</td></tr>", "4539148803436467"),
    ('to = ["minsu.park", "@", "example-corp.co.kr"]', "minsu.parkexample-corp.co.kr"),
    ("담당: minsu.park@\nexample-corp.co.kr 로 회신", "minsu.parkexample-corp.co.kr"),
    ("생년월일: 850315, 성별: 1, 뒷자리: 234564", "8503151234564"),
    ("여 권 번 호 : M123A4567", "M123A4567"),
    # keys in groups of four
    ("[prod]\naws_access_key_id = AKIA 7QX2 LM4N 9RTB WZ3K\n", "AKIA7QX2LM4N9RTBWZ3K"),
    (
        "aws_secret_access_key: 9fQw +2kL xZ7p Rt4m Vb8n Yc3h Jd6s Qe1a Wg5u Ko0i",
        "9fQw2kLxZ7pRt4mVb8nYc3hJd6sQe1aWg5uKo0i",
    ),
    ("키 보내드려요\nghp_ 4aB9 cD3e F7gH 2iJk L5mN o8Pq R1sT u6Vw X0yZ", "ghp4aB9cD3eF7gH2iJkL5mNo8PqR1sTu6VwX0yZ"),
]

ORDINARY = [
    # bytes that are not a value, or not text
    "Subject: =?UTF-8?Q?=EC=95=88=EB=85=95?=\n\n=EC=95=88=EB=85=95=ED=95=98=EC=84=B8=EC=9A=94, 공고 검토 부탁드립니다.",
    "png = b'\\x89\\x50\\x4e\\x47\\x0d\\x0a\\x1a\\x0a'",
    "a=1b=2c=3d=4 (변수 목록)",
    "url = 'https://example.com/?a=12&b=34&c=56'",
    # Markdown around numbers that are not a value
    "**2024**-**2025** 사업계획, `v1`.`2` 배포",
    "점수: **85** **90** **78**",
    "`1.2.3` 버전과 `2024-11-02` 배포일",
    # a number at a line end before a line that starts with one
    "id,amount\n1,15000\n2,23000\n3,1200\n",
    "took 12\n2024-11-02 09:13:44 INFO next\n",
    "합계 1500\n2024-11-02 09:13 로그 확인",
    'notes = "2024-01-01\\n2024-02-01"',
    "line 88\n1234 bytes written",
    'amounts,"15000\n23000",total\n',
    # cells, strings and fields that are not one value
    "<tr><td>매출</td><td>2021</td><td>4539</td><td>1488</td><td>6467</td></tr>",
    "<tr><td>카드 수량</td><td>12</td><td>30</td></tr>",
    'tokens = ["user", "@", "mention"]',
    "메일 주소 끝에 @\n다음 줄",
    "생년월일 1985년 3월, 성별 1명, 뒷자리 없음",
    "여 권 발급 안내: 수수료 53000원",
    # groups of four that are not a key
    "this text uses many four word runs like this here",
    "커밋 해시: 3f2a 9c1b 77de 0a12 확인",
    "title: Read this when your team gets here",
    "카드 뒷면 일련번호 ABCD EFGH 참고",
    # base64 of a Hangul name that is not the company's
    "| 업체명 | 6rCA64KY64uk7IaM7ZSE7Yq4656p |",
    "SELECT '2024\n1102' AS d;",
    "공고번호 20241234567-00\n2024-11-02 마감",
]


@pytest.mark.parametrize(("text", "value"), ATTACKS, ids=[f"attack-{i}" for i in range(len(ATTACKS))])
def test_value_written_apart_does_not_go_out(text: str, value: str) -> None:
    masker = Masker(KEY, SECRETS)
    try:
        sent = mask_outgoing(masker, text, "the text").text
    except MaskingRefused:
        return  # nothing was sent
    compact = "".join(c for c in sent if c.isalnum())
    assert value not in compact, sent
    assert masker.unmask(sent) == text


@pytest.mark.parametrize("text", ORDINARY, ids=[f"ordinary-{i}" for i in range(len(ORDINARY))])
def test_ordinary_look_alike_goes_out_unchanged(text: str) -> None:
    assert mask_outgoing(Masker(KEY, SECRETS), text, "the text").text == text


def test_secret_name_as_base64_of_its_utf8() -> None:
    masker = Masker(KEY, SECRETS)
    for name in SECRETS:
        text = f"| 업체명 | {base64.b64encode(name.encode()).decode()} |"
        sent = mask_outgoing(masker, text, "the text").text
        assert base64.b64encode(name.encode()).decode() not in sent, sent
        assert masker.unmask(sent) == text
