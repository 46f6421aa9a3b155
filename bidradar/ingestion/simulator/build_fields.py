"""Regenerate ``fields.json`` (operation -> ordered response field names) from the G2B specs.

The simulator must run on a clean clone without the shared reference folder, so the field lists are
copied into ``fields.json`` once, by this script:

    .venv/bin/python -m bidradar.ingestion.simulator.build_fields \
        /work/shared/reference/g2b/specs \
        /work/shared/reference/g2b/samples/parkyoung07_bid_sample_R26BK01706792_getBidPblancListInfoServc.json

Rules (the real API wins over the transcribed spec):
- header and paging fields (resultCode, resultMsg, numOfRows, pageNo, totalCount) are dropped;
- notice lists use the real spellings ``pubPrcrmntLrgClsfcNm``/``pubPrcrmntMidClsfcNm`` seen in the sample
  (the spec writes ``...Lrgclsfc...``/``...Midclsfc...``) and gain the undocumented ``befBidBbancNo``;
- the 용역 list keeps the exact key order of the real sample (113 keys).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HEADER_FIELDS = {"resultCode", "resultMsg", "numOfRows", "pageNo", "totalCount"}
REAL_SPELLINGS = {"pubPrcrmntLrgclsfcNm": "pubPrcrmntLrgClsfcNm", "pubPrcrmntMidclsfcNm": "pubPrcrmntMidClsfcNm"}
CATEGORIES = ("Thng", "Servc", "Cnstwk", "Frgcpt")

SERVED_BID_OPS = [
    *(f"getBidPblancListInfo{c}" for c in CATEGORIES),
    *(f"getBidPblancListInfo{c}BsisAmount" for c in ("Thng", "Cnstwk", "Servc")),
    "getBidPblancListInfoLicenseLimit",
    "getBidPblancListInfoPrtcptPsblRgn",
]
SERVED_SCSBID_OPS = [
    *(f"getScsbidListSttus{c}" for c in CATEGORIES),
    *(f"getOpengResultListInfo{c}" for c in CATEGORIES),
    *(f"getOpengResultListInfo{c}PreparPcDetail" for c in CATEGORIES),
    "getOpengResultListInfoOpengCompt",
]


def _fields(op: dict) -> list[str]:
    names = [REAL_SPELLINGS.get(f["nameEn"], f["nameEn"]) for f in op["responseFields"]]
    out: list[str] = []
    for name in names:
        if name not in HEADER_FIELDS and name not in out:
            out.append(name)
    return out


def build(spec_dir: Path, servc_sample: Path) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for service, wanted in (("bid", SERVED_BID_OPS), ("scsbid", SERVED_SCSBID_OPS)):
        spec = json.loads((spec_dir / f"{service}.json").read_text(encoding="utf-8"))
        ops = {op["opNameEn"]: op for op in spec["operations"]}
        for name in wanted:
            fields = _fields(ops[name])
            if name.startswith("getBidPblancListInfo") and name.removeprefix("getBidPblancListInfo") in CATEGORIES:
                fields.append("befBidBbancNo")
            result[name] = fields
    sample_keys = list(json.loads(servc_sample.read_text(encoding="utf-8")).keys())
    spec_servc = result["getBidPblancListInfoServc"]
    # Keep the real order, then any spec field the sample lacks (none today).
    result["getBidPblancListInfoServc"] = sample_keys + [f for f in spec_servc if f not in sample_keys]
    return result


def main() -> None:
    spec_dir, sample = Path(sys.argv[1]), Path(sys.argv[2])
    out = Path(__file__).with_name("fields.json")
    out.write_text(json.dumps(build(spec_dir, sample), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
