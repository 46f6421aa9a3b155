"""The secrets catalogue as a table: (rule, example, masked) for every gitleaks default rule and every rule of our
own, through the masking policy the gateway and the proxy use. Examples of gitleaks' rules are generated from each
rule's regex (as gitleaks generates its own true positives) and kept only when gitleaks' own filters (entropy,
allowlists, stopwords) would report them too; our rules' examples are written the ways people write."""

from __future__ import annotations

import random

import pytest

from bidradar.masking import Masker, catalogue
from bidradar.masking.policy import mask_outgoing
from tests.kit.regex_samples import sample

KEY = b"c" * 32


def _gitleaks_table() -> tuple[list[tuple[str, str, str]], list[str]]:
    table, without = [], []
    for rule in catalogue.catalogue().rules:
        if not rule.id.startswith("gitleaks:"):
            continue
        rng = random.Random(f"24:{rule.id}")  # one stream per rule: a change to one rule leaves the others' examples
        for _ in range(60):
            example = sample(rule.regex, rng)
            if rule.keywords and not any(k.lower() in example.lower() for k in rule.keywords):
                continue  # gitleaks itself would not look (its keyword prefilter, which the catalogue keeps)
            found = catalogue.scan_rule(rule.id, example)
            if found:
                table.append((rule.id, example, example[found[0].start : found[0].end]))
                break
        else:
            without.append(rule.id)
    return table, without


GITLEAKS_TABLE, GITLEAKS_WITHOUT_EXAMPLE = _gitleaks_table()


def test_nearly_every_gitleaks_rule_has_an_example() -> None:
    rules = sum(r.id.startswith("gitleaks:") for r in catalogue.catalogue().rules)
    assert rules >= 200
    print("gitleaks rules without a generated example:", GITLEAKS_WITHOUT_EXAMPLE)
    assert len(GITLEAKS_TABLE) >= 0.95 * rules


@pytest.mark.parametrize(("rule", "example", "secret"), GITLEAKS_TABLE, ids=[r for r, _, _ in GITLEAKS_TABLE])
def test_gitleaks_rule_example_is_masked(rule: str, example: str, secret: str) -> None:
    text = f"설정 파일을 붙여넣습니다:\n{example}\n이 설정으로 배포가 실패합니다."
    out = mask_outgoing(Masker(KEY), text, "the prompt")
    assert secret not in out.text, f"{rule}: the secret went out"


