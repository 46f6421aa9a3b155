"""Synthetic corpora for proving the masker: planted identifiers and look-alikes (tests and benchmark only).

Every value is generated (seeded), valid for its type (dates, checksums, octets), and embedded in realistic
Korean and English text: bid notices, e-mails, infrastructure runbooks. Nothing here is real data.

Written independently of the detector: nothing here imports `bidradar.masking.detect` or reuses its
patterns; checksums are implemented again from their definitions. The kinds are the token type names.

`planted_corpus()` and `lookalikes()` are the documents of the first version; `attack_corpus()` and
`lookalike_corpus()` are the per-class corpora of issue 10 (>= 1,000 planted values, >= 1,000 look-alikes).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import string
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Planted:
    kind: str
    value: str  # exactly the text the masker must replace


@dataclass
class Document:
    text: str
    planted: list[Planted] = field(default_factory=list)


class _Kinds:
    """The token type names (the masker's public vocabulary), spelled out here rather than imported."""

    AWS_ID = "AWSID"
    AWS_ARN = "ARN"
    AWS_ACCOUNT = "AWSACCOUNT"
    AWS_ACCESS_KEY = "AWSKEY"
    AWS_SECRET_KEY = "AWSSECRET"
    AWS_SESSION_TOKEN = "AWSTOKEN"
    AWS_HOST = "AWSHOST"
    S3_BUCKET = "S3BUCKET"
    IPV4 = "IP"
    RRN = "RRN"
    FRN = "FRN"
    BRN = "BRN"
    CRN = "CRN"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    BANK_ACCOUNT = "BANKACCT"
    SECRET = "SECRET"


d = _Kinds


def business_number_ok(digits: str) -> bool:
    """사업자등록번호 check digit, from its definition (weights 1,3,7,1,3,7,1,3,5 and the carry of digit 9)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(digits[:9], (1, 3, 7, 1, 3, 7, 1, 3, 5), strict=True))
    total += (int(digits[8]) * 5) // 10
    return (10 - total % 10) % 10 == int(digits[9])


# --- value generators -----------------------------------------------------------------------------------


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def resident_number(rng: random.Random, foreign: bool = False, hyphen: bool = True) -> str:
    born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 80))
    digits_by_century = {(False, 1900): "12", (True, 1900): "56", (False, 2000): "34", (True, 2000): "78"}
    gender = rng.choice(digits_by_century[(foreign, 1900 if born.year < 2000 else 2000)])
    head = born.strftime("%y%m%d")
    return f"{head}{'-' if hyphen else ''}{gender}{_digits(rng, 6)}"


def business_number(rng: random.Random, hyphen: bool = True) -> str:
    while True:
        body = str(rng.randint(1, 9)) + _digits(rng, 8)
        for check in string.digits:
            if business_number_ok(body + check):
                full = body + check
                return f"{full[:3]}-{full[3:5]}-{full[5:]}" if hyphen else full


def corporate_number(rng: random.Random) -> str:
    body = _digits(rng, 12)
    total = sum(int(c) * (1 if i % 2 == 0 else 2) for i, c in enumerate(body))
    full = body + str((10 - total % 10) % 10)
    return f"{full[:6]}-{full[6:]}"


def phone_number(rng: random.Random) -> str:
    n4 = lambda: _digits(rng, 4)  # noqa: E731
    forms = [
        lambda: f"010-{n4()}-{n4()}",
        lambda: f"010 {n4()} {n4()}",
        lambda: f"010{n4()}{n4()}",
        lambda: f"011-{_digits(rng, 3)}-{n4()}",
        lambda: f"02-{_digits(rng, 3)}-{n4()}",
        lambda: f"02-{n4()}-{n4()}",
        lambda: f"031-{_digits(rng, 3)}-{n4()}",
        lambda: f"064-{n4()}-{n4()}",
        lambda: f"(02) {_digits(rng, 3)}-{n4()}",
        lambda: f"070-{n4()}-{n4()}",
        lambda: f"0505-{_digits(rng, 3)}-{n4()}",
        lambda: f"+82-10-{n4()}-{n4()}",
        lambda: f"+82 2 {_digits(rng, 3)} {n4()}",
        # (a 대표번호 such as 1588-xxxx is an organisation's and goes out since s37 ordinary37; the same draws)
        lambda: f"010-2345-{n4()}",
        lambda: f"02-3456-{n4()}",
    ]
    return rng.choice(forms)()


_GIVEN = ["minji", "jisoo", "hyunwoo", "seojun", "yuna", "doyun", "haeun", "jiho", "sora", "taeyang"]
_FAMILY = ["kim", "lee", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim"]
_DOMAINS = ["hanbit-it.co.kr", "example.com", "daehan-sys.kr", "corp.example.co.kr", "mail.bidco.com"]


def email(rng: random.Random) -> str:
    local = rng.choice(["{g}.{f}", "{f}{n}", "{g}_{f}", "{g}+bids"]).format(
        g=rng.choice(_GIVEN), f=rng.choice(_FAMILY), n=rng.randint(1, 99)
    )
    return f"{local}@{rng.choice(_DOMAINS)}"


def bank_account(rng: random.Random) -> tuple[str, str]:
    """(words before the number, the number)."""
    forms = [
        ("국민은행", lambda: f"{_digits(rng, 6)}-{_digits(rng, 2)}-{_digits(rng, 6)}"),
        ("신한은행 계좌", lambda: f"110-{_digits(rng, 3)}-{_digits(rng, 6)}"),
        ("우리은행", lambda: f"1002-{_digits(rng, 3)}-{_digits(rng, 6)}"),
        ("하나은행 계좌번호", lambda: f"{_digits(rng, 3)}-{_digits(rng, 6)}-{_digits(rng, 5)}"),
        ("농협", lambda: f"301-{_digits(rng, 4)}-{_digits(rng, 4)}-{_digits(rng, 2)}"),
        ("기업은행", lambda: f"{_digits(rng, 3)}-{_digits(rng, 6)}-{_digits(rng, 2)}-{_digits(rng, 3)}"),
        ("카카오뱅크", lambda: f"3333-{_digits(rng, 2)}-{_digits(rng, 7)}"),
        ("토스뱅크", lambda: f"1000-{_digits(rng, 4)}-{_digits(rng, 4)}"),
        ("Account No.", lambda: f"{_digits(rng, 3)}-{_digits(rng, 4)}-{_digits(rng, 5)}"),
        ("입금 계좌:", lambda: _digits(rng, 12)),
    ]
    words, make = rng.choice(forms)
    return words, make()


_AWS_PREFIXES = ["i", "vol", "snap", "sg", "subnet", "vpc", "igw", "nat", "eni", "ami", "rtb", "acl", "tgw"]
_AWS_PREFIXES += ["eipalloc"]


def aws_id(rng: random.Random) -> str:
    return f"{rng.choice(_AWS_PREFIXES)}-{_hex(rng, rng.choice([8, 17]))}"


def account_id(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + _digits(rng, 11)


def arn(rng: random.Random) -> str:
    acct = account_id(rng)
    return rng.choice(
        [
            f"arn:aws:iam::{acct}:role/BidRadarDeploy",
            f"arn:aws:ec2:ap-northeast-2:{acct}:instance/i-{_hex(rng, 17)}",
            f"arn:aws:lambda:ap-northeast-2:{acct}:function:bid-sync",
            f"arn:aws:s3:::{rng.choice(['hanbit', 'bidco', 'daehan'])}-{_hex(rng, 6)}-backup",
        ]
    )


def access_key_id(rng: random.Random) -> str:
    alphabet = string.ascii_uppercase + string.digits
    return rng.choice(["AKIA", "ASIA"]) + "".join(rng.choice(alphabet) for _ in range(16))


def secret_key(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + "/+"
    return "".join(rng.choice(alphabet) for _ in range(40))


def bucket(rng: random.Random) -> str:
    return f"{rng.choice(['hanbit', 'bidco', 'daehan'])}-{rng.choice(['logs', 'bids', 'archive'])}-{_hex(rng, 6)}"


def ipv4(rng: random.Random) -> str:
    return rng.choice(
        [
            f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ]
    )


# --- company secrets -------------------------------------------------------------------------------------

COMPANY_SECRETS = [
    "한빛정보통신 주식회사",
    "한빛정보통신",
    "Hanbit Infocomm",
    "김하늘",
    "서울특별시 강남구 테헤란로 521",
    "1,234,560,000원",
    "Project Blue Heron",
]
# How secrets appear in text: exact, or with other whitespace (the masker must match both).
_SECRET_SPELLINGS = {
    "한빛정보통신 주식회사": ["한빛정보통신 주식회사", "한빛정보통신  주식회사"],
    "Hanbit Infocomm": ["Hanbit Infocomm", "Hanbit\nInfocomm", "HANBIT INFOCOMM"],
    "서울특별시 강남구 테헤란로 521": ["서울특별시 강남구 테헤란로 521", "서울특별시  강남구\t테헤란로 521"],
}


# --- documents -------------------------------------------------------------------------------------------


def _bid_notice(rng: random.Random, p: _Planter) -> str:
    return (
        f"[입찰공고] 공고번호 R26BK{_digits(rng, 8)} (20241101948-00)\n"
        f"수요기관: 조달청 / 공고일 2026-11-22, 개찰일시 2026-12-01 10:00\n"
        f"추정가격 {rng.randint(100, 999):,},{rng.randint(100, 999)},000원, 기초금액 {rng.randint(10**8, 10**9)}원.\n"
        f"참가업체: {p.secret('한빛정보통신 주식회사')} (대표 {p.secret('김하늘')}), "
        f"사업자등록번호 {p.add(d.BRN, business_number(rng))}, "
        f"법인등록번호 {p.add(d.CRN, corporate_number(rng))}\n"
        f"주소: {p.secret('서울특별시 강남구 테헤란로 521')} 5층\n"
        f"담당자 연락처 {p.add(d.PHONE, phone_number(rng))}, 팩스 {p.add(d.PHONE, phone_number(rng))}, "
        f"메일 {p.add(d.EMAIL, email(rng))}으로 문의 바랍니다.\n"
        f"대표자 주민등록번호 {p.add(d.RRN, resident_number(rng, hyphen=rng.random() < 0.7))}, "
        f"외국인 기술자 외국인등록번호 {p.add(d.FRN, resident_number(rng, foreign=True))}.\n"
        f"보증금 납부: {p.bank(rng)} (예금주 {p.secret('한빛정보통신')})\n"
        f"계약금액 {p.secret('1,234,560,000원')}은 부가세 포함 금액이며 87.745% 사정률을 적용함.\n"
    )


def _email(rng: random.Random, p: _Planter) -> str:
    return (
        f"From: {p.add(d.EMAIL, email(rng))}\nTo: {p.add(d.EMAIL, email(rng))}\n"
        f"Subject: RE: bid for notice R26BK{_digits(rng, 8)} (v1.2.3 of the proposal)\n\n"
        f"Hi team, {p.secret('Hanbit Infocomm')} will submit by 2026-11-22 09:30 KST. "
        f"Call me at {p.add(d.PHONE, phone_number(rng))} or my desk {p.add(d.PHONE, phone_number(rng))}.\n"
        f"Our business registration no. is {p.add(d.BRN, business_number(rng, hyphen=rng.random() < 0.5))}; "
        f"the deposit goes to {p.bank(rng)}.\n"
        f"Internal code name: {p.secret('Project Blue Heron')}. Contract value {p.secret('1,234,560,000원')}.\n"
        f"Regards,\n{p.secret('김하늘')} / CEO\n"
    )


def _runbook(rng: random.Random, p: _Planter) -> str:
    return (
        f"## Runbook: bid-sync deploy (release 2026.11.3, build 20261122)\n"
        f"1. SSH to bastion {p.add(d.IPV4, ipv4(rng))} then to {p.add(d.IPV4, ipv4(rng))}:22.\n"
        f"2. Instance {p.add(d.AWS_ID, aws_id(rng))} in {p.add(d.AWS_ID, aws_id(rng))}, "
        f"volume {p.add(d.AWS_ID, aws_id(rng))}, image {p.add(d.AWS_ID, 'ami-' + _hex(rng, 17))}.\n"
        f"3. Assume role {p.add(d.AWS_ARN, arn(rng))}.\n"
        f"4. AWS account id: {p.add(d.AWS_ACCOUNT, account_id(rng))} (계정 ID {p.add(d.AWS_ACCOUNT, account_id(rng))})\n"
        f"5. export AWS_ACCESS_KEY_ID={p.add(d.AWS_ACCESS_KEY, access_key_id(rng))}\n"
        f"   export aws_secret_access_key={p.add(d.AWS_SECRET_KEY, secret_key(rng))}\n"
        f"   시크릿 키: {p.add(d.AWS_SECRET_KEY, secret_key(rng))}\n"
        f"6. Logs go to s3://{p.add(d.S3_BUCKET, bucket(rng))}/bids/2026/11/22/ and "
        f"https://{p.add(d.S3_BUCKET, bucket(rng))}.s3.ap-northeast-2.amazonaws.com/report.json, "
        f"backups to https://{p.add(d.S3_BUCKET, bucket(rng))}.s3.amazonaws.com/db.dump.\n"
        f"7. Verify commit 3f9a2c1 (full {_hex(rng, 40)}), Windows build v10.0.19041.1, latency 87.745 ms.\n"
        f"8. Escalate to {p.secret('김하늘')} ({p.add(d.EMAIL, email(rng))}, {p.add(d.PHONE, phone_number(rng))}).\n"
    )


class _Planter:
    """Collects planted values while a document is written."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.planted: list[Planted] = []

    def add(self, kind: str, value: str) -> str:
        self.planted.append(Planted(kind, value))
        return value

    def secret(self, canonical: str) -> str:
        spelling = self.rng.choice(_SECRET_SPELLINGS.get(canonical, [canonical]))
        return self.add(d.SECRET, spelling)

    def bank(self, rng: random.Random) -> str:
        words, number = bank_account(rng)
        return f"{words} {self.add(d.BANK_ACCOUNT, number)}"


def planted_corpus(n_documents: int = 60, seed: int = 20261122) -> list[Document]:
    rng = random.Random(seed)
    writers = [_bid_notice, _email, _runbook]
    docs: list[Document] = []
    for i in range(n_documents):
        planter = _Planter(rng)
        text = writers[i % len(writers)](rng, planter)
        docs.append(Document(text, planter.planted))
    return docs


# --- look-alikes (must be left untouched) ----------------------------------------------------------------


def _invalid_date_13(rng: random.Random) -> str:
    # Month 13-99 or day 32-99: never a birth date, whatever the gender digit.
    yy = _digits(rng, 2)
    if rng.random() < 0.5:
        head = f"{yy}{rng.randint(13, 99)}{rng.randint(1, 28):02d}"
    else:
        head = f"{yy}{rng.randint(1, 12):02d}{rng.randint(32, 99)}"
    return head + _digits(rng, 7)


def _failing_brn(rng: random.Random) -> str:
    while True:
        value = str(rng.randint(2, 9)) + _digits(rng, 9)  # not 01x: that would be a mobile number
        if not business_number_ok(value):
            return value


def lookalikes(n_random: int = 200, seed: int = 7) -> list[str]:
    """Strings that resemble identifiers but are not; each must come out of the masker unchanged."""
    rng = random.Random(seed)
    fixed = [
        "버전 1.2.3 및 v10.0.19041.1 배포",
        "release 2.14.0-rc.1 on kernel 5.15.0-1051-aws",
        "타임스탬프 2026-11-22T09:30:00+09:00, 2026-11-22 09:30:00, 20261122093000",
        "공고일 2026-11-22, 20261122, 2026.11.22, 2026/11/22",
        "추정가격 1,974,820,700원, 기초금액 219000000원, 예가 1,974,820,700",
        "공고번호 R26BK01706792 및 20241101948-00, 차수 000",
        "commit 3f9a2c1 and 0123456789abcdef0123456789abcdef01234567",
        "사정률 87.745%, 낙찰하한율 87.745 및 0.8745",
        "전화 아님: 099-1234-5678, 010-12-345, 02-12-3456, 000-0000-0000, 1234-5678",
        "dotted 1.2.3.4.5 and 256.1.1.1 and 10.0.0.256 and v1.2.3.4",
        "uuid 550e8400-e29b-41d4-a716-446655440000",
        "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "amazon ami- i- prefixes alone, i-123, vol-xyz",
        "ISBN 978-89-6848-123-4, 우편번호 06236",
    ]
    generated: list[str] = []
    for _ in range(n_random):
        pick = rng.randrange(9)
        if pick == 0:
            generated.append(f"13자리 번호 {_invalid_date_13(rng)} 확인")
        elif pick == 1:
            generated.append(f"관리번호 {_failing_brn(rng)} 참조")
        elif pick == 2:
            generated.append(f"version {rng.randint(0, 30)}.{rng.randint(0, 99)}.{rng.randint(0, 999)}")
        elif pick == 3:
            generated.append(f"금액 {rng.randint(1, 999):,},{rng.randint(100, 999)},{rng.randint(100, 999)}원")
        elif pick == 4:
            generated.append(f"commit {_hex(rng, 7)} / {_hex(rng, 40)}")
        elif pick == 5:
            generated.append(f"공고 R{rng.randint(20, 26)}BK{_digits(rng, 8)}, {_digits(rng, 11)}-{_digits(rng, 2)}")
        elif pick == 6:
            day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(3000))
            generated.append(f"일자 {day.isoformat()} {day.strftime('%Y%m%d')} {rng.randint(0, 23):02d}:00")
        elif pick == 7:
            generated.append(f"비율 {rng.randint(0, 99)}.{_digits(rng, 3)}")
        else:
            generated.append(f"내선 {rng.randint(100, 9999)}번, 문서 {rng.randint(1, 99)}-{rng.randint(1, 999)}")
    return fixed + generated


