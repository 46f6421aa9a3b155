"""CPU of masking one request of a long Claude Code session (generated): the proxy's request walk in-process.

    .venv/bin/python -m bench.bench_proxy_session [--turns 40] [--repeat 30]

The request is shaped like a Claude Code request after `turns` tool calls: the system prompt in blocks, 24 tool
definitions with JSON schemas, then per turn an assistant text and tool_use block (Bash, Read, Edit, Grep, an MCP
call with a name/value env list) and a user turn with the tool_result and a reminder block beside the prompt. It
holds a few identifiers and no structural secret. Prints the CPU milliseconds of `mask_request` per request (p50,
p99 of `repeat` runs, time.process_time), the request size, and the share of the structural context reading
(serving/llm_proxy/context.py). All data generated.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bidradar.masking import Masker  # noqa: E402
from serving.llm_proxy import context  # noqa: E402
from serving.llm_proxy.request_masking import mask_request  # noqa: E402

KEY = b"bench-proxy-session-key"


def _tool_input(i: int) -> tuple[str, dict[str, Any], str]:
    kind = i % 5
    if kind == 0:
        return (
            "Bash",
            {"command": f"pytest -q tests/test_notices_{i}.py -k price", "description": "Run tests"},
            (f"{i} passed in 3.2{i % 10}s\n" * 5),
        )
    if kind == 1:
        return (
            "Read",
            {"file_path": f"/home/dev/bidradar/bidradar/pricing/model_{i}.py"},
            ("".join(f"{n:>6}\tdef predict_{n}(notice):  # 예정가격 {n * 1000}원\n" for n in range(40))),
        )
    if kind == 2:
        return (
            "Edit",
            {
                "file_path": f"src/config_{i}.py",
                "old_string": "TIMEOUT = 30\nRETRIES = 3",
                "new_string": "TIMEOUT = 60",
            },
            "The file has been updated.",
        )
    if kind == 3:
        return (
            "Grep",
            {"pattern": "def mask_", "path": "serving", "output_mode": "content"},
            ("serving/llm_proxy/request_masking.py:212:def mask_request(body, key):\n" * 8),
        )
    return (
        "mcp__ops__deploy",
        {
            "service": "api",
            "env": [{"name": "LOG_LEVEL", "value": "info"}, {"name": "REGION", "value": "ap-northeast-2"}],
        },
        f"deployed revision {i}; contact 010-1234-{5000 + i}",
    )


def session_request(turns: int) -> dict[str, Any]:
    system = [
        {"type": "text", "text": "You are Claude Code, Anthropic's official CLI for Claude."},
        {"type": "text", "text": "You are an interactive CLI tool that helps users with software engineering. " * 80},
    ]
    schema = {
        "type": "object",
        "properties": {
            "command": {"type": "string", "description": "The command to execute"},
            "timeout": {"type": "number", "description": "Optional timeout in milliseconds (max 600000)"},
            "description": {"type": "string", "description": "Clear, concise description of what this does"},
        },
        "required": ["command"],
    }
    tools = [
        {"name": f"Tool{i}", "description": "Executes a given command. " * 20, "input_schema": schema}
        for i in range(24)
    ]
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": [{"type": "text", "text": "공고 가격 모델을 점검해 줘"}]}
    ]
    for i in range(turns):
        name, tool_input, result = _tool_input(i)
        tool_id = f"toolu_{i:020d}"
        messages.append(
            {
                "role": "assistant",
                "content": [
                    {"type": "text", "text": f"Step {i}: checking with {name}."},
                    {"type": "tool_use", "id": tool_id, "name": name, "input": tool_input},
                ],
            }
        )
        messages.append(
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": tool_id, "content": result},
                    {"type": "text", "text": "<system-reminder>\nThe todo list is unchanged.\n</system-reminder>"},
                    {"type": "text", "text": "계속 진행해 줘"},
                ],
            }
        )
    return {"model": "claude-sonnet-4-5", "max_tokens": 4096, "system": system, "tools": tools, "messages": messages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    raw = json.dumps(session_request(args.turns), ensure_ascii=False).encode()
    mask_request(raw, KEY)  # warm-up (catalogue compilation, caches)
    totals, readings = [], []
    for _ in range(args.repeat):
        started = time.process_time()
        mask_request(raw, KEY)
        totals.append((time.process_time() - started) * 1000)
        body = json.loads(raw)
        started = time.process_time()
        context.context_spans(body, Masker(KEY))
        readings.append((time.process_time() - started) * 1000)
    ordered = sorted(totals)
    print(f"session request: {len(raw) / 1024:.1f} KB, {args.turns} tool turns, {args.repeat} runs")
    print(
        f"mask_request CPU per request: p50 {statistics.median(totals):.2f} ms"
        f" p99 {ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]:.2f} ms;"
        f" of which the structural context reading p50 {statistics.median(readings):.2f} ms"
    )


if __name__ == "__main__":
    main()
