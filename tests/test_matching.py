"""Hard rules (pass, fail and unknown for each), the Korean explanation, soft scores, and the matching assets
against a real warehouse on both backends (notices crawled from the in-process simulator)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from dagster import materialize

from assets import ingestion, matching
from assets.common.resources import G2BResource, ProfilesResource
from bidradar.core import warehouse
from bidradar.ingestion import readers as ingestion_readers
from bidradar.ingestion.simulator import G2BSimulator
from bidradar.matching import explain, hard, ranked, soft
from bidradar.matching.profiles import CompanyProfile, licenses_frame, profiles_frame
from tests.support import materialize_days, read_table

AS_OF = dt.datetime(2026, 3, 10, 12, 0)
SHIPPED = Path(__file__).resolve().parents[1] / "profiles"


def company(**changes: object) -> tuple[str, CompanyProfile]:
    data: dict = {
        "name": "테스트정보(주)",
        "business_no": "2208162517",
        "licenses": [{"code": "1468", "name": "소프트웨어사업자"}, {"code": "0036", "name": "정보통신공사업"}],
        "location": {"sido": "서울특별시", "sigungu": "강남구"},
        "size": "중기업",
        "capacity_won": 1_000_000_000,
        "categories": ["services", "goods"],
        "keywords": {"include": ["정보시스템"], "exclude": ["청소"]},
        "description": "정보시스템 유지관리와 홈페이지 구축",
        "track_record": [{"title": "정보시스템 유지관리", "agency": "서울특별시", "amount": 500_000_000, "year": 2025}],
    }
    company_id = str(changes.pop("company_id", "acme"))
    data.update(changes)
    return company_id, CompanyProfile.model_validate(data)


def notice(**changes: object) -> dict:
    row = {
        "notice_no": "R26BK00000001",
        "notice_order": "000",
        "category": "services",
        "title": "2026년 서울특별시 정보시스템 유지관리 용역",
        "classification_name": "정보시스템유지관리서비스",
        "estimated_price": 320_000_000,
        "demand_agency_code": "1741000",  # 행정안전부: a national body
        "contract_method": "제한경쟁",
        "is_designated_competition": False,
        "is_product_class_limited": False,
        "is_joint_duty": False,
        "notice_at": dt.datetime(2026, 3, 2, 9, 0),
        "bid_close_at": dt.datetime(2026, 3, 20, 10, 0),
        "is_cancelled": False,
        "is_license_limited": False,
        "is_international": False,
        "license_known": True,
        "region_known": True,
    }
    row.update(changes)
    return row


def lic(group: int, seq: int, name: str, code: str | None, notice_no: str = "R26BK00000001", **extra: str) -> dict:
    return {
        "notice_no": notice_no,
        "notice_order": "000",
        "group_no": group,
        "seq_no": seq,
        "license_name": name,
        "license_code": code,
        **extra,
    }


def region(sido: str, sigungu: str | None = None, notice_no: str = "R26BK00000001") -> dict:
    return {"notice_no": notice_no, "notice_order": "000", "sido": sido, "sigungu": sigungu}


def evaluate(
    notices: list[dict], licenses: list[dict] = (), regions: list[dict] = (), companies=None, as_of=AS_OF
) -> pl.DataFrame:  # type: ignore[assignment]
    companies = companies or [company()]
    result = hard.evaluate(
        pl.DataFrame(notices, schema_overrides={"bid_close_at": pl.Datetime("us")}),
        pl.DataFrame(list(licenses), schema=hard.LICENSE_LIMIT_SCHEMA),
        pl.DataFrame(list(regions), schema=hard.REGION_LIMIT_SCHEMA),
        profiles_frame(companies),
        licenses_frame(companies),
        as_of,
        keep_all=True,
    )
    return explained(result)


def explained(frame: pl.DataFrame) -> pl.DataFrame:
    """Verdict columns and the rendered explanation, as a reader of hard_matches gets them."""
    texts = [explain.render_explanation(row) for row in frame.iter_rows(named=True)]
    return hard.with_verdicts(frame).with_columns(explanation_ko=pl.Series(texts, dtype=pl.String))


def one(frame: pl.DataFrame) -> dict:
    assert frame.height == 1
    return frame.row(0, named=True)


# ---------------------------------------------------------------------------------------------------------------------
# License


def test_license_pass_by_code_and_the_korean_explanation() -> None:
    row = one(evaluate([notice()], [lic(1, 1, "소프트웨어사업자", "1468")], [region("서울특별시")]))
    assert row["license_verdict"] == "pass" and row["region_verdict"] == "pass" and row["verdict"] == "eligible"
    assert (
        row["explanation_ko"]
        == "면허 충족: 소프트웨어사업자(1468) · 지역 제한 충족: 서울특별시 · 추정가격 3.2억 ≤ 수행한도 10억"
    )


def test_license_groups_and_within_or_across() -> None:
    both = [lic(1, 1, "소프트웨어사업자", "1468"), lic(1, 2, "전기공사업", "0037")]
    row = one(evaluate([notice()], both))
    assert row["license_verdict"] == "fail" and row["verdict"] == "ineligible"
    assert row["explanation_ko"].startswith("면허 미보유: 소프트웨어사업자(1468) + 전기공사업(0037)")
    either = [lic(1, 1, "전기공사업", "0037"), lic(2, 1, "정보통신공사업", "0036")]
    row = one(evaluate([notice()], either))
    assert row["license_verdict"] == "pass" and "면허 충족: 정보통신공사업(0036)" in row["explanation_ko"]
    neither = [lic(1, 1, "전기공사업", "0037"), lic(2, 1, "측량업", "1171")]
    row = one(evaluate([notice()], neither))
    assert row["license_verdict"] == "fail"
    assert "면허 미보유: 전기공사업(0037) 또는 측량업(1171)" in row["explanation_ko"]


def test_license_name_fallback_only_without_a_code() -> None:
    row = one(evaluate([notice()], [lic(1, 1, "소프트웨어 사업자", None)]))  # spacing differs, name only
    assert row["license_verdict"] == "pass"
    # With a code, the code decides even if the name matches.
    row = one(evaluate([notice()], [lic(1, 1, "소프트웨어사업자", "9999")]))
    assert row["license_verdict"] == "fail"


def test_license_permitted_industry_counts() -> None:
    rows = [lic(1, 1, "전기공사업", "0037", permitted_industries_raw="[소프트웨어사업자/1468]")]
    assert one(evaluate([notice()], rows))["license_verdict"] == "pass"


def test_license_unknown_without_a_complete_fetch_or_with_an_empty_flag() -> None:
    row = one(evaluate([notice(license_known=False)]))
    assert row["license_verdict"] == "unknown" and row["verdict"] == "unknown"
    assert "면허 제한 확인 불가" in row["explanation_ko"]
    flagged = one(evaluate([notice(is_license_limited=True)]))
    assert flagged["license_verdict"] == "unknown"
    # No rows after a complete fetch: no limit at all.
    assert one(evaluate([notice()]))["license_verdict"] == "pass"


def test_rows_of_another_order_are_ignored() -> None:
    stale = {**lic(1, 1, "전기공사업", "0037"), "notice_order": "000"}
    row = one(evaluate([notice(notice_order="001")], [stale]))
    assert row["license_verdict"] == "pass"  # the current 차수 001 has no limit rows


# ---------------------------------------------------------------------------------------------------------------------
# Region


def test_region_sido_covers_its_sigungu_and_sigungu_must_match() -> None:
    assert one(evaluate([notice()], regions=[region("서울특별시")]))["region_verdict"] == "pass"
    assert one(evaluate([notice()], regions=[region("서울특별시", "강남구")]))["region_verdict"] == "pass"
    row = one(evaluate([notice()], regions=[region("서울특별시", "마포구"), region("부산광역시")]))
    assert row["region_verdict"] == "fail"
    assert "지역 제한 불충족: 참가가능지역 부산광역시, 서울특별시 마포구" in row["explanation_ko"]


def test_region_nationwide_versus_unknown() -> None:
    row = one(evaluate([notice()]))
    assert row["region_verdict"] == "pass" and "지역 제한 없음(전국)" in row["explanation_ko"]
    row = one(evaluate([notice(region_known=False)]))
    assert row["region_verdict"] == "unknown" and "지역 제한 확인 불가" in row["explanation_ko"]
    no_sigungu = [company(location={"sido": "서울특별시"})]
    row = one(evaluate([notice()], regions=[region("서울특별시", "강남구")], companies=no_sigungu))
    assert row["region_verdict"] == "unknown" and "프로필에 시군구 없음" in row["explanation_ko"]


# ---------------------------------------------------------------------------------------------------------------------
# Amount, SME, category, keywords, deadline


def test_amount_against_the_stated_capacity_only() -> None:
    assert one(evaluate([notice(estimated_price=1_000_000_000)]))["amount_verdict"] == "pass"
    row = one(evaluate([notice(estimated_price=1_200_000_000)]))
    assert row["amount_verdict"] == "fail" and "추정가격 12억 > 수행한도 10억" in row["explanation_ko"]
    row = one(evaluate([notice(estimated_price=None)]))
    assert row["amount_verdict"] == "unknown" and "추정가격 미공개" in row["explanation_ko"]
    # No 수행한도 stated: no bar (the track record is the record rule's, a score).
    row = one(evaluate([notice()], companies=[company(capacity_won=None)]))
    assert row["amount_verdict"] == "pass" and row["verdict"] == "eligible"


def test_track_record_is_a_weakness_not_a_bar_unless_a_stated_track_record_limit() -> None:
    small = [{"title": "홈페이지 구축", "agency": "국세청", "amount": 100_000_000, "year": 2025}]
    weak = [company(capacity_won=None, track_record=small)]
    # 적격심사 scores past contracts: a largest contract below the notice may still bid, shown as a weakness.
    row = one(evaluate([notice(estimated_price=320_000_000)], companies=weak))
    assert row["record_verdict"] == "pass" and row["verdict"] == "eligible"
    assert "약점: 최대 실적 1억 < 추정가격 3.2억" in row["explanation_ko"]
    row = one(evaluate([notice()], companies=[company(capacity_won=None, track_record=[])]))
    assert row["verdict"] == "eligible" and "약점: 수행실적 미입력" in row["explanation_ko"]
    # 실적제한 (arsltCmptYn = Y): only then is the record a bar.
    limited = notice(is_track_record_limited=True)
    row = one(evaluate([limited], companies=[company(capacity_won=None, track_record=[])]))
    assert row["record_verdict"] == "fail" and "실적제한 공고: 수행실적 없음" in row["explanation_ko"]
    row = one(evaluate([limited], companies=weak))
    assert row["record_verdict"] == "unknown" and "요구 실적 확인 필요" in row["explanation_ko"]
    row = one(evaluate([limited]))
    assert row["record_verdict"] == "pass" and "실적제한 충족: 최대 실적 5억" in row["explanation_ko"]


@pytest.mark.parametrize(
    ("category", "price", "size", "verdict"),
    [
        ("services", 80_000_000, "소기업", "pass"),  # below 1억: 소기업·소상공인 only
        ("services", 80_000_000, "중기업", "fail"),
        ("services", 220_000_000, "중기업", "pass"),  # below 2.3억 (national, 2025–2026): 중소기업 only
        ("services", 220_000_000, "중견기업", "fail"),
        ("services", 300_000_000, "대기업", "pass"),  # above the threshold: no restriction
        ("construction", 900_000_000, "대기업", "pass"),  # 판로지원법 does not cover 공사
        ("foreign", 50_000_000, "대기업", "pass"),  # 외자: no restriction
        ("services", None, "중기업", "unknown"),
        ("services", 150_000_000, None, "unknown"),
    ],
)
def test_sme_restriction(category: str, price: int | None, size: str | None, verdict: str) -> None:
    c = [company(size=size, categories=["services", "construction", "foreign"], capacity_won=10**10)]
    row = one(evaluate([notice(category=category, estimated_price=price)], companies=c))
    assert row["sme_verdict"] == verdict
    if verdict == "fail":
        assert "참가 불가 규모" in row["explanation_ko"]


def test_sme_explanation_names_the_restriction() -> None:
    row = one(evaluate([notice(estimated_price=80_000_000)]))
    assert "소기업·소상공인 제한(추정가격 1억 미만): 참가 불가 규모" in row["explanation_ko"]
    row = one(evaluate([notice(estimated_price=150_000_000)], companies=[company(size=None)]))
    assert "중소기업 제한(추정가격 2.3억 미만): 기업 규모 미입력" in row["explanation_ko"]


def test_sme_threshold_is_the_one_in_force_on_the_notice_date_for_its_issuer() -> None:
    big = [company(size="중견기업", capacity_won=10**10)]
    # 2.25억: under the 2025–2026 national 고시금액 (2.3억), above the 2023–2024 one (2.2억).
    now = notice(estimated_price=225_000_000, notice_at=dt.datetime(2026, 3, 2, 9, 0))
    before = notice(estimated_price=225_000_000, notice_at=dt.datetime(2024, 12, 20, 9, 0))
    assert one(evaluate([now], companies=big))["sme_verdict"] == "fail"
    assert one(evaluate([before], companies=big))["sme_verdict"] == "pass"
    # 지자체 (행정안전부 고시, 2.3억..3.5억 in doubt): 2억 is sure, 3억 is in doubt, 4억 is free.
    for price, verdict in ((200_000_000, "fail"), (300_000_000, "unknown"), (400_000_000, "pass")):
        local = notice(estimated_price=price, demand_agency_code="3740000", demand_agency_name="경기도 수원시")
        assert one(evaluate([local], companies=big))["sme_verdict"] == verdict, price
    # 공기업·준정부기관: 7.1억 (2025–2026).
    corp = notice(estimated_price=500_000_000, demand_agency_code="B551005", demand_agency_name="한국토지주택공사")
    assert one(evaluate([corp], companies=big))["sme_verdict"] == "fail"
    # After the last known 고시 period the last row holds, with a margin of doubt ("확인 필요").
    later = notice(estimated_price=220_000_000, notice_at=dt.datetime(2027, 2, 1, 9, 0))
    row = one(evaluate([later], companies=big, as_of=dt.datetime(2027, 2, 2, 9, 0)))
    assert row["sme_verdict"] == "unknown" and "확인 필요" in row["explanation_ko"]
    far_below = notice(estimated_price=150_000_000, notice_at=dt.datetime(2027, 2, 1, 9, 0))
    assert one(evaluate([far_below], companies=big, as_of=dt.datetime(2027, 2, 2, 9, 0)))["sme_verdict"] == "fail"


def test_private_and_unknown_issuers() -> None:
    big = [company(size="대기업", capacity_won=10**10)]
    private = notice(
        estimated_price=80_000_000, demand_agency_code="Z061301", demand_agency_name="주식회사 스튜디오 봄"
    )
    assert one(evaluate([private], companies=big))["sme_verdict"] == "pass"
    unknown = notice(estimated_price=80_000_000, demand_agency_code=None, demand_agency_name="어느 재단")
    row = one(evaluate([unknown], companies=big))
    assert row["sme_verdict"] == "unknown" and "발주기관 유형" in row["explanation_ko"]
    # 조달청 publishing without a 수요기관 code: the buyer is unknown.
    pps = notice(estimated_price=80_000_000, demand_agency_code=None, notice_agency_code="1230000")
    assert one(evaluate([pps], companies=big))["sme_verdict"] == "unknown"


def test_the_budget_stands_in_for_a_missing_estimated_price() -> None:
    big = [company(size="대기업", capacity_won=10**10)]
    # 배정예산 8천만 (VAT incl.): 추정가격 7.3천만..8천만, under 1억 either way.
    assert (
        one(evaluate([notice(estimated_price=None, budget_amount=80_000_000)], companies=big))["sme_verdict"] == "fail"
    )
    # 배정예산 1.05억: 추정가격 9.5천만..1.05억 straddles 1억: a 중기업 cannot be sure.
    mid = [company(size="중기업", capacity_won=10**10)]
    row = one(evaluate([notice(estimated_price=None, budget_amount=105_000_000)], companies=mid))
    assert row["sme_verdict"] == "unknown" and "배정예산" in row["explanation_ko"]
    assert one(evaluate([notice(estimated_price=None, budget_amount=None)], companies=mid))["sme_verdict"] == "unknown"


def test_category_and_keywords() -> None:
    row = one(evaluate([notice(category="construction", estimated_price=500_000_000)]))
    assert row["category_verdict"] == "fail" and "관심 분야 아님: 공사" in row["explanation_ko"]
    row = one(evaluate([notice(title="청사 청소용역", classification_name=None)]))
    assert row["keyword_verdict"] == "fail" and "제외 키워드: 청소" in row["explanation_ko"]
    assert one(evaluate([notice()]))["keyword_verdict"] == "pass"
    row = one(evaluate([notice(title="", classification_name=None)]))
    assert row["keyword_verdict"] == "unknown" and "공고명 없음" in row["explanation_ko"]


def test_deadline() -> None:
    assert one(evaluate([notice()]))["deadline_verdict"] == "pass"
    row = one(evaluate([notice(bid_close_at=dt.datetime(2026, 3, 10, 11, 0))]))
    assert row["deadline_verdict"] == "fail" and "마감 지남(03-10 11:00)" in row["explanation_ko"]
    assert one(evaluate([notice(is_cancelled=True)]))["deadline_verdict"] == "fail"
    row = one(evaluate([notice(bid_close_at=None)]))
    assert row["deadline_verdict"] == "unknown" and row["verdict"] == "unknown"


def test_unknown_never_shows_as_eligible_and_fail_wins() -> None:
    row = one(evaluate([notice(license_known=False, estimated_price=5_000_000_000)]))
    assert row["license_verdict"] == "unknown" and row["amount_verdict"] == "fail"
    assert row["verdict"] == "ineligible"


def test_many_companies_and_notices_pair_up_correctly() -> None:
    notices = [notice(notice_no=f"N{i}", title=f"공고 {i}") for i in range(3)]
    licenses = [lic(1, 1, "전기공사업", "0037", notice_no="N1")]
    regions = [region("경기도", "수원시", notice_no="N2")]
    companies = [
        company(),
        company(
            company_id="electric",
            business_no="1358123458",
            location={"sido": "경기도", "sigungu": "수원시"},
            licenses=[{"code": "0037", "name": "전기공사업"}],
        ),
    ]
    result = evaluate(notices, licenses, regions, companies=companies)
    verdicts = {
        (r["company_id"], r["notice_no"]): (r["license_verdict"], r["region_verdict"])
        for r in result.iter_rows(named=True)
    }
    assert verdicts == {
        ("acme", "N0"): ("pass", "pass"),
        ("acme", "N1"): ("fail", "pass"),
        ("acme", "N2"): ("pass", "fail"),
        ("electric", "N0"): ("pass", "pass"),
        ("electric", "N1"): ("pass", "pass"),
        ("electric", "N2"): ("pass", "pass"),
    }


# ---------------------------------------------------------------------------------------------------------------------
# Soft scores


def test_soft_scores_rank_relevant_notices_first_and_stay_in_range() -> None:
    notices = pl.DataFrame(
        [
            {"notice_no": "A", "title": "정보시스템 유지관리 용역", "classification_name": "정보시스템유지관리서비스"},
            {"notice_no": "B", "title": "홈페이지 고도화 사업", "classification_name": "온라인홍보및방송콘텐츠서비스"},
            {"notice_no": "C", "title": "하수관로 정비공사", "classification_name": "도로포장공사"},
        ]
    )
    hard_rows = pl.DataFrame(
        {"company_id": ["acme"] * 3, "notice_no": ["A", "B", "C"], "verdict": ["eligible", "unknown", "eligible"]}
    )
    scored = soft.score_pairs(hard_rows, notices, profiles_frame([company()]), top_k=2)
    assert scored["notice_no"].to_list() == ["A", "B"] and scored["rank"].to_list() == [1, 2]
    assert scored["score"].is_between(0, 100).all()
    assert scored.row(0, named=True)["matched_terms"] == "정보시스템"
    ineligible_only = hard_rows.with_columns(verdict=pl.lit("ineligible"))
    assert soft.score_pairs(ineligible_only, notices, profiles_frame([company()])).is_empty()


def test_soft_scorer_is_pluggable() -> None:
    import numpy as np

    notices = pl.DataFrame({"notice_no": ["A", "B"], "title": ["가", "나"]})
    hard_rows = pl.DataFrame({"company_id": ["acme", "acme"], "notice_no": ["A", "B"], "verdict": ["eligible"] * 2})
    reverse = lambda profiles, texts: np.array([[0.0, 1.0]] * len(profiles))  # noqa: E731
    scored = soft.score_pairs(hard_rows, notices, profiles_frame([company()]), scorer=reverse)
    assert scored["notice_no"].to_list() == ["B", "A"]


# ---------------------------------------------------------------------------------------------------------------------
# The assets against a real warehouse

KEY = "bidradar-simulator-key"
NOW = dt.datetime(2026, 3, 5, 21, 0, tzinfo=ZoneInfo("Asia/Seoul"))
DAYS = (dt.date(2026, 3, 4), dt.date(2026, 3, 5))
RUN_AS_OF = "2026-03-05 21:00"
MATCH_ASSETS = [matching.company_profiles, matching.hard_matches, matching.soft_matches]


@pytest.fixture(scope="module")
def simulator_url() -> Iterator[str]:
    sim = G2BSimulator(seed=20260101, notices_per_day=200, service_key=KEY, now=NOW)
    with sim.serve() as url:
        yield url


def _ingest(url: str, database_url: str) -> None:
    warehouse.migrate(warehouse.make_engine(database_url))
    g2b = G2BResource(base_url=url, service_key=KEY, backoff_initial_seconds=0.01)
    assert materialize_days([ingestion.g2b_raw_notices, ingestion.notice_tables], database_url, DAYS, g2b).success


def _match(database_url: str, folder: Path):  # type: ignore[no-untyped-def]
    from assets.common.resources import WarehouseResource

    config = {"config": {"as_of": RUN_AS_OF, "top_k": 20}}
    return materialize(
        MATCH_ASSETS,
        resources={
            "warehouse": WarehouseResource(database_url=database_url),
            "profiles": ProfilesResource(folder=str(folder)),
        },
        run_config={"ops": {"hard_matches": config, "soft_matches": config}},
        raise_on_error=False,
    )


def test_assets_match_on_a_real_warehouse_and_follow_profile_edits(
    simulator_url: str, database_url: str, tmp_path: Path
) -> None:
    _ingest(simulator_url, database_url)
    folder = tmp_path / "profiles"
    folder.mkdir()
    for path in SHIPPED.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    (folder / "typo-co.yaml").write_text(
        (SHIPPED / "hanbit-soft.yaml")
        .read_text(encoding="utf-8")
        .replace("business_no: 220-81-62517", "busines_no: 120-86-01234"),
        encoding="utf-8",
    )

    result = _match(database_url, folder)
    assert result.success  # the invalid profile fails its check, not the run
    [check] = [c for c in result.get_asset_check_evaluations() if c.check_name == "profiles_valid"]
    assert not check.passed
    assert "typo-co.yaml:3: busines_no: unknown field" in str(check.metadata["invalid_files"].value)
    materialized = result.asset_materializations_for_node("company_profiles")[0]
    assert materialized.metadata["invalid_profiles"].value == 1

    profiles = read_table(database_url, "company_profiles").sort("company_id")
    assert profiles["is_valid"].cast(pl.Boolean).to_list() == [True, True, False]
    assert profiles.filter(pl.col("company_id") == "typo-co")["error_line"].to_list() == [3]

    from bidradar.matching import store

    engine = warehouse.make_engine(database_url)
    matches = store.read_explained_matches(engine)
    summary = read_table(database_url, "hard_match_summary").sort("company_id")
    notices = read_table(database_url, "bid_notices")
    open_notices = notices.filter(~pl.col("is_cancelled").cast(pl.Boolean))
    assert set(summary["company_id"]) == {"hanbit-soft", "daesung-electric"}
    # Only eligible and unknown pairs are stored; the summary accounts for every pair.
    assert set(matches["verdict"]) <= {"eligible", "unknown"}
    assert (summary["eligible"] + summary["unknown"] + summary["ineligible"] == summary["open_notices"]).all()
    assert summary["open_notices"].max() <= open_notices.height
    stored = matches.group_by("company_id").len().sort("company_id")
    assert stored["len"].to_list() == (summary["eligible"] + summary["unknown"]).to_list()
    assert (summary["eligible"] > 0).all()
    eligible = matches.filter(pl.col("verdict") == "eligible")
    assert (eligible.select(hard.VERDICT_COLUMNS).to_numpy() == "pass").all()
    assert eligible["explanation_ko"].str.contains("면허").all()

    soft_rows = read_table(database_url, "soft_matches")
    engine = warehouse.make_engine(database_url)
    kept = ranked.read_ranked(engine)
    engine.dispose()
    assert kept.group_by("company_id").len()["len"].max() == 20 < soft_rows.group_by("company_id").len()["len"].max()
    assert set(soft_rows["hard_verdict"]) <= {"eligible", "unknown"}
    assert soft_rows["score"].is_between(0, 100).all()

    # Edit a profile: the electrical contractor moves to 부산; its region verdicts change, the other's do not.
    path = folder / "daesung-electric.yaml"
    edited = (
        path.read_text(encoding="utf-8")
        .replace("sido: 경기도", "sido: 부산광역시")
        .replace("sigungu: 수원시", "sigungu: 해운대구")
    )
    path.write_text(edited, encoding="utf-8")
    (folder / "typo-co.yaml").unlink()
    again = _match(database_url, folder)
    assert again.success
    [check] = [c for c in again.get_asset_check_evaluations() if c.check_name == "profiles_valid"]
    assert check.passed
    after = store.read_explained_matches(engine)
    summary_after = read_table(database_url, "hard_match_summary").sort("company_id")
    engine.dispose()
    row = lambda frame: frame.filter(pl.col("company_id") == "daesung-electric").row(0, named=True)  # noqa: E731
    assert row(summary)["fail_region"] != row(summary_after)["fail_region"]
    after_e = after.filter(pl.col("company_id") == "daesung-electric")
    assert after_e.filter(pl.col("region_verdict") == "pass")["explanation_ko"].str.contains("지역 제한").all()
    # The other company is untouched.
    keep = ["notice_no", "verdict", "explanation_ko"]
    assert (
        matches.filter(pl.col("company_id") == "hanbit-soft")
        .sort("notice_no")
        .select(keep)
        .equals(after.filter(pl.col("company_id") == "hanbit-soft").sort("notice_no").select(keep))
    )


def test_observed_data_version_changes_with_the_files(tmp_path: Path) -> None:
    from dagster import DagsterInstance
    from dagster._core.definitions.observe import observe  # not re-exported by dagster 1.13

    (tmp_path / "a.yaml").write_text((SHIPPED / "hanbit-soft.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    resources = {"profiles": ProfilesResource(folder=str(tmp_path))}
    instance = DagsterInstance.ephemeral()

    def version() -> str:
        result = observe([matching.company_profile_files], resources=resources, instance=instance)
        [event] = result.get_asset_observation_events()
        return event.asset_observation_data.asset_observation.tags["dagster/data_version"]

    first = version()
    assert version() == first
    (tmp_path / "a.yaml").write_text(
        (tmp_path / "a.yaml").read_text(encoding="utf-8").replace("capacity_won: 1000000000", "capacity_won: 9"),
        encoding="utf-8",
    )
    assert version() != first


def test_limits_are_unknown_when_the_revisions_registration_day_was_never_fetched(migrated_engine) -> None:
    """A notice registered on an uncrawled day and changed (same 차수) on a crawled day: its row lives in the
    crawled day's partition, but its license and region rows were never fetched, so they are unknown."""
    from bidradar.core.warehouse import TableWrite, write

    crawled, registered = dt.date(2026, 3, 5), dt.datetime(2026, 2, 20, 10, 0)
    notice = pl.DataFrame(
        [
            {
                "notice_no": "R26BK00000077",
                "notice_order": "000",
                "revision_key": "000|20260305090000",
                "category": "services",
                "is_cancelled": False,
                "title": "정보시스템 유지관리 용역",
                "registered_at": registered,
                "changed_at": dt.datetime(2026, 3, 5, 9, 0),
                "bid_close_at": dt.datetime(2026, 3, 20, 17, 0),
            }
        ]
    )
    fetched = pl.DataFrame(
        [
            {
                "license_limits_complete": True,
                "region_limits_complete": True,
                "base_amounts_complete": True,
                "fetched_at": dt.datetime(2026, 3, 5, 23, 0),
            }
        ]
    )
    write(
        migrated_engine,
        partition_date=crawled,
        writes=[
            TableWrite("bid_notices", notice, ["notice_no"], "revision_key"),
            TableWrite("notice_detail_fetches", fetched, ["partition_date"]),
        ],
    )
    notices, _, _ = ingestion_readers.read_open_notices(migrated_engine, dt.datetime(2026, 3, 6, 9, 0))
    row = notices.row(0, named=True)
    assert row["license_known"] is None and row["region_known"] is None  # unknown, never "no limit"

    # Once the registration day is crawled, the limits are known (here: none, i.e. nationwide).
    write(migrated_engine, [TableWrite("notice_detail_fetches", fetched, ["partition_date"])], registered.date())
    notices, _, _ = ingestion_readers.read_open_notices(migrated_engine, dt.datetime(2026, 3, 6, 9, 0))
    assert bool(notices.row(0, named=True)["region_known"]) is True
