"""Hard matching: may this company bid on this notice? One reason code per rule and pair, vectorised in polars.

Every rule gives a reason code (`bidradar.matching.explain.REASONS`): 0–9 pass, 10–19 fail, 20–29 unknown;
unknown (data missing) is never shown as pass. The overall verdict is ineligible if any rule fails, else unknown
if any rule is unknown, else eligible. Rules (docs/matching.md):

- license: 면허제한 groups, AND within a group, OR across groups. A row is met by its 업종 code, by its name
  resolved through the license table (`licenses.py`), or by one of its 허용업종 (`permitted_industries_raw`, read
  in every format seen), or, when G2B wrote the name alone, by a license the profile holds under that very name
  with a code the table does not list; a row that also names 주력분야 (`main_fields_raw`) needs them too. A name
  that resolves to nothing, a 주력분야 the profile does not state, an incomplete fetch, a 업종제한 flag without
  rows, or the row's name held under an unlisted code other than the row's: unknown.
- region: 참가가능지역, 시도 names old and new normalised to the current 행정구역 codes (`regions.py`) on both
  sides; a 시도 row covers all of its 시군구; no rows after a complete fetch is nationwide; a region flag
  without rows, or rows of an incomplete fetch that do not cover the company, are unknown.
- amount: 추정가격 against the company's stated 수행한도 (`capacity_won`); none stated is no bar.
- sme: 중소기업 제한 by 추정가격 and the dated 고시금액 of the issuer (`thresholds.py`) on the notice's date.
- record: the track record is a score, not a bar: a largest past contract below the 추정가격 is a weakness;
  only a stated 실적제한 (`is_track_record_limited`) makes it a bar.
- category, keyword (exclude keywords fail), deadline (open, not cancelled).

Companies are processed in batches (about `BATCH_PAIRS` pairs at a time) and only the pairs worth showing
(eligible and unknown) are kept as rows; every pair also gets a verdict code (`codes`: 2 bytes, a bit per failing
rule and the verdict), from which the per-company counts (`summary`) are taken, so memory stays small.
No Python loop touches a pair: a batch is one cross product on integer indexes; the rules that read limit rows
are joins that produce only the pairs they concern, scattered into place by pair number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from bidradar.matching.explain import PASS, REASON_COLUMNS, RULES, UNKNOWN, rule_verdict  # noqa: F401
from bidradar.matching.keywords import keyword_hits
from bidradar.rules import licenses as license_table
from bidradar.rules import regions as region_rules
from bidradar.rules.issuers import issuer_kind_expr
from bidradar.rules.thresholds import SMALL_ONLY_BELOW, sme_frame

FAIL = "fail"
ELIGIBLE, INELIGIBLE, CONDITIONAL = "eligible", "ineligible", "conditional"
VERDICT_COLUMNS = [f"{rule}_verdict" for rule in RULES]
BATCH_PAIRS = 2_000_000
# Bump when a rule or its reason codes change: the next hard_matches run then judges every pair again.
RULES_VERSION = "2026-12-06.2"
_CATEGORY_BIT = {"goods": 1, "services": 2, "construction": 4, "foreign": 8}
SME_SIZES = ["소상공인", "소기업", "중기업"]
SMALL_SIZES = ["소상공인", "소기업"]
_SIZE_RANK = {"소상공인": 0, "소기업": 1, "중기업": 2, "중견기업": 3, "대기업": 4}
# sme tier per notice (the rows of _SME_CODES): 0 no restriction, 1 소기업·소상공인, 2 중소기업, 3 중소기업 or none
# (the price lies in the range of doubt of the 고시금액), 4 소기업 or 중소기업 (a price from the 배정예산 straddles 1억),
# 5 issuer unknown below 1억, 6 issuer unknown above 1억, 7 no 고시금액 row for the day; NULL price unknown.
_TIER_NONE, _TIER_SMALL, _TIER_SME, _TIER_DOUBT, _TIER_SMALL_OR_SME = 0, 1, 2, 3, 4
_TIER_ISSUER_SMALL, _TIER_ISSUER_SME, _TIER_NO_ROW = 5, 6, 7

NOTICE_SCHEMA = {
    "notice_no": pl.String,
    "notice_order": pl.String,
    "category": pl.String,
    "title": pl.String,
    "classification_name": pl.String,
    "product_name": pl.String,
    "notice_agency_name": pl.String,
    "demand_agency_name": pl.String,
    "notice_agency_code": pl.String,
    "demand_agency_code": pl.String,
    "estimated_price": pl.Int64,
    "budget_amount": pl.Int64,  # 배정예산 (VAT included): the price rules' fallback when 추정가격 is empty
    "registered_at": pl.Datetime("us"),
    "notice_at": pl.Datetime("us"),
    "bid_close_at": pl.Datetime("us"),
    "is_cancelled": pl.Boolean,
    "is_license_limited": pl.Boolean,  # indstrytyLmtYn
    "is_region_limited": pl.Boolean,  # the notice states a 지역제한 (rgnLmtBidLocplcJdgmBssNm)
    "is_track_record_limited": pl.Boolean,  # arsltCmptYn: 실적제한
    "is_international": pl.Boolean,
    "contract_method": pl.String,  # cntrctCnclsMthdNm: 지명경쟁 when dsgntCmptYn is missing
    "is_designated_competition": pl.Boolean,  # dsgntCmptYn: only the designated companies may bid
    "is_product_class_limited": pl.Boolean,  # prdctClsfcLmtYn: the 물품분류 must be registered
    "is_manufacturer_required": pl.Boolean,  # mnfctYn: registered as its maker (제조)
    "product_class_no": pl.String,  # prdctClsfcNo (8) or dtilPrdctClsfcNo (10)
    "product_list_raw": pl.String,  # purchsObjPrdctList "[1^5610170301^책상],…"
    "is_joint_duty": pl.Boolean,  # rgnDutyJntcontrctYn: 지역의무공동도급
    "joint_duty_regions": pl.String,  # jntcontrctDutyRgnNm1..3, joined by ", "
    "joint_duty_share_pct": pl.Float64,  # rgnDutyJntcontrctRt
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
    "main_fields_raw": pl.String,
}
REGION_LIMIT_SCHEMA = {"notice_no": pl.String, "notice_order": pl.String, "sido": pl.String, "sigungu": pl.String}
COMPANY_LICENSE_SCHEMA = {
    "company_id": pl.String,
    "license_code": pl.String,
    "license_name": pl.String,
    "main_fields": pl.List(pl.String),  # 주력분야 stated in the profile; NULL = not stated
}
HARD_MATCH_SCHEMA = {
    "company_id": pl.String,
    "notice_no": pl.String,
    "notice_order": pl.String,
    "category": pl.String,
    "bid_close_at": pl.Datetime("us"),
    "estimated_price": pl.Int64,
    "verdict": pl.String,
    **dict.fromkeys(REASON_COLUMNS, pl.Int8),
    "license_detail": pl.String,
    "region_detail": pl.String,
    "keyword_detail": pl.String,
    "amount_limit": pl.Int64,
    "largest_contract": pl.Int64,
    "sme_limit": pl.Int64,
    "product_detail": pl.String,
    "joint_detail": pl.String,
}
HARD_MATCH_COLUMNS = list(HARD_MATCH_SCHEMA)
SUMMARY_SCHEMA = {
    "company_id": pl.String,
    "open_notices": pl.Int64,
    "eligible": pl.Int64,
    "unknown": pl.Int64,
    "ineligible": pl.Int64,
    "conditional": pl.Int64,
    **{f"fail_{rule}": pl.Int64 for rule in RULES},
}


# A pair's verdict code: bit i set when RULES[i] fails (ineligible), else UNKNOWN_BIT or CONDITIONAL_BIT or 0
# (eligible). What the per-company counts are taken from, for every pair, shown or not.
FAIL_BITS = (1 << len(RULES)) - 1
UNKNOWN_BIT, CONDITIONAL_BIT = 1 << len(RULES), 1 << (len(RULES) + 1)
assert CONDITIONAL_BIT < 1 << 16, "a verdict code is 16 bits: more rules need a wider code"


@dataclass
class VerdictCodes:
    """The verdict code of every pair judged: `codes[i, j]` of notice `notice_nos[i]` and company `company_ids[j]`
    (uint16, notices × companies)."""

    notice_nos: list[str]
    company_ids: list[str]
    codes: np.ndarray


@dataclass
class MatchResult:
    pairs: pl.DataFrame  # HARD_MATCH_SCHEMA: the kept pairs
    summary: pl.DataFrame  # SUMMARY_SCHEMA: one row per company (summary_from_codes)
    codes: VerdictCodes  # every pair's verdict code


def summary_from_codes(codes: np.ndarray, company_ids: list[str]) -> pl.DataFrame:
    """The per-company counts (SUMMARY_SCHEMA) of a notices × companies matrix of verdict codes: every column a
    company of `company_ids`, every row an open notice."""
    count = lambda flags: flags.sum(axis=0, dtype=np.int64)  # noqa: E731
    return pl.DataFrame(
        {
            "company_id": pl.Series(company_ids, dtype=pl.String),
            "open_notices": np.full(len(company_ids), codes.shape[0], dtype=np.int64),
            "eligible": count(codes == 0),
            "unknown": count(codes == UNKNOWN_BIT),
            "ineligible": count((codes & FAIL_BITS) != 0),
            "conditional": count(codes == CONDITIONAL_BIT),
            **{f"fail_{rule}": count((codes & (1 << bit)) != 0) for bit, rule in enumerate(RULES)},
        }
    ).select(list(SUMMARY_SCHEMA))


def conform(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """The frame with exactly the schema's columns and types (a missing column is NULL)."""
    return frame.select(
        [
            pl.col(c).cast(t) if c in frame.columns else pl.lit(None, dtype=t).alias(c)  # type: ignore[arg-type]
            for c, t in schema.items()
        ]
    )


