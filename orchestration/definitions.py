"""The Dagster code location: every asset, job, schedule and resource of bidradar."""

from __future__ import annotations

from dagster import Definitions, in_process_executor, load_assets_from_modules

from assets import analysis, ingestion, matching
from orchestration.jobs import all_jobs
from orchestration.maintenance import purge_old_runs_job, purge_old_runs_schedule
from orchestration.resources import G2BResource, GeminiResource, ProfilesResource, WarehouseResource
from orchestration.schedules import all_schedules

defs = Definitions(
    assets=load_assets_from_modules([ingestion, matching, analysis]),
    jobs=[*all_jobs, purge_old_runs_job],
    schedules=[*all_schedules, purge_old_runs_schedule],
    resources={
        "warehouse": WarehouseResource(),
        "g2b": G2BResource(),
        "profiles": ProfilesResource(),
        "gemini": GeminiResource(),
    },
    # A Raspberry Pi has four slow cores and little memory: a process per step costs seconds of imports.
    executor=in_process_executor,
)
