"""Stop 32's red team, the token classes (issue 24): provider tokens without a rule (F13, F13b), bare random keys
and the G2B 인증키 after Korean labels (F9, F15, F44), session cookies (F31), request signatures (F32), password
hashes (F33), AWS unique ids and JWE (F34), tokens wrapped over two lines (F14), private key material outside
PEM (F22), cloud ids after their labels (F10). Every value is generated from the provider's documented shape
with a seeded random body (nothing real), and written the ways people paste it: alone, in Korean prose, a chat
line, JSON and YAML under a neutral key, a log line, shell history, a Markdown fence. Each must be masked by the
policy (= `bidradar mask` = the gateway), never reach Gemini through the gateway nor Anthropic through the proxy,
and ordinary look-alikes (digests, public keys, certificates, paths, ids) stay untouched."""

from __future__ import annotations

import base64
import gzip
import random
import string
from collections import Counter
from collections.abc import Callable, Iterator
from typing import NamedTuple

import anthropic
import pytest

from bidradar.masking import Masker
from bidradar.masking.gateway import LLMGateway
from bidradar.masking.policy import MaskingRefused, mask_outgoing
from tests.kit.anthropic import AnthropicStandIn, masking_proxy, seen_upstream, send_in_batches
from tests.kit.gemini import GeminiStandIn

KEY = b"s" * 32
MODEL = "claude-sonnet-4-5"
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"


class Doc(NamedTuple):
    cls: str
    fmt: str
    text: str
    planted: tuple[str, ...]  # the secret parts that must not go out (each long enough to be unambiguous)


def _pick(rng: random.Random, alphabet: str, n: int) -> str:
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(n))
        wanted = [str.isdigit, str.isupper, str.islower]
        if any(any(map(has, alphabet)) and not any(map(has, value)) for has in wanted):
            continue  # a random body mixes what its alphabet has: case and digits (the shape a provider issues)
        return value


# Token generators: (class, rng) -> (token, its secret part).
def _tokens(rng: random.Random) -> list[tuple[str, str, str]]:
    def t(cls: str, prefix: str, body: str, suffix: str = "") -> tuple[str, str, str]:
        return cls, prefix + body + suffix, body

    out = [
        t("toss", rng.choice(["live_sk_", "test_sk_", "live_ck_", "test_ck_", "live_gsk_"]), _pick(rng, ALNUM, 28)),
        t("huggingface", "hf_", _pick(rng, ALNUM, 34)),
        t("notion", "secret_", _pick(rng, ALNUM, 43)),
        t("notion", "ntn_", _pick(rng, ALNUM, 46)),
        t("airtable", "pat" + _pick(rng, ALNUM, 14) + ".", _pick(rng, HEX, 64)),
        t("fcm", "AAAA" + _pick(rng, ALNUM, 7) + ":APA91b", _pick(rng, ALNUM + "_-", 134)),
        t("discord-webhook", "https://discord.com/api/webhooks/1183927465012345678/", _pick(rng, ALNUM + "_-", 68)),
        t("kakao", "KakaoAK ", _pick(rng, HEX, 32)),
        t("telegram", str(rng.randrange(10**8, 10**10)) + ":AA", _pick(rng, ALNUM + "_-", 33)),
        t("doppler", rng.choice(["dp.st.prd.", "dp.st.dev_api.", "dp.sa.", "dp.ct."]), _pick(rng, ALNUM, 40)),
        t("tencent", "AKID", _pick(rng, ALNUM, 32)),
        t("oracle", "ocid1.user.oc1..", _pick(rng, string.ascii_lowercase + string.digits, 60)),
        t("supabase", "sbp_", _pick(rng, HEX, 40)),
        t("mailgun", "key-", _pick(rng, HEX, 32)),
        t("mailchimp", "", _pick(rng, HEX, 32), "-us12"),
        t("twilio", "AC", _pick(rng, HEX, 32)),
        t("docker", "dckr_pat_", _pick(rng, ALNUM + "_-", 27)),
        t("newrelic", "NRAK-", _pick(rng, string.ascii_uppercase + string.digits, 27)),
        t("1password", "ops_", _pick(rng, ALNUM, 100)),
        t("replicate", "r8_", _pick(rng, ALNUM, 37)),
        t("groq", "gsk_", _pick(rng, ALNUM, 52)),
        t("xai", "xai-", _pick(rng, ALNUM, 80)),
        t("hubspot", "pat-na1-", "-".join(_pick(rng, HEX, n) for n in (8, 4, 4, 4, 12))),
        t("heroku", "HRKU-", _pick(rng, ALNUM + "_-", 60)),
        t("vercel", "vercel_blob_rw_", _pick(rng, ALNUM, 16) + "_" + _pick(rng, ALNUM, 30)),
        t("sentry", "sntrys_", _pick(rng, ALNUM, 90)),
        t("linear", "lin_oauth_", _pick(rng, HEX, 64)),
        t("figma", "figd_", _pick(rng, ALNUM + "-", 40)),
        t("mapbox", "sk.eyJ1IjoiaG9uZyIsImEiOiJ" + _pick(rng, ALNUM, 12) + ".", _pick(rng, ALNUM, 22)),
        t(
            "aws-unique-id",
            "",
            rng.choice(["AIDA", "AROA", "AGPA", "ANPA"]) + _pick(rng, "ABCDEFGHJKLMNPQRSTUVWXYZ234567", 17),
        ),
        t("aws-secret", "", "/".join(_pick(rng, ALNUM, n) for n in (13, 9, 16))),
        t("random-key", "", _pick(rng, B64, 43) + "="),
        t("g2b-key", "", _pick(rng, B64, 86) + "=="),
    ]
    g2b = _pick(rng, B64, 86) + "=="
    encoded = g2b.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    out.append(("g2b-key-encoded", encoded, g2b[:40].replace("+", "%2B").replace("/", "%2F")))
    return out


