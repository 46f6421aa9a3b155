"""A labelled set for the matching, from the simulator's own ground truth.

- Notices: `NoticeGenerator` days, turned into the warehouse's normalized frames by the ingestion's pure
  functions (`items_to_frame` + `normalize_*`), the raw license/region items built the way the simulator's
  server builds them (one row per limit of every 차수 registered that day).
- Hard labels: `expected_verdict` derives each pair's verdict (eligible / ineligible / unknown) in plain Python
  from the generator's ground truth (`notice.truth`: the codes, 주력분야 and canonical regions it meant before it
  rewrote them into the API's varied formats; the agency kind it drew), without importing any of
  bidradar.matching's rules, tables or thresholds: the rules as the issue states them, written again.
- Relevance labels: the generator builds a title as "<year>년 <agency> <title object>" with the object drawn
  from `TITLES[category]`; each benchmark company names the title objects it does (2 = its core business,
  1 = related), everything else is 0.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import polars as pl

from bidradar.ingestion import crawl, normalize
from bidradar.ingestion.fields import CATEGORIES
from bidradar.ingestion.simulator import NoticeGenerator
from bidradar.ingestion.simulator.generator import Notice
from bidradar.ingestion.simulator.vocab import LICENSES, REGIONS, SIDO_SHORT, TITLES
from bidradar.matching.profiles import CompanyProfile, business_no_check_digit

# ---------------------------------------------------------------------------------------------------------------------
# Notices as the warehouse holds them


@dataclass
class NoticeSet:
    notices: pl.DataFrame  # hard.NOTICE_SCHEMA + text columns
    license_limits: pl.DataFrame
    region_limits: pl.DataFrame
    truth: dict[str, Notice]  # notice_no -> the generator's notice


def build_notices(generator: NoticeGenerator, days: list[dt.date]) -> NoticeSet:
    """The normalized notices of `days` (latest 차수 per notice across the days, as the warehouse keeps it)."""
    frames, licenses, regions = [], [], []
    for day in days:
        items = generator.notices_for_day(day)
        by_op: dict[str, list[dict[str, str]]] = {}
        lic_items, reg_items = [], []
        for item in items:
            notice = generator.notice(item["bidNtceNo"])
            assert notice is not None
            by_op.setdefault(f"getBidPblancListInfo{notice.category}", []).append(item)
            base = {"bidNtceNo": notice.no, "bidNtceOrd": item["bidNtceOrd"], "rgstDt": item["rgstDt"]}
            lic_items += [{**base, **row} for row in notice.licenses]
            reg_items += [{**base, "lmtSno": str(i + 1), "prtcptPsblRgnNm": r} for i, r in enumerate(notice.regions)]
        raw = pl.concat([normalize.items_to_frame(v, op) for op, v in by_op.items()], how="diagonal")
        frames.append(normalize.normalize_notices(raw, day))
        if lic_items:
            licenses.append(
                normalize.normalize_license_limits(normalize.items_to_frame(lic_items, crawl.LICENSE_LIMIT_OP), day)
            )
        if reg_items:
            regions.append(
                normalize.normalize_region_limits(normalize.items_to_frame(reg_items, crawl.REGION_LIMIT_OP), day)
            )
    notices = (
        pl.concat(frames, how="diagonal_relaxed")
        .sort("revision_key", descending=True)
        .unique("notice_no", keep="first")
        .with_columns(license_known=pl.lit(True), region_known=pl.lit(True))
        .sort("notice_no")
    )
    truth = {no: generator.notice(no) for no in notices["notice_no"]}
    return NoticeSet(
        notices,
        pl.concat(licenses, how="diagonal_relaxed"),
        pl.concat(regions, how="diagonal_relaxed"),
        truth,  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------------------------------------------------------------
# Benchmark companies, with the title objects they do (relevance truth)


@dataclass(frozen=True)
class BenchCompany:
    company_id: str
    profile: CompanyProfile
    core_titles: tuple[str, ...]  # relevance 2
    related_titles: tuple[str, ...] = ()  # relevance 1


def _bizno(seed: int) -> str:
    first9 = f"{101 + seed % 899:03d}{81 + seed // 899:02d}{seed * 37 % 10000:04d}"
    return first9 + str(business_no_check_digit(first9))


def _profile(i: int, **fields: object) -> CompanyProfile:
    return CompanyProfile.model_validate({"business_no": _bizno(i), "plan": "pro", **fields})


def archetypes() -> list[BenchCompany]:
    """Eight realistic companies: a few keywords each (as a person writes them), a description, past contracts."""
    return [
        BenchCompany(
            "it-services",
            _profile(
                1,
                name="한빛정보기술(주)",
                size="중기업",
                capacity_won=1_500_000_000,
                categories=["services", "goods"],
                location={"sido": "서울특별시", "sigungu": "강남구"},
                licenses=[{"code": "1468", "name": "소프트웨어사업자"}, {"code": "0036", "name": "정보통신공사업"}],
                keywords={"include": ["정보시스템", "홈페이지"], "exclude": ["청소"]},
                description="공공기관 정보시스템 운영 유지보수와 누리집 개편, 클라우드 이전, 데이터 분석 플랫폼 구축",
                track_record=[
                    {
                        "title": "통합 행정정보시스템 클라우드 전환",
                        "agency": "국세청",
                        "amount": 800_000_000,
                        "year": 2025,
                    },
                    {"title": "빅데이터 분석 플랫폼 구축", "agency": "경찰청", "amount": 600_000_000, "year": 2024},
                ],
            ),
            (
                "정보시스템 유지관리 용역",
                "홈페이지 고도화 사업",
                "행정정보시스템 클라우드 전환 사업",
                "빅데이터 분석 플랫폼 구축 사업",
            ),
            ("서버 및 스토리지 구매", "노트북 컴퓨터 구매"),
        ),
        BenchCompany(
            "electric",
            _profile(
                2,
                name="대성전력(주)",
                size="소기업",
                capacity_won=2_000_000_000,
                categories=["construction", "goods"],
                location={"sido": "경기도", "sigungu": "수원시"},
                licenses=[{"code": "0037", "name": "전기공사업"}, {"code": "0039", "name": "일반소방시설공사업(전기)"}],
                keywords={"include": ["전기설비"]},
                description="수배전반 변전설비 교체, LED 조명 설치, 소방 전기설비 개선 공사",
                track_record=[
                    {"title": "청사 전기설비 개선공사", "agency": "경기도 수원시", "amount": 480_000_000, "year": 2025},
                    {
                        "title": "교사동 소방시설 개선공사",
                        "agency": "경기도교육청",
                        "amount": 260_000_000,
                        "year": 2024,
                    },
                ],
            ),
            ("전기설비 개선공사", "LED 조명기구 구매"),
            ("소방시설 개선공사",),
        ),
        BenchCompany(
            "facility",
            _profile(
                3,
                name="푸른환경관리(주)",
                size="소기업",
                capacity_won=900_000_000,
                categories=["services"],
                location={"sido": "부산광역시", "sigungu": "해운대구"},
                licenses=[
                    {"code": "1262", "name": "건물위생관리업"},
                    {"code": "1260", "name": "경비업"},
                    {"code": "4995", "name": "시설물유지관리업"},
                ],
                keywords={"include": ["청소"]},
                description="공공청사 위생관리와 미화, 시설물 관리와 보안 경비 인력 운영",
                track_record=[
                    {"title": "청사 청소용역", "agency": "부산광역시", "amount": 300_000_000, "year": 2025},
                    {"title": "시설관리 및 경비 용역", "agency": "부산대학교", "amount": 420_000_000, "year": 2024},
                ],
            ),
            ("청사 청소용역", "청사 시설관리 용역", "경비용역"),
            (),
        ),
        BenchCompany(
            "civil",
            _profile(
                4,
                name="금강토건(주)",
                size="중기업",
                capacity_won=5_000_000_000,
                categories=["construction"],
                location={"sido": "충청남도", "sigungu": "천안시"},
                licenses=[
                    {"code": "0001", "name": "토목공사업", "main_fields": ["토목"]},
                    {"code": "4991", "name": "지반조성ㆍ포장공사업", "main_fields": ["포장"]},
                    {"code": "4998", "name": "상ㆍ하수도설비공사업"},
                ],
                keywords={"include": ["도로"]},
                description="아스팔트 포장 보수, 상하수관로 정비와 교체, 하천 정비, 도시계획도로 개설 토목 공사",
                track_record=[
                    {
                        "title": "노후 상수관로 교체공사",
                        "agency": "충청남도 천안시",
                        "amount": 1_200_000_000,
                        "year": 2025,
                    }
                ],
            ),
            ("도로 포장 보수공사", "하수관로 정비공사", "노후 상수관망 교체공사", "도시계획도로 개설공사"),
            ("하천 정비공사",),
        ),
        BenchCompany(
            "office-goods",
            _profile(
                5,
                name="새한상사",
                size="소상공인",
                capacity_won=300_000_000,
                categories=["goods"],
                location={"sido": "대전광역시", "sigungu": "유성구"},
                licenses=[{"code": "8301", "name": "직접생산확인(사무용가구)"}],
                keywords={"include": ["가구"]},
                description="사무용 책상 의자 수납장 제작 납품, 복사기와 전자칠판 등 사무기기 공급",
                track_record=[
                    {"title": "사무용 가구 구매", "agency": "대전광역시", "amount": 90_000_000, "year": 2025}
                ],
            ),
            ("사무용 가구 구매", "사무용 복합기 구매", "전자칠판 구매"),
            ("데스크톱 컴퓨터 및 모니터 구매",),
        ),
        BenchCompany(
            "engineering",
            _profile(
                6,
                name="동양엔지니어링(주)",
                size="중견기업",
                capacity_won=3_000_000_000,
                categories=["services"],
                location={"sido": "서울특별시", "sigungu": "서초구"},
                licenses=[{"code": "1469", "name": "엔지니어링사업자"}, {"code": "1162", "name": "건설기술용역업"}],
                keywords={"include": ["설계"]},
                description="도로 교량 상하수도 실시설계와 기본설계, 사업 타당성 조사, 학술 연구",
                track_record=[
                    {
                        "title": "도시계획도로 실시설계 용역",
                        "agency": "국토교통부",
                        "amount": 900_000_000,
                        "year": 2024,
                    },
                    {
                        "title": "광역상수도 타당성 조사 용역",
                        "agency": "한국수자원공사",
                        "amount": 500_000_000,
                        "year": 2025,
                    },
                ],
            ),
            ("실시설계 용역", "타당성 조사 용역"),
            ("학술연구 용역",),
        ),
        BenchCompany(
            "waste",
            _profile(
                7,
                name="청솔환경(주)",
                size="소기업",
                capacity_won=2_500_000_000,
                categories=["services"],
                location={"sido": "경상남도", "sigungu": "창원시"},
                licenses=[{"code": "1226", "name": "폐기물수집ㆍ운반업"}],
                keywords={"include": ["폐기물"]},
                description="생활 쓰레기 수거 운반 대행, 재활용품 선별 수거, 방역 소독",
                track_record=[
                    {
                        "title": "생활쓰레기 수집운반 대행",
                        "agency": "경상남도 창원시",
                        "amount": 1_800_000_000,
                        "year": 2025,
                    }
                ],
            ),
            ("생활폐기물 수집운반 대행 용역",),
            ("방역소독 약품 구매",),
        ),
        BenchCompany(
            "media",
            _profile(
                8,
                name="다온미디어",
                size="소기업",
                capacity_won=400_000_000,
                categories=["services"],
                location={"sido": "광주광역시", "sigungu": "서구"},
                licenses=[],
                keywords={"include": ["영상"]},
                description="공공기관 홍보 동영상 제작, 온라인 콘텐츠와 방송 콘텐츠 기획",
                track_record=[
                    {"title": "시정 홍보 동영상 제작", "agency": "광주광역시", "amount": 80_000_000, "year": 2025}
                ],
            ),
            ("홍보영상 제작 용역",),
            (),
        ),
        BenchCompany(
            "jeonbuk-building",
            _profile(
                9,
                name="호남종합건설(주)",
                size="중기업",
                capacity_won=3_000_000_000,
                categories=["construction"],
                location={"sido": "전라북도", "sigungu": "전주시"},  # the old name of 전북특별자치도
                licenses=[{"code": "0003", "name": "토목건축공사업"}, {"code": "0040", "name": "전문소방시설공사업"}],
                keywords={"include": ["개선공사"]},
                description="공공청사 신축과 개보수, 소방시설 개선, 도시계획도로 개설 공사",
                track_record=[
                    {"title": "청사 소방시설 개선공사", "agency": "전북특별자치도", "amount": 700_000_000, "year": 2025}
                ],
            ),
            ("전기설비 개선공사", "소방시설 개선공사"),
            ("도시계획도로 개설공사",),
        ),
    ]


def synthetic_companies(count: int, seed: int = 7) -> list[tuple[str, CompanyProfile]]:
    """`count` random but valid companies over the simulator vocabulary, for the throughput benchmark."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        code = rng.choice(list(LICENSES))
        held = rng.sample(LICENSES[code], k=min(len(LICENSES[code]), rng.randint(1, 3)))
        sido = rng.choice(list(REGIONS))
        titles = rng.sample(TITLES[code], k=2)
        profile = _profile(
            100 + i,
            name=f"벤치기업{i:03d}",
            size=rng.choice(["소상공인", "소기업", "중기업", "중견기업", "대기업"]),
            capacity_won=rng.choice([300_000_000, 1_000_000_000, 5_000_000_000]),
            categories=[CATEGORIES[code]] + (["goods"] if rng.random() < 0.3 and code != "Thng" else []),
            location={"sido": sido, "sigungu": rng.choice(REGIONS[sido]) if REGIONS[sido] else None},
            licenses=[{"code": c, "name": n} for n, c in held],
            keywords={"include": [t.split()[0] for t in titles], "exclude": ["청소"] if rng.random() < 0.2 else []},
            description=" ".join(titles),
        )
        out.append((f"bench-{i:03d}", profile))
    return out


