"""Settings per deployable, read from the environment and an optional `.env` in the working directory.

Each deployable reads only the settings it uses, so a bad value of one never stops another from starting:

  pipeline  PipelineSettings  the Dagster code location, the demo and backfill (everything the assets use)
  api       ApiSettings       `serve-api`: the read-only API and dashboard
  proxy     ProxySettings     `llm-proxy`: the Claude masking proxy
  alerts    AlertsSettings    `alerts-drain`: the outbox and its delivery
  backup    BackupSettings    `backup`, `restore`, `ops-metrics`

They are composed from sections (the warehouse URL and the log level are common to all). Every setting is
documented in `.env.example` and the README. A bad value stops start-up with one line that names the setting and
what it expects (`SettingsError`), never a pydantic traceback.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from functools import lru_cache
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

STATE_DIR = Path(".bidradar")


class SettingsError(Exception):
    """A setting has a bad value; the message is one line meant for a person."""


def _default_database_url() -> str:
    return f"sqlite:///{(STATE_DIR / 'warehouse.db').as_posix()}"


def _default_mlflow_uri() -> str:
    return f"sqlite:///{(STATE_DIR / 'mlflow.db').as_posix()}"


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("an http:// or https:// URL")
    return value


def _absolute(value: Path) -> Path:
    # Relative to where the settings were read: Dagster's run workers may start elsewhere.
    return value if value.is_absolute() else Path.cwd() / value


def _comma_list(value: object) -> object:
    return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value


class _Section(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False)


# ---------------------------------------------------------------------------------------------------------------------
# Sections


class CommonSettings(_Section):
    """What every deployable reads: the warehouse and the log level."""

    database_url: str = Field(
        default_factory=_default_database_url,
        description="SQLAlchemy URL of the warehouse: sqlite:///path or postgresql://user@host:port/db",
    )
    log_level: Annotated[str, NoDecode] = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR")

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        return check_database_url(value)

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("one of DEBUG, INFO, WARNING, ERROR")
        return value


class StateSettings(_Section):
    """The Dagster instance's folder (runs, event logs); the masking key file lies beside it."""

    dagster_home: Path = Field(
        default=STATE_DIR / "dagster", description="folder of the Dagster instance (runs, event logs)"
    )

    @field_validator("dagster_home")
    @classmethod
    def _absolute_dagster_home(cls, value: Path) -> Path:
        return _absolute(value)


class MaskingSettings(StateSettings):
    masking_secret: str = Field(
        default="",
        description="master key of the masking gateway's tokens; empty: a random key in masking.key beside DAGSTER_HOME",
    )


class G2BSettings(_Section):
    g2b_base_url: str = Field(
        default="http://127.0.0.1:8089",
        description="G2B open API host, e.g. http://apis.data.go.kr (the simulator by default)",
    )
    g2b_service_key: str = Field(
        default="bidradar-simulator-key", description="decoded G2B service key from data.go.kr"
    )
    g2b_start_date: dt.date = Field(
        default=dt.date(2026, 1, 1), description="first daily partition of the crawl (YYYY-MM-DD)"
    )
    g2b_daily_call_budget: Annotated[int, Field(ge=1, le=10_000_000)] = Field(
        default=1000,
        description="G2B calls a day per operation (a development key: 1,000), counted for every process in "
        "g2b_call_ledger; calls past it are refused and bidder lists deferred to later runs",
    )
    sim_notices_per_day: Annotated[int, Field(ge=1, le=100_000)] = Field(
        default=1500, description="notices a day the bundled G2B simulator generates"
    )
    sim_seed: int = Field(default=20260101, description="seed of the bundled G2B simulator's generator")

    @field_validator("g2b_base_url")
    @classmethod
    def _check_g2b_url(cls, value: str) -> str:
        return _http_url(value)


class GeminiSettings(_Section):
    gemini_api_key: str = Field(default="", description="Gemini API key; empty means local analyses only")
    gemini_base_url: str = Field(default="", description="Gemini API base URL; empty means Google's default endpoint")
    gemini_model: str = Field(default="gemini-2.5-flash", description="Gemini model of the match analyses")
    gemini_timeout_seconds: Annotated[int, Field(ge=1, le=600)] = Field(
        default=60, description="timeout of one Gemini call, whole seconds"
    )
    gemini_daily_token_budget: Annotated[int, Field(ge=0)] = Field(
        default=500_000, description="Gemini tokens (prompt + output) a day; past it, analyses are local"
    )
    analysis_top_k: Annotated[int, Field(ge=0, le=100)] = Field(
        default=10, description="best matches analysed per Pro company a day (Free plan: none)"
    )

    @field_validator("gemini_base_url")
    @classmethod
    def _check_optional_http_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("empty, or an http:// or https:// URL")
        return value


