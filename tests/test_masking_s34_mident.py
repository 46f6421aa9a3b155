"""Stop 34, helper mident: the identifier classes still open after stop 33 (issue 24, docs/notes/s33-lead.md).

Leaks (each value must not go out, and must come back on unmasking):
1. IPv4 in inet_aton's other forms where a host stands: one decimal or hex integer (`ping 167772161`,
   `http://3232235777/`, `ssh root@0xC0A80101`), dotted hex or octal parts (`0xC0.0xA8.0x01.0x01`, `0300.0250.1.1`);
2. a 주민등록번호 whose halves are labelled apart, across 카톡 messages or as "앞자리 … 뒷자리 …" without the word 주민;
3. an account after a bank's nickname (카뱅, 케뱅, 토뱅) in spaced groups;
4. a phone read aloud in Sino-Korean numerals with 에 between the groups or the copula after it (공일공에 일이삼사에
   오육칠팔, …오육칠팔이에요).
Damage (ordinary text must go out unchanged):
5. a bare 10-digit number that passes the 사업자번호 checksum, without a word or column that names one (inodes,
   `EXPLAIN` row counts, Prometheus samples, G2B's `prdctClsfcNo`, `id:`); with one it is still masked;
6. a counter or id that starts with 82 (not +82 without its plus);
7. digits inside a commit id or a digest;
8. coordinates (decimal numbers) read as a card in pieces; 64-bit ids read as 19-digit cards by the leak check; a
   barcode under its column read as a 주민번호 born in 2088 because the table has a `No` column.

Every value is generated here from the public rules (the 사업자번호 and Luhn check digits, a 주민번호's date and gender
digit, an IPv4's octets as a 32-bit integer); nothing is real data. The expected results are written by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterator

import anthropic
import pytest

from bidradar.masking import Masker
from bidradar.masking.gateway import LLMGateway
from bidradar.masking.policy import mask_outgoing
from tests.kit.anthropic import AnthropicStandIn, masking_proxy, seen_upstream, send_in_batches
from tests.kit.gemini import GeminiStandIn

KEY = b"m" * 32
MODEL = "claude-sonnet-4-5"
_TOKEN = re.compile(r"MASK_[A-Z0-9]+_[0-9A-F]{16}")
RNG = random.Random(3401)

# --- generators from the public rules ---------------------------------------------------------------------------


def unicast_ip(rng: random.Random) -> tuple[int, int, int, int]:
    while True:
        first = rng.randint(1, 223)
        if first not in (10, 127):  # any unicast first octet; 10 is common enough to get its own cases below
            return first, rng.randrange(256), rng.randrange(256), rng.randint(1, 254)


def as_integer(octets: tuple[int, int, int, int]) -> int:
    a, b, c, d = octets
    return ((a * 256 + b) * 256 + c) * 256 + d


def brn(rng: random.Random) -> str:
    """A 10-digit number whose 사업자등록번호 check digit holds (weights 1,3,7,1,3,7,1,3,5 and the 9th digit's carry)."""
    while True:
        digits = f"{rng.randint(101, 999)}{rng.randrange(100):02d}{rng.randrange(10**5):05d}"
        weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
        total = sum(int(d) * w for d, w in zip(digits[:9], weights, strict=True)) + int(digits[8]) * 5 // 10
        if (10 - total % 10) % 10 == int(digits[9]):
            return digits


def resident(rng: random.Random) -> tuple[str, str]:
    """The two halves of a 주민번호: a real birth date, a gender digit for its century, random digits after it."""
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 70))
    gender = rng.choice("12" if born.year < 2000 else "34")
    return f"{born:%y%m%d}", gender + f"{rng.randrange(10**6):06d}"


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def card_shaped_coordinates(rng: random.Random) -> tuple[str, str]:
    """A latitude and a longitude whose digits after the first point, before and after the second, pass Luhn with a
    card's first digit: the shape stop 33 read as a card in three pieces (37.360935, 128.475051)."""
    while True:
        lat = f"{rng.randint(33, 38)}.{rng.randint(300000, 699999)}"
        lon = f"{rng.randint(124, 131)}.{rng.randrange(10**6):06d}"
        digits = lat.split(".")[1] + lon.replace(".", "")
        if luhn_ok(digits):
            return lat, lon


_HANGUL_DIGITS = "공일이삼사오육칠팔구"


def spoken(digits: str) -> str:
    return "".join(_HANGUL_DIGITS[int(d)] for d in digits)


# --- the corpus ---------------------------------------------------------------------------------------------------


