"""Issue 24's masking benchmark: the masking policy now (detectors + secrets catalogue + leak check, residues
masked) next to the policy at the start of session 30 (PREVIOUS_REV), today's masker (the commit before issue 24)
-- both loaded from git -- and Presidio's pattern recognizers, in one run. Prints, never asserts.

    taskset -c 1 .venv/bin/python bench/bench_masking_policy.py [--runs 60] [--previous REV] [--today REV]
        [--worst-runs N] [--pathological]

- mask + unmask of a 20 KB prompt on one core (typical: one planted document per ~3 KB of notice prose; dense:
  planted documents only, issue 24's secrets corpus included), in MB/s of UTF-8 input: wall time (mean and best
  run) and this process's CPU time (median), the figure that survives a rerun on a loaded or a quiet machine; the
  contenders run interleaved, run by run, so the ratios compare the same minutes of the machine;
- the worst case: 1 MB of dense identifiers (planted documents and secrets only), mask + unmask, wall and CPU of
  the first run; with --worst-runs N, the median CPU of N runs, now and --previous interleaved (the first run of a
  process pays for DFA states built from scratch and is the noisiest);
- with --pathological, 1 MB of each adversarial unit of tests/test_masking_pathological.py through the policy and
  unmask (a refusal with a reason counts as done), CPU seconds now and at --previous.
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
PREVIOUS_REV = "2cf92ce"  # the start of session 30 (issue 24 without the candidate scans and the new classes)
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


def load_masking(rev: str, alias: str):
    """bidradar/masking at `rev`, copied to a temporary package named `alias` (None when git does not know rev)."""
    folder = Path(tempfile.mkdtemp(prefix=f"{alias}-")) / alias
    folder.mkdir()

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, check=True, capture_output=True, text=True).stdout

    try:
        names = git("ls-tree", "--name-only", f"{rev}:bidradar/masking").split()
    except subprocess.CalledProcessError:
        return None
    for name in names:
        if name == "rules":
            (folder / "rules").mkdir()
            for rule_file in git("ls-tree", "--name-only", f"{rev}:bidradar/masking/rules").split():
                (folder / "rules" / rule_file).write_text(git("show", f"{rev}:bidradar/masking/rules/{rule_file}"))
            continue
        if not name.endswith(".py") or name in ("gateway.py", "keys.py", "cli.py"):
            continue
        source = re.sub(r"\bbidradar\.masking\b", alias, git("show", f"{rev}:bidradar/masking/{name}"))
        if name == "__init__.py":
            source = "\n".join(line for line in source.splitlines() if "cli" not in line)
        (folder / name).write_text(source)
    sys.path.insert(0, str(folder.parent))
    return importlib.import_module(alias)


def today_masker() -> Callable[[str], None] | None:
    """Today's masker (before issue 24): detectors + leak check (a refusal is the end of the call) + unmask."""
    package = load_masking(TODAY_REV, "masking_today")
    if package is None:
        return None
    masker_module = importlib.import_module("masking_today.masker")

    def round_trip(text: str) -> None:
        masker = masker_module.Masker(KEY, COMPANY_SECRETS)
        masked = masker.mask(text).masked
        with contextlib.suppress(masker_module.MaskingLeakError):  # today's refusal: the text would not be sent
            masker.leak_check(masked)
        masker.unmask(masked)

    return round_trip


def previous_policy(rev: str) -> Callable[[str], None] | None:
    """The policy as it was at `rev` (the start of session 30: before the candidate scans and the new classes)."""
    if load_masking(rev, "masking_previous") is None:
        return None
    masker_module = importlib.import_module("masking_previous.masker")
    policy_module = importlib.import_module("masking_previous.policy")

    def round_trip(text: str) -> None:
        masker = masker_module.Masker(KEY, COMPANY_SECRETS)
        masker.unmask(policy_module.mask_outgoing(masker, text, "the prompt").text)

    return round_trip


def ours(text: str) -> None:  # the policy now
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


def throughput(
    contenders: dict[str, Callable[[str], None]], text: str, runs: int
) -> dict[str, tuple[float, float, float]]:
    """Per contender (mean wall MB/s, best wall MB/s, median CPU MB/s of this process), the contenders interleaved run
    by run (in a rotating order) so that a change of the machine's load falls on all of them: the CPU figure and the
    ratios survive a loaded machine."""
    for fn in contenders.values():
        for _ in range(3):
            fn(text)
    walls: dict[str, list[float]] = {name: [] for name in contenders}
    cpus: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for i in range(runs):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            cpu, wall = time.process_time(), time.perf_counter()
            contenders[name](text)
            walls[name].append(time.perf_counter() - wall)
            cpus[name].append(time.process_time() - cpu)
    size = len(text.encode())
    return {
        name: (
            size / statistics.mean(walls[name]) / 1e6,
            size / min(walls[name]) / 1e6,
            size / statistics.median(cpus[name]) / 1e6,
        )
        for name in names
    }


