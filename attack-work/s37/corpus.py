"""Stop 37's red-team corpus (redteam37), written without reading the masker, its tests or earlier corpora.

Values are generated here (seeded `random`, checksums computed below; RSA keys generated once into keys37.pem,
EC and Ed25519 keys derived from the seed); none is real. The texts are written the ways people paste them: chat
exports, mail threads, spreadsheets, configuration, logs, code, URLs, HWP/PDF copies.

A case's `forms` are the written forms that must not reach the provider; `core` is the bare value, also looked for
with every separator removed (`leaked`, the same rule as stop 36's corpus so tests and runners read both alike).
"""

from __future__ import annotations

import base64
import json
import random
import re
import string
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

R = random.Random(3737)
HERE = Path(__file__).resolve().parent

# The masker's company-secrets input (Masker(KEY, SECRETS)): the company, a project code name, a product code.
SECRETS = ["누리온테크", "블루웨일 프로젝트", "ORCA-7"]


@dataclass
class Case:
    id: str
    cls: str
    fmt: str
    text: str
    forms: tuple[str, ...] = ()
    core: str = ""
    ordinary: bool = False
    form: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


TOKEN = re.compile(r"MASK_[A-Z0-9]+_[0-9a-fA-F]{16}")


def leaked(c: Case, out: str) -> str | None:
    """The first planted form seen in `out`, or the core with every separator removed (digits only for a numeric
    core, letters and digits for a token)."""
    for f in c.forms:
        if f and f in out:
            return f"form:{f[:60]}"
    if c.core:
        bare = TOKEN.sub("|", out)
        joined = re.sub(r"[^0-9|]" if c.core.isdigit() else r"[^0-9A-Za-z|]", "", bare)
        core = re.sub(r"[^0-9A-Za-z]", "", c.core)
        if len(core) >= 8 and core in joined:
            return f"core:{core[:60]}"
    return None


# ---------------------------------------------------------------- generators (checksums computed here)

B32 = string.ascii_uppercase + "234567"
B64 = string.ascii_letters + string.digits + "+/"
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"


def dg(n: int) -> str:
    return "".join(R.choice(string.digits) for _ in range(n))


def rs(n: int, chars: str = ALNUM) -> str:
    while True:
        s = "".join(R.choice(chars) for _ in range(n))
        if chars is ALNUM and n >= 8 and not (re.search(r"\d", s) and re.search("[a-z]", s) and re.search("[A-Z]", s)):
            continue
        return s


def rrn(foreign: bool = False, y2k: bool = False) -> str:
    """YYMMDD-GNNNNNC with a real date and the (pre-2020) check digit."""
    y = R.randint(0, 6) if y2k else R.randint(62, 99)
    pool = {(True, True): (7, 8), (True, False): (5, 6), (False, True): (3, 4), (False, False): (1, 2)}
    g = R.choice(pool[(foreign, y2k)])
    body = f"{y:02d}{R.randint(1, 12):02d}{R.randint(1, 28):02d}{g}{dg(5)}"
    s = sum(int(a) * b for a, b in zip(body, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5], strict=True))
    chk = (13 - s % 11) % 10 if foreign else (11 - s % 11) % 10
    full = body + str(chk)
    return full[:6] + "-" + full[6:]


def brn() -> str:
    """사업자등록번호 3-2-5 with its check digit."""
    b = f"{R.randint(105, 899)}{R.choice(['81', '86', '87', '88', '01', '05', '12', '23'])}{dg(4)}"
    w = [1, 3, 7, 1, 3, 7, 1, 3, 5]
    s = sum(int(a) * x for a, x in zip(b, w, strict=True)) + (int(b[8]) * 5) // 10
    full = b + str((10 - s % 10) % 10)
    return f"{full[:3]}-{full[3:5]}-{full[5:]}"


def crn() -> str:
    """법인등록번호 6-7: registry office, kind, serial and check digit (weights 1,2,1,2...)."""
    b = R.choice(["1101", "1311", "1345", "1801", "1613", "2001"]) + R.choice(["11", "11", "71"]) + dg(6)
    s = sum(int(a) * (1 if i % 2 == 0 else 2) for i, a in enumerate(b))
    full = b + str((10 - s % 10) % 10)
    return full[:6] + "-" + full[6:]


def luhn(prefix: str, n: int = 16) -> str:
    body = prefix + dg(n - len(prefix) - 1)
    total = 0
    for i, ch in enumerate(reversed(body)):
        v = int(ch)
        if i % 2 == 0:
            v *= 2
            v = v - 9 if v > 9 else v
        total += v
    return body + str((10 - total % 10) % 10)


def card(prefix: str | None = None, n: int = 16) -> str:
    return luhn(prefix or R.choice(["4048", "5310", "5409", "9410", "3560", "4518", "5361"]), n)


def g4(s: str, sep: str = "-") -> str:
    return sep.join(s[i : i + 4] for i in range(0, len(s), 4))


def mobile() -> str:
    return f"010-{R.randint(2000, 9999)}-{dg(4)}"


