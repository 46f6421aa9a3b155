"""Mask, don't refuse: ordinary technical and notice texts are neither refused nor masked away, and the product's
own prompts (the simulator's notices with the shipped profiles, through the real gateway) are never refused.

Figures printed by the tests come from generated texts (tests/kit/ordinary_corpus.py) and the G2B simulator."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from bidradar.analysis import analyses as analysis
from bidradar.ingestion.simulator.generator import NoticeGenerator
from bidradar.masking import Masker
from bidradar.masking.gateway import AuditRecord, LLMGateway
from bidradar.masking.keys import llm_profile_view, secret_values
from bidradar.masking.policy import MaskingRefused, mask_outgoing
from bidradar.matching.profiles import load_profiles
from tests.kit.gemini import GeminiStandIn
from tests.kit.ordinary_corpus import notice_texts, ordinary_texts

KEY = b"p" * 32
REPO = Path(__file__).resolve().parents[1]


def test_ordinary_texts_are_not_refused_and_barely_masked() -> None:
    docs = ordinary_texts() + [("notice-20kb", text) for text in notice_texts()]
    total, refused, residue, masked = Counter(), Counter(), Counter(), Counter()
    for kind, text in docs:
        total[kind] += 1
        try:
            out = mask_outgoing(Masker(KEY), text, "the prompt")
        except MaskingRefused:
            refused[kind] += 1
            continue
        residue[kind] += bool(out.residues)
        masked[kind] += bool(out.counts)
    n = sum(total.values())
    print(
        f"{n} ordinary texts: refused {sum(refused.values())}, leak-check residues {sum(residue.values())},"
        f" anything masked {sum(masked.values())}; per kind {dict(masked)}"
    )
    assert total["notice-20kb"] >= 30
    assert sum(refused.values()) <= 0.02 * n
    assert sum(residue.values()) <= 0.02 * n
    assert sum(masked.values()) <= 0.05 * n


def _notice_inputs(raw: dict[str, str]) -> dict[str, object]:
    return {
        "notice_no": raw["bidNtceNo"],
        "title": raw["bidNtceNm"],
        "notice_agency_name": raw["ntceInsttNm"],
        "demand_agency_name": raw["dminsttNm"],
        "contract_method": raw["cntrctCnclsMthdNm"],
        "estimated_price": int(raw["presmptPrce"]) if raw.get("presmptPrce") else None,
        "lower_limit_rate": raw.get("sucsfbidLwltRate") or None,
        "bid_close_at": raw["bidClseDt"],
        "opening_at": raw["opengDt"],
    }


def test_the_products_own_prompts_are_never_refused() -> None:
    profiles = [f.profile for f in load_profiles(REPO / "profiles").files if f.profile is not None]
    assert len(profiles) >= 2
    notices = NoticeGenerator(notices_per_day=60).notices_for_day(date(2025, 3, 4))
    standin = GeminiStandIn()
    audits: list[AuditRecord] = []
    with standin.serve() as url:
        for profile in profiles:
            gateway = LLMGateway.from_api_key(
                "k",
                base_url=url,
                company=profile.business_no,
                key=KEY,
                secrets=secret_values(profile),
                audit=audits.append,
                max_attempts=1,
            )
            view = llm_profile_view(profile)
            for raw in notices:
                pair = {**_notice_inputs(raw), "verdict": "eligible", "explanation_ko": "면허와 지역 조건 충족"}
                gateway.generate(
                    analysis.PURPOSE,
                    analysis.build_prompt(analysis.analysis_inputs(pair, view)),
                    system_instruction=analysis.SYSTEM_INSTRUCTION,
                )
    assert len(audits) == len(profiles) * len(notices)
    assert Counter(a.outcome for a in audits) == {"ok": len(audits)}
    residues = sum(1 for a in audits if any(k.startswith("leakcheck:") for k in a.counts))
    print(f"{len(audits)} product prompts: 0 refused, {residues} with a leak-check residue masked")
