"""Stop 32's red-team corpus for issue 24: the classes a fresh red team found at the end of stop 31, written the
ways people write them, and ordinary texts that look like them and must be neither refused nor masked.

1. PROSE: a password after a label without `:`/`=` (`암호 X 로 로그인하세요`, `wifi 비번 → X`, `the password is X`,
   `PW X`, `ssh 접속: root / X`), an API key after a console's label (`API 키 X`, `클라이언트 시크릿: X`);
2. KEYBODY: a private key's base64 body without its `-----BEGIN` line (PKCS#1, PKCS#8, SEC1, OpenSSH, PGP), on one
   line or wrapped at 64/70/76, in JSON strings with `\\n`, YAML block scalars, chat quotes;
3. HEXDUMP: identifiers in xxd, hexdump -C, od -c and od -A x -t x1z output, split across the dump's lines;
4. SPOKENIP: IPv4 with spoken or defanged dots (`203 점 0 점 113 점 77`, `203[.]0[.]113[.]77`, Hangul numerals).
Ordinary look-alikes: prose about passwords, encryption and keys; CSV, TSV and Markdown tables of dates, amounts
and notice numbers (class 5: a line break never joins two rows' numbers); scores written with 점; public keys and
certificates.

Every value is generated (random passwords, keys made with `cryptography`, valid 주민번호 and phone numbers); nothing
is real data. `planted` lists the written forms that must not reach a model.
"""

from __future__ import annotations

import base64
import json
import random
import string
import textwrap
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization as ser

from tests.kit.keys import seeded_key
from tests.test_masking_redteam_corpus import card, resident


@dataclass(frozen=True)
class Doc:
    cls: str
    fmt: str
    text: str
    planted: tuple[str, ...]


# --- 1. passwords and keys after prose labels -------------------------------------------------------------------


def password(rng: random.Random) -> str:
    """A password the ways people choose them: a word with digits and a symbol, random characters, a PIN."""
    kind = rng.randrange(6)
    if kind == 0:
        word = rng.choice(["Spring", "Dragon", "Monkey", "Sunshine", "Coffee", "Hanbit", "Seoul"])
        return f"{word}{rng.randint(2000, 2030)}{rng.choice('!@#$%^&*')}"
    if kind == 1:
        alphabet = string.ascii_letters + string.digits + "!@#$%^&*-_+=?"
        while True:
            value = "".join(rng.choice(alphabet) for _ in range(rng.randint(10, 16)))
            if any(c.isdigit() for c in value) and any(c in "!@#$%^&*-_+=?" for c in value):
                return value
    if kind == 2:
        return f"{rng.choice(['hunter', 'qwerty', 'admin', 'letmein'])}{rng.randint(10, 9999)}"
    if kind == 3:
        chars = [rng.choice(string.ascii_uppercase), rng.choice(string.ascii_lowercase), rng.choice(string.digits)]
        chars += [rng.choice(string.ascii_letters + string.digits) for _ in range(rng.randint(6, 11))]
        rng.shuffle(chars)
        return "".join(chars)
    if kind == 4:
        return f"Tr0ub4dor&{rng.randint(1, 9)}{rng.choice(string.ascii_lowercase)}!"
    return str(rng.randint(100000, 99999999))  # a PIN


def api_key(rng: random.Random, n: int = 32) -> str:
    while True:
        value = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(n))
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


def g2b_key(rng: random.Random) -> str:
    """A data.go.kr service key as the portal shows its decoded form: 64 random bytes in base64 (88 characters)."""
    return base64.b64encode(rng.randbytes(64)).decode()


