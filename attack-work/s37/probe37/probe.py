# ruff: noqa
# probe37 (stop 37): a fresh red team's scratch probe, kept as it ran (not project code). Run: .venv/bin/python attack-work/s37/probe37/probe.py [SEED]; then summarize.py
import sys, random, string, re, unicodedata, json, time, base64

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[3]))
from bidradar.masking.masker import Masker
from bidradar.masking.policy import mask_outgoing, MaskingRefused

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 37
R = random.Random(SEED)


def dg(n):
    return "".join(R.choice("0123456789") for _ in range(n))


def al(n, cs=string.ascii_letters + string.digits):
    return "".join(R.choice(cs) for _ in range(n))


def rrn(female=False):
    yy = R.randint(70, 99)
    mm = R.randint(1, 12)
    dd = R.randint(1, 28)
    s = f"{yy:02d}{mm:02d}{dd:02d}" + ("2" if female else "1") + dg(5)
    w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    c = (11 - sum(int(a) * b for a, b in zip(s, w)) % 11) % 10
    s += str(c)
    return s[:6] + "-" + s[6:]


def brn():
    while True:
        s = dg(3) + R.choice(["81", "86", "87", "88", "01", "05"]) + dg(4)
        if s[0] == "0":
            continue
        w = [1, 3, 7, 1, 3, 7, 1, 3, 5]
        t = sum(int(a) * b for a, b in zip(s, w)) + (int(s[8]) * 5) // 10
        c = (10 - t % 10) % 10
        s += str(c)
        return f"{s[:3]}-{s[3:5]}-{s[5:]}"


def card():
    s = R.choice(["4", "5" + R.choice("12345"), "9410"])
    s += dg(15 - len(s))
    tot = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        tot += d
    s += str((10 - tot % 10) % 10)
    return "-".join(s[i : i + 4] for i in range(0, 16, 4))


def akid():
    return R.choice(["AKIA", "ASIA"]) + al(16, string.ascii_uppercase + "234567")


def secret():
    return al(40, string.ascii_letters + string.digits + "/+")


def acct():
    return str(R.randint(1, 9)) + dg(11)


def phone():
    return f"010-{R.randint(2000, 9999)}-{dg(4)}"


def ip():
    return f"{R.choice([13, 15, 43, 52, 54, 211, 121, 175, 203, 59])}.{R.randint(1, 254)}.{R.randint(1, 254)}.{R.randint(1, 254)}"


def pip():
    return f"10.{R.randint(1, 254)}.{R.randint(1, 254)}.{R.randint(2, 254)}"


def email():
    return (
        R.choice(["jh.kim", "sooyoung.lee", "park.mj", "dev-ops", "hyunwoo"])
        + str(R.randint(1, 99))
        + "@"
        + R.choice(["nurion-tech.co.kr", "bluewhale.kr", "naver.com", "gmail.com", "daum.net"])
    )


def bucket():
    return (
        R.choice(["nurion", "bw", "nrt"])
        + "-"
        + R.choice(["bid-docs", "prod-logs", "backup", "tf-state"])
        + "-"
        + dg(4)
    )


def rds():
    return (
        R.choice(["bidradar-prod", "nurion-db", "erp-main"])
        + "."
        + al(12, string.ascii_lowercase + string.digits)
        + ".ap-northeast-2.rds.amazonaws.com"
    )


def ghp():
    return "ghp_" + al(36)


def ghpat():
    return "github_pat_" + al(22) + "_" + al(59)


def oai():
    return "sk-proj-" + al(48) + "T3BlbkFJ" + al(48)


def ant():
    return "sk-ant-api03-" + al(93, string.ascii_letters + string.digits + "-_") + "AA"


def slack():
    return f"xoxb-{dg(12)}-{dg(13)}-{al(24)}"


def slackhook():
    return f"https://hooks.slack.com/services/T{al(8, string.ascii_uppercase + string.digits)}/B{al(10, string.ascii_uppercase + string.digits)}/{al(24)}"


def goog():
    return "AIza" + al(35, string.ascii_letters + string.digits + "-_")


def pw():
    return (
        R.choice(["Nuri", "Blue", "Bid", "Qwer", "Admin"])
        + R.choice(["!", "@", "#", "$"])
        + dg(4)
        + R.choice(["!!", "#", "^^", "ok"])
    )


def iid():
    return "i-0" + al(16, "0123456789abcdef")


def sg():
    return "sg-0" + al(16, "0123456789abcdef")


