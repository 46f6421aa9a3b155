"""Batch proxy-structure: values in places of a Messages request that are not strings (JSON numbers), ids kept by
their shape, other routes and encodings. Sent with httpx (raw JSON) to the proxy; leaked = the value reached the
stand-in. All values generated (check digits by the public rules)."""

from __future__ import annotations

import base64
import json
import random
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
PROBES: list[tuple[str, str, dict[str, Any] | None, str, dict[str, str]]] = [
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


_B64_RRN = "7KO866+867KI7Zi4IDkwMDEwMS0xMjM0NTY4IOyXsOudveyymCAwMTAtMjM0NS02Nzg5"  # "주민번호 900101-1234568 연락처 010-2345-6789"
_ASSIST = "assistant"
PROBES += [
    (
        "web-search-encrypted",
        "/v1/messages",
        {
            **BASE,
            "messages": [
                {"role": "user", "content": "검색해줘"},
                {
                    "role": _ASSIST,
                    "content": [
                        {
                            "type": "server_tool_use",
                            "id": "srvtoolu_01A",
                            "name": "web_search",
                            "input": {"query": "x"},
                        },
                        {
                            "type": "web_search_tool_result",
                            "tool_use_id": "srvtoolu_01A",
                            "content": [
                                {
                                    "type": "web_search_result",
                                    "url": "https://blog.example.kr/p/1",
                                    "title": "t",
                                    "encrypted_content": _B64_RRN,
                                    "page_age": "2025-02-06",
                                }
                            ],
                        },
                    ],
                },
                {"role": "user", "content": "요약"},
            ],
        },
        _B64_RRN,
        {},
    ),
    (
        "web-search-url-phone",
        "/v1/messages",
        {
            **BASE,
            "messages": [
                {"role": "user", "content": "검색해줘"},
                {
                    "role": _ASSIST,
                    "content": [
                        {
                            "type": "server_tool_use",
                            "id": "srvtoolu_01A",
                            "name": "web_search",
                            "input": {"query": "x"},
                        },
                        {
                            "type": "web_search_tool_result",
                            "tool_use_id": "srvtoolu_01A",
                            "content": [
                                {
                                    "type": "web_search_result",
                                    "url": "https://m.example.kr/u/010-2345-6789",
                                    "title": "t",
                                    "encrypted_content": "QUJD",
                                    "page_age": "2025-02-06",
                                }
                            ],
                        },
                    ],
                },
                {"role": "user", "content": "요약"},
            ],
        },
        "010-2345-6789",
        {},
    ),
    (
        "search-result-block",
        "/v1/messages",
        {
            **BASE,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "search_result",
                            "source": "https://intra.example-corp.kr/hr/900101-1234568",
                            "title": "인사기록",
                            "content": [{"type": "text", "text": "연락처 010-2345-6789"}],
                        },
                        {"type": "text", "text": "요약"},
                    ],
                }
            ],
        },
        "900101-1234568",
        {},
    ),
    (
        "redacted-thinking-b64",
        "/v1/messages",
        {
            **BASE,
            "messages": [
                {"role": "user", "content": "a"},
                {"role": _ASSIST, "content": [{"type": "redacted_thinking", "data": _B64_RRN}]},
                {"role": "user", "content": "b"},
            ],
        },
        _B64_RRN,
        {},
    ),
    (
        "signature-b64",
        "/v1/messages",
        {
            **BASE,
            "messages": [
                {"role": "user", "content": "a"},
                {"role": _ASSIST, "content": [{"type": "thinking", "thinking": "생각", "signature": _B64_RRN}]},
                {"role": "user", "content": "b"},
            ],
        },
        _B64_RRN,
        {},
    ),
    (
        "file-id-phone",
        "/v1/messages",
        {
            **BASE,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "document", "source": {"type": "file", "file_id": "file_01023456789"}},
                        {"type": "text", "text": "요약"},
                    ],
                }
            ],
        },
        "01023456789",
        {},
    ),
    (
        "container-upload-id",
        "/v1/messages",
        {
            **BASE,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "container_upload", "file_id": "file_9001011234568"},
                        {"type": "text", "text": "요약"},
                    ],
                }
            ],
        },
        "9001011234568",
        {},
    ),
    (
        "mcp-tool-use-server",
        "/v1/messages",
        {
            **BASE,
            "messages": [
                {"role": "user", "content": "a"},
                {
                    "role": _ASSIST,
                    "content": [
                        {
                            "type": "mcp_tool_use",
                            "id": "mcptoolu_01",
                            "name": "q",
                            "server_name": "crm-010-2345-6789",
                            "input": {},
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
        "service-tier",
        "/v1/messages",
        {**BASE, "service_tier": "010-2345-6789", "messages": _user("연락처 010-2345-6789")},
        "010-2345-6789",
        {},
    ),
    (
        "cache-ttl",
        "/v1/messages",
        {
            **BASE,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "text",
                            "text": "연락처 010-2345-6789",
                            "cache_control": {"type": "ephemeral", "ttl": "010-2345-6789"},
                        }
                    ],
                }
            ],
        },
        "010-2345-6789",
        {},
    ),
    (
        "tool-type-custom",
        "/v1/messages",
        {
            **BASE,
            "messages": _user("hi"),
            "tools": [
                {
                    "type": "custom",
                    "name": "t",
                    "description": "주민번호 900101-1234568 조회",
                    "input_schema": {"type": "object"},
                }
            ],
        },
        "900101-1234568",
        {},
    ),
    (
        "tool-server-web-fetch-domains",
        "/v1/messages",
        {
            **BASE,
            "messages": _user("hi"),
            "tools": [
                {
                    "type": "web_fetch_20250910",
                    "name": "web_fetch",
                    "allowed_domains": ["intranet.hanbit-soft.co.kr", "203.0.113.77"],
                }
            ],
        },
        "203.0.113.77",
        {},
    ),
    (
        "tool-user-location",
        "/v1/messages",
        {
            **BASE,
            "messages": _user("hi"),
            "tools": [
                {
                    "type": "web_search_20250305",
                    "name": "web_search",
                    "user_location": {
                        "type": "approximate",
                        "city": "Seoul",
                        "region": "kim@hanbit-soft.co.kr",
                        "country": "KR",
                    },
                }
            ],
        },
        "kim@hanbit-soft.co.kr",
        {},
    ),
]


