"""The dashboard in a real browser: Debian's headless Chromium driven by Playwright (its own browser download is
not reachable, so executable_path points at /usr/bin/chromium). List → search as you type → filter → detail →
sign in → board, at phone width, with a screenshot of each step in SCREENSHOT_DIR (default
.bidradar/screenshots).

Skipped where Chromium is missing (a laptop); BIDRADAR_REQUIRE_BROWSER=1 (set by .ci/run) makes that a failure.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import serving_data

CHROMIUM = os.environ.get("BIDRADAR_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("BIDRADAR_REQUIRE_BROWSER") == "1"
SCREENSHOT_DIR = Path(
    os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[1] / ".bidradar" / "screenshots")
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """One Chromium for both backends (each test opens its own context, so no cookie or page is shared): a launch
    with Playwright's driver costs ~1.5 CPU-s."""
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
        if REQUIRE_BROWSER:
            pytest.fail(f"the browser tests are mandatory here (BIDRADAR_REQUIRE_BROWSER=1): {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def test_list_filter_detail_sign_in_board(browser, database_url: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    backend = database_url.split(":", 1)[0]
    shot = lambda page, name: page.screenshot(path=SCREENSHOT_DIR / f"{backend}-{name}.png", full_page=True)  # noqa: E731
    with serving_data.served_warehouse(database_url) as (url, _app):
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="ko-KR", is_mobile=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

        # The list opens on the notices still open.
        page.goto(url + "/")
        expect(page.get_by_role("heading", name="입찰 공고")).to_be_visible()
        links = page.get_by_test_id("notice-link")
        expect(links.first).to_be_visible()
        shot(page, "1-list")

        # Typing refreshes the list without a submit: 청소 matches the four open 청소 notices.
        page.get_by_test_id("search").press_sequentially("청소", delay=60)
        expect(links).to_have_count(4)
        assert "q=%EC%B2%AD%EC%86%8C" in page.url  # the address follows, so the view can be shared
        # A filter narrows it further.
        page.get_by_test_id("category").select_option("services")
        expect(links).to_have_count(3)
        expect(page.get_by_text("청소년수련관 홈페이지 고도화")).to_be_visible()
        shot(page, "2-search-filter")

        # The detail page.
        page.get_by_text("청소년수련관 홈페이지 고도화").click()
        expect(page.get_by_test_id("detail-title")).to_have_text("청소년수련관 홈페이지 고도화")
        expect(page.get_by_text("로그인하면 이 공고에 대한 참가 가능 여부")).to_be_visible()
        shot(page, "3-detail")

        # Sign in (a session id goes into an HttpOnly cookie), land on the board.
        page.get_by_test_id("nav-signin").click()
        page.get_by_test_id("token").fill(serving_data.TOKENS["hanbit"])
        page.get_by_test_id("signin-submit").click()
        expect(page.get_by_role("heading", name="한빛소프트웨어(주) 보드")).to_be_visible()
        board = page.get_by_test_id("board")
        for stage in ("신규(2일 이내 등록)", "진행 중", "마감 임박(3일 이내)", "마감(개찰 대기)", "개찰 완료"):
            expect(board.get_by_role("heading", name=stage)).to_be_visible()
        expect(board.locator("[data-stage=closed] .card")).to_have_count(1)
        # Every verdict with its Korean reasons, the conditional one too (지역의무공동도급).
        conditional = board.locator(".card", has_text="청소 소년단 행사 물품 구매")
        expect(conditional.locator(".badge.verdict-conditional")).to_have_text("조건부")
        expect(conditional.get_by_test_id("verdict-reasons")).to_have_text(
            re.compile(r"^조건부: 지역의무공동도급\(부산광역시 40%\), ")
        )
        expect(
            board.locator(".card", has_text="하천 도로 청소 차량 임차").get_by_test_id("verdict-reasons")
        ).to_have_text(re.compile(r"^확인 필요: "))
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["bidradar_session"]["httpOnly"] and cookies["bidradar_session"]["sameSite"] == "Lax"
        assert serving_data.TOKENS["hanbit"] not in {
            c["value"] for c in cookies.values()
        }  # a session id, not the token
        assert page.evaluate("document.cookie") == ""  # scripts cannot read the session or the CSRF token
        shot(page, "4-board")

        # A column's count leads to the list of exactly that many.
        board.locator("[data-stage=open] [data-testid=stage-count]").click()
        expect(page.get_by_test_id("match")).to_have_count(2)
        expect(page.get_by_test_id("match-total")).to_contain_text("2건")
        expect(page.get_by_test_id("match").filter(has_text="조건부: 지역의무공동도급")).to_have_count(1)
        shot(page, "4b-matches")

        # The results of an opening: every bidder, the winner by 사업자등록번호 (rank 2 bears rank 1's name).
        page.goto(url + "/notices/R26BK00000007")
        expect(page.get_by_test_id("bidders").locator("tbody tr")).to_have_count(3)
        expect(page.get_by_test_id("winner-row").locator("td").first).to_have_text("2")
        expect(page.get_by_test_id("bidders-pending")).to_contain_text("340개사")
        shot(page, "4c-results")

        # The signed-in detail: eligibility and (Pro) the analysis.
        page.goto(url + "/notices/R26BK00000004")
        expect(page.get_by_test_id("verdict")).to_have_text("참가 가능")
        expect(page.get_by_test_id("analysis")).to_be_visible()
        shot(page, "5-detail-signed-in")

        # A Free company sees what Pro adds instead of the analysis.
        page.get_by_role("button", name="로그아웃").click()
        page.goto(url + "/signin?next=/notices/R26BK00000003")
        page.get_by_test_id("token").fill(serving_data.TOKENS["daesung"])
        page.get_by_test_id("signin-submit").click()
        expect(page.get_by_test_id("plan-note")).to_contain_text("Pro 플랜")
        expect(page.get_by_test_id("analysis")).to_have_count(0)

        # Nothing is wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert not errors, errors
        context.close()
