"""The Claude masking proxy with the real `anthropic` SDK, against the local Anthropic stand-in.

Every test checks what matters most: the stand-in (the model) never receives a planted value, and the client
gets the real values back (text, streamed text, tool calls), while thinking blocks survive the round trip.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import anthropic
import httpx
import pytest

from bidradar.core import warehouse
from serving.llm_proxy import AuditWriter, Metrics, ProxyConfig, create_app
from serving.llm_proxy.request_masking import mask_request
from serving.llm_proxy.streaming import SSEDecoder, StreamRewriter
from tests.kit.anthropic import AnthropicStandIn, Reply, Text, Thinking, ToolUse, echo, sign_thinking, stream_events
from tests.kit.asgi import serve_app

KEY = b"llm-proxy-test-key"
PLANTED = {
    "AWSACCOUNT": "123456789012",
    "AWSID": "i-0abcd1234ef567890",
    "AWSKEY": "AKIAIOSFODNN7EXAMPLE",
    "IP": "10.20.30.40",
    "RRN": "900101-1234567",
    "BRN": "220-81-62517",
    "PHONE": "010-1234-5678",
    "EMAIL": "kim.minsu@acme.co.kr",
}
PROMPT = (
    f"계정 {PLANTED['AWSACCOUNT']}의 인스턴스 {PLANTED['AWSID']} (키 {PLANTED['AWSKEY']}, IP {PLANTED['IP']})를 점검해 줘. "
    f"담당자 주민번호 {PLANTED['RRN']}, 사업자 {PLANTED['BRN']}, 연락처 {PLANTED['PHONE']}, {PLANTED['EMAIL']}."
)
TOKEN_RE = re.compile(r"MASK_[A-Z0-9]+_[0-9A-F]{16}")


def assert_nothing_planted(standin: AnthropicStandIn) -> None:
    assert standin.requests, "the stand-in received nothing"
    for request in standin.requests:
        seen = request.body + request.decoded() + request.query
        for kind, value in PLANTED.items():
            assert value not in seen, f"a planted {kind} value reached the model"


class Harness:
    def __init__(self, standin: AnthropicStandIn, proxy_url: str, metrics: Metrics) -> None:
        self.standin = standin
        self.url = proxy_url
        self.metrics = metrics
        self.client = anthropic.Anthropic(api_key="sk-ant-test", base_url=proxy_url, max_retries=0)


@pytest.fixture
def harness() -> Iterator[Harness]:
    standin = AnthropicStandIn(chunk_chars=3)
    metrics = Metrics()
    with standin.serve() as upstream, serve_app(create_app(ProxyConfig(upstream, KEY, metrics=metrics))) as url:
        yield Harness(standin, url, metrics)


def user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": text}


def test_json_answer_is_unmasked_and_the_model_sees_only_tokens(harness: Harness) -> None:
    message = harness.client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=100,
        system=f"You help the ops team of account {PLANTED['AWSACCOUNT']}.",
        messages=[user(PROMPT)],
    )
    assert message.content[0].text == "Echo: " + PROMPT
    assert_nothing_planted(harness.standin)
    sent = harness.standin.messages_requests()[0].json()
    assert "MASK_AWSACCOUNT_" in sent["system"] and "MASK_RRN_" in sent["messages"][0]["content"]


def test_streamed_text_is_unmasked_across_split_tokens(harness: Harness) -> None:
    with harness.client.messages.stream(model="claude-sonnet-4-5", max_tokens=100, messages=[user(PROMPT)]) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    assert "".join(pieces) == "Echo: " + PROMPT
    assert final.content[0].text == "Echo: " + PROMPT
    assert len(pieces) > 10  # streamed in small pieces, not buffered into one
    assert_nothing_planted(harness.standin)


def tool_call_responder(body: dict[str, Any]) -> Reply:
    """Turn 1: a tool call that uses the tokens the model received. Turn 2 (a tool result): say what it said."""
    last = body["messages"][-1]["content"]
    if isinstance(last, list) and any(b.get("type") == "tool_result" for b in last):
        result = next(b for b in last if b.get("type") == "tool_result")
        content = result["content"] if isinstance(result["content"], str) else result["content"][0]["text"]
        return Reply([Text(f"The tool said: {content}")])
    tokens = TOKEN_RE.findall(json.dumps(body["messages"], ensure_ascii=False))
    command = f'aws ec2 describe-instances --instance-ids {tokens[1]} --owner "{tokens[0]}" # 점검'
    return Reply([Text("Let me check."), ToolUse("Bash", {"command": command, "meta": {"ip": tokens[3]}})], "tool_use")


@pytest.mark.parametrize("streamed", [False, True])
def test_tool_call_round_trip_keeps_tokens_consistent(harness: Harness, streamed: bool) -> None:
    harness.standin.responder = tool_call_responder
    tools = [{"name": "Bash", "description": "run a command", "input_schema": {"type": "object"}}]
    history: list[dict[str, Any]] = [user(PROMPT)]

    def ask() -> anthropic.types.Message:
        if streamed:
            with harness.client.messages.stream(
                model="claude-sonnet-4-5", max_tokens=500, tools=tools, messages=history
            ) as s:
                return s.get_final_message()
        return harness.client.messages.create(model="claude-sonnet-4-5", max_tokens=500, tools=tools, messages=history)

    first = ask()
    call = first.content[1]
    assert call.type == "tool_use"
    expected = f'aws ec2 describe-instances --instance-ids {PLANTED["AWSID"]} --owner "{PLANTED["AWSACCOUNT"]}" # 점검'
    assert call.input == {"command": expected, "meta": {"ip": PLANTED["IP"]}}
    # The client runs the tool with the real values and sends the whole history back.
    history.append({"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in first.content]})
    output = f"{PLANTED['AWSID']} running in {PLANTED['AWSACCOUNT']} at {PLANTED['IP']}"
    history.append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": call.id, "content": output}]})
    second = ask()
    assert second.content[0].text == f"The tool said: {output}"
    assert_nothing_planted(harness.standin)
    turn1, turn2 = (r.json() for r in harness.standin.messages_requests())
    # The history masks to the same bytes on every turn (prompt caching), and the tool call the model made comes
    # back to it exactly as it wrote it.
    assert json.dumps(turn2["messages"][0]) == json.dumps(turn1["messages"][0])
    assert (
        TOKEN_RE.findall(turn2["messages"][1]["content"][1]["input"]["command"])
        == TOKEN_RE.findall(json.dumps(turn1["messages"]))[1::-1]
    )
    tool_result = turn2["messages"][2]["content"][0]["content"]
    assert set(TOKEN_RE.findall(tool_result)) <= set(TOKEN_RE.findall(json.dumps(turn1["messages"])))


def thinking_responder(body: dict[str, Any]) -> Reply:
    tokens = TOKEN_RE.findall(json.dumps(body["messages"], ensure_ascii=False))
    return Reply(
        [Thinking(f"The user asks about {tokens[0]} and {tokens[3]}; 점검 필요."), Text(f"About {tokens[0]}.")]
    )


def test_thinking_blocks_keep_their_signature_across_turns(harness: Harness) -> None:
    harness.standin.responder = thinking_responder
    history: list[dict[str, Any]] = [user(PROMPT)]
    thinking = {"type": "enabled", "budget_tokens": 1024}
    with harness.client.messages.stream(
        model="claude-sonnet-4-5", max_tokens=2000, thinking=thinking, messages=history
    ) as stream:
        first = stream.get_final_message()
    block = first.content[0]
    assert block.type == "thinking" and block.signature == sign_thinking(block.thinking)  # Anthropic's shape
    assert "MASK_AWSACCOUNT_" in block.thinking  # the model's own (masked) text: the signature covers it
    assert first.content[1].text == f"About {PLANTED['AWSACCOUNT']}."
    history.append({"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in first.content]})
    history.append(user(f"And {PLANTED['IP']}?"))
    second = harness.client.messages.create(
        model="claude-sonnet-4-5", max_tokens=2000, thinking=thinking, messages=history
    )
    assert second.content[0].type == "thinking"  # the stand-in refuses a thinking block that no longer verifies
    assert_nothing_planted(harness.standin)


def test_a_mid_stream_error_reaches_the_client_unmodified(harness: Harness) -> None:
    harness.standin.responder = lambda body: Reply([Text("Echo: " + PROMPT)], error_after=8)
    with pytest.raises(anthropic.APIStatusError) as raised:  # noqa: SIM117
        with harness.client.messages.stream(
            model="claude-sonnet-4-5", max_tokens=100, messages=[user(PROMPT)]
        ) as stream:
            for _ in stream.text_stream:
                pass
    assert raised.value.body == {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    assert_nothing_planted(harness.standin)


def test_upstream_http_errors_pass_through(harness: Harness) -> None:
    harness.standin.responder = lambda body: Reply([], status=529, error_message="Overloaded: try again later")
    with pytest.raises(anthropic.APIStatusError) as raised:
        harness.client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[user(PROMPT)])
    assert raised.value.status_code == 529
    error = {"type": "overloaded_error", "message": "Overloaded: try again later"}
    assert raised.value.body == {"type": "error", "error": error}


def test_headers_beta_count_tokens_and_models_pass_through(harness: Harness) -> None:
    harness.client.beta.messages.create(
        model="claude-sonnet-4-5", max_tokens=10, messages=[user(PROMPT)], betas=["interleaved-thinking-2025-05-14"]
    )
    sent_headers = {
        "x-api-key": "sk-ant-test",
        "authorization": "Bearer sk-ant-oauth-test",
        "anthropic-version": "2023-06-01",
        "anthropic-beta": "claude-code-20250219,interleaved-thinking-2025-05-14",
    }
    # Claude Code adds ?beta=true (the Python SDK does not): the proxy forwards the query as it is.
    raw = httpx.post(
        f"{harness.url}/v1/messages?beta=true",
        headers=sent_headers,
        json={"model": "m", "max_tokens": 10, "messages": [user(PROMPT)]},
    )
    assert raw.json()["content"][0]["text"] == "Echo: " + PROMPT
    count = harness.client.messages.count_tokens(model="claude-sonnet-4-5", messages=[user(PROMPT)])
    models = harness.client.models.list()
    beta, query, counted, listed = harness.standin.requests
    assert query.path == "/v1/messages" and query.query == "beta=true"
    assert beta.headers["anthropic-beta"] == "interleaved-thinking-2025-05-14"
    assert {name: query.headers[name] for name in sent_headers} == sent_headers
    assert counted.path == "/v1/messages/count_tokens" and count.input_tokens > 0
    assert listed.path == "/v1/models" and [m.id for m in models] == ["claude-standin-1"]
    assert_nothing_planted(harness.standin)


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_a_lone_surrogate_is_masked_around_not_refused(harness: Harness, stream: bool) -> None:
    # JSON may carry "\\ud800" (an emoji cut in half by a client): masking must not fail on it (RE2 cannot encode
    # it) and must still mask what stands beside it; the surrogate goes on, and comes back, as the escape it came as.
    content = json.dumps("x \ud800 " + PROMPT)
    body = f'{{"model":"m","max_tokens":10,"stream":{json.dumps(stream)},"messages":[{{"role":"user","content":{content}}}]}}'
    headers = {"content-type": "application/json", "x-api-key": "sk-ant-test", "anthropic-version": "2023-06-01"}
    raw = httpx.post(f"{harness.url}/v1/messages", content=body.encode(), headers=headers)
    assert raw.status_code == 200, raw.text
    if stream:
        events = [json.loads(line[6:]) for line in raw.text.splitlines() if line.startswith("data: ")]
        text = "".join(e["delta"]["text"] for e in events if e["type"] == "content_block_delta")
    else:
        text = raw.json()["content"][0]["text"]
    assert text == "Echo: x \ud800 " + PROMPT
    assert "\\ud800" in harness.standin.requests[0].body
    assert_nothing_planted(harness.standin)


def test_unmaskable_content_is_refused_and_nothing_is_sent(harness: Harness) -> None:
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}
    with pytest.raises(anthropic.BadRequestError) as raised:
        harness.client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=10,
            messages=[{"role": "user", "content": [image, {"type": "text", "text": PROMPT}]}],
        )
    message = raised.value.body["error"]["message"]
    assert "llm-proxy refused the request" in message and "messages[0].content[0]" in message
    assert harness.standin.requests == []
    response = httpx.post(f"{harness.url}/v1/complete", json={"prompt": PROMPT})
    assert response.status_code == 404 and response.json()["error"]["type"] == "not_found_error"
    assert harness.standin.requests == []


def test_health_and_metrics(harness: Harness) -> None:
    harness.client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[user(PROMPT)])
    assert httpx.get(f"{harness.url}/healthz").json() == {"status": "ok"}
    metrics = httpx.get(f"{harness.url}/metrics").text
    assert 'llm_proxy_requests_total{outcome="ok",route="messages",status="200"} 1.0' in metrics
    assert 'llm_proxy_masked_values_total{type="RRN"} 1.0' in metrics
    assert not any(value in metrics for value in PLANTED.values())


@pytest.mark.postgres
def test_an_audit_row_per_call_without_values(database_url: str) -> None:
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    standin = AnthropicStandIn()
    metrics = Metrics()
    config = ProxyConfig("", KEY, metrics=metrics, audit=AuditWriter(database_url, metrics))
    with standin.serve() as upstream:
        config.upstream_url = upstream
        with serve_app(create_app(config)) as url:
            client = anthropic.Anthropic(api_key="k", base_url=url, max_retries=0)
            client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[user(PROMPT)])
            with client.messages.stream(model="claude-sonnet-4-5", max_tokens=10, messages=[user(PROMPT)]) as stream:
                stream.get_final_message()
    rows = warehouse.read_frame(engine, "SELECT * FROM llm_proxy_calls ORDER BY called_at").to_dicts()
    engine.dispose()
    assert [(r["route"], bool(r["streamed"]), r["outcome"], r["status"]) for r in rows] == [
        ("messages", False, "ok", 200),
        ("messages", True, "ok", 200),
    ]
    for row in rows:
        assert json.loads(row["entity_counts"]) == dict.fromkeys(PLANTED, 1)
        assert row["masked_values"] == len(PLANTED) and row["restored_tokens"] == len(PLANTED)
        assert row["input_tokens"] > 0 and row["output_tokens"] > 0 and row["latency_ms"] > 0
        assert not any(value in str(row) for value in PLANTED.values())


def test_the_stream_rewriter_does_not_depend_on_where_the_network_cuts() -> None:
    """The same answer, cut into chunks of every size from 1 byte up, unmasks to the same events."""
    masked = mask_request({"messages": [user(PROMPT)]}, KEY)
    body = masked.body
    reply = tool_call_responder(body)
    reply.blocks.insert(0, Thinking("생각: " + TOKEN_RE.findall(json.dumps(body))[0]))
    reply.blocks.append(Text("끝: " + " ".join(TOKEN_RE.findall(json.dumps(body)))))
    wire = "".join(
        f"event: {n}\ndata: {json.dumps(p, ensure_ascii=False)}\n\n" for n, p in stream_events(body, reply, 4)
    )
    data = wire.encode()

    def run(size: int) -> list[tuple[str, dict]]:
        decoder, rewriter = SSEDecoder(), StreamRewriter(masked.masker.vault)
        out = "".join(
            piece
            for i in range(0, len(data), size)
            for raw in decoder.feed(data[i : i + size])
            for piece in rewriter.event(raw)
        )
        events = []
        for raw in out.split("\n\n"):
            if raw:
                name, payload = raw.split("\n", 1)
                events.append((name, json.loads(payload.removeprefix("data: "))))
        return events

    reference = run(len(data))
    for size in (1, 2, 3, 7, 64):
        assert run(size) == reference
    text = "".join(p["delta"]["text"] for _, p in reference if p.get("delta", {}).get("type") == "text_delta")
    assert PLANTED["RRN"] in text and "MASK_" not in text
    tool_json = [
        p["delta"]["partial_json"] for _, p in reference if p.get("delta", {}).get("type") == "input_json_delta"
    ]
    assert len(tool_json) == 1 and PLANTED["AWSID"] in json.loads(tool_json[0])["command"]
    thinking = "".join(
        p["delta"]["thinking"] for _, p in reference if p.get("delta", {}).get("type") == "thinking_delta"
    )
    assert thinking.startswith("생각: MASK_")


def test_masking_is_deterministic_and_idempotent() -> None:
    body = {"system": PROMPT, "messages": [user(PROMPT)]}
    once = mask_request(body, KEY).body
    assert mask_request(body, KEY).body == once
    assert mask_request(once, KEY).body == once  # tokens (e.g. in thinking text) are left alone
    assert echo  # the default responder exists for the benchmark
