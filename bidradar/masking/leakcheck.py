"""The second line: an independent, deliberately paranoid scan of every text about to leave the machine.

The masker's detectors decide by validated shape and context, so a gap in one of them is a gap in the mask.
This check shares none of their patterns: it refuses whole classes of shapes, valid or not, and lets through
only a short, explicit list of ordinary things (dates, G2B notice numbers, prices, outline numbers,
hashes) that a bid prompt is full of. A refusal names the class that tripped and where, never the value.

Classes: `DIGITS` (9 or more digits in one run, also across single `-`, `.`, space or line-break separators),
`AWSKEYID` (any 20-character `A[A-Z0-9]{19}` word), `S3BUCKET` (a name with a letter and a digit, dash or dot
after any key that says bucket: `bucket:`, `bucketId=`, `S3_BUCKET_NAME:`), `EMAIL` (any e-mail shape), `IPV4` (any dotted quad of
valid octets that is not an outline number like 3.2.1.4), `BASE64SECRET` (40 base64 characters with upper,
lower case and digits, the shape of an AWS secret key), `AWSTOKEN` (an STS session token), `AWSHOST`
(`ip-10-0-3-17`, `ec2-3-35-1-2`), `SECRET` (a company secret in any written form), `CREDENTIAL` (a private
key header, `user:pass@` in a URL, a provider token prefix, a value after a password or token name; plain `re`,
none of the catalogue's rules).

Ordinary numbers it lets through (measured by tests/test_masking_policy.py on a corpus of technical and notice
texts): years, dates with or without a time (`2025.02.06 9:00`), G2B notice numbers new and old
(`20243170669-00`), decimals, versions, barcodes a barcode word names, amounts, codes glued to capitals, hashes,
epoch seconds and milliseconds (2001-2040), byte sizes, and numbers a technical or procurement name labels
(`resourceVersion`, `계약번호`, `조달요청번호`, `pid`, `port`, `request id` ...).
"""

from __future__ import annotations

import base64
import bisect
import contextlib
import datetime as dt
import functools
import ipaddress
import re
from collections.abc import Callable, Iterable
from itertools import pairwise

import re2

from bidradar.masking.catalogue import TERRAFORM_REFERENCE, line_of_a_blob, no_value, reference_at
from bidradar.masking.detect import nobodys_network, service_number, version_named_before, zero_placeholder
from bidradar.masking.normalize import IDENTIFIER_GROUPINGS, column_header, metric_sample_timestamp, normalise

LEAK_CLASSES = (
    "DIGITS",
    "AWSKEYID",
    "S3BUCKET",
    "EMAIL",
    "IPV4",
    "IPV6",
    "BASE64SECRET",
    "AWSTOKEN",
    "AWSHOST",
    "SECRET",
    "CREDENTIAL",
    "PASSPORT",
    "ENCODED",
)


class MaskingLeakError(RuntimeError):
    """A text about to be sent still contains something of a refused class. Nothing was sent.

    The message names the class and position only, never the value, so it is safe to log.
    """

    def __init__(self, kind: str, start: int, end: int, total: int = 1) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.total = total
        more = f" (and {total - 1} more)" if total > 1 else ""
        super().__init__(
            f"masking leak: a {kind} value remains at characters {start}..{end} of the outgoing text{more};"
            " the call was refused and nothing was sent"
        )


_A = re.ASCII
# A type may hold a digit (S3BUCKET): its tokens were read as text, and their hex wrapped onto a date as a key id.
# Case-insensitive (`ſ`, the Kelvin sign read as s and k, as ever) but its first letter, whose only forms are M and
# m: a class first lets `re` skip to the next m in C. One group: `split` hands the tokens over without a callback.
_TOKEN = re.compile(r"([Mm](?i:ASK[_-][A-Z][A-Z0-9]{1,11}[_-][0-9A-F]{16}))")
_LONG_RUN = re.compile(
    r"[0-9][0-9 \t.)~\r\n-]{7,}[0-9]"
)  # cheap pre-filter: only 9+ characters of digits and separators
# Separators: a dash, dot or tilde (also at a line end), a space or tab, a line break, the ")" of an area code.
_RUN = re.compile(r"[0-9]+(?:(?:[ \t]?[-.)~][ \t]?(?:\r?\n[ \t]?)?|[ \t]|[ \t]?\r?\n[ \t]?)[0-9]+)*")
_KEY_ID = re.compile(r"A[A-Z0-9]{19}", _A)
# Anchored on "@" (the engine skips to it in C); the local part is read backwards, so the whole address is
# masked when a residue is found, not only its last character.
_EMAIL = re.compile(r"@(?<=[A-Za-z0-9._%+-]@)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", _A)
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+-]{1,64}\Z", _A)
_DODGED_EMAIL = re.compile(
    r"[A-Za-z0-9._%+-]\s?[\[({]\s?(?:at|@|골뱅이)\s?[\])}]\s?[A-Za-z0-9-]+(?:\s?(?:\.|[\[({]\s?(?:dot|\.)\s?[\])}])\s?[A-Za-z0-9-]+)+",
    re.IGNORECASE,
)
# A plain at with defanged dots in the domain (s36 fixco36: `dev-ops44@cwdl[.]kr`, `hs.kim7@naver(.)com`,
# `jiwoo.park63@cwdl . kr`); with spaced dots only, the last label must be a top-level domain (`me@home . Then`).
_DEFANGED_DOT = r"(?:\.|[ \t]?[\[({][ \t]?(?:dot|\.)[ \t]?[\])}][ \t]?|[ \t]{1,2}\.[ \t]{1,2})"
_DEFANGED_EMAIL = re.compile(
    rf"@(?<=[A-Za-z0-9._%+-]@)[A-Za-z0-9-]+(?:{_DEFANGED_DOT}[A-Za-z0-9-]+){{0,8}}{_DEFANGED_DOT}([A-Za-z]{{2,}})"
    r"(?![A-Za-z0-9-])",
    re.IGNORECASE,
)
# IPv6: hex groups and colons (an IPv4 tail and a zone allowed), judged by the standard library (own pattern).
_COLON_HEX = re.compile(
    r"(?<![0-9A-Za-z_:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:[0-9.]{7,15})?(?:%[A-Za-z0-9_.-]{1,16})?"
    r"(?![0-9A-Za-z_:])"
)
# IPv6 in other dress (s36): a UNC host name of Windows (dashes for colons, `s` for the zone, then `.ipv6-literal.net`)
# and colons with spaces around them (`2404 : f340 : 10 : 3 :  : a1`: four groups or more, a first of 3-4 hex
# digits). The same standard library judges them.
_LITERAL_NET_HOST = re.compile(
    r"(?<![0-9A-Za-z-])([0-9A-Fa-f]{0,4}(?:-[0-9A-Fa-f]{0,4}){2,7})(?:s[0-9A-Za-z]{1,16})?\.ipv6-literal\.net",
    re.IGNORECASE,
)
_SPACED_COLON_HEX = re.compile(
    r"(?<![0-9A-Za-z_:.])[0-9A-Fa-f]{3,4}(?:[ \t]{0,2}:[ \t]{0,2}[0-9A-Fa-f]{0,4}){3,7}(?![0-9A-Za-z_:])"
)
# E-mail addresses spelled out (kim at example dot com, kim 골뱅이 naver 점 com, kim @ example dot co dot kr):
# a word, a spelled or spaced at, labels joined by spelled or written dots, a top-level domain last.
# The at and the dot in Korean too: 에이티 and 엣 (앳 as people misspell it), 쩜 (점 as people say it), s36.
_SPELLED_EMAIL = re.compile(
    r"(?:(?<![A-Za-z])at(?![A-Za-z])|골뱅이|에이티|[앳엣]|@)\s{0,3}[\])>}_-]?\s{0,3}"
    r"([A-Za-z0-9-]{1,63})(?:\s{0,3}(?:\.|[\[(<{_-]?\s{0,3}(?:dot|점|쩜|닷)\s{0,3}[\])>}_-]?)\s{0,3}[A-Za-z0-9-]{1,63}){0,6}"
    r"\s{0,3}(?:\.|[\[(<{_-]?\s{0,3}(?:dot|점|쩜|닷)\s{0,3}[\])>}_-]?)\s{0,3}([A-Za-z]{2,6}|컴|넷)(?![A-Za-z0-9-])",
    re.IGNORECASE,
)
# Before the at: the local part, then spaces or an opening bracket (read backwards from the at).
_LOCAL_BEFORE_AT = re.compile(r"[A-Za-z0-9._%+-]{1,64}(\s{0,3}[\[(<{_-]?\s{0,3})\Z")
_MAIL_PROVIDERS = frozenset(
    ["gmail", "naver", "daum", "hanmail", "kakao", "nate", "outlook", "hotmail", "yahoo", "icloud", "proton", "korea"]
)
_TLD_WORDS = frozenset(
    [
        "com",
        "net",
        "org",
        "kr",
        "io",
        "ai",
        "dev",
        "app",
        "me",
        "edu",
        "gov",
        "biz",
        "info",
        "jp",
        "cn",
        "us",
        "uk",
        "de",
        "fr",
        "xyz",
        "cloud",
        "site",
        "online",
        "tech",
        "sg",
        "vn",
        "co",
        "컴",
        "넷",
    ]
)
# The local part's pieces spelled before it (`minsu dot kim at …`, `minsu 점 kim 골뱅이 …`): read back through
# spelled dots, a plain dot only with spaces on both sides (`him. kim at …` is a sentence's end). Its own pattern.
_SPELLED_PIECE_BEFORE = re.compile(
    r"(?:^|(?<=[^A-Za-z0-9._%+-]))[A-Za-z0-9_%+-]{1,64}(?:\s{1,3}\.\s{1,3}|\s{0,3}[\[(<{_-]?\s{0,3}(?:dot|점|쩜|닷)\s{0,3}[\])>}_-]?\s{0,3})\Z",
    re.IGNORECASE,
)


def _spelled_pieces_start(text: str, start: int) -> int:
    for _ in range(4):
        piece = _SPELLED_PIECE_BEFORE.search(text, max(0, start - 80), start)
        if piece is None or piece.group().split(None, 1)[0].lower() in ("i", "me", "you", "we", "us", "them", "it"):
            return start
        start = piece.start()
    return start


# Its own words (not the detectors'): a word that names an IP address, then 8-10 digits. A server, host or address
# word alone (`서버\t42878020`, a cost table's row) or a tab (a table's next cell) is no such word.
_DECIMAL_IP = re.compile(
    r"(?i)(?<![a-z])(?:ip|ipv4|inet|(?:src|dst|host|client|remote)[ _-]?(?:ip|addr(?:ess)?)|ip[ _-]?addr(?:ess)?|"
    r"(?:서버\s?)?(?:ip|아이피)\s?주소|아이피)(?:[ _-]?(?:addr(?:ess)?|주소))?"
    r"[\"']?[ ]{0,2}[:=]?[ ]{0,2}[\"']?([0-9]{8,10})(?![0-9.])"
)
# An address where a host stands, in inet_aton's other forms: one decimal or hex integer as a URL's host, after
# `user@`, after a network command on its line or a host name's key (`ping 167772161`, `http://3232235777/`,
# `ssh root@0xC0A80101`); dotted parts with a 0x part or a leading four-digit octal one (`0xC0.0xA8.0x01.0x01`,
# `0300.0250.1.1`) anywhere. Its own words, not the detectors'.
# RE2 (linear): a consumed boundary before instead of a lookbehind, a word boundary after (group 1 is the value).
_HOST_INTEGER = re2.compile(
    r"(?i)(?:://(?:[^\s/@]{1,64}@)?|[a-z0-9._-]@|(?:^|[^a-z0-9_-])(?:ping6?|traceroute6?|tracert|tracepath|mtr|telnet|nc|"
    r"ncat|netcat|nmap|ssh|sftp|scp|ftp|curl|wget|nslookup|dig|whois|arping|fping|hping3|mosh|rsync|xfreerdp|"
    r"rdesktop|redis-cli|mysql|psql|mongosh?|iperf3?)(?:[ \t]+--?[a-z0-9-]{1,24}(?:[ =][0-9]{1,5})?){0,6}[ \t]+|"
    r"(?:^|[^a-z0-9])(?:--host(?:name)?[ =]|(?:host(?:name)?|remote_?host|peer|target)[\"']?[ ]{0,2}[:=][ ]{0,2}[\"']?))"
    r"(0x[0-9a-f]{1,8}|[0-9]{8,10})\b"
)
_ODD_QUAD = re2.compile(
    r"(?:^|[^0-9A-Za-z.])((?:0[xX][0-9A-Fa-f]{1,2}|[0-9]{1,4})(?:\.(?:0[xX][0-9A-Fa-f]{1,2}|[0-9]{1,4})){3})"
    r"\b"
)


