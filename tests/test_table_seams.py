"""No module reads another domain's table except through that domain's reader (issue 20).

Each warehouse table has one producing domain (the one that writes it). A module outside that domain that names the
table in SQL text (`FROM t`, `JOIN t`, `INTO t`, `UPDATE t`; lower case in a statement), uses its Core table
(`schema.t` under any name, a table imported from the schema, `metadata.tables["t"]`) or writes it
(`TableWrite("t", …)`) reads it behind the producer's back: a renamed column or a changed meaning breaks it in a
morning run instead of here. The readers are `bidradar.ingestion.readers` (notices, their limits, openings, bids,
current revisions), `bidradar.matching.store` (company_profiles), `bidradar.matching.verdicts` (hard_matches),
`bidradar.matching.ranked` (soft_matches) and `bidradar.analysis.store` (match_analyses); a delete of a domain's rows
is that domain's own function (retention calls `ingestion.tables.prune_raw_pages` and
`analysis.store.prune_superseded_answers`).

ALLOWED lists the reads that were not moved yet, each with why; it is the visible debt. Remove an entry when its
module moves to a reader; the test fails on an entry that no longer matches anything, so the list cannot go stale.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

from bidradar.core import warehouse

REPO = Path(__file__).resolve().parents[1]
SCANNED = ("bidradar", "assets", "ml", "serving", "orchestration")

# table -> the modules (path prefixes) of the domain that writes it.
INGESTION = ("bidradar/ingestion/", "assets/ingestion.py")
MATCHING = ("bidradar/matching/", "assets/matching.py")
ANALYSIS = ("bidradar/analysis/", "assets/analysis.py")
PRICING = ("ml/pricing/", "assets/pricing.py")
ALERTS = ("bidradar/alerts/", "assets/alerts.py")
PRODUCERS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "g2b_raw_pages",
            "bid_notices",
            "notice_base_amounts",
            "notice_license_limits",
            "notice_region_limits",
            "notice_detail_fetches",
            "bid_results",
            "bid_result_reserve_prices",
            "bid_result_bidders",
            "bid_openings",
            "bid_awards",
            "bid_outcomes",
            "g2b_call_ledger",
        ),
        INGESTION,
    ),
    **dict.fromkeys(
        (
            "company_profiles",
            "hard_matches",
            "hard_match_summary",
            "hard_match_notice_verdicts",
            "hard_match_inputs",
            "soft_matches",
        ),
        MATCHING,
    ),
    **dict.fromkeys(("match_analyses", "analysis_answers", "llm_calls"), ANALYSIS),
    **dict.fromkeys(
        ("price_training_set", "price_bid_positions", "price_serving_strategy", "bid_recommendations"), PRICING
    ),
    **dict.fromkeys(("alert_outbox", "alert_items"), ALERTS),
    "api_sessions": ("serving/api/",),
    "llm_proxy_calls": ("serving/llm_proxy/",),
    "llm_proxy_remembered": ("serving/llm_proxy/",),
}

# (module, table): why it still reads the table itself. The debt of issue 20's "no module reads another's table":
# empty since pricing reads ingestion's tables through bidradar.ingestion.readers (stop 30). Keep it empty.
ALLOWED: dict[tuple[str, str], str] = {}

_SQL_NAME = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+([a-z_][a-z0-9_]*)")
# Lower-case SQL counts too when the text is a statement (it says select, insert, update or delete); prose that says
# "from bid_results" does not.
_SQL_STATEMENT = re.compile(r"\b(select|insert|update|delete)\b", re.IGNORECASE)
_SQL_NAME_ANY_CASE = re.compile(r"\b(?:from|join|into|update)\s+([a-z_][a-z0-9_]*)", re.IGNORECASE)
_SCHEMA_MODULE = "bidradar.core.schema"
_WRITES = {"TableWrite"}


def _docstrings(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _schema_names(tree: ast.Module) -> tuple[set[str], dict[str, str]]:
    """The names this module gives the schema module (`schema`, `from bidradar.core import schema as s`) and the
    tables it imports from it by name ({local name: table})."""
    modules, tables = {"schema"}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "bidradar.core":
            modules |= {a.asname or a.name for a in node.names if a.name == "schema"}
        elif isinstance(node, ast.ImportFrom) and node.module == _SCHEMA_MODULE:
            tables |= {a.asname or a.name: a.name for a in node.names if a.name in PRODUCERS}
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.name == _SCHEMA_MODULE and a.asname}
    return modules, tables


def table_reads(source: str) -> set[tuple[str, int]]:
    """(table, line) of every table of PRODUCERS that this module's code names in SQL text (a string literal with
    FROM/JOIN/INTO/UPDATE, docstrings aside), uses as a Core table of the schema (`schema.<table>` under any name
    of the module, a table imported from it, `metadata.tables["<table>"]`) or writes (`TableWrite("<table>", …)`)."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    modules, imported = _schema_names(tree)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            pattern = _SQL_NAME_ANY_CASE if _SQL_STATEMENT.search(node.value) else _SQL_NAME
            found |= {(m, node.lineno) for m in pattern.findall(node.value) if m in PRODUCERS}
        elif isinstance(node, ast.Attribute) and node.attr in PRODUCERS:
            if isinstance(node.value, ast.Name) and node.value.id in modules:
                found.add((node.attr, node.lineno))
        elif isinstance(node, ast.Name) and node.id in imported:
            found.add((imported[node.id], node.lineno))
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "tables":
            if isinstance(node.slice, ast.Constant) and node.slice.value in PRODUCERS:
                found.add((node.slice.value, node.lineno))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if callee in _WRITES and node.args[0].value in PRODUCERS:
                found.add((node.args[0].value, node.lineno))
    return found


