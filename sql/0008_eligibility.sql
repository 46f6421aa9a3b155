-- Issue 11: eligibility by G2B's real rules, matches kept as reason codes, analyses paid for once.

-- The notice fields the rules read: 실적제한 (arsltCmptYn) and the stated 지역제한 basis (rgnLmtBidLocplcJdgmBssNm,
-- e.g. 본사소재지): a notice with a basis but no 참가가능지역 rows is unknown, never nationwide.
ALTER TABLE bid_notices ADD COLUMN is_track_record_limited BOOLEAN;
ALTER TABLE bid_notices ADD COLUMN region_limit_basis VARCHAR(100);

-- 주력분야 of a license limit (indstrytyMfrcFldList, "[1^토목^건축],[1^포장]"), as published.
ALTER TABLE notice_license_limits ADD COLUMN main_fields_raw TEXT;

-- Only the pairs worth showing (eligible, unknown), one reason code per rule (bidradar.matching.explain.REASONS:
-- 0-9 pass, 10-19 fail, 20-29 unknown) and the facts the explanation names; the text is rendered where it is read.
DROP TABLE hard_matches;
CREATE TABLE hard_matches (
    company_id VARCHAR(80) NOT NULL,
    notice_no VARCHAR(40) NOT NULL,
    notice_order VARCHAR(3) NOT NULL,
    category VARCHAR(20),
    bid_close_at TIMESTAMP,
    estimated_price BIGINT,
    verdict VARCHAR(12) NOT NULL,          -- eligible or unknown
    license_reason SMALLINT NOT NULL,
    region_reason SMALLINT NOT NULL,
    amount_reason SMALLINT NOT NULL,
    sme_reason SMALLINT NOT NULL,
    category_reason SMALLINT NOT NULL,
    keyword_reason SMALLINT NOT NULL,
    deadline_reason SMALLINT NOT NULL,
    record_reason SMALLINT NOT NULL,
    license_detail TEXT,                   -- the license held that met the limit (named as the company holds it)
    region_detail TEXT,                    -- the allowed regions
    keyword_detail TEXT,                   -- the exclude keyword found
    amount_limit BIGINT,                   -- the company's 수행한도
    largest_contract BIGINT,               -- its largest past contract
    sme_limit BIGINT,                      -- the 중소기업 threshold in force for the notice
    PRIMARY KEY (company_id, notice_no)
);
CREATE INDEX hard_matches_company_verdict ON hard_matches (company_id, verdict);

-- Per company and run: what the board shows about the pairs that are not stored.
CREATE TABLE hard_match_summary (
    company_id VARCHAR(80) PRIMARY KEY,
    open_notices INTEGER NOT NULL,
    eligible INTEGER NOT NULL,
    unknown INTEGER NOT NULL,
    ineligible INTEGER NOT NULL,
    fail_license INTEGER NOT NULL,
    fail_region INTEGER NOT NULL,
    fail_amount INTEGER NOT NULL,
    fail_sme INTEGER NOT NULL,
    fail_category INTEGER NOT NULL,
    fail_keyword INTEGER NOT NULL,
    fail_deadline INTEGER NOT NULL,
    fail_record INTEGER NOT NULL,
    as_of TIMESTAMP NOT NULL,
    evaluated_at TIMESTAMP NOT NULL
);

-- Gemini answers, append-only, keyed by what the analysis depends on: the notice's revision, the profile's content
-- hash, the prompt version and the model (cache_key = sha256 of those). Never deleted: a pair that leaves the top K
-- and comes back is not paid for again.
CREATE TABLE analysis_answers (
    cache_key CHAR(64) PRIMARY KEY,
    company_id VARCHAR(80) NOT NULL,
    notice_no VARCHAR(40) NOT NULL,
    notice_revision VARCHAR(40) NOT NULL,
    profile_hash CHAR(64) NOT NULL,
    prompt_version VARCHAR(40) NOT NULL,
    model VARCHAR(80) NOT NULL,
    answer_json TEXT NOT NULL,             -- the structured answer (MatchAnalysis)
    prompt_tokens INTEGER,
    output_tokens INTEGER,
    answered_at TIMESTAMP NOT NULL
);
CREATE INDEX analysis_answers_company ON analysis_answers (company_id, notice_no);
ALTER TABLE match_analyses ADD COLUMN cache_key CHAR(64);
