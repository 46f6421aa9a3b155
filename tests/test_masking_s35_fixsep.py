"""Stop 35, after the red team (docs/notes/s35-redteam.md items 1, 6, 9, 10): separators, IPs, bucket names and
passwords that no detector read.

Classes: a separator between the groups of a phone, a 사업자등록번호 or a 법인등록번호 that the digit readers did not know (box
drawing, wave dash, two-em dash, modifier minus, a doubled dash, `:`, `|`, `,`, `'`, `+`, `#`, `、`, `→`, `／`, `\\`); an IPv4 with
spaced plain dots or underscores; an AWS account id as a part of a bucket name; a password in the chat message after
its label (Slack's header line between) or after `is` in English prose.
Each class has attacks that must not go out and ordinary look-alikes that must go out unchanged. The values are made
up (valid check digits where the shape has one) and differ from the red team's.
"""

from __future__ import annotations

import pytest

from bidradar.masking import Masker
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = b"s35-fixsep-masking-test-key-32by"
SECRETS = ("한빛소프트랩",)

_PHONE_SEPARATORS = ("─", "━", "〜", "〰", "⸺", "⸻", "˗", "--", ":", "|", ",", "+", "#", "、", "→", "／", "\\")
_BRN_SEPARATORS = (*_PHONE_SEPARATORS, "'")

# (text, what must not appear in what is sent: the value's digits once separators go)
ATTACKS = [
    *((f"연락처 010{s}2345{s}6789 로 주세요", "01023456789") for s in _PHONE_SEPARATORS),
    *((f"대표번호 031{s}987{s}6543", "0319876543") for s in _PHONE_SEPARATORS),
    *((f"사업자번호 220{s}81{s}62517", "2208162517") for s in _BRN_SEPARATORS),
    # without a label: the checksum decides where the separator has no other meaning in ordinary text
    *((f"거래처 124{s}81{s}00998 확인", "1248100998") for s in ("─", "〜", "⸺", "˗", "--", "→", "、", "\\")),
    ("표에서 복사: 010─2345─6789 (담당)", "01023456789"),  # an HWP table's box-drawing dash
    *((f"법인등록번호 134811{s}0001230", "1348110001230") for s in _BRN_SEPARATORS),
    *((f"상대 법인 134811{s}0001230 입니다", "1348110001230") for s in ("─", "〜", "--", "→", "、", "\\")),
    # IPv4 with spaced plain dots or underscores
    ("DB 아이피 10 . 24 . 133 . 7 로 접속", "10241337"),
    ("서버 주소는 203. 0. 113. 77 입니다", "203011377"),
    ("172_20_5_61 서버 점검", "17220561"),
    ("192_168_7_30", "192168730"),
    ("ssh 접속 10_200_30_40 (bastion)", "102003040"),
    # an AWS account id as a part of a bucket name
    ("bucket: hanbit-logs-730125846391", "730125846391"),
    ("S3 버킷 730125846391-tfstate 에 저장", "730125846391"),
    ("백업은 hanbit-db-backup-730125846391 으로", "730125846391"),
    # passwords without a label on their line
    ("minji.kim  2:41 PM\n비번 알려드릴게요\nminji.kim  2:41 PM\nQw7!zpLm4x\n", "Qw7zpLm4x"),
    ("pw 알려드려요\nminji.kim  오후 2:41\nHbx#2025tk", "Hbx2025tk"),
    ("the password for the prod replica is Spring2025!, keep it to yourself", "Spring2025"),
    ("the admin password on the old staging box was Tq9$mkR2 until Monday", "Tq9mkR2"),
]

ORDINARY = [
    "회의는 10:30:45에 시작, 09:00~18:00 근무",
    "로그 2024-01-15 10:30:45.123 INFO started",
    "계약금액 1,234,567원, 부가세 123,456원",
    "항목 120, 35, 45002 순으로 정렬",  # 3-2-5 numbers whose checksum holds, in a list: no 사업자 word
    "| 120 | 35 | 45017 |\n| 300 | 12 | 10000 |",
    "점수 120:35:45021 (누적)",
    "버전 1.2.3 → 1.2.4 로 업그레이드, v2.10.3",
    "비율 3:2:1, 경기 결과 2:1, 이슈 #123 참고",
    "국가번호 +82, 합계 100+200+300",
    "진행 1단계 → 2단계 → 3단계, 2019〜2024년",
    "───────────────\n 2024 결산 \n━━━━━━━━━━━━━━━",
    "기간 2024─01─15 ~ 2024─02─15",
    "목록: 가、나、다, 1、2、3",
    "파일 C:\\data\\2024\\report.xlsx",
    "ISBN 978-89-12345-67-8, 쪽수 320",
    "목차 1 . 2 . 3 . 4 순서, 점수 100 . 200 . 30 . 40",
    "release_10_20_30_40 태그, 10_20_30_40 항목, 2024-10-11-12 배포",
    "끝났다. 2024. 10. 15. 회의",
    "코드 134811, 0001230 순서, 134811:0001230",  # 6+7 digits whose 법인 checksum holds, without a 법인 word
    "order-730125846391 배송 완료, build-730125846391 ok, s3 logs-202401151230",
    "the password for the staging DB is expired, reset it",
    "the password for the new admin account is required to be long",
    "pw 알려드려요\nminji.kim  2:41 PM\n회의는 10시입니다",
    "예시 값 (000000-0000000, 000-00-00000, 1234)",  # placeholders in a list: their own dashes, not split groups
]


@pytest.mark.parametrize(("text", "value"), ATTACKS, ids=[f"attack-{i}" for i in range(len(ATTACKS))])
def test_value_written_apart_does_not_go_out(text: str, value: str) -> None:
    masker = Masker(KEY, SECRETS)
    try:
        sent = mask_outgoing(masker, text, "the text").text
    except MaskingRefused:
        return  # nothing was sent
    compact = "".join(c for c in sent if c.isdigit() or c.isalpha())
    assert value not in compact, sent
    assert masker.unmask(sent) == text


@pytest.mark.parametrize("text", ORDINARY, ids=[f"ordinary-{i}" for i in range(len(ORDINARY))])
def test_ordinary_look_alike_goes_out_unchanged(text: str) -> None:
    assert mask_outgoing(Masker(KEY, SECRETS), text, "the text").text == text