# ---------------------------------------------------------------------------------------------------------------------
# 면허제한 rows: alternatives (own license + 허용업종), resolved to codes, and 주력분야


def parse_main_fields(raw: str | None) -> list[list[str]]:
    """indstrytyMfrcFldList "[1^토목^건축],[1^포장]" -> [["토목", "건축"], ["포장"]]: alternatives (OR) of
    주력분야 that must all be held (AND, '^'); the leading group number is dropped."""
    if not raw or not raw.strip():
        return []
    alternatives = []
    for bracketed, bare in license_table.ITEM_PATTERN.findall(raw):
        parts = [p.strip() for p in (bracketed or bare).split("^") if p.strip()]
        if parts and parts[0].isdigit():
            parts = parts[1:]
        if parts:
            alternatives.append(parts)
    return alternatives


def _license_alternatives(limits: pl.DataFrame) -> pl.DataFrame:
    """(n_idx, group_no, seq_no, kind, code, key, name, named_only): each way of meeting a limit row. kind: 0 own
    code, 1 own name (resolved through the table), 2 허용업종; code NULL when the name does not resolve; named_only:
    G2B wrote the name without a code (so a license held under that very name meets it, whatever the table's code)."""
    if limits.is_empty():
        return pl.DataFrame(
            schema={
                "n_idx": pl.UInt32,
                "group_no": pl.Int64,
                "seq_no": pl.Int64,
                "kind": pl.Int8,
                "code": pl.String,
                "key": pl.String,
                "name": pl.String,
                "named_only": pl.Boolean,
            }
        )
    own = limits.select(
        "n_idx",
        "group_no",
        "seq_no",
        code=pl.col("license_code"),
        name=pl.col("license_name"),
        kind=pl.when(pl.col("license_code").is_not_null()).then(0).otherwise(1).cast(pl.Int8),
    )
    raw = limits.filter(pl.col("permitted_industries_raw").fill_null("").str.strip_chars() != "")
    permitted_rows = [
        (n, g, s, code, name)
        for n, g, s, text in raw.select("n_idx", "group_no", "seq_no", "permitted_industries_raw").iter_rows()
        for name, code in license_table.parse_list(text)
    ]
    permitted = pl.DataFrame(
        permitted_rows,
        schema={"n_idx": pl.UInt32, "group_no": pl.Int64, "seq_no": pl.Int64, "code": pl.String, "name": pl.String},
        orient="row",
    ).with_columns(kind=pl.lit(2, dtype=pl.Int8))
    alternatives = pl.concat([own.with_columns(pl.col("n_idx").cast(pl.UInt32)), permitted.select(own.columns)])
    alternatives = alternatives.with_columns(
        key=license_table.normalize_name_expr(pl.col("name").fill_null("")), named_only=pl.col("code").is_null()
    )
    # A name without a code is resolved through the table (a generic name may stand for several codes).
    named = alternatives.filter(pl.col("code").is_null())
    resolved = named.drop("code").join(license_table.name_table(), on="key", how="left")
    return pl.concat([alternatives.filter(pl.col("code").is_not_null()), resolved.select(alternatives.columns)])


@dataclass
class NoticeSide:
    notices: pl.DataFrame
    alternatives: pl.DataFrame  # see _license_alternatives
    limits: pl.DataFrame  # limit rows with n_idx, unresolved flag and main-field alternatives
    group_sizes: pl.DataFrame  # (n_idx, group_no, size, unresolved)
    regions: pl.DataFrame  # (n_idx, r_idx, region_kind, region_sido, atoms, exact, canon, notice_day): resolved rows
    joint_regions: pl.DataFrame  # the same for the 지역의무공동도급 regions
    product_codes: pl.DataFrame  # (n_idx, code): 물품분류번호 (8 digits) a limited notice names


