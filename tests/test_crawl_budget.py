"""The bidder crawl keeps to the daily budget: matched notices first, the rest deferred and visible in the
metadata; a later run fetches only what was deferred (each opening's bidders once). Over HTTP, through Dagster."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from dagster import materialize

from assets import ingestion
from assets.common.resources import G2BResource, WarehouseResource
from bidradar.core import warehouse
from bidradar.ingestion import crawl
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


def test_a_result_day_keeps_to_the_budget_and_defers_the_rest(sqlite_url: str) -> None:
    sim = G2BSimulator(seed=5, notices_per_day=60, service_key=KEY, now=NOW)
    engine = warehouse.make_engine(sqlite_url)
    warehouse.migrate(engine)
    with sim.serve() as url:
        completed = sorted(
            r.notice.no
            for r in (
                sim.generator.result_for(n.no)
                for d in range(40)
                for n in sim.generator.origin_notices(DAY - dt.timedelta(days=d))
            )
            if r is not None and r.status == "개찰완료" and r.rgst.date() == DAY
        )
        assert len(completed) > BUDGET + 2
        favourite = completed[-1]  # last in plain order: a company's match moves it first
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    # reason codes 0: every rule passes (bidradar/matching/explain.py)
                    "INSERT INTO hard_matches (company_id, notice_no, notice_order, category, verdict, "
                    "license_reason, region_reason, amount_reason, sme_reason, category_reason, keyword_reason, "
                    "deadline_reason, record_reason) VALUES ('acme', :no, '000', 'services', 'eligible', "
                    "0, 0, 0, 0, 0, 0, 0, 0)"
                ),
                {"no": favourite},
            )
        sim.reset_calls()
        first = _run(url, sqlite_url, BUDGET)
        assert sim.calls.get(crawl.BIDDERS_OP, 0) <= BUDGET
        plan = first["bidder_plan"][DAY.isoformat()]
        assert first["daily_call_budget"] == BUDGET
        assert first["bidder_openings_deferred"] == len(completed) - plan["bidder_openings_fetched"] > 0
        pages = read_table(sqlite_url, "g2b_raw_pages").filter(operation=crawl.BIDDERS_OP)
        fetched = {key.split("-")[0] for key in pages["request_key"].to_list()}
        assert favourite in fetched

        sim.reset_calls()
        second = _run(url, sqlite_url, BUDGET + 1000)  # the next run: what was deferred, and nothing twice
        plan2 = second["bidder_plan"][DAY.isoformat()]
        assert plan2["bidder_openings_reused"] == plan["bidder_openings_fetched"]
        assert plan2["bidder_openings_fetched"] == first["bidder_openings_deferred"]
        assert plan2["bidder_openings_deferred"] == 0
        assert sim.calls.get(crawl.BIDDERS_OP, 0) >= plan2["bidder_openings_fetched"]
    pages = read_table(sqlite_url, "g2b_raw_pages").filter(operation=crawl.BIDDERS_OP)
    assert {key.split("-")[0] for key in pages["request_key"].to_list()} == set(completed)
    engine.dispose()
