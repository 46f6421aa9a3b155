"""Soft matching: how relevant is a notice to a company, 0 to 100, for the pairs the hard rules allow.

The default scorer needs no network: TF-IDF on character n-grams (char_wb 2–4, which copes with Korean
compounds such as 정보시스템유지관리 without a morphological analyser) and cosine similarity between the notice
text (title, classification, agencies, attachment names) and the profile text (keywords, description, past
contract titles, license names). Include keywords found in the notice add a boost. A different scorer (for
example embeddings) is any function with the `Scorer` signature, passed to `score_pairs`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import polars as pl

from bidradar.matching.explain import WEAKNESS
from bidradar.matching.hard import CONDITIONAL, ELIGIBLE, UNKNOWN
from bidradar.matching.keywords import keyword_hits

# Default number of notices kept per company for callers without settings (tests, bench); assets pass MATCH_TOP_K.
MATCH_TOP_K = 50
# Score = TEXT_WEIGHT·sqrt(cosine) + KEYWORD_BOOST per include keyword found (at most MAX_KEYWORD_BOOSTS), ≤ 100.
# sqrt spreads the small cosines that short titles give against a long profile.
TEXT_WEIGHT = 100.0
KEYWORD_BOOST = 8.0
MAX_KEYWORD_BOOSTS = 3
# A track record smaller than the notice (or none) is a weakness in 적격심사, not a bar: a few points off.
RECORD_WEAKNESS_PENALTY = 5.0

# profile texts (one per company), notice texts (one per notice) -> similarity matrix in [0, 1], companies × notices
Scorer = Callable[[Sequence[str], Sequence[str]], np.ndarray]

SOFT_MATCH_SCHEMA = {
    "company_id": pl.String,
    "notice_no": pl.String,
    "rank": pl.Int64,
    "score": pl.Float64,
    "hard_verdict": pl.String,
    "matched_terms": pl.String,
}


def tfidf_cosine(profile_texts: Sequence[str], notice_texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity of TF-IDF character n-gram vectors, fitted on both sides together."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # scikit-learn loads only where it scores

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=1, dtype=np.float32)
    matrix = vectorizer.fit_transform([*profile_texts, *notice_texts])
    profiles, notices = matrix[: len(profile_texts)], matrix[len(profile_texts) :]
    # Rows are L2-normalised by TfidfVectorizer, so the dot product is the cosine.
    return np.asarray((profiles @ notices.T).todense(), dtype=np.float32)


def notice_texts(notices: pl.DataFrame) -> pl.Series:
    """The text of a notice that relevance reads; attachment names lose their extensions and separators."""
    attachments = (
        pl.col("attachment_names")
        .fill_null("")
        .str.replace_all(r"\.(hwpx?|pdf|zip|xlsx?|docx?)\b", " ")
        .str.replace_all(r"[_|]", " ")
    )
    columns = [
        "title",
        "classification_large",
        "classification_mid",
        "classification_name",
        "product_name",
        "demand_agency_name",
        "notice_agency_name",
    ]
    present = [pl.col(c).fill_null("") for c in columns if c in notices.columns]
    if "attachment_names" in notices.columns:
        present.append(attachments)
    return notices.select(pl.concat_str(present, separator=" ").alias("text"))["text"]


def keyword_counts(notices: pl.DataFrame, profiles: pl.DataFrame) -> pl.DataFrame:
    """(company_id, notice_no, keyword_hits): the keyword-only relevance, the baseline the benchmark beats."""
    n = notices.select("notice_no").with_row_index("n_idx").with_columns(text=notice_texts(notices))
    c = profiles.select("company_id", "include_keywords").with_row_index("c_idx")
    return (
        keyword_hits(n, "text", c, "include_keywords")
        .group_by("c_idx", "n_idx")
        .agg(keyword_hits=pl.len())
        .join(c.select("c_idx", "company_id"), on="c_idx")
        .join(n.select("n_idx", "notice_no"), on="n_idx")
        .select("company_id", "notice_no", "keyword_hits")
    )


def score_pairs(
    hard: pl.DataFrame,
    notices: pl.DataFrame,
    profiles: pl.DataFrame,
    top_k: int = MATCH_TOP_K,
    scorer: Scorer = tfidf_cosine,
) -> pl.DataFrame:
    """Score the eligible and unknown pairs of `hard` and keep the `top_k` best per company.

    `hard`: company_id, notice_no, verdict (from hard.evaluate); `notices`: the notices' text columns;
    `profiles`: bidradar.matching.profiles.profiles_frame. Ties rank by notice_no so reruns give the same order."""
    if "record_reason" not in hard.columns:
        hard = hard.with_columns(record_reason=pl.lit(0, dtype=pl.Int64))
    candidates = hard.filter(pl.col("verdict").is_in([ELIGIBLE, CONDITIONAL, UNKNOWN])).select(
        "company_id", "notice_no", "verdict", "record_reason"
    )
    if candidates.is_empty():
        return pl.DataFrame(schema=SOFT_MATCH_SCHEMA)
    # Only the notices and companies that have a candidate pair are vectorised.
    wanted_notices = candidates.select("notice_no").unique()
    n = (
        notices.join(wanted_notices, on="notice_no", how="semi")
        .unique("notice_no")
        .sort("notice_no")
        .with_row_index("n_idx")
    )
    n = n.with_columns(text=notice_texts(n))
    c = profiles.join(candidates.select("company_id").unique(), on="company_id", how="semi").with_row_index("c_idx")
    similarity = scorer(c["profile_text"].fill_null("").to_list(), n["text"].to_list())

    pairs = candidates.join(c.select("company_id", "c_idx"), on="company_id").join(
        n.select("notice_no", "n_idx"), on="notice_no"
    )
    cosine = similarity[pairs["c_idx"].to_numpy(), pairs["n_idx"].to_numpy()]
    hits = (
        keyword_hits(n, "text", c, "include_keywords")
        .sort("keyword")
        .group_by("c_idx", "n_idx")
        .agg(keyword_hits=pl.len(), matched_terms=pl.col("keyword").str.join(", "))
    )
    boost = pl.min_horizontal(pl.col("keyword_hits").fill_null(0), pl.lit(MAX_KEYWORD_BOOSTS)) * KEYWORD_BOOST
    weak = pl.col("record_reason").cast(pl.Int64).is_in([code for rule, code in WEAKNESS if rule == "record"])
    boost = boost - pl.when(weak).then(RECORD_WEAKNESS_PENALTY).otherwise(0.0)
    scored = (
        pairs.with_columns(cosine=pl.Series(np.clip(cosine, 0.0, 1.0), dtype=pl.Float64))
        .join(hits, on=["c_idx", "n_idx"], how="left")
        .with_columns(
            score=pl.min_horizontal(
                pl.lit(100.0),
                TEXT_WEIGHT * pl.col("cosine").sqrt() * (1 - KEYWORD_BOOST * MAX_KEYWORD_BOOSTS / 100) + boost,
            )
            .clip(0.0, 100.0)
            .round(1)
        )
        .sort(["company_id", "score", "notice_no"], descending=[False, True, False])
        .with_columns(rank=pl.int_range(1, pl.len() + 1).over("company_id"))
        .filter(pl.col("rank") <= top_k)
    )
    return scored.select(
        "company_id",
        "notice_no",
        pl.col("rank").cast(pl.Int64),
        "score",
        hard_verdict="verdict",
        matched_terms=pl.col("matched_terms").fill_null(""),
    )
