"""Session 30's red-team corpus for issue 24: values written the ways people write them, in formats the earlier
corpora did not use, and ordinary technical and notice texts that must not be refused.

Every planted value is generated (valid checksums where the format has one) and listed with its document; none
may reach a model. Ordinary texts carry no personal or secret value; masking something in them is allowed (it is
counted), refusing them is not.
"""

from __future__ import annotations

import base64
import json
import random
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

ZWSP, SHY, NBSP, THIN, WJ = "\u200b", "\u00ad", "\u00a0", "\u2009", "\u2060"
FULL = str.maketrans("0123456789-", "０１２３４５６７８９－")
HANGUL_DIGITS = str.maketrans("0123456789", "공일이삼사오육칠팔구")


@dataclass(frozen=True)
class Doc:
    cls: str
    fmt: str
    text: str
    planted: tuple[str, ...]


# --- generated values -----------------------------------------------------------------------------------------


def _luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def card(rng: random.Random, prefix: str, length: int = 16) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + _luhn_digit(body)


def resident(rng: random.Random, gender: str) -> str:
    """yymmdd + gender digit + 6 digits with the pre-2020 check digit (gender 5-8: 외국인등록번호)."""
    century = {"1": 1900, "2": 1900, "3": 2000, "4": 2000, "5": 1900, "6": 1900, "7": 2000, "8": 2000}[gender]
    year = rng.randint(50, 99) if century == 1900 else rng.randint(0, 20)
    body = f"{year:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{gender}{rng.randint(0, 99999):05d}"
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + str((11 - total % 11) % 10)


def corporate(rng: random.Random) -> str:
    body = f"{rng.choice(['110111', '134511', '160111', '284411'])}{rng.randint(0, 999999):06d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def iban(rng: random.Random, country: str = "DE", length: int = 22) -> str:
    bban = "".join(rng.choice("0123456789") for _ in range(length - 4))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    return f"{country}{check:02d}{bban}"


def _b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


# --- the documents ----------------------------------------------------------------------------------------------


