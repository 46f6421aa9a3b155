"""Stop 33, helper mident: identifiers that still slipped through (issue 24, classes of docs/notes/s32-lead.md).

Per class, a corpus written the ways people write (JSON, YAML, .env, logs, CSV/TSV, Korean prose, 카톡, forms) with
the expected result written by hand from the public rules, never by calling our detectors:

1. a bare 13-digit 주민등록번호 (a real yymmdd and a gender digit; since October 2020 the last digits are random, so
   no check digit is required) is masked unless its context says another number: a barcode word or column (with a
   valid EAN-13 check digit), a time label, a unit, a Prometheus sample's timestamp;
2. separators and context: Unicode dots and spaces between groups, values after ellipses, IPv4 as one decimal integer
   after an address word and with zero-padded octets, international phones, a GCP service account's 21-digit
   client_id;
3. an account shaped like an old G2B notice number is masked when anything says account, the notice number stays;
4. unlabelled 9-14 digit numbers are masked when a label in any common form, a column header, a row word or a
   neighbouring value of the same person says identifier.

Every value is generated here (made up); nothing is real data. Each case is also sent through the gateway (the real
google-genai client against the Gemini stand-in) and the proxy (the real anthropic SDK against the local stand-in)."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import unicodedata
from collections.abc import Iterator

import anthropic
import pytest

from bidradar.masking import Masker
from bidradar.masking.gateway import LLMGateway
from bidradar.masking.policy import mask_outgoing
from tests.kit.anthropic import AnthropicStandIn, masking_proxy, seen_upstream, send_in_batches
from tests.kit.gemini import GeminiStandIn

KEY = b"q" * 32
MODEL = "claude-sonnet-4-5"
_TOKEN = re.compile(r"MASK_[A-Z0-9]+_[0-9A-F]{16}")
RNG = random.Random(3301)

# --- generators from the public rules ---------------------------------------------------------------------------

_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def _rrn_check(front12: str) -> int:
    return (11 - sum(int(c) * w for c, w in zip(front12, _RRN_WEIGHTS, strict=True)) % 11) % 10


def _ean_check(front12: str) -> int:
    return (10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(front12)) % 10) % 10


def rrn_without_check_digit(rng: random.Random) -> str:
    """A 주민번호 as issued (or changed) since October 2020: a real birth date, gender digit 1-4, a random tail whose
    last digit fails the old check-digit formula (the case stop 32 let out)."""
    while True:
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 70))
        gender = rng.choice("12" if born.year < 2000 else "34")
        front = f"{born:%y%m%d}{gender}{rng.randrange(10**5):05d}"
        last = rng.randrange(10)
        if last != _rrn_check(front):
            return front + str(last)


def rrn_shaped_ean(rng: random.Random) -> str:
    """An EAN-13 with a valid check digit whose first seven digits read as a past birth date and a gender digit."""
    while True:
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 50))
        front = f"{born:%y%m%d}{rng.choice('12')}{rng.randrange(10**5):05d}"
        return front + str(_ean_check(front))


def brn(rng: random.Random) -> str:
    """사업자등록번호: weights 1,3,7,1,3,7,1,3,5 plus the carry of the 9th digit times 5."""
    while True:
        digits = f"{rng.randint(101, 899)}{rng.randint(1, 99):02d}{rng.randrange(10**5):05d}"
        weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
        total = sum(int(d) * w for d, w in zip(digits[:9], weights, strict=True)) + int(digits[8]) * 5 // 10
        if (10 - total % 10) % 10 == int(digits[9]):
            return digits


def luhn_card(rng: random.Random) -> str:
    body = "4" + "".join(str(rng.randrange(10)) for _ in range(14))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def mobile(rng: random.Random) -> tuple[str, str, str]:
    return "010", f"{rng.randint(2000, 9999)}", f"{rng.randrange(10**4):04d}"


# --- class 1: the bare 13-digit 주민번호 ---------------------------------------------------------------------------


def _class1_leaks(rng: random.Random) -> list[tuple[str, str, list[str]]]:
    cases = []
    forms = [
        ("bare", "{v}"),
        ("value-word", "값 {v}"),
        ("csv-row", "row,{v},x"),
        ("json", '{{"memo": "{v}"}}'),
        ("yaml", "member:\n  note: {v}"),
        ("env", "APPLICANT_NOTE={v}"),
        ("log", "2025-03-02T10:00:01Z INFO applicant saved value={v}"),
        ("tsv", "홍길동\t{v}\t서울"),
        ("prose", "신청인 번호는 {v} 으로 접수했습니다."),
        ("kakao", "[김대리] [오후 2:01] {v} 이거 맞나요?"),
        ("form", '<input name="val" value="{v}">'),
        ("barcode-word-far", "바코드 스캐너 점검 완료. 신청인 확인: {v}"),
        # words that only end like a time or count label: no label
        ("chat-label", "chat: {v}"),
        ("candidate-label", "candidate {v}"),
        ("runtime-label", "runtime {v}"),
        ("accounts-column", "accounts,name\n{v},홍길동"),
        ("mean-word", "mean {v}"),
        ("private-word", "private: {v}"),
    ]
    for name, form in forms:
        value = rrn_without_check_digit(rng)
        cases.append((f"rrn-no-check/{name}", form.format(v=value), [value]))
    return cases


def _class1_ordinary(rng: random.Random) -> list[tuple[str, str]]:
    eans = [rrn_shaped_ean(rng) for _ in range(8)]
    ts = [rrn_without_check_digit(rng) for _ in range(6)]
    return [
        ("barcode-ko", f"바코드 {eans[0]}"),
        ("barcode-en", f"barcode: {eans[1]}"),
        ("ean", f"EAN-13 {eans[2]}"),
        ("gtin-json", f'{{"gtin": "{eans[3]}", "name": "A4 용지"}}'),
        ("jan", f"JAN {eans[4]}"),
        ("product-code", f"상품코드 {eans[5]}"),
        ("csv-barcode-column", f"품명,barcode,수량\nA4 용지,{eans[6]},10\n볼펜,{eans[7]},20"),
        ("csv-ean13-column", f"name\tean13\n볼펜\t{eans[7]}"),
        ("prometheus", f'http_requests_total{{code="200",path="/api"}} 4502166 {ts[0]}'),
        ("prometheus-bare", f"process_cpu_seconds_total 12.5 {ts[1]}"),
        ("epoch-ts", f"ts={ts[2]} level=info msg=done"),
        ("epoch-json", f'{{"createdAt": {ts[3]}, "status": "ok"}}'),
        ("epoch-column", f"time,value\n{ts[4]},3\n{ts[4]},4"),
        ("bytes", f"backup {ts[5]} bytes written"),
        ("price", f"기초금액 {ts[5]}원"),
        ("notice-old", "공고번호 20243170669-00 입찰은 2025.02.06 9:00 에 개찰합니다."),
        ("future-birth", "session 3512313234567 closed"),  # gender 3: born 2035-12-31, no 주민번호 yet
    ]


# --- class 2: separators and context ---------------------------------------------------------------------------

_DOTS = ["·", "ㆍ", "・", "•", "‧", "∙", "．", "。"]
_SPACES = ["\u00a0", "\u2009", "\u202f", "\u3000", "\u2002"]
_ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


def _class2_leaks(rng: random.Random) -> list[tuple[str, str, list[str]]]:
    cases = []
    for sep in _DOTS + _SPACES:
        a, b, c = mobile(rng)
        cases.append((f"phone/{sep!r}", f"연락처 {a}{sep}{b}{sep}{c}", [a + b + c]))
        r = rrn_without_check_digit(rng)
        cases.append((f"rrn/{sep!r}", f"주민번호 {r[:6]}{sep}{r[6:]}", [r]))
        n = brn(rng)
        cases.append((f"brn/{sep!r}", f"사업자번호 {n[:3]}{sep}{n[3:5]}{sep}{n[5:]}", [n]))
        card = luhn_card(rng)
        cases.append((f"card/{sep!r}", f"카드 {sep.join(card[i : i + 4] for i in range(0, 16, 4))}", [card]))
        acct = f"110{rng.randrange(10**3):03d}{rng.randrange(10**6):06d}"
        cases.append((f"account/{sep!r}", f"신한은행 {acct[:3]}{sep}{acct[3:6]}{sep}{acct[6:]}", [acct]))
    for zw in _ZERO_WIDTH:
        a, b, c = mobile(rng)
        cases.append((f"phone-zero-width/{zw!r}", f"{a}{zw}-{b}-{zw}{c}", [a + b + c]))
        r = rrn_without_check_digit(rng)
        cases.append((f"rrn-zero-width/{zw!r}", f"{r[:6]}{zw}{r[6:9]}{zw}{r[9:]}", [r]))
    for ellipsis in ["...", "…", "‥", "...."]:
        ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randint(1, 254)}"
        cases.append((f"ip-after-ellipsis/{ellipsis}", f"접속 재시도{ellipsis}{ip} timeout", [ip]))
        a, b, c = mobile(rng)
        cases.append((f"phone-after-ellipsis/{ellipsis}", f"연락은{ellipsis}{a}-{b}-{c}", [a + b + c]))
    # IPv4 as one integer: 10.1.2.3 = 10*2^24 + 1*2^16 + 2*2^8 + 3, written by hand from the octets.
    for label, octets in [("inet ", (10, 1, 2, 3)), ("ip=", (192, 168, 0, 10)), ('"remote_addr": ', (172, 16, 5, 9))]:
        value = str(octets[0] * 2**24 + octets[1] * 2**16 + octets[2] * 2**8 + octets[3])
        cases.append((f"ip-decimal/{label.strip()}", f"{label}{value}", [value]))
    cases.append(("ip-padded", "접속 IP 010.001.002.003", ["010.001.002.003", "10.1.2.3"]))
    cases.append(("ip-padded-host", "host 192.168.001.010 ok", ["192.168.001.010"]))
    intl = [
        ("cn", "+86 138 0013 8000", "8613800138000"),
        ("us", "+1 (415) 555-0100", "14155550100"),
        ("jp", "+81 90-1234-5678", "819012345678"),
        ("kr-00", "0082-10-1234-5678", "821012345678"),
        ("uk", "+44 20 7946 0958", "442079460958"),
        ("e164", "+14155550123", "14155550123"),
        ("kr-001", "001-1-415-555-0100", "14155550100"),
    ]
    for name, written, digits in intl:
        cases.append((f"intl-phone/{name}", f"해외 연락처: {written} (담당 Kim)", [digits]))
    client_id = "1" + "".join(str(rng.randrange(10)) for _ in range(20))
    cases.append(("gcp-client-id/json", f'{{"type": "service_account", "client_id": "{client_id}"}}', [client_id]))
    cases.append(("gcp-client-id/yaml", f"uniqueId: '{client_id}'", [client_id]))
    return cases


def _class2_ordinary() -> list[tuple[str, str]]:
    return [
        ("price-change", "증가 +12345678원"),
        ("git-stat", " 3 files changed, +1234567 insertions"),
        ("version-padded", "v1.002.003.004"),
        ("outline", "1.02.03.04 항목"),
        ("ellipsis-count", "처리 중... 123456789 records"),
        ("inet6-count", "inet packets 12345678"),  # a count after 'inet packets': not right after the word
        ("spaced-plus", "합계 + 1234567890"),  # arithmetic: a country code's plus is glued to its digits
        ("utc-offset", "2025-02-06T09:00:00+09:00 1234567890"),
        ("time-then-number", "10:00 1234567890"),
        ("server-count", "서버 비용 123456789원"),
    ]


# --- class 3: accounts shaped like old notice numbers -------------------------------------------------------------


def _class3(rng: random.Random) -> tuple[list[tuple[str, str, list[str]]], list[tuple[str, str]]]:
    def old() -> str:  # yyyy + a 7-digit serial whose first two digits are no month, then the order
        return f"20{rng.randint(15, 24)}{rng.randint(13, 99)}{rng.randrange(10**5):05d}-{rng.randrange(100):02d}"

    leaks = []
    forms = [
        ("after-bank", "국민은행 {v}"),
        ("account-word", "입금 계좌: {v}"),
        ("holder", "예금주 홍길동 / {v}"),
        ("bank-after", "환불: {v} (국민은행 계좌)"),
        ("bank-name-after", "여기로 보내줘 {v} 국민"),
        ("json", '{{"예금주": "홍길동", "계좌": "{v}"}}'),
        ("yaml", "bank_account: {v}"),
        ("env", "REFUND_ACCOUNT={v}"),
        ("csv-column", "예금주,계좌번호\n홍길동,{v}"),
        ("tsv-column", "이름\t은행\t계좌\n홍길동\t우리\t{v}"),
        ("kakao", "[홍길동] [오후 3:12] 신한 {v} 으로 입금 부탁"),
        ("english", "refund to account {v}"),
    ]
    for name, form in forms:
        value = old()
        leaks.append((f"account-old-notice/{name}", form.format(v=value), [value.replace("-", "")]))
    ordinary = [
        ("notice-word", f"공고번호 {old()} 입찰은 2025.02.06 10:00 개찰"),
        ("notice-column", f"bidNtceNo,bidNtceNm\n{old()},전산장비 구매"),
        ("notice-then-bank", f"입찰공고 {old()} 입찰보증금은 국민은행 입금"),
        ("notice-word-bank-later", f"공고 {old()} 관련 국민은행 입금 확인"),
    ]
    return leaks, ordinary


# --- class 4: 9-14 digit numbers that something names ----------------------------------------------------------


def _class4(rng: random.Random) -> list[tuple[str, str, list[str]]]:
    def digits(n: int) -> str:
        return str(rng.randint(1, 9)) + "".join(str(rng.randrange(10)) for _ in range(n - 1))

    acct, health, licence, aws = digits(14), digits(11), digits(12), digits(12)
    r = rrn_without_check_digit(rng)
    frn = r[:6] + ("5" if r[6] in "13" else "6") + r[7:]  # 외국인: gender digits 5-8
    a, b, c = mobile(rng)
    return [
        ("account-label", f"계좌번호는 {acct} 입니다", [acct]),
        ("account-hash-label", f"acct# {acct}", [acct]),
        ("account-csv-header", f"name,acct\n홍길동,{acct}", [acct]),
        ("account-tsv-header", f"이름\t계좌\n홍길동\t{acct}", [acct]),
        ("account-holder", f"예금주 홍길동 ({acct})", [acct]),
        ("account-beside-phone", f"홍길동 {a}-{b}-{c} {acct}", [acct]),
        ("account-beside-rrn", f"홍길동, {r[:6]}-{r[6:]}, {acct}", [acct]),
        ("account-row-with-phone", f"이름,연락처,비고\n홍길동,{a}-{b}-{c},{acct}", [acct]),
        ("health-abbrev", f"건보 {health}", [health]),
        ("health-abbrev-no", f"건보번호: {health}", [health]),
        ("health-en", f"health insurance no {health}", [health]),
        ("licence-ko", f"면허번호: {licence}", [licence]),
        ("licence-en", f"driver license no. {licence}", [licence]),
        ("aws-json", f'{{"AccountId": "{aws}"}}', [aws]),
        ("aws-env", f"AWS_ACCOUNT_ID={aws}", [aws]),
        ("passport-no", f"passport no {digits(11)}", []),  # a made-up shape: only checked not refused
        ("account-word-in-sentence", f"my bank account number for the refund of the deposit is {acct}", [acct]),
        (
            "passport-word-in-sentence",
            f"For the passport renewal use the form sent with reference {aws} last week",
            [aws],
        ),
        ("ssn-word", f"SSN {r}", [r]),
        ("id-card-ko", f"신분증 {r}", [r]),
        ("foreigner", f"외국인등록번호 {frn}", [frn]),
    ]


def _class4_ordinary() -> list[tuple[str, str]]:
    return [
        ("bare-id", "order 123456789012 shipped"),
        ("premium", "건보료 123456789원"),
        # an identifier word in the sentence before, not in this one
        (
            "word-in-previous-sentence",
            "여권 발급 안내문을 참고하세요. 이번 분기에 시스템이 처리한 전체 요청의 누적 집계 값은 123456789012 로 기록",
        ),
    ]


# A person's value masked beside an ordinary number that a label or unit names: the number stays.
BESIDE = [
    ("price-beside-phone", "010-2345-6789 입찰금액 123456789", "123456789"),
    ("order-beside-phone", "2025-01-01 주문 010-2345-6789 주문번호 123456789012", "123456789012"),
    ("epoch-beside-email", "kim@example.com 1733536200123", "1733536200123"),
    ("bytes-beside-phone", "010-2345-6789 upload 123456789 bytes", "123456789"),
]


# --- the corpus ---------------------------------------------------------------------------------------------------

LEAKS = _class1_leaks(RNG) + _class2_leaks(RNG)
_C3_LEAKS, _C3_ORDINARY = _class3(RNG)
LEAKS += _C3_LEAKS + _class4(RNG)
ORDINARY = _class1_ordinary(RNG) + _class2_ordinary() + _C3_ORDINARY + _class4_ordinary()


def _digits(seen: str) -> str:
    return re.sub(r"[^0-9X]", "", _TOKEN.sub("X", unicodedata.normalize("NFKC", seen)))


def _leaked(values: list[str], seen: str) -> list[str]:
    """The values in `seen`, also when only separators (not a token) stand between their digits."""
    plain, digits = _TOKEN.sub("X", seen), _digits(seen)
    return [v for v in values if v in plain or (v.isdigit() and len(v) >= 6 and v in digits)]


@pytest.mark.parametrize(("text", "values"), [(t, v) for _, t, v in LEAKS], ids=[k for k, _, _ in LEAKS])
def test_identifiers_are_masked_and_restored(text: str, values: list[str]) -> None:
    masker = Masker(KEY)
    out = mask_outgoing(masker, text, "the prompt")
    assert _leaked(values, out.text) == [], out.text
    assert masker.unmask(out.text) == text


@pytest.mark.parametrize("text", [t for _, t in ORDINARY], ids=[k for k, _ in ORDINARY])
def test_ordinary_numbers_go_out_unchanged(text: str) -> None:
    out = mask_outgoing(Masker(KEY), text, "the prompt")
    assert out.text == text, (out.text, dict(out.counts))


@pytest.mark.parametrize(("text", "number"), [(t, n) for _, t, n in BESIDE], ids=[k for k, _, _ in BESIDE])
def test_named_numbers_beside_a_persons_value_stay(text: str, number: str) -> None:
    out = mask_outgoing(Masker(KEY), text, "the prompt")
    assert number in out.text and "MASK_" in out.text, out.text


@pytest.mark.parametrize(
    "text",
    [t for k, t, _ in LEAKS if k.startswith(("rrn-no-check", "intl-phone", "ip-decimal", "ip-padded"))],
)
def test_the_leak_check_alone_catches_the_new_shapes(text: str) -> None:
    """With every detector off, the independent leak check masks the same values (its own rules)."""
    values = next(v for _, t, v in LEAKS if t == text)
    out = mask_outgoing(Masker(KEY, detectors=[]), text, "the prompt")
    assert _leaked(values, out.text) == [], out.text


def test_nothing_reaches_gemini_through_the_gateway() -> None:
    standin = GeminiStandIn()
    with standin.serve() as url:
        gateway = LLMGateway.from_api_key("k", base_url=url, company="acme", key=KEY, max_attempts=1)
        for _, text, _ in LEAKS:
            assert gateway.generate("s33", text).text == "Echo: " + text
        for _, text in ORDINARY:  # one request each: a bank word 40 characters before is context for any number
            assert gateway.generate("s33", text).text == "Echo: " + text
    seen = [r.decoded() for r in standin.requests[: len(LEAKS)]]
    assert [v for (_, _, values), body in zip(LEAKS, seen, strict=True) for v in _leaked(values, body)] == []
    sent = [json.loads(r.body)["contents"][0]["parts"][0]["text"] for r in standin.requests[len(LEAKS) :]]
    assert sent == [t for _, t in ORDINARY]


@pytest.fixture
def proxy() -> Iterator[tuple[AnthropicStandIn, str]]:
    with masking_proxy(KEY) as served:
        yield served


@pytest.mark.parametrize("streamed", [False, True])
def test_nothing_reaches_claude_through_the_proxy(proxy, streamed: bool) -> None:
    standin, url = proxy
    client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
    send_in_batches(client, MODEL, [t for _, t, _ in LEAKS], streamed=streamed, size=12)
    seen = seen_upstream(standin)
    assert sorted({v for _, _, values in LEAKS for v in _leaked(values, seen)}) == []
