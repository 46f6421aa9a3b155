"""Analyses of a company's best matches: Gemini through the masking gateway, or a deterministic local one.

Every model call goes through `bidradar.masking.gateway.LLMGateway` (masking out, leak check, unmasking back,
an audit record). A question is identified by the hash of its inputs, so the same question is never paid twice.
When there is no key, the daily token budget is spent, or the answer is blocked or invalid, the analysis is
computed locally and labelled as such.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, Field

from bidradar.core.formatting import won_text
from bidradar.masking import MaskingLeakError
from bidradar.masking.gateway import AuditRecord, LLMBlockedError, LLMGatewayError, LLMResponseError, PromptPart
from bidradar.matching import explain

PROMPT_VERSION = "match-analysis-v2"  # part of the cache key: a new prompt is a new question
PURPOSE = "match_analysis"

SYSTEM_INSTRUCTION = (
    "당신은 한국 공공조달(나라장터) 입찰 컨설턴트입니다. 주어진 입찰공고와 회사 프로필, 자격 판정 결과만 근거로 "
    "분석하세요. 모든 문장은 한국어로 씁니다. 'MASK_'로 시작하는 토큰은 가려진 값이니 그대로 옮겨 쓰세요."
)


class MatchAnalysis(BaseModel):
    """The structured answer asked of the model (and produced by the local analysis)."""

    summary: list[str] = Field(min_length=3, max_length=3, description="세 줄 요약")
    key_requirements: list[str] = Field(description="핵심 요구사항")
    eligibility_concerns: list[str] = Field(description="자격 관련 우려사항")
    risks: list[str] = Field(description="위험 요소")
    effort_estimate: str = Field(description="준비 노력 추정 (낮음/보통/높음과 이유)")
    decision: Literal["go", "no-go"]
    decision_reasons: list[str] = Field(description="결정 이유")
    fit_score: int = Field(ge=0, le=100, description="적합도 0-100")


LOCAL_LABELS = {
    "no_key": "로컬 분석 (GEMINI_API_KEY 없음)",
    "budget": "로컬 분석 (일일 토큰 예산 소진)",
    "blocked": "로컬 분석 (Gemini 답변이 안전 필터로 차단됨)",
    "invalid": "로컬 분석 (Gemini 답변 형식 오류)",
    "unavailable": "로컬 분석 (Gemini 호출 실패)",
    "refused": "로컬 분석 (안전하게 가릴 수 없는 값이 있어 Gemini에 보내지 않음)",
    "error": "로컬 분석 (이 공고의 Gemini 분석 중 오류)",
}
GEMINI_LABEL = "Gemini 분석"


def analysis_inputs(pair: dict[str, Any], profile_view: dict[str, Any]) -> dict[str, Any]:
    """What the analysis may see: the notice, the verdicts and the profile as an LLM may see it."""
    notice_keys = (
        "notice_no",
        "title",
        "category",
        "notice_agency_name",
        "demand_agency_name",
        "contract_method",
        "award_method",
        "estimated_price",
        "lower_limit_rate",
        "bid_close_at",
        "opening_at",
        "license_requirements",
        "region_requirements",
    )
    # No relevance score here: it moves whenever the set of open notices changes, and the answer must not.
    verdict_keys = (
        "verdict",
        "license_verdict",
        "region_verdict",
        "amount_verdict",
        "sme_verdict",
        "category_verdict",
        "keyword_verdict",
        "deadline_verdict",
        "record_verdict",
        "explanation_ko",
    )
    return {
        "notice": {k: _jsonable(pair.get(k)) for k in notice_keys},
        "match": {k: _jsonable(pair.get(k)) for k in verdict_keys},
        "company": profile_view,
    }


def input_hash(inputs: dict[str, Any], model: str) -> str:
    canonical = json.dumps({"v": PROMPT_VERSION, "model": model, "inputs": inputs}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def cache_key(company_id: str, notice_no: str, notice_revision: str, profile_hash: str, model: str) -> str:
    """What an analysis depends on, and nothing else: the notice's revision (차수 and change time), the profile's
    content hash, the prompt version and the model. Relevance scores and the other open notices are not in it."""
    parts = [company_id, notice_no, notice_revision, profile_hash, PROMPT_VERSION, model]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def build_prompt(inputs: dict[str, Any]) -> list[PromptPart]:
    """The prompt in parts: the public notice, and what came from the profile (the verdicts and the profile view),
    where the gateway masks the company's secret words."""
    return [
        PromptPart(
            "다음 입찰공고가 이 회사에 맞는지 분석하세요.\n\n"
            f"[입찰공고]\n{json.dumps(inputs['notice'], ensure_ascii=False, indent=1)}\n\n",
            private=False,
        ),
        PromptPart(  # derived from the profile: the company's secret words are masked here
            f"[자격 판정]\n{json.dumps(inputs['match'], ensure_ascii=False, indent=1)}\n\n"
            f"[회사 프로필]\n{json.dumps(inputs['company'], ensure_ascii=False, indent=1)}\n\n",
        ),
        PromptPart(
            "세 줄 요약(summary), 핵심 요구사항, 자격 우려사항, 위험 요소, 준비 노력, go 또는 no-go와 그 이유, "
            "적합도(0-100)를 JSON으로 답하세요.",
            private=False,
        ),
    ]


