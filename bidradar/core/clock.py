"""Korean time, in one place. G2B publishes naive KST times, the warehouse keeps them so, and partitions are
Asia/Seoul days: every "now" of the platform comes from here, never from the machine's local time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TIMEZONE = "Asia/Seoul"  # the IANA name, for Dagster partitions and schedules
KST = ZoneInfo(TIMEZONE)


def now_kst() -> dt.datetime:
    """Now in Korea, naive and to the second, as warehouse timestamps are."""
    return dt.datetime.now(KST).replace(tzinfo=None, microsecond=0)


def today_kst() -> dt.date:
    return dt.datetime.now(KST).date()
