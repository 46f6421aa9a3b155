"""The hard-match verdict as the rest of bidradar receives it: a typed record, and the one reader of `hard_matches`.

Matching writes one reason code per rule (`bidradar.matching.explain`); this module turns a stored row into a
`HardVerdict` with its Korean reasons, so the API, the dashboard, the alerts and the analyses show the same words
and none of them names a reason column. A pair the table does not keep (hard_matches stores eligible and unknown
pairs only) is judged again on request by the same rules (`verdict_for`), so a notice a company may not bid on
still says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bidradar.core import schema, warehouse
from bidradar.ingestion import readers as ingestion_readers
from bidradar.matching import explain, hard, store
from bidradar.matching import profiles as profile_files

Verdict = Literal["eligible", "conditional", "ineligible", "unknown"]
RuleVerdict = Literal["pass", "fail", "unknown", "conditional"]


@dataclass(frozen=True)
class RuleReason:
    """One rule's judgement of a pair: its reason code and the Korean words of it ("" when it says nothing)."""

    rule: str
    code: int
    text_ko: str

    @property
    def verdict(self) -> RuleVerdict:
        return explain.rule_verdict(self.code)  # type: ignore[return-value]

    @property
    def rule_ko(self) -> str:
        return explain.RULE_KO.get(self.rule, self.rule)

    @property
    def verdict_ko(self) -> str:
        return explain.RULE_VERDICT_KO[self.verdict]


@dataclass(frozen=True)
class HardVerdict:
    """May this company bid on this notice, and why (in Korean)."""

    company_id: str
    notice_no: str
    notice_order: str | None
    verdict: Verdict
    reasons: tuple[RuleReason, ...]
    bid_close_at: dt.datetime | None = None
    estimated_price: int | None = None

    @property
    def verdict_ko(self) -> str:
        return explain.VERDICT_KO[self.verdict]

    @property
    def mark(self) -> str:
        """A sign for lists and Slack, always shown next to `summary_ko`, never alone."""
        return explain.VERDICT_MARK[self.verdict]

    @property
    def reasons_ko(self) -> tuple[str, ...]:
        """The reasons worth reading, those that decide the verdict first (what fails, then what is unknown), then
        the facts behind a yes and the weaknesses, each in rule order."""
        deciding = {"ineligible": "fail", "unknown": "unknown", "conditional": "conditional"}.get(self.verdict)
        first = [r.text_ko for r in self.reasons if r.text_ko and r.verdict == deciding]
        rest = [r.text_ko for r in self.reasons if r.text_ko and r.verdict != deciding]
        return tuple(first + rest)

    @property
    def explanation_ko(self) -> str:
        return explain.SEP.join(self.reasons_ko)

    @property
    def summary_ko(self) -> str:
        """ "참가 불가: 면허 미보유: 전기공사업 · …" — the verdict and its reasons in one line."""
        return f"{self.verdict_ko}: {self.explanation_ko}" if self.reasons_ko else self.verdict_ko

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> HardVerdict:
        """From a row of hard_matches (or of hard.evaluate): reason codes and the facts their words name."""
        reasons = tuple(RuleReason(rule, code, text) for rule, code, text in explain.render_reasons(row))
        return cls(
            company_id=row["company_id"],
            notice_no=row["notice_no"],
            notice_order=row.get("notice_order"),
            verdict=row["verdict"],
            reasons=reasons,
            bid_close_at=row.get("bid_close_at"),
            estimated_price=row.get("estimated_price"),
        )


VERDICT_FRAME_SCHEMA = {
    "company_id": pl.String,
    "notice_no": pl.String,
    "verdict": pl.String,
    "verdict_ko": pl.String,
    "explanation_ko": pl.String,
    "summary_ko": pl.String,
}


def verdicts_frame(verdicts: Sequence[HardVerdict]) -> pl.DataFrame:
    """The records as a frame for the frame-in-frame-out code (alerts): ids, verdict and the Korean words."""
    return pl.DataFrame(
        [
            {
                "company_id": v.company_id,
                "notice_no": v.notice_no,
                "verdict": v.verdict,
                "verdict_ko": v.verdict_ko,
                "explanation_ko": v.explanation_ko,
                "summary_ko": v.summary_ko,
            }
            for v in verdicts
        ],
        schema=VERDICT_FRAME_SCHEMA,
    )


_H = schema.hard_matches


