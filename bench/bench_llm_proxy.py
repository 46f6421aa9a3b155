"""Benchmark of the Claude masking proxy against the local Anthropic stand-in, on loopback.

    .venv/bin/python -m bench.bench_llm_proxy [--requests 300]

Three figures, each direct (client -> stand-in) and through the proxy (client -> proxy -> stand-in):
- added latency per request for a 50 KB request (Claude Code's first request is about 48 KB: a long system prompt,
  24 tool definitions, a user turn) holding 47 identifiers, answered with JSON: p50 and p99 of proxy minus direct;
- time to first token of a streamed answer (first text_delta byte at the client);
- streaming throughput of a long answer (200 KB of text with a token every ~75 characters, 20-character deltas).

The proxy runs in its own process (uvicorn, like `bidradar llm-proxy`), the stand-in in this one; both on loopback.
Targets (issue 15): p99 added < 10 ms, time to first token within 5 ms of direct.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.kit.anthropic import AnthropicStandIn, Reply, Text  # noqa: E402

KEY = b"bench-llm-proxy-key"
LONG_MODEL = "claude-opus-4-1-20250805"  # a real id's shape: the proxy tokenises any other `model`
HEADERS = {"x-api-key": "sk-ant-bench", "anthropic-version": "2023-06-01", "content-type": "application/json"}


def claude_code_like_request(size: int = 50_000) -> dict[str, Any]:
    """A request shaped like Claude Code's first one: long system prompt, many tools, one user turn, ~40 ids."""
    ids = "계정 123456789012|i-0abcd1234ef567890|AKIAIOSFODNN7EXAMPLE|10.20.30.40|900101-1234567|220-81-62517"
    ids += "|010-1234-5678|kim.minsu@acme.co.kr"
    ids = ids.split("|")
    system = [{"type": "text", "text": "You are Claude Code, an interactive CLI tool. " * 120}]
    tools = [
        {
            "name": f"Tool{i}",
            "description": "Executes a given command in a persistent shell session with optional timeout. " * 12,
            "input_schema": {"type": "object", "properties": {"command": {"type": "string", "description": "x" * 80}}},
        }
        for i in range(24)
    ]
    body = {"model": "claude-sonnet-4-5", "max_tokens": 1024, "system": system, "tools": tools, "messages": []}
    filler = "로그를 확인하고 설정을 점검한다. The deployment failed at step three; see the trace below.\n"
    user_text = ""
    n = 0
    while len(json.dumps(body, ensure_ascii=False).encode()) + len(user_text.encode()) < size:
        user_text += filler * 3 + f"host {ids[n % len(ids)]} reported an error.\n"
        n += 1
    body["messages"] = [{"role": "user", "content": [{"type": "text", "text": user_text}]}]
    return body


def short_answer(body: dict[str, Any]) -> Reply:
    return Reply([Text("The deployment failed because the security group blocks port 443. " * 3)])


def long_answer(body: dict[str, Any]) -> Reply:
    text = "".join(
        f"Line {i}: instance MASK_AWSID_2BDDCE2FEAB3D653 answered in {i} ms, 상태 정상입니다.\n" for i in range(2500)
    )
    return Reply([Text(text)])


def bench_answer(body: dict[str, Any]) -> Reply:
    """The long answer when the request asks for model LONG_MODEL (throughput), the short one otherwise.

    A model id in Claude's shape: since issue 24 the proxy forwards any other `model` as one token.
    """
    return long_answer(body) if body.get("model") == LONG_MODEL else short_answer(body)


def start_standin() -> tuple[subprocess.Popen, str]:
    """The stand-in in its own process: the client, the proxy and the stand-in then share no interpreter lock."""
    code = (
        "import sys; from tests.kit.anthropic import AnthropicStandIn; from bench.bench_llm_proxy import bench_answer\n"
        "with AnthropicStandIn(bench_answer, chunk_chars=20, split_writes=False).serve() as url:\n"
        "    print(url, flush=True); sys.stdin.read()"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE}
    process = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env, text=True, **pipes)
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_proxy(upstream: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    code = (
        "import uvicorn; from serving.llm_proxy import create_app, ProxyConfig; "
        f"uvicorn.run(create_app(ProxyConfig({upstream!r}, {KEY!r})), host='127.0.0.1', port={port}, "
        "log_level='warning', access_log=False)"
    )
    process = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{url}/healthz", timeout=1)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the proxy did not start")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latencies(client: httpx.Client, url: str, content: bytes, n: int) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.post(f"{url}/v1/messages", content=content, headers=HEADERS)
        response.read()
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
    return out


def first_token(client: httpx.Client, url: str, content: bytes, n: int) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        with client.stream("POST", f"{url}/v1/messages", content=content, headers=HEADERS) as response:
            seen = b""
            for chunk in response.iter_raw():
                if not seen.endswith(b"\x00"):
                    seen += chunk
                    if b"text_delta" in seen:
                        out.append((time.perf_counter() - started) * 1000)
                        seen = b"\x00"
    return out


