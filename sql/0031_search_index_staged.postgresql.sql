-- The search index's bigrams computed by the writer (issue 28). bidradar_bigrams in SQL cost ~70 µs a notice, two
-- thirds of the server's CPU for a day of notices; polars computes the same in ~9 µs. The notice writer COPYs
-- (notice_no, the indexed text as written, its bigrams) here before it writes bid_notices, in the same
-- transaction, and deletes them again before it commits: no row of this table is ever committed. The statement
-- triggers of 0024 take a notice's bigrams from here when its indexed text is exactly the staged one, and compute
-- them as before otherwise (any other writer, or a text the writer left to the server:
-- bidradar.ingestion.search_index says which). UNLOGGED: nothing here outlives its transaction.
CREATE UNLOGGED TABLE notice_search_staged (
    notice_no VARCHAR(40) PRIMARY KEY,
    source_text TEXT NOT NULL,             -- concat_ws(' ', title, notice_agency_name, demand_agency_name, classification_name)
    bigrams TEXT[] NOT NULL                -- bidradar_bigrams(bidradar_search_text(...)) of that text
);

CREATE OR REPLACE FUNCTION bidradar_notice_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO notice_search (notice_no, bigrams) SELECT i.notice_no, coalesce(s.bigrams, bidradar_bigrams(bidradar_search_text(i.title, i.notice_agency_name, i.demand_agency_name, i.classification_name))) FROM inserted_notices AS i LEFT JOIN notice_search_staged AS s ON s.notice_no = i.notice_no AND s.source_text = concat_ws(' ', i.title, i.notice_agency_name, i.demand_agency_name, i.classification_name) ON CONFLICT (notice_no) DO UPDATE SET bigrams = excluded.bigrams; RETURN NULL; END $$;
CREATE OR REPLACE FUNCTION bidradar_notice_search_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM notice_search AS s USING notices_before AS b WHERE s.notice_no = b.notice_no AND NOT EXISTS (SELECT FROM notices_after AS a WHERE a.notice_no = b.notice_no); INSERT INTO notice_search (notice_no, bigrams) SELECT a.notice_no, coalesce(s.bigrams, bidradar_bigrams(bidradar_search_text(a.title, a.notice_agency_name, a.demand_agency_name, a.classification_name))) FROM notices_after AS a LEFT JOIN notices_before AS b ON b.notice_no = a.notice_no LEFT JOIN notice_search_staged AS s ON s.notice_no = a.notice_no AND s.source_text = concat_ws(' ', a.title, a.notice_agency_name, a.demand_agency_name, a.classification_name) WHERE b.notice_no IS NULL OR bidradar_search_text(a.title, a.notice_agency_name, a.demand_agency_name, a.classification_name) IS DISTINCT FROM bidradar_search_text(b.title, b.notice_agency_name, b.demand_agency_name, b.classification_name) ON CONFLICT (notice_no) DO UPDATE SET bigrams = excluded.bigrams; RETURN NULL; END $$;
