"""Stop 37's red-team runner (stop 36's channel code, unchanged): the s37 corpus through the masking policy, the Gemini gateway and the Claude proxy.

    nice -n 10 .venv/bin/python attack-work/s37/run.py [--only mask,gateway,proxy] [--out attack-work/s37/failures.json]

Channels:
- mask: `mask_outgoing(Masker(KEY, SECRETS), text, ...)` in process (what `bidradar mask` prints);
- gateway: `LLMGateway` (google-genai) against the Gemini stand-in; the stand-in echoes, so the answer must come
  back as "Echo: " + the original text (unmasked on the way back);
- proxy: the real proxy app in front of the Anthropic stand-in, driven by the `anthropic` SDK; each text once as
  message text (user, system or tool result in turn; every other one streamed) and once inside a `tool_use` input.
  The proxy has no company secrets, so SECRETWORD is not counted there.

Per class: tried, leaked (a planted form, or the value with its separators removed, seen upstream), refused, and
for ordinary texts damaged (what was sent differs) and not restored.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
import corpus  # noqa: E402

KEY = bytes.fromhex("37" * 32)
MODEL = "claude-sonnet-4-5"


def upstream_text(requests: list[Any]) -> str:
    """What went upstream: each raw body, and every string in it with its JSON escapes resolved (a value with a line
    break in it is only whole there)."""
    strings: list[str] = []

    def walk(v: Any) -> None:
        if isinstance(v, str):
            strings.append(v)
        elif isinstance(v, dict):
            for k, x in v.items():
                strings.append(k)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for r in requests:
        strings.append(r.body)
        walk(r.json())
    return "\n".join(strings)


def run_mask(cases: list[corpus.Case]) -> dict[str, dict[str, Any]]:
    from bidradar.masking.masker import Masker
    from bidradar.masking.policy import mask_outgoing

    results: dict[str, dict[str, Any]] = {}
    for c in cases:
        masker = Masker(KEY, corpus.SECRETS)
        rec: dict[str, Any] = {}
        try:
            # a case in turns: each message masked on its own by the same masker (one conversation)
            turns = c.extra.get("turns") or [c.text]
            outs = [mask_outgoing(masker, t, "the text").text for t in turns]
            out = "\n".join(outs)
        except Exception as exc:  # MaskingRefused, or a crash: both mean nothing was sent
            rec["refused"] = f"{type(exc).__name__}: {str(exc)[:160]}"
            results[c.id] = rec
            continue
        rec["sent"] = out
        rec["leak"] = None if c.ordinary else corpus.leaked(c, out)
        rec["damaged"] = c.ordinary and out != c.text
        rec["restored"] = "\n".join(masker.unmask(o) for o in outs) == c.text
        results[c.id] = rec
    return results


def _gateway(base_url: str) -> Any:
    """The gateway against the stand-in at `base_url`: the corpus's company secrets, one attempt, no backoff."""
    from bidradar.masking.gateway import LLMGateway

    return LLMGateway.from_api_key(
        "test-api-key",
        base_url=base_url,
        company="redteam",
        key=KEY,
        secrets=corpus.SECRETS,
        timeout_ms=20_000,
        backoff_s=0.0,
        max_attempts=1,
    )


def run_gateway(cases: list[corpus.Case]) -> dict[str, dict[str, Any]]:
    from tests.kit.gemini import GeminiStandIn

    standin = GeminiStandIn()
    results: dict[str, dict[str, Any]] = {}
    with standin.serve() as base_url:
        gateway = _gateway(base_url)
        for c in cases:
            before = len(standin.requests)
            rec: dict[str, Any] = {}
            try:
                answer = gateway.generate("redteam", c.text).text
            except Exception as exc:
                rec["refused"] = f"{type(exc).__name__}: {str(exc)[:160]}"
                answer = None
            seen = upstream_text(standin.requests[before:])
            rec["sent"] = seen
            if answer is not None:
                rec["restored"] = answer == "Echo: " + c.text
            rec["leak"] = None if c.ordinary else corpus.leaked(c, seen)
            if c.ordinary and answer is not None:
                sent_prompts = [r.json() for r in standin.requests[before:]]
                from tests.kit.gemini import prompt_text

                rec["damaged"] = any(prompt_text(p) != c.text for p in sent_prompts)
            results[c.id] = rec
    return results