def nodash(s: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", s)


def fullwidth(s: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in s)


def akia(prefix: str = "AKIA") -> str:
    return prefix + "".join(R.choice(B32) for _ in range(16))


def aws_secret() -> str:
    while True:
        s = "".join(R.choice(B64) for _ in range(40))
        if re.search(r"\d", s) and re.search("[a-z]", s) and re.search("[A-Z]", s):
            return s


def account() -> str:
    return str(R.randint(1, 9)) + dg(11)


def session_token() -> str:
    return "IQoJb3JpZ2luX2VjE" + "".join(R.choice(B64) for _ in range(340)) + "=="


def password() -> str:
    words = ["Nuri", "Bid", "Whale", "Orca", "Spring", "Hanbit", "Sejong", "Jeju", "Blue", "Radar"]
    return R.choice(words) + R.choice("!@#$%^&*") + str(R.randint(10, 9999)) + R.choice(["", "!", "#", "xy", "Kr"])


def pubip() -> str:
    first = R.choice([211, 121, 58, 175, 222, 112, 118, 59, 61, 14, 27, 115, 125])
    return f"{first}.{R.randint(1, 254)}.{R.randint(1, 254)}.{R.randint(1, 254)}"


def b64(s: str | bytes) -> str:
    return base64.b64encode(s.encode() if isinstance(s, str) else s).decode()


def uesc(s: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in s)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def _rsa_keys() -> list[str]:
    text = (HERE / "keys37.pem").read_text()
    return re.findall(r"-----BEGIN [A-Z ]+-----\n.*?-----END [A-Z ]+-----\n", text, re.S)


def ec_pem() -> str:
    from cryptography.hazmat.primitives import serialization as s
    from cryptography.hazmat.primitives.asymmetric import ec

    k = ec.derive_private_key(R.getrandbits(255) + 1, ec.SECP256R1())
    return k.private_bytes(s.Encoding.PEM, s.PrivateFormat.TraditionalOpenSSL, s.NoEncryption()).decode()


def openssh_key() -> str:
    """An Ed25519 key in OpenSSH's format, generated once (the format's check integers are random)."""
    return (HERE / "openssh37.key").read_text()


def body_line(pem: str, i: int = 3) -> str:
    return [ln for ln in pem.splitlines() if ln and not ln.startswith("-----")][i]


NAMES = [
    "김민준",
    "이서연",
    "박지훈",
    "최유진",
    "정하늘",
    "강도윤",
    "윤서아",
    "장우진",
    "임지민",
    "한예린",
    "오세훈",
    "서지우",
]
ROMAN = ["minjun.kim", "seoyeon.lee", "jihoon.park", "yujin.choi", "haneul.jung", "doyun.kang", "seoa.yoon"]


def who() -> str:
    return R.choice(NAMES)


# ---------------------------------------------------------------- the attacks

_CASES: list[Case] = []


def add(cls: str, fmt: str, text: str, forms: tuple[str, ...] | list[str] = (), core: str = "", **extra: Any) -> None:
    _CASES.append(Case(f"{cls.lower()}-{fmt}", cls, fmt, text, tuple(forms), core, form=fmt, extra=extra))


def rrn_cases() -> None:
    v = rrn()
    add(
        "RRN",
        "kakao_export",
        f"2025년 3월 4일 오후 2:13, {who()} : 주민번호 {v}이고 주소는 대전 유성구 봉명동이요",
        [v],
        v,
    )
    v = rrn()
    add(
        "RRN",
        "particle_glued",
        f"아 그리고 제 주민번호는 {nodash(v)}이에요ㅎㅎ 보험 가입할 때 필요하대서",
        [nodash(v)],
        v,
    )
    v = rrn()
    add("RRN", "csv_header", f"순번,성명,주민등록번호,부서\n1,{who()},{v},영업팀\n2,{who()},{rrn()},기술팀", [v], v)
    v = rrn()
    add(
        "RRN",
        "sql_insert",
        f"INSERT INTO tb_member (mem_nm, jumin_no, dept_cd) VALUES ('{who()}', '{nodash(v)}', 'D0102');",
        [nodash(v)],
        v,
    )
    v = rrn()
    add(
        "RRN",
        "mysql_table",
        "mysql> select id, name, resident_no from staff where id=7;\n"
        "+----+--------+----------------+\n| id | name   | resident_no    |\n+----+--------+----------------+\n"
        f"|  7 | {who()} | {v} |\n+----+--------+----------------+\n1 row in set (0.00 sec)",
        [v],
        v,
    )
    v = rrn()
    esc = uesc(v)
    add("RRN", "json_uescape", '{"name":"' + uesc(who()) + '","ssn":"' + esc + '","ok":true}', [esc, v], v)
    v = rrn()
    q = v.replace("-", "%2D")
    add("RRN", "urlencoded_query", f"GET /api/v1/identity/verify?name=%EA%B9%80&rrn={q}&ts=1741 HTTP/1.1", [q, v], v)
    v = rrn()
    add("RRN", "fullwidth", f"주민등록번호：{fullwidth(v)}  (본인 확인용)", [fullwidth(v), v], v)
    v = rrn()
    add(
        "RRN",
        "hwp_endash",
        f"신 청 인 : {who()}\n주민등록번호 : {v.replace('-', ' – ')}\n주    소 : 세종특별자치시 한누리대로",
        [v.replace("-", " – ")],
        v,
    )
    v = rrn()
    nb = v.replace("-", "\u2011")
    add("RRN", "pdf_nbhyphen", f"대표자 {who()} (생년월일·성별 포함 {nb})", [nb], v)
    v = rrn()
    add(
        "RRN",
        "pdf_wrap_mid",
        f"위 신청인 {who()}(주민등록번호 {v[:10]}\n{v[10:]})은 아래와 같이 재직하고 있음을 증명합니다.",
        [v],
        v,
    )
    v = rrn()
    add(
        "RRN",
        "mail_quoted",
        f"네 확인했습니다.\n\n> 2025. 3. 5. 오전 9:02, {who()} 작성:\n> 원천징수 처리용입니다\n> > 주민번호: {v}\n> > 계좌는 따로 보낼게요",
        [v],
        v,
    )
    v = rrn()
    payload = b64(json.dumps({"name": "kim", "rrn": v}))
    add(
        "RRN",
        "b64_jsonlog",
        '{"ts":"2025-03-05T01:02:03Z","level":"debug","msg":"kyc req","body":"' + payload + '"}',
        [payload, v],
        v,
    )
    v = rrn()
    add(
        "RRN",
        "py_comment",
        f"def test_verify():\n    # 실데이터 (커밋 전에 지우기!!) {v}\n    assert verify(FIXTURE)",
        [v],
        v,
    )
    v = rrn()
    add("RRN", "excel_apostrophe", f"이름\t주민번호\t입사일\n{who()}\t'{nodash(v)}\t2019-03-02", [nodash(v)], v)
    v = rrn(y2k=True)
    dropped = nodash(v).lstrip("0")
    add("RRN", "excel_zero_dropped", f"성명\t주민등록번호\t학년\n{who()}\t{dropped}\t3", [dropped])
    v = rrn()
    f, b = v.split("-")
    add(
        "RRN",
        "form_two_fields",
        f"POST /member/join.do HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\nuserNm=%EA%B9%80&jumin1={f}&jumin2={b}&agree=Y",
        [b],
        v,
    )
    v = rrn()
    add(
        "RRN",
        "markdown_table",
        f"| 이름 | 주민번호 | 비고 |\n|---|---|---|\n| {who()} | {v} | 4대보험 |\n| {who()} | {rrn()} | |",
        [v],
        v,
    )
    v = rrn()
    add(
        "RRN",
        "java_const",
        f'public class Fixture {{\n    private static final String TEST_JUMIN = "{nodash(v)}";\n}}',
        [nodash(v)],
        v,
    )
    v = rrn()
    add("RRN", "hwp_paren_spaced", f"주민등록번호 ( {v.replace('-', ' - ')} )", [v.replace("-", " - ")], v)


def frn_cases() -> None:
    v = rrn(foreign=True)
    add(
        "FRN",
        "english_mail",
        f"Hi team,\nMy alien registration no. is {v}. Please update HR records.\nThanks, Nguyen",
        [v],
        v,
    )
    v = rrn(foreign=True)
    add("FRN", "csv_header", f"성명,국적,외국인등록번호,비자\nNGUYEN VAN A,베트남,{v},E-9", [v], v)
    v = rrn(foreign=True)
    add("FRN", "json_arc", '{"worker":{"nation":"VN","arc_no":"' + nodash(v) + '","visa":"E-9"}}', [nodash(v)], v)
    v = rrn(foreign=True)
    add("FRN", "slack_particle", f"ARC 번호 {v}요! 카드 뒷면 사진도 보내드릴게요", [v], v)
    v = rrn(foreign=True)
    add("FRN", "vietnamese", f"Số đăng ký người nước ngoài: {v} (thẻ ARC)", [v], v)
    v = rrn(foreign=True)
    add("FRN", "yaml", f"employees:\n  - name: TRAN THI B\n    foreigner_reg_no: {v}\n    visa: E-7", [v], v)


def phone_cases() -> None:
    v = mobile()
    add("PHONE", "kakao_glued", f"[{who()}] [오후 3:12] {nodash(v)}로 연락주세요 퇴근길이라", [nodash(v)], v)
    v = mobile()
    intl = "+82-" + v[1:]
    add("PHONE", "vcard", f"BEGIN:VCARD\nVERSION:3.0\nFN:{who()}\nTEL;TYPE=CELL:{intl}\nEND:VCARD", [intl], v[1:])
    v = mobile()
    add(
        "PHONE",
        "tel_href",
        f'<a href="tel:+82{nodash(v)[1:]}">담당자에게 전화</a>',
        ["+82" + nodash(v)[1:]],
        nodash(v)[1:],
    )
    v = mobile()
    add("PHONE", "slack_tel", f"급하면 <tel:{v}|{v}> 로 전화 주세요", [v], v)
    v = mobile()
    sp = "+82 " + v[1:].replace("-", " ")
    add("PHONE", "mail_signature", f"--\n{who()} 책임 | 누리 영업본부\nM. {sp} | F. 02-6000-1234", [sp], v[1:])
    v = mobile()
    dropped = nodash(v)[1:]
    add("PHONE", "excel_zero_dropped", f"이름\t휴대폰\t직급\n{who()}\t{dropped}\t과장", [dropped])
    v = mobile()
    add("PHONE", "fullwidth", f"연락처：{fullwidth(v)}", [fullwidth(v), v], v)
    v = mobile()
    dotted = v.replace("-", ".")
    add(
        "PHONE",
        "nginx_query",
        f'10.0.0.1 - - [05/Mar/2025:10:00:01 +0900] "GET /sms/send?mobile={dotted}&tpl=7 HTTP/1.1" 200 31',
        [dotted],
        v,
    )
    v = mobile()
    q = urllib.parse.quote("+82" + nodash(v)[1:])
    add("PHONE", "urlencoded_plus", f"https://api.nurisms.example/v2/send?to={q}&from=15881234", [q], nodash(v)[1:])
    v = mobile()
    add("PHONE", "json_uescape", '{"receiver":"' + uesc(v) + '"}', [uesc(v), v], v)
    v = mobile()
    add("PHONE", "sql_where", f"SELECT * FROM orders WHERE orderer_tel = '{v}' ORDER BY reg_dt DESC;", [v], v)
    v = mobile()
    par = f"({v[:3]}){v[4:]}"
    add("PHONE", "paren_area", f"문의: {par} (평일 9시~18시)", [par], v)
    v = mobile()
    sp = v.replace("-", " ")
    add("PHONE", "spaced_particle", f"제 번호 {sp}으로 문자 주세요", [sp], v)
    v = mobile()
    add("PHONE", "wrap_mid_group", f"회신 주실 연락처는 {v[:6]}\n{v[6:]} 입니다.", [v], v)
    v, w = mobile(), mobile()
    add(
        "PHONE",
        "k8s_configmap_list",
        f'apiVersion: v1\nkind: ConfigMap\ndata:\n  ALERT_SMS_TO: "{nodash(v)},{nodash(w)}"',
        [nodash(w)],
        w,
    )
    v = mobile()
    add(
        "PHONE",
        "curl_form",
        f"curl -X POST https://sms.example.co.kr/send -d 'to={nodash(v)}&from=15880000&msg=test'",
        [nodash(v)],
        v,
    )
    v = mobile()
    en = v.replace("-", "–")
    add("PHONE", "endash", f"담당: {who()} 대리 ({en})", [en], v)
    v = mobile()
    uk = "+82 (0)" + v[1:].replace("-", " ")
    add("PHONE", "intl_paren_zero", f"Contact: Mr. Kim, {uk}", [uk], v[1:])
    v = f"02){R.randint(2000, 9999)}-{dg(4)}"
    add("PHONE", "landline_paren", f"직통 {v} / 내선 2231", [v], v)
    v = mobile()
    add(
        "PHONE",
        "stacktrace",
        f"com.nuri.sms.SmsSendException: invalid receiver {nodash(v)} (code=E102)\n\tat com.nuri.sms.Sender.send(Sender.java:88)",
        [nodash(v)],
        v,
    )
    v = mobile()
    add("PHONE", "hwp_symbol", f"☎ {v}  ✉ 팩스 없음", [v], v)


def email_cases() -> None:
    e = f"{R.choice(ROMAN)}@nurion.co.kr"
    add(
        "EMAIL",
        "forwarded_header",
        f"---------- Forwarded message ---------\nFrom: {who()} <{e}>\nDate: 2025년 3월 4일 (화) 오후 2:10\nSubject: 견적 건",
        [e],
        e,
    )
    e = f"{R.choice(ROMAN)}@nurion.co.kr"
    add(
        "EMAIL",
        "reply_attribution",
        f"좋습니다.\n\n2025년 3월 4일 (화) 오후 2:10, {who()} <{e}>님이 작성:\n> 내일 회의 가능할까요?",
        [e],
        e,
    )
    e = f"{R.choice(ROMAN)}@nurion.co.kr"
    add(
        "EMAIL",
        "git_log",
        f"commit 3f9a1c2\nAuthor: {who()} <{e}>\nDate:   Tue Mar 4 14:10:00 2025 +0900\n\n    fix bid parser",
        [e],
        e,
    )
    e = f"{R.choice(ROMAN)}@nurion.co.kr"
    enc = e.replace("@", "%40")
    add("EMAIL", "mailto_encoded", f'<a href="mailto:{enc}?subject=%EA%B2%AC%EC%A0%81">메일 보내기</a>', [enc, e], e)
    e = f"{R.choice(ROMAN)}@nurion.co.kr"
    add("EMAIL", "slack_mailto", f"이쪽으로 보내주세요 <mailto:{e}|{e}>", [e], e)
    e = f"{R.choice(ROMAN)}@nurion.co.kr".upper()
    add("EMAIL", "uppercase", f"담당자 E-MAIL : {e}", [e], e)
    e = f"{R.choice(ROMAN)}@nurion.co.kr"
    esc = e.replace("@", "\\u0040")
    add("EMAIL", "json_u0040", '{"contact":{"email":"' + esc + '"}}', [esc, e], e)
    e = f"{R.choice(ROMAN)}@nurion.co.kr"
    fw = e.replace("@", "＠")
    add("EMAIL", "fullwidth_at", f"이메일 {fw}", [fw, e], e)
    e = f"{R.choice(ROMAN)}@nurion.co.kr"
    add("EMAIL", "particle_glued", f"자료는 {e}로 보내주시면 됩니다", [e], e)
    e = "김민준@누리온.한국"
    add("EMAIL", "idn_hangul", f"새 메일 주소: {e} (한글 도메인)", [e])
    e = f"{R.choice(ROMAN)}+g2b@gmail.com"
    add("EMAIL", "plus_address", f"나라장터 알림은 {e} 로 설정", [e], e)
    e = f"{R.choice(ROMAN)}@nurion.co.kr"
    add("EMAIL", "ldapsearch", f"dn: uid=mkim,ou=people,dc=nurion,dc=co,dc=kr\nmail: {e}\ncn: {who()}", [e], e)
    e = f"{R.choice(ROMAN)}@nurion.co.kr"
    i = e.index("@") + 4
    add("EMAIL", "pdf_wrap_domain", f"문의처: 누리온 영업팀 ({e[:i]}\n{e[i:]})", [e], e)


def biz_cases() -> None:
    v = brn()
    add(
        "BRN",
        "taxinvoice_xml",
        f"<TaxInvoice><InvoicerParty><InvoicerCorpNum>{nodash(v)}</InvoicerCorpNum><InvoicerCorpName>(주)누리</InvoicerCorpName></InvoicerParty></TaxInvoice>",
        [nodash(v)],
        v,
    )
    v = brn()
    add("BRN", "particle", f"사업자번호 {v}으로 조회하면 휴업으로 나와요", [v], v)
    v = brn()
    add("BRN", "nts_api_json", '{"b_no":["' + nodash(v) + '"]}', [nodash(v)], v)
    v = brn()
    sp = v.replace("-", " - ")
    add("BRN", "hwp_spaced", f"견 적 서\n등록번호 : {sp}\n상    호 : (주)누리", [sp], v)
    v = brn()
    add("BRN", "fullwidth", f"사업자등록번호：{fullwidth(v)}", [fullwidth(v), v], v)
    v = brn()
    add("BRN", "csv_nodash", f"거래처명,사업자등록번호,대표자\n(주)누리,{nodash(v)},{who()}", [nodash(v)], v)
    v = brn()
    add("BRN", "url_query", f"https://erp.nuri.local/vendor/view?bizno={nodash(v)}&tab=2", [nodash(v)], v)
    v = brn()
    add("BRN", "sentence_glued", f"저희 사업자 번호가 {nodash(v)}인데 입찰참가자격 등록이 안 돼요", [nodash(v)], v)


def crn_cases() -> None:
    v = crn()
    add("CRN", "label", f"법인등록번호 {v}", [v], v)
    v = crn()
    add(
        "CRN",
        "registry_fullwidth_dash",
        f"등기번호 012345\n법인등록번호 {v.replace('-', '－')}\n상호 주식회사 누리",
        [v.replace("-", "－")],
        v,
    )
    v = crn()
    add("CRN", "json", '{"corp_reg_no":"' + nodash(v) + '","corp_cls":"Y"}', [nodash(v)], v)
    v = crn()
    add("CRN", "xml", f"<Corp><CorpRegNo>{nodash(v)}</CorpRegNo></Corp>", [nodash(v)], v)
    v = crn()
    add("CRN", "sentence", f"법인번호는 {nodash(v)}입니다 (등기부등본 참고)", [nodash(v)], v)


def bank_cases() -> None:
    v = f"3333{dg(2)}{dg(7)}"
    add("BANKACCT", "kakao_glued", f"카뱅 {v}로 보내줘 ㅋㅋ 회식비", [v], v)
    v = f"{dg(6)}-{dg(2)}-{dg(6)}"
    add("BANKACCT", "holder_paren", f"국민 {v} (예금주 누리)", [v], v)
    v = f"110-{dg(3)}-{dg(6)}"
    add("BANKACCT", "csv", f"은행,계좌번호,예금주\n신한,{v},{who()}", [v], v)
    v = f"1002-{dg(3)}-{dg(6)}"
    add("BANKACCT", "mail", f"입금 계좌: 우리은행 {v}\n입금자명은 회사명으로 부탁드립니다.", [v], v)
    v = f"{dg(12)}"
    add("BANKACCT", "json_code", '{"bank_code":"088","account_no":"' + v + '","holder":"KIM"}', [v], v)
    v = f"1000-{dg(4)}-{dg(4)}"
    add("BANKACCT", "toss", f"토스뱅크 {v} 로 환불 부탁드려요", [v], v)
    v = f"302-{dg(4)}-{dg(4)}-{dg(2)}"
    add("BANKACCT", "fullwidth", f"계좌：농협 {fullwidth(v)}", [fullwidth(v), v], v)
    v = f"110 {dg(3)} {dg(6)}"
    add("BANKACCT", "spaced", f"신한 {v} {who()}", [v], v)
    v = f"{dg(3)}-{dg(6)}-{dg(5)}"
    add("BANKACCT", "sql", f"UPDATE vendor SET settle_bank='기업', settle_acct='{v}' WHERE vendor_id=31;", [v], v)
    v = f"{dg(3)}{dg(2)}{dg(6)}"
    add("BANKACCT", "kakao_ime", f"[{who()}] 계좌 알려줘\n[{who()}] 하나 {v}", [v], v)


def card_cases() -> None:
    v = card()
    add("CARD", "track1", f"POS dump: %B{v}^KIM/MINJUN^27121010000000000000?", [v], v)
    v = card()
    add("CARD", "track2", f"rx=;{v}=27121010000012345678? len=37", [v], v)
    v = card()
    add("CARD", "spaced_expiry", f"카드번호 {g4(v, ' ')}, 유효기간 12/27, CVC 331", [g4(v, " ")], v)
    v = card()
    add("CARD", "json", '{"pay":{"card_no":"' + v + '","install":0}}', [v], v)
    v = card()
    add("CARD", "url_query", f"https://pg.example.com/approve?cardNo={g4(v)}&amt=55000", [g4(v)], v)
    v = card("3782", 15)
    amex = f"{v[:4]} {v[4:10]} {v[10:]}"
    add("CARD", "amex", f"법인카드(AMEX) {amex} 로 결제했습니다", [amex], v)
    v = card()
    add("CARD", "fullwidth", f"카드：{fullwidth(g4(v))}", [fullwidth(g4(v)), v], v)
    v = card()
    add("CARD", "endash", f"card {g4(v, '–')}", [g4(v, "–")], v)
    v = card()
    add("CARD", "kakao_glued", f"법카 {v}이고 cvc는 482", [v], v)
    v = card()
    add("CARD", "log", f"2025-03-05 10:01:02 WARN PaymentDeclined card={v} amount=55000 reason=LIMIT", [v], v)


def iddoc_cases() -> None:
    p = "M" + dg(8)
    add("PASSPORT", "mail", f"출장자 여권번호 {p} 입니다 (만료 2030.01.02)", [p], p)
    p = "M" + dg(8)
    add("PASSPORT", "yaml", f"traveler:\n  name: KIM MINJUN\n  passport_no: {p}", [p], p)
    p = "M" + dg(8)
    mrz = f"PMKORKIM<<MINJUN<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n{p}<3KOR9001011M3001017<<<<<<<<<<<<<<02"
    add("PASSPORT", "mrz", f"여권 사본 OCR 결과:\n{mrz}", [p], p)
    v = f"{R.randint(11, 28)}-{dg(2)}-{dg(6)}-{dg(2)}"
    add("DRIVERLIC", "label", f"운전면허번호 {v} (1종 보통)", [v], v)
    v = f"{R.randint(11, 28)}-{dg(2)}-{dg(6)}-{dg(2)}"
    add("DRIVERLIC", "csv", f"성명,면허번호,차량\n{who()},{v},12가3456", [v], v)


def aws_cases() -> None:
    k, s = akia(), aws_secret()
    add(
        "AWSKEY",
        "credentials_ini",
        f"[nuri-prod]\naws_access_key_id = {k}\naws_secret_access_key = {s}\nregion = ap-northeast-2",
        [k, s],
        k,
    )
    k, s = akia(), aws_secret()
    add(
        "AWSKEY",
        "terraform_provider",
        f'provider "aws" {{\n  region     = "ap-northeast-2"\n  access_key = "{k}"\n  secret_key = "{s}"\n}}',
        [k, s],
        k,
    )
    k, s = akia(), aws_secret()
    add(
        "AWSKEY",
        "boto3_kwargs",
        f"s3 = boto3.client('s3', aws_access_key_id='{k}', aws_secret_access_key='{s}')",
        [k, s],
        k,
    )
    k = akia()
    cred = f"{k}%2F20250305%2Fap-northeast-2%2Fs3%2Faws4_request"
    add(
        "AWSKEY",
        "presigned_url",
        f"https://nuri-bid-files.s3.ap-northeast-2.amazonaws.com/a.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={cred}&X-Amz-Date=20250305T010203Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={rs(64, HEX)}",
        [k],
        k,
    )
    k = akia()
    add(
        "AWSKEY",
        "sigv4_header",
        f"Authorization: AWS4-HMAC-SHA256 Credential={k}/20250305/ap-northeast-2/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature={rs(64, HEX)}",
        [k],
        k,
    )
    k = akia("ASIA")
    add(
        "AWSKEY",
        "cloudtrail",
        '{"userIdentity":{"type":"AssumedRole","accessKeyId":"' + k + '"},"eventName":"GetObject"}',
        [k],
        k,
    )
    k = akia()
    add(
        "AWSKEY",
        "gha_literal",
        f"jobs:\n  deploy:\n    env:\n      AWS_ACCESS_KEY_ID: {k}\n      AWS_REGION: ap-northeast-2",
        [k],
        k,
    )
    k = akia()
    add("AWSKEY", "slack_particle", f"키 이거 쓰세요 {k}로 되어있는 거요 (읽기 전용)", [k], k)
    k = akia()
    add(
        "AWSKEY",
        "s3_v2_presign",
        f"https://s3.amazonaws.com/nuri-x/r.csv?AWSAccessKeyId={k}&Expires=1741150000&Signature=abc%2Bdef%3D",
        [k],
        k,
    )
    k = akia()
    add(
        "AWSKEY",
        "k8s_secret_b64",
        f"apiVersion: v1\nkind: Secret\ndata:\n  AWS_ACCESS_KEY_ID: {b64(k)}\n  REGION: {b64('ap-northeast-2')}",
        [b64(k)],
        k,
    )
    k = akia()
    add(
        "AWSKEY",
        "mail_quoted_wrap",
        f"> 접속 정보 공유드립니다.\n> aws_access_key_id = {k[:10]}\n> {k[10:]}\n> 감사합니다",
        [k],
        k,
    )
    s = aws_secret()
    add(
        "AWSSECRET",
        "create_access_key_json",
        '{\n    "AccessKey": {\n        "UserName": "deploy",\n        "AccessKeyId": "'
        + akia()
        + '",\n        "Status": "Active",\n        "SecretAccessKey": "'
        + s
        + '"\n    }\n}',
        [s],
        s,
    )
    k, s = akia(), aws_secret()
    add("AWSSECRET", "console_csv", f"Access key ID,Secret access key\n{k},{s}", [s, k], s)
    s = aws_secret()
    add(
        "AWSSECRET",
        "spring_yaml",
        f"cloud:\n  aws:\n    credentials:\n      access-key: {akia()}\n      secret-key: {s}",
        [s],
        s,
    )
    s = aws_secret()
    add("AWSSECRET", "shell_export", f"$ export AWS_SECRET_ACCESS_KEY={s}\n$ aws s3 ls", [s], s)
    s = aws_secret()
    add("AWSSECRET", "korean_chat", f"시크릿은 {s} 임 ㅋㅋ 유출 조심", [s], s)
    s = aws_secret()
    add(
        "AWSSECRET",
        "docker_run",
        f"docker run --rm -e AWS_ACCESS_KEY_ID={akia()} -e AWS_SECRET_ACCESS_KEY={s} amazon/aws-cli s3 ls",
        [s],
        s,
    )
    s = aws_secret()
    add(
        "AWSSECRET",
        "env_json_escaped",
        '{"Environment":{"Variables":{"SECRET":"' + s.replace("/", "\\/") + '"}}}',
        [s.replace("/", "\\/"), s],
        s,
    )
    s = aws_secret()
    add(
        "AWSSECRET",
        "url_encoded",
        f"secret={urllib.parse.quote(s, safe='')}&region=ap-northeast-2",
        [urllib.parse.quote(s, safe=""), s],
        s,
    )
    t = session_token()
    add(
        "AWSTOKEN",
        "assume_role_json",
        '{"Credentials":{"AccessKeyId":"'
        + akia("ASIA")
        + '","SecretAccessKey":"'
        + aws_secret()
        + '","SessionToken":"'
        + t
        + '","Expiration":"2025-03-05T02:00:00Z"}}',
        [t],
        t,
    )
    t = session_token()
    add("AWSTOKEN", "export", f"export AWS_SESSION_TOKEN={t}", [t], t)
    t = session_token()
    add("AWSTOKEN", "ini", f"[tmp]\naws_session_token = {t}", [t], t)

    a = account()
    dashed = f"{a[:4]}-{a[4:8]}-{a[8:]}"
    add("AWSACCOUNT", "console_dashed", f"운영 계정 ID: {dashed} (콘솔 우측 상단)", [dashed], a)
    a = account()
    b = f"cdk-hnb659fds-assets-{a}-ap-northeast-2"
    add("AWSACCOUNT", "cdk_bucket", f"Uploading asset to s3://{b}/3f9a.zip", [a], a)
    a = account()
    add("AWSACCOUNT", "ecr", f"docker push {a}.dkr.ecr.ap-northeast-2.amazonaws.com/bidradar:1.4.2", [a], a)
    a = account()
    add("AWSACCOUNT", "sqs_url", f"QUEUE_URL=https://sqs.ap-northeast-2.amazonaws.com/{a}/bid-events.fifo", [a], a)
    a = account()
    add(
        "AWSACCOUNT",
        "caller_identity",
        '{\n    "UserId": "AIDA'
        + rs(17, B32)
        + '",\n    "Account": "'
        + a
        + '",\n    "Arn": "arn:aws:iam::'
        + a
        + ':user/deploy"\n}',
        [a],
        a,
    )
    a = account()
    add(
        "AWSACCOUNT",
        "policy_principal",
        '{"Effect":"Allow","Principal":{"AWS":"' + a + '"},"Action":"s3:GetObject"}',
        [a],
        a,
    )
    a = account()
    add("AWSACCOUNT", "tfvars", f'aws_account_id = "{a}"\nenv            = "prod"', [a], a)
    a = account()
    add("AWSACCOUNT", "sentence_particle", f"운영 계정 {a}에서 스테이징 버킷 읽기 권한 주세요", [a], a)
    a = account()
    add("AWSACCOUNT", "eb_bucket", f"elasticbeanstalk-ap-northeast-2-{a}", [a], a)
    a = account()
    add(
        "AWSACCOUNT",
        "cloudtrail_recipient",
        '{"eventSource":"s3.amazonaws.com","recipientAccountId":"' + a + '"}',
        [a],
        a,
    )
    a = account()
    add("AWSACCOUNT", "cdk_bootstrap_uri", f"npx cdk bootstrap aws://{a}/ap-northeast-2", [a], a)
    a = account()
    add(
        "AWSACCOUNT",
        "markdown_table",
        f"| 환경 | 계정 | 리전 |\n|---|---|---|\n| prod | {a} | ap-northeast-2 |",
        [a],
        a,
    )

    a = account()
    arn = f"arn:aws:iam::{a}:role/gh-deploy"
    add(
        "ARN",
        "gha_role",
        f"- uses: aws-actions/configure-aws-credentials@v4\n  with:\n    role-to-assume: {arn}\n    aws-region: ap-northeast-2",
        [arn, a],
        a,
    )
    a = account()
    arn = f"arn:aws:lambda:ap-northeast-2:{a}:function:bid-crawler:live"
    add("ARN", "lambda_alias", f"FunctionArn: {arn}", [arn, a], a)
    a = account()
    arn = f"arn:aws:secretsmanager:ap-northeast-2:{a}:secret:prod/db-{rs(6, string.ascii_letters)}"
    add("ARN", "secretsmanager", f'SECRET_ARN="{arn}"', [arn, a], a)
    a = account()
    enc = urllib.parse.quote(f"arn:aws:iam::{a}:role/Deploy", safe="")
    add(
        "ARN",
        "console_url",
        f"https://us-east-1.console.aws.amazon.com/iam/home#/roles/details/Deploy?arn={enc}",
        [enc, a],
        a,
    )
    a = account()
    arn = f"arn:aws-cn:s3:::nuri-cn-{a}"
    add("ARN", "china_partition", f"Resource: {arn}", [a], a)
    a = account()
    add(
        "ARN",
        "access_denied",
        f"An error occurred (AccessDenied): User: arn:aws:sts::{a}:assumed-role/Dev/minjun is not authorized to perform: s3:PutObject",
        [a],
        a,
    )
    a = account()
    arn = f"arn:aws:kms:ap-northeast-2:{a}:key/{rs(8, HEX)}-{rs(4, HEX)}-{rs(4, HEX)}-{rs(4, HEX)}-{rs(12, HEX)}"
    add("ARN", "terraform_kms", f'  kms_key_id = "{arn}"', [a], a)
    a = account()
    add(
        "ARN",
        "log_wrapped",
        f"2025-03-05T01:02:03Z ERROR publish failed topic=arn:aws:sns:ap-northeast-2:{a[:6]}\n{a[6:]}:bid-alerts",
        [a],
        a,
    )

    b = f"nuri-prod-bids-{rs(5, string.ascii_lowercase + string.digits)}"
    add("S3BUCKET", "virtual_host", f"https://{b}.s3.ap-northeast-2.amazonaws.com/2025/03/notice.pdf", [b], b)
    b = f"nuri-archive-{rs(5, string.ascii_lowercase)}"
    add("S3BUCKET", "path_style", f"https://s3.ap-northeast-2.amazonaws.com/{b}/dump.sql.gz", [b], b)
    b = f"nuri-backup-{rs(5, string.ascii_lowercase)}"
    add("S3BUCKET", "cli", f"aws s3 sync ./out s3://{b}/daily/ --delete", [b], b)
    b = f"nuri-tfstate-{rs(5, string.ascii_lowercase)}"
    add(
        "S3BUCKET",
        "terraform_backend",
        f'terraform {{\n  backend "s3" {{\n    bucket = "{b}"\n    key    = "prod/terraform.tfstate"\n  }}\n}}',
        [b],
        b,
    )
    b = f"nuri-uploads-{rs(5, string.ascii_lowercase)}"
    add("S3BUCKET", "boto3", f"s3.put_object(Bucket='{b}', Key=key, Body=data)", [b], b)
    b = f"nuri-static-{rs(5, string.ascii_lowercase)}"
    add("S3BUCKET", "website", f"http://{b}.s3-website.ap-northeast-2.amazonaws.com", [b], b)
    b = f"nuri-logs-{rs(5, string.ascii_lowercase)}"
    add("S3BUCKET", "policy_arn", '{"Resource":"arn:aws:s3:::' + b + '/*"}', [b], b)
    b = f"nuri-share-{rs(5, string.ascii_lowercase)}"
    add("S3BUCKET", "sentence", f"{b} 버킷에 올려뒀어요 확인 부탁", [b], b)

    def rds(name: str) -> str:
        return f"{name}.c{rs(11, string.ascii_lowercase + string.digits)}.ap-northeast-2.rds.amazonaws.com"

    h = rds("nuri-prod")
    add("AWSHOST", "jdbc", f"spring.datasource.url=jdbc:mysql://{h}:3306/bids?useSSL=true", [h], h)
    h = rds("nuri-prod-ro").upper()
    add("AWSHOST", "uppercase", f"HOST: {h}", [h], h)
    h = rds("nuri-stg")
    add("AWSHOST", "particle", f"{h}으로 붙으면 됩니다", [h], h)
    h = f"nuri-redis.{rs(6, string.ascii_lowercase + string.digits)}.ng.0001.apn2.cache.amazonaws.com"
    add("AWSHOST", "elasticache", f"REDIS_URL=redis://{h}:6379/0", [h], h)
    h = f"{rs(32, '0123456789ABCDEF')}.gr7.ap-northeast-2.eks.amazonaws.com"
    add("AWSHOST", "eks_kubeconfig", f"clusters:\n- cluster:\n    server: https://{h}\n  name: nuri-prod", [h], h)
    h = f"{rs(10, string.ascii_lowercase + string.digits)}.execute-api.ap-northeast-2.amazonaws.com"
    add("AWSHOST", "apigw", f"curl https://{h}/prod/bids?limit=10", [h], h)
    h = f"{rs(32, string.ascii_lowercase + string.digits)}.lambda-url.ap-northeast-2.on.aws"
    add("AWSHOST", "lambda_url", f"WEBHOOK=https://{h}/", [h], h)
    h = rds("nuri-analytics")
    add("AWSHOST", "compose", f"services:\n  api:\n    environment:\n      - DB_HOST={h}\n      - DB_PORT=5432", [h], h)
    i = f"i-0{rs(16, HEX)}"
    add("AWSID", "sentence", f"{i} 인스턴스 재부팅 부탁드려요", [i], i)
    sg = f"sg-0{rs(16, HEX)}"
    add("AWSID", "particle", f"{sg}에 22번 포트 열어주세요", [sg], sg)
    v = f"vpc-0{rs(16, HEX)}"
    add(
        "AWSID",
        "tfstate",
        '{"type":"aws_vpc","instances":[{"attributes":{"id":"' + v + '","cidr_block":"10.20.0.0/16"}}]}',
        [v],
        v,
    )
    sn = f"subnet-0{rs(16, HEX)}"
    add("AWSID", "helm_annotation", f'service.beta.kubernetes.io/aws-load-balancer-subnets: "{sn}"', [sn], sn)


def ip_cases() -> None:
    ip = pubip()
    add(
        "IP",
        "nginx",
        f'{ip} - - [05/Mar/2025:10:00:01 +0900] "POST /api/bids HTTP/1.1" 200 512 "-" "Mozilla/5.0"',
        [ip],
        ip,
    )
    ip = pubip()
    rev = ".".join(reversed(ip.split(".")))
    add("IP", "reverse_dns", f";; ANSWER SECTION:\n{rev}.in-addr.arpa. 3600 IN PTR gw.nuri.co.kr.", [rev], "")
    ip = pubip()
    nip = ip.replace(".", "-")
    add("IP", "nip_io", f"테스트 URL: https://{nip}.nip.io:8443/", [nip], "")
    ip = pubip()
    add("IP", "port_particle", f"{ip}:8443으로 접속해 보세요", [ip], ip)
    ip = pubip()
    add("IP", "json_log", '{"level":"warn","remote_addr":"' + ip + '","path":"/login","status":401}', [ip], ip)
    ip = pubip()
    add("IP", "xff", f"X-Forwarded-For: {ip}, 10.0.3.21", [ip], ip)
    ip = pubip()
    add("IP", "fullwidth", f"서버 IP：{fullwidth(ip)}", [fullwidth(ip), ip], ip)
    ip = pubip()
    add("IP", "ssh", f"$ ssh -i ~/.ssh/nuri.pem ec2-user@{ip}", [ip], ip)
    ip = pubip()
    add("IP", "iptables_32", f"iptables -A INPUT -s {ip}/32 -p tcp --dport 22 -j ACCEPT", [ip], ip)
    ip = pubip()
    add(
        "IP",
        "sshd_log",
        f"Mar  5 10:00:01 bastion sshd[2231]: Failed password for root from {ip} port 52344 ssh2",
        [ip],
        ip,
    )
    ip = f"10.{R.randint(1, 254)}.{R.randint(1, 254)}.{R.randint(1, 254)}"
    add("IP", "k8s_podip", f"status:\n  podIP: {ip}\n  phase: Running", [ip], ip)
    ip = pubip()
    z = ".".join(f"{int(x):03d}" for x in ip.split("."))
    add("IP", "zero_padded", f"허용 IP: {z}", [z], "")


def token_cases() -> None:
    t = "ghp_" + rs(36)
    add("TOKEN_GITHUB", "remote_url", f"git remote set-url origin https://{t}@github.com/nuri/bidradar.git", [t], t)
    t = "github_pat_" + rs(22) + "_" + rs(59)
    add("TOKEN_GITHUB", "herestring", f"gh auth login --with-token <<< {t}", [t], t)
    t = "glpat-" + rs(20)
    add("TOKEN_GITLAB", "ci_yaml", f'variables:\n  GITLAB_TOKEN: "{t}"', [t], t)
    t = "sk-proj-" + rs(74) + "T3BlbkFJ" + rs(74)
    add("TOKEN_OPENAI", "python", f'client = OpenAI(api_key="{t}")', [t], t)
    t = "sk-ant-api03-" + rs(86, ALNUM + "-_") + "AA"
    add("TOKEN_ANTHROPIC", "slack", f"팀 공용 키 `{t}` 쓰시면 돼요", [t], t)
    t = "AIza" + rs(35, ALNUM + "-_")
    add(
        "TOKEN_GOOGLE",
        "firebase_js",
        f'const firebaseConfig = {{\n  apiKey: "{t}",\n  authDomain: "nuri-app.firebaseapp.com",\n}};',
        [t],
        t,
    )
    t = f"xoxb-{dg(12)}-{dg(13)}-{rs(24)}"
    add("TOKEN_SLACK", "curl", f'curl -H "Authorization: Bearer {t}" https://slack.com/api/chat.postMessage', [t], t)
    t = f"https://hooks.slack.com/services/T{rs(10, B32)}/B{rs(10, B32)}/{rs(24)}"
    add("TOKEN_SLACK", "webhook_py", f'SLACK_HOOK = "{t}"', [t], t.rsplit("/", 1)[1])
    t = f"https://discord.com/api/webhooks/{dg(18)}/{rs(68, ALNUM + '-_')}"
    add("TOKEN_DISCORD", "webhook", f"알림 웹훅: {t}", [t], t.rsplit("/", 1)[1])
    t = f"{dg(10)}:AA{rs(33, ALNUM + '-_')}"
    add("TOKEN_TELEGRAM", "bot_url", f"https://api.telegram.org/bot{t}/sendMessage?chat_id=-100123", [t], t)
    t = rs(32, HEX)
    add(
        "TOKEN_KAKAO",
        "curl_header",
        f'curl -H "Authorization: KakaoAK {t}" "https://dapi.kakao.com/v2/local/search/address.json?query=세종"',
        [t],
        t,
    )
    t = "live_sk_" + rs(24)
    add("TOKEN_TOSS", "java", f'private static final String TOSS_SECRET = "{t}";', [t], t)
    t = "GOCSPX-" + rs(28, ALNUM + "-_")
    add(
        "TOKEN_GOOGLE",
        "client_secret_json",
        '{"web":{"client_id":"'
        + dg(12)
        + "-"
        + rs(32, string.ascii_lowercase + string.digits)
        + '.apps.googleusercontent.com","client_secret":"'
        + t
        + '"}}',
        [t],
        t,
    )
    t = "ya29." + rs(150, ALNUM + "-_")
    add(
        "TOKEN_GOOGLE",
        "oauth_fragment",
        f"https://nuri.app/callback#access_token={t}&token_type=Bearer&expires_in=3599",
        [t],
        t,
    )
    t = rs(32, HEX)
    dsn = f"https://{t}@o{dg(6)}.ingest.sentry.io/{dg(7)}"
    add("TOKEN_SENTRY", "dsn", f"SENTRY_DSN={dsn}", [t], t)
    t = "SG." + rs(22, ALNUM + "-_") + "." + rs(43, ALNUM + "-_")
    add("TOKEN_SENDGRID", "env", f"SENDGRID_API_KEY={t}", [t], t)
    t = rs(32, HEX)
    add("TOKEN_TWILIO", "env", f"TWILIO_ACCOUNT_SID=AC{rs(32, HEX)}\nTWILIO_AUTH_TOKEN={t}", [t], t)
    t = "npm_" + rs(36)
    add("TOKEN_NPM", "npmrc", f"//registry.npmjs.org/:_authToken={t}", [t], t)
    t = "hf_" + rs(34)
    add("TOKEN_HF", "cli", f"$ huggingface-cli login --token {t}", [t], t)
    t = "dckr_pat_" + rs(27, ALNUM + "-_")
    add("TOKEN_DOCKER", "login", f"echo {t} | docker login -u nuri --password-stdin", [t], t)
    t = "hvs." + rs(90, ALNUM + "-_")
    add("TOKEN_VAULT", "env", f"export VAULT_ADDR=https://vault.nuri.local\nexport VAULT_TOKEN={t}", [t], t)
    t = "pypi-AgEIcHlwaS5vcmc" + rs(140, ALNUM + "-_")
    add("TOKEN_PYPI", "pypirc", f"[pypi]\nusername = __token__\npassword = {t}", [t], t)
    t = "sk_live_" + rs(99)
    add("TOKEN_STRIPE", "curl_user", f"curl https://api.stripe.com/v1/charges -u {t}:", [t], t)
    k = b64(bytes(R.getrandbits(8) for _ in range(64)))
    add(
        "TOKEN_AZURE",
        "conn_string",
        f"DefaultEndpointsProtocol=https;AccountName=nuristorage;AccountKey={k};EndpointSuffix=core.windows.net",
        [k],
        k,
    )
    sig = urllib.parse.quote(b64(bytes(R.getrandbits(8) for _ in range(32))), safe="")
    add(
        "TOKEN_AZURE",
        "sas_url",
        f"https://nuristorage.blob.core.windows.net/bids/a.pdf?sv=2022-11-02&ss=b&srt=o&sp=r&se=2025-03-06T00:00:00Z&sig={sig}",
        [sig],
        "",
    )
    t = "dop_v1_" + rs(64, HEX)
    add("TOKEN_DO", "doctl", f"doctl auth init -t {t}", [t], t)
    t = rs(10, string.ascii_letters + string.digits)
    add("TOKEN_NAVER", "headers", f"X-Naver-Client-Id: {rs(20)}\nX-Naver-Client-Secret: {t}", [t], "")
    raw = b64(bytes(R.getrandbits(8) for _ in range(64)))
    g2b = urllib.parse.quote(raw, safe="")
    add(
        "TOKEN_G2B",
        "python_params",
        f"params = {{'serviceKey': unquote('{g2b}'), 'numOfRows': 100, 'inqryDiv': 1}}",
        [g2b],
        raw,
    )
    hdr = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":"))).rstrip("=")
    pl = b64(json.dumps({"sub": "minjun", "role": "admin", "exp": 1741150000}, separators=(",", ":"))).rstrip("=")
    jwt = f"{hdr}.{pl}.{rs(43, ALNUM + '-_')}"
    add("TOKEN_JWT", "cookie", f"Cookie: _ga=GA1.2.1.1; access_token={jwt}; lang=ko", [jwt], jwt)
    t = "lin_api_" + rs(40)
    add("TOKEN_LINEAR", "env", f"LINEAR_API_KEY={t}", [t], t)
    t = "ntn_" + dg(11) + rs(35)
    add("TOKEN_NOTION", "python", f'notion = Client(auth="{t}")', [t], t)
    t = "figd_" + rs(40, ALNUM + "-_")
    add("TOKEN_FIGMA", "header", f"X-Figma-Token: {t}", [t], t)
    t = "ATATT3xFfGF0" + rs(180, ALNUM + "-_") + "=" + rs(8, "0123456789ABCDEF")
    add(
        "TOKEN_ATLASSIAN", "curl", f"curl -u minjun@nuri.co.kr:{t} https://nuri.atlassian.net/rest/api/3/myself", [t], t
    )


