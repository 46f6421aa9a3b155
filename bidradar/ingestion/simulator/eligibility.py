"""The one generator of who may bid: 면허제한 rows, 참가가능지역 rows, and the eligibility cases of the real API
that the matching must handle, emitted on purpose (issues 11 and 23). Written from G2B's rules and field
conventions (the specs in shared/reference/g2b), never from the matcher's tables: it imports neither
`bidradar.matching` nor the region/license/threshold tables of `bidradar.rules` (tests/test_eligibility_part2.py).

`licenses` and `regions` draw a notice's limit rows (the market's stream); `emit_cases` rewrites them into the cases
below with its own random stream per notice, and `notice_fields` adds the participation fields:

- 주력분야: a construction license row also names 주력분야 (`indstrytyMfrcFldList`, "[1^토공^포장]").
- flags without rows: `indstrytyLmtYn` = Y or a 지역제한 basis, but the rows are absent.
- name-only limits written with other spacing and brackets, or with the 소프트웨어사업자 sub-kind.
- 허용업종 (`permsnIndstrytyList`) in every format seen: "[a/c]", "[a/c],[b/c]", "a/c, b/c", "[c/a]", "[a]".
- old and short region names: 전라북도, 강원도, 서울시, 경기, ...; "전역"; "창원시의창구" without a space;
  일반구 rows ("경기도 수원시 영통구"); 읍·면 in the 시군구 place;
- code-first license names ("0037/전기공사업", the spec's order), codes in parentheses, full-width brackets;
- 지명경쟁 (dsgntCmptYn), 물품분류 and 제조 limits (prdctClsfcLmtYn, mnfctYn, purchsObjPrdctList), 지역의무공동도급
  (rgnDutyJntcontrctYn, jntcontrctDutyRgnNm1, rgnDutyJntcontrctRt).

What the notice really requires is recorded in `notice.truth` (the generator's ground truth for labels).
"""

from __future__ import annotations

import random
from typing import Any

from bidradar.ingestion.simulator.vocab import LICENSES, REGIONS, SIDO_SHORT

SHARES = {
    "license_flag_only": 0.03,
    "region_flag_only": 0.04,
    "name_variant": 0.5,
    "permitted_format": 1.0,
    "old_region_name": 0.3,
    "short_region_name": 0.1,
    "whole_word": 0.05,
    "code_first": 0.15,
    "code_in_parens": 0.05,
    "full_width": 0.03,
    "product_limit": 0.5,  # of 물품 notices
    "manufacturer": 0.4,  # of those
    "joint_duty": 0.25,  # of local 공사 notices with a region limit
}
# 일반구 of cities in the simulator's vocabulary (행정안전부 행정구역 현황): a 시군구 row may name one of them.
GU = {
    "수원시": ["장안구", "권선구", "팔달구", "영통구"],
    "성남시": ["수정구", "중원구", "분당구"],
    "고양시": ["덕양구", "일산동구", "일산서구"],
    "용인시": ["처인구", "기흥구", "수지구"],
    "안산시": ["상록구", "단원구"],
    "부천시": ["원미구", "소사구", "오정구"],
    "청주시": ["상당구", "서원구", "흥덕구", "청원구"],
    "천안시": ["동남구", "서북구"],
    "전주시": ["완산구", "덕진구"],
    "포항시": ["남구", "북구"],
    "창원시": ["의창구", "성산구", "마산합포구", "마산회원구", "진해구"],
}
# 물품분류번호 (8 digits) + 2-digit 식별번호 = 세부품명번호, as purchsObjPrdctList writes them.
PRODUCTS = [("5610170301", "책상"), ("5612150201", "의자"), ("4321150301", "노트북컴퓨터"), ("4410150101", "복사기")]
OLD_SIDO = {"전북특별자치도": "전라북도", "강원특별자치도": "강원도"}
SUB_KIND = {"1468": "소프트웨어사업자(컴퓨터관련서비스사업)"}
CODE_OF = {name: code for rows in LICENSES.values() for name, code in rows}

