-- Incremental soft matches (issue 21 item 2): soft_matches keeps the score of every eligible, conditional or unknown
-- pair, and the rank among a company's notices is computed when read (bidradar.matching.ranked), so a run rewrites
-- only the rows of the notices whose inputs changed. top_k: the K of the run (readers keep each company's best K);
-- inputs_fingerprint: the hash of what the pair's notice was scored on (its text, its candidate pairs, the scorer,
-- the profiles and K).
DROP INDEX soft_matches_company_rank;
ALTER TABLE soft_matches DROP COLUMN rank;
ALTER TABLE soft_matches ADD COLUMN top_k INTEGER NOT NULL DEFAULT 50;
ALTER TABLE soft_matches ADD COLUMN inputs_fingerprint VARCHAR(64) NOT NULL DEFAULT '';
CREATE INDEX soft_matches_company_score ON soft_matches (company_id, score);