_PROSE = {
    "prose/ko-as-follows": "관리자 페이지 비밀번호는 다음과 같다: {p}\n로그인 후 바로 변경하세요.",
    "prose/ko-arrow": "관리자 비번은 다음과 같다 → {p}",
    "prose/ko-login-with": "테스트 서버는 암호 {p} 로 로그인하세요.",
    "prose/ko-wifi": "회의실 wifi 비번 → {p} (게스트용)",
    "prose/ko-ascii-arrow": "와이파이 비번 -> {p}",
    "prose/ko-fat-arrow": "스테이징 DB 비밀번호 => {p}",
    "prose/ko-double-arrow": "VPN 비밀번호 ⇒ {p}",
    "prose/ko-ssh": "ssh 접속: root / {p}",
    "prose/ko-access-info": "접속 정보 root / {p} 입니다",
    "prose/ko-tell": "비번 알려드림 {p}",
    "prose/ko-paren": "공유폴더(비밀번호 {p})에 올려두었습니다.",
    "prose/ko-quotes": "비밀번호 “{p}” 로 바꿔두었어요",
    "prose/ko-single-quotes": "초기 비밀번호 '{p}' 입니다.",
    "prose/ko-next-line": "DB 비밀번호는 아래와 같습니다.\n\n{p}\n\n외부에 공유하지 마세요.",
    "prose/ko-bold": "**비밀번호**: {p}",
    "prose/ko-brackets": "[비밀번호] {p}",
    "prose/ko-corner": "「비밀번호」{p}",
    "prose/ko-confirm": "비밀번호(확인): {p}",
    "prose/en-is": "FYI the password is {p} until Friday.",
    "prose/en-pw": "PW {p}",
    "prose/en-pass": "user: deploy, pass: {p}",
    "prose/en-slash": "P/W: {p}",
    "prose/en-psk": "Office Wi-Fi PSK: {p}",
    "prose/en-login": "login as admin / {p}",
    "chat/kakao": "[오후 3:12] 김대리: 서버 비번 {p} 이에요\n[오후 3:12] 박과장: 넵 감사합니다",
    "chat/slack": "> 비번 뭐였죠?\n비밀번호 {p} 요",
    "json/message": '{{"channel": "ops", "text": "DB 비밀번호는 {p} 입니다"}}',
    "json/note": '{{"note": "pw → {p}", "owner": "infra"}}',
    "yaml/comment": '# 관리자 비밀번호는 아래 값\nadmin_note: "the password is {p}"\nreplicas: 2',
    "env/comment": "# DB 비밀번호 → {p}\nDB_HOST=db.internal\nDB_USER=app",
    "log/line": "2025-03-04 10:12:01 INFO audit: user admin reset password to {p} via console",
    "csv/row": "서버,계정,비번\nweb01,root,{p}\nweb02,deploy,{p}",
    "md/table": "| 항목 | 값 |\n|---|---|\n| 계정 | admin |\n| 비밀번호 | {p} |",
    "html/table": "<table><tr><th>계정</th><td>admin</td></tr><tr><th>비밀번호</th><td>{p}</td></tr></table>",
    "xml/cdata": "<Password><![CDATA[{p}]]></Password>",
    "sql/values": "INSERT INTO users(login, password) VALUES ('admin', '{p}');",
}
# The value before its label: only passwords of a password's strong shape (a PIN before a label is any number).
_BEFORE = {
    "prose/ko-before-paren": "{p} (DB 비밀번호)",
    "prose/ko-before-arrow": "{p} ← 비번",
}
_KEYS = {
    "prose/ko-api-key": "카카오 REST API 키 {k}",
    "prose/ko-secret-colon": "클라이언트 시크릿: {k}",
    "prose/ko-app-key": "앱 키={k}",
    "prose/ko-token": "토큰 {k} 로 호출하면 됩니다",
    "prose/en-secret-key": "SECRET_KEY {k}",
    "prose/en-access-token": "access_token {k}",
    "chat/key-after": "{k} 이게 API 키",
    "json/key-message": '{{"text": "암호화 키: {k}"}}',
    "prose/ko-g2b-key": "공공데이터포털 인증키(Decoding): {k}",
    "prose/ko-g2b-key-encoded": "일반 인증키(Encoding): {k_url}",
    "prose/ko-g2b-key-call": "인증키 {k} 로 호출하세요",
}


