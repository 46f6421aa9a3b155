"""Amounts written in Korean text: "10000만원", "2.3억", "1억 2,000만원", "금일억이천만원정", "2천5백만원".

`parse_won` reads one amount; `parse_range` reads a bound pair such as "2.3억 이상 … 7.1억 미만". A text that holds no
amount is None (unknown), never zero.
"""

from __future__ import annotations

import re

_DIGITS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
_SMALL = {"십": 10, "백": 100, "천": 1_000}
_BIG = {"만": 10**4, "억": 10**8, "조": 10**12}
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
# A Korean digit counts only before a unit ("이천만" yes, "이상" no).
_TOKEN = rf"(?:{_NUMBER}|[일이삼사오육칠팔구](?=[십백천만억조])|[십백천만억조])"
MONEY = re.compile(rf"{_TOKEN}(?:\s*{_TOKEN})*")
_PARTS = re.compile(rf"{_NUMBER}|[일이삼사오육칠팔구십백천만억조]")


def _value(span: str) -> int | None:
    total, section, current = 0.0, 0.0, None
    for token in _PARTS.findall(span):
        if token in _DIGITS:
            current = float(_DIGITS[token])
        elif token in _SMALL:
            section += (current if current is not None else 1.0) * _SMALL[token]
            current = None
        elif token in _BIG:
            section += current or 0.0
            total += (section or 1.0) * _BIG[token]
            section, current = 0.0, None
        else:
            current = float(token.replace(",", ""))
    amount = total + section + (current or 0.0)
    return round(amount) if amount > 0 or total or section or current is not None else None


def parse_won(text: str | None) -> int | None:
    """The first amount in a text, in won ("금120,000,000원정" -> 120000000); None when there is none."""
    if not text:
        return None
    match = MONEY.search(text)
    return _value(match.group(0)) if match else None


def parse_range(text: str | None) -> tuple[int | None, int | None]:
    """(low, high) of "A 이상/초과 … B 미만/이하": low inclusive ("초과" adds one won), high exclusive ("이하" adds
    one won); a side that is not written is None."""
    if not text:
        return None, None
    low = high = None
    for match in MONEY.finditer(text):
        value = _value(match.group(0))
        after = text[match.end() : match.end() + 6]
        word = re.match(r"\s*원?\s*정?\s*(이상|초과|미만|이하)", after)
        if value is None or not word:
            continue
        kind = word.group(1)
        if kind == "이상":
            low = value
        elif kind == "초과":
            low = value + 1
        elif kind == "미만":
            high = value
        else:
            high = value + 1
    return low, high
