"""Detection of identifying values in free text (Korean and English), in linear time.

Detection runs on the normalised view of the text (`normalize.py`: NFKC, dash, space and zero-width
variants, JSON and URL escapes) and reports spans of the ORIGINAL text. Each detector finds candidates by
shape with a regex whose every repetition is bounded and which starts with a literal or a character class
(so the engine skips in C over characters that cannot start a match), then validates them in Python:
dates and checksums where they exist (주민/외국인등록번호 date and check digit, 사업자등록번호, 법인등록번호,
EAN-13 for the barcodes that look like 주민번호), octets, AWS id alphabets. Context words only add
confidence (a bank word turns a digit group into an account number) or explain a number away (a price word
before a 10-digit amount); no value is masked or kept on a context word alone where its shape decides.

Profile secrets are generated in every written form (see `SecretSet`) and found with one Aho-Corasick
automaton over a whitespace-free, lower-cased copy, so `한빛정보통신  주식회사`, `ACME\\nCORP` and `㈜한빛` all
match; a secret never matches inside a longer number or word (`2024` is not found in `20241101948`).

Boundary decisions (they decide what counts as a leak vs a false positive):
- A value with a strong shape (dashed phone, 주민번호, IPv4, AWS key) is found even when glued to letters,
  `_` or a trailing `-1`/`.5`; a bare digit run glued to letters (`R26BK01706792`) is a code.
- A dotted quad whose four numbers are all 1-20 is an outline number (`3.2.1.4`) unless an address word
  (ip, host, server, 서버, 주소, ssh, http ...) is near; any other valid dotted quad is an IPv4 address.
- A bare 10-digit number is a 사업자등록번호 when its checksum holds, unless a price or product-code word
  is just before it; with separators (`220-81-62517`, `220 81 62517`, `220.81.62517`) the checksum or a
  사업자 word decides.
- 13 digits (6+7, any separator) with a real birth date and gender digit 1-8 are a 주민/외국인등록번호 (the check
  digit is never required: since October 2020 the tail is random). Bare 13 digits are another number only when
  their context says so (`_other_thirteen_digits`): a barcode word or column with a valid EAN-13 check digit, a
  time, size or amount label, column or unit, a Prometheus sample's timestamp, or a birth date still to come.

Adding a detector (speed: every pass over the whole text costs ~0.1 ms on a 20 KB prompt, so a detector should
not add one where a shared window will do):
- A value made of digits and the separators of `_S` (plus `+ ( )`), 7 or more characters: a function
  `(text, out, runs)` in `DIGIT_DETECTORS`; it runs its pattern only inside the `digit_runs` windows
  (`_in_runs(pattern, text, runs, shortest)`).
- A base64 or URL-safe base64 word of 16 or more characters: a function `(text, out, words=None)` in
  `OTHER_DETECTORS`, its name in `WORD_DETECTORS` (it gets the `word_runs` windows) and in `_FAMILY_PATTERNS`.
- Anything else: a function `(text, out)` in `OTHER_DETECTORS`, with a looser pattern of its candidates in
  `_FAMILY_PATTERNS` (the one candidate pass, `catalogue.candidates`, decides whether it runs at all) or none (it
  always runs). One that needs the candidate pass itself (its catalogue rules) is named in `CANDIDATE_DETECTORS`.
  Start its pattern with a literal or a class and check the left boundary with a lookbehind after it (see "the
  detectors" below).
Detectors append `Detection`s with spans of the text they are given (the normalised view); the order of the tables
decides which type wins when two detections cover exactly the same span.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import ipaddress
import re
import string
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

import ahocorasick
import numpy as np
import re2

from bidradar.masking import catalogue
from bidradar.masking.normalize import (
    _SPACE_LUT,
    View,
    column_header,
    kept_positions,
    metric_sample_timestamp,
    normalise,
    sino_korean_number,
)

# Entity types. They become part of the token (`MASK_<TYPE>_<HEX>`), so only uppercase ASCII letters.
AWS_ID = "AWSID"
AWS_ARN = "ARN"
AWS_ACCOUNT = "AWSACCOUNT"
AWS_ACCESS_KEY = "AWSKEY"
AWS_SECRET_KEY = "AWSSECRET"
AWS_SESSION_TOKEN = "AWSTOKEN"
AWS_HOST = "AWSHOST"
S3_BUCKET = "S3BUCKET"
IPV4 = "IP"
RRN = "RRN"  # 주민등록번호
FRN = "FRN"  # 외국인등록번호
BRN = "BRN"  # 사업자등록번호
CRN = "CRN"  # 법인등록번호
PHONE = "PHONE"
EMAIL = "EMAIL"
BANK_ACCOUNT = "BANKACCT"
SECRET = "SECRET"  # a value the caller marked secret
CREDENTIAL = catalogue.CREDENTIAL  # a password, API key or token (the secrets catalogue)
PRIVATE_KEY = catalogue.PRIVATE_KEY  # a private key block
NUMBER = "NUMBER"  # a long number only the leak check caught (masked rather than refused)
CARD = "CARD"  # a payment card number (Luhn)
PASSPORT = "PASSPORT"  # 여권번호
DRIVER_LICENSE = "DRIVERLIC"  # 운전면허번호
HEALTH_INSURANCE = "HEALTHINS"  # 건강보험증번호
IBAN = "IBAN"  # an international bank account number (mod 97)
ENCODED = "ENCODED"  # a base64 payload that holds a value of another type
VEHICLE = "VEHICLE"  # 차량번호
CLOUD_ID = "CLOUDID"  # a cloud account's numeric id (a GCP service account's 21-digit client_id)

ENTITY_TYPES: tuple[str, ...] = (
    AWS_ID,
    AWS_ARN,
    AWS_ACCOUNT,
    AWS_ACCESS_KEY,
    AWS_SECRET_KEY,
    AWS_SESSION_TOKEN,
    AWS_HOST,
    S3_BUCKET,
    IPV4,
    RRN,
    FRN,
    BRN,
    CRN,
    PHONE,
    EMAIL,
    BANK_ACCOUNT,
    SECRET,
    CREDENTIAL,
    PRIVATE_KEY,
    NUMBER,
    CARD,
    PASSPORT,
    DRIVER_LICENSE,
    HEALTH_INSURANCE,
    IBAN,
    ENCODED,
    VEHICLE,
    CLOUD_ID,
)

TOKEN_PREFIX = "MASK"
TOKEN_HEX_LEN = 16  # 64 bits of HMAC: a collision among a call's values is about n^2 / 2^65
_TYPES_ALT = "|".join(sorted(ENTITY_TYPES, key=len, reverse=True))
# The exact form the masker emits; used to protect tokens from being detected again (idempotence).
TOKEN_RE = re.compile(rf"{TOKEN_PREFIX}_(?:{_TYPES_ALT})_[0-9A-F]{{{TOKEN_HEX_LEN}}}")


class Detection(NamedTuple):
    """A detected value: its type and its span in the scanned text (the value itself is never stored)."""

    kind: str
    start: int
    end: int


# --- context ------------------------------------------------------------------------------------------------

_WINDOW = 40


def _before(text: str, start: int, pattern: re.Pattern[str], window: int = _WINDOW) -> bool:
    """Whether a context word of `pattern` is in the `window` characters before `start`. The window is lower-cased
    and the context patterns are written in lower case without re.IGNORECASE: Python's re is 2-3x slower on a
    case-insensitive alternation of many words, and these run for every candidate number."""
    return pattern.search(text[max(0, start - window) : start].lower()) is not None


def _after(text: str, end: int, pattern: re.Pattern[str], window: int = 16) -> bool:
    # A slice: the patterns start with \A, which a search from a position would never match.
    return pattern.search(text[end : end + window]) is not None


_I = re.IGNORECASE
# Context words for `_before`: lower case, no re.IGNORECASE (the window is lower-cased).
_BANK_CTX = re.compile(
    r"은행|뱅크|[카케토]뱅|bank|계좌|account|acct|입금|예금주|송금|이체|농협|수협|신협|새마을금고|우체국|신한|국민은행|"
    r"(?<![0-9] )(?<![0-9])kb(?![a-z])|(?<![a-z])(?:nh|ibk|sc|keb)(?![a-z])|sc제일|씨티|카카오|토스|케이뱅크"
)
_BANK_NAME_JUST_BEFORE = re.compile(
    r"(?:국민|우리|하나|기업|부산|대구|경남|광주|전북|제주|산업|수협|농협|신한|씨티|sc|kb|nh|ibk)[\s:]{0,3}\Z"
)
_BANK_AFTER = re.compile(
    r"\A[\s)(/,:-]{0,3}(?:[가-힣]{0,4}(?:은행|뱅크)|[카케토]뱅|농협|수협|신협|우체국|신한|국민|우리|하나|기업|카카오|토스|"
    r"(?:KB|NH|IBK|SC)(?![A-Za-z]))",
    _I,
)
_AWS_ACCOUNT_CTX = re.compile(r"aws|account|계정|어카운트|owner|accountid|principal")
_CRN_CTX = re.compile(r"법인\s*(?:등록)?\s*번호|corporate\s+reg|corp[_.\s-]?reg")
_RRN_CTX = re.compile(r"주민|등록\s*번호|생년|resident|rrn|외국인")
# Any word that names a number as someone's (a bare 13 digits after it stays a 주민번호 reading).
_NUMBER_CTX = re.compile(r"주민|번호|생년|resident|rrn|외국인|(?<![a-z])(?:no|id|number)(?![a-z])")
# Words that name a 사업자등록번호 (also G2B's field names: bizno, bizrno, bidwinnrBizno; lower case).
_BRN_CTX = re.compile(
    r"사업자|business\s*(?:reg|no|number)|brn|등록\s*번호|biz_?r?_?no|biz_?reg|tax\s*(?:id|no|reg)|vat\s*(?:no|reg|id)"
    r"|(?<![a-z0-9])b_no(?![a-z])"  # the tax service's own key (국세청 사업자 상태조회 API: {"b_no": [...]})
)
# Where a bare 10 digits name a company without a 사업자 word (s37 red team): a vendor's URL path (/api/vendors/<no>)
# and a company's name with its legal form just before ((주)누리 <no>, 누리(주) <no>). With the checksum.
_BRN_PLACE_BEFORE_RE = re.compile(
    r"(?:(?<![A-Za-z])(?:vendors?|suppliers?|partners?|compan(?:y|ies)|corps?|biz|business(?:es)?|merchants?|sellers?)/"
    r"|(?:\((?:주|유|합|사|재)\)|주식회사|유한회사)[ \t]?[^\s\d()]{1,20}[ \t]{1,2}|[^\s\d()]{1,20}[ \t]?\((?:주|유)\)[ \t]{1,2})\Z",
    _I,
)
_PRICE_CTX = re.compile(r"금액|가격|예가|원가|price|prce|amount|amt|budget|vat|₩|krw|won")
# The price words as whole words (`private` holds `vat`, `known` no `won`): for the 13-digit rule.
_PRICE_WORD_CTX = re.compile(
    r"금액|가격|예가|원가|₩|(?<![a-z])(?:price|prce|amount|amt|budget|vat|krw|won)|(?:price|prce|amount|amt|budget)(?![a-z])"
)
# Names that label a bare number as a technical or procurement identifier (not a 사업자번호 by checksum alone).
_TECH_LABEL_CTX = re.compile(
    r"(?:(?<![a-z])(?:uid|pid|port|seq|build|job|ts|count|total)|resource_?version|generation|revision|offset|"
    r"request[_ ]?id|trace[_ ]?id|timestamp|epoch|_ms|millis|_at|(?-i:(?<=[a-z])At)|(?<![a-z])(?:date|time)|(?-i:(?<=[a-z])(?:Date|Time))|[_-](?:date|time)|"
    r"created|updated|expires?|"
    r"bytes?|size|length|계약\s*번호|조달\s*요청\s*번호|요청\s*번호|공고\s*번호|주문\s*번호|접수\s*번호|문서\s*번호)"
    r"[\"']?[\s:=\"'#,]{0,4}\Z",
    _I,
)
_SIZE_AFTER = re.compile(r"\A\s{0,2}(?:bytes?|B\b|[KMGTP]i?B\b|바이트)", _I)
_PRICE_AFTER = re.compile(r"\A\s{0,2}(?:원|won|KRW)", _I)
# Only these say "barcode": a 13-digit number with a real birth date and gender digit is a 주민번호 otherwise.
_BARCODE_CTX = re.compile(
    r"바코드|상품\s*코드|barcode|(?<![a-z])(?:ean|gtin|jan|upc|isbn)(?:[_-]?(?:8|1[234]))?(?![a-z])"
)
_NOTICE_CTX = re.compile(r"공고|입찰\s*번호|notice|bid\s*(?:no|number)")
_IP_CTX = re.compile(r"\bip\b|ipv4|host|server|서버|주소|address|addr|ssh|bastion|http|://|@|gateway|게이트웨이|dns")
_PORT_AFTER = re.compile(r"\A[:/][0-9]")
# G2B notice numbers: yyyymm + 5 digits. The old system's (20243170669) have no month in them, and bank
# account numbers come in the same shape: those are accounts when a bank word is near and no notice word is.
_NOTICE_NO = re.compile(r"\A20[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{5}\Z")
_OLD_NOTICE_NO = re.compile(r"\A20[0-9]{9}\Z")
_ACCOUNT_JUST_BEFORE = re.compile(r"(?:계좌|account|acct)\s*(?:번호|no\.?|number)?\s*[:：]?\s{0,2}\Z", _I)


# --- validators (pure) ---------------------------------------------------------------------------------

_CENTURY_BY_GENDER_DIGIT = {"1": 1900, "2": 1900, "3": 2000, "4": 2000, "5": 1900, "6": 1900, "7": 2000, "8": 2000}
_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def resident_number_kind(digits: str) -> str | None:
    """RRN/FRN for 13 digits whose first 7 are a real birth date and a gender digit 1-8, else None.

    The check digit is not required: since October 2020 the last 6 digits are random (see `rrn_check_ok`).
    """
    if len(digits) != 13 or not digits.isdigit():
        return None
    century = _CENTURY_BY_GENDER_DIGIT.get(digits[6])
    if century is None:
        return None
    try:
        dt.date(century + int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return None
    return FRN if digits[6] in "5678" else RRN


def _issued_with_check_digit(digits: str) -> bool:
    """Whether a 주민/외국인등록번호 of this birth date was issued before October 2020, when the check digit was
    still computed: 13 bare digits born earlier that fail it are another number (a sample, an amount, an id).
    A birth date still to come is no 주민번호 at all."""
    century = _CENTURY_BY_GENDER_DIGIT[digits[6]]
    born = dt.date(century + int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))
    return born < _CHECK_DIGIT_DROPPED or born > dt.date.today()


_CHECK_DIGIT_DROPPED = dt.date(2020, 10, 1)


def rrn_check_ok(digits: str) -> bool:
    """The pre-October-2020 주민등록번호 check digit (weights 2..9,2..5, mod 11)."""
    total = sum(int(d) * w for d, w in zip(digits[:12], _RRN_WEIGHTS, strict=True))
    return (11 - total % 11) % 10 == int(digits[12])


def ean13_ok(digits: str) -> bool:
    """The EAN-13 (GS1) check digit: weights 1,3,1,3,... over the first 12 digits."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


def business_number_ok(digits: str) -> bool:
    """사업자등록번호 checksum: weights 1,3,7,1,3,7,1,3,5 plus the carry of the 9th digit times 5."""
    if len(digits) != 10 or not digits.isdigit() or digits[0] == "0":
        return False
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=False))
    total += int(digits[8]) * 5 // 10
    return (10 - total % 10) % 10 == int(digits[9])


