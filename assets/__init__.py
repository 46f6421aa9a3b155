"""Dagster software-defined assets. Assets stay thin: the logic lives in pure functions under bidradar/."""

import warnings

# Dagster warns at import about the beta APIs below, in every process that loads the definitions (the code server,
# each run, the CLI). We use them on purpose, and the warning is for whoever changes that choice, not the operator:
# - beta: code references (the UI links an asset to its source), backfill_policy (a backfill runs 10 days per run),
#   observable_source_asset (the profiles folder), AssetSelection.all(include_sources=True).
# Each is named, so a new beta or superseded API still warns.
for _api in (
    "Class `CodeReferencesMetadataValue`",
    "Class `LocalFileCodeReference`",
    "Function `with_source_code_references`",
    "Parameter `backfill_policy` of function `asset`",
    "Function `observable_source_asset`",
    "Parameter `include_sources` of function `AssetSelection.all`",
):
    warnings.filterwarnings("ignore", message=f"{_api} is currently in beta")
