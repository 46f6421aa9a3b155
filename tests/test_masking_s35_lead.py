"""Stop 35: stop 34's CI failed on a freshly generated RSA-1024 public key. Its last base64 line held `PW` by chance
(`…VmOYoEyPWHcG94LGRrAgMBAAE=`), the password rule read the line as a name and its `=` padding as the assignment,
and masked the `-----END RSA PUBLIC KEY-----` line below as the password. The class: a secret word anywhere in a
line of a base64 block (public keys, certificates, PGP blocks, MIME bodies, YAML block scalars), whose padding is
followed by whatever the next line holds. Public material is left alone, and a real password on the line after a
label still is not. The blocks are drawn from a seeded generator, not from our detectors; every value is made up.
"""

from __future__ import annotations

import base64
import random

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from bidradar.masking import Masker
from bidradar.masking.policy import mask_outgoing
from tests.kit.keys import seeded_key

KEY = b"s35-lead-masking-test-key-32byte"
_RNG = random.Random(3501)
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

# stop 34's CI: the key that failed, as generated
THE_KEY_OF_THE_FAILED_RUN = (
    "-----BEGIN RSA PUBLIC KEY-----\n"
    "MIGJAoGBALt8tLqjtBMdU6nqiT7HkAVF6CihAhdXbHd+cjRBpjBM8Tbd9CqAPqq+\n"
    "K0qAWL3ypmeJmhsm/4CrLu7pFgOGl2cKJIfI1EzVQpdLhKTmplux5jkl983kh8Sp\n"
    "+BJXZx3i00mLLisiMbcv636S67aHVsIViAVmOYoEyPWHcG94LGRrAgMBAAE=\n"
    "-----END RSA PUBLIC KEY-----\n"
)

# words a config name is made of, as they fall in random base64 (case, place)
_WORDS = ["PW", "pw", "Pwd", "PASS", "Pass", "passwd", "Token", "TOKEN", "secret", "Secret", "Key", "apikey", "Auth"]

# what follows a block: armour, a MIME boundary, the next YAML key, a blank line and prose
_AFTER = [
    "-----END PUBLIC KEY-----",
    "-----END CERTIFICATE-----",
    "-----END PGP PUBLIC KEY BLOCK-----",
    "--b1_8f0c2a1d4e5b6c7d--",
    "  ca.crt: |",
    "\n다음 단계로 진행합니다.",
]


def _der_length(n: int) -> bytes:
    return bytes([n]) if n < 0x80 else bytes([0x81, n]) if n < 0x100 else bytes([0x82, n >> 8, n & 0xFF])


def _rsa_public_key(modulus_bytes: int) -> bytes:
    """A SubjectPublicKeyInfo of an RSA key (rsaEncryption, e = 65537) with a seeded random modulus: the DER a
    public key has, of a size whose base64 ends in padding."""
    modulus = (
        b"\x00" + bytes([_RNG.randrange(0x80, 0x100)]) + bytes(_RNG.randrange(256) for _ in range(modulus_bytes - 1))
    )
    integer = b"\x02" + _der_length(len(modulus)) + modulus
    exponent = b"\x02\x03\x01\x00\x01"
    rsa_key = b"\x30" + _der_length(len(integer) + len(exponent)) + integer + exponent
    bit_string = b"\x03" + _der_length(len(rsa_key) + 1) + b"\x00" + rsa_key
    algorithm = bytes.fromhex("300d06092a864886f70d0101010500")
    return b"\x30" + _der_length(len(algorithm) + len(bit_string)) + algorithm + bit_string


def _block(word: str, padding: str) -> list[str]:
    """The key's base64 lines, `word` written over its modulus on the last line (a chance, made certain)."""
    while True:
        body = base64.b64encode(_rsa_public_key(_RNG.randrange(120, 260))).decode()
        if len(body) - len(body.rstrip("=")) == len(padding) and 24 <= len(body) % 64 <= 62:
            break
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    last = lines[-1]
    at = _RNG.randrange(0, len(last) - 12 - len(word))  # the exponent's last characters stay as they are
    lines[-1] = last[:at] + word + last[at + len(word) :]
    return lines


