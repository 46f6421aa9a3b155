"""The read-only API over HTTP, against a real uvicorn server, on SQLite and on PostgreSQL (as the read-only
role of migration 0011)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import polars as pl
import pytest
import sqlalchemy as sa

from bidradar.core import warehouse
from bidradar.core.warehouse import TableWrite
from serving.api import db, queries
from tests import serving_data
from tests.serving_data import NOW, TOKENS


@pytest.fixture
def api(database_url: str) -> Iterator[httpx.Client]:
    with serving_data.served_warehouse(database_url) as (url, _app), httpx.Client(base_url=url, timeout=30) as client:
        yield client


def auth(company: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[company]}"}


def numbers(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["notice_no"] for item in response.json()["items"]]


def test_korean_search_serves_two_syllable_words_and_checks_longer_ones(api: httpx.Client) -> None:
    # 청소 is one bigram: every notice with it in its title, whatever the status.
    assert sorted(numbers(api.get("/api/notices", params={"q": "청소"}))) == [
        "R26BK00000001",
        "R26BK00000004",
        "R26BK00000005",
        "R26BK00000008",
    ]
    # 청소년 = 청소 + 소년: "청소 소년단" holds both bigrams, but not the word.
    assert numbers(api.get("/api/notices", params={"q": "청소년"})) == ["R26BK00000004"]
    # Two words: both must appear (도로 alone is also in 한국도로공사, an agency name).
    assert numbers(api.get("/api/notices", params={"q": "도로 청소"})) == ["R26BK00000008"]
    assert "R26BK00000009" in numbers(api.get("/api/notices", params={"q": "도로"}))
    assert numbers(api.get("/api/notices", params={"q": "led"})) == ["R26BK00000007"]
    assert numbers(api.get("/api/notices", params={"q": "없는말"})) == []
    # One syllable has no bigram: still answered (by the substring check alone).
    assert "R26BK00000002" in numbers(api.get("/api/notices", params={"q": "로"}))


def test_filters(api: httpx.Client) -> None:
    get = lambda **params: set(numbers(api.get("/api/notices", params={"limit": 200, **params})))  # noqa: E731
    assert get(status="opened") == {"R26BK00000007"}
    assert get(status="closed") == {"R26BK00000006"}
    assert get(status="cancelled") == {"R26BK00000010"}
    assert len(get(status="open")) == 67
    assert get(category="construction") == {"R26BK00000002", "R26BK00000003", "R26BK00000010"}
    assert get(region="경기도") == {"R26BK00000002", "R26BK00000003"}
    assert get(agency="수원") == {"R26BK00000002", "R26BK00000003"}
    assert get(amount_min=1_000_000_000) == {"R26BK00000009"}
    assert get(amount_max=60_000_000) == {"R26BK00000005", "R26BK00000007"}
    assert get(deadline_from="2026-03-10T12:00:00", deadline_to="2026-03-10T13:00:00") == {
        f"R26BK{i:08d}" for i in range(18, 71, 9)
    }
    assert get(q="공사", category="construction", status="open") == {"R26BK00000002", "R26BK00000003"}


@pytest.mark.parametrize("sort", ["registered_desc", "close_asc", "price_desc"])
def test_keyset_paging_visits_every_notice_once_in_order(api: httpx.Client, sort: str) -> None:
    seen, cursor, pages = [], None, 0
    while True:
        params = {"sort": sort, "limit": 7, **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/notices", params=params).json()
        seen += page["items"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 10 and len({item["notice_no"] for item in seen}) == len(serving_data.NOTICES) == len(seen)
    key = {
        "registered_desc": lambda i: (i["registered_at"], i["notice_no"]),
        "close_asc": lambda i: (i["bid_close_at"] or "9999", i["notice_no"]),
        "price_desc": lambda i: (i["estimated_price"] if i["estimated_price"] is not None else -1, i["notice_no"]),
    }[sort]
    assert seen == sorted(seen, key=key, reverse=sort != "close_asc")


def test_notice_detail(api: httpx.Client) -> None:
    detail = api.get("/api/notices/R26BK00000001").json()
    assert detail["notice"]["title"] == "2026년 본관 청소용역" and detail["status"] == "open"
    assert detail["g2b_url"].endswith("R26BK00000001") and detail["attachments"] == ["공고서.hwp", "과업지시서.pdf"]
    assert detail["base_amount"]["base_amount"] == 175_000_000  # the current 차수's 기초금액
    assert [r["notice_order"] for r in detail["revisions"]] == ["000", "001"]
    assert detail["revisions"][1]["is_current"] and detail["revisions"][1]["change_reason"] == "기초금액 변경"
    assert detail["company"] is None
    limited = api.get("/api/notices/R26BK00000003").json()
    assert limited["license_limits"][0]["license_code"] == "0037" and limited["region_limits"][0]["sigungu"] == "수원시"
    # One registration date (the notice's); a 차수 row carries no date of its own.
    assert "registered_at" not in detail["revisions"][0]
    assert api.get("/api/notices/R26BK99999999").status_code == 404


def test_a_token_sees_only_its_own_company(api: httpx.Client) -> None:
    hanbit = api.get("/api/companies/me/matches", headers=auth("hanbit")).json()
    daesung = api.get("/api/companies/me/matches", headers=auth("daesung")).json()
    assert hanbit["company_id"] == "hanbit" and daesung["company_id"] == "daesung"
    hanbit_nos = {m["notice_no"] for m in hanbit["items"]}
    daesung_nos = {m["notice_no"] for m in daesung["items"]}
    assert hanbit_nos and daesung_nos and not hanbit_nos & daesung_nos
    board = api.get("/api/board", headers=auth("daesung")).json()
    assert {m["notice_no"] for c in board["columns"] for m in c["items"]} == daesung_nos
    # Another company's notice, seen with hanbit's token: the public notice, none of daesung's verdicts.
    view = api.get("/api/notices/R26BK00000003", headers=auth("hanbit")).json()["company"]
    assert view["company_id"] == "hanbit" and view["eligibility"] is None and view["relevance"] is None
    assert view["analysis"] is None
    # No token, a wrong token, a token with another's hash prefix: nothing.
    assert api.get("/api/board").status_code == 401
    assert api.get("/api/companies/me/matches", headers={"Authorization": "Bearer nope"}).status_code == 401
    wrong = api.get("/api/notices/R26BK00000003", headers={"Authorization": f"Bearer {TOKENS['daesung']}x"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    # The token is never accepted from a query string.
    assert api.get("/api/board", params={"token": TOKENS["hanbit"]}).status_code == 401


def test_plan_gating_and_company_view(api: httpx.Client) -> None:
    pro = api.get("/api/notices/R26BK00000004", headers=auth("hanbit")).json()["company"]
    assert pro["plan"] == "pro" and pro["eligibility"]["verdict"] == "eligible"
    assert pro["relevance"]["rank"] == 2 and pro["analysis"]["fit_score"] == 82 and pro["plan_note"] is None
    free = api.get("/api/notices/R26BK00000003", headers=auth("daesung")).json()["company"]
    assert free["plan"] == "free" and free["eligibility"]["verdict_ko"] == "참가 가능"
    assert free["analysis"] is None and free["recommendation"] is None and "Pro" in free["plan_note"]
    assert "FREE-HIDDEN" not in api.get("/api/notices/R26BK00000003", headers=auth("daesung")).text


def test_board_stages(api: httpx.Client) -> None:
    board = api.get("/api/board", headers=auth("hanbit")).json()
    stages = {c["stage"]: [m["notice_no"] for m in c["items"]] for c in board["columns"]}
    assert list(stages) == ["new", "open", "closing", "closed", "opened"]
    assert stages["closed"] == ["R26BK00000006"]  # closed 5 hours ago, no result yet
    assert sorted(stages["closing"]) == ["R26BK00000001", "R26BK00000008"]  # within 3 days
    assert stages["new"] == ["R26BK00000004"] and stages["open"] == ["R26BK00000009", "R26BK00000005"]
    daesung = api.get("/api/board", headers=auth("daesung")).json()
    assert [m["notice_no"] for c in daesung["columns"] if c["stage"] == "opened" for m in c["items"]] == [
        "R26BK00000007"
    ]


def test_validation_errors_name_the_field(api: httpx.Client) -> None:
    for params, field in [
        ({"limit": 500}, "limit"),
        ({"category": "weapons"}, "category"),
        ({"amount_min": -1}, "amount_min"),
        ({"deadline_from": "어제"}, "deadline_from"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"q": "a\x00b"}, "q"),
    ]:
        response = api.get("/api/notices", params=params)
        assert response.status_code == 422, params
        assert response.json()["detail"][0]["loc"][-1] == field
    # A cursor of one sort order is refused by another.
    cursor = api.get("/api/notices", params={"limit": 1}).json()["next_cursor"]
    assert api.get("/api/notices", params={"limit": 1, "cursor": cursor, "sort": "price_desc"}).status_code == 422
    assert api.get("/api/notices/bad%20no").status_code == 422


def test_operations_endpoints_and_headers(api: httpx.Client) -> None:
    assert api.get("/healthz").json()["status"] == "ok"
    response = api.get("/api/notices")
    for header in ("x-content-type-options", "x-frame-options", "content-security-policy", "referrer-policy"):
        assert header in response.headers
    etag = response.headers["etag"]
    assert api.get("/api/notices", headers={"If-None-Match": etag}).status_code == 304
    assert "bidradar_api_requests" in api.get("/metrics").text
    assert api.get("/openapi.json").json()["paths"]["/api/notices"]
    assert api.get("/docs").status_code == 200 and "swagger" in api.get("/docs").text.lower()
    assert api.post("/signin", content=b"x" * 100_000).status_code == 413


def test_dashboard_pages_over_http(api: httpx.Client) -> None:
    page = api.get("/", params={"q": "청소년"})
    assert page.status_code == 200 and "청소년수련관 홈페이지 고도화" in page.text and "기타 물품" not in page.text
    rows = api.get("/partials/notices", params={"q": "청소", "status": "all"})
    assert rows.text.count('data-testid="notice-link"') == 4 and "<html" not in rows.text
    assert "면허 제한" in api.get("/notices/R26BK00000003").text
    assert api.get("/notices/NOPE").status_code == 404
    assert api.get("/board").status_code == 303
    csrf = serving_data.csrf_token(api.get("/signin"))
    bad = api.post("/signin", data={"token": "wrong", "csrf": csrf})
    assert bad.status_code == 401
    signed = api.post("/signin", data={"token": TOKENS["daesung"], "next": "https://evil.example/", "csrf": csrf})
    assert signed.status_code == 303 and signed.headers["location"] == "/board"
    cookie = next(c for c in signed.headers.get_list("set-cookie") if c.startswith("bidradar_session=")).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and TOKENS["daesung"].lower() not in cookie
    board = api.get("/board")  # the client keeps the cookie
    assert board.status_code == 200 and "대성전력(주) 보드" in board.text and "마감 임박" in board.text
    detail = api.get("/notices/R26BK00000003")
    assert "참가 가능" in detail.text and "Pro 플랜" in detail.text and "FREE-HIDDEN" not in detail.text


def test_rate_limit_and_cors(database_url: str) -> None:
    settings = {"api_rate_limit": "5/minute", "api_cors_origins": ["https://bids.example.co.kr"]}
    with serving_data.served_warehouse(database_url, **settings) as (url, _app), httpx.Client(base_url=url) as client:
        allowed = client.get("/api/stats", headers={"Origin": "https://bids.example.co.kr"})
        assert allowed.headers["access-control-allow-origin"] == "https://bids.example.co.kr"
        other = client.get("/api/stats", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        statuses = [client.get("/api/stats").status_code for _ in range(5)]
        assert 429 in statuses and client.get("/healthz").status_code == 200


def test_a_page_reads_one_snapshot_while_a_run_writes(database_url: str) -> None:
    """A reader inside its snapshot keeps seeing the run it started with, while another run commits."""
    engine = warehouse.make_engine(database_url)
    serving_data.build(engine)
    reader = db.Warehouse(serving_data.reader_url(database_url))
    notices = serving_data.notices_frame()
    frame = pl.concat([notices, notices.head(1).with_columns(pl.lit("R26BK99999999").alias("notice_no"))])
    run = [TableWrite("bid_notices", frame, key=["notice_no"])]
    count = sa.select(sa.func.count()).select_from(db.bid_notices)
    with reader.snapshot() as conn:
        before = conn.execute(count).scalar_one()
        errors: list[BaseException] = []

        def write_run() -> None:
            try:
                warehouse.write(engine, run, partition_date=serving_data.DAY)
            except BaseException as error:
                errors.append(error)

        writer = threading.Thread(target=write_run)
        writer.start()
        writer.join()
        assert not errors
        assert conn.execute(count).scalar_one() == before
    with reader.snapshot() as conn:
        assert conn.execute(count).scalar_one() == before + 1
        assert queries.list_notices(conn, queries.NoticeFilters(q="청소용역"), "registered_desc", 5, None, NOW)["items"]
    reader.engine.dispose()
    engine.dispose()


@pytest.mark.postgres
def test_the_api_role_cannot_write(postgres_url: str) -> None:
    engine = warehouse.make_engine(postgres_url)
    warehouse.migrate(engine)
    reader = warehouse.make_engine(serving_data.reader_url(postgres_url))
    with reader.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM bid_notices")).scalar_one() == 0
    for statement in ("DELETE FROM bid_notices", "CREATE TABLE x (i int)", "UPDATE table_versions SET version = 0"):
        with pytest.raises(sa.exc.DBAPIError), reader.begin() as conn:
            conn.execute(sa.text(statement))
    reader.dispose()
    engine.dispose()


def test_the_demo_makes_new_tokens_and_ships_none(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from bidradar.matching.profiles import load_profiles
    from orchestration.cli.data import demo_profiles

    shipped = Path(__file__).resolve().parents[1] / "profiles"
    assert all(p.profile.api_token_hash is None for p in load_profiles(shipped).profiles)
    tokens = demo_profiles(shipped, tmp_path / "demo")
    assert set(tokens) == {p.stem for p in shipped.glob("*.yaml")}
    made = load_profiles(tmp_path / "demo")
    assert not made.errors
    assert {p.company_id: p.profile.api_token_hash for p in made.profiles} == {
        company: serving_data.token_hash(token) for company, token in tokens.items()
    }
    again = demo_profiles(shipped, tmp_path / "demo")
    assert not set(again.values()) & set(tokens.values())  # every run its own


def test_the_api_refuses_to_start_with_a_public_token_hash(sqlite_url: str) -> None:
    """A Pi installed before issue 26 still has the demo profiles whose tokens were printed in the source."""
    from bidradar.core.settings import ApiSettings, load_settings
    from serving.api import create_app
    from serving.api.main import PublicTokenError

    engine = warehouse.make_engine(sqlite_url)
    serving_data.build(engine)
    printed = "demo-hanbit-soft-k7Qm2xRw9LpV"  # printed in orchestration/cli.py before issue 26
    public = serving_data.token_hash(printed)
    app = create_app(load_settings(ApiSettings, database_url=sqlite_url), now=lambda: NOW)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE company_profiles SET profile_json = replace(profile_json, :old, :new)"),
            {"old": serving_data.token_hash(TOKENS["hanbit"]), "new": public},
        )
        conn.execute(sa.text("UPDATE table_versions SET version = version + 1 WHERE table_name = 'company_profiles'"))
    engine.dispose()
    # Written while the API runs: the token opens nothing.
    with serving_data.serve(app) as url, httpx.Client(base_url=url) as client:
        assert client.get("/api/board", headers={"Authorization": f"Bearer {printed}"}).status_code == 401
    app.state.warehouse.engine.dispose()
    # And the next start refuses, naming the company and the fix.
    with pytest.raises(PublicTokenError, match=r"company hanbit: .*demo token printed in bidradar's source"):
        create_app(load_settings(ApiSettings, database_url=sqlite_url))


def test_matches_kept_as_reason_codes_are_read_too(sqlite_url: str) -> None:
    """hard_matches keeps one reason code per rule and no text: the API reads them through matching's reader."""
    engine = warehouse.make_engine(sqlite_url)
    serving_data.build(engine)
    rules = ["license", "region", "amount", "sme", "category", "keyword", "deadline", "record"]
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM hard_matches")
        conn.exec_driver_sql(
            "INSERT INTO hard_matches (company_id, notice_no, notice_order, category, bid_close_at, estimated_price, "
            "verdict, "
            + ", ".join(f"{r}_reason" for r in rules)
            + ", license_detail) VALUES ('daesung', 'R26BK00000003', '000', 'construction', NULL, 450000000, "
            "'unknown', 0, 21, 0, 0, 0, 0, 0, 0, '전기공사업')"
        )
    engine.dispose()
    from bidradar.core.settings import ApiSettings, load_settings
    from serving.api import create_app

    app = create_app(load_settings(ApiSettings, database_url=sqlite_url), now=lambda: NOW)
    with serving_data.serve(app) as url, httpx.Client(base_url=url) as client:
        view = client.get("/api/notices/R26BK00000003", headers=auth("daesung")).json()["company"]
        verdicts = {r["rule"]: r["verdict"] for r in view["eligibility"]["rules"]}
        assert verdicts["region"] == "unknown" and verdicts["license"] == "pass" and verdicts["record"] == "pass"
        assert view["eligibility"]["summary_ko"].startswith("확인 필요: 지역 제한 표시되었으나 지역 목록 없음")
        board = client.get("/api/board", headers=auth("daesung")).json()
        assert [m["notice_no"] for c in board["columns"] for m in c["items"]] == ["R26BK00000003"]
    app.state.warehouse.engine.dispose()
