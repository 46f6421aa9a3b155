"""What the proxy's memory of context-only values costs (serving/llm_proxy/memory.py). Prints, never asserts.

    .venv/bin/python -m bench.bench_proxy_memory [--runs 15]

1. `mask_request` on a typical 20 KB prompt: with the in-RAM automaton only, and with 65,536 keyed hashes loaded
   (a restarted proxy whose warehouse remembers that many values: each text's candidate words are hashed and looked up).
2. Judging a 5 MB request's vault (the detectors on each value): the CPU that ran beside the event loop before stop 33
   and runs in the worker process now.

CPU time of this process (`time.process_time`), fastest of `--runs`: the machine's load moves it little.
Prompts from `bench_masking_policy.prompt` (generated, not real data).
"""

from __future__ import annotations

import argparse
import json
import os
import time

from bench.bench_masking_policy import prompt
from bidradar.masking import Masker
from serving.llm_proxy.memory import MAX_DIGESTS, ContextMemory, RememberedValues, hashed_candidates, judge
from serving.llm_proxy.request_masking import mask_request

KEY = b"bench-proxy-memory-key-32-bytes!"


def fastest(runs: int, fn) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; CPU time, fastest of {args.runs}")

    text = prompt(20_000, False)
    raw = json.dumps({"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": text}]}).encode()
    pairs = [("Seoul2024!dream", "CREDENTIAL")]
    digests = {f"{i:032x}": "CREDENTIAL" for i in range(MAX_DIGESTS)}  # hashes no word of the prompt has
    ram = RememberedValues(pairs)
    hashed = RememberedValues(pairs, KEY, digests)
    t_ram = fastest(args.runs, lambda: mask_request(raw, KEY, remembered=ram))
    t_hashed = fastest(args.runs, lambda: mask_request(raw, KEY, remembered=hashed))
    t_candidates = fastest(args.runs, lambda: hashed_candidates(text))
    print(
        f"  mask_request, typical 20 KB: automaton only {t_ram * 1000:.1f} ms, with {MAX_DIGESTS:,} hashes"
        f" {t_hashed * 1000:.1f} ms ({(t_hashed - t_ram) * 1000:+.1f} ms; finding the"
        f" {len(hashed_candidates(text))} candidate words {t_candidates * 1000:.2f} ms)"
    )

    big = json.dumps(
        {"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": prompt(5_000_000, False)}]}
    )
    vault = mask_request(big.encode(), KEY).masker.vault.values
    masker = Masker(KEY)
    t_judge = fastest(max(1, args.runs // 5), lambda: judge(masker, vault, {}))
    t_learn = fastest(max(1, args.runs // 5), lambda: ContextMemory(KEY).learn(vault))
    print(
        f"  a 5 MB request's vault ({len(vault)} values): judged {t_judge * 1000:.0f} ms"
        f" (ContextMemory.learn from empty {t_learn * 1000:.0f} ms): in the worker process since stop 33"
    )


if __name__ == "__main__":
    main()