# =====================================================================================================================
# Issue 10: the attacker's corpus. One case per planted value, grouped by class; each case is a short text in one
# of the contexts the issue lists. `probes` are the strings that must not survive masking (for a company name,
# its core; for a value, the value as written).


@dataclass(frozen=True)
class Case:
    cls: str  # e.g. "phone/json-newline"
    text: str
    probes: tuple[str, ...]


# The profile the secret cases are planted for (what `secret_values` makes of a profile is tested elsewhere).
PROFILE_NAME = "한빛소프트웨어(주)"
PROFILE_CORE = "한빛소프트웨어"
PROFILE_LATIN = "Hanbit Software"
PROFILE_BRN = "2208162517"
PROFILE_AMOUNT = 320_000_000  # a contract of the secret track record
PROFILE_ADDRESS = "서울특별시 강남구 테헤란로 521"
PROFILE_CEO = "김하늘"

_NBSP, _ENDASH, _MINUS, _ZWSP = "\\u00a0", "\\u2013", "\\u2212", "\\u200b"
_NBSP, _ENDASH, _MINUS, _ZWSP = (x.encode().decode("unicode_escape") for x in (_NBSP, _ENDASH, _MINUS, _ZWSP))


def _contexts(rng: random.Random, label: str, value: str) -> list[tuple[str, str]]:
    """The value in each context the issue lists: (context name, text)."""
    other = f"{rng.choice(['서울', '부산', 'Seoul'])}"
    return [
        ("prose", f"담당자 {label}: {value} 으로 연락 바랍니다."),
        ("json-newline", json.dumps({"description": f"회사 소개\n{label}\n{value}\n끝"}, ensure_ascii=False)),
        ("json-tab", json.dumps({"note": f"{label}\t{value}\t{other}"}, ensure_ascii=False)),
        ("json-ascii", json.dumps({"note": f"{label} {value}"}, ensure_ascii=True)),
        ("csv", f"name,{label},city\n홍길동,{value},{other}\n"),
        ("glued-underscore", f"{label}_{value}_end"),
        ("glued-letters", f"{label}:x{value}y"),
        ("trailing-dash-1", f"{label} {value}-1 참조"),
        ("trailing-dot-5", f"{label} {value}.5 참조"),
    ]