def fw(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def ko_digits(s):
    m = dict(zip("0123456789", "공일이삼사오육칠팔구"))
    return "".join(m.get(c, c) for c in s)


A = []  # (cls, form, text, [planted])


def add(cls, form, text, *vals):
    A.append((cls, form, text, list(vals)))


# ---------- 주민등록번호 ----------
v = rrn()
add("RRN", "kakao export line", f"2025. 3. 4. 오후 2:13, 김지훈 : 주민번호 {v} 이에요 급해요ㅠ", v)
v = rrn(True)
add("RRN", "particle glued", f"신청인 주민번호는{v}이고 주소는 서울 마포구입니다", v)
v = rrn()
add("RRN", "no dash", f"생년월일/주민: {v.replace('-', '')} (앞자리만 보셔도 됩니다)", v)
v = rrn()
add("RRN", "full-width", f"주민등록번호：{fw(v)}", v)
v = rrn()
add("RRN", "spaces around dash (HWP)", f"주 민 등 록 번 호   {v[:6]} - {v[7:]}", v)
v = rrn()
add("RRN", "CSV korean headers", f"성명,주민등록번호,연락처\n이수영,{v},{phone()}", v)
v = rrn()
add("RRN", "PDF wrap mid-number", f"담당자 인적사항: 박민재 주민등록번호 {v[:9]}\n{v[9:]} 재직증명서 첨부", v)
v = rrn(True)
add("RRN", "bracketed", f"[{v}] 외국인 아님, 확인 부탁", v)
v = rrn()
add("RRN", "em-dash separator", f"주민 {v[:6]}—{v[7:]}", v)
v = rrn()
add("RRN", "dot separator", f"주민번호 {v[:6]}.{v[7:]} 입니다", v)
v = rrn()
add("RRN", "in URL query", f"https://hr.nurion-tech.co.kr/emp/verify?rrn={v.replace('-', '')}&name=kim", v)
v = rrn()
add("RRN", "json field", json.dumps({"name": "최현우", "jumin": v}, ensure_ascii=False), v)
v = rrn()
add("RRN", "quoted email reply", f"> 주민번호 알려주세요\n>> {v}\n네 위에 있습니다", v)
v = rrn()
add("RRN", "korean-spelled digits", f"주민번호 불러드릴게요 {ko_digits(v)}", v, ko_digits(v))
v = rrn()
add("RRN", "Jira comment @mention", f"@jh.kim 고객 본인확인 완료 ({v}) 처리해주세요", v)
v = rrn()
add("RRN", "digits spaced", f"주민번호: {' '.join(v.replace('-', ''))}", v)
v = rrn()
add("RRN", "markdown table", f"| 이름 | 주민번호 |\n|---|---|\n| 정다은 | {v} |", v)
v = rrn()
add("RRN", "SQL insert", f"INSERT INTO emp(name, rrn) VALUES ('김철수', '{v}');", v)

# ---------- 사업자등록번호 ----------
v = brn()
add("BRN", "plain with label", f"누리온 사업자번호 {v} 로 입찰 참가 등록", v)
v = brn()
add("BRN", "no dash in parens", f"(주)블루웨일({v.replace('-', '')})", v)
v = brn()
add("BRN", "full-width", f"사업자등록번호 {fw(v)}", v)
v = brn()
add("BRN", "CSV header only", f"업체명,사업자등록번호,대표자\n가나정보,{v},홍길동", v)
v = brn()
add("BRN", "particle glued", f"사업자번호가{v}인데 맞나요?", v)
v = brn()
add("BRN", "unlabelled in sentence", f"세금계산서 {v} 앞으로 발행해 주세요", v)
v = brn()
add("BRN", "tilde/underscore sep", f"biz_no={v.replace('-', '_')}", v)
v = brn()
add("BRN", "spaces", f"사업자 {v.replace('-', ' ')}", v)
v = brn()
add("BRN", "hangul middle dot", f"사업자등록번호 {v.replace('-', 'ㆍ')}", v)
v = brn()
add("BRN", "URL path", f"https://bizno.net/article/{v.replace('-', '')}", v)

# ---------- cards ----------
v = card()
add("CARD", "label + dashes", f"법인카드 {v} 유효기간 08/27", v)
v = card()
add("CARD", "no sep", f"카드번호:{v.replace('-', '')}", v)
v = card()
add("CARD", "spaces", f"결제카드 {v.replace('-', ' ')} 로 결제했어요", v)
v = card()
add("CARD", "kakao", f"[박과장] [오후 3:02] 카드 {v} 이걸로 해주세요", v)
v = card()
add("CARD", "full-width", f"카드：{fw(v)}", v)
v = card()
add("CARD", "json", json.dumps({"card_no": v.replace("-", ""), "cvc": "123"}), v)
v = card()
add("CARD", "CSV", f"일자,가맹점,카드번호,금액\n2025-03-02,쿠팡,{v},32000", v)

# ---------- phones ----------
v = phone()
add("PHONE", "plain", f"연락처 {v}", v)
v = phone()
add("PHONE", "no sep glued particle", f"{v.replace('-', '')}으로 전화주세요", v)
v = phone()
add("PHONE", "+82 form", f"Tel: +82-{v[1:]}", v)
v = phone()
add("PHONE", "+82 10 spaced", f"+82 10 {v[4:8]} {v[9:]}", v)
v = phone()
add("PHONE", "dots", f"H.P {v.replace('-', '.')}", v)
v = phone()
add("PHONE", "parentheses", f"담당: 이대리({v})", v)
v = phone()
add("PHONE", "full-width", f"휴대폰 {fw(v)}", v)
v = phone()
add("PHONE", "email signature", f"--\n김지훈 | 영업팀 과장\nM. {v.replace('-', ' ')}\nT. 02-555-1234", v)
v = phone()
add(
    "PHONE",
    "korean spelled",
    f"공일공 {ko_digits(v[4:8])} {ko_digits(v[9:])} 로 연락",
    v,
    ko_digits(v[4:8]) + " " + ko_digits(v[9:]),
)
v = phone()
add("PHONE", "tel: URI", f'<a href="tel:{v.replace("-", "")}">전화</a>', v)
v = phone()
add("PHONE", "slash sep", f"010/{v[4:8]}/{v[9:]}", v)
v = phone()
add("PHONE", "CSV column", f"이름,휴대폰\n한지민,{v.replace('-', '')}", v)
v = phone()
add("PHONE", "tilde sep", f"폰 010~{v[4:8]}~{v[9:]}", v)

# ---------- emails ----------
v = email()
add("EMAIL", "plain", f"메일 {v} 로 보내주세요", v)
v = email()
add("EMAIL", "particle glued", f"{v}으로 회신 바랍니다", v)
v = email()
add("EMAIL", "mailto", f"[메일](mailto:{v}?subject=견적)", v)
v = email()
add("EMAIL", "angle quoted header", f"From: 김지훈 <{v}>\nSent: 2025년 3월 4일 화요일 오후 2:11\nSubject: RE: 견적", v)
v = email()
u, d = v.split("@")
add("EMAIL", "[at] spelled", f"{u} [at] {d.replace('.', ' [dot] ')}", v)
v = email()
u, d = v.split("@")
add("EMAIL", "골뱅이", f"{u} 골뱅이 {d}", u)
v = email()
add("EMAIL", "full-width @", f"{v.replace('@', '＠')}", v)
v = email()
add("EMAIL", "url-encoded", f"https://portal.example.com/invite?email={v.replace('@', '%40')}", v)
v = email()
add(
    "EMAIL",
    "git log",
    f"commit {al(40, '0123456789abcdef')}\nAuthor: jh <{v}>\nDate:   Tue Mar 4 14:02:11 2025 +0900",
    v,
)
v = email()
add("EMAIL", "in k8s annotation", f"metadata:\n  annotations:\n    owner: {v}", v)

# ---------- IPv4 ----------
v = ip()
add("IPV4", "ssh cmd", f"ssh -i ~/.ssh/prod.pem ec2-user@{v}", v)
v = ip()
add("IPV4", "particle glued", f"서버 {v}에 접속이 안돼요", v)
v = ip()
add("IPV4", "with port", f"curl http://{v}:8080/health", v)
v = ip()
add("IPV4", "full-width", f"접속 IP: {fw(v)}", v)
v = ip()
add("IPV4", "nginx log", f'{v} - - [04/Mar/2025:14:02:11 +0900] "GET /api/bids HTTP/1.1" 200 512', v)
v = ip()
add("IPV4", "defanged [.]", f"공격 IP {v.replace('.', '[.]')} 차단함", v)
v = pip()
add("IPV4", "private in docker log", f"bidradar-api-1  | INFO connected to postgres at {v}:5432", v)
v = ip()
add("IPV4", "CIDR /32 SG", f'cidr_blocks = ["{v}/32"]', v)
v = ip()
add("IPV4", "parens", f"(사무실 공인IP {v})", v)
v = ip()
add("IPV4", "kakao", f"[이과장] [오후 4:11] 방화벽 {v} 열어주세요", v)
v = ip()
add("IPV4", "ellipsis then ip", f"접속 대상…{v}", v)
v = ip()
add("IPV4", "X-Forwarded-For", f"X-Forwarded-For: {v}, 10.0.1.5", v)

# ---------- AWS ----------
v = akid()
add("AWS_KEY", ".env", f"AWS_ACCESS_KEY_ID={v}\nAWS_REGION=ap-northeast-2", v)
v = akid()
s = secret()
add("AWS_SECRET", ".env pair", f"AWS_ACCESS_KEY_ID={v}\nAWS_SECRET_ACCESS_KEY={s}", v, s)
v = akid()
s = secret()
add("AWS_SECRET", "~/.aws/credentials", f"[default]\naws_access_key_id = {v}\naws_secret_access_key = {s}", v, s)
s = secret()
add("AWS_SECRET", "kakao paste", f"시크릿키 {s} 입니다 유출주의", s)
v = akid()
add("AWS_KEY", "particle glued", f"액세스키는{v}이고요", v)
v = akid()
add("AWS_KEY", "lowercased", f"key id(소문자로 잘못 적음): {v.lower()}", v.lower())
v = akid()
add("AWS_KEY", "split by space", f"키: {v[:10]} {v[10:]}", v)
v = akid()
add("AWS_KEY", "GH actions yaml", f"env:\n  AWS_ACCESS_KEY_ID: '{v}'\n  AWS_DEFAULT_REGION: ap-northeast-2", v)
a = acct()
add("AWS_ACCT", "ARN", f"arn:aws:iam::{a}:role/bidradar-deploy", a)
a = acct()
add("AWS_ACCT", "dashed console form", f"계정 ID {a[:4]}-{a[4:8]}-{a[8:]} 로 로그인", a)
a = acct()
add("AWS_ACCT", "ECR URI", f"docker push {a}.dkr.ecr.ap-northeast-2.amazonaws.com/bidradar:1.4.2", a)
a = acct()
add("AWS_ACCT", "plain label", f"AWS 계정번호: {a}", a)
a = acct()
add("AWS_ACCT", "terraform", f'provider "aws" {{\n  allowed_account_ids = ["{a}"]\n}}', a)
a = acct()
add("AWS_ACCT", "S3 arn bucket policy", f'"Principal": {{"AWS": "arn:aws:iam::{a}:root"}}', a)
a = acct()
add("AWS_ACCT", "SQS url", f"https://sqs.ap-northeast-2.amazonaws.com/{a}/bid-events", a)
b = bucket()
add("S3", "s3 uri", f"aws s3 cp report.xlsx s3://{b}/2025/03/", b)
b = bucket()
add("S3", "virtual host url", f"https://{b}.s3.ap-northeast-2.amazonaws.com/notice.pdf", b)
b = bucket()
add("S3", "terraform bucket", f'resource "aws_s3_bucket" "docs" {{\n  bucket = "{b}"\n}}', b)
b = bucket()
add("S3", "korean sentence", f"버킷 {b}에 업로드했어요", b)
b = bucket()
add("S3", "ARN", f"arn:aws:s3:::{b}/*", b)
h = rds()
add("RDS", "jdbc", f"jdbc:postgresql://{h}:5432/bid", h)
h = rds()
add("RDS", "psql", f"psql -h {h} -U admin", h)
h = rds()
add("RDS", "helm values", f"db:\n  host: {h}\n  port: 5432", h)
h = rds()
add(
    "RDS",
    "stack trace",
    f'psycopg2.OperationalError: could not connect to server: Connection timed out\n\tIs the server running on host "{h}" (52.79.1.23) and accepting',
    h,
)
v = iid()
add("AWSID", "instance id kakao", f"{v} 재부팅 했습니다", v)
v = sg()
add("AWSID", "sg in tf", f'vpc_security_group_ids = ["{v}"]', v)
v = iid()
add("AWSID", "in ARN", f"arn:aws:ec2:ap-northeast-2:{acct()}:instance/{v}", v)
h = f"ip-10-{R.randint(1, 254)}-{R.randint(1, 254)}-{R.randint(1, 254)}.ap-northeast-2.compute.internal"
add(
    "HOST",
    "k8s node name",
    f"NAME                                              STATUS   ROLES\n{h}   Ready    <none>",
    h,
)

# ---------- tokens ----------
v = ghp()
add("GITHUB", "git remote url", f"git remote set-url origin https://{v}@github.com/nurion/bidradar.git", v)
v = ghp()
add("GITHUB", "gh actions secret echo", f"export GH_TOKEN={v}", v)
v = ghpat()
add("GITHUB", "fine-grained PAT kakao", f"토큰 {v} 써주세요 만료 30일", v)
v = ghp()
add("GITHUB", "particle glued", f"{v}이거 레포 권한 있는 토큰이에요", v)
v = "gho_" + al(36)
add("GITHUB", "oauth gho_ in json", json.dumps({"access_token": v, "token_type": "bearer"}), v)
v = oai()
add("OPENAI", ".env", f"OPENAI_API_KEY={v}", v)
v = oai()
add("OPENAI", "python code", f'client = OpenAI(api_key="{v}")', v)
v = oai()
add("OPENAI", "jupyter output", f"In [3]: os.environ['OPENAI_API_KEY']\nOut[3]: '{v}'", v)
v = "sk-" + al(48)
add("OPENAI", "legacy sk- 48", f"openai.api_key = '{v}'", v)
v = ant()
add(
    "ANTHROPIC",
    "curl header",
    f'curl https://api.anthropic.com/v1/messages -H "x-api-key: {v}" -H "anthropic-version: 2023-06-01"',
    v,
)
v = ant()
add("ANTHROPIC", "kakao", f"앤트로픽 키 {v} 공유드려요", v)
v = slack()
add("SLACK", "bot token yaml", f"slack:\n  token: {v}\n  channel: '#bid-alerts'", v)
v = slackhook()
add("SLACK", "webhook url", f"SLACK_WEBHOOK={v}", v.split("/")[-1])
v = "xoxp-" + dg(12) + "-" + dg(12) + "-" + dg(13) + "-" + al(32, "0123456789abcdef")
add("SLACK", "user token in Postman", json.dumps({"key": "Authorization", "value": "Bearer " + v, "type": "text"}), v)
v = goog()
add("GOOGLE", "maps url", f"https://maps.googleapis.com/maps/api/geocode/json?address=세종&key={v}", v)
v = goog()
add("GOOGLE", ".env", f"GEMINI_API_KEY={v}", v)
v = goog()
add("GOOGLE", "korean glued", f"제미나이 키는{v}입니다", v)
v = "ya29." + al(120, string.ascii_letters + string.digits + "-_")
add("GOOGLE", "oauth bearer", f"Authorization: Bearer {v}", v)
hdr = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=").decode()
pl = base64.urlsafe_b64encode(json.dumps({"sub": email(), "name": "김지훈"}).encode()).rstrip(b"=").decode()
v = f"{hdr}.{pl}.{al(43, string.ascii_letters + string.digits + '-_')}"
add("JWT", "cookie header", f"Cookie: session={v}; path=/", v)
v = al(40, string.ascii_letters + string.digits)
add(
    "G2B_KEY",
    "data.go.kr serviceKey",
    f"https://apis.data.go.kr/1230000/BidPublicInfoService/getBidPblancListInfoServc?serviceKey={v}%3D%3D&numOfRows=10",
    v,
)

# ---------- passwords ----------
p = pw()
add("PASSWORD", "kakao 비번", f"[김대리] [오전 9:12] 운영DB 비번 {p} 입니다", p)
p = pw()
add("PASSWORD", "particle glued", f"비밀번호는{p}이에요", p)
p = pw()
add("PASSWORD", "URL creds", f"postgresql://admin:{p}@db.internal:5432/bid", p)
p = pw()
add("PASSWORD", ".env", f"DB_PASSWORD={p}", p)
p = pw()
add("PASSWORD", "yaml", f'spring:\n  datasource:\n    username: bid\n    password: "{p}"', p)
p = pw()
add("PASSWORD", "k8s secret stringData", f"apiVersion: v1\nkind: Secret\nstringData:\n  POSTGRES_PASSWORD: {p}", p)
p = pw()
add(
    "PASSWORD",
    "k8s secret data base64",
    f"apiVersion: v1\nkind: Secret\ndata:\n  password: {base64.b64encode(p.encode()).decode()}",
    p,
)
p = pw()
add("PASSWORD", "mysql cli", f"mysql -u root -p'{p}' -h 10.0.3.21", p)
p = pw()
add("PASSWORD", "CSV account sheet", f"시스템,아이디,비밀번호\n나라장터,nurion01,{p}", p)
p = pw()
add("PASSWORD", "pw: slash", f"id/pw : admin / {p}", p)
p = pw()
add("PASSWORD", "email thread quoted", f"> 계정 정보 전달드립니다.\n> ID: bidadmin\n> PW: {p}\n\n감사합니다.", p)
p = pw()
add("PASSWORD", "docker run -e", f"docker run -e MYSQL_ROOT_PASSWORD={p} mysql:8.0", p)
p = pw()
add("PASSWORD", "curl -u", f"curl -u admin:{p} https://jenkins.internal/api/json", p)
p = pw()
add("PASSWORD", "Confluence table", f"|| 서버 || 계정 || 암호 ||\n| bastion | ec2-user | {p} |", p)
p = pw()
add("PASSWORD", "공인인증서 암호", f"공동인증서 암호 {p} (대표님 거)", p)

# ---------- bank account ----------
v = f"{dg(3)}-{dg(6)}-{dg(2)}-{dg(3)}"
add("ACCOUNT", "bank label", f"입금계좌: 국민은행 {v} (예금주 누리온테크)", v)
v = f"{dg(3)}-{dg(2)}-{dg(6)}-{dg(1)}"
add("ACCOUNT", "kakao", f"신한 {v} 로 보내주세요", v)
v = f"1002-{dg(3)}-{dg(6)}"
add("ACCOUNT", "우리 1002 particle", f"우리{v}으로 이체", v)
v = f"3333-{dg(2)}-{dg(7)}"
add("ACCOUNT", "카뱅 no label", f"카뱅 {v.replace('-', '')}", v)

# ---------- company secret words ----------
add("COMPANY", "particle", "누리온테크가 이번 공고에 참여합니다", "누리온테크")
add("COMPANY", "㈜ prefix", "㈜누리온테크 제안서 v3", "누리온테크")
add("COMPANY", "spaced", "누리온 테크 영업팀", "누리온 테크")
add("COMPANY", "in email domain-ish hashtag", "#블루웨일_협력사 채널에 공유", "블루웨일")
add("COMPANY", "full-width paren", "（주）블루웨일（대표 홍길동）", "블루웨일")
add("COMPANY", "zero-width joiner", "누리\u200b온테크 입찰 참가", "누리\u200b온테크")
add(
    "COMPANY",
    "jamo NFD",
    unicodedata.normalize("NFD", "블루웨일") + " 견적서",
    unicodedata.normalize("NFD", "블루웨일"),
)

# ---------- mixed blobs ----------
v1, v2, v3 = phone(), email(), rrn()
add("MIXED", "CSV wide row", f"번호,성명,휴대전화,이메일,주민번호\n1,김하늘,{v1},{v2},{v3}", v1, v2, v3)
a, k = acct(), akid()
add(
    "MIXED",
    "docker log json",
    json.dumps({"level": "error", "msg": f"AccessDenied for {k} in account {a}", "ts": "2025-03-04T05:02:11Z"}),
    k,
    a,
)
v1 = ip()
v2 = pw()
add("MIXED", "ansible inventory", f"[web]\n{v1} ansible_user=ubuntu ansible_password={v2}", v1, v2)
v1 = phone()
add("MIXED", "vcard", f"BEGIN:VCARD\nFN:이수진\nTEL;TYPE=CELL:{v1}\nEND:VCARD", v1)


# ---------- round 2: forgotten forms ----------
def rrn2k(g="3"):
    yy = R.randint(0, 6)
    mm = R.randint(1, 12)
    dd = R.randint(1, 28)
    s = f"{yy:02d}{mm:02d}{dd:02d}" + g + dg(5)
    w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    c = (11 - sum(int(a) * b for a, b in zip(s, w)) % 11) % 10
    s += str(c)
    return s[:6] + "-" + s[6:]


def corp():
    s = R.choice(["110111", "131111", "134511", "110114"]) + dg(6)
    w = [1, 2] * 6
    c = (10 - sum(int(a) * b for a, b in zip(s, w)) % 10) % 10
    s += str(c)
    return s[:6] + "-" + s[6:]


v = rrn2k("4")
add("RRN", "2000s gender 4, CSV split cols", f"성명,주민번호앞,주민번호뒤\n윤서아,{v[:6]},{v[7:]}", v)
v = rrn2k("7")
add("RRN", "외국인등록번호 gender 7", f"외국인등록번호 {v} (베트남 국적 근로자)", v)
v = corp()
add("CORP", "법인등록번호", f"법인등록번호: {v}", v)
v = corp()
add("CORP", "법인번호 no dash glued", f"법인번호{v.replace('-', '')}로 조회", v)
v = brn()
add("BRN", "Excel no-sep in TSV", f"업체\t사업자\t비고\n가온\t{v.replace('-', '')}\t-", v)
v = phone()
add("PHONE", "Excel dropped leading 0", f"이름,휴대폰\n김민수,{v.replace('-', '')[1:]}", v.replace("-", "")[1:])
v = phone()
add("PHONE", "82 no plus glued", f"국제발신 8210{v[4:8]}{v[9:]}", v)
v = card()
add("CARD", "4 CSV columns", f"카드1,카드2,카드3,카드4\n{v.replace('-', ',')}", v)
v = card()
add("CARD", "masked-looking but full", f"카드 {v[:4]}-{v[5:9]}-****-{v[15:]} 아니고 전체는 {v}", v)
v = f"{dg(6)}-{dg(2)}-{dg(6)}"
add("ACCOUNT", "bank account in CSV no label", f"거래처,은행,번호\n가온,농협,{v}", v)
v = "M" + dg(8)
add("PASSPORT", "여권번호", f"여권번호 {v} 만료 2029.05.01", v)
a = acct()
uid = "AIDA" + al(17, string.ascii_uppercase + "234567")
add(
    "AWS_ACCT",
    "sts get-caller-identity",
    json.dumps({"UserId": uid, "Account": a, "Arn": f"arn:aws:iam::{a}:user/deploy"}, indent=4),
    a,
    uid,
)
a = acct()
add("AWS_ACCT", "yaml quoted account_id", f"aws:\n  account_id: '{a}'\n  region: ap-northeast-2", a)
a = acct()
add(
    "AWS_ACCT",
    "cloudwatch log line",
    f"2025-03-04 14:02:11 [ERROR] User: arn:aws:sts::{a}:assumed-role/lambda-exec/bid-ingest is not authorized",
    a,
)
v, s = akid(), secret()
add(
    "AWS_SECRET",
    "create-access-key json",
    json.dumps({"AccessKey": {"UserName": "ci", "AccessKeyId": v, "Status": "Active", "SecretAccessKey": s}}, indent=2),
    v,
    s,
)
s = secret()
add("AWS_SECRET", "HWP table wrap", f"시크릿 키 : {s[:20]}\n{s[20:]}", s)
b = bucket()
add("S3", "aws s3 ls output", f"2024-11-02 10:21:33 {b}\n2024-12-01 09:00:01 {bucket()}", b)
b = bucket()
add("S3", "bucket in Korean prose noun-first", f"{b} 버킷 권한 좀 확인해주세요", b)
b = bucket()
add(
    "S3",
    "cloudtrail bucketName",
    json.dumps({"eventName": "GetObject", "requestParameters": {"bucketName": b, "key": "a.pdf"}}),
    b,
)
h = f"bid-prod-db01.nurion.internal"
add("HOST", "internal hostname", f"ping {h} 응답 없음", h)
h = f"ec2-{R.randint(13, 54)}-{R.randint(1, 254)}-{R.randint(1, 254)}-{R.randint(1, 254)}.ap-northeast-2.compute.amazonaws.com"
add("HOST", "ec2 public dns", f"ssh ubuntu@{h}", h)
h = (
    rds()
    .replace(".ap-northeast-2", ".cluster-ro-" + al(12, string.ascii_lowercase + string.digits) + ".ap-northeast-2")
    .split(".", 1)[0]
    + ".cluster-ro-"
    + al(12, string.ascii_lowercase + string.digits)
    + ".ap-northeast-2.rds.amazonaws.com"
)
add("RDS", "aurora reader endpoint", f"READER_HOST={h}", h)
v = ip()
p = v.split(".")
add("IPV4", "zero padded", f"접속IP {int(p[0]):03d}.{int(p[1]):03d}.{int(p[2]):03d}.{int(p[3]):03d}", v)
v = ip()
add("IPV4", "spaces around dots (HWP)", f"서버 IP : {v.replace('.', ' . ')}", v)
v = ip()
p = v.split(".")
add("IPV4", "reverse dns", f"{p[3]}.{p[2]}.{p[1]}.{p[0]}.in-addr.arpa PTR", v)
v = ip()
add("IPV4", "korean 쩜 bare", f"아이피 {v.replace('.', '쩜')}", v.replace(".", "쩜"))
v = ip()
add("IPV4", "comma typo", f"허용IP: {v.replace('.', ',')}", v)
v = ip()
add("IPV4", "IP:port glued korean", f"{v}:22번 포트로 붙으세요", v)
v = "npm_" + al(36)
add("TOKEN", "npm token .npmrc", f"//registry.npmjs.org/:_authToken={v}", v)
v = "glpat-" + al(20, string.ascii_letters + string.digits + "-_")
add("TOKEN", "gitlab glpat", f"GITLAB_TOKEN={v}", v)
v = "hf_" + al(34, string.ascii_letters)
add("TOKEN", "huggingface", f"huggingface-cli login --token {v}", v)
v = "sk_live_" + al(24)
add("TOKEN", "stripe live", f'stripe.api_key = "{v}"', v)
v = f"{R.randint(100000000, 9999999999)}:AA{al(33, string.ascii_letters + string.digits + '-_')}"
add("TOKEN", "telegram bot", f"텔레그램 봇 토큰 {v}", v)
v = al(32, "0123456789abcdef")
add("TOKEN", "카카오 REST API 키 (32 hex)", f"카카오 REST API 키: {v}", v)
v = al(20, string.ascii_letters + string.digits)
add("TOKEN", "네이버 Client ID/Secret", f"X-Naver-Client-Id: {v}\nX-Naver-Client-Secret: {al(10)}", v)
v = ghp()
add("GITHUB", "token in kakao with ZWSP", f"토큰 {v[:10]}\u200b{v[10:]}", v[10:])
v = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACB"
    + al(43, string.ascii_letters + string.digits + "+/")
    + "\n-----END OPENSSH PRIVATE KEY-----"
)
add("PRIVKEY", "openssh key paste", f"이 키로 접속하세요\n{v}", v.splitlines()[2])
p = "qwer1234!"
add("PASSWORD", "simple pw korean 비번", f"와이파이 비번 nurion{dg(4)} 이고 관리자 비번은 {p}", p)
p = pw()
add("PASSWORD", "jdbc password param", f"jdbc:mysql://10.0.3.21:3306/erp?user=erp&password={p}&useSSL=false", p)
p = pw()
add("PASSWORD", "redis url no user", f"REDIS_URL=redis://:{p}@10.0.4.11:6379/0", p)
p = pw()
add("PASSWORD", ".pgpass", f"10.0.3.21:5432:bid:bidadmin:{p}", p)
p = pw()
add("PASSWORD", "net use windows", f"net use \\\\fileserver\\share /user:NURION\\kim {p}", p)
p = pw()
add("PASSWORD", "암호 in korean arrow", f"비번 바꿨어요 → {p}", p)
v = email()
u, d = v.split("@")
add("EMAIL", "spaces around @ (HWP)", f"담당자 이메일: {u} @ {d}", v)
v = email()
add("EMAIL", "wrapped at @ line break", f"회신: {v.split('@')[0]}@\n{v.split('@')[1]}", v.split("@")[0])

