"""The Dagster code location: each domain's definitions (assets, checks, jobs, schedules) merged, plus the
resources they share. Each domain keeps its schedules beside its assets (assets/<domain>.py)."""

from __future__ import annotations

from dagster import Definitions, in_process_executor

from assets import alerts, analysis, ingestion, maintenance, matching, pricing
from orchestration.resources import (
    AlertsResource,
    BackupResource,
    G2BResource,
    GeminiResource,
    MLflowResource,
    ProfilesResource,
    WarehouseResource,
)

defs = Definitions.merge(
    ingestion.defs,
    matching.defs,
    analysis.defs,
    alerts.defs,
    maintenance.defs,
    pricing.defs,
    Definitions(
        resources={
            "warehouse": WarehouseResource(),
            "g2b": G2BResource(),
            "profiles": ProfilesResource(),
            "gemini": GeminiResource(),
            "mlflow": MLflowResource(),
            "alerts": AlertsResource(),
            "backups": BackupResource(),
        },
        # A Raspberry Pi has four slow cores and little memory: a process per step costs seconds of imports.
        executor=in_process_executor,
    ),
)
