"""Where one masking round trip's CPU goes, stage by stage: each detector, the candidate pass, the catalogue's
helpers, the normalisation, the leak check's parts, unmask. Prints, never asserts.

    taskset -c 1 .venv/bin/python bench/bench_masking_stages.py [--dense] [--size 20000] [--runs 20]

Each stage is wrapped with `process_time` (~1 us per call of its own), so stages nest (detect_view holds the
detectors) and the total is a little above bench_masking_policy.py's. Generated prompts (bench_masking_policy.prompt).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_masking_policy import ours, prompt
from bidradar.masking import catalogue, detect, leakcheck, masker, normalize, policy

seconds: Counter[str] = Counter()
calls: Counter[str] = Counter()


def timed(label: str, fn: Callable[..., object]) -> Callable[..., object]:
    def wrapper(*args: object, **kwargs: object) -> object:
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            seconds[label] += time.process_time() - start
            calls[label] += 1

    return wrapper


def wrap_stages() -> None:
    for table in (detect.DIGIT_DETECTORS, detect.OTHER_DETECTORS):
        for name, fn in list(table.items()):
            table[name] = timed(f"detector {name}", fn)  # type: ignore[assignment]
    stages = [
        (catalogue, ["candidates", "scan", "_wrapped_tokens", "_private_keys", "_headerless_keys"]),
        (catalogue, ["_prose_passwords", "_csv_columns"]),
        (detect, ["digit_runs", "word_runs", "_secret_matches", "_merge"]),
        (masker, ["normalise", "detect_view"]),
        (policy, ["leak_scan"]),
        (leakcheck, ["normalise", "_secret_hits", "_other_shapes", "_credentials", "_labelled_shapes"]),
        (leakcheck, ["_encoded_payloads", "_one_by_one"]),
        (normalize, ["_hangul_numerals"]),
        (masker, ["unmask"]),
    ]
    for module, names in stages:
        for name in names:
            setattr(module, name, timed(f"{module.__name__.rsplit('.', 1)[1]}.{name}", getattr(module, name)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dense", action="store_true")
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    text = prompt(args.size, args.dense)
    wrap_stages()
    for _ in range(3):
        ours(text)
    seconds.clear()
    calls.clear()
    start = time.process_time()
    for _ in range(args.runs):
        ours(text)
    total = (time.process_time() - start) / args.runs
    size = len(text.encode())
    print(f"{'dense' if args.dense else 'typical'} prompt, {size:,} bytes, {len(text):,} characters")
    print(f"  round trip {total * 1e3:.2f} ms CPU ({size / total / 1e6:.2f} MB/s with the wrappers)")
    for label, spent in sorted(seconds.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<36} {spent / args.runs * 1e3:8.3f} ms  {calls[label] / args.runs:7.1f} calls")


if __name__ == "__main__":
    main()
