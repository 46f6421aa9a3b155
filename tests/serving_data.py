"""A small warehouse for the API and dashboard tests, written through the one write path (warehouse.write), as
the assets write it: notices with their limits and 차수, results, two companies with tokens, their matches and an
analysis. Times are relative to NOW, the clock the test app is given."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import polars as pl
import uvicorn
from sqlalchemy.engine import Engine

from bidradar.core import warehouse
from bidradar.core.warehouse import TableWrite
from bidradar.matching import profiles as profile_files

NOW = dt.datetime(2026, 3, 10, 12, 0, 0)
WINNER_BUSINESS_NO = "1111111102"
DAY = dt.date(2026, 3, 9)
TOKENS = {"hanbit": "test-token-hanbit-0123456789abcdef", "daesung": "test-token-daesung-0123456789abcdef"}


def token_hash(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


# (notice_no, title, category, agency, estimated price, close in hours from NOW, registered days before NOW)
NOTICES = [
    ("R26BK00000001", "2026년 본관 청소용역", "services", "서울특별시 마포구", 180_000_000, 50, 1),
    ("R26BK00000002", "시도 도로 보수공사", "construction", "경기도 수원시", 900_000_000, 120, 3),
    ("R26BK00000003", "청사 전기설비 개선공사", "construction", "경기도 수원시", 450_000_000, 30, 5),
    ("R26BK00000004", "청소년수련관 홈페이지 고도화", "services", "서울특별시교육청", 95_000_000, 200, 1),
    ("R26BK00000005", "청소 소년단 행사 물품 구매", "goods", "부산광역시", 30_000_000, 400, 2),
    ("R26BK00000006", "정보시스템 유지관리 용역", "services", "국세청", 700_000_000, -5, 9),
    ("R26BK00000007", "LED 조명 교체 물품 구매", "goods", "조달청", 60_000_000, -50, 12),
    ("R26BK00000008", "하천 도로 청소 차량 임차", "services", "인천광역시", None, 24, 1),
    ("R26BK00000009", "빅데이터 분석 플랫폼 구축", "services", "한국도로공사", 1_500_000_000, 300, 4),
    ("R26BK00000010", "취소된 전기 공사", "construction", "대전광역시", 200_000_000, 100, 6),
]
for i in range(11, 71):  # enough rows to page through
    NOTICES.append(
        (f"R26BK{i:08d}", f"기타 물품 구매 {i}호", "goods", "조달청", 10_000_000 * i, 24 * (i % 9) + 1, i % 7)
    )


def notices_frame() -> pl.DataFrame:
    rows = []
    for no, title, category, agency, price, close_h, reg_days in NOTICES:
        registered = NOW - dt.timedelta(days=reg_days, hours=1)
        rows.append(
            {
                "notice_no": no,
                "notice_order": "001" if no.endswith("1") else "000",
                "revision_key": "x",
                "category": category,
                "notice_kind": "정정공고" if no.endswith("1") else "등록공고",
                "is_cancelled": "취소" in title,
                "title": title,
                "notice_agency_name": agency,
                "demand_agency_name": agency,
                "estimated_price": price,
                "budget_amount": int(price * 1.1) if price else None,
                "registered_at": registered,
                "bid_close_at": NOW + dt.timedelta(hours=close_h),
                "opening_at": NOW + dt.timedelta(hours=close_h + 1),
                "lower_limit_rate": 87.745,
                "detail_url": f"https://www.g2b.go.kr/link/{no}",
                "attachment_names": "공고서.hwp | 과업지시서.pdf",
                "change_reason": "기초금액 변경" if no.endswith("1") else None,
            }
        )
    schema = {
        "registered_at": pl.Datetime("us"),
        "bid_close_at": pl.Datetime("us"),
        "opening_at": pl.Datetime("us"),
        "estimated_price": pl.Int64,
        "budget_amount": pl.Int64,
        "change_reason": pl.String,
    }
    return pl.DataFrame(rows, schema_overrides=schema)


def profile(name: str, business_no: str, token: str, plan: str, sido: str) -> profile_files.CompanyProfile:
    return profile_files.CompanyProfile(
        name=name,
        business_no=business_no,
        location={"sido": sido},
        categories=["services", "goods", "construction"],
        plan=plan,
        api_token_hash=token_hash(token),
    )


def build(engine: Engine) -> None:
    warehouse.migrate(engine)
    notices = notices_frame()
    writes = [TableWrite("bid_notices", notices, key=["notice_no"])]
    writes.append(
        TableWrite(
            "notice_base_amounts",
            pl.DataFrame(
                [
                    {
                        "notice_no": "R26BK00000001",
                        "notice_order": "000",
                        "category": "services",
                        "base_amount": 170_000_000,
                        "reserve_range_low_pct": -2.0,
                        "reserve_range_high_pct": 2.0,
                        "registered_at": NOW - dt.timedelta(days=3),
                    },
                    {
                        "notice_no": "R26BK00000001",
                        "notice_order": "001",
                        "category": "services",
                        "base_amount": 175_000_000,
                        "reserve_range_low_pct": -2.0,
                        "reserve_range_high_pct": 2.0,
                        "registered_at": NOW - dt.timedelta(days=1),
                    },
                ]
            ),
            key=["notice_no", "notice_order"],
        )
    )
    writes.append(
        TableWrite(
            "notice_license_limits",
            pl.DataFrame(
                [
                    {
                        "notice_no": "R26BK00000003",
                        "notice_order": "000",
                        "group_no": 1,
                        "seq_no": 1,
                        "license_name": "전기공사업",
                        "license_code": "0037",
                        "license_limit_raw": "전기공사업/0037",
                    },
                ]
            ),
            key=["notice_no", "notice_order", "group_no", "seq_no"],
        )
    )
    writes.append(
        TableWrite(
            "notice_region_limits",
            pl.DataFrame(
                [
                    {
                        "notice_no": "R26BK00000002",
                        "notice_order": "000",
                        "seq_no": 1,
                        "region_name": "경기도",
                        "sido": "경기도",
                    },
                    {
                        "notice_no": "R26BK00000003",
                        "notice_order": "000",
                        "seq_no": 1,
                        "region_name": "경기도 수원시",
                        "sido": "경기도",
                        "sigungu": "수원시",
                    },
                ]
            ),
            key=["notice_no", "notice_order", "seq_no"],
        )
    )
    warehouse.write(engine, writes, partition_date=DAY)
    warehouse.write(
        engine,
        [
            TableWrite(
                "notice_detail_fetches",
                pl.DataFrame(
                    [
                        {
                            "partition_date": d,
                            "license_limits_complete": True,
                            "region_limits_complete": True,
                            "base_amounts_complete": True,
                            "fetched_at": NOW,
                        }
                        for d in sorted({r.date() for r in notices["registered_at"]})
                    ]
                ),
                key=["partition_date"],
                replace="rows",
            )
        ],
    )
    warehouse.write(
        engine,
        [
            TableWrite(  # bid_results is a view over the per-opening outcomes
                "bid_outcomes",
                pl.DataFrame(
                    [
                        {
                            "opening_partition_date": DAY,
                            "notice_missing": False,
                            "notice_no": "R26BK00000007",
                            "notice_order": "000",
                            "bid_class_no": "0",
                            "rebid_no": "0",
                            "category": "goods",
                            "opened_at": NOW - dt.timedelta(hours=48),
                            "opening_status": "개찰완료",
                            "participant_count": 12,
                            "bidder_count": 3,
                            "base_amount": 60_000_000,
                            "planned_price": 59_800_000,
                            "assessment_rate_pct": 99.667,
                            # The award names its winner by 사업자등록번호: rank 2, which bears rank 1's name too.
                            "winner_name": "빛나라조명",
                            "winner_business_no": WINNER_BUSINESS_NO,
                            "winner_rank": 2,
                            "winning_amount": 52_500_002,
                            "winning_rate_pct": 87.79,
                            "missing": None,
                        },
                        {  # a 재입찰 of the same notice: G2B counted 340 bidders, their list is not crawled yet
                            "opening_partition_date": DAY,
                            "notice_missing": False,
                            "notice_no": "R26BK00000007",
                            "notice_order": "000",
                            "bid_class_no": "0",
                            "rebid_no": "1",
                            "category": "goods",
                            "opened_at": NOW - dt.timedelta(hours=47),
                            "opening_status": "개찰완료",
                            "participant_count": 340,
                            "missing": "award,bidders",
                        },
                        {  # an opening of a notice registered before the crawled days (not in bid_notices)
                            "opening_partition_date": DAY,
                            "notice_missing": True,
                            "notice_no": "R25BK09999999",
                            "notice_order": "000",
                            "bid_class_no": "0",
                            "rebid_no": "0",
                            "category": "services",
                            "opened_at": NOW - dt.timedelta(hours=30),
                            "opening_status": "개찰완료",
                            "participant_count": 5,
                            "missing": "notice,bidders",
                        },
                    ],
                    schema_overrides={"bidder_count": pl.Int64, "winner_rank": pl.Int64, "missing": pl.String},
                ),
                key=["notice_no", "notice_order", "bid_class_no", "rebid_no"],
                replace="rows",
            ),
            TableWrite(
                "bid_result_bidders",
                pl.DataFrame(
                    [
                        {
                            "notice_no": "R26BK00000007",
                            "notice_order": "000",
                            "bid_class_no": "0",
                            "rebid_no": "0",
                            "business_no": f"11111111{i:02d}",
                            "rank": i,
                            "company_name": "빛나라조명" if i < 3 else f"업체{i}",
                            "bid_amount": 52_500_000 + i,
                            "bid_rate_pct": 87.79,
                        }
                        for i in range(1, 4)
                    ]
                ),
                key=["notice_no", "notice_order", "bid_class_no", "rebid_no", "business_no"],
            ),
        ],
        partition_date=DAY,
    )

    companies = {
        "hanbit": profile("한빛소프트웨어(주)", "2208162517", TOKENS["hanbit"], "pro", "서울특별시"),
        "daesung": profile("대성전력(주)", "1358123458", TOKENS["daesung"], "free", "경기도"),
    }
    profiles_rows = [
        {
            "company_id": cid,
            "file_name": f"{cid}.yaml",
            "name": p.name,
            "data_hash": "0" * 64,
            "is_valid": True,
            "profile_json": profile_files.profile_to_json(p),
            "loaded_at": NOW,
        }
        for cid, p in companies.items()
    ]
    # hard_matches keeps one reason code per rule (0: pass; bidradar/matching/explain.py renders the text)
    rules = ["license", "region", "amount", "sme", "category", "keyword", "deadline", "record"]
    hard_rows, soft_rows = [], []
    pairs = {
        "hanbit": [
            "R26BK00000001",
            "R26BK00000004",
            "R26BK00000006",
            "R26BK00000009",
            "R26BK00000008",
            "R26BK00000005",
        ],
        "daesung": ["R26BK00000002", "R26BK00000003", "R26BK00000007"],
    }
    for cid, nos in pairs.items():
        for rank, no in enumerate(nos, start=1):
            verdict = {"R26BK00000008": "unknown", "R26BK00000005": "conditional"}.get(no, "eligible")
            hard_rows.append(
                {
                    "company_id": cid,
                    "notice_no": no,
                    "notice_order": "000",
                    "category": "services",
                    **{f"{r}_reason": 0 for r in rules},
                    **({"region_reason": 21} if verdict == "unknown" else {}),
                    # 지역의무공동도급: may bid with a partner of the duty region (explain.REASONS["joint"][30]).
                    "joint_reason": 30 if verdict == "conditional" else 0,
                    "joint_detail": "부산광역시 40%" if verdict == "conditional" else None,
                    "verdict": verdict,
                }
            )
            soft_rows.append(
                {
                    "company_id": cid,
                    "notice_no": no,
                    "score": 90.0 - rank,  # the reader ranks by score: rank as listed
                    "hard_verdict": verdict,
                    "matched_terms": "정보시스템,홈페이지",
                    "scorer": "test",
                    "as_of": NOW,
                    "evaluated_at": NOW,
                    "top_k": 50,
                    "inputs_fingerprint": "test",
                }
            )
    analysis = {
        "company_id": "hanbit",
        "notice_no": "R26BK00000004",
        "input_hash": "0" * 64,
        "source": "local",
        "label_ko": "로컬 분석",
        "model": None,
        "summary_ko": "홈페이지 고도화 사업으로 실적과 맞습니다.",
        "key_requirements": json.dumps(["소프트웨어사업자"], ensure_ascii=False),
        "eligibility_concerns": "[]",
        "risks": json.dumps(["짧은 사업 기간"], ensure_ascii=False),
        "effort_estimate": "중간",
        "decision": "go",
        "decision_reasons": "[]",
        "fit_score": 82,
        "analysed_at": NOW,
    }
    schema_dt = {"as_of": pl.Datetime("us"), "evaluated_at": pl.Datetime("us")}
    # A Free company's analysis row (e.g. from before it left Pro): the API must not show it.
    free_analysis = {**analysis, "company_id": "daesung", "notice_no": "R26BK00000003", "summary_ko": "FREE-HIDDEN"}
    warehouse.write(
        engine,
        [
            TableWrite("company_profiles", pl.DataFrame(profiles_rows), key=["company_id"], replace="table"),
            TableWrite(
                "hard_matches",
                pl.DataFrame(hard_rows),
                key=["company_id", "notice_no"],
                replace="table",
            ),
            TableWrite(
                "soft_matches",
                pl.DataFrame(soft_rows, schema_overrides=schema_dt),
                key=["company_id", "notice_no"],
                replace="table",
            ),
            TableWrite(
                "match_analyses",
                pl.DataFrame([analysis, free_analysis], schema_overrides={"model": pl.String}),
                key=["company_id", "notice_no"],
                replace="table",
            ),
        ],
    )


def csrf_token(page: Any) -> str:
    """The CSRF token a dashboard page put in its forms (the client keeps the matching cookie)."""
    import re

    found = re.search(r'name="csrf" value="([A-Za-z0-9_-]+)"', page.text)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on an ephemeral loopback port in a thread; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    from serving.api.main import SERVER_OPTIONS

    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False, **SERVER_OPTIONS)  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def reader_url(database_url: str) -> str:
    """The test database's URL as the API's read-only role of migration 0011 (SQLite: the same file)."""
    if not database_url.startswith("postgresql"):
        return database_url
    parts = urllib.parse.urlsplit(database_url)
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=f"bidradar_reader@{host}"))


@contextmanager
def served_warehouse(database_url: str, **settings: Any) -> Iterator[tuple[str, Any]]:
    """A warehouse built with `build`, served by the API as its read-only role: (base URL, app)."""
    from bidradar.core.settings import ApiSettings, load_settings
    from serving.api import create_app

    engine = warehouse.make_engine(database_url)
    build(engine)
    engine.dispose()
    app = create_app(
        load_settings(ApiSettings, database_url=database_url, api_database_url=reader_url(database_url), **settings),
        now=lambda: NOW,
    )
    with serve(app) as url:
        yield url, app
    app.state.warehouse.engine.dispose()
