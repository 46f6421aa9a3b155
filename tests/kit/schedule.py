"""The order pytest-xdist's `--dist worksteal` runs the suite in: the slow tests first, spread over the workers.

worksteal cuts the collected items into one contiguous chunk per worker (the first `len // n`, then the rest's share,
and so on) and, when a worker runs dry, moves the back half of the longest queue to it. Left in collection order, a
slow test starts wherever its file falls: the quiet demo (`test_demo_quiet.py`, ~2 minutes) started late on a
worker and set the end of the run. So `lanes` deals the known slow units longest first to the worker with the least
slow time so far (LPT), puts them at the head of its chunk, and fills each chunk up to worksteal's size with the
other tests in their collection order (a file's tests stay together, so its module fixtures are built once); the
steals then even out the light tails.

A unit is the tests of one prefix of `SLOW` (the longest matching prefix wins), kept together and in collection
order: a file whose tests share a module fixture is one unit, a test that is slow by itself is its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")

E2E = "tests/test_pricing.py::test_pricing_assets_recommend_for_every_eligible_pro_notice"
HALF_LISTS = "tests/test_pricing_warehouse.py::test_half_the_bidder_lists_missing_in_the_warehouse_never_make_a_zero"
ASSET_RERUN = (
    "tests/test_training_increment.py::test_the_asset_writes_nothing_on_a_rerun_and_a_late_award_rewrites_what_reads_it"
)
SCHEMATHESIS = "tests/test_serving_schemathesis.py::test_no_server_errors_and_answers_match_the_schema"
MEGABYTE = "tests/test_masking_pathological.py::test_one_megabyte_of_adversarial_input"

# The slow units and their rough wall seconds on two quiet cores (the order matters, not the figures): from the
# per-test CPU and wall of a whole run (docs/notes/s33-suite.md), the CI's --durations. A file whose tests share an
# expensive module fixture (the fidelity month, the simulator's results, the market and its fit, ingestion's clean
# run) stays one unit; a test slow by itself is its own. tests/test_schedule.py checks that every entry still names
# a test.
SLOW: dict[str, float] = {
    "tests/test_demo_quiet.py": 70,
    "tests/test_orphaned_runs.py": 55,
    f"{E2E}[postgresql]": 42,
    f"{E2E}[sqlite]": 35,
    "tests/test_simulator_fidelity.py": 40,
    f"{ASSET_RERUN}[sqlite]": 40,
    f"{ASSET_RERUN}[postgresql]": 35,
    "tests/test_g2b_simulator.py": 18,
    "tests/test_pricing.py": 30,  # the rest of the file: the market, its fit and backtest (module fixtures)
    "tests/test_ingestion.py": 57,  # one unit: every test reads the module's clean run (~2.6 CPU-s to build)
    "tests/test_deploy.py::test_dagster_services_start_and_pass_their_healthchecks": 30,
    f"{SCHEMATHESIS}[postgresql]": 30,
    f"{SCHEMATHESIS}[sqlite]": 20,
    f"{HALF_LISTS}[postgresql]": 25,
    f"{HALF_LISTS}[sqlite]": 20,
    "tests/test_incremental_matches.py": 25,
    "tests/test_platform.py::test_cli_backfill_fetches_the_bidder_lists_its_runs_deferred": 20,
    "tests/test_platform.py": 15,
    "tests/test_concurrent_writes.py::test_two_real_matching_runs_racing_on_postgresql": 20,
    "tests/test_serving_widths.py": 13,  # one tab per signed-in state (s36): ~40 -> ~18 CPU-s
    "tests/test_training_increment.py": 15,  # the rest: the market (a module fixture) and the refreshes
    # The 1 MB masking inputs: independent tests, 63 CPU-s together; left in their file they ended the run.
    f"{MEGABYTE}[password-label]": 13,
    f"{MEGABYTE}[place-value]": 9,
    f"{MEGABYTE}[key-label]": 8,
    f"{MEGABYTE}[digit-dash]": 6,
    f"{MEGABYTE}[s3a-uri]": 5,
    f"{MEGABYTE}[digit-space]": 5,
    f"{MEGABYTE}[digit-dot]": 4,
    f"{MEGABYTE}[hexdump-line]": 3,
    MEGABYTE: 8,  # the other inputs
}


def chunk_sizes(total: int, workers: int) -> list[int]:
    """How many items worksteal first sends each worker (xdist 3.8, `WorkStealingScheduling.check_schedule`)."""
    sizes, left = [], total
    for i in range(workers):
        size = left // (workers - i)
        sizes.append(size)
        left -= size
    return sizes


def unit_of(nodeid: str, slow: Mapping[str, float]) -> str | None:
    """The longest prefix of `slow` that `nodeid` starts with (a file, a test, or one parameter of a test)."""
    best = None
    for prefix in slow:
        if nodeid.startswith(prefix) and (best is None or len(prefix) > len(best)):
            best = prefix
    return best


def lanes(items: Sequence[T], nodeid: Callable[[T], str], slow: Mapping[str, float], workers: int) -> list[T]:
    """`items` reordered for `workers` worksteal workers: each chunk starts with its share of the slow units.

    A slow unit that does not fit the room left in the chosen chunk goes to the next-least-loaded one with room; one
    larger than every chunk stays where collection put it."""
    units: dict[str, list[T]] = {}
    light: list[T] = []
    for item in items:
        unit = unit_of(nodeid(item), slow)
        if unit is None:
            light.append(item)
        else:
            units.setdefault(unit, []).append(item)
    sizes = chunk_sizes(len(items), workers)
    heads: list[list[T]] = [[] for _ in range(workers)]
    load = [0.0] * workers
    for unit, members in sorted(units.items(), key=lambda kv: -slow[kv[0]]):
        fitting = [w for w in range(workers) if len(heads[w]) + len(members) <= sizes[w]]
        if not fitting:
            light.extend(members)
            continue
        lane = min(fitting, key=lambda w: (load[w], w))
        heads[lane].extend(members)
        load[lane] += slow[unit]
    # Items not dealt keep their collection order among themselves.
    position = {id(item): i for i, item in enumerate(items)}
    light.sort(key=lambda item: position[id(item)])
    ordered: list[T] = []
    rest = iter(light)
    for lane in range(workers):
        ordered.extend(heads[lane])
        ordered.extend(next(rest) for _ in range(sizes[lane] - len(heads[lane])))
    return ordered
