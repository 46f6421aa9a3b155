"""Dagster resources, configured one way: every value that is a setting is a field, given by the Definitions as
`EnvVar("NAME")` (so the Dagster UI shows the variable's name, never a URL or a key), and defaulting to that
setting's own default (so a test passes only what it changes). The process that loads the Definitions resolves
the settings once (`bidradar.core.settings.as_environment`), so `.env` and the defaults reach every EnvVar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import polars as pl
from dagster import ConfigurableResource
from pydantic import Field
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bidradar.alerts.deliver import MailTransport, Pacer, SlackTransport, SmtpSettings, slack_client
from bidradar.core import warehouse
from bidradar.core.settings import (
    BackupSettings,
    CommonSettings,
    DeliverySettings,
    G2BSettings,
    GeminiSettings,
    MaskingSettings,
    MatchingSettings,
    MLflowSettings,
    RetentionSettings,
)
from bidradar.ingestion.client import G2BClient
from bidradar.ingestion.ledger import CallLedger
from bidradar.masking.gateway import LLMGateway
from bidradar.masking.keys import master_secret
from bidradar.ops.backup import BackupReport, post_report, run_backup


def setting(section: type, name: str, description: str | None = None):  # type: ignore[no-untyped-def]
    """A resource field whose default and description are the setting's own (one home for both)."""
    field = section.model_fields[name]
    default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
    if isinstance(default, Path):
        default = str(default)
    elif isinstance(default, bool):
        default = "true" if default else "false"
    elif isinstance(default, list):  # a comma-separated setting
        default = ",".join(default)
    return Field(default=default, description=f"{name.upper()}: {description or field.description}")


@lru_cache(maxsize=8)
def _engine_for(database_url: str) -> Engine:
    return warehouse.make_engine(database_url)


class WarehouseResource(ConfigurableResource):
    """The warehouse (SQLite or PostgreSQL): connections and the idempotent write of one partition."""

    database_url: str = setting(CommonSettings, "database_url")

    @property
    def url(self) -> str:
        return self.database_url

    @property
    def engine(self) -> Engine:
        return _engine_for(self.database_url)

    def write(
        self, writes: Sequence[warehouse.TableWrite], partition_date: dt.date | None = None
    ) -> list[warehouse.WriteReport]:
        """Write the given tables in one transaction, locked per table and partition (see warehouse.write)."""
        return warehouse.write(self.engine, writes, partition_date)

    def read_frame(self, query: str, params: dict | None = None, schema: dict | None = None) -> pl.DataFrame:
        return warehouse.read_frame(self.engine, query, params, schema)


class G2BResource(ConfigurableResource):
    """The G2B open API client."""

    base_url: str = setting(G2BSettings, "g2b_base_url")
    service_key: str = setting(G2BSettings, "g2b_service_key")
    daily_call_budget: int = setting(G2BSettings, "g2b_daily_call_budget")
    timeout_seconds: float = Field(default=30.0, description="per request")
    max_attempts: int = Field(default=5, description="tries per page on transient errors")
    backoff_initial_seconds: float = Field(default=1.0, description="first retry wait; doubles, with jitter")

    @property
    def call_budget(self) -> int:
        return self.daily_call_budget

    def ledger(self, engine: Engine) -> CallLedger:
        """The warehouse's G2B call ledger under this key's daily budget."""
        return CallLedger(engine, self.call_budget)

    def client(self, ledger: CallLedger | None = None) -> G2BClient:
        """A client; with a `ledger`, every call is counted in it first and refused past the day's budget."""
        return G2BClient(
            self.base_url,
            self.service_key,
            timeout=self.timeout_seconds,
            max_attempts=self.max_attempts,
            backoff_initial=self.backoff_initial_seconds,
            on_call=ledger.spend if ledger is not None else None,
            on_quota_exceeded=ledger.exhausted if ledger is not None else None,
        )


class ProfilesResource(ConfigurableResource):
    """The folder of company profile YAML files."""

    folder: str = setting(MatchingSettings, "profiles_dir")
    match_top_k: int = setting(MatchingSettings, "match_top_k")

    @property
    def path(self) -> Path:
        return Path(self.folder)

    @property
    def top_k(self) -> int:
        return self.match_top_k


class GeminiResource(ConfigurableResource):
    """Gemini through the masking gateway (no API key: local analyses)."""

    api_key: str = setting(GeminiSettings, "gemini_api_key")
    base_url: str = setting(GeminiSettings, "gemini_base_url")
    model: str = setting(GeminiSettings, "gemini_model")
    timeout_seconds: int = setting(GeminiSettings, "gemini_timeout_seconds")
    daily_token_budget: int = setting(GeminiSettings, "gemini_daily_token_budget")
    analysis_top_k: int = setting(GeminiSettings, "analysis_top_k")
    masking_secret: str = setting(MaskingSettings, "masking_secret")
    dagster_home: str = setting(MaskingSettings, "dagster_home", "the masking key file lies beside this folder")
    max_attempts: int = Field(default=4, description="tries per call on 429, 5xx and timeouts")

    @property
    def top_k(self) -> int:
        return self.analysis_top_k

    @property
    def masking_master_secret(self) -> bytes:
        """The master key of the masking tokens (MASKING_SECRET, or the key file beside DAGSTER_HOME)."""
        return master_secret(MaskingSettings(masking_secret=self.masking_secret, dagster_home=Path(self.dagster_home)))

    @property
    def resolved_model(self) -> str:
        return self.model

    @property
    def budget(self) -> int:
        return self.daily_token_budget

    def gateway(self, company_id: str, key: bytes, secrets: list[str], audit) -> LLMGateway | None:  # type: ignore[no-untyped-def]
        """The gateway for one company, or None when there is no API key."""
        if not self.api_key:
            return None
        return LLMGateway.from_api_key(
            self.api_key,
            base_url=self.base_url or None,
            timeout_ms=self.timeout_seconds * 1000,
            company=company_id,
            key=key,
            secrets=secrets,
            audit=audit,
            model=self.model,
            max_attempts=self.max_attempts,
        )


