"""Stop 37 (misc37), after the s36 red team (docs/notes/s36-redteam36.md): values in the shapes its remaining cases
showed that are neither look-alike digits, passwords nor told over several messages.

Classes: an e-mail inside a mail header's encoded word (`=?UTF-8?Q?…=40…?=`, `?B?`) or with single quoted-printable
escapes (`kim=40naver=2Ecom`); a 주민번호's back half quoted or as a list item under `뒤 7자리: 아래 참고`; a phone's
middle group named (가운데, 중간); phone pieces between Slack's `name  3:12 PM` lines; English digit words after
written groups (`010-5552-three seven two one`); a 법인/사업자번호 in fields named in turn (`reg_no_a`/`reg_no_b`,
`brn1`..`brn3`); a 주민번호's back half in a table column of its own (`rrn_back`, `주민번호 뒷자리`); a bare
사업자번호 as a mapping key under a name for businesses (`{"vendors": {"4048698049": …}}`); an access key told in two
pieces with words between. Each class has attacks in several formats that must not go out, through the real
policy, and ordinary look-alikes (product codes, order numbers, dates, amounts, 공고번호, 계약번호, 등기번호) that
must go out unchanged. All values are generated (checksums computed, see test_values_are_well_formed) or made up.

Not masked, by decision: a key written backwards (s36 awskey-reversed, tok-openai-reversed). Reversing a secret is
not how text is written; it is a deliberate transformation, like a cipher, which no masker can enumerate
(docs/masking.md, "What is not detected").
"""

from __future__ import annotations

import pytest

from bidradar.masking import Masker
from bidradar.masking.detect import TOKEN_RE, business_number_ok, corporate_number_ok, rrn_check_ok
from bidradar.masking.leakcheck import leak_scan
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = b"s37-misc37-masking-test-key-0001"
SECRETS = ("청운데이터랩",)

CRN = "1345114569959"  # 134511-4569959
BRN = "4048698049"  # 404-86-98049
BRN2 = "9448183374"  # 944-81-83374
RRN = "8709232567976"  # 870923-2567976
ACCESS_KEY = "AKIAEOU7WH3EK73ZXSJ5"

