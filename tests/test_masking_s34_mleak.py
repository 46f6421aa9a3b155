"""Stop 34, the secrets that still went out (helper mleak, issue 24): a table per class, written the ways real text
is written (PHP, Python, Java, Go, Perl, C, .env, YAML, JSON, shell history, logs, Korean prose and 카톡).

Each row is (class, example, what must not leave, what must stay). The planted values are drawn from a seeded
generator or typed by hand, never taken from our detectors; the expected results are those planted values. Each
example goes through the policy (= the gateway's masking) and comes back whole when unmasked; the whole table
goes through the proxy (the real anthropic SDK against the Anthropic stand-in) in the user turn and as a tool's
result. The proxy also carries a value found in one place of a request into the object keys and the query string
of the same request. Ordinary text that the new rules must leave alone closes the file. Every value is made up.
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Iterator
from typing import NamedTuple

import anthropic
import httpx
import pytest

from bidradar.masking import Masker
from bidradar.masking.policy import mask_outgoing
from serving.llm_proxy.request_masking import mask_request
from tests.kit.anthropic import AnthropicStandIn, masking_proxy, seen_upstream, send_in_batches

KEY = b"l" * 32
MODEL = "claude-sonnet-4-5"
_RNG = random.Random(3434)


class Row(NamedTuple):
    cls: str
    example: str
    secret: str  # must not leave
    stays: str  # must stay as it is (a name, a label, the text around the value)


def _password(n: int = 12) -> str:
    """Letters, digits and the symbols people put in passwords (`#`, `!`, `@`, `%`, `*`)."""
    while True:
        value = "".join(_RNG.choice(string.ascii_letters + string.digits + "#!@%*") for _ in range(n))
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


def _alnum(n: int) -> str:
    while True:
        value = "".join(_RNG.choice(string.ascii_letters + string.digits) for _ in range(n))
        if any(c.isdigit() for c in value) and any(c.islower() for c in value) and any(c.isupper() for c in value):
            return value


def _rows(cls: str, forms: list[tuple[str, str]], secret: str | None = None) -> list[Row]:
    """One row per form; `{p}` in the form is the planted value (a new one per form unless `secret` is given)."""
    rows = []
    for form, stays in forms:
        value = secret or _password()
        rows.append(Row(cls, form.replace("{p}", value), value, stays))
    return rows


# --- 1. positional passwords in connection calls -----------------------------------------------------------------
POSITIONAL = _rows(
    "positional",
    [
        ("$pdo = new PDO('mysql:host=db.internal;dbname=bid', 'root', '{p}');", "new PDO("),
        ('$pdo = new PDO("pgsql:host=db;dbname=bid", getenv("DB_USER"), "{p}", [PDO::ATTR_ERRMODE => 2]);', "getenv"),
        ("$link = mysqli_connect('localhost', 'bid_app', '{p}', 'bid');", "mysqli_connect("),
        ("$db = new mysqli('127.0.0.1', 'bid_app', '{p}', 'bid', 3306);", "new mysqli("),
        ("$conn = odbc_connect('BidDSN', 'sa', '{p}');", "odbc_connect("),
        ("ftp_login($conn, 'uploader', '{p}');", "ftp_login("),
        ("ssh2_auth_password($session, 'deploy', '{p}');", "ssh2_auth_password("),
        ("conn = pymysql.connect('db.internal', 'bid_app', '{p}', 'bid')", "pymysql.connect("),
        ('db = MySQLdb.connect("localhost", "root", "{p}", "bid", charset="utf8mb4")', "MySQLdb.connect("),
        ("conn = pymssql.connect(server, 'sa', '{p}', 'bid')", "pymssql.connect("),
        ("ftp = ftplib.FTP('files.example-corp.kr', 'uploader', '{p}')", "ftplib.FTP("),
        ("conn = cx_Oracle.connect('scott', '{p}', 'db.internal/ORCLPDB1')", "cx_Oracle.connect("),
        ("$c = oci_connect('scott', '{p}', '//db.internal/ORCL');", "oci_connect("),
        ('Connection c = DriverManager.getConnection(url, "sa", "{p}");', "DriverManager.getConnection(url"),
        ('Connection c = DriverManager.getConnection("jdbc:mysql://db:3306/bid", "bid_app", "{p}");', "jdbc:"),
        ('try (Connection c = dataSource.getConnection("bid_app", "{p}")) {', "dataSource.getConnection("),
        ('val conn = DriverManager.getConnection(jdbcUrl, "sa", "{p}")', "val conn"),
        ("my $dbh = DBI->connect($dsn, 'bid_app', '{p}', { RaiseError => 1 });", "DBI->connect("),
        ('mysql_real_connect(conn, "db.internal", "bid_app", "{p}", "bid", 3306, NULL, 0);', "mysql_real_connect("),
        ("client.connect('10.0.3.17', 22, 'deploy', '{p}')", "client.connect("),
        ("const sequelize = new Sequelize('bid', 'bid_app', '{p}', { dialect: 'mysql' });", "new Sequelize("),
        ('db, err := sql.Open("mysql", "bid_app:{p}@tcp(db.internal:3306)/bid")', "@tcp("),
        # the same calls quoted in a Korean question and in a log line
        ("이 코드 왜 안 되죠? conn = pymysql.connect('db', 'root', '{p}', 'bid') 에서 에러가 나요", "에서 에러가 나요"),
        (
            '[오후 2:14] 김개발: DriverManager.getConnection(url, "sa", "{p}") 이렇게 했는데 접속이 안 돼요',
            "접속이 안 돼요",
        ),
        ("2025-03-02 10:11:12 ERROR app.py:42 new PDO('mysql:host=db', 'root', '{p}') failed", "failed"),
    ],
)

# --- 2. a secret's name in one field or literal, its value in the next ------------------------------------------
SIBLINGS = _rows(
    "sibling",
    [
        ('"containerDefinitions": [{"environment": [{"name": "DB_PASS", "value": "{p}"}]}]', '"name": "DB_PASS"'),
        ('{"name": "REDIS_PASSWORD", "value": "{p}"}', "REDIS_PASSWORD"),
        (
            '[{"ParameterKey": "DBPassword", "ParameterValue": "{p}"}, {"ParameterKey": "Env", "ParameterValue": "prod"}]',
            '"ParameterValue": "prod"',
        ),
        ("Parameters:\n  - ParameterKey: DBPassword\n    ParameterValue: {p}\n", "ParameterKey: DBPassword"),
        ("Environment:\n  - Name: DB_PASSWORD\n    Value: {p}\n", "Name: DB_PASSWORD"),
        ('env:\n  - name: SPRING_DATASOURCE_PASSWORD\n    value: "{p}"\n', "SPRING_DATASOURCE_PASSWORD"),
        (
            '{"Namespace": "aws:elasticbeanstalk:application:environment", "OptionName": "DB_PASSWORD", "Value": "{p}"}',
            '"OptionName": "DB_PASSWORD"',
        ),
        ('{"Name": "/prod/bid/db/password", "Type": "SecureString", "Value": "{p}"}', "SecureString"),
        ('{"key": "API_TOKEN", "value": "{p}", "protected": true, "masked": false}', '"protected": true'),
        ('<param name="db.pass" value="{p}"/>', '<param name="db.pass"'),
        ('"parameters": {\n  "adminPassword": {\n    "value": "{p}"\n  }\n}', '"adminPassword"'),
        ("adminPassword:\n  value: {p}\n", "adminPassword:"),
        ("define('DB_PASSWORD', '{p}');", "define('DB_PASSWORD', "),
        ('props.setProperty("spring.datasource.password", "{p}");', "spring.datasource.password"),
        ('System.setProperty("javax.net.ssl.trustStorePassword", "{p}");', "trustStorePassword"),
        ('os.Setenv("DB_PASSWORD", "{p}")', 'os.Setenv("DB_PASSWORD", '),
        ('os.environ["DB_PASSWORD"] = "{p}"', 'os.environ["DB_PASSWORD"] = '),
        ("ENV['REDIS_PASS'] = '{p}'", "ENV['REDIS_PASS']"),
        ('viper.Set("db.password", "{p}")', "viper.Set("),
        ('secrets.put("api_token", "{p}");', "secrets.put("),
        ("설정 코드에 define('DB_PASSWORD', '{p}'); 이렇게 박혀 있어요", "이렇게 박혀 있어요"),
    ],
)

SIBLINGS.append(Row("sibling", "define('DB_PASSWORD', 'rootpw_778878');", "rootpw_778878", "define('DB_PASSWORD', "))

# --- 3. a password written in base64 -------------------------------------------------------------------------
_B64 = [
    "c3VwZXJzZWNyZXQxMjM=",  # supersecret123
    "SGFuYml0MjAyNCF4",  # Hanbit2024!x
    "cm9vdHB3Xzc3ODg3OA==",  # rootpw_778878
]
BASE64 = [
    Row("base64", f"DB_PASSWORD={_B64[0]}", _B64[0], "DB_PASSWORD="),
    Row("base64", f"비밀번호(base64): {_B64[1]}", _B64[1], "비밀번호(base64): "),
    Row("base64", f"DB 비번(base64) 알려드려요\n{_B64[2]}", _B64[2], "알려드려요"),
    Row("base64", f"[오후 3:12] 박과장: 비번은 base64로 {_B64[0]} 이에요", _B64[0], "박과장"),
    Row(
        "base64", f"PGPASSWORD=$(echo {_B64[1]} | base64 -d) psql -h db.internal -U bid", _B64[1], "PGPASSWORD=$(echo "
    ),
    Row("base64", f"  512  echo -n '{_B64[2]}' | base64 --decode", _B64[2], "base64 --decode"),
    Row("base64", f'DB_PASSWORD = base64.b64decode("{_B64[0]}").decode()', _B64[0], "DB_PASSWORD = base64.b64decode("),
    Row("base64", f"const secret = Buffer.from('{_B64[1]}', 'base64').toString();", _B64[1], "Buffer.from("),
    Row("base64", f"$ kubectl get secret bid-db -o jsonpath='{{.data.password}}'\n{_B64[2]}", _B64[2], "jsonpath="),
    Row("base64", f"data:\n  POSTGRES_PASSWORD: {_B64[0]}\n", _B64[0], "POSTGRES_PASSWORD: "),
]

# --- 4. a quoted value runs to its closing quote ----------------------------------------------------------------
QUOTED = [
    Row("quoted", "SECRET_KEY='k#9x(2m)!p=q+r'", "2m)!p=q+r", "SECRET_KEY='"),
    Row("quoted", 'SECRET_KEY = "django-insecure-7h(x)#9k!m{q}r[s]z^t&u*v"', "m{q}r[s]z", "SECRET_KEY = "),
    Row("quoted", "app.config['SECRET_KEY'] = 'Zx(4)Qp;Lm,9'", "Qp;Lm,9", "app.config['SECRET_KEY'] = '"),
    Row("quoted", '{"password": "Tr0ub(4)dor,&3"}', "dor,&3", '{"password": "'),
    Row("quoted", "DB_PASSWORD='pa<ss>w;rd{9}'", "w;rd{9}", "DB_PASSWORD='"),
    Row("quoted", 'client_secret: "a1B2(c3)D4[e5]F6"', "D4[e5]F6", "client_secret: "),
]

# --- 5. an AWS access key id in lower case ------------------------------------------------------------------------
_AKIA = ["akia2xq7r5t3w9y4u6i1", "akiaiosfodnn7example", "asia7kq2m4n6p3r5s2t4"]
AKIA = [
    Row("akia", f"aws_access_key_id = {_AKIA[0]}", _AKIA[0], "aws_access_key_id = "),
    Row("akia", f"aws configure set aws_access_key_id {_AKIA[1]}", _AKIA[1], "aws configure set"),
    Row("akia", f"액세스키 {_AKIA[0]} 로 접속했어요", _AKIA[0], "로 접속했어요"),
    Row("akia", f"| aws_access_key_id | {_AKIA[1]} |", _AKIA[1], "| aws_access_key_id |"),
    Row("akia", f'{{"AccessKeyId": "{_AKIA[2]}", "Expiration": "2025-03-02T10:00:00Z"}}', _AKIA[2], "Expiration"),
    Row("akia", f"[카톡] 키 소문자로 보냄 {_AKIA[1]}", _AKIA[1], "소문자로 보냄"),
]

# --- 6. a short secret after a secret's name or label (Naver's client secret is 10 characters) ---------------------
_NAVER = [_alnum(10) for _ in range(6)] + ["gdcFXaHdOg", "sdpxewQzyI", "NqPfoPrrCb"]  # the last three letters only
NAVER = [
    Row("short-secret", f"네이버 시크릿: {_NAVER[0]}", _NAVER[0], "네이버 시크릿: "),
    Row("short-secret", f"네이버 검색 API 클라이언트 시크릿 {_NAVER[1]}", _NAVER[1], "클라이언트 시크릿 "),
    Row("short-secret", f"[오후 4:01] 이대리: client secret {_NAVER[2]} 입니다", _NAVER[2], "입니다"),
    Row("short-secret", f"Client Secret: {_NAVER[3]}\nClient ID: abcdEFGH1234ijkl", _NAVER[3], "Client ID"),
    Row("short-secret", f"NAVER_CLIENT_SECRET={_NAVER[4]}", _NAVER[4], "NAVER_CLIENT_SECRET="),
    Row("short-secret", f'naver:\n  client-secret: "{_NAVER[5]}"\n', _NAVER[5], "client-secret: "),
    Row("short-secret", f"NAVER_CLIENT_SECRET={_NAVER[6]}", _NAVER[6], "NAVER_CLIENT_SECRET="),
    Row("short-secret", f"네이버 시크릿 {_NAVER[7]}", _NAVER[7], "네이버 시크릿 "),
    Row("short-secret", f'{{"naver_client_secret": "{_NAVER[8]}"}}', _NAVER[8], '"naver_client_secret": "'),
]

# --- 7. damage in the same area: the name stays, only the value is masked ----------------------------------------
NAME_STAYS = [
    Row("name-stays", "JWT_SECRET=gdcFXaHdOgPqR", "gdcFXaHdOgPqR", "JWT_SECRET="),
    Row("name-stays", "export JWT_SECRET=Qx7mL2pZ9wRt", "Qx7mL2pZ9wRt", "export JWT_SECRET="),
    Row("name-stays", "secret: MyAppSecretValue9", "MyAppSecretValue9", "secret: "),
    Row(
        "name-stays",
        "jdbc:mysql://db.internal:3306/bid?user=bid_app&password=qBdUxw_qUwad8z&useSSL=false",
        "qBdUxw_qUwad8z",
        "&useSSL=false",
    ),
]

# --- 8. a login answered on stdin, expect's send, `az login -p` (shell history) ----------------------------------
LOGIN_INPUT = _rows(
    "login-input",
    [
        ("  370  echo -e 'svc_bid\\n{p}' | ftp -n files.example-corp.kr", "ftp -n"),
        ("printf 'uploader\\n{p}\\nbin\\nput a.csv\\n' | ftp -n files.example-corp.kr", "ftp -n"),
        ('  995  send "{p}\\r"', "send"),
        ('spawn ssh deploy@10.0.3.17\nexpect "*assword:"\nsend "{p}\\r"\ninteract', "interact"),
        ("  473  az login -u deploy@example-corp.kr -p {p}", "az login"),
        ("[오후 5:02] 최주임: az login -u ops@example-corp.kr -p '{p}' 로 하면 돼요", "로 하면 돼요"),
    ],
)


def _numbered(text: str, first: int = 1, tab: bool = False) -> str:
    """`text` as Claude Code's Read tool (`     5→…`) or `cat -n` (`     5\t…`) prints it."""
    lines = text.split("\n")
    return "\n".join(f"{n:>6}{chr(9) if tab else '→'}{line}" for n, line in enumerate(lines, start=first))


