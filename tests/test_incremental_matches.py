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

from assets import ingestion, matching
from assets.common.resources import G2BResource, ProfilesResource, WarehouseResource
from bidradar.core import warehouse
from bidradar.matching import hard, incremental, profiles, ranked, store
from tests.support import materialize_days, read_table
from tests.test_matching import DAYS, KEY, RUN_AS_OF, SHIPPED, _ingest, simulator_url  # noqa: F401  (a fixture)

KEYS = ["company_id", "notice_no"]


def _match(database_url: str, folder: Path, ops: dict, soft: bool = False) -> dict:
    """Materialize company_profiles and hard_matches (and soft_matches); the last one's metadata as plain values."""
    assets = [matching.company_profiles, matching.hard_matches, *([matching.soft_matches] if soft else [])]
    result = materialize(
        assets,
        resources={
            "warehouse": WarehouseResource(database_url=database_url),
            "profiles": ProfilesResource(folder=str(folder)),
        },
        run_config={"ops": {name: {"config": config} for name, config in ops.items()}},
        raise_on_error=False,
    )
    assert result.success
    assert all(c.passed for c in result.get_asset_check_evaluations() if c.asset_key.path == ["hard_matches"])
    [event] = result.asset_materializations_for_node(assets[-1].key.path[-1])
    return {k: v.value for k, v in event.metadata.items()}


def _hard(database_url: str, folder: Path, full_rebuild: bool = False) -> dict:
    """The hard_matches metadata of a run of company_profiles and hard_matches."""
    return _match(database_url, folder, {"hard_matches": {"as_of": RUN_AS_OF, "full_rebuild": full_rebuild}})


def _crawled(url: str, database_url: str, tmp_path: Path) -> Path:
    """Crawl the two days into the warehouse; a copy of the shipped profiles in tmp_path."""
    _ingest(url, database_url)
    folder = tmp_path / "profiles"
    folder.mkdir()
    for path in SHIPPED.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    return folder


def _state(database_url: str) -> dict[str, pl.DataFrame]:
    return {
        "hard_matches": read_table(database_url, "hard_matches").sort(KEYS),
        "hard_match_notice_verdicts": read_table(database_url, "hard_match_notice_verdicts")
        .with_columns(pl.col("verdict_codes").map_elements(bytes, return_dtype=pl.Binary))  # PostgreSQL: memoryview
        .sort("notice_no"),
        "hard_match_summary": read_table(database_url, "hard_match_summary").drop("evaluated_at").sort("company_id"),
    }


def _codes(database_url: str) -> pl.DataFrame:
    """(company_id, notice_no, code) of every stored verdict code, through matching's reader."""
    engine = warehouse.make_engine(database_url)
    notice_nos = read_table(database_url, "hard_match_notice_verdicts")["notice_no"].to_list()
    stored = store.read_verdict_codes(engine, incremental.stored_companies(store.read_match_inputs(engine)), notice_nos)
    engine.dispose()
    assert stored is not None
    return pl.DataFrame(
        {
            "company_id": stored.company_ids * len(stored.notice_nos),
            "notice_no": [no for no in stored.notice_nos for _ in stored.company_ids],
            "code": stored.codes.ravel().astype("int64"),
        }
    ).sort(KEYS)


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
    folder = _crawled(simulator_url, database_url, tmp_path)

    first = _hard(database_url, folder)
    assert first["mode"] == "full" and first["reason"] == "no stored state (first run)"
    assert first["pairs_evaluated"] == first["companies"] * first["open_notices"] > 0
    before = _state(database_url)
    assert before["hard_matches"].height == first["rows_written"] > 0
    # Every pair of an open notice has a code; the ineligible ones are those with a failing rule, and the others are
    # the stored pairs.
    codes = _codes(database_url)
    assert codes.height == first["companies"] * first["open_notices"]
    failing = codes.filter((pl.col("code") & hard.FAIL_BITS) != 0)
    assert failing.height == before["hard_match_summary"]["ineligible"].sum() > 0
    assert codes.join(failing, on=KEYS, how="anti").select(KEYS).equals(before["hard_matches"].select(KEYS))

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
    for name in ("hard_matches", "hard_match_notice_verdicts"):
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


def _rebuild_equals(database_url: str, folder: Path, as_of: str) -> None:
    """A full rebuild of the same inputs writes what the incremental run left: the pairs, every verdict code and the
    counts."""
    incremental_state = _state(database_url)
    full = _match(database_url, folder, {"hard_matches": {"as_of": as_of, "full_rebuild": True}})
    assert full["mode"] == "full"
    for name, frame in _state(database_url).items():
        assert frame.equals(incremental_state[name]), name


