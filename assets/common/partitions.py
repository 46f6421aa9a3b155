"""Daily partitions in Asia/Seoul: the day a notice or result was registered at G2B."""

from __future__ import annotations

from dagster import BackfillPolicy, DailyPartitionsDefinition

from bidradar.core.clock import TIMEZONE
from bidradar.core.settings import G2BSettings, get_settings

# end_offset=1 makes today's (still growing) partition exist, so the hourly crawl can fill it.
daily_partitions = DailyPartitionsDefinition(
    start_date=get_settings(G2BSettings).g2b_start_date.isoformat(), timezone=TIMEZONE, end_offset=1
)

# A 30-day backfill becomes 3 runs of 10 days: few runs (each pays Dagster's start-up once), yet a failure
# costs at most 10 days of rework. Each day is still written in its own transaction.
ingestion_backfill_policy = BackfillPolicy.multi_run(max_partitions_per_run=10)
