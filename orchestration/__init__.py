"""The entry points (the `bidradar` CLI, the Dagster Definitions) and the Dagster plumbing every domain shares
(resources, partitions). Each domain's assets, jobs and schedules live in `assets/<domain>.py`."""
