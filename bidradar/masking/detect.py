"""Detection of identifying values in free text (Korean and English).

A handful of compiled passes (numbers, dashes, "@", S3, ARNs, access keys, secret keys), each built so that
the regex engine skips in C over characters that cannot start a match, find candidate spans; the shapes that
need more than a regex (dates inside 주민등록번호, checksums, "is there a bank word just before this number") are
decided by small pure validation functions. Caller-supplied secrets are matched by a second regex, and
overlapping detections are merged so that nothing that was detected is ever left partly exposed.

Boundary decisions (documented because they decide what counts as a leak vs a false positive):
- A number glued to ASCII letters or digits (`R26BK01706792`, `v1.2.3.4`) is part of a code, not a value.
- A dotted quad is an IPv4 address when every octet is 0-255 without leading zeros and it is not part of a
  longer dotted number (`1.2.3.4.5`) nor prefixed by a letter (`v1.2.3.4`). A bare `1.2.3.4` is masked:
  it cannot be told apart from an address, and masking too much is the safe side.
- Landline numbers need separators (`02-123-4567`, `(031) 123-4567`); only mobile numbers are recognised
  without them (`01012345678`), since 9-10 digit runs are usually amounts or codes.
- A bare 10-digit number is a 사업자등록번호 when its checksum holds (about 1 in 10 random numbers do).
- A 13-digit number is a 주민/외국인등록번호 when its first 7 digits form a valid birth date with a gender
  digit 1-8; the check digit is ignored because numbers issued since October 2020 have a random tail.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

# Entity types. They become part of the token (`MASK_<TYPE>_<HEX>`), so only uppercase ASCII letters.
AWS_ID = "AWSID"
AWS_ARN = "ARN"
AWS_ACCOUNT = "AWSACCOUNT"
AWS_ACCESS_KEY = "AWSKEY"
AWS_SECRET_KEY = "AWSSECRET"
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

ENTITY_TYPES: tuple[str, ...] = (
    AWS_ID,
    AWS_ARN,
    AWS_ACCOUNT,
    AWS_ACCESS_KEY,
    AWS_SECRET_KEY,
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


# --- the patterns -------------------------------------------------------------------------------------
#
# Speed: Python's `re` only skips quickly over characters that cannot start a match when the pattern begins
# with a literal or a character class. A lookbehind first (the usual way to write a boundary) disables that
# and costs ~300 ns per character. So each pass below starts by consuming one character of a small class,
# and the boundary lookbehinds come after it, one character wider (`X(?<![A-Za-z0-9_].)` is the same test
# as `(?<![A-Za-z0-9_])X`). All passes use re.ASCII: a Hangul particle glued to a value is a boundary.

_SEP = r"[ .-]"
_AREA = r"(?:2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|80|50[2-8])"  # 02, 031-064, 070, 080, 050x
_MOBILE = r"(?:1[016789])"
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
# The first octet with its first digit already consumed (see above): what may follow that digit.
_FIRST_OCTET_REST = r"(?:(?<=2)(?:5[0-5]|[0-4][0-9])|(?<=1)[0-9]{2}|(?<=[1-9])[0-9])?"

# Numbers: IPv4 addresses, phone numbers, and runs of >= 10 digits (resident, business, corporate, bank,
# AWS account numbers) that `classify_number` types or rejects.
_NUMERIC_RE = re.compile(
    rf"""
    [0-9+(](?<![A-Za-z0-9_].)  # shared boundary first: digits inside a number fail here, cheaply
    (?:
        (?P<ip>(?<![.].)(?<=[0-9]){_FIRST_OCTET_REST}(?:\.{_OCTET}){{3}}
            (?![A-Za-z0-9_]|\.[0-9]))
      | (?P<phone>(?<![+].)(?<![0-9][.,-].)
            (?:
                (?<=\+)82{_SEP}?(?:\(0\){_SEP}?)?(?:{_MOBILE}|{_AREA}){_SEP}?[0-9]{{3,4}}{_SEP}?[0-9]{{4}}
              | (?<=0){_MOBILE}{_SEP}?[0-9]{{3,4}}{_SEP}?[0-9]{{4}}
              | (?<=0){_AREA}{_SEP}[0-9]{{3,4}}{_SEP}[0-9]{{4}}
              | (?<=\()0{_AREA}\)\ ?[0-9]{{3,4}}{_SEP}[0-9]{{4}}
              | (?<=1)(?:5(?:22|33|44|55|66|77|88|99)|6(?:00|44|61|66|68|70|88)|8(?:00|11|33|55|77|99))
                    -[0-9]{{4}}
            )
            (?![A-Za-z0-9_]|[.,-][0-9]))
      | (?P<num>(?<![0-9][.,-].)(?<=[0-9])(?=(?:-?[0-9]){{9}})[0-9]*(?:-[0-9]+)*
            (?![A-Za-z0-9_]|[.,][0-9]))
    )
    """,
    re.ASCII | re.VERBOSE,
)
# AWS resource ids, anchored on their dash; the prefix before the dash is checked by `_AWS_ID_PREFIX_RE`.
_AWS_ID_TAIL_RE = re.compile(r"-(?:[0-9a-fA-F]{17}|[0-9a-fA-F]{8})(?![A-Za-z0-9_])", re.ASCII)
_AWS_ID_PREFIX_RE = re.compile(
    r"(?<![A-Za-z0-9_-])(?:eipalloc|subnet|snap|vol|sg|vpc|igw|nat|eni|ami|rtb|acl|tgw|i)\Z", re.ASCII
)
# E-mail addresses, anchored on "@"; the local part is found backwards by `_EMAIL_LOCAL_RE`.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
_EMAIL_DOMAIN_RE = re.compile(rf"@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,24}}(?![A-Za-z0-9-])", re.ASCII)
_EMAIL_LOCAL_RE = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}\Z", re.ASCII)
# S3: s3://bucket, bucket.s3[.region].amazonaws.com, s3[.region].amazonaws.com/bucket.
_BUCKET = r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"
_BUCKET_END = r"(?![A-Za-z0-9_-])(?!\.[A-Za-z0-9])"
_S3_RE = re.compile(  # anchored on the "3": far rarer than "s", so the scan skips more (see above)
    rf"3(?<=[sS]3)(?:://(?P<uri>{_BUCKET}){_BUCKET_END}"
    rf"|[.-](?:[a-z0-9-]+\.)*?amazonaws\.com(?:\.cn)?(?:/(?P<path>{_BUCKET}){_BUCKET_END})?)",
    re.ASCII,
)
_BUCKET_BEFORE_RE = re.compile(rf"(?<![A-Za-z0-9_.-]){_BUCKET}\Z", re.ASCII)
# Whole ARNs (their account id and resource name included).
_ARN_RE = re.compile(
    r"arn(?<![A-Za-z0-9_]arn):aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:[0-9]{12})?:"
    r"[A-Za-z0-9_/.:+=@*$-]*[A-Za-z0-9_/+=@*$-]",
    re.ASCII,
)
# AWS access key ids.
_ACCESS_KEY_RE = re.compile(r"A(?<![A-Za-z0-9]A)(?:KIA|SIA|BIA|CCA)[A-Z0-9]{16}(?![A-Za-z0-9])", re.ASCII)
# Secret access keys: 40 base64 characters within 40 characters after a secret word. The words are found
# with str.find (C speed, no per-character regex attempts); the value is then matched from the word on.
_SECRET_WORDS = ("secret", "Secret", "SECRET", "시크릿", "비밀", "private", "Private", "PRIVATE")
_SECRET_AFTER_WORD_RE = re.compile(
    r"(?:(?<=비밀)\s*키|(?<=[pP]rivate|PRIVATE)[\s_-]*[kK][eE][yY]|(?<=ecret)|(?<=ECRET)|(?<=시크릿))"
    r"[^\n]{0,40}?(?<![A-Za-z0-9/+])(?P<v>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
    re.ASCII,
)

# Words that, shortly before a number, say what the number is. Searched in a short window only.
_CONTEXT_WINDOW = 40
_AWS_ACCOUNT_CTX = re.compile(r"account|계정|owner\s*id", re.IGNORECASE)
_BANK_CTX = re.compile(
    r"은행|뱅크|bank|계좌|account|acct|입금|예금주|신한|농협|수협|신협|새마을금고|우체국|KB|NH|IBK|SC제일|씨티",
    re.IGNORECASE,
)
_CRN_CTX = re.compile(r"법인\s*(?:등록)?\s*번호|corporate\s+registration", re.IGNORECASE)
_BRN_CTX = re.compile(r"사업자|business\s+reg", re.IGNORECASE)


def _context_has(text: str, start: int, pattern: re.Pattern[str]) -> bool:
    return pattern.search(text, max(0, start - _CONTEXT_WINDOW), start) is not None


# --- validators (pure) ---------------------------------------------------------------------------------

_CENTURY_BY_GENDER_DIGIT = {"1": 1900, "2": 1900, "3": 2000, "4": 2000, "5": 1900, "6": 1900, "7": 2000, "8": 2000}


def resident_number_kind(digits: str) -> str | None:
    """RRN/FRN for 13 digits whose first 7 are a real birth date and a gender digit 1-8, else None.

    The check digit is deliberately not verified: since October 2020 the last 6 digits are random.
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


def classify_number(text: str, start: int, value: str) -> str | None:
    """Type of a hyphen-separated digit run with at least 10 digits, or None if it is just a number."""
    groups = value.split("-")
    digits = "".join(groups)
    shape = tuple(len(g) for g in groups)
    if shape in ((6, 7), (13,)):
        if _context_has(text, start, _CRN_CTX):
            return CRN
        resident = resident_number_kind(digits)
        if resident:
            return resident
        if _context_has(text, start, _BANK_CTX):
            return BANK_ACCOUNT
        # A bare 13-digit run passes the 법인 checksum 1 time in 10: demand the usual hyphen.
        return CRN if shape == (6, 7) and corporate_number_ok(digits) else None
    is_business_shape = shape in ((3, 2, 5), (10,))
    if is_business_shape and (business_number_ok(digits) or _context_has(text, start, _BRN_CTX)):
        return BRN
    if shape in ((12,), (4, 4, 4)) and _context_has(text, start, _AWS_ACCOUNT_CTX):
        return AWS_ACCOUNT
    if 10 <= len(digits) <= 16 and len(groups) <= 4 and min(shape) >= 2 and _context_has(text, start, _BANK_CTX):
        return BANK_ACCOUNT
    return None


# --- detection -----------------------------------------------------------------------------------------


def _numeric_candidates(text: str, out: list[Detection]) -> None:
    for m in _NUMERIC_RE.finditer(text):
        name = m.lastgroup
        if name == "ip":
            out.append(Detection(IPV4, m.start(), m.end()))
        elif name == "phone":
            out.append(Detection(PHONE, m.start(), m.end()))
        else:
            kind = classify_number(text, m.start(), m.group())
            if kind is not None:
                out.append(Detection(kind, m.start(), m.end()))


def _aws_id_candidates(text: str, out: list[Detection]) -> None:
    for m in _AWS_ID_TAIL_RE.finditer(text):
        # 8 characters back is the longest prefix, "eipalloc"; the lookbehind may look further.
        prefix = _AWS_ID_PREFIX_RE.search(text, max(0, m.start() - 8), m.start())
        if prefix is not None:
            out.append(Detection(AWS_ID, prefix.start(), m.end()))


def _email_candidates(text: str, out: list[Detection]) -> None:
    for m in _EMAIL_DOMAIN_RE.finditer(text):
        local = _EMAIL_LOCAL_RE.search(text, max(0, m.start() - 64), m.start())
        if local is not None:
            out.append(Detection(EMAIL, local.start(), m.end()))


def _s3_candidates(text: str, out: list[Detection]) -> None:
    for m in _S3_RE.finditer(text):
        start = m.start() - 1  # the "s" of "s3"
        if m.group("uri") is not None:
            out.append(Detection(S3_BUCKET, *m.span("uri")))
        elif start > 0 and text[start - 1] == ".":
            bucket = _BUCKET_BEFORE_RE.search(text, max(0, start - 64), start - 1)
            if bucket is not None:  # virtual-host style: the bucket is the host name's first labels
                out.append(Detection(S3_BUCKET, bucket.start(), bucket.end()))
        elif m.group("path") is not None and (start == 0 or not _is_word_char(text[start - 1])):
            out.append(Detection(S3_BUCKET, *m.span("path")))


def _secret_key_candidates(text: str, out: list[Detection]) -> None:
    for word in _SECRET_WORDS:
        pos = text.find(word)
        while pos != -1:
            m = _SECRET_AFTER_WORD_RE.match(text, pos + len(word))
            if m is not None:
                out.append(Detection(AWS_SECRET_KEY, *m.span("v")))
            pos = text.find(word, pos + len(word))


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "_.-")


