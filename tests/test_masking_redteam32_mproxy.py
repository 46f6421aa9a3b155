"""Session 32's proxy structure classes (issue 24, attack findings P3, P4): a value whose only label is where it sits
in the request — its JSON key, a `name` sibling, the array element before it, a schema property, the text block
before it — never reaches the model. The real `anthropic` SDK talks to the proxy, the proxy to the Anthropic
stand-in, which records what "the model" received; requests are shaped as Claude Code and MCP clients send them
(assistant tool_use history, tool results, system blocks, documents, tool schemas). Ordinary structured inputs
(file paths, commands, schemas, name/value pairs of settings) pass unchanged."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from typing import Any

import anthropic
import pytest

from bidradar.masking import Masker
from bidradar.masking.policy import mask_outgoing
from serving.llm_proxy import ProxyConfig, create_app
from serving.llm_proxy.request_masking import mask_request
from tests.kit.anthropic import AnthropicStandIn, Reply, Text, ToolUse, last_user_text
from tests.kit.asgi import serve_app

KEY = b"m" * 32
MODEL = "claude-sonnet-4-5"
PASSWORD = "s3cr3tPassw0rd"
API_KEY = "DNxril3RavGD5MfvJ7NScUykT8C8UBkk"
PASSPHRASE = "correct horse battery 7 staple"
_TOKEN = re.compile(r"MASK_[A-Z]+_[0-9A-F]{16}")


@pytest.fixture(scope="module")
def proxy() -> Iterator[tuple[AnthropicStandIn, anthropic.Anthropic]]:
    standin = AnthropicStandIn(chunk_chars=7)
    with standin.serve() as upstream, serve_app(create_app(ProxyConfig(upstream, KEY))) as url:
        yield standin, anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)


def _send(proxy: tuple[AnthropicStandIn, anthropic.Anthropic], request: dict[str, Any]) -> str:
    """What the stand-in received for `request` (raw body and its decoded form)."""
    standin, client = proxy
    before = len(standin.requests)
    client.messages.create(model=MODEL, max_tokens=50, **request)
    received = standin.requests[before:]
    assert len(received) == 1, "the proxy refused or did not forward the request"
    return received[0].body + received[0].decoded()


def tool_history(name: str, tool_input: dict[str, Any], block_type: str = "tool_use") -> dict[str, Any]:
    """Claude Code's later turn: the assistant's earlier tool call is sent back with its result."""
    call: dict[str, Any] = {"type": block_type, "id": "toolu_01AbCdEfGhIjKlMn", "name": name, "input": tool_input}
    if block_type == "mcp_tool_use":
        call["server_name"] = "ops"
    result = {"type": "tool_result", "tool_use_id": "toolu_01AbCdEfGhIjKlMn", "content": "done"}
    return {
        "system": [{"type": "text", "text": "You are Claude Code, Anthropic's official CLI for Claude."}],
        "tools": [{"name": name, "description": "runs it", "input_schema": {"type": "object"}}],
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "접속해서 확인해 줘"}]},
            {"role": "assistant", "content": [call]},
            {"role": "user", "content": [result, {"type": "text", "text": "계속"}]},
        ],
    }


# --- P3: a secret under a secret-named key, a name sibling, a flag, a schema property ---------------------------

SECRET_INPUTS: list[tuple[str, dict[str, Any], str]] = [
    ("key", {"password": PASSWORD}, PASSWORD),
    ("nested", {"db": {"host": "db.internal", "user": "bid", "password": PASSWORD}}, PASSWORD),
    ("passphrase", {"auth": {"username": "bid", "password": PASSPHRASE}}, PASSPHRASE),
    ("api_key", {"url": "https://api.acme.kr/v1", "api_key": API_KEY}, API_KEY),
    ("secret", {"client_id": "bidradar", "client_secret": API_KEY}, API_KEY),
    ("token", {"token": API_KEY}, API_KEY),
    ("header", {"method": "GET", "headers": {"X-Api-Key": API_KEY, "Accept": "application/json"}}, API_KEY),
    ("env dict", {"command": "npm start", "env": {"NODE_ENV": "production", "DB_PASSWORD": PASSWORD}}, PASSWORD),
    ("korean key", {"서버": "10.0.0.5", "계정": "root", "비밀번호": PASSWORD}, PASSWORD),
    (
        "k8s env",
        {"env": [{"name": "LOG_LEVEL", "value": "debug"}, {"name": "DB_PASSWORD", "value": PASSWORD}]},
        PASSWORD,
    ),
    ("key/value", {"settings": [{"key": "smtp.password", "value": PASSWORD}]}, PASSWORD),
    (
        "cloudformation",
        {"StackName": "bid", "Parameters": [{"ParameterKey": "DBPassword", "ParameterValue": PASSWORD}]},
        PASSWORD,
    ),
    (
        "beanstalk",
        {
            "OptionSettings": [
                {
                    "Namespace": "aws:elasticbeanstalk:application:environment",
                    "OptionName": "API_TOKEN",
                    "Value": API_KEY,
                }
            ]
        },
        API_KEY,
    ),
    ("argv --password", {"argv": ["psql", "-h", "db.internal", "--password", PASSWORD]}, PASSWORD),
    ("argv --token", {"args": ["deploy", "--token", API_KEY, "--prod"]}, API_KEY),
    ("argv --api-key=", {"args": ["upload", f"--api-key={API_KEY}"]}, API_KEY),
    ("yaml-ish value", {"config": {"redis": {"auth": {"password": f"{PASSWORD}!"}}}}, f"{PASSWORD}!"),
    ("field/data", {"fields": [{"field": "password", "data": PASSWORD}, {"field": "user", "data": "bid"}]}, PASSWORD),
    ("parent key", {"DB_PASSWORD": {"value": PASSWORD, "source": "vault"}}, PASSWORD),
    ("parent key alone", {"credentials": {"password": {"plain": PASSWORD}}}, PASSWORD),
    ("list of pairs", {"pairs": [["user", "bid"], ["password", PASSWORD]]}, PASSWORD),
    ("k8s secret", {"apiVersion": "v1", "kind": "Secret", "stringData": {"db": "hunter2hunter"}}, "hunter2hunter"),
    ("k8s secret b64", {"kind": "Secret", "data": {"tls.key": "aHVudGVyMmh1bnRlcg=="}}, "aHVudGVyMmh1bnRlcg=="),
]


@pytest.mark.parametrize(("case", "tool_input", "secret"), SECRET_INPUTS, ids=[c[0] for c in SECRET_INPUTS])
def test_a_secret_labelled_by_its_structure_in_a_tool_call_never_reaches_the_model(
    proxy, case: str, tool_input: dict[str, Any], secret: str
) -> None:
    for block_type in ("tool_use", "mcp_tool_use"):
        seen = _send(proxy, tool_history("db_connect", tool_input, block_type))
        assert secret not in seen, f"{case}: the secret reached the model from a {block_type} input"


def test_a_secret_in_a_tool_schema_default_example_or_enum_never_reaches_the_model(proxy) -> None:
    schema = {
        "type": "object",
        "properties": {
            "password": {"type": "string", "default": PASSWORD},
            "api_key": {"type": "string", "examples": [API_KEY]},
            "db": {
                "type": "object",
                "properties": {"DB_PASSWORD": {"type": "string", "enum": [PASSWORD + "2"], "const": PASSWORD + "3"}},
            },
        },
    }
    request = {
        "tools": [{"name": "db_connect", "description": "connects", "input_schema": schema}],
        "messages": [{"role": "user", "content": "DB에 연결해 줘"}],
    }
    seen = _send(proxy, request)
    for value in (PASSWORD, API_KEY, PASSWORD + "2", PASSWORD + "3"):
        assert value not in seen


def test_a_secret_under_a_secret_key_in_metadata_or_tool_examples_never_reaches_the_model(proxy) -> None:
    request = {
        "tools": [
            {
                "name": "http_get",
                "description": "GET a URL",
                "input_schema": {"type": "object"},
                "input_examples": [{"url": "https://api.acme.kr", "token": API_KEY}],
            }
        ],
        "messages": [{"role": "user", "content": "호출해 줘"}],
    }
    standin, client = proxy
    before = len(standin.requests)
    # `input_examples` is a beta field: sent as an extra body field, as a client may.
    client.messages.create(
        model=MODEL, max_tokens=50, messages=request["messages"], extra_body={"tools": request["tools"]}
    )
    seen = standin.requests[before].body + standin.requests[before].decoded()
    assert API_KEY not in seen


def test_the_same_secret_gets_the_same_token_wherever_its_structure_names_it() -> None:
    """The history of a conversation masks to the same bytes on every turn (prompt caching, the model's view)."""
    first = mask_request({"model": MODEL, **tool_history("db", {"password": PASSWORD})}, KEY).content.decode()
    second = mask_request(
        {"model": MODEL, **tool_history("db", {"env": [{"name": "DB_PASSWORD", "value": PASSWORD}]})}, KEY
    ).content.decode()
    tokens = set(_TOKEN.findall(first)) & set(_TOKEN.findall(second))
    assert PASSWORD not in first + second
    assert any(t.startswith("MASK_CREDENTIAL_") for t in tokens)


def test_the_proxy_masks_a_tool_input_at_least_as_the_gateway_masks_the_same_json_text() -> None:
    """Parity: whatever the text policy finds in a JSON object pasted as text, the proxy finds in it as structure."""
    masker = Masker(KEY)
    for case, tool_input, _ in SECRET_INPUTS:
        as_text = mask_outgoing(masker, json.dumps(tool_input, ensure_ascii=False), "the prompt").text
        gateway_kept = set(_strings(json.loads(as_text)))
        proxy_body = mask_request({"model": MODEL, **tool_history("db", tool_input)}, KEY).body
        proxy_kept = set(_strings(proxy_body["messages"][1]["content"][0]["input"]))
        originals = set(_strings(tool_input))
        assert (proxy_kept & originals) <= (gateway_kept & originals), case


ARGV = [
    ["mysql", "-u", "root", f"-p{PASSWORD}", "bid"],
    ["sshpass", "-p", PASSWORD, "ssh", "admin@db.internal"],
    ["docker", "login", "-u", "acme", "-p", PASSWORD, "registry.acme.kr"],
    ["redis-cli", "-a", PASSWORD, "-h", "cache.internal"],
    ["curl", "-H", f"Authorization: Bearer {API_KEY}", "https://api.acme.kr"],
]


def test_the_proxy_masks_an_argv_array_at_least_as_the_gateway_masks_the_command_line() -> None:
    """An argv array is the command line it spells: what the text policy finds in that line, the proxy finds in the
    array (so a command-line rule added to the detectors covers MCP tools' argv arrays too)."""
    masker = Masker(KEY)
    for argv in ARGV:
        line = mask_outgoing(masker, " ".join(argv), "the prompt").text
        masked = mask_request({"model": MODEL, **tool_history("run", {"argv": argv})}, KEY).body
        kept = masked["messages"][1]["content"][0]["input"]["argv"]
        for original, sent in zip(argv, kept, strict=True):
            if original == sent:
                assert original in line, f"{argv}: the gateway masks {original!r}, the proxy does not"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)