def corporate_number_ok(digits: str) -> bool:
    """법인등록번호 checksum: weights 1,2,1,2,... on the first 12 digits."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


def _is_date_digits(digits: str) -> bool:
    """yyyymmdd, optionally followed by hh, hhmm or hhmmss: a timestamp, not an identifier."""
    if len(digits) not in (8, 10, 12, 14) or digits[:2] not in ("19", "20"):
        return False
    try:
        dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    rest = digits[8:]
    return all(int(rest[i : i + 2]) < (24 if i == 0 else 60) for i in range(0, len(rest), 2))


# --- the detectors -----------------------------------------------------------------------------------------
#
# Every pattern starts with a literal or a class and then checks its left boundary with a lookbehind one
# character wider (`[0-9](?<![0-9].)` is `(?<![0-9])[0-9]`): Python's re only skips quickly over characters
# that cannot start a match when the pattern starts that way. All repetitions are bounded, so the work at
# each start position is bounded and a scan is linear in the text. re.ASCII: Hangul is a boundary.

_A = re.ASCII
# A separator inside a number: a dash, dot or tilde (900101~1234567) with optional spaces, spaces, or a line break.
# A value wrapped at its separator ("900101-" at a line end, "1234567" on the next) keeps it.
_S = r"(?:[ \t]{0,2}[.\-~][ \t]{0,2}(?:\r?\n[ \t]{0,2})?|[ \t]{1,3}|[ \t]{0,2}\r?\n[ \t]{0,2})"
# The Korean numbering plan, one home (the detectors' patterns here and the leak check read it). A person's number:
# a mobile (010, 011, 016-019), an area code's landline (02, 031-033, 041-044, 051-055, 061-064), 070 (an internet
# phone, a person's as often as a desk's) and 050x (안심번호, a stand-in for a personal number). An organisation's
# number is no personal data and goes out (s37 ordinary37): a nationwide 대표번호 (15xx, 16xx, 18xx and four digits:
# 조달청 고객지원센터 1588-0800 is in every notice) and a free call number (080 and seven or eight digits).
_AREA = r"(?:1[016789]|2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|50[2-8])"
_SERVICE_NUMBER_RE = re.compile(r"1[568][0-9]{6}|080[0-9]{7,8}", _A)


def service_number(digits: str) -> bool:
    """Whether `digits` (a number's digits, without separators) are an organisation's nationwide number: a 대표번호
    (15880800) or a free call number (0800235000). No subscriber number starts with 1, so none is a person's."""
    return _SERVICE_NUMBER_RE.fullmatch(digits) is not None


_PHONE_RE = re.compile(
    rf"""
    [0-9+(](?<![0-9].)(?<![0-9][./:-].)
    (?:
        (?:(?<=\+)82|(?<=8)2|(?<=\()(?:\+?82))     # +82, 82, (+82)
            \)?{_S}?(?:\(0\){_S}?|0{_S}?|\(0?)?{_AREA}\)?
      | (?<=\()0?{_AREA}\)                           # (02) (010)
      | (?<=0){_AREA}\)?                             # 02 02) 010
    )
    {_S}?[0-9]{{3,4}}{_S}?[0-9]{{4}}(?![0-9])
    """,
    _A | re.VERBOSE,
)
# 13 digits as 6 + 7 with any separator: 주민/외국인/법인등록번호 (classified below).
_RESIDENT_RE = re.compile(rf"[0-9](?<![0-9].)(?<![0-9][.].)[0-9]{{5}}{_S}?[0-9]{{7}}(?![0-9])", _A)
# 10 digits as 3 + 2 + 5 (사업자등록번호) or bare.
_BUSINESS_RE = re.compile(rf"[0-9](?<![0-9].)(?<![0-9][.].)[0-9]{{2}}{_S}?[0-9]{{2}}{_S}?[0-9]{{5}}(?![0-9])", _A)
# Groups of digits (bank accounts, AWS accounts): 2-6 groups, 10-16 digits in all (checked below).
_GROUPS_RE = re.compile(
    r"[0-9](?<![0-9].)(?<![0-9][.].)[0-9]{0,15}(?:(?:[ \t]?[.\-][ \t]?(?:\r?\n)?|[ \t])[0-9]{1,14}){0,5}(?![0-9])", _A
)
# Not after a digit, a version's v or "1." (a longer dotted number); after an ellipsis ("...10.0.0.1") it is one.
_IP_RE = re.compile(
    r"[0-9](?<![0-9].)(?<![0-9]\..)(?<![vV].)[0-9]{0,2}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9])", _A
)
_DASHED_IP_RE = re.compile(r"ip-[0-9]{1,3}-[0-9]{1,3}-[0-9]{1,3}-[0-9]{1,3}(?![0-9])", _A | re.IGNORECASE)
# AWS resource ids, anchored on their dash; the prefix before it is read backwards (see _aws_ids).
_AWS_ID_TAIL_RE = re.compile(r"-(?:[0-9a-f]{17}|[0-9a-f]{8})(?![A-Za-z0-9_])", _A)
_REV_PREFIX_RE = re.compile(r"[a-z]{1,24}(?:-[a-z]{1,24}){0,3}", _A)
AWS_ID_PREFIXES = frozenset(
    [
        "i",
        "r",
        "ami",
        "aki",
        "ari",
        "vol",
        "snap",
        "sg",
        "subnet",
        "vpc",
        "igw",
        "eigw",
        "nat",
        "eni",
        "eni-attach",
        "eipalloc",
        "eipassoc",
        "rtb",
        "rtbassoc",
        "acl",
        "aclassoc",
        "tgw",
        "tgw-attach",
        "tgw-rtb",
        "vpce",
        "vpce-svc",
        "pcx",
        "lt",
        "fs",
        "fsap",
        "fsmt",
        "dopt",
        "cgw",
        "vgw",
        "vpn",
        "pl",
        "sir",
        "sfr",
        "elb",
        "ipam",
        "ipam-pool",
        "cvpn-endpoint",
        "host",
        "dedicated-host",
        "export",
        "import-ami",
        "import-snap",
    ]
)
# E-mail addresses, anchored on "@"; the local part is read backwards.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL_DOMAIN_RE = re.compile(rf"@{_LABEL}(?:\.{_LABEL}){{0,8}}\.[A-Za-z]{{2,24}}(?![A-Za-z0-9-])", _A)
_REV_LOCAL_RE = re.compile(r"[A-Za-z0-9._%+-]{1,64}", _A)
# Host names under AWS suffixes, anchored on the suffix; the labels before it are read backwards.
_AWS_SUFFIX_RE = re.compile(
    r"\.(?:amazonaws\.com(?:\.cn)?|compute\.internal|ec2\.internal|on\.aws|cloudfront\.net|awsapps\.com"
    r"|signin\.aws\.amazon\.com|amazoncognito\.com|awsglobalaccelerator\.com)(?![A-Za-z0-9-])",
    _A | re.IGNORECASE,
)
_REV_HOST_RE = re.compile(r"[A-Za-z0-9.-]{1,253}", _A)
_REGION_RE = re.compile(r"(?:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]|cn-[a-z]+-[0-9])\Z", _A)
_SERVICE_LABELS = frozenset(
    [
        "s3",
        "rds",
        "eks",
        "execute-api",
        "elb",
        "compute",
        "ec2",
        "dkr",
        "ecr",
        "sqs",
        "sns",
        "lambda",
        "lambda-url",
        "dynamodb",
        "sts",
        "iam",
        "signin",
        "cloudfront",
        "es",
        "aoss",
        "kafka",
        "cache",
        "redshift",
        "apigateway",
        "vpce",
        "elasticloadbalancing",
        "logs",
        "monitoring",
        "secretsmanager",
        "ssm",
        "kms",
        "athena",
        "glue",
        "kinesis",
        "firehose",
        "states",
        "events",
        "cognito-idp",
        "awsapprunner",
        "dualstack",
        "s3-website",
        "s3-control",
        "s3-accesspoint",
        "s3-object-lambda",
    ]
)
_PATH_ACCOUNT_RE = re.compile(r"/([0-9]{12})(?![0-9])", _A)
_PATH_BUCKET_RE = re.compile(r"/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?![A-Za-z0-9_-])", _A)
_S3_URI_RE = re.compile(
    r"://(?:(?<=[sS]3://)|(?<=[sS]3[aAnN]://))([a-z0-9][a-z0-9._-]{1,61}[a-z0-9])(?![A-Za-z0-9_-])", _A
)
_ARN_RE = re.compile(
    r"arn(?<![A-Za-z0-9]arn):aws[a-z-]{0,12}:[a-z0-9-]{1,40}:[a-z0-9-]{0,30}:(?:[0-9]{12}|aws)?:"
    r"[A-Za-z0-9_/.:+=@*$-]{0,1023}[A-Za-z0-9_/+=@*$-]",
    _A,
)
_ACCOUNT_IN_TEXT_RE = re.compile(r"[0-9](?<![0-9].)[0-9]{3}-?[0-9]{4}-?[0-9]{4}(?![0-9])", _A)
# Access key ids: every documented prefix, and any 20-character id of the same alphabet with a digit.
# 20 characters (access key ids) or 21 (unique ids of users, roles, groups, policies: AIDA…, AROA…, AGPA…).
_ACCESS_KEY_RE = re.compile(r"A(?<![A-Z0-9]A)[A-Z0-9]{3}[A-Z0-9]{16,17}(?![A-Z0-9])", _A)
UNIQUE_ID_PREFIXES = ("AIDA", "AROA", "AGPA", "AIPA", "ANPA", "ANVA", "APKA", "ASCA", "ACCA")
ACCESS_KEY_PREFIXES = ("AKIA", "ASIA", "AROA", "AIDA", "AGPA", "AIPA", "ANPA", "ANVA", "APKA", "ABIA", "ACCA", "A3T")
# Secret access keys: a 40-character base64 word with upper, lower and digits. Session tokens: long base64
# with an STS prefix or after a session/token word.
_B64_RE = re.compile(r"[A-Za-z0-9/+](?<![A-Za-z0-9/+].)[A-Za-z0-9/+]{39,4095}={0,2}(?![A-Za-z0-9/+=])", _A)
_SESSION_PREFIXES = ("FwoGZXIvYXdz", "FQoGZXIvYXdz", "IQoJb3JpZ2lu", "IQoJ", "FwoG", "FQoG", "AgoJb3JpZ2lu")
_SESSION_CTX = re.compile(r"session|token|security|aws|sts|credential|자격")


# --- the candidate scan of the digit-led detectors ------------------------------------------------------------
#
# Phones, 주민/법인/사업자번호, bank and AWS accounts and IPv4 addresses consist of digits and the separators
# of _S (spaces, tabs, dots, dashes, line breaks) plus `+ ( )`, and the shortest is 7 characters (1.1.1.1).
# One pass finds the maximal runs of those characters that start with a digit, `+` or `(` and are 7 or more
# long; each of these detectors then runs only inside them (`finditer(text, start, end)`: lookbehinds still see
# the text before, and the character after a run is outside the class, so `(?![0-9])` at its end is true in
# the text too). Typical prose has a few such runs per kilobyte, so six full passes become one.
_DIGIT_RUN_RE = re.compile(r"[0-9+(][0-9 \t.\-~\r\n()+]{6,}", _A)


def digit_runs(text: str) -> list[tuple[int, int]]:
    """The candidate windows of the digit-led detectors in `text` (see above)."""
    return [m.span() for m in _DIGIT_RUN_RE.finditer(text)]


# The same for the detectors of base64 words (secret keys, session tokens, encoded payloads): maximal runs of
# base64 and URL-safe base64 characters and `=`, 16 or more long. The character after a run is outside every
# class those patterns use, so their end checks hold in the text as in the window. (RE2 on a one-byte-per-character
# copy finds them in half the time on a 20 KB prompt, but its Python wrapper costs ~4 us per match: 0.6 s more on
# 1 MB of short words.)
_WORD_RUN_RE = re.compile(r"[A-Za-z0-9+/_=-](?<![A-Za-z0-9+/_=-].)[A-Za-z0-9+/_=-]{15,}", _A)


def word_runs(text: str) -> list[tuple[int, int]]:
    """The candidate windows of the base64-word detectors in `text` (see above)."""
    return [m.span() for m in _WORD_RUN_RE.finditer(text)]


def _in_runs(
    pattern: re.Pattern[str], text: str, runs: list[tuple[int, int]], shortest: int, density: int = 32
) -> Iterable[re.Match[str]]:
    """The matches of `pattern` inside the runs at least `shortest` characters long (its shortest match). Where the
    runs are denser than one per `density` characters (adversarial input), one pass over the whole text finds the
    same matches for less than a call per run."""
    if len(runs) * density > len(text):
        yield from pattern.finditer(text)
        return
    for start, end in runs:
        if end - start >= shortest:
            yield from pattern.finditer(text, start, end)


def _phones(text: str, out: list[Detection], runs: list[tuple[int, int]]) -> None:
    for m in _in_runs(_PHONE_RE, text, runs, 9):
        end = m.end()
        if m.group().isdigit() and end + 1 < len(text) and text[end] in ".-" and text[end + 1].isdigit():
            continue  # bare digits followed by -03: one longer number (a dashed phone may end in -1)
        if "\t" in m.group() and m.group()[0] == "8":
            continue  # a bare 82 country code read across a tab: two cells of numbers (82070781<TAB>2025-08-13)
        last_line = m.group().rsplit("\n", 1)[1] if "\n" in m.group() else ""
        if last_line.lstrip(" \t").startswith("0") and len(_digits(last_line)) >= 7:
            continue  # no subscriber number starts with 0: `010-` at a line end, then a dump's offset 00000020
        if m.group().startswith("82") and m.group().isdigit() and not _bare_korean_e164(text, m.start(), m.group()):
            continue  # a counter or an id that starts with 82 (조달요청번호 8223390517), not +82 without its plus
        if _inside_hash(text, m.start(), end):
            continue  # digits inside a commit id or a digest (…a0190720074a6e…, …baa9c02422 2025-02-06)
        if _in_a_code(text, m.start(), end):
            continue  # PRD-010-2345-6789, REQ-0102345678, 010-1234-5678A: a product or request code
        out.append(Detection(PHONE, m.start(), end))


# A phone's shape inside a code (s36 fixpii): glued to an upper-case prefix of two or more letters (by nothing or `-`:
# `PRD-010-2345-6789`, `REQ-0102345678`) or, starting a word, to a capital or a digit right after it
# (`010-1234-5678A`). A phone's own label glued there (`TEL-010-…`, `HP-010…`) still says phone, as does a phone word
# just before a value with a capital after it; a single letter is a label (`T-02-…`, `M-010-…`), a lower-case word a
# file's or a person's name (`resume-010…pdf`, `kim-010-…`), Hangul a name (`홍길동-010-…`), an underscore a file
# name's joint (`연락처_01023456789.xlsx`), letters on both sides a value glued into a word (`x010-…y`, the issue's
# corpus), and a space keeps a word apart (`담당자 010-…`, `PRD팀 010-…`): those are masked.
_CODE_HEAD_RE = re.compile(r"(?<![A-Za-z0-9_])[A-Z][A-Z0-9]{1,15}-?\Z", _A)
_PHONE_LABEL_HEAD_RE = re.compile(r"(?:TEL|HP|PHONE|MOBILE|MOB|CELL|CP|FAX|PH|MP|SMS|CALL|MSISDN|NO|NUM)-?\Z", _A)


def _in_a_code(text: str, start: int, end: int) -> bool:
    head = _CODE_HEAD_RE.search(text, max(0, start - 17), start) if start and text[start - 1] not in " \t" else None
    if head is not None:
        return _PHONE_LABEL_HEAD_RE.search(head.group()) is None
    glued_before = start and text[start - 1].isascii() and text[start - 1].isalpha()
    code_after = end < len(text) and text[end].isascii() and (text[end].isupper() or text[end].isdigit())
    return not glued_before and code_after and not _before(text, start, _PHONE_CTX, 16)


_PHONE_CTX = re.compile(r"전화|연락|휴대|핸드폰|폰|팩스|문자|수신|발신|tel|phone|mobile|cell|fax|msisdn|sms|whatsapp")


# A mobile number kept as a number loses its leading 0 (a spreadsheet cell, a JSON integer: {"phone": 1023456789}):
# 10, 11 or 16-19 and 7-8 digits, a phone only where a phone word or its column names it (ids of that shape abound).
_ZERO_LOST_MOBILE_RE = re.compile(r"1(?<![0-9].)(?<![0-9][.].)[016-9][0-9]{7,8}(?![0-9])", _A)


def _mobiles_without_zero(text: str, out: list[Detection], runs: list[tuple[int, int]]) -> None:
    for m in _in_runs(_ZERO_LOST_MOBILE_RE, text, runs, 9):
        if _before(text, m.start(), _PHONE_CTX) or _column_named(text, m.start(), _PHONE_CTX):
            out.append(Detection(PHONE, m.start(), m.end()))


def _bare_korean_e164(text: str, start: int, digits: str) -> bool:
    """Whether bare digits that start with 82 are a Korean number in E.164 without its plus: a mobile number
    (821012345678, 82 then 10/11/16-19 and 7-8 digits), or any number a phone word names. Counters and ids of 10-11
    digits that happen to start with 82 read as Seoul numbers (82 2 …) otherwise."""
    national = digits[2:].removeprefix("0")
    mobile = len(national) in (9, 10) and national[:2] in ("10", "11", "16", "17", "18", "19")
    return mobile or _before(text, start, _PHONE_CTX) or _column_named(text, start, _PHONE_CTX)


_HEX_WORD_AROUND = re.compile(r"[0-9A-Fa-f]{0,64}\Z", _A)


def _inside_hash(text: str, start: int, end: int) -> bool:
    """Whether `start` is inside a word of 16 or more hex digits with a letter (a commit id, a digest, a UUID's part):
    its digits are no value of their own."""
    glued_before = start and text[start - 1].isascii() and text[start - 1].isalnum()
    if not glued_before and not (end < len(text) and text[end].isascii() and text[end].isalpha()):
        return False
    head = _HEX_WORD_AROUND.search(text, max(0, start - 64), start)
    word_start = head.start() if head is not None else start
    if word_start and text[word_start - 1].isascii() and text[word_start - 1].isalnum():
        return False  # a longer word that is not hex (phone010…)
    word_end = start
    while word_end < len(text) and word_end - start < 128 and text[word_end] in string.hexdigits:
        word_end += 1
    if word_end < len(text) and text[word_end].isascii() and text[word_end].isalnum():
        return False
    word = text[word_start:word_end]
    return len(word) >= 16 and not word.isdigit()


# International numbers (E.164 as people write it): `+` and a country code, or a dialling prefix `00`/`001`/`002`
# and a country code, then the national number in groups (spaces, dashes, dots, an area code in brackets, a
# `(0)` trunk digit): +86 138 0013 8000, +1 (415) 555-0100, +81 90-1234-5678, +44 (0)20 7946 0958, 0082-10-1234-5678,
# +14155550100. 10 to 15 digits with the country code. Not an amount (`+12345678원`) nor a diff's count.
_INTL_PHONE_RE = re.compile(
    r"(?:\+(?<![A-Za-z0-9_+]\+)|(?<![0-9A-Za-z_.:+-])00(?=[1-9]))"
    r"[1-9][0-9]{0,3}(?:(?:[ \t]?[.\-][ \t]?|[ \t]{1,2})?(?:\(0?[0-9]{1,4}\)|[0-9]{1,12})){1,6}(?![0-9])",
    _A,
)
_INTL_NOT_AFTER = re.compile(r"\A\s{0,2}(?:원|won|krw|usd|%|bytes?|건|개|명|점|lines?|insertions?|deletions?)", _I)


def _international_phones(text: str, out: list[Detection], runs: list[tuple[int, int]]) -> None:
    for m in _in_runs(_INTL_PHONE_RE, text, runs, 9):
        value = m.group()
        digits = _digits(value)
        if value.startswith("00"):
            digits = digits[2:]
            if not ("-" in value or " " in value):
                continue  # 00 and bare digits: a zero-padded number
        if not 10 <= len(digits) <= 15 or _after(text, m.end(), _INTL_NOT_AFTER, 10):
            continue
        national = digits[2:] if digits.startswith("82") else ""
        if national and (service_number(national) or service_number("0" + national.removeprefix("0"))):
            continue  # +82 80-023-5000, +82-1588-0800: an organisation's number dialled from abroad
        out.append(Detection(PHONE, *m.span()))


# A phone read aloud group by group with 에 between (공일공에 일이삼사에 오육칠팔: the view reads its numerals as
# digits, 010에 1234에 5678), as Koreans say a number. At least one 에; the area code and group lengths of a phone.
_PHONE_PARTICLE_RE = re.compile(
    rf"0(?<![0-9]0){_AREA}(?:에[ \t]?|[ \t.-])[0-9]{{3,4}}(?:에[ \t]?|[ \t.-])[0-9]{{4}}(?![0-9])"
)


def _phones_with_particles(text: str, out: list[Detection]) -> None:
    out.extend(Detection(PHONE, *m.span()) for m in _PHONE_PARTICLE_RE.finditer(text) if "에" in m.group())


# A line break right after a digit ends a table row or a log line: digits across it are read as one value only
# with a word that names that value before them (a CSV row's trailing 240105 and the next row's leading 1234567
# are two cells, not a 주민번호).
_BARE_BREAK_RE = re.compile(r"[0-9][ \t]{0,2}\r?\n", _A)


def _residents(text: str, out: list[Detection], runs: list[tuple[int, int]]) -> None:
    for m in _in_runs(_RESIDENT_RE, text, runs, 13):
        if _BARE_BREAK_RE.search(m.group()) and not _before(text, m.start(), _RRN_CTX):
            continue
        if _inside_hash(text, m.start(), m.end()):
            continue  # 13 digits inside a commit id or a digest
        digits = _digits(m.group())
        kind = _resident_or_corporate(text, m.start(), m.end(), digits, bare=len(m.group()) == 13)
        if kind is not None:
            out.append(Detection(kind, m.start(), m.end()))


# A 주민/외국인등록번호 written in two halves with words between (앞자리 900101 뒷자리 1234567), after a 주민 word.
_SPLIT_RESIDENT_RE = re.compile(
    r"[0-9](?<![0-9].)[0-9]{5}(?![0-9])[^0-9\n]{1,16}?[1-8](?<![0-9][1-8])[0-9]{6}(?![0-9])", _A
)


def _split_residents(text: str, out: list[Detection]) -> None:
    for m in _SPLIT_RESIDENT_RE.finditer(text):
        if not m.group()[6:-7].strip(" \t-.,:/"):
            continue  # only separators between the halves: the resident detector's case (900101-1234567)
        kind = resident_number_kind(_digits(m.group()))
        if kind is not None and _before(text, m.start(), _RRN_CTX):
            out.append(Detection(kind, *m.span()))


# A 주민번호 whose halves are labelled apart, on one line or across chat messages and lines: the front (6 digits) after
# 앞자리/앞번호/생년월일 or a 주민 word, the back (7 digits, a gender digit first) after 뒷자리/뒤는/나머지 within a few
# lines after it (`[김] [오후 3:12] 주민번호 앞자리 930303` … `[김] [오후 3:13] 뒤는 1835516`). The two labels and the
# date and gender digit of the two halves together make it a 주민번호 without the word 주민; both halves are masked.
_FRONT_HALF_RE = re.compile(
    r"(?:앞\s*(?:자리|번호|6\s*자리)|주민\s*(?:등록)?\s*번호|생년\s*월일)[^0-9\n]{0,8}?"
    r"([0-9](?<![0-9].)[0-9]{5})(?![0-9])"
)
_HALVES_APART = 240  # characters from the front half to the back half's label (a few chat messages)
_HALVES_HINT = r"(?:앞|주민|생년)[^\n]{0,20}[0-9]{6}"  # its gate in the candidate pass


# Or the back half alone in a later message or line (`[김민준] [오후 3:13] 1835516`, `… 김민준 : 1835516`), also
# quoted or as a list item (`> 1835516`, `- 1835516`: the back label says `아래 참고`; s37 misc37).
_BACK_LINE_RE = re.compile(r"(?:^(?:[ \t]*[>*•·.-])*|[\]:])[ \t]*([1-8](?<![0-9].)[0-9]{6})[ \t]*$", re.MULTILINE)
# A decoy before the real half (s36 fixpii): `뒷자리는 ******* 아니고 1845612`, `뒤 1234567 아니고 2845613`, `앞자리 (예시
# 000000 말고) 900101`. Every half-shaped number on a label's line within this many characters after the label is
# a candidate, not only the first; a pair is still masked only when its date and gender digit hold.
_FRONT_LABEL_RE = re.compile(r"앞\s*(?:자리|번호|6\s*자리)|주민\s*(?:등록)?\s*번호|생년\s*월일")
_BACK_LABEL_RE = re.compile(r"뒷\s*(?:자리|번호|부분)?|뒤\s*(?:7\s*자리|번호|쪽|는|에는|엔|요)?|나머지")
_SIX_RE = re.compile(r"[0-9](?<![0-9].)[0-9]{5}(?![0-9])")
_SEVEN_RE = re.compile(r"[1-8](?<![0-9].)[0-9]{6}(?![0-9])")
_HALF_REACH = 48


def _halves_after_labels(
    labels: re.Pattern[str], half: re.Pattern[str], text: str, windows: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The spans of the numbers of `half`'s shape on a label's line within _HALF_REACH characters after one of
    `labels` in `windows` (a decoy may stand first), in order."""
    halves: list[tuple[int, int]] = []
    for lo, hi in windows:
        for label in labels.finditer(text, lo, hi):
            line_end = text.find("\n", label.end(), label.end() + _HALF_REACH)
            stop = min(label.end() + _HALF_REACH, len(text)) if line_end < 0 else line_end
            halves.extend(
                m.span() for m in half.finditer(text, label.end(), stop) if not halves or m.start() > halves[-1][0]
            )
    return halves


_HALVES_TRIED = 4  # backs tried on each side of a front, nearest first: a decoy or two, then the real one


def _labelled_halves(text: str, out: list[Detection]) -> None:
    if "성" in text:
        _gender_apart_halves(text, out)
    fronts = _halves_after_labels(_FRONT_LABEL_RE, _SIX_RE, text, ((0, len(text)),))
    if not fronts:
        return
    windows: list[tuple[int, int]] = []  # around the fronts only (merged): back labels are common words (뒤)
    for start, end in fronts:
        lo, hi = max(0, start - _HALVES_APART - _HALF_REACH), min(len(text), end + _HALVES_APART)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    labelled = set(_halves_after_labels(_BACK_LABEL_RE, _SEVEN_RE, text, windows))
    lines = (m.span(1) for lo, hi in windows for m in _BACK_LINE_RE.finditer(text, lo, hi))
    backs = sorted({*labelled, *lines})
    if not backs:
        return
    starts = [start for start, _ in backs]
    kinds: dict[str, str | None] = {}  # the kind depends on the front and the back's gender digit only
    found: set[tuple[str, int, int]] = set()
    for front in fronts:
        after = bisect.bisect_left(starts, front[1])
        # The back told first (`뒷자리 1845612, 앞자리 920707`) is a back label's, not a line's alone.
        before = [b for b in backs[max(0, after - _HALVES_TRIED) : after] if b[1] <= front[0] and b in labelled]
        for back in (*backs[after : after + _HALVES_TRIED], *reversed(before)):
            if abs(back[0] - front[0]) > _HALVES_APART:
                continue
            key = text[front[0] : front[1]] + text[back[0]]
            if key not in kinds:
                kinds[key] = resident_number_kind(key + "000000")
            kind = kinds[key]
            lo, hi = (front[1], back[0]) if back[0] > front[0] else (back[1], front[0])
            if kind is None or text.count("\n", lo, hi) > 6:
                continue  # no date and gender digit, or more than a few messages apart
            found.update(((kind, *front), (kind, *back)))
    out.extend(Detection(kind, start, end) for kind, start, end in found)


# The gender digit in a field of its own (생년월일 910908 / 성별 1 / 뒷자리 050115, a form's three fields): the front,
# the gender digit and the six digits after the back label make the 주민번호, and all three are masked.
_GENDER_FIELD_RE = re.compile(r"성\s*별[^0-9\n]{0,6}?([1-8])(?![0-9])")
_BACK_SIX_RE = re.compile(
    r"(?:뒷\s*(?:자리|번호|부분)?|뒤\s*(?:6\s*자리|번호|쪽|는|에는|엔|요)?|나머지)[^0-9\n]{0,12}?"
    r"([0-9](?<![0-9].)[0-9]{5})(?![0-9])"
)


def _gender_apart_halves(text: str, out: list[Detection]) -> None:
    for front in _FRONT_HALF_RE.finditer(text):
        window = min(len(text), front.end() + _HALVES_APART)
        gender = _GENDER_FIELD_RE.search(text, front.end(), window)
        back = _BACK_SIX_RE.search(text, gender.end(), window) if gender is not None else None
        if gender is None or back is None or text.count("\n", front.end(), back.start()) > 6:
            continue
        kind = resident_number_kind(front.group(1) + gender.group(1) + back.group(1))
        if kind is not None:
            out.extend(Detection(kind, *m.span(1)) for m in (front, gender, back))


def _resident_or_corporate(text: str, start: int, end: int, digits: str, bare: bool) -> str | None:
    if _before(text, start, _CRN_CTX):
        return CRN  # the 6-7 shape named as a 법인등록번호 (old numbers do not all pass the checksum)
    resident = resident_number_kind(digits)
    if resident is not None:
        if bare and not _before(text, start, _RRN_CTX) and _other_thirteen_digits(text, start, end, digits):
            return None
        return resident
    if corporate_number_ok(digits) and not bare:
        return CRN
    if _before(text, start, _BANK_CTX) or _bank_after(text, end):
        return BANK_ACCOUNT
    return None


def _other_thirteen_digits(text: str, start: int, end: int, digits: str) -> bool:
    """Whether 13 bare digits with a 주민번호's date and gender digit are, by their context, another number.

    The check digit decides nothing (numbers issued since October 2020 have none, and one random number in ten passes
    it), so the date and gender digit make a 주민번호 unless something says otherwise: a birth date still to come (and
    no number word), a barcode word or column (and a valid EAN-13 check digit), a technical or amount label just
    before it or as its column's header (`ts=`, `created_at`, `bytes`, `금액`), a unit after it, or its place as the
    timestamp of a Prometheus sample (`metric{...} value <timestamp>`)."""
    header = column_header(text, start)
    header = header.lower() if header is not None else None
    if ean13_ok(digits) and (
        _before(text, start, _BARCODE_CTX, 24) or (header is not None and _BARCODE_CTX.search(header) is not None)
    ):
        return True  # before the date to come: a table's `No` column is no number word for a barcode under 바코드
    if not _born_by_today(digits):
        return not _before(text, start, _NUMBER_CTX)  # a date to come: a 주민번호 only where a number word names it
    return (
        _TECH_LABEL_CTX.search(text[max(0, start - 32) : start]) is not None
        or _before(text, start, _PRICE_WORD_CTX, 16)
        or (header is not None and (_TECH_LABEL_CTX.search(header + ":") or _PRICE_WORD_CTX.search(header)) is not None)
        or _after(text, end, _SIZE_AFTER)
        or _after(text, end, _PRICE_AFTER)
        or metric_sample_timestamp(text, start, end)
    )


def _born_by_today(digits: str) -> bool:
    century = _CENTURY_BY_GENDER_DIGIT[digits[6]]
    return dt.date(century + int(digits[0:2]), int(digits[2:4]), int(digits[4:6])) <= dt.date.today()


# A mapping's key under a name for businesses (s37 misc37: `{"vendors": {"5718772730": {...}}}`, YAML's
# `suppliers:` then `  5718772730:`): the collection names what its keys are, as a label names a value.
_BUSINESSES_CTX = re.compile(
    r"vendor|supplier|compan(?:y|ies)|bidder|merchant|contractor|업체|거래처|협력사|납품사|공급사|입찰자|계약상대자|가맹점"
)
_KEY_AFTER = re.compile(r"\A[\"']?[ \t]*:(?![0-9])")


def _businesses(text: str, out: list[Detection], runs: list[tuple[int, int]]) -> None:
    for m in _in_runs(_BUSINESS_RE, text, runs, 10):
        value = m.group()
        if _BARE_BREAK_RE.search(value) and not _before(text, m.start(), _BRN_CTX):
            continue  # digits of two table rows
        digits = _digits(value)
        start = m.start()
        if len(value) == 10:  # bare: a 사업자번호 only where a word or its column names one (see _BRN_CTX)
            if not business_number_ok(digits) or not (
                _before(text, start, _BRN_CTX)
                or _column_named(text, start, _BRN_CTX)
                or (_after(text, m.end(), _KEY_AFTER, 4) and _before(text, start, _BUSINESSES_CTX, 160))
                or _BRN_PLACE_BEFORE_RE.search(text, max(0, start - 40), start)
            ):
                continue  # inodes, row counts, samples, 물품분류번호, ids: one in ten passes the checksum
        elif not business_number_ok(digits) and not _before(text, start, _BRN_CTX):
            continue
        out.append(Detection(BRN, start, m.end()))


def _column_named(text: str, start: int, names: re.Pattern[str]) -> bool:
    """Whether the value at `start` is a cell of a delimited table whose header cell matches `names` (lower-cased)."""
    header = column_header(text, start)
    return header is not None and names.search(header.lower()) is not None


_GROUP_RE = re.compile(r"[0-9]+")
_DROP_SEPARATORS = str.maketrans("", "", " \t.-\r\n")
_LONG_GROUPS_RE = re.compile(r"[0-9][0-9 \t.\r\n-]{8,}[0-9]")  # pre-filter: 10+ characters of digits and separators


def _groups(text: str, out: list[Detection], runs: list[tuple[int, int]]) -> None:
    """Bank and AWS account numbers: digit groups with a bank or account word before (or a bank after)."""
    for candidate in _in_runs(_LONG_GROUPS_RE, text, runs, 10):
        for m in _GROUPS_RE.finditer(text, candidate.start(), candidate.end()):
            if m.end() - m.start() >= 10:
                _classify_run(text, m.start(), m.end(), out)


class _Context(NamedTuple):
    bank: bool  # a bank or account word before the run
    aws: bool  # an AWS account word before the run
    price: bool  # a price word just before the run
    notice: bool  # a notice-number word just before the run
    account_just_before: bool  # "계좌번호:" right before the run


def _classify_run(text: str, start: int, finish: int, out: list[Detection]) -> None:
    if len(text[start:finish].translate(_DROP_SEPARATORS)) < 10:
        return  # fewer than 10 digits: no account number (checked before anything else)
    # Only a bank or AWS word makes digit groups an account (see _classify_groups). A bank name after the run can
    # follow only its last group: after any other come separators and a digit.
    if _ACCOUNT_WORDS.search(text[max(0, start - _WINDOW) : start].lower()) is None and not _bank_after(text, finish):
        return
    if _DOCUMENT_LABEL_JUST_BEFORE.search(text, max(0, start - 16), start) is not None:
        return  # a document's number under its own label (`영수증 번호 20250312-0042` after `계좌 이체 완료했어요`)
    spans = [g.span() for g in _GROUP_RE.finditer(text, start, finish)]
    bank = _before(text, start, _BANK_CTX) or _before(text, start, _BANK_NAME_JUST_BEFORE, 8)
    aws = _before(text, start, _AWS_ACCOUNT_CTX)
    context = _Context(
        bank,
        aws,
        _before(text, start, _PRICE_CTX, 16),
        _before(text, start, _NOTICE_CTX, 16),
        _ACCOUNT_JUST_BEFORE.search(text, max(0, start - 16), start) is not None,
    )
    # The run may have swallowed a following number ("... 456789 2024년"): try shorter prefixes too.
    for n in range(len(spans), 0, -1):
        end = spans[n - 1][1]
        kept = [text[a:b] for a, b in spans[:n]]
        digits = "".join(kept)
        if len(digits) < 10:
            break
        kind = _classify_groups(text, context, end, kept, digits)
        if kind == _NOT_AN_ACCOUNT:
            break
        if kind is not None:
            out.append(Detection(kind, start, end))
            break


_NOT_AN_ACCOUNT = ""
# A document's own number label right before the digits: a bank word further back is about something else.
_DOCUMENT_LABEL_JUST_BEFORE = re.compile(
    r"(?:계약|조달\s*요청|요청|공고|주문|접수|문서|영수증|거래|승인|송장|예약)\s*번호[\s:=#]{0,4}\Z"
)
# Any of the three words `_classify_run` looks for before a run, in one search (most runs have none).
_ACCOUNT_WORDS = re.compile(f"{_BANK_CTX.pattern}|{_AWS_ACCOUNT_CTX.pattern}|{_BANK_NAME_JUST_BEFORE.pattern}")


def _classify_groups(text: str, context: _Context, end: int, groups: list[str], digits: str) -> str | None:
    if len(digits) > 16:
        return None
    notice_shaped = len(groups) == 1 or (len(groups) == 2 and len(groups[1]) <= 3)
    if notice_shaped and _NOTICE_NO.match(groups[0]) and not context.account_just_before:
        return _NOT_AN_ACCOUNT  # a G2B notice number and its order: 20241101948-00
    if (
        notice_shaped
        and _OLD_NOTICE_NO.match(groups[0])
        and (context.notice or not (context.bank or _bank_after(text, end)))
    ):
        return _NOT_AN_ACCOUNT  # an old notice number (20243170669-00), unless a bank word names an account
    if len(groups) == 1 and _is_date_digits(digits):
        return None
    if len(digits) == 12 and len(groups) in (1, 3) and context.aws:
        return AWS_ACCOUNT
    if 10 <= len(digits) <= 15 and (context.bank or _bank_after(text, end)):
        if len(groups) == 1 and context.price:
            return None
        return BANK_ACCOUNT
    return None


def _bank_after(text: str, end: int) -> bool:
    return _BANK_AFTER.match(text[end : end + 12]) is not None


_VERSION_WORD = re.compile(r"버전|릴리[스즈]|빌드|펌웨어|(?<![a-z])(?:version|ver|release|build|firmware|fw)\b")


def version_named_before(text: str, start: int) -> bool:
    """A dotted quad right after a version word is a four-part version (`배포 버전 4.2.1.0`, `firmware 10.2.0.1`),
    unless an address word stands near too (`서버 IP 버전 4 주소 10.2.0.1`). Read by the leak check too."""
    return _before(text, start, _VERSION_WORD, 14) and not _before(text, start, _IP_CTX, 24)


def _ips(text: str, out: list[Detection], runs: list[tuple[int, int]]) -> None:
    for m in _in_runs(_IP_RE, text, runs, 7):
        parts = m.group().split(".")
        start, end = m.start(), m.end()
        padded = all(len(p) == 3 for p in parts)  # 010.001.002.003: octets zero-padded to three digits
        if any(int(p) > 255 for p in parts) or (
            not padded and any(len(p) > 1 and p[0] == "0" for p in parts) and not _before(text, start, _IP_CTX, 24)
        ):
            continue
        numbers = [int(p) for p in parts]
        longer = end + 1 < len(text) and text[end] == "." and text[end + 1].isdigit()
        outline = all(1 <= n <= 20 for n in numbers)
        if outline and not (padded or _before(text, start, _IP_CTX, 24) or _after(text, end, _PORT_AFTER, 2)):
            continue  # 3.2.1.4: a section number of a document (an address only with an address word near)
        if longer and outline:
            continue
        if version_named_before(text, start):
            continue
        if _nobodys_address(numbers, text, end):
            continue
        out.append(Detection(IPV4, start, end))
    if "ip-" in text or "IP-" in text:
        out.extend(Detection(AWS_HOST, *m.span()) for m in _DASHED_IP_RE.finditer(text))


# Addresses that are the same on every machine identify nobody (s36 fixpii, as IPv6's loopback and `::`): loopback
# as written (127.0.x.x: 127.0.0.1, 127.0.0.53, Debian's 127.0.1.1; another 127 address in a text is a made-up
# host, masked as any), the unspecified 0.0.0.0, 240.0.0.0 and above (reserved: the broadcast 255.255.255.255 and netmasks,
# 255.255.255.0: no host has one), and the networks of nobody's space (below).
_CIDR_AFTER_RE = re.compile(r"/([0-9]{1,2})(?![0-9.])")


def _nobodys_address(numbers: list[int], text: str, end: int) -> bool:
    prefix = _CIDR_AFTER_RE.match(text, end)
    if prefix is not None:
        return nobodys_network(".".join(map(str, numbers)), int(prefix.group(1)))
    return numbers[:2] == [127, 0] or numbers[0] >= 240 or numbers == [0, 0, 0, 0]


# Networks nobody owns (s36 fixpii the whole blocks, s37 ordinary37 their subnets and IPv6's): a network written with
# its prefix length and no host bits, inside private or special-purpose space: RFC 1918 (`10.0.0.0/8`,
# `10.20.0.0/16`, `192.168.10.0/24`), loopback, link-local and shared (CGNAT) IPv4 space, IPv6's link-local
# `fe80::/10`, unique local `fc00::/7` (`fd00::/8`), documentation `2001:db8::/32`, multicast, and everything
# (`0.0.0.0/0`, `::/0`). Every company reuses them and nobody reaches them from outside; in a question about routing,
# peering or a firewall the plan is the work itself. A host stays masked: a /31 or /32 (/127, /128), or an address
# with host bits (`10.8.0.2/24`, an interface's), as does any public network (`203.0.113.0/24`, `2406:5900::/32`:
# a company's range). The leak check reads the same.
_NOBODYS_SPACE = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10",
        "fe80::/10", "fc00::/7", "2001:db8::/32", "ff00::/8", "::1/128",
    )
)  # fmt: skip


@lru_cache(maxsize=256)
def nobodys_network(address: str, length: int) -> bool:
    """Whether `address/length` is a network of nobody's space (see above)."""
    try:
        network = ipaddress.ip_network(f"{address}/{length}")  # strict: an address with host bits is a host's
    except ValueError:
        return False
    if network.prefixlen == 0:
        return True
    if network.max_prefixlen - network.prefixlen <= 1:
        return False  # one or two hosts
    return any(network.version == space.version and network.subnet_of(space) for space in _NOBODYS_SPACE)


# IPv4 addresses written with spoken or defanged dots (security reports write `203[.]0[.]113[.]77` so that nothing
# links them; people read `203 점 0 점 113 점 77`, `203 dot 0 dot 113 dot 77`, `이백삼 점 영 점 백십삼 점 칠십칠`). Four
# octets, digits or Sino-Korean numerals, with at least one spoken or bracketed dot among the separators; each
# octet is 0-255. A list of scores (`80 점 0 점 90 점 70 점`: the last one is a score too) and outline numbers (all
# 1-20) without an address word are not addresses.
_KOREAN_OCTET = "[영공일이삼사오육륙칠팔구십백]{1,6}"
_SPOKEN_DOT = (
    # 쩜: the spoken 점 as people type it in chat (`54쩜250쩜147쩜65`)
    r"(?:[ \t]{0,3}(?:[점쩜]|닷|[Dd][Oo][Tt])[ \t]{0,3}|[ \t]{0,2}[\[({<][ \t]?(?:\.|[Dd][Oo][Tt]|[점쩜])[ \t]?[\])}>][ \t]{0,2}"
    # a line break after a dot: an address wrapped, or told over two messages (`아이피 211.82.`, then `247.118`)
    r"|[ \t]{0,2}\.[ \t]{0,2}\r?\n[ \t]{0,2}"
    r"|[ \t]{0,2}\.[ \t]{0,2}|[_-])"  # `-`: the view reads 192_168 as 192-168 (normalize._DIGIT_UNDERSCORE_RE)
)
_SPOKEN_OCTET = rf"(?:[0-9]{{1,3}}|{_KOREAN_OCTET})"
_SPOKEN_IP_RE = re.compile(
    rf"(?<![0-9A-Za-z.영공일이삼사오육륙칠팔구십백])({_SPOKEN_OCTET}){_SPOKEN_DOT}({_SPOKEN_OCTET}){_SPOKEN_DOT}"
    rf"({_SPOKEN_OCTET}){_SPOKEN_DOT}({_SPOKEN_OCTET})(?![0-9A-Za-z])(?:(?<=[0-9])|(?![가-힣]))"
)  # a particle may follow a last octet in digits (…점148입니다); after a Hangul one it would be part of a word
_SCORE_AFTER = re.compile(r"\A[ \t]{0,3}[점쩜]")
# Plain dots with spaces around them (192 . 168 . 1 . 2) or underscores (192_168_1_2, a name made of an address) are
# an address only with an address word before or after it: numbered lists and ids take those shapes too.
# `ip_3_16_254_230.log`: `ip` glued to the octets by its `_` or `-` names them too (s36 fixord36).
_SPACED_IP_CTX = re.compile(r"아이피|(?<![a-z])ip(?:v4)?[_-]\Z|" + _IP_CTX.pattern)
# 192-168: the view reads 192_168 as 192-168 (3-digit groups); 172's second group has 2 digits and keeps its `_`
# (172-20-100-5 with dashes is as often a product code)
_PRIVATE_UNDERSCORED = re.compile(r"192[_-]168[_-]|172_(?:1[6-9]|2[0-9]|3[01])_", _A)


_HOST_NAME_BEFORE = re.compile(r"(?:db|prod|host|server|node|backup|dump|replica|primary|master|proxy|gw|vm)[_-]*\Z")


def _named_by_octets(text: str, start: int, value: str) -> bool:
    """Four octets in underscores that end a file's or a host's name after its `-` or `_` (backup-13_125_77_201.tar.gz,
    prod-db-10_20_30_40), s36 fixord36: a unicast address with no zero-led octet and not all of them 20 or less (an
    outline or a version: v1_2_3_4 is glued to its letter and never reaches here)."""
    if start < 2 or text[start - 1] not in "_-" or not text[start - 2].isalnum() or " " in value or "\t" in value:
        return False
    if "_" not in value:
        return False  # 10-20-30-40 in dashes only is as often a product code
    octets = re.split(r"[_-]", value)
    if len(octets) != 4 or any(len(o) > 1 and o[0] == "0" for o in octets) or not all(o.isdigit() for o in octets):
        return False
    numbers = [int(o) for o in octets]
    if not (all(n <= 255 for n in numbers) and 1 <= numbers[0] <= 223 and numbers[0] != 127 and max(numbers) > 20):
        return False
    # a three-digit octet, or a host's word in the name: release_10_20_30_40 and build_10_20_30_40 are tags (s35)
    return max(numbers) >= 100 or _HOST_NAME_BEFORE.search(text[max(0, start - 24) : start].lower()) is not None


def _plain_ip_apart(text: str, start: int, end: int, value: str) -> bool:
    """Whether the digit octets at start..end, with plain dots and spaces or underscores between, are an address."""
    if "_" not in value and "-" not in value and " " not in value and "\t" not in value and "\n" not in value:
        return False  # plain dots between digits: the IPv4 detector's
    if _PRIVATE_UNDERSCORED.match(value):
        return True  # a private range's start in a name (db_backup_192_168_0_1.sql; the view reads 192_168 as 192-168)
    if _named_by_octets(text, start, value):
        return True  # backup-13_125_77_201.tar.gz, prod-db-10_20_30_40
    return _before(text, start, _SPACED_IP_CTX, 24) or _SPACED_IP_CTX.search(text[end : end + 24].lower()) is not None


# Octets apart by single spaces right after an address label (`IP: 211 76 224 252`), s36 fixord36: the label says
# what the four numbers are; without one, four numbers in spaces are a row of anything.
_LABELLED_SPACED_IP_RE = re.compile(
    r"(?i)(?<![a-z])(?:ip(?:v4)?|아이피)(?:[ \t]?(?:addr(?:ess)?|주소))?[ \t]*[:=][ \t]*"
    r"([0-9]{1,3}) ([0-9]{1,3}) ([0-9]{1,3}) ([0-9]{1,3})(?![0-9.])"
)


def _labelled_spaced_ips(text: str, out: list[Detection]) -> None:
    for m in _LABELLED_SPACED_IP_RE.finditer(text):
        numbers = [int(g) for g in m.groups()]
        if all(n <= 255 for n in numbers) and 1 <= numbers[0] <= 223:
            out.append(Detection(IPV4, m.start(1), m.end(4)))


def _spoken_ips(text: str, out: list[Detection]) -> None:
    _labelled_spaced_ips(text, out)
    for m in _SPOKEN_IP_RE.finditer(text):
        value = m.group()
        spoken = any(word in value for word in ("점", "쩜", "닷")) or re.search(r"[\[({<]|dot", value, _I) is not None
        plain = not spoken and all(octet.isdigit() for octet in m.groups())
        if plain and not _plain_ip_apart(text, m.start(), m.end(), value):
            continue  # plain dots between digits: the IPv4 detector's (십.이십.삼십.사십 is this one's)
        numbers = []
        for octet in m.groups():
            number = int(octet) if octet.isdigit() else sino_korean_number(octet)
            if number is None or number > 255 or (octet.isdigit() and len(octet) > 1 and octet[0] == "0"):
                break
            numbers.append(number)
        if len(numbers) != 4:
            continue
        if "점" in value and _after(text, m.end(), _SCORE_AFTER, 4):
            continue  # scores: 80 점 0 점 90 점 70 점
        if all(1 <= n <= 20 for n in numbers) and not _before(text, m.start(), _IP_CTX, 24):
            continue  # 3 dot 2 dot 1 dot 4: an outline number
        out.append(Detection(IPV4, *m.span()))


# Hexdumps (xxd, hexdump -C, od -A x -t x1z, od -c): a value's bytes are spread over the hex column and the ASCII
# column of several lines, so no piece of either is a value on its own (`...rrn=90` on one line, `0101-1234568` on
# the next). The dump is decoded back to its bytes and read as text; every detection there is masked where its
# bytes are shown: the hex pairs and the ASCII characters of each line it touches.
_DUMP_OFFSET_RE = re.compile(r"^[ \t]*([0-9A-Fa-f]{4,16}):?(?=[ \t])", re.MULTILINE)
_DUMP_HEX_RE = re.compile(r"[ \t]{1,3}([0-9A-Fa-f]{2}(?:[0-9A-Fa-f]{2})?)(?![^ \t\r\n])")
_DUMP_CHAR_RE = re.compile(r"[ \t]{1,3}(\\[0-7]{1,3}|\\[abfnrtv0]|[0-7]{3}|[!-~])(?=[ \t]|$)", re.MULTILINE)
_DUMP_ASCII_RE = re.compile(r"[ \t]{1,4}[|>]?([ -~]{1,64}?)[|<]?[ \t]*$", re.MULTILINE)
_CHAR_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "0": 0}


class _DumpLine(NamedTuple):
    byte_spans: list[tuple[int, int]]  # per byte: where it is shown in the hex (or character) column
    ascii_start: int  # where the ASCII column's first character is, or -1


def _dump_line(text: str, start: int, end: int, width: int) -> tuple[bytes, _DumpLine] | None:
    """The bytes of one dump line after its offset, and where each is shown."""
    data, spans, at = bytearray(), [], start
    while len(data) < width:
        m = _DUMP_HEX_RE.match(text, at, end)
        if m is None:
            break
        group = m.group(1)
        if len(data) and m.start(1) - at >= 3 and len(data) % 8 != 0:
            break  # a wide gap inside a short last line: the ASCII column starts here
        for i in range(0, len(group), 2):
            data.append(int(group[i : i + 2], 16))
            spans.append((m.start(1) + i, m.start(1) + i + 2))
        at = m.end()
    if len(data) < 2:
        data, spans, at = bytearray(), [], start
        while len(data) < width:  # od -c: one character (or escape, or octal code) per cell
            m = _DUMP_CHAR_RE.match(text, at, end)
            if m is None:
                break
            cell = m.group(1)
            if cell.startswith("\\") and len(cell) > 1 and cell[1] in _CHAR_ESCAPES:
                value = _CHAR_ESCAPES[cell[1]]
            elif (len(cell) == 3 and cell.strip("01234567") == "") or (cell.startswith("\\") and len(cell) > 1):
                value = int(cell.lstrip("\\"), 8) & 0xFF
            else:
                value = ord(cell)
            data.append(value)
            spans.append(m.span(1))
            at = m.end()
        if len(data) < 4:
            return None
        return bytes(data), _DumpLine(spans, -1)
    ascii_col = _DUMP_ASCII_RE.match(text, at, end)
    ascii_start = -1
    if ascii_col is not None and len(ascii_col.group(1)) == len(data):
        ascii_start = ascii_col.start(1)
    return bytes(data), _DumpLine(spans, ascii_start)


def _hexdumps(text: str, out: list[Detection]) -> None:
    blocks: list[list[tuple[int, bytes, _DumpLine]]] = []
    last_end = -2
    for m in _DUMP_OFFSET_RE.finditer(text):
        end = text.find("\n", m.end())
        end = len(text) if end == -1 else end
        parsed = _dump_line(text, m.end(), end, 32)
        if parsed is None:
            last_end = -2
            continue
        if m.start() != last_end + 1 or not blocks:
            blocks.append([])
        blocks[-1].append((int(m.group(1), 16), *parsed))
        last_end = end
    for block in blocks:
        if len(block) < 2:
            continue
        data = b"".join(line[1] for line in block)
        where = [(i, b) for i, (_, _, line) in enumerate(block) for b in range(len(line.byte_spans))]
        decoded = data.decode("latin-1").translate(_DUMP_PRINTABLE)
        for det in detect_view(normalise(decoded), None, _NOT_DUMP):
            touched: dict[int, list[int]] = {}
            for index in range(det.start, det.end):
                line_no, byte = where[index]
                touched.setdefault(line_no, []).append(byte)
            for line_no, indexes in touched.items():
                line = block[line_no][2]
                first, last = min(indexes), max(indexes)
                out.append(Detection(det.kind, line.byte_spans[first][0], line.byte_spans[last][1]))
                if line.ascii_start >= 0:
                    out.append(Detection(det.kind, line.ascii_start + first, line.ascii_start + last + 1))


_DUMP_PRINTABLE = {c: " " for c in range(256) if not (32 <= c < 127) and c != 10}


# IPv6 addresses (full, compressed, IPv4-mapped, with a zone `%eth0`, in brackets with a port): a run of hex groups
# and colons with at least two colons, validated by the standard library. Not a MAC address (6 groups of two,
# no `::`) nor a fingerprint (16 groups): neither is a valid IPv6 address. A MAC names a network card, not a
# company or a person, and ARP tables and DHCP logs are full of them; fingerprints are hashes. Loopback `::1`
# and `::` identify nobody. A candidate without a digit (`cafe::add`, C++'s `a::b`) is a name, not an address.
_IPV6_RE = re.compile(
    r"[0-9A-Fa-f:](?<![0-9A-Za-z_:.].)[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}"
    r"(?:(?<=:)(?:25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})(?:\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})){3})?"
    r"(?:%[A-Za-z0-9_.-]{1,16})?(?![0-9A-Za-z_:])",
    _A,
)


def ipv6_ok(value: str) -> bool:
    address = value.split("%", 1)[0]
    if address.count(":") < 2 or not any(c.isdigit() for c in address):
        return False
    if "::" not in address and address.count(":") != 7 and "." not in address:
        return False  # a full address has 8 groups; fewer without `::` is a time, a ratio or a MAC
    try:
        parsed = ipaddress.IPv6Address(address)
    except ValueError:
        return False
    return not (parsed.is_loopback or parsed.is_unspecified)


_V6_LENGTH_AFTER_RE = re.compile(r"/([0-9]{1,3})(?![0-9])")


def _ipv6s(text: str, out: list[Detection]) -> None:
    for m in _IPV6_RE.finditer(text):
        if not ipv6_ok(m.group()):
            continue
        length = _V6_LENGTH_AFTER_RE.match(text, m.end())
        if length is not None and nobodys_network(m.group(), int(length.group(1))):
            continue  # fe80::/10, 2001:db8::/32, fd00::/8: a network of nobody's space
        out.append(Detection(IPV4, *m.span()))


def _ipv6_other_forms(text: str, out: list[Detection]) -> None:
    if "ipv6-literal" in text or "IPV6-LITERAL" in text or "IPv6-literal" in text:
        for m in _IPV6_LITERAL_RE.finditer(text):
            address, _, zone = m.group(1).partition("s")
            if ipv6_ok(address.replace("-", ":") + ("%" + zone if zone else "")):
                out.append(Detection(IPV4, *m.span(1)))
    for m in _IPV6_SPACED_RE.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if before.isascii() and (before.isalnum() or before in "_:."):
            continue  # inside a longer word or number
        value = m.group()
        value = value if value[-1] in _HEX_OR_COLON else value[:-1]  # the boundary character after it
        value = value.rstrip(" \t")
        if (" " in value or "\t" in value) and ipv6_ok(_HORIZONTAL_SPACE_RE.sub("", value)):
            out.append(Detection(IPV4, m.start(), m.start() + len(value)))
    if not ("v6" in text or "V6" in text or "inet6" in text or "INET6" in text):
        return  # no IPv6 word (IPv6, v6, inet6)
    for word in _IPV6_WORD_RE.finditer(text):
        m = _IPV6_OTHER_SEPARATOR_RE.search(text, word.end(), min(len(text), word.end() + 40))
        if m is not None and ipv6_ok(_IPV6_OTHER_COLON_RE.sub(":", m.group())):
            out.append(Detection(IPV4, *m.span()))


# IPv6 in other forms (s36 fixhalves36). Windows writes an address as a host name for UNC paths, dashes for colons
# and `s` for the zone's `%` (`\\2406-5900-1f-2a--17.ipv6-literal.net\share`): its address part is masked, the suffix
# stays. People space the colons (`2404 : f340 : 10 : 3 :  : a1`, a `::` with a space inside): at least four groups,
# the first of three or four hex digits (a global, unique-local or link-local address: 2406:…, fd12:…, fe80:…), so
# a score or a ratio (`3 : 2`, `1 : 2 : : 3`) is none. After an IPv6 word (IPv6, v6, inet6), dashes, underscores or
# dots for the colons (`IPv6 2404-f340-10-3--a1`). Each is checked by the standard library as the others.
_IPV6_LITERAL_RE = re.compile(
    r"(?<![0-9A-Za-z-])([0-9A-Fa-f]{0,4}(?:-[0-9A-Fa-f]{0,4}){2,7}(?:s[0-9A-Za-z]{1,16})?)\.ipv6-literal\.net", _A | _I
)
# RE2, one pass without lookarounds: the character before is checked apart, the one after is matched (a group ends
# at a character that is no hex digit, `_` nor `:`) and dropped.
_IPV6_SPACED_RE = re2.compile(r"[0-9A-Fa-f]{3,4}(?:[ \t]{0,2}:[ \t]{0,2}[0-9A-Fa-f]{0,4}){3,7}(?:[^0-9A-Za-z_:]|$)")
_HEX_OR_COLON = frozenset("0123456789abcdefABCDEF:")
_HORIZONTAL_SPACE_RE = re.compile(r"[ \t]")
_IPV6_WORD_RE = re.compile(r"(?<![A-Za-z])(?:ipv6|inet6|v6)(?![A-Za-z0-9])", _I)
_IPV6_OTHER_SEPARATOR_RE = re.compile(
    r"(?<![0-9A-Za-z])[0-9A-Fa-f]{1,4}(?:-[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Za-z-])"
    r"|(?<![0-9A-Za-z])[0-9A-Fa-f]{1,4}(?:_[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Za-z_])"
    r"|(?<![0-9A-Za-z])[0-9A-Fa-f]{1,4}(?:\.[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Za-z.])",
    _A,
)
_IPV6_OTHER_COLON_RE = re.compile(r"[-_.]")


def _aws_ids(text: str, out: list[Detection]) -> None:
    for m in _AWS_ID_TAIL_RE.finditer(text):
        dash = m.start()
        window = text[max(0, dash - 60) : dash][::-1]
        prefix = _REV_PREFIX_RE.match(window)
        if prefix is None:
            continue
        name = prefix.group()[::-1]
        begin = dash - len(name)
        if begin > 0 and (text[begin - 1].isascii() and (text[begin - 1].isalnum() or text[begin - 1] == "_")):
            continue
        hex_len = m.end() - dash - 1
        if hex_len == 17:  # 17 hex after a lowercase word is AWS's long id format, whatever the prefix
            out.append(Detection(AWS_ID, begin, m.end()))
            continue
        # 8 hex: only after a known prefix (the longest known suffix of the words before the dash).
        words = name.split("-")
        for k in range(min(3, len(words)), 0, -1):
            candidate = "-".join(words[-k:])
            if candidate in AWS_ID_PREFIXES:
                out.append(Detection(AWS_ID, dash - len(candidate), m.end()))
                break


# Addresses written to dodge scrapers: kim[at]example.com, kim (at) example [dot] com, kim[@]example.com.
_OBFUSCATED_EMAIL_RE = re.compile(
    r"[\[({](?:(?<=[A-Za-z0-9._%+-][\[({])|(?<=[A-Za-z0-9._%+-] [\[({]))\s?(?:at|@|골뱅이)\s?[\])}]\s?[A-Za-z0-9-]{1,63}"
    r"(?:\s?(?:\.|[\[({]\s?(?:dot|\.)\s?[\])}])\s?[A-Za-z0-9-]{1,63}){1,8}",
    re.IGNORECASE,
)


# Addresses spelled out: kim at example dot com, kim _at_ example _dot_ co _dot_ kr, kim 골뱅이 naver 점 com,
# kim@example dot com, kim 앳 example 닷컴. Anchored on the "at"; the local part is read backwards. The last label
# must be a top-level domain people write, and "at the dot com bubble" is prose (an article before the dot).
_TLDS = r"com|net|org|kr|io|ai|dev|app|me|edu|gov|biz|info|jp|cn|us|uk|de|fr|xyz|cloud|site|online|tech|sg|vn|co"
_SPELLED_DOT = (
    r"(?:[ \t]{0,3}\.[ \t]{0,3}|(?:[ \t]{1,3}|[ \t]{0,3}[\[({<_-][ \t]{0,3})dot(?:[ \t]{1,3}|[ \t]{0,3}[\])}>_-][ \t]{0,3})"
    r"|[ \t]{0,3}[\[({<_-]?[ \t]{0,3}(?:점|쩜|닷)[ \t]{0,3}[\])}>_-]?[ \t]{0,3})"
)
# Anchored on the at itself (a class first: the engine skips to it in C); what is before it is checked apart.
_SPELLED_EMAIL_RE = re.compile(
    r"[aA골앳엣에@](?:(?<=[aA])(?<![A-Za-z].)[tT](?![A-Za-z])|(?<=골)뱅이|(?<=에)이티|(?<=[앳엣@]))"
    r"(?:[ \t]{1,3}|[ \t]{0,3}[\])}>_-][ \t]{0,3}|(?<=[이티앳엣@])(?![ \t]))"
    rf"(?!(?:the|a|an|this|that|my|our|your|its)\b)[A-Za-z0-9-]{{1,63}}(?:{_SPELLED_DOT}[A-Za-z0-9-]{{1,63}}){{0,6}}"
    rf"(?:{_SPELLED_DOT}(?:{_TLDS}|컴|넷)|[닷쩜][컴넷])(?![A-Za-z0-9-])",
    re.IGNORECASE,
)
# What comes before the at: the local part's last character, then spaces or an opening bracket, or nothing
# (only before 골뱅이, 앳 and @: "cat example dot com" has no at).
_BEFORE_AT_RE = re.compile(r"[A-Za-z0-9._%+-]((?:[ \t]{1,3}|[ \t]{0,3}[\[({<_-][ \t]{0,3})?)\Z")


# "at example.com" is prose (visit us at acme.com); "kim at gmail.com" is an address: with an English "at" and
# only written dots, the domain must be a webmail provider's.
_WEBMAIL = frozenset(
    [
        "gmail",
        "naver",
        "daum",
        "hanmail",
        "kakao",
        "nate",
        "outlook",
        "hotmail",
        "live",
        "yahoo",
        "icloud",
        "me",
        "proton",
        "protonmail",
        "korea",
    ]
)
_SPELLED_PARTS_RE = re.compile(r"(?i)(?<![a-z])(?:dot)(?![a-z])|점|쩜|닷|[\[({<_-]\s{0,3}at|골뱅이|에이티|[앳엣]|@")
_FIRST_LABEL_RE = re.compile(r"(?i)(?:at|골뱅이|에이티|[앳엣]|@)[ \t\])}>_-]*([A-Za-z0-9-]+)")


# An address told in two parts (`seoyeonpark10 뒤에 @bluefish.io 붙이면 돼요`): words that join the parts before an @.
# The parts may stand on two lines, or in two messages read as lines (turns.py: `아이디는 seoa.yoon 이고`, `@gmail.com`).
_BEFORE_AT_WORDS_RE = re.compile(
    r"[A-Za-z0-9._%+-][ \t]{1,3}(?:뒤에|다음에|에다가?|하고|그리고|붙여서?|이고요?)(?:[ \t]{1,3}|[ \t]{0,3}\r?\n[ \t]{0,3})\Z"
)


# The local part told alone after its label (`제 메일 아이디는 seoa.yoon 이고`, the domain in the next message): an id
# with a dot, an underscore, a dash or a digit in it (a plain word after the label is as often a provider's name).
_MAIL_ID_RE = re.compile(
    r"(?:이[ ]?메일|메일|(?<![A-Za-z])e-?mail|(?<![A-Za-z])mail)[ ]?(?:아이디|계정|id)(?![A-Za-z])(?:는|은|이|가|요)?"
    r"[ \t]{0,3}[:=]?[ \t]{0,3}([A-Za-z0-9][A-Za-z0-9._%+-]{2,63})(?![A-Za-z0-9._%+-])",
    re.IGNORECASE,
)
_MAIL_ID_SHAPE_RE = re.compile(r"(?=.*[A-Za-z])(?=.*[0-9._%+-])")


def _mail_ids(text: str, out: list[Detection]) -> None:
    for m in _MAIL_ID_RE.finditer(text):
        if _MAIL_ID_SHAPE_RE.match(m.group(1)) and m.group(1).rstrip(".").lower() not in _WEBMAIL:
            out.append(Detection(EMAIL, m.start(1), m.end(1) - (1 if m.group(1).endswith(".") else 0)))


def _spelled_emails(text: str, out: list[Detection]) -> None:
    _mail_ids(text, out)
    for m in _SPELLED_EMAIL_RE.finditer(text):
        before = _BEFORE_AT_RE.search(text, max(0, m.start() - 8), m.start())
        if before is None and text[m.start()] == "@":
            before = _BEFORE_AT_WORDS_RE.search(text, max(0, m.start() - 16), m.start())
        if before is None or (before.lastindex and not before.group(1) and text[m.start()] in "aA"):
            continue
        start = before.start() + 1
        value = text[start : m.end()]
        if _SPELLED_PARTS_RE.search(value) is None:
            first = _FIRST_LABEL_RE.search(value)
            if first is None or first.group(1).lower() not in _WEBMAIL:
                continue
        local = _REV_LOCAL_RE.match(text[max(0, start - 64) : start][::-1])
        if local is not None and local.group()[::-1].lower() not in _PRONOUNS:
            out.append(Detection(EMAIL, _spelled_local_start(text, start - local.end()), m.end()))


# The local part spelled too (`minsu dot kim at example dot com`, `minsu 점 kim 골뱅이 …`): its pieces before the at's
# word, joined by spelled dots, are the address's (s36 fixpii: `minsu` went out). A plain dot joins a piece only
# without spaces or with spaces on both sides (`him. kim at …` ends a sentence).
_LOCAL_PIECE_BEFORE_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-]{1,64}"
    r"(?:[ \t]{1,3}\.[ \t]{1,3}|(?:[ \t]{1,3}|[ \t]{0,3}[\[({<_-][ \t]{0,3})dot(?:[ \t]{1,3}|[ \t]{0,3}[\])}>_-][ \t]{0,3})"
    r"|[ \t]{0,3}[\[({<_-]?[ \t]{0,3}(?:점|쩜|닷)[ \t]{0,3}[\])}>_-]?[ \t]{0,3})\Z",
    re.IGNORECASE,
)