# Loopback as written (127.0.x.x), 0.0.0.0, 240.0.0.0 and above (reserved: the broadcast address and netmasks,
# 255.255.255.0) are the same on every machine: nobody's (s36 fixpii), as are the networks of private and
# special-purpose space written as CIDR (10.0.0.0/8, 10.20.0.0/16, fe80::/10: detect.nobodys_network, s37).
_SLASH_PREFIX = re.compile(r"/([0-9]{1,2})(?![0-9.])")
_V6_LENGTH = re.compile(r"/([0-9]{1,3})(?![0-9])")


def _same_everywhere(numbers: list[int], text: str, end: int) -> bool:
    slash = _SLASH_PREFIX.match(text, end)
    if slash is not None:  # a network of nobody's space (detect.nobodys_network, s37: 10.20.0.0/16 too)
        return nobodys_network(".".join(map(str, numbers)), int(slash.group(1)))
    return numbers[:2] == [127, 0] or numbers[0] >= 240 or numbers == [0, 0, 0, 0]


def _point_then(text: str, end: int, kind: Callable[[str], bool]) -> bool:
    return text[end : end + 1] == "." and kind(text[end + 1 : end + 2] or " ")


def _aton(value: str) -> int | None:
    """inet_aton's reading of 1-4 dotted parts (decimal, 0x hex, 0-led octal)."""
    numbers = []
    for part in value.lower().split("."):
        base = 16 if part.startswith("0x") else 8 if len(part) > 1 and part[0] == "0" else 10
        try:
            numbers.append(int(part[2:] if base == 16 else part, base))
        except ValueError:
            return None
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 1 << (8 * (5 - len(numbers))):
        return None
    value_ = 0
    for n in numbers[:-1]:
        value_ = (value_ << 8) | n
    return (value_ << (8 * (5 - len(numbers)))) | numbers[-1]


_QUAD = re.compile(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}", _A)
# Starts on a base64 character that follows none: each word is tried once, from its first character.
_B64 = re.compile(r"[A-Za-z0-9/+](?<![A-Za-z0-9/+].)[A-Za-z0-9/+]{39,}={0,2}", _A)
_DASHED_IP = re.compile(r"[iIeE](?:[pP]|[cC]2)-[0-9]{1,3}-[0-9]{1,3}-[0-9]{1,3}-[0-9]{1,3}", _A)
_STS_PREFIXES = ("FwoGZXIvYXdz", "FQoGZXIvYXdz", "IQoJb3JpZ2lu", "AgoJb3JpZ2lu")
_SEPARATORS = re.compile(r"[^0-9]+")
_DROP_SEPARATORS = str.maketrans("", "", " \t.-)~\r\n")
# Korean and English price words, and G2B's field names for amounts (presmptPrce, bdgtAmt, VAT).
_PRICE_WORDS = re.compile(
    r"금액|가격|예가|₩|(?<![A-Za-z])(?:price|prce|amount|amt|budget|vat|won|KRW)|(?-i:Price|Prce|Amount|Amt|Budget|Vat)"
    r"|(?:price|prce|amount|amt|budget)(?![A-Za-z])",  # a word boundary on one side at least (private holds vat)
    re.IGNORECASE,
)
_PRICE_UNIT = re.compile(r"\s{0,2}(?:원|won|KRW)", re.IGNORECASE)
# With G2B's field names for product classification numbers (dtilPrdctClsfcNo, purchsObjPrdctList).
_PRODUCT_WORDS = re.compile(
    r"물품|품목|품명|분류번호|상품|바코드|product|item|EAN|GTIN|UNSPSC|prdct|clsfc", re.IGNORECASE
)
_BARCODE_WORDS = re.compile(
    r"바코드|상품\s*코드|barcode|(?<![A-Za-z])(?:EAN|GTIN|JAN|UPC|ISBN)(?:[_-]?(?:8|1[234]))?(?![A-Za-z])",
    re.IGNORECASE,
)
_BANK_WORDS = re.compile(
    r"은행|뱅크|[카케토]뱅|bank|계좌|account|입금|예금주|송금|이체|농협|신협|우체국|KB|NH|IBK", re.IGNORECASE
)
# A bank named right after a number (`… 20243170669-00 (국민은행)`, `… 국민`): the number is its account.
_BANK_RIGHT_AFTER = re.compile(
    r"[ \t)(/,:-]{0,3}(?:[가-힣]{0,4}(?:은행|뱅크)|[카케토]뱅|농협|수협|신협|우체국|국민|신한|우리|하나|기업|카카오|토스|"
    r"(?:KB|NH|IBK|SC)(?![A-Za-z]))"
)
# Names that label a number as a technical or procurement identifier, not a person's or an account's.
_LABEL_WORDS = re.compile(
    r"resource_?version|generation|revision|uid|pid|port|inode|offset|seq(?:uence)?|request[_ ]?id|trace[_ ]?id|"
    r"span[_ ]?id|build|job|run[_ ]?id|commit|bytes?|size|length|timestamp|epoch|_ms|millis|nanos|serial|"
    r"memory|capacity|storage|quota|windows|version|버전|kernel|release|"
    r"계약\s*번호|조달\s*요청\s*번호|요청\s*번호|공고\s*번호|입찰\s*번호|계약\s*건?\s*번호|발주\s*번호|사업\s*번호|"
    r"문서\s*번호|접수\s*번호|주문\s*번호|품목\s*번호|분류\s*번호|물품\s*번호|식별\s*번호|운?송장(?:\s*번호)?|tracking|"
    # registry and document numbers of bid documents: patents and marks, tax invoices, R&D projects
    r"특허(?:\s*제)?|실용신안(?:\s*제)?|출원\s*번호|상표(?:\s*제)?|디자인(?:\s*제)?|승인\s*번호|과제\s*번호|"
    r"고유\s*번호|PNU|S/N|시리얼(?:\s*번호)?|일련\s*번호|제조\s*번호|"
    # goods' codes (조달청's 세부품명번호, a barcode's GS1 prefix after 상품코드) and registered mail / registry numbers
    r"품명\s*번호|(?:상품|제품|자재)\s*코드|등기\s*번호(?:\s*제)?",
    re.IGNORECASE,
)
# Names of a time (epoch seconds or milliseconds): ts, time, date, created_at, updatedAt, expires.
_TIME_LABEL_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])ts|(?<![A-Za-z])(?:date|time)|(?-i:(?<=[a-z])(?:Date|Time))|[_-](?:date|time)|_at|(?-i:(?<=[a-z])At)|"
    r"created|updated|modified|expires?)[\"']?[\s:=\"'#,]{0,4}\Z",
    re.IGNORECASE,
)
_LABEL_BEFORE = re.compile(rf"(?:{_LABEL_WORDS.pattern})[\s:=\"'#]{{0,4}}\Z", re.IGNORECASE)
# Names of a code that is no person's number (s36 fixord36): a parcel's tracking reference, a trade's 거래번호, a
# budget item's 예산과목, a part's 품번, a NATO stock number, a 누리장터 notice. Only right before the number, and only
# for a number shaped like none of a person's (see `_code_labelled`): `거래번호 문의 010-…` or `품번 900101-…` stay.
_CODE_LABEL_BEFORE = re.compile(
    r"(?:tracking[\s_-]*(?:ref(?:erence)?|no|number|#)?|거래\s*번호|예산\s*과목(?:\s*코드)?|품번|(?<![A-Za-z])nsn|"
    r"누리장터(?:\s*공고)?|공고)[\s:=\"'#.]{0,4}\Z",
    re.IGNORECASE,
)
_SIZE_UNIT = re.compile(r"\s{0,2}(?:bytes?|B\b|[KMGTP]i?B\b|바이트|건|개|명|회|원)", re.IGNORECASE)
_DATE_PREFIX = re.compile(r"(?:19|20)[0-9]{2}[.\-/ ]{1,2}[0-9]{1,2}[.\-/ ]{1,2}[0-9]{1,2}")
_HEX_WORD = re.compile(r"[0-9a-fA-F]{8,}(?:-[0-9a-fA-F]{4,}){2,}|[0-9a-fA-F]{16,}", _A)


# A table column named for an address (its own words, not the detectors'): ip, src_ip, clientIp, ip_addr, 아이피.
_IP_HEADER = re.compile(
    r"(?:(?:[A-Za-z]{1,10}[_ -])?ip|[a-z]{1,10}Ip)(?:v4)?(?:[ _]?(?:addr(?:ess)?|주소))?|아이피|remote_?addr", re.I
)


def _is_timestamp(digits: str) -> bool:
    if len(digits) not in (8, 10, 12, 14) or digits[:2] not in ("19", "20"):
        return False
    try:
        dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    rest = digits[8:]
    return all(int(rest[i : i + 2]) < (24 if i == 0 else 60) for i in range(0, len(rest), 2))


def _resident_shaped(digits: str) -> bool:
    """13 digits that begin with a real yymmdd and a gender digit 1-8 (epoch milliseconds can look so)."""
    if len(digits) != 13 or digits[6] not in "12345678":
        return False
    century = 1900 if digits[6] in "1256" else 2000
    try:
        born = dt.date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    return born <= dt.date.today()


def _iban_before(text: str, start: int, end: int) -> bool:
    """Two capitals right before the digits that make a valid IBAN with them (ISO 13616 mod 97)."""
    if start < 2 or not text[start - 2 : start].isalpha() or not text[start - 2 : start].isupper():
        return False
    tail = re.match(r"[A-Z0-9]*", text[end : end + 30]).group()  # type: ignore[union-attr]
    value = text[start - 2 : end] + tail
    if not 15 <= len(value) <= 34:
        return False
    return int("".join(str(int(c, 36)) for c in value[4:] + value[:4])) % 97 == 1


def _barcode(digits: str, named: bool) -> bool:
    """An EAN-13 with a valid check digit that a barcode word (or column) names, or an ISBN (978/979) named or not;
    any other 13 digits with a date and a gender digit read as a 주민번호 (the 주민 check digit proves nothing since
    October 2020)."""
    if len(digits) != 13:
        return False
    ean = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    if (10 - ean % 10) % 10 != int(digits[12]):
        return False
    return named or digits.startswith(("978", "979"))


# Words that name a number as a person's, an account's or a company's; a run of digits written one by one is
# ordinary data (a matrix row, survey answers, cells of a table) without one of them before it.
_ID_WORDS = re.compile(
    r"주민|외국인|등록|생년|번호|전화|연락|휴대|핸드폰|폰|팩스|계좌|은행|입금|카드|결제|사업자|법인|면허|보험|여권|"
    r"tel|phone|mobile|fax|bank|account|card|rrn|ssn|brn|no\.|_no|number|contact|reg|corp|resident|alien",
    re.IGNORECASE,
)


def _numbering(groups: list[str]) -> bool:
    """1 2 3 4 5 6 7 8 9 10 11, 0 0 0 0 0 0 0 0 0: a constant step of at most one is numbering or padding."""
    if len(groups) < 4 or any(len(g) > 6 for g in groups):
        return False
    if len(set(groups)) == 1:
        return True
    numbers = [int(g) for g in groups]
    steps = {b - a for a, b in pairwise(numbers)}
    return len(steps) == 1 and abs(next(iter(steps))) <= 1


def _ordinary_singles(text: str, start: int, digits: list[str], run: str = "") -> bool:
    """Digits written one by one that are data, without an identifier word before them: a row of 0s and 1s, or a
    grid (three or more lines of the same number of digits: a matrix, a sudoku)."""
    if _numbering(digits):
        return True
    if _ID_WORDS.search(text, max(0, start - 60), start) is not None:
        return False
    if set(digits) <= {"0", "1"}:
        return True
    lines = [sum(c.isdigit() for c in line) for line in run.split("\n")]
    return len(lines) >= 3 and len(set(lines)) == 1 and lines[0] >= 3