def run_proxy(cases: list[corpus.Case]) -> dict[str, dict[str, Any]]:
    import anthropic

    from tests.kit.anthropic import PLACES, masking_proxy, request_with_text

    results: dict[str, dict[str, Any]] = {}
    with masking_proxy(KEY) as (standin, url):
        client = anthropic.Anthropic(api_key="test-key", base_url=url, max_retries=0, timeout=60)

        def send(request: dict[str, Any], streamed: bool) -> tuple[str | None, str | None]:
            try:
                if streamed:
                    with client.messages.stream(model=MODEL, max_tokens=50, **request) as stream:
                        msg = stream.get_final_message()
                else:
                    msg = client.messages.create(model=MODEL, max_tokens=50, **request)
            except anthropic.APIStatusError as exc:
                return None, f"{exc.status_code}: {str(exc)[:160]}"
            except Exception as exc:
                return None, f"{type(exc).__name__}: {str(exc)[:160]}"
            return "".join(getattr(b, "text", "") for b in msg.content), None

        for i, c in enumerate(cases):
            before = len(standin.requests)
            rec: dict[str, Any] = {}
            place = PLACES[i % len(PLACES)]
            if c.extra.get("turns"):
                # a conversation as a client sends it: each request repeats the turns before it
                messages: list[dict[str, Any]] = []
                err = None
                for t in c.extra["turns"]:
                    if messages:
                        messages.append({"role": "assistant", "content": "네"})
                    messages.append({"role": "user", "content": t})
                    answer, e = send({"messages": list(messages)}, streamed=bool(i % 2))
                    err = err or e
                place = "turns"
            else:
                answer, err = send(request_with_text(c.text, place), streamed=bool(i % 2))
            if err:
                rec["refused"] = err
            elif place == "user":
                rec["restored"] = answer == "Echo: " + c.text
            tool_request = {
                "tools": [{"name": "run", "description": "run a command", "input_schema": {"type": "object"}}],
                "messages": [
                    {"role": "user", "content": "실행해 주세요"},
                    {
                        "role": "assistant",
                        "content": [
                            {
                                "type": "tool_use",
                                "id": "toolu_01",
                                "name": "run",
                                "input": {"command": c.text, "meta": {"note": c.text}},
                            }
                        ],
                    },
                    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": "ok"}]},
                ],
            }
            _, err2 = send(tool_request, streamed=False)
            if err2:
                rec["refused_tool_use"] = err2
            seen = upstream_text(standin.requests[before:])
            rec["sent"] = seen
            rec["leak"] = None if c.ordinary or c.cls == "SECRETWORD" else corpus.leaked(c, seen)
            if c.ordinary and not err:
                # the text goes out as one string of the first request: any difference is damage
                rec["damaged"] = _text_changed([r.json() for r in standin.requests[before : before + 1]], c.text)
            results[c.id] = rec
    return results