def _spelled_local_start(text: str, start: int) -> int:
    for _ in range(4):
        tail = text[max(0, start - 12) : start]
        if "." not in tail and "점" not in tail and "쩜" not in tail and "닷" not in tail and "dot" not in tail.lower():
            break  # no spelled dot right before: the common case, without a search of the window
        piece = _LOCAL_PIECE_BEFORE_RE.search(text, max(0, start - 80), start)
        if piece is None or piece.group().split(None, 1)[0].lower() in _PRONOUNS:
            break
        start = piece.start()
    return start


_PRONOUNS = frozenset(
    ["i", "me", "you", "we", "us", "he", "him", "she", "her", "they", "them", "it"]
)  # "see you at school dot com"


# A plain at with defanged dots in the domain (stop 36, fixco36): `dev-ops44@cwdl[.]kr`, `hs.kim7@naver(.)com`,
# `kim@example[dot]com`, and a dot with spaces around it (`jiwoo.park63@cwdl . kr`). A bracketed dot is an address
# whatever the last label; with spaced dots only, the last label must be a top-level domain people write
# (`me@home . Then` is prose).
_DEFANGED_DOT = r"(?:\.|[ \t]?[\[({][ \t]?(?:dot|\.)[ \t]?[\])}][ \t]?|[ \t]{1,2}\.[ \t]{1,2})"
_DEFANGED_EMAIL_RE = re.compile(
    rf"@{_LABEL}(?:{_DEFANGED_DOT}{_LABEL}){{0,8}}{_DEFANGED_DOT}([A-Za-z]{{2,24}})(?![A-Za-z0-9-])", re.IGNORECASE
)
_TLD_SET = frozenset(_TLDS.split("|"))


