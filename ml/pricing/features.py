"""The price model's features: one row per past opening, with only what was known before its bids closed.

Two kinds of features:
- the notice's own facts (category, contract method, range, log 기초금액, 하한율, A값 share, region, month, weekday);
- history: the demand agency's earlier draw statistics and the earlier competitor density near the floor. They are
  computed strictly from openings whose results were known before the notice closed (`known_at < cutoff_at`),
  with an as-of join on running sums, so no feature can see the opening it describes or a later one
  (tests/test_pricing.py proves it by recomputing them by brute force and by changing later openings).

Pure polars: frames in, frames out. The same functions build the features of open notices at scoring time,
with `cutoff_at` = the time of scoring.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from bidradar.rules import rates
from ml.pricing import rules

OPENING_KEY = ["notice_no", "notice_order", "bid_class_no", "rebid_no"]

# What the warehouse query (ml.pricing.store) or the benchmark's generator hands over: one row per opening.
RAW_OPENING_SCHEMA: dict[str, pl.DataType] = {
    "notice_no": pl.String(),
    "notice_order": pl.String(),
    "bid_class_no": pl.String(),
    "rebid_no": pl.String(),
    "category": pl.String(),
    "opened_at": pl.Datetime("us"),
    "opening_status": pl.String(),  # 개찰완료, 유찰, ... (NULL: only the award was crawled)
    "known_at": pl.Datetime("us"),
    "bid_close_at": pl.Datetime("us"),
    "demand_agency_code": pl.String(),
    "notice_agency_code": pl.String(),
    "demand_agency_name": pl.String(),
    "contract_method": pl.String(),
    "construction_site_region": pl.String(),
    "base_amount": pl.Int64(),
    "planned_price": pl.Int64(),
    "lower_limit_rate": pl.Float64(),
    "estimated_price": pl.Int64(),
    "reserve_range_low_pct": pl.Float64(),
    "reserve_range_high_pct": pl.Float64(),
    # The A of the floor (bidradar.rules.a_value): 0 where the A값 rule does not apply, NULL where it applies without
    # a published A or may apply (the floor is unknown then, never computed with 0).
    "a_value": pl.Int64(),
    "a_value_rule": pl.String(),  # applies, does_not_apply, may_apply
    "reserve_price_count": pl.Int32(),
    "drawn_price_count": pl.Int32(),
    "winning_amount": pl.Int64(),
    # When each fact became known: the opening's registration is known_at (사정률, participant count); the award
    # has its own registration; the bidder list its fetch. NULL: that fact is not in the warehouse.
    "award_known_at": pl.Datetime("us"),
    "bidder_list_known_at": pl.Datetime("us"),
    "reserve_price_low": pl.Int64(),
    "reserve_price_high": pl.Int64(),
    "participant_count": pl.Int32(),  # G2B's prtcptCnum (bulk, every opening); NULL: G2B did not say
    "bidder_list_count": pl.Int32(),  # rows of the fetched bidder list; NULL: not fetched (never 0 for that)
    "near_floor_count": pl.Int32(),  # from the list and the notice's floor; NULL: unknown
    "lowest_valid_bid": pl.Int64(),  # the lowest bid at or above the real floor, from the list
}

# What a notice that is still open brings (the same facts, no outcome).
NOTICE_COLUMNS = [
    "notice_no",
    "notice_order",
    "category",
    "bid_close_at",
    "demand_agency_code",
    "notice_agency_code",
    "demand_agency_name",
    "contract_method",
    "construction_site_region",
    "base_amount",
    "lower_limit_rate",
    "estimated_price",
    "reserve_range_low_pct",
    "reserve_range_high_pct",
    "a_value",
    "a_value_rule",
    "reserve_price_count",
    "drawn_price_count",
]

SIDO_SUFFIXES = ("특별시", "광역시", "특별자치시", "특별자치도", "도")
NEAR_FLOOR_PCT = 0.5  # "near the floor": within 0.5% above it

# Running statistics per group; each is (name, value expression over an opening's outcome). A NULL value (an
# unknown count) is not counted: each mean is over the openings where the fact is known.
_AGENCY_STATS = {
    "rate_dev": pl.col("rate_dev"),
    "rate_dev_sq": pl.col("rate_dev") ** 2,
    "log_bidders": (pl.col("participant_count").cast(pl.Float64) + 1).log(),
    "participants": pl.col("participant_count").cast(pl.Float64),
}
_NEAR = {"near": pl.col("near_floor_count").cast(pl.Float64)}
_MARGIN = {"margin": pl.col("winner_margin_pct")}

HISTORY_FEATURES = [
    "agency_openings",
    "agency_rate_dev_mean",
    "agency_rate_dev_std",
    "agency_range_openings",
    "agency_range_rate_mean",
    "agency_counted_openings",
    "agency_log_bidders_mean",
    "agency_participants_mean",
    "agency_list_openings",
    "agency_near_floor_mean",
    "agency_awarded_openings",
    "agency_margin_mean",
    "notice_agency_openings",
    "notice_agency_rate_dev_mean",
    "category_log_bidders_mean",
    "category_near_floor_mean",
]
NOTICE_FEATURES = [
    "range_pct",
    "log_base_amount",
    "lower_limit_rate",
    "a_share",
    "month",
    "weekday",
    "reserve_price_count",
    "drawn_price_count",
]
CATEGORICAL_FEATURES = ["category", "contract_method", "region"]
TARGETS = ["assessment_rate_pct", "winner_margin_pct", "participant_count"]


def region_expr() -> pl.Expr:
    """시도 of the work: the 공사 site's region, else the demand agency's 시도 when its name starts with one."""
    site = pl.col("construction_site_region").str.split(" ").list.first()
    agency = pl.col("demand_agency_name").str.split(" ").list.first()
    is_sido = pl.any_horizontal([agency.str.ends_with(s) for s in SIDO_SUFFIXES])
    return pl.coalesce(site, pl.when(is_sido).then(agency)).fill_null("전국")


def range_from_prices() -> pl.Expr:
    """The half range (%) read off the 15 예비가격 when the notice's 기초금액 row is not in the warehouse: they are
    drawn in 15 equal slices of ±range around the 기초금액, so the widest price is within one slice of the edge;
    the smallest of the usual ranges (2, 3 %) that holds it, else the reach rounded up to half a point."""
    base = pl.col("base_amount").cast(pl.Float64)
    reach = (
        pl.max_horizontal(
            (pl.col("reserve_price_high") / base - 1).abs(), (1 - pl.col("reserve_price_low") / base).abs()
        )
        * 100
    )
    return (
        pl.when(reach.is_null())
        .then(None)
        .when(reach <= 2.0 + 1e-9)
        .then(2.0)
        .when(reach <= 3.0 + 1e-9)
        .then(3.0)
        .otherwise((reach * 2).ceil() / 2)
    )


def notice_facts(frame: pl.DataFrame, cutoff: pl.Expr) -> pl.DataFrame:
    """The notice's own features (known before bidding), for openings and for open notices alike."""
    notice_range = ((pl.col("reserve_range_high_pct") - pl.col("reserve_range_low_pct")) / 2).abs()
    # All-NULL columns (a query that found no value) come back untyped: give them their types first.
    frame = frame.with_columns(pl.col(c).cast(t) for c, t in RAW_OPENING_SCHEMA.items() if c in frame.columns)
    from_prices = range_from_prices() if "reserve_price_high" in frame.columns else pl.lit(None, dtype=pl.Float64)
    return (
        frame.with_columns(
            cutoff_at=cutoff,
            range_source=pl.when(notice_range > 0)
            .then(pl.lit("notice"))
            .when(from_prices.is_not_null())
            .then(pl.lit("prices"))
            .otherwise(pl.lit("default")),
            range_pct=pl.when(notice_range > 0).then(notice_range).otherwise(pl.coalesce(from_prices, pl.lit(2.0))),
            log_base_amount=pl.col("base_amount").cast(pl.Float64).log(),
            # An unknown A stays unknown (NULL share: the trees treat it as missing), never 0.
            a_share=pl.col("a_value") / pl.col("base_amount"),
            region=region_expr(),
            contract_method=pl.col("contract_method").fill_null("미상"),
            month=pl.coalesce("bid_close_at", cutoff).dt.month().cast(pl.Int32),
            weekday=pl.coalesce("bid_close_at", cutoff).dt.weekday().cast(pl.Int32),
            lower_limit_source=pl.when(pl.col("lower_limit_rate").is_not_null())
            .then(pl.lit("notice"))
            .otherwise(pl.lit("table")),
        )
        .with_columns(lower_limit_rate=_lower_limit_rate())
        .with_columns(
            # The table has no row either (외자, beyond the bands, no 추정가격): the rate stays unknown, not guessed.
            lower_limit_source=pl.when(pl.col("lower_limit_rate").is_null())
            .then(pl.lit("unknown"))
            .otherwise(pl.col("lower_limit_source"))
        )
    )


