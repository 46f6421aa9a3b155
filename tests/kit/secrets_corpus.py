"""A corpus for the classes of issue 24, each value written the ways people write: JSON, YAML, .env, a log line,
CSV and Korean prose. Each document lists the values planted in it; none may reach a model.

Classes: passwords in config lines, credentials in URLs, provider tokens (GitHub, OpenAI, Anthropic, Google,
Stripe, Slack, JWT), the G2B service key, named high-entropy secrets, private key blocks (PEM, OpenSSH, PGP),
phones and 사업자번호 with Unicode dots, IPv4 after an ellipsis, 주민번호 in the shape of an EAN-13 barcode, and
bank accounts in the shape of an old notice number."""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

_ALNUM = string.ascii_letters + string.digits


@dataclass(frozen=True)
class Doc:
    cls: str
    fmt: str
    text: str
    planted: tuple[str, ...]


def _rand(rng: random.Random, n: int, alphabet: str = _ALNUM) -> str:
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(n))
        if alphabet != _ALNUM or (any(c.isdigit() for c in value) and any(c.isupper() for c in value)):
            return value


def _brn(rng: random.Random) -> str:
    while True:
        digits = f"{rng.randint(101, 899)}{rng.randint(1, 99):02d}{rng.randint(0, 99999):05d}"
        weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
        total = sum(int(d) * w for d, w in zip(digits[:9], weights, strict=True)) + int(digits[8]) * 5 // 10
        if (10 - total % 10) % 10 == int(digits[9]):
            return digits


def _rrn_like_barcode(rng: random.Random) -> str:
    """880yymmdd-shaped: 88 + a real month and day + gender 1-4 + digits, with a valid EAN-13 check digit."""
    while True:
        body = f"88{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.choice('1234')}{rng.randint(0, 99999):05d}"
        check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
        return body + str(check)


# class -> (field name as people call it, value generator)
def _classes() -> dict[str, tuple[str, Callable[[random.Random], str]]]:
    return {
        "password": ("db_password", lambda r: "Pw" + _rand(r, 8) + r.choice("!#%")),
        "url-credentials": ("database_url", lambda r: f"postgres://app:{_rand(r, 12)}@db.internal:5432/app"),
        "github": ("token", lambda r: "ghp_" + _rand(r, 36)),
        "openai": ("openai_api_key", lambda r: "sk-proj-" + _rand(r, 40)),
        "anthropic": ("anthropic_api_key", lambda r: "sk-ant-api03-" + _rand(r, 80) + "-AA"),
        "google": ("maps_key", lambda r: "AIza" + _rand(r, 35)),
        "stripe": ("stripe", lambda r: "sk_live_" + _rand(r, 24)),
        "slack": ("slack", lambda r: f"xoxb-{r.randint(10**11, 10**12)}-{r.randint(10**12, 10**13)}-{_rand(r, 24)}"),
        "jwt": ("session", lambda r: f"eyJhbGciOiJIUzI1NiJ9.eyJ{_rand(r, 30)}.{_rand(r, 43)}"),
        "g2b-service-key": ("ServiceKey", lambda r: _rand(r, 86, _ALNUM + "+/") + "=="),
        "named-secret": ("client_secret", lambda r: _rand(r, 32)),
        "phone-unicode-dots": (
            "연락처",
            lambda r: r.choice("·ㆍ・•‧∙⋅").join(["010", f"{r.randint(2000, 9999)}", f"{r.randint(1000, 9999)}"]),
        ),
        "brn-unicode-dots": (
            "사업자번호",
            lambda r: (lambda b, s: f"{b[:3]}{s}{b[3:5]}{s}{b[5:]}")(_brn(r), r.choice("·ㆍ・•")),
        ),
        "ip-after-ellipsis": ("서버", lambda r: f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"),
        "rrn-like-barcode": ("번호", _rrn_like_barcode),
        "account-like-old-notice": (
            "입금 계좌(국민은행)",
            lambda r: f"2024{r.randint(13, 99)}{r.randint(10000, 99999)}-{r.randint(0, 99):02d}",
        ),
    }


_PRIVATE_KEYS = (
    ("RSA PRIVATE KEY", "-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"),
    ("OPENSSH PRIVATE KEY", "-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----"),
    (
        "PGP",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n{body}\n=Ab12\n-----END PGP PRIVATE KEY BLOCK-----",
    ),
    ("EC truncated", "-----BEGIN EC PRIVATE KEY-----\n{body}"),
    ("PRIVATE KEY", "-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----"),
)


def _render(fmt: str, name: str, value: str, cls: str) -> str:
    if cls == "ip-after-ellipsis":
        return {
            "json": f'{{"msg": "connecting...{value}"}}',
            "yaml": f"note: 접속 시도…{value} 실패",
            "env": f"# fallback ... {value}",
            "log": f"2025-01-02T03:04:05Z WARN retry...{value} timeout",
            "csv": f"step,detail\n3,접속…{value}",
            "prose": f"서버 점검 중... {value} 에서 응답이 없습니다.",
        }[fmt]
    if cls == "account-like-old-notice":
        return {
            "json": f'{{"입금계좌": "국민은행 {value}"}}',
            "yaml": f"bank_account: 국민은행 {value}",
            "env": f"REFUND_ACCOUNT=국민은행 {value}",
            "log": f"2025-01-02 INFO 환불 계좌 {value} (국민은행) 등록",
            "csv": f"예금주,은행,계좌번호\n한빛,국민은행,{value}",
            "prose": f"보증금은 국민은행 계좌 {value} 으로 입금해 주세요.",
        }[fmt]
    return {
        "json": f'{{"{name}": "{value}"}}',
        "yaml": f"config:\n  {name}: {value}",
        "env": f"{name.upper().replace(' ', '_')}={value}",
        "log": f"2025-01-02T03:04:05Z INFO start {name}={value} pid=4123",
        "csv": f"id,{name}\n1,{value}",
        "prose": f"운영 메모: {name}는 {value} 입니다. 외부에 공유하지 마세요.",
    }[fmt]


FORMATS = ("json", "yaml", "env", "log", "csv", "prose")


def secrets_corpus(seed: int = 24, per_class: int = 12) -> list[Doc]:
    rng = random.Random(seed)
    docs = []
    for cls, (name, make) in _classes().items():
        for i in range(per_class):
            fmt = FORMATS[i % len(FORMATS)]
            value = make(rng)
            planted = value.split("@")[0].rsplit(":", 1)[1] if cls == "url-credentials" else value
            docs.append(Doc(cls, fmt, _render(fmt, name, value, cls), (planted,)))
    for i in range(per_class):
        label, template = _PRIVATE_KEYS[i % len(_PRIVATE_KEYS)]
        body = "\n".join(_rand(rng, 64, _ALNUM + "+/") for _ in range(3))
        block = template.format(body=body)
        fmt = FORMATS[i % len(FORMATS)]
        text = {
            "json": '{"private_key": "' + block.replace("\n", "\\n") + '"}',
            "yaml": "ssh_key: |\n  " + block.replace("\n", "\n  "),
            "env": 'SSH_KEY="' + block + '"',
            "log": "2025-01-02 DEBUG loaded key\n" + block,
            "csv": 'name,key\ndeploy,"' + block + '"',
            "prose": f"{label} 키를 붙여넣습니다:\n" + block + "\n이 키로 접속이 안 됩니다.",
        }[fmt]
        docs.append(Doc("private-key", fmt, text, tuple(body.split("\n"))))
    return docs
