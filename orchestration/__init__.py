"""What combines the domains: the `bidradar` CLI (orchestration/cli/), the Dagster Definitions of each deployable and
the wiring of their resources. Each domain's assets, jobs and schedules live in `assets/<domain>.py`, what they share
in `assets/common/`."""