# (text, what must not appear in what is sent: ASCII letters and digits only, everything else removed)
ATTACKS = [
    # an e-mail in a mail header's encoded word, or with single quoted-printable escapes
    ("Reply-To: =?UTF-8?Q?jiwoo=2Epark=40naver=2Ecom?=", "jiwoo2Epark40naver"),
    ("From: =?utf-8?q?seoyeon=2Elee=40daum=2Enet?=\nSubject: 견적 문의", "seoyeon2Elee40daum"),
    ("To: =?UTF-8?B?aml3b28ucGFya0BuYXZlci5jb20=?=", "aml3b28ucGFya0BuYXZlci5jb20"),  # jiwoo.park@naver.com
    ("=?euc-kr?Q?=B1=E8=B9=CE=BC=F6?= <minsu.kim=40hanmail=2Enet>", "minsukim40hanmail"),
    (
        "Content-Transfer-Encoding: quoted-printable\n\n담당자 메일: haneul.jung=40gmail=2Ecom 입니다=\n",
        "haneuljung40gmail",
    ),
    ('{"headers": {"reply_to": "=?UTF-8?Q?dohyun=40cheongun=2Eco=2Ekr?="}}', "dohyun40cheongun"),
    ("2026-01-02 10:11:12 INFO mail queued rcpt=yujin.choi=40naver.com id=8812", "yujinchoi40naver"),
    # a 주민번호's back half quoted or as a list item, its label pointing there
    (f"- 앞 6자리: {RRN[:6]}\n- 뒤 7자리: 아래 참고\n\n> {RRN[6:]}", RRN[6:]),
    (f"주민번호 앞자리 {RRN[:6]}\n뒷자리는 따로 적을게요\n* {RRN[6:]}", RRN[6:]),
    (f"> 앞자리 {RRN[:6]}\n> 뒷자리는 아래\n> > {RRN[6:]}", RRN[6:]),
    (f"생년월일 {RRN[:6]}\n나머지는\n• {RRN[6:]}", RRN[6:]),
    # a phone's middle group named
    ("번호는 010이고요 가운데는 4821, 마지막은 7730예요", "01048217730"),
    ("폰번호 010 중간 4821 끝 7730", "01048217730"),
    ("[김대리] [오후 2:10] 제 번호 앞은 010, 가운데 4자리는 4821, 끝 4자리 7730입니다", "4821"),
    ('{"memo": "연락처 010이고 중간 4821 마지막 7730"}', "01048217730"),
    # phone pieces between Slack's sender-and-time lines
    ("임지민  3:12 PM\n010\n임지민  3:12 PM\n4821\n임지민  3:13 PM\n7730 이 번호로 연락주세요", "7730"),
    ("jihoon.park  오후 3:12\n제 번호 010\njihoon.park  오후 3:12\n4821\njihoon.park  오후 3:13\n7730", "7730"),
    ("kim.ms  10:02 AM\nphone 010\nkim.ms  10:02 AM\n4821\nkim.ms  10:03 AM\n7730", "7730"),
    # English digit words after or before written groups
    ("call me at 010-4821-seven seven three zero", "0104821"),
    ("phone: 010 - 4821 - seven seven three zero", "0104821"),
    ("Tel zero one zero-4821-7730 (after six)", "48217730"),
    ("고객 연락처 010-4821-seven seven three zero 로 회신", "0104821"),
    # a 법인/사업자번호 in fields named in turn
    (f"corp:\n  reg_no_a: '{CRN[:6]}'\n  reg_no_b: '{CRN[6:]}'", CRN[6:]),
    (f'{{"crn1": "{CRN[:6]}", "crn2": "{CRN[6:]}"}}', CRN[6:]),
    (f"CORP_REG_1={CRN[:6]}\nCORP_REG_2={CRN[6:]}", CRN[6:]),
    (f"corp_no_front: {CRN[:6]}\ncorp_no_back: {CRN[6:]}", CRN[6:]),
    (f'{{"brn1": "{BRN[:3]}", "brn2": "{BRN[3:5]}", "brn3": "{BRN[5:]}"}}', BRN[5:]),
    (f"biz_no_1={BRN[:3]}&biz_no_2={BRN[3:5]}&biz_no_3={BRN[5:]}", BRN[5:]),
    # a 주민번호's back half in a table column of its own
    (f"name,rrn_front,phone,rrn_back\n박지훈,{RRN[:6]},010-4821-7730,{RRN[6:]}\n", RRN[6:]),
    (f"이름\t주민번호 앞\t연락처\t주민번호 뒷자리\n김민수\t{RRN[:6]}\t010-4821-7730\t{RRN[6:]}", RRN[6:]),
    (
        f"| 성명 | 생년월일 | 비고 | 주민번호 뒷자리 |\n|---|---|---|---|\n| 홍길동 | {RRN[:6]} | - | {RRN[6:]} |",
        RRN[6:],
    ),
    (f'id,name,resident_no_2\n1,"이서준","{RRN[6:]}"', RRN[6:]),
    # a bare 사업자번호 as a mapping key under a name for businesses
    (f'{{"vendors": {{"{BRN}": {{"score": 88}}}}}}', BRN),
    (f"suppliers:\n  {BRN}:\n    score: 88\n  {BRN2}:\n    score: 71", BRN2),
    (f'협력사별 점수 {{"{BRN}": 88, "{BRN2}": 91}}', BRN2),
    (f'{{"bidders": {{"{BRN}": {{"rank": 1, "price": 1200000, "memo": "적격"}}, "{BRN2}": {{"rank": 2}}}}}}', BRN2),
    # an access key told in two pieces with words between
    (f"액세스키가 {ACCESS_KEY[:8]} 로 시작하고 그 뒤에 {ACCESS_KEY[8:]} 붙어요", ACCESS_KEY[8:]),
    (f"the access key starts with {ACCESS_KEY[:8]} and then {ACCESS_KEY[8:]} follows", ACCESS_KEY[8:]),
    (f"[박대리] [오후 2:10] 키는 {ACCESS_KEY[:10]} 이고 나머지는 {ACCESS_KEY[10:]} 예요", ACCESS_KEY[10:]),
]

