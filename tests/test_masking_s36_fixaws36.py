"""Stop 36, after the red team (docs/notes/s36-redteam36.md): AWS values, provider keys, key bodies and the company's
secret written where no detector read them, and a JWT wrapped over lines that did not come back whole.

Classes: an S3 bucket's name without `s3://` (after a bucket key, in the console's URL, before its noun, in `aws s3
ls`); resource ids in upper case, with `_` or a spaced dash, with an ellipsis inside; a secret key in two halves or
letter by letter and a session token in pieces after their names; an account id after `어카운트`; an ARN and an RDS
host wrapped at a line end; Kakao's JavaScript key in `Kakao.init`, Naver's client secret by its header, a G2B
service key wrapped in a URL; the middle lines of a private key's body and its DER in hex; the company's name typed
as jamo or as the hex of its UTF-8. Each class has attacks (several formats) that must not go out and ordinary
look-alikes that must go out unchanged, through the real policy. All values are generated here (seeded `random`,
keys by `cryptography`); none is real.
"""

from __future__ import annotations

import base64
import functools
import random
import string

import anthropic
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from bidradar.masking import Masker
from bidradar.masking.gateway import LLMGateway
from bidradar.masking.policy import MaskingRefused, mask_outgoing
from tests.kit.anthropic import masking_proxy, seen_upstream
from tests.kit.gemini import GeminiStandIn
from tests.kit.keys import seeded_key

KEY = b"s36-fixaws36-masking-test-key-32"
SECRETS = ("다온정보기술", "미래 프로젝트")
MODEL = "claude-sonnet-4-5"
_RNG = random.Random(3636)
_B64 = string.ascii_letters + string.digits + "+/"


def _word(n: int, alphabet: str = _B64) -> str:
    while True:
        value = "".join(_RNG.choice(alphabet) for _ in range(n))
        if any(c.isupper() for c in value) and any(c.islower() for c in value) and any(c.isdigit() for c in value):
            return value


def _hex(n: int) -> str:
    while True:
        value = "".join(_RNG.choice("0123456789abcdef") for _ in range(n))
        if any(c.isalpha() for c in value) and any(c.isdigit() for c in value):
            return value


def _letters(n: int) -> str:
    return "".join(_RNG.choice(string.ascii_letters) for _ in range(n)) + "Qz"[: max(0, 0)]


_SECRET_A, _SECRET_B, _SECRET_C = _word(40), _word(40), _word(40)
_TOKEN = "IQoJb3JpZ2lu" + _word(88) + " " + _word(100) + " " + _word(62) + "=="
_ID17 = [_hex(17) for _ in range(6)]
_KAKAO = [_hex(32) for _ in range(3)]
_NAVER = ["QwrtzPsdfG", "xkcdQWplmn", "HjkLmNbVcX"]  # letters only, as Naver issues many
_G2B_HEAD = _word(60, string.ascii_letters + string.digits) + "%2B" + _word(20, string.ascii_letters + string.digits)
_G2B_TAIL = _word(50, string.ascii_letters + string.digits) + "%3D%3D"


