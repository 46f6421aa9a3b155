"""Ingestion through Dagster, the real client and the simulator over HTTP: clean runs, every fault shape,
reruns, and the real G2B sample."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster
import polars as pl
import pytest
import sqlalchemy as sa

from assets import ingestion
from assets.common.resources import G2BResource
from bidradar.core import warehouse
from bidradar.core.clock import today_kst
from bidradar.ingestion import fields, normalize
from bidradar.ingestion.simulator import G2BSimulator
from tests.support import materialize_days

KEY = "test+key/with=specials"
NOW = dt.datetime(2026, 11, 20, 21, 0, tzinfo=ZoneInfo("Asia/Seoul"))
DAYS = (dt.date(2026, 11, 18), dt.date(2026, 11, 19))  # a Wednesday and a Thursday
NOTICE_ASSETS = [ingestion.g2b_raw_notices, ingestion.notice_tables]
RESULT_ASSETS = [ingestion.g2b_raw_results, ingestion.result_tables, ingestion.bid_outcomes]
SAMPLE = (
    Path(__file__).resolve().parent / "data/g2b/parkyoung07_bid_sample_R26BK01706792_getBidPblancListInfoServc.json"
)
TABLES = [
    "g2b_raw_pages",
    "bid_notices",
    "notice_base_amounts",
    "notice_license_limits",
    "notice_region_limits",
    "bid_openings",
    "bid_awards",
    "bid_result_reserve_prices",
    "bid_result_bidders",
    "bid_outcomes",
]
# What the notices' job writes. A fault injected into the notices' crawl is judged on these: the results come from
# other calls, made after the fault is cleared, and a clean results run on both backends is its own test.
NOTICE_TABLES = TABLES[:5]


@pytest.fixture(scope="module")
def simulator() -> Iterator[tuple[G2BSimulator, str]]:
    # 60 notices a day (150 before): every crawl of these tests pays per item (pages served and parsed, rows written
    # and compared), not per call. Each notice day is still one page per query (13 calls a day at either size, which
    # the lasting faults count on), and every table gets rows: 112 notices, 85 license and 99 region rows, 100
    # openings, 124 awards, 7,446 bidders (292, 190, 233, 245, 296 and 16,133 at 150).
    sim = G2BSimulator(seed=7, notices_per_day=60, service_key=KEY, now=NOW)
    # Awards look back ~6 weeks of notices: build them before the short client timeouts of these tests.
    for kind in ("result", "award"):
        sim.generator.window(kind, "rgst", None, *(dt.datetime.combine(d, dt.time(), NOW.tzinfo) for d in DAYS), NOW)
    with sim.serve() as url:
        yield sim, url


def run(assets: list, url: str, database_url: str, days=DAYS, key: str = KEY):
    g2b = G2BResource(base_url=url, service_key=key, max_attempts=3, backoff_initial_seconds=0.01, timeout_seconds=0.5)
    return materialize_days(assets, database_url, days, g2b, raise_on_error=False)


def canon(value: object) -> str:
    """One text form per value on both backends (PostgreSQL booleans and timestamps, SQLite 0/1 and text)."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.6f}"
    return str(value)


def snapshot(database_url: str, tables: list[str] = TABLES) -> dict[str, list[tuple]]:
    """Every row of these ingestion tables; raw pages as the items they hold (how a window was paged or split
    may differ between runs, what it holds may not). With the notice tables only, the notices' raw pages only."""
    engine = warehouse.make_engine(database_url)
    out = {}
    for table in tables:
        if table == "g2b_raw_pages":
            only = "" if tables == TABLES else " WHERE dataset = 'notices'"
            pages = warehouse.read_frame(
                engine, "SELECT dataset, partition_date, operation, items_json_gz FROM g2b_raw_pages" + only
            )
            out[table] = sorted(
                (dataset, canon(day), operation, json.dumps(item, sort_keys=True, ensure_ascii=False))
                for dataset, day, operation, blob in pages.iter_rows()
                for item in normalize.decode_items(bytes(blob))
            )
            continue
        frame = warehouse.read_frame(engine, f"SELECT * FROM {table}")
        out[table] = sorted(tuple(canon(v) for v in row) for row in frame.iter_rows())
    engine.dispose()
    return out


def fresh(database_url: str) -> str:
    warehouse.migrate(warehouse.make_engine(database_url))
    return database_url


