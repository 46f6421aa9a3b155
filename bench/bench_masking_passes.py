"""Where the masking policy's time goes: every regex call over more than 5,000 characters of one 20 KB round trip
(mask, leak check with its residues masked, unmask), counted and timed by CPU. Prints, never asserts.

    taskset -c 1 .venv/bin/python bench/bench_masking_passes.py [--dense] [--runs 20]

Each compiled pattern of the masking modules (Python re, RE2, RE2 sets, the catalogue's rules) is wrapped while the
bench runs; "scans" are the calls that search a text (not anchored matches at one position). The wrapping adds its
own overhead, so compare the figures with each other, and the total with bench_masking_policy.py.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
import time
from collections import Counter
from pathlib import Path

import re2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_masking_policy import ours, prompt
from bidradar.masking import catalogue, detect, leakcheck, normalize, tokens

LONG = 5_000
calls: Counter[tuple[str, str]] = Counter()
seconds: Counter[tuple[str, str]] = Counter()


class Timed:
    """A compiled pattern whose calls over long texts are counted and timed."""

    def __init__(self, name: str, pattern: object) -> None:
        self._name, self._pattern = name, pattern

    def __getattr__(self, attr: str) -> object:
        return getattr(self._pattern, attr)

    def _call(self, method: str, text: str, *args: object, **kwargs: object) -> object:
        start = time.process_time()
        result = getattr(self._pattern, method)(text, *args, **kwargs)
        if method == "finditer":
            result = list(result)  # type: ignore[call-overload]
        elapsed = time.process_time() - start
        pos = args[0] if args else kwargs.get("pos") or 0
        end = args[1] if len(args) > 1 else kwargs.get("endpos")
        if (len(text) if end is None else end) - pos > LONG:  # type: ignore[operator]
            calls[(self._name, method)] += 1
            seconds[(self._name, method)] += elapsed
        return iter(result) if method == "finditer" else result  # type: ignore[call-overload]

    def search(self, text: str, *args: object, **kwargs: object) -> object:
        return self._call("search", text, *args, **kwargs)

    def match(self, text: str, *args: object, **kwargs: object) -> object:
        return self._call("match", text, *args, **kwargs)

    def finditer(self, text: str, *args: object, **kwargs: object) -> object:
        return self._call("finditer", text, *args, **kwargs)

    def findall(self, text: str, *args: object, **kwargs: object) -> object:
        return self._call("findall", text, *args, **kwargs)

    def sub(self, replacement: object, text: str, *args: object, **kwargs: object) -> object:
        start = time.process_time()
        result = self._pattern.sub(replacement, text, *args, **kwargs)  # type: ignore[attr-defined]
        if len(text) > LONG:
            calls[(self._name, "sub")] += 1
            seconds[(self._name, "sub")] += time.process_time() - start
        return result

    def Match(self, text: str) -> object:
        start = time.process_time()
        result = self._pattern.Match(text)  # type: ignore[attr-defined]
        if len(text) > LONG:
            calls[(self._name, "set")] += 1
            seconds[(self._name, "set")] += time.process_time() - start
        return result


def wrap_patterns() -> None:
    for module in (detect, leakcheck, normalize, catalogue, tokens):
        for name, value in list(vars(module).items()):
            if isinstance(value, (re.Pattern, re2._Regexp, re2.Set)):
                setattr(module, name, Timed(f"{module.__name__.rsplit('.', 1)[1]}.{name}", value))
    cat = catalogue.catalogue()
    unwrapped_set = catalogue._candidate_set

    @functools.lru_cache(maxsize=8)
    def timed_set(gates: tuple[tuple[str, str], ...]) -> tuple[object, ...]:
        combined, *rest = unwrapped_set(gates)
        return (Timed("catalogue.candidate pass (set)", combined), *rest)

    catalogue._candidate_set = timed_set  # type: ignore[assignment]
    cat.patterns = [Timed(f"catalogue.rule {rule.id}", p) for rule, p in zip(cat.rules, cat.patterns, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dense", action="store_true")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    text = prompt(20_000, args.dense)
    for _ in range(3):
        ours(text)
    start = time.process_time()
    for _ in range(args.runs):
        ours(text)
    plain = (time.process_time() - start) / args.runs
    wrap_patterns()
    for _ in range(3):
        ours(text)
    calls.clear()
    seconds.clear()
    start = time.process_time()
    for _ in range(args.runs):
        ours(text)
    wrapped = (time.process_time() - start) / args.runs
    scans = {key for key in calls if key[1] != "match"}
    n = args.runs
    print(f"{'dense' if args.dense else 'typical'} 20 KB prompt, {len(text):,} characters; CPU per round trip")
    print(f"  unwrapped {plain * 1e3:.2f} ms, wrapped {wrapped * 1e3:.2f} ms")
    print(
        f"  full-text scans: {sum(calls[k] for k in scans) / n:.0f} per round trip, "
        f"{sum(seconds[k] for k in scans) / n * 1e3:.2f} ms"
    )
    for key, total in sorted(seconds.items(), key=lambda kv: -kv[1]):
        print(f"  {key[0]:<52} {key[1]:<8} {calls[key] / n:5.1f}x {total / n * 1e3:7.3f} ms")


if __name__ == "__main__":
    main()
