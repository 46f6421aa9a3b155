-- Values the Claude masking proxy masked only because of their context (serving/llm_proxy/memory.py), kept masked
-- after a restart: a keyed hash of each value (HMAC-SHA256 under the proxy's masking key, truncated to 128 bits) and
-- its type. Never the value: the proxy finds a value again by hashing the words of a later request under its key.
CREATE TABLE llm_proxy_remembered (
    digest CHAR(32) PRIMARY KEY,
    kind VARCHAR(24) NOT NULL,
    learned_at TIMESTAMP NOT NULL          -- KST
);
CREATE INDEX llm_proxy_remembered_learned_at ON llm_proxy_remembered (learned_at);
