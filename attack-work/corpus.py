# ruff: noqa: B007, UP031, B905
"""The s33 red team's corpus: attack texts (each with the values that must not leave) and ordinary texts (which must
come back unchanged). Every value is generated here from a seeded RNG and the public rules (check digits, Luhn,
EAN-13, token shapes); nothing is real. Written without reading the masking code: expectations come from the rules.
"""

from __future__ import annotations

import base64
import json
import random
import string
import unicodedata
from dataclasses import dataclass, field

R = random.Random(3324)


@dataclass
class Case:
    id: str
    cls: str
    fmt: str
    text: str
    values: list[str] = field(default_factory=list)  # empty for ordinary texts


# ---------------------------------------------------------------- value generators (public rules)


def _date6(lo: int = 1950, hi: int = 2019) -> tuple[str, int]:
    y = R.randint(lo, hi)
    m = R.randint(1, 12)
    d = R.randint(1, 28)
    return f"{y % 100:02d}{m:02d}{d:02d}", y


def rrn(post2020: bool = False, foreign: bool = False) -> str:
    front, y = _date6()
    if foreign:
        g = (5 if R.random() < 0.5 else 6) if y < 2000 else (7 if R.random() < 0.5 else 8)
    else:
        g = (1 if R.random() < 0.5 else 2) if y < 2000 else (3 if R.random() < 0.5 else 4)
    if post2020:
        back = str(g) + "".join(R.choice(string.digits) for _ in range(6))
        # make sure the random tail is NOT a valid old check digit, so it really is the new style
        digits = [int(c) for c in front + back]
        w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
        chk = (11 - sum(a * b for a, b in zip(digits[:12], w, strict=True)) % 11) % 10
        if digits[12] == chk:
            back = back[:6] + str((chk + 3) % 10)
        return f"{front}-{back}"
    body = front + str(g) + "".join(R.choice(string.digits) for _ in range(5))
    w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    s = sum(int(a) * b for a, b in zip(body, w, strict=True))
    chk = (11 - s % 11) % 10 if not foreign else (13 - s % 11) % 10
    return f"{front}-{body[6:]}{chk}"


def brn() -> str:
    while True:
        d = [R.randint(0, 9) for _ in range(9)]
        if d[0] == 0:
            continue
        w = [1, 3, 7, 1, 3, 7, 1, 3, 5]
        s = sum(a * b for a, b in zip(d, w, strict=True)) + (d[8] * 5) // 10
        c = (10 - s % 10) % 10
        x = "".join(map(str, d)) + str(c)
        return f"{x[:3]}-{x[3:5]}-{x[5:]}"


def crn() -> str:
    d = [R.randint(1, 9)] + [R.randint(0, 9) for _ in range(11)]
    d[4:6] = [0, 1]  # 법인 종류
    s = sum(a * (1 if i % 2 == 0 else 2) for i, a in enumerate(d))
    c = (10 - s % 10) % 10
    x = "".join(map(str, d)) + str(c)
    return f"{x[:6]}-{x[6:]}"


def luhn_card(prefix: str, length: int = 16) -> str:
    d = [int(c) for c in prefix] + [R.randint(0, 9) for _ in range(length - len(prefix) - 1)]
    total = 0
    for i, v in enumerate(reversed(d)):
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    d.append((10 - total % 10) % 10)
    return "".join(map(str, d))


def ean13(prefix: str = "880") -> str:
    d = [int(c) for c in prefix] + [R.randint(0, 9) for _ in range(12 - len(prefix))]
    s = sum(v * (1 if i % 2 == 0 else 3) for i, v in enumerate(d))
    d.append((10 - s % 10) % 10)
    return "".join(map(str, d))


def mobile() -> tuple[str, str, str]:
    return R.choice(["010", "011", "016", "019"]), f"{R.randint(2000, 9999)}", f"{R.randint(1000, 9999)}"


def rnd(alphabet: str, n: int) -> str:
    return "".join(R.choice(alphabet) for _ in range(n))


AN = string.ascii_letters + string.digits
HEXL = "0123456789abcdef"
B32 = string.ascii_uppercase + "234567"


def b64(n: int) -> str:
    return base64.b64encode(bytes(R.getrandbits(8) for _ in range(n))).decode()


