"""Results keep every winner: an award registered days after its opening lands on that opening, whatever the order
in which the days are crawled, on both backends; the outcome says its notice is missing until that day is crawled.
Through Dagster, the real client and the simulator over HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from assets import ingestion
from assets.common.resources import G2BResource
from bidradar.core import warehouse
from bidradar.ingestion.simulator import G2BSimulator
from tests.support import materialize_days, read_table

KEY = "outcome-test-key"
NOW = dt.datetime(2026, 12, 20, 9, 0, tzinfo=ZoneInfo("Asia/Seoul"))
RESULT_ASSETS = [ingestion.g2b_raw_results, ingestion.result_tables, ingestion.bid_outcomes]
NOTICE_ASSETS = [ingestion.g2b_raw_notices, ingestion.notice_tables, ingestion.bid_outcomes]


@pytest.fixture(scope="module")
def simulator() -> Iterator[tuple[G2BSimulator, str]]:
    sim = G2BSimulator(seed=11, notices_per_day=40, service_key=KEY, now=NOW)
    with sim.serve() as url:
        yield sim, url


def _late_award(sim: G2BSimulator):
    """A priced opening whose final winner is registered at least two working days later, not the first-ranked."""
    gen = sim.generator
    found = None
    for offset in range(20):
        for notice in gen.origin_notices(dt.date(2026, 11, 2) + dt.timedelta(days=offset)):
            result = gen.result_for(notice.no)
            if result is None or result.award_rgst is None or not result.priced:
                continue
            if (result.award_rgst.date() - result.rgst.date()).days >= 2:
                found = found or result
                if result.winner_position > 0:
                    return result
    assert found is not None
    return found


def _run(assets: list, url: str, database_url: str, day: dt.date) -> None:
    g2b = G2BResource(base_url=url, service_key=KEY, max_attempts=3, backoff_initial_seconds=0.01)
    assert materialize_days(assets, database_url, [day], g2b).success


def test_a_late_award_lands_on_its_opening_in_either_order(simulator, database_url: str) -> None:
    sim, url = simulator
    result = _late_award(sim)
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    engine.dispose()
    opening_day, award_day, notice_day = result.rgst.date(), result.award_rgst.date(), result.notice.rgst.date()

    _run(RESULT_ASSETS, url, database_url, award_day)  # the award's day first: no opening yet
    outcome = _outcome(database_url, result.notice.no)
    assert outcome["winner_business_no"] == result.winner.company.bizno
    assert "opening" in outcome["missing"] and "notice" in outcome["missing"]

    _run(RESULT_ASSETS, url, database_url, opening_day)  # then the opening's day: the winner stays
    outcome = _outcome(database_url, result.notice.no)
    assert outcome["winner_business_no"] == result.winner.company.bizno
    assert outcome["winning_amount"] == result.winner.amount
    assert outcome["winner_rank"] == result.winner_position + 1
    assert outcome["planned_price"] == result.plnprc and outcome["bidder_count"] == len(result.amounts)
    assert str(outcome["opening_partition_date"])[:10] == opening_day.isoformat()
    assert str(outcome["award_partition_date"])[:10] == award_day.isoformat()
    assert outcome["missing"] == "notice" and outcome["lower_limit_rate"] is None
    assert outcome["notice_missing"] in (True, 1)

    _run(NOTICE_ASSETS, url, database_url, notice_day)  # a backfill of the notice's day fills it
    outcome = _outcome(database_url, result.notice.no)
    assert outcome["missing"] is None and outcome["notice_missing"] in (False, 0)
    assert outcome["lower_limit_rate"] == pytest.approx(result.notice.lwlt)
    assert outcome["winner_business_no"] == result.winner.company.bizno
    # The old name still reads the outcomes.
    old = read_table(database_url, "bid_results").filter(notice_no=result.notice.no)
    assert old["winner_business_no"].to_list() == [result.winner.company.bizno]


def _outcome(database_url: str, notice_no: str) -> dict:
    rows = read_table(database_url, "bid_outcomes").filter(notice_no=notice_no).to_dicts()
    assert len(rows) == 1, rows
    return rows[0]
