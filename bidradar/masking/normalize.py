"""The detection view of a text: what a reader sees, with offsets that map back to the original.

Values hide in written forms a regex on the raw text misses: full-width digits (０１０), ㈜ and （주）, Hangul in
NFD, en-dashes and U+2212 between digit groups, NBSP and ideographic spaces, zero-width characters inside a
number, JSON escapes (a profile written one value per line reaches the prompt as `...\\n010-1234-5678\\n...`)
and URL escapes (`010%2D1234%2D5678`). Detection therefore runs on a normalised copy:

- NFKC, per cluster (a starter and the combining marks or Hangul jamo that follow it);
- every dash variant becomes `-`, every space variant a space, every middle dot or bullet a `.`, zero-width
  characters and soft hyphens vanish;
- JSON escapes (`\\n`, `\\t`, `\\"`, `\\uXXXX` with surrogate pairs) and URL escapes (`%XX` runs, UTF-8) are decoded.

The copy is built in one left-to-right pass; only the pieces that change are touched, plain runs are copied
as slices. Characters that become one character (full-width forms, dash and space variants) or vanish
(zero-width) go through one `str.translate`; every other changed piece (an escape, a run of characters that
NFKC expands or composes) is one segment: a detection that starts or ends inside it covers the whole piece
in the original, so a masked span never cuts an escape or a composed syllable in two.
"""

from __future__ import annotations

import base64
import bisect
import html
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import re2

# With what Korean keyboards give for a dash: ㅡ (the jamo EU, typed as one: 010ㅡ1234ㅡ5678), and the katakana
# prolonged sound mark and the CJK "one" that Japanese and Chinese input methods give; the horizontal box-drawing
# lines HWP tables and PDFs give for a dash (010─1234─5678), the wave and wavy dashes (010〜1234〜5678), the two- and
# three-em dashes, the modifier minus and the heavy minus sign (stop 35: the red team's separators).
DASHES = (
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d\u3161\u30fc\u4e00\uffda"
    "\u2500\u2501\u2504\u2505\u2508\u2509\u254c\u254d\u2550\u301c\u3030\u2e3a\u2e3b\u02d7\u2796"
)
SPACES = (
    "\u3164\uffa0\u2800\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
# Middle dots, bullets and katakana dots people put between digit groups (010·1234·5678, 220ㆍ81ㆍ62517).
DOTS = "\u00b7\u0387\u2022\u2027\u2219\u22c5\u2e31\u2e33\u30fb\u318d\uff65\u2024\u3002\uff61\u16eb\u2981"
# Characters nobody sees, which copy and paste carries into a number (Excel and Windows Explorer put LRM into copied
# dates and numbers): zero-width and bidirectional marks, the combining grapheme joiner, variation selectors and the
# keycap mark (0️⃣1️⃣0️⃣ reads 010), Hangul fillers, interlinear annotation marks, line and paragraph separators,
# and the C0 controls other than tab and line breaks (ANSI colour sequences go whole, see `_ANSI_RE`).
INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u034f\u115f\u1160"
    "\ufff9\ufffa\ufffb\u2028\u2029\u0085\u20e3"
    "\u20dd\u20de\u20df\u20e0\u20e2\u20e4\u0488\u0489"  # enclosing circles, squares, screens: 1⃝2⃝ reads 12
    + "".join(map(chr, range(0xFE00, 0xFE10)))
)
ASCII_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_TAGS = "".join(map(chr, range(0xE0000, 0xE0080)))  # tag characters (astral): NFKC keeps them
_CHAR_MAP = str.maketrans(
    {
        **dict.fromkeys(DASHES, "-"),
        **dict.fromkeys(SPACES, " "),
        **dict.fromkeys(DOTS, "."),
        **dict.fromkeys(INVISIBLE + _TAGS),
    }
)


def _continues_cluster(ch: str) -> bool:
    """A combining mark or a Hangul medial/final jamo: it composes with the character before it."""
    code = ord(ch)
    return unicodedata.combining(ch) != 0 or 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str | None], str]:
    """(translate table, regex class): characters that map to one character or vanish go through
    str.translate (C speed, offsets kept or rebuilt from the deletions); every other character that NFKC
    changes or composes is found by the class and normalised piece by piece."""
    table: dict[int, str | None] = {}
    codes = []
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF or 0xAC00 <= code <= 0xD7A3:
            continue
        ch = chr(code)
        if code in _CHAR_MAP:  # before NFKC: it would turn ㆍ and the Hangul filler into jamo
            table[code] = _CHAR_MAP[code]
            continue
        if _continues_cluster(ch) or 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97F:
            codes.append(code)  # combining marks and conjoining jamo (a leading jamo composes with what follows)
            continue
        folded = unicodedata.normalize("NFKC", ch).translate(_CHAR_MAP)
        if folded == ch and unicodedata.digit(ch, None) is not None:
            # other scripts' digits (٩٠٠١, ०१०, ๐๑๐) and the dingbat and double-circled digits NFKC keeps (➀➁, ❶❷,
            # ⓵⓶, ⓿) read as digits, as ① already does
            folded = str(unicodedata.digit(ch))
        if folded == ch:
            continue
        if len(folded) == 1 and not _continues_cluster(folded):
            table[code] = folded
        else:
            codes.append(code)
    return table, _class_ranges(codes)


def _class_ranges(codes: list[int]) -> str:
    """The body of a regex class holding exactly `codes` (sorted), with runs written as ranges."""
    ranges: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
        start = prev = code
    return "".join(ranges)


_TABLE, _CLASS = _tables()
_TABLE.update(dict.fromkeys(map(ord, ASCII_CONTROLS)))
_DELETED_RE = re.compile(f"[{re.escape(INVISIBLE + ASCII_CONTROLS)}]")
# An ANSI escape sequence (coloured terminal output: CSI ... final byte, or a two-character escape): nothing a
# reader sees, so it reads as nothing (zero-width marks, offsets kept), wherever it sits in a value or a label.
_ANSI_RE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]{0,256}(?:\x07|\x1b\\)|[@-Z\\-_])")
# Every character str.translate(_TABLE) changes or deletes: one pass says whether the translation is needed.
_TRANSLATED_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _TABLE) + "]")
_TRANSLATED_RUN_RE = re.compile(_TRANSLATED_RE.pattern + "+")
# Whether `_pieces` or the translation can change anything, in one RE2 pass over the UTF-8 (~5x faster than those
# two Python searches, which stop at every character of Korean prose): where `_START_RE` matches (its escapes, then
# its class) or a character of `_TABLE` stands.
_CHANGED_GATE = re2.compile(
    r"\\(?:u[0-9a-fA-F]{4}|[nrtbf\"/\\])|%(?:25)?[0-9A-Fa-f]{2}|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});"
    + f"|[{_CLASS}\\x{{10000}}-\\x{{10ffff}}"
    + "".join(f"\\x{{{c:x}}}" for c in sorted(_TABLE))
    + "]"
)

_JSON_ESCAPE = r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[nrtbf\"/\\])"
# `%252D` is `-` escaped twice (a URL inside a URL, a redirect parameter, a log of a logged request).
_URL_ESCAPES = r"(?:%(?:25)?[0-9A-Fa-f]{2})+"
_ESCAPE_RE = re.compile(_JSON_ESCAPE)
# HTML character references (pasted page source; kim&#64;example.com is how pages hide addresses from scrapers).
_HTML_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});"
# Where a changed piece may start: one character class, so the engine skips everything else in C.
_START_RE = re.compile(
    f"[\\\\%&{_CLASS}\U00010000-\U0010ffff]"
    r"(?:(?<=\\)(?:u[0-9a-fA-F]{4}|[nrtbf\"/\\])|(?<=%)(?:25)?[0-9A-Fa-f]{2}"
    r"|(?<=&)(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});|(?<=[^\\%&]))"
)  # and only where an escape is valid: a lone %, & or backslash costs nothing
_HTML_RUN_RE = re.compile(f"(?:{_HTML_ENTITY})+")
_ESCAPE_RUN_RE = re.compile(f"(?:{_JSON_ESCAPE})+")
_URL_RUN_RE = re.compile(_URL_ESCAPES)
_CHANGED_RUN_RE = re.compile(f"[{_CLASS}\U00010000-\U0010ffff]+")
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", '"': '"', "/": "/", "\\": "\\"}


@dataclass
class View:
    """`text` is the normalised copy of `original`; `span()` maps a span of `text` back to `original`.

    Segments are (start in text, length in text, start in original, length in original) of the changed
    pieces, in order; between them the two texts agree character for character.
    """

    text: str
    original: str
    _starts: list[int] = field(default_factory=list)
    _segments: list[tuple[int, int, int, int]] = field(default_factory=list)
    _deleted: list[int] = field(default_factory=list)  # per deleted character: its offset in `text`

    @property
    def identity(self) -> bool:
        return not self._segments and not self._deleted

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self._deleted:  # back over the deleted characters first (zero-width ones), taking those that touch
            # the span with it: a value padded with them (place values, joined literals) is covered whole
            start = start + bisect.bisect_left(self._deleted, start)
            end = end + bisect.bisect_right(self._deleted, end) if end > 0 else 0
        return self._position(start), self._position(end, end=True)

    def replace_all(self, replacements: list[tuple[int, int, str]]) -> None:
        """Replace each text[start:end] by its new text, each as one changed piece (sorted, disjoint; before any
        deletion is recorded): a detection that touches one covers its whole written form in the original.
        One pass over the text and the segments."""
        assert not self._deleted
        parts: list[str] = []
        segments: list[tuple[int, int, int, int]] = []
        old = self._segments
        i, shift, copied = 0, 0, 0
        for start, end, new in replacements:
            while i < len(old) and old[i][0] + old[i][1] <= start:  # segments before this replacement
                n, n_len, o, o_len = old[i]
                segments.append((n + shift, n_len, o, o_len))
                i += 1
            o_start, o_end = self._position(start), self._position(end, end=True)
            while i < len(old) and old[i][0] < end:  # segments inside it: absorbed (its span covers them)
                i += 1
            segments.append((start + shift, len(new), o_start, o_end - o_start))
            parts += (self.text[copied:start], new)
            copied = end
            shift += len(new) - (end - start)
        segments += [(n + shift, n_len, o, o_len) for n, n_len, o, o_len in old[i:]]
        parts.append(self.text[copied:])
        self.text = "".join(parts)
        self._segments = segments
        self._starts = [seg[0] for seg in segments]

    def _position(self, index: int, end: bool = False) -> int:
        """Original offset of offset `index` before deletions (a start), or of the end of the character before it."""
        if not self._segments:
            return index
        probe = index - 1 if end else index
        i = bisect.bisect_right(self._starts, probe) - 1
        if i < 0:
            return index
        n_start, n_len, o_start, o_len = self._segments[i]
        if probe < n_start + n_len:  # inside a changed piece: the whole piece
            return o_start + o_len if end else o_start
        return o_start + o_len + (index - n_start - n_len)


