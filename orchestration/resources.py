"""Dagster resources. They read connection details from the settings at run time, so no URL or key is
shown in the Dagster UI; tests pass explicit values instead."""

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
from bidradar.core.settings import get_settings
from bidradar.ingestion.client import G2BClient
from bidradar.ingestion.ledger import CallLedger
from bidradar.masking.gateway import LLMGateway
from bidradar.masking.keys import master_secret
from bidradar.ops.backup import BackupReport, post_report, run_backup


@lru_cache(maxsize=8)
def _engine_for(database_url: str) -> Engine:
    return warehouse.make_engine(database_url)


class WarehouseResource(ConfigurableResource):
    """The warehouse (SQLite or PostgreSQL): connections and the idempotent write of one partition."""

    database_url: str | None = Field(default=None, description="SQLAlchemy URL; empty means the DATABASE_URL setting")

    @property
    def url(self) -> str:
        return self.database_url or get_settings().database_url

    @property
    def engine(self) -> Engine:
        return _engine_for(self.url)

    def write(
        self, writes: Sequence[warehouse.TableWrite], partition_date: dt.date | None = None
    ) -> list[warehouse.WriteReport]:
        """Write the given tables in one transaction, locked per table and partition (see warehouse.write)."""
        return warehouse.write(self.engine, writes, partition_date)

    def read_frame(self, query: str, params: dict | None = None, schema: dict | None = None) -> pl.DataFrame:
        return warehouse.read_frame(self.engine, query, params, schema)


class G2BResource(ConfigurableResource):
    """The G2B open API client settings; the base URL and key default to G2B_BASE_URL and G2B_SERVICE_KEY."""

    base_url: str | None = Field(default=None, description="empty means the G2B_BASE_URL setting")
    service_key: str | None = Field(default=None, description="empty means the G2B_SERVICE_KEY setting")
    timeout_seconds: float = Field(default=30.0, description="per request")
    max_attempts: int = Field(default=5, description="tries per page on transient errors")
    backoff_initial_seconds: float = Field(default=1.0, description="first retry wait; doubles, with jitter")
    daily_call_budget: int | None = Field(
        default=None, description="calls a day per operation; empty means the G2B_DAILY_CALL_BUDGET setting"
    )

    @property
    def call_budget(self) -> int:
        return self.daily_call_budget if self.daily_call_budget is not None else get_settings().g2b_daily_call_budget

    def ledger(self, engine: Engine) -> CallLedger:
        """The warehouse's G2B call ledger under this key's daily budget."""
        return CallLedger(engine, self.call_budget)

    def client(self, ledger: CallLedger | None = None) -> G2BClient:
        """A client; with a `ledger`, every call is counted in it first and refused past the day's budget."""
        settings = get_settings()
        return G2BClient(
            self.base_url or settings.g2b_base_url,
            self.service_key if self.service_key is not None else settings.g2b_service_key,
            timeout=self.timeout_seconds,
            max_attempts=self.max_attempts,
            backoff_initial=self.backoff_initial_seconds,
            on_call=ledger.spend if ledger is not None else None,
            on_quota_exceeded=ledger.exhausted if ledger is not None else None,
        )


class ProfilesResource(ConfigurableResource):
    """The folder of company profile YAML files; empty means the PROFILES_DIR setting."""

    folder: str | None = Field(default=None, description="path of the profiles folder; empty means PROFILES_DIR")
    match_top_k: int | None = Field(default=None, description="notices kept per company; empty means MATCH_TOP_K")

    @property
    def path(self) -> Path:
        return Path(self.folder) if self.folder else get_settings().profiles_dir

    @property
    def top_k(self) -> int:
        return self.match_top_k if self.match_top_k is not None else get_settings().match_top_k


class GeminiResource(ConfigurableResource):
    """Gemini through the masking gateway; every field empty means its setting (GEMINI_API_KEY, ...)."""

    api_key: str | None = Field(default=None, description="empty means GEMINI_API_KEY (and no key: local analyses)")
    base_url: str | None = Field(default=None, description="empty means GEMINI_BASE_URL")
    model: str | None = Field(default=None, description="empty means GEMINI_MODEL")
    daily_token_budget: int | None = Field(default=None, description="empty means GEMINI_DAILY_TOKEN_BUDGET")
    analysis_top_k: int | None = Field(
        default=None, description="best matches analysed per Pro company; empty means ANALYSIS_TOP_K"
    )
    max_attempts: int = Field(default=4, description="tries per call on 429, 5xx and timeouts")

    @property
    def top_k(self) -> int:
        return self.analysis_top_k if self.analysis_top_k is not None else get_settings().analysis_top_k

    @property
    def masking_master_secret(self) -> bytes:
        """The master key of the masking tokens (MASKING_SECRET, or the key file beside DAGSTER_HOME)."""
        return master_secret(get_settings())

    @property
    def resolved_model(self) -> str:
        return self.model or get_settings().gemini_model

    @property
    def budget(self) -> int:
        return (
            self.daily_token_budget if self.daily_token_budget is not None else get_settings().gemini_daily_token_budget
        )

    def gateway(self, company_id: str, key: bytes, secrets: list[str], audit) -> LLMGateway | None:  # type: ignore[no-untyped-def]
        """The gateway for one company, or None when there is no API key."""
        settings = get_settings()
        api_key = self.api_key if self.api_key is not None else settings.gemini_api_key
        if not api_key:
            return None
        return LLMGateway.from_api_key(
            api_key,
            base_url=(self.base_url if self.base_url is not None else settings.gemini_base_url) or None,
            timeout_ms=int(settings.gemini_timeout_seconds * 1000),
            company=company_id,
            key=key,
            secrets=secrets,
            audit=audit,
            model=self.resolved_model,
            max_attempts=self.max_attempts,
        )