def _ordinary_number(text: str, start: int, end: int, run: str) -> bool:
    """The explicit allow-list: shapes of 9+ digits that are ordinary in bid texts."""
    groups = [g for g in _SEPARATORS.split(run) if g]
    digits = "".join(groups)
    seps = _SEPARATORS.findall(run)
    before = text[start - 1] if start else ""
    if _numbering(groups) or (
        sum(len(g) == 1 for g in groups) * 2 > len(groups) and _ordinary_singles(text, start, groups, run)
    ):
        return True
    if len(groups) == 1 and before.isupper() and _iban_before(text, start, end):
        return False  # DE89370400440532013000: an IBAN, whatever else its digits look like (a hex word)
    if zero_placeholder(digits):
        return True  # a form's placeholder: 000000-0000000, 010-0000-0000
    if _service_number_in(text, start, groups, seps) and not _bank_near(text, start, end):
        return True  # 080-023-5000, 정부24 1588-2188: an organisation's number (detect's numbering plan)
    if all(len(g) == 4 and g[:2] in ("19", "20") for g in groups):
        return True  # years: 2023 2024 2025
    if _is_timestamp(digits):
        return True  # 2026-11-22 10, 20261122093000
    notice_shaped = len(groups) == 1 or (len(groups) == 2 and len(groups[1]) <= 3)
    if (  # a G2B notice number, new (20241101948-00) or old (20243170669-00), unless a bank word names an account
        notice_shaped
        and len(groups[0]) == 11
        and groups[0].startswith("20")
        and (
            "01" <= groups[0][4:6] <= "12"
            or (
                _BANK_WORDS.search(text, max(text.rfind("\n", 0, start) + 1, start - 24), start) is None
                and _BANK_RIGHT_AFTER.match(text, end) is None
            )
        )
    ):
        return True
    if _is_timestamp(groups[-1]) and len(groups[-1]) == 8 and all(len(g) <= 2 for g in groups[:-1]):
        return True  # a version and a release date: claude-haiku-4-5-20251001
    header = column_header(text, start) if len(groups) == 1 else None
    if header is not None and len(digits) <= 10 and _IP_HEADER.fullmatch(header.strip(" \t\"'")) is not None:
        return False  # an address as one integer in an `ip` / `src_ip` / `아이피` column
    date = _DATE_PREFIX.match(run)
    if date is not None and all(len(g) <= 2 for g in _SEPARATORS.split(run[date.end() :]) if g):
        return True  # a date and a time: 2025.02.06 9:00, 2025-02-06 09 30
    if (
        len(groups) == 1
        and len(digits) in (10, 13, 16, 19)
        and (
            _TIME_LABEL_BEFORE.search(text, max(0, start - 24), start) is not None
            or (header is not None and _TIME_LABEL_BEFORE.search(header + ":") is not None)
            or metric_sample_timestamp(text, start, end)
        )
    ):
        # epoch s/ms/us/ns: "ts": 1701011234567, createdAt, a column `updated_at`, a Prometheus sample's time
        return True
    if _LABEL_BEFORE.search(text[max(0, start - 40) : start]) or _SIZE_UNIT.match(text, end):
        return True  # resourceVersion: "123456789", 계약번호 2024123456789, 5368709120 bytes
    if _code_labelled(text, start, end, digits):
        return True  # 품번 123-456-789, 예산과목 1234-567-890, nsn 1234-56-789-0123, tracking ref 12345-67890
    if _date_range(groups, seps) and not _personal_context(text, start):
        return True  # 기간: 20261201-20261231
    if (
        len(groups) == 1
        and len(digits) in (10, 13)
        and "1" <= digits[0] <= "2"
        and not _resident_shaped(digits)
        and _BANK_WORDS.search(text, max(0, start - 24), start) is None
        and not _personal_context(text, start)
    ):
        seconds = int(digits[:10])
        if 978_307_200 <= seconds <= 2_208_988_800:  # epoch seconds or milliseconds of 2001-2040
            return True
    if len(groups) == 2 and seps[0].strip() == "." and len(groups[0]) <= 3:
        return True  # a decimal: 0.87745123
    if [len(g) for g in groups] == [4, 2, 4] and seps[0] == "." and seps[1] == "-":
        return True  # an HS code (HSK 3907.68-8046, on every import notice); no identifier is written 4.2-4
    if before in "vV" and before and all(s == "." for s in seps):
        return True  # a version: v10.0.19041.1
    named = _BARCODE_WORDS.search(text, max(0, start - 24), start) is not None or (
        header is not None and _BARCODE_WORDS.search(header) is not None
    )
    if _barcode(digits, named):
        return True  # ISBN 978-89-6848-123-4, 바코드 8801234567893
    if before == "-" and start >= 2 and text[start - 2].isalpha():
        return True  # a number glued to a word by its dash: 조달청-2023-037664, RS-2023-69237052 (a document's code)
    if len(groups) == 1:
        if before.isascii() and before.isupper():
            return True  # a code glued to capitals: R26BK0170679201
        if digits.endswith("0000") or _PRICE_UNIT.match(text, end) or _price_named(text, start):
            return True  # an amount
        if len(digits) == 10 and (
            _PRODUCT_WORDS.search(text, max(0, start - 24), start) is not None
            or (before == "^" and text[end : end + 1] == "^")
        ):
            return True  # a product classification number (G2B lists them as [1^4321150301^의자])
    for hexword in _HEX_WORD.finditer(text, max(0, start - 40), min(len(text), end + 40)):
        if hexword.start() <= start and hexword.end() >= end and not hexword.group().replace("-", "").isdigit():
            return True  # part of a hash or a UUID
    return not _could_be_identifier(text, start, end, groups, seps)


# Words that name a number as a person's or an account's (not a notice's, an order's or a file's).
_PERSONAL_WORDS = re.compile(
    r"주민|외국인|등록|생년|전화|연락|휴대|핸드폰|폰|팩스|계좌|은행|[카케토]뱅|입금|송금|이체|카드|결제|면허|보험|여권|사업자|법인|"
    r"고객|회원|tel|phone|mobile|fax|bank|account|acct|iban|card|rrn|ssn|brn|crn|bizno|biz_no|corp|reg|resident|"
    r"alien|passport|licen[cs]e|insurance|member|customer|arn:|aws|principal|owner|client_?id|unique_?id|건보|신분증|"
    r"ssn|예금주",
    re.IGNORECASE,
)
_CARD_IIN = re.compile(r"4|5[1-5]|2[2-7]|3[0-9]|6|9")
_VERSION_BEFORE = re.compile(r"(?:[vV]|[0-9]\.)\Z")
_CODE_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:(?:CVE|GHSA|CWE|RFC|KB|ISO|KS)[ -]?|(?:ISBN|ISSN|GTIN|EAN|OID)[^0-9\n]{0,4})\Z", re.IGNORECASE
)


def _service_number_in(text: str, start: int, groups: list[str], seps: list[str]) -> bool:
    """Whether the run is an organisation's number (detect.service_number: 대표번호, 080), its groups as written,
    maybe behind `+82` or beside a short number a space joined to it (`정부24 1588-2188`) that is no value alone."""
    if groups[0] == "82" and start and text[start - 1] == "+":  # +82-1588-0800, +82 80-023-5000
        national = "".join(groups[1:])
        return service_number(national) or service_number("0" + national.removeprefix("0"))
    for k in range(1, min(3, len(groups)) + 1):
        for part, rest, sep in (
            (groups[-k:], groups[:-k], seps[-k] if k < len(groups) else " "),
            (groups[:k], groups[k:], seps[k - 1] if k < len(groups) else " "),
        ):
            if service_number("".join(part)) and not sep.strip() and len("".join(rest)) < 9:
                return True
    return False


def _person_shaped(digits: str) -> bool:
    """Digits a phone (0 then 1-7), a 주민번호 or a card could be, whatever their grouping."""
    phone = digits[0] == "0" and "1" <= digits[1:2] <= "7" and len(digits) <= 12
    return phone or _resident_shaped(digits) or _card_shaped(digits)


def _bank_near(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return (
        _BANK_WORDS.search(text, max(line_start, start - 24), start) is not None
        or _BANK_RIGHT_AFTER.match(text, end) is not None
        or _BANK_WORDS.search(text, end, min(len(text), end + 12)) is not None  # `2026-123456 계좌`
    )


def _code_labelled(text: str, start: int, end: int, digits: str) -> bool:
    return (
        _CODE_LABEL_BEFORE.search(text, max(0, start - 24), start) is not None
        and not _person_shaped(digits)
        and not _bank_near(text, start, end)
    )


def _date_range(groups: list[str], seps: list[str]) -> bool:
    """Two compact dates joined by a dash or a tilde, the first not after the second (20261201-20261231)."""
    return (
        len(groups) == 2
        and all(len(g) == 8 and _is_timestamp(g) for g in groups)
        and seps[0].strip(" ") in ("-", "~")
        and groups[0] <= groups[1]
    )


def _full_year_resident(lead: str, serial: str) -> bool:
    """yyyymmdd and seven digits whose gender digit names the same century: 19900101-1234568, 20100101-3234567."""
    if len(serial) != 7 or not _resident_shaped(lead[2:] + serial):
        return False
    return lead[:2] == ("19" if serial[0] in "1256" else "20")


def _year_led_serial(groups: list[str], seps: list[str]) -> bool:
    """A notice's, a contract's or a document's number led by its year (2026-12345, 2026-12345-000) or its date
    (20261207-1234567), in dashes: a phone starts with 0, a 주민번호 with six digits, a card's groups have four; the
    caller rules out a bank or a person's word near it (s36 fixord36)."""
    if not 2 <= len(groups) <= 3 or not all(s.strip(" ") == "-" for s in seps):
        return False
    lead, serial = groups[0], groups[1]
    if len(lead) == 4:
        led = "1900" <= lead <= "2099"
    else:  # a 주민번호 written with its full year (19900101-1234568) is a person's: its century digit agrees
        led = len(lead) == 8 and _is_timestamp(lead) and not _full_year_resident(lead, serial)
    return (
        led
        and 4 <= len(serial) <= (6 if len(lead) == 4 else 7)
        and (len(groups) == 2 or len(groups[2]) <= 3)
        and not (len(lead) == 4 and len(serial) == 4)  # 4-4 groups: a card's or a phone's halves
    )


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _price_named(text: str, start: int) -> bool:
    """A price word before `start` on its own line, or as the header of its column."""
    header = column_header(text, start)
    if header is not None and _PRICE_WORDS.search(header):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    return _PRICE_WORDS.search(text, max(line_start, start - 24), start) is not None


def _personal_context(text: str, start: int) -> bool:
    """A word that names a person's or an account's number before `start`: for a cell of a table, in its column's
    header or its own row; otherwise in the 40 characters before."""
    header = column_header(text, start)
    if header is None:
        return _PERSONAL_WORDS.search(text, max(0, start - 40), start) is not None
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_PERSONAL_WORDS.search(header) or _PERSONAL_WORDS.search(text, max(line_start, start - 40), start))


def _could_be_identifier(text: str, start: int, end: int, groups: list[str], seps: list[str]) -> bool:
    """Whether 9+ digits the allow-list did not name could be a person's or an account's number: written in dashed
    groups, or shaped like one (a phone from its 0, a 주민번호 from its date and gender digit, a card from its issuer
    digit and check digit), or after a word that names one. Any other number (a price, a count, a size, a sample, an
    id of a message or an order, a version or an OID) is ordinary: a reader could not tell it from one either."""
    digits = "".join(groups)
    if (
        _personal_context(text, start)
        or (_PERSONAL_MARK in text and _beside_personal_value(text, start))
        or _identifier_word_in_sentence(text, start)
    ):
        return True
    if any("\t" in s for s in seps):  # digits in cells side by side: only an identifier's own shape joins them
        phone = digits[0] == "0" and "1" <= digits[1] <= "7" and len(digits) <= 12
        return phone or _resident_shaped(digits) or _card_shaped(digits)
    before = text[max(0, start - 8) : start]
    if _CODE_BEFORE.search(before):
        return False  # CVE-2024-21762, ISBN 978-89-12345-67-8, OID 1.2.840.113549
    dotted = bool(seps) and all(s == "." for s in seps)
    if dotted and ((len(groups) >= 4 and any(len(g) <= 2 for g in groups)) or _VERSION_BEFORE.search(before)):
        return False  # a version or an OID: 120.0.6099.109, 1.3.6.1.2.1.1.3.0, v8.10.231.7853
    if _year_month_led(groups, seps):
        return False  # 협정번호 2024-01-123456, 문서 2024-11-05-001, 기간 2024-01-01-2024-12-31 (no personal word near)
    if _year_led_serial(groups, seps) and not _person_shaped(digits) and not _bank_near(text, start, end):
        return False  # 누리장터 2026-12345, 용역 2026-12345-000, 거래번호 20261207-1234567 (no personal word near)
    if any("-" in s or ")" in s for s in seps):
        return True
    if _PLUS_BEFORE.search(text, max(0, start - 3), start) is not None and 10 <= len(digits) <= 15:
        return True  # +86 138 0013 8000, +14155550100: a country code's plus
    if "1" <= digits[1:2] <= "7" and digits[0] == "0" and len(digits) <= 12:
        return True  # a phone or a landline (02 ..., 010 ..., 0505 ...)
    # One bare run is a card only at 15 or 16 digits (as in the detectors): 17-19 bare digits are a 64-bit id
    # (`id=3667085659295494292`) far more often than a card, and a card word before one says card.
    return _resident_shaped(digits) or (_card_shaped(digits) and (len(groups) > 1 or len(digits) in (15, 16)))


