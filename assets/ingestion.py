"""G2B ingestion assets: raw pages kept as crawled, then typed notice and result tables.

Each daily partition (Asia/Seoul) is written in one transaction; a run over a range of days commits day by
day, so a failure keeps the days already done and names the first one that is not.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Sequence

import polars as pl
import sqlalchemy as sa
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetMaterialization,
    AssetSelection,
    AssetSpec,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    Definitions,
    Failure,
    MaterializeResult,
    MetadataValue,
    RunRequest,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SkipReason,
    asset,
    asset_check,
    define_asset_job,
    multi_asset,
    schedule,
    sensor,
    with_source_code_references,
)

from assets.common.partitions import daily_partitions, ingestion_backfill_policy
from assets.common.resources import G2BResource, WarehouseResource
from assets.metadata import markdown_preview
from bidradar.core import schema
from bidradar.core.clock import KST, TIMEZONE, now_kst
from bidradar.core.warehouse import CheckFailure, PartitionChecksFailed, cast_frame
from bidradar.ingestion import crawl, normalize, outcomes, readers
from bidradar.ingestion import tables as ingest_tables
from bidradar.ingestion.client import G2BError, G2BKeyError, G2BQuotaExceeded
from bidradar.ingestion.ledger import CallLedger, read_ledger
from bidradar.matching import verdicts

OWNERS = ["team:data-platform"]
GROUP = "ingestion"


def partition_days(context: AssetExecutionContext) -> list[dt.date]:
    return [dt.date.fromisoformat(key) for key in context.partition_keys]


def _describe_failure(error: G2BError, done: list[dt.date], failed_day: dt.date) -> str:
    kept = f"Days {done[0]}..{done[-1]} are complete and saved" if done else "No day of this run was completed"
    lead = f"{error}. {kept}; {failed_day} was not written (nothing half-written)."
    if isinstance(error, G2BQuotaExceeded):
        return (
            f"{lead} The daily G2B quota resets at midnight KST: re-run the failed partitions after "
            f"{error.resume_at:%Y-%m-%d %H:%M} KST (Dagster UI: the run's 'Re-execute' or a backfill of the "
            f"missing days)."
        )
    if isinstance(error, G2BKeyError):
        return f"{lead} Fix the setting, then re-run the failed partitions."
    return f"{lead} Re-run the failed partitions; the crawl is idempotent."


def _describe_unwritten(error: PartitionChecksFailed, done: list[dt.date]) -> str:
    kept = f"Days {done[0]}..{done[-1]} are complete and saved" if done else "No day of this run was completed"
    return (
        f"{error}. {kept}; nothing of {error.partition_date} was committed. Re-run the failed partitions once "
        "G2B's data or the check is fixed."
    )


def check_failures(
    results: Sequence[tuple[str, bool, dict]], descriptions: Sequence[tuple[str, str]]
) -> list[CheckFailure]:
    """The failed ones of (check name, passed, metadata), each with what it guards and what it found."""
    guards = dict(descriptions)
    return [
        CheckFailure(name, guards[name], ", ".join(f"{k}={v}" for k, v in metadata.items() if k != "examples"))
        for name, passed, metadata in results
        if not passed
    ]


def raise_unwritten(context: AssetExecutionContext, error: PartitionChecksFailed, done: list[dt.date]) -> None:
    """Fail the run with every failed check's full description; the days already committed stay materialized."""
    for finished in done:
        for key in context.selected_asset_keys:
            context.log_event(AssetMaterialization(key, partition=finished.isoformat()))
    raise Failure(description=_describe_unwritten(error, done)) from None


RAW_CHECKS = [
    ("items_match_total_count", "every query received exactly the API's totalCount items (none lost, none doubled)")
]


def raw_page_checks(pages: pl.DataFrame) -> list[CheckFailure]:
    mismatches = crawl.count_mismatches(pages)
    examples = ", ".join(
        f"{r['operation']} {r['request_key']}: {r['received']} of {r['total_count']}"
        for r in mismatches.head(3).iter_rows(named=True)
    )
    return check_failures(
        [
            (
                "items_match_total_count",
                mismatches.is_empty(),
                {"mismatched_requests": mismatches.height, "first": examples},
            )
        ],
        RAW_CHECKS,
    )


