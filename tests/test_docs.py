"""The README and docs/ say what the code does: every setting of every settings class once in the README's table
(and in `.env.example`), no row for a setting that does not exist; every command the README shows exists and
every command that exists is in its table; every repository path a doc names exists; the profile fields documented
are the profile's fields.

Written over what the code declares (every pydantic-settings class in the source, the CLI's Typer app from
pyproject's entry point), so a new settings class or command is checked without changing this file."""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

import pytest
import typer
from pydantic import AliasChoices, BaseModel
from pydantic_settings import BaseSettings

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
SOURCE_PACKAGES = ("bidradar", "orchestration", "serving", "ml", "assets")


def _modules_defining(text: str) -> list[str]:
    """Dotted names of the source modules whose text mentions `text`."""
    found = []
    for package in SOURCE_PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            if text in path.read_text(encoding="utf-8"):
                found.append(".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__"))
    return found


def _settings_classes() -> list[type[BaseSettings]]:
    for module in _modules_defining("BaseSettings"):
        importlib.import_module(module)
    classes, todo = [], list(BaseSettings.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in SOURCE_PACKAGES:
            classes.append(cls)
    return classes


def _env_names(cls: type[BaseSettings]) -> set[str]:
    """The environment variables a settings class reads (its prefix and field names, or the fields' aliases)."""
    prefix = cls.model_config.get("env_prefix", "")
    names = set()
    for name, field in cls.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            continue  # a nested group of settings: its own class is checked
        alias = field.validation_alias or field.alias
        if isinstance(alias, str):
            names.add(alias.upper())
        elif isinstance(alias, AliasChoices):
            names.update(str(choice).upper() for choice in alias.choices if isinstance(choice, str))
        else:
            names.add(f"{prefix}{name}".upper())
    return names


def _all_settings() -> set[str]:
    names = set().union(*(_env_names(cls) for cls in _settings_classes()))
    assert names, "no settings class found in the source"
    return names


def _readme_section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def test_every_setting_is_in_the_readme_table_once_and_no_row_is_stale() -> None:
    rows = re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", _readme_section("Configuration"), re.M)
    settings = _all_settings()
    repeated = sorted({row for row in rows if rows.count(row) > 1})
    assert not repeated, f"settings listed more than once in the README's table: {repeated}"
    assert not settings - set(rows), f"settings missing from the README's table: {sorted(settings - set(rows))}"
    assert not set(rows) - settings, f"README rows for settings that do not exist: {sorted(set(rows) - settings)}"


def test_every_setting_is_in_env_example() -> None:
    env_example = (REPO / ".env.example").read_text(encoding="utf-8")
    written = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", env_example, re.M))
    missing = _all_settings() - written
    assert not missing, f"settings missing from .env.example: {sorted(missing)}"


def _cli_commands() -> set[str]:
    """Every command of the `bidradar` entry point (a sub-app's commands as 'group command')."""
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module = importlib.import_module(scripts["bidradar"].split(":")[0])
    app = getattr(module, "app", None) or next(v for v in vars(module).values() if isinstance(v, typer.Typer))
    group = typer.main.get_command(app)
    names, todo = set(), [("", group)]
    while todo:
        prefix, command = todo.pop()
        for name, sub in getattr(command, "commands", {}).items():
            if getattr(sub, "hidden", False):
                continue
            names.add(f"{prefix}{name}")
            todo.append((f"{prefix}{name} ", sub))
    return names


def _launcher_commands() -> set[str]:
    """Commands `bidradar.sh` handles itself (its `case` labels), e.g. `test`."""
    text = (REPO / "bidradar.sh").read_text(encoding="utf-8")
    return set(re.findall(r"^\s+([a-z][a-z-]*)\)$", text, re.M))


def test_every_command_the_quick_start_shows_exists() -> None:
    shown = re.findall(r"(?:\./bidradar\.sh|bin/bidradar) ([a-z][a-z0-9-]*)", _readme_section("Quick start"))
    assert shown, "the quick start shows no command"
    known = _cli_commands() | _launcher_commands()
    unknown = sorted(set(shown) - known)
    assert not unknown, f"the README's quick start shows commands that do not exist: {unknown}"


def test_the_commands_table_lists_every_command_and_only_those() -> None:
    rows = re.findall(r"^\| `([a-z][a-z0-9 -]*?)(?: [\[-][^`]*)?` \|", _readme_section("Commands"), re.M)
    commands = _cli_commands()
    assert not commands - set(rows), f"commands missing from the README's table: {sorted(commands - set(rows))}"
    assert not set(rows) - commands, f"README rows for commands that do not exist: {sorted(set(rows) - commands)}"


DOCS = sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")])
TOP_LEVEL = sorted(p.name for p in REPO.iterdir() if not p.name.startswith("."))
# A path a doc names in backticks: under a top-level folder of this repository (`tests/kit/`, `sql/0001_x.sql`), or
# any relative path with a slash that ends in a file's extension (`shared/reference/README.md`); a test id's
# `::name` or a `:line` after it is not part of the path.
IN_REPO = r"(?:" + "|".join(re.escape(t) for t in TOP_LEVEL) + r")/[^`\s*?<>{}:]*"
A_FILE = r"[A-Za-z0-9_][^`\s:]*/[^`\s:]*\.(?:py|md|ya?ml|sql|json|toml|sh|png|html|js|css|txt|csv)"
NAMED_PATH = re.compile(rf"`({IN_REPO}|{A_FILE})(?:::[^`]*|:[0-9][^`]*)?`")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_repository_path_a_doc_names_exists(doc: Path) -> None:
    named = NAMED_PATH.findall(doc.read_text(encoding="utf-8"))
    missing = sorted({path for path in named if not _exists(path.rstrip("/.,"))})
    assert not missing, f"{doc.relative_to(REPO)} names paths that do not exist in the repository: {missing}"


def _exists(path: str) -> bool:
    """A path exists; a pattern (`docs/images/dashboard-*.png`) matches at least one file."""
    return any(REPO.glob(path)) if any(c in path for c in "*?[") else (REPO / path).exists()


# A Markdown link or image to a file beside the doc: `[text](alerts.md)`, `![board](images/board.png)`.
RELATIVE_LINK = re.compile(r"!?\[[^\]]*\]\((?!https?:|mailto:|#|/)([^)\s#]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_relative_link_and_image_of_a_doc_exists(doc: Path) -> None:
    targets = RELATIVE_LINK.findall(doc.read_text(encoding="utf-8"))
    missing = sorted({t for t in targets if not (doc.parent / t).exists()})
    assert not missing, f"{doc.relative_to(REPO)} links to files that do not exist: {missing}"


def test_the_link_check_finds_a_missing_image() -> None:
    found = RELATIVE_LINK.findall("![board](images/board.png) [a](alerts.md#x) [b](https://x/y.md) [c](#top)")
    assert found == ["images/board.png", "alerts.md"]


def test_the_documented_profile_fields_are_the_profiles_fields() -> None:
    from bidradar.matching.profiles import CompanyProfile

    table = re.search(
        r"^## Fields\n(.*?)(?=^## )", (REPO / "docs" / "profiles.md").read_text(encoding="utf-8"), re.M | re.S
    )
    assert table
    documented = {row.split(".")[0] for row in re.findall(r"^\| `([a-z_.]+)` \|", table.group(1), re.M)}
    fields = set(CompanyProfile.model_fields)
    assert not documented - fields, f"docs/profiles.md documents fields that do not exist: {documented - fields}"
    assert not fields - documented, f"profile fields missing from docs/profiles.md: {fields - documented}"


# Tables whose first column names one thing per row (a layer, a table, a setting): a name said twice is a stale row.
KEYED_BY_FIRST_COLUMN = {"layer", "table", "setting", "command", "field", "endpoint", "service", "test", "alert"}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_no_table_of_a_doc_repeats_a_row(doc: Path) -> None:
    """A row said twice, or a stale variant of it beside the new one, is a merge left over."""
    repeated = []
    for table in re.split(r"\n(?!\|)", doc.read_text(encoding="utf-8")):
        rows = [line for line in table.splitlines() if line.startswith("|") and set(line) - set("|-: ")]
        if len(rows) < 2:
            continue
        keyed = rows[0].split("|")[1].strip().lower() in KEYED_BY_FIRST_COLUMN
        keys = [row.split("|")[1].strip() if keyed else row for row in rows[1:]]
        repeated += sorted({key[:60] for key in keys if keys.count(key) > 1})
    assert not repeated, f"{doc.relative_to(REPO)} repeats table rows: {repeated}"


def test_every_warehouse_table_is_in_the_architecture_doc() -> None:
    """A new table (a migration and its lines in bidradar/core/schema.py) is described where readers look for it."""
    from bidradar.core import schema

    described = set(re.findall(r"`([a-z_0-9]+)`", (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")))
    missing = sorted(set(schema.metadata.tables) - described)
    assert not missing, f"docs/architecture.md does not describe these warehouse tables: {missing}"


def test_the_readme_leads_to_every_doc() -> None:
    """A doc nobody is pointed to is not read: the README names each of docs/*.md."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    unnamed = sorted(p.name for p in (REPO / "docs").glob("*.md") if f"docs/{p.name}" not in readme)
    assert not unnamed, f"README.md does not point to: {unnamed}"


def test_every_schedule_sensor_and_job_is_named_in_the_docs() -> None:
    """What the daemon starts on its own is what an operator asks about first: each is named in README or docs/."""
    from orchestration import alerts_definitions, definitions

    named = "\n".join(p.read_text(encoding="utf-8") for p in DOCS)
    names = set()
    for defs in (definitions.defs, alerts_definitions.defs):
        names |= {d.name for d in [*defs.schedules, *defs.sensors, *defs.jobs]}
    missing = sorted(n for n in names if f"`{n}`" not in named)
    assert not missing, f"schedules, sensors or jobs no doc names: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_command_a_doc_shows_exists(doc: Path) -> None:
    """Beyond the quick start: `./bidradar.sh x`, `.venv/bin/bidradar x` and `bidradar x` anywhere in the docs."""
    shown = re.findall(r"(?:\./bidradar\.sh|bin/bidradar|`bidradar) ([a-z][a-z0-9-]*)", doc.read_text(encoding="utf-8"))
    unknown = sorted(set(shown) - _cli_commands() - _launcher_commands())
    assert not unknown, f"{doc.relative_to(REPO)} shows commands that do not exist: {unknown}"


def test_the_options_the_commands_table_shows_exist() -> None:
    """`serve-api [--port 8000] [--host H]`: each option a row of the README's table shows is one the command has."""
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module = importlib.import_module(scripts["bidradar"].split(":")[0])
    group = typer.main.get_command(module.app)
    wrong = []
    for name, usage in re.findall(r"^\| `([a-z][a-z0-9-]*)((?: [^`]*)?)` \|", _readme_section("Commands"), re.M):
        options = {o for p in group.commands[name].params for o in [*p.opts, *p.secondary_opts]}
        wrong += [f"{name} {o}" for o in re.findall(r"--[a-z][a-z-]*", usage) if o not in options]
    assert not wrong, f"the README's commands table shows options that do not exist: {wrong}"