def _lower_limit_rate() -> pl.Expr:
    """The notice's own 하한율; the dated table only for a notice that lacks it."""
    fallback = pl.struct("category", "estimated_price", "range_pct", "bid_close_at").map_elements(
        lambda r: rates.table_rate(
            r["category"],
            r["estimated_price"],
            "local" if (r["range_pct"] or 2) >= 3 else "national",
            (r["bid_close_at"] or dt.datetime(2026, 1, 1)).date(),
        ),
        return_dtype=pl.Float64,
    )
    return pl.when(pl.col("lower_limit_rate").is_not_null()).then(pl.col("lower_limit_rate")).otherwise(fallback)


def opening_outcomes(raw: pl.DataFrame) -> pl.DataFrame:
    """Each past opening's facts, cut-off, known times and targets (사정률, winner's margin, competitors).

    Unknown stays unknown: no count is filled with 0. The floor is the real one only with G2B's own 하한율 (the
    notice's or the opening's) and a known A (`bidradar.rules.a_value`: 0 where the A값 rule does not apply, the
    published A where it does): `floor_source` = notice; the winner's margin and the bids near the floor only then.
    An opening whose A is unknown has no floor at all (NULL), not one computed with A = 0."""
    frame = notice_facts(raw, pl.coalesce("bid_close_at", "opened_at"))
    floor = rules.floor_amount(pl.col("planned_price"), pl.col("lower_limit_rate"), pl.col("a_value"))
    real_floor = (pl.col("lower_limit_source") == "notice") & pl.col("a_value").is_not_null()
    return (
        frame.with_columns(
            assessment_rate_pct=pl.col("planned_price") / pl.col("base_amount") * 100,
            floor_amount=floor,
            floor_source=pl.when(real_floor).then(pl.lit("notice")).otherwise(pl.lit("table")),
            known_at=pl.coalesce("known_at", "opened_at"),
            bidder_count=pl.col("bidder_list_count"),
            near_floor_count=pl.when(real_floor).then(pl.col("near_floor_count")),
            lowest_valid_bid=pl.when(real_floor).then(pl.col("lowest_valid_bid")),
        )
        .with_columns(
            winner_margin_pct=pl.when(real_floor).then((pl.col("winning_amount") / pl.col("floor_amount") - 1) * 100),
            rate_dev=(pl.col("assessment_rate_pct") - 100) / pl.col("range_pct"),
        )
        .filter(pl.col("known_at").is_not_null() & pl.col("cutoff_at").is_not_null())
    )


