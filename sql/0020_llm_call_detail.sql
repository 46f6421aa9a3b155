-- Why a gateway call was not made or failed: a value class and where ("masking refused: a SECRET value at
-- characters 10..18 of part 2 of the prompt ..."), or an error's type. Never a value.
ALTER TABLE llm_calls ADD COLUMN detail VARCHAR(400);
