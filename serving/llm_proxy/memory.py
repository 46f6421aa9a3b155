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

With a `RememberedStore`, what is remembered also outlives the process, as keyed hashes: the warehouse table
`llm_proxy_remembered` holds HMAC-SHA256(proxy key, value), truncated to 128 bits, and the type, never the value. A
restarted proxy loads the hashes (the newest `MAX_DIGESTS`) and hashes the candidate words of each text under its key
(`hashed_candidates`: words of six characters or more that are not plain words, also without the punctuation or the
Korean particle around them and after a `=` or `:`): a word whose hash is known is masked as the same token as
before, and learned again. Values of several words are found this way only through their parts.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import queue
import re
import threading
from collections import ChainMap, OrderedDict
from collections.abc import Iterable, Iterator, Mapping

import ahocorasick
import sqlalchemy as sa

from bidradar.core import warehouse
from bidradar.core.clock import now_kst
from bidradar.masking import Masker
from bidradar.masking.detect import TOKEN_PREFIX
from bidradar.masking.repeats import continues_word, longest_disjoint

log = logging.getLogger(__name__)

MAX_VALUES = 4096
MAX_DIGESTS = 65_536  # keyed hashes loaded at start (16 bytes each in memory; shipped to a worker per large request)
_MIN_CHARS = 6


def worth_remembering(value: str) -> bool:
    """Long enough, and not a plain word: a value that would rarely occur in ordinary text by chance."""
    compact = "".join(value.split())
    return len(compact) >= _MIN_CHARS and not compact.isalpha() and TOKEN_PREFIX not in value and len(value) <= 512


class ContextMemory:
    """Thread-safe: the proxy's masking threads learn and read at the same time."""

    def __init__(self, key: bytes, max_values: int = MAX_VALUES, store: RememberedStore | None = None) -> None:
        self._key = key
        self._store = store
        # digest -> type of what earlier processes remembered (`loaded`, given to each worker process once when it
        # starts) and what this one remembered since (`learnt`, sent with each large request): see hashed_candidates
        self.loaded: dict[str, str] = store.load(MAX_DIGESTS) if store is not None else {}
        self.learnt: dict[str, str] = {}
        self.digests: ChainMap[str, str] = ChainMap(self.learnt, self.loaded)
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
            if self._store is None:
                return
            digest = value_digest(self._key, value)
            if digest in self.digests:
                return
            self.learnt[digest] = kind
        self._store.submit(digest, kind)

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """The remembered (value, type) pairs: what a worker process needs to build its finder."""
        with self._lock:
            return tuple(self._values.items())

    def snapshot(self) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
        """The remembered pairs and a copy of the hashes learnt since the start: what a worker process needs for its
        finder besides the loaded hashes it got when it started."""
        with self._lock:
            return tuple(self._values.items()), dict(self.learnt)

    def finder(self) -> RememberedValues | None:
        """The remembered values as one automaton (rebuilt only after something new was learnt)."""
        with self._lock:
            version, finder = self._finder
            if version == self._version:
                return finder
            pairs, version = tuple(self._values.items()), self._version
        finder = RememberedValues(pairs, self._key, self.digests) if pairs or self.digests else None
        with self._lock:
            self._finder = (version, finder)
        return finder


