-- PostgreSQL's search triggers take the writer's bigrams from a staging table (issue 28). SQLite's row triggers of
-- 0011 index each notice themselves; nothing changes here.
SELECT 1;