# --- 9. the same siblings and multi-line shapes as a file read by Claude Code (line numbers before each line) ---
READ_TOOL = _rows(
    "read-tool",
    [
        (
            _numbered('spec:\n  containers:\n  - name: api\n    env:\n    - name: DB_PASSWORD\n      value: "{p}"', 12),
            "spec:",
        ),
        (_numbered("Environment:\n  - Name: REDIS_PASS\n    Value: {p}", 40), "Name: REDIS_PASS"),
        (_numbered("  DBPassword:\n    Type: String\n    NoEcho: true\n    Default: {p}", 7), "NoEcho: true"),
        (_numbered("db_password: |\n  {p}", 3, tab=True), "db_password: |"),
        (_numbered('spawn ssh deploy@10.0.3.17\nexpect "*assword:"\nsend "{p}\\r"'), "spawn ssh"),
        (_numbered('"parameters": {\n  "adminPassword": {\n    "value": "{p}"\n  }\n}', 20), "adminPassword"),
    ],
)

TABLE = POSITIONAL + SIBLINGS + BASE64 + QUOTED + AKIA + NAVER + NAME_STAYS + LOGIN_INPUT + READ_TOOL


def _ids(rows: list[Row]) -> list[str]:
    return [f"{row.cls}-{i}" for i, row in enumerate(rows)]


