"""The A값 rule (bidradar.rules.a_value), checked with hand-built cases from G2B's rules: an A that G2B has not
published is unknown, and so is the floor; 0 only where the rule does not apply. The SQL rendering agrees with the
Python one on every combination, and the price model's warehouse read gives the floors a domain expert computes by
hand, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools

import polars as pl
import pytest
import sqlalchemy as sa

from bidradar.core import schema
from bidradar.ingestion import fields, readers
from bidradar.ingestion.normalize import a_value_expr
from bidradar.rules.a_value import (
    APPLIES,
    DOES_NOT_APPLY,
    MAY_APPLY,
    a_value_for_floor,
    a_value_for_floor_sql,
    a_value_rule,
    a_value_rule_sql,
)
from ml.pricing import features, store
from ml.pricing.advice import NO_A_VALUE, PRICED
from ml.pricing.recommendations import explanation, status_of

EOK = 100_000_000
D2026 = dt.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("category", "flag", "estimated", "day", "expected"),
    [
        # The notice's flag decides whenever G2B gives it, whatever the amount or date.
        ("construction", True, 50 * EOK, D2026, APPLIES),
        ("construction", False, 50 * EOK, D2026, DOES_NOT_APPLY),
        ("construction", True, 400 * EOK, dt.date(2018, 1, 1), APPLIES),
        # Without the flag: 물품·용역·외자 never apply it.
        ("services", None, 5 * EOK, D2026, DOES_NOT_APPLY),
        ("goods", None, None, None, DOES_NOT_APPLY),
        ("foreign", None, 5 * EOK, D2026, DOES_NOT_APPLY),
        # 공사 of 300억 or more: 종합심사낙찰제, no 적격심사 formula; 299억 may apply.
        ("construction", None, 300 * EOK, D2026, DOES_NOT_APPLY),
        ("construction", None, 299 * EOK, D2026, MAY_APPLY),
        # Before 2019-08-01 the 조달청 formula had no A; from that day it may apply.
        ("construction", None, 10 * EOK, dt.date(2019, 7, 31), DOES_NOT_APPLY),
        ("construction", None, 10 * EOK, dt.date(2019, 8, 1), MAY_APPLY),
        # Nothing known about a 공사: unknown, never "does not apply".
        ("construction", None, None, None, MAY_APPLY),
        (None, None, None, None, MAY_APPLY),
    ],
)
def test_when_the_a_value_rule_applies(category, flag, estimated, day, expected) -> None:
    assert a_value_rule(category, flag, estimated, day) == expected


def test_the_a_of_the_floor_is_unknown_unless_published_or_not_applying() -> None:
    assert a_value_for_floor(DOES_NOT_APPLY, None) == 0
    assert a_value_for_floor(DOES_NOT_APPLY, 12_345) == 0
    assert a_value_for_floor(APPLIES, 30_000_000) == 30_000_000
    assert a_value_for_floor(APPLIES, None) is None  # applies, not published: unknown, not 0
    assert a_value_for_floor(MAY_APPLY, None) is None
    assert a_value_for_floor(MAY_APPLY, 0) is None


def test_normalize_keeps_an_unpublished_a_unknown() -> None:
    """bidPrceCalclAYn = Y with no cost item on the row: A is not published (NULL), not 0; N gives 0."""
    private = [*fields.A_VALUE_ITEMS, "_a_quality", "_a_standard_price"]
    rows = {
        "a_value_applies": [True, True, False, None],
        **{c: [None, None, None, None] for c in private},
        "_a_quality_counts": [None, None, None, None],
        "_a_standard_price_counts": [None, None, None, None],
    }
    rows["_a_pension"] = [1_000_000, None, None, None]
    frame = pl.DataFrame(rows, schema_overrides={c: pl.Int64 for c in private}).with_columns(a=a_value_expr())
    assert frame["a"].to_list() == [1_000_000, None, 0, None]


GRID = list(
    itertools.product(
        ["construction", "services", None],
        [True, False, None],
        [10 * EOK, 300 * EOK, None],
        [dt.datetime(2019, 7, 31, 15), dt.datetime(2019, 8, 1, 9), None],
        [30_000_000, None],
    )
)


def test_the_sql_rendering_agrees_with_the_rule_on_every_combination(migrated_engine: sa.Engine) -> None:
    cases = sa.Table(
        "a_rule_cases",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("category", sa.String(20)),
        sa.Column("flag", sa.Boolean),
        sa.Column("estimated", sa.BigInteger),
        sa.Column("noticed_at", sa.DateTime),
        sa.Column("a_value", sa.BigInteger),
    )
    rule = a_value_rule_sql("category", "flag", "estimated", "noticed_at")
    with migrated_engine.begin() as conn:
        cases.create(conn)
        conn.execute(
            cases.insert(),
            [
                {"id": i, "category": c, "flag": f, "estimated": e, "noticed_at": d, "a_value": a}
                for i, (c, f, e, d, a) in enumerate(GRID)
            ],
        )
        got = conn.execute(
            sa.text(f"SELECT id, {rule} AS rule, {a_value_for_floor_sql(rule, 'a_value')} AS a FROM a_rule_cases")
        ).all()
        cases.drop(conn)
    assert len(got) == len(GRID)
    for case_id, sql_rule, sql_a in got:
        category, flag, estimated, noticed_at, published = GRID[case_id]
        expected = a_value_rule(category, flag, estimated, noticed_at.date() if noticed_at else None)
        assert sql_rule == expected, GRID[case_id]
        assert sql_a == a_value_for_floor(expected, published), GRID[case_id]


PLANNED, RATE, A = 1_000_000_000, 87.745, 30_000_000
WITH_A = (PLANNED - A) * RATE / 100 + A  # 881,126,500 by hand
WITHOUT_A = PLANNED * RATE / 100  # 877,450,000


# notice_no -> (category, notice: (estimated, notice_at) or None, base row: (flag, a_value) or None, floor by hand)
OPENINGS = {
    "R26BK00000001": ("construction", (50 * EOK, dt.datetime(2026, 10, 5, 10)), (True, A), WITH_A),
    "R26BK00000002": ("construction", (50 * EOK, dt.datetime(2026, 10, 5, 10)), (True, None), None),
    "R26BK00000003": ("construction", (50 * EOK, dt.datetime(2026, 10, 5, 10)), (False, 0), WITHOUT_A),
    "R26BK00000004": ("construction", (50 * EOK, dt.datetime(2026, 10, 5, 10)), None, None),
    "R26BK00000005": ("construction", (400 * EOK, dt.datetime(2026, 10, 5, 10)), None, WITHOUT_A),
    "R26BK00000006": ("construction", None, None, None),
    "R26BK00000007": ("services", None, None, WITHOUT_A),
    "R26BK00000008": ("goods", (3 * EOK, dt.datetime(2026, 10, 5, 10)), None, WITHOUT_A),
}


def test_the_training_read_computes_the_floor_only_with_a_known_a(migrated_engine: sa.Engine) -> None:
    """Eight openings a domain expert prices by hand: the floor with the published A, without A where the rule
    does not apply, and unknown (NULL, never the floor of A = 0) where the A값 rule applies or may apply and A is
    not published."""
    opened = dt.datetime(2026, 11, 2, 11)
    with migrated_engine.begin() as conn:
        for no, (category, notice, base, _) in OPENINGS.items():
            conn.execute(
                schema.bid_outcomes.insert().values(
                    notice_no=no,
                    notice_order="000",
                    bid_class_no="1",
                    rebid_no="000",
                    category=category,
                    opened_at=opened,
                    opening_status="개찰완료",
                    opening_registered_at=opened,
                    participant_count=120,
                    base_amount=PLANNED,
                    planned_price=PLANNED,
                    lower_limit_rate=RATE,
                    notice_missing=notice is None,
                )
            )
            if notice is not None:
                conn.execute(
                    schema.bid_notices.insert().values(
                        notice_no=no,
                        notice_order="000",
                        partition_date=notice[1].date(),
                        revision_key="r",
                        category=category,
                        is_cancelled=False,
                        title="손으로 만든 공고",
                        registered_at=notice[1],
                        notice_at=notice[1],
                        estimated_price=notice[0],
                    )
                )
            if base is not None:
                conn.execute(
                    schema.notice_base_amounts.insert().values(
                        notice_no=no,
                        notice_order="000",
                        partition_date=opened.date(),
                        category=category,
                        base_amount=PLANNED,
                        reserve_range_low_pct=-2.0,
                        reserve_range_high_pct=2.0,
                        a_value_applies=base[0],
                        a_value=base[1],
                    )
                )
            # Two bids between the floor without A and the real one, one above the real floor: the lowest valid
            # bid is that one where A is known, unknown where it is not (never the floor of A = 0's).
            for i, amount in enumerate((877_500_000, 880_000_000, 882_000_000)):
                conn.execute(
                    schema.bid_result_bidders.insert().values(
                        notice_no=no,
                        notice_order="000",
                        bid_class_no="1",
                        rebid_no="000",
                        business_no=f"10{i:08d}",
                        partition_date=opened.date(),
                        bid_amount=amount,
                    )
                )
            conn.execute(
                schema.bid_outcomes.update().where(schema.bid_outcomes.c.notice_no == no).values(bidder_count=3)
            )
    raw = store.read_raw_openings(migrated_engine)
    lowest = dict(raw.select("notice_no", "lowest_valid_bid").iter_rows())
    assert lowest["R26BK00000001"] == 882_000_000
    assert lowest["R26BK00000003"] == lowest["R26BK00000007"] == 877_500_000
    assert lowest["R26BK00000002"] is None and lowest["R26BK00000004"] is None
    outcomes = features.opening_outcomes(raw)
    got = {no: floor for no, floor in outcomes.select("notice_no", "floor_amount").iter_rows()}
    assert set(got) == set(OPENINGS)
    for no, (*_, expected) in OPENINGS.items():
        if expected is None:
            assert got[no] is None, no
        else:
            assert got[no] == pytest.approx(expected, abs=1e-3), no
    real = dict(outcomes.select("notice_no", "floor_source").iter_rows())
    assert {no for no, source in real.items() if source == "notice"} == {
        no for no, (*_, floor) in OPENINGS.items() if floor is not None
    }
    a_values = dict(raw.select("notice_no", "a_value").iter_rows())
    assert a_values["R26BK00000002"] is None and a_values["R26BK00000004"] is None
    assert a_values["R26BK00000007"] == 0 and a_values["R26BK00000001"] == A
    assert a_values["R26BK00000005"] == 0  # a 공사 of 400억 is 종합심사: no A, though no 기초금액 row says so
    # The alerts' results read the same A through ingestion's other reader: one rule, the same answer.
    latest = readers.read_latest_openings(migrated_engine, sorted(OPENINGS))
    assert dict(latest.select("notice_no", "a_value").iter_rows()) == a_values
    # Bids at or above the floor and under 100.5% of it (881,126,500 → 885,531,132; 877,450,000 → 881,837,250):
    # unknown where the floor is.
    near = dict(raw.select("notice_no", "near_floor_count").iter_rows())
    assert near["R26BK00000001"] == 1 and near["R26BK00000003"] == near["R26BK00000007"] == 2
    assert near["R26BK00000002"] is None and near["R26BK00000004"] is None and near["R26BK00000006"] is None
    # Bid positions (% of the 기초금액 minus the floor % at a 사정률 of 100%, 0.1-point bins) of the openings with a
    # known floor and a 예비가격 range (001 and 003): 001's reference is 87.745 + 3% × 12.255 = 88.11265, so its
    # bids 87.75 / 88.0 / 88.2 sit in bins -4, -1 and 1; 003's first bid (87.75 - 87.745) in bin 0. 002 (A not
    # published) adds nothing.
    positions = store.read_positions(migrated_engine)
    assert positions["bids"].sum() == 6
    assert set(positions["category"].to_list()) == {"construction"} and set(positions["range_pct"]) == {2.0}
    assert set(positions["known_date"]) == {opened.date()}
    bins = dict(positions.select("position_bin", "bids").iter_rows())
    assert {b: bins.get(b) for b in (-4, -1, 0, 1)} == {-4: 1, -1: 1, 0: 1, 1: 1}, bins


def test_an_open_notice_with_an_unknown_a_gets_no_amount_and_says_why_in_korean() -> None:
    notices = pl.DataFrame(
        {
            "price_decision_method": ["적격심사 복수예가"] * 3,
            "base_amount": [PLANNED] * 3,
            "reserve_range_low_pct": [-2.0] * 3,
            "lower_limit_rate": [RATE] * 3,
            "a_value": [None, None, 0],
            "a_value_rule": [APPLIES, MAY_APPLY, DOES_NOT_APPLY],
        },
        schema_overrides={"a_value": pl.Int64},
    )
    assert status_of(notices).to_list() == [NO_A_VALUE, NO_A_VALUE, PRICED]
    published_not = explanation({"status": NO_A_VALUE, "a_value_rule": APPLIES}, None)  # type: ignore[arg-type]
    unknown_rule = explanation({"status": NO_A_VALUE, "a_value_rule": MAY_APPLY}, None)  # type: ignore[arg-type]
    assert "A값 적용 공고" in published_not and "공개되지 않아" in published_not
    assert "A값 적용 여부" in unknown_rule
    for text in (published_not, unknown_rule):
        assert "낙찰하한가를 계산할 수 없습니다" in text


def test_the_model_prices_only_notices_with_a_known_floor_and_warns_of_nothing() -> None:
    """A notice without a 하한율 or with an unknown A has no floor: no amount and no chance (NaN), and none of the
    NaN floors reaches an integer cast (it did: an empty amount band gave ±inf, cast to int with a RuntimeWarning)."""
    import math
    import warnings

    import numpy as np

    from ml.pricing.model import recommend

    frame = pl.DataFrame(
        {
            "base_amount": [PLANNED] * 3,
            "lower_limit_rate": [RATE, None, RATE],
            "a_value": [A, 0, None],
            "range_pct": [2.0] * 3,
            "category": ["construction"] * 3,
            "category_log_bidders_mean": [math.log(301)] * 3,
        },
        schema_overrides={"a_value": pl.Int64, "lower_limit_rate": pl.Float64},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rec = recommend(None, frame)
    assert np.isfinite([rec.amount[0], rec.win_probability[0], rec.amount_low[0], rec.amount_high[0]]).all()
    assert rec.amount_low[0] <= rec.amount[0] <= rec.amount_high[0]
    assert rec.amount[0] >= WITH_A * 0.97  # around the floor with A (사정률 scenarios ±), not the floor of A = 0
    for row in (1, 2):
        assert np.isnan([rec.amount[row], rec.win_probability[row], rec.amount_low[row], rec.amount_high[row]]).all()
