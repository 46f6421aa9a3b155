"""The issuer kind of a notice, from its agency code: 국가기관, 지자체, 공기업·준정부기관, 민간, or unknown.

The kind decides which 고시금액 and 중소기업 thresholds apply (판로지원법 binds 국가기관, 지자체 and 공공기관, not a
private issuer). Codes are G2B's 수요기관/공고기관 codes, 7 characters (행정표준코드관리시스템 기관코드 체계):
- `1xxxxxx`: 중앙행정기관 and their 소속기관, 국립대학 (조달청 1230000, 경찰청 1320000) -> national;
- `3xxxxxx`-`5xxxxxx`: 기초자치단체 (시·군·구), `6xxxxxx`: 광역자치단체 (서울특별시 6110000) -> local;
- `7xxxxxx`: 시·도 교육청 and their schools (서울특별시교육청 7010000; 지방계약법) -> local;
- `Bxxxxxx`: 공공기관 registered in G2B (공기업·준정부기관·기타공공기관) -> public_corp;
- `Zxxxxxx`: 민간 and other bodies that publish on G2B on their own account (the real sample
  shared/reference/g2b/samples/...R26BK01706792: Z061301 주식회사 스튜디오 봄) -> private;
- anything else -> unknown (never guessed as SME-limited or not).
조달청 publishes on behalf of a 수요기관: the 수요기관's code decides; a notice with only 조달청's code is unknown.
Without any code, a name decides only where it is unambiguous (a 교육청, or a 시도 name followed by a 시·군·구 or
nothing); otherwise unknown.
"""

from __future__ import annotations

import polars as pl

PPS_CODE_PREFIX = "123"  # 조달청 and its regional offices (1230000 …)
_CODE_KIND = [
    (r"^1\d{6}$", "national"),
    (r"^[3-6]\d{6}$", "local"),
    (r"^7\d{6}$", "local"),
    (r"^B\d{6}$", "public_corp"),
    (r"^Z\d{6}$", "private"),
]


def _kind_of_code(code: pl.Expr) -> pl.Expr:
    out = pl.lit(None, dtype=pl.String)
    for pattern, kind in reversed(_CODE_KIND):
        out = pl.when(code.str.contains(pattern)).then(pl.lit(kind)).otherwise(out)
    return out


def issuer_kind_expr(demand_code: pl.Expr, notice_code: pl.Expr, demand_name: pl.Expr, notice_name: pl.Expr) -> pl.Expr:
    """The issuer kind per notice (national, local, public_corp, private, unknown)."""
    from bidradar.rules.regions import local_government_name_expr

    demand = demand_code.fill_null("").str.strip_chars()
    notice = notice_code.fill_null("").str.strip_chars()
    # 조달청's own code says nothing about the buyer it publishes for.
    code = pl.when(demand != "").then(demand).when(~notice.str.starts_with(PPS_CODE_PREFIX)).then(notice)
    by_code = _kind_of_code(code.fill_null(""))
    name = pl.coalesce(demand_name, notice_name).fill_null("").str.strip_chars()
    by_name = pl.when(local_government_name_expr(name)).then(pl.lit("local"))
    return pl.coalesce(by_code, pl.when((demand == "") & (notice == "")).then(by_name), pl.lit("unknown"))


def issuer_kind(
    demand_code: str | None,
    notice_code: str | None = None,
    demand_name: str | None = None,
    notice_name: str | None = None,
) -> str:
    """`issuer_kind_expr` for one notice."""
    frame = pl.DataFrame(
        {"dc": [demand_code], "nc": [notice_code], "dn": [demand_name], "nn": [notice_name]},
        schema={"dc": pl.String, "nc": pl.String, "dn": pl.String, "nn": pl.String},
    )
    return frame.select(issuer_kind_expr(pl.col("dc"), pl.col("nc"), pl.col("dn"), pl.col("nn")))[0, 0]
