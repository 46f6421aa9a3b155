"""Stop 36's red-team corpus (redteam36), written without reading the masker, its tests or earlier corpora.

Every value here is generated (seeded `random`, checksums computed below) or a freshly generated key; none is real.
A case's `forms` are the written forms that must not reach the provider; `core` is the bare value, also looked for
with every separator removed. `extra["turns"]` splits a case into messages sent one after another (the runner's
mask and proxy channels send them as separate turns; the other channels get them joined by a line break).
"""

from __future__ import annotations

import base64
import random
import re
import string
from dataclasses import dataclass, field
from typing import Any

R = random.Random(3636)

SECRETS = ["청운데이터랩", "한라봉 프로젝트"]


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


# ---------------------------------------------------------------- value generators (checksums computed here)


def digits(n: int) -> str:
    return "".join(R.choice(string.digits) for _ in range(n))


def rrn(gender: int | None = None, foreign: bool = False) -> tuple[str, str]:
    """A 주민/외국인등록번호 with a real date and its (pre-2020) check digit."""
    y = R.randint(55, 99) if R.random() < 0.7 else R.randint(0, 19)
    if gender is None:
        if foreign:
            gender = 5 + R.randint(0, 1) if y >= 50 else 7 + R.randint(0, 1)
        else:
            gender = R.choice((1, 2)) if y >= 50 else R.choice((3, 4))
    front = f"{y:02d}{R.randint(1, 12):02d}{R.randint(1, 28):02d}"
    body = front + str(gender) + digits(5)
    w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    s = sum(int(a) * b for a, b in zip(body, w, strict=True))
    chk = (13 - s % 11) % 10 if foreign else (11 - s % 11) % 10
    return front, body[6:] + str(chk)


def brn() -> str:
    while True:
        b = f"{R.randint(101, 899)}{R.choice(['81', '86', '87', '88', '01', '12', '23'])}{digits(4)}"
        w = [1, 3, 7, 1, 3, 7, 1, 3, 5]
        s = sum(int(a) * x for a, x in zip(b, w, strict=True)) + (int(b[8]) * 5) // 10
        full = b + str((10 - s % 10) % 10)
        return f"{full[:3]}-{full[3:5]}-{full[5:]}"


def crn() -> str:
    b = R.choice(["110111", "131111", "134811", "160111", "200111"]) + digits(6)
    s = sum(int(a) * (1 if i % 2 == 0 else 2) for i, a in enumerate(b))
    return f"{b[:6]}-{b[6:]}{(10 - s % 10) % 10}"


def luhn(prefix: str, n: int = 16) -> str:
    body = prefix + digits(n - len(prefix) - 1)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def card() -> str:
    return luhn(R.choice(["4", "51", "53", "55", "3565", "9410"]))


def mobile() -> tuple[str, str, str]:
    return "010", f"{R.randint(2000, 9899)}", f"{R.randint(1000, 9999)}"


def landline() -> tuple[str, str, str]:
    area = R.choice(["02", "031", "032", "051", "053", "042", "062", "064"])
    return area, f"{R.randint(200, 999)}" if area != "02" else f"{R.randint(2000, 9899)}", f"{R.randint(1000, 9999)}"


def alnum(n: int, chars: str = string.ascii_letters + string.digits) -> str:
    while True:
        s = "".join(R.choice(chars) for _ in range(n))
        need = [f for f in (str.isdigit, str.isupper, str.islower) if any(f(c) for c in chars)]
        if n < 6 or all(any(f(c) for c in s) for f in need):
            return s


def akia() -> str:
    return R.choice(["AKIA", "ASIA"]) + "".join(R.choice(string.ascii_uppercase + "234567") for _ in range(16))


def aws_secret() -> str:
    return alnum(38) + R.choice("+/") + alnum(1, string.ascii_letters)


def password() -> str:
    core = alnum(R.randint(8, 12))
    return core[:4] + R.choice("!#@$%^*") + core[4:]


def b64(s: str | bytes) -> str:
    return base64.b64encode(s.encode() if isinstance(s, str) else s).decode()


def ipv4() -> str:
    return f"{R.choice([121, 211, 175, 59, 112, 14])}.{R.randint(16, 250)}.{R.randint(1, 250)}.{R.randint(2, 250)}"


FIRST = ["김민준", "이서연", "박지훈", "최유진", "정하늘", "강도윤", "윤서아", "장우진", "임지민", "한예린"]
BANKS = ["국민", "신한", "우리", "하나", "농협", "기업", "카카오뱅크", "토스뱅크", "새마을금고", "우체국"]


_KEY_SEEDS = iter(range(10**6))  # each key its own seed: different keys, the same in every process


def pem_rsa() -> str:
    from cryptography.hazmat.primitives import serialization

    from tests.kit.keys import seeded_key  # seeded real keys: a random key made a test flaky once (stop 34)

    k = seeded_key("rsa1024", 3600 + next(_KEY_SEEDS))
    return k.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()


def pem_openssh() -> str:
    from cryptography.hazmat.primitives import serialization

    from tests.kit.keys import seeded_key

    k = seeded_key("ed25519", 3600 + next(_KEY_SEEDS))
    return k.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    ).decode()


def key_body_lines(pem: str) -> list[str]:
    return [ln for ln in pem.strip().splitlines() if not ln.startswith("-----")]


# ---------------------------------------------------------------- attacks

ZW = "\u200b"
INVIS = ["\u200b", "\u2060", "\ufeff", "\u034f", "\u180e", "\u2063", "\u00ad"]


def keycaps(s: str) -> str:
    return "".join(ch + "\ufe0f\u20e3" if ch.isdigit() else ch for ch in s)


def ocr(s: str) -> str:
    table = {"0": "O", "1": "l", "5": "S", "8": "B"}
    out = []
    for i, ch in enumerate(s):
        out.append(table.get(ch, ch) if i % 3 == 1 else ch)
    return "".join(out)


def interleave(s: str, sep: str) -> str:
    return sep.join(s)


HAN = "영일이삼사오육칠팔구"
DINGBAT = "➓➀➁➂➃➄➅➆➇➈"  # dingbat circled sans-serif: ➀ is 1; ➓ (ten) stands in for 0 the way people pick it