def run_gateway_more(cases: list[corpus.Case]) -> dict[str, dict[str, Any]]:
    """The gateway's other ways in and out: the text as system instruction, as a public prompt part (only the
    company's secret words may stay there), streamed back in 7-character chunks, and inside structured output."""
    from pydantic import BaseModel

    from bidradar.masking.gateway import PromptPart
    from tests.kit.gemini import GeminiStandIn

    class Answer(BaseModel):
        summary: str

    standin = GeminiStandIn(json_answer=lambda prompt: {"summary": prompt})
    results: dict[str, dict[str, Any]] = {}
    with standin.serve() as base_url:
        gateway = _gateway(base_url)
        for c in cases:
            before = len(standin.requests)
            rec: dict[str, Any] = {}
            problems = []
            try:
                gateway.generate("redteam", "요약해 주세요", system_instruction=c.text)
            except Exception as exc:
                problems.append(f"system: {type(exc).__name__}: {str(exc)[:120]}")
            try:
                streamed = "".join(gateway.generate_stream("redteam", c.text))
                if streamed != "Echo: " + c.text:
                    rec["restored"] = False
                    rec["stream_answer"] = streamed[:400]
            except Exception as exc:
                problems.append(f"stream: {type(exc).__name__}: {str(exc)[:120]}")
            try:
                parsed = gateway.generate("redteam", c.text, response_schema=Answer).parsed
                if getattr(parsed, "summary", None) != c.text:
                    rec["restored"] = False
                    rec["parsed_answer"] = str(getattr(parsed, "summary", parsed))[:400]
            except Exception as exc:
                problems.append(f"schema: {type(exc).__name__}: {str(exc)[:120]}")
            public_before = len(standin.requests)
            try:
                gateway.generate("redteam", [PromptPart(c.text, private=False)])
            except Exception as exc:
                problems.append(f"public: {type(exc).__name__}: {str(exc)[:120]}")
            if problems:
                rec["refused"] = "; ".join(problems)
            seen = upstream_text(standin.requests[before:public_before])
            public = upstream_text(standin.requests[public_before:])
            rec["sent"] = seen + "\n" + public
            if not c.ordinary:
                rec["leak"] = corpus.leaked(c, seen) or (None if c.cls == "SECRETWORD" else corpus.leaked(c, public))
            results[c.id] = rec
    return results


def run_proxy_more(cases: list[corpus.Case]) -> dict[str, dict[str, Any]]:
    """The proxy's other places for text: a plain-text document block, a tool's description, a tool input's key,
    system as a list of blocks with cache_control, and a document's title and context."""
    import anthropic

    from tests.kit.anthropic import masking_proxy

    def requests_for(text: str) -> list[dict[str, Any]]:
        ask = {"role": "user", "content": "요약해 주세요"}
        return [
            {
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": text}},
                            {"type": "text", "text": "요약해 주세요"},
                        ],
                    }
                ]
            },
            {
                "tools": [{"name": "lookup", "description": text, "input_schema": {"type": "object"}}],
                "messages": [ask],
            },
            {
                "messages": [
                    ask,
                    {
                        "role": "assistant",
                        "content": [{"type": "tool_use", "id": "toolu_02", "name": "save", "input": {text: True}}],
                    },
                    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_02", "content": "ok"}]},
                ]
            },
            {"system": [{"type": "text", "text": text, "cache_control": {"type": "ephemeral"}}], "messages": [ask]},
            {
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {
                                "type": "document",
                                "source": {"type": "text", "media_type": "text/plain", "data": "첨부"},
                                "title": text,
                                "context": text,
                            },
                            {"type": "text", "text": "요약해 주세요"},
                        ],
                    }
                ]
            },
        ]

    names = ["document", "tool_description", "input_key", "system_blocks", "doc_title"]
    results: dict[str, dict[str, Any]] = {}
    with masking_proxy(KEY) as (standin, url):
        client = anthropic.Anthropic(api_key="test-key", base_url=url, max_retries=0, timeout=60)
        for c in cases:
            rec: dict[str, Any] = {}
            leaks, refusals, seen_all = [], [], []
            for name, request in zip(names, requests_for(c.text), strict=True):
                before = len(standin.requests)
                try:
                    client.messages.create(model=MODEL, max_tokens=50, **request)
                except anthropic.APIStatusError as exc:
                    refusals.append(f"{name}: {exc.status_code}: {str(exc)[:120]}")
                except Exception as exc:
                    refusals.append(f"{name}: {type(exc).__name__}: {str(exc)[:120]}")
                seen = upstream_text(standin.requests[before:])
                seen_all.append(seen)
                if not c.ordinary and c.cls != "SECRETWORD" and corpus.leaked(c, seen):
                    leaks.append(name)
            if refusals:
                rec["refused"] = "; ".join(refusals)
            if leaks:
                rec["leak"] = ",".join(leaks)
                rec["sent"] = "\n".join(seen_all)
            results[c.id] = rec
    return results


