"""Warehouse reads and writes of the matching: open notices with their limits in, match tables out.

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
from bidradar.matching.hard import LICENSE_LIMIT_SCHEMA, NOTICE_SCHEMA, REGION_LIMIT_SCHEMA

# A revision's license and region rows are fetched with the day it was registered, which is not always the day
# that owns the row now (a change found through inqryDiv=3 moves it): "known" follows the registration day.
# Open = not cancelled and closing after the as-of time (or with no close time: then the deadline is unknown).
_OPEN = "NOT n.is_cancelled AND (n.bid_close_at IS NULL OR n.bid_close_at > :as_of)"

OPEN_NOTICES_SQL = f"""
SELECT n.notice_no, n.notice_order, n.category, n.title, n.classification_name, n.classification_large,
       n.classification_mid, n.product_name, n.notice_agency_name, n.demand_agency_name, n.attachment_names,
       n.notice_agency_code, n.demand_agency_code, n.budget_amount, n.estimated_price, n.contract_method,
       n.is_designated_competition, n.is_product_class_limited, n.is_manufacturer_required, n.product_class_no,
       n.product_list_raw, n.is_joint_duty, n.joint_duty_regions, n.joint_duty_share_pct, n.registered_at, n.notice_at, n.bid_close_at, n.is_cancelled, n.is_license_limited,
       CASE WHEN COALESCE(n.region_limit_basis, '') <> '' THEN TRUE ELSE FALSE END AS is_region_limited,
       n.is_track_record_limited, n.is_international,
       f.license_limits_complete AS license_known, f.region_limits_complete AS region_known
FROM bid_notices n
LEFT JOIN notice_detail_fetches f ON f.partition_date = date(n.registered_at)
WHERE {_OPEN}
"""
# Child rows of the notice's current 차수 only.
OPEN_LICENSE_LIMITS_SQL = f"""
SELECT l.notice_no, l.notice_order, l.group_no, l.seq_no, l.license_name, l.license_code, l.permitted_industries_raw,
       l.main_fields_raw
FROM notice_license_limits l
JOIN bid_notices n ON n.notice_no = l.notice_no AND n.notice_order = l.notice_order
WHERE {_OPEN}
"""
OPEN_REGION_LIMITS_SQL = f"""
SELECT r.notice_no, r.notice_order, r.sido, r.sigungu
FROM notice_region_limits r
JOIN bid_notices n ON n.notice_no = r.notice_no AND n.notice_order = r.notice_order
WHERE {_OPEN}
"""
TEXT_SCHEMA = {
    "classification_large": pl.String,
    "classification_mid": pl.String,
    "notice_agency_name": pl.String,
    "demand_agency_name": pl.String,
    "attachment_names": pl.String,
}


def _empty_if_needed(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    if frame.width == 0 or frame.is_empty():
        return pl.DataFrame(schema=schema)
    return frame


def read_open_notices(
    engine: Engine | Connection, as_of: dt.datetime, notice_nos: list[str] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(notices, license limits, region limits) of the notices open at `as_of` (naive KST); of just `notice_nos`
    when given (one pair judged again on request: bidradar.matching.verdicts.verdict_for)."""
    params: dict = {"as_of": as_of.strftime("%Y-%m-%d %H:%M:%S")}
    only = ""
    if notice_nos is not None:
        params.update({f"only{i}": no for i, no in enumerate(notice_nos)})
        only = f" AND n.notice_no IN ({', '.join(f':only{i}' for i in range(len(notice_nos))) or 'NULL'})"
    notice_schema = {**NOTICE_SCHEMA, **TEXT_SCHEMA}
    notices = warehouse.read_frame(engine, OPEN_NOTICES_SQL + only, params, schema=notice_schema)
    licenses = warehouse.read_frame(engine, OPEN_LICENSE_LIMITS_SQL + only, params, schema=LICENSE_LIMIT_SCHEMA)
    regions = warehouse.read_frame(engine, OPEN_REGION_LIMITS_SQL + only, params, schema=REGION_LIMIT_SCHEMA)
    return (
        _empty_if_needed(notices, notice_schema),
        _empty_if_needed(licenses, LICENSE_LIMIT_SCHEMA),
        _empty_if_needed(regions, REGION_LIMIT_SCHEMA),
    )


