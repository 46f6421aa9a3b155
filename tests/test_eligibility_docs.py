"""docs/eligibility.md states the same 고시금액 rows as the code (bidradar.rules.thresholds.NOTICE_AMOUNTS)."""

from __future__ import annotations

from pathlib import Path

from bidradar.rules.thresholds import NOTICE_AMOUNTS

DOC = Path(__file__).resolve().parents[1] / "docs" / "eligibility.md"


def _doc_rows() -> set[tuple[str, ...]]:
    rows = set()
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0] in ("national", "local", "public_corp"):
            rows.add(tuple(cells[:6]))
    return rows


def test_the_threshold_table_in_the_docs_is_the_one_in_the_code() -> None:
    code = {
        (r.issuer, r.category, str(r.valid_from), str(r.valid_to), f"{r.amount:,}", f"{r.low:,}" if r.low else "—")
        for r in NOTICE_AMOUNTS
    }
    assert _doc_rows() == code
    assert all(r.source for r in NOTICE_AMOUNTS)
