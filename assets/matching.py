"""Matching assets: company profiles from PROFILES_DIR, then hard matches (may the company bid?) and soft
matches (the most relevant notices it may bid on) for the notices open now.

`company_profile_files` is an observable source: its data version is the hash of the profile files, so an
edited, added or removed profile shows as a new version and makes everything downstream stale. The match
tables are unpartitioned "as of now" tables written in one transaction per run: the hard matches of just the
notices and profiles that changed since the last run, the soft scores of just the notices whose inputs changed
(docs/matching.md).
"""

import datetime as dt

import polars as pl
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetSelection,
    AutomationCondition,
    Config,
    DataVersion,
    Definitions,
    MaterializeResult,
    MetadataValue,
    asset,
    define_asset_job,
    observable_source_asset,
    with_source_code_references,
)
from pydantic import Field

from assets.common.automation import after_inputs_change
from assets.common.resources import ProfilesResource, WarehouseResource
from assets.metadata import markdown_preview
from bidradar.core import schema
from bidradar.core.clock import TIMEZONE, now_kst
from bidradar.core.warehouse import StaleWrite, TableWrite, table_version
from bidradar.ingestion import readers as ingestion_readers
from bidradar.matching import explain, hard, incremental, ranked, soft, store
from bidradar.matching import profiles as profile_files

OWNERS = ["team:data-platform"]
GROUP = "matching"
SCORER_NAME = "tfidf-char-2-4-profile-idf"


class MatchConfig(Config):
    as_of: str = Field(default="", description="judge 'open' at this KST time (YYYY-MM-DD HH:MM[:SS]); empty means now")
    top_k: int | None = Field(default=None, ge=1, le=10_000, description="notices kept per company; empty: MATCH_TOP_K")


def _as_of(config: MatchConfig) -> dt.datetime:
    if not config.as_of:
        return now_kst()
    text = config.as_of.strip()
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S" if text.count(":") == 2 else "%Y-%m-%d %H:%M")


@observable_source_asset(
    group_name=GROUP,
    # Looked at every 5 minutes; a new fingerprint is an update that company_profiles follows.
    automation_condition=AutomationCondition.cron_tick_passed("*/5 * * * *", TIMEZONE).with_label("every 5 minutes"),
    owners=OWNERS,
    description="The company profile YAML files in PROFILES_DIR; the data version is the hash of every file, so "
    "editing, adding or removing a profile makes company_profiles and the matches stale.",
)
def company_profile_files(profiles: ProfilesResource) -> DataVersion:
    return DataVersion(profile_files.folder_fingerprint(profiles.path))


@asset(
    deps=[company_profile_files],
    automation_condition=after_inputs_change(),
    pool="warehouse_writer",
    group_name=GROUP,
    owners=OWNERS,
    kinds={"python", "yaml", "sql"},
    description="One row per profile file: the validated profile, or the error (file, line, field). An invalid "
    "file does not stop the other companies; it fails the `profiles_valid` check.",
    check_specs=[
        AssetCheckSpec(
            "profiles_valid", asset="company_profiles", description="every profile file in PROFILES_DIR is valid"
        )
    ],
)
def company_profiles(
    context: AssetExecutionContext, profiles: ProfilesResource, warehouse: WarehouseResource
) -> MaterializeResult:
    loaded = profile_files.load_profiles(profiles.path)
    frame = store.profiles_table(loaded, now_kst())
    warehouse.write([TableWrite("company_profiles", frame, ["company_id"], replace="table")])
    errors = [str(e) for e in loaded.errors]
    for error in errors:
        context.log.warning(f"invalid profile: {error}")
    return MaterializeResult(
        metadata={
            "folder": str(profiles.path),
            "valid_profiles": len(loaded.profiles),
            "invalid_profiles": len(errors),
            "errors": MetadataValue.md("\n".join(f"- `{e}`" for e in errors) or "_none_"),
            "preview": markdown_preview(frame, ["company_id", "name", "is_valid", "error"]),
        },
        data_version=DataVersion(profile_files.folder_fingerprint(profiles.path)),
        check_results=[
            AssetCheckResult(
                check_name="profiles_valid",
                passed=not errors,
                # A bad file is the owner's to fix; the valid companies are still matched, so do not block.
                severity=AssetCheckSeverity.ERROR,
                metadata={"invalid_files": MetadataValue.md("\n".join(f"- `{e}`" for e in errors) or "_none_")},
            )
        ],
    )


