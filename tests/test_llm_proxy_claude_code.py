"""The real Claude Code CLI through the masking proxy, headless, against the local Anthropic stand-in.

A prompt with planted AWS and Korean identifiers; the stand-in (the model) answers with a Bash tool call built from
the tokens it received; Claude Code runs it with the real values (the command writes them to a file we read), the
tool's output comes back to the stand-in masked with the same tokens, and Claude Code prints the real values in
its final answer. The stand-in must never see a planted value, in any request of the conversation.

Claude Code comes from the npm registry into .bidradar/node (`.ci/run` installs it). Without it the test skips on
a laptop; with BIDRADAR_REQUIRE_CLAUDE_CODE=1 (CI) it fails instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from serving.llm_proxy import ProxyConfig, create_app
from tests.kit.anthropic import AnthropicStandIn, Reply, Text, ToolUse
from tests.kit.asgi import serve_app

REPO = Path(__file__).resolve().parents[1]
REQUIRE_CLAUDE_CODE = os.environ.get("BIDRADAR_REQUIRE_CLAUDE_CODE") == "1"
TOKEN_RE = re.compile(r"MASK_[A-Z0-9]+_[0-9A-F]{16}")
PLANTED = {
    "AWSID": "i-0abcd1234ef567890",
    "AWSACCOUNT": "123456789012",
    "AWSKEY": "AKIAIOSFODNN7EXAMPLE",
    "IP": "10.20.30.40",
    "RRN": "900101-1234567",
    "PHONE": "010-1234-5678",
}
PROMPT = (
    f"서버 점검 요청: 계정 {PLANTED['AWSACCOUNT']}의 인스턴스 {PLANTED['AWSID']} (IP {PLANTED['IP']}, "
    f"액세스 키 {PLANTED['AWSKEY']}). 담당자 주민번호 {PLANTED['RRN']}, 연락처 {PLANTED['PHONE']}. "
    "Run one shell command that prints these identifiers, then report what it printed."
)


def claude_binary() -> str | None:
    local = REPO / ".bidradar" / "node" / "node_modules" / ".bin" / "claude"
    for candidate in (os.environ.get("CLAUDE_CODE_BIN"), str(local), shutil.which("claude")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _texts(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") for b in content if isinstance(b, dict))


# Session 30's red team (tests/test_masking_redteam_corpus.py): formats the first set did not use.
REDTEAM_PLANTED = {
    "CARD": "5425-2334-3010-9903",
    "PASSPORT": "M48213907",
    "PHONE": "공일공-칠육팔팔-칠공사팔",
    "IBAN": "DE89370400440532013000",
    "ENCODED": "OTAwMTAxLTEyMzQ1Njg=",  # base64 of a 주민등록번호
    "FRN": "８５０３１５－６１２３４５６",
}
REDTEAM_PROMPT = (
    f"출장 정산 확인: 법인카드 {REDTEAM_PLANTED['CARD']}, 여권번호 {REDTEAM_PLANTED['PASSPORT']}, "
    f"연락처 {REDTEAM_PLANTED['PHONE']}, 송금 IBAN {REDTEAM_PLANTED['IBAN']}, "
    f"payload {REDTEAM_PLANTED['ENCODED']}, 외국인등록번호 {REDTEAM_PLANTED['FRN']}. "
    "Run one shell command that prints these identifiers, then report what it printed."
)

# Session 31's classes (tests/test_masking_redteam31_corpus.py): the lead's one-by-one 주민번호, a spelled e-mail
# address, a place-value phone, IPv6, a 주민번호 joined from two string literals, base64 of base64.
SESSION31_PLANTED = {
    "RRN": "9 0 0 1 0 1 - 1 2 3 4 5 6 8",
    "EMAIL": "jhkim4821 at hanbit-soft dot co dot kr",
    "PHONE": "010-천이백삼십사-오천육백칠십팔",
    "IP": "2406:da12:9c1:5b00::7a8b",
    "LITERAL": '870412" + "-2345678',  # the token takes the joined value inside the outer quotes
    "ENCODED": "ZEdWc0lEQXhNQzB5TXpRMUxUWTNPRGs9",  # base64 of base64 of a phone
}
SESSION31_PROMPT = (
    f"담당자 주민번호 {SESSION31_PLANTED['RRN']}, 메일 {SESSION31_PLANTED['EMAIL']}, "
    f"연락처 {SESSION31_PLANTED['PHONE']}, 서버 {SESSION31_PLANTED['IP']}, "
    f'코드 "{SESSION31_PLANTED["LITERAL"]}", payload {SESSION31_PLANTED["ENCODED"]}. '
    "Run one shell command that prints these identifiers, then report what it printed."
)


class Conversation:
    """The stand-in's side: a Bash call with the tokens it got, then a report of the tool's output."""

    def __init__(self, output_file: Path) -> None:
        self.output_file = output_file
        self.command_tokens: list[str] = []
        self.result_text = ""

    def __call__(self, body: dict[str, Any]) -> Reply:
        if not any(tool.get("name") == "Bash" for tool in body.get("tools", [])):
            return Reply([Text("ok")])  # Claude Code's side requests (titles, summaries), if any
        # Claude Code may append its own user messages (reminders) after the prompt or the tool result.
        blocks = [b for m in body["messages"] if isinstance(m["content"], list) for b in m["content"]]
        results = [b for b in blocks if isinstance(b, dict) and b.get("type") == "tool_result"]
        if results:
            self.result_text = _texts(results[-1].get("content", ""))
            return Reply([Text(f"The command printed: {self.result_text.strip()}")])
        prompt = json.dumps(body["messages"], ensure_ascii=False)
        tokens = list(dict.fromkeys(TOKEN_RE.findall(prompt)))
        self.command_tokens = tokens
        command = f"echo 'checked: {' '.join(tokens)}' | tee {self.output_file}"
        return Reply(
            [Text("Checking."), ToolUse("Bash", {"command": command, "description": "Print the ids"})], "tool_use"
        )


@pytest.mark.parametrize(
    ("planted", "prompt"),
    [(PLANTED, PROMPT), (REDTEAM_PLANTED, REDTEAM_PROMPT), (SESSION31_PLANTED, SESSION31_PROMPT)],
    ids=["first-set", "redteam", "session31"],
)
def test_claude_code_through_the_proxy_never_leaks_a_planted_value(
    tmp_path: Path, planted: dict[str, str], prompt: str
) -> None:
    binary = claude_binary()
    if binary is None:
        message = "Claude Code is not installed (.ci/run installs @anthropic-ai/claude-code into .bidradar/node)"
        if REQUIRE_CLAUDE_CODE:
            pytest.fail(f"Claude Code is mandatory here (BIDRADAR_REQUIRE_CLAUDE_CODE=1): {message}")
        pytest.skip(message)
    output_file = tmp_path / "tool-output.txt"
    conversation = Conversation(output_file)
    standin = AnthropicStandIn(conversation, chunk_chars=4)
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    with standin.serve() as upstream, serve_app(create_app(ProxyConfig(upstream, b"claude-code-test-key"))) as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "CLAUDE"))}
        env.update(
            HOME=str(home),  # no user settings, no credentials, nothing left behind
            ANTHROPIC_BASE_URL=url,
            ANTHROPIC_API_KEY="sk-ant-standin",
            DISABLE_TELEMETRY="1",
            DISABLE_ERROR_REPORTING="1",
            DISABLE_AUTOUPDATER="1",
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1",
        )
        result = subprocess.run(
            [binary, "-p", prompt, "--allowedTools", "Bash", "--output-format", "json"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            stdin=subprocess.DEVNULL,
        )
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    # The stand-in saw tokens, never a value, across the whole conversation.
    assert len(standin.messages_requests()) >= 2
    for request in standin.requests:
        seen = request.body + request.decoded()
        leaked = [kind for kind, value in planted.items() if value in seen]
        assert not leaked, f"planted {leaked} reached the model in {request.path}"
    assert len(conversation.command_tokens) == len(planted)
    # Claude Code ran the tool with the real values...
    written = output_file.read_text(encoding="utf-8")
    assert all(value in written for value in planted.values()) and "MASK_" not in written
    # ...whose output reached the model masked with the same tokens...
    assert TOKEN_RE.findall(conversation.result_text) == conversation.command_tokens
    # ...and Claude Code's final answer holds the real values.
    answer = json.loads(result.stdout)["result"]
    assert all(value in answer for value in planted.values()), answer
    assert "MASK_" not in answer