def bidder_plan(warehouse: WarehouseResource, ledger: CallLedger, day: dt.date) -> crawl.BidderPlan:
    """What the call ledger leaves of today's budget for the bidder lists, the bidders already stored for `day`,
    and what the profiles bid on (the category and demand agency of their matched notices) to fetch first."""
    with warehouse.engine.connect() as conn:
        pairs = verdicts.pairs_select()  # matching's verdicts, through matching's reader
        n = schema.bid_notices
        liked = conn.execute(
            sa.select(n.c.category, n.c.demand_agency_code)
            .distinct()
            .select_from(pairs.join(n, n.c.notice_no == pairs.c.notice_no))
            .where(pairs.c.verdict.in_(("eligible", "conditional", "unknown")))
        ).all()
        # Notices whose 하한율 is in the warehouse: their openings' bidder lists show the floor.
        noticed = conn.execute(
            sa.text("SELECT notice_no FROM bid_notices WHERE bid_close_at >= :since"),
            {"since": dt.datetime.combine(day - dt.timedelta(days=120), dt.time())},
        ).scalars()
        noticed_set = frozenset(noticed)
    known = warehouse.read_frame(
        "SELECT dataset, operation, request_key, page_no, total_count, item_count, items_json_gz, fetched_at, "
        "items_ipc, mapping_version "
        "FROM g2b_raw_pages WHERE dataset = 'results' AND partition_date = :day AND operation = :op",
        {"day": day.isoformat(), "op": crawl.BIDDERS_OP},
    )
    known = pl.DataFrame(schema=crawl.RAW_PAGE_COLUMNS) if known.is_empty() else warehouse_cast(known)
    return crawl.BidderPlan(
        budget_left=ledger.remaining(crawl.BIDDERS_OP),
        known=known,
        liked=frozenset((c, a) for c, a in liked if a),
        liked_categories=frozenset(c for c, _ in liked),
        noticed=noticed_set,
    )


def warehouse_cast(frame: pl.DataFrame) -> pl.DataFrame:
    """Stored raw pages back in the crawl's frame types (SQLite gives text times, PostgreSQL memoryviews)."""
    frame = cast_frame(frame, {"fetched_at": pl.Datetime("us")})
    binary = [pl.col(c).map_elements(bytes, return_dtype=pl.Binary) for c in ("items_json_gz", "items_ipc")]
    return frame.with_columns(binary).select([pl.col(c).cast(t) for c, t in crawl.RAW_PAGE_COLUMNS.items()])