def _prose_docs(rng: random.Random) -> list[Doc]:
    docs = []
    for _ in range(3):
        for fmt, template in _PROSE.items():
            value = password(rng)
            docs.append(Doc("PROSE", fmt, template.format(p=value), (value,)))
        for fmt, template in _BEFORE.items():
            value = rng.choice(["Spring2025!", "Xk9#mPq2!z", "s3cr3tPassw0rd", "Q7wE!r4Ty"]) + str(rng.randint(1, 99))
            docs.append(Doc("PROSE", fmt, template.format(p=value), (value,)))
        for fmt, template in _KEYS.items():
            value = api_key(rng) if "g2b" not in fmt else g2b_key(rng)
            url = value.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
            docs.append(
                Doc("PROSE", fmt, template.format(k=value, k_url=url), (url if "{k_url}" in template else value,))
            )
        for label in ("비번", "암호", "the pw is", "pw"):  # weak passwords: one digit is enough after a password label
            value = rng.choice(["hunter", "password", "letmein", "qwerty"]) + str(rng.randint(1, 9))
            docs.append(Doc("PROSE", "prose/weak", f"{label} {value}", (value,)))
        for template in ("비번 {w}", "암호 {w} 로 로그인", "비밀번호는 {w} 예요", "와이파이 비번 → {w}"):
            # letters only, right after a Korean password label: `dlwlrma` is 이지은 typed on an English keyboard
            value = rng.choice(["letmein", "iloveyou", "dlwlrma", "tjdnfdlqslek", "qwertyuiop"])
            docs.append(Doc("PROSE", "prose/ko-word", template.format(w=value), (value,)))
    return docs


# --- 2. private key bodies without their BEGIN line --------------------------------------------------------------


def _pem_body(pem: bytes) -> str:
    return "".join(line for line in pem.decode().splitlines() if not line.startswith("-----"))


def _pgp_body(rng: random.Random, old_format: bool) -> str:
    """A PGP secret key packet (tag 5, version 4, RSA or EdDSA) in its armour's base64, the bytes random."""
    if old_format:  # 0x95: two-octet length (RSA 2048)
        payload = bytes([4]) + rng.randbytes(4) + bytes([1]) + rng.randbytes(900)
        packet = bytes([0x95]) + len(payload).to_bytes(2, "big") + payload
    else:  # 0x94: one-octet length (EdDSA, as gpg exports ed25519 keys: lFgE...)
        payload = bytes([4]) + rng.randbytes(4) + bytes([22]) + rng.randbytes(82)
        packet = bytes([0x94, len(payload)]) + payload
    return base64.b64encode(packet + rng.randbytes(300)).decode()


def key_bodies(rng: random.Random) -> dict[str, str]:
    none = ser.NoEncryption()
    pem, der = ser.Encoding.PEM, ser.PrivateFormat
    rsa_key, ec_key, ed_key = seeded_key("rsa2048", 32), seeded_key("p256", 32), seeded_key("ed25519", 32)
    return {
        "rsa-pkcs1": _pem_body(rsa_key.private_bytes(pem, der.TraditionalOpenSSL, none)),
        "rsa-pkcs8": _pem_body(rsa_key.private_bytes(pem, der.PKCS8, none)),
        "ec-sec1": _pem_body(ec_key.private_bytes(pem, der.TraditionalOpenSSL, none)),
        "ec-pkcs8": _pem_body(ec_key.private_bytes(pem, der.PKCS8, none)),
        "ed25519-pkcs8": _pem_body(ed_key.private_bytes(pem, der.PKCS8, none)),
        "openssh-rsa": _pem_body(rsa_key.private_bytes(pem, der.OpenSSH, none)),
        "openssh-ed25519": _pem_body(ed_key.private_bytes(pem, der.OpenSSH, none)),
        "rsa-pkcs8-encrypted": _pem_body(rsa_key.private_bytes(pem, der.PKCS8, ser.BestAvailableEncryption(b"pw"))),
        "ec-pkcs8-encrypted": _pem_body(ec_key.private_bytes(pem, der.PKCS8, ser.BestAvailableEncryption(b"pw"))),
        "pgp-rsa": _pgp_body(rng, old_format=True),
        "pgp-ed25519": _pgp_body(rng, old_format=False),
    }