# Realistic 면허제한 shapes: (weight, groups); a group is AND of its licenses, groups are OR. Most notices ask for
# one license; 토목/건축 work also admits 토목건축공사업 as a second group; a few ask for two licenses together.
LICENSE_TEMPLATES: dict[str, list[tuple[float, list[list[str]]]]] = {
    "Cnstwk": [
        (14, [["토목공사업"], ["토목건축공사업"]]),
        (12, [["건축공사업"], ["토목건축공사업"]]),
        (10, [["전기공사업"]]),
        (8, [["정보통신공사업"]]),
        (7, [["실내건축공사업"]]),
        (6, [["지반조성ㆍ포장공사업"]]),
        (6, [["철근ㆍ콘크리트공사업"]]),
        (5, [["상ㆍ하수도설비공사업"]]),
        (5, [["조경공사업"]]),
        (4, [["기계가스설비공사업"]]),
        (4, [["금속창호ㆍ지붕건축물조립공사업"]]),
        (4, [["도장ㆍ습식ㆍ방수ㆍ석공사업"]]),
        (3, [["전문소방시설공사업"], ["일반소방시설공사업(기계)"]]),
        (2, [["문화재수리업(보수단청업)"]]),
        (2, [["전기공사업", "정보통신공사업"]]),
        (2, [["토목공사업", "전기공사업"], ["토목건축공사업", "전기공사업"]]),
        (1, [["산업환경설비공사업"]]),
    ],
    "Servc": [
        (20, [["소프트웨어사업자"]]),
        (10, [["엔지니어링사업자"]]),
        (8, [["건설기술용역업"], ["엔지니어링사업자"]]),
        (6, [["측량업"]]),
        (8, [["폐기물수집ㆍ운반업"]]),
        (6, [["학술연구용역"]]),
        (8, [["경비업"]]),
        (8, [["건물위생관리업"]]),
        (4, [["전기안전관리대행업"]]),
        (5, [["시설물유지관리업"]]),
        (3, [["소방시설관리업"]]),
        (3, [["소프트웨어사업자", "정보통신공사업"]]),
    ],
    "Thng": [
        (10, [["직접생산확인(사무용가구)"]]),
        (6, [["의료기기판매업"]]),
        (6, [["식품제조가공업"]]),
        (4, [["소프트웨어사업자"]]),
        (3, [["전기공사업"]]),
        (2, [["정보통신공사업"]]),
    ],
}
# 주력분야 of the 전문공사 대업종 (건설산업기본법 시행령 별표1, from 2022): indstrytyMfrcFldList "[group^분야^분야]";
# permitted stand-ins (permsnIndstrytyList).
MAIN_FIELDS = {
    "지반조성ㆍ포장공사업": ["토공", "포장", "보링ㆍ그라우팅ㆍ파일"],
    "철근ㆍ콘크리트공사업": ["철근ㆍ콘크리트"],
    "도장ㆍ습식ㆍ방수ㆍ석공사업": ["도장", "습식ㆍ방수", "석공"],
    "상ㆍ하수도설비공사업": ["상ㆍ하수도설비"],
    "금속창호ㆍ지붕건축물조립공사업": ["금속구조물ㆍ창호ㆍ온실", "지붕판금ㆍ건축물조립"],
}
PERMITTED = {
    "토목공사업": "토목건축공사업",
    "건축공사업": "토목건축공사업",
    "일반소방시설공사업(기계)": "전문소방시설공사업",
}


def licenses(rng: random.Random, category: str) -> list[dict[str, str]]:
    """Groups are OR, rows in a group AND; some names come without a code, as in the real rows."""
    codes = dict(LICENSES[category])
    templates = LICENSE_TEMPLATES[category]
    _, groups = rng.choices(templates, weights=[w for w, _ in templates])[0]
    rows: list[dict[str, str]] = []
    for grp, names in enumerate(groups, start=1):
        for sno, name in enumerate(names, start=1):
            row = {"lmtGrpNo": str(grp), "lmtSno": str(sno)}
            row["lcnsLmtNm"] = name if rng.random() < 0.1 else f"{name}/{codes[name]}"
            if name in PERMITTED and rng.random() < 0.5:
                alt = PERMITTED[name]
                row["permsnIndstrytyList"] = f"[{alt}/{codes[alt]}]"
            if name in MAIN_FIELDS and rng.random() < 0.6:
                fields_ = rng.sample(MAIN_FIELDS[name], rng.randint(1, len(MAIN_FIELDS[name])))
                row["indstrytyMfrcFldList"] = f"[{grp}^{'^'.join(fields_)}]"
            rows.append(row)
    return rows