_DOUBLE_ESCAPE_RE = re.compile(r"%25(?=[0-9A-Fa-f]{2})")


def _url_decode(run: str) -> str:
    """The decoded run, or the run itself when it is not UTF-8 (`%9b` inside a token is part of the token).
    A doubly escaped byte (`%252D`) is decoded twice."""
    single = _DOUBLE_ESCAPE_RE.sub("%", run)
    raw = bytes(int(single[i + 1 : i + 3], 16) for i in range(0, len(single), 3))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return run


def _json_decode(escape: str) -> str:
    if escape[1] != "u":
        return _SIMPLE_ESCAPES[escape[1]]
    if len(escape) == 12:
        high, low = int(escape[2:6], 16), int(escape[8:12], 16)
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    return chr(int(escape[2:6], 16))


# Digits read aloud in Hangul (공일공-일이삼사-오육칠팔, 900101-일이삼4567): a run of three or more numeral
# syllables that starts a word reads as digits, one character for one (offsets unchanged). Two-syllable words
# (공사, 이사, 사이, 공공) and numerals inside a longer word (공공기관, 일일이 is three and becomes 112, which is
# harmless: it only matters next to other digits) keep their meaning.
_HANGUL_NUMERALS = "공영일이삼사오육륙칠팔구"
_HANGUL_DIGIT_MAP = str.maketrans(_HANGUL_NUMERALS, "001234566789")
_HANGUL_NUMERAL_RUN_RE = re.compile(f"[{_HANGUL_NUMERALS}](?<![가-힣].)[{_HANGUL_NUMERALS}]{{2,}}")


# Read aloud one digit at a time (주민번호 일 이 삼 사 오 육 팔): five or more numeral syllables, each a word of its own.
_SPACED_HANGUL_NUMERALS_RE = re.compile(  # class first, its left boundary after it: the engine skips in C (5x faster)
    f"[{_HANGUL_NUMERALS}](?<![가-힣].)(?:[ ]{{1,2}}[{_HANGUL_NUMERALS}](?![가-힣])){{4,}}"
)
# Hanja numerals (九〇〇一〇一-一二三四五六八, 〇一〇-九八七六): a run of three or more reads as digits.
_HANJA_NUMERALS = "〇零一二三四五六七八九"
_HANJA_DIGIT_MAP = str.maketrans(_HANJA_NUMERALS, "00123456789")
_HANJA_NUMERAL_RUN_RE = re.compile(f"[{_HANJA_NUMERALS}]{{3,}}")


# Both patterns above match only where this looser one does (the run substitution turns numerals into digits, so
# it makes no spaced run): one RE2 pass instead of two Python searches that stop at every 이, 사, 일 of the prose.
_HANGUL_NUMERALS_GATE = re2.compile(
    f"[{_HANGUL_NUMERALS}]{{3}}|[{_HANGUL_NUMERALS}](?: {{1,2}}[{_HANGUL_NUMERALS}]){{4}}"
)


def _read_numerals(m: re.Match[str]) -> str:
    run = m.group()
    end = m.end()
    if run.endswith("이") and end < len(m.string) and "가" <= m.string[end] <= "힣":
        return run[:-1].translate(_HANGUL_DIGIT_MAP) + "이"  # 오육칠팔이에요, 팔팔팔팔이요: the copula, not a 2
    return run.translate(_HANGUL_DIGIT_MAP)


def _hangul_numerals(text: str) -> str:
    if _HANGUL_NUMERALS_GATE.search(text) is not None:
        if _HANGUL_NUMERAL_RUN_RE.search(text) is not None:
            text = _HANGUL_NUMERAL_RUN_RE.sub(_read_numerals, text)
        if _SPACED_HANGUL_NUMERALS_RE.search(text) is not None:
            text = _SPACED_HANGUL_NUMERALS_RE.sub(lambda m: m.group().translate(_HANGUL_DIGIT_MAP), text)
    # Ten str.find calls cost a tenth of the class search (Python's engine reads that class slowly).
    if any(ch in text for ch in _HANJA_NUMERALS) and _HANJA_NUMERAL_RUN_RE.search(text) is not None:
        text = _HANJA_NUMERAL_RUN_RE.sub(lambda m: m.group().translate(_HANJA_DIGIT_MAP), text)
    return text


# Underscores and slashes between digit groups of 3 or more, not glued to letters, are separators (010_1234_5678,
# 010/1234/5678, scan_900101_1234568.pdf, pan_4111_1111_1111_1111): one character for one. Inside a token
# (doo_v1_39ab..., build_20241101_093000a) they stay, or the secrets catalogue's rules would no longer match the
# token; dates (2025/12/06), fractions and CIDR suffixes (10.0.0.0/24) have a group shorter than 3.
_DIGIT_UNDERSCORE_RE = re.compile(r"[0-9](?<![A-Za-z0-9][0-9])[0-9]{2,}(?:[_/][0-9]{3,})+(?![A-Za-z0-9])")
# What every match holds: one RE2 pass over the UTF-8 (Python's engine tests every character of Korean prose).
_DIGIT_UNDERSCORE_HINT = re2.compile(r"[0-9]{3}[_/][0-9]{3}")


# Sino-Korean numbers with place values (천이백삼십사 = 1234) where they stand for a group of an identifier: next
# to a digit group with only a separator between (010-천이백삼십사-오천육백칠십팔, 공일공 삼천이백 ...). Amounts
# (삼천이백만원), counts and words (삼천리) are not next to a digit group, or go on with 만/억/원. The number is
# one changed piece of the view (`View.replace_all`), so a detection covers the whole written form.
_NUMERAL_DIGIT = dict(zip("일이삼사오육칠팔구", "123456789", strict=True))
_NUM = "[일이삼사오육칠팔구]"
_PLACE_RUN_RE = re.compile(
    rf"(?=[일이삼사오육칠팔구천백십])(?<![가-힣])(?:{_NUM}?천)?(?:{_NUM}?백)?(?:{_NUM}?십)?{_NUM}?"
    r"(?<=[천백십일이삼사오육칠팔구])(?![가-힣])"
)
_PLACES = {"천": 1000, "백": 100, "십": 10}
_GROUP_BEFORE_RE = re.compile(r"[0-9](?:[ \t]{0,2}[.\-][ \t]{0,2}|[ \t]{1,2})\Z")
_GROUP_AFTER_RE = re.compile(r"(?:[ \t]{0,2}[.\-][ \t]{0,2}|[ \t]{1,2})[0-9]")


def _place_value(run: str) -> int:
    total, digit = 0, 0
    for ch in run:
        if ch in _PLACES:
            total += (digit or 1) * _PLACES[ch]
            digit = 0
        else:
            digit = int(_NUMERAL_DIGIT[ch])
    return total + digit


def sino_korean_number(word: str) -> int | None:
    """A number read aloud in Sino-Korean, with place values (이백삼 = 203, 백십삼 = 113) or digit by digit
    (이공삼 = 203, 영 = 0); None when `word` is not one."""
    if not word or any(c not in _PLACES and c not in _HANGUL_NUMERALS for c in word):
        return None
    if not any(c in _PLACES for c in word):
        return int(word.translate(_HANGUL_DIGIT_MAP))
    if any(c in "공영" for c in word) or _PLACE_RUN_RE.fullmatch(word) is None:
        return None
    return _place_value(word.replace("륙", "육"))


# A place-value numeral next to a digit group at all (one RE2 pass): only then are the runs read.
_PLACE_HINT = re2.compile(r"[0-9][ \t.-]{1,3}[일이삼사오육칠팔구천백십]|[천백십일이삼사오육칠팔구][ \t.-]{1,3}[0-9]")


def _place_values(view: View) -> None:
    text = view.text
    if ("천" not in text and "백" not in text and "십" not in text) or _PLACE_HINT.search(text) is None:
        return
    for _ in range(3):  # a group next to one converted in the pass before (010-천이백-삼천사백오십)
        text = view.text
        replacements = []
        for m in _PLACE_RUN_RE.finditer(text):
            run = m.group()
            if not any(c in _PLACES for c in run):
                continue
            before = _GROUP_BEFORE_RE.search(text, max(0, m.start() - 6), m.start())
            if before is None and _GROUP_AFTER_RE.match(text, m.end(), m.end() + 6) is None:
                continue
            replacements.append((m.start(), m.end(), str(_place_value(run))))
        if not replacements:
            break
        view.replace_all(replacements)