def rrn_cases() -> list[Case]:
    out: list[Case] = []
    forms_of = []
    for i in range(34):
        foreign = i % 5 == 4
        f, b = rrn(foreign=foreign)
        cls = "FRN" if foreign else "RRN"
        who = FIRST[i % len(FIRST)]
        full = f"{f}-{b}"
        biz = brn()
        mob = "-".join(mobile())
        variants = [
            (
                "decoy_then_back",
                f"{who}님 주민번호 {f}-******* 로 보냈는데 뒷자리가 빠졌대요. 사업자번호 {biz} 말고 개인 거요. 나머지 {b} 입니다",
                (b,),
            ),
            ("reverse_halves", f"[{who}] [오후 4:02] 뒤에 7자리 먼저 {b}\n[{who}] [오후 4:02] 앞에는 생일 {f}", (b,)),
            ("keycaps", f"등본 번호 {keycaps(full)} 맞나요?", (keycaps(full),)),
            ("ocr_letters", f"주 민 등 록 번 호 {ocr(f)}-{ocr(b)} (스캔본 OCR)", (f"{ocr(f)}-{ocr(b)}",)),
            (
                "combining",
                f"신청인 {who} ({''.join(c + chr(0x0332) for c in full)})",
                ("".join(c + chr(0x0332) for c in full),),
            ),
            ("armenian_hyphen", f"주민등록번호: {f}\u058a{b}", (f"{f}\u058a{b}",)),
            ("hex_utf8", "payload_hex=" + f"rrn={full}".encode().hex(), (f"rrn={full}".encode().hex(),)),
            ("json_key", '{"applicants": {"' + full + '": {"name": "' + who + '", "ok": true}}}', (full,)),
            ("filename", f"첨부: 주민등록증사본_{who}_{f}{b}.jpg, 통장사본.pdf", (f + b,)),
            ("turns", "", (b,)),
            (
                "dingbat",
                f"주민번호 {''.join(DINGBAT[int(c)] for c in f)}-{''.join(DINGBAT[int(c)] for c in b)}",
                ("".join(DINGBAT[int(c)] for c in b),),
            ),
            ("pdf_breaks", f"성 명 {who}  주민등록\n번 호  {f} -\n  {b}   주 소 서울특별시", (b,)),
            ("csv_split", f"name,rrn_front,phone,rrn_back\n{who},{f},{mob},{b}\n", (b,)),
            ("english_prose", f"Applicant {who}: resident registration number is {f}, second part {b}.", (b,)),
            ("jamo_label", f"ㅈㅜㅁㅣㄴㅂㅓㄴㅎㅗ {f} {b}", (b, f + b)),
            (
                "sql_insert",
                f"INSERT INTO members (name, birth, jumin_tail, tel) VALUES ('{who}', '{f}', '{b}', '{mob}');",
                (b,),
            ),
            (
                "urlenc_all",
                "GET /verify?id=" + "".join(f"%{ord(c):02X}" for c in full) + " HTTP/1.1",
                ("".join(f"%{ord(c):02X}" for c in full),),
            ),
            ("math_sep", f"주민 {f}∕{b}", (f"{f}∕{b}",)),
            ("dash_in_words", f"민원 접수: {who}, 생년월일 {f[:2]}년 {f[2:4]}월 {f[4:]}일생, 주민 뒷번호 {b}", (b,)),
            ("spaced_every", f"주민번호 불러드릴게요 {' '.join(f)}   {' '.join(b)}", (" ".join(b),)),
            (
                "kakao_multi",
                f"{who} 님이 보낸 메시지\n{f}\n{who} 님이 보낸 메시지\n{b}\n{who} 님이 보낸 메시지\n주민번호요",
                (b,),
            ),
            ("yaml", f'applicant:\n  name: {who}\n  resident_no: "{f}"\n  resident_no_2: "{b}"\n', (b,)),
            (
                "arabic_digits",
                f"ID {''.join(chr(0x0660 + int(c)) for c in f)}-{''.join(chr(0x0660 + int(c)) for c in b)}",
                ("".join(chr(0x0660 + int(c)) for c in b),),
            ),
            ("tilde", f"주민번호 {f}〜{b}", (f"{f}〜{b}",)),
            (
                "hangul_mixed",
                f"주민번호 {f} 다시 {''.join(HAN[int(c)] for c in b)}",
                ("".join(HAN[int(c)] for c in b),),
            ),
            ("reverse_string", f"거꾸로 적었어요 ㅋㅋ {full[::-1]}", (full[::-1],)),
            ("html_named", f"<td>주민번호</td><td>{f}&hyphen;{b}</td>", (f"{f}&hyphen;{b}",)),
            ("tab_split", f"성명\t{who}\n주민번호\t{f}\t{b}", (b,)),
            (
                "stack_trace",
                f'ValueError: invalid rrn "{full}"\n  File "/app/verify.py", line 88, in check\n    raise ValueError(f"invalid rrn {{v!r}}")',
                (full,),
            ),
            ("email_sig", f"안녕하세요.\n서류 보완 부탁드립니다.\n\n--\n{who} 드림\n(주민 {f}/{b})", (b,)),
            ("bullet_halves", f"- 앞 6자리: {f}\n- 뒤 7자리: 아래 참고\n\n> {b}", (b,)),
            ("vertical", "주민번호\n" + "\n".join(full), ("\n".join(b),)),
            ("x_sep", f"주민번호 {f} x {b}", (f"{f} x {b}",)),
            (
                "git_diff",
                f'--- a/fixtures/users.json\n+++ b/fixtures/users.json\n@@ -3 +3 @@\n-  "ssn": "000000-0000000"\n+  "ssn": "{f}{ZW}-{ZW}{b}"',
                (b,),
            ),
        ]
        name, text, forms = variants[i]
        extra: dict[str, Any] = {}
        if name == "turns":
            extra["turns"] = [f"주민번호 앞자리는 {f} 에요", "네 그리고요", f"뒤는 {b}"]
            text = "\n".join(extra["turns"])
        out.append(Case(f"{cls.lower()}-{name}", cls, name, text, tuple(forms), f + b, form=name, extra=extra))
        forms_of.append(full)
    return out


def phone_cases() -> list[Case]:
    out: list[Case] = []
    vs = []
    for i in range(30):
        a, b, c = mobile() if i % 3 else landline()
        full = f"{a}-{b}-{c}"
        compact = a + b + c
        who = FIRST[i % 10]
        vs.append((a, b, c, full, compact, who))
    T = [
        ("keycaps", lambda a, b, c, f, k, w: (f"연락처 {keycaps(f)}", (keycaps(f),))),
        ("heart_sep", lambda a, b, c, f, k, w: (f"{w} 폰번 {a}♡{b}♡{c} 저장해~", (f"{a}♡{b}♡{c}",))),
        ("emoji_sep", lambda a, b, c, f, k, w: (f"☎️ {a}🔸{b}🔸{c}", (f"{a}🔸{b}🔸{c}",))),
        ("ocr", lambda a, b, c, f, k, w: (f"T E L  {ocr(f)}  FAX 02-000-0000", (ocr(f),))),
        (
            "yeong",
            lambda a, b, c, f, k, w: (
                f"제 번호는 {''.join('영일이삼사오육칠팔구'[int(x)] for x in a)} {''.join(HAN[int(x)] for x in b)} {''.join(HAN[int(x)] for x in c)} 입니다",
                ("".join(HAN[int(x)] for x in b) + " " + "".join(HAN[int(x)] for x in c),),
            ),
        ),
        (
            "english_mixed",
            lambda a, b, c, f, k, w: (
                f"call me at {a}-{b}-"
                + " ".join(
                    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"][int(x)] for x in c
                ),
                (f"{a}-{b}-",),
            ),
        ),
        ("reverse_halves", lambda a, b, c, f, k, w: (f"끝번호 {c}, 앞은 {a}-{b} 요", (f"{a}-{b}",))),
        ("filename", lambda a, b, c, f, k, w: (f"견적서_{w}_{k}.xlsx 보내드립니다", (k,))),
        (
            "slack_lines",
            lambda a, b, c, f, k, w: (
                f"{w}  3:12 PM\n{a}\n{w}  3:12 PM\n{b}\n{w}  3:13 PM\n{c} 이 번호로 연락주세요",
                (f"{b}\n",),
            ),
        ),
        (
            "invisible_mix",
            lambda a, b, c, f, k, w: (
                "휴대폰 " + "".join(ch + INVIS[j % len(INVIS)] for j, ch in enumerate(f)),
                ("".join(ch + INVIS[j % len(INVIS)] for j, ch in enumerate(f)),),
            ),
        ),
        ("ideographic_dot", lambda a, b, c, f, k, w: (f"TEL {a}。{b}。{c}", (f"{a}。{b}。{c}",))),
        (
            "tel_uri_enc",
            lambda a, b, c, f, k, w: (f'<a href="tel:%2B82{k[1:]}">전화하기</a>', (f"%2B82{k[1:]}", k[1:])),
        ),
        (
            "json_int_split",
            lambda a, b, c, f, k, w: (
                '{"contact": {"p1": "' + a + '", "p2": ' + str(int(b)) + ', "p3": ' + str(int(c)) + "}}",
                (),
            ),
        ),
        (
            "dingbat",
            lambda a, b, c, f, k, w: (
                "연락처 " + "".join(DINGBAT[int(x)] if x.isdigit() else x for x in f),
                ("".join(DINGBAT[int(x)] if x.isdigit() else x for x in f),),
            ),
        ),
        (
            "prose_words",
            lambda a, b, c, f, k, w: (f"번호는 {a}이고요 가운데는 {b}, 마지막은 {c}예요", (f"{b}, 마지막은 {c}",)),
        ),
        ("plus82_spaces", lambda a, b, c, f, k, w: (f"WhatsApp +82 {a[1:]} {b} {c}", (f"{a[1:]} {b} {c}",))),
        ("x_sep", lambda a, b, c, f, k, w: (f"{w} {a} x {b} x {c}", (f"{a} x {b} x {c}",))),
        ("dot_spaces", lambda a, b, c, f, k, w: (f"핸드폰: {a} . {b} . {c}", (f"{a} . {b} . {c}",))),
        (
            "pipe_table",
            lambda a, b, c, f, k, w: (
                f"| 이름 | 국번 | 중간 | 끝 |\n|---|---|---|---|\n| {w} | {a} | {b} | {c} |",
                (f"| {b} | {c} |",),
            ),
        ),
        (
            "csv_quoted",
            lambda a, b, c, f, k, w: (f'"name","mobile"\n"{w}","{a}{ZW}{b}{ZW}{c}"', (f"{a}{ZW}{b}{ZW}{c}",)),
        ),
        ("hex", lambda a, b, c, f, k, w: ("tel_hex=" + f.encode().hex(), (f.encode().hex(),))),
        (
            "urlenc_digits",
            lambda a, b, c, f, k, w: (
                "?phone=" + "".join(f"%{ord(x):02x}" for x in k),
                ("".join(f"%{ord(x):02x}" for x in k),),
            ),
        ),
        ("html_named", lambda a, b, c, f, k, w: (f"연락처: {a}&ndash;{b}&ndash;{c}", (f"{a}&ndash;{b}&ndash;{c}",))),
        ("turns", lambda a, b, c, f, k, w: ("", (f"{b}-{c}", f"{b} {c}"))),
        ("vertical_bar", lambda a, b, c, f, k, w: (f"HP) {a} ㅣ {b} ㅣ {c}", (f"{a} ㅣ {b} ㅣ {c}",))),
        (
            "english_sig",
            lambda a, b, c, f, k, w: (
                f"Best regards,\n{w}\nSales Manager | M. +82.{a[1:]}.{b}.{c} | www.example.co.kr",
                (f"+82.{a[1:]}.{b}.{c}",),
            ),
        ),
        ("hash_fmt", lambda a, b, c, f, k, w: (f"#{a}#{b}#{c}# 로 문자 주세요", (f"#{a}#{b}#{c}#",))),
        ("dash_words", lambda a, b, c, f, k, w: (f"연락처 {a} 다시 {b} 다시 {c}", (f"{b} 다시 {c}",))),
        ("cyrillic_o", lambda a, b, c, f, k, w: (f"тел. {f.replace('0', 'О')}", (f.replace("0", "О"),))),
        (
            "curl_json",
            lambda a, b, c, f, k, w: (
                f'curl -X POST https://api.example.com/sms -d \'{{"to":"{a}" "{b}{c}"}}\'',
                (f"{b}{c}",),
            ),
        ),
    ]
    for i, (name, fn) in enumerate(T):
        a, b, c, f, k, w = vs[i]
        text, forms = fn(a, b, c, f, k, w)
        extra: dict[str, Any] = {}
        if name == "turns":
            extra["turns"] = [f"{w} 번호 알려드릴게요 {a}", "네", f"{b}-{c} 입니다"]
            text = "\n".join(extra["turns"])
        out.append(Case(f"phone-{name}", "PHONE", name, text, tuple(forms), k, form=name, extra=extra))
    return out


