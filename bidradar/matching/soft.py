"""Soft matching: how relevant is a notice to a company, 0 to 100, for the pairs the hard rules allow.

The default scorer needs no network: TF-IDF on character n-grams (char_wb 2–4, which copes with Korean
compounds such as 정보시스템유지관리 without a morphological analyser) and cosine similarity between the notice
text (title, classification, agencies, attachment names) and the profile text (keywords, description, past
contract titles, license names). Include keywords found in the notice add a boost. A different scorer (for
example embeddings) is any function with the `Scorer` signature, passed to `score_pairs`.

A pair's score depends on its notice, its verdict and the profiles, never on the other notices: the IDF is fitted on
the profile texts. So a run scores again only the notices whose inputs changed (`plan`, issue 21 item 2), and the
rank among a company's notices is computed when read (bidradar.matching.ranked), not stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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


def profile_idf_cosine(profile_texts: Sequence[str], notice_texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity of TF-IDF character n-gram vectors, the vocabulary and IDF fitted on the profiles only.

    N-grams every profile has (용역, 시스템) weigh little, the ones that set a company apart weigh much; n-grams no
    profile has only lengthen the notice's vector. Fitting on the profiles, not on the notices being scored, keeps a
    notice's score independent of which other notices are open (bench/README.md: the ranking quality of both fits)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # scikit-learn loads only where it scores

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=1, dtype=np.float32)
    profiles = vectorizer.fit_transform(profile_texts)
    notices = vectorizer.transform(notice_texts)
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
    scorer: Scorer = profile_idf_cosine,
) -> pl.DataFrame:
    """Score the eligible and unknown pairs of `hard` and keep the `top_k` best per company, ranked (SOFT_MATCH_SCHEMA).

    `hard`: company_id, notice_no, verdict (from hard.evaluate); `notices`: the notices' text columns;
    `profiles`: bidradar.matching.profiles.profiles_frame. Ties rank by notice_no so reruns give the same order."""
    return rank_pairs(scored_pairs(hard, notices, profiles, scorer), top_k)


SCORED_SCHEMA = {k: v for k, v in SOFT_MATCH_SCHEMA.items() if k != "rank"}


def scored_pairs(
    hard: pl.DataFrame, notices: pl.DataFrame, profiles: pl.DataFrame, scorer: Scorer = profile_idf_cosine
) -> pl.DataFrame:
    """The score of every eligible, conditional or unknown pair of `hard` (SCORED_SCHEMA), unranked.

    Every profile of `profiles` is given to the scorer, whichever companies `hard` names, so the score of a pair is
    the same whether it is scored alone or with all the others."""
    if "record_reason" not in hard.columns:
        hard = hard.with_columns(record_reason=pl.lit(0, dtype=pl.Int64))
    candidates = hard.filter(pl.col("verdict").is_in([ELIGIBLE, CONDITIONAL, UNKNOWN])).select(
        "company_id", "notice_no", "verdict", "record_reason"
    )
    if candidates.is_empty() or profiles.is_empty():
        return empty_scored()
    # Only the notices that have a candidate pair are vectorised.
    wanted_notices = candidates.select("notice_no").unique()
    n = (
        notices.join(wanted_notices, on="notice_no", how="semi")
        .unique("notice_no")
        .sort("notice_no")
        .with_row_index("n_idx")
    )
    n = n.with_columns(text=notice_texts(n))
    c = profiles.sort("company_id").with_row_index("c_idx")
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
        .sort("company_id", "notice_no")
    )
    return scored.select(
        "company_id",
        "notice_no",
        "score",
        hard_verdict="verdict",
        matched_terms=pl.col("matched_terms").fill_null(""),
    )


def empty_scored() -> pl.DataFrame:
    return pl.DataFrame(schema=SCORED_SCHEMA)


def rank_pairs(scored: pl.DataFrame, top_k: int = MATCH_TOP_K) -> pl.DataFrame:
    """Each company's `top_k` best pairs of `scored` with their rank, best first; ties by notice_no (the order
    bidradar.matching.ranked gives the stored pairs)."""
    ranked = scored.sort(["company_id", "score", "notice_no"], descending=[False, True, False]).with_columns(
        rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over("company_id")
    )
    return ranked.filter(pl.col("rank") <= top_k).select(list(SOFT_MATCH_SCHEMA))


# ---------------------------------------------------------------------------------------------------------------------
# Incremental runs


def profiles_digest(profiles: pl.DataFrame) -> str:
    """A hash of what the scorer reads of the profiles: every company's text and include keywords (the IDF is
    fitted on all of them, so any change rescores every pair)."""
    rows = profiles.select("company_id", "profile_text", "include_keywords").sort("company_id").rows()
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def notice_fingerprints(hard: pl.DataFrame, notices: pl.DataFrame, run_digest: str) -> pl.DataFrame:
    """(notice_no, inputs_fingerprint) of every notice with a candidate pair: a hash of the notice's text, its
    candidate pairs (company, verdict, record reason) and `run_digest` (the scorer, the profiles, top K)."""
    if "record_reason" not in hard.columns:
        hard = hard.with_columns(record_reason=pl.lit(0, dtype=pl.Int64))
    pairs = (
        hard.filter(pl.col("verdict").is_in([ELIGIBLE, CONDITIONAL, UNKNOWN]))
        .sort("notice_no", "company_id")
        .group_by("notice_no", maintain_order=True)
        .agg(
            pairs=pl.concat_str(
                "company_id", "verdict", pl.col("record_reason").cast(pl.String).fill_null("null"), separator="|"
            ).str.join(";")
        )
    )
    one_each = notices.unique("notice_no", maintain_order=True)
    texts = one_each.select("notice_no", text=notice_texts(one_each))
    rows = pairs.join(texts, on="notice_no", how="left").rows()
    return pl.DataFrame(
        {
            "notice_no": [no for no, _, _ in rows],
            "inputs_fingerprint": [
                hashlib.sha256(f"{run_digest}\n{text}\n{pairs}".encode()).hexdigest() for _, pairs, text in rows
            ],
        },
        schema={"notice_no": pl.String, "inputs_fingerprint": pl.String},
    )


@dataclass(frozen=True)
class Plan:
    full: bool
    reason: str
    changed_notices: list[str] = field(default_factory=list)  # new or changed: scored again
    gone_notices: list[str] = field(default_factory=list)  # no candidate pair left: their rows deleted

    @property
    def deleted_notices(self) -> list[str]:
        return sorted({*self.changed_notices, *self.gone_notices})


def plan(stored: pl.DataFrame, current: pl.DataFrame, full_rebuild: bool = False) -> Plan:
    """What to score again, from the stored and the current (notice_no, inputs_fingerprint) frames."""
    if full_rebuild:
        return Plan(True, "full rebuild asked (config full_rebuild)")
    if stored.is_empty():
        return Plan(True, "no stored scores (first run)")
    changed = current.join(stored, on=["notice_no", "inputs_fingerprint"], how="anti")["notice_no"]
    gone = stored.join(current, on="notice_no", how="anti")["notice_no"]
    changes = Plan(False, "incremental", changed.unique().sort().to_list(), gone.unique().sort().to_list())
    if len(changes.deleted_notices) > MAX_CHANGED_NOTICES:
        return Plan(True, f"more than {MAX_CHANGED_NOTICES} notices changed")
    return changes


# Past this many changed notices a full rewrite is cheaper than deleting by key (and the keys stay within one
# statement's bound parameters on SQLite).
MAX_CHANGED_NOTICES = 5_000