class MLflowResource(ConfigurableResource):
    """Where the price model's runs and registered versions live."""

    tracking_uri: str = setting(MLflowSettings, "mlflow_tracking_uri")

    @property
    def uri(self) -> str:
        return self.tracking_uri


class AlertsResource(ConfigurableResource):
    """Slack and SMTP for the alerts (no Slack token: no Slack; no SMTP host: no e-mail)."""

    slack_bot_token: str = setting(DeliverySettings, "slack_bot_token")
    slack_api_url: str = setting(DeliverySettings, "slack_api_url")
    slack_timeout_seconds: int = setting(DeliverySettings, "slack_timeout_seconds")
    dashboard_url: str = setting(DeliverySettings, "dashboard_url")
    ops_slack_channel: str = setting(DeliverySettings, "ops_slack_channel")
    smtp_host: str = setting(DeliverySettings, "smtp_host")
    smtp_port: int = setting(DeliverySettings, "smtp_port")
    smtp_username: str = setting(DeliverySettings, "smtp_username")
    smtp_password: str = setting(DeliverySettings, "smtp_password")
    smtp_from: str = setting(DeliverySettings, "smtp_from")
    # Text, because EnvVar carries text and ints only: "true" or "false", as SMTP_STARTTLS was checked to be.
    smtp_starttls: str = setting(DeliverySettings, "smtp_starttls")
    per_channel_interval_seconds: float = Field(default=1.0, description="at most one message per channel this often")

    @property
    def dashboard(self) -> str:
        return self.dashboard_url.rstrip("/")

    def _slack(self) -> WebClient | None:
        return (
            slack_client(self.slack_bot_token, self.slack_api_url, self.slack_timeout_seconds)
            if self.slack_bot_token
            else None
        )

    def slack_transport(self) -> SlackTransport | None:
        client = self._slack()
        return SlackTransport(client, pacer=Pacer(self.per_channel_interval_seconds)) if client else None

    @property
    def ops_channel(self) -> str:
        return self.ops_slack_channel

    def ops_client(self) -> WebClient | None:
        """The Slack client of the operators' alerts, or None without a channel or a token."""
        return self._slack() if self.ops_slack_channel else None

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host)

    def mail_transport(self) -> MailTransport | None:
        if not self.email_enabled:
            return None
        return MailTransport(
            SmtpSettings(
                host=self.smtp_host,
                port=self.smtp_port,
                sender=self.smtp_from,
                username=self.smtp_username,
                password=self.smtp_password,
                starttls=self.smtp_starttls.strip().lower() in {"true", "1", "yes", "on"},
            )
        )


class BackupResource(ConfigurableResource):
    """Where and what the nightly backup dumps, and where it reports."""

    database_url: str = setting(CommonSettings, "database_url")
    database_urls: str = setting(BackupSettings, "backup_database_urls", "comma-separated; empty: DATABASE_URL")
    folder: str = setting(BackupSettings, "backup_dir")
    keep_daily: int = setting(BackupSettings, "backup_keep_daily")
    keep_weekly: int = setting(BackupSettings, "backup_keep_weekly")
    slack_bot_token: str = setting(BackupSettings, "slack_bot_token")
    slack_api_url: str = setting(BackupSettings, "slack_api_url")
    ops_slack_channel: str = setting(BackupSettings, "ops_slack_channel")

    @property
    def databases(self) -> list[str]:
        """BACKUP_DATABASE_URLS, else the warehouse."""
        return [u.strip() for u in self.database_urls.split(",") if u.strip()] or [self.database_url]

    def run(self) -> list[BackupReport]:
        """Dump, prove and rotate each database; never raises per database."""
        folder = Path(self.folder)
        return [run_backup(url, folder, self.keep_daily, self.keep_weekly) for url in self.databases]

    def report(self, text: str) -> bool:
        """Post to the ops channel; False when no Slack token or channel is set."""
        return post_report(text, self.slack_bot_token, self.ops_slack_channel, self.slack_api_url)


class RetentionResource(ConfigurableResource):
    """How long raw pages and superseded rows are kept (0: forever)."""

    raw_page_days: int = setting(RetentionSettings, "raw_page_retention_days")
    superseded_days: int = setting(RetentionSettings, "superseded_retention_days")
    closed_match_days: int = setting(RetentionSettings, "closed_match_retention_days")
