"""Incremental hard matches: which pairs to judge again since the last run, and the per-company summary from the
stored rows (issue 21 item 2).

A run stores the fingerprint of every input it judged (hard_match_inputs): each open notice's revision and
whether its limits were fetched completely, each valid profile's hash, and the rules' version with the day (a
profile's licenses are judged on the day of the run). The next run judges again the changed notices against every
company and every notice against the changed companies, deletes the rows of those notices and companies (and of the
companies that left) and writes the new ones. The matches of a notice that closed (or was cancelled) since the last
run are not deleted: they stay frozen as last judged while open (bidradar.matching.store), only its failures go.
A new rules' version or day, an empty state or `full_rebuild` judges every pair of the open notices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from bidradar.matching.explain import RULES
from bidradar.matching.hard import CONDITIONAL, ELIGIBLE, RULES_VERSION, SUMMARY_SCHEMA, UNKNOWN, conform

NOTICE, PROFILE, RULES_INPUT = "notice", "profile", "rules"
INPUT_SCHEMA = {"input_kind": pl.String, "input_key": pl.String, "fingerprint": pl.String}


def rules_fingerprint(as_of: dt.datetime) -> str:
    return f"{RULES_VERSION}|{as_of.date().isoformat()}"


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
        """The notices whose live pairs leave the counts (and hard_match_failures): changed or closed. Of
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
        return Plan(True, f"rules or day changed ({rules_then[0]} → {rules_now[0]})")
    changed_notices, closed_notices = _changes(stored, current, NOTICE)
    changed_companies, removed_companies = _changes(stored, current, PROFILE)
    changes = Plan(False, "incremental", changed_notices, closed_notices, changed_companies, removed_companies)
    if len(changes.deleted_notices) + len(changes.deleted_companies) > MAX_CHANGED_KEYS:
        return Plan(True, f"more than {MAX_CHANGED_KEYS} notices and companies changed")
    return changes


def summary_from_rows(
    kept: pl.DataFrame, failures: pl.DataFrame, company_ids: list[str], open_notices: int
) -> pl.DataFrame:
    """The per-company counts (hard.SUMMARY_SCHEMA) of the stored rows: `kept` (company_id, verdict, pairs) of
    hard_matches, `failures` (company_id, fail_mask, pairs) of hard_match_failures, `pairs` how many rows each
    line stands for; every company gets a row."""
    companies = pl.DataFrame({"company_id": company_ids}, schema={"company_id": pl.String})
    count = lambda condition: pl.col("pairs").filter(condition).sum()  # noqa: E731
    verdicts = kept.group_by("company_id").agg(
        eligible=count(pl.col("verdict") == ELIGIBLE),
        unknown=count(pl.col("verdict") == UNKNOWN),
        conditional=count(pl.col("verdict") == CONDITIONAL),
    )
    failed = failures.group_by("company_id").agg(
        pl.col("pairs").sum().alias("ineligible"),
        *[count((pl.col("fail_mask") // (1 << bit)) % 2 == 1).alias(f"fail_{rule}") for bit, rule in enumerate(RULES)],
    )
    summary = (
        companies.join(verdicts, on="company_id", how="left")
        .join(failed, on="company_id", how="left")
        .with_columns(pl.lit(open_notices, dtype=pl.Int64).alias("open_notices"))
        .fill_null(0)
    )
    return conform(summary, SUMMARY_SCHEMA).sort("company_id")
