-- PostgreSQL's search index moves from a row trigger to statement triggers (issue 28). SQLite has no statement
-- triggers; its row triggers of 0011 stay as they are.
SELECT 1;
