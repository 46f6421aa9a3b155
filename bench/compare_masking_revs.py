"""Does a speed change keep what the policy sends? Every text of the masking corpora (planted, look-alikes, attacks,
ordinary technical and notice texts, red-team corpora of sessions 30 and 31, the secrets corpus), 400 splices of two of them, and each
pathological unit at 1 KB and 20 KB, through the policy now and at another git revision: the outgoing text, the
counts per type and the refusals must be the same. Prints the differences, never asserts. Also: the red team's
corpora of sessions 32 and 33 (`attack-work/corpus.py`), every string literal of the masking and proxy tests, and the
bench's typical and dense 20 KB prompts; with --worst, the bench's 1 MB of dense identifiers too.

    .venv/bin/python bench/compare_masking_revs.py [--previous REV] [--worst]
"""

from __future__ import annotations

import argparse
import ast
import importlib
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tests.test_masking_redteam31_corpus as redteam31
import tests.test_masking_redteam32_corpus as redteam32
import tests.test_masking_redteam_corpus as redteam30
from bench.bench_masking_policy import load_masking, prompt
from bidradar.masking import Masker
from bidradar.masking.policy import MaskingRefused, mask_outgoing
from tests.kit import masking_corpus, ordinary_corpus, secrets_corpus
from tests.test_masking_pathological import UNITS

KEY = b"compare-revisions-key-32-bytes!!"
REPO = Path(__file__).resolve().parents[1]


def attack_work_texts() -> list[str]:
    """The session-33 red team's cases, generated in the order its harness calls them (one seeded RNG)."""
    sys.path.insert(0, str(REPO / "attack-work"))
    corpus = importlib.import_module("corpus")
    makers = ["attacks", "ordinary", "attacks2", "ordinary2", "attacks3", "ordinary3", "attacks4", "ordinary4"]
    makers += ["attacks5", "ordinary5"]
    return [case.text for maker in makers for case in getattr(corpus, maker)()]


def test_literals() -> list[str]:
    """Every string literal of 8 characters or more in the masking and proxy tests (the hand-written cases)."""
    texts: list[str] = []
    for path in sorted(REPO.glob("tests/test_masking*.py")) + sorted(REPO.glob("tests/test_llm_proxy*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) >= 8:
                texts.append(node.value)
    return list(dict.fromkeys(texts))


def corpus_texts() -> list[str]:
    texts = [d.text for d in masking_corpus.planted_corpus(60)]
    texts += [case.text for case in masking_corpus.attack_corpus()]
    texts += [look.text for look in masking_corpus.lookalike_corpus()]
    texts += masking_corpus.lookalikes()
    texts += [d.text for d in secrets_corpus.secrets_corpus()]
    for module in (redteam30, redteam31, redteam32):
        texts += [d.text for d in module.attack_corpus()] + [text for _, text in module.ordinary_texts()]
    texts += [text for _, text in ordinary_corpus.ordinary_texts()] + ordinary_corpus.notice_texts()
    rng = random.Random(5)
    base = list(texts)
    for _ in range(400):  # splices: values at new places, windows at new boundaries
        first, second = rng.sample(base, 2)
        joined = first + rng.choice(["", " ", "\n", "=", "/", "_"]) + second
        start = rng.randrange(len(joined))
        texts.append(joined[start : start + rng.randint(20, 3000)])
    for unit in UNITS.values():
        texts += [(unit * (size // len(unit) + 1))[:size] for size in (997, 20_000)]
    texts += attack_work_texts() + test_literals()
    texts += [prompt(20_000, dense) for dense in (False, True)]
    return texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--previous", default="3a32cfc")
    parser.add_argument("--worst", action="store_true", help="the bench's 1 MB of dense identifiers too (slow)")
    args = parser.parse_args()
    if load_masking(args.previous, "masking_compared") is None:
        sys.exit(f"git does not know {args.previous}")
    old_masker = importlib.import_module("masking_compared.masker").Masker
    old_policy = importlib.import_module("masking_compared.policy")

    def outgoing(masker_class, policy, refused, text: str) -> tuple[str, ...]:
        try:
            out = policy(masker_class(KEY, masking_corpus.COMPANY_SECRETS), text, "the text")
        except refused as error:
            return ("refused", str(error))
        return ("sent", out.text, repr(sorted(out.counts.items())))

    texts = corpus_texts() + ([prompt(1_000_000, True)] if args.worst else [])
    differences = 0
    for text in texts:
        now = outgoing(Masker, mask_outgoing, MaskingRefused, text)
        then = outgoing(old_masker, old_policy.mask_outgoing, old_policy.MaskingRefused, text)
        if now != then:
            differences += 1
            if differences <= 10:
                print(f"different: {text[:120]!r}: now {now[0]}, {args.previous} {then[0]}")
    print(f"{len(texts)} texts, {differences} with a different outgoing text, count or refusal than {args.previous}")


if __name__ == "__main__":
    main()
