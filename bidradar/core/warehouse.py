"""The warehouse: one schema (the numbered migrations in `sql/`) on SQLite or PostgreSQL.

Everything that touches the warehouse goes through this module: engines, migrations, the idempotent write
of one partition, and typed reads into polars.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl
import sqlalchemy as sa
import tenacity
from sqlalchemy.engine import Connection, Engine

from bidradar.core import schema

MIGRATION_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+?)(?:\.(?P<dialect>sqlite|postgresql))?\.sql$")


class WarehouseWriteError(Exception):
    """Rows could not be written; the transaction was rolled back. The message names the table."""


@dataclass(frozen=True)
class CheckFailure:
    """One blocking check that failed on the rows about to be written: its name, what it guards, what it found."""

    check: str
    description: str
    found: str

    def __str__(self) -> str:
        return f"{self.check} ({self.description}) failed: {self.found}"


class WarehouseUnavailable(Exception):
    """The warehouse's connection was lost (terminated, server restarting or gone) and stayed lost through the
    retries. One line that names the database, never the driver's exception."""


class PartitionChecksFailed(WarehouseWriteError):
    """A blocking check failed on the frame inside the write's transaction: nothing of the write was committed."""

    def __init__(self, table: str, partition_date: dt.date | None, failures: Sequence[CheckFailure]):
        where = f"{table} {partition_date}" if partition_date else table
        super().__init__(f"{where} was not written: " + "; ".join(str(f) for f in failures))
        self.table, self.partition_date, self.failures = table, partition_date, list(failures)


class StaleWrite(WarehouseWriteError):
    """The table moved on since the writer read it (TableWrite.expected_version): read again and re-plan."""


class MigrationError(Exception):
    """A migration cannot be applied; the message names the file and what to do."""


def sql_dir() -> Path:
    """The migrations folder: `sql/` of the checkout, or the copy packed into an installed wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parents[1] / "sql", here.parent / "_sql"):
        if candidate.is_dir():
            return candidate
    raise MigrationError(f"no migrations folder found next to {here}; reinstall bidradar")


# ---------------------------------------------------------------------------------------------------------------------
# Engines


def _set_wal(cursor) -> None:  # type: ignore[no-untyped-def]
    """Switch a SQLite file to WAL once. Changing the journal mode needs the file to itself and SQLite answers
    "database is locked" at once, without its busy timeout, while another process migrates it: wait as that
    timeout would (30 s), and skip the switch when the file is in WAL already."""
    deadline = time.monotonic() + 30
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def make_engine(database_url: str) -> Engine:
    """An engine for the warehouse URL; SQLite files get their folder, WAL and a busy timeout."""
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(database_url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            # Python's sqlite3 commits DDL on its own; take over transactions so a migration or a partition
            # write is all or nothing (SQLAlchemy's documented pysqlite recipe).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            # WAL lets the API read while a partition is being written; NORMAL is safe with WAL.
            _set_wal(cursor)
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
            # Writers take the write lock up front (IMMEDIATE): a deferred transaction that reads first and then
            # writes can fail with "database is locked" instead of waiting when another writer holds it.
            conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))

        return engine
    return sa.create_engine(sqlalchemy_url(database_url), pool_pre_ping=True)


def sqlalchemy_url(database_url: str) -> str:
    """Pin PostgreSQL to psycopg2 (the driver dagster-postgres already brings; SQLAlchemy 2.1 would pick psycopg 3)."""
    return database_url.replace("postgresql://", "postgresql+psycopg2://", 1)


def dialect_of(engine: Engine | Connection) -> str:
    return engine.dialect.name  # "sqlite" or "postgresql"


# ---------------------------------------------------------------------------------------------------------------------
# Migrations


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def discover_migrations(dialect: str, folder: Path | None = None) -> list[Migration]:
    """The migrations for one dialect, in order: `NNNN_name.sql`, or `NNNN_name.<dialect>.sql` where they differ."""
    folder = folder or sql_dir()
    by_version: dict[str, dict[str | None, Path]] = {}
    names: dict[str, str] = {}
    for path in sorted(folder.glob("*.sql")):
        match = MIGRATION_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path}: migration files are named NNNN_name.sql or NNNN_name.<dialect>.sql")
        version, name = match["version"], match["name"]
        if names.setdefault(version, name) != name:
            raise MigrationError(f"{path}: version {version} is already used by {names[version]}")
        by_version.setdefault(version, {})[match["dialect"]] = path
    migrations = []
    for version in sorted(by_version):
        variants = by_version[version]
        if None in variants and len(variants) > 1:
            raise MigrationError(f"migration {version}: keep either one portable file or one file per dialect")
        path = variants.get(None) or variants.get(dialect)
        if path is None:
            raise MigrationError(f"migration {version} has no file for {dialect}: add {version}_*.{dialect}.sql")
        migrations.append(Migration(version, names[version], path))
    return migrations


def split_statements(sql: str) -> list[str]:
    """Split a migration into statements at semicolons that end a line (migrations keep `;` out of literals)."""
    without_comments = "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--"))
    return [part.strip() for part in re.split(r";\s*(?:\n|$)", without_comments) if part.strip()]


_LEDGER = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version VARCHAR(4) PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    checksum CHAR(64) NOT NULL,
    applied_at TIMESTAMP NOT NULL
)"""


