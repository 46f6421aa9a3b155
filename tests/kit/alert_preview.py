"""Show one alert of a warehouse's outbox as it will read: the Slack blocks as text, the e-mail's plain text, and
optionally the e-mail's HTML as a PNG taken in headless Chromium (dev tooling; docs/alerts.md was made with it).

    python -m tests.kit.alert_preview --key briefing:hanbit-soft:2026-11-23 [--html out.html] [--png out.png]

DATABASE_URL and DASHBOARD_URL come from the settings as usual.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import polars as pl

from bidradar.alerts import email_render, slack_blocks
from bidradar.core import warehouse
from bidradar.core.settings import AlertsSettings, get_settings


def screenshot(html: str, png: Path, width: int = 412, height: int = 1800) -> None:
    """A phone-width screenshot of the HTML in headless Chromium (/usr/bin/chromium; fonts-noto-cjk for Korean)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("no chromium: apt-get install -y chromium fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "alert.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={folder}/p",
                f"--window-size={width},{height}",
                f"--screenshot={png.resolve()}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--key", required=True, help="alert_key in alert_outbox")
    parser.add_argument("--html", type=Path, help="write the e-mail's HTML part here")
    parser.add_argument("--png", type=Path, help="write a screenshot of the e-mail's HTML here")
    parser.add_argument("--height", type=int, default=1800)
    args = parser.parse_args()
    settings = get_settings(AlertsSettings)
    engine = warehouse.make_engine(settings.database_url)
    rows = warehouse.read_frame(
        engine,
        "SELECT alert_date, payload FROM alert_outbox WHERE alert_key = :k",
        {"k": args.key},
        schema={"alert_date": pl.Date},
    )
    if rows.is_empty():
        raise SystemExit(f"no alert {args.key} in the outbox")
    day, payload = rows["alert_date"][0], json.loads(rows["payload"][0])
    print(slack_blocks.as_text(slack_blocks.render(payload, day, settings.dashboard_url)))
    print("\n── e-mail (text/plain)\n" + email_render.plain_text(payload, day, settings.dashboard_url))
    html = email_render.html_part(payload, day, settings.dashboard_url)
    if args.html:
        args.html.write_text(html, encoding="utf-8")
    if args.png:
        screenshot(html, args.png, height=args.height)


if __name__ == "__main__":
    main()
