"""Issue 24's classes, written the ways people write, through the gateway (google-genai against the Gemini
stand-in) and through the proxy (the Anthropic SDK against the Anthropic stand-in): 0 values upstream; every
request field and header of the proxy; numbers as written. Claude Code itself: tests/test_llm_proxy_claude_code.py.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import anthropic
import httpx
import pytest
import sqlalchemy as sa

from bidradar.core import warehouse
from bidradar.masking.gateway import AuditRecord, LLMGateway
from serving.llm_proxy import AuditWriter, Metrics, ProxyConfig, create_app
from tests.kit.anthropic import AnthropicStandIn
from tests.kit.asgi import serve_app
from tests.kit.gemini import GeminiStandIn
from tests.kit.secrets_corpus import secrets_corpus

KEY = b"i" * 32
MODEL = "claude-sonnet-4-5"
DOCS = secrets_corpus()


def _seen_values(bodies: list[str], docs: list[Any]) -> list[str]:
    leaked = []
    for doc in docs:
        for value in doc.planted:
            if any(value in body for body in bodies):
                leaked.append(f"{doc.cls}/{doc.fmt}")
    return leaked


def test_the_corpus_never_reaches_gemini_through_the_gateway() -> None:
    standin = GeminiStandIn()
    audits: list[AuditRecord] = []
    with standin.serve() as url:
        gateway = LLMGateway.from_api_key(
            "k", base_url=url, company="acme", key=KEY, audit=audits.append, max_attempts=1
        )
        for doc in DOCS:
            assert gateway.generate("corpus", doc.text).text == "Echo: " + doc.text
    bodies = [r.body if isinstance(r.body, str) else r.body.decode() for r in standin.requests]
    bodies += [r.decoded() for r in standin.requests]
    assert len(standin.requests) == len(DOCS)
    assert _seen_values(bodies, DOCS) == []
    assert {a.outcome for a in audits} == {"ok"}


@pytest.fixture
def proxy() -> Iterator[tuple[AnthropicStandIn, str]]:
    standin = AnthropicStandIn(chunk_chars=5)
    with standin.serve() as upstream, serve_app(create_app(ProxyConfig(upstream, KEY))) as url:
        yield standin, url


@pytest.mark.parametrize("streamed", [False, True])
def test_the_corpus_never_reaches_anthropic_through_the_proxy(proxy, streamed: bool) -> None:
    standin, url = proxy
    client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
    for start in range(0, len(DOCS), 25):  # 25 documents per request, as one long paste
        chunk = DOCS[start : start + 25]
        text = "\n\n".join(doc.text for doc in chunk)
        messages = [{"role": "user", "content": text}]
        if streamed:
            with client.messages.stream(model=MODEL, max_tokens=50, messages=messages) as stream:
                answer = stream.get_final_message()
        else:
            answer = client.messages.create(model=MODEL, max_tokens=50, messages=messages)
        assert text in answer.content[0].text  # the stand-in echoes; the client gets the real values back
    bodies = [r.body for r in standin.requests] + [r.decoded() for r in standin.requests]
    assert _seen_values(bodies, DOCS) == []


PLANTED_IN_FIELDS = {
    "id": "010-3141-5926",
    "name": "kim.minsu@acme.co.kr",
    "type": "한빛정보통신",
    "role": "사장님 비서",
    "file_id": "900101-1234567",
    "signature": "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    "media_type": "10.20.30.40",
    "key": "hanbit-customer-010-9988-7766",
    "user_id": "user-kim.minsu@acme.co.kr",
    "stop": "AKIAIOSFODNN7EXAMPLE",
    "mcp_url": "hunter2pass",
    "mcp_token": "mcp-secret-token-value-123",
    "container": "02-2125-1234",
    "schema": "220-81-62517",
    "query": "010-5555-4444",
    "header": "x-custom-010-1111-2222",
    "model": "claude-010-7777-8888",
}


def test_every_field_key_query_and_header_is_masked_and_the_audit_holds_no_value(tmp_path) -> None:
    p = PLANTED_IN_FIELDS
    database_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    metrics = Metrics()
    standin = AnthropicStandIn()
    body = {
        "model": p["model"],
        "max_tokens": 20,
        "metadata": {"user_id": p["user_id"]},
        "stop_sequences": [p["stop"]],
        "container": p["container"],
        "mcp_servers": [
            {
                "type": "url",
                "url": f"https://kim:{p['mcp_url']}@mcp.example.com/sse",
                "name": "crm",
                "authorization_token": p["mcp_token"],
            }
        ],
        "output_format": {
            "type": "json_schema",
            "schema": {"type": "object", "properties": {p["schema"]: {"type": "string"}}},
        },
        "tools": [
            {
                "name": "lookup",
                "description": "d",
                "input_schema": {"type": "object", "properties": {p["key"]: {"type": "string"}}},
            }
        ],
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "hello"},
                    {"type": "document", "source": {"type": "file", "file_id": p["file_id"]}},
                ],
            },
            {
                "role": "assistant",
                "content": [
                    {"type": "thinking", "thinking": "t", "signature": p["signature"]},
                    {"type": "tool_use", "id": p["id"], "name": p["name"], "input": {p["key"]: "x"}},
                ],
            },
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": p["id"], "content": "ok"},
                    {"type": p["type"], "text": "x"},
                    {"type": "image", "source": {"type": "url", "url": "https://x", "media_type": p["media_type"]}},
                ],
            },
            {"role": p["role"], "content": "bye"},
        ],
    }
    config = ProxyConfig("", KEY, metrics=metrics, audit=AuditWriter(database_url, metrics))
    with standin.serve() as upstream:
        config.upstream_url = upstream
        with serve_app(create_app(config)) as url:
            response = httpx.post(
                f"{url}/v1/messages?beta=true&ref={urllib.parse.quote(p['query'])}",
                json=body,
                headers={
                    "x-api-key": "sk-ant-test",
                    "anthropic-version": "2023-06-01",
                    "x-customer": p["header"],
                    "user-agent": p["header"],
                },
                timeout=30,
            )
    # The stand-in checks thinking signatures like Anthropic: the planted one was masked, so upstream says 400.
    assert response.status_code == 400 and "signature" in response.text
    request = standin.requests[-1]
    seen = request.body + request.decoded() + request.query + json.dumps(request.headers)
    assert [k for k, v in p.items() if v in seen] == []
    sent = request.json()
    assert sent["messages"][0]["content"][0] == {"type": "text", "text": "hello"}  # API values stay as they are
    assert "beta=true" in request.query
    assert "x-customer" not in request.headers and request.headers.get("anthropic-version") == "2023-06-01"
    assert request.headers.get("x-api-key") == "sk-ant-test"  # auth still reaches upstream
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.text("SELECT * FROM llm_proxy_calls"))]
    engine.dispose()
    assert rows and rows[-1]["model"] is None  # not a model id's shape: not stored
    assert [k for k, v in p.items() if v in json.dumps(rows, default=str)] == []


def test_a_model_id_is_forwarded_and_audited(proxy) -> None:
    standin, url = proxy
    client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
    client.messages.create(model=MODEL, max_tokens=5, messages=[{"role": "user", "content": "hi"}])
    assert standin.requests[-1].json()["model"] == MODEL


@pytest.mark.parametrize("number", ["1E400", "-1e999", "NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_a_400_and_nothing_is_sent(proxy, number: str) -> None:
    standin, url = proxy
    raw = '{"model": "%s", "max_tokens": 5, "temperature": %s, "messages": [{"role": "user", "content": "hi"}]}'
    response = httpx.post(
        f"{url}/v1/messages", content=raw % (MODEL, number), headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert (
        response.json()["error"]["type"] == "invalid_request_error" and "finite" in response.json()["error"]["message"]
    )
    assert standin.requests == []


def test_numbers_reach_upstream_as_written(proxy) -> None:
    standin, url = proxy
    raw = (
        '{"model": "%s", "max_tokens": 5, "temperature": -0, "top_p": 1.10, "metadata": {"user_id": "u"},'
        ' "tools": [{"name": "t", "input_schema": {"type": "object", "properties": {"n": {"type": "number",'
        ' "minimum": -0.0, "maximum": 1e5, "default": 12345678901234567890}}}}],'
        ' "messages": [{"role": "user", "content": "hi"}]}'
    ).replace("%s", MODEL)
    headers = {"content-type": "application/json", "x-api-key": "sk-ant-test"}
    response = httpx.post(f"{url}/v1/messages", content=raw, headers=headers)
    assert response.status_code == 200, response.text
    sent = standin.requests[-1].body
    for written in (
        '"temperature":-0,',
        '"top_p":1.10,',
        '"minimum":-0.0,',
        '"maximum":1e5,',
        ":12345678901234567890}",
    ):
        assert written in sent, written


def test_large_bodies_are_masked_in_worker_processes_the_same_way() -> None:
    """Bodies over the inline limit go to the process pool: same masking, same unmasking of the answer."""
    standin = AnthropicStandIn()
    config = ProxyConfig("", KEY, inline_limit_bytes=1_000, mask_processes=1)
    text = "\n\n".join(doc.text for doc in DOCS[:40])
    with standin.serve() as upstream:
        config.upstream_url = upstream
        with serve_app(create_app(config)) as url:
            client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
            answer = client.messages.create(model=MODEL, max_tokens=50, messages=[{"role": "user", "content": text}])
            refused = httpx.post(
                f"{url}/v1/messages",
                content=b'{"model": "%s", "max_tokens": 5, "top_p": 1E400, "messages": [{"role": "user", "content": "%s"}]}'
                % (MODEL.encode(), b"x" * 2000),
                headers={"content-type": "application/json", "x-api-key": "k"},
            )
    assert text in answer.content[0].text
    bodies = [r.body for r in standin.requests] + [r.decoded() for r in standin.requests]
    assert len(standin.requests) == 1 and _seen_values(bodies, DOCS[:40]) == []
    assert refused.status_code == 400 and "finite" in refused.json()["error"]["message"]