def _compact(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


# (text, what must not be in what is sent, compared without separators)
ATTACKS = [
    # S3 buckets without s3://
    ("storage:\n  provider: s3\n  bucket: daon-prod-contracts\n  region: ap-northeast-2", "daon-prod-contracts"),
    ('resource "aws_s3_bucket" "b" {\n  bucket = "daon-hr-payroll-2027"\n}', "daon-hr-payroll-2027"),
    ("S3_BUCKET=mirae-customer-files\nAWS_REGION=ap-northeast-2", "mirae-customer-files"),
    ("s3.put_object(Bucket='mirae-finance-exports', Key='a.csv', Body=data)", "mirae-finance-exports"),
    ("Resources:\n  Logs:\n    Properties:\n      BucketName: mirae-audit-trail-prod", "mirae-audit-trail-prod"),
    ('{"bucket_name": "daon-infra-logs-01", "prefix": "raw/"}', "daon-infra-logs-01"),
    ("https://s3.console.aws.amazon.com/s3/buckets/daon-secret-dumps?region=ap-northeast-2", "daon-secret-dumps"),
    ("백업 파일은 mirae-db-snapshots 버킷에 있습니다", "mirae-db-snapshots"),
    ("the daon-web-assets-2026 bucket holds the site", "daon-web-assets-2026"),
    ("$ aws s3 ls\n2026-01-02 09:10:11 daon-ml-datasets\n2026-01-03 09:10:11 daon-web-static", "daon-ml-datasets"),
    ("$ aws s3 ls\n2026-01-02 09:10:11 daon-ml-datasets\n2026-01-03 09:10:11 daon-web-static", "daon-web-static"),
    ("aws s3api get-object --bucket daon-legal-archive --key a.pdf out.pdf", "daon-legal-archive"),
    # resource ids written otherwise
    (f"인스턴스 I-{_ID17[0].upper()} 재부팅", _ID17[0].upper()),
    (f"instance i_{_ID17[1]} stopped", _ID17[1]),
    (f"vpc- {_ID17[2]} 에 연결해 주세요", _ID17[2]),
    (f"subnet - {_ID17[3]} (private)", _ID17[3]),
    ("보안그룹 SG-0A1B2C3D 열어줘", "0A1B2C3D"),
    ("sg-0aa11bb22…cc33dd44e 열어줘", "0aa11bb22"),
    ("vol-0f1e2d3c...4b5a6978 삭제", "0f1e2d3c"),
    # a secret key in halves or letter by letter, a session token in pieces
    (f"aws_secret_access_key = {_SECRET_A[:20]} {_SECRET_A[20:]}", _SECRET_A[20:]),
    (f"SECRET_KEY: {_SECRET_B[:20]}  {_SECRET_B[20:]}", _SECRET_B[20:]),
    (f"secret key {' '.join(_SECRET_C)}", _SECRET_C),
    (f"운영 계정의 시크릿 키: {_SECRET_C[:20]} {_SECRET_C[20:]} 입니다", _SECRET_C[20:]),
    (f"session token: {_TOKEN}", _TOKEN.split()[1]),
    (f"aws_session_token={_TOKEN}", _TOKEN.split()[2]),
    # accounts, ARNs and hosts
    ("스테이징 어카운트 넘버 530912874561", "530912874561"),
    ("어카운트 ID: 530912874562 (prod)", "530912874562"),
    ("arn:aws:iam::530912\n874563:role/deploy", "530912874563"),
    ("assumed arn:aws:sts::5309128\n74564:assumed-role/ci/gh", "530912874564"),
    ("DB_HOST=mirae-db.cluster-a1b2c3d4e5f6\n.ap-northeast-2.rds.amazonaws.com", "a1b2c3d4e5f6"),
    ("endpoint: daon-cache-01.x9y8z7\n  .apn2.cache.amazonaws.com", "x9y8z7"),
    # provider keys
    (f"<script>Kakao.init('{_KAKAO[0]}'); Kakao.isInitialized();</script>", _KAKAO[0]),
    (f'Kakao.init("{_KAKAO[1]}")', _KAKAO[1]),
    (f"카 카 오 JavaScript 키 {_KAKAO[2]}", _KAKAO[2]),
    *(
        (
            f"curl -H 'X-Naver-Client-Id: {_word(20, string.ascii_letters + string.digits)}' "
            f"-H 'X-Naver-Client-Secret: {s}' https://openapi.naver.com/v1/search/blog",
            s,
        )
        for s in _NAVER
    ),
    (f"NAVER_CLIENT_SECRET={_NAVER[0]}", _NAVER[0]),
    (
        "http://apis.data.go.kr/1230000/BidPublicInfoService/getBidPblancListInfoServc?serviceKey="
        f"{_G2B_HEAD}\n{_G2B_TAIL}&numOfRows=10",
        _G2B_TAIL.replace("%3D", ""),
    ),
    # the company's secret name typed as jamo or as hex
    ("ㄷㅏㅇㅗㄴㅈㅓㅇㅂㅗㄱㅣㅅㅜㄹ 에서 제출", "ㄷㅏㅇㅗㄴㅈㅓㅇㅂㅗㄱㅣㅅㅜㄹ"),
    ("발주처: ㄷㅏㅇㅗㄴ ㅈㅓㅇㅂㅗ ㄱㅣㅅㅜㄹ", "ㄷㅏㅇㅗㄴㅈㅓㅇㅂㅗㄱㅣㅅㅜㄹ"),
    (f"company={'다온정보기술'.encode().hex()}", "다온정보기술".encode().hex()),
    (f"name: {'다온정보기술'.encode().hex().upper()}", "다온정보기술".encode().hex().upper()),
    (f"codename {'미래 프로젝트'.encode().hex()}", "미래 프로젝트".encode().hex()),
]


ORDINARY = [
    # prose and configs about buckets
    "토큰 버킷(token bucket) 알고리즘으로 요청 수를 제한합니다. bucket 크기는 100입니다.",
    "rate_limit:\n  bucket: 10\n  refill_per_second: 5",
    "limiter:\n  bucket: token\n  bucket_size: 20",
    "We keep a per-user bucket and a multi-region bucket policy; the leaky-bucket model is simpler.",
    'bucket = "${var.bucket_name}"\nbucket = var.bucket',
    "S3 버킷 정책을 검토했고 버킷 이름 규칙은 소문자입니다.",
    "histogram bucket: le=0.5 count 12, bucket: v1.2.3",
    # ids that are not AWS's
    "문서 R-20240101, 규격 I-2024, 절차 ACL-20241231, 모델 VOL-DEADBEEF",
    "vpc-peering 설정, subnet - 공용, sg_rules 파일",
    # secrets' names without a secret
    "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}",
    "secret key rotation every ninety days is required by policy",
    "session token expired after 3600 seconds, please reauthenticate everything again",
    "어카운트 매니저 연락처는 다음 주에 공유드립니다",
    "RDS endpoints end with\n.ap-northeast-2.rds.amazonaws.com",
    # provider names without a key
    "Kakao.init(KAKAO_JS_KEY); Kakao.init('YOUR_APP_KEY')",
    "X-Naver-Client-Secret: ${NAVER_SECRET} 또는 X-Naver-Client-Secret: xxxxxxxxxx",
    "serviceKey={SERVICE_KEY}\n&numOfRows=10",
    # hashes the product uses, and Korean in jamo for ordinary reasons
    f"md5 {_hex(32)} sha1 {_hex(40)} commit {_hex(40)[:12]}",
    "ㅋㅋㅋ 알겠습니다 ㅎㅎ, 초성 퀴즈: ㄷㅇㅈㅂㄱㅅ, ㅇㅋ",
    "ㄷㅏㅇㅗㄴ 까지만 치다가 멈췄어요",
    f"cache key {'다온'.encode().hex()} and ids 4142 6162",
]


@pytest.mark.parametrize(("text", "value"), ATTACKS, ids=[f"attack-{i}" for i in range(len(ATTACKS))])
def test_value_does_not_go_out(text: str, value: str) -> None:
    masker = Masker(KEY, SECRETS)
    try:
        sent = mask_outgoing(masker, text, "the text").text
    except MaskingRefused:
        return  # nothing was sent
    assert _compact(value) not in _compact(sent), sent
    assert masker.unmask(sent) == text


@pytest.mark.parametrize("text", ORDINARY, ids=[f"ordinary-{i}" for i in range(len(ORDINARY))])
def test_ordinary_look_alike_goes_out_unchanged(text: str) -> None:
    assert mask_outgoing(Masker(KEY, SECRETS), text, "the text").text == text


# --- key bodies: the middle lines of a private key, its DER in hex; certificates and public keys stay ----------------


def _pem_lines(pem: bytes) -> list[str]:
    return [line for line in pem.decode().splitlines() if line and not line.startswith("-----")]


@functools.cache
def _rsa(bits: int) -> rsa.RSAPrivateKey:
    return seeded_key(f"rsa{bits}", 36)  # the same key in every process: a failure can be replayed


_FORMATS = {"pkcs1": serialization.PrivateFormat.TraditionalOpenSSL, "pkcs8": serialization.PrivateFormat.PKCS8}


def _windows_across_numbers(bits: int, fmt: str) -> list[list[str]]:
    """Five body lines around where each of the key's primes starts (a cut across two of its numbers), and the red
    team's shape: the five lines after the first of a 1024-bit key."""
    key = _rsa(bits)
    der = key.private_bytes(serialization.Encoding.DER, _FORMATS[fmt], serialization.NoEncryption())
    pem = key.private_bytes(serialization.Encoding.PEM, _FORMATS[fmt], serialization.NoEncryption())
    lines = _pem_lines(pem)
    numbers = key.private_numbers()
    windows = [lines[1:6]] if bits == 1024 else []  # in a bigger key those lines are inside n: random, not read
    for prime in (numbers.p, numbers.q):
        line = der.index(prime.to_bytes((prime.bit_length() + 7) // 8, "big")) // 48
        windows.append(lines[max(0, line - 2) : line + 3])
    return windows


@pytest.mark.parametrize("bits", [1024, 2048, 4096])
@pytest.mark.parametrize("fmt", sorted(_FORMATS))
def test_middle_lines_of_a_private_key_do_not_go_out(bits: int, fmt: str) -> None:
    for middle in _windows_across_numbers(bits, fmt):
        for text in ("키 중간 부분만 붙여요:\n" + "\n".join(middle), "> " + "\n> ".join(middle) + "\n\n다음 단계"):
            masker = Masker(KEY)
            sent = mask_outgoing(masker, text, "the text").text
            assert [line for line in middle if line in sent] == [], sent
            assert masker.unmask(sent) == text


def test_a_private_key_in_hex_does_not_go_out() -> None:
    key = _rsa(1024)
    for fmt in (serialization.PrivateFormat.TraditionalOpenSSL, serialization.PrivateFormat.PKCS8):
        der = key.private_bytes(serialization.Encoding.DER, fmt, serialization.NoEncryption()).hex()
        for text in (f"der_hex: {der}", f'{{"key": "{der.upper()}"}}'):
            sent = mask_outgoing(Masker(KEY), text, "the text").text
            assert der[40:100].lower() not in sent.lower(), sent
    ec_der = seeded_key("p256", 36).private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    sent = mask_outgoing(Masker(KEY), f"ec key {ec_der.hex()}", "the text").text
    assert ec_der.hex()[20:80] not in sent, sent


def _certificate(key: rsa.RSAPrivateKey) -> bytes:
    import datetime as dt

    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "example.test")])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(36)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.mark.parametrize("bits", [1024, 2048, 4096])
