-- Dashboard sessions (serving/api/sessions.py, docs/serving.md): a random session id in the cookie, only its sha256
-- here, with its company and expiry. Sign-in inserts one (and deletes the one it replaces), sign-out deletes it.
CREATE TABLE api_sessions (
    session_hash CHAR(64) PRIMARY KEY,
    company_id VARCHAR(100) NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX api_sessions_expires ON api_sessions (expires_at);
