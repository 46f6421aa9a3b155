"""The bidder crawl keeps to the daily budget of the shared call ledger: openings like the ones the profiles bid on
first, the rest deferred and visible in the metadata; a later run fetches only what was deferred (each opening's
bidders once). Every call is counted in g2b_call_ledger, across runs and processes, pages thrown away included.
Over HTTP, through Dagster, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from dagster import materialize

from assets import ingestion
from assets.common.resources import G2BResource, WarehouseResource
from bidradar.core import warehouse
from bidradar.ingestion import crawl
from bidradar.ingestion.client import G2BClient, G2BQuotaExceeded
from bidradar.ingestion.ledger import CallLedger
from bidradar.ingestion.simulator import G2BSimulator
from tests.support import read_table

KEY = "budget-test-key"
NOW = dt.datetime(2026, 12, 20, 9, 0, tzinfo=ZoneInfo("Asia/Seoul"))
DAY = dt.date(2026, 11, 18)
BUDGET = 3


def _run(url: str, database_url: str, budget: int):
    g2b = G2BResource(base_url=url, service_key=KEY, backoff_initial_seconds=0.01, daily_call_budget=budget)
    result = materialize(
        [ingestion.g2b_raw_results],
        resources={"warehouse": WarehouseResource(database_url=database_url), "g2b": g2b},
        partition_key=DAY.isoformat(),
    )
    assert result.success
    (event,) = result.asset_materializations_for_node("g2b_raw_results")
    return {k: v.value for k, v in event.metadata.items()}


def _completed(sim: G2BSimulator) -> list:
    return sorted(
        (
            r
            for r in (
                sim.generator.result_for(n.no)
                for d in range(40)
                for n in sim.generator.origin_notices(DAY - dt.timedelta(days=d))
            )
            if r is not None and r.status == "개찰완료" and r.rgst.date() == DAY
        ),
        key=lambda r: r.notice.no,
    )


def _ledger_calls(engine: sa.Engine, operation: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                sa.text("SELECT COALESCE(SUM(calls), 0) FROM g2b_call_ledger WHERE operation = :op"), {"op": operation}
            ).scalar_one()
        )


def test_a_result_day_keeps_to_the_budget_and_defers_the_rest(database_url: str) -> None:
    sim = G2BSimulator(seed=5, notices_per_day=60, service_key=KEY, now=NOW)
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    with sim.serve() as url:
        results = _completed(sim)
        completed = [r.notice.no for r in results]
        assert len(completed) > BUDGET + 2
        # A company matched an open notice of the same category and demand agency as the last opening in plain
        # order: that opening's bidders are fetched first.
        favourite = results[-1]
        category = {"Thng": "goods", "Servc": "services", "Cnstwk": "construction", "Frgcpt": "foreign"}
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO bid_notices (notice_no, notice_order, partition_date, revision_key, category, "
                    "is_cancelled, title, registered_at, demand_agency_code) VALUES ('R99BK00000001', '000', "
                    ":day, 'r', :category, FALSE, 't', :day, :agency)"
                ),
                {
                    "day": dt.datetime(2026, 12, 1),
                    "category": category[favourite.notice.category],
                    "agency": favourite.notice.dminstt.code,
                },
            )
            conn.execute(
                sa.text(
                    # reason codes 0: every rule passes (bidradar/matching/explain.py)
                    "INSERT INTO hard_matches (company_id, notice_no, notice_order, category, verdict, "
                    "license_reason, region_reason, amount_reason, sme_reason, category_reason, keyword_reason, "
                    "deadline_reason, record_reason) VALUES ('acme', 'R99BK00000001', '000', 'services', "
                    "'eligible', 0, 0, 0, 0, 0, 0, 0, 0)"
                )
            )
        sim.reset_calls()
        first = _run(url, database_url, BUDGET)
        assert sim.calls.get(crawl.BIDDERS_OP, 0) <= BUDGET
        plan = first["bidder_plan"][DAY.isoformat()]
        assert first["daily_call_budget"] == BUDGET
        assert first["bidder_openings_deferred"] == len(completed) - plan["bidder_openings_fetched"] > 0
        assert plan["openings_with_participant_count"] == plan["completed_openings"] == len(completed)
        pages = read_table(database_url, "g2b_raw_pages").filter(operation=crawl.BIDDERS_OP)
        fetched = {key.split("-")[0] for key in pages["request_key"].to_list()}
        assert favourite.notice.no in fetched
        # The ledger counted exactly what G2B received, for every operation.
        for operation, calls in sim.calls.items():
            assert _ledger_calls(engine, operation) == calls, operation

        # The same day again under the same budget: the ledger says today's bidder calls are spent, so nothing
        # more is asked of G2B (the budget is per day, not per run).
        sim.reset_calls()
        again = _run(url, database_url, BUDGET)
        assert sim.calls.get(crawl.BIDDERS_OP, 0) == 0
        assert again["bidder_plan"][DAY.isoformat()]["bidder_openings_fetched"] == 0

        sim.reset_calls()
        second = _run(url, database_url, BUDGET + 1000)  # a larger key: what was deferred, and nothing twice
        plan2 = second["bidder_plan"][DAY.isoformat()]
        assert plan2["bidder_openings_reused"] == plan["bidder_openings_fetched"]
        assert plan2["bidder_openings_fetched"] == first["bidder_openings_deferred"]
        assert plan2["bidder_openings_deferred"] == 0
        assert sim.calls.get(crawl.BIDDERS_OP, 0) >= plan2["bidder_openings_fetched"]
    pages = read_table(database_url, "g2b_raw_pages").filter(operation=crawl.BIDDERS_OP)
    assert {key.split("-")[0] for key in pages["request_key"].to_list()} == set(completed)
    engine.dispose()


def test_two_processes_share_one_ledger_and_never_pass_the_budget(database_url: str) -> None:
    """Two clients (as two processes would) spend from one ledger at once: together they stop at the budget, and
    G2B received exactly what the ledger counted."""
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    budget = 25
    sim = G2BSimulator(seed=5, notices_per_day=60, service_key=KEY, now=NOW)
    ledger = CallLedger(engine, budget)
    refused = []

    def spend(url: str) -> None:
        with G2BClient(url, KEY, on_call=ledger.spend, backoff_initial=0.01) as client:
            for _ in range(40):
                try:
                    client.fetch_page(crawl.BIDDERS_OP, {"bidNtceNo": "R26BK00000001", "bidNtceOrd": "000"})
                except G2BQuotaExceeded:
                    refused.append(1)
                    return

    with sim.serve() as url:
        sim.reset_calls()
        threads = [threading.Thread(target=spend, args=(url,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(refused) == 2
        assert sim.calls.get(crawl.BIDDERS_OP, 0) == budget
        assert _ledger_calls(engine, crawl.BIDDERS_OP) == budget
    engine.dispose()


def test_a_day_before_the_runs_last_defers_the_openings_whose_notice_is_not_stored() -> None:
    """A backfill's early days must not spend the budget on lists that cannot show a floor (their notice, with its
    하한율, is not in the warehouse): those wait for the run's last day; the openings of stored notices go first."""
    sim = G2BSimulator(seed=5, notices_per_day=60, service_key=KEY, now=NOW)
    with sim.serve() as url:
        completed = [r.notice.no for r in _completed(sim)]
        stored = frozenset(completed[::3])  # a third of the openings' notices are in the warehouse
        with G2BClient(url, KEY, backoff_initial=0.01) as client:
            early = crawl.BidderPlan(budget_left=1000, noticed=stored, defer_unnoticed=True)
            crawl.crawl_result_day(client, DAY, early)
            last = crawl.BidderPlan(budget_left=1000, noticed=stored)
            crawl.crawl_result_day(client, DAY, last)
    fetched_early = {key.split("-")[0] for key in early.fetched}
    assert fetched_early == stored and {key.split("-")[0] for key in early.deferred} == set(completed) - stored
    assert {key.split("-")[0] for key in last.fetched} == set(completed) and not last.deferred
    # On the last day the stored notices' openings still come first.
    assert {key.split("-")[0] for key in last.fetched[: len(stored)]} == stored
