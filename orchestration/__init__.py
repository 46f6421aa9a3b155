"""Dagster code location: Definitions, resources, partitions, schedules and sensors."""