def email_cases() -> list[Case]:
    users = ["kim.minjun", "seoyeon_lee", "jihoon.park82", "yujin.choi", "haneul.jung", "doyoon.k", "seoa.yoon"]
    doms = ["naver.com", "gmail.com", "hanbit-soft.co.kr", "daum.net", "kakao.com", "cheongun.kr"]
    out = []
    T = [
        ("wrap_local", lambda u, d: (f"메일은 {u[:5]}\n{u[5:]}@{d} 로 보내주세요", (f"{u[5:]}@{d}", u))),
        ("ideographic_dot", lambda u, d: (f"이메일: {u}@{d.replace('.', '。')}", (f"{u}@{d.replace('.', '。')}",))),
        ("named_entities", lambda u, d: (f"<p>문의: {u}&commat;{d.replace('.', '&period;')}</p>", (f"{u}&commat;",))),
        ("jjeom", lambda u, d: (f"{u} 골뱅이 {d.split('.')[0]} 쩜 {'.'.join(d.split('.')[1:])}", (f"{u} 골뱅이",))),
        (
            "dot_at_words",
            lambda u, d: (
                f"reach {u.replace('.', ' dot ')} at {d.replace('.', ' dot ')}",
                (f"{u.replace('.', ' dot ')} at",),
            ),
        ),
        ("spaced_letters", lambda u, d: (f"메일 {' '.join(u)} @ {d}", (" ".join(u),))),
        (
            "cyrillic_local",
            lambda u, d: (
                f"회신: {u.replace('o', 'о').replace('e', 'е')}@{d}",
                (u.replace("o", "о").replace("e", "е"),),
            ),
        ),
        ("display_split", lambda u, d: (f"From: 김민준 <{u}\n @{d}>", (f"{u}\n @{d}",))),
        ("korean_domain", lambda u, d: (f"담당자 메일 {u}@한빛소프트.한국", (f"{u}@한빛소프트.한국",))),
        ("mailto_enc", lambda u, d: (f"[메일](mailto:{u}%40{d})", (f"{u}%40{d}",))),
        ("hex", lambda u, d: ("x-user: " + f"{u}@{d}".encode().hex(), (f"{u}@{d}".encode().hex(),))),
        ("reversed", lambda u, d: (f"스팸 방지용: {(u + '@' + d)[::-1]}", ((u + "@" + d)[::-1],))),
        ("json_key", lambda u, d: ('{"acl": {"' + u + "@" + d + '": "owner"}}', (f"{u}@{d}",))),
        ("turns", lambda u, d: ("", (u,))),
        ("at_sign_word", lambda u, d: (f"{u}(앳){d.split('.')[0]}(닷){'.'.join(d.split('.')[1:])}", (f"{u}(앳)",))),
        ("fullwidth_mix", lambda u, d: (f"Ｅ-mail：{u}＠{d}", (f"{u}＠{d}",))),
        ("zwj_at", lambda u, d: (f"e-mail {u}\u2060@\u2060{d}", (f"{u}\u2060@",))),
        (
            "git_log",
            lambda u, d: (
                f"commit 3f9a1c2e\nAuthor: Kim <{u}@{d}>\nDate:   Mon Dec 7 10:00:00 2026 +0900",
                (f"{u}@{d}",),
            ),
        ),
        (
            "dot_at_ko",
            lambda u, d: (
                f"{u.replace('.', ' 점 ')} 에이티 {d.replace('.', ' 점 ')}",
                (u.replace(".", " 점 ") + " 에이티",),
            ),
        ),
        (
            "quoted_printable",
            lambda u, d: (
                f"Reply-To: =?UTF-8?Q?{u.replace('.', '=2E')}=40{d.replace('.', '=2E')}?=",
                (f"{u.replace('.', '=2E')}=40",),
            ),
        ),
    ]
    for i, (name, fn) in enumerate(T):
        u, d = users[i % len(users)], doms[i % len(doms)]
        text, forms = fn(u, d)
        extra: dict[str, Any] = {}
        if name == "turns":
            extra["turns"] = [f"제 메일 아이디는 {u} 이고", "도메인은요?", f"@{d} 입니다"]
            text = "\n".join(extra["turns"])
        out.append(Case(f"email-{name}", "EMAIL", name, text, tuple(forms), "", form=name, extra=extra))
    return out


def biz_cases() -> list[Case]:
    out = []
    for i in range(10):
        v = brn()
        k = v.replace("-", "")
        T = [
            ("ocr", f"사업자등록번호 {ocr(v)}", (ocr(v),)),
            ("spaced_label_bare", f"사 업 자 번 호 : {k}", (k,)),
            ("json_key", '{"vendors": {"' + k + '": {"score": 88}}}', (k,)),
            ("english", f"Tax ID (Korea BRN): {v[:6]} {v[7:]}", (v[7:],)),
            ("keycaps", f"사업자 {keycaps(v)}", (keycaps(v),)),
            (
                "hangul_digits",
                f"사업자번호 {''.join(HAN[int(c)] if c.isdigit() else c for c in v)}",
                ("".join(HAN[int(c)] if c.isdigit() else c for c in v),),
            ),
            ("filename", f"사업자등록증_{k}.pdf", (k,)),
            ("reverse_parts", f"사업자번호 끝 5자리 {v[7:]} / 앞 {v[:6]}", (v[7:],)),
            ("hex", "biz=" + v.encode().hex(), (v.encode().hex(),)),
            ("x_sep", f"사업자 {v.replace('-', ' x ')}", (v.replace("-", " x "),)),
        ]
        name, text, forms = T[i]
        out.append(Case(f"brn-{name}", "BRN", name, text, tuple(forms), k, form=name))
    for i in range(6):
        v = crn()
        k = v.replace("-", "")
        T = [
            ("spaced", f"법 인 등 록 번 호  {v[:6]} {v[7:]}", (v[7:],)),
            ("english", f"Corporate registration no. {v}", (v,)),
            ("reverse", f"법인번호 뒤 {v[7:]}, 앞 {v[:6]}", (v[7:],)),
            ("tilde", f"법인등록번호 {v.replace('-', '〜')}", (v.replace("-", "〜"),)),
            ("yaml", f"corp:\n  reg_no_a: '{v[:6]}'\n  reg_no_b: '{v[7:]}'", (v[7:],)),
            ("keycaps", f"법인 {keycaps(v)}", (keycaps(v),)),
        ]
        name, text, forms = T[i]
        out.append(Case(f"crn-{name}", "CRN", name, text, tuple(forms), k, form=name))
    return out


