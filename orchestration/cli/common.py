"""What every command shares: the Typer app, one-line failures, each deployable's settings, the embedded Dagster
instance, and the parsing of days and whole numbers."""

from __future__ import annotations

import datetime as dt
import os
import socket
from pathlib import Path
from typing import TypeVar

import typer
import yaml
from pydantic_settings import BaseSettings

from bidradar.core.settings import SettingsError, StateSettings, get_settings

app = typer.Typer(
    help="bidradar: G2B (나라장터) notices a company may bid on, explained, and priced.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
REPO_ROOT = Path(__file__).resolve().parents[2]
# The one instance config: the repository's dagster.yaml. The embedded instance uses it without its PostgreSQL
# storage (SQLite files in DAGSTER_HOME instead), so concurrency, run monitoring and retention are the same.
INSTANCE_YAML = REPO_ROOT / "dagster.yaml"
EMBEDDED_HEADER = (
    "# Written by bidradar from the repository's dagster.yaml (without its PostgreSQL storage); edit that.\n"
)

S = TypeVar("S", bound=BaseSettings)


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def load(kind: type[S]) -> S:
    """The settings of this command's deployable; a bad one is one line and exit code 2."""
    try:
        return get_settings(kind)  # type: ignore[type-var]
    except SettingsError as error:
        raise fail(str(error)) from None


def embedded_instance_yaml(log_level: str) -> str:
    config = yaml.safe_load(INSTANCE_YAML.read_text(encoding="utf-8"))
    config.pop("storage", None)
    # The runs' console at LOG_LEVEL (dagster.yaml says why): DEBUG shows each step's events, INFO what a person needs.
    config["python_logs"] = {"python_log_level": log_level}
    return EMBEDDED_HEADER + yaml.safe_dump(config, sort_keys=False)


def prepare_dagster_home(settings: StateSettings, log_level: str) -> Path:
    """Point DAGSTER_HOME at the configured folder. A folder without dagster.yaml, or with one bidradar wrote, gets
    the embedded instance (rewritten, so it follows dagster.yaml); one placed there by an operator is kept."""
    home = settings.dagster_home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text(encoding="utf-8").startswith(EMBEDDED_HEADER):
        text = embedded_instance_yaml(log_level)
        if not config.exists() or config.read_text(encoding="utf-8") != text:
            config.write_text(text, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((host, port)) != 0


def parse_day(value: str | None) -> dt.date | None:
    """A --start/--end value: a calendar day written YYYY-MM-DD, said in our words when it is not one."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a day: write it as YYYY-MM-DD, e.g. 2026-11-20") from None


def whole_number(low: int, high: int, example: str):  # type: ignore[no-untyped-def]
    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise typer.BadParameter(f"'{value}' is not a whole number: use {low}..{high}, e.g. {example}") from None
        if not low <= number <= high:
            raise typer.BadParameter(f"{number} is out of range: use {low}..{high}, e.g. {example}")
        return number

    return parse