# Groups of a value read aloud that are too short for the runs above (a 2-digit group: 공이-칠이공공-이사사오,
# 152-공사-69026, 육구팔 삼영 사오팔사구, 五一六-七七-九〇四二六) read as digits, one character for one, only where
# they stand in an identifier's shape: three or more groups joined by dashes or spaces, at least one of them three
# digits or more, 9 to 20 digits in all. Two-syllable words (공사, 이사, 사이, 일이) elsewhere keep their meaning; a
# lone 一 stays what it is between digit groups, a dash.
_SHORT_HANGUL = f"(?<![가-힣])[{_HANGUL_NUMERALS}]{{2}}"
# A particle may follow the last group (…-육오로, …-오팔이고): a group is followed by no other Hangul syllable.
_PARTICLES = "으로|로|이고|고|이요|요|이며|며|은|는|을|를|과|와|에|까지|입니다"
_PARTICLE_AFTER = f"(?:(?![가-힣])|(?=(?:{_PARTICLES})(?![가-힣])))"
_SHORT_HANJA = (
    f"(?<![\u4e00-\u9fff\u3007])(?!\u4e00(?![{_HANJA_NUMERALS}]))[{_HANJA_NUMERALS}]{{1,2}}(?![\u4e00-\u9fff\u3007])"
)
_GROUP_DASHES = "-" + DASHES.replace("\u4e00", "")
_NUMERAL_GROUP_SEP = f"(?:[ \\t]{{0,2}}[{_GROUP_DASHES}][ \\t]{{0,2}}|[ \\t]{{1,2}})"
_NUMERAL_GROUP = f"(?:[0-9\uff10-\uff19]+(?![0-9\uff10-\uff19])|{_SHORT_HANGUL}{_PARTICLE_AFTER}|{_SHORT_HANJA})"
_NUMERAL_CHAIN_RE = re.compile(
    f"(?<![0-9\uff10-\uff19A-Za-z.])(?:{_NUMERAL_GROUP}{_NUMERAL_GROUP_SEP}){{2,7}}{_NUMERAL_GROUP}"
    "(?![0-9\uff10-\uff19A-Za-z])"
)
_NUMERAL_GROUP_RE = re.compile(f"[0-9\uff10-\uff19]+|[{_HANGUL_NUMERALS}{_HANJA_NUMERALS}]+")
# A short numeral group, as a word of its own, next to a digit group (a separator between): one RE2 pass over the
# original's UTF-8 before the Python one (a run of three numerals there is a digit group in the view). A numeral
# syllable next to a number is common in prose (3 이상, 10 일), two of them as a word rarely (공사, 이사, 사이).
_HANGUL_PAIR_END = f"(?:[^가-힣]|$|{_PARTICLES})"
_GROUP_HINT = f"(?:[0-9\uff10-\uff19]|[{_HANGUL_NUMERALS}]{{3}}|[{_HANJA_NUMERALS}]{{3}})"
_HINT_SEP = f"[ \\t{_GROUP_DASHES}]{{1,5}}"
_SHORT_GROUP_HINT = re2.compile(
    f"(?:^|[^가-힣])[{_HANGUL_NUMERALS}]{{2}}{_HINT_SEP}{_GROUP_HINT}"
    f"|{_GROUP_HINT}{_HINT_SEP}[{_HANGUL_NUMERALS}]{{2}}{_HANGUL_PAIR_END}"
    f"|{_GROUP_HINT}{_HINT_SEP}[{_HANJA_NUMERALS}]|[{_HANJA_NUMERALS}]{_HINT_SEP}{_GROUP_HINT}"
)
_ALL_NUMERALS_MAP = str.maketrans(_HANGUL_NUMERALS + _HANJA_NUMERALS, "001234566789" + "00123456789")


_DASHED_RE = re.compile(f"[{_GROUP_DASHES}]")
_ASCII_DIGIT_RE = re.compile("[0-9\uff10-\uff19]")


def _short_numeral_groups(text: str, spoken: str) -> str:
    """`text` with the short groups read; `spoken` is the same text before the longer runs were read (same offsets)."""

    def read(m: re.Match[str]) -> str:
        chain = m.group()
        groups = _NUMERAL_GROUP_RE.findall(chain)
        if not 9 <= sum(map(len, groups)) <= 20 or not any(len(g) >= 3 and g[0].isdigit() for g in groups):
            return chain
        read = chain.translate(_ALL_NUMERALS_MAP)
        if _ASCII_DIGIT_RE.search(spoken, m.start(), m.end()) is None:
            return read  # every group spoken (육구팔 삼영 사오팔사구, 공이-칠이공공-이사사오)
        # Written digits with numeral words among them: only dashes and an identifier's grouping (152-공사-69026,
        # 공이-345-6789, a leading two-digit group being 02 or a licence's region). Notice and contract numbers
        # (2024-공사-0123, 공사-2024-00123호, 공사-1234-5678) and prose around numbers (공사 2024 1231 일이) stay.
        shape = tuple(map(len, groups))
        if len(_DASHED_RE.findall(chain)) < len(groups) - 1 or shape not in IDENTIFIER_GROUPINGS:
            return chain
        if not groups[0][0].isdigit() and shape != (2, 2, 6, 2) and read[:2] != "02":
            return chain
        return read

    return _NUMERAL_CHAIN_RE.sub(read, text)


# Digits spelled in English words, as a call transcript or a dictated form has them ("six five zero three zero
# four, two five one four zero eight two", "zero one zero dash one two three four ...", "oh" for 0, "double five"):
# nine to twenty digits in a row, the words apart by spaces or hyphens, the groups by a comma, a dash, a slash or
# the word "dash", read as digit groups joined by `-`. The chain is one changed piece of the view
# (`View.replace_all`): a detection covers its whole written form. Counting (one, two, three) is shorter.
_DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6"}
_DIGIT_WORDS |= {"seven": "7", "eight": "8", "nine": "9"}
_DIGIT_WORD = "(?:" + "|".join(_DIGIT_WORDS) + ")"
_SPELLED = rf"(?<![A-Za-z])(?:(?:double|triple)[ \t]+)?{_DIGIT_WORD}(?![A-Za-z])"
_SPELLED_GROUP = rf"{_SPELLED}(?:(?:[ \t]{{1,2}}|-){_SPELLED})*"
_SPELLED_SEP = r"[ \t]{0,2}(?:[,/-]|dash|hyphen)[ \t]{0,2}|[ \t]{1,2}"
_SPELLED_CHAIN_RE = re.compile(rf"(?i){_SPELLED_GROUP}(?:(?:{_SPELLED_SEP}){_SPELLED_GROUP})*")
_SPELLED_GROUP_RE = re.compile(f"(?i){_SPELLED_GROUP}")
_SPELLED_WORD_RE = re.compile(rf"(?i)(?:(double|triple)[ \t]+)?({_DIGIT_WORD})")
_DIGIT_GROUP_RE = re.compile(r"[0-9]+")
# Three digit words in a row (one RE2 pass; English text rarely holds them): only then is the chain pattern run.
_SPELLED_HINT_PATTERN = rf"(?i)(?:{_DIGIT_WORD}[ \t,/-]{{1,3}}){{2}}{_DIGIT_WORD}"  # RE2, in _VIEW_HINTS


def _spelled_digits(group: str) -> str:
    return "".join(
        _DIGIT_WORDS[w.group(2).lower()] * (3 if (w.group(1) or "").lower() == "triple" else 2 if w.group(1) else 1)
        for w in _SPELLED_WORD_RE.finditer(group)
    )


# Or fewer words after or before written digit groups, joined by dashes (`010-5552-three seven two one`,
# `zero one zero-5552-3721`): read where the groups together have an identifier's grouping (s37 misc37), as
# `_short_numeral_groups` does for Korean numeral words among digits.
_WRITTEN_BEFORE_RE = re.compile(r"(?<![0-9A-Za-z.,])[0-9]{2,6}(?:[ \t]?-[ \t]?[0-9]{2,6}){0,2}[ \t]?-[ \t]?\Z")
_WRITTEN_AFTER_RE = re.compile(r"[ \t]?-[ \t]?[0-9]{2,6}(?:[ \t]?-[ \t]?[0-9]{2,6}){0,2}(?![0-9A-Za-z.,])")


def _digit_words(view: View) -> None:
    replacements = []
    for m in _SPELLED_CHAIN_RE.finditer(view.text):
        groups = [_spelled_digits(g.group()) for g in _SPELLED_GROUP_RE.finditer(m.group())]
        if 9 <= sum(map(len, groups)) <= 20:
            # Single words apart by hyphens (six-five-zero-...) are one group, not groups of one digit.
            joined = "".join(groups) if max(map(len, groups)) == 1 else "-".join(groups)
            replacements.append((m.start(), m.end(), joined))
        elif len(groups) == 1 and 2 <= len(groups[0]) <= 6:
            before = _WRITTEN_BEFORE_RE.search(view.text, max(0, m.start() - 24), m.start())
            after = _WRITTEN_AFTER_RE.match(view.text, m.end())
            written = [*_DIGIT_GROUP_RE.findall(before.group() if before else ""), groups[0]]
            written += _DIGIT_GROUP_RE.findall(after.group() if after else "")
            if len(written) > 1 and tuple(map(len, written)) in IDENTIFIER_GROUPINGS:
                replacements.append((m.start(), m.end(), groups[0]))
    if replacements:
        view.replace_all(replacements)


def _dash_underscores(match: re.Match[str]) -> str:
    return match.group().replace("_", "-").replace("/", "-")


# A slash with spaces around it between digit groups (`690323 / 6342455`, `232 / 23 / 64895`, a form's fields
# pasted in one line) is a separator where the groups have an identifier's grouping: ` / ` reads ` - `, one for
# one. A list or a ratio of numbers (100 / 200 / 300, 123456 / 789012, 2024 / 12 / 31, 1920 / 1080) has another;
# times, decimals and amounts (12:30 / 13:30, 1.5 / 2.5, 1,000 / 2,000) are not digit groups.
_SPACED_SLASH_RE = re.compile(r"[0-9](?<![A-Za-z0-9.,:][0-9])[0-9]*(?:[ ]{1,2}/[ ]{1,2}[0-9]+){1,7}(?![0-9A-Za-z.,:%])")
_SPACED_SLASH_HINT = re2.compile(r"[0-9][ ]{1,2}/[ ]{1,2}[0-9]")
# Group lengths: 주민/외국인/법인등록번호, 사업자등록번호, 운전면허번호, phones, cards, the banks' account numbers.
IDENTIFIER_GROUPINGS = {(6, 7), (3, 2, 5), (2, 2, 6, 2), (2, 3, 4), (2, 4, 4), (3, 3, 4), (3, 4, 4), (4, 4, 4, 4)}
IDENTIFIER_GROUPINGS |= {(4, 6, 5), (4, 6, 4), (6, 2, 6), (3, 2, 6), (3, 3, 6), (4, 3, 6), (3, 6, 5), (3, 4, 4, 2)}
IDENTIFIER_GROUPINGS |= {(3, 6, 2, 3), (4, 2, 7), (3, 2, 4, 3), (3, 2, 7)}


def _dash_spaced_slashes(match: re.Match[str]) -> str:
    groups = match.group()
    if tuple(len(g.strip()) for g in groups.split("/")) not in IDENTIFIER_GROUPINGS:
        return groups
    return groups.replace("/", "-")


