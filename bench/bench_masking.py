"""Masking benchmark: throughput, added latency, worst case, recall and false positives. Prints, never asserts.

    .venv/bin/python bench/bench_masking.py

- throughput: mask + leak check + unmask of a ~20 KB prompt on one core, in MB/s of UTF-8 input;
- added latency per call for a 20 KB prompt: mask + leak check + unmask, p50 / p99;
- worst case: 1 MB of each pathological input of tests/test_masking_pathological.py (mask + leak check + unmask);
- recall per class on issue 10's attack corpus (1,030 planted values) and false positives per class on its
  look-alikes (1,214 texts), next to a naive masker (one sequential `re.sub` per pattern) and Presidio's
  pattern recognizers when `presidio_analyzer` is importable (`uv sync --group bench`).
"""

from __future__ import annotations

import contextlib
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bidradar.masking import Masker, MaskingLeakError
from bidradar.masking.keys import secret_values
from bidradar.matching.profiles import CompanyProfile
from tests.kit import masking_corpus as attack
from tests.kit.masking_corpus import COMPANY_SECRETS, lookalikes, planted_corpus
from tests.test_masking_pathological import SECRETS as PATHOLOGICAL_SECRETS
from tests.test_masking_pathological import UNITS

KEY = b"bench-key-of-at-least-thirty-two-bytes"
PROMPT_BYTES = 20_000
FILLER = (
    "본 사업은 나라장터 전자입찰 방식으로 진행되며, 입찰참가자격은 소프트웨어사업자로 신고된 업체로 한정한다. "
    "제안서는 기술평가 90점과 가격평가 10점으로 평가하며, 협상적격자 선정 후 기술협상을 실시한다. "
    "The supplier shall provide maintenance for the delivered system during the warranty period and shall "
    "report incidents to the contracting officer within one business day. 과업 범위와 산출물은 제안요청서를 따른다.\n"
)


def _prompt(dense: bool) -> str:
    """About 20 KB: only planted documents (dense), or one planted document per ~3 KB of filler (typical)."""
    docs = [doc.text for doc in planted_corpus(60)]
    parts: list[str] = []
    i = 0
    while len("".join(parts).encode()) < PROMPT_BYTES:
        parts.append(docs[i % len(docs)])
        if not dense:
            parts.append(FILLER * 4)
        i += 1
    text = "".join(parts).encode()[:PROMPT_BYTES].decode("utf-8", errors="ignore")
    return text


def _timeit(fn: Callable[[], object], runs: int) -> list[float]:
    for _ in range(5):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_ours(text: str, label: str) -> None:
    size = len(text.encode())

    def round_trip() -> None:
        masker = Masker(KEY, COMPANY_SECRETS)
        masked = masker.mask(text).masked
        masker.leak_check(masked)
        masker.unmask(masked)

    latency = _timeit(round_trip, 1000)
    throughput = size / statistics.mean(latency) / 1e6
    detections = len(Masker(KEY, COMPANY_SECRETS).mask(text).detections)
    print(
        f"{label:<34} {size / 1000:5.1f} KB  {detections:4d} values  mask+leak check+unmask {throughput:6.1f} MB/s"
        f"  p50 {_percentile(latency, 0.5) * 1000:.2f} ms  p99 {_percentile(latency, 0.99) * 1000:.2f} ms"
        f"  (fastest run {min(latency) * 1000:.2f} ms = {size / min(latency) / 1e6:.1f} MB/s)"
    )


def bench_pathological() -> None:
    """1 MB of each adversarial input: mask + leak check + unmask, the slowest first."""
    results = []
    for name, unit in UNITS.items():
        text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
        masker = Masker(KEY, PATHOLOGICAL_SECRETS)
        start = time.perf_counter()
        masked = masker.mask(text).masked
        with contextlib.suppress(MaskingLeakError):
            masker.leak_check(masked)
        masker.unmask(masked)
        results.append((time.perf_counter() - start, name))
    results.sort(reverse=True)
    print(
        "worst case, 1 MB of pathological input (mask + leak check + unmask): "
        + ", ".join(f"{name} {seconds:.2f} s" for seconds, name in results[:6])
        + f"; median {statistics.median(s for s, _ in results):.2f} s over {len(results)} inputs"
    )


def _attack_secrets() -> list[str]:
    data = yaml.safe_load(Path("profiles/hanbit-soft.yaml").read_text(encoding="utf-8"))
    return [*secret_values(CompanyProfile.model_validate(data)), *attack.profile_secrets()]


def _per_class(name: str, mask: Callable[[str], str]) -> None:
    """Recall per class family on the attack corpus and false positives per class on the look-alikes."""
    hit: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for case in attack.attack_corpus():
        family = case.cls.split("/")[0]
        total[family] += 1
        masked = mask(case.text)
        hit[family] += not any(p in masked for p in case.probes)
    flagged: Counter[str] = Counter()
    looks: Counter[str] = Counter()
    for look in attack.lookalike_corpus():
        looks[look.cls] += 1
        flagged[look.cls] += mask(look.text) != look.text
    recall = sum(hit.values()) / sum(total.values())
    fp = sum(flagged.values()) / sum(looks.values())
    print(
        f"{name}: recall {recall:.2%} of {sum(total.values())} planted; false positives {fp:.2%} of "
        f"{sum(looks.values())} look-alikes"
    )
    print("  recall by class: " + ", ".join(f"{k} {hit[k] / total[k]:.0%}" for k in sorted(total)))
    print("  false positives by class: " + ", ".join(f"{k} {flagged[k] / looks[k]:.0%}" for k in sorted(looks)))