def crawl_days(
    context: AssetExecutionContext,
    g2b: G2BResource,
    warehouse: WarehouseResource,
    dataset: str,
    crawl_day: Callable[..., list[crawl.RawPage]],
    planned: bool = False,
) -> Iterator[MaterializeResult]:
    """Crawl each day of the run into `g2b_raw_pages` and report API calls against the minimum.

    `planned` (results): the bidder crawl follows a quota plan per day, shown in the metadata."""
    days, done, frames = partition_days(context), [], []
    plans: dict[str, dict] = {}
    ledger = g2b.ledger(warehouse.engine)
    try:
        client = g2b.client(ledger)
    except G2BKeyError as error:  # refused before any call (an empty or URL-encoded key)
        raise Failure(description=f"{error}. Nothing was crawled.") from None
    with client:
        for day in days:
            plan = bidder_plan(warehouse, ledger, day) if planned else None
            if plan is not None:
                plan.defer_unnoticed = day != days[-1]  # lists that show a floor first, across the run's days
            try:
                pages = crawl_day(client, day, plan) if planned else crawl_day(client, day)
            except G2BError as error:
                # Days already committed still show as materialized in the UI.
                for finished in done:
                    context.log_event(AssetMaterialization(context.asset_key, partition=finished.isoformat()))
                raise Failure(
                    description=_describe_failure(error, done, day), metadata=client.stats.as_metadata()
                ) from None
            frame = crawl.raw_pages_frame(pages)
            reused = crawl.reused_pages(plan)
            if reused is not None:
                frame = pl.concat([frame, reused])
            if plan is not None:
                plans[day.isoformat()] = plan.as_metadata()
                if plan.deferred:
                    context.log.warning(f"results {day}: {len(plan.deferred)} openings' bidders deferred (budget)")
            write = dataclasses.replace(ingest_tables.raw_pages_write(frame, dataset), checks=raw_page_checks)
            try:
                warehouse.write([write], day)
            except PartitionChecksFailed as error:
                raise_unwritten(context, error, done)
            frames.append(frame.select("operation", "request_key", "item_count", "total_count"))  # counts only
            done.append(day)
            context.log.info(f"{dataset} {day}: {frame['item_count'].sum()} items in {frame.height} pages")
        stats = client.stats.as_metadata()
    everything = pl.concat(frames)  # the counts of every page of the run (the raw bytes are written and dropped)
    yield MaterializeResult(
        metadata={
            "days": len(days),
            "pages": everything.height,
            "items": int(everything["item_count"].sum()),
            **stats,
            # The shared ledger (every process and run of the key): today's calls per operation, retries and pages
            # thrown away included.
            "g2b_calls_today": MetadataValue.json(
                {r["operation"]: r["calls"] for r in read_ledger(warehouse.engine, ledger.quota_day())}
            ),
            **(
                {
                    "daily_call_budget": g2b.call_budget,
                    "bidder_openings_deferred": sum(p["bidder_openings_deferred"] for p in plans.values()),
                    "bidder_openings_reused": sum(p["bidder_openings_reused"] for p in plans.values()),
                    "bidder_openings_fetched": sum(p["bidder_openings_fetched"] for p in plans.values()),
                    "bidder_calls_left_today": ledger.remaining(crawl.BIDDERS_OP),
                    "bidder_plan": MetadataValue.json(plans),
                }
                if planned
                else {}
            ),
        },
        # Checked on each day's pages before they were committed (a failure raised above, nothing written).
        check_results=[AssetCheckResult(check_name="items_match_total_count", passed=True)],
    )


def _count_check(name: str, description: str, asset: str) -> AssetCheckSpec:
    return AssetCheckSpec(name, asset=asset, description=description, blocking=True)


@asset(
    partitions_def=daily_partitions,
    backfill_policy=ingestion_backfill_policy,
    pool="g2b_api",
    group_name=GROUP,
    owners=OWNERS,
    kinds={"python", "api"},
    description=(
        "Raw G2B notice pages of the day, as received: notices of all categories (registered or changed that "
        "day), 기초금액, 면허제한 and 참가가능지역. Kept so normalization re-runs without crawling again."
    ),
    check_specs=[_count_check(*RAW_CHECKS[0], "g2b_raw_notices")],
)
def g2b_raw_notices(
    context: AssetExecutionContext, g2b: G2BResource, warehouse: WarehouseResource
) -> Iterator[MaterializeResult]:
    yield from crawl_days(context, g2b, warehouse, "notices", crawl.crawl_notice_day)


@asset(
    partitions_def=daily_partitions,
    backfill_policy=ingestion_backfill_policy,
    pool="g2b_api",
    group_name=GROUP,
    owners=OWNERS,
    kinds={"python", "api"},
    description=(
        "Raw G2B result pages of the day: awards, openings, the 15 예비가격 and every bidder of each completed "
        "opening (one call per opening: the heaviest user of the API quota). Bidders follow a quota plan: each "
        "opening once (again only if it changed), matched notices first, the rest deferred to the next run "
        "within G2B_DAILY_CALL_BUDGET; the plan and the deferrals are in the metadata."
    ),
    check_specs=[_count_check(*RAW_CHECKS[0], "g2b_raw_results")],
)
def g2b_raw_results(
    context: AssetExecutionContext, g2b: G2BResource, warehouse: WarehouseResource
) -> Iterator[MaterializeResult]:
    yield from crawl_days(context, g2b, warehouse, "results", crawl.crawl_result_day, planned=True)


# ---------------------------------------------------------------------------------------------------------------------
# Normalized tables


def load_raw(warehouse: WarehouseResource, dataset: str, day: dt.date) -> dict[str, pl.DataFrame]:
    """The raw items of one partition, one all-string frame per operation (from the columnar copies)."""
    return ingest_tables.load_raw_pages(warehouse.engine, dataset, day)