@pytest.mark.parametrize("row", TABLE, ids=_ids(TABLE))
def test_the_value_is_masked_and_the_rest_stays(row: Row) -> None:
    masker = Masker(KEY)
    out = mask_outgoing(masker, row.example, "the prompt").text
    assert row.secret not in out, out
    assert row.stays in out, out
    assert masker.unmask(out) == row.example


@pytest.fixture
def proxy() -> Iterator[tuple[AnthropicStandIn, str]]:
    with masking_proxy(KEY) as served:
        yield served


def test_the_table_never_reaches_anthropic_through_the_proxy(proxy) -> None:
    standin, url = proxy
    client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
    send_in_batches(client, MODEL, [row.example for row in TABLE])
    for row in TABLE[::5]:  # as a tool's result (a file Claude Code read)
        client.messages.create(
            model=MODEL,
            max_tokens=50,
            messages=[
                {"role": "user", "content": "설정 파일 읽어줘"},
                {
                    "role": "assistant",
                    "content": [{"type": "tool_use", "id": "toolu_01R", "name": "Read", "input": {}}],
                },
                {
                    "role": "user",
                    "content": [{"type": "tool_result", "tool_use_id": "toolu_01R", "content": row.example}],
                },
            ],
        )
    seen = seen_upstream(standin)
    assert [f"{row.cls}: {row.example}" for row in TABLE if row.secret in seen] == []