def privkey_cases() -> None:
    keys = _rsa_keys()
    k = keys[1]
    esc = k.replace("\n", "\\n")
    add(
        "PRIVATEKEY",
        "gcp_sa_json",
        '{\n  "type": "service_account",\n  "project_id": "nuri-bid",\n  "private_key_id": "'
        + rs(40, HEX)
        + '",\n  "private_key": "'
        + esc
        + '",\n  "client_email": "bid@nuri-bid.iam.gserviceaccount.com"\n}',
        [body_line(k, 5), body_line(k, 10)],
        "",
    )
    k = keys[0]
    add(
        "PRIVATEKEY",
        "k8s_tls_b64",
        f"apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\n  tls.key: {b64(k)}",
        [b64(k)[:120]],
        "",
    )
    k = openssh_key()
    add(
        "PRIVATEKEY",
        "slack_codeblock",
        f"이 키로 배스천 들어가세요\n```\n{k}```",
        [body_line(k, 1), body_line(k, 2)],
        "",
    )
    k = ec_pem()
    ind = "\n".join("    " + ln for ln in k.strip().splitlines())
    add(
        "PRIVATEKEY",
        "helm_block",
        f"signing:\n  privateKey: |\n{ind}\n  alg: ES256",
        [body_line(k, 0), body_line(k, 1)],
        "",
    )
    k = keys[2]
    one = k.strip().replace("\n", "\\n")
    add(
        "PRIVATEKEY",
        "env_oneline",
        f'JWT_PRIVATE_KEY="{one}"\nJWT_ISSUER=nuri',
        [body_line(k, 4), body_line(k, 12)],
        "",
    )
    k = keys[3]
    q = "\n".join("> " + ln for ln in k.strip().splitlines())
    add(
        "PRIVATEKEY",
        "mail_quoted",
        f"키 파일 다시 보냅니다\n\n{q}\n\n> 잘 받았습니다",
        [body_line(k, 6), body_line(k, 14)],
        "",
    )
    k = ec_pem()
    crlf = k.replace("\n", "\r\n")
    add("PRIVATEKEY", "crlf", f"C:\\keys> type sign.pem\r\n{crlf}", [body_line(k, 1)], "")


