"""One ledger of G2B calls in the warehouse (`g2b_call_ledger`): every request of every process, run and day.

G2B's quota is per key, per operation and per KST day (1,000 calls for a development key). A call is counted
BEFORE it is sent, in one statement that also refuses it past the budget, so two processes crawling at once can
never spend more than the budget between them, and a page thrown away (a retry, a failed window, a bidder page of
a plan that later failed) still counts: G2B counted it. The bidder-list plan asks `remaining` what is left.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bidradar.core.clock import now_kst
from bidradar.ingestion.client import G2BQuotaExceeded, next_quota_reset

# One statement: insert the day's first call, or add one while under the budget; no row back = refused.
_SPEND = sa.text(
    "INSERT INTO g2b_call_ledger (quota_day, operation, calls, updated_at) VALUES (:day, :op, 1, :now) "
    "ON CONFLICT (quota_day, operation) DO UPDATE SET calls = g2b_call_ledger.calls + 1, updated_at = :now "
    "WHERE g2b_call_ledger.calls < :budget RETURNING calls"
)
# G2B said 22 (quota used up): whatever we counted, the day is spent for this operation.
_EXHAUST = sa.text(
    "INSERT INTO g2b_call_ledger (quota_day, operation, calls, updated_at) VALUES (:day, :op, :budget, :now) "
    "ON CONFLICT (quota_day, operation) DO UPDATE SET calls = CASE WHEN g2b_call_ledger.calls > :budget "
    "THEN g2b_call_ledger.calls ELSE :budget END, updated_at = :now"
)


@dataclasses.dataclass
class CallLedger:
    """The warehouse's G2B call ledger with the key's daily budget per operation (G2B_DAILY_CALL_BUDGET)."""

    engine: Engine
    budget: int

    def quota_day(self) -> dt.date:
        return now_kst().date()

    def spend(self, operation: str) -> int:
        """Count one call of `operation` now; refuse it (G2BQuotaExceeded, nothing sent) past the budget."""
        now = now_kst()
        params = {"day": now.date(), "op": operation, "now": now, "budget": self.budget}
        with self.engine.begin() as conn:
            calls = conn.execute(_SPEND, params).scalar()
        if calls is None or calls > self.budget:
            raise G2BQuotaExceeded(
                f"G2B {operation}: the daily budget of {self.budget:,} calls is used up for {now:%Y-%m-%d} KST "
                f"(g2b_call_ledger; G2B_DAILY_CALL_BUDGET)",
                operation,
                next_quota_reset(),
            )
        return int(calls)

    def exhausted(self, operation: str) -> None:
        """G2B answered 22: the operation's day is spent, whatever was counted."""
        now = now_kst()
        with self.engine.begin() as conn:
            conn.execute(_EXHAUST, {"day": now.date(), "op": operation, "now": now, "budget": self.budget})

    def used(self, operation: str, day: dt.date | None = None) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.text("SELECT calls FROM g2b_call_ledger WHERE quota_day = :day AND operation = :op"),
                {"day": day or self.quota_day(), "op": operation},
            ).scalar()
        return int(value or 0)

    def remaining(self, operation: str) -> int:
        return max(0, self.budget - self.used(operation))


def read_ledger(engine: Engine, since: dt.date | None = None) -> list[dict]:
    """Rows of the ledger (quota_day, operation, calls), newest day first: for metadata and reports."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT quota_day, operation, calls FROM g2b_call_ledger WHERE quota_day >= :since "
                "ORDER BY quota_day DESC, operation"
            ),
            {"since": since or dt.date(1970, 1, 1)},
        ).mappings()
        return [dict(r) for r in rows]
