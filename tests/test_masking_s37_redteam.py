"""Stop 37's red team (docs/notes/s37-redteam37.md): the generated corpus of attack-work/s37/corpus.py through the
masking policy, in process (what the gateway sends and `bidradar mask` prints; the runner attack-work/s37/run.py
also drives the gateway with google-genai and the proxy with the anthropic SDK).

A planted value must not go out in any written form, nor once its separators are removed; a refusal is no leak.
A case told in several messages (`extra["turns"]`) is masked message by message with one masker, as a
conversation. An ordinary text must go out unchanged and not be refused. Every case must come back unmasked exactly.
The case ids in KNOWN_GAPS failed when this file was last brought up to date: they are strict xfails, so a fix that
closes one makes the test fail until its id is removed here (`python tests/test_masking_s37_redteam.py` prints the
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

KEY = bytes.fromhex("37" * 32)
HERE = Path(__file__).resolve().parents[1] / "attack-work" / "s37"


def _corpus() -> ModuleType:
    sys.path.insert(0, str(HERE))  # the corpus imports its neighbour ordinary37
    try:
        spec = importlib.util.spec_from_file_location("s37_redteam_corpus", HERE / "corpus.py")
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
    "PASSWORD": "a password in base64 of UTF-16 (powershell -EncodedCommand)",
    "PHONE": "a phone wrapped inside a digit group, in base64 of UTF-16 or a MIME base64 body across two lines, or "
    "formatted with thousands separators by a spreadsheet",
    "RRN": "a 주민번호 in a MIME base64 body across two lines, wrapped under a '# ' comment prefix, or formatted "
    "with thousands separators",
    "CARD": "a card glued to letters or a length prefix (track 1 %B, VISA, PAN, EMV tags 5A08/57, ISO 8583 F002=16), "
    "in a MIME base64 body or with thousands separators",
    "AWSACCOUNT": "an account id inside AWS's default resource names (elasticbeanstalk-…, cdk-hnb659fds-…), "
    "an ASCII table cell, wrapped inside the number, or with thousands separators",
    "BRN": "a bare 사업자번호 under the tax service's own key (b_no), in a URL path, after a company name or with "
    "thousands separators",
    "BANKACCT": "an account wrapped inside a digit group or with thousands separators",
    "EMAIL": "an e-mail address in a MIME base64 body across two lines, or split at its @ by Word runs",
    "AWSKEY": "an access key id in a MIME base64 body across two lines",
    "IP": "an IPv4 address in a MIME base64 body across two lines",
    "SECRETWORD": "the company's secret word split by Word runs or in a MIME base64 body across two lines",
    "ordinary:notice": "a nationwide 대표번호 (1588-0800) masked as a phone",
    "ordinary:numbers": "a list of ports masked as cards, an IPv6 prefix (2001:db8::/32) masked, 대표번호 masked",
    "ordinary:refs": "a reference to a secret (var.x, module.x, data.x, !Ref, ${VAR:?required}) masked as a password",
    "ordinary:tech": "a port list masked as cards, an IPv6 or /24 prefix masked as an IP, var.db_password masked",
}

KNOWN_GAPS = {
    "awsaccount-cdk_ecr_repo",
    "awsaccount-cdk_file_publishing",
    "awsaccount-cdk_role_name",
    "awsaccount-eb_bucket",
    "awsaccount-excel_thousands",
    "awsaccount-orgs_table",
    "awsaccount-wrap_mid",
    "awskey-mime_b64_straddle",
    "bankacct-excel_thousands",
    "bankacct-wrap_mid_group",
    "brn-after_company",
    "brn-excel_thousands",
    "brn-nts_api_json",
    "brn-nts_status_body",
    "brn-path_vendor",
    "brn-query_b_no",
    "brn-url_path",
    "card-brand_glued",
    "card-emv_tag57",
    "card-emv_tlv",
    "card-excel_thousands",
    "card-iso8583_bitmap",
    "card-mime_b64_straddle",
    "card-pan_glued",
    "card-track1",
    "card-track1_lower",
    "email-docx_runs",
    "email-mime_b64_straddle",
    "ip-mime_b64_straddle",
    "ord-call_center",
    "ord-cfn_ref",
    "ord-compose_env_ref",
    "ord-ipv6_doc",
    "ord-ipv6_local",
    "ord-mac_arp",
    "ord-notice_00",
    "ord-notice_01",
    "ord-notice_02",
    "ord-notice_03",
    "ord-notice_04",
    "ord-notice_05",
    "ord-notice_06",
    "ord-notice_07",
    "ord-notice_08",
    "ord-notice_09",
    "ord-notice_10",
    "ord-notice_11",
    "ord-notice_12",
    "ord-notice_13",
    "ord-ports_list",
    "ord-rep_numbers",
    "ord-rep_numbers_more",
    "ord-terraform_vars",
    "ord-tf_data_ref",
    "ord-tf_module_ref",
    "password-powershell_encoded",
    "phone-excel_thousands",
    "phone-mime_b64_straddle",
    "phone-utf16_b64",
    "phone-wrap_mid_group",
    "phone-wrap_nodash",
    "rrn-excel_thousands",
    "rrn-mime_b64_straddle",
    "rrn-wrap_hash_comment",
    "secretword-docx_midword",
    "secretword-docx_runs",
    "secretword-mime_b64_straddle",
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