def notice_checks(notices: pl.DataFrame) -> list[tuple[str, bool, dict]]:
    """(check name, passed, metadata) for one partition's notices."""
    duplicates = notices.filter(pl.col("notice_no").is_duplicated())
    missing = notices.filter(pl.any_horizontal(pl.col(c).is_null() for c in ("title", "registered_at", "category")))
    negative = notices.filter(
        pl.any_horizontal((pl.col(c) < 0).fill_null(False) for c in ("budget_amount", "estimated_price", "vat_amount"))
    )
    disorder = notices.filter(
        (pl.col("notice_at") > pl.col("bid_close_at")).fill_null(False)
        | (pl.col("bid_close_at") > pl.col("opening_at")).fill_null(False)
    )
    return [
        ("unique_notice_no", duplicates.is_empty(), {"duplicates": duplicates.height}),
        ("required_fields_present", missing.is_empty(), {"rows_missing_fields": missing.height}),
        ("amounts_not_negative", negative.is_empty(), {"negative_rows": negative.height}),
        (
            "notice_before_close_before_opening",
            disorder.is_empty(),
            {
                "rows_out_of_order": disorder.height,
                "examples": markdown_preview(disorder, ["notice_no", "notice_at", "bid_close_at", "opening_at"]),
            },
        ),
    ]


def replacement_character_rows(frame: pl.DataFrame) -> int:
    """Rows holding U+FFFD in any text column: text G2B itself sent broken (our decoding never makes it)."""
    text = [
        pl.col(c).str.contains("\ufffd", literal=True).fill_null(False)
        for c, t in frame.schema.items()
        if t == pl.String
    ]
    return frame.filter(pl.any_horizontal(text)).height if text else 0


TEXT_CHECK = (
    "no_replacement_characters",
    "no stored text holds U+FFFD (a character G2B sent broken); a warning: the text is kept as G2B holds it",
)
NOTICE_CHECKS = [
    ("unique_notice_no", "one row per notice number"),
    ("required_fields_present", "title, registration time and category are present"),
    ("amounts_not_negative", "budget, 추정가격 and VAT are not negative"),
    ("notice_before_close_before_opening", "공고 ≤ 마감 ≤ 개찰"),
]
NOTICE_TABLES = {
    "bid_notices": "One row per notice number across all categories; the latest 차수 wins, cancellations marked.",
    "notice_base_amounts": "기초금액 with its 예비가격 range (±2% national, ±3% local) per notice revision.",
    "notice_license_limits": "면허제한 rows: AND within a group (group_no), OR across groups; 업종 name and code.",
    "notice_region_limits": "참가가능지역 rows split into 시도 and 시군구. No rows for a fetched notice = nationwide.",
}


