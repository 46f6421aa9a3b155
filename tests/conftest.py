"""Shared fixtures: real warehouses on SQLite (a temp file) and PostgreSQL (a fresh database per test: a copy of a
migrated template made once per worker, or an empty one for the tests of the migrations).

PostgreSQL comes from BIDRADAR_TEST_POSTGRES_URL, or DATABASE_URL when it is a PostgreSQL URL. Without one,
PostgreSQL tests skip on a laptop; with BIDRADAR_REQUIRE_POSTGRES=1 (CI) they fail instead, and any skipped
PostgreSQL test fails the session.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from bidradar.core import warehouse
from tests.kit import schedule

# One OpenMP (and OpenBLAS) thread per pytest-xdist worker, and in the processes the tests start: xdist already runs
# two workers per core, and the price model's HistGradientBoosting threads, oversubscribed, spin-wait at each barrier.
# On 2 busy cores one fit took 88 CPU-seconds with 2 threads and 10 with 1. Set before numpy or scikit-learn loads
# (both read it once, at load); an OMP_NUM_THREADS given by the caller wins.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")

# The proxy masks large bodies in worker processes forked from multiprocessing's forkserver: warmed there once
# (tests/kit/forkserver_warm.py), each worker starts with the masking modules imported and their patterns compiled,
# instead of paying ~1.8 CPU-s at nice +19 behind the busy test workers. A failing import is skipped by the
# forkserver, and the workers then import on their own, as before.
multiprocessing.set_forkserver_preload(["__main__", "tests.kit.forkserver_warm"])

REQUIRE_POSTGRES = os.environ.get("BIDRADAR_REQUIRE_POSTGRES") == "1"
_skipped_postgres: list[str] = []


def _server_url() -> str | None:
    url = os.environ.get("BIDRADAR_TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


def _no_postgres(reason: str) -> None:
    if REQUIRE_POSTGRES:
        pytest.fail(f"PostgreSQL is mandatory here (BIDRADAR_REQUIRE_POSTGRES=1): {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    url = _server_url()
    if not url:
        _no_postgres("no PostgreSQL: set BIDRADAR_TEST_POSTGRES_URL=postgresql://user@host:port/db")
    try:
        with sa.create_engine(warehouse.sqlalchemy_url(url)).connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        _no_postgres(f"PostgreSQL at {url} is unreachable: {str(error.orig).strip().splitlines()[0]}")
    return url  # type: ignore[return-value]


@pytest.fixture(scope="session")
def postgres_template(postgres_server_url: str) -> Iterator[str]:
    """This process's migrated template database, made once: a copy (CREATE DATABASE ... TEMPLATE) costs the server
    ~0.03 CPU-s and 0.1 s, a migration ~0.3 CPU-s and ~1.5 s with its drop; about a hundred tests take one.

    Made while holding a lock the other pytest-xdist workers wait on: the first migration on a fresh server creates
    the cluster-wide role bidradar_reader (sql/0011); two workers migrating their first databases at the same moment
    would race on it (a unique violation in pg_authid), which no deployment meets (it migrates one database)."""
    name = f"bidradar_template_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(warehouse.sqlalchemy_url(postgres_server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("SELECT pg_advisory_lock(hashtext('bidradar tests: first migration'))"))
        try:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
            engine = warehouse.make_engine(_database(postgres_server_url, name))
            try:
                warehouse.migrate(engine)
            finally:
                engine.dispose()  # a template with a connection open cannot be copied
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(hashtext('bidradar tests: first migration'))"))
    yield name
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _database(server_url: str, name: str) -> str:
    return server_url.rsplit("/", 1)[0] + f"/{name}"


# A copy does not carry the template's database-level privileges (sql/0011 and sql/0017 grant CONNECT to
# bidradar_reader and revoke PUBLIC's): the copy gets the template's, read from the catalogue, so no rule is repeated.
_TEMPLATE_PRIVILEGES = """SELECT CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(role.rolname) END AS grantee,
       acl.privilege_type
FROM pg_database AS db CROSS JOIN LATERAL aclexplode(db.datacl) AS acl LEFT JOIN pg_roles AS role ON role.oid = acl.grantee
WHERE db.datname = :template"""


def _fresh_database(server_url: str, template: str | None) -> Iterator[str]:
    """A new database (a copy of `template`, or empty), dropped afterwards with what a restore made beside it."""
    name = f"bidradar_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(warehouse.sqlalchemy_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if template is None:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
        else:
            conn.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE {template}"))
            conn.execute(sa.text(f"REVOKE ALL ON DATABASE {name} FROM PUBLIC"))
            for grantee, privilege in conn.execute(sa.text(_TEMPLATE_PRIVILEGES), {"template": template}):
                conn.execute(sa.text(f"GRANT {privilege} ON DATABASE {name} TO {grantee}"))
    yield _database(server_url, name)
    with admin.connect() as conn:
        # With the databases a restore made beside it (<name>_restore_..., <name>_before_restore_...), if a test
        # stopped before it dropped them.
        beside = conn.execute(
            sa.text("SELECT datname FROM pg_database WHERE datname LIKE :prefix"), {"prefix": f"{name}\\_%"}
        ).scalars()
        for database in [name, *beside]:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def postgres_url(postgres_server_url: str, postgres_template: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one test, migrated (a copy of the template), dropped afterwards."""
    yield from _fresh_database(postgres_server_url, postgres_template)