# Our own rules, written the ways people write (JSON, YAML, .env, logs, CSV, Korean prose, shell).
OWN_TABLE = [
    ("bidradar-password-assignment", "DB_PASSWORD=hunter22", "hunter22"),
    ("bidradar-password-assignment", "  password: 'S3cr3t!x'", "S3cr3t!x"),
    ("bidradar-password-assignment", '{"db": {"passwd": "qwerty12"}}', "qwerty12"),
    ("bidradar-password-assignment", "spring.datasource.password=Tiger#2024", "Tiger#2024"),
    ("bidradar-password-assignment", "Server=db;User Id=sa;Password=P@ssw0rd1;", "P@ssw0rd1"),
    ("bidradar-password-assignment", "관리자 비밀번호: Qwer1234!", "Qwer1234!"),
    ("bidradar-password-assignment", "비밀번호는 dkssud123 입니다", "dkssud123"),
    ("bidradar-csv-secret-column", "user,pwd\nkim,blue-sky-77\nlee,Hanbit2024", "blue-sky-77"),
    ("bidradar-xml-password", "<password>letmein99</password>", "letmein99"),
    ("bidradar-cli-secret-flag", "psql --password s3cretpw -h db", "s3cretpw"),
    ("bidradar-cli-password", "mysql -u root -pRootPw123 app", "RootPw123"),
    ("bidradar-url-credentials", "DATABASE_URL=postgres://app:n0t-public@db.internal:5432/app", "n0t-public"),
    ("bidradar-url-credentials", "redis://:r3dis-pass@cache:6379/0", "r3dis-pass"),
    ("bidradar-url-credentials", "git clone https://kim:ghs_tok3n@github.example.com/x.git", "ghs_tok3n"),
    (
        "bidradar-authorization-header",
        "curl -H 'Authorization: Bearer abc123def456ghi789' https://api",
        "abc123def456ghi789",
    ),
    ("bidradar-authorization-header", "Authorization: Basic a2ltOnBhc3N3b3JkMTIz", "a2ltOnBhc3N3b3JkMTIz"),
    (
        "bidradar-github-token",
        "remote: ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
        "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    ),
    (
        "bidradar-github-token",
        "token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
    ),
    (
        "bidradar-openai-key",
        'client = OpenAI(api_key="sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34")',
        "sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34",
    ),
    (
        "bidradar-anthropic-key",
        "ANTHROPIC_API_KEY: sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0-AA",
        "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0-AA",
    ),
    (
        "bidradar-google-key",
        "maps key AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI 로 호출",
        "AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI",
    ),
    ("bidradar-stripe-key", "STRIPE=sk_live_51HxYzAbCdEfGhIjKlMn", "sk_live_51HxYzAbCdEfGhIjKlMn"),
    (
        "bidradar-slack-token",
        "slack: xoxb-2468013579-1357924680-AbCdEfGhIjKlMnOp",
        "xoxb-2468013579-1357924680-AbCdEfGhIjKlMnOp",
    ),
    (
        "bidradar-slack-webhook",
        "https://hooks.slack.com/services/T0001/B0002/XyZ123abcDEF456ghiJKL789",
        "XyZ123abcDEF456ghiJKL789",
    ),
    (
        "bidradar-jwt",
        "토큰 eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJraW0ifQ.c2lnbmF0dXJlMTIz 만료",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJraW0ifQ.c2lnbmF0dXJlMTIz",
    ),
    (
        "bidradar-g2b-service-key",
        "G2B_SERVICE_KEY=Qm9ndXNLZXlGb3JUZXN0aW5nT25seTEyMzQ1Njc4OTA%2B%2F%3D%3D",
        "Qm9ndXNLZXlGb3JUZXN0aW5nT25seTEyMzQ1Njc4OTA",
    ),
    (
        "bidradar-g2b-service-key",
        "GET /ad/BidPublicInfoService/getBidPblancListInfoServc?ServiceKey=abcDEF123456ghiJKL7890mnoPQR&pageNo=1",
        "abcDEF123456ghiJKL7890mnoPQR",
    ),
    (
        "bidradar-g2b-service-key-bare",
        "키: " + "Ab3dEf6hIj9lMn2pQr5tUv8xYz1BcD4fGh7jKl0nOp3rSt6vWx9zAb2dEf5hIj8lMn1pQr4tUv7xYz0BcD3fGh==",
        "Ab3dEf6hIj9lMn2pQr5tUv8xYz1BcD4fGh7jKl0nOp3rSt6vWx9zAb2dEf5hIj8lMn1pQr4tUv7xYz0BcD3fGh",
    ),
    ("bidradar-secret-assignment", "client_secret: 8f3Kd92LmQ0pX7zR", "8f3Kd92LmQ0pX7zR"),
    ("bidradar-secret-assignment", '"api_key": "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"', "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"),
    (
        "bidradar-secret-assignment",
        "2025-01-02T03:04:05Z INFO login ok token=Zk29Xq81Lm0PwR7 user=kim",
        "Zk29Xq81Lm0PwR7",
    ),
    (
        "bidradar-aws-secret-named",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    (
        "bidradar-private-key-block",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq4nR2\nQk9x==\n-----END RSA PRIVATE KEY-----",
        "MIIEpAIBAAKCAQEA7bq4nR2",
    ),
    (
        "bidradar-private-key-block",
        "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\\n-----END OPENSSH PRIVATE KEY-----",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU",
    ),
    (
        "bidradar-private-key-block",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\nlQOYBF0wEXAMPLEkeyMATERIAL\n=Ab12\n-----END PGP PRIVATE KEY BLOCK-----",
        "lQOYBF0wEXAMPLEkeyMATERIAL",
    ),
    (
        "bidradar-private-key-block",
        "붙여넣다 잘린 키 -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBtruncatedKEYmaterial",
        "MHcCAQEEIBtruncatedKEYmaterial",
    ),
]


@pytest.mark.parametrize(
    ("rule", "example", "secret"), OWN_TABLE, ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(OWN_TABLE)]
)
def test_own_rule_example_is_masked_and_restored(rule: str, example: str, secret: str) -> None:
    assert any(f.rule == rule for f in catalogue.scan(example)), f"{rule} does not fire on its example"
    masker = Masker(KEY)
    out = mask_outgoing(masker, example, "the prompt")
    assert secret not in out.text
    assert masker.unmask(out.text) == example


# Hashes the product uses stay readable: commit ids, sha256 cache keys, UUIDs; words after a password name that
# are not passwords; placeholders.
KEPT = [
    "commit 3f9a2b1c4d5e6f708192a3b4c5d6e7f801928374 fixed the bug",
    "cache_key=9b2f0c6e1a7d4e5f8a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f",
    "request 550e8400-e29b-41d4-a716-446655440000 done",
    "비밀번호가 틀렸습니다. 비밀번호를 다시 입력하세요.",
    "password: ${DB_PASSWORD}",
    'api_key = os.environ["OPENAI_API_KEY"]',
    "token: <your-token>",
]


@pytest.mark.parametrize("text", KEPT)
def test_hashes_placeholders_and_prose_are_not_credentials(text: str) -> None:
    assert [f.rule for f in catalogue.scan(text) if f.rule.startswith("bidradar-")] == []