# Shapes: (format, template) — a neutral key or label, so only the token's own shape can find it.
SHAPES: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("bare", lambda tok: tok),
    ("prose", lambda tok: f"이 토큰으로 호출해 주세요 {tok} 확인 부탁드립니다."),
    ("chat", lambda tok: f"[홍길동] [오후 3:12] {tok}\n[김철수] [오후 3:13] 받았어요"),
    ("json", lambda tok: '{"note": "' + tok + '", "owner": "infra"}'),
    ("yaml", lambda tok: f"steps:\n  - run: deploy\n    with:\n      value: {tok}\n"),
    ("log", lambda tok: f"2026-12-07T03:11:17Z INFO request sent with {tok} (attempt 2)"),
    ("shell", lambda tok: f"$ export X={tok}\n$ ./run.sh"),
    ("markdown", lambda tok: f"설정 방법:\n\n```\n{tok}\n```\n"),
)

# Korean labels of the G2B portal (공공데이터포털) and Kakao's console, in the ways people paste them.
_LABELLED = (
    ("g2b-label", "공공데이터포털 인증키(Decoding): {v}"),
    ("g2b-label", "일반 인증키(Encoding): {enc}"),
    ("g2b-label", "| 일반 인증키(Decoding) | {v} |"),
    ("g2b-label", "인증키 {v} 로 호출하면 됩니다"),
    ("g2b-label", "ServiceKey {v}"),
    ("g2b-label", "data.go.kr 키 {v}"),
    ("g2b-label", "나라장터 API 키는 {v} 입니다"),
)


def _labelled(rng: random.Random) -> list[Doc]:
    docs = []
    for cls, template in _LABELLED:
        v = _pick(rng, B64, 86) + "=="
        enc = v.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
        docs.append(Doc(cls, "label", template.format(v=v, enc=enc), (v[:40], enc[:40])))
    for template in (
        "카카오 REST API 키: {k}",
        "카카오 네이티브 앱 키 {k}",
        "kakao admin key = {k}",
        "카카오 JavaScript 키는 {k}",
    ):
        k = _pick(rng, HEX, 32)
        docs.append(Doc("kakao-label", "label", template.format(k=k), (k,)))
    k = _pick(rng, HEX, 32)
    docs.append(
        Doc("kakao-native", "url", f'<data android:scheme="kakao{k}" android:host="oauth"/>\nkakao{k}://oauth', (k,))
    )
    return docs


