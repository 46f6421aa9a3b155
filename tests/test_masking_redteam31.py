"""Session 31's red team (issue 24): the corpus of tests/test_masking_redteam31_corpus.py through the policy (a
table test, one row per class and format), through the gateway (google-genai against the Gemini stand-in) and
through the proxy (the Anthropic SDK against the Anthropic stand-in, in user text, the system prompt and tool
results); ordinary texts that look like these values are not refused."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

import anthropic
import pytest

from bidradar.masking import Masker, mask_command
from bidradar.masking.gateway import AuditRecord, LLMGateway
from bidradar.masking.policy import MaskingRefused, mask_outgoing
from tests.kit.anthropic import AnthropicStandIn, masking_proxy, seen_upstream, send_in_batches
from tests.kit.gemini import GeminiStandIn
from tests.test_masking_redteam31_corpus import Doc, attack_corpus, ordinary_texts

KEY = b"s" * 32
MODEL = "claude-sonnet-4-5"
DOCS = attack_corpus()
_TOKEN = re.compile(r"MASK_[A-Z]+_[0-9A-F]{16}")
_NOT_DIGIT = re.compile(r"[^0-9X]")


def _digits_seen(seen: str) -> str:
    """The digits of `seen` with every token a break (X): a value written digit by digit is found whatever is
    between its digits, but never by joining digits across a token."""
    return _NOT_DIGIT.sub("", _TOKEN.sub("X", unicodedata.normalize("NFKC", seen)))


def _leaks(doc: Doc, seen: str, digits_seen: str | None = None) -> bool:
    digits_seen = _digits_seen(seen) if digits_seen is None else digits_seen
    return any(v in seen for v in doc.planted) or any(v in digits_seen for v in doc.digits)


def test_the_corpus_covers_each_class_and_format() -> None:
    classes = Counter(doc.cls for doc in DOCS)
    assert {"RRN", "FRN", "PHONE", "LANDLINE", "BRN", "CRN", "CARD", "ACCOUNT"} <= set(classes)
    assert {"EMAIL", "PLACE", "LITERAL", "B64B64", "IPV6"} <= set(classes)
    formats = {doc.fmt.split("/")[0] for doc in DOCS}
    assert {
        "prose",
        "json",
        "yaml",
        "env",
        "log",
        "csv",
        "table-cells",
        "html-cells",
        "lines",
        "code",
        "bare",
    } <= formats


@pytest.mark.parametrize("doc", DOCS, ids=[f"{doc.cls}-{doc.fmt}-{i}" for i, doc in enumerate(DOCS)])
def test_each_value_is_masked_by_a_detector_and_restored(doc: Doc) -> None:
    masker = Masker(KEY)
    out = mask_outgoing(masker, doc.text, "the prompt")
    assert not _leaks(doc, out.text), out.text
    assert out.residues == {}, f"the leak check had to mask what the detectors missed: {out.residues}: {out.text}"
    assert masker.unmask(out.text) == doc.text


def test_the_leads_case_is_masked_by_bidradar_mask_not_refused() -> None:
    """Stop 30's lead: `bidradar mask` refused a 주민번호 written with a space between every digit; it now shows
    what the gateway sends (the policy), and the detectors mask it as a 주민번호."""
    text = "이름 홍길동 주민 9 0 0 1 0 1 - 1 2 3 4 5 6 8"
    payload = json.loads(mask_command(text, [], KEY, as_json=True))
    assert payload["masked"].startswith("이름 홍길동 주민 MASK_RRN_") and "5 6 8" not in payload["masked"]
    assert payload["counts"] == {"RRN": 1}
    assert payload["restored"] == text


def test_the_leak_check_alone_is_a_second_opinion() -> None:
    missed = Counter()
    for doc in DOCS:
        out = mask_outgoing(Masker(KEY, detectors=[]), doc.text, "the prompt")
        if _leaks(doc, out.text):
            missed[f"{doc.cls}/{doc.fmt}"] += 1
    assert missed == Counter(), dict(missed)


def test_ordinary_look_alikes_are_neither_refused_nor_masked() -> None:
    refused, masked = Counter(), Counter()
    texts = ordinary_texts()
    for kind, text in texts:
        try:
            out = mask_outgoing(Masker(KEY), text, "the prompt")
        except MaskingRefused:
            refused[kind] += 1
            continue
        for masked_kind in out.counts:
            masked[(kind, masked_kind)] += 1
    print(f"{len(texts)} ordinary look-alikes: refused {sum(refused.values())}, masked {dict(masked)}")
    assert refused == Counter()
    assert masked == Counter()


def test_the_corpus_never_reaches_gemini_through_the_gateway() -> None:
    standin = GeminiStandIn()
    audits: list[AuditRecord] = []
    with standin.serve() as url:
        gateway = LLMGateway.from_api_key(
            "k", base_url=url, company="acme", key=KEY, audit=audits.append, max_attempts=1
        )
        for start in range(0, len(DOCS), 20):
            text = "\n\n".join(doc.text for doc in DOCS[start : start + 20])
            assert gateway.generate("redteam", text).text == "Echo: " + text
    seen = "\n".join(r.body if isinstance(r.body, str) else r.body.decode() for r in standin.requests)
    seen += "\n".join(r.decoded() for r in standin.requests)
    digits_seen = _digits_seen(seen)
    assert [f"{doc.cls}/{doc.fmt}" for doc in DOCS if _leaks(doc, seen, digits_seen)] == []
    assert {a.outcome for a in audits} == {"ok"}


@pytest.fixture
def proxy() -> Iterator[tuple[AnthropicStandIn, str]]:
    with masking_proxy(KEY) as served:
        yield served


@pytest.mark.parametrize("streamed", [False, True])
def test_the_corpus_never_reaches_anthropic_through_the_proxy(proxy, streamed: bool) -> None:
    standin, url = proxy
    client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
    send_in_batches(client, MODEL, [doc.text for doc in DOCS], streamed=streamed)
    seen = seen_upstream(standin)
    digits_seen = _digits_seen(seen)
    assert len(standin.requests) >= len(DOCS) // 30
    assert [f"{doc.cls}/{doc.fmt}" for doc in DOCS if _leaks(doc, seen, digits_seen)] == []
