"""No module reads another domain's table except through that domain's reader (issue 20).

Each warehouse table has one producing domain (the one that writes it). A module outside that domain that names the
table in SQL text (`FROM t`, `JOIN t`) or uses its Core table (`schema.t`) reads it behind the producer's back: a
renamed column or a changed meaning breaks it in a morning run instead of here. The readers are
`bidradar.matching.verdicts` (hard_matches), `bidradar.matching.ranked` (soft_matches),
`bidradar.ingestion.readers` (notices, openings, bids) and `bidradar.analysis.store` (match_analyses).

ALLOWED lists the reads that were not moved yet, each with why; it is the visible debt. Remove an entry when its
module moves to a reader; the test fails on an entry that no longer matches anything, so the list cannot go stale.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

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
        ),
        INGESTION,
    ),
    **dict.fromkeys(("company_profiles", "hard_matches", "hard_match_summary", "soft_matches"), MATCHING),
    **dict.fromkeys(("match_analyses", "analysis_answers", "llm_calls"), ANALYSIS),
    **dict.fromkeys(("price_training_set", "price_bid_positions", "bid_recommendations"), PRICING),
    **dict.fromkeys(("alert_outbox", "alert_items"), ALERTS),
    "api_sessions": ("serving/api/",),
    "llm_proxy_calls": ("serving/llm_proxy/",),
}

# (module, table): why it still reads the table itself. The debt of issue 20's "no module reads another's table".
ALLOWED: dict[tuple[str, str], str] = {
    # Matching reads the open notices and their limits to evaluate them: the core of the pipeline, SQL text with
    # an as-of filter; needs an ingestion reader of open notices with their limits.
    ("bidradar/matching/store.py", "bid_notices"): "open notices for the rules",
    ("bidradar/matching/store.py", "notice_license_limits"): "open notices for the rules",
    ("bidradar/matching/store.py", "notice_region_limits"): "open notices for the rules",
    ("bidradar/matching/store.py", "notice_detail_fetches"): "open notices for the rules",
    ("assets/matching.py", "bid_notices"): "soft matching's notice texts",
    # Pricing (the pricing helper's area, changing in parallel): its training set and open notices are SQL text
    # over ingestion's tables, and its open notices filter by hard_matches instead of verdicts.pairs_select().
    ("ml/pricing/store.py", "bid_notices"): "pricing's training set and open notices",
    ("ml/pricing/store.py", "notice_base_amounts"): "pricing's training set and open notices",
    ("ml/pricing/store.py", "bid_result_bidders"): "pricing's bid positions",
    ("ml/pricing/store.py", "bid_outcomes"): "pricing's training set",
    ("ml/pricing/store.py", "bid_result_reserve_prices"): "pricing's training set (the drawn 예비가격)",
    ("ml/pricing/store.py", "g2b_raw_pages"): "pricing's G2B call ledger (quota)",
    ("ml/pricing/store.py", "hard_matches"): "open notices of eligible pairs (verdicts.pairs_select())",
    # Retention (orch's, landed while this test was written) deletes other domains' rows in SQL text: the stale
    # raw pages and the superseded Gemini answers (judged against the current notices and profile hashes). Each
    # domain should own its prune function; until then the deletes stay here, visible.
    ("bidradar/ops/retention.py", "g2b_raw_pages"): "deletes raw pages past retention",
    ("bidradar/ops/retention.py", "analysis_answers"): "deletes superseded answers",
    ("bidradar/ops/retention.py", "bid_notices"): "the current revision of a superseded answer's notice",
    ("bidradar/ops/retention.py", "company_profiles"): "the current hash of a superseded answer's profile",
    # Signing in reads the profiles (the token hash inside profile_json); matching should offer a reader of them.
    ("serving/api/db.py", "company_profiles"): "signing in and the company of a session",
}

_SQL_NAME = re.compile(r"\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)")


def _docstrings(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def table_reads(source: str) -> set[tuple[str, int]]:
    """(table, line) of every table of PRODUCERS that this module's code names in SQL text (a string literal with
    FROM/JOIN, docstrings aside) or as a Core table of the schema (`schema.<table>`)."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found |= {(m, node.lineno) for m in _SQL_NAME.findall(node.value) if m in PRODUCERS}
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "schema"
            and node.attr in PRODUCERS
        ):
            found.add((node.attr, node.lineno))
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


def test_every_producer_names_a_table_of_the_schema() -> None:
    from bidradar.core import schema

    assert set(PRODUCERS) <= set(schema.metadata.tables), set(PRODUCERS) - set(schema.metadata.tables)
