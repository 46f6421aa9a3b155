"""The secrets catalogue: credentials in any text, found in one combined scan. Used by the gateway and the proxy.

Two sources, one RE2 set:
- gitleaks' default rules (`rules/gitleaks.toml`, vendored unchanged with its MIT licence header): ~220 provider
  token formats with their keywords, entropy thresholds and allowlists, written in Go's RE2 syntax;
- our own rules (`OWN_RULES`) for what a pasted `.env`, YAML, log or Korean message holds that gitleaks' rules
  leave to context: passwords in config lines whatever their entropy (`DB_PASSWORD=hunter22`, `비밀번호: ...`),
  credentials in URLs (`scheme://user:pass@host`), Authorization headers, the provider tokens of the issue in
  broad forms (GitHub, OpenAI, Anthropic, Google, Stripe, Slack, JWT), the G2B (data.go.kr) service key, and
  high-entropy values next to a secret-like name (detect-secrets' KeywordDetector).
Private key blocks (PEM, OpenSSH, PGP) are found by their BEGIN line and cut at their END line, or at the end of
the base64 body when the paste is truncated (a key without its footer is still a key).

Why google-re2: every rule compiles unchanged from gitleaks' RE2 syntax (Python's `re` rejects 25 of them), an
`re2.Set` answers "which of the 250 rules match anywhere" in one linear pass over the text (about 0.2 ms for
20 KB), and only the rules that matched are run again for their spans. It ships wheels for x86_64 and aarch64
(the Raspberry Pi) and needs no system library.

Hashes the product uses stay: a run of hex digits only (git commit ids, sha256 cache keys, UUIDs) is never
masked for its entropy alone, only when a secret-like name is right before it (`api_key = 3f9a...`); code review
texts keep their commit ids, which identify code, not a person or a credential.
"""

from __future__ import annotations

import base64
import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick
import numpy as np
import re2

CREDENTIAL = "CREDENTIAL"
PRIVATE_KEY = "PRIVATEKEY"
GITLEAKS_FILE = Path(__file__).with_name("rules") / "gitleaks.toml"


@dataclass(frozen=True)
class Rule:
    """One rule: `regex` in RE2 syntax; the secret is the first non-empty group (or the whole match)."""

    id: str
    regex: str
    entropy: float = 0.0  # the secret's Shannon entropy (bits per character) must reach this
    keywords: tuple[str, ...] = ()
    allow_secret: tuple[str, ...] = ()  # regexes on the secret that mark a false positive
    allow_match: tuple[str, ...] = ()  # regexes on the whole match that mark a false positive
    stopwords: tuple[str, ...] = ()
    kind: str = CREDENTIAL
    check: str | None = None  # name of an extra validator in _CHECKS


# Secret-like names, in the ways people write them (English and Korean).
_PASSWORD_NAMES = r"(?:passw(?:or)?d|passphrase|pass|pwd|pw|비밀\s?번호|비번|패스워드|암호)"
_KEY_NAMES = (
    r"(?:secret|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|client[_.-]?secret|credentials?|"
    r"auth[_.-]?(?:key|token)|service[_.-]?key|session[_.-]?key|signing[_.-]?key|encryption[_.-]?key|"
    r"master[_.-]?key|webhook[_.-]?secret|bearer|인증\s?키|서비스\s?키|토큰|비밀\s?키)"
)
# name, optional closing quote or bracket, an assignment (=, :, =>, :=, a Korean particle), the value.
_ASSIGN = r"""[\w.\-\[\]]{0,40}["'\]]?\s{0,3}(?:=>|:=|=|:|는|은|이|가)\s{0,3}["'\x60]?"""
_VALUE = r"""([^\s"'\x60,;<>(){}\[\]]{4,300})"""

