"""One request through the Claude proxy of a worktree to the stand-in; prints what the stand-in received.

    printf '%s' '{"messages":[{"role":"user","content":"주민번호 040725-4094883"}]}' \
        | <wt>/.venv/bin/python attack-work/repro_proxy.py --wt <wt> -H 'anthropic-beta: x,040725-4094883' -q note=abc

The body is a Messages request without `model`/`max_tokens` unless given; sent with httpx (as the SDK does).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wt", default=str(Path(__file__).resolve().parent.parent))
    ap.add_argument("-H", dest="headers", action="append", default=[])
    ap.add_argument("-q", dest="query", action="append", default=[])
    args = ap.parse_args()
    body = json.loads(sys.stdin.read())
    body.setdefault("model", "claude-sonnet-4-5")
    body.setdefault("max_tokens", 20)
    headers = {"x-api-key": "test", "anthropic-version": "2023-06-01"}
    for h in args.headers:
        k, _, v = h.partition(":")
        headers[k.strip()] = v.strip()
    query = dict(q.split("=", 1) for q in args.query)
    kit = harness._load_standin()
    standin = kit.AnthropicStandIn()
    with standin.serve() as upstream:
        proxy = harness.Proxy(Path(args.wt).resolve(), upstream)
        try:
            r = httpx.post(proxy.url + "/v1/messages", json=body, headers=headers, params=query, timeout=60)
            print("proxy answered", r.status_code, r.text[:300])
        finally:
            proxy.stop()
    for rec in standin.requests:
        print("UPSTREAM", rec.method, rec.path, "?" + rec.query)
        for k, v in rec.headers.items():
            print(f"  {k}: {v}")
        print(" ", rec.decoded())


if __name__ == "__main__":
    main()
