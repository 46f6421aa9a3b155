"""Korean text search: character bigrams (docs/serving.md).

Most Korean queries are words of two syllables (청소, 도로, 전기). A trigram index cannot serve them, so the
warehouse indexes every bigram of a notice's title and agency names (migration 0011: a GIN-indexed text[] on
PostgreSQL, a bigram table on SQLite). A query word is split the same way; the index finds the notices that hold
all its bigrams, and a substring check on the same text removes the ones whose bigrams are scattered (청소년 =
청소 + 소년 is not in "청소 소년단"). A two-character word is exactly one bigram, so its index hit is the answer.
A word in thousands of notices skips the index (see FREQUENT).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from serving.api import db

MAX_WORDS = 8
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def words(query: str) -> list[str]:
    """The query's words as the index sees them: ASCII lower-cased (as SQL lower() does), split on spaces."""
    return list(dict.fromkeys(query.translate(_ASCII_LOWER).split()))[:MAX_WORDS]


def bigrams(word: str) -> list[str]:
    """The distinct character bigrams of one word, in order."""
    return list(dict.fromkeys(word[i : i + 2] for i in range(len(word) - 1)))


def search_text(notices: sa.Table | sa.Subquery = db.bid_notices) -> sa.ColumnElement[str]:
    """The indexed text (the same concatenation as migration 0011), for the substring check."""
    parts = [notices.c.title, notices.c.notice_agency_name, notices.c.demand_agency_name, notices.c.classification_name]
    text: sa.ColumnElement[str] = sa.func.coalesce(parts[0], "")
    for part in parts[1:]:
        text = text + " " + sa.func.coalesce(part, "")
    return sa.func.lower(text)


# A word found in more notices than this is served better by walking the sort order and checking the text of
# each row (a page of 50 is found within a few thousand rows) than by the index (sorting every hit): the planner
# cannot tell, since it estimates a word's bigrams as independent (정보시스템 = 4 bigrams, 1 in 10^8 by that
# estimate, 5% of the notices in fact).
FREQUENT = 2_000


def _hits(word: str, dialect: str) -> sa.Select:
    """The notices whose indexed text holds every bigram of the word(s) (the index's answer, before the check)."""
    grams = list(dict.fromkeys(g for part in word.split() for g in bigrams(part)))
    if dialect == "postgresql":
        # notice_search.bigrams @> ARRAY[...]: served by the GIN index notice_search_bigrams.
        contains = db.notice_search.c.bigrams.contains(sa.cast(postgresql.array(grams), postgresql.ARRAY(sa.Text)))
        return sa.select(db.notice_search.c.notice_no).where(contains)
    # One posting list per bigram: a range of the (bigram, notice_no) primary key of notice_search_bigrams.
    postings = db.notice_search_bigrams
    selects = [sa.select(postings.c.notice_no).where(postings.c.bigram == gram) for gram in grams]
    return selects[0] if len(selects) == 1 else sa.intersect(*selects)  # type: ignore[return-value]


def rare_together(conn: Connection, query_words: list[str]) -> bool:
    """Whether notices holding the bigrams of all these words together are few (two frequent words, e.g.
    정보시스템 and 수원시, are often rare together: then the index serves them)."""
    indexable = [w for w in query_words if len(w) >= 2]
    if len(indexable) < 2:
        return False
    probe = _hits("".join(f"{w} " for w in indexable), conn.dialect.name).limit(FREQUENT + 1).subquery()
    return conn.execute(sa.select(sa.func.count()).select_from(probe)).scalar_one() <= FREQUENT


def frequent_words(conn: Connection, query: str, cache: dict[tuple[int, str], bool] | None = None) -> set[str]:
    """The query's words found in more than FREQUENT notices (one bounded index probe per word, remembered in
    `cache` per version of bid_notices)."""
    cache = {} if cache is None else cache
    version = db.versions(conn, ("bid_notices",))["bid_notices"]
    frequent = set()
    for word in words(query):
        if len(word) < 2:
            continue
        if (version, word) not in cache:
            probe = _hits(word, conn.dialect.name).limit(FREQUENT + 1).subquery()
            if len(cache) > 10_000:
                cache.clear()
            cache[(version, word)] = conn.execute(sa.select(sa.func.count()).select_from(probe)).scalar_one() > FREQUENT
        if cache[(version, word)]:
            frequent.add(word)
    return frequent


def condition(
    query: str, dialect: str, frequent: set[str] | frozenset[str] = frozenset()
) -> sa.ColumnElement[bool] | None:
    """A WHERE condition on bid_notices for the query; None for an empty query. Words in `frequent` are checked
    on each row only; the others go through the index first."""
    query_words = words(query)
    if not query_words:
        return None
    text = search_text()
    indexed = [w for w in query_words if len(w) >= 2 and w not in frequent]
    conditions: list[sa.ColumnElement[bool]] = []
    if indexed:  # all their bigrams in one index lookup (PostgreSQL intersects them inside the GIN index)
        conditions.append(db.bid_notices.c.notice_no.in_(_hits(" ".join(indexed), dialect)))
    for word in query_words:
        if word not in indexed or len(word) != 2:  # a 2-character word is one bigram: the index hit is exact
            conditions.append(text.contains(word, autoescape=True))
    return sa.and_(*conditions)
