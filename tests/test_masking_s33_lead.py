"""Stop 33, the lead's mends after the red team's re-run of the merged helpers (docs/notes/s33-attack.md):

- identifiers written as JSON numbers in a request (a tool's input, a schema's default) reached Claude verbatim;
- Anthropic's own opaque values (a web search result's `encrypted_content`, a citation's `encrypted_index`, an
  unpadded `redacted_thinking` blob) were masked, which breaks the conversation's next turn upstream;
- a password passed to a login call (`ftp.login('u', 'p')`) went out once code names stopped being read as labels;
- a price after "서버" in a cost table was read as an IPv4 written as one integer.

Every value is made up; the expected results are written by hand (the 주민번호's check digit from its public formula,
the card's from Luhn, the integer of an IPv4 from its octets).
"""

from __future__ import annotations

import base64
import random
from collections.abc import Iterator
from typing import Any

import anthropic
import pytest

from bidradar.masking import Masker
from bidradar.masking.policy import mask_outgoing
from serving.llm_proxy import ProxyConfig, create_app
from tests.kit.anthropic import AnthropicStandIn
from tests.kit.asgi import serve_app

KEY = b"s33-lead-masking-test-key-32byte"
MODEL = "claude-sonnet-4-5"

# 900101-1 + 23456 with its check digit: 11 - (sum of digits x 2,3,4,5,6,7,8,9,2,3,4,5) mod 11, mod 10.
_RRN_BODY = "900101123456"
_RRN = _RRN_BODY + str(
    (11 - sum(int(c) * w for c, w in zip(_RRN_BODY, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5], strict=True)) % 11) % 10
)
_CARD = 4111111111111111  # Luhn-valid test number
_ACCOUNT = 110123456789


@pytest.fixture(scope="module")
def proxy() -> Iterator[tuple[AnthropicStandIn, anthropic.Anthropic]]:
    standin = AnthropicStandIn()
    with standin.serve() as upstream, serve_app(create_app(ProxyConfig(upstream, KEY))) as url:
        yield standin, anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)


def _tool_turn(tool_input: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"role": "user", "content": "고객 조회해 줘"},
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "toolu_01AbCdEfGh", "name": "lookup", "input": tool_input}],
        },
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01AbCdEfGh", "content": "ok"}]},
    ]


def test_identifiers_written_as_json_numbers_never_reach_claude(proxy) -> None:
    standin, client = proxy
    before = len(standin.requests)
    tool_input = {
        "rrn": int(_RRN),
        "card": _CARD,
        "bank": "신한은행",
        "account_no": _ACCOUNT,
        "AccountId": 123456789012,
        "limit": 100,
        "port": 5432,
        "ratio": 0.87,
        "enabled": True,
    }
    client.messages.create(model=MODEL, max_tokens=64, messages=_tool_turn(tool_input))
    client.messages.create(
        model=MODEL,
        max_tokens=64,
        messages=[{"role": "user", "content": "hi"}],
        tools=[
            {
                "name": "pay",
                "description": "송금",
                "input_schema": {
                    "type": "object",
                    "properties": {"account_no": {"type": "integer", "default": _ACCOUNT, "examples": [_ACCOUNT]}},
                },
            }
        ],
    )
    seen = "\n".join(r.body + r.decoded() for r in standin.requests[before:])
    assert [v for v in (_RRN, str(_CARD), str(_ACCOUNT), "123456789012") if v in seen] == []
    # counts, ports and ratios stay numbers
    assert '"limit": 100' in seen and '"port": 5432' in seen and '"ratio": 0.87' in seen and '"enabled": true' in seen


def _opaque(rng: random.Random, size: int) -> str:
    """A blob of Anthropic's shape: base64 of binary bytes (protobuf), here without its padding."""
    return base64.b64encode(bytes(rng.getrandbits(8) for _ in range(size))).decode().rstrip("=")


def test_anthropic_opaque_values_come_back_unchanged(proxy) -> None:
    standin, client = proxy
    rng = random.Random(24)
    encrypted_content, encrypted_index, redacted = _opaque(rng, 301), _opaque(rng, 61), _opaque(rng, 400)
    assert len(encrypted_content) % 4 and len(redacted) % 4  # unpadded on purpose
    before = len(standin.requests)
    client.messages.create(
        model=MODEL,
        max_tokens=64,
        messages=[
            {"role": "user", "content": "나라장터 입찰 일정 찾아줘"},
            {
                "role": "assistant",
                "content": [
                    {"type": "redacted_thinking", "data": redacted},
                    {
                        "type": "server_tool_use",
                        "id": "srvtoolu_01AbCdEfGhIj",
                        "name": "web_search",
                        "input": {"query": "나라장터 입찰 일정"},
                    },
                    {
                        "type": "web_search_tool_result",
                        "tool_use_id": "srvtoolu_01AbCdEfGhIj",
                        "content": [
                            {
                                "type": "web_search_result",
                                "url": "https://www.g2b.go.kr/",
                                "title": "나라장터",
                                "encrypted_content": encrypted_content,
                                "page_age": None,
                            }
                        ],
                    },
                    {
                        "type": "text",
                        "text": "입찰 일정은 공고문에 있습니다.",
                        "citations": [
                            {
                                "type": "web_search_result_location",
                                "url": "https://www.g2b.go.kr/",
                                "title": "나라장터",
                                "encrypted_index": encrypted_index,
                                "cited_text": "입찰 일정",
                            }
                        ],
                    },
                ],
            },
            {"role": "user", "content": "고마워"},
        ],
    )
    seen = "\n".join(r.body for r in standin.requests[before:])
    assert [
        name
        for name, v in [("content", encrypted_content), ("index", encrypted_index), ("data", redacted)]
        if v not in seen
    ] == []


