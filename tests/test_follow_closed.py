"""A company follows a notice past its close (issue 27 item 2): the match of a notice that closes stays, frozen as last
judged while open; the board shows it under 마감 and, once its opening is in, under 개찰 완료 with the winner; what
acts on open notices (briefing, recommendations, relevance) no longer sees it; retention deletes it after its
setting. Real Dagster materializations on a real SQLite and PostgreSQL warehouse, the notices crawled from the
in-process simulator."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from bidradar.alerts import store as alerts_store
from bidradar.core import warehouse
from bidradar.ingestion import readers as ingestion_readers
from bidradar.matching import ranked, store, verdicts
from bidradar.ops.retention import prune
from serving.api import queries
from tests.test_incremental_matches import KEYS, _hard, _state
from tests.test_matching import RUN_AS_OF, SHIPPED, _ingest, _match, simulator_url  # noqa: F401  (a fixture)

AS_OF = dt.datetime.strptime(RUN_AS_OF, "%Y-%m-%d %H:%M")
WINNER_NO = "1234567890"


def _followed_pair(engine: sa.Engine) -> tuple[str, str]:
    """A company's best-ranked eligible pair (what its briefing would list) whose notice other companies match too."""
    top = ranked.read_ranked(engine).sort("rank", "company_id", "notice_no")
    eligible = {(v.company_id, v.notice_no) for v in verdicts.read_verdicts(engine) if v.verdict == "eligible"}
    for company_id, notice_no in top.select("company_id", "notice_no").iter_rows():
        if (company_id, notice_no) in eligible:
            return company_id, notice_no
    raise AssertionError("the simulated day gives no ranked eligible pair")


def _board_stage(engine: sa.Engine, company_id: str, notice_no: str) -> tuple[str | None, str | None]:
    """(stage, verdict) of the notice's card on the company's board, or (None, None) when it has none."""
    company = queries.Company(company_id, company_id, "pro")
    with engine.connect() as conn:
        board = queries.board(conn, company, AS_OF, per_stage=10_000)
    for column in board["columns"]:
        for item in column["items"]:
            if item["notice_no"] == notice_no:
                return column["stage"], item["verdict"]
    return None, None