def _year_month_led(groups: list[str], seps: list[str]) -> bool:
    """A document number or a date range that starts with a year and a month, in dashes or dots, each group of at most
    six digits: no person's or account's number is written so (a phone starts with 0, a 주민번호 with six digits, a
    card's groups have four, a bank's first group is no year followed by a month), s36 fixpii."""
    return (
        len(groups) >= 3
        and len(groups[0]) == 4
        and "1900" <= groups[0] <= "2099"
        and len(groups[1]) == 2
        and "01" <= groups[1] <= "12"
        and all(len(g) <= 6 for g in groups)
        and all(s.strip(" ") in ("-", ".") for s in seps)
    )


_PLUS_BEFORE = re.compile(r"(?<![A-Za-z0-9_+])\+[ (]?\Z")


# Words that name one kind of a person's number, read back to the start of the sentence (`my bank account number for
# the refund of the deposit is 12345601123456`); the generic ones (회원, phone, member) only count within 40 characters.
_ID_SENTENCE_WORDS = re.compile(
    r"계좌|은행|[카케토]뱅|예금주|주민|외국인\s*등록|여권|면허|건강\s*보험|건보|account|passport|licen[cs]e|insurance|resident",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?。](?:\s|$)|\n")


def _identifier_word_in_sentence(text: str, start: int) -> bool:
    lo = max(0, start - 160)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    return _ID_SENTENCE_WORDS.search(text, ends[-1] if ends else lo, start) is not None


def _card_shaped(digits: str) -> bool:
    """A payment card's length for its issuer digit (13: old Visa; 14-15: Diners, Amex; 16-19: the rest) and a
    valid check digit."""
    if not 13 <= len(digits) <= 19:
        return False
    issuer = "4" if len(digits) == 13 else "3" if len(digits) <= 15 else None
    if issuer is not None and not digits.startswith(issuer):
        return False
    return _CARD_IIN.match(digits) is not None and _luhn(digits)


def _is_outline(numbers: list[int]) -> bool:
    return all(1 <= n <= 20 for n in numbers)


def _scan(text: str, depth: int = 0) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    present = {_SHAPE_NAMES[i] for i in _SHAPES.Match(text) or ()}
    gates = present & _GATE_NAMES
    if "gate:ocr_letters" in gates:
        read = _read_ocr_letters(text)  # one for one
        if read != text:  # its shapes again (a read address is a dotted quad now)
            text = read
            present = {_SHAPE_NAMES[i] for i in _SHAPES.Match(text) or ()}
            gates = present & _GATE_NAMES
    present -= gates
    dump = "gate:hexdump" in gates
    for candidate in _LONG_RUN.finditer(text):
        _digit_runs(text, candidate.start(), candidate.end(), found, dump)
    if (any(c in text for c in ",|/_<\n\"'") or "  " in text) and "gate:one_by_one" in gates:
        _one_by_one(text, found)
    if "gate:odd_run" in gates:
        _odd_runs(text, found)
    words = [m.span() for m in _WORD_RUN.finditer(text)]
    _other_shapes(text, found, present, words)
    _credentials(text, found)
    if not present.isdisjoint(_APART_GATES):
        _written_apart(text, found, present)
    _labelled_shapes(text, found, present)
    if depth < 3:  # base64 of base64 too, up to three levels
        _encoded_payloads(text, found, depth, words)
    return found


# The windows of the base64 shapes: maximal runs of base64 and URL-safe base64 characters (with `=`), 16 or more
# long. One pass; the exact patterns then run only inside them (their lookbehinds still see the text before, and
# the character after a run is outside every class they use, so their end is the same as in the whole text).
_WORD_RUN = re.compile(r"[A-Za-z0-9+/_=-](?<![A-Za-z0-9+/_=-].)[A-Za-z0-9+/_=-]{15,}")


def _in_words(
    pattern: re.Pattern[str], text: str, words: list[tuple[int, int]], shortest: int
) -> Iterable[re.Match[str]]:
    if len(words) * 64 > len(text):  # denser than a word per 64 characters: one pass finds the same, cheaper
        yield from pattern.finditer(text)
        return
    for start, end in words:
        if end - start >= shortest:
            yield from pattern.finditer(text, start, end)


# Passports after a passport word (the shape alone is any product code); written here, not shared with
# detect.py, so that one mistake does not blind both.
_PASSPORT_WORD = re.compile(r"[여Pp](?:(?<=여)권|(?<=[Pp])(?i:assport))")  # class first (see _TOKEN)
# Its abbreviations in forms and records (s36): `PP No.`, `PP#`, `pp_no`, `ppNo`; a page range (`pp. 12`) is none.
_PASSPORT_ABBREVIATION = re.compile(r"(?<![A-Za-z0-9])[Pp][Pp](?:[ \t._-]?(?i:no|num)(?![a-z])|[ \t]?#)")
_PASSPORT_SHAPE = re.compile(r"(?<![A-Za-z0-9])[A-Z] ?(?:[0-9]{8}|[0-9]{3}[A-Z][0-9]{4})(?![A-Za-z0-9])")
# Near the word, also any letter and eight letters or digits with six digits or more (OCR letters for digits,
# M583O8l63; a lower-case letter from a drawn ⓜ).
_PASSPORT_LOOSE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z] ?[0-9A-Za-z]{8}(?![A-Za-z0-9])")
# Wrapped keys: anchored on a line break that follows a word character or a space (most lines end otherwise);
# the word before it is read backwards.
_LINE_BREAK_WORD = re.compile(
    r"\n(?:(?<=[A-Za-z0-9/+ \t]\n)|(?<=[A-Za-z0-9/+ \t]\r\n))[ \t]*([A-Za-z0-9/+]{1,39})(?![A-Za-z0-9/+=])"
)
_WORD_AT_LINE_END = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{1,39}[ \t]*\r?\Z")
_BREAK = re.compile(r"\s+")


_RESIDENT_WORD = re.compile(
    r"[주외등Rr](?:(?<=주)민|(?<=외)국인|(?<=등)록\s*번호|(?<=[Rr])(?i:esident))"
)  # class first
_HALVES = re.compile(r"(?<![0-9])([0-9]{6})[^0-9\n]{1,16}?([1-8][0-9]{6})(?![0-9])")


_PARTICLE_GROUPS = re.compile(r"(?<![0-9])0[1-9][0-9]?(?:에\s?|[ .-])[0-9]{3,4}(?:에\s?|[ .-])[0-9]{4}(?![0-9])")
_BACK_HALF = re.compile(
    r"(?:뒤|뒷|나머지)(?:\s?7\s?자리)?[^0-9\n]{0,14}(?<![0-9])([1-8][0-9]{6})(?![0-9])(?!\s{0,2}(?:원|건|개|명|회|바이트|bytes?))"
)
# a message of its own, also quoted or as a list item (`> 1835516`, `- 1835516`; s37 misc37)
_BACK_ALONE = re.compile(r"(?:^(?:[ \t]*[>*•·.-])*|[\]:])[ \t]*(?<![0-9])([1-8][0-9]{6})[ \t]*$", re.MULTILINE)
_FRONT_HALF = re.compile(
    r"(?:앞\s?(?:자리|번호|6\s?자리)|주민\s?(?:등록)?\s?번호|생년|resident)[^0-9\n]{0,10}(?<![0-9])([0-9]{6})(?![0-9])",
    re.IGNORECASE,
)


def _labelled_shapes(text: str, found: list[tuple[str, int, int]], present: set[str]) -> None:
    if "RESIDENT" in present:  # 앞자리 900101 뒷자리 1234567: a 주민번호 in two halves after a 주민 word
        for word in _RESIDENT_WORD.finditer(text):
            for m in _HALVES.finditer(text, word.end(), min(len(text), word.end() + 60)):
                if _resident_shaped(m.group(1) + m.group(2)):
                    found.append(("DIGITS", *m.span()))
    if "PARTICLE" in present:  # 010에 1234에 5678 (a phone read aloud: 공일공에 일이삼사에 오육칠팔)
        for m in _PARTICLE_GROUPS.finditer(text):
            if "에" in m.group():
                found.append(("DIGITS", *m.span()))
    if "HALVES" in present:  # a back half after 뒤/뒷/나머지 and a front half a few lines before it (카톡 messages)
        for back in (*_BACK_HALF.finditer(text), *_BACK_ALONE.finditer(text)):
            fronts = list(_FRONT_HALF.finditer(text, max(0, back.start() - 260), back.start()))
            if fronts and _resident_shaped(fronts[-1].group(1) + back.group(1)):
                found.append(("DIGITS", *fronts[-1].span(1)))
                found.append(("DIGITS", *back.span(1)))
        _halves_any_order(text, found)
    if "PIECES" in present:
        _placed_pieces(text, found)
    labels = (*_PASSPORT_WORD.finditer(text), *_PASSPORT_ABBREVIATION.finditer(text)) if "PASSPORT" in present else ()
    for word in labels:
        for m in _PASSPORT_SHAPE.finditer(text, max(0, word.start() - 40), min(len(text), word.end() + 80)):
            found.append(("PASSPORT", *m.span()))
        for m in _PASSPORT_LOOSE.finditer(text, max(0, word.start() - 40), min(len(text), word.end() + 80)):
            if sum(c.isdigit() for c in m.group()) >= 6:
                found.append(("PASSPORT", *m.span()))
    for m in _LINE_BREAK_WORD.finditer(text):  # an access key id or a secret key wrapped at a line end
        head = _WORD_AT_LINE_END.search(text, max(0, m.start() - 48), m.start())
        if head is None:
            continue
        joined = _BREAK.sub("", head.group()) + m.group(1)
        if len(joined) == 20 and _KEY_ID.fullmatch(joined):
            found.append(("AWSKEYID", head.start(), m.end()))
        elif len(joined) == 40 and len(head.group().strip()) >= 8 and _mixed(joined):
            found.append(("BASE64SECRET", head.start(), m.end()))


# Halves with a decoy before the real one, or the back told before the front (s36 fixpii): `뒷자리는 ******* 아니고
# 1845612`, `뒤 1234567 아니고 2845613`, `뒷자리 1845612 앞자리 920707`. Every six or seven digits on a label's line
# within 48 characters after it is a half; any front and back within 260 characters of each other, in either
# order, that read as a date and a gender digit are both found. Its own words, not the detectors'.
_BACK_WORDS = re.compile(r"뒤|뒷|나머지")
_FRONT_WORDS = re.compile(r"앞\s?(?:자리|번호|6\s?자리)|주민\s?(?:등록)?\s?번호|생년", re.IGNORECASE)
_SEVEN_DIGITS = re.compile(r"(?<![0-9])[1-8][0-9]{6}(?![0-9])(?!\s{0,2}(?:원|건|개|명|회|바이트|bytes?))")
_SIX_DIGITS = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")


def _numbers_after_words(words: re.Pattern[str], number: re.Pattern[str], text: str) -> list[re.Match[str]]:
    numbers: dict[int, re.Match[str]] = {}
    for word in words.finditer(text):
        line_end = text.find("\n", word.end())
        stop = min(word.end() + 48, len(text) if line_end < 0 else line_end)
        numbers.update((m.start(), m) for m in number.finditer(text, word.end(), stop))
    return list(numbers.values())


def _halves_any_order(text: str, found: list[tuple[str, int, int]]) -> None:
    backs = _numbers_after_words(_BACK_WORDS, _SEVEN_DIGITS, text)
    if not backs:
        return
    backs.sort(key=lambda m: m.start())
    starts = [m.start() for m in backs]
    for front in _numbers_after_words(_FRONT_WORDS, _SIX_DIGITS, text):
        lo = bisect.bisect_left(starts, front.start() - 260)
        for back in backs[lo : bisect.bisect_right(starts, front.start() + 260)]:
            if _resident_shaped(front.group() + back.group()):
                found.append(("DIGITS", *front.span()))
                found.append(("DIGITS", *back.span()))


