"""Response field lists per operation, copied from the specs into ``fields.json`` (see build_fields.py)."""

from __future__ import annotations

import json
from pathlib import Path

FIELDS: dict[str, list[str]] = json.loads(Path(__file__).with_name("fields.json").read_text(encoding="utf-8"))


def project(operation: str, values: dict[str, str]) -> dict[str, str]:
    """Every field of the operation, in spec order, ``""`` when the record has no value (like the real API)."""
    return {name: values.get(name, "") for name in FIELDS[operation]}