OWN_RULES: tuple[Rule, ...] = (
    Rule(
        "bidradar-password-assignment",
        rf"(?i)(?:^|[^a-z0-9])[\w.-]{{0,40}}{_PASSWORD_NAMES}{_ASSIGN}{_VALUE}",
        check="password",
    ),
    Rule("bidradar-secret-assignment", rf"(?i)(?:^|[^a-z0-9]){_KEY_NAMES}{_ASSIGN}{_VALUE}", check="keyed"),
    Rule("bidradar-xml-password", rf"(?i)<[\w:.-]{{0,30}}{_PASSWORD_NAMES}[\w.-]{{0,20}}>([^<\s]{{3,300}})</"),
    Rule("bidradar-xml-secret", rf"(?i)<[\w:.-]{{0,30}}{_KEY_NAMES}[\w.-]{{0,20}}>([^<\s]{{8,}})</", check="keyed"),
    Rule(
        "bidradar-cli-secret-flag",
        r"(?i)(?:^|\s)--?[\w-]{0,30}(?:password|passwd|pass|pwd|token|secret|api-key|apikey)\s+[\"']?([^\s\"']{3,300})",
        check="password",
    ),
    Rule("bidradar-cli-password", r"(?:^|\s)(?:mysql|mysqldump|mariadb)\b[^\n]{0,200}?\s-p([^\s-][^\s]{2,200})"),
    Rule("bidradar-url-credentials", r"[A-Za-z][A-Za-z0-9+.-]{1,30}://([^\s:/?#@'\"<>]{0,128}:[^\s/?#@'\"<>]{1,256})@"),
    Rule(
        "bidradar-authorization-header",
        r"(?i)(?:authorization|proxy-authorization|x-api-key|api-key|x-auth-token)[\"']?\s{0,3}[:=]\s{0,3}[\"']?"
        r"(?:(?:bearer|basic|token|digest|apikey)\s+)?([A-Za-z0-9._~+/=:-]{8,})",
    ),
    Rule("bidradar-bearer", r"(?i)\bbearer\s+([A-Za-z0-9._~+/-]{16,}=*)"),
    Rule("bidradar-github-token", r"\b((?:gh[pousr]_[A-Za-z0-9]{30,255})|github_pat_[A-Za-z0-9_]{22,255})"),
    Rule("bidradar-openai-key", r"\b(sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,400})"),
    Rule("bidradar-anthropic-key", r"\b(sk-ant-[a-z0-9]{2,10}-[A-Za-z0-9_-]{20,400})"),
    Rule("bidradar-google-key", r"\b(AIza[0-9A-Za-z_-]{35}|ya29\.[0-9A-Za-z_-]{20,}|GOCSPX-[0-9A-Za-z_-]{20,60})"),
    Rule("bidradar-stripe-key", r"\b((?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{10,255}|whsec_[0-9A-Za-z]{20,255})"),
    Rule("bidradar-slack-token", r"\b(xox[abposrce]-[0-9A-Za-z-]{10,255}|xapp-[0-9]-[0-9A-Za-z-]{10,255})"),
    Rule("bidradar-slack-webhook", r"hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/_-]{20,200})"),
    Rule("bidradar-jwt", r"\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{0,})"),
    Rule("bidradar-gitlab-token", r"\b(gl(?:pat|dt|rt|ptt|cbt|soat|ffct|agent|imt|oas)-[0-9A-Za-z_-]{20,255})"),
    Rule("bidradar-npm-pypi-token", r"\b(npm_[A-Za-z0-9]{36}|pypi-AgE[A-Za-z0-9_-]{50,1000})"),
    # data.go.kr (G2B) service keys: the decoded one is 88 base64 characters ending in ==, the encoded one its
    # URL escape, the newer one 64 hex; named or not.
    Rule("bidradar-g2b-service-key", r"(?i)service_?key[\"']?\s{0,3}[=:]\s{0,3}[\"']?([A-Za-z0-9%+/=_-]{16,400})"),
    Rule("bidradar-g2b-service-key-bare", r"(?:^|[^A-Za-z0-9+/-])([A-Za-z0-9+/]{86}==)"),  # not SRI's sha512-
    Rule(
        "bidradar-azure-connection",
        r"(?i)(?:AccountKey|SharedAccessKey|SharedAccessSignature|sig)=([A-Za-z0-9%+/=]{20,400})",
    ),
    Rule(
        "bidradar-aws-secret-named",
        r"(?i)aws_?secret_?(?:access_?)?key[\"']?\s{0,3}[=:]\s{0,3}[\"']?([A-Za-z0-9/+=]{30,60})",
    ),
)

