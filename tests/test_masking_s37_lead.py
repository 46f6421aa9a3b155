"""Stop 37: a copy of a masked value in other letter case is the same secret to a reader (`GMGQVFA5SV!7` after
`비밀번호: GMGqVFA5SV!7`, `BUCKET=CW-LOGS-BAK` after `s3://cw-logs-bak`). bidradar/masking/repeats.py masks it as a
token of its own, so the text comes back as written; the proxy's memory keeps one entry per value (the first
written). Hand-written values, none real."""

from __future__ import annotations

import re
from collections.abc import Iterator

import anthropic
import pytest

from bidradar.masking.masker import Masker
from bidradar.masking.policy import mask_outgoing
from serving.llm_proxy import ProxyConfig, create_app
from serving.llm_proxy.memory import ContextMemory
from serving.llm_proxy.request_masking import mask_request
from tests.kit.anthropic import AnthropicStandIn
from tests.kit.asgi import serve_app

KEY = bytes.fromhex("37" * 32)
MODEL = "claude-sonnet-4-5"
_TOKEN = re.compile(r"MASK_[A-Z]+_[0-9A-F]{16}")

# (text, the copies that must not go out)
CASE_COPIES = [
    ("비밀번호: GMGqVFA5SV!7 입니다\n확인용으로 다시: GMGQVFA5SV!7", ["GMGqVFA5SV!7", "GMGQVFA5SV!7"]),
    ("s3://cw-sematmna-bak/daily/a.gz 로 백업\nBUCKET=CW-SEMATMNA-BAK", ["cw-sematmna-bak", "CW-SEMATMNA-BAK"]),
    ("DB_PASSWORD=Hq7rTz9wLm\n# staging: hq7rtz9wlm (소문자로 바꿔둠)", ["Hq7rTz9wLm", "hq7rtz9wlm"]),
    (
        "host db1.c9xk2mq1abcd.ap-northeast-2.rds.amazonaws.com\n장애 인스턴스: C9XK2MQ1ABCD",
        ["c9xk2mq1abcd", "C9XK2MQ1ABCD"],
    ),
    ('{"password": "Winter2026!x"}\n| user | WINTER2026!X |', ["Winter2026!x", "WINTER2026!X"]),
]

# Words that share a masked value's letters in other case but are other words, or the value glued into a longer
# word: unchanged.
UNCHANGED = [
    ("비밀번호: GMGqVFA5SV!7\nGMGQVFA5SVX7 은 제품 코드", "GMGQVFA5SVX7"),
    ("s3://cw-sematmna-bak/a.gz\nCW-SEMATMNA-BAKUP 프로젝트", "CW-SEMATMNA-BAKUP"),
    ("비밀번호: Summer2026x\n리전 AP-NORTHEAST-2, Summer 2026", "리전 AP-NORTHEAST-2, Summer 2026"),
]


@pytest.mark.parametrize(("text", "copies"), CASE_COPIES)
def test_a_copy_in_other_case_is_masked_and_comes_back_as_written(text: str, copies: list[str]) -> None:
    masker = Masker(KEY)
    sent = mask_outgoing(masker, text, "the text").text
    for copy in copies:
        assert copy not in sent, sent
    assert masker.unmask(sent) == text


@pytest.mark.parametrize(("text", "kept"), UNCHANGED)
def test_other_words_with_the_same_letters_stay(text: str, kept: str) -> None:
    masker = Masker(KEY)
    sent = mask_outgoing(masker, text, "the text").text
    assert kept in sent, sent
    assert masker.unmask(sent) == text


def test_the_copy_in_other_case_is_its_own_token() -> None:
    masker = Masker(KEY)
    sent = mask_outgoing(masker, "비밀번호: GMGqVFA5SV!7\n다시: GMGQVFA5SV!7", "the text").text
    tokens = _TOKEN.findall(sent)
    assert len(tokens) == 2 and tokens[0] != tokens[1], sent


@pytest.fixture(scope="module")
def proxy() -> Iterator[tuple[AnthropicStandIn, anthropic.Anthropic]]:
    standin = AnthropicStandIn(chunk_chars=7)
    with standin.serve() as upstream, serve_app(create_app(ProxyConfig(upstream, KEY))) as url:
        yield standin, anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)


