"""Compare result files of run_all.sh: per batch totals, and per class where a worktree differs from the first.

python attack-work/compare.py attack-work/results/main-9d48968.json attack-work/results/mident-*.json ...
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any


def tally(result: dict[str, Any]) -> dict[str, dict[str, Counter]]:
    """batch -> class -> counts of tried / bad (leaked or damaged) / refused."""
    out: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    n_attack = sum(1 for r in result.get("gateway", []) if "fmt" in r)
    for i, r in enumerate(result.get("gateway", [])):
        batch = "gateway attack" if i < n_attack else "gateway ordinary"
        c = out[batch][r["cls"]]
        c["tried"] += 1
        c["bad"] += bool(r.get("leaks") or r.get("damaged"))
        c["refused"] += bool(r.get("refused"))
    for r in result.get("proxy", []):
        key = r["place"] if r["batch"] == "proxy-fields" else r["cls"]
        c = out[r["batch"]][key]
        c["tried"] += 1
        c["bad"] += bool(r.get("leaks") or r.get("damaged"))
        c["refused"] += bool(r.get("refused"))
    return out


def main() -> None:
    files = [Path(a) for a in sys.argv[1:]]
    results = [json.loads(f.read_text()) for f in files]
    tallies = [tally(r) for r in results]
    names = [f"{Path(r['worktree']).name}@{r['head']}" for r in results]
    batches = list(dict.fromkeys(b for t in tallies for b in t))
    print("| batch | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for b in batches:
        cells = []
        for t in tallies:
            tot = sum((c for c in t.get(b, {}).values()), Counter())
            cells.append(f"{tot['bad']}/{tot['tried']}" + (f" (refused {tot['refused']})" if tot["refused"] else ""))
        print(f"| {b} | " + " | ".join(cells) + " |")
    print("\nper class, where a worktree differs from the first (bad/tried):")
    for b in batches:
        classes = sorted({k for t in tallies for k in t.get(b, {})})
        for k in classes:
            vals = [t.get(b, {}).get(k, Counter()) for t in tallies]
            bads = [v["bad"] for v in vals]
            if len(set(bads)) > 1 and all(v["tried"] for v in vals):  # a batch a file lacks is no difference
                print(
                    f"  {b:18s} {k:36s} "
                    + "  ".join(f"{n}={v['bad']}/{v['tried']}" for n, v in zip(names, vals, strict=True))
                )


if __name__ == "__main__":
    main()
