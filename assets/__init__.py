"""Dagster software-defined assets. Assets stay thin: the logic lives in pure functions under bidradar/."""

import warnings

# Dagster warns at import about the APIs below, in every process that loads the definitions (the code server, each
# run, the CLI). We use them on purpose, and the warning is for whoever changes that choice, not the operator:
# - beta: code references (the UI links an asset to its source), backfill_policy (a backfill runs 10 days per run),
#   observable_source_asset (the profiles folder), AssetSelection.all(include_sources=True);
# - superseded: the time-partition freshness checks and their sensor. Their replacement, FreshnessPolicy, judges an
#   asset by its last materialization of any partition, so a backfill of an old day would pass it; ours ask whether
#   yesterday's partition is in by 08:00 (assets/ingestion.py), which FreshnessPolicy cannot say.
# Each is named, so a new beta or superseded API still warns.
for _api in (
    "Class `CodeReferencesMetadataValue`",
    "Class `LocalFileCodeReference`",
    "Function `with_source_code_references`",
    "Parameter `backfill_policy` of function `asset`",
    "Function `observable_source_asset`",
    "Parameter `include_sources` of function `AssetSelection.all`",
    "Function `build_time_partition_freshness_checks`",
    "Function `build_sensor_for_freshness_checks`",
):
    warnings.filterwarnings("ignore", message=f"{_api} is (currently in beta|superseded)")
