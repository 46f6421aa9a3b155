"""Gemini analyses of each Pro company's best matches, always through the masking gateway."""

import datetime as dt
from collections.abc import Iterator

import polars as pl
from dagster import (
    AssetCheckResult,
    AssetCheckSpec,
    AssetExecutionContext,
    Definitions,
    MaterializeResult,
    MetadataValue,
    asset,
    with_source_code_references,
)

from assets.common.automation import after_inputs_change
from assets.common.resources import GeminiResource, WarehouseResource
from assets.metadata import markdown_preview
from bidradar.analysis import analyses as analysis
from bidradar.core.clock import now_kst
from bidradar.core.warehouse import TableWrite
from bidradar.ingestion import readers as ingestion_readers
from bidradar.masking.keys import company_key, llm_profile_view, secret_values
from bidradar.matching import ranked as ranked_pairs
from bidradar.matching import store, verdicts
from bidradar.matching.store import read_valid_profiles

BEST_MATCH_NOTICE_COLUMNS = (
    "notice_no",
    "notice_order",
    "category",
    "estimated_price",
    "bid_close_at",
    "title",
    "notice_agency_name",
    "demand_agency_name",
    "contract_method",
    "award_method",
    "lower_limit_rate",
    "opening_at",
    "revision_key",
)


def _best_matches(warehouse: WarehouseResource, companies: list[str], top_k: int) -> pl.DataFrame:
    """The top_k ranked pairs of these companies with their notice and profile hash, through matching's and
    ingestion's readers, ordered by company and rank."""
    ranked = ranked_pairs.read_ranked(warehouse.engine, top_k=top_k).select("company_id", "notice_no", "score", "rank")
    ranked = ranked.filter(pl.col("company_id").is_in(companies))
    notices = ingestion_readers.read_notices(warehouse.engine, ranked["notice_no"].unique().sort().to_list())
    return (
        ranked.join(notices.select(BEST_MATCH_NOTICE_COLUMNS), on="notice_no", how="inner")
        .join(store.read_profile_hashes(warehouse.engine), on="company_id", how="inner")
        .sort("company_id", "rank")
    )


def _requirements(warehouse: WarehouseResource, pairs: pl.DataFrame) -> pl.DataFrame:
    """One line of license and one of region requirements per notice (for the prompt and the local analysis),
    from the rows of just these notices."""
    licenses, regions = ingestion_readers.read_notice_limits(
        warehouse.engine, pairs["notice_no"].unique().sort().to_list()
    )
    keys = pairs.select("notice_no", "notice_order").unique()
    license_text = (
        licenses.join(keys, on=["notice_no", "notice_order"])
        .with_columns(
            pl.concat_str(
                "license_name", pl.lit("("), pl.col("license_code").fill_null("코드 없음"), pl.lit(")")
            ).alias("one")
        )
        .group_by("notice_no", "group_no")
        .agg(pl.col("one").sort().str.join(" 그리고 "))
        .group_by("notice_no")
        .agg(("면허: " + pl.col("one").sort().str.join(" 또는 ")).alias("license_requirements"))
    )
    region_text = (
        regions.join(keys, on=["notice_no", "notice_order"])
        .group_by("notice_no")
        .agg(("참가가능지역: " + pl.col("region_name").sort().str.join(", ")).alias("region_requirements"))
    )
    return pairs.join(license_text, on="notice_no", how="left").join(region_text, on="notice_no", how="left")


def _tokens_per_day(warehouse: WarehouseResource, now: dt.datetime, days: int = 7) -> str:
    """A markdown table of the Gemini tokens spent per KST day over the last `days` days (from llm_calls)."""
    start = dt.datetime.combine(now.date() - dt.timedelta(days=days - 1), dt.time(0, 0))
    calls = warehouse.read_frame(
        "SELECT called_at, prompt_tokens, output_tokens FROM llm_calls WHERE called_at >= :start",
        {"start": start.strftime("%Y-%m-%d %H:%M:%S")},
        schema={"called_at": pl.Datetime("us")},
    )
    lines = ["| day | calls | tokens |", "|---|---|---|"]
    if calls.height:
        per_day = (
            calls.with_columns(
                day=pl.col("called_at").dt.date(),
                tokens=pl.col("prompt_tokens").fill_null(0) + pl.col("output_tokens").fill_null(0),
            )
            .group_by("day")
            .agg(calls=pl.len(), tokens=pl.col("tokens").sum())
            .sort("day")
        )
        lines += [f"| {d} | {c} | {t} |" for d, c, t in per_day.iter_rows()]
    return "\n".join(lines)


def _tokens_used_today(warehouse: WarehouseResource, now: dt.datetime) -> int:
    start = dt.datetime.combine(now.date(), dt.time(0, 0))
    used = warehouse.read_frame(
        "SELECT COALESCE(SUM(prompt_tokens), 0) + COALESCE(SUM(output_tokens), 0) AS used FROM llm_calls "
        "WHERE called_at >= :start",
        {"start": start.strftime("%Y-%m-%d %H:%M:%S")},
    )
    return int(used["used"][0] or 0)