# --- P4: a label and its value in adjacent blocks ---------------------------------------------------------------

SPLIT_BLOCKS: list[tuple[str, list[str], str]] = [
    ("password", ["DB 비밀번호:", PASSWORD], PASSWORD),
    ("password en", ["Here is the prod password:", f"{PASSWORD}\n"], PASSWORD),
    ("env", ["# .env\nDB_PASSWORD=", PASSWORD], PASSWORD),
    ("api key", ["API_KEY =", API_KEY], API_KEY),
    ("rrn halves", ["주민번호 900101-", "1234568"], "1234568"),
    ("phone tail", ["연락처 010-9876-", "5432"], "98765432"),
]


def _digits(text: str) -> str:
    return re.sub(r"[^0-9X]", "", _TOKEN.sub("X", text))


def _leaked(secret: str, seen: str) -> bool:
    return secret in seen or (secret.isdigit() and secret in _digits(seen))


@pytest.mark.parametrize(("case", "parts", "secret"), SPLIT_BLOCKS, ids=[c[0] for c in SPLIT_BLOCKS])
def test_a_value_split_across_adjacent_blocks_never_reaches_the_model(proxy, case, parts, secret) -> None:
    blocks = [{"type": "text", "text": part} for part in parts]
    places = {
        "user": {"messages": [{"role": "user", "content": blocks}]},
        "system": {"system": blocks, "messages": [{"role": "user", "content": "요약"}]},
        "tool_result": {
            "messages": [
                {"role": "user", "content": "읽어 줘"},
                {
                    "role": "assistant",
                    "content": [{"type": "tool_use", "id": "toolu_01AbCdEfGhIjKlMn", "name": "Read", "input": {}}],
                },
                {
                    "role": "user",
                    "content": [{"type": "tool_result", "tool_use_id": "toolu_01AbCdEfGhIjKlMn", "content": blocks}],
                },
            ],
        },
        "document": {
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "document",
                            "source": {"type": "text", "media_type": "text/plain", "data": parts[0]},
                            "context": parts[1],
                        },
                        {"type": "text", "text": "이 문서 요약"},
                    ],
                }
            ],
        },
    }
    for place, request in places.items():
        seen = _send(proxy, request)
        assert not _leaked(secret, seen), f"{case}: the value reached the model from {place}"


