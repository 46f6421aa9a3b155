-- The search index (0011) kept in step per statement instead of per row (issue 28): a row trigger ran a PL/pgSQL
-- call, a DELETE and an INSERT for every notice loaded, 55% of a day's notice write. Statement triggers with
-- transition tables do the same set-based, still inside the writer's transaction (the index never shows a notice
-- of another run), and an UPDATE whose indexed text did not change (a rerun, a new 차수 with the same title)
-- leaves its bigrams alone. PostgreSQL allows transition tables only on one-event triggers: three of them.
DROP TRIGGER bid_notices_search ON bid_notices;
DROP FUNCTION bidradar_notice_search_sync();

CREATE FUNCTION bidradar_notice_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO notice_search (notice_no, bigrams) SELECT notice_no, bidradar_bigrams(bidradar_search_text(title, notice_agency_name, demand_agency_name, classification_name)) FROM inserted_notices ON CONFLICT (notice_no) DO UPDATE SET bigrams = excluded.bigrams; RETURN NULL; END $$;
CREATE FUNCTION bidradar_notice_search_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM notice_search AS s USING notices_before AS b WHERE s.notice_no = b.notice_no AND NOT EXISTS (SELECT FROM notices_after AS a WHERE a.notice_no = b.notice_no); INSERT INTO notice_search (notice_no, bigrams) SELECT a.notice_no, bidradar_bigrams(bidradar_search_text(a.title, a.notice_agency_name, a.demand_agency_name, a.classification_name)) FROM notices_after AS a LEFT JOIN notices_before AS b ON b.notice_no = a.notice_no WHERE b.notice_no IS NULL OR bidradar_search_text(a.title, a.notice_agency_name, a.demand_agency_name, a.classification_name) IS DISTINCT FROM bidradar_search_text(b.title, b.notice_agency_name, b.demand_agency_name, b.classification_name) ON CONFLICT (notice_no) DO UPDATE SET bigrams = excluded.bigrams; RETURN NULL; END $$;
CREATE FUNCTION bidradar_notice_search_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM notice_search AS s USING deleted_notices AS d WHERE s.notice_no = d.notice_no; RETURN NULL; END $$;

CREATE TRIGGER bid_notices_search_insert AFTER INSERT ON bid_notices REFERENCING NEW TABLE AS inserted_notices FOR EACH STATEMENT EXECUTE FUNCTION bidradar_notice_search_inserted();
CREATE TRIGGER bid_notices_search_update AFTER UPDATE ON bid_notices REFERENCING OLD TABLE AS notices_before NEW TABLE AS notices_after FOR EACH STATEMENT EXECUTE FUNCTION bidradar_notice_search_updated();
CREATE TRIGGER bid_notices_search_delete AFTER DELETE ON bid_notices REFERENCING OLD TABLE AS deleted_notices FOR EACH STATEMENT EXECUTE FUNCTION bidradar_notice_search_deleted();