# ---------------------------------------------------------------------------------------------------------------------
# Expected verdicts in plain Python, from the generator's truth (independent of bidradar.matching)
#
# Nothing below imports the matcher, its license table, its region table or its thresholds. The license rows
# come from `notice.truth` (the codes the generator meant, before it rewrote names and formats), regions from
# the generator's canonical names, the issuer from the generator's agency kind, and the rules are written
# again here from the text. Labels are "eligible", "ineligible" or "unknown" (the data to decide is
# missing on purpose: a flag without rows, a 주력분야 the profile does not state, a threshold not sourced).

_SMALL, _SME = ("소상공인", "소기업"), ("소상공인", "소기업", "중기업")
_SIDO_ALIASES = {short: full for full, short in SIDO_SHORT.items()} | {
    "전라북도": "전북특별자치도",
    "강원도": "강원특별자치도",
    "서울시": "서울특별시",
    "부산시": "부산광역시",
    "대구시": "대구광역시",
    "인천시": "인천광역시",
    "광주시": "광주광역시",
    "대전시": "대전광역시",
    "울산시": "울산광역시",
    "세종시": "세종특별자치시",
    "제주도": "제주특별자치도",
}
_P, _U, _F, _C = "pass", "unknown", "fail", "conditional"


def _canonical_sido(name: str) -> str:
    return _SIDO_ALIASES.get(name, name)