def _texts() -> list[tuple[str, str]]:
    texts = [("stop34-ci", THE_KEY_OF_THE_FAILED_RUN), ("stop34-ci-labelled", "공개키:\n" + THE_KEY_OF_THE_FAILED_RUN)]
    for word in _WORDS:
        for padding in ("=", "=="):
            for after in _AFTER:
                lines = _block(word, padding)
                if after.startswith("-----END"):
                    kind = after.removeprefix("-----END ").removesuffix("-----")
                    text = f"-----BEGIN {kind}-----\n" + "\n".join(lines) + "\n" + after + "\n"
                elif after.startswith("  "):
                    text = "data:\n  tls.crt: |\n" + "".join(f"    {line}\n" for line in lines) + after + "\n"
                else:
                    text = "\n".join(lines) + "\n" + after + "\n"
                texts.append((f"{word}{padding}/{after[:12].strip()}", text))
    return texts


TEXTS = _texts()


@pytest.mark.parametrize(("case", "text"), TEXTS, ids=[case for case, _ in TEXTS])
def test_a_secret_word_inside_a_base64_block_masks_nothing(case: str, text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


@pytest.mark.parametrize(
    ("text", "password"),
    [
        ("DB_PASSWORD=\nHq7vN2pLx9", "Hq7vN2pLx9"),
        ("비밀번호:\n  dlwlrma1234", "dlwlrma1234"),
        ("password:\n  Zx8-kQ2m_Lp", "Zx8-kQ2m_Lp"),
    ],
)
def test_a_password_on_the_line_after_its_name_is_still_masked(text: str, password: str) -> None:
    out = mask_outgoing(Masker(KEY), text, "the prompt")
    assert password not in out.text, out.text


def test_a_private_key_block_is_still_masked_whole() -> None:
    body = base64.b64encode(bytes(_RNG.randrange(256) for _ in range(180))).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    text = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END PRIVATE KEY-----\n"
    out = mask_outgoing(Masker(KEY), text, "the prompt").text
    assert all(line not in out for line in lines), out


# Public keys as people paste them, of many seeded keys (the same keys in every run): PEM, labelled, one line.
_MANY = [("rsa1024", seed) for seed in range(48)] + [
    (kind, seed) for kind in ("p256", "p384", "secp256k1", "ed25519", "ed448") for seed in range(16)
]


@pytest.mark.parametrize(("kind", "seed"), _MANY)
def test_public_keys_of_many_seeds_are_left_alone(kind: str, seed: int) -> None:
    public = seeded_key(kind, seed).public_key()
    forms = [public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()]
    if kind.startswith("rsa"):
        forms.append(public.public_bytes(Encoding.PEM, PublicFormat.PKCS1).decode())
    for pem in forms:
        for text in (
            pem,
            f"공개키:\n{pem}",
            "data:\n  key.pub: |\n" + "".join(f"    {line}\n" for line in pem.splitlines()),
        ):
            assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


# The leak check masked any 4+ characters after `secret:`, `token:`, `api_key:`: documentation's placeholders and
# names in words went out as MASK_CREDENTIAL tokens (stop 34's mleak noticed `secret: HTTPServerConfig`).
@pytest.mark.parametrize(
    "text",
    [
        "secret: HTTPServerConfig",
        "token: MyAppSecret",
        "password: <your-password>",
        "api_key: YOUR_API_KEY_HERE",
        'token: "YOUR_TOKEN"',
        "OPENAI_API_KEY=<발급받은 키>",
        "secret: {{ .Values.dbSecret }}",
        "README: 설치 후 api_key: your-api-key 를 .env 에 넣으세요",
        "password: ********",
    ],
)
def test_placeholders_and_names_after_a_secret_label_are_left_alone(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("password: Sunshine", "Sunshine"),
        ("secret: gdcFXaHdOg", "gdcFXaHdOg"),
        ("token=Qm9vZ2llV29vZ2ll", "Qm9vZ2llV29vZ2ll"),
        ("비밀번호: Dragonfly", "Dragonfly"),
        ("api_key: sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ],
)
def test_a_value_after_a_secret_label_is_still_masked(text: str, value: str) -> None:
    assert value not in mask_outgoing(Masker(KEY), text, "the prompt").text


# The red team's damaged ordinary texts (docs/notes/s35-redteam.md, classes 10 and 11): HS codes read as a long
# number, amounts grouped in thousands read as a split card across a Markdown table's cells.
@pytest.mark.parametrize(
    "text",
    [
        "HSK 8471.30-1000 (관세율 0%), 품목번호 8471.30",
        "| 품목 | HS 코드 |\n|---|---|\n| 노트북 | 8471.30-1000 |\n| 모니터 | 8528.52-1000 |",
        "| 구분 | 2023 | 2024 |\n|---|---|---|\n| 매출 | 949,396,862 | 307,416,920 |\n| 이익 | 4,111,111 | 1,111,111,111 |",
        "기초금액,추정가격\n412,345,678,374,859,123\n",
        "예산 5,105,105,105,105,100원 중 집행 4,111,111,111원",
    ],
)
def test_hs_codes_and_thousands_grouped_amounts_are_left_alone(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("카드번호 4111 1111 1111 1111", "1111 1111 1111"),
        ("결제 카드: 4111,1111,1111,1111", "1111,1111,1111"),
        ("계좌 3907.68-8046 으로 입금", "3907.68-8046"),
        ('"010","1234","5678"', '"1234","5678"'),
    ],
)
def test_identifiers_next_to_those_shapes_are_still_masked(text: str, value: str) -> None:
    assert value not in mask_outgoing(Masker(KEY), text, "the prompt").text


def test_the_proxy_remembers_no_armour_of_a_private_key() -> None:
    """The proxy remembers values masked by context (memory.py), a span's parts too: it remembered `-----BEGIN` and
    `KEY-----` of a private key and masked them in every later public key (the s35 red team, class 13)."""
    import anthropic

    from tests.kit.anthropic import masking_proxy

    key = seeded_key("rsa2048", 35)
    private = key.private_bytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, NoEncryption()).decode()
    public = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    with masking_proxy(KEY) as (standin, url):
        client = anthropic.Anthropic(api_key="test-key", base_url=url, max_retries=0)
        for text in (f"이 키 맞나요?\n{private}", f"공개키는 이거예요:\n{public}"):
            client.messages.create(
                model="claude-sonnet-4-5", max_tokens=5, messages=[{"role": "user", "content": text}]
            )
        assert "MIIE" not in standin.requests[-2].body
        assert standin.requests[-1].json()["messages"][0]["content"] == f"공개키는 이거예요:\n{public}"


