"""Korean text search: character bigrams (docs/serving.md).

Most Korean queries are words of two syllables (청소, 도로, 전기). A trigram index cannot serve them, so the
warehouse indexes every bigram of a notice's title and agency names (migration 0011: a GIN-indexed text[] on
PostgreSQL, a bigram table on SQLite). A query word is split the same way; the index finds the notices that hold
all its bigrams, and a substring check on the same text removes the ones whose bigrams are scattered (청소년 =
청소 + 소년 is not in "청소 소년단"). A two-character word is exactly one bigram, so its index hit is the answer.
A query found in thousands of notices is answered by walking the sort order instead (see FREQUENT).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from serving.api import db

MAX_WORDS = 8
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def words(query: str) -> list[str]:
    """The query's words as the index sees them: ASCII lower-cased (as SQL lower() does), split on spaces."""
    return list(dict.fromkeys(query.translate(_ASCII_LOWER).split()))[:MAX_WORDS]


def bigrams(word: str) -> list[str]:
    """The distinct character bigrams of one word, in order."""
    return list(dict.fromkeys(word[i : i + 2] for i in range(len(word) - 1)))


class ascii_lower(sa.sql.functions.GenericFunction):
    """lower() of ASCII letters only, as `words` lowers the query and SQLite's lower() does.

    On PostgreSQL lower() under the database's collation (C.UTF-8, en_US.UTF-8) converts every character through
    the locale: ~10 µs per notice, 80% of a search that walks 2,000 notices. Under the "C" collation it lowers
    ASCII only, byte by byte (migration 0011's index text stays as it is: the index finds candidates, this
    check decides, and both agree on the ASCII letters a query is lowered by)."""

    type = sa.Text()
    inherit_cache = True


@compiles(ascii_lower, "postgresql")
def _ascii_lower_postgresql(element: ascii_lower, compiler: SQLCompiler, **kw: Any) -> str:
    return f'lower(({compiler.process(element.clauses, **kw)}) COLLATE "C")'


@compiles(ascii_lower)
def _ascii_lower(element: ascii_lower, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


def search_text(notices: sa.Table | sa.Subquery = db.bid_notices) -> sa.ColumnElement[str]:
    """The indexed text (the same concatenation as migration 0011), for the substring check."""
    parts = [notices.c.title, notices.c.notice_agency_name, notices.c.demand_agency_name, notices.c.classification_name]
    text: sa.ColumnElement[str] = sa.func.coalesce(parts[0], "")
    for part in parts[1:]:
        text = text + " " + sa.func.coalesce(part, "")
    return ascii_lower(text)


# Up to this many index hits, the hits are fetched (one bounded index probe) and the page is read by primary key
# and sorted: exact and cheap. Above it, walking the sort order and checking each row's text finds a page within a
# few thousand rows, and beats sorting every hit. The planner cannot choose between the two itself: it estimates
# a word's bigrams as independent (정보시스템 = 4 bigrams: 1 in 10^8 by that estimate, 5% of the notices in fact)
# and a word absent from its statistics at 0.2% (then it walks the whole table for a word that is nowhere).
FREQUENT = 2_000


def hits_query(query_words: list[str], dialect: str) -> sa.Select:
    """The notices whose indexed text holds every bigram of the words (the index's answer, before the check)."""
    grams = list(dict.fromkeys(g for word in query_words for g in bigrams(word)))
    if dialect == "postgresql":
        # notice_search.bigrams @> ARRAY[...]: served by the GIN index notice_search_bigrams.
        contains = db.notice_search.c.bigrams.contains(sa.cast(postgresql.array(grams), postgresql.ARRAY(sa.Text)))
        return sa.select(db.notice_search.c.notice_no).where(contains)
    # One posting list per bigram: a range of the (bigram, notice_no) primary key of notice_search_bigrams.
    postings = db.notice_search_bigrams
    selects = [sa.select(postings.c.notice_no).where(postings.c.bigram == gram) for gram in grams]
    return selects[0] if len(selects) == 1 else sa.intersect(*selects)  # type: ignore[return-value]


@dataclass(frozen=True)
class Plan:
    """How one query is answered: `candidates` (the index's hits, at most FREQUENT; None: walk the sort order)
    and the words each row's text must hold."""

    candidates: list[str] | None
    checked_words: list[str]


def plan(conn: Connection, query: str, cache: dict[tuple[int, str], list[str] | None] | None = None) -> Plan | None:
    """Probe the index once for the query (remembered in `cache` per version of bid_notices); None: no query."""
    query_words = words(query)
    if not query_words:
        return None
    indexable = [w for w in query_words if len(w) >= 2]
    # A 2-character word is one bigram: its index hit is exact. Longer words are checked (scattered bigrams),
    # and 1-character words have no bigram at all.
    checked = [w for w in query_words if len(w) != 2]
    if not indexable:
        return Plan(None, query_words)
    cache = {} if cache is None else cache
    key = (db.versions(conn, ("bid_notices",))["bid_notices"], " ".join(sorted(indexable)))
    if key not in cache:
        probe = hits_query(indexable, conn.dialect.name).limit(FREQUENT + 1)
        found = list(conn.execute(probe).scalars())
        if len(cache) > 2_000:
            cache.clear()
        cache[key] = found if len(found) <= FREQUENT else None
    candidates = cache[key]
    return Plan(candidates, checked if candidates is not None else query_words)


def text_conditions(count: int, notices: sa.Table | sa.Subquery = db.bid_notices) -> list:
    """The first `count` checked words each in the row's text: bound parameters word_0, word_1, … (their values:
    `parameters`)."""
    text = search_text(notices)
    return [text.like(sa.bindparam(f"word_{i}", type_=sa.Text), escape="/") for i in range(count)]


def among_candidates(dialect: str) -> sa.ColumnElement[bool]:
    """The notice is one of the plan's candidates (bound parameter `candidates`). On PostgreSQL one array
    parameter: up to FREQUENT notice numbers rendered as one value, not one placeholder each."""
    if dialect == "postgresql":
        return db.bid_notices.c.notice_no == sa.any_(sa.bindparam("candidates", type_=postgresql.ARRAY(sa.Text)))
    return db.bid_notices.c.notice_no.in_(sa.bindparam("candidates", expanding=True))


def parameters(found: Plan) -> dict[str, Any]:
    """The values of text_conditions' and among_candidates' parameters for a plan."""
    params: dict[str, Any] = {f"word_{i}": "%" + like_escaped(w) + "%" for i, w in enumerate(found.checked_words)}
    if found.candidates is not None:
        params["candidates"] = found.candidates
    return params


def like_escaped(value: str) -> str:
    """`value` as a LIKE pattern of itself with the escape character "/": what SQLAlchemy's `autoescape` does to a
    literal, for a value bound to a statement that is built once."""
    return value.replace("/", "//").replace("%", "/%").replace("_", "/_")