def _candidates(masked: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(value, type) of each value of a vault worth remembering; a span's parts too: a span may hold words between
    its parts (`900101 뒷자리 1234568`), and the model may repeat one part alone. A copy in other letter case
    (repeats.KnownValues masked it as a token of its own) is not remembered apart: one value, one entry, the
    first written."""
    first_written: dict[str, str] = {}  # lower case -> the value as first written
    for token, value in masked.items():
        kind = token.split("_")[1]
        if first_written.setdefault(value.lower(), value) != value:
            continue
        if worth_remembering(value):
            yield value, kind
        parts = value.split()
        if len(parts) > 1:
            for part in parts:
                if worth_remembering(part) and _value_like(part):
                    yield part, kind


def _value_like(part: str) -> bool:
    """A part of a span that is a value of its own: it holds a digit, or letters of both cases. The framing of a
    span is not (`-----BEGIN`, `KEY-----` of a private key: remembered, they masked every later certificate)."""
    return any(c.isdigit() for c in part) or (any(c.isupper() for c in part) and any(c.islower() for c in part))


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
    """Finds remembered values in a text: whole, never inside a longer word or number, longest first; with the
    keyed hashes of a store (`digests`), also the candidate words whose hash is known."""

    def __init__(
        self, pairs: Iterable[tuple[str, str]], key: bytes = b"", digests: Mapping[str, str] | None = None
    ) -> None:
        self.kinds = dict(pairs)
        self._key = key
        self._digests = digests or {}
        self._automaton = ahocorasick.Automaton()
        for value in self.kinds:
            self._automaton.add_word(value, len(value))
        if self.kinds:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, value, type) of each remembered value in `text`, disjoint, left to right."""
        hits: list[tuple[int, int, str]] = []
        if self.kinds:
            for last, length in self._automaton.iter(text):
                start, end = last - length + 1, last + 1
                if continues_word(text, start - 1) or continues_word(text, end):
                    continue
                hits.append((start, end, self.kinds[text[start:end]]))
        if self._digests:
            for start, end in hashed_candidates(text):
                kind = self._digests.get(value_digest(self._key, text[start:end]))
                if kind is not None:
                    hits.append((start, end, kind))
        return [(start, end, text[start:end], kind) for start, end, kind in longest_disjoint(hits)]


def value_digest(key: bytes, value: str) -> str:
    """The keyed hash a value is stored as: HMAC-SHA256 under the proxy's key, 128 bits in hex."""
    return hmac.digest(key, b"llm-proxy-remembered\x00" + value.encode(), hashlib.sha256)[:16].hex()


# A run of characters a value can hold (not spaces, quotes, brackets or separators of lists), then the parts of it a
# value may be: without trailing punctuation, without a Korean particle after an ASCII value, after `=` or `:`.
_RUN = re.compile(r"[^\s\"'`()\[\]{}<>,;|]{6,512}")
_TRAILING = re.compile(r"[.:!?]+\Z")
_ASCII_HEAD = re.compile(r"[\x21-\x7e]+")


def hashed_candidates(text: str) -> set[tuple[int, int]]:
    """(start, end) of each part of `text` that could be a remembered value (see the module doc)."""
    out: set[tuple[int, int]] = set()
    for m in _RUN.finditer(text):
        start, end = m.span()
        spans = {(start, end)}
        trailing = _TRAILING.search(text, start, end)
        if trailing is not None:
            spans.add((start, trailing.start()))
        if not text[start:end].isascii():
            head = _ASCII_HEAD.match(text, start, end)
            if head is not None:
                spans.add(head.span())
        for sep in "=:":
            at = text.rfind(sep, start, end)
            if at != -1:
                spans.add((at + 1, end))
                if trailing is not None and at + 1 < trailing.start():
                    spans.add((at + 1, trailing.start()))
        for s, e in spans:
            if (
                e - s >= _MIN_CHARS
                and not continues_word(text, s - 1)
                and not continues_word(text, e)
                and worth_remembering(text[s:e])
            ):
                out.add((s, e))
    return out


class RememberedStore:
    """The keyed hashes in the warehouse (`llm_proxy_remembered`): loaded once at start, written from a background
    thread (a failed write costs only the persistence, never a request)."""

    def __init__(self, database_url: str) -> None:
        self.engine = warehouse.make_engine(database_url)
        self._queue: queue.Queue[tuple[str, str] | None] = queue.Queue(maxsize=100_000)
        self._thread = threading.Thread(target=self._run, name="llm-proxy-remembered", daemon=True)
        self._thread.start()

    def load(self, limit: int) -> dict[str, str]:
        query = sa.text("SELECT digest, kind FROM llm_proxy_remembered ORDER BY learned_at DESC LIMIT :n")
        with self.engine.connect() as conn:
            return {row.digest: row.kind for row in conn.execute(query, {"n": limit})}

    def submit(self, digest: str, kind: str) -> None:
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait((digest, kind))

    def close(self, timeout: float = 10.0) -> None:
        self._queue.put(None)
        self._thread.join(timeout)
        self.engine.dispose()

    def _run(self) -> None:
        insert = sa.text(
            "INSERT INTO llm_proxy_remembered (digest, kind, learned_at) VALUES (:digest, :kind, :learned_at)"
            " ON CONFLICT (digest) DO NOTHING"
        )
        while True:
            item = self._queue.get()
            rows = []
            while item is not None:
                rows.append({"digest": item[0], "kind": item[1], "learned_at": now_kst()})
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if rows:
                try:
                    with self.engine.begin() as conn:
                        conn.execute(insert, rows)
                except Exception as error:  # the warehouse is down: the proxy goes on, these values stay in RAM
                    log.warning("llm-proxy: %d remembered hashes not written (%s)", len(rows), type(error).__name__)
            if item is None:
                return