def _emails(text: str, out: list[Detection]) -> None:
    for m in _OBFUSCATED_EMAIL_RE.finditer(text):  # the candidate pass has seen "@" or "[at]" (its family)
        at = m.start() - 1 if text[m.start() - 1] == " " else m.start()
        local = _REV_LOCAL_RE.match(text[max(0, at - 64) : at][::-1])
        if local is not None:
            out.append(Detection(EMAIL, at - local.end(), m.end()))
    for m in _DEFANGED_EMAIL_RE.finditer(text) if "[" in text or "(" in text or " ." in text else ():
        domain = m.group()
        if not any(c in domain for c in "[({"):
            if " " not in domain and "\t" not in domain:
                continue  # a plain address: the domain pattern below
            if m.group(1).lower() not in _TLD_SET:
                continue
        at = m.start()
        local = _REV_LOCAL_RE.match(text[max(0, at - 64) : at][::-1])
        if local is not None:
            out.append(Detection(EMAIL, at - local.end(), m.end()))
    for m in _EMAIL_DOMAIN_RE.finditer(text):
        at = m.start()
        local = _REV_LOCAL_RE.match(text[max(0, at - 64) : at][::-1])
        if local is not None:
            out.append(Detection(EMAIL, at - local.end(), m.end()))


def _aws_hosts(text: str, out: list[Detection]) -> None:
    for m in _AWS_SUFFIX_RE.finditer(text):
        dot = m.start()
        back = _REV_HOST_RE.match(text[max(0, dot - 253) : dot][::-1])
        if back is not None and back.group().endswith("."):  # the host starts a line with a dot: wrapped there
            wrap_at = dot - back.end()
            tail = _HOST_TAIL_BEFORE_BREAK_RE.search(text, max(0, wrap_at - 280), wrap_at)
            if tail is not None and _HOST_TAIL_SHAPE_RE.search(tail.group()) is not None:
                out.append(Detection(AWS_HOST, tail.start(), tail.start() + len(tail.group().rstrip())))
        labels = back.group()[::-1].lstrip(".-").split(".") if back is not None else []
        host_start = dot - sum(len(x) + 1 for x in labels) + 1 if labels else dot
        specific = 0  # how many leading labels name the customer's resource
        for label in labels:
            low = label.lower()
            if low in _SERVICE_LABELS or _REGION_RE.match(low) or low.startswith("s3-") or not low:
                break
            specific += 1
        first_service = labels[specific].lower() if specific < len(labels) else ""
        if specific:
            end = host_start + sum(len(x) + 1 for x in labels[:specific]) - 1
            name = ".".join(labels[:specific])
            if first_service == "s3" or first_service.startswith("s3-"):
                kind = S3_BUCKET
            elif name.isdigit() and len(name) == 12:
                kind = AWS_ACCOUNT
            else:
                kind = AWS_HOST
            out.append(Detection(kind, host_start, end))
        # Path-style: s3[.region].amazonaws.com/bucket, sqs.region.amazonaws.com/123456789012/queue.
        rest = m.end()
        account = _PATH_ACCOUNT_RE.match(text, rest)
        if account is not None:
            out.append(Detection(AWS_ACCOUNT, *account.span(1)))
        elif not specific and labels and (labels[0].lower() == "s3" or labels[0].lower().startswith("s3-")):
            bucket = _PATH_BUCKET_RE.match(text, rest)
            if bucket is not None:
                out.append(Detection(S3_BUCKET, *bucket.span(1)))


def _s3_uris(text: str, out: list[Detection]) -> None:
    if "://" in text:
        out.extend(Detection(S3_BUCKET, *m.span(1)) for m in _S3_URI_RE.finditer(text))


def _arns(text: str, out: list[Detection]) -> None:
    if "arn:" in text:
        out.extend(Detection(AWS_ARN, *m.span()) for m in _ARN_RE.finditer(text))
        _wrapped_arns(text, out)


# A bucket or resource name with the account id as one of its dash-separated parts (cheongun-backup-123456789012,
# 123456789012-tfstate): how accounts name their buckets so the names stay unique. The name's words before it.
_NAME_BEFORE_RE = re.compile(r"(?<![A-Za-z0-9_.-])[a-z0-9][a-z0-9.-]{0,50}[a-z][a-z0-9]*-\Z", _A)
_NAME_AFTER_RE = re.compile(r"-[a-z][a-z0-9.-]{0,50}", _A)
_BUCKET_CTX = re.compile(r"bucket|버킷|s3|storage|스토리지|backup|백업|tfstate|terraform|aws|cloudtrail|arn")
_BUCKET_AFTER = re.compile(r"[ \t]{0,2}(?:버킷|bucket|Bucket)")  # the name's own noun after it


def _aws_accounts(text: str, out: list[Detection], runs: list[tuple[int, int]]) -> None:
    """12-digit account ids after an AWS word, or as a part of a bucket name; digit groups are `_groups`' too."""
    for m in _in_runs(_ACCOUNT_IN_TEXT_RE, text, runs, 12):
        if _is_date_digits(_digits(m.group())):
            continue
        if _before(text, m.start(), _AWS_ACCOUNT_CTX, 24) or _account_in_name(text, m.start(), m.end()):
            out.append(Detection(AWS_ACCOUNT, *m.span()))


# The names AWS and its tools give resources by default, with the account id inside (s37 red team): Elastic
# Beanstalk's and SageMaker's buckets, the CDK bootstrap's roles, buckets and repositories (qualifier hnb659fds or
# the user's own), CloudTrail's log bucket, Athena's results bucket. The name itself says AWS; no word is needed.
_AWS_DEFAULT_NAME_BEFORE_RE = re.compile(
    r"(?<![A-Za-z0-9_.-])(?:elasticbeanstalk|sagemaker|aws-cloudtrail-logs|aws-athena-query-results|cf-templates"
    r"|aws-glue-assets|cdk-[a-z0-9]{9}-[a-z-]{3,40})-(?:[a-z]{2}-[a-z]+-[0-9]-)?\Z",
    _A,
)


def _account_in_name(text: str, start: int, end: int) -> bool:
    """Whether the 12 digits at start..end are a part of a lower-case dashed name, and a bucket, storage or AWS word
    is near the name (a build or an order number may end a name too)."""
    if end - start != 12:
        return False
    if _AWS_DEFAULT_NAME_BEFORE_RE.search(text, max(0, start - 72), start):
        return True
    if start and text[start - 1] == "-":
        name = _NAME_BEFORE_RE.search(text, max(0, start - 56), start)
        if name is None:
            return False
        name_start, name_end = name.start(), end
    elif end < len(text) and text[end] == "-":
        after = _NAME_AFTER_RE.match(text, end)
        if after is None or (start and (text[start - 1].isalnum() or text[start - 1] in "_.-")):
            return False
        name_start, name_end = start, after.end()
    else:
        return False
    return _before(text, name_start, _BUCKET_CTX, 40) or _BUCKET_AFTER.match(text, name_end) is not None


def _access_keys(text: str, out: list[Detection]) -> None:
    for m in _ACCESS_KEY_RE.finditer(text):
        value = m.group()
        if len(value) == 21 and not value.startswith(UNIQUE_ID_PREFIXES):
            continue
        if value.startswith(ACCESS_KEY_PREFIXES) or any(c.isdigit() for c in value):
            out.append(Detection(AWS_ACCESS_KEY, *m.span()))


def _secret_keys(text: str, out: list[Detection], words: list[tuple[int, int]] | None = None) -> None:
    """Secret access keys (exactly 40 base64 characters of mixed case) and STS session tokens (80+), one scan."""
    for m in _in_runs(_B64_RE, text, word_runs(text) if words is None else words, 40, 64):
        value = m.group().rstrip("=")
        start, end = m.start(), m.end()
        if len(value) == 40:
            if (
                _mixed(value)
                and not (start >= 2 and text[start - 1] == "." and text[start - 2].isalnum())
                and not catalogue.line_of_a_blob(text, start, end)
            ):  # not after a host name (a URL's path), not the last line of a certificate or public key block
                out.append(Detection(AWS_SECRET_KEY, start, end))
        elif len(value) >= 80 and (
            value.startswith(_SESSION_PREFIXES) or (_mixed(value) and _before(text, start, _SESSION_CTX, 60))
        ):
            out.append(Detection(AWS_SESSION_TOKEN, start, end))


# --- AWS values written apart (stop 36, the red team's AWS classes) -------------------------------------------
#
# A bucket's name with no `s3://` or host around it: after a key that names a bucket (YAML `bucket:`, Terraform
# `bucket = "…"`, `.env` `S3_BUCKET=`, boto3 `Bucket='…'`, CloudFormation `BucketName:`, `--bucket`), in the S3
# console's URL, before its own noun (`cheongun-db-backup 버킷에`) and in `aws s3 ls` output. A name there is the
# company's infrastructure. It must be a bucket name's shape with a letter and a `-`, `.` or digit: `bucket: 10` (a
# rate limit), `bucket: token` or `bucket: ${var.name}` stay, and before the noun it needs two of them or a digit
# (`a per-user bucket` is prose).
_BUCKET_NAME = r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"
_BUCKET_KEY_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:(?i:(?:[A-Za-z0-9]{1,24}[_-]){0,3}bucket(?:[_-]?name)?)[\"']?[ \t]{0,3}(?:[:=]|=>)|--bucket(?:=|[ \t]))"
    rf"[ \t]{{0,3}}[\"'`]?({_BUCKET_NAME})(?![A-Za-z0-9_.-])",
    _A,
)
_BUCKET_CONSOLE_RE = re.compile(rf"console\.aws\.amazon\.com/s3/(?:buckets?|object)/({_BUCKET_NAME})(?![a-z0-9.-])", _A)
_BUCKET_NOUN_RE = re.compile(rf"(?<![A-Za-z0-9_./-])({_BUCKET_NAME})[ \t]{{0,2}}(버킷|bucket|Bucket)")
_S3_LS_RE = re.compile(r"s3[ \t]+ls(?![ \t]+s3://)[^\n]*\n", _A)
_S3_LS_LINE_RE = re.compile(
    rf"[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}[ \t]+[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}[ \t]+({_BUCKET_NAME})[ \t]*\r?(?:\n|\Z)",
    _A,
)
_REFERENCE_RE = re.compile(catalogue.TERRAFORM_REFERENCE, _A)
_VERSION_LIKE_RE = re.compile(r"v?[0-9]+(?:\.[0-9]+)+\Z", _A)


def _bucket_shaped(name: str, noun: str | None) -> bool:
    """A bucket's name, not a word or a number: a letter and a dash, dot or digit; before `bucket` (English prose:
    `a per-user bucket`) two dashes or a dash and a digit, before `버킷` a dash."""
    if not any(c.isalpha() for c in name) or _VERSION_LIKE_RE.match(name) or ".." in name:
        return False
    if _REFERENCE_RE.match(name):
        return False  # Terraform's `var.bucket`, `local.name`: a reference, not a name
    dashes, digit = name.count("-"), any(c.isdigit() for c in name)
    if noun is None:
        return dashes > 0 or "." in name or digit
    if noun == "버킷":
        return dashes > 0
    return dashes >= 2 or (dashes > 0 and digit)


def _bucket_names(text: str, out: list[Detection]) -> None:
    for pattern in (_BUCKET_KEY_RE, _BUCKET_CONSOLE_RE, _BUCKET_NOUN_RE):
        for m in pattern.finditer(text):
            if _bucket_shaped(m.group(1), m.group(2) if pattern is _BUCKET_NOUN_RE else None):
                out.append(Detection(S3_BUCKET, *m.span(1)))
    for listing in _S3_LS_RE.finditer(text):
        pos = listing.end()
        while (line := _S3_LS_LINE_RE.match(text, pos)) is not None:
            out.append(Detection(S3_BUCKET, *line.span(1)))
            pos = line.end()


# Resource ids written otherwise: upper case (`I-0A1B…`, a spreadsheet's), `_` for the dash (`i_0a1b…`, a file or
# variable name), spaces around the dash (`vpc- 0f1e…`), and an ellipsis inside (`sg-0aa11bb22…cc33dd44e`). Only
# after a known prefix; the 8-hex form needs a letter and a digit there, and not after a one-letter prefix
# (`R-20240101` is a document number).
_AWS_ID_ALT = "|".join(sorted((re.escape(p) for p in AWS_ID_PREFIXES), key=len, reverse=True))
_AWS_ID_ODD_RE = re.compile(
    rf"(?<![A-Za-z0-9_-])(?i:({_AWS_ID_ALT}))(?:[ \t]?-[ \t]?|_)([0-9A-Fa-f]{{17}}|[0-9A-Fa-f]{{8}})(?![A-Za-z0-9_])"
    rf"|(?<![A-Za-z0-9_-])(?:{_AWS_ID_ALT})-[0-9a-f]{{3,16}}(?:\.\.\.|…)[0-9a-f]{{3,16}}(?![A-Za-z0-9_])",
    _A,
)


def _odd_aws_ids(text: str, out: list[Detection]) -> None:
    for m in _AWS_ID_ODD_RE.finditer(text):
        hexpart = m.group(2)
        if (
            hexpart is not None
            and len(hexpart) == 8
            and (len(m.group(1)) == 1 or hexpart.isdigit() or hexpart.isalpha())
        ):
            continue
        out.append(Detection(AWS_ID, *m.span()))


# A secret key or session token split by spaces after its name (`aws_secret_access_key = <20> <20>`, a token in
# three pieces): the pieces after the name read joined; 40 characters of mixed case are a secret key, 80 or more a
# session token. The words stop at the first piece too short to be a part of a key.
_SPLIT_SECRET_LABEL_RE = re2.compile(  # RE2: its leading case-blind alternation costs Python's re 5x as much
    r"(?i)(?:secret[_ -]?(?:access[_ -]?)?key|aws_?secret\w{0,20}|session[_ -]?token|security[_ -]?token|시크릿[ \t]?키)"
    r"[\"']?[ \t]{0,3}[:=]?[ \t]{0,3}[\"']?"
)
# one key, letter by letter
_SPACED_LETTERS_RE = re.compile(r"(?:[A-Za-z0-9/+] ){39}[A-Za-z0-9/+](?![A-Za-z0-9/+])", _A)
_SPLIT_PIECE_RE = re.compile(r"[A-Za-z0-9/+]{8,}={0,2}(?![A-Za-z0-9/+=])", _A)
_PIECE_GAP_RE = re.compile(r"[ \t]{1,2}", _A)
# Halves told with their places (`secret key 앞 절반: <20>`, then `뒤 절반: <20>` on the next line or in the next
# message, turns.py): the place words are read as a gap; a line break only with the next piece's place after it.
_SECRET_PIECE_WORD = r"(?:[앞뒤뒷첫]|처음|나머지|마지막)[ ]?(?:[0-9]{1,2}[ ]?자리|절반|부분|쪽)?(?:은|는|요|이요)?[ \t]{0,2}[:=]?[ \t]{0,2}"
_FIRST_PIECE_WORD_RE = re.compile(_SECRET_PIECE_WORD)
_NEXT_PIECE_LINE_RE = re.compile(r"[ \t]*\r?\n[ \t]*" + _SECRET_PIECE_WORD)


def _split_aws_secrets(text: str, out: list[Detection]) -> None:
    for label in _SPLIT_SECRET_LABEL_RE.finditer(text):
        spaced = _SPACED_LETTERS_RE.match(text, label.end())
        if spaced is not None and _mixed(spaced.group()):
            out.append(Detection(AWS_SECRET_KEY, *spaced.span()))
            continue
        first = _FIRST_PIECE_WORD_RE.match(text, label.end())
        pos, pieces = (first.end() if first is not None else label.end()), []
        while len(pieces) < 16 and (piece := _SPLIT_PIECE_RE.match(text, pos)) is not None:
            pieces.append(piece)
            if piece.group().endswith("="):
                break
            gap = _PIECE_GAP_RE.match(text, piece.end()) or _NEXT_PIECE_LINE_RE.match(text, piece.end())
            if gap is None:
                break
            pos = gap.end()
        if len(pieces) < 2:
            continue
        joined = ""
        for i, piece in enumerate(pieces):
            joined += piece.group()
            core = joined.rstrip("=")
            if i and len(core) == 40 and _mixed(core):
                out.append(Detection(AWS_SECRET_KEY, pieces[0].start(), piece.end()))
                break
        else:
            if len(joined.rstrip("=")) >= 80 and all(len(p.group()) >= 16 for p in pieces) and _mixed(joined):
                out.append(Detection(AWS_SESSION_TOKEN, pieces[0].start(), pieces[-1].end()))


# An ARN whose account id is wrapped at a line end (`arn:aws:sts::455423⏎057341:assumed-role/…`).
_WRAPPED_ARN_RE = re.compile(
    r"arn(?<![A-Za-z0-9]arn):aws[a-z-]{0,12}:[a-z0-9-]{1,40}:[a-z0-9-]{0,30}:([0-9]{1,11})[ \t]*\r?\n[ \t]*([0-9]{1,11}):"
    r"[A-Za-z0-9_/.:+=@*$-]{0,1023}[A-Za-z0-9_/+=@*$-]",
    _A,
)


def _wrapped_arns(text: str, out: list[Detection]) -> None:
    for m in _WRAPPED_ARN_RE.finditer(text):
        if len(m.group(1)) + len(m.group(2)) == 12:
            out.append(Detection(AWS_ARN, *m.span()))


# A host name wrapped before its AWS suffix's labels (`hanbit-prod.cluster-c9akciq32xyz⏎.ap-northeast-2.rds.…`):
# the previous line's tail is the host's customer part.
_HOST_TAIL_SHAPE_RE = re.compile(r"[.-][^\n]*[0-9]|[0-9][^\n]*[.-]", _A)  # a host's part, not a word (`end with`)
_HOST_TAIL_BEFORE_BREAK_RE = re.compile(r"(?<![A-Za-z0-9.-])[A-Za-z0-9][A-Za-z0-9.-]{0,252}[ \t]*\r?\n[ \t]*\Z", _A)


def _mixed(value: str) -> bool:
    """Upper case, lower case and a digit: random base64, not a word, a hex hash or a number."""
    return any(c.isupper() for c in value) and any(c.islower() for c in value) and any(c.isdigit() for c in value)


# --- cards, licences, passports, health insurance, IBAN (session 30's red team) ----------------------------

_CARD_PREFIX = re.compile(r"4|5[1-5]|2[2-7]|3[0-9]|6|9")
_CARD_CTX = re.compile(r"카드|card|\bpan\b|결제|신용|체크")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


_LONG_CARD_RE = re.compile(r"[0-9][0-9 \t.\r\n-]{11,}[0-9]")  # 13+ characters of digits and separators


def _card_candidates(text: str, runs: list[tuple[int, int]]) -> Iterable[re.Match[str]]:
    """Digit groups inside stretches long enough for a card (a run of `(0(0(0...` is no candidate at all)."""
    for candidate in _in_runs(_LONG_CARD_RE, text, runs, 13):
        yield from _GROUPS_RE.finditer(text, candidate.start(), candidate.end())


def _glued_to_letters(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())


# A card number glued to the tag or marker a card's data carries (s37 red team): track 1 (`%B5310…^KIM/MINJUN^`),
# a brand or PAN label (`VISA9410…`, `PAN9410…`), EMV TLV (`5A08` + the PAN, tag `57` with its length before the
# track 2 equivalent `…D2712…`) and ISO 8583's field 2 with its length (`F002=16…`, `DE2=16…`). Only these tags,
# with the digits passing Luhn with a card's issuer and length: other digits glued to letters stay (hashes, codes).
_TAGGED_CARD_RE = re.compile(
    r"(?:%[Bb]|(?<![A-Za-z])(?i:visa|master(?:card)?|amex|jcb|unionpay|diners|discover|pan|cardno)"
    r"|(?<![0-9A-Za-z])5A0[6-9A]|(?<![0-9A-Za-z])57[ \t]?[01][0-9A-F][ \t]?"
    r"|(?<![0-9A-Za-z])(?i:f|de|bit|field)0{0,2}2[=:][ \t]?1[3-9])([0-9]{13,19})(?![0-9])"
    r"|(?<![0-9A-Za-z])([0-9]{13,19})(?=D[0-9]{2}(?:0[1-9]|1[0-2]))",  # track 2 equivalent: PAN D YYMM
    _A,
)


def _tagged_cards(text: str, out: list[Detection]) -> None:
    for m in _TAGGED_CARD_RE.finditer(text):  # only in texts with a tag before 13 digits (its gate, below)
        group = 1 if m.group(1) else 2
        if _CARD_PREFIX.match(m.group(group)) and luhn_ok(m.group(group)):
            out.append(Detection(CARD, *m.span(group)))


# Its gate in the candidate pass (_FAMILY_PATTERNS): a tag (any case) before 13 digits, or 13 digits before D+YYMM.
_TAGGED_CARD_HINT = (
    r"(?i)(?:%b|visa|master(?:card)?|amex|jcb|unionpay|diners|discover|pan|cardno|5a0[6-9a]|57[ \t]?[01][0-9a-f][ \t]?"
    r"|(?:f|de|bit|field)0{0,2}2[=:][ \t]?1[3-9])[0-9]{13}|[0-9]{13}d[0-9]{2}[01][0-9]"
)


# A row of a table of 4-digit numbers (measurements, codes): six or more groups of four on one line, one space apart.
_GRID_ROW_RE = re.compile(r"(?<![0-9])[0-9]{4}(?:[ \t][0-9]{4}){5,}(?![0-9])", _A)


def _in_a_grid_row(text: str, start: int, end: int) -> bool:
    # bounded: a card candidate's row is read 200 characters either side, never the rest of a megabyte line
    line_start = max(text.rfind("\n", max(0, start - 200), start) + 1, start - 200)
    line_end = text.find("\n", end, end + 200)
    row = _GRID_ROW_RE.search(text, line_start, min(len(text), end + 200) if line_end < 0 else line_end)
    return row is not None and row.start() <= start and end <= row.end()


