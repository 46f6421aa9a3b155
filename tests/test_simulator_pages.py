"""The simulator's pages are a pure function of (seed, day): byte-identical whatever was asked before, and the same
bytes the simulator served before its results were made lazily (the hash below was taken with this test from main at
032c758, when every result of the look-back was held in memory)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest

from bidradar.ingestion.simulator import OPERATIONS, G2BSimulator
from bidradar.ingestion.simulator.generator import KST

KEY = "bidradar-simulator-key"
NOW = datetime(2026, 4, 15, 12, 0, tzinfo=KST)
DAY = ("202603200000", "202603202359")
# sha256 over the pages below, from the simulator before the change (seed 11, 150 notices a day).
GOLDEN = "a9296e12506ea685e1cfd89c46a636f7ca96405c7582adac9749f72d94045d54"


def _path(op: str) -> str:
    return OPERATIONS[op].service + "/" + op


def _pages(client: httpx.Client, op: str, rows: int, **params: object) -> Iterator[bytes]:
    page = 1
    while True:
        r = client.get(
            _path(op), params={"ServiceKey": KEY, "type": "json", "pageNo": page, "numOfRows": rows, **params}
        )
        assert r.status_code == 200, r.text[:300]
        yield r.content
        if r.json()["response"]["header"]["resultCode"] == "03":
            return
        page += 1


def _window_pages(client: httpx.Client) -> Iterator[tuple[str, bytes]]:
    """Every operation's window on DAY, by each inquiry kind it has, page by page (prepar at its 500 cap)."""
    for op, spec in sorted(OPERATIONS.items()):
        for div in sorted(spec.windows):
            rows = 500 if spec.shape == "prepar" else 999
            for body in _pages(client, op, rows, inqryDiv=div, inqryBgnDt=DAY[0], inqryEndDt=DAY[1]):
                yield f"{op}:{div}", body


def _opened(client: httpx.Client) -> list[str]:
    numbers = []
    for op in sorted(o for o, s in OPERATIONS.items() if s.shape == "opening"):
        for body in _pages(client, op, 999, inqryDiv="1", inqryBgnDt=DAY[0], inqryEndDt=DAY[1]):
            items = httpx.Response(200, content=body).json()["response"]["body"]["items"]
            items = [] if items == "" else [items] if isinstance(items, dict) else items
            numbers += [i["bidNtceNo"] for i in items if i["progrsDivCdNm"] == "개찰완료"]
    return sorted(numbers)


def _bidder_pages(client: httpx.Client, numbers: list[str]) -> Iterator[tuple[str, bytes]]:
    for no in numbers:
        for body in _pages(client, "getOpengResultListInfoOpengCompt", 999, bidNtceNo=no):
            yield f"compt:{no}", body


def _by_number_pages(client: httpx.Client, numbers: list[str]) -> Iterator[tuple[str, bytes]]:
    for no in numbers:
        for op, spec in sorted(OPERATIONS.items()):
            if spec.by_no_div:
                for body in _pages(client, op, 999, inqryDiv=spec.by_no_div, bidNtceNo=no):
                    yield f"{op}:{no}", body


def _digest(pages: Iterator[tuple[str, bytes]]) -> tuple[str, int]:
    h, n = hashlib.sha256(), 0
    for label, body in pages:
        h.update(label.encode() + b"\0" + body + b"\0")
        n += 1
    return h.hexdigest(), n


@pytest.mark.timeout(900)  # ~1,000 requests and 45 days generated: minutes on a loaded machine
def test_a_days_pages_are_the_bytes_served_before_the_change() -> None:
    sim = G2BSimulator(seed=11, notices_per_day=150, service_key=KEY, now=NOW)
    with sim.serve() as base_url, httpx.Client(base_url=base_url, timeout=600) as client:
        numbers = _opened(client)
        windows, n_windows = _digest(_window_pages(client))
        bidders, n_bidders = _digest(_bidder_pages(client, numbers[::3]))
        by_number, _ = _digest(_by_number_pages(client, numbers[::25]))
    assert n_windows > 50 and n_bidders > len(numbers) // 3 > 20
    assert hashlib.sha256(f"{windows}{bidders}{by_number}".encode()).hexdigest() == GOLDEN


@pytest.mark.timeout(900)
def test_the_bidders_of_an_opening_do_not_depend_on_what_was_asked_before() -> None:
    """A fresh simulator asked for one opening's bidders first (nothing of its day made yet) serves the same bytes
    as one that first served the whole day's windows and every other opening's bidders."""
    warm = G2BSimulator(seed=11, notices_per_day=150, service_key=KEY, now=NOW)
    with warm.serve() as base_url, httpx.Client(base_url=base_url, timeout=600) as client:
        numbers = _opened(client)
        for _ in _window_pages(client):
            pass
        picked = numbers[7::20]
        warm_pages = {no: _digest(_bidder_pages(client, [no])) for no in picked}
    cold = G2BSimulator(seed=11, notices_per_day=150, service_key=KEY, now=NOW)
    with cold.serve() as base_url, httpx.Client(base_url=base_url, timeout=600) as client:
        cold_pages = {no: _digest(_bidder_pages(client, [no])) for no in reversed(picked)}
    assert len(picked) >= 3
    assert cold_pages == warm_pages