# Pieces of a number told with their places (s36): `법인번호 뒤 7762928, 앞 160111`, `계좌 끝자리 609563, 앞은 농협
# 327625-23`, `카드 뒤 8자리 1792 2516 … 앞 8자리는 4310 8573`. Two pieces, each after a place word, within 60
# characters of each other, joined front first: a card's or a 주민번호's shape, or 10-19 digits after a word that
# names a person's or an account's number. Its own words and reading, not the detectors'.
_PLACE = re.compile(r"앞|뒤|뒷|끝|처음|첫|나머지|마지막")
_FRONT_PLACES = ("앞", "처음", "첫")
_PLACED_PIECE = re.compile(
    r"(?:[^0-9\n]|[1-9](?=\s?자리)){0,14}?(?<![0-9])([0-9]{2,8}(?:[ -][0-9]{1,8}){0,3})(?![0-9])"
)
_NOT_DIGIT = re.compile(r"[^0-9]")


def _placed_pieces(text: str, found: list[tuple[str, int, int]]) -> None:
    pieces: list[tuple[bool, int, int, int]] = []  # (a front's place, start, end, the place word's start)
    for place in _PLACE.finditer(text):
        m = _PLACED_PIECE.match(text, place.end())
        if m is not None and not (pieces and pieces[-1][1] == m.start(1)):
            pieces.append((place.group() in _FRONT_PLACES, m.start(1), m.end(1), place.start()))
    for a, b in pairwise(pieces):
        if b[1] - a[2] > 60 or _BLANK_LINE.search(text, a[2], b[1]):
            continue
        first, second = (b, a) if b[0] and not a[0] else (a, b)
        digits = _NOT_DIGIT.sub("", text[first[1] : first[2]] + text[second[1] : second[2]])
        if 10 <= len(digits) <= 19 and (
            _card_shaped(digits)
            or _resident_shaped(digits)
            or _PERSONAL_WORDS.search(text, max(0, a[3] - 40), a[3]) is not None
        ):
            found.extend((("DIGITS", a[1], a[2]), ("DIGITS", b[1], b[2])))


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


# Base64 words that decode to readable text are read too: what they hide is judged by this same scan.
_B64_WORD = re.compile(r"[A-Za-z0-9+/_-](?<![A-Za-z0-9+/_-].)[A-Za-z0-9+/_-]{15,4095}={0,2}(?![A-Za-z0-9+/_=-])")


def _encoded_payloads(text: str, found: list[tuple[str, int, int]], depth: int, words: list[tuple[int, int]]) -> None:
    for m in _in_words(_B64_WORD, text, words, 16):
        word = m.group().rstrip("=")
        if len(word) % 4 == 1:
            continue
        try:
            raw = base64.b64decode(word.replace("-", "+").replace("_", "/") + "=" * (-len(word) % 4))
            decoded = raw.decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            continue
        if not decoded.isprintable() and not all(c.isprintable() or c.isspace() for c in decoded):
            continue
        if _scan(normalise(decoded).text, depth=depth + 1):
            found.append(("ENCODED", *m.span()))


# Digits written one by one with separators the digit runs above do not take (commas, `|` cells, several
# spaces, a dash and a line break mixed): 9 or more single digits, each alone between its separators.
# Also underscores and HTML tags between them (<td>9</td><td>0</td>...).
_ONE_BY_ONE_HINT = r"[0-9](?:[ \t.,|/_\r\n\"'-]{1,8}[0-9]){8}|[0-9]</?[A-Za-z][^<>\n]{0,40}>"  # a gate of _SHAPES
_ONE_BY_ONE = re.compile(
    r"[0-9](?<![0-9A-Za-z_].)(?:(?:[ \t.,|/_\r\n\"'-]|<[/A-Za-z][^<>\n]{0,40}>){1,8}[0-9](?![0-9A-Za-z])){8,}(?![_])"
)
_ONE_DIGIT = re.compile(r"(?<![<A-Za-z])[0-9]")  # not a tag's (<h1>)


def _one_by_one(text: str, found: list[tuple[str, int, int]]) -> None:
    for m in _ONE_BY_ONE.finditer(text):
        digits = _ONE_DIGIT.findall(m.group())
        # Commas, cells and lines separate data (a list in code, a CSV row, a grid): only after an identifier word.
        data = any(c in m.group() for c in ",|\n<\"'")
        data = data or not m.group().strip("0123456789.")  # 1.3.6.1.2.1.1.3.0: an OID or an outline number
        if not _ordinary_singles(text, m.start(), digits, m.group()) and (
            not data or _ID_WORDS.search(text, max(0, m.start() - 60), m.start())
        ):
            found.append(("DIGITS", *m.span()))


# Digit groups with symbols, pictographs or doubled separators between them (010♡2082♡7771, 4297💳0974💳7622💳9752,
# 010~~6213~~3056, 010 x 5175 x 8768): this check's own reading, looser than the view's (which reads such separators as
# dashes only in an identifier's grouping and first digits). A run with at least one of them is judged as a run of
# digit groups is, with those separators as they are: a phone's 0, a 주민번호's date, a card's issuer and check digit,
# or a personal word before it. ASCII syntax (lists, times, cells, sums) and table bars (│ ┃ ║) are not among them.
_ODD_RUN_SEP = r"(?:[ \t]?(?:[^\w\s,:;|/=&<>()\[\]{}\"'`+#*%@$\\.~│┃║┆┊¦‖∣｜-]|[-.~]{2,4}){1,4}[ \t]?|[ \t](?:[xX]|다시|대시)[ \t])"
_ODD_RUN = re.compile(
    rf"[0-9](?<![0-9A-Za-z.,].)[0-9]{{0,6}}(?:(?:{_ODD_RUN_SEP}|[ \t]|[ \t]?[-.][ \t]?)[0-9]{{1,7}}){{1,5}}(?![0-9A-Za-z])"
)
_ODD_RUN_PLAIN = re.compile(r"[ \t]*[-.]?[ \t]*")
_ODD_RUN_HINT = (
    r"[0-9][ \t]?(?:[^\x00-\x7f\pL\pN\pZ\pC]|[\^!?]|[-.~][-.~]|[xX×][ \t]|다시|대시)[ \t]?[0-9]"  # a gate of _SHAPES
)


def _odd_runs(text: str, found: list[tuple[str, int, int]]) -> None:
    for m in _ODD_RUN.finditer(text):
        run = m.group()
        seps = _SEPARATORS.findall(run)
        if all(_ODD_RUN_PLAIN.fullmatch(s) for s in seps):
            continue  # only the separators the digit runs read (judged there)
        if 9 <= len(run) - sum(map(len, seps)) <= 19 and not _ordinary_number(text, m.start(), m.end(), run):
            found.append(("DIGITS", *m.span()))


def _digit_runs(text: str, begin: int, finish: int, found: list[tuple[str, int, int]], dump: bool) -> None:
    for m in _RUN.finditer(text, begin, finish):
        for piece_start, piece_end in _run_pieces(text, m.start(), m.end()):
            _judge_run(text, piece_start, text[piece_start:piece_end], piece_end, found, dump)


_GROUP = re.compile(r"[0-9]+")
_LONGEST_GROUP = 7  # the longest digit group of an identifier written in groups (the back half of a 주민번호)


