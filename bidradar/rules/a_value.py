"""Does the A값 rule apply to a notice, and which A goes into its floor: the ONE place this is decided.

The floor itself is `bidradar.rules.floor.floor_amount` ((예정가격 − A) × 하한율 / 100 + A). This module says which
A to pass it, and says "unknown" rather than 0 when G2B has not told us:

1. The notice says it: `bidPrceCalclAYn` (입찰가격산식A여부, on the 기초금액 row) = Y applies the rule, N does not.
   The notice always wins over the lines below (G2B reference: "take the rate from the notice").
2. The rule is a 공사 rule: A is the sum of a 공사's fixed cost items (국민연금, 건강보험, 퇴직공제부금,
   노인장기요양보험, 산업안전보건관리비, 안전관리비; 품질관리비 and 표준시장단가 by their own flags). 물품, 용역 and
   외자 never apply it: A = 0.
3. A 공사 of 추정가격 300억 or more is awarded by 종합심사낙찰제, not 적격심사 (`bidradar.rules.rates`: no
   적격심사 band at or above 300억): the 적격심사 price formula with A does not apply: A = 0.
4. The formula with A entered 조달청 「시설공사 적격심사세부기준」 for notices from 2019-08-01 (SOURCES["pps-2019"]):
   a notice dated before it does not apply the rule: A = 0.
5. Otherwise (a 공사 under 300억, on or after 2019-08-01, whose 기초금액 row or flag G2B has not published): the rule
   may apply (조달청 applies it; other issuers vary), so A is UNKNOWN and so is the floor.

When the rule applies (1 = Y) but the A itself is not published (no cost item on the row), A is unknown too.

`a_value_rule` / `a_value_for_floor` are the definition in Python (hand-built cases, the simulator, readers);
`a_value_rule_sql` / `a_value_for_floor_sql` render the same decision as SQL for queries that aggregate bids around
the floor in the database. tests/test_a_value_rule.py checks the two renderings agree on every combination, on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

APPLIES, DOES_NOT_APPLY, MAY_APPLY = "applies", "does_not_apply", "may_apply"
AValueRule = Literal["applies", "does_not_apply", "may_apply"]

CONSTRUCTION = "construction"  # the category of 공사 in the warehouse (bidradar.ingestion.fields.CATEGORIES)
RULE_START = dt.date(2019, 8, 1)
COMPREHENSIVE_REVIEW_FROM = 300 * 100_000_000  # 추정가격 300억: 종합심사낙찰제, no 적격심사 price formula

SOURCES: dict[str, str] = {
    "g2b-flag": "G2B BidPublicInfoService getBidPblancListInfo{Thng,Cnstwk,Servc}BsisAmount: bidPrceCalclAYn "
    "(입찰가격산식A여부, '나라장터 화면의 입찰공고의 A값 표시여부'); shared/reference/g2b/specs/bid.json",
    "floor-formula": "낙찰하한가 = (예정가격 − A) × 하한율 + A (shared/reference/g2b/README.md, 'How the winning price "
    "works'); A = 국민연금, 건강보험, 퇴직공제부금비, 노인장기요양보험, 산업안전보건관리비, 안전관리비의 합산액",
    "pps-2019": "조달청 「시설공사 적격심사세부기준」 개정: 입찰가격 평가 (입찰가격 − A)/(예정가격 − A), 2019-08-01 "
    "이후 입찰공고분부터 (추정가격 300억 미만 공사의 평가기준; notices of thebid.co.kr idx=141 and tbid.co.kr "
    "B_KEY=564, 2019-08-02, which also name 한수원, 농어촌공사, 도로공사, 공항공사 as applying it)",
    "comprehensive-300": "추정가격 300억 이상 공사: 종합심사낙찰제 (no 적격심사 band in bidradar.rules.rates)",
}


def a_value_rule(
    category: str | None,
    notice_flag: bool | None,
    estimated_price: float | None,
    notice_date: dt.date | None,
) -> AValueRule:
    """Whether the A값 rule applies to a notice: applies, does_not_apply, or may_apply (unknown)."""
    if notice_flag is not None:
        return APPLIES if notice_flag else DOES_NOT_APPLY
    if category is not None and category != CONSTRUCTION:
        return DOES_NOT_APPLY
    if category is None:
        return MAY_APPLY
    if estimated_price is not None and estimated_price >= COMPREHENSIVE_REVIEW_FROM:
        return DOES_NOT_APPLY
    if notice_date is not None and notice_date < RULE_START:
        return DOES_NOT_APPLY
    return MAY_APPLY


def a_value_for_floor(rule: AValueRule, published_a_value: int | None) -> int | None:
    """The A to put into the floor: 0 where the rule does not apply, the published A where it does, None (unknown
    floor) where it applies but A is not published or where it may apply."""
    if rule == DOES_NOT_APPLY:
        return 0
    if rule == APPLIES:
        return published_a_value
    return None


def a_value_rule_sql(category: str, notice_flag: str, estimated_price: str, notice_date: str) -> str:
    """`a_value_rule` as a SQL CASE over the given column expressions (the flag a boolean, the date a date or a
    timestamp; both SQLite's ISO text and PostgreSQL's types compare with the ISO literal)."""
    return (
        f"(CASE WHEN ({notice_flag}) IS NOT NULL THEN "
        f"(CASE WHEN ({notice_flag}) THEN '{APPLIES}' ELSE '{DOES_NOT_APPLY}' END) "
        f"WHEN ({category}) IS NULL THEN '{MAY_APPLY}' "
        f"WHEN ({category}) <> '{CONSTRUCTION}' THEN '{DOES_NOT_APPLY}' "
        f"WHEN ({estimated_price}) >= {COMPREHENSIVE_REVIEW_FROM} THEN '{DOES_NOT_APPLY}' "
        f"WHEN ({notice_date}) < '{RULE_START.isoformat()}' THEN '{DOES_NOT_APPLY}' "
        f"ELSE '{MAY_APPLY}' END)"
    )


def a_value_for_floor_sql(rule_sql: str, published_a_value: str) -> str:
    """`a_value_for_floor` as SQL: 0, the published A (NULL when not published), or NULL."""
    return (
        f"(CASE WHEN ({rule_sql}) = '{DOES_NOT_APPLY}' THEN 0 "
        f"WHEN ({rule_sql}) = '{APPLIES}' THEN ({published_a_value}) ELSE NULL END)"
    )