def bank_cases() -> list[Case]:
    out = []
    for i in range(14):
        bank = BANKS[i % len(BANKS)]
        acct = f"{digits(3)}-{digits(3)}-{digits(6)}" if i % 2 else f"{digits(6)}-{digits(2)}-{digits(6)}"
        k = acct.replace("-", "")
        who = FIRST[i % 10]
        T = [
            ("english_bank", f"Please wire to Shinhan Bank acct {acct} (holder {who})", (acct,)),
            ("kb_en", f"KB Kookmin {acct}", (acct,)),
            ("emoji_sep", f"{bank} {acct.replace('-', '💸')}", (acct.replace("-", "💸"),)),
            ("keycaps", f"입금: {bank} {keycaps(acct)}", (keycaps(acct),)),
            (
                "reverse_halves",
                f"계좌 끝자리 {acct.split('-')[-1]}, 앞은 {bank} {'-'.join(acct.split('-')[:-1])}",
                (acct.split("-")[-1],),
            ),
            ("turns", "", (acct.split("-")[-1],)),
            ("ocr", f"{bank}은행 {ocr(acct)} 예금주 {who}", (ocr(acct),)),
            ("csv_cols", f"예금주,은행,계좌\n{who},{bank},{k}", (k,)),
            (
                "prose_far",
                f"환불 계좌 알려드립니다. 은행은 {bank}이고 예금주는 {who}, 번호는 아까 말씀드린 대로 {k} 입니다",
                (k,),
            ),
            (
                "hangul_digits",
                f"{bank} {''.join(HAN[int(c)] if c.isdigit() else c for c in acct)}",
                ("".join(HAN[int(c)] if c.isdigit() else c for c in acct),),
            ),
            ("x_sep", f"{bank} {acct.replace('-', ' / ')} {who}", (acct.replace("-", " / "),)),
            ("hex", f"{bank} acct_hex=" + acct.encode().hex(), (acct.encode().hex(),)),
            ("json_key", '{"refund": {"' + bank + " " + acct + '": 15000}}', (acct,)),
            ("invisible", f"{bank} " + "\u2060".join(acct), ("\u2060".join(acct),)),
        ]
        name, text, forms = T[i]
        extra: dict[str, Any] = {}
        if name == "turns":
            p = acct.split("-")
            extra["turns"] = [f"{bank} {p[0]}-{p[1]}", "다음은요?", f"{p[2]} 예금주 {who}"]
            text = "\n".join(extra["turns"])
        out.append(Case(f"bank-{name}", "BANKACCT", name, text, tuple(forms), k, form=name, extra=extra))
    return out


def card_cases() -> list[Case]:
    out = []
    for i in range(12):
        c = card()
        g = [c[j : j + 4] for j in range(0, 16, 4)]
        T = [
            ("keycaps", f"카드 {keycaps(' '.join(g))}", (keycaps(" ".join(g)),)),
            ("emoji", f"결제카드 {'💳'.join(g)}", ("💳".join(g),)),
            ("ocr", f"CARD NO {ocr(' '.join(g))}", (ocr(" ".join(g)),)),
            (
                "reverse_halves",
                f"카드 뒤 8자리 {g[2]} {g[3]} 먼저 드리고 앞 8자리는 {g[0]} {g[1]}",
                (f"{g[2]} {g[3]}",),
            ),
            ("turns", "", (f"{g[2]}-{g[3]}",)),
            ("x_sep", f"card {' x '.join(g)}", (" x ".join(g),)),
            ("hex", "pan_hex=" + c.encode().hex(), (c.encode().hex(),)),
            ("dingbat", "카드 " + "".join(DINGBAT[int(x)] for x in c), ("".join(DINGBAT[int(x)] for x in c),)),
            ("stripe_log", f"stripe.error.CardError: Your card number {c} was declined", (c,)),
            (
                "json_split",
                '{"card": {"n1": "' + g[0] + '", "n2": "' + g[1] + '", "n3": "' + g[2] + '", "n4": "' + g[3] + '"}}',
                (),
            ),
            ("pdf_broken", f"카 드 번 호 {g[0]}-{g[1]}-\n\n{g[2]}-{g[3]}  유효기간 12/29", (f"{g[2]}-{g[3]}",)),
            ("words", f"카드번호 {g[0]} 다시 {g[1]} 다시 {g[2]} 다시 {g[3]}", (f"{g[2]} 다시 {g[3]}",)),
        ]
        name, text, forms = T[i]
        extra: dict[str, Any] = {}
        if name == "turns":
            extra["turns"] = [f"카드번호 {g[0]}-{g[1]}", "네 계속", f"{g[2]}-{g[3]} 유효기간 03/28"]
            text = "\n".join(extra["turns"])
        out.append(Case(f"card-{name}", "CARD", name, text, tuple(forms), c, form=name, extra=extra))
    return out


def id_doc_cases() -> list[Case]:
    out = []
    for i in range(8):
        p = f"M{digits(8)}" if i % 2 else f"M{digits(3)}{R.choice('ABCDEFGH')}{digits(4)}"
        T = [
            ("pp_no", f"PP No. {p}", (p,)),
            (
                "far_label",
                f"여권 사본 보내드립니다. 출장자 {FIRST[i]}, 출국일 2026-12-20, 인천 출발. 귀국 후 정산 예정이며 호텔은 별도. 번호: {p}",
                (p,),
            ),
            ("hangul_m", f"여권번호 엠{p[1:]}", (p[1:],)),
            ("spaced", f"passport  {' '.join(p)}", (" ".join(p),)),
            ("json", '{"traveler": "' + FIRST[i] + '", "doc": {"type": "P", "no": "' + p + '"}}', (p,)),
            ("ocr", f"여권번호 {p[0]}{ocr(p[1:])}", (ocr(p[1:]),)),
            ("english", f"Passport number: {p.lower()}", (p.lower(),)),
            ("keycaps", f"여권 {p[0]}{keycaps(p[1:])}", (keycaps(p[1:]),)),
        ]
        name, text, forms = T[i]
        out.append(Case(f"passport-{name}", "PASSPORT", name, text, tuple(forms), p, form=name))
    for i in range(6):
        d = f"{R.choice(['11', '12', '13', '26', '28'])}-{digits(2)}-{digits(6)}-{digits(2)}"
        T = [
            ("dl_hash", f"DL# {d}", (d,)),
            ("english", f"Korean driver's license no. {d.replace('-', '')}", (d.replace("-", ""),)),
            ("spaced", f"운 전 면 허 {d.replace('-', ' ')}", (d.replace("-", " "),)),
            ("ocr", f"면허번호 {ocr(d)}", (ocr(d),)),
            ("keycaps", f"면허 {keycaps(d)}", (keycaps(d),)),
            ("reverse", f"면허번호 뒤 {d[6:]} / 앞 {d[:5]}", (d[6:],)),
        ]
        name, text, forms = T[i]
        out.append(Case(f"dl-{name}", "DRIVERLIC", name, text, tuple(forms), d.replace("-", ""), form=name))
    return out


