"""Stop 37, issue 24 (pwapi37): a password passed positionally, to an API call or to a command-line tool, and a
password column of a markdown or ASCII table (docs/notes/s37-pwapi37.md).

The class, not the red team's list (docs/notes/s37-redteam37.md): a call whose name or an argument before the
literal says login/auth/password/credential/basic/secret/connect has its password-shaped literals masked; a short
flag or a Windows switch followed by a password-shaped value is masked whatever the tool; a table whose header
names a password column masks its cells. Ordinary code, commands and tables go out unchanged.
"""

from __future__ import annotations

import pytest

from bidradar.masking.masker import Masker
from bidradar.masking.policy import mask_outgoing

KEY = bytes.fromhex("38" * 32)


def _sent(text: str) -> str:
    masker = Masker(KEY, [])
    out = mask_outgoing(masker, text, "the text").text
    assert masker.unmask(out) == text
    return out


# (text, the password that must not go out)
CALLS = [
    # Go, Java, Kotlin, C#, JS/TS, Python, PHP, Ruby, Rust, Swift: calls the red team did not try
    ('client.SetCredentials("svc-bid", "Hana!7731xq")', "Hana!7731xq"),
    ('conn, err := ldap.DialURL(u); err = conn.Bind("cn=admin", "Lx9#kPw2mQ")', "Lx9#kPw2mQ"),
    ('Authenticator auth = new SimpleAuthenticator("ops", "Qz7$wLp4Ne");', "Qz7$wLp4Ne"),
    ('val ds = DataSourceBuilder.create().username("bid").password("Tq4%mZr8Wx").build()', "Tq4%mZr8Wx"),
    ('var cred = new NetworkCredentialEx("svc", "Pv3@nYc7Ua");', "Pv3@nYc7Ua"),
    ('await page.login("admin", "Mk2^pRt9Vd");', "Mk2^pRt9Vd"),
    (
        "const auth = Buffer.from('ops:Zr8&vQw3Lp').toString('base64'); axios.get(u, { auth: basicAuth('ops', 'Zr8&vQw3Lp') })",
        "Zr8&vQw3Lp",
    ),
    ("client = paramiko.SSHClient(); client.connect('10.1.1.9', 22, 'root', 'Wn6!hTq2Ks')", "Wn6!hTq2Ks"),
    ("smtp.authenticate_plain('noreply', 'Bv5*cMx8Rt')", "Bv5*cMx8Rt"),
    ('$ldap->bind("cn=admin,dc=nuri", "Jd4#rWq7Yp");', "Jd4#rWq7Yp"),
    ("Net::SFTP.start('files.nuri.local', 'deploy', password: 'Hs3!kLz9Qe')", "Hs3!kLz9Qe"),
    ('let client = Client::with_basic_auth("api", "Fp8@tNv2Lm");', "Fp8@tNv2Lm"),
    ('request.setValue("Basic " + base64("ops:Cy7%wKr4Pz"), forHTTPHeaderField: "Authorization")', "Cy7%wKr4Pz"),
    ("header('Authorization: Basic ' . base64_encode('admin:Gk5!mXw8Rb'));", "Gk5!mXw8Rb"),
    ("const sig = createHmacSecret('Xq2#Lm9vTr', body)", "Xq2#Lm9vTr"),
    # over several lines (a builder)
    (
        'RestClient.builder()\n    .defaultHeaders(h -> h.setBasicAuth(\n        "admin",\n        "Rt6$yHn3Jq"))',
        "Rt6$yHn3Jq",
    ),
    # an API key and its secret as a client's two first arguments, another SDK
    (
        "const client = new NaverCloudClient('Ab3kZ9qLmN2xPq7R', 'Ww8eRt5yUi0oPa2sDf4gHj6kLz1xCv3b');",
        "Ww8eRt5yUi0oPa2sDf4gHj6kLz1xCv3b",
    ),
]

COMMANDS = [
    ('sqlcmd -S db01 -U sa -P Kx8!mQw2Lp -Q "select 1"', "Kx8!mQw2Lp"),
    ("mysqldump -uroot -pPz4#vNc7Wt bid > dump.sql", "Pz4#vNc7Wt"),
    ("7z x backup.7z -pTr5%kLm9Qa", "Tr5%kLm9Qa"),
    ("zip -P Hx3@wRq8Zn secret.zip a.xlsx", "Hx3@wRq8Zn"),
    ("rar a -pMq7!zXc4Vb archive.rar docs/", "Mq7!zXc4Vb"),
    ("vncviewer -passwd x 10.0.0.5; x11vnc -passwd Qm3#Lr8vTz -forever", "Qm3#Lr8vTz"),
    ("pg_basebackup -h db -U repl -w; ftp-upload -h ftp.nuri.local -u bid -p Yv9&nKt2Ws file.txt", "Yv9&nKt2Ws"),
    ("sshpass -p 'Nq4!xWz7Lc' scp a.tar ops@10.0.2.2:/tmp", "Nq4!xWz7Lc"),
    ("ipmitool -H 10.0.9.9 -U admin -P 'Dk6^pMw3Rx' sdr list", "Dk6^pMw3Rx"),
    ("runas /user:NURI\\svc /savecred cmd; psexec \\\\srv01 -u NURI\\svc -p Lz8#qTn5Vw cmd", "Lz8#qTn5Vw"),
    ('schtasks /Change /TN backup /RU svc /RP "Wm2!kXr9Qp"', "Wm2!kXr9Qp"),
    ("net use \\\\nas02\\backup Jc5$wLq8Mz /user:backup", "Jc5$wLq8Mz"),
    ("ncftpput -u deploy -p Bq3%nWx7Zk ftp.nuri.local /in a.csv", "Bq3%nWx7Zk"),
    ("lftp -u bid,Vr7!mKq2Xn ftp://files.nuri.local", "Vr7!mKq2Xn"),
    ("$ snmpget -v3 -u mon -l authPriv -a SHA -A Fz8#qLw3Np -x AES -X Fz8#qLw3Np2 10.0.0.1 sysName.0", "Fz8#qLw3Np"),
    ("터미널에서 unzip -P Qs6@vMx9Lt 입찰서류.zip 하시면 됩니다", "Qs6@vMx9Lt"),
]

