"""The order ./bidradar.sh test runs the suite in (tests/kit/schedule.py): slow units first, one chunk per worker."""

from __future__ import annotations

import re
from pathlib import Path

from tests.kit import schedule

ROOT = Path(__file__).resolve().parent.parent


def test_chunks_are_the_sizes_worksteal_sends() -> None:
    # xdist 3.8 WorkStealingScheduling.check_schedule: each idle node in turn gets len(pending) // nodes_remaining.
    assert schedule.chunk_sizes(3491, 4) == [872, 873, 873, 873]
    assert schedule.chunk_sizes(10, 3) == [3, 3, 4]
    assert schedule.chunk_sizes(1, 2) == [0, 1]


def test_slow_units_head_the_chunks_longest_first_and_the_rest_keeps_its_order() -> None:
    items = [f"tests/test_{name}.py::t{i}" for name in "abcdef" for i in range(3)]
    slow = {"tests/test_b.py": 50.0, "tests/test_e.py::t1": 40.0, "tests/test_d.py": 30.0, "tests/test_e.py": 5.0}
    ordered = schedule.lanes(items, str, slow, 2)
    assert sorted(ordered) == sorted(items)
    first, second = ordered[:9], ordered[9:]
    # b (50) to the first chunk, e::t1 (40) to the second, d (30) to the second (40 < 50), e's rest (5) to the first.
    b_then_e = ["tests/test_b.py::t0", "tests/test_b.py::t1", "tests/test_b.py::t2", "tests/test_e.py::t0"]
    assert first[:6] == [*b_then_e, "tests/test_e.py::t2", "tests/test_a.py::t0"]
    assert second[:4] == ["tests/test_e.py::t1", "tests/test_d.py::t0", "tests/test_d.py::t1", "tests/test_d.py::t2"]
    light = [i for i in ordered if schedule.unit_of(i, slow) is None]
    assert light == [i for i in items if schedule.unit_of(i, slow) is None]


def test_a_unit_larger_than_every_chunk_stays_in_collection_order() -> None:
    items = [f"tests/test_a.py::t{i}" for i in range(5)] + ["tests/test_b.py::t0", "tests/test_b.py::t1"]
    ordered = schedule.lanes(items, str, {"tests/test_a.py": 10.0, "tests/test_b.py": 1.0}, 2)
    assert sorted(ordered) == sorted(items) and ordered[:2] == ["tests/test_b.py::t0", "tests/test_b.py::t1"]


def test_every_slow_entry_still_names_a_test() -> None:
    """A renamed test would silently lose its place at the head of a chunk: each prefix must name a file that
    exists and, when it names a test, a test function in it."""
    for prefix in schedule.SLOW:
        path, _, rest = prefix.partition("::")
        source = (ROOT / path).read_text(encoding="utf-8")
        if rest:
            name = re.split(r"[\[]", rest)[0]
            assert re.search(rf"^def {re.escape(name)}\(", source, re.M), prefix