# Provider tokens, session cookies, request signatures, password hashes and key material that gitleaks' rules
# miss or only find next to the provider's name (stop 32's red team: a token pasted alone, in prose or in a chat
# line). Each has a fixed prefix or a fixed frame, so the combined set finds them in its one pass; bodies are as
# the providers document them, loosened in length (`check="tokenish"`: the body must look random).
PROVIDER_RULES: tuple[Rule, ...] = (
    Rule("bidradar-toss-key", r"\b((?:live|test)_g?[sc]k_[0-9A-Za-z]{16,80})", check="tokenish"),
    Rule("bidradar-kakao-key", r"(?i)\bKakaoAK\s{1,3}([0-9A-Za-z]{20,64})\b", check="tokenish"),
    Rule("bidradar-kakao-native-key", r"\bkakao([0-9a-f]{32})(?:://|[\"'<\s])"),  # the app's URL scheme
    Rule(
        "bidradar-kakao-labelled-key",
        r"(?i)(?:kakao|카카오)[^\n]{0,40}?(?:key|키)[^\n]{0,16}?(?:^|[^0-9A-Za-z])([0-9a-f]{32})(?:[^0-9A-Za-z]|$)",
    ),
    Rule("bidradar-huggingface-token", r"\b((?:hf_|api_org_)[A-Za-z0-9]{30,40})\b", check="tokenish"),
    Rule("bidradar-notion-token", r"\b(secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{40,50})\b", check="tokenish"),
    Rule("bidradar-airtable-token", r"\b(pat[A-Za-z0-9]{14}\.[a-f0-9]{64})\b"),
    Rule("bidradar-fcm-server-key", r"\b(AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{60,300})"),
    Rule("bidradar-discord-webhook", r"discord(?:app)?\.com/api/webhooks/([0-9]{15,22}/[A-Za-z0-9_-]{40,100})"),
    Rule("bidradar-teams-webhook", r"(?i)\.webhook\.office\.com/webhookb2/([^\s\"'<>]{40,400})"),
    Rule("bidradar-tencent-key", r"\b(AKID[A-Za-z0-9]{32})\b", check="tokenish"),
    Rule("bidradar-oracle-ocid", r"\b(ocid1\.[a-z0-9]+\.oc[0-9]+\.[a-z0-9-]*\.[a-z0-9]{40,80})\b"),
    Rule("bidradar-supabase-token", r"\b(sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,80})\b"),
    Rule("bidradar-mailgun-key", r"\b(key-[a-f0-9]{32})\b", check="tokenish"),
    Rule("bidradar-mailchimp-key", r"\b([a-f0-9]{32}-us[0-9]{1,2})\b"),
    Rule("bidradar-twilio-sid", r"\b((?:AC|SK)[a-f0-9]{32})\b", check="tokenish"),
    Rule("bidradar-docker-token", r"\b(dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,80})"),
    Rule("bidradar-newrelic-key", r"\b(NR(?:AK|II|JS|AA)-[A-Za-z0-9]{19,40})\b"),
    Rule("bidradar-1password-token", r"\b(ops_[A-Za-z0-9+/=_-]{50,1000})", check="tokenish"),
    Rule("bidradar-replicate-token", r"\b(r8_[A-Za-z0-9]{30,50})\b", check="tokenish"),
    Rule("bidradar-groq-key", r"\b(gsk_[A-Za-z0-9]{40,64})\b"),
    Rule("bidradar-xai-key", r"\b(xai-[A-Za-z0-9]{50,120})\b"),
    Rule(
        "bidradar-hubspot-token",
        r"\b(pat-(?:na|eu|ap)[0-9]-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b",
    ),
    Rule("bidradar-heroku-token", r"\b(HRKU-[A-Za-z0-9_-]{30,80})"),
    Rule("bidradar-vercel-token", r"\b(vercel_blob_rw_[A-Za-z0-9_-]{20,100}|vc[pkiar]_[A-Za-z0-9]{24,80})\b"),
    Rule("bidradar-sentry-token", r"\b(sntry[su]_[A-Za-z0-9+/=_-]{40,400})"),
    Rule("bidradar-linear-token", r"\b(lin_(?:oauth|api)_[A-Za-z0-9]{32,80})\b"),
    Rule("bidradar-figma-token", r"\b(fig[dhou]_[A-Za-z0-9_-]{30,80})", check="tokenish"),
    Rule("bidradar-mapbox-secret", r"\b((?:sk|tk)\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})"),
    # A JWE (RFC 7516): five base64url parts, the second (the encrypted key) empty for `dir`.
    Rule(
        "bidradar-jwe",
        r"\b(eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})",
    ),
    # Session cookies: a live session is a login.
    Rule(
        "bidradar-session-cookie",
        r"(?i)(?:^|[^A-Za-z0-9_])(?:JSESSIONID|PHPSESSID|ASP\.NET_SessionId|ASPSESSIONID[A-Z]{0,8}|connect\.sid|"
        r"laravel_session|ci_session|sessionid|session_id|_session_id|session|sess|sid|SESS[a-f0-9]{32}|"
        r"_[a-z0-9_]{2,30}_session|[a-z0-9_]{2,30}_sess|rack\.session|express:sess|remember_[\w]{2,60}|"
        r"wordpress_logged_in_[0-9a-f]{0,40}|XSRF-TOKEN|csrftoken)=([^;\s\"',]{16,1000})",
        check="keyed",
    ),
    # Request signatures: SigV4 `Signature=`, CloudFront's `Signature=`, the response of HTTP Digest.
    Rule("bidradar-request-signature", r"(?i)\bSignature=([A-Za-z0-9+/=~_%-]{20,1000})"),
    Rule("bidradar-digest-response", r"(?i)\bdigest\s[^\n]{0,600}?\bresponse=\"?([0-9a-f]{32,128})"),
    # Password hashes (cracked offline): crypt(3) forms of /etc/shadow, bcrypt, Django, LDAP, MySQL, pwdump.
    Rule(
        "bidradar-password-hash",
        r"(\$(?:1|2[abxy]?|5|6|y|gy|7|sha1|md5|argon2(?:id|i|d)|pbkdf2[\w-]{0,12}|scrypt)\$[A-Za-z0-9./+=$,-]{20,400})",
    ),
    Rule(
        "bidradar-django-password-hash",
        r"\b((?:pbkdf2_sha(?:1|256|512)|argon2|bcrypt_sha256|scrypt)\$[A-Za-z0-9./+=$,-]{20,400})",
    ),
    Rule(
        "bidradar-ldap-password-hash",
        r"(?i)\{(?:SSHA|SHA|SSHA256|SSHA512|SHA256|SHA512|SMD5|MD5|CRYPT|PBKDF2[\w-]{0,12})\}([A-Za-z0-9+/=.$]{16,400})",
    ),
    Rule("bidradar-mysql-password-hash", r"(?:^|[\s'\"=:(])(\*[0-9A-F]{40})(?:[^0-9A-Za-z]|$)"),
    Rule("bidradar-pwdump-hash", r"(?m)[^:\s]{1,64}:[0-9]{1,10}:([0-9a-fA-F]{32}:[0-9a-fA-F]{32}):::?"),
)
# A random key pasted alone or in prose (`시크릿 키는 wJalr…/K7MDENG/… 입니다`, a G2B 인증키 after `인증키(Decoding):`,
# `openssl rand -base64 32`, a WireGuard key on a command line): 32 or more base64 characters with `+`, `/` or `=`
# padding (%-escaped too), starting a word; `_check_random_base64` keeps what decodes to random bytes and looks it.
_B64_CHAR = r"(?:[A-Za-z0-9+/]|%2[BbFf])"
# Digests are public: go.sum's `h1:`, SSH fingerprints `SHA256:`, Docker's `sha256:`, SRI's `sha384-`.
_DIGEST_SCHEME = r"(?i:h[0-9]|sha[0-9]{0,3}|sha3-[0-9]{3}|md5|blake2[bs]?|xxh[0-9]{0,3})[:-]"
RANDOM_KEY_RULE = Rule(
    "bidradar-random-base64-key",
    rf"(?:^|[^A-Za-z0-9+/%_.\-])(?:{_DIGEST_SCHEME})?({_B64_CHAR}{{32,400}}(?:=|%3[Dd]){{0,2}})(?:[^A-Za-z0-9+/=%_\-]|$)",
    check="random_base64",
    allow_match=(rf"^.?{_DIGEST_SCHEME}",),
)
OWN_RULES += (*PROVIDER_RULES, RANDOM_KEY_RULE)