@pytest.mark.parametrize(
    ("text", "password"),
    [
        ("ftp.login('deploy', 'Qw9#mZ2!xk')", "Qw9#mZ2!xk"),
        ('server.login("ops@example-corp.kr", "hunter2Pass!")', "hunter2Pass!"),
        ('imap.login(user, "S3cr3t-pw")', "S3cr3t-pw"),
        ('conn.simple_bind_s("cn=admin,dc=example,dc=kr", "LdapPw#2025")', "LdapPw#2025"),
        ("client.authenticate('svc-bot', 'Zx8!vQ2#rT')", "Zx8!vQ2#rT"),
    ],
)
def test_a_password_passed_to_a_login_call_is_masked(text: str, password: str) -> None:
    assert password not in mask_outgoing(Masker(KEY), text, "the prompt").text


@pytest.mark.parametrize("text", ["login(request, user)", "the login (user, password) form", "auth.login(form)"])
def test_a_login_call_without_a_literal_password_stays(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


def _ipv4_integer(a: int, b: int, c: int, d: int) -> str:
    return str(a * 2**24 + b * 2**16 + c * 2**8 + d)


@pytest.mark.parametrize(
    "text",
    [
        # each price a valid 32-bit unicast address if read as one (42878020 = 2.140.69.68)
        "항목\t단가\t수량\t금액\n서버\t42878020\t54\t92966822761\n스토리지\t83064033\t63\t90174292247",
        "서버 42878020원, 스토리지 83064033원",
        "| 항목 | 금액 |\n|---|---|\n| 서버 | 87654321 |",
        "host 42878020 rows scanned",
        "주소 59055194",
    ],
)
def test_a_price_after_a_server_word_stays(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


@pytest.mark.parametrize(
    "template", ["inet {}", "ip={}", '"remote_addr": {}', "client_ip: {}", "IP 주소: {}", "서버 IP 주소 {}"]
)
def test_an_ipv4_written_as_one_integer_is_masked(template: str) -> None:
    value = _ipv4_integer(192, 168, 10, 77)
    assert value not in mask_outgoing(Masker(KEY), template.format(value), "the prompt").text


@pytest.mark.parametrize(
    ("text", "password"),
    [
        ("curl -u admin:Xk9#mP2!q https://api.example.kr/v1/items", "Xk9#mP2!q"),
        ("$ curl --user deploy:S3cretPw! -X POST https://ci.example.kr/hook", "S3cretPw!"),
        ("http -a ops:Pw9!xZ2k GET https://api.example.kr/me", "Pw9!xZ2k"),
        ("sudo curl -x proxy.example.kr:8080 --proxy-user bob:Qw8!erTy https://x.example.kr", "Qw8!erTy"),
        ('  - run: curl -fsS --user=release:Rl5#xQ9!w "$URL"', "Rl5#xQ9!w"),
    ],
)
def test_a_password_after_an_http_clients_user_flag_is_masked(text: str, password: str) -> None:
    assert password not in mask_outgoing(Masker(KEY), text, "the prompt").text


@pytest.mark.parametrize(
    "text",
    [
        'curl -u "$API_USER:$API_PASS" https://x.example.kr',
        "curl -u admin https://x.example.kr",
        "curl -H 'Accept: a' https://x.example.kr/a:b",
    ],
)
def test_an_http_client_without_a_literal_password_stays(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


# A passphrase in quotes after a password's name (a fresh red team's cases, after this stop's merge).
@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("password: 'my secret phrase 123'", "my secret phrase 123"),
        ('DB_PASSWORD="abc def ghi"', "abc def ghi"),
        ('비밀번호: "봄 여름 가을"', "봄 여름 가을"),
        ("export PGPASSWORD='pass with space' && psql -h db", "pass with space"),
        ('  "passphrase": "correct horse battery staple",', "correct horse battery staple"),
    ],
)
def test_a_quoted_passphrase_after_a_password_name_is_masked(text: str, phrase: str) -> None:
    out = mask_outgoing(Masker(KEY), text, "the prompt").text
    assert [word for word in phrase.split() if len(word) > 2 and word in out] == []


@pytest.mark.parametrize(
    "text",
    [
        'password_hint: "the name of your first pet"',
        'password: "${DB_PASSWORD}"',
        '{"password_policy": "at least 12 chars"}',
    ],
)
def test_a_quoted_phrase_about_a_password_stays(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text
