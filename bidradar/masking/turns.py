"""A value told over several messages: its pieces are masked where they cross from one message into the next.

People tell a value in turns (`카드번호 9410-4453`, `네 계속`, `2977-3099`): each message alone holds only a piece
no detector reads as a value. The detectors read such pieces across lines of one text (a chain of digit groups, a
주민번호's halves, a key wrapped at a line break), so the messages are read the same way, as lines: the end of the
earlier messages, a line break, the start of the new one. Only a short window around each boundary is read (the
messages themselves are masked on their own), so the cost is bounded per message, not per conversation.

A short reply between the pieces (`네`, `ㅇㅋ`, `나머지는?`: no digit, no Latin letter, a few words) holds no piece of a
value; it is read first, before the earlier messages, so the pieces told around it stand on consecutive lines as
they would in one message, and its words still count as context (`비밀번호요`, `네`, then the password).

What is found is cut back into the messages it covers: the piece in the new message is masked there, the pieces in
earlier ones are returned too (the proxy masks them in the same request; the gateway's policy has sent them
already and keeps them as values masked wherever they repeat, repeats.py).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Sequence
from typing import NamedTuple

from bidradar.masking.detect import CHAIN_GAP_MAX, Detection

# Characters of the earlier messages read before a new one, and of the new one read after them: a value's pieces
# and their labels stand close to the boundary (the detectors' own context reaches 40-80 characters back).
TAIL_CHARS = 96
HEAD_CHARS = 96
KEPT = 4  # earlier messages kept (a piece, up to two short replies, a label)
_REPLY_CHARS = 24
_JOINER = "\n"
_NEAR = CHAIN_GAP_MAX  # the widest gap between two digit groups of one value
_SPACE = re.compile(r"\s")


class Piece(NamedTuple):
    """A part of a value found across messages: `index` into the messages read (the new one last), its span there."""

    index: int
    start: int
    end: int
    kind: str


# English words of a reply (`ok`, `one sec`, `and the rest?`); any other Latin word may be a piece of a value.
_REPLY_WORDS = frozenset(
    [
        "ok",
        "okay",
        "k",
        "kk",
        "sure",
        "yes",
        "yeah",
        "yep",
        "yup",
        "go",
        "on",
        "one",
        "sec",
        "wait",
        "hold",
        "next",
        "rest",
        "the",
        "and",
        "continue",
        "got",
        "it",
        "thanks",
        "thx",
        "pls",
        "please",
        "more",
        "then",
        "what",
    ]
)
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def is_reply(text: str) -> bool:
    """A short reply that holds no piece of a value: a few characters, no digit, no Latin word but a reply's."""
    stripped = text.strip()
    return (
        len(stripped) <= _REPLY_CHARS
        and not any(c.isdigit() for c in stripped)
        and all(w.lower() in _REPLY_WORDS for w in _LATIN_WORD.findall(stripped))
    )


class Told:
    """The ends of the texts masked so far in one call or conversation, as written (unmasked), the last `KEPT`."""

    def __init__(self) -> None:
        self.texts: deque[str] = deque(maxlen=KEPT)

    def add(self, text: str) -> None:
        if text.strip():
            self.texts.append(text[-TAIL_CHARS:])


