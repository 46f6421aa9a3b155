"""One table of 업종 (license) codes with their names and aliases, and name resolution against it.

G2B writes a 면허제한 as "name/code" (`전기공사업/0037`) but sometimes as the name alone
(`일반소방시설공사업(전기)`), with spacing, brackets and middle dots that vary. A name is resolved to codes through
this table; a name that resolves to nothing is *unknown*, never a failure.

Sources (column `source`): "public" rows were checked against a public copy of the 나라장터 업종코드 list
(업종코드/업종명 pairs as G2B's 업체정보 shows them); "simulator" rows are names and codes the bundled simulator
uses that were not found in that copy (their codes are kept as the simulator writes them, so matching by code
works, but their names are not resolved from the public list). Add rows here; nothing else holds license names.

A generic name resolves to all its sub-kinds: "소프트웨어사업자" is met by any 소프트웨어사업자 registration
(1426, 1468, 1469, 1470), "소프트웨어사업자(컴퓨터관련서비스사업)" only by 1468.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class LicenseCode:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    source: str = "public"


LICENSE_CODES: tuple[LicenseCode, ...] = (
    # 종합·전문 건설업 and 시설 공사업
    LicenseCode("0001", "토목공사업", ("토목",), "simulator"),
    LicenseCode("0002", "건축공사업", ("건축",), "simulator"),
    LicenseCode("0003", "토목건축공사업", ("토건",), "simulator"),
    LicenseCode("0004", "조경공사업", (), "simulator"),
    LicenseCode("0005", "산업환경설비공사업", ("산업·환경설비공사업",), "simulator"),
    LicenseCode("4990", "기계가스설비공사업", ("기계설비·가스공사업",), "simulator"),
    LicenseCode("4991", "지반조성ㆍ포장공사업", ("지반조성포장공사업",), "simulator"),
    LicenseCode("4992", "실내건축공사업", (), "simulator"),
    LicenseCode("4993", "금속창호ㆍ지붕건축물조립공사업", (), "simulator"),
    LicenseCode("4994", "도장ㆍ습식ㆍ방수ㆍ석공사업", (), "simulator"),
    LicenseCode("4995", "시설물유지관리업", (), "simulator"),
    LicenseCode("4996", "철근ㆍ콘크리트공사업", (), "simulator"),
    LicenseCode("4998", "상ㆍ하수도설비공사업", (), "simulator"),
    LicenseCode("0036", "정보통신공사업", (), "simulator"),
    LicenseCode("0037", "전기공사업", (), "simulator"),
    LicenseCode("0038", "일반소방시설공사업(기계)", ("일반소방시설공사업 기계분야",), "public"),
    LicenseCode("0039", "일반소방시설공사업(전기)", ("일반소방시설공사업 전기분야",), "public"),
    LicenseCode("0040", "전문소방시설공사업", (), "public"),
    LicenseCode("0061", "문화재수리업(보수단청업)", (), "simulator"),
    # 용역
    LicenseCode("1426", "소프트웨어사업자(패키지소프트웨어개발ㆍ공급사업)", ("소프트웨어사업자",), "public"),
    LicenseCode("1468", "소프트웨어사업자(컴퓨터관련서비스사업)", ("소프트웨어사업자",), "public"),
    LicenseCode("1469", "소프트웨어사업자(디지털콘텐츠개발서비스사업)", ("소프트웨어사업자",), "public"),
    LicenseCode("1470", "소프트웨어사업자(데이터베이스제작및검색서비스사업)", ("소프트웨어사업자",), "public"),
    LicenseCode("1169", "학술ㆍ연구용역", ("학술연구용역",), "public"),
    LicenseCode("1261", "종합여행업", (), "public"),
    LicenseCode("1517", "출판사", (), "public"),
    LicenseCode("3244", "비디오물제작업", (), "public"),
    LicenseCode("5720", "국제회의기획업", (), "public"),
    LicenseCode("6529", "이러닝서비스업", (), "public"),
    LicenseCode("9901", "기타자유업(행사대행업)", (), "public"),
    LicenseCode("1162", "건설기술용역업", (), "simulator"),
    LicenseCode("1171", "측량업", (), "simulator"),
    LicenseCode("1226", "폐기물수집ㆍ운반업", (), "simulator"),
    LicenseCode("1260", "경비업", (), "simulator"),
    LicenseCode("1262", "건물위생관리업", (), "simulator"),
    LicenseCode("1198", "전기안전관리대행업", (), "simulator"),
    LicenseCode("1437", "소방시설관리업", (), "simulator"),
    # 물품
    LicenseCode("8301", "직접생산확인(사무용가구)", (), "simulator"),
    LicenseCode("1521", "의료기기판매업", (), "simulator"),
    LicenseCode("1601", "식품제조가공업", (), "simulator"),
)
# Not in the table on purpose: the simulator's "엔지니어링사업자" is written with code 1469, which the public
# list gives to 소프트웨어사업자(디지털콘텐츠개발서비스사업); a name-only 엔지니어링사업자 limit is therefore
# unresolved (unknown) until its real code is added here.

_BRACKETS = str.maketrans(
    {
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
        "（": "(",
        "）": ")",
        "〔": "(",
        "〕": ")",
        "［": "(",
        "］": ")",
        "【": "(",
        "】": ")",
        "〈": "(",
        "〉": ")",
        "／": "/",
        "；": ";",
        "，": ",",
    }
)


def normalize_name(name: str) -> str:
    """The key names are compared by: no spaces, every middle dot ㆍ, every bracket (), no trailing 업자/업 noise."""
    text = name.translate(_BRACKETS)
    text = re.sub(r"\s+", "", text)
    return re.sub(r"[·•・‧∙]", "ㆍ", text)


_BRACKET_PAIRS = tuple((chr(k), v) for k, v in _BRACKETS.items() if v in "()")


def normalize_name_expr(expr: pl.Expr) -> pl.Expr:
    """`normalize_name` as a polars expression."""
    out = expr
    for src, dst in _BRACKET_PAIRS:
        out = out.str.replace_all(src, dst, literal=True)
    return out.str.replace_all(r"\s+", "").str.replace_all(r"[·•・‧∙]", "ㆍ")


def _name_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for lic in LICENSE_CODES:
        for name in (lic.name, *lic.aliases):
            key = normalize_name(name)
            # Also without the middle dots (지반조성포장공사업) — G2B and people drop them.
            for variant in {key, key.replace("ㆍ", "")}:
                codes = index.setdefault(variant, [])
                if lic.code not in codes:
                    codes.append(lic.code)
    return {k: tuple(v) for k, v in index.items()}


NAME_INDEX: dict[str, tuple[str, ...]] = _name_index()
NAMES: dict[str, str] = {lic.code: lic.name for lic in LICENSE_CODES}


def resolve(name: str) -> tuple[str, ...]:
    """The codes a license name stands for (empty when the table does not know the name)."""
    key = normalize_name(name)
    return NAME_INDEX.get(key) or NAME_INDEX.get(key.replace("ㆍ", ""), ())


def name_table() -> pl.DataFrame:
    """(key, code): one row per normalised name (or alias) and code it resolves to, for joins."""
    rows = [(key, code) for key, codes in NAME_INDEX.items() for code in codes]
    return pl.DataFrame(rows, schema={"key": pl.String, "code": pl.String}, orient="row")


def label(code: str | None, name: str | None = None) -> str:
    """ "전기공사업(0037)"; the table's name when no name is given."""
    if code is None:
        return name or "미상"
    return f"{name or NAMES.get(code, '업종')}({code})"


