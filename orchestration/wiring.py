"""The resources of the Definitions, wired one way: every field that is a setting is `EnvVar("NAME")`, so the
Dagster UI shows the variable's name, never a URL or a key. Whoever builds Definitions from these first puts its
deployable's resolved settings into the environment (`bidradar.core.settings.as_environment`)."""

from __future__ import annotations

from dagster import EnvVar

from assets.common.resources import (
    AlertsResource,
    BackupResource,
    G2BResource,
    GeminiResource,
    MLflowResource,
    ProfilesResource,
    RetentionResource,
    WarehouseResource,
)


def warehouse_resource() -> WarehouseResource:
    return WarehouseResource(database_url=EnvVar("DATABASE_URL"))


def alerts_resource() -> AlertsResource:
    return AlertsResource(
        slack_bot_token=EnvVar("SLACK_BOT_TOKEN"),
        slack_api_url=EnvVar("SLACK_API_URL"),
        slack_timeout_seconds=EnvVar.int("SLACK_TIMEOUT_SECONDS"),
        dashboard_url=EnvVar("DASHBOARD_URL"),
        ops_slack_channel=EnvVar("OPS_SLACK_CHANNEL"),
        smtp_host=EnvVar("SMTP_HOST"),
        smtp_port=EnvVar.int("SMTP_PORT"),
        smtp_username=EnvVar("SMTP_USERNAME"),
        smtp_password=EnvVar("SMTP_PASSWORD"),
        smtp_from=EnvVar("SMTP_FROM"),
        smtp_starttls=EnvVar("SMTP_STARTTLS"),
    )


def pipeline_resources() -> dict:
    return {
        "warehouse": warehouse_resource(),
        "g2b": G2BResource(
            base_url=EnvVar("G2B_BASE_URL"),
            service_key=EnvVar("G2B_SERVICE_KEY"),
            daily_call_budget=EnvVar.int("G2B_DAILY_CALL_BUDGET"),
        ),
        "profiles": ProfilesResource(folder=EnvVar("PROFILES_DIR"), match_top_k=EnvVar.int("MATCH_TOP_K")),
        "gemini": GeminiResource(
            api_key=EnvVar("GEMINI_API_KEY"),
            base_url=EnvVar("GEMINI_BASE_URL"),
            model=EnvVar("GEMINI_MODEL"),
            timeout_seconds=EnvVar.int("GEMINI_TIMEOUT_SECONDS"),
            daily_token_budget=EnvVar.int("GEMINI_DAILY_TOKEN_BUDGET"),
            analysis_top_k=EnvVar.int("ANALYSIS_TOP_K"),
            masking_secret=EnvVar("MASKING_SECRET"),
            dagster_home=EnvVar("DAGSTER_HOME"),
        ),
        "mlflow": MLflowResource(tracking_uri=EnvVar("MLFLOW_TRACKING_URI")),
        "alerts": alerts_resource(),
        "backups": BackupResource(
            database_url=EnvVar("DATABASE_URL"),
            database_urls=EnvVar("BACKUP_DATABASE_URLS"),
            folder=EnvVar("BACKUP_DIR"),
            keep_daily=EnvVar.int("BACKUP_KEEP_DAILY"),
            keep_weekly=EnvVar.int("BACKUP_KEEP_WEEKLY"),
            slack_bot_token=EnvVar("SLACK_BOT_TOKEN"),
            slack_api_url=EnvVar("SLACK_API_URL"),
            ops_slack_channel=EnvVar("OPS_SLACK_CHANNEL"),
        ),
        "retention": RetentionResource(
            raw_page_days=EnvVar.int("RAW_PAGE_RETENTION_DAYS"),
            superseded_days=EnvVar.int("SUPERSEDED_RETENTION_DAYS"),
        ),
    }
