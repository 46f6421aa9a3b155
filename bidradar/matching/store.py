"""Warehouse reads and writes of the matching: profiles and match tables (the open notices with their limits come
through ingestion's reader, bidradar.ingestion.readers.read_open_notices).

The match tables are not partitioned and each run writes them in one transaction (nothing is half-written). A pair
is *live* while its notice is among the open notices the last hard-match run judged (hard_match_inputs): it is
judged again when its notice or its company changes. Once the notice closes (or is cancelled) the pair is *frozen*:
its hard_matches row stays as it was last judged while open (verdict and reasons), so a company follows the notice
to its opening, and nothing judges it again; retention deletes it (prune_closed_matches).
hard_match_notice_verdicts, hard_match_summary and the relevance of soft_matches are of the live pairs only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib

import numpy as np
import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bidradar.core import schema, warehouse
from bidradar.ingestion import readers as ingestion_readers
from bidradar.matching import profiles as profile_files
from bidradar.matching.hard import VerdictCodes
from bidradar.matching.incremental import NOTICE

_H, _INPUTS, _V = schema.hard_matches, schema.hard_match_inputs, schema.hard_match_notice_verdicts


def _empty_if_needed(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    if frame.width == 0 or frame.is_empty():
        return pl.DataFrame(schema=schema)
    return frame


def read_match_inputs(engine: Engine | Connection) -> pl.DataFrame:
    """hard_match_inputs as stored: what the stored hard matches were judged on."""
    schema = {"input_kind": pl.String, "input_key": pl.String, "fingerprint": pl.String}
    frame = warehouse.read_frame(
        engine, "SELECT input_kind, input_key, fingerprint FROM hard_match_inputs", schema=schema
    )
    return _empty_if_needed(frame, schema)


def live_notices_select() -> sa.Select:
    """notice_no of the notices the last hard-match run judged open: their pairs are live, every other pair in
    hard_matches is frozen (this module's docstring)."""
    return sa.select(_INPUTS.c.input_key.label("notice_no")).where(_INPUTS.c.input_kind == NOTICE)


def live_condition(notice_no: sa.ColumnElement) -> sa.ColumnElement[bool]:
    """A pair's notice is live (open at the last hard-match run), for readers that act on open notices only."""
    return notice_no.in_(live_notices_select())


def companies_digest(company_ids: list[str]) -> str:
    """What names the columns of a row of verdict codes: the company ids, in order."""
    return hashlib.sha256("\n".join(company_ids).encode()).hexdigest()[:16]


def verdict_code_rows(codes: VerdictCodes, notice_nos: list[str] | None = None) -> pl.DataFrame:
    """hard_match_notice_verdicts rows of these notices (all of `codes` when None): one per notice, its companies'
    codes as little-endian uint16, zlib-compressed (level 1: most companies of a notice share a few codes)."""
    picked = codes.notice_nos if notice_nos is None else notice_nos
    position = {no: i for i, no in enumerate(codes.notice_nos)}
    rows = codes.codes[[position[no] for no in picked]].astype("<u2", copy=False)
    return pl.DataFrame(
        {
            "notice_no": pl.Series(picked, dtype=pl.String),
            "companies_digest": pl.Series([companies_digest(codes.company_ids)] * len(picked), dtype=pl.String),
            "verdict_codes": pl.Series([zlib.compress(row.tobytes(), 1) for row in rows], dtype=pl.Binary),
        }
    )


def read_verdict_codes(engine: Engine, company_ids: list[str], notice_nos: list[str]) -> VerdictCodes | None:
    """The stored verdict codes of these notices (those with a row) for these companies, the ones of the last run;
    None when a row is of other companies (then only a full rebuild knows the counts)."""
    digest, wanted = companies_digest(company_ids), set(notice_nos)
    found, rows = [], []
    with engine.connect() as conn:
        for notice_no, row_digest, blob in conn.execute(
            sa.select(_V.c.notice_no, _V.c.companies_digest, _V.c.verdict_codes)
        ):
            if notice_no not in wanted:
                continue
            if row_digest != digest:
                return None
            found.append(notice_no)
            rows.append(np.frombuffer(zlib.decompress(bytes(blob)), dtype="<u2"))
    if any(len(row) != len(company_ids) for row in rows):
        return None
    matrix = np.stack(rows).astype(np.uint16) if rows else np.zeros((0, len(company_ids)), dtype=np.uint16)
    return VerdictCodes(found, list(company_ids), matrix)


def read_frozen_matches(
    engine: Engine | Connection, company_ids: list[str], closing_notices: list[str], changed_notices: list[str]
) -> pl.DataFrame:
    """The hard_matches rows of these companies that stay frozen through this run: of notices frozen before it
    (not live) or closing at it, except the notices open again with a new revision (judged again). A run that
    judges a company again deletes its rows and writes these back unchanged."""
    if not company_ids:
        return pl.DataFrame(schema=schema.polars_schema(_H))
    query = sa.select(_H).where(
        _H.c.company_id.in_(company_ids),
        _H.c.notice_no.not_in(changed_notices),
        sa.or_(_H.c.notice_no.in_(closing_notices), sa.not_(live_condition(_H.c.notice_no))),
    )
    return warehouse.read_frame(engine, query, schema=schema.polars_schema(_H)).select(list(schema.polars_schema(_H)))


def count_live_pairs(engine: Engine | Connection) -> pl.DataFrame:
    """(company_id, pairs): how many live pairs hard_matches stores per company (companies with none left out)."""
    query = (
        sa.select(_H.c.company_id, sa.func.count().label("pairs"))
        .where(live_condition(_H.c.notice_no))
        .group_by(_H.c.company_id)
    )
    return warehouse.read_frame(engine, query, schema={"company_id": pl.String, "pairs": pl.Int64}).select(
        "company_id", "pairs"
    )


def read_live_pairs(engine: Engine | Connection) -> pl.DataFrame:
    """(company_id, notice_no, verdict, record_reason) of the live pairs: what soft_matches ranks."""
    query = sa.select(_H.c.company_id, _H.c.notice_no, _H.c.verdict, _H.c.record_reason).where(
        live_condition(_H.c.notice_no)
    )
    types = {"company_id": pl.String, "notice_no": pl.String, "verdict": pl.String, "record_reason": pl.Int64}
    return warehouse.read_frame(engine, query, schema=types).select(list(types))


def read_matched_companies(engine: Engine | Connection) -> list[str]:
    """The companies with a stored pair (live or frozen), sorted."""
    query = sa.select(_H.c.company_id).distinct().order_by(_H.c.company_id)
    return warehouse.read_frame(engine, query, schema={"company_id": pl.String})["company_id"].to_list()


def prune_closed_matches(engine: Engine, opened_before: dt.datetime) -> int:
    """Delete the frozen pairs whose notice opened (or, with no opening time known, closed) before
    `opened_before`, in one transaction; the count deleted. Live pairs are never pruned."""
    n = ingestion_readers.notices
    opening_at = sa.select(n.c.opening_at).where(n.c.notice_no == _H.c.notice_no).scalar_subquery()
    statement = sa.delete(_H).where(
        sa.not_(live_condition(_H.c.notice_no)),
        sa.func.coalesce(opening_at, _H.c.bid_close_at) < opened_before,
    )
    with engine.begin() as conn:
        return conn.execute(statement).rowcount


def profiles_table(loaded: profile_files.ProfileLoad, loaded_at: dt.datetime) -> pl.DataFrame:
    rows = [
        {
            "company_id": f.company_id,
            "file_name": f.file,
            "name": f.profile.name if f.profile else None,
            "data_hash": f.data_hash,
            "is_valid": f.profile is not None,
            "error_line": f.error.line if f.error else None,
            "error_field": f.error.field if f.error else None,
            "error": str(f.error) if f.error else None,
            "profile_json": profile_files.profile_to_json(f.profile) if f.profile else None,
            "loaded_at": loaded_at,
        }
        for f in loaded.files
    ]
    schema = {
        "company_id": pl.String,
        "file_name": pl.String,
        "name": pl.String,
        "data_hash": pl.String,
        "is_valid": pl.Boolean,
        "error_line": pl.Int64,
        "error_field": pl.String,
        "error": pl.String,
        "profile_json": pl.String,
        "loaded_at": pl.Datetime("us"),
    }
    # a.yaml and a.yml are one company id: both are refused (load_profiles) and the table keeps one row of the id.
    return pl.DataFrame(rows, schema=schema).unique("company_id", keep="first", maintain_order=True)


_P = schema.company_profiles


def read_valid_profiles(
    source: Engine | Connection, company_id: str | None = None
) -> list[tuple[str, profile_files.CompanyProfile]]:
    """The valid profiles (or one) as company_profiles stored them (so a run matches what that asset validated),
    ordered by company_id. The reader of company_profiles for the other domains (the API's sign-in, alerts,
    analysis, pricing)."""
    query = sa.select(_P.c.company_id, _P.c.profile_json).where(_P.c.is_valid).order_by(_P.c.company_id)
    if company_id is not None:
        query = query.where(_P.c.company_id == company_id)
    frame = warehouse.read_frame(source, query, schema=schema.polars_schema(_P, ["company_id", "profile_json"]))
    return [(cid, profile_files.profile_from_json(text)) for cid, text in frame.iter_rows()]


def count_valid_profiles(source: Engine | Connection) -> int:
    """How many companies have a valid profile (the API's overview)."""
    query = sa.select(sa.func.count().label("profiles")).select_from(_P).where(_P.c.is_valid)
    return int(warehouse.read_frame(source, query)["profiles"][0])


def profile_hashes_select() -> sa.Select:
    """(company_id, profile_hash) of every stored profile file, valid or not, to compose: profile_hash is the sha256
    that versions a profile (an analysis is redone, and its old answer superseded, when it changes)."""
    return sa.select(_P.c.company_id, _P.c.data_hash.label("profile_hash"))


def read_profile_hashes(source: Engine | Connection) -> pl.DataFrame:
    """profile_hashes_select() as a frame, ordered by company_id."""
    query = profile_hashes_select().order_by(_P.c.company_id)
    return warehouse.read_frame(source, query, schema={"company_id": pl.String, "profile_hash": pl.String})


# ---------------------------------------------------------------------------------------------------------------------
# Reads for the readers of the matches (analyses, API, alerts)


def read_explained_matches(engine: Engine, company_id: str | None = None) -> pl.DataFrame:
    """hard_matches rows (of one company, or all) with `<rule>_verdict` columns and the rendered `explanation_ko`,
    as a frame (tests and benches); read through bidradar.matching.verdicts.read_verdicts."""
    from bidradar.matching import verdicts  # verdicts builds on this module's reads

    rows = []
    for v in verdicts.read_verdicts(engine, company_id):
        row = {
            "company_id": v.company_id,
            "notice_no": v.notice_no,
            "notice_order": v.notice_order,
            "verdict": v.verdict,
        }
        row.update({f"{r.rule}_reason": r.code for r in v.reasons})
        row.update({f"{r.rule}_verdict": r.verdict for r in v.reasons})
        rows.append({**row, "explanation_ko": v.explanation_ko})
    return pl.DataFrame(rows, infer_schema_length=None)