class MLflowResource(ConfigurableResource):
    """Where the price model's runs and registered versions live; empty means the MLFLOW_TRACKING_URI setting."""

    tracking_uri: str | None = Field(default=None, description="empty means MLFLOW_TRACKING_URI")

    @property
    def uri(self) -> str:
        return self.tracking_uri or get_settings().mlflow_tracking_uri


class AlertsResource(ConfigurableResource):
    """Slack and SMTP for the alerts; every field empty means its setting (SLACK_BOT_TOKEN, SLACK_API_URL, SMTP_*)."""

    slack_bot_token: str | None = Field(default=None, description="empty means SLACK_BOT_TOKEN (and none: no Slack)")
    slack_api_url: str | None = Field(default=None, description="empty means SLACK_API_URL")
    dashboard_url: str | None = Field(default=None, description="empty means DASHBOARD_URL")
    smtp_host: str | None = Field(default=None, description="empty means SMTP_HOST (and none: no e-mail)")
    smtp_port: int | None = Field(default=None, description="empty means SMTP_PORT")
    smtp_starttls: bool | None = Field(default=None, description="empty means SMTP_STARTTLS")
    ops_slack_channel: str | None = Field(default=None, description="empty means OPS_SLACK_CHANNEL")
    per_channel_interval_seconds: float = Field(default=1.0, description="at most one message per channel this often")

    def _pick(self, value, setting):  # type: ignore[no-untyped-def]
        return value if value is not None else setting

    @property
    def dashboard(self) -> str:
        return self._pick(self.dashboard_url, get_settings().dashboard_url).rstrip("/")

    def slack_transport(self) -> SlackTransport | None:
        settings = get_settings()
        token = self._pick(self.slack_bot_token, settings.slack_bot_token)
        if not token:
            return None
        client = slack_client(
            token, self._pick(self.slack_api_url, settings.slack_api_url), settings.slack_timeout_seconds
        )
        return SlackTransport(client, pacer=Pacer(self.per_channel_interval_seconds))

    @property
    def ops_channel(self) -> str:
        return self._pick(self.ops_slack_channel, get_settings().ops_slack_channel)

    def ops_client(self) -> WebClient | None:
        """The Slack client of the operators' alerts, or None without a channel or a token."""
        settings = get_settings()
        token = self._pick(self.slack_bot_token, settings.slack_bot_token)
        if not token or not self.ops_channel:
            return None
        return slack_client(
            token, self._pick(self.slack_api_url, settings.slack_api_url), settings.slack_timeout_seconds
        )

    @property
    def email_enabled(self) -> bool:
        return bool(self._pick(self.smtp_host, get_settings().smtp_host))

    def mail_transport(self) -> MailTransport | None:
        settings = get_settings()
        if not self.email_enabled:
            return None
        return MailTransport(
            SmtpSettings(
                host=self._pick(self.smtp_host, settings.smtp_host),
                port=self._pick(self.smtp_port, settings.smtp_port),
                sender=settings.smtp_from,
                username=settings.smtp_username,
                password=settings.smtp_password,
                starttls=self._pick(self.smtp_starttls, settings.smtp_starttls),
            )
        )


class BackupResource(ConfigurableResource):
    """Where and what the nightly backup dumps, and where it reports; every field empty means its setting
    (BACKUP_DIR, BACKUP_DATABASE_URLS, BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY, OPS_SLACK_CHANNEL)."""

    folder: str | None = Field(default=None, description="folder of the dumps; empty means BACKUP_DIR")
    keep_daily: int | None = Field(default=None, description="empty means BACKUP_KEEP_DAILY")
    keep_weekly: int | None = Field(default=None, description="empty means BACKUP_KEEP_WEEKLY")
    ops_channel: str | None = Field(default=None, description="empty means OPS_SLACK_CHANNEL")

    def run(self) -> list[BackupReport]:
        """Dump, prove and rotate each database (BACKUP_DATABASE_URLS, else DATABASE_URL); never raises per database."""
        settings = get_settings()
        folder = Path(self.folder) if self.folder else settings.backup_dir
        daily = self.keep_daily if self.keep_daily is not None else settings.backup_keep_daily
        weekly = self.keep_weekly if self.keep_weekly is not None else settings.backup_keep_weekly
        return [run_backup(url, folder, daily, weekly) for url in settings.databases_to_back_up]

    def report(self, text: str) -> bool:
        """Post to the ops channel; False when no Slack token or channel is set."""
        settings = get_settings()
        channel = self.ops_channel if self.ops_channel is not None else settings.ops_slack_channel
        return post_report(text, settings.slack_bot_token, channel, settings.slack_api_url)
