"""Stop 33, the secrets catalogue (helper msecret): secrets that still went out, and ordinary text it damaged.

Four classes, each a corpus written the ways people write (shell history, runbooks, Dockerfiles, CI YAML, logs,
JSON tool inputs, .env, TOML, INI, docker-compose, Kubernetes, terraform, SQL, Korean prose, 카톡, prose in other
languages), with the planted values written into the corpus by hand or drawn from a seeded generator, never taken
from our detectors:
1. one sample per gitleaks rule that the generated table could not cover, and one per detect-secrets plugin;
2. passwords in the places commands, SQL, connection strings and credential files put them;
3. labels in other languages, and letters-only passwords after `pw`/`비번`;
4. ordinary text to leave alone: config keys that only start with a secret word, public keys and certificates of
   every size and curve, form fields, the hashes the product uses and commit ids in code review text.
Each attack document goes through the policy (= the gateway's masking), the gateway (google-genai against the
Gemini stand-in) and the proxy (the real anthropic SDK against the Anthropic stand-in). Every value is made up.
"""

from __future__ import annotations

import base64
import json
import random
import re
import string
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import anthropic
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bidradar.masking import Masker
from bidradar.masking.gateway import LLMGateway
from bidradar.masking.policy import mask_outgoing
from tests.kit.anthropic import AnthropicStandIn, masking_proxy, message_texts, seen_upstream, send_in_batches
from tests.kit.gemini import GeminiStandIn
from tests.kit.keys import KINDS, seeded_key

KEY = b"m" * 32
MODEL = "claude-sonnet-4-5"
_RNG = random.Random(3324)


class Doc(NamedTuple):
    cls: str
    fmt: str
    text: str
    planted: tuple[str, ...]


def _mixed(n: int = 12) -> str:
    """A password of letters and digits, at least one of each case and a digit."""
    while True:
        value = "".join(_RNG.choice(string.ascii_letters + string.digits) for _ in range(n))
        if any(c.isdigit() for c in value) and any(c.islower() for c in value) and any(c.isupper() for c in value):
            return value