_PLACEHOLDER = re.compile(
    r"""^(?:\$\{?[\w.:-]*\}?|\{\{.*\}\}|<[^>]*>|%[\w.]+%|\*+|x{3,}|X{3,}|\.{3,}|…|null|none|nil|true|false|
    undefined|string|required|optional|example|changeme-?please|your[_-]?\w*|redacted|hidden|masked|\?+|
    MASK_[A-Z]+_[0-9A-F]{16})$""",
    re.IGNORECASE | re.VERBOSE,
)
_HEX_ONLY = re.compile(r"^[0-9a-fA-F-]+$")
_WORDISH = re.compile(r"^[A-Za-z가-힣]+$")


def shannon_entropy(value: str) -> float:
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


_HANGUL_ONLY = re.compile(r"^[가-힣]+[.!?…~]*$")


def _check_password(secret: str) -> bool:
    """Any value after a password name (passwords are low-entropy on purpose), except placeholders and Korean
    words (`비밀번호가 틀렸습니다`)."""
    if _PLACEHOLDER.match(secret) is not None or _HANGUL_ONLY.match(secret) is not None:
        return False
    return not secret.startswith(("$", "%", "os.environ", "env("))


def _check_keyed(secret: str) -> bool:
    """A value after a token/key/secret name: looks random (a digit and a letter, or high entropy)."""
    if not _check_password(secret) or _WORDISH.match(secret) or len(secret) < 8:
        return False
    has_digit = any(c.isdigit() for c in secret)
    has_alpha = any(c.isalpha() for c in secret)
    return (has_digit and has_alpha) or shannon_entropy(secret) >= 3.5


