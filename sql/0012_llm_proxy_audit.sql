-- One row per call through the Claude masking proxy (serving/llm_proxy): counts, tokens, timings. Never a value,
-- a header or a token.
CREATE TABLE llm_proxy_calls (
    call_id CHAR(32) PRIMARY KEY,
    called_at TIMESTAMP NOT NULL,          -- KST, when the request arrived
    route VARCHAR(20) NOT NULL,            -- messages or count_tokens
    model VARCHAR(120),
    streamed BOOLEAN NOT NULL,
    outcome VARCHAR(24) NOT NULL,          -- ok, upstream_error, refused, upstream_unreachable, stream_broken, client_gone
    status INTEGER NOT NULL,               -- HTTP status sent to the client
    refusal_cause VARCHAR(24),             -- leak, binary, malformed, masker_error (refused calls only)
    entity_counts TEXT NOT NULL,           -- JSON object: masked values per entity type
    masked_values INTEGER NOT NULL,
    masked_strings INTEGER NOT NULL,       -- strings of the request that went through the masker
    restored_tokens INTEGER NOT NULL,
    unknown_tokens INTEGER NOT NULL,       -- token-shaped strings in the answer that the request did not issue
    input_tokens INTEGER,
    output_tokens INTEGER,
    cache_read_tokens INTEGER,
    mask_ms DOUBLE PRECISION NOT NULL,
    first_byte_ms DOUBLE PRECISION,
    latency_ms DOUBLE PRECISION NOT NULL
);
CREATE INDEX llm_proxy_calls_called_at ON llm_proxy_calls (called_at);
