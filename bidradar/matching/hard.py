"""Hard matching: may this company bid on this notice? One verdict per rule and pair, vectorised in polars.

Every rule gives pass, fail or unknown; unknown (data missing) is never shown as pass. The overall verdict is
ineligible if any rule fails, else unknown if any rule is unknown, else eligible. Rules (docs/matching.md):

- license: 면허제한 groups, AND within a group and OR across groups; a limit row is met by its 업종 code, by its
  name when G2B gave no code, or by one of its 허용업종 (permitted_industries_raw).
- region: 참가가능지역; a 시도 row covers all of its 시군구; no rows for a fetched notice is nationwide; a
  notice whose details were never fetched is unknown.
- amount: 추정가격 against the company's 수행한도 (capacity_won, else its largest past contract).
- sme: 중소기업 제한 by 추정가격 (see SMALL_ONLY_BELOW and SME_ONLY_BELOW).
- category, keyword (exclude keywords fail), deadline (open, not cancelled).

No Python loop touches a pair: pairs are one cross join on integer indexes; the rule sets that need the
limit rows (license, region, keywords) are joins that produce only the passing (or failing) pairs, tested
with `is_in` on a 64-bit pair key.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from bidradar.core.formatting import won_expr
from bidradar.matching.keywords import keyword_hits

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
ELIGIBLE, INELIGIBLE = "eligible", "ineligible"
RULES = ("license", "region", "amount", "sme", "category", "keyword", "deadline")
VERDICT_COLUMNS = [f"{rule}_verdict" for rule in RULES]
CATEGORY_KO = {"goods": "물품", "services": "용역", "construction": "공사", "foreign": "외자"}
_CATEGORY_BIT = {"goods": 1, "services": 2, "construction": 4, "foreign": 8}

# 중소기업 제한 (판로지원법 시행령 제2조의2 and the 공사 rule of 국가계약법 시행규칙), by 추정가격:
# goods and services below 1억 are reserved to 소기업·소상공인, below 2.1억 (고시금액) to 중소기업;
# construction below 10억 to 중소기업. Foreign and international notices have no such restriction.
SMALL_ONLY_BELOW = 100_000_000
SME_ONLY_BELOW = {"goods": 210_000_000, "services": 210_000_000, "construction": 1_000_000_000}
SME_SIZES = ["소상공인", "소기업", "중기업"]
SMALL_SIZES = ["소상공인", "소기업"]
_SIZE_RANK = {"소상공인": 0, "소기업": 1, "중기업": 2, "중견기업": 3, "대기업": 4}
# A restricted notice admits sizes up to a rank: 소기업 (small tier) or 중기업 (sme tier); 9 admits all.
_TIER_RANK = {"small": 1, "sme": 2, "none": 9}
_TIER_NONE = 9

NOTICE_SCHEMA = {
    "notice_no": pl.String,
    "notice_order": pl.String,
    "category": pl.String,
    "title": pl.String,
    "classification_name": pl.String,
    "product_name": pl.String,
    "estimated_price": pl.Int64,
    "bid_close_at": pl.Datetime("us"),
    "is_cancelled": pl.Boolean,
    "is_license_limited": pl.Boolean,
    "is_international": pl.Boolean,
    "license_known": pl.Boolean,  # the notice's partition has a complete 면허제한 fetch
    "region_known": pl.Boolean,  # the notice's partition has a complete 참가가능지역 fetch
}
LICENSE_LIMIT_SCHEMA = {
    "notice_no": pl.String,
    "notice_order": pl.String,
    "group_no": pl.Int64,
    "seq_no": pl.Int64,
    "license_name": pl.String,
    "license_code": pl.String,
    "permitted_industries_raw": pl.String,
}
REGION_LIMIT_SCHEMA = {"notice_no": pl.String, "notice_order": pl.String, "sido": pl.String, "sigungu": pl.String}
HARD_MATCH_COLUMNS = [
    "company_id", "notice_no", "notice_order", "category", "bid_close_at", "estimated_price",
    *VERDICT_COLUMNS, "verdict", "explanation_ko",
]  # fmt: skip


def conform(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """The frame with exactly the schema's columns and types (a missing column is NULL)."""
    return frame.select(
        [
            pl.col(c).cast(t) if c in frame.columns else pl.lit(None, dtype=t).alias(c)  # type: ignore[arg-type]
            for c, t in schema.items()
        ]
    )