@multi_asset(
    specs=[
        AssetSpec(
            name, deps=["g2b_raw_notices"], description=text, group_name=GROUP, owners=OWNERS, kinds={"polars", "sql"}
        )
        for name, text in NOTICE_TABLES.items()
    ],
    pool="warehouse_writer",
    partitions_def=daily_partitions,
    backfill_policy=ingestion_backfill_policy,
    check_specs=[
        *(AssetCheckSpec(name, asset="bid_notices", description=text, blocking=True) for name, text in NOTICE_CHECKS),
        AssetCheckSpec(TEXT_CHECK[0], asset="bid_notices", description=TEXT_CHECK[1]),
    ],
)
def notice_tables(context: AssetExecutionContext, warehouse: WarehouseResource) -> Iterator[MaterializeResult]:
    """Normalize the raw notice pages of each day into the four notice tables, in one transaction per day."""
    totals = dict.fromkeys(NOTICE_TABLES, 0)
    last: dict[str, pl.DataFrame] = {}
    done: list[dt.date] = []
    broken_text = 0
    for day in partition_days(context):
        raw = load_raw(warehouse, "notices", day)
        if not raw:
            raise Failure(f"no raw notice pages for {day}: materialize g2b_raw_notices for that day first")
        tables = ingest_tables.notice_tables(raw, day)
        writes = [
            dataclasses.replace(w, checks=lambda f: check_failures(notice_checks(f), NOTICE_CHECKS))
            if w.table == "bid_notices"
            else w
            for w in ingest_tables.notice_writes(tables, raw, now_kst(), warehouse.engine.dialect.name)
        ]
        try:
            warehouse.write(writes, day)
        except PartitionChecksFailed as error:
            raise_unwritten(context, error, done)
        done.append(day)
        broken_text += replacement_character_rows(tables["bid_notices"])
        for name, frame in tables.items():
            totals[name] += frame.height
            last[name] = frame
        context.log.info(f"notices {day}: " + ", ".join(f"{n}={f.height}" for n, f in tables.items()))
    for name in NOTICE_TABLES:
        yield MaterializeResult(
            asset_key=name,
            # dagster/row_count: the rows this run wrote, all its days together (the UI plots it per partition).
            metadata={"dagster/row_count": totals[name], "preview": markdown_preview(last.get(name, pl.DataFrame()))},
        )
    for check, _ in NOTICE_CHECKS:  # checked on every day's frame before it was committed
        yield AssetCheckResult(asset_key="bid_notices", check_name=check, passed=True)
    yield AssetCheckResult(
        asset_key="bid_notices",
        check_name=TEXT_CHECK[0],
        passed=broken_text == 0,
        severity=AssetCheckSeverity.WARN,
        description=TEXT_CHECK[1],
        metadata={"rows_with_replacement_characters": broken_text},
    )


RESULT_CHECKS = [
    ("unique_opening", "one row per opening (notice, 차수, 분류, 재입찰)"),
    ("amounts_not_negative", "기초금액, 예정가격, 낙찰금액 and bids are not negative"),
    ("fifteen_reserve_prices", "every opening with 예비가격 has 15 of them and at most 4 drawn"),
]
RESULT_TABLES = {
    "bid_openings": "Openings (개찰) in the partition of their registration day: status, participants, agencies.",
    "bid_awards": "Final winners (낙찰) in the partition of THEIR registration day, often days after the opening.",
    "bid_result_reserve_prices": "The 15 예비가격 of an opening, which 4 were drawn, with 예정가격 and 기초금액.",
    "bid_result_bidders": "Every bidder of an opening: amount, 투찰률, picks, 개찰순위, remark.",
}


def result_checks(tables: dict[str, pl.DataFrame]) -> dict[str, int]:
    """Failing row counts per check (0 = passed)."""
    openings, awards = tables["bid_openings"], tables["bid_awards"]
    reserve, bidders = tables["bid_result_reserve_prices"], tables["bid_result_bidders"]
    per_opening = reserve.group_by(normalize.OPENING_KEY).agg(
        pl.len().alias("n"), pl.col("is_drawn").sum().alias("drawn")
    )
    money = [(reserve, "planned_price"), (reserve, "base_amount"), (awards, "winning_amount"), (bidders, "bid_amount")]
    return {
        "unique_opening": openings.filter(pl.struct(normalize.OPENING_KEY).is_duplicated()).height,
        "amounts_not_negative": sum(f.filter((pl.col(c) < 0).fill_null(False)).height for f, c in money),
        "fifteen_reserve_prices": per_opening.filter((pl.col("n") != 15) | (pl.col("drawn") > 4)).height,
    }