def _structured(rng: random.Random) -> list[Doc]:
    """Cookies, signatures, hashes, JWE, key material: each in a few real shapes."""
    docs: list[Doc] = []
    sid = _pick(rng, HEX, 32).upper()
    docs.append(Doc("cookie", "header", f"Cookie: JSESSIONID={sid}; _ga=GA1.2.123456789.1733536200", (sid,)))
    sid = _pick(rng, ALNUM, 32)
    docs.append(
        Doc(
            "cookie",
            "set-cookie",
            f"Set-Cookie: connect.sid=s%3A{sid}.{_pick(rng, ALNUM, 43)}; Path=/; HttpOnly",
            (sid,),
        )
    )
    sig = _pick(rng, ALNUM, 27)
    docs.append(Doc("cookie", "flask", f"Set-Cookie: session=eyJ1c2VyX2lkIjo0Mn0.ZXqV0A.{sig}; HttpOnly", (sig,)))
    sid = _pick(rng, string.ascii_lowercase + string.digits, 26)
    docs.append(Doc("cookie", "js", f"document.cookie = 'PHPSESSID={sid}'", (sid,)))
    body = _pick(rng, ALNUM, 60)
    docs.append(Doc("cookie", "curl", f"curl -b 'laravel_session={body}%3D' https://acme.kr/admin", (body,)))
    docs.append(
        Doc(
            "cookie",
            "har-json",
            '{"name": "sessionid", "value": "' + body[:40] + '"}\nCookie: sessionid=' + body[:40],
            (body[:40],),
        )
    )
    sig = _pick(rng, HEX, 64)
    docs.append(
        Doc(
            "signature",
            "sigv4",
            "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20241207/ap-northeast-2/s3/aws4_request, "
            f"SignedHeaders=host;x-amz-date, Signature={sig}",
            (sig,),
        )
    )
    sig = _pick(rng, ALNUM + "~-_", 172)
    docs.append(
        Doc(
            "signature",
            "cloudfront",
            f"https://d111111abcdef8.cloudfront.net/a.jpg?Expires=1733536200&Signature={sig}&Key-Pair-Id=K2JCJMDEHXQW5F",
            (sig[:40],),
        )
    )
    resp = _pick(rng, HEX, 32)
    docs.append(
        Doc(
            "signature",
            "digest",
            f'Authorization: Digest username="admin", realm="x", nonce="{_pick(rng, HEX, 34)}", uri="/", response="{resp}"',
            (resp,),
        )
    )
    h = _pick(rng, ALNUM + "./", 86)
    docs.append(Doc("hash", "shadow", f"admin:$6$rounds=5000$saltsalt${h}:19000:0:99999:7:::", (h[:40],)))
    h = _pick(rng, ALNUM + "./", 53)
    docs.append(Doc("hash", "bcrypt", f"password_hash = '$2b$12${h}'", (h[:40],)))
    docs.append(Doc("hash", "bcrypt-sql", f"INSERT INTO users VALUES (1, 'hong', '$2y$10${h}');", (h[:40],)))
    nt = _pick(rng, HEX, 32)
    docs.append(Doc("hash", "pwdump", f"Administrator:500:aad3b435b51404eeaad3b435b51404ee:{nt}:::", (nt,)))
    h = _pick(rng, ALNUM + "+/", 44)
    docs.append(Doc("hash", "django", f"pbkdf2_sha256$600000${_pick(rng, ALNUM, 22)}${h}", (h[:40],)))
    docs.append(Doc("hash", "ldap", f"userPassword: {{SSHA}}{h}", (h[:40],)))
    uid = "AIDA" + _pick(rng, "ABCDEFGHJKLMNPQRSTUVWXYZ234567", 17)
    docs.append(
        Doc(
            "aws-unique-id",
            "sts-json",
            '{"Account": "123456789012", "UserId": "' + uid + '", "Arn": "arn:aws:iam::123456789012:user/hong"}',
            (uid,),
        )
    )
    rid = "AROA" + _pick(rng, "ABCDEFGHJKLMNPQRSTUVWXYZ234567", 17)
    docs.append(Doc("aws-unique-id", "role-session", f"{rid}:botocore-session-1733536200", (rid,)))
    parts = [_pick(rng, ALNUM + "_-", n) for n in (342, 16, 60, 22)]
    jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ." + ".".join(parts)
    docs.append(Doc("jwe", "bare", f"token={jwe}", tuple(p[:16] for p in parts)))
    docs.append(Doc("jwe", "prose", f"암호화 토큰 {jwe} 를 복호화해줘", tuple(p[:16] for p in parts)))
    return docs


