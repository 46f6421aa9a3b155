"""Verified PostgreSQL backups: dump (pg_dump -Fc), prove (restore into a scratch database, compare row counts and
checksums table by table), rotate (7 daily, 4 weekly), restore by hand.

A dump is only called a backup once it has been restored and compared. The counts and checksums it must match are
taken inside the very snapshot pg_dump reads (pg_export_snapshot + pg_dump --snapshot), so writes that land during the
dump cannot make an honest dump look wrong, nor a wrong one look right. Each verified dump `<db>-<UTC stamp>.dump` has
a sidecar `<same>.json` with them. `restore` restores into a NEW database, verifies it against the sidecar, and only
then switches names: a restore that fails or does not verify leaves the serving database untouched.

Files: `<db>-YYYYMMDDTHHMMSSZ.dump.partial` while being written and verified, renamed to `.dump` when proven, or to
`.dump.failed` (kept for a look; only the newest failed one per database survives a rotation).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg2
import psycopg2.extensions

from bidradar.core.clock import KST

STAMP = "%Y%m%dT%H%M%SZ"
NAME = re.compile(r"^(?P<db>.+)-(?P<stamp>\d{8}T\d{6}Z)\.dump$")
SCRATCH_SUFFIX = "_restorecheck"
LOCK_KEY = 0x62696472  # advisory lock "bidr": one backup at a time per server


class BackupError(Exception):
    """A backup or restore could not be done; the message is one line meant for an operator."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    database: str
    taken_at: dt.datetime  # UTC, aware

    @property
    def counts_path(self) -> Path:
        return self.path.with_suffix(".json")


@dataclass
class BackupReport:
    database: str
    ok: bool
    path: Path | None = None
    size_bytes: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    problem: str = ""
    removed: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict:
        data = asdict(self)
        data["path"] = str(self.path) if self.path else None
        return data


# --- connection strings -------------------------------------------------------------------------------------------


def libpq_url(database_url: str) -> str:
    """A URL libpq (pg_dump, psycopg2) reads: no SQLAlchemy driver suffix."""
    for prefix in ("postgresql+psycopg2://", "postgresql+psycopg://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql://" + database_url.removeprefix(prefix)
    if not database_url.startswith("postgresql://"):
        raise BackupError("backups need PostgreSQL: DATABASE_URL is not a postgresql:// URL")
    return database_url


def database_name(database_url: str) -> str:
    name = urllib.parse.urlsplit(libpq_url(database_url)).path.lstrip("/")
    if not name:
        raise BackupError(f"the URL {_redacted(database_url)} names no database")
    return urllib.parse.unquote(name)


def with_database(database_url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(libpq_url(database_url))
    return urllib.parse.urlunsplit(parts._replace(path="/" + urllib.parse.quote(name)))


def _redacted(database_url: str) -> str:
    parts = urllib.parse.urlsplit(database_url)
    if parts.password:
        return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))
    return database_url


def _tool_args(database_url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password (for the command line, which `ps` shows) and the environment carrying it."""
    parts = urllib.parse.urlsplit(libpq_url(database_url))
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = urllib.parse.unquote(parts.password)
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", "@"))
    return urllib.parse.urlunsplit(parts), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL 15 client tools (postgresql-client-15)")
    return path


def _run_tool(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        detail = "; ".join(lines[:3]) or f"exit code {result.returncode}"
        raise BackupError(f"{Path(args[0]).name} failed: {detail}")


@contextlib.contextmanager
def _connect(database_url: str, autocommit: bool = False) -> Iterator[psycopg2.extensions.connection]:
    try:
        conn = psycopg2.connect(libpq_url(database_url))
    except psycopg2.OperationalError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "connection refused"
        raise BackupError(f"cannot connect to {_redacted(database_url)}: {first}") from None
    conn.autocommit = autocommit
    try:
        yield conn
    finally:
        conn.close()


# --- counting -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """Exact row counts and content checksums of every table, keyed `schema.table`."""

    counts: dict[str, int]
    checksums: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> str:
        return json.dumps({"counts": self.counts, "checksums": self.checksums}, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Fingerprint:
        data = json.loads(text)
        if "counts" not in data:  # sidecars written before checksums: counts only
            return cls(counts=data)
        return cls(counts=data["counts"], checksums=data["checksums"])


# Order-independent: the sum of each row's md5 (its first 60 bits as a number), so no sort of the table is needed.
_CHECKSUM = "md5(coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint::numeric), 0)::text)"


def fingerprint(conn: psycopg2.extensions.connection) -> Fingerprint:
    """count(*) and a checksum of the rows of every ordinary table outside the system schemas (exact, not estimates)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
            "ORDER BY 1, 2"
        )
        tables = cur.fetchall()
        counts, checksums = {}, {}
        for schema, table in tables:
            cur.execute(f'SELECT count(*), {_CHECKSUM} FROM "{schema}"."{table}" AS t')
            counts[f"{schema}.{table}"], checksums[f"{schema}.{table}"] = cur.fetchone()
    return Fingerprint(counts, checksums)


