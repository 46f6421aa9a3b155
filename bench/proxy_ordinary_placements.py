"""Ordinary texts in the places the proxy reads as structure: how many get any token (damage), per placement.

    .venv/bin/python -m bench.proxy_ordinary_placements

The ordinary texts of tests/kit/ordinary_corpus.py, tests/test_masking_redteam_corpus.py and
tests/test_masking_redteam31_corpus.py (generated), each placed as a tool input value, as a list of its lines (an
argv-like array), as name/value env entries (one per line) and as adjacent text blocks (one per line), through
`mask_request`. Run it at two revisions to compare what structural reading changes for ordinary requests.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from serving.llm_proxy.request_masking import mask_request  # noqa: E402
from tests.kit.ordinary_corpus import ordinary_texts as kit_texts  # noqa: E402
from tests.test_masking_redteam31_corpus import ordinary_texts as redteam31_texts  # noqa: E402
from tests.test_masking_redteam_corpus import ordinary_texts as redteam_texts  # noqa: E402

KEY = b"k" * 32
TOKEN = re.compile(r"MASK_[A-Z]+_[0-9A-F]{16}")


def _tool(tool_input: dict[str, Any]) -> dict[str, Any]:
    call = {"type": "tool_use", "id": "toolu_0123456789", "name": "Bash", "input": tool_input}
    return {
        "model": "claude-sonnet-4-5",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": [call]}],
    }


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line][:64] or [text]


PLACEMENTS: dict[str, Callable[[str], dict[str, Any]]] = {
    "tool input value": lambda t: _tool({"command": t, "description": "run"}),
    "list of lines": lambda t: _tool({"lines": _lines(t)}),
    "name/value entries": lambda t: _tool({"env": [{"name": "NOTE", "value": line} for line in _lines(t)]}),
    "adjacent text blocks": lambda t: {
        "model": "claude-sonnet-4-5",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": [{"type": "text", "text": line} for line in _lines(t)]}],
    },
}


def main() -> None:
    texts = [t for _, t in kit_texts()] + [t for _, t in redteam_texts()] + [t for _, t in redteam31_texts()]
    for name, make in PLACEMENTS.items():
        damaged = tokens = 0
        for text in texts:
            found = len(TOKEN.findall(mask_request(json.loads(json.dumps(make(text))), KEY).content.decode()))
            tokens += found
            damaged += found > 0
        print(f"{name}: {damaged}/{len(texts)} ordinary texts with a token, {tokens} tokens")


if __name__ == "__main__":
    main()