def password_cases() -> None:
    p = password()
    add("PASSWORD", "wifi_qr", f"사무실 와이파이 QR 내용: WIFI:T:WPA;S:NURI-5G;P:{p};;", [p], "")
    p = password()
    add("PASSWORD", "nmcli", f"nmcli dev wifi connect NURI-5G password '{p}'", [p], "")
    p = password()
    add(
        "PASSWORD",
        "adonet",
        f'"ConnectionStrings": {{ "Default": "Server=10.0.3.7,1433;Database=Bids;User Id=sa;Password={p};TrustServerCertificate=True" }}',
        [p],
        "",
    )
    p = password()
    add("PASSWORD", "odbc_pwd", f"DRIVER={{ODBC Driver 18 for SQL Server}};SERVER=db01;UID=bid;PWD={p}", [p], "")
    p = password().replace("@", "!").replace("#", "!")
    add(
        "PASSWORD",
        "mongodb_srv",
        f'MONGO_URI="mongodb+srv://bidapp:{p}@cluster0.ab1cd.mongodb.net/bids?retryWrites=true"',
        [p],
        "",
    )
    p = password().replace("@", "!").replace("#", "!")
    add("PASSWORD", "redis_url", f"CACHE_URL=redis://:{p}@10.0.4.12:6379/0", [p], "")
    p = password().replace("&", "!")
    add("PASSWORD", "jdbc_query", f"jdbc:postgresql://db01:5432/bids?user=bidapp&password={p}&ssl=true", [p], "")
    p = password()
    add(
        "PASSWORD",
        "compose_list",
        f"  db:\n    image: mysql:8\n    environment:\n      - MYSQL_ROOT_PASSWORD={p}\n      - MYSQL_DATABASE=bids",
        [p],
        "",
    )
    p = password()
    add(
        "PASSWORD",
        "helm_set",
        f"helm upgrade --install pg bitnami/postgresql --set auth.postgresPassword='{p}'",
        [p],
        "",
    )
    p = password()
    add("PASSWORD", "chat_arrow", f"DB 비번 바꿨어요 → `{p}` 공유 폴더 문서도 고쳐놨습니다", [p], "")
    p = rs(8, string.ascii_letters + string.digits + "#!")
    add(
        "PASSWORD",
        "temp_pw_mail",
        f"{who()}님, 계정이 생성되었습니다.\n임시 비밀번호: {p} (최초 로그인 후 변경)",
        [p],
        "",
    )
    p = "nuri" + dg(4) + "!"
    add("PASSWORD", "zip_pw", f"첨부한 파일은 압축되어 있습니다. 압축 암호는 {p} 입니다.", [p], "")
    p = password()
    add("PASSWORD", "properties", f"spring.datasource.username=bid\nspring.datasource.password={p}", [p], "")
    p = password()
    add("PASSWORD", "js_const", f"const DB_PASS = '{p}'; // TODO env로 빼기", [p], "")
    p = password()
    add("PASSWORD", "java_mail_auth", f'return new PasswordAuthentication("noreply@nuri.co.kr", "{p}");', [p], "")
    p = password()
    add("PASSWORD", "smtplib", f"server.login('noreply@nuri.co.kr', '{p}')", [p], "")
    p = password()
    add("PASSWORD", "httpbasicauth", f"r = requests.get(url, auth=HTTPBasicAuth('admin', '{p}'))", [p], "")
    p = password()
    add("PASSWORD", "plink", f"plink -ssh admin@10.0.3.9 -pw {p} -batch uptime", [p], "")
    p = password()
    add("PASSWORD", "wpa_supplicant", f'network={{\n    ssid="NURI-5G"\n    psk="{p}"\n}}', [p], "")
    p = password()
    add("PASSWORD", "my_cnf", f'[client]\nuser=root\npassword="{p}"', [p], "")
    p = password()
    add("PASSWORD", "ansible", f"all:\n  vars:\n    ansible_user: deploy\n    ansible_become_pass: {p}", [p], "")
    p = password()
    add(
        "PASSWORD",
        "jenkins_xml",
        f"<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n  <username>deploy</username>\n  <password>{p}</password>\n</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>",
        [p],
        "",
    )
    p = password().replace("'", "")
    add("PASSWORD", "mysqldump", f"mysqldump -h db01 -uroot -p'{p}' bids > bids.sql", [p], "")
    p = password()
    add(
        "PASSWORD", "chrome_csv", f"name,url,username,password\nnuri-erp,https://erp.nuri.local/login,mkim,{p}", [p], ""
    )
    p = password()
    add("PASSWORD", "nfd_label", nfd("비밀번호") + f": {p}", [p], "")
    p = password()
    add("PASSWORD", "smart_quotes", f"관리자 계정 password: “{p}”", [p], "")
    p = password()
    add(
        "PASSWORD",
        "keepass_csv",
        f'"Group","Title","Username","Password","URL"\n"Root","AWS root","root@nuri.co.kr","{p}","https://console.aws.amazon.com"',
        [p],
        "",
    )
    p = password()
    add("PASSWORD", "kakao_casual", f"[{who()}] [오전 11:02] 그룹웨어 비번 {p} 임 ㅋㅋ 바꾸지 마셈", [p], "")
    p = password()
    add("PASSWORD", "fullwidth_label", f"ＰＡＳＳＷＯＲＤ＝{fullwidth(p)}", [fullwidth(p), p], "")
    p = password()
    add("PASSWORD", "k8s_stringdata", f'kind: Secret\nstringData:\n  DATABASE_PASSWORD: "{p}"', [p], "")


