"""Jobs: named selections of the asset graph that schedules and the CLI run."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

from orchestration.partitions import daily_partitions

notices_job = define_asset_job(
    "ingest_notices",
    selection=AssetSelection.assets("g2b_raw_notices").downstream(depth=1),
    partitions_def=daily_partitions,
    description="Crawl and normalize the notices of the selected days.",
)
results_job = define_asset_job(
    "ingest_results",
    selection=AssetSelection.assets("g2b_raw_results", "bid_results"),
    partitions_def=daily_partitions,
    description="Crawl and normalize the results (awards, openings, 예비가격, bidders) of the selected days.",
)
matching_job = define_asset_job(
    "match_companies",
    selection=AssetSelection.assets("company_profile_files").downstream(),
    description="Observe the profiles folder, then load profiles and match them to the open notices.",
)
all_jobs = [notices_job, results_job, matching_job]
