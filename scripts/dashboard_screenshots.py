"""Refresh the dashboard's screenshots in docs/images/: every page (list, sign-in, error, board, a detail page of
each verdict) at phone (390 px) and desktop (1280 px) width, in Debian's headless Chromium.

  .venv/bin/python scripts/dashboard_screenshots.py [--out docs/images]

It builds its own data (the small warehouse of the dashboard tests, tests/kit/dashboard_tour.py, in a temporary
SQLite file), so the pictures do not depend on what a demo crawled. Needs /usr/bin/chromium and fonts-noto-cjk
(or BIDRADAR_CHROMIUM); the widths and pages are the ones tests/test_serving_widths.py checks.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.kit import dashboard_tour as tour  # noqa: E402

WIDTHS = (390, 1280)
TALLEST = 2400  # px: a long list is cut here (its first pages say enough, and the files stay small)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "images", help="folder of the screenshots")
    args = parser.parse_args()
    if not Path(tour.CHROMIUM).exists():
        raise SystemExit(f"no Chromium at {tour.CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bidradar-screenshots-") as folder, sync_playwright() as playwright:
        browser = tour.launch(playwright)
        with tour.served(f"sqlite:///{Path(folder) / 'warehouse.db'}") as url:
            for width in WIDTHS:
                with tour.tabs(browser, url, width) as tabs:
                    for spec in tour.PAGES:
                        tab = tabs[spec.signed_in]
                        tab.visit(url, spec)
                        page = tab.page
                        path = tour.screenshot_path(args.out, spec, width)
                        height = min(TALLEST, page.evaluate("document.documentElement.scrollHeight"))
                        clip = {"x": 0, "y": 0, "width": width, "height": height}
                        page.screenshot(path=path, full_page=True, clip=clip)
                        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
        browser.close()


if __name__ == "__main__":
    main()