def _identity_docs(rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    for gender in "12345678":
        rrn = resident(rng, gender)
        dashed = f"{rrn[:6]}-{rrn[6:]}"
        cls = "FRN" if gender in "5678" else "RRN"
        docs += [
            Doc(cls, "json", f'{{"name": "김민수", "residentNo": "{dashed}", "nationality": "KR"}}', (dashed,)),
            Doc(cls, "yaml", f"applicant:\n  name: Nguyen Van An\n  alien_registration_no: {dashed}\n", (dashed,)),
            Doc(cls, "env", f"TEST_USER_RRN={rrn}\n", (rrn,)),
            Doc(cls, "csv", f"이름,생년월일,등록번호,연락처\n홍길동,{rrn[:6]},{dashed},미기재\n", (dashed,)),
            Doc(cls, "full-width", f"주민등록번호: {dashed.translate(FULL)} (본인 확인용)", (dashed.translate(FULL),)),
            Doc(
                cls,
                "zwsp",
                f"외국인등록번호 {rrn[:6]}{ZWSP}-{ZWSP}{rrn[6:]} 으로 조회",
                (f"{rrn[:6]}{ZWSP}-{ZWSP}{rrn[6:]}",),
            ),
            Doc(
                cls,
                "soft-hyphen",
                f"등록번호 {rrn[:3]}{SHY}{rrn[3:6]}-{rrn[6:9]}{SHY}{rrn[9:]}",
                (f"{rrn[:3]}{SHY}{rrn[3:6]}-{rrn[6:9]}{SHY}{rrn[9:]}",),
            ),
            Doc(cls, "nbsp", f"신청인 주민번호는{NBSP}{rrn[:6]}{NBSP}{rrn[6:]}입니다.", (rrn[6:],)),
            Doc(cls, "thin-space", f"RRN: {rrn[:6]}{THIN}-{THIN}{rrn[6:]}", (rrn[6:],)),
            Doc(cls, "wrapped", f"담당자 확인 결과 등록번호는 {rrn[:6]}-\n{rrn[6:]} 로 되어 있습니다.", (rrn[6:],)),
            Doc(
                cls,
                "hangul-numerals",
                f"주민번호 {rrn[:6].translate(HANGUL_DIGITS)}-{rrn[6:].translate(HANGUL_DIGITS)}",
                (rrn[6:].translate(HANGUL_DIGITS),),
            ),
            Doc(
                cls,
                "mixed-numerals",
                f"등록번호 {rrn[:6]}-{rrn[6:9].translate(HANGUL_DIGITS)}{rrn[9:]}",
                (f"{rrn[:6]}-{rrn[6:9].translate(HANGUL_DIGITS)}{rrn[9:]}",),
            ),
            Doc(cls, "markdown", f"| 성명 | 등록번호 |\n|---|---|\n| 박지훈 | {dashed} |\n", (dashed,)),
            Doc(cls, "url", f"GET /api/users?rrn={urllib.parse.quote(dashed)}&page=1 HTTP/1.1", (rrn[6:],)),
            Doc(cls, "url-double", f"redirect=%2Fverify%3Frrn%3D{rrn[:6]}%252D{rrn[6:]}", (rrn[6:],)),
            Doc(cls, "base64", f'{{"payload": "{_b64(dashed)}", "encoding": "base64"}}', (_b64(dashed),)),
            Doc(cls, "code", f"assert validate_rrn('{dashed}') is True  # 테스트용", (dashed,)),
            Doc(cls, "underscore", f"첨부: scan_{rrn[:6]}_{rrn[6:]}.pdf", (f"{rrn[:6]}_{rrn[6:]}",)),
            Doc(cls, "halves", f"주민등록번호 앞자리 {rrn[:6]}, 뒷자리 {rrn[6:]} 입니다", (rrn[6:],)),
            Doc(cls, "jamo-dash", f"등록번호 {rrn[:6]}ㅡ{rrn[6:]}", (f"{rrn[:6]}ㅡ{rrn[6:]}",)),
        ]
    for _ in range(4):
        crn = corporate(rng)
        dashed = f"{crn[:6]}-{crn[6:]}"
        docs += [
            Doc("CRN", "prose", f"법인등록번호 {dashed} 인 (주)대한테크의 등기부등본을 첨부합니다.", (dashed,)),
            Doc("CRN", "json", f'{{"corp_reg_no": "{crn}", "corp_name": "대한테크"}}', (crn,)),
            Doc("CRN", "full-width", f"법인번호：{dashed.translate(FULL)}", (dashed.translate(FULL),)),
        ]
    for i in range(4):
        letter = "MSRGD"[i % 5]
        passport = f"{letter}{rng.randint(10_000_000, 99_999_999)}"
        new_passport = f"M{rng.randint(100, 999)}{rng.choice('ABCDEFGHJK')}{rng.randint(1000, 9999)}"
        docs += [
            Doc("PASSPORT", "prose", f"여권번호 {passport} (만료 2031.05.01)로 출장 신청합니다.", (passport,)),
            Doc("PASSPORT", "json", f'{{"traveler": "LEE SOYEON", "passportNo": "{new_passport}"}}', (new_passport,)),
            Doc("PASSPORT", "csv", f"name,passport_number,expiry\nKIM JIHO,{passport},2030-01-31\n", (passport,)),
            Doc("PASSPORT", "yaml", f"visa:\n  passport: {new_passport}\n  issued: 2024-03-02\n", (new_passport,)),
            Doc(
                "PASSPORT",
                "word-after",
                f"{passport[0]} {passport[1:]} (여권) 사본 첨부",
                (f"{passport[0]} {passport[1:]}",),
            ),
        ]
    for _ in range(4):
        region = rng.choice(["11", "12", "13", "21", "26", "28"])
        driver = f"{region}-{rng.randint(10, 99)}-{rng.randint(100000, 999999)}-{rng.randint(10, 99)}"
        named = f"서울 {driver[3:]}"
        docs += [
            Doc("DRIVER", "prose", f"운전면허번호 {driver} (1종 보통)", (driver,)),
            Doc("DRIVER", "json", f'{{"driverLicenseNo": "{driver}", "class": "2종 보통"}}', (driver,)),
            Doc("DRIVER", "region-name", f"면허번호: {named}", (named[3:],)),
            Doc("DRIVER", "bare", f"driver license {driver.replace('-', '')} verified", (driver.replace("-", ""),)),
        ]
    for _ in range(4):
        health = f"{rng.randint(1, 9)}-{rng.randint(1_000_000_000, 9_999_999_999)}"
        bare = f"{rng.randint(10_000_000_000, 99_999_999_999)}"
        docs += [
            Doc("HEALTH", "prose", f"건강보험증번호 {health} 로 자격 확인", (health[2:],)),
            Doc("HEALTH", "json", f'{{"health_insurance_no": "{bare}"}}', (bare,)),
            Doc("HEALTH", "csv", f"성명,건강보험증번호\n이서연,{bare}\n", (bare,)),
        ]
    return docs


def _card_docs(rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    for prefix, length in (("4", 16), ("51", 16), ("2221", 16), ("37", 15), ("9410", 16), ("6", 16), ("35", 16)):
        number = card(rng, prefix, length)
        grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        dashed = "-".join(number[i : i + 4] for i in range(0, len(number), 4))
        docs += [
            Doc("CARD", "json", f'{{"card_number": "{number}", "exp": "12/29"}}', (number,)),
            Doc("CARD", "prose", f"법인카드 {dashed} 로 결제했습니다.", (dashed,)),
            Doc("CARD", "log", f"2025-12-06 10:22:01 INFO payment approved pan={grouped} amount=55000", (grouped,)),
            Doc("CARD", "bare", f"card {number} declined", (number,)),
            Doc("CARD", "full-width", f"카드번호 {dashed.translate(FULL)}", (dashed.translate(FULL),)),
            Doc("CARD", "zwsp", f"카드: {number[:8]}{ZWSP}{number[8:]}", (number[8:],)),
            Doc("CARD", "underscore", f"pan_{dashed.replace('-', '_')}", (dashed.replace("-", "_"),)),
        ]
    return docs


def _account_docs(rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    formats = {
        "국민": lambda: f"{rng.randint(100000, 999999)}-{rng.randint(10, 99)}-{rng.randint(100000, 999999)}",
        "신한": lambda: f"110-{rng.randint(100, 999)}-{rng.randint(100000, 999999)}",
        "농협": lambda: f"301-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}-{rng.randint(10, 99)}",
        "우리": lambda: f"1002-{rng.randint(100, 999)}-{rng.randint(100000, 999999)}",
        "하나": lambda: f"{rng.randint(100, 999)}-{rng.randint(100000, 999999)}-{rng.randint(10000, 99999)}",
        "기업": lambda: (
            f"{rng.randint(100, 999)}-{rng.randint(100000, 999999)}-{rng.randint(10, 99)}-{rng.randint(100, 999)}"
        ),
    }
    for bank, make in formats.items():
        account = make()
        docs += [
            Doc("ACCOUNT", "prose", f"입금 계좌: {bank} {account} (예금주 주식회사 한빛)", (account,)),
            Doc("ACCOUNT", "json", f'{{"bank": "{bank}은행", "account_no": "{account}"}}', (account,)),
            Doc("ACCOUNT", "csv", f"거래처,은행,계좌번호\n한빛상사,{bank},{account}\n", (account,)),
            Doc("ACCOUNT", "bank-after", f"대금은 {account} ({bank}) 으로 보내 주세요", (account,)),
            Doc("ACCOUNT", "bare-digits", f"{bank}은행 {account.replace('-', '')}", (account.replace("-", ""),)),
            Doc("ACCOUNT", "yaml", f'payout:\n  bank_name: {bank}\n  number: "{account}"\n', (account,)),
        ]
    for country, length in (("DE", 22), ("GB", 22), ("FR", 27)):
        value = iban(rng, country, length)
        spaced = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        docs += [
            Doc("IBAN", "prose", f"Please wire the deposit to IBAN {spaced} (SWIFT DEUTDEFF).", (spaced,)),
            Doc("IBAN", "json", f'{{"iban": "{value}", "currency": "EUR"}}', (value,)),
        ]
    return docs


def _aws_docs(rng: random.Random) -> list[Doc]:
    def digits(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    def key_id() -> str:
        return "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))

    def secret() -> str:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        while True:
            value = "".join(rng.choice(alphabet) for _ in range(40))
            if any(c.isdigit() for c in value) and any(c.isupper() for c in value) and any(c.islower() for c in value):
                return value

    docs: list[Doc] = []
    for _ in range(3):
        account, other, kid, sec = digits(12), digits(12), key_id(), secret()
        docs += [
            Doc(
                "AWS",
                "cloudformation",
                "Resources:\n  DeployRole:\n    Type: AWS::IAM::Role\n    Properties:\n"
                "      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n"
                f"            Principal:\n              AWS: arn:aws:iam::{account}:root\n"
                f"      Tags:\n        - Key: owner-account\n          Value: '{other}'\n",
                (account, other),
            ),
            Doc(
                "AWS",
                "terraform",
                f'provider "aws" {{\n  region              = "ap-northeast-2"\n  allowed_account_ids = ["{account}", "{other}"]\n'
                f'  access_key          = "{kid}"\n  secret_key          = "{sec}"\n}}\n',
                (account, other, kid, sec),
            ),
            Doc(
                "AWS",
                "iam-json",
                '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": '
                f'"arn:aws:iam::{account}:role/deployer"}}, "Action": "sts:AssumeRole", "Condition": '
                f'{{"StringEquals": {{"aws:SourceAccount": "{other}"}}}}}}]}}',
                (account, other),
            ),
            Doc(
                "AWS",
                "credentials-file",
                f"[prod]\naws_access_key_id = {kid}\naws_secret_access_key = {sec}\nregion = ap-northeast-2\n",
                (kid, sec),
            ),
            Doc(
                "AWS",
                "cli-output",
                f'{{\n    "UserId": "AIDA{key_id()[4:]}",\n    "Account": "{account}",\n'
                f'    "Arn": "arn:aws:iam::{account}:user/ci-bot"\n}}',
                (account,),
            ),
            Doc(
                "AWS",
                "wrapped-key",
                f"키 전달드립니다: {kid[:10]}\n{kid[10:]} / {sec[:20]}\n{sec[20:]}",
                (kid[10:], sec[20:]),
            ),
            Doc(
                "AWS",
                "korean-prose",
                f"운영 계정 ID는 {account[:4]}-{account[4:8]}-{account[8:]} 입니다.",
                (f"{account[:4]}-{account[4:8]}-{account[8:]}",),
            ),
            Doc("AWS", "s3-arn", f'"Resource": "arn:aws:s3:::hanbit-payroll-{digits(4)}/*"', ()),
        ]
    return docs


def _phone_docs(rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    for _ in range(3):
        mid, last = rng.randint(1000, 9999), rng.randint(1000, 9999)
        mobile = f"010-{mid}-{last}"
        forms = {
            "intl-space": f"+82 10-{mid}-{last}",
            "intl-dash": f"+82-10-{mid}-{last}",
            "intl-zero": f"+82 (0)10 {mid} {last}",
            "dots": f"010.{mid}.{last}",
            "bare": f"010{mid}{last}",
            "spaces": f"010 {mid} {last}",
            "full-width": mobile.translate(FULL),
            "zwsp": f"010{ZWSP}-{mid}{ZWSP}-{last}",
            "soft-hyphen": f"010-{mid}{SHY}-{SHY}{last}",
            "nbsp": f"010{NBSP}{mid}{NBSP}{last}",
            "hangul-numerals": f"공일공-{str(mid).translate(HANGUL_DIGITS)}-{str(last).translate(HANGUL_DIGITS)}",
            "mixed-numerals": f"010-{mid}-{str(last).translate(HANGUL_DIGITS)}",
            "voip-070": f"070-{mid}-{last}",
            "safe-0505": f"0505-{rng.randint(100, 999)}-{last}",
            "seoul": f"02-{rng.randint(200, 999)}-{last}",
            "gyeonggi": f"(031) {rng.randint(200, 999)}-{last}",
            "wrapped": f"010-{mid}-\n{last}",
            "underscore": f"010_{mid}_{last}",
            "jamo-dash": f"010ㅡ{mid}ㅡ{last}",
            "slashes": f"010/{mid}/{last}",
            "html-entities": "".join(f"&#{ord(c)};" for c in f"010-{mid}-{last}"),
        }
        for fmt, value in forms.items():
            planted = value if fmt not in ("wrapped",) else f"{mid}-\n{last}"
            tail = planted
            escaped = json.dumps(value, ensure_ascii=False)
            docs += [
                Doc("PHONE", fmt, f"담당자 연락처: {value} (평일 9시-18시)", (tail,)),
                Doc("PHONE", fmt + "/json", f'{{"contact": {{"name": "최유진", "tel": {escaped}}}}}', (tail,)),
            ]
    return docs


def _email_docs(rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    for user, domain in (("jiwoo.park", "hanbit-soft.co.kr"), ("sales", "acme.com"), ("k.minsu", "mail.example.org")):
        name, tld = domain.split(".", 1)
        forms = {
            "brackets": f"{user}[at]{domain}",
            "parens-dot": f"{user} (at) {name} [dot] {tld.replace('.', ' [dot] ')}",
            "at-sign-bracket": f"{user}[@]{domain}",
            "url-encoded": f"{user}%40{domain}",
            "korean": f"{user}(골뱅이){domain}",
            "html-entities": f"{user}&#64;{domain.replace('.', '&#46;')}",
        }
        for fmt, value in forms.items():
            docs.append(Doc("EMAIL", fmt, f"문의는 {value} 로 보내 주세요.", (value, user + "@" + domain)))
    return docs


def _secret_docs(rng: random.Random) -> list[Doc]:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    password = "Hb" + "".join(rng.choice(alphabet) for _ in range(8)) + "!7"
    dsn = f"postgres://app:{password}@10.0.3.17:5432/bids"
    return [
        Doc(
            "SECRET",
            "k8s-secret-b64",
            f"apiVersion: v1\nkind: Secret\ndata:\n  DATABASE_URL: {_b64(dsn)}\n",
            (_b64(dsn),),
        ),
        Doc(
            "SECRET",
            "basic-auth",
            f"curl -H 'Authorization: Basic {_b64('admin:' + password)}' https://intra",
            (_b64("admin:" + password),),
        ),
        Doc("SECRET", "docker-env", f"docker run -e POSTGRES_PASSWORD={password} postgres:16", (password,)),
        Doc("SECRET", "korean", f"DB 접속 비번은 {password} 이고 계정은 app 입니다", (password,)),
        Doc(
            "SECRET",
            "url-encoded",
            f"jdbc:postgresql://db/bids?user=app&password={urllib.parse.quote(password)}",
            (password[:10],),
        ),
    ]


def attack_corpus(seed: int = 30) -> list[Doc]:
    rng = random.Random(seed)
    makers: list[Callable[[random.Random], list[Doc]]] = [
        _identity_docs,
        _card_docs,
        _account_docs,
        _aws_docs,
        _phone_docs,
        _email_docs,
        _secret_docs,
    ]
    return [doc for make in makers for doc in make(rng)]


# --- ordinary texts -----------------------------------------------------------------------------------------------


def ordinary_texts(seed: int = 30) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    hexs = "0123456789abcdef"

    def hx(n: int) -> str:
        return "".join(rng.choice(hexs) for _ in range(n))

    def uuid() -> str:
        return f"{hx(8)}-{hx(4)}-4{hx(3)}-a{hx(3)}-{hx(12)}"

    texts: list[tuple[str, str]] = []
    for i in range(12):
        texts.append(
            (
                "k8s",
                (
                    f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bidradar-api\n  uid: {uuid()}\n"
                    f'  resourceVersion: "{rng.randint(100_000_000, 999_999_999)}"\n  generation: {i + 3}\n'
                    f'  creationTimestamp: "2025-12-0{i % 9 + 1}T0{i % 10}:12:45Z"\nspec:\n  replicas: 3\n  template:\n'
                    f"    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/bidradar@sha256:{hx(64)}\n"
                    f"          ports:\n            - containerPort: 8080\n          resources:\n            limits:\n"
                    f"              memory: 536870912\n              cpu: 500m\n"
                ),
            )
        )
        texts.append(
            (
                "git-log",
                "\n".join(
                    f"commit {hx(40)}\nAuthor: Kim Dev <dev@example.com>\nDate:   Sat Dec {j + 1} 1{j}:0{j}:11 2025 +0900\n\n"
                    f"    Fix rounding of 기초금액 (#{rng.randint(100, 999)})\n"
                    for j in range(4)
                ),
            )
        )
        texts.append(
            (
                "csv-prices",
                "공고번호,품명,수량,단가,금액\n"
                + "\n".join(
                    f"R25BK{rng.randint(10_000_000, 99_999_999)}-000,사무용 의자,{q},{rng.randint(50, 900) * 1000},"
                    f"{q * rng.randint(50, 900) * 1000}"
                    for q in range(1, 8)
                ),
            )
        )
        texts.append(
            (
                "notice-new",
                (
                    f"공고번호 R25BK{rng.randint(10_000_000, 99_999_999)}-000 (차수 00). 입찰마감 2025-12-{i + 10:02d} 10:00, "
                    f"개찰 2025-12-{i + 10:02d} 11:00. 추정가격 {rng.randint(10, 900) * 1_000_000:,}원, 기초금액 "
                    f"{rng.randint(10, 900) * 1_100_000:,}원(VAT 포함). 낙찰하한율 87.745%. 문의 조달청 콜센터 1588-0800."
                ),
            )
        )
        texts.append(
            (
                "dates",
                (
                    f"배포 일정: 2025.12.{i + 1:02d} 09:30 ~ 2025.12.{i + 1:02d} 18:00 (KST), 2025-12-{i + 1:02d}T09:30:00+09:00, "
                    f"epoch {rng.randint(1_730_000_000, 1_770_000_000)}, 20251206093000, 2025년 12월 {i + 1}일 오후 3시"
                ),
            )
        )
        texts.append(
            (
                "versions",
                (
                    f"Bump fastapi 0.115.{i} -> 0.116.0, polars 1.{i}.2, node v20.11.{i}, kernel 6.1.0-{20 + i}-amd64, "
                    f"Windows 10.0.19041.{4000 + i}, model claude-sonnet-4-5-20250929, build 1.4.0-rc.{i}+{hx(7)}"
                ),
            )
        )
        texts.append(
            (
                "code-review",
                (
                    f"In `store.py` L{rng.randint(10, 400)}: the id `{uuid()}` is hard-coded; use `uuid4()`. "
                    f"See {hx(7)} and {hx(40)}. Also `TIMEOUT_MS = {rng.randint(1000, 60000)}` and "
                    f"`MAX_BYTES = {rng.randint(10_000_000, 999_999_999)}`."
                ),
            )
        )
        notice_no = f"2025{rng.randint(1, 12):02d}{rng.randint(10000, 99999)}"
        texts.append(
            (
                "notice-agency",
                f"공고기관 국민건강보험공단 서울지역본부, 공고번호 {notice_no}-00, 건강보험심사평가원 위탁. "
                f"건강보험료 {rng.randint(10_000_000, 99_999_999)}원 지원 사업. 대금 결제는 법인카드 가능, "
                f"공고번호 {notice_no}-01 참조. 접수 2025-12-{i + 1:02d} 10:00",
            )
        )
        texts.append(
            (
                "markdown-table",
                (
                    "| 차수 | 사정률 | 낙찰가 | 업체 수 |\n|---|---|---|---|\n"
                    + "\n".join(
                        f"| {j} | {rng.uniform(98, 102):.4f}% | {rng.randint(10_000_000, 900_000_000):,}원 | {rng.randint(5, 400)} |"
                        for j in range(5)
                    )
                ),
            )
        )
    return texts
