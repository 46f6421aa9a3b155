"""Stop 36's red team (docs/notes/s36-redteam36.md): the generated corpus of attack-work/s36/corpus.py through the
masking policy, in process (what the gateway sends and `bidradar mask` prints; the runner attack-work/s36/run.py
also drives the gateway with google-genai and the proxy with the anthropic SDK).

A planted value must not go out in any written form, nor once its separators are removed; a refusal is no leak.
A case told in several messages (`extra["turns"]`) is masked message by message with one masker, as a
conversation. An ordinary text must go out unchanged and not be refused. Every case must come back unmasked exactly.
The case ids in KNOWN_GAPS failed when this file was last brought up to date: they are strict xfails, so a fix that
closes one makes the test fail until its id is removed here (`python tests/test_masking_s36_redteam.py` prints the
ids that fail now).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bidradar.masking.masker import Masker
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = bytes.fromhex("36" * 32)
HERE = Path(__file__).resolve().parents[1] / "attack-work" / "s36"


def _corpus() -> ModuleType:
    sys.path.insert(0, str(HERE))  # the corpus imports its neighbour ordinary36
    try:
        spec = importlib.util.spec_from_file_location("s36_redteam_corpus", HERE / "corpus.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(HERE))
    return module


corpus = _corpus()

# Why a case still fails, by class (or `ordinary:<class>`): the reasons of KNOWN_GAPS.
_REASONS = {
    "PHONE": "a phone in dingbat or Cyrillic digits, in prose or mixed with English words",
    "PASSWORD": "a password after its name with only a space, or in prose (set DB_PASS to X)",
    "S3BUCKET": "a bucket name after a bucket key without s3:// (YAML, Terraform, .env, boto3)",
    "CARD": "a card with OCR letters or dingbat digits, or broken by an empty line",
    "RRN": "a 주민번호 told in halves, the back half first or after a decoy",
    "FRN": "a 외국인등록번호 with combining marks",
    "AWSKEY": "an access key split by a space",
    "AWSTOKEN": "a session token split by spaces",
    "AWSID": "a resource id with a space after its dash or an upper-case prefix",
    "AWSACCOUNT": "an account id after a label typed in Hangul (어카운트 넘버)",
    "ARN": "an account id wrapped inside an ARN",
    "AWSHOST": "an RDS host wrapped at a line break",
    "EMAIL": "an e-mail in quoted-printable",
    "IP": "an IPv4 in dingbat digits",
    "BRN": "a bare 사업자번호 as a JSON key",
    "CRN": "a 법인번호 in two YAML keys (reg_no_a, reg_no_b)",
    "BANKACCT": "an account with OCR letters",
    "DRIVERLIC": "a 운전면허번호 with OCR letters (1l-03-…-S9)",
    "TOKEN_GITHUB": "a GitHub token with an ellipsis inside or spaced letters",
    "TOKEN_OPENAI": "a key reversed",
    "TOKEN_KAKAO": "a Kakao JavaScript key in Kakao.init(…) or spaced",
    "TOKEN_NAVER": "a Naver client secret of 10 characters after its header",
    "TOKEN_G2B": "a serviceKey value wrapped at a line break",
    "PRIVATEKEY": "lines of a PEM body without its header",
    "SECRETWORD": "the company's name in compatibility jamo or as hex",
    "TOKEN_JWT": "a JWT wrapped over lines after Bearer: not restored exactly",
    "ordinary:product": "a product or item code with a phone's or an account's shape masked",
    "ordinary:numbers": "a registry number (등기번호 제2026-012345호) masked",
}

KNOWN_GAPS = {
    "awskey-prose_wrap",
    "awskey-reversed",
    "bank-ocr",
    "brn-json_key",
    "card-dingbat",
    "card-ocr",
    "card-pdf_broken",
    "crn-yaml",
    "dl-ocr",
    "email-quoted_printable",
    "frn-combining",
    "ip-dingbat",
    "more-password-label_after",
    "more-password-slack_code",
    "more-password-use_prose_en",
    "phone-cyrillic_o",
    "phone-dingbat",
    "phone-english_mixed",
    "phone-prose_words",
    "phone-slack_lines",
    "pw-k8s_env_from",
    "pw-korean_ime",
    "pw-next_para",
    "pw-paren_label",
    "pw-typo_ko",
    "pw-typo_label",
    "rrn-bullet_halves",
    "rrn-csv_split",
    "rrn-dingbat",
    "rrn-ocr_letters",
    "tok-openai-reversed",
}

ATTACKS = corpus.attacks()
ORDINARY = corpus.ordinary()


def _reason(case: object) -> str:
    cls = getattr(case, "cls", "")
    key = "ordinary:" + cls if getattr(case, "ordinary", False) else cls
    return _REASONS.get(key) or f"{cls} written as {getattr(case, 'form', '')}"


def _params(cases: list) -> list:
    return [
        pytest.param(c, id=c.id, marks=pytest.mark.xfail(strict=True, reason=_reason(c)) if c.id in KNOWN_GAPS else ())
        for c in cases
    ]


def _round_trip(case: object) -> tuple[list[str], list[str], Masker] | None:
    """What goes out for each message of the case, or None when the policy refused (nothing was sent)."""
    masker = Masker(KEY, corpus.SECRETS)
    turns = case.extra.get("turns") or [case.text]  # type: ignore[attr-defined]
    try:
        return turns, [mask_outgoing(masker, t, "the text").text for t in turns], masker
    except MaskingRefused:
        return None


def _fails(case: object) -> bool:
    done = _round_trip(case)
    if done is None:
        return bool(getattr(case, "ordinary", False))
    turns, sent, masker = done
    if [masker.unmask(s) for s in sent] != turns:
        return True
    if getattr(case, "ordinary", False):
        return sent != turns
    return corpus.leaked(case, "\n".join(sent)) is not None


def test_known_gaps_are_cases() -> None:
    ids = {c.id for c in ATTACKS + ORDINARY}
    assert ids >= KNOWN_GAPS, sorted(KNOWN_GAPS - ids)


@pytest.mark.parametrize("case", _params(ATTACKS))
def test_planted_value_does_not_leave(case: object) -> None:
    done = _round_trip(case)
    if done is None:
        return  # refused: nothing was sent
    turns, sent, masker = done
    assert corpus.leaked(case, "\n".join(sent)) is None, sent
    assert [masker.unmask(s) for s in sent] == turns


@pytest.mark.parametrize("case", _params(ORDINARY))
def test_ordinary_text_goes_out_unchanged(case: object) -> None:
    done = _round_trip(case)
    assert done is not None, "an ordinary text was refused"
    turns, sent, _ = done
    assert sent == turns


if __name__ == "__main__":
    print(sorted(c.id for c in ATTACKS + ORDINARY if _fails(c)))