def _letters(n: int = 10) -> str:
    """A letters-only password (`dlwlrma`: Hangul typed on an English keyboard is one)."""
    return "".join(_RNG.choice("bcdfghjklmnpqrstvwxz") + _RNG.choice("aeiou") for _ in range(n // 2))


def _symbols(n: int = 12) -> str:
    """A password with the symbols people put in them (safe inside single quotes)."""
    return _mixed(n - 3) + _RNG.choice("!#%") + _RNG.choice("*+-") + str(_RNG.randrange(10))


# --- class 2: passwords in commands, SQL, connection strings and credential files --------------------------------

# (name, command with {p}); each is placed in every context below, with a letters-only or a mixed password.
COMMANDS = [
    ("sshpass-quoted", "sshpass -p '{p}' ssh deploy@bastion.acme.local"),
    ("sshpass", "sshpass -p {p} scp dump.sql ops@backup.acme.local:/srv/backup"),
    ("mysql", "mysql -uroot -p{p} bid < dump.sql"),
    ("mysqladmin", "mysqladmin -u root -p{p} status"),
    ("pgpassword", "PGPASSWORD={p} psql -h db.acme.local -U bid bid"),
    ("curl-u", "curl -u bid:{p} https://api.acme.kr/v1/notices"),
    ("docker-login", "docker login -u acme -p {p} registry.acme.kr"),
    ("htpasswd-b", "htpasswd -b /etc/nginx/.htpasswd admin {p}"),
    ("htpasswd-nb", "htpasswd -nbB admin {p}"),
    ("net-user", "net user svc_bid {p} /add"),
    ("flag-space", "./deploy.sh --password {p} --env prod"),
    ("flag-equals", "./deploy.sh --password={p}"),
    ("docker-env", "docker run -d -e MYSQL_ROOT_PASSWORD={p} mysql:8"),
    ("redis-cli", "redis-cli -h cache.acme.local -a {p} ping"),
    ("ldapsearch", "ldapsearch -x -D cn=admin,dc=acme,dc=kr -w {p} -b dc=acme,dc=kr"),
    ("sqlcmd", 'sqlcmd -S db.acme.local -U sa -P {p} -Q "SELECT 1"'),
    ("chpasswd", "echo 'deploy:{p}' | sudo chpasswd"),
    ("openssl", "openssl enc -aes-256-cbc -in a.tar -out a.enc -pass pass:{p}"),
    ("zip", "zip -P {p} report.zip report.xlsx"),
    ("smbclient", "smbclient //fs.acme.local/share -U admin%{p}"),
    ("xfreerdp", "xfreerdp /u:admin /p:{p} /v:rdp.acme.local"),
    ("gh-secret", "gh secret set DB_PASSWORD --body '{p}'"),
    ("psexec", "psexec \\\\win01 -u admin -p {p} cmd"),
    ("mongosh", "mongosh mongodb://db.acme.local -u admin -p {p}"),
    ("sqlplus", "sqlplus bid/{p}@ORCL"),
    ("password-stdin", "echo '{p}' | docker login -u acme --password-stdin registry.acme.kr"),
]


def _json_command(cmd: str) -> str:
    return json.dumps({"tool": "bash", "command": cmd}, ensure_ascii=False)


COMMAND_CONTEXTS: dict[str, Callable[[str], str]] = {
    "shell": lambda c: f"$ {c}",
    "history": lambda c: f"  501  cd /srv/bid\n  502  {c}\n  503  exit",
    "ko-prose": lambda c: f"운영 서버에서는 {c} 로 접속해서 확인하면 됩니다.",
    "katalk": lambda c: f"[박과장] [오후 2:14] 이거 치면 돼요\n[박과장] [오후 2:14] {c}",
    "json": _json_command,
    "ci-yaml": lambda c: f"steps:\n  - name: deploy\n    run: {c}",
    "log": lambda c: f"2025-03-02T10:11:12Z INFO runner[812]: exec: {c}",
    "dockerfile": lambda c: f"FROM ubuntu:24.04\nRUN {c}",
}


def _commands() -> list[Doc]:
    docs = []
    for i, (name, template) in enumerate(COMMANDS):
        for j, (fmt, context) in enumerate(COMMAND_CONTEXTS.items()):
            password = _letters() if (i + j) % 2 else _mixed()
            docs.append(Doc(f"cmd/{name}", fmt, context(template.format(p=password)), (password,)))
    return docs


# SQL as people paste it: a migration, a DBA's note, a log of the statement.
SQL = [
    ("mysql-identified", "ALTER USER 'root'@'%' IDENTIFIED BY '{p}';"),
    ("mysql-plugin", "CREATE USER 'bid'@'localhost' IDENTIFIED WITH mysql_native_password BY '{p}';"),
    ("oracle-identified", "CREATE USER bid IDENTIFIED BY {p} DEFAULT TABLESPACE users;"),
    ("pg-password", "CREATE USER bid WITH PASSWORD '{p}';"),
    ("pg-role", "ALTER ROLE bid WITH LOGIN ENCRYPTED PASSWORD '{p}';"),
    ("mssql-login", "CREATE LOGIN bid WITH PASSWORD = '{p}', CHECK_POLICY = OFF;"),
    ("mysql-set", "SET PASSWORD FOR 'bid'@'%' = PASSWORD('{p}');"),
]
SQL_CONTEXTS: dict[str, Callable[[str], str]] = {
    "migration": lambda s: f"-- V12__create_app_user.sql\n{s}\nGRANT SELECT ON bid.* TO 'bid'@'%';",
    "ko-prose": lambda s: f"DB 계정은 아래처럼 만들었습니다.\n{s}\n권한은 읽기만 줬어요.",
    "log": lambda s: f"2025-03-02 10:11:12.345 KST [4121] LOG:  statement: {s}",
    "json": lambda s: json.dumps({"query": s}),
}


def _sql() -> list[Doc]:
    docs = []
    for i, (name, template) in enumerate(SQL):
        for j, (fmt, context) in enumerate(SQL_CONTEXTS.items()):
            password = [_letters(), _mixed(), _symbols()][(i + j) % 3]
            if name == "oracle-identified":
                password = _mixed()  # unquoted: letters and digits only
            docs.append(Doc(f"sql/{name}", fmt, context(template.format(p=password)), (password,)))
    return docs


# Connection strings in every scheme and driver, in the files that hold them.
DSNS = [
    ("ado", "Server=db.acme.local;Database=bid;User Id=sa;Password={p};TrustServerCertificate=True"),
    ("jdbc-sqlserver", "jdbc:sqlserver://db.acme.local:1433;databaseName=bid;user=sa;password={p};"),
    ("jdbc-mysql", "jdbc:mysql://db.acme.local:3306/bid?user=bid&password={p}&useSSL=true"),
    ("redis-no-user", "redis://:{p}@cache.acme.local:6379/0"),
    ("amqp", "amqp://bid:{p}@mq.acme.local:5672/%2f"),
    ("mongodb-srv", "mongodb+srv://bid:{p}@cluster0.ab1cd.mongodb.net/bid?retryWrites=true"),
    ("postgresql", "postgresql://bid:{p}@db.acme.local:5432/bid?sslmode=require"),
    ("oracle-thin", "jdbc:oracle:thin:bid/{p}@//db.acme.local:1521/ORCL"),
    ("go-mysql", "bid:{p}@tcp(db.acme.local:3306)/bid?parseTime=true"),
    ("https-git", "https://kim:{p}@git.acme.kr/bid/radar.git"),
]
DSN_CONTEXTS: dict[str, Callable[[str], str]] = {
    "env": lambda d: f"APP_ENV=prod\nDATABASE_URL={d}\nLOG_LEVEL=info",
    "compose": lambda d: f"services:\n  api:\n    image: bidradar/api:1.4\n    environment:\n      - DB_DSN={d}",
    "k8s-configmap": lambda d: f'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\ndata:\n  dsn: "{d}"',
    "appsettings": lambda d: json.dumps({"ConnectionStrings": {"Default": d}}, indent=2),
    "terraform": lambda d: f'resource "aws_ssm_parameter" "dsn" {{\n  name  = "/bid/dsn"\n  value = "{d}"\n}}',
    "toml": lambda d: f'[database]\nurl = "{d}"\npool = 10',
    "ko-prose": lambda d: f"접속 문자열은 {d} 입니다. 운영에서만 쓰세요.",
    "log": lambda d: f"2025-03-02T10:11:12Z ERROR pool: cannot connect to {d}: timeout",
}


def _dsns() -> list[Doc]:
    docs = []
    for i, (name, template) in enumerate(DSNS):
        for j, (fmt, context) in enumerate(DSN_CONTEXTS.items()):
            password = [_letters(), _mixed(), _mixed()][(i + j) % 3]
            docs.append(Doc(f"dsn/{name}", fmt, context(template.format(p=password)), (password,)))
    # passwords with @, #, ! in a URL (people %-encode them, or not)
    for fmt, password in (("at-sign", "Qx7!vR@2mK9z"), ("hash", "p4ss#W0rd!x"), ("percent", "abc%2Fdef%3Dghi7")):
        docs.append(Doc("dsn/special", fmt, f"DATABASE_URL=postgres://bid:{password}@db.acme.local/bid", (password,)))
    return docs


# Code: a password as the second of a pair, a setter's argument, an environment variable's default.
CODE = [
    ("requests-auth", "r = requests.get(url, auth=('admin', '{p}'), timeout=5)"),
    ("basic-auth", 'client = httpx.Client(auth=httpx.BasicAuth("admin", "{p}"))'),
    ("setter", 'ds.setPassword("{p}");'),
    ("js-env-default", "const dbPass = process.env.DB_PASS || '{p}';"),
    ("py-env-default", 'DB_PASSWORD = os.getenv("DB_PASSWORD", "{p}")'),
    ("py-environ-get", "secret = os.environ.get('APP_SECRET', '{p}')"),
]


def _code() -> list[Doc]:
    docs = []
    for i, (name, template) in enumerate(CODE):
        for j, fmt in enumerate(("file", "review")):
            password = _letters() if (i + j) % 2 else _mixed()
            line = template.format(p=password)
            text = line if fmt == "file" else f"이 부분 리뷰 부탁드려요:\n```python\n{line}\n```\n하드코딩 괜찮을까요?"
            docs.append(Doc(f"code/{name}", fmt, text, (password,)))
    return docs


# A name and its value in sibling fields.
SIBLINGS = [
    ("k8s-env", "env:\n  - name: DB_PASSWORD\n    value: {p}\n  - name: LOG_LEVEL\n    value: info"),
    ("k8s-env-quoted", 'containers:\n- name: api\n  env:\n  - name: "API_TOKEN"\n    value: "{p}"'),
    (
        "ecs-json",
        '{{"environment": [{{"name": "DB_PASSWORD", "value": "{p}"}}, {{"name": "TZ", "value": "Asia/Seoul"}}]}}',
    ),
    ("spring-xml", '<bean id="ds" class="HikariDataSource">\n  <property name="password" value="{p}"/>\n</bean>'),
    ("web-config", '<appSettings>\n  <add key="DbPassword" value="{p}" />\n</appSettings>'),
    ("terraform", 'variable "db_password" {{\n  type      = string\n  sensitive = true\n  default   = "{p}"\n}}'),
    ("cloudformation", "Parameters:\n  DBPassword:\n    Type: String\n    NoEcho: true\n    Default: {p}"),
    ("yaml-block", "database:\n  password: |\n    {p}\n  pool: 5"),
    ("cdata", "<Settings><Password><![CDATA[{p}]]></Password></Settings>"),
    (
        "k8s-secret",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\nstringData:\n  db-password: {p}",
    ),
]


def _siblings() -> list[Doc]:
    docs = []
    for i, (name, template) in enumerate(SIBLINGS):
        for j in range(2):
            password = _letters() if (i + j) % 2 else _mixed()
            docs.append(Doc(f"sibling/{name}", f"v{j}", template.format(p=password), (password,)))
    return docs


def _files() -> list[Doc]:
    """Credential files as they are pasted whole: ~/.netrc, ~/.pgpass, ~/.git-credentials, ~/.docker/config.json,
    .npmrc, pip.conf."""
    docs = []
    for i in range(4):
        p = _letters() if i % 2 else _mixed()
        docs.append(Doc("file/netrc", "one-line", f"machine api.acme.kr login bid password {p}", (p,)))
        p = _letters() if i % 2 else _mixed()
        docs.append(Doc("file/netrc", "lines", f"machine git.acme.kr\n  login kim\n  password {p}\n", (p,)))
        p = _letters() if i % 2 else _mixed()
        docs.append(
            Doc(
                "file/netrc",
                "default",
                f"machine a.acme.kr login x password {_mixed()}\ndefault login ci password {p}",
                (p,),
            )
        )
        p = _letters() if i % 2 else _mixed()
        docs.append(Doc("file/pgpass", "ip-host", f"# ~/.pgpass\n10.0.{i}.5:5432:*:bid:{p}", (p,)))
        p = _letters() if i % 2 else _mixed()
        docs.append(Doc("file/pgpass", "line", f"db.acme.local:5432:bid:bid:{p}\n*:*:*:postgres:{_mixed()}", (p,)))
        p = _mixed(20)
        docs.append(Doc("file/git-credentials", "line", f"https://kim:{p}@github.com\nhttps://ci:x@git.acme.kr", (p,)))
        p = _letters() if i % 2 else _mixed()
        auth = base64.b64encode(f"acme:{p}".encode()).decode()
        config = json.dumps({"auths": {"registry.acme.kr": {"auth": auth}}}, indent=2)
        docs.append(Doc("file/docker-config", "json", config, (auth, p)))
        token = "".join(_RNG.choice("0123456789abcdef") for _ in range(32))
        uuid_token = f"{token[:8]}-{token[8:12]}-{token[12:16]}-{token[16:20]}-{token[20:]}"
        docs.append(
            Doc(
                "file/npmrc",
                "authToken",
                f"registry=https://npm.acme.kr/\n//npm.acme.kr/:_authToken={uuid_token}",
                (uuid_token,),
            )
        )
        p = _letters() if i % 2 else _mixed()
        docs.append(
            Doc(
                "file/pip-conf", "ini", f"[global]\nindex-url = https://bid:{p}@pypi.acme.kr/simple\ntimeout = 30", (p,)
            )
        )
    return docs


# --- class 3: labels in other languages, letters-only passwords after pw / 비번 ----------------------------------

FOREIGN_PASSWORD_LINES = [
    ("ja", "パスワード：{p}"),
    ("ja", "DBのパスワードは {p} です。"),
    ("ja", "パスワードは「{p}」です。"),
    ("ja", "password_hint とは別に、本番のパスワード: {p}"),
    ("zh", "密码：{p}"),
    ("zh", "数据库密码是 {p}，请妥善保管。"),
    ("zh-tw", "伺服器密碼: {p}"),
    ("es", "contraseña: {p}"),
    ("es", "La contraseña del servidor es {p}"),
    ("de", "Passwort: {p}"),
    ("de", "Das Kennwort für den Server lautet {p}."),
    ("fr", "mot de passe : {p}"),
    ("fr", "Le mot de passe du wifi est {p}"),
    ("ru", "пароль: {p}"),
    ("ru", "Пароль от сервера: {p}"),
    ("pt", "senha: {p}"),
    ("json", '{{"usuario": "admin", "contraseña": "{p}"}}'),
    ("yaml", "db:\n  benutzer: admin\n  passwort: {p}"),
]
FOREIGN_KEY_LINES = [
    ("ja", "APIキー: {k}"),
    ("ja", "アクセスキーは {k} です"),
    ("zh", "API密钥：{k}"),
    ("zh", "访问令牌: {k}"),
    ("es", "clave de API: {k}"),
    ("de", "API-Schlüssel: {k}"),
    ("fr", "clé d'API : {k}"),
    ("ru", "ключ API: {k}"),
    ("ru", "токен: {k}"),
]
# Letters only, after the abbreviations and Korean labels people type in chat.
LETTERS_LINES = [
    ("chat", "pw {p}"),
    ("chat", "PW {p}"),
    ("chat", "pw: {p}"),
    ("chat", "pw → {p}"),
    ("katalk", "[김대리] [오전 9:02] 공유기 비번 {p} 이에요"),
    ("katalk", "[김대리] [오전 9:02] wifi pw {p} 임"),
    ("ko", "비번 {p}"),
    ("ko", "서버 pwd {p} 로 바꿨어요"),
]


def _labels() -> list[Doc]:
    docs = []
    for lang, template in FOREIGN_PASSWORD_LINES:
        p = _mixed()
        docs.append(Doc("label/password", lang, template.format(p=p), (p,)))
    for lang, template in FOREIGN_KEY_LINES:
        k = _mixed(32)
        docs.append(Doc("label/key", lang, template.format(k=k), (k,)))
    for fmt, template in LETTERS_LINES:
        p = _letters()
        docs.append(Doc("label/letters", fmt, template.format(p=p), (p,)))
    return docs


# --- class 1: the gitleaks rules the generated table had no example for, and detect-secrets' plugins -------------

# (rule or plugin, line, secret), each written by hand in the form the provider documents, in a realistic line.
RULE_SAMPLES = [
    (
        "gitleaks:adobe-client-id",
        'ADOBE_CLIENT_ID="4f1d6b0a9c3e8f2b7a5d1c0e9b8a7f6e"',
        "4f1d6b0a9c3e8f2b7a5d1c0e9b8a7f6e",
    ),
    (
        "gitleaks:airtable-personnal-access-token",
        "AIRTABLE_TOKEN=patR4nd0mT0k3nAb.0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "patR4nd0mT0k3nAb.0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
    ),
    (
        "gitleaks:cisco-meraki-api-key",
        "meraki_api_key: 8c2e4f6a1b3d5f7e9a0c2e4f6b8d0a1c3e5f7b9d",
        "8c2e4f6a1b3d5f7e9a0c2e4f6b8d0a1c3e5f7b9d",
    ),
    (
        "gitleaks:cloudflare-global-api-key",
        "export CLOUDFLARE_API_KEY=1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9",
        "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9",
    ),
    ("gitleaks:discord-client-id", "discord_client_id = '918273645019283746'", "918273645019283746"),
    (
        "gitleaks:facebook-access-token",
        "fb token: 1029384756102938|Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0",
        "1029384756102938|Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0",
    ),
    (
        "gitleaks:facebook-secret",
        'facebook_app_secret: "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"',
        "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b",
    ),
    (
        "gitleaks:linear-client-secret",
        "LINEAR_CLIENT_SECRET=3c5e7a9b1d3f5a7c9e1b3d5f7a9c1e3b",
        "3c5e7a9b1d3f5a7c9e1b3d5f7a9c1e3b",
    ),
    (
        "gitleaks:sentry-access-token",
        "sentry_auth_token: 7d9f1b3c5e7a9d1f3b5c7e9a1d3f5b7c9e1a3d5f7b9c1e3a5d7f9b1c3e5a7d9f",
        "7d9f1b3c5e7a9d1f3b5c7e9a1d3f5b7c9e1a3d5f7b9c1e3a5d7f9b1c3e5a7d9f",
    ),
    (
        "gitleaks:dropbox-long-lived-api-token",
        'const dropboxToken = process.env.DROPBOX_TOKEN || "u87ae173xijAAAAAAAAAAjv83o16piyfk04kcax65rnonfmz516fkov4qe3jsv4n";',
        "u87ae173xijAAAAAAAAAAjv83o16piyfk04kcax65rnonfmz516fkov4qe3jsv4n",
    ),
    # detect-secrets' plugins (1.5.0), one each
    (
        "ds:ArtifactoryDetector",
        "artifactory_api_key: AKCp8jQ2rT5vX9zB3nM6kL1wE4Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9Mn2Pq4Rs6Tu8Vw0Xy2Za4Bc6De",
        "AKCp8jQ2rT5vX9zB3nM6kL1wE4Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9Mn2Pq4Rs6Tu8Vw0Xy2Za4Bc6De",
    ),
    ("ds:AWSKeyDetector", "aws_access_key_id = AKIA4R7T2QW9ZP3XK5LM", "AKIA4R7T2QW9ZP3XK5LM"),
    (
        "ds:AzureStorageKeyDetector",
        "DefaultEndpointsProtocol=https;AccountName=bidradar;AccountKey="
        "q8Zr3Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9Mn2Pq4Rs6Tu8Vw0Xy2Za4Bc6De8Fg0Hi2Jk4Lm6No8Pq0Rs2Tu4Vw6Xy8Za0Bc==;",
        "q8Zr3Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9Mn2Pq4Rs6Tu8Vw0Xy2Za4Bc6De8Fg0Hi2Jk4Lm6No8Pq0Rs2Tu4Vw6Xy8Za0Bc",
    ),
    ("ds:BasicAuthDetector", "proxy = http://ops:tr4inSt4tion@proxy.acme.local:3128", "tr4inSt4tion"),
    (
        "ds:CloudantDetector",
        "https://acme-bid:3f1e2d4c5b6a79880f1e2d4c5b6a79880f1e2d4c5b6a79880f1e2d4c5b6a7988@acme-bid.cloudant.com",
        "3f1e2d4c5b6a79880f1e2d4c5b6a79880f1e2d4c5b6a79880f1e2d4c5b6a7988",
    ),
    (
        "ds:DiscordBotTokenDetector",
        "DISCORD_BOT_TOKEN=MTA4NzY1NDMyMTA5ODc2NTQz.GhIjKl.MnOpQrStUvWxYz0123456789AbCdEfG",
        "MTA4NzY1NDMyMTA5ODc2NTQz.GhIjKl.MnOpQrStUvWxYz0123456789AbCdEfG",
    ),
    (
        "ds:GitHubTokenDetector",
        "remote: ghp_Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9Mn2P",
        "ghp_Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9Mn2P",
    ),
    ("ds:GitLabTokenDetector", "GITLAB_TOKEN=glpat-Xk2Lm9Np4Rt6Vw8Yb1Cd3", "glpat-Xk2Lm9Np4Rt6Vw8Yb1Cd3"),
    (
        "ds:Base64HighEntropyString",
        'signing_secret = "Zq7Xk2Lm9Np4/Rt6Vw8Yb1Cd3+Fg5Hj7Kl9Mn2Pq4Rs=="',
        "Zq7Xk2Lm9Np4/Rt6Vw8Yb1Cd3+Fg5Hj7Kl9Mn2Pq4Rs==",
    ),
    (
        "ds:HexHighEntropyString",
        'HMAC_SECRET="8f3a9c2e7b1d4f6a0e5c8b2d9f1a7e3c"',
        "8f3a9c2e7b1d4f6a0e5c8b2d9f1a7e3c",
    ),
    (
        "ds:IbmCloudIamDetector",
        "ibm_cloud_iam_api_key: Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9Mn2Pq4Rs6Tu8",
        "Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9Mn2Pq4Rs6Tu8",
    ),
    (
        "ds:IbmCosHmacDetector",
        "cos_hmac_secret_access_key = 3f1e2d4c5b6a79880f1e2d4c5b6a79880f1e2d4c5b6a7988",
        "3f1e2d4c5b6a79880f1e2d4c5b6a79880f1e2d4c5b6a7988",
    ),
    (
        "ds:JwtTokenDetector",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJraW0iLCJyb2xlIjoiYWRtaW4ifQ.Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJraW0iLCJyb2xlIjoiYWRtaW4ifQ.Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3",
    ),
    ("ds:KeywordDetector", 'db_pass = "tr4inSt4tion9"', "tr4inSt4tion9"),
    (
        "ds:MailchimpDetector",
        "MAILCHIMP_KEY=3f1e2d4c5b6a79880f1e2d4c5b6a7988-us21",
        "3f1e2d4c5b6a79880f1e2d4c5b6a7988-us21",
    ),
    (
        "ds:NpmDetector",
        "//registry.npmjs.org/:_authToken=npm_Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9Mn2",
        "npm_Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9Mn2",
    ),
    (
        "ds:OpenAIDetector",
        "OPENAI_API_KEY=sk-Zq7Xk2Lm9Np4Rt6Vw8YbT3BlbkFJ1Cd3Fg5Hj7Kl9Mn2Pq4Rs",
        "sk-Zq7Xk2Lm9Np4Rt6Vw8YbT3BlbkFJ1Cd3Fg5Hj7Kl9Mn2Pq4Rs",
    ),
    (
        "ds:PrivateKeyDetector",
        "-----BEGIN DSA PRIVATE KEY-----\nMIIBuwIBAAKBgQDZq7Xk2Lm9Np4Rt6Vw8Yb1Cd3\n-----END DSA PRIVATE KEY-----",
        "MIIBuwIBAAKBgQDZq7Xk2Lm9Np4Rt6Vw8Yb1Cd3",
    ),
    (
        "ds:PypiTokenDetector",
        "password = pypi-AgEIcHlwaS5vcmcCJDU3ZjZhMjE4LTk5ZTgtNGQ0Ni1hNWUzLTQ0ZGZkNzYxMjI4NgACKlszLCI",
        "pypi-AgEIcHlwaS5vcmcCJDU3ZjZhMjE4LTk5ZTgtNGQ0Ni1hNWUzLTQ0ZGZkNzYxMjI4NgACKlszLCI",
    ),
    (
        "ds:SendGridDetector",
        "SENDGRID_API_KEY=SG.Zq7Xk2Lm9Np4Rt6Vw8Yb1C.d3Fg5Hj7Kl9Mn2Pq4Rs6Tu8Vw0Xy2Za4Bc6De8Fg0Hi2",
        "SG.Zq7Xk2Lm9Np4Rt6Vw8Yb1C.d3Fg5Hj7Kl9Mn2Pq4Rs6Tu8Vw0Xy2Za4Bc6De8Fg0Hi2",
    ),
    (
        "ds:SlackDetector",
        "slack_token: xoxb-1029384756-5647382910-Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3",
        "xoxb-1029384756-5647382910-Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3",
    ),
    (
        "ds:SoftlayerDetector",
        "softlayer_api_key = 3f1e2d4c5b6a79880f1e2d4c5b6a79880f1e2d4c5b6a79880f1e2d4c5b6a7988",
        "3f1e2d4c5b6a79880f1e2d4c5b6a79880f1e2d4c5b6a79880f1e2d4c5b6a7988",
    ),
    (
        "ds:SquareOAuthDetector",
        "SQUARE_SECRET=sq0csp-Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9Mn2Pq4Rs6Tu",
        "sq0csp-Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9Mn2Pq4Rs6Tu",
    ),
    ("ds:StripeDetector", "stripe.api_key = 'sk_live_Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3'", "sk_live_Zq7Xk2Lm9Np4Rt6Vw8Yb1Cd3"),
    (
        "ds:TelegramBotTokenDetector",
        "bot = Bot('5647382910:AAHq7Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9')",
        "5647382910:AAHq7Xk2Lm9Np4Rt6Vw8Yb1Cd3Fg5Hj7Kl9",
    ),
    (
        "ds:TwilioKeyDetector",
        "TWILIO_ACCOUNT_SID=AC3f1e2d4c5b6a79880f1e2d4c5b6a7988",
        "AC3f1e2d4c5b6a79880f1e2d4c5b6a7988",
    ),
]


def _rule_samples() -> list[Doc]:
    return [Doc(f"rule/{rule}", "line", line, (secret,)) for rule, line, secret in RULE_SAMPLES]


DOCS = [*_commands(), *_sql(), *_dsns(), *_code(), *_siblings(), *_files(), *_labels(), *_rule_samples()]


def _leaks(doc: Doc, seen: str) -> bool:
    return any(value in seen for value in doc.planted)


def test_the_corpus_covers_each_class() -> None:
    classes = {doc.cls.split("/")[0] for doc in DOCS}
    assert classes == {"cmd", "sql", "dsn", "code", "sibling", "file", "label", "rule"}
    assert len(DOCS) >= 400
    # every gitleaks rule the generated table had no example for has one here
    from tests.test_masking_catalogue import GITLEAKS_WITHOUT_EXAMPLE

    assert set(GITLEAKS_WITHOUT_EXAMPLE) <= {rule for rule, _, _ in RULE_SAMPLES}


# The normaliser drops a %-escaped control character (`%0c`) from the text the rules read, so `-U admin%0cJCP…`
# reads `-U adminJCP…` and `user%password` loses its `%`: left to the normaliser's owner (see the report).
_CONTROL_ESCAPE = re.compile(r"%[01][0-9a-fA-F]")


def _known_gap(doc: Doc) -> bool:
    return doc.cls == "cmd/smbclient" and _CONTROL_ESCAPE.search(doc.text) is not None


KNOWN_GAPS = [f"{doc.cls}/{doc.fmt}" for doc in DOCS if _known_gap(doc)]


def _params(docs: list[Doc]) -> list[object]:
    return [
        pytest.param(
            doc,
            id=f"{doc.cls}-{doc.fmt}-{i}",
            marks=[pytest.mark.xfail(strict=True, reason="%-escaped control character")] if _known_gap(doc) else [],
        )
        for i, doc in enumerate(docs)
    ]


@pytest.mark.parametrize("doc", _params(DOCS))
def test_each_secret_is_masked_and_restored(doc: Doc) -> None:
    masker = Masker(KEY)
    out = mask_outgoing(masker, doc.text, "the prompt")
    assert not _leaks(doc, out.text), out.text
    assert masker.unmask(out.text) == doc.text


# --- class 4: ordinary text to leave alone -----------------------------------------------------------------------

ORDINARY = [
    # config keys that only start with a secret word
    "password_changed_at: 2025-01-02",
    "user:\n  name: kim\n  password_changed_at: 2025-01-02T09:00:00+09:00\n  password_expires_in_days: 90",
    "last_password_change: 2025-01-02T10:00:00Z",
    "PASSWORD_RESET_TTL=3600\nPASSWORD_MIN_LENGTH=12\nSESSION_TIMEOUT=1800",
    "password_policy:\n  min_length: 12\n  require_symbols: true\npassword_hash_algorithm: argon2id",
    '{"password_policy": {"min_length": 12, "history": 5}, "passwordExpiresInDays": 90}',
    "tokenizer: bpe\nvocab_size: 32000\nmax_tokens: 1024",
    "token_count: 512",
    '{"usage": {"input_tokens": 1200, "output_tokens": 340}, "token_type": "Bearer", "tokenizer": "cl100k_base"}',
    '[model]\ntokenizer = "sentencepiece"\ntokenizer_path = "/models/tok.model"\ntoken_budget = 4096',
    "secret_santa: true\nsecret_santa_draw_date: 2025-12-01\nsecret_santa_budget: 30000",
    "spec:\n  tls:\n    - hosts: [bid.acme.kr]\n      secretName: bidradar-tls\n  secret_name: db-credentials",
    "user,password_changed_at,login_count\nkim,2025-01-02,14\nlee,2024-11-30,3",
    "2025-03-02T10:11:12Z INFO auth: password_changed_at=2025-03-02T10:11:12Z user=kim attempts=1",
    # sibling fields that name something about a secret
    'env:\n  - name: PASSWORD_MIN_LENGTH\n    value: "12"\n  - name: TOKEN_TTL_SECONDS\n    value: "3600"',
    '<property name="passwordEncoder" value="bcrypt"/>\n<property name="tokenValidity" value="3600"/>',
    'variable "token_ttl" {\n  type    = number\n  default = 3600\n}',
    '[{"key": "password_hint", "value": "your first school"}, {"key": "token_ttl", "value": "3600s"}]',
    # form fields
    "비밀번호 입력 필드 name=userPw",
    "로그인 화면: 아이디 입력란 id=userId, 비밀번호 입력란 id=user_pw, 버튼 class=btn-login",
    '<label for="userPw">비밀번호</label>\n<input type="password" name="userPw" id="userPw" autocomplete="off">',
    # commands without a password on them
    'sshpass -p "$SSHPASS" ssh deploy@bastion',
    "mysql -u root -p bid",
    "docker login -u acme --password-stdin registry.acme.kr < token.txt",
    "htpasswd -c /etc/nginx/.htpasswd admin",
    "net user /domain\nnet user kim /delete",
    "unzip -p archive.zip notes.txt | less",
    "CREATE USER bid IDENTIFIED BY <password>; 의 <password> 는 직접 정하세요.",
    "IDENTIFIED BY 절은 MySQL 8 에서 바뀌었습니다.",
    # hashes the product uses and commit ids in code review text
    "리뷰 부탁드립니다: 커밋 3f9a2b1c4d5e6f708192a3b4c5d6e7f801928374 에서 가격 모델을 고쳤습니다.",
    "git show a1b2c3d 보시면 테스트가 추가됐어요",
    "const dropboxToken = process.env.DROPBOX_TOKEN || readFromVault();",
    "api_key = os.getenv('OPENAI_API_KEY')\nsecret = import.meta.env.VITE_SECRET",
    "requests.get(url, auth=(user, password))\nds.setPassword(cfg.password)\nport = os.getenv('PORT', '8080')",
    "token_hash: sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "run_digest=5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 data_hash=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
]


def _public_key_texts(key: Any) -> list[str]:
    """A public key as PEM and as one line after a label: public by design."""
    texts: list[str] = []
    public = key.public_key()
    forms = [public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)]
    if isinstance(key, rsa.RSAPrivateKey):
        forms.append(public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1))
    for pem in (form.decode() for form in forms):
        body = "".join(pem.splitlines()[1:-1])
        texts += [pem, f"공개키:\n{pem}", f"public_key: {body}", json.dumps({"publicKey": body})]
    return texts


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


