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