def _pieces(body: str, width: int) -> tuple[str, ...]:
    """What must not go out: every wrapped line of 16 or more characters (a line is how a body is written)."""
    return tuple(line for line in textwrap.wrap(body, width) if len(line) >= 16) or (body,)


def _keybody_docs(rng: random.Random) -> list[Doc]:
    docs = []
    for name, body in key_bodies(rng).items():
        for width in (64, 70, 76):
            wrapped = "\n".join(textwrap.wrap(body, width))
            docs.append(
                Doc(
                    "KEYBODY",
                    f"wrapped{width}/{name}",
                    f"키 본문만 붙여요:\n{wrapped}\n확인 부탁",
                    _pieces(body, width),
                )
            )
        lines = textwrap.wrap(body, 64)
        one = (*_pieces(body, 64), body[:40])
        docs += [
            Doc("KEYBODY", f"bare/{name}", body, one),
            Doc("KEYBODY", f"chat/{name}", f'[오전 9:02] 이대리: 이거 키에요 "{body}"', one),
            Doc("KEYBODY", f"json/{name}", json.dumps({"private_key": "\n".join(lines) + "\n", "id": name}), one),
            Doc("KEYBODY", f"yaml/{name}", "ssh:\n  key: |\n" + "".join(f"    {line}\n" for line in lines), one),
            Doc("KEYBODY", f"env/{name}", f'DEPLOY_KEY_BODY="{body}"\nDEPLOY_USER=ci', one),
            Doc("KEYBODY", f"markdown/{name}", "```\n" + "\n".join(lines) + "\n```", one),
            Doc("KEYBODY", f"quote/{name}", "\n".join(f"> {line}" for line in lines), one),
        ]
    return docs


# --- 3. hexdumps ----------------------------------------------------------------------------------------------


def _xxd(data: bytes) -> tuple[str, list[tuple[int, int, int]], int]:
    """xxd's layout; also per line (offset of the line's first byte, where its hex column and ASCII column start)."""
    lines = []
    for offset in range(0, len(data), 16):
        chunk = data[offset : offset + 16]
        groups = " ".join(chunk[i : i + 2].hex() for i in range(0, len(chunk), 2))
        lines.append(f"{offset:08x}: {groups:<39}  " + "".join(chr(b) if 32 <= b < 127 else "." for b in chunk))
    return "\n".join(lines), [], 0


def _hexdump_c(data: bytes) -> str:
    lines = []
    for offset in range(0, len(data), 16):
        chunk = data[offset : offset + 16]
        left = " ".join(f"{b:02x}" for b in chunk[:8])
        right = " ".join(f"{b:02x}" for b in chunk[8:])
        ascii_col = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{offset:08x}  {left:<23}  {right:<23}  |{ascii_col}|")
    lines.append(f"{len(data):08x}")
    return "\n".join(lines)


def _od_c(data: bytes) -> str:
    names = {10: "\\n", 9: "\\t", 0: "\\0"}
    lines = []
    for offset in range(0, len(data), 16):
        chunk = data[offset : offset + 16]
        cells = "".join(f"{names.get(b, chr(b) if 32 <= b < 127 else f'{b:03o}'):>4}" for b in chunk)
        lines.append(f"{offset:07o}{cells}")
    lines.append(f"{len(data):07o}")
    return "\n".join(lines)


def _od_x1z(data: bytes) -> str:
    lines = []
    for offset in range(0, len(data), 16):
        chunk = data[offset : offset + 16]
        hexes = " ".join(f"{b:02x}" for b in chunk)
        ascii_col = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{offset:06x} {hexes:<47}  >{ascii_col}<")
    lines.append(f"{len(data):06x}")
    return "\n".join(lines)