@pytest.mark.parametrize("kind", KINDS)
def test_public_keys_are_left_alone(kind: str) -> None:
    texts = _public_key_texts(seeded_key(kind))
    assert [text for text in texts if mask_outgoing(Masker(KEY), text, "the prompt").text != text] == []


# --- through the gateway and the proxy ---------------------------------------------------------------------------


def test_the_corpus_never_reaches_gemini_through_the_gateway() -> None:
    standin = GeminiStandIn()
    with standin.serve() as url:
        gateway = LLMGateway.from_api_key("k", base_url=url, company="acme", key=KEY, max_attempts=1)
        for start in range(0, len(DOCS), 25):
            text = "\n\n".join(doc.text for doc in DOCS[start : start + 25])
            assert gateway.generate("s33-msecret", text).text == "Echo: " + text
    seen = "\n".join(r.body if isinstance(r.body, str) else r.body.decode() for r in standin.requests)
    seen += "\n".join(r.decoded() for r in standin.requests)
    assert [f"{doc.cls}/{doc.fmt}" for doc in DOCS if _leaks(doc, seen)] == KNOWN_GAPS


@pytest.fixture
def proxy() -> Iterator[tuple[AnthropicStandIn, str]]:
    with masking_proxy(KEY) as served:
        yield served


def test_the_corpus_never_reaches_anthropic_through_the_proxy(proxy) -> None:
    standin, url = proxy
    client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
    send_in_batches(client, MODEL, [doc.text for doc in DOCS])
    send_in_batches(client, MODEL, [doc.text for doc in DOCS], streamed=True, size=50)
    seen = seen_upstream(standin)
    assert len(standin.requests) >= len(DOCS) // 30
    assert [f"{doc.cls}/{doc.fmt}" for doc in DOCS if _leaks(doc, seen)] == KNOWN_GAPS


