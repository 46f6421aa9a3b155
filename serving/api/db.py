"""What the API reads, as SQLAlchemy Core tables, and the one way it reads: a snapshot per request.

Every page is read inside one read-only transaction (PostgreSQL REPEATABLE READ, a SQLite read transaction in
WAL mode). The writers replace tables in one transaction each (bidradar.core.warehouse.write), so a page shows
the rows of one run, never half of two. Nothing here builds SQL from strings: queries are Core expressions with
bound parameters.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Engine

from bidradar.core import warehouse
from serving.api.coltypes import Day, Timestamp

metadata = sa.MetaData()

bid_notices = sa.Table(
    "bid_notices",
    metadata,
    sa.Column("notice_no", sa.String, primary_key=True),
    sa.Column("notice_order", sa.String),
    sa.Column("partition_date", Day),
    sa.Column("category", sa.String),
    sa.Column("notice_kind", sa.String),
    sa.Column("is_cancelled", sa.Boolean),
    sa.Column("is_renotice", sa.Boolean),
    sa.Column("is_international", sa.Boolean),
    sa.Column("title", sa.String),
    sa.Column("notice_agency_code", sa.String),
    sa.Column("notice_agency_name", sa.String),
    sa.Column("demand_agency_code", sa.String),
    sa.Column("demand_agency_name", sa.String),
    sa.Column("bid_method", sa.String),
    sa.Column("contract_method", sa.String),
    sa.Column("award_method", sa.String),
    sa.Column("price_decision_method", sa.String),
    sa.Column("reserve_price_count", sa.Integer),
    sa.Column("drawn_price_count", sa.Integer),
    sa.Column("lower_limit_rate", sa.Float),
    sa.Column("budget_amount", sa.BigInteger),
    sa.Column("estimated_price", sa.BigInteger),
    sa.Column("vat_amount", sa.BigInteger),
    sa.Column("registered_at", Timestamp),
    sa.Column("notice_at", Timestamp),
    sa.Column("bid_begin_at", Timestamp),
    sa.Column("bid_close_at", Timestamp),
    sa.Column("opening_at", Timestamp),
    sa.Column("qualification_deadline_at", Timestamp),
    sa.Column("changed_at", Timestamp),
    sa.Column("change_reason", sa.String),
    sa.Column("is_license_limited", sa.Boolean),
    sa.Column("is_participation_limited", sa.Boolean),
    sa.Column("construction_site_region", sa.String),
    sa.Column("classification_no", sa.String),
    sa.Column("classification_name", sa.String),
    sa.Column("product_name", sa.String),
    sa.Column("service_division", sa.String),
    sa.Column("main_work_type", sa.String),
    sa.Column("attachment_names", sa.String),
    sa.Column("detail_url", sa.String),
    sa.Column("previous_notice_no", sa.String),
    sa.Column("reference_no", sa.String),
)

notice_base_amounts = sa.Table(
    "notice_base_amounts",
    metadata,
    sa.Column("notice_no", sa.String),
    sa.Column("notice_order", sa.String),
    sa.Column("base_amount", sa.BigInteger),
    sa.Column("reserve_range_low_pct", sa.Float),
    sa.Column("reserve_range_high_pct", sa.Float),
    sa.Column("base_amount_published_at", Timestamp),
    sa.Column("registered_at", Timestamp),
)
notice_license_limits = sa.Table(
    "notice_license_limits",
    metadata,
    sa.Column("notice_no", sa.String),
    sa.Column("notice_order", sa.String),
    sa.Column("group_no", sa.Integer),
    sa.Column("seq_no", sa.Integer),
    sa.Column("license_name", sa.String),
    sa.Column("license_code", sa.String),
    sa.Column("permitted_industries_raw", sa.String),
    sa.Column("registered_at", Timestamp),
)
notice_region_limits = sa.Table(
    "notice_region_limits",
    metadata,
    sa.Column("notice_no", sa.String),
    sa.Column("notice_order", sa.String),
    sa.Column("seq_no", sa.Integer),
    sa.Column("region_name", sa.String),
    sa.Column("sido", sa.String),
    sa.Column("sigungu", sa.String),
    sa.Column("registered_at", Timestamp),
)
notice_detail_fetches = sa.Table(
    "notice_detail_fetches",
    metadata,
    sa.Column("partition_date", Day),
    sa.Column("license_limits_complete", sa.Boolean),
    sa.Column("region_limits_complete", sa.Boolean),
    sa.Column("base_amounts_complete", sa.Boolean),
)
bid_results = sa.Table(
    "bid_results",
    metadata,
    sa.Column("notice_no", sa.String),
    sa.Column("notice_order", sa.String),
    sa.Column("bid_class_no", sa.String),
    sa.Column("rebid_no", sa.String),
    sa.Column("opened_at", Timestamp),
    sa.Column("opening_status", sa.String),
    sa.Column("participant_count", sa.Integer),
    sa.Column("base_amount", sa.BigInteger),
    sa.Column("planned_price", sa.BigInteger),
    sa.Column("assessment_rate_pct", sa.Float),
    sa.Column("lower_limit_rate", sa.Float),
    sa.Column("winner_name", sa.String),
    sa.Column("winning_amount", sa.BigInteger),
    sa.Column("winning_rate_pct", sa.Float),
)
company_profiles = sa.Table(
    "company_profiles",
    metadata,
    sa.Column("company_id", sa.String, primary_key=True),
    sa.Column("name", sa.String),
    sa.Column("is_valid", sa.Boolean),
    sa.Column("profile_json", sa.String),
    sa.Column("data_hash", sa.String),
)
soft_matches = sa.Table(
    "soft_matches",
    metadata,
    sa.Column("company_id", sa.String),
    sa.Column("notice_no", sa.String),
    sa.Column("rank", sa.Integer),
    sa.Column("score", sa.Float),
    sa.Column("matched_terms", sa.String),
    sa.Column("scorer", sa.String),
)
match_analyses = sa.Table(
    "match_analyses",
    metadata,
    sa.Column("company_id", sa.String),
    sa.Column("notice_no", sa.String),
    sa.Column("source", sa.String),
    sa.Column("label_ko", sa.String),
    sa.Column("model", sa.String),
    sa.Column("summary_ko", sa.String),
    sa.Column("key_requirements", sa.String),
    sa.Column("eligibility_concerns", sa.String),
    sa.Column("risks", sa.String),
    sa.Column("effort_estimate", sa.String),
    sa.Column("decision", sa.String),
    sa.Column("decision_reasons", sa.String),
    sa.Column("fit_score", sa.Integer),
    sa.Column("analysed_at", Timestamp),
)
table_versions = sa.Table(
    "table_versions", metadata, sa.Column("table_name", sa.String), sa.Column("version", sa.BigInteger)
)
# The search index of migration 0011: a GIN-indexed bigram array on PostgreSQL, a bigram table on SQLite.
notice_search = sa.Table(
    "notice_search",
    metadata,
    sa.Column("notice_no", sa.String, primary_key=True),
    sa.Column("bigrams", postgresql.ARRAY(sa.Text)),
)
notice_search_bigrams = sa.Table(
    "notice_search_bigrams", metadata, sa.Column("bigram", sa.String), sa.Column("notice_no", sa.String)
)

# Dashboard sessions (migration 0017): only the sha256 of the session id is stored.
api_sessions = sa.Table(
    "api_sessions",
    metadata,
    sa.Column("session_hash", sa.String, primary_key=True),
    sa.Column("company_id", sa.String),
    sa.Column("created_at", Timestamp),
    sa.Column("expires_at", Timestamp),
)

# Tables whose columns other issues change (hard_matches: reason codes instead of verdicts; bid_result_bidders
# without is_winner) or add (bid_recommendations) are reflected at run time: Warehouse.reflected / optional_table.


class Warehouse:
    """The API's engine, which optional tables exist (rechecked every minute), and snapshot reads."""

    def __init__(self, database_url: str) -> None:
        self.engine: Engine = warehouse.make_engine(database_url)
        if self.engine.dialect.name == "postgresql":
            # More connections than the threadpool has workers would only queue inside PostgreSQL.
            # Every transaction of the API's sessions is a read-only snapshot, set once per connection (no
            # per-request SET round trips): REPEATABLE READ sees one committed state for the whole page.
            options = "-c default_transaction_isolation=repeatable\\ read -c default_transaction_read_only=on"
            self.engine = sa.create_engine(
                warehouse.sqlalchemy_url(database_url),
                pool_size=10,
                max_overflow=10,
                pool_recycle=600,
                connect_args={"options": options},
            )
        self.dialect = self.engine.dialect.name
        self._optional: dict[str, sa.Table | None] = {}
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self.search_probes: dict[tuple[int, str], list[str] | None] = {}  # search.plan's memory

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """One read-only transaction: every query of a page sees the same committed state."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def reflected(self, conn: Connection, name: str) -> sa.Table:
        """A table as the warehouse has it now (its columns change with other issues' migrations)."""
        table = self.optional_table(conn, name)
        if table is None:
            raise LookupError(f"the warehouse has no table {name}: run `bidradar migrate`")
        return table

    def optional_table(self, conn: Connection, name: str) -> sa.Table | None:
        """The reflected table if it exists in the warehouse (tables of issues that may not have landed)."""
        with self._lock:
            if time.monotonic() - self._checked_at > 60:
                self._optional, self._checked_at = {}, time.monotonic()
            if name not in self._optional:
                inspector = sa.inspect(conn)
                self._optional[name] = (
                    sa.Table(name, sa.MetaData(), autoload_with=conn) if inspector.has_table(name) else None
                )
            return self._optional[name]

    def versions(self, conn: Connection, tables: tuple[str, ...]) -> dict[str, int]:
        return versions(conn, tables)


def versions(conn: Connection, tables: tuple[str, ...]) -> dict[str, int]:
    """Each table's write count (table_versions; 0: never written), read in the caller's snapshot."""
    rows = conn.execute(
        sa.select(table_versions.c.table_name, table_versions.c.version).where(table_versions.c.table_name.in_(tables))
    )
    found = {name: int(version) for name, version in rows}
    return {t: found.get(t, 0) for t in tables}