@pytest.fixture
def empty_postgres_url(postgres_server_url: str, postgres_template: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (for what migrates or restores into nothing). After the
    template, so this server's first migration (the role) has been made alone."""
    yield from _fresh_database(postgres_server_url, None)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'warehouse.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request) -> str:
    """Each test that takes it runs on both backends. The SQLite file is empty (migrating it costs 0.05 CPU-s); the
    PostgreSQL database is already migrated, which the code's own migrate() then finds done."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request) -> str:
    """Each test that takes it runs on both backends, each from an empty database: for tests of the migrations."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "empty_postgres_url")


@pytest.fixture
def migrated_engine(database_url: str) -> Iterator[sa.Engine]:
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    yield engine
    engine.dispose()


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected: worksteal cuts what is left
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Under `--dist worksteal` (./bidradar.sh test), each worker's chunk starts with its share of the slow tests, so no
    # slow test starts last (tests/kit/schedule.py). Every worker computes the same order from the same collection.
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers > 1 and getattr(config, "workerinput", {}).get("bidradar_dist") == "worksteal":
        items[:] = schedule.lanes(items, lambda item: item.nodeid, schedule.SLOW, workers)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:  # type: ignore[no-untyped-def]
    # pytest-xdist, on the controller: a worker's own --dist reads "no", so tell it how the controller deals.
    node.workerinput["bidradar_dist"] = node.config.getoption("dist")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and "postgres" in report.keywords:
        _skipped_postgres.append(report.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    # Without -rs a skip is a bare "s"; say once, at the end, what did not run and how to run it.
    if _skipped_postgres and not REQUIRE_POSTGRES:
        terminalreporter.write_line(
            f"{len(_skipped_postgres)} PostgreSQL test(s) skipped: no PostgreSQL reachable. Run them with "
            "BIDRADAR_TEST_POSTGRES_URL=postgresql://user@host:5432/db (CI makes them mandatory).",
            yellow=True,
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if REQUIRE_POSTGRES and _skipped_postgres:
        print(f"\n{len(_skipped_postgres)} PostgreSQL test(s) were skipped, which CI does not allow:")
        for nodeid in _skipped_postgres:
            print(f"  {nodeid}")
        session.exitstatus = 1


# The two-day warehouse of the analysis and alert tests: notices of 2026-03-04 and -05 from the simulator (seed
# 20260101, 200 a day) crawled over HTTP, the shipped profiles matched as of 2026-03-05 21:00 (top 20).
MATCHED_DAYS = ("2026-03-04", "2026-03-05")
MATCHED_AS_OF = {"config": {"as_of": "2026-03-05 21:00", "top_k": 20}}


@pytest.fixture(scope="session")
def matched_warehouse_template(tmp_path_factory: pytest.TempPathFactory):
    """Built once per run; tests take a copy (tests.support.copy_sqlite_warehouse), never this folder itself."""
    import datetime as dt
    import shutil
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from dagster import materialize

    from assets import ingestion, matching
    from assets.common.resources import G2BResource, ProfilesResource, WarehouseResource
    from bidradar.ingestion.simulator import G2BSimulator
    from tests.support import materialize_days

    folder = tmp_path_factory.mktemp("matched-template")
    database_url = f"sqlite:///{folder / 'w.db'}"
    shutil.copytree(Path(__file__).resolve().parent.parent / "profiles", folder / "profiles")
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    engine.dispose()
    days = [dt.date.fromisoformat(day) for day in MATCHED_DAYS]
    now = dt.datetime(2026, 3, 5, 21, 0, tzinfo=ZoneInfo("Asia/Seoul"))
    sim = G2BSimulator(seed=20260101, notices_per_day=200, service_key="bidradar-simulator-key", now=now)
    with sim.serve() as url:
        g2b = G2BResource(base_url=url, service_key="bidradar-simulator-key", backoff_initial_seconds=0.01)
        assert materialize_days([ingestion.g2b_raw_notices, ingestion.notice_tables], database_url, days, g2b).success
    result = materialize(
        [matching.company_profiles, matching.hard_matches, matching.soft_matches],
        resources={
            "warehouse": WarehouseResource(database_url=database_url),
            "profiles": ProfilesResource(folder=str(folder / "profiles")),
        },
        run_config={"ops": {"hard_matches": MATCHED_AS_OF, "soft_matches": MATCHED_AS_OF}},
    )
    assert result.success
    return folder