def compare_per_class() -> None:
    secrets = _attack_secrets()
    _per_class("ours", lambda t: Masker(KEY, secrets).mask(t).masked)
    _per_class("naive re.sub", lambda t: naive_mask(t, secrets))
    recognizers = _presidio_recognizers()
    if recognizers is not None:
        _per_class("presidio", lambda t: presidio_mask(t, recognizers, secrets))


# The naive masker: one re.sub per pattern, placeholders with brackets, no validation.
_NAIVE_PATTERNS = [
    r"\d{6}-?[1-4]\d{6}",
    r"\d{3}-\d{2}-\d{5}",
    r"01[016789]-?\d{3,4}-?\d{4}",
    r"0\d{1,2}-\d{3,4}-\d{4}",
    r"[\w.+-]+@[\w-]+\.[\w.]+",
    r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}",
    r"(?:i|vol|snap|sg|subnet|vpc|igw|nat|eni|ami|rtb|acl|tgw|eipalloc)-[0-9a-f]{8}",
    r"arn:aws:[^\s]+",
    r"AKIA[A-Z0-9]{16}",
    r"s3://[a-z0-9.-]+",
    r"\d{12}",
]


def naive_mask(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "[[SECRET]]")
    for pattern in _NAIVE_PATTERNS:
        text = re.sub(pattern, "[[MASKED]]", text)
    return text


def compare_naive(text: str) -> None:
    size = len(text.encode())
    speed = size / statistics.mean(_timeit(lambda: naive_mask(text, COMPANY_SECRETS), 200)) / 1e6
    docs = planted_corpus()
    planted = [(doc, p) for doc in docs for p in doc.planted]
    naive_masked = {id(doc): naive_mask(doc.text, COMPANY_SECRETS) for doc in docs}
    ours_masked = {id(doc): Masker(KEY, COMPANY_SECRETS).mask(doc.text).masked for doc in docs}
    naive_recall = sum(p.value not in naive_masked[id(doc)] for doc, p in planted) / len(planted)
    ours_recall = sum(p.value not in ours_masked[id(doc)] for doc, p in planted) / len(planted)
    looks = lookalikes()
    naive_fp = sum(naive_mask(t, []) != t for t in looks)
    ours_fp = sum(bool(Masker(KEY).mask(t).detections) for t in looks)
    print(f"naive sequential re.sub (mask only)  {speed:6.1f} MB/s")
    print(f"recall on {len(planted)} planted values: ours {ours_recall:.2%}  naive {naive_recall:.2%}")
    print(f"false positives on {len(looks)} look-alike texts: ours {ours_fp}  naive {naive_fp}")


def _presidio_recognizers() -> list | None:
    """Presidio's pattern recognizers that need no NLP model: the Korean ids, e-mail, IP and phone."""
    try:
        from presidio_analyzer.predefined_recognizers import (
            EmailRecognizer,
            IpRecognizer,
            KrBrnRecognizer,
            KrFrnRecognizer,
            KrRrnRecognizer,
            PhoneRecognizer,
        )
    except ImportError:
        return None
    import logging

    # tldextract (behind the e-mail recognizer) tries to download the public suffix list, then falls back
    # to its bundled snapshot: the failed download is only noise here.
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    return [
        KrRrnRecognizer(),
        KrFrnRecognizer(),
        KrBrnRecognizer(),
        EmailRecognizer(),
        IpRecognizer(),
        PhoneRecognizer(supported_regions=("KR",)),
    ]


def presidio_mask(text: str, recognizers: list, secrets: list[str]) -> str:
    for secret in secrets:  # Presidio has no deny-list here; give it the same exact secrets as the others
        text = text.replace(secret, "<SECRET>")
    spans = sorted(
        (r.start, r.end)
        for recognizer in recognizers
        for r in recognizer.analyze(text, recognizer.supported_entities, None)
    )
    out, cursor = [], 0
    for start, end in spans:
        if start < cursor:  # overlapping: keep the first, extend it
            cursor = max(cursor, end)
            continue
        out.append(text[cursor:start] + "<PII>")
        cursor = end
    return "".join(out) + text[cursor:]


def compare_presidio(text: str) -> None:
    recognizers = _presidio_recognizers()
    if recognizers is None:
        print("presidio not installed: skipped (uv sync --group bench installs it)")
        return
    size = len(text.encode())
    speed = size / statistics.mean(_timeit(lambda: presidio_mask(text, recognizers, COMPANY_SECRETS), 20)) / 1e6
    docs = planted_corpus()
    planted = [(doc, p) for doc in docs for p in doc.planted]
    masked = {id(doc): presidio_mask(doc.text, recognizers, COMPANY_SECRETS) for doc in docs}
    recall = sum(p.value not in masked[id(doc)] for doc, p in planted) / len(planted)
    by_kind: dict[str, list[bool]] = {}
    for doc, p in planted:
        by_kind.setdefault(p.kind, []).append(p.value not in masked[id(doc)])
    looks = lookalikes()
    false_positives = sum(presidio_mask(t, recognizers, []) != t for t in looks)
    print(f"presidio pattern recognizers (mask only) {speed:6.2f} MB/s")
    print(
        f"recall on {len(planted)} planted values: presidio {recall:.2%}; by type: "
        + ", ".join(f"{k} {sum(v) / len(v):.0%}" for k, v in sorted(by_kind.items()))
    )
    print(f"false positives on {len(looks)} look-alike texts: presidio {false_positives}")


def main() -> None:
    print("one core, single thread; sizes are UTF-8 bytes")
    typical = _prompt(dense=False)
    bench_ours(typical, "typical prompt (1 doc per ~3 KB)")
    bench_ours(_prompt(dense=True), "dense prompt (planted docs only)")
    compare_naive(typical)
    compare_presidio(typical)
    bench_pathological()
    compare_per_class()


if __name__ == "__main__":
    main()