SPOKEN = dict(zip("0123456789", ["공", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"]))


def spoken(digits: str) -> str:
    return "".join(SPOKEN.get(c, c) for c in digits)


def fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


NAMES = ["김민준", "이서연", "박지훈", "최수아", "정예준", "강하은", "조도윤", "윤지아", "장시우", "임서윤"]
BANKS = [
    "국민은행",
    "신한은행",
    "우리은행",
    "하나은행",
    "농협",
    "기업은행",
    "카카오뱅크",
    "토스뱅크",
    "SC제일은행",
    "우체국",
]


def bank_account() -> str:
    shape = R.choice(["6-2-6", "3-3-6", "4-2-7", "3-6-5", "4-4-4", "3-2-6"])
    return "-".join(rnd(string.digits, int(n)) for n in shape.split("-"))


def password() -> str:
    pool = [
        "Hanbit2024!",
        "qwer1234!@",
        "dlfwk12#$",
        "Spring#2025",
        "P@ssw0rd_prod",
        "kimmj0101!",
        "Tjdrhd!2024",
        "admin!@#456",
        "Zxcv9876^&",
        "rootpw_7788",
        "Gangnam#77x",
    ]
    p = R.choice(pool)
    return p + rnd(string.digits, 2)


def strong_pw() -> str:
    return rnd(AN, 6) + R.choice("!#%^*_") + rnd(AN, 7)


# provider tokens: shapes from the providers' docs / gitleaks' default rules
def provider_tokens() -> list[tuple[str, str]]:
    A = string.ascii_letters + string.digits
    out = [
        ("github-pat", "ghp_" + rnd(A, 36)),
        ("github-fine", "github_pat_" + rnd(A, 22) + "_" + rnd(A, 59)),
        ("github-oauth", "gho_" + rnd(A, 36)),
        ("github-app", "ghs_" + rnd(A, 36)),
        ("gitlab-pat", "glpat-" + rnd(A + "-_", 20)),
        ("openai", "sk-proj-" + rnd(A + "-_", 48) + "T3BlbkFJ" + rnd(A, 20)),
        ("openai-old", "sk-" + rnd(A, 20) + "T3BlbkFJ" + rnd(A, 20)),
        ("anthropic", "sk-ant-api03-" + rnd(A + "-_", 93) + "AA"),
        ("anthropic-admin", "sk-ant-admin01-" + rnd(A + "-_", 93) + "AA"),
        ("google-api", "AIza" + rnd(A + "-_", 35)),
        ("stripe-live", "sk_live_" + rnd(A, 24)),
        ("stripe-rk", "rk_live_" + rnd(A, 24)),
        ("slack-bot", "xoxb-" + rnd(string.digits, 12) + "-" + rnd(string.digits, 13) + "-" + rnd(A, 24)),
        (
            "slack-user",
            "xoxp-"
            + rnd(string.digits, 12)
            + "-"
            + rnd(string.digits, 12)
            + "-"
            + rnd(string.digits, 13)
            + "-"
            + rnd(HEXL, 32),
        ),
        ("slack-webhook", "https://hooks.slack.com/services/T" + rnd(B32, 8) + "/B" + rnd(B32, 10) + "/" + rnd(A, 24)),
        ("npm", "npm_" + rnd(A, 36)),
        ("pypi", "pypi-AgEIcHlwaS5vcmc" + rnd(A + "-_", 60)),
        ("hf", "hf_" + rnd(string.ascii_letters, 34)),
        ("sendgrid", "SG." + rnd(A + "-_", 22) + "." + rnd(A + "-_", 43)),
        ("twilio", "SK" + rnd(HEXL, 32)),
        ("mailgun", "key-" + rnd(HEXL, 32)),
        ("digitalocean", "dop_v1_" + rnd(HEXL, 64)),
        ("shopify", "shpat_" + rnd("abcdef0123456789", 32)),
        ("linear", "lin_api_" + rnd(A, 40)),
        ("doppler", "dp.pt." + rnd(A, 43)),
        ("telegram", rnd(string.digits, 10) + ":AA" + rnd(A + "-_", 33)),
        ("discord-webhook", "https://discord.com/api/webhooks/" + rnd(string.digits, 18) + "/" + rnd(A + "-_", 68)),
        ("kakao-rest", "KakaoAK " + rnd(HEXL, 32)),
        ("toss-secret", "live_sk_" + rnd(A, 28)),
        ("notion", "secret_" + rnd(A, 43)),
        ("atlassian", "ATATT3xFfGF0" + rnd(A + "-_", 180) + "=" + rnd(HEXL.upper(), 8)),
        ("databricks", "dapi" + rnd(HEXL, 32)),
        ("azure-sas", "sv=2022-11-02&ss=b&srt=sco&sp=rwdlacx&se=2026-12-31T00:00:00Z&sig=" + rnd(A, 43) + "%3D"),
        ("gcp-sa-key", '"private_key_id": "' + rnd(HEXL, 40) + '"'),
        ("naver-client-secret", "X-Naver-Client-Secret: " + rnd(A, 10)),
        ("age", "AGE-SECRET-KEY-1" + rnd("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)),
        ("vault", "hvs." + rnd(A, 24)),
        ("jfrog", "AKCp" + rnd(A, 69)),
        ("new-relic", "NRAK-" + rnd(B32, 27)),
        ("grafana", "glsa_" + rnd(A, 32) + "_" + rnd(HEXL, 8)),
        ("sentry", "sntrys_" + rnd(A, 80)),
        ("postman", "PMAK-" + rnd(HEXL, 24) + "-" + rnd(HEXL, 34)),
    ]
    return out


def jwt() -> str:
    hdr = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    sub = R.randint(10000, 99999)
    body = base64.urlsafe_b64encode(f'{{"sub":"u{sub}","name":"kim","iat":1738800000}}'.encode()).decode().rstrip("=")
    return f"{hdr}.{body}.{rnd(AN + '-_', 43)}"


def pem_key(kind: str) -> tuple[str, str]:
    if kind == "rsa":
        body = "MIIEowIBAAKCAQEA" + b64(900)
        head, tail = "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----"
    elif kind == "pkcs8":
        body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + b64(900)
        head, tail = "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----"
    elif kind == "ec":
        body = "MHcCAQEEI" + b64(100)
        head, tail = "-----BEGIN EC PRIVATE KEY-----", "-----END EC PRIVATE KEY-----"
    elif kind == "openssh":
        body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW" + b64(300)
        head, tail = "-----BEGIN OPENSSH PRIVATE KEY-----", "-----END OPENSSH PRIVATE KEY-----"
    else:
        body = "lQOYBGX" + b64(600)
        head, tail = "-----BEGIN PGP PRIVATE KEY BLOCK-----", "-----END PGP PRIVATE KEY BLOCK-----"
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return head + "\n" + "\n".join(lines) + "\n" + tail, lines[min(2, len(lines) - 2)]


def aws_key() -> str:
    return R.choice(["AKIA", "ASIA"]) + rnd(B32, 16)


def aws_secret() -> str:
    return rnd(string.ascii_letters + string.digits + "+/", 40)


def aws_account() -> str:
    return str(R.randint(100000000000, 999999999999))


def g2b_key() -> str:
    raw = b64(66)
    return raw


def ipv4(private: bool = False) -> str:
    if private:
        return f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(2, 254)}"
    return f"{R.choice([203, 211, 175, 121, 59, 112])}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(2, 254)}"


def email() -> str:
    user = R.choice(["minjun.kim", "seoyeon_lee", "jhpark", "sua.choi", "yejun88", "haeun.kang", "dev.ops"])
    dom = R.choice(["hanbit-soft.co.kr", "example-corp.kr", "naver.com", "gmail.com", "daum.net", "acme.io"])
    return f"{user}{R.randint(1, 99)}@{dom}"


# ---------------------------------------------------------------- wrappers (the ways people write)


def wrap(fmt: str, label: str, v: str, who: str) -> str:
    """`v` in a line of format `fmt` with a Korean/English label."""
    if fmt == "json":
        return '{"name": "%s", "%s": "%s", "updated": "2025-02-06T09:00:00+09:00"}' % (who, label, v)
    if fmt == "yaml":
        return f'customer:\n  name: {who}\n  {label}: "{v}"\n  tier: gold\n'
    if fmt == "env":
        return f"# {who} 계정\n{label.upper()}={v}\nLOG_LEVEL=info\n"
    if fmt == "toml":
        return f'[owner]\nname = "{who}"\n{label} = "{v}"\n'
    if fmt == "csv":
        return f"이름,{label},비고\n{who},{v},확인완료\n"
    if fmt == "tsv":
        return f"이름\t{label}\t비고\n{who}\t{v}\t재확인\n"
    if fmt == "log":
        return f"2025-02-06 09:14:22.311 INFO  [req-8f2a] user={who} {label}={v} status=200 took=38ms"
    if fmt == "shell":
        return f"$ curl -s 'https://api.internal/v1/users?{label}={v}' -H 'Accept: application/json'\n"
    if fmt == "sql":
        return f"INSERT INTO customers (name, {label}) VALUES ('{who}', '{v}');"
    if fmt == "html":
        return f"<tr><th>성명</th><td>{who}</td><th>{label}</th><td>{v}</td></tr>"
    if fmt == "md":
        return f"| 이름 | {label} |\n|---|---|\n| {who} | {v} |\n"
    if fmt == "kakao":
        return f"[{who}] [오후 3:12] {label} {v} 이거 맞나요?\n[박과장] [오후 3:13] 네 확인했어요"
    if fmt == "prose":
        return f"{who} 고객님의 {label}는 {v} 입니다. 확인 후 회신 부탁드립니다."
    if fmt == "mail":
        return (
            f"From: {who} <noreply@example.invalid>\nSubject: 서류 제출\n\n안녕하세요,\n요청하신 {label} 보내드립니다: {v}\n"
            "감사합니다.\n"
        )
    raise ValueError(fmt)


FMTS = ["json", "yaml", "env", "toml", "csv", "tsv", "log", "shell", "sql", "html", "md", "kakao", "prose", "mail"]


def attacks() -> list[Case]:
    R.seed(3324)  # each batch from its own seed: adding a batch changes no other
    cases: list[Case] = []

    def add(cls: str, fmt: str, text: str, *values: str) -> None:
        cases.append(Case(f"{cls}-{len(cases):04d}", cls, fmt, text, list(values)))

    # --- 주민/외국인등록번호
    for i in range(28):
        v = rrn()
        fmt = FMTS[i % len(FMTS)]
        add(
            "rrn", fmt, wrap(fmt, R.choice(["주민번호", "주민등록번호", "jumin", "resident_no"]), v, R.choice(NAMES)), v
        )
    for i in range(28):
        v = rrn(post2020=True)
        fmt = FMTS[i % len(FMTS)]
        add("rrn-post2020", fmt, wrap(fmt, R.choice(["주민번호", "주민등록번호", "rrn"]), v, R.choice(NAMES)), v)
    for i in range(14):  # post-2020 without a label: the shape alone
        v = rrn(post2020=True)
        add("rrn-post2020-nolabel", "prose", f"{R.choice(NAMES)} {v} 서류 스캔본 첨부합니다", v)
    for i in range(14):
        v = rrn(foreign=True)
        fmt = FMTS[i % len(FMTS)]
        add("frn", fmt, wrap(fmt, R.choice(["외국인등록번호", "외국인번호", "ARC"]), v, "NGUYEN VAN AN"), v)
    for i in range(10):
        v = rrn(foreign=True, post2020=True)
        fmt = FMTS[(i + 3) % len(FMTS)]
        add("frn-post2020", fmt, wrap(fmt, "외국인등록번호", v, "TRAN THI MAI"), v)
    for i in range(10):  # bare 13 digits, valid date & gender & check; also EAN-valid sometimes
        v = rrn().replace("-", "")
        add("rrn-bare", "csv", f"no,name,id\n{i + 1},{R.choice(NAMES)},{v}\n", v)
    for sep in ["·", "ㆍ", "・", "•", "\u00a0", " ", ".", "_", "/", "－", "—", "‐"]:
        v = rrn()
        w = v.replace("-", sep)
        add("rrn-sep", "prose", f"주민번호 {w} 로 본인확인 완료", w)
    for i in range(6):
        v = rrn()
        w = fullwidth(v)
        add("rrn-fullwidth", "form", f"주민등록번호：{w}", w)
    for i in range(6):
        v = rrn()
        w = spoken(v.replace("-", "")[:6]) + "-" + spoken(v[7:])
        add("rrn-spoken", "kakao", f"[{R.choice(NAMES)}] 주민번호 불러드릴게요 {w}", w)

    # --- phones, every separator
    seps = ["-", " ", ".", "·", "ㆍ", "・", "•", "\u00a0", "\u2009", "\u3000", "_", "/", "–", "~", ")", ""]
    for i, sep in enumerate(seps):
        for fmt in ["prose", "kakao", "csv"]:
            a, b, c = mobile()
            w = f"{a}{sep}{b}{sep}{c}" if sep != ")" else f"({a}){b}-{c}"
            who = R.choice(NAMES)
            t = {
                "prose": f"담당자 {who} 연락처 {w} 로 문의",
                "kakao": f"[{who}] [오전 10:02] 제 번호 {w} 에요",
                "csv": f"성명,휴대폰\n{who},{w}\n",
            }[fmt]
            add("phone-sep", fmt, t, w)
    for i in range(10):
        a, b, c = mobile()
        w = fullwidth(f"{a}-{b}-{c}")
        add("phone-fullwidth", "prose", f"연락처：{w}", w)
    for i in range(10):
        a, b, c = mobile()
        w = f"{spoken(a)} {spoken(b)} {spoken(c)}"
        add("phone-spoken", "kakao", f"[{R.choice(NAMES)}] 번호 불러드려요 {w} 요", w)
    for i in range(8):
        a, b, c = mobile()
        w = f"+82 {a[1:]} {b} {c}" if i % 2 else f"+82-{a[1:]}-{b}-{c}"
        add("phone-intl", "mail", f"Mobile: {w}\nKim Minjun | Sales", w)
    for i in range(10):
        area = R.choice(["02", "031", "032", "051", "053", "042", "062", "064"])
        b, c = f"{R.randint(200, 9999)}", f"{R.randint(1000, 9999)}"
        sep = R.choice(["·", "ㆍ", "・", "•", ".", " "])
        w = f"{area}{sep}{b}{sep}{c}"
        add("phone-landline", "prose", f"사무실 직통 {w} (내선 없음)", w)
    for i in range(8):  # after an ellipsis
        a, b, c = mobile()
        w = f"{a}-{b}-{c}"
        add("phone-ellipsis", "prose", f"나중에 연락 주세요…{w}", w)

    # --- 사업자/법인번호
    for i in range(20):
        v = brn()
        sep = ["-", "·", "ㆍ", "・", "•", " ", ".", "\u00a0", "", "－"][i % 10]
        w = v.replace("-", sep)
        fmt = FMTS[i % len(FMTS)]
        add("brn", fmt, wrap(fmt, R.choice(["사업자번호", "사업자등록번호", "biz_no"]), w, "(주)한빛소프트"), w)
    for i in range(10):
        v = crn()
        fmt = FMTS[(i + 5) % len(FMTS)]
        add("crn", fmt, wrap(fmt, R.choice(["법인등록번호", "법인번호"]), v, "주식회사 가나다"), v)

    # --- bank accounts with bank names
    for i in range(30):
        v = bank_account()
        bank = R.choice(BANKS)
        who = R.choice(NAMES)
        t = [
            f"입금계좌: {bank} {v} (예금주 {who})",
            f"{bank} {v} {who}로 보내주세요",
            f"[{who}] [오후 2:41] {bank} {v} 여기로 부탁해요~",
            f"bank,account,holder\n{bank},{v},{who}\n",
            f'{{"bank": "{bank}", "account_no": "{v}", "holder": "{who}"}}',
            f"환불 계좌는 {v} ({bank}) 입니다",
        ][i % 6]
        add("bank", ["prose", "prose", "kakao", "csv", "json", "prose"][i % 6], t, v)
    for i in range(6):
        v = bank_account().replace("-", R.choice(["·", "ㆍ", "•", " "]))
        add("bank-sep", "prose", f"{R.choice(BANKS)} 계좌 {v}", v)

    # --- cards
    for i in range(20):
        v = luhn_card(R.choice(["4", "51", "52", "53", "9410", "3560"]), 16)
        sep = ["-", " ", "", "·", "•", "\u00a0", "."][i % 7]
        w = sep.join(v[k : k + 4] for k in range(0, 16, 4))
        fmt = FMTS[i % len(FMTS)]
        add("card", fmt, wrap(fmt, R.choice(["카드번호", "card_no", "결제카드"]), w, R.choice(NAMES)), w)
    for i in range(4):
        v = luhn_card("37", 15)
        w = f"{v[:4]}-{v[4:10]}-{v[10:]}"
        add("card-amex", "prose", f"법인카드(AMEX) {w} 로 결제했습니다", w)

    # --- passports, driver's licences
    for i in range(12):
        v = (
            "M" + rnd(string.digits, 8)
            if i % 3
            else "M" + rnd(string.digits, 3) + R.choice("ABCDEFG") + rnd(string.digits, 4)
        )
        fmt = FMTS[i % len(FMTS)]
        add("passport", fmt, wrap(fmt, R.choice(["여권번호", "passport_no", "Passport No."]), v, R.choice(NAMES)), v)
    regions = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "28"]
    for i in range(12):
        v = f"{R.choice(regions)}-{R.randint(10, 25)}-{rnd(string.digits, 6)}-{rnd(string.digits, 2)}"
        if i % 4 == 3:
            v = v.replace("-", " ")
        fmt = FMTS[(i + 2) % len(FMTS)]
        add(
            "driverlic", fmt, wrap(fmt, R.choice(["운전면허번호", "면허번호", "driver_license"]), v, R.choice(NAMES)), v
        )

    # --- emails
    for i in range(20):
        v = email()
        fmt = FMTS[i % len(FMTS)]
        add("email", fmt, wrap(fmt, R.choice(["이메일", "email", "담당자 메일"]), v, R.choice(NAMES)), v)
    for i in range(6):
        v = email()
        add("email-glued", "prose", f"견적서는 {v}로 보내주시면 됩니다…{email()}도 참조", v)

    # --- IPs
    for i in range(10):
        v = ipv4(private=i % 2 == 0)
        add("ip-ellipsis", "log", f"connect() failed…{v}" if i % 2 else f"retrying...{v}:5432 timed out", v)
    for i in range(8):
        v = ipv4()
        parts = v.split(".")
        w = ".".join(p.zfill(3) for p in parts)
        add("ip-zeropad", "config", f"allow_from = {w}\n" if i % 2 else f"서버 IP: {w}", w)
    for i in range(8):
        v = ipv4()
        a, b, c, d = map(int, v.split("."))
        dec = str((a << 24) | (b << 16) | (c << 8) | d)
        add("ip-decimal", "shell", f"curl -sk http://{dec}:8080/admin/health" if i % 2 else f"ping {dec}", dec)
    for i in range(10):
        v = ipv4()
        fmt = FMTS[i % len(FMTS)]
        add("ip", fmt, wrap(fmt, R.choice(["server_ip", "서버주소", "host"]), v, "prod-db"), v)
    for i in range(6):
        v = ipv4()
        w = v.replace(".", R.choice(["·", "ㆍ", "・", "•"]))
        add("ip-sep", "prose", f"운영 서버 {w} 에 접속이 안 됩니다", w)

    # --- secrets: private keys
    for kind in ["rsa", "pkcs8", "ec", "openssh", "pgp"]:
        for j, fmt in enumerate(["raw", "json", "yaml"]):
            key, probe = pem_key(kind)
            if fmt == "raw":
                t = f"이 키로 접속하세요\n{key}\n"
            elif fmt == "json":
                t = '{"type": "service_account", "private_key": "%s"}' % key.replace("\n", "\\n")
            else:
                t = "ssh:\n  deploy_key: |\n" + "\n".join("    " + ln for ln in key.splitlines()) + "\n"
            add("privkey", fmt, t, probe)

    # --- passwords everywhere
    for i in range(60):
        pw = password() if i % 2 else strong_pw()
        user = R.choice(["admin", "app", "deploy", "kim", "bidradar", "root"])
        host = R.choice(["db.internal", "10.0.3.17", "pg-prod.hanbit.local", "redis.example-corp.kr"])
        t, fmt = [
            (f"DATABASE_URL=postgresql://{user}:{pw}@{host}:5432/app", "env-url"),
            (f"redis://:{pw}@{host}:6379/0", "url"),
            (f"mysql -h {host} -u{user} -p{pw} app < dump.sql", "cli"),
            (f"mysql -h {host} -u {user} --password={pw}", "cli"),
            (f"PGPASSWORD={pw} psql -h {host} -U {user}", "cli"),
            (f"CREATE USER {user} WITH PASSWORD '{pw}';", "sql"),
            (f"ALTER USER '{user}'@'%' IDENTIFIED BY '{pw}';", "sql"),
            (f"machine {host}\n  login {user}\n  password {pw}\n", "netrc"),
            (
                f"services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: {user}\n      POSTGRES_PASSWORD: {pw}\n",
                "compose",
            ),
            (f'{{"db": {{"host": "{host}", "user": "{user}", "password": "{pw}"}}}}', "json"),
            (f'[database]\nhost = "{host}"\npassword = "{pw}"\n', "toml"),
            (f"spring.datasource.password={pw}", "properties"),
            (f'<add key="DbPassword" value="{pw}" />', "xml"),
            (f"[{R.choice(NAMES)}] [오후 4:20] 서버 비번 {pw} 입니다 ㅎㅎ", "kakao"),
            (f"관리자 계정은 {user} / {pw} 입니다.", "prose"),
            (f"$ sshpass -p '{pw}' ssh {user}@{host}", "shell-history"),
            (f"docker login -u {user} -p {pw} registry.example-corp.kr", "cli"),
            (f"git clone https://{user}:{pw}@git.example-corp.kr/team/app.git", "url"),
            (f"| 항목 | 값 |\n|---|---|\n| DB 비밀번호 | {pw} |\n", "md"),
            (f"ftp://{user}:{pw}@{host}/backup/", "url"),
        ][i % 20]
        add("password", fmt, t, pw)

    # --- provider tokens
    for i, (name, tok) in enumerate(provider_tokens()):
        fmts = [
            (f"export {name.upper().replace('-', '_')}_TOKEN={tok}", "env"),
            (f'{{"{name}_token": "{tok}"}}', "json"),
            (f"curl -H 'Authorization: Bearer {tok}' https://api.example.com/v1/me", "shell"),
        ]
        for t, fmt in fmts:
            add("token", fmt, t, tok.split(" ", 1)[-1] if name != "gcp-sa-key" else tok.split('"')[3])
    for i in range(3):  # bare tokens in prose (no name)
        for name, tok in provider_tokens()[:12]:
            add("token-bare", "prose", f"이거 써봐 {tok} 어제 새로 발급함", tok)
    for i in range(8):
        t = jwt()
        add(
            "jwt",
            ["log", "shell", "json", "prose"][i % 4],
            [
                f"2025-02-06T09:00:01Z DEBUG auth token={t}",
                f"curl -H 'Authorization: Bearer {t}' https://x",
                f'{{"access_token": "{t}", "expires_in": 3600}}',
                f"토큰 {t} 넣으면 됩니다",
            ][i % 4],
            t,
        )
    for i in range(10):
        k = g2b_key()
        enc = k.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
        t, v = [
            (
                f"https://apis.data.go.kr/1230000/ad/BidPublicInfoService/getBidPblancListInfoServc?serviceKey={enc}&numOfRows=10",
                enc,
            ),
            (f"G2B_SERVICE_KEY={k}", k),
            (f"공공데이터포털 인증키(Decoding): {k}", k),
            (f"params = {{'serviceKey': '{k}', 'pageNo': 1}}", k),
            (f"일반 인증키 {enc} 로 호출하면 됨", enc),
        ][i % 5]
        add("g2b-key", "misc", t, v)

    # --- cloud
    for i in range(10):
        acct = aws_account()
        t = [
            f'{{"UserId": "AIDA{rnd(B32, 17)}", "Account": "{acct}", "Arn": "arn:aws:iam::{acct}:user/deploy"}}',
            f"arn:aws:iam::{acct}:role/OrganizationAccountAccessRole",
            f"{acct}.dkr.ecr.ap-northeast-2.amazonaws.com/bidradar:latest",
            f"AWS 계정 {acct} 에서 빌링 알람 발생",
            f'aws_account_id = "{acct}"',
        ][i % 5]
        add("aws-account", "misc", t, acct)
    for i in range(12):
        k, s = aws_key(), aws_secret()
        t = [
            f"[default]\naws_access_key_id = {k}\naws_secret_access_key = {s}\n",
            f"export AWS_ACCESS_KEY_ID={k}\nexport AWS_SECRET_ACCESS_KEY={s}",
            f'{{"AccessKeyId": "{k}", "SecretAccessKey": "{s}"}}',
            f"키 {k} 시크릿 {s} 입니다",
        ][i % 4]
        add("aws-keys", "misc", t, k, s)
    for i in range(6):
        b = R.choice(["hanbit", "acme", "gana"]) + "-prod-" + rnd(string.ascii_lowercase, 6)
        add("aws-arn", "misc", f"arn:aws:s3:::{b}/exports/2025/*", b)
    return cases


# ---------------------------------------------------------------- ordinary texts


def ordinary() -> list[Case]:
    R.seed(3325)  # each batch from its own seed: adding a batch changes no other
    cases: list[Case] = []

    def add(cls: str, text: str) -> None:
        cases.append(Case(f"{cls}-{len(cases):04d}", cls, cls, text))

    for i in range(30):
        rv = R.randint(10**8, 10**10)
        uid = f"{rnd(HEXL, 8)}-{rnd(HEXL, 4)}-{rnd(HEXL, 4)}-{rnd(HEXL, 4)}-{rnd(HEXL, 12)}"
        add(
            "k8s",
            f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: bidradar-api
  namespace: prod
  resourceVersion: "{rv}"
  generation: {R.randint(1, 80)}
  uid: {uid}
  creationTimestamp: "2025-02-06T00:12:{R.randint(10, 59)}Z"
spec:
  replicas: {R.randint(1, 6)}
  template:
    spec:
      containers:
      - name: api
        image: ghcr.io/example/bidradar:1.{R.randint(0, 20)}.{R.randint(0, 9)}
        resources:
          limits: {{memory: "{R.choice([512, 1024, 2048])}Mi", cpu: "{R.choice([250, 500, 1000])}m"}}
""",
        )
    for i in range(30):
        ms = R.randint(1_700_000_000_000, 1_770_000_000_000)
        add(
            "epoch",
            f'{{"ts": {ms}, "event": "page_view", "duration_ms": {R.randint(1, 90000)}, "seq": {R.randint(10**9, 10**11)}}}',
        )
    for i in range(25):
        add(
            "bytes",
            f"backup.tar.gz  {R.randint(10**9, 10**12)} bytes  sha256={rnd(HEXL, 64)}\n"
            f"Filesystem 1K-blocks Used Available\n/dev/nvme0n1p1 {R.randint(10**8, 10**9)} {R.randint(10**7, 10**8)} {R.randint(10**7, 10**8)}",
        )
    for i in range(25):
        add(
            "prometheus",
            f"""# HELP http_request_duration_seconds request latency
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{{le="0.1",route="/v1/notices"}} {R.randint(10**6, 10**10)}
http_request_duration_seconds_sum{{route="/v1/notices"}} {R.uniform(1e4, 1e7):.3f}
http_request_duration_seconds_count{{route="/v1/notices"}} {R.randint(10**6, 10**10)}
process_resident_memory_bytes {R.randint(10**8, 10**10)}
process_start_time_seconds {R.randint(1_700_000_000, 1_770_000_000)}.{R.randint(10, 99)}
""",
        )
    for i in range(30):
        base = R.randint(10**7, 10**10)
        lines = [f"{k + 1}. {int(base * R.uniform(0.98, 1.02)):,}원" for k in range(15)]
        add(
            "prices",
            "■ 복수예비가격 (15개)\n"
            + "\n".join(lines)
            + f"\n기초금액: {base:,}원 / 예정가격: {int(base * 0.998):,}원",
        )
    for i in range(15):
        base = R.randint(10**7, 10**10)
        add(
            "prices-csv",
            "번호,예비가격,추첨횟수\n"
            + "\n".join(f"{k + 1},{int(base * R.uniform(0.98, 1.02))},{R.randint(0, 9)}" for k in range(15)),
        )
    for i in range(40):
        old = f"{R.choice(['2023', '2024', '2025'])}{rnd(string.digits, 7)}-{R.choice(['00', '01', '02'])}"
        new = f"R{R.choice(['24', '25'])}BK{rnd(string.digits, 8)}-{R.choice(['000', '001'])}"
        dt = f"2025.{R.randint(1, 12):02d}.{R.randint(1, 28):02d} {R.randint(9, 17)}:{R.choice(['00', '30'])}"
        add(
            "notice",
            f"[공고] 입찰공고번호 {old if i % 2 else new}\n공고명: 2025년 {R.choice(['정보시스템 유지관리', '청사 청소용역', '전산장비 구매'])}\n"
            f"입찰마감일시: {dt}\n개찰일시: {dt}\n추정가격: {R.randint(10**7, 10**10):,}원 (부가세 별도)\n"
            f"공고기관: 조달청 / 수요기관: {R.choice(['서울특별시', '한국전력공사', '국민건강보험공단'])}\n참조번호: {old}",
        )
    for i in range(25):
        add(
            "contract",
            f"계약번호: {R.choice(['2024', '2025'])}{rnd(string.digits, 9)}-00 / 조달요청번호: {R.randint(10**9, 10**10 - 1)}\n"
            f"계약일자 2025.{R.randint(1, 12):02d}.{R.randint(1, 28):02d} 계약금액 {R.randint(10**7, 10**9):,}원",
        )
    for i in range(25):
        add(
            "contract-new",
            f"계약번호 R{R.choice(['24', '25'])}TA{rnd(string.digits, 8)}-00, 조달요청번호 R{R.choice(['24', '25'])}RA{rnd(string.digits, 8)},"
            f" 물품식별번호 {rnd(string.digits, 8)}, 세부품명번호 {R.randint(10, 95)}{rnd(string.digits, 8)}",
        )
    for i in range(30):
        add(
            "datetime",
            f"입찰서 제출: 2025.02.{R.randint(1, 28):02d} 9:00 ~ 2025.02.{R.randint(1, 28):02d} 18:00\n"
            f"현장설명 {R.randint(2024, 2026)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d} {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}\n"
            f"{R.randint(2024, 2026)}{R.randint(1, 12):02d}{R.randint(1, 28):02d}{R.randint(0, 23):02d}{R.randint(0, 59):02d}{R.randint(0, 59):02d} 배치 완료",
        )
    for i in range(30):
        lines = []
        for _ in range(5):
            # `git log --format='%H %ad %an%n    %s'`: no author e-mail (an e-mail is masked by design)
            lines.append(
                f"{rnd(HEXL, 40)} 2025-02-06 09:{R.randint(10, 59)}:00 +0900 dev-bot\n"
                f"    fix: 공고 파서 {R.randint(100, 999)}건 누락 수정 (#{R.randint(100, 2000)})\n"
            )
        add("gitlog", "\n".join(lines) + f"\n{rnd(HEXL, 7)} Merge pull request #{R.randint(100, 999)}")
    for i in range(25):
        rows = [
            f"{k + 1}\t{R.choice(['A4 복사용지', '토너', '볼펜', '모니터', '의자'])}\t{ean13()}\t{R.randint(1, 999) * 100:,}"
            for k in range(8)
        ]
        add("barcode", "No\t품명\t바코드\t단가\n" + "\n".join(rows))
    for i in range(10):
        rows = [f"| {R.choice(['라면', '생수', '커피믹스'])} | {ean13()} | {R.randint(10, 99)}개 |" for _ in range(6)]
        add("barcode-md", "| 상품 | EAN-13 | 수량 |\n|---|---|---|\n" + "\n".join(rows))
    for i in range(20):
        add(
            "versions",
            f"numpy=={R.randint(1, 2)}.{R.randint(0, 30)}.{R.randint(0, 9)}\nubuntu 22.04.{R.randint(1, 5)}\n"
            f"chrome {R.randint(100, 133)}.0.{R.randint(1000, 6999)}.{R.randint(10, 200)}\n규정 3.2.1.4 항 참조, 별표 1.10.2.3",
        )
    for i in range(20):
        add(
            "ids",
            f"order_id={R.randint(10**11, 10**13)} trace_id={rnd(HEXL, 32)} span={rnd(HEXL, 16)} "
            f"request_id=req_{rnd(AN, 24)} build #{R.randint(1000, 99999)}",
        )
    for i in range(20):
        add(
            "stats",
            f"낙찰률 {R.uniform(80, 99):.3f}% / 참가업체 {R.randint(2, 400)}개사 / 평균 투찰금액 {R.randint(10**7, 10**10):,}원\n"
            f"2024년 누적 공고 {R.randint(10**4, 10**6):,}건, 총 {R.randint(10**11, 10**13):,}원",
        )
    for i in range(20):
        add(
            "prose-ok",
            f"본 사업은 {R.randint(2024, 2026)}년 {R.randint(1, 12)}월부터 {R.randint(6, 36)}개월간 수행하며, 비밀번호는 주기적으로 변경하고 "
            f"암호화 방식은 AES-256을 사용한다. 문의는 조달청 고객센터로 하시기 바랍니다.",
        )
    return cases


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


# ---------------------------------------------------------------- batch 2: config dialects, abbreviations, Unicode


def attacks2() -> list[Case]:
    R.seed(3326)  # each batch from its own seed: adding a batch changes no other
    cases: list[Case] = []

    def add(cls: str, fmt: str, text: str, *values: str) -> None:
        cases.append(Case(f"{cls}-b2-{len(cases):04d}", cls, fmt, text, list(values)))

    for i in range(40):
        pw = password() if i % 2 else strong_pw()
        u = R.choice(["sa", "app", "bidradar", "svc_etl"])
        h = R.choice(["10.0.3.17", "db01.corp.local", "mssql.example-corp.kr"])
        t, fmt = [
            (f"jdbc:mysql://{h}:3306/bid?user={u}&password={pw}&useSSL=false", "jdbc"),
            (f"Server={h};Database=Bid;User Id={u};Password={pw};TrustServerCertificate=True", "odbc"),
            (f"{h}:5432:bid:{u}:{pw}", "pgpass"),
            (f"define('DB_PASSWORD', '{pw}');", "php"),
            (f"kubectl create secret generic db --from-literal=username={u} --from-literal=password={pw}", "kubectl"),
            (f"docker run -d -e MYSQL_ROOT_PASSWORD={pw} -p 3306:3306 mysql:8", "docker"),
            (f"conn = psycopg2.connect(host='{h}', user='{u}', password='{pw}')", "python"),
            (f"requests.get(url, auth=('{u}', '{pw}'))", "python"),
            (f"echo '{pw}' | docker login registry.example-corp.kr -u {u} --password-stdin", "shell"),
            (f"net user {u} {pw} /add", "windows"),
            (f"smtp:\n  host: smtp.example-corp.kr\n  username: {u}\n  pass: {pw}\n", "yaml"),
            (f"pw: {pw}", "short"),
            (f"비번 {pw}", "korean"),
            (f"[{R.choice(NAMES)}] [오후 5:03] 와이파이 비번 {pw}", "kakao"),
            (
                f"spring:\n  datasource:\n    url: jdbc:postgresql://{h}/bid\n    username: {u}\n    password: {pw}\n",
                "spring",
            ),
            (f"mongodb+srv://{u}:{pw}@cluster0.ab1cd.mongodb.net/bid?retryWrites=true", "url"),
            (f"amqp://{u}:{pw}@{h}:5672/%2F", "url"),
            (f"ansible_become_pass: {pw}", "ansible"),
            (f"ssh {u}@{h}  # pw {pw}", "comment"),
            (f"<password>{pw}</password>", "xml"),
        ][i % 20]
        add("password2", fmt, t, pw)
    for i in range(8):
        u, pw = R.choice(["admin", "app"]), strong_pw()
        basic = base64.b64encode(f"{u}:{pw}".encode()).decode()
        add("basic-auth", "http", f"curl -H 'Authorization: Basic {basic}' https://api.example-corp.kr/v1", basic)
    for i in range(6):
        k = b64(64)
        add(
            "azure-conn",
            "conn",
            f"DefaultEndpointsProtocol=https;AccountName=hanbitprod{i};AccountKey={k};EndpointSuffix=core.windows.net",
            k,
        )
    for i in range(6):
        tok = "ghp_" + rnd(AN, 36)
        add("git-credentials", "file", f"https://kimmj:{tok}@github.com", tok)
    for i in range(6):
        s = rnd(AN, 10)
        add(
            "naver-secret",
            "korean",
            [f"NAVER_CLIENT_SECRET={s}", f"네이버 검색 API 클라이언트 시크릿 {s}", f'"X-Naver-Client-Secret": "{s}"'][
                i % 3
            ],
            s,
        )
    # bank abbreviations and IBK accounts that look like phones
    abbr = [
        "국민",
        "신한",
        "우리",
        "하나",
        "농협",
        "기업",
        "카뱅",
        "케뱅",
        "토스",
        "우체국",
        "새마을금고",
        "신협",
        "수협",
        "iM뱅크",
        "부산",
        "경남",
        "광주",
        "KB",
        "NH",
        "IBK",
    ]
    for i, b in enumerate(abbr):
        v = bank_account()
        add("bank-abbr", "kakao", f"[{R.choice(NAMES)}] {b} {v} 김민준", v)
    for i in range(8):
        v = f"010-{rnd(string.digits, 6)}-{rnd(string.digits, 2)}-{rnd(string.digits, 3)}"
        add("bank-ibk", "prose", f"기업은행 {v} (예금주 한빛소프트)", v)
    for i in range(10):
        v = rnd(string.digits, R.choice([11, 12, 13, 14]))
        add(
            "bank-bare-digits",
            "prose",
            [f"입금: 국민 {v}", f"계좌 {v} 농협", f"환불계좌 신한{v}", f"{v} (하나은행)", f"카카오뱅크로 {v}"][i % 5],
            v,
        )
    # phones in forms people type
    for i in range(20):
        a, b, c = mobile()
        w = [
            f"{a} - {b} - {c}",
            f"☎ {a}){b}-{c}",
            f"{a}{b}{c}",
            f"H.P: {a}.{b}.{c}",
            f"{a}-{b}-{c}번",
            f"연락처{a}-{b}-{c}",
            f"T. 02-{b[:3]}-{c}",
            f"M) {a} {b} {c}",
            f"tel:+82{a[1:]}{b}{c}",
            f"{a}ー{b}ー{c}",
        ][i % 10]
        v = w.split(" ", 1)[1] if w.startswith(("☎", "H.P", "M)", "T.")) else w
        v = v.removeprefix("연락처").removesuffix("번").removeprefix("tel:")
        add("phone2", "form", f"담당: {R.choice(NAMES)} {w}", v)
    # Unicode digit forms
    for i in range(8):
        a, b, c = mobile()
        digs = f"{a}-{b}-{c}"
        w = [
            digs.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
            digs.translate(str.maketrans("0123456789", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗")),
            digs.translate(str.maketrans("0123456789", "⓪①②③④⑤⑥⑦⑧⑨")),
            digs.translate(str.maketrans("0123456789", "०१२३४५६७८९")),
        ][i % 4]
        add("phone-unicode-digits", "prose", f"연락처 {w}", w)
    # RRN forms
    for i in range(16):
        v = rrn() if i % 2 else rrn(post2020=True)
        f, b = v.split("-")
        w = [
            f"{f} - {b}",
            f"{f} {b}",
            f"19{f}-{b}",
            f"{f}–{b}",
            f"{f}ㅡ{b}",
            f"{f}-{b[0]} {b[1:]}",
            f"생년월일 {f} / 뒷자리 {b}",
            f"{f}-{b}(남)",
        ][i % 8]
        vv = w.removesuffix("(남)")
        add(
            "rrn2", "form", f"{R.choice(NAMES)} 주민등록번호: {w}", *(vv.split(" / 뒷자리 ") if "뒷자리" in w else [vv])
        )
    # Emails
    for i in range(12):
        e = email()
        u, d = e.split("@")
        w = [
            f"mailto:{u}%40{d}",
            f"{u.upper()}@{d.upper()}",
            f"{u}+bid@{d}",
            f"<{e}>",
            f"보낸사람: 김민준<{e}>",
            f'"{u}"@{d}',
        ][i % 6]
        v = w.split("<")[-1].rstrip(">") if "<" in w else w.removeprefix("mailto:")
        add("email2", "mail", f"From: {w}\n회신 부탁드립니다.", v)
    # IPs in more forms
    for i in range(16):
        v = ipv4()
        a, b, c, d = map(int, v.split("."))
        w = [
            f"0x{a:02X}{b:02X}{c:02X}{d:02X}",
            f"0x{a:x}.0x{b:x}.0x{c:x}.0x{d:x}",
            f"{v}/32",
            f"{v}:22",
            f"[{v}]",
            f"{v}에서 접속",
            f"IP는 {v}…",
            f"{v}(본사)",
        ][i % 8]
        add("ip2", "log", f"sshd[812]: Failed password for root from {w} port 51122", v if i % 8 > 1 else w)
    # AWS in forms
    for i in range(8):
        acct = aws_account()
        w = [
            f"{acct[:4]}-{acct[4:8]}-{acct[8:]}",
            f"Account ID: {acct[:4]} {acct[4:8]} {acct[8:]}",
            f"https://{acct}.signin.aws.amazon.com/console",
            f"s3://cdk-hnb659fds-assets-{acct}-ap-northeast-2/",
        ][i % 4]
        v = w.split(": ")[-1] if i % 4 == 1 else (w if i % 4 == 0 else acct)
        add("aws-account2", "misc", f"AWS 콘솔 {w}" if i % 4 < 2 else w, v)
    # tokens in odd places
    for i, (name, tok) in enumerate(provider_tokens()[:20]):
        w = [
            f"# TODO remove {tok}",
            f"'{tok[: len(tok) // 2]}' + '{tok[len(tok) // 2 :]}'",
            f"token: >-\n  {tok}",
            f'<meta name="api-key" content="{tok}">',
        ][i % 4]
        add("token2", "misc", w, tok if i % 4 != 1 else tok[len(tok) // 2 :])
    return cases


def ordinary2() -> list[Case]:
    R.seed(3327)  # each batch from its own seed: adding a batch changes no other
    cases: list[Case] = []

    def add(cls: str, text: str) -> None:
        cases.append(Case(f"{cls}-b2-{len(cases):04d}", cls, cls, text))

    for i in range(30):
        no = f"R{R.choice(['24', '25'])}BK{rnd(string.digits, 8)}"
        add(
            "g2b-json",
            json.dumps(
                {
                    "bidNtceNo": no,
                    "bidNtceOrd": "000",
                    "bidNtceNm": "2025년 전산장비 유지보수",
                    "ntceInsttCd": rnd(string.digits, 7),
                    "dminsttCd": "B" + rnd(string.digits, 6),
                    "presmptPrce": str(R.randint(10**7, 10**10)),
                    "asignBdgtAmt": str(R.randint(10**7, 10**10)),
                    "bidClseDt": f"2025-02-{R.randint(10, 28)} 10:00:00",
                    "opengDt": f"2025-02-{R.randint(10, 28)} 11:00:00",
                    "rgstDt": "2025-02-06 09:00:00",
                    "bidNtceDtlUrl": f"https://www.g2b.go.kr/link/PNPE027_01/single/?bidPbancNo={no}&bidPbancOrd=000",
                    "prdctClsfcNo": f"{R.randint(10, 95)}{rnd(string.digits, 8)}",
                    "rbidPermsnYn": "Y",
                },
                ensure_ascii=False,
            ),
        )
    for i in range(20):
        old = (
            f"{R.choice(['2019', '2020', '2021', '2022', '2023', '2024'])}{R.randint(1, 12):02d}{rnd(string.digits, 5)}"
        )
        add(
            "g2b-old-json",
            f'{{"bidNtceNo": "{old}", "bidNtceOrd": "00", "presmptPrce": {R.randint(10**7, 10**10)}, '
            f'"bidClseDt": "{old[:4]}/{R.randint(1, 12):02d}/{R.randint(1, 28):02d} 10:00"}}',
        )
    for i in range(20):
        add(
            "stacktrace",
            f'Traceback (most recent call last):\n  File "/app/bidradar/ingest.py", line {R.randint(10, 999)}, in run\n'
            f"    rows = fetch(page={R.randint(1, 300)})\n<Connection object at 0x7f{rnd(HEXL, 10)}>\n"
            f'psycopg.errors.UniqueViolation: duplicate key value violates unique constraint "notices_pkey"\n'
            f"DETAIL:  Key (bid_ntce_no, bid_ntce_ord)=({R.randint(2019, 2024)}{rnd(string.digits, 7)}, 00) already exists.",
        )
    for i in range(20):
        add(
            "docker",
            f"REPOSITORY   TAG    IMAGE ID       CREATED        SIZE\nbidradar     1.{R.randint(0, 20)}.{R.randint(0, 9)}  {rnd(HEXL, 12)}   {R.randint(2, 9)} days ago   {R.randint(100, 999)}MB\n"
            f"sha256:{rnd(HEXL, 64)}\n{R.randint(10**9, 10**10)} bytes written",
        )
    for i in range(20):
        add(
            "coords",
            f"위치: {R.uniform(33, 38):.6f}, {R.uniform(126, 130):.6f} (위도, 경도)\n우편번호 {R.randint(10000, 63999):05d}, "
            f"테헤란로 {R.randint(1, 500)}길 {R.randint(1, 99)}",
        )
    for i in range(20):
        add(
            "isbn",
            f"참고문헌: 『공공조달의 이해』, ISBN 978-89-{R.randint(100, 999)}-{R.randint(1000, 9999)}-{R.randint(0, 9)} / "
            f"ISBN {ean13('979')} / ISSN {R.randint(1000, 9999)}-{R.randint(1000, 9999)}",
        )
    for i in range(20):
        add(
            "metrics-float",
            f"p50={R.uniform(0, 1):.9f} p99={R.uniform(1, 9):.9f} total_bytes={R.randint(10**9, 10**11)} "
            f"rate={R.uniform(1e6, 1e9):.4f}/s id={R.randint(10**9, 10**10 - 1)}",
        )
    for i in range(20):
        add(
            "tracking",
            f"송장번호 {rnd(string.digits, 12)} (CJ대한통운), 주문번호 {R.randint(2024, 2025)}{R.randint(1, 12):02d}{R.randint(1, 28):02d}-{rnd(string.digits, 7)}",
        )
    for i in range(20):
        lines = "\n".join(
            f"{rnd(HEXL, 40)} {R.randint(2024, 2025)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d} fix"
            for _ in range(6)
        )
        add("gitlog2", lines)
    for i in range(20):
        add(
            "excel",
            "\t".join(["항목", "단가", "수량", "금액"])
            + "\n"
            + "\n".join(
                "\t".join(
                    [
                        R.choice(["서버", "스토리지", "라이선스"]),
                        str(R.randint(10**5, 10**8)),
                        str(R.randint(1, 99)),
                        str(R.randint(10**8, 10**11)),
                    ]
                )
                for _ in range(6)
            ),
        )
    return cases


# ---------------------------------------------------------------- batch 3: more provider shapes, forms, long notices


def attacks3() -> list[Case]:
    R.seed(3328)  # each batch from its own seed: adding a batch changes no other
    cases: list[Case] = []

    def add(cls: str, fmt: str, text: str, *values: str) -> None:
        cases.append(Case(f"{cls}-b3-{len(cases):04d}", cls, fmt, text, list(values)))

    A = AN
    toks = [
        ("google-oauth-access", "ya29.a0" + rnd(A + "-_", 150)),
        ("google-client-secret", "GOCSPX-" + rnd(A + "-_", 28)),
        ("slack-app", "xapp-1-A" + rnd(B32, 10) + "-" + rnd(string.digits, 13) + "-" + rnd(HEXL, 64)),
        ("github-user-to-server", "ghu_" + rnd(A, 36)),
        ("github-refresh", "ghr_" + rnd(A, 36)),
        ("openai-svcacct", "sk-svcacct-" + rnd(A + "-_", 74) + "T3BlbkFJ" + rnd(A + "-_", 74)),
        ("anthropic-oauth", "sk-ant-oat01-" + rnd(A + "-_", 93) + "AA"),
        ("fcm-server", "AAAA" + rnd(A + "-_", 7) + ":APA91b" + rnd(A + "-_", 134)),
        ("facebook", "EAACEdEose0cBA" + rnd(A, 100)),
        ("docker-pat", "dckr_pat_" + rnd(A + "-_", 27)),
        ("gitlab-runner", "glrt-" + rnd(A + "-_", 20)),
        ("planetscale", "pscale_pw_" + rnd(A + "-_", 43)),
        ("supabase-service", "sbp_" + rnd(HEXL, 40)),
        ("cloudflare-api", rnd(A + "-_", 40)),
        ("azure-client-secret", rnd(A, 3) + "8Q~" + rnd(A + "-_.~", 31)),
    ]
    for name, tok in toks:
        for t, fmt in [
            (f"{name.upper().replace('-', '_')}={tok}", "env"),
            (f"curl 'https://api.example.com/v1/items?access_token={tok}&limit=10'", "url"),
            (f"[{R.choice(NAMES)}] [오후 1:07] 키 여기요 {tok}", "kakao"),
        ]:
            add("token3", fmt, t, tok)
    # Korean labels of keys and secrets, values of the lengths consoles issue
    for label in [
        "인증키",
        "서비스키",
        "시크릿키",
        "API 키",
        "비밀키",
        "액세스 토큰",
        "앱 시크릿",
        "REST API 키",
        "암호키",
        "Client Secret",
    ]:
        v = rnd(A, R.choice([20, 24, 32, 40]))
        add("key-label-ko", "prose", f"{label}: {v}", v)
        add("key-label-ko", "md", f"| 구분 | 값 |\n|---|---|\n| {label} | `{v}` |", v)
    # forms people fill in
    for i in range(10):
        v = rrn(foreign=True, post2020=True)
        add(
            "frn-table",
            "md",
            f"| 성명 | 국적 | 등록번호 | 체류자격 |\n|---|---|---|---|\n| NGUYEN VAN AN | 베트남 | {v} | E-9 |",
            v,
        )
    for i in range(8):
        f, b = rrn(post2020=True).split("-")
        add(
            "rrn-kakao-split",
            "kakao",
            f"[{R.choice(NAMES)}] [오후 3:12] 주민번호 앞자리 {f}\n[박과장] [오후 3:12] 네\n[{R.choice(NAMES)}] [오후 3:13] 뒤는 {b}",
            b,
        )
    for i in range(8):
        a, b, c = mobile()
        add(
            "phone-kakao-pc",
            "kakao",
            f"2025. 2. 6. 오후 3:12, {R.choice(NAMES)} : {a} {b} {c} 으로 전화주세요",
            f"{a} {b} {c}",
        )
    for i in range(8):
        v = bank_account()
        add("bank-kakao-pc", "kakao", f"2025. 2. 6. 오후 3:14, {R.choice(NAMES)} : 카뱅 {v} 입금 부탁", v)
    for i in range(8):
        card = luhn_card("4", 16)
        w = "-".join(card[k : k + 4] for k in range(0, 16, 4))
        cvc = rnd(string.digits, 3)
        add("card-cvc", "form", f"카드번호 {w} 유효기간 12/27 CVC {cvc}", w)
        add("card-cvc", "form", f"카드번호 {w} 유효기간 12/27 CVC {cvc}", f"CVC {cvc}")
    for i in range(6):
        v = f"{R.randint(1, 9)}-{rnd(string.digits, 10)}"
        add("healthins", "form", f"건강보험증번호 {v} / 가입자 {R.choice(NAMES)}", v)
    for i in range(6):
        v = f"서울 {R.randint(10, 25)}-{rnd(string.digits, 6)}-{rnd(string.digits, 2)}"
        add("driverlic-region", "form", f"운전면허: {v} (1종 보통)", v.split(" ", 1)[1])
    for i in range(8):
        e = email()
        u, d = e.split("@")
        add("email-url", "url", f"https://crm.example-corp.kr/search?email={u}%40{d}&page=1", f"{u}%40{d}")
    for i in range(8):
        v = ipv4()
        w = [
            f'{v} - - [06/Feb/2025:09:00:01 +0900] "GET /api HTTP/1.1" 200 512',
            f"X-Forwarded-For: {v}, 10.0.0.1",
            f"::ffff:{v}",
            f"{v}번 서버 재부팅",
        ][i % 4]
        add("ip3", "log", w, v)
    return cases


def ordinary3() -> list[Case]:
    """Long notice texts (~20 KB) of the kind the product sends, identifier-light."""
    R.seed(3329)  # each batch from its own seed: adding a batch changes no other
    cases: list[Case] = []
    for n in range(10):
        parts = [
            f"■ 입찰공고 (공고번호 {R.choice(['2024', '2025'])}{rnd(string.digits, 7)}-00, 참조번호 제2025-{R.randint(1, 999)}호)"
        ]
        for sec in range(1, 60):
            dt = f"2025.{R.randint(1, 12):02d}.{R.randint(1, 28):02d} {R.randint(9, 17)}:00"
            parts.append(
                f"{sec}. {R.choice(['입찰참가자격', '입찰보증금', '낙찰자 결정방법', '계약조건', '예정가격 결정'])}\n"
                f"  {sec}.{R.randint(1, 9)}. 입찰서 제출 마감: {dt}, 개찰: {dt}\n"
                f"  {sec}.{R.randint(1, 9)}.{R.randint(1, 9)}. 추정가격 {R.randint(10**7, 10**10):,}원(부가가치세 별도), "
                f"기초금액 {R.randint(10**7, 10**10):,}원, 예비가격 기초금액의 ±{R.choice([2, 3])}% 범위 15개\n"
                f"  - 업종코드 {R.randint(1000, 9999)} 및 {R.randint(1000, 9999)} 등록업체, 낙찰하한율 {R.uniform(80, 90):.3f}%\n"
                f"  - 관련 공고: R{R.choice(['24', '25'])}BK{rnd(string.digits, 8)}-000, {R.choice(['2023', '2024'])}{rnd(string.digits, 7)}-01\n"
                f"  - 계약기간: 착수일로부터 {R.randint(30, 365)}일, 하자담보 {R.randint(1, 3)}년, 지체상금률 {R.choice(['0.05', '0.075', '0.1'])}%\n"
                f"  - 붙임{sec}_과업지시서({R.choice(['2025.02.06', '2025.1.7', '25.02.06'])}).hwp ({R.randint(10**5, 10**7)} bytes)\n"
            )
        cases.append(Case(f"notice-long-{n:04d}", "notice-long", "notice-long", "\n".join(parts)))
    return cases


# ---------------------------------------------------------------- batch 4: passwords on command lines (shell history)


def attacks4() -> list[Case]:
    R.seed(3330)  # each batch from its own seed: adding a batch changes no other
    cases: list[Case] = []
    forms = [
        "curl -u {u}:{p} https://nexus.example-corp.kr/service/rest/v1/status",
        "curl -s -u '{u}:{p}' -X POST https://jenkins.example-corp.kr/job/deploy/build",
        "curl --user {u}:{p} https://api.example-corp.kr/v1/health",
        "http -a {u}:{p} GET https://api.example-corp.kr/v1/me",
        "wget --http-user={u} --http-password={p} https://files.example-corp.kr/a.zip",
        "redis-cli -h 10.0.3.17 -a {p} ping",
        'sqlcmd -S db01 -U {u} -P {p} -Q "select 1"',
        "htpasswd -b /etc/nginx/.htpasswd {u} {p}",
        "ldapsearch -x -H ldap://ldap.corp.local -D cn={u},dc=corp -w {p} '(uid=kim)'",
        'mongosh "mongodb://db01:27017" -u {u} -p {p} --authenticationDatabase admin',
        "smbclient //fs01/share -U {u}%{p}",
        "xfreerdp /v:10.0.5.21 /u:{u} /p:{p}",
        "az login -u {u}@example-corp.kr -p {p}",
        "helm repo add internal https://charts.example-corp.kr --username {u} --password {p}",
        'send "{p}\\r"',
        "echo -e '{u}\\n{p}' | ftp -n files.example-corp.kr",
        "mysqldump -u{u} -p'{p}' bid > bid.sql",
        "psql 'host=10.0.3.17 user={u} password={p} dbname=bid'",
        "sshpass -p {p} scp dump.sql {u}@10.0.3.17:/tmp/",
        "vault login -method=userpass username={u} password={p}",
        "git clone https://{u}:{p}@bitbucket.example-corp.kr/scm/bid/app.git",
        "nmcli dev wifi connect HANBIT_5G password {p}",
        "zip -P {p} 견적서.zip 견적서.xlsx",
        "7z a -p{p} 계약서.7z 계약서.hwp",
    ]
    for i, f in enumerate(forms):
        for k in range(2):
            p = password() if k else strong_pw()
            u = R.choice(["admin", "deploy", "kimmj", "svc_bid"])
            text = f"{R.randint(100, 999)}  " + f.format(u=u, p=p)  # as `history` prints it
            cases.append(Case(f"cli-password-b4-{len(cases):04d}", "cli-password", f"cli{i}", text, [p]))
    return cases


def ordinary4() -> list[Case]:
    """Prompts shaped as the product's own analysis prompt (bidradar/analysis/analyses.py build_prompt: the notice
    JSON, the verdicts, the profile view), generated values: must go out unchanged."""
    R.seed(3331)  # each batch from its own seed: adding a batch changes no other
    cases: list[Case] = []
    for n in range(60):
        notice_no = (
            f"R{R.choice(['24', '25'])}BK{rnd(string.digits, 8)}-000"
            if n % 2
            else f"{R.choice(['2023', '2024'])}{R.randint(1, 12):02d}{rnd(string.digits, 5)}-0{R.randint(0, 2)}"
        )
        price = R.randint(10**7, 10**10)
        notice = {
            "notice_no": notice_no,
            "title": f"2025년 {R.choice(['통합유지관리', '전산장비 구매', '청사 시설관리'])} 용역",
            "category": R.choice(["용역", "물품", "공사"]),
            "notice_agency_name": "조달청 서울지방조달청",
            "demand_agency_name": R.choice(["서울특별시 강남구", "한국전력공사", "국민건강보험공단"]),
            "contract_method": "일반경쟁",
            "award_method": "적격심사",
            "estimated_price": price,
            "lower_limit_rate": round(R.uniform(80, 90), 3),
            "bid_close_at": f"2025-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}T10:00:00+09:00",
            "opening_at": f"2025-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}T11:00:00+09:00",
            "license_requirements": [
                f"정보통신공사업({R.randint(1000, 9999)})",
                f"소프트웨어사업자({R.randint(1000, 9999)})",
            ],
            "region_requirements": [R.choice(["서울특별시", "경기도", "전국"])],
        }
        match = {
            "verdict": "eligible",
            "license_verdict": "ok",
            "amount_verdict": "ok",
            "explanation_ko": f"추정가격 {price:,}원은 회사 실적 범위({R.randint(1, 9)}억~{R.randint(10, 90)}억) 안입니다.",
        }
        company = {
            "description": "공공 SI 전문",
            "licenses": ["정보통신공사업", "소프트웨어사업자"],
            "location": "서울특별시",
            "size": "중소기업",
            "track_record": [{"year": y, "amount": R.randint(10**8, 10**10)} for y in (2022, 2023, 2024)],
            "capacity": f"{R.randint(10, 300)}명",
            "keywords": ["유지관리", "클라우드"],
            "categories": ["용역"],
        }
        text = (
            "다음 입찰공고가 이 회사에 맞는지 분석하세요.\n\n[입찰공고]\n"
            + json.dumps(notice, ensure_ascii=False, indent=1)
            + "\n\n[자격 판정]\n"
            + json.dumps(match, ensure_ascii=False, indent=1)
            + "\n\n[회사 프로필]\n"
            + json.dumps(company, ensure_ascii=False, indent=1)
        )
        cases.append(Case(f"product-prompt-{n:04d}", "product-prompt", "product-prompt", text))
    return cases


# ---------------------------------------------------------------- batch 5: passwords beside their name, positional


def attacks5() -> list[Case]:
    R.seed(3332)  # each batch from its own seed: adding a batch changes no other
    cases: list[Case] = []
    forms = [
        'spec:\n  containers:\n  - name: api\n    env:\n    - name: DB_PASSWORD\n      value: "{p}"\n    - name: LOG_LEVEL\n      value: info\n',
        "env:\n  - name: SPRING_DATASOURCE_PASSWORD\n    value: {p}\n",
        '"containerDefinitions": [{{"environment": [{{"name": "DB_PASS", "value": "{p}"}}]}}]',
        '[{{"ParameterKey": "DBPassword", "ParameterValue": "{p}"}}, {{"ParameterKey": "Env", "ParameterValue": "prod"}}]',
        "$pdo = new PDO('mysql:host=10.0.3.17;dbname=bid', '{u}', '{p}');",
        "conn = pymysql.connect('10.0.3.17', '{u}', '{p}', 'bid')",
        'Connection c = DriverManager.getConnection(url, "{u}", "{p}");',
        'conn = psycopg2.connect("dbname=bid user={u} password={p} host=10.0.3.17")',
        'db, err := sql.Open("mysql", "{u}:{p}@tcp(10.0.3.17:3306)/bid")',
        "mysql.createConnection({{host: '10.0.3.17', user: '{u}', password: '{p}'}})",
        "ftp.login('{u}', '{p}')",
        'smtp.login("{u}@example-corp.kr", "{p}")',
    ]
    for i, f in enumerate(forms):
        for k in range(3):
            p = [strong_pw(), password(), rnd(AN, 12)][k]
            u = R.choice(["root", "sa", "app", "svc_bid"])
            cases.append(Case(f"pw-named-b5-{len(cases):04d}", "pw-named", f"code{i}", f.format(u=u, p=p), [p]))
    return cases


def ordinary5() -> list[Case]:
    """Command output a developer pastes (ls -li, stat, EXPLAIN ANALYZE, ps, /proc/meminfo, 64-bit ids)."""
    R.seed(3333)  # each batch from its own seed: adding a batch changes no other
    cases: list[Case] = []

    def add(cls: str, text: str) -> None:
        cases.append(Case(f"{cls}-b5-{len(cases):04d}", cls, cls, text))

    for _ in range(15):
        add(
            "ls-li",
            "\n".join(
                f"{R.randint(10**6, 10**10)} -rw-r--r-- 1 dev dev {R.randint(10, 10**9)} Feb  6 09:"
                f"{R.randint(10, 59)} report_{k}.csv"
                for k in range(5)
            ),
        )
        add(
            "stat",
            f"  File: bid.parquet\n  Size: {R.randint(10**6, 10**10)}\tBlocks: {R.randint(10**3, 10**7)}  IO Block:"
            f" 4096 regular file\nDevice: 10302h/66306d\tInode: {R.randint(10**6, 10**10)}  Links: 1\n"
            f"Modify: 2025-02-06 09:00:01.{R.randint(10**8, 10**9 - 1)} +0900",
        )
        add(
            "id64",
            f"id={R.randint(10**17, 10**19)} parent={R.randint(10**17, 10**19)} "
            f"ts_ns={R.randint(1_700_000_000 * 10**9, 1_770_000_000 * 10**9)}",
        )
        add(
            "explain",
            f"Seq Scan on notices  (cost=0.00..{R.randint(10**5, 10**9)}.{R.randint(10, 99)} rows="
            f"{R.randint(10**5, 10**10)} width={R.randint(10, 300)}) (actual time=0.011..{R.uniform(1, 9999):.3f}"
            f" rows={R.randint(10**5, 10**10)} loops=1)",
        )
        add(
            "ps",
            "USER  PID %CPU %MEM    VSZ   RSS TTY STAT START TIME COMMAND\n"
            + "\n".join(
                f"dev {R.randint(1000, 4194304)} {R.uniform(0, 99):.1f} {R.uniform(0, 9):.1f} {R.randint(10**5, 10**8)} "
                f"{R.randint(10**4, 10**7)} ? Ssl 09:00 0:{R.randint(10, 59)} python -m dagster"
                for _ in range(4)
            ),
        )
        add(
            "meminfo",
            f"MemTotal:       {R.randint(10**6, 10**9)} kB\nMemFree:        {R.randint(10**5, 10**8)} kB\n"
            f"Cached:         {R.randint(10**5, 10**8)} kB",
        )
    return cases