# Opaque values the API issued that must arrive unchanged (else the API rejects the replayed turn): damaged if not.
_RNG = random.Random(33)
# shaped like the API's: protobuf bytes in base64 (random here, as encrypted bytes are)
_ENC = "EqMDCioIBhgCIiQ" + base64.b64encode(bytes(_RNG.getrandbits(8) for _ in range(300))).decode()
_IDX = "Eo8BCioIAhgBIiQ" + base64.b64encode(bytes(_RNG.getrandbits(8) for _ in range(60))).decode()
KEEPS: list[tuple[str, dict[str, Any], str]] = [
    (
        "web-search-encrypted_content",
        {
            **BASE,
            "messages": [
                {"role": "user", "content": "조달청 공고 검색해줘"},
                {
                    "role": "assistant",
                    "content": [
                        {
                            "type": "server_tool_use",
                            "id": "srvtoolu_01A",
                            "name": "web_search",
                            "input": {"query": "조달청 공고"},
                        },
                        {
                            "type": "web_search_tool_result",
                            "tool_use_id": "srvtoolu_01A",
                            "content": [
                                {
                                    "type": "web_search_result",
                                    "url": "https://www.g2b.go.kr/",
                                    "title": "나라장터",
                                    "encrypted_content": _ENC,
                                    "page_age": "2025-02-06",
                                }
                            ],
                        },
                    ],
                },
                {"role": "user", "content": "요약"},
            ],
        },
        _ENC,
    ),
    (
        "web-search-encrypted_index",
        {
            **BASE,
            "messages": [
                {"role": "user", "content": "a"},
                {
                    "role": "assistant",
                    "content": [
                        {
                            "type": "text",
                            "text": "공고",
                            "citations": [
                                {
                                    "type": "web_search_result_location",
                                    "url": "https://www.g2b.go.kr/",
                                    "title": "나라장터",
                                    "encrypted_index": _IDX,
                                    "cited_text": "공고",
                                }
                            ],
                        }
                    ],
                },
                {"role": "user", "content": "b"},
            ],
        },
        _IDX,
    ),
    (
        "redacted_thinking-data",
        {
            **BASE,
            "messages": [
                {"role": "user", "content": "a"},
                {
                    "role": "assistant",
                    "content": [{"type": "redacted_thinking", "data": _ENC}, {"type": "text", "text": "ok"}],
                },
                {"role": "user", "content": "b"},
            ],
        },
        _ENC,
    ),
]
# the same without the protobuf-looking prefix (random base64 throughout)
_ENC2 = base64.b64encode(bytes(_RNG.getrandbits(8) for _ in range(300))).decode()
KEEPS.append(("web-search-encrypted_content-random", json.loads(json.dumps(KEEPS[0][1]).replace(_ENC, _ENC2)), _ENC2))

# GET routes passed through (docs/llm-proxy.md: `GET /v1/models[/id]`): the path and query reach upstream. body None.
PROBES += [
    ("models-path-rrn", "/v1/models/claude-900101-1234568", None, "900101-1234568", {}),
    ("models-path-phone", "/v1/models/010-2345-6789", None, "010-2345-6789", {}),
    ("models-query-phone", "/v1/models?after_id=010-2345-6789&limit=5", None, "010-2345-6789", {}),
]