def _text_changed(bodies: list[dict[str, Any]], text: str) -> bool:
    def walk(v: Any) -> bool:
        if isinstance(v, str):
            return v == text
        if isinstance(v, dict):
            return any(walk(x) for x in v.values())
        if isinstance(v, list):
            return any(walk(x) for x in v)
        return False

    return not any(walk(b) for b in bodies)


def table(cases: list[corpus.Case], res: dict[str, dict[str, dict[str, Any]]]) -> str:
    channels = list(res)
    rows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in cases:
        row = rows[("ordinary:" if c.ordinary else "") + c.cls]
        row["tried"] += 1
        any_leak = any_ref = any_dmg = any_unrest = False
        for ch in channels:
            r = res[ch].get(c.id, {})
            leak = bool(r.get("leak"))
            ref = bool(r.get("refused") or r.get("refused_tool_use"))
            row[f"leak_{ch}"] += leak
            row[f"ref_{ch}"] += ref
            any_leak |= leak
            any_ref |= ref
            any_dmg |= bool(r.get("damaged"))
            any_unrest |= r.get("restored") is False
        row["leaked"] += any_leak
        row["refused"] += any_ref
        row["damaged"] += any_dmg
        row["not_restored"] += any_unrest
    cols = ["tried", "leaked"] + [f"leak_{ch}" for ch in channels] + ["refused"] + [f"ref_{ch}" for ch in channels]
    cols += ["damaged", "not_restored"]
    lines = ["| class | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    total: dict[str, int] = defaultdict(int)
    for cls in sorted(rows, key=lambda k: (k.startswith("ordinary:"), k)):
        lines.append(f"| {cls} | " + " | ".join(str(rows[cls][k]) for k in cols) + " |")
        for k in cols:
            total[k] += rows[cls][k]
    lines.append("| **all** | " + " | ".join(str(total[k]) for k in cols) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="mask,gateway,proxy,gateway_more,proxy_more")
    ap.add_argument("--out", default=str(HERE / "failures.json"))
    ap.add_argument("-k", default="", help="only case ids containing this")
    args = ap.parse_args()
    cases = [c for c in corpus.attacks() + corpus.ordinary() if args.k in c.id]
    runners = {
        "mask": run_mask,
        "gateway": run_gateway,
        "proxy": run_proxy,
        "gateway_more": run_gateway_more,
        "proxy_more": run_proxy_more,
    }
    res: dict[str, dict[str, dict[str, Any]]] = {}
    for ch in args.only.split(","):
        t0 = time.time()
        res[ch] = runners[ch](cases)
        print(f"{ch}: {len(cases)} cases in {time.time() - t0:.1f}s", file=sys.stderr)
    print(table(cases, res))
    failing = []
    for c in cases:
        per = {}
        for ch in res:
            r = res[ch].get(c.id, {})
            bad = (
                r.get("leak")
                or r.get("refused")
                or r.get("refused_tool_use")
                or r.get("damaged")
                or r.get("restored") is False
            )
            if bad:
                per[ch] = {k: v for k, v in r.items() if k != "sent" or len(v) < 4000}
        if per:
            failing.append(
                {
                    "id": c.id,
                    "cls": c.cls,
                    "form": c.form,
                    "fmt": c.fmt,
                    "text": c.text,
                    "forms": list(c.forms),
                    "channels": per,
                }
            )
    Path(args.out).write_text(json.dumps(failing, ensure_ascii=False, indent=1))
    print(f"{len(failing)} failing cases -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
