"""Operations of a production install: verified PostgreSQL backups (backup.py) and the metrics Prometheus scrapes
(metrics.py). No Dagster here: assets/maintenance.py and the CLI wrap these functions."""
