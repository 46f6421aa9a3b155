"""Warehouse reads and writes of the matching: profiles and match tables (the open notices with their limits come
through ingestion's reader, bidradar.ingestion.readers.read_open_notices).

The match tables are not partitioned: they describe the notices open *now*, so each run replaces a whole
table in one transaction (a notice that closed since the last run disappears; nothing is half-written).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bidradar.core import schema, warehouse
from bidradar.matching import profiles as profile_files


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


def read_kept_match_counts(
    engine: Engine | Connection, deleted_notices: list[str], deleted_companies: list[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Counts of the stored pairs a run keeps (all but those of the given notices and companies), per company:
    (company_id, verdict, pairs) of hard_matches and (company_id, fail_mask, pairs) of hard_match_failures."""
    where = "WHERE notice_no NOT IN :notices AND company_id NOT IN :companies"
    params = {"notices": deleted_notices, "companies": deleted_companies}
    expanding = [
        sa.bindparam("notices", expanding=True, type_=sa.String),
        sa.bindparam("companies", expanding=True, type_=sa.String),
    ]
    frames = []
    for column, table, dtype in (
        ("verdict", "hard_matches", pl.String),
        ("fail_mask", "hard_match_failures", pl.Int64),
    ):
        query = sa.text(
            f"SELECT company_id, {column}, COUNT(*) AS pairs FROM {table} {where} GROUP BY company_id, {column}"
        ).bindparams(*expanding)
        schema = {"company_id": pl.String, column: dtype, "pairs": pl.Int64}
        frames.append(_empty_if_needed(warehouse.read_frame(engine, query, params, schema=schema), schema))
    return frames[0], frames[1]


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
