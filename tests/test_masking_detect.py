"""Detection: every entity type, its boundaries, and the look-alikes that must stay untouched."""

from __future__ import annotations

import pytest

from bidradar.masking import Masker, MaskingLeakError, leak_check
from bidradar.masking import detect as d
from bidradar.masking.detect import detect
from tests.kit.masking_corpus import lookalikes


def found(text: str, secrets: list[str] | None = None) -> list[tuple[str, str]]:
    secret_re = d.compile_secrets(secrets or [])
    return [(x.kind, text[x.start : x.end]) for x in detect(text, secret_re)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("주민번호 900101-1234567 입니다", [(d.RRN, "900101-1234567")]),
        ("주민번호 0001013234567입니다", [(d.RRN, "0001013234567")]),
        ("외국인등록번호 850315-5123456", [(d.FRN, "850315-5123456")]),
        ("2000년생 000229-4123456", [(d.RRN, "000229-4123456")]),  # 2000 is a leap year
        ("사업자등록번호 220-81-62517", [(d.BRN, "220-81-62517")]),
        ("사업자 2208162517로 등록", [(d.BRN, "2208162517")]),
        ("법인등록번호 110111-0123456", [(d.CRN, "110111-0123456")]),
        ("연락처 010-1234-5678로", [(d.PHONE, "010-1234-5678")]),
        ("call 01012345678.", [(d.PHONE, "01012345678")]),
        ("tel +82-10-1234-5678 / +82 2 123 4567", [(d.PHONE, "+82-10-1234-5678"), (d.PHONE, "+82 2 123 4567")]),
        (
            "(02) 123-4567, 031-123-4567, 0505-123-4567",
            [(d.PHONE, "(02) 123-4567"), (d.PHONE, "031-123-4567"), (d.PHONE, "0505-123-4567")],
        ),
        ("대표번호 1588-1234, 무료 080-023-5000", []),  # an organisation's numbers (s37 ordinary37)
        ("메일 kim.cs+bid@example.co.kr으로", [(d.EMAIL, "kim.cs+bid@example.co.kr")]),
        ("국민은행 123456-01-123456", [(d.BANK_ACCOUNT, "123456-01-123456")]),
        ("계좌번호: 3333-01-1234567", [(d.BANK_ACCOUNT, "3333-01-1234567")]),
        ("AWS account id: 123456789012", [(d.AWS_ACCOUNT, "123456789012")]),
        ("AWS 계정 1234-5678-9012", [(d.AWS_ACCOUNT, "1234-5678-9012")]),
        ("key AKIAIOSFODNN7EXAMPLE here", [(d.AWS_ACCESS_KEY, "AKIAIOSFODNN7EXAMPLE")]),
        (
            "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            [(d.AWS_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")],
        ),
        ("arn:aws:iam::123456789012:role/Admin.", [(d.AWS_ARN, "arn:aws:iam::123456789012:role/Admin")]),
        ("arn:aws:s3:::my-bucket/key", [(d.AWS_ARN, "arn:aws:s3:::my-bucket/key")]),
        ("s3://my-bucket/key", [(d.S3_BUCKET, "my-bucket")]),
        ("https://my.bucket.s3.ap-northeast-2.amazonaws.com/x", [(d.S3_BUCKET, "my.bucket")]),
        ("https://logs-1.s3.amazonaws.com/x", [(d.S3_BUCKET, "logs-1")]),
        ("ip 10.0.0.1. and 192.168.0.254", [(d.IPV4, "10.0.0.1"), (d.IPV4, "192.168.0.254")]),
        ("range 10.0.0.1-10.0.0.9", [(d.IPV4, "10.0.0.1"), (d.IPV4, "10.0.0.9")]),
    ],
)
def test_detects_each_type_with_exact_span(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_aws_ids_take_17_hex_before_8_and_never_truncate() -> None:
    text = "i-0123456789abcdef0 vol-0a1b2c3d eipalloc-0123456789abcdef0 sg-12345678"
    assert found(text) == [
        (d.AWS_ID, "i-0123456789abcdef0"),
        (d.AWS_ID, "vol-0a1b2c3d"),
        (d.AWS_ID, "eipalloc-0123456789abcdef0"),
        (d.AWS_ID, "sg-12345678"),
    ]
    # 16 hex is neither form: masking its first 8 would leave 8 characters of the id in clear.
    assert found("i-0123456789abcdef") == []


def test_i_is_never_matched_inside_ami() -> None:
    assert found("ami-0123456789abcdef0") == [(d.AWS_ID, "ami-0123456789abcdef0")]
    assert found("ami-12345678") == [(d.AWS_ID, "ami-12345678")]
    assert found("xi-12345678") == []


def test_ipv4_needs_valid_octets_and_no_longer_dotted_number() -> None:
    assert found("1.2.3.4.5 256.1.1.1 10.0.0.256 v1.2.3.4 1.02.03.04") == []
    assert found("223.255.255.254") == [(d.IPV4, "223.255.255.254")]
    # The same on every machine, nobody's (stop 36): broadcast and netmasks (240 and above), loopback, 0.0.0.0.
    assert found("255.255.255.255 255.255.255.0 127.0.0.1 0.0.0.0") == []
    # Octets zero-padded to three digits are how some tools print an address (stop 33: it went out as a number).
    assert found("010.001.002.003") == [(d.IPV4, "010.001.002.003")]


def test_resident_number_date_decides_checksum_does_not() -> None:
    assert d.resident_number_kind("9001011234567") == d.RRN  # any tail: post-2020 numbers are random
    assert d.resident_number_kind("9013011234567") is None  # month 13
    assert d.resident_number_kind("9002301234567") is None  # 30 February
    assert d.resident_number_kind("0102291234567") is None  # 2001 is no leap year (gender 1 -> 1900s: 1901)
    assert d.resident_number_kind("9001019234567") is None  # gender digit 9
    assert d.resident_number_kind("9001015234567") == d.FRN


def test_business_and_corporate_checksums() -> None:
    assert d.business_number_ok("2208162517")
    assert not d.business_number_ok("2208162518")
    assert d.corporate_number_ok("1101110123456") is (
        (10 - sum(int(c) * (1 if i % 2 == 0 else 2) for i, c in enumerate("110111012345")) % 10) % 10 == 6
    )
    assert found("관리번호 2208162518") == []  # fails the checksum, no 사업자 word


def test_bank_numbers_need_a_bank_word_nearby() -> None:
    assert found("문서번호 110-123-456789") == []
    assert found("신한은행 110-123-456789") == [(d.BANK_ACCOUNT, "110-123-456789")]


def test_lookalike_corpus_has_zero_false_positives() -> None:
    texts = lookalikes()
    assert len(texts) >= 200
    false_positives = {t: found(t) for t in texts if found(t)}
    assert false_positives == {}


def test_secrets_match_longest_first_with_flexible_whitespace_and_case() -> None:
    secrets = ["한빛", "한빛정보통신 주식회사", "Acme Corp"]
    text = "한빛정보통신  주식회사와 ACME\nCORP, 한빛"
    assert found(text, secrets) == [
        (d.SECRET, "한빛정보통신  주식회사"),
        (d.SECRET, "ACME\nCORP"),
        (d.SECRET, "한빛"),
    ]


def test_overlaps_resolve_to_one_span_typed_by_the_longest() -> None:
    # The secret ends inside the phone number: both are masked as one span, never half of one.
    text = "담당 홍길동 010-1234-5678 입니다"
    assert found(text, ["홍길동 010-1234"]) == [(d.PHONE, "홍길동 010-1234-5678")]
    assert found("mail 01012345678@naver.com") == [(d.EMAIL, "01012345678@naver.com")]


def test_masking_is_idempotent_and_tokens_are_never_detected() -> None:
    masker = Masker(b"k", ["한빛정보통신"])
    text = "한빛정보통신 010-1234-5678 i-0123456789abcdef0 900101-1234567 kim@example.com"
    once = masker.mask(text).masked
    assert masker.mask(once).masked == once
    assert detect(once, d.compile_secrets(["한빛정보통신"])) == []


def test_leak_check_names_type_and_position_never_the_value() -> None:
    text = "token MASK_PHONE_0123456789ABCDEF ok, but 900101-1234567 leaked"
    with pytest.raises(MaskingLeakError) as info:
        leak_check(text)
    err = info.value
    start = text.index("900101")
    assert (err.kind, err.start, err.end) == ("DIGITS", start, start + 14)
    assert "DIGITS" in str(err) and str(start) in str(err)
    assert "900101" not in str(err)
    leak_check("nothing here but MASK_RRN_0123456789ABCDEF")  # tokens are not leaks


def test_leak_check_also_catches_secrets() -> None:
    with pytest.raises(MaskingLeakError, match="SECRET"):
        leak_check("계약 상대 한빛정보통신", ["한빛정보통신"])


def test_secrets_with_regex_characters_and_changed_first_letter_case() -> None:
    secrets = ["(주)한빛", "Acme Corp", "a.b"]
    text = "(주)한빛 and acme corp and aXb and a.b"
    assert found(text, secrets) == [(d.SECRET, "(주)한빛"), (d.SECRET, "acme corp"), (d.SECRET, "a.b")]


def test_secret_key_words_in_several_spellings() -> None:
    value = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    for text in [f'"SecretAccessKey": "{value}"', f"AWS_SECRET_ACCESS_KEY={value}", f"비밀 키 {value}"]:
        assert found(text) == [(d.AWS_SECRET_KEY, value)], text
    # Without a secret word too (a table, `key=`, the next line): 40 base64 characters of mixed case are a key.
    assert found(f"commit message: {value}") == [(d.AWS_SECRET_KEY, value)]
    assert found("commit 0123456789abcdef0123456789abcdef01234567") == []  # a hex hash is not
