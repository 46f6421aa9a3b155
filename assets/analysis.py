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
    asset,
    with_source_code_references,
)

from assets.metadata import markdown_preview
from bidradar.analysis import analyses as analysis
from bidradar.core.clock import now_kst
from bidradar.core.warehouse import TableWrite
from bidradar.masking.keys import company_key, llm_profile_view, secret_values
from bidradar.matching.store import read_valid_profiles
from orchestration.resources import GeminiResource, WarehouseResource

BEST_MATCHES_SQL = """
SELECT s.company_id, s.notice_no, s.score, s.rank, h.verdict, h.license_verdict, h.region_verdict,
       h.amount_verdict, h.sme_verdict, h.category_verdict, h.keyword_verdict, h.deadline_verdict, h.explanation_ko,
       n.notice_order, n.title, n.category, n.notice_agency_name, n.demand_agency_name, n.contract_method,
       n.award_method, n.estimated_price, n.lower_limit_rate, n.bid_close_at, n.opening_at
FROM soft_matches s
JOIN hard_matches h ON h.company_id = s.company_id AND h.notice_no = s.notice_no
JOIN bid_notices n ON n.notice_no = s.notice_no
WHERE s.rank <= :top_k
ORDER BY s.company_id, s.rank
"""


def _requirements(warehouse: WarehouseResource, pairs: pl.DataFrame) -> pl.DataFrame:
    """One line of license and one of region requirements per notice (for the prompt and the local analysis)."""
    licenses = warehouse.read_frame(
        "SELECT notice_no, notice_order, group_no, license_name, license_code FROM notice_license_limits"
    )
    regions = warehouse.read_frame("SELECT notice_no, notice_order, region_name FROM notice_region_limits")
    keys = pairs.select("notice_no", "notice_order").unique()
    license_text = (
        licenses.join(keys, on=["notice_no", "notice_order"])
        .with_columns(pl.concat_str("license_name", pl.lit("("), pl.col("license_code").fill_null("코드 없음"),
                                    pl.lit(")")).alias("one"))
        .group_by("notice_no", "group_no").agg(pl.col("one").sort().str.join(" 그리고 "))
        .group_by("notice_no").agg(("면허: " + pl.col("one").sort().str.join(" 또는 ")).alias("license_requirements"))
    ) if not licenses.is_empty() else pl.DataFrame(schema={"notice_no": pl.String, "license_requirements": pl.String})  # fmt: skip
    region_text = (
        regions.join(keys, on=["notice_no", "notice_order"])
        .group_by("notice_no").agg(("참가가능지역: " + pl.col("region_name").sort().str.join(", ")).alias("region_requirements"))
    ) if not regions.is_empty() else pl.DataFrame(schema={"notice_no": pl.String, "region_requirements": pl.String})  # fmt: skip
    return pairs.join(license_text, on="notice_no", how="left").join(region_text, on="notice_no", how="left")


def _tokens_used_today(warehouse: WarehouseResource, now: dt.datetime) -> int:
    start = dt.datetime.combine(now.date(), dt.time(0, 0))
    used = warehouse.read_frame(
        "SELECT COALESCE(SUM(prompt_tokens), 0) + COALESCE(SUM(output_tokens), 0) AS used FROM llm_calls "
        "WHERE called_at >= :start", {"start": start.strftime("%Y-%m-%d %H:%M:%S")})  # fmt: skip
    return int(used["used"][0] or 0)


@asset(
    deps=["soft_matches", "hard_matches", "company_profiles"],
    pool="gemini_api",
    group_name="matching",
    owners=["team:data-platform"],
    kinds={"python", "gemini"},
    description=(
        "Analyses of each Pro company's best matches (top ANALYSIS_TOP_K; Free plan: none): three-line Korean "
        "summary, requirements, eligibility concerns, risks, effort, go/no-go with reasons, fit score. Gemini "
        "through the masking gateway, cached by a hash of the inputs and bounded by a daily token budget; without a "
        "key, or when the answer is blocked or invalid, a deterministic local analysis labelled as such. Every call "
        "leaves an audit row in llm_calls (counts and tokens, never a value)."
    ),
    check_specs=[AssetCheckSpec("every_analysis_labelled", asset="match_analyses",
                                description="each analysis says whether Gemini or the local rules wrote it")],
)  # fmt: skip
def match_analyses(
    context: AssetExecutionContext, warehouse: WarehouseResource, gemini: GeminiResource
) -> Iterator[MaterializeResult | AssetCheckResult]:
    now = now_kst()
    profiles = {cid: profile for cid, profile in read_valid_profiles(warehouse.engine) if profile.plan == "pro"}
    pairs = warehouse.read_frame(BEST_MATCHES_SQL, {"top_k": gemini.top_k},
                                 schema={"bid_close_at": pl.Datetime("us"), "opening_at": pl.Datetime("us")})  # fmt: skip
    pairs = pairs.filter(pl.col("company_id").is_in(list(profiles))) if not pairs.is_empty() else pairs
    if not pairs.is_empty():
        pairs = _requirements(warehouse, pairs)
    work = [(row["company_id"], analysis.analysis_inputs(row, llm_profile_view(profiles[row["company_id"]])))
            for row in pairs.iter_rows(named=True)]  # fmt: skip

    cached = warehouse.read_frame("SELECT * FROM match_analyses", schema={"analysed_at": pl.Datetime("us")})
    cache = {(r["company_id"], r["notice_no"]): r for r in cached.iter_rows(named=True)}
    master = gemini.masking_master_secret

    def gateway_for(company_id: str, audit):  # type: ignore[no-untyped-def]
        profile = profiles[company_id]
        return gemini.gateway(company_id, company_key(master, company_id), secret_values(profile), audit)

    run = analysis.run_analyses(
        work, model=gemini.resolved_model, gateway_for=gateway_for, cache=cache,
        tokens_used_today=_tokens_used_today(warehouse, now), daily_token_budget=gemini.budget, now=now,
    )  # fmt: skip
    if run.audits:  # calls were paid for: record them even if the replace below fails
        warehouse.write([TableWrite("llm_calls", analysis.audit_rows(run.audits), ["call_id"], replace="rows")])
    frame = pl.DataFrame(run.rows, schema=analysis.ANALYSIS_SCHEMA)
    warehouse.write([TableWrite("match_analyses", frame, ["company_id", "notice_no"], replace="table")])
    by_source = {s: int(n) for s, n in frame.group_by("source").len().iter_rows()} if frame.height else {}
    context.log.info(
        f"{frame.height} analyses: {run.gemini_calls} Gemini calls, {run.cache_hits} cached, local {run.local}"
    )
    yield MaterializeResult(metadata={
        "analyses": frame.height,
        "pro_companies": len(profiles),
        "gemini_calls": run.gemini_calls,
        "cache_hits": run.cache_hits,
        "by_source": str(by_source),
        "local_reasons": str(run.local),
        "preview": markdown_preview(frame, ["company_id", "notice_no", "label_ko", "decision", "fit_score", "summary_ko"]),
    })  # fmt: skip
    unlabelled = frame.filter(pl.col("label_ko").is_null() | (pl.col("label_ko") == "")).height
    yield AssetCheckResult(check_name="every_analysis_labelled", passed=unlabelled == 0,
                           metadata={"unlabelled": unlabelled})  # fmt: skip


defs = Definitions(assets=with_source_code_references([match_analyses]))
