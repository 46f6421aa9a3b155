"""시도 names, old and new, long and short, to the current 행정구역 (법정동) 시도 codes.

Both sides of the region rule go through this: the notice's 참가가능지역 rows and the profile's address. Renamed
시도 keep meaning the same region: 강원도 → 강원특별자치도 (2023-06-11, code 42 → 51) and 전라북도 →
전북특별자치도 (2024-01-18, code 45 → 52); a notice published before the change, or a profile written with the old
name or a short form (서울시, 경기, 전북), is the same 시도. Codes are those of the 행정표준코드 법정동코드 list.
"""

from __future__ import annotations

import re

import polars as pl

# current code -> (current official name, other names in use: old official names, short forms)
SIDO: dict[str, tuple[str, tuple[str, ...]]] = {
    "11": ("서울특별시", ("서울", "서울시")),
    "26": ("부산광역시", ("부산", "부산시")),
    "27": ("대구광역시", ("대구", "대구시")),
    "28": ("인천광역시", ("인천", "인천시")),
    "29": ("광주광역시", ("광주", "광주시")),
    "30": ("대전광역시", ("대전", "대전시")),
    "31": ("울산광역시", ("울산", "울산시")),
    "36": ("세종특별자치시", ("세종", "세종시")),
    "41": ("경기도", ("경기",)),
    "51": ("강원특별자치도", ("강원도", "강원")),  # 42 강원도 until 2023-06-10
    "43": ("충청북도", ("충북", "충북도")),
    "44": ("충청남도", ("충남", "충남도")),
    "52": ("전북특별자치도", ("전라북도", "전북", "전북도")),  # 45 전라북도 until 2024-01-17
    "46": ("전라남도", ("전남", "전남도")),
    "47": ("경상북도", ("경북", "경북도")),
    "48": ("경상남도", ("경남", "경남도")),
    "50": ("제주특별자치도", ("제주도", "제주")),
}
# Old codes still found in older data.
OLD_CODES = {"42": "51", "45": "52"}

NAME_TO_CODE: dict[str, str] = {}
for _code, (_name, _others) in SIDO.items():
    for _n in (_name, *_others):
        NAME_TO_CODE[_n] = _code
CURRENT_NAME: dict[str, str] = {code: name for code, (name, _) in SIDO.items()}


def sido_code(name: str | None) -> str | None:
    """The current code of a 시도 written any way in use; None when it is not a 시도 name."""
    if not name:
        return None
    key = re.sub(r"\s+", "", name)
    return NAME_TO_CODE.get(key) or (OLD_CODES.get(key, key) if key in CURRENT_NAME or key in OLD_CODES else None)


def sido_code_expr(expr: pl.Expr) -> pl.Expr:
    """`sido_code` for a column (NULL when not a 시도 name)."""
    return expr.str.replace_all(r"\s+", "").replace_strict(NAME_TO_CODE, default=None, return_dtype=pl.String)


def sigungu_key_expr(expr: pl.Expr) -> pl.Expr:
    """시군구 as compared: its first word without spaces ("수원시 영통구" -> "수원시")."""
    return expr.str.strip_chars().str.split(" ").list.first().str.replace_all(r"\s+", "")


def split_address(text: str) -> tuple[str | None, str | None]:
    """ "전북 전주시 덕진구" -> ("52", "전주시"): the 시도 code and the first 시군구 word."""
    parts = text.split()
    if not parts:
        return None, None
    return sido_code(parts[0]), (parts[1] if len(parts) > 1 else None)


# Official 시도 names, current and old, longest first (agency names start with them: "경기도 수원시").
_SIDO_PREFIXES = tuple(
    sorted((n for n in NAME_TO_CODE if n.endswith(("특별시", "광역시", "자치시", "도"))), key=len, reverse=True)
)


def local_government_name_expr(name: pl.Expr) -> pl.Expr:
    """True for a name that can only be a 지자체 or 교육청: "…교육청", a 시도 name alone, or a 시도 name followed by
    one 시·군·구 word ("경기도 수원시"). Anything longer ("서울특별시 도시기반시설본부 …공사") is not decided by name."""
    text = name.fill_null("").str.strip_chars()
    sido_alone = text.is_in(list(_SIDO_PREFIXES))
    prefix = "|".join(_SIDO_PREFIXES)
    with_sigungu = text.str.contains(rf"^(?:{prefix})\s+\S+[시군구]$")
    return text.str.ends_with("교육청") | sido_alone | with_sigungu
