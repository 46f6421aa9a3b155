"""The training set grows by what changed (issue 21 item 2): a run recomputes only the rows whose inputs changed
since the last build, and the later rows whose look-back history those inputs feed. Pure polars, frames in and
out; the warehouse side is `ml.pricing.store.refresh_training_set`.

What a row reads (ml.pricing.features):
- its own opening's raw facts (notice, 예정가격, award, bidder list): fingerprinted per opening in `input_hash`
  (polars' 64-bit hash of the raw row, seeded by the feature code's source and the polars version, so a change of
  either changes every fingerprint and the set is rebuilt in full);
- the history of other openings, each fact only once it was known strictly before the row's cut-off, in three
  kinds of events (the groups are those of `features.history_features`):

  | event | its time | groups it feeds |
  |---|---|---|
  | the opening (사정률, participants) | `known_at` | demand agency (and × range), notice agency, category × range |
  | the award (winner's margin) | `award_known_at` | demand agency |
  | the bidder list (bids near the floor) | `bidder_list_known_at` | demand agency, category × range |

So a changed opening (new, gone, or with another fingerprint) is recomputed, and for each kind of event whose
content it changed (old and new event compared; an award that arrives late changes only the award event), every
row of the same group with a cut-off after the event's time (old or new) is recomputed: per group the earliest
such time counts. A late award for an old opening thus recomputes that opening and the agency's rows closed after
the award was registered, not the whole set; a new day recomputes its own rows and the older openings whose award
or list came that day, plus only the stored rows that closed after that day's events. Every other row is kept as
stored. The result equals a full rebuild row by row
(tests/test_training_increment.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
from dataclasses import dataclass, field
from functools import cache

import polars as pl

from bidradar.rules import a_value, floor, rates
from ml.pricing import features, rules
from ml.pricing.features import OPENING_KEY

HASH = "input_hash"
STORED_COLUMNS = [*features.TRAINING_COLUMNS, "built_at", HASH]
# More than this share of the rows to recompute: the full build is as cheap and simpler to trust.
FULL_SHARE = 0.5


# Each kind of history event: its time, the columns whose change changes it, the columns it needs to exist (else
# history_features skips it), and the groups it feeds.
@dataclass(frozen=True)
class Event:
    kind: str
    time: str
    values: list[str]
    required: list[str]
    groups: list[list[str]]

    def exists(self, suffix: str = "") -> pl.Expr:
        return pl.all_horizontal(pl.col(f"{c}{suffix}").is_not_null() for c in [self.time, *self.required])

    def content(self, suffix: str = "") -> pl.Expr:
        """The event as one value (NULL when there is none), to compare an opening's old and new versions."""
        columns = [self.time, *self.values]
        return pl.when(self.exists(suffix)).then(pl.struct([pl.col(f"{c}{suffix}").alias(c) for c in columns]))


AGENCY, NOTICE_AGENCY, CATEGORY_RANGE = ["demand_agency_code"], ["notice_agency_code"], ["category", "range_pct"]
EVENTS = [
    Event(
        "opening",
        "known_at",
        [
            "demand_agency_code",
            "notice_agency_code",
            "category",
            "range_pct",
            "assessment_rate_pct",
            "participant_count",
        ],
        [],
        [AGENCY, NOTICE_AGENCY, CATEGORY_RANGE],
    ),
    Event("award", "award_known_at", ["demand_agency_code", "winner_margin_pct"], ["winner_margin_pct"], [AGENCY]),
    Event(
        "list",
        "bidder_list_known_at",
        ["demand_agency_code", "category", "range_pct", "near_floor_count"],
        ["near_floor_count"],
        [AGENCY, CATEGORY_RANGE],
    ),
]
GROUPS = [AGENCY, NOTICE_AGENCY, CATEGORY_RANGE]
EVENT_COLUMNS = sorted({c for e in EVENTS for c in [e.time, *e.values, *e.required]})
# What a run reads of every stored row: the key and fingerprint, the history it gives (cut-off, events) and the
# coverage the asset reports. The look-back rows are read whole.
STATE_COLUMNS = [
    *OPENING_KEY,
    HASH,
    "cutoff_at",
    *EVENT_COLUMNS,
    "bidder_count",
    "floor_source",
    "range_source",
    "lower_limit_source",
]


@cache
def code_fingerprint() -> int:
    """The source of the code that turns raw facts into a row, and the polars version (its hash is stable only
    within a version): either changed, every fingerprint changes and the set is rebuilt in full. A hash seed."""
    digest = hashlib.sha256(pl.__version__.encode())
    for module in (features, rules, floor, rates, a_value):
        digest.update(inspect.getsource(module).encode())
    return int(digest.hexdigest()[:15], 16)


