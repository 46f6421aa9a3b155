"""Stop 37, turns37: a value told over several messages (turns), in the policy and through the Claude proxy.

A conversation is masked message by message with one masker (the gateway's policy, `mask_outgoing`): the pieces
told after the value became readable must not go out, and a piece already sent is masked wherever it stands
again. Through the proxy a request carries the whole conversation: no piece goes out, the earlier ones included
(the real `anthropic` SDK against the local stand-in). Ordinary conversations go out unchanged in both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import anthropic
import pytest

from bidradar.masking import detect as d
from bidradar.masking.masker import Masker
from bidradar.masking.policy import mask_outgoing
from bidradar.masking.tokens import Vault
from bidradar.masking.turns import Told, across, is_reply
from serving.llm_proxy import Metrics, ProxyConfig, create_app
from serving.llm_proxy.request_masking import mask_request
from tests.kit.anthropic import AnthropicStandIn
from tests.kit.asgi import serve_app

KEY = bytes.fromhex("37" * 32)


def _luhn(prefix: str) -> str:
    for check in "0123456789":
        digits = [int(c) for c in reversed(prefix + check)]
        if sum(n if i % 2 == 0 else (n * 2 - 9 if n > 4 else n * 2) for i, n in enumerate(digits)) % 10 == 0:
            return prefix + check
    raise AssertionError


def _rrn(front: str, back6: str) -> str:
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    total = sum(int(c) * w for c, w in zip(front + back6, weights, strict=True))
    return f"{front}-{back6}{(11 - total % 11) % 10}"


CARD = _luhn("438512097734521")
RRN = _rrn("880417", "123456")
GHP = "ghp_8sK2LmQ9xV4tR7pZ3nW6yB1cD5fG0hJ2kE4"

# (id, the messages, the pieces told in them in order). The last piece completes the value.
CASES = [
    ("phone-two", ["연락처 010-4821", "3367 입니다"], ["010-4821", "3367"]),
    ("phone-area-reply", ["제 번호요 010", "ㅇㅇ", "4821-3367"], ["4821-3367"]),
    ("card-spaced-reply", [f"카드 {CARD[:4]} {CARD[4:8]}", "네 계속", f"{CARD[8:12]} {CARD[12:]}"], [CARD[8:12]]),
    ("card-dashed", [f"결제 카드 {CARD[:4]}-{CARD[4:8]}-", f"{CARD[8:12]}-{CARD[12:]} 로 해주세요"], [CARD[8:12]]),
    ("rrn-back-label", [f"주민번호 {RRN[:6]}", "네", f"뒷자리 {RRN[7:]}"], [RRN[7:]]),
    ("rrn-birth-prose", [f"생년월일 {RRN[:6]} 이고요", f"뒤는 {RRN[7:]}"], [RRN[7:]]),
    ("bank-reply", ["신한 110-482", "다음은요?", "937251 입니다"], ["937251"]),
    ("ip-dot-wrap", ["서버 아이피 175.203.", "네", "48.19 이에요"], ["48.19"]),
    ("email-id-domain", ["메일 아이디는 jiwoo.han88 이고", "@naver.com 입니다"], ["jiwoo.han88", "naver.com"]),
    ("awskey-halves", ["액세스 키 AKIAZ7QW3RT5", "나머지는?", "YU8IOP2M"], ["YU8IOP2M"]),
    ("github-token-halves", [f"토큰 앞부분 {GHP[:18]}", "ㅇㅋ", GHP[18:]], [GHP[:18], GHP[18:]]),
    ("pw-korean-label-reply", ["서버 비밀번호요", "네", "Tq7#vLp2!xZ"], ["Tq7#vLp2!xZ"]),
    ("pw-english-slack", ["what's the db password?", "one sec", "Hx8$kq2Lw9"], ["Hx8$kq2Lw9"]),
    ("pw-english-ok", ["db password?", "ok", "Hx8$kq2Lw9"], ["Hx8$kq2Lw9"]),
    (
        "secret-halves",
        ["secret key 앞 절반: wJalrXUtnFEMI9K7MDEN", "ㅇㅋ", "뒤 절반: G8bPxRfiCYEXAMPLEKEY"],
        ["G8bPxRfiCYEXAMPLEKEY"],
    ),
]

# Conversations without a value: every message goes out as written.
ORDINARY = [
    ("date-then-count", ["기준일 260315", "처리 건수 2345678건"]),
    ("date-reply-count", ["계약일은 2026-03-15 입니다", "네", "수량은 1234567개"]),
    ("table-rows", ["| 2024 | 1,234 |", "| 2025 | 5,678 |", "| 2026 | 9,012 |"]),
    ("version-then-number", ["버전 3.2.", "10.5 릴리스 노트 참고"]),
    ("notice-number", ["공고번호 20250312345-00", "네", "입찰 마감 14:00"]),
    ("quantities", ["주문 수량 1200", "단가 4500", "합계 5400000원"]),
    ("extension", ["내선 2345", "네", "6789로 돌려주세요"]),
    ("receipt", ["계좌 이체 완료했어요", "네 감사합니다", "영수증 번호 20250312-0042"]),
    ("card-word-amounts", ["카드 결제일은 15일", "네", "한도는 3000000원"]),
    ("slack-release", ["jihoon.park  10:12 AM", "배포 v2.3.1 완료", "다음 배포 v2.3.2"]),
    ("outline", ["1.", "2.", "3. 결론"]),
    ("password-talk", ["비밀번호 정책 바뀌었어요", "네", "이제 90일마다 바꿔야 해요"]),
    ("contract-pieces", ["계약번호 2025-0142", "확인", "2025-0143 도 같이요"]),
    ("ip-words", ["아이피 대역은 사내 규정 참고", "ok", "192.168.0.0/16 전체"]),
]


def _told(turns: list[str]) -> tuple[list[str], Masker]:
    masker = Masker(KEY)
    return [mask_outgoing(masker, t, "the text").text for t in turns], masker


def _compact(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", d.TOKEN_RE.sub("|", text))


@pytest.mark.parametrize(("turns", "pieces"), [pytest.param(t, p, id=i) for i, t, p in CASES])
def test_the_rest_of_a_value_told_in_turns_does_not_go_out(turns: list[str], pieces: list[str]) -> None:
    sent, masker = _told(turns)
    last = sent[-1]
    assert pieces[-1] not in last and _compact(pieces[-1]) not in _compact(last), sent
    assert [masker.unmask(s) for s in sent] == turns


@pytest.mark.parametrize(("turns", "pieces"), [pytest.param(t, p, id=i) for i, t, p in CASES if len(p) > 1])
def test_a_piece_already_sent_is_masked_where_it_stands_again(turns: list[str], pieces: list[str]) -> None:
    masker = Masker(KEY)
    for t in turns:
        mask_outgoing(masker, t, "the text")
    again = mask_outgoing(masker, f"다시 확인: {pieces[0]} 맞죠?", "the text").text
    assert pieces[0] not in again, again


@pytest.mark.parametrize("turns", [pytest.param(t, id=i) for i, t in ORDINARY])
def test_an_ordinary_conversation_goes_out_unchanged(turns: list[str]) -> None:
    assert _told(turns)[0] == turns


@pytest.mark.parametrize(("turns", "pieces"), [pytest.param(t, p, id=i) for i, t, p in CASES])
def test_a_conversation_pasted_as_one_text_goes_out_without_its_pieces(turns: list[str], pieces: list[str]) -> None:
    """The same conversation as one text, a message a line (a chat log, a transcript in a tool's input)."""
    text = "\n".join(turns)
    masker = Masker(KEY)
    sent = mask_outgoing(masker, text, "the text").text
    for piece in pieces:
        assert piece not in sent and _compact(piece) not in _compact(sent), sent
    assert masker.unmask(sent) == text


@pytest.mark.parametrize(
    "text",
    [
        *("\n".join(t) for _, t in ORDINARY),
        "계약번호 2025-0142\n유의사항\n2025-0143 건은 별도 공고",  # a heading between two numbers: no reply
        "입찰 마감 2025-03-14\n네\n개찰 2025-03-15 10:00",
        "견적 금액 1,250,000원\n다음은요?\n부가세 125,000원",
        "[오후 3:02] 담당자 연락은 내일\n넵\n회의실 302호",
    ],
)
def test_an_ordinary_conversation_pasted_as_one_text_goes_out_unchanged(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the text").text == text


def test_only_a_window_around_the_boundary_is_read() -> None:
    """A megabyte before the boundary costs no more than a line: the window holds the end of it only."""
    seen: list[str] = []

    def detect(text: str) -> list[d.Detection]:
        seen.append(text)
        return []

    across(detect, ["가" * 1_000_000 + " 카드 4385 1209"], "7734 5217 입니다" + " 나" * 500_000)
    assert len(seen) == 1 and len(seen[0]) < 600


def test_replies_are_short_and_hold_no_piece() -> None:
    assert all(is_reply(t) for t in ["네", "ㅇㅋ", "네 계속", "나머지는?", "one sec", "ok", "and the rest?"])
    assert not any(is_reply(t) for t in ["010", "seoa.yoon", "Tq7#vLp2!xZ", "what's the db password?", "뒤는 1234"])


# --- the proxy: one request carries the conversation ----------------------------------------------------------


def _messages(turns: list[str], blocks: bool = False) -> list[dict[str, Any]]:
    return [
        {
            "role": "user" if i % 2 == 0 else "assistant",
            "content": [{"type": "text", "text": t}] if blocks else t,
        }
        for i, t in enumerate(turns)
    ]


@pytest.fixture(scope="module")
def proxy() -> Iterator[tuple[AnthropicStandIn, anthropic.Anthropic]]:
    standin = AnthropicStandIn(chunk_chars=7)
    with standin.serve() as upstream, serve_app(create_app(ProxyConfig(upstream, KEY, metrics=Metrics()))) as url:
        yield standin, anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)


def _sent_messages(standin: AnthropicStandIn) -> list[dict[str, Any]]:
    return standin.messages_requests()[-1].json()["messages"]


@pytest.mark.parametrize("blocks", [False, True], ids=["strings", "blocks"])
@pytest.mark.parametrize(("turns", "pieces"), [pytest.param(t, p, id=i) for i, t, p in CASES])
def test_no_piece_reaches_the_model_through_the_proxy(
    proxy: tuple[AnthropicStandIn, anthropic.Anthropic], turns: list[str], pieces: list[str], blocks: bool
) -> None:
    standin, client = proxy
    if len(turns) % 2 == 0:
        turns = [*turns, "이어서 정리해 주세요"]  # the conversation ends with the user
    answer = client.messages.create(model="claude-sonnet-4-5", max_tokens=64, messages=_messages(turns, blocks))
    sent = json.dumps(_sent_messages(standin), ensure_ascii=False)
    for piece in pieces:
        assert piece not in sent and _compact(piece) not in _compact(sent), sent
    assert answer.content[0].text == "Echo: " + turns[-1]  # the client's own words come back


@pytest.mark.parametrize(("turns"), [pytest.param(t, id=i) for i, t in ORDINARY])
def test_an_ordinary_conversation_goes_through_the_proxy_unchanged(
    proxy: tuple[AnthropicStandIn, anthropic.Anthropic], turns: list[str]
) -> None:
    standin, client = proxy
    if len(turns) % 2 == 0:
        turns = [*turns, "정리해 주세요"]
    client.messages.create(model="claude-sonnet-4-5", max_tokens=64, messages=_messages(turns))
    assert [m["content"] for m in _sent_messages(standin)] == turns


def test_a_value_split_across_two_blocks_and_two_messages_in_one_request() -> None:
    """One message of two text blocks, then the rest in the next message: every piece masked, the conversation's
    other words kept."""
    body = {
        "model": "claude-sonnet-4-5",
        "max_tokens": 10,
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "카드번호"}, {"type": "text", "text": CARD[:4]}]},
            {"role": "assistant", "content": "네 계속"},
            {"role": "user", "content": [{"type": "text", "text": f"{CARD[4:8]}-{CARD[8:12]}-{CARD[12:]}"}]},
        ],
    }
    sent = json.dumps(mask_request(body, KEY).body["messages"], ensure_ascii=False)
    assert _compact(CARD) not in _compact(sent) and CARD[8:12] not in sent, sent
    assert "카드번호" in sent and "네 계속" in sent


def test_the_gateways_private_and_public_parts_are_read_in_the_order_they_are_sent() -> None:
    """The gateway masks a profile's parts and public parts with two maskers on one vault and one `Told`: a value
    split across a private and a public part is read across them, and a public part is never read right after
    another public part that a private one stood between."""
    vault, told = Vault(), Told()
    private = Masker(KEY, ["청운데이터랩"], vault, None, told)
    public = Masker(KEY, (), vault, None, told)
    mask_outgoing(private, "담당자 연락처 010-4821", "part 1")
    assert "3367" not in mask_outgoing(public, "3367 로 연락 주세요", "part 2").text
    mask_outgoing(public, "공고 내용: 수량 1200", "part 3")
    mask_outgoing(private, "회사 소개: 청운데이터랩은 데이터 회사입니다.", "part 4")
    assert mask_outgoing(public, "3400000원 예산", "part 5").text == "3400000원 예산"