def _running(events: pl.DataFrame, by: list[str], stats: dict[str, pl.Expr], prefix: str) -> pl.DataFrame:
    """Running count and sums per group, one row per (group, known_at) with everything known up to then."""
    sums = [expr.fill_null(0).cum_sum().over(by).alias(f"{prefix}_{name}_sum") for name, expr in stats.items()]
    counts = [
        expr.is_not_null().cast(pl.Int64).cum_sum().over(by).alias(f"{prefix}_{name}_n") for name, expr in stats.items()
    ]
    # A stable sort: openings known at the same instant are summed in the order history_features gave them (by
    # key), so a float sum comes out the same bit for bit however the events were gathered (a full build or an
    # increment that reads most of them back from the stored set).
    running = events.sort("known_at", maintain_order=True).select(*by, "known_at", *sums, *counts)
    # Several openings known at the same instant: keep the row that includes them all.
    return running.group_by([*by, "known_at"], maintain_order=True).last().sort("known_at")


def _as_of(
    queries: pl.DataFrame, events: pl.DataFrame, by: list[str], stats: dict[str, pl.Expr], prefix: str
) -> pl.DataFrame:
    """For each query row: the group's running sums over openings known strictly before its cutoff_at."""
    running = _running(events.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in by)), by, stats, prefix)
    joined = queries.sort("cutoff_at").join_asof(
        running,
        left_on="cutoff_at",
        right_on="known_at",
        by=by,
        strategy="backward",
        allow_exact_matches=False,
        check_sortedness=False,
    )
    return joined.drop("known_at_right", strict=False)