ORDINARY = [
    # quoted-printable and encoded words without an address, `=40` that is a value
    "Subject: =?UTF-8?Q?=EC=9E=85=EC=B0=B0_=EA=B3=B5=EA=B3=A0?=",
    "From: =?UTF-8?B?7J6F7LCw6rO16rOg?= <noreply>",
    "width=40px; count=40 retries=40 timeout=40s",
    "curl 'https://api.example.com/list?page=2&size=40&sort=date'",
    "margin=40em.5 ratio=40.5",
    # quoted or listed numbers that are no back half
    "주문 앞자리 123456\n> 7654321",
    "- 앞 6자리: 202603 (공고 연월)\n- 뒤: 아래\n\n> 1234567",
    "공고번호 앞자리 202604\n- 1234567 건",
    # numbers read out with 가운데 or 중간 that are no phone
    "2024년 중간 정산 2016건, 마지막은 3152건",
    "중간고사 2016, 마지막 3152점, 가운데 정렬",
    "예산 가운데 2,016,000원, 마지막 차수 3,152,000원",
    # Slack lines with numbers that are no phone
    "김담당  10:02 AM\n공고번호 2026\n김담당  10:02 AM\n0412\n김담당  10:03 AM\n3456 확인 부탁",
    "회의  3:12 PM\n010\n회의  3:14 PM\n안건 2개",
    "jihoon.park  오후 3:12\n견적 1200\njihoon.park  오후 3:13\n부가세 120",
    # digit words with written numbers that are no identifier
    "version 3-14-one five nine",
    "Order 2026-0412-one two three four shipped",
    "see pages 10-12 and two three four",
    # fields in turn whose values are no 법인/사업자번호
    '{"year": "134511", "count": "4569950"}',
    '{"code_a": "123", "code_b": "45", "code_c": "67890"}',
    "item_1: 134511\nitem_2: 4569950",
    '{"price_1": 1200000, "price_2": 4569959}',
    # table columns of seven digits that are no back half
    "order_no,qty,amount\n2026041,3,1234567",
    "계약번호,금액,비고\n2026-0412,1234567,선금",
    "name,rrn_front,memo\n김민수,870923,확인",
    # 10-digit keys that are no 사업자번호
    f'{{"orders": {{"{BRN}": {{"qty": 3}}}}}}',
    '{"vendors": {"4048698040": {"score": 88}}}',
    f'{{"vendor_count": {BRN}}}',
    '{"notices": {"20260412345": {"title": "소프트웨어 유지보수"}}}',
    # prose about key prefixes
    "AKIA 로 시작하면 장기 키, ASIA 로 시작하면 임시 키 STS 입니다",
    "AKIA로 시작하는 키는 IAM USER ACCESS KEY 입니다",
    "ghp_ 로 시작하는 토큰은 GitHub 에서 발급한 Personal Access Token 입니다",
    "AIza 로 시작하는 키는 Google API 키입니다. 예시 AIzaSy 이고 나머지는 숨김",
    "ASIA2026 행사 안내 GLOBAL SUMMIT",
    "AKIA2026 로드맵 공개 PROJECT ALPHA",
    # notice text: 공고번호, 계약번호, 등기번호, product codes, dates, amounts
    "공고번호 20260412345-00, 계약번호 2026-0412-001, 등기번호 제2026-012345호",
    "품번 PRD-2026-0412, 모델 AB1234-56, 납기 2026.04.30, 금액 1,234,567원",
    "입찰 마감: 2026-04-12 10:00 / 개찰: 2026-04-12 11:00 / 기초금액 123,456,000원",
]


def test_values_are_well_formed() -> None:
    assert corporate_number_ok(CRN)
    assert business_number_ok(BRN) and business_number_ok(BRN2)
    assert rrn_check_ok(RRN)
    assert not business_number_ok("4048698040")


def _compact(text: str) -> str:
    # tokens out first (their hex is no value); Hangul and other words between pieces are no separator
    return "".join(c for c in TOKEN_RE.sub(" ", text) if c.isascii() and c.isalnum())


@pytest.mark.parametrize(("text", "value"), ATTACKS, ids=[f"attack-{i}" for i in range(len(ATTACKS))])
def test_value_does_not_go_out(text: str, value: str) -> None:
    masker = Masker(KEY, SECRETS)
    try:
        out = mask_outgoing(masker, text, "the text")
    except MaskingRefused:
        pytest.fail("refused: these must be masked, not refused")
    assert value not in _compact(out.text), out.text
    # the detectors found it, not only the leak check behind them
    assert not any(k.startswith("leakcheck:") for k in out.counts), out.counts
    assert masker.unmask(out.text) == text


@pytest.mark.parametrize("text", ORDINARY, ids=[f"ordinary-{i}" for i in range(len(ORDINARY))])
def test_ordinary_look_alike_goes_out_unchanged(text: str) -> None:
    assert mask_outgoing(Masker(KEY, SECRETS), text, "the text").text == text


# The leak check reads some of these classes with patterns of its own: with the detectors off it still finds them.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Reply-To: =?UTF-8?Q?jiwoo=2Epark=40naver=2Ecom?=", "EMAIL"),
        ("담당자 메일: haneul.jung=40gmail=2Ecom 입니다", "EMAIL"),
        (f"- 앞 6자리: {RRN[:6]}\n- 뒤 7자리: 아래 참고\n\n> {RRN[6:]}", "DIGITS"),
        (f"생년월일 {RRN[:6]}\n나머지는\n• {RRN[6:]}", "DIGITS"),
        (f"액세스키가 {ACCESS_KEY[:8]} 로 시작하고 그 뒤에 {ACCESS_KEY[8:]} 붙어요", "AWSKEYID"),
        (f"the access key starts with {ACCESS_KEY[:8]} and then {ACCESS_KEY[8:]} follows", "AWSKEYID"),
    ],
)
def test_leak_check_alone_sees_it(text: str, kind: str) -> None:
    assert kind in {k for k, _, _ in leak_scan(text)}


@pytest.mark.parametrize("text", ORDINARY, ids=[f"ordinary-{i}" for i in range(len(ORDINARY))])
def test_leak_check_leaves_look_alikes(text: str) -> None:
    assert leak_scan(text) == []
