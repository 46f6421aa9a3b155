-- Matching at a year's volume (issue 28 item 2): hard_match_failures kept one row per ineligible (company, open
-- notice) pair so that hard_match_summary could be recounted after an incremental run (18.6M rows at 1,000 companies
-- × 20,000 notices). One row per open notice replaces them: every company's verdict code (a bit per failing rule,
-- else unknown or conditional), 2 bytes each in company_id order, zlib-compressed (bidradar.matching.store).
-- Dialects differ only in the binary type (SQLite BLOB, PostgreSQL BYTEA). The next hard_matches run rebuilds.
DROP TABLE hard_match_failures;
CREATE TABLE hard_match_notice_verdicts (
    notice_no VARCHAR(40) NOT NULL PRIMARY KEY,
    companies_digest VARCHAR(16) NOT NULL,  -- the companies of the codes, in order (store.companies_digest)
    verdict_codes BYTEA NOT NULL              -- zlib of one little-endian uint16 per company
);