@asset(
    deps=["soft_matches", "hard_matches", "company_profiles"],
    automation_condition=after_inputs_change(),
    pool="gemini_api",
    group_name="matching",
    owners=["team:data-platform"],
    kinds={"python", "gemini"},
    description=(
        "Analyses of each Pro company's best matches (top ANALYSIS_TOP_K; Free plan: none): three-line Korean "
        "summary, requirements, eligibility concerns, risks, effort, go/no-go with reasons, fit score. Gemini "
        "through the masking gateway, paid for once (answers kept append-only in analysis_answers, keyed by the notice's revision, the profile's content hash, the prompt version and the model) and bounded by a daily token budget; without a "
        "key, or when the answer is blocked or invalid, a deterministic local analysis labelled as such. Every call "
        "leaves an audit row in llm_calls (counts and tokens, never a value)."
    ),
    check_specs=[
        AssetCheckSpec(
            "every_analysis_labelled",
            asset="match_analyses",
            description="each analysis says whether Gemini or the local rules wrote it",
        )
    ],
)
def match_analyses(
    context: AssetExecutionContext, warehouse: WarehouseResource, gemini: GeminiResource
) -> Iterator[MaterializeResult | AssetCheckResult]:
    now = now_kst()
    profiles = {cid: profile for cid, profile in read_valid_profiles(warehouse.engine) if profile.plan == "pro"}
    pairs = _best_matches(warehouse, list(profiles), gemini.top_k)
    if not pairs.is_empty():
        pairs = _requirements(warehouse, pairs)
    model = gemini.resolved_model
    work = []
    judged = {(v.company_id, v.notice_no): v for v in verdicts.read_verdicts(warehouse.engine)} if pairs.height else {}
    for row in pairs.iter_rows(named=True):
        verdict = judged.get((row["company_id"], row["notice_no"]))
        if verdict is None:  # the soft matches are of the stored verdicts' pairs; a stale one is not analysed
            continue
        row = {
            **row,
            "verdict": verdict.verdict,
            **{f"{r.rule}_verdict": r.verdict for r in verdict.reasons},
            "explanation_ko": verdict.explanation_ko,
        }
        revision = ingestion_readers.notice_revision(row["notice_order"], row["revision_key"])
        work.append(
            analysis.Work(
                row["company_id"],
                analysis.analysis_inputs(row, llm_profile_view(profiles[row["company_id"]])),
                analysis.cache_key(row["company_id"], row["notice_no"], revision, row["profile_hash"], model),
                revision,
                row["profile_hash"],
                float(row["score"] or 0.0),
            )
        )

    # The answers already paid for, of just these pairs (the cache is append-only: never deleted).
    cache: dict[str, dict] = {}
    keys = sorted({w.cache_key for w in work})
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        names = ", ".join(f":k{i}" for i in range(len(chunk)))
        found = warehouse.read_frame(
            f"SELECT cache_key, answer_json FROM analysis_answers WHERE cache_key IN ({names})",
            {f"k{i}": k for i, k in enumerate(chunk)},
        )
        cache.update({r["cache_key"]: r for r in found.iter_rows(named=True)} if found.height else {})
    master = gemini.masking_master_secret

    def gateway_for(company_id: str, audit):  # type: ignore[no-untyped-def]
        profile = profiles[company_id]
        return gemini.gateway(company_id, company_key(master, company_id), secret_values(profile), audit)

    run = analysis.run_analyses(
        work,
        model=model,
        gateway_for=gateway_for,
        cache=cache,
        tokens_used_today=_tokens_used_today(warehouse, now),
        daily_token_budget=gemini.budget,
        now=now,
    )
    if run.audits or run.answers:  # calls were paid for: record them (and the answers) even if the replace fails
        warehouse.write(
            [
                TableWrite("llm_calls", analysis.audit_rows(run.audits), ["call_id"], replace="rows"),
                TableWrite(
                    "analysis_answers",
                    pl.DataFrame(run.answers, schema=analysis.ANSWER_SCHEMA),
                    ["cache_key"],
                    replace="rows",
                ),
            ]
        )
    frame = pl.DataFrame(run.rows, schema=analysis.ANALYSIS_SCHEMA)
    warehouse.write([TableWrite("match_analyses", frame, ["company_id", "notice_no"], replace="table")])
    by_source = {s: int(n) for s, n in frame.group_by("source").len().iter_rows()} if frame.height else {}
    context.log.info(
        f"{frame.height} analyses: {run.gemini_calls} Gemini calls, {run.cache_hits} cached, local {run.local}"
    )
    asked = run.cache_hits + run.gemini_calls + sum(run.local.values())
    yield MaterializeResult(
        metadata={
            "analyses": frame.height,
            "pro_companies": len(profiles),
            "gemini_calls": run.gemini_calls,
            "cache_hits": run.cache_hits,
            "cache_hit_rate": round(run.cache_hits / asked, 4) if asked else 0.0,
            "tokens_per_day": MetadataValue.md(_tokens_per_day(warehouse, now)),
            "by_source": str(by_source),
            "local_reasons": str(run.local),
            "preview": markdown_preview(
                frame, ["company_id", "notice_no", "label_ko", "decision", "fit_score", "summary_ko"]
            ),
        }
    )
    unlabelled = frame.filter(pl.col("label_ko").is_null() | (pl.col("label_ko") == "")).height
    yield AssetCheckResult(
        check_name="every_analysis_labelled", passed=unlabelled == 0, metadata={"unlabelled": unlabelled}
    )


defs = Definitions(assets=with_source_code_references([match_analyses]))
