"""Stop 35: values in the proxy's less common fields (count_tokens, stop_sequences, tool names, schema enums, metadata,
unknown body fields, headers, query, model, images, PDFs, image URLs, thinking, /v1/models/{id}, prefill).

    nice -n 10 .venv/bin/python -W ignore attack-work/s35/proxy_fields.py
"""

from __future__ import annotations

import base64
import re
import sys
from pathlib import Path

import anthropic

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.kit.anthropic import masking_proxy

KEY = bytes.fromhex("35" * 32)
V = {
    "phone": "010-4821-7730",
    "rrn": "880101-1234568",
    "ip": "10.20.30.41",
    "acct": "123456789012",
    "key": "AKIAIOSFODNN7EXAMPL3",
}
with masking_proxy(KEY) as (standin, url):
    c = anthropic.Anthropic(api_key="k", base_url=url, max_retries=0)
    M = "claude-sonnet-4-5"
    ask = [{"role": "user", "content": "hi"}]
    tries = {
        "count_tokens": lambda: c.messages.count_tokens(
            model=M, messages=[{"role": "user", "content": f"tel {V['phone']}"}]
        ),
        "stop_sequences": lambda: c.messages.create(model=M, max_tokens=5, messages=ask, stop_sequences=[V["phone"]]),
        "tool_name": lambda: c.messages.create(
            model=M,
            max_tokens=5,
            messages=ask,
            tools=[{"name": "sms_" + V["phone"], "input_schema": {"type": "object"}}],
        ),
        "schema_enum": lambda: c.messages.create(
            model=M,
            max_tokens=5,
            messages=ask,
            tools=[
                {
                    "name": "t",
                    "input_schema": {
                        "type": "object",
                        "properties": {"ip": {"type": "string", "enum": [V["ip"]], "description": "server " + V["ip"]}},
                    },
                }
            ],
        ),
        "metadata": lambda: c.messages.create(model=M, max_tokens=5, messages=ask, metadata={"user_id": V["rrn"]}),
        "extra_body": lambda: c.messages.create(
            model=M, max_tokens=5, messages=ask, extra_body={"custom": {"note": "key " + V["key"]}}
        ),
        "header": lambda: c.messages.create(
            model=M,
            max_tokens=5,
            messages=ask,
            extra_headers={"x-note": V["phone"], "anthropic-beta": "x-" + V["acct"]},
        ),
        "query": lambda: c.messages.create(model=M, max_tokens=5, messages=ask, extra_query={"u": V["rrn"]}),
        "model": lambda: c.messages.create(model="claude-" + V["acct"], max_tokens=5, messages=ask),
        "image_b64_text": lambda: c.messages.create(
            model=M,
            max_tokens=5,
            messages=[
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "image",
                            "source": {
                                "type": "base64",
                                "media_type": "image/png",
                                "data": base64.b64encode(("주민번호 " + V["rrn"]).encode()).decode(),
                            },
                        }
                    ],
                }
            ],
        ),
        "pdf_b64": lambda: c.messages.create(
            model=M,
            max_tokens=5,
            messages=[
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "document",
                            "source": {
                                "type": "base64",
                                "media_type": "application/pdf",
                                "data": base64.b64encode(
                                    ("%PDF-1.4\n(phone " + V["phone"] + ") Tj\n%%EOF").encode()
                                ).decode(),
                            },
                        }
                    ],
                }
            ],
        ),
        "url_image": lambda: c.messages.create(
            model=M,
            max_tokens=5,
            messages=[
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "image",
                            "source": {"type": "url", "url": f"https://files.example/scan/{V['rrn']}.png?ip={V['ip']}"},
                        }
                    ],
                }
            ],
        ),
        "thinking_text": lambda: c.messages.create(
            model=M,
            max_tokens=5,
            messages=[
                ask[0],
                {
                    "role": "assistant",
                    "content": [{"type": "thinking", "thinking": "the phone is " + V["phone"], "signature": "x" * 120}],
                },
                {"role": "user", "content": "go on"},
            ],
        ),
        "models_get": lambda: c.models.retrieve(V["rrn"]),
        "assistant_prefill": lambda: c.messages.create(
            model=M, max_tokens=5, messages=[ask[0], {"role": "assistant", "content": "Your phone " + V["phone"]}]
        ),
    }
    for name, fn in tries.items():
        before = len(standin.requests)
        err = None
        try:
            fn()
        except Exception as exc:
            err = f"{type(exc).__name__}: {str(exc)[:150]}"
        new = standin.requests[before:]
        seen = "\n".join(r.path + " " + r.body for r in new)

        leaked = [
            k for k, v in V.items() if v in seen or (re.sub(r"\D", "", v) in re.sub(r"\D", "", seen) and v[0].isdigit())
        ]
        print(f"{name:18} upstream={len(new)} err={err} leaked={leaked}")
