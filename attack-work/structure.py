"""Batch proxy-structure: values in places of a Messages request that are not strings (JSON numbers), ids kept by
their shape, other routes and encodings. Sent with httpx (raw JSON) to the proxy; leaked = the value reached the
stand-in. All values generated (check digits by the public rules)."""

from __future__ import annotations

import json
from typing import Any

BASE = {"model": "claude-sonnet-4-5", "max_tokens": 10}


def _hist(inp: Any, idv: str = "toolu_01A", name: str = "lookup") -> list[dict[str, Any]]:
    return [
        {"role": "user", "content": "조회해 주세요"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": idv, "name": name, "input": inp}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": idv, "content": "ok"}]},
    ]


def _user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


# (name, path, body, value that must not arrive, extra headers)
PROBES: list[tuple[str, str, dict[str, Any], str, dict[str, str]]] = [
    (
        "number-rrn-tool-input",
        "/v1/messages",
        {**BASE, "messages": _hist({"rrn": 9001011234568, "kind": "주민번호"})},
        "9001011234568",
        {},
    ),
    ("number-rrn-bare-key", "/v1/messages", {**BASE, "messages": _hist({"jumin": 8507152234563})}, "8507152234563", {}),
    (
        "number-account",
        "/v1/messages",
        {**BASE, "messages": _hist({"bank": "신한은행", "account_no": 110123456789})},
        "110123456789",
        {},
    ),
    (
        "number-card",
        "/v1/messages",
        {**BASE, "messages": _hist({"card_number": 4111111111111111})},
        "4111111111111111",
        {},
    ),
    (
        "number-phone-int",
        "/v1/messages",
        {**BASE, "messages": _hist({"phone": 1023456789, "note": "010 빠짐"})},
        "1023456789",
        {},
    ),
    ("number-brn", "/v1/messages", {**BASE, "messages": _hist({"사업자번호": 1208147521})}, "1208147521", {}),
    (
        "number-aws-account",
        "/v1/messages",
        {**BASE, "messages": _hist({"AccountId": 123456789012})},
        "123456789012",
        {},
    ),
    (
        "number-rrn-halves",
        "/v1/messages",
        {**BASE, "messages": _hist({"rrn_front": 900101, "rrn_back": 1234568})},
        "1234568",
        {},
    ),
    (
        "number-schema-default",
        "/v1/messages",
        {
            **BASE,
            "messages": _user("hi"),
            "tools": [
                {
                    "name": "t",
                    "input_schema": {
                        "type": "object",
                        "properties": {"rrn": {"type": "integer", "default": 9001011234568}},
                    },
                }
            ],
        },
        "9001011234568",
        {},
    ),
    (
        "number-schema-enum",
        "/v1/messages",
        {
            **BASE,
            "messages": _user("hi"),
            "tools": [
                {
                    "name": "t",
                    "input_schema": {
                        "type": "object",
                        "properties": {"account": {"type": "integer", "enum": [110123456789]}},
                    },
                }
            ],
        },
        "110123456789",
        {},
    ),
    (
        "number-metadata",
        "/v1/messages",
        {**BASE, "messages": _user("hi"), "metadata": {"user_id": "u", "phone": 1023456789}},
        "1023456789",
        {},
    ),
    ("tool_use-id-phone", "/v1/messages", {**BASE, "messages": _hist({}, "toolu_01023456789")}, "01023456789", {}),
    ("tool_use-id-rrn", "/v1/messages", {**BASE, "messages": _hist({}, "toolu_9001011234568")}, "9001011234568", {}),
    ("tool-name-phone", "/v1/messages", {**BASE, "messages": _hist({}, name="call_01023456789")}, "01023456789", {}),
    (
        "image-url-rrn",
        "/v1/messages",
        {
            **BASE,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "image",
                            "source": {"type": "url", "url": "https://files.example-corp.kr/id/900101-1234568.png"},
                        },
                        {"type": "text", "text": "read"},
                    ],
                }
            ],
        },
        "900101-1234568",
        {},
    ),
    (
        "citation-title",
        "/v1/messages",
        {
            **BASE,
            "messages": [
                {"role": "user", "content": "a"},
                {
                    "role": "assistant",
                    "content": [
                        {
                            "type": "text",
                            "text": "see",
                            "citations": [
                                {
                                    "type": "char_location",
                                    "cited_text": "연락처 010-2345-6789",
                                    "document_index": 0,
                                    "document_title": "010-2345-6789 명함",
                                    "start_char_index": 0,
                                    "end_char_index": 5,
                                }
                            ],
                        }
                    ],
                },
                {"role": "user", "content": "b"},
            ],
        },
        "010-2345-6789",
        {},
    ),
    (
        "count_tokens-number",
        "/v1/messages/count_tokens",
        {**BASE, "messages": _hist({"rrn": 9001011234568})},
        "9001011234568",
        {},
    ),
    (
        "beta-header-rrn",
        "/v1/messages",
        {**BASE, "messages": _user("주민번호 900101-1234568")},
        "900101-1234568",
        {"anthropic-beta": "prompt-caching-2024-07-31,900101-1234568"},
    ),
    (
        "version-header-phone",
        "/v1/messages",
        {**BASE, "messages": _user("연락처 010-2345-6789")},
        "010-2345-6789",
        {"anthropic-version": "2023-06-01,010-2345-6789"},
    ),
    (
        "model-phone",
        "/v1/messages",
        {**BASE, "model": "claude-010-2345-6789", "messages": _user("연락처 010-2345-6789")},
        "010-2345-6789",
        {},
    ),
    (
        "stop-seq-bare-pw",
        "/v1/messages",
        {**BASE, "messages": _user("DB 비밀번호는 Hanbit2024!x 입니다"), "stop_sequences": ["Hanbit2024!x"]},
        "Hanbit2024!x",
        {},
    ),
    (
        "beta-path",
        "/v1/messages?beta=true&note=900101-1234568",
        {**BASE, "messages": _user("hi")},
        "900101-1234568",
        {},
    ),
]


def body_bytes(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()