def aws_cases() -> list[Case]:
    out = []
    for i in range(16):
        k = akia()
        T = [
            ("split_space", f"aws key {k[:10]} {k[10:]}", (k[:10] + " " + k[10:],)),
            ("shell_cont", f"export AWS_ACCESS_KEY_ID={k[:12]}\\\n{k[12:]}", (k[12:],)),
            ("ellipsis", f"키는 {k[:10]}…{k[10:]} 입니다(복붙하면 생략부호 지워주세요)", (k[10:],)),
            ("spaced_letters", f"access key: {' '.join(k)}", (" ".join(k),)),
            (
                "dashes",
                f"AWS_ACCESS_KEY_ID={'-'.join(k[j : j + 5] for j in range(0, 20, 5))}",
                ("-".join(k[j : j + 5] for j in range(0, 20, 5)),),
            ),
            ("prose_wrap", f"액세스키가 {k[:8]} 로 시작하고 그 뒤에 {k[8:]} 붙어요", (k[8:],)),
            (
                "cyrillic",
                "aws_access_key_id = " + k.translate(str.maketrans("AKIESC", "АКІЕЅС")),
                (k.translate(str.maketrans("AKIESC", "АКІЕЅС")),),
            ),
            ("hex", "key_hex=" + k.encode().hex(), (k.encode().hex(),)),
            ("reversed", f"rev: {k[::-1]}", (k[::-1],)),
            ("json_key", '{"' + k + '": {"user": "deploy", "created": "2026-01-02"}}', (k,)),
            ("path", f"/home/ubuntu/.aws/cache/{k}/credentials.json: permission denied", (k,)),
            ("turns", "", (k[10:],)),
            (
                "underscores",
                f"akid {'_'.join(k[j : j + 4] for j in range(0, 20, 4))}",
                ("_".join(k[j : j + 4] for j in range(0, 20, 4)),),
            ),
            (
                "fullwidth",
                "ＡＷＳキー " + "".join(chr(ord(ch) + 0xFEE0) for ch in k),
                ("".join(chr(ord(ch) + 0xFEE0) for ch in k),),
            ),
            ("invisible", "AKID=" + "\u2060".join(k), ("\u2060".join(k),)),
            ("lower_dashed", f"aws key: {k.lower()[:10]}-{k.lower()[10:]}", (f"{k.lower()[:10]}-{k.lower()[10:]}",)),
        ]
        name, text, forms = T[i]
        extra: dict[str, Any] = {}
        if name == "turns":
            extra["turns"] = [f"액세스 키 앞부분 {k[:10]}", "나머지도 주세요", f"{k[10:]}"]
            text = "\n".join(extra["turns"])
        out.append(Case(f"awskey-{name}", "AWSKEY", name, text, tuple(forms), k, form=name, extra=extra))
    for i in range(14):
        s = aws_secret()
        T = [
            ("split_space", f"aws_secret_access_key = {s[:20]} {s[20:]}", (s[:20], s[20:])),
            ("shell_cont", f"aws configure set aws_secret_access_key \\\n  {s[:25]}\\\n{s[25:]}", (s[:25],)),
            ("prose", f"시크릿은 {s[:20]} 그리고 이어서 {s[20:]} 입니다", (s[:20], s[20:])),
            ("ellipsis_mid", f"secret: {s[:19]}...{s[19:]}", (s[:19], s[19:])),
            (
                "dashes",
                "SECRET=" + "-".join(s[j : j + 8] for j in range(0, 40, 8)),
                ("-".join(s[j : j + 8] for j in range(0, 40, 8)),),
            ),
            ("hex", "aws_secret_hex " + s.encode().hex(), (s.encode().hex(),)),
            ("turns", "", (s[20:],)),
            ("json_key", '{"' + s + '": "prod"}', (s,)),
            ("spaced_letters", "secret key " + " ".join(s), (" ".join(s),)),
            (
                "md_table",
                f"| name | value |\n|---|---|\n| secret (1/2) | {s[:20]} |\n| secret (2/2) | {s[20:]} |",
                (s[:20], s[20:]),
            ),
            ("reversed", f"거꾸로: {s[::-1]}", (s[::-1],)),
            ("invisible", "aws_secret_access_key=" + s[:20] + "\u200b" + s[20:], (s[:20] + "\u200b" + s[20:],)),
            (
                "url_enc",
                "https://example.com/cb?secret=" + s.replace("/", "%2F").replace("+", "%2B"),
                (s.replace("/", "%2F").replace("+", "%2B"),),
            ),
            ("yaml_folded", f"aws:\n  secret: >-\n    {s[:20]}\n    {s[20:]}\n", (s[:20], s[20:])),
        ]
        name, text, forms = T[i]
        extra = {}
        if name == "turns":
            extra["turns"] = [f"secret key 앞 절반: {s[:20]}", "ㅇㅋ", f"뒤 절반: {s[20:]}"]
            text = "\n".join(extra["turns"])
        out.append(Case(f"awssecret-{name}", "AWSSECRET", name, text, tuple(forms), s, form=name, extra=extra))

    # session token, account ids, ARNs, resources, hosts, buckets
    def build() -> list:
        """The AWS rows, built again for each row: every case gets a fresh account id and token."""
        tok = "IQoJb3JpZ2luX2VjE" + alnum(300, string.ascii_letters + string.digits + "+/") + "=="
        acct = digits(12)
        acct = "4" + acct[1:]
        rows = [
            ("AWSTOKEN", "shell_cont", f"export AWS_SESSION_TOKEN={tok[:150]}\\\n{tok[150:]}", (tok[150:],)),
            ("AWSTOKEN", "split_space", f"session token: {tok[:100]} {tok[100:200]} {tok[200:]}", (tok[100:200],)),
            (
                "AWSACCOUNT",
                "console_dashed",
                f"AWS 계정 ID {acct[:4]}-{acct[4:8]}-{acct[8:]} 에 로그인",
                (f"{acct[:4]}-{acct[4:8]}-{acct[8:]}",),
            ),
            (
                "AWSACCOUNT",
                "spaced",
                f"account {acct[:4]} {acct[4:8]} {acct[8:]}",
                (f"{acct[:4]} {acct[4:8]} {acct[8:]}",),
            ),
            ("AWSACCOUNT", "prose_en", f"The prod account is {acct}, staging is the other one.", (acct,)),
            ("AWSACCOUNT", "json_principal", '{"Principal": {"AWS": "' + acct + '"}}', (acct,)),
            ("AWSACCOUNT", "hangul", f"프로덕션 어카운트 넘버 {acct}", (acct,)),
            ("ARN", "spaced_colons", f"role: arn : aws : iam : : {acct} : role/DeployRole", (f": {acct} :", acct)),
            ("ARN", "json_key", '{"arn:aws:iam::' + acct + ':role/Admin": ["read"]}', (acct,)),
            ("ARN", "fullwidth_colon", f"arn：aws：iam：：{acct}：role/Admin", (acct,)),
            (
                "ARN",
                "wrapped",
                f"assumed-role arn:aws:sts::{acct[:6]}\n{acct[6:]}:assumed-role/ci/gh",
                (f"{acct[:6]}\n{acct[6:]}",),
            ),
            ("AWSID", "upper", "인스턴스 I-0A1B2C3D4E5F67890 재시작", ("0A1B2C3D4E5F67890",)),
            ("AWSID", "underscore", "instance i_0a1b2c3d4e5f67891 stopped", ("0a1b2c3d4e5f67891",)),
            ("AWSID", "spaced", "vpc- 0f1e2d3c4b5a69788 에 붙여주세요", ("0f1e2d3c4b5a69788",)),
            ("AWSID", "ellipsis", "sg-0aa11bb22…cc33dd44e 열어줘", ("0aa11bb22",)),
            ("AWSHOST", "bare_ip_host", "노드 ip-10-20-3-17 NotReady 입니다", ("ip-10-20-3-17",)),
            (
                "AWSHOST",
                "rds_split",
                "DB_HOST=hanbit-prod.cluster-c9akciq32xyz\n.ap-northeast-2.rds.amazonaws.com",
                ("c9akciq32xyz", "hanbit-prod"),
            ),
            (
                "AWSHOST",
                "fullwidth_dot",
                "endpoint: hanbit-api．execute-api．ap-northeast-2．amazonaws．com",
                ("hanbit-api",),
            ),
            (
                "S3BUCKET",
                "yaml_bucket",
                "storage:\n  provider: s3\n  bucket: hanbit-prod-invoices\n  region: ap-northeast-2",
                ("hanbit-prod-invoices",),
            ),
            (
                "S3BUCKET",
                "tf_bucket",
                'resource "aws_s3_bucket" "inv" {\n  bucket = "hanbit-prod-payroll-2026"\n}',
                ("hanbit-prod-payroll-2026",),
            ),
            (
                "S3BUCKET",
                "env",
                "S3_BUCKET=cheongun-customer-uploads\nAWS_REGION=ap-northeast-2",
                ("cheongun-customer-uploads",),
            ),
            (
                "S3BUCKET",
                "cli_ls",
                "$ aws s3 ls\n2025-03-01 10:00:01 cheongun-hr-archive\n2025-03-02 11:00:01 cheongun-tfstate-prod",
                ("cheongun-hr-archive", "cheongun-tfstate-prod"),
            ),
            (
                "S3BUCKET",
                "console_url",
                "https://s3.console.aws.amazon.com/s3/buckets/hanbit-secret-exports?region=ap-northeast-2",
                ("hanbit-secret-exports",),
            ),
        ]
        return rows

    rows = [build()[j] for j in range(len(build()))]
    for cls, name, text, forms in rows:
        out.append(Case(f"{cls.lower()}-{name}", cls, name, text, tuple(forms), "", form=name))
    return out