def _wrapped(rng: random.Random) -> list[Doc]:
    """F14: a token wrapped over two lines (a narrow terminal, a chat bubble, a quoted e-mail): both lines go."""
    tokens = [
        "github_pat_11" + _pick(rng, ALNUM, 20) + "_" + _pick(rng, ALNUM, 59),
        "sk-proj-" + _pick(rng, ALNUM, 40) + "T3BlbkFJ" + _pick(rng, ALNUM, 40),
        "hvs." + _pick(rng, ALNUM + "_", 90),
        "SG." + _pick(rng, ALNUM + "_-", 22) + "." + _pick(rng, ALNUM + "_-", 43),
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJob25nIiwibmFtZSI6Iu2Zjeq4uOuPmSJ9."
        + _pick(rng, ALNUM + "_-", 43),
        "xoxb-1234567890123-1234567890123-" + _pick(rng, ALNUM, 24),
        "glpat-" + _pick(rng, ALNUM + "_-", 20),
        "live_sk_" + _pick(rng, ALNUM, 28),
        "hf_" + _pick(rng, ALNUM, 34),
        _pick(rng, B64, 86) + "==",
    ]
    shapes = (
        ("two-lines", "{a}\n{b}"),
        ("quoted", "> 키 보내드립니다\n> {a}\n> {b}\n> 감사합니다"),
        ("indented-log", "ERROR invalid token {a}\n    {b}\nretrying"),
        ("fence", "```\n{a}\n{b}\n```"),
    )
    docs = []
    for token in tokens:
        cut = rng.randint(max(14, len(token) // 3), len(token) - 10)
        head, tail = token[:cut], token[cut:]
        for fmt, template in shapes:
            docs.append(Doc("wrapped", fmt, template.format(a=head, b=tail), (tail, head[-10:])))
    return docs


def _keys_and_cloud_ids(rng: random.Random) -> list[Doc]:
    """F22 key material outside PEM (JWK private members, wallet keys, mnemonics, a WireGuard key on the command
    line) and F10 cloud ids after their labels (Azure tenant/subscription, GCP project and billing account)."""
    docs = []
    d, p = _pick(rng, ALNUM + "_-", 43), _pick(rng, ALNUM + "_-", 86)
    x, q = _pick(rng, ALNUM + "_-", 43), _pick(rng, ALNUM + "_-", 43)  # a JWK's x is public: it stays
    docs.append(Doc("jwk", "json", f'{{"kty": "EC", "crv": "P-256", "x": "{x}", "y": "{x[::-1]}", "d": "{d}"}}', (d,)))
    docs.append(
        Doc(
            "jwk", "jwks", f'{{"keys": [{{"kty": "RSA", "e": "AQAB", "d": "{p}", "p": "{d}", "q": "{q}"}}]}}', (p, d, q)
        )
    )
    docs.append(Doc("jwk", "yaml-ish", f"jwk: {{kty: oct, k: '{d}'}}", (d,)))
    wg = _pick(rng, B64, 43) + "="
    docs.append(Doc("wireguard", "shell", f"wg set wg0 private-key <(echo {wg})", (wg[:40],)))
    docs.append(Doc("wireguard", "prose", f"서버 키는 {wg} 입니다", (wg[:40],)))
    for template in (
        "지갑 프라이빗키 0x{h}",
        "PRIVATE_KEY=0x{h}",
        '{{"wallet": {{"privateKey": "{h}"}}}}',
        "메타마스크 개인키: {h}",
    ):
        h = _pick(rng, HEX, 64)
        docs.append(Doc("wallet", "label", template.format(h=h), (h,)))
    words = [
        "abandon",
        "ability",
        "able",
        "about",
        "above",
        "absent",
        "absorb",
        "abstract",
        "absurd",
        "abuse",
        "access",
        "accident",
        "acid",
        "acoustic",
    ]
    for template in ("시드 구문: {m}", 'mnemonic = "{m}"', "MetaMask 비밀 복구 구문\n{m}", "seed phrase: {m}"):
        m = " ".join(rng.choice(words) for _ in range(12))
        docs.append(Doc("mnemonic", "label", template.format(m=m), (m[: len(m) // 2 + 8],)))
    for template in (
        "AZURE_TENANT_ID={g}",
        'subscription_id = "{g}"',
        "tenantId: {g}",
        "az account set --subscription {g}",
        "/subscriptions/{g}/resourceGroups/rg-bid/providers/Microsoft.Compute/virtualMachines/vm1",
        "https://login.microsoftonline.com/{g}/oauth2/v2.0/token",
    ):
        g = "-".join(_pick(rng, HEX, n) for n in (8, 4, 4, 4, 12))
        docs.append(Doc("azure-id", "label", template.format(g=g), (g,)))
    for template in (
        "project_id: acme-{w}",
        "GOOGLE_CLOUD_PROJECT=acme-{w}",
        "gcloud config set project acme-{w}",
        '{{"project_id": "acme-{w}", "type": "service_account"}}',
    ):
        w = "bid-" + _pick(rng, string.ascii_lowercase + string.digits, 6)
        docs.append(Doc("gcp-project", "label", template.format(w=w), (f"acme-{w}",)))
    for oid in ("2a864886f70d01050d", "2a831a8c9a44010f"):  # PBES2; KISA SEED (a 공동인증서's signPri.key)
        der = bytes.fromhex(f"3082050e3040{len(bytes.fromhex(oid)) + 0x0600:04x}{oid}") + rng.randbytes(400)
        body = base64.b64encode(der).decode()
        docs.append(Doc("pkcs8-encrypted", "prose", f"signPri.key (base64): {body} 입니다", (body[40:80],)))
        wrapped = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
        docs.append(Doc("pkcs8-encrypted", "wrapped", f"key:\n{wrapped}\n", (body[40:80], body[-60:-20])))
    b = "-".join(_pick(rng, "0123456789ABCDEF", 6) for _ in range(3))
    docs.append(Doc("gcp-billing", "path", f"billingAccounts/{b}", (b,)))
    docs.append(Doc("gcp-billing", "label", f"결제 계정(billing account): {b}", (b,)))
    return docs


def _encodings(rng: random.Random) -> list[Doc]:
    """F26: a secret or an identifier in hex, `\\x` escapes, base32 or gzip+base64 (decoded, masked whole)."""
    docs = []
    values = [
        "ghp_" + _pick(rng, ALNUM, 36),
        "900101-1234568",
        "010-9876-5432",
        "DB_PASSWORD=" + _pick(rng, ALNUM, 14),
    ]
    for value in values:
        raw = value.encode()
        hexed = raw.hex()
        escaped = "".join(f"\\x{b:02x}" for b in raw)
        b32 = base64.b32encode(raw).decode()
        zipped = base64.b64encode(gzip.compress(raw + b"\nowner=infra\n")).decode()
        docs += [
            Doc("hex", "prose", f"값을 hex 로 보냅니다: {hexed}", (hexed,)),
            Doc("hex", "bytea", f"SELECT '\\x{hexed}'::bytea;", (hexed,)),
            Doc("hex", "python", f"token = b'{escaped}'", (escaped,)),
            Doc("base32", "json", f'{{"blob": "{b32}"}}', (b32.rstrip("="),)),
            Doc("gzip-base64", "yaml", f"data:\n  release: {zipped}\n", (zipped[:40],)),
        ]
    return docs


def _emails_and_ips(rng: random.Random) -> list[Doc]:
    """F11/F38 e-mail addresses around the usual shape, F12 an IPv4 address as one hex integer."""
    docs = []
    for _ in range(2):
        local = _pick(rng, string.ascii_lowercase, 5) + "." + _pick(rng, string.ascii_lowercase, 4)
        domain = _pick(rng, string.ascii_lowercase, 6)
        shapes = {
            "doubled-at": (f"{local}@@{domain}.co.kr", local),
            "quoted": (f'"{local}"@{domain}.co.kr', local),
            "comment": (f"홍길동({local})@{domain}.com", local),
            "relay": (f"{local}%{domain}.co.kr@relay", local),
            "literal": (f"{local}@[203.0.113.{rng.randint(2, 250)}]", local),
            "hash-for-at": (f"{local}#{domain}.co.kr (#을 @로)", f"{local}#{domain}"),
            "hangul": (f"홍길동{rng.randint(10, 99)}@{domain}.한국", f"홍길동{local[:0]}"),
            "spaced": (" ".join(f"{local[:5]}@{domain}.com").replace(" .", " ."), " ".join(local[:5])),
        }
        for fmt, (address, secret) in shapes.items():
            for wrap in ("메일은 {a} 로 보내주세요", '{{"contact": "{a}"}}', "[홍길동] [오후 3:12] {a}"):
                text = wrap.format(a=address)
                planted = (secret,) if fmt != "hangul" else (address.split("@")[0] + "@",)
                docs.append(Doc("email-odd", fmt, text, planted))
    for _ in range(3):
        ip = f"{rng.randint(1, 126)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        hexed = "0x" + "".join(f"{int(p):02X}" for p in ip.split("."))
        docs.append(Doc("ip-hex", "prose", f"host {hexed} 에 접속", (hexed,)))
        docs.append(Doc("ip-hex", "config", f"inet_addr = {hexed.lower()}", (hexed.lower(),)))
    return docs


def attack_corpus(seed: int = 32) -> list[Doc]:
    rng = random.Random(seed)
    docs = []
    for fmt, shape in SHAPES:
        for cls, token, secret in _tokens(rng):
            docs.append(Doc(cls, fmt, shape(token), (secret,)))
    return (
        docs
        + _labelled(rng)
        + _structured(rng)
        + _wrapped(rng)
        + _keys_and_cloud_ids(rng)
        + _encodings(rng)
        + _emails_and_ips(rng)
    )


# Public or ordinary values of the same shapes: nothing of these may be masked.
ORDINARY = (
    '"integrity": "sha512-PE0auGV6JxcRBWaM6krM/cMPOIWJXEbHLNMbQzbx7QbUpM5CzEUxKk9KoN679drZ4V8W2JtWq2OBPy0/eUcW8Q=="',
    "github.com/stretchr/testify v1.8.4 h1:79Hd8YzXTAHoSpK04U/Zw4IxaWyZSW5zKTtOQtDMCxQ=",
    "ED25519 key fingerprint is SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s.",
    '<script src="https://cdn.jsdelivr.net/npm/x@1/x.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"></script>',
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl deploy@bidradar",
    "docker pull postgres@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097",
    "파일 경로: /Users/HongGildong/Documents/Projects2024/BidRadar/Reports/Summary.xlsx",
    "src/main/java/kr/go/g2b/BidNoticeService2024Controller/InternalApi.java 수정",
    "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "https://docs.google.com/spreadsheets/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit#gid=0",
    "secret_santa_event_2024 와 secret_sharing_scheme_v2 는 행사 이름입니다",
    "key-value 저장소, key-based routing, live_stream_2024_final 녹화본",
    "AROA로 시작하는 값은 역할 id입니다; ACCOUNTING2024REPORTQ 문서",
    "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAGA1UE\n"
    "ChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0MSIwIAYDVQQDExlCYWx0aW1vcmUgQ3li\n"
    "ZXJUcnVzdCBSb290MB4XDTAwMDUxMjE4NDYwMFoXDTI1MDUxMjIzNTkwMFowWjELMAkGA1UEBhMC\n-----END CERTIFICATE-----",
    "Authorization 헤더의 Signature 값은 요청마다 다릅니다. sessionid 쿠키는 HttpOnly 입니다.",
    "hash 형식: $6$ 는 SHA-512, $2b$ 는 bcrypt 입니다.",
    "eyJhbGciOiJIUzI1NiJ9 는 JWT 헤더의 base64url 입니다",
    "Nonce: 4bf92f3577b34da6a3ce929d0e0e4736, traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "commit 3a32cfc8f2d6e1b0a9c7d5e3f1a2b4c6d8e0f1a2 Merge pull request #4821 from acme/feature/BidRadarSync2024",
    "tx hash 0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318, 지갑 주소 0x71C7656EC7ab88b098defB751B7401B5f6d8976F",
    "project: bidradar\nproject_id: bidradar\ntenant: common\nRequest id 3f2504e0-4f89-41d3-9a0c-0305e82c3301",
    '{"kty": "RSA", "e": "AQAB", "use": "sig", "kid": "2011-04-29", "alg": "RS256"}',
    "sha256 7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097, hex 48656c6c6f20576f726c642068656c6c6f",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567 은 base32 알파벳, MFRGGZDFMZTWQ2LK 는 'abcdefghij' 의 base32",
    "x-amz-checksum-sha256: U0WSAWqg9aoA05pMbtP/c/56tvS6p2Ecsj0+m9C1kx8=\nContent-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==",
    "digest: sha256=kuGCQ+/TYznCiWUzUsGTcIhO2VVZLlWylrmBmmXk14I=",
    "pgp signature: iQEzBAABCAAdFiEEk8Yh3Xz2Pq7Lm9Wc4Rt1Vb6Nf0sFAmV3kZ8ACgkQ4Rt1Vb6Nf0s",
    '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9Qz0AEAwMq7HqXkfQ8AAAAAElFTkSuQmCC">',
    "permalink https://acme.slack.com/archives/C0ABCDEF1/p1733536200",
    "C# 과 F#.net, issue #123.4, README.md#install.sh, npm i lodash@4.17.21, 색상 #fff.bold",
    "error code 0x80070005 at address 0x7ffd12ab, pointer 0x4a3b2c1d",
    "mnemonic 은 기억하기 쉬운 단어 목록입니다: 시드 구문을 종이에 적어 두세요.",
)

DOCS = attack_corpus()


def _leaks(doc: Doc, seen: str) -> bool:
    return any(v in seen for v in doc.planted)


def test_the_corpus_covers_each_class_in_several_shapes() -> None:
    by_class = Counter(doc.cls for doc in DOCS)
    assert len(by_class) >= 35
    assert all(n >= 2 for cls, n in by_class.items() if cls != "kakao-native"), by_class
    assert {doc.fmt for doc in DOCS} >= {"bare", "prose", "chat", "json", "yaml", "log", "shell", "markdown"}


@pytest.mark.parametrize("doc", DOCS, ids=[f"{doc.cls}-{doc.fmt}-{i}" for i, doc in enumerate(DOCS)])
def test_each_token_is_masked_and_restored(doc: Doc) -> None:
    masker = Masker(KEY)
    out = mask_outgoing(masker, doc.text, "the prompt")
    assert not _leaks(doc, out.text), out.text
    assert masker.unmask(out.text) == doc.text


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_look_alikes_are_left_alone(text: str) -> None:
    out = mask_outgoing(Masker(KEY), text, "the prompt")
    assert out.text == text


def test_the_corpus_never_reaches_gemini_through_the_gateway() -> None:
    standin = GeminiStandIn()
    with standin.serve() as url:
        gateway = LLMGateway.from_api_key("k", base_url=url, company="acme", key=KEY, max_attempts=1)
        for start in range(0, len(DOCS), 25):
            text = "\n\n".join(doc.text for doc in DOCS[start : start + 25])
            assert gateway.generate("redteam32", text).text == "Echo: " + text
    seen = "\n".join(r.body if isinstance(r.body, str) else r.body.decode() for r in standin.requests)
    seen += "\n".join(r.decoded() for r in standin.requests)
    assert [f"{doc.cls}/{doc.fmt}" for doc in DOCS if _leaks(doc, seen)] == []


@pytest.fixture
def proxy() -> Iterator[tuple[AnthropicStandIn, str]]:
    with masking_proxy(KEY) as served:
        yield served


def test_the_corpus_never_reaches_anthropic_through_the_proxy(proxy) -> None:
    standin, url = proxy
    client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
    send_in_batches(client, MODEL, [doc.text for doc in DOCS])
    seen = seen_upstream(standin)
    assert len(standin.requests) >= len(DOCS) // 30
    assert [f"{doc.cls}/{doc.fmt}" for doc in DOCS if _leaks(doc, seen)] == []


def test_ordinary_look_alikes_are_not_refused_through_the_policy() -> None:
    refused = []
    for text in ORDINARY:
        try:
            mask_outgoing(Masker(KEY), text, "the prompt")
        except MaskingRefused:
            refused.append(text)
    assert refused == []
