"""The eligibility cases of the real API that the matching must handle, emitted on purpose (issue 11).

Kept apart from the market model in `generator.py` (one call from `_make_notice`, its own random stream per
notice, so the rest of the generated market is unchanged):

- 주력분야: a construction license row also names 주력분야 (`indstrytyMfrcFldList`, "[1^토공^포장]").
- flags without rows: `indstrytyLmtYn` = Y or a 지역제한 basis, but the rows are absent.
- name-only limits written with other spacing and brackets, or with the 소프트웨어사업자 sub-kind.
- 허용업종 (`permsnIndstrytyList`) in every format seen: "[a/c]", "[a/c],[b/c]", "a/c, b/c", "[c/a]", "[a]".
- old and short region names: 전라북도, 강원도, 서울시, 경기, ...

What the notice really requires is recorded in `notice.truth` (the generator's ground truth for labels).
"""

from __future__ import annotations

import random
from typing import Any

from bidradar.ingestion.simulator.vocab import LICENSES, SIDO_SHORT

SHARES = {
    "main_fields": 0.35,
    "license_flag_only": 0.03,
    "region_flag_only": 0.04,
    "name_variant": 0.5,
    "permitted_format": 1.0,
    "old_region_name": 0.3,
    "short_region_name": 0.1,
}
# 주력분야 per license code (건설산업기본법 시행령 별표: 지반조성·포장공사업 and the 종합공사업).
MAIN_FIELDS = {"4991": ("토공", "포장", "보링그라우팅"), "0001": ("토목",), "0002": ("건축",), "0003": ("토목", "건축")}
OLD_SIDO = {"전북특별자치도": "전라북도", "강원특별자치도": "강원도"}
SUB_KIND = {"1468": "소프트웨어사업자(컴퓨터관련서비스사업)"}
CODE_OF = {name: code for rows in LICENSES.values() for name, code in rows}


def _permitted(rng: random.Random, items: list[tuple[str, str]]) -> str:
    style = rng.randrange(5)
    if style == 0:
        return ",".join(f"[{n}/{c}]" for n, c in items)
    if style == 1:
        return ", ".join(f"{n}/{c}" for n, c in items)
    if style == 2:
        return ",".join(f"[{c}/{n}]" for n, c in items)
    if style == 3:
        return ",".join(f"[{n}]" for n, _ in items)
    return ", ".join(f"[{n}/{c}]" for n, c in items)


def _name_variant(rng: random.Random, name: str, code: str) -> str:
    if code in SUB_KIND and rng.random() < 0.5:
        return SUB_KIND[code]
    if "(" in name:
        return name.replace("(", " (") if rng.random() < 0.5 else name.replace("(", "[").replace(")", "]")
    return name.replace("ㆍ", "·") if "ㆍ" in name else name


def emit_cases(seed: int, notice: Any, values: dict[str, str]) -> None:
    """Rewrite the notice's limit rows and flags into the cases above; record the truth in `notice.truth`."""
    rng = random.Random(f"{seed}:eligibility:{notice.no}")
    category = notice.category
    truth: dict[str, Any] = {"rows": [], "regions": [], "license_flag_only": False, "region_flag_only": False}
    for row in notice.licenses:
        name, _, code = row["lcnsLmtNm"].partition("/")
        own = code or CODE_OF.get(name, "")
        alternatives = [own] if own else []
        permitted_items: list[tuple[str, str]] = []
        if row.get("permsnIndstrytyList"):
            alt_name, _, alt_code = row["permsnIndstrytyList"].strip("[]").partition("/")
            permitted_items.append((alt_name, alt_code))
            if rng.random() < 0.4:
                extra = rng.choice(LICENSES[category])
                if extra[1] not in (own, alt_code):
                    permitted_items.append(extra)
            if rng.random() < SHARES["permitted_format"]:
                row["permsnIndstrytyList"] = _permitted(rng, permitted_items)
            alternatives += [c for _, c in permitted_items]
        if not code and rng.random() < SHARES["name_variant"]:
            row["lcnsLmtNm"] = _name_variant(rng, name, own)
        main: list[list[str]] = []
        if own in MAIN_FIELDS and rng.random() < SHARES["main_fields"]:
            fields = MAIN_FIELDS[own]
            k = rng.randint(1, min(2, len(fields)))
            main = [rng.sample(fields, k)]
            row["indstrytyMfrcFldList"] = ",".join(f"[{row['lmtGrpNo']}^{'^'.join(alt)}]" for alt in main)
        truth["rows"].append(
            {
                "group": row["lmtGrpNo"],
                "codes": alternatives,
                "main_fields": main,
                "generic_name": not code and own == "1468",
            }
        )
    if notice.licenses and rng.random() < SHARES["license_flag_only"]:
        notice.licenses = []  # indstrytyLmtYn stays "Y": the rows are missing
        truth["license_flag_only"] = True
    regions = []
    for region in notice.regions:
        sido, _, sigungu = region.partition(" ")
        truth["regions"].append((sido, sigungu or None))
        if sido in OLD_SIDO and rng.random() < SHARES["old_region_name"]:
            sido = OLD_SIDO[sido]
        elif rng.random() < SHARES["short_region_name"]:
            sido = SIDO_SHORT.get(sido, sido)
        regions.append(f"{sido} {sigungu}".strip())
    notice.regions = regions
    if notice.regions and rng.random() < SHARES["region_flag_only"]:
        notice.regions = []  # the 지역제한 basis stays: the rows are missing
        truth["region_flag_only"] = True
        truth["regions"] = []
    notice.truth = truth
