"""When an asset runs: after the data it reads changed (Dagster's declarative automation), never at a clock offset
from another job. The automation sensor (`follow_the_data`, orchestration/definitions.py) evaluates these."""

from __future__ import annotations

from dagster import AssetSelection, AutomationCondition


def after_inputs_change(only: list[str] | None = None) -> AutomationCondition:
    """Run once after any input (or only the named ones) has a new materialization, when no input is still being
    written and no run of this asset is in progress.

    Unlike Dagster's `eager()`, a missing upstream partition does not block: a whole-table asset (the matches) reads
    every daily partition of the notices, and days never crawled are normal."""
    updated = AutomationCondition.any_deps_updated()
    if only:
        updated = updated.allow(AssetSelection.assets(*only))
    label = f"after {', '.join(only)} change" if only else "after its inputs change"
    return (
        updated.since_last_handled() & ~AutomationCondition.any_deps_in_progress() & ~AutomationCondition.in_progress()
    ).with_label(label)
