"""Session 31's red-team corpus for issue 24: digits written one by one, and the classes session 30 left (e-mail
addresses spelled out, Sino-Korean place-value numerals, values split across string literals, base64 of base64,
IPv6 addresses), written the ways people write them; and ordinary texts that look like them and must not be
refused (list numbering, version tables, matrix data, survey answers, MAC addresses, hashes, prose with "at").

Every planted value is generated (valid checksums where the format has one) and listed with its document, as
the digits that must not reach a model (`digits`) or as written text (`planted`).
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import dataclass

from tests.test_masking_redteam_corpus import card, corporate, resident

NBSP, THIN, IDEO, ZWSP = "\u00a0", "\u2009", "\u3000", "\u200b"


@dataclass(frozen=True)
class Doc:
    cls: str
    fmt: str
    text: str
    planted: tuple[str, ...] = ()  # written forms that must not reach a model
    digits: tuple[str, ...] = ()  # digit strings that must not reach a model, whatever is written between them


def _brn(rng: random.Random) -> str:
    while True:
        body = f"{rng.randint(101, 899)}{rng.randint(1, 99):02d}{rng.randint(0, 9999):04d}"
        weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
        total = sum(int(d) * w for d, w in zip(body, weights, strict=True)) + int(body[8]) * 5 // 10
        return body + str((10 - total % 10) % 10)


def one_by_one(value: str, sep: str, groups: tuple[int, ...] = (), boundary: str = " - ") -> str:
    """`value` written digit by digit with `sep`; `boundary` between the groups of sizes `groups`."""
    if not groups:
        return sep.join(value)
    out, at = [], 0
    for size in groups:
        out.append(sep.join(value[at : at + size]))
        at += size
    return boundary.join(out)


# --- digits written one by one ----------------------------------------------------------------------------------

_SEPARATORS = {
    "space": " ",
    "dot": ".",
    "comma": ", ",
    "hyphen": "-",
    "nbsp": NBSP,
    "thin-space": THIN,
    "ideographic-space": IDEO,
    "zwsp": ZWSP,
    "space-zwsp": " " + ZWSP,
    "underscore": "_",
    "slash": "/",
}


def _spaced_docs(rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    values = {
        "RRN": (resident(rng, rng.choice("1234")), (6, 7)),
        "FRN": (resident(rng, rng.choice("5678")), (6, 7)),
        "PHONE": (f"010{rng.randint(2000, 9999)}{rng.randint(1000, 9999)}", (3, 4, 4)),
        "LANDLINE": (f"02{rng.randint(200, 999)}{rng.randint(1000, 9999)}", (2, 3, 4)),
        "BRN": (_brn(rng), (3, 2, 5)),
        "CRN": (corporate(rng), (6, 7)),
        "CARD": (card(rng, "4"), (4, 4, 4, 4)),
        "ACCOUNT": (f"{rng.randint(100, 999)}{rng.randint(10, 99)}{rng.randint(100000, 999999)}", (3, 2, 6)),
    }
    labels = {
        "RRN": "주민등록번호",
        "FRN": "외국인등록번호",
        "PHONE": "휴대폰",
        "LANDLINE": "전화",
        "BRN": "사업자등록번호",
        "CRN": "법인등록번호",
        "CARD": "카드번호",
        "ACCOUNT": "국민은행 계좌",
    }
    keys = {
        "RRN": "rrn",
        "FRN": "alien_reg_no",
        "PHONE": "mobile",
        "LANDLINE": "tel",
        "BRN": "brn",
        "CRN": "corp_reg_no",
        "CARD": "card_number",
        "ACCOUNT": "bank_account",
    }
    for cls, (value, groups) in values.items():
        label, key = labels[cls], keys[cls]
        for name, sep in _SEPARATORS.items():
            grouped = one_by_one(value, sep, groups, boundary=f"{sep}-{sep}" if sep.strip() == "" else " - ")
            even = one_by_one(value, sep)
            docs += [
                Doc(cls, f"prose/{name}", f"{label}는 {grouped} 입니다. 확인 부탁드립니다.", digits=(value,)),
                Doc(
                    cls, f"json/{name}", json.dumps({"name": "김민수", key: even}, ensure_ascii=False), digits=(value,)
                ),
            ]
        docs += [
            Doc(cls, "yaml", f'applicant:\n  name: 박지훈\n  {key}: "{one_by_one(value, " ")}"\n', digits=(value,)),
            Doc(cls, "env", f"TEST_{key.upper()}='{one_by_one(value, ' ', groups, '  ')}'\n", digits=(value,)),
            Doc(
                cls,
                "log",
                f"2025-11-02T09:12:03Z WARN form field {key}=[{one_by_one(value, ',')}] rejected",
                digits=(value,),
            ),
            Doc(cls, "csv", f'이름,{label}\n홍길동,"{one_by_one(value, " ")}"\n', digits=(value,)),
            Doc(
                cls,
                "table-cells",
                f"| {label} | " + " | ".join(value) + " |\n|" + "---|" * (len(value) + 1) + "\n",
                digits=(value,),
            ),
            Doc(cls, "lines", f"{label}:\n" + "\n".join(value) + "\n", digits=(value,)),
            Doc(
                cls,
                "html-cells",
                f"<tr><th>{label}</th>" + "".join(f"<td>{c}</td>" for c in value) + "</tr>",
                digits=(value,),
            ),
            Doc(cls, "code", f'user.{key} = "{one_by_one(value, " ")}"  # 테스트용', digits=(value,)),
            Doc(cls, "double-space", f"{label}: {one_by_one(value, ' ', groups, '   ')}", digits=(value,)),
            Doc(cls, "mixed-sep", f"{label} {one_by_one(value, ' ', groups, ' . ')}", digits=(value,)),
        ]
    # Without a label: a 주민번호's date and gender digit or a mobile prefix, with their grouping or without.
    rrn, phone = values["RRN"][0], values["PHONE"][0]
    docs += [
        Doc("RRN", "bare/grouped", f"확인: {one_by_one(rrn, ' ', (6, 7))}", digits=(rrn,)),
        Doc("RRN", "bare/even", f"참고 {one_by_one(rrn, ' ')} 로 조회함", digits=(rrn,)),
        Doc("PHONE", "bare/even", f"연락 주세요 {one_by_one(phone, ' ')}", digits=(phone,)),
        Doc("PHONE", "bare/grouped-dots", f"{one_by_one(phone, '.', (3, 4, 4), ' / ')}", digits=(phone,)),
    ]
    return docs


# --- e-mail addresses spelled out --------------------------------------------------------------------------------


def _email_docs(rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    for i in range(3):
        local = f"{rng.choice(['jhkim', 'sypark', 'mjlee', 'dhchoi'])}{rng.randint(1000, 9999)}"
        org = rng.choice(["hanbitsoft", "daeil-eng", "seoultech"])
        spelled = {
            "at-dot": f"{local} at {org} dot com",
            "upper": f"{local} AT {org} DOT co DOT kr",
            "underscores": f"{local} _at_ {org} _dot_ com",
            "dashes": f"{local}-at-{org}-dot-net",
            "parens": f"{local}(at){org}(dot)co(dot)kr",
            "angle": f"{local} <at> {org} <dot> com",
            "golbaengi": f"{local} 골뱅이 {org} 점 com",
            "golbaengi-glued": f"{local}골뱅이{org}점co점kr",
            "aet-datcom": f"{local} 앳 {org} 닷컴",
            "at-real-dot": f"{local} at gmail.com",
            "real-at-spelled-dot": f"{local}@{org} dot com",
            "spaced-at": f"{local} @ {org}.co.kr",
            "golbaengi-real-dots": f"{local} 골뱅이 {org}.com",
            "bracketed-korean": f"{local} [골뱅이] {org} [점] com",
        }
        for name, written in spelled.items():
            if i and name not in ("at-dot", "golbaengi", "underscores"):
                continue
            docs += [
                Doc("EMAIL", f"prose/{name}", f"견적 문의는 {written} 으로 보내 주세요.", (local,)),
                Doc("EMAIL", f"json/{name}", json.dumps({"contact": written}, ensure_ascii=False), (local,)),
            ]
        written = f"{local} at {org} dot com"
        docs += [
            Doc("EMAIL", "yaml", f"maintainer:\n  name: Kim\n  email: {written}\n", (local,)),
            Doc("EMAIL", "env", f"ALERT_EMAIL='{local} [at] {org} [dot] com'\n", (local,)),
            Doc("EMAIL", "log", f"2025-11-02 09:12:03 INFO mail queued to={local} at {org} dot co dot kr", (local,)),
            Doc("EMAIL", "csv", f"이름,메일\n김지훈,{local} 골뱅이 {org} 점 com\n", (local,)),
            Doc("EMAIL", "code", f'SUPPORT = "{local} at {org} dot com"  # 스팸 방지', (local,)),
            Doc("EMAIL", "english", f"Reach me at {local} at {org} dot com, thanks!", (local,)),
        ]
    return docs


# --- Sino-Korean place-value numerals -------------------------------------------------------------------------

_SINO = "일이삼사오육칠팔구"


def place_value(n: int) -> str:
    """1234 -> 천이백삼십사, 3200 -> 삼천이백, 2005 -> 이천오."""
    out = []
    for value, unit in ((1000, "천"), (100, "백"), (10, "십")):
        digit = n // value % 10
        if digit:
            out.append(("" if digit == 1 else _SINO[digit - 1]) + unit)
    if n % 10:
        out.append(_SINO[n % 10 - 1])
    return "".join(out)


def _place_value_docs(rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    for k in range(4):
        mid = rng.randint(2000, 9999)
        last = rng.randint(1, 9) * 1000 if k == 3 else rng.randint(1000, 9999)
        pm, pl = place_value(mid), place_value(last)
        value = f"010{mid}{last}"
        forms = {
            "dashed": f"010-{pm}-{pl}",
            "spaced": f"010 {pm} {pl}",
            "hangul-010": f"공일공 {pm} {pl}",
            "dotted": f"010.{pm}.{pl}",
            "mixed": f"010-{mid}-{pl}",
        }
        for name, written in forms.items():
            planted = (f"-{pl}", f" {pl}", f".{pl}")
            docs += [
                Doc("PLACE", f"prose/{name}", f"제 번호는 {written} 입니다.", planted, (value,)),
                Doc("PLACE", f"json/{name}", json.dumps({"연락처": written}, ensure_ascii=False), planted, (value,)),
            ]
        docs += [
            Doc("PLACE", "yaml", f"담당자:\n  휴대폰: 010-{pm}-{pl}\n", (f"-{pl}",), (value,)),
            Doc("PLACE", "csv", f"이름,휴대폰\n박지훈,010 {pm} {pl}\n", (f" {pl}",), (value,)),
            Doc("PLACE", "log", f"[콜센터] 고객 회신번호 공일공-{pm}-{pl} 접수", (f"-{pl}",), (value,)),
        ]
    return docs


# --- values split across string literals ---------------------------------------------------------------------


def _literal_docs(rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    for _ in range(3):
        rrn = resident(rng, rng.choice("1234"))
        mid, last = rng.randint(2000, 9999), rng.randint(1000, 9999)
        phone = f"010{mid}{last}"
        brn = _brn(rng)
        cards = card(rng, "5" + str(rng.randint(1, 5)))
        local = f"ops{rng.randint(100, 999)}"
        docs += [
            Doc("LITERAL", "java-plus", f'String rrn = "{rrn[:6]}" + "-{rrn[6:]}";', digits=(rrn,)),
            Doc("LITERAL", "js-plus-3", f"const rrn = '{rrn[:6]}' + '-' + '{rrn[6:]}';", digits=(rrn,)),
            Doc("LITERAL", "python-implicit", f'PHONE = ("010" "{mid}" "{last}")', digits=(phone,)),
            Doc(
                "LITERAL", "python-implicit-lines", f'TEST_RRN = (\n    "{rrn[:6]}"\n    "-{rrn[6:]}"\n)', digits=(rrn,)
            ),
            Doc("LITERAL", "js-template", f"const tel = `010-${{'{mid}'}}-{last}`;", digits=(phone,)),
            Doc("LITERAL", "js-template-number", f"const tel = `010-${{{mid}}}-${{{last}}}`;", digits=(phone,)),
            Doc("LITERAL", "php-dot", f"$brn = '{brn[:3]}' . '-' . '{brn[3:5]}' . '-' . '{brn[5:]}';", digits=(brn,)),
            Doc("LITERAL", "sql-concat", f"SELECT '010' || '{mid}' || '{last}' AS tel;", digits=(phone,)),
            Doc("LITERAL", "vb-amp", f'card = "{cards[:8]}" & "{cards[8:]}"', digits=(cards,)),
            Doc("LITERAL", "lua-dots", f'local rrn = "{rrn[:6]}" .. "{rrn[6:]}"', digits=(rrn,)),
            Doc("LITERAL", "python-plus-continued", f'rrn = "{rrn[:6]}" + \\\n      "-{rrn[6:]}"', digits=(rrn,)),
            Doc("LITERAL", "email-plus", f'to = "{local}" + "@" + "hanbit.co.kr"', (local,)),
            Doc("LITERAL", "json-code", json.dumps({"snippet": f'rrn = "{rrn[:6]}" + "-{rrn[6:]}"'}), digits=(rrn,)),
        ]
    return docs


# --- base64 of base64 ------------------------------------------------------------------------------------------


def _b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def _b64_docs(rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    for _ in range(3):
        rrn = resident(rng, rng.choice("1234"))
        dashed = f"{rrn[:6]}-{rrn[6:]}"
        phone = f"010-{rng.randint(2000, 9999)}-{rng.randint(1000, 9999)}"
        payload = json.dumps({"name": "김민수", "rrn": dashed})
        twice, thrice = _b64(_b64(payload)), _b64(_b64(_b64(f"tel {phone}")))
        state = _b64(_b64(phone)).rstrip("=")
        urlsafe = base64.urlsafe_b64encode(_b64(payload).encode()).decode()
        docs += [
            Doc("B64B64", "k8s-secret", f"apiVersion: v1\nkind: Secret\ndata:\n  user.json: {twice}\n", (twice,)),
            Doc("B64B64", "env", f"PAYLOAD={twice}\n", (twice,)),
            Doc("B64B64", "json", json.dumps({"data": twice}), (twice,)),
            Doc("B64B64", "log", f"2025-11-02 09:12:03 DEBUG body={thrice} len=120", (thrice,)),
            Doc("B64B64", "url", f"GET /cb?state={state} HTTP/1.1", (state,)),
            Doc("B64B64", "prose", f"인코딩된 값 {twice} 를 두 번 디코딩하세요.", (twice,)),
            Doc("B64B64", "urlsafe", f"token: {urlsafe}", (urlsafe,)),
        ]
    return docs


# --- IPv6 addresses -------------------------------------------------------------------------------------------


def _ipv6_docs(rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    for _ in range(3):
        groups = [f"{rng.randint(1, 0xFFFF):x}" for _ in range(8)]
        full = ":".join(f"{int(g, 16):04x}" for g in groups)
        short = ":".join(groups)
        compressed = f"2406:da12:{groups[2]}:{groups[3]}::{groups[7]}"
        link = f"fe80::{groups[4]}:{groups[5]}:{groups[6]}:{groups[7]}"
        mapped = f"::ffff:{rng.randint(11, 200)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        docs += [
            Doc("IPV6", "full", f"서버 주소는 {full} 입니다.", (full,)),
            Doc("IPV6", "short", json.dumps({"host": short, "port": 8443}), (short,)),
            Doc("IPV6", "compressed-yaml", f"bastion:\n  address: {compressed}\n", (compressed,)),
            Doc("IPV6", "zone", f"ping6 {link}%eth0", (link,)),
            Doc("IPV6", "bracket-port", f"DATABASE_URL=postgres://app@[{compressed}]:5432/prod", (compressed,)),
            Doc("IPV6", "url", f"curl -g http://[{short}]:8080/health", (short,)),
            Doc("IPV6", "mapped", f"2025-11-02 09:12:03 client={mapped} GET /api 200", (mapped,)),
            Doc("IPV6", "ifconfig", f"eth0: flags=4163<UP>\n    inet6 {compressed}  prefixlen 64", (compressed,)),
            Doc("IPV6", "csv", f"host,ip\nweb-1,{full}\n", (full,)),
            Doc("IPV6", "upper", f"접속 IP: {compressed.upper()}", (compressed.upper(),)),
        ]
    return docs


def attack_corpus(seed: int = 31) -> list[Doc]:
    rng = random.Random(seed)
    makers = (_spaced_docs, _email_docs, _place_value_docs, _literal_docs, _b64_docs, _ipv6_docs)
    return [doc for make in makers for doc in make(rng)]


# --- ordinary texts ----------------------------------------------------------------------------------------------


def ordinary_texts(seed: int = 31) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    texts: list[tuple[str, str]] = []
    for _ in range(8):
        n = rng.randint(9, 20)
        texts.append(("numbering", "단계: " + " ".join(str(i) for i in range(1, n + 1)) + " 순서로 진행"))
        texts.append(("numbering", "| 순번 | " + " | ".join(str(i) for i in range(1, n + 1)) + " |"))
        row = lambda k: " ".join(rng.choice("01") for _ in range(k))  # noqa: E731
        texts.append(("matrix", "adjacency =\n" + "\n".join(f"[{row(12)}]" for _ in range(12))))
        texts.append(
            (
                "matrix",
                "np.array(["
                + ", ".join(f"[{', '.join(rng.choice('01') for _ in range(10))}]" for _ in range(6))
                + "])",
            )
        )
        texts.append(
            (
                "survey",
                "응답자,Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8,Q9,Q10\n"
                + "\n".join(f"R{j:03d}," + ",".join(str(rng.randint(1, 5)) for _ in range(10)) for j in range(8)),
            )
        )
        texts.append(
            (
                "versions",
                "| 구성요소 | 버전 |\n|---|---|\n"
                + "\n".join(
                    f"| {name} | {rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)} |"
                    for name in ("postgres", "dagster", "polars", "httpx", "fastapi")
                ),
            )
        )
        texts.append(
            (
                "scores",
                "| 평가항목 | "
                + " | ".join(f"위원{k}" for k in range(1, 11))
                + " |\n| 기술점수 | "
                + " | ".join(str(rng.randint(5, 9)) for _ in range(10))
                + " |",
            )
        )
        texts.append(("sudoku", "\n".join(" ".join(str(rng.randint(1, 9)) for _ in range(9)) for _ in range(9))))
    mac = lambda: ":".join(f"{rng.randint(0, 255):02x}" for _ in range(6))  # noqa: E731
    hx = lambda n: "".join(rng.choice("0123456789abcdef") for _ in range(n))  # noqa: E731
    texts += [
        ("prose-at", "Look at example.com for the API reference, and meet us at the booth at 10:30."),
        ("prose-at", "The dot com bubble burst in 2000; look at the dot com era for context."),
        ("prose-at", "We arrived at noon and left at 3. See you at school dot com day? No."),
        ("prose-at", "장점은 점수 com 단위로 비교합니다. 평가 점수는 90점 이상."),
        ("prose-at", "Download it at https://github.com/acme/tool or at pypi.org/project/tool."),
        ("amounts", "예산은 삼천이백만원, 추정가격은 이천구백만원이며 삼천리 자전거 50대를 구매한다."),
        ("amounts", "계약 기간은 2025년 1월부터 십이개월, 인원은 삼십명, 구백 개의 부품."),
        ("amounts", "2025 천이백 명 참석 예정, 백 번째 공고."),
        ("code-concat", 'greeting = "Hello, " + name + "!"\nprint("a", "b")\nx = "" + y\npath = "/api/" + "v1"'),
        ("code-concat", 'version = "1" + "." + "2" + "." + "3"\nlabel = "공고" "번호"\nq = \'a\' || \'b\''),
        ("code-concat", "const url = `${base}/notices/${id}`;\nconst n = `${1}-${2}`;"),
        ("json", json.dumps({"a": "b", "c": "d", "e": ["f", "g"]}) + "\n" + json.dumps([{"k": "v"}, {"k": "w"}])),
        ("cpp", "std::vector<int> v; std::map<std::string, int> m; cafe::add(1); Foo::Bar::baz();"),
        ("times", "10:20:30 start, 12:00 lunch, 2025-11-02T09:12:03Z, ratio 1:2:3, 16:9 screen"),
        ("mac", "ip neigh\n" + "\n".join(f"dev eth0 lladdr {mac()} REACHABLE" for _ in range(5))),
        ("mac", "DHCPACK to " + mac() + " via eth0"),
        ("fingerprint", "ED25519 key fingerprint is MD5:" + ":".join(hx(2) for _ in range(16)) + "."),
        ("ipv6-loopback", "listen [::]:8080 and [::1]:8081; bind ::1"),
        ("hashes", f"commit {hx(40)}\nsha256:{hx(64)}\nuuid {hx(8)}-{hx(4)}-4{hx(3)}-a{hx(3)}-{hx(12)}"),
        ("base64-twice", "state=" + _b64(_b64("page=2&sort=desc&view=list"))),
        ("base64-twice", "data: " + _b64(_b64(json.dumps({"notice": "R25BK01234567", "n": 12})))),
    ]
    return texts
