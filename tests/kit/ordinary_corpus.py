"""Ordinary technical and notice texts that hold long numbers but no personal or secret value: what the masking
policy must neither refuse nor mask away (issue 24: Kubernetes resourceVersion, epoch milliseconds, byte sizes,
계약번호, 조달요청번호, old notice numbers such as "20243170669-00", times such as "2025.02.06 9:00")."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

from bidradar.ingestion.simulator.generator import NoticeGenerator


def _k8s(r: random.Random) -> str:
    return (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-config\n  namespace: prod\n"
        f'  resourceVersion: "{r.randint(10**8, 10**10)}"\n  generation: {r.randint(1, 40)}\n'
        f'  creationTimestamp: "2025-0{r.randint(1, 9)}-1{r.randint(0, 9)}T0{r.randint(0, 9)}:00:00Z"\n'
        f"  uid: {r.getrandbits(128):032x}\n"
    )


def _log(r: random.Random) -> str:
    ts = r.randint(1_700_000_000_000, 1_760_000_000_000)
    return (
        f'{{"ts": {ts}, "level": "info", "msg": "request done", "duration_ms": {r.randint(1, 9000)}, '
        f'"bytes": {r.randint(10**9, 10**11)}, "trace_id": "{r.getrandbits(64):016x}"}}\n'
        f"{ts // 1000} GET /api/notices 200 {r.randint(100, 99999)}B\n"
    )


def _sizes(r: random.Random) -> str:
    return (
        f"디스크 사용량 {r.randint(10**9, 10**12)} bytes, 백업 파일 {r.randint(10**9, 10**11)}B, "
        f"메모리 {r.randint(10**9, 6 * 10**10)} 바이트 사용 중."
    )


def _contract(r: random.Random) -> str:
    return (
        f"계약번호 {r.randint(2020, 2025)}{r.randint(10**8, 10**9 - 1)} 건의 변경계약을 요청합니다. "
        f"조달요청번호 {r.randint(10**9, 10**10 - 1)} 관련 물품은 납품 완료."
    )


def _old_notice(r: random.Random) -> str:
    number = f"20{r.randint(15, 24)}{r.randint(10**6, 10**7 - 1)}-{r.randint(0, 9):02d}"
    return (
        f"공고번호 {number} 입찰은 {r.randint(2024, 2025)}.{r.randint(1, 12):02d}.{r.randint(1, 28):02d} "
        f"{r.randint(9, 17)}:00 에 개찰합니다. 참조: {number}."
    )


def _datetime(r: random.Random) -> str:
    y, m, d = r.randint(2023, 2026), r.randint(1, 12), r.randint(1, 28)
    return f"입찰마감 {y}.{m:02d}.{d:02d} {r.randint(9, 18)}:00, 개찰 {y}-{m:02d}-{d:02d} {r.randint(9, 18)}:30"


_PASSWORD_PROSE = (
    "비밀번호는 주기적으로 변경하세요. 변경 주기: {d}일",
    "비밀번호는 {n}~16자의 영문, 숫자, 특수문자 조합으로 설정합니다.",
    "the password is stored hashed with bcrypt (cost {n}) and never logged",
    "password is required for accounts created after {y}-0{m}-1{m}",
    "암호화 방식은 AES-256-GCM, 키 교체 주기는 {d}일입니다.",
    "비밀번호 오류 {n}회 시 계정 잠금, 해제는 관리자에게 요청 (정책 v{n}.{m})",
    "PW 초기화 요청 {d}건 처리 완료 ({y}년 {m}월)",
    "ssh 접속은 bastion 을 거쳐 -p 22{n}{m} 으로 합니다",
    "API 키와 토큰은 환경변수에 두고 저장소에 올리지 마세요 (만료 {d}일)",
    "암호 알고리즘 ARIA-256, SEED-CBC, LEA-128 중 택1, 해시는 SHA-256",
)


def _password_prose(r: random.Random) -> str:
    """Prose about passwords, keys and encryption: labels with no password after them (stop 32's prose rule)."""
    values = {"d": r.randint(30, 180), "n": r.randint(2, 9), "y": r.randint(2023, 2026), "m": r.randint(1, 9)}
    return " ".join(r.sample(_PASSWORD_PROSE, 3)).format(**values)


def _notice_table(r: random.Random) -> str:
    """A CSV or TSV of notices (a row's trailing date or amount, then the next row's 공고번호 or row number: a line
    break or a tab never joins them)."""
    sep = r.choice([",", "\t"])
    rows = [sep.join(["순번", "공고번호", "기초금액", "마감일"])]
    for i in range(r.randint(3, 10)):
        number = f"20{r.randint(15, 24)}{r.randint(10**6, 10**7 - 1)}-{r.randint(0, 2):02d}"
        day = f"{r.randint(2024, 2025)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
        rows.append(sep.join([str(i + 1), number, str(r.randint(100, 9000) * 10_000), day]))
    return "\n".join(rows)


TEMPLATES = {
    "k8s": _k8s,
    "log": _log,
    "sizes": _sizes,
    "contract": _contract,
    "old-notice": _old_notice,
    "datetime": _datetime,
    "password-prose": _password_prose,
    "notice-table": _notice_table,
}


def ordinary_texts(seed: int = 26, per_kind: int = 40) -> list[tuple[str, str]]:
    r = random.Random(seed)
    return [(kind, make(r)) for kind, make in TEMPLATES.items() for _ in range(per_kind)]


def notice_texts(days: int = 3, per_text_bytes: int = 20_000) -> list[str]:
    """Identifier-light 20 KB texts made of the simulator's G2B notices as the API returns them (JSON)."""
    generator = NoticeGenerator(notices_per_day=60)
    texts, current = [], ""
    for offset in range(days):
        for notice in generator.notices_for_day(date(2025, 3, 3) + timedelta(days=offset)):
            current += json.dumps(notice, ensure_ascii=False) + "\n"
            if len(current.encode()) >= per_text_bytes:
                texts.append(current)
                current = ""
    return texts
