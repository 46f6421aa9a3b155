-- Incremental hard matches (issue 21 item 2): what the last run judged, so the next one judges only what changed.
-- The failing rules of each ineligible pair (a bit per rule, in bidradar.matching.explain.RULES order): the pairs
-- are not shown, but the per-company summary counts them, and is recomputed from these rows and hard_matches.
CREATE TABLE hard_match_failures (
    company_id VARCHAR(80) NOT NULL,
    notice_no VARCHAR(40) NOT NULL,
    fail_mask INTEGER NOT NULL,
    PRIMARY KEY (company_id, notice_no)
);

-- The fingerprint of every input the stored matches were judged on: a notice's revision and completeness
-- ('notice', notice_no), a profile's hash ('profile', company_id), the rules' version and day ('rules', 'hard').
CREATE TABLE hard_match_inputs (
    input_kind VARCHAR(10) NOT NULL,
    input_key VARCHAR(80) NOT NULL,
    fingerprint VARCHAR(120) NOT NULL,
    PRIMARY KEY (input_kind, input_key)
);
