"""Retention: what the warehouse deletes once nothing reads it (docs/retention.md).

- Raw G2B pages (`g2b_raw_pages`) of partition days older than RAW_PAGE_RETENTION_DAYS: the normalized tables keep
  every row; only a re-normalization of those days (a mapping change) would need a new crawl.
- Superseded Gemini answers (`analysis_answers`) answered more than SUPERSEDED_RETENTION_DAYS ago for a notice
  revision that is no longer the notice's current one, or for a profile version that is no longer the company's:
  no analysis can read them again (the cache key holds the revision and the profile hash). The audit of every call
  (`llm_calls`) is kept.

0 keeps either forever. Each table is pruned in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

SUPERSEDED_ANSWERS = """
DELETE FROM analysis_answers
WHERE answered_at < :cutoff
  AND (
    NOT EXISTS (
      SELECT 1 FROM bid_notices n
      WHERE n.notice_no = analysis_answers.notice_no
        AND n.notice_order || '|' || COALESCE(n.revision_key, '') = analysis_answers.notice_revision
    )
    OR NOT EXISTS (
      SELECT 1 FROM company_profiles p
      WHERE p.company_id = analysis_answers.company_id AND p.data_hash = analysis_answers.profile_hash
    )
  )
"""


@dataclass(frozen=True)
class Pruned:
    raw_pages: int
    superseded_answers: int


def prune(engine: Engine, today: dt.date, raw_page_days: int, superseded_days: int) -> Pruned:
    """Delete what the retention settings let go; the counts of deleted rows."""
    raw = answers = 0
    if raw_page_days > 0:
        with engine.begin() as conn:
            raw = conn.execute(
                sa.text("DELETE FROM g2b_raw_pages WHERE partition_date < :cutoff"),
                {"cutoff": (today - dt.timedelta(days=raw_page_days)).isoformat()},
            ).rowcount
    if superseded_days > 0:
        cutoff = dt.datetime.combine(today - dt.timedelta(days=superseded_days), dt.time())
        with engine.begin() as conn:
            answers = conn.execute(
                sa.text(SUPERSEDED_ANSWERS), {"cutoff": cutoff.strftime("%Y-%m-%d %H:%M:%S")}
            ).rowcount
    return Pruned(raw_pages=raw, superseded_answers=answers)