def secret_cases() -> None:
    add("SECRETWORD", "particle", "이번 건은 누리온테크가 주관사로 들어갑니다", ["누리온테크"])
    add("SECRETWORD", "nfd", nfd("누리온테크") + " 제안서 초안 검토 요청", [nfd("누리온테크"), "누리온테크"])
    add("SECRETWORD", "spaced", "제출처: 누 리 온 테 크 (인)", ["누 리 온 테 크"])
    add("SECRETWORD", "json_uescape", '{"bidder":"' + uesc("누리온테크") + '"}', [uesc("누리온테크"), "누리온테크"])
    enc = urllib.parse.quote("블루웨일 프로젝트")
    add("SECRETWORD", "urlencoded", f"https://wiki.local/pages/{enc}/overview", [enc])
    add("SECRETWORD", "base64", f"X-Project: {b64('블루웨일 프로젝트')}", [b64("블루웨일 프로젝트")])
    add("SECRETWORD", "wrapped", "이번 분기 핵심 과제는 블루웨일\n프로젝트 수주입니다", ["블루웨일\n프로젝트"])
    add("SECRETWORD", "no_space", "블루웨일프로젝트 견적서 v3 첨부합니다", ["블루웨일프로젝트"])
    add("SECRETWORD", "windows_path", "D:\\영업\\블루웨일 프로젝트\\견적_v3.xlsx 열어보세요", ["블루웨일 프로젝트"])
    add("SECRETWORD", "lowercase_code", "orca-7 단가표는 대외비입니다", ["orca-7"])
    add("SECRETWORD", "unicode_hyphen", "ORCA\u20107 납품 일정 공유", ["ORCA\u20107"])
    add("SECRETWORD", "fullwidth_code", f"{fullwidth('ORCA-7')} 사양서", [fullwidth("ORCA-7")])
    add("SECRETWORD", "hashtag", "#블루웨일_프로젝트 채널에서 논의해요", ["블루웨일_프로젝트"])