# --- the proxy: a value found in one place of a request, written alone in a key or the query string -------------
# (the text that holds the value with its context, the value as it is written alone)
CARRIED = [
    ("DATABASE_URL=postgresql://admin:VG0kUG_No03DpQ@redis.example-corp.kr:5432/app", "VG0kUG_No03DpQ"),
    ("jdbc:mysql://10.0.3.17:3306/bid?user=bidradar&password=qBdUxw_qUwad8z&useSSL=false", "qBdUxw_qUwad8z"),
    ("NAVER_CLIENT_SECRET=gdcFXaHdOg", "gdcFXaHdOg"),
    ("arn:aws:s3:::acme-prod-npxkaj/exports/2025/*", "acme-prod-npxkaj"),
    ("arn:aws:lambda:ap-northeast-2:123456789012:function:bid-sync-prod", "bid-sync-prod"),
    ("arn:aws:iam::123456789012:role/service-role/AcmeBidDeployRole", "AcmeBidDeployRole"),
    ("conn = pymysql.connect('db', 'root', 'Hk2#pL9qZx', 'bid')", "Hk2#pL9qZx"),
    ("비밀번호: Wq8xLm2Pz7", "Wq8xLm2Pz7"),
    (
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq4nR2Xk9mQ2vLp7wZx8Yc3Vb5Nm1Lk0Jh6Gf4Dd2Ss\n"
        "B5RcCX7vf6j5U9eLyN1uVWkk6M1GBg8hZof9H5EhKaRMkhmMnsV2vILA3iQ1xESl\n-----END RSA PRIVATE KEY-----",
        "B5RcCX7vf6j5U9eLyN1uVWkk6M1GBg8hZof9H5EhKaRMkhmMnsV2vILA3iQ1xESl",
    ),
]


