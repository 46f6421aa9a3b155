"""One home for G2B's rules (issue 20 item 3): no module outside `bidradar/rules/` computes a 낙찰하한가 or holds a
낙찰하한율 of its own. The scan reads the source as Python syntax trees: arithmetic (`*`, `/`) on a 하한율 operand (also
under another name: a variable assigned from a 하한율 column is one), SQL text that does the same, a price cut to a
fixed share (예정가격 × 0.88), and 적격심사 rate literals (87.745, 0.87745, …) are flagged with file and line."""

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
# A price cut to a fixed share (예정가격 × 0.88, 기초금액 × 87 / 100): a floor approximated with a rate of its own.
PRICE_NAME = re.compile(r"planned|plnprc|base_amount|bssamt|estimated_price|presmpt|예정가격|기초금액")
SQL_PRICE_SHARE = re.compile(
    r"(planned_price|base_amount|estimated_price|plnprc|bssamt)\s*\*\s*0?\.(7[5-9]|8\d|9[0-4])\d*"
    r"|0?\.(7[5-9]|8\d|9[0-4])\d*\s*\*\s*[\w.]*(planned_price|base_amount|estimated_price|plnprc|bssamt)"
)
# 87.745 as a percentage, or 0.87745 as a fraction, in text (SQL, settings, JSON).
RATE_TEXT = re.compile(r"(?<![\d.])((7[5-9]|8\d|9[0-4])\.\d\d5|0\.(7[5-9]|8\d|9[0-4])\d\d5)(?!\d)")
# Names a value read from a 하한율 column takes on: `r = row["lower_limit_rate"]`, `rate = n.lwlt / 100` make `r` and
# `rate` 하한율 operands too, so a floor written with other variable names is still found.
_CASTS = {"float", "int", "Decimal", "abs", "round"}


def _is_rate_literal(value: object) -> bool:
    """87.745 (a percentage) or 0.87745 (the same as a fraction): the 적격심사 rates end in 5 at the third decimal."""
    if not isinstance(value, float):
        return False
    percent = value * 100 if 0.75 <= value < 0.95 else value
    if not 75 <= percent < 95:
        return False
    thousandths = round(percent * 1000)
    return abs(percent * 1000 - thousandths) < 1e-6 and thousandths % 10 == 5


def _is_share(node: ast.AST) -> bool:
    """A literal share a floor is made of: 0.75–0.95, or 75–95 (divided by 100 beside it)."""
    value = node.value if isinstance(node, ast.Constant) else None
    return isinstance(value, int | float) and not isinstance(value, bool) and (0.75 <= value < 0.95 or 75 <= value < 95)


def _price_share(node: ast.BinOp) -> bool:
    """예정가격 × 0.88 (or × 88 / 100): a price operand times a literal share."""
    sides = (node.left, node.right)
    return isinstance(node.op, ast.Mult) and any(
        _is_share(side) and any(PRICE_NAME.search(name) for name in _names(other))
        for side, other in (sides, sides[::-1])
    )


def _reads_rate(node: ast.AST, tainted: set[str]) -> bool:
    """The expression is a 하한율 itself: a rate-named column or variable, through subscripts, attributes, method
    chains (`frame["lower_limit_rate"].to_numpy()`, `pl.col("lwlt")`, `row.get("lower_limit_rate")`), casts and
    arithmetic, but not through a call of another function (`floor.floor_amount(…, rate)` is the one formula)."""
    if isinstance(node, ast.Name):
        return node.id in tainted or bool(RATE_NAME.search(node.id))
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(RATE_NAME.fullmatch(node.value))
    if isinstance(node, ast.Attribute):
        return bool(RATE_NAME.search(node.attr)) or _reads_rate(node.value, tainted)
    if isinstance(node, ast.Subscript):
        return _reads_rate(node.value, tainted) or _reads_rate(node.slice, tainted)
    if isinstance(node, ast.BinOp):
        return _reads_rate(node.left, tainted) or _reads_rate(node.right, tainted)
    if isinstance(node, ast.UnaryOp):
        return _reads_rate(node.operand, tainted)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute):  # a method of a rate, or a column/key lookup by a rate's name
            return _reads_rate(node.func.value, tainted) or any(_reads_rate(a, tainted) for a in node.args[:1])
        if isinstance(node.func, ast.Name) and node.func.id in _CASTS:
            return any(_reads_rate(a, tainted) for a in node.args)
    return False


def _rate_names(tree: ast.AST) -> set[str]:
    """Every variable of the module assigned a 하한율 (to a fixed point: `b = a` after `a = row["lwlt"]`)."""
    tainted: set[str] = set()
    while True:
        before = len(tainted)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if _reads_rate(node.value, tainted):
                    tainted |= {t.id for t in targets if isinstance(t, ast.Name)}
        if len(tainted) == before:
            return tainted


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
    tainted = _rate_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
            if any(RATE_NAME.search(name) for name in _names(node)) or _reads_rate(node, tainted):
                found.append(f"{label}:{node.lineno}: arithmetic on a 하한율 (use bidradar.rules.floor)")
            elif _price_share(node):
                found.append(f"{label}:{node.lineno}: a price cut to a fixed share (use bidradar.rules.floor)")
        elif isinstance(node, ast.Constant):
            if _is_rate_literal(node.value):
                found.append(f"{label}:{node.lineno}: 하한율 literal {node.value} (use bidradar.rules.rates)")
            elif isinstance(node.value, str) and id(node) not in docs:
                if SQL_FLOOR.search(node.value) or SQL_PRICE_SHARE.search(node.value):
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
        # Other names for the same thing: a rate read into a variable, then the floor computed on it.
        "renamed": 'r = row["lower_limit_rate"]\nfloor_won = (base - a) * r / 100 + a\n',
        "renamed twice": "pct = float(n.lwlt)\nrate = pct\nbound = plan * rate\n",
        "renamed column": 'share = pl.col("lower_limit_rate").cast(pl.Float64)\nx = pl.col("planned") * share\n',
        "fraction literal": "x = planned * 0.87745\n",
        "fraction in SQL": 'Q = "SELECT planned_price * 0.86745 FROM bid_outcomes"\n',
        "rough share in SQL": 'Q = "SELECT o.planned_price * 0.88 AS floor_won FROM bid_outcomes o"\n',
        "rough share": 'guess = row["planned_price"] * 0.88\n',
        "rough percent": "guess = plnprc * 88 / 100\n",
    }
    for kind, code in copies.items():
        assert violations(code, kind), kind
    assert violations('"""The floor is (예정가격 − A) × 하한율 / 100 + A at 87.745 %."""\nX = 1\n', "doc") == []
    # The one formula's result is not a rate: arithmetic on it is not a copy (a floor 0.5 % up, say).
    assert violations("r = row['lower_limit_rate']\nf = floor.floor_amount(p, r, a)\ng = f * 1.005\n", "ok") == []
    assert violations("score = cosine * 0.88\ny = 0.5 * 2\n", "ok") == []  # a share of something else than a price


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