def test_middle_lines_of_certificates_public_keys_and_random_data_stay(bits: int) -> None:
    key = _rsa(bits)
    public = key.public_key()
    blobs = [
        _certificate(key),
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1),
    ]
    cert_lines = _pem_lines(blobs[0])
    for size in (3, 4, 5):  # every window of a certificate's lines: never a private key (the random-key rule may
        for first in range(len(cert_lines) - size + 1):  # take a signature's last lines alone, as before)
            text = "인증서 일부:\n" + "\n".join(cert_lines[first : first + size])
            assert "MASK_PRIVATEKEY" not in mask_outgoing(Masker(KEY), text, "the text").text
    for blob in blobs:
        lines = _pem_lines(blob)
        # a certificate's middle lines; a public key's body after its first line, down to its exponent (its lines
        # alone are random base64, which a rule of their own masks; never as a private key)
        middle = "\n".join(lines[1:-1] if blob is blobs[0] else lines[1:])
        out = mask_outgoing(Masker(KEY), "본문:\n" + middle, "the text").text
        assert out == "본문:\n" + middle if blob is blobs[0] else "MASK_PRIVATEKEY" not in out, (len(lines), out)
    rng = random.Random(bits)
    for _ in range(10):  # base64 of ordinary data wrapped at 64: text, JSON, a CSV
        rows = [
            f"{rng.randrange(2020, 2027)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)},입찰,{rng.randrange(10**6)}원"
        ]
        for data in (
            "조달청 입찰 공고 요약: 소프트웨어 유지보수 용역, 기초금액 확인 바랍니다. " * 4,
            '{"notices": [' + ", ".join(f'{{"no": {rng.randrange(10**6)}, "ok": true}}' for _ in range(12)) + "]}",
            "\n".join(rows * 12),
        ):
            body = base64.b64encode(data.encode()).decode()
            text = "첨부:\n" + "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
            assert mask_outgoing(Masker(KEY), text, "the text").text == text