def test_a_closed_notice_is_followed_to_its_result_then_pruned(
    simulator_url: str,  # noqa: F811
    database_url: str,
    tmp_path: Path,
) -> None:
    _ingest(simulator_url, database_url)
    folder = tmp_path / "profiles"
    folder.mkdir()
    for path in SHIPPED.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    assert _match(database_url, folder).success
    engine = warehouse.make_engine(database_url)
    company_id, notice_no = _followed_pair(engine)
    before = _state(database_url)
    theirs = pl.col("notice_no") == notice_no
    followed = before["hard_matches"].filter(theirs)
    assert followed.height >= 1 and before["hard_match_notice_verdicts"].filter(theirs).height == 1
    [judged] = verdicts.read_verdicts(engine, company_id, [notice_no])
    assert _board_stage(engine, company_id, notice_no)[0] in ("new", "open", "closing")
    assert notice_no in alerts_store.read_candidates(engine).filter(pl.col("company_id") == company_id)["notice_no"]
    assert (company_id, notice_no) in set(verdicts.read_eligible_pairs(engine).select(KEYS).iter_rows())

    # The notice closes before the run (as the clock passing its close would; its revision does not change).
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE bid_notices SET bid_close_at = :c, opening_at = :o WHERE notice_no = :n"),
            {"c": AS_OF - dt.timedelta(hours=2), "o": AS_OF - dt.timedelta(hours=1), "n": notice_no},
        )
    closed = _hard(database_url, folder)
    assert (closed["mode"], closed["closed_notices"], closed["changed_notices"]) == ("incremental", 1, 0)
    # Closing rewrites no match: only the notice's verdict codes (counted for open notices only) leave.
    assert (closed["rows_deleted"], closed["rows_written"], closed["pairs_evaluated"]) == (0, 0, 0)
    after = _state(database_url)
    assert after["hard_matches"].equals(before["hard_matches"])
    assert after["hard_match_notice_verdicts"].equals(before["hard_match_notice_verdicts"].filter(~theirs))
    assert (after["hard_match_summary"]["open_notices"] == before["hard_match_summary"]["open_notices"] - 1).all()
    assert verdicts.read_verdicts(engine, company_id, [notice_no]) == [judged]

    # Relevance, the briefing and the recommendations act on open notices only; the board follows it under 마감.
    assert _match(database_url, folder).success
    assert notice_no not in ranked.read_ranked(engine)["notice_no"]
    assert notice_no not in alerts_store.read_candidates(engine)["notice_no"]
    assert notice_no not in verdicts.read_eligible_pairs(engine)["notice_no"]
    assert _board_stage(engine, company_id, notice_no) == ("closed", judged.verdict)
    # The match list: the open pairs first (ranked, then unranked), the followed closed notice after them.
    with engine.connect() as conn:
        listed = queries.company_matches(
            conn, queries.Company(company_id, company_id, "pro"), AS_OF, queries.MatchFilters(), 10_000, None
        )["items"]
    stages = [item["stage"] for item in listed]
    assert [item["notice_no"] for item in listed][-1] == notice_no and stages.count("closed") == 1

    # Nothing changed: nothing written; a full rebuild (a new day, a new rules' version) keeps the frozen pairs.
    idle = _hard(database_url, folder)
    assert (idle["rows_deleted"], idle["rows_written"], idle["closed_notices"]) == (0, 0, 0)
    full = _hard(database_url, folder, full_rebuild=True)
    assert full["mode"] == "full"
    assert _state(database_url)["hard_matches"].equals(before["hard_matches"])

    # The company's profile changes: its open pairs are judged again, its frozen pair is written back unchanged.
    profile = folder / f"{company_id}.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = _hard(database_url, folder)
    assert edited["changed_companies"] == 1 and edited["frozen_rows_rewritten"] >= 1
    assert _state(database_url)["hard_matches"].filter(theirs).equals(followed)

    # Its opening is crawled: the board moves it to 개찰 완료, and the detail's reader names the winner.
    warehouse.write(
        engine,
        [
            warehouse.TableWrite(
                "bid_outcomes",
                pl.DataFrame(
                    [
                        {
                            "notice_no": notice_no,
                            "notice_order": followed["notice_order"][0],
                            "bid_class_no": "0",
                            "rebid_no": "0",
                            "category": followed["category"][0] or "services",
                            "opened_at": AS_OF - dt.timedelta(hours=1),
                            "opening_status": "개찰완료",
                            "participant_count": 3,
                            "winner_name": "낙찰건설",
                            "winner_business_no": WINNER_NO,
                            "winning_amount": 100_000_000,
                            "notice_missing": False,
                        }
                    ]
                ),
                key=["notice_no", "notice_order", "bid_class_no", "rebid_no"],
                replace="rows",
            )
        ],
    )
    assert _board_stage(engine, company_id, notice_no) == ("opened", judged.verdict)
    [opening] = ingestion_readers.notice_openings(engine, notice_no)
    assert (opening["winner_name"], opening["winner_business_no"]) == ("낙찰건설", WINNER_NO)

    # Retention: kept CLOSED_MATCH_RETENTION_DAYS after the opening, then deleted; the open notices' pairs stay.
    opened_on = (AS_OF - dt.timedelta(hours=1)).date()
    assert prune(engine, opened_on + dt.timedelta(days=180), 0, 0, closed_match_days=180).closed_matches == 0
    assert prune(engine, opened_on + dt.timedelta(days=400), 0, 0, closed_match_days=0).closed_matches == 0
    pruned = prune(engine, opened_on + dt.timedelta(days=181), 0, 0, closed_match_days=180)
    assert pruned.closed_matches == followed.height
    left = _state(database_url)["hard_matches"]
    assert left.filter(theirs).is_empty() and left.height == store.read_live_pairs(engine).height > 0
    engine.dispose()