# ---------------------------------------------------------------- wave 2: the ways files are stored and copied


def _mime_straddle(value: str, label: str) -> tuple[str, str]:
    """A MIME base64 body (76-character lines) in which `value` crosses a line: each line decodes to a part of it."""
    head = f"{label} ".encode()
    pad = 57 - len(head) - len(value) // 2
    body = head + b"." * max(pad, 0) + value.encode() + " 로 연락 주세요.\n".encode()
    lines = base64.encodebytes(body).decode().splitlines()
    return "\n".join(lines), lines[0] + "\n" + lines[1]


def wave2_cases() -> None:
    # values in a raw mail: MIME base64 lines, quoted-printable soft line breaks
    v = mobile()
    body, pair = _mime_straddle(v, "Phone:")
    add(
        "PHONE",
        "mime_b64_straddle",
        "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n" + body,
        [pair],
        v,
    )
    v = rrn()
    body, pair = _mime_straddle(v, "RRN:")
    add("RRN", "mime_b64_straddle", "Content-Transfer-Encoding: base64\n\n" + body, [pair], v)
    v = mobile()
    add(
        "PHONE",
        "qp_softbreak",
        f"Content-Transfer-Encoding: quoted-printable\n\n=EC=97=B0=EB=9D=BD=EC=B2=98 {v[:7]}=\n{v[7:]} =EC=9E=85=EB=8B=88=EB=8B=A4",
        [v],
        v,
    )
    v = rrn()
    add("RRN", "qp_softbreak", f"Content-Transfer-Encoding: quoted-printable\n\njumin: {v[:9]}=\n{v[9:]}", [v], v)
    p = password()
    qp = "".join(f"={b:02X}" for b in "비밀번호".encode())
    add("PASSWORD", "qp_label", f"Content-Transfer-Encoding: quoted-printable\n\n{qp}: {p}", [p], "")
    # PowerShell -EncodedCommand: base64 of UTF-16LE
    p = password()
    cmd = f"$pw = ConvertTo-SecureString '{p}' -AsPlainText -Force; New-PSDrive -Name S -Root \\\\fs01\\share -Credential (New-Object PSCredential('nuri\\admin', $pw))"
    enc = base64.b64encode(cmd.encode("utf-16-le")).decode()
    add("PASSWORD", "powershell_encoded", f"powershell.exe -NoProfile -EncodedCommand {enc}", [enc], "")
    # Word document.xml: a value split across runs
    v = mobile()
    add(
        "PHONE",
        "docx_runs",
        f"<w:p><w:r><w:t>담당자 연락처 {v[:9]}</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{v[9:]}</w:t></w:r></w:p>",
        [v],
        v,
    )
    v = rrn()
    add("RRN", "docx_runs", f"<w:r><w:t>주민등록번호: {v[:6]}</w:t></w:r><w:r><w:t>-{v[7:]}</w:t></w:r>", [v], v)
    add(
        "SECRETWORD",
        "docx_runs",
        '<w:r><w:t>블루웨일</w:t></w:r><w:r><w:t xml:space="preserve"> 프로젝트 제안서</w:t></w:r>',
        [],
    )
    _CASES[-1].forms = ('<w:t>블루웨일</w:t></w:r><w:r><w:t xml:space="preserve"> 프로젝트',)
    add("SECRETWORD", "html_tags", "<p><b>블루웨일</b> 프로젝트 일정</p>", ["<b>블루웨일</b> 프로젝트"])
    add("SECRETWORD", "nbsp", "블루웨일\u00a0프로젝트 킥오프", ["블루웨일\u00a0프로젝트"])
    add("SECRETWORD", "double_space", "블루웨일  프로젝트 예산안", ["블루웨일  프로젝트"])
    add("SECRETWORD", "zero_width", "누리\u200b온테크 대표이사", ["누리\u200b온테크"])
    add("SECRETWORD", "chosung", "ㄴㄹㅇ테크(누리온테크) 건은 구두로만", ["누리온테크"])
    e = f"{R.choice(ROMAN)}@nurion.co.kr"
    i = e.index("@")
    add(
        "EMAIL",
        "docx_runs",
        f"<w:r><w:t>{e[:i]}</w:t></w:r><w:r><w:t>{e[i:]}</w:t></w:r>",
        [e, f"{e[:i]}</w:t></w:r><w:r><w:t>{e[i:]}"],
        e,
    )
    # terminal output with ANSI colours glued to the value
    v = mobile()
    add("PHONE", "ansi", f"\x1b[1;32m[OK]\x1b[0m sms sent to \x1b[33m{v}\x1b[0m", [v], v)
    p = password()
    add("PASSWORD", "ansi_label", f"\x1b[36mpassword:\x1b[0m {p}", [p], "")
    ip = pubip()
    add("IP", "ansi", f"Connecting to \x1b[1m{ip}\x1b[22m:22 ...", [ip], ip)
    # unified diffs: a `+`/`-` glued to the line
    p, q = password(), password()
    add(
        "PASSWORD",
        "git_diff_env",
        f"diff --git a/.env b/.env\n@@ -3,3 +3,3 @@\n APP_ENV=prod\n-DB_PASSWORD={p}\n+DB_PASSWORD={q}",
        [p, q],
        "",
    )
    p = password()
    add(
        "PASSWORD",
        "git_diff_yaml",
        f"@@ -10,4 +10,4 @@ spring:\n   datasource:\n     username: bid\n-    password: {p}\n+    password: ${{DB_PASSWORD}}",
        [p],
        "",
    )
    p = password()
    add(
        "PASSWORD",
        "git_diff_korean",
        f"--- a/README.md\n+++ b/README.md\n@@ -1,2 +1,3 @@\n # 운영 서버\n+관리자 비번: {p}",
        [p],
        "",
    )
    s = aws_secret()
    add("AWSSECRET", "git_diff", f"@@ -1,2 +1,3 @@\n [default]\n+aws_secret_access_key = {s}", [s], s)
    # labels written as escapes (native2ascii .properties, JSON)
    p = password()
    add("PASSWORD", "properties_uescape", f"# 운영 DB\ndb.user=bid\n{uesc('비밀번호')}={p}", [p], "")
    p = password()
    add("PASSWORD", "json_key_uescape", '{"' + uesc("비밀번호") + '":"' + p + '"}', [p], "")
    # an id and a password written as a pair
    p = password()
    add("PASSWORD", "id_pw_slash", f"NAS 접속 ID/PW: admin / {p}", [p], "")
    p = password()
    add("PASSWORD", "id_pw_glued", f"아이디/비번 nuriadmin/{p} 입니다", [p], "")
    p = password()
    add(
        "PASSWORD",
        "md_table_column",
        f"| 서버 | 계정 | 비번 |\n|---|---|---|\n| nas01 | admin | {p} |\n| erp | mkim | (SSO) |",
        [p],
        "",
    )
    p = password()
    add("PASSWORD", "id_then_pw", f"그룹웨어 id: mkim pw: {p}", [p], "")
    # positional passwords in APIs
    for fmt, tmpl in [
        ("httpclient_creds", 'new UsernamePasswordCredentials("admin", "{p}")'),
        ("dotnet_networkcred", 'var cred = new NetworkCredential("svc_bid", "{p}", "NURI");'),
        ("okhttp_basic", 'String credential = Credentials.basic("admin", "{p}");'),
        ("spring_basic_auth", 'restTemplateBuilder.basicAuthentication("admin", "{p}").build();'),
        ("go_setbasicauth", 'req.SetBasicAuth("admin", "{p}")'),
        ("php_userpwd", 'curl_setopt($ch, CURLOPT_USERPWD, "admin:{p}");'),
        ("redis_positional", "r = redis.Redis('10.0.4.12', 6379, 0, '{p}')"),
        ("ruby_netssh", "Net::SSH.start('10.0.3.9', 'deploy', password: '{p}')"),
        ("nodemailer", "auth: {{ user: 'noreply@nuri.co.kr', pass: '{p}' }}"),
        ("ldap3", "conn = Connection(server, 'cn=admin,dc=nuri,dc=co,dc=kr', '{p}', auto_bind=True)"),
        ("urllib_pwmgr", "mgr.add_password(None, 'https://erp.nuri.local', 'admin', '{p}')"),
        ("spring_auth_token", 'new UsernamePasswordAuthenticationToken("admin", "{p}")'),
    ]:
        p = password()
        add("PASSWORD", fmt, tmpl.format(p=p), [p], "")
    # business numbers under English keys, in file names and paths
    for fmt, tmpl in [
        ("json_bizno", '{{"bizNo":"{v}","ceo":"KIM"}}'),
        ("json_taxid", '{{"vendor":{{"name":"NURI","taxId":"{v}"}}}}'),
        ("filename", "첨부: 사업자등록증_{v}.pdf"),
        ("url_path", "GET /api/vendors/{v}/status HTTP/1.1"),
        ("yaml_regno", "vendor:\n  registration_no: {v}\n  type: corp"),
    ]:
        v = nodash(brn())
        add("BRN", fmt, tmpl.format(v=v), [v], v)
    # AWS's default resource names that embed the account id
    for fmt, tmpl in [
        ("sagemaker_bucket", "s3://sagemaker-ap-northeast-2-{a}/training/output/model.tar.gz"),
        ("cloudtrail_bucket", "Bucket: aws-cloudtrail-logs-{a}-3f9a1c2d"),
        ("athena_results", "query results: aws-athena-query-results-{a}-ap-northeast-2"),
        ("glue_assets", "--TempDir s3://aws-glue-assets-{a}-ap-northeast-2/temporary/"),
        ("cdk_ecr_repo", "cdk-hnb659fds-container-assets-{a}-ap-northeast-2:latest"),
        ("orgs_table", "|  {a} |  nuri-prod   |  ACTIVE |"),
        ("spaced", "계정번호 {a4} 으로 초대 보냈어요"),
    ]:
        a = account()
        add("AWSACCOUNT", fmt, tmpl.format(a=a, a4=" ".join([a[:4], a[4:8], a[8:]])), [a], a)
    # values glued to letters (payment logs, file names)
    v = card()
    add("CARD", "emv_tlv", f"TLV: 9F0206000000055000 5A08{v} 5F24032712315F340100", [v], v)
    v = card()
    add("CARD", "pan_glued", f"ISO8583 DE2=PAN{v} DE4=000000055000", [v], v)
    v = card()
    add("CARD", "wrap_mid_group", f"카드번호 {v[:4]} {v[4:6]}\n{v[6:8]} {v[8:12]} {v[12:]} 로 결제", [v], v)
    v = rrn()
    add("RRN", "glued_label", f"file=RRN{nodash(v)}.jpg uploaded", [nodash(v)], v)
    v = mobile()
    add("PHONE", "glued_hp", f"고객메모: HP{nodash(v)} 부재시 문자", [nodash(v)], v)
    v = brn()
    add("BRN", "wrap_mid_group", f"사업자등록번호 {v[:5]}\n{v[5:]}", [v], v)
    a = account()
    add("AWSACCOUNT", "wrap_mid", f"AWS 계정 ID {a[:7]}\n{a[7:]} 에 권한 요청", [a], a)
    v = f"110-{dg(3)}-{dg(6)}"
    add("BANKACCT", "wrap_mid_group", f"환불 계좌 신한 {v[:9]}\n{v[9:]} 예금주 {who()}", [v], v)
    # private keys in other containers
    from cryptography.hazmat.primitives.asymmetric import ec

    k = ec.derive_private_key(R.getrandbits(255) + 1, ec.SECP256R1())
    d = base64.urlsafe_b64encode(k.private_numbers().private_value.to_bytes(32, "big")).decode().rstrip("=")
    nums = k.public_key().public_numbers()
    x = base64.urlsafe_b64encode(nums.x.to_bytes(32, "big")).decode().rstrip("=")
    y = base64.urlsafe_b64encode(nums.y.to_bytes(32, "big")).decode().rstrip("=")
    add(
        "PRIVATEKEY",
        "jwk_ec",
        '{"keys":[{"kty":"EC","crv":"P-256","kid":"nuri-1","x":"' + x + '","y":"' + y + '","d":"' + d + '"}]}',
        [d],
        d,
    )
    wg = b64(bytes(R.getrandbits(8) for _ in range(32)))
    add("PRIVATEKEY", "wireguard", f"[Interface]\nAddress = 10.8.0.2/24\nPrivateKey = {wg}\nDNS = 1.1.1.1", [wg], wg)
    eth = "0x" + rs(64, HEX)
    add("PRIVATEKEY", "eth_env", f"DEPLOYER_PRIVATE_KEY={eth}", [eth], eth)
    # Korean and other providers' keys
    t = "AAAA" + rs(7, ALNUM + "-_") + ":APA91b" + rs(134, ALNUM + "-_")
    add("TOKEN_FCM", "server_key", f"Authorization: key={t}", [t], t)
    t = "ncp_iam_BPAMKR" + rs(20, string.ascii_uppercase + string.digits)
    add("TOKEN_NCP", "env", f"NCP_ACCESS_KEY={t}\nNCP_REGION=KR", [t], t)
    t = "NCS" + rs(13, string.ascii_uppercase + string.digits)
    s2 = rs(32, string.ascii_uppercase + string.digits)
    add("TOKEN_COOLSMS", "js", f"const messageService = new SolapiMessageService('{t}', '{s2}');", [s2], s2)
    s2 = rs(80)
    add("TOKEN_PORTONE", "json", '{"imp_key":"' + dg(16) + '","imp_secret":"' + s2 + '"}', [s2], s2)
    raw = b64(bytes(R.getrandbits(8) for _ in range(64)))
    add(
        "TOKEN_G2B",
        "decoding_key_prose",
        f"공공데이터포털 인증키(Decoding)는 {raw} 이고 일일 트래픽 1000건입니다",
        [raw],
        raw,
    )
    t = rs(32, HEX)
    add("TOKEN_KAKAO", "admin_key_env", f"KAKAO_ADMIN_KEY={t}", [t], t)
    t = "test_sk_" + rs(24)
    add("TOKEN_TOSS", "yaml", f"toss:\n  secret-key: {t}", [t], t)


