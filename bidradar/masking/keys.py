"""Masking keys and the values a company marks secret.

Each company gets its own HMAC key, derived from one master secret, so the same value masks to the same token
in every call of that company and to different tokens across companies. The master secret is MASKING_SECRET,
or a random key kept in `masking.key` next to DAGSTER_HOME (`.bidradar/masking.key` by default; created on first
use, readable by its owner only): tokens stay stable across runs without anyone having to invent a secret.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets as random_secrets
import tempfile
from collections.abc import Iterable
from pathlib import Path

from bidradar.core.formatting import won_text
from bidradar.core.settings import MaskingSettings
from bidradar.matching.profiles import CompanyProfile

ALWAYS_SECRET = ("name", "business_no")  # a company is always identified by these


def key_file(settings: MaskingSettings) -> Path:
    # Beside the Dagster instance: an absolute path, the same for every process of one deployment.
    return settings.dagster_home.parent / "masking.key"


MIN_KEY_BYTES = 32  # below this a token could be brute-forced from a guessed value


class MaskingKeyError(RuntimeError):
    """The master key is missing or too short; the message names MASKING_SECRET or the key file, never the key."""


def master_secret(settings: MaskingSettings) -> bytes:
    """The master key: MASKING_SECRET, else the key file (created atomically on first use by exactly one caller).

    A key shorter than 32 bytes is refused: every token would be guessable by whoever can try values.
    """
    if settings.masking_secret:
        secret = settings.masking_secret.encode()
        if len(secret) < MIN_KEY_BYTES:
            raise MaskingKeyError(
                f"MASKING_SECRET is {len(secret)} bytes; at least {MIN_KEY_BYTES} are needed "
                "(for example the output of `openssl rand -hex 32`), or leave it empty to use the key file"
            )
        return secret
    path = key_file(settings)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = _create_key_file(path)
    secret = data.strip()
    if len(secret) < MIN_KEY_BYTES:
        raise MaskingKeyError(
            f"the masking key file {path} holds {len(secret)} bytes; at least {MIN_KEY_BYTES} are needed. "
            "Delete it only if no token made with it must be understood again (a new one is created), "
            "or set MASKING_SECRET"
        )
    return secret


def _create_key_file(path: Path) -> bytes:
    """Write a random key to a private temporary file, then link it into place.

    `os.link` fails if the name exists, so of concurrent first callers (threads or processes) exactly one
    installs its key and every other one reads that key; no caller can ever see a partly written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".masking.key.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(random_secrets.token_hex(32))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return path.read_bytes()


def company_key(master: bytes, company_id: str) -> bytes:
    return hmac.new(master, f"bidradar-masking:{company_id}".encode(), hashlib.sha256).digest()


def amount_variants(amount: int) -> set[str]:
    """How an amount in won is written in Korean text: 320000000, 320,000,000, 3.2억, 3.20억, 3억 2천만,
    32000만, 320백만, 320,000천, and the platform's own `won_text`. Whitespace does not matter (the
    matcher ignores it); a following 원 stays outside the match."""
    v = amount
    forms = {str(v), f"{v:,}", won_text(v).removesuffix("원")}
    if v % 10**3 == 0:
        forms |= {f"{v // 10**3}천", f"{v // 10**3:,}천"}
    if v % 10**4 == 0:
        forms |= {f"{v // 10**4}만", f"{v // 10**4:,}만"}
    if v % 10**6 == 0:
        forms |= {f"{v // 10**6}백만", f"{v // 10**6:,}백만"}
    if v % 10**7 == 0:
        forms.add(f"{v // 10**7}천만")
    if v >= 10**8:
        eok, rest = divmod(v, 10**8)
        if rest == 0:
            forms.add(f"{eok}억")
        for decimals in (1, 2, 3):
            if v % 10 ** (8 - decimals) == 0:
                forms.add(f"{v / 10**8:.{decimals}f}억")
        if rest and rest % 10**4 == 0:
            man = rest // 10**4
            forms |= {f"{eok}억{man}만", f"{eok}억{man:,}만"}
            if man % 1000 == 0:
                forms.add(f"{eok}억{man // 1000}천만")
            elif man % 100 == 0:
                forms.add(f"{eok}억{man // 100}백만")
    return forms


# Numbers below this are not identifying as secrets (years, counts, 0만원): only amounts are.
MIN_SECRET_AMOUNT = 1_000_000
_NOT_SECRET_KEYS = frozenset({"year", "code"})  # a contract's year and a license code identify nobody


def _strings(value: object, key: str | None = None) -> Iterable[str]:
    if key in _NOT_SECRET_KEYS:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        # Amounts appear in text with and without separators and as people say them ("10억", "8.7억",
        # "3억 2천만원", "320백만원"); years and small numbers are left out (they would mask every 2024).
        if value >= MIN_SECRET_AMOUNT:
            yield from amount_variants(value)
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _strings(item, name)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def secret_values(profile: CompanyProfile) -> list[str]:
    """Every value of the fields the profile marks secret, plus the company's name and business number."""
    data = profile.model_dump(mode="python")
    values = {v.strip() for name in (*ALWAYS_SECRET, *profile.secret_fields) for v in _strings(data.get(name))}
    digits = profile.business_no.replace("-", "")
    values |= {digits, *(sep.join((digits[:3], digits[3:5], digits[5:])) for sep in ("-", ".", " "))}
    # Short fragments (a 시도 name, a 2-digit number) would mask ordinary words: the masker ignores < 2 chars,
    # and we keep out anything under 3.
    return sorted((v for v in values if len(v) >= 3), key=len, reverse=True)


# The profile fields an LLM may see (an allow-list: a new field stays out until it is added here). Contact
# details, the business number, the Slack channel, the API token hash, the plan and the secret markers never
# go out. The name does, so that the answer can name the company, but always as a token (ALWAYS_SECRET).
LLM_FIELDS = (
    "name",
    "description",
    "licenses",
    "location",
    "size",
    "track_record",
    "capacity_won",
    "keywords",
    "categories",
)


def llm_profile_view(profile: CompanyProfile) -> dict[str, object]:
    """The allowed fields of the profile; those the company marks secret are replaced by a placeholder."""
    data = profile.model_dump(mode="json", include=set(LLM_FIELDS))
    return {name: "[비공개]" if name in profile.secret_fields else data[name] for name in LLM_FIELDS if name in data}