_PHONE_SEPS = ["-", " ", _NBSP, _ENDASH, ".", "\n", ""]


def _phone_forms(rng: random.Random) -> list[str]:
    n3, n4, n4b = _digits(rng, 3), _digits(rng, 4), _digits(rng, 4)
    sep = rng.choice(_PHONE_SEPS)
    area = rng.choice(["31", "32", "51", "53", "62", "64", "70"])
    return [
        f"010{sep}{n4}{sep}{n4b}",
        f"02){n4}-{n4b}",
        f"({rng.choice(['010', '011', '016'])}){n4}-{n4b}",
        f"(02) {n3}-{n4}",
        f"+82-010-{n4}-{n4b}",
        f"+82-10-{n4}-{n4b}",
        f"82-10-{n4}-{n4b}",
        f"+82 2 {n3} {n4}",
        f"+82 (0)2 {n3} {n4}",
        f"0{area}{sep if sep else '-'}{n3}{sep if sep else '-'}{n4}",
        f"0505-{n3}-{n4}",
        f"{rng.choice(['0502', '0504', '0505', '0507'])}-{n3}-{n4}",  # not a 대표번호 (an organisation's, s37)
    ]


def _rrn(rng: random.Random, foreign: bool = False) -> tuple[str, str]:
    born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 80))
    by_century = {(False, 19): "12", (True, 19): "56", (False, 20): "34", (True, 20): "78"}
    gender = rng.choice(by_century[(foreign, born.year // 100)])
    return born.strftime("%y%m%d"), gender + _digits(rng, 6)


def _brn(rng: random.Random) -> str:
    while True:
        body = str(rng.randint(1, 9)) + _digits(rng, 8)
        for check in string.digits:
            if business_number_ok(body + check):
                return body + check


_BANKS = [
    "국민은행",
    "KB국민",
    "신한은행",
    "신한",
    "우리은행",
    "하나은행",
    "농협",
    "NH농협",
    "기업은행",
    "IBK",
    "카카오뱅크",
    "토스뱅크",
    "우체국",
    "새마을금고",
    "SC제일은행",
    "수협",
]
_ACCOUNT_SHAPES = [
    (6, 2, 6),
    (3, 3, 6),
    (4, 3, 6),
    (3, 6, 5),
    (3, 4, 4, 2),
    (3, 6, 2, 3),
    (4, 2, 7),
    (3, 2, 6, 1),
    (4, 4, 4, 1),
    (6, 2, 5, 1),
    (3, 4, 4, 1),
    (12,),
    (14,),
]


def _account(rng: random.Random) -> str:
    shape = rng.choice(_ACCOUNT_SHAPES)
    sep = rng.choice(["-", "-", " ", "."])
    return sep.join(_digits(rng, n) for n in shape)


_AWS_KEY_PREFIXES = ["AKIA", "ASIA", "AROA", "AIDA", "ANPA", "AGPA", "AIPA", "APKA", "ANVA", "ABIA", "ACCA"]
_AWS_RESOURCE_PREFIXES = [
    "i",
    "vol",
    "snap",
    "sg",
    "subnet",
    "vpc",
    "igw",
    "nat",
    "eni",
    "ami",
    "rtb",
    "acl",
    "tgw",
    "eipalloc",
    "vpce",
    "pcx",
    "lt",
    "eni-attach",
    "tgw-attach",
    "fs",
    "fsap",
    "dopt",
    "cgw",
    "vgw",
    "vpn",
    "rtbassoc",
    "eigw",
    "tgw-rtb",
    "pl",
    "sir",
]
_REGIONS = ["ap-northeast-2", "us-east-1", "eu-west-1", "ap-southeast-1"]


def _b64(rng: random.Random, n: int) -> str:
    alphabet = string.ascii_letters + string.digits + "/+"
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(n))
        if any(c.isupper() for c in value) and any(c.islower() for c in value) and any(c.isdigit() for c in value):
            return value


def _aws_cases(rng: random.Random) -> list[Case]:
    cases: list[Case] = []
    for prefix in _AWS_KEY_PREFIXES:
        for _ in range(4):
            key = prefix + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16))
            ctx = rng.choice([f"key id {key}", f'"AccessKeyId": "{key}"', f"{key},secret", f"creds_{key}"])
            cases.append(Case(f"aws-key/{prefix}", ctx, (key,)))
    for i in range(40):
        secret = _b64(rng, 40)
        key = "AKIA" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16))
        text = [
            f"| user | {key} | {secret} |",
            f"key={secret}",
            f"AWS credentials:\n{key}\n{secret}\n",
            json.dumps({"k": key, "v": secret}),
            f"aws_secret_access_key = {secret}",
        ][i % 5]
        cases.append(Case(f"aws-secret/{['table', 'key=', 'next-line', 'json', 'named'][i % 5]}", text, (secret,)))
    for i in range(12):
        token = rng.choice(["IQoJb3JpZ2luX2VjE", "FwoGZXIvYXdzE"]) + _b64(rng, rng.randint(200, 400))
        text = [f"aws_session_token={token}", f"X-Amz-Security-Token: {token}", f"token:\n{token}"][i % 3]
        cases.append(Case("aws-session-token", text, (token[:60],)))
    for prefix in _AWS_RESOURCE_PREFIXES:
        for n_hex in (8, 17):
            value = f"{prefix}-{_hex(rng, n_hex)}"
            cases.append(
                Case(f"aws-id/{prefix}", rng.choice([f"resource {value} 확인", f'"{value}"', f"{value},ok"]), (value,))
            )
    for _ in range(6):
        acct = str(rng.randint(1, 9)) + _digits(rng, 11)
        region = rng.choice(_REGIONS)
        for form, text in [
            ("arn", f"arn:aws:iam::{acct}:role/Deploy"),
            ("ecr", f"docker pull {acct}.dkr.ecr.{region}.amazonaws.com/bidradar:latest"),
            ("sqs", f"https://sqs.{region}.amazonaws.com/{acct}/bid-events"),
            ("signin", f"https://{acct}.signin.aws.amazon.com/console"),
            ("after-aws", f"AWS {acct}"),
            ("after-owner", f"owner {acct}"),
            ("owner-id-json", json.dumps({"OwnerId": acct})),
        ]:
            cases.append(Case(f"aws-account/{form}", text, (acct,)))
    for _ in range(6):
        o = [rng.randint(0, 255) for _ in range(3)]
        region = rng.choice(_REGIONS)
        eks = "".join(rng.choice("0123456789ABCDEF") for _ in range(32))
        api = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(10))
        rds = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(12))
        for form, text, probe in [
            ("ip-internal", f"ip-10-{o[0]}-{o[1]}-{o[2]}.{region}.compute.internal", f"ip-10-{o[0]}-{o[1]}-{o[2]}"),
            ("ec2-internal", f"ip-172-31-{o[1]}-{o[2]}.ec2.internal", f"ip-172-31-{o[1]}-{o[2]}"),
            ("ec2-public", f"ec2-3-{o[0]}-{o[1]}-{o[2]}.{region}.compute.amazonaws.com", f"ec2-3-{o[0]}-{o[1]}-{o[2]}"),
            ("eks", f"https://{eks}.gr7.{region}.eks.amazonaws.com", eks),
            ("rds", f"bidradar-db.{rds}.{region}.rds.amazonaws.com:5432", rds),
            ("apigw", f"https://{api}.execute-api.{region}.amazonaws.com/prod", api),
        ]:
            cases.append(Case(f"aws-host/{form}", text, (probe,)))
    for _ in range(8):
        b = bucket(rng)
        for form, text in [
            ("s3a", f"spark.read.parquet('s3a://{b}/bids/')"),
            ("s3", f"s3://{b}/x"),
            ("virtual-host", f"https://{b}.s3.{rng.choice(_REGIONS)}.amazonaws.com/report.json"),
            ("path", f"https://s3.{rng.choice(_REGIONS)}.amazonaws.com/{b}/report.json"),
        ]:
            cases.append(Case(f"s3/{form}", text, (b,)))
    return cases