def input_hashes(raw: pl.DataFrame) -> pl.DataFrame:
    """(opening key, input_hash) of each raw opening: a 64-bit hash of every raw column (NULL apart from any value),
    seeded by the code's fingerprint; as text."""
    row = pl.struct([pl.col(c).cast(t) for c, t in features.RAW_OPENING_SCHEMA.items()])
    return raw.select(*OPENING_KEY, row.hash(seed=code_fingerprint()).cast(pl.String).alias(HASH))


def full_build(raw: pl.DataFrame, built_at: dt.datetime) -> pl.DataFrame:
    """Every row from scratch, with its fingerprint (STORED_COLUMNS)."""
    raw = features.trainable(raw)
    rows = features.build_training_set(raw).join(input_hashes(raw), on=OPENING_KEY, how="left")
    return rows.with_columns(pl.lit(built_at, dtype=pl.Datetime("us")).alias("built_at")).select(STORED_COLUMNS)


@dataclass(frozen=True)
class TrainingUpdate:
    """What one run writes: `rows` to upsert, the notices whose stored rows go first (an opening that left the
    set), and the whole set after the write in STATE_COLUMNS (`training`: the history and the coverage, for the
    checks and the metadata)."""

    mode: str  # full or incremental
    reason: str
    rows: pl.DataFrame
    training: pl.DataFrame
    delete_notice_nos: list[str] = field(default_factory=list)
    new_openings: int = 0
    changed_openings: int = 0
    removed_openings: int = 0
    lookback_rows: int = 0  # unchanged openings recomputed because a history they read changed

    @property
    def days(self) -> list[dt.date]:
        """The days (of the cut-off) of the rows written."""
        if self.rows.is_empty():
            return []
        return sorted(self.rows["cutoff_at"].dt.date().unique().to_list())


def event_changes(old: pl.DataFrame, new: pl.DataFrame) -> list[tuple[list[str], pl.DataFrame]]:
    """For each group (GROUPS): (group values, earliest time) of the history events that differ between the old
    (stored) and new versions of the changed openings. A row of that group whose cut-off is after the time reads
    the change. An opening absent on one side (new, or gone) has no event there."""
    both = old.select(*OPENING_KEY, *EVENT_COLUMNS).join(
        new.select(*OPENING_KEY, *EVENT_COLUMNS), on=OPENING_KEY, how="full", coalesce=True, suffix="_new"
    )
    touched: dict[tuple[str, ...], list[pl.DataFrame]] = {tuple(g): [] for g in GROUPS}
    for event in EVENTS:
        differs = both.filter(~event.content().eq_missing(event.content("_new")))
        for suffix in ("", "_new"):
            side = differs.filter(event.exists(suffix))
            for group in event.groups:
                touched[tuple(group)].append(
                    side.select(
                        *[pl.col(f"{g}{suffix}").alias(g) for g in group],
                        pl.col(f"{event.time}{suffix}").cast(pl.Datetime("us")).alias("since"),
                    )
                )
    return [
        (list(group), pl.concat(frames, how="vertical_relaxed").group_by(list(group)).agg(pl.col("since").min()))
        for group, frames in touched.items()
    ]


def rows_reading(rows: pl.DataFrame, changes: list[tuple[list[str], pl.DataFrame]]) -> pl.DataFrame:
    """The keys of `rows` (cutoff_at and the group columns) whose history reads one of the changes: same group,
    cut-off strictly after the event (history counts facts known strictly before the cut-off)."""
    hits = [
        rows.join(since, on=group, how="inner").filter(pl.col("cutoff_at") > pl.col("since")).select(OPENING_KEY)
        for group, since in changes
        if since.height
    ]
    if not hits:
        return rows.select(OPENING_KEY).clear()
    return pl.concat(hits).unique()


def _typed(frame: pl.DataFrame, columns: list[str] = STORED_COLUMNS) -> pl.DataFrame:
    schema = {**features_schema(), HASH: pl.String(), "built_at": pl.Datetime("us")}
    return frame.select(pl.col(c).cast(schema[c]) for c in columns)


@cache
def features_schema() -> dict[str, pl.DataType]:
    """The dtypes of a full build's columns (an empty build), which every written row takes."""
    return dict(features.build_training_set(features.empty_raw_openings()).schema)


@dataclass(frozen=True)
class Plan:
    """What to recompute. `fresh`: the changed and new openings built from their raw facts; `lookback`: the keys
    of the stored rows to recompute for their history (their stored rows are read for `build`); `kept`: the state
    of every stored row that stays (it gives the history)."""

    mode: str
    reason: str
    raw: pl.DataFrame
    fresh: pl.DataFrame
    lookback: pl.DataFrame
    kept: pl.DataFrame
    removed: pl.DataFrame
    new_openings: int
    changed_openings: int


