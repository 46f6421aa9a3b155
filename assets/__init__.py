"""Dagster software-defined assets. Assets stay thin: the logic lives in pure functions under bidradar/."""