def read_verdicts(
    source: Engine | Connection, company_id: str | None = None, notice_nos: Sequence[str] | None = None
) -> list[HardVerdict]:
    """The stored verdicts (eligible, conditional and unknown pairs) of one company or all, of some notices or all,
    ordered by company and notice: of open notices and, frozen as last judged while open, of closed ones (readers
    that act on open notices only read through the ranked pairs or store.live_condition). The one reader of
    hard_matches."""
    query = sa.select(_H).order_by(_H.c.company_id, _H.c.notice_no)
    if company_id is not None:
        query = query.where(_H.c.company_id == company_id)
    frames = []
    chunks = (
        [list(notice_nos[i : i + 500]) for i in range(0, len(notice_nos), 500)] if notice_nos is not None else [None]
    )
    for chunk in chunks:  # bounded IN lists on both backends
        chunk_query = query if chunk is None else query.where(_H.c.notice_no.in_(chunk))
        frames.append(warehouse.read_frame(source, chunk_query, schema=schema.polars_schema(_H)))
    return [HardVerdict.from_row(row) for frame in frames for row in frame.iter_rows(named=True)]


def pairs_select(company_id: str | None = None) -> sa.Subquery:
    """(company_id, notice_no, verdict) of the stored pairs, live and frozen, as a Core subquery, for readers that
    page, filter or join by verdict in SQL (the API's board, whose stages follow a notice past its close): they
    join this, then read the reasons with read_verdicts."""
    query = sa.select(_H.c.company_id, _H.c.notice_no, _H.c.verdict)
    if company_id is not None:
        query = query.where(_H.c.company_id == company_id)
    return query.subquery("verdict_pairs")


def read_eligible_pairs(source: Engine | Connection) -> pl.DataFrame:
    """(company_id, notice_no, as_of) of every live eligible pair (its notice open at the last matching run;
    frozen pairs of closed notices are not priced), as_of being the company's last matching run (the bid
    recommendations price these)."""
    pairs, s = pairs_select(), schema.hard_match_summary
    query = (
        sa.select(pairs.c.company_id, pairs.c.notice_no, s.c.as_of)
        .join(s, s.c.company_id == pairs.c.company_id)
        .where(pairs.c.verdict == "eligible", store.live_condition(pairs.c.notice_no))
        .order_by(pairs.c.company_id, pairs.c.notice_no)
    )
    types = {"company_id": pl.String, "notice_no": pl.String, **schema.polars_schema(s, ["as_of"])}
    return warehouse.read_frame(source, query, schema=types).select(list(types))


def _judged_as_of(source: Engine | Connection, company_id: str) -> dt.datetime | None:
    s = schema.hard_match_summary
    frame = warehouse.read_frame(
        source, sa.select(s.c.as_of).where(s.c.company_id == company_id), schema=schema.polars_schema(s, ["as_of"])
    )
    return None if frame.is_empty() else frame["as_of"][0]


def verdicts_for(source: Engine | Connection, company_id: str, notice_nos: Sequence[str]) -> dict[str, HardVerdict]:
    """This company's verdicts on these notices: the stored ones, and for pairs the table does not keep
    (ineligible, or a notice closed or cancelled by then and never stored) the same rules run again, in one
    evaluation, on the notices and the profile as of the company's last matching run; the deadline rule then says
    마감 지남 or 취소 공고. A closed notice whose pair was stored has its frozen verdict, as last judged while open. A
    company never matched (or a notice ingestion never saw) has no verdict."""
    found = {v.notice_no: v for v in read_verdicts(source, company_id, notice_nos)}
    rest = sorted(set(notice_nos) - set(found))
    as_of = _judged_as_of(source, company_id) if rest else None
    if as_of is None:
        return found
    profiles = store.read_valid_profiles(source, company_id)
    notices, licenses, regions = ingestion_readers.read_notices_with_limits(source, rest)
    if not profiles or notices.is_empty():
        return found
    pairs = hard.evaluate(
        notices,
        licenses,
        regions,
        profile_files.profiles_frame(profiles),
        profile_files.licenses_frame(profiles),
        as_of,
        keep_all=True,
    )
    found.update({row["notice_no"]: HardVerdict.from_row(row) for row in pairs.iter_rows(named=True)})
    return found


def verdict_for(source: Engine | Connection, company_id: str, notice_no: str) -> HardVerdict | None:
    """One pair's verdict (verdicts_for)."""
    return verdicts_for(source, company_id, [notice_no]).get(notice_no)