# Separators people put between the groups of a number that the digit readers do not know (stop 36's red team): a
# symbol, a picture or an emoji (010♡2082♡7771, 4297💳0974💳7622💳9752, 010▶2195▶4358, 010^4718^1547), a doubled
# separator (010~~6213~~3056, 010ㆍㆍ9087ㆍㆍ1356), an x or a multiplication sign between spaces (010 x 5175 x 8768),
# the jamo ㅣ drawn as a bar (032 ㅣ 909 ㅣ 6394) and words said for a dash (062 다시 369 다시 3021). Where the groups
# around them have an identifier's grouping and its first digits (a phone's 0, a card's issuer, a licence's region),
# each separator reads as one dash and the rest of it as nothing (zero-width marks, offsets kept), so every digit
# detector and the leak check read the value as it is usually written. Four octets of an address with one such
# separator, or with commas or semicolons (59,40,215,236), read as dots after an address word. The ASCII syntax the
# split-groups detector judges (`,` `:` `|` `+` `#` `*` `=` `/` quotes and brackets) and table bars (│ ┃ ║ ¦) are no
# such separators: lists, times, sums, cells and grids of numbers keep their meaning.
_TABLE_BARS = "\u2502\u2503\u2506\u2507\u250a\u250b\u254e\u254f\u2551\u00a6\u2016\u2223\uff5c"


@lru_cache(maxsize=1)
def _odd_separator_class() -> str:
    """A regex class of the symbols and punctuation (Unicode S* and P*, not brackets or quotes) that can stand
    between digit groups, and the pictographs' blocks; ASCII only `^ ! ?` and the readers' own `- . ~`."""
    codes = sorted({ord(c) for c in "^!?-.~\u3163" + DASHES + DOTS})  # with the view's own dashes and dots (ㆍㆍ)
    for code in range(0xA1, 0x10000):
        if 0xD800 <= code <= 0xDFFF or 0xAC00 <= code <= 0xD7A3 or chr(code) in _TABLE_BARS or code in codes:
            continue
        ch = chr(code)
        if unicodedata.category(ch)[0] not in "SP" or unicodedata.category(ch) in ("Ps", "Pe", "Pi", "Pf"):
            continue
        folded = unicodedata.normalize("NFKC", ch).translate(_CHAR_MAP)
        if folded.isascii() and folded.strip("-.~^!?"):
            continue  # a full-width comma, colon, plus, bar ...: that ASCII syntax (see above)
        codes.append(code)
    codes.sort()
    # the pictographs (emoji) and playing cards above the BMP
    return _class_ranges(codes) + "\U0001f000-\U0001f0ff\U0001f300-\U0001faff"


_ODD_CHAR = f"[{_odd_separator_class()}][\ufe0e\ufe0f\u200d\U0001f3fb-\U0001f3ff]*"
_SAID_DASH = "다시|대시|대쉬|하이픈|빼기|dash|hyphen"
_ODD_SEP = (
    f"[ \\t]{{0,2}}(?:{_ODD_CHAR}){{1,4}}[ \\t]{{0,2}}|[ \\t]{{1,2}}(?:[xX\u00d7]|{_SAID_DASH})[ \\t]{{1,2}}|[,;]"
    "|[ \\t]{1,2}"  # a space: an ordinary separator, which may stand beside the odd ones (4297 0974💳7622 9752)
)
_ODD_GROUP = "[0-9\uff10-\uff19]{1,7}"
_ODD_CHAIN_RE = re.compile(
    f"[0-9\uff10-\uff19](?<![0-9\uff10-\uff19A-Za-z.][0-9\uff10-\uff19])[0-9\uff10-\uff19]{{0,6}}"
    f"(?:(?:{_ODD_SEP}){_ODD_GROUP}){{1,40}}(?![0-9\uff10-\uff19A-Za-z])"
)
_ODD_SPLIT_RE = re.compile(f"({_ODD_GROUP})")
_VIEW_SEPARATORS = "".join(f"\\x{{{ord(c):x}}}" for c in "-.~" + DASHES + DOTS)  # ㆍㆍ, 一一: letters doubled
_ODD_SEPARATOR_HINT = (  # RE2, in _VIEW_HINTS
    r"[0-9\x{ff10}-\x{ff19}][ \t]{0,2}(?:[^\x00-\x7f\pL\pN\pZ\pC]|[\^!?]|[xX][ \t]|ㅣ|다시|대시|대쉬|하이픈|빼기"
    f"|[{_VIEW_SEPARATORS}]{{2}})"
    r"|(?i:ip|아이피|서버|server|host|주소|db)[^\n]{0,24}[0-9]{1,3}[,;][0-9]{1,3}[,;][0-9]{1,3}[,;][0-9]{1,3}"
)
_PLAIN_SEPARATORS = str.maketrans("", "", " \t" + INVISIBLE)
_FULLWIDTH_DIGITS = str.maketrans("\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19", "0123456789")
_PHONE_GROUPINGS = {(2, 3, 4), (2, 4, 4), (3, 3, 4), (3, 4, 4), (4, 3, 4), (4, 4, 4)}
_CARD_GROUPINGS = {(4, 4, 4, 4), (4, 6, 5), (4, 6, 4)}
_CARD_ISSUER_RE = re.compile(r"4|5[1-5]|2[2-7]|3|6|9")
_ADDRESS_WORD_RE = re.compile(
    r"(?i)(?<![a-z])(?:ip|ipv4|db|dns|ssh|vpn|host|server|addr(?:ess)?|gateway|proxy)(?![a-z])|아이피|서버|호스트|주소|접속|게이트웨이|프록시"
)
_AMOUNT_AFTER_RE = re.compile(r"[ \t]{0,2}(?:원|달러|엔|건|개|명|회|%|won|krw|usd)", re.IGNORECASE)


@lru_cache(maxsize=256)
def _odd(sep: str) -> bool:
    """Whether a separator between two groups is one the digit readers do not read (not spaces, one dash, one dot,
    one tilde in any of their written forms)."""
    core = unicodedata.normalize("NFKC", sep.translate(_PLAIN_SEPARATORS)).translate(_CHAR_MAP)
    return core not in ("", "-", ".", "~")


def _address_octets(groups: list[str]) -> bool:
    numbers = [int(g) for g in groups]
    return (
        len(groups) == 4
        and all(len(g) <= 3 and (len(g) == 1 or g[0] != "0") for g in groups)
        and 1 <= numbers[0] <= 223
        and max(numbers) <= 255
    )


def _identifier_shaped(shape: tuple[int, ...], digits: str) -> bool:
    if shape in _PHONE_GROUPINGS:
        return digits[0] == "0" and digits[1] != "0"
    if shape in _CARD_GROUPINGS:
        return _CARD_ISSUER_RE.match(digits) is not None
    if shape == (2, 2, 6, 2):
        return "11" <= digits[:2] <= "28"  # a licence's region
    return shape in IDENTIFIER_GROUPINGS


# A chain whose every separator is spaces around at most one `-`, `.` or `~` (most chains of a text: dates, sums,
# dashed numbers) has no odd separator (`_odd` drops the spaces and keeps those three): it stays, without the
# split and a test per separator. Possessive: linear on any chain.
_PLAIN_CHAIN_RE = re.compile(r"[0-9]++(?:[ \t]*+[-.~]?[ \t]*+[0-9]++)*+")


def _dash_odd_separators(match: re.Match[str]) -> str:
    text = match.string
    chain = match.group()
    if _PLAIN_CHAIN_RE.fullmatch(chain) is not None:
        return chain
    parts = _ODD_SPLIT_RE.split(chain)[1:-1]  # group, sep, group, ..., group
    groups = [g.translate(_FULLWIDTH_DIGITS) for g in parts[0::2]]
    seps = parts[1::2]
    odd = [_odd(s) for s in seps]
    if not any(odd):
        return chain
    addressed = _ADDRESS_WORD_RE.search(text, max(0, match.start() - 24), match.start()) is not None
    if not addressed and all(len(g) < 4 for g in groups):
        return chain  # every identifier's grouping has a group of four digits or more; an address needs its word
    listed = [s.strip(" \t") in (",", ";") for s in seps]
    offsets = [match.start()]  # where each part starts in the text
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    out = list(parts)
    i = 0
    while i < len(groups) - 1:
        for j in range(min(len(groups), i + 4), i + 1, -1):
            window_seps, window_odd = seps[i : j - 1], odd[i : j - 1]
            if not any(window_odd):
                continue
            shape = tuple(len(g) for g in groups[i:j])
            digits = "".join(groups[i:j])
            if (
                j - i == 4
                and len(set(window_seps)) == 1
                and all(window_odd)
                and _address_octets(groups[i:j])
                and text[offsets[2 * i] - 1 : offsets[2 * i]] not in (",", ";")  # server,10,20,30,40: CSV cells
                and (not listed[i] or any(len(g) == 3 for g in groups[i:j]))  # 서버 4대, 1,2,3,4번: a list
                and (
                    addressed
                    if i == 0
                    else _ADDRESS_WORD_RE.search(text, max(0, offsets[2 * i] - 24), offsets[2 * i]) is not None
                )
                and _AMOUNT_AFTER_RE.match(text, offsets[2 * j - 1]) is None
            ):
                mark = "."
            elif not any(listed[i : j - 1]) and _identifier_shaped(shape, digits):
                mark = "-"
            else:
                continue
            for k in range(i, j - 1):
                if window_odd[k - i]:
                    sep = seps[k]
                    out[2 * k + 1] = mark + _JOIN_MARK * (len(sep) - 1)
            i = j - 1
            break
        else:
            i += 1
            continue
    return "".join(out)


# A value split into string literals that code joins: "900101" + "-1234568", Python's implicit concatenation
# ("010" "1234" "5678", also across lines in parentheses), PHP's ".", Lua's "..", SQL's "||", VB's "&", and
# JavaScript template pieces (`010-${"1234"}-5678`, `${1234}`). The quotes and the operator between two
# literals read as nothing (they become zero-width characters, which the view deletes with their offsets kept),
# so a detection covers the whole written form and the token replaces it inside the outer quotes.
_LITERAL_JOIN_RE = re.compile(
    r"[\"'`](?<=[^\s\"'`][\"'`])"
    r"(?:[ \t]*(?:\+|\.\.?|\|\||&)[ \t]*(?:\\?\r?\n[ \t]*)?|[ \t]*\\?\r?\n[ \t]*(?:(?:\+|\.\.?|\|\||&)[ \t]*)?|[ \t]+)"
    r"[\"'`](?=[^\s\"'`,;:)\]}])"
    r"|\$\{[ \t]*(?:([\"'`])[^\"'`{}\n]{1,64}\1|[0-9]{1,20})[ \t]*\}"
)
# The same shape without lookarounds, in RE2: one pass over the text decides whether the Python pattern runs.
_LITERAL_JOIN_HINT = re2.compile(
    r"[^\s\"'`][\"'`](?:[ \t]*(?:\+|\.\.?|\|\||&)[ \t]*(?:\\?\r?\n[ \t]*)?|[ \t]*\\?\r?\n[ \t]*"
    r"(?:(?:\+|\.\.?|\|\||&)[ \t]*)?|[ \t]+)[\"'`][^\s\"'`,;:)\]}]|\$\{"
)
_JOIN_MARK = "\u200b"  # one of INVISIBLE: deleted by the view, offsets kept


