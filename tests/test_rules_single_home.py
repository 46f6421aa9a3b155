"""One home for G2B's rules (issue 20 item 3): no module outside `bidradar/rules/` computes a 낙찰하한가 or holds a
낙찰하한율 of its own. The scan reads the source as Python syntax trees: arithmetic (`*`, `/`) on a 하한율 operand, SQL
text that does the same, and 적격심사 rate literals (87.745, 84.995, …) are flagged with file and line."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bidradar.rules import floor, rates

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("bidradar", "ml", "assets", "serving", "orchestration", "bench", "scripts")
HOME = ROOT / "bidradar" / "rules"
RATE_NAME = re.compile(r"lower_limit_rate|lwlt|하한율|floor_rate")
SQL_FLOOR = re.compile(
    r"(lower_limit_rate|lwlt)[\w\s.,()]{0,30}/\s*100"  # … × 하한율 / 100
    r"|/\s*100(\.0)?\s*\*\s*\(?\s*[\w.]*(lower_limit_rate|lwlt)"  # … / 100 × 하한율
    r"|100(\.0)?\s*-\s*\(?\s*[\w.]*(lower_limit_rate|lwlt)"  # (100 − 하한율)
)
RATE_TEXT = re.compile(r"(?<![\d.])(7[5-9]|8\d|9[0-4])\.\d\d5(?!\d)")


def _is_rate_literal(value: object) -> bool:
    if not isinstance(value, float) or not 75 <= value < 95:
        return False
    thousandths = round(value * 1000)
    return abs(value * 1000 - thousandths) < 1e-6 and thousandths % 10 == 5


def _names(node: ast.AST) -> list[str]:
    out = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            out.append(sub.id)
        elif isinstance(sub, ast.Attribute):
            out.append(sub.attr)
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            out.append(sub.value)
    return out


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            ids.add(id(node.value))
    return ids


def violations(source: str, label: str) -> list[str]:
    """Every floor computation or rate literal in one module's source."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
            if any(RATE_NAME.search(name) for name in _names(node)):
                found.append(f"{label}:{node.lineno}: arithmetic on a 하한율 (use bidradar.rules.floor)")
        elif isinstance(node, ast.Constant):
            if _is_rate_literal(node.value):
                found.append(f"{label}:{node.lineno}: 하한율 literal {node.value} (use bidradar.rules.rates)")
            elif isinstance(node.value, str) and id(node) not in docs:
                if SQL_FLOOR.search(node.value):
                    found.append(f"{label}:{node.lineno}: floor arithmetic in SQL text (use floor.floor_sql)")
                elif RATE_TEXT.search(node.value):
                    found.append(f"{label}:{node.lineno}: 하한율 in text (use bidradar.rules.rates)")
    return sorted(set(found))


def test_the_scan_finds_each_kind_of_copy() -> None:
    """The detector itself: each way the floor was copied before issue 20 is caught."""
    copies = {
        "python": "floor_amount = (plnprc - n.a_value) * n.lwlt / 100 + n.a_value\n",
        "polars without A": 'x = (pl.col("planned_price") * pl.col("lower_limit_rate") / 100).ceil()\n',
        "sql": 'Q = "SELECT (r.planned_price - a) * COALESCE(r.lower_limit_rate, 0) / 100.0 + a FROM t"\n',
        "sql reference": 'Q = "SELECT o.lower_limit_rate + 1.0 * o.a_value / o.base_amount * (100 - o.lower_limit_rate)"\n',
        "rate table": "TABLE = [('construction', 1e9, 87.745, 89.745)]\n",
        "rate in text": 'DEFAULT = "84.995"\n',
    }
    for kind, code in copies.items():
        assert violations(code, kind), kind
    assert violations('"""The floor is (예정가격 − A) × 하한율 / 100 + A at 87.745 %."""\nX = 1\n', "doc") == []


def test_no_module_outside_bidradar_rules_computes_a_floor_or_holds_a_rate() -> None:
    found = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            if HOME in path.parents or ".venv" in path.parts:
                continue
            found += violations(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == [], "\n".join(found)


def test_the_one_floor_formula_applies_the_a_value() -> None:
    # (예정가격 − A) × 하한율 + A: 1억 예정가격, A 1천만, 87.745 % -> 90,000,000 × 0.87745 + 10,000,000.
    assert floor.floor_amount(100_000_000, 87.745, 10_000_000) == pytest.approx(88_970_500)
    assert floor.floor_amount(100_000_000, 87.745) == pytest.approx(87_745_000)
    assert floor.floor_at_rate(100_000_000, 99.5, 87.745, 0) == pytest.approx(87_306_275)
    assert floor.reference_floor_pct(87.745, 0.1) == pytest.approx(88.9705)
    assert list(floor.smallest_bid_at_or_above([87_306_275.2, 87_306_275.0])) == [87_306_276, 87_306_275]


def test_every_rate_row_names_a_known_source() -> None:
    assert all(band.source in rates.SOURCES for band in rates.BANDS)


A_ZERO_SQL = re.compile(r"COALESCE\(\s*[\w.]*a_value\s*,\s*0(\.0*)?\s*\)", re.IGNORECASE)


def a_value_zeroes(source: str, label: str) -> list[str]:
    """Every place that turns an unknown A값 into 0 (issue 22): COALESCE(a_value, 0) in SQL text, fill_null(0) on an
    expression over a_value, `a_value or 0`. Which A a floor takes is bidradar.rules.a_value's decision."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and A_ZERO_SQL.search(node.value):
            found.append(f"{label}:{node.lineno}: COALESCE(a_value, 0) in SQL (use bidradar.rules.a_value)")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "fill_null"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == 0
            and any("a_value" in name or "a_share" in name for name in _names(node.func.value))
        ):
            found.append(f"{label}:{node.lineno}: fill_null(0) on the A값 (use bidradar.rules.a_value)")
        elif (
            isinstance(node, ast.BoolOp)
            and isinstance(node.op, ast.Or)
            and any("a_value" in name for name in _names(node.values[0]))
            and isinstance(node.values[-1], ast.Constant)
            and node.values[-1].value == 0
        ):
            found.append(f"{label}:{node.lineno}: `a_value or 0` (use bidradar.rules.a_value)")
    return found


def test_the_scan_finds_each_way_an_unknown_a_value_became_zero() -> None:
    assert a_value_zeroes('Q = "SELECT COALESCE(b.a_value, 0) AS a_value FROM t"\n', "sql")
    assert a_value_zeroes('x = pl.col("a_value").fill_null(0)\n', "polars")
    assert a_value_zeroes('y = (pl.col("a_value").fill_null(0) / pl.col("base_amount"))\n', "share")
    assert a_value_zeroes("z = n.a_value or 0\n", "python")
    assert a_value_zeroes('x = pl.col("participant_count").fill_null(0)\n', "other") == []


def test_no_module_turns_an_unknown_a_value_into_zero() -> None:
    found = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            if HOME in path.parents or ".venv" in path.parts:
                continue
            found += a_value_zeroes(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == [], "\n".join(found)
