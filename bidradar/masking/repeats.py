"""A value masked once is masked wherever else it stands in the same call: in the rest of the text, in another part
of the prompt, in another field of a proxied request.

The detectors find a value by its shape and its context; a second copy of it often has less context
(`Password: X` then `Confirm: X`, an account id in a sentence and again in a `terraform import` line, a phone written
again without its dashes in a file name). So after the detectors, every value of the call's vault, and the parts of
it that are values of their own (`secret_parts`), is looked up in the text and replaced by its token.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import ahocorasick

from bidradar.masking import detect as d
from bidradar.masking.masker import Masker
from bidradar.masking.tokens import Vault

# Shorter values would mask ordinary text everywhere: a PIN (`1234`), and a piece of a number told apart (`2025` of
# a phone read out in pieces masked every year of a notice). A number of digits only needs 7 of them.
_MIN_CHARS = 6
_Span = TypeVar("_Span", bound=tuple[int, ...])  # (start, end, whatever else a finder keeps)
_MIN_DIGITS = 7
# Longer values are blocks (a private key, a residue the size of the text) whose parts are what repeats, and the
# automaton crashes on a word of a megabyte (pyahocorasick segfaulted on 999,993 characters).
_MAX_CHARS = 1024

# The parts of a masked value that are values of their own: the password of `user:password@host` (masked inside an
# e-mail-shaped or URL span), the account and the resource name of an ARN, the lines of a private key's body, the
# instance name of an AWS host, the digits of a number written with separators. A text may hold them alone
# elsewhere (an object key, the query string: `{"VG0kUG_No03DpQ": 1}`, `terraform import … 482917364015`).
_USER_PASSWORD_HOST = re.compile(r"[^\s:/@]{0,128}:([^\s/@]{4,256})@[A-Za-z0-9.\[_-]")
_ARN = re.compile(r"arn:[\w-]+:([\w-]+):[\w-]*:([0-9]{12})?:(.+)")
_ARN_RESOURCE_TYPE = re.compile(r"[\w-]{1,40}[/:]")
_KEY_LINE = re.compile(r"[A-Za-z0-9+/]{32,}={0,2}")
_NAMED_RESOURCE = re.compile(r"[-_0-9]|[a-z][A-Z]")  # a made name (`acme-prod-x`, `MyRole`), not a word (`customers`)
# A made name: letters and digits, not a region (`ap-northeast-2`, `us-gov-west-1`) nor a service's own label.
_NOT_DIGITS = re.compile(r"[^0-9]+")
_HOST_NAME = re.compile(r"(?![a-z]{2}(?:-gov)?-[a-z]+-[0-9]\Z)(?=[a-z0-9-]*[0-9])(?=[a-z0-9-]*[a-z])[a-z0-9-]{6,63}")
# Numbers whose digits alone are the value (a phone in `KIM01023456789.vcf`, a licence written without its dashes).
_DIGIT_KINDS = frozenset(
    [d.PHONE, d.RRN, d.FRN, d.BRN, d.CRN, d.BANK_ACCOUNT, d.CARD, d.DRIVER_LICENSE, d.AWS_ACCOUNT, d.NUMBER]
)


def secret_parts(kind: str, value: str) -> list[tuple[str, str]]:
    """The values inside a masked value that a text may hold alone (see above), with their kinds."""
    parts = [(d.CREDENTIAL, m.group(1)) for m in _USER_PASSWORD_HOST.finditer(value)] if "@" in value else []
    arn = _ARN.match(value) if kind == d.AWS_ARN else None
    if arn is not None:
        service, account, resource = arn.groups()
        if account:
            parts.append((d.AWS_ACCOUNT, account))
        resource_type = _ARN_RESOURCE_TYPE.match(resource)
        if service == "s3":  # the bucket
            name = re.split(r"[/:*]", resource, maxsplit=1)[0]
        else:  # `role/path/Name`, `function:name:alias`, `table/name`: the name after the resource type
            resource = resource[resource_type.end() :] if resource_type is not None else ""
            name = resource.split(":", 1)[0].rsplit("/", 1)[-1]
        if len(name) >= 6 and _NAMED_RESOURCE.search(name):
            parts.append((kind, name))
    if kind == d.PRIVATE_KEY:  # each line of the key's body (a client may paste one line alone)
        parts += [(kind, line) for line in _KEY_LINE.findall(value)]
    if kind == d.AWS_HOST:  # the instance's own name (`c9xk2mq1abcd` of `db.c9xk2mq1abcd.ap-northeast-2.rds…`)
        parts += [(kind, label) for label in value.split(".") if _HOST_NAME.fullmatch(label)]
    if kind in _DIGIT_KINDS:
        digits = _NOT_DIGITS.sub("", value)
        if len(digits) >= 8 and len(digits) < len(value):
            parts.append((kind, digits))
    return [(part_kind, part) for part_kind, part in parts if part != value]


def add_secret_parts(masker: Masker, skip: frozenset[str] = frozenset()) -> None:
    """Give every secret part of the vault's values a token of its own, so that `KnownValues` finds it."""
    for token, value in list(masker.vault.values.items()):
        kind = token.split("_")[1]
        if kind not in skip:
            for part_kind, part in secret_parts(kind, value):
                masker.token_for(part_kind, part)


