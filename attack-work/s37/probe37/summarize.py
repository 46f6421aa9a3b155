# ruff: noqa
# probe37 (stop 37): a fresh red team's scratch probe, kept as it ran (not project code). Run: .venv/bin/python attack-work/s37/probe37/probe.py [SEED]; then summarize.py
import json, collections

r = json.load(open(__import__("pathlib").Path(__file__).with_name("results.json")))
print(collections.Counter(a["status"] for a in r["att"]), collections.Counter(a["status"] for a in r["ord"]))
print(
    "not restored att",
    sum(1 for a in r["att"] if a.get("roundtrip") is False),
    "ord",
    sum(1 for a in r["ord"] if a.get("roundtrip") is False),
)
for a in r["att"]:
    if a["status"] != "masked":
        print("==", a["cls"], "|", a["form"], "|", a["status"], a.get("leaked"))
        print("  IN :", a["text"][:300].replace("\n", "⏎"))
        print("  OUT:", a.get("out", "")[:300].replace("\n", "⏎"))
for a in r["ord"]:
    if a["status"] != "ok":
        print("## ", a["form"], a["status"], a.get("reason", ""))
        print("  IN :", a["text"][:300].replace("\n", "⏎"))
        print("  OUT:", a.get("out", "")[:300].replace("\n", "⏎"))