def _ip_leaks(rng: random.Random) -> list[tuple[str, str, list[str]]]:
    cases = []
    shells = [
        "ping {v}",
        "ping -c 3 {v}",
        "$ ping -c 4 -W 1 {v}\nPING {v} 56(84) bytes of data.",
        "curl -sk http://{v}:8080/admin/health",
        "wget -q http://{v}/backup.tar.gz",
        "ssh deploy@{v}",
        "scp dump.sql root@{v}:/tmp/",
        "nc -zv {v} 5432",
        "telnet {v} 25",
        "traceroute {v}",
        "nmap -p 22 {v}",
        "mysql -h {v} -u app -p",
        "redis-cli --host {v} ping",
        "DB_HOST={v}",
        "host: {v}\nport: 5432",
        '{{"host": "{v}", "port": 5432}}',
        "2025-02-06T09:00:01Z GET http://{v}/admin 200 12ms",
        "관리 페이지는 http://{v}/admin 으로 접속하세요",
        "[이서준] [오후 2:14] 서버 주소 http://{v}:3000 이요",
        "[관리자 페이지](http://{v}/admin)",
        "url,status\nhttp://{v}/,200\n",
        "ip,port\n{v},22\n",
        "src_ip\tdst_port\tbytes\n{v}\t443\t5120\n",
        "| 아이피 | 비고 |\n|---|---|\n| {v} | 관리 서버 |\n",
        "clientIp,ts\n{v},2025-02-06\n",
    ]
    for i, shell in enumerate(shells):
        value = str(as_integer(unicast_ip(rng)))
        cases.append((f"ip-int-{i}", shell.format(v=value), [value]))
    for i, shell in enumerate(["ping {v}", "ssh root@{v}", "curl http://{v}/", "nc -zv {v} 22"]):
        value = f"0x{as_integer(unicast_ip(rng)):08X}"
        cases.append((f"ip-hexint-{i}", shell.format(v=value), [value]))
    dotted = [
        ("hex", lambda o: ".".join(f"0x{n:02x}" for n in o)),
        ("HEX", lambda o: ".".join(f"0x{n:02X}" for n in o)),
        ("mixed", lambda o: f"0x{o[0]:X}.{o[1]}.{o[2]}.{o[3]}"),
        ("octal", lambda o: f"0{o[0]:o}.0{o[1]:o}.{o[2]}.{o[3]}"),
        ("octal4", lambda o: ".".join(f"0{n:03o}" for n in o)),
    ]
    places = [
        "sshd[812]: Failed password for root from {v} port 51122 ssh2",
        "ping {v}",
        "curl -s http://{v}/login",
        "iptables -A INPUT -s {v} -j DROP",
        "차단 대상 IP는 {v} 입니다",
        "src,dst\n{v},10.0.0.1\n",
    ]
    for name, write in dotted:
        for j, place in enumerate(places):
            octets = unicast_ip(rng)
            octets = (max(octets[0], 64), *octets[1:])  # octal of four digits needs a first octet of 64 or more
            value = write(octets)
            cases.append((f"ip-{name}-{j}", place.format(v=value), [value]))
    return cases


def _halves_leaks(rng: random.Random) -> list[tuple[str, str, list[str]]]:
    forms = [
        "[김민준] [오후 3:12] 주민번호 앞자리 {f}\n[박과장] [오후 3:12] 네\n[김민준] [오후 3:13] 뒤는 {b}",
        "[김민준] [오후 3:12] 앞자리 {f}\n[김민준] [오후 3:12] 뒷자리 {b}",
        "2025. 2. 6. 오후 3:12, 김민준 : 주민 앞자리 {f}\n2025. 2. 6. 오후 3:13, 김민준 : 뒷자리는 {b}",
        "앞자리 {f} … 뒷자리 {b}",
        "앞번호는 {f}이고 뒷번호는 {b}입니다",
        "앞자리: {f}\n뒷자리: {b}\n",
        "생년월일 {f} / 뒤 7자리 {b}",
        "앞 6자리 {f}, 나머지 {b} 로 조회해 주세요",
    ]
    cases = []
    for i, form in enumerate(forms):
        front, back = resident(rng)
        cases.append((f"rrn-halves-{i}", form.format(f=front, b=back), [front, back]))
    return cases


def _account_leaks(rng: random.Random) -> list[tuple[str, str, list[str]]]:
    cases = []
    forms = [
        ("카뱅 {v}", (4, 2, 7), " "),
        ("카뱅으로 보내주세요 {v}", (4, 2, 7), " "),
        ("[최수아] [오후 1:02] 카뱅 {v} 최수아", (4, 2, 7), " "),
        ("환불은 {v} (카뱅) 으로", (4, 2, 7), "-"),
        ("케뱅 {v}", (3, 3, 6), " "),
        ("토뱅 {v}", (4, 4, 4), " "),
        ("은행,계좌\n카뱅,{v}\n", (4, 2, 7), " "),
    ]
    for i, (form, sizes, sep) in enumerate(forms):
        groups = [str(rng.randint(10 ** (n - 1), 10**n - 1)) for n in sizes]
        value = sep.join(groups)
        cases.append((f"account-nickname-{i}", form.format(v=value), [value, max(groups, key=len)]))
    return cases


