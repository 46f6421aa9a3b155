"""Stop 32's red team, identifiers and digit damage (issue 24; /work/wt/attack-findings.md F23, F24, F30, F39 and
the identifier leaks after them). Two sides of one class each:

- ordinary numbers (G2B prices, 예비가격 lists, CSV/TSV columns, command output, samples, versions, CVE ids, OIDs,
  ISBNs, snowflake ids, float prices, `cat -n` line numbers) go out unchanged, and neighbouring numbers are never
  joined across a line break, a tab or a column;
- an identifier written with those same separators is still masked, by a detector, and by the leak check alone
  (every detector off), and never reaches Gemini through the gateway or Claude through the proxy.

Every value is generated (valid check digits where the format has one); nothing is real data."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator

import anthropic
import pytest

from bidradar.masking import Masker
from bidradar.masking.gateway import LLMGateway
from bidradar.masking.policy import mask_outgoing
from tests.kit.anthropic import PLACES, AnthropicStandIn, masking_proxy, request_with_text
from tests.kit.gemini import GeminiStandIn

KEY = b"m" * 32
MODEL = "claude-sonnet-4-5"
_TOKEN = re.compile(r"MASK_[A-Z0-9]+_[0-9A-F]{16}")

RRN = "9001011234568"  # a valid pre-2020 check digit
CARD = "4532015112830366"  # Luhn
BRN = "2208810003"  # 사업자등록번호 checksum

# Ordinary texts that must go out unchanged (F30, F23, F24, F39): (what, text).
ORDINARY_NUMBERS = [
    ("g2b-plnprc-json", '[{"plnprc":"213206123"},{"plnprc":"403692177"}]'),
    ("g2b-bssamt-json", '{"bssamt": "5012175386", "presmptPrce": "4558341260", "bidNtceNo": "20241234567"}'),
    ("yegas-15", "예비가격: " + ", ".join(str(213206123 + 7919 * i) for i in range(15))),
    ("yegas-15-bare", " ".join(str(403692177 - 104729 * i) for i in range(15))),
    ("csv-openings", "opengRank,prcbdrNm,bidprcAmt,bidprcrt\n1,(주)가나,377809087,93.402\n2,(주)다라,412345678,91.123"),
    ("csv-brn-checksum-amount", f"opengRank,bidprcAmt,bidprcrt\n1,{BRN},93.402\n2,7440246702,85.745"),
    (
        "tsv-notices",
        f"공고번호\t기초금액\t개찰일시\n20241234567-00\t123456000\t2025-02-10 11:00\n20241234568-00\t{BRN}\t2025-02-11 10:00",
    ),
    ("tsv-row-number", "1\t20241234567-00\t전산장비 구매\n2\t20241234568-00\t서버 유지보수"),
    ("csv-row-number", "연번,공고번호\n1,20241234567-00\n2,20241234568-00"),
    ("numbered-list", "1. 20241234567-00 전산장비\n2. 20241234568-00 서버"),
    ("date-then-notice", "2024-12-07 20241234567-00"),
    ("amount-then-row", "기초금액\t123456000\n2\t"),
    (
        "cat-n",
        "     1\t공고번호,기초금액,개찰일시\n     2\t20241234567-00,123456000,2025-02-10 11:00\n"
        "     3\t20241234568-00,98765000,2025-02-11 10:00",
    ),
    ("markdown-prices", "| 순위 | 투찰금액 |\n|---|---|\n| 1 | 377809087 |\n| 2 | 2471552813 |"),
    ("count-json", '{"count": 123456789, "sum": 98765432101}'),
    ("wc", "$ wc -l big.csv\n123456789 big.csv"),
    ("psql", "SELECT 123456789"),
    ("log", "Processed 123456789 records in 12.3s"),
    ("df", "Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/nvme0n1p1 507904000 123456789 384447211 25% /"),
    ("free", "              total        used        free\nMem:    16487641088  4123456789 12364184299"),
    ("prometheus", 'http_requests_total{code="200",path="/api"} 953812 1733536200123'),
    ("prometheus-odd-ts", 'http_requests_total{code="200"} 4502166 5205292958268'),
    ("git-merge", "Merge: 7972926 19a12c8"),
    ("version-v8", "v8.10.231.7853"),
    ("version-chrome", "Chrome 120.0.6099.109"),
    ("cve", "CVE-2024-21762, CVE-2023-4863 and CVE-2021-44228"),
    ("oid", "OID 1.2.840.113549.1.1.11, SNMP 1.3.6.1.2.1.1.3.0"),
    ("isbn", "ISBN 978-89-12345-67-8, ISBN 9788912345678"),
    ("snowflake", "Discord message id 1183927465012345678"),
    ("order-id", "order_id=2024120712345678"),
    ("float-price", "예정가격 123456789.0"),
    ("float-json", '"estimated_price": 2471552813.0,'),
    ("float-usd", "USD 1234567.89, total 12345678.0, mean=1234567.123 std=2345.6"),
    ("epoch-float", "time 1733536200.123456"),
    ("epoch-json", '"created_at": 4282027923, "updated_at": 7836365087'),
    ("ts-13", "ts=3205160348217 level=info msg=done"),
    ("tracking", "주문번호 20241207-0001234, 송장번호 1234-5678-9012"),
    ("yaml", "budget:\n  bssamt: 5012175386\n  presmptPrce: 4558341260\n  rows: 123456789"),
    ("env", "MAX_BYTES=5368709120\nBATCH=123456789"),
]


@pytest.mark.parametrize("text", [t for _, t in ORDINARY_NUMBERS], ids=[k for k, _ in ORDINARY_NUMBERS])
def test_ordinary_numbers_go_out_unchanged(text: str) -> None:
    out = mask_outgoing(Masker(KEY), text, "the prompt")
    assert out.text == text, (out.text, dict(out.counts))


# Identifiers written with the separators ordinary numbers use: (what, text, values that must not go out).
IDENTIFIERS_WITH_SEPARATORS = [
    ("phone-lines", "연락처\n010\n1234\n5678", ["01012345678"]),
    ("phone-spaces", "010 1234 5678 로 연락", ["01012345678"]),
    ("phone-bare", "01012345678", ["01012345678"]),
    ("rrn-wrapped", f"주민번호 {RRN[:6]}-\n{RRN[6:]}", [RRN]),
    ("rrn-spaces", f"{RRN[:6]} {RRN[6:]}", [RRN]),
    ("rrn-bare", f"값 {RRN}", [RRN]),
    ("rrn-tsv", f"홍길동\t{RRN[:6]}\t{RRN[6:]}", [RRN]),
    ("card-spaces", f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}", [CARD]),
    ("card-bare", f"결제 {CARD}", [CARD]),
    ("card-dots", f"{CARD[:4]}.{CARD[4:8]}.{CARD[8:12]}.{CARD[12:]}", [CARD]),
    ("brn-column", f"업체명,사업자번호,금액\n가나,{BRN},377809087\n다라,{BRN},412345678", [BRN]),
    ("account-bank", "국민은행 123456-01-123456 입금", ["12345601123456"]),
    ("account-json", '{"bank": "신한", "account_no": "110123456789"}', ["110123456789"]),
    ("aws-arn", '{"Principal": {"AWS": "arn:aws:iam::750170377792:role/deployer"}}', ["750170377792"]),
]


# Identifiers split across fields, lines, messages and markup (F1, F2, F5, F28, F36): each group is masked.
BACK = RRN[6:]
SPLIT_IDENTIFIERS = [
    ("rrn-back-lines", f"주민번호 앞자리: {RRN[:6]}\n주민번호 뒷자리: {BACK}", [BACK]),
    ("rrn-back-prose", f"생년월일: 1990.01.01 / 주민번호 뒷자리: {BACK}", [BACK]),
    ("rrn-json-fields", f'{{"jumin1": "{RRN[:6]}", "jumin2": "{BACK}"}}', [BACK]),
    ("rrn-yaml-fields", f"member:\n  jumin_1: '{RRN[:6]}'\n  jumin_2: '{BACK}'", [BACK]),
    ("rrn-query", f"juminNo1={RRN[:6]}&juminNo2={BACK}", [BACK]),
    ("rrn-form", f'<input name="jumin1" value="{RRN[:6]}"><input name="jumin2" value="{BACK}">', [BACK]),
    ("rrn-sql", f"INSERT INTO member VALUES (1,'홍길동','{RRN[:6]}','{BACK}');", [BACK]),
    ("rrn-lines-dash", f"주민번호:\n{RRN[:6]}\n-\n{BACK}", [BACK]),
    ("rrn-starred-front", f"주민번호 ******-{BACK}", [BACK]),
    ("rrn-x-front", f"rrn: xxxxxx-{BACK}", [BACK]),
    ("rrn-tilde", f"주번 {RRN[:6]}~{BACK}", [RRN]),
    ("rrn-concat", f"SELECT CONCAT('{RRN[:6]}','-','{BACK}')", [BACK]),
    ("rrn-code", f'front = "{RRN[:6]}"\nback = "{BACK}"\nrrn = f"{{front}}-{{back}}"', [BACK]),
    ("rrn-kakao", f"[홍길동] [오후 3:12] 주민번호 앞 {RRN[:6]}\n[홍길동] [오후 3:13] 뒤 {BACK}", [BACK]),
    ("phone-json-fields", '{"tel1":"010","tel2":"9876","tel3":"5432"}', ["01098765432"]),
    ("phone-query", "hp1=010&hp2=9876&hp3=5432", ["01098765432"]),
    ("phone-md-cells", "| 홍길동 | 010 | 9876 | 5432 |", ["01098765432"]),
    ("phone-slashes", "휴대폰 010 / 9876 / 5432", ["01098765432"]),
    ("phone-excel", '=CONCATENATE("010","-","9876","-","5432")', ["01098765432"]),
    ("phone-html-cells", "<td>010</td><td>9876</td><td>5432</td>", ["01098765432"]),
    ("phone-md-escape", "연락처 010\\-9876\\-5432", ["01098765432"]),
    ("phone-blockquote", "> 연락처 010-9876-\n> 5432", ["01098765432"]),
    ("phone-latex", "$010$-$9876$-$5432$", ["01098765432"]),
    ("phone-quoted-printable", "연락처 010-98=\n76-5432", ["01098765432"]),
    ("phone-kakao", "[홍길동] [오후 3:12] 010\n[홍길동] [오후 3:12] 9876\n[홍길동] [오후 3:12] 5432", ["01098765432"]),
    (
        "phone-kakao-export",
        "2024. 12. 7. 오후 3:12, 홍길동 : 010-9876\n2024. 12. 7. 오후 3:12, 홍길동 : 5432",
        ["01098765432"],
    ),
    ("landline-fields", '{"tel1":"02","tel2":"123","tel3":"4567"}', ["021234567"]),
    ("card-array", f'{{"card":["{CARD[:4]}","{CARD[4:8]}","{CARD[8:12]}","{CARD[12:]}"]}}', [CARD]),
    (
        "card-kakao",
        f"[홍길동] [오후 3:12] 카드번호 {CARD[:4]} {CARD[4:8]}\n[홍길동] [오후 3:12] {CARD[8:12]} {CARD[12:]}",
        [CARD],
    ),
    ("card-csv-cells", f"카드,{CARD[:4]},{CARD[4:8]},{CARD[8:12]},{CARD[12:]}", [CARD]),
    ("phone-lrm", "값 010-98\u200e76-5432", ["01098765432"]),
    ("rrn-rlo", f"값 {RRN[:6]}-12\u202e{RRN[8:]}", [RRN]),
    ("phone-del", "값 010-9876\x7f-5432", ["01098765432"]),
    ("rrn-nul", f"값 {RRN[:6]}-123\x00{RRN[9:]}", [RRN]),
    ("phone-choseong-filler", "값 010-98\u115f76-5432", ["01098765432"]),
    ("phone-line-separator", "값 010-98\u202876-5432", ["01098765432"]),
    ("phone-tag-char", "값 010-98\U000e002076-5432", ["01098765432"]),
    ("rrn-ansi", f"값 {RRN[:6]}-12\x1b[0m{RRN[8:]}", [RRN]),
    ("rrn-ansi-json", f'{{"rrn": "\x1b[32m{RRN[:6]}-{RRN[6:]}\x1b[0m"}}', [RRN]),
    ("phone-keycaps", "📞 0️⃣1️⃣0️⃣-9️⃣8️⃣7️⃣6️⃣-5️⃣4️⃣3️⃣2️⃣", ["01098765432"]),
    ("rrn-json-digit-array", '{"rrn": ["' + '", "'.join(RRN) + '"]}', [RRN]),
    ("phone-py-digit-list", "phone = [" + ",".join(f"'{c}'" for c in "01098765432") + "]", ["01098765432"]),
    ("rrn-hanja", "住民登錄番號 九〇〇一〇一-一二三四五六八", [RRN]),
    ("phone-hanja", "電話 〇一〇-九八七六-五四三二", ["01098765432"]),
    ("rrn-arabic-indic", "주민번호 ٩٠٠١٠١١٢٣٤٥٦٨", [RRN]),
    ("phone-devanagari", "폰 ०१०९८७६५४३२", ["01098765432"]),
    ("phone-thai", "โทร ๐๑๐-๙๘๗๖-๕๔๓๒", ["01098765432"]),
    ("phone-letter-o", "연락처 o1o-9876-5432", ["01098765432"]),
    ("phone-letter-i", "연락처 010-I876-5432", ["01098765432"]),
    ("rrn-letter-o", f"주민번호 9OO1O1-{BACK}", [BACK]),
    ("passport-spaced", "여권번호: M 1234 5678", ["12345678"]),
    ("passport-dash", "passport M-12345678", ["12345678"]),
    ("passport-lower", "여권번호 m12345678", ["12345678"]),
    ("passport-old", "여권번호 JR1234567, 여권: SC0123456", ["1234567", "0123456"]),
    ("passport-yaml", "traveler:\n  passport_no: PM1234567", ["1234567"]),
    (
        "passport-mrz",
        "P<KORHONG<<GILDONG<<<<<<<<<<<<<<<<<<<<<<<<<<\nM123456783KOR9001011M3001012<<<<<<<<<<<<<<06",
        ["12345678", "900101"],
    ),
    ("cvc-after-card", f"카드번호 {CARD[:4]}-{CARD[4:8]}-{CARD[8:12]}-{CARD[12:]} 유효기간 12/27 CVC 481", ["481"]),
    ("cvv2-colon", "CVV2: 481", ["481"]),
    ("pin-colon", "PIN: 7294", ["7294"]),
    ("security-code", "보안코드 987", ["987"]),
    ("card-codes-json", '{"cvc": "481", "pin": "7294"}', ["481", "7294"]),
    ("card-password-2", "카드 비밀번호 앞 2자리: 47", ["47"]),
    ("vehicle", "차량번호 12가 3456", ["123456"]),
    ("vehicle-glued", "차번호 123허4567 주차 등록", ["1234567"]),
    ("vehicle-region", "입차 기록: 서울12가3456 09:12", ["123456"]),
    ("account-kakao", "[홍길동] [오후 3:12] 계좌 국민 123456\n[홍길동] [오후 3:12] 01-123456", ["12345601123456"]),
]

# Look-alikes of the split shapes that are ordinary: unchanged.
SPLIT_LOOK_ALIKES = [
    ("versions-json", '{"major": "010", "minor": "2024", "patch": "1"}'),
    ("scores", "| 이름 | 국어 | 영어 | 수학 |\n| 홍길동 | 90 | 85 | 100 |"),
    ("years-array", "[2021, 2022, 2023, 2024]"),
    ("kakao-prices", "[홍길동] [오후 3:12] 견적 1200만원\n[홍길동] [오후 3:13] 부가세 120만원 별도"),
    ("back-number", "등번호 뒤 번호 7번, 좌석 뒷자리 3열"),
    ("date-range", "전자입찰서 제출 마감: 2025.02.06 9:00 ~ 2025.02.10 18:00"),
    ("cve-kb", "Windows event 4625, KB5034441, CVE-2024-21762, GHSA-abcd-1234-wxyz"),
    ("qp-sum", "합계=\n1234"),
    ("gpio-pin", "GPIO pin 13 연결, pin 2 접지"),
    ("budget-jo", "3조 2000억원 예산, 12가 3456 (차량 아님)"),
    ("hangul-prose-numbers", "一二三 사거리, 일 이 삼 사 오 순서로 진행"),
    ("model-codes", "model lO-2000, SKU IO-200 OI 30"),
    ("scores-array", '{"scores": [90, 85, 100, 77]}'),
    ("arabic-year", "السنة ٢٠٢٤"),
]


@pytest.mark.parametrize(
    ("text", "values"), [(t, v) for _, t, v in SPLIT_IDENTIFIERS], ids=[k for k, _, _ in SPLIT_IDENTIFIERS]
)
def test_identifiers_split_across_fields_lines_messages_and_markup_are_masked(text: str, values: list[str]) -> None:
    masker = Masker(KEY)
    out = mask_outgoing(masker, text, "the prompt")
    assert _leaked(values, out.text) == [], out.text
    assert out.residues == {}, out.residues
    assert masker.unmask(out.text) == text


@pytest.mark.parametrize("text", [t for _, t in SPLIT_LOOK_ALIKES], ids=[k for k, _ in SPLIT_LOOK_ALIKES])
def test_look_alikes_of_split_identifiers_go_out_unchanged(text: str) -> None:
    out = mask_outgoing(Masker(KEY), text, "the prompt")
    assert out.text == text, (out.text, dict(out.counts))


def _digits(seen: str) -> str:
    return re.sub(r"[^0-9X]", "", _TOKEN.sub("X", unicodedata.normalize("NFKC", seen)))


def _leaked(values: list[str], seen: str) -> list[str]:
    """The values in `seen` (tokens read as breaks); a value of 6 or more digits also when something other than a
    token sits between its digits."""
    plain, digits = _TOKEN.sub("X", seen), _digits(seen)
    return [v for v in values if v in plain or (len(v) >= 6 and v in digits)]


@pytest.mark.parametrize(
    ("text", "values"),
    [(t, v) for _, t, v in IDENTIFIERS_WITH_SEPARATORS],
    ids=[k for k, _, _ in IDENTIFIERS_WITH_SEPARATORS],
)
def test_identifiers_with_the_same_separators_are_still_masked(text: str, values: list[str]) -> None:
    masker = Masker(KEY)
    out = mask_outgoing(masker, text, "the prompt")
    assert _leaked(values, out.text) == [], out.text
    assert masker.unmask(out.text) == text
    alone = mask_outgoing(Masker(KEY, detectors=[]), text, "the prompt")  # the leak check as a second opinion
    assert _leaked(values, alone.text) == [], alone.text


def _all_cases() -> list[tuple[str, list[str]]]:
    return [(t, v) for _, t, v in IDENTIFIERS_WITH_SEPARATORS + SPLIT_IDENTIFIERS]


def test_nothing_reaches_gemini_through_the_gateway() -> None:
    standin = GeminiStandIn()
    cases = _all_cases()
    with standin.serve() as url:
        gateway = LLMGateway.from_api_key("k", base_url=url, company="acme", key=KEY, max_attempts=1)
        for text, _ in cases:
            assert gateway.generate("redteam32", text).text == "Echo: " + text
        ordinary = "\n\n".join(t for _, t in ORDINARY_NUMBERS)
        assert gateway.generate("redteam32", ordinary).text == "Echo: " + ordinary
    seen = [r.decoded() for r in standin.requests[: len(cases)]]  # one request per case, in order
    assert [v for (_, values), body in zip(cases, seen, strict=True) for v in _leaked(values, body)] == []
    sent = json.loads(standin.requests[-1].body)["contents"][0]["parts"][0]["text"]
    assert sent == ordinary  # the ordinary numbers went out as they were


@pytest.fixture
def proxy() -> Iterator[tuple[AnthropicStandIn, str]]:
    with masking_proxy(KEY) as served:
        yield served


def test_nothing_reaches_claude_through_the_proxy(proxy) -> None:
    standin, url = proxy
    client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
    cases = _all_cases()
    for i, (text, _) in enumerate(cases):
        client.messages.create(model=MODEL, max_tokens=50, **request_with_text(text, PLACES[i % len(PLACES)]))
    seen = [r.body + "\n" + r.decoded() for r in standin.requests]  # one request per case, in order
    assert len(seen) == len(cases)
    assert [v for (_, values), body in zip(cases, seen, strict=True) for v in _leaked(values, body)] == []
