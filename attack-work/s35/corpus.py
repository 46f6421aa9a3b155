"""Stop 35's red-team corpus against the masking layer (issue 24), written without reading the masker.

Every value is made up from one seeded `random.Random`; the same seed gives the same texts in every process.
`attacks()` plants values of a class in a written form inside a document of some format; `ordinary()` is text
that must go out unchanged (dates, amounts, notice numbers, versions, hashes, ...).

A `Case` carries the exact written forms planted (`forms`) and the value's canonical form (`core`: digits only for
numbers, the bare token otherwise); a runner calls a value leaked when a form or the core is seen upstream, also
after separators are removed (see `leaked`).
"""

from __future__ import annotations

import base64
import random
import re
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

SEED = 3535
SECRETS = ("청운데이터랩", "블루피시")  # the company's name and a project code word, passed to the masker


@dataclass(frozen=True)
class Case:
    id: str
    cls: str
    fmt: str
    text: str
    forms: tuple[str, ...] = ()
    core: str = ""
    ordinary: bool = False
    form: str = ""  # the renderer's name (how the value was written)
    extra: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- leak test

_HANGUL_DIGITS = {"공": "0", "영": "0", "일": "1", "이": "2", "삼": "3", "사": "4", "오": "5", "육": "6", "륙": "6"}
_HANGUL_DIGITS |= {"칠": "7", "팔": "8", "구": "9"}
_WORD_DIGITS = dict(
    zip(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"], "0123456789", strict=True)
)


def squash(text: str) -> str:
    """NFKC, lower case, only letters, digits and Hangul: what is left of a value once its separators are gone."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^0-9a-z가-힣]", "", text)


def digits_view(text: str) -> str:
    """`squash`, then Hangul numerals and English digit words read as digits, then digits only."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"\b(" + "|".join(_WORD_DIGITS) + r")\b", lambda m: _WORD_DIGITS[m.group(1)], text)
    text = "".join(_HANGUL_DIGITS.get(ch, ch) for ch in text)
    return re.sub(r"[^0-9]", "", text)


def leaked(case: Case, seen: str) -> str | None:
    """'form' when a planted written form is seen, 'core' when the value is seen once separators are removed,
    'tail' when the last 7 characters of a 12+ digit value are (the back half of a 주민번호, a card's last 7);
    None when nothing of it went out."""
    seen_n = unicodedata.normalize("NFKC", seen)
    for f in case.forms:
        if len(f) >= 6 and (f in seen or unicodedata.normalize("NFKC", f) in seen_n):
            return "form"
    if not case.core:
        return None
    core = squash(case.core)
    if core and core in squash(seen):
        return "core"
    if core.isdigit():
        dv = digits_view(seen)
        if core in dv:
            return "core"
        # the back half of a 주민번호 or the last group of an account alone is still the identifying part
        if len(core) >= 12 and core[-7:] in re.sub(r"[^0-9]", "", seen_n):
            return "tail"
    return None


# ---------------------------------------------------------------- values


def _d(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def rrn(rng: random.Random, *, foreign: bool = False, valid: bool = True) -> list[str]:
    year = rng.randint(1950, 2019)
    born = f"{year % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    base = (1 if year < 2000 else 3) + rng.randint(0, 1)
    gender = str(base + 4 if foreign else base)
    body = born + gender + _d(rng, 5)
    s = sum(int(c) * w for c, w in zip(body, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5], strict=True))
    check = (11 - s % 11) % 10
    if foreign:
        check = (13 - s % 11) % 10
    if not valid:
        check = (check + rng.randint(1, 9)) % 10
    return [born, body[6:] + str(check)]


def brn(rng: random.Random) -> list[str]:
    while True:
        body = str(rng.randint(101, 899)) + f"{rng.randint(1, 99):02d}" + _d(rng, 4)
        w = [1, 3, 7, 1, 3, 7, 1, 3, 5]
        s = sum(int(c) * x for c, x in zip(body, w, strict=True)) + (int(body[8]) * 5) // 10
        check = (10 - s % 10) % 10
        full = body + str(check)
        return [full[:3], full[3:5], full[5:]]


def crn(rng: random.Random) -> list[str]:
    body = f"{rng.randint(110, 285)}1{rng.randint(1, 9)}1" + _d(rng, 6)
    s = sum(int(c) * w for c, w in zip(body, [1, 2] * 6, strict=True))
    return [body[:6], body[6:] + str((10 - s % 10) % 10)]


def phone(rng: random.Random, kind: str) -> list[str]:
    if kind == "mobile":
        return ["010", _d(rng, 4), _d(rng, 4)]
    if kind == "seoul":
        return ["02", str(rng.randint(2, 9)) + _d(rng, 3), _d(rng, 4)]
    if kind == "area":
        return [rng.choice(["031", "032", "051", "053", "062", "064"]), str(rng.randint(2, 9)) + _d(rng, 2), _d(rng, 4)]
    if kind == "050x":
        return [rng.choice(["0502", "0504", "0505", "0507"]), str(rng.randint(1, 9)) + _d(rng, 3), _d(rng, 4)]
    return ["070", str(rng.randint(2, 9)) + _d(rng, 3), _d(rng, 4)]


def bank(rng: random.Random) -> tuple[str, list[str]]:
    name, shape = rng.choice(
        [
            ("국민은행", [6, 2, 6]),
            ("신한은행", [3, 3, 6]),
            ("농협", [3, 4, 4, 2]),
            ("카카오뱅크", [4, 2, 7]),
            ("우리은행", [4, 3, 6]),
            ("하나은행", [3, 6, 5]),
            ("IBK기업은행", [3, 6, 2, 3]),
        ]
    )
    groups = [_d(rng, n) for n in shape]
    groups[0] = str(rng.randint(1, 9)) + groups[0][1:]
    return name, groups


def card(rng: random.Random) -> list[str]:
    prefix = rng.choice(["4", "51", "52", "53", "54", "55", "9410", "3568"])
    body = prefix + _d(rng, 15 - len(prefix))
    total = 0
    for i, c in enumerate(reversed(body)):
        n = int(c)
        if i % 2 == 0:
            n *= 2
            n -= 9 if n > 9 else 0
        total += n
    full = body + str((10 - total % 10) % 10)
    return [full[i : i + 4] for i in range(0, 16, 4)]


def passport(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice("MSR") + _d(rng, 8)
    return rng.choice("MS") + _d(rng, 3) + rng.choice("ABCDEFGHJK") + _d(rng, 4)


def licence(rng: random.Random) -> list[str]:
    return [str(rng.randint(11, 28)), _d(rng, 2), _d(rng, 6), _d(rng, 2)]


_GIVEN = ["minsu", "jiyoung", "hyunwoo", "seoyeon", "dohyun", "eunji", "jaehyuk", "sora"]
_FAMILY = ["kim", "lee", "park", "choi", "jung", "kang", "yoon", "han"]
_DOMAINS = ["cheongun-lab.co.kr", "hanmail.net", "naver.com", "gmail.com", "bluefish.io", "corp-mail.kr"]


def email(rng: random.Random) -> str:
    local = rng.choice(_GIVEN) + rng.choice([".", "_", ""]) + rng.choice(_FAMILY) + _d(rng, rng.choice([0, 2]))
    return local + "@" + rng.choice(_DOMAINS)


def ipv4(rng: random.Random) -> str:
    return rng.choice(
        [
            f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"{rng.choice([3, 13, 43, 52, 121, 211])}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ]
    )


def ipv6(rng: random.Random) -> str:
    groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(6)]
    return rng.choice([f"2406:da12:{groups[0]}:{groups[1]}::{groups[2]}", "fd00:" + ":".join(groups) + ":1a2b"])


_B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _r(rng: random.Random, n: int, alphabet: str = _B62) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def aws_key(rng: random.Random) -> str:
    return rng.choice(["AKIA", "ASIA"]) + _r(rng, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def aws_secret(rng: random.Random) -> str:
    while True:
        s = _r(rng, 38, _B62 + "+/") + _r(rng, 2)
        if re.search(r"[a-z]", s) and re.search(r"[A-Z]", s) and re.search(r"[0-9]", s):
            return s


def provider_token(rng: random.Random) -> str:
    return rng.choice(
        [
            "ghp_" + _r(rng, 36),
            "github_pat_11" + _r(rng, 20) + "_" + _r(rng, 59),
            "xoxb-" + _d(rng, 12) + "-" + _d(rng, 13) + "-" + _r(rng, 24),
            "sk-proj-" + _r(rng, 48),
            "sk-ant-api03-" + _r(rng, 93, _B62 + "-_") + "AA",
            "glpat-" + _r(rng, 20),
            "AIza" + _r(rng, 35, _B62 + "-_"),
            "sk_live_" + _r(rng, 24),
            "hf_" + _r(rng, 34),
            "npm_" + _r(rng, 36),
        ]
    )


def password(rng: random.Random) -> str:
    return rng.choice(
        [
            _r(rng, 3, "ABCDEFGHJKLMNPQRSTUVWXYZ")
            + _r(rng, 4, "abcdefghijkmnopqrstuvwxyz")
            + _d(rng, 3)
            + rng.choice("!@#$%^&*"),
            rng.choice(["dkssud", "gksrmf", "tkfkd", "qkqh", "dlqckf"]) + _d(rng, 4) + rng.choice("!@#"),
            rng.choice(["Spring", "Winter", "Cheongun", "Bluefish"])
            + str(rng.randint(2019, 2026))
            + rng.choice("!@#$"),
            _r(rng, 14, _B62 + "!#%+=.-_"),
        ]
    )


def jwt(rng: random.Random) -> str:
    def b64(obj: str) -> str:
        return base64.urlsafe_b64encode(obj.encode()).decode().rstrip("=")

    payload = (
        '{"sub":"'
        + _d(rng, 8)
        + '","name":"'
        + rng.choice(_GIVEN)
        + '","iat":'
        + str(rng.randint(1700000000, 1760000000))
        + "}"
    )
    return b64('{"alg":"HS256","typ":"JWT"}') + "." + b64(payload) + "." + _r(rng, 43, _B62 + "-_")


def private_key(rng: random.Random) -> tuple[str, str]:
    body = "\n".join(_r(rng, 64, _B62 + "+/") for _ in range(6)) + "\n" + _r(rng, 20, _B62 + "+/") + "=="
    kind = rng.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "OPENSSH PRIVATE KEY", "EC PRIVATE KEY"])
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----", body.splitlines()[2]


# ---------------------------------------------------------------- written forms of digit groups

_UDASH = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63", "\uff0d", "\u30fc"]
_ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
_SP = ["\u00a0", "\u2009", "\u202f", "\u3000", "\u2002"]
_HNUM = "공일이삼사오육칠팔구"
_HNUM_YEONG = "영일이삼사오육칠팔구"
_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_CIRCLED = "⓪①②③④⑤⑥⑦⑧⑨"
_BOLD = "".join(chr(0x1D7CE + i) for i in range(10))
_SUPER = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def _map(s: str, table: str) -> str:
    return "".join(table[int(c)] if c.isdigit() else c for c in s)


def _fw(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


GroupRender = Callable[[random.Random, list[str]], str]

DIGIT_FORMS: dict[str, GroupRender] = {
    "dash": lambda r, g: "-".join(g),
    "bare": lambda r, g: "".join(g),
    "space": lambda r, g: " ".join(g),
    "dot": lambda r, g: ".".join(g),
    "udash": lambda r, g: r.choice(_UDASH).join(g),
    "middot": lambda r, g: r.choice(["·", "ㆍ", "・", "•", "∙"]).join(g),
    "fullwidth": lambda r, g: _fw("-".join(g)),
    "fullwidth_nodash": lambda r, g: _fw("".join(g)),
    "zwsp": lambda r, g: "-".join(r.choice(_ZW).join(x) for x in g),
    "unicode_space": lambda r, g: r.choice(_SP).join(g),
    "newline_in_group": lambda r, g: "-".join(g)[:5] + "\n" + "-".join(g)[5:],
    "hangul_num": lambda r, g: "-".join(_map(x, _HNUM) for x in g),
    "hangul_num_spaced": lambda r, g: " ".join(_map(x, _HNUM_YEONG) for x in g),
    "hangul_mixed": lambda r, g: "-".join(_map(x, _HNUM) if i % 2 else x for i, x in enumerate(g)),
    "english_words": lambda r, g: ", ".join(" ".join(_EN[int(c)] for c in x) for x in g),
    "html_entity": lambda r, g: "-".join("".join(f"&#{ord(c)};" for c in x) for x in g),
    "html_hex_entity": lambda r, g: "&#x2d;".join("".join(f"&#x{ord(c):x};" for c in x) for x in g),
    "pct": lambda r, g: "%2D".join(g),
    "pct_all": lambda r, g: "".join(f"%{ord(c):02X}" for c in "-".join(g)),
    "b64": lambda r, g: base64.b64encode("-".join(g).encode()).decode(),
    "hex": lambda r, g: "-".join(g).encode().hex(),
    "codespan": lambda r, g: "`" + "-".join(g) + "`",
    "letter_o": lambda r, g: "-".join(g).replace("0", "O").replace("1", "l"),
    "circled": lambda r, g: "-".join(_map(x, _CIRCLED) for x in g),
    "math_bold": lambda r, g: "-".join(_map(x, _BOLD) for x in g),
    "superscript": lambda r, g: "-".join(_map(x, _SUPER) for x in g),
    "per_digit_space": lambda r, g: " - ".join(" ".join(x) for x in g),
    "arabic_indic": lambda r, g: "-".join(_map(x, "٠١٢٣٤٥٦٧٨٩") for x in g),
    "hanja_num": lambda r, g: "-".join(_map(x, "〇一二三四五六七八九") for x in g),
    "md_bold_groups": lambda r, g: "-".join(f"**{x}**" for x in g),
    "md_code_groups": lambda r, g: "-".join(f"`{x}`" for x in g),
    "quoted_printable": lambda r, g: "=2D".join("".join(f"={ord(c):02X}" for c in x) for x in g),
    "js_hex_escape": lambda r, g: "\\x2d".join("".join(f"\\x{ord(c):02x}" for c in x) for x in g),
    "tilde": lambda r, g: "~".join(g),
    "slash_spaced": lambda r, g: " / ".join(g),
    "dot_spaced": lambda r, g: " . ".join(g),
    "paren_first": lambda r, g: "(" + g[0] + ") " + "-".join(g[1:]),
}


# ---------------------------------------------------------------- document formats

# Each format places `{v}` (the written value) after a label; `{L}` is the class's label in the format's idiom.
FORMATS: dict[str, str] = {
    "json": '{{"id": 10423, "applicant": "김하늘", "{L}": "{v}", "updated_at": "2024-11-02T09:13:44Z"}}',
    "json_pretty": '{{\n  "record": {{\n    "seq": 7,\n    "{L}": "{v}",\n    "status": "검토중"\n  }}\n}}',
    "yaml": 'applicant:\n  name: 김하늘\n  {L}: "{v}"\n  region: 서울특별시 강남구\n',
    "env": "APP_ENV=production\nCONTACT_{L}={v}\nLOG_LEVEL=info\n",
    "toml": '[contact]\nname = "김하늘"\n{L} = "{v}"\nupdated = 2024-11-02\n',
    "nginx": '211.36.1.20 - - [07/Dec/2026:10:12:01 +0900] "GET /api/apply?{L}={v}&lang=ko HTTP/1.1" 200 512 "-" "Mozilla/5.0"',
    "journald": "Dec 07 10:12:01 web-01 app[2231]: INFO signup ok {L}={v} took=12ms",
    "cloudtrail": '{{"eventVersion":"1.08","eventName":"PutItem","requestParameters":{{"item":{{"{L}":{{"S":"{v}"}}}}}}}}',
    "k8s_event": "LAST SEEN   TYPE      REASON   OBJECT          MESSAGE\n2m          Warning   Failed   pod/api-7d9f   validation failed for {L} {v}",
    "csv": "이름,부서,{L},입사일\n김하늘,영업팀,{v},2021-03-02\n",
    "tsv": "name\tteam\t{L}\tjoined\n김하늘\tsales\t{v}\t2021-03-02\n",
    "sql": "INSERT INTO applicants (name, {L}, created_at) VALUES ('김하늘', '{v}', '2024-11-02 09:13:44');",
    "shell": "$ curl -s https://intra.example/api/users?{L}={v}\n$ history | tail -3",
    "stacktrace": 'Traceback (most recent call last):\n  File "app/views.py", line 88, in submit\n    validate(form)\nValueError: invalid {L}: {v}',
    "md_table": "| 항목 | 내용 |\n|---|---|\n| 성명 | 김하늘 |\n| {L} | {v} |\n| 비고 | 없음 |",
    "email_sig": "감사합니다.\n\n김하늘 | 영업팀 과장\n{L} {v}\n서울특별시 강남구 테헤란로 1",
    "kakaotalk": "[김하늘] [오후 3:12] 아 그거요\n[김하늘] [오후 3:12] {L} {v}\n[박지훈] [오후 3:13] 넵 감사합니다",
    "slack": "jihoon.park  10:12 AM\n{L} 알려주세요\nhaneul.kim  10:13 AM\n{v} 요",
    "prose_ko": "안녕하세요. 지난번 말씀드린 건으로 연락드립니다. {L}는 {v}이고, 확인 부탁드립니다.",
    "resume": "이 력 서\n성    명: 김하늘\n{L}: {v}\n주    소: 경기도 성남시 분당구\n학    력: 한국대학교 졸업",
    "bid_doc": "입찰참가신청서\n공고번호: 20241234567-00\n상호: 주식회사 가나다\n{L}: {v}\n입찰금액: 123,450,000원",
    "bizreg": "사 업 자 등 록 증\n(법인사업자)\n등록번호 : {v}\n법인명(단체명) : 주식회사 가나다\n개업연월일 : 2015 년 03 월 02 일",
    "ocr": "성 명  김 하 늘\n{L}  {v}\n발 급 일 자  2 0 2 4 . 1 1 . 0 2",
    "particle": "{L} {v}로 연락 주세요",
}

# Labels per class family in English (code-ish) and Korean; a format with ASCII keys gets the English one.
_ASCII_FORMATS = {
    "json",
    "json_pretty",
    "yaml",
    "env",
    "toml",
    "nginx",
    "journald",
    "cloudtrail",
    "k8s_event",
    "tsv",
    "sql",
    "shell",
    "stacktrace",
}
LABELS: dict[str, tuple[str, str]] = {
    "RRN": ("jumin_no", "주민등록번호"),
    "FRN": ("alien_reg_no", "외국인등록번호"),
    "BRN": ("biz_no", "사업자등록번호"),
    "CRN": ("corp_reg_no", "법인등록번호"),
    "PHONE": ("phone", "연락처"),
    "BANK": ("account_no", "계좌번호"),
    "CARD": ("card_no", "카드번호"),
    "LICENCE": ("driver_license", "운전면허번호"),
}


def _url_safe(fmt: str, v: str) -> str:
    return urllib.parse.quote(v, safe="") if fmt in {"nginx", "shell"} else v


def _json_safe(fmt: str, v: str) -> str:
    if fmt in {"json", "json_pretty", "cloudtrail"}:
        return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if fmt in {"yaml", "toml"}:
        return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return v


def _place(fmt: str, cls: str, v: str, label: str | None = None) -> str:
    en, ko = LABELS.get(cls, ("value", "값"))
    lab = label or (en if fmt in _ASCII_FORMATS else ko)
    if fmt == "env":
        lab = lab.upper()
    return FORMATS[fmt].format(L=lab, v=_json_safe(fmt, _url_safe(fmt, v)))


# ---------------------------------------------------------------- builders


def _digit_cases(
    rng: random.Random, cls: str, make: Callable[[], list[str]], n: int, *, bare_formats: bool = True
) -> list[Case]:
    cases = []
    forms = list(DIGIT_FORMS)
    fmts = [f for f in FORMATS if bare_formats or f != "bizreg"]
    for i in range(n):
        groups = make()
        fname = forms[i % len(forms)]
        fmt = fmts[rng.randrange(len(fmts))]
        if cls not in {"BRN"} and fmt == "bizreg":
            fmt = "md_table"
        written = DIGIT_FORMS[fname](rng, groups)
        text = _place(fmt, cls, written)
        cases.append(Case(f"{cls}-{i:03d}", cls, fmt, text, (written, "-".join(groups)), "".join(groups), form=fname))
    return cases


def _split_cases(rng: random.Random, cls: str, make: Callable[[], list[str]], label_ko: str, prefix: str) -> list[Case]:
    """The groups of one value typed into separate fields, cells or messages."""
    out = []
    shapes = [
        lambda g: (
            '{"'
            + prefix
            + '1": "'
            + g[0]
            + '", "'
            + prefix
            + '2": "'
            + g[1]
            + '"'
            + (', "' + prefix + '3": "' + g[2] + '"' if len(g) > 2 else "")
            + "}"
        ),
        lambda g: "| " + label_ko + " | " + " | ".join(g) + " |\n|---|" + "---|" * len(g),
        lambda g: (
            "\n".join(f"[김하늘] [오후 3:1{k}] {x}" for k, x in enumerate(g))
            + f"\n[박지훈] [오후 3:19] {label_ko} 받았습니다"
        ),
        lambda g: f'{prefix} = "' + '" + "'.join(g) + '"  # ' + label_ko,
        lambda g: f"{label_ko}: " + "\n".join(g),
        lambda g: f"{label_ko} 앞자리는 {g[0]} 이고요 나머지는 " + " ".join(g[1:]) + " 입니다",
        lambda g: "<tr><td>" + label_ko + "</td>" + "".join(f"<td>{x}</td>" for x in g) + "</tr>",
        lambda g: f"SELECT CONCAT('{g[0]}', '-', '" + "', '-', '".join(g[1:]) + f"') AS {prefix};",
    ]
    for i, shape in enumerate(shapes):
        groups = make()
        text = shape(groups)
        out.append(Case(f"{cls}-split-{i:02d}", cls, "split", text, ("-".join(groups),), "".join(groups), form="split"))
    _ = rng
    return out


def _string_forms(rng: random.Random, v: str) -> dict[str, str]:
    half = len(v) // 2
    return {
        "plain": v,
        "codespan": "`" + v + "`",
        "wrapped": v[:half] + "\n" + v[half:],
        "concat": '"' + v[:half] + '" + "' + v[half:] + '"',
        "b64": base64.b64encode(v.encode()).decode(),
        "hex": v.encode().hex(),
        "pct": urllib.parse.quote(v, safe=""),
        "zwsp": "\u200b".join([v[:6], v[6:12], v[12:]]),
        "fullwidth": _fw(v),
        "html_entity": "".join(f"&#{ord(c)};" for c in v[:8]) + v[8:],
        "spaced4": " ".join(v[i : i + 4] for i in range(0, len(v), 4)),
        "quoted_json_escaped": "".join(f"\\u{ord(c):04x}" if i % 3 == 0 else c for i, c in enumerate(v)),
    }


_TOKEN_CONTEXTS = [
    "AWS_ACCESS_KEY_ID={v}",
    '{{"Credentials": {{"AccessKeyId": "{v}", "Expiration": "2026-12-07T10:00:00Z"}}}}',
    "[default]\naws_access_key_id = {v}\nregion = ap-northeast-2",
    "$ export KEY={v}\n$ aws s3 ls",
    "배포 키 이거 쓰세요 {v}",
    "| name | value |\n|---|---|\n| key | {v} |",
    "2026-12-07T10:12:01Z ERROR auth failed for key {v} (403)",
    "```\n{v}\n```",
    "token: {v}",
    "{v}",
]


def _token_cases(rng: random.Random, cls: str, make: Callable[[], str], n: int) -> list[Case]:
    out = []
    for i in range(n):
        v = make()
        forms = _string_forms(rng, v)
        fname = list(forms)[i % len(forms)]
        written = forms[fname]
        ctx = _TOKEN_CONTEXTS[rng.randrange(len(_TOKEN_CONTEXTS))]
        if ctx.startswith('{{"') and fname in {"wrapped", "concat", "quoted_json_escaped"}:
            ctx = "token: {v}"
        text = ctx.format(v=written)
        out.append(Case(f"{cls}-{i:03d}", cls, ctx.split("{")[0][:12] or "bare", text, (written, v), v, form=fname))
    return out


def _email_cases(rng: random.Random, n: int) -> list[Case]:
    def forms(e: str) -> dict[str, str]:
        local, dom = e.split("@")
        return {
            "plain": e,
            "fullwidth_at": local + "＠" + dom,
            "ideographic_dot": e.replace(".", "。"),
            "brackets": local + " [at] " + dom.replace(".", " [dot] "),
            "paren": local + "(at)" + dom.replace(".", "(dot)"),
            "korean": local + " 골뱅이 " + dom.replace(".", " 점 "),
            "pct": urllib.parse.quote(e, safe=""),
            "mailto": "mailto:" + e.replace("@", "%40"),
            "html": e.replace("@", "&#64;").replace(".", "&#46;"),
            "zwsp": local + "\u200b@\u200b" + dom,
            "spaced": " ".join(e),
            "b64": base64.b64encode(e.encode()).decode(),
            "codespan": "`" + e + "`",
            "split_json": '"' + local + '", "@", "' + dom + '"',
            "angle": "김하늘 <" + e + ">",
            "wrapped": local + "@\n" + dom,
            "at_sign_word": local + " at " + dom.replace(".", " dot "),
            "fullwidth_all": _fw(e),
        }

    contexts = [
        "메일 주소: {v}",
        "From: {v}\nSubject: 입찰 건",
        "email={v}",
        "연락은 {v}로 부탁드립니다",
        '{{"email": "{v}"}}',
        "cc: {v}; team@example",
    ]
    out = []
    for i in range(n):
        e = email(rng)
        fs = forms(e)
        fname = list(fs)[i % len(fs)]
        written = fs[fname]
        ctx = contexts[rng.randrange(len(contexts))]
        if ctx.startswith('{{"') and '"' in written:
            ctx = "메일 주소: {v}"
        out.append(
            Case(
                f"EMAIL-{i:03d}",
                "EMAIL",
                ctx[:8],
                ctx.format(v=written),
                (written, e),
                e.split("@")[0] + e.split("@")[1],
                form=fname,
            )
        )
    return out


def _ip_cases(rng: random.Random, n: int) -> list[Case]:
    contexts = [
        "ssh ubuntu@{v}",
        "서버 주소는 {v} 입니다",
        "upstream backend {{ server {v}:8080; }}",
        '{{"sourceIPAddress": "{v}", "eventName": "ConsoleLogin"}}',
        '{v} - - [07/Dec/2026:10:12:01 +0900] "GET / HTTP/1.1" 200 12',
        "Dec 07 10:12:01 bastion sshd[881]: Accepted publickey for deploy from {v} port 52114 ssh2",
        "DB_HOST={v}",
        "| host | {v} |",
        "접속 IP {v}에서 로그인 실패",
        "inet {v}/24 brd 10.0.0.255 scope global eth0",
    ]
    out = []
    for i in range(n):
        v = ipv6(rng) if i % 4 == 3 else ipv4(rng)
        renders = {
            "plain": v,
            "fullwidth": _fw(v),
            "defanged": v.replace(".", "[.]"),
            "hangul_dot": v.replace(".", " 점 "),
            "zwsp": v.replace(".", ".\u200b"),
            "b64": base64.b64encode(v.encode()).decode(),
            "pct": urllib.parse.quote(v, safe=""),
            "ideographic_dot": v.replace(".", "。"),
            "codespan": "`" + v + "`",
            "url": "http://" + (f"[{v}]" if ":" in v else v) + ":8443/admin",
        }
        fname = list(renders)[i % len(renders)]
        written = renders[fname]
        ctx = contexts[rng.randrange(len(contexts))]
        out.append(Case(f"IP-{i:03d}", "IP", ctx[:10], ctx.format(v=written), (written, v), v, form=fname))
    return out


def _aws_misc_cases(rng: random.Random) -> list[Case]:
    out = []
    for i in range(14):
        acct = _d(rng, 12)
        role = rng.choice(["DeployRole", "cheongun-ci", "AdminAccess", "lambda-exec-prod"])
        arn = f"arn:aws:iam::{acct}:role/{role}"
        texts = [
            (f"Account: {acct}", acct),
            (f'{{"Arn": "{arn}", "UserId": "AROA{_r(rng, 17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}"}}', acct),
            (f"{acct}.dkr.ecr.ap-northeast-2.amazonaws.com/api:1.4.2", acct),
            (f"aws sts assume-role --role-arn {arn} --role-session-name ci", acct),
            (f"계정 {acct[:4]}-{acct[4:8]}-{acct[8:]} 에서 결제가 발생했습니다", acct),
            (f"https://sqs.ap-northeast-2.amazonaws.com/{acct}/orders-queue", acct),
            (f"arn:aws:s3:::cheongun-{_d(rng, 4)}-backup/{acct}/dump.sql.gz", acct),
            (f"Principal: {{ AWS: 'arn:aws:iam::{acct}:root' }}", acct),
            (f'aws_account_id = "{acct}"', acct),
            (f"AWS 계정 ID는 {' '.join(acct[i : i + 4] for i in (0, 4, 8))}입니다", acct),
            (f"account%3D{acct}%26region%3Dap-northeast-2", acct),
            (f"arn:aws:lambda:ap-northeast-2:{acct}:function:{role}", acct),
            (f"| 계정 | {acct} |", acct),
            (f"OwnerId: '{acct}'", acct),
        ]
        text, v = texts[i]
        out.append(Case(f"AWSACCOUNT-{i:03d}", "AWSACCOUNT", "aws", text, (v,), v, form=str(i)))
    return out


def _password_cases(rng: random.Random) -> list[Case]:
    ctxs = [
        "DB_PASSWORD={v}",
        'spring:\n  datasource:\n    username: app\n    password: "{v}"',
        '{{"db": {{"user": "app", "pwd": "{v}"}}}}',
        "$ mysql -u root -p{v} -h db.internal bidradar",
        "$ PGPASSWORD='{v}' psql -h 10.0.3.7 -U app",
        "비번은 {v} 입니다. 바꾸지 마세요",
        "[박지훈] [오후 3:13] 관리자 계정 admin / {v}",
        "와이파이 비밀번호: {v}",
        "postgres://app:{v}@db.internal:5432/bidradar",
        "$ sshpass -p '{v}' ssh deploy@bastion",
        'password = "{v}"  # TODO: vault로 옮기기',
        "암호 {v}",
        "the admin login is admin and the pass is {v} for now",
        "ID: cheongun / PW: {v}",
        '<add key="DbPassword" value="{v}" />',
        "redis-cli -h cache -a {v} ping",
        "mongodb+srv://svc:{v}@cluster0.ab1cd.mongodb.net/app",
        "비밀번호는 `{v}`",
        "pw는 {v}",
        "비밀번호를 {v}로 바꿨어요",
        "ALTER USER app WITH PASSWORD '{v}';",
        '- name: DB_PASS\n  value: "{v}"',
        "docker login -u cheongun -p {v} registry.example",
        "curl -u admin:{v} https://jenkins.internal/api/json",
        "패스워드 : {v}",
        "접속정보\n아이디 cheongun_admin\n비밀번호 {v}",
        'conn = pymysql.connect("db.internal", "app", "{v}", "bid")',
        "HTTP Basic: " + "{v}",
    ]
    out = []
    for i, ctx in enumerate(ctxs):
        v = password(rng)
        if "{v}" in ctx and ctx.startswith("HTTP Basic"):
            token = base64.b64encode(f"admin:{v}".encode()).decode()
            text = f"Authorization: Basic {token}"
            out.append(Case(f"PASSWORD-{i:03d}", "PASSWORD", "basic", text, (v, token), v, form="basic"))
            continue
        text = ctx.format(v=v)
        out.append(Case(f"PASSWORD-{i:03d}", "PASSWORD", ctx[:12], text, (v,), v, form=ctx[:12]))
    return out


def _conn_cases(rng: random.Random) -> list[Case]:
    out = []
    for i in range(10):
        pw = password(rng).replace("@", "x").replace("%", "y").replace("/", "z").replace(":", "q")
        host = rng.choice(["db-prod.cheongun.internal", "10.20.3.41", "pg.bluefish.io"])
        text = rng.choice(
            [
                f"DATABASE_URL=postgresql://bid_app:{pw}@{host}:5432/bidradar",
                f"jdbc:mysql://{host}:3306/bid?user=app&password={urllib.parse.quote(pw)}",
                f"Server={host};Database=bid;User Id=sa;Password={pw};",
                f"redis://:{pw}@{host}:6379/0",
                f"amqp://svc:{urllib.parse.quote(pw, safe='')}@{host}/vhost",
                f'"ConnectionStrings": {{"Default": "Host={host};Username=app;Password={pw}"}}',
            ]
        )
        out.append(
            Case(f"CONNSTR-{i:03d}", "CONNSTR", "conn", text, (pw, urllib.parse.quote(pw, safe="")), pw, form="conn")
        )
    return out


def _private_key_cases(rng: random.Random) -> list[Case]:
    out = []
    for i in range(6):
        pem, line = private_key(rng)
        ctx = [
            "{v}",
            "key.pem 내용 붙여요\n```\n{v}\n```",
            '{{"private_key": "{vj}"}}',
            "ssh_private_key: |\n  {vi}",
            "{v}",
            "[김하늘] [오후 3:12] {v}",
        ][i]
        text = ctx.format(v=pem, vj=pem.replace("\n", "\\n"), vi=pem.replace("\n", "\n  "))
        out.append(Case(f"PRIVKEY-{i:03d}", "PRIVKEY", "pem", text, (line,), line, form=str(i)))
    return out


def _secret_word_cases(rng: random.Random) -> list[Case]:
    name, code = SECRETS
    forms = [
        (name, name),
        ("(주)" + name, name),
        ("㈜" + name, name),
        (name + " 주식회사", name),
        ("청운 데이터랩", name),
        ("청운\u200b데이터랩", name),
        ("청 운 데 이 터 랩", name),
        ("청운데이터랩의", name),
        (base64.b64encode(name.encode()).decode(), name),
        (urllib.parse.quote(name), name),
        ("".join(f"&#{ord(c)};" for c in name), name),
        ("청운\n데이터랩", name),
        (code, code),
        ("블루 피시", code),
        ("블루피시는", code),
        ("`블루피시`", code),
        ('"블루" + "피시"', code),
        ("Project 블루피시", code),
    ]
    ctxs = [
        "제안사: {v}",
        "우리 {v} 컨소시엄 구성안입니다",
        '{{"bidder": "{v}"}}',
        "| 업체명 | {v} |",
        "{v} 건 가격 전략 메모",
    ]
    out = []
    for i, (written, core) in enumerate(forms):
        ctx = ctxs[i % len(ctxs)]
        if ctx.startswith('{{"') and ('"' in written or "\n" in written):
            ctx = "제안사: {v}"
        out.append(
            Case(f"SECRETWORD-{i:03d}", "SECRETWORD", ctx[:6], ctx.format(v=written), (written,), core, form=str(i))
        )
    return out


def _passport_cases(rng: random.Random) -> list[Case]:
    ctxs = [
        "여권번호: {v}",
        "Passport No. {v}",
        '{{"passport_no": "{v}", "nationality": "KOR"}}',
        "| 성명 | 여권번호 | 만료일 |\n|---|---|---|\n| 김하늘 | {v} | 2031-05-02 |",
        "출장자 여권 번호는 {v}입니다",
        "[김하늘] [오후 3:12] 여권 {v}",
        "passport,name\n{v},KIM HANEUL",
        "여 권 번 호  {v}",
    ]
    renders: list[Callable[[str], str]] = [
        lambda v: v,
        lambda v: v[0] + " " + v[1:5] + " " + v[5:],
        lambda v: _fw(v),
        lambda v: v.lower(),
        lambda v: v[0] + "-" + v[1:],
        lambda v: "\u200b".join(v),
        lambda v: v,
        lambda v: v,
    ]
    out = []
    for i, ctx in enumerate(ctxs):
        v = passport(rng)
        written = renders[i](v)
        out.append(Case(f"PASSPORT-{i:03d}", "PASSPORT", ctx[:8], ctx.format(v=written), (written, v), v, form=str(i)))
    return out


def _jwt_cases(rng: random.Random) -> list[Case]:
    ctxs = [
        "Authorization: Bearer {v}",
        '{{"access_token": "{v}", "token_type": "Bearer"}}',
        "curl -H 'Authorization: Bearer {v}' https://api.internal/me",
        "https://app.example/callback#id_token={v}&state=xyz",
        "토큰 만료된 것 같아요 {v}",
        "Cookie: session={v}; Path=/",
    ]
    out = []
    for i, ctx in enumerate(ctxs):
        v = jwt(rng)
        written = v if i != 4 else v[:60] + "\n" + v[60:]
        sig = v.split(".")[2]
        out.append(Case(f"JWT-{i:03d}", "JWT", ctx[:10], ctx.format(v=written), (written, sig), sig, form=str(i)))
    return out


def _bank_cases(rng: random.Random, n: int) -> list[Case]:
    out = []
    forms = list(DIGIT_FORMS)
    ctxs = [
        "입금 계좌: {b} {v} (예금주 김하늘)",
        "{b} {v} 김하늘",
        '{{"bank": "{b}", "account": "{v}"}}',
        "[김하늘] [오후 3:12] {b} {v} 으로 보내주세요",
        "환불계좌 {v} ({b})",
        "| 은행 | 계좌번호 |\n|---|---|\n| {b} | {v} |",
        "계좌 {v}",
        "받는분 계좌번호는 {b}, {v}입니다",
    ]
    for i in range(n):
        name, groups = bank(rng)
        fname = forms[i % len(forms)]
        written = DIGIT_FORMS[fname](rng, groups)
        ctx = ctxs[rng.randrange(len(ctxs))]
        if ctx.startswith('{{"') or ctx.startswith("|"):
            written = written.replace("\n", " ")
        out.append(
            Case(
                f"BANK-{i:03d}",
                "BANK",
                ctx[:8],
                ctx.format(b=name, v=written),
                (written, "-".join(groups)),
                "".join(groups),
                form=fname,
            )
        )
    return out


def _phone_cases(rng: random.Random, n: int) -> list[Case]:
    out = []
    forms = list(DIGIT_FORMS)
    kinds = ["mobile", "seoul", "area", "050x", "070"]
    extra_ctx = [
        "연락처 {v}로 연락주세요",
        "{v}로 전화 주세요",
        "담당자: 김하늘 과장 (T. {v})",
        "tel:{v}",
        "휴대폰 번호는{v}이에요",
        "[김하늘] [오후 3:12] 제 번호 {v}",
        "Mobile {v}",
        "phone,name\n{v},김하늘",
        "010 말고 {v} 으로",
        "{v}",
    ]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        groups = phone(rng, kind)
        fname = forms[(i // len(kinds) + i) % len(forms)]
        written = DIGIT_FORMS[fname](rng, groups)
        if i % 3 == 0:
            text = _place(list(FORMATS)[rng.randrange(len(FORMATS) - 1)], "PHONE", written)
            fmt = "fmt"
        else:
            text = extra_ctx[rng.randrange(len(extra_ctx))].format(v=written)
            fmt = "ctx"
        out.append(
            Case(f"PHONE-{kind}-{i:03d}", "PHONE", fmt, text, (written, "-".join(groups)), "".join(groups), form=fname)
        )
    # +82 forms
    for i in range(10):
        g = phone(rng, "mobile" if i % 2 == 0 else "seoul")
        rest = [g[0][1:], *g[1:]]
        written = rng.choice(["+82 ", "+82-", "+82.", "(+82) ", "0082-", "+８２ "]) + rng.choice(["-", " ", "."]).join(
            rest
        )
        core = "".join(rest)
        out.append(
            Case(
                f"PHONE-intl-{i:03d}",
                "PHONE",
                "intl",
                f"WhatsApp {written} 로 연락 바랍니다",
                (written,),
                core,
                form="intl",
            )
        )
    return out


def _brief_cases(rng: random.Random) -> list[Case]:
    """Written forms named in the brief and a few more that real forms, consoles and chats produce."""
    out: list[Case] = []

    def add(cls: str, text: str, forms: tuple[str, ...], core: str, form: str) -> None:
        out.append(Case(f"{cls}-x{len(out):03d}", cls, "special", text, forms, core, form=form))

    g = phone(rng, "mobile")
    add("PHONE", f"{'-'.join(g)}로 연락 주세요", ("-".join(g),), "".join(g), "particle")
    b, t = rrn(rng)
    add("RRN", f"주민번호는{b}-{t}이고 주소는 서울입니다", (f"{b}-{t}",), b + t, "particle_glued")
    g = phone(rng, "mobile")
    add(
        "PHONE",
        f"https://intra.example/member/join?tel1={g[0]}&tel2={g[1]}&tel3={g[2]}&agree=Y",
        (),
        "".join(g),
        "query_split",
    )
    b, t = rrn(rng)
    add("RRN", f"POST /api/verify?jumin1={b}&jumin2={t} HTTP/1.1", (), b + t, "query_split")
    b, t = rrn(rng)
    add("RRN", f"GET /files/scan/{b}-{t}/id_card.png 200", (f"{b}-{t}",), b + t, "url_path")
    b, t = rrn(rng)
    add("RRN", f"GET /download?file=%EC%A3%BC%EB%AF%BC_{b}%2D{t}.pdf", (f"{b}%2D{t}",), b + t, "url_pct_filename")
    acct = _d(rng, 12)
    dashed = f"{acct[:4]}-{acct[4:8]}-{acct[8:]}"
    add("AWSACCOUNT", f"cheongun-admin @ {dashed}\nSwitch role  Sign out", (dashed,), acct, "console_header")
    add("AWSACCOUNT", f"Account ID: {dashed}", (dashed,), acct, "console_account_id")
    c = card(rng)
    add("CARD", f"카드 {' '.join(c)} 유효기간 09/28 CVC {_d(rng, 3)}", (" ".join(c),), "".join(c), "card_cvc")
    c = card(rng)
    add("CARD", f'="{c[0]}"&"-"&"{c[1]}"&"-{c[2]}-{c[3]}"', (), "".join(c), "excel_concat")
    kb = "3333" + _d(rng, 9)
    add(
        "BANK",
        f"여기로 보내주세요 {kb[:4]}-{kb[4:6]}-{kb[6:]} 김하늘",
        (f"{kb[:4]}-{kb[4:6]}-{kb[6:]}",),
        kb,
        "kakao_no_word",
    )
    acc = "110" + _d(rng, 9)
    add(
        "BANK",
        f"입금처: {acc[:3]}-{acc[3:6]}-{acc[6:]} (예금주 김하늘)",
        (f"{acc[:3]}-{acc[3:6]}-{acc[6:]}",),
        acc,
        "depositor_no_bank",
    )
    pw = password(rng)
    add(
        "PASSWORD",
        f"https://intra.example/login?id=admin&pw={urllib.parse.quote(pw, safe='')}",
        (urllib.parse.quote(pw, safe=""), pw),
        pw,
        "url_query_pw",
    )
    pw = password(rng)
    add("PASSWORD", f"비번은{pw}이고 아이디는 admin이에요", (pw,), pw, "particle_glued_pw")
    pw = password(rng)
    add("PASSWORD", f"-  db_password: old-value\n+  db_password: {pw}", (pw,), pw, "diff")
    g = phone(rng, "mobile")
    add("PHONE", f"-  phone: 010-0000-0000\n+  phone: {'-'.join(g)}", ("-".join(g),), "".join(g), "diff")
    g = phone(rng, "mobile")
    add("PHONE", f"H.P {'.'.join(g)} | E. team@cheongun-lab.co.kr", (".".join(g),), "".join(g), "sig_hp")
    g = phone(rng, "mobile")
    add("PHONE", f'phones = ["{g[0]}", "{g[1]}", "{g[2]}"]  # 김하늘 휴대폰', (), "".join(g), "json_array")
    g = phone(rng, "mobile")
    add("PHONE", f"tel1,tel2,tel3,name\n{g[0]},{g[1]},{g[2]},김하늘", (), "".join(g), "csv_columns")
    b, t = rrn(rng)
    add(
        "RRN",
        f"[김하늘] [오후 3:12] {b}\n[김하늘] [오후 3:12] {t}\n[박지훈] [오후 3:13] 주민번호 확인했습니다",
        (),
        b + t,
        "kakao_two_messages",
    )
    b, t = rrn(rng)
    add("RRN", f"생년월일 {b} / 성별 {t[0]} / 뒷자리 {t[1:]}", (), b + t, "gender_apart")
    ip = ipv4(rng)
    add("IP", f"서버 {ip}에서 502 에러", (ip,), ip, "particle_ip")
    ip = ipv4(rng)
    add("IP", f"접속 주소는 {ip.replace('.', '점')}입니다", (ip.replace(".", "점"),), ip, "hangul_dot_nospace")
    e = email(rng)
    add(
        "EMAIL",
        f"메일: {e.split('@')[0]} 골뱅이 {e.split('@')[1]}",
        (),
        e.split("@")[0] + e.split("@")[1],
        "korean_at_only",
    )
    k = aws_key(rng)
    add("AWSKEY", f"키: {k[:10]}\n{k[10:]}", (k,), k, "wrapped_label")
    sk = aws_secret(rng)
    add("AWSSECRET", f'secret = "{sk[:20]}" \\\n  "{sk[20:]}"', (), sk, "concat_continuation")
    return out


def _public_material(rng: random.Random) -> list[tuple[str, str]]:
    """(a self-signed Ed25519 certificate's PEM, an OpenSSH public key line): public, and deterministic (Ed25519
    signs without randomness; the key comes from the seeded stream)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.x509.oid import NameOID

    out = []
    for _ in range(3):
        key = Ed25519PrivateKey.from_private_bytes(bytes(rng.randrange(256) for _ in range(32)))
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "api.example.org")])
        start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(rng.randrange(1, 2**63))
            .not_valid_before(start)
            .not_valid_after(start + datetime.timedelta(days=365))
            .sign(key, None)
        )
        pem = cert.public_bytes(serialization.Encoding.PEM).decode()
        ssh = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        out.append((pem, "authorized_keys:\n" + ssh.decode() + " deploy@bastion"))
    return out


def _mrz_check(field: str) -> str:
    values = {c: i for i, c in enumerate("0123456789")} | {chr(65 + i): 10 + i for i in range(26)} | {"<": 0}
    return str(sum(values[c] * (7, 3, 1)[i % 3] for i, c in enumerate(field)) % 10)


def _more_cases(rng: random.Random) -> list[Case]:
    """Second round: encodings of config files and APIs, infrastructure names that carry an id, this product's own
    keys (data.go.kr), and a few written forms of e-mail and IP addresses."""
    out: list[Case] = []

    def add(cls: str, text: str, forms: tuple[str, ...], core: str, form: str) -> None:
        out.append(Case(f"{cls}-y{len(out):03d}", cls, "more", text, forms, core, form=form))

    sk = aws_secret(rng).replace("+", "/")
    sk = sk[:10] + "/" + sk[11:25] + "/" + sk[26:]
    add(
        "AWSSECRET", '{"aws_secret": "' + sk.replace("/", "\\/") + '"}', (sk.replace("/", "\\/"),), sk, "php_json_slash"
    )
    pw = "Cheongun/" + _d(rng, 4) + "/x!"
    add("PASSWORD", '{"db_password":"' + pw.replace("/", "\\/") + '"}', (pw.replace("/", "\\/"),), pw, "php_json_slash")
    pem, line = private_key(rng)
    add("PRIVKEY", "PRIVATE_KEY=" + pem.replace("\n", " "), (line,), line, "pem_one_line")
    pem, line = private_key(rng)
    add("PRIVKEY", pem.replace("\n", "\r\n"), (line,), line, "pem_crlf")
    pem, line = private_key(rng)
    b64pem = base64.b64encode(pem.encode()).decode()
    add(
        "PRIVKEY",
        f"apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.key: {b64pem}",
        (b64pem[40:100], line),
        line,
        "k8s_tls_b64",
    )
    acct = _d(rng, 12)
    add("AWSACCOUNT", f"s3://cdk-hnb659fds-assets-{acct}-ap-northeast-2/asset.zip", (acct,), acct, "cdk_bucket")
    acct = _d(rng, 12)
    add("AWSACCOUNT", f"Uploaded to aws-cloudtrail-logs-{acct}-3f9a1c2b", (acct,), acct, "trail_bucket")
    acct = _d(rng, 12)
    add("AWSACCOUNT", f"bucket: cheongun-backup-{acct}", (acct,), acct, "bucket_suffix")
    tok = "ghp_" + _r(rng, 36)
    add("TOKEN", f"git remote set-url origin https://{tok}@github.com/cheongun/bid.git", (tok,), tok, "git_remote")
    tok = "ghp_" + _r(rng, 36)
    add(
        "TOKEN",
        f'[remote "origin"]\n\turl = https://cheongun-bot:{tok}@github.com/cheongun/bid.git',
        (tok,),
        tok,
        "gitconfig",
    )
    hook = f"T{_r(rng, 10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/B{_r(rng, 10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/{_r(rng, 24)}"
    add(
        "TOKEN",
        f"SLACK_WEBHOOK=https://hooks.slack.com/services/{hook}",
        (hook.split("/")[2],),
        hook.split("/")[2],
        "slack_webhook",
    )
    dh = f"{_d(rng, 19)}/{_r(rng, 68, _B62 + '-_')}"
    add(
        "TOKEN",
        f"알림 웹훅 https://discord.com/api/webhooks/{dh}",
        (dh.split("/")[1],),
        dh.split("/")[1],
        "discord_webhook",
    )
    tg = f"{rng.randint(10**9, 7 * 10**9)}:AA{_r(rng, 33, _B62 + '-_')}"
    add("TOKEN", f"bot = telegram.Bot('{tg}')", (tg,), tg.split(":")[1], "telegram")
    key = base64.b64encode(bytes(rng.randrange(256) for _ in range(64))).decode()
    enc = urllib.parse.quote(key, safe="")
    add(
        "TOKEN",
        f"GET http://apis.data.go.kr/1230000/BidPublicInfoService/getBidPblancListInfoServc?serviceKey={enc}&numOfRows=100&pageNo=1&type=json",
        (enc, key),
        key,
        "datagokr_url",
    )
    key = base64.b64encode(bytes(rng.randrange(256) for _ in range(64))).decode()
    add("TOKEN", f"params = {{'ServiceKey': '{key}', 'numOfRows': 100, 'inqryDiv': 1}}", (key,), key, "datagokr_params")
    key = _r(rng, 64, "0123456789abcdef")
    add("TOKEN", f"공공데이터포털 일반 인증키(Decoding): {key}", (key,), key, "datagokr_hex")
    add("EMAIL", "담당: 김하늘@청운데이터랩.한국", ("김하늘@청운데이터랩.한국",), "김하늘청운데이터랩한국", "idn_email")
    e = email(rng)
    add(
        "EMAIL",
        f"From: =?UTF-8?B?6rmA7ZWY64qY?= <{e.upper()}>",
        (e.upper(),),
        e.split("@")[0] + e.split("@")[1],
        "upper",
    )
    e = email(rng)
    local, dom = e.split("@")
    add("EMAIL", f"{local}+bids@{dom}", (f"{local}+bids@{dom}",), local + "bids" + dom, "plus_tag")
    ip = ipv4(rng)
    add("IP", f"{ip.replace('.', '-')}.default.pod.cluster.local", (ip.replace(".", "-"),), ip, "k8s_pod_dns")
    ip = ipv4(rng)
    add("IP", f"allow {ip}/32;", (ip,), ip, "cidr")
    ip = ipv4(rng)
    add("IP", f"{ip.replace('.', '_')} 서버 재부팅", (ip.replace(".", "_"),), ip, "underscore_ip")
    g = [f"{rng.randint(0, 0xFFFF):04X}" for _ in range(6)]
    v6 = "2406:DA12:" + ":".join(g)
    add("IP", f"ListenAddress {v6}", (v6,), v6, "ipv6_upper")
    ip = ipv4(rng)
    add("IP", f"서버 아이피 {ip.replace('.', ' . ')}", (ip.replace(".", " . "),), ip, "dot_spaced_ip")
    b, t = rrn(rng)
    add("RRN", f"주민등록번호\t{b}\t-\t{t}", (), b + t, "tsv_three_cells")
    b, t = rrn(rng)
    add("RRN", f"주민번호: {b}-{t[0]}{t[1:]}".replace("-", " - "), (f"{b} - {t}",), b + t, "dash_spaced")
    g = phone(rng, "mobile")
    add("PHONE", f"연락처: {' - '.join(g)}", (" - ".join(g),), "".join(g), "dash_spaced")
    g = phone(rng, "seoul")
    add("PHONE", f"☎ {'-'.join(g)} (내선 {_d(rng, 3)})", ("-".join(g),), "".join(g), "extension")
    g = phone(rng, "mobile")
    add(
        "PHONE",
        f"010{g[1]}{g[2]}번으로 문자 주세요".replace("010", "공일공"),
        (f"공일공{g[1]}{g[2]}",),
        "010" + g[1] + g[2],
        "hangul_prefix_digits",
    )
    _, groups = bank(rng)
    add("BANK", f"가상계좌 {''.join(groups)} (입금기한 12/10)", ("".join(groups),), "".join(groups), "virtual_account")
    _, groups = bank(rng)
    add("BANK", f"KB {'-'.join(groups)} Kim Haneul", ("-".join(groups),), "".join(groups), "english_bank")
    c = card(rng)
    add(
        "CARD",
        f'{{"number": "{"".join(c)}", "exp_month": 9, "exp_year": 2028}}',
        ("".join(c),),
        "".join(c),
        "stripe_json",
    )
    c = card(rng)
    add("CARD", f"결제카드 {c[0]}-{c[1]}-{c[2]}-{c[3]} 로 결제했어요", ("-".join(c),), "".join(c), "particle")
    pin = _d(rng, 4)
    add("PASSWORD", f"카드 비밀번호 {pin}", (), pin, "card_pin")
    pin = _d(rng, 6)
    add("PASSWORD", f"공인인증서 비번 {pin}이에요", (), pin, "cert_pin")
    pp = rng.choice("MS") + _d(rng, 8)
    birth, expiry = "880101", "300101"
    line2 = f"{pp}{_mrz_check(pp)}KOR{birth}{_mrz_check(birth)}F{expiry}{_mrz_check(expiry)}"
    line2 += "<" * (42 - len(line2)) + "0" + _mrz_check(line2[:10] + line2[13:20] + line2[21:43].ljust(22, "<"))
    mrz = "PMKORKIM<<HANEUL" + "<" * 28 + "\n" + line2
    add("PASSPORT", mrz, (pp,), pp, "mrz")
    g = phone(rng, "mobile")
    add("PHONE", f'이름,연락처\n김하늘,="{"".join(g)}"', ("".join(g),), "".join(g), "excel_formula")
    b, t = rrn(rng)
    add("RRN", f"성명,주민번호\n김하늘,'{b}{t}", (b + t,), b + t, "excel_apostrophe")
    g = phone(rng, "mobile")
    add("PHONE", f"아이디 kim{''.join(g)} 로 가입했어요", ("".join(g),), "".join(g), "phone_in_login_id")
    g = phone(rng, "mobile")
    add("PHONE", f"메일 {''.join(g)}@naver.com 으로 보내주세요", ("".join(g),), "".join(g), "phone_as_email_local")
    k = "AKIA" + _r(rng, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    add(
        "AWSKEY",
        f"https://cheongun-files.s3.ap-northeast-2.amazonaws.com/a.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={k}%2F20261207%2Fap-northeast-2%2Fs3%2Faws4_request&X-Amz-Date=20261207T101201Z&X-Amz-Expires=3600&X-Amz-Signature={_r(rng, 64, '0123456789abcdef')}",
        (k,),
        k,
        "presigned_url",
    )
    ak = base64.b64encode(bytes(rng.randrange(256) for _ in range(64))).decode()
    add(
        "TOKEN",
        f"DefaultEndpointsProtocol=https;AccountName=cheongunfiles;AccountKey={ak};EndpointSuffix=core.windows.net",
        (ak,),
        ak,
        "azure_conn",
    )
    ip = ipv4(rng)
    add("IP", f"NAT64 64:ff9b::{ip} 로 나갑니다", (ip,), ip, "nat64")
    acc = "110" + _d(rng, 9)
    add("BANK", f"입금자명 김하늘 / {acc} / 50,000원", (acc,), acc, "memo_no_bank")
    b, t = rrn(rng)
    add("RRN", f"첨부: 김하늘_{b}-{t}_주민등록등본.pdf", (f"{b}-{t}",), b + t, "filename")
    # passwords and keys the way chats and configs carry them (round 4)
    contexts = [
        "[박지훈] [오후 3:12] 관리자 비번 알려드릴게요\n[박지훈] [오후 3:12] {v}\n[김하늘] [오후 3:13] 감사합니다",
        "jihoon.park  10:12 AM\npw 알려드려요\njihoon.park  10:12 AM\n{v}",
        "로그인 ID admin PW {v}",
        "wifi: CHEONGUN_5G / {v}",
        "my password is {v} lol",
        "the password for the staging DB is {v}, don't share",
        "  - MYSQL_ROOT_PASSWORD={v}",
        "helm upgrade api ./chart --set auth.password={v}",
        "spring.datasource.password={v}",
        "ansible_become_pass: {v}",
        "비번 바꿨어요 → {v}",
        "비밀번호: 1차 {v} (최초 로그인 후 변경)",
    ]
    for ctx in contexts:
        pw = password(rng)
        add("PASSWORD", ctx.format(v=pw), (pw,), pw, "chat_config")
    hexkey = _r(rng, 32, "0123456789abcdef")
    add("TOKEN", f"curl -H 'X-API-Key: {hexkey}' https://api.example.org/v1/bids", (hexkey,), hexkey, "x_api_key_hex")
    sec = _r(rng, 10)
    add(
        "TOKEN", f"-H 'X-Naver-Client-Id: {_r(rng, 20)}' -H 'X-Naver-Client-Secret: {sec}'", (sec,), sec, "naver_secret"
    )
    kk = _r(rng, 32, "0123456789abcdef")
    add("TOKEN", f"Authorization: KakaoAK {kk}", (kk,), kk, "kakao_ak")
    # round 5: values read out in pieces, and reversed octets of DNS
    ip = ipv4(rng)
    rev = ".".join(reversed(ip.split("."))) + ".in-addr.arpa"
    add("IP", f"PTR {rev} -> mail.cheongun-lab.co.kr", (rev,), ip, "in_addr_arpa")
    c = card(rng)
    add("CARD", f"카드번호 앞자리 {c[0]} {c[1]}, 뒷자리 {c[2]} {c[3]}", (), "".join(c), "halves_words")
    _, groups = bank(rng)
    add(
        "BANK",
        f"계좌는 국민은행 {groups[0]} 하고 뒤에 {' '.join(groups[1:])} 이에요",
        (),
        "".join(groups),
        "halves_words",
    )
    g = phone(rng, "mobile")
    add("PHONE", f"{g[0]}에 {g[1]}에 {g[2]}로 전화주세요", (), "".join(g), "e_between_digits")
    g = phone(rng, "mobile")
    add("PHONE", f"번호 불러드릴게요 {g[0]} 하고 {g[1]} 하고 {g[2]}", (), "".join(g), "hago_between")
    g = phone(rng, "mobile")
    add("PHONE", f"BEGIN:VCARD\nFN:김하늘\nTEL;TYPE=CELL:{'-'.join(g)}\nEND:VCARD", ("-".join(g),), "".join(g), "vcard")
    # round 6: an address told in two parts, an IPv4 in English number words (a stream of their own, so the cases
    # after these keep their values)
    r6 = random.Random(SEED + 6)
    e = email(r6)
    local, dom = e.split("@")
    add("EMAIL", f"메일은 {local} 뒤에 @{dom} 붙이면 돼요", (local,), "", "told_apart")
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    octets = [10, r6.randint(0, 12), r6.randint(0, 12), r6.randint(1, 12)]
    spoken = " dot ".join(words[o] for o in octets)
    add("IP", f"IP: {spoken}", (spoken,), "", "english_number_words")
    # The company's name romanised, in jamo, or a spelling variant is not among the profile's words: a masker cannot
    # know it, so those are not planted here (noted in the report).
    hi = _d(rng, 11)
    add("HEALTHINS", f"건강보험증번호 {hi}", (hi,), hi, "plain")
    hi = _d(rng, 11)
    add("HEALTHINS", f"건강보험 번호는 {hi[:5]}-{hi[5:]}입니다", (f"{hi[:5]}-{hi[5:]}",), hi, "dash")
    return out


# Separators a keyboard, a word processor, a PDF or an OCR engine puts between digit groups.
SEPARATORS = {
    "fw_slash": "／",
    "box_h": "─",
    "box_heavy": "━",
    "hyphen_bullet": "⁃",
    "fw_tilde": "～",
    "wave_dash": "〜",
    "colon": ":",
    "pipe": "|",
    "comma": ",",
    "apostrophe": "'",
    "small_em_dash": "﹘",
    "two_em_dash": "⸺",
    "modifier_minus": "˗",
    "hw_prolonged": "ｰ",
    "spaced_em_dash": " — ",
    "double_hyphen": "--",
    "plus": "+",
    "hash": "#",
    "backslash": "\\",
    "ideographic_comma": "、",
    "arrow": "→",
}


def _separator_sweep(rng: random.Random) -> list[Case]:
    out = []
    for name, sep in SEPARATORS.items():
        for cls, label, make in (
            ("PHONE", "연락처", lambda: phone(rng, "mobile")),
            ("RRN", "주민번호", lambda: rrn(rng)),
            ("BRN", "사업자번호", lambda: brn(rng)),
            ("CRN", "법인등록번호", lambda: crn(rng)),
            ("CARD", "카드번호", lambda: card(rng)),
            ("BANK", "국민은행 계좌", lambda: bank(rng)[1]),
        ):
            groups = make()
            written = sep.join(groups)
            out.append(
                Case(
                    f"{cls}-sep-{name}",
                    cls,
                    "sep",
                    f"{label} {written}",
                    (written,),
                    "".join(groups),
                    form="sep:" + name,
                )
            )
    return out


# ---------------------------------------------------------------- the corpus


def attacks() -> list[Case]:
    rng = random.Random(SEED)
    cases: list[Case] = []
    nf = len(DIGIT_FORMS)  # every class gets every written form at least once
    cases += _digit_cases(rng, "RRN", lambda: rrn(rng), nf + 6)
    cases += _digit_cases(rng, "RRN_BADCHECK", lambda: rrn(rng, valid=False), nf // 2)
    cases += _digit_cases(rng, "FRN", lambda: rrn(rng, foreign=True), nf)
    cases += _digit_cases(rng, "FRN_BADCHECK", lambda: rrn(rng, foreign=True, valid=False), nf // 3)
    cases += _split_cases(rng, "RRN", lambda: rrn(rng), "주민번호", "jumin")
    cases += _digit_cases(rng, "BRN", lambda: brn(rng), nf)
    cases += _digit_cases(rng, "CRN", lambda: crn(rng), nf)
    cases += _phone_cases(rng, nf * 2)
    cases += _split_cases(rng, "PHONE", lambda: phone(rng, "mobile"), "연락처", "tel")
    cases += _bank_cases(rng, nf)
    cases += _digit_cases(rng, "CARD", lambda: card(rng), nf)
    cases += _split_cases(rng, "CARD", lambda: card(rng), "카드번호", "card")
    cases += _digit_cases(rng, "LICENCE", lambda: licence(rng), nf)
    cases += _passport_cases(rng)
    cases += _email_cases(rng, 30)
    cases += _ip_cases(rng, 24)
    cases += _aws_misc_cases(rng)
    cases += _token_cases(rng, "AWSKEY", lambda: aws_key(rng), 14)
    cases += _token_cases(rng, "AWSSECRET", lambda: aws_secret(rng), 14)
    cases += _token_cases(rng, "TOKEN", lambda: provider_token(rng), 26)
    cases += _jwt_cases(rng)
    cases += _password_cases(rng)
    cases += _conn_cases(rng)
    cases += _private_key_cases(rng)
    cases += _secret_word_cases(rng)
    cases += _brief_cases(rng)
    cases += _more_cases(rng)
    cases += _separator_sweep(rng)
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases


def ordinary() -> list[Case]:
    rng = random.Random(SEED + 1)
    texts: list[tuple[str, str]] = []

    def add(cls: str, text: str) -> None:
        texts.append((cls, text))

    for _ in range(8):
        y, m, d = rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28)
        add("date", f"접수기간: {y}-{m:02d}-{d:02d} 10:00 ~ {y}.{m:02d}.{d:02d} 18:00, 개찰일시 {y}년 {m}월 {d}일 11시")
    for _ in range(8):
        no = f"{rng.randint(2019, 2025)}{_d(rng, 7)}-{rng.randint(0, 3):02d}"
        add(
            "notice_no",
            f"[공고] 입찰공고번호 {no} 「{rng.choice(['정보시스템 유지보수', '청사 청소용역', 'CCTV 설치공사'])}」 재공고",
        )
    for _ in range(8):
        no = f"R{rng.randint(24, 26)}{rng.choice(['BK', 'TE', 'DD'])}{_d(rng, 8)}"
        add("notice_no", f"공고번호: {no}-000, 계약방법: 제한경쟁, 추정가격: {rng.randint(10, 900) * 1000000:,}원")
    for _ in range(8):
        amt = rng.randint(10_000_000, 9_999_999_999)
        add(
            "amount",
            f"기초금액 {amt:,}원 (부가세 포함), 예가 범위 ±3%, 낙찰하한율 87.745%, 배정예산 {amt + 1_000_000}원",
        )
    for _ in range(6):
        add(
            "version",
            f"bidradar {rng.randint(0, 3)}.{rng.randint(0, 20)}.{rng.randint(0, 30)} / python 3.11.{rng.randint(0, 9)} / node v20.{rng.randint(1, 18)}.{rng.randint(0, 3)} / 빌드 {rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(1000, 9999)}",
        )
    for _ in range(6):
        u = "-".join(_r(rng, n, "0123456789abcdef") for n in (8, 4, 4, 4, 12))
        h = _r(rng, 40, "0123456789abcdef")
        add(
            "uuid_hash",
            f"commit {h}\nrequest_id={u} trace=00-{_r(rng, 32, '0123456789abcdef')}-{_r(rng, 16, '0123456789abcdef')}-01",
        )
    for _ in range(6):
        add(
            "k8s",
            f'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-config\n  namespace: prod\n  resourceVersion: "{rng.randint(100000000, 999999999)}"\n  uid: {"-".join(_r(rng, n, "0123456789abcdef") for n in (8, 4, 4, 4, 12))}\n  generation: {rng.randint(1, 40)}\ndata:\n  LOG_LEVEL: info\n  MAX_BODY_BYTES: "{rng.randint(1, 64) * 1048576}"',
        )
    for _ in range(6):
        ts = rng.randint(1_700_000_000, 1_790_000_000)
        add(
            "timestamp",
            f"ts={ts} ts_ms={ts}{_d(rng, 3)} elapsed_ns={rng.randint(10**9, 10**11)} created=2026-12-07T10:12:01.{_d(rng, 6)}+09:00",
        )
    for _ in range(6):
        add(
            "bytes",
            f"-rw-r--r-- 1 app app {rng.randint(10**8, 10**10)} Dec  7 10:12 dump.sql.gz\n디스크 사용량 {rng.randint(10**9, 10**12)} bytes ({rng.randint(10, 99)}.{rng.randint(0, 9)} GiB)",
        )
    for _ in range(6):
        lat, lon = 33 + rng.random() * 5, 126 + rng.random() * 3
        add("coords", f"현장 위치: 위도 {lat:.6f}, 경도 {lon:.6f} (EPSG:4326), 면적 {rng.randint(1000, 99999):,}㎡")
    for _ in range(6):
        isbn = "979-11-" + _d(rng, 4) + "-" + _d(rng, 3) + "-" + _d(rng, 1)
        add("isbn", f"참고문헌: 『공공조달 실무』, ISBN {isbn}, 2024, 314쪽; KS X ISO/IEC 27001:2022")
    for _ in range(6):
        add(
            "order_no",
            f"주문번호 {rng.randint(2024, 2026)}{_d(rng, 4)}-{_d(rng, 7)} / 송장번호 {_d(rng, 12)} / 물품식별번호 {_d(rng, 8)}",
        )
    for _ in range(6):
        add(
            "csv_prices",
            "품명,규격,수량,단가,금액\n"
            + "\n".join(
                f"{rng.choice(['노트북', '모니터', '복합기', '서버'])},{rng.choice(['15.6인치', '27인치', 'A3', '2U'])},{rng.randint(1, 90)},{rng.randint(100, 9999) * 1000},{rng.randint(1000, 99999) * 1000}"
                for _ in range(5)
            ),
        )
    for _ in range(6):
        add(
            "log",
            f"2026-12-07T10:{rng.randint(10, 59)}:{rng.randint(10, 59)}.{_d(rng, 3)}Z INFO  [worker-{rng.randint(1, 8)}] crawl page={rng.randint(1, 400)} rows={rng.randint(0, 999)} took={rng.randint(5, 9000)}ms pid={rng.randint(1000, 65000)}",
        )
    for _ in range(4):
        add(
            "k8s_event",
            f'LAST SEEN   TYPE     REASON    OBJECT                 MESSAGE\n{rng.randint(1, 59)}s         Normal   Pulled    pod/api-{_r(rng, 10, "abcdef0123456789")}-{_r(rng, 5, "bcdfghjklmnpqrstvwxz")}   Successfully pulled image "ghcr.io/acme/api:1.{rng.randint(0, 30)}.{rng.randint(0, 9)}" in 2.{_d(rng, 3)}s',
        )
    for _ in range(4):
        add(
            "sha_digest",
            f"image: ghcr.io/acme/api@sha256:{_r(rng, 64, '0123456789abcdef')}\nintegrity: sha512-{_r(rng, 86, _B62 + '+/')}==",
        )
    for _ in range(6):
        add(
            "prose_ko",
            rng.choice(
                [
                    "본 사업은 노후 전산장비 교체 및 클라우드 전환을 목적으로 하며, 계약기간은 착수일로부터 180일이다. 제안서는 30쪽 이내로 작성한다.",
                    "입찰참가자격: 소프트웨어사업자(컴퓨터관련서비스사업)로 신고한 자로서 중소기업기본법 제2조에 따른 중소기업. 공동수급 불허.",
                    "하자담보책임기간은 준공일로부터 2년으로 하며, 지체상금률은 계약금액의 1천분의 0.75로 한다.",
                    "질의응답: 제안요청서 3.2.1항의 '기존 시스템 연계'는 행정안전부 표준 API 규격(v2.1)을 따릅니다.",
                    "일이삼 순서로 제출하시고, 사이사이 공백은 없애 주세요. 공사 현장 설명회는 오전 10시에 공공기관 회의실에서 열립니다.",
                    "세부품명번호 4323159901(응용소프트웨어), 물품분류번호 43231599, 업종코드 1468.",
                ]
            ),
        )
    for _ in range(4):
        add(
            "md_table",
            "| 구분 | 2023 | 2024 | 증감률 |\n|---|---|---|---|\n"
            + "\n".join(
                f"| {n} | {rng.randint(10**6, 10**9):,} | {rng.randint(10**6, 10**9):,} | {rng.uniform(-20, 40):.1f}% |"
                for n in ["매출", "영업이익", "순이익"]
            ),
        )
    for _ in range(4):
        add(
            "cve_std",
            f"CVE-{rng.randint(2019, 2026)}-{rng.randint(1000, 49999)} 대응, KS C IEC 61000-4-{rng.randint(2, 6)}, ISO 9001:2015, RFC {rng.randint(1000, 9999)}, HS {rng.randint(1000, 9999)}.{rng.randint(10, 99)}-{_d(rng, 4)}",
        )
    for _ in range(4):
        add(
            "shell_hist",
            f"  {rng.randint(100, 999)}  git log --oneline -5\n  {rng.randint(100, 999)}  docker ps --format '{{{{.ID}}}} {{{{.Status}}}}'\n  {rng.randint(100, 999)}  du -sh /var/lib/postgresql\n  {rng.randint(100, 999)}  kubectl rollout status deploy/api -n prod",
        )
    for _ in range(4):
        add(
            "base64_plain",
            f"data:\n  greeting: {base64.b64encode(rng.choice(['hello world', '안녕하세요 반갑습니다', 'feature flags on']).encode()).decode()}",
        )
    for _ in range(4):
        add(
            "ocr_notice",
            f"공 고 번 호 : {rng.randint(2023, 2025)}{_d(rng, 7)} - 00\n추 정 가 격 : 금 {rng.randint(1, 99)},{_d(rng, 3)},{_d(rng, 3)} 원\n게 시 일 시 : 2024 . 11 . 0{rng.randint(1, 9)}",
        )
    for _ in range(4):
        add(
            "fullwidth_ordinary",
            "수량　１２０개，단가　３５，０００원，납기　２０２５．０３．３１．　규격　ＫＳ　Ｃ　８３０５",
        )
    for _ in range(4):
        add(
            "sql_ordinary",
            f"SELECT notice_no, bid_amount FROM bids WHERE opened_at >= '2024-11-01' AND bid_amount > {rng.randint(10**7, 10**9)} LIMIT {rng.randint(10, 500)};",
        )
    for _ in range(4):
        add(
            "slack_ordinary",
            f"jihoon.park  10:12 AM\n{rng.randint(2, 9)}시 회의 {rng.randint(301, 1210)}호에서 해요. 자료는 v{rng.randint(1, 4)}.{rng.randint(0, 9)} 기준\nhaneul.kim  10:13 AM\n넵 👍",
        )
    for _ in range(6):
        a = [rng.randint(10**7, 10**10) for _ in range(4)]
        add(
            "amount_list",
            rng.choice(
                [
                    f"매출 {a[0]:,}원, {a[1]:,}원, {a[2]:,}원으로 증가",
                    f'"구분","금액"\n"본사","{a[0]:,}"\n"지사","{a[1]:,}"',
                    f"| 2023 | 2024 |\n|---|---|\n| {a[0]:,} | {a[1]:,} |",
                    f"총액 {a[0]:,} / 부가세 {a[1]:,} / 합계 {a[2]:,}",
                    f"{a[0]:,}\t{a[1]:,}\t{a[2]:,}\t{a[3]:,}",
                    f"예산: {a[0]:,} ~ {a[1]:,}원",
                ]
            ),
        )
    for _ in range(4):
        add(
            "oid_law",
            f"OID 1.3.6.1.4.1.{rng.randint(1000, 60000)}.1.{rng.randint(1, 9)}, 법률 제{rng.randint(10000, 20999)}호, 조달청고시 제{rng.randint(2019, 2025)}-{rng.randint(1, 60)}호, 우편번호 {_d(rng, 5)}",
        )
    for _ in range(4):
        add(
            "hs_code",
            f"HSK {rng.randint(1000, 9999)}.{rng.randint(10, 99)}-{_d(rng, 4)} (관세율 8%), 품목번호 {rng.randint(1000, 9999)}.{rng.randint(10, 99)}",
        )
    for _ in range(4):
        add(
            "population",
            f"인구 {rng.randint(10**6, 6 * 10**7):,}명, 가구 {rng.randint(10**5, 2 * 10**7):,}가구, 면적 {rng.randint(100, 99999):,}.{_d(rng, 2)}㎢",
        )
    for _ in range(4):
        add(
            "win_build",
            f"OS: Windows 10.0.{rng.randint(17000, 26100)}.{rng.randint(1, 5000)}, Chrome {rng.randint(100, 131)}.0.{rng.randint(4000, 6999)}.{rng.randint(10, 200)}",
        )
    # second round: numbers of bid documents, registries and APIs that have the shapes of identifiers
    for _ in range(4):
        y = rng.randint(2015, 2025)
        add(
            "patent",
            f"특허 제10-{_d(rng, 7)}호 (출원번호 10-{y}-{_d(rng, 7)}), 상표 40-{y}-{_d(rng, 7)}, 디자인 30-{_d(rng, 7)}",
        )
    for _ in range(4):
        add(
            "court_case",
            f"서울중앙지방법원 {rng.randint(2019, 2025)}가합{_d(rng, 6)} 판결, 대법원 {rng.randint(2015, 2024)}다{_d(rng, 5)}",
        )
    for _ in range(4):
        ts = f"{rng.randint(2023, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}"
        add(
            "compact_ts",
            f'{{"bidNtceNo": "R25BK{_d(rng, 8)}", "bidNtceDt": "{ts}", "opengDt": "{ts}00", "rgstDt": "{ts[:8]}"}}',
        )
    for _ in range(4):
        add(
            "order16",
            f"주문번호 {rng.randint(2023, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{_d(rng, 8)} 배송 출발, 운송장 {_d(rng, 4)}-{_d(rng, 4)}-{_d(rng, 4)}",
        )
    for _ in range(4):
        add(
            "address",
            f"서울특별시 강남구 테헤란로{rng.randint(1, 500)}길 {rng.randint(1, 99)}-{rng.randint(1, 30)}, {rng.randint(1, 20)}층 (역삼동 {rng.randint(600, 899)}-{rng.randint(1, 40)}번지) 우 {_d(rng, 5)}",
        )
    for _ in range(4):
        add(
            "doc_no",
            f"문서번호 조달청-{rng.randint(2023, 2025)}-{_d(rng, 6)} ({rng.randint(2023, 2025)}.{rng.randint(1, 12)}.{rng.randint(1, 28)}.), 계약번호 {rng.randint(2023, 2025)}-{_d(rng, 4)}-{_d(rng, 4)}-00",
        )
    for _ in range(4):
        add(
            "money_units",
            f"사업비 {rng.randint(100, 9999):,}백만원, 추정가격 {rng.randint(1, 99)}억 {rng.randint(1, 9)}천만원, 기초금액 {rng.randint(10**5, 10**7):,}천원",
        )
    for _ in range(4):
        add(
            "g2b_api_row",
            f"{rng.randint(2023, 2025)}{_d(rng, 7)}\t00\t{rng.choice(['조달청', '한국전력공사', '서울특별시'])}\t{rng.randint(10**7, 10**10)}\t{rng.randint(10**7, 10**10)}\t{rng.uniform(80, 100):.3f}",
        )
    for _ in range(4):
        add(
            "metrics",
            f'http_requests_total{{code="200",path="/api"}} {rng.randint(10**6, 10**9)} {rng.randint(1700000000000, 1790000000000)}\nprocess_resident_memory_bytes {rng.randint(10**8, 10**10)}',
        )
    for _ in range(4):
        add(
            "git_log",
            f"commit {_r(rng, 40, '0123456789abcdef')}\nMerge: {_r(rng, 7, '0123456789abcdef')} {_r(rng, 7, '0123456789abcdef')}\nDate:   Mon Dec 7 10:12:01 2026 +0900\n\n    Merge pull request #{rng.randint(100, 9999)} from acme/fix-{rng.randint(100, 999)}",
        )
    for _ in range(4):
        add(
            "student_emp_no",
            f"사번 {rng.randint(2015, 2025)}{_d(rng, 4)}, 학번 {rng.randint(2015, 2025)}{_d(rng, 5)}, 자격증 번호 {rng.randint(10, 25)}{_d(rng, 6)}, 수험번호 {_d(rng, 8)}",
        )
    # third round
    for _ in range(4):
        d = f"{rng.randint(2023, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        add(
            "tax_invoice",
            f"전자세금계산서 승인번호 {d}-{rng.choice(['41', '42', '10'])}{_d(rng, 6)}-{_d(rng, 8)}, 공급가액 {rng.randint(10**6, 10**9):,}원",
        )
    for _ in range(4):
        add("registered_mail", f"등기번호 {rng.choice(['60', '11', '13'])}{_d(rng, 11)} 발송 완료 (우체국 등기우편)")
    for _ in range(4):
        add(
            "rnd_project",
            f"과제번호 RS-{rng.randint(2022, 2025)}-{_d(rng, 8)}, 연구개발비 {rng.randint(100, 9999):,}백만원",
        )
    for _ in range(4):
        b = f"{rng.randint(2023, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        add(
            "api_query",
            f"GET /1230000/BidPublicInfoService/getBidPblancListInfoServc?inqryDiv=1&inqryBgnDt={b}0000&inqryEndDt={b}2359&numOfRows=100&pageNo={rng.randint(1, 40)}&type=json",
        )
    for _ in range(4):
        add(
            "ticket_ids",
            f"PROJ-{rng.randint(100, 9999)} 해결, PR #{rng.randint(100, 9999)}, 빌드 #{rng.randint(1000, 99999)}, request_id={rng.randint(2023, 2026)}1207101201{_d(rng, 6)}",
        )
    # fourth round: public keys, certificates and inline images (random base64 that is not a secret)
    for pem, line in _public_material(rng):
        add("public_key", pem)
        add("public_key", line)
    for _ in range(3):
        png = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(300))
        add("data_uri", f'<p>조감도</p><img alt="site" src="data:image/png;base64,{base64.b64encode(png).decode()}">')
    # fifth round
    for _ in range(3):
        pnu = f"11680{_d(rng, 5)}1{_d(rng, 4)}{_d(rng, 4)}"
        add("land_no", f"토지 고유번호(PNU) {pnu}, 건축물대장 고유번호 {pnu[:10]}-1-{pnu[11:]}")
    for _ in range(3):
        add(
            "serial_no",
            f"장비 S/N {rng.randint(2019, 2026)}-{_d(rng, 4)}-{_d(rng, 4)}, 모델 SM-G{rng.randint(900, 999)}N, 펌웨어 v{rng.randint(1, 9)}.{rng.randint(0, 99)}",
        )
    for _ in range(3):
        add(
            "issn_cert",
            f"ISSN {_d(rng, 4)}-{_d(rng, 3)}X, 인증번호 IS-{rng.randint(2020, 2025)}-{_d(rng, 4)}, 허가번호 제{rng.randint(10, 24)}-{_d(rng, 4)}호",
        )
    # sixth round: digit grids, and placeholders and documented test values that identify nobody
    for _ in range(3):
        add(
            "digit_grid",
            "구간별 측정값 (단위 0.1mm)\n" + "\n".join(" ".join(_d(rng, 4) for _ in range(8)) for _ in range(6)),
        )
    add("placeholder", "주민등록번호 입력 형식: 000000-0000000 (하이픈 포함 14자리)")
    add("placeholder", "휴대폰 번호는 010-0000-0000 형식으로 입력하세요")
    add("placeholder", "사업자등록번호 예시: 123-45-67890")
    add("placeholder", "테스트 카드번호 (Stripe 문서): 4242 4242 4242 4242")
    add("placeholder", "문서용 IP 대역: 192.0.2.10, 198.51.100.7, 203.0.113.5 (RFC 5737)")
    add("placeholder", "AWS 문서의 예시 키: AKIAIOSFODNN7EXAMPLE")
    out = []
    for i, (cls, text) in enumerate(texts):
        out.append(Case(f"ORD-{cls}-{i:03d}", cls, "ordinary", text, ordinary=True))
    return out
