"""Stop 36, a fresh probe's leaks (docs/notes/s35-lead.md, "a second fresh probe"; issue 24): values written apart.

Classes: a provider token split by a space or by spaced dashes, wrapped inside prose, with an ellipsis inside where
both parts are the token, typed one letter at a time, Slack's dashes typed as underscores; a value continued with a
shell `\\` line break; a password after an identifier's name and only a space or a linking word (`DB_PASSWORD
Prod!Pw#78`, `set DB_PASS to X`) or after `password for prod is`; a password label spelled apart (`p a s s w o r d`,
`비 밀 번 호`) or typed as jamo (`ㅂㅣㅁㅣㄹㅂㅓㄴㅎㅗ`) or as Hangul on an English layout (`qlqjs`).

Each row is (class, example, the value that must not leave). The attacks are written the ways texts are written
(.env, YAML, JSON strings, shell history, chat prose in Korean and English); the look-alikes (prose about password
variables, docs that explain a token's prefix, spaced words, shell scripts continued with `\\`) must go out
unchanged. Every value is made up: token bodies are drawn from a seeded generator, passwords are typed by hand.
Through the policy (the gateway's masking), through the leak check alone (the second line must see each class with
its own patterns), and through the Claude proxy (the real anthropic SDK against the Anthropic stand-in).
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator
from typing import NamedTuple

import pytest

from bidradar.masking import Masker
from bidradar.masking.leakcheck import leak_scan
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = b"s36-fixtok-masking-test-key-32by"
MODEL = "claude-sonnet-4-5"
_RNG = random.Random(3636)
_ALNUM = string.ascii_letters + string.digits


def _body(n: int, chars: str = _ALNUM) -> str:
    """Random token characters with a digit, an upper and a lower case letter in every 12 (as real tokens have)."""
    while True:
        value = "".join(_RNG.choice(chars) for _ in range(n))
        chunks = [value[i : i + 12] for i in range(0, n, 12)]
        if chars != _ALNUM or all(
            any(c.isdigit() for c in ch) and any(c.isupper() for c in ch) and any(c.islower() for c in ch)
            for ch in chunks
            if len(ch) >= 6
        ):
            return value


def _akia() -> str:
    return "AKIA" + _body(16, string.ascii_uppercase + "234567")


class Row(NamedTuple):
    cls: str
    example: str
    secret: str  # the value as one word: no 8 characters of it in a row may leave


def _split_key_rows() -> list[Row]:
    rows = []
    for form in (
        "AWS_ACCESS_KEY_ID={a} {b}\nAWS_DEFAULT_REGION=ap-northeast-2",
        "aws_access_key_id: {a} {b}   # 복사하다 띄어쓰기 들어감",
        '{{"AccessKeyId": "{a} {b}", "Region": "ap-northeast-2"}}',
        "$ aws configure set aws_access_key_id {a} {b}",
        "액세스 키 {a} {b} 로 설정했어요",
        "my key is {a} {b}, don't share it",
    ):
        key = _akia()
        rows.append(Row("split_key", form.format(a=key[:8], b=key[8:]), key))
    key = _akia()
    rows.append(Row("split_key", "키: " + " ".join(key[i : i + 4] for i in range(0, 20, 4)) + " (4자리씩)", key))
    key = _akia()
    rows.append(Row("split_key", "key " + "-".join(key[i : i + 5] for i in range(0, 20, 5)), key))
    key = _akia()
    rows.append(Row("split_key", f"키는 {key[:10]}…{key[10:]} 입니다 (생략부호 지워주세요)", key))
    return rows


def _continued_rows() -> list[Row]:
    secret = _body(40, _ALNUM + "/+")
    secret2 = _body(40, _ALNUM + "/+")
    token = "ghp_" + _body(36)
    anthropic_key = "sk-ant-api03-" + _body(93, _ALNUM + "_-") + "AA"
    return [
        Row("continued", f'export AWS_SECRET_ACCESS_KEY="{secret[:21]}\\\n{secret[21:]}"', secret),
        Row(
            "continued",
            f"$ aws configure set aws_secret_access_key {secret2[:18]}\\\n   {secret2[18:]} --profile prod",
            secret2,
        ),
        Row("continued", f"export GITHUB_TOKEN={token[:24]}\\\n  {token[24:]} && gh auth status", token),
        Row(
            "continued",
            f'curl -H "x-api-key: {anthropic_key[:70]}\\\n{anthropic_key[70:]}" https://api.anthropic.com/v1/messages',
            anthropic_key,
        ),
        Row("continued", "docker login -u deploy --password Hq7rTz\\\nZp2mW9x registry.example.com", "Hq7rTzZp2mW9x"),
        Row("continued", "docker build --build-arg DB_PASS=Kq7$\\\nzp3w .", "Kq7$zp3w"),
    ]


def _value_apart_rows() -> list[Row]:
    rows = []
    for form in (
        "aws_secret_access_key = {a} {b}",
        "AWS_SECRET_ACCESS_KEY: {a} {b}  # 붙여넣다 띄어짐",
        '{{"SecretAccessKey": "{a} {b}"}}',
        "시크릿 키: {a} {b}",
    ):
        secret = _body(40, _ALNUM + "/+")
        rows.append(Row("value_apart", form.format(a=secret[:20], b=secret[20:]), secret))
    token = "IQoJb3JpZ2luX2Vj" + _body(284, _ALNUM + "/+")
    pieces = " ".join(token[i : i + 100] for i in range(0, len(token), 100))
    rows.append(Row("value_apart", f"session token: {pieces}", token))
    return rows


def _wrapped_rows() -> list[Row]:
    rows = []
    for form in (
        "here is the key {a}\n{b} use it for the support bot only",
        "봇 키는 {a}\n{b} 입니다. 외부에 공유하지 마세요",
        "> 키 전달드립니다 {a}\n> {b} (만료 30일)",
        "[김민지] [오후 3:12] 이거 써요 {a}\n{b} ㅎㅎ",
    ):
        key = "sk-proj-" + _body(120, _ALNUM + "_-")
        rows.append(Row("wrapped", form.format(a=key[:70], b=key[70:]), key))
    key = "sk-ant-api03-" + _body(93, _ALNUM + "_-") + "AA"
    rows.append(Row("wrapped", f"The Anthropic key for CI is {key[:60]}\n{key[60:]} and it rotates monthly", key))
    return rows


def _ellipsis_rows() -> list[Row]:
    rows = []
    for form in ("{a}…{b}", "GITHUB_TOKEN: {a}...{b}", "토큰 {a}…{b} 입니다", '{{"token": "{a}...{b}"}}'):
        token = "ghp_" + _body(36)
        rows.append(Row("ellipsis", form.format(a=token[:17], b=token[17:]), token))
    token = "glpat-" + _body(20)
    rows.append(Row("ellipsis", f"gitlab token {token[:12]}…{token[12:]}", token))
    return rows


def _spaced_letter_rows() -> list[Row]:
    token = "ghp_" + _body(36)
    key = _akia()
    slack = f"xoxb-{_body(12, string.digits)}-{_body(13, string.digits)}-{_body(24)}"
    return [
        Row("spaced_letters", "token " + " ".join(token), token),
        Row("spaced_letters", "키 불러드릴게요: " + " ".join(key) + " 맞죠?", key),
        Row("spaced_letters", "SLACK_BOT_TOKEN= " + " ".join(slack), slack),
        Row("spaced_letters", "password: " + " ".join("Jk95%n1mE1f3"), "Jk95%n1mE1f3"),
        Row("spaced_letters", "비번 " + " ".join("Tz8#qLw2m!") + " 입니다", "Tz8#qLw2m!"),
    ]


def _slack_rows() -> list[Row]:
    rows = []
    for sep, form in (
        (" - ", "slack {t}"),
        (" - ", "SLACK_BOT_TOKEN: {t}"),
        ("_", "slack bot token {t} (dashes became underscores)"),
        ("_", "SLACK_TOKEN={t}"),
        (" _ ", "슬랙 토큰 {t}"),
    ):
        parts = ["xoxb", _body(12, string.digits), _body(13, string.digits), _body(24)]
        rows.append(Row("slack", form.format(t=sep.join(parts)), "".join(parts[1:])))
    return rows


_PASSWORDS = iter(
    [
        "Prod!Pw#78",
        "Xk9#mPq2w",
        "Tq9$mkR2z",
        "hunter2077x",
        "Zt7$kLm3q",
        "Gv4%nQ8!t",
        "Rb8&yW2#k",
        "Mz5^pL1@x",
        "Jn7*qT4!v",
        "Wc3(hF9)s",
        "Ky6!dS2$p",
        "Lp8#rV5%n",
        "Qs2@zX7&m",
        "Fd9!bN4^w",
        "Hy5$cJ8*r",
        "Ub3%gK6!e",
        "Vx7&tM2@q",
        "Np4^wB9#z",
        "Ea6!kR3$y",
        "Cm8%hD5&u",
        "Iw2*jP7!o",
        "Ol9@sG4#t",
        "Bq4!mZ8#s",
        "Tr6$wX1%k",
        "Dn3&vH7!c",
        "Sf5#yK2@g",
    ]
)


def _name_space_rows() -> list[Row]:
    rows = []
    for form in (
        "DB_PASSWORD {p}",
        "DB_PASSWORD\t{p}",
        "PGPASSWORD {p} psql -h db -U app",
        "spring.datasource.password {p}",
        "ENV=prod\nDB_USER=app\nDB_PASSWORD {p}\n",
        "set DB_PASS to {p}",
        "Set the DB_PASSWORD secret to {p} in the prod environment",
        "MYSQL_ROOT_PASSWORD {p}  # 임시",
        "$ heroku config:set REDIS_PASSWORD {p}",
        "운영 DB는 DB_PASSWORD {p} 로 바꿨어요",
        "the password for prod is {p}",
        "password for the prod replica is {p}, keep it to yourself",
        "prod DB password is {p}",
    ):
        password = next(_PASSWORDS)
        rows.append(Row("name_space", form.format(p=password), password))
    for form in ("JWT_SECRET is {k}", "STRIPE_API_KEY {k}", "export SESSION_SECRET {k}"):
        key = _body(32)
        rows.append(Row("name_space", form.format(k=key), key))
    return rows


def _label_apart_rows() -> list[Row]:
    rows = []
    for form in (
        "p a s s w o r d : {p}",
        "P-A-S-S-W-O-R-D = {p}",
        "p.w.d: {p}",
        "비 밀 번 호 : {p}",
        "비 번 {p}",
        "ㅂㅣㅁㅣㄹㅂㅓㄴㅎㅗ: {p}",
        "ㅂㅣㅂㅓㄴ {p}",
        "ㅍㅐㅅㅡㅇㅝㄷㅡ = {p}",
        "qlqjs: {p}",
        "ㅂㅣㅁㅣㄹ ㅂㅓㄴㅎㅗ: {p}",
        "패 스 워 드 : {p}",
        '{{"p a s s w o r d": "{p}"}}',
    ):
        password = next(_PASSWORDS)
        rows.append(Row("label_apart", form.format(p=password), password))
    return rows


TABLE = (
    _split_key_rows()
    + _continued_rows()
    + _value_apart_rows()
    + _wrapped_rows()
    + _ellipsis_rows()
    + _spaced_letter_rows()
    + _slack_rows()
    + _name_space_rows()
    + _label_apart_rows()
)

ORDINARY = [
    # prose about password variables
    "DB_PASSWORD is required",
    "set DB_PASS to the value from Vault",
    "Set the DB_PASSWORD secret in GitHub Actions before you deploy",
    "DB_PASSWORD 환경 변수를 먼저 설정하세요",
    "MYSQL_ROOT_PASSWORD_FILE /run/secrets/db_root_password",
    'DB_PASSWORD "${DB_PASSWORD}" is read from the environment',
    "export DB_PASSWORD\nexport DB_USER",
    "If DB_PASSWORD is empty the app refuses to start",
    "the password for prod is in Vault, ask the on-call",
    "GITHUB_TOKEN is required for the release job",
    "GITHUB_TOKEN secrets.GITHUB_TOKEN",
    "Missing env: DB_PASSWORD REDIS_PASSWORD JWT_SECRET",
    "| name | description |\n| DB_PASSWORD | the DB password (required) |",
    "DB_PASSWORD must be 12+ chars; the prod password is 16 characters long",
    "password for prod is rotated every 90 days",
    # docs that explain a token's prefix
    "GitHub personal access tokens start with ghp_ followed by 36 characters",
    "Prefixes: ghp_, gho_, ghu_, ghs_ and ghr_ (see the GitHub docs)",
    "AKIA is the prefix of long-term access keys, ASIA of temporary ones",
    "OpenAI keys start with sk- and Anthropic keys with sk-ant- (e.g. sk-ant-api03-...)",
    "Slack: xoxb- for bot tokens, xoxp- for user tokens, xoxb_ is not a prefix",
    "Tokens look like ghp_ then 36 letters and digits; revoke old ones",
    "the sk-learn library and sk-proj prefixes",
    # ordinary words separated by spaces
    "a b c d e f g h i j k l m",
    "1 2 3 4 5 6 7 8 9 10 11 12",
    "T O D O: 비 오는 날 번개 조심",
    "U S A  and  K O R E A  were spelled out on the banner: W E L C O M E",
    "ㅇㅇ 알겠어 ㄱㄱ ㅋㅋㅋ 비번은 나중에 알려줄게, ㅂㅂ",
    "ASIA PACIFIC HEADQUARTERS SINGAPORE, AKIA AKIA AKIA",
    "AKIA로 시작하는 키는 장기 키, ASIA는 임시 키입니다; ghp_... 토큰은 90일 뒤 만료",
    "p a s s w o r d 는 대소문자를 구분합니다",
    "ㅋㅋㅋㅋ 진짜요? ㅎㅎ ㅠㅠ",
    "P A S S 라고 크게 써 있었음",
    "비 밀 번 호 변경은 내일 합니다",
    # shell scripts continued with `\`
    "docker run --rm \\\n  -e FOO=bar \\\n  -v /data:/data image:latest",
    "./configure --prefix=/usr/local\\\n  --enable-shared",
    'curl -X POST \\\n  -H "Content-Type: application/json" \\\n  https://api.example.com/v1/items',
    "echo hello\\\nworld",
    "tar czf backup-2024.tgz \\\n  ./data ./config --exclude '*.tmp'",
    "kubectl create secret generic app \\\n  --from-literal=DB_HOST=db.internal \\\n  --dry-run=client -o yaml",
    # a key's name, then words
    "secret: Confidential Information, token: Authorization Required Immediately",
    "api_key: RotateQuarterly MonitorUsage (see the runbook)",
]


def _windows(secret: str, width: int = 8) -> set[str]:
    compact = re.sub(r"[^0-9A-Za-z]", "", secret)
    return {compact[i : i + width] for i in range(len(compact) - width + 1)} or {compact}


def _leaked(sent: str, secret: str) -> list[str]:
    compact = re.sub(r"[^0-9A-Za-z]", "", sent)
    return sorted(w for w in _windows(secret) if w in compact)


def _ids(rows: list[Row]) -> list[str]:
    return [f"{row.cls}-{i}" for i, row in enumerate(rows)]


@pytest.mark.parametrize("row", TABLE, ids=_ids(TABLE))
def test_value_written_apart_does_not_go_out(row: Row) -> None:
    masker = Masker(KEY)
    try:
        out = mask_outgoing(masker, row.example, "the prompt")
    except MaskingRefused:
        pytest.fail("refused: these classes can be masked")
    assert _leaked(out.text, row.secret) == [], out.text
    assert not out.residues, out.residues  # a detector masked it, not the leak check
    assert masker.unmask(out.text) == row.example


@pytest.mark.parametrize("row", TABLE, ids=_ids(TABLE))
def test_the_leak_check_alone_sees_the_class(row: Row) -> None:
    """The second line, with its own patterns, finds a value of each class in the text as written."""
    found = leak_scan(row.example)
    covered = "".join(row.example[start:end] for _, start, end in found)
    assert _leaked(covered, row.secret), found


@pytest.mark.parametrize("text", ORDINARY, ids=[f"ordinary-{i}" for i in range(len(ORDINARY))])
def test_ordinary_look_alike_goes_out_unchanged(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text
    assert leak_scan(text) == []


def test_a_whole_token_keeps_the_fields_after_it() -> None:
    """Pieces after a whole token are not joined to it: a log's next field, a word after a wrapped token."""
    token = "sk-proj-" + _body(48)
    text = f"2025-01-02T03:04:05Z INFO start openai_api_key={token} pid=4123 region ap-northeast-2"
    out = mask_outgoing(Masker(KEY), text, "the prompt").text
    assert token not in out
    assert out.endswith(" pid=4123 region ap-northeast-2")
    key = _akia()
    out = mask_outgoing(Masker(KEY), f"{key} AB12 CD34 끝", "the prompt").text
    assert key not in out and out.endswith(" AB12 CD34 끝")