def _join_literals(text: str) -> str:
    def marks(m: re.Match[str]) -> str:
        piece = m.group()
        if piece.startswith("${"):
            inner = piece[2:-1].strip()
            quoted = inner[:1] in "\"'`"
            kept = inner[1:-1] if quoted else inner
            at = piece.index(kept, 2)
            return _JOIN_MARK * at + kept + _JOIN_MARK * (len(piece) - at - len(kept))
        return _JOIN_MARK * len(piece)

    return _LITERAL_JOIN_RE.sub(marks, text)


# A quoted-printable soft line break (`=` at a line end, a raw e-mail body) inside a number: 010-98=\n76-5432.
# Between two digits it reads as nothing (zero-width marks, offsets kept); elsewhere it stays.
_SOFT_BREAK_RE = re.compile(r"(?<=[0-9])=\r?\n(?=[0-9])")

# Bytes written as quoted-printable (`=35=30=31=2D...`, a raw e-mail body; soft line breaks `=\n` inside the run)
# or as `\x` escapes (`\x37\x35`, Python/JS/C string literals): a run of three or more that decodes to readable
# UTF-8 reads as its text. Each run is one changed piece of the view (`View.replace_all`), so a masked span covers
# the whole written form and unmasking restores it.
# The same escapes one at a time inside a mail header's encoded word (RFC 2047: `=?UTF-8?Q?doyoon=2Ek=40gmail=2Ecom?=`,
# `_` for a space; or base64, `?B?`) and inside an address in a quoted-printable body (`doyoon.k=40gmail=2Ecom`:
# `=40` before a domain): the whole word or address reads as its text (s37 misc37).
_ENCODED_WORD = r"=\?[A-Za-z0-9_-]{1,40}\?[QqBb]\?[!->@-~]{1,300}\?="
_QP_ADDRESS = (
    r"[A-Za-z0-9._%+-](?:[A-Za-z0-9._%+-]|=[0-9A-F]{2}){0,80}=40[A-Za-z0-9-]{1,63}(?:(?:\.|=2E)[A-Za-z0-9-]{1,63}){1,8}"
)
_BYTE_RUNS_GATE = re2.compile(
    r"(?:=[0-9A-Fa-f]{2}){3}|(?:\\x[0-9A-Fa-f]{2}){3}|=\?[A-Za-z0-9_-]{1,40}\?[QqBb]\?|=40[A-Za-z0-9]"
)
_BYTE_RUN_RE = re.compile(
    rf"{_ENCODED_WORD}|{_QP_ADDRESS}|(?:=[0-9A-Fa-f]{{2}}(?:=\r?\n)?){{3,}}|(?:\\x[0-9A-Fa-f]{{2}}){{3,}}"
)
_BYTE_RUN_HEX_RE = re.compile(r"[0-9A-Fa-f]{2}")
_QP_SOFT_RE = re.compile(r"=\r?\n")
_QP_ESCAPE_RE = re.compile(r"=([0-9A-Fa-f]{2})")


def _decoded_word(run: str) -> str | None:
    """The text of an encoded word (in its charset) or of a quoted-printable address, or None."""
    if run.startswith("=?"):
        _, charset, encoding, payload, _ = run.split("?", 4)
        if encoding in "Bb":
            try:
                raw = base64.b64decode(payload + "=" * (-len(payload) % 4), validate=True)
            except ValueError:
                return None
        else:
            raw = _qp_bytes(payload.replace("_", " "))
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return None
    try:
        return _qp_bytes(run).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _qp_bytes(run: str) -> bytes:
    return _QP_ESCAPE_RE.sub(lambda e: chr(int(e.group(1), 16)), run).encode("latin-1")


def _may_hold_byte_runs(text: str) -> bool:
    return ("=" in text or "\\x" in text) and _BYTE_RUNS_GATE.search(text) is not None


def _escaped_bytes(run: str) -> bytes:
    return bytes.fromhex("".join(_BYTE_RUN_HEX_RE.findall(_QP_SOFT_RE.sub("", run).replace("\\x", "="))))


def _decode_byte_runs(view: View) -> None:
    if not _may_hold_byte_runs(view.text):
        return
    replacements = []
    for m in _BYTE_RUN_RE.finditer(view.text):
        if m.group()[0] not in "=\\" or m.group()[1] == "?":  # an encoded word or an address, not a byte run
            decoded = _decoded_word(m.group())
            if decoded is None:
                continue
        else:
            try:
                decoded = _escaped_bytes(m.group()).decode("utf-8")
            except UnicodeDecodeError:
                continue  # binary bytes: nothing a reader sees as text
        if decoded.isprintable():
            replacements.append((m.start(), m.end(), decoded))
    if replacements:
        view.replace_all(replacements)


# Markdown around each digit group (`900608`-`6606111`, **766**-**81**-**14302**, _010_ _1234_ _5678_): the code
# span or emphasis marks read as nothing (zero-width marks, offsets kept) where two or more marked groups of two or
# more digits are joined by a dash, a dot or a space, so the digit detectors see the grouped value.
_MARKED_GROUP = r"(?:`|\*{1,3}|_{1,3})[0-9]{2,}(?:`|\*{1,3}|_{1,3})"
_MARKED_GROUPS_RE = re.compile(
    rf"(?<![A-Za-z0-9`*_]){_MARKED_GROUP}(?:[ \t]?[-.][ \t]?|[ \t]){_MARKED_GROUP}"
    rf"(?:(?:[ \t]?[-.][ \t]?|[ \t]){_MARKED_GROUP})*(?![A-Za-z0-9`*_])"
)
_MARKED_GROUPS_GATE = re2.compile(r"[`*_][0-9]{2}[0-9]*[`*_]+[ \t]?[-. \t][ \t]?[`*_]+[0-9]{2}")
_MARKS_RE = re.compile(r"[`*_]")


def _may_hold_marked_groups(text: str) -> bool:
    return ("`" in text or "*" in text or "_" in text) and _MARKED_GROUPS_GATE.search(text) is not None


def _unmark_groups(text: str) -> str:
    if not _may_hold_marked_groups(text):
        return text
    return _MARKED_GROUPS_RE.sub(lambda m: _MARKS_RE.sub(_JOIN_MARK, m.group()), text)


# A line break inside a digit group (OCR, narrow columns, a wrapped cell: '00102\n4-4157234', 010-5\n860-4762): the
# break reads as nothing when the digits around it join into a separator-grouped identifier (two to four groups of
# two to seven digits, ten to sixteen digits in all; in a quoted string, ungrouped digits too) and either the value
# fills one quoted string or a label word
# stands before it on its line and nothing but its end follows it. A CSV row or a log line that ends with a
# number before a line that starts with one has no label right before the number, and a date after the break
# (2024-11-02 09:13) goes on with a time.
# A labelled value may also go on under its line's comment prefix (`# 주민번호 721015-⏎# 2142951`) and be followed by
# a Korean word (`010-57⏎53-2762 입니다`); ungrouped digits join after an identifier's label (`AWS 계정 ID 2574794⏎
# 05127`, `연락처 01068⏎422796`), and the detectors judge the joined digits as they judge any (s37 red team).
_BROKEN_GROUP_GATE = re2.compile(
    r"[0-9]\r?\n-?[0-9]|[0-9]-?\r?\n[ \t]*(?:#|//)[ \t]?-?[0-9]|[0-9]-?\r?\n[0-9]|[0-9]-[ \t]*\r?\n[ \t]*\r?\n"
)
_GROUP_BREAK = r"\r?\n(?:[ \t]*(?:#|//)[ \t]?)?"
_GROUP_BREAK_RE = re.compile(_GROUP_BREAK)
# A group that ends its line with a dash, then an empty line or two, then the rest (a PDF's text copied page by page
# or column by column: `카드번호 9410-6503-⏎⏎0212-0222`): the dash says the value goes on, so the break and the blank
# lines read as nothing when the joined value is a separator-grouped identifier of ten to sixteen digits.
_BROKEN_DASHED_RE = re.compile(
    r"(?<![0-9A-Za-z.-])[0-9]{2,7}(?:-[0-9]{2,7}){0,2}-([ \t]*\r?\n(?:[ \t]*\r?\n){1,2}[ \t]*)"
    r"[0-9]{2,7}(?:-[0-9]{2,7}){0,2}(?![0-9A-Za-z-])"
)
_BROKEN_QUOTED_RE = re.compile(r"([\"'])([0-9][0-9-]*\r?\n[0-9-]*[0-9])\1")
_BROKEN_LABELLED_RE = re.compile(
    r"(?:(?<=[A-Za-z가-힣_][:=] )|(?<=[A-Za-z가-힣_][ \t:=]))"
    rf"([0-9][0-9-]*{_GROUP_BREAK}[0-9-]*[0-9])(?=[ \t]*(?:\r?\n|\Z)|[ \t]?[가-힣\"',;)])"
)
_ID_LABEL_BEFORE_RE = re.compile(
    r"(?i)(?:연락처|전화|휴대|핸드폰|번호|계정|계좌|account|(?<![a-z])id|phone|tel)[^\n]{0,6}\Z"
)
_LABEL_LETTER_RE = re.compile(r"[A-Za-z가-힣_]")
_NOT_BEFORE_BREAK = {
    _BROKEN_QUOTED_RE: lambda head: '"' not in head and "'" not in head,
    _BROKEN_LABELLED_RE: lambda head: _LABEL_LETTER_RE.search(head) is None,
}
_GROUPED_SHAPE_RE = re.compile(r"[0-9]{2,7}(?:-[0-9]{2,7}){1,3}")


