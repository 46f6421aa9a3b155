-- Dashboard sessions and a least-privilege API role (issue 26; docs/serving.md). No percent sign in this file: the
-- driver would read it as a parameter.
--
-- Sessions (serving/api/sessions.py): a random session id in the cookie, only its sha256 here, with its company and
-- expiry. Sign-in inserts one (and deletes the one it replaces), sign-out deletes it: the only rows the API writes.
CREATE TABLE api_sessions (
    session_hash CHAR(64) PRIMARY KEY,
    company_id VARCHAR(100) NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX api_sessions_expires ON api_sessions (expires_at);

-- The database: only the roles granted may connect, and nobody but the writer creates temporary tables. The writer
-- (the role that migrates) keeps both; bidradar_reader gets CONNECT alone.
DO $$ DECLARE db text := quote_ident(current_database()); BEGIN EXECUTE 'REVOKE ALL ON DATABASE ' || db || ' FROM PUBLIC'; EXECUTE 'GRANT CONNECT, TEMPORARY ON DATABASE ' || db || ' TO ' || quote_ident(current_user); EXECUTE 'REVOKE ALL ON DATABASE ' || db || ' FROM bidradar_reader'; EXECUTE 'GRANT CONNECT ON DATABASE ' || db || ' TO bidradar_reader'; END $$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- SELECT only on what the API reads (0011 granted every table, and every later one by default privileges). A later
-- migration that adds a table the API reads grants SELECT on it to bidradar_reader itself.
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM bidradar_reader;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM bidradar_reader;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM bidradar_reader;
DO $$ DECLARE t text; BEGIN FOREACH t IN ARRAY ARRAY['bid_notices', 'notice_base_amounts', 'notice_license_limits', 'notice_region_limits', 'notice_detail_fetches', 'notice_search', 'bid_results', 'bid_outcomes', 'bid_result_bidders', 'bid_result_reserve_prices', 'company_profiles', 'hard_matches', 'hard_match_summary', 'soft_matches', 'match_analyses', 'bid_recommendations', 'table_versions'] LOOP IF to_regclass('public.' || quote_ident(t)) IS NOT NULL THEN EXECUTE 'GRANT SELECT ON public.' || quote_ident(t) || ' TO bidradar_reader'; END IF; END LOOP; END $$;
GRANT SELECT, INSERT, DELETE ON api_sessions TO bidradar_reader;

-- No advisory locks (the writers' migrate and partition locks) and no large objects: revoke EXECUTE on those
-- functions from PUBLIC in this database and grant it back to the writer. Only a superuser may change the ACL of
-- pg_catalog functions (on the Pi the migrating role is one); elsewhere this warns, and docs/serving.md says what
-- to run as a superuser.
DO $$ DECLARE f regprocedure; BEGIN IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN RAISE WARNING 'bidradar 0017: not a superuser, so bidradar_reader keeps EXECUTE on pg_advisory_* and lo_*: run the REVOKE statements of docs/serving.md as a superuser'; RETURN; END IF; FOR f IN SELECT p.oid::regprocedure FROM pg_proc AS p WHERE p.pronamespace = 'pg_catalog'::regnamespace AND ((starts_with(p.proname, 'pg_') AND strpos(p.proname, 'advisory') > 0) OR starts_with(p.proname, 'lo_') OR p.proname IN ('loread', 'lowrite')) LOOP EXECUTE 'REVOKE EXECUTE ON FUNCTION ' || f::text || ' FROM PUBLIC'; EXECUTE 'GRANT EXECUTE ON FUNCTION ' || f::text || ' TO ' || quote_ident(current_user); END LOOP; END $$;

-- A runaway query ends after 5 s, an idle transaction after 30 s, and the API's pools (20 connections per worker)
-- cannot take every connection of the server (max_connections = 40 on the Pi).
ALTER ROLE bidradar_reader SET statement_timeout = '5s';
ALTER ROLE bidradar_reader SET idle_in_transaction_session_timeout = '30s';
ALTER ROLE bidradar_reader CONNECTION LIMIT 24;