def regions(rng: random.Random, n: Any) -> list[str]:
    local = n.dminstt.kind in {"sido", "sigungu", "education"}
    share = {"Cnstwk": 0.8, "Servc": 0.4, "Thng": 0.35, "Frgcpt": 0.0}[n.category] if local else 0.0
    if not local and n.category == "Cnstwk":
        share = 0.3
    if rng.random() >= share:
        return []
    sido = n.dminstt.sido
    if REGIONS[sido] and rng.random() < 0.3:
        k = rng.randint(2, min(8, len(REGIONS[sido])))
        return [f"{sido} {s}" for s in rng.sample(REGIONS[sido], k)]
    return [sido]


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
        main = [part.strip("[]").split("^")[1:] for part in row.get("indstrytyMfrcFldList", "").split(",") if part]
        if code and rng.random() < SHARES["code_first"]:
            row["lcnsLmtNm"] = f"{code}/{name}"  # the spec's own order
        elif code and rng.random() < SHARES["code_in_parens"]:
            row["lcnsLmtNm"] = f"{name}({code})"
        elif code and rng.random() < SHARES["full_width"]:
            row["lcnsLmtNm"] = f"{name}／{code}".replace("(", "（").replace(")", "）")
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
        if sigungu in GU and rng.random() < 0.3:  # one 일반구 of the city, sometimes without the space
            gu = rng.choice(GU[sigungu])
            truth["regions"][-1] = (truth["regions"][-1][0], f"{sigungu} {gu}")
            sigungu = f"{sigungu}{gu}" if rng.random() < 0.3 else f"{sigungu} {gu}"
        if not sigungu and rng.random() < SHARES["whole_word"]:
            sigungu = "전역"
        regions.append(f"{sido} {sigungu}".strip())
    notice.regions = regions
    if notice.regions and rng.random() < SHARES["region_flag_only"]:
        notice.regions = []  # the 지역제한 basis stays: the rows are missing
        truth["region_flag_only"] = True
        truth["regions"] = []
    notice.truth = truth
    _participation(rng, notice, values)


def _participation(rng: random.Random, notice: Any, values: dict[str, str]) -> None:
    """지명경쟁, 물품분류·제조 and 지역의무공동도급 fields, as G2B writes them; their meaning in `notice.truth`."""
    truth = notice.truth
    truth["designated"] = values.get("cntrctCnclsMthdNm") == "지명경쟁"
    values["dsgntCmptYn"] = "Y" if truth["designated"] else "N"
    values["prdctClsfcLmtYn"], values["mnfctYn"] = "N", "N"
    truth["product_codes"], truth["manufacturer"] = [], False
    if notice.category == "Thng" and rng.random() < SHARES["product_limit"]:
        items = rng.sample(PRODUCTS, rng.randint(1, 2))
        values["prdctClsfcLmtYn"] = "Y"
        values["purchsObjPrdctList"] = ",".join(f"[{i}^{no}^{name}]" for i, (no, name) in enumerate(items, 1))
        values["dtilPrdctClsfcNo"] = items[0][0]
        truth["product_codes"] = [no[:8] for no, _ in items]
        if rng.random() < SHARES["manufacturer"]:
            values["mnfctYn"] = "Y"
            truth["manufacturer"] = True
    truth["joint_regions"] = []
    local = notice.dminstt.kind in {"sido", "sigungu", "education"}
    if notice.category == "Cnstwk" and local and notice.regions and rng.random() < SHARES["joint_duty"]:
        values["rgnDutyJntcontrctYn"] = "Y"
        values["jntcontrctDutyRgnNm1"] = notice.dminstt.sido
        values["rgnDutyJntcontrctRt"] = rng.choice(("30", "40", "49"))
        values["cmmnSpldmdMethdNm"] = "공동이행"
        truth["joint_regions"] = [notice.dminstt.sido]
    else:
        values["rgnDutyJntcontrctYn"] = "N"
