"""Stop 37 (issue 24): passwords named the ways people really write them.

Classes: a password's label misspelled (`pasword`, `passwrod`, `비빌번호`, `비밀번효`, `페스워드`); the value typed with
the Korean IME on (`ㅂㅈㄷㄱ1234!!` is `qwer1234!!`); the label after the value (`X ← 이게 새 비번`, `use X as the
admin password`, `X is the new password`, `admin / X (관리자 계정)`); the value on a later line after an id line
(`로그인 정보`, `아이디: admin`, a blank line, then the value); a value alone in a chat code span (`` `X` 입니다 ``); a
Kubernetes env entry whose value is a YAML block scalar (`value: >-` then the value).

Each row is (class, example, the value that must not leave). Look-alikes (prose and docs about passwords, policies,
placeholders, references to the environment, `--password-stdin`, words after `use`, Kubernetes references to a
secret) must go out unchanged. Values are made up, typed by hand. Through the policy (what the gateway and the proxy
send).
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from bidradar.masking import Masker
from bidradar.masking.policy import MaskingRefused, mask_outgoing

KEY = b"s37-pw37-masking-test-key-32byte"


class Row(NamedTuple):
    cls: str
    example: str
    secret: str  # the value as written: no 6 characters of it in a row may leave


ROWS = [
    # a label misspelled, English
    Row("typo", "pasword: Kq7#vLm2pX", "Kq7#vLm2pX"),
    Row("typo", "passwrod = 'Zr4!hTq9wB'", "Zr4!hTq9wB"),
    Row("typo", "DB_PASWORD=Hn3$kd82Lq", "Hn3$kd82Lq"),
    Row("typo", '{"user": "ops", "passowrd": "Fw8^mQ2zLe"}', "Fw8^mQ2zLe"),
    Row("typo", "smtp:\n  user: mailer\n  passord: Pk5@wz7TrY", "Pk5@wz7TrY"),
    Row("typo", "the pssword is Vb6%Rt2qWx", "Vb6%Rt2qWx"),
    Row("typo", "SPRING_DATASOURCE_PASSWROD: Jm2*Ke8sQv", "Jm2*Ke8sQv"),
    # a label misspelled, Korean
    Row("typo_ko", "비빌번호 Gt5!rW8qZm", "Gt5!rW8qZm"),
    Row("typo_ko", "비밀번효: Qe3#Lk9vBn", "Qe3#Lk9vBn"),
    Row("typo_ko", "DB 비밀번허는 Ux7$Pm2wKd 입니다", "Ux7$Pm2wKd"),
    Row("typo_ko", "페스워드 → Yc4@Nd8tRs", "Yc4@Nd8tRs"),
    Row("typo_ko", "관리자 비말번호: hn29vkq7", "hn29vkq7"),
    Row("typo_ko", "[김민준] 와이파이 비밀벊호 Ws8!kT3mLp 에요", "Ws8!kT3mLp"),
    # the value typed with the Korean IME on
    Row("ime", "비번 ㅂㅈㄷㄱ1234!!", "ㅂㅈㄷㄱ1234!!"),
    Row("ime", "비밀번호: ㅁㄴㅇㄹ5678@@", "ㅁㄴㅇㄹ5678@@"),
    Row("ime", "password ㅋㅌㅊ9900#", "ㅋㅌㅊ9900#"),
    # the label after the value
    Row("after", "SeDv*b6Aiq ← 이게 새 비번", "SeDv*b6Aiq"),
    Row("after", "Tq8#mWz2Lp 이게 관리자 비밀번호예요", "Tq8#mWz2Lp"),
    Row("after", "Use Hr5!kPw9Zx as the admin password for now.", "Hr5!kPw9Zx"),
    Row("after", "Please use Nm3$Tq7vRc as your temporary password.", "Nm3$Tq7vRc"),
    Row("after", "Bx4^Lm8qWe is the new staging DB password", "Bx4^Lm8qWe"),
    Row("after", "admin / Ck7!Rz2mVn (관리자 계정)", "Ck7!Rz2mVn"),
    Row("after", "root / Df9@Yw3kQs (DB 비번)", "Df9@Yw3kQs"),
    Row("after", "Gp2#Hx6tLm(비번) 으로 들어가세요", "Gp2#Hx6tLm"),
    # the value on a later line
    Row(
        "next_para",
        "관리자 페이지 로그인 정보 공유드립니다.\n\n아이디: admin\n\nWr5*Tk8qZp\n\n감사합니다.",
        "Wr5*Tk8qZp",
    ),
    Row("next_para", "스테이징 계정 정보입니다\nID: deploy\nJh6!Vn2sXc", "Jh6!Vn2sXc"),
    Row("next_para", "Staging login:\n\nusername: ops-bot\n\nQa9$Lr4wEm\n", "Qa9$Lr4wEm"),
    # a value alone in a chat code span
    Row("code_span", "jihoon.park  10:12 AM\n`sW5x$dl8wQYy` 입니다 (stg db)", "sW5x$dl8wQYy"),
    Row("code_span", "minsu  9:40 AM\nprod는 `Ty8!pLq3Wz` 요", "Ty8!pLq3Wz"),
    Row("code_span", "```\nKm4@rXt9Qv\n```", "Km4@rXt9Qv"),
    # typos and links in the other places passwords stand
    Row("formats", "services:\n  db:\n    environment:\n      - POSTGRES_PASWORD=Rt6#vQm3Ks", "Rt6#vQm3Ks"),
    Row("formats", "[database]\nhost = db.internal\npasswrod = Ew2!zXc7Bn", "Ew2!zXc7Bn"),
    Row("formats", "./migrate.sh --db-pasword Lq8@nVt4Hs --env stg", "Lq8@nVt4Hs"),
    Row("formats", "PGPASSWORD=Mz5$wKr8Tf psql -h db -U app", "Mz5$wKr8Tf"),
    Row("formats", "mysql -u root -pYh3^kLq9Wd bid", "Yh3^kLq9Wd"),
    Row("formats", "postgres://app:Nc7*Rb2xQp@db.internal:5432/bid", "Nc7*Rb2xQp"),
    Row("formats", "kind: Secret\nstringData:\n  pasword: Bv9!Lk4rTz", "Bv9!Lk4rTz"),
    Row("formats", "스테이징 DB 접속: app / Wq4%Zm7nKe (계정)", "Wq4%Zm7nKe"),
    Row("formats", "[오후 3:02] 박지훈 : Ft7!kWq2Zr 이게 prod 비번이에요", "Ft7!kWq2Zr"),
    # Kubernetes: a block scalar after `value:`
    Row("k8s", "env:\n- name: SPRING_DATASOURCE_PASSWORD\n  value: >-\n    dSVi#u8gVq", "dSVi#u8gVq"),
    Row("k8s", "env:\n  - name: DB_PASS\n    value: |\n      Lk3!mQz8Wr\n", "Lk3!mQz8Wr"),
]

# Ordinary text that names passwords without holding one.
LOOK_ALIKES = [
    "password policy: 최소 12자, 대소문자와 숫자를 섞어 주세요",
    "비밀번호 변경 방법은 아래를 참고하세요.",
    "비밀번호 변경 방법\n\n1. 로그인 후 설정 메뉴로 이동합니다.",
    "To reset your password, click 'Forgot password' on the login page.",
    "echo $TOKEN | docker login ghcr.io -u bot --password-stdin",
    "password: ${DB_PASSWORD}",
    "password: <redacted>",
    "password: ********",
    "DB_PASSWORD is read from the environment; see .env.example.",
    "Use the default settings for the password field.",
    "Use SHA-256 as the password hash and bcrypt for storage.",
    "Use v2.3.1 as the base image for the password service.",
    "Use TLS1.3 as the transport; the password is never logged.",
    "passwd 명령으로 비밀번호를 바꿉니다",
    "비번 바꿨어요 ㅋㅋㅋ",
    "비밀번호 잊어버렸어요 ㅠㅠ",
    "비밀번호는 8자 이상 16자 이하로 설정해 주세요.",
    "env:\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db-secret\n      key: password",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-secret\ntype: Opaque",
    "로그인 정보는 관리자에게 문의하세요.\n\n아이디: 사번\n\n초기 비밀번호는 생년월일입니다.",
    "계정 정보\nID: admin\n공고번호: 20250212345-00",
    "접속 정보\n아이디: 사업자번호\n\n2025-02-06 09:00 마감",
    "minsu  9:40 AM\n`docker compose up -d` 로 띄우면 됩니다",
    "minsu  9:40 AM\n`Ctrl+Shift+F10` 누르면 돼요",
    "`Option<i32>` 를 반환합니다",
    "```\nSELECT * FROM bids WHERE id = 3;\n```",
    "The password hashing uses Argon2id with m=65536.",
    "비밀번호 찾기 → 본인인증 → 새 비밀번호 입력",
    "로그에 pasword 라는 오타가 남아 있었습니다.",
    "passwrod 필드명을 password 로 고쳤습니다 (PR #482)",
    "공고번호 R25BK00123456 (입찰 계정) 확인 부탁드립니다",
    "물품 규격: ABC-1234 (관리자 계정 필요 없음)",
    "The admin account uses SSO; no password is stored.",
    "Use the default settings, then set DB_PASSWORD in .env before the first run.",
    "POSTGRES_PASSWORD=${POSTGRES_PASSWORD}",
    "env:\n- name: DB_PASSWORD\n  value: |\n    ${DB_PASSWORD}",
    "minsu  9:40 AM\n`README.md` 의 `DB_PASSWORD` 항목을 보세요",
    "`--password-stdin` 옵션을 쓰세요",
    "`SHA-256` 과 `AES-128` 만 허용됩니다",
    "```\nnpm run build\n```",
    "아이디: 담당자 이메일\n\n비밀번호는 최초 로그인 시 변경하세요.",
    "Use iPhone 15 as the test device; the password screen is unchanged.",
    "페스티벌 기간 동안 비밀번호 찾기 서비스는 중단됩니다.",
]


def _leaked(sent: str, secret: str) -> list[str]:
    width = min(6, len(secret))
    return [secret[i : i + width] for i in range(len(secret) - width + 1) if secret[i : i + width] in sent]


def _send(text: str) -> tuple[str, Masker]:
    masker = Masker(KEY)
    return mask_outgoing(masker, text, "the text").text, masker


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.cls}-{i}" for i, r in enumerate(ROWS)])
def test_password_written_otherwise_does_not_go_out(row: Row) -> None:
    try:
        sent, masker = _send(row.example)
    except MaskingRefused:
        return  # nothing was sent
    assert _leaked(sent, row.secret) == [], sent
    assert masker.unmask(sent) == row.example


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_ordinary_password_talk_goes_out_unchanged(text: str) -> None:
    sent, _ = _send(text)
    assert sent == text


if __name__ == "__main__":
    for row in ROWS:
        out, _ = _send(row.example)
        if _leaked(out, row.secret):
            print("LEAK", row.cls, repr(row.example), "->", repr(out))
    for text in LOOK_ALIKES:
        out, _ = _send(text)
        if out != text:
            print("CHANGED", repr(text), "->", repr(out))
