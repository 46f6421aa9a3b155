"""Session 31's red-team corpus for issue 24: digits written one by one, and the classes session 30 left (e-mail
addresses spelled out, Sino-Korean place-value numerals, values split across string literals, base64 of base64,
IPv6 addresses), written the ways people write them; and ordinary texts that look like them and must not be
refused (list numbering, version tables, matrix data, survey answers, MAC addresses, hashes, prose with "at").

Every planted value is generated (valid checksums where the format has one) and listed with its document, as
the digits that must not reach a model (`digits`) or as written text (`planted`).
"""

from __future__ import annotations

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


def attack_corpus(seed: int = 31) -> list[Doc]:
    rng = random.Random(seed)
    return [doc for make in (_spaced_docs,) for doc in make(rng)]


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
    return texts