def _spoken_phone_leaks(rng: random.Random) -> list[tuple[str, str, list[str]]]:
    cases = []
    forms = [
        "제 번호는 {a}에 {b}에 {c}예요",
        "{a}에 {b}에 {c}로 연락 주세요",
        "[박지훈] [오후 4:40] 폰 {a} {b} {c}이에요",
        "연락처는 {a}에 {b} {c}이요",
    ]
    for i, form in enumerate(forms):
        b, c = f"{rng.randint(2000, 9999)}", f"{rng.randrange(10**4):04d}"
        text = form.format(a=spoken("010"), b=spoken(b), c=spoken(c))
        cases.append((f"spoken-phone-{i}", text, [spoken(b), spoken(c)]))
    return cases


def _brn_still_masked(rng: random.Random) -> list[tuple[str, str, list[str]]]:
    forms = [
        "사업자번호 {v}",
        "사업자등록번호:{v}",
        '{{"bizno": "{v}", "corpNm": "한빛정보"}}',
        '{{"bidwinnrBizno": "{v}"}}',
        "상호,사업자번호,대표자\n한빛정보,{v},김대표\n",
        "Business Registration No. {v}",
        "biz_no: {v}",
        "{d}",
    ]
    cases = []
    for i, form in enumerate(forms):
        value = brn(rng)
        dashed = f"{value[:3]}-{value[3:5]}-{value[5:]}"
        cases.append((f"brn-named-{i}", form.format(v=value, d=dashed), [dashed if "{d}" in form else value]))
    return cases


def _ordinary(rng: random.Random) -> list[tuple[str, str]]:
    cases: list[tuple[str, str]] = []
    brn_places = [
        "{v} -rw-r--r-- 1 dev dev 75006701 Feb  6 09:25 report_3.csv",
        "  File: bid.parquet\n  Size: 4138751\tBlocks: 8088  IO Block: 4096 regular file\nDevice: 10302h/66306d\tInode: {v}  Links: 1",
        "Seq Scan on notices  (cost=0.00..42830.88 rows={v} width=76) (actual time=0.011..7043.814 rows=1200 loops=1)",
        "process_start_time_seconds {v}.31",
        'http_requests_total{{route="/v1/notices"}} {v}',
        '{{"prdctClsfcNo": "{v}", "prdctClsfcNoNm": "노트북컴퓨터"}}',
        "id: {v}",
        '{{"id": {v}, "status": "done"}}',
        "count\tname\n{v}\tpage_view\n",
        "rate=7108415.2424/s id={v}",
        "재고 {v}개",
        "조회수 {v}",
    ]
    for i, place in enumerate(brn_places):
        cases.append((f"brn-checksum-unnamed-{i}", place.format(v=brn(rng))))
    counters = [
        "조달요청번호: {v}",
        '{{"ts": 1757602689905, "event": "page_view", "seq": {v}}}',
        "번호,예비가격\n10,{v}\n",
        "order {v} shipped",
    ]
    for i, place in enumerate(counters):
        value = (
            "82" + rng.choice(["2", "31", "51"]) + "".join(str(rng.randrange(10)) for _ in range(rng.choice([7, 8])))
        )
        cases.append((f"counter-82-{i}", place.format(v=value)))
    for i in range(6):
        head = "".join(rng.choice("0123456789abcdef") for _ in range(13))
        tail = "".join(rng.choice("0123456789abcdef") for _ in range(12))
        phone_run = "a010" + f"{rng.randint(2000, 9999)}{rng.randrange(10**4):04d}" + "e"
        commit = (head + phone_run + tail)[:40]
        cases.append((f"commit-phone-run-{i}", f"{commit} 2024-08-16 fix: 예가 계산"))
        cut = "".join(rng.choice("0123456789abcdef") for _ in range(33)) + "c02" + f"{rng.randint(200, 999)}"
        cases.append((f"commit-before-date-{i}", f"{cut[:40]} 2025-02-06 merge"))
    for i in range(5):
        lat, lon = card_shaped_coordinates(rng)
        forms = [
            f"위치: {lat}, {lon} (위도, 경도)",
            f'{{"type": "Point", "coordinates": [{lon}, {lat}]}}',
            f"lat,lng\n{lat},{lon}\n",
            f"좌표 ({lat}, {lon})",
            f"- lat: {lat}\n  lng: {lon}",
        ]
        cases.append((f"coordinates-{i}", forms[i]))
    cases += [
        ("cost-table-server", "항목\t단가\n서버\t42878020\n"),
        ("host-word-count", "host 42878020 rows scanned"),
        ("membership-column", "membership,total\n42878020,3232235777\n"),
        ("zip-column", "zip,price\n12345,3232235777\n"),
        ("vertex-model-date", "model: claude-3-5-sonnet-v2@20241022"),
        ("url-path-integer", "curl https://api.example.com/v1/orders/3232235777"),
        ("version-octal-part", "version 1.0.0300.1"),
        ("back-word-count", "2024년 240105 배포 후 뒤에 1500000건 처리"),
        ("spoken-date", "삼일이 운동 기념일"),
        ("hex-list", "bytes: 0x1f 0x8b 0x08 0x00"),
        # An EAN-13 under a 바코드 column whose digits read as a birth date to come (2088) in a table with a `No` column.
        ("barcode-no-column", "No\t품명\t바코드\t단가\n1\t모니터\t8802037901952\t65,600\n"),
        # 64-bit ids of 19 digits that pass Luhn with a card's first digit: a bare run is a card only at 15-16 digits.
        ("id64", "id=3667085659295494292 parent=6017684364970326575 ts_ns=1718880649446145334"),
    ]
    return cases


