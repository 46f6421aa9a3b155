# ruff: noqa: SIM115
"""Runs the s33 red-team corpus against one worktree's code: the gateway policy (what `bidradar mask` calls) and the
Claude proxy (`bidradar llm-proxy` in a subprocess) with the real `anthropic` SDK through the local stand-in.

    <wt>/.venv/bin/python attack-work/harness.py --wt <wt> --out result.json

Attack cases: leaked = a planted value (or its NFKC form) is in what was sent; partial = the last two thirds of it
are. Ordinary texts: damaged = what was sent differs from the input; refused = an error instead of a send.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

KEY = bytes.fromhex("5a" * 32)


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def leak_kind(value: str, seen: str, seen_n: str) -> str | None:
    if value in seen or nfkc(value) in seen_n:
        return "full"
    tail = value[len(value) // 3 :]
    if len(tail) >= 8 and (tail in seen or nfkc(tail) in seen_n):
        return "partial"
    return None


# ---------------------------------------------------------------- gateway


def run_gateway(attacks: list[corpus.Case], ordinary: list[corpus.Case]) -> dict[str, Any]:
    from bidradar.masking.masker import Masker
    from bidradar.masking.policy import mask_outgoing

    def send(text: str) -> tuple[str | None, str | None, float]:
        masker = Masker(KEY, [])
        t0 = time.process_time()
        try:
            out = mask_outgoing(masker, text, "the text").text
            return out, None, time.process_time() - t0
        except Exception as exc:  # the policy's refusal (MaskingRefused) or a crash: both are "not sent"
            return None, f"{type(exc).__name__}: {str(exc)[:200]}", time.process_time() - t0

    details: list[dict[str, Any]] = []
    for c in attacks:
        out, err, cpu = send(c.text)
        rec: dict[str, Any] = {"id": c.id, "cls": c.cls, "fmt": c.fmt, "text": c.text, "cpu": round(cpu, 4)}
        if err:
            rec["refused"] = err
        else:
            kinds = [leak_kind(v, out, nfkc(out)) for v in c.values]
            rec["leaks"] = [v for v, k in zip(c.values, kinds, strict=True) if k == "full"]
            rec["partial"] = [v for v, k in zip(c.values, kinds, strict=True) if k == "partial"]
            if rec["leaks"] or rec["partial"]:
                rec["sent"] = out
        details.append(rec)
    for c in ordinary:
        out, err, cpu = send(c.text)
        rec = {"id": c.id, "cls": c.cls, "text": c.text, "cpu": round(cpu, 4)}
        if err:
            rec["refused"] = err
        elif out != c.text:
            rec["damaged"] = True
            rec["sent"] = out
        details.append(rec)
    return {"details": details}


# ---------------------------------------------------------------- proxy


def _load_standin() -> Any:
    path = HERE.parent / "tests" / "kit" / "anthropic.py"  # the attack worktree's stand-in: same for every target
    spec = importlib.util.spec_from_file_location("attack_standin", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["attack_standin"] = mod
    assert spec.loader
    spec.loader.exec_module(mod)
    return mod


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proxy:
    def __init__(self, wt: Path, upstream: str) -> None:
        self.port = _free_port()
        self.tmp = tempfile.mkdtemp(prefix="attack-proxy-")
        env = {
            **os.environ,
            "ANTHROPIC_UPSTREAM_URL": upstream,
            "MASKING_SECRET": "5a" * 32,
            "LLM_PROXY_AUDIT": "false",
            "PYTHONPATH": str(wt),  # the target's code even when its .venv is shared
            "DAGSTER_HOME": self.tmp,
            "LOG_LEVEL": "WARNING",
        }
        self.log = open(Path(self.tmp) / "proxy.log", "wb")
        self.proc = subprocess.Popen(
            ["nice", "-n", "10", str(wt / ".venv/bin/bidradar"), "llm-proxy", "--port", str(self.port)],
            cwd=wt,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2).read()
                return
            except Exception:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.5)
        raise RuntimeError(f"proxy did not start; log {self.log.name}: " + Path(self.log.name).read_text()[-2000:])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


MODEL = "claude-sonnet-4-5"
VALUE_ONLY = {
    "tool_use-input-key",
    "schema-key",
    "metadata-user_id",
    "stop_sequences",
    "header",
    "anthropic-beta",
    "query",
    "metadata-extra-key",
    "mcp_servers",
    "container",
    "model",
}


def field_request(field: str, text: str, value: str) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """(request kwargs, extra headers, extra query) carrying `text` (or `value` where only a short string fits)."""
    # a field that carries only the bare value gets the value's context in the user turn: the proxy's second pass
    # ("a value detected anywhere is masked everywhere") must carry it into the field
    user = [{"role": "user", "content": text if field in VALUE_ONLY else "요약해 주세요"}]
    tool = {
        "name": "run_shell",
        "description": "run a command",
        "input_schema": {"type": "object", "properties": {"cmd": {"type": "string"}}},
    }
    hist = lambda tu_input, result: [  # noqa: E731
        {"role": "user", "content": "실행해 주세요"},
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "toolu_01A", "name": "run_shell", "input": tu_input}],
        },
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01A", "content": result}]},
    ]
    h: dict[str, str] = {}
    q: dict[str, str] = {}
    if field == "user":
        req = {"messages": [{"role": "user", "content": [{"type": "text", "text": text}]}]}
    elif field == "user-str":
        req = {"messages": [{"role": "user", "content": text}]}
    elif field == "system":
        req = {"system": text, "messages": user}
    elif field == "system-blocks":
        req = {"system": [{"type": "text", "text": text, "cache_control": {"type": "ephemeral"}}], "messages": user}
    elif field == "assistant":
        req = {
            "messages": [
                {"role": "user", "content": "계속"},
                {"role": "assistant", "content": text},
                {"role": "user", "content": "다음"},
            ]
        }
    elif field == "tool_result":
        req = {"tools": [tool], "messages": hist({"cmd": "cat notes.txt"}, text)}
    elif field == "tool_result-blocks":
        req = {"tools": [tool], "messages": hist({"cmd": "cat notes.txt"}, [{"type": "text", "text": text}])}
    elif field == "tool_use-input":
        req = {"tools": [tool], "messages": hist({"cmd": text}, "ok")}
    elif field == "tool_use-input-key":
        req = {"tools": [tool], "messages": hist({value: "1"}, "ok")}
    elif field == "tool-description":
        req = {"tools": [{**tool, "description": text}], "messages": user}
    elif field == "schema-key":
        req = {
            "tools": [{**tool, "input_schema": {"type": "object", "properties": {value: {"type": "string"}}}}],
            "messages": user,
        }
    elif field == "schema-description":
        req = {
            "tools": [
                {
                    **tool,
                    "input_schema": {"type": "object", "properties": {"x": {"type": "string", "description": text}}},
                }
            ],
            "messages": user,
        }
    elif field == "metadata-user_id":
        req = {"metadata": {"user_id": value}, "messages": user}
    elif field == "stop_sequences":
        req = {"stop_sequences": [value], "messages": user}
    elif field == "header":
        req = {"messages": user}
        h = {"X-Customer-Note": urllib.parse.quote(value, safe="")}
    elif field == "anthropic-beta":
        req = {"messages": user}
        h = {"anthropic-beta": "prompt-caching-2024-07-31," + urllib.parse.quote(value, safe="")}
    elif field == "query":
        req = {"messages": user}
        q = {"note": value}
    elif field == "document":
        req = {
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "document",
                            "title": "메모",
                            "source": {"type": "text", "media_type": "text/plain", "data": text},
                        },
                        {"type": "text", "text": "요약"},
                    ],
                }
            ]
        }
    elif field == "thinking":
        req = {
            "messages": [
                {"role": "user", "content": "a"},
                {"role": "assistant", "content": [{"type": "text", "text": text}]},
                {"role": "user", "content": "b"},
            ]
        }
    else:
        raise ValueError(field)
    return req, h, q


FIELDS = [
    "user",
    "user-str",
    "system",
    "system-blocks",
    "assistant",
    "tool_result",
    "tool_result-blocks",
    "tool_use-input",
    "tool_use-input-key",
    "tool-description",
    "schema-key",
    "schema-description",
    "metadata-user_id",
    "stop_sequences",
    "header",
    "anthropic-beta",
    "query",
    "document",
]
EXTRA_FIELDS = ["metadata-extra-key", "mcp_servers", "container", "model"]


def run_proxy(wt: Path, attacks: list[corpus.Case], ordinary: list[corpus.Case]) -> dict[str, Any]:
    import anthropic

    kit = _load_standin()
    standin = kit.AnthropicStandIn()
    details: list[dict[str, Any]] = []
    with standin.serve() as upstream:
        proxy = Proxy(wt, upstream)
        try:
            client = anthropic.Anthropic(api_key="test-key", base_url=proxy.url, max_retries=0, timeout=60)

            def send(
                req: dict[str, Any], h: dict[str, str], q: dict[str, str], extra: dict[str, Any] | None = None
            ) -> tuple[str, str | None]:
                before = len(standin.requests)
                err = None
                try:
                    model = req.pop("model", MODEL)
                    streamed = req.pop("_stream", False)
                    kw = dict(
                        model=model,
                        max_tokens=50,
                        extra_headers=h or None,
                        extra_query=q or None,
                        extra_body=extra or None,
                        **req,
                    )
                    if streamed:  # the SDK's streaming helper: the same request with "stream": true, SSE back
                        with client.messages.stream(**kw) as stream:
                            stream.get_final_message()
                    else:
                        client.messages.create(**kw)
                except anthropic.APIStatusError as exc:
                    err = f"{exc.status_code}: {str(exc)[:200]}"
                except Exception as exc:
                    err = f"{type(exc).__name__}: {str(exc)[:200]}"
                new = standin.requests[before:]
                parts = []
                for r in new:
                    parts += [
                        r.path,
                        r.body,
                        r.decoded(),
                        r.query,
                        urllib.parse.unquote_plus(r.query),
                        "\n".join(f"{k}: {v}" for k, v in r.headers.items()),
                        urllib.parse.unquote("\n".join(r.headers.values())),
                    ]
                return "\n".join(parts), (err if not new else None) if err else None

            # 1. every attack case as user text / system / tool_result / tool_use input, in turn
            places = ["user", "system", "tool_result", "tool_use-input", "user-str", "document"]
            for i, c in enumerate(attacks):
                place = places[i % len(places)]
                req, h, q = field_request(place, c.text, c.values[0])
                req["_stream"] = i % 4 == 1  # a quarter of the texts go streamed
                seen, err = send(req, h, q)
                rec: dict[str, Any] = {
                    "batch": "proxy-text",
                    "id": c.id,
                    "cls": c.cls,
                    "place": place,
                    "streamed": i % 4 == 1,
                    "text": c.text,
                }
                if err:
                    rec["refused"] = err
                kinds = [leak_kind(v, seen, nfkc(seen)) for v in c.values]
                rec["leaks"] = [v for v, k in zip(c.values, kinds, strict=True) if k == "full"]
                rec["partial"] = [v for v, k in zip(c.values, kinds, strict=True) if k == "partial"]
                details.append(rec)
            # 2. one case per class in every field
            by_cls: dict[str, corpus.Case] = {}
            for c in attacks:
                by_cls.setdefault(c.cls, c)
            for c in by_cls.values():
                for fld in FIELDS + EXTRA_FIELDS:
                    v = c.values[0]
                    extra = None
                    if fld == "metadata-extra-key":
                        req, h, q = {"messages": [{"role": "user", "content": c.text}]}, {}, {}
                        extra = {"metadata": {"user_id": "u1", v: c.text}}
                    elif fld == "mcp_servers":
                        req, h, q = {"messages": [{"role": "user", "content": c.text}]}, {}, {}
                        extra = {
                            "mcp_servers": [
                                {
                                    "type": "url",
                                    "url": f"https://mcp.example.com/{v}",
                                    "name": v,
                                    "authorization_token": v,
                                }
                            ]
                        }
                    elif fld == "container":
                        req, h, q = {"messages": [{"role": "user", "content": c.text}]}, {}, {}
                        extra = {"container": v}
                    elif fld == "model":
                        req, h, q = {"messages": [{"role": "user", "content": c.text}], "model": f"claude-{v}"}, {}, {}
                    else:
                        req, h, q = field_request(fld, c.text, v)
                    seen, err = send(req, h, q, extra)
                    rec = {"batch": "proxy-fields", "id": c.id, "cls": c.cls, "place": fld, "value": v}
                    if err:
                        rec["refused"] = err
                    k = leak_kind(v, seen, nfkc(seen))
                    rec["leaks"] = [v] if k == "full" else []
                    rec["partial"] = [v] if k == "partial" else []
                    details.append(rec)
            # 3. structure: JSON numbers, ids kept by shape, headers, other routes (raw httpx, as the SDK sends)
            import httpx
            import structure

            for name, path, body, value, headers in structure.PROBES:
                before = len(standin.requests)
                hdr = {
                    "x-api-key": "test-key",
                    "anthropic-version": "2023-06-01",
                    "content-type": "application/json",
                    **headers,
                }
                err = None
                try:
                    if body is None:
                        resp = httpx.get(proxy.url + path, headers=hdr, timeout=60)
                    else:
                        resp = httpx.post(proxy.url + path, content=structure.body_bytes(body), headers=hdr, timeout=60)
                    if resp.status_code != 200:
                        err = f"{resp.status_code}: {resp.text[:200]}"
                except Exception as exc:
                    err = f"{type(exc).__name__}: {exc}"
                new = standin.requests[before:]
                seen = "\n".join(
                    r.path
                    + "?"
                    + r.body
                    + r.decoded()
                    + r.query
                    + urllib.parse.unquote(r.query)
                    + "\n".join(r.headers.values())
                    for r in new
                )
                k = leak_kind(value, seen, nfkc(seen))
                details.append(
                    {
                        "batch": "proxy-structure",
                        "id": name,
                        "cls": name,
                        "place": path,
                        "value": value,
                        "leaks": [value] if k == "full" else [],
                        "partial": [value] if k == "partial" else [],
                        **({"refused": err} if err and not new else {}),
                    }
                )
            for name, body, value in structure.KEEPS:
                before = len(standin.requests)
                hdr = {"x-api-key": "test-key", "anthropic-version": "2023-06-01", "content-type": "application/json"}
                resp = httpx.post(
                    proxy.url + "/v1/messages", content=structure.body_bytes(body), headers=hdr, timeout=60
                )
                seen = "\n".join(r.body + r.decoded() for r in standin.requests[before:])
                rec = {"batch": "proxy-opaque-kept", "id": name, "cls": name, "text": value}
                if not standin.requests[before:]:
                    rec["refused"] = f"{resp.status_code}: {resp.text[:200]}"
                elif value not in seen:
                    rec["damaged"] = True
                details.append(rec)
            # 4. ordinary texts as user text: must arrive unchanged
            for c in ordinary:
                before = len(standin.requests)
                req, h, q = field_request("user", c.text, "")
                _, err = send(req, h, q)
                rec = {"batch": "proxy-ordinary", "id": c.id, "cls": c.cls, "text": c.text}
                new = [r for r in standin.requests[before:] if r.path == "/v1/messages"]
                if err or not new:
                    rec["refused"] = err or "nothing sent"
                else:
                    sent = new[-1].json()["messages"][0]["content"][0]["text"]
                    if sent != c.text:
                        rec["damaged"] = True
                        rec["sent"] = sent
                details.append(rec)
        finally:
            proxy.stop()
    return {"details": details}


def summarize(name: str, recs: list[dict[str, Any]], ordinary: bool) -> list[str]:
    by: dict[str, Counter] = defaultdict(Counter)
    for r in recs:
        key = r["cls"] if "place" not in r or r.get("batch") != "proxy-fields" else r["place"]
        c = by[key]
        c["tried"] += 1
        if ordinary:
            c["damaged"] += bool(r.get("damaged"))
            c["refused"] += bool(r.get("refused"))
        else:
            c["leaked"] += bool(r.get("leaks"))
            c["partial"] += bool(r.get("partial")) and not r.get("leaks")
            c["refused"] += bool(r.get("refused"))
    lines = []
    tot: Counter = Counter()
    for k in sorted(by):
        c = by[k]
        tot.update(c)
        if ordinary:
            lines.append(f"  {k:28s} tried {c['tried']:4d}  damaged {c['damaged']:4d}  refused {c['refused']:4d}")
        else:
            lines.append(
                f"  {k:28s} tried {c['tried']:4d}  leaked {c['leaked']:4d}  partial {c['partial']:3d}"
                f"  refused {c['refused']:4d}"
            )
    if ordinary:
        head = f"{name}: tried {tot['tried']} damaged {tot['damaged']} refused {tot['refused']}"
    else:
        head = f"{name}: tried {tot['tried']} leaked {tot['leaked']} partial {tot['partial']} refused {tot['refused']}"
    return [head, *lines]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wt", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", choices=["gateway", "proxy"], default=None)
    args = ap.parse_args()
    wt = Path(args.wt).resolve()
    sys.path.insert(0, str(wt))
    os.chdir(wt)
    attacks, ordinary = (
        corpus.attacks() + corpus.attacks2() + corpus.attacks3() + corpus.attacks4() + corpus.attacks5(),
        corpus.ordinary() + corpus.ordinary2() + corpus.ordinary3() + corpus.ordinary4() + corpus.ordinary5(),
    )
    result: dict[str, Any] = {
        "worktree": str(wt),
        "head": subprocess.run(
            ["git", "-C", str(wt), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip(),
    }
    out: list[str] = [f"worktree {wt} at {result['head']}: {len(attacks)} attack texts, {len(ordinary)} ordinary"]
    if args.only in (None, "gateway"):
        t0 = time.process_time()
        g = run_gateway(attacks, ordinary)
        result["gateway"] = g["details"]
        n = len(attacks)
        out += summarize("gateway attack", g["details"][:n], False)
        out += summarize("gateway ordinary", g["details"][n:], True)
        out.append(f"gateway cpu {time.process_time() - t0:.1f}s")
    if args.only in (None, "proxy"):
        p = run_proxy(wt, attacks, ordinary)
        result["proxy"] = p["details"]
        for b, o in (
            ("proxy-text", False),
            ("proxy-fields", False),
            ("proxy-structure", False),
            ("proxy-opaque-kept", True),
            ("proxy-ordinary", True),
        ):
            out += summarize(b, [r for r in p["details"] if r["batch"] == b], o)
    if args.only and Path(args.out).exists():  # one batch of a run: keep the other batch's details
        result = {**json.loads(Path(args.out).read_text()), **result}
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print("\n".join(out))


if __name__ == "__main__":
    main()