HARD_CHECKS = [
    (
        "every_pair_accounted",
        "each company's counted pairs add up to the open notices, and its stored live pairs are the eligible, "
        "conditional and unknown ones counted",
    ),
    ("unknown_is_not_eligible", "a pair with an unknown rule is never eligible"),
]


class HardMatchConfig(MatchConfig):
    full_rebuild: bool = Field(
        default=False,
        description="judge every pair again (a run also does when the rules' version or the dated rules in force "
        "changed)",
    )


@asset(
    deps=["company_profiles", "bid_notices", "notice_license_limits", "notice_region_limits"],
    automation_condition=after_inputs_change(),
    pool="warehouse_writer",
    group_name=GROUP,
    owners=OWNERS,
    kinds={"polars", "sql"},
    description="The (company, notice) pairs worth showing (eligible or unknown) with a reason code per rule "
    "(license, region, amount, sme, category, keyword, deadline, record; bidradar.matching.explain renders them "
    "in Korean where they are read), and per company the counts of every verdict and failing rule "
    "(hard_match_summary, counted from every pair's verdict code, kept per notice in hard_match_notice_verdicts). "
    "Open = not cancelled and closing after the run's as-of time. Incremental: a run judges again only the notices "
    "and profiles that changed since the last one, so a new day judges its new notices alone "
    "(bidradar.matching.incremental); `full_rebuild`, a new rules' version or new dated rules judge every pair. A notice that closes keeps its pairs frozen as last "
    "judged while open (no longer judged; pruned by CLOSED_MATCH_RETENTION_DAYS after its opening).",
    check_specs=[
        AssetCheckSpec(name, asset="hard_matches", description=text, blocking=True) for name, text in HARD_CHECKS
    ],
)
def hard_matches(
    context: AssetExecutionContext, config: HardMatchConfig, warehouse: WarehouseResource
) -> MaterializeResult:
    for attempt in range(1, STALE_ATTEMPTS):
        try:
            return _hard_matches_once(context, config, warehouse)
        except StaleWrite as error:  # another run wrote the matches between our read and our write: re-plan
            context.log.warning(f"hard matches: {error}; planning again ({attempt}/{STALE_ATTEMPTS})")
    return _hard_matches_once(context, config, warehouse)


STALE_ATTEMPTS = 3


