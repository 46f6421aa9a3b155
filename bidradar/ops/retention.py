"""Retention: what the warehouse deletes once nothing reads it (docs/retention.md).

- Raw G2B pages (`g2b_raw_pages`) of partition days older than RAW_PAGE_RETENTION_DAYS: the normalized tables keep
  every row; only a re-normalization of those days (a mapping change) would need a new crawl.
- Superseded Gemini answers (`analysis_answers`) answered more than SUPERSEDED_RETENTION_DAYS ago for a notice
  revision that is no longer the notice's current one, or for a profile version that is no longer the company's:
  no analysis can read them again (the cache key holds the revision and the profile hash). The audit of every call
  (`llm_calls`) is kept.
- A company's matches of closed notices (`hard_matches` rows frozen as last judged while open) whose notice opened
  (or, with no opening time, closed) more than CLOSED_MATCH_RETENTION_DAYS ago: the board has followed them to
  their result. The matches of open notices are never pruned.

0 keeps either forever. Each domain owns the delete of its table (bidradar.ingestion.tables.prune_raw_pages,
bidradar.analysis.store.prune_superseded_answers, bidradar.matching.store.prune_closed_matches), each in one
transaction; this module only says when.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bidradar.analysis.store import prune_superseded_answers
from bidradar.ingestion.tables import prune_raw_pages
from bidradar.matching.store import prune_closed_matches


@dataclass(frozen=True)
class Pruned:
    raw_pages: int
    superseded_answers: int
    closed_matches: int = 0


def prune(
    engine: Engine, today: dt.date, raw_page_days: int, superseded_days: int, closed_match_days: int = 0
) -> Pruned:
    """Delete what the retention settings let go; the counts of deleted rows."""
    raw = answers = matches = 0
    if raw_page_days > 0:
        raw = prune_raw_pages(engine, today - dt.timedelta(days=raw_page_days))
    if superseded_days > 0:
        answers = prune_superseded_answers(
            engine, dt.datetime.combine(today - dt.timedelta(days=superseded_days), dt.time())
        )
    if closed_match_days > 0:
        matches = prune_closed_matches(
            engine, dt.datetime.combine(today - dt.timedelta(days=closed_match_days), dt.time())
        )
    return Pruned(raw_pages=raw, superseded_answers=answers, closed_matches=matches)