def _row_label() -> pl.Expr:
    return (
        pl.when(pl.col("license_code").is_not_null())
        .then(pl.format("{}({})", "license_name", "license_code"))
        .otherwise(pl.col("license_name"))
    )


def prepare_notices(
    notices: pl.DataFrame, license_limits: pl.DataFrame, region_limits: pl.DataFrame, as_of: dt.datetime
) -> NoticeSide:
    """Index the notices (sorted by number) and decide what depends on the notice alone. Child rows of other
    차수 are dropped."""
    if "is_region_limited" not in notices.columns and "region_limit_basis" in notices.columns:
        # As normalised (bid_notices): a stated 지역제한 basis means 참가가능지역 rows are expected.
        notices = notices.with_columns(
            is_region_limited=pl.col("region_limit_basis").fill_null("").str.strip_chars() != ""
        )
    # An amended notice (변경공고, a higher 차수) replaces the earlier ones: the latest 차수 decides.
    notices = (
        conform(notices, NOTICE_SCHEMA)
        .sort("notice_no", "notice_order")
        .unique("notice_no", keep="last", maintain_order=True)
        .with_row_index("n_idx")
    )
    keys = notices.select("notice_no", "notice_order", "n_idx")
    limits = conform(license_limits, LICENSE_LIMIT_SCHEMA).join(keys, on=["notice_no", "notice_order"])
    limits = limits.unique(["n_idx", "group_no", "seq_no"], keep="first").sort("n_idx", "group_no", "seq_no")
    alternatives = _license_alternatives(limits)
    unresolved = (
        alternatives.filter(pl.col("code").is_null())
        .group_by("n_idx", "group_no", "seq_no")
        .agg(unresolved_names=pl.col("name").unique(maintain_order=True).str.join(", "))
    )
    limits = limits.join(unresolved, on=["n_idx", "group_no", "seq_no"], how="left").with_columns(
        unresolved=pl.col("unresolved_names").is_not_null(),
        main_fields=pl.col("main_fields_raw").map_elements(parse_main_fields, return_dtype=pl.List(pl.List(pl.String))),
    )
    group_sizes = limits.group_by("n_idx", "group_no").agg(size=pl.len(), unresolved=pl.col("unresolved").sum())
    requirement = (
        limits.group_by("n_idx", "group_no", maintain_order=True)
        .agg(label=_row_label().str.join(" + "))
        .group_by("n_idx", maintain_order=True)
        .agg(license_required=pl.col("label").str.join(" 또는 "))
    )
    unresolved_text = (
        limits.filter(pl.col("unresolved"))
        .group_by("n_idx")
        .agg(license_unresolved=pl.col("unresolved_names").unique(maintain_order=True).str.join(", "))
    )
    # A group whose rows are all unresolved is unknown for every company that meets no group.
    all_unresolved = group_sizes.filter(pl.col("size") == pl.col("unresolved")).select("n_idx").unique()

    price, close, lit = pl.col("estimated_price"), pl.col("bid_close_at"), pl.lit
    low_price, high_price = pl.col("price_low"), pl.col("price_high")
    max_limit = int(sme_frame(pl.Series([as_of.date()]))["sme_high"].max() or 0)  # the largest 고시금액 in doubt
    as_of_lit = lit(as_of.replace(tzinfo=None), dtype=pl.Datetime("us"))
    notice_day = pl.coalesce("notice_at", "registered_at", as_of_lit).dt.date()
    notices = notices.with_columns(
        issuer=issuer_kind_expr(
            pl.col("demand_agency_code"),
            pl.col("notice_agency_code"),
            pl.col("demand_agency_name"),
            pl.col("notice_agency_name"),
        ),
        notice_day=notice_day,
        # 추정가격, or where it is empty the range the 배정예산 allows (VAT of 10 % or none): 예산/1.1 .. 예산.
        price_low=pl.coalesce(price, (pl.col("budget_amount") / 1.1).floor().cast(pl.Int64)),
        price_high=pl.coalesce(price, pl.col("budget_amount")),
    )
    # 참가가능지역 rows as they were on the notice's day (행정구역 history: bidradar.rules.regions).
    regions = (
        conform(region_limits, REGION_LIMIT_SCHEMA)
        .join(keys, on=["notice_no", "notice_order"])
        .join(notices.select("n_idx", "notice_day"), on="n_idx")
        .with_row_index("r_idx")
    )
    regions = region_rules.resolution_frame(regions, "sido", "sigungu", "notice_day", any_time=False)
    region_text = (
        regions.sort("n_idx", "sido", "sigungu")
        .group_by("n_idx", maintain_order=True)
        .agg(
            regions_text=pl.concat_str(["sido", "sigungu"], separator=" ", ignore_nulls=True)
            .unique(maintain_order=True)
            .str.join(", "),
            region_unresolved=(pl.col("region_kind") == "unknown").any(),
        )
    )
    joint = (
        notices.filter(pl.col("is_joint_duty").fill_null(False))
        .select("n_idx", "notice_day", sido=pl.col("joint_duty_regions").str.split(","))
        .explode("sido")
        .with_columns(pl.col("sido").str.strip_chars(), sigungu=pl.lit(None, dtype=pl.String))
        .filter(pl.col("sido").fill_null("") != "")
        .with_row_index("r_idx")
    )
    joint = region_rules.resolution_frame(joint, "sido", "sigungu", "notice_day", any_time=False)
    product_codes = (
        notices.select(
            "n_idx",
            code=pl.concat_list(
                pl.col("product_class_no").fill_null("").str.extract_all(r"\d{8}"),
                pl.col("product_list_raw")
                .fill_null("")
                .str.extract_all(r"\^\d{8}")
                .list.eval(pl.element().str.slice(1)),
            ),
        )
        .explode("code")
        .drop_nulls("code")
        .unique()
    )
    # The 중소기업 threshold (고시금액 range) in force for the issuer on the notice day (a join on the dated table).
    limits_in_force = notices.select("n_idx", "issuer", "notice_day").join(
        sme_frame(notices["notice_day"]), on=["issuer", "notice_day"], how="inner"
    )
    # 판로지원법 covers 물품·용역 of public buyers; not 공사, 외자, 국제입찰 or a private issuer.
    no_sme_rule = (
        pl.col("category").is_in(["foreign", "construction"])
        | pl.col("is_international").fill_null(False)
        | (pl.col("issuer") == "private")
    )
    goods_or_services = pl.col("category").is_in(["goods", "services"])
    cancelled = pl.col("is_cancelled").fill_null(False)
    notices = (
        notices.join(requirement, on="n_idx", how="left")
        .join(unresolved_text, on="n_idx", how="left")
        .join(region_text, on="n_idx", how="left")
        .join(limits_in_force, on="n_idx", how="left")
        .with_columns(
            has_license_rows=pl.col("license_required").is_not_null(),
            has_region_rows=pl.col("regions_text").is_not_null(),
            region_unresolved=pl.col("region_unresolved").fill_null(False),
            all_unresolved_group=pl.col("n_idx").is_in(all_unresolved["n_idx"].implode()),
            category_bit=pl.col("category").replace_strict(_CATEGORY_BIT, default=0, return_dtype=pl.Int64),
            match_text=pl.concat_str(
                ["title", "classification_name", "product_name"], separator=" ", ignore_nulls=True
            ),
            text_missing=pl.concat_str(
                ["title", "classification_name", "product_name"], separator="", ignore_nulls=True
            )
            .fill_null("")
            .str.strip_chars()
            == "",
            sme_tier=pl.when(no_sme_rule)
            .then(lit(_TIER_NONE))
            .when(pl.col("category").is_null() | ~goods_or_services | pl.col("price_high").is_null())
            .then(None)
            .when(pl.col("issuer") == "unknown")
            .then(
                pl.when(high_price < SMALL_ONLY_BELOW)
                .then(lit(_TIER_ISSUER_SMALL))
                .when(low_price >= SMALL_ONLY_BELOW)
                .then(pl.when(low_price >= max_limit).then(lit(_TIER_NONE)).otherwise(lit(_TIER_ISSUER_SME)))
            )
            .when(high_price < SMALL_ONLY_BELOW)
            .then(lit(_TIER_SMALL))
            .when(low_price < SMALL_ONLY_BELOW)
            .then(lit(_TIER_SMALL_OR_SME))
            .when(pl.col("sme_low").is_null())
            .then(lit(_TIER_NO_ROW))
            .when(high_price < pl.col("sme_low"))
            .then(lit(_TIER_SME))
            .when(low_price >= pl.col("sme_high"))
            .then(lit(_TIER_NONE))
            .otherwise(lit(_TIER_DOUBT))
            .cast(pl.Int8),
            designated=pl.coalesce(pl.col("is_designated_competition"), pl.col("contract_method").str.contains("지명")),
            product_limited=pl.col("is_product_class_limited").fill_null(False),
            # 물품 notices always say whether a 물품분류 limit applies, 공사 notices whether 공동도급 is a duty:
            # where the field is missing, the answer is unknown, never a free pass.
            product_flag_missing=(pl.col("category") == "goods") & pl.col("is_product_class_limited").is_null(),
            joint_flag_missing=(pl.col("category") == "construction") & pl.col("is_joint_duty").is_null(),
            joint_text=pl.when(pl.col("is_joint_duty").fill_null(False)).then(
                pl.col("joint_duty_regions")
                + pl.when(pl.col("joint_duty_share_pct").is_not_null())
                .then(
                    pl.format(
                        " — 지역업체 지분 {}% 이상",
                        pl.col("joint_duty_share_pct").round(1).cast(pl.String).str.replace(r"\.0$", ""),
                    )
                )
                .otherwise(pl.lit(""))
            ),
            deadline_reason=pl.when(cancelled)
            .then(lit(10))
            .when(close.is_null())
            .then(lit(20))
            .when(close > as_of_lit)
            .then(lit(0))
            .otherwise(lit(11))
            .cast(pl.Int8),
        )
        .with_columns(sme_limit=pl.when(pl.col("sme_tier").is_in([_TIER_SME, _TIER_DOUBT])).then(pl.col("sme_high")))
    )
    product_text = product_codes.group_by("n_idx").agg(product_codes_text=pl.col("code").sort().str.join(", "))
    notices = notices.join(product_text, on="n_idx", how="left").with_columns(
        product_codes_text=pl.when(pl.col("is_manufacturer_required").fill_null(False))
        .then(pl.col("product_codes_text") + " (제조)")
        .otherwise(pl.col("product_codes_text"))
    )
    return NoticeSide(notices, alternatives, limits, group_sizes, regions, joint, product_codes)