class MatchingSettings(_Section):
    profiles_dir: Path = Field(default=Path("profiles"), description="folder with one company profile YAML per company")
    match_top_k: Annotated[int, Field(ge=1, le=10_000)] = Field(
        default=50, description="notices kept per company by soft_matches"
    )

    @field_validator("profiles_dir")
    @classmethod
    def _absolute_profiles_dir(cls, value: Path) -> Path:
        return _absolute(value)


class MLflowSettings(_Section):
    mlflow_tracking_uri: str = Field(default_factory=_default_mlflow_uri, description="MLflow tracking store URI")

    @field_validator("mlflow_tracking_uri")
    @classmethod
    def _check_mlflow_uri(cls, value: str) -> str:
        if "://" not in value and not value.startswith(("file:", "/", ".")):
            raise ValueError("a URI such as sqlite:///path/mlflow.db, file:./mlruns or http://host:5000")
        return value


class SlackSettings(_Section):
    slack_bot_token: str = Field(default="", description="Slack bot token (xoxb-...)")
    slack_api_url: str = Field(default="https://slack.com/api/", description="Slack Web API base URL, ending in /api/")
    slack_timeout_seconds: Annotated[int, Field(ge=1, le=120)] = Field(
        default=10,
        description="timeout of one Slack Web API call, whole seconds; after it, the alert is looked up before a resend",
    )
    ops_slack_channel: str = Field(
        default="", description="Slack channel for the run-failure alerts of the operators; empty means none"
    )

    @field_validator("slack_api_url")
    @classmethod
    def _check_slack_url(cls, value: str) -> str:
        return _http_url(value)


