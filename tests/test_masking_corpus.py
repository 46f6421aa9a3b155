"""Issue 10's corpora: 0 leaks on >= 1,000 planted values, < 1% false positives per class on >= 1,000 look-alikes.

The corpora (tests/kit/masking_corpus.py) are written without the detector. The secrets are what the platform
itself derives from a profile (`secret_values`), plus a person's name and an address given as free values.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bidradar.masking import Masker, MaskingLeakError
from bidradar.masking.keys import secret_values
from bidradar.matching.profiles import CompanyProfile
from tests.kit import masking_corpus as corpus

REPO = Path(__file__).resolve().parents[1]
KEY = b"corpus-test-key-of-thirty-two-bytes!"


@pytest.fixture(scope="module")
def secrets() -> list[str]:
    data = yaml.safe_load((REPO / "profiles" / "hanbit-soft.yaml").read_text(encoding="utf-8"))
    profile = CompanyProfile.model_validate(data)  # 한빛소프트웨어(주), 220-81-62517, a 320,000,000 contract
    assert profile.name == corpus.PROFILE_NAME and profile.business_no == corpus.PROFILE_BRN
    assert "track_record" in profile.secret_fields
    return [*secret_values(profile), *corpus.profile_secrets()]


def test_the_corpora_are_big_enough_and_cover_every_class() -> None:
    cases, looks = corpus.attack_corpus(), corpus.lookalike_corpus()
    assert len(cases) >= 1000 and len(looks) >= 1000
    families = {c.cls.split("/")[0] for c in cases}
    assert families >= {
        "phone",
        "rrn",
        "brn",
        "crn",
        "bank",
        "email",
        "ipv4",
        "aws-key",
        "aws-secret",
        "aws-session-token",
        "aws-id",
        "aws-account",
        "aws-host",
        "s3",
        "secret-name",
        "secret-amount",
        "secret-brn",
    }
    contexts = {c.cls.split("/")[1] for c in cases if c.cls.startswith("phone/")}
    assert contexts >= {
        "json-newline",
        "json-tab",
        "csv",
        "glued-underscore",
        "glued-letters",
        "trailing-dash-1",
        "trailing-dot-5",
    }


def test_the_corpus_is_written_without_the_detector() -> None:
    source = (REPO / "tests" / "kit" / "masking_corpus.py").read_text(encoding="utf-8")
    assert "from bidradar" not in source and "import bidradar" not in source and "import re\n" not in source


def test_no_planted_value_leaks_and_every_text_round_trips(secrets: list[str]) -> None:
    leaks: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    for case in corpus.attack_corpus():
        masker = Masker(KEY, secrets)
        masked = masker.mask(case.text).masked
        decoded = _json_decoded(masked)
        if any(p in masked or p in decoded for p in case.probes):
            leaks[case.cls] += 1
            continue
        try:
            masker.leak_check(masked)
        except MaskingLeakError as exc:
            refused[f"{case.cls}: {exc.kind}"] += 1
        assert masker.unmask(masked) == case.text
    assert dict(leaks) == {}
    assert dict(refused) == {}  # nothing the masker let through trips the second line either


def test_false_positive_rate_per_lookalike_class_is_under_one_percent(secrets: list[str]) -> None:
    total: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    for look in corpus.lookalike_corpus():
        total[look.cls] += 1
        if Masker(KEY, secrets).mask(look.text).detections:
            flagged[look.cls] += 1
    rates = {cls: flagged[cls] / total[cls] for cls in total}
    print("false-positive rate per class:", {cls: f"{rate:.1%}" for cls, rate in sorted(rates.items())})
    assert all(total[cls] >= 100 for cls in total)
    assert {cls: rate for cls, rate in rates.items() if rate >= 0.01} == {}


def _json_decoded(text: str) -> str:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return ""


def test_the_leak_check_lets_ordinary_bid_text_through(secrets: list[str]) -> None:
    """The second line is paranoid by design, but the shapes a bid prompt is full of must pass it."""
    ordinary = {
        "section-number",
        "product-code",
        "ean13",
        "notice-near-bank-word",
        "plain-amount",
        "year-and-0-man",
        "date-time",
        "version-hash",
    }
    total: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    for look in corpus.lookalike_corpus():
        total[look.cls] += 1
        try:
            Masker(KEY, secrets).leak_check(look.text)
        except MaskingLeakError:
            refused[look.cls] += 1
    print("leak-check refusals per class:", {cls: f"{refused[cls]}/{total[cls]}" for cls in sorted(total)})
    assert {cls: refused[cls] for cls in ordinary if refused[cls]} == {}