def ip_cases() -> list[Case]:
    out = []
    for i in range(16):
        ip = ipv4()
        p = ip.split(".")
        T = [
            ("ideographic", f"서버 {'。'.join(p)}", ("。".join(p),)),
            ("comma", f"접속 IP {','.join(p)}", (",".join(p),)),
            ("dash_host", f"ssh로 {'-'.join(p)} 접속해봐", ("-".join(p),)),
            ("ptr", f"PTR {'.'.join(reversed(p))}.in-addr.arpa", (".".join(reversed(p)),)),
            ("cidr", f"보안그룹 인바운드 {ip}/32 허용", (ip,)),
            ("keycaps", f"IP {keycaps(ip)}", (keycaps(ip),)),
            ("words", f"아이피 {p[0]} 다시 {p[1]} 다시 {p[2]} 다시 {p[3]}", (f"{p[2]} 다시 {p[3]}",)),
            ("hex", f"peer=0x{''.join(f'{int(x):02X}' for x in p)}", (f"{''.join(f'{int(x):02X}' for x in p)}",)),
            ("json_key", '{"allow": {"' + ip + '": true}}', (ip,)),
            ("reverse_octets", f"서버 주소 뒤에서부터 {p[3]}.{p[2]}.{p[1]}.{p[0]}", (f"{p[3]}.{p[2]}.{p[1]}.{p[0]}",)),
            ("turns", "", (f"{p[2]}.{p[3]}",)),
            ("nginx_log", f'{ip} - - [07/Dec/2026:10:00:01 +0900] "GET / HTTP/1.1" 200 512', (ip,)),
            ("invisible", "host " + "\u2060".join(ip), ("\u2060".join(ip),)),
            (
                "dingbat",
                "서버 " + "".join(DINGBAT[int(x)] if x.isdigit() else x for x in ip),
                ("".join(DINGBAT[int(x)] if x.isdigit() else x for x in ip),),
            ),
            ("x_sep", f"DB {' x '.join(p)}", (" x ".join(p),)),
            ("filename", f"backup_{'_'.join(p)}_20261207.tar.gz", ("_".join(p),)),
        ]
        name, text, forms = T[i]
        extra: dict[str, Any] = {}
        if name == "turns":
            extra["turns"] = [f"서버 아이피 {p[0]}.{p[1]}.", "이어서", f"{p[2]}.{p[3]} 입니다"]
            text = "\n".join(extra["turns"])
        out.append(Case(f"ip-{name}", "IP", name, text, tuple(forms), "", form=name, extra=extra))
    v6 = ["2406:5900:1f:2a::17", "2001:2d8:e2a1:1b00::3f", "2404:f340:10:3::a1"]
    T6 = [
        ("ipv6_literal_net", f"\\\\{v6[0].replace(':', '-')}.ipv6-literal.net\\share", (v6[0].replace(":", "-"),)),
        ("fullwidth_colon", f"IPv6 {v6[1].replace(':', '：')}", (v6[1].replace(":", "："),)),
        ("spaced", f"v6 주소 {v6[2].replace(':', ' : ')}", (v6[2].replace(":", " : "),)),
        ("url_enc_zone", f"http://[{v6[0]}%25eth0]:8080/", (v6[0],)),
    ]
    for name, text, forms in T6:
        out.append(Case(f"ipv6-{name}", "IPV6", name, text, tuple(forms), "", form=name))
    return out


def password_cases() -> list[Case]:
    out = []
    T = [
        ("set_to", lambda p: (f"set DB_PASS to {p} and restart the api", (p,))),
        ("name_space", lambda p: (f"DB_PASS {p}", (p,))),
        ("prose_ko", lambda p: (f"스테이징 DB 비번 바꿨어요 이제 {p} 로 들어가시면 돼요", (p,))),
        ("spaced_label", lambda p: (f"비 밀 번 호 : {p}", (p,))),
        ("jamo_label", lambda p: (f"ㅂㅣㅁㅣㄹㅂㅓㄴㅎㅗ {p}", (p,))),
        ("typo_label", lambda p: (f"pasword: {p}", (p,))),
        ("typo_ko", lambda p: (f"비빌번호 {p}", (p,))),
        ("space_label", lambda p: (f"비밀 번호는 {p}", (p,))),
        (
            "next_para",
            lambda p: (f"관리자 페이지 로그인 정보 공유드립니다.\n\n아이디: admin\n\n{p}\n\n감사합니다.", (p,)),
        ),
        ("changed_to", lambda p: (f"The root password was changed to {p} yesterday.", (p,))),
        ("cli_flag", lambda p: (f"./deploy.sh --db-password {p} --env prod", (p,))),
        ("git_diff", lambda p: (f"-SMTP_PASS=changeme\n+SMTP_PASS {p}", (p,))),
        ("toml_quoted_key", lambda p: (f'[database]\n"pass word" = "{p}"', (p,))),
        ("ini_spaces", lambda p: (f"[mail]\nsmtp_password   {p}", (p,))),
        ("docker_arg", lambda p: (f"docker build --build-arg DB_PASS={p[:5]}\\\n{p[5:]} .", (p[5:],))),
        ("url_split", lambda p: (f"postgres://app:{p[:4]}\n{p[4:]}@db.internal:5432/bid", (p[4:],))),
        ("korean_ime", lambda p: ("비번 ㅂㅈㄷㄱ1234!!", ("ㅂㅈㄷㄱ1234!!",))),
        ("kakao_next", lambda p: (f"[박지훈] [오후 2:10] 와이파이 비번요?\n[이서연] [오후 2:11] {p}", (p,))),
        ("english_is", lambda p: (f"fyi wifi is {p}", (p,))),
        ("turns", lambda p: ("", (p,))),
        ("hex", lambda p: ("DB_PASSWORD_HEX=" + p.encode().hex(), (p.encode().hex(),))),
        ("spaced_letters", lambda p: (f"password: {' '.join(p)}", (" ".join(p),))),
        ("ellipsis_split", lambda p: (f"DB_PASSWORD={p[:5]}…{p[5:]}", (p[5:],))),
        ("shell_history", lambda p: (f"  501  export MYSQL_PWD {p}\n  502  mysql -u root", (p,))),
        ("k8s_env_from", lambda p: (f"env:\n- name: SPRING_DATASOURCE_PASSWORD\n  value: >-\n    {p}", (p,))),
        (
            "http_form",
            lambda p: (
                f"POST /login HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\nuser_id=admin&user_pw={p.replace('!', '%21').replace('#', '%23').replace('@', '%40').replace('$', '%24').replace('%', '%25') if False else p}",
                (p,),
            ),
        ),
        ("json_key", lambda p: ('{"passwords": {"' + p + '": "db"}}', (p,))),
        ("ko_colon_fw", lambda p: (f"암호：{p}", (p,))),
        ("paren_label", lambda p: (f"admin / {p} (관리자 계정)", (p,))),
        ("arrow", lambda p: (f"PW ➜ {p}", (p,))),
    ]
    for name, fn in T:
        p = password()
        text, forms = fn(p)
        extra: dict[str, Any] = {}
        if name == "turns":
            extra["turns"] = ["DB 비밀번호 알려주세요", "잠시만요", p]
            text = "\n".join(extra["turns"])
        out.append(Case(f"pw-{name}", "PASSWORD", name, text, tuple(forms), "", form=name, extra=extra))
    return out