def _best(states: list[str]) -> str:  # OR
    return _P if _P in states else _U if _U in states else _F


def _worst(states: list[str]) -> str:  # AND
    return _F if _F in states else _U if _U in states else _C if _C in states else _P


def _row_state(profile: CompanyProfile, row: dict) -> str:
    if row["generic_name"]:  # "소프트웨어사업자" without a sub-kind: any 소프트웨어사업자 registration (or a 허용업종)
        held = [
            lic for lic in profile.licenses if lic.name.startswith("소프트웨어사업자") or lic.code in row["codes"][1:]
        ]
    else:
        held = [lic for lic in profile.licenses if lic.code in row["codes"]]
    if not held:
        return _F
    if not row["main_fields"]:
        return _P
    states = []
    for lic in held:
        if lic.main_fields is None:
            states.append(_U)
        else:
            states.append(_P if any(set(alt) <= set(lic.main_fields) for alt in row["main_fields"]) else _F)
    return _best(states)


def _license(profile: CompanyProfile, notice: Notice) -> str:
    truth = notice.truth
    if truth["license_flag_only"]:
        return _U
    if not truth["rows"]:
        return _P
    groups: dict[str, list[str]] = {}
    for row in truth["rows"]:
        groups.setdefault(row["group"], []).append(_row_state(profile, row))
    return _best([_worst(states) for states in groups.values()])


