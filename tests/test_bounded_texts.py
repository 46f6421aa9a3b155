"""Texts bounded on the way in, and a bigram function whose time is linear in the length (issue 25 item 6).

Speed is measured in bench/bench_bigrams.py; these tests check what could break: the cut, its flag, and that the
linear function gives exactly the bigrams of the quadratic one it replaced."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
import sqlalchemy as sa

from bidradar.core import warehouse
from bidradar.ingestion import fields, normalize

# 0011's function, kept here only to compare against.
QUADRATIC = (
    "CREATE FUNCTION quadratic_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$ SELECT "
    "coalesce(array_agg(DISTINCT b ORDER BY b), '{}') FROM (SELECT substr(t, i, 2) AS b FROM "
    "generate_series(1, char_length(t) - 1) AS i) AS grams WHERE b !~ '\\s' $$"
)
TEXTS = [
    "",
    "가",
    "가나",
    "서울 강남구  도로 포장공사",
    "(긴급) 2026년 정보시스템 유지관리 용역 — 재공고\t[1차]\n",
    "aa aa aaa",
    "공사" * 500 + " 😀🏗️ é",
]


@pytest.mark.postgres
def test_the_linear_bigrams_equal_the_quadratic_ones(postgres_url: str) -> None:
    engine = warehouse.make_engine(postgres_url)
    warehouse.migrate(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(QUADRATIC)
        for text in [*TEXTS, None]:
            linear, quadratic = conn.execute(
                sa.text("SELECT bidradar_bigrams(:t), quadratic_bigrams(:t)"), {"t": text}
            ).one()
            assert linear == quadratic, text
    engine.dispose()


def test_text_fields_are_cut_at_the_limit_and_the_cut_is_flagged() -> None:
    limit = normalize.MAX_TEXT_CHARS
    raw = pl.DataFrame(
        {
            "bidNtceNo": ["R26BK00000001", "R26BK00000002"],
            "bidNtceOrd": ["000", "000"],
            "bidNtceNm": ["가" * (10 * 1024 * 1024 // 3), "짧은 제목"],  # a 10 MB title, and a normal one
            "ntceInsttNm": ["기관" * limit, "조달청"],
            "rgstDt": ["2026-11-02 09:00:00", "2026-11-02 09:00:00"],
            "_operation": ["getBidPblancListInfoServc"] * 2,
        }
    )
    notices = normalize.normalize_notices(raw, dt.date(2026, 11, 2))
    by_no = {row["notice_no"]: row for row in notices.iter_rows(named=True)}
    cut, whole = by_no["R26BK00000001"], by_no["R26BK00000002"]
    assert len(cut["title"]) == limit and len(cut["notice_agency_name"]) == limit
    assert cut["texts_cut"] == "title,notice_agency_name"
    assert whole["title"] == "짧은 제목" and whole["texts_cut"] is None
    assert fields.NOTICE_FIELDS["bidNtceNm"] == ("title", "str")
    assert fields.NOTICE_FIELDS["ntceInsttNm"] == ("notice_agency_name", "str")
