"""Which of each company's keywords occur in each notice's text: one Aho-Corasick pass for all companies."""

from __future__ import annotations

import polars as pl

HITS_SCHEMA = {"c_idx": pl.UInt32, "n_idx": pl.UInt32, "keyword": pl.String}


def keyword_hits(notices: pl.DataFrame, text: str, companies: pl.DataFrame, keywords: str) -> pl.DataFrame:
    """(c_idx, n_idx, keyword) for every keyword in `companies[keywords]` found in `notices[text]`.

    Matching ignores ASCII case ("AI" finds "ai"); the keyword is returned as the company wrote it.
    """
    wanted = (
        companies.select("c_idx", keyword=pl.col(keywords))
        .explode("keyword")
        .drop_nulls()
        .with_columns(folded=pl.col("keyword").str.to_lowercase())
    )
    if wanted.is_empty():
        return pl.DataFrame(schema=HITS_SCHEMA)
    vocabulary = wanted["keyword"].unique().sort().to_list()
    found = (
        notices.select(
            "n_idx",
            folded=pl.col(text).str.extract_many(vocabulary, overlapping=True, ascii_case_insensitive=True),
        )
        .explode("folded")
        .drop_nulls()
        .with_columns(pl.col("folded").str.to_lowercase())
        .unique()
    )
    return found.join(wanted, on="folded").select(
        pl.col("c_idx").cast(pl.UInt32), pl.col("n_idx").cast(pl.UInt32), "keyword"
    )
