"""The alerts deployable (`bidradar alerts-drain`): the outbox and its delivery, started with only its own settings
(AlertsSettings), so a bad G2B or Gemini setting never holds back an alert."""

from __future__ import annotations

import os

from dagster import Definitions, in_process_executor

from assets import alerts
from bidradar.core.settings import AlertsSettings, as_environment, get_settings
from orchestration.wiring import alerts_resource, warehouse_resource

settings = get_settings(AlertsSettings)
os.environ.update(as_environment(settings))

defs = Definitions.merge(
    alerts.defs,
    Definitions(
        resources={"warehouse": warehouse_resource(), "alerts": alerts_resource()},
        executor=in_process_executor,
    ),
)