def _hex_column(chunk: bytes, fmt: str) -> tuple[str, list[int]]:
    """A dump line's hex column as `fmt` writes it, and where each byte's two digits start in it."""
    if fmt == "xxd":  # two bytes per group
        starts = [(k // 2) * 5 + (k % 2) * 2 for k in range(len(chunk))]
    elif fmt == "hexdump-c":  # an extra space after the eighth byte
        starts = [k * 3 + (1 if k >= 8 else 0) for k in range(len(chunk))]
    else:
        starts = [k * 3 for k in range(len(chunk))]
    column = [" "] * (starts[-1] + 2)
    for k, at in enumerate(starts):
        column[at : at + 2] = f"{chunk[k]:02x}"
    return "".join(column), starts


def _shown_pieces(data: bytes, start: int, end: int, fmt: str) -> tuple[str, ...]:
    """The value's bytes as each line of the dump shows them: hex and ASCII (or od -c cell) pieces of 4 or more
    characters with a digit, or 6 or more (shorter ones match by chance anywhere in a dump)."""
    pieces = []
    for line_start in range(0, len(data), 16):
        a, b = max(start, line_start), min(end, line_start + 16)
        if a >= b:
            continue
        text = data[a:b].decode("ascii")
        if fmt == "od-c":
            pieces.append("".join(f"{c:>4}" for c in text).strip())
            continue
        column, starts = _hex_column(data[line_start : line_start + 16], fmt)
        pieces += [column[starts[a - line_start] : starts[b - 1 - line_start] + 2], text]
    return tuple(p for p in pieces if len(p) >= 6 or (len(p) >= 4 and any(c.isdigit() for c in p)))


_DUMPERS = {"xxd": lambda d: _xxd(d)[0], "hexdump-c": _hexdump_c, "od-c": _od_c, "od-x1z": _od_x1z}


def _hexdump_docs(rng: random.Random) -> list[Doc]:
    docs = []
    for _ in range(4):
        rrn = resident(rng, rng.choice("1234"))
        card_no = card(rng, "4")
        values = {
            "rrn": f"{rrn[:6]}-{rrn[6:]}",
            "phone": f"010-{rng.randint(2000, 9999)}-{rng.randint(1000, 9999)}",
            "card": "-".join(card_no[i : i + 4] for i in range(0, 16, 4)),
            "email": f"{rng.choice(['minji', 'jiho', 'sora'])}.{rng.choice(['kim', 'lee'])}@hanbit-it.co.kr",
        }
        for name, value in values.items():
            label = {"rrn": "jumin=", "phone": "tel=", "card": "card=", "email": "mail="}[name]
            # Filler without digits, so that no other number's bytes read like the value's in the dump.
            head = "user=hong;dept=sales;" + "x" * rng.randint(0, 15) + label
            data = (head + value + ";status=active;note=ok\n").encode()
            start = len(head)
            for fmt, dump in _DUMPERS.items():
                planted = _shown_pieces(data, start, start + len(value), fmt)
                docs.append(Doc("HEXDUMP", f"{fmt}/{name}", f"$ {fmt.split('-')[0]} dump.bin\n{dump(data)}", planted))
    return docs


# --- 4. IPv4 with spoken or defanged dots ----------------------------------------------------------------------

_SINO = ["영", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"]


def sino_korean(n: int) -> str:
    """A number as Koreans read it aloud (이백삼, 백십삼, 칠십칠, 영)."""
    if n == 0:
        return "영"
    out = ""
    for value, unit in ((100, "백"), (10, "십")):
        digit, n = divmod(n, value)
        if digit:
            out += ("" if digit == 1 else _SINO[digit]) + unit
    return out + (_SINO[n] if n else "")


def _ip(rng: random.Random) -> tuple[int, ...]:
    return (rng.choice([203, 198, 172, 121, 58, 211]), rng.randint(0, 255), rng.randint(21, 255), rng.randint(1, 254))


_IP_FORMS = {
    "spoken-ko": lambda o: " 점 ".join(map(str, o)),
    "spoken-ko-glued": lambda o: "점".join(map(str, o)),
    "spoken-en": lambda o: " dot ".join(map(str, o)),
    "spoken-en-upper": lambda o: " DOT ".join(map(str, o)),
    "defanged-brackets": lambda o: "[.]".join(map(str, o)),
    "defanged-parens": lambda o: "(.)".join(map(str, o)),
    "defanged-dot-word": lambda o: "[dot]".join(map(str, o)),
    "defanged-partial": lambda o: ".".join(map(str, o[:3])) + "[.]" + str(o[3]),
    "hangul-numerals": lambda o: " 점 ".join(sino_korean(x) for x in o),
    "hangul-numerals-dots": lambda o: ".".join(sino_korean(x) for x in o),
}
_IP_CONTEXTS = {
    "prose": "서버 주소는 {ip} 입니다. 방화벽에 등록해 주세요.",
    "report": "IOC: C2 server hxxp://{ip}:8443/gate.php (first seen 2025-03-02)",
    "chat": "[오후 2:40] 최주임: 아이피 {ip} 로 붙으시면 돼요",
    "json": '{{"ioc_type": "ipv4", "value": "{ip}", "confidence": "high"}}',
    "log": "2025-03-04T10:12:01Z WARN blocked outbound to {ip} (rule 12)",
    "csv": "indicator,type\n{ip},ipv4\n",
    "markdown": "| 지표 | 값 |\n|---|---|\n| IP | {ip} |",
}


def _spoken_ip_docs(rng: random.Random) -> list[Doc]:
    docs = []
    for form, write in _IP_FORMS.items():
        for context, template in _IP_CONTEXTS.items():
            written = write(_ip(rng))
            docs.append(Doc("SPOKENIP", f"{context}/{form}", template.format(ip=written), (written,)))
    return docs


def attack_corpus(seed: int = 32) -> list[Doc]:
    rng = random.Random(seed)
    return [doc for make in (_prose_docs, _keybody_docs, _hexdump_docs, _spoken_ip_docs) for doc in make(rng)]


# --- ordinary look-alikes ---------------------------------------------------------------------------------------

PASSWORD_PROSE = [
    "비밀번호는 주기적으로 변경하세요.",
    "password is required",
    "암호화 방식은 AES-256",
    "the password is stored hashed with bcrypt (cost 12)",
    "비밀번호 변경 주기: 90일",
    "비밀번호는 8~16자의 영문, 숫자, 특수문자 조합으로 설정해야 합니다.",
    "비밀번호: 10자리 이상, 3개월마다 변경",
    "Password policy: at least 12 characters, one digit, 2FA required",
    "비밀번호 오류 5회 시 계정이 잠깁니다 (v2.3.1 부터)",
    "비밀번호 찾기는 https://example.com/account/reset 에서 하세요",
    "암호 알고리즘은 ARIA-256, SEED-CBC, LEA-128 중에서 고릅니다",
    "전송 구간 암호화는 TLS1.3, 저장 구간은 AES-256-GCM 을 씁니다.",
    "the password reset API lives at /api/v2/users/password",
    "비밀번호 해시는 SHA-256 과 PBKDF2 로 만듭니다",
    "PW 변경 요청 건수: 2025년 3월 41건",
    "비번 변경일 2024년 11월 5일",
    "ssh 접속: ubuntu@bastion 에서 -p 2222 로",
    "login failed for user admin from the console",
    "API 키는 환경변수 KAKAO_REST_API_KEY 에 넣으세요",
    "토큰 만료 시간은 3600초입니다",
    "public key fingerprint SHA256 (ED25519) 확인 후 접속",
    "wifi 비번은 안내 데스크에 문의하세요",
    "the password field must not be empty",
    "비밀번호 입력란에 영문 대소문자를 섞어 주세요",
    "사용자 계정 정보: 이름, 부서, 직급",
    "pass rate: 95% (120/130)",
    "암호문 길이는 평문 길이 + 16바이트입니다",
    "PIN 번호는 4자리입니다",
    "tolerations:\n- key: node-role.kubernetes.io/control-plane\n  operator: Exists\n  effect: NoSchedule",
    "matchExpressions:\n  - key: app.kubernetes.io/name\n    operator: In\n    values: [bidradar]",
    "S3 key: uploads/2024/12/07/591e8f89-5482-437a-a021-7982705ebc3c.pdf",
    "cache key: notice:R25BK00123456:000",
    "sk-ant-api03-... 형태의 키는 콘솔에서 발급받습니다",
    "서버 인증서 갱신일과 인증번호 확인 절차",
    "비밀번호 reset 방법은 위키를 보세요",
    "비밀번호 policy 문서를 참고하세요",
    "비밀번호 hash 는 bcrypt 로 만듭니다",
    "암호 모듈 kcmvp 인증 현황",
]
PUBLIC_KEYS_PROSE = "서버 인증서 지문과 공개키는 문서 부록을 보세요."


def _csv_tables(rng: random.Random) -> list[tuple[str, str]]:
    """Tables people paste: a date, an amount or a time at the end of a row and a notice number at the start of the
    next (stop 31's damage), in CSV, TSV, Markdown and `cat -n` form."""
    texts = []
    for _ in range(8):
        rows = []
        for _ in range(rng.randint(3, 8)):
            number = f"2024{rng.randint(1000000, 1299999)}-{rng.randint(0, 2):02d}"
            amount = rng.randint(10, 900) * 100_000
            day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            rows.append((number, rng.choice(["서버 구축", "유지보수", "전산장비 구매", "청소 용역"]), amount, day))
        texts.append(("csv-notices", "공고번호,공고명,금액,마감일\n" + "\n".join(",".join(map(str, r)) for r in rows)))
        texts.append(
            ("tsv-notices", "공고번호\t공고명\t금액\t마감일\n" + "\n".join("\t".join(map(str, r)) for r in rows))
        )
        texts.append(
            (
                "md-notices",
                "| 공고번호 | 공고명 | 금액 | 마감일 |\n|---|---|---|---|\n"
                + "\n".join("| " + " | ".join(map(str, r)) + " |" for r in rows),
            )
        )
        texts.append(
            (
                "csv-date-last",
                "마감일,공고번호\n" + "\n".join(f"{r[3].replace('-', '')},{r[0].split('-')[0]}" for r in rows),
            )
        )
        texts.append(
            (
                "csv-amount-then-number",
                "순번,공고번호,기초금액\n" + "\n".join(f"{i + 1},{r[0]},{r[2]}" for i, r in enumerate(rows)),
            )
        )
        texts.append(
            (
                "csv-times",
                "개찰일시,공고번호\n"
                + "\n".join(f"{r[3].replace('-', '.')} {rng.randint(9, 17)}:00,{r[0]}" for r in rows),
            )
        )
    return texts


def ordinary_texts(seed: int = 32) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    texts = [("password-prose", text) for text in PASSWORD_PROSE]
    texts += _csv_tables(rng)
    for _ in range(6):  # scores written with 점, outline numbers written with dot
        scores = " ".join(f"{rng.randint(0, 100)}점" for _ in range(4))
        texts.append(("scores", f"국어 영어 수학 과학 점수: {scores}"))
        texts.append(("scores", " 점 ".join(str(rng.randint(0, 100)) for _ in range(4)) + " 점 순으로 채점"))
        texts.append(("outline", f"{rng.randint(1, 9)} dot {rng.randint(1, 9)} dot {rng.randint(1, 9)} dot 1 절 참조"))
        texts.append(
            ("outline", "목차 " + ".".join(sino_korean(rng.randint(1, 9)) for _ in range(4)) + " 항목을 보세요")
        )
    rsa_key, ec_key = seeded_key("rsa2048", 33), seeded_key("p256", 33)
    for key in (rsa_key, ec_key):
        spki = key.public_key().public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo)
        texts.append(("public-key", PUBLIC_KEYS_PROSE + "\n" + _pem_body(spki)))
    pkcs1 = rsa_key.public_key().public_bytes(ser.Encoding.PEM, ser.PublicFormat.PKCS1)
    texts.append(("public-key", _pem_body(pkcs1)))
    ssh_pub = rsa_key.public_key().public_bytes(ser.Encoding.OpenSSH, ser.PublicFormat.OpenSSH).decode()
    texts.append(("public-key", f"authorized_keys 에 추가: {ssh_pub} deploy@ci"))
    text = "GET /index.html HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n"
    texts.append(("hexdump-plain", _xxd(text.encode())[0]))
    texts.append(("hexdump-plain", _hexdump_c(text.encode())))
    return texts