def local_analysis(inputs: dict[str, Any], now: dt.datetime, score: float = 0.0) -> MatchAnalysis:
    """A deterministic analysis from the notice and the rule verdicts (no model involved)."""
    notice, match = inputs["notice"], inputs["match"]
    close = dt.datetime.fromisoformat(notice["bid_close_at"]) if notice.get("bid_close_at") else None
    days_left = (close - now).days if close else None
    requirements = [r for r in (notice.get("license_requirements"), notice.get("region_requirements")) if r]
    if notice.get("lower_limit_rate"):
        requirements.append(f"낙찰하한율 {notice['lower_limit_rate']}%")
    concerns = [
        f"{explain.RULE_KO[rule]}: {explain.RULE_VERDICT_KO[match[f'{rule}_verdict']]}"
        for rule in ("license", "region", "amount", "sme")
        if match.get(f"{rule}_verdict") in ("fail", "unknown")
    ]
    risks = []
    if days_left is not None and days_left < 3:
        risks.append(f"마감까지 {max(days_left, 0)}일: 서류 준비 시간이 촉박함")
    if match.get("amount_verdict") == "unknown":
        risks.append("추정가격 또는 수행한도 정보가 없어 규모 적합성을 확인할 수 없음")
    price = notice.get("estimated_price")
    effort = (
        "높음 (10억원 이상 사업)"
        if isinstance(price, int) and price >= 1_000_000_000
        else ("보통 (1억원 이상 사업)" if isinstance(price, int) and price >= 100_000_000 else "낮음 (소규모 사업)")
    )
    score = round(float(score or 0))
    go = match.get("verdict") == "eligible" and score >= 40 and (days_left is None or days_left >= 1)
    reasons = [match.get("explanation_ko") or "자격 판정 없음", f"관련도 점수 {score}점"]
    return MatchAnalysis(
        summary=[
            f"{notice.get('demand_agency_name') or notice.get('notice_agency_name') or '수요기관 미상'}의 "
            f"「{notice.get('title')}」",
            f"추정가격 {won_text(price)}, 마감 {notice.get('bid_close_at') or '미상'}",
            f"자격 판정: {explain.VERDICT_KO.get(match.get('verdict') or '', '없음')}, 관련도 {score}점",
        ],
        key_requirements=requirements or ["공고문 확인 필요"],
        eligibility_concerns=concerns,
        risks=risks,
        effort_estimate=effort,
        decision="go" if go else "no-go",
        decision_reasons=reasons,
        fit_score=max(0, min(100, score)),
    )


@dataclass
class AnalysisRun:
    rows: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)  # new Gemini answers, to append to the cache
    audits: list[AuditRecord] = field(default_factory=list)
    gemini_calls: int = 0
    cache_hits: int = 0
    local: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Work:
    company_id: str
    inputs: dict[str, Any]
    cache_key: str
    notice_revision: str
    profile_hash: str
    score: float = 0.0  # for the local analysis only (never part of the question)


# (company_id, audit sink) -> an LLMGateway for that company, or None when there is no key.
GatewayFactory = Callable[[str, Callable[[AuditRecord], None]], Any]


def run_analyses(
    work: Sequence[Work],
    *,
    model: str,
    gateway_for: GatewayFactory,
    cache: dict[str, dict[str, Any]],
    tokens_used_today: int,
    daily_token_budget: int,
    now: dt.datetime,
) -> AnalysisRun:
    """Analyse each pair; a Gemini answer already paid for (same cache key) is reused, whatever its rank now."""
    run = AnalysisRun()
    used = tokens_used_today
    for item in work:
        inputs, notice_no = item.inputs, item.inputs["notice"]["notice_no"]
        cached = cache.get(item.cache_key)
        if cached is not None:
            parsed = MatchAnalysis.model_validate_json(cached["answer_json"])
            run.rows.append(analysis_row(item.company_id, notice_no, item.cache_key, model, parsed, None, now))
            run.cache_hits += 1
            continue
        analysis, reason = None, None
        gateway = gateway_for(item.company_id, run.audits.append)
        if gateway is None:
            reason = "no_key"
        elif used >= daily_token_budget:
            reason = "budget"
        else:
            try:
                result = gateway.generate(
                    PURPOSE,
                    build_prompt(inputs),
                    system_instruction=SYSTEM_INSTRUCTION,
                    response_schema=MatchAnalysis,
                    model=model,
                )
                analysis = result.parsed
                run.gemini_calls += 1
                prompt_tokens = output_tokens = None
                if result.audit is not None:
                    prompt_tokens, output_tokens = result.audit.prompt_tokens, result.audit.output_tokens
                    used += (prompt_tokens or 0) + (output_tokens or 0)
                answer = {
                    "cache_key": item.cache_key,
                    "company_id": item.company_id,
                    "notice_no": notice_no,
                    "notice_revision": item.notice_revision,
                    "profile_hash": item.profile_hash,
                    "prompt_version": PROMPT_VERSION,
                    "model": model,
                    "answer_json": analysis.model_dump_json(),
                    "prompt_tokens": prompt_tokens,
                    "output_tokens": output_tokens,
                    "answered_at": now,
                }
                run.answers.append(answer)
                cache[item.cache_key] = answer
            except LLMBlockedError:
                reason = "blocked"
            except LLMResponseError:
                reason = "invalid"
            except LLMGatewayError:
                reason = "unavailable"
            except MaskingLeakError:
                reason = "refused"  # nothing was sent; the gateway's llm_calls row says which class and where
            except Exception:  # one notice must not fail the run: its llm_calls row names the error's type
                reason = "error"
        if analysis is None:
            analysis = local_analysis(inputs, now, item.score)
            run.local[reason or "unavailable"] = run.local.get(reason or "unavailable", 0) + 1
        run.rows.append(analysis_row(item.company_id, notice_no, item.cache_key, model, analysis, reason, now))
    return run


