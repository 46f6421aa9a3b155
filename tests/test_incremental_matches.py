"""Incremental hard matches (issue 21 item 2): a rerun with one changed notice rewrites only its matches, and the
result equals a full rebuild. Real Dagster materializations on a real SQLite and PostgreSQL warehouse, the notices
crawled from the in-process simulator."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from dagster import materialize

from assets import matching
from assets.common.resources import ProfilesResource, WarehouseResource
from bidradar.core import warehouse
from bidradar.matching import hard, incremental
from tests.support import read_table
from tests.test_matching import RUN_AS_OF, SHIPPED, _ingest, simulator_url  # noqa: F401  (a fixture)

KEYS = ["company_id", "notice_no"]


def _hard(database_url: str, folder: Path, full_rebuild: bool = False) -> dict:
    """Materialize company_profiles and hard_matches; the hard_matches metadata as plain values."""
    result = materialize(
        [matching.company_profiles, matching.hard_matches],
        resources={
            "warehouse": WarehouseResource(database_url=database_url),
            "profiles": ProfilesResource(folder=str(folder)),
        },
        run_config={"ops": {"hard_matches": {"config": {"as_of": RUN_AS_OF, "full_rebuild": full_rebuild}}}},
        raise_on_error=False,
    )
    assert result.success
    assert all(c.passed for c in result.get_asset_check_evaluations() if c.asset_key.path == ["hard_matches"])
    [event] = result.asset_materializations_for_node("hard_matches")
    return {k: v.value for k, v in event.metadata.items()}


def _state(database_url: str) -> dict[str, pl.DataFrame]:
    return {
        "hard_matches": read_table(database_url, "hard_matches").sort(KEYS),
        "hard_match_failures": read_table(database_url, "hard_match_failures").sort(KEYS),
        "hard_match_summary": read_table(database_url, "hard_match_summary").drop("evaluated_at").sort("company_id"),
    }


def _new_revision(database_url: str, notice_no: str) -> None:
    """A new 차수 of one notice: its order moves on, its estimated price halves and its limit rows follow."""
    engine = warehouse.make_engine(database_url)
    with engine.begin() as conn:
        order = conn.execute(
            sa.text("SELECT notice_order FROM bid_notices WHERE notice_no = :n"), {"n": notice_no}
        ).scalar_one()
        new_order = f"{int(order) + 1:0{len(order)}d}"
        conn.execute(
            sa.text(
                "UPDATE bid_notices SET notice_order = :o, revision_key = :r, estimated_price = estimated_price / 2, "
                "budget_amount = budget_amount / 2 WHERE notice_no = :n"
            ),
            {"o": new_order, "r": f"{new_order}-changed", "n": notice_no},
        )
        for table in ("notice_license_limits", "notice_region_limits"):
            conn.execute(
                sa.text(f"UPDATE {table} SET notice_order = :o WHERE notice_no = :n AND notice_order = :old"),
                {"o": new_order, "n": notice_no, "old": order},
            )
    engine.dispose()


def test_a_rerun_with_one_changed_notice_rewrites_only_its_matches(
    simulator_url: str,  # noqa: F811
    database_url: str,
    tmp_path: Path,
) -> None:
    _ingest(simulator_url, database_url)
    folder = tmp_path / "profiles"
    folder.mkdir()
    for path in SHIPPED.glob("*.yaml"):
        shutil.copy(path, folder / path.name)

    first = _hard(database_url, folder)
    assert first["mode"] == "full" and first["reason"] == "no stored state (first run)"
    assert first["pairs_evaluated"] == first["companies"] * first["open_notices"] > 0
    before = _state(database_url)
    assert before["hard_matches"].height == first["rows_written"] > 0
    # The summary recomputed from the stored rows is the one the rules counted over every pair.
    assert before["hard_match_failures"].height == before["hard_match_summary"]["ineligible"].sum() > 0

    # Nothing changed: nothing is judged, nothing written.
    idle = _hard(database_url, folder)
    assert (idle["mode"], idle["pairs_evaluated"], idle["rows_deleted"], idle["rows_written"]) == (
        "incremental",
        0,
        0,
        0,
    )
    assert all(frame.equals(before[name]) for name, frame in _state(database_url).items())

    # A notice with a stored (eligible or unknown) pair and a price gets a new 차수 with half the price.
    priced = before["hard_matches"].filter(pl.col("estimated_price").is_not_null())
    changed = priced["notice_no"].sort()[0]
    _new_revision(database_url, changed)
    second = _hard(database_url, folder)
    assert second["mode"] == "incremental"
    assert (second["changed_notices"], second["closed_notices"], second["changed_companies"]) == (1, 0, 0)
    assert second["pairs_evaluated"] == second["companies"]
    after = _state(database_url)
    theirs = pl.col("notice_no") == changed
    # Every row of every other notice is byte for byte the same; the changed notice's rows were rewritten.
    for name in ("hard_matches", "hard_match_failures"):
        assert after[name].filter(~theirs).equals(before[name].filter(~theirs)), name
    rewritten = after["hard_matches"].filter(theirs)
    assert second["rows_written"] == rewritten.height
    assert second["rows_deleted"] == before["hard_matches"].filter(theirs).height
    [old_price] = set(before["hard_matches"].filter(theirs)["estimated_price"])
    assert set(rewritten["estimated_price"]) == {old_price // 2}
    assert set(rewritten["notice_order"]).isdisjoint(before["hard_matches"].filter(theirs)["notice_order"])

    # The incremental result is what a full rebuild of the same inputs writes.
    full = _hard(database_url, folder, full_rebuild=True)
    assert full["mode"] == "full" and full["pairs_evaluated"] == full["companies"] * full["open_notices"]
    rebuilt = _state(database_url)
    for name, frame in rebuilt.items():
        assert frame.equals(after[name]), name


def test_a_new_rules_version_rebuilds_everything() -> None:
    current = pl.DataFrame(
        {"input_kind": ["rules", "notice"], "input_key": ["hard", "N1"], "fingerprint": ["v|2026-03-05", "000|x"]}
    )
    older = current.with_columns(
        pl.when(pl.col("input_kind") == "rules")
        .then(pl.lit("old|2026-03-05"))
        .otherwise("fingerprint")
        .alias("fingerprint")
    )
    assert incremental.plan(current, current).full is False
    assert incremental.plan(older, current).full is True
    closed = pl.concat([current, pl.DataFrame({"input_kind": ["notice"], "input_key": ["N0"], "fingerprint": ["a"]})])
    assert incremental.plan(closed, current).closed_notices == ["N0"]
    assert hard.RULES_VERSION in incremental.rules_fingerprint(dt.datetime(2026, 3, 5))


def test_a_write_planned_from_a_stale_read_fails_and_changes_nothing(migrated_engine: sa.Engine) -> None:
    """Two runs that read the same state: the second to write must plan again, not delete by what it read."""
    frame = pl.DataFrame({"input_kind": ["rules"], "input_key": ["hard"], "fingerprint": ["v1"]})
    read_at = warehouse.table_version(migrated_engine, "hard_match_inputs")
    keys = ["input_kind", "input_key"]
    warehouse.write(migrated_engine, [warehouse.TableWrite("hard_match_inputs", frame, keys, replace="table")])
    stale = warehouse.TableWrite(
        "hard_match_inputs",
        frame.with_columns(fingerprint=pl.lit("v2")),
        keys,
        replace="table",
        expected_version=read_at,
    )
    with pytest.raises(warehouse.StaleWrite, match="another run wrote it in between"):
        warehouse.write(migrated_engine, [stale])
    assert warehouse.read_frame(migrated_engine, "SELECT fingerprint FROM hard_match_inputs")[
        "fingerprint"
    ].to_list() == ["v1"]
    fresh = warehouse.TableWrite(
        "hard_match_inputs",
        frame.with_columns(fingerprint=pl.lit("v2")),
        keys,
        replace="table",
        expected_version=warehouse.table_version(migrated_engine, "hard_match_inputs"),
    )
    warehouse.write(migrated_engine, [fresh])
    assert warehouse.read_frame(migrated_engine, "SELECT fingerprint FROM hard_match_inputs")[
        "fingerprint"
    ].to_list() == ["v2"]
