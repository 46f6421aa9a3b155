-- PostgreSQL's price index covers the list's filters (0032's PostgreSQL file); SQLite reads the list as before.
SELECT 1;