def _cards(text: str, out: list[Detection], runs: list[tuple[int, int]]) -> None:
    """Payment cards: 13-19 digits passing Luhn with a card network's first digits, grouped as cards are
    (4-4-4-4, 4-6-5) or a bare 15/16 digits; other lengths and groupings only after a card word."""
    for m in _card_candidates(text, runs):
        if m.end() - m.start() < 13:
            continue  # fewer than 13 characters: fewer than 13 digits
        if _glued_to_letters(text, m.start(), m.end()):
            continue  # digits inside a hash or a code (commit 6491805143749351d18b...)
        if _in_a_grid_row(text, m.start(), m.end()) and not _before(text, m.start(), _CARD_CTX, 24):
            continue  # a table's row of 4-digit numbers: any four of them pass Luhn one time in ten
        spans = [g.span() for g in _GROUP_RE.finditer(text, m.start(), m.end())]
        for n in range(len(spans), 0, -1):  # the run may have swallowed a following number (a 2029 expiry)
            groups = [text[a:b] for a, b in spans[:n]]
            digits = "".join(groups)
            if len(digits) < 13:
                break
            if len(digits) > 19 or not _CARD_PREFIX.match(digits) or not luhn_ok(digits):
                continue
            if _NOTICE_NO.match(groups[0]) or _OLD_NOTICE_NO.match(groups[0]):
                break  # a G2B notice number (20241101948-00), however Luhn falls
            sizes = [len(g) for g in groups]
            grouped = n > 1 and (
                (all(size == 4 for size in sizes[:-1]) and 1 <= sizes[-1] <= 4) or sizes in ([4, 6, 5], [4, 6, 4])
            )
            if grouped or (n == 1 and len(digits) in (15, 16)) or _before(text, m.start(), _CARD_CTX, 24):
                out.append(Detection(CARD, m.start(), spans[n - 1][1]))
            break


_REGIONS = "서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산|세종"
# Dashes, or spaces after a licence word (`운전면허 26 04 613434 29`; spaced groups alone are any four numbers).
_DRIVER_RE = re.compile(
    r"[0-9](?<![0-9].)[0-9](?:(?:-|[ \t]{1,2})[0-9]{2})?(?:-|[ \t]{1,2})[0-9]{6}(?:-|[ \t]{1,2})[0-9]{2}(?![0-9])", _A
)
_DRIVER_CTX = re.compile(rf"면허|driver|licen[cs]e|(?:{_REGIONS})\s?\Z")
_DRIVER_BARE_RE = re.compile(r"[0-9](?<![0-9].)[0-9]{11}(?![0-9])", _A)


def _driver_licences(text: str, out: list[Detection], runs: list[tuple[int, int]]) -> None:
    """운전면허번호: 2-2-6-2 digits (the shape alone), 2-6-2 or spaced groups after a region name or a licence word,
    12 bare digits after a licence word."""
    for m in _in_runs(_DRIVER_RE, text, runs, 12):
        if m.group().count("-") == 3 or _before(text, m.start(), _DRIVER_CTX, 24):
            out.append(Detection(DRIVER_LICENSE, *m.span()))
    for m in _in_runs(_DRIVER_BARE_RE, text, runs, 12):
        if _before(text, m.start(), _DRIVER_CTX, 24) and not _is_date_digits(m.group()):
            out.append(Detection(DRIVER_LICENSE, *m.span()))


# 여 권 번 호: an OCR'd form spaces its label's syllables. Abbreviated as forms and records write it (s36
# fixhalves36): `PP No.`, `PP#`, `pp_no`, `ppNo`, `PSPT`; not `pp.` alone (pages in a citation) nor `PPT`.
_PASSPORT_CTX_RE = re.compile(
    r"여[ \t]?권|passport|旅券|p(?<![A-Za-z0-9]p)(?:p[ \t._-]?(?:no|num(?:ber)?)(?![a-z])|p[ \t]?#|spt(?![a-z]))", _I
)
# M12345678, M123A4567, also as written: m12345678, M 1234 5678, M-12345678, M 5 5 9 7 9 1 9 7 (read out digit by
# digit), 엠059C8935 (the letter said in Hangul), and the two-letter passports issued before 2008 (JR1234567), some
# still valid and in old records.
_PASSPORT_RE = re.compile(
    r"[A-Za-z엠](?<![A-Za-z0-9].)"
    r"(?:[ .-]?(?:[0-9]{4}[ -]?[0-9]{4}|[0-9]{3}[A-Za-z][0-9]{4}|[0-9](?:[ ][0-9]){7})|[A-Za-z][ -]?[0-9]{7})"
    r"(?![A-Za-z0-9])",
    _A,
)
# Without a passport word, a Korean passport's own shape (M, S, R, O or D, then 8 digits or 3 digits, a letter and
# 4 digits) only in a traveller's record: a traveller, passenger or nationality word, or an ICAO document type `P`,
# within 90 characters before it (`{"traveler": "정하늘", "doc": {"type": "P", "no": "M267E4076"}}`). The shape
# alone is not enough: it is a model or part number's too (`M123A4567` in a catalogue), and nothing in the number
# checks it (its check digit is in the machine-readable zone only).
_TRAVELLER_CTX_RE = re2.compile(
    r"(?i:travell?er|passenger|nationality)|여행자|탑승[객자]|출입국|국적|(?i:type)[\"']?[ \t]{0,3}[:=][ \t]{0,3}[\"']?P(?:[\"'\s,]|$)"
)
_KOREAN_PASSPORT_RE = re.compile(r"[MSROD](?<![A-Za-z0-9].)(?:[0-9]{8}|[0-9]{3}[A-Z][0-9]{4})(?![A-Za-z0-9])", _A)
# The machine-readable zone of a passport (ICAO 9303 TD3): two lines of 44 characters, the name in the first, the
# number, nationality, birth date and expiry in the second.
_MRZ_RE = re.compile(
    r"P[A-Z<][A-Z<]{3}[A-Z<]{39}[ \t]*\r?\n[ \t]*[A-Z0-9<]{9}[0-9][A-Z<]{3}[0-9]{6}[0-9][MFX<][0-9]{7}[A-Z0-9<]{16}", _A
)
# Not the agencies (국민건강보험공단, 건강보험심사평가원: public notices name them) nor premiums (건강보험료).
_HEALTH_CTX_RE = re.compile(
    r"건강\s*보험(?!\s*(?:공단|심사|료|정책|법))|건보(?!\s*(?:공단|료|심사|재정))|보험증|health[\s_-]?insurance|nhis",
    _I,
)
_HEALTH_NO_RE = re.compile(r"[0-9](?<![0-9].)[0-9-]{6,16}[0-9](?![0-9])", _A)


def _after_label(text: str, label: re.Pattern[str], value: re.Pattern[str], window: int) -> Iterable[re.Match[str]]:
    """Values of shape `value` within `window` characters after a `label` word (a CSV header's column too)."""
    for ctx in label.finditer(text):
        yield from value.finditer(text, ctx.end(), min(len(text), ctx.end() + window))


def _passports(text: str, out: list[Detection]) -> None:
    """여권번호 (M12345678, the newer M123A4567, `M 12345678`) near a passport word, within 80 characters after it
    or 40 before it (`M12345678 (여권)`): the shape alone is a product code."""
    for ctx in _PASSPORT_CTX_RE.finditer(text):
        for m in _PASSPORT_RE.finditer(text, max(0, ctx.start() - 40), min(len(text), ctx.end() + 80)):
            out.append(Detection(PASSPORT, *m.span()))
        for m in _OCR_PASSPORT_RE.finditer(text, max(0, ctx.start() - 40), min(len(text), ctx.end() + 80)):
            if sum(c.isdigit() for c in m.group()) >= 6:  # OCR letters for digits (M583O8l63, the word decides)
                out.append(Detection(PASSPORT, *m.span()))
    # from each shape back to a traveller word (shapes are rare, the words are not: 국적 in every row of a roster)
    for m in _KOREAN_PASSPORT_RE.finditer(text):
        if _TRAVELLER_CTX_RE.search(text, max(0, m.start() - 90), m.start()) is not None:
            out.append(Detection(PASSPORT, *m.span()))


def _passport_mrz(text: str, out: list[Detection]) -> None:
    if "<<" not in text:
        return
    out.extend(Detection(PASSPORT, *m.span()) for m in _MRZ_RE.finditer(text))


# A card's security code or a PIN after its label (CVC 123, CVV2: 123, 보안코드 987, PIN: 1234, 카드 비밀번호 앞 2자리).
_CARD_CODE_RE = re.compile(
    r"(?<![A-Za-z])(?:cvc2?|cvv2?|cvn|cav2|pin(?:[ _-]?(?:code|no|number))?|보안\s*코드|카드\s*비밀\s*번호|"
    r"카드\s*비번|비밀번호\s*앞\s*2\s*자리|핀\s*번호)(?![A-Za-z])(?:\s*번호)?[\"']?\s{0,3}[:=：]?\s{0,3}[\"']?"
    r"([0-9]{2,6})(?![0-9])",
    _I,
)
# Where a label can start (RE2, one pass); the exact pattern is tried only there.
_CARD_CODE_HINT = re2.compile(r"(?i)cvc|cvv|cvn|cav2|pin|보안|카드|비밀번호|핀")


def _card_codes(text: str, out: list[Detection]) -> None:
    for hit in _CARD_CODE_HINT.finditer(text):
        m = _CARD_CODE_RE.match(text, hit.start())
        if m is None:
            continue
        label = m.group().lower()
        if label.startswith("pin") and len(m.group(1)) < 4:
            continue  # pin 13: a connector's pin, not a PIN
        out.append(Detection(CREDENTIAL, *m.span(1)))


# 차량번호 (a personal number under PIPA guidance): 12가3456, 123허 4567, 서울12가3456, after a vehicle word.
_PLATE_RE = re.compile(
    r"(?<![0-9])(?:(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주)[ ]?)?[0-9]{2,3}[ ]?[가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주아바사자배하허호]"
    r"[ ]?[0-9]{4}(?![0-9])"
)
_PLATE_CTX_RE = re.compile(r"차량|차\s*번호|번호판|자동차|주차|입차|출차|렌터카|렌트카|vehicle|plate|car(?![a-z])", _I)
_PLATE_HINT = r"[0-9]{2,3} ?[가-힣] ?[0-9]{4}"  # its gate in the candidate pass (_FAMILY_PATTERNS)


def _vehicle_plates(text: str, out: list[Detection]) -> None:
    for m in _PLATE_RE.finditer(text):
        if _PLATE_CTX_RE.search(text, max(0, m.start() - 40), m.start()) is not None:
            out.append(Detection(VEHICLE, *m.span()))


def _health_insurance(text: str, out: list[Detection]) -> None:
    """건강보험증번호 (8-14 digits, with or without dashes) after a health insurance word."""
    for m in _after_label(text, _HEALTH_CTX_RE, _HEALTH_NO_RE, 60):
        if 8 <= len(m.group().replace("-", "")) <= 14 and not _is_date_digits(m.group().replace("-", "")):
            out.append(Detection(HEALTH_INSURANCE, *m.span()))


_IBAN_RE = re.compile(
    r"[A-Z](?<![A-Za-z0-9].)[A-Z][0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])", _A
)


def iban_ok(value: str) -> bool:
    compact = value.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    numeric = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(numeric) % 97 == 1


def _ibans(text: str, out: list[Detection]) -> None:
    out.extend(Detection(IBAN, *m.span()) for m in _IBAN_RE.finditer(text) if iban_ok(m.group()))


# A base64 (or URL-safe base64) word whose bytes are readable text: what it says is checked like any text,
# and the whole word is masked when it holds a value (a Kubernetes Secret's data, a Basic auth header, a
# payload field). Binary (keys, hashes) does not decode to text and is left to the other detectors.
_B64_WORD_RE = re.compile(r"[A-Za-z0-9+/_-](?<![A-Za-z0-9+/_-].)[A-Za-z0-9+/_-]{15,4095}={0,2}(?![A-Za-z0-9+/_=-])", _A)
_B64_DECODE = str.maketrans("-_", "+/")


@lru_cache(maxsize=512)
def _decoded_text(word: str) -> str | None:
    core = word.rstrip("=")
    if len(core) % 4 == 1 or not any(c.isdigit() or c in "+/=" for c in word):
        return None  # not base64 (or a plain word: real payloads almost always hold a digit or padding)
    try:
        raw = base64.b64decode(core.translate(_B64_DECODE) + "=" * (-len(core) % 4), validate=True)
        if raw.startswith(b"\x1f\x8b"):  # gzip, then base64 (`H4sI…`: Helm release secrets, compressed payloads)
            raw = _gunzip(raw)
        decoded = raw.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    if len(decoded) < 6 or not all(c.isprintable() or c in "\t\r\n" for c in decoded):
        return None
    return decoded


_GUNZIP_LIMIT = 1 << 20


def _gunzip(raw: bytes) -> bytes:
    """The first MB of a gzip stream (a bomb stops there); a broken stream raises ValueError."""
    try:
        return zlib.decompressobj(wbits=31).decompress(raw, _GUNZIP_LIMIT)
    except zlib.error as exc:
        raise ValueError("not gzip") from exc


# Text written in hex (`6768705f…`, Postgres bytea `\x…`, a byte string `b'\x67\x68…'`) or base32: decoded when it
# is readable text, and masked whole when that text holds a value (like the base64 payloads above).
# RE2 (linear, in C): a boundary is consumed instead of a lookbehind, the value is group 1.
_HEX_TEXT_RE = re2.compile(r"(?:^|[^0-9A-Za-z])(?:\\x)?([0-9a-fA-F]{24,})(?:[^0-9A-Za-z]|$)")
_ESCAPED_BYTES_RE = re2.compile(r"((?:\\x[0-9a-fA-F]{2}){8,})")
_BASE32_RE = re2.compile(r"(?:^|[^A-Za-z0-9])([A-Z2-7]{16,}={0,6})(?:[^A-Za-z0-9=]|$)")


# A private key's DER: a SEQUENCE, then the INTEGER version 0 or 1, then an INTEGER (PKCS#1), the algorithm's
# SEQUENCE (PKCS#8) or the key's OCTET STRING (SEC1). A certificate starts SEQUENCE, SEQUENCE; a public key has no
# version.
_PRIVATE_DER_RE = re.compile(rb"\x30(?:\x82[\x00-\xff]{2}|\x81[\x80-\xff]|[\x20-\x7f])\x02\x01[\x00\x01][\x02\x30\x04]")


def _readable(raw: bytes) -> str | None:
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(decoded) < 6 or not all(c.isprintable() or c in "\t\r\n" for c in decoded):
        return None
    return decoded


def _hex_and_base32(text: str, out: list[Detection]) -> None:
    for pattern in (_HEX_TEXT_RE, _ESCAPED_BYTES_RE, _BASE32_RE):
        for m in pattern.finditer(text):
            word = m.group(1)
            if len(word) > 16_384 or (pattern is _HEX_TEXT_RE and len(word) % 2):
                continue
            if pattern is _BASE32_RE:
                if not any(c.isdigit() for c in word):
                    continue  # an upper-case word, not base32
                core = word.rstrip("=")
                try:
                    raw = base64.b32decode(core + "=" * (-len(core) % 8))
                except ValueError:
                    continue
            else:
                raw = bytes.fromhex(word.replace("\\x", ""))
            if pattern is _HEX_TEXT_RE and _PRIVATE_DER_RE.match(raw):
                out.append(Detection(PRIVATE_KEY, *m.span(1)))  # a private key's DER in hex (stop 36)
                continue
            decoded = _readable(raw)
            if decoded is not None and _holds_value(decoded, 1):
                out.append(Detection(ENCODED, *m.span(1)))


# Base64 of base64 (a payload encoded twice, a Secret's value that is itself an encoded config): decoded words
# are read again up to this depth. Each level is 3/4 of the one above and only readable text is decoded.
_ENCODED_DEPTH = 3


def _holds_value(decoded: str, depth: int) -> bool:
    if detect_view(normalise(decoded), None, _NOT_ENCODED):
        return True
    if depth >= _ENCODED_DEPTH:
        return False
    for m in _B64_WORD_RE.finditer(decoded):
        inner = _decoded_text(m.group())
        if inner is not None and _holds_value(inner, depth + 1):
            return True
    return False


def _encoded(text: str, out: list[Detection], words: list[tuple[int, int]] | None = None) -> None:
    words = word_runs(text) if words is None else words
    for m in _in_runs(_B64_WORD_RE, text, words, 16, 64):
        decoded = _decoded_text(m.group())
        if decoded is not None and _holds_value(decoded, 1):
            out.append(Detection(ENCODED, *m.span()))
    for lines, decoded in _base64_bodies(text, words):
        for d in detect_view(normalise(decoded), None, _NOT_ENCODED):
            out.append(Detection(ENCODED, *_lines_holding(lines, decoded, d.start, d.end)))


# A MIME body (or any base64 wrapped at a fixed width: 76 in mail, 64 in PEM) is one base64 stream: a value may cross
# a line break, and a line cut inside a multi-byte character decodes to no text on its own (s37 red team). The
# lines are read joined; the lines holding a value's bytes are masked (one token), the others stay readable.
_B64_BODY_RE = re.compile(
    r"^[A-Za-z0-9+/]{40,76}\r?\n(?:[A-Za-z0-9+/]{40,76}\r?\n)*[A-Za-z0-9+/]{2,76}={0,2}\r?$", re.MULTILINE | _A
)
_B64_LINE_RE = re.compile(r"[A-Za-z0-9+/=]+", _A)


def _base64_bodies(text: str, words: list[tuple[int, int]]) -> Iterable[tuple[list[tuple[int, int]], str]]:
    """The bodies of two or more base64 lines of one width in `text` that decode to text, with their lines' spans."""
    done = 0
    for start, end in words:
        # a body starts with a word of 40-76 characters that fills its line
        if not (40 <= end - start <= 76 and start >= done and (start == 0 or text[start - 1] == "\n")):
            continue
        m = _B64_BODY_RE.match(text, start)
        if m is None:
            continue
        done = m.end()
        lines = [(m.start() + a, m.start() + b) for a, b in (w.span() for w in _B64_LINE_RE.finditer(m.group()))]
        width = lines[0][1] - lines[0][0]
        if width % 4 or any(b - a != width for a, b in lines[:-1]) or lines[-1][1] - lines[-1][0] > width:
            continue
        decoded = _decoded_text("".join(text[a:b] for a, b in lines))
        if decoded is not None:
            yield lines, decoded


