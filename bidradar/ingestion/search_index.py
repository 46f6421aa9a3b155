"""The search index's rows of a notice frame, computed in polars for PostgreSQL's triggers (migration 0031).

The index (migration 0011, docs/serving.md) holds each notice's distinct character bigrams of
`lower(concat_ws(' ', title, notice_agency_name, demand_agency_name, classification_name))`, whitespace never
inside one. In SQL that costs ~70 µs a notice; here ~9 µs. The triggers use a staged row only when the notice's
text is exactly the staged `source_text`, so a row staged here can never index another text.

The server's `lower()` and `\\s` follow the database's locale. This module computes the rows only for texts where
ASCII is all either would change: no letter that lower-cases outside ASCII (fullwidth Ａ, Greek, Cyrillic …) and
no whitespace outside ASCII (U+3000, NBSP …). Every other notice is left to the server's own function.
"""

from __future__ import annotations

import polars as pl

TEXT_COLUMNS = ["title", "notice_agency_name", "demand_agency_name", "classification_name"]
_UPPER = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
_LOWER = [c.lower() for c in _UPPER]
# Whitespace that PostgreSQL's \s may or may not match depending on the locale: any beyond ASCII's six, and two
# characters that were whitespace in older Unicode versions.
_OTHER_SPACE = r"[\s\x{180E}\x{200B}&&[^\t\n\x0B\x0C\r ]]"


def staged_search_rows(notices: pl.DataFrame) -> pl.DataFrame:
    """notice_no, source_text (the indexed text before lower-casing, as concat_ws writes it) and bigrams (a
    PostgreSQL array literal, sorted by code point as the server's C.UTF-8 sort gives them) for each notice this
    module can index exactly; the others are absent."""
    source = pl.concat_str([pl.col(c) for c in TEXT_COLUMNS], separator=" ", ignore_nulls=True)
    texts = notices.select(
        "notice_no", source_text=source.fill_null(""), lowered=source.fill_null("").str.replace_many(_UPPER, _LOWER)
    ).filter(
        (pl.col("lowered") == pl.col("source_text").str.to_lowercase())
        & ~pl.col("source_text").str.contains(_OTHER_SPACE)
    )
    chars = (
        texts.select("notice_no", word=pl.col("lowered").str.extract_all(r"\S+"))
        .explode("word")
        .drop_nulls("word")
        .with_row_index("word_no")
        .with_columns(char=pl.col("word").str.split(""))
        .explode("char")
        .with_columns(next_char=pl.col("char").shift(-1), next_word_no=pl.col("word_no").shift(-1))
    )
    grams = chars.filter(pl.col("word_no") == pl.col("next_word_no")).select(
        "notice_no", bigram=pl.col("char") + pl.col("next_char")
    )
    quoted = (
        '"' + pl.element().str.replace_all("\\", "\\\\", literal=True).str.replace_all('"', '\\"', literal=True) + '"'
    )
    arrays = grams.group_by("notice_no").agg(pl.col("bigram").unique().sort())
    arrays = arrays.select("notice_no", bigrams="{" + pl.col("bigram").list.eval(quoted).list.join(",") + "}")
    return (
        texts.select("notice_no", "source_text")
        .join(arrays, on="notice_no", how="left")
        .with_columns(pl.col("bigrams").fill_null("{}"))
    )