def normalize_license_name(expr: pl.Expr) -> pl.Expr:
    """업종명 as compared: no spaces, every middle dot spelt ㆍ (G2B) whatever the profile's author typed."""
    return expr.str.replace_all(r"\s+", "").str.replace_all(r"[·•・‧]", "ㆍ")


# ---------------------------------------------------------------------------------------------------------------------
# Rule sets that read the limit rows: each returns the pair keys (and labels) of the pairs it concerns


def _pair_key(n_notices: int) -> pl.Expr:
    return (pl.col("c_idx").cast(pl.Int64) * n_notices + pl.col("n_idx").cast(pl.Int64)).alias("pair")


def _license_alternatives(limits: pl.DataFrame) -> pl.DataFrame:
    """(n_idx, group_no, seq_no, code, name): each limit row and each of its 허용업종 "[name/code]"."""
    own = limits.select("n_idx", "group_no", "seq_no", code=pl.col("license_code"), name=pl.col("license_name"))
    permitted = (
        limits.select("n_idx", "group_no", "seq_no",
                      item=pl.col("permitted_industries_raw").fill_null("").str.extract_all(r"\[[^\]]+\]"))
        .explode("item")
        .drop_nulls("item")
        .with_columns(parts=pl.col("item").str.strip_chars("[] ").str.extract_groups(r"^(?P<name>.*?)(?:/(?P<code>\d{3,6}))?$"))
        .select("n_idx", "group_no", "seq_no", code=pl.col("parts").struct.field("code"),
                name=pl.col("parts").struct.field("name").str.strip_chars())
    )  # fmt: skip
    return pl.concat([own, permitted]).with_columns(name=normalize_license_name(pl.col("name")))


def license_sets(limits: pl.DataFrame, company_licenses: pl.DataFrame, n_notices: int) -> pl.DataFrame:
    """Passing pairs with the label of the (first) group they meet: (pair, license_met)."""
    holdings = company_licenses.with_columns(name=normalize_license_name(pl.col("license_name")))
    alternatives = _license_alternatives(limits)
    by_code = alternatives.filter(pl.col("code").is_not_null()).join(
        holdings.select("c_idx", code=pl.col("license_code")), on="code"
    )
    # G2B sometimes gives the name alone: then (and only then) the name decides.
    by_name = alternatives.filter(pl.col("code").is_null()).join(holdings.select("c_idx", "name"), on="name")
    met_rows = pl.concat([by_code.select("c_idx", "n_idx", "group_no", "seq_no"),
                          by_name.select("c_idx", "n_idx", "group_no", "seq_no")]).unique()  # fmt: skip
    group_sizes = limits.group_by("n_idx", "group_no").agg(size=pl.len())
    met_groups = (
        met_rows.group_by("c_idx", "n_idx", "group_no")
        .agg(met=pl.len())
        .join(group_sizes, on=["n_idx", "group_no"])
        .filter(pl.col("met") == pl.col("size"))
        .group_by("c_idx", "n_idx")
        .agg(pl.col("group_no").min())
    )
    labels = _group_labels(limits)
    return met_groups.join(labels, on=["n_idx", "group_no"]).select(_pair_key(n_notices), license_met="label")


def _group_labels(limits: pl.DataFrame) -> pl.DataFrame:
    """ "전기공사업(0037) + 정보통신공사업(0036)" per (n_idx, group_no)."""
    row_label = pl.when(pl.col("license_code").is_not_null()).then(
        pl.format("{}({})", "license_name", "license_code")).otherwise(pl.col("license_name"))  # fmt: skip
    return (
        limits.sort("n_idx", "group_no", "seq_no")
        .group_by("n_idx", "group_no", maintain_order=True)
        .agg(label=row_label.str.join(" + "))
    )