def _mean(prefix: str, name: str) -> pl.Expr:
    n = pl.col(f"{prefix}_{name}_n")
    return pl.when(n > 0).then(pl.col(f"{prefix}_{name}_sum") / n)


_EVENT_TYPES: dict[str, pl.DataType] = {
    "known_at": pl.Datetime("us"),
    "award_known_at": pl.Datetime("us"),
    "bidder_list_known_at": pl.Datetime("us"),
    "cutoff_at": pl.Datetime("us"),
    "demand_agency_code": pl.String(),
    "notice_agency_code": pl.String(),
    "category": pl.String(),
    "range_pct": pl.Float64(),
    "rate_dev": pl.Float64(),
    "assessment_rate_pct": pl.Float64(),
    "participant_count": pl.Int32(),
    "near_floor_count": pl.Int32(),
    "winner_margin_pct": pl.Float64(),
}


def _known_by(events: pl.DataFrame, column: str) -> pl.DataFrame:
    """The events as they became known through `column` (an award's registration, a list's fetch)."""
    return events.filter(pl.col(column).is_not_null()).with_columns(known_at=pl.col(column))


def history_features(queries: pl.DataFrame, outcomes: pl.DataFrame) -> pl.DataFrame:
    """Add HISTORY_FEATURES to `queries` (needs cutoff_at, demand/notice agency, range_pct, category) from the
    `outcomes` of past openings, each fact counted only when it was known strictly before the query's cutoff_at:
    the 사정률 and the participant count from the opening's registration (known_at), the winner's margin from the
    award's own registration (award_known_at), the bids near the floor from the list's fetch (bidder_list_known_at)."""
    if all(c in outcomes.columns for c in OPENING_KEY):
        outcomes = outcomes.sort("known_at", *OPENING_KEY)
    events = outcomes.select(
        "known_at",
        "award_known_at",
        "bidder_list_known_at",
        "demand_agency_code",
        "notice_agency_code",
        "category",
        "range_pct",
        "rate_dev",
        "assessment_rate_pct",
        "participant_count",
        "near_floor_count",
        "winner_margin_pct",
    ).with_columns(pl.col(c).cast(t) for c, t in _EVENT_TYPES.items() if c != "cutoff_at")  # empty: untyped
    awards = _known_by(events.filter(pl.col("winner_margin_pct").is_not_null()), "award_known_at")
    lists = _known_by(events.filter(pl.col("near_floor_count").is_not_null()), "bidder_list_known_at")
    index = "_row"
    q = queries.with_row_index(index)
    base = q.select(index, "cutoff_at", "demand_agency_code", "notice_agency_code", "category", "range_pct")
    base = base.with_columns(pl.col(c).cast(t) for c, t in _EVENT_TYPES.items() if c in base.columns)
    agency = _as_of(base, events, ["demand_agency_code"], _AGENCY_STATS, "a")
    agency_awards = _as_of(base, awards, ["demand_agency_code"], _MARGIN, "aw")
    agency_lists = _as_of(base, lists, ["demand_agency_code"], _NEAR, "al")
    agency_range = _as_of(
        base, events, ["demand_agency_code", "range_pct"], {"rate": pl.col("assessment_rate_pct")}, "ar"
    )
    notice_agency = _as_of(
        base,
        events.rename({"notice_agency_code": "_nac"}).with_columns(notice_agency_code=pl.col("_nac")),
        ["notice_agency_code"],
        {"rate_dev": pl.col("rate_dev")},
        "na",
    )
    category = _as_of(base, events, ["category", "range_pct"], {"log_bidders": _AGENCY_STATS["log_bidders"]}, "c")
    category_lists = _as_of(base, lists, ["category", "range_pct"], _NEAR, "cl")
    var = _mean("a", "rate_dev_sq") - _mean("a", "rate_dev") ** 2
    stats = (
        agency.select(
            index,
            pl.col("a_rate_dev_n").fill_null(0).cast(pl.Int32).alias("agency_openings"),
            _mean("a", "rate_dev").alias("agency_rate_dev_mean"),
            pl.when(pl.col("a_rate_dev_n") > 1).then(var.clip(0, None).sqrt()).alias("agency_rate_dev_std"),
            pl.col("a_log_bidders_n").fill_null(0).cast(pl.Int32).alias("agency_counted_openings"),
            _mean("a", "log_bidders").alias("agency_log_bidders_mean"),
            _mean("a", "participants").alias("agency_participants_mean"),
        )
        .join(
            agency_lists.select(
                index,
                pl.col("al_near_n").fill_null(0).cast(pl.Int32).alias("agency_list_openings"),
                _mean("al", "near").alias("agency_near_floor_mean"),
            ),
            on=index,
        )
        .join(
            agency_awards.select(
                index,
                pl.col("aw_margin_n").fill_null(0).cast(pl.Int32).alias("agency_awarded_openings"),
                _mean("aw", "margin").alias("agency_margin_mean"),
            ),
            on=index,
        )
        .join(
            agency_range.select(
                index,
                pl.col("ar_rate_n").fill_null(0).cast(pl.Int32).alias("agency_range_openings"),
                _mean("ar", "rate").alias("agency_range_rate_mean"),
            ),
            on=index,
        )
        .join(
            notice_agency.select(
                index,
                pl.col("na_rate_dev_n").fill_null(0).cast(pl.Int32).alias("notice_agency_openings"),
                _mean("na", "rate_dev").alias("notice_agency_rate_dev_mean"),
            ),
            on=index,
        )
        .join(category.select(index, _mean("c", "log_bidders").alias("category_log_bidders_mean")), on=index)
        .join(category_lists.select(index, _mean("cl", "near").alias("category_near_floor_mean")), on=index)
    )
    return q.join(stats, on=index).sort(index).drop(index)