def _lines_holding(lines: list[tuple[int, int]], decoded: str, start: int, end: int) -> tuple[int, int]:
    """The span of the body's lines that hold the base64 of decoded[start:end]."""
    first = len(decoded[:start].encode()) // 3 * 4
    last = -(-len(decoded[:end].encode()) // 3) * 4 - 1
    width = lines[0][1] - lines[0][0]
    i, j = min(first // width, len(lines) - 1), min(last // width, len(lines) - 1)
    return lines[i][0], lines[j][1]


# Digits written one by one (9 0 0 1 0 1 - 1 2 3 4 5 6 8, 0.1.0.1.2.3.4.5.6.7.8, one digit per table cell or per
# line): a maximal run of digit groups of 1-4 digits, most of them single digits, with short separators between
# (spaces, dots, commas, dashes, `|` cells, line breaks; Unicode spaces and zero-width characters are already a
# space or gone in the view). The run is read compactly: the most common separator joins digits, any other one
# marks a group boundary (a dash), so `9 0 0 1 0 1 - 1 2 3 4 5 6 8` reads `900101-1234568`, and the digit
# detectors decide on that reading with the text before it as their context.
_SPACED_RE = re.compile(
    r"[0-9](?<![0-9A-Za-z_].)[0-9]{0,3}(?:(?:[ \t.,|/_\r\n\"'-]|<[/A-Za-z][^<>\n]{0,40}>){1,8}[0-9]{1,4}(?![0-9])){6,64}"
    r"(?![A-Za-z_])",
    _A,
)
_SPACED_TOKEN_RE = re.compile(r"(?<![<A-Za-z])[0-9]{1,4}", _A)  # not the digits inside a tag (<h1>)
# Only these make an evenly spaced run an identifier without a grouping; list numbering, matrix rows and survey
# answers are evenly spaced too. Lower case (the window is lower-cased by `_before`).
_SPACED_CTX = re.compile(
    r"주민|외국인|등록|생년|번호|전화|연락|휴대|핸드폰|폰|팩스|계좌|은행|뱅크|입금|카드|결제|사업자|법인|면허|보험|"
    r"tel|phone|mobile|fax|bank|account|acct|card|rrn|ssn|brn|no\.|_no|number|contact|reg|corp|resident|alien"
)


def _spaced_digits(text: str, out: list[Detection]) -> None:
    for m in _SPACED_RE.finditer(text):
        run = m.group()
        tokens = _SPACED_TOKEN_RE.findall(run)
        if len(set(tokens)) == 1:
            continue  # 1 1 1 1 1 1 1, 0 0 0 0 0 0 0: padding (and every repeated pathological input)
        singles = tokens.count("0") + sum(map(tokens.count, "123456789"))
        if singles < 5 or 2 * singles < len(tokens):
            continue  # ordinary digit groups: the digit detectors read those directly
        numbers = list(map(int, tokens))
        steps = {b - a for a, b in pairwise(numbers)}
        if len(steps) == 1 and abs(next(iter(steps))) <= 1:
            continue  # 1 2 3 4 5 6 7 8 9 10: numbering, never an identifier
        seps = _SPACED_TOKEN_RE.split(run)[1:-1]
        joiner = max(set(seps), key=seps.count)
        grouped = any(s != joiner for s in seps)
        labelled = _before(text, m.start(), _SPACED_CTX)
        digits = "".join(tokens)
        if not labelled and (set(digits) <= {"0", "1"} or "|" in run or "\n" in run):
            continue  # a binary matrix row, table cells or a grid of lines without a label
        # The compact reading, with the text before it as the detectors' context; positions map back per character.
        # A group boundary reads " - ", which every digit detector takes as a separator and none as a digit's
        # neighbour (an RRN, then a phone after it, are both found).
        head = text[max(0, m.start() - _WINDOW) : m.start()]
        compact = [head]
        where = list(range(m.start() - len(head), m.start()))
        at = m.start()
        for i, token in enumerate(tokens):
            if i:
                sep = seps[i - 1]
                if sep != joiner:
                    compact.append(" - ")
                    where.extend((at, at, at))
                at += len(sep)
            compact.append(token)
            where.extend(range(at, at + len(token)))
            at += len(token)
        reading = "".join(compact)
        for det in detect_view(View(reading, reading), None, _SPACED_DETECTORS):
            if det.end <= len(head):
                continue  # a value in the context, found in its own right by the other detectors
            if not (grouped or labelled) and not (
                det.kind in (RRN, FRN) or (det.kind == PHONE and digits.startswith("01"))
            ):
                continue  # evenly spaced, no label: only a 주민번호's date and gender digit or a mobile prefix
            start = where[max(det.start, len(head))]
            out.append(Detection(det.kind, start, where[det.end - 1] + 1))


# Identifiers typed into separate fields, cells, elements or messages (issue 24, stop 32): a Korean form splits a
# phone into tel1/tel2/tel3 and a 주민번호 into jumin1/jumin2; JSON, query strings, HTML inputs, SQL VALUES, table
# cells, arrays, markup (<td>, \-, > , $, =\n) and 카톡 lines put syntax between the groups. A chain is a run of
# digit groups (not glued to letters: tel2's 2 is part of its name) with only syntax, names, markup or a chat
# prefix between consecutive groups; its groups are judged together (a mobile or landline phone, a card by Luhn,
# a 주민번호 by date, gender digit and check digit, an account after a bank word). Each group is masked on its own,
# so the syntax between them stays as it was.
_CHAT_PREFIX_RE = re.compile(
    r"^[ \t]*\[[^\]\n]{1,24}\][ \t]*\[(?:오전|오후|AM|PM)[ \t]*[0-9]{1,2}:[0-9]{2}\][ \t]*"
    r"|^[ \t]*[0-9]{4}\.[ \t]*[0-9]{1,2}\.[ \t]*[0-9]{1,2}\.?[ \t]*(?:오전|오후)[ \t]*[0-9]{1,2}:[0-9]{2},[^:\n]{1,24}:[ \t]"
    # a notification's header line of each message (`김민준 님이 보낸 메시지`), with its line break: the messages'
    # lines under it stand together (a 주민번호 told in two messages)
    r"|^[ \t]*[^\n0-9]{1,24}[ \t]?님이[ \t]?보낸[ \t]?메시지[ \t]*\r?\n"
    # Slack's copy: the sender and the time on a line of their own above each message (`임지민  3:12 PM`), taken
    # with its line break, so the messages below read as lines of one chat (s37 misc37; the catalogue's pattern)
    + r"|^[ \t]*"
    + catalogue.CHAT_HEADER_LINE.pattern,
    re.MULTILINE,
)
# Class first, its left boundary after it (the engine skips to a digit in C: ~5x faster than a leading lookbehind).
_CHAIN_GROUP_RE = re.compile(r"[0-9](?<![0-9A-Za-z_].)[0-9]{1,6}(?![0-9A-Za-z_])", _A)
# Between two groups of one chain: syntax, markup, names (letters, with digits glued after), escapes; no Hangul
# (a sentence between two numbers makes them two numbers), at most two line breaks.
# `、` and `→` are the CJK comma and an arrow people put between groups too (010→1234→5678).
_PIECE_PLACE = r"(?:[앞뒤뒷끝첫]|처음|나머지|마지막|가운데|중간)"  # 가운데, 중간: a phone's middle group (s37 misc37)
_PIECE_WORD = (
    rf"(?:{_PIECE_PLACE}(?:[ ]?[1-9]?[ ]?(?:자리|번호|쪽|부분))?(?:은|는|에는|엔|에|요|이요|이고|부터)?"
    r"|[1-9][ ]?자리(?:는|은|요|만)?|먼저|드리고|드릴게요|드려요|이고요?|이며"
    r"|농협|국민|신한|우리|하나|기업|카카오뱅크|[카케토]뱅|토스뱅크|케이뱅크|우체국|[가-힣]{1,4}은행)(?![가-힣])"
)
_CHAIN_GAP_RE = re.compile(
    r"(?:[ \t\r\n\"'`,;:|/=&<>\[\](){}+.*~$#\\、→-]|[A-Za-z_][A-Za-z0-9_]*+"
    # a number read out in pieces (`010 하고 9452 하고 9262`, `앞자리 3568 9593, 뒷자리 1519 8346`): the words that
    # join the pieces are no sentence between two numbers
    r"|(?:하고|그리고|다음에?|이어서|뒤에|[앞뒷끝]자리는?|마지막은?)(?![가-힣])"
    # and which piece comes (s36 fixhalves36: `법인번호 앞 160111, 뒤 7762928`, `뒤 8자리 1792 2516 먼저 드리고 앞
    # 8자리는 4310 8573`, `끝자리 609563, 앞은 농협 327625-23`): a piece's place, its length in digits, a bank's name
    rf"|{_PIECE_WORD})++",
    _A,  # possessive: no backtracking
)
CHAIN_GAP_MAX = 48
_BLANK_LINE_RE = re.compile(r"\n[ \t\r]*\n")
_LETTER_RE = re.compile(r"[A-Za-z]")
_HANGUL_RE = re.compile(r"[가-힣]")
# Markup tags between groups (`</td><td>`, `<br>`, `</span><span>`) are syntax, not a field's name: after a card or
# bank word, a card or an account in separate table cells is judged like one in JSON strings.
_MARKUP_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,9}(?:[ \t][^<>\n]{0,40})?/?>")


def _untagged_letters(text: str, chain: list[re.Match[str]], gaps: list[str], lettered: list[bool]) -> list[bool]:
    """`lettered` with the gaps that hold only markup tags read as letterless, when a card or bank word stands
    before the chain (a table of yearly figures in cells is no card)."""
    start = chain[0].start()
    if not (_before(text, start, _CARD_CTX, 80) or _before(text, start, _BANK_CTX, 80)):
        return lettered
    return [
        has and _LETTER_RE.search(_MARKUP_TAG_RE.sub("", g)) is not None for g, has in zip(gaps, lettered, strict=True)
    ]


# Its gate in the candidate pass (_FAMILY_PATTERNS): a digit group next to a structural character or a line break.
_CHAIN_HINT = (
    r"[0-9]{2}[ \t]*[\"',|/=&<>\[\]()\n\\$*、→]|[\"',|/=&<>\[\]()\n\\$*、→][ \t]*[0-9]{2}"
    r"|[0-9]{2}[ \t]*(?:하고|그리고|다음|이어서|먼저|처음|나머지|[앞뒤뒷끝]|마지막|이고|이며)"
    r"|(?:[앞뒤뒷끝첫]|처음|나머지|마지막|가운데|중간)[^0-9\n]{0,6}(?:[1-9][^0-9\n]{1,4})?[0-9]{2}"
    # `:`, `+`, `#` and a doubled dash after three digits (010:1234:5678, 477--53): not a time's 10:30
    r"|[0-9]{3}[ \t]*(?:[:+#]|--)"
)
_ID_CHAIN_CTX = re.compile(r"주민|jumin|juminno|rrn|ssn|resident|외국인|생년")
_AREA_RE = re.compile(rf"0{_AREA}\Z", _A)


_SLACK_TIME_HINT = re2.compile(r"[0-9]:[0-9]{2}[ \t]?[AaPp][Mm][ \t]*\r?\n")


def _blank_chat_prefixes(text: str) -> str:
    if (
        "오후" not in text
        and "오전" not in text
        and "M " not in text
        and "보낸" not in text
        and (("M\n" not in text and "M\r" not in text) or _SLACK_TIME_HINT.search(text) is None)
    ):
        return text  # Slack's `name  3:12 PM` line ends in `M` and a line break
    return _CHAT_PREFIX_RE.sub(lambda m: " " * len(m.group()), text)


# An amount grouped in thousands (949,396,862): its groups are one number, never groups of a split identifier
# (a Markdown table's amounts joined across `|` passed Luhn one time in ten and went out as cards).
# Class first, its left boundary after it (see _CHAIN_GROUP_RE): `[0-9](?<![0-9,.].)[0-9]{0,2}` is
# `(?<![0-9,.])[0-9]{1,3}` (a leading lookbehind was tried at every character: ~3 ms a dense 20 KB prompt).
_THOUSANDS_RE = re.compile(r"[0-9](?<![0-9,.].)[0-9]{0,2}(?:,[0-9]{3})+(?![0-9]|,[0-9])")


# An identifier a spreadsheet formatted as a number (s37 red team: `110,819,815,104` under 계좌번호, 8,802,072,300,407
# under 주민등록번호 after the leading 0 was dropped, 1,047,940,836 under 휴대폰). The amount grouped in thousands is
# the most common number of a notice (기초금액 1,234,567,890원), so the shape alone says nothing: the value's column
# header (or, outside a table, the label just before it) must name the identifier, and the digits must have its
# length and checksum. Only a 13-digit 주민번호 with its check digit, or a 15/16-digit card passing Luhn, is taken
# without a label (no amount has that many digits); a 10-digit 사업자번호 never is (one amount in ten passes).
_AMOUNT_LABEL_RE = re.compile(_PRICE_WORD_CTX.pattern + r"|잔액|총액|합계|매출|비용|예산|단가|천원|백만원|\(원\)")
_ZERO_LOST_PHONE_RE = re.compile(r"(?:1[016-9][0-9]{7,8}|(?:2|3[1-3]|4[1-4]|5[1-5]|6[1-4])[0-9]{7,8})\Z", _A)


def _thousands_kind(text: str, start: int, end: int, digits: str) -> str | None:
    n = len(digits)
    if (n < 10 and not _ZERO_LOST_PHONE_RE.match(digits)) or _after(text, end, _INTL_NOT_AFTER, 10):
        return None  # 원, 건, %: an amount or a count (checked before the table is read)
    header = column_header(text, start)
    label = (header if header is not None else text[max(0, start - 32) : start]).lower()
    if _AMOUNT_LABEL_RE.search(label):
        return None
    for whole in (digits, "0" + digits):  # Excel drops a leading 0 (a 2000s 주민번호, every phone)
        if len(whole) == 13 and resident_number_kind(whole) and (_RRN_CTX.search(label) or rrn_check_ok(whole)):
            return resident_number_kind(whole)
    if 13 <= n <= 19 and _CARD_PREFIX.match(digits) and luhn_ok(digits) and (_CARD_CTX.search(label) or n in (15, 16)):
        return CARD
    if n == 10 and business_number_ok(digits) and _BRN_CTX.search(label):
        return BRN
    if _PHONE_CTX.search(label) and _ZERO_LOST_PHONE_RE.match(digits):
        return PHONE
    if n == 12 and ("aws" in label or "계정" in label):
        return AWS_ACCOUNT
    if 10 <= n <= 14 and _BANK_CTX.search(label):
        return BANK_ACCOUNT
    return None


_COMMA_GROUPS_RE = re.compile(r",[0-9]{3},[0-9]{3}")  # a literal first: Python's re skips to each comma


def _thousands_identifiers(text: str, out: list[Detection]) -> None:
    done = 0
    for hint in _COMMA_GROUPS_RE.finditer(text):
        start = hint.start()
        if start < done:
            continue  # a later pair of groups of the number just read
        while start > hint.start() - 3 and start > 0 and text[start - 1].isdigit():
            start -= 1
        m = _THOUSANDS_RE.match(text, start)
        if m is None or m.end() - m.start() < 11:
            continue  # no amount's shape, or fewer than 9 digits: no identifier
        done = m.end()
        kind = _thousands_kind(text, m.start(), m.end(), m.group().replace(",", ""))
        if kind is not None:
            out.append(Detection(kind, *m.span()))


def _chains(text: str) -> list[list[re.Match[str]]]:
    chains: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    amounts = [m.span() for m in _THOUSANDS_RE.finditer(text)] if "," in text else []
    amount_at = 0
    for m in _CHAIN_GROUP_RE.finditer(text):
        while amount_at < len(amounts) and amounts[amount_at][1] <= m.start():
            amount_at += 1
        in_amount = amount_at < len(amounts) and amounts[amount_at][0] <= m.start()
        if in_amount or _in_decimal(text, m.start(), m.end()):
            if len(current) > 1:
                chains.append(current)
            current = []
            continue  # a decimal number's part (37.360935, 128.475051: coordinates) is no group, and ends a chain
        if current:
            gap_start, gap_end = current[-1].end(), m.start()
            gap = text[gap_start:gap_end] if gap_end - gap_start <= CHAIN_GAP_MAX else ""  # no copy of a long gap
            if (
                gap_end - gap_start <= CHAIN_GAP_MAX
                and gap.count("\n") <= 2
                and _CHAIN_GAP_RE.fullmatch(gap)
                and _BLANK_LINE_RE.search(gap) is None  # a blank line ends a paragraph, a document, a message
            ):
                current.append(m)
                continue
            if len(current) > 1:
                chains.append(current)
        current = [m]
    if len(current) > 1:
        chains.append(current)
    return chains


def _in_decimal(text: str, start: int, end: int) -> bool:
    """Whether the digits at start..end are glued by a point to digits before or after (a decimal, a version)."""
    return (start > 1 and text[start - 1] == "." and text[start - 2].isdigit()) or (
        end + 1 < len(text) and text[end] == "." and text[end + 1].isdigit()
    )


def _chain_kind(text: str, groups: list[str], gaps: list[bool], start: int, end: int) -> str | None:
    """The identifier the window of groups at start..end makes (`gaps`: whether each gap between them holds
    letters), or None."""
    digits = "".join(groups)
    lengths = [len(g) for g in groups]
    if len(groups) == 3 and _AREA_RE.match(groups[0]) and lengths[1] in (3, 4) and lengths[2] == 4:
        return PHONE
    if (
        lengths == [3, 2, 5]
        and not any(gaps)
        and _unusual_gaps(text, start, end)
        and business_number_ok(digits)
        and (_before(text, start, _BRN_CTX) or not _AMBIGUOUS_GAP_RE.search(text, start, end))
    ) or (lengths == [3, 2, 5] and business_number_ok(digits) and _fields_in_turn(text, start, end)):
        return BRN  # 477--53--05540, 477:53:05540: the checksum; a list or a time (120, 35, 45000) also a 사업자 word
    if (
        lengths == [6, 7]
        and not any(gaps)
        and _unusual_gaps(text, start, end)
        and (
            _before(text, start, _CRN_CTX)
            or (corporate_number_ok(digits) and not _AMBIGUOUS_GAP_RE.search(text, start, end))
        )
    ) or (lengths == [6, 7] and corporate_number_ok(digits) and _fields_in_turn(text, start, end)):
        return CRN  # 110111--2345672: a 법인 word, or the checksum where the separator means nothing else
    if lengths == [2, 2, 6, 2] and not any(gaps) and _before(text, start, _DRIVER_CTX, 40):
        return DRIVER_LICENSE  # 면허번호 앞 26-74, 뒤 092770-48 (the pieces told apart; s36 fixhalves36)
    if len(groups) == 2 and lengths == [6, 7]:
        kind = resident_number_kind(digits)
        if kind is not None and (
            _before(text, start, _ID_CHAIN_CTX, 60) or rrn_check_ok(digits) or not _issued_with_check_digit(digits)
        ):
            return kind
    if (
        3 <= len(groups) <= 5
        and 14 <= len(digits) <= 19
        and all(3 <= n <= 6 for n in lengths)
        and _CARD_PREFIX.match(digits)
        and luhn_ok(digits)
        and any(g[-2:] != "00" for g in groups)
        and not any(gaps)  # a card's groups with only syntax between (no letters)
    ):
        return CARD
    if (
        2 <= len(groups) <= 4
        and 10 <= len(digits) <= 14
        and lengths[0] >= 3
        and not any(gaps)  # an account's groups with only syntax between (no letters)
        and (_before(text, start, _BANK_CTX) or _before(text, start, _BANK_NAME_JUST_BEFORE, 8))
    ):
        return BANK_ACCOUNT
    return None


# A value's groups in fields named in turn (s37 misc37: `reg_no_a: '200111'` / `reg_no_b: '7113429'`, `"brn1": "571",
# "brn2": …`, `corp_no_front` / `corp_no_back`): one name with the suffixes of a sequence says one value in parts, as
# its checksum does; a record's other fields (`year`, `count`) are no such names.
_FIELD_NAME_RE = re.compile(r"([A-Za-z][A-Za-z0-9_-]{0,40}?)[\"']?[ \t]*[:=][ \t]*[\"']?[ \t]*\Z", _A)
_FIELD_SEQUENCES = (
    ("1", "2", "3", "4"),
    ("a", "b", "c", "d"),
    ("", "2", "3", "4"),
    ("front", "back"),
    ("f", "b"),
    ("head", "tail"),
    ("first", "second", "third"),
)


def _fields_in_turn(text: str, start: int, end: int) -> bool:
    """Whether each group from `start` to the group at `end` is the value of a field whose name is one stem with the
    suffixes of a sequence (x1, x2, x3; x_a, x_b; x, x_2; x_front, x_back)."""
    groups = []
    for group in _CHAIN_GROUP_RE.finditer(text, start):
        if group.start() > end:
            break
        if text[group.start() - 1] not in ":= \t\"'":
            return False  # `220-81-…`: a separator, not a field's value (checked before any name is looked for)
        groups.append(group)
    names = []
    at = max(0, start - 48)
    for group in groups:
        name = _FIELD_NAME_RE.search(text, at, group.start())
        if name is None:
            return False
        names.append(name.group(1).lower())
        at = group.end()
    low, high = min(names), max(names)  # their common prefix is every name's
    stem = next((k for k, (a, b) in enumerate(zip(low, high, strict=False)) if a != b), len(low))
    suffixes = tuple(n[stem:].lstrip("_-") for n in names)
    return len(names) > 1 and any(seq[: len(suffixes)] == suffixes for seq in _FIELD_SEQUENCES)


# The separators of ordinary ASCII text (lists, times, tables, sums, numbers): groups of a 사업자번호's shape with
# one of them between need a 사업자 word as well as the checksum (one list of three numbers in ten passes it).
_AMBIGUOUS_GAP_RE = re.compile(r"[,:|+#;/]", _A)


def _own_gap(gap: str) -> bool:
    """Whether the digit detectors read `gap` between two groups themselves: spaces, one dash or dot, a line break."""
    return not gap.strip(" \t-.") and gap.count("-") + gap.count(".") <= 1


def _unusual_gaps(text: str, start: int, end: int) -> bool:
    """Whether a gap between the groups from `start` to the start of the last group (`end`) is one the digit
    detectors do not read (a window of a longer chain may have only theirs: 000000-0000000 in a list)."""
    return not all(_own_gap(gap) for gap in _GROUP_RE.split(text[start:end])[1:])


def _split_identifiers(text: str, out: list[Detection]) -> None:
    scanned = _blank_chat_prefixes(text)
    for chain in _chains(scanned):
        gaps = [scanned[a.end() : b.start()] for a, b in pairwise(chain)]
        if all(_own_gap(g) for g in gaps):
            continue  # the digit detectors' own case (a doubled dash, 477--53--05540, is not: it is read here)
        if (
            len(chain) >= 6
            and all(not g.strip(" \t\r\n|,;") for g in gaps)
            and len({len(m.group()) for m in chain}) == 1
            and not _before(scanned, chain[0].start(), _CARD_CTX, 24)
        ):
            continue  # a grid of numbers of one width (measurements; plain, Markdown, CSV): a table, no split values
        lettered = [_LETTER_RE.search(g) is not None for g in gaps]
        if any(lettered) and "<" in scanned[chain[0].end() : chain[-1].start()]:
            lettered = _untagged_letters(scanned, chain, gaps, lettered)
        groups = [m.group() for m in chain]  # once per chain, not per window
        fronts = [_FRONT_PIECE_RE.search(g) is not None for g in gaps] if any(map(_has_front_word, gaps)) else []
        # every window of consecutive groups, longest first from each start
        i = 0
        while i < len(chain):
            start = chain[i].start()
            back_first = bool(fronts) and _BACK_PIECE_BEFORE_RE.search(scanned, max(0, start - 16), start) is not None
            for j in range(min(len(chain), i + 5), i + 1, -1):
                kind = _chain_kind(scanned, groups[i:j], lettered[i : j - 1], start, chain[j - 1].start())
                if kind == PHONE and _in_a_code(scanned, start, chain[j - 1].end()):
                    kind = None  # `"sku": "AB-010-2345-6789"` after a phone field: a code (see _in_a_code)
                if kind == CARD and _in_a_list(gaps, i, j) and not _before(scanned, start, _CARD_CTX, 24):
                    kind = None  # `22, 80, 443, 5432, 6379, 8080-8090, 9092`: ports, no card's groups
                if kind is None and back_first and any(fronts[i : j - 1]):
                    kind = _back_first_kind(
                        scanned, groups[i:j], lettered[i : j - 1], fronts[i : j - 1], start, chain[j - 1].start()
                    )
                if kind is not None:
                    if any(_HANGUL_RE.search(g) for g in gaps[i : j - 1]):
                        # read out in pieces (`900101 뒷자리 1234568`): one value, one token, as the 주민번호
                        # halves' detector masks it (the proxy's memory keeps that token from turn to turn)
                        out.append(Detection(kind, chain[i].start(), chain[j - 1].end()))
                    else:
                        out.extend(Detection(kind, *m.span()) for m in chain[i:j])
                    i = j - 1
                    break
            i += 1


def _in_a_list(gaps: list[str], i: int, j: int) -> bool:
    """Whether the window of groups i..j-1 of a chain, joined by commas, is a slice of a list of numbers (s37
    ordinary37: a port list): a range among them (`6379, 8080-8090, 9092`), or the chain going on before or after it
    with the same comma (`22, 80, 443, 5432, 6379, 8080, 9092, 27017`). A card typed into fields is its groups alone,
    joined one way (`[4111, 1111, 1111, 1111]`, `4111</td><td>1111`)."""
    inner = {g.strip(" \t") for g in gaps[i : j - 1]}
    if "," not in inner:
        return False
    if "-" in inner:
        return True
    return (i > 0 and gaps[i - 1].strip(" \t") == ",") or (j - 1 < len(gaps) and gaps[j - 1].strip(" \t") == ",")


# The back piece told first (s36 fixhalves36: `법인번호 뒤 7762928, 앞 160111`, `계좌 끝자리 609563, 앞은 농협
# 327625-23`, `카드 뒤 8자리 1792 2516 먼저 드리고 앞 8자리는 4310 8573`): a back word right before the chain's first
# group and a front word in a later gap say the pieces are in reverse; the groups are judged in their own order
# (front first), so the same shapes, checksums and context words decide. Only with both words: two numbers in a
# list are never reordered to fit a shape.
_BACK_PIECE_BEFORE_RE = re.compile(
    r"(?<![가-힣])(?:[뒤뒷끝]|나머지|마지막)[ ]?(?:[1-9][ ]?)?(?:자리|번호|쪽|부분)?(?:은|는|에는|엔|에|요|이요|부터)?"
    r"[ \t:,]{0,3}\Z"
)
_FRONT_PIECE_RE = re.compile(r"(?<![가-힣])(?:앞|처음|첫)")


def _has_front_word(gap: str) -> bool:
    return "앞" in gap or "처음" in gap or "첫" in gap


def _back_first_kind(
    text: str, groups: list[str], lettered: list[bool], fronts: list[bool], start: int, end: int
) -> str | None:
    """The identifier the groups make with the pieces after a front word's gap (`fronts`) moved first, or None."""
    for k in range(1, len(groups)):
        if not fronts[k - 1]:
            continue
        order = groups[k:] + groups[:k]
        kind = _chain_kind(text, order, [*lettered[k:], False, *lettered[: k - 1]], start, end)
        # a 주민/외국인번호's halves told back first are `_labelled_halves`' (a token each, the labels kept)
        if kind is not None and kind not in (RRN, FRN):
            return kind
    return None


# The back half of a 주민번호 alone (the secret part): after a back-half label (뒷자리, 뒷번호, jumin2, rrn_back),
# or after a front masked by the writer (******-1234567, xxxxxx-1234567).
_BACK_HALF_RE = re.compile(
    r"(?:뒷\s*자리|뒷\s*번호|뒤\s*7\s*자리|뒤\s*번호|(?<![가-힣])뒤(?![가-힣])|(?<![A-Za-z])(?:jumin|juminno|rrn|ssn|resident)[_-]?(?:2|back|b|tail)"
    r"(?![A-Za-z0-9])|[*xX●○•#]{6}[ \t]?-[ \t]?)"
    r"[^0-9\n]{0,12}?([1-8][0-9]{6})(?![0-9])",
    re.IGNORECASE,
)
_BACK_HALF_HINT = r"(?i)뒷|뒤|jumin|rrn|ssn|resident|[*xX●○•#]{6}"  # its gate in the candidate pass


# Or as a table's column (s37 misc37: `name,rrn_front,phone,rrn_back`, a 주민번호 split over two CSV columns with
# others between): a cell of seven digits under a back-half header.
_BACK_COLUMN_RE = re.compile(
    r"(?<![A-Za-z])(?:jumin|juminno|rrn|ssn|resident(?:_?no)?)[_-]?(?:2|back|b|tail)(?![A-Za-z0-9])"
    r"|주민[^,\t|\n]{0,8}(?:뒷|뒤)",
    re.IGNORECASE,
)
# its gate (RE2: Python's re takes ~1 ms per 20 KB for the case-blind search); the exact pattern runs from its hit
_BACK_COLUMN_HINT = re2.compile(r"(?i)(?:jumin|rrn|ssn|resident)[a-z_-]{0,4}(?:2|back|b|tail)|주민[^,\t|\n]{0,8}[뒷뒤]")
_BACK_CELL_RE = re.compile(r"(?:^|(?<=[,\t|]))[ \t]*[\"']?([1-8][0-9]{6})[\"']?[ \t]*(?=[,\t|\r\n]|\Z)", re.MULTILINE)
_BACK_CELLS_TRIED = 2000


def _resident_back_halves(text: str, out: list[Detection]) -> None:
    for m in _BACK_HALF_RE.finditer(text):
        label = m.group()[: m.start(1) - m.start()]
        if label[:1] in "뒷뒤" and not _before(text, m.start(), _ID_CHAIN_CTX, 60):
            continue  # 뒷자리 without a 주민 word: the back digits of anything (a phone's, an account's)
        out.append(Detection(RRN, *m.span(1)))
    hint = _BACK_COLUMN_HINT.search(text)
    column = _BACK_COLUMN_RE.search(text, hint.start()) if hint is not None else None
    if column is None:
        return
    for tried, m in enumerate(_BACK_CELL_RE.finditer(text, text.find("\n", column.end()) + 1 or len(text))):
        if tried >= _BACK_CELLS_TRIED:
            return
        header = column_header(text, m.start(1))
        if header is not None and _BACK_COLUMN_RE.search(header) is not None:
            out.append(Detection(RRN, *m.span(1)))


# Letters that read as digits inside a digit group, as OCR, a scan or a careless hand gives them (o1o-1234-5678,
# 9OO1O1-1234568, 3S65 8142 S009 4S34, 1l-03-461033-S9, 9910O8-1384B77): O o D for 0, I l for 1, Z z for 2, S s for
# 5, G for 6, B for 8, q g for 9. A run of two to four groups joined by one space, dot or dash reads as its digits
# when every group holds a digit and nothing but digits and these letters, the letters are at most half as many as
# the digits, and there are six digits or more; the digit detectors then judge the reading as any written value
# (checksums for cards, 주민/외국인/사업자번호, a licence's region and a phone's or an account's shape and context),
# and only what they find is masked. So words and codes made of such letters (SOS, BIOS 2.0, IO-1O, a hex or base64
# word, 512B, 10s) are not read: a group without a digit, or a letter outside the set, ends the reading. `|` is no 1
# here: it is the cell separator of Markdown tables and pipe-delimited exports. The reading has the same length, so
# the digit detectors' spans are the original's; they read only a window of lines around each run (a 1 MB text with
# a few runs is not read again whole). No lowercase b for 6: it is a hex digit, and hex ids are everywhere in logs.
# Other scripts' look-alikes (Cyrillic О, Greek Ο) read as these
# letters in the view first (`normalize.py`).
_OCR_LETTERS = "OoDIlZzSsGBqg"
_OCR = f"[0-9{_OCR_LETTERS}]"
_LOOKALIKE_RUN_RE = re.compile(  # one separator throughout: `5G 2024-0012-345678` is a word, then a number
    rf"(?<![A-Za-z0-9]){_OCR}{{1,16}}([ .-]){_OCR}{{1,16}}(?:\1{_OCR}{{1,16}}){{0,2}}(?![A-Za-z0-9])", _A
)
# Candidate runs (RE2, one pass): a letter of the set next to a digit; the exact pattern with its boundaries is
# tried only at their starts.
_PAIR = f"(?:[0-9][{_OCR_LETTERS}]|[{_OCR_LETTERS}][0-9])"
_LOOKALIKE_CANDIDATE = re2.compile(  # a separator before or after the pair: one word (a hex id) is no candidate
    rf"(?:{_OCR}{{1,16}}[ .-]){{1,3}}{_OCR}{{0,15}}{_PAIR}{_OCR}{{0,15}}(?:[ .-]{_OCR}{{1,16}}){{0,3}}"
    rf"|{_OCR}{{0,15}}{_PAIR}{_OCR}{{0,15}}(?:[ .-]{_OCR}{{1,16}}){{1,3}}"
)
# A passport number with such letters for its digits, near a passport word (`_passports`): the letter, then eight
# of digits and these letters, six digits or more (M583O8l63; the newer M123A4567 has a letter of its own).
_OCR_PASSPORT_RE = re.compile(rf"[A-Za-z](?<![A-Za-z0-9].)[0-9{_OCR_LETTERS}A-Z]{{8}}(?![A-Za-z0-9])", _A)
_LOOKALIKE_DIGITS = str.maketrans(_OCR_LETTERS, "0001122556899")
_LOOKALIKE_GROUP_RE = re.compile(rf"{_OCR}+", _A)
_ASCII_ALNUM_RE = re.compile(r"[A-Za-z0-9]", _A)
_LOOKALIKE_CONTEXT = 240


def _reads_as_digits(value: str) -> bool:
    digits = sum(c.isdigit() for c in value)
    letters = sum(c in _OCR_LETTERS for c in value)
    return (
        0 < letters * 2 <= digits
        and digits >= 6
        and all(any(c.isdigit() for c in g) for g in _LOOKALIKE_GROUP_RE.findall(value))
    )


def _lookalike_digits(text: str, out: list[Detection]) -> None:
    runs = []
    for candidate in _LOOKALIKE_CANDIDATE.finditer(text):
        if sum(c.isdigit() for c in candidate.group()) < 6:
            continue
        # Inside the candidate (it may start at a word's last letter: `CARD NO 3S65 …`), then its real end checked
        # (the search ends one character after the candidate, which the engine takes for the end of the text); a
        # run that is not read gives way to one from its next group (`TEL 5 O1O-4821-7735`).
        at, stop = candidate.start(), candidate.end() + 1
        while (m := _LOOKALIKE_RUN_RE.search(text, at, stop)) is not None:
            real_end = m.end() == len(text) or _ASCII_ALNUM_RE.match(text, m.end()) is None
            if real_end and _reads_as_digits(m.group()):
                runs.append(m.span())
                at = m.end()
            else:
                at = m.start(1) + 1
    if not runs:
        return
    windows: list[list[int]] = []  # whole lines, from 240 characters before a run to 240 after (its context words)
    for start, end in runs:
        lo = text.rfind("\n", 0, max(0, start - _LOOKALIKE_CONTEXT)) + 1
        hi = text.find("\n", min(len(text), end + _LOOKALIKE_CONTEXT))
        hi = len(text) if hi < 0 else hi
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        inside = [(start, end) for start, end in runs if lo <= start < hi]
        reading, copied = [], lo
        for start, end in inside:
            reading += (text[copied:start], text[start:end].translate(_LOOKALIKE_DIGITS))
            copied = end
        reading.append(text[copied:hi])
        joined = "".join(reading)
        for det in detect_view(View(joined, joined), None, DIGIT_DETECTORS):
            d = Detection(det.kind, det.start + lo, det.end + lo)
            if any(d.start < end and start < d.end for start, end in inside):
                out.append(d)


# An access key id or a secret access key wrapped at a line end (pasted from a narrow terminal or a chat).
# Anchored on the line break (the engine skips to it in C) after a word or a space (`_WORD_BEFORE_BREAK`'s last
# character, checked first: prose lines end in a full stop or Hangul); the part before it is read backwards.
_AFTER_WORD = r"(?:(?<=[A-Za-z0-9/+ \t]\n)|(?<=[A-Za-z0-9/+ \t]\r\n))"
# Not a piece of a longer word joined by `_` (`sk_live_…` at a line end, `GITHUB_TOKEN=` on the next line of a .env).
_BREAK_THEN_WORD_RE = re.compile(rf"\n{_AFTER_WORD}[ \t]*([A-Za-z0-9/+]{{1,39}})(?![A-Za-z0-9/+=_])", _A)
_WORD_BEFORE_BREAK_RE = re.compile(r"(?<![A-Za-z0-9/+_])[A-Za-z0-9/+]{1,39}[ \t]*\r?\Z", _A)
_KEY_ID_HEAD_RE = re.compile(r"A(?:KIA|SIA|IDA|ROA|GPA|IPA|NPA|NVA|PKA|CCA)[A-Z0-9]{0,15}\Z", _A)


def _wrapped_keys(text: str, out: list[Detection]) -> None:
    for m in _BREAK_THEN_WORD_RE.finditer(text):
        head = _WORD_BEFORE_BREAK_RE.search(text, max(0, m.start() - 48), m.start())
        if head is None:
            continue
        first, second = head.group().rstrip(" \t\r"), m.group(1)
        if (
            len(first) + len(second) == 20
            and _KEY_ID_HEAD_RE.match(first)
            and all(c.isdigit() or c.isupper() for c in second)
        ):
            out.append(Detection(AWS_ACCESS_KEY, head.start(), m.end()))
        elif len(first) + len(second) == 40 and len(first) >= 8 and _mixed(first + second):
            out.append(Detection(AWS_SECRET_KEY, head.start(), m.end()))


# A token written apart (stop 36): a provider token with a space, a spaced dash or an ellipsis inside (`AKIA2XQ7
# PLMN4RT5VWYZ`, `xoxb - 1234… - …`, `ghp_abcDEF…JKL456…` where both parts are the token), wrapped inside prose (`sk-…`
# at a line end, the rest and more words on the next line), Slack's dashes typed as underscores, spaced letters
# (`g h p _ a B c …`), and a value continued with a shell `\` line break (`KEY=wJalr…\` then the rest). The pieces
# are joined and read again (the catalogue's rules, access keys, secret keys); what crosses a join is the token, from
# its first piece to its last. A piece after the first must look random (a digit, or both cases not as a word), so a
# prefix explained in prose (`ghp_ followed by 36 characters`) joins nothing.
_TOKEN_START_RE = re.compile(
    r"(?<![A-Za-z0-9_-])(?:A(?:KIA|SIA|ROA|IDA|GPA|IPA|NPA|NVA|PKA|BIA|CCA)|gh[pousr]_|github_pat_|glpat-|sk-|"
    r"xox[abposr](?=[ \t]*[-_])|AIza|npm_|hf_)",
    _A,
)
# compact length of the fixed-length tokens (the pieces stop there: a word after a whole token is not its piece)
_TOKEN_LENGTHS = {"gh": 40, "github_pat_": 93, "glpat-": 26, "AIza": 39, "npm_": 40, "hf_": 37, "A": 20}
_PIECE_RE = re.compile(r"[A-Za-z0-9_+/=-]+", _A)
_PIECE_SEP_RE = re.compile(
    r"[ \t]*[-_][ \t]+|[ \t]+[-_][ \t]*|[ \t]{1,2}|[ \t]*\\\r?\n[ \t>]*|[ \t]*\r?\n[ \t>]*|[ \t]?(?:\.{3}|…)[ \t]?"
)
_KEY_PIECE_RE = re.compile(r"[A-Z0-9]+", _A)
_KEY_SEP_RE = re.compile(r"[ \t]?(?:\.{3}|…)[ \t]?|[ \t]{0,2}[-_.][ \t]{0,2}|[ \t]{1,2}|[ \t]*\\?\r?\n[ \t>]*", _A)
_WORD_PIECE_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+", _A)
_SPACED_LETTERS_RE = re.compile(r"(?<![^\s])(?:[!-~] ){9,}[!-~](?![^\s])", _A)
# glued on both sides (`wJalr…\`, `ThyU$\`), not `--rm \` (a space before: an argument ends there)
_CONTINUED_RE = re.compile(r"(?<=[!-\[\]-~])\\\r?\n[ \t]*(?=[A-Za-z0-9+/_-])", _A)
_MAX_APART = 400
# A few Korean words between two pieces of a token (`로 시작하고 그 뒤에`, `이고 나머지는`), or English ones between an
# access key's capitals (`and then`): no digits, no line break.
_PROSE_GAP_RE = re.compile(r"[ \t]{0,2}[가-힣]{1,8}(?:[ \t,.]{1,3}[가-힣]{1,8}){0,5}[ \t,.:]{1,3}")
_KEY_PROSE_GAP_RE = re.compile(
    r"[ \t]{0,2}(?:[가-힣]{1,8}|[a-z]{1,8})(?:[ \t,.]{1,3}(?:[가-힣]{1,8}|[a-z]{1,8})){0,5}[ \t,.:]{1,3}"
)
_MAX_JOINED = 2000  # readings per text (each is a scan of its own: a megabyte of prefixes must stay linear)


def _random_piece(piece: str) -> bool:
    return len(piece) == 1 or (_WORD_PIECE_RE.fullmatch(piece) is None and any(c.isalnum() for c in piece))


def _read_joined(
    text: str,
    origin: list[int],
    pieces: list[int],
    joined: str,
    out: list[Detection],
    whole: bool = False,
    spelled: bool = False,
) -> None:
    """Detections in `joined` (each character's place in `text` in `origin`, its piece in `pieces`) that take more
    than one piece (or, with `whole`, any), as spans of `text`."""
    spans = [(f.kind, f.start, f.end) for f in catalogue.scan(joined, unwrap=False)]
    for m in _ACCESS_KEY_RE.finditer(joined):
        # `AKIAPRBT NYOREDDXGFXU` or a digit: not `ASIA PACIFIC …` (a heading whose words add up to 20 letters)
        glued = m.start() + 4 < len(pieces) and pieces[m.start() + 4] == pieces[m.start()]
        if _access_key_shaped(m.group()) and (glued or spelled or any(c.isdigit() for c in m.group())):
            spans.append((AWS_ACCESS_KEY, *m.span()))
    for m in _B64_RE.finditer(joined):
        value = m.group().rstrip("=")
        if len(value) == 40 and _mixed(value):
            spans.append((AWS_SECRET_KEY, *m.span()))
        elif len(value) >= 80 and value.startswith(_SESSION_PREFIXES):
            spans.append((AWS_SESSION_TOKEN, *m.span()))
    for kind, start, end in spans:
        if end > start and (whole or (pieces[start] != pieces[end - 1] and pieces[end - 1] > 0)):
            out.append(Detection(kind, origin[start], origin[end - 1] + 1))


def _access_key_shaped(value: str) -> bool:
    return len(value) == 20 and value.startswith(ACCESS_KEY_PREFIXES)


def _prefixed_apart(text: str, out: list[Detection]) -> None:
    read_to, tried = 0, 0
    for m in _TOKEN_START_RE.finditer(text):
        if m.start() < read_to:
            continue  # inside the pieces of the token before: each piece is read once
        prefix = m.group()
        key_id = prefix.startswith("A") and prefix != "AIza"  # an access key id: groups of capitals and digits
        piece_re, sep_re = (_KEY_PIECE_RE, _KEY_SEP_RE) if key_id else (_PIECE_RE, _PIECE_SEP_RE)
        first = piece_re.match(text, m.start())
        if first is None:
            continue
        limit = next((n for p, n in _TOKEN_LENGTHS.items() if prefix.startswith(p)), _MAX_APART)
        dashed = prefix.startswith(("xox", "sk-"))  # their dashes are part of the token
        origin = list(range(first.start(), first.end()))
        pieces = [0] * len(origin)
        joined = [first.group()]
        size, end = len(first.group()), first.end()
        told_apart, told_at = False, 0
        while size < limit:
            sep = sep_re.match(text, end)
            piece = piece_re.match(text, sep.end()) if sep is not None and sep.end() > end else None
            if piece is None and limit != _MAX_APART and not told_apart:
                # a fixed-length token told in two pieces with a few words between, once (s37 misc37: `ASIAJZ5V 로
                # 시작하고 그 뒤에 DVCWQOSG3XSG 붙어요`); the pieces still add up to the token's length and shape
                sep = (_KEY_PROSE_GAP_RE if key_id else _PROSE_GAP_RE).match(text, end)
                piece = piece_re.match(text, sep.end()) if sep is not None else None
                if piece is None or len(piece.group()) < 6:
                    break
                told_apart, told_at = True, len(joined)
            if piece is None or not (key_id or _random_piece(piece.group())) or "=" in piece.group().rstrip("="):
                break  # `pid=4123` after a whole token: the log line's next field
            if limit == _MAX_APART and not sep.group().strip(" \t"):
                break  # a token of no fixed length ends at a space (it is wrapped at a line end, not spaced)
            if dashed and ("-" in sep.group() or "_" in sep.group()):
                joined.append("-")
                origin.append(sep.start())
                pieces.append(pieces[-1])
            joined.append(piece.group())
            origin += range(piece.start(), piece.end())
            pieces += [pieces[-1] + 1] * len(piece.group())
            size, end = size + len(piece.group()), piece.end()
        underscored = prefix.startswith("xox") and "_" in first.group()
        if pieces[-1] == 0 and not underscored:
            continue  # one piece: the catalogue reads it as it is
        if told_apart and not any(c.isdigit() for c in "".join(joined[told_at:])):
            continue  # `ASIA2026 행사 안내 GLOBAL SUMMIT`: capitals words after prose, no random piece
        read_to, tried = end, tried + 1
        if tried > _MAX_JOINED:
            return
        value = "".join(joined)
        if underscored:
            value = value[:4] + value[4:].replace("_", "-")  # `xoxb_1234…_5678…_abc…`: Slack's dashes typed as `_`
        _read_joined(text, origin, pieces, value, out, whole=underscored)


def _spaced_letters(text: str, out: list[Detection]) -> None:
    """Letters typed one by one, read with the line before them (`password: J k 9 5 % n …`: a label counts)."""
    for tried, m in enumerate(_SPACED_LETTERS_RE.finditer(text)):
        if tried >= _MAX_JOINED:
            return
        line_start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 200)
        letters = range(m.start(), m.end(), 2)
        origin = [*range(line_start, m.start()), *letters]
        pieces = [0] * (m.start() - line_start) + list(range(1, len(letters) + 1))
        joined = text[line_start : m.start()] + m.group()[::2]
        _read_joined(text, origin, pieces, joined, out, spelled=True)


