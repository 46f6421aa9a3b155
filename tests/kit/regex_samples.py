"""Random strings that a regular expression matches: one sample per secret rule, the way gitleaks tests its rules
(it generates each rule's true positives from the rule's regex).

Built on Python's own regex parser (`re._parser`); Go/RE2 spellings Python does not read are rewritten first
(inline flags in the middle of a pattern are dropped: case does not matter to a generator; `\\z` is `\\Z`)."""

from __future__ import annotations

import random
import re
import string
from re import _constants as c
from re import _parser as parser

_PRINTABLE = string.ascii_letters + string.digits + "-_.+/=:@"
_CATEGORIES = {
    c.CATEGORY_DIGIT: string.digits,
    c.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    c.CATEGORY_SPACE: " ",
    c.CATEGORY_NOT_DIGIT: string.ascii_letters,
    c.CATEGORY_NOT_WORD: "-.:/ ",
    c.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}


def python_pattern(go_regex: str) -> str:
    body = go_regex
    flags = ""
    if body.startswith("(?i)"):
        flags, body = "(?i)", body[4:]
    body = re.sub(r"\(\?-?i\)", "", body).replace(r"\z", r"\Z")
    body = re.sub(r"\(\?-i:", "(?:", body)
    return flags + body


def sample(go_regex: str, rng: random.Random, max_repeat: int = 6) -> str:
    tree = parser.parse(python_pattern(go_regex))
    return "".join(_emit(tree, rng, max_repeat))


def _class_chars(items, rng: random.Random) -> str:  # type: ignore[no-untyped-def]
    chars: list[str] = []
    negate = False
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            chars.append(chr(av))
        elif op is c.RANGE:
            lo, hi = av
            chars.extend(chr(x) for x in range(lo, min(hi, lo + 200) + 1))
        elif op is c.CATEGORY:
            chars.extend(_CATEGORIES.get(av, "a"))
    if negate:
        excluded = set(chars)
        return "".join(ch for ch in _PRINTABLE if ch not in excluded) or "a"
    printable = [ch for ch in chars if ch.isprintable() and ch != "\\"]
    return "".join(printable or chars or ["a"])


def _emit(tree, rng: random.Random, max_repeat: int) -> list[str]:  # type: ignore[no-untyped-def]
    out: list[str] = []
    for op, av in tree:
        if op is c.LITERAL:
            out.append(chr(av))
        elif op is c.NOT_LITERAL:
            out.append(rng.choice([ch for ch in _PRINTABLE if ord(ch) != av]))
        elif op is c.ANY:
            out.append(".")  # rules write "." where they mean a dot (xoxe.xoxp-, hooks.slack.com)
        elif op is c.IN:
            out.append(rng.choice(_class_chars(av, rng)))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, high, sub = av
            high = low + max_repeat if high is c.MAXREPEAT else high
            count = rng.randint(low, max(low, min(high, low + max_repeat)))
            for _ in range(count):
                out.extend(_emit(sub, rng, max_repeat))
        elif op is c.SUBPATTERN:
            out.extend(_emit(av[-1], rng, max_repeat))
        elif op is c.BRANCH:
            out.extend(_emit(rng.choice(av[1]), rng, max_repeat))
        elif op is c.CATEGORY:
            out.append(rng.choice(_CATEGORIES.get(av, "a")))
        # AT (anchors), ASSERT, ASSERT_NOT, GROUPREF: nothing to emit
    return out
