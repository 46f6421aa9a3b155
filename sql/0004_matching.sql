-- Company profiles and the matches of the notices open now. Not partitioned: every run replaces each table
-- in one transaction, because a match is about a notice that is open at the time of the run (a closed notice
-- leaves the tables at the next run). as_of is the time the run judged "open" against (KST, no zone).

-- One row per profile file in PROFILES_DIR, valid or not (an invalid file is kept with its error).
CREATE TABLE company_profiles (
    company_id VARCHAR(80) PRIMARY KEY,    -- the file name without .yaml
    file_name VARCHAR(300) NOT NULL,
    name VARCHAR(200),
    data_hash CHAR(64) NOT NULL,           -- sha256 of the file: a new hash is a new version of the profile
    is_valid BOOLEAN NOT NULL,
    error_line INTEGER,
    error_field VARCHAR(200),
    error TEXT,                            -- file:line: field: message
    profile_json TEXT,                     -- the validated profile (NULL when invalid)
    loaded_at TIMESTAMP NOT NULL
);

-- Every (company, open notice) pair: a verdict per rule (pass, fail, unknown), the overall verdict
-- (eligible, ineligible, unknown) and a one-line Korean explanation.
CREATE TABLE hard_matches (
    company_id VARCHAR(80) NOT NULL,
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    category VARCHAR(20) NOT NULL,
    bid_close_at TIMESTAMP,
    estimated_price BIGINT,
    license_verdict VARCHAR(8) NOT NULL,
    region_verdict VARCHAR(8) NOT NULL,
    amount_verdict VARCHAR(8) NOT NULL,
    sme_verdict VARCHAR(8) NOT NULL,
    category_verdict VARCHAR(8) NOT NULL,
    keyword_verdict VARCHAR(8) NOT NULL,
    deadline_verdict VARCHAR(8) NOT NULL,
    verdict VARCHAR(12) NOT NULL,
    explanation_ko TEXT NOT NULL,
    as_of TIMESTAMP NOT NULL,
    evaluated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, notice_no)
);
CREATE INDEX hard_matches_company_verdict ON hard_matches (company_id, verdict);

-- The top K relevant notices per company among its eligible or unknown pairs, score 0..100, rank 1..K.
CREATE TABLE soft_matches (
    company_id VARCHAR(80) NOT NULL,
    notice_no VARCHAR(40) NOT NULL,
    rank INTEGER NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    hard_verdict VARCHAR(12) NOT NULL,     -- eligible or unknown
    matched_terms TEXT NOT NULL,           -- include keywords found in the notice
    scorer VARCHAR(40) NOT NULL,           -- which scorer produced the score, e.g. tfidf-char-2-4
    as_of TIMESTAMP NOT NULL,
    evaluated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, notice_no)
);
CREATE INDEX soft_matches_company_rank ON soft_matches (company_id, rank);