def _check_tokenish(secret: str) -> bool:
    """A provider token's body looks random: a digit and a letter or mixed case, no placeholder (`hf_xxxxxxxx…`)."""
    body = secret.split("_")[-1] if "_" in secret else secret
    if _PLACEHOLDER.match(body) or len(set(body)) < 6:
        return False
    has_digit = any(c.isdigit() for c in body)
    return (has_digit and any(c.isalpha() for c in body)) or (
        any(c.isupper() for c in body) and any(c.islower() for c in body)
    )


_PERCENT_B64 = re.compile(r"%(2[BbFf]|3[Dd])")


def _random_entropy_floor(length: int) -> float:
    """The entropy (bits per character) that a random base64 string of `length` reaches but for 1 in 1,000 draws
    (measured: 4.43 at 32 characters, 4.83 at 64), less 0.1: a path or a sentence in CamelCase stays below it."""
    return min(5.1, 4.33 + 0.4 * (math.log2(length) - 5))


def _check_random_base64(secret: str) -> bool:
    """Base64 of random bytes: `+`, `/` or `=` in it, mixed case and digits, the entropy of random data, and not
    the base64 of a text (the ENCODED detector reads those)."""
    value = _PERCENT_B64.sub(lambda m: bytes.fromhex(m.group(1)).decode(), secret)
    body = value.rstrip("=")
    if not ("+" in body or "/" in body or value.endswith("=")) or len(body) < 32:
        return False
    if sum(c.isdigit() for c in body) < 2 or not any(c.isupper() for c in body) or not any(c.islower() for c in body):
        return False
    if body.startswith("AAAA"):
        return False  # an SSH public key blob (its length prefix), public by design
    if shannon_entropy(body) < _random_entropy_floor(len(body)):
        return False
    try:
        decoded = base64.b64decode(body + "=" * (-len(body) % 4), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return True
    return not decoded.isprintable()


_CHECKS = {
    "password": _check_password,
    "keyed": _check_keyed,
    "tokenish": _check_tokenish,
    "random_base64": _check_random_base64,
}


@dataclass
class Catalogue:
    rules: list[Rule]
    patterns: list[re2._Regexp] = field(repr=False)  # type: ignore[name-defined]
    # Each list of allow regexes as one alternation (one search instead of up to 16 per finding).
    allow_secret: list[re2._Regexp | None] = field(repr=False)  # type: ignore[name-defined]
    allow_match: list[re2._Regexp | None] = field(repr=False)  # type: ignore[name-defined]
    global_allow: re2._Regexp | None = field(repr=False)  # type: ignore[name-defined]
    global_stopwords: tuple[str, ...]
    stopwords: list[ahocorasick.Automaton | None] = field(repr=False)
    combined: re2.Set = field(repr=False)  # our own rules, one pass
    keywords: re2.Set = field(repr=False)  # gitleaks' keywords, one pattern each (case-insensitive)
    keyword_rules: tuple[tuple[int, ...], ...] = ()  # keyword pattern index -> the rules it opens
    always: tuple[int, ...] = ()  # gitleaks rules without keywords: always run


def _gitleaks_rules() -> tuple[list[Rule], list[str], tuple[str, ...]]:
    data = tomllib.loads(GITLEAKS_FILE.read_text())
    rules = []
    for raw in data["rules"]:
        if "regex" not in raw or raw.get("path"):
            continue  # file-name rules (a .p12 file) have no text to find
        allow_secret: list[str] = []
        allow_match: list[str] = []
        stopwords: list[str] = []
        for allow in raw.get("allowlists", []):
            if allow.get("condition") == "AND" or allow.get("paths"):
                continue  # conditions on file paths: nothing to judge in a text
            target = allow_match if allow.get("regexTarget") in ("match", "line") else allow_secret
            target.extend(allow.get("regexes", []))
            stopwords.extend(allow.get("stopwords", []))
        rules.append(
            Rule(
                f"gitleaks:{raw['id']}",
                raw["regex"],
                float(raw.get("entropy", 0.0)),
                tuple(raw.get("keywords", ())),
                tuple(allow_secret),
                tuple(allow_match),
                tuple(s.lower() for s in stopwords),
            )
        )
    allow = data.get("allowlist", {})
    return rules, list(allow.get("regexes", [])), tuple(s.lower() for s in allow.get("stopwords", []))


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """All rules compiled once per process (about 0.1 s)."""
    gitleaks, global_allow, global_stopwords = _gitleaks_rules()
    rules = [*OWN_RULES, *gitleaks]
    options = re2.Options()
    options.max_mem = 64 << 20
    combined = re2.Set.SearchSet(options)
    for rule in OWN_RULES:
        combined.Add(rule.regex)
    combined.Compile()
    # gitleaks' own prefilter: a rule runs only when one of its keywords is in the text (any case). A set of
    # the 220 rules themselves in one RE2 DFA thrashes on dense text; a set of their literal keywords does not.
    by_keyword: dict[str, set[int]] = {}
    always = []
    for index, rule in enumerate(rules[len(OWN_RULES) :], start=len(OWN_RULES)):
        if not rule.keywords:
            always.append(index)
        for word in rule.keywords:
            by_keyword.setdefault(word.lower(), set()).add(index)
    # One RE2 set, one literal pattern per keyword: which keywords occur, in one pass, each once (an
    # Aho-Corasick pass over the lower-cased text reported every occurrence, ~4x slower on a 20 KB prompt).
    keywords = re2.Set.SearchSet(options)
    for word in by_keyword:
        keywords.Add("(?i)" + re.escape(word))
    keywords.Compile()
    keyword_rules = tuple(tuple(sorted(indexes)) for indexes in by_keyword.values())
    return Catalogue(
        rules=rules,
        # Bytes patterns on the UTF-8 text encoded once: the str API re-encodes and re-counts characters per match.
        patterns=[re2.compile(rule.regex.encode()) for rule in rules],
        stopwords=[_automaton(rule.stopwords) for rule in rules],
        allow_secret=[_any_of(rule.allow_secret) for rule in rules],
        allow_match=[_any_of(rule.allow_match) for rule in rules],
        global_allow=_any_of(global_allow),
        global_stopwords=global_stopwords,
        combined=combined,
        keywords=keywords,
        keyword_rules=keyword_rules,
        always=tuple(always),
    )


def _any_of(patterns: Iterable[str]) -> re2._Regexp | None:  # type: ignore[name-defined]
    """One RE2 regex that searches for any of `patterns` (each keeps its inline flags inside its group)."""
    patterns = list(patterns)
    return re2.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


@dataclass(frozen=True)
class Finding:
    rule: str
    kind: str
    start: int
    end: int


def scan(text: str) -> list[Finding]:
    """Every credential in `text` (spans of the secret part, not of the name before it)."""
    cat = catalogue()
    found: list[Finding] = []
    _private_keys(text, found)
    _csv_columns(text, found)
    hits = set(cat.combined.Match(text) or ())
    hits.update(cat.always)
    for keyword in cat.keywords.Match(text) or ():
        hits.update(cat.keyword_rules[keyword])
    if not hits:
        return found
    data = text.encode()
    offsets = _CharOffsets(text, data)
    for index in sorted(hits):
        rule, pattern = cat.rules[index], cat.patterns[index]
        groups = pattern.groups  # a call into RE2 each time it is read
        for m in pattern.finditer(data):
            b_start, b_end = _first_group_span(m, groups)
            start, end = offsets.char(b_start), offsets.char(b_end)
            secret = text[start:end]
            if not secret or not _accepted(cat, index, rule, secret, offsets.text_of(m.span())):
                continue
            if rule is RANDOM_KEY_RULE and _line_of_a_blob(text, start, end):
                continue
            found.append(Finding(rule.id, rule.kind, start, end))
    return found


_BLOB_LINE = re.compile(r"[ \t>]*[A-Za-z0-9+/]{48,}={0,2}[ \t]*\r?$")


def _line_of_a_blob(text: str, start: int, end: int) -> bool:
    """A base64 word that is one line of a wrapped block (a certificate, a MIME body): a line of 48 or more base64
    characters right above or below it. Private keys in such blocks have their own rules (BEGIN line, DER header)."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip(" \t>") or text[end:].split("\n", 1)[0].strip():
        return False  # other words on its line: not a line of a block
    above_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    if line_start > 0 and _BLOB_LINE.match(text, above_start, line_start - 1):
        return True
    below_end = text.find("\n", end + 1)
    return (
        text.startswith("\n", end)
        and _BLOB_LINE.match(text, end + 1, len(text) if below_end < 0 else below_end) is not None
    )


class _CharOffsets:
    """Byte offsets of the UTF-8 text -> character offsets (identity for ASCII; one numpy pass otherwise)."""

    def __init__(self, text: str, data: bytes) -> None:
        self.text = text
        self.data = data
        self.table: np.ndarray | None = None  # built at the first finding of a non-ASCII text

    def char(self, byte_offset: int) -> int:
        if len(self.data) == len(self.text):
            return byte_offset
        if self.table is None:
            starts = (np.frombuffer(self.data, dtype=np.uint8) & 0xC0) != 0x80  # the first byte of each character
            self.table = np.concatenate(([0], np.cumsum(starts)))  # characters before each byte offset
        return int(self.table[byte_offset])

    def text_of(self, span: tuple[int, int]) -> str:
        return self.text[self.char(span[0]) : self.char(span[1])]


def _automaton(words: tuple[str, ...]) -> ahocorasick.Automaton | None:
    if not words:
        return None
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def scan_rule(rule_id: str, text: str) -> list[Finding]:
    """What one rule alone finds in `text` (its filters applied): the catalogue's table test uses it."""
    cat = catalogue()
    index = next(i for i, rule in enumerate(cat.rules) if rule.id == rule_id)
    rule, found = cat.rules[index], []
    data = text.encode()
    offsets = _CharOffsets(text, data)
    for m in cat.patterns[index].finditer(data):
        b_start, b_end = _first_group_span(m, cat.patterns[index].groups)
        start, end = offsets.char(b_start), offsets.char(b_end)
        if text[start:end] and _accepted(cat, index, rule, text[start:end], offsets.text_of(m.span())):
            found.append(Finding(rule.id, rule.kind, start, end))
    return found


def _first_group_span(m: re2._Match, groups: int) -> tuple[int, int]:  # type: ignore[name-defined]
    if groups:
        for group, value in enumerate(m.groups(), start=1):  # one call for all groups (each m.group is one)
            if value:
                return m.span(group)
    return m.span()


def _accepted(cat: Catalogue, index: int, rule: Rule, secret: str, match: str) -> bool:
    if rule.check is not None:
        if not _CHECKS[rule.check](secret):
            return False
    elif (
        _HEX_ONLY.match(secret)
        and not rule.id.startswith("bidradar-")
        and rule.entropy
        and not re.search(r"(?i)key|secret|token|passw|auth|credential", match)
    ):
        return False  # an entropy-only gitleaks rule on pure hex: a hash or a commit id, no secret name near
    if rule.entropy and shannon_entropy(secret) < rule.entropy:
        return False
    lowered = secret.lower()
    stopwords = cat.stopwords[index]
    if stopwords is not None and next(stopwords.iter(lowered), None) is not None:
        return False
    allow_secret, allow_match = cat.allow_secret[index], cat.allow_match[index]
    if (allow_secret is not None and allow_secret.search(secret)) or (
        allow_match is not None and allow_match.search(match)
    ):
        return False
    if rule.id.startswith("gitleaks:") and cat.global_allow is not None and cat.global_allow.search(secret):
        return False
    return not (rule.id.startswith("gitleaks:") and any(word == lowered for word in cat.global_stopwords))


# --- tables: a password or token column of CSV/TSV --------------------------------------------------------------

_SECRET_HEADER = re.compile(rf"(?i)^[\w.-]{{0,30}}(?:{_PASSWORD_NAMES}|{_KEY_NAMES})[\w.-]{{0,20}}$")
_HEADER_CELL = re.compile(r"^[\w.()/-]{1,40}(?: [\w.()/-]{1,40})?$")  # a column name, not a phrase
_HEADER_WORD = re2.compile(r"(?i)pass|pwd|secret|token|key|비밀|암호|인증")


def _csv_columns(text: str, found: list[Finding]) -> None:
    """In a CSV or TSV table whose header names a password or token column, every cell of that column."""
    if "," not in text and "\t" not in text:
        return
    seen: set[int] = set()
    for word in _HEADER_WORD.finditer(text):
        line_start = text.rfind("\n", 0, word.start()) + 1
        if line_start in seen:
            continue
        seen.add(line_start)
        line_end = text.find("\n", word.end())
        line_end = len(text) if line_end == -1 else line_end
        if line_end - line_start > 800:
            continue
        line = text[line_start:line_end]
        sep = "\t" if line.count("\t") > line.count(",") else ","
        names = [n.strip().strip('"') for n in line.split(sep)]
        if len(names) < 2 or not all(_HEADER_CELL.match(n) for n in names):
            continue
        columns = [i for i, n in enumerate(names) if _SECRET_HEADER.match(n.replace(" ", "_"))]
        if not columns:
            continue
        pos = line_end + 1
        for _ in range(10_000):  # the rows up to a blank line or the end
            if pos >= len(text):
                break
            end = text.find("\n", pos)
            end = len(text) if end == -1 else end
            row = text[pos:end]
            if not row.strip() or row.count(sep) != len(names) - 1:
                break
            cells, offset = row.split(sep), pos
            for i, cell in enumerate(cells):
                value = cell.strip().strip('"')
                if i in columns and value and _check_password(value):
                    start = offset + cell.index(value)
                    found.append(Finding("bidradar-csv-secret-column", CREDENTIAL, start, start + len(value)))
                offset += len(cell) + 1
            pos = end + 1


# --- private key blocks ------------------------------------------------------------------------------------------

_BEGIN_KEY = re.compile(r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d+:")
_END_KEY = re.compile(r"-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|Private-MAC:\s*[0-9a-fA-F]+")
# A truncated key ends where the base64 body ends (headers such as Proc-Type and DEK-Info included).
_KEY_BODY = re.compile(r"(?:[A-Za-z0-9+/=\s:,.-]|\\[nr])*")
_MAX_KEY_CHARS = 64_000


def _private_keys(text: str, found: list[Finding]) -> None:
    if "PRIVATE KEY" not in text and "PuTTY-User-Key" not in text:
        return
    for m in _BEGIN_KEY.finditer(text):
        end_marker = _END_KEY.search(text, m.end(), m.end() + _MAX_KEY_CHARS)
        if end_marker is not None:
            end = end_marker.end()
        else:
            body = _KEY_BODY.match(text, m.end(), min(len(text), m.end() + _MAX_KEY_CHARS))
            end = body.end() if body is not None else m.end()
        found.append(Finding("bidradar-private-key-block", PRIVATE_KEY, m.start(), end))