def plan(raw: pl.DataFrame, state: pl.DataFrame, full: bool = False) -> Plan:
    """Compare the raw openings with the stored rows' state (STATE_COLUMNS) and say what to recompute."""
    raw = features.trainable(raw)
    empty = raw.select(OPENING_KEY).clear()
    if full or state.is_empty():
        reason = "asked for a full rebuild" if full else "nothing stored yet"
        return Plan("full", reason, raw, raw.clear(), empty, state.clear(), empty, raw.height, 0)
    hashes = input_hashes(raw)
    state = _typed(state, STATE_COLUMNS)
    old = state.select(*OPENING_KEY, HASH)
    changed_keys = hashes.join(old, on=[*OPENING_KEY, HASH], how="anti").select(OPENING_KEY)
    removed = old.join(hashes, on=OPENING_KEY, how="anti").select(OPENING_KEY)
    new = hashes.join(old, on=OPENING_KEY, how="anti").height
    gone_or_changed = pl.concat([changed_keys, removed])
    kept = state.join(gone_or_changed, on=OPENING_KEY, how="anti")
    fresh = features.opening_outcomes(raw.join(changed_keys, on=OPENING_KEY, how="semi"))
    fresh = fresh.join(hashes, on=OPENING_KEY, how="left")
    changes = event_changes(state.join(gone_or_changed, on=OPENING_KEY, how="semi"), fresh)
    lookback = rows_reading(kept, changes)
    counts = (
        f"{changed_keys.height - new:,} changed, {new:,} new and {removed.height:,} removed openings; "
        f"{lookback.height:,} later rows whose history they feed"
    )
    if fresh.height + lookback.height > FULL_SHARE * max(len(hashes), 1):
        reason = f"{counts}: more than half the rows, the full build"
        return Plan("full", reason, raw, raw.clear(), empty, state.clear(), removed, new, changed_keys.height - new)
    return Plan("incremental", counts, raw, fresh, lookback, kept, removed, new, changed_keys.height - new)


def build(plan: Plan, lookback_rows: pl.DataFrame, built_at: dt.datetime) -> TrainingUpdate:
    """The rows of the plan: all of them (full), or the fresh ones and the stored `lookback_rows` (STORED_COLUMNS)
    with their history recomputed from the kept rows' and the fresh ones' events."""
    counts = {
        "new_openings": plan.new_openings,
        "changed_openings": plan.changed_openings,
        "removed_openings": plan.removed.height,
    }
    if plan.mode == "full":
        rows = _typed(full_build(plan.raw, built_at))
        return TrainingUpdate("full", plan.reason, rows, rows.select(STATE_COLUMNS), **counts)
    stamp = pl.lit(built_at, dtype=pl.Datetime("us")).alias("built_at")
    own = [c for c in STORED_COLUMNS if c not in features.HISTORY_FEATURES]
    events = pl.concat(
        [plan.kept.select(*OPENING_KEY, *EVENT_COLUMNS), plan.fresh.select(*OPENING_KEY, *EVENT_COLUMNS)],
        how="vertical_relaxed",
    )
    queries = pl.concat(
        [plan.fresh.with_columns(stamp).select(own), _typed(lookback_rows).with_columns(stamp).select(own)],
        how="vertical_relaxed",
    )
    if queries.height:
        recomputed = _typed(features.history_features(queries, features.outcomes_from_training_set(events)))
    else:
        recomputed = _typed(_empty_rows())
    # An opening that left the set: its notice's rows are deleted (the write deletes by notice number) and the
    # notice's other rows, read back with the look-back ones, written again.
    gone = plan.removed["notice_no"].unique().sort().to_list()
    again = _typed(lookback_rows).join(recomputed, on=OPENING_KEY, how="anti").filter(pl.col("notice_no").is_in(gone))
    rows = pl.concat([recomputed, again]).sort("cutoff_at", *OPENING_KEY)
    training = pl.concat(
        [plan.kept.join(recomputed, on=OPENING_KEY, how="anti"), recomputed.select(STATE_COLUMNS)]
    ).sort("cutoff_at", *OPENING_KEY)
    return TrainingUpdate(
        "incremental",
        plan.reason,
        rows,
        training,
        delete_notice_nos=gone,
        lookback_rows=plan.lookback.height,
        **counts,
    )


def rows_to_read(plan: Plan) -> pl.DataFrame:
    """The keys whose stored rows `build` needs: the look-back rows, and the rows of a notice that lost one."""
    if plan.mode == "full":
        return plan.lookback
    gone = plan.kept.filter(pl.col("notice_no").is_in(plan.removed["notice_no"].implode())).select(OPENING_KEY)
    return pl.concat([plan.lookback, gone]).unique()


def _empty_rows() -> pl.DataFrame:
    return pl.DataFrame(schema={**features_schema(), HASH: pl.String(), "built_at": pl.Datetime("us")})


def plan_update(raw: pl.DataFrame, stored: pl.DataFrame, built_at: dt.datetime, full: bool = False) -> TrainingUpdate:
    """plan and build with the stored rows at hand (STORED_COLUMNS)."""
    what = plan(raw, stored.select(STATE_COLUMNS) if stored.width else stored, full)
    return build(what, stored.join(rows_to_read(what), on=OPENING_KEY, how="semi"), built_at)