def _join_broken_groups(text: str) -> str:
    if "\n" not in text:
        return text
    breaks: list[int] = []
    gates = list(_BROKEN_GROUP_GATE.finditer(text))
    if any(gate.group().count("\n") == 2 for gate in gates):  # the gate's third form: a dash, then a blank line
        for m in _BROKEN_DASHED_RE.finditer(text):
            joined = m.group()[: m.start(1) - m.start()] + m.group()[m.end(1) - m.start() :]
            if _GROUPED_SHAPE_RE.fullmatch(joined) is not None and 10 <= sum(c.isdigit() for c in joined) <= 16:
                breaks += range(*m.span(1))
    for gate in gates:  # only around each break: dense tables have many line ends
        line_start = text.rfind("\n", 0, gate.start()) + 1
        line_end = text.find("\n", gate.end())
        lo, hi = max(line_start, gate.start() - 24), min(len(text) if line_end < 0 else line_end, gate.end() + 64)
        head = text[max(0, lo - 4) : gate.start()]
        for pattern in (_BROKEN_QUOTED_RE, _BROKEN_LABELLED_RE):
            if _NOT_BEFORE_BREAK[pattern](head):
                continue  # no quote, or no label letter, before the break: the pattern cannot match here
            m = pattern.search(text, lo, hi)
            if m is None or (breaks and m.start() < max(breaks)):
                continue
            value = m.group(2) if pattern is _BROKEN_QUOTED_RE else m.group(1)
            joined = _GROUP_BREAK_RE.sub("", value)
            digits = sum(c.isdigit() for c in joined)
            bare = joined.isdigit() and (  # '850315\n1234564': the digits decide
                pattern is _BROKEN_QUOTED_RE or _ID_LABEL_BEFORE_RE.search(text, max(0, m.start() - 24), m.start())
            )
            if (bare or _GROUPED_SHAPE_RE.fullmatch(joined) is not None) and 10 <= digits <= 16:
                cut = _GROUP_BREAK_RE.search(m.group())
                if cut is not None:  # the break and a comment prefix
                    breaks += range(m.start() + cut.start(), m.start() + cut.end())
                break
    if not breaks:
        return text
    chars = list(text) if len(breaks) > 1 else None
    if chars is None:
        return text[: breaks[0]] + _JOIN_MARK + text[breaks[0] + 1 :]
    for at in breaks:
        chars[at] = _JOIN_MARK  # a line break, or a space on a blank line between dashed groups
    return "".join(chars)


# A key written in groups of four (`aws_access_key_id = ASIA HGTU APW3 MYBN 4QUW`, `sk_l ive_ 7jox WvVu ...`, as a
# key is read out or copied from a card): the spaces between the groups read as nothing (zero-width marks, offsets
# kept) when a key's label and `=` or `:` stand right before the run, or when the joined run starts with a token's
# prefix; the secrets catalogue then sees the key whole. Prose made of four-letter words has neither.
_KEY_GROUPS_GATE = re2.compile(
    r"[A-Za-z0-9+/_-]{4}[ \t][A-Za-z0-9+/_-]{4}[ \t][A-Za-z0-9+/_-]{4}[ \t][A-Za-z0-9+/_-]{4}"
)
_KEY_GROUPS_RE = re.compile(
    r"(?<![^\s\"'=:])[A-Za-z0-9+/_-]{4}(?:[ \t][A-Za-z0-9+/_-]{4}){3,}(?:[ \t][A-Za-z0-9+/_-]{1,3})?={0,2}"
    r"(?![^\s\"',;])"
)
_KEY_LABEL_BEFORE_RE = re.compile(
    r"(?i)(?:key|secret|token|passw(?:or)?d|pwd|credential|auth)[\w-]{0,20}[\"']?[ \t]*(?:[:=]|=>)[ \t]*[\"']?\Z"
)
_KEY_PREFIXES = (
    *("AKIA", "ASIA", "sk_live_", "sk_test_", "rk_live_", "ghp_", "gho_", "ghs_", "github_pat_", "glpat-"),
    *("xoxb-", "xoxp-", "AIza"),
)


def _join_key_groups(text: str) -> str:
    if _KEY_GROUPS_GATE.search(text) is None:
        return text

    def join(m: re.Match[str]) -> str:
        joined = "".join(m.group().split())
        line_start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 64)
        if not joined.startswith(_KEY_PREFIXES) and _KEY_LABEL_BEFORE_RE.search(text, line_start, m.start()) is None:
            return m.group()
        return m.group().replace(" ", _JOIN_MARK).replace("\t", _JOIN_MARK)

    return _KEY_GROUPS_RE.sub(join, text)


# An e-mail address split around its `@`: wrapped after it (`eunji_kang@\nnaver.com`, a narrow column, a mail
# client's wrap) or typed into JSON/array strings ("eunji", "@", "example.co.kr"). The break, or the quotes and
# commas between the pieces, read as nothing (zero-width marks, offsets kept) so the e-mail detector sees one
# address; the token then replaces it between the outer quotes.
_SPLIT_EMAIL_GATE = re2.compile(r"@[ \t]*\r?\n|[\"']@[\"']")
_WRAPPED_EMAIL_RE = re.compile(
    r"(?<=[A-Za-z0-9._%+-]@)[ \t]*\r?\n[ \t]*(?=[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)
_SPLIT_EMAIL_RE = re.compile(
    r"(?<=[A-Za-z0-9._%+-])([\"'])([ \t]*,[ \t]*)\1@\1([ \t]*,[ \t]*)\1"
    r"(?=[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}[\"'])"
)


# Wrapped inside the local part or the domain (s36 fixpii: `seojun\n.oh@…`, `seojun.\noh@…`, `…@exam\nple.co.kr`,
# `…@example.\nco.kr`): the break joins when a dot, `_` or `-` of the address touches it, or the domain before it is
# no domain yet. Not a word then an address on the next line (`Contact\nkim@…`, `Thanks.\nkim@…`: a capital, or a
# prose word before it on its line, says the dot ends a sentence), nor a whole domain then a word (`…@acme.com\nThanks`).
# Candidates, one RE2 pass each (a break with a dot, `_` or `-` of the local part at it; a domain cut before its first
# dot, or at a dot or a dash), then judged in Python around the break. A quoted reply's markers after the break
# (`> `, `>> `) are part of the break.
_LOCAL_WRAP_RE = re2.compile(
    r"[A-Za-z0-9%+_-][._-][ \t]*\r?\n[ \t]*(?:>[ \t]?){0,4}[A-Za-z0-9._%+-]{1,64}@|[A-Za-z0-9_%+-][ \t]*\r?\n[ \t]*(?:>[ \t]?){0,4}[._-][A-Za-z0-9._%+-]{0,64}@"
)
_DOMAIN_WRAP_GATE = re2.compile(
    r"@[A-Za-z0-9-]{1,63}\r?\n[ \t]*(?:>[ \t]?){0,4}[A-Za-z0-9-]|@[A-Za-z0-9.-]{0,252}[.-]\r?\n[ \t]*(?:>[ \t]?){0,4}[A-Za-z0-9]"
    r"|@[A-Za-z0-9.-]{1,253}\r?\n[ \t]*(?:>[ \t]?){0,4}[.-][A-Za-z0-9]"
)
# Wrapped right before the `@` (stop 36, fixco36: `담당자 이메일: hs.kim7⏎@naver.com`): joined when the word before the
# break reads as a local part (a digit or one of `._%+-` in it; `hello⏎@kim.park` is a word, then a mention) and
# does not end a sentence with its dot.
_AT_WRAP_RE = re2.compile(r"[A-Za-z0-9._%+-][ \t]*\r?\n[ \t]*(?:>[ \t]?){0,4}@[A-Za-z0-9-]{1,63}\.[A-Za-z]")
_LOCAL_MARK_RE = re.compile(r"[0-9._%+-]")
_WRAP_GATE = re2.compile(f"{_LOCAL_WRAP_RE.pattern}|{_DOMAIN_WRAP_GATE.pattern}|{_AT_WRAP_RE.pattern}")
# Either kind in one pass (the common text has neither).
_ANY_SPLIT_EMAIL_GATE = re2.compile(f"{_SPLIT_EMAIL_GATE.pattern}|{_WRAP_GATE.pattern}")
_WORD_BEFORE_BREAK_RE = re.compile(r"(?<![A-Za-z0-9._%+@-])[A-Za-z0-9._%+-]{1,64}[ \t]*\Z")
_PROSE_BEFORE_RE = re.compile(r"[A-Za-z]{2,}[ \t]+\Z")
_DOMAIN_WRAP_RE = re.compile(
    r"(?<=[A-Za-z0-9._%+-])@([A-Za-z0-9.-]{1,253})(\r?\n[ \t]*(?:>[ \t]?){0,4})([A-Za-z0-9.-]{1,253})"
)
_DOMAIN_START_RE = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])")
_BREAK_RE = re.compile(r"\r?\n[ \t]*(?:>[ \t]?){0,4}")


def _wrapped_address_breaks(text: str) -> list[tuple[int, int]]:
    breaks = []
    for candidate in _LOCAL_WRAP_RE.finditer(text):
        brk = _BREAK_RE.search(text, candidate.start(), candidate.end())
        assert brk is not None
        word = _WORD_BEFORE_BREAK_RE.search(text, max(0, brk.start() - 80), brk.start())
        if word is None:
            continue  # the word before the break is longer than a local part, or glued to an @
        local = word.group().rstrip(" \t")
        if (
            local[-1] == "."
            and text[brk.end()] not in "._-"
            and (
                any(c.isupper() for c in local)
                or _PROSE_BEFORE_RE.search(text, max(0, word.start() - 40), word.start())
            )
        ):
            continue  # `Thanks.\nkim@…`, `see you.\nkim@…`: a sentence's end
        breaks.append(brk.span())
    for candidate in _AT_WRAP_RE.finditer(text):
        brk = _BREAK_RE.search(text, candidate.start(), candidate.end())
        assert brk is not None
        word = _WORD_BEFORE_BREAK_RE.search(text, max(0, brk.start() - 80), brk.start())
        if word is None:
            continue
        local = word.group().rstrip(" \t")
        if local[-1] != "." and _LOCAL_MARK_RE.search(local) is not None:
            breaks.append(brk.span())
    for candidate in _DOMAIN_WRAP_GATE.finditer(text):
        m = _DOMAIN_WRAP_RE.match(text, candidate.start())
        if m is None:
            continue
        head, tail = m.group(1), m.group(3)
        if not (head.endswith((".", "-")) or tail.startswith((".", "-")) or "." not in head):
            continue  # `…@acme.com\nThanks`: a whole domain, then a word
        if head.endswith(".") and tail[:1].isupper() and _DOMAIN_START_RE.fullmatch(head[:-1]):
            continue  # `…@acme.co.kr.⏎Let me check`: a whole domain ends a sentence (a message, turns.py), then a word
        domain = _DOMAIN_START_RE.match(head + tail)
        if domain is not None and domain.end() > len(head):
            breaks.append(m.span(2))
    return breaks