def license_requirements(limits: pl.DataFrame) -> pl.DataFrame:
    """Per notice, what its groups require, for the explanation of a failure: (n_idx, license_required)."""
    return (
        _group_labels(limits)
        .sort("n_idx", "group_no")
        .group_by("n_idx", maintain_order=True)
        .agg(license_required=pl.col("label").str.join(" 또는 "))
    )


def region_sets(regions: pl.DataFrame, companies: pl.DataFrame, n_notices: int) -> tuple[pl.Series, pl.Series]:
    """Pair keys that pass (the 시도 row, or the company's 시군구 row) and that are unknown (a 시군구 row in the
    company's 시도 while the profile gives no 시군구)."""
    candidates = regions.join(
        companies.select("c_idx", sido="sido", company_sigungu="sigungu"), on="sido"
    ).with_columns(_pair_key(n_notices))
    passing = candidates.filter(pl.col("sigungu").is_null() | (pl.col("sigungu") == pl.col("company_sigungu")))
    unsure = candidates.filter(pl.col("sigungu").is_not_null() & pl.col("company_sigungu").is_null())
    return passing["pair"].unique(), unsure["pair"].unique()


def region_descriptions(regions: pl.DataFrame) -> pl.DataFrame:
    """ "경기도 수원시, 경기도 성남시" per notice: (n_idx, regions_text)."""
    name = pl.concat_str(["sido", "sigungu"], separator=" ", ignore_nulls=True)
    return (
        regions.sort("n_idx", "sido", "sigungu")
        .group_by("n_idx", maintain_order=True)
        .agg(regions_text=name.unique(maintain_order=True).str.join(", "))
    )


def keyword_failures(notices: pl.DataFrame, companies: pl.DataFrame, n_notices: int) -> pl.DataFrame:
    """Pairs whose notice text holds one of the company's exclude keywords: (pair, excluded_by)."""
    hits = keyword_hits(notices, "match_text", companies, "exclude_keywords")
    if hits.is_empty():
        return pl.DataFrame(schema={"pair": pl.Int64, "excluded_by": pl.String})
    return (
        hits.with_columns(_pair_key(n_notices))
        .sort("keyword")
        .group_by("pair")
        .agg(excluded_by=pl.col("keyword").unique(maintain_order=True).str.join(", "))
    )


# ---------------------------------------------------------------------------------------------------------------------
# Per-side preparation (one row per notice, one per company: texts are formatted here, not per pair)


