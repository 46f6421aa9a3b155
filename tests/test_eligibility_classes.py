"""One test per eligibility class of issue 11, in the real G2B field formats: raw items (all strings, as the API
sends them) go through the project's own normalizers, then the matcher. The formats follow the specs in
docs/shared (getBidPblancListInfoLicenseLimit, getBidPblancListInfoPrtcptPsblRgn) and the real rows of
samples/gongbid_permitLisn_LicenseLimit.csv ("일반소방시설공사업(기계)/0038" with "[전문소방시설공사업/0040]";
"일반소방시설공사업(전기)" with no code)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from bidradar.ingestion import crawl, normalize
from bidradar.matching import explain, hard
from bidradar.matching.profiles import CompanyProfile, licenses_frame, profiles_frame

DAY = dt.date(2026, 3, 2)
AS_OF = dt.datetime(2026, 3, 10, 12, 0)
NO = "R26BK00000001"


def raw_notice(**fields: str) -> dict[str, str]:
    item = {
        "bidNtceNo": NO,
        "bidNtceOrd": "000",
        "ntceKindNm": "일반",
        "bidNtceNm": "2026년 청사 소방시설 개선공사",
        "ntceInsttNm": "조달청",
        "dminsttNm": "행정안전부",
        "presmptPrce": "320000000",
        "rgstDt": "2026-03-02 10:00:00",
        "bidNtceDt": "2026-03-02 10:00:00",
        "bidClseDt": "2026-03-20 10:00:00",
        "indstrytyLmtYn": "N",
        "bidPrtcptLmtYn": "N",
        "rgnLmtBidLocplcJdgmBssNm": "",
        "arsltCmptYn": "N",
        "intrbidYn": "N",
        "cntrctCnclsMthdNm": "제한경쟁",
        "dsgntCmptYn": "N",
        "dminsttCd": "1741000",
        "rgnDutyJntcontrctYn": "N",
        "prdctClsfcLmtYn": "N",
    }
    item.update(fields)
    return item


def license_row(group: str, seq: str, limit: str, permitted: str = "", main_fields: str = "") -> dict[str, str]:
    return {
        "bidNtceNo": NO,
        "bidNtceOrd": "000",
        "lmtGrpNo": group,
        "lmtSno": seq,
        "lcnsLmtNm": limit,
        "permsnIndstrytyList": permitted,
        "indstrytyMfrcFldList": main_fields,
        "rgstDt": "2026-03-02 10:00:00",
        "bsnsDivNm": "공사",
    }


def region_row(seq: str, name: str) -> dict[str, str]:
    return {
        "bidNtceNo": NO,
        "bidNtceOrd": "000",
        "lmtSno": seq,
        "prtcptPsblRgnNm": name,
        "rgstDt": "2026-03-02 10:00:00",
        "bsnsDivNm": "공사",
    }


def company(licenses: list[dict], sido: str = "서울특별시", sigungu: str | None = "강남구", **extra: object):
    data = {
        "name": "테스트건설(주)",
        "business_no": "2208162517",
        "licenses": licenses,
        "size": "중기업",
        "location": {"sido": sido, "sigungu": sigungu},
        "categories": ["construction", "services"],
        "track_record": [{"title": "청사 개선공사", "agency": "조달청", "amount": 900_000_000, "year": 2025}],
        **extra,
    }
    return ("acme", CompanyProfile.model_validate(data))


def judge(
    notice: dict[str, str],
    licenses: list[dict[str, str]] = (),  # type: ignore[assignment]
    regions: list[dict[str, str]] = (),  # type: ignore[assignment]
    companies: list | None = None,
    known: bool = True,
) -> dict:
    raw = normalize.items_to_frame([notice], "getBidPblancListInfoCnstwk")
    notices = normalize.normalize_notices(raw, DAY).with_columns(
        license_known=pl.lit(known), region_known=pl.lit(known)
    )
    lic = normalize.normalize_license_limits(normalize.items_to_frame(list(licenses), crawl.LICENSE_LIMIT_OP), DAY)
    reg = normalize.normalize_region_limits(normalize.items_to_frame(list(regions), crawl.REGION_LIMIT_OP), DAY)
    companies = companies or [company([{"code": "0040", "name": "전문소방시설공사업"}])]
    result = hard.evaluate(
        notices,
        lic if lic.width > 1 else pl.DataFrame(schema=hard.LICENSE_LIMIT_SCHEMA),
        reg if reg.width > 1 else pl.DataFrame(schema=hard.REGION_LIMIT_SCHEMA),
        profiles_frame(companies),
        licenses_frame(companies),
        AS_OF,
        keep_all=True,
    )
    assert result.height == 1
    row = result.row(0, named=True)
    return {**row, **explain.rule_verdicts(row), "explanation": explain.render_explanation(row)}


# ---------------------------------------------------------------------------------------------------------------------
# 주력분야 (indstrytyMfrcFldList)


def test_main_fields_are_kept_by_the_normalizer_and_unknown_when_the_profile_does_not_state_them() -> None:
    rows = [license_row("1", "1", "지반조성ㆍ포장공사업/4991", main_fields="[1^포장]")]
    civil = {"code": "4991", "name": "지반조성ㆍ포장공사업"}
    row = judge(raw_notice(indstrytyLmtYn="Y"), rows, companies=[company([civil])])
    assert row["license_verdict"] == "unknown" and row["license_reason"] == 23
    assert "주력분야 확인 불가" in row["explanation"]
    row = judge(raw_notice(indstrytyLmtYn="Y"), rows, companies=[company([{**civil, "main_fields": ["토공"]}])])
    assert row["license_verdict"] == "fail" and "주력분야 미보유" in row["explanation"]
    row = judge(raw_notice(indstrytyLmtYn="Y"), rows, companies=[company([{**civil, "main_fields": ["토공", "포장"]}])])
    assert row["license_verdict"] == "pass"
    # '^' is AND inside one bracket, brackets are OR.
    both = [license_row("1", "1", "지반조성ㆍ포장공사업/4991", main_fields="[1^토공^포장],[1^보링그라우팅]")]
    row = judge(raw_notice(indstrytyLmtYn="Y"), both, companies=[company([{**civil, "main_fields": ["포장"]}])])
    assert row["license_verdict"] == "fail"
    row = judge(raw_notice(indstrytyLmtYn="Y"), both, companies=[company([{**civil, "main_fields": ["보링그라우팅"]}])])
    assert row["license_verdict"] == "pass"


# ---------------------------------------------------------------------------------------------------------------------
# Participation flags without rows


def test_a_license_flag_without_rows_is_unknown_never_no_limit() -> None:
    row = judge(raw_notice(indstrytyLmtYn="Y"))
    assert row["license_verdict"] == "unknown" and "업종 목록 없음" in row["explanation"]
    assert judge(raw_notice(indstrytyLmtYn="N"))["license_verdict"] == "pass"


def test_a_region_flag_without_rows_is_unknown_never_nationwide() -> None:
    row = judge(raw_notice(rgnLmtBidLocplcJdgmBssNm="본사소재지", bidPrtcptLmtYn="Y"))
    assert row["region_verdict"] == "unknown" and "지역 목록 없음" in row["explanation"]
    assert "전국" not in row["explanation"]
    assert judge(raw_notice())["region_verdict"] == "pass"


# ---------------------------------------------------------------------------------------------------------------------
# Name-only limits


@pytest.mark.parametrize(
    "limit",
    [
        "소프트웨어사업자(컴퓨터관련서비스사업)",
        "소프트웨어사업자 (컴퓨터관련서비스사업)",
        "소프트웨어사업자(컴퓨터관련 서비스사업)",
        "소프트웨어사업자[컴퓨터관련서비스사업]",
        "소프트웨어사업자",  # the generic name: any 소프트웨어사업자 registration
    ],
)
def test_a_name_only_limit_is_matched_by_name_through_the_license_table(limit: str) -> None:
    holder = [company([{"code": "1468", "name": "소프트웨어사업자"}])]
    row = judge(raw_notice(indstrytyLmtYn="Y"), [license_row("1", "1", limit)], companies=holder)
    assert row["license_verdict"] == "pass" and row["license_reason"] == 2
    assert "소프트웨어사업자(1468)" in row["explanation"]


def test_a_name_only_limit_fails_for_another_sub_kind_and_is_unknown_when_unresolvable() -> None:
    other = [company([{"code": "1469", "name": "소프트웨어사업자(디지털콘텐츠개발서비스사업)"}])]
    rows = [license_row("1", "1", "소프트웨어사업자(컴퓨터관련서비스사업)")]
    assert judge(raw_notice(indstrytyLmtYn="Y"), rows, companies=other)["license_verdict"] == "fail"
    row = judge(raw_notice(indstrytyLmtYn="Y"), [license_row("1", "1", "우주항공정비업")], companies=other)
    assert row["license_verdict"] == "unknown" and "면허명 확인 불가: 우주항공정비업" in row["explanation"]
    # The real row of the sample: "일반소방시설공사업(전기)" without a code.
    electric = [company([{"code": "0039", "name": "일반소방시설공사업(전기)"}])]
    row = judge(raw_notice(indstrytyLmtYn="Y"), [license_row("2", "1", "일반소방시설공사업(전기)")], companies=electric)
    assert row["license_verdict"] == "pass"


# ---------------------------------------------------------------------------------------------------------------------
# 허용업종 (permsnIndstrytyList)


@pytest.mark.parametrize(
    "permitted",
    [
        "[전문소방시설공사업/0040]",  # the sample's format
        "[전기공사업/0037],[전문소방시설공사업/0040]",  # the spec's list format
        "[전기공사업/0037], [전문소방시설공사업/0040]",
        "전기공사업/0037,전문소방시설공사업/0040",  # without brackets
        "[0040/전문소방시설공사업]",  # code first, as the spec's lcnsLmtNm description says
        "[전문소방시설공사업]",  # name only
    ],
)
def test_an_allowed_alternative_license_is_read_in_every_format_and_named_as_held(permitted: str) -> None:
    rows = [license_row("2", "1", "일반소방시설공사업(기계)/0038", permitted=permitted)]
    holder = [company([{"code": "0040", "name": "전문소방시설공사업"}, {"code": "0001", "name": "토목공사업"}])]
    row = judge(raw_notice(indstrytyLmtYn="Y"), rows, companies=holder)
    assert row["license_verdict"] == "pass" and row["license_reason"] == 3
    assert row["explanation"].startswith("면허 충족(허용업종): 전문소방시설공사업(0040)")
    assert "전기공사업" not in row["explanation"] and "토목" not in row["explanation"]


# ---------------------------------------------------------------------------------------------------------------------
# Renamed regions


@pytest.mark.parametrize(
    ("published", "sido", "sigungu"),
    [
        ("전라북도 전주시", "전북특별자치도", "전주시"),  # a notice from before 2024-01-18
        ("전북특별자치도", "전라북도", "익산시"),  # a profile written with the old name
        ("전북특별자치도 전주시", "전북", "전주시"),
        ("강원도", "강원특별자치도", "춘천시"),  # before 2023-06-11
        ("강원특별자치도 원주시", "강원도", "원주시"),
        ("서울특별시 강남구", "서울시", "강남구"),
        ("경기도", "경기", "수원시"),
        ("서울시", "서울특별시", None),
    ],
)
def test_renamed_and_short_region_names_are_the_same_region(published: str, sido: str, sigungu: str | None) -> None:
    holder = [company([{"code": "0040", "name": "전문소방시설공사업"}], sido=sido, sigungu=sigungu)]
    row = judge(
        raw_notice(rgnLmtBidLocplcJdgmBssNm="본사소재지"), regions=[region_row("1", published)], companies=holder
    )
    assert row["region_verdict"] == "pass", row["explanation"]
    other = [company([{"code": "0040", "name": "전문소방시설공사업"}], sido="전라남도", sigungu="목포시")]
    assert judge(raw_notice(), regions=[region_row("1", published)], companies=other)["region_verdict"] == "fail"


# ---------------------------------------------------------------------------------------------------------------------
# Order of unknown and fail: a partial fetch


def test_rows_of_an_incomplete_fetch_give_unknown_not_fail() -> None:
    rows = [license_row("1", "1", "전기공사업/0037")]
    assert judge(raw_notice(indstrytyLmtYn="Y"), rows)["license_verdict"] == "fail"
    row = judge(raw_notice(indstrytyLmtYn="Y"), rows, known=False)
    assert row["license_verdict"] == "unknown" and "일부만 수집됨" in row["explanation"]
    regions = [region_row("1", "부산광역시")]
    assert judge(raw_notice(), regions=regions)["region_verdict"] == "fail"
    assert judge(raw_notice(), regions=regions, known=False)["region_verdict"] == "unknown"
    # A row that covers the company is a pass even from a partial fetch (a missing row only adds regions).
    assert judge(raw_notice(), regions=[region_row("1", "서울특별시")], known=False)["region_verdict"] == "pass"


def test_track_record_limit_is_read_from_the_notice() -> None:
    nobody = [company([{"code": "0040", "name": "전문소방시설공사업"}], track_record=[])]
    assert judge(raw_notice(arsltCmptYn="Y"), companies=nobody)["record_verdict"] == "fail"
    row = judge(raw_notice(arsltCmptYn="N"), companies=nobody)
    assert row["record_verdict"] == "pass" and row["verdict"] == "eligible" and "약점" in row["explanation"]


def test_the_simulator_emits_every_class() -> None:
    from bidradar.ingestion.simulator import NoticeGenerator

    generator = NoticeGenerator(seed=20260101, notices_per_day=1500)
    seen: set[str] = set()
    for item in generator.notices_for_day(dt.date(2026, 3, 3)):
        notice = generator.notice(item["bidNtceNo"])
        assert notice is not None
        if item.get("dsgntCmptYn") == "Y":
            assert item["cntrctCnclsMthdNm"] == "지명경쟁"
            seen.add("지명경쟁")
        if item.get("prdctClsfcLmtYn") == "Y":
            assert item["purchsObjPrdctList"].startswith("[1^") and len(item["dtilPrdctClsfcNo"]) == 10
            seen.add("물품분류 제한")
            if item.get("mnfctYn") == "Y":
                seen.add("제조 제한")
        if item.get("rgnDutyJntcontrctYn") == "Y":
            assert item["jntcontrctDutyRgnNm1"] and item["rgnDutyJntcontrctRt"]
            seen.add("지역의무공동도급")
        if notice.truth["license_flag_only"] and item["indstrytyLmtYn"] == "Y" and not notice.licenses:
            seen.add("license flag without rows")
        if notice.truth["region_flag_only"] and item["rgnLmtBidLocplcJdgmBssNm"] and not notice.regions:
            seen.add("region flag without rows")
        for row in notice.licenses:
            if row.get("indstrytyMfrcFldList"):
                seen.add("주력분야")
            if "/" not in row["lcnsLmtNm"]:
                seen.add("name only")
            if ("(" in row["lcnsLmtNm"] and " (" in row["lcnsLmtNm"]) or "·" in row["lcnsLmtNm"]:
                seen.add("name with other spacing or dots")
            permitted = row.get("permsnIndstrytyList", "")
            if permitted and not permitted.startswith("["):
                seen.add("허용업종 without brackets")
            if permitted.startswith("[0") or permitted.startswith("[1") or permitted.startswith("[4"):
                seen.add("허용업종 code first")
            if row["lcnsLmtNm"][:4].isdigit():
                seen.add("license code first")
        for region in notice.regions:
            if region.split()[0] in ("전라북도", "강원도"):
                seen.add("old region name")
            if region.split()[0] in ("서울", "경기", "전북", "부산", "인천", "강원", "충남", "경남"):
                seen.add("short region name")
            if region.endswith("구") and "시" in region.split()[-1][:-1]:
                seen.add("일반구")
    assert seen == {
        "license flag without rows",
        "region flag without rows",
        "주력분야",
        "name only",
        "name with other spacing or dots",
        "허용업종 without brackets",
        "허용업종 code first",
        "old region name",
        "short region name",
        "지명경쟁",
        "물품분류 제한",
        "제조 제한",
        "지역의무공동도급",
        "license code first",
        "일반구",
    }