OPEN_NOTICE_REVISIONS_SQL = f"""
SELECT n.notice_no, n.revision_key, f.license_limits_complete AS license_known, f.region_limits_complete AS region_known
FROM bid_notices n
LEFT JOIN notice_detail_fetches f ON f.partition_date = date(n.registered_at)
WHERE {_OPEN}
"""


def read_open_notice_revisions(engine: Engine | Connection, as_of: dt.datetime) -> pl.DataFrame:
    """notice_no, revision_key and whether its limits are known, of the notices open at `as_of`: what a notice's
    hard matches depend on besides the profiles (bidradar.matching.incremental)."""
    schema = {
        "notice_no": pl.String,
        "revision_key": pl.String,
        "license_known": pl.Boolean,
        "region_known": pl.Boolean,
    }
    frame = warehouse.read_frame(
        engine, OPEN_NOTICE_REVISIONS_SQL, {"as_of": as_of.strftime("%Y-%m-%d %H:%M:%S")}, schema=schema
    )
    return _empty_if_needed(frame, schema)


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


def read_valid_profiles(
    engine: Engine | Connection, company_id: str | None = None
) -> list[tuple[str, profile_files.CompanyProfile]]:
    """The valid profiles (or one) as company_profiles stored them (so a run matches what that asset validated)."""
    where, params = ("AND company_id = :c", {"c": company_id}) if company_id is not None else ("", {})
    frame = warehouse.read_frame(
        engine,
        f"SELECT company_id, profile_json FROM company_profiles WHERE is_valid {where} ORDER BY company_id",
        params,
    )
    if frame.is_empty():
        return []
    return [(cid, profile_files.profile_from_json(text)) for cid, text in frame.iter_rows()]


def read_profile_hashes(source: Engine | Connection) -> pl.DataFrame:
    """(company_id, profile_hash) of every stored profile file, valid or not: the sha256 that versions a profile
    (an analysis is redone when it changes)."""
    p = schema.company_profiles
    query = sa.select(p.c.company_id, p.c.data_hash.label("profile_hash")).order_by(p.c.company_id)
    return warehouse.read_frame(source, query, schema={"company_id": pl.String, "profile_hash": pl.String})


# ---------------------------------------------------------------------------------------------------------------------
# Reads for the readers of the matches (analyses, API, alerts)


def read_notice_limits(engine: Engine, notice_nos: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The license and region rows of just these notices' current 차수 (never the whole tables)."""
    if not notice_nos:
        return pl.DataFrame(schema=LICENSE_LIMIT_SCHEMA), pl.DataFrame(schema=REGION_LIMIT_SCHEMA)
    licenses, regions = [], []
    for start in range(0, len(notice_nos), 500):  # bounded IN lists on both backends
        chunk = notice_nos[start : start + 500]
        names = ", ".join(f":n{i}" for i in range(len(chunk)))
        params = {f"n{i}": no for i, no in enumerate(chunk)}
        licenses.append(
            warehouse.read_frame(
                engine,
                f"""
            SELECT l.notice_no, l.notice_order, l.group_no, l.seq_no, l.license_name, l.license_code,
                   l.permitted_industries_raw, l.main_fields_raw
            FROM notice_license_limits l
            JOIN bid_notices n ON n.notice_no = l.notice_no AND n.notice_order = l.notice_order
            WHERE l.notice_no IN ({names})""",
                params,
                schema=LICENSE_LIMIT_SCHEMA,
            )
        )
        regions.append(
            warehouse.read_frame(
                engine,
                f"""
            SELECT r.notice_no, r.notice_order, r.sido, r.sigungu, r.region_name
            FROM notice_region_limits r
            JOIN bid_notices n ON n.notice_no = r.notice_no AND n.notice_order = r.notice_order
            WHERE r.notice_no IN ({names})""",
                params,
                schema={**REGION_LIMIT_SCHEMA, "region_name": pl.String},
            )
        )
    lic = (
        pl.concat([f for f in licenses if f.width], how="diagonal_relaxed") if any(f.width for f in licenses) else None
    )
    reg = pl.concat([f for f in regions if f.width], how="diagonal_relaxed") if any(f.width for f in regions) else None
    return (
        _empty_if_needed(lic if lic is not None else pl.DataFrame(), LICENSE_LIMIT_SCHEMA),
        _empty_if_needed(reg if reg is not None else pl.DataFrame(), {**REGION_LIMIT_SCHEMA, "region_name": pl.String}),
    )


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
