"""The Korean explanation of a hard match, rendered where it is read (API, alerts, analyses), never stored.

`hard_matches` keeps one small integer per rule (`<rule>_reason`) and a few facts (the license the company
holds, the allowed regions, amounts). `render_explanation` turns one such row into one line of Korean; it is a
pure function of the row, so every reader shows the same words.

A reason code says the verdict by its range: 0–9 pass, 10–19 fail, 20–29 unknown, 30–39 conditional (may bid on a
condition the explanation states, e.g. 지역의무공동도급) (`rule_verdict`). In SQL:
`CASE WHEN r < 10 THEN 'pass' WHEN r < 20 THEN 'fail' WHEN r < 30 THEN 'unknown' ELSE 'conditional' END`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bidradar.core.formatting import won_text

PASS, FAIL, UNKNOWN, CONDITIONAL = "pass", "fail", "unknown", "conditional"
RULES = (
    "license",
    "region",
    "amount",
    "sme",
    "category",
    "keyword",
    "deadline",
    "record",
    "designation",
    "product",
    "joint",
)
REASON_COLUMNS = [f"{rule}_reason" for rule in RULES]
SEP = " · "
CATEGORY_KO = {"goods": "물품", "services": "용역", "construction": "공사", "foreign": "외자"}

# (rule, code) -> template. Placeholders: {license_detail} {region_detail} {keyword_detail} {price} {limit}
# {largest} {sme_limit} {category_ko} {close} {product_detail} {joint_detail}. An empty template adds nothing to the line.
REASONS: dict[str, dict[int, str]] = {
    "license": {
        0: "면허 제한 없음",
        1: "면허 충족: {license_detail}",
        2: "면허 충족(업종명으로 확인): {license_detail}",
        3: "면허 충족(허용업종): {license_detail}",
        10: "면허 미보유: {license_detail}",
        11: "주력분야 미보유: {license_detail}",
        20: "면허 제한 확인 불가(상세 미수집)",
        21: "면허 제한 표시되었으나 업종 목록 없음",
        22: "면허명 확인 불가: {license_detail}",
        23: "주력분야 확인 불가: {license_detail}",
        24: "면허 제한 일부만 수집됨: {license_detail}",
        25: "면허 업종코드 불일치(같은 업종명): {license_detail}",
    },
    "region": {
        0: "지역 제한 없음(전국)",
        1: "지역 제한 충족: {region_detail}",
        10: "지역 제한 불충족: 참가가능지역 {region_detail}",
        20: "지역 제한 확인 불가(상세 미수집)",
        21: "지역 제한 표시되었으나 지역 목록 없음",
        22: "시군구 제한 확인 불가: {region_detail} (프로필에 시군구 없음)",
        23: "지역 제한 일부만 수집됨: {region_detail}",
        24: "지역명 확인 불가: {region_detail}",
        25: "행정구역 변경(통합·분할·일반구)으로 확인 필요: 참가가능지역 {region_detail}",
    },
    "amount": {
        0: "",  # no 수행한도 in the profile: no bar (the track record is scored by the record rule)
        1: "추정가격 {price} ≤ 수행한도 {limit}",
        10: "추정가격 {price} > 수행한도 {limit}",
        20: "추정가격 미공개(수행한도 {limit})",
    },
    "sme": {
        0: "",
        1: "",
        10: "소기업·소상공인 제한(추정가격 1억 미만): 참가 불가 규모",
        11: "중소기업 제한(추정가격 {sme_limit} 미만): 참가 불가 규모",
        20: "추정가격 미공개로 중소기업 제한 판단 불가",
        21: "소기업·소상공인 제한(추정가격 1억 미만): 기업 규모 미입력",
        22: "중소기업 제한(추정가격 {sme_limit} 미만): 기업 규모 미입력",
        23: "중소기업 제한 여부 확인 필요: 추정가격이 고시금액(약 {sme_limit}) 부근",
        24: "발주기관 유형(국가·지자체·공공기관·민간) 미상: 중소기업 제한 여부 확인 불가",
        25: "추정가격 미공개, 배정예산이 1억 전후: 소기업·소상공인 제한 여부 확인 불가",
        26: "중소기업 제한 기준금액(고시금액) 미확인: 발주기관·공고일의 기준 없음",
    },
    "category": {0: "", 10: "관심 분야 아님: {category_ko}", 20: "업무 구분 미상"},
    "keyword": {0: "", 10: "제외 키워드: {keyword_detail}", 20: "공고명 없음"},
    "deadline": {0: "", 10: "취소 공고", 11: "마감 지남({close})", 20: "마감일시 미공개"},
    "record": {
        0: "",
        1: "약점: 최대 실적 {largest} < 추정가격 {price} (적격심사 실적 점수 낮을 수 있음)",
        2: "약점: 수행실적 미입력",
        3: "실적제한 충족: 최대 실적 {largest}",
        10: "실적제한 공고: 수행실적 없음",
        20: "실적제한 공고: 요구 실적 확인 필요(최대 실적 {largest})",
    },
    "designation": {
        0: "",
        1: "지명경쟁: 지명된 업체(지명 통지 있음)",
        10: "지명경쟁: 지명된 업체만 참가 가능(이 공고의 지명 통지 없음)",
        20: "지명경쟁 여부 미상(계약방법 미공개)",
    },
    "product": {
        0: "",
        1: "물품분류 등록 확인: {product_detail}",
        2: "제조 등록 확인: {product_detail}",
        10: "물품분류 미등록: {product_detail}",
        11: "제조물품 등록(직접생산확인) 필요: {product_detail}",
        20: "물품분류 제한 있으나 분류번호 미공개",
        21: "물품분류 제한({product_detail}): 프로필에 등록 물품 미입력",
        22: "물품분류 제한 여부 미공개(prdctClsfcLmtYn 없음)",
    },
    "joint": {
        0: "",
        20: "지역의무공동도급: 의무지역 미공개",
        21: "지역의무공동도급 여부 미공개(rgnDutyJntcontrctYn 없음)",
        30: "지역의무공동도급({joint_detail}), 의무지역 소재 업체와 공동수급체를 구성해야 참가 가능",
        31: "지역의무공동도급({joint_detail}), 본사가 의무지역에 있어 지역업체로 공동수급체 구성 시 참가 가능",
    },
}
# What a user reads: one word per rule and per verdict, on every surface (dashboard, Slack, e-mail).
RULE_KO = {
    "license": "면허",
    "region": "지역",
    "amount": "금액(수행한도)",
    "sme": "중소기업 제한",
    "category": "분야",
    "keyword": "제외 키워드",
    "deadline": "마감",
    "record": "실적 제한",
    "designation": "지명경쟁",
    "product": "물품분류·제조",
    "joint": "지역의무공동도급",
}
VERDICT_KO = {"eligible": "참가 가능", "conditional": "조건부", "ineligible": "참가 불가", "unknown": "확인 필요"}
# A sign for lists and Slack, always next to the verdict's words, never alone.
VERDICT_MARK = {"eligible": "✅", "conditional": "🤝", "unknown": "⚠️", "ineligible": "⛔"}
RULE_VERDICT_KO = {PASS: "충족", FAIL: "미충족", UNKNOWN: "확인 필요", CONDITIONAL: "조건부"}
# Reason codes that are a weakness of an admitted pair (relevance is lowered a little).
WEAKNESS = {("record", 1), ("record", 2)}


def rule_verdict(code: int | None) -> str:
    """pass (0–9), fail (10–19), unknown (20–29, or no code) or conditional (30–39)."""
    if code is None:
        return UNKNOWN
    return PASS if code < 10 else FAIL if code < 20 else UNKNOWN if code < 30 else CONDITIONAL


def overall_verdict(codes: Mapping[str, int | None]) -> str:
    """ineligible if any rule fails, else unknown if any is unknown, else conditional if any rule states a
    condition, else eligible."""
    verdicts = [rule_verdict(codes.get(f"{rule}_reason")) for rule in RULES]
    if FAIL in verdicts:
        return "ineligible"
    return "unknown" if UNKNOWN in verdicts else "conditional" if CONDITIONAL in verdicts else "eligible"


def _close_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%m-%d %H:%M")
    if isinstance(value, str) and len(value) >= 16:
        return f"{value[5:10]} {value[11:16]}"
    return "미상"


class _Facts(dict):
    """Template values; a placeholder a new template names but the row lacks reads as 미상, never a KeyError."""

    def __missing__(self, key: str) -> str:
        return "미상"


def _facts(row: Mapping[str, Any]) -> _Facts:
    return _Facts(
        license_detail=row.get("license_detail") or "",
        region_detail=row.get("region_detail") or "",
        keyword_detail=row.get("keyword_detail") or "",
        price=won_text(row.get("estimated_price")),
        limit=won_text(row.get("amount_limit")),
        largest=won_text(row.get("largest_contract")),
        sme_limit=won_text(row.get("sme_limit")),
        category_ko=CATEGORY_KO.get(row.get("category") or "", row.get("category") or "미상"),
        close=_close_text(row.get("bid_close_at")),
        product_detail=row.get("product_detail") or "",
        joint_detail=row.get("joint_detail") or "",
    )


def reason_text(rule: str, code: int, row: Mapping[str, Any]) -> str:
    """The Korean words of one rule's reason code ("" when the rule has nothing to say). A code this module does not
    know yet is named, never dropped: "면허 판정 코드 17(설명 미등록)"."""
    template = REASONS.get(rule, {}).get(int(code))
    if template is None:
        return f"{RULE_KO.get(rule, rule)} 판정 코드 {code}(설명 미등록)"
    return template.format_map(_facts(row))


def render_reasons(row: Mapping[str, Any]) -> list[tuple[str, int, str]]:
    """(rule, code, Korean text) of every rule with a code, in rule order."""
    return [
        (rule, int(row[f"{rule}_reason"]), reason_text(rule, int(row[f"{rule}_reason"]), row))
        for rule in RULES
        if row.get(f"{rule}_reason") is not None
    ]


def render_explanation(row: Mapping[str, Any]) -> str:
    """One line of Korean for one hard_matches row: every failure and unknown, the facts behind a yes
    (license, region, amount) and the weaknesses, in rule order. Missing keys read as unknown facts."""
    return SEP.join(text for _, _, text in render_reasons(row) if text)


def rule_verdicts(row: Mapping[str, Any]) -> dict[str, str]:
    """{"license_verdict": "pass", ...} for a row with reason codes."""
    return {f"{rule}_verdict": rule_verdict(row.get(f"{rule}_reason")) for rule in RULES}
