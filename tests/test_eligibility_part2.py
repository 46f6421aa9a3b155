"""Issue 23, by hand from G2B's rules and the law (not from the code): places that changed, thresholds by issuer and
date, licenses in every written form, who may bid at all, amended notices and money in text. Every case goes from
raw G2B items (all strings) through the project's normalizers into the matcher, and states the verdict a company
must be told. The goal is no confidently wrong verdict: where the rules leave it open, the answer is unknown."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from bidradar.ingestion import normalize
from bidradar.matching import explain
from bidradar.rules import money
from bidradar.rules.issuers import issuer_kind
from tests.test_eligibility_classes import company, judge, license_row, raw_notice, region_row

ELECTRIC = [{"code": "0037", "name": "전기공사업"}]


def dated(day: str, **fields: str) -> dict[str, str]:
    """A notice published on `day` (its rules are those of that day)."""
    return raw_notice(rgstDt=f"{day} 10:00:00", bidNtceDt=f"{day} 10:00:00", **fields)


# ---------------------------------------------------------------------------------------------------------------------
# Places change: 행정구역 history, compared as on the notice's day; a profile in an old name still matches


@pytest.mark.parametrize(
    ("day", "allowed", "sido", "sigungu", "verdict"),
    [
        # 청원군 merged into 청주시 on 2014-07-01 (청주시 설치 등에 관한 법률).
        ("2025-03-02", "충청북도 청주시", "충북", "청원군", "pass"),  # an old address is inside today's 청주시
        ("2013-03-04", "충청북도 청원군", "충청북도", "청주시 상당구", "unknown"),  # today's 상당구 is part old 청원군
        ("2013-03-04", "충청북도 청원군", "충청북도", "청원군", "pass"),
        # 여주군 became 여주시 on 2013-09-23; 당진군 became 당진시 on 2012-01-01.
        ("2013-05-02", "경기도 여주군", "경기도", "여주시", "pass"),
        ("2025-05-02", "경기도 여주시", "경기", "여주군", "pass"),
        ("2011-06-01", "충청남도 당진군", "충남", "당진시", "pass"),
        ("2011-06-01", "충청남도 당진군", "충남", "서산시", "fail"),
        # 인천 남구 became 미추홀구 on 2018-07-01.
        ("2018-03-02", "인천광역시 남구", "인천", "미추홀구", "pass"),
        ("2025-03-02", "인천광역시 미추홀구", "인천광역시", "남구", "pass"),
        # 군위군 moved from 경상북도 to 대구광역시 on 2023-07-01.
        ("2023-03-02", "경상북도", "대구광역시", "군위군", "pass"),
        ("2024-03-04", "경상북도", "경북", "군위군", "fail"),
        ("2024-03-04", "대구광역시", "경상북도", "군위군", "pass"),
        # 강원특별자치도 (2023-06-11) and 전북특별자치도 (2024-01-18): old and new names are one 시도.
        ("2023-05-02", "강원도", "강원특별자치도", "춘천시", "pass"),
        ("2025-05-02", "강원특별자치도 춘천시", "강원도", "춘천시", "pass"),
        ("2023-12-01", "전라북도 전주시", "전북특별자치도", "전주시 완산구", "pass"),
        # 일반구: a notice naming one 구 against an address giving only the 시 is not sure; "시구" without a space.
        ("2026-03-02", "경기도 수원시 영통구", "경기도", "수원시", "unknown"),
        ("2026-03-02", "경기도 수원시 영통구", "경기", "수원시영통구", "pass"),
        ("2026-03-02", "경기도 수원시 영통구", "경기도", "수원시 팔달구", "fail"),
        ("2026-03-02", "경남 창원시", "경상남도", "창원시 의창구", "pass"),
        ("2026-03-02", "경상남도 창원시", "경남", "마산시", "pass"),  # 마산시 joined 창원시 on 2010-07-01
        ("2009-03-02", "경상남도 창원시", "경남", "창원시 마산합포구", "fail"),  # then 마산 was not 창원
        # 세종 has no 시군구; 읍·면 in the 시군구 place; "전역".
        ("2026-03-02", "세종특별자치시", "세종", None, "pass"),
        ("2026-03-02", "세종", "세종특별자치시", "조치원읍", "pass"),
        ("2026-03-02", "인천광역시 전역", "인천", "부평구", "pass"),
        ("2026-03-02", "경기도 양평군", "경기", "양평군 양평읍", "pass"),
        # 제주's 행정시.
        ("2026-03-02", "제주특별자치도 서귀포시", "제주", "서귀포시", "pass"),
        ("2026-03-02", "제주특별자치도 서귀포시", "제주도", "제주시", "fail"),
        # "전국" is no limit at all.
        ("2026-03-02", "전국", "부산", "해운대구", "pass"),
        # 인천 서구 was split into 서구 and 검단구 on 2026-07-01.
        ("2026-03-02", "인천광역시 서구", "인천광역시", "검단구", "pass"),
        ("2026-08-03", "인천광역시 서구", "인천", "검단구", "fail"),
    ],
)
def test_regions_as_they_were_on_the_notice_day(day, allowed, sido, sigungu, verdict) -> None:  # type: ignore[no-untyped-def]
    notice = dated(day, rgnLmtBidLocplcJdgmBssNm="본사소재지")
    regions = [{**region_row("1", allowed), "rgstDt": f"{day} 10:00:00"}]
    row = judge(notice, regions=regions, companies=[company(ELECTRIC, sido=sido, sigungu=sigungu)])
    assert row["region_verdict"] == verdict, row["explanation"]
    if verdict == "unknown":
        assert "확인" in row["explanation"]


# ---------------------------------------------------------------------------------------------------------------------
# Thresholds by issuer kind (from the agency code) and date; 배정예산 where 추정가격 is missing


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("1230000", "조달청", "national"),
        ("1741000", "행정안전부", "national"),
        ("6110000", "서울특별시", "local"),
        ("3740000", "경기도 수원시", "local"),
        ("7010000", "서울특별시교육청", "local"),
        ("B551005", "한국토지주택공사", "public_corp"),
        ("Z061301", "주식회사 스튜디오 봄", "private"),
        ("", "어느 재단법인", "unknown"),
        ("", "경기도 수원시", "local"),
        ("", "서울특별시교육청", "local"),
    ],
)
def test_issuer_kind_from_the_agency_code(code: str, name: str, kind: str) -> None:
    assert issuer_kind(code or None, None, name, None) == kind


@pytest.mark.parametrize(
    ("fields", "size", "verdict"),
    [
        # 물품·용역 1억 미만: 소기업·소상공인 only (판로지원법 시행령 제2조의2), whoever the public issuer.
        ({"dminsttCd": "7010000", "presmptPrce": "90000000"}, "중기업", "fail"),
        ({"dminsttCd": "7010000", "presmptPrce": "90000000"}, "소기업", "pass"),
        # a private issuer is not bound by the law
        ({"dminsttCd": "Z061301", "presmptPrce": "90000000"}, "대기업", "pass"),
        # an unknown issuer is unknown for a company the law would exclude
        ({"dminsttCd": "", "dminsttNm": "어느 재단법인", "presmptPrce": "90000000"}, "중견기업", "unknown"),
        # 공기업 (7.1억, 2025–2026): 5억 is reserved for 중소기업
        ({"dminsttCd": "B551005", "presmptPrce": "500000000"}, "중견기업", "fail"),
        ({"dminsttCd": "B551005", "presmptPrce": "800000000"}, "중견기업", "pass"),
        # national 2.3억 from 2025-01-01 (2.2억 in 2023–24)
        ({"dminsttCd": "1741000", "presmptPrce": "225000000"}, "대기업", "fail"),
        # no 추정가격: the 배정예산 (VAT included) bounds it, 2.64억 / 1.1 = 2.4억 > 2.3억 either way
        ({"dminsttCd": "1741000", "presmptPrce": "", "asignBdgtAmt": "264000000"}, "대기업", "pass"),
        # 2.42억 budget: 2.2억..2.42억 straddles 2.3억 → unknown
        ({"dminsttCd": "1741000", "presmptPrce": "", "asignBdgtAmt": "242000000"}, "대기업", "unknown"),
        # neither: unknown, never eligible
        ({"dminsttCd": "1741000", "presmptPrce": "", "asignBdgtAmt": ""}, "대기업", "unknown"),
        # 공사 is not under 판로지원법's SME reservation
        ({"dminsttCd": "1741000", "presmptPrce": "90000000", "_category": "construction"}, "대기업", "pass"),
    ],
)
def test_sme_thresholds_by_issuer_and_date(fields: dict, size: str, verdict: str) -> None:
    fields = dict(fields)
    category = fields.pop("_category", "services")
    notice = raw_notice(**fields)
    companies = [company(ELECTRIC, size=size)]
    row = judge_category(notice, category, companies)
    assert row["sme_verdict"] == verdict, row["explanation"]


def judge_category(notice: dict, category: str, companies: list) -> dict:
    """`judge` with the notice read as another category (the list operation decides the category)."""
    from bidradar.matching import hard
    from bidradar.matching.profiles import licenses_frame, profiles_frame
    from tests.test_eligibility_classes import AS_OF, DAY

    op = {
        "services": "getBidPblancListInfoServc",
        "construction": "getBidPblancListInfoCnstwk",
        "goods": "getBidPblancListInfoThng",
    }[category]
    notices = normalize.normalize_notices(normalize.items_to_frame([notice], op), DAY).with_columns(
        license_known=pl.lit(True), region_known=pl.lit(True)
    )
    empty_l, empty_r = pl.DataFrame(schema=hard.LICENSE_LIMIT_SCHEMA), pl.DataFrame(schema=hard.REGION_LIMIT_SCHEMA)
    result = hard.evaluate(
        notices, empty_l, empty_r, profiles_frame(companies), licenses_frame(companies), AS_OF, keep_all=True
    )
    row = result.row(0, named=True)
    return {**row, **explain.rule_verdicts(row), "explanation": explain.render_explanation(row)}


# ---------------------------------------------------------------------------------------------------------------------
# Licenses in every order and form: by code first, then by name


@pytest.mark.parametrize(
    ("limit", "verdict"),
    [
        ("0037/전기공사업", "pass"),  # the spec's own order: code first
        ("전기공사업/0037", "pass"),
        ("전기공사업(0037)", "pass"),
        ("전기공사업 (0037)", "pass"),
        ("［전기공사업／0037］", "pass"),  # full-width brackets and slash
        ("전기 공사업", "pass"),  # a name with a space, no code
        ("0037", "pass"),
        ("0036/정보통신공사업", "fail"),
        ("정보통신공사업", "fail"),
        ("0037/전기공사업;0036/정보통신공사업", "unknown"),  # two in one row: AND or OR is not said
    ],
)
def test_license_limits_in_every_written_form(limit: str, verdict: str) -> None:
    notice = raw_notice(indstrytyLmtYn="Y")
    row = judge(notice, licenses=[license_row("1", "1", limit)], companies=[company(ELECTRIC)])
    assert row["license_verdict"] == verdict, row["explanation"]


@pytest.mark.parametrize("written", ["0037/전기공사업", "전기공사업/0037", "전기공사업(0037)"])
def test_a_profile_may_write_its_license_in_any_form(written: str) -> None:
    row = judge(
        raw_notice(indstrytyLmtYn="Y"),
        licenses=[license_row("1", "1", "전기공사업/0037")],
        companies=[company([written])],
    )
    assert row["license_verdict"] == "pass"


# ---------------------------------------------------------------------------------------------------------------------
# Who may bid at all: 지명경쟁, 물품분류·제조, 지역의무공동도급


@pytest.mark.parametrize(
    ("fields", "designations", "verdict"),
    [
        ({"dsgntCmptYn": "Y", "cntrctCnclsMthdNm": "지명경쟁"}, [], "fail"),
        ({"dsgntCmptYn": "Y", "cntrctCnclsMthdNm": "지명경쟁"}, ["R26BK00000001"], "pass"),
        ({"dsgntCmptYn": "", "cntrctCnclsMthdNm": "지명경쟁"}, [], "fail"),  # the method says it
        ({"dsgntCmptYn": "", "cntrctCnclsMthdNm": ""}, [], "unknown"),  # nothing says it
        ({"dsgntCmptYn": "N", "cntrctCnclsMthdNm": "제한경쟁"}, [], "pass"),
    ],
)
def test_designated_competition_admits_only_designated_companies(fields, designations, verdict) -> None:  # type: ignore[no-untyped-def]
    row = judge(raw_notice(**fields), companies=[company(ELECTRIC, designations=designations)])
    assert row["designation_verdict"] == verdict, row["explanation"]
    if verdict == "fail":
        assert row["verdict"] == "ineligible" and "지명" in row["explanation"]


GOODS = {"prdctClsfcLmtYn": "Y", "purchsObjPrdctList": "[1^5610170301^책상],[2^5612150201^의자]"}


@pytest.mark.parametrize(
    ("fields", "products", "verdict"),
    [
        (GOODS, [{"code": "56101703"}], "pass"),
        (GOODS, [{"code": "43211503"}], "fail"),
        (GOODS, None, "unknown"),  # the profile does not say what it is registered for
        ({**GOODS, "mnfctYn": "Y"}, [{"code": "56101703"}], "fail"),  # 제조 required, registered as a dealer
        ({**GOODS, "mnfctYn": "Y"}, [{"code": "5610170301", "manufacturer": True}], "pass"),
        ({"prdctClsfcLmtYn": "Y"}, [{"code": "56101703"}], "unknown"),  # limited, but to which 분류 is not said
        ({"prdctClsfcLmtYn": "N"}, None, "pass"),
        ({"prdctClsfcLmtYn": ""}, None, "unknown"),  # a 물품 notice that does not say: unknown, never a free pass
    ],
)
def test_product_classification_and_manufacturing_limits(fields, products, verdict) -> None:  # type: ignore[no-untyped-def]
    extra = {} if products is None else {"products": products}
    row = judge_category(raw_notice(**fields), "goods", [company(ELECTRIC, **extra)])
    assert row["product_verdict"] == verdict, row["explanation"]


@pytest.mark.parametrize(
    ("fields", "sido", "sigungu", "verdict", "words"),
    [
        (
            {"rgnDutyJntcontrctYn": "Y", "jntcontrctDutyRgnNm1": "전라남도", "rgnDutyJntcontrctRt": "40"},
            "서울특별시",
            "강남구",
            "conditional",
            "의무지역 소재 업체와 공동수급체",
        ),
        (
            {"rgnDutyJntcontrctYn": "Y", "jntcontrctDutyRgnNm1": "전남", "rgnDutyJntcontrctRt": "40"},
            "전라남도",
            "목포시",
            "conditional",
            "본사가 의무지역에 있어",
        ),
        ({"rgnDutyJntcontrctYn": "Y"}, "서울특별시", "강남구", "unknown", "의무지역 미공개"),
        ({"rgnDutyJntcontrctYn": "N"}, "서울특별시", "강남구", "pass", ""),
    ],
)
def test_regional_joint_contracting_is_a_condition_not_a_yes(fields, sido, sigungu, verdict, words) -> None:  # type: ignore[no-untyped-def]
    row = judge(raw_notice(**fields), companies=[company(ELECTRIC, sido=sido, sigungu=sigungu)])
    assert row["joint_verdict"] == verdict, row["explanation"]
    assert words in row["explanation"]
    if verdict == "conditional":
        assert row["verdict"] == "conditional" and explain.VERDICT_KO[row["verdict"]] == "조건부"
        assert "지분 40" in row["explanation"]


# ---------------------------------------------------------------------------------------------------------------------
# Amended notices: the latest 차수 decides


def test_the_latest_order_decides() -> None:
    from bidradar.matching import hard
    from bidradar.matching.profiles import licenses_frame, profiles_frame
    from tests.test_eligibility_classes import AS_OF, DAY

    first = raw_notice(presmptPrce="300000000", dminsttCd="1741000")
    amended = raw_notice(bidNtceOrd="001", ntceKindNm="변경공고", presmptPrce="200000000", dminsttCd="1741000")
    # normalize_notices keeps one row per notice; the matcher also keeps the highest 차수 of what it is given.
    frames = [
        normalize.normalize_notices(normalize.items_to_frame([n], "getBidPblancListInfoServc"), DAY)
        for n in (first, amended)
    ]
    notices = pl.concat(frames).with_columns(license_known=pl.lit(True), region_known=pl.lit(True))
    companies = [company(ELECTRIC, size="중견기업")]
    result = hard.evaluate(
        notices,
        pl.DataFrame(schema=hard.LICENSE_LIMIT_SCHEMA),
        pl.DataFrame(schema=hard.REGION_LIMIT_SCHEMA),
        profiles_frame(companies),
        licenses_frame(companies),
        AS_OF,
        keep_all=True,
    )
    assert result.height == 1
    row = result.row(0, named=True)
    assert row["notice_order"] == "001" and explain.rule_verdict(row["sme_reason"]) == "fail"  # 2억 < 2.3억


# ---------------------------------------------------------------------------------------------------------------------
# Money in text


@pytest.mark.parametrize(
    ("text", "won"),
    [
        ("10000만원", 100_000_000),
        ("2.3억", 230_000_000),
        ("1억 2,000만원", 120_000_000),
        ("금일억이천만원정", 120_000_000),
        ("금 120,000,000원정", 120_000_000),
        ("3억5천만원", 350_000_000),
        ("2천5백만원", 25_000_000),
        ("없음", None),
    ],
)
def test_money_in_text(text: str, won: int | None) -> None:
    assert money.parse_won(text) == won


def test_money_ranges_in_text() -> None:
    assert money.parse_range("추정가격 2.3억 이상 … 7.1억 미만") == (230_000_000, 710_000_000)
    assert money.parse_range("1억원 초과 2억원 이하") == (100_000_001, 200_000_001)
    assert money.parse_range("2.3억 미만") == (None, 230_000_000)


def test_amounts_in_korean_reach_the_rules() -> None:
    row = judge_category(raw_notice(presmptPrce="9000만원", dminsttCd="1741000"), "services", [company(ELECTRIC)])
    assert row["estimated_price"] == 90_000_000 and row["sme_verdict"] == "fail"  # 중기업, 1억 미만
    _, profile = company(ELECTRIC, capacity_won="10억")
    assert profile.capacity_won == 1_000_000_000


def test_the_simulator_generator_does_not_import_the_matchers_tables() -> None:
    """The simulator produces the classes from G2B's rules, not from the tables it is checked against."""
    import ast
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "bidradar" / "ingestion" / "simulator"
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert not module.startswith("bidradar.matching"), (path.name, module)
                assert module not in (
                    "bidradar.rules.regions",
                    "bidradar.rules.licenses",
                    "bidradar.rules.thresholds",
                ), (
                    path.name,
                    module,
                )
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("bidradar.matching") for a in node.names), path.name


