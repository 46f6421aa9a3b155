"""What the API reads, as SQLAlchemy Core tables, and the one way it reads: a snapshot per request.

Every page is read inside one read-only transaction (PostgreSQL REPEATABLE READ, a SQLite read transaction in
WAL mode). The writers replace tables in one transaction each (bidradar.core.warehouse.write), so a page shows
the rows of one run, never half of two. Nothing here builds SQL from strings: queries are Core expressions with
bound parameters.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bidradar.core import schema, warehouse
from bidradar.ingestion import readers

# Ingestion's tables are read through ingestion's selectables and readers (bidradar/ingestion/readers.py); the rest
# are the warehouse's own metadata (bidradar.core.schema): the tables as the migrations made them.
bid_notices = readers.notices
notice_region_limits = readers.notice_region_limits
bid_results = readers.openings
table_versions = schema.table_versions
# The search index of migration 0011: a GIN-indexed bigram array on PostgreSQL, a bigram table on SQLite.
notice_search = schema.notice_search
notice_search_bigrams = schema.notice_search_bigrams
# Dashboard sessions (migration 0017): the only table the API writes (serving/api/sessions.py).
api_sessions = schema.api_sessions


class Warehouse:
    """The API's engine and snapshot reads."""

    def __init__(self, database_url: str) -> None:
        self.engine: Engine = warehouse.make_engine(database_url)
        if self.engine.dialect.name == "postgresql":
            # More connections than the threadpool has workers would only queue inside PostgreSQL. At most 12 per
            # worker process: bidradar_reader's CONNECTION LIMIT (24, migration 0017) holds two workers.
            # Every transaction of the API's sessions is a read-only snapshot, set once per connection (no
            # per-request SET round trips): REPEATABLE READ sees one committed state for the whole page.
            options = "-c default_transaction_isolation=repeatable\\ read -c default_transaction_read_only=on"
            self.engine = sa.create_engine(
                warehouse.sqlalchemy_url(database_url),
                pool_size=10,
                max_overflow=2,
                pool_recycle=600,
                connect_args={"options": options},
            )
        self.dialect = self.engine.dialect.name
        self.search_probes: dict[tuple[int, str], list[str] | None] = {}  # search.plan's memory

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """One read-only transaction: every query of a page sees the same committed state."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def versions(self, conn: Connection, tables: tuple[str, ...]) -> dict[str, int]:
        return versions(conn, tables)


def versions(conn: Connection, tables: tuple[str, ...]) -> dict[str, int]:
    """Each table's write count (table_versions; 0: never written), read in the caller's snapshot."""
    found = {name: int(version) for name, version in conn.execute(_versions_query(tables))}
    return {t: found.get(t, 0) for t in tables}


@functools.lru_cache(maxsize=64)
def _versions_query(tables: tuple[str, ...]) -> sa.Select:
    # Built once per set of tables (a handful, named in the code): every request reads versions for its ETag.
    return sa.select(table_versions.c.table_name, table_versions.c.version).where(
        table_versions.c.table_name.in_(tables)
    )
