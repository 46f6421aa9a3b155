"""Values the proxy masked only because of their context, remembered so that they stay masked on later turns.

The proxy gives the client real values back (the answer is unmasked), so a value masked only because of its label
(`비밀번호: s3cr3tPassw0rd`, a 주민번호's back half after its front, `{"password": ...}`) comes back bare in the
answer. While the labelled original stays in the conversation, the request's own known-values pass masks the bare
copy too; once it is gone (Claude Code's auto-compaction or `/compact` replaces early turns with a summary, a new
session pastes the old answer, a client trims its history), the bare value would go upstream in clear.

So the proxy remembers each value it masked that the detectors do not find on its own, with its type, and masks it
wherever it appears in later requests, as the same token (the token is an HMAC of the type and the value under the
proxy's key: the conversation keeps its tokens). Held in the process's memory only (never written, never logged),
bounded (least recently seen dropped first), per replica: several replicas behind a load balancer each remember what
they masked (docs/llm-proxy.md). Short values and plain words are not remembered: `1234` or `sunshine` would mask
ordinary text everywhere.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping

import ahocorasick

from bidradar.masking import Masker
from bidradar.masking.detect import TOKEN_PREFIX

MAX_VALUES = 4096
_MIN_CHARS = 6


def worth_remembering(value: str) -> bool:
    """Long enough, and not a plain word: a value that would rarely occur in ordinary text by chance."""
    compact = "".join(value.split())
    return len(compact) >= _MIN_CHARS and not compact.isalpha() and TOKEN_PREFIX not in value and len(value) <= 512


class ContextMemory:
    """Thread-safe: the proxy's masking threads learn and read at the same time."""

    def __init__(self, key: bytes, max_values: int = MAX_VALUES) -> None:
        self._masker = Masker(key)  # the detectors, to tell a value found on its own from one found by context
        self._values: OrderedDict[str, str] = OrderedDict()  # value -> type
        self._judged: OrderedDict[str, None] = OrderedDict()  # values already judged self-identifying
        self._max = max_values
        self._lock = threading.Lock()
        self._version = 0
        self._finder: tuple[int, RememberedValues | None] = (-1, None)

    def __len__(self) -> int:
        return len(self._values)

    def learn(self, masked: Mapping[str, str]) -> None:
        """Remember the values of a request's vault (token -> value) that the detectors do not find alone."""
        for token, value in masked.items():
            kind = token.split("_")[1]
            with self._lock:
                if value in self._values:
                    self._values.move_to_end(value)
                    continue
            # A span may hold words between its parts (`900101 뒷자리 1234568`): the model may repeat one part alone.
            parts = value.split()
            for part in (value, *parts) if len(parts) > 1 else (value,):
                self._remember(part, kind)

    def _remember(self, value: str, kind: str) -> None:
        with self._lock:
            if value in self._values or value in self._judged or not worth_remembering(value):
                return
        found_alone = _covered(self._masker, value)
        with self._lock:
            if found_alone:
                self._judged[value] = None
                if len(self._judged) > self._max:
                    self._judged.popitem(last=False)
                return
            self._values[value] = kind
            self._version += 1
            if len(self._values) > self._max:
                self._values.popitem(last=False)

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """The remembered (value, type) pairs: what a worker process needs to build its finder."""
        with self._lock:
            return tuple(self._values.items())

    def finder(self) -> RememberedValues | None:
        """The remembered values as one automaton (rebuilt only after something new was learnt)."""
        with self._lock:
            version, finder = self._finder
            if version == self._version:
                return finder
            pairs, version = tuple(self._values.items()), self._version
        finder = RememberedValues(pairs) if pairs else None
        with self._lock:
            self._finder = (version, finder)
        return finder


def _covered(masker: Masker, value: str) -> bool:
    """Whether the detectors, reading the value alone, mask all of it."""
    pos = 0
    for det in masker.detect(value):
        if value[pos : det.start].strip():
            return False
        pos = max(pos, det.end)
    return not value[pos:].strip()


class RememberedValues:
    """Finds remembered values in a text: whole, never inside a longer word or number, longest first."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.kinds = dict(pairs)
        self._automaton = ahocorasick.Automaton()
        for value in self.kinds:
            self._automaton.add_word(value, len(value))
        self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, value) of each remembered value in `text`, disjoint, left to right."""
        hits: list[tuple[int, int]] = []
        for last, length in self._automaton.iter(text):
            start, end = last - length + 1, last + 1
            if _word(text, start - 1) or _word(text, end):
                continue
            hits.append((start, end))
        hits.sort(key=lambda h: (h[0], -h[1]))
        out: list[tuple[int, int, str]] = []
        reach = 0
        for start, end in hits:
            if start >= reach:
                out.append((start, end, text[start:end]))
                reach = end
        return out


def _word(text: str, i: int) -> bool:
    """Whether text[i] continues a Latin word, a number or a token (ASCII letters, digits, underscores); a Korean
    particle right after a value (`s3cr3tPassw0rd입니다`) does not."""
    return 0 <= i < len(text) and text[i].isascii() and (text[i].isalnum() or text[i] == "_")