TRAINING_COLUMNS = [
    *OPENING_KEY,
    "cutoff_at",
    "known_at",
    "award_known_at",
    "bidder_list_known_at",
    "opened_at",
    "opening_status",
    "category",
    "demand_agency_code",
    "notice_agency_code",
    "contract_method",
    "region",
    "range_pct",
    "range_source",
    "reserve_price_count",
    "drawn_price_count",
    "base_amount",
    "log_base_amount",
    "lower_limit_rate",
    "lower_limit_source",
    "floor_source",
    "a_value",
    "a_share",
    "month",
    "weekday",
    *HISTORY_FEATURES,
    "assessment_rate_pct",
    "floor_amount",
    "winning_amount",
    "lowest_valid_bid",
    "winner_margin_pct",
    "participant_count",
    "bidder_count",
    "near_floor_count",
]


def trainable(raw: pl.DataFrame) -> pl.DataFrame:
    """The raw openings that make a training row (and a history event): a 사정률, a range, a known time and a
    cut-off. Row by row, so a subset of the raw openings gives the subset of the rows."""
    return raw.filter(
        pl.col("planned_price").is_not_null()
        & (pl.col("base_amount") > 0)
        & (pl.col("reserve_range_low_pct").is_not_null() | pl.col("reserve_price_high").is_not_null())
        & pl.coalesce("known_at", "opened_at").is_not_null()
        & pl.coalesce("bid_close_at", "opened_at").is_not_null()
    )


def build_training_set(raw: pl.DataFrame) -> pl.DataFrame:
    """One row per past opening with a 사정률: features known before bidding, and the targets (the full build;
    ml.pricing.increment grows a stored set by what changed and gives the same rows)."""
    outcomes = opening_outcomes(trainable(raw))
    return history_features(outcomes, outcomes).select(TRAINING_COLUMNS).sort("cutoff_at", *OPENING_KEY)


def as_known_at(raw: pl.DataFrame, at: dt.datetime) -> pl.DataFrame:
    """The raw openings as the warehouse held them at `at`: openings registered later are absent, awards
    registered later and bidder lists fetched later are not there yet (their facts NULL)."""
    award = pl.col("award_known_at").is_not_null() & (pl.col("award_known_at") < at)
    listed = pl.col("bidder_list_known_at").is_not_null() & (pl.col("bidder_list_known_at") < at)
    return raw.filter(pl.col("known_at") < at).with_columns(
        *[pl.when(award).then(pl.col(c)).alias(c) for c in ("winning_amount", "award_known_at")],
        *[
            pl.when(listed).then(pl.col(c)).alias(c)
            for c in ("bidder_list_known_at", "bidder_list_count", "near_floor_count", "lowest_valid_bid")
        ],
    )


