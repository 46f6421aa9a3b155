"""What every domain's assets share, below them: the Dagster resources and the daily partitions."""