def _region(profile: CompanyProfile, notice: Notice) -> str:
    truth = notice.truth
    if truth["region_flag_only"]:
        return _U
    if not truth["regions"]:
        return _P
    home = _canonical_sido(profile.location.sido)
    states = []
    for sido, sigungu in truth["regions"]:
        if sido != home:
            states.append(_F)
        elif sigungu is None or sigungu == profile.location.sigungu:
            states.append(_P)
        elif profile.location.sigungu is None or sigungu.startswith(f"{profile.location.sigungu} "):
            states.append(_U)  # no 시군구 in the profile, or a 일반구 of the company's city
        else:
            states.append(_F)
    return _best(states)


def _sme(profile: CompanyProfile, notice: Notice, category: str, price: int, day: dt.date, intl: bool) -> str:
    """판로지원법: 물품·용역 of public buyers only; 1억 and the issuer's 고시금액 of the notice's date (written here from
    the 고시 figures, not imported from the rules module)."""
    if category not in ("goods", "services") or intl:
        return _P
    size = profile.size
    if price < 100_000_000:
        return _U if size is None else _P if size in _SMALL else _F
    kind = notice.dminstt.kind
    recent = day >= dt.date(2025, 1, 1)
    if kind == "public_corp":
        low = high = 710_000_000 if recent else 670_000_000
    elif kind in ("sido", "sigungu", "education"):  # 지자체: 2.3억 sure, up to 3.5억 in doubt (derived figure)
        low, high = (230_000_000, 350_000_000) if recent else (220_000_000, 330_000_000)
    else:
        low = high = 230_000_000 if recent else 220_000_000
    if price >= high:
        return _P
    if size in _SME:
        return _P
    if size is None:
        return _U
    return _F if price < low else _U


