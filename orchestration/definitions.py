"""The Dagster code location: each domain's definitions (assets, checks, jobs, schedules, sensors) merged, plus the
resources they share, each field given by its setting's environment variable (EnvVar).

The pipeline's settings are read once here (`PipelineSettings`: environment, `.env`, defaults, checked) and put
into the environment resolved, so every EnvVar below, the run workers and the daemon read exactly these values.
"""

from __future__ import annotations

import os

from dagster import (
    AssetSelection,
    AutomationConditionSensorDefinition,
    DefaultSensorStatus,
    Definitions,
    in_process_executor,
)

from assets import alerts, analysis, ingestion, maintenance, matching, pricing
from bidradar.core.settings import PipelineSettings, as_environment, get_settings
from orchestration.wiring import pipeline_resources

settings = get_settings(PipelineSettings)
os.environ.update(as_environment(settings))

defs = Definitions.merge(
    ingestion.defs,
    matching.defs,
    analysis.defs,
    alerts.defs,
    maintenance.defs,
    pricing.defs,
    Definitions(
        sensors=[
            AutomationConditionSensorDefinition(
                "follow_the_data",
                target=AssetSelection.all(include_sources=True),
                default_status=DefaultSensorStatus.RUNNING,
                minimum_interval_seconds=30,
                description="Runs each asset when its automation condition says so: the matches after new notices "
                "or profiles, analyses and recommendations after the matches, alerts after those (assets/common/"
                "automation.py).",
            )
        ],
        resources=pipeline_resources(),
        # A Raspberry Pi has four slow cores and little memory: a process per step costs seconds of imports.
        executor=in_process_executor,
    ),
)