def test_split_blocks_come_back_whole_to_the_client(proxy) -> None:
    """The pieces are restored in the answer (the stand-in echoes the last user text)."""
    standin, client = proxy
    message = client.messages.create(
        model=MODEL,
        max_tokens=50,
        messages=[
            {
                "role": "user",
                "content": [{"type": "text", "text": "주민번호 900101-"}, {"type": "text", "text": "1234568"}],
            }
        ],
    )
    assert "1234568" in message.content[0].text
    assert "1234568" not in standin.requests[-1].body


# --- ordinary structured requests: unchanged -------------------------------------------------------------------

ORDINARY_INPUTS: list[dict[str, Any]] = [
    {"command": "git status && git log --oneline -5", "description": "Show working tree status"},
    {"command": "pytest -q tests/test_notices.py -k price", "timeout": 120000},
    {"file_path": "/home/dev/bidradar/bidradar/masking/policy.py", "offset": 10, "limit": 200},
    {"file_path": "src/config.py", "old_string": "TIMEOUT = 30", "new_string": "TIMEOUT = 60"},
    {"pattern": "def mask_request", "path": "serving", "output_mode": "content", "-n": True},
    {"todos": [{"content": "Run the tests", "status": "pending", "activeForm": "Running the tests"}]},
    {"url": "https://www.g2b.go.kr/index.jsp", "prompt": "공고 목록을 요약해 줘"},
    {"env": [{"name": "LOG_LEVEL", "value": "debug"}, {"name": "PASSWORD_MIN_LENGTH", "value": "12"}]},
    {"settings": [{"key": "password_hint", "value": "your first school"}, {"key": "token_ttl", "value": "3600s"}]},
    {"args": ["docker", "run", "-p", "8080:80", "-e", "TZ=Asia/Seoul", "nginx:1.27"]},
    {"args": ["--token-file", "/run/secrets/api_token", "--password-stdin"]},
    {"password_policy": {"min_length": "12", "require_digit": "yes"}, "token_count": "1532"},
    {"query": "SELECT bid_ntce_no, presmpt_prce FROM notices WHERE bid_ntce_no = '20250612345'"},
    {"passport_required": "no", "secret_santa": "enabled", "api_key_header": "X-Api-Key"},
    {"password_policy": {"min_length": "12", "description": "must contain digits"}},
    {"token_usage": {"input": "12345", "output": "678"}, "secrets": {"description": "Store the API key in Vault"}},
    {"fields": [{"field": "type", "data": "string"}, {"option": "timeout", "value": "30s"}]},
    {"kind": "ConfigMap", "data": {"LOG_LEVEL": "debug", "REGION": "ap-northeast-2"}},
    {"pairs": [["name", "value"], ["LOG", "debug"], ["timeout", "30"]]},
]