def _participation(profile: CompanyProfile, notice: Notice) -> list[str]:
    """지명경쟁 (designated companies only), 물품분류 (the profile's registered products), 공동도급 (a condition)."""
    truth = notice.truth
    states = [_F if truth.get("designated") and notice.no not in profile.designations else _P]
    codes = truth.get("product_codes") or []
    if codes:
        if profile.products is None:
            states.append(_U)
        else:
            held = [p for p in profile.products if p.code[:8] in codes]
            ok = held and (not truth.get("manufacturer") or any(p.manufacturer for p in held))
            states.append(_P if ok else _F)
    if truth.get("joint_regions"):
        states.append(_C)
    return states


def expected_verdict(profile: CompanyProfile, notice: Notice, as_of: dt.datetime) -> str:
    """eligible / ineligible / unknown, from the generator's truth as published by `as_of`."""
    category = CATEGORIES[notice.category]
    values = visible_version(notice, as_of)
    price = int(values["presmptPrce"])
    title = " ".join(values.get(k, "") for k in ("bidNtceNm", "pubPrcrmntClsfcNm", "dtilPrdctClsfcNoNm"))
    close = dt.datetime.strptime(values["bidClseDt"][:16], "%Y-%m-%d %H:%M")
    day = dt.datetime.strptime(values.get("bidNtceDt") or values["rgstDt"], "%Y-%m-%d %H:%M:%S").date()
    states = [
        _license(profile, notice),
        _region(profile, notice),
        _P if profile.capacity_won is None or price <= profile.capacity_won else _F,
        _sme(profile, notice, category, price, day, values.get("intrbidYn") == "Y"),
        _P if category in profile.categories else _F,
        _F if any(k.lower() in title.lower() for k in profile.keywords.exclude) else _P,
        _F if "취소" in values.get("ntceKindNm", "") or close <= as_of else _P,
        *_participation(profile, notice),
    ]
    worst = _worst(states)
    return {"pass": "eligible", "fail": "ineligible", "unknown": "unknown", "conditional": "conditional"}[worst]


def visible_version(notice: Notice, as_of: dt.datetime) -> dict[str, str]:
    """The notice's latest 차수 registered by `as_of` (naive KST): later 정정/취소 were not yet published."""
    seen = [v for v in notice.versions if v.rgst.replace(tzinfo=None) <= as_of]
    return (seen or notice.versions[:1])[-1].values


def title_object(notice: Notice) -> str | None:
    """The generator's title object the notice was made from (the relevance truth)."""
    title = notice.versions[-1].values["bidNtceNm"]
    return next((t for t in TITLES[notice.category] if title.endswith(t)), None)


def relevance(company: BenchCompany, notice: Notice) -> int:
    obj = title_object(notice)
    return 2 if obj in company.core_titles else 1 if obj in company.related_titles else 0
