"""Missing is not zero, on a real warehouse: the simulator is crawled through the assets with a call budget that
leaves about half the bidder lists unfetched, then the price training set and the advice are built from it. Every
competitor count must be G2B's own (the simulator's prtcptCnum), every list fact of an opening without a list NULL,
and no advice may say 0 competitors. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from assets import ingestion
from assets.common.resources import G2BResource
from bidradar.core import warehouse
from bidradar.ingestion import crawl
from bidradar.ingestion.simulator import G2BSimulator
from bidradar.ingestion.simulator.generator import MAX_RESULT_LAG_DAYS
from ml.pricing import features, recommendations, store
from tests.support import materialize_days

KEY = "half-lists-key"
DAYS = [dt.date(2026, 4, 6) + dt.timedelta(days=i) for i in range(8)]
NOW = dt.datetime.combine(DAYS[-1] + dt.timedelta(days=1), dt.time(9, 0), ZoneInfo("Asia/Seoul"))


@pytest.mark.timeout(900)
def test_half_the_bidder_lists_missing_in_the_warehouse_never_make_a_zero(database_url: str) -> None:
    # 30 notices a day (80 before; the crawl's CPU scales with it): 206 completed openings on the result days, 84 of
    # them with a list and 80 without (the test wants 20 of each), and all of the last 40 with a history.
    sim = G2BSimulator(seed=11, notices_per_day=30, service_key=KEY, now=NOW)
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    # Every opening registered on the result days: those of the notices first registered up to the longest result
    # lag before them, drawn once per origin day (as the simulator draws them).
    truth = {
        r.notice.no: r
        for d in range(len(DAYS) + MAX_RESULT_LAG_DAYS)
        for r in sim.generator.results_of(DAYS[-1] - dt.timedelta(days=d))
        if r.rgst.date() in DAYS
    }
    completed = [r for r in truth.values() if r.status == "개찰완료"]
    budget = len(completed) // 2  # about half the lists (one page each at this size)
    with sim.serve() as url:
        g2b = G2BResource(base_url=url, service_key=KEY, backoff_initial_seconds=0.01, daily_call_budget=budget)
        notices = [ingestion.g2b_raw_notices, ingestion.notice_tables]
        # The notices of the weeks before too: their openings fall in the result days.
        notice_days = [DAYS[0] - dt.timedelta(days=i) for i in range(21, 0, -1)] + DAYS
        big = G2BResource(base_url=url, service_key=KEY, backoff_initial_seconds=0.01, daily_call_budget=100_000)
        assert materialize_days(notices, database_url, notice_days, big).success
        results = [ingestion.g2b_raw_results, ingestion.result_tables, ingestion.bid_outcomes]
        assert materialize_days(results, database_url, DAYS, g2b).success
        bidder_calls = sim.calls.get(crawl.BIDDERS_OP, 0)
    assert 0 < bidder_calls <= budget

    raw = store.read_raw_openings(engine)
    training = features.build_training_set(raw)
    listed = training.filter(pl.col("bidder_count").is_not_null())
    unlisted = training.filter(pl.col("bidder_count").is_null())
    assert listed.height > 20 and unlisted.height > 20, (listed.height, unlisted.height)

    # Every participant count is G2B's own (the simulator's prtcptCnum), never 0 where it saw bidders.
    said = {no: len(r.amounts) for no, r in truth.items()}
    for no, count in training.select("notice_no", "participant_count").iter_rows():
        assert count is not None and count == said[no], no
    assert training.filter((pl.col("participant_count") == 0) & (pl.col("opening_status") != "유찰")).is_empty()
    # The lists: the count of the rows fetched where fetched, NULL (never 0) where not; list facts alike.
    assert (listed["bidder_count"] == listed["participant_count"]).all()
    for column in ("near_floor_count", "lowest_valid_bid", "bidder_list_known_at"):
        assert unlisted[column].null_count() == unlisted.height, column
    assert listed["bidder_list_known_at"].null_count() == 0
    # Nothing in the training set is a 0 that G2B did not say.
    zero_lists = training.filter(pl.col("bidder_count") == 0)
    assert zero_lists.filter(pl.col("participant_count") != 0).is_empty()

    # The advice built on this history: competitors expected from G2B's counts, never 0, unknown only with no
    # history at all; the explanation cites the agency's numbers.
    history = features.outcomes_from_training_set(training)
    notices = training.select(
        "notice_no",
        "notice_order",
        "category",
        pl.col("cutoff_at").alias("bid_close_at"),
        "demand_agency_code",
        "notice_agency_code",
        pl.lit(None, dtype=pl.String).alias("demand_agency_name"),
        "contract_method",
        pl.lit(None, dtype=pl.String).alias("construction_site_region"),
        "base_amount",
        "lower_limit_rate",
        pl.lit(None, dtype=pl.Int64).alias("estimated_price"),
        (-pl.col("range_pct")).alias("reserve_range_low_pct"),
        pl.col("range_pct").alias("reserve_range_high_pct"),
        "a_value",
        pl.lit(None, dtype=pl.String).alias("a_value_rule"),
        "reserve_price_count",
        "drawn_price_count",
        pl.lit("적격심사 복수예가").alias("price_decision_method"),
    ).tail(40)
    as_of = training["cutoff_at"].max() + dt.timedelta(days=1)
    feats = features.notice_features(notices, history, as_of)
    priced = recommendations.price_notices(feats, recommendations.UNVALIDATED, None, {"*": 0.1})
    assert priced.height == 40
    assert priced.filter(pl.col("expected_competitors") <= 0).is_empty()
    with_history = priced.filter(pl.col("history_counted_openings") > 0)
    assert with_history.height > 0 and with_history["expected_competitors"].null_count() == 0
    for text in with_history["explanation_ko"].to_list():
        assert "이 기관 지난 개찰" in text and "개사 참여" in text and "이력이 아직 없습니다" not in text
    engine.dispose()
