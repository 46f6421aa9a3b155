"""Korean text search: character bigrams (docs/serving.md).

Most Korean queries are words of two syllables (청소, 도로, 전기). A trigram index cannot serve them, so the
warehouse indexes every bigram of a notice's title and agency names (migration 0011: a GIN-indexed text[] on
PostgreSQL, a bigram table on SQLite). A query word is split the same way; the index finds the notices that hold
all its bigrams, and a substring check on the same text removes the ones whose bigrams are scattered (청소년 =
청소 + 소년 is not in "청소 소년단"). A two-character word is exactly one bigram, so its index hit is the answer.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from serving.api import db

MAX_WORDS = 8
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def words(query: str) -> list[str]:
    """The query's words as the index sees them: ASCII lower-cased (as SQL lower() does), split on spaces."""
    return list(dict.fromkeys(query.translate(_ASCII_LOWER).split()))[:MAX_WORDS]


def bigrams(word: str) -> list[str]:
    """The distinct character bigrams of one word, in order."""
    return list(dict.fromkeys(word[i : i + 2] for i in range(len(word) - 1)))


def search_text(notices: sa.Table = db.bid_notices) -> sa.ColumnElement[str]:
    """The indexed text (the same concatenation as migration 0011), for the substring check."""
    parts = [notices.c.title, notices.c.notice_agency_name, notices.c.demand_agency_name, notices.c.classification_name]
    text: sa.ColumnElement[str] = sa.func.coalesce(parts[0], "")
    for part in parts[1:]:
        text = text + " " + sa.func.coalesce(part, "")
    return sa.func.lower(text)


def condition(query: str, dialect: str) -> sa.ColumnElement[bool] | None:
    """A WHERE condition on bid_notices for the query; None for an empty query."""
    query_words = words(query)
    if not query_words:
        return None
    grams = list(dict.fromkeys(g for w in query_words for g in bigrams(w)))
    conditions: list[sa.ColumnElement[bool]] = []
    if grams and dialect == "postgresql":
        # notice_search.bigrams @> ARRAY[...]: served by the GIN index notice_search_bigrams.
        hits = sa.select(db.notice_search.c.notice_no).where(
            db.notice_search.c.bigrams.contains(sa.cast(postgresql.array(grams), postgresql.ARRAY(sa.Text)))
        )
        conditions.append(db.bid_notices.c.notice_no.in_(hits))
    elif grams:
        # One posting list per bigram, from the (bigram, notice_no) primary key of notice_search_bigrams.
        postings = db.notice_search_bigrams
        for gram in grams:
            hits = sa.select(postings.c.notice_no).where(postings.c.bigram == gram)
            conditions.append(db.bid_notices.c.notice_no.in_(hits))
    text = search_text()
    for word in query_words:
        if len(word) != 2:  # a 2-character word is one bigram: the index hit is already exact
            conditions.append(text.contains(word, autoescape=True))
    return sa.and_(*conditions)