def _join_split_emails(text: str) -> str:
    if "@" not in text or _ANY_SPLIT_EMAIL_GATE.search(text) is None:
        return text
    wrapped = "\n" in text and _WRAP_GATE.search(text) is not None
    text = _WRAPPED_EMAIL_RE.sub(lambda m: _JOIN_MARK * len(m.group()), text)
    breaks = _wrapped_address_breaks(text) if wrapped else []
    if breaks:
        pieces, copied = [], 0
        for start, end in sorted(breaks):
            pieces += (text[copied:start], _JOIN_MARK * (end - start))
            copied = end
        text = "".join(pieces) + text[copied:]

    def join(m: re.Match[str]) -> str:
        left, right = m.group(2), m.group(3)
        return _JOIN_MARK * (1 + len(left) + 1) + "@" + _JOIN_MARK * (1 + len(right) + 1)

    return _SPLIT_EMAIL_RE.sub(join, text)


# A label with a space between its syllables, as OCR and PDF text extraction give it (`사 업 자 번 호 : 4272308749`,
# `운 전 면 허 26 04 613434 29`, `주 민 등 록 번 호`): the spaces inside the label read as nothing (zero-width marks,
# offsets kept), so every detector and the leak check read the label as written. Only the labels of identifiers,
# every syllable apart, not glued to a Hangul syllable before it (`불법 인터넷` holds no `법 인`).
_SPACED_LABELS = (
    *("사업자등록번호", "사업자번호", "사업자", "법인등록번호", "법인번호", "주민등록번호", "주민번호"),
    "외국인등록번호",
    *("운전면허번호", "운전면허", "면허번호", "전화번호", "휴대폰번호", "휴대폰", "핸드폰번호", "핸드폰", "연락처"),
    *("계좌번호", "카드번호", "신용카드", "여권번호", "비밀번호", "건강보험증", "건강보험", "등록번호", "생년월일"),
)
_SPACED_LABEL = "|".join("[ \\t]{1,2}".join(word) for word in sorted(_SPACED_LABELS, key=len, reverse=True))
_SPACED_LABEL_RE = re.compile(f"(?<![가-힣])(?:{_SPACED_LABEL})")
_LABEL_SPACE_RE = re.compile("[ \\t]")


def _join_spaced_labels(text: str) -> str:
    return _SPACED_LABEL_RE.sub(lambda m: _LABEL_SPACE_RE.sub(_JOIN_MARK, m.group()), text)


_SURROGATE_RE = re.compile("[\ud800-\udfff]")

# Combining marks NFKC leaves on an ASCII character (an underline or a strike drawn over each digit, 1̲6̲1̲1̲2̲2̲-̲8̲…,
# 0̶1̶0̶, marks stacked on letters): the reader sees the character, so the view reads it bare. A mark NFKC composes
# (e + ́ = é) is no longer on an ASCII character; Hangul jamo are no marks.
_MARK_ON_ASCII_RE = re.compile(
    r"(?<=[\x21-\x7e])[\u0300-\u036f\u0483-\u0487\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20f0\ufe20-\ufe2f]+"
)


# Deletes every byte but the ASCII controls: whether the UTF-8 holds one is one C pass (bytes.translate, ~10 us per
# 20 KB) where a regex class over the str takes ~80-100 us.
_ALL_BUT_CONTROLS = bytes(b for b in range(256) if chr(b) not in ASCII_CONTROLS)


def _utf8(text: str) -> bytes | None:
    """The UTF-8 of `text`; None when it holds a lone surrogate, the one code point UTF-8 cannot encode (the encoder
    finds it in a fifth of the time `_SURROGATE_RE` takes)."""
    try:
        return text.encode()
    except UnicodeEncodeError:
        return None


def _translate(text: str) -> str:
    """`text.translate(_TABLE)`, run by run: translate looks every character up in the dict (~85 ns each, 72 ms per
    MB), where a few changed runs in a long text cost a class scan (~15 ms per MB). Dense runs: the whole text."""
    parts: list[str] = []
    copied = 0
    for k, m in enumerate(_TRANSLATED_RUN_RE.finditer(text)):
        if k * 32 > len(text):
            return text.translate(_TABLE)
        parts.append(text[copied : m.start()])
        parts.append(m.group().translate(_TABLE))
        copied = m.end()
    parts.append(text[copied:])
    return "".join(parts)


def _written_apart(text: str) -> bool:
    """Whether plain ASCII `text` may hold bytes as escapes, marked digit groups, a broken group or a key in groups
    (see above)."""
    return (
        _may_hold_byte_runs(text)
        or _may_hold_marked_groups(text)
        or _KEY_GROUPS_GATE.search(text) is not None
        or ("@" in text and _ANY_SPLIT_EMAIL_GATE.search(text) is not None)
        or ("\n" in text and _BROKEN_GROUP_GATE.search(text) is not None)
    )


# Separators between digit groups the view reads as dashes, one character for one (the text is rewritten and its
# view built again): underscores and slashes (010_1234_5678), then ` / ` in an identifier's grouping, then symbols,
# doubled separators and words between groups (010♡2082♡7771; no needle: its hint alone gates it).
_DASHED_SEPARATORS = (
    (("_", "/"), _DIGIT_UNDERSCORE_HINT, _DIGIT_UNDERSCORE_RE, _dash_underscores),
    ((" / ",), _SPACED_SLASH_HINT, _SPACED_SLASH_RE, _dash_spaced_slashes),
    ((), None, _ODD_CHAIN_RE, _dash_odd_separators),  # its hint is one of _VIEW_HINTS
)
# Digits drawn in circles and brackets that stand for numbers on their own: the tens (⑩ ➉ ➓ ❿ ⓾ ⑽ ⒑), the digits
# with brackets, a full stop or a comma (⑴ ⒈ 🄂: NFKC gives `(1)`, `1.`, `1,`), and the astral zeros NFKC keeps (🄋 🄌).
# Written next to another enclosed digit they are one digit of a number written that way (➓➀➓-➄➇➆➆-➅➁➃➅: the ➀
# series has no zero, so people take its ten for it; ⑼⑼⑴⑵⑴⑷): each reads as that digit, a ten as 0. Alone they
# keep NFKC's reading (⑴ 개요 is `(1) 개요`, ⑩ is 10). The text is rewritten one for one with the circled digit of
# the same value (①-⑨, ⓪), which the view reads as a digit, and its view built again.
_ENCLOSED_IN_RUN = {
    **dict.fromkeys("\u2469\u2789\u2793\u277f\u24fe\u247d\u2491\U0001f10b\U0001f10c\U0001f100\U0001f101", 0),
    **{chr(0x2474 + d - 1): d for d in range(1, 10)},  # ⑴-⑼
    **{chr(0x2488 + d - 1): d for d in range(1, 10)},  # ⒈-⒐
    **{chr(0x1F102 + d - 1): d for d in range(1, 10)},  # 🄂-🄊
}
_CIRCLED_DIGIT = ["\u24ea", *(chr(0x2460 + d - 1) for d in range(1, 10))]  # ⓪ ①-⑨: NFKC reads them as digits
_ENCLOSED_SINGLE = (  # the enclosed digits that read as one digit alone (NFKC's or the digit table's)
    "\u24ea\u24ff"
    + "".join(chr(c) for r in ((0x2460, 0x2469), (0x24F5, 0x24FE), (0x2776, 0x277F)) for c in range(*r))
    + "".join(chr(c) for r in ((0x2780, 0x2789), (0x278A, 0x2793)) for c in range(*r))
)
_ENCLOSED_ALL = "".join(sorted(set(_ENCLOSED_SINGLE) | set(_ENCLOSED_IN_RUN)))
_ENCLOSED_CLASS = _class_ranges(sorted(map(ord, _ENCLOSED_ALL)))
_IN_RUN_CLASS = _class_ranges(sorted(map(ord, _ENCLOSED_IN_RUN)))
_ENCLOSED_HINT = f"[{_IN_RUN_CLASS}][{_ENCLOSED_CLASS}]|[{_ENCLOSED_CLASS}][{_IN_RUN_CLASS}]"  # RE2, in _VIEW_HINTS
_ENCLOSED_RUN_RE = re.compile(f"[{_ENCLOSED_CLASS}]{{2,}}")
_IN_RUN_MAP = str.maketrans({ch: _CIRCLED_DIGIT[d] for ch, d in _ENCLOSED_IN_RUN.items()})


def _enclosed_runs(text: str) -> str:
    return _ENCLOSED_RUN_RE.sub(lambda m: m.group().translate(_IN_RUN_MAP), text)


# Cyrillic and Greek letters that look like Latin letters or digits (О and Ο for O, З for 3, б for 6, а е о р с х ...),
# in a word that also holds an ASCII letter or digit (тел. О1О-2931-3332, AIzaSy with a Cyrillic А, a Cyrillic і in a
# local part): the word is written in Latin and digits with a look-alike put in, so the look-alikes read as what
# they look like, one for one (the letters that stand for digits then read as digits where `detect.py` reads them).
# A word of Russian or Greek (тел., Олег, όνομα) has no ASCII letter or digit and is read as written.
_LOOKALIKE_LATIN = str.maketrans(
    "АВЕЗКМНОРСТХІЈЅҮԚԜӀаеорсухіјѕԁԛԝӏһбΑΒΕΖΗΙΚΜΝΟΡΤΥΧοραινυχκ",
    "ABE3KMHOPCTXIJSYQWIaeopcyxijsdqwlh6ABEZHIKMNOPTYXopaivuxk",
)
_LOOKALIKE_LETTERS = "".join(chr(c) for c in _LOOKALIKE_LATIN)
_MIXED_SCRIPT_HINT = (  # RE2, in _VIEW_HINTS: a look-alike and an ASCII letter or digit in one word
    f"[{_LOOKALIKE_LETTERS}][^\\s]*[0-9A-Za-z]|[0-9A-Za-z][^\\s]*[{_LOOKALIKE_LETTERS}]"
)
_MIXED_SCRIPT_RE = re2.compile(_MIXED_SCRIPT_HINT)
_WORD_EDGE_RE = re.compile(r"\S{0,64}\Z")
_WORD_TAIL_RE = re.compile(r"\S{0,64}")