def opening_features_at(raw: pl.DataFrame, key: dict[str, str], at: dt.datetime) -> dict:
    """The features of one past opening computed from the history the warehouse held at `at` (its own notice facts
    are known before its close): the same for any `at` at or after the close, or something leaks."""
    this = raw.filter(pl.all_horizontal(pl.col(c) == key[c] for c in OPENING_KEY))
    query = opening_outcomes(this).select(
        *OPENING_KEY,
        "cutoff_at",
        "demand_agency_code",
        "notice_agency_code",
        "category",
        "range_pct",
        *[c for c in NOTICE_FEATURES if c != "range_pct"],
    )
    history = opening_outcomes(as_known_at(raw, at))
    row = history_features(query, history).row(0, named=True)
    return {name: row[name] for name in [*NOTICE_FEATURES, *HISTORY_FEATURES]}


def notice_features(notices: pl.DataFrame, outcomes: pl.DataFrame, as_of: dt.datetime) -> pl.DataFrame:
    """Features of open notices at `as_of`: history is what was known before `as_of` (not before the close)."""
    facts = notice_facts(notices, pl.lit(as_of, dtype=pl.Datetime("us")))
    return history_features(facts, outcomes)


def outcomes_from_training_set(training: pl.DataFrame) -> pl.DataFrame:
    """The past openings' outcomes as history_features wants them, from the stored training set."""
    return training.with_columns(rate_dev=(pl.col("assessment_rate_pct") - 100) / pl.col("range_pct"))


def empty_raw_openings() -> pl.DataFrame:
    return pl.DataFrame(schema=RAW_OPENING_SCHEMA)


def as_float_matrix(frame: pl.DataFrame, columns: list[str]) -> np.ndarray:
    return frame.select(pl.col(c).cast(pl.Float64) for c in columns).to_numpy()


def brute_force_history(row: dict, outcomes: pl.DataFrame) -> dict[str, float | int | None]:
    """The agency history of one row, recomputed the slow, obvious way: a filter on each fact's known time."""
    cutoff = row["cutoff_at"]
    agency_all = outcomes.filter(pl.col("demand_agency_code") == row["demand_agency_code"])
    agency = agency_all.filter(pl.col("known_at") < cutoff)
    agency_range = agency.filter(pl.col("range_pct") == row["range_pct"])
    counted = agency.filter(pl.col("participant_count").is_not_null())
    awarded = agency_all.filter((pl.col("award_known_at") < cutoff) & pl.col("winner_margin_pct").is_not_null())
    listed = agency_all.filter((pl.col("bidder_list_known_at") < cutoff) & pl.col("near_floor_count").is_not_null())
    return {
        "agency_openings": agency.height,
        "agency_rate_dev_mean": agency["rate_dev"].mean() if agency.height else None,  # type: ignore[dict-item]
        "agency_range_openings": agency_range.height,
        "agency_range_rate_mean": agency_range["assessment_rate_pct"].mean() if agency_range.height else None,  # type: ignore[dict-item]
        "agency_counted_openings": counted.height,
        "agency_awarded_openings": awarded.height,
        "agency_margin_mean": awarded["winner_margin_pct"].mean() if awarded.height else None,  # type: ignore[dict-item]
        "agency_list_openings": listed.height,
        "agency_near_floor_mean": listed["near_floor_count"].cast(pl.Float64).mean() if listed.height else None,  # type: ignore[dict-item]
    }


def leakage_mismatches(training: pl.DataFrame, outcomes: pl.DataFrame, sample: int = 200, seed: int = 0) -> int:
    """How many sampled rows have a history feature that differs from its brute-force recomputation."""
    if training.is_empty():
        return 0
    rows = training.sample(min(sample, training.height), seed=seed).iter_rows(named=True)
    bad = 0
    for row in rows:
        for name, expected in brute_force_history(row, outcomes).items():
            got = row[name]
            if (expected is None) != (got is None) or (
                expected is not None and abs(float(expected) - float(got)) > 1e-6 * max(1.0, abs(float(expected)))
            ):
                bad += 1
                break
    return bad
