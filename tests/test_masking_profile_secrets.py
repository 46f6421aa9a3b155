"""A profile's secret fields never reach the model, in any form the platform writes them."""

from __future__ import annotations

from pathlib import Path

import yaml

from bidradar.masking import Masker
from bidradar.masking.keys import secret_values
from bidradar.matching.profiles import CompanyProfile

REPO = Path(__file__).resolve().parent.parent


def test_secret_amounts_are_masked_as_people_write_them() -> None:
    data = yaml.safe_load((REPO / "profiles" / "hanbit-soft.yaml").read_text(encoding="utf-8"))
    data["secret_fields"] = ["capacity_won", "track_record"]
    profile = CompanyProfile.model_validate(data)  # capacity 10억, largest past contract 8.7억
    # What hard_matches writes into explanation_ko, which the analysis prompt carries.
    explanation = "면허 충족: 소프트웨어사업자(1468) · 추정가격 3억 ≤ 수행한도 10억 · 최대 실적 8.7억"
    masker = Masker(b"k", secret_values(profile))
    masked = masker.mask(explanation).masked
    assert "10억" not in masked and "8.7억" not in masked
    assert "1,000,000,000" not in masker.mask("수행한도 1,000,000,000원").masked
    masker.leak_check(masked)
    assert masker.unmask(masked) == explanation


def test_the_name_and_business_number_are_always_secret() -> None:
    profile = CompanyProfile.model_validate(yaml.safe_load((REPO / "profiles" / "hanbit-soft.yaml").read_text("utf-8")))
    values = secret_values(profile)
    assert profile.name in values and "2208162517" in values and "220-81-62517" in values


def test_years_and_small_numbers_of_a_secret_track_record_are_not_secrets() -> None:
    data = yaml.safe_load((REPO / "profiles" / "hanbit-soft.yaml").read_text(encoding="utf-8"))
    profile = CompanyProfile.model_validate(data)
    assert "track_record" in profile.secret_fields
    values = secret_values(profile)
    assert not {"2024", "2025", "0만원", "0만"} & set(values)
    masker = Masker(b"k", values)
    text = "2024년과 2025년 실적, 잔액 0만원, 공고번호 20241101948-00, 1320000000원"
    assert masker.mask(text).detections == []
    # ...while the contract amounts are secret in every written form.
    for written in ("3억 2천만원", "320백만원", "320,000천원", "3.20억", "320,000,000원", "3.2억"):
        assert masker.mask(f"계약금액 {written}").detections, written


def test_the_model_sees_an_allow_list_of_profile_fields() -> None:
    from bidradar.masking.keys import LLM_FIELDS, llm_profile_view

    data = yaml.safe_load((REPO / "profiles" / "hanbit-soft.yaml").read_text(encoding="utf-8"))
    profile = CompanyProfile.model_validate(data)
    view = llm_profile_view(profile)
    assert set(view) <= set(LLM_FIELDS)
    assert "name" in view  # goes out, and the gateway always masks it (ALWAYS_SECRET)
    for hidden in ("business_no", "slack_channel", "alert_email", "api_token_hash", "plan", "secret_fields"):
        assert hidden not in view
    assert view["track_record"] == "[비공개]"  # a secret field that is allowed still goes out as a placeholder
    assert view["licenses"] and view["location"]["sido"] == "서울특별시"