def _latin_lookalikes(text: str) -> str:
    """`text` with the look-alikes of every mixed word read as Latin letters and digits (one for one)."""
    spans: list[tuple[int, int]] = []
    for m in _MIXED_SCRIPT_RE.finditer(text):
        start = _WORD_EDGE_RE.search(text, max(0, m.start() - 64), m.start())
        end = _WORD_TAIL_RE.match(text, m.end())
        assert start is not None and end is not None
        spans.append((start.start(), end.end()))
    if not spans:
        return text
    parts, copied = [], 0
    for start, end in spans:
        start = max(start, copied)
        parts += (text[copied:start], text[start:end].translate(_LOOKALIKE_LATIN))
        copied = end
    parts.append(text[copied:])
    return "".join(parts)


# The hints of the view's steps that run on every text, one RE2 set: a single pass over the UTF-8 for all of them.
_SPELLED_DIGITS, _ODD_SEPARATORS, _SPACED_LABEL_WORDS, _ENCLOSED_DIGITS, _MIXED_SCRIPT = 0, 1, 2, 3, 4


def _view_hints() -> re2.Set:
    hints = re2.Set.SearchSet(re2.Options())
    for pattern in (_SPELLED_HINT_PATTERN, _ODD_SEPARATOR_HINT, _SPACED_LABEL, _ENCLOSED_HINT, _MIXED_SCRIPT_HINT):
        hints.Add(pattern)
    hints.Compile()
    return hints


_VIEW_HINTS = _view_hints()


def normalise(text: str) -> View:
    """The detection view of `text` (linear in its length)."""
    data = _utf8(text)
    if data is None:
        # A lone surrogate (JSON's "\ud800") is not a character: RE2 cannot encode it, and masking must not fail on
        # it. The view reads U+FFFD there, one for one, so offsets into the original text stay.
        view = normalise(_SURROGATE_RE.sub("\ufffd", text))
        view.original = text
        return view
    hints = _VIEW_HINTS.Match(data) or ()  # one pass: digit words, odd separators, spaced labels ...
    if _ENCLOSED_DIGITS in hints:
        read = _enclosed_runs(text)
        if read != text:
            view = normalise(read)
            view.original = text  # same length and offsets: only the view's text differs
            return view
    for needles, hint, pattern, dash in _DASHED_SEPARATORS:
        if hint is None and _ODD_SEPARATORS not in hints:
            continue
        if (not needles or any(needle in text for needle in needles)) and (hint is None or hint.search(data)):
            dashed = pattern.sub(dash, text)
            if dashed != text:
                view = normalise(dashed)
                view.original = text  # same length and offsets: only the view's text differs
                return view
    quoted = '"' in text or "'" in text or "`" in text
    soft = "=\n" in text or "=\r\n" in text
    controls = bool(data.translate(None, _ALL_BUT_CONTROLS))  # an ASCII control anywhere
    plain = text.isascii() and "\\" not in text and "%" not in text and "&" not in text and not soft and not controls
    spelled = _SPELLED_DIGITS in hints
    if plain and not spelled and (not quoted or _LITERAL_JOIN_HINT.search(text) is None) and not _written_apart(text):
        return View(text, text)
    changed = _CHANGED_GATE.search(data) is not None
    view = _pieces(text) if changed else View(text, text)
    _decode_byte_runs(view)
    if _MIXED_SCRIPT in hints:
        view.text = _latin_lookalikes(view.text)  # one for one: segments and offsets stay
    view.text = _join_split_emails(
        _join_key_groups(_join_broken_groups(_unmark_groups(view.text)))
    )  # zero-width marks only: offsets stay
    if _SPACED_LABEL_WORDS in hints:
        view.text = _join_spaced_labels(view.text)
    spoken = view.text
    view.text = _hangul_numerals(spoken)  # one character for one: segments and offsets stay
    if _SHORT_GROUP_HINT.search(data) is not None:  # after it: a group it read is the digit group next to them
        view.text = _short_numeral_groups(view.text, spoken)
    _place_values(view)
    if spelled:
        _digit_words(view)
    if quoted and _LITERAL_JOIN_HINT.search(view.text) is not None:  # after the escapes: code inside JSON too
        view.text = _join_literals(view.text)
    if soft:
        view.text = _SOFT_BREAK_RE.sub(lambda m: _JOIN_MARK * len(m.group()), view.text)
    if controls and "\x1b" in view.text:
        view.text = _ANSI_RE.sub(lambda m: _JOIN_MARK * len(m.group()), view.text)
    # The steps since `_pieces` add digits and `_JOIN_MARK`s only: without the gate's characters, only those.
    if (not changed and _JOIN_MARK not in view.text) or _TRANSLATED_RE.search(view.text) is None:
        return view
    deleted = [m.start() for m in _DELETED_RE.finditer(view.text)]
    view.text = _translate(view.text)
    view._deleted = [offset - k for k, offset in enumerate(deleted)]  # where each deletion falls in the result
    return view


def _pieces(text: str) -> View:
    """Escapes decoded and multi-character normalisations applied, one segment per changed piece."""
    parts: list[str] = []
    starts: list[int] = []
    segments: list[tuple[int, int, int, int]] = []
    out_len = 0
    copied = 0

    def piece(o_start: int, o_end: int, replacement: str) -> None:
        nonlocal out_len, copied
        if o_start > copied:
            parts.append(text[copied:o_start])
            out_len += o_start - copied
        if replacement != text[o_start:o_end]:
            starts.append(out_len)
            segments.append((out_len, len(replacement), o_start, o_end - o_start))
        parts.append(replacement)
        out_len += len(replacement)
        copied = o_end

    at = _START_RE.search(text)
    while at is not None:
        first = text[at.start()]
        if first == "\\":  # a run of escapes is one piece
            m = _ESCAPE_RUN_RE.match(text, at.start())
            if m is not None:
                piece(m.start(), m.end(), _ESCAPE_RE.sub(lambda e: _json_decode(e.group()), m.group()))
        elif first == "%":
            m = _URL_RUN_RE.match(text, at.start())
            if m is not None:
                piece(m.start(), m.end(), _url_decode(m.group()))
        elif first == "&":
            m = _HTML_RUN_RE.match(text, at.start())
            if m is not None:
                piece(m.start(), m.end(), html.unescape(m.group()))
        else:
            m = _CHANGED_RUN_RE.match(text, at.start())
            assert m is not None
            start, run = m.start(), m.group()
            # A run that starts with a combining mark composes with the character before it.
            if start > copied and _continues_cluster(run[0]) and not text[start - 1].isspace():
                start -= 1
                run = text[start] + run
            # One piece per run: a value that touches it masks the whole run (runs are short in real text).
            folded = unicodedata.normalize("NFKC", run).translate(_CHAR_MAP)
            if _MARK_ON_ASCII_RE.search(folded) is not None:
                folded = _MARK_ON_ASCII_RE.sub("", folded)
            piece(start, start + len(run), folded)
        at = _START_RE.search(text, m.end() if m is not None else at.end())
    if not segments:
        return View(text, text)
    if copied < len(text):
        parts.append(text[copied:])
    return View("".join(parts), text, starts, segments)


# Whether each code point up to U+3000 is whitespace as str.split() sees it (str.isspace; none lies above U+3000);
# every higher code point reads as U+3001, which is not.
_SPACE_LUT = np.array([chr(c).isspace() for c in range(0x3002)], dtype=bool)


def kept_positions(text: str) -> np.ndarray:
    """The offset in `text` of each character of "".join(text.split()), the text without its whitespace: numpy
    passes over the code points (a table lookup, ~2x faster than np.isin over the whitespace code points)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return np.flatnonzero(~_SPACE_LUT[np.minimum(codes, 0x3001)])


assert not any(chr(c).isspace() for c in range(0x3001, 0x110000))
assert sys.maxunicode > 0xFFFF  # the class above relies on wide strings (always true on CPython 3.3+)


# The table reading shared by the detectors and the leak check (a value's column header names it).
CELL_SEPARATORS = "\t,|"


def column_header(text: str, start: int) -> str | None:
    """The header cell of the column the value at `start` sits in, when it is a cell of a delimited table (tab,
    comma or `|` between cells; the header is the first of the lines above with as many cells), else None."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start == 0:
        return None
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end != -1 else len(text)]
    for sep in CELL_SEPARATORS:
        cells = line.count(sep)
        if not cells:
            continue
        header, top = None, line_start
        for _ in range(200):  # up the table, to its first line
            if top == 0:
                break
            above = text.rfind("\n", 0, top - 1) + 1
            previous = text[above : top - 1]
            if previous.count(sep) != cells:
                break
            if previous.strip(" |:-\t"):
                header = previous  # not a Markdown rule line (|---|---|)
            top = above
        if header is not None:
            names = header.split(sep)
            column = text.count(sep, line_start, start)
            return names[column] if column < len(names) else ""
    return None


# A Prometheus / OpenMetrics sample line: `name{labels} value timestamp` (the timestamp in epoch milliseconds).
_METRIC_HEAD_RE = re.compile(
    r"^[ \t]*[A-Za-z_:][A-Za-z0-9_:]*(?:\{[^{}\n]{0,1024}\})?[ \t]+[-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|Inf|NaN)[ \t]+\Z"
)
_METRIC_TAIL_RE = re.compile(r"[ \t]*(?:#[^\n]*)?(?:\r?\n|\Z)")


def metric_sample_timestamp(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is the timestamp of a Prometheus or OpenMetrics sample line."""
    line_start = text.rfind("\n", max(0, start - 1100), start) + 1
    return _METRIC_HEAD_RE.search(text[line_start:start]) is not None and _METRIC_TAIL_RE.match(text, end) is not None
