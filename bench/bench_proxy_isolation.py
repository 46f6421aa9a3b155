"""Does one large request stall the others? The proxy's p99 for 16 concurrent small streamed requests, alone and
while 5 MB requests are masked at the same time (issue 24: the growth must stay under 50 ms). Prints, never asserts.

    .venv/bin/python -m bench.bench_proxy_isolation [--seconds 20]

The proxy runs in its own process (uvicorn, like `bidradar llm-proxy`), the stand-in in another; the clients here.
Small requests: ~2 KB with a few identifiers, streamed short answers. Large: 5 MB of notice prose with identifiers.
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


async def large_requests(url: str, seconds: float, size: int) -> int:
    body = json.dumps(
        {"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": prompt(size, False)}]}
    ).encode()
    sent = 0
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(timeout=600) as client:
        while time.perf_counter() < deadline:
            await client.post(f"{url}/v1/messages", content=body, headers=HEADERS)
            sent += 1
    return sent


async def run(url: str, seconds: float, size: int) -> None:
    alone = await small_streams(url, seconds)
    together, sent = await asyncio.gather(small_streams(url, seconds), large_requests(url, seconds, size))
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--size", type=int, default=5_000_000)
    args = parser.parse_args()
    standin, upstream = start_standin()
    proxy, url = start_proxy(upstream)
    try:
        asyncio.run(run(url, args.seconds, args.size))
    finally:
        proxy.terminate()
        proxy.wait()
        standin.terminate()
        standin.wait()


if __name__ == "__main__":
    main()