@multi_asset(
    specs=[
        AssetSpec(
            name, deps=["g2b_raw_results"], description=text, group_name=GROUP, owners=OWNERS, kinds={"polars", "sql"}
        )
        for name, text in RESULT_TABLES.items()
    ],
    pool="warehouse_writer",
    partitions_def=daily_partitions,
    backfill_policy=ingestion_backfill_policy,
    check_specs=[
        AssetCheckSpec(name, asset="bid_openings", description=text, blocking=True) for name, text in RESULT_CHECKS
    ],
)
def result_tables(context: AssetExecutionContext, warehouse: WarehouseResource) -> Iterator:
    """Each part of the results stays in the day it was registered on; bid_outcomes joins them per opening."""
    totals = dict.fromkeys(RESULT_TABLES, 0)
    last: dict[str, pl.DataFrame] = {}
    done: list[dt.date] = []
    for day in partition_days(context):
        raw = load_raw(warehouse, "results", day)
        if not raw:
            raise Failure(f"no raw result pages for {day}: materialize g2b_raw_results for that day first")
        tables = ingest_tables.result_tables(raw)
        del raw
        counts = result_checks(tables)
        results = [(check, counts[check] == 0, {"failing_rows": counts[check]}) for check, _ in RESULT_CHECKS]
        writes = [
            dataclasses.replace(w, checks=lambda _f, r=results: check_failures(r, RESULT_CHECKS))
            if w.table == "bid_openings"
            else w
            for w in ingest_tables.result_writes(tables)
        ]
        try:
            warehouse.write(writes, day)
        except PartitionChecksFailed as error:
            raise_unwritten(context, error, done)
        done.append(day)
        for name, frame in tables.items():
            totals[name] += frame.height
            last[name] = frame.head(5)
        context.log.info(f"results {day}: " + ", ".join(f"{n}={f.height}" for n, f in tables.items()))
        del tables
    for name in RESULT_TABLES:
        yield MaterializeResult(
            asset_key=name,
            metadata={"dagster/row_count": totals[name], "preview": markdown_preview(last.get(name, pl.DataFrame()))},
        )
    for check, _ in RESULT_CHECKS:  # checked on every day's frames before they were committed
        yield AssetCheckResult(asset_key="bid_openings", check_name=check, passed=True)


