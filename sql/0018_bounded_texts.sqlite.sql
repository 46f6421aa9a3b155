-- Texts bounded on the way in (bidradar.ingestion.normalize.MAX_TEXT_CHARS): which columns of a notice were cut.
-- (SQLite's search triggers index at most the first 2000 positions: 0011_serving.sqlite.sql.)
ALTER TABLE bid_notices ADD COLUMN texts_cut VARCHAR(400);