def worst_case(fn: Callable[[str], None], text: str) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    fn(text)
    return time.perf_counter() - wall, time.process_time() - cpu


def pathological(previous: str) -> None:
    from bidradar.masking.policy import MaskingRefused
    from tests.test_masking_pathological import SECRETS, SIZE, UNITS

    contenders = {"now": (Masker, mask_outgoing, MaskingRefused)}
    if load_masking(previous, "masking_previous") is not None:
        old_policy = importlib.import_module("masking_previous.policy")
        old_masker = importlib.import_module("masking_previous.masker").Masker
        contenders[previous] = (old_masker, old_policy.mask_outgoing, old_policy.MaskingRefused)
    print("pathological 1 MB inputs, policy + unmask, CPU seconds (" + " / ".join(contenders) + ")")
    totals = [0.0] * len(contenders)
    for name, unit in UNITS.items():
        text = (unit * (SIZE // len(unit) + 1))[:SIZE]
        seconds = []
        for masker_class, policy, refused in contenders.values():
            start = time.process_time()
            masker = masker_class(b"pathological-test-key-32-bytes!!", SECRETS)
            with contextlib.suppress(refused):  # a refusal with a reason is an answer too
                masker.unmask(policy(masker, text, "the test input").text)
            seconds.append(time.process_time() - start)
        print(f"  {name:<18} " + " / ".join(f"{s:5.2f}" for s in seconds))
        totals = [total + s for total, s in zip(totals, seconds, strict=True)]
    print(f"  {'all units':<18} " + " / ".join(f"{s:5.2f}" for s in totals))


def main() -> None:
    global TODAY_REV
    parser = argparse.ArgumentParser()
    parser.add_argument("--today", default=TODAY_REV)
    parser.add_argument("--previous", default=PREVIOUS_REV, help="the policy to compare with (a git revision)")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--worst-runs", type=int, default=1, help="runs of the 1 MB worst case (median CPU if > 1)")
    parser.add_argument("--pathological", action="store_true", help="1 MB of each adversarial unit too (slow)")
    args = parser.parse_args()
    TODAY_REV = args.today
    print(f"one core, single thread; load average {os.getloadavg()[0]:.2f} at the start; sizes are UTF-8 bytes")
    print("wall = perf_counter (includes waiting for the CPU on a loaded machine), cpu = process_time of this process")
    contenders = {
        "policy (now)": ours,
        f"previous ({args.previous})": previous_policy(args.previous),
        f"today ({TODAY_REV})": today_masker(),
        "presidio patterns": presidio(),
    }
    for label, dense in (("typical 20 KB", False), ("dense 20 KB", True)):
        text = prompt(20_000, dense)
        for name, fn in contenders.items():
            if fn is None:
                print(f"  {label}: {name}: not available")
        speeds = throughput({name: fn for name, fn in contenders.items() if fn is not None}, text, args.runs)
        now_wall, _, now_cpu = speeds["policy (now)"]
        for name, (mean, best, cpu) in speeds.items():
            print(
                f"  {label:<14} {name:<22} wall mean {mean:6.2f} MB/s (best {best:6.2f})  cpu {cpu:6.2f} MB/s"
                f"  ratio now/this: wall {now_wall / mean:5.2f} cpu {now_cpu / cpu:5.2f}"
            )
    worst = prompt(1_000_000, True)
    names = [name for name in ("policy (now)", f"previous ({args.previous})") if contenders[name] is not None]
    cpus: dict[str, list[float]] = {name: [] for name in names}
    for i in range(args.worst_runs):  # interleaved, in a rotating order, like the 20 KB runs
        for name in names[i % len(names) :] + names[: i % len(names)]:
            wall, cpu = worst_case(contenders[name], worst)  # type: ignore[arg-type]
            cpus[name].append(cpu)
            if i == 0:
                print(f"worst case: 1 MB of dense identifiers, mask+unmask, {name}: wall {wall:.2f} s, cpu {cpu:.2f} s")
    if args.worst_runs > 1:
        for name in names:
            print(f"worst case, {name}: median cpu {statistics.median(cpus[name]):.2f} s of {args.worst_runs} runs")
    if args.pathological:
        pathological(args.previous)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
