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
import contextlib
import math
import re
import string
import tomllib
import unicodedata
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
    named: bool = False  # the match starts with a name: one that says something about a secret is no secret's


# Hangul as typed: the jamo of each syllable, the keys of the dubeolsik layout (labels typed apart, misspelled, and
# values typed with the Korean IME on use them).
_LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
_SPLIT_MEDIALS = {"ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ"}
# The dubeolsik layout: the key of each jamo (shifted keys for the doubled consonants and ㅒ, ㅖ).
_DUBEOLSIK = dict(
    zip(
        "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡㅃㅉㄸㄲㅆㅒㅖ",
        [*"qwertyuiopasdfghjklzxcvbnm", *"QWERTOP"],
        strict=True,
    )
)


def _jamo(word: str, split: bool) -> str:
    """The compatibility jamo of Hangul syllables as typed (with `split`, compound vowels as their two keys)."""
    out = []
    for ch in word:
        code = ord(ch) - 0xAC00
        medial = _MEDIALS[code % 588 // 28]
        out += [_LEADS[code // 588], _SPLIT_MEDIALS.get(medial, medial) if split else medial, _FINALS[code % 28]]
    return "".join(out)


_DOUBLE_FINALS = {"ㄱㅅ": "ㄳ", "ㄴㅈ": "ㄵ", "ㄴㅎ": "ㄶ", "ㄹㄱ": "ㄺ", "ㄹㅁ": "ㄻ", "ㄹㅂ": "ㄼ", "ㄹㅅ": "ㄽ", "ㄹㅌ": "ㄾ", "ㄹㅍ": "ㄿ", "ㄹㅎ": "ㅀ", "ㅂㅅ": "ㅄ"}  # fmt: skip
_JOINED_MEDIALS = {pair: medial for medial, pair in _SPLIT_MEDIALS.items()}


def _compose(jamo: str) -> str | None:
    """Compatibility jamo as a Korean IME composes them into syllables; None when one is left alone."""
    out, i, n = [], 0, len(jamo)
    while i < n:
        if jamo[i] not in _LEADS or i + 1 >= n or jamo[i + 1] not in _MEDIALS:
            return None
        lead, medial = jamo[i], jamo[i + 1]
        i += 2
        if i < n and medial + jamo[i] in _JOINED_MEDIALS:
            medial, i = _JOINED_MEDIALS[medial + jamo[i]], i + 1
        final = ""
        if i < n and jamo[i] in _FINALS and (i + 1 >= n or jamo[i + 1] not in _MEDIALS):
            final, i = jamo[i], i + 1
            if i < n and final + jamo[i] in _DOUBLE_FINALS and (i + 1 >= n or jamo[i + 1] not in _MEDIALS):
                final, i = _DOUBLE_FINALS[final + jamo[i]], i + 1
        out.append(chr(0xAC00 + (_LEADS.index(lead) * 21 + _MEDIALS.index(medial)) * 28 + _FINALS.index(final)))
    return "".join(out)


# Misspelled labels (s37: `pasword`, `비빌번호`, `비밀번효`, `페스워드`). English: a letter of `password` left out,
# doubled or swapped with its neighbour (no English word is one of these). Korean: one slip of the fingers on the
# dubeolsik layout in a four-syllable label (a jamo's key replaced by a neighbouring key, left out, doubled or
# swapped with the next, ㅐ for ㅔ), kept when the IME composes it into whole syllables; two-syllable labels get
# none (비번 one key off is 지번, a lot number).
_PASSWORD_TYPOS = r"p(?:a|aa)?s{1,3}(?:w{1,2}(?:o{1,2}r{1,2}|ro|r|o)|ow?r|o)d"
_TYPO_LABELS = ("비밀번호", "패스워드")
_QWERTY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbour_keys(key: str) -> set[str]:
    for row, keys in enumerate(_QWERTY_ROWS):
        if key in keys:
            at = keys.index(key)
            near = {keys[i] for i in (at - 1, at + 1) if 0 <= i < len(keys)}
            if row > 0:  # the row above is offset half a key to the left
                near |= {_QWERTY_ROWS[row - 1][i] for i in (at, at + 1) if i < len(_QWERTY_ROWS[row - 1])}
            if row < 2:
                near |= {_QWERTY_ROWS[row + 1][i] for i in (at - 1, at) if 0 <= i < len(_QWERTY_ROWS[row + 1])}
            return near
    return set()


def _korean_typos() -> list[str]:
    by_key = {key: jamo for jamo, key in _DUBEOLSIK.items()}
    forms: set[str] = set()
    for label in _TYPO_LABELS:
        typed = _jamo(label, split=True)
        edits = []
        for i, j in enumerate(typed):
            edits += [
                typed[:i] + typed[i + 1 :],
                typed[:i] + j + typed[i:],
                typed[:i] + typed[i + 1 : i + 2] + j + typed[i + 2 :],
            ]
            edits += [typed[:i] + by_key[k] + typed[i + 1 :] for k in _neighbour_keys(_DUBEOLSIK[j]) if k in by_key]
            if j in "ㅐㅔ":
                edits.append(typed[:i] + ("ㅔ" if j == "ㅐ" else "ㅐ") + typed[i + 1 :])
        forms |= {form for form in map(_compose, edits) if form and len(form) == len(label) and form != label}
    return sorted(forms)


_KOREAN_TYPOS = "|".join(_korean_typos())


# Secret-like names, in the ways people write them (English and Korean).
# Other languages' names too (the normaliser reads the long vowel mark ー as a hyphen) (a Japanese, Chinese, Spanish, German, French, Portuguese or Russian config or message).
_FOREIGN_PASSWORD_NAMES = (
    r"passwort|kennwort|contrase(?:ñ|n)a|mot\s?de\s?passe|senha|пароль|パスワ[ー-]ド|暗証番号|密码|密碼|口令|"
    r"mật\s?khẩu|hasło|wachtwoord|lösenord|şifre"
)
_PASSWORD_NAMES = rf"(?:passw(?:or)?d|{_PASSWORD_TYPOS}|{_KOREAN_TYPOS}|passphrase|pass|pwd|pw|비밀\s?번호|비번|패스워드|암호|{_FOREIGN_PASSWORD_NAMES})"
_FOREIGN_KEY_NAMES = (
    r"API\s?キ[ー-]|API\s?(?:密钥|秘钥|金鑰|密鑰)|アクセス\s?キ[ー-]|シ[ー-]クレット(?:\s?キ[ー-])?|ト[ー-]クン|秘钥|密钥|令牌|clave(?:\s?de\s?api)?|api-schlüssel|"
    r"schlüssel|clé(?:\s?(?:d['’]api|secrète))?|ключ(?:\s?api)?|токен"
)
_KEY_NAMES = (
    r"(?:secret|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|client[_.-]?secret|credentials?|"
    r"auth[_.-]?(?:key|token)|service[_.-]?key|session[_.-]?key|signing[_.-]?key|encryption[_.-]?key|"
    rf"master[_.-]?key|webhook[_.-]?secret|bearer|인증\s?키|서비스\s?키|토큰|비밀\s?키|{_FOREIGN_KEY_NAMES})"
)
# name, optional closing quote or bracket, an assignment (=, :, =>, :=, a Korean particle); then the value.
_ASSIGN = r"""[\w.\-\[\]]{0,40}["'\]]?\s{0,3}(?:=>|:=|=|:|：|＝|는|은|이|가|是|为|為|は)\s{0,3}"""
_VALUE = r"""([^\s"'\x60,;<>(){}\[\]「」『』【】（）、，；]{4,300})"""  # CJK brackets end it too
# A quoted value runs to its closing quote, brackets and all (`SECRET_KEY='k#9x(2m)!p=q+r'`); unquoted, `_VALUE`.
_QUOTED_OR_VALUE = rf"""(?:"([^"\s]{{4,}})"|'([^'\s]{{4,}})'|["'\x60「]?{_VALUE})"""

OWN_RULES: tuple[Rule, ...] = (
    Rule(
        "bidradar-password-assignment",
        rf"(?i)(?:^|[^a-z0-9])[\w.-]{{0,40}}{_PASSWORD_NAMES}{_ASSIGN}{_QUOTED_OR_VALUE}",
        check="password",
        named=True,
    ),
    # A passphrase: words with spaces in quotes after a password's name (`DB_PASSWORD="abc def ghi"`); the value
    # rule above stops at the first space.
    Rule(
        "bidradar-password-phrase",
        rf"(?i)(?:^|[^a-z0-9])[\w.-]{{0,40}}{_PASSWORD_NAMES}[\"']?\s{{0,3}}(?:=>|:=|=|:|：)\s{{0,3}}"
        r"(?:\"([^\"\n]{1,100} [^\"\n]{1,100})\"|'([^'\n]{1,100} [^'\n]{1,100})')",
        check="password",
        named=True,
    ),
    # A Dockerfile's `ENV NAME value` (the old form, a space instead of `=`): the value after a password's name.
    Rule(
        "bidradar-dockerfile-env-password",
        rf"(?im)^[ \t]*ENV[ \t]+[\w.-]{{0,40}}{_PASSWORD_NAMES}[\w.-]{{0,20}}[ \t]+{_QUOTED_OR_VALUE}",
        check="password",
        named=True,
    ),
    # A password's or key's name written as an identifier (`DB_PASSWORD`, `db.pass`, `JWT_SECRET`) and its value
    # after a space alone or a linking word (`DB_PASSWORD Prod!Pw#78`, `set DB_PASS to X`, `JWT_SECRET is X`): a
    # config line without its `=`, or prose. The name has a separator in it (the plain word is the prose labels'),
    # and the value must have a password's or a key's shape: `DB_PASSWORD is required` stays.
    Rule(
        "bidradar-password-name-space",
        r"(?:^|[^A-Za-z0-9_.$-])(?:[\w.-]{0,40}[_.-](?i:passw(?:or)?d|passphrase|pass|pwd|pw)|"
        r"[A-Z][A-Z0-9]{1,20}(?:PASSWORD|PASSWD|PASS|PWD))[ \t]+"  # `PGPASSWORD X`: a capital name glued to it
        r"(?i:(?:secret|value|variable|var|env)[ \t]+)?(?i:(?:to|is|was|as)[ \t]+)?[\"'\x60]?([^\s\"'\x60,;<>]{4,128})",
        check="strong_password",
        named=True,
    ),
    Rule(
        "bidradar-secret-name-space",
        r"(?i)(?:^|[^a-z0-9_.$-])[\w.-]{0,40}[_.-](?:secret(?:[_.-]?key)?|token|api[_.-]?key|access[_.-]?key|"
        r"private[_.-]?key)[ \t]+(?:(?:to|is|was|as)[ \t]+)?[\"'\x60]?([^\s\"'\x60,;<>]{8,400})",
        check="key_shaped",  # random, no named segment: `GITHUB_TOKEN secrets.GITHUB_TOKEN` is a reference
        named=True,
    ),
    Rule(
        "bidradar-secret-assignment",
        rf"(?i)(?:^|[^a-z0-9]){_KEY_NAMES}{_ASSIGN}{_QUOTED_OR_VALUE}",
        check="keyed",
        named=True,
    ),
    Rule(
        "bidradar-xml-password",
        rf"(?i)<[\w:.-]{{0,30}}{_PASSWORD_NAMES}[\w.-]{{0,20}}>(?:<!\[CDATA\[)?([^<\s\]]{{3,300}})(?:\]\]>)?</",
    ),
    Rule("bidradar-xml-secret", rf"(?i)<[\w:.-]{{0,30}}{_KEY_NAMES}[\w.-]{{0,20}}>([^<\s]{{8,}})</", check="keyed"),
    Rule(
        "bidradar-cli-secret-flag",
        r"(?i)(?:^|\s)--?[\w-]{0,30}(?:password|passwd|pass|pwd|token|secret|api-key|apikey)\s+[\"']?([^\s\"']{3,300})",
        check="password",
    ),
    Rule("bidradar-cli-password", r"(?:^|[\s\"'`])(?:mysql\w*|mariadb[\w-]*)\b[^\n]{0,200}?\s-p([^\s-][^\s]{2,200})"),
    # user:password@host; the password may hold `@`, `#`, `!` or %-escapes (the last `@` before the host ends it).
    Rule(
        "bidradar-url-credentials",
        r"[A-Za-z][A-Za-z0-9+.-]{1,30}://([^\s:/?#@'\"<>]{0,128}:[^\s/?'\"<>]{1,256})@[A-Za-z0-9\[_-]",
    ),
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
    # A service key wrapped at a line break in a pasted URL: its second line runs to the next `&` or the line's end.
    Rule(
        "bidradar-g2b-service-key-wrapped",
        r"(?i)service_?key[\"']?\s{0,3}[=:]\s{0,3}[\"']?[A-Za-z0-9%+/=_-]{16,400}\r?\n[ \t]{0,8}"
        r"([A-Za-z0-9%+/_-]{8,400}={0,2})(?:[&\"'\s]|$)",
        check="tokenish",
    ),
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
    # A Telegram bot token alone (gitleaks wants "telegr" before it): the bot id, a colon, `AA` and 33 characters.
    Rule("bidradar-telegram-bot-token", r"\b([0-9]{6,12}:AA[0-9A-Za-z_-]{31,40})(?:[^0-9A-Za-z_-]|$)"),
    # Doppler tokens of every kind (gitleaks knows only `dp.pt.`): service `dp.st.<config>.<key>`, personal,
    # service account, CLI, SCIM, audit.
    Rule(
        "bidradar-doppler-token", r"\b(dp\.(?:st|pt|sa|ct|scim|audit)\.(?:[A-Za-z0-9_-]{1,40}\.)?[A-Za-z0-9]{40,44})\b"
    ),
    Rule("bidradar-kakao-key", r"(?i)\bKakaoAK\s{1,3}([0-9A-Za-z]{20,64})\b", check="tokenish"),
    Rule("bidradar-kakao-native-key", r"\bkakao([0-9a-f]{32})(?:://|[\"'<\s])"),  # the app's URL scheme
    Rule(
        "bidradar-kakao-labelled-key",
        r"(?i)(?:kakao|카[ \t]?카[ \t]?오)[^\n]{0,40}?(?:key|키)[^\n]{0,16}?(?:^|[^0-9A-Za-z])([0-9a-f]{32})(?:[^0-9A-Za-z]|$)",
    ),
    # Kakao's JavaScript key where the SDK takes it (`Kakao.init('0d79…')`): 32 hex with no name before it (s36).
    Rule("bidradar-kakao-init", r"\bKakao\.init\(\s{0,3}[\"'`]([0-9a-f]{32})[\"'`]"),
    # Naver's client secret is 10 letters, digits or `_`; by its header or name it is one whatever its letters
    # (`X-Naver-Client-Secret: XsyqovOcYV` read as a word before, s36).
    Rule(
        "bidradar-naver-client-secret",
        r"(?i)(?:x-)?naver[_-]?client[_-]?secret[\"']?\s{0,3}[:=]\s{0,3}[\"']?([A-Za-z0-9_]{10})(?:[^A-Za-z0-9_]|$)",
        check="tokenish",
    ),
    Rule("bidradar-huggingface-token", r"\b((?:hf_|api_org_)[A-Za-z0-9]{30,40})\b", check="tokenish"),
    Rule("bidradar-notion-token", r"\b(secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{40,50})\b", check="tokenish"),
    Rule("bidradar-airtable-token", r"\b(pat[A-Za-z0-9]{14}\.[a-f0-9]{64})\b"),
    Rule("bidradar-fcm-server-key", r"\b(AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{60,300})"),
    Rule("bidradar-discord-webhook", r"discord(?:app)?\.com/api/webhooks/([0-9]{15,22}/[A-Za-z0-9_-]{40,100})"),
    Rule("bidradar-teams-webhook", r"(?i)\.webhook\.office\.com/webhookb2/([^\s\"'<>]{40,400})"),
    # An AWS access key id typed or pasted in lower case (`akiaiosfodnn7example`): the detectors know only AKIA…
    Rule("bidradar-aws-key-id-lowercase", r"\b((?:akia|asia|abia|acca)[a-z0-9]{16})\b", check="tokenish"),
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
# Key material outside PEM and cloud ids after their labels (stop 32's red team F22, F10).
_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
KEY_AND_ID_RULES: tuple[Rule, ...] = (
    # A wallet's private key: 64 hex (0x or not) after a key or wallet word; a bare 0x+64 hex is a transaction hash.
    Rule(
        "bidradar-wallet-private-key",
        r"(?i)(?:priv(?:ate)?[ _-]?key|privkey|프라이빗\s?키|개인\s?키|비밀\s?키|지갑|wallet|account[ _-]?key)"
        r"[^\n]{0,40}?(?:^|[^0-9A-Za-z])((?:0x)?[0-9a-fA-F]{64})(?:[^0-9A-Za-z]|$)",
    ),
    # An encrypted private key (PKCS#8 EncryptedPrivateKeyInfo) as bare base64: a 공동인증서's signPri.key, a .p8.
    # Its DER starts with two SEQUENCEs and the OID of its cipher: PBES2 (1.2.840.113549.1.5.13), PKCS#12 PBE
    # (1.2.840.113549.1.12.1.x) or KISA's SEED (1.2.410.200004.1.x).
    Rule(
        "bidradar-encrypted-private-key-body",
        r"(?:^|[^A-Za-z0-9+/])(MII[A-Za-z0-9+/]{5}Bg(?:gqgxqMmkQB|kqhkiG9w0BBQ|oqhkiG9w0BDAE)(?:[A-Za-z0-9+/]|\r?\n[ \t]*){20,}={0,2})",
        kind=PRIVATE_KEY,
    ),
    # A BIP39 mnemonic (12 to 24 lower-case words) after its label.
    Rule(
        "bidradar-mnemonic",
        r"(?i)(?:seed[ _-]?(?:phrase|words)|mnemonic|recovery[ _-]?(?:phrase|words)|시드\s?(?:구문|문구|단어)|"
        r"복구\s?(?:구문|문구|단어)|니모닉|비밀\s?복구\s?구문)[^\n]{0,24}?[:=\s\"']((?:[a-z]{3,8}[ \t,]{1,3}){11,23}[a-z]{3,8})",
    ),
    # Azure tenant, subscription and client ids: after their names, in resource ids and on az's command line.
    Rule(
        "bidradar-azure-id",
        r"(?i)(?:(?:tenant|subscription|client|app(?:lication)?|object|principal|directory)[ _.-]?id[\"']?\s{0,3}"
        r"(?:[:=]|=>)?\s{0,3}[\"']?|/subscriptions/|/tenants/|--(?:subscription|tenant)[ =]|"
        r"login\.microsoftonline\.com/)(" + _GUID + r")",
    ),
    # GCP project ids and billing accounts after their names.
    Rule(
        "bidradar-gcp-project",
        r"(?i)(?:project[ _-]?id[\"']?\s{0,3}[:=]\s{0,3}[\"']?|GOOGLE_CLOUD_PROJECT=|CLOUDSDK_CORE_PROJECT=|"
        r"GCP_PROJECT=|config set project\s+|--project[ =]|projects/)([a-z][a-z0-9-]{4,28}[a-z0-9])(?:[^a-z0-9-]|$)",
        check="cloud_project",
    ),
    Rule(
        "bidradar-gcp-billing-account",
        r"(?i)(?:billingAccounts/|billing[ _-]?account[^\n]{0,20}?)([0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6})",
    ),
)


# Passwords in the places commands, SQL, DSNs and credential files put them (stop 33, F16-F20 of stop 32's red team):
# a tool's own password flag (`sshpass -p X`, `redis-cli -a X`, `ldapsearch -w X`), its positional password
# (`htpasswd -b file user X`, `net user name X /add`), `IDENTIFIED BY 'X'`, `user/X@db` of Oracle, a Go MySQL DSN,
# `.pgpass`, `.netrc`, `~/.docker/config.json`, `.npmrc`. The value is a password by its place alone, so a
# letters-only one is taken too; a value in quotes is taken whole (`'correct horse'`).
_ARG = r"""(?:"([^"\n]{1,200})"|'([^'\n]{1,200})'|([^\s"'|;&<>()`]{1,200}))"""
_CMD = r"(?:^|[\s;|&(`$\"'])(?:sudo\s+(?:-\S+\s+)*)?(?:[\w./-]*/)?"  # a command word, perhaps after sudo or a path
_REST = r"\b[^\n|;&]{0,300}?\s"  # the rest of the same command, up to the flag
# After a line break, the line number `cat -n` or Claude Code's Read tool puts before each line (`     5→`).
_LN = r"(?:[ \t]*[0-9]{1,7}(?:→|\t))?"
# One argument of a call: a literal, a variable, `$dsn`, or a call of its own (`getenv('DB_USER')`); no commas.
_CALL_ARG = r"""(?:[^,()\n]|\([^()\n]*\))*"""
_LITERAL = r"""(?:"([^"\n]{1,200})"|'([^'\n]{1,200})')"""  # a quoted literal, the password
_LITERAL_ANY = r"""(?:"[^"\n]*"|'[^'\n]*')"""
# A secret's name in a name/value pair (`pass` too: `DB_PASS`, `db.pass`; `/` of SSM parameter paths).
_SIBLING_NAME = r"[\w./-]{0,40}(?:pass|pwd|secret|token|api[_.-]?key|private[_.-]?key|credential)[\w./-]{0,40}"
# A YAML block scalar (`value: >-`, `value: |`): the value is on the next, indented line, not the indicator.
_BLOCK_SCALAR = r"[|>][-+]?[0-9]?[ \t]*\r?\n" + _LN + r"[ \t]+(\S[^\n]{0,200})"
_SECRET_FIELD = (
    r"[\w.-]{0,40}(?:passw(?:or)?d|passwd|pwd|secret|token|api[_.-]?key|private[_.-]?key|credential)[\w.-]{0,40}"
)
CREDENTIAL_SHAPE_RULES: tuple[Rule, ...] = (
    Rule(
        "bidradar-cli-tool-password",
        rf"{_CMD}(?:sshpass|psexec(?:64)?(?:\.exe)?|mongo(?:sh|dump|restore|import|export)?|"
        rf"(?:docker|podman|buildah|skopeo|helm(?:\s+registry)?|oras|nerdctl|crane|az(?:\.cmd)?)\s+login){_REST}-p\s*{_ARG}",
        check="password",
    ),
    Rule("bidradar-cli-tool-password-a", rf"{_CMD}(?:redis-cli|keydb-cli){_REST}-a\s+{_ARG}", check="password"),
    Rule(
        "bidradar-cli-tool-password-w",
        rf"{_CMD}ldap(?:search|modify|add|delete|whoami|passwd|compare|modrdn|exop){_REST}-w\s+{_ARG}",
        check="password",
    ),
    Rule(
        "bidradar-cli-tool-password-P",
        rf"{_CMD}(?:sqlcmd|bcp|osql|isql|zip|unzip|7za?\s+\w+){_REST}-P\s+{_ARG}",
        check="password",
    ),
    Rule("bidradar-cli-tool-password-7z", rf"{_CMD}7za?\s+\w+{_REST}-p{_ARG}", check="password"),
    Rule(
        "bidradar-openssl-password", rf"{_CMD}openssl{_REST}-(?:k\s+|pass(?:in|out)?\s+pass:){_ARG}", check="password"
    ),
    Rule(
        "bidradar-smb-password",
        rf"{_CMD}(?:smbclient|rpcclient|smbmap|smbget|crackmapexec|nxc|net\s+rpc|winexe){_REST}"
        r"(?:-U\s*|--user(?:name)?[= ])[\"']?[^\s%\"']{1,64}%([^\s\"']{1,200})",
        check="password",
    ),
    Rule("bidradar-rdp-password", rf"{_CMD}[xw]freerdp3?{_REST}/p:{_ARG}", check="password"),
    # user:password after an HTTP client's user flag (`curl -u admin:X`, `http -a ops:X`, `--proxy-user u:X`)
    Rule(
        "bidradar-cli-user-password",
        rf"{_CMD}(?:curl|https?|xh|xhs|wget|lftp|aria2c){_REST}(?:-u|--user|-a|--auth|-U|--proxy-user|--http-user)"
        r"[ =]?[\"']?[^\s:\"']{1,64}:([^\s\"']{1,200})",
        check="password",
    ),
    Rule(
        "bidradar-htpasswd-password",
        rf"{_CMD}htpasswd\s+-[a-mo-zA-Z]*b[a-mo-zA-Z]*\s+(?:-\S+\s+)*[^\s-]\S*\s+[^\s-]\S*\s+{_ARG}",
        check="password",
    ),
    Rule(
        "bidradar-htpasswd-password-n",
        rf"{_CMD}htpasswd\s+-[a-zA-Z]*(?:n[a-zA-Z]*b|b[a-zA-Z]*n)[a-zA-Z]*\s+(?:-\S+\s+)*[^\s-]\S*\s+{_ARG}",
        check="password",
    ),
    Rule(
        "bidradar-net-user-password",
        r"(?i)\bnet\s+user\s+(?:\"[^\"\n]{1,64}\"|[^\s/\"]{1,64})\s+"
        r"(?:\"([^\"\n]{1,200})\"|([^\s/*\"][^\s\"]{0,199}))",
        check="password",
    ),
    # A password flag outside the tools named above (`ipmitool -P X`, `racadm -p X`, `snmpwalk -A X -X Y`,
    # `unrar x -pX`, `schtasks /RP X`): which tool uses which letter is an endless list, so the value decides. Only a
    # password's mixed shape (letters with digits and symbols, or both cases and digits) is taken: `-p 8080`,
    # `-p 80:80`, `mkdir -p /a/b`, `-a SHA`, `-X POST`, `-A bastion` stay.
    Rule(
        "bidradar-cli-short-password-flag",
        r"(?:^|\s)(?:-[pPwaAX]|/(?i:RP|P|PW|PWD|PASS|PASSWORD))(?:[ \t]+|:)"
        r"(?:\"([^\"\s]{6,128})\"|'([^'\s]{6,128})'|(?:[\w.@-]{1,64}:)?([^\s\"'|;<>()`]{6,128}))",
        check="mixed_password",
    ),
    Rule(
        "bidradar-cli-glued-password-flag",
        r"(?:^|\s)-p([^\s\"'|;&<>()`-][^\s\"'|;&<>()`]{5,127})",
        check="mixed_password",
    ),
    # `lftp -u user,password`, and `net use Z: \\srv\share PASSWORD /user:X` (the password after the share; the
    # normaliser may have read `\\` as an escaped `\`).
    Rule(
        "bidradar-cli-user-comma-password",
        r"(?:^|\s)-u[ \t]+[\"']?[^\s,\"':]{1,64},([^\s\"']{1,200})",
        check="password",
    ),
    Rule(
        "bidradar-net-use-password",
        r"(?i)\bnet\s+use\s+(?:[A-Z]:\s+|\*\s+)?\\{1,2}[^\s]+\s+(?:\"([^\"\n]{1,200})\"|([^\s/\"][^\s\"]{0,199}))",
        check="password",
    ),
    Rule(
        "bidradar-chpasswd",
        r"(?:echo|printf)\s+(?:-e\s+)?[\"']?[\w.-]{1,64}:([^\s\"':]{1,200})[\"']?\s*(?:\\n[^|]{0,200})?\|\s*(?:sudo\s+)?chpasswd",
        check="password",
    ),
    # A login answered on stdin (`echo -e 'user\npw' | ftp -n host`) and expect's `send "pw\r"`: after a password
    # prompt any value, alone (a history line) a password's shape. The normaliser has decoded `\n`/`\r` escapes.
    Rule(
        "bidradar-stdin-login",
        r"(?:echo|printf)\s+(?:-e\s+)?[\"'](?:[^\"'\n\\]{1,64})(?:\\n|\n)([^\"'\n\\]{1,200})(?:(?:\\n|\n)[^\"']{0,200})?[\"']\s*\|"
        r"\s*(?:sudo\s+)?(?:ftp|ncftp|lftp|telnet|smbclient)\b",
        check="password",
    ),
    Rule(
        "bidradar-expect-send-password",
        rf"(?i)expect\s[^\n]{{0,80}}(?:assword|passphrase|\bpin\b|암호|비밀번호)[^\n]{{0,40}}\r?\n{_LN}[ \t]*send\s+(?:--\s+)?"
        r"\"([^\"\n\r]{1,200}?)(?:\\r|\\n|\r|\n)\"",
        check="password",
    ),
    Rule(
        "bidradar-expect-send", r"(?:^|[\s;{])send\s+(?:--\s+)?\"([^\"\s]{6,200}?)(?:\\r|\r)\"", check="strong_password"
    ),
    # `echo X | docker login -u acme --password-stdin`: the password is what is piped in.
    Rule(
        "bidradar-password-stdin",
        r"(?:echo|printf)\s+(?:-n\s+)?"
        + _ARG
        + r"\s*\|\s*(?:sudo\s+)?[^\n|]{0,40}\blogin\b[^\n|]{0,200}--password-stdin",
        check="password",
    ),
    # A base64 literal piped into a decoder (`echo c3VwZXI= | base64 -d`), decoded in code on a line about a secret
    # (`DB_PASSWORD = base64.b64decode("…")`), or what `kubectl … jsonpath='{.data.password}'` printed on the next
    # line: an encoded password is still the password.
    Rule(
        "bidradar-base64-decoded-literal",
        r"(?:echo|printf)\s+(?:-[neE]+\s+)*(?:\"([A-Za-z0-9+/]{4,400}={0,2})\"|'([A-Za-z0-9+/]{4,400}={0,2})'|"
        r"([A-Za-z0-9+/]{4,400}={0,2}))\s*\|\s*(?:sudo\s+)?base64\s+(?:-d|--decode|-D)",
        check="base64_text",
    ),
    Rule(
        "bidradar-base64-decoded-code",
        r"(?i)(?:pass|pwd|secret|token|key|auth|cred|비밀|비번|암호)[^\n]{0,80}?"
        r"(?:b64decode|atob|FromBase64String|getDecoder\(\)\.decode|decodeBase64|base64_decode|decode64|Buffer\.from)"
        r"\s*\(\s*(?:\"([A-Za-z0-9+/]{4,400}={0,2})\"|'([A-Za-z0-9+/]{4,400}={0,2})')",
        check="base64_text",
    ),
    Rule(
        "bidradar-kubectl-secret-output",
        r"(?i)(?:jsonpath|template)[= ]['\"]?\{\{?\s*\.data\.[\w.\\-]*(?:pass|pwd|secret|token|key)[^}\n]*\}\}?['\"]?"
        rf"[^\n]*\r?\n{_LN}[ \t]*([^\s]{{4,400}})",
        check="password",
    ),
    Rule("bidradar-gh-secret", r"\bgh\s+secret\s+set\b[^\n|;&]{0,200}?\s(?:--body|-b)[ =]?" + _ARG, check="password"),
    Rule("bidradar-actions-add-mask", r"::add-mask::([^\s\"']{3,400})", check="password"),
    # A value pasted alone as a chat code span or a one-line fenced block (`` `sW5x$dl8wQYy` 입니다 ``, s37): no label,
    # so only the strongest shape (`code_span_password`); brackets, `=`, quotes and commas end it (code, not a value).
    Rule(
        "bidradar-code-span-password",
        r"(?:^|[^`])`([^\s`()\[\]{}<>=,;\"'\\]{8,64})`(?:[^`]|$)|"
        r"(?m:^[ \t]*```[\w-]*[ \t]*\r?\n[ \t]*([^\s`()\[\]{}<>=,;\"'\\]{8,64})[ \t]*\r?\n[ \t]*```)",
        check="code_span_password",
    ),
    Rule(
        "bidradar-powershell-securestring",
        r"(?i)ConvertTo-SecureString\s+(?:-String\s+)?(?:\"([^\"\n]{1,200})\"|'([^'\n]{1,200})')",
        check="password",
    ),
    Rule("bidradar-aws-configure-secret", r"(?i)aws\s+configure\s+set\s+(?:[\w.]+\.)?aws_secret_access_key\s+" + _ARG),
    # SQL: MySQL/MariaDB `IDENTIFIED [WITH plugin] BY 'X'`, Oracle `IDENTIFIED BY X`, PostgreSQL `[ENCRYPTED] PASSWORD
    # 'X'`, SQL Server `WITH PASSWORD = 'X'`, `SET PASSWORD … = PASSWORD('X')`.
    Rule(
        "bidradar-sql-password",
        r"(?i)\bIDENTIFIED(?:\s+WITH\s+[\"'`]?\w+[\"'`]?)?\s+BY(?:\s+PASSWORD)?\s+"
        r"(?:\"([^\"\n]{1,200})\"|'([^'\n]{1,200})')",
        check="password",
    ),
    # Oracle's unquoted `IDENTIFIED BY X` reads like prose (`identified by the hash`): only a password's shape.
    Rule(
        "bidradar-sql-password-unquoted",
        r"(?i)\bIDENTIFIED\s+BY\s+([^\s\"';,)]{1,200})",
        check="strong_password",
    ),
    Rule(
        "bidradar-sql-password-quoted",
        r"(?i)\bPASSWORD(?:\s*=\s*(?:PASSWORD\s*\(\s*)?|\s*\(\s*|\s+)(?:N?'([^'\n]{1,200})'|\"([^\"\n]{1,200})\")",
        check="password",
    ),
    # Oracle's user/password@db (sqlplus, exp/imp, JDBC thin, CONNECT) and Go's MySQL DSN user:password@tcp(...).
    Rule(
        "bidradar-oracle-credentials",
        r"(?i)(?:jdbc:oracle:(?:thin|oci8?):|\b(?:sqlplus|rman|sqlldr|expdp|impdp|exp|imp|dgmgrl)"
        r"(?:\s+-\w+)*\s+(?:target\s+|userid=)?|\bconn(?:ect)?\s+)[\w$#.\"-]{1,64}/(\"[^\"\n]{1,128}\"|[^\s/@\"]{1,128})@",
    ),
    # the password may hold `@` (`admin!@#4569`): the last `@` before `tcp(` ends it
    Rule("bidradar-go-mysql-dsn", r"(?:^|[\s\"'`=])[\w.-]{1,64}:([^\s:/\"'`]{1,128})@(?:tcp|unix)\("),
    # Code: a password as the second of a (user, password) pair (`auth=(…)`, `ftp.login('u', 'p')`), a setter's
    # argument, an environment default.
    Rule(
        "bidradar-code-auth-pair",
        r"(?i)\b(?:auth|HTTPBasicAuth|HTTPDigestAuth|BasicAuth|NetworkCredential|PSCredential|"
        r"UsernamePasswordCredentials|basic_auth|http_auth|login|log_in|authenticate|simple_bind_s|bind_s)"
        r"\s*(?:=\s*)?[(\[]\s*(?:\"[^\"\n]{1,64}\"|'[^'\n]{1,64}'|\w+)"
        r"\s*,\s*(?:\"([^\"\n]{1,200})\"|'([^'\n]{1,200})')",
        check="password",
    ),
    # A password as a positional argument of a connect call, where its place alone says what it is: the third of
    # PDO/mysqli/pymysql/MySQLdb/pymssql/ODBC/ftplib/Sequelize/Perl DBI/PHP ftp_login and friends (dsn or host,
    # user, password), the last of JDBC's getConnection([url,] user, password), the second of Oracle's
    # (user, password, dsn), the fourth of the C API's mysql_real_connect and of `.connect(host, port, user,
    # password)` (paramiko, SAP HANA). The other arguments may be literals, variables or a call (`getenv('U')`).
    Rule(
        "bidradar-connect-positional-password",
        rf"(?i)(?:\bnew\s+(?:PDO|mysqli|Sequelize)|\b(?:mysqli_connect|mysql_p?connect|odbc_p?connect|ftp_login|"
        rf"ssh2_auth_password|imap_open|ldap_bind|pymysql\.connect|MySQLdb\.connect|pymssql\.connect|"
        rf"_mssql\.connect|ftplib\.FTP(?:_TLS)?|FTP(?:_TLS)?|DBI->connect|DBI::connect|DriverManager\.getConnection))"
        rf"\s*\(\s*{_CALL_ARG},\s*{_CALL_ARG},\s*{_LITERAL}",
        check="password",
    ),
    Rule(
        "bidradar-connect-positional-password-last",
        rf"(?i)\bgetConnection\s*\(\s*(?:{_CALL_ARG},\s*)?{_CALL_ARG},\s*{_LITERAL}\s*\)",
        check="password",
    ),
    Rule(
        "bidradar-connect-positional-password-second",
        rf"(?i)\b(?:oci_(?:p|new_)?connect|cx_Oracle\.connect|oracledb\.connect)\s*\(\s*{_CALL_ARG},\s*{_LITERAL}",
        check="password",
    ),
    Rule(
        "bidradar-connect-positional-password-fourth",
        rf"(?i)(?:\bmysqli?_real_connect\s*\(\s*{_CALL_ARG},\s*{_CALL_ARG},|"
        rf"\.connect\s*\(\s*{_LITERAL_ANY}\s*,\s*[0-9]{{2,5}}\s*,)\s*{_CALL_ARG},\s*{_LITERAL}",
        check="password",
    ),
    # An API key and its secret as a client's first two arguments (`new SolapiMessageService('KEY', 'SECRET')`,
    # `Client("AKID…", "…")`): two random literals side by side are a pair whatever the SDK. Hex pairs (commit ids,
    # digests compared in a test) stay.
    Rule(
        "bidradar-code-key-pair-first",
        r"\(\s*[\"']([A-Za-z0-9_-]{16,64})[\"']\s*,\s*[\"'][A-Za-z0-9_/+=-]{16,128}[\"']",
        check="pair_key",
    ),
    Rule(
        "bidradar-code-key-pair-second",
        r"\(\s*[\"'][A-Za-z0-9_-]{16,64}[\"']\s*,\s*[\"']([A-Za-z0-9_/+=-]{16,128})[\"']",
        check="pair_key",
    ),
    Rule(
        "bidradar-code-set-password",
        r"(?i)\.set_?(?:password|passwd|pwd|secret|api_?key|token)\s*\(\s*(?:\"([^\"\n]{1,200})\"|'([^'\n]{1,200})')",
        check="password",
    ),
    Rule(
        "bidradar-code-env-default",
        r"(?i)(?:process\.env\.|getenv\(\s*[\"']|environ\.get\(\s*[\"']|ENV\.fetch\(\s*[\"'])"
        r"\w*(?:pass|pwd|secret|token|key)\w*[\"']?\s*(?:\)?\s*(?:\|\||\?\?|\bor\b)\s*|,\s*)"
        r"(?:\"([^\"\n]{1,200})\"|'([^'\n]{1,200})')",
        check="password",
    ),
    # A name and its value in sibling fields: a Kubernetes or ECS env entry, an XML property, a terraform variable's
    # default, a CloudFormation parameter's Default, a YAML block scalar. The name says "password" (`named`: a
    # name about a password, `PASSWORD_MIN_LENGTH`, is no password's).
    Rule(
        "bidradar-name-value-pair",
        rf"(?i)[\"']?(?:name|key)[\"']?\s*[:=]\s*[\"']?{_SIBLING_NAME}[\"']?\s*,?\s*{_LN}[ \t-]*[\"']?"
        r"(?:parameter|option|secret|default)?value[\"']?\s*[:=]\s*"
        rf"(?:{_BLOCK_SCALAR}|\"([^\"\n]{{1,200}})\"|'([^'\n]{{1,200}})'|([^\s\"',}}]{{1,200}}))",
        check="password",
        named=True,
    ),
    # ARM templates and the like: the name is the key of an object whose `value` is the secret
    # (`"adminPassword": {"value": "X"}`, in YAML `adminPassword:\n  value: X`).
    Rule(
        "bidradar-nested-value",
        rf"(?i)[\"']?{_SIBLING_NAME}[\"']?\s*:\s*\{{?\s*{_LN}[ \t]*[\"']?value[\"']?\s*:\s*"
        rf"(?:{_BLOCK_SCALAR}|\"([^\"\n]{{1,200}})\"|'([^'\n]{{1,200}})'|([^\s\"',}}]{{1,200}}))",
        check="password",
        named=True,
    ),
    # Code: a secret's name in one literal and its value in the next (`define('DB_PASSWORD', 'X')`,
    # `props.setProperty("db.password", "X")`, `os.Setenv(…)`, `os.environ["DB_PASSWORD"] = "X"`). A plain word
    # there is a label more often than a password (`field("password", "Password")`): `code_literal`.
    Rule(
        "bidradar-code-name-value",
        rf"(?i)[\"']{_SIBLING_NAME}[\"'][ \t]*(?:,|\][ \t]*=)[ \t]*{_LITERAL}\s*(?:[^:\s]|$)",  # not a key: `"X": …`
        check="code_literal",
        named=True,
    ),
    Rule(
        "bidradar-terraform-default",
        rf"(?i)\bvariable\s+\"{_SECRET_FIELD}\"\s*\{{[^}}]{{0,300}}?\bdefault\s*=\s*\"([^\"\n]{{1,200}})\"",
        check="password",
        named=True,
    ),
    Rule(
        "bidradar-cloudformation-default",
        rf"(?im)^{_LN}[ \t]*{_SECRET_FIELD}:[ \t]*\r?\n{_LN}(?:[ \t]+\w+:[^\n]*\r?\n{_LN}){{0,6}}?[ \t]+Default:[ \t]*[\"']?([^\s\"'#]{{1,200}})",
        check="password",
        named=True,
    ),
    Rule(
        "bidradar-yaml-block-password",
        rf"(?i)(?:^|[\s{{,])[\"']?{_SECRET_FIELD}[\"']?:[ \t]*[|>][-+]?[ \t]*\r?\n{_LN}[ \t]+(\S[^\n]{{0,200}})",
        check="password",
        named=True,
    ),
    # ~/.pgpass: host:port:database:user:password on a line of its own.
    Rule(
        "bidradar-pgpass",
        r"(?m)^[ \t]*(?:[\w.*\[\]-]*[A-Za-z*][\w.*\[\]-]*|[0-9]{1,3}(?:\.[0-9]{1,3}){3}):(?:[0-9]{2,5}|\*):[\w.*-]+:[\w.*@-]+:((?:[^\s:\\]|\\.)+)[ \t]*$",
        check="password",
    ),
    # ~/.netrc: machine HOST login USER password X, on one line or several.
    Rule(
        "bidradar-netrc",
        r"(?m)(?:\bmachine\s+\S+|^[ \t]*default)(?:\s+(?:login|account|port)\s+\S+){0,3}\s+password\s+(\S+)",
        check="password",
    ),
    # ~/.docker/config.json and .npmrc: `"auth": "<base64 of user:password>"`, `_auth=`, `_authToken=`, `_password=`.
    Rule("bidradar-docker-auth", r"\"auth\"\s*:\s*\"([A-Za-z0-9+/]{8,}={0,2})\"", check="basic_auth"),
    Rule(
        "bidradar-npmrc-auth",
        r"(?i)(?:^|[\s:\"'])_(?:authToken|auth|password)\s*=\s*[\"']?([^\s\"']{4,400})",
        check="password",
    ),
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
OWN_RULES += (*PROVIDER_RULES, *KEY_AND_ID_RULES, *CREDENTIAL_SHAPE_RULES, RANDOM_KEY_RULE)
# Rules that take a bare run of base64 by its length and randomness alone: a line of a wrapped block (a certificate,
# a public key, a MIME body) has that shape, and two of its lines joined may have a key's length.
_SHAPE_ONLY_RULES = frozenset([RANDOM_KEY_RULE.id, "bidradar-g2b-service-key-bare"])

# A reference to a value kept elsewhere is no value either (s37 ordinary37): Terraform's namespaces and a resource's
# attribute (`var.db_password`, `module.rds.master_password`, `data.aws_secretsmanager_secret_version.db.secret_string`,
# `random_password.db.result`), CloudFormation's intrinsic functions and Ansible's vault tag (`!Ref DbPassword`,
# `!GetAtt`, `!vault |`), and an attribute path whose last name is a secret's (`settings.DB_PASSWORD`,
# `cfg.db.password`). The detectors' bucket names and the leak check read TERRAFORM_REFERENCE too.
TERRAFORM_REFERENCE = r"(?:var|local|module|data|each|self|count|path|terraform)\."
_REFERENCE = (
    rf"{TERRAFORM_REFERENCE}[\w-]+(?:\.[\w-]+|\[[^\]\s]{{1,80}}\])*|(?-i:[a-z][a-z0-9]*_[a-z0-9_]+)(?:\.[\w-]+){{2,}}|"
    r"!(?:Ref|GetAtt|Sub|ImportValue|FindInMap|Join|Select|Split|If|Base64|Cidr|GetAZs|Transform|Condition|vault)|"
    r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\.\w*(?:passw(?:or)?d|pwd|_pass|secret|token|api_?key|credentials?)\w*"
)
_PLACEHOLDER = re.compile(
    r"""^(?:\$\{?[\w.:-]*\}?|\{\{.*\}\}|<[^>]*>|%[\w.]+%|\*+|x{3,}|X{3,}|\.{3,}|…|null|none|nil|true|false|
    undefined|string|required|optional|example|changeme-?please|your[_-]?[\w-]*|redacted|hidden|masked|\?+|
    [|>][-+]?[0-9]?|
    MASK_[A-Z]+_[0-9A-F]{16}|"""
    + _REFERENCE
    + ")$",
    re.IGNORECASE | re.VERBOSE,
)
# Where a value's surroundings make it a reference (s37 ordinary37): a mapping's name before its key
# (`config["db"]["password"]`), the message of a shell expansion that fails when its variable is unset
# (`${POSTGRES_PASSWORD:?required}`; a default after `:-` or `:=` is a value and stays one).
_SUBSCRIPT_AT = re.compile(r"[A-Za-z_][\w.]{0,80}\[[\"']")
_EXPANSION_BEFORE = re.compile(r"\$\{\w{1,60}:?\Z")


def reference_at(text: str, start: int) -> bool:
    """Whether the value that starts at `start` (after a secret's name) refers to one kept elsewhere (see above)."""
    if text.startswith("?", start):
        return _EXPANSION_BEFORE.search(text, max(0, start - 64), start) is not None
    return _SUBSCRIPT_AT.match(text, start) is not None


_HEX_ONLY = re.compile(r"^[0-9a-fA-F-]+$")
_WORDISH = re.compile(r"^[A-Za-z가-힣]+$")


def no_value(value: str, password: bool) -> bool:
    """A value after a secret's name that holds no secret: a placeholder (`<your-password>`, `YOUR_API_KEY_HERE`,
    `********`, `${VAR}`) or, after a key's or token's name (not a password's: `password: Sunshine` is one), a name
    in words (`HTTPServerConfig`, `MyAppSecret`; random letters such as `gdcFXaHdOg` are a value). The leak check
    reads the same, so documentation is not masked by it."""
    if _PLACEHOLDER.match(value) is not None:
        return True
    return not password and value.isascii() and value.isalpha() and not _random_letters(value)


def shannon_entropy(value: str) -> float:
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


_HANGUL_ONLY = re.compile(r"^[가-힣]+[.!?…~]*$")


# `%` starts a password as often as a printf directive; `%NAME%` is a placeholder already.
_TEMPLATE = re.compile(r"%(?:\([^)]*\))?[-#0 +]*[0-9]*(?:\.[0-9]+)?[sdifrxXeEgGc](?![A-Za-z0-9])|\{[\w.]*\}")


def _check_password(secret: str) -> bool:
    """Any value after a password name (passwords are low-entropy on purpose), except placeholders and Korean
    words (`비밀번호가 틀렸습니다`)."""
    if _PLACEHOLDER.match(secret) is not None or _HANGUL_ONLY.match(secret) is not None:
        return False
    if _TEMPLATE.match(secret) is not None:
        return False  # a format string or a template (`%s`, `%(pw)s`, `{password}`, `{0}`), not a value
    if secret.startswith("-----"):
        return False  # a PEM armour line (`-----END …`) or a ruler on the line after a name, not a value
    return not secret.startswith(
        ("$", "os.environ", "env(", "os.getenv", "process.env", "import.meta.env", "System.getenv", "ENV[")
    )  # a reference to the environment, not a value


_ASCII_THEN_HANGUL = re.compile(r"([!-~]+)[가-힣]")


def _check_assigned_password(secret: str) -> bool:
    """A value after a password name and `:`, `=` or a particle. When ASCII runs into Korean (`8~16자의`,
    `10자리`, `Xk9mPq2z입니다`) the ASCII part decides by its shape: a policy's numbers are no password."""
    if not _check_password(secret):
        return False
    glued = _ASCII_THEN_HANGUL.match(secret)
    return glued is None or _password_shaped(glued.group(1), strong=True)


def _check_keyed(secret: str) -> bool:
    """A value after a token/key/secret name: looks random (a digit and a letter, high entropy, random letters)."""
    if not _check_password(secret) or len(secret) < 8:
        return False
    if _WORDISH.match(secret):
        return _random_letters(secret)  # `NAVER_CLIENT_SECRET=gdcFXaHdOg`; not `token: Bearer`, `secret: MyAppSecret`
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


# The base64 starts of public keys and certificates (SSH blobs, SubjectPublicKeyInfo, X.509): public by design.
_PUBLIC_KEY_START = (
    r"(?:AAAA[BC]3NzaC1|AAAAE2VjZHNh|MII[A-Za-z0-9+/]{3}CCA|MII[A-Za-z0-9+/](?:IjAN|CgKC)|MF[kY]wEwYHKoZIzj0"
    r"|MHYwEAYHKoZIzj0|MCowBQYDK2V|MIIBCgK)"
)
_PUBLIC_KEY_HEAD = re.compile(_PUBLIC_KEY_START, re.ASCII)
# The algorithm OIDs (DER contents) of a SubjectPublicKeyInfo: RSA, RSASSA-PSS, EC, DSA, DH, X25519, X448, Ed25519,
# Ed448, SM2.
_PUBLIC_KEY_OIDS = frozenset(
    bytes.fromhex(h)
    for h in (
        "2a864886f70d010101",
        "2a864886f70d01010a",
        "2a8648ce3d0201",
        "2a8648ce380401",
        "2a864886f70d010301",
        "2b656e",
        "2b656f",
        "2b6570",
        "2b6571",
        "2a811ccf5501822d",
    )
)


def _der_length(data: bytes, at: int) -> tuple[int, int] | None:
    """The length at `at` of a DER item and where its contents start, or None when it does not fit."""
    if at >= len(data):
        return None
    first = data[at]
    if first < 0x80:
        return first, at + 1
    size = first & 0x7F
    if not 1 <= size <= 3 or at + 1 + size > len(data):
        return None
    return int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def public_der(word: str) -> bool:
    """Whether base64 `word` starts a DER public key or certificate, whatever the key's size or curve (its first
    line is enough): a SubjectPublicKeyInfo (SEQUENCE, SEQUENCE, a public-key algorithm's OID), a PKCS#1 public key
    (SEQUENCE, then the modulus: an INTEGER of many bytes where a private key has its one-byte version), or a
    certificate or CSR (SEQUENCE, SEQUENCE, then its version or serial)."""
    chunk = word[:64]
    try:
        data = base64.b64decode(chunk[: len(chunk) // 4 * 4], validate=True)
    except ValueError:
        return False
    outer = _der_length(data, 1) if data[:1] == b"\x30" else None
    if outer is None or outer[1] + 2 > len(data):
        return False
    at = outer[1]
    inner = _der_length(data, at + 1)
    if inner is None:
        return False
    if data[at] == 0x02:
        return inner[0] >= 32
    if data[at] != 0x30 or inner[1] + 2 > len(data):
        return False
    first = data[inner[1]]
    if first == 0x06:
        return data[inner[1] + 2 : inner[1] + 2 + data[inner[1] + 1]] in _PUBLIC_KEY_OIDS
    return first in (0xA0, 0x02)


def _check_random_base64(secret: str) -> bool:
    """Base64 of random bytes: `+`, `/` or `=` in it, mixed case and digits, the entropy of random data, and not
    the base64 of a text (the ENCODED detector reads those)."""
    value = _PERCENT_B64.sub(lambda m: bytes.fromhex(m.group(1)).decode(), secret)
    body = value.rstrip("=")
    if not ("+" in body or "/" in body or value.endswith("=")) or len(body) < 32:
        return False
    if sum(c.isdigit() for c in body) < 2 or not any(c.isupper() for c in body) or not any(c.islower() for c in body):
        return False
    if body.startswith("AAAA") or _PUBLIC_KEY_HEAD.match(body) or public_der(body):
        return False  # an SSH public key blob (its length prefix), a DER public key or certificate: public by design
    if shannon_entropy(body) < _random_entropy_floor(len(body)):
        return False
    try:
        decoded = base64.b64decode(body + "=" * (-len(body) % 4), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return True
    return not decoded.isprintable()


def _check_basic_auth(secret: str) -> bool:
    """`user:password` in base64 (a registry's `auth`), not a placeholder."""
    try:
        decoded = base64.b64decode(secret + "=" * (-len(secret) % 4), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    user, colon, password = decoded.partition(":")
    return bool(colon and user and password and decoded.isprintable())


def _check_cloud_project(secret: str) -> bool:
    """A GCP project id names its owner when it is not a word: it has a hyphen or a digit (`acme-bid-prod-4821`)."""
    return ("-" in secret or any(c.isdigit() for c in secret)) and _PLACEHOLDER.match(secret) is None


def _check_one_key_block(secret: str) -> bool:
    """gitleaks' private-key rule runs lazily to the next `KEY-----`: from a block whose END line is missing (a
    truncated paste) it would take every text up to the next key's END, a whole document as one token. One block
    only; the truncated block itself is masked by bidradar-private-key-block."""
    return secret.upper().count("-----BEGIN", 1) == 0


# a word, a name (`SMTP_PASSWORD`, `db_password`, `api.token`), a flag
_PLAIN_WORD = re.compile(r"(?:[A-Z]?[a-z]+)+|[A-Z][A-Z0-9_]*|[a-z]+(?:[_.-][a-z]+)+|-{1,2}\S*")


def _check_code_literal(secret: str) -> bool:
    """A value in a code literal after a secret's name: a password, but not a plain word (`Password`, a UI
    label), another name (a list of setting names), a flag (`--password`, `-p`) or a phrase."""
    return " " not in secret and _PLAIN_WORD.fullmatch(secret) is None and _check_assigned_password(secret)


_USER_AT_HOST = re.compile(r"[a-z_][\w.-]*@[A-Za-z][\w.-]*[A-Za-z0-9]$")  # `ssh -X ops@jump01`; not `Blue@1993Kr`


def _mixed_password(secret: str) -> bool:
    """A value whose place alone does not say password (a flag's, a call's argument): a password's mixed shape,
    one ASCII word (`Nuri!3647!`, `Xk9mPq2z`), not a word, number, host, path, version or placeholder."""
    if not secret.isascii() or any(c.isspace() for c in secret) or _USER_AT_HOST.match(secret):
        return False
    if _NAMED_SEGMENT.search(secret) is not None:
        return False  # a host, a path or a file (`db.internal/ORCLPDB1`, `backup-2025.tar`)
    return _password_shaped(secret, strong=False)


def _check_base64_text(secret: str) -> bool:
    """Base64 of a text (a password, not an image's bytes), not a placeholder."""
    try:
        decoded = base64.b64decode(secret + "=" * (-len(secret) % 4), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    return bool(decoded.strip()) and decoded.strip().isprintable() and _check_password(decoded.strip())


_KEY_COMBO = re.compile(r"(?:[A-Za-z]+\+)+[A-Za-z0-9]+")  # Ctrl+Shift+F10


def _check_code_span_password(secret: str) -> bool:
    """A value with no label around it: upper and lower case letters, a digit and a symbol, a password's shape,
    no key combination (`Ctrl+Shift+F10`)."""
    return (
        any(c.isupper() for c in secret)
        and any(c.islower() for c in secret)
        and any(c.isdigit() for c in secret)
        and _STRONG_SYMBOL.search(secret) is not None
        and _KEY_COMBO.fullmatch(secret) is None
        and _password_shaped(secret, strong=False)
    )


_CHECKS = {
    "code_span_password": _check_code_span_password,
    "base64_text": _check_base64_text,
    "code_literal": _check_code_literal,
    "basic_auth": _check_basic_auth,
    "strong_password": lambda secret: _password_shaped(secret, strong=True),
    "mixed_password": lambda secret: _mixed_password(secret),
    "pair_key": lambda secret: _HEX_ONLY.match(secret) is None and _key_shaped(secret),
    "cloud_project": _check_cloud_project,
    "password": _check_assigned_password,
    "keyed": _check_keyed,
    "key_shaped": lambda secret: _key_shaped(secret),
    "tokenish": _check_tokenish,
    "random_base64": _check_random_base64,
    "one_key_block": _check_one_key_block,
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
    keywords: tuple[str, ...] = ()  # gitleaks' keywords (lower case), each once
    keyword_rules: tuple[tuple[int, ...], ...] = ()  # keyword index -> the rules it opens
    always: tuple[int, ...] = ()  # gitleaks rules without keywords: always run


# gitleaks' rules are vendored unchanged; an extra validator where a rule's regex alone is too loose for prose.
_GITLEAKS_CHECKS = {"private-key": "one_key_block"}


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
                check=_GITLEAKS_CHECKS.get(raw["id"]),
            )
        )
    allow = data.get("allowlist", {})
    return rules, list(allow.get("regexes", [])), tuple(s.lower() for s in allow.get("stopwords", []))


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """All rules compiled once per process (about 0.1 s)."""
    gitleaks, global_allow, global_stopwords = _gitleaks_rules()
    rules = [*OWN_RULES, *gitleaks]
    # gitleaks' own prefilter: a rule runs only when one of its keywords is in the text (any case). A set of
    # the 220 rules themselves in one RE2 DFA thrashes on dense text; a set of their literal keywords does not.
    by_keyword: dict[str, set[int]] = {}
    always = []
    for index, rule in enumerate(rules[len(OWN_RULES) :], start=len(OWN_RULES)):
        if not rule.keywords:
            always.append(index)
        for word in rule.keywords:
            by_keyword.setdefault(word.lower(), set()).add(index)
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
        keywords=tuple(by_keyword),
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


# --- the one candidate pass ---------------------------------------------------------------------------------------
#
# One RE2 set over the UTF-8 text answers, in one pass, every "is there any candidate at all" question of a masking
# call: which of our own rules match (they are the set's first patterns), which of gitleaks' keywords occur (each
# opens its rules: gitleaks' own prefilter), which of the catalogue's gates hold (prose labels, headerless key
# bodies), and which gates the caller adds (the detectors' families, `detect._FAMILY_PATTERNS`). Separate sets
# each paid a pass over a text whose DFA states were cold again after the rest of the call (~0.3 ms per 20 KB each);
# one set pays one. A set only says whether a pattern matches somewhere, never where: what it opens runs over the
# whole text as before, so the findings are the same as without it. A rule, keyword or gate that is not in the set
# is simply not gated (gitleaks' rules without keywords always run; a detector without a family always runs).
@dataclass(frozen=True)
class Candidates:
    """What the one candidate pass found in a text: its UTF-8 bytes, the catalogue rules to run, the gates held."""

    data: bytes
    rules: frozenset[int]
    present: frozenset[str]


@lru_cache(maxsize=8)
def _candidate_set(gates: tuple[tuple[str, str], ...]) -> tuple[re2.Set, int, int, tuple[str, ...]]:
    cat = catalogue()
    options = re2.Options()
    options.max_mem = 64 << 20  # a set never bails out on a slow DFA, it only needs room for its states
    combined = re2.Set.SearchSet(options)
    for rule in OWN_RULES:
        combined.Add(rule.regex)
    # One literal pattern per keyword: which keywords occur, each once (an Aho-Corasick pass over the lower-cased
    # text reported every occurrence, ~4x slower on a 20 KB prompt).
    for word in cat.keywords:
        combined.Add("(?i)" + re.escape(word))
    names = []
    own_gates = (  # defined below
        ("catalogue:prose", _PROSE_GATE_PATTERN),
        ("catalogue:key_body", _KEY_BODY_START),
        ("catalogue:label_apart", _LABEL_APART_GATE),
        ("catalogue:key_lines", _KEY_LINES_GATE),
        ("catalogue:call_args", _CALL_ARGS_GATE),
    )
    for name, pattern in (*own_gates, *gates):
        combined.Add(pattern)
        names.append(name)
    combined.Compile()
    return combined, len(OWN_RULES), len(OWN_RULES) + len(cat.keywords), tuple(names)


def candidates(text: str, gates: tuple[tuple[str, str], ...] = ()) -> Candidates:
    """The one candidate pass over `text` (see above); `gates` are (name, RE2 pattern) pairs of the caller's own."""
    cat = catalogue()
    combined, own, keywords, names = _candidate_set(gates)
    data = text.encode()
    rules = set(cat.always)
    present = set()
    for index in combined.Match(data) or ():
        if index < own:
            rules.add(index)
        elif index < keywords:
            rules.update(cat.keyword_rules[index - own])
        else:
            present.add(names[index - keywords])
    return Candidates(data, frozenset(rules), frozenset(present))


def scan(text: str, unwrap: bool = True, found_candidates: Candidates | None = None) -> list[Finding]:
    """Every credential in `text` (spans of the secret part, not of the name before it); with `unwrap`, also
    tokens wrapped over two lines. `found_candidates`: the candidate pass over this same text, when the caller
    has made it (`candidates`)."""
    cat = catalogue()
    found: list[Finding] = []
    if unwrap:
        _wrapped_tokens(text, found)
    cand = candidates(text) if found_candidates is None else found_candidates
    data = cand.data
    offsets = _CharOffsets(text, data)  # shared by the prose labels and the rules (gitleaks' keyword-less rules
    _private_keys(text, found)  # always run, so it is always needed)
    _jwk_private_members(text, found)
    if "catalogue:key_body" in cand.present:
        _headerless_keys(text, found)
    if "catalogue:key_lines" in cand.present:
        _key_middle_lines(text, found)
    if "catalogue:prose" in cand.present:
        _prose_passwords(text, found, data, offsets)
    if unwrap and "catalogue:label_apart" in cand.present:  # not again inside a joined reading (it holds more)
        _labels_apart(text, found)
    if "catalogue:call_args" in cand.present:
        _call_arguments(text, found)
    _csv_columns(text, found)
    hits = cand.rules
    if not hits:
        return _query_cut(text, found)
    for index in sorted(hits):
        rule, pattern = cat.rules[index], cat.patterns[index]
        groups = pattern.groups  # a call into RE2 each time it is read
        for m in pattern.finditer(data):
            b_start, b_end = _first_group_span(m, groups)
            start, end = offsets.char(b_start), offsets.char(b_end)
            secret = text[start:end]
            if not secret or not _accepted(cat, index, rule, secret, _match_text(rule, offsets, m.span())):
                continue
            if rule.named and (text.startswith("(", end) or reference_at(text, start)):
                continue  # `DB_PASSWORD = base64.b64decode(…)`: a call, not a value; `config["db"]["password"]`
            if _name_in_a_blob(text, offsets.char(m.start()), start):
                continue  # `…yPWHcG94LGRrAgMBAAE=` then a line: a key's last line, `pw` in it by chance
            if rule.id in _SHAPE_ONLY_RULES and (line_of_a_blob(text, start, end) or _named_digest(text, start)):
                continue
            found.append(Finding(rule.id, rule.kind, start, end))
    return _query_cut(text, found)


# The next parameter of a URL query or form body (`password=X&useSSL=false`): the value ends before it.
_NEXT_PARAMETER = re.compile(r"&(?:amp;)?[A-Za-z_][\w.-]{0,40}=")


def _query_cut(text: str, found: list[Finding]) -> list[Finding]:
    """Credentials cut at the next query parameter; one that holds a `&name=` stays whole when no `?` or `&`
    stands before it (an `.env` password may hold `&`)."""
    out = []
    for f in found:
        cut = _NEXT_PARAMETER.search(text, f.start, f.end) if f.kind == CREDENTIAL else None
        before = text[max(0, f.start - 80) : f.start] if cut is not None else ""
        if cut is not None and ("?" in before or "&" in before):
            f = Finding(f.rule, f.kind, f.start, cut.start())
        out.append(f)
    return out


# What names a base64 value public right before it: a digest, checksum, hash, fingerprint, integrity value, a PGP
# signature, an image or file in a data: URI (`x-amz-checksum-sha256: …`, `digest: sha256=…`, `Content-MD5: …`).
_DIGEST_NAME = re.compile(
    r"(?i)(?:checksum|digest|hash|fingerprint|integrity|md5|sha-?[0-9]{0,3}|(?:pgp|gpg|gnupg)[ _-]?signature|"
    r"base64,)[\w-]{0,40}[\"']?\s{0,3}(?:[:=]|=>)?\s{0,3}[\"']?(?:(?:sha|md)-?[0-9]{1,3}[=:-])?\Z"
)


def _named_digest(text: str, start: int) -> bool:
    return _DIGEST_NAME.search(text, max(0, start - 80), start) is not None


_BLOB_LINE = re.compile(r"[ \t>]*[A-Za-z0-9+/]{48,}={0,2}[ \t]*\r?$")


_NOT_A_WORD = frozenset("0123456789+/=")
_BLOCK_LINE_MAX = 200
_BASE64_LINE = re.compile(r"[ \t>]*[A-Za-z0-9+/]{4,}={0,2}[ \t]*\r?$")


def on_a_line_of_a_block(text: str, at: int) -> bool:
    """`at` is on a line of a base64 block: one base64 word of 48 characters or more, or a base64 word (a block's
    last line) right under such a line. No config line or prose is; a public key's last line holds `PW` or `Key`
    by chance and its `=` padding reads as an assignment."""
    # bounded: a block's lines are 64 or 76 characters; one label on a megabyte line must not read all of it
    line_start = text.rfind("\n", max(0, at - _BLOCK_LINE_MAX), at) + 1
    line_end = text.find("\n", at, at + _BLOCK_LINE_MAX)
    if (line_end < 0 and len(text) > at + _BLOCK_LINE_MAX) or (line_start == 0 and at > _BLOCK_LINE_MAX):
        return False
    line_end = len(text) if line_end < 0 else line_end
    if _BLOB_LINE.match(text, line_start, line_end) is not None:
        return True
    line = text[line_start:line_end]
    if line_start == 0 or _BASE64_LINE.match(line) is None or not any(c in _NOT_A_WORD for c in line):
        return False  # a word alone on its line (`password` under a certificate) is no line of it
    return _line_above_is_blob(text, line_start)


def _line_above_is_blob(text: str, line_start: int) -> bool:
    """The line above the one starting at `line_start` is a line of a base64 block (read at most 200 back)."""
    if line_start == 0:
        return False
    above_start = text.rfind("\n", max(0, line_start - 1 - _BLOCK_LINE_MAX), line_start - 1) + 1
    if above_start == 0 and line_start - 1 > _BLOCK_LINE_MAX:
        return False  # longer than a block's line
    return _BLOB_LINE.match(text, above_start, line_start - 1) is not None


def _name_in_a_blob(text: str, match_start: int, secret_start: int) -> bool:
    """A rule's name is a chance word in a line of a base64 block and its value on a line below."""
    if text.startswith(("\n", "\r"), match_start):
        match_start += 1  # the rule's `(?:^|[^a-z0-9])` took the line break before the name
    return text.find("\n", match_start, secret_start) >= 0 and on_a_line_of_a_block(text, match_start)


def line_of_a_blob(text: str, start: int, end: int) -> bool:
    """A base64 word that is one line of a wrapped block (a certificate, a MIME body): a line of 48 or more base64
    characters right above or below it. Private keys in such blocks have their own rules (BEGIN line, DER header)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if text[line_start:start].strip(" \t>") or text[end : len(text) if line_end < 0 else line_end].strip():
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
        if text[start:end] and _accepted(cat, index, rule, text[start:end], _match_text(rule, offsets, m.span())):
            found.append(Finding(rule.id, rule.kind, start, end))
    return found


def _match_text(rule: Rule, offsets: _CharOffsets, span: tuple[int, int]) -> str:
    """The matched text; for a rule that starts at a name, from the start of the whole name (`prompt_tokens`, not
    `_tokens`)."""
    if not rule.named:
        return offsets.text_of(span)
    text, start = offsets.text, offsets.char(span[0])
    first = start
    while first > max(0, start - 60) and (text[first - 1].isalnum() or text[first - 1] in "_.-"):
        first -= 1
    return text[first : offsets.char(span[1])]


def _first_group_span(m: re2._Match, groups: int) -> tuple[int, int]:  # type: ignore[name-defined]
    if groups:
        for group, value in enumerate(m.groups(), start=1):  # one call for all groups (each m.group is one)
            if value:
                return m.span(group)
    return m.span()


# A name that only starts with a secret word names something about the secret (`password_changed_at`,
# `passwordPolicy`, `PASSWORD_RESET_TTL`, `token_count`, `secret_name`, `last_password_change`): when the last part
# of the name is one of these, its value is a date, a number, a rule or a name, not the secret.
_METADATA_PARTS = frozenset(
    """at on date time timestamp ts changed updated created modified rotated expires expiry expiration expired age
    ttl lifetime duration period days hours minutes seconds ms interval policy policies rule rules length len
    size min max minimum maximum count counts limit limits attempts retries retry history strength complexity
    required enabled disabled enable disable hint field label placeholder input prompt type types algorithm algo
    scheme hasher encoder cost rounds iterations version format mode method name names file path dir url uri
    endpoint change reset header prefix location source store provider backend manager ref env var variable kind
    usage tokens budget estimate validity valid ratio rate santa hash digest checksum fingerprint""".split()  # noqa: SIM905
)
_NAME_BEFORE_VALUE = re.compile(r"([A-Za-z0-9_.\-]+)[\"'\]]?\s{0,3}(?:=>|:=|=|:|：|＝|는|은|이|가)")
_NAME_PART = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def metadata_name(name: str) -> bool:
    """Whether a config key that holds a secret word names a fact about the secret (`password_changed_at`)."""
    parts = _NAME_PART.findall(name)
    return len(parts) > 1 and parts[-1].lower() in _METADATA_PARTS


# The secret words a config key is made of (`DB_PASSWORD`, `apiToken`, `MYSQLPASS`, `password2`, `tokens`); a key
# that only starts with one as part of another word (`tokenizer`, `passenger`, `secretary`) names no secret.
_SECRET_WORDS = (
    "password", "passwd", "passphrase", "passcode", "passkey", "pass", "pwd", "pw", "secret", "token", "key",
    "apikey", "credential", "credentials", "bearer", "auth", "passwort", "kennwort", "senha", "wachtwoord",
)  # fmt: skip
# A name is a whole identifier run with a secret word in it. Found run by run: one pattern `[...]*(?:words)[...]*`
# backtracks through every run without a word from each of its characters (0.15 of the 1 MB worst case's 2.3 s).
_IDENTIFIER_RUN = re.compile(r"[A-Za-z0-9_.\-]+", re.IGNORECASE)  # IGNORECASE: the Kelvin sign, long s, as before
_SECRET_WORD = re.compile("|".join(_SECRET_WORDS), re.IGNORECASE)


_PASSWORD_TYPO = re.compile(_PASSWORD_TYPOS)


def _secret_part(part: str) -> bool:
    return _PASSWORD_TYPO.fullmatch(part) is not None or any(
        part == word or part.endswith(word) or (part.startswith(word) and part[len(word) :].strip("0-9s") == "")
        for word in _SECRET_WORDS
    )


def _metadata_match(match: str) -> bool:
    """The name before the value says it is no secret: a fact about one (`password_changed_at`) or another word
    that starts like one (`tokenizer`)."""
    # the key's name: the first identifier with a secret word in it, past a name/value pair's `key` field label
    name = None
    for run in _IDENTIFIER_RUN.finditer(match, 0, 200):
        if _SECRET_WORD.search(run.group()):
            if run.group().lower() not in ("key", "parameterkey"):
                name = run.group()
                break
            name = name or run.group()
    if name is None:
        return False
    if metadata_name(name):
        return True
    return not any(_secret_part(part.lower()) for part in _NAME_PART.findall(name))


def _accepted(cat: Catalogue, index: int, rule: Rule, secret: str, match: str) -> bool:
    if rule.check is not None:
        if not _CHECKS[rule.check](secret):
            return False
    elif (
        _HEX_ONLY.match(secret)
        and not rule.id.startswith("bidradar-")
        and rule.entropy
        and not re.search(r"(?i)key|secret|token|passw|auth|credential", match)
        and (rule.id == "gitleaks:generic-api-key" or not any(k in match.lower() for k in rule.keywords))
    ):
        return False  # an entropy-only gitleaks rule on pure hex: a hash or a commit id, no secret or provider name
    if rule.entropy and shannon_entropy(secret) < rule.entropy:
        return False
    if rule.named and _metadata_match(match):  # after the cheaper checks: a name is read only for a likely value
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


# --- JSON Web Keys: the private members ---------------------------------------------------------------------------
#
# A JWK (RFC 7517) is a JSON object; its private parts are the members d (EC, RSA, OKP), p, q, dp, dq, qi, oth (RSA)
# and k (a symmetric key). x, y, n, e are public. Only inside an object that has a "kty".
_JWK_MEMBER = re.compile(r"""["']?(?:d|p|q|dp|dq|qi|k)["']?\s{0,3}[:=]\s{0,3}["']([A-Za-z0-9_-]{16,}={0,2})["']""")


def _jwk_private_members(text: str, found: list[Finding]) -> None:
    at = text.find("kty")
    while at != -1:
        start = text.rfind("{", max(0, at - 4000), at)
        end = text.find("}", at)
        if start != -1 and end != -1:
            for m in _JWK_MEMBER.finditer(text, start, end):
                found.append(Finding("bidradar-jwk-private", PRIVATE_KEY, m.start(1), m.end(1)))
        at = text.find("kty", at + 3)


# --- tokens wrapped over two lines ------------------------------------------------------------------------------
#
# A token copied from a narrow terminal, a chat bubble or a PDF arrives in two lines: the first line ends in its
# head, the next line is its tail alone (`github_pat_11AIB…\nkWvj7…`, a JWT's signature, `SG.…\nDn87…`). The two
# words are joined and scanned again; a finding that crosses the join takes both lines. Anchored on the line
# break (the engine skips to it in C); the tail must be a line of its own, mixing letters with digits or case.
_TAIL_LINE = re.compile(r"\n[ \t>\"'`]*([A-Za-z0-9_\-+/=.~]{4,400})[ \t\"'`,;]*(?=\r?\n|\Z)", re.ASCII)
_TOKEN_CHARS = frozenset(string.ascii_letters + string.digits + "_-+/=.~:")
_MAX_WRAPPED = 2000  # line pairs tried per text (a 1 MB base64 dump has ~13,000)


def _wrapped_tokens(text: str, found: list[Finding]) -> None:
    if "\n" not in text:
        return
    tried = 0
    for m in _TAIL_LINE.finditer(text):
        tail = m.group(1)
        if not (any(c.isdigit() for c in tail) or (tail.lower() != tail and tail.upper() != tail)):
            continue
        if "=" in tail.rstrip("="):  # `NAME=value`: a .env's next line, not a token's tail (base64 pads at its end)
            continue
        head_end = m.start()
        while head_end > 0 and text[head_end - 1] in " \t\r\"'`\\":
            head_end -= 1
        head_start = head_end
        while head_start > max(0, head_end - 400) and text[head_start - 1] in _TOKEN_CHARS:
            head_start -= 1
        if head_end - head_start < 12:
            continue
        tried += 1
        if tried > _MAX_WRAPPED:
            return
        head = text[head_start:head_end]
        if head.endswith("="):
            continue  # base64 padding ends a token: the next line is not its tail (`…AQAB==` then `-----END …`)
        for f in scan(head + tail, unwrap=False):
            if f.start < len(head) < f.end:
                start, end = head_start + f.start, m.start(1) + f.end - len(head)
                if f.rule in _SHAPE_ONLY_RULES and line_of_a_blob(text, start, end):
                    continue  # two lines of a certificate or a MIME body
                found.append(Finding(f.rule, f.kind, start, end))


# --- labels written apart ----------------------------------------------------------------------------------------
#
# A password's or key's label spelled out (`p a s s w o r d :`, `p.w.d`, `비 밀 번 호`), typed as the jamo a Korean
# keyboard gives before they compose (`ㅂㅣㅁㅣㄹㅂㅓㄴㅎㅗ:`), or in Hangul typed on an English layout (`qlalfqjsgh`, the
# keys of 비밀번호). The label is read as the word it spells and the rest of its line (and the next, for a label alone
# on its line) is scanned after it: every rule that reads a value after a label then reads this one too.
_APART_LABELS = ("비밀번호", "비번", "패스워드", "암호", "시크릿", "토큰")


def _typed_forms() -> dict[str, str]:
    """Each written form of the labels above (as the normalised view reads it: NFKC composes part of a jamo run)
    and the label it stands for."""
    from bidradar.masking.normalize import normalise  # normalize imports nothing of this module

    forms = {}
    for label in _APART_LABELS:
        for split in (False, True):
            typed = _jamo(label, split)
            forms[normalise(typed).text] = label
            keys = "".join(_DUBEOLSIK[j] for j in (_jamo(label, True)))
            forms[keys] = label
    return forms


_TYPED_LABELS = _typed_forms()
_SPACED = r"[ \t._-]{1,2}"
_SPACED_WORDS = ("password", "passwd", "pwd", "secret", "token", "apikey")
_SPACED_HANGUL = ("비밀번호", "비번", "패스워드", "암호")
_LABEL_APART = re.compile(
    "(?<![A-Za-z0-9])(?:"
    + "|".join(_SPACED.join(word) for word in _SPACED_WORDS)
    + ")(?![A-Za-z0-9])|"
    + "|".join(r"[ \t]{0,2}".join(word) for word in _SPACED_HANGUL)
    + "|(?<![A-Za-z0-9])(?:"
    + "|".join(re.escape(form) for form in sorted(_TYPED_LABELS, key=len, reverse=True) if form.isascii())
    + ")(?![A-Za-z0-9])|"
    # jamo forms with a space where a word was typed apart (`ㅂㅣㅁㅣㄹ ㅂㅓㄴㅎㅗ`)
    + "|".join(
        "[ \t]?".join(map(re.escape, form))
        for form in sorted(_TYPED_LABELS, key=len, reverse=True)
        if not form.isascii()
    ),
    re.IGNORECASE,
)
# Its gate (RE2, in the candidate pass): the first letters of a spaced word, a Hangul label with a space inside, the
# jamo and key forms.
_LABEL_APART_GATE = (
    r"(?i)(?:p|s|t|a)[ \t._-]{1,2}(?:a|w|e|o|p)[ \t._-]{1,2}(?:s|d|c|k|i)|비[ \t]{1,2}(?:밀|번)|비밀[ \t]{1,2}번[ \t]{0,2}호|"
    r"패[ \t]{1,2}스|스[ \t]{1,2}워|암[ \t]{1,2}호|"
    + "|".join(r"[ \t]?".join(map(re.escape, form)) for form in _TYPED_LABELS)
)
_APART_READ = 400


def _labels_apart(text: str, found: list[Finding]) -> None:
    for tried, m in enumerate(_LABEL_APART.finditer(text)):
        if tried >= _MAX_WRAPPED:
            return  # a megabyte of labels: each reading is a scan of its own
        written = m.group()
        compact = "".join(c for c in written if c not in " \t._-")
        typed = written.replace(" ", "").replace("\t", "")
        label = _TYPED_LABELS.get(typed) or _TYPED_LABELS.get(compact) or compact.lower()
        if label == written:
            continue  # written whole: the rules read it already
        rest = text[m.end() : m.end() + _APART_READ]
        shift = m.end() - len(label)
        for f in scan(label + rest, unwrap=False):
            if f.start >= len(label):
                found.append(Finding(f.rule, f.kind, f.start + shift, f.end + shift))


# --- tables: a password or token column of CSV/TSV --------------------------------------------------------------

_SECRET_HEADER = re.compile(rf"(?i)^[\w.-]{{0,30}}(?:{_PASSWORD_NAMES}|{_KEY_NAMES})[\w.-]{{0,20}}$")
_HEADER_CELL = re.compile(r"^[\w.()/-]{1,40}(?: [\w.()/-]{1,40})?$")  # a column name, not a phrase
_HEADER_WORD = re2.compile(r"(?i)pass|pwd|pw|secret|token|key|비밀|비번|패스워드|암호|인증")


_RULE_ROW = re.compile(r"^[ \t]*[|+]?[ \t]*:?[-=+]{3,}[-=+:| \t]*$")  # `|---|:--|`, `+------+------+`


def _csv_columns(text: str, found: list[Finding]) -> None:
    """In a CSV, TSV, markdown or ASCII table whose header names a password or token column, every cell of that
    column (`| 서버 | 계정 | 비번 |`, `host,user,password`)."""
    if "," not in text and "\t" not in text and "|" not in text:
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
        line = text[line_start:line_end].rstrip("\r")
        counts = {sep: line.count(sep) for sep in (",", "\t", "|")}
        sep = max(counts, key=counts.__getitem__)
        names = [n.strip().strip('"') for n in line.split(sep)]
        if sep == "|":  # the outer pipes' empty ends are no columns
            inner = slice(1, -1) if len(names) >= 3 and names[0] == "" and names[-1] == "" else slice(None)
            heads = names[inner]
        else:
            heads = names
        if len(heads) < 2 or not all(_HEADER_CELL.match(n) for n in heads):
            continue
        columns = [
            i
            for i, n in enumerate(names)
            if n and _SECRET_HEADER.match(n.replace(" ", "_")) and not metadata_name(n.replace(" ", "_"))
        ]
        if not columns:
            continue
        pos = line_end + 1
        for _ in range(10_000):  # the rows up to a blank line or the end
            if pos >= len(text):
                break
            end = text.find("\n", pos)
            end = len(text) if end == -1 else end
            row = text[pos:end]
            if sep == "|" and _RULE_ROW.match(row):
                pos = end + 1  # a markdown or ASCII table's rule under (or between) its rows
                continue
            if not row.strip() or row.count(sep) != len(names) - 1:
                break
            cells, offset = row.split(sep), pos
            for i, cell in enumerate(cells):
                value = cell.strip().strip('"')
                # a markdown cell may hold prose (`8자 이상`): one word there, judged as after a name
                ok = _check_password(value) if sep != "|" else " " not in value and _check_assigned_password(value)
                if i in columns and value and ok:
                    start = offset + cell.index(value)
                    found.append(Finding("bidradar-csv-secret-column", CREDENTIAL, start, start + len(value)))
                offset += len(cell) + 1
            pos = end + 1


# --- code: a password as a literal argument of a call about a login ------------------------------------------------
#
# `req.SetBasicAuth("admin", "X")`, `Credentials.basic(u, "X")`, `new PasswordAuthentication(u, "X")`,
# `transport.connect(host, u, "X")`, `curl_setopt($ch, CURLOPT_USERPWD, "u:X")`, `btoa('u:X')`: each library has its
# own call, so the call's name (or an argument before the literal: `CURLOPT_USERPWD`) saying login, auth, password,
# credential, basic, secret, connect or bind is the class, and the literal's mixed shape (`_mixed_password`) the
# value; `login(request, user)`, `SetBasicAuth(user, pass)` and `getpass("Password: ")` have none.
# Gated: "catalogue:call_args".
_CALL_WORDS = r"auth|login|logon|sign_?in|passw|pwd|credential|basic|secret|connect|bind|redis|btoa|b64encode|base64"
_CALL_ARGS_GATE = rf"(?i)(?:{_CALL_WORDS})\w*\s*\(|[(,]\s*[\w.$:>\\-]*(?:{_CALL_WORDS})\w*\s*,"
_CALL_HEAD = re.compile(_CALL_ARGS_GATE)
_CALL_LITERAL = re.compile(r"""(?:"([^"\\\n]{6,200})"|'([^'\\\n]{6,200})'|`([^`\\\n]{6,200})`)""")
_USER_COLON = re.compile(r"[\w.@\\-]{1,64}:")
_CALL_READ = 600  # characters of arguments read after a head (a builder call over a few lines)


def _call_arguments(text: str, found: list[Finding]) -> None:
    for head in _CALL_HEAD.finditer(text):
        pos, depth, limit = head.end(), 0, min(len(text), head.end() + _CALL_READ)
        while pos < limit:  # to the `)` that closes this argument list, literals skipped whole
            c = text[pos]
            if c in "\"'`":
                close = text.find(c, pos + 1, limit)
                if close == -1:
                    break
                literal = _CALL_LITERAL.match(text, pos, close + 1)
                if literal is not None:
                    start = literal.start(literal.lastindex or 1)
                    value = text[start:close]
                    user = _USER_COLON.match(value)
                    if user is not None and user.end() < len(value):  # `user:password` (Basic auth's form)
                        start, value = start + user.end(), value[user.end() :]
                    if _mixed_password(value) and not _PLAIN_WORD.fullmatch(value):
                        found.append(Finding("bidradar-call-argument-password", CREDENTIAL, start, close))
                pos = close + 1
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif c in ";{}":
                break
            pos += 1


# --- private key blocks ------------------------------------------------------------------------------------------

_BEGIN_KEY = re.compile(r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d+:")
_END_KEY = re.compile(r"-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|Private-MAC:\s*[0-9a-fA-F]+")
# A truncated key ends where the base64 body ends (headers such as Proc-Type and DEK-Info included).
_KEY_BODY = re.compile(r"(?:[A-Za-z0-9+/=\s:,.-]|\\[nr])*")
_MAX_KEY_CHARS = 64_000


def _private_keys(text: str, found: list[Finding]) -> None:
    if "PRIVATE KEY" not in text and "PuTTY-User-Key" not in text:
        return
    starts = list(_BEGIN_KEY.finditer(text))
    for i, m in enumerate(starts):
        # A block ends at its END line, never past the next block's BEGIN (a truncated key is its own block).
        limit = min(m.end() + _MAX_KEY_CHARS, starts[i + 1].start() if i + 1 < len(starts) else len(text))
        end_marker = _END_KEY.search(text, m.end(), limit)
        if end_marker is not None:
            end = end_marker.end()
        else:
            body = _KEY_BODY.match(text, m.end(), limit)
            end = body.end() if body is not None else m.end()
            while end > m.end() and text[end - 1] in " \t\r\n":  # the line break after the body is not the key's
                end -= 1
        found.append(Finding("bidradar-private-key-block", PRIVATE_KEY, m.start(), end))


# --- private key bodies without their BEGIN line ----------------------------------------------------------------
#
# A key pasted without its `-----BEGIN` line (a chat quote, a JSON field, a YAML block scalar) is still a key. Its
# base64 body starts with the DER or packet header of a private key, which no certificate, public key or ordinary
# blob starts with: PKCS#1/PKCS#8/SEC1 begin with a SEQUENCE and the INTEGER version 0 or 1 (`MIIEowIBAAK…`,
# `MIIEvQIBADAN…`, `MIGHAgEAMBMG…`, `MHcCAQEE…`, `MC4CAQAw…`; a certificate's `MIIxxxCCA…` and a public key's
# `MIIBIjAN…` have no version integer there); OpenSSH's is `openssh-key-v1` (`b3BlbnNzaC1rZXktdjE`); a PGP secret
# key packet (tag 5, old or new format) holds version 4 right after its length (`lQOYB…`, `lFgE…`, `xVgE…`); an
# encrypted PKCS#8 key names its PKCS#5 scheme right after its first length (`MIIFNTBfBgkqhkiG9w0BBQ0w…`).
# The body runs on over wrapped lines (64, 70 or 76 characters, indented, quoted, `\n` in JSON: the view has
# decoded those) up to the first line that is not base64.
_KEY_BODY_START = (
    r"(?:MII[A-Za-z0-9+/]{3}IBA[A-Dz]|MI[GH][A-Za-z0-9+/]AgE[AB]|M[A-H][A-Za-z0-9+/]CAQ[AE]"
    r"|b3BlbnNzaC1rZXktdjE|lQ[A-Za-z0-9+/]{2}B|l[A-P][A-Za-z0-9+/]E|x[Q-f][A-Za-z0-9+/]E|x[cd][A-Za-z0-9+/]{2}B"
    r"|MII[A-Za-z0-9+/]{5}BgkqhkiG9w0BBQ|MI[GH][A-Za-z0-9+/]MF[A-Za-z0-9+/]GCSqGSIb3DQEF)"
)
_KEY_BODY_HEAD = re.compile(rf"(?<![A-Za-z0-9+/]){_KEY_BODY_START}[A-Za-z0-9+/]*={{0,2}}", re.ASCII)
# The next wrapped line: a line break, indentation, an optional quote or `+ "` of code, base64.
_KEY_BODY_LINE = re.compile(r"""["',]{0,2}[ \t]*\r?\n[ \t>|"'+]{0,12}([A-Za-z0-9+/]{4,}={0,2})""", re.ASCII)
_PGP_START = ("l", "x")
_MIN_KEY_BODY = {"b": 40, "M": 60}  # base64 characters; PGP bodies need more (their prefixes are shorter)


def _inside_a_block(text: str, start: int) -> bool:
    """`start` begins a line (after its indentation) right below a line of 48 or more base64 characters."""
    line_start = text.rfind("\n", max(0, start - 20), start) + 1  # indentation and a quote, no more
    if line_start == 0 or text[line_start:start].strip(" \t>|\"'+"):
        return False
    return _line_above_is_blob(text, line_start)


def _headerless_keys(text: str, found: list[Finding]) -> None:  # gated: "catalogue:key_body" (_KEY_BODY_START)
    for m in _KEY_BODY_HEAD.finditer(text):
        if _inside_a_block(text, m.start()):
            continue  # a line of a certificate or a public key that starts like a key's header by chance
        end, size = m.end(), m.end() - m.start()
        while text[end - 1 : end] != "=":  # padding ends the body
            line = _KEY_BODY_LINE.match(text, end)
            if line is None:
                break
            end, size = line.end(), size + len(line.group(1))
        if size >= _MIN_KEY_BODY.get(m.group()[0], 200):
            found.append(Finding("bidradar-private-key-body", PRIVATE_KEY, m.start(), end))


# --- the middle lines of a private key's body ---------------------------------------------------------------------
#
# Lines cut out of a key's body (stop 36: `키 중간 부분만 붙여요:` and five lines of 64 base64 characters) have neither
# its header nor its DER start. Every 64-character line starts on a whole base64 quantum, so three or more such
# lines decode to the key's own bytes. An RSA key's are big INTEGERs one after another (n, e, d, p, q, dp, dq, qinv),
# each announced by `02` and a length of 64 bytes or more. Two such headers, the public exponent followed by one
# (`02 03 01 00 01 02 82 …`), or one header among random bytes with no structure say a private key. A certificate
# holds one big INTEGER (its modulus) and its OIDs, names and times are around it; a public key's body starts with
# its SEQUENCE and the modulus (PKCS#1) or an OID (SPKI) and ends with the exponent. Lines from inside one of a key's
# numbers are random bytes like a certificate's modulus or signature: those are not read (measured on generated
# RSA 1024-4096 keys and certificates: every window of 3-5 lines of a certificate stays; of a key's, those with a
# header are found).
_KEY_LINES_GATE = (
    r"(?m)^[ \t>\"']*[A-Za-z0-9+/]{64}[\"',]?\r?\n[ \t>\"']*[A-Za-z0-9+/]{64}[\"',]?\r?\n[ \t>\"']*[A-Za-z0-9+/]{64}"
)
_KEY_LINE = re.compile(r"^[ \t>\"']*([A-Za-z0-9+/]{64})[\"',]?[ \t]*\r?$", re.MULTILINE | re.ASCII)
# DER headers of a positive INTEGER of an RSA key's sizes (a half or a whole of 512-4096 bits, give or take a byte:
# d, dp, dq and qinv may be shorter), minimal: a leading 00 only before a byte with its high bit set.
_BIG_INTEGER_HEAD = (
    rb"\x02(?:[\x3f-\x41\x7f]|\x81[\x80\x81\xbf-\xc1\xff]|\x82\x01[\x00\x01\x7f-\x81\xff]|\x82\x02[\x00\x01])"
    rb"(?:\x00[\x80-\xff]|[\x01-\x7f])"
)
_BIG_INTEGER = re.compile(_BIG_INTEGER_HEAD)
_EXPONENT = b"\x02\x03\x01\x00\x01"
_EXPONENT_THEN_INTEGER = re.compile(re.escape(_EXPONENT) + rb"\x02(?:[\x30-\x7f]|\x81[\x80-\xff]|\x82[\x01-\x04])")
_PKCS1_PUBLIC_START = re.compile(rb"\x30(?:\x82..|\x81.)\x02[\x81\x82]", re.DOTALL)  # PKCS#1: SEQUENCE, then n
# What structured DER and text hold: an OID's tag and length, a UTCTime or GeneralizedTime, twelve printable bytes
# (eight are in one of 170 windows of random bytes).
# A public key's BIT STRING around its key (SubjectPublicKeyInfo, a DSA or DH key's y) and an RSA public key's
# SEQUENCE right before its modulus (a private key has its version between) are structure too.
_STRUCTURE = re.compile(
    rb"\x06[\x03-\x0b][\x2a\x2b\x55\x60]|[\x17\x18][\x0d\x0f][0-9]{6}|[A-Za-z0-9 .@:/-]{12}"
    rb"|\x03(?:\x81.|\x82..)\x00[\x02\x30]|\x30(?:\x81.|\x82..)\x02[\x81\x82]",
    re.DOTALL,
)
# A block's armour or header lines above the run: the block's own rules judge it (a BEGIN line of a public key, a
# certificate or a private key; Proc-Type and DEK-Info of an encrypted one).
_ARMOUR_ABOVE = re.compile(
    r"(?:-----BEGIN [^\n]{1,80}-----|Proc-Type:[^\n]*|DEK-Info:[^\n]*|Comment:[^\n]*)[ \t]*\r?\n[ \t\r\n]*\Z"
)
# The line after the run, when it is the block's last (shorter) line: a public key ends with its exponent there.
_LAST_KEY_LINE = re.compile(r"\r?\n[ \t>\"']*([A-Za-z0-9+/]{4,63}={0,2})[\"',]?[ \t]*\r?(?:\n|$)", re.ASCII)


def _key_middle_lines(text: str, found: list[Finding]) -> None:  # gated: "catalogue:key_lines"
    run: list[re.Match[str]] = []
    for m in (*_KEY_LINE.finditer(text), None):
        if m is not None and run and text.count("\n", run[-1].end(), m.start()) == 1:
            run.append(m)
            continue
        if len(run) >= 3 and _private_key_lines(text, run):
            found.append(Finding("bidradar-private-key-lines", PRIVATE_KEY, run[0].start(1), run[-1].end(1)))
        run = [m] if m is not None else []


def _private_key_lines(text: str, run: list[re.Match[str]]) -> bool:
    if _ARMOUR_ABOVE.search(text, max(0, run[0].start() - 200), run[0].start()) is not None:
        return False
    body = "".join(line.group(1) for line in run)
    raw = base64.b64decode(body)
    if _EXPONENT_THEN_INTEGER.search(raw) is not None:
        return True
    # one header, away from the very start (a public key's modulus may start there) and not a short form alone
    # (`02 40 7b` is three bytes: random data holds one in a hundred windows), or two
    heads = [m for m in _BIG_INTEGER.finditer(raw) if m.start() >= 4]
    headers = len(heads) if len(heads) >= 2 or any(m.group()[1] in (0x81, 0x82) for m in heads) else 0
    if headers == 0 or _STRUCTURE.search(raw) is not None or _PKCS1_PUBLIC_START.match(raw) or raw.endswith(_EXPONENT):
        return False
    last = _LAST_KEY_LINE.match(text, run[-1].end())
    if last is not None:
        with contextlib.suppress(ValueError):
            tail = last.group(1)
            if base64.b64decode(body + tail + "=" * (-len(tail) % 4)).endswith(_EXPONENT):
                return False  # a public key's modulus: its exponent ends the block
    return True


# --- passwords in prose ------------------------------------------------------------------------------------------
#
# People write a password after a label without an assignment: `비밀번호는 다음과 같다: X`, `암호 X 로 로그인하세요`,
# `wifi 비번 → X`, `the password is X`, `PW X`, `ssh 접속: root / X`. The label alone decides nothing (prose is full
# of `비밀번호는 주기적으로 변경하세요`, `password is required`, `암호화 방식은 AES-256`), so each ASCII word within a
# short window after it is judged by its shape: a password mixes letters with digits or symbols and is no word,
# number, date, version, algorithm name, path, URL or placeholder. Strong labels name the password itself
# (비밀번호, 비번, 패스워드, 암호, password, passwd, pwd, pw); weak labels name a login (접속, 로그인, 계정, login,
# credentials, ssh, wifi, pass) and take only a word of a password's strong shape, or the word after `user /`.
# Gated: one of these words is in the text ("catalogue:prose" of the candidate pass).
_PROSE_GATE_PATTERN = (
    r"(?i)pass|p/?w|pin|psk|wpa|key|secret|token|cred|auth|community|비밀|비번|패스|암호|접속|log[ _-]?in|로그인|계정|"
    r"wi-?fi|와이파이|키|시크릿|토큰|인증|kennw|contrase|senha|пароль|パスワ[ー-]ド|暗証|密码|密碼|口令|khẩu|hasło|"
    r"wachtwoord|lösenord|şifre|キ[ー-]|ト[ー-]クン|シ[ー-]クレット|秘钥|密钥|令牌|clave|schlüssel|clé|ключ|токен"
    rf"|{_PASSWORD_TYPOS}|{_KOREAN_TYPOS}"
)
_STRONG_LABEL = (
    rf"passw(?:or)?ds?|{_PASSWORD_TYPOS}s?|{_KOREAN_TYPOS}|"
    r"pass\s?(?:word|phrase)s?|passphrase|pwd|pw|p/w|비밀\s?번호|비번|패스워드|암호|"
    r"pin(?:\s?(?:code|번호))?|psk|wpa\d?(?:[ _-]?key)?|pre-?shared[ _-]?key|community(?:[ _-]?string)?|"
    + _FOREIGN_PASSWORD_NAMES
)
_WEAK_LABEL = r"pass(?:code)?|패스|접속(?:\s?정보)?|로그인(?:\s?정보)?|계정(?:\s?정보)?|log[ _-]?in|creds?|credentials?|ssh|wi-?fi|와이파이"
# Names of API keys and tokens as the consoles show them (API 키, 앱 키, 클라이언트 시크릿, SECRET_KEY, access_token):
# the value must look random (`_check_keyed`) and be 16 characters or more.
_KEY_LABEL = (
    r"(?:[A-Za-z0-9_-]{1,24}[ _.-])?(?:api[ _.-]?key|apikey|secret(?:[ _.-]?key)?|access[ _.-]?token|refresh[ _.-]?token|"
    r"token|private[ _.-]?key|auth(?:[ _.-]?(?:key|token))?|client[ _.-]?secret|key|"
    r"(?:api|앱|app|admin|어드민|rest\s?api|javascript|native\s?app|개인|암호|마스터|인증|서비스|비밀|클라이언트|"
    r"암호화|aes|서명|hmac)?\s?(?:키|시크릿(?:\s?키)?|토큰)|인증|" + _FOREIGN_KEY_NAMES + ")"
)
# One RE2 pass finds the labels (a Python alternation would be tried at every position of every prompt); the
# boundaries it cannot express are checked in `_label_ok`.
# Bytes of the UTF-8 text, like the catalogue's rules: the str API re-counts characters for every match.
_PROSE_LABEL = re2.compile(rf"(?i)({_STRONG_LABEL})|({_WEAK_LABEL})|({_KEY_LABEL})".encode())
_CRYPTO_WORD = "암호".encode()
_SECRET_NAME = re2.compile(
    r"(?i)secret|token|api|private|auth|access|encrypt|master|signing|session|hmac|aes|"
    r"암호|비밀|인증|시크릿|토큰|개인|서명|마스터|キ[ー-]|ト[ー-]クン|秘钥|密钥|令牌|schlüssel|clé|clave|ключ|токен".encode()
)
_PROSE_WINDOW = 64


@lru_cache(maxsize=1024)
def _names_a_secret(key_label: bytes) -> bool:  # labels repeat (token, secret, API 키): one RE2 call per distinct one
    return _SECRET_NAME.search(key_label) is not None


# Words end at spaces, quotes, commas, semicolons, angle brackets and non-ASCII characters (`"value":"X"`, `<td>X</td>`,
# `('admin', 'X')`, `→X`); brackets inside a word stay (`Tr0ub(4)dor!`) and are stripped at its ends.
# Jamo belong to a word too: a value typed with the Korean IME on (`ㅂㅈㄷㄱ1234!!` is `qwer1234!!`; the normalised view
# holds them as conjoining jamo) is judged by the keys that typed it (`_typed_keys`).
_ASCII_WORD = re.compile(r"[^\s\"'`,;<>\x80-\u10ff\u1200-\u3130\u318f-\U0010ffff]+")
_WRAPPERS = "\"'`()[]{}<>|"
_TRAILING = ",;.:"
_CDATA = "![CDATA["
_USER_SLASH = re.compile(r"[A-Za-z0-9_.@-]{1,32}[ \t]*[/:][ \t]*\Z")
# The word before a label (`X ← 이게 새 비번`, `X (DB 비번)`, `use X as the admin password`, `X is the new staging DB
# password`): a link (an arrow, a bracket, 이게; group 2 for `as`, `is`, `was`, `for`, which link whatever follows the
# label) and up to four words between (the, new, admin, 관리자, 새).
_WORD_BEFORE = re.compile(
    r"([^\s\"'`,;<>\x80-\U0010ffff]{6,128})[ \t]{0,3}(?:[(\[]|←|<-|<=|=|:|(이게|이건|이거)|이|((?i:as|is|was|for)[ \t]))?"
    r"[ \t]{0,3}(?:[A-Za-z가-힣]{1,10}[ \t]{1,2}){0,3}(?:[A-Za-z가-힣]{1,10}[ \t]?)?\Z"  # words apart: no backtracking
)
_LINK_BEFORE = re.compile(r"[ \t](?i:as|is|was|for)[ \t]|이게|이건|이거")
_BEFORE_READ = 64


# Words a password never is: technical names with digits (algorithms, encodings, protocols, versions, units),
# numbers, dates, identifiers, character classes, paths, URLs, addresses, calls, public keys. RE2: linear in the word.
_NOT_A_PASSWORD_PARTS = (
    r"(?:aes|aria|seed|lea|sha|md|rsa|dsa|ecdsa|ecdh|hmac|des|3des|tls|ssl|ssh|pbkdf|bcrypt|scrypt|argon|crc|utf|ucs|"
    r"base|ipv|http|https|sftp|ftp|smtp|iso|rfc|cve|ks|kcmvp|fips|nist|pkcs|pgp|gpg|python|java|node|php|win|windows|"
    r"ubuntu|centos|rhel|debian|mysql|postgres|oracle|ec|version|chacha|poly|gcm|cbc|ctr|ecb|totp|hotp|otp|oauth|saml|"
    r"jwt|curve|secp|sect|prime)[-_./]?[0-9][\w./+:=-]*",
    r"(?:hs|rs|es|ps)(?:256|384|512)|ed(?:25519|448)|x509|p-?(?:256|384|521)|[0-9]fa",
    r"v?[0-9]+(?:[._][0-9]+)+[a-z]?",  # versions, decimals
    r"[0-9]+(?:bit|bits|byte|bytes|b|kb|mb|gb|ms|s|m|h|d|px|%)",  # quantities
    r"[a-z_]{1,16}=[0-9]+(?:[.,][0-9]+)*[a-z%]{0,3}",  # a parameter's number (Argon2's m=65536, t=3)
    r"[0-9~.,/:+%-]*[~.,/:+%-][0-9~.,/:+%-]*",  # ranges, dates, times, ratios
    r"[A-Z]{2,10}(?:-[0-9A-Z]+)+",  # identifiers (CVE-2024-3094, ISO-27001, KS-X-1026): case-sensitive below
    r".*[A-Za-z0-9]-[A-Za-z0-9](?:[A-Za-z0-9]-[A-Za-z0-9])+.*",  # character classes (a-zA-Z0-9)
    r"(?:/|~/|\./|\.\./).*",  # paths
    r".*(?:://|\\).*",  # URLs, Windows paths
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # user@host, e-mail addresses (their own detectors)
    r".*\(\)?",  # calls: hash_password(), bcrypt.hashpw()
    r"(?:name|id|class|for|type|autocomplete|placeholder|maxlength|minlength|pattern|field|param|column|label|"
    r"(?:aria|data)-[\w-]+)=.*",  # a form field's attributes (`비밀번호 입력 필드 name=userPw`)
    _PUBLIC_KEY_START + r"[A-Za-z0-9+/=]*",  # public keys and certificates (ssh-rsa AAAAB3..., MIIBIjAN...)
)
_NOT_A_PASSWORD = re2.compile(
    "^(?:"
    + "|".join(
        part if part.startswith(("[A-Z]{2,10}", "(?:AAAA")) else f"(?i:{part})" for part in _NOT_A_PASSWORD_PARTS
    )
    + ")$"
)
# A Hangul syllable right after a number that is not a particle (PIN 482913으로, 1234입니다 stay PINs).
_UNIT_AFTER = re.compile(r"[가-힣](?<![로으이입을를은는야에예라])")
_STRONG_SYMBOL = re.compile(r"[^A-Za-z0-9\-_./:]")


def _password_shaped(word: str, strong: bool) -> bool:
    """Whether `word` (ASCII, no spaces) looks like a password rather than a word, number or technical name."""
    if len(word) > 128 or _NOT_A_PASSWORD.search(word) or not _check_password(word) or public_der(word):
        return False
    lower = any(c.islower() for c in word)
    upper = any(c.isupper() for c in word)
    digit = any(c.isdigit() for c in word)
    symbol = _STRONG_SYMBOL.search(word) is not None
    letter = lower or upper
    if word.isdigit():  # a PIN (the caller has checked that no unit follows: 90일, 2024년)
        return strong and 4 <= len(word) <= 12 and not (len(word) == 4 and word[:2] in ("19", "20"))
    if len(word) < 6:
        return False
    if symbol and letter and (digit or (lower and upper)):
        return True  # Tr0ub4dor&3xq!, P@ssword, hello!World
    if lower and upper and digit:
        return True  # Xk9mPq2z
    # letters and digits only, one case: hunter2, password1, 7kq2zx9a, ABC123XY (not a name with a version: sha256
    # above); a word of a password's shape in a version's place (release2) is the price of `비번 hunter2`
    return strong and digit and letter and not any(c in "-_./:" for c in word)


# An argument that ends its line (`auth=(user, password))`), not `(login, password) VALUES ('admin', 'X')`.
_ARGUMENT_BEFORE = re.compile(r",\s?\Z")
_ENDS_LINE = re.compile(r"[,)\]]+[ \t;:]*(?:\r?\n|\Z)")


def _label_ok(text: str, strong_word: bytes | None, keyed: bool, start: int, end: int) -> bool:
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if (before.isascii() and (before.isalnum() or before == "_")) or (
        after.isascii() and (after.isalnum() or after == "_")
    ):
        return False  # inside a word: keyboard, monkey, bypass
    # a label on a line of a base64 block has only base64 characters or the line's ends around it (alnum is out)
    if before in "+/\r\n" and after in "+/=\r\n" and text[start].isascii() and on_a_line_of_a_block(text, start):
        return False  # `PASS+6ZT…AgMBAAE=`: letters of a public key's line, not a label
    if keyed and (
        ("가" <= text[start] <= "힣" and "가" <= before <= "힣")  # 공개키, 자동차키: a key label starts its word
        or ("가" <= text[end - 1] <= "힣" and "가" <= after <= "힣" and after not in "은는이가을를로도요")  # 인증서
    ):
        return False
    if text[start].isascii() and (
        after == "("  # a call: password(...)
        or (before == "." and start >= 2 and text[start - 2].isalnum())  # an attribute: cfg.password
        or (_ARGUMENT_BEFORE.search(text, max(0, start - 2), start) and _ENDS_LINE.match(text, end))
    ):
        return False  # a name in code, not a label
    return not (strong_word == _CRYPTO_WORD and after in "화문학")  # 암호화, 암호문, 암호학: encryption, not a password


# After a label that ends its clause (`X (DB 비밀번호)`, `X ← 비번`, `X 이게 API 키`), the value is the word before it.
_CLAUSE_END = re.compile(
    r"[ \t]{0,3}[)\]」』】]?[ \t]{0,3}(?:$|[.!?,]|이다|입니다|이에요|예요|요\b|(?:으로|로)\b)", re.MULTILINE
)


def _prose_passwords(text: str, found: list[Finding], data: bytes, offsets: _CharOffsets) -> None:
    judged: set[tuple[int, int]] = set()  # words already masked (overlapping label windows judge them once)
    for label in _PROSE_LABEL.finditer(data):
        # One groups() and one span() per label: each group() of the RE2 wrapper is a few Python calls (a
        # megabyte of labels is 333,000 of them).
        strong_word, _, key_word = label.groups()
        label_start, label_end = (offsets.char(offset) for offset in label.span())
        strong, keyed = strong_word is not None, key_word is not None
        if not _label_ok(text, strong_word, keyed, label_start, label_end):
            continue
        # hex after `cache_key`, `sort key`: a hash the product uses; after a secret's name it is the secret
        hex_ok = keyed and _names_a_secret(key_word)
        short_ok = keyed and _names_a_short_secret(key_word)  # 시크릿, client secret: 10-character secrets exist
        # after a Korean or foreign label or an abbreviation (비번, パスワ[ー-]ド, pw), a letters-only word is a password
        # too (`pw letmein`); after `password` it is as often a word (`password required`)
        korean = strong and (not text[label_start].isascii() or text[label_start:label_end].lower() in _SHORT_LABELS)
        for index, (word_start, word) in enumerate(_words_after(text, label_end)):
            if (word_start, len(word)) in judged:
                continue
            secret = _prose_secret(word, strong, keyed, hex_ok, short_ok) or (
                korean and index == 0 and _word_password(text, label_end, word_start, word)
            )
            if not (secret or strong or keyed):  # after a login label: the word after `user /` is a password
                user = _USER_SLASH.search(text, max(0, word_start - 34), word_start)
                secret = user is not None and _prose_secret(word, True, keyed, hex_ok)
            if secret and not (
                word.isdigit() and _UNIT_AFTER.match(text, word_start + len(word))  # 90일, 2024년: a quantity
            ):
                judged.add((word_start, len(word)))
                found.append(Finding("bidradar-prose-password", CREDENTIAL, word_start, word_start + len(word)))
        # the cheap tests first, here: most labels end no clause and have no link before them (a megabyte of them)
        clause_end = _CLAUSE_END.match(text, label_end) is not None
        if clause_end or (
            (strong or keyed) and _LINK_BEFORE.search(text, max(0, label_start - _BEFORE_READ), label_start)
        ):
            _word_before(text, found, label_start, label_end, strong or keyed, keyed, hex_ok, clause_end)


def _word_before(
    text: str,
    found: list[Finding],
    label_start: int,
    label_end: int,
    named: bool,
    keyed: bool,
    hex_ok: bool,
    clause_end: bool,
) -> None:
    """The value before its label: the label ends its clause, or a link (`as`, `is`, 이게) says what the word is.
    After a login label (계정, login) only the word after `user /` (`admin / X (관리자 계정)`)."""
    line_start = text.rfind("\n", max(0, label_start - _BEFORE_READ), label_start) + 1
    before = _WORD_BEFORE.search(text, max(line_start, label_start - _BEFORE_READ), label_start)
    if before is None or not (clause_end or before.group(2) or before.group(3)):
        return
    word = before.group(1).strip(_WRAPPERS)
    at = before.start(1) + before.group(1).index(word)
    if not named and (before.group(3) or _USER_SLASH.search(text, max(0, at - 34), at) is None):
        return
    if _prose_secret(word, False, keyed, hex_ok):
        found.append(Finding("bidradar-prose-password", CREDENTIAL, at, at + len(word)))


# Korean prose puts no English word right after 비번/암호/비밀번호 except a few technical ones: the first ASCII word
# there, in lower case letters only, is the password (`비번 letmein`, `암호 dlwlrma`: Hangul typed on an English
# keyboard), when nothing but spaces, an arrow or `:` stands between and no letter or Hangul word follows it.
_TECH_WORDS = frozenset(
    [
        "reset",
        "policy",
        "hash",
        "hashing",
        "field",
        "input",
        "manager",
        "change",
        "update",
        "check",
        "rule",
        "rules",
        "form",
        "login",
        "logout",
        "admin",
        "user",
        "type",
        "length",
        "error",
        "expired",
        "expire",
        "required",
        "salt",
        "salted",
        "encryption",
        "encrypted",
        "plain",
        "plaintext",
        "text",
        "string",
        "null",
        "none",
        "empty",
        "default",
        "random",
        "match",
        "mismatch",
        "confirm",
        "confirmation",
        "recovery",
        "recover",
        "find",
        "lookup",
        "api",
        "key",
        "token",
        "secret",
        "rotation",
        "lock",
        "locked",
        "unlock",
        "strength",
        "strong",
        "weak",
        "valid",
        "invalid",
        "option",
        "options",
        "setting",
        "settings",
        "page",
        "screen",
        "button",
        "popup",
        "modal",
        "value",
        "values",
        "file",
        "files",
        "list",
        "table",
        "column",
        "db",
        "database",
        "server",
        "admin",
        "root",
        "guest",
        "test",
        "demo",
        "sample",
    ]
)
_JUST_AFTER_LABEL = re.compile(r"[ \t]*(?:[:=>→⇒-]{1,2}[ \t]*|은[ \t]+|는[ \t]+)?[\"'“‘(]?\Z")
_WORD_ENDS_CLAUSE = re.compile(r"[\"'”’)]?[ \t]*(?:$|[.!,?]|[로으이입야예요임]|\(|\n)", re.MULTILINE)


_SHORT_LABELS = frozenset(["pw", "pwd", "passwd", "p/w"])


def _word_password(text: str, label_end: int, word_start: int, word: str) -> bool:
    if not (4 <= len(word) <= 20 and word.isalpha() and word.islower() and word.isascii()) or word in _TECH_WORDS:
        return False
    if _JUST_AFTER_LABEL.match(text[label_end:word_start]) is None:
        return False
    return _WORD_ENDS_CLAUSE.match(text, word_start + len(word)) is not None


_KEY_OF_JAMO = {form: key for jamo, key in _DUBEOLSIK.items() for form in (jamo, unicodedata.normalize("NFKC", jamo))}


def _typed_keys(word: str) -> str | None:
    """The keys that typed a word with jamo in it on the dubeolsik layout; None for other non-ASCII characters."""
    keys = [_KEY_OF_JAMO.get(c, c if c.isascii() else None) for c in word]
    return None if None in keys else "".join(keys)  # type: ignore[arg-type]


@lru_cache(maxsize=4096)
def _prose_secret(word: str, strong: bool, keyed: bool, hex_ok: bool = False, short_ok: bool = False) -> bool:
    if not word.isascii():  # jamo in it: a value typed with the Korean IME on, judged by its keys
        keys = _typed_keys(word)
        return keys is not None and not keyed and _password_shaped(keys, strong)
    if keyed:
        if short_ok and _short_secret_shaped(word):
            return True
        return _key_shaped(word) and (hex_ok or _HEX_ONLY.match(word) is None)
    return _password_shaped(word, strong)


# A secret's own label (not any key's): Naver's client secret is 10 characters, shorter than `_key_shaped` wants.
_SHORT_SECRET_LABEL = re2.compile(r"(?i)secret|시크릿|シ[ー-]クレット".encode())
_ALNUM = re.compile(r"[A-Za-z0-9]+")


@lru_cache(maxsize=1024)
def _names_a_short_secret(key_label: bytes) -> bool:
    return _SHORT_SECRET_LABEL.search(key_label) is not None


def _short_secret_shaped(word: str) -> bool:
    """A short random secret (8-15 letters and digits, both cases): `AbC12dEf3G`, `gdcFXaHdOg`."""
    if not 8 <= len(word) < 16 or _ALNUM.fullmatch(word) is None or word.islower() or word.isupper():
        return False
    return (any(c.isdigit() for c in word) and not word.isdigit() and _NOT_A_PASSWORD.search(word) is None) or (
        _random_letters(word)
    )


_VOWELS = frozenset("aeiouAEIOU")


def _random_letters(value: str) -> bool:
    """Letters only, both cases, and not words in CamelCase (`MyAppSecret`, `HTTPServer`): a part of three or
    more letters without a vowel (`gdc`, `Qzy`) or three parts of one or two letters say random."""
    if not (8 <= len(value) <= 64 and value.isascii() and value.isalpha()) or value.islower() or value.isupper():
        return False
    parts = _NAME_PART.findall(value)
    if any(len(part) >= 3 and not part.isupper() and _VOWELS.isdisjoint(part) for part in parts):
        return True
    return sum(len(part) <= 2 for part in parts) >= 3


# A name, path or host after `key:` (`node-role.kubernetes.io/control-plane`, `uploads/2024/12/07/x.pdf`,
# `notice:R25BK00123456:000`): a segment of four or more lowercase letters, or a file extension; and placeholders.
_NAMED_SEGMENT = re.compile(r"(?:^|[/.:_-])[a-z]{4,}(?:$|[/.:_-])|\.[a-z]{2,4}$|\.\.\.|…|[xX*]{4,}")


def _key_shaped(word: str) -> bool:
    """A key or token after its label: 16-512 characters, letters and digits (random base64, hex, %-escapes)."""
    if not 16 <= len(word) <= 512 or _NAMED_SEGMENT.search(word) is not None:
        return False
    if not (any(c.isdigit() for c in word) and any(c.isalpha() for c in word)):
        return False
    return _check_keyed(word) and _NOT_A_PASSWORD.search(word) is None and not public_der(word)


# How a value is written, not a value (`DB 비번(base64)` then the value on the next line).
_FORMAT_WORDS = frozenset(["base64", "b64", "base-64", "base64-encoded", "encoded", "hex", "utf-8", "utf8"])


def _words_after(text: str, start: int) -> list[tuple[int, str]]:
    """The ASCII words within a short window after a label, on its line; when the rest of the line holds none
    (`비밀번호는 아래와 같습니다.`, a label alone on its line), on the next non-blank line."""
    limit = min(len(text), start + _LINE_READ)  # bounded: a megabyte on one line is read in pieces, not per label
    line_end = text.find("\n", start, limit)
    line_end = limit if line_end == -1 else line_end
    while start < line_end and text[start] in " \t":
        start += 1
    words = _words_in(text, start, min(line_end, start + _PROSE_WINDOW), line_end)
    if (
        any(any(c.isalnum() for c in word) and word.lower() not in _FORMAT_WORDS for _, word in words)
        or line_end == len(text)
        or text[line_end] != "\n"
    ):
        return words
    following, end = _next_line(text, line_end)
    words = _words_in(text, following, min(end, following + _PROSE_WINDOW), end)
    if _ID_LINE.match(text, following, end) is not None and end < len(text) and text[end] == "\n":
        # `로그인 정보`, then `아이디: admin`, then the password on a line of its own (s37)
        following, end = _next_line(text, end)
        words += _words_in(text, following, min(end, following + _PROSE_WINDOW), end)
    return words


def _next_line(text: str, line_end: int) -> tuple[int, int]:
    """The start and end of the next non-blank line after the line break at `line_end` (at most two blank lines
    between; past a chat export's header line)."""
    following = line_end + 1
    for _ in range(2):  # at most one blank line between
        if text[following : following + 1] not in ("\n", "\r"):
            break
        following += 1 if text[following] == "\n" else 2
    header = CHAT_HEADER_LINE.match(text, following, min(len(text), following + 80))
    if header is not None:
        following = header.end()  # `pw 알려드려요`, then Slack's `jihoon.park  10:12 AM` line, then the password
    limit = min(len(text), following + _LINE_READ)
    end = text.find("\n", following, limit)
    return following, limit if end == -1 else end


# A line that gives the user of a login (`아이디: admin`, `ID: deploy`, `username: ops-bot`): its password may follow
# on a line of its own, without a label.
_ID_LINE = re.compile(
    r"[ \t]*(?i:아이디|id|user(?:[ _]?(?:name|id))?|login(?:[ _]?id)?|사용자(?:[ \t]?(?:명|이름|id))?|계정)"
    r"[ \t]*[:：=][ \t]*[^\s:：=]+[ \t]*\r?$",
    re.MULTILINE,
)


# A chat export's header line of the next message (Slack copies `name  10:12 AM` on a line of its own).
CHAT_HEADER_LINE = re.compile(
    r"[A-Za-z0-9가-힣._-]{1,40}[ \t]{1,4}(?:[0-9]{1,2}:[0-9]{2}(?:[ \t]?[AaPp][Mm])?|오[전후][ \t][0-9]{1,2}:[0-9]{2})[ \t]*\r?\n"
)
# `the password for the staging DB is X`: the word after a copula is what the label names, however many came before.
_COPULAS = frozenset(["is", "was", "are", "=", "->"])
# One of them as a whole word of `_ASCII_WORD` (the words are its runs; `.lower()` of an ASCII word, spelled out).
# Class first (`re` skips to a candidate letter in C), the word's left boundary after it: `[iIwWaA=-](?<!W.)`.
_COPULA_WORD = re.compile(
    r"[iIwWaA=-](?<![^\s\"'`,;<>\x80-\U0010ffff].)(?:(?<=[iI])[sS]|(?<=[wW])[aA][sS]|(?<=[aA])[rR][eE]|(?<==)|(?<=-)>)"
    r"(?![^\s\"'`,;<>\x80-\U0010ffff])"
)
_PIECE_OF_A_WORD = re.compile(r"^(?:[^\x00-\x7f\W].*|.*[^\x00-\x7f\W])$")
_LINE_READ = _PROSE_WINDOW + 600  # the window and a whole word after it (a key is at most 512 characters)
_WORDS_PER_LABEL = 5  # `login as admin / X`: a password comes within the first few words after its label


_TEMPLATE_SPAN = re.compile(r"\$?\{\{.*?\}\}|\{%.*?%\}")


def _words_in(text: str, start: int, end: int, line_end: int) -> list[tuple[int, str]]:
    """The words that start before `end`, each whole up to the line's end (a G2B key is cut by no window)."""
    words: list[tuple[int, str]] = []
    most = _WORDS_PER_LABEL
    # a template's expression is a placeholder, pipes and all (`{{ .Values.db.password | b64enc | quote }}`)
    templates = [t.span() for t in _TEMPLATE_SPAN.finditer(text, start, line_end)] if "{" in text[start:end] else []
    matches = _ASCII_WORD.finditer(text, start, line_end)
    while (m := next(matches, None)) is not None:
        if m.start() >= end:
            break
        if templates and any(a <= m.start() < b for a, b in templates):
            continue
        word, at = m.group(), m.start()
        if word.lower() in _COPULAS:
            most = max(most, len(words) + 2)  # the copula and the word after it, wherever in the window
        elif len(words) >= most:
            # past the first few words: only a copula still counts, so the words go on from the next one (a label
            # every few characters read its whole window word by word: `pw pw pw …`, ~25 CPU-s a megabyte)
            copula = _COPULA_WORD.search(text, m.end(), min(line_end, end + 4))  # a copula's end, one character on
            if copula is None or copula.start() >= end:
                break
            matches = _ASCII_WORD.finditer(text, copula.start(), line_end)  # its first word is the copula
            continue
        if len(word) <= 2 and _PIECE_OF_A_WORD.match(text[max(0, at - 1) : m.end() + 1]):
            continue  # `f` and `r` of `für`: pieces of a word in another script, not words of their own
        if word.startswith(_CDATA):
            word, at = word[len(_CDATA) :], at + len(_CDATA)
        stripped = word.lstrip(_WRAPPERS + "=:")
        at += len(word) - len(stripped)
        word = stripped.rstrip(_WRAPPERS)
        if len(word) > 1 and word[-1] in _TRAILING:
            word = word[:-1].rstrip(_WRAPPERS) or word[:-1]  # `(키 AKIA…).`: the sentence's stop, then the bracket
        if word:
            words.append((at, word))
    return words
