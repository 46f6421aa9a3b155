-- Texts bounded on the way in (bidradar.ingestion.normalize.MAX_TEXT_CHARS): which columns of a notice were cut.
ALTER TABLE bid_notices ADD COLUMN texts_cut VARCHAR(400);

-- The bigrams in time linear in the length. 0011's version took substr(t, i, 2) for every i, and substr of a
-- multibyte text walks from its start, so a 60,000-character title took 14-22 s; this splits the text into its
-- characters once and pairs each with the next. Same result (tests/test_bounded_texts.py compares them).
CREATE OR REPLACE FUNCTION bidradar_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT coalesce(array_agg(DISTINCT b ORDER BY b), '{}') FROM (SELECT c || lead(c) OVER (ORDER BY i) AS b FROM unnest(string_to_array(t, NULL)) WITH ORDINALITY AS chars(c, i)) AS grams WHERE b IS NOT NULL AND b !~ '\s' $$;