def across(detect: Callable[[str], list[Detection]], earlier: Sequence[str], text: str) -> list[Piece]:
    """The pieces of values read in the window of `earlier` messages (oldest first) then `text` (index
    `len(earlier)`) near their boundary: a value crossing it, one in `text` whose context stands before it, the
    pieces of one before it."""
    if not text or not earlier:
        return []
    # (index of the message, its start in the message, its start in the window, length)
    segments: list[tuple[int, int, int, int]] = []
    parts: list[str] = []
    length = 0

    def add(index: int, start: int, end: int, source: str, joiner: str = _JOINER) -> None:
        nonlocal length
        if parts:
            parts.append(joiner)
            length += len(joiner)
        segments.append((index, start, length, end - start))
        parts.append(source[start:end])
        length += end - start

    told = [i for i, t in enumerate(earlier) if not is_reply(t)]
    for i, t in enumerate(earlier):  # the replies first, as context, on one line (`비밀번호요 네`, then the password)
        if i not in told and t.strip():
            add(i, 0, len(t), t, " ")
    budget = TAIL_CHARS
    first = len(told)
    while first > 0 and budget > 0:
        first -= 1
        budget -= len(earlier[told[first]]) + 1
    for n, i in enumerate(told[first:]):
        t = earlier[i]
        start = 0
        if n == 0 and budget < 0:  # the oldest message read only in part: from a word's start
            start = -budget
            space = _SPACE.search(t, start)
            start = space.end() if space is not None else len(t)
        add(i, start, len(t), t)
    if not segments:
        return []
    head = len(earlier)
    end = min(len(text), HEAD_CHARS)
    if end < len(text):  # to the end of the line, or of the word, so that no value is read cut
        line = text.find("\n", end, end + HEAD_CHARS)
        space = _SPACE.search(text, end, end + HEAD_CHARS) if line < 0 else None
        end = line if line >= 0 else space.start() if space is not None else min(len(text), end + HEAD_CHARS)
    add(head, 0, end, text)
    head_at = segments[-1][2]
    window = "".join(parts)
    pieces: list[Piece] = []
    for det in detect(window):
        # near the boundary or across it: a digit group just before it may be a piece of a value masked group by
        # group (a card's `9410-4453`, then `2977-3099`); what lies further back, the earlier messages had alone
        if det.end <= head_at - _NEAR or det.start >= head_at + HEAD_CHARS:
            continue
        for index, start, at, size in segments:
            cut_start, cut_end = max(det.start, at), min(det.end, at + size)
            piece = window[cut_start:cut_end] if cut_start < cut_end else ""
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece) - len(piece.rstrip())
                offset = start - at
                pieces.append(Piece(index, cut_start + offset + lead, cut_end + offset - trail, det.kind))
    return pieces


# A conversation pasted as one text (a chat log, a transcript): the same pieces with a reply on its own line
# between them (`카드번호 9410-4453`, `네 계속`, `2977-3099`). Only a line that reads as a conversational reply counts
# (a short answer word, or a short question after a topic: `도메인은요?`, `나머지는?`); a heading or a label line of a
# notice (`유의사항`, `공고명`) is not one, so a document's lines are never joined across its headings.
_REPLY_LINE_RE = re.compile(
    r"^[ \t]*(?:(?:네|넵|예|응|ㅇㅇ|ㅇㅋ|오케이|계속|이어서|다음|나머지|그리고|잠시만|잠깐|뭐라고)[^\n0-9A-Za-z]{0,16}"
    r"|(?i:ok|okay|sure|go on|one sec)[^\n0-9A-Za-z]{0,8}|[가-힣]{1,8}(?:은|는)요?\?)[ \t]*$",
    re.MULTILINE,
)


def across_reply_lines(detect: Callable[[str], list[Detection]], text: str) -> list[Detection]:
    """Values told around reply lines of one text, read as `across` reads messages: the replies first, then the
    lines before them, then the lines after them. Spans in `text`."""
    found: list[Detection] = []
    runs: list[list[int]] = []  # [start of the first reply line, end of the last one]
    for m in _REPLY_LINE_RE.finditer(text):
        if runs and runs[-1][1] + 1 == m.start():
            runs[-1][1] = m.end()
        else:
            runs.append([m.start(), m.end()])
    for start, end in runs:
        if start < 2 or end + 1 >= len(text) or text[start - 1] != "\n" or text[end] != "\n":
            continue  # a reply at the start or the end of the text: nothing told around it
        before = text[max(0, start - 1 - TAIL_CHARS) : start - 1]
        replies = text[start:end].split("\n")
        after = end + 1
        for piece in across(detect, [before, *replies], text[after:]):
            if piece.index == 0:
                offset = start - 1 - len(before)
            elif piece.index == len(replies) + 1:
                offset = after
            else:
                continue  # a reply holds no piece
            found.append(Detection(piece.kind, piece.start + offset, piece.end + offset))
    return found
