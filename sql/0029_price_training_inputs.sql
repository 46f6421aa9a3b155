-- The training set grows by what changed (issue 21 item 2): each row keeps the fingerprint of the inputs it was
-- built from (its opening's raw facts and the feature code), so the next run recomputes only the openings whose
-- fingerprint moved and the later rows whose look-back history they feed (ml/pricing/increment.py). Rows built
-- before this column have no fingerprint: the first run after it rebuilds the set in full.
ALTER TABLE price_training_set ADD COLUMN input_hash VARCHAR(20);