def failure_message(result) -> str:
    return " ".join(e.step_failure_data.error.message for e in result.all_events if e.is_step_failure)


@pytest.fixture(scope="module")
def clean(simulator, tmp_path_factory) -> dict[str, list[tuple]]:
    """What a clean run of both jobs over DAYS writes."""
    _, url = simulator
    database_url = fresh(f"sqlite:///{tmp_path_factory.mktemp('clean') / 'w.db'}")
    assert run(NOTICE_ASSETS, url, database_url).success
    assert run(RESULT_ASSETS, url, database_url).success
    return snapshot(database_url)


def notices_of(whole: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The notices' part of a snapshot: their tables, and the raw pages of the notices' dataset."""
    part = {table: whole[table] for table in NOTICE_TABLES}
    part["g2b_raw_pages"] = [row for row in whole["g2b_raw_pages"] if row[0] == "notices"]
    return part


def test_a_clean_run_loads_every_table_with_counts_matching_the_api(clean, simulator) -> None:
    sim, _ = simulator
    assert all(clean[t] for t in TABLES), {t: len(rows) for t, rows in clean.items()}
    expected = {item["bidNtceNo"] for day in DAYS for item in sim.generator.notices_for_day(day)}
    notice_numbers = {row[0] for row in clean["bid_notices"]}
    assert expected <= notice_numbers  # changes (inqryDiv=3) of older notices may add more


def test_both_backends_load_the_same_rows(clean, simulator, database_url) -> None:
    _, url = simulator
    fresh(database_url)
    assert run(NOTICE_ASSETS, url, database_url).success
    assert run(RESULT_ASSETS, url, database_url).success
    assert snapshot(database_url) == clean


def test_a_rerun_is_idempotent(clean, simulator, sqlite_url) -> None:
    _, url = simulator
    fresh(sqlite_url)
    for _ in range(2):
        assert run(NOTICE_ASSETS, url, sqlite_url).success
        assert run(RESULT_ASSETS, url, sqlite_url).success
    assert snapshot(sqlite_url) == clean


TRANSIENT = ["01", "02", "04", "05", "23", "99", "xml_gateway", "html_maintenance", "timeout", "truncated"]


# Data faults: G2B answers, but a page is short of its totalCount or the totalCount is too low.
SHORT = ["short_total_count", "missing_items"]


@pytest.mark.parametrize("fault", [*TRANSIENT, "07", *SHORT])
def test_a_passing_fault_is_survived_with_exactly_the_clean_rows(fault, clean, simulator, sqlite_url) -> None:
    sim, url = simulator
    fresh(sqlite_url)
    sim.inject(fault, operation="getBidPblancListInfoServc", times=1, after=1, delay=1.0)
    try:
        assert run(NOTICE_ASSETS, url, sqlite_url).success
    finally:
        sim.clear_faults()
    assert snapshot(sqlite_url, NOTICE_TABLES) == notices_of(clean)


@pytest.mark.parametrize("fault", [*TRANSIENT, "07", "22", "30", *SHORT])
def test_a_lasting_fault_fails_clearly_writes_no_half_partition_and_a_rerun_heals(
    fault, clean, simulator, database_url
) -> None:
    sim, url = simulator
    fresh(database_url)
    # The first day completes; the fault strikes the second day's crawl and lasts.
    calls_per_notice_day = 15
    sim.inject(fault, operation=None, times=None, after=calls_per_notice_day + 2, delay=1.0)
    try:
        result = run(NOTICE_ASSETS, url, database_url)
    finally:
        sim.clear_faults()
    assert not result.success
    message = failure_message(result)
    assert f"Days {DAYS[0]}..{DAYS[0]} are complete and saved; {DAYS[1]} was not written" in message
    assert "Traceback" not in message
    if fault == "22":
        assert "quota" in message and "re-run the failed partitions after" in message
    if fault == "30":
        assert "G2B_SERVICE_KEY" in message
    engine = warehouse.make_engine(database_url)
    with engine.connect() as conn:
        days_written = conn.execute(sa.text("SELECT DISTINCT partition_date FROM g2b_raw_pages")).scalars().all()
        normalized = conn.execute(sa.text("SELECT count(*) FROM bid_notices")).scalar_one()
    assert [str(d)[:10] for d in days_written] == [DAYS[0].isoformat()]
    assert normalized == 0  # the normalization step never ran on the partial range
    if fault == "22":
        # G2B said the key's quota is spent for today: the call ledger refuses a rerun the same day before it sends
        # anything, and says so; the next KST day (the ledger's day moved back by one) the rerun heals.
        again = run(NOTICE_ASSETS, url, database_url)
        assert not again.success and "daily budget" in failure_message(again)
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE g2b_call_ledger SET quota_day = :day"), {"day": today_kst() - dt.timedelta(1)})
    engine.dispose()

    assert run(NOTICE_ASSETS, url, database_url).success  # the rerun after the fault
    assert snapshot(database_url, NOTICE_TABLES) == notices_of(clean)


def test_a_fault_while_crawling_bidders_keeps_results_whole(clean, simulator, sqlite_url) -> None:
    sim, url = simulator
    fresh(sqlite_url)
    assert run(NOTICE_ASSETS, url, sqlite_url).success
    sim.inject("05", operation="getOpengResultListInfoOpengCompt", times=None, after=3)
    try:
        result = run(RESULT_ASSETS, url, sqlite_url)
    finally:
        sim.clear_faults()
    assert not result.success and "code 05 (service timeout)" in failure_message(result)
    engine = warehouse.make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM bid_result_bidders")).scalar_one() == 0
    assert run(RESULT_ASSETS, url, sqlite_url).success
    assert snapshot(sqlite_url) == clean


def test_a_double_encoded_key_is_refused_before_any_call(simulator, sqlite_url) -> None:
    sim, url = simulator
    fresh(sqlite_url)
    sim.reset_calls()
    result = run(NOTICE_ASSETS, url, sqlite_url, key="abc%2Bdef")
    assert not result.success
    assert "G2B_SERVICE_KEY looks URL-encoded" in failure_message(result)
    assert sum(sim.calls.values()) == 0


def test_the_real_sample_loads_with_every_key_mapped_or_dropped() -> None:
    item = json.loads(SAMPLE.read_text(encoding="utf-8"))
    handled = set(fields.NOTICE_FIELDS) | set(fields.NOTICE_DROPPED)
    assert set(item) - handled == set()
    notice = normalize.normalize_notices(
        normalize.items_to_frame([item], "getBidPblancListInfoServc"), dt.date(2026, 9, 1)
    )
    row = notice.row(0, named=True)
    assert row["notice_no"] == "R26BK01706792" and row["category"] == "services"
    assert row["bid_close_at"] == dt.datetime(2026, 9, 14, 17, 0) and row["estimated_price"] == 219_000_000
    assert row["classification_large"] == "ICT 서비스"  # the live spelling pubPrcrmntLrgClsfcNm
    assert row["previous_notice_no"] == "R26BK01696824"  # the undocumented befBidBbancNo
    assert row["attachment_names"].count(" | ") == 3


def test_every_notice_field_of_the_specs_is_mapped_or_dropped() -> None:
    extract = json.loads((Path(__file__).resolve().parent / "data/g2b/notice_fields_from_spec.json").read_text("utf-8"))
    specs = Path(__file__).resolve().parents[2] / "shared/reference/g2b/specs/bid.json"
    if specs.exists():  # beside a checkout with shared/: the vendored extract must match the official spec
        operations = {op["opNameEn"]: op for op in json.loads(specs.read_text(encoding="utf-8"))["operations"]}
        assert extract == {name: [f["nameEn"] for f in operations[name]["responseFields"]] for name in extract}
    handled = set(fields.NOTICE_FIELDS) | set(fields.NOTICE_DROPPED)
    assert len(extract) == 4
    for name, names in extract.items():
        assert set(names) - handled == set(), name


def test_normalized_types_survive_the_warehouse(clean) -> None:
    # 사정률 and money are numbers, not text, and cancellations are booleans.
    rate = 16  # bid_outcomes.assessment_rate_pct
    row = next(r for r in clean["bid_outcomes"] if r[rate] != "None")
    assert float(row[rate]) > 50
    assert pl.Series([r[6] for r in clean["bid_notices"]]).is_in(["1", "0"]).all()


@pytest.mark.parametrize("fault", SHORT)
def test_a_query_short_of_its_total_count_is_never_committed(fault, simulator, sqlite_url) -> None:
    """Pages that add up to other than G2B's totalCount are fetched again; if they stay short the day fails unwritten.

    Before: the short partition was committed, and the blocking check failed only afterwards."""
    sim, url = simulator
    fresh(sqlite_url)
    sim.inject(fault, operation="getBidPblancListInfoServc", times=None)
    try:
        result = run(NOTICE_ASSETS, url, sqlite_url)
    finally:
        sim.clear_faults()
    assert not result.success
    message = failure_message(result)
    assert "getBidPblancListInfoServc" in message and "totalCount" in message
    assert f"No day of this run was completed; {DAYS[0]} was not written" in message
    assert warehouse.table_counts(warehouse.make_engine(sqlite_url), ["g2b_raw_pages"]) == {"g2b_raw_pages": 0}


def test_a_failing_blocking_check_leaves_the_partition_unwritten_and_says_why(simulator, sqlite_url) -> None:
    """What a blocking check guards is checked on the frame inside the write's transaction.

    Before: a negative 추정가격 was committed to bid_notices, then the check failed with only
    "1 blocking asset check failed with ERROR severity:" on the CLI."""
    from orchestration.cli.runs import failure_message as cli_failure_message

    sim, url = simulator
    fresh(sqlite_url)
    sim.inject("set_field", operation="getBidPblancListInfoServc", times=None, field="presmptPrce", value="-5000")
    try:
        assert run([ingestion.g2b_raw_notices], url, sqlite_url).success
    finally:
        sim.clear_faults()
    result = run([ingestion.notice_tables], url, sqlite_url)
    assert not result.success
    (failure,) = [e.step_failure_data.error for e in result.all_events if e.is_step_failure]
    line = cli_failure_message(failure)
    assert "\n" not in line
    assert "amounts_not_negative" in line and "budget, 추정가격 and VAT are not negative" in line
    assert "negative_rows" in line and f"{DAYS[0]} was not written" in line
    counts = warehouse.table_counts(warehouse.make_engine(sqlite_url), ["bid_notices", "notice_base_amounts"])
    assert counts == {"bid_notices": 0, "notice_base_amounts": 0}


def test_a_dagster_blocking_check_failure_reaches_the_cli_whole() -> None:
    """Checks other assets still report after the fact: the CLI line names each failed check and what it found."""
    from dagster import AssetCheckResult, AssetCheckSpec, asset, materialize

    from orchestration.cli.runs import failed_check_message
    from orchestration.cli.runs import failure_message as cli_failure_message

    spec = AssetCheckSpec("ranks_unique", asset="ranked", description="one rank per company", blocking=True)

    @asset(check_specs=[spec])
    def ranked():
        yield dagster.MaterializeResult(
            check_results=[AssetCheckResult(check_name="ranks_unique", passed=False, metadata={"duplicates": 3})]
        )

    result = materialize([ranked], raise_on_error=False)
    (failure,) = [e.step_failure_data.error for e in result.all_events if e.is_step_failure]
    assert cli_failure_message(failure) == "1 blocking asset check failed with ERROR severity: ranked: ranks_unique"
    (evaluation,) = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    assert failed_check_message(evaluation) == "ranked: check ranks_unique failed: duplicates=3"


def test_an_euc_kr_body_labelled_utf8_is_decoded_by_what_it_really_is(clean, simulator, sqlite_url) -> None:
    """Before: every Hangul syllable of such a page was stored as U+FFFD and the run was green."""
    sim, url = simulator
    fresh(sqlite_url)
    sim.inject("mislabelled_euc_kr", operation="getBidPblancListInfoServc", times=None)
    try:
        assert run(NOTICE_ASSETS, url, sqlite_url).success
    finally:
        sim.clear_faults()
    assert run(RESULT_ASSETS, url, sqlite_url).success
    assert snapshot(sqlite_url) == clean


def test_a_body_valid_in_no_korean_charset_fails_the_page_clearly(simulator, sqlite_url) -> None:
    sim, url = simulator
    fresh(sqlite_url)
    sim.inject("undecodable_body", operation="getBidPblancListInfoServc", times=None)
    try:
        result = run(NOTICE_ASSETS, url, sqlite_url)
    finally:
        sim.clear_faults()
    assert not result.success
    message = failure_message(result)
    assert "getBidPblancListInfoServc" in message and "neither valid UTF-8" in message and "nor EUC-KR/CP949" in message
    assert warehouse.table_counts(warehouse.make_engine(sqlite_url), ["g2b_raw_pages"]) == {"g2b_raw_pages": 0}


def test_replacement_characters_in_stored_text_are_counted(simulator, sqlite_url) -> None:
    """U+FFFD that G2B itself sends (its own mojibake) is stored as sent, and an asset check counts it."""
    sim, url = simulator
    fresh(sqlite_url)
    sim.inject("set_field", operation="getBidPblancListInfoServc", times=None, field="bidNtceNm", value="공\ufffd사")
    try:
        result = run(NOTICE_ASSETS, url, sqlite_url)
    finally:
        sim.clear_faults()
    assert result.success  # a warning, not a failure: the text is what G2B holds
    (evaluation,) = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and e.event_specific_data.check_name == "no_replacement_characters"
    ]
    assert not evaluation.passed
    stored = warehouse.read_frame(warehouse.make_engine(sqlite_url), "SELECT title FROM bid_notices")
    with_fffd = stored.filter(pl.col("title").str.contains("\ufffd")).height
    assert with_fffd > 0 and evaluation.metadata["rows_with_replacement_characters"].value == with_fffd


@pytest.mark.postgres
def test_a_10_mb_title_is_cut_at_the_documented_limit_and_flagged(simulator, postgres_url) -> None:
    """Before: the title went whole into bid_notices and the quadratic bigram trigger held the write for hours."""
    sim, url = simulator
    fresh(postgres_url)
    title = "가나다라마바사아자차" * 350_000  # 3.5 million characters, 10.5 MB of UTF-8
    sim.inject("set_field", operation="getBidPblancListInfoServc", times=None, field="bidNtceNm", value=title, items=1)
    try:
        assert run(NOTICE_ASSETS, url, postgres_url, days=DAYS[:1]).success
    finally:
        sim.clear_faults()
    cut = warehouse.read_frame(
        warehouse.make_engine(postgres_url),
        "SELECT notice_no, title, texts_cut FROM bid_notices WHERE texts_cut IS NOT NULL",
    )
    assert cut.height >= 1  # the first notice of each page
    assert set(cut["texts_cut"]) == {"title"}
    assert set(cut["title"]) == {title[: normalize.MAX_TEXT_CHARS]}
    with warehouse.make_engine(postgres_url).connect() as conn:
        bigrams = conn.execute(
            sa.text("SELECT cardinality(bigrams) FROM notice_search WHERE notice_no = :n"), {"n": cut["notice_no"][0]}
        ).scalar_one()
    assert bigrams >= 9  # the cut title is still searchable


@pytest.mark.postgres
def test_a_database_that_keeps_dropping_the_connection_fails_the_run_in_one_line(simulator, postgres_url) -> None:
    """pg_terminate_backend mid-run, again and again: retried, then one line that names the database."""
    from orchestration.cli.runs import failure_message as cli_failure_message
    from tests.test_concurrent_writes import _hold_partition_lock, _terminate_writers_waiting_on

    _, url = simulator
    fresh(postgres_url)
    assert run([ingestion.g2b_raw_notices], url, postgres_url, days=DAYS[:1]).success
    holder = _hold_partition_lock(postgres_url, "bid_notices", DAYS[0])
    outcome: list = []
    thread = threading.Thread(
        target=lambda: outcome.append(run([ingestion.notice_tables], url, postgres_url, DAYS[:1]))
    )
    thread.start()
    database, terminated, deadline = postgres_url.rsplit("/", 1)[1], 0, time.monotonic() + 120
    while thread.is_alive() and time.monotonic() < deadline:
        terminated += _terminate_writers_waiting_on(holder, database)
        time.sleep(0.05)
    holder.rollback()
    holder.close()
    thread.join(10)
    (result,) = outcome
    assert not result.success and terminated >= 2
    (failure,) = [e.step_failure_data.error for e in result.all_events if e.is_step_failure]
    line = cli_failure_message(failure)
    assert line.startswith("writing bid_notices, notice_base_amounts"), line
    assert f"the PostgreSQL database {database} on 127.0.0.1:5432" in line
    assert "InterfaceError" not in line and "OperationalError" not in line and "psycopg2" not in line
