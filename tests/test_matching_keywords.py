"""The keyword search shared by hard (exclude) and soft (include) matching."""

from __future__ import annotations

import polars as pl

from bidradar.matching.keywords import keyword_hits


def test_keywords_match_across_ascii_case_and_keep_the_companys_spelling() -> None:
    notices = pl.DataFrame(
        {"n_idx": [0, 1, 2], "text": ["Ai 기반 민원 챗봇 구축", "도로 포장 보수공사", "CCTV 교체 및 ai 분석"]}
    )
    companies = pl.DataFrame({"c_idx": [0, 1], "kw": [["AI", "챗봇"], ["포장"]]})
    hits = keyword_hits(notices, "text", companies, "kw").sort("c_idx", "n_idx", "keyword")
    assert hits.rows() == [(0, 0, "AI"), (0, 0, "챗봇"), (0, 2, "AI"), (1, 1, "포장")]


def test_no_keywords_means_no_hits() -> None:
    notices = pl.DataFrame({"n_idx": [0], "text": ["무엇이든"]})
    companies = pl.DataFrame({"c_idx": [0], "kw": [[]]}, schema={"c_idx": pl.UInt32, "kw": pl.List(pl.String)})
    assert keyword_hits(notices, "text", companies, "kw").is_empty()