def prepare_notices(
    notices: pl.DataFrame, license_limits: pl.DataFrame, region_limits: pl.DataFrame, as_of: dt.datetime
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Index the notices (sorted by number) and attach what the rules need per notice. Child rows of other
    차수 are dropped. The deadline rule depends on the notice alone, so it is decided here."""
    notices = conform(notices, NOTICE_SCHEMA).sort("notice_no").with_row_index("n_idx")
    keys = notices.select("notice_no", "notice_order", "n_idx")
    limits = conform(license_limits, LICENSE_LIMIT_SCHEMA).join(keys, on=["notice_no", "notice_order"])
    limits = limits.unique(["n_idx", "group_no", "seq_no"], keep="first")
    regions = conform(region_limits, REGION_LIMIT_SCHEMA).join(keys, on=["notice_no", "notice_order"])
    price, close = pl.col("estimated_price"), pl.col("bid_close_at")
    cancelled, lit = pl.col("is_cancelled").fill_null(False), pl.lit
    sme_limit = pl.col("category").replace_strict(SME_ONLY_BELOW, default=None, return_dtype=pl.Int64)
    no_sme_rule = (pl.col("category") == "foreign") | pl.col("is_international").fill_null(False)
    as_of_lit = pl.lit(as_of.replace(tzinfo=None), dtype=pl.Datetime("us"))
    return (
        notices.join(license_requirements(limits), on="n_idx", how="left")
        .join(region_descriptions(regions), on="n_idx", how="left")
        .with_columns(
            has_license_rows=pl.col("license_required").is_not_null(),
            has_region_rows=pl.col("regions_text").is_not_null(),
            category_bit=pl.col("category").replace_strict(_CATEGORY_BIT, default=0, return_dtype=pl.Int64),
            category_ko=pl.col("category").replace_strict(CATEGORY_KO, default=None, return_dtype=pl.String),
            match_text=pl.concat_str(["title", "classification_name", "product_name"], separator=" ",
                                     ignore_nulls=True),
            # Which 중소기업 restriction the 추정가격 puts the notice under: small / sme / none (NULL = unknown).
            sme_tier=pl.when(no_sme_rule).then(lit("none"))
            .when(price.is_null() | pl.col("category").is_null()).then(None)
            .when(pl.col("category").is_in(["goods", "services"]) & (price < SMALL_ONLY_BELOW)).then(lit("small"))
            .when(price < sme_limit).then(lit("sme"))
            .otherwise(lit("none")),
            sme_limit_text=won_expr(sme_limit),
            price_text=won_expr(price),
            text_missing=pl.concat_str(["title", "classification_name", "product_name"], separator="",
                                       ignore_nulls=True).str.strip_chars() == "",
            deadline_verdict=pl.when(cancelled).then(_v(FAIL)).when(close.is_null()).then(_v(UNKNOWN))
            .when(close > as_of_lit).then(_v(PASS)).otherwise(_v(FAIL)),
            close_text=close.dt.strftime("%m-%d %H:%M"),
        )
        .with_columns(sme_tier_rank=pl.col("sme_tier").replace_strict(_TIER_RANK, default=None, return_dtype=pl.Int8)),
        limits,
        regions,
    )  # fmt: skip


def prepare_companies(profiles: pl.DataFrame, licenses: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Index the companies (sorted by id) with their category mask and 수행한도."""
    companies = profiles.sort("company_id").with_row_index("c_idx").with_columns(
        category_mask=pl.col("categories")
        .list.eval(pl.element().replace_strict(_CATEGORY_BIT, default=0, return_dtype=pl.Int64))
        .list.sum(),
        amount_limit=pl.coalesce("capacity_won", "largest_past_contract"),
        # 0 소상공인 … 4 대기업: "at most 소기업" and "at most 중기업" become integer comparisons per pair.
        size_rank=pl.col("size").replace_strict(_SIZE_RANK, default=None, return_dtype=pl.Int8),
        amount_limit_text=pl.when(pl.col("capacity_won").is_not_null())
        .then("수행한도 " + won_expr(pl.col("capacity_won")))
        .when(pl.col("largest_past_contract").is_not_null())
        .then("최대 실적 " + won_expr(pl.col("largest_past_contract"))),
    )  # fmt: skip
    company_licenses = licenses.join(companies.select("company_id", "c_idx"), on="company_id")
    return companies, company_licenses


# ---------------------------------------------------------------------------------------------------------------------
# The evaluation

VERDICT = pl.Enum([PASS, FAIL, UNKNOWN])
SEP = " · "


def _v(verdict: str) -> pl.Expr:
    return pl.lit(verdict, dtype=VERDICT)


def evaluate(
    notices: pl.DataFrame,
    license_limits: pl.DataFrame,
    region_limits: pl.DataFrame,
    profiles: pl.DataFrame,
    company_licenses: pl.DataFrame,
    as_of: dt.datetime,
) -> pl.DataFrame:
    """Every (company, notice) pair with a verdict per rule, the overall verdict and a Korean explanation,
    sorted by company_id and notice_no.

    `profiles` and `company_licenses` are `bidradar.matching.profiles.profiles_frame` / `licenses_frame`; the notices
    follow NOTICE_SCHEMA and the limit rows are those of the notices' current 차수 (others are ignored).
    `as_of` (naive KST) decides whether the deadline has passed. Verdict columns are Enum(pass, fail, unknown).
    """
    notices, limits, regions = prepare_notices(notices, license_limits, region_limits, as_of)
    companies, holdings = prepare_companies(profiles, company_licenses)
    n, c = notices.height, companies.height
    if n == 0 or c == 0:
        return pl.DataFrame(schema=HARD_MATCH_SCHEMA)
    total = n * c
    # Pair p is (company p // n, notice p % n): the pair key of a rule set is its row number, so the pairs a
    # join found are scattered into place instead of joined back.
    pair = np.arange(total, dtype=np.int64)
    c_idx, n_idx = pl.Series("c_idx", pair // n), pl.Series("n_idx", pair % n)
    met = license_sets(limits, holdings, n)
    region_pass, region_unsure = region_sets(regions, companies, n)
    excluded = keyword_failures(notices, companies, n)

    def scatter(keys: pl.Series, values: pl.Series | bool) -> pl.Series:
        if isinstance(values, bool):
            return pl.zeros(total, pl.Boolean, eager=True).scatter(keys, values)
        return pl.repeat(None, total, dtype=pl.String, eager=True).scatter(keys, values)

    def from_notices(*columns: str) -> list[pl.Series]:
        return [notices[col].gather(n_idx) for col in columns]

    def from_companies(*columns: str) -> list[pl.Series]:
        return [companies[col].gather(c_idx) for col in columns]

    pairs = pl.DataFrame([
        c_idx, n_idx,
        *from_companies("company_id", "size_rank", "category_mask", "amount_limit"),
        *from_notices("notice_no", "notice_order", "category", "bid_close_at", "estimated_price", "category_bit",
                      "license_known", "region_known", "has_license_rows", "has_region_rows", "is_license_limited",
                      "text_missing", "sme_tier_rank", "deadline_verdict"),
        scatter(met["pair"], met["license_met"]).alias("license_met"),
        scatter(excluded["pair"], excluded["excluded_by"]).alias("excluded_by"),
        scatter(region_pass, True).alias("region_pass"),
        scatter(region_unsure, True).alias("region_unsure"),
    ])  # fmt: skip
    pairs = pairs.with_columns(_rules())
    verdicts = [pl.col(v) for v in VERDICT_COLUMNS]
    pairs = pairs.with_columns(
        verdict=pl.when(pl.any_horizontal(v == FAIL for v in verdicts)).then(pl.lit(INELIGIBLE))
        .when(pl.any_horizontal(v == UNKNOWN for v in verdicts)).then(pl.lit(UNKNOWN))
        .otherwise(pl.lit(ELIGIBLE)),
        explanation_ko=_explanation(pairs, notices, companies),
    )  # fmt: skip
    return pairs.select(HARD_MATCH_COLUMNS)


def _rules() -> list[pl.Expr]:
    price, limit = pl.col("estimated_price"), pl.col("amount_limit")
    size, tier = pl.col("size_rank"), pl.col("sme_tier_rank")
    # fmt: off
    license_verdict = (
        pl.when(pl.col("license_met").is_not_null()).then(_v(PASS))
        .when(pl.col("has_license_rows")).then(_v(FAIL))
        .when(~pl.col("license_known").fill_null(False)).then(_v(UNKNOWN))
        # G2B flags 업종제한 but lists no 업종: something is missing, so it cannot be a pass.
        .when(pl.col("is_license_limited").fill_null(False)).then(_v(UNKNOWN))
        .otherwise(_v(PASS))
    )
    region_verdict = (
        pl.when(pl.col("region_pass")).then(_v(PASS))
        .when(pl.col("region_unsure")).then(_v(UNKNOWN))
        .when(pl.col("has_region_rows")).then(_v(FAIL))
        .when(~pl.col("region_known").fill_null(False)).then(_v(UNKNOWN))
        .otherwise(_v(PASS))
    )
    amount_verdict = (
        pl.when(price.is_null() | limit.is_null()).then(_v(UNKNOWN))
        .when(price <= limit).then(_v(PASS))
        .otherwise(_v(FAIL))
    )
    sme_verdict = (
        pl.when(tier == _TIER_NONE).then(_v(PASS))
        .when(tier.is_null() | size.is_null()).then(_v(UNKNOWN))
        .when(size <= tier).then(_v(PASS))
        .otherwise(_v(FAIL))
    )
    category_verdict = (
        pl.when(pl.col("category_bit") == 0).then(_v(UNKNOWN))
        .when((pl.col("category_mask") & pl.col("category_bit")) != 0).then(_v(PASS))
        .otherwise(_v(FAIL))
    )
    keyword_verdict = (
        pl.when(pl.col("excluded_by").is_not_null()).then(_v(FAIL))
        .when(pl.col("text_missing")).then(_v(UNKNOWN))
        .otherwise(_v(PASS))
    )
    # fmt: on
    return [
        license_verdict.alias("license_verdict"),
        region_verdict.alias("region_verdict"),
        amount_verdict.alias("amount_verdict"),
        sme_verdict.alias("sme_verdict"),
        category_verdict.alias("category_verdict"),
        keyword_verdict.alias("keyword_verdict"),
    ]


def _variants(frame: pl.DataFrame, *texts: pl.Expr) -> pl.Series:
    """Text variants of one side (notices or companies) stacked: variant k of row i sits at k * height + i."""
    return pl.concat([frame.with_columns(text=t.fill_null(""))["text"] for t in texts])


def _explanation(pairs: pl.DataFrame, notices: pl.DataFrame, companies: pl.DataFrame) -> pl.Series:
    """The one-line explanation, in rule order: every failure and unknown, and the facts behind a yes
    (license, region, amount); other passes are left to the verdict columns.

    Texts are formatted once per notice or company in a few variants; a pair only picks a variant (an
    integer code, then one gather per piece), so a million pairs never format a string themselves."""
    n, c = notices.height, companies.height
    lit = pl.lit
    sep = lambda text: SEP + text  # noqa: E731
    restriction = (
        pl.when(pl.col("sme_tier") == "small").then(lit("소기업·소상공인 제한(추정가격 1억 미만)"))
        .otherwise("중소기업 제한(추정가격 " + pl.col("sme_limit_text") + " 미만)")
    )  # fmt: skip
    notice_texts = {
        # license: 0 fail, 1 no rows (pass or unknown); a pass with rows is the pair's own text
        "license": _variants(
            notices,
            sep("면허 미보유: " + pl.col("license_required")),
            pl.when(~pl.col("license_known").fill_null(False)).then(lit(sep("면허 제한 확인 불가(상세 미수집)")))
            .when(pl.col("is_license_limited").fill_null(False)).then(lit(sep("면허 제한 표시되었으나 업종 목록 없음")))
            .otherwise(lit(sep("면허 제한 없음"))),
        ),
        # region: 0 pass, 1 fail, 2 시군구 unknown, 3 not fetched
        "region": _variants(
            notices,
            pl.when(pl.col("has_region_rows")).then(sep("지역 제한 충족: ") + pl.col("regions_text"))
            .otherwise(lit(sep("지역 제한 없음(전국)"))),
            sep("지역 제한 불충족: 참가가능지역 ") + pl.col("regions_text"),
            sep("시군구 제한 확인 불가: ") + pl.col("regions_text") + " (프로필에 시군구 없음)",
            lit(sep("지역 제한 확인 불가(상세 미수집)")),
        ),
        # amount, first piece: 0 ≤, 1 >, 2 price unknown, 3 limit unknown
        "amount": _variants(
            notices,
            sep("추정가격 ") + pl.col("price_text") + " ≤ ",
            sep("추정가격 ") + pl.col("price_text") + " > ",
            lit(sep("추정가격 미공개")),
            lit(SEP),
        ),
        # sme, first piece: 0 nothing (pass), 1 the restriction, 2 price unknown
        "sme": _variants(notices, lit(""), sep("") + restriction, lit(sep("추정가격 미공개로 중소기업 제한 판단 불가"))),
        # category: 0 nothing (pass), 1 fail, 2 unknown
        "category": _variants(notices, lit(""), sep("관심 분야 아님: ") + pl.col("category_ko"), lit(sep("업무 구분 미상"))),
        # deadline: decided per notice; nothing when open
        "deadline": _variants(
            notices,
            pl.when(pl.col("deadline_verdict") == PASS).then(lit(""))
            .when(pl.col("is_cancelled").fill_null(False)).then(lit(sep("취소 공고")))
            .when(pl.col("bid_close_at").is_null()).then(lit(sep("마감일시 미공개")))
            .otherwise(sep("마감 지남(") + pl.col("close_text") + ")"),
        ),
    }  # fmt: skip
    company_texts = {
        # amount, second piece: 0 the limit, 1 limit unknown, 2 nothing
        "amount": _variants(companies, pl.col("amount_limit_text"), lit("수행한도·실적 미입력"), lit("")),
        # sme, second piece: 0 nothing, 1 fail, 2 size unknown
        "sme": _variants(companies, lit(""), ": " + pl.col("size") + " 참가 불가", lit(": 기업 규모 미입력")),
    }
    v = {rule: pl.col(f"{rule}_verdict") for rule in RULES}
    price_known, limit_known = pl.col("estimated_price").is_not_null(), pl.col("amount_limit").is_not_null()
    tier_known = pl.col("sme_tier_rank").is_not_null()
    codes = pairs.select(
        license=pl.when(v["license"] == FAIL).then(0).otherwise(1),
        region=pl.when(v["region"] == PASS).then(0).when(v["region"] == FAIL).then(1)
        .when(pl.col("region_unsure")).then(2).otherwise(3),
        amount=pl.when(~price_known).then(2).when(~limit_known).then(3).when(v["amount"] == PASS).then(0).otherwise(1),
        amount_company=pl.when(~price_known).then(2).when(~limit_known).then(1).otherwise(0),
        sme=pl.when(v["sme"] == PASS).then(0).when(tier_known).then(1).otherwise(2),
        sme_company=pl.when(v["sme"] == FAIL).then(1).when((v["sme"] == UNKNOWN) & tier_known).then(2).otherwise(0),
        category=pl.when(v["category"] == PASS).then(0).when(v["category"] == FAIL).then(1).otherwise(2),
        keyword=pl.when(v["keyword"] == UNKNOWN).then(lit(sep("공고명 없음")))
        .otherwise(sep("제외 키워드: ") + pl.col("excluded_by")).fill_null(""),
    )  # fmt: skip
    n_idx, c_idx = pairs["n_idx"].cast(pl.Int64), pairs["c_idx"].cast(pl.Int64)

    def on_notice(rule: str, code: str | None = None) -> pl.Series:
        return notice_texts[rule].gather(codes[code or rule].cast(pl.Int64) * n + n_idx)

    def on_company(rule: str, code: str) -> pl.Series:
        return company_texts[rule].gather(codes[code].cast(pl.Int64) * c + c_idx)

    license_met = pairs["license_met"]
    license_text = pl.select(pl.coalesce(sep("면허 충족: ") + pl.lit(license_met), pl.lit(on_notice("license"))))
    pieces = pl.DataFrame([
        license_text.to_series().alias("license"),
        on_notice("region").alias("region"),
        on_notice("amount").alias("amount"),
        on_company("amount", "amount_company").alias("amount_company"),
        on_notice("sme").alias("sme"),
        on_company("sme", "sme_company").alias("sme_company"),
        on_notice("category").alias("category"),
        codes["keyword"].alias("keyword"),
        notice_texts["deadline"].gather(n_idx).alias("deadline"),
    ])  # fmt: skip
    return pieces.select(pl.concat_str(pl.all(), separator="").str.strip_prefix(SEP).alias("explanation_ko"))[
        "explanation_ko"
    ]


HARD_MATCH_SCHEMA = {
    "company_id": pl.String,
    "notice_no": pl.String,
    "notice_order": pl.String,
    "category": pl.String,
    "bid_close_at": pl.Datetime("us"),
    "estimated_price": pl.Int64,
    **dict.fromkeys(VERDICT_COLUMNS, pl.Enum([PASS, FAIL, UNKNOWN])),
    "verdict": pl.String,
    "explanation_ko": pl.String,
}