# Registry and document numbers of bid documents the leak check masked as long numbers (s35 red team, class 11).
@pytest.mark.parametrize(
    "text",
    [
        "특허 제10-2345678호, 실용신안 제20-0412345호, 상표 40-2023-4097383, 디자인 제30-1234567호",
        "출원번호 10-2023-0123456 (2023.05.02.)",
        "전자세금계산서 승인번호 20260112-41000023-12345678",
        "과제번호 RS-2024-00412345, 문서번호 조달청-2024-012345, 공문 국토교통부-2025-1234567",
        "운송장 6073-1234-5678 (CJ대한통운)",
    ],
)
def test_document_and_registry_numbers_are_left_alone(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("상표 담당자 연락처 010-2345-6789", "2345-6789"),
        ("승인번호 말고 주민번호 900101-1234568 로 조회", "1234568"),
        ("tel-010-2345-6789", "2345-6789"),
    ],
)
def test_identifiers_beside_document_words_are_still_masked(text: str, value: str) -> None:
    assert value not in mask_outgoing(Masker(KEY), text, "the prompt").text


# More of the red team's damaged ordinary texts (round 3): grids of 4-digit numbers read as cards, a form's
# all-zero placeholders, building-register and serial numbers.
_GRID = "\n".join(" ".join(f"{(row * 8 + col) * 7919 % 10000:04d}" for col in range(8)) for row in range(12))


