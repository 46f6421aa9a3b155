"""Stop 33, helper mproxy: every field of a Messages request, sent by the real `anthropic` SDK through the proxy to
the Anthropic stand-in (issue 24, "The Claude proxy forwards in clear"; Build 1 and 4).

Each planted value is made up for these tests (phone numbers, e-mail addresses, keys of the providers' public
shapes with random characters): none is real. What "the model" received is the stand-in's record of the raw body,
its decoded form, the query string and the headers.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import time
from collections.abc import Iterator
from typing import Any

import anthropic
import pytest
import sqlalchemy as sa

from bidradar.core import warehouse
from bidradar.masking import Masker
from bidradar.masking.policy import mask_outgoing
from serving.llm_proxy import ProxyConfig, create_app
from serving.llm_proxy.memory import RememberedStore, hashed_candidates, value_digest
from serving.llm_proxy.observability import AuditWriter, Metrics
from serving.llm_proxy.request_masking import anthropic_opaque, mask_request
from tests.kit.anthropic import AnthropicStandIn, RecordedRequest, sign_thinking
from tests.kit.asgi import serve_app

KEY = b"p" * 32
MODEL = "claude-sonnet-4-5"
_TOKEN = re.compile(r"MASK_[A-Z0-9]+_[0-9A-F]{16}")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AnthropicStandIn, anthropic.Anthropic, str]]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('audit') / 'audit.sqlite'}"
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    engine.dispose()
    metrics = Metrics()
    standin = AnthropicStandIn()
    config = ProxyConfig("", KEY, metrics=metrics, audit=AuditWriter(database_url, metrics))
    with standin.serve() as upstream:
        config.upstream_url = upstream
        with serve_app(create_app(config)) as url:
            yield standin, anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0), database_url


def _seen(request: RecordedRequest) -> str:
    return request.body + request.decoded() + request.query + json.dumps(request.headers, ensure_ascii=False)


def _audit_rows(database_url: str, calls: int) -> list[dict[str, Any]]:
    """The audit table once it holds `calls` rows (the proxy writes it from a background thread)."""
    engine = warehouse.make_engine(database_url)
    deadline = time.monotonic() + 20
    while True:
        with engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(sa.text("SELECT * FROM llm_proxy_calls ORDER BY rowid"))]
        if len(rows) >= calls or time.monotonic() > deadline:
            engine.dispose()
            return rows
        time.sleep(0.05)


# Each value where the issue found the proxy forwarding in clear. Values a detector knows (a phone, an e-mail) where
# the field is masked like text; values no detector knows (a company name, a made-up word) where the field is
# validated (an enumeration, an id's shape, a model id's shape) and so tokenised whole when it is not valid.
PLANTED = {
    "tool_use.id": "toolu_010-4821-7730",  # an Anthropic prefix, then a phone number
    "tool.name": "lee.seoyeon@hanbit-data.co.kr",
    "block.type": "한빛데이터_고객명단",
    "versioned.type": "hanbitcustomer_20250101",
    "message.role": "고객센터 상담원",
    "file_id": "file_9a-kim-jiho-0104",
    "media_type": "10.44.201.17",
    "schema.property": "jiho.kim@hanbit-data.co.kr",
    "metadata.key": "010-7311-5528",
    "metadata.user_id": "park.minji.4471",
    "stop_sequences": "AKIAQ7RZK4M2WX5TB3NP",
    "mcp.url_password": "Tz8wq3Lm2Vx9Kp",
    "mcp.authorization_token": "mcp_live_6d1f0e4c2b9a8f7e",
    "container": "031-8845-2107",
    "output_format.property": "010-6402-1193",
    "output_format.enum": "minji.park@hanbit-data.co.kr",
    "future.field": "010-2290-8416",
    "future.key": "seo.jun@hanbit-data.co.kr",
    "query.value": "010-3357-9024",
    "query.name": "kang.yuna@hanbit-data.co.kr",
    "header.custom": "010-9154-6630",
    "header.beta": "hanbit-customer-yuna",
    "model": "claude-hanbit-yuna",
}


def _every_field_request() -> dict[str, Any]:
    p = PLANTED
    return {
        "model": p["model"],
        "max_tokens": 64,
        "metadata": {"user_id": p["metadata.user_id"], p["metadata.key"]: "tier-2"},
        "stop_sequences": [p["stop_sequences"], "\n\nHuman:"],
        "tools": [
            {
                "name": p["tool.name"],
                "description": "고객 조회",
                "input_schema": {"type": "object", "properties": {p["schema.property"]: {"type": "string"}}},
            },
            {"type": p["versioned.type"], "name": "bash"},
        ],
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "계약 현황을 알려 주세요"},
                    {"type": "document", "source": {"type": "file", "file_id": p["file_id"]}},
                ],
            },
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": p["tool_use.id"], "name": p["tool.name"], "input": {}}],
            },
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": p["tool_use.id"], "content": "2건"},
                    {"type": p["block.type"], "text": "참고"},
                    {
                        "type": "image",
                        "source": {"type": "url", "url": "https://example.com/a.png", "media_type": p["media_type"]},
                    },
                ],
            },
            {"role": p["message.role"], "content": "확인했습니다"},
            {"role": "user", "content": "요약해 주세요"},
        ],
    }


def _every_field_extras() -> dict[str, Any]:
    p = PLANTED
    return {
        "extra_body": {
            "mcp_servers": [
                {
                    "type": "url",
                    "url": f"https://ops:{p['mcp.url_password']}@mcp.hanbit-data.example/sse",
                    "name": "crm",
                    "authorization_token": p["mcp.authorization_token"],
                }
            ],
            "container": p["container"],
            "output_format": {
                "type": "json_schema",
                "schema": {
                    "type": "object",
                    "properties": {
                        p["output_format.property"]: {"type": "string", "enum": [p["output_format.enum"], "none"]}
                    },
                },
            },
            # A field the API may add later: walked and masked like everything else, never forwarded as it is.
            "context_hints": {"caller": p["future.field"], p["future.key"]: ["a", "b"]},
        },
        "extra_query": {"beta": "true", "ref": p["query.value"], p["query.name"]: "1"},
        "extra_headers": {
            "x-customer-phone": p["header.custom"],
            "anthropic-beta": f"interleaved-thinking-2025-05-14,{p['header.beta']},claude-code-20250219",
        },
    }


@pytest.mark.parametrize("streamed", [False, True])
def test_every_field_sent_by_the_sdk_reaches_upstream_masked(proxy, streamed: bool) -> None:
    standin, client, database_url = proxy
    before = len(standin.requests)
    request, extras = _every_field_request(), _every_field_extras()
    if streamed:
        with client.messages.stream(**request, **extras) as stream:
            answer = stream.get_final_message()
    else:
        answer = client.messages.create(**request, **extras)
    assert answer.content[0].text == "Echo: 요약해 주세요"
    received = standin.requests[before:]
    assert len(received) == 1
    seen = _seen(received[0])
    assert [place for place, value in PLANTED.items() if value in seen] == []
    sent = received[0].json()
    # What the API defines stays as it is: enumerated values, a known beta flag, the auth, `beta=true`.
    assert sent["messages"][0]["content"][0] == {"type": "text", "text": "계약 현황을 알려 주세요"}
    assert [m["role"] for m in sent["messages"]][:3] == ["user", "assistant", "user"]
    assert sent["output_format"]["type"] == "json_schema" and sent["max_tokens"] == 64
    headers = received[0].headers
    assert headers["anthropic-beta"] == "interleaved-thinking-2025-05-14,claude-code-20250219"
    auth = headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ")
    assert auth == "sk-ant-test" and "x-customer-phone" not in headers  # the SDK sends one or the other
    assert not [name for name in headers if name.startswith("x-stainless")]  # the SDK's own headers: dropped
    assert "beta=true" in received[0].query
    # The id and the tool_result that answers it still pair (same token); the bad enumerated values are tokens.
    tool_use, tool_result = sent["messages"][1]["content"][0], sent["messages"][2]["content"][0]
    assert _TOKEN.fullmatch(tool_use["id"]) and tool_result["tool_use_id"] == tool_use["id"]
    for value in (sent["model"], sent["messages"][3]["role"], sent["messages"][2]["content"][1]["type"]):
        assert _TOKEN.fullmatch(value), value
    rows = _audit_rows(database_url, len(standin.requests))
    assert (
        len(rows) == len(standin.requests) and rows[-1]["model"] is None
    )  # not a model id: not stored, and no value anywhere in the table
    assert [place for place, value in PLANTED.items() if value in json.dumps(rows, default=str)] == []


DOTENV = (
    "# .env of the staging box (made-up keys)\n"
    "OPENAI_API_KEY=sk-proj-Qw7eRt2yUi9oPa4sDf6gHj1kLz8xCv3bNm5QwErTy0uIoPa2sDf\n"
    "ANTHROPIC_API_KEY=sk-ant-api03-" + "Hq4Lz9Wm2Xv7Rt5Np8Ks3Jd6Fb1Gc0Ye" * 3 + "-Tq8Wm3AA\n"
    "STRIPE_SECRET_KEY=sk_live_51Jx4Rz8Kq2Wm7Vt3Np9Ls6Hd1Fb5Gc0Ye8Tq4\n"
    "GITHUB_TOKEN=ghp_Zr8Kq2Wm7Vt3Np9Ls6Hd1Fb5Gc0Ye8Tq4Xw1\n"
    "SENDGRID_API_KEY=SG.Vt3Np9Ls6Hd1Fb5Gc0Ye8T.q4Xw1Zr8Kq2Wm7Vt3Np9Ls6Hd1Fb5Gc0Ye8Tq4Xw1Zr8\n"
    "DEBUG=false\n"
    "PORT=8080\n"
)
DOTENV_KEYS = [line.split("=", 1)[1] for line in DOTENV.splitlines()[1:6]]


@pytest.mark.parametrize("place", ["user", "tool_result"])
def test_a_pasted_dotenv_with_five_keys_is_masked_line_by_line_not_refused(proxy, place: str) -> None:
    """Each key its own token, each name and the ordinary lines kept: the model can still read the file."""
    standin, client, _ = proxy
    before = len(standin.requests)
    if place == "user":
        messages: list[dict[str, Any]] = [{"role": "user", "content": f"이 설정 파일 검토해 주세요\n{DOTENV}"}]
    else:
        messages = [
            {"role": "user", "content": ".env 파일 읽어 줘"},
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "toolu_01Qx7Rk2", "name": "Read", "input": {}}],
            },
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01Qx7Rk2", "content": DOTENV}]},
        ]
    client.messages.create(model=MODEL, max_tokens=50, messages=messages)
    received = standin.requests[before:]
    assert len(received) == 1, "the proxy refused the request"
    seen = _seen(received[0])
    assert [key for key in DOTENV_KEYS if key in seen] == []
    text = received[0].json()["messages"][-1]["content"]
    text = text if isinstance(text, str) else text[0]["content"]
    lines = text.splitlines()[-7:]
    names = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "STRIPE_SECRET_KEY", "GITHUB_TOKEN", "SENDGRID_API_KEY"]
    for line, name in zip(lines, names, strict=False):
        assert line.startswith(name + "=MASK_") and _TOKEN.fullmatch(line.split("=", 1)[1]), line
    assert lines[5:] == ["DEBUG=false", "PORT=8080"]


# --- enumerated fields, ids, opaque values and model ids, field by field (mask_request, no HTTP) -------------------


def _masked(request: dict[str, Any]) -> dict[str, Any]:
    return mask_request(json.dumps(request).encode(), KEY).body


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("text", True),
        ("tool_use", True),
        ("bash_20250124", True),
        ("text_editor_20250728", True),
        ("web_search_20250305", True),
        ("code_execution_20250825", True),
        ("Text", False),
        ("texts", False),
        ("hanbit_kim_20250101", False),
        ("customer-list", False),
    ],
)
def test_a_type_is_kept_only_when_the_api_defines_it(value: str, kept: bool) -> None:
    body = _masked({"model": MODEL, "tools": [{"type": value, "name": "t"}], "messages": []})
    assert (body["tools"][0]["type"] == value) is kept
    if not kept:
        assert _TOKEN.fullmatch(body["tools"][0]["type"])


@pytest.mark.parametrize(
    ("model", "kept"),
    [
        ("claude-sonnet-4-5", True),
        ("claude-sonnet-4-5-20250929", True),
        ("claude-opus-4-1-20250805", True),
        ("claude-haiku-4-5", True),
        ("claude-3-5-sonnet-20241022", True),
        ("claude-3-7-sonnet-latest", True),
        ("claude-3-5-sonnet-v2@20241022", True),
        ("claude-2.1", True),
        ("claude-instant-1.2", True),
        ("claude-kim-minsu", False),
        ("claude-sonnet-4-5-hanbit", False),
        ("claude-010-7731-2284", False),
        ("gpt-4o", False),
    ],
)
def test_a_model_is_kept_only_with_the_shape_of_a_model_id(model: str, kept: bool) -> None:
    masked = mask_request(json.dumps({"model": model, "messages": []}).encode(), KEY)
    assert (masked.body["model"] == model) is kept and (masked.model == model) is kept
    if not kept:
        assert _TOKEN.fullmatch(masked.body["model"]) and masked.model is None


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("toolu_01T1x1fJ34qAmk2tNTrN7Up6", True),
        ("srvtoolu_014hJH82Qum7Td6UV8gDXThB", True),
        ("toolu_vrtx_01Hq8Zt2eZvKYlo2C9aBcDe", True),
        ("toolu_010-4821-7730", False),
        ("toolu_kim_minsu_hanbit", False),
        ("call_8f2a", False),
    ],
)
def test_an_id_is_kept_only_with_the_shape_anthropic_issues(value: str, kept: bool) -> None:
    body = _masked(
        {
            "model": MODEL,
            "messages": [
                {"role": "assistant", "content": [{"type": "tool_use", "id": value, "name": "t", "input": {}}]},
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": value, "content": "ok"}]},
            ],
        }
    )
    sent_id = body["messages"][0]["content"][0]["id"]
    assert (sent_id == value) is kept
    assert body["messages"][1]["content"][0]["tool_use_id"] == sent_id  # the pair still matches
    if not kept:
        assert _TOKEN.fullmatch(sent_id)


_SIGNATURE = sign_thinking("생각")  # the stand-in signs like Anthropic: base64 of a few hundred binary bytes


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        (_SIGNATURE, True),
        (base64.b64encode(os.urandom(600)).decode(), True),
        ("HanbitDataCustomerListParkMinjiKangYunaSeoJun", False),  # base64 letters, but a phrase
        (base64.b64encode(b"password=Tz8wq3Lm2Vx9Kp; user=ops; " * 4).decode(), False),  # base64 of a text
        ("ghp_Zr8Kq2Wm7Vt3Np9Ls6Hd1Fb5Gc0Ye8Tq4Xw1", False),
        (base64.b64encode(b"\x30\x82\x04\xa4\x02\x01\x00" + os.urandom(300)).decode(), False),  # a DER key body
    ],
)
def test_a_signature_is_kept_only_with_the_shape_of_anthropics(value: str, kept: bool) -> None:
    assert anthropic_opaque(value) is kept
    thinking = {"type": "thinking", "thinking": "생각", "signature": value}
    redacted = {"type": "redacted_thinking", "data": value}
    body = _masked({"model": MODEL, "messages": [{"role": "assistant", "content": [thinking, redacted]}]})
    blocks = body["messages"][0]["content"]
    assert (blocks[0]["signature"] == value) is kept and (blocks[1]["data"] == value) is kept
    if not kept:
        assert _TOKEN.fullmatch(blocks[0]["signature"]) and _TOKEN.fullmatch(blocks[1]["data"])


def test_a_real_thinking_signature_survives_the_round_trip(proxy) -> None:
    """Claude Code sends the assistant's thinking back with Anthropic's signature: it must arrive unchanged, or the
    API refuses the turn (the stand-in checks it as Anthropic does)."""
    standin, client, _ = proxy
    thinking = "고객 전화 MASK_PHONE_0123456789ABCDEF 는 이미 마스킹됨"
    history = [
        {"role": "user", "content": "질문"},
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": thinking, "signature": sign_thinking(thinking)},
                {"type": "text", "text": "답"},
            ],
        },
        {"role": "user", "content": "다음 질문"},
    ]
    answer = client.messages.create(
        model=MODEL, max_tokens=2000, thinking={"type": "enabled", "budget_tokens": 1024}, messages=history
    )
    assert answer.content[0].text == "Echo: 다음 질문"
    assert standin.requests[-1].json()["messages"][1]["content"][0]["signature"] == sign_thinking(thinking)


def test_the_audit_table_keeps_a_model_id_and_nothing_else_verbatim(proxy) -> None:
    standin, client, database_url = proxy
    client.messages.create(
        model="claude-sonnet-4-5-20250929",
        max_tokens=5,
        metadata={"user_id": "choi.dahye.2231"},
        messages=[{"role": "user", "content": "연락처 010-5581-3307 로 안내"}],
    )
    assert standin.requests[-1].json()["model"] == "claude-sonnet-4-5-20250929"
    rows = _audit_rows(database_url, len(standin.requests))
    assert len(rows) == len(standin.requests) and rows[-1]["model"] == "claude-sonnet-4-5-20250929"
    assert "choi.dahye" not in json.dumps(rows, default=str) and "010-5581-3307" not in json.dumps(rows, default=str)


# --- damage found on the way: one token must not swallow the text around a secret ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A_KEY=Qx7Rk2Wm9Vt3\nB=Np8Ls6Hd1Fb5\nhello world\n",  # a .env line after a key: not the key's wrapped tail
        "STRIPE_SECRET_KEY=sk_live_51Jx4Rz8Kq2Wm7Vt3Np9Ls6Hd1Fb5Gc0Ye8Tq4\nGITHUB_TOKEN=ghp_Zr8Kq2Wm7Vt3Np9Ls6Hd1Fb5Gc0Ye8Tq4Xw1\n",
    ],
)
def test_each_line_of_a_dotenv_keeps_its_own_name(text: str) -> None:
    """Every `NAME=` of the input is still there after masking (a token never spans two lines of a .env)."""
    masked = mask_outgoing(Masker(KEY), text, "a test").text
    names = [line.split("=", 1)[0] for line in text.splitlines() if "=" in line]
    assert [line.split("=", 1)[0] for line in masked.splitlines() if "=" in line] == names
    assert "hello world" in masked or "hello world" not in text


TRUNCATED_THEN_KEY = (
    "키 일부만 붙여넣음:\n"
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oPuVqj2nL6yDoAoGCCqGSM49\n"
    "AwEHoUQDQgAEx8nH0rW3bJq1KzU6Ym3pLq7cVbZ2N4e5sE\n"
    "이후 설명 문단입니다. 입찰 마감은 3월 10일입니다.\n"
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEAx8nH0rW3bJq1KzU6Ym3pLq7cVbZ2N4e5sE2xQ9Lk8Jd0Zy7V\n"
    "-----END RSA PRIVATE KEY-----\n"
)


def test_a_truncated_key_block_does_not_take_the_text_up_to_the_next_key() -> None:
    """A key pasted without its END line, then prose, then a whole key: two tokens, the prose between them kept
    (gitleaks' private-key rule and our block rule both ran to the next END: 194,002 characters of a 2 MB prompt
    in one token, bench.bench_masking_policy's prompt)."""
    masked = mask_outgoing(Masker(KEY), TRUNCATED_THEN_KEY, "a test").text
    assert "이후 설명 문단입니다. 입찰 마감은 3월 10일입니다.\n" in masked
    assert len(re.findall(r"MASK_PRIVATEKEY_[0-9A-F]{16}", masked)) == 2
    assert "MHcCAQEE" not in masked and "MIIEowIB" not in masked


@pytest.mark.parametrize(("model_id", "kept"), [("claude-sonnet-4-5-20250929", True), ("claude-kim.minji-0104", False)])
def test_a_model_id_in_the_path_of_models_is_kept_only_with_a_model_ids_shape(proxy, model_id: str, kept: bool) -> None:
    """`GET /v1/models/<id>` (the SDK's `models.retrieve`): the path is a string that goes upstream too."""
    standin, client, _ = proxy
    before = len(standin.requests)
    with contextlib.suppress(anthropic.APIStatusError):  # the stand-in may not know the id: what it saw counts
        client.models.retrieve(model_id, extra_query={"ref": "010-4417-2093"})
    received = standin.requests[before:]
    assert len(received) == 1
    assert (model_id in received[0].path) is kept and "010-4417-2093" not in received[0].query
    if not kept:
        assert _TOKEN.fullmatch(received[0].path.rsplit("/", 1)[1])


# --- (c) values masked only by their context stay masked after the proxy restarts ---------------------------------

RESTART_CASES = [  # (first turn, the value masked only because of its label)
    ("서버 비밀번호: Seoul2024!dream 입니다", "Seoul2024!dream"),
    ("주민번호 앞자리 850304 뒷자리 2047713", "2047713"),
    ('설정은 {"db_password": "hanbit#Mapo77"} 입니다', "hanbit#Mapo77"),
]


def _proxy_config(upstream: str, key: bytes, inline: int, store: RememberedStore | None) -> ProxyConfig:
    return ProxyConfig(upstream, key, inline_limit_bytes=inline, remembered_store=store)


@pytest.mark.parametrize("path", ["threads", "processes"])
def test_a_value_masked_by_its_context_stays_masked_after_a_restart(tmp_path, path: str) -> None:
    """Turn 1 labels each value; the proxy stops; a new one (same key, same warehouse) gets the values bare, as a
    compacted history or a new session pastes them: masked, with the tokens the first proxy gave them bare. The table holds no value. A proxy
    without the store lets them through (what the test would miss)."""
    database_url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    engine = warehouse.make_engine(database_url)
    warehouse.migrate(engine)
    key = KEY + path.encode()
    inline = 256 * 1024 if path == "threads" else 0  # 0: every body in the worker processes
    standin = AnthropicStandIn()
    bare = "이전 대화 요약. 값들: " + ", ".join(f"{value} 확인" for _, value in RESTART_CASES)
    with standin.serve() as upstream:
        with serve_app(create_app(_proxy_config(upstream, key, inline, RememberedStore(database_url)))) as url:
            client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
            for first_turn, _ in RESTART_CASES:
                client.messages.create(model=MODEL, max_tokens=20, messages=[{"role": "user", "content": first_turn}])
            client.messages.create(model=MODEL, max_tokens=20, messages=[{"role": "user", "content": bare}])
        tokens = set(_TOKEN.findall(standin.requests[-1].body))  # the values' tokens before the restart
        assert len(tokens) == len(RESTART_CASES)
        with engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(sa.text("SELECT * FROM llm_proxy_remembered"))]
        assert len(rows) >= len(RESTART_CASES)
        assert [v for _, v in RESTART_CASES if v in json.dumps(rows, default=str, ensure_ascii=False)] == []
        for store in (RememberedStore(database_url), None):  # restarted: with its warehouse, then without
            with serve_app(create_app(_proxy_config(upstream, key, inline, store))) as url:
                client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
                answer = client.messages.create(
                    model=MODEL, max_tokens=20, messages=[{"role": "user", "content": bare}]
                )
            seen = standin.requests[-1].body + standin.requests[-1].decoded()
            leaked = [value for _, value in RESTART_CASES if value in seen]
            if store is not None:
                assert leaked == [] and set(_TOKEN.findall(standin.requests[-1].body)) == tokens
                assert answer.content[0].text == "Echo: " + bare  # unmasked for the client as before
            else:
                assert leaked == [value for _, value in RESTART_CASES]
    engine.dispose()


def test_the_candidate_words_of_a_text_are_what_people_write_around_a_value() -> None:
    text = '값은 Seoul2024!dream입니다. pw=hanbit#Mapo77, "Tz8wq3Lm2Vx9Kp". (2047713) sunshine 1234'
    found = {text[s:e] for s, e in hashed_candidates(text)}
    assert {"Seoul2024!dream", "hanbit#Mapo77", "Tz8wq3Lm2Vx9Kp", "2047713"} <= found
    assert not {"sunshine", "1234", "값은"} & found
    assert value_digest(b"k" * 32, "Seoul2024!dream") != value_digest(b"j" * 32, "Seoul2024!dream")  # keyed
