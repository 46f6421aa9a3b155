"""The one reader of soft_matches: each company's top-K relevant notices among its eligible or unknown pairs.

soft_matches stores the score of every such pair; the rank is computed here (best score first, ties by notice_no),
and a company keeps the K best, K being the top_k of the run that scored them unless the reader asks for another.
Columns (RANKED_SCHEMA): company_id, notice_no, rank (1..K), score (0..100), hard_verdict (eligible or unknown),
matched_terms (comma-separated include keywords), scorer, as_of, evaluated_at. Readers that page or join in SQL (the
API's board) join `ranked_select()`; the others read a frame with `read_ranked`.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bidradar.core import schema, warehouse

_S = schema.soft_matches
_STORED = schema.polars_schema(_S)
_COLUMNS = (
    "company_id",
    "notice_no",
    "rank",
    "score",
    "hard_verdict",
    "matched_terms",
    "scorer",
    "as_of",
    "evaluated_at",
)
RANKED_SCHEMA: dict[str, pl.DataType] = {name: _STORED.get(name, pl.Int64) for name in _COLUMNS}


def ranked_select(company_id: str | None = None, top_k: int | None = None) -> sa.Subquery:
    """The ranked pairs (every column above) as a Core subquery, of one company or all, down to the run's K and to
    rank top_k when given."""
    rank = sa.func.row_number().over(partition_by=_S.c.company_id, order_by=(_S.c.score.desc(), _S.c.notice_no))
    stored = sa.select(*[_S.c[name] for name in _COLUMNS if name != "rank"], rank.label("rank"), _S.c.top_k)
    if company_id is not None:
        stored = stored.where(_S.c.company_id == company_id)
    scored = stored.subquery("scored_pairs")
    query = sa.select(*[scored.c[name] for name in _COLUMNS]).where(scored.c.rank <= scored.c.top_k)
    if top_k is not None:
        query = query.where(scored.c.rank <= top_k)
    return query.subquery("ranked_pairs")


def read_ranked(
    source: Engine | Connection,
    company_id: str | None = None,
    notice_nos: Sequence[str] | None = None,
    top_k: int | None = None,
) -> pl.DataFrame:
    """The ranked pairs as a frame (RANKED_SCHEMA), ordered by company and rank."""
    ranked = ranked_select(company_id, top_k)
    query = sa.select(ranked).order_by(ranked.c.company_id, ranked.c.rank)
    if notice_nos is None:
        return warehouse.read_frame(source, query, schema=RANKED_SCHEMA).select(list(RANKED_SCHEMA))
    frames = [
        warehouse.read_frame(
            source, query.where(ranked.c.notice_no.in_(list(notice_nos[i : i + 500]))), schema=RANKED_SCHEMA
        )
        for i in range(0, len(notice_nos), 500)  # bounded IN lists on both backends
    ]
    return pl.concat([f.select(list(RANKED_SCHEMA)) for f in frames]) if frames else pl.DataFrame(schema=RANKED_SCHEMA)
