"""Does one large request stall the others? The proxy's p99 for 16 concurrent small streamed requests, alone and
while 5 MB requests are masked at the same time (issue 24: the growth must stay under 50 ms). Prints, never asserts.

    .venv/bin/python -m bench.bench_proxy_isolation [--seconds 20]

The proxy runs in its own process (uvicorn, like `bidradar llm-proxy`), the stand-in in another; the clients here.
Small requests: ~2 KB with a few identifiers, streamed short answers. Large: 5 MB of notice prose with identifiers,
each request's digits rotated by its number (so its values are new to the proxy, as a real paste's are, and the
proxy's memory of context-only values has to judge them).

Wall-clock percentiles on a shared machine are the machine's: the CPU time of the proxy's main process (the event
loop and its masking threads; the worker processes that mask the large bodies are not in it) is printed too, per
small request in each phase and per large request, so a change of what runs beside the loop shows at any load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time

import httpx

from bench.bench_llm_proxy import HEADERS, pct, start_proxy, start_standin
from bench.bench_masking_policy import prompt

SMALL = json.dumps(
    {
        "model": "claude-sonnet-4-5",
        "max_tokens": 100,
        "stream": True,
        "messages": [{"role": "user", "content": prompt(2_000, False)}],
    }
).encode()


async def small_streams(url: str, seconds: float, concurrency: int = 16) -> list[float]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(timeout=120) as client:

        async def worker() -> None:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                async with client.stream("POST", f"{url}/v1/messages", content=SMALL, headers=HEADERS) as r:
                    async for _ in r.aiter_bytes():
                        pass
                latencies.append(time.perf_counter() - start)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def main_cpu(pid: int) -> float:
    """CPU seconds (user + system) of one process, its threads included, its children not."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def large_body(text: str, n: int) -> bytes:
    rotate = str.maketrans("0123456789", "".join(str((d + n) % 10) for d in range(10)))
    content = f"요청 {n}\n" + text.translate(rotate)
    return json.dumps(
        {"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": content}]}
    ).encode()


async def large_requests(url: str, seconds: float, size: int) -> int:
    text = prompt(size, False)
    sent = 0
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(timeout=600) as client:
        while time.perf_counter() < deadline:
            await client.post(f"{url}/v1/messages", content=large_body(text, sent + 1), headers=HEADERS)
            sent += 1
    return sent


async def run(url: str, seconds: float, size: int, pid: int) -> None:
    await small_streams(url, 3)  # warm-up: the first requests of each thread compile the masker's patterns
    cpu = main_cpu(pid)
    alone = await small_streams(url, seconds)
    cpu_alone, cpu = main_cpu(pid) - cpu, main_cpu(pid)
    together, sent = await asyncio.gather(small_streams(url, seconds), large_requests(url, seconds, size))
    cpu_together = main_cpu(pid) - cpu
    per_small = cpu_alone / len(alone)
    grow = (pct(together, 0.99) - pct(alone, 0.99)) * 1000
    print(f"load average {os.getloadavg()[0]:.2f}; 16 concurrent small streamed requests through the proxy")
    print(
        f"  alone:          n={len(alone):5d}  p50 {statistics.median(alone) * 1000:7.1f} ms  p99 {pct(alone, 0.99) * 1000:7.1f} ms"
    )
    print(
        f"  with {size / 1e6:.0f} MB reqs: n={len(together):5d}  p50 {statistics.median(together) * 1000:7.1f} ms"
        f"  p99 {pct(together, 0.99) * 1000:7.1f} ms  ({sent} large requests masked meanwhile)"
    )
    print(f"  p99 growth {grow:+.1f} ms (goal < 50 ms)")
    extra = cpu_together - per_small * len(together)
    print(
        f"  proxy main process CPU: {per_small * 1000:.2f} ms per small request alone;"
        f" beside the large ones {extra / max(sent, 1) * 1000:.0f} ms per large request"
        f" ({cpu_alone:.2f} s alone, {cpu_together:.2f} s together)"
    )


async def large_only(url: str, size: int, pid: int, n: int) -> None:
    """The main process's CPU per large request, with nothing else running through the proxy (load-independent)."""
    text = prompt(size, False)
    async with httpx.AsyncClient(timeout=600) as client:
        await client.post(f"{url}/v1/messages", content=large_body(text, 0), headers=HEADERS)  # starts the pool
        spent = []
        for i in range(1, n + 1):
            cpu = main_cpu(pid)
            await client.post(f"{url}/v1/messages", content=large_body(text, i), headers=HEADERS)
            spent.append(main_cpu(pid) - cpu)
    print(
        f"load average {os.getloadavg()[0]:.2f}; proxy main process CPU per {size / 1e6:.0f} MB request (fresh values):"
        f" median {statistics.median(spent) * 1000:.0f} ms, each {', '.join(f'{s * 1000:.0f}' for s in spent)} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--size", type=int, default=5_000_000)
    parser.add_argument("--large-only", type=int, default=0, help="only N large requests, one at a time: their CPU")
    args = parser.parse_args()
    standin, upstream = start_standin()
    proxy, url = start_proxy(upstream)
    try:
        if args.large_only:
            asyncio.run(large_only(url, args.size, proxy.pid, args.large_only))
        else:
            asyncio.run(run(url, args.seconds, args.size, proxy.pid))
    finally:
        proxy.terminate()
        proxy.wait()
        standin.terminate()
        standin.wait()


if __name__ == "__main__":
    main()