def _hard_matches_once(
    context: AssetExecutionContext, config: HardMatchConfig, warehouse: WarehouseResource
) -> MaterializeResult:
    as_of = _as_of(config)
    engine = warehouse.engine
    companies = store.read_valid_profiles(engine)
    notices, licenses, regions = ingestion_readers.read_open_notices(engine, as_of)
    state_version = table_version(engine, "hard_match_inputs")  # before the state: a later write is seen as stale
    inputs = incremental.current_inputs(
        ingestion_readers.read_open_notice_revisions(engine, as_of),
        store.read_profile_hashes(engine).filter(pl.col("company_id").is_in([c for c, _ in companies])),
        as_of,
    )
    stored_inputs = store.read_match_inputs(engine)
    plan = incremental.plan(stored_inputs, inputs, config.full_rebuild)
    profiles, company_licenses = profile_files.profiles_frame(companies), profile_files.licenses_frame(companies)
    company_ids = sorted(company_id for company_id, _ in companies)  # the order of the codes' columns
    notice_nos = notices["notice_no"].unique().sort().to_list()
    stored_codes = None
    if not plan.full:  # the verdict codes of the pairs not judged again, to count them with the new ones
        kept_notices = sorted(set(notice_nos) - set(plan.changed_notices))
        stored_codes = store.read_verdict_codes(engine, incremental.stored_companies(stored_inputs), kept_notices)
        plan = incremental.with_stored_codes(plan, kept_notices, stored_codes)

    def judge(notice_nos: list[str] | None, company_ids: list[str] | None) -> hard.MatchResult:
        pick_n = (lambda f: f) if notice_nos is None else (lambda f: f.filter(pl.col("notice_no").is_in(notice_nos)))
        pick_c = (lambda f: f) if company_ids is None else (lambda f: f.filter(pl.col("company_id").is_in(company_ids)))
        return hard.match(
            pick_n(notices), pick_n(licenses), pick_n(regions), pick_c(profiles), pick_c(company_licenses), as_of
        )

    if plan.full:
        results = [judge(None, None)]
        pairs_evaluated = len(companies) * notices.height
        # Every pair of an open notice is judged again; the frozen pairs of closed notices stay (store's docstring),
        # except those of companies that left.
        left = sorted(set(store.read_matched_companies(engine)) - set(company_ids))
        frozen = pl.DataFrame(schema=schema.polars_schema(schema.hard_matches))
        matches_owned: dict = {
            "replace": "keys",
            "delete_keys": {"notice_no": notices["notice_no"].to_list(), "company_id": left},
        }
    else:
        # Changed notices × every company, every notice × changed companies (their overlap is judged twice, the
        # same way, and kept once).
        results = [judge(plan.changed_notices, None), judge(None, plan.changed_companies)]
        pairs_evaluated = len(plan.changed_notices) * len(companies) + notices.height * len(plan.changed_companies)
        # A closed notice's pairs are not deleted (frozen); a changed company's frozen pairs are written back as
        # they were, since its rows are deleted by company.
        frozen = store.read_frozen_matches(engine, plan.changed_companies, plan.closed_notices, plan.changed_notices)
        matches_owned = {
            "replace": "keys",
            "delete_keys": {"notice_no": plan.changed_notices, "company_id": plan.deleted_companies},
        }
    keys = ["company_id", "notice_no"]
    pairs = pl.concat([r.pairs for r in results]).unique(keys, keep="first").sort(keys)
    codes = (
        results[0].codes
        if plan.full
        else incremental.assemble_codes(stored_codes, [r.codes for r in results], notice_nos, company_ids)
    )
    summary = hard.summary_from_codes(codes.codes, codes.company_ids)
    # The codes' rows follow the companies: when one changed, came or left, every row is written again.
    if plan.full or plan.deleted_companies or company_ids != incremental.stored_companies(stored_inputs):
        codes_written = TableWrite(
            "hard_match_notice_verdicts", store.verdict_code_rows(codes), ["notice_no"], replace="table"
        )
    else:
        codes_written = TableWrite(
            "hard_match_notice_verdicts",
            store.verdict_code_rows(codes, plan.changed_notices),
            ["notice_no"],
            replace="keys",
            delete_keys={"notice_no": plan.deleted_notices},
        )
    evaluated_at = now_kst()
    summary = summary.with_columns(pl.lit(as_of).alias("as_of"), pl.lit(evaluated_at).alias("evaluated_at"))
    stored = pairs if frozen.is_empty() else pl.concat([pairs, frozen.select(pairs.columns)], how="vertical_relaxed")
    reports = warehouse.write(
        [
            TableWrite("hard_matches", stored, keys, **matches_owned),
            codes_written,
            TableWrite("hard_match_summary", summary, ["company_id"], replace="table"),
            TableWrite(
                "hard_match_inputs",
                inputs,
                ["input_kind", "input_key"],
                replace="table",
                expected_version=state_version,
            ),
        ]
    )
    matches_report = reports[0]
    context.log.info(
        f"hard matches as of {as_of} ({plan.reason}): {pairs_evaluated} pairs judged of "
        f"{len(companies)} companies × {notices.height} open notices; {matches_report.deleted} rows deleted, "
        f"{matches_report.written} written"
    )
    totals = {col: int(summary[col].sum()) for col in ("eligible", "unknown", "ineligible")}
    # The counts come from the verdict codes, the stored pairs from hard_matches: two records of the same verdicts.
    stored_pairs = store.count_live_pairs(engine)
    unaccounted = (
        summary.join(stored_pairs, on="company_id", how="left")
        .filter(
            (pl.col("eligible") + pl.col("unknown") + pl.col("conditional") + pl.col("ineligible") != notices.height)
            # A company without a row in count_live_pairs has no live pair: a counted 0, not an unknown.
            | (pl.col("eligible") + pl.col("unknown") + pl.col("conditional") != pl.col("pairs").fill_null(0))
        )
        .height
    )
    unknown_but_eligible = pairs.filter(
        (pl.col("verdict") == hard.ELIGIBLE) & pl.any_horizontal(pl.col(c) >= 20 for c in explain.REASON_COLUMNS)
    ).height
    preview = pairs.head(10)
    preview = preview.with_columns(
        explanation_ko=pl.Series(
            [explain.render_explanation(r) for r in preview.iter_rows(named=True)], dtype=pl.String
        )
    )
    return MaterializeResult(
        metadata={
            "as_of": as_of.isoformat(sep=" "),
            "mode": "full" if plan.full else "incremental",
            "reason": plan.reason,
            "rules_version": hard.RULES_VERSION,
            "companies": len(companies),
            "open_notices": notices.height,
            "pairs": len(companies) * notices.height,
            "pairs_evaluated": pairs_evaluated,
            "changed_notices": len(plan.changed_notices),
            "closed_notices": len(plan.closed_notices),
            "changed_companies": len(plan.changed_companies),
            "removed_companies": len(plan.removed_companies),
            "rows_deleted": matches_report.deleted,
            "rows_written": matches_report.written,
            "frozen_rows_rewritten": frozen.height,
            "pairs_stored": int(summary["eligible"].sum() + summary["unknown"].sum() + summary["conditional"].sum()),
            **{f"pairs_{v}": totals[v] for v in (hard.ELIGIBLE, hard.UNKNOWN, hard.INELIGIBLE)},
            "preview": markdown_preview(preview, ["company_id", "notice_no", "verdict", "explanation_ko"]),
        },
        check_results=[
            AssetCheckResult(
                check_name="every_pair_accounted", passed=unaccounted == 0, metadata={"companies_off": unaccounted}
            ),
            AssetCheckResult(
                check_name="unknown_is_not_eligible",
                passed=unknown_but_eligible == 0,
                metadata={"rows": unknown_but_eligible},
            ),
        ],
    )