def test_ordinary_tool_inputs_and_schemas_pass_unchanged() -> None:
    schema = {
        "type": "object",
        "properties": {
            "command": {"type": "string", "description": "The command to execute"},
            "timeout": {"type": "number", "description": "Optional timeout in milliseconds (max 600000)"},
            "password": {"type": "string", "description": "The database password (never logged)"},
            "mode": {"type": "string", "enum": ["read", "write"], "default": "read"},
        },
        "required": ["command"],
    }
    for tool_input in ORDINARY_INPUTS:
        request = {"model": MODEL, **tool_history("Bash", tool_input)}
        request["tools"] = [{"name": "Bash", "description": "Executes a bash command", "input_schema": schema}]
        masked = mask_request(request, KEY)
        assert masked.body["messages"][1]["content"][0]["input"] == tool_input
        assert masked.body["tools"][0]["input_schema"] == schema
        assert masked.masked_values == 0, tool_input


def test_ordinary_adjacent_blocks_pass_unchanged() -> None:
    """Claude Code sends a reminder and the prompt as adjacent blocks; numbers on either side are not joined."""
    blocks = [
        {"type": "text", "text": "<system-reminder>\nTodo list: 3 items\n</system-reminder>"},
        {"type": "text", "text": "공고 20250612345-00 의 예정가격 123,456,000원을 확인해 줘"},
        {"type": "text", "text": "2025-06-12"},
        {"type": "text", "text": "14:30"},
    ]
    masked = mask_request({"model": MODEL, "messages": [{"role": "user", "content": blocks}]}, KEY)
    assert masked.body["messages"][0]["content"] == blocks