def _profile(folder: Path, file_name: str, source: str, changes: dict[str, str]) -> None:
    """A profile file as the shipped `source` with some top-level lines replaced."""
    lines = (SHIPPED / source).read_text(encoding="utf-8").splitlines()
    for key, value in changes.items():
        lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines]
    (folder / file_name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_new_day_a_changed_profile_and_a_new_company_are_judged_alone_and_equal_a_full_rebuild(
    simulator_url: str,  # noqa: F811
    database_url: str,
    tmp_path: Path,
) -> None:
    warehouse.migrate(warehouse.make_engine(database_url))
    g2b = G2BResource(base_url=simulator_url, service_key=KEY, backoff_initial_seconds=0.01)
    notice_assets = [ingestion.g2b_raw_notices, ingestion.notice_tables]
    folder = tmp_path / "profiles"
    folder.mkdir()
    for path in SHIPPED.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    run = lambda as_of: _match(database_url, folder, {"hard_matches": {"as_of": as_of}})  # noqa: E731

    assert materialize_days(notice_assets, database_url, DAYS[:1], g2b).success
    first = run("2026-03-04 21:00")
    assert first["mode"] == "full"

    # A new day of notices: the day is not in the rules' fingerprint, so only the new notices are judged.
    assert materialize_days(notice_assets, database_url, DAYS[1:], g2b).success
    day = run(RUN_AS_OF)
    assert (day["mode"], day["changed_companies"]) == ("incremental", 0)
    assert 0 < day["changed_notices"] < day["open_notices"]
    assert day["pairs_evaluated"] == day["changed_notices"] * day["companies"]
    _rebuild_equals(database_url, folder, RUN_AS_OF)

    # An edited profile and a new company: every open notice against those two only; every code row is rewritten
    # for the new column.
    _profile(folder, "hanbit-soft.yaml", "hanbit-soft.yaml", {"capacity_won": "300000000"})
    first9 = "123456789"
    _profile(
        folder,
        "daesung-busan.yaml",
        "daesung-electric.yaml",
        {"name": "대성전기부산(주)", "business_no": f"{first9}{profiles.business_no_check_digit(first9)}"},
    )
    edited = run(RUN_AS_OF)
    assert (edited["mode"], edited["changed_companies"], edited["changed_notices"]) == ("incremental", 2, 0)
    assert edited["pairs_evaluated"] == 2 * edited["open_notices"]
    _rebuild_equals(database_url, folder, RUN_AS_OF)

    # A company leaves and a notice gets a new 차수; then days later, with no new notices, some have closed.
    (folder / "daesung-electric.yaml").unlink()
    _new_revision(database_url, read_table(database_url, "hard_matches")["notice_no"].sort()[0])
    left = run(RUN_AS_OF)
    assert (left["mode"], left["removed_companies"], left["changed_notices"]) == ("incremental", 1, 1)
    _rebuild_equals(database_url, folder, RUN_AS_OF)
    later = run("2026-03-10 21:00")
    assert (later["mode"], later["pairs_evaluated"], later["changed_notices"]) == ("incremental", 0, 0)
    assert later["closed_notices"] > 0 and later["open_notices"] > 0, later
    _rebuild_equals(database_url, folder, "2026-03-10 21:00")


def test_the_rules_fingerprint_moves_with_the_dated_rules_not_with_the_day() -> None:
    fingerprint = lambda day: incremental.rules_fingerprint(dt.datetime.combine(day, dt.time(21)))  # noqa: E731
    assert fingerprint(dt.date(2026, 3, 5)) == fingerprint(dt.date(2026, 3, 6)) == fingerprint(dt.date(2026, 6, 30))
    # 인천's 제물포구·영종구·검단구 (regions.UNITS) from 2026-07-01, the next 고시금액 period from 2027-01-01.
    assert fingerprint(dt.date(2026, 6, 30)) != fingerprint(dt.date(2026, 7, 1))
    assert fingerprint(dt.date(2026, 12, 31)) != fingerprint(dt.date(2027, 1, 1))


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


# ---------------------------------------------------------------------------------------------------------------------
# Soft matches


def _soft(database_url: str, folder: Path, full_rebuild: bool = False) -> dict:
    """The soft_matches metadata of a run of the three match assets (top 20)."""
    config = {"as_of": RUN_AS_OF, "top_k": 20}
    ops = {"hard_matches": config, "soft_matches": {**config, "full_rebuild": full_rebuild}}
    return _match(database_url, folder, ops, soft=True)


def test_a_rerun_with_one_changed_notice_text_rescores_only_its_soft_matches(
    simulator_url: str,  # noqa: F811
    sqlite_url: str,
    tmp_path: Path,
) -> None:
    folder = _crawled(simulator_url, sqlite_url, tmp_path)

    first = _soft(sqlite_url, folder)
    assert (first["mode"], first["reason"]) == ("full", "no stored scores (first run)")
    before = read_table(sqlite_url, "soft_matches").sort(KEYS)
    assert before.height == first["rows_written"] == first["pairs"] > 0  # every candidate pair is scored and kept

    idle = _soft(sqlite_url, folder)
    assert (idle["mode"], idle["pairs_scored"], idle["rows_deleted"], idle["rows_written"]) == ("incremental", 0, 0, 0)
    assert read_table(sqlite_url, "soft_matches").sort(KEYS).equals(before)

    # One notice's title gains two of hanbit-soft's include keywords: its relevance to hanbit-soft rises.
    hanbit = before.filter(pl.col("company_id") == "hanbit-soft")
    plain = hanbit.filter(~pl.col("matched_terms").str.contains("클라우드|빅데이터")).sort("score", "notice_no")
    changed = plain["notice_no"][0]
    engine = warehouse.make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE bid_notices SET title = title || ' 클라우드 빅데이터 구축' WHERE notice_no = :n"),
            {"n": changed},
        )
    ranks_before = ranked.read_ranked(engine, "hanbit-soft")
    second = _soft(sqlite_url, folder)
    ranks_after = ranked.read_ranked(engine, "hanbit-soft")
    engine.dispose()
    assert (second["mode"], second["changed_notices"], second["gone_notices"]) == ("incremental", 1, 0)
    after = read_table(sqlite_url, "soft_matches").sort(KEYS)
    theirs = pl.col("notice_no") == changed
    # Every row of every other notice is byte for byte the same (evaluated_at too): not rewritten.
    assert after.filter(~theirs).equals(before.filter(~theirs))
    assert second["rows_written"] == second["rows_deleted"] == before.filter(theirs).height == second["pairs_scored"]
    [old] = before.filter(theirs & (pl.col("company_id") == "hanbit-soft")).rows(named=True)
    [new] = after.filter(theirs & (pl.col("company_id") == "hanbit-soft")).rows(named=True)
    assert new["score"] > old["score"] and {"클라우드", "빅데이터"} <= set(new["matched_terms"].split(", "))
    # The rank is the reader's: the notice climbs among hanbit-soft's top 20 without the others' rows being written.
    position = lambda frame: frame.filter(pl.col("notice_no") == changed)["rank"].to_list()  # noqa: E731
    assert position(ranks_after) and position(ranks_after) != position(ranks_before)
    assert ranks_after["rank"].to_list() == list(range(1, ranks_after.height + 1))

    # The incremental result is what a full rebuild of the same inputs writes.
    full = _soft(sqlite_url, folder, full_rebuild=True)
    assert full["mode"] == "full" and full["pairs_scored"] == full["pairs"]
    rebuilt = read_table(sqlite_url, "soft_matches").sort(KEYS)
    assert rebuilt.drop("evaluated_at").equals(after.drop("evaluated_at"))


