"""The gateway is the only place that may call the model: no other Python file may call it directly."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {ROOT / "bidradar" / "masking" / "gateway.py"}
ALLOWED_DIRS = {ROOT / "tests" / "kit"}
# Built from pieces so that this file does not match itself.
FORBIDDEN = re.compile(
    r"\b"
    + "generate_"
    + r"content(?:_stream)?\b"  # the models API, sync or aio, plain or streamed
    + r"|\bgenai\s*\.\s*"
    + "Client"
    + r"\s*\("  # constructing the client
    + r"|from\s+google\.genai\s+import\s+[^\n]*\b"
    + "Client"
    + r"\b"  # importing the client class
)


def _python_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if any(part.startswith(".") or part in {"node_modules", "__pycache__"} for part in parts):
            continue
        if path in ALLOWED or any(folder in path.parents for folder in ALLOWED_DIRS):
            continue
        files.append(path)
    return files


def test_only_the_gateway_calls_the_model() -> None:
    files = _python_files()
    assert any(f.name == "test_llm_gateway.py" for f in files)  # the scan really covers the repository
    offenders = [
        f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}"
        for path in files
        for text in [path.read_text(encoding="utf-8", errors="replace")]
        for m in FORBIDDEN.finditer(text)
    ]
    assert offenders == [], "call the model through bidradar.masking.gateway.LLMGateway only"


def test_the_scan_would_catch_a_direct_call() -> None:
    assert FORBIDDEN.search("resp = client.models.generate_" + "content(model=m, contents=p)")
    assert FORBIDDEN.search("c = genai." + "Client(api_key=k)")
    assert FORBIDDEN.search("from google.genai import Cli" + "ent")
    assert not FORBIDDEN.search("gateway.generate('purpose', prompt)")
