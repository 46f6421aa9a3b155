"""Issue 27 items 1-3 over HTTP against the real app: every verdict with its Korean reasons, the board's counts
leading to lists that page (by keyset) through every match, the results of an opening (every bidder, the winner by
사업자등록번호, what is not crawled yet), and /api/stats counted consistently, each count against an independent one
computed here from the test data."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import polars as pl
import pytest

from bidradar.core import warehouse
from bidradar.core.warehouse import TableWrite
from tests import serving_data
from tests.serving_data import NOTICES, NOW, TOKENS, WINNER_BUSINESS_NO

RULES = ["license", "region", "amount", "sme", "category", "keyword", "deadline", "record"]
# Unranked matches (no soft_matches row) of hanbit on notices 11..70: many share a close time (24 * (i % 9) + 1
# hours), so a page boundary falls inside ties of the sort key (rank, close) and only notice_no breaks them.
EXTRA = [f"R26BK{i:08d}" for i in range(11, 71)]


def _extra_matches(database_url: str) -> None:
    engine = warehouse.make_engine(database_url)
    rows = [
        {
            "company_id": "hanbit",
            "notice_no": no,
            "notice_order": "000",
            "category": "goods",
            **{f"{r}_reason": 0 for r in RULES},
            "joint_reason": 0,
            "verdict": "unknown" if int(no[-2:]) % 4 == 0 else "eligible",
            **({"region_reason": 21} if int(no[-2:]) % 4 == 0 else {}),
        }
        for no in EXTRA
    ]
    warehouse.write(
        engine, [TableWrite("hard_matches", pl.DataFrame(rows), key=["company_id", "notice_no"], replace="rows")]
    )
    engine.dispose()


@pytest.fixture
def api(database_url: str) -> Iterator[httpx.Client]:
    with serving_data.served_warehouse(database_url) as (url, _app):
        _extra_matches(database_url)
        with httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {TOKENS['hanbit']}"}) as client:
            yield client


def _close(no: str) -> dt.datetime:
    hours = next(n[5] for n in NOTICES if n[0] == no)
    return NOW + dt.timedelta(hours=hours)


def _pages(api: httpx.Client, **params: object) -> tuple[list[dict], int, int]:
    seen, cursor, pages, total = [], None, 0, None
    while True:
        page = api.get("/api/companies/me/matches", params={**params, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        assert total in (None, body["total"])
        total = body["total"]
        seen += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, total, pages


def test_the_match_list_pages_through_every_match_once_in_order(api: httpx.Client) -> None:
    seen, total, pages = _pages(api, limit=7)
    nos = [m["notice_no"] for m in seen]
    # hanbit: 6 hand-written pairs (R26BK00000005 conditional) + 60 unranked, all not cancelled.
    assert len(nos) == len(set(nos)) == total == 66 and pages == 10
    rank = {m["notice_no"]: m["rank"] for m in seen}
    expected = sorted(nos, key=lambda no: (rank[no] if rank[no] is not None else 10**9, _close(no), no))
    assert nos == expected
    # Every verdict carries its Korean reasons, the conditional one included.
    by_no = {m["notice_no"]: m for m in seen}
    assert by_no["R26BK00000005"]["summary_ko"].startswith("조건부: 지역의무공동도급(부산광역시 40%)")
    assert by_no["R26BK00000008"]["summary_ko"].startswith("확인 필요: ")
    assert all(re.match(r"(참가 가능|조건부|확인 필요)(: \S|$)", m["summary_ko"]) for m in seen)
    # A cursor of another list is refused.
    notice_cursor = api.get("/api/notices", params={"limit": 1}).json()["next_cursor"]
    bad = api.get("/api/companies/me/matches", params={"cursor": notice_cursor})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "cursor"


def test_board_counts_lead_to_lists_of_exactly_that_many(api: httpx.Client) -> None:
    board = api.get("/api/board", params={"per_stage": 2}).json()
    assert board["total"] == 66 == sum(c["count"] for c in board["columns"])
    assert sum(v["count"] for v in board["verdict_counts"]) == 66
    for column in board["columns"]:
        listed, total, _ = _pages(api, stage=column["stage"], limit=50)
        assert total == column["count"] == len(listed), column["stage"]
        assert {m["stage"] for m in listed} <= {column["stage"]}
        assert [m["notice_no"] for m in column["items"]] == [m["notice_no"] for m in listed[:2]]
    for count in board["verdict_counts"]:
        listed, total, _ = _pages(api, verdict=count["verdict"], limit=50)
        assert total == count["count"] == len(listed) and {m["verdict"] for m in listed} <= {count["verdict"]}
    expected_conditional = 1
    assert next(v["count"] for v in board["verdict_counts"] if v["verdict"] == "conditional") == expected_conditional
    # Filters: category and a close-date range (a date alone is its whole day, KST).
    services, _, _ = _pages(api, category="services")
    assert {m["notice_no"] for m in services} == {
        "R26BK00000001",
        "R26BK00000004",
        "R26BK00000006",
        "R26BK00000008",
        "R26BK00000009",
    }
    day = (NOW + dt.timedelta(hours=25)).date()
    dated, _, _ = _pages(api, deadline_from=day.isoformat(), deadline_to=day.isoformat())
    independent = {
        no
        for no in [
            "R26BK00000001",
            "R26BK00000004",
            "R26BK00000005",
            "R26BK00000006",
            "R26BK00000008",
            "R26BK00000009",
            *EXTRA,
        ]
        if _close(no).date() == day
    }
    assert independent and {m["notice_no"] for m in dated} == independent
    filtered = api.get("/api/board", params={"category": "services"}).json()
    assert filtered["total"] == 5


def test_the_dashboard_pages_every_match_from_the_board(api: httpx.Client) -> None:
    csrf = serving_data.csrf_token(api.get("/signin"))
    assert api.post("/signin", data={"token": TOKENS["hanbit"], "csrf": csrf}).status_code == 303
    board = api.get("/board").text
    links = dict(re.findall(r'<a class="count" href="([^"]+)" data-testid="stage-count">(\d+)건</a>', board))
    assert len(links) == 5
    for href, count in links.items():
        href = href.replace("&amp;", "&")
        seen: list[str] = []
        while href:
            page = api.get(href)
            assert page.status_code == 200
            seen += re.findall(
                r'<article class="card" data-testid="match">\s*<a href="/notices/([A-Z0-9]+)"', page.text
            )
            found = re.search(r'<a class="more" href="([^"]+)" data-testid="next-page">', page.text)
            href = found.group(1).replace("&amp;", "&") if found else None
        assert len(seen) == len(set(seen)) == int(count), href
    # The biggest column ends in a link to all of it, and every card says why.
    assert "모두 보기" in board and 'data-testid="stage-more"' in board
    reasons = re.findall(r'data-testid="verdict-reasons">(.*?)</p>', board)
    assert reasons and all(re.match(r"(참가 가능|조건부|확인 필요)(: \S|$)", r) for r in reasons)
    assert "조건부: 지역의무공동도급" in board
    # Verdict counts link to their lists; an unknown filter is named, in Korean.
    assert "/matches?verdict=conditional" in board
    bad = api.get("/matches", params={"verdict": "eligible2"})
    assert bad.status_code == 400 and "자격 판정 값이 올바르지 않습니다" in bad.text
    # One word per concept: no English verdicts, no second word for the relevance score.
    for text in (board, api.get("/matches").text, api.get("/notices/R26BK00000005").text):
        assert "적합도" not in text and "eligible" not in re.sub(r"<[^>]*>", "", text)


def test_results_every_bidder_the_winner_by_business_number_and_what_is_not_crawled(api: httpx.Client) -> None:
    detail = api.get("/api/notices/R26BK00000007").json()
    first, rebid = detail["results"]
    assert [b["rank"] for b in first["bidders"]] == [1, 2, 3]
    # Two bidders are named 빛나라조명; the award's 사업자등록번호 picks rank 2.
    assert [b["business_no"] for b in first["bidders"] if b["is_winner"]] == [WINNER_BUSINESS_NO]
    assert [b["rank"] for b in first["bidders"] if b["company_name"] == "빛나라조명"] == [1, 2]
    assert rebid["participant_count"] == 340 and rebid["bidders"] is None and not rebid["awarded"]
    page = api.get("/notices/R26BK00000007").text
    assert page.count('data-testid="winner-row"') == 1
    winner_row = re.search(r'<tr class="current" data-testid="winner-row"><td>(\d+)</td>', page)
    assert winner_row and winner_row.group(1) == "2"
    assert "참가업체 목록 수집 전 (G2B 집계 참가업체 340개사)" in page and "낙찰자 발표 전" in page
    # Closed, not opened yet: said plainly; open: the opening time to come.
    assert "개찰 결과 수집 전" in api.get("/notices/R26BK00000006").text
    assert "개찰 전 (개찰 예정" in api.get("/notices/R26BK00000009").text
    # One registration date on the page.
    assert api.get("/notices/R26BK00000001").text.count('data-testid="registered"') == 1


def test_stats_count_consistently(api: httpx.Client) -> None:
    stats = api.get("/api/stats").json()
    # Independent counts from the test data (serving_data.NOTICES and its openings).
    cancelled = {n[0] for n in NOTICES if "취소" in n[1]}
    opened = {"R26BK00000007"} - cancelled
    closed = {n[0] for n in NOTICES if n[5] <= 0} - cancelled - opened
    open_ = {n[0] for n in NOTICES} - cancelled - opened - closed
    midnight = dt.datetime.combine(NOW.date() + dt.timedelta(days=1), dt.time())
    assert stats["notices"] == len(NOTICES) == 70
    assert stats["open_notices"] == len(open_) and stats["closed_notices"] == len(closed)
    assert stats["notices_with_results"] == len(opened) and stats["cancelled_notices"] == len(cancelled)
    assert (
        stats["open_notices"] + stats["closed_notices"] + stats["notices_with_results"] + stats["cancelled_notices"]
        == stats["notices"]
    )
    assert stats["notices_with_results"] <= stats["notices"]
    assert stats["closing_today"] == sum(1 for no in open_ if _close(no) < midnight)
    by_category = {c: sum(1 for n in NOTICES if n[0] in open_ and n[2] == c) for c in stats["open_by_category"]}
    assert stats["open_by_category"] == by_category
    assert stats["openings"] == 3 and stats["openings_of_unknown_notices"] == 1  # R25BK09999999
    # The list's status filter agrees with each count.
    for status, key in (
        ("open", "open_notices"),
        ("closed", "closed_notices"),
        ("opened", "notices_with_results"),
        ("cancelled", "cancelled_notices"),
    ):
        listed = api.get("/api/notices", params={"status": status, "limit": 200}).json()["items"]
        assert len(listed) == stats[key], status


def test_a_close_date_alone_means_that_whole_day(api: httpx.Client) -> None:
    day = (NOW + dt.timedelta(days=1)).date()
    listed = api.get(
        "/api/notices", params={"deadline_from": day.isoformat(), "deadline_to": day.isoformat(), "limit": 200}
    )
    independent = {n[0] for n in NOTICES if _close(n[0]).date() == day}
    assert independent and {i["notice_no"] for i in listed.json()["items"]} == independent
    page = api.get("/", params={"deadline_from": day.isoformat(), "deadline_to": day.isoformat(), "status": "all"})
    assert page.text.count('data-testid="notice-link"') == len(independent)


def test_the_cancelled_count_can_use_its_partial_index(database_url: str) -> None:
    """Migration 0028's partial index serves the condition as SQLAlchemy renders it on each backend (SQLite uses a
    partial index only when the query names its condition: `is_cancelled = 1` there, `is_cancelled` on PostgreSQL)."""
    import sqlalchemy as sa

    from serving.api import db

    engine = warehouse.make_engine(database_url)
    serving_data.build(engine)
    query = sa.select(sa.func.count()).select_from(db.bid_notices).where(db.bid_notices.c.is_cancelled)
    with engine.connect() as conn:
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")  # 70 rows: the planner would rather scan
            plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql))
        else:
            plan = "\n".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
        assert "bid_notices_cancelled" in plan, plan
        assert conn.execute(query).scalar_one() == sum(1 for n in NOTICES if "취소" in n[1])
    engine.dispose()
