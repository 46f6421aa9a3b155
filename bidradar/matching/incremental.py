"""Incremental hard matches: which pairs to judge again since the last run, and the verdict codes the per-company
summary is counted from (issue 21 item 2, issue 28 item 2).

A run stores the fingerprint of every input it judged (hard_match_inputs): each open notice's revision and
whether its limits were fetched completely, each valid profile's hash, and the rules' version with the dated rules
in force (the 고시금액 and 행정구역 tables of bidradar.rules: the day of a run matters through them only). The next run
judges again the changed notices against every company and every notice against the changed companies, deletes the
rows of those notices and companies (and of the companies that left) and writes the new ones; a new day of notices
is judged alone. The matches of a notice that closed (or was cancelled) since the last run are not deleted: they
stay frozen as last judged while open (bidradar.matching.store), only its verdict codes go. A new rules' version, a
change of the dated rules in force, an empty state or `full_rebuild` judges every pair of the open notices.

The summary counts every pair, shown or not: each open notice keeps one row of verdict codes, a code per company
(hard_match_notice_verdicts). A run takes the stored rows of the notices it does not judge again, overwrites the
cells it judged (`assemble_codes`) and counts the whole (hard.summary_from_codes), so the counts never depend on a
run's arithmetic on the last one's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from bidradar.matching.hard import RULES_VERSION, VerdictCodes
from bidradar.rules import regions, thresholds

NOTICE, PROFILE, RULES_INPUT = "notice", "profile", "rules"
INPUT_SCHEMA = {"input_kind": pl.String, "input_key": pl.String, "fingerprint": pl.String}


def rules_fingerprint(as_of: dt.datetime) -> str:
    """The rules' version and the dated rules in force on the run's day: the same on every day until a rule of
    bidradar.rules changes, so a new day of notices is matched alone. (The day also decides the deadline, but an
    open notice passes it on every day it is open.)"""
    day = as_of.date()
    return f"{RULES_VERSION}|regions {regions.in_force_since(day)}|thresholds {thresholds.in_force_since(day)}"


def current_inputs(notices: pl.DataFrame, profile_hashes: pl.DataFrame, as_of: dt.datetime) -> pl.DataFrame:
    """The inputs of this run as hard_match_inputs rows. `notices`: notice_no, revision_key, license_known,
    region_known of the open notices; `profile_hashes`: company_id, profile_hash of the valid profiles (store.read_profile_hashes)."""
    known = lambda c: pl.col(c).cast(pl.String).fill_null("null")  # noqa: E731
    notice_rows = notices.select(
        pl.lit(NOTICE).alias("input_kind"),
        pl.col("notice_no").alias("input_key"),
        pl.concat_str(pl.col("revision_key"), known("license_known"), known("region_known"), separator="|").alias(
            "fingerprint"
        ),
    )
    profile_rows = profile_hashes.select(
        pl.lit(PROFILE).alias("input_kind"),
        pl.col("company_id").alias("input_key"),
        pl.col("profile_hash").alias("fingerprint"),
    )
    rules_row = pl.DataFrame(
        {"input_kind": [RULES_INPUT], "input_key": ["hard"], "fingerprint": [rules_fingerprint(as_of)]}
    )
    return pl.concat([conform_inputs(notice_rows), conform_inputs(profile_rows), rules_row])


def conform_inputs(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select([pl.col(c).cast(t) for c, t in INPUT_SCHEMA.items()])


@dataclass(frozen=True)
class Plan:
    full: bool
    reason: str
    changed_notices: list[str] = field(default_factory=list)
    closed_notices: list[str] = field(default_factory=list)
    changed_companies: list[str] = field(default_factory=list)
    removed_companies: list[str] = field(default_factory=list)

    @property
    def deleted_notices(self) -> list[str]:
        """The notices whose live pairs leave the counts (their verdict codes are deleted): changed or closed. Of
        hard_matches only the changed ones' rows are deleted; the closed ones' are frozen."""
        return sorted({*self.changed_notices, *self.closed_notices})

    @property
    def deleted_companies(self) -> list[str]:
        return sorted({*self.changed_companies, *self.removed_companies})


def _changes(stored: pl.DataFrame, current: pl.DataFrame, kind: str) -> tuple[list[str], list[str]]:
    """(new or changed keys, keys gone) of one kind of input."""
    old = stored.filter(pl.col("input_kind") == kind).select("input_key", "fingerprint")
    new = current.filter(pl.col("input_kind") == kind).select("input_key", "fingerprint")
    changed = new.join(old, on=["input_key", "fingerprint"], how="anti")["input_key"].sort().to_list()
    gone = old.join(new, on="input_key", how="anti")["input_key"].sort().to_list()
    return changed, gone


# Past this many changed notices and companies a full rebuild is cheaper than deleting by key (and the keys stay
# within one statement's bound parameters on SQLite).
MAX_CHANGED_KEYS = 5_000


def plan(stored: pl.DataFrame, current: pl.DataFrame, full_rebuild: bool = False) -> Plan:
    """What to judge again, from the stored and the current inputs (INPUT_SCHEMA frames)."""
    if full_rebuild:
        return Plan(True, "full rebuild asked (config full_rebuild)")
    rules_now = current.filter(pl.col("input_kind") == RULES_INPUT)["fingerprint"].to_list()
    rules_then = stored.filter(pl.col("input_kind") == RULES_INPUT)["fingerprint"].to_list()
    if not rules_then:
        return Plan(True, "no stored state (first run)")
    if rules_then != rules_now:
        return Plan(True, f"rules changed ({rules_then[0]} → {rules_now[0]})")
    changed_notices, closed_notices = _changes(stored, current, NOTICE)
    changed_companies, removed_companies = _changes(stored, current, PROFILE)
    changes = Plan(False, "incremental", changed_notices, closed_notices, changed_companies, removed_companies)
    if len(changes.deleted_notices) + len(changes.deleted_companies) > MAX_CHANGED_KEYS:
        return Plan(True, f"more than {MAX_CHANGED_KEYS} notices and companies changed")
    return changes


def stored_companies(stored: pl.DataFrame) -> list[str]:
    """The companies the last run judged, sorted: the columns of its verdict codes."""
    return sorted(stored.filter(pl.col("input_kind") == PROFILE)["input_key"].to_list())


def with_stored_codes(plan: Plan, kept_notices: list[str], stored: VerdictCodes | None) -> Plan:
    """The plan, or a full rebuild when the stored verdict codes cannot be counted on: of other companies than the
    stored inputs say, or missing a notice the run does not judge again (a table written before the codes were)."""
    if plan.full:
        return plan
    if stored is None:
        return Plan(True, "the stored verdict codes are of other companies")
    missing = len(set(kept_notices) - set(stored.notice_nos))
    if missing:
        return Plan(True, f"{missing} open notices have no stored verdict codes")
    return plan


def assemble_codes(
    stored: VerdictCodes | None, judged: list[VerdictCodes], notice_nos: list[str], company_ids: list[str]
) -> VerdictCodes:
    """Every open notice's verdict codes after this run (notices × companies): the stored ones of the pairs not
    judged again, then each judged block over them (a pair judged twice, as a changed notice of a changed company, is
    judged the same way). Every cell must be covered: a gap is a bug in the plan, not a zero."""
    rows = {no: i for i, no in enumerate(notice_nos)}
    columns = {company_id: j for j, company_id in enumerate(company_ids)}
    codes = np.zeros((len(notice_nos), len(company_ids)), dtype=np.uint16)
    covered = np.zeros(codes.shape, dtype=bool)
    index = lambda values: np.array(values, dtype=np.intp)  # noqa: E731  (an empty list indexes too)
    for block in ([stored] if stored is not None else []) + judged:
        source_rows = index([i for i, no in enumerate(block.notice_nos) if no in rows])
        source_columns = index([j for j, company_id in enumerate(block.company_ids) if company_id in columns])
        target = np.ix_(
            index([rows[block.notice_nos[i]] for i in source_rows]),
            index([columns[block.company_ids[j]] for j in source_columns]),
        )
        codes[target] = block.codes[np.ix_(source_rows, source_columns)]
        covered[target] = True
    if not covered.all():
        gaps = int((~covered).sum())
        raise ValueError(f"{gaps} pairs have no verdict code after the run: the plan missed them")
    return VerdictCodes(list(notice_nos), list(company_ids), codes)