# --- a JWT wrapped over three lines comes back exactly (the leak check's residue held the detector's token) -------

_JWT = (
    "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\n"
    "eyJzdWIiOiI0MjQyNDI0MiIsIm5hbWUiOiJEYW9uIiwiaWF0IjoxNzY1MDAwMDAwfQ.\n"
    "Qm9ndXNTaWduYXR1cmVGb3JUZXN0c19ub3RfcmVhbA"
)


def test_a_wrapped_jwt_is_restored_exactly_by_the_policy() -> None:
    masker = Masker(KEY)
    sent = mask_outgoing(masker, _JWT, "the text").text
    assert "Qm9ndXNTaWduYXR1cmVGb3JUZXN0c19ub3RfcmVhbA" not in sent and "eyJzdWIi" not in sent, sent
    assert masker.unmask(sent) == _JWT


def test_a_wrapped_jwt_comes_back_exactly_through_the_gateway() -> None:
    standin = GeminiStandIn()
    with standin.serve() as url:
        gateway = LLMGateway.from_api_key("k", base_url=url, company="daon", key=KEY, max_attempts=1)
        assert gateway.generate("s36", _JWT).text == "Echo: " + _JWT
    assert "eyJzdWIi" not in standin.requests[0].body


@pytest.mark.parametrize("streamed", [False, True])
def test_a_wrapped_jwt_comes_back_exactly_through_the_proxy(streamed: bool) -> None:
    with masking_proxy(KEY) as (standin, url):
        client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
        request = {"model": MODEL, "max_tokens": 50, "messages": [{"role": "user", "content": _JWT}]}
        if streamed:
            with client.messages.stream(**request) as stream:
                message = stream.get_final_message()
        else:
            message = client.messages.create(**request)
        assert "".join(getattr(b, "text", "") for b in message.content) == "Echo: " + _JWT
        assert "eyJzdWIi" not in seen_upstream(standin)
