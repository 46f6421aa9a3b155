"""행정구역: the one normaliser of region spellings, and the dated history of 시도 and 시군구 changes.

Both sides of the region rule go through here: a notice's 참가가능지역 rows (as they were on the notice's date) and
a company's address (as written in its profile, old names included).

Spellings (`split_region`): long, short and old 시도 names ("경상남도", "경남", "강원도" after 2023-06-11), "전역"/
"전체"/"일원" (the whole unit), no space between 시 and 구 ("창원시의창구"), 읍·면·동 in the 시군구 place
("세종 조치원읍", "양평군 양평읍": a place inside the unit), 세종 without 시군구 (세종 has none), 제주's 행정시 (제주시,
서귀포시: not autonomous, but the unit G2B writes).

History (`UNITS`, `ATOM_SIDO`): every name is resolved, on a day, to the set of today's smallest units ("atoms") it
covered on that day. A company inside atoms that all lie inside a notice's region may bid; one with no atom in it may
not; an overlap that is not a cover (a merged 군 against today's city, a 시 against one of its 일반구) is unknown,
never a guess. Sources: 행정안전부 「행정구역 변경 현황」 and the 법정동코드 history (행정표준코드관리시스템,
code.go.kr), each change's own law or 대통령령 named on its row.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

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
    "50": ("제주특별자치도", ("제주도", "제주")),  # 제주도 until 2006-06-30
}
# Old codes still found in older data.
OLD_CODES = {"42": "51", "45": "52", "49": "50"}
# Renamed 시도, with the day the new name took effect (the old name keeps meaning the same 시도).
SIDO_RENAMES = (
    (
        "42",
        "강원도",
        "51",
        "강원특별자치도",
        dt.date(2023, 6, 11),
        "강원특별자치도 설치 등에 관한 특별법 (2022-06-10 공포)",
    ),
    (
        "45",
        "전라북도",
        "52",
        "전북특별자치도",
        dt.date(2024, 1, 18),
        "전북특별자치도 설치 등에 관한 특별법 (2023-01-17)",
    ),
    (
        "49",
        "제주도",
        "50",
        "제주특별자치도",
        dt.date(2006, 7, 1),
        "제주특별자치도 설치 및 국제자유도시 조성을 위한 특별법",
    ),
)

NAME_TO_CODE: dict[str, str] = {}
for _code, (_name, _others) in SIDO.items():
    for _n in (_name, *_others):
        NAME_TO_CODE[_n] = _code
CURRENT_NAME: dict[str, str] = {code: name for code, (name, _) in SIDO.items()}
WHOLE_WORDS = ("전역", "전체", "일원", "전지역", "관내")
NATIONWIDE = ("전국", "전국(제한없음)", "제한없음", "전국전역")


def sido_code(name: str | None) -> str | None:
    """The current code of a 시도 written any way in use; None when it is not a 시도 name."""
    if not name:
        return None
    key = re.sub(r"\s+", "", name)
    return NAME_TO_CODE.get(key) or (OLD_CODES.get(key, key) if key in CURRENT_NAME or key in OLD_CODES else None)


def sido_code_expr(expr: pl.Expr) -> pl.Expr:
    """`sido_code` for a column (NULL when not a 시도 name)."""
    return expr.str.replace_all(r"\s+", "").replace_strict(NAME_TO_CODE, default=None, return_dtype=pl.String)


# ---------------------------------------------------------------------------------------------------------------------
# The history of 시군구 (and 일반구) units

_OLD = dt.date(1995, 1, 1)
_OPEN = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class Unit:
    """A 시군구 (or 시 + 일반구) name valid in a 시도 during a period, and the atoms of today it covered then.
    `exact` False: the unit covered only parts of those atoms (today's units were cut from it differently)."""

    sido: str  # current-space code of the 시도 the unit belonged to in that period
    name: str  # "청원군", "수원시 영통구"
    valid_from: dt.date
    valid_to: dt.date
    atoms: tuple[str, ...]
    exact: bool
    source: str


def _gu_city(sido: str, city: str, gus: list[str], since: dt.date, source: str) -> list[Unit]:
    """A city of today with its 일반구 set up on `since` (the city as it is today exists from that day too)."""
    atoms = tuple(f"{sido}:{city} {gu}" for gu in gus)
    units = [Unit(sido, city, since, _OPEN, atoms, True, source)]
    units += [Unit(sido, f"{city} {gu}", since, _OPEN, (f"{sido}:{city} {gu}",), True, source) for gu in gus]
    return units


_MOIS = "행정안전부 행정구역 현황 / 법정동코드 (code.go.kr)"
UNITS: tuple[Unit, ...] = (
    # 일반구 of today's cities (a name with its 구 is one atom; the 시 alone is all of them)
    *_gu_city("41", "수원시", ["장안구", "권선구", "팔달구", "영통구"], _OLD, _MOIS),
    *_gu_city("41", "성남시", ["수정구", "중원구", "분당구"], _OLD, _MOIS),
    *_gu_city("41", "안양시", ["만안구", "동안구"], _OLD, _MOIS),
    *_gu_city("41", "안산시", ["상록구", "단원구"], _OLD, _MOIS),
    *_gu_city("41", "고양시", ["덕양구", "일산동구", "일산서구"], _OLD, _MOIS),
    *_gu_city("41", "용인시", ["처인구", "기흥구", "수지구"], _OLD, _MOIS),
    *_gu_city("44", "천안시", ["동남구", "서북구"], _OLD, _MOIS),
    *_gu_city("52", "전주시", ["완산구", "덕진구"], _OLD, _MOIS),
    *_gu_city("47", "포항시", ["남구", "북구"], _OLD, _MOIS),
    # 부천시: 일반구 abolished 2016-07-04, set up again 2024-01-01 (원미구·소사구·오정구).
    Unit("41", "부천시", _OLD, _OPEN, ("41:부천시 원미구", "41:부천시 소사구", "41:부천시 오정구"), True, _MOIS),
    *(
        Unit(
            "41",
            f"부천시 {gu}",
            start,
            end,
            (f"41:부천시 {gu}",),
            True,
            "부천시 행정구 폐지(2016-07-04)·설치(2024-01-01), 대통령령",
        )
        for gu in ("원미구", "소사구", "오정구")
        for start, end in ((_OLD, dt.date(2016, 7, 3)), (dt.date(2024, 1, 1), _OPEN))
    ),
    # 화성시: 일반구 from 2026-02-01 (만세구·효행구·병점구·동탄구; 행정안전부 승인 2025).
    Unit(
        "41",
        "화성시",
        _OLD,
        _OPEN,
        tuple(f"41:화성시 {g}" for g in ("만세구", "효행구", "병점구", "동탄구")),
        True,
        _MOIS,
    ),
    *(
        Unit(
            "41",
            f"화성시 {g}",
            dt.date(2026, 2, 1),
            _OPEN,
            (f"41:화성시 {g}",),
            True,
            "화성시 일반구 설치 (2026-02-01)",
        )
        for g in ("만세구", "효행구", "병점구", "동탄구")
    ),
    # 청주시 and 청원군 merged 2014-07-01 into today's 청주시 (상당·서원·흥덕·청원구, cut anew: partial covers).
    *_gu_city(
        "43",
        "청주시",
        ["상당구", "서원구", "흥덕구", "청원구"],
        dt.date(2014, 7, 1),
        "청주시 설치 등에 관한 법률 (2014-07-01)",
    ),
    Unit(
        "43",
        "청주시",
        _OLD,
        dt.date(2014, 6, 30),
        tuple(f"43:청주시 {g}" for g in ("상당구", "서원구", "흥덕구", "청원구")),
        False,
        "청주시 설치 등에 관한 법률 (2014-07-01): old 청주시 is part of today's 청주시",
    ),
    Unit(
        "43",
        "청원군",
        dt.date(2012, 7, 1),
        dt.date(2014, 6, 30),
        tuple(f"43:청주시 {g}" for g in ("상당구", "서원구", "흥덕구", "청원구")),
        False,
        "청주시 설치 등에 관한 법률 (2014-07-01): 청원군 merged into 청주시",
    ),
    Unit(
        "43",
        "청원군",
        _OLD,
        dt.date(2012, 6, 30),
        (*(f"43:청주시 {g}" for g in ("상당구", "서원구", "흥덕구", "청원구")), "36:세종특별자치시#청원"),
        False,
        "세종특별자치시 설치 등에 관한 특별법 (2012-07-01): part of 청원군 (부용면) went to 세종",
    ),
    # 세종특별자치시 (2012-07-01) from 연기군 and parts of 공주시 and 청원군; it has no 시군구.
    Unit(
        "36",
        "세종특별자치시",
        dt.date(2012, 7, 1),
        _OPEN,
        ("36:세종특별자치시#연기", "36:세종특별자치시#공주", "36:세종특별자치시#청원"),
        True,
        "세종특별자치시 설치 등에 관한 특별법 (2012-07-01)",
    ),
    Unit(
        "44",
        "연기군",
        _OLD,
        dt.date(2012, 6, 30),
        ("36:세종특별자치시#연기",),
        True,
        "세종특별자치시 설치 등에 관한 특별법",
    ),
    Unit(
        "44",
        "공주시",
        _OLD,
        dt.date(2012, 6, 30),
        ("44:공주시", "36:세종특별자치시#공주"),
        True,
        "세종특별자치시 설치 등에 관한 특별법",
    ),
    Unit("44", "공주시", dt.date(2012, 7, 1), _OPEN, ("44:공주시",), True, _MOIS),
    # renamed 군 -> 시
    Unit("41", "여주군", _OLD, dt.date(2013, 9, 22), ("41:여주시",), True, "여주시 설치 (2013-09-23, 대통령령)"),
    Unit("41", "여주시", dt.date(2013, 9, 23), _OPEN, ("41:여주시",), True, "여주시 설치 (2013-09-23, 대통령령)"),
    Unit("44", "당진군", _OLD, dt.date(2011, 12, 31), ("44:당진시",), True, "당진시 설치 (2012-01-01, 대통령령)"),
    Unit("44", "당진시", dt.date(2012, 1, 1), _OPEN, ("44:당진시",), True, "당진시 설치 (2012-01-01, 대통령령)"),
    Unit("41", "포천군", _OLD, dt.date(2003, 10, 18), ("41:포천시",), True, "포천시 설치 (2003-10-19)"),
    Unit("41", "양주군", _OLD, dt.date(2003, 10, 18), ("41:양주시",), True, "양주시 설치 (2003-10-19)"),
    # 인천: 남구 -> 미추홀구 (2018-07-01); 중구·동구 -> 제물포구·영종구 and 서구 -> 서구·검단구 (2026-07-01).
    Unit("28", "남구", _OLD, dt.date(2018, 6, 30), ("28:미추홀구",), True, "인천광역시 남구 명칭 변경 (2018-07-01)"),
    Unit(
        "28", "미추홀구", dt.date(2018, 7, 1), _OPEN, ("28:미추홀구",), True, "인천광역시 남구 명칭 변경 (2018-07-01)"
    ),
    Unit(
        "28",
        "중구",
        _OLD,
        dt.date(2026, 6, 30),
        ("28:제물포구#중구", "28:영종구"),
        True,
        "인천광역시 제물포구 등 설치에 관한 법률 (2026-07-01)",
    ),
    Unit(
        "28",
        "동구",
        _OLD,
        dt.date(2026, 6, 30),
        ("28:제물포구#동구",),
        True,
        "인천광역시 제물포구 등 설치에 관한 법률 (2026-07-01)",
    ),
    Unit(
        "28",
        "제물포구",
        dt.date(2026, 7, 1),
        _OPEN,
        ("28:제물포구#중구", "28:제물포구#동구"),
        True,
        "인천광역시 제물포구 등 설치에 관한 법률",
    ),
    Unit("28", "영종구", dt.date(2026, 7, 1), _OPEN, ("28:영종구",), True, "인천광역시 제물포구 등 설치에 관한 법률"),
    Unit(
        "28",
        "서구",
        _OLD,
        dt.date(2026, 6, 30),
        ("28:서구", "28:검단구"),
        True,
        "인천광역시 제물포구 등 설치에 관한 법률",
    ),
    Unit("28", "서구", dt.date(2026, 7, 1), _OPEN, ("28:서구",), True, "인천광역시 제물포구 등 설치에 관한 법률"),
    Unit("28", "검단구", dt.date(2026, 7, 1), _OPEN, ("28:검단구",), True, "인천광역시 제물포구 등 설치에 관한 법률"),
    # 군위군: 경상북도 -> 대구광역시 (2023-07-01)
    Unit(
        "47",
        "군위군",
        _OLD,
        dt.date(2023, 6, 30),
        ("27:군위군",),
        True,
        "경상북도 군위군 대구광역시 편입 법률 (2023-07-01)",
    ),
    Unit(
        "27",
        "군위군",
        dt.date(2023, 7, 1),
        _OPEN,
        ("27:군위군",),
        True,
        "경상북도 군위군 대구광역시 편입 법률 (2023-07-01)",
    ),
    # 창원시 (2010-07-01) from 창원시, 마산시, 진해시; 마산 split into 마산합포구·마산회원구 (2011).
    *_gu_city(
        "48",
        "창원시",
        ["의창구", "성산구", "마산합포구", "마산회원구", "진해구"],
        dt.date(2010, 7, 1),
        "창원시 설치 (2010-07-01, 법률)",
    ),
    Unit(
        "48",
        "창원시",
        _OLD,
        dt.date(2010, 6, 30),
        ("48:창원시 의창구", "48:창원시 성산구"),
        True,
        "창원시 설치 (2010-07-01)",
    ),
    Unit(
        "48",
        "마산시",
        _OLD,
        dt.date(2010, 6, 30),
        ("48:창원시 마산합포구", "48:창원시 마산회원구"),
        True,
        "창원시 설치 (2010-07-01)",
    ),
    Unit("48", "진해시", _OLD, dt.date(2010, 6, 30), ("48:창원시 진해구",), True, "창원시 설치 (2010-07-01)"),
    # 제주: 4 시군 -> 2 행정시 (2006-07-01)
    Unit("50", "제주시", _OLD, dt.date(2006, 6, 30), ("50:제주시#제주",), True, "제주특별자치도 특별법 (2006-07-01)"),
    Unit(
        "50", "북제주군", _OLD, dt.date(2006, 6, 30), ("50:제주시#북제주",), True, "제주특별자치도 특별법 (2006-07-01)"
    ),
    Unit(
        "50",
        "제주시",
        dt.date(2006, 7, 1),
        _OPEN,
        ("50:제주시#제주", "50:제주시#북제주"),
        True,
        "제주특별자치도 특별법",
    ),
    Unit(
        "50",
        "서귀포시",
        _OLD,
        dt.date(2006, 6, 30),
        ("50:서귀포시#서귀포",),
        True,
        "제주특별자치도 특별법 (2006-07-01)",
    ),
    Unit(
        "50",
        "남제주군",
        _OLD,
        dt.date(2006, 6, 30),
        ("50:서귀포시#남제주",),
        True,
        "제주특별자치도 특별법 (2006-07-01)",
    ),
    Unit(
        "50",
        "서귀포시",
        dt.date(2006, 7, 1),
        _OPEN,
        ("50:서귀포시#서귀포", "50:서귀포시#남제주"),
        True,
        "제주특별자치도 특별법",
    ),
)
# Atoms that lay in another 시도 before a day: atom -> ((until, old sido code), ...).
ATOM_SIDO: dict[str, tuple[tuple[dt.date, str], ...]] = {
    "27:군위군": ((dt.date(2023, 6, 30), "47"),),
    "36:세종특별자치시#연기": ((dt.date(2012, 6, 30), "44"),),
    "36:세종특별자치시#공주": ((dt.date(2012, 6, 30), "44"),),
    "36:세종특별자치시#청원": ((dt.date(2012, 6, 30), "43"),),
}
_BY_NAME: dict[tuple[str, str], list[Unit]] = {}
for _unit in UNITS:
    _BY_NAME.setdefault((_unit.sido, _unit.name), []).append(_unit)


def in_force_since(day: dt.date) -> dt.date:
    """The first day of the span that holds `day` and in which no unit of `UNITS` or `ATOM_SIDO` starts or ends:
    a name resolves on `day` as on that day."""
    after = lambda last: [last + dt.timedelta(days=1)] if last < dt.date.max else []  # noqa: E731
    edges = {u.valid_from for u in UNITS}
    edges |= {edge for u in UNITS for edge in after(u.valid_to)}
    edges |= {edge for spans in ATOM_SIDO.values() for until, _ in spans for edge in after(until)}
    return max((edge for edge in edges if edge <= day), default=dt.date.min)


def atom_sido(atom: str, day: dt.date) -> str:
    """The 시도 an atom lay in on a day."""
    for until, code in ATOM_SIDO.get(atom, ()):
        if day <= until:
            return code
    return atom.split(":", 1)[0]


# ---------------------------------------------------------------------------------------------------------------------
# Spellings

_SPLIT_GU = re.compile(r"^(\S+?시)(\S+구)$")  # "창원시의창구" (a 시 with its 일반구, no space)
_PLACE = re.compile(r"(읍|면|동|리|가|로)$")


@dataclass(frozen=True)
class Place:
    """A region as written, normalised: the 시도 code, the 시군구 unit name ("수원시 영통구"), and a place inside it
    (읍·면·동) when one was written. `sido` None: not a known 시도 name."""

    sido: str | None
    unit: str | None
    inside: str | None = None


def split_region(sido_text: str | None, sigungu_text: str | None = None) -> Place:
    """Every spelling of a region to (시도 code, 시군구 unit, place inside)."""
    text = " ".join(t for t in (sido_text, sigungu_text) if t and t.strip())
    words = [w for w in re.split(r"\s+", text.strip()) if w and w not in WHOLE_WORDS]
    if not words:
        return Place(None, None)
    code = sido_code(words[0])
    rest = words[1:]
    if code is None and len(words) > 1 and sido_code(words[0] + words[1]):  # "서울 특별시"
        code, rest = sido_code(words[0] + words[1]), words[2:]
    if code is None:
        return Place(None, None)
    if rest and rest[0] in ("특별시", "광역시", "특별자치시", "특별자치도", "도", "시"):  # "서울 특별시"
        rest = rest[1:]
    if code == "36":  # 세종 has no 시군구: "세종시", "세종특별자치시" after the 시도 repeat it
        rest = [w for w in rest if sido_code(w) != "36"]
        return Place(code, None, " ".join(rest) or None)
    parts: list[str] = []
    for word in rest:
        match = _SPLIT_GU.match(word)
        parts += [match.group(1), match.group(2)] if match else [word]
    if not parts:
        return Place(code, None)
    unit = parts[0]
    inside: list[str] = []
    for word in parts[1:]:
        if word.endswith("구") and not inside and " " not in unit:
            unit = f"{unit} {word}"
        else:
            inside.append(word)
    if _PLACE.search(unit) and not unit.endswith(("시", "군", "구")):
        return Place(code, None, unit)  # a 읍·면·동 written in the 시군구 place: inside an unknown unit
    return Place(code, unit, " ".join(inside) or None)


# ---------------------------------------------------------------------------------------------------------------------
# Resolution


@dataclass(frozen=True)
class Resolved:
    """A region on a day: `kind` sido (the whole 시도), units (atoms), or unknown (an unreadable name)."""

    kind: str
    sido: str | None
    atoms: tuple[str, ...] = ()
    exact: bool = True
    canon: str | None = None  # the unit as written and dated, to recognise the very same old name


@lru_cache(maxsize=65_536)
def resolve(sido_text: str | None, sigungu_text: str | None, day: dt.date, any_time: bool = False) -> Resolved:
    """A region as it was on `day`. `any_time`: a company's address, where an old name means its successors."""
    place = split_region(sido_text, sigungu_text)
    if place.sido is None:
        written = re.sub(r"\s+", "", " ".join(t for t in (sido_text, sigungu_text) if t))
        return Resolved("nation" if written in NATIONWIDE else "unknown", None)
    if place.unit is None:
        if place.inside:  # a place inside the 시도 whose unit we do not know (세종 aside)
            if place.sido == "36":
                return _units("36", "세종특별자치시", day, any_time, place.inside)
            return Resolved("units", place.sido, (), False, f"{place.sido}:?{place.inside}")
        return Resolved("sido", place.sido)
    return _units(place.sido, place.unit, day, any_time, place.inside)


def _units(sido: str, unit: str, day: dt.date, any_time: bool, inside: str | None) -> Resolved:
    candidates = _BY_NAME.get((sido, unit), [])
    if not candidates and " " in unit:  # "수원시 영통구" of a city we do not list: keep the words as one atom
        candidates = []
    chosen = next((u for u in candidates if u.valid_from <= day <= u.valid_to), None)
    if chosen is None and candidates and any_time:
        chosen = max(candidates, key=lambda u: u.valid_to)  # an old name in a profile: its last meaning
    if chosen is None and not candidates:
        # Moved units: the name under another 시도 of the day (군위군 written under 대구 before 2023-07 …).
        moved = [u for (s, n), us in _BY_NAME.items() if n == unit for u in us if s != sido]
        chosen = next((u for u in moved if u.valid_from <= day <= u.valid_to and _sido_of(u, day) == sido), None)
    if chosen is None:
        if candidates:  # a listed name not in force that day (a 일반구 between 2016 and 2023, 화성 구 before 2026)
            return Resolved("units", sido, tuple(dict.fromkeys(a for u in candidates for a in u.atoms)), False, None)
        atom = f"{sido}:{unit}"
        return Resolved("units", sido, (atom,), inside is None, atom + (f"#{inside}" if inside else ""))
    canon = f"{chosen.sido}:{chosen.name}@{chosen.valid_from}" + (f"#{inside}" if inside else "")
    return Resolved("units", chosen.sido, chosen.atoms, chosen.exact and inside is None, canon)


def _sido_of(unit: Unit, day: dt.date) -> str:
    return atom_sido(unit.atoms[0], day) if unit.atoms else unit.sido


def resolution_frame(frame: pl.DataFrame, sido: str, sigungu: str, day: str, any_time: bool) -> pl.DataFrame:
    """The frame with kind, region_sido, atoms (list), exact and canon per row: one Python call per distinct
    (시도, 시군구, day), never per pair."""
    keys = frame.select(sido, sigungu, day).unique()
    rows = []
    for s, g, d in keys.iter_rows():
        r = resolve(s, g, d, any_time)
        rows.append((s, g, d, r.kind, r.sido, list(r.atoms), r.exact, r.canon))
    resolved = pl.DataFrame(
        rows,
        schema={
            sido: frame.schema[sido],
            sigungu: frame.schema[sigungu],
            day: pl.Date,
            "region_kind": pl.String,
            "region_sido": pl.String,
            "atoms": pl.List(pl.String),
            "exact": pl.Boolean,
            "canon": pl.String,
        },
        orient="row",
    )
    return frame.join(resolved, on=[sido, sigungu, day], how="left", nulls_equal=True)


def sigungu_key_expr(expr: pl.Expr) -> pl.Expr:
    """시군구 as compared: its first word without spaces ("수원시 영통구" -> "수원시")."""
    return expr.str.strip_chars().str.split(" ").list.first().str.replace_all(r"\s+", "")


def split_address(text: str) -> tuple[str | None, str | None]:
    """ "전북 전주시 덕진구" -> ("52", "전주시 덕진구"): the 시도 code and the 시군구 unit."""
    place = split_region(text)
    return place.sido, place.unit


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
