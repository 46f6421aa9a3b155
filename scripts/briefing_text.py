"""Print a company's latest morning briefing from the warehouse's outbox as the Slack stand-in shows it (blocks as
text: `# header`, fields `*label*: value`, context lines indented, buttons as `[label] → url`); the example in
docs/alerts.md is this script's output after `bidradar demo`.

  DATABASE_URL=sqlite:///.bidradar/warehouse.db .venv/bin/python scripts/briefing_text.py hanbit-soft [--items 5]

It renders the stored payload with the same code the delivery uses (bidradar.alerts.slack_blocks), for the day the
alert was made; `--items N` keeps the first N items (the rest are summarised as the thread's).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bidradar.alerts import slack_blocks  # noqa: E402
from bidradar.core import warehouse  # noqa: E402
from bidradar.core.settings import ApiSettings, get_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("company_id", help="the profile's file name without .yaml, e.g. hanbit-soft")
    parser.add_argument("--items", type=int, default=0, help="keep the first N items (0: all)")
    parser.add_argument("--dashboard", default="http://127.0.0.1:8000", help="the dashboard's address in links")
    args = parser.parse_args()
    engine = warehouse.make_engine(get_settings(ApiSettings).database_url)
    with engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT alert_date, payload FROM alert_outbox WHERE company_id = :company AND kind = 'briefing' "
                "AND transport = 'slack' ORDER BY alert_date DESC LIMIT 1"
            ),
            {"company": args.company_id},
        ).first()
    if row is None:
        raise SystemExit(f"no briefing of {args.company_id} in the outbox: run `bidradar demo` first")
    payload = json.loads(row.payload)
    if args.items:
        payload["items"] = payload["items"][: args.items]
    day = row.alert_date if isinstance(row.alert_date, dt.date) else dt.date.fromisoformat(str(row.alert_date)[:10])
    print(slack_blocks.as_text(slack_blocks.render(payload, day, args.dashboard)))


if __name__ == "__main__":
    main()