TABLES = [
    (
        "| 시스템 | 아이디 | 비밀번호 |\n|:---|:---:|---:|\n| 그룹웨어 | kim | Hb4!rQz8Wm |\n| VPN | kim | Tn7#xLk2Vp |",
        "Tn7#xLk2Vp",
    ),
    ("| host | user | passwd | note |\n| --- | --- | --- | --- |\n| db02 | app | Mw9$kRt3Qz | prod |", "Mw9$kRt3Qz"),
    (
        "+--------+-------+-------------+\n| host   | user  | password    |\n+--------+-------+-------------+\n"
        "| nas03  | admin | Zq5%nWv8Lr  |\n+--------+-------+-------------+",
        "Zq5%nWv8Lr",
    ),
    ("| name | api_token |\n|---|---|\n| batch | tk_9fQ2mZx7LpR4vNw8 |", "tk_9fQ2mZx7LpR4vNw8"),
]


@pytest.mark.parametrize(
    ("text", "secret"), CALLS + COMMANDS + TABLES, ids=lambda v: v[:40] if isinstance(v, str) else ""
)
def test_positional_password_does_not_leave(text: str, secret: str) -> None:
    assert secret not in _sent(text)


ORDINARY = [
    # calls with variables, labels, hosts, format strings
    "if err := login(request, user); err != nil { return err }",
    'req.SetBasicAuth(user, pass)\nreq.SetBasicAuth(cfg.User, os.Getenv("API_PASS"))',
    'print(getpass("Password: "))',
    "return HTTPBasicAuth(username, password)",
    'conn = psycopg2.connect(host="db.internal", port=5432, dbname="bid", user=user, password=os.environ["PGPASS"])',
    "client.connect('localhost', 22)\nredis.Redis(host='cache-01', port=6379, db=0)",
    'auth.requireRole("ROLE_ADMIN"); logger.info("login ok for {}", user)',
    "const encoded = btoa(`${user}:${pass}`);",
    "data = base64.b64encode(b'hello world')",
    "Credentials.basic(username, password)\nnew PasswordAuthentication(cfg.getUser(), cfg.getPassword())",
    'connectTimeout("30s"); bind("0.0.0.0:8080"); authenticate("v2.1.0")',
    'assertEquals("3f9a2b7c4d1e8f6a0b5c9d2e7f1a4b8c", "3f9a2b7c4d1e8f6a0b5c9d2e7f1a4b8c")',
    'secretsManager.getSecretValue("prod/bid/db-password")',
    "conn = oracledb.connect(dsn='db.internal/ORCLPDB1')\nsftp.connect(host, 'backup-2025.tar')",
    # commands with flags that are no passwords
    "ssh -p 22 bastion01\nmkdir -p /var/lib/bid/2025-06\ndocker run -p 80:80 -p 443:443 nginx:1.27",
    'git commit -m "fix: 공고번호 파싱 (#412)"\ngit log -p -3',
    "mysql -u root -p\nmysql -h db01 -u bid -p bid_prod < schema.sql",
    "curl -X POST -A 'Mozilla/5.0 (X11; Linux x86_64)' -w '%{http_code}' https://api.g2b.go.kr/x",
    "ssh -A bastion-01\nssh -X ops@jump01\nnetstat -an -p tcp\nps -ef | grep -P 'java|node'",
    "tar -xzf release-v1.4.2.tar.gz -C /opt\nrsync -avP src/ dst/\niperf3 -c perf01 -p 5201 -P 4",
    "net use Z: \\\\fs01\\share /user:NURI\\admin\nnet use Z: \\\\fs01\\share * /user:NURI\\admin",
    "robocopy C:\\src D:\\dst /MIR /R:3 /W:5 /LOG:copy.log\nschtasks /Query /TN nightly /V /FO LIST",
    'unzip -P $ZIP_PASSWORD a.zip\nsshpass -e scp a b\nsqlcmd -S db01 -U sa -P "$SA_PASSWORD"',
    # tables without a password column, or with placeholders or references
    "| 공고번호 | 공고명 | 개찰일 |\n|---|---|---|\n| R25BK00123456 | 서버 구매 | 2025-06-30 |",
    "| 항목 | 비밀번호 정책 |\n|---|---|\n| 길이 | 8자 이상 |",
    "| host | user | password |\n|---|---|---|\n| db01 | bid | ${DB_PASSWORD} |\n| db02 | bid | ******** |",
    "| port | service |\n|---|---|\n| 22 | ssh |\n| 5432 | postgres |",
]


@pytest.mark.parametrize("text", ORDINARY, ids=lambda v: v[:40])
def test_ordinary_text_goes_out_unchanged(text: str) -> None:
    assert _sent(text) == text
