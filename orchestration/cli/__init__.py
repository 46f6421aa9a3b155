"""The `bidradar` command line, one module per domain (data, serve, pricing, ops) on one Typer app; process
supervision in `supervise`, Dagster runs in `runs`. Every command reads only its deployable's settings."""

from __future__ import annotations

import contextlib

from bidradar.core.settings import CommonSettings, SettingsError, get_settings
from orchestration.cli import data, ops, pricing, serve  # noqa: F401  (each registers its commands on the app)
from orchestration.cli.common import app

__all__ = ["app", "main"]


def _no_flag_placeholders() -> None:
    """Typer 0.29 shows `<bool>` beside every flag (--help, --no-serve) in the help: flags take no value."""
    from typer.core import TyperOption

    typed = TyperOption.display_type_rich

    def display_type_rich(self, ctx):  # type: ignore[no-untyped-def]
        return None if self.is_flag else typed(self, ctx)

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


def main() -> None:
    import logging

    _no_flag_placeholders()
    with contextlib.suppress(SettingsError):  # each command reports a bad setting itself
        logging.basicConfig(level=get_settings(CommonSettings).log_level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # Dagster's instance migrations, not ours
    app()
