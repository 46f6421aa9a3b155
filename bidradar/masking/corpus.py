"""Synthetic corpora for proving the masker: planted identifiers and look-alikes (tests and benchmark).

Every value is generated (seeded), valid for its type (dates, checksums, octets), and embedded in realistic
Korean and English text: bid notices, e-mails, infrastructure runbooks. Nothing here is real data.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass, field

from bidradar.masking import detect as d


@dataclass(frozen=True)
class Planted:
    kind: str
    value: str  # exactly the text the masker must replace


@dataclass
class Document:
    text: str
    planted: list[Planted] = field(default_factory=list)


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
            if d.business_number_ok(body + check):
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
        lambda: f"1588-{n4()}",
        lambda: f"1644-{n4()}",
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
        if not d.business_number_ok(value):
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