def throughput(client: httpx.Client, url: str, content: bytes, n: int) -> tuple[float, float]:
    rates, sizes = [], []
    for _ in range(n):
        started = time.perf_counter()
        size = 0
        with client.stream("POST", f"{url}/v1/messages", content=content, headers=HEADERS) as response:
            for chunk in response.iter_raw():
                size += len(chunk)
        rates.append(size / (time.perf_counter() - started) / 1e6)
        sizes.append(size)
    return statistics.median(rates), statistics.median(sizes) / 1e3


def proxy_cpu_ms(body: dict[str, Any], n: int) -> list[float]:
    """CPU time of the proxy's own work on one call (mask the request, serialise it, unmask a JSON answer).

    Thread CPU time, not wall time: on a shared machine (load average well above the core count) wall-clock
    figures carry other processes' time slices; this is what the proxy itself adds.
    """
    from serving.llm_proxy.request_masking import mask_request
    from serving.llm_proxy.streaming import UnmaskStats, unmask_message

    out = []
    for _ in range(n):
        started = time.thread_time()
        masked = mask_request(body, KEY)
        json.dumps(masked.body, ensure_ascii=False, separators=(",", ":")).encode()
        answer = {"content": [{"type": "text", "text": "See MASK_IP_96BE2116393163F2 and the logs. " * 20}]}
        unmask_message(answer, masked.masker.vault, UnmaskStats())
        out.append((time.thread_time() - started) * 1000)
    return out


def measure(client: httpx.Client, upstream: str, proxy_url: str, n: int) -> dict:
    body = claude_code_like_request()
    content = json.dumps(body, ensure_ascii=False).encode()
    stream_content = json.dumps({**body, "stream": True}, ensure_ascii=False).encode()
    long_content = json.dumps({**body, "stream": True, "model": LONG_MODEL}, ensure_ascii=False).encode()
    for url in (upstream, proxy_url):  # warm-up: connections, regex compilation, caches
        latencies(client, url, content, 20)
    rounds: dict[str, list[float]] = {"direct": [], "proxy": []}
    ttft: dict[str, list[float]] = {"direct": [], "proxy": []}
    for _ in range(3):  # interleaved rounds: a noisy neighbour hits both sides alike
        rounds["direct"] += latencies(client, upstream, content, n // 3)
        rounds["proxy"] += latencies(client, proxy_url, content, n // 3)
        ttft["direct"] += first_token(client, upstream, stream_content, n // 6)
        ttft["proxy"] += first_token(client, proxy_url, stream_content, n // 6)
    rate = {
        name: throughput(client, url, long_content, 5) for name, url in (("direct", upstream), ("proxy", proxy_url))
    }
    return {"size": len(content), "rounds": rounds, "ttft": ttft, "rate": rate}


def report(title: str, result: dict) -> None:
    print(f"-- {title}: {result['size'] / 1e3:.1f} KB request, {len(result['rounds']['direct'])} calls per side")
    for label, data in (("JSON call", result["rounds"]), ("time to first token", result["ttft"])):
        d, p = data["direct"], data["proxy"]
        print(
            f"{label}: direct p50 {pct(d, 0.5):.2f} p99 {pct(d, 0.99):.2f} ms | proxy p50 {pct(p, 0.5):.2f} "
            f"p99 {pct(p, 0.99):.2f} ms | added p50 {pct(p, 0.5) - pct(d, 0.5):.2f} ms p99 {pct(p, 0.99) - pct(d, 0.99):.2f} ms"
        )
    (dr, size), (pr, _) = result["rate"]["direct"], result["rate"]["proxy"]
    print(f"streaming throughput ({size:.0f} KB answer, 20-char deltas): direct {dr:.1f} MB/s, proxy {pr:.1f} MB/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    n = args.requests
    from serving.llm_proxy import ProxyConfig, create_app
    from tests.kit.asgi import serve_app

    standin = AnthropicStandIn(bench_answer, chunk_chars=20, split_writes=False)
    with standin.serve() as upstream, httpx.Client(timeout=60) as client:
        # 1. The proxy in this process (uvicorn in a thread): no extra process to wake per hop.
        with serve_app(create_app(ProxyConfig(upstream, KEY))) as proxy_url:
            report("proxy in the benchmark's process", measure(client, upstream, proxy_url, n))
        # 2. The proxy in its own process, as `bidradar llm-proxy` runs it.
        proxy, proxy_url = start_proxy(upstream)
        try:
            report("proxy in its own process", measure(client, upstream, proxy_url, n))
        finally:
            proxy.terminate()
            proxy.wait(10)
        # 3. Client, proxy and stand-in each in its own process (no interpreter lock shared along the path).
        remote, remote_url = start_standin()
        proxy, proxy_url = start_proxy(remote_url)
        try:
            report("proxy and stand-in each in its own process", measure(client, remote_url, proxy_url, n))
        finally:
            for process in (proxy, remote):
                process.terminate()
                process.wait(10)
    cpu = proxy_cpu_ms(claude_code_like_request(), n)
    print(
        f"proxy CPU per call (mask 50 KB + serialise + unmask answer): p50 {pct(cpu, 0.5):.2f} ms p99 {pct(cpu, 0.99):.2f} ms"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