def _run_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of a run of digit groups that can be one value: digits are never joined across a tab (a column),
    across a space next to a group longer than any identifier's group (`507904000 123456789`: two numbers), into a
    group glued to letters after it (`7972926 19a12c8`: a hash), or across a line break unless the break is a wrap:
    after a dash (`900101-` / `1234568`) or between lines that hold nothing but the groups (`010` / `1234` /
    `5678`). A CSV or TSV row, `cat -n` and `ls -l` output keep their columns and rows apart."""
    groups = list(_GROUP.finditer(text, start, end))
    pieces: list[tuple[int, int]] = []
    piece_start = groups[0].start()
    for a, b in pairwise(groups):
        sep = text[a.end() : b.start()]
        if _joins(text, piece_start, a, b, sep):
            continue
        pieces.append((piece_start, a.end()))
        piece_start = b.start()
    last = groups[-1]
    if (
        last.start() > piece_start
        and last.end() < len(text)
        and text[last.end()].isascii()
        and text[last.end()].isalpha()
    ):
        pieces.append((piece_start, groups[-2].end()))  # the last group is the start of a word (19a12c8)
    else:
        pieces.append((piece_start, last.end()))
    return pieces


def _joins(text: str, piece_start: int, a: re.Match[str], b: re.Match[str], sep: str) -> bool:
    if "\t" in sep:  # cells side by side: an identifier typed into them keeps its groups' lengths
        return sep.strip(" ") == "\t" and max(len(a.group()), len(b.group())) <= _LONGEST_GROUP
    spaced = " " in sep or "\n" in sep
    if spaced and max(len(a.group()), len(b.group())) > _LONGEST_GROUP:
        return False
    if "~" in sep:
        return sep == "~"  # 900101~1234568; a spaced tilde is a range (9:00 ~ 2025.02.10)
    if "\n" not in sep:
        return True
    if "-" in sep or ")" in sep:
        return True  # a value wrapped after its dash
    line_start = text.rfind("\n", 0, piece_start) + 1
    if text[line_start:piece_start].strip(" \t\r"):
        return False  # the run began after other content on its line (a CSV row: 377809087,93.402)
    after = b.end()
    return after == len(text) or text[after] in "\r\n" or not text[after].isascii() or not text[after].isalnum()


# A hexdump line (xxd, hexdump -C, od -t x1; an offset of 6+ hex digits, a multiple of 16): its offset and hex column are digits of an encoding, not a number
# anyone wrote (the bytes themselves are the detectors' to decode, see detect._hexdumps; a token already there
# reads as spaces here, a wide gap).
_HEXDUMP_LINE = re.compile(
    r"[ \t]*[0-9a-fA-F]{5,15}0:?(?:(?:[ \t]{1,3}|[ \t]{20,48})[0-9a-fA-F]{2}(?:[0-9a-fA-F]{2})?"
    r"(?![^ \t\r\n])){2,}"
)


# Whether the text has a dump line at all (one RE2 pass): only then is each digit run's line looked at.
_HEXDUMP_HINT = r"(?m)^[ \t]*[0-9a-fA-F]{5,15}0:?[ \t]+[0-9a-fA-F]{2}"  # a gate of _SHAPES


def _in_hex_column(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", max(0, start - 200), start) + 1
    if start - line_start >= 200:
        return False  # a dump's line is short: no line of a long text is read from its start for every run
    line = _HEXDUMP_LINE.match(text, line_start, min(len(text), line_start + 200))
    return line is not None and end <= line.end()


def _judge_run(text: str, start: int, run: str, end: int, found: list[tuple[str, int, int]], dump: bool) -> None:
    if run and not (dump and _in_hex_column(text, start, end)):
        # A first group glued to letters (sha256, v2) is part of that word: judge the rest on its own.
        while start and text[start - 1].isascii() and text[start - 1].isalpha() and not run.isdigit():
            first = _SEPARATORS.search(run)
            if first is None:
                break
            start, run = start + first.end(), run[first.end() :]
        if len(run.translate(_DROP_SEPARATORS)) >= 9 and not _ordinary_number(text, start, end, run):
            found.append(("DIGITS", start, end))


# The leak check's own candidate scan: one RE2 set of looser forms of its shapes (no lookbehinds, shorter)
# says which shapes can be in the text at all; only those are scanned with the exact patterns below. It is
# the check's own, not the detectors' (see `detect.digit_runs`): a shape the detectors' prefilter misses
# must still reach this check.
_SHAPE_SET_PATTERNS = {
    "AWSKEYID": r"A[A-Z0-9]{19}",
    "EMAIL": r"@[A-Za-z0-9-]+\.",
    "IPV4": r"[0-9]\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]",
    "BASE64": r"[A-Za-z0-9/+]{40}",
    "AWSHOST": r"(?i)(?:ip|ec2)-[0-9]{1,3}-",
    "DECIMALIP": r"(?i)(?:ip|inet|addr|아이피)[^\n]{0,16}[0-9]{8}",
    "NUMHOST": r"[/@](?:[0-9]{8}|0[xX])|(?i:(?:ping|trace|mtr|telnet|nc|nmap|ssh|scp|ftp|curl|wget|host|dig|whois|mysql|psql|"
    r"redis|mongo|iperf|rdp|mosh|rsync|peer|target)[^\n]{0,200}(?:[0-9]{8}|0x))|0[xX][0-9A-Fa-f]{1,2}\.|0[0-7]{3}\.",
    "PARTICLE": r"[0-9]에\s?[0-9]",
    "S3BUCKET": r"(?i)bucket",
    "HALVES": r"(?:뒤|뒷|나머지)[^\n]{0,48}[1-8][0-9]{6}|(?m)(?:^(?:[ \t]*[>*•·.-])*|[\]:])[ \t]*[1-8][0-9]{6}[ \t]*$",
    "PIECES": r"(?:앞|뒤|뒷|끝|처음|첫|나머지|마지막)[^\n]{0,16}[0-9]{2}",
    "PASSPORT": r"(?i)여권|passport|pp[ \t._-]?(?:no|num)|pp[ \t]?#",
    # written apart (`_written_apart`), one gate per reading: a token prefix then a gap, an access key id in groups, a
    # `\` line continuation, letters one by one, a password's name then a space, a sentence `password … is`, a
    # spaced, jamo or English-layout label
    "APART_TOKEN": r"(?:gh[pousr]_|github_pat_|glpat-|sk-|xox[a-z]|AIza|npm_|hf_)[A-Za-z0-9_-]{0,100}"
    r"(?:\s|\.\.\.|…|_[0-9])",
    "APART_KEYID": r"A(?:KIA|SIA|ROA|IDA)[A-Z0-9]{0,16}(?:[-_.]|\s|…)[ \t]?[A-Z0-9.가-힣a-z]",
    "APART_CONTINUED": r"[^\s\\]\\\r?\n",
    "APART_VALUE": r"(?i)(?:secret|token|key|passw|credential|시크릿|토큰|키|비밀번호|비번)[^\n]{0,40}[:=][^\n]*[A-Za-z0-9/+=]{12}[ \t][A-Za-z0-9/+=]{12}",
    "APART_LETTERS": r"(?:[!-~] ){9}",
    "APART_NAME": r"(?i)[_.-](?:passw(?:or)?d|pass|pwd|secret|token|(?:api|access|private)[_.-]?key)[ \t]|"
    r"[A-Z]{2}(?-i:PASSWORD|PASSWD|PASS|PWD)[ \t]",
    "APART_IS": r"(?i)(?:passw(?:or)?d|pwd|비밀번호|비번)[^\n]{0,40}[ \t](?:is|was)[ \t]",
    "APART_LABEL": r"(?i)p[ ._-]{1,2}(?:a[ ._-]{1,2}s[ ._-]{1,2}s|w[ ._-]{1,2}d)|qlalfqjsgh|qlqjs|votmdnjem|"
    r"비[ \t]{1,2}[밀번]|비[ \t]?밀[ \t]{0,2}번[ \t]{1,2}호|패[ \t]{1,2}스|스[ \t]{1,2}워|[ᄀ-ᇿ]",
    "RESIDENT": r"(?i)주민|외국인|등록\s*번호|resident",
    "DODGED": r"(?i)[\[({]\s?(?:at|@|골뱅이)\s?[\])}]",
    "DEFANGED": r"(?i)@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}(?:[ \t]?[\[({][ \t]?(?:dot|\.)|[ \t]{1,2}\.[ \t]{1,2}[A-Za-z])",
    "IPV6": r"[0-9A-Fa-f]:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:|::[0-9A-Fa-f]{1,4}(?:[^0-9A-Za-z]|$)|[0-9A-Fa-f]::(?:[^0-9A-Za-z:]|$)",
    "IPV6_OTHER": r"(?i)ipv6-literal\.net|[0-9A-Fa-f]{3}(?:[ \t]{1,2}:[ \t]{0,2}|:[ \t]{1,2})[0-9A-Fa-f:]",
    "SPELLED": r"(?i)(?:^|[^a-z])at[^a-z][^\n]{0,160}?(?:dot|점|쩜|닷|\.)[\s\])}>_-]{0,4}(?:com|net|org|kr|io|ai|dev|app|me|edu|gov|biz|info|jp|cn|us|uk|de|fr|xyz|cloud|site|online|tech|sg|vn|co|컴|넷)(?:[^a-z]|$)"
    r"|골뱅이|[앳엣]|에이티|[닷쩜][컴넷]|@[ \t\])}>_-]|[ \t\[({<_-]@|(?i)@[a-z0-9-]{1,63}[ \t\[({<_-]{0,4}(?:dot|점|쩜|닷)",
}


# Letters put for digits inside digit groups (OCR, a scan: 3S65 8142 S009 4S34, O1O-2931-3332, 9910O8-1384B77): the
# check's own reading, one for one, before its digit runs are judged. A run of two to four groups apart by one space,
# dot or dash, every group digits and these letters with a digit in it, the letters at most half as many as the
# digits, in an identifier's grouping (phone, 주민/사업자/법인번호, card, licence, the banks' accounts: the view's
# table) or four dotted groups of one to three (an address): its letters read as the digits they look like, and the
# run is judged as any digit run (nine digits or more, not an ordinary number). No checksum here (the detectors'
# reading, detect._lookalike_digits, masks only values that validate; this one sees what they miss), so the grouping
# is what keeps units and codes out: `B2B 2024-01-15`, `512B 1024B 2048B`, `16G-32G-64G`, and words and codes
# without a digit in a group (SOS, BIOS 2.0, IO-1O) or with other letters (hex, base64).
_OCR_LETTERS = "OoDIlZzSsGBqg"  # no lowercase b for 6: a hex digit
_OCR_AS_DIGITS = str.maketrans(_OCR_LETTERS, "0001122556899")
_OCR_CLASS = f"[0-9{_OCR_LETTERS}]"
_OCR_PAIR = f"(?:[0-9][{_OCR_LETTERS}]|[{_OCR_LETTERS}][0-9])"
_OCR_CANDIDATE = re2.compile(  # a separator before or after the pair
    f"(?:{_OCR_CLASS}{{1,16}}[ .-]){{1,3}}{_OCR_CLASS}{{0,15}}{_OCR_PAIR}{_OCR_CLASS}{{0,15}}(?:[ .-]{_OCR_CLASS}{{1,16}}){{0,3}}"
    f"|{_OCR_CLASS}{{0,15}}{_OCR_PAIR}{_OCR_CLASS}{{0,15}}(?:[ .-]{_OCR_CLASS}{{1,16}}){{1,3}}"
)
# A letter beside a digit in a group next to another group with a digit (a gate of _SHAPES).
_OCR_HINT = (
    f"(?:[0-9][{_OCR_LETTERS}]|[{_OCR_LETTERS}][0-9]){_OCR_CLASS}*[ .-]{_OCR_CLASS}*[0-9]"
    f"|[0-9]{_OCR_CLASS}*[ .-]{_OCR_CLASS}*(?:[0-9][{_OCR_LETTERS}]|[{_OCR_LETTERS}][0-9])"
)
_OCR_RUN = re.compile(  # one separator throughout (`5G 2024-0012-345678`: a word, then a number)
    f"(?<![A-Za-z0-9]){_OCR_CLASS}{{1,16}}([ .-]){_OCR_CLASS}{{1,16}}(?:\\1{_OCR_CLASS}{{1,16}}){{0,2}}", _A
)
_OCR_GROUP = re.compile(f"{_OCR_CLASS}+", _A)


def _ocr_run_read(text: str, m: re.Match[str]) -> bool:
    if m.end() < len(text) and text[m.end()].isascii() and text[m.end()].isalnum():
        return False  # the search ended inside a word (one character past the candidate)
    run = m.group()
    digits = sum(c.isdigit() for c in run)
    letters = len(run) - digits - run.count(m.group(1))
    groups = _OCR_GROUP.findall(run)
    shape = tuple(map(len, groups))
    dotted = len(groups) == 4 and max(shape) <= 3 and m.group(1) == "."
    return (
        0 < letters * 2 <= digits
        and (dotted or shape in IDENTIFIER_GROUPINGS)
        and all(any(c.isdigit() for c in g) for g in groups)
    )


def _read_ocr_letters(text: str) -> str:
    spans = []
    for candidate in _OCR_CANDIDATE.finditer(text):
        if sum(c.isdigit() for c in candidate.group()) < 6:
            continue
        at, stop = candidate.start(), candidate.end() + 1
        while (m := _OCR_RUN.search(text, at, stop)) is not None:
            if _ocr_run_read(text, m):
                spans.append(m.span())
                at = m.end()
            else:
                at = m.start(1) + 1  # the run from its next group
    if not spans:
        return text
    parts, copied = [], 0
    for start, end in spans:
        parts += (text[copied:start], text[start:end].translate(_OCR_AS_DIGITS))
        copied = end
    parts.append(text[copied:])
    return "".join(parts)


# Exact gates in the same set (each was a search of its own: one pass over a text whose DFA states are cold again
# after the rest of the call costs more than the set's own states).
_GATE_PATTERNS = {
    **{"gate:hexdump": _HEXDUMP_HINT, "gate:one_by_one": _ONE_BY_ONE_HINT, "gate:odd_run": _ODD_RUN_HINT},
    "gate:ocr_letters": _OCR_HINT,
}
_HAS_HEXDUMP = re2.compile(_HEXDUMP_HINT)  # leak_scan reads tokens in a dump as spaces, before the shape pass
_GATE_NAMES = frozenset(_GATE_PATTERNS)


def _shape_set() -> tuple[re2.Set, tuple[str, ...]]:
    shapes = re2.Set.SearchSet(re2.Options())
    patterns = {**_SHAPE_SET_PATTERNS, **_GATE_PATTERNS}
    for pattern in patterns.values():
        shapes.Add(pattern)
    shapes.Compile()
    return shapes, tuple(patterns)


_SHAPES, _SHAPE_NAMES = _shape_set()


def _other_shapes(
    text: str, found: list[tuple[str, int, int]], present: set[str], words: list[tuple[int, int]]
) -> None:
    if not present:
        return
    for m in _KEY_ID.finditer(text) if "AWSKEYID" in present else ():
        s, e = m.span()
        if not (s and text[s - 1].isascii() and text[s - 1].isalnum()) and not (
            e < len(text) and text[e].isascii() and text[e].isalnum()
        ):
            found.append(("AWSKEYID", s, e))
    if "DODGED" in present:
        for m in _DODGED_EMAIL.finditer(text):
            local = _EMAIL_LOCAL.search(text, max(0, m.start() - 64), m.start() + 1)
            found.append(("EMAIL", local.start() if local is not None else m.start(), m.end()))
    if "SPELLED" in present:
        for m in _SPELLED_EMAIL.finditer(text):
            local = _LOCAL_BEFORE_AT.search(text, max(0, m.start() - 72), m.start())
            glued = not local.group(1) and not local.group().endswith(("-", "_")) if local is not None else True
            if local is None or (glued and m.group()[:1] in "aA"):
                continue  # no local part, or "cat": an at glued to a word is no at
            value = text[local.start() : m.end()]
            spelled = re.search(r"(?i)(?<![a-z])dot(?![a-z])|점|쩜|닷|[\[(<{_-]\s{0,3}at|골뱅이|에이티|[앳엣]|@", value)
            if (
                m.group(2).lower() in _TLD_WORDS
                and m.group(1).lower() not in ("the", "a", "an", "this", "that", "my")
                and (spelled is not None or m.group(1).lower() in _MAIL_PROVIDERS)
            ):
                name = local.group()[: len(local.group()) - len(local.group(1))].lower()
                if name in ("i", "me", "you", "we", "us", "them", "it"):
                    continue  # see you at school dot com: prose
                found.append(("EMAIL", _spelled_pieces_start(text, local.start()), m.end()))
    if "DEFANGED" in present:
        for m in _DEFANGED_EMAIL.finditer(text):
            if not any(c in m.group() for c in "[({") and m.group(1).lower() not in _TLD_WORDS:
                continue
            if any(c in m.group() for c in " \t[({"):  # a plain address is _EMAIL's
                local = _EMAIL_LOCAL.search(text, max(0, m.start() - 64), m.start())
                found.append(("EMAIL", local.start() if local is not None else m.start() - 1, m.end()))
    if "EMAIL" in present:
        for m in _EMAIL.finditer(text):
            local = _EMAIL_LOCAL.search(text, max(0, m.start() - 64), m.start())
            found.append(("EMAIL", local.start() if local is not None else m.start() - 1, m.end()))
    if "DECIMALIP" in present:  # inet 3232235777: an address as one 32-bit integer after an address word
        for m in _DECIMAL_IP.finditer(text):
            value = int(m.group(1))
            if value < 2**32 and 1 <= value >> 24 <= 223:
                found.append(("IPV4", *m.span(1)))
    if "NUMHOST" in present:
        for m in _HOST_INTEGER.finditer(text):
            address = _aton(m.group(1))
            if (
                address is not None
                and 1 <= address >> 24 <= 223
                and address >> 24 != 127
                and not _is_timestamp(m.group(1))
                and not _point_then(text, m.end(1), str.isalnum)  # a host name's first label: 167772161.example.com
            ):
                found.append(("IPV4", *m.span(1)))
        for m in _ODD_QUAD.finditer(text):
            parts = m.group(1).lower().split(".")
            odd = any(p.startswith("0x") for p in parts) or (len(parts[0]) == 4 and parts[0][0] == "0")
            if odd and _aton(m.group(1)) is not None and not _point_then(text, m.end(1), str.isdigit):
                found.append(("IPV4", *m.span(1)))
    for m in _QUAD.finditer(text) if "IPV4" in present else ():
        s, e = m.span()
        after_number = s > 1 and text[s - 1] == "." and text[s - 2].isdigit()  # 1.10.0.0.1, not ...10.0.0.1
        if (
            (s and (text[s - 1].isdigit() or text[s - 1] in "vV"))
            or after_number
            or (e < len(text) and text[e].isdigit())
        ):
            continue
        parts = m.group().split(".")
        numbers = [int(p) for p in parts]
        if any(n > 255 for n in numbers):
            continue
        if _same_everywhere(numbers, text, e) or version_named_before(text, s):
            continue
        if all(len(p) == 3 for p in parts):
            found.append(("IPV4", s, e))  # 010.001.002.003: an address with its octets zero-padded
            continue
        if any(len(p) > 1 and p[0] == "0" for p in parts):
            continue
        if not _is_outline(numbers):
            found.append(("IPV4", s, e))
    for m in _in_words(_B64, text, words, 40) if "BASE64" in present else ():
        value = m.group().rstrip("=")
        s, e = m.span()
        if (
            len(value) == 40
            and _mixed(value)
            and not (s >= 2 and text[s - 1] == "." and text[s - 2].isalnum())
            and not line_of_a_blob(text, s, e)
        ):  # not after a host name (a URL's path), not the last line of a certificate or public key block
            found.append(("BASE64SECRET", s, e))
        elif len(value) >= 80 and value.startswith(_STS_PREFIXES):
            found.append(("AWSTOKEN", s, e))
    if "AWSHOST" in present:
        found.extend(("AWSHOST", *m.span()) for m in _DASHED_IP.finditer(text))
    for m in _BUCKET_VALUE.finditer(text) if "S3BUCKET" in present else ():
        name = m.group(1)
        if (
            re.search(r"[a-z]", name)
            and re.search(r"[0-9.-]", name)
            and not re.fullmatch(r"v?[0-9.]+", name)
            and not re.match(TERRAFORM_REFERENCE, name)  # a reference
        ):
            found.append(("S3BUCKET", *m.span(1)))
    if "IPV6_OTHER" in present:
        for m in _LITERAL_NET_HOST.finditer(text):
            if _global_ipv6(m.group(1).replace("-", ":")):
                found.append(("IPV6", *m.span(1)))
        for m in _SPACED_COLON_HEX.finditer(text):
            value = m.group().rstrip(" \t")
            if value != value.replace(" ", "").replace("\t", "") and _global_ipv6(re.sub(r"[ \t]", "", value)):
                found.append(("IPV6", m.start(), m.start() + len(value)))
    for m in _COLON_HEX.finditer(text) if "IPV6" in present else ():
        value = m.group().split("%")[0].strip("[]")
        if any(c.isdigit() for c in value) and ("::" in value or value.count(":") == 7):
            with contextlib.suppress(ValueError):
                length = _V6_LENGTH.match(text, m.end())
                if length is not None and nobodys_network(value, int(length.group(1))):
                    continue  # fe80::/10, 2001:db8::/32: a network of nobody's space
                if not ipaddress.ip_address(value).is_loopback and value != "::":
                    found.append(("IPV6", *m.span()))


# A bucket's name after any key that says bucket (looser than the detector's keys: `bucketId`, `bucket-ref`).
_BUCKET_VALUE = re.compile(
    r"(?i:bucket)[A-Za-z_-]{0,10}[\"']?[ \t]{0,3}(?:[:=]|=>)[ \t]{0,3}[\"'`]?([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?![A-Za-z0-9_.-])",
    _A,
)


def _global_ipv6(value: str) -> bool:
    if not any(c.isdigit() for c in value) or ("::" not in value and value.count(":") != 7):
        return False
    try:
        return not ipaddress.ip_address(value).is_loopback and value != "::"
    except ValueError:
        return False


# RE2 (one DFA pass; Python's re would try the leading alternation at every position).
_CREDENTIAL = re2.compile(
    r"(?i)-----BEGIN [A-Z ]{0,40}PRIVATE KEY|PuTTY-User-Key-File|"
    r"[a-z][a-z0-9+.-]{1,20}://[^\s/@:'\"]{0,64}:[^\s/@'\"]{1,128}@|"
    r"\b(?:gh[pousr]_|github_pat_|glpat-|sk-|sk_live_|sk_test_|rk_live_|xox[a-z]-|xapp-|AIza|ya29\.|npm_|pypi-)"
    r"[A-Za-z0-9_\-]{12,}|"
    r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.|"
    r"(?:password|passwd|pwd|secret|token|api_?key|비밀번호|비번|패스워드|암호)[\"']?(?:\s{0,2}[:=]|\s?(?:은|는))\s{0,2}[\"']?"
    r"([^\s\"',;]{4,})|"
    r"\b(?:Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{12,}",
)
_ENV_REFERENCE = re.compile(
    r"[:=]\s{0,2}[\"']?(?:os\.environ|os\.getenv|getenv\(|process\.env|import\.meta\.env|System\.getenv|ENV\[)"
)
_KOREAN_WORD_AFTER = re.compile(r"(?:은|는)\s{0,2}[\"']?[가-힣]+[.!?]*\Z")
# 비밀번호는 8~16자의, 비밀번호: 10자리, 암호 변경 주기는 90일: a policy's quantity, not a password.
_QUANTITY_AFTER = re.compile(r"(?:[:=]|은|는)\s{0,2}[\"']?[0-9][0-9~.,\-]{0,8}[가-힣][가-힣.!?]*\Z")
_HANGUL_WORD = re.compile(r"[가-힣]+[.!?]*")
_CALL = re.compile(r"[A-Za-z_][\w.]*\(")
_ANGLE_PLACEHOLDER = re.compile(r"<[^<>\n]{1,60}>")  # `<발급받은 키>`: words in angle brackets, spaces and all
_ASSIGNED_TOKEN = re.compile(r"[:=]\s{0,2}[\"']?MASK[_-]", re.IGNORECASE)


def _credentials(text: str, found: list[tuple[str, int, int]]) -> None:
    for m in _CREDENTIAL.finditer(text):
        value = m.group()
        if _ASSIGNED_TOKEN.search(value):
            continue  # password=MASK_CREDENTIAL_...: already masked
        if (
            value.lower().endswith(("[비공개]", "***"))
            or "${" in value
            or "$(" in value
            or _ENV_REFERENCE.search(value)
        ):
            continue  # a placeholder, a substitution or a reference to the environment (`= process.env.X`)
        password = value.lower().startswith(("pass", "pwd", "비밀", "비번", "패스", "암호"))
        if m.group(1) is not None and (
            no_value(m.group(1).strip("\"'"), password) or _ANGLE_PLACEHOLDER.match(text, m.start(1)) is not None
        ):
            continue  # `api_key: YOUR_API_KEY_HERE`, `secret: HTTPServerConfig`: documentation, not a value
        if (m.group(1) or "").startswith("-----"):
            continue  # `…token=` ending a key's base64 line, then its `-----END` line: armour, not a value
        if _CALL.fullmatch(m.group(1) or "") or (m.group(1) is not None and reference_at(text, m.start(1))):
            continue  # `DB_PASSWORD = base64.b64decode(…)`: a call, whose literal argument the catalogue judges
        if (
            _KOREAN_WORD_AFTER.search(value)
            or _QUANTITY_AFTER.search(value)
            or _HANGUL_WORD.fullmatch(m.group(1) or "")
        ):
            continue  # 비밀번호는 주기적으로 변경, `"password": "비밀번호"`: words about passwords, not one
        # after a label, the value alone: `JWT_SECRET=…` keeps its name (`JWT_` + a token was the damage)
        found.append(("CREDENTIAL", *(m.span(1) if m.group(1) is not None else m.span())))


# Values written apart (stop 36), read here with patterns of this module's own: a provider token's prefix, then its
# pieces across spaces, spaced dashes, an ellipsis, a line break or a `\` continuation; an access key id in groups;
# letters typed one by one; a value continued with `\` after a secret's name; a password after an identifier's name
# and a space (`DB_PASSWORD Prod!Pw#78`, `set DB_PASS to X`); a value after a password label spelled apart or typed
# as jamo. A piece after a prefix must look random (a digit, or mixed case that is no word).
_APART_PREFIX = re.compile(r"(?<![A-Za-z0-9_-])(?:gh[pousr]_|github_pat_|glpat-|sk-|xox[a-z]|AIza|npm_|hf_)")
_KEY_ID_START = re.compile(r"(?<![A-Za-z0-9])A(?:KIA|SIA|ROA|IDA)")
# from a key id's prefix, at most eight groups of at most 20 (what 20 characters can be written as); a few Korean or
# lower-case words between two of them too (`ASIAJZ5V 로 시작하고 그 뒤에 DVCWQOSG3XSG`; s37 misc37)
_KEY_ID_APART = re.compile(
    r"[A-Z0-9]{1,20}(?:(?:[ \t]?(?:\.\.\.|…)[ \t]?|[ \t]{0,2}[-_.][ \t]{0,2}|[ \t]{1,2}|\\?\r?\n[ \t]*"
    r"|[ \t]{0,2}(?:[가-힣]{1,8}|[a-z]{1,8})(?:[ \t,.]{1,3}(?:[가-힣]{1,8}|[a-z]{1,8})){0,5}[ \t,.:]{1,3})[A-Z0-9]{1,20}){1,8}"
)
_KEY_ID_PIECE = re.compile(r"[A-Z0-9]+")
_PROSE_IN_KEY = re.compile(r"[가-힣a-z]")
_APART_PIECE = re.compile(r"[A-Za-z0-9_+/=-]+")
_APART_GAP = re.compile(r"[ \t]{0,2}(?:[-_]|\.\.\.|…|\\?\r?\n[ \t>]*)?[ \t]{0,2}")
_PLAIN_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+[a-z]?")
_ONE_BY_ONE_LETTERS = re.compile(r"(?<![^\s])(?:[!-~] ){9,}[!-~](?![^\s])")
_LABEL_BEFORE_LETTERS = re.compile(
    r"(?i)(?:passw(?:or)?d|pwd|pw|비밀번호|비번|암호|패스워드)[\"']?[ \t]{0,2}[:=]?[ \t]{0,2}\Z"
)
_TOKEN_HEAD = re.compile(
    r"(?:gh[pousr]_|github_pat_|glpat-|sk-|xox[a-z]-|AIza|npm_|hf_)[A-Za-z0-9_-]{16}|A(?:KIA|SIA)[A-Z0-9]{16}"
)
_CONTINUED = re.compile(
    r"(?i)(?:pass|pwd|secret|token|key|auth|credential|비밀|비번|암호)[\w.-]{0,30}[\"']?\s{0,2}[:= ]\s{0,2}[\"']?"
    r"([^\s\\\"']{2,400})\\\r?\n[ \t]*([A-Za-z0-9+/=_.-]{2,400})"
)
_NAME_SPACE_VALUE = re.compile(
    r"(?:(?i:[A-Za-z0-9][\w.-]{0,40}[_.-](?:passw(?:or)?d|pass|pwd|secret|token|(?:api|access|private)[_.-]?key))|"
    r"[A-Z]{2,20}(?:PASSWORD|PASSWD|PASS|PWD))[ \t]+"
    r"(?:(?:secret|value|to|is|as)[ \t]+){0,2}"
    r"[\"']?([^\s\"',;<>]{6,64})"
)
_LABEL_WRITTEN_APART = re.compile(
    r"(?i)(?<![a-z0-9])p[ ._-]{1,2}(?:a[ ._-]{1,2}s[ ._-]{1,2}s(?:[ ._-]{1,2}w[ ._-]{1,2}o[ ._-]{1,2}r[ ._-]{1,2}d)?|"
    r"w[ ._-]{1,2}d)(?![a-z0-9])"
    r"|비[ \t]{0,2}밀[ \t]{0,2}번[ \t]{0,2}호|비[ \t]{0,2}번|패[ \t]{0,2}스[ \t]{0,2}워[ \t]{0,2}드|"
    + "|".join(
        "[ \t]?".join(map(re.escape, normalise(jamo).text))
        for jamo in ("ㅂㅣㅁㅣㄹㅂㅓㄴㅎㅗ", "ㅂㅣㅂㅓㄴ", "ㅍㅐㅅㅡㅇㅝㄷㅡ", "ㅍㅐㅅㅡㅇㅜㅓㄷㅡ")
    )
    + r"|(?<![a-z])(?:qlalfqjsgh|qlqjs|votmdnjem)(?![a-z])"
)
_AFTER_LABEL = re.compile(r"[\"']?[ \t]{0,3}(?:[:=]|은|는|is)?[ \t]{0,3}[\"']?([^\s\"',;<>]{6,64})")
# `the password for the prod replica is X`: a password's word, a few words, `is`, the value (the sentence's own)
_PASSWORD_IS = re.compile(
    r"(?i)(?<![a-z])(?:passw(?:or)?d|pwd|비밀번호|비번)(?![a-z])[^\n.:=]{0,40}?[ \t](?:is|was)[ \t]+[\"']?([^\s\"',;<>]{6,64})"
)


def _random_looking(value: str) -> bool:
    """A digit and a letter, or a symbol and a letter, or both cases not as a word: not `required`, `Vault`."""
    letters = any(c.isalpha() for c in value)
    digits = any(c.isdigit() for c in value)
    symbols = any(not c.isalnum() for c in value.strip(".,"))
    return letters and (digits or symbols or _PLAIN_WORD.fullmatch(value) is None) and not value.startswith("$")


_APART_GATES = frozenset(
    (
        *("APART_TOKEN", "APART_KEYID", "APART_CONTINUED", "APART_VALUE"),
        *("APART_LETTERS", "APART_NAME", "APART_IS", "APART_LABEL"),
    )
)
# a key's value after its name in pieces of 12+ base64 characters cut by single spaces, mixed case and digits together
_NAMED_VALUE_APART = re.compile(
    r"(?i)(?:secret|token|key|passw(?:or)?d|credential|시크릿|토큰|키|비밀번호|비번)[\w.-]{0,30}[\"']?[ \t]{0,3}[:=][ \t]{0,3}[\"']?"
    r"((?:[A-Za-z0-9/+=]{12,400}[ \t]){1,12}[A-Za-z0-9/+=]{12,400})(?![A-Za-z0-9/+=])"
)
# a call, a URL, a path, a reference or template, `k=v`, an e-mail address
_NOT_A_VALUE = re.compile(r"[\w.]*\([^()]*\)?|.*://.*|[/~$<{%].*|[\w.-]+=.*|[\w.+-]+@[\w-]+\.[\w.-]+")


def _a_password(value: str) -> bool:
    """A value after a password's name or label: a letter and a digit, random looking, not a reference or a call."""
    return _random_looking(value) and any(c.isdigit() for c in value) and _NOT_A_VALUE.fullmatch(value) is None