# ---------------------------------------------------------------- wave 3: the classes wave 2 opened, in more forms

HANGUL_DIGITS = "공일이삼사오육칠팔구"


def spoken(s: str) -> str:
    return "".join(HANGUL_DIGITS[int(ch)] if ch.isdigit() else ch for ch in s)


def wave3_cases() -> None:
    # passwords as a tool's or an API's positional argument or flag
    for fmt, tmpl in [
        ("rdesktop", "rdesktop -u administrator -p {p} 10.0.3.20"),
        ("lftp_comma", "lftp -u deploy,{p} sftp://files.nuri.local"),
        ("ipmitool", "ipmitool -I lanplus -H 10.0.9.5 -U ADMIN -P {p} chassis power status"),
        ("racadm", "racadm -r 10.0.9.6 -u root -p {p} getsysinfo"),
        ("snmpv3", "snmpwalk -v3 -l authPriv -u monitor -a SHA -A {p} -x AES -X {p}x 10.0.0.1"),
        (
            "keytool",
            "keytool -importkeystore -srckeystore nuri.p12 -srcstoretype PKCS12 -srcstorepass {p} -deststorepass {p}",
        ),
        ("jarsigner", "jarsigner -keystore release.jks -storepass {p} app.apk nuri"),
        ("gpg_passphrase", "gpg --batch --passphrase {p} -d backup.tar.gz.gpg | tar xz"),
        ("unrar_glued", "unrar x -p{p} 견적자료.rar"),
        ("net_use", "net use Z: \\\\fs01\\share {p} /user:NURI\\admin /persistent:yes"),
        ("cmdkey", "cmdkey /add:fs01.nuri.local /user:NURI\\admin /pass:{p}"),
        ("schtasks", 'schtasks /Create /TN "nightly" /TR backup.bat /SC DAILY /RU NURI\\svc /RP {p}'),
        ("sc_exe", 'sc.exe config BidSvc obj= "NURI\\svc_bid" password= "{p}"'),
        ("js_btoa", "headers: {{ Authorization: 'Basic ' + btoa('admin:{p}') }}"),
        ("aiohttp_basic", "auth = aiohttp.BasicAuth('admin', '{p}')"),
        ("httpx_basic", 'client = httpx.Client(auth=httpx.BasicAuth("admin", "{p}"))'),
        ("javamail_connect", 'transport.connect("smtp.nuri.co.kr", "noreply", "{p}");'),
        ("spring_headers", 'headers.setBasicAuth("admin", "{p}");'),
        ("imaplib", "M = imaplib.IMAP4_SSL('imap.nuri.co.kr'); M.login('mkim', '{p}')"),
    ]:
        p = password().replace("$", "!")
        add("PASSWORD", fmt, tmpl.format(p=p), [p], "")
    # a password column in a table
    p = password()
    add("PASSWORD", "tsv_bibeon", f"서버\t아이디\t비번\nnas01\tadmin\t{p}", [p], "")
    p = password()
    add("PASSWORD", "confluence_table", f"|| 시스템 || 계정 || PW ||\n| 그룹웨어 | mkim | {p} |", [p], "")
    p = password()
    add(
        "PASSWORD",
        "md_table_pw_en",
        f"| host | user | password |\n|------|------|----------|\n| db01 | bid  | {p} |",
        [p],
        "",
    )
    # a value wrapped inside a digit group
    v = mobile()
    add("PHONE", "wrap_after_two", f"연락처: 01\n{v[2:]}", [v], v)
    v = mobile()
    add("PHONE", "wrap_last_group", f"핸드폰 {v[:11]}\n{v[11:]} 로 부탁드립니다", [v], v)
    v = nodash(mobile())
    add("PHONE", "wrap_nodash", f"고객 연락처 {v[:5]}\n{v[5:]}", [v], v)
    a = account()
    add("AWSACCOUNT", "wrap_arn_free", f"account_id = {a[:3]}\n{a[3:]}", [a], a)
    v = card()
    add("CARD", "wrap_nodash", f"카드번호 {v[:9]}\n{v[9:]}", [v], v)
    v = f"3333-{dg(2)}-{dg(7)}"
    add("BANKACCT", "wrap_kakaobank", f"카카오뱅크 {v[:10]}\n{v[10:]}", [v], v)
    v = rrn()
    add("RRN", "wrap_front", f"주민번호 {v[:4]}\n{v[4:]}", [v], v)
    v = crn()
    add("CRN", "wrap_mid", f"법인등록번호 {v[:9]}\n{v[9:]}", [v], v)
    # a card glued to letters or tags
    v = card()
    add("CARD", "emv_tag57", f"57 13 {v}D27122010000012345F", [v], v)
    _CASES[-1].text = f"Track2 Equivalent Data (57): {v}D27122010000012345F"
    v = card()
    add("CARD", "brand_glued", f"승인요청 VISA{v} 55,000원", [v], v)
    v = card()
    add("CARD", "track1_lower", f"swipe=%b{v}^PARK/JIHOON^2712101", [v], v)
    # the account id in AWS's own names and outputs
    for fmt, tmpl in [
        (
            "cdk_deploy_role",
            "current credentials could not be used to assume 'arn:aws:iam::{a}:role/cdk-hnb659fds-deploy-role-{a}-ap-northeast-2'",
        ),
        ("cdk_role_name", "Role name: cdk-hnb659fds-cfn-exec-role-{a}-ap-northeast-2"),
        (
            "aws_config_sso",
            "[profile nuri-prod]\nsso_start_url = https://nuri.awsapps.com/start\nsso_account_id = {a}\nsso_role_name = AdministratorAccess",
        ),
        ("sts_text_output", "$ aws sts get-caller-identity --query Account --output text\n{a}"),
        ("serverless_yaml", "custom:\n  accountId: '{a}'\n  stage: prod"),
        ("s3control_flag", "aws s3control list-access-points --account-id {a}"),
        ("config_bucket", "DeliveryChannel s3BucketName=config-bucket-{a}"),
    ]:
        a = account()
        add("AWSACCOUNT", fmt, tmpl.format(a=a), [a], a)
    # 사업자번호 without a Korean label
    for fmt, tmpl in [
        ("nts_status_body", '{{"businesses":[{{"b_no":"{v}","start_dt":"20190301","p_nm":"KIM"}}]}}'),
        (
            "query_b_no",
            "curl 'https://api.odcloud.kr/api/nts-businessman/v1/status?serviceKey=$KEY' -d '{{\"b_no\":[\"{v}\"]}}'",
        ),
        ("after_company", "(주)누리 {v} 대표 {name}"),
        ("path_vendor", "https://erp.nuri.local/vendor/{v}"),
    ]:
        v = nodash(brn())
        add("BRN", fmt, tmpl.format(v=v, name=who()), [v], v)
    # the company's secret word split by markup
    add(
        "SECRETWORD",
        "docx_midword",
        '<w:r><w:t>누리</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>온테크</w:t></w:r>',
        [],
    )
    _CASES[-1].forms = ('<w:t>누리</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>온테크',)
    add("SECRETWORD", "md_bold_split", "**블루웨일** 프로젝트 리스크 정리", ["**블루웨일** 프로젝트"])
    add(
        "SECRETWORD",
        "html_span_split",
        '<span class="hl">누리온</span>테크 제안 PT',
        ['<span class="hl">누리온</span>테크'],
    )
    # a value straddling two lines of a MIME base64 body
    e = f"{R.choice(ROMAN)}@nurion.co.kr"
    body, pair = _mime_straddle(e, "Mail:")
    add("EMAIL", "mime_b64_straddle", "Content-Transfer-Encoding: base64\n\n" + body, [pair], e)
    v = card()
    body, pair = _mime_straddle(v, "Card:")
    add("CARD", "mime_b64_straddle", "Content-Transfer-Encoding: base64\n\n" + body, [pair], v)
    body, pair = _mime_straddle("누리온테크", "회사:")
    add("SECRETWORD", "mime_b64_straddle", "Content-Transfer-Encoding: base64\n\n" + body, [pair])
    # identifiers formatted by a spreadsheet as numbers (thousands separators)
    v = f"110{dg(9)}"
    cm = f"{int(v):,}"
    add("BANKACCT", "excel_thousands", f"은행\t계좌번호\t예금주\n신한\t{cm}\t{who()}", [cm], v)
    a = account()
    cm = f"{int(a):,}"
    add("AWSACCOUNT", "excel_thousands", f"환경\tAWS 계정 ID\nprod\t{cm}", [cm], a)
    v = nodash(mobile())
    cm = f"{int(v):,}"
    add("PHONE", "excel_thousands", f"이름\t휴대폰\n{who()}\t{cm}", [cm], v[1:])
    v = nodash(rrn())
    cm = f"{int(v):,}"
    add("RRN", "excel_thousands", f"성명\t주민등록번호\n{who()}\t{cm}", [cm], v)
    # dashes read aloud: 다시, 에 (call transcripts, STT)
    v = mobile()
    add(
        "PHONE",
        "spoken_dasi",
        f"[상담 녹취] 고객: 제 번호가요 {v.replace('-', ' 다시 ')}이요",
        [v.replace("-", " 다시 ")],
        v,
    )
    v = mobile()
    s = spoken(v).replace("-", "에 ")
    add("PHONE", "spoken_e_hangul", f"[STT] 네 번호는 {s} 입니다", [s], "")
    v = mobile()
    s = v.replace("-", "에 ")
    add("PHONE", "spoken_e_digits", f"[STT] 연락처 {s}이요", [s], v)
    v = rrn()
    s = spoken(v).replace("-", " 다시 ")
    add("RRN", "spoken_dasi_hangul", f"[상담 녹취] 주민번호 {s} 맞으시죠?", [s], "")
    v = f"3333-{dg(2)}-{dg(7)}"
    s = v.replace("-", " 다시 ")
    add("BANKACCT", "spoken_dasi", f"[STT] 카카오뱅크 {s} 로 입금해 주세요", [s], v)