# ---------- round 3 ----------
v = ip()
add("IPV4", "korean 쩜 (written form checked)", f"아이피 {v.replace('.', '쩜')} 로 붙어요", v.replace(".", "쩜"))
v = ip()
add("IPV4", "korean 점 with spaces", f"서버는 {v.replace('.', ' 점 ')} 입니다", v.replace(".", " 점 "))
v = ip()
add("IPV4", "dot-less octets in sentence", f"IP는 {' '.join(v.split('.'))} (점 빼고 적었어요)", " ".join(v.split(".")))
h = f"erp-{R.choice(['prod', 'dev'])}-was0{R.randint(1, 9)}.nurion-tech.co.kr"
add("HOST", "company FQDN", f"https://{h}/login 접속 안됨", h)
h = f"bastion.bluewhale.local"
add("HOST", ".local hostname", f"ProxyJump bastion\nHost bastion\n  HostName {h}", h)
h = f"NURION-PC{R.randint(100, 999)}"
add("HOST", "windows NetBIOS name", f"\\\\{h}\\공유폴더\\입찰자료", h)
b = bucket()
add("S3", "bucket in env var", f"S3_BUCKET={b}", b)
b = bucket()
add("S3", "bucket in boto3 code", f"s3.upload_file('a.pdf', '{b}', 'notice/a.pdf')", b)
b = bucket()
add("S3", "bucket in kakao sentence with 에서", f"어제 {b}에서 파일 지웠어요?", b)
v = brn()
add("BRN", "slash sep", f"사업자 {v.replace('-', '/')}", v)
v = brn()
add("BRN", "colon sep", f"등록번호 {v.replace('-', ':')}", v)
p = pw()
add("PASSWORD", "runas / sshpass", f"sshpass -p '{p}' ssh admin@10.0.3.21", p)
p = pw()
add("PASSWORD", "PowerShell ConvertTo-SecureString", f"$pw = ConvertTo-SecureString '{p}' -AsPlainText -Force", p)
v = al(20, string.ascii_letters + string.digits)
add("TOKEN", "NCP access key", f"NCLOUD_ACCESS_KEY={v}\nNCLOUD_SECRET_KEY={al(40)}", v)

