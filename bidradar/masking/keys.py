"""Masking keys and the values a company marks secret.

Each company gets its own HMAC key, derived from one master secret, so the same value masks to the same token
in every call of that company and to different tokens across companies. The master secret is MASKING_SECRET,
or a random key kept in `masking.key` next to DAGSTER_HOME (`.bidradar/masking.key` by default; created on first
use, readable by its owner only): tokens stay stable across runs without anyone having to invent a secret.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets as random_secrets
from collections.abc import Iterable
from pathlib import Path

from bidradar.core.formatting import won_text
from bidradar.core.settings import Settings
from bidradar.matching.profiles import CompanyProfile

ALWAYS_SECRET = ("name", "business_no")  # a company is always identified by these


def key_file(settings: Settings) -> Path:
    # Beside the Dagster instance: an absolute path, the same for every process of one deployment.
    return settings.dagster_home.parent / "masking.key"


def master_secret(settings: Settings) -> bytes:
    if settings.masking_secret:
        return settings.masking_secret.encode()
    key_file_ = key_file(settings)
    if not key_file_.exists():
        key_file_.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file_, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(random_secrets.token_hex(32))
    return key_file_.read_text().strip().encode()


def company_key(master: bytes, company_id: str) -> bytes:
    return hmac.new(master, f"bidradar-masking:{company_id}".encode(), hashlib.sha256).digest()


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        # Amounts appear in text with and without thousands separators, and as people say them ("10억",
        # "8.7억", "4500만원") in the match explanations: the same won_text that writes those writes these.
        yield str(value)
        yield f"{value:,}"
        yield won_text(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def secret_values(profile: CompanyProfile) -> list[str]:
    """Every value of the fields the profile marks secret, plus the company's name and business number."""
    data = profile.model_dump(mode="python")
    values = {v.strip() for name in (*ALWAYS_SECRET, *profile.secret_fields) for v in _strings(data.get(name))}
    digits = profile.business_no.replace("-", "")
    values |= {digits, f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"}
    # Short fragments (a 시도 name, a 2-digit number) would mask ordinary words: the masker ignores < 2 chars,
    # and we keep out anything under 3.
    return sorted((v for v in values if len(v) >= 3), key=len, reverse=True)