@dataclass(frozen=True)
class MigrationReport:
    applied: list[str]
    already_applied: list[str]


_MIGRATE_LOCK = "SELECT pg_advisory_{}(hashtextextended('bidradar:migrate', 0))"


def migrate(engine: Engine, folder: Path | None = None) -> MigrationReport:
    """Apply pending migrations in order, each in its own transaction; refuse if an applied one was edited.

    Two services starting at once must not both apply a migration (the second failed with "relation already
    exists", which looks like a broken migration): on PostgreSQL the whole run holds a session advisory lock, on
    SQLite each transaction is EXCLUSIVE and checks the ledger again. The second waits, then finds nothing to do."""
    migrations = discover_migrations(dialect_of(engine), folder)
    postgres = dialect_of(engine) == "postgresql"
    with engine.connect().execution_options(sqlite_begin="BEGIN EXCLUSIVE") as conn:
        if postgres:
            conn.exec_driver_sql(_MIGRATE_LOCK.format("lock"))
            conn.commit()  # the session lock outlives this transaction; it is released below
        try:
            return _migrate_locked(conn, migrations)
        finally:
            if postgres:
                conn.rollback()
                conn.exec_driver_sql(_MIGRATE_LOCK.format("unlock"))
                conn.commit()


def _applied_migrations(conn: Connection) -> dict[str, sa.Row]:
    rows = conn.execute(sa.text("SELECT version, name, checksum FROM schema_migrations"))
    return {row.version: row for row in rows}


class _ClusterCatalogRace(Exception):
    """PostgreSQL's "tuple concurrently updated": a role is cluster-wide (ALTER ROLE, GRANT), and the advisory lock
    is per database, so two databases of one server migrating at once can collide there. The transaction was
    rolled back and is safe to run again."""


def _apply(conn: Connection, migration: Migration) -> bool:
    """Apply one migration in its own transaction; False when another process applied it meanwhile (SQLite)."""
    with conn.begin():
        if migration.version in _applied_migrations(conn):
            return False
        for statement in split_statements(migration.sql):
            try:
                conn.exec_driver_sql(statement)
            except sa.exc.DBAPIError as error:
                first_line = str(error.orig).strip().splitlines()[0]
                if first_line == "tuple concurrently updated":
                    raise _ClusterCatalogRace(first_line) from None
                raise MigrationError(f"{migration.path.name} failed and was rolled back: {first_line}") from None
        conn.execute(
            sa.text("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (:v, :n, :c, :t)"),
            {"v": migration.version, "n": migration.name, "c": migration.checksum, "t": dt.datetime.now(dt.UTC)},
        )
    return True