def prepare_companies(
    profiles: pl.DataFrame, licenses: pl.DataFrame, as_of: dt.date | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Index the companies (sorted by id) with their category mask, size rank and normalised region."""
    companies = (
        profiles.sort("company_id")
        .with_row_index("c_idx")
        .with_columns(
            category_mask=pl.col("categories")
            .list.eval(pl.element().replace_strict(_CATEGORY_BIT, default=0, return_dtype=pl.Int64))
            .list.sum(),
            size_rank=pl.col("size").replace_strict(_SIZE_RANK, default=None, return_dtype=pl.Int8),
            address_day=pl.lit(as_of or dt.date.today(), dtype=pl.Date),
        )
    )
    # The address as written, old names included (they mean their successors).
    companies = region_rules.resolution_frame(companies, "sido", "sigungu", "address_day", any_time=True).rename(
        {"region_kind": "c_kind", "region_sido": "c_sido", "atoms": "c_atoms", "exact": "c_exact", "canon": "c_canon"}
    )
    holdings = conform(licenses, COMPANY_LICENSE_SCHEMA).join(companies.select("company_id", "c_idx"), on="company_id")
    holdings = holdings.with_columns(key=license_table.normalize_name_expr(pl.col("license_name").fill_null("")))
    return companies, holdings


# ---------------------------------------------------------------------------------------------------------------------
# Rule sets that read limit rows, for one batch of companies: each returns the pairs it concerns


def _pair_key(n_notices: int, c0: int) -> pl.Expr:
    return ((pl.col("c_idx").cast(pl.Int64) - c0) * n_notices + pl.col("n_idx").cast(pl.Int64)).alias("pair")


def _main_field_states(rows: pl.DataFrame) -> pl.DataFrame:
    """`row_state` of every (company, limit row) that names 주력분야, at once (list lookups and group-bys, no Python
    call per pair): 2 met (every field of one alternative is held), 1 unknown (the profile states no 주력분야 for
    the license), 0 not met."""
    rows = rows.with_row_index("_row")
    fields = (
        rows.select("_row", "main_held", alt=pl.col("main_fields"))
        .with_columns(alt_no=pl.int_ranges(pl.col("alt").list.len()))
        .explode("alt", "alt_no")
        .explode("alt")
        .with_columns(held=pl.col("main_held").list.contains(pl.col("alt")).fill_null(False))
        .group_by("_row", "alt_no")
        .agg(pl.col("held").all())
        .group_by("_row")
        .agg(any_met=pl.col("held").any())
    )
    state = (
        pl.when(pl.col("main_held").is_null())
        .then(pl.lit(1))
        .when(pl.col("any_met").fill_null(False))
        .then(pl.lit(2))
        .otherwise(pl.lit(0))
        .cast(pl.Int8)
    )
    return rows.join(fields, on="_row", how="left").sort("_row").with_columns(row_state=state).drop("_row", "any_met")


def license_states(side: NoticeSide, holdings: pl.DataFrame, n: int, c0: int) -> pl.DataFrame:
    """Per (pair) the best license state the company reaches: (pair, state 2 met / 1 unknown, main_fail,
    main_unknown, kind, held): held = the licenses the company holds that met the group, named as it holds them."""
    alternatives = side.alternatives
    by_code = alternatives.filter(pl.col("code").is_not_null()).join(
        holdings.select(
            "c_idx",
            code="license_code",
            held_name="license_name",
            main_held="main_fields",
            held_code=pl.col("license_code"),
        ),
        on="code",
    )
    # A held code the license table does not know can be checked by its name only (the table is not every 업종).
    by_key = holdings.select(
        "c_idx",
        "key",
        held_name="license_name",
        main_held="main_fields",
        held_code=pl.col("license_code"),
        unlisted=~pl.col("license_code").is_in(list(license_table.NAMES)),
    )
    # A name G2B wrote without a code matches a license the company holds under that very name: always when the
    # table does not know the name, and when it does, for a held code the table does not list (the name is what G2B
    # asked for; a listed code is judged by the table's codes above).
    by_name = (
        alternatives.filter(pl.col("named_only"))
        .join(by_key, on="key")
        .filter(pl.col("code").is_null() | pl.col("unlisted"))
        .drop("unlisted")
    )
    # G2B wrote a code and the company holds that very name under a code the table does not list: one of the two
    # codes is wrong (a typo in the profile, or a code the table lacks); unknown, never "not held", so the owner
    # checks. (A listed code of the same name, e.g. another 소프트웨어사업자, is another 업종: the code decides.)
    same_name = (
        alternatives.filter(~pl.col("named_only"))
        .join(by_key, on="key")
        .filter(pl.col("unlisted") & (pl.col("held_code") != pl.col("code")))
        .drop("unlisted")
    )
    met = pl.concat(
        [
            by_code.select(by_name.columns).with_columns(mismatch=pl.lit(False)),
            by_name.with_columns(mismatch=pl.lit(False)),
            same_name.select(by_name.columns).with_columns(mismatch=pl.lit(True)),
        ]
    )
    empty = pl.DataFrame(
        schema={
            "pair": pl.Int64,
            "state": pl.Int8,
            "main_fail": pl.Boolean,
            "main_unknown": pl.Boolean,
            "kind": pl.Int8,
            "held": pl.String,
            "code_mismatch": pl.Boolean,
        }
    )
    if met.is_empty():
        return empty
    met = met.join(
        side.limits.select("n_idx", "group_no", "seq_no", "main_fields", "unresolved", "license_name", "license_code"),
        on=["n_idx", "group_no", "seq_no"],
    )
    needs_main = met.filter(pl.col("main_fields").list.len().fill_null(0) > 0)
    if needs_main.height:
        needs_main = _main_field_states(needs_main)
    met = pl.concat(
        [
            met.filter(pl.col("main_fields").list.len().fill_null(0) == 0).with_columns(row_state=pl.lit(2, pl.Int8)),
            needs_main,
        ],
        how="diagonal_relaxed",
    ).with_columns(row_state=pl.when(pl.col("mismatch")).then(pl.min_horizontal("row_state", 1)).otherwise("row_state"))
    held_label = pl.format("{}({})", "held_name", "held_code")
    via = pl.when(pl.col("kind") == 2).then(" — " + _row_label() + "의 허용업종").otherwise(pl.lit(""))
    rows = (
        met.with_columns(label=held_label + via)
        .sort("row_state", "kind", descending=[True, False])
        .group_by("c_idx", "n_idx", "group_no", "seq_no", maintain_order=True)
        .agg(
            pl.col("row_state").first(),
            pl.col("kind").first(),
            pl.col("label").first(),
            pl.col("unresolved").first(),
            code_mismatch=pl.col("mismatch").first(),
            main_missing=((pl.col("row_state") == 1) & ~pl.col("mismatch")).any(),
            main_fail=(pl.col("row_state") == 0).any(),
        )
    )
    groups = (
        rows.sort("seq_no")
        .group_by("c_idx", "n_idx", "group_no")
        .agg(
            met=(pl.col("row_state") == 2).sum(),
            ok=((pl.col("row_state") >= 1) & ~pl.col("unresolved")).sum(),
            kind=pl.col("kind").max(),
            held=pl.col("label").str.join(" + "),
            main_missing=pl.col("main_missing").any(),
            main_fail=pl.col("main_fail").any(),
            code_mismatch=pl.col("code_mismatch").any(),
        )
        .join(side.group_sizes, on=["n_idx", "group_no"])
        .with_columns(
            state=pl.when(pl.col("met") == pl.col("size"))
            .then(2)
            .when(pl.col("ok") + pl.col("unresolved") == pl.col("size"))
            .then(1)
            .otherwise(0)
            .cast(pl.Int8)
        )
    )
    return (
        groups.sort("state", "group_no", descending=[True, False])
        .group_by("c_idx", "n_idx", maintain_order=True)
        .agg(
            pl.col("state").first(),
            pl.col("kind").first(),
            pl.col("held").first(),
            main_unknown=(pl.col("main_missing") & (pl.col("state") == 1)).any(),
            main_fail=pl.col("main_fail").any(),
            code_mismatch=(pl.col("code_mismatch") & (pl.col("state") == 1)).first(),
        )
        .select(_pair_key(n, c0), "state", "main_fail", "main_unknown", "kind", "held", "code_mismatch")
    )


def _atom_sidos(atoms: pl.Series, days: pl.Series) -> pl.DataFrame:
    """(atom, notice_day, atom_sido): the 시도 each atom lay in on each day (one call per distinct pair)."""
    frame = (
        pl.DataFrame({"atom": atoms.unique()})
        .join(pl.DataFrame({"notice_day": days.unique()}), how="cross")
        .filter(pl.col("atom").is_not_null() & pl.col("notice_day").is_not_null())
    )
    return frame.with_columns(
        atom_sido=pl.Series([region_rules.atom_sido(a, d) for a, d in frame.iter_rows()], dtype=pl.String)
    )


def region_sets(
    regions: pl.DataFrame, companies: pl.DataFrame, n: int, c0: int
) -> tuple[pl.Series, pl.Series, pl.Series]:
    """Pair keys that pass (a row covers every atom of the company's address, or names the very same unit), that
    are unsure because the profile gives no 시군구 (22), and that are unsure because the row and the address
    overlap without one covering the other (25: a merged or split unit, a 시 against one of its 일반구)."""
    pair = _pair_key(n, c0)
    c_units = companies.filter(pl.col("c_kind") == "units").select(
        "c_idx", "c_canon", n_atoms=pl.col("c_atoms").list.len(), atom=pl.col("c_atoms")
    )
    c_atoms = c_units.explode("atom").filter(pl.col("atom").is_not_null())
    c_sido_only = companies.filter(pl.col("c_kind") == "sido").select("c_idx", "c_sido")
    n_units = regions.filter(pl.col("region_kind") == "units").select(
        "n_idx", "r_idx", "exact", "canon", "notice_day", atom="atoms"
    )
    n_atoms = n_units.explode("atom").filter(pl.col("atom").is_not_null())
    n_sido = regions.filter(pl.col("region_kind") == "sido").select("n_idx", "r_idx", "region_sido", "notice_day")

    # a) unit rows against addresses with a unit: same unit, a cover, or an overlap.
    same = n_units.join(c_units.select("c_idx", "c_canon").unique(), left_on="canon", right_on="c_canon")
    overlap = (
        n_atoms.join(c_atoms, on="atom")
        .group_by("c_idx", "n_idx", "r_idx")
        .agg(covered=pl.col("atom").n_unique(), n_atoms=pl.col("n_atoms").first(), exact=pl.col("exact").first())
        .with_columns(cover=(pl.col("covered") == pl.col("n_atoms")) & pl.col("exact"))
    )
    # b) whole-시도 rows against addresses with a unit: every atom in that 시도 on the notice's day.
    sidos = _atom_sidos(c_atoms["atom"], n_sido["notice_day"]) if n_sido.height and c_atoms.height else None
    in_sido = (
        c_atoms.join(sidos, on="atom")
        .join(n_sido, left_on=["atom_sido", "notice_day"], right_on=["region_sido", "notice_day"])
        .group_by("c_idx", "n_idx", "r_idx")
        .agg(covered=pl.col("atom").n_unique(), n_atoms=pl.col("n_atoms").first())
        .with_columns(cover=pl.col("covered") == pl.col("n_atoms"))
        if sidos is not None
        else pl.DataFrame(schema={"c_idx": pl.UInt32, "n_idx": pl.UInt32, "cover": pl.Boolean})
    )
    # c) addresses without a 시군구: a whole-시도 row of that 시도 passes, a unit row inside it is unsure.
    sido_pass = n_sido.join(c_sido_only, left_on="region_sido", right_on="c_sido")
    # d) a row that says 전국 admits everyone.
    nation = (
        regions.filter(pl.col("region_kind") == "nation")
        .select("n_idx")
        .unique()
        .join(companies.select("c_idx"), how="cross")
    )
    n_atom_sidos = (
        n_atoms.join(_atom_sidos(n_atoms["atom"], n_atoms["notice_day"]), on=["atom", "notice_day"])
        if n_atoms.height and c_sido_only.height
        else n_atoms.with_columns(atom_sido=pl.lit(None, dtype=pl.String))
    )
    sido_unsure = n_atom_sidos.join(c_sido_only, left_on="atom_sido", right_on="c_sido")

    passing = pl.concat(
        [
            same.select(pair),
            overlap.filter(pl.col("cover")).select(pair),
            in_sido.filter(pl.col("cover")).select(pair),
            sido_pass.select(pair),
            nation.select(pair),
        ]
    )["pair"].unique()
    no_unit = sido_unsure.select(pair)["pair"].unique()
    changed = pl.concat([overlap.filter(~pl.col("cover")).select(pair), in_sido.filter(~pl.col("cover")).select(pair)])[
        "pair"
    ].unique()
    return passing, no_unit, changed


def keyword_failures(notices: pl.DataFrame, companies: pl.DataFrame, n: int, c0: int) -> pl.DataFrame:
    """Pairs whose notice text holds one of the company's exclude keywords: (pair, excluded_by)."""
    hits = keyword_hits(notices, "match_text", companies, "exclude_keywords")
    if hits.is_empty():
        return pl.DataFrame(schema={"pair": pl.Int64, "excluded_by": pl.String})
    return (
        hits.with_columns(_pair_key(n, c0))
        .sort("keyword")
        .group_by("pair")
        .agg(excluded_by=pl.col("keyword").unique(maintain_order=True).str.join(", "))
    )


# ---------------------------------------------------------------------------------------------------------------------
# The evaluation


def evaluate(
    notices: pl.DataFrame,
    license_limits: pl.DataFrame,
    region_limits: pl.DataFrame,
    profiles: pl.DataFrame,
    company_licenses: pl.DataFrame,
    as_of: dt.datetime,
    keep_all: bool = False,
    batch_pairs: int = BATCH_PAIRS,
) -> pl.DataFrame:
    """The eligible and unknown pairs (every pair with `keep_all`), sorted by company_id and notice_no, with a
    reason code per rule and the facts the explanation names (HARD_MATCH_SCHEMA)."""
    return match(notices, license_limits, region_limits, profiles, company_licenses, as_of, keep_all, batch_pairs).pairs


def match(
    notices: pl.DataFrame,
    license_limits: pl.DataFrame,
    region_limits: pl.DataFrame,
    profiles: pl.DataFrame,
    company_licenses: pl.DataFrame,
    as_of: dt.datetime,
    keep_all: bool = False,
    batch_pairs: int = BATCH_PAIRS,
) -> MatchResult:
    """Kept pairs and the per-company summary. `profiles`/`company_licenses` are
    `bidradar.matching.profiles.profiles_frame` / `licenses_frame`; `as_of` (naive KST) decides the deadline."""
    side = prepare_notices(notices, license_limits, region_limits, as_of)
    companies, holdings = prepare_companies(profiles, company_licenses, as_of.date())
    n, c = side.notices.height, companies.height
    company_ids = companies["company_id"].to_list()
    # Notices × companies; each batch of companies fills its columns.
    codes = np.zeros((n, c), dtype=np.uint16)
    per_batch = max(1, batch_pairs // max(n, 1))
    kept = []
    arrays = _notice_arrays(side.notices) if n and c else {}
    for c0 in range(0, c if n else 0, per_batch):
        batch = companies.slice(c0, per_batch)
        in_batch = holdings.filter(pl.col("c_idx").is_between(c0, c0 + batch.height - 1))
        shown, codes[:, c0 : c0 + batch.height] = _batch(side, arrays, batch, in_batch, n, c0, keep_all)
        kept.append(_details(shown, side.notices, companies))
    pairs = pl.concat(kept) if kept else pl.DataFrame(schema=HARD_MATCH_SCHEMA)
    return MatchResult(
        pairs.select(HARD_MATCH_COLUMNS),
        summary_from_codes(codes, company_ids),
        VerdictCodes(side.notices["notice_no"].to_list(), company_ids, codes),
    )


def _np(series: pl.Series, fill: float | int | bool, dtype: type) -> np.ndarray:
    return series.fill_null(fill).to_numpy().astype(dtype, copy=False)


def _notice_arrays(notices: pl.DataFrame) -> dict[str, np.ndarray]:
    """Per notice, what the rules read, as numpy arrays; the license and region codes a company gets when no
    limit row concerns it (the join hits override them per pair)."""
    lit = pl.lit
    known_l, known_r = pl.col("license_known").fill_null(False), pl.col("region_known").fill_null(False)
    defaults = notices.select(
        license=pl.when(~pl.col("has_license_rows"))
        .then(
            pl.when(~known_l)
            .then(lit(20))
            .when(pl.col("is_license_limited").fill_null(False))
            .then(lit(21))
            .otherwise(lit(0))
        )
        # Rows but an incomplete fetch: a group may miss rows (AND), so not even a met group is sure.
        .when(~known_l)
        .then(lit(24))
        .when(pl.col("all_unresolved_group"))
        .then(lit(22))
        .otherwise(lit(10)),
        region=pl.when(~pl.col("has_region_rows"))
        .then(
            pl.when(~known_r)
            .then(lit(20))
            .when(pl.col("is_region_limited").fill_null(False))
            .then(lit(21))
            .otherwise(lit(0))
        )
        .when(~known_r)
        .then(lit(23))
        .when(pl.col("region_unresolved"))
        .then(lit(24))
        .otherwise(lit(10)),
    )
    return {
        "license": _np(defaults["license"], 0, np.int8),
        "region": _np(defaults["region"], 0, np.int8),
        "license_known": _np(notices["license_known"], False, np.bool_),
        "price": _np(notices["estimated_price"].cast(pl.Float64), np.nan, np.float64),
        "category_bit": _np(notices["category_bit"], 0, np.int64),
        "sme_tier": _np(notices["sme_tier"], -1, np.int8),
        "deadline": _np(notices["deadline_reason"], 20, np.int8),
        "text_missing": _np(notices["text_missing"], True, np.bool_),
        "record_limited": _np(notices["is_track_record_limited"], False, np.bool_),
        "designation": _np(
            notices.select(
                pl.when(pl.col("designated").is_null())
                .then(lit(20))
                .when(pl.col("designated"))
                .then(lit(10))
                .otherwise(lit(0))
            ).to_series(),
            20,
            np.int8,
        ),
        "product": _np(
            notices.select(
                pl.when(pl.col("product_flag_missing"))
                .then(lit(22))
                .when(~pl.col("product_limited"))
                .then(lit(0))
                .when(pl.col("product_codes_text").is_null())
                .then(lit(20))
                .otherwise(lit(10))
            ).to_series(),
            0,
            np.int8,
        ),
        "manufacturer_required": _np(notices["is_manufacturer_required"], False, np.bool_),
        "joint": _np(
            notices.select(
                pl.when(pl.col("joint_flag_missing"))
                .then(lit(21))
                .when(~pl.col("is_joint_duty").fill_null(False))
                .then(lit(0))
                .when(pl.col("joint_duty_regions").fill_null("").str.strip_chars() == "")
                .then(lit(20))
                .otherwise(lit(30))
            ).to_series(),
            0,
            np.int8,
        ),
    }


# sme code by (notice tier + 1) and (size rank + 1: unknown, 소상공인, 소기업, 중기업, 중견기업, 대기업)
_SME_CODES = np.array(
    [
        [20, 20, 20, 20, 20, 20],  # price unknown (no 추정가격, no 배정예산)
        [0, 0, 0, 0, 0, 0],  # no restriction
        [21, 1, 1, 10, 10, 10],  # 소기업·소상공인 (rank ≤ 1)
        [22, 1, 1, 1, 11, 11],  # 중소기업 (rank ≤ 2)
        [22, 1, 1, 1, 23, 23],  # 중소기업 or none: the price is in the 고시금액's range of doubt
        [21, 1, 1, 25, 11, 11],  # 소기업 or 중소기업: the 배정예산 straddles 1억
        [24, 1, 1, 24, 24, 24],  # issuer kind unknown, below 1억
        [24, 1, 1, 1, 24, 24],  # issuer kind unknown, above 1억
        [22, 1, 1, 1, 26, 26],  # no 고시금액 row for the issuer and day
    ],
    dtype=np.int8,
)
_LICENSE_BY_KIND = np.array([1, 2, 3], dtype=np.int8)  # met by own code, by name, through a 허용업종


def _batch(
    side: NoticeSide,
    a: dict[str, np.ndarray],
    batch: pl.DataFrame,
    holdings: pl.DataFrame,
    n: int,
    c0: int,
    keep_all: bool,
) -> tuple[pl.DataFrame, np.ndarray]:
    """Reason codes of every pair of a batch as (companies × notices) int8 matrices; the kept pairs and the
    verdict code of every pair (notices × companies)."""
    b = batch.height
    shape = (b, n)
    price = a["price"][None, :]
    no_price = np.isnan(price)
    cap = _np(batch["capacity_won"].cast(pl.Float64), np.nan, np.float64)[:, None]
    largest = _np(batch["largest_past_contract"].cast(pl.Float64), np.nan, np.float64)[:, None]
    size = _np(batch["size_rank"], -1, np.int8)
    mask = _np(batch["category_mask"], 0, np.int64)[:, None]
    bit = a["category_bit"][None, :]

    license_codes = np.repeat(a["license"][None, :], b, axis=0)  # C-contiguous: ravel() is a view
    lic = license_states(side, holdings, n, c0)
    if lic.height:
        pair = lic["pair"].to_numpy()
        state, kind = lic["state"].to_numpy(), lic["kind"].fill_null(0).to_numpy()
        main_unknown = lic["main_unknown"].fill_null(False).to_numpy()
        main_fail = lic["main_fail"].fill_null(False).to_numpy()
        code_mismatch = lic["code_mismatch"].fill_null(False).to_numpy()
        current = license_codes.ravel()[pair]
        met = _LICENSE_BY_KIND[np.clip(kind, 0, 2)]
        code = np.where(
            state == 2,
            met,
            np.where(
                (state == 1) & code_mismatch,
                25,
                np.where(
                    (state == 1) & main_unknown,
                    23,
                    np.where(state == 1, 22, np.where(main_fail & (current == 10), 11, current)),
                ),
            ),
        )
        # An incomplete fetch keeps its code (24) whatever the company holds.
        code = np.where(a["license_known"][pair % n], code, current)
        license_codes.ravel()[pair] = code.astype(np.int8)

    region_codes = np.repeat(a["region"][None, :], b, axis=0)
    passing, no_unit, changed = region_sets(side.regions, batch, n, c0)
    if len(changed):
        region_codes.ravel()[changed.to_numpy()] = 25
    if len(no_unit):
        region_codes.ravel()[no_unit.to_numpy()] = 22
    if len(passing):  # a row that covers the company passes, even from an incomplete fetch
        region_codes.ravel()[passing.to_numpy()] = 1

    amount = np.where(np.isnan(cap), 0, np.where(no_price, 20, np.where(price <= cap, 1, 10))).astype(np.int8)
    sme = _SME_CODES[(a["sme_tier"] + 1)[None, :], (size + 1)[:, None]]
    category = np.where(bit == 0, 20, np.where((mask & bit) != 0, 0, 10)).astype(np.int8)
    keyword = np.repeat(np.where(a["text_missing"], 20, 0).astype(np.int8)[None, :], b, axis=0)
    excluded = keyword_failures(side.notices, batch, n, c0)
    if excluded.height:
        keyword.ravel()[excluded["pair"].to_numpy()] = 10
    deadline = np.broadcast_to(a["deadline"], shape)
    no_record = np.isnan(largest)
    record = np.where(
        a["record_limited"][None, :],
        np.where(no_record, 10, np.where(no_price, 20, np.where(largest >= price, 3, 20))),
        np.where(no_price, 0, np.where(no_record, 2, np.where(largest < price, 1, 0))),
    ).astype(np.int8)

    designation, product, joint = _participation(side, a, batch, n, c0)
    codes = (license_codes, region_codes, amount, sme, category, keyword, deadline, record, designation, product, joint)
    fails = [(x >= 10) & (x < 20) for x in codes]
    failed = np.logical_or.reduce(fails)
    unknown = ~failed & np.logical_or.reduce([(x >= 20) & (x < 30) for x in codes])
    conditional = ~failed & ~unknown & np.logical_or.reduce([x >= 30 for x in codes])
    keep = np.arange(b * n, dtype=np.int64) if keep_all else np.flatnonzero(~failed)
    verdict = np.where(
        failed.ravel()[keep], 2, np.where(unknown.ravel()[keep], 1, np.where(conditional.ravel()[keep], 3, 0))
    )
    shown = pl.DataFrame(
        {
            "pair": keep,
            "c_idx": keep // n + c0,
            "n_idx": keep % n,
            "verdict": pl.Series(np.array([ELIGIBLE, UNKNOWN, INELIGIBLE, CONDITIONAL])[verdict], dtype=pl.String),
            **{col: x.ravel()[keep] for col, x in zip(REASON_COLUMNS, codes, strict=True)},
        }
    )
    shown = shown.join(lic.select("pair", "held"), on="pair", how="left").join(excluded, on="pair", how="left")
    code = np.where(unknown, np.uint16(UNKNOWN_BIT), np.where(conditional, np.uint16(CONDITIONAL_BIT), 0)).astype(
        np.uint16
    )
    for bit, f in enumerate(fails):
        code |= f.astype(np.uint16) << np.uint16(bit)
    shown = shown.with_columns(pl.col("c_idx").cast(pl.UInt32), pl.col("n_idx").cast(pl.UInt32))
    return shown, code.T


def _participation(
    side: NoticeSide, a: dict[str, np.ndarray], batch: pl.DataFrame, n: int, c0: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Who may bid at all: 지명경쟁 (designated companies only), 물품분류·제조 limits, 지역의무공동도급 (a condition)."""
    b = batch.height
    pair = _pair_key(n, c0)
    designation = np.repeat(a["designation"][None, :], b, axis=0)
    named = (
        batch.select("c_idx", notice_no=pl.col("designations"))
        .explode("notice_no")
        .join(side.notices.select("n_idx", "notice_no"), on="notice_no")
        .select(pair)["pair"]
        .to_numpy()
    )
    if len(named):
        flat = designation.ravel()
        flat[named] = np.where(flat[named] == 10, 1, flat[named])

    product = np.repeat(a["product"][None, :], b, axis=0)
    stated = batch["products"].is_not_null().to_numpy()
    product = np.where((product == 10) & ~stated[:, None], 21, product).astype(np.int8)
    held = (
        batch.select("c_idx", code=pl.col("products"), made=pl.col("manufactured"))
        .explode("code")
        .drop_nulls("code")
        .with_columns(made=pl.col("made").list.contains(pl.col("code")))
        .join(side.product_codes, on="code")
        .group_by("c_idx", "n_idx")
        .agg(made=pl.col("made").any())
        .select(pair, "made")
    )
    if held.height:
        keys, made = held["pair"].to_numpy(), held["made"].to_numpy()
        flat = product.ravel()
        needs_maker = a["manufacturer_required"][keys % n]
        flat[keys] = np.where(flat[keys] == 10, np.where(needs_maker, np.where(made, 2, 11), 1), flat[keys])

    joint = np.repeat(a["joint"][None, :], b, axis=0)
    local, _, _ = region_sets(side.joint_regions, batch, n, c0)
    if len(local):
        flat = joint.ravel()
        keys = local.to_numpy()
        flat[keys] = np.where(flat[keys] == 30, 31, flat[keys])
    return designation, product, joint


def _details(shown: pl.DataFrame, notices: pl.DataFrame, companies: pl.DataFrame) -> pl.DataFrame:
    """The kept pairs with ids and the facts the explanation names (only now, for the few pairs kept)."""
    lic, reg = pl.col("license_reason"), pl.col("region_reason")
    n_cols = notices.select(
        "n_idx",
        "notice_no",
        "notice_order",
        "category",
        "bid_close_at",
        "estimated_price",
        "license_required",
        "license_unresolved",
        "regions_text",
        "sme_limit",
        "product_codes_text",
        "joint_text",
    )
    c_cols = companies.select(
        "c_idx", "company_id", amount_limit="capacity_won", largest_contract="largest_past_contract"
    )
    return (
        shown.join(n_cols, on="n_idx", how="left")
        .join(c_cols, on="c_idx", how="left")
        .with_columns(
            license_detail=pl.when(lic.is_in([1, 2, 3]))
            .then(pl.col("held"))
            .when(lic.is_in([10, 11, 24]))
            .then(pl.col("license_required"))
            .when(lic == 22)
            .then(pl.col("license_unresolved"))
            .when(lic == 23)
            .then(pl.col("held").fill_null(pl.col("license_required")))
            .when(lic == 25)
            .then(pl.format("프로필 {}, 공고 {}", "held", "license_required")),
            region_detail=pl.when(reg.is_in([1, 10, 22, 23, 24, 25])).then(pl.col("regions_text")),
            keyword_detail=pl.col("excluded_by"),
            product_detail=pl.when(pl.col("product_reason") > 0).then(pl.col("product_codes_text")),
            joint_detail=pl.when(pl.col("joint_reason") > 0).then(pl.col("joint_text")),
        )
        .sort("company_id", "notice_no")
        .select(HARD_MATCH_COLUMNS)
    )


def with_verdicts(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with a `<rule>_verdict` column per reason code (pass / fail / unknown)."""
    return frame.with_columns(
        [
            pl.when(pl.col(f"{rule}_reason") < 10)
            .then(pl.lit(PASS))
            .when(pl.col(f"{rule}_reason") < 20)
            .then(pl.lit(FAIL))
            .otherwise(pl.lit(UNKNOWN))
            .alias(f"{rule}_verdict")
            for rule in RULES
        ]
    )