class DeliverySettings(SlackSettings):
    """How alerts reach a company: Slack (above), e-mail, and the dashboard they link to."""

    dashboard_url: str = Field(
        default="http://127.0.0.1:8000", description="base URL of the dashboard that alerts link to (no trailing /)"
    )
    smtp_host: str = Field(default="", description="SMTP server for e-mail alerts; empty means no e-mail")
    smtp_port: Annotated[int, Field(ge=1, le=65535)] = Field(default=587, description="SMTP port")
    smtp_username: str = Field(default="", description="SMTP login; empty means no AUTH")
    smtp_password: str = Field(default="", description="SMTP password")
    smtp_from: str = Field(default="bidradar <alerts@bidradar.local>", description="From: of e-mail alerts")
    smtp_starttls: bool = Field(default=True, description="upgrade the SMTP connection with STARTTLS")

    @field_validator("dashboard_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return _http_url(value).rstrip("/")


class BackupSettings(CommonSettings, StateSettings, SlackSettings):
    """`backup`, `restore` and `ops-metrics`."""

    backup_dir: Path = Field(
        default=STATE_DIR / "backups",
        description="folder of the verified PostgreSQL dumps (bidradar backup, backup_job)",
    )
    backup_database_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="PostgreSQL databases to back up, comma-separated URLs; empty: DATABASE_URL only",
    )
    backup_keep_daily: Annotated[int, Field(ge=1, le=365)] = Field(default=7, description="daily backups kept")
    backup_keep_weekly: Annotated[int, Field(ge=0, le=520)] = Field(default=4, description="weekly backups kept")
    ops_metrics_port: Annotated[int, Field(ge=1, le=65535)] = Field(
        default=9108, description="port of `bidradar ops-metrics`, the Prometheus exporter of runs, backups, disk"
    )

    @field_validator("backup_dir")
    @classmethod
    def _absolute_backup_dir(cls, value: Path) -> Path:
        return _absolute(value)

    @field_validator("backup_database_urls", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        value = _comma_list(value)
        for url in value if isinstance(value, list) else []:
            if not str(url).startswith(("postgresql://", "postgresql+psycopg2://", "postgres://")):
                raise ValueError("comma-separated postgresql:// URLs (backups are PostgreSQL only)")
        return value

    @property
    def databases_to_back_up(self) -> list[str]:
        """BACKUP_DATABASE_URLS, else the warehouse (DATABASE_URL)."""
        return self.backup_database_urls or [self.database_url]


class AlertsSettings(CommonSettings, StateSettings, DeliverySettings):
    """`alerts-drain`: find the alerts due and deliver them (Slack, e-mail)."""


class RetentionSettings(_Section):
    """How long the warehouse keeps what it no longer serves (docs/retention.md)."""

    raw_page_retention_days: Annotated[int, Field(ge=0, le=36_500)] = Field(
        default=400,
        description="days of raw G2B pages kept (by partition day); older pages are deleted, the normalized rows "
        "stay. 0 keeps them forever",
    )
    superseded_retention_days: Annotated[int, Field(ge=0, le=36_500)] = Field(
        default=90,
        description="days a superseded Gemini answer (for an older notice revision or profile version, so no "
        "analysis reads it again) is kept. 0 keeps them forever",
    )
    closed_match_retention_days: Annotated[int, Field(ge=0, le=36_500)] = Field(
        default=180,
        description="days a company's match of a closed notice (frozen as last judged while open, shown until the "
        "result) is kept after the notice's opening (its close when no opening time is known). 0 keeps them forever",
    )


# ---------------------------------------------------------------------------------------------------------------------
# Deployables


class PipelineSettings(
    MaskingSettings,
    G2BSettings,
    GeminiSettings,
    MatchingSettings,
    MLflowSettings,
    AlertsSettings,
    BackupSettings,
    RetentionSettings,
):
    """The Dagster code location (every asset, the backup job), `demo`, `backfill`, `pricing-report`, `mask`."""


class ApiSettings(CommonSettings):
    """`serve-api`: the read-only API and dashboard."""

    api_database_url: str = Field(
        default="",
        description="warehouse URL of the read-only API; empty: DATABASE_URL. On PostgreSQL use the read-only role "
        "of migration 0011, e.g. postgresql://bidradar_reader@host:5432/db",
    )
    api_cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="origins allowed to call the API from a browser, comma-separated; empty: none"
    )
    api_rate_limit: str = Field(
        default="600/minute",
        description="requests per client across all routes: per company when signed in (token or session), "
        "else per client address, e.g. 600/minute",
    )
    api_signin_rate_limit: str = Field(
        default="10/minute", description="sign-in attempts per client address (POST /signin), e.g. 10/minute"
    )
    api_trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="addresses or networks (comma-separated) of the reverse proxies in front of the API, whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed; empty: none (the peer address is the client)",
    )
    api_max_body_bytes: Annotated[int, Field(ge=1024, le=10_000_000)] = Field(
        default=16_384, description="largest request body the API accepts (it only needs a sign-in form)"
    )
    api_max_header_bytes: Annotated[int, Field(ge=4096, le=1_000_000)] = Field(
        default=16_384, description="largest request line and headers, together, the API accepts (431 above)"
    )
    api_cookie_secure: bool = Field(
        default=False,
        description="mark the session cookie Secure even over plain HTTP (it is Secure whenever the request came "
        "over HTTPS, directly or from a trusted proxy)",
    )
    api_session_hours: Annotated[int, Field(ge=1, le=24 * 90)] = Field(
        default=7 * 24, description="how long a dashboard session lasts after signing in, hours"
    )

    @field_validator("api_database_url")
    @classmethod
    def _check_api_database_url(cls, value: str) -> str:
        return check_database_url(value) if value else value

    @field_validator("api_cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        value = _comma_list(value)
        for origin in value if isinstance(value, list) else []:
            if not str(origin).startswith(("http://", "https://")) or str(origin).endswith("/"):
                raise ValueError("comma-separated origins such as https://bids.example.co.kr (no trailing /)")
        return value

    @field_validator("api_trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        import ipaddress

        value = _comma_list(value)
        for proxy in value if isinstance(value, list) else []:
            try:
                ipaddress.ip_network(str(proxy), strict=False)
            except ValueError:
                raise ValueError("comma-separated IP addresses or networks, e.g. 172.30.0.10 or 10.0.0.0/8") from None
        return value

    @field_validator("api_rate_limit", "api_signin_rate_limit")
    @classmethod
    def _check_rate_limit(cls, value: str) -> str:
        if not re.fullmatch(r"\d+\s*(/|per)\s*(second|minute|hour|day)", value.strip()):
            raise ValueError("a rate such as 600/minute, 20/second or 10000/day")
        return value.strip()

    @property
    def serving_database_url(self) -> str:
        """The URL the API reads through: API_DATABASE_URL, else DATABASE_URL."""
        return self.api_database_url or self.database_url


class ProxySettings(CommonSettings, MaskingSettings):
    """`llm-proxy`: the Claude masking proxy."""

    anthropic_upstream_url: str = Field(
        default="https://api.anthropic.com", description="where the Claude masking proxy (llm-proxy) forwards to"
    )
    llm_proxy_timeout_seconds: Annotated[float, Field(gt=0, le=3600)] = Field(
        default=600.0, description="llm-proxy: longest wait for the upstream API (a long streamed answer included)"
    )
    llm_proxy_allow_binary: bool = Field(
        default=False, description="llm-proxy: let images and PDFs through unmasked (false: refuse such requests)"
    )
    llm_proxy_audit: bool = Field(
        default=True,
        description="llm-proxy: write an audit row per call into the warehouse (llm_proxy_calls) and keep the keyed hashes"
        " of values masked by context only (llm_proxy_remembered), so they stay masked after a restart",
    )

    @field_validator("anthropic_upstream_url")
    @classmethod
    def _check_upstream_url(cls, value: str) -> str:
        return _http_url(value)


DEPLOYABLES: dict[str, type[CommonSettings]] = {
    "pipeline": PipelineSettings,
    "api": ApiSettings,
    "proxy": ProxySettings,
    "alerts": AlertsSettings,
    "backup": BackupSettings,
}


def all_setting_names() -> list[str]:
    """Every setting of every deployable, upper-case as in the environment."""
    return sorted({name.upper() for kind in DEPLOYABLES.values() for name in kind.model_fields})


def deployables_of(name: str) -> list[str]:
    """Which deployables read the setting NAME."""
    return [deployable for deployable, kind in DEPLOYABLES.items() if name.lower() in kind.model_fields]


def check_database_url(value: str) -> str:
    if not value.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg2://", "postgres://")):
        raise ValueError("a URL starting with sqlite:/// or postgresql://")
    if value.startswith("postgres://"):  # Heroku-style alias that SQLAlchemy refuses
        value = "postgresql://" + value.removeprefix("postgres://")
    path = value.removeprefix("sqlite:///")
    if value.startswith("sqlite:///") and path != ":memory:" and not Path(path).is_absolute():
        # Relative to where the settings were read: Dagster's run workers may start elsewhere.
        value = f"sqlite:///{(Path.cwd() / path).as_posix()}"
    return value


def as_environment(settings: _Section) -> dict[str, str]:
    """The settings as environment variables (resolved: defaults filled, paths absolute), so the processes a
    deployable starts and the resources configured with EnvVar read exactly what it read."""
    out: dict[str, str] = {}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, list):
            text = ",".join(str(v) for v in value)
        elif isinstance(value, dt.date):
            text = value.isoformat()
        else:
            text = str(value)
        out[name.upper()] = text
    return out


SECRET_SETTINGS = {
    "G2B_SERVICE_KEY",
    "GEMINI_API_KEY",
    "SLACK_BOT_TOKEN",
    "MASKING_SECRET",
    "SMTP_PASSWORD",
    "BACKUP_DATABASE_URLS",
}


def redact_url(url: str) -> str:
    """The URL with its password replaced by ***, for messages and logs."""
    parts = urllib.parse.urlsplit(url)
    if parts.password:
        return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))
    return url


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    name = str(first["loc"][0]).upper() if first["loc"] else "settings"
    expected = first["msg"].removeprefix("Value error, ")
    given = first.get("input")
    if name in SECRET_SETTINGS:
        given = None  # never print a key
    elif isinstance(given, str) and "://" in given:
        given = redact_url(given)
    shown = f" (got {given!r})" if isinstance(given, str | int | float) else ""
    return f"setting {name} is invalid{shown}: expected {expected}. Fix it in the environment or in .env."


S = TypeVar("S", bound=_Section)


def load_settings(kind: type[S], **overrides: object) -> S:
    """Read the settings of one deployable; raise SettingsError with one readable line if a value is bad."""
    try:
        return kind(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None


@lru_cache(maxsize=8)
def get_settings(kind: type[S]) -> S:
    """The process-wide settings of a deployable (cached: read once per process)."""
    return load_settings(kind)
