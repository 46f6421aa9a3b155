"""Verified backups, for real: pg_dump and pg_restore of PostgreSQL 15 against a fresh database, through the CLI
(`bidradar backup`, `bidradar restore`) and the Dagster job, with the ops report posted to a Slack stand-in."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg2
import pytest

from bidradar.core import warehouse
from bidradar.core.clock import KST
from bidradar.ops import backup
from bidradar.ops.backup import BackupFile, plan_rotation

REPO = Path(__file__).resolve().parent.parent
BIDRADAR = [sys.executable, "-m", "orchestration.cli"]


class SlackStandIn:
    """chat.postMessage on loopback: records what the real slack-sdk client sends."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                is_json = "json" in self.headers.get("Content-Type", "")
                payload = json.loads(body) if is_json else dict(urllib.parse.parse_qsl(body))
                outer.messages.append({"path": self.path, "auth": self.headers.get("Authorization"), **payload})
                answer = json.dumps({"ok": True, "channel": payload.get("channel"), "ts": "1.0"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def __enter__(self) -> SlackStandIn:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def one_backup_test_at_a_time(request: pytest.FixtureRequest) -> Iterator[None]:
    """A backup or restore holds a server-wide lock and does not wait for it (a second nightly backup must not pile
    up behind a slow one): so the PostgreSQL tests here, on other pytest-xdist workers or in another run against
    this server, wait for each other on a lock of their own instead of failing with "another backup is running"."""
    if "postgres" not in request.keywords:
        yield
        return
    server = request.getfixturevalue("postgres_server_url").rsplit("/", 1)[0] + "/postgres"
    conn = psycopg2.connect(backup.libpq_url(server))
    try:
        conn.autocommit = True
        conn.cursor().execute("SELECT pg_advisory_lock(hashtext('bidradar tests: backups'))")
        yield
    finally:
        conn.close()  # which releases the lock


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as stand_in:
        yield stand_in


def sql(url: str, *statements: str) -> list:
    conn = psycopg2.connect(backup.libpq_url(url))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*BIDRADAR, *args], cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True, timeout=300
    )


def filled_warehouse(url: str) -> None:
    warehouse.migrate(warehouse.make_engine(url))
    sql(
        url,
        "CREATE TABLE ops_notes (id INTEGER PRIMARY KEY, note TEXT NOT NULL)",
        "INSERT INTO ops_notes SELECT g, '공고 메모 ' || g FROM generate_series(1, 500) AS g",
    )