# Adversarial inputs for the new readings (each joins pieces and reads them again: a megabyte of pieces must stay
# linear, so each piece is read once and the readings per text are bounded). At 1 MB each masks in ~1 s here; a
# quadratic reading took minutes at 100 KB (a jamo label re-read inside its own reading).
APART_UNITS = {
    "token-pieces": "ghp_a1 ",
    "wrapped-prefixes": "sk-aB3\n",
    "key-id-groups": "AKIA1 ",
    "letters": "a ",
    "continued": "k=x\\\n",
    "spaced-label": "p a s s : ",
    "jamo-label": "ㅂㅣㅂㅓㄴ ",
    "name-space": "DB_PASS ",
    "password-is": "password is a1 ",
    "slack-underscores": "xoxb_1",
    "ellipsis": "ghp_a1…",
    "key-continued": "key=aB3\\\n",
    "named-pieces": "key: aB3dE6gH9jK2 ",
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("unit", list(APART_UNITS.values()), ids=list(APART_UNITS))
def test_300_kb_of_pieces(unit: str) -> None:
    text = (unit * (300_000 // len(unit) + 1))[:300_000]
    masker = Masker(KEY)
    try:
        sent = mask_outgoing(masker, text, "the prompt").text
    except MaskingRefused:
        return  # refusing with a reason is allowed, hanging is not
    assert masker.unmask(sent) == text


@pytest.fixture
def proxy() -> Iterator[tuple[object, str]]:
    pytest.importorskip("anthropic")
    from tests.kit.anthropic import masking_proxy

    with masking_proxy(KEY) as served:
        yield served


def test_the_table_never_reaches_anthropic_through_the_proxy(proxy) -> None:
    import anthropic

    from tests.kit.anthropic import seen_upstream, send_in_batches

    standin, url = proxy
    client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
    send_in_batches(client, MODEL, [row.example for row in TABLE], size=8)
    send_in_batches(client, MODEL, [row.example for row in TABLE[::3]], streamed=True, size=5)
    seen = seen_upstream(standin)
    assert [f"{row.cls}: {row.example[:60]}" for row in TABLE if _leaked(seen, row.secret)] == []


def test_the_table_covers_each_class() -> None:
    classes = {row.cls for row in TABLE}
    assert classes == {
        "split_key",
        "continued",
        "value_apart",
        "wrapped",
        "ellipsis",
        "spaced_letters",
        "slack",
        "name_space",
        "label_apart",
    }