def test_the_proxy_masks_a_copy_in_other_case_in_another_block(proxy) -> None:
    """Through the real SDK: the password is labelled in the system prompt, its upper-case copy sits in a tool
    result; neither reaches the stand-in, and the answer comes back with the copy as written."""
    standin, client = proxy
    before = len(standin.requests)
    client.messages.create(
        model=MODEL,
        max_tokens=50,
        system="운영 메모: DB 비밀번호: GMGqVFA5SV!7",
        messages=[
            {"role": "user", "content": [{"type": "text", "text": "로그 확인해줘"}]},
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "toolu_01AbCd", "name": "bash", "input": {"c": "cat log"}}],
            },
            {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": "toolu_01AbCd", "content": "auth GMGQVFA5SV!7 ok"}],
            },
        ],
    )
    seen = standin.requests[before].body + standin.requests[before].decoded()
    assert "GMGqVFA5SV!7" not in seen and "GMGQVFA5SV!7" not in seen, seen


def test_the_memory_keeps_one_entry_per_value_not_its_case_copies() -> None:
    memory = ContextMemory(KEY)
    masked = mask_request(
        {"model": MODEL, "messages": [{"role": "user", "content": "password: s3cr3tPassw0rd\n다시 S3CR3TPASSW0RD"}]},
        KEY,
    )
    assert "S3CR3TPASSW0RD" in masked.masker.vault.values.values()  # masked, as its own token
    memory.learn(masked.masker.vault.values)
    assert memory.pairs() == (("s3cr3tPassw0rd", "CREDENTIAL"),)


# A fresh docs-only probe (stop 37, after the fixers' merges): an IPv4 read out with 쩜 (the spoken 점 as typed in
# chat) went out; a four-part version after a version word was masked as an address by the detectors and the leak
# check alike.
SPOKEN_JJEOM = [
    ("아이피 54쩜250쩜147쩜65", "54쩜250쩜147쩜65"),
    ("아이피 175쩜253쩜191쩜132 로 붙어요", "175쩜253쩜191쩜132"),
    ("서버 주소는 10 쩜 0 쩜 3 쩜 17 이에요", "10 쩜 0 쩜 3 쩜 17"),
    ("ssh 접속: 211쩜94쩜162쩜133", "211쩜94쩜162쩜133"),
]
VERSIONS = [
    "배포 버전 4.2.1.0 → 4.2.2.0, 참고 규정 2.1.3.4",
    "firmware 10.2.0.1 released; build 3.14.159.26",
    "릴리스 1.0.20.3 노트를 참고하세요",
]
VERSION_WORD_BUT_ADDRESS = [
    ("서버 IP 4.2.1.0 (버전 무관)", "4.2.1.0"),
    ("버전 확인용 서버 203.0.113.77", "203.0.113.77"),
]


@pytest.mark.parametrize(("text", "value"), SPOKEN_JJEOM)
def test_an_ipv4_read_out_with_jjeom_is_masked(text: str, value: str) -> None:
    masker = Masker(KEY)
    sent = mask_outgoing(masker, text, "the text").text
    assert value not in sent and "IP" in sent, sent
    assert masker.unmask(sent) == text


@pytest.mark.parametrize("text", VERSIONS)
def test_a_four_part_version_after_a_version_word_goes_out(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the text").text == text


@pytest.mark.parametrize(("text", "value"), VERSION_WORD_BUT_ADDRESS)
def test_an_address_word_near_keeps_the_address_masked(text: str, value: str) -> None:
    sent = mask_outgoing(Masker(KEY), text, "the text").text
    assert value not in sent, sent


def test_bidradar_mask_shows_what_the_gateway_sends_for_a_text_read_once() -> None:
    """`bidradar mask` detected with `Masker.mask` and then masked with the same masker: since a masker reads each
    text after the ones it masked before (turns.py), the text was read across itself, and the end of it (`카드번호
    4551-6328-`) joined its start (`0915-3849`) into a card the gateway would never mask."""
    from bidradar.masking.cli import mask_command

    text = "0915-3849 는 주문번호 뒷부분이에요\n확인 부탁\n카드번호 4551-6328-"
    assert mask_command(text, [], KEY, False) == mask_outgoing(Masker(KEY), text, "the text").text