def _korean_cases(rng: random.Random) -> list[Case]:
    cases: list[Case] = []
    for _ in range(16):
        for form in _phone_forms(rng):
            ctx_name, text = rng.choice(_contexts(rng, "연락처", form))
            cases.append(Case(f"phone/{ctx_name}", text, (form,)))
    for _ in range(8):  # every context for the plain mobile form
        form = f"010-{_digits(rng, 4)}-{_digits(rng, 4)}"
        for ctx_name, text in _contexts(rng, "phone", form):
            cases.append(Case(f"phone/{ctx_name}", text, (form,)))
    for i in range(90):
        head, tail = _rrn(rng, foreign=i % 5 == 0)
        sep = ["", "-", " ", _ENDASH, _MINUS, ".", "\n", " - "][i % 8]
        value = head + sep + tail
        ctx_name, text = rng.choice(_contexts(rng, "주민등록번호", value))
        cases.append(
            Case(
                f"rrn/sep-{['none', 'dash', 'space', 'endash', 'minus', 'dot', 'newline', 'spaced-dash'][i % 8]}",
                text,
                (value,),
            )
        )
    for i in range(60):
        digits = _brn(rng)
        sep = ["-", " ", ".", ""][i % 4]
        value = sep.join((digits[:3], digits[3:5], digits[5:])) if sep else digits
        ctx = rng.choice(["사업자등록번호", "사업자번호", "Business Reg. No."])
        ctx_name, text = rng.choice(_contexts(rng, ctx, value))
        cases.append(Case(f"brn/sep-{['dash', 'space', 'dot', 'none'][i % 4]}", text, (value,)))
    for _ in range(20):
        body = _digits(rng, 12)
        total = sum(int(c) * (1 if i % 2 == 0 else 2) for i, c in enumerate(body))
        value = f"{body[:6]}-{body[6:]}{(10 - total % 10) % 10}"
        cases.append(Case("crn", f"법인등록번호 {value}", (value,)))
    for i in range(90):
        bank, number = rng.choice(_BANKS), _account(rng)
        position = ["before", "after", "before-no-space", "json"][i % 4]
        text = {
            "before": f"입금: {bank} {number} (예금주 한빛)",
            "after": f"보증금 계좌 {number} {bank}",
            "before-no-space": f"{bank}{number}",
            "json": json.dumps({"bank": bank, "account": number}, ensure_ascii=False),
        }[position]
        cases.append(Case(f"bank/{position}", text, (number,)))
    for _ in range(40):
        value = email(rng)
        ctx_name, text = rng.choice(_contexts(rng, "메일", value)[:6])
        cases.append(Case(f"email/{ctx_name}", text, (value,)))
    for _ in range(60):
        value = ipv4(rng)
        ctx_name, text = rng.choice([*_contexts(rng, "서버", value)[:7], ("port", f"connect {value}:5432")])
        cases.append(Case(f"ipv4/{ctx_name}", text, (value,)))
    return cases