def _written_apart(text: str, found: list[tuple[str, int, int]], present: set[str]) -> None:
    if "APART_KEYID" in present:
        _key_ids_apart(text, found)
    if "APART_TOKEN" in present:
        _tokens_apart(text, found)
    if "APART_LETTERS" in present:
        for m in _ONE_BY_ONE_LETTERS.finditer(text):
            letters = m.group()[::2]
            labelled = _LABEL_BEFORE_LETTERS.search(text, max(0, m.start() - 24), m.start()) is not None
            if _TOKEN_HEAD.search(letters) or (labelled and _a_password(letters)):
                found.append(("CREDENTIAL", *m.span()))
    if "APART_CONTINUED" in present:
        for m in _CONTINUED.finditer(text):
            if _random_looking(m.group(1) + m.group(2)):
                found.append(("CREDENTIAL", m.start(1), m.end(2)))
    if "APART_VALUE" in present:
        for m in _NAMED_VALUE_APART.finditer(text):
            pieces = m.group(1).split()
            if _mixed("".join(pieces)) and not any(_PLAIN_WORD.fullmatch(p) for p in pieces):
                found.append(("CREDENTIAL", *m.span(1)))
    if "APART_NAME" in present:
        for m in _NAME_SPACE_VALUE.finditer(text):
            if _a_password(m.group(1)):
                found.append(("CREDENTIAL", *m.span(1)))
    if "APART_IS" in present:
        for m in _PASSWORD_IS.finditer(text):
            value = m.group(1).rstrip(".")
            if _a_password(value):
                found.append(("CREDENTIAL", m.start(1), m.start(1) + len(value)))
    if "APART_LABEL" in present:
        for m in _LABEL_WRITTEN_APART.finditer(text):
            if m.group() in ("비밀번호", "비번", "패스워드"):
                continue  # written whole: the credential pattern above reads it
            value = _AFTER_LABEL.match(text, m.end())
            if value is not None and _a_password(value.group(1)):
                found.append(("CREDENTIAL", *value.span(1)))


