"""Every page of the dashboard, as a visitor and as a signed-in company, in headless Chromium: what
tests/test_serving_widths.py checks at each width and what scripts/dashboard_screenshots.py photographs for
docs/images/. The data is tests/serving_data's small warehouse plus one 조건부 (지역의무공동도급) verdict, so each
verdict the dashboard can show has a page: 참가 가능, 조건부, 확인 필요 and 참가 불가 (computed when read)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from bidradar.core import warehouse
from bidradar.core.warehouse import TableWrite
from bidradar.matching.explain import REASON_COLUMNS
from tests import serving_data

CHROMIUM = os.environ.get("BIDRADAR_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
WIDTHS = (360, 390, 1280)
COMPANY = "hanbit"  # 한빛소프트웨어(주), Pro, in 서울
CONDITIONAL_NOTICE = "R26BK00000005"  # a goods notice hanbit has no stored match for in serving_data


@dataclass(frozen=True)
class Page:
    name: str  # the screenshot's name: docs/images/dashboard-<name>-<width>.png
    path: str
    signed_in: bool
    verdict: str | None = None  # the verdict the page must show, with its reasons


PAGES = [
    Page("list", "/", signed_in=False),
    Page("signin", "/signin", signed_in=False),
    Page("error", "/notices/R26XX99999999", signed_in=False),
    Page("list-signed-in", "/", signed_in=True),
    Page("board", "/board", signed_in=True),
    Page("matches", "/matches", signed_in=True),
    Page("detail-results", "/notices/R26BK00000007", signed_in=False),
    Page("detail-eligible", "/notices/R26BK00000004", signed_in=True, verdict="참가 가능"),
    Page("detail-conditional", f"/notices/{CONDITIONAL_NOTICE}", signed_in=True, verdict="조건부"),
    Page("detail-unknown", "/notices/R26BK00000008", signed_in=True, verdict="확인 필요"),
    Page("detail-ineligible", "/notices/R26BK00000003", signed_in=True, verdict="참가 불가"),
]

# Elements wider than the viewport, or reaching past its right edge, that are not inside an element meant to
# scroll sideways (a table or the board, `overflow-x: auto|scroll`). The scroll container itself must fit.
# `width` is the window's width as set: a phone browser widens its layout viewport (innerWidth) to fit content
# that is too wide, so innerWidth would hide the very overflow this looks for.
OVERFLOW_JS = """(width) => {
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const inScroller = (el) => { for (let p = el.parentElement; p; p = p.parentElement) if (scrolls(p)) return true; return false; };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' "' + (el.textContent || '').trim().slice(0, 30) + '"';
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || inScroller(el)) continue;
    if (box.right > width + 0.5 || box.left < -0.5) wide.push(`${name(el)}: ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide: wide.slice(0, 10)};
}"""


def add_verdict_cases(database_url: str) -> None:
    """hanbit's stored 조건부 verdict on CONDITIONAL_NOTICE (a rule's 30–39 code, here 지역의무공동도급), and the
    record of its matching run (as of serving_data.NOW), which the unstored (참가 불가) verdicts are judged at."""
    engine = warehouse.make_engine(database_url)
    counts = ["open_notices", "eligible", "unknown", "ineligible", "conditional"]
    counts += [f"fail_{column.removesuffix('_reason')}" for column in REASON_COLUMNS]
    summary = {
        "company_id": COMPANY,
        **{c: 0 for c in counts},
        "as_of": serving_data.NOW,
        "evaluated_at": serving_data.NOW,
    }
    row = {
        "company_id": COMPANY,
        "notice_no": CONDITIONAL_NOTICE,
        "notice_order": "000",
        "category": "goods",
        **{column: 0 for column in REASON_COLUMNS},
        "joint_reason": 30,
        "joint_detail": "부산광역시 40%",
        "verdict": "conditional",
    }
    warehouse.write(
        engine,
        [
            TableWrite("hard_matches", pl.DataFrame([row]), key=["company_id", "notice_no"], replace="rows"),
            TableWrite("hard_match_summary", pl.DataFrame([summary]), key=["company_id"], replace="rows"),
        ],
    )
    engine.dispose()


@contextmanager
def served(database_url: str) -> Iterator[str]:
    """The tour's warehouse (serving_data's and the 조건부 verdict), served by the real app: its base URL."""
    with serving_data.served_warehouse(database_url) as (url, _app):
        add_verdict_cases(database_url)
        yield url


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)


def sign_in(page: Any, url: str) -> None:
    """Sign COMPANY in through the form, in this tab (its context keeps the session cookie)."""
    page.goto(url + "/signin")
    page.get_by_test_id("token").fill(serving_data.TOKENS[COMPANY])
    page.get_by_test_id("signin-submit").click()
    page.wait_for_url(url + "/board")


class Tab:
    """One browser tab that visits page after page: a new tab per page cost headless Chromium ~0.5 CPU-s (its
    renderer and compositor set up again), half of a width's tour. Each visit loads a new document, so what a
    check reads (its layout, its verdict, its script errors) is that page's alone."""

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.errors: list[str] = []
        # Reads self.errors when an error comes: each visit's own list, as a fresh tab's listener gave.
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def visit(self, url: str, page_spec: Page) -> list[str]:
        """Open one page in this tab; the script errors it raised (until the next visit)."""
        self.errors = []
        self.page.goto(url + page_spec.path)
        self.page.wait_for_load_state("networkidle")
        return self.errors


@contextmanager
def tabs(browser: Any, url: str, width: int) -> Iterator[dict[bool, Tab]]:
    """{signed_in: a tab} at this width (a phone below 800 px, touch and all), each in its own browser context."""
    phone = width < 800
    options = {
        "viewport": {"width": width, "height": 800 if phone else 900},
        "device_scale_factor": 1,
        "locale": "ko-KR",
        "is_mobile": phone,
        "has_touch": phone,
    }
    visitor, company = browser.new_context(**options), browser.new_context(**options)
    try:
        signed_in = Tab(company)
        sign_in(signed_in.page, url)
        yield {False: Tab(visitor), True: signed_in}
    finally:
        visitor.close()
        company.close()


def overflow(page: Any) -> dict[str, Any]:
    """{scrollWidth, innerWidth, wide: [element: left..right]} against the width the window was given."""
    return page.evaluate(OVERFLOW_JS, page.viewport_size["width"])


def screenshot_path(folder: Path, page_spec: Page, width: int) -> Path:
    return folder / f"dashboard-{page_spec.name}-{width}.png"