def foreign_reads() -> dict[tuple[str, str], list[int]]:
    reads: dict[tuple[str, str], list[int]] = {}
    for top in SCANNED:
        for path in sorted((REPO / top).rglob("*.py")):
            module = path.relative_to(REPO).as_posix()
            for table, line in table_reads(path.read_text(encoding="utf-8")):
                if not module.startswith(PRODUCERS[table]):
                    reads.setdefault((module, table), []).append(line)
    return reads


def test_no_module_reads_another_domains_table_except_through_its_reader() -> None:
    reads = foreign_reads()
    new = {k: sorted(v) for k, v in reads.items() if k not in ALLOWED}
    assert not new, "\n".join(
        f"{module}:{lines[0]} reads {table}, which {PRODUCERS[table][0]} writes: read it through that domain's "
        "reader (or add one there, built from bidradar/core/schema.py)"
        for (module, table), lines in sorted(new.items())
    )
    stale = sorted(set(ALLOWED) - set(reads))
    assert not stale, f"these reads moved to a reader: remove them from ALLOWED in {__file__}: {stale}"


def test_the_scan_finds_sql_text_and_core_tables_but_not_prose() -> None:
    source = '''
"""Reads FROM soft_matches in a docstring: prose, not a read."""
from bidradar.core import schema
Q = """SELECT s.rank FROM soft_matches s
       JOIN bid_notices n ON n.notice_no = s.notice_no"""
T = schema.hard_matches
W = f"SELECT 1 FROM {T} JOIN bid_outcomes o"
P = "a sentence from bid_results"
'''
    assert table_reads(source) == {("soft_matches", 4), ("bid_notices", 4), ("hard_matches", 6), ("bid_outcomes", 7)}


def test_the_scan_finds_the_other_ways_to_name_a_table() -> None:
    source = """
from bidradar.core import schema as s
from bidradar.core.schema import bid_results as results
import bidradar.core.schema as sch
A = s.soft_matches
B = sa.select(results.c.notice_no)
C = sch.metadata.tables["bid_outcomes"]
D = "select n.title from bid_notices n"
E = "DELETE FROM analysis_answers WHERE 1 = 0"
F = "INSERT INTO alert_items (alert_key) VALUES (:k)"
G = TableWrite("hard_matches", frame, ["company_id"])
H = "update company_profiles set name = :n"
W = "what comes from bid_awards, in prose"
"""
    assert {t for t, _ in table_reads(source)} == {
        "soft_matches",
        "bid_results",
        "bid_outcomes",
        "bid_notices",
        "analysis_answers",
        "alert_items",
        "hard_matches",
        "company_profiles",
    }


def test_every_producer_names_a_table_of_the_schema() -> None:
    from bidradar.core import schema

    assert set(PRODUCERS) <= set(schema.metadata.tables), set(PRODUCERS) - set(schema.metadata.tables)


# ---------------------------------------------------------------------------------------------------------------------
# The readers that replaced the reads above do what the reads did, on both backends.


def _notice(no: str, order: str, **values: object) -> dict:
    row = {
        "notice_no": no,
        "notice_order": order,
        "partition_date": dt.date(2026, 3, 5),
        "revision_key": f"{order}-r",
        "category": "construction",
        "is_cancelled": False,
        "title": f"공고 {no}",
        "registered_at": dt.datetime(2026, 3, 5, 9),
        "bid_close_at": dt.datetime(2026, 3, 10, 10),
        "region_limit_basis": None,
    }
    return {**row, **values}


def _limit(no: str, order: str, seq: int, code: str) -> dict:
    return {
        "notice_no": no,
        "notice_order": order,
        "group_no": 1,
        "seq_no": seq,
        "partition_date": dt.date(2026, 3, 5),
        "license_name": "토목공사업",
        "license_code": code,
        "license_limit_raw": f"토목공사업/{code}",
    }