@pytest.mark.postgres
def test_backup_then_restore_brings_back_deleted_rows(postgres_url: str, tmp_path: Path, slack: SlackStandIn) -> None:
    filled_warehouse(postgres_url)
    env = {
        "DATABASE_URL": postgres_url,
        "BACKUP_DIR": str(tmp_path / "backups"),
        "SLACK_API_URL": slack.url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "OPS_SLACK_CHANNEL": "#bidradar-ops",
    }

    made = cli(["backup"], env)
    assert made.returncode == 0, made.stdout + made.stderr
    dumps = list((tmp_path / "backups").glob("*.dump"))
    assert len(dumps) == 1 and not list((tmp_path / "backups").glob("*.partial"))
    counts = json.loads(dumps[0].with_suffix(".json").read_text())["counts"]
    assert counts["public.ops_notes"] == 500 and "public.schema_migrations" in counts
    [message] = slack.messages
    assert message["channel"] == "#bidradar-ops" and message["auth"] == "Bearer xoxb-test"
    assert "backup ok" in message["text"] and "equal counts" in message["text"]
    scratch = backup.scratch_name(backup.database_name(postgres_url))
    assert not sql(postgres_url, f"SELECT 1 FROM pg_database WHERE datname = '{scratch}'")  # dropped after the proof

    sql(postgres_url, "DELETE FROM ops_notes WHERE id > 10", "DROP TABLE schema_migrations")
    assert sql(postgres_url, "SELECT count(*) FROM ops_notes") == [(10,)]

    restored = cli(["restore", "--yes"], env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert sql(postgres_url, "SELECT count(*), min(note), max(id) FROM ops_notes") == [(500, "공고 메모 1", 500)]
    assert sql(postgres_url, "SELECT count(*) FROM schema_migrations")[0][0] == counts["public.schema_migrations"]
    assert "as in the dump" in restored.stdout
    _drop_set_aside(postgres_url)


@pytest.mark.postgres
def test_a_dump_that_does_not_restore_fails_and_is_not_kept(
    postgres_url: str, tmp_path: Path, slack: SlackStandIn
) -> None:
    # A real trap: a CHECK calling a function that reads another table. pg_dump succeeds, but pg_restore loads
    # a_orders before z_allowed is filled, so the CHECK fails and the dump cannot be restored.
    sql(
        postgres_url,
        "CREATE TABLE z_allowed (code TEXT PRIMARY KEY)",
        "CREATE FUNCTION public.code_allowed(c TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE "
        "AS $$ SELECT EXISTS (SELECT 1 FROM public.z_allowed WHERE code = c) $$",
        "CREATE TABLE a_orders (id INTEGER PRIMARY KEY, code TEXT CHECK (public.code_allowed(code)))",
        "INSERT INTO z_allowed VALUES ('x')",
        "INSERT INTO a_orders VALUES (1, 'x')",
    )
    folder = tmp_path / "backups"
    env = {
        "DATABASE_URL": postgres_url,
        "BACKUP_DIR": str(folder),
        "SLACK_API_URL": slack.url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "OPS_SLACK_CHANNEL": "#bidradar-ops",
    }

    result = cli(["backup"], env)
    assert result.returncode == 1
    assert "does not restore" in result.stdout and "a_orders_code_check" in result.stdout
    assert not list(folder.glob("*.dump")) and len(list(folder.glob("*.dump.failed"))) == 1
    assert "BACKUP FAILED" in slack.messages[0]["text"]
    no_dump = cli(["restore", "--yes"], env)
    assert no_dump.returncode == 2 and "no verified dump" in no_dump.stderr


@pytest.mark.postgres
def test_a_corrupted_dump_fails_the_proof(postgres_url: str, tmp_path: Path) -> None:
    filled_warehouse(postgres_url)
    target = tmp_path / "w.dump"
    counts = backup.dump(postgres_url, target)
    assert backup.verify(target, postgres_url, counts) == []
    fewer = backup.Fingerprint({**counts.counts, "public.ops_notes": 499}, counts.checksums)
    assert backup.verify(target, postgres_url, fewer) == ["public.ops_notes: expected 499 rows, found 500 rows"]
    data = bytearray(target.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)  # bit rot on an SD card
    target.write_bytes(bytes(data))
    problems = backup.verify(target, postgres_url, counts)
    assert problems and "does not restore" in problems[0]


@pytest.mark.postgres
def test_backup_job_in_dagster(postgres_url: str, tmp_path: Path, slack: SlackStandIn, monkeypatch) -> None:
    from dagster import DagsterInstance

    from orchestration.definitions import defs

    filled_warehouse(postgres_url)
    for name, value in {
        "DATABASE_URL": postgres_url,
        "BACKUP_DIR": str(tmp_path / "b"),
        "SLACK_API_URL": slack.url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "OPS_SLACK_CHANNEL": "#ops",
    }.items():
        monkeypatch.setenv(name, value)
    # The resources read their EnvVars when the run starts: the variables set above.
    with DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("backup_job").execute_in_process(instance=instance)
    assert result.success
    assert len(list((tmp_path / "b").glob("*.dump"))) == 1
    assert "backup ok" in slack.messages[0]["text"]


def test_the_backup_runs_daily_at_three_in_seoul() -> None:
    from assets.maintenance import backup_schedule

    assert backup_schedule.cron_schedule == "0 3 * * *"
    assert backup_schedule.execution_timezone == "Asia/Seoul"


def _nightly(days: int, end: dt.date) -> list[BackupFile]:
    out = []
    for back in range(days):
        day = end - dt.timedelta(days=back)
        taken = dt.datetime.combine(day, dt.time(3, 0), KST).astimezone(dt.UTC)
        out.append(BackupFile(Path(f"w-{taken:%Y%m%dT%H%M%SZ}.dump"), "w", taken))
    return out


def test_rotation_keeps_seven_daily_and_four_weekly() -> None:
    backups = _nightly(60, dt.date(2026, 11, 22))  # a Sunday
    kept = {b.taken_at.astimezone(KST).date() for b in plan_rotation(backups, 7, 4)}
    daily = {dt.date(2026, 11, 22) - dt.timedelta(days=n) for n in range(7)}
    # The newest of each of the last four ISO weeks: Sundays 11-22 (also a daily), 11-15, 11-08, 11-01.
    weekly = {dt.date(2026, 11, 22), dt.date(2026, 11, 15), dt.date(2026, 11, 8), dt.date(2026, 11, 1)}
    assert kept == daily | weekly
    # A second backup on the same day (someone ran `bidradar backup` by hand): the newer one is the day's.
    extra = _nightly(1, dt.date(2026, 11, 22))[0]
    later = BackupFile(Path("w-later.dump"), "w", extra.taken_at + dt.timedelta(hours=9))
    assert later in plan_rotation([*backups, later], 7, 4) and backups[0] not in plan_rotation([*backups, later], 7, 4)


def test_rotate_deletes_files_and_sidecars_and_old_failures(tmp_path: Path) -> None:
    for b in _nightly(12, dt.date(2026, 11, 22)):
        (tmp_path / b.path.name).write_bytes(b"x")
        (tmp_path / b.path.name).with_suffix(".json").write_text("{}")
    for name in ("w-20261101T000000Z.dump.failed", "w-20261120T000000Z.dump.failed"):
        (tmp_path / name).write_bytes(b"x")
    removed = backup.rotate(tmp_path, "w", keep_daily=7, keep_weekly=1)
    assert len(list(tmp_path.glob("*.dump"))) == 7 == len(list(tmp_path.glob("*.json")))
    assert [p.name for p in tmp_path.glob("*.failed")] == ["w-20261120T000000Z.dump.failed"]
    assert len(removed) == 5 + 1


def test_urls_for_the_tools_never_carry_the_password() -> None:
    url, env = backup._tool_args("postgresql+psycopg2://bidradar:s3cr%40t@db:5432/bidradar")
    assert url == "postgresql://bidradar@db:5432/bidradar" and env["PGPASSWORD"] == "s3cr@t"
    assert backup.scratch_name("bidradar") == "bidradar_restorecheck"
    assert backup.with_database("postgresql://u@h/x", "postgres") == "postgresql://u@h/postgres"


@pytest.mark.postgres
def test_a_dump_is_readable_by_its_owner_only(postgres_url: str, tmp_path: Path) -> None:
    filled_warehouse(postgres_url)
    report = backup.run_backup(postgres_url, tmp_path)
    assert report.ok and report.path is not None
    assert report.path.stat().st_mode & 0o777 == 0o600


def _databases(url: str, like: str) -> list[str]:
    return [r[0] for r in sql(url, f"SELECT datname FROM pg_database WHERE datname LIKE '{like}' ORDER BY 1")]


@pytest.mark.postgres
@pytest.mark.parametrize("tamper", ["count", "checksum"])
def test_a_restore_that_fails_its_verification_leaves_the_old_database_serving(
    postgres_url: str, tmp_path: Path, tamper: str
) -> None:
    """The dump goes into a new database, is verified there, and only then replaces the old one.

    Before: pg_restore --clean replaced the tables first and counted afterwards, so a dump that did not match its
    sidecar had already overwritten the warehouse."""
    filled_warehouse(postgres_url)
    report = backup.run_backup(postgres_url, tmp_path)
    assert report.ok and report.path is not None
    sidecar = json.loads(report.path.with_suffix(".json").read_text())
    if tamper == "count":
        sidecar["counts"]["public.ops_notes"] = 499
    else:  # same count, other rows: only a checksum can tell
        sidecar["checksums"]["public.ops_notes"] = "0" * 32
    report.path.with_suffix(".json").write_text(json.dumps(sidecar))
    sql(postgres_url, "DELETE FROM ops_notes WHERE id > 10")  # what is serving now

    with pytest.raises(backup.BackupError, match=r"public\.ops_notes") as raised:
        backup.restore(report.path, postgres_url)
    assert "the database was not touched" in str(raised.value)
    assert sql(postgres_url, "SELECT count(*) FROM ops_notes") == [(10,)]
    name = backup.database_name(postgres_url)
    assert _databases(postgres_url, f"{name}%") == [name]  # the new database is dropped


@pytest.mark.postgres
def test_a_verified_restore_switches_databases_and_keeps_grants_and_the_old_one(
    postgres_url: str, tmp_path: Path
) -> None:
    filled_warehouse(postgres_url)
    report = backup.run_backup(postgres_url, tmp_path)
    assert report.ok and report.path is not None
    sql(postgres_url, "DELETE FROM ops_notes WHERE id > 10")
    serving = warehouse.make_engine(postgres_url)  # a service connected before the restore
    assert warehouse.table_counts(serving, ["ops_notes"]) == {"ops_notes": 10}

    restored = backup.restore(report.path, postgres_url)
    assert restored.counts["public.ops_notes"] == 500
    assert sql(postgres_url, "SELECT count(*) FROM ops_notes") == [(500,)]
    assert warehouse.table_counts(serving, ["ops_notes"]) == {"ops_notes": 500}  # it reconnects to the new one
    name = backup.database_name(postgres_url)
    assert restored.previous_database.startswith(f"{name}_before_restore")
    assert sql(backup.with_database(postgres_url, "postgres"), "SELECT 1") == [(1,)]
    assert _databases(postgres_url, f"{name}%") == [name, restored.previous_database]
    grant = f"SELECT has_database_privilege('bidradar_reader', '{name}', 'CONNECT')"
    assert sql(postgres_url, grant) == [(True,)]
    # ... and keeps what migration 0017 took away from the API's role and from PUBLIC.
    assert sql(postgres_url, f"SELECT has_database_privilege('bidradar_reader', '{name}', 'TEMP')") == [(False,)]
    acl = sql(postgres_url, f"SELECT datacl::text FROM pg_database WHERE datname = '{name}'")[0][0]
    assert not any(entry.startswith("=") for entry in acl.strip("{}").split(",")), acl
    lock = "SELECT has_function_privilege('bidradar_reader', 'pg_advisory_lock(bigint)', 'EXECUTE')"
    assert sql(postgres_url, lock) == [(False,)]
    serving.dispose()
    _drop_set_aside(postgres_url)


def _drop_set_aside(url: str) -> None:
    """The databases a restore set aside (the test's own database is dropped by its fixture)."""
    name = backup.database_name(url)
    admin = backup.with_database(url, "postgres")
    for old in _databases(url, f"{name}_before_restore%"):
        sql(admin, f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
