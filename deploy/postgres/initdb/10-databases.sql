-- Runs once, when the PostgreSQL volume is empty (the official image's /docker-entrypoint-initdb.d), as
-- POSTGRES_USER. The warehouse database (POSTGRES_DB=bidradar) already exists; the Dagster instance gets its own,
-- so a backup, a restore or a vacuum of one never touches the other.
CREATE DATABASE dagster;
-- Dagster's event log: asynchronous commit (see the durability notes in postgresql.conf).
ALTER DATABASE dagster SET synchronous_commit = off;
-- Only roles granted a database connect to it: the API's bidradar_reader (migration 0017 grants it the warehouse)
-- reaches neither Dagster's database nor the maintenance one.
REVOKE CONNECT, TEMPORARY ON DATABASE dagster FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;