class SoftMatchConfig(MatchConfig):
    full_rebuild: bool = Field(
        default=False,
        description="score every pair again (a run also does when the scorer, the profiles or top K changed)",
    )


@asset(
    deps=[hard_matches, "bid_notices"],
    automation_condition=after_inputs_change(),
    pool="warehouse_writer",
    group_name=GROUP,
    owners=OWNERS,
    kinds={"scikitlearn", "polars", "sql"},
    description="Relevance 0–100 of each eligible or unknown pair (TF-IDF on character 2–4-grams of the notice "
    "text against the profile text, the IDF fitted on the profiles, plus include-keyword boosts, minus a little for "
    "a track-record weakness); bidradar.matching.ranked ranks them and keeps the top K per company. Incremental: a "
    "run scores again only the notices whose text or candidate pairs changed (bidradar.matching.soft.plan); "
    "`full_rebuild`, new profiles, another scorer or another top K scores every pair.",
)
def soft_matches(
    context: AssetExecutionContext, config: SoftMatchConfig, warehouse: WarehouseResource, profiles: ProfilesResource
) -> MaterializeResult:
    for attempt in range(1, STALE_ATTEMPTS):
        try:
            return _soft_matches_once(context, config, warehouse, profiles)
        except StaleWrite as error:  # another run wrote the scores between our read and our write: re-plan
            context.log.warning(f"soft matches: {error}; planning again ({attempt}/{STALE_ATTEMPTS})")
    return _soft_matches_once(context, config, warehouse, profiles)


