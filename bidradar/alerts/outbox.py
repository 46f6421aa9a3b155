"""The outbox's delivery state: claim before sending, confirm after, one drainer at a time.

A row moves pending → sending (claimed: committed BEFORE anything leaves) → sent (confirmed after Slack or the
SMTP server said yes). A row found in `sending` was left by a crash or an ambiguous failure (a timeout after the
request left): its message may exist, so the drainer looks it up before sending again (docs/alerts.md).
`retry` means a failure that surely sent nothing (429, a refused connection); `failed` is final, with the reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bidradar.core import schema, warehouse

PENDING, SENDING, SENT, RETRY, FAILED = "pending", "sending", "sent", "retry", "failed"
LOCK_NAME = "bidradar:alerts-drainer"
_process_locks: dict[str, threading.Lock] = {}


class DrainerBusy(Exception):
    """Another drainer holds the lock."""


@dataclass(frozen=True)
class OutboxRow:
    alert_key: str
    transport: str
    company_id: str
    kind: str
    alert_date: dt.date
    destination: str
    plan: str
    payload: str
    created_at: dt.datetime  # KST
    status: str
    attempts: int
    claimed_at: dt.datetime | None  # UTC
    parts_sent: int
    channel_id: str | None
    message_ts: str | None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _ts(value: dt.datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S")


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _time(value: object) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


class Outbox:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _begin(self):  # type: ignore[no-untyped-def]
        return self.engine.connect().execution_options(sqlite_begin="BEGIN IMMEDIATE")

    def _update(self, sql: str, params: dict) -> int:
        with self._begin() as conn, conn.begin():
            return conn.execute(sa.text(sql), params).rowcount

    # -- reads ---------------------------------------------------------------------------------------------

    def due(self, now: dt.datetime, ambiguous_grace: dt.timedelta) -> list[OutboxRow]:
        """Rows to work on now: pending, retries whose time has come, and `sending` rows (crashed or ambiguous)
        whose claim is older than the grace period (a request still in flight at Slack must land before the
        lookup, or the lookup misses it)."""
        query = """
            SELECT alert_key, transport, company_id, kind, alert_date, destination, plan, payload, created_at, status,
                   attempts, claimed_at, parts_sent, channel_id, message_ts
            FROM alert_outbox
            WHERE (status = 'pending')
               OR (status = 'retry' AND (next_attempt_at IS NULL OR next_attempt_at <= :now))
               OR (status = 'sending' AND claimed_at <= :settled AND (next_attempt_at IS NULL OR next_attempt_at <= :now))
            ORDER BY company_id, created_at, alert_key, transport"""
        params = {"now": _ts(now), "settled": _ts(now - ambiguous_grace)}
        with self.engine.connect() as conn:
            rows = conn.execute(sa.text(query), params).mappings().all()
        return [
            OutboxRow(
                **{
                    **row,
                    "alert_date": _date(row["alert_date"]),
                    "created_at": _time(row["created_at"]),
                    "claimed_at": _time(row["claimed_at"]),
                }
            )
            for row in rows
        ]

    def existing_keys(self) -> set[tuple[str, str]]:
        with self.engine.connect() as conn:
            return {(r[0], r[1]) for r in conn.execute(sa.text("SELECT alert_key, transport FROM alert_outbox"))}

    # -- the protocol ------------------------------------------------------------------------------------------

    def claim(self, row: OutboxRow, now: dt.datetime) -> bool:
        """Mark the row `sending` and commit, before anything is sent. False if it is no longer claimable."""
        return (
            self._update(
                "UPDATE alert_outbox SET status = 'sending', attempts = attempts + 1, claimed_at = :now "
                "WHERE alert_key = :k AND transport = :t AND status IN ('pending', 'retry', 'sending')",
                {"now": _ts(now), "k": row.alert_key, "t": row.transport},
            )
            == 1
        )

    def confirm_part(self, row: OutboxRow, part: int, channel_id: str | None, ts: str | None, recovered: bool) -> None:
        """Record that message `part` (0 = the parent) exists, so no later drain sends it again."""
        self._update(
            "UPDATE alert_outbox SET parts_sent = :n, channel_id = COALESCE(:c, channel_id), "
            "message_ts = COALESCE(message_ts, :ts), recovered = recovered + :r, error = NULL "
            "WHERE alert_key = :k AND transport = :t AND parts_sent = :part",
            {
                "n": part + 1,
                "c": channel_id,
                "ts": ts if part == 0 else None,
                "r": int(recovered),
                "part": part,
                "k": row.alert_key,
                "t": row.transport,
            },
        )

    def finish(self, row: OutboxRow, now: dt.datetime) -> None:
        self._update(
            "UPDATE alert_outbox SET status = 'sent', sent_at = :now, next_attempt_at = NULL, error = NULL "
            "WHERE alert_key = :k AND transport = :t",
            {"now": _ts(now), "k": row.alert_key, "t": row.transport},
        )

    def fail(self, row: OutboxRow, reason: str) -> None:
        self._update(
            "UPDATE alert_outbox SET status = 'failed', error = :e, next_attempt_at = NULL "
            "WHERE alert_key = :k AND transport = :t",
            {"e": reason[:2000], "k": row.alert_key, "t": row.transport},
        )

    def retry(self, row: OutboxRow, reason: str, at: dt.datetime) -> None:
        """A failure that surely sent nothing: try again at `at`."""
        self._update(
            "UPDATE alert_outbox SET status = 'retry', error = :e, next_attempt_at = :at "
            "WHERE alert_key = :k AND transport = :t",
            {"e": reason[:2000], "at": _ts(at), "k": row.alert_key, "t": row.transport},
        )

    def unsure(self, row: OutboxRow, reason: str, at: dt.datetime) -> None:
        """An ambiguous failure: the message may exist. Stay `sending`: the next drain looks it up first."""
        self._update(
            "UPDATE alert_outbox SET status = 'sending', error = :e, next_attempt_at = :at "
            "WHERE alert_key = :k AND transport = :t",
            {"e": reason[:2000], "at": _ts(at), "k": row.alert_key, "t": row.transport},
        )

    def statuses(self) -> dict[tuple[str, str], dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT * FROM alert_outbox")).mappings().all()
        return {(r["alert_key"], r["transport"]): dict(r) for r in rows}

    def status_counts(self) -> list[tuple[str, str, int]]:
        """(transport, status, alerts) of the outbox, for the operator's summary after a drain."""
        o = schema.alert_outbox
        query = (
            sa.select(o.c.transport, o.c.status, sa.func.count().label("alerts"))
            .group_by(o.c.transport, o.c.status)
            .order_by(o.c.transport, o.c.status)
        )
        with self.engine.connect() as conn:
            return [(transport, status, int(n)) for transport, status, n in conn.execute(query)]

    # -- one drainer at a time -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def drainer_lock(self, wait_seconds: float = 0.0) -> Iterator[None]:
        """Held for the whole drain: a PostgreSQL session advisory lock, or on SQLite an exclusive file lock beside
        the database file. Both vanish with a crashed process, so a dead drainer never blocks the next."""
        deadline = time.monotonic() + wait_seconds
        if warehouse.dialect_of(self.engine) == "postgresql":
            with self.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT")
                key = {"k": LOCK_NAME}
                while not conn.execute(sa.text("SELECT pg_try_advisory_lock(hashtextextended(:k, 0))"), key).scalar():
                    if time.monotonic() >= deadline:
                        raise DrainerBusy("another alerts drainer holds the lock")
                    time.sleep(0.2)
                try:
                    yield
                finally:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(hashtextextended(:k, 0))"), key)
            return
        database = self.engine.url.database
        if not database or database == ":memory:":
            lock = _process_locks.setdefault(str(self.engine.url), threading.Lock())
            if not lock.acquire(timeout=max(wait_seconds, 0.001)):
                raise DrainerBusy("another alerts drainer holds the lock")
            try:
                yield
            finally:
                lock.release()
            return
        path = Path(f"{database}.alerts-drainer.lock")
        with path.open("a") as handle:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise DrainerBusy("another alerts drainer holds the lock") from None
                    time.sleep(0.2)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