def _secret_cases(rng: random.Random) -> list[Case]:
    import unicodedata

    cases: list[Case] = []
    names = [
        ("bare", PROFILE_CORE, PROFILE_CORE),
        ("(주)-before", f"(주){PROFILE_CORE}", PROFILE_CORE),
        ("(주)-after", f"{PROFILE_CORE}(주)", PROFILE_CORE),
        ("주식회사-before", f"주식회사 {PROFILE_CORE}", PROFILE_CORE),
        ("주식회사-after", f"{PROFILE_CORE} 주식회사", PROFILE_CORE),
        ("circled-ju", f"㈜{PROFILE_CORE}", PROFILE_CORE),
        ("fullwidth-parens", f"（주）{PROFILE_CORE}", PROFILE_CORE),
        ("nfd", unicodedata.normalize("NFD", f"{PROFILE_CORE}(주)"), unicodedata.normalize("NFD", PROFILE_CORE)),
        ("particle", f"{PROFILE_CORE}가", PROFILE_CORE),
        ("spaced", "한빛 소프트웨어", "한빛 소프트웨어"),
        ("latin-upper", PROFILE_LATIN.upper(), PROFILE_LATIN.upper()),
        ("latin-newline", PROFILE_LATIN.replace(" ", "\n"), PROFILE_LATIN.replace(" ", "\n")),
        ("latin-co-ltd", f"{PROFILE_LATIN} Co., Ltd.", PROFILE_LATIN),
    ]
    amounts = [
        ("digits", "320000000"),
        ("commas", "320,000,000"),
        ("eok-man", "3억 2천만"),
        ("eok-man-glued", "3억2천만"),
        ("baekman", "320백만"),
        ("cheon", "320,000천"),
        ("eok-decimal", "3.20억"),
        ("eok-short", "3.2억"),
        ("man", "32,000만"),
    ]
    brns = [("dash", "220-81-62517"), ("space", "220 81 62517"), ("dot", "220.81.62517"), ("bare", PROFILE_BRN)]
    for _ in range(5):
        for form, written, probe in names:
            _, text = rng.choice(_contexts(rng, "회사", written)[:5])
            cases.append(Case(f"secret-name/{form}", text, (probe,)))
        for form, written in amounts:
            text = rng.choice(
                [f"계약금액 {written}원", f"수주 실적: {written}원 (2025)", json.dumps({"amount": f"{written}원"})]
            )
            cases.append(Case(f"secret-amount/{form}", text, (written,)))
        for form, written in brns:
            _, text = rng.choice(_contexts(rng, "번호", written)[:5])
            cases.append(Case(f"secret-brn/{form}", text, (written,)))
        cases.append(
            Case(
                "secret-address",
                f"주소: {PROFILE_ADDRESS.replace(' ', rng.choice(['  ', chr(10), ' ']))} 5층",
                (PROFILE_ADDRESS.split()[-2],),
            )
        )
        cases.append(Case("secret-person", f"대표 {PROFILE_CEO}님께", (PROFILE_CEO,)))
    return cases