# A key's value after its name, cut by single spaces (`aws_secret_access_key = s4I970wgGa2oCXkbq9Ic OsoGTENYDSc…`, a
# session token pasted as lines of 100 joined by spaces): pieces of 12+ base64 characters, none a word, together with
# upper and lower case and a digit, joined and read with the name.
_NAMED_PIECES_RE = re.compile(
    r"(?i)(?:secret|token|key|passw(?:or)?d|credential|시크릿|토큰|키|비밀번호|비번)[\w.-]{0,30}[\"']?[ \t]{0,3}[:=][ \t]{0,3}[\"']?"
    r"([A-Za-z0-9/+=]{12,400}(?:[ \t][A-Za-z0-9/+=]{12,400}){1,12})(?![A-Za-z0-9/+=])",
    _A,
)
_B64_PIECE_RE = re.compile(r"[A-Za-z0-9/+=]+", _A)


def _values_apart(text: str, out: list[Detection]) -> None:
    for tried, m in enumerate(_NAMED_PIECES_RE.finditer(text)):
        if tried >= _MAX_JOINED:
            return
        found = list(_B64_PIECE_RE.finditer(text, m.start(1), m.end(1)))
        if not _mixed("".join(p.group() for p in found)) or not all(_random_piece(p.group()) for p in found):
            continue
        origin = list(range(m.start(), m.start(1)))
        pieces = [0] * len(origin)
        for k, piece in enumerate(found, start=1):
            origin += range(piece.start(), piece.end())
            pieces += [k] * (piece.end() - piece.start())
        _read_joined(text, origin, pieces, text[m.start() : m.start(1)] + "".join(p.group() for p in found), out)


def _continued_values(text: str, out: list[Detection]) -> None:
    """`NAME=value\\` and the rest of the value on the next line (a shell continuation: the shell joins them)."""
    for tried, m in enumerate(_CONTINUED_RE.finditer(text)):
        if tried >= _MAX_JOINED:
            return
        line_start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 200)
        tail = _PIECE_RE.match(text, m.end())
        if tail is None:
            continue
        origin = [*range(line_start, m.start()), *range(tail.start(), tail.end())]
        pieces = [0] * (m.start() - line_start) + [1] * (tail.end() - tail.start())
        _read_joined(text, origin, pieces, text[line_start : m.start()] + tail.group(), out)


def _credentials(text: str, out: list[Detection], candidates: catalogue.Candidates | None = None) -> None:
    """Passwords, API keys, tokens and private keys: the secrets catalogue (catalogue.py), one combined scan."""
    out.extend(Detection(f.kind, f.start, f.end) for f in catalogue.scan(text, found_candidates=candidates))


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


# E-mail addresses written around the usual shape (stop 32's red team F11, F38): a doubled @, a quoted local part
# (RFC 5322), a comment before the @ (`홍길동(kim)@…`), a % relay (`kim%acme.co.kr@relay`), an address literal
# (`kim@[203.0.113.45]`), Hangul or other non-ASCII letters (`홍길동@회사.한국`), `#` for @ before a domain people
# write, and one character at a time (`k i m @ a c m e . c o m`). Each shape has its own pattern; the family
# gate says whether any can be in the text.
_ODD_EMAIL_RES = (
    re.compile(
        rf"[A-Za-z0-9._%+-]{{1,64}}@@[A-Za-z0-9-]{{1,63}}(?:\.[A-Za-z0-9-]{{1,63}}){{0,8}}\.(?:{_TLDS})(?![A-Za-z0-9-])"
    ),
    re.compile(r"\"[^\"\n]{1,64}\"@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}"),
    re.compile(r"[^\s()<>\"']{0,64}\([A-Za-z0-9._%+-]{1,64}\)@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}"),
    re.compile(r"[A-Za-z0-9._+-]{1,64}%[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}@[A-Za-z0-9.-]{1,253}"),
    re.compile(r"[A-Za-z0-9._%+-]{1,64}@\[[0-9A-Fa-f:.]{2,45}\]"),
    re.compile(
        r"[\w.%+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}(?<=[^\x00-\x7f])|[\w.%+-]{0,64}[^\x00-\x7f]@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}"
    ),
    re.compile(
        rf"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{{2,64}}#[A-Za-z0-9-]{{1,63}}(?:\.[A-Za-z0-9-]{{1,63}}){{0,4}}\.(?:{_TLDS})(?![A-Za-z0-9.-])"
    ),
    re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z0-9._-] ){2,64}@(?: [A-Za-z0-9-]){1,63}(?: \.(?: [A-Za-z0-9-]){1,63}){1,8}"),
)


_ODD_EMAIL_ANCHOR = re.compile(r"@|[A-Za-z0-9]#[A-Za-z0-9]")
_LOCAL_PART_BEFORE = re.compile(r"[^\s@]{0,64}\Z")
_DOMAIN_AFTER = re.compile(r"[\w.-]{0,80}")


def _odd_email_shapes(text: str, at: int) -> Iterable[re.Pattern[str]]:
    """The shapes that can hold the `@` (or `#`) at `at`, judged by the characters next to it."""
    (doubled, quoted, comment, relay, literal, non_ascii, hashed, spaced) = _ODD_EMAIL_RES
    if text[at] == "#":
        return (hashed,)
    before, after = text[at - 1 : at], text[at + 1 : at + 2]
    shapes = []
    if after == "@":
        shapes.append(doubled)
    if before == '"':
        shapes.append(quoted)
    if before == ")":
        shapes.append(comment)
    if after == "[":
        shapes.append(literal)
    if before == " " and after == " ":
        shapes.append(spaced)
    local = _LOCAL_PART_BEFORE.search(text, max(0, at - 64), at)
    domain = _DOMAIN_AFTER.match(text, at + 1)  # up to a space or another @
    if local is not None and "%" in local.group():
        shapes.append(relay)
    labels = domain.group().split(".") if domain is not None else []
    if not before.isascii() or any(label and not any(c.isascii() for c in label) for label in labels):
        shapes.append(non_ascii)  # 홍길동@…, …@회사.한국 (not `kim@acme.co.kr로`: a particle after the address)
    return shapes


def _odd_emails(text: str, out: list[Detection]) -> None:
    """Anchored on each `@` (or `x#y`): only the shapes its neighbours allow are tried, in a window around it."""
    last = -1
    for anchor in _ODD_EMAIL_ANCHOR.finditer(text):
        at = anchor.start() if anchor.group() == "@" else anchor.start() + 1
        if at < last:
            continue
        lo, hi = max(0, at - 200), min(len(text), at + 300)
        for pattern in _odd_email_shapes(text, at):
            for m in pattern.finditer(text, lo, hi):
                if not m.start() <= at < m.end():
                    continue
                if "#" in m.group() and "@" not in m.group():
                    host = m.group().split("#", 1)[1]
                    if "." not in host or m.group().split("#", 1)[0].isdigit():
                        continue  # `#1.kr`, an issue number
                out.append(Detection(EMAIL, *m.span()))
                last = max(last, m.end())


# An IPv4 address written as one hex integer (`0xC0A80A01`) after an address word.
_HEX_IPV4_RE = re2.compile(r"(?i)(?:\bip\b|ipv4|host|inet|서버|주소)[^\n]{0,16}?\b0x([0-9a-f]{8})\b")
# Or as one decimal integer (`inet 3232235777`, `ip=167772161`, `INET_ATON` output, a `long` column) right after a
# word that names an IP address: 8-10 digits, a 32-bit value whose first octet is a unicast address's. A server,
# host or address word alone does not (`서버\t12500000` is a row of a cost table), nor a tab (a table's next cell).
_DECIMAL_IPV4_RE = re2.compile(
    r"(?i)(?:\b(?:ip|ipv4|inet|src_?ip|dst_?ip|ip_?addr|remote_?addr|client_?ip|host_?ip)|(?:서버\s?)?(?:ip|아이피)\s?주소|아이피)"
    r"(?:[ _-]?(?:addr(?:ess)?|주소|num|int|long))?[\"']?[ ]{0,2}[:=]?[ ]{0,2}[\"']?([0-9]{8,10})(?:[^0-9.]|$)"
)


def _hex_ipv4s(text: str, out: list[Detection]) -> None:
    for m in _HEX_IPV4_RE.finditer(text):
        first = int(m.group(1)[:2], 16)
        if 1 <= first <= 223 and first != 127:
            out.append(Detection(IPV4, m.start(1) - 2, m.end(1)))
    for m in _DECIMAL_IPV4_RE.finditer(text):
        value = int(m.group(1))
        if value < 2**32 and 1 <= value >> 24 <= 223 and value >> 24 != 127:
            out.append(Detection(IPV4, *m.span(1)))


# An IPv4 address in the other forms inet_aton reads, which ping, curl and browsers accept: one decimal or hex
# integer (`ping 167772161`, `http://3232235777/`, `0xC0A80101`) or dotted parts in hex or octal
# (`0xC0.0xA8.0x01.0x01`, `0300.0250.1.1`). Dotted parts with a `0x` or a four-digit octal part are an address by
# their shape alone (nothing else is written so); an integer only where a host stands: a URL's host, after
# `user@`, after a network command (ping, ssh, curl, nc, nmap ...) on its line, or after `host=` / `--host`.
# A price or a count has none of these places (`서버\t42878020`).
_HOST_FORM = r"(0[xX][0-9A-Fa-f]{1,8}|[0-9]{8,10})"
# The value's end is a word boundary, not a consumed character (the next match may start right after it); what
# follows is checked in Python (`_ends_a_host`): not a letter nor a point before a letter or digit (a host name).
_HOST_END = r"\b"
_NET_COMMANDS = (
    r"ping6?|traceroute6?|tracert|tracepath|mtr|telnet|nc|ncat|netcat|nmap|ssh|sftp|scp|ftp|curl|wget|nslookup|"
    r"dig|whois|arping|fping|hping3|mosh|rsync|xfreerdp|rdesktop|redis-cli|mysql|psql|mongosh?|iperf3?"
)
_NUMERIC_HOST_RE = re2.compile(
    rf"(?:://(?:[^\s/@]{{1,64}}@)?|[A-Za-z0-9._-]@|(?i:(?:^|[^A-Za-z0-9_-])(?:{_NET_COMMANDS})(?:[ \t]+-{{1,2}}[A-Za-z0-9-]{{1,24}}(?:[ =][0-9]{{1,5}})?){{0,6}}[ \t]+)"
    rf"|(?i:(?:^|[^A-Za-z0-9])(?:--host(?:name)?[ =]|(?:host(?:name)?|remote_?host|peer|target)[\"']?[ ]{{0,2}}[:=][ ]{{0,2}}[\"']?)))"
    rf"{_HOST_FORM}{_HOST_END}"
)
_DOTTED_ODD_RE = re2.compile(
    r"(?:^|[^0-9A-Za-z.])((?:0[xX][0-9A-Fa-f]{1,2}|[0-9]{1,4})(?:\.(?:0[xX][0-9A-Fa-f]{1,2}|[0-9]{1,4})){3})\b"
)


def inet_aton(value: str) -> int | None:
    """The address inet_aton reads in `value` (1-4 parts, each decimal, 0x hex or 0-led octal), or None."""
    parts = value.split(".")
    numbers = []
    for part in parts:
        if part[:2] in ("0x", "0X"):
            number = int(part[2:], 16) if part[2:] else None
        elif len(part) > 1 and part[0] == "0":
            number = int(part, 8) if part.strip("01234567") == "" else None
        else:
            number = int(part) if part.isdigit() else None
        if number is None:
            return None
        numbers.append(number)
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    address = 0
    for n in numbers[:-1]:
        address = address * 256 + n
    return address * 256 ** (5 - len(numbers)) + numbers[-1]


def _unicast(address: int) -> bool:
    return 1 <= address >> 24 <= 223 and address >> 24 != 127


def _odd_dots(value: str) -> bool:
    """Dotted parts that only inet_aton's forms have: a 0x part, or a first part in octal of four digits (0300.0250…;
    a version's inner part may be 0300)."""
    parts = value.split(".")
    return any(p[:2] in ("0x", "0X") for p in parts) or (len(parts[0]) == 4 and parts[0][0] == "0")


def _ends_a_host(text: str, end: int) -> bool:
    after = text[end : end + 2]
    return not (after[:1].isascii() and after[:1].isalnum()) and not (after[:1] == "." and after[1:].isalnum())


def _numeric_hosts(text: str, out: list[Detection]) -> None:
    for m in _NUMERIC_HOST_RE.finditer(text):
        address = inet_aton(m.group(1))
        if (
            address is not None
            and _unicast(address)
            and not _is_date_digits(m.group(1))  # …-v2@20241022: a date
            and _ends_a_host(text, m.end(1))
        ):
            out.append(Detection(IPV4, *m.span(1)))
    for m in _DOTTED_ODD_RE.finditer(text):
        value = m.group(1)
        if (
            _odd_dots(value)
            and (address := inet_aton(value)) is not None
            and address >> 24
            and _ends_a_host(text, m.end(1))
        ):
            out.append(Detection(IPV4, *m.span(1)))


# An address as one decimal integer in a table's column named for it (`ip,port` / `3232235777,22`, a `src_ip` column of
# an export): the cell's header says what the number is. Only where a header cell names an address at all.
_IP_CELL_NAME = r"(?:(?:[A-Za-z]{1,10}[_ -])?(?:ip|IP|Ip)|[a-z]{1,10}I[pP])(?:v4)?(?:[ _]?(?:addr(?:ess)?|주소))?|아이피|remote_?addr"
_IP_HEADER_RE = re.compile(rf"^(?:[^\n]*[,\t|])?[ \t\"']*(?:{_IP_CELL_NAME})[ \t\"']*(?:[,\t|]|$)", re.MULTILINE)
_IP_COLUMN_RE = re.compile(rf"\A(?:{_IP_CELL_NAME})\Z")
_CELL_INTEGER_RE = re.compile(r"[0-9](?<![0-9.].)[0-9]{7,9}(?![0-9.])", _A)


def _ip_columns(text: str, out: list[Detection], runs: list[tuple[int, int]]) -> None:
    if not any(word in text for word in ("ip", "IP", "Ip", "아이피", "addr")) or _IP_HEADER_RE.search(text) is None:
        return
    for m in _in_runs(_CELL_INTEGER_RE, text, runs, 8):
        header = column_header(text, m.start())
        if header is None or _IP_COLUMN_RE.match(header.strip(" \t\"'")) is None:
            continue
        address = inet_aton(m.group())
        if address is not None and _unicast(address) and not _is_date_digits(m.group()):
            out.append(Detection(IPV4, *m.span()))


# A GCP service account's or OAuth client's numeric id (`"client_id": "109876543210987654321"` in a key file, the
# `uniqueId` of `gcloud iam service-accounts describe`, `oauth2ClientId`): 21 digits after its name. It names the
# account (and with the project, its owner); 21 digits after no such name stay (no other id is known to have them).
_CLOUD_CLIENT_ID_RE = re2.compile(
    r"(?i)(?:client[_ ]?id|unique[_ ]?id|oauth2[_ ]?client[_ ]?id|service[_ ]?account[_ ]?id)[\"']?\s{0,3}"
    r"(?:[:=]|=>)?\s{0,3}[\"']?([0-9]{21})(?:[^0-9]|$)"
)


def _cloud_client_ids(text: str, out: list[Detection]) -> None:
    out.extend(Detection(CLOUD_ID, *m.span(1)) for m in _CLOUD_CLIENT_ID_RE.finditer(text))


