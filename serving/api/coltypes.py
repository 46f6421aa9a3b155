"""Column types that read and compare the same on both backends.

The warehouse keeps times as naive KST; SQLite stores them as "YYYY-MM-DD HH:MM:SS" text, and a bound
parameter must be that exact text to compare right (SQLAlchemy's own SQLite format adds microseconds)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa


class Timestamp(sa.types.TypeDecorator):
    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect):  # type: ignore[no-untyped-def]
        return dialect.type_descriptor(sa.String() if dialect.name == "sqlite" else sa.DateTime())

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None or dialect.name != "sqlite":
            return value
        return value.strftime("%Y-%m-%d %H:%M:%S")

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None or isinstance(value, dt.datetime):
            return value
        return dt.datetime.fromisoformat(str(value))


class Day(sa.types.TypeDecorator):
    impl = sa.Date
    cache_ok = True

    def load_dialect_impl(self, dialect):  # type: ignore[no-untyped-def]
        return dialect.type_descriptor(sa.String() if dialect.name == "sqlite" else sa.Date())

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None or dialect.name != "sqlite":
            return value
        return value.isoformat()

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None or isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value)[:10])
