"""Print the failing cases of failures.json grouped by written form, two examples each (the report's appendix)."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "failures.json"
    groups: dict[str, list[dict]] = defaultdict(list)
    for f in json.loads(path.read_text()):
        groups["ordinary:" + f["cls"] if f["id"].startswith("ORD") else f["form"]].append(f)
    for key, cases in groups.items():
        print(f"#### {key} ({len(cases)}: {', '.join(c['id'] for c in cases)})\n")
        for c in cases[:2]:
            r = c["channels"].get("mask") or next(iter(c["channels"].values()))
            print("    in:  " + json.dumps(c["text"], ensure_ascii=False)[:400])
            sent = r.get("sent", "")
            out = "(unchanged)" if sent == c["text"] else json.dumps(sent, ensure_ascii=False)[:400]
            print("    out: " + (r.get("refused") or out))
        print()


if __name__ == "__main__":
    main()