def _carried_body(text: str, value: str) -> dict:
    return {
        "model": MODEL,
        "max_tokens": 50,
        "tools": [
            {
                "name": "lookup",
                "description": "look up",
                "input_schema": {"type": "object", "properties": {value: {"type": "string"}}},
            }
        ],
        "metadata": {"user_id": "u1"},
        "messages": [
            {"role": "user", "content": text},
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "toolu_01A", "name": "lookup", "input": {value: "1"}}],
            },
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01A", "content": "ok"}]},
        ],
    }


@pytest.mark.parametrize(("text", "value"), CARRIED, ids=[v for _, v in CARRIED])
def test_a_value_found_elsewhere_is_masked_in_object_keys(text: str, value: str) -> None:
    masked = mask_request(_carried_body(text, value), KEY)
    assert value not in masked.content.decode()
    assert masked.masker.unmask(masked.content.decode()).count(value) == 3  # the text, the schema, the input


def test_a_value_found_in_the_body_is_masked_in_the_query_string(proxy) -> None:
    standin, url = proxy
    for text, value in CARRIED:
        response = httpx.post(
            f"{url}/v1/messages",
            params={"note": value, "other": f"see {value}"},
            headers={"x-api-key": "sk-ant-test", "anthropic-version": "2023-06-01"},
            json={"model": MODEL, "max_tokens": 50, "messages": [{"role": "user", "content": text}]},
            timeout=30,
        )
        assert response.status_code == 200, response.text
    queries = [request.query for request in standin.requests]
    assert len(queries) == len(CARRIED)
    assert [value for _, value in CARRIED if any(value in q for q in queries)] == []
    assert all("note=MASK_" in q for q in queries)


