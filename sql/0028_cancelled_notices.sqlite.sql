-- The cancelled notices (about 1% of bid_notices) as a partial index: /api/stats counts them and the notice list's
-- status=cancelled filter reads them without scanning every notice. SQLite has no boolean: SQLAlchemy writes the
-- condition as `is_cancelled = 1`, and SQLite uses a partial index only when the query's terms name its condition.
CREATE INDEX bid_notices_cancelled ON bid_notices (notice_no) WHERE is_cancelled = 1;
