"""Korean working days: weekdays that are not public holidays (substitute holidays included), from `holidays`."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _korean_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.KR(years=year, language="ko"))


def holiday_name(day: dt.date) -> str | None:
    """The public holiday on `day` (e.g. 삼일절 대체 휴일), or None."""
    return _korean_holidays(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None
