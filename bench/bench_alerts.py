"""Alerts: how long the selection takes for many companies, and how fast the drainer delivers with its three
commits per alert (claim, confirm, finish), against the local Slack stand-in with the per-channel pacer off.

    .venv/bin/python bench/bench_alerts.py [--companies 1000] [--drain 300] [--postgres postgresql://...]

Prints numbers; asserts nothing. Real Slack allows one message a second per channel: with companies side by side
(4 workers) the drain of a real morning is bound by that, not by these figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bidradar.alerts import select, slack_blocks, store
from bidradar.alerts.deliver import Drainer, Pacer, SlackTransport, slack_client
from bidradar.core import warehouse
from tests.kit.slack import SlackStandIn

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime.combine(TODAY, dt.time(8, 0))


def frames(companies: int, per_company: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    ids = [f"c{i:05d}" for i in range(companies)]
    company = pl.DataFrame(
        {
            "company_id": ids,
            "name": [f"회사{i}" for i in range(companies)],
            "plan": ["pro" if i % 3 == 0 else "free" for i in range(companies)],
            "slack_channel": [f"#bids-{c}" for c in ids],
            "alert_email": [None] * companies,
        },
        schema=select.COMPANY_SCHEMA,
    )
    n = companies * per_company
    candidates = pl.DataFrame(
        {
            "company_id": [ids[i // per_company] for i in range(n)],
            "notice_no": [f"R26BK{i % 20000:08d}" for i in range(n)],
            "rank": [i % per_company + 1 for i in range(n)],
            "verdict": ["eligible"] * n,
            "title": ["정보시스템 유지관리 용역"] * n,
            "agency": ["서울특별시"] * n,
            "estimated_price": [250_000_000] * n,
            "bid_close_at": [dt.datetime(2026, 11, 23 + i % 6, 10) for i in range(n)],
            "eligibility": ["면허 충족"] * n,
        },
        schema=select.CANDIDATE_SCHEMA,
    )
    return company, candidates


def bench_selection(companies: int, per_company: int) -> None:
    company, candidates = frames(companies, per_company)
    empty_shown, empty_out = pl.DataFrame(schema=select.SHOWN_SCHEMA), pl.DataFrame(schema=select.OUTCOME_SCHEMA)
    started = time.perf_counter()
    due = select.select_due(candidates, company, empty_shown, empty_out, NOW)
    selected = time.perf_counter() - started
    started = time.perf_counter()
    import json

    messages = sum(len(slack_blocks.render(json.loads(p), TODAY, "http://d")) for p in due.alerts["payload"])
    rendered = time.perf_counter() - started
    print(
        f"selection: {companies} companies × {per_company} matches → {due.alerts.height} alerts, "
        f"{due.items.height} items in {selected:.2f} s; rendering {messages} Slack messages in {rendered:.2f} s"
    )


def bench_drain(database_url: str, companies: int) -> None:
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    company, candidates = frames(companies, 3)
    due = select.select_due(
        candidates,
        company,
        pl.DataFrame(schema=select.SHOWN_SCHEMA),
        pl.DataFrame(schema=select.OUTCOME_SCHEMA),
        NOW,
        kinds=["briefing"],
    )
    store.write_new(engine, due, select.outbox_rows(due, company, False), dt.datetime(2026, 11, 23, 8))
    stand_in = SlackStandIn()
    with stand_in.serve() as url:
        for workers in (1, 4):
            if workers == 4:  # a second round on a fresh outbox state
                with engine.begin() as conn:
                    conn.exec_driver_sql("UPDATE alert_outbox SET status = 'pending', parts_sent = 0, attempts = 0")
            drainer = Drainer(
                engine,
                "http://d",
                slack=SlackTransport(slack_client("xoxb-test", url, 10), pacer=Pacer(0.0)),
                workers=workers,
            )
            started = time.perf_counter()
            report = drainer.drain()
            took = time.perf_counter() - started
            print(
                f"drain on {warehouse.dialect_of(engine)}, {workers} worker(s): {report.sent} alerts in {took:.2f} s "
                f"= {report.sent / took:.0f} alerts/s"
            )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--matches", type=int, default=50)
    parser.add_argument("--drain", type=int, default=300, help="alerts to drain")
    parser.add_argument("--postgres", default="", help="also drain on this PostgreSQL database")
    args = parser.parse_args()
    bench_selection(args.companies, args.matches)
    with tempfile.TemporaryDirectory() as folder:
        bench_drain(f"sqlite:///{folder}/w.db", args.drain)
    if args.postgres:
        bench_drain(args.postgres, args.drain)


if __name__ == "__main__":
    main()
