"""The analysis as the rest of bidradar receives it: a typed record, and the one reader of `match_analyses`.

The API, the dashboard and the alerts read analyses through `read_analyses`; none of them parses the JSON columns
or names a column of the table.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bidradar.core import schema, warehouse
from bidradar.ingestion import readers as ingestion_readers
from bidradar.matching import store as matching_store

DECISION_KO = {"go": "참가 권장", "no-go": "참가 비권장"}


@dataclass(frozen=True)
class StoredAnalysis:
    """One company's analysis of one notice, as the analysis asset stored it."""

    company_id: str
    notice_no: str
    source: Literal["gemini", "local"]
    label_ko: str  # who wrote it, e.g. "Gemini 분석" or "로컬 분석 (GEMINI_API_KEY 없음)"
    model: str | None
    summary_ko: str  # three lines
    key_requirements: tuple[str, ...]
    eligibility_concerns: tuple[str, ...]
    risks: tuple[str, ...]
    effort_estimate: str
    decision: Literal["go", "no-go"]
    decision_reasons: tuple[str, ...]
    fit_score: int  # 0..100, the analysis' own judgement (not the soft match's 관련도)
    analysed_at: dt.datetime

    @property
    def decision_ko(self) -> str:
        return DECISION_KO.get(self.decision, self.decision)

    def as_dict(self) -> dict:
        """Plain values for JSON (the API's response)."""
        return {
            "source": self.source,
            "label_ko": self.label_ko,
            "model": self.model,
            "summary_ko": self.summary_ko,
            "key_requirements": list(self.key_requirements),
            "eligibility_concerns": list(self.eligibility_concerns),
            "risks": list(self.risks),
            "effort_estimate": self.effort_estimate,
            "decision": self.decision,
            "decision_ko": self.decision_ko,
            "decision_reasons": list(self.decision_reasons),
            "fit_score": self.fit_score,
            "analysed_at": self.analysed_at,
        }


def _json_list(text: str | None) -> tuple[str, ...]:
    """A JSON array column; a value that is not one (written by hand, an old row) is kept as one item."""
    try:
        value = json.loads(text or "[]")
    except json.JSONDecodeError:
        return (text,) if text else ()
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


_A = schema.match_analyses


def read_analyses(
    source: Engine | Connection, company_id: str | None = None, notice_nos: Sequence[str] | None = None
) -> list[StoredAnalysis]:
    """The stored analyses of one company or all, of some notices or all. The one reader of match_analyses."""
    query = sa.select(_A).order_by(_A.c.company_id, _A.c.notice_no)
    if company_id is not None:
        query = query.where(_A.c.company_id == company_id)
    if notice_nos is not None:
        query = query.where(_A.c.notice_no.in_(list(notice_nos)))
    frame = warehouse.read_frame(source, query, schema=schema.polars_schema(_A))
    return [
        StoredAnalysis(
            company_id=row["company_id"],
            notice_no=row["notice_no"],
            source=row["source"],
            label_ko=row["label_ko"],
            model=row["model"],
            summary_ko=row["summary_ko"],
            key_requirements=_json_list(row["key_requirements"]),
            eligibility_concerns=_json_list(row["eligibility_concerns"]),
            risks=_json_list(row["risks"]),
            effort_estimate=row["effort_estimate"],
            decision=row["decision"],
            decision_reasons=_json_list(row["decision_reasons"]),
            fit_score=row["fit_score"],
            analysed_at=row["analysed_at"],
        )
        for row in frame.iter_rows(named=True)
    ]


def analyses_frame(analyses: Sequence[StoredAnalysis]) -> pl.DataFrame:
    """(company_id, notice_no, label_ko, summary_ko) of the records, for the frame-in-frame-out alerts."""
    return pl.DataFrame(
        [
            {"company_id": a.company_id, "notice_no": a.notice_no, "label_ko": a.label_ko, "summary_ko": a.summary_ko}
            for a in analyses
        ],
        schema={"company_id": pl.String, "notice_no": pl.String, "label_ko": pl.String, "summary_ko": pl.String},
    )


def prune_superseded_answers(engine: Engine, answered_before: dt.datetime) -> int:
    """Delete, in one transaction, the Gemini answers (analysis_answers) answered before `answered_before` for a
    notice revision that is no longer the notice's current one or a profile version that is no longer the
    company's: no analysis can read them again (the cache key holds both). How many went. The current revisions
    and profile hashes come from ingestion's and matching's selectables; the audit of every call (llm_calls) stays."""
    answers = schema.analysis_answers
    revisions = ingestion_readers.current_revisions_select().subquery()
    hashes = matching_store.profile_hashes_select().subquery()
    current_notice = sa.exists().where(
        revisions.c.notice_no == answers.c.notice_no, revisions.c.notice_revision == answers.c.notice_revision
    )
    current_profile = sa.exists().where(
        hashes.c.company_id == answers.c.company_id, hashes.c.profile_hash == answers.c.profile_hash
    )
    with engine.begin() as conn:
        return conn.execute(
            sa.delete(answers).where(answers.c.answered_at < answered_before, sa.or_(~current_notice, ~current_profile))
        ).rowcount