@asset(
    deps=[*RESULT_TABLES, "bid_notices"],
    partitions_def=daily_partitions,
    backfill_policy=ingestion_backfill_policy,
    pool="warehouse_writer",
    group_name=GROUP,
    owners=OWNERS,
    kinds={"polars", "sql"},
    description=(
        "One row per opening joined from its parts wherever they were registered: the opening, the award (often "
        "days later, sometimes passing over rank 1: winner_rank), 기초금액, 예정가격, 사정률 (= 예정가격 / 기초금액 × "
        "100), 낙찰하한율 from the notice. `missing` names the parts not crawled yet (notice, opening, award, "
        "reserve_prices, bidders); a backfill of that day fills them. A partition recomputes the openings of every "
        "notice its day touched. The view bid_results keeps the old columns."
    ),
)
def bid_outcomes(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    written, late, passed_over, rates = 0, 0, 0, []
    missing: dict[str, int] = {}
    coverage: dict[str, dict[str, int]] = {}
    preview = pl.DataFrame()
    for day in partition_days(context):
        frame = outcomes.outcomes_for_day(warehouse.engine, day)
        warehouse.write([ingest_tables.outcome_write(frame)], day)
        written += frame.height
        late += frame.filter(pl.col("award_partition_date") > pl.col("opening_partition_date")).height
        passed_over += frame.filter(pl.col("winner_rank") > 1).height
        rates.append(frame["assessment_rate_pct"].drop_nulls())
        for parts in frame["missing"].drop_nulls().to_list():
            for part in parts.split(","):
                missing[part] = missing.get(part, 0) + 1
        preview = frame.head(10)
        coverage[day.isoformat()] = outcomes.coverage(frame, day)
        context.log.info(f"outcomes {day}: {frame.height} openings touched; coverage {coverage[day.isoformat()]}")
    rate = pl.concat(rates) if rates else pl.Series([], dtype=pl.Float64)
    return MaterializeResult(
        metadata={
            "dagster/row_count": written,
            "awards_registered_after_the_opening_day": late,
            "awards_passing_over_rank_1": passed_over,
            "missing_parts": MetadataValue.json(missing),
            # Per partition (the openings registered that day): how many have G2B's participant count, how many a
            # fetched bidder list. Counts come in bulk for every opening; lists cost one call each (quota).
            "completed_openings": sum(c["completed_openings"] for c in coverage.values()),
            "openings_with_participant_count": sum(c["with_participant_count"] for c in coverage.values()),
            "openings_with_bidder_list": sum(c["with_bidder_list"] for c in coverage.values()),
            "coverage_by_partition": MetadataValue.md(outcomes.coverage_markdown(coverage)),
            "assessment_rate_mean_pct": float(rate.mean()) if rate.len() else None,  # type: ignore[arg-type]
            "preview": markdown_preview(preview),
        }
    )


# ---------------------------------------------------------------------------------------------------------------------
# Jobs and schedules (Asia/Seoul): today's notices hourly in working hours, yesterday's once closed in the morning,
# results daily. Morning runs re-read a few recent days, because G2B publishes with a delay.

# On from the start: a deployment that crawls nothing until someone flips a switch helps nobody.
RUNNING = DefaultScheduleStatus.RUNNING
RESULTS_LOOKBACK_DAYS = 3  # results of a day keep arriving for a while after the openings
NOTICES_OVERLAP_DAYS = 2

notices_job = define_asset_job(
    "ingest_notices",
    # bid_outcomes too: the notices of a day fill the 낙찰하한율 of outcomes that were waiting for them.
    selection=AssetSelection.assets("g2b_raw_notices").downstream(depth=1) | AssetSelection.assets("bid_outcomes"),
    description="Crawl and normalize the notices of the selected days, and refresh the outcomes of those notices.",
)
results_job = define_asset_job(
    "ingest_results",
    selection=AssetSelection.assets("g2b_raw_results").downstream(depth=1) | AssetSelection.assets("bid_outcomes"),
    description="Crawl the results (awards, openings, 예비가격, bidders) of the selected days, store each by its "
    "registration day, and join the outcomes of the openings they touched.",
)


def days_before(context: ScheduleEvaluationContext, days: range) -> list[str]:
    """The partition keys of the given numbers of days before the tick's day (KST)."""
    today = context.scheduled_execution_time.astimezone(KST).date()
    return [(today - dt.timedelta(days=n)).isoformat() for n in days]


@schedule(
    job=notices_job,
    cron_schedule="0 8-19 * * 1-5",
    execution_timezone=TIMEZONE,
    default_status=RUNNING,
    description="Today's notices, every hour from 08:00 to 19:00 on working days.",
)
def notices_today_hourly(context: ScheduleEvaluationContext):
    (today,) = days_before(context, range(0, 1))
    hour = context.scheduled_execution_time.astimezone(KST).strftime("%H")
    return RunRequest(run_key=f"notices-{today}-{hour}", partition_key=today)


@schedule(
    job=notices_job,
    cron_schedule="30 6 * * *",
    execution_timezone=TIMEZONE,
    default_status=RUNNING,
    description="Yesterday's notices once the day is closed, and the day before again (publishing is late).",
)
def notices_closed_days_morning(context: ScheduleEvaluationContext):
    for day in days_before(context, range(1, NOTICES_OVERLAP_DAYS + 1)):
        yield RunRequest(run_key=f"notices-closed-{day}-{context.scheduled_execution_time:%Y%m%d}", partition_key=day)


@schedule(
    job=results_job,
    cron_schedule="0 7 * * *",
    execution_timezone=TIMEZONE,
    default_status=RUNNING,
    description="Results of the last days (awards and bidders are published after the openings).",
)
def results_daily(context: ScheduleEvaluationContext):
    for day in days_before(context, range(1, RESULTS_LOOKBACK_DAYS + 1)):
        yield RunRequest(run_key=f"results-{day}-{context.scheduled_execution_time:%Y%m%d}", partition_key=day)


RESUME_DAYS_PER_TICK = 5  # result days re-crawled per tick for their missing bidder lists


@schedule(
    job=results_job,
    cron_schedule="30 7 * * *",
    execution_timezone=TIMEZONE,
    default_status=RUNNING,
    description="Backfills resume by themselves: after the morning results, re-crawl the oldest result days "
    "whose bidder lists were deferred by the quota; the call ledger decides how many lists today's budget fetches.",
)
def bidder_lists_resume(context: ScheduleEvaluationContext, g2b: G2BResource, warehouse: WarehouseResource):
    ledger = g2b.ledger(warehouse.engine)
    if ledger.remaining(crawl.BIDDERS_OP) == 0:
        return SkipReason(f"no {crawl.BIDDERS_OP} calls left today in g2b_call_ledger")
    today = context.scheduled_execution_time.astimezone(KST).date()
    lookback_start = today - dt.timedelta(days=RESULTS_LOOKBACK_DAYS)  # those days the daily run re-reads anyway
    days = readers.days_missing_bidder_lists(warehouse.engine, None, lookback_start, RESUME_DAYS_PER_TICK)
    if not days:
        return SkipReason("every completed opening before the lookback window has its bidder list")
    return [RunRequest(run_key=f"bidders-{day}-{today:%Y%m%d}", partition_key=day) for day in days]


# Freshness: by 08:00 in Seoul (the briefing), yesterday's notices and results must be in. Dagster's
# build_time_partition_freshness_checks cannot say that here: with end_offset=1 (today's partition exists for the
# hourly crawl) it expects *today's* partition at 08:00, which the results never have by then, so the results check
# failed every day from 08:00 (CI met it as a test that failed only after 08:00 KST). These checks ask for the right
# day, and the sensor runs them every 10 minutes when what is late changes (about twice a day); a failed check is an
# asset check failure in the UI and in ops-metrics' alerts.
FRESHNESS_HOUR = 8
FRESH_ASSETS = ("bid_notices", "bid_openings")


def required_partition(now: dt.datetime) -> dt.date:
    """The daily partition that must be in at `now` (KST): yesterday's once today's 08:00 has passed, before that
    the day before yesterday's (yesterday's deadline). A naive `now` is Korean time, as `now_kst()` gives it (not
    the machine's zone: in a UTC container `astimezone` read 23:30 KST as 08:30 the next morning)."""
    local = now.replace(tzinfo=KST) if now.tzinfo is None else now.astimezone(KST)
    deadline_day = local.date() if local.hour >= FRESHNESS_HOUR else local.date() - dt.timedelta(days=1)
    return deadline_day - dt.timedelta(days=1)


def _freshness_check(asset_name: str) -> AssetChecksDefinition:
    @asset_check(
        asset=asset_name,
        name="freshness_check",
        description=f"Yesterday's {asset_name} partition is in by 08:00 Asia/Seoul (before 08:00: the day before's).",
    )
    def check(context: AssetCheckExecutionContext) -> AssetCheckResult:
        day = required_partition(now_kst()).isoformat()
        arrived = day in context.instance.get_materialized_partitions(AssetKey(asset_name))
        return AssetCheckResult(
            passed=arrived,
            severity=AssetCheckSeverity.ERROR,
            description=f"{asset_name} {day}: " + ("in" if arrived else f"not in by {FRESHNESS_HOUR:02d}:00 KST"),
            metadata={"required_partition": day},
        )

    return check


freshness_checks = [_freshness_check(name) for name in FRESH_ASSETS]
freshness_job = define_asset_job(
    "ingestion_freshness_checks",
    selection=AssetSelection.checks(*freshness_checks),
    description="The freshness checks of bid_notices and bid_openings (run by the ingestion_freshness sensor).",
)


@sensor(
    name="ingestion_freshness",
    job=freshness_job,
    minimum_interval_seconds=600,
    default_status=DefaultSensorStatus.RUNNING,
    description="Runs the freshness checks when what is late changes: a new day's deadline, or a late day arriving.",
)
def freshness_sensor(context: SensorEvaluationContext):
    day = required_partition(now_kst()).isoformat()
    late = [a for a in FRESH_ASSETS if day not in context.instance.get_materialized_partitions(AssetKey(a))]
    # Its console at LOG_LEVEL: the instance's python_log_level (dagster.yaml), as every run the daemon launches.
    return RunRequest(run_key=f"freshness-{day}-{'-'.join(late) or 'all-in'}")


defs = Definitions(
    # Code references: the UI links each asset to the file and line that defines it.
    assets=with_source_code_references([g2b_raw_notices, g2b_raw_results, notice_tables, result_tables, bid_outcomes]),
    asset_checks=freshness_checks,
    jobs=[notices_job, results_job, freshness_job],
    # The crawls are the only clocks of the pipeline: G2B cannot tell us when it published, so we ask at the times
    # it publishes (and resume deferred bidder lists when the quota allows). Everything downstream follows the data
    # (assets/common/automation.py).
    schedules=[notices_today_hourly, notices_closed_days_morning, results_daily, bidder_lists_resume],
    sensors=[freshness_sensor],
)
