"""Stop 32's red team (issue 24): the corpus of tests/test_masking_redteam32_corpus.py through the policy (one row
per class and format), through the gateway (google-genai against the Gemini stand-in) and through the proxy (the
Anthropic SDK against the Anthropic stand-in: user text, system prompt and tool results, JSON and SSE); ordinary
texts that look like these values are neither refused nor masked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import anthropic
import pytest

from bidradar.masking import Masker, mask_command
from bidradar.masking.detect import TOKEN_RE
from bidradar.masking.gateway import AuditRecord, LLMGateway
from bidradar.masking.policy import MaskingRefused, mask_outgoing
from tests.kit.anthropic import AnthropicStandIn, masking_proxy, seen_upstream, send_in_batches
from tests.kit.gemini import GeminiStandIn
from tests.test_masking_redteam32_corpus import Doc, attack_corpus, ordinary_texts

KEY = b"r" * 32
MODEL = "claude-sonnet-4-5"
DOCS = attack_corpus()


def _leaked(doc: Doc, seen: str) -> list[str]:
    # Tokens out first: a planted hexdump fragment of four digits (`0509`) is found inside a token's 16 hex digits
    # by chance, and the encrypted key bodies (cryptography's random salt) make new tokens every run.
    seen = TOKEN_RE.sub("<token>", seen)
    return [value for value in doc.planted if value in seen]


def test_the_corpus_covers_each_class_and_format() -> None:
    classes = Counter(doc.cls for doc in DOCS)
    assert set(classes) == {"PROSE", "KEYBODY", "HEXDUMP", "SPOKENIP"}
    formats = {doc.fmt.split("/")[0] for doc in DOCS}
    assert {"prose", "chat", "json", "yaml", "env", "log", "csv", "md", "html", "sql"} <= formats
    assert {"wrapped64", "wrapped70", "wrapped76", "bare", "markdown", "quote"} <= formats
    assert {"xxd", "hexdump-c", "od-c", "od-x1z", "report", "markdown"} <= formats
    assert all(doc.planted for doc in DOCS)


@pytest.mark.parametrize("doc", DOCS, ids=[f"{doc.cls}-{doc.fmt}-{i}" for i, doc in enumerate(DOCS)])
def test_each_value_is_masked_by_a_detector_and_restored(doc: Doc) -> None:
    masker = Masker(KEY)
    out = mask_outgoing(masker, doc.text, "the prompt")
    assert _leaked(doc, out.text) == [], out.text
    assert out.residues == {}, f"the leak check had to mask what the detectors missed: {out.residues}: {out.text}"
    assert masker.unmask(out.text) == doc.text


@pytest.mark.parametrize(
    "text",
    [
        "암호 Tr0ub4dor&3xq! 로 로그인하세요",
        "관리자 비번은 다음과 같다 → Xk9#mPq2!z",
        "ssh 접속: root / hunter2024",
        "the password is s3cr3tPassw0rd",
    ],
)
def test_bidradar_mask_shows_the_prose_password_masked(text: str) -> None:
    """Stop 31's reproduction: `printf '%s' '암호 Tr0ub4dor&3xq! 로 로그인하세요' | bidradar mask` sent it in clear."""
    masked = mask_command(text, [], KEY, as_json=False)
    secret = text.split()[-1] if text.startswith("the") else text.split()[1 if text.startswith("암호") else -1]
    assert "MASK_CREDENTIAL_" in masked and secret not in masked


def test_ordinary_look_alikes_are_neither_refused_nor_masked() -> None:
    refused, masked = Counter(), Counter()
    texts = ordinary_texts()
    for kind, text in texts:
        try:
            out = mask_outgoing(Masker(KEY), text, "the prompt")
        except MaskingRefused:
            refused[kind] += 1
            continue
        if out.counts:
            masked[kind] += 1
            print(kind, dict(out.counts), repr(out.text[:300]))
    print(f"{len(texts)} ordinary look-alikes: refused {sum(refused.values())}, masked {dict(masked)}")
    assert len(texts) >= 90
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
    assert [f"{doc.cls}/{doc.fmt}" for doc in DOCS if _leaked(doc, seen)] == []
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
    assert len(standin.requests) >= len(DOCS) // 30
    assert [f"{doc.cls}/{doc.fmt}" for doc in DOCS if _leaked(doc, seen)] == []