def exact_row_counts(conn: psycopg2.extensions.connection) -> dict[str, int]:
    return fingerprint(conn).counts


def differences(expected: Fingerprint, actual: Fingerprint) -> list[str]:
    """Each table whose count or checksum differs, or that is missing on one side."""
    problems = count_differences(expected.counts, actual.counts)
    for table in sorted(set(expected.checksums) & set(actual.checksums)):
        same_count = expected.counts.get(table) == actual.counts.get(table)
        if same_count and expected.checksums[table] != actual.checksums[table]:
            problems.append(f"{table}: same {_n(actual.counts[table])} but other contents (checksum differs)")
    return problems


def count_differences(expected: dict[str, int], actual: dict[str, int]) -> list[str]:
    """Each table whose count differs, or that is missing on one side, as `table: expected N, found M`."""
    problems = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if want != got:
            problems.append(f"{table}: expected {_n(want)}, found {_n(got)}")
    return problems


def _n(value: int | None) -> str:
    return "no table" if value is None else f"{value:,} rows"


# --- dump, verify, restore ----------------------------------------------------------------------------------------


def dump(database_url: str, target: Path) -> Fingerprint:
    """pg_dump -Fc of the database into `target`; returns the counts and checksums of the snapshot the dump read."""
    url, env = _tool_args(database_url)
    with _connect(database_url) as conn:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cur:
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
        counts = fingerprint(conn)
        # The exporting transaction stays open until pg_dump is done with the snapshot.
        _run_tool(
            [
                _tool("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                "--no-password",
                f"--dbname={url}",
            ],
            env,
        )
        conn.rollback()
    target.chmod(0o600)  # every row of the warehouse: readable by its owner only
    _fsync(target)
    return counts


def scratch_name(database: str) -> str:
    return (database[: 63 - len(SCRATCH_SUFFIX)] + SCRATCH_SUFFIX).lower()


def verify(dump_path: Path, database_url: str, expected: Fingerprint) -> list[str]:
    """Restore the dump into a scratch database on the same server and compare counts and checksums; [] = proven.

    A pg_restore error is a problem too (returned, not raised). The scratch database is dropped afterwards."""
    scratch = scratch_name(database_name(database_url))
    admin = with_database(database_url, "postgres")
    with _connect(admin, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{scratch}" TEMPLATE template0')
        try:
            url, env = _tool_args(with_database(database_url, scratch))
            try:
                # --no-owner/--no-privileges: ownership and grants do not change row counts, and a scratch copy
                # must not fail over a role. --exit-on-error: any failed statement fails the proof.
                _run_tool(
                    [
                        _tool("pg_restore"),
                        "--exit-on-error",
                        "--no-owner",
                        "--no-privileges",
                        "--no-password",
                        f"--dbname={url}",
                        str(dump_path),
                    ],
                    env,
                )
            except BackupError as error:
                return [f"the dump does not restore: {error}"]
            with _connect(with_database(database_url, scratch)) as restored:
                return differences(expected, fingerprint(restored))
        finally:
            cur.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


@contextlib.contextmanager
def _one_backup_at_a_time(database_url: str) -> Iterator[None]:
    with _connect(with_database(database_url, "postgres"), autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,))
        if not cur.fetchone()[0]:
            raise BackupError("another backup or restore is running on this server; try again when it is done")
        try:
            yield
        finally:
            cur.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))


def run_backup(
    database_url: str, folder: Path, keep_daily: int = 7, keep_weekly: int = 4, now: dt.datetime | None = None
) -> BackupReport:
    """Dump, prove, then rotate one database. Never raises for a failed backup: the report says what went wrong."""
    started = time.monotonic()
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    try:
        database = database_name(database_url)
    except BackupError as error:
        return BackupReport(database="?", ok=False, problem=str(error))
    report = BackupReport(database=database, ok=False)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"{database}-{now:{STAMP}}.dump"
        partial = final.with_name(final.name + ".partial")
        with _one_backup_at_a_time(database_url):
            snapshot = dump(database_url, partial)
            report.counts, report.size_bytes = snapshot.counts, partial.stat().st_size
            problems = verify(partial, database_url, snapshot)
        if problems:
            failed = final.with_name(final.name + ".failed")
            partial.replace(failed)
            report.path = failed
            report.problem = "verification failed: " + "; ".join(problems[:5])
            if len(problems) > 5:
                report.problem += f"; and {len(problems) - 5} more"
        else:
            final.with_suffix(".json").write_text(snapshot.as_json(), encoding="utf-8")
            _fsync(final.with_suffix(".json"))
            partial.replace(final)
            _fsync(folder)
            report.path, report.ok = final, True
        report.removed = [p.name for p in rotate(folder, database, keep_daily, keep_weekly)]
    except BackupError as error:
        report.problem = str(error)
        with contextlib.suppress(UnboundLocalError, OSError):
            partial.unlink(missing_ok=True)
    report.seconds = time.monotonic() - started
    return report


