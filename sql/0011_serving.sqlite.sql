-- The serving layer (serving/api): the Korean search index of the notices (docs/serving.md says why).
--
-- An inverted index of character bigrams: one row per (bigram, notice). The FTS5 trigram tokenizer cannot
-- serve a two-syllable query, a custom FTS5 tokenizer needs C, and FTS5 rows are keyed by a rowid that VACUUM
-- may renumber on a table keyed by text; a WITHOUT ROWID table is the same posting list, keyed by notice_no.
-- Triggers keep it in step with bid_notices inside the writer's own transaction. Their INSERTs select DISTINCT rows:
-- SQLite lets the conflict clause of the statement that fires a trigger (an UPSERT here) override the trigger's
-- own OR IGNORE.
CREATE TABLE search_positions (i INTEGER PRIMARY KEY);
INSERT INTO search_positions (i) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) SELECT i FROM n;

CREATE TABLE notice_search_bigrams (
    bigram TEXT NOT NULL,
    notice_no VARCHAR(40) NOT NULL,
    PRIMARY KEY (bigram, notice_no)
) WITHOUT ROWID;
CREATE INDEX notice_search_bigrams_notice ON notice_search_bigrams (notice_no);

CREATE TRIGGER bid_notices_search_insert AFTER INSERT ON bid_notices BEGIN INSERT OR IGNORE INTO notice_search_bigrams (bigram, notice_no) SELECT DISTINCT substr(t.s, p.i, 2), NEW.notice_no FROM (SELECT lower(replace(replace(replace(coalesce(NEW.title, '') || ' ' || coalesce(NEW.notice_agency_name, '') || ' ' || coalesce(NEW.demand_agency_name, '') || ' ' || coalesce(NEW.classification_name, ''), char(9), ' '), char(10), ' '), char(13), ' ')) AS s) AS t JOIN search_positions AS p ON p.i < length(t.s) WHERE instr(substr(t.s, p.i, 2), ' ') = 0; END;
CREATE TRIGGER bid_notices_search_delete AFTER DELETE ON bid_notices BEGIN DELETE FROM notice_search_bigrams WHERE notice_no = OLD.notice_no; END;
CREATE TRIGGER bid_notices_search_update AFTER UPDATE ON bid_notices BEGIN DELETE FROM notice_search_bigrams WHERE notice_no = OLD.notice_no; INSERT OR IGNORE INTO notice_search_bigrams (bigram, notice_no) SELECT DISTINCT substr(t.s, p.i, 2), NEW.notice_no FROM (SELECT lower(replace(replace(replace(coalesce(NEW.title, '') || ' ' || coalesce(NEW.notice_agency_name, '') || ' ' || coalesce(NEW.demand_agency_name, '') || ' ' || coalesce(NEW.classification_name, ''), char(9), ' '), char(10), ' '), char(13), ' ')) AS s) AS t JOIN search_positions AS p ON p.i < length(t.s) WHERE instr(substr(t.s, p.i, 2), ' ') = 0; END;
INSERT OR IGNORE INTO notice_search_bigrams (bigram, notice_no) SELECT DISTINCT substr(t.s, p.i, 2), t.notice_no FROM (SELECT notice_no, lower(replace(replace(replace(coalesce(title, '') || ' ' || coalesce(notice_agency_name, '') || ' ' || coalesce(demand_agency_name, '') || ' ' || coalesce(classification_name, ''), char(9), ' '), char(10), ' '), char(13), ' ')) AS s FROM bid_notices) AS t JOIN search_positions AS p ON p.i < length(t.s) WHERE instr(substr(t.s, p.i, 2), ' ') = 0;

-- Keyset paging of the notice list in each of its sort orders (the sort key, then notice_no as tie-breaker).
CREATE INDEX bid_notices_registered_key ON bid_notices (registered_at, notice_no);
CREATE INDEX bid_notices_close_key ON bid_notices (coalesce(bid_close_at, '9999-12-31 00:00:00'), notice_no);
CREATE INDEX bid_notices_price_key ON bid_notices (coalesce(estimated_price, -1), notice_no);
