"""Retention deletes what its settings let go, and nothing else (bidradar/ops/retention.py)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from bidradar.core import schema
from bidradar.ops.retention import prune

TODAY = dt.date(2026, 11, 30)


def _page(day: str) -> dict:
    return {
        "dataset": "notices",
        "partition_date": dt.date.fromisoformat(day),
        "operation": "getBidPblancListInfoServc",
        "request_key": "k",
        "page_no": 1,
        "total_count": 0,
        "item_count": 0,
        "items_json_gz": b"",
        "fetched_at": dt.datetime.fromisoformat(f"{day} 09:00:00"),
    }


def _answer(key: str, revision: str, profile_hash: str, answered: str) -> dict:
    return {
        "cache_key": key.ljust(64, "0"),
        "company_id": "acme",
        "notice_no": "R26BK00000001",
        "notice_revision": revision,
        "profile_hash": profile_hash.ljust(64, "0"),
        "prompt_version": "v1",
        "model": "m",
        "answer_json": "{}",
        "answered_at": dt.datetime.fromisoformat(answered),
    }


def test_old_raw_pages_and_superseded_answers_go_current_ones_stay(migrated_engine: sa.Engine) -> None:
    """On both backends: each domain's prune (ingestion's raw pages, analysis' answers judged against ingestion's
    current revisions and matching's profile hashes) is composed in one statement that both must run."""
    engine = migrated_engine
    with engine.begin() as conn:
        conn.execute(schema.g2b_raw_pages.insert(), [_page("2025-10-01"), _page("2026-11-01")])
        conn.execute(
            schema.bid_notices.insert(),
            {
                "notice_no": "R26BK00000001",
                "notice_order": "001",
                "partition_date": dt.date(2026, 11, 1),
                "revision_key": "r2",
                "category": "goods",
                "is_cancelled": False,
                "title": "t",
                "registered_at": dt.datetime(2026, 11, 1, 9),
            },
        )
        conn.execute(
            schema.company_profiles.insert(),
            {
                "company_id": "acme",
                "file_name": "acme.yaml",
                "data_hash": "h".ljust(64, "0"),
                "is_valid": True,
                "loaded_at": dt.datetime(2026, 11, 1),
            },
        )
        answers = [
            _answer("current", "001|r2", "h", "2026-01-01 00:00:00"),  # old, but still what an analysis reads
            _answer("oldrev", "000|r1", "h", "2026-01-01 00:00:00"),  # superseded revision, long ago: goes
            _answer("oldprofile", "001|r2", "g", "2026-01-01 00:00:00"),  # superseded profile version: goes
            _answer("recent", "000|r1", "h", "2026-11-29 00:00:00"),  # superseded yesterday: kept for now
        ]
        conn.execute(schema.analysis_answers.insert(), answers)
    pruned = prune(engine, TODAY, raw_page_days=400, superseded_days=90)
    assert (pruned.raw_pages, pruned.superseded_answers) == (1, 2)
    with engine.connect() as conn:
        kept_days = conn.execute(sa.select(schema.g2b_raw_pages.c.partition_date)).scalars().all()
        assert kept_days == [dt.date(2026, 11, 1)]
        kept = sorted(k.rstrip("0") for k in conn.exec_driver_sql("SELECT cache_key FROM analysis_answers").scalars())
    assert kept == ["current", "recent"]
    assert prune(engine, TODAY, raw_page_days=0, superseded_days=0) == type(pruned)(0, 0)  # 0 keeps forever
