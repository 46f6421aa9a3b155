"""Stop 36: a value masked once is masked wherever else it stands in the call (bidradar/masking/repeats.py), through
the policy the gateway uses; a fresh probe sent the second copy in clear when its own context was weaker. The proxy
has done this per request since stop 33 and now uses the same module. Hand-written values, none real."""

from __future__ import annotations

import pytest

from bidradar.masking.masker import Masker
from bidradar.masking.policy import mask_outgoing
from bidradar.masking.repeats import KnownValues, secret_parts
from bidradar.masking.tokens import Vault

KEY = bytes.fromhex("36" * 32)

# (text, the value that must not go out in any copy)
REPEATED = [
    ("Password: qwer1234!@\nConfirm: qwer1234!@", "qwer1234!@"),
    ("DB_PASSWORD=Hq7rTz9w\n# note: Hq7rTz9w also works on staging", "Hq7rTz9w"),
    ("AWS 계정 ID: 482917364015\n\nterraform import module.x 482917364015", "482917364015"),
    ("s3://cwdl-secret-docs/a.pdf\n\ncwdl-secret-docs 용량 12GB", "cwdl-secret-docs"),
    ("wifi password: bidradar2026\nSSID bidradar-5G pass bidradar2026", "bidradar2026"),
    ("휴대폰 010-2345-6789\n첨부: KIM01023456789.vcf", "01023456789"),
    ("면허번호 12-34-567890-12 (다시: 123456789012)", "123456789012"),
    ("host db1.c9xk2mq1abcd.ap-northeast-2.rds.amazonaws.com\n인스턴스 c9xk2mq1abcd 재시작", "c9xk2mq1abcd"),
    ('{"arn": "arn:aws:iam::482917364015:role/acme-deployer", "account": "482917364015"}', "482917364015"),
    ("postgres://app:Zx81!qpLm@db.internal:5432/app\n비번은 Zx81!qpLm 그대로", "Zx81!qpLm"),
]

# Other words that share a masked value's text stay (only whole values are masked), and short pieces are not
# repeated: a phone read out in pieces must not mask every `2025` of the text.
UNCHANGED_AROUND = [
    ("Password: qwer1234!@\nqwer1234!@extra and xqwer1234!@", "qwer1234!@extra"),
    ("연락처 02 하고 2025 하고 1234\n공고일 2025-03-03, 2025년 사업", "2025-03-03"),
    ("host db1.c9xk2mq1abcd.ap-northeast-2.rds.amazonaws.com\n리전 ap-northeast-2 사용", "리전 ap-northeast-2 사용"),
]


@pytest.mark.parametrize(("text", "value"), REPEATED)
def test_every_copy_of_a_masked_value_is_masked(text: str, value: str) -> None:
    masker = Masker(KEY)
    sent = mask_outgoing(masker, text, "the text").text
    assert value not in sent, sent
    assert masker.unmask(sent) == text


@pytest.mark.parametrize(("text", "kept"), UNCHANGED_AROUND)
def test_only_whole_values_are_repeated(text: str, kept: str) -> None:
    masker = Masker(KEY)
    sent = mask_outgoing(masker, text, "the text").text
    assert kept in sent, sent
    assert masker.unmask(sent) == text


def test_a_value_of_one_part_is_masked_in_the_next_part_of_the_call() -> None:
    masker = Masker(KEY)
    first = mask_outgoing(masker, "담당자 계좌: 국민은행 123456-01-234567", "part 1").text
    second = mask_outgoing(masker, "입금 확인 부탁드립니다 (12345601234567)", "part 2").text
    assert "123456-01-234567" not in first and "12345601234567" not in second, (first, second)


def test_a_profile_secret_word_is_not_repeated_into_public_text() -> None:
    """Issue 24: a profile's secret words are masked in the profile's text only. The public part shares the vault."""
    vault = Vault()
    private = Masker(KEY, ["청운데이터랩", "데이터 분석"], vault)
    public = Masker(KEY, (), vault)
    profile = mask_outgoing(private, "회사: 청운데이터랩, 주력: 데이터 분석", "the profile").text
    notice = mask_outgoing(public, "과업: 공공 데이터 분석 플랫폼 구축 (청운데이터랩 아님)", "the notice").text
    assert "청운데이터랩" not in profile and "데이터 분석" not in profile, profile
    assert notice == "과업: 공공 데이터 분석 플랫폼 구축 (청운데이터랩 아님)", notice


def test_parts_and_boundaries() -> None:
    assert ("AWSACCOUNT", "482917364015") in secret_parts("ARN", "arn:aws:iam::482917364015:role/acme-deployer")
    assert ("PHONE", "01023456789") in secret_parts("PHONE", "010-2345-6789")
    assert secret_parts("AWSHOST", "db1.c9xk2mq1abcd.ap-northeast-2.rds.amazonaws.com") == [("AWSHOST", "c9xk2mq1abcd")]
    vault = Vault()
    vault.add("MASK_PHONE_0000000000000001", "01023456789")
    vault.add("MASK_CREDENTIAL_0000000000000002", "Hq7rTz9w")
    known = KnownValues(vault)
    # digits only: letters may touch it, digits may not; other values: no letter, digit or _ may touch them
    assert known.spans("KIM01023456789.vcf 901023456789 Hq7rTz9w_x xHq7rTz9w (Hq7rTz9w)") == [(3, 14), (54, 62)]
