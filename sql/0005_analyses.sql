-- Analyses of each company's best matches, and an audit row per LLM call.

-- One row per (company, notice) analysed; input_hash identifies the question (notice, verdicts, profile view,
-- prompt version, model), so an unchanged question reuses its Gemini answer instead of paying again.
CREATE TABLE match_analyses (
    company_id VARCHAR(80) NOT NULL,
    notice_no VARCHAR(40) NOT NULL,
    input_hash CHAR(64) NOT NULL,
    source VARCHAR(10) NOT NULL,           -- gemini or local
    label_ko VARCHAR(100) NOT NULL,        -- shown with the analysis, e.g. 로컬 분석 (GEMINI_API_KEY 없음)
    model VARCHAR(80),
    summary_ko TEXT NOT NULL,              -- three lines
    key_requirements TEXT NOT NULL,        -- JSON array of strings
    eligibility_concerns TEXT NOT NULL,    -- JSON array
    risks TEXT NOT NULL,                   -- JSON array
    effort_estimate TEXT NOT NULL,
    decision VARCHAR(6) NOT NULL,          -- go or no-go
    decision_reasons TEXT NOT NULL,        -- JSON array
    fit_score INTEGER NOT NULL,            -- 0..100
    analysed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, notice_no)
);

-- One row per call through the masking gateway: counts per entity type, latency, tokens. Never a value.
CREATE TABLE llm_calls (
    call_id CHAR(32) PRIMARY KEY,
    called_at TIMESTAMP NOT NULL,          -- KST
    company_id VARCHAR(80) NOT NULL,
    purpose VARCHAR(40) NOT NULL,
    model VARCHAR(80) NOT NULL,
    outcome VARCHAR(20) NOT NULL,          -- ok, leak_refused, blocked, unavailable, request_error, bad_response
    entity_counts TEXT NOT NULL,           -- JSON object: masked values per entity type
    masked_values INTEGER NOT NULL,
    latency_ms DOUBLE PRECISION NOT NULL,
    prompt_tokens INTEGER,
    output_tokens INTEGER,
    unknown_tokens INTEGER NOT NULL,
    attempts INTEGER NOT NULL
);
CREATE INDEX llm_calls_called_at ON llm_calls (called_at);