def key_cases() -> list[Case]:
    out = []

    def build() -> list:
        """The key rows, built again for each row: every case gets a fresh key."""
        rsa_pem = pem_rsa()
        ssh_pem = pem_openssh()
        rb = key_body_lines(rsa_pem)
        sb = key_body_lines(ssh_pem)
        mid = rb[3]
        smid = sb[1]
        rows = [
            ("git_diff_plus", "\n".join("+" + ln for ln in rsa_pem.strip().splitlines()), (mid,)),
            (
                "email_quote",
                "> 키 보내드립니다\n" + "\n".join("> " + ln for ln in rsa_pem.strip().splitlines()),
                (mid,),
            ),
            ("comment_hash", "\n".join("# " + ln for ln in ssh_pem.strip().splitlines()), (smid,)),
            ("numbered", "\n".join(f"{j + 1:>3} | {ln}" for j, ln in enumerate(rsa_pem.strip().splitlines())), (mid,)),
            ("crlf", ssh_pem.replace("\n", "\r\n"), (smid,)),
            (
                "header_split",
                rsa_pem.replace("-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN RSA PRIVATE\nKEY-----"),
                (mid,),
            ),
            ("joined_oneline", "key=" + "".join(rb), ("".join(rb)[100:160],)),
            (
                "spaces_for_breaks",
                "-----BEGIN RSA PRIVATE KEY----- " + " ".join(rb) + " -----END RSA PRIVATE KEY-----",
                (mid,),
            ),
            ("body_middle_only", "키 중간 부분만 붙여요:\n" + "\n".join(rb[4:9]), (rb[5],)),
            (
                "hex_der",
                "der_hex: " + base64.b64decode("".join(rb))[:120].hex(),
                (base64.b64decode("".join(rb))[:120].hex()[40:120],),
            ),
            (
                "pgp",
                "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGX"
                + alnum(57, string.ascii_letters + string.digits + "+/")
                + "\n"
                + "\n".join(alnum(64, string.ascii_letters + string.digits + "+/") for _ in range(6))
                + "\n=Ab3x\n-----END PGP PRIVATE KEY BLOCK-----",
                (),
            ),
            ("json_escaped_crlf", '{"private_key": "' + rsa_pem.replace("\n", "\\r\\n") + '"}', (mid,)),
            ("md_fenced_tilde", "~~~\n" + ssh_pem + "~~~", (smid,)),
            ("base64_of_pem", "SSH_KEY_B64=" + b64(ssh_pem), (b64(ssh_pem)[40:120],)),
        ]
        pgp_line = rows[10][2]
        pgp_text = rows[10][1]
        rows[10] = ("pgp", pgp_text, pgp_line or (pgp_text.splitlines()[3],))
        return rows

    rows = [build()[j] for j in range(len(build()))]
    for name, text, forms in rows:
        out.append(Case(f"privkey-{name}", "PRIVATEKEY", name, text, tuple(forms), "", form=name))
    return out


def token_cases() -> list[Case]:
    out = []

    def build() -> list:
        """The token rows, built again for each row: every case gets fresh values (the proxy remembers values)."""
        an = string.ascii_letters + string.digits
        gh = "ghp_" + alnum(36)
        oa = "sk-proj-" + alnum(48, an + "-_")
        ant = "sk-ant-api03-" + alnum(93, an + "-_") + "AA"
        gg = "AIza" + alnum(35, an + "-_")
        st = "sk_live_" + alnum(24)
        sl = f"xoxb-{digits(11)}-{digits(13)}-{alnum(24)}"
        hdr = b64('{"alg":"HS256","typ":"JWT"}').rstrip("=").replace("+", "-").replace("/", "_")
        pl = b64('{"sub":"1029384756","name":"Kim","iat":1765000000}').rstrip("=").replace("+", "-").replace("/", "_")
        jwt = f"{hdr}.{pl}.{alnum(43, an + '-_')}"
        npm = "npm_" + alnum(36)
        kakao = "".join(R.choice("0123456789abcdef") for _ in range(32))
        naver_id = alnum(20)
        naver_sec = alnum(10, string.ascii_letters)
        g2b = b64(bytes(R.randrange(256) for _ in range(66)))
        g2b_enc = g2b.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
        rows = [
            ("GITHUB", "split_space", f"GH_TOKEN={gh[:18]} {gh[18:]}", (gh[18:],), gh),
            ("GITHUB", "ellipsis", f"토큰 {gh[:20]}…{gh[20:]}", (gh[20:],), gh),
            ("GITHUB", "dash_prefix", f"token ghp-{gh[4:]}", (gh[4:],), gh),
            ("GITHUB", "spaced_letters", f"github token: {' '.join(gh)}", (" ".join(gh),), gh),
            ("GITHUB", "prose_wrap", f"깃헙 토큰은 {gh[:14]} 으로 시작하고 뒤는 {gh[14:]} 입니다", (gh[14:],), gh),
            ("GITHUB", "remote_url", f"git remote set-url origin https://{gh}@github.com/hanbit/bid.git", (gh,), gh),
            (
                "OPENAI",
                "shell_cont",
                f"curl https://api.openai.com/v1/models \\\n  -H 'Authorization: Bearer {oa[:30]}\\\n{oa[30:]}'",
                (oa[30:],),
                oa,
            ),
            (
                "OPENAI",
                "underscores_inserted",
                f"OPENAI_API_KEY={'_'.join(oa[j : j + 8] for j in range(0, len(oa), 8))}",
                ("_".join(oa[j : j + 8] for j in range(0, len(oa), 8)),),
                oa,
            ),
            ("OPENAI", "turns", "", (oa[30:],), oa),
            ("OPENAI", "reversed", f"key (reversed) {oa[::-1]}", (oa[::-1],), oa),
            ("ANTHROPIC", "wrap_prose", f"클로드 키 {ant[:40]}\n{ant[40:]}\n이거 쓰세요", (ant[40:],), ant),
            ("ANTHROPIC", "hex", "k=" + ant.encode().hex(), (ant.encode().hex()[20:100],), ant),
            ("ANTHROPIC", "json_key", '{"' + ant + '": "team"}', (ant,), ant),
            ("ANTHROPIC", "invisible", "ANTHROPIC_API_KEY=" + ant[:30] + "\u2060" + ant[30:], (ant[30:],), ant),
            ("GOOGLE", "split_space", f"maps key {gg[:20]} {gg[20:]}", (gg[:20] + " " + gg[20:],), gg),
            (
                "GOOGLE",
                "html_attr",
                f'<script src="https://maps.googleapis.com/maps/api/js?key={gg[:4]}&#x200B;{gg[4:]}"></script>',
                (gg[4:],),
                gg,
            ),
            ("GOOGLE", "cyrillic", "GOOGLE_API_KEY=" + gg.replace("A", "А", 1), (gg.replace("A", "А", 1),), gg),
            ("STRIPE", "spaced", f"stripe secret: {st[:12]} {st[12:]}", (st[12:],), st),
            (
                "STRIPE",
                "fullwidth",
                "ストライプ " + "".join(chr(ord(c) + 0xFEE0) if c != "_" else "＿" for c in st),
                ("".join(chr(ord(c) + 0xFEE0) if c != "_" else "＿" for c in st),),
                st,
            ),
            ("SLACK", "split_dash", f"SLACK_BOT_TOKEN=xoxb - {sl[5:]}", (sl[5:],), sl),
            (
                "SLACK",
                "webhook_wrapped",
                f"https://hooks.slack.com/services/T{digits(8)}/B{digits(8)}/\n{alnum(24)}",
                (),
                "",
            ),
            (
                "JWT",
                "split_lines",
                f"Authorization: Bearer {hdr}.\n{pl}.\n{jwt.split('.')[2]}",
                (jwt.split(".")[2],),
                "",
            ),
            ("JWT", "cookie_no_label", f"Cookie: _ga=GA1.2.3; sid={jwt}", (jwt.split(".")[2],), ""),
            ("NPM", "npmrc_space", f"//registry.npmjs.org/:_authToken {npm}", (npm,), npm),
            ("NPM", "prose", f"npm 토큰 {npm[:20]} {npm[20:]} 로 publish 했어요", (npm[20:],), npm),
            ("KAKAO", "init_js", f"<script>Kakao.init('{kakao}'); Kakao.isInitialized();</script>", (kakao,), kakao),
            (
                "KAKAO",
                "manifest_scheme",
                f'<data android:host="oauth" android:scheme="kakao{kakao}" />',
                (kakao,),
                kakao,
            ),
            ("KAKAO", "spaced_label", f"카 카 오 REST 키 {kakao}", (kakao,), kakao),
            (
                "NAVER",
                "curl_headers",
                f"curl 'https://openapi.naver.com/v1/search/blog?query=x' -H 'X-Naver-Client-Id: {naver_id}' -H 'X-Naver-Client-Secret: {naver_sec}'",
                (naver_sec,),
                "",
            ),
            ("NAVER", "prose", f"네이버 API 시크릿은 {naver_sec} 이고 아이디는 {naver_id} 에요", (naver_sec,), ""),
            (
                "G2B",
                "url_serviceKey_split",
                f"http://apis.data.go.kr/1230000/BidPublicInfoService/getBidPblancListInfoServc?serviceKey={g2b_enc[:40]}\n{g2b_enc[40:]}&numOfRows=10",
                (g2b_enc[40:],),
                "",
            ),
            ("G2B", "bare_decoding_key", f"인증키(Decoding)\n{g2b}", (g2b,), ""),
            ("G2B", "ko_prose", f"공공데이터포털 키 {g2b[:44]} {g2b[44:]} 입니다", (g2b[:44], g2b[44:]), ""),
            ("G2B", "turns", "", (g2b[44:],), g2b),
        ]
        return rows

    rows = [build()[j] for j in range(len(build()))]
    for cls, name, text, forms, core in rows:
        extra: dict[str, Any] = {}
        if name == "turns":
            v = core
            extra["turns"] = [
                f"키 앞부분: {v[:30] if cls == 'OPENAI' else v[:44]}",
                "나머지는?",
                v[30:] if cls == "OPENAI" else v[44:],
            ]
            text = "\n".join(extra["turns"])
        out.append(
            Case(f"tok-{cls.lower()}-{name}", f"TOKEN_{cls}", name, text, tuple(forms), core, form=name, extra=extra)
        )
    return out