class KnownValues:
    """Every value of a vault (6 characters or more), found in a text whole: not inside a longer word, number or
    token; a number of digits only not inside a longer number (letters may touch it: `KIM01023456789.vcf`).

    A copy in other letter case (`GMGQVFA5SV!7` after `비밀번호: GMGqVFA5SV!7`, `BUCKET=CW-LOGS-BAK` after
    `s3://cw-logs-bak`) is the same secret to a reader: with `masker`, it is masked as a token of its own (so the
    text comes back as written); without one (a vault alone), only exact copies are found."""

    def __init__(self, vault: Vault, skip: frozenset[str] = frozenset(), masker: Masker | None = None) -> None:
        self.by_value: dict[str, str] = {}
        for token, value in vault.values.items():
            if _worth_repeating(value) and token.split("_")[1] not in skip:
                self.by_value.setdefault(value, token)
        self._masker = masker
        # lower-cased value -> the token of its first copy; a value whose lower case changes its length (`İ`)
        # is found only as written
        self._by_lower: dict[str, str] = {}
        self._automaton = ahocorasick.Automaton()
        for value, token in self.by_value.items():
            lower = value.lower() if masker is not None else value
            if len(lower) != len(value):
                lower = value
            self._by_lower.setdefault(lower, token)
            self._automaton.add_word(lower, len(lower))
        if self.by_value:
            self._automaton.make_automaton()

    def __bool__(self) -> bool:
        return bool(self.by_value)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each known value in `text`: the longest at each place, disjoint, left to right."""
        hits: list[tuple[int, int]] = []
        for last, length in self._automaton.iter(self._folded(text)):
            start, end = last - length + 1, last + 1
            glued = _digit if text[start:end].isdigit() else continues_word
            if not (glued(text, start - 1) or glued(text, end)):
                hits.append((start, end))
        return longest_disjoint(hits)

    def sub(self, text: str, token: Callable[[str], str] | None = None) -> str:
        """`text` with each known value replaced by its token (`token` sees the token first: it may count it)."""
        if not self.by_value:
            return text
        found = self.spans(text)
        if not found:
            return text
        parts: list[str] = []
        pos = 0
        for start, end in found:
            known = self._token_of(text[start:end])
            if known is None:  # a copy in other case whose lower case is another length (not found above)
                continue
            parts += (text[pos:start], token(known) if token is not None else known)
            pos = end
        parts.append(text[pos:])
        return "".join(parts)

    def _folded(self, text: str) -> str:
        """`text` in lower case, character for character (so positions stay); as written without a masker."""
        if self._masker is None:
            return text
        lower = text.lower()
        if len(lower) == len(text):  # lower() never shortens a character: equal length, one to one
            return lower
        return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)

    def _token_of(self, copy: str) -> str | None:
        exact = self.by_value.get(copy)
        if exact is not None:
            return exact
        first = self._by_lower.get(copy.lower())
        if first is None or self._masker is None:
            return None
        return self._masker.token_for(first.split("_")[1], copy)


def mask_repeats(masker: Masker, text: str, skip: frozenset[str] = frozenset()) -> str:
    """`text` with every value of the masker's vault (and its secret parts), but those of the kinds in `skip`,
    masked wherever it stands."""
    add_secret_parts(masker, skip)
    return KnownValues(masker.vault, skip, masker).sub(text)


def _worth_repeating(value: str) -> bool:
    return _MIN_CHARS <= len(value) <= _MAX_CHARS and (len(value) >= _MIN_DIGITS or not value.isdigit())


def longest_disjoint(hits: list[_Span]) -> list[_Span]:
    """Of spans (start, end, ...), the longest at each place, disjoint, left to right."""
    hits.sort(key=lambda h: (h[0], -h[1]))
    out: list[_Span] = []
    reach = 0
    for hit in hits:
        if hit[0] >= reach:
            out.append(hit)
            reach = hit[1]
    return out


def continues_word(text: str, i: int) -> bool:
    """Whether text[i] continues a Latin word, a number or a token (ASCII letters, digits, underscores); a Korean
    particle right after a value (`s3cr3tPassw0rd입니다`) does not."""
    return 0 <= i < len(text) and text[i].isascii() and (text[i].isalnum() or text[i] == "_")


def _digit(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isdigit()