def _pattern_candidates(text: str) -> tuple[list[Detection], list[tuple[int, int]]]:
    """Candidates of all passes, and the spans of tokens already in the text (kept untouched)."""
    protected = [m.span() for m in TOKEN_RE.finditer(text)] if TOKEN_PREFIX in text else []
    found: list[Detection] = []
    _numeric_candidates(text, found)
    if "-" in text:
        _aws_id_candidates(text, found)
    if "@" in text:
        _email_candidates(text, found)
    _s3_candidates(text, found)
    found.extend(Detection(AWS_ARN, *m.span()) for m in _ARN_RE.finditer(text))
    found.extend(Detection(AWS_ACCESS_KEY, *m.span()) for m in _ACCESS_KEY_RE.finditer(text))
    _secret_key_candidates(text, found)
    return found, protected


def _normalise_secrets(secrets: Iterable[str]) -> tuple[str, ...]:
    """Distinct non-trivial secrets, longest first (a 1-character secret would mask everything)."""
    cleaned = {s.strip() for s in secrets if s and len("".join(s.split())) >= 2}
    return tuple(sorted(cleaned, key=lambda s: (-len(s), s)))


@lru_cache(maxsize=256)
def _secret_regex(secrets: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of all secrets, longest first, any run of whitespace matching any other run.

    Case-insensitive, but written so that the pattern starts with a plain character class (the first
    characters of all secrets in both cases): with a global IGNORECASE flag `re` would try every
    alternative at every position, which costs more than all other passes together.
    """
    if not secrets:
        return None
    first_chars: set[str] = set()
    branches = []
    for secret in secrets:
        first, rest = secret[0], secret[1:]
        cases = {first, first.lower(), first.upper()}
        first_chars |= cases
        words = rest.split()
        rest_re = r"\s+".join(re.escape(w) for w in words)
        if rest[:1].isspace():
            rest_re = r"\s+" + rest_re
        branches.append(f"(?<=[{re.escape(''.join(sorted(cases)))}])(?i:{rest_re})")
    first_class = re.escape("".join(sorted(first_chars)))
    return re.compile(f"[{first_class}](?:{'|'.join(branches)})")


def compile_secrets(secrets: Iterable[str]) -> re.Pattern[str] | None:
    return _secret_regex(_normalise_secrets(secrets))


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
            if cand.end - cand.start > best.end - best.start:
                best = cand
            continue
        merged.append(Detection(best.kind, cluster_start, cluster_end))
        cluster_start, cluster_end, best = cand.start, cand.end, cand
    merged.append(Detection(best.kind, cluster_start, cluster_end))
    return merged


def _overlaps_any(d: Detection, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether `d` overlaps one of `spans` (sorted, disjoint): only the span starting last before d.end."""
    i = bisect.bisect_left(spans, (d.end,)) - 1
    return i >= 0 and spans[i][1] > d.start


def detect(text: str, secret_re: re.Pattern[str] | None = None) -> list[Detection]:
    """All detections in `text`, sorted and non-overlapping. Tokens already in the text are skipped."""
    candidates, protected = _pattern_candidates(text)
    if secret_re is not None:
        candidates.extend(Detection(SECRET, m.start(), m.end()) for m in secret_re.finditer(text))
    return _merge(candidates, protected)
