-- The serving layer (serving/api): the Korean search index of the notices and a read-only role for the API.
--
-- Search: character bigrams of each notice's title and agency names, in a GIN-indexed text[] (docs/serving.md
-- says why: pg_trgm cannot serve a two-syllable query and extracts no trigrams from Hangul under the C locale,
-- pg_bigm and mecab-ko are not packaged). A trigger keeps notice_search in step with bid_notices inside the
-- writer's own transaction, so the index never shows a notice of another run.
CREATE FUNCTION bidradar_search_text(title text, notice_agency text, demand_agency text, classification text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT lower(concat_ws(' ', title, notice_agency, demand_agency, classification)) $$;
CREATE FUNCTION bidradar_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT coalesce(array_agg(DISTINCT b ORDER BY b), '{}') FROM (SELECT substr(t, i, 2) AS b FROM generate_series(1, char_length(t) - 1) AS i) AS grams WHERE b !~ '\s' $$;

CREATE TABLE notice_search (
    notice_no VARCHAR(40) PRIMARY KEY,
    bigrams TEXT[] NOT NULL                -- distinct character bigrams, no whitespace inside one
);
CREATE INDEX notice_search_bigrams ON notice_search USING gin (bigrams);

CREATE FUNCTION bidradar_notice_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP IN ('DELETE', 'UPDATE') THEN DELETE FROM notice_search WHERE notice_no = OLD.notice_no; END IF; IF TG_OP IN ('INSERT', 'UPDATE') THEN INSERT INTO notice_search (notice_no, bigrams) VALUES (NEW.notice_no, bidradar_bigrams(bidradar_search_text(NEW.title, NEW.notice_agency_name, NEW.demand_agency_name, NEW.classification_name))); END IF; RETURN NULL; END $$;
CREATE TRIGGER bid_notices_search AFTER INSERT OR UPDATE OR DELETE ON bid_notices FOR EACH ROW EXECUTE FUNCTION bidradar_notice_search_sync();
INSERT INTO notice_search (notice_no, bigrams) SELECT notice_no, bidradar_bigrams(bidradar_search_text(title, notice_agency_name, demand_agency_name, classification_name)) FROM bid_notices;

-- Keyset paging of the notice list in each of its sort orders (the sort key, then notice_no as tie-breaker).
CREATE INDEX bid_notices_registered_key ON bid_notices (registered_at, notice_no);
CREATE INDEX bid_notices_close_key ON bid_notices ((coalesce(bid_close_at, TIMESTAMP '9999-12-31 00:00:00')), notice_no);
CREATE INDEX bid_notices_price_key ON bid_notices ((coalesce(estimated_price, -1)), notice_no);

-- The API's role: it may read, never write. Roles belong to the cluster, so it is created once and each
-- database grants it what it needs. LOGIN without a password: set one for a non-local server
-- (ALTER ROLE bidradar_reader PASSWORD '...') and put it in API_DATABASE_URL.
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bidradar_reader') THEN CREATE ROLE bidradar_reader LOGIN; END IF; END $$;
ALTER ROLE bidradar_reader SET default_transaction_read_only = on;
DO $$ BEGIN EXECUTE 'GRANT CONNECT ON DATABASE ' || quote_ident(current_database()) || ' TO bidradar_reader'; END $$;
GRANT USAGE ON SCHEMA public TO bidradar_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO bidradar_reader;
-- Tables of later migrations (created by the same migrating role) are readable too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO bidradar_reader;