def test_ordinary_text_reaches_anthropic_unchanged_through_the_proxy(proxy) -> None:
    """Ordinary text in the user's turn, and config keys about secrets in a tool's input (the proxy reads a key as
    the label of its value)."""
    standin, url = proxy
    client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
    send_in_batches(client, MODEL, ORDINARY, size=10)
    tool_input = {
        "password_policy": {"min_length": "12", "require": "symbols"},
        "tokenizer": "bpe",
        "token_count": "512",
        "password_changed_at": "2025-01-02",
    }
    client.messages.create(
        model=MODEL,
        max_tokens=50,
        tools=[{"name": "save_settings", "description": "save settings", "input_schema": {"type": "object"}}],
        messages=[
            {"role": "user", "content": "설정을 저장해 주세요"},
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "toolu_01", "name": "save_settings", "input": tool_input}],
            },
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": "saved"}]},
        ],
    )
    seen = "\n".join(text for r in standin.requests for text in message_texts(json.loads(r.body)))
    assert [text for text in ORDINARY if text not in seen] == []
    assert json.loads(standin.requests[-1].body)["messages"][1]["content"][0]["input"] == tool_input


@pytest.mark.parametrize(
    "text", ["パスワードは「Zq7Xk2Lm9N」です。", "Passwort: 【Zq7Xk2Lm9N】（本番）", "암호：「Zq7Xk2Lm9N」"]
)
def test_a_masked_value_leaves_the_cjk_brackets_around_it(text: str) -> None:
    out = mask_outgoing(Masker(KEY), text, "the prompt").text
    assert "Zq7Xk2Lm9N" not in out
    assert out.replace(out[out.index("MASK_") : out.index("MASK_") + 32], "Zq7Xk2Lm9N") == text