@pytest.mark.parametrize(
    "text",
    [
        f"구간별 측정값 (단위 0.1mm)\n{_GRID}",
        f"| 측정값 |\n|---|\n{_GRID.replace(' ', ' | ')}",
        "주민등록번호 입력 형식: 000000-0000000",
        "휴대폰 010-0000-0000, 사업자번호 000-00-00000 형식으로 입력",
        "건축물대장 고유번호 1168010100-1-01230000, 토지 PNU 1168010100101230000",
        "장비 S/N 2024-9460-0716, 제조번호 2023-1234-5678",
    ],
)
def test_grids_placeholders_and_equipment_numbers_are_left_alone(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("카드 4111 1111 1111 1111 유효기간 12/29", "1111 1111 1111"),
        ("카드번호\n4111\n1111\n1111\n1111", "1111\n1111"),
        ("결제카드 4111 1111 1111 1111 2029 1234 5678 9012", "4111 1111 1111 1111"),
        ("휴대폰 010-0000-0001", "0000-0001"),
        ("주민번호 900101-1234568 (형식 000000-0000000)", "1234568"),
    ],
)
def test_cards_and_numbers_beside_them_are_still_masked(text: str, value: str) -> None:
    assert value not in mask_outgoing(Masker(KEY), text, "the prompt").text


def test_a_card_in_csv_cells_after_its_word_is_masked_among_other_four_digit_cells() -> None:
    text = "카드번호,4111,1111,1111,1111,2029,1234,5678"
    assert "1111,1111" not in mask_outgoing(Masker(KEY), text, "the prompt").text


# A number read out in pieces, joined by words (s35 red team: `010 하고 9452 하고 9262`).
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("번호 불러드릴게요 010 하고 2345 하고 6789", "2345"),
        ("연락처는 010 다음에 2345 그리고 6789 예요", "6789"),
        ("카드번호 앞자리 4111 1111, 뒷자리 1111 1111", "1111, 뒷자리 1111"),
    ],
)
def test_a_number_read_out_in_pieces_is_masked(text: str, value: str) -> None:
    out = mask_outgoing(Masker(KEY), text, "the prompt").text
    assert value not in out and "2345" not in out, out


@pytest.mark.parametrize(
    "text",
    ["2023 하고 2024 두 해 동안 매출", "점수는 90 하고 85", "010 하고 1234 사이의 값", "1번 하고 2번 그리고 3번 문항"],
)
def test_numbers_joined_by_words_that_make_no_identifier_are_left_alone(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


# After the merge: an address in a backup's file name, an e-mail told in two parts (the red team's last probe).
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("restore db_backup_192_168_0_1.sql first", "192_168_0_1"),
        ("snapshot-192-168-1-10.tar.gz 복원", "192-168-1-10"),
        ("backup_172_20_1_5.tar", "172_20_1_5"),
        ("192_168_100_200 서버 재부팅", "192_168_100_200"),
        ("메일은 seoyeonpark10 뒤에 @bluefish.io 붙이면 돼요", "seoyeonpark10"),
        ("아이디 kim.minsu 다음에 @naver.com 붙여서 보내주세요", "kim.minsu"),
    ],
)
def test_an_address_in_a_file_name_and_an_email_in_two_parts_are_masked(text: str, value: str) -> None:
    assert value not in mask_outgoing(Masker(KEY), text, "the prompt").text


@pytest.mark.parametrize(
    "text",
    [
        "build_10_20_30_40",
        "release_10_20_30_40.tar",
        "v1-2-3-4",
        "page 1-2-3-4 참조",
        "10시 뒤에 @channel 공지",
        "트위터 @bluefish 계정",
    ],
)
def test_numbered_names_and_mentions_are_left_alone(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


# A later fresh probe (after the merges): a Dockerfile's old `ENV NAME value` form kept the password.
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("FROM python:3.11\nENV DB_PASSWORD Prod!Pw#77\n", "Prod!Pw#77"),
        ('ENV MYSQL_ROOT_PASSWORD "s3cr3t-Root!"', "s3cr3t-Root!"),
        ("  env redis_pass Hq7vN2pLx9", "Hq7vN2pLx9"),
    ],
)
def test_a_dockerfile_env_password_is_masked(text: str, value: str) -> None:
    assert value not in mask_outgoing(Masker(KEY), text, "the prompt").text


@pytest.mark.parametrize(
    "text",
    [
        "ENV PASSWORD_MIN_LENGTH 12",
        "ENV DB_PASSWORD_FILE /run/secrets/db",
        "ENV SECRET_KEY ${SECRET_KEY}",
        "ENV PASSWORD",
    ],
)
def test_dockerfile_env_lines_about_passwords_are_left_alone(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text