# --- P2: a text file sent as a base64 document is masked, not refused -------------------------------------------


@pytest.mark.parametrize("media_type", ["text/plain", "text/csv", "text/markdown"])
def test_a_base64_text_document_is_masked_as_text_not_refused(proxy, media_type: str) -> None:
    text = f"공고 요약 부탁\n담당자 연락처 010-9876-5432\nDB_PASSWORD={PASSWORD}\n"
    data = base64.b64encode(text.encode()).decode()
    request = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "document", "source": {"type": "base64", "media_type": media_type, "data": data}},
                    {"type": "text", "text": "요약해 줘"},
                ],
            }
        ]
    }
    seen = _send(proxy, request)
    standin, _ = proxy
    sent = standin.requests[-1].json()["messages"][0]["content"][0]["source"]
    decoded = base64.b64decode(sent["data"]).decode()
    assert "공고 요약 부탁" in decoded and sent["media_type"] == media_type
    for value in ("010-9876-5432", PASSWORD):
        assert value not in decoded and value not in seen


def test_a_base64_document_that_is_not_text_is_still_refused(proxy) -> None:
    standin, client = proxy
    pdf = base64.b64encode(b"%PDF-1.7\n\xe2\xe3\xcf\xd3 binary").decode()
    for media_type in ("application/pdf", "text/plain"):  # text/plain whose bytes are not UTF-8: not text
        data = pdf if media_type == "application/pdf" else base64.b64encode(b"\xff\xfe\x00binary").decode()
        before = len(standin.requests)
        block = {"type": "document", "source": {"type": "base64", "media_type": media_type, "data": data}}
        with pytest.raises(anthropic.BadRequestError, match="binary"):
            client.messages.create(model=MODEL, max_tokens=50, messages=[{"role": "user", "content": [block]}])
        assert len(standin.requests) == before


# --- P5: a value masked only by its context stays masked on later turns, without the context ---------------------


def bare_token_answer(body: dict[str, Any]) -> Reply:
    """The model refers to the value by its token, without the label: `그 값은 <token> 이군요`, and a tool call."""
    tokens = _TOKEN.findall(last_user_text(body))
    if not tokens:
        return Reply([Text("알겠습니다.")])
    return Reply(
        [Text(f"그 값은 {tokens[-1]} 이군요."), ToolUse("save_setting", {"value": tokens[-1]})], stop_reason="tool_use"
    )


@pytest.fixture(params=["threads", "processes"])
def remembering_proxy(request) -> Iterator[tuple[AnthropicStandIn, anthropic.Anthropic]]:
    """The proxy with its memory; `processes` masks every body in the worker processes (the large-body path)."""
    standin = AnthropicStandIn(bare_token_answer, chunk_chars=7)
    inline = 256 * 1024 if request.param == "threads" else 0
    config_key = KEY + request.param.encode()  # a memory of its own: nothing learnt by another test
    with (
        standin.serve() as upstream,
        serve_app(create_app(ProxyConfig(upstream, config_key, inline_limit_bytes=inline))) as url,
    ):
        yield standin, anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)