def _key_ids_apart(text: str, found: list[tuple[str, int, int]]) -> None:
    read_to = 0
    for m in _KEY_ID_START.finditer(text):
        if m.start() < read_to:
            continue  # inside the key before
        run = _KEY_ID_APART.match(text, m.start())
        if run is None:
            continue
        size, glued = 0, None
        for piece in _KEY_ID_PIECE.finditer(run.group()):
            size += len(piece.group())
            if glued is None:
                glued = len(piece.group()) > 4  # `AKIAPRBT NYOR…`, not `ASIA PACIFIC …`
            if size >= 20:
                body = run.group()[: piece.end()]
                prose = _PROSE_IN_KEY.search(body)  # words between: the pieces after them must hold a digit
                told = prose is None or any(c.isdigit() for c in body[prose.end() :])
                if size == 20 and (glued or not body.replace(" ", "").isalpha()) and piece.start() > 0 and told:
                    found.append(("AWSKEYID", m.start(), m.start() + piece.end()))
                    read_to = m.start() + piece.end()
                break


def _tokens_apart(text: str, found: list[tuple[str, int, int]]) -> None:
    read_to = 0
    for m in _APART_PREFIX.finditer(text):
        if m.start() < read_to:
            continue  # inside the pieces of the token before: each piece is read once
        first = _APART_PIECE.match(text, m.start())
        if first is None:
            continue
        compact, end, pieces = first.group(), first.end(), 1
        while len(compact) < 400:
            gap = _APART_GAP.match(text, end)
            piece = _APART_PIECE.match(text, gap.end()) if gap is not None and gap.end() > end else None
            if piece is None or not (
                len(piece.group()) == 1 or piece.group().isdigit() or _random_looking(piece.group())
            ):
                break
            if "=" in piece.group().rstrip("=") or not gap.group().strip(" \t"):
                break  # `pid=4123` after a token; a token is not spaced, only wrapped or cut
            compact, end, pieces = compact + piece.group(), piece.end(), pieces + 1
        read_to = end
        if (pieces > 1 or (m.group().startswith("xox") and "_" in first.group()[4:6])) and len(compact) >= 24:
            body = compact[len(m.group()) :]
            if any(c.isdigit() for c in body) and any(c.isalpha() for c in body):
                found.append(("CREDENTIAL", m.start(), end))


def _mixed(value: str) -> bool:
    return any(c.isupper() for c in value) and any(c.islower() for c in value) and any(c.isdigit() for c in value)


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


# A secret with a short run of `-_./*~` or an HTML tag between its characters (`청운-데이터-랩`, `<b>청운</b>데이터랩`):
# the text and the variants that hold a letter, 3 characters or more, read with those dropped (own pattern, the
# same reading as the detectors', so what this finds the masker has masked).
_SECRET_GAP = re.compile(
    r"\s+|(?<![-_./*~])[-_./*~]{1,3}(?![-_./*~])|</?[A-Za-z][A-Za-z0-9]{0,9}(?:\s[^<>\n]{0,60})?/?>"
)
_A_LETTER = re.compile(r"[^\W\d_]")
# `_SECRET_GAP` but whitespace, written to start with one character class: `re` then skips in C to the next
# `-_./*~<` (its lookbehind first tried a match at every character, ~1.5 ms a 20 KB prompt). `[S](?<![S].)` is
# `(?<![S])[S]`; no gap starts inside whitespace, and whitespace inside a tag goes with the tag either way, so
# dropping these, then the whitespace, reads the same as `_SECRET_GAP.sub("", text)`.
_NON_SPACE_GAP = re.compile(
    r"[-_./*~<](?:(?<=<)/?[A-Za-z][A-Za-z0-9]{0,9}(?:\s[^<>\n]{0,60})?/?>"
    r"|(?<=[-_./*~])(?<![-_./*~].)[-_./*~]{0,2}(?![-_./*~]))"
)


def _secret_hits(text: str, variants: Iterable[str]) -> list[tuple[str, int, int]]:
    """Each secret variant (folded, without whitespace) found in the folded, squeezed text."""
    variants = tuple(variants)
    squeezed = "".join(text.split()).lower()
    found = _variant_hits(squeezed, variants)
    joined = _joined_variants(variants)
    # only when a joined variant's first and last characters are in the text (the common text: one C search each)
    if not found and any(j[0] in squeezed and j[-1] in squeezed for j in joined):
        found = _variant_hits("".join(_NON_SPACE_GAP.sub("", text).split()).lower(), joined)
    return found


@functools.lru_cache(maxsize=64)
def _joined_variants(variants: tuple[str, ...]) -> tuple[str, ...]:
    """The variants that hold a letter, read without gaps, 3 characters or more, sorted (once per company)."""
    return tuple(
        sorted({j for v in variants if _A_LETTER.search(v) is not None and len(j := _SECRET_GAP.sub("", v)) >= 3})
    )


def _variant_hits(squeezed: str, variants: Iterable[str]) -> list[tuple[str, int, int]]:
    found = []
    for variant in variants:
        pos = squeezed.find(variant)
        while pos != -1:
            before = squeezed[pos - 1] if pos else ""
            after = squeezed[pos + len(variant)] if pos + len(variant) < len(squeezed) else ""
            inside = (_ascii_alnum(variant[0]) and _ascii_alnum(before)) or (
                _ascii_alnum(variant[-1]) and _ascii_alnum(after)
            )
            if not inside:
                found.append(("SECRET", pos, pos + len(variant)))
                break
            pos = squeezed.find(variant, pos + 1)
    return found


# The types of a person's values (detect.py's names, read here from the token text only).
_PERSONAL_TYPES = frozenset(
    {"RRN", "FRN", "PHONE", "EMAIL", "BANKACCT", "CARD", "PASSPORT", "DRIVERLIC", "HEALTHINS", "CLOUDID"}
)
_PERSONAL_MARK = "\u00a7"


def _flatten_token(token: str) -> str:
    return (_PERSONAL_MARK if token[5:-17].upper() in _PERSONAL_TYPES else " ") * len(token)


def _beside_personal_value(text: str, start: int) -> bool:
    """A masked value of a person's on the same line, within 80 characters (a row of one person's values)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    return _PERSONAL_MARK in text[max(line_start, start - 80) : min(line_end, start + 96)]


def leak_scan(text: str, secret_variants: Iterable[str] = ()) -> list[tuple[str, int, int]]:
    """Every refused shape in `text`: (class, start, end) with positions in the original text."""
    view = normalise(text)
    flat = view.text
    # Same length, so positions still map: a token of a person's value reads as marks (a number beside it may be
    # the same person's: `홍길동, 900101-1234568, 12345601123456`), any other as spaces. In a hexdump every token
    # reads as spaces (a wide gap, how the dump's columns are still recognised).
    parts = _TOKEN.split(flat)  # text, token, text, ..., text
    if len(parts) > 1:
        if _HAS_HEXDUMP.search(flat) is None:
            parts[1::2] = map(_flatten_token, parts[1::2])
        else:
            parts[1::2] = [" " * len(token) for token in parts[1::2]]
        flat = "".join(parts)
    found = [(kind, *view.span(s, e)) for kind, s, e in _scan(flat)]
    found.extend(_secret_hits(flat, secret_variants))  # positions in the squeezed text: approximate
    return sorted(found, key=lambda f: f[1])


def leak_check_text(text: str, secret_variants: Iterable[str] = ()) -> None:
    """Raise `MaskingLeakError` naming the first refused class; the value is never part of the message."""
    found = leak_scan(text, secret_variants)
    if found:
        kind, start, end = found[0]
        raise MaskingLeakError(kind, start, end, len(found))