# ---------------------------------------------------------------------------------------------------------------------
# Every written form of a license: "전기공사업/0037" (G2B's 면허제한), "0037/전기공사업" (the spec's own order),
# "전기공사업(0037)", "[전기공사업/0037]", "0037", full-width brackets and slashes, several separated by ";" "," "|".

_CODE = re.compile(r"^\d{3,6}$")
_CODE_IN_PARENS = re.compile(r"^(?P<name>.*?)\s*\(\s*(?P<code>\d{3,6})\s*\)$")
_CODE_FIRST_PARENS = re.compile(r"^\(\s*(?P<code>\d{3,6})\s*\)\s*(?P<name>.+)$")
# A list item: "[…]" or a run without separators (also the 주력분야 lists "[1^토목^건축],[1^포장]").
ITEM_PATTERN = re.compile(r"\[([^\]]*)\]|([^,;|\[\]]+)")


def parse_item(item: str) -> tuple[str | None, str | None]:
    """One license written any way -> (name, code); either may be None. By code first: a code found in any
    position is the code, the rest is the name."""
    text = (item or "").strip()
    if text[:1] in "[［【" and text[-1:] in "]］】":
        text = text[1:-1]
    text = text.translate(_BRACKETS).strip()
    if not text:
        return None, None
    if _CODE.fullmatch(text):
        return None, text
    head, sep, tail = text.rpartition("/")
    if sep and _CODE.fullmatch(tail.strip()):
        return head.strip() or None, tail.strip()
    head, sep, tail = text.partition("/")
    if sep and _CODE.fullmatch(head.strip()):
        return tail.strip() or None, head.strip()
    for pattern in (_CODE_IN_PARENS, _CODE_FIRST_PARENS):
        match = pattern.match(text)
        if match:
            return match.group("name").strip() or None, match.group("code")
    return text, None


def parse_list(raw: str | None) -> list[tuple[str | None, str | None]]:
    """Every license of a list ("[a/c],[b/c]", "a/c; b/c", "c/a | d/b", "[a]"), in order."""
    if not raw or not raw.strip():
        return []
    out = []
    for bracketed, bare in ITEM_PATTERN.findall(raw.translate(_LIST_BRACKETS)):
        name, code = parse_item(bracketed or bare)
        if name or code:
            out.append((name, code))
    return out


# In lists, full-width square brackets delimit items like ASCII ones (round brackets stay part of a name).
_LIST_BRACKETS = str.maketrans({"［": "[", "］": "]", "【": "[", "】": "]", "；": ";", "，": ",", "／": "/"})


def parse_limit(raw: str | None) -> tuple[str | None, str | None]:
    """A 면허제한 row's `lcnsLmtNm` -> (name, code). Several licenses in one row (their AND/OR is not said) keep the
    whole text as an unresolvable name: unknown unless the company holds that very text, never a guess."""
    items = parse_list(raw)
    if len(items) == 1:
        return items[0]
    return ((raw or "").strip() or None), None