# ---------------------------------------------------------------- wave 4: more of the open classes, and wraps under prefixes


def _utf16_b64(s: str) -> str:
    return base64.b64encode(s.encode("utf-16-le")).decode()


def wave4_cases() -> None:
    # MIME base64 across lines, more classes
    k = akia()
    body, pair = _mime_straddle(k, "Key:")
    add("AWSKEY", "mime_b64_straddle", "Content-Transfer-Encoding: base64\n\n" + body, [pair], k)
    ip = pubip()
    body, pair = _mime_straddle(ip, "Server:")
    add("IP", "mime_b64_straddle", "Content-Transfer-Encoding: base64\n\n" + body, [pair], ip)
    p = password()
    body, pair = _mime_straddle(p, "비밀번호:")
    add("PASSWORD", "mime_b64_straddle", "Content-Transfer-Encoding: base64\n\n" + body, [pair], "")
    # base64 of UTF-16LE (PowerShell, .NET)
    v = mobile()
    enc = _utf16_b64(f"Send-Sms -To '{v}' -Body 'deploy done'")
    add("PHONE", "utf16_b64", f"powershell -enc {enc}", [enc], "")
    v = rrn()
    enc = _utf16_b64(f"주민번호 {v}")
    add("RRN", "utf16_b64", f'"payload_utf16": "{enc}"', [enc], "")
    # spreadsheet number formats
    v = card()
    cm = f"{int(v):,}"
    add("CARD", "excel_thousands", f"카드번호\t승인금액\n{cm}\t55,000", [cm], v)
    v = nodash(brn())
    cm = f"{int(v):,}"
    add("BRN", "excel_thousands", f"거래처\t사업자등록번호\n(주)누리\t{cm}", [cm], v)
    v = nodash(mobile())
    add("PHONE", "excel_formula_text", f'이름,연락처\n{who()},="{v}"', [v], v)
    # wraps under a line prefix (comments, quotes, YAML folding)
    v = mobile()
    add("PHONE", "wrap_c_comment", f"/**\n * 장애 시 연락: {who()} {v[:9]}\n * {v[9:]}\n */", [v], v)
    v = rrn()
    add("RRN", "wrap_hash_comment", f"# 테스트 계정 주민번호 {v[:7]}\n# {v[7:]}", [v], v)
    v = mobile()
    add(
        "PHONE", "wrap_yaml_folded", f"contact:\n  note: >\n    담당 {who()} 연락처 {v[:9]}\n    {v[9:]} (평일)", [v], v
    )
    v = f"110-{dg(3)}-{dg(6)}"
    add("BANKACCT", "wrap_mail_quote", f"> 환불 계좌 신한 {v[:8]}\n> {v[8:]} 입니다", [v], v)
    v = card()
    add("CARD", "wrap_mail_quote_mid", f"> 법인카드 {g4(v)[:12]}\n> {g4(v)[12:]} 로 결제 부탁", [g4(v)], v)
    # AWS's names, more
    for fmt, tmpl in [
        ("cdk_lookup_role", "arn:aws:iam::{a}:role/cdk-hnb659fds-lookup-role-{a}-ap-northeast-2"),
        (
            "eb_in_url",
            "https://elasticbeanstalk-ap-northeast-2-{a}.s3.ap-northeast-2.amazonaws.com/resources/environments/logs/",
        ),
        ("cdk_file_publishing", "Role cdk-hnb659fds-file-publishing-role-{a}-ap-northeast-2 not found"),
    ]:
        a = account()
        add("AWSACCOUNT", fmt, tmpl.format(a=a), [a], a)
    # card glued: more payment-log forms
    v = card()
    add("CARD", "iso8583_bitmap", f"MTI=0200 F002=16{v} F003=000000 F004=000000055000", [v], v)
    v = card()
    add("CARD", "pan_glued_lower", f"txn ok pan{v} amt55000", [v], v)
    # positional passwords, more
    for fmt, tmpl in [
        ("pymongo_positional", "client = MongoClient('mongodb://10.0.4.20:27017', username='bid', password='{p}')"),
        ("kotlin_basic", 'val auth = Credentials.basic(user, "{p}")'),
        ("csharp_sqlcred", 'new SqlCredential("bid", ToSecure("{p}"))'),
        ("wget_http_pw", "wget --http-user=admin --http-passwd={p} https://nas.nuri.local/backup.tgz"),
    ]:
        p = password().replace("$", "!")
        add("PASSWORD", fmt, tmpl.format(p=p), [p], "")


def attacks() -> list[Case]:
    global R
    R = random.Random(3737)
    _CASES.clear()
    for f in (
        rrn_cases,
        frn_cases,
        phone_cases,
        email_cases,
        biz_cases,
        crn_cases,
        bank_cases,
        card_cases,
        iddoc_cases,
        aws_cases,
        ip_cases,
        token_cases,
        privkey_cases,
        password_cases,
        secret_cases,
        wave2_cases,
        wave3_cases,
        wave4_cases,
    ):
        f()
    cases = list(_CASES)
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    return cases


def ordinary() -> list[Case]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("s37_ordinary37", HERE / "ordinary37.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ordinary_texts = module.ordinary_texts
    return [Case(f"ord-{name}", cls, name, text, ordinary=True, form=name) for cls, name, text in ordinary_texts()]