def test_soft_scores_do_not_depend_on_the_other_notices() -> None:
    """A notice scored alone gets the score it gets among all the others (what makes the incremental run exact)."""
    from bidradar.matching import soft
    from bidradar.matching.profiles import profiles_frame
    from tests.test_matching import company

    notices = pl.DataFrame(
        {
            "notice_no": ["A", "B", "C"],
            "title": ["정보시스템 유지관리 용역", "홈페이지 고도화 사업", "하수관로 정비공사"],
        }
    )
    other = company(company_id="other", name="도로포장(주)", description="하수관로 정비와 도로포장 공사")
    profiles = profiles_frame([company(), other])
    hard_rows = pl.DataFrame(
        {"company_id": ["acme"] * 3 + ["other"], "notice_no": ["A", "B", "C", "A"], "verdict": ["eligible"] * 4}
    )
    together = soft.scored_pairs(hard_rows, notices, profiles).sort(KEYS)
    alone = pl.concat(
        [soft.scored_pairs(hard_rows.filter(pl.col("notice_no") == no), notices, profiles) for no in "ABC"]
    ).sort(KEYS)
    assert together.height == 4 and together.equals(alone)
    fingerprints = soft.notice_fingerprints(hard_rows, notices, "run")
    edited = notices.with_columns(
        pl.when(pl.col("notice_no") == "B").then(pl.lit("홈페이지")).otherwise("title").alias("title")
    )
    moved = fingerprints.join(soft.notice_fingerprints(hard_rows, edited, "run"), on="notice_no", suffix="_new")
    assert moved.filter(pl.col("inputs_fingerprint") != pl.col("inputs_fingerprint_new"))["notice_no"].to_list() == [
        "B"
    ]
    plan = soft.plan(fingerprints, soft.notice_fingerprints(hard_rows, edited, "run"))
    assert (plan.full, plan.changed_notices, plan.gone_notices) == (False, ["B"], [])
    assert soft.plan(fingerprints, fingerprints.filter(pl.col("notice_no") != "C")).gone_notices == ["C"]
    assert soft.plan(fingerprints, soft.notice_fingerprints(hard_rows, notices, "another run")).changed_notices == [
        "A",
        "B",
        "C",
    ]