LEAKS = _ip_leaks(RNG) + _halves_leaks(RNG) + _account_leaks(RNG) + _spoken_phone_leaks(RNG) + _brn_still_masked(RNG)
ORDINARY = _ordinary(RNG)
# The shapes the independent leak check must find on its own (every detector off).
LEAK_CHECK_ALONE = [c for c in LEAKS if c[0].startswith(("ip-", "rrn-halves", "account-nickname", "spoken-phone"))]


def _leaked(values: list[str], seen: str) -> list[str]:
    plain = _TOKEN.sub("X", seen)
    return [v for v in values if v in plain]


@pytest.mark.parametrize(("text", "values"), [(t, v) for _, t, v in LEAKS], ids=[k for k, _, _ in LEAKS])
def test_identifiers_are_masked_and_restored(text: str, values: list[str]) -> None:
    masker = Masker(KEY)
    out = mask_outgoing(masker, text, "the prompt")
    assert _leaked(values, out.text) == [], out.text
    assert masker.unmask(out.text) == text


@pytest.mark.parametrize("text", [t for _, t in ORDINARY], ids=[k for k, _ in ORDINARY])
def test_ordinary_numbers_go_out_unchanged(text: str) -> None:
    out = mask_outgoing(Masker(KEY), text, "the prompt")
    assert out.text == text, (out.text, dict(out.counts))


@pytest.mark.parametrize(
    ("text", "values"), [(t, v) for _, t, v in LEAK_CHECK_ALONE], ids=[k for k, _, _ in LEAK_CHECK_ALONE]
)
def test_the_leak_check_alone_catches_the_new_shapes(text: str, values: list[str]) -> None:
    """With every detector off, the independent leak check masks the same values (its own rules)."""
    out = mask_outgoing(Masker(KEY, detectors=[]), text, "the prompt")
    assert _leaked(values, out.text) == [], out.text


def test_the_ip_tokens_say_ip() -> None:
    """The integer forms are masked as addresses (a checksum-passing integer was a 사업자번호 before)."""
    for key, text, _ in LEAKS:
        if key.startswith("ip-"):
            out = mask_outgoing(Masker(KEY), text, "the prompt")
            assert out.counts["IP"] >= 1 and out.counts["BRN"] == 0, (key, out.text)


def test_nothing_reaches_gemini_through_the_gateway() -> None:
    standin = GeminiStandIn()
    with standin.serve() as url:
        gateway = LLMGateway.from_api_key("k", base_url=url, company="acme", key=KEY, max_attempts=1)
        for _, text, _ in LEAKS:
            assert gateway.generate("s34", text).text == "Echo: " + text
        for _, text in ORDINARY:
            assert gateway.generate("s34", text).text == "Echo: " + text
    seen = [r.decoded() for r in standin.requests[: len(LEAKS)]]
    assert [v for (_, _, values), body in zip(LEAKS, seen, strict=True) for v in _leaked(values, body)] == []
    sent = [json.loads(r.body)["contents"][0]["parts"][0]["text"] for r in standin.requests[len(LEAKS) :]]
    assert sent == [t for _, t in ORDINARY]


@pytest.fixture
def proxy() -> Iterator[tuple[AnthropicStandIn, str]]:
    with masking_proxy(KEY) as served:
        yield served


@pytest.mark.parametrize("streamed", [False, True])
def test_nothing_reaches_claude_through_the_proxy(proxy, streamed: bool) -> None:
    standin, url = proxy
    client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
    send_in_batches(client, MODEL, [t for _, t, _ in LEAKS], streamed=streamed, size=12)
    seen = seen_upstream(standin)
    assert sorted({v for _, _, values in LEAKS for v in _leaked(values, seen)}) == []
