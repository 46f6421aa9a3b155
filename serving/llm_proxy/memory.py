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
from collections.abc import Iterable, Iterator, Mapping

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
        for value, kind in _candidates(masked):
            with self._lock:
                if value in self._values:
                    self._values.move_to_end(value)
                    continue
                if value in self._judged:
                    continue
            self._accept(value, kind, _covered(self._masker, value))

    def learn_judged(self, judged: Iterable[tuple[str, str, bool]]) -> None:
        """Remember values judged elsewhere (`judge`, in the worker process that masked a large request): the
        detectors then run there, not in this process, whose interpreter also runs the event loop."""
        for value, kind, found_alone in judged:
            with self._lock:
                if value in self._values:
                    self._values.move_to_end(value)
                    continue
            self._accept(value, kind, found_alone)

    def _accept(self, value: str, kind: str, found_alone: bool) -> None:
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


def _candidates(masked: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(value, type) of each value of a vault worth remembering; a span's parts too: a span may hold words between
    its parts (`900101 뒷자리 1234568`), and the model may repeat one part alone."""
    for token, value in masked.items():
        kind = token.split("_")[1]
        parts = value.split()
        for part in (value, *parts) if len(parts) > 1 else (value,):
            if worth_remembering(part):
                yield part, kind


def judge(masker: Masker, masked: Mapping[str, str], known: Mapping[str, str]) -> list[tuple[str, str, bool]]:
    """(value, type, whether the detectors find it alone) for each candidate of a vault not in `known`."""
    seen: set[str] = set()
    out = []
    for value, kind in _candidates(masked):
        if value not in known and value not in seen:
            seen.add(value)
            out.append((value, kind, _covered(masker, value)))
    return out


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
