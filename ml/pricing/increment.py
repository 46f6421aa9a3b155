"""The training set grows by what changed (issue 21 item 2): a run recomputes only the rows whose inputs changed
since the last build, and the later rows whose look-back history those inputs feed. Pure polars, frames in and
out; the warehouse side is `ml.pricing.store.refresh_training_set`.

What a row reads (ml.pricing.features):
- its own opening's raw facts (notice, 예정가격, award, bidder list): fingerprinted per opening in `input_hash`
  (blake2b of the raw row and of the feature code's source, so a change of the code changes every fingerprint and
  the set is rebuilt in full);
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
the award was registered, not the whole set; a new day recomputes its own rows and none before it (their cut-offs
precede its events). Every other row is kept as stored. The result equals a full rebuild row by row
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


@cache
def code_fingerprint() -> str:
    """The source of the code that turns raw facts into a row: edited, every row is rebuilt."""
    digest = hashlib.sha256()
    for module in (features, rules, floor, rates, a_value):
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()[:16]


def input_hashes(raw: pl.DataFrame) -> pl.DataFrame:
    """(opening key, input_hash) of each raw opening: every raw column, NULLs apart from any text."""
    text = raw.select(
        pl.concat_str(
            [pl.col(c).cast(pl.String).fill_null("\x00") for c in features.RAW_OPENING_SCHEMA], separator="\x1f"
        )
    ).to_series()
    code = code_fingerprint()
    hashes = [hashlib.blake2b(f"{code}\x1e{t}".encode(), digest_size=8).hexdigest() for t in text]
    return raw.select(OPENING_KEY).with_columns(pl.Series(HASH, hashes, dtype=pl.String))


def full_build(raw: pl.DataFrame, built_at: dt.datetime) -> pl.DataFrame:
    """Every row from scratch, with its fingerprint (STORED_COLUMNS)."""
    raw = features.trainable(raw)
    rows = features.build_training_set(raw).join(input_hashes(raw), on=OPENING_KEY, how="left")
    return rows.with_columns(pl.lit(built_at, dtype=pl.Datetime("us")).alias("built_at")).select(STORED_COLUMNS)


@dataclass(frozen=True)
class TrainingUpdate:
    """What one run writes: `rows` to upsert, the notices whose stored rows go first (an opening that left the
    set), and the whole set after the write (`training`, for the checks and the metadata)."""

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


def _typed(frame: pl.DataFrame) -> pl.DataFrame:
    schema = {**features_schema(), HASH: pl.String(), "built_at": pl.Datetime("us")}
    return frame.select(pl.col(c).cast(schema[c]) for c in STORED_COLUMNS)


@cache
def features_schema() -> dict[str, pl.DataType]:
    """The dtypes of a full build's columns (an empty build), which every written row takes."""
    return dict(features.build_training_set(features.empty_raw_openings()).schema)


def plan_update(raw: pl.DataFrame, stored: pl.DataFrame, built_at: dt.datetime, full: bool = False) -> TrainingUpdate:
    """The rows to write so the stored set (STORED_COLUMNS, as read back) equals a full build of `raw`."""
    raw = features.trainable(raw)
    hashes = input_hashes(raw)
    stamp = pl.lit(built_at, dtype=pl.Datetime("us")).alias("built_at")
    if full or stored.is_empty():
        reason = "asked for a full rebuild" if full else "nothing stored yet"
        rows = _typed(full_build(raw, built_at))
        return TrainingUpdate("full", reason, rows, rows, new_openings=rows.height)
    stored = _typed(stored)
    old = stored.select(*OPENING_KEY, HASH)
    changed_keys = hashes.join(old, on=[*OPENING_KEY, HASH], how="anti").select(OPENING_KEY)
    removed_keys = old.join(hashes, on=OPENING_KEY, how="anti").select(OPENING_KEY)
    new_keys = hashes.join(old, on=OPENING_KEY, how="anti").select(OPENING_KEY)
    gone_or_changed = pl.concat([changed_keys, removed_keys])
    kept = stored.join(gone_or_changed, on=OPENING_KEY, how="anti")

    fresh = features.opening_outcomes(raw.join(changed_keys, on=OPENING_KEY, how="semi"))
    fresh = fresh.join(hashes, on=OPENING_KEY, how="left")
    changes = event_changes(stored.join(gone_or_changed, on=OPENING_KEY, how="semi"), fresh)
    lookback = kept.join(rows_reading(kept, changes), on=OPENING_KEY, how="semi")
    if fresh.height + lookback.height > FULL_SHARE * max(len(hashes), 1):
        rows = _typed(full_build(raw, built_at))
        reason = f"{fresh.height + lookback.height:,} of {len(hashes):,} rows to recompute: the full build"
        return TrainingUpdate(
            "full", reason, rows, rows, new_openings=new_keys.height, removed_openings=removed_keys.height
        )

    # The history every recomputed row reads: the kept rows as stored, the changed openings as they are now.
    events = pl.concat(
        [kept.select(*OPENING_KEY, *EVENT_COLUMNS), fresh.select(*OPENING_KEY, *EVENT_COLUMNS)],
        how="vertical_relaxed",
    )
    events = features.outcomes_from_training_set(events)
    queries = pl.concat(
        [
            fresh.with_columns(stamp).select([c for c in STORED_COLUMNS if c not in features.HISTORY_FEATURES]),
            lookback.with_columns(stamp).select([c for c in STORED_COLUMNS if c not in features.HISTORY_FEATURES]),
        ],
        how="vertical_relaxed",
    )
    recomputed = _typed(features.history_features(queries, events)) if queries.height else stored.clear()
    # An opening that left the set: its notice's rows are deleted (the write deletes by notice number) and the
    # notice's other rows written again.
    gone = removed_keys["notice_no"].unique().sort().to_list()
    again = kept.join(recomputed, on=OPENING_KEY, how="anti").filter(pl.col("notice_no").is_in(gone))
    rows = pl.concat([recomputed, again]).sort("cutoff_at", *OPENING_KEY)
    training = pl.concat([kept.join(recomputed, on=OPENING_KEY, how="anti"), recomputed]).sort(
        "cutoff_at", *OPENING_KEY
    )
    reason = (
        f"{changed_keys.height - new_keys.height:,} changed, {new_keys.height:,} new and {removed_keys.height:,} "
        f"removed openings; {lookback.height:,} later rows whose history they feed"
    )
    return TrainingUpdate(
        "incremental",
        reason,
        rows,
        training,
        delete_notice_nos=gone,
        new_openings=new_keys.height,
        changed_openings=changed_keys.height - new_keys.height,
        removed_openings=removed_keys.height,
        lookback_rows=lookback.height,
    )
