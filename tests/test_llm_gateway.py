"""The gateway end to end: real google-genai client -> loopback HTTP -> Gemini stand-in. No mocks."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from bidradar.masking import detect as d
from bidradar.masking.gateway import (
    AuditRecord,
    LLMBlockedError,
    LLMGateway,
    LLMResponseError,
    LLMUnavailableError,
    PromptPart,
)
from bidradar.masking.policy import MaskingRefused
from tests.kit.gemini import GeminiStandIn
from tests.kit.masking_corpus import COMPANY_SECRETS, planted_corpus

KEY = b"hanbit-masking-key"


class Summary(BaseModel):
    summary: str
    contacts: list[str]


def _json_answer(prompt: str) -> dict[str, object]:
    return {"summary": prompt, "contacts": [w for w in prompt.split() if w.startswith("MASK_")]}


@pytest.fixture(scope="module")
def standin() -> Iterator[GeminiStandIn]:
    stand_in = GeminiStandIn(json_answer=_json_answer, timeout_delay_s=1.0)
    with stand_in.serve() as base_url:
        stand_in.base_url = base_url  # type: ignore[attr-defined]
        yield stand_in


@pytest.fixture
def audits() -> list[AuditRecord]:
    return []


def make_gateway(standin: GeminiStandIn, audits: list[AuditRecord], **kwargs: object) -> LLMGateway:
    options: dict[str, object] = {"timeout_ms": 5_000, "backoff_s": 0.0, "max_attempts": 3}
    options.update(kwargs)
    secrets = options.pop("secrets", COMPANY_SECRETS)
    return LLMGateway.from_api_key(
        "test-api-key",
        base_url=standin.base_url,  # type: ignore[attr-defined]
        company="hanbit",
        key=KEY,
        secrets=secrets,  # type: ignore[arg-type]
        audit=audits.append,
        **options,  # type: ignore[arg-type]
    )


def _assert_nothing_planted_reached(standin: GeminiStandIn, first_request: int, values: list[str]) -> None:
    bodies = [(r.body, r.decoded()) for r in standin.requests[first_request:]]
    assert bodies
    for value in values:
        for raw, decoded in bodies:
            assert value not in raw and value not in decoded


def test_planted_corpus_never_reaches_the_model_and_round_trips(
    standin: GeminiStandIn, audits: list[AuditRecord]
) -> None:
    gateway = make_gateway(standin, audits)
    docs = planted_corpus()
    planted = [p.value for doc in docs for p in doc.planted]
    assert len(planted) >= 300
    first = len(standin.requests)
    for doc in docs:
        result = gateway.generate("bid-review", doc.text, system_instruction="Company: 한빛정보통신 주식회사")
        assert result.text == "Echo: " + doc.text
    _assert_nothing_planted_reached(standin, first, [*planted, "한빛정보통신"])
    assert len(audits) == len(docs)
    for record, doc in zip(audits, docs, strict=True):
        assert record.outcome == "ok" and record.company == "hanbit" and record.purpose == "bid-review"
        assert sum(record.counts.values()) >= len(doc.planted)
        assert record.unknown_tokens == 0
        assert record.prompt_tokens and record.output_tokens
        assert not any(p.value in repr(record) for p in doc.planted)


def test_streaming_round_trip_with_tokens_split_across_sse_chunks(
    standin: GeminiStandIn, audits: list[AuditRecord]
) -> None:
    gateway = make_gateway(standin, audits)
    first = len(standin.requests)
    for doc in planted_corpus(6):
        pieces = list(gateway.generate_stream("bid-review", doc.text))
        assert len(pieces) > 10
        assert "".join(pieces) == "Echo: " + doc.text
    _assert_nothing_planted_reached(standin, first, [p.value for doc in planted_corpus(6) for p in doc.planted])
    assert all(r.streamed and r.outcome == "ok" and r.restored_tokens > 0 for r in audits)


def test_structured_output_unmasks_every_string_of_the_parsed_json(
    standin: GeminiStandIn, audits: list[AuditRecord]
) -> None:
    gateway = make_gateway(standin, audits)
    prompt = '대표 김하늘 (010-1234-5678, "kim@example.com") 계약금액 1,234,560,000원'
    result = gateway.generate("extract", prompt, response_schema=Summary)
    assert isinstance(result.parsed, Summary)
    assert result.parsed.summary == prompt
    # The stand-in listed the whitespace-separated words that were tokens; each comes back restored.
    assert result.parsed.contacts == ["김하늘", "1,234,560,000원"]
    assert json.loads(result.text)["summary"] == prompt
    sent = standin.requests[-1].json()
    assert sent["generationConfig"]["responseMimeType"] == "application/json"
    assert "김하늘" not in standin.requests[-1].decoded()


def test_unknown_tokens_in_the_answer_are_counted(standin: GeminiStandIn, audits: list[AuditRecord]) -> None:
    gateway = make_gateway(standin, audits)
    result = gateway.generate("probe", "이전 호출의 MASK_RRN_0123456789ABCDEF 값")
    assert result.text == "Echo: 이전 호출의 MASK_RRN_0123456789ABCDEF 값"
    assert audits[-1].unknown_tokens == 1


@pytest.mark.parametrize("status", ["429", "500", "503"])
def test_retries_on_rate_limit_and_server_errors(
    standin: GeminiStandIn, audits: list[AuditRecord], status: str
) -> None:
    gateway = make_gateway(standin, audits)
    standin.fail_next(2, status)
    assert gateway.generate("retry", "hello 010-1234-5678").text == "Echo: hello 010-1234-5678"
    assert audits[-1].attempts == 3 and audits[-1].outcome == "ok"


def test_gives_up_after_max_attempts(standin: GeminiStandIn, audits: list[AuditRecord]) -> None:
    gateway = make_gateway(standin, audits)
    standin.fail_next(3, "503")
    with pytest.raises(LLMUnavailableError, match="503"):
        gateway.generate("retry", "hello")
    assert audits[-1].outcome == "unavailable" and audits[-1].attempts == 3


def test_timeout_is_retried(standin: GeminiStandIn, audits: list[AuditRecord]) -> None:
    gateway = make_gateway(standin, audits, timeout_ms=300)
    standin.fail_next(1, "timeout")
    assert gateway.generate("slow", "hello").text == "Echo: hello"
    assert audits[-1].attempts == 2


def test_malformed_response_raises_a_clear_error(standin: GeminiStandIn, audits: list[AuditRecord]) -> None:
    gateway = make_gateway(standin, audits)
    standin.fail_next(1, "malformed")
    with pytest.raises(LLMResponseError):
        gateway.generate("bad", "hello")
    assert audits[-1].outcome == "bad_response"


def test_structured_answer_that_is_not_json_raises(audits: list[AuditRecord]) -> None:
    stand_in = GeminiStandIn(json_answer=lambda prompt: "{not json " + prompt)
    with stand_in.serve() as base_url:
        stand_in.base_url = base_url  # type: ignore[attr-defined]
        gateway = make_gateway(stand_in, audits)
        with pytest.raises(LLMResponseError, match="not valid JSON"):
            gateway.generate("extract", "김하늘", response_schema=Summary)
    # The unreadable answer was still billed: its tokens count against the daily budget.
    assert audits[-1].outcome == "bad_response" and audits[-1].attempts == 1
    assert audits[-1].prompt_tokens and audits[-1].output_tokens


def test_safety_block_raises(standin: GeminiStandIn, audits: list[AuditRecord]) -> None:
    gateway = make_gateway(standin, audits)
    standin.fail_next(1, "blocked")
    with pytest.raises(LLMBlockedError, match="SAFETY"):
        gateway.generate("blocked", "hello")
    standin.fail_next(1, "blocked")
    with pytest.raises(LLMBlockedError):
        list(gateway.generate_stream("blocked", "hello"))
    assert [r.outcome for r in audits] == ["blocked", "blocked"]


def test_the_api_key_travels_in_the_header(standin: GeminiStandIn, audits: list[AuditRecord]) -> None:
    make_gateway(standin, audits).generate("key", "hi")
    request = standin.requests[-1]
    assert request.api_key == "test-api-key"
    # google-genai 3.x defaults to API version v1 (v1beta with GOOGLE_GENAI_API_VERSION=beta): both served.
    assert re.fullmatch(r"/v1(beta)?/models/gemini-2\.5-flash:generateContent", request.path)
    assert d.SECRET not in request.body


@pytest.mark.parametrize(
    ("detector", "prompt", "value", "leak_class"),
    [
        ("phone", "담당자 연락처\n010-2345-6789 입니다", "010-2345-6789", "DIGITS"),
        ("resident", "대표자 주민등록번호 900101-1234568", "900101-1234568", "DIGITS"),
        ("ip", "bastion 10.0.3.17 으로 접속", "10.0.3.17", "IPV4"),
        ("access_key", "role id AROAIOSFODNN7EXAMPLE", "AROAIOSFODNN7EXAMPLE", "AWSKEYID"),
        ("email", "메일 kim.minji@hanbit-it.co.kr 으로", "kim.minji@hanbit-it.co.kr", "EMAIL"),
    ],
)
def test_with_a_detector_disabled_the_leak_check_masks_what_it_missed_and_records_the_rule(
    standin: GeminiStandIn, audits: list[AuditRecord], detector: str, prompt: str, value: str, leak_class: str
) -> None:
    everything_else = [name for name in d.DETECTORS if name != detector]
    gateway = make_gateway(standin, audits, detectors=everything_else)
    # Mask, don't refuse: the independent leak check's residue is masked, the call goes out, the answer restores it.
    assert gateway.generate("leak-probe", prompt).text == "Echo: " + prompt
    assert value not in standin.requests[-1].decoded() and value not in standin.requests[-1].body
    assert audits[-1].outcome == "ok"
    assert audits[-1].counts.get(f"leakcheck:{leak_class}") == 1  # the class that caught the detector's gap


def test_what_cannot_be_masked_safely_is_refused_naming_the_class_and_where(
    standin: GeminiStandIn, audits: list[AuditRecord]
) -> None:
    # A secret the masker leaves inside a decimal, which the leak check can place only approximately: refused.
    gateway = make_gateway(standin, audits, secrets=["12345678"])
    sent_before = len(standin.requests)
    with pytest.raises(MaskingRefused) as info:
        gateway.generate(
            "leak-probe", [PromptPart("공고 본문 ", private=False), PromptPart("측정값 9.12345678 입니다")]
        )
    assert info.value.kind == "SECRET" and info.value.where == "part 2 of the prompt"
    assert "12345678" not in str(info.value)
    assert len(standin.requests) == sent_before  # nothing reached the model
    assert audits[-1].outcome == "leak_refused" and "SECRET" in (audits[-1].detail or "")


def test_profile_secrets_are_masked_only_in_the_profiles_text(
    standin: GeminiStandIn, audits: list[AuditRecord]
) -> None:
    gateway = make_gateway(standin, audits, secrets=["한빛정보통신", "스마트 교통"])
    notice = "공고: 스마트 교통 신호제어 구축 (수요기관 한빛정보통신 협력센터 아님)\n"
    profile = "회사: 한빛정보통신, 주력: 스마트 교통\n"
    gateway.generate("parts", [PromptPart(notice, private=False), PromptPart(profile)])
    body = standin.requests[-1].decoded()
    assert notice.strip() in body  # public notice text keeps words that merely equal a secret
    assert "회사: 한빛정보통신" not in body and "주력: 스마트 교통" not in body


def test_a_profile_written_one_value_per_line_in_json_reaches_the_model_masked(
    standin: GeminiStandIn, audits: list[AuditRecord]
) -> None:
    description = "한빛소프트웨어(주) 소개\n대표전화\n02)2125-1234\n서버\n10.0.3.17\n계좌\n110 123 456789 신한"
    prompt = json.dumps({"company": {"description": description}}, ensure_ascii=False, indent=1)
    gateway = make_gateway(standin, audits, secrets=["한빛소프트웨어(주)"])
    assert gateway.generate("bid-review", prompt).text == "Echo: " + prompt
    body = standin.requests[-1].decoded()
    for value in ("02)2125-1234", "10.0.3.17", "110 123 456789", "한빛소프트웨어"):
        assert value not in body and value not in standin.requests[-1].body
