"""Session 30's red team (issue 24): values written in formats the earlier corpora did not use, through the policy
(a table test, one row per class and format), through the gateway (google-genai against the Gemini stand-in) and
through the proxy (the Anthropic SDK against the Anthropic stand-in, in user text, the system prompt and tool
results); ordinary technical and notice texts are not refused. Claude Code with these values:
tests/test_llm_proxy_claude_code.py. The corpus: tests/test_masking_redteam_corpus.py (generated values).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

import anthropic
import pytest

from bidradar.masking import Masker
from bidradar.masking import detect as d
from bidradar.masking.gateway import AuditRecord, LLMGateway
from bidradar.masking.policy import MaskingRefused, mask_outgoing
from tests.kit.anthropic import AnthropicStandIn, masking_proxy, seen_upstream, send_in_batches
from tests.kit.gemini import GeminiStandIn
from tests.test_masking_redteam_corpus import Doc, attack_corpus, ordinary_texts

KEY = b"r" * 32
MODEL = "claude-sonnet-4-5"
DOCS = attack_corpus()
_SEPARATORS = re.compile(r"[\s\u200b\u00ad\u2060\-.()+]")


def _squeezed(text: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


def _leaked(doc: Doc, seen: str, squeezed_seen: str | None = None) -> bool:
    """A planted value is in `seen` as written, or with its separators and invisible characters dropped."""
    squeezed_seen = _squeezed(seen) if squeezed_seen is None else squeezed_seen
    return any(v in seen or (len(_squeezed(v)) >= 6 and _squeezed(v) in squeezed_seen) for v in doc.planted)


def test_the_corpus_covers_each_new_class_and_format() -> None:
    classes = Counter(doc.cls for doc in DOCS)
    assert set(classes) == {
        "RRN",
        "FRN",
        "CRN",
        "PASSPORT",
        "DRIVER",
        "HEALTH",
        "CARD",
        "ACCOUNT",
        "IBAN",
        "AWS",
        "PHONE",
        "EMAIL",
        "SECRET",
    }
    formats = {doc.fmt.split("/")[0] for doc in DOCS}
    for fmt in (
        "json",
        "yaml",
        "env",
        "csv",
        "log",
        "markdown",
        "code",
        "url",
        "url-double",
        "base64",
        "full-width",
        "zwsp",
        "soft-hyphen",
        "nbsp",
        "thin-space",
        "wrapped",
        "hangul-numerals",
        "mixed-numerals",
        "cloudformation",
        "terraform",
        "iam-json",
        "intl-space",
        "voip-070",
        "k8s-secret-b64",
        "underscore",
        "brackets",
        "word-after",
        "halves",
        "jamo-dash",
        "slashes",
        "html-entities",
    ):
        assert fmt in formats, fmt
    assert len(DOCS) >= 400


@pytest.mark.parametrize("doc", DOCS, ids=[f"{doc.cls}-{doc.fmt}-{i}" for i, doc in enumerate(DOCS)])
def test_each_value_is_masked_by_a_detector_and_restored(doc: Doc) -> None:
    masker = Masker(KEY)
    out = mask_outgoing(masker, doc.text, "the prompt")
    assert not _leaked(doc, out.text), out.text
    assert out.residues == {}, f"the leak check had to mask what the detectors missed: {out.residues}"
    assert masker.unmask(out.text) == doc.text


# What the independent leak check alone (every detector off) lets through, by design: nothing now (the 대표번호
# forms, 1588-xxxx and 1661 xxxx, are an organisation's number and no attack since s37 ordinary37).
LEAK_CHECK_BLIND: set[str] = set()


def test_the_leak_check_alone_is_a_second_opinion_on_the_new_classes() -> None:
    missed = Counter()
    for doc in DOCS:
        out = mask_outgoing(Masker(KEY, detectors=[]), doc.text, "the prompt")
        if _leaked(doc, out.text):
            missed[doc.fmt.split("/")[0]] += 1
    assert set(missed) <= LEAK_CHECK_BLIND, dict(missed)


def test_ordinary_texts_are_never_refused_and_masked_only_where_a_value_is() -> None:
    refused, masked, residues = Counter(), Counter(), Counter()
    texts = ordinary_texts()
    for kind, text in texts:
        try:
            out = mask_outgoing(Masker(KEY), text, "the prompt")
        except MaskingRefused:
            refused[kind] += 1
            continue
        residues[kind] += bool(out.residues)
        for kind_masked in out.counts:
            masked[(kind, kind_masked)] += 1
    print(f"{len(texts)} ordinary texts: refused {sum(refused.values())}, masked {dict(masked)}")
    assert refused == Counter()
    assert residues == Counter()
    # The only values in them: the author's e-mail of a git log and 조달청's call centre number of a notice.
    assert {pair for pair in masked} <= {("git-log", d.EMAIL), ("notice-new", d.PHONE)}


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
    squeezed = _squeezed(seen)
    assert [f"{doc.cls}/{doc.fmt}" for doc in DOCS if _leaked(doc, seen, squeezed)] == []
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
    squeezed = _squeezed(seen)
    assert len(standin.requests) >= len(DOCS) // 30
    assert [f"{doc.cls}/{doc.fmt}" for doc in DOCS if _leaked(doc, seen, squeezed)] == []