def _migrate_locked(conn: Connection, migrations: list[Migration]) -> MigrationReport:
    with conn.begin():
        conn.exec_driver_sql(_LEDGER)
        applied = _applied_migrations(conn)
    for migration in migrations:
        recorded = applied.get(migration.version)
        if recorded is not None and recorded.checksum != migration.checksum:
            raise MigrationError(
                f"{migration.path.name} was edited after it was applied (checksum {recorded.checksum[:12]} in the "
                f"warehouse, {migration.checksum[:12]} on disk). Restore the file and add a new numbered migration "
                "for the change."
            )
    done = [m for m in migrations if m.version in applied]
    applied_now = []
    for migration in (m for m in migrations if m.version not in applied):
        for attempt in range(1, 4):
            try:
                if _apply(conn, migration):
                    applied_now.append(migration)
                else:
                    done.append(migration)
                break
            except _ClusterCatalogRace:
                if attempt == 3:
                    raise MigrationError(
                        f"{migration.path.name} failed and was rolled back three times: another database of this "
                        "PostgreSQL server kept changing the same role at the same moment; run `bidradar migrate` "
                        "again"
                    ) from None
                time.sleep(0.2 * attempt)
    done.sort(key=lambda m: m.version)
    return MigrationReport(applied=[m.path.name for m in applied_now], already_applied=[m.path.name for m in done])


# ---------------------------------------------------------------------------------------------------------------------
# Lost connections: a terminated backend (pg_terminate_backend, a restart, a failover) fails the statement under way;
# a write is one transaction and idempotent, so the whole of it runs again on a new connection.

RETRY_ATTEMPTS = 4
_UNREACHABLE = re.compile(
    r"could not connect|connection refused|the database system is (starting up|shutting down|in recovery mode)"
    r"|terminating connection|server closed the connection|connection already closed|SSL connection has been closed",
    re.IGNORECASE,
)


def is_lost_connection(error: BaseException) -> bool:
    """The error, or one it was raised from, is a lost or refused connection (not a bad statement)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, sa.exc.DBAPIError) and seen.connection_invalidated:
            return True
        if type(seen).__name__ in ("OperationalError", "InterfaceError") and _UNREACHABLE.search(str(seen)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def describe_database(engine: Engine | Connection) -> str:
    url = engine.engine.url if isinstance(engine, Connection) else engine.url
    if url.get_backend_name() == "sqlite":
        return f"the SQLite warehouse {url.database}"
    return f"the PostgreSQL database {url.database} on {url.host or 'localhost'}:{url.port or 5432}"


def with_retries(engine: Engine, action: str, function, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Run `function` again (backing off) while its connection is lost; then raise WarehouseUnavailable."""
    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(is_lost_connection),
        wait=tenacity.wait_exponential_jitter(initial=0.5, max=8),
        stop=tenacity.stop_after_attempt(RETRY_ATTEMPTS),
        reraise=True,
    )
    try:
        return retrying(function, *args, **kwargs)
    except Exception as error:
        if not is_lost_connection(error):
            raise
        cause = getattr(error, "orig", None) or error.__cause__ or error
        first = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        raise WarehouseUnavailable(
            f"{action} failed: the connection to {describe_database(engine)} was lost {RETRY_ATTEMPTS} times "
            f'("{first}"); check that the database is up (DATABASE_URL), then re-run'
        ) from None


# ---------------------------------------------------------------------------------------------------------------------
# Writes


Replace = Literal["partition", "table", "rows", "keys"]


@dataclass(frozen=True)
class TableWrite:
    """One table's share of a write.

    `replace` says what the write owns: "partition" (the rows of `partition_date`, narrowed by `scope`), "table"
    (every row: a whole-table result such as the matches), "rows" (only the rows it brings: append-only tables)
    or "keys" (the rows whose column is one of `delete_keys[column]`, any column: an incremental whole-table
    result, such as the hard matches of the notices and companies that changed).
    Rows are upserted by `key`; with `newer_column`, an existing newer row is kept. `checks` are the blocking
    checks of what is written: run on the frame inside the write's transaction, any failure rolls it all back."""

    table: str
    frame: pl.DataFrame
    key: Sequence[str]
    newer_column: str | None = None
    scope: dict[str, str] = field(default_factory=dict)
    replace: Replace = "partition"
    checks: Callable[[pl.DataFrame], Sequence[CheckFailure]] | None = None
    delete_keys: dict[str, Sequence[str]] = field(default_factory=dict)
    # The table's version the writer planned from (table_version): a write that replaces rows by what it read
    # fails with StaleWrite, inside the lock and before touching anything, when another write came in between.
    expected_version: int | None = None
    # A staging table the same write empties again (the search bigrams): never committed with rows, so a message
    # about the write names only the tables a person reads.
    staging: bool = False