# --- ordinary text the new rules must leave alone -----------------------------------------------------------------
ORDINARY = [
    # connection calls with variables, keyword arguments, or no password
    "conn = pymysql.connect(host, user, password, db)",
    "$pdo = new PDO($dsn, $user, $pass, $options);",
    "Connection c = DriverManager.getConnection(url, props);",
    "Connection c = DriverManager.getConnection(url, user, password);",
    "ftp = ftplib.FTP('files.example-corp.kr')",
    "client.connect(hostname, port=22, username=user, key_filename=path)",
    # a secret's name next to a label, a flag, another name
    'form.addField("password", "Password");',
    'parser.add_argument("--password", "-p", help="DB password")',
    'SECRET_SETTINGS = {"GEMINI_API_KEY", "SLACK_BOT_TOKEN", "SMTP_PASSWORD"}',
    "REQUIRED = ('db_password', 'api_token', 'smtp.password')",
    'labels = {"password": "비밀번호", "token": "토큰"}',
    'log.info("token", "refreshed")',
    '{"name": "PASSWORD_MIN_LENGTH", "value": "12"}',
    '[{"ParameterKey": "PasswordLength", "ParameterValue": "16"}]',
    # quoted values that are placeholders or references
    'password: "${DB_PASSWORD}"',
    "SECRET_KEY = os.environ['SECRET_KEY']",
    'DB_PASSWORD="$(cat /run/secrets/db_password)"',
    # CamelCase names after a secret's name, short words
    "client_secret_name: HTTPServerConfig",
    "token_type: Bearer",
    "네이버 시크릿 키는 콘솔에서 재발급하세요",
    "client secret 은 10자리입니다",
    # base64 that is not a secret
    "echo $PAYLOAD | base64 -d > out.bin",
    'img = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")',
    # AWS words in lower case that are not keys
    "asia-northeast3 리전으로 옮겼어요",
    "akia 로 시작하는 키는 대문자로 씁니다",
    # expect answering ordinary prompts
    'expect "(yes/no)?"\nsend "yes\\r"\nexpect "$ "\nsend "exit\\r"',
    'send "ls -la /var/log\\r"',
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask_outgoing(Masker(KEY), text, "the prompt").text == text


def test_the_table_covers_each_class() -> None:
    classes = {row.cls for row in TABLE}
    assert classes == {
        "positional", "sibling", "base64", "quoted", "akia", "short-secret", "name-stays", "login-input", "read-tool"
    }  # fmt: skip
    assert all(row.secret in row.example and row.stays in row.example for row in TABLE)
    assert json.dumps([row.example for row in TABLE], ensure_ascii=False)  # plain text, nothing binary