def profile_secrets() -> list[str]:
    """The secrets of the attack corpus's company, as `secret_values` would list them for its profile."""
    return [PROFILE_NAME, PROFILE_LATIN, PROFILE_BRN, "220-81-62517", str(PROFILE_AMOUNT), PROFILE_ADDRESS, PROFILE_CEO]


def attack_corpus(seed: int = 10) -> list[Case]:
    """Every class the issue lists, >= 1,000 planted values."""
    rng = random.Random(seed)
    return [*_korean_cases(rng), *_aws_cases(rng), *_secret_cases(rng)]


# --- look-alikes per class (must come out unchanged) ---------------------------------------------------------------


@dataclass(frozen=True)
class LookAlike:
    cls: str
    text: str


def _ean13(rng: random.Random) -> str:
    body = "880" + _digits(rng, 9)
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10)


def lookalike_corpus(seed: int = 11) -> list[LookAlike]:
    """>= 1,000 texts that resemble identifiers but are not, by class; run with `profile_secrets()`."""
    rng = random.Random(seed)
    out: list[LookAlike] = []
    add = lambda cls, text: out.append(LookAlike(cls, text))  # noqa: E731
    for _ in range(100):
        parts = [rng.randint(1, 12) for _ in range(rng.choice([3, 4, 4, 5]))]
        number = ".".join(map(str, parts))
        add(
            "section-number",
            rng.choice([f"{number} 보안 요구사항", f"제안요청서 {number}항 참조", f"\n{number} 일반사항\n"]),
        )
    for _ in range(100):
        code = str(rng.randint(1, 9)) + _digits(rng, 9)
        add(
            "product-code",
            rng.choice([f"물품분류번호 {code}", f"품목코드: {code}", f"세부품명번호 {code} (데스크톱컴퓨터)"]),
        )
    for _ in range(100):
        add("ean13", rng.choice([f"바코드 {_ean13(rng)}", f"EAN {_ean13(rng)}", f"상품코드(EAN-13): {_ean13(rng)}"]))
    for _ in range(100):
        notice = f"2024{rng.randint(1, 12):02d}{_digits(rng, 5)}-{rng.randint(0, 9):02d}"
        add(
            "notice-near-bank-word",
            rng.choice(
                [
                    f"공고번호 {notice} 입찰보증금은 KB 입금",
                    f"입금 확인: 공고 {notice}",
                    f"{notice} (KB국민 가상계좌로 납부)",
                ]
            ),
        )
    for _ in range(100):
        price = rng.randint(10**8, 9 * 10**9)
        add(
            "plain-amount",
            rng.choice(
                [
                    f"기초금액 {price}원",
                    f"추정가격 {price:,}원",
                    json.dumps({"estimated_price": price}),
                    f"예가 {price}",
                ]
            ),
        )
    for _ in range(100):
        year = rng.randint(2015, 2026)
        add(
            "year-and-0-man",
            rng.choice(
                [
                    f"{year}년 사업",
                    f"준공 {year}",
                    f"잔액 0만원, {year}년 기준",
                    json.dumps({"year": year, "amount": rng.randint(1, 9) * 10**7}),
                ]
            ),
        )
    for _ in range(100):
        inner = rng.choice([PROFILE_BRN, str(PROFILE_AMOUNT), "2208"])
        add(
            "secret-inside-token",
            rng.choice(
                [f"공고번호 R26BK{inner}1", f"금액 1{PROFILE_AMOUNT}원", f"관리번호 9{PROFILE_BRN}3", f"코드 X{inner}Y"]
            ),
        )
    for _ in range(100):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(3000))
        add(
            "date-time",
            rng.choice([day.isoformat(), day.strftime("%Y%m%d%H%M"), f"{day:%Y.%m.%d} 10:00", f"{day:%Y%m%d}"]),
        )
    for _ in range(100):
        add(
            "version-hash",
            rng.choice(
                [
                    f"v{rng.randint(1, 20)}.{rng.randint(0, 9)}.{rng.randint(0, 99999)}.{rng.randint(0, 9)}",
                    f"commit {_hex(rng, 40)}",
                    f"uuid {_hex(rng, 8)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 12)}",
                    f"sha256 {_hex(rng, 64)}",
                ]
            ),
        )
    for _ in range(100):
        add(
            "near-phone",
            rng.choice(
                [
                    f"099-{_digits(rng, 4)}-{_digits(rng, 4)}",
                    f"010-{_digits(rng, 2)}-{_digits(rng, 3)}",
                    f"내선 {rng.randint(100, 9999)}",
                    f"{_digits(rng, 4)}-{_digits(rng, 4)}",
                    f"문서 {rng.randint(1, 99)}-{rng.randint(1, 999)}",
                ]
            ),
        )
    for text in lookalikes():
        add("legacy", text)
    return out