@dataclass(frozen=True)
class RestoreReport:
    counts: dict[str, int]
    previous_database: str  # the database that served before, kept under this name (drop it once satisfied)


def restore(dump_path: Path, database_url: str, now: dt.datetime | None = None) -> RestoreReport:
    """Restore a dump into a NEW database, verify its counts and checksums against the dump's sidecar, then switch:
    the serving database is renamed `<db>_before_restore_<stamp>` (kept) and the new one takes its name.

    Raises BackupError, with the serving database untouched, when pg_restore fails or the verification does."""
    if not dump_path.is_file():
        raise BackupError(f"no dump at {dump_path}")
    sidecar = dump_path.with_suffix(".json")
    expected = Fingerprint.from_json(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else None
    name = database_name(database_url)
    stamp = f"{(now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC):{STAMP}}".lower()
    fresh, previous = f"{name[:40]}_restore_{stamp}", f"{name[:33]}_before_restore_{stamp}"
    admin = with_database(database_url, "postgres")
    with _one_backup_at_a_time(database_url), _connect(admin, autocommit=True) as conn, conn.cursor() as cur:
        _create_like(cur, name, fresh)
        try:
            url, env = _tool_args(with_database(database_url, fresh))
            # --single-transaction: all or nothing; --no-owner: the restoring role owns what it restores.
            _run_tool(
                [
                    _tool("pg_restore"),
                    "--single-transaction",
                    "--exit-on-error",
                    "--no-owner",
                    "--no-password",
                    f"--dbname={url}",
                    str(dump_path),
                ],
                env,
            )
            with _connect(with_database(database_url, fresh)) as restored:
                found = fingerprint(restored)
            if expected is not None:
                kept = Fingerprint(
                    {t: c for t, c in found.counts.items() if t in expected.counts},
                    {t: c for t, c in found.checksums.items() if t in expected.counts},
                )
                problems = differences(expected, kept)
                if problems:
                    raise BackupError(
                        f"the restore of {dump_path.name} does not match the dump's counts and checksums, so the "
                        f"database was not touched: " + "; ".join(problems[:5])
                    )
            _switch(cur, name, fresh, previous)
        except BackupError as error:
            cur.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
            if "was not touched" not in str(error):
                raise BackupError(f"{error}; the database was not touched") from None
            raise
    return RestoreReport(found.counts, previous)


def _create_like(cur: psycopg2.extensions.cursor, model: str, name: str) -> None:
    """A new empty database with the model's encoding, locale, database-level grants and settings (pg_restore
    without --create brings none of them, and the API's reader role needs its CONNECT)."""
    cur.execute(
        "SELECT pg_encoding_to_char(encoding), datcollate, datctype, oid FROM pg_database WHERE datname = %s", (model,)
    )
    row = cur.fetchone()
    if row is None:
        raise BackupError(f"no database {model} on this server to restore over; create it first")
    encoding, collate, ctype, oid = row
    cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    cur.execute(
        f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING %s LC_COLLATE %s LC_CTYPE %s', (encoding, collate, ctype)
    )
    # A new database lets PUBLIC connect and create temporary tables; the model may not (migration 0017): start
    # from nothing and grant what the model grants.
    cur.execute(f'REVOKE ALL ON DATABASE "{name}" FROM PUBLIC')
    cur.execute(
        "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END, a.privilege_type "
        "FROM pg_database d, aclexplode(d.datacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee WHERE d.oid = %s",
        (oid,),
    )
    for grantee, privilege in cur.fetchall():
        cur.execute(f'GRANT {privilege} ON DATABASE "{name}" TO {grantee}')
    cur.execute(
        "SELECT r.rolname, unnest(s.setconfig) FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole "
        "WHERE s.setdatabase = %s",
        (oid,),
    )
    for role, setting in cur.fetchall():
        key, _, value = setting.partition("=")
        if role is None:
            cur.execute(f'ALTER DATABASE "{name}" SET {key} = %s', (value,))
        else:
            cur.execute(f'ALTER ROLE "{role}" IN DATABASE "{name}" SET {key} = %s', (value,))


def _switch(cur: psycopg2.extensions.cursor, name: str, fresh: str, previous: str) -> None:
    """The verified database takes the serving name. Connections to the old one are ended first (services reconnect:
    the warehouse retries a terminated connection), and none can come back in between."""
    cur.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        cur.execute(f'ALTER DATABASE "{name}" RENAME TO "{previous}"')
    except psycopg2.Error as error:
        cur.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        raise BackupError(f"could not set {name} aside: {str(error).strip().splitlines()[0]}") from None
    cur.execute(f'ALTER DATABASE "{fresh}" RENAME TO "{name}"')
    cur.execute(f'ALTER DATABASE "{previous}" ALLOW_CONNECTIONS true')


# --- rotation -----------------------------------------------------------------------------------------------------


def list_backups(folder: Path, database: str | None = None) -> list[BackupFile]:
    """Verified dumps in the folder (optionally of one database), oldest first."""
    found = []
    for path in folder.glob("*.dump") if folder.is_dir() else []:
        match = NAME.match(path.name)
        if match and (database is None or match["db"] == database):
            taken = dt.datetime.strptime(match["stamp"], STAMP).replace(tzinfo=dt.UTC)
            found.append(BackupFile(path, match["db"], taken))
    return sorted(found, key=lambda b: b.taken_at)


def latest_backup(folder: Path, database: str) -> BackupFile | None:
    backups = list_backups(folder, database)
    return backups[-1] if backups else None


def plan_rotation(backups: Sequence[BackupFile], keep_daily: int, keep_weekly: int) -> list[BackupFile]:
    """Which backups to keep: the newest of each of the last `keep_daily` days that have one, and the newest of each of
    the last `keep_weekly` ISO weeks that have one (days and weeks in Asia/Seoul). Both sets overlap on purpose."""
    newest_first = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    keep: dict[Path, BackupFile] = {}
    for period, limit in ((lambda d: d.date(), keep_daily), (lambda d: d.isocalendar()[:2], keep_weekly)):
        seen: list[object] = []
        for backup in newest_first:
            key = period(backup.taken_at.astimezone(KST))
            if key not in seen and len(seen) < limit:
                seen.append(key)
                keep[backup.path] = backup
    return sorted(keep.values(), key=lambda b: b.taken_at)


def rotate(folder: Path, database: str, keep_daily: int, keep_weekly: int) -> list[Path]:
    """Delete the dumps (and sidecars) that plan_rotation does not keep, and all but the newest failed dump."""
    backups = list_backups(folder, database)
    kept = {b.path for b in plan_rotation(backups, keep_daily, keep_weekly)}
    removed = []
    for backup in backups:
        if backup.path not in kept:
            backup.path.unlink(missing_ok=True)
            backup.counts_path.unlink(missing_ok=True)
            removed.append(backup.path)
    failed = sorted(folder.glob(f"{database}-*.dump.failed"))
    for path in failed[:-1]:
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _fsync(path: Path) -> None:
    """Push a file (or a folder's entries) to the disk: a power cut must not leave a renamed but empty dump."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- the ops report -----------------------------------------------------------------------------------------------


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} B"


def report_text(reports: Sequence[BackupReport], host: str = "") -> str:
    """The message for the ops channel: one line per database, failures first and loud."""
    where = f" on {host}" if host else ""
    lines = []
    failed = [r for r in reports if not r.ok]
    lines.append(f":rotating_light: BACKUP FAILED{where}" if failed else f":white_check_mark: backup ok{where}")
    for r in sorted(reports, key=lambda r: r.ok):
        if r.ok and r.path:
            lines.append(
                f"• {r.database}: {r.path.name}, {_size(r.size_bytes)}, {len(r.counts)} tables, "
                f"{r.rows:,} rows; proven by a restore into {scratch_name(r.database)} with equal counts "
                f"({r.seconds:.0f} s); rotation removed {len(r.removed)}"
            )
        else:
            lines.append(f"• {r.database}: {r.problem} ({r.seconds:.0f} s). The last good backup stays in place.")
    return "\n".join(lines)


def post_report(text: str, token: str, channel: str, api_url: str) -> bool:
    """Post the report to the ops channel through the Slack Web API; False when no token or channel is set."""
    if not token or not channel:
        return False
    from slack_sdk import WebClient

    WebClient(token=token, base_url=api_url, timeout=10).chat_postMessage(channel=channel, text=text)
    return True