def _soft_matches_once(
    context: AssetExecutionContext, config: SoftMatchConfig, warehouse: WarehouseResource, profiles: ProfilesResource
) -> MaterializeResult:
    engine = warehouse.engine
    stored_version = table_version(engine, "soft_matches")  # before the plan: a later write is seen as stale
    hard_rows = store.read_live_pairs(engine)  # a closed notice's frozen pair is not ranked any more
    as_of_rows = warehouse.read_frame(
        "SELECT MAX(as_of) AS as_of FROM hard_match_summary", schema={"as_of": pl.Datetime("us")}
    )
    companies = store.read_valid_profiles(engine)
    notices = ingestion_readers.read_notices(engine, hard_rows["notice_no"].unique().sort().to_list())
    top_k = config.top_k or profiles.top_k
    as_of = as_of_rows["as_of"][0] if as_of_rows.height and as_of_rows["as_of"][0] is not None else _as_of(config)
    company_frame = profile_files.profiles_frame(companies)
    if not companies:
        hard_rows = hard_rows.clear()
    run_digest = f"{SCORER_NAME}|top {top_k}|{soft.profiles_digest(company_frame)}"
    current = soft.notice_fingerprints(hard_rows, notices, run_digest)
    stored = warehouse.read_frame(
        "SELECT DISTINCT notice_no, inputs_fingerprint FROM soft_matches",
        schema={"notice_no": pl.String, "inputs_fingerprint": pl.String},
    )
    plan = soft.plan(stored, current, config.full_rebuild)
    rescored = hard_rows if plan.full else hard_rows.filter(pl.col("notice_no").is_in(plan.changed_notices))
    scored = soft.scored_pairs(rescored, notices, company_frame) if rescored.height else soft.empty_scored()
    frame = scored.join(current, on="notice_no", how="inner").with_columns(
        pl.lit(SCORER_NAME).alias("scorer"),
        pl.lit(as_of).alias("as_of"),
        pl.lit(now_kst()).alias("evaluated_at"),
        pl.lit(top_k, dtype=pl.Int64).alias("top_k"),
    )
    owned: dict = (
        {"replace": "table"} if plan.full else {"replace": "keys", "delete_keys": {"notice_no": plan.deleted_notices}}
    )
    [report] = warehouse.write(
        [TableWrite("soft_matches", frame, ["company_id", "notice_no"], expected_version=stored_version, **owned)]
    )
    context.log.info(
        f"soft matches ({plan.reason}): {rescored.height} pairs scored of {hard_rows.height} for {len(companies)} "
        f"companies (top {top_k}); {report.deleted} rows deleted, {report.written} written"
    )
    best = ranked.read_ranked(engine, top_k=1)
    return MaterializeResult(
        metadata={
            "mode": "full" if plan.full else "incremental",
            "reason": plan.reason,
            "pairs": hard_rows.height,
            "pairs_scored": rescored.height,
            "changed_notices": len(plan.changed_notices),
            "gone_notices": len(plan.gone_notices),
            "rows_deleted": report.deleted,
            "rows_written": report.written,
            "top_k": top_k,
            "scorer": SCORER_NAME,
            # Without a ranked pair there is no mean: the key is left out, not shown as a score of 0.
            **({"mean_score_of_rank_1": float(best["score"].mean())} if best.height else {}),
            "preview": markdown_preview(best, ["company_id", "rank", "score", "notice_no", "matched_terms"]),
        }
    )


matching_job = define_asset_job(
    "match_companies",
    # The alerts are their own job (the CLI runs them after the pricing).
    selection=AssetSelection.assets("company_profile_files").downstream() - AssetSelection.groups("alerts"),
    description="Observe the profiles folder, then load profiles and match them to the open notices (the CLI's "
    "demo; the automation sensor runs each asset when its inputs change).",
)


defs = Definitions(
    # Code references: the UI links each asset to the file and line that defines it.
    assets=with_source_code_references([company_profile_files, company_profiles, hard_matches, soft_matches]),
    jobs=[matching_job],
)