def test_the_open_notice_reader_keeps_open_notices_current_limit_rows_and_what_is_known(migrated_engine) -> None:
    from bidradar.core import schema
    from bidradar.ingestion import readers
    from bidradar.matching import hard

    as_of = dt.datetime(2026, 3, 6, 9)
    with migrated_engine.begin() as conn:
        conn.execute(
            schema.bid_notices.insert(),
            [
                _notice("OPEN1", "002", region_limit_basis="본사소재지"),
                _notice("NOCLOSE", "000", bid_close_at=None, registered_at=dt.datetime(2026, 2, 1, 9)),
                _notice("CLOSED", "000", bid_close_at=dt.datetime(2026, 3, 6, 9)),  # closes at as_of: not open
                _notice("CANCELLED", "000", is_cancelled=True),
            ],
        )
        # OPEN1's rows of its old 차수 001 are not its limits; CLOSED's rows are not read at all.
        conn.execute(
            schema.notice_license_limits.insert(),
            [_limit("OPEN1", "001", 1, "0001"), _limit("OPEN1", "002", 1, "0002"), _limit("CLOSED", "000", 1, "9")],
        )
        conn.execute(
            schema.notice_region_limits.insert(),
            {
                "notice_no": "OPEN1",
                "notice_order": "002",
                "seq_no": 1,
                "partition_date": dt.date(2026, 3, 5),
                "region_name": "인천광역시",
                "sido": "인천광역시",
            },
        )
        conn.execute(
            schema.notice_detail_fetches.insert(),
            {
                "partition_date": dt.date(2026, 3, 5),
                "license_limits_complete": True,
                "region_limits_complete": False,
                "base_amounts_complete": True,
                "fetched_at": dt.datetime(2026, 3, 5, 23),
            },
        )
    notices, licenses, regions = readers.read_open_notices(migrated_engine, as_of)
    assert notices.schema == readers.OPEN_NOTICE_SCHEMA
    rows = {r["notice_no"]: r for r in notices.iter_rows(named=True)}
    assert sorted(rows) == ["NOCLOSE", "OPEN1"]
    assert (rows["OPEN1"]["is_region_limited"], rows["NOCLOSE"]["is_region_limited"]) == (True, False)
    # Known follows the registration day's fetch; a day never fetched is unknown (NULL), not "no limit".
    assert (rows["OPEN1"]["license_known"], rows["OPEN1"]["region_known"]) == (True, False)
    assert (rows["NOCLOSE"]["license_known"], rows["NOCLOSE"]["region_known"]) == (None, None)
    assert licenses.schema == readers.LICENSE_LIMIT_SCHEMA and regions.schema == readers.REGION_LIMIT_SCHEMA
    assert licenses.select("notice_no", "notice_order", "license_code").rows() == [("OPEN1", "002", "0002")]
    assert regions.select("notice_no", "sido", "sigungu").rows() == [("OPEN1", "인천광역시", None)]
    # One notice on request; the limits of a notice whatever its state.
    assert readers.read_open_notices(migrated_engine, as_of, ["NOCLOSE"]).notices["notice_no"].to_list() == ["NOCLOSE"]
    assert readers.read_notice_limits(migrated_engine, ["CLOSED"])[0]["license_code"].to_list() == ["9"]
    # Open or not, for a pair judged again on request: the closed and the cancelled notice come with their rows.
    anyway = readers.read_notices_with_limits(migrated_engine, ["CLOSED", "CANCELLED", "NEVER"])
    assert anyway.notices.schema == readers.OPEN_NOTICE_SCHEMA
    assert anyway.notices.select("notice_no", "is_cancelled").rows() == [("CANCELLED", True), ("CLOSED", False)]
    assert anyway.licenses["notice_no"].to_list() == ["CLOSED"] and anyway.regions.is_empty()
    revisions = readers.read_open_notice_revisions(migrated_engine, as_of)
    assert revisions.rows() == [("NOCLOSE", "000-r", None, None), ("OPEN1", "002-r", True, False)]
    # Every column matching's rules take is in the reader's record, with the same type: the seam cannot drift.
    for name, dtype in {**hard.NOTICE_SCHEMA, **hard.LICENSE_LIMIT_SCHEMA, **hard.REGION_LIMIT_SCHEMA}.items():
        record = {**readers.OPEN_NOTICE_SCHEMA, **readers.LICENSE_LIMIT_SCHEMA, **readers.REGION_LIMIT_SCHEMA}
        assert record.get(name) == dtype, name
    # An analysis' notice_revision is the text of current_revisions_select, so retention judges it the same way.
    current = warehouse.read_frame(migrated_engine, readers.current_revisions_select().order_by("notice_no"))
    assert dict(current.rows())["OPEN1"] == readers.notice_revision("002", "002-r") == "002|002-r"


def test_an_empty_warehouse_gives_typed_empty_frames(migrated_engine) -> None:
    from bidradar.ingestion import readers

    notices, licenses, regions = readers.read_open_notices(migrated_engine, dt.datetime(2026, 3, 6))
    assert (notices.schema, licenses.schema, regions.schema) == (
        readers.OPEN_NOTICE_SCHEMA,
        readers.LICENSE_LIMIT_SCHEMA,
        readers.REGION_LIMIT_SCHEMA,
    )
    assert (
        notices.is_empty() and readers.read_open_notice_revisions(migrated_engine, dt.datetime(2026, 3, 6)).is_empty()
    )
