"""Batch claude-code: the real Claude Code CLI (installed as .ci/run does, in .bidradar/node) through a worktree's
proxy to the stand-in. A temporary git project holds planted values in files (.env, YAML, CSV, Markdown notes, a
key), in a commit message and the prompt; the stand-in answers with tool calls (Read each file, Bash `cat`), so the
files' contents come back as tool results. Leaked = a planted value in anything the stand-in received.

    <wt>/.venv/bin/python attack-work/claude_code.py --wt <wt>
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402
import harness  # noqa: E402

CLAUDE = HERE.parent / ".bidradar/node/node_modules/.bin/claude"


def pick_cases() -> list[corpus.Case]:
    cases = corpus.attacks() + corpus.attacks2() + corpus.attacks3() + corpus.attacks4() + corpus.attacks5()
    seen: dict[str, int] = {}
    out = []
    for c in cases:
        if seen.get(c.cls, 0) < 2:
            seen[c.cls] = seen.get(c.cls, 0) + 1
            out.append(c)
    return out


def make_project(root: Path, cases: list[corpus.Case]) -> list[Path]:
    files: list[Path] = []
    groups: dict[str, list[corpus.Case]] = {}
    for c in cases:
        name = {"env": ".env", "yaml": "config.yaml", "csv": "customers.csv", "json": "export.json"}.get(c.fmt, "")
        groups.setdefault(name or f"notes/{c.cls.split('-')[0]}.md", []).append(c)
    for name, group in groups.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("\n\n".join(c.text for c in group) + "\n")
        files.append(p)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "dev",
        "GIT_AUTHOR_EMAIL": "dev@example.invalid",
        "GIT_COMMITTER_NAME": "dev",
        "GIT_COMMITTER_EMAIL": "dev@example.invalid",
    }
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(
        ["git", "commit", "-qm", "fix: 고객 김민준(010-4821-7753) 환불 계좌 국민은행 412-25-0917733 반영"],
        cwd=root,
        check=True,
        env=env,
    )
    return files


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wt", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    wt = Path(args.wt).resolve()
    cases = pick_cases()
    extra_values = ["010-4821-7753", "412-25-0917733", "881212-1675432"]
    root = Path(tempfile.mkdtemp(prefix="attack-cc-"))
    files = make_project(root, cases)
    kit = harness._load_standin()

    def responder(body: dict[str, Any]) -> Any:
        if not body.get("tools"):
            return kit.Reply([kit.Text("요약")])
        done = sum(
            1
            for m in body.get("messages", [])
            if isinstance(m.get("content"), list)
            for b in m["content"]
            if isinstance(b, dict) and b.get("type") == "tool_result"
        )
        if done < len(files):
            return kit.Reply([kit.ToolUse("Read", {"file_path": str(files[done])})], stop_reason="tool_use")
        if done == len(files):
            return kit.Reply(
                [kit.ToolUse("Bash", {"command": "cat .env; git log -3", "description": "show"})],
                stop_reason="tool_use",
            )
        return kit.Reply([kit.Text("다 읽었습니다.")])

    standin = kit.AnthropicStandIn(responder)
    with standin.serve() as upstream:
        proxy = harness.Proxy(wt, upstream)
        try:
            home = Path(tempfile.mkdtemp(prefix="attack-cc-home-"))
            env = {
                **os.environ,
                "ANTHROPIC_BASE_URL": proxy.url,
                "ANTHROPIC_API_KEY": "test-key",
                "HOME": str(home),
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
                "DISABLE_AUTOUPDATER": "1",
            }
            prompt = "이 프로젝트 파일들 읽고 요약해줘. 참고로 내 주민번호는 881212-1675432 이고 연락처는 010-4821-7753 이야."
            r = subprocess.run(
                [
                    "nice",
                    "-n",
                    "10",
                    str(CLAUDE),
                    "-p",
                    prompt,
                    "--output-format",
                    "json",
                    "--allowedTools",
                    "Read,Bash",
                    "--model",
                    "claude-sonnet-4-5",
                ],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
        finally:
            proxy.stop()
    seen = "\n".join(x.body + x.decoded() + x.query + "\n".join(x.headers.values()) for x in standin.requests)
    seen_n = unicodedata.normalize("NFKC", seen)
    tool_results = seen.count('"tool_result"')
    details = []
    for c in cases:
        for v in c.values:
            k = harness.leak_kind(v, seen, seen_n)
            details.append({"cls": c.cls, "fmt": c.fmt, "value": v, "leak": k})
    for v in extra_values:
        details.append({"cls": "prompt/commit", "value": v, "leak": harness.leak_kind(v, seen, seen_n)})
    leaked = [d for d in details if d["leak"]]
    summary = (
        f"claude-code: {len(standin.requests)} requests upstream, tool_result blocks seen {tool_results}, "
        f"{len(files)} files; values tried {len(details)} leaked {sum(d['leak'] == 'full' for d in details)} "
        f"partial {sum(d['leak'] == 'partial' for d in details)}; claude exit {r.returncode}"
    )
    print(summary)
    for d in leaked:
        print(f"  LEAK {d['cls']:22s} {d.get('fmt', ''):10s} {d['value'][:60]!r} ({d['leak']})")
    if r.returncode:
        print("  claude stderr:", r.stderr[-500:], r.stdout[-500:])
    Path(args.out).write_text(
        json.dumps({"summary": summary, "details": details, "project": str(root)}, ensure_ascii=False, indent=1)
    )


if __name__ == "__main__":
    main()
