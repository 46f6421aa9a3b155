"""The migrated warehouse equals bidradar.core.schema, column by column, on SQLite and on PostgreSQL.

A migration that adds, drops or changes a column without the same change in `bidradar/core/schema.py` fails here,
and the failure prints the exact lines to put there. (Reading the database's catalogue is fine in a test; the
product never does it at run time.)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

from bidradar.core import schema, warehouse
from bidradar.core.warehouse import TableWrite, WarehouseWriteError

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class FoundColumn:
    name: str
    declared: str  # the type as the database reports it, e.g. VARCHAR(40), DOUBLE PRECISION, TEXT[]
    nullable: bool
    primary_key: bool
    has_default: bool = False


def declared_affinity(declared: str) -> str:
    """The kind of a declared type name, in the words of schema.affinity."""
    name = declared.upper()
    if name.endswith("[]") or name.startswith("ARRAY"):
        return "array"
    if "BOOL" in name:
        return "boolean"
    if "TIMESTAMP" in name or "DATETIME" in name:
        return "timestamp"
    if name.startswith("DATE"):
        return "date"
    if "INT" in name:
        return "integer"
    if any(word in name for word in ("DOUB", "FLOA", "REAL", "NUMERIC", "DECIMAL")):
        return "real"
    if "BLOB" in name or "BYTEA" in name:
        return "binary"
    if any(word in name for word in ("CHAR", "TEXT", "CLOB")):
        return "text"
    raise AssertionError(f"the test does not know the declared type {declared!r}: teach declared_affinity")


def python_type(declared: str) -> str:
    """How schema.py spells a declared type (for the failure message)."""
    name = declared.upper()
    length = re.search(r"\((\d+)\)", name)
    kind = declared_affinity(declared)
    if kind == "text":
        if name.startswith("VARCHAR") or name.startswith("CHARACTER VARYING"):
            return f"sa.String({length[1]})" if length else "sa.String"
        if name.startswith("CHAR") and length:
            return f"sa.CHAR({length[1]})"
        return "sa.Text"
    if kind == "integer":
        return "sa.BigInteger" if "BIG" in name else "sa.SmallInteger" if "SMALL" in name else "sa.Integer"
    return {
        "real": "sa.Double",
        "boolean": "sa.Boolean",
        "date": "Day",
        "timestamp": "Timestamp",
        "binary": "sa.LargeBinary",
        "array": "postgresql.ARRAY(sa.Text)",
    }[kind]


def column_code(column: FoundColumn) -> str:
    args = [f'"{column.name}"', python_type(column.declared)]
    if column.primary_key:
        args.append("primary_key=True")
    elif not column.nullable:
        args.append("nullable=False")
    return f"sa.Column({', '.join(args)}, comment=<the migration's comment>),"


def found_schema(engine: sa.Engine) -> tuple[dict[str, list[FoundColumn]], set[str]]:
    """{table or view: columns} of a migrated warehouse, and which of them are views."""
    inspector = sa.inspect(engine)
    views = set(inspector.get_view_names())
    found: dict[str, list[FoundColumn]] = {}
    with engine.connect() as conn:
        for name in [*inspector.get_table_names(), *views]:
            if name == "schema_migrations":
                continue
            keys = set() if name in views else set(inspector.get_pk_constraint(name)["constrained_columns"])
            if engine.dialect.name == "sqlite":  # the declared type as written (BYTEA reflects as NullType)
                rows = conn.exec_driver_sql(f"PRAGMA table_info({name})").all()
                found[name] = [
                    FoundColumn(r[1], r[2], not r[3] and r[1] not in keys, r[1] in keys, r[4] is not None) for r in rows
                ]
            else:
                found[name] = [
                    FoundColumn(
                        c["name"], str(c["type"]), bool(c["nullable"]), c["name"] in keys, c.get("default") is not None
                    )
                    for c in inspector.get_columns(name)
                ]
    return found, views


def differences(engine: sa.Engine) -> list[str]:
    """What bidradar/core/schema.py must change to describe this migrated warehouse; [] when it does."""
    dialect = engine.dialect.name
    found, views = found_schema(engine)
    described = {t.name: t for t in schema.tables_of(dialect)}
    problems = []
    for name in sorted(set(found) - set(described)):
        kind = "view" if name in views else "table"
        lines = "\n".join(f"        {column_code(c)}" for c in found[name])
        info = '\n        info={"view": True},' if name in views else ""
        problems.append(
            f"{kind} {name} is in the migrated {dialect} warehouse but not in bidradar/core/schema.py; add:\n"
            f'    {name} = sa.Table(\n        "{name}",\n        metadata,\n{lines}\n'
            f"        comment=<the migration's comment>,{info}\n    )"
        )
    for name in sorted(set(described) - set(found)):
        problems.append(
            f"{name} is in bidradar/core/schema.py but no migration creates it on {dialect}: remove it there, or "
            'mark it info={"dialects": (...)} if it exists on one backend only'
        )
    for name in sorted(set(found) & set(described)):
        table, columns = described[name], {c.name: c for c in found[name]}
        where = f"bidradar/core/schema.py, {name}"
        if schema.is_view(table) != (name in views):
            problems.append(f"{where}: it is a {'view' if name in views else 'table'} in the warehouse")
        for column in found[name]:
            if column.name not in table.c:
                problems.append(f"{where}: add the column of the migration:\n    {column_code(column)}")
        for column in table.columns:
            if column.name not in columns:
                problems.append(f'{where}: the warehouse has no column "{column.name}"; remove it (or add a migration)')
                continue
            have = columns[column.name]
            want_kind, have_kind = schema.affinity(column.type), declared_affinity(have.declared)
            if want_kind != have_kind:
                problems.append(
                    f"{where}.{column.name}: the warehouse holds {have.declared} ({have_kind}), the metadata says "
                    f"{want_kind}; write {python_type(have.declared)}"
                )
            if name in views:  # views report every column nullable and have no key
                continue
            if (column.server_default is not None) != have.has_default and not have.primary_key:
                problems.append(
                    f"{where}.{column.name}: the warehouse gives it {'a' if have.has_default else 'no'} DEFAULT; "
                    + (
                        "add server_default=sa.text(<the migration's default>)"
                        if have.has_default
                        else "drop server_default"
                    )
                )
            if column.primary_key != have.primary_key:
                problems.append(
                    f"{where}.{column.name}: primary_key={have.primary_key} in the warehouse, "
                    f"{column.primary_key} in the metadata"
                )
            elif not have.primary_key and column.nullable != have.nullable:
                fix = "nullable=False" if not have.nullable else "drop nullable=False"
                problems.append(
                    f"{where}.{column.name}: {'NULL' if have.nullable else 'NOT NULL'} in the warehouse; {fix}"
                )
    return problems


def assert_described(engine: sa.Engine) -> None:
    problems = differences(engine)
    assert not problems, (
        f"the migrated {engine.dialect.name} warehouse and bidradar/core/schema.py differ "
        f"({len(problems)}):\n\n" + "\n\n".join(problems)
    )


def test_the_migrated_warehouse_is_the_metadata(migrated_engine: sa.Engine) -> None:
    assert_described(migrated_engine)


def test_a_migration_without_its_metadata_fails_with_the_lines_to_add(tmp_path: Path, database_url: str) -> None:
    """A new migration's table and column, not yet in schema.py: the comparison names both and prints the code."""
    folder = tmp_path / "sql"
    folder.mkdir()
    for path in (ROOT / "sql").glob("*.sql"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "0099_probe.sql").write_text(
        "CREATE TABLE probe_things (thing_id VARCHAR(40) PRIMARY KEY, weight DOUBLE PRECISION NOT NULL);\n"
        "ALTER TABLE hard_matches ADD COLUMN probe_note TEXT;\n"
        "ALTER TABLE soft_matches DROP COLUMN scorer;\n",
        encoding="utf-8",
    )
    engine = warehouse.make_engine(database_url)
    try:
        warehouse.migrate(engine, folder)
        problems = "\n".join(differences(engine))
    finally:
        engine.dispose()
    assert "table probe_things is in the migrated" in problems
    assert 'sa.Column("thing_id", sa.String(40), primary_key=True' in problems
    assert 'sa.Column("weight", sa.Double, nullable=False' in problems
    assert (
        'bidradar/core/schema.py, hard_matches: add the column of the migration:\n    sa.Column("probe_note", sa.Text,'
        in (problems)
    )
    assert 'bidradar/core/schema.py, soft_matches: the warehouse has no column "scorer"' in problems