Detector = Callable[[str, list[Detection]], None]
DigitDetector = Callable[[str, list[Detection], list[tuple[int, int]]], None]
# Name -> detector. A Masker may be given a subset (the leak-check test disables one on purpose).
# The digit-led ones run inside the windows of one shared candidate scan (`digit_runs`).
DIGIT_DETECTORS: dict[str, DigitDetector] = {
    "phone": _phones,
    "mobile_without_zero": _mobiles_without_zero,
    "international_phone": _international_phones,
    "resident": _residents,
    "business": _businesses,
    "groups": _groups,
    "ip": _ips,
    "aws_account": _aws_accounts,
    "card": _cards,
    "driver_licence": _driver_licences,
    "ip_column": _ip_columns,
}
OTHER_DETECTORS: dict[str, Detector] = {
    "aws_id": _aws_ids,
    "email": _emails,
    "aws_host": _aws_hosts,
    "s3_uri": _s3_uris,
    "arn": _arns,
    "bucket_name": _bucket_names,
    "odd_aws_id": _odd_aws_ids,
    "split_aws_secret": _split_aws_secrets,
    "access_key": _access_keys,
    "secret_key": _secret_keys,
    "credential": _credentials,
    "split_resident": _split_residents,
    "labelled_halves": _labelled_halves,
    "phone_particles": _phones_with_particles,
    "passport": _passports,
    "health_insurance": _health_insurance,
    "iban": _ibans,
    "wrapped_key": _wrapped_keys,
    "token_apart": _prefixed_apart,
    "letters_apart": _spaced_letters,
    "continued_value": _continued_values,
    "value_apart": _values_apart,
    "encoded": _encoded,
    "spaced_digits": _spaced_digits,
    "split_identifiers": _split_identifiers,
    "thousands_identifier": _thousands_identifiers,
    "tagged_card": _tagged_cards,
    "resident_back_half": _resident_back_halves,
    "passport_mrz": _passport_mrz,
    "card_code": _card_codes,
    "vehicle_plate": _vehicle_plates,
    "lookalike_digits": _lookalike_digits,
    "ipv6": _ipv6s,
    "ipv6_other": _ipv6_other_forms,
    "spelled_email": _spelled_emails,
    "spoken_ip": _spoken_ips,
    "hexdump": _hexdumps,
    "hex_base32": _hex_and_base32,
    "odd_email": _odd_emails,
    "hex_ipv4": _hex_ipv4s,
    "numeric_host": _numeric_hosts,
    "cloud_client_id": _cloud_client_ids,
}
# These take the windows of `word_runs` as a third argument (computed once per text by `detect_view`).
WORD_DETECTORS = frozenset({"secret_key", "encoded"})
DETECTORS: tuple[str, ...] = (*DIGIT_DETECTORS, *OTHER_DETECTORS)
_NOT_ENCODED = tuple(name for name in DETECTORS if name != "encoded")  # inside a payload: one level
_NOT_DUMP = tuple(name for name in DETECTORS if name != "hexdump")  # the bytes of a dump are text, not a dump
_SPACED_DETECTORS = (*DIGIT_DETECTORS, "health_insurance")  # on the compact reading of digits written one by one

# The candidate scan of the other detectors: a looser form of each family's shape (a superset of what its detector
# can match), or the detector's exact gate, says which families can be in the text at all; only those run. They are
# patterns of the one candidate pass (`catalogue.candidates`), which also decides the catalogue's rules.
_FAMILY_PATTERNS = {
    "aws_id": r"-[0-9a-f]{8}",
    "email": r"(?i)@[A-Za-z0-9]|[\[({]\s?(?:at|@|골뱅이)\s?[\])}]",
    "aws_host": r"(?i)\.(?:amazonaws\.com|compute\.internal|ec2\.internal|on\.aws|cloudfront\.net|awsapps\.com|"
    r"signin\.aws\.amazon\.com|amazoncognito\.com|awsglobalaccelerator\.com)",
    "s3_uri": r"(?i)s3[an]?://",
    "arn": r"arn:",
    "bucket_name": r"(?i)bucket|버킷|s3[ \t]+ls",
    "odd_aws_id": r"[A-Za-z][ \t]?-[ \t][0-9A-Fa-f]{8}|[A-Za-z][ \t]-[0-9A-Fa-f]{8}|[A-Za-z]_[0-9A-Fa-f]{8}|[A-Z]-[0-9A-Fa-f]{8}"
    r"|[a-z]-[0-9a-f]{0,16}[A-F][0-9A-Fa-f]{0,16}|-[0-9a-f]{3,16}(?:\.\.\.|…)[0-9a-f]{3}",
    "split_aws_secret": r"(?i)secret[_ -]?(?:access[_ -]?)?key|aws_?secret|session[_ -]?token|security[_ -]?token|시크릿[ \t]?키",
    "access_key": r"A[A-Z0-9]{19}",
    "secret_key": r"[A-Za-z0-9/+]{40}",
    "split_resident": r"(?i)주민|등록\s*번호|생년|resident|rrn|외국인",
    "labelled_halves": _HALVES_HINT,
    "phone_particles": r"[0-9]에[ \t]?[0-9]",
    "passport": r"(?i)여[ \t]?권|passport|旅券|pp[ \t._-]?(?:no|num)|pp[ \t]?#|pspt|travell?er|passenger|여행자|탑승[객자]|출입국|국적|nationality|type[\"']?[ \t]*[:=][ \t]*[\"']?P",
    "health_insurance": r"(?i)건강\s*보험|건보|보험증|health[\s_-]?insurance|nhis",
    "iban": r"[A-Z]{2}[0-9]{2}",
    "wrapped_key": r"[A-Za-z0-9/+][ \t]*\r?\n[ \t]*[A-Za-z0-9/+]",
    # a prefix whose first piece is shorter than its token, then a gap; `sk-`/`xox` then a gap that is no plain space
    "token_apart": r"A(?:KIA|SIA|ROA|IDA|GPA|IPA|NPA|NVA|PKA|BIA|CCA)[A-Z0-9]{0,15}[ \t\r\n._\\-]|"
    r"(?:(?:gh[pousr]_|npm_)[A-Za-z0-9_+/=-]{0,35}|github_pat_[A-Za-z0-9_+/=-]{0,81}|glpat-[A-Za-z0-9_+/=-]{0,19}|"
    r"AIza[A-Za-z0-9_+/=-]{0,34}|hf_[A-Za-z0-9_+/=-]{0,33})(?:[ \t]|\\?\r?\n|\.\.\.|…)"
    r"|(?:sk-|xox[abposr])[A-Za-z0-9_+/=-]*(?:[ \t]*[-_][ \t]+|[ \t]+[-_]|\\?\r?\n|\.\.\.|…)|xox[abposr]_[0-9]",
    "letters_apart": r"(?:[!-~] ){9}[!-~]",
    "value_apart": r"(?i)(?:secret|token|key|passw|credential|시크릿|토큰|키|비밀번호|비번)[^\n]{0,40}[:=][^\n]*[A-Za-z0-9/+=]{12}[ \t][A-Za-z0-9/+=]{12}",
    "continued_value": r"[!-\[\]-~]\\\r?\n[ \t]*[A-Za-z0-9+/_-]",
    "encoded": r"[A-Za-z0-9+/_-]{16}",
    "spaced_digits": r"(?:[0-9][ \t.,|/_\r\n\"'-]{1,8}){5}[0-9]|[0-9]</?[A-Za-z][^<>\n]{0,40}>",
    "hex_base32": r"[0-9a-fA-F]{24}|(?:\\x[0-9a-fA-F]{2}){8}|[A-Z2-7]{16}",
    "odd_email": r"@@|\"@|\)@|%[A-Za-z0-9-]+\.[A-Za-z0-9.-]+@|@\[|[^\x00-\x7f][A-Za-z0-9._%+-]{0,64}@|@(?:[A-Za-z0-9-]{1,63}\.){0,8}[^\x00-\x7f]|[A-Za-z0-9]#[A-Za-z0-9-]+\.| @ [A-Za-z0-9]",
    "cloud_client_id": r"(?i)(?:client|unique|account)[_ ]?id[^0-9\n]{0,8}[0-9]{21}",
    "hex_ipv4": r"0[xX][0-9A-Fa-f]{8}|(?i)(?:ip|inet|addr|아이피)[^\n]{0,16}[0-9]{8}",
    "numeric_host": rf"[/@](?:[0-9]{{8}}|0[xX])|(?i:(?:{_NET_COMMANDS}|host|peer|target)[^\n]{{0,200}}?(?:[0-9]{{8}}|0x))"
    r"|0[xX][0-9A-Fa-f]{1,2}\.|0[0-7]{3}\.",
    # Exact gates (each was a search of its own at the detector's start):
    "split_identifiers": _CHAIN_HINT,
    "thousands_identifier": r"[0-9]{3},[0-9]{3},[0-9]{3}",
    "tagged_card": _TAGGED_CARD_HINT,
    "resident_back_half": _BACK_HALF_HINT,
    "vehicle_plate": _PLATE_HINT,
    "ipv6": r"[0-9A-Fa-f]:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:|::[0-9A-Fa-f]{1,4}(?:[^0-9A-Za-z]|$)|[0-9A-Fa-f]::(?:[^0-9A-Za-z:]|$)",
    "ipv6_other": r"[0-9A-Fa-f]{3}(?:[ \t]{1,2}:[ \t]{0,2}|:[ \t]{1,2})[0-9A-Fa-f:]|(?i:ipv6|inet6)"
    r"|(?:^|[^A-Za-z0-9])[vV]6(?:[^A-Za-z0-9.]|$)",
    "hexdump": r"(?m)^[ \t]*[0-9A-Fa-f]{4,16}:?[ \t]+(?:[0-9A-Fa-f]{2,4}[ \t]+[0-9A-Fa-f]{2,4}[ \t]|\S[ \t]+\S[ \t]+\S[ \t]+\S)",
    "spoken_ip": r"[0-9영공일이삼사오육륙칠팔구십백][ \t]{0,3}(?:[점쩜]|닷|(?i)dot|[\[({<][ \t]?(?:\.|(?i)dot|[점쩜])[ \t]?[\])}>])"
    r"[ \t]{0,3}[0-9영공일이삼사오육륙칠팔구십백]|[영공일이삼사오육륙칠팔구십백][ \t]{0,2}\.[ \t]{0,2}[0-9영공일이삼사오육륙칠팔구십백]"
    # plain dots with spaces (192 . 168 . 1 . 2) and underscores (192_168_1_2): see _plain_ip_apart
    r"|[0-9][ \t]+\.[ \t]*[0-9]|[0-9]\.[ \t]+[0-9]{1,3}[ \t]*\.|(?:[0-9]{1,3}[_-]){3}[0-9]"
    r"|[0-9]\.[0-9]{1,3}\.[ \t]*\r?\n[ \t]*[0-9]|[0-9]\.[ \t]*\r?\n[ \t]*[0-9]{1,3}\.[0-9]"  # wrapped after a dot
    r"|(?i:ip|아이피)[^\n]{0,12}[:=][ \t]*[0-9]{1,3} [0-9]{1,3} [0-9]",  # IP: 211 76 224 252
    "spelled_email": r"(?i)(?:^|[^a-z])at[^a-z][^\n]{0,160}?(?:dot|점|쩜|닷|\.)[\s\])}>_-]{0,4}(?:com|net|org|kr|io|ai|dev|app|me|edu|gov|biz|info|jp|cn|us|uk|de|fr|xyz|cloud|site|online|tech|sg|vn|co|컴|넷)(?:[^a-z]|$)"
    # the at and the dot read out in Korean (s36 fixhalves36: 에이티, 엣 as people misspell 앳, 쩜 as they say 점)
    r"|골뱅이|[앳엣]|에이티|[닷쩜][컴넷]|(?i:메일|mail)[ ]?(?:아이디|계정|id)|@[ \t\])}>_-]|[ \t\[({<_-]@|[가-힣][ \t]{0,3}\r?\n[ \t]{0,3}@|(?i)@[a-z0-9-]{1,63}[ \t\[({<_-]{0,4}(?:dot|점|쩜|닷)",
}


# They are gates of the one candidate pass of a masking call (`catalogue.candidates`: the same RE2 set holds the
# catalogue's rules, keywords and gates), so the detectors' families cost no pass of their own.
_GATES = tuple(_FAMILY_PATTERNS.items())
# These take that candidate pass as a third argument (the catalogue's rules run only where it found candidates).
CANDIDATE_DETECTORS = frozenset({"credential"})


# --- profile secrets -----------------------------------------------------------------------------------------

_WS_RE = re.compile(r"\s+")
_LEGAL_FORMS = ("(주)", "주식회사", "(유)", "유한회사", "(합)", "합자회사", "(사)", "사단법인", "(재)", "재단법인")
_LEGAL_FORMS_LATIN = ("co.,ltd.", "co., ltd.", "co.,ltd", "co., ltd", "co.ltd.", "corporation", "corp.", "corp")
_LEGAL_FORMS_LATIN += ("inc.", "inc", "ltd.", "ltd", "llc")
_LEGAL_BEFORE_RE = re.compile(r"(?:\((?:주|유|합|사|재)\)|주식회사|유한회사)\s{0,2}\Z")
_LEGAL_AFTER_RE = re.compile(
    r"\A\s{0,2}(?:\((?:주|유|합|사|재)\)|주식회사|유한회사|,?\s?(?:co\.,?\s?ltd\.?|inc\.?|corp\.?|ltd\.?|llc))", _I
)


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _fold(text: str) -> str:
    """NFKC, the dash/space map, ASCII lower case: the form secrets and texts are compared in."""
    folded = normalise(text).text
    lowered = folded.lower()
    return lowered if len(lowered) == len(folded) else folded.translate(_ASCII_LOWER)


def _core_name(name: str) -> str:
    core = _fold(name)
    changed = True
    while changed:
        changed = False
        for form in (*_LEGAL_FORMS, *_LEGAL_FORMS_LATIN):
            cut = core.removeprefix(form).removesuffix(form).strip(" ,")
            if cut != core and len(cut) < len(core):
                core, changed = cut, True
    return core


@dataclass(frozen=True)
class SecretSet:
    """A company's secrets in every written form, compiled into one Aho-Corasick automaton.

    Keys are the folded variants with whitespace removed; the text is searched in the same form.
    """

    variants: tuple[str, ...]
    automaton: ahocorasick.Automaton | None
    # The variants with a letter, separators removed, searched in the text with its separators removed too
    # (`청운-데이터-랩`, `<b>청운</b>데이터랩`): see `_SEPARATOR_GAP_RE`.
    joined: ahocorasick.Automaton | None = None
    # The first and last character of each joined variant: the pass runs only when a pair is in the text.
    joined_ends: frozenset[tuple[str, str]] = frozenset()

    def __len__(self) -> int:
        return len(self.variants)


def secret_variants(secret: str) -> set[str]:
    """The written forms of one secret: folded, and for company names without or with another legal form; typed as
    the jamo of a Korean keyboard (`ㅊㅓㅇㅇㅜㄴ…`) and as the hex of its UTF-8 (stop 36)."""
    folded = _WS_RE.sub("", _fold(secret.strip()))
    forms = {folded}
    core = _WS_RE.sub("", _core_name(secret))
    if core and core != folded and len(core) >= 2:
        forms.add(core)
    for name in {secret.strip(), _core_name(secret)}:
        squeezed = _WS_RE.sub("", name)
        if len(squeezed) < 2:
            continue
        # hex of the UTF-8, with and without its spaces (an encoder keeps them): only a whole hex word matches, and
        # only six bytes or more with a letter among the hex (the hex of `12` or `AB` is an ordinary number)
        forms |= {h for h in (name.encode().hex(), squeezed.encode().hex()) if len(h) >= 12 and not h.isdigit()}
        if _HANGUL_RE.search(squeezed) is not None:
            forms |= {_WS_RE.sub("", _fold(jamo)) for jamo in _keyboard_jamo(squeezed)}
    return {f for f in forms if len(f) >= 2}


# Compatibility jamo of a syllable's parts (initial, medial, final), and how a keyboard types a compound vowel or
# final: as its two keys (ㅘ is ㅗ then ㅏ, ㄳ is ㄱ then ㅅ).
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_KEYS = {
    "ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ",
    "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ", "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ",
    "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ",
}  # fmt: skip


def _keyboard_jamo(word: str) -> set[str]:
    """`word` with each Hangul syllable as its compatibility jamo: compounds kept, and typed key by key."""
    parts: list[str] = []
    for ch in word:
        index = ord(ch) - 0xAC00
        if 0 <= index < 11172:
            final = _FINALS[index % 28].strip()
            parts.append(_INITIALS[index // 588] + _MEDIALS[index % 588 // 28] + final)
        else:
            parts.append(ch)
    kept = "".join(parts)
    return {kept, "".join(_KEYS.get(c, c) for c in kept)}


@lru_cache(maxsize=256)
def _compile_secret_set(secrets: tuple[str, ...]) -> SecretSet:
    variants: set[str] = set()
    for secret in secrets:
        variants |= secret_variants(secret)
    if not variants:
        return SecretSet((), None)
    automaton = ahocorasick.Automaton()
    for v in variants:
        automaton.add_word(v, len(v))
    automaton.make_automaton()
    joined_forms = {_SEPARATOR_GAP_RE.sub("", v) for v in variants if _JOINABLE_RE.search(v) is not None}
    joined = None
    if joined_forms := {j for j in joined_forms if len(j) >= 3}:
        joined = ahocorasick.Automaton()
        for j in joined_forms:
            joined.add_word(j, len(j))
        joined.make_automaton()
    ends = frozenset((j[0], j[-1]) for j in joined_forms)
    return SecretSet(tuple(sorted(variants)), automaton, joined, ends)


def compile_secrets(secrets: Iterable[str] | SecretSet | None) -> SecretSet | None:
    if secrets is None or isinstance(secrets, SecretSet):
        return secrets
    cleaned = tuple(sorted({s for s in secrets if s and len("".join(s.split())) >= 2}))
    compiled = _compile_secret_set(cleaned)
    return compiled if compiled.automaton is not None else None


def _lower(text: str) -> str:
    lowered = text.lower()  # C speed; the ASCII-only table when a character changes length in lower case
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


def _word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


# A company secret written with separators between its characters (stop 36, the fixco36 probe): `청운-데이터-랩`,
# `청운·데이터·랩` (the view reads · as .), `청운_데이터랩_견적서.xlsx`, `청운/데이터랩`, `**청운**데이터랩`, `<b>청운</b>데이터랩`.
# Spaces are already squeezed out; this second pass also drops a short run (1 to 3) of `-_./*~` and an HTML tag, then
# searches the variants that hold a letter (a number's dots and dashes are its own: `2024` is not in `20.24`), of 3
# characters or more, with those separators dropped too. A longer run of separators (`----`, a rule) still parts.
_SEPARATOR_GAP_RE = re.compile(
    r"\s+|(?<![-_./*~])[-_./*~]{1,3}(?![-_./*~])|</?[A-Za-z][A-Za-z0-9]{0,9}(?:\s[^<>\n]{0,60})?/?>"
)
_JOINABLE_RE = re.compile(r"[^\W\d_]")  # a letter, any script


# The same gaps without `\s+`: whitespace is dropped by one vectorised test of the code points (`\s` of `re` is
# `str.isspace`: normalize's table), the rest by this search; a Python loop over every space of a text cost ~15% of a
# round trip. Written to start with one character class (`re` then skips to the next `-_./*~<` in C; the lookbehind
# first tried a match at every character, ~1.5 ms a 20 KB prompt): `[S](?<![S].)` is `(?<![S])[S]`. One group: `split`
# gives the text between the gaps and the gaps, in C (a match object and a numpy slice per gap cost ~3 us each).
_NON_SPACE_GAP_RE = re.compile(
    r"([-_./*~<](?:(?<=<)/?[A-Za-z][A-Za-z0-9]{0,9}(?:\s[^<>\n]{0,60})?/?>"
    r"|(?<=[-_./*~])(?<![-_./*~].)[-_./*~]{0,2}(?![-_./*~])))"
)


def _joined(text: str) -> tuple[str, np.ndarray]:
    """`_SEPARATOR_GAP_RE.sub("", text)`, and the original index of each character it keeps."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    keep = ~_SPACE_LUT[np.minimum(codes, 0x3001)]
    parts = _NON_SPACE_GAP_RE.split(text)  # text, gap, text, gap, ..., text
    if len(parts) > 1:
        lengths = np.fromiter(map(len, parts), dtype=np.intp, count=len(parts))
        keep &= np.repeat(np.arange(len(parts)) % 2 == 0, lengths)
    return codes[keep].tobytes().decode("utf-32-le", "surrogatepass"), np.flatnonzero(keep)


def _secret_matches(text: str, secrets: SecretSet, out: list[Detection]) -> None:
    squeezed = _lower("".join(text.split()))  # str.split() drops whitespace at C speed
    hits = list(secrets.automaton.iter(squeezed))  # type: ignore[union-attr]
    if hits:
        _place_secret_hits(text, hits, kept_positions(text), out)
    if secrets.joined is not None and any(a in squeezed and b in squeezed for a, b in secrets.joined_ends):
        joined, positions = _joined(text)
        joined_hits = list(secrets.joined.iter(_lower(joined)))
        if joined_hits:
            _place_secret_hits(text, joined_hits, positions, out)


def _place_secret_hits(text: str, hits: list[tuple[int, int]], kept: np.ndarray, out: list[Detection]) -> None:
    for last, length in hits:
        start = int(kept[last - length + 1])
        end = int(kept[last]) + 1
        first, final = text[start], text[end - 1]
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        # Never inside a longer number or word: 2024 is not a secret inside 20241101948.
        if first.isdigit() and before in ",." and start > 1 and text[start - 2].isdigit():
            continue
        if final.isdigit() and after in ",." and end + 1 < len(text) and text[end + 1].isdigit():
            continue
        if (_word_char(first) and _word_char(before)) or (_word_char(final) and _word_char(after)):
            continue
        # A company name takes its legal form with it, before or after: (주)한빛, 한빛 주식회사.
        legal = _LEGAL_BEFORE_RE.search(text, max(0, start - 8), start)
        if legal is not None:
            start = legal.start()
        legal = _LEGAL_AFTER_RE.match(text, end)
        if legal is not None and legal.end() - end <= 16:
            end = legal.end()
        out.append(Detection(SECRET, start, end))


# The company's secrets as base64 of their UTF-8 (`7LKt7Jq0642w7J207YSw656p` is 청운데이터랩, Hangul or not): a base64
# word that decodes to readable text is searched for them like any text, and masked whole when it holds one. The
# word finder is the ENCODED detector's, and only words with a digit or padding are decoded (`_decoded_text`, whose
# cache the ENCODED detector has just filled with the same words).


def _encoded_secrets(text: str, secrets: SecretSet, out: list[Detection], words: list[tuple[int, int]]) -> None:
    for m in _in_runs(_B64_WORD_RE, text, words, 16, 64):
        start, end = m.span()
        decoded = _decoded_text(m.group())
        if decoded is None:
            continue
        hits: list[Detection] = []
        _secret_matches(normalise(decoded).text, secrets, hits)
        if hits:
            out.append(Detection(SECRET, start, end))
    for lines, decoded in _base64_bodies(text, words):
        hits = []
        _secret_matches(normalise(decoded).text, secrets, hits)
        out.extend(Detection(SECRET, *_lines_holding(lines, decoded, d.start, d.end)) for d in hits)


# --- detection -----------------------------------------------------------------------------------------------


def protected_tokens(text: str) -> list[tuple[int, int]]:
    """The spans of tokens already in `text`: no detection may touch them (masking is idempotent)."""
    return [m.span() for m in TOKEN_RE.finditer(text)] if TOKEN_PREFIX in text else []


def merge_detections(text: str, candidates: list[Detection]) -> list[Detection]:
    """Detections of `text` from several readings, overlaps merged (see `_merge`), none touching a token."""
    return _merge(candidates, protected_tokens(text))


def _merge(candidates: list[Detection], protected: Sequence[tuple[int, int]]) -> list[Detection]:
    """Resolve overlaps: a cluster of overlapping detections becomes their union, typed by the longest.

    Taking the union rather than dropping the shorter one means a partial overlap (a secret that ends in
    the middle of a phone number) never leaves a detected piece in clear. Candidates touching a token that
    was already in the text are dropped, so masking is idempotent.
    """
    if protected:
        candidates = [c for c in candidates if not _overlaps_any(c, protected)]
    if not candidates:
        return []
    candidates.sort(key=lambda d: (d.start, -(d.end - d.start)))
    merged: list[Detection] = []
    cluster_start, cluster_end, best = candidates[0].start, candidates[0].end, candidates[0]
    for cand in candidates[1:]:
        if cand.start < cluster_end:
            cluster_end = max(cluster_end, cand.end)
            if cand.end - cand.start > best.end - best.start or (
                cand.end - cand.start == best.end - best.start and best.kind == CREDENTIAL and cand.kind != CREDENTIAL
            ):
                best = cand  # the longest; of equal spans, a specific type before a credential read from its label
            continue
        merged.append(Detection(best.kind, cluster_start, cluster_end))
        cluster_start, cluster_end, best = cand.start, cand.end, cand
    merged.append(Detection(best.kind, cluster_start, cluster_end))
    return merged


def _overlaps_any(d: Detection, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether `d` overlaps one of `spans` (sorted, disjoint): only the span starting last before d.end."""
    i = bisect.bisect_left(spans, (d.end,)) - 1
    return i >= 0 and spans[i][1] > d.start


_NUMBER_KINDS = frozenset([RRN, FRN, BRN, CRN, PHONE, CARD, BANK_ACCOUNT, DRIVER_LICENSE, HEALTH_INSURANCE])


def zero_placeholder(value: str) -> bool:
    """A form's placeholder, not a number: zeros after the first group (`000000-0000000`, `010-0000-0000`,
    `000-00-00000`). No 주민번호, phone line, account or card is all zeros there."""
    digits = [c for c in value if c.isdigit()]
    return len(digits) >= 8 and set(digits[3:]) == {"0"}


def detect_view(
    view: View, secrets: SecretSet | None = None, detectors: Iterable[str] | None = None
) -> list[Detection]:
    """Detections in the normalised text of `view`, as spans of the ORIGINAL text, sorted and disjoint."""
    text = view.text
    protected = protected_tokens(text)
    found: list[Detection] = []
    names = DETECTORS if detectors is None else tuple(detectors)
    runs = digit_runs(text) if any(name in DIGIT_DETECTORS for name in names) else []
    candidates = catalogue.candidates(text, _GATES)
    families = candidates.present
    words = word_runs(text) if not WORD_DETECTORS.isdisjoint(families) else []
    for name in names:
        if name in DIGIT_DETECTORS:
            if runs:
                DIGIT_DETECTORS[name](text, found, runs)
        elif name in WORD_DETECTORS:
            if words and name in families:
                OTHER_DETECTORS[name](text, found, words)  # type: ignore[call-arg]
        elif name in CANDIDATE_DETECTORS:
            OTHER_DETECTORS[name](text, found, candidates)  # type: ignore[call-arg]
        elif name in families or name not in _FAMILY_PATTERNS:
            OTHER_DETECTORS[name](text, found)
    if secrets is not None and secrets.automaton is not None:
        _secret_matches(text, secrets, found)
        if "encoded" in families:  # a word of 16 base64 characters somewhere (the candidate pass)
            _encoded_secrets(text, secrets, found, words or word_runs(text))
    found = [d for d in found if d.kind not in _NUMBER_KINDS or not zero_placeholder(text[d.start : d.end])]
    merged = _merge(found, protected)
    if view.identity:
        return merged
    return _merge([Detection(d.kind, *view.span(d.start, d.end)) for d in merged], [])


def detect(
    text: str, secrets: SecretSet | Iterable[str] | None = None, detectors: Iterable[str] | None = None
) -> list[Detection]:
    """All detections in `text`, sorted and non-overlapping. Tokens already in the text are skipped."""
    return detect_view(normalise(text), compile_secrets(secrets), detectors)


assert unicodedata.normalize("NFKC", "㈜") == "(주)"