ANSWER_SCHEMA = {
    "cache_key": pl.String,
    "company_id": pl.String,
    "notice_no": pl.String,
    "notice_revision": pl.String,
    "profile_hash": pl.String,
    "prompt_version": pl.String,
    "model": pl.String,
    "answer_json": pl.String,
    "prompt_tokens": pl.Int64,
    "output_tokens": pl.Int64,
    "answered_at": pl.Datetime("us"),
}


def analysis_row(
    company_id: str,
    notice_no: str,
    digest: str,
    model: str,
    analysis: MatchAnalysis,
    local_reason: str | None,
    now: dt.datetime,
) -> dict[str, Any]:
    return {
        "company_id": company_id,
        "notice_no": notice_no,
        "input_hash": digest,
        "cache_key": digest,
        "source": "local" if local_reason else "gemini",
        "label_ko": LOCAL_LABELS[local_reason] if local_reason else GEMINI_LABEL,
        "model": None if local_reason else model,
        "summary_ko": "\n".join(analysis.summary),
        "key_requirements": json.dumps(analysis.key_requirements, ensure_ascii=False),
        "eligibility_concerns": json.dumps(analysis.eligibility_concerns, ensure_ascii=False),
        "risks": json.dumps(analysis.risks, ensure_ascii=False),
        "effort_estimate": analysis.effort_estimate,
        "decision": analysis.decision,
        "decision_reasons": json.dumps(analysis.decision_reasons, ensure_ascii=False),
        "fit_score": analysis.fit_score,
        "analysed_at": now,
    }


ANALYSIS_SCHEMA = {
    "company_id": pl.String,
    "notice_no": pl.String,
    "input_hash": pl.String,
    "source": pl.String,
    "label_ko": pl.String,
    "model": pl.String,
    "summary_ko": pl.String,
    "key_requirements": pl.String,
    "eligibility_concerns": pl.String,
    "risks": pl.String,
    "effort_estimate": pl.String,
    "decision": pl.String,
    "decision_reasons": pl.String,
    "fit_score": pl.Int64,
    "analysed_at": pl.Datetime("us"),
    "cache_key": pl.String,
}


def audit_rows(audits: Sequence[AuditRecord]) -> pl.DataFrame:
    """Audit records as warehouse rows: counts and timings, never a value; `called_at` is each call's own time."""
    return pl.DataFrame(
        [
            {
                "call_id": uuid.uuid4().hex,
                "called_at": a.called_at,
                "company_id": a.company,
                "purpose": a.purpose,
                "model": a.model,
                "outcome": a.outcome,
                "entity_counts": json.dumps(a.counts, sort_keys=True),
                "masked_values": sum(a.counts.values()),
                "latency_ms": round(a.latency_ms, 1),
                "prompt_tokens": a.prompt_tokens,
                "output_tokens": a.output_tokens,
                "unknown_tokens": a.unknown_tokens,
                "attempts": a.attempts,
                "detail": a.detail[:400] if a.detail else None,
            }
            for a in audits
        ],
        schema={
            "call_id": pl.String,
            "called_at": pl.Datetime("us"),
            "company_id": pl.String,
            "purpose": pl.String,
            "model": pl.String,
            "outcome": pl.String,
            "entity_counts": pl.String,
            "masked_values": pl.Int64,
            "latency_ms": pl.Float64,
            "prompt_tokens": pl.Int64,
            "output_tokens": pl.Int64,
            "unknown_tokens": pl.Int64,
            "attempts": pl.Int64,
            "detail": pl.String,
        },
    )


def _jsonable(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