@pytest.mark.parametrize(
    "declared", ["VARCHAR(40)", "DOUBLE PRECISION", "BYTEA", "TIMESTAMP WITHOUT TIME ZONE", "TEXT[]"]
)
def test_declared_types_map_to_the_metadata_words(declared: str) -> None:
    expected = {
        "VARCHAR(40)": "text",
        "DOUBLE PRECISION": "real",
        "BYTEA": "binary",
        "TIMESTAMP WITHOUT TIME ZONE": "timestamp",
        "TEXT[]": "array",
    }[declared]
    assert declared_affinity(declared) == expected


def test_a_writer_that_drifted_from_the_schema_fails_before_writing(migrated_engine: sa.Engine) -> None:
    """warehouse.write checks each frame against the metadata: an unknown column or a missing NOT NULL one is named
    with the fix, and nothing is written."""
    row = {"table_name": "x", "version": 1, "rows_written": 1, "written_at": dt.datetime(2026, 1, 1)}
    with pytest.raises(
        WarehouseWriteError, match=r"writing table_versions: no column colour .*bidradar/core/schema.py"
    ):
        warehouse.write(
            migrated_engine,
            [TableWrite("table_versions", pl.DataFrame([{**row, "colour": "red"}]), ["table_name"], replace="rows")],
        )
    with pytest.raises(WarehouseWriteError, match=r"lacks the NOT NULL column\(s\) rows_written"):
        without = {k: v for k, v in row.items() if k != "rows_written"}
        warehouse.write(
            migrated_engine, [TableWrite("table_versions", pl.DataFrame([without]), ["table_name"], replace="rows")]
        )
    with pytest.raises(WarehouseWriteError, match=r"bid_results is not a table of bidradar/core/schema\.py"):
        warehouse.write(
            migrated_engine, [TableWrite("bid_results", pl.DataFrame([row]), ["table_name"], replace="rows")]
        )
    assert warehouse.table_counts(migrated_engine, ["table_versions"]) == {"table_versions": 0}