ATT = A

# ---------- ordinary ----------
O = []


def o(form, text):
    O.append((form, text))


for i in range(12):
    no = f"R25BK{dg(8)}"
    amt = f"{R.randint(10, 900)},{dg(3)},{dg(3)}"
    o(
        "G2B notice",
        f"공고번호: {no}-000\n공고명: 2025년 통합정보시스템 유지관리 용역\n추정가격: {amt}원 (부가세 별도)\n입찰마감: 2025-03-{R.randint(10, 28)} 10:00\n문의: 조달청 고객센터 1588-0800",
    )
for i in range(6):
    o(
        "old notice",
        f"공고번호 2024{dg(7)}-00 / 개찰일시 2025.02.{R.randint(10, 28)} 11:00 / 기초금액 {R.randint(1, 9)},{dg(3)},{dg(3)},000원",
    )
for i in range(4):
    o(
        "notice contacts",
        f"나라장터 콜센터 1588-{R.randint(1000, 9999)}, 계약 문의 1644-{R.randint(1000, 9999)} (평일 09:00~18:00)",
    )
o("notice lots", f"분류번호 43211503 / 세부품명번호 {dg(10)} / 수량 120대 / 단가 1,350,000원")
o("notice dates", "공고일자 2025/03/04, 제안서 제출 2025. 3. 18.(화) 14:00까지, 사업기간: 계약일로부터 240일")
o("notice budget", "배정예산 3,520,000,000원, 추정가격 3,200,000,000원, 부가세 320,000,000원")
o("notice outline", "3.2.1.4 보안 요구사항 SER-007 참조; 붙임 2-1 과업지시서 p.12")
o("notice 계약", f"계약번호 {dg(11)}-00 조달요청번호 {dg(10)} (2025.01.{R.randint(10, 28)} 14:30)")
for i in range(5):
    o(
        "version",
        f"Python {R.randint(3, 3)}.{R.randint(8, 13)}.{R.randint(0, 9)}, numpy 1.26.{R.randint(0, 4)}, torch 2.{R.randint(0, 5)}.{R.randint(0, 3)}+cu121",
    )