@pytest.mark.parametrize("day", [dt.date(2026, 3, 2)])
def test_reason_codes_render_in_korean_for_every_new_code(day: dt.date) -> None:
    for rule in ("designation", "product", "joint", "sme", "region"):
        for code, template in explain.REASONS[rule].items():
            text = explain.reason_text(rule, code, {"product_detail": "56101703", "joint_detail": "전라남도"})
            assert "판정 코드" not in text and (text or template == "")


def _main_field_state(required: list[list[str]], held: list[str] | None) -> int:
    """The 주력분야 rule for one row, written plainly: alternatives (OR) of fields that must all be held (AND)."""
    if held is None:
        return 1
    return 2 if any(set(alt) <= set(held) for alt in required) else 0


def test_the_columnar_main_field_rule_equals_the_plain_one() -> None:
    import random

    from bidradar.matching.hard import _main_field_states

    fields = ["토공", "포장", "보링ㆍ그라우팅ㆍ파일", "도장", "석공"]
    rng = random.Random(23)
    rows = []
    for _ in range(2_000):
        required = [rng.sample(fields, rng.randint(1, 2)) for _ in range(rng.randint(1, 3))]
        held = None if rng.random() < 0.2 else rng.sample(fields, rng.randint(0, 4))
        rows.append((required, held))
    frame = pl.DataFrame(
        {"main_fields": [r for r, _ in rows], "main_held": [h for _, h in rows]},
        schema={"main_fields": pl.List(pl.List(pl.String)), "main_held": pl.List(pl.String)},
    )
    assert _main_field_states(frame)["row_state"].to_list() == [_main_field_state(r, h) for r, h in rows]