LABELLED_ONCE: list[tuple[str, str, str]] = [
    ("password label", f"비밀번호: {PASSWORD}", PASSWORD),
    ("rrn back half", "주민번호 앞자리 900101 뒷자리 1234568", "1234568"),
    ("env api key", f"API_KEY={API_KEY}", API_KEY),
    ("json key", f'설정은 {{"db_password": "{PASSWORD}#1"}} 입니다', f"{PASSWORD}#1"),
]


@pytest.mark.parametrize(("case", "first_turn", "value"), LABELLED_ONCE, ids=[c[0] for c in LABELLED_ONCE])
def test_a_value_masked_by_its_label_stays_masked_when_a_later_turn_drops_the_label(
    remembering_proxy, case: str, first_turn: str, value: str
) -> None:
    standin, client = remembering_proxy
    answer = client.messages.create(model=MODEL, max_tokens=50, messages=[{"role": "user", "content": first_turn}])
    said = answer.content[0].text
    assert value in said and value in answer.content[1].input["value"], "the client gets the value back"
    token = _TOKEN.findall(standin.requests[-1].body)[-1]
    # Turn 2 after compaction: the labelled turn is gone, the answer (as the client got it) is in the history.
    history = [
        {"role": "user", "content": "이전 대화 요약: 설정 값을 확인했다."},
        {"role": "assistant", "content": [block.model_dump(exclude_none=True) for block in answer.content]},
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": answer.content[1].id, "content": f"saved {value}"},
                {"type": "text", "text": f"고마워. 참고로 값은 {value}였어"},
            ],
        },
    ]
    second = client.messages.create(model=MODEL, max_tokens=50, messages=history)
    seen = standin.requests[-1].body
    assert value not in seen + standin.requests[-1].decoded(), f"{case}: the bare value reached the model later"
    assert seen.count(token) >= 2, "the answer's value keeps its token from the first turn"
    assert value in second.content[0].text, "and the later answer is unmasked for the client as before"


def test_values_found_on_their_own_or_short_or_plain_words_are_not_remembered() -> None:
    from serving.llm_proxy.memory import ContextMemory

    memory = ContextMemory(KEY)
    masked = mask_request(
        {
            "model": MODEL,
            "messages": [{"role": "user", "content": "연락처 010-9876-5432, PIN: 1234, 비밀번호: sunshine"}],
        },
        KEY,
    )
    memory.learn(masked.masker.vault.values)
    assert len(memory) == 0  # a phone finds itself; 1234 is short; sunshine is a plain word
    masked = mask_request({"model": MODEL, "messages": [{"role": "user", "content": f"password: {PASSWORD}"}]}, KEY)
    memory.learn(masked.masker.vault.values)
    assert memory.pairs() == ((PASSWORD, "CREDENTIAL"),)
    finder = memory.finder()
    assert finder is not None
    assert [v for _, _, v, _ in finder.find(f"x {PASSWORD}입니다, {PASSWORD}9, a{PASSWORD}, ({PASSWORD})")] == [
        PASSWORD,
        PASSWORD,
    ]


@pytest.mark.parametrize(
    ("media_type", "encoding"),
    [
        ("text/csv; charset=euc-kr", "euc-kr"),  # Korean Excel's CSV export, declared
        ("text/csv", "cp949"),  # the same, undeclared
        ("text/plain", "utf-16"),  # Windows Notepad's "Unicode" (with its BOM)
        ("text/plain", "utf-8-sig"),  # UTF-8 with a BOM
    ],
)
def test_a_base64_text_document_in_a_korean_legacy_encoding_is_masked_in_its_encoding(proxy, media_type, encoding):
    text = "이름,주민번호,연락처\n홍길동,900101-1234568,010-9876-5432\n"
    data = base64.b64encode(text.encode(encoding)).decode()
    block = {"type": "document", "source": {"type": "base64", "media_type": media_type, "data": data}}
    seen = _send(proxy, {"messages": [{"role": "user", "content": [block, {"type": "text", "text": "정리해 줘"}]}]})
    standin, _ = proxy
    sent = standin.requests[-1].json()["messages"][0]["content"][0]["source"]
    decoded = base64.b64decode(sent["data"]).decode(encoding)
    assert sent["media_type"] == media_type and decoded.startswith("이름,주민번호,연락처\n홍길동,MASK_RRN_")
    for value in ("1234568", "9876-5432"):
        assert value not in seen and value not in decoded