for i in range(4):
    o(
        "git sha",
        f"commit {al(40, '0123456789abcdef')} (HEAD -> main)\nMerge: {al(7, '0123456789abcdef')} {al(7, '0123456789abcdef')}",
    )
for i in range(4):
    import uuid

    o("uuid", f"request_id={uuid.UUID(int=R.getrandbits(128), version=4)} trace={al(32, '0123456789abcdef')}")
o("docker digest", f"image: postgres:16.2@sha256:{al(64, '0123456789abcdef')}")
o("sha256sum", f"{al(64, '0123456789abcdef')}  bidradar-1.4.2-py3-none-any.whl")
o("ports", "Listening on 0.0.0.0:8000, redis at 127.0.0.1:6379, metrics on :9090")
o("subnets", "VPC 10.0.0.0/16, public subnets 10.0.1.0/24, 10.0.2.0/24; pods 172.16.0.0/12")
o("sizes", "du -sh: 1.2G data/, 534M logs/, 20480 blocks; RAM 16384 MiB; disk 512000000 bytes")
o(
    "k8s get pods",
    "NAME                        READY   STATUS    RESTARTS   AGE\nbidradar-api-7d9c5b8f4-x2kqz   1/1     Running   0          3d2h",
)
o("pip freeze", "pandas==2.2.1\nscikit-learn==1.4.1.post1\nlightgbm==4.3.0\npyarrow==15.0.2")
o("pytest output", "===== 312 passed, 4 skipped, 2 warnings in 48.27s =====")
o("jupyter df", "   bid_id    amount  rate\n0  10023  125000000  87.745\n1  10024   98000000  88.012")
o("http log", 'INFO:     127.0.0.1:52144 - "POST /v1/predict HTTP/1.1" 200 OK (latency 132ms)')
o("semver range", "requires: node>=18.17.0 <21, npm 10.2.4, react@18.2.0")
o("timestamps", "2025-03-04T05:02:11.123Z started; 2025-03-04T05:02:14.987Z finished (3864 ms)")
o(
    "epoch ms",
    f"created_at: {R.randint(1700000000000, 1760000000000)}, updated_at: {R.randint(1700000000000, 1760000000000)}",
)
o(
    "k8s resourceVersion",
    f'metadata:\n  resourceVersion: "{dg(9)}"\n  uid: {uuid.UUID(int=R.getrandbits(128), version=4)}',
)
o("SQL query", "SELECT notice_no, amount FROM bids WHERE amount > 100000000 AND opened_at >= '2025-01-01' LIMIT 50;")
o(
    "terraform plain",
    'resource "aws_instance" "web" {\n  ami           = "ami-ubuntu-22.04"\n  instance_type = "t3.medium"\n  count         = 3\n}',
)
o(
    "stack trace",
    'Traceback (most recent call last):\n  File "/app/bidradar/pricing/model.py", line 214, in predict\n    return self._model.predict(X)\nValueError: Expected 2D array, got 1D array instead',
)
o("hex color / css", "color: #1a2b3c; margin: 0 12px; z-index: 1000; width: calc(100% - 240px)")
o("ISBN", "참고문헌: ISBN 978-89-6848-123-4, 2023")
o("korean prose", "이번 분기 낙찰률은 평균 87.7%로 전 분기 대비 1.2%p 상승했습니다. 경쟁률은 12.3:1입니다.")
o("CSV prices", "품목,수량,단가,금액\n노트북,40,1350000,54000000\n모니터,40,289000,11560000")
o("md5 list", f"{al(32, '0123456789abcdef')}  a.pdf\n{al(32, '0123456789abcdef')}  b.hwp")
o("cron", "0 6 * * 1-5 /opt/bidradar/bin/ingest --since 24h")
o(
    "mac addr-ish",
    f"eth0: mtu 9001 qlen 1000 link/ether 02:{al(2, '0123456789abcdef')}:{al(2, '0123456789abcdef')}:3c:4d:5e",
)
o("version 4 parts", "Chrome 122.0.6261.112, Windows 10.0.19045.4046")
o("dotted quad version", "배포 버전 4.2.1.0 → 4.2.2.0, 참고 규정 2.1.3.4")
o("notice instructions", "주민등록번호 뒷자리는 기재하지 마십시오. 사업자등록증 사본 1부, 법인등기부등본 1부 제출")
o("문서번호", f"문서번호: 정보화담당관-{dg(4)} (2025.03.04.) 시행")
o("memory bytes", "resources:\n  limits:\n    memory: 2147483648\n    cpu: 2000m")
o("docker version", f"Docker version 24.0.7, build {al(7, '0123456789abcdef')}")
o("big amount", "총 사업비 12,345,678,900원 (일금일백이십삼억사천오백육십칠만팔천구백원)")
o("public aws docs", "Amazon S3 supports up to 5 TB objects; multipart part size 5 MiB to 5 GiB; region ap-northeast-2")
o("korean date range", "2025.03.04(화) ~ 2025.03.18(화) 18:00, 10영업일")


