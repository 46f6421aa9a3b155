"""Issue 24's masking benchmark: the masking policy (detectors + secrets catalogue + leak check, residues masked)
next to today's masker (the commit before issue 24, loaded from git) and Presidio's pattern recognizers, in one run.
Prints, never asserts.

    .venv/bin/python bench/bench_masking_policy.py [--today REV]

- mask + unmask of a 20 KB prompt on one core (typical: one planted document per ~3 KB of notice prose; dense:
  planted documents only, issue 24's secrets corpus included), in MB/s of UTF-8 input;
- the worst case: 1 MB of dense identifiers (planted documents and secrets only), mask + unmask, in seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bidradar.masking import Masker  # noqa: E402
from bidradar.masking.policy import mask_outgoing  # noqa: E402
from tests.kit.masking_corpus import COMPANY_SECRETS, planted_corpus  # noqa: E402
from tests.kit.secrets_corpus import secrets_corpus  # noqa: E402

KEY = b"bench-key-of-at-least-thirty-two-bytes"
TODAY_REV = "8338aa5"  # main just before issue 24
FILLER = (
    "본 사업은 나라장터 전자입찰 방식으로 진행되며, 입찰참가자격은 소프트웨어사업자로 신고된 업체로 한정한다. "
    "제안서는 기술평가 90점과 가격평가 10점으로 평가하며, 협상적격자 선정 후 기술협상을 실시한다. "
    "The supplier shall provide maintenance for the delivered system during the warranty period and shall "
    "report incidents to the contracting officer within one business day. 과업 범위와 산출물은 제안요청서를 따른다.\n"
)


def prompt(size: int, dense: bool) -> str:
    docs = [d.text for d in planted_corpus(60)] + [d.text for d in secrets_corpus(per_class=4)]
    parts, total, i = [], 0, 0
    while total < size:
        piece = docs[i % len(docs)] + ("" if dense else FILLER * 4)
        parts.append(piece)
        total += len(piece.encode())
        i += 1
    return "".join(parts).encode()[:size].decode("utf-8", errors="ignore")


def today_masker() -> Callable[[str], None] | None:
    """Today's masker: bidradar/masking at TODAY_REV, copied to a temporary package under another name."""
    folder = Path(tempfile.mkdtemp(prefix="masking-today-")) / "masking_today"
    folder.mkdir()
    try:
        names = subprocess.run(
            ["git", "ls-tree", "--name-only", f"{TODAY_REV}:bidradar/masking"],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    except subprocess.CalledProcessError:
        return None
    for name in names:
        if not name.endswith(".py") or name in ("gateway.py", "keys.py", "cli.py"):
            continue
        source = subprocess.run(
            ["git", "show", f"{TODAY_REV}:bidradar/masking/{name}"],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        source = re.sub(r"\bbidradar\.masking\b", "masking_today", source)
        if name == "__init__.py":
            source = "\n".join(line for line in source.splitlines() if "cli" not in line)
        (folder / name).write_text(source)
    sys.path.insert(0, str(folder.parent))
    masker_module = importlib.import_module("masking_today.masker")

    def round_trip(text: str) -> None:
        masker = masker_module.Masker(KEY, COMPANY_SECRETS)
        masked = masker.mask(text).masked
        with contextlib.suppress(masker_module.MaskingLeakError):  # today's refusal: the text would not be sent
            masker.leak_check(masked)
        masker.unmask(masked)

    return round_trip


def ours(text: str) -> None:
    masker = Masker(KEY, COMPANY_SECRETS)
    out = mask_outgoing(masker, text, "the prompt")
    masker.unmask(out.text)


def presidio() -> Callable[[str], None] | None:
    """Presidio's masking for the comparison; None when the bench group (Presidio) is not installed."""
    from bench.bench_masking import _presidio_recognizers, presidio_mask

    recognizers = _presidio_recognizers()
    if recognizers is None:
        return None
    return lambda text: presidio_mask(text, recognizers, list(COMPANY_SECRETS))


def throughput(fn: Callable[[str], None], text: str, runs: int) -> tuple[float, float]:
    for _ in range(3):
        fn(text)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(text)
        samples.append(time.perf_counter() - start)
    size = len(text.encode())
    return size / statistics.mean(samples) / 1e6, size / min(samples) / 1e6


def main() -> None:
    global TODAY_REV
    parser = argparse.ArgumentParser()
    parser.add_argument("--today", default=TODAY_REV)
    parser.add_argument("--runs", type=int, default=100)
    TODAY_REV = parser.parse_args().today
    runs = parser.parse_args().runs
    print(f"one core, single thread; load average {os.getloadavg()[0]:.2f}; sizes are UTF-8 bytes")
    contenders = {"policy (issue 24)": ours, f"today ({TODAY_REV})": today_masker(), "presidio patterns": presidio()}
    for label, dense in (("typical 20 KB", False), ("dense 20 KB", True)):
        text = prompt(20_000, dense)
        speeds = {}
        for name, fn in contenders.items():
            if fn is None:
                print(f"  {label}: {name}: not available")
                continue
            speeds[name] = throughput(fn, text, runs)
        base = speeds["policy (issue 24)"][0]
        for name, (mean, best) in speeds.items():
            print(
                f"  {label:<14} {name:<22} mask+unmask {mean:6.2f} MB/s (best run {best:6.2f})  ratio ours/this {base / mean:5.2f}"
            )
    worst = prompt(1_000_000, True)
    start = time.perf_counter()
    ours(worst)
    print(f"worst case: 1 MB of dense identifiers, mask+unmask {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