def secret_word_cases() -> list[Case]:
    s = SECRETS[0]
    rows = [
        ("spaced", "이번 입찰은 청 운 데 이 터 랩 과 컨소시엄", ("청 운 데 이 터 랩",)),
        ("zw", "참여사: 청\u200b운\u200b데이터랩", ("청\u200b운\u200b데이터랩",)),
        ("jamo", "ㅊㅓㅇㅇㅜㄴㄷㅔㅇㅣㅌㅓㄹㅐㅂ 에서 제출", ("ㅊㅓㅇㅇㅜㄴㄷㅔㅇㅣㅌㅓㄹㅐㅂ",)),
        ("hex", "company=" + s.encode().hex(), (s.encode().hex(),)),
        ("split_turn", "", ("한라봉 프로젝트",)),
    ]
    out = []
    for name, text, forms in rows:
        extra: dict[str, Any] = {}
        if name == "split_turn":
            extra["turns"] = ["이번 건 코드명은 한라봉", "뭐라고요?", "한라봉 프로젝트요"]
            text = "\n".join(extra["turns"])
        out.append(Case(f"secret-{name}", "SECRETWORD", name, text, tuple(forms), "", form=name, extra=extra))
    return out


def more_cases() -> list[Case]:
    """A second batch: the separators and places the first batch found open, tried in more shapes."""
    out = []
    for i, sep in enumerate(["★", "♥", "^", "*", "=", "~~", "▶", "ㆍㆍ"]):
        a, b, c = mobile()
        text = f"연락처 {a}{sep}{b}{sep}{c}"
        out.append(
            Case(
                f"more-phone-sep{i}",
                "PHONE",
                f"sep {sep}",
                text,
                (f"{a}{sep}{b}{sep}{c}",),
                a + b + c,
                form=f"sep {sep}",
            )
        )
    for i, sep in enumerate(["♥", "*", "▶"]):
        f, b = rrn()
        out.append(
            Case(
                f"more-rrn-sep{i}",
                "RRN",
                f"sep {sep}",
                f"주민번호 {f}{sep}{b}",
                (f"{f}{sep}{b}",),
                f + b,
                form=f"sep {sep}",
            )
        )
    c = card()
    g = [c[j : j + 4] for j in range(0, 16, 4)]
    out.append(Case("more-card-star", "CARD", "sep ★", "카드 " + "★".join(g), ("★".join(g),), c, form="sep ★"))
    pw = [password() for _ in range(8)]
    rows = [
        ("PASSWORD", "pgpassword_space", f"PGPASSWORD {pw[0]} psql -h db -U app", (pw[0],)),
        ("PASSWORD", "use_prose_en", f"Use {pw[1]} as the admin password for now.", (pw[1],)),
        ("PASSWORD", "ko_object", f"관리자 암호를 {pw[2]} 로 설정했습니다", (pw[2],)),
        ("PASSWORD", "label_after", f"{pw[3]} ← 이게 새 비번", (pw[3],)),
        ("PASSWORD", "yaml_no_colon_space", f"db:\n  user: app\n  pass:{pw[4]}", (pw[4],)),
        ("PASSWORD", "slack_code", f"jihoon.park  10:12 AM\n`{pw[5]}` 입니다 (stg db)", (pw[5],)),
        ("PASSWORD", "env_export_space", f"export DB_PASSWORD {pw[6]}", (pw[6],)),
        ("PASSWORD", "csv_header_pw", f"user,pw_hint,pw\nadmin,birthday,{pw[7]}", (pw[7],)),
        (
            "S3BUCKET",
            "boto3",
            "s3.upload_file('report.pdf', Bucket='hanbit-finance-reports', Key='2026/12/r.pdf')",
            ("hanbit-finance-reports",),
        ),
        (
            "S3BUCKET",
            "cfn",
            "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: cheongun-audit-logs-prod",
            ("cheongun-audit-logs-prod",),
        ),
        ("S3BUCKET", "ko_prose", "백업은 cheongun-db-backup 버킷에 올려주세요", ("cheongun-db-backup",)),
        (
            "AWSKEY",
            "md_code_split",
            "`AKIA` + `" + "".join(R.choice(string.ascii_uppercase + "234567") for _ in range(16)) + "`",
            (),
        ),
        ("EMAIL", "jjeom_net", "메일 minsu.kang 골뱅이 hanmail 쩜 net", ("minsu.kang 골뱅이",)),
        ("EMAIL", "eottae", "seoyeon.lee (at) hanbit-soft (쩜) co (쩜) kr", ("seoyeon.lee (at)",)),
        ("IP", "comma_label", "server ip: 211,45,67,89", ("211,45,67,89",)),
        ("IP", "semicolon", "DB 서버 175;211;34;9", ("175;211;34;9",)),
    ]
    mdk = rows[11]
    rows[11] = (mdk[0], mdk[1], mdk[2], (mdk[2].split("`")[3],))
    for cls, name, text, forms in rows:
        out.append(Case(f"more-{cls.lower()}-{name}", cls, name, text, tuple(forms), "", form=name))
    # a Naver client secret is 10 letters: whether it is masked turned out to depend on the value, so ten of them,
    # plus the one the first run let out
    for i in range(10):
        sec = "XsyqovOcYV" if i == 0 else alnum(10, string.ascii_letters)
        text = f"curl -H 'X-Naver-Client-Id: {alnum(20)}' -H 'X-Naver-Client-Secret: {sec}' https://openapi.naver.com/v1/search/news"
        out.append(Case(f"more-naver-{i}", "TOKEN_NAVER", "curl header", text, (sec,), "", form="curl header"))
    return out


def attacks() -> list[Case]:
    global R, _KEY_SEEDS
    R = random.Random(3636)
    _KEY_SEEDS = iter(range(10**6))
    cases = (
        rrn_cases()
        + phone_cases()
        + email_cases()
        + biz_cases()
        + bank_cases()
        + card_cases()
        + id_doc_cases()
        + aws_cases()
        + ip_cases()
        + password_cases()
        + key_cases()
        + token_cases()
        + secret_word_cases()
        + more_cases()
    )
    seen: dict[str, int] = {}
    for c in cases:
        if c.id in seen:
            seen[c.id] += 1
            c.id = f"{c.id}-{seen[c.id]}"
        else:
            seen[c.id] = 0
    return cases


# ---------------------------------------------------------------- ordinary texts (must pass unchanged)

from ordinary36 import ORDINARY  # noqa: E402


def ordinary() -> list[Case]:
    return [
        Case(f"ord-{cls}-{i}", cls, cls, text, (), "", ordinary=True, form=cls)
        for i, (cls, text) in enumerate(ORDINARY)
    ]