@dataclass(frozen=True)
class WriteReport:
    table: str
    partition_date: dt.date | None
    deleted: int
    written: int
    version: int


def _quote(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return name


def _upsert_sql(table: str, columns: Sequence[str], key: Sequence[str], newer_column: str | None, source: str) -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
    where = f" WHERE excluded.{newer_column} >= {table}.{newer_column}" if newer_column else ""
    action = f"DO UPDATE SET {updates}{where}" if updates else "DO NOTHING"
    return f"INSERT INTO {table} ({', '.join(columns)}) {source} ON CONFLICT ({', '.join(key)}) {action}"


def _sqlite_rows(frame: pl.DataFrame) -> Iterator[tuple]:
    # sqlite3's date adapters are deprecated: write ISO text, which the schema's readers parse back.
    converted = frame.with_columns(
        [pl.col(c).dt.strftime("%Y-%m-%d %H:%M:%S") for c, t in frame.schema.items() if isinstance(t, pl.Datetime)]
        + [pl.col(c).dt.strftime("%Y-%m-%d") for c, t in frame.schema.items() if t == pl.Date]
    )
    return converted.iter_rows()


def _copy_into(conn: Connection, table: str, frame: pl.DataFrame) -> None:
    """PostgreSQL COPY of a frame as CSV: every text value quoted, NULL an unquoted empty field.

    So an empty string stays an empty string and the text `\\N` stays text (a `NULL '\\N'` marker would turn it
    into NULL, while SQLite keeps it): both backends store the same values."""
    binary = [c for c, t in frame.schema.items() if t == pl.Binary]
    if binary:  # COPY csv takes bytea as \\x hex text
        frame = frame.with_columns([(pl.lit("\\x") + pl.col(c).bin.encode("hex")).alias(c) for c in binary])
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        statement = f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN WITH (FORMAT csv)"
        cursor.copy_expert(statement, _CsvStream(frame), size=1 << 16)
    finally:
        cursor.close()


COPY_SLICE_ROWS = 100_000


class _CsvStream(io.RawIOBase):
    """A frame as CSV for COPY, encoded one slice of rows at a time: the text of a whole frame (18M hard-match
    failures: ~700 MB) never sits in memory at once."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self._slices = (frame.slice(i, COPY_SLICE_ROWS) for i in range(0, frame.height, COPY_SLICE_ROWS))
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:  # type: ignore[no-untyped-def]
        while not self._pending:
            piece = next(self._slices, None)
            if piece is None:
                return 0
            buffer = io.BytesIO()
            piece.write_csv(
                buffer,
                include_header=False,
                null_value="",
                quote_style="non_numeric",
                datetime_format="%Y-%m-%d %H:%M:%S",
            )
            self._pending = buffer.getbuffer()
        size = min(len(target), len(self._pending))
        target[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def last_of_each_key(frame: pl.DataFrame, key: Sequence[str], newer_column: str | None = None) -> pl.DataFrame:
    """One row per key, the same on both backends: the newest by `newer_column`, and of equals the last one.

    Without it PostgreSQL kept an arbitrary row of a key that occurs twice in one load and SQLite the last."""
    if not frame.select(key).is_duplicated().any():
        return frame
    if newer_column:
        frame = frame.sort(newer_column, nulls_last=False, maintain_order=True)
    return frame.unique(list(key), keep="last", maintain_order=True)


def _insert_frame(
    conn: Connection,
    table: str,
    frame: pl.DataFrame,
    key: Sequence[str],
    newer_column: str | None = None,
    emptied: bool = False,
) -> None:
    """Insert or update rows by `key` (if `newer_column` is given, an existing newer row is kept).

    PostgreSQL COPYs straight into the table, or on a key conflict into a staging table followed by one
    INSERT ... ON CONFLICT; SQLite uses one prepared statement for all rows. `emptied`: the write deleted every
    row of the table just before, so no key can exist (no lookup of existing keys)."""
    if frame.is_empty():
        return
    frame = last_of_each_key(frame, key, newer_column)
    try:
        _insert(conn, _quote(table), frame, key, newer_column, emptied)
    except (sa.exc.DBAPIError, conn.dialect.dbapi.Error) as error:  # type: ignore[union-attr]
        cause = getattr(error, "orig", error)
        raise WarehouseWriteError(
            f"writing {frame.height} rows to {table} failed: {str(cause).strip().splitlines()[0]}"
        ) from error


def _insert(
    conn: Connection, table: str, frame: pl.DataFrame, key: Sequence[str], newer_column: str | None, emptied: bool
) -> None:
    columns = [_quote(c) for c in frame.columns]
    if dialect_of(conn) == "postgresql":
        if emptied:
            _copy_or_upsert(conn, table, frame, columns, key, newer_column)
        else:
            _insert_postgres(conn, table, frame, columns, key, newer_column)
    else:
        placeholders = ", ".join("?" for _ in columns)
        sql = _upsert_sql(table, columns, key, newer_column, f"VALUES ({placeholders})")
        conn.connection.dbapi_connection.executemany(sql, _sqlite_rows(frame))  # type: ignore[union-attr]


def _insert_postgres(
    conn: Connection, table: str, frame: pl.DataFrame, columns: list[str], key: Sequence[str], newer_column: str | None
) -> None:
    # Fast path: after a partition's DELETE, rows rarely collide with rows of other partitions, so COPY straight
    # into the table under a savepoint. On a key conflict, undo just that and take the upsert path.
    # Keys are unique in the frame (last_of_each_key), as ON CONFLICT needs. With a one-column key, look up which
    # keys exist first: the new rows are COPYed straight in and only the rest go through the upsert (a day of
    # notices mostly brings new ones, but nearly every day also brings changes of older ones).
    if len(key) == 1:
        existing = _existing_keys(conn, table, key[0], frame[key[0]])
        if existing.len():
            fresh = frame.filter(~pl.col(key[0]).is_in(existing))
            rest = frame.filter(pl.col(key[0]).is_in(existing))
            if not fresh.is_empty():
                _copy_or_upsert(conn, table, fresh, columns, key, newer_column)
            _upsert_staged(conn, table, rest, columns, key, newer_column)
            return
    _copy_or_upsert(conn, table, frame, columns, key, newer_column)


def _existing_keys(conn: Connection, table: str, column: str, values: pl.Series) -> pl.Series:
    found = conn.execute(
        sa.text(f"SELECT {_quote(column)} FROM {table} WHERE {_quote(column)} = ANY(:keys)"),
        {"keys": values.to_list()},
    ).scalars()
    return pl.Series(column, list(found), dtype=values.dtype)


def _copy_or_upsert(
    conn: Connection, table: str, frame: pl.DataFrame, columns: list[str], key: Sequence[str], newer_column: str | None
) -> None:
    """COPY straight into the table under a savepoint; on a key conflict undo just that and upsert."""
    savepoint = conn.begin_nested()
    try:
        _copy_into(conn, table, frame)
        savepoint.commit()
        return
    except sa.exc.DBAPIError as error:
        savepoint.rollback()
        if getattr(error.orig, "pgcode", None) != "23505":  # anything but unique_violation is a real error
            raise
    except conn.dialect.dbapi.IntegrityError as error:  # type: ignore[union-attr]  # raw psycopg2 from COPY
        savepoint.rollback()
        if getattr(error, "pgcode", None) != "23505":
            raise
    _upsert_staged(conn, table, frame, columns, key, newer_column)


def _upsert_staged(
    conn: Connection, table: str, frame: pl.DataFrame, columns: list[str], key: Sequence[str], newer_column: str | None
) -> None:
    """COPY into a staging table, then one INSERT ... ON CONFLICT from it."""
    stage = f"stage_{table}"
    conn.exec_driver_sql(f"CREATE TEMP TABLE {stage} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP")
    _copy_into(conn, stage, frame)
    source = f"SELECT {', '.join(columns)} FROM {stage}"
    conn.exec_driver_sql(_upsert_sql(table, columns, key, newer_column, source))
    conn.exec_driver_sql(f"DROP TABLE {stage}")


def write(engine: Engine, writes: Sequence[TableWrite], partition_date: dt.date | None = None) -> list[WriteReport]:
    """The one write path of the warehouse: every table of `writes` in ONE transaction.

    Before touching anything it takes a lock per (table, partition) it replaces: a PostgreSQL advisory
    transaction lock (SQLite: the database write lock, taken up front), so two runs writing the same partition or
    the same whole-table result queue instead of interleaving their deletes and inserts. Each table's version in
    `table_versions` moves on in the same transaction, so readers see the old rows or the new ones, never half,
    and can tell which write they read. A rerun yields the same rows; a failure leaves every table as it was,
    and so does a failing blocking check of any table (`TableWrite.checks`, raised as PartitionChecksFailed).
    """
    for write_ in writes:
        if write_.replace == "partition" and partition_date is None:
            raise ValueError(f"writing a partition of {write_.table} needs its partition_date")
        check_columns(write_)
    tables = ", ".join(dict.fromkeys(w.table for w in writes if not w.staging))
    action = f"writing {tables}" + (f" of {partition_date}" if partition_date else "")
    return with_retries(engine, action, _write_once, engine, writes, partition_date)


def _write_once(engine: Engine, writes: Sequence[TableWrite], partition_date: dt.date | None) -> list[WriteReport]:
    lock_keys = sorted({_lock_key(w, partition_date) for w in writes})
    reports = []
    with engine.connect().execution_options(sqlite_begin="BEGIN IMMEDIATE") as conn, conn.begin():
        if dialect_of(conn) == "postgresql":
            for lock_key in lock_keys:  # sorted: two writers never wait on each other in opposite orders
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": lock_key})
        for write_ in writes:
            if write_.expected_version is not None:
                found = table_version(conn, write_.table)
                if found != write_.expected_version:
                    raise StaleWrite(
                        f"{write_.table} is at version {found}, not {write_.expected_version} as read: "
                        "another run wrote it in between; read it again"
                    )
        for write_ in writes:
            table, frame = _quote(write_.table), write_.frame
            failures = write_.checks(frame) if write_.checks else []
            if failures:  # leaving the block rolls back every table of this write
                raise PartitionChecksFailed(table, partition_date if write_.replace == "partition" else None, failures)
            deleted = 0
            if write_.replace == "partition":
                frame = frame.with_columns(pl.lit(partition_date).alias("partition_date"))
                conditions = ["partition_date = :partition_date"] + [f"{_quote(c)} = :{c}" for c in write_.scope]
                deleted = conn.execute(
                    sa.text(f"DELETE FROM {table} WHERE {' AND '.join(conditions)}"),
                    {"partition_date": partition_date.isoformat(), **write_.scope},  # type: ignore[union-attr]
                ).rowcount
            elif write_.replace == "table":
                deleted = conn.execute(sa.text(f"DELETE FROM {table}")).rowcount
            elif write_.replace == "keys":
                deleted = _delete_keys(conn, table, write_.delete_keys)
            _insert_frame(conn, table, frame, write_.key, write_.newer_column, emptied=write_.replace == "table")
            version = _next_version(conn, table, frame.height)
            reports.append(
                WriteReport(
                    table, partition_date if write_.replace == "partition" else None, deleted, frame.height, version
                )
            )
    return reports


def _delete_keys(conn: Connection, table: str, delete_keys: dict[str, Sequence[str]]) -> int:
    """Delete the rows whose column is one of the given values, in bounded IN lists (SQLite's variable limit)."""
    deleted = 0
    for column, values in delete_keys.items():
        statement = sa.text(f"DELETE FROM {table} WHERE {_quote(column)} IN :values").bindparams(
            sa.bindparam("values", expanding=True)
        )
        unique = sorted(set(values))
        for start in range(0, len(unique), 500):
            deleted += conn.execute(statement, {"values": unique[start : start + 500]}).rowcount
    return deleted


def check_columns(write_: TableWrite) -> None:
    """The frame names only columns the schema gives the table, and every NOT NULL one (bidradar.core.schema):
    a writer that drifted from the migrations fails here with the fix, before anything is written."""
    table = schema.metadata.tables.get(write_.table)
    if table is None or schema.is_view(table):
        raise WarehouseWriteError(
            f"{write_.table} is not a table of bidradar/core/schema.py: add its migration in sql/ and its sa.Table there"
        )
    given = set(write_.frame.columns) | ({"partition_date"} if write_.replace == "partition" else set())
    unknown = sorted(given - set(table.c.keys()))
    if unknown:
        raise WarehouseWriteError(
            f"writing {write_.table}: no column {', '.join(unknown)} in the table (bidradar/core/schema.py); "
            "add a migration and the column there, or leave it out of the frame"
        )
    required = sorted(
        c.name for c in table.columns if not c.nullable and c.server_default is None and c.name not in given
    )
    if required:
        raise WarehouseWriteError(
            f"writing {write_.table}: the frame lacks the NOT NULL column(s) {', '.join(required)}"
        )


def _lock_key(write_: TableWrite, partition_date: dt.date | None) -> str:
    if write_.replace == "partition":
        return f"bidradar:{write_.table}:{partition_date}"
    return f"bidradar:{write_.table}"


def _next_version(conn: Connection, table: str, rows: int) -> int:
    """Move the table's version on by one (in the caller's transaction, so it commits with the rows).

    One statement, an upsert that increments: the row lock of ON CONFLICT serialises concurrent writers of
    different partitions, where a read-then-write lost increments (101-119 of 400 in a race on PostgreSQL)."""
    return conn.execute(
        sa.text(
            "INSERT INTO table_versions (table_name, version, rows_written, written_at) VALUES (:t, 1, :r, :w) "
            "ON CONFLICT (table_name) DO UPDATE SET version = table_versions.version + 1, "
            "rows_written = excluded.rows_written, written_at = excluded.written_at RETURNING version"
        ),
        {"t": table, "r": rows, "w": dt.datetime.now(dt.UTC).replace(tzinfo=None)},
    ).scalar_one()


def table_version(engine: Engine | Connection, table: str) -> int:
    """How many writes the table has seen (0: never written); readers use it as an ETag of the data."""
    query = sa.text("SELECT version FROM table_versions WHERE table_name = :t")
    if isinstance(engine, Connection):
        return engine.execute(query, {"t": table}).scalar_one_or_none() or 0
    with engine.connect() as conn:
        return conn.execute(query, {"t": table}).scalar_one_or_none() or 0


# ---------------------------------------------------------------------------------------------------------------------
# Reads


def read_frame(
    engine: Engine | Connection, query: str | sa.Executable, params: dict | None = None, schema: dict | None = None
) -> pl.DataFrame:
    """Run a query (SQL text or a Core expression) into polars; `schema` casts columns so both backends give the
    same dtypes. Given a connection, it reads in the caller's transaction (the API's snapshot)."""
    statement = sa.text(query) if isinstance(query, str) else query
    if isinstance(engine, Connection):
        result = engine.execute(statement, params or {})
        rows, columns = result.fetchall(), list(result.keys())
    else:
        with engine.connect() as conn:
            result = conn.execute(statement, params or {})
            rows, columns = result.fetchall(), list(result.keys())
    frame = pl.DataFrame([tuple(r) for r in rows], schema=columns, orient="row", infer_schema_length=None)
    return cast_frame(frame, schema) if schema else frame


def _fetch(engine: Engine, query: str, params: dict | None) -> tuple[list, list[str]]:
    with engine.connect() as conn:
        result = conn.execute(sa.text(query), params or {})
        return result.fetchall(), list(result.keys())


def cast_frame(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """Cast the columns named in `schema`; text dates from SQLite are parsed, booleans from 0/1."""
    casts = []
    for name, dtype in schema.items():
        if name not in frame.columns:
            continue
        column, current = pl.col(name), frame.schema[name]
        if current == pl.String and dtype == pl.Datetime:
            casts.append(column.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False).alias(name))
        elif current == pl.String and dtype == pl.Date:
            casts.append(column.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False).alias(name))
        else:
            casts.append(column.cast(dtype, strict=False).alias(name))
    return frame.with_columns(casts)


def table_counts(engine: Engine, tables: Iterable[str]) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {_quote(t)}")).scalar_one() for t in tables}