def digits(s):
    return re.sub(r"\D", "", s)


def leaked(out, val):
    n = unicodedata.normalize("NFKC", out)
    if val in out or val in n:
        return True
    dv = digits(val)
    if len(dv) >= 8 and dv == re.sub(r"[\s\-\.·ㆍ・•/_~()—]", "", val):
        joined = re.sub(r"(?<=\d)[\s\-\.·ㆍ・•/_~()—,:]+(?=\d)", "", n)
        if dv in joined:
            return True
    return False


m = Masker(b"p" * 32, ["누리온테크", "블루웨일"])
res = {"att": [], "ord": []}
for cls, form, text, vals in ATT:
    try:
        out = mask_outgoing(m, text, "probe").text
    except MaskingRefused as e:
        res["att"].append(dict(cls=cls, form=form, text=text, status="refused"))
        continue
    rt = m.unmask(out) == text
    lk = [v for v in vals if leaked(out, v)]
    res["att"].append(
        dict(cls=cls, form=form, text=text, out=out, status="leak" if lk else "masked", leaked=lk, roundtrip=rt)
    )
for form, text in O:
    try:
        out = mask_outgoing(m, text, "probe").text
    except MaskingRefused as e:
        res["ord"].append(dict(form=form, text=text, status="refused", reason=str(e)[:200]))
        continue
    rt = m.unmask(out) == text
    res["ord"].append(dict(form=form, text=text, out=out, status="ok" if out == text else "damaged", roundtrip=rt))
json.dump(
    res,
    open(
        str(__import__("pathlib").Path(__file__).with_name("results.json" if SEED == 37 else f"results_{SEED}.json")),
        "w",
    ),
    ensure_ascii=False,
    indent=1,
)
print(len(ATT), len(O))
