"""Both backends store the same rows for the same writes: awkward text survives COPY, and a key that occurs
twice in one load keeps the same row (the newest, of equals the last) on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
import sqlalchemy as sa

from bidradar.core import warehouse
from bidradar.core.warehouse import TableWrite

DAY = dt.date(2026, 11, 2)
TEXTS = ["\\N", "", None, "NULL", 'a "quoted", comma', "line\nbreak", "back\\slash", "  spaced  "]


def _notice(no: str, title: str | None, revision: str = "000|20261102090000", reason: str | None = None) -> dict:
    return {
        "notice_no": no,
        "notice_order": revision[:3],
        "revision_key": revision,
        "category": "services",
        "is_cancelled": False,
        "title": title or "제목",
        "change_reason": reason,
        "registered_at": dt.datetime(2026, 11, 2, 9, 0),
        "estimated_price": 219_000_000,
    }


def _writes() -> list[tuple[list[TableWrite], dt.date]]:
    awkward = [_notice(f"R26BK0000010{i}", "제목", reason=text) for i, text in enumerate(TEXTS)]
    # One key twice with the same revision: the last one wins. Another twice with a newer one first: it wins.
    twice = [
        _notice("R26BK00000001", "먼저"),
        _notice("R26BK00000002", "새 차수", "001|20261103090000"),
        _notice("R26BK00000001", "나중"),
        _notice("R26BK00000002", "옛 차수", "000|20261102090000"),
    ]
    # A load that collides with rows already there takes the upsert path: the same rule holds.
    again = [_notice("R26BK00000001", "다시 먼저"), _notice("R26BK00000001", "다시 나중")]
    bidders = pl.DataFrame(
        {
            "notice_no": ["R26BK00000001"] * 3,
            "notice_order": ["000"] * 3,
            "bid_class_no": ["0"] * 3,
            "rebid_no": ["000"] * 3,
            "business_no": ["1234567890", "1234567890", "2222222222"],
            "rank": [1, 2, 3],
            "remark": ["\\N", "낙찰하한율미만", ""],
        }
    )
    key = ["notice_no", "notice_order", "bid_class_no", "rebid_no", "business_no"]
    return [
        ([TableWrite("bid_notices", pl.DataFrame(awkward + twice), ["notice_no"], "revision_key")], DAY),
        ([TableWrite("bid_notices", pl.DataFrame(again), ["notice_no"], "revision_key")], DAY + dt.timedelta(1)),
        ([TableWrite("bid_result_bidders", bidders, key)], DAY),
    ]


def _rows(engine: sa.Engine, table: str, columns: str) -> list[tuple]:
    frame = warehouse.read_frame(engine, f"SELECT {columns} FROM {table} ORDER BY 1, 2")
    return [tuple(str(v) if v is not None else None for v in row) for row in frame.iter_rows()]


@pytest.mark.postgres
@pytest.mark.parametrize("slice_rows", [100_000, 2])
def test_the_same_writes_give_the_same_rows_on_both_backends(
    sqlite_url: str, postgres_url: str, slice_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With slices of 2 rows, COPY's CSV is encoded and sent in pieces that split the awkward texts' rows."""
    monkeypatch.setattr(warehouse, "COPY_SLICE_ROWS", slice_rows)
    stored = {}
    for name, url in (("sqlite", sqlite_url), ("postgresql", postgres_url)):
        engine = warehouse.make_engine(url)
        warehouse.migrate(engine)
        for writes, day in _writes():
            warehouse.write(engine, writes, day)
        stored[name] = (
            _rows(engine, "bid_notices", "notice_no, title, change_reason, notice_order"),
            _rows(engine, "bid_result_bidders", "business_no, rank, remark"),
        )
        engine.dispose()
    assert stored["sqlite"] == stored["postgresql"]
    notices, bidders = stored["postgresql"]
    reasons = {no: reason for no, _, reason, _ in notices}
    assert [reasons[f"R26BK0000010{i}"] for i in range(len(TEXTS))] == TEXTS  # `\N` is text, None is NULL
    titles = {no: title for no, title, _, _ in notices}
    assert titles["R26BK00000001"] == "다시 나중" and titles["R26BK00000002"] == "새 차수"
    assert bidders == [("1234567890", "2", "낙찰하한율미만"), ("2222222222", "3", "")]


def test_copy_text_is_the_same_whatever_the_slices_and_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """COPY's CSV is encoded a slice of rows at a time and read in pieces of the driver's size: every combination
    gives the same bytes as one encoding of the whole frame."""
    frame = pl.DataFrame(
        {
            "n": list(range(50)),
            "text": [TEXTS[i % len(TEXTS)] for i in range(50)],
            "title": ["제목 " * (i % 7) for i in range(50)],
        }
    )
    whole = frame.write_csv(include_header=False, null_value="", quote_style="non_numeric").encode()
    for slice_rows in (1, 7, 50, 100_000):
        monkeypatch.setattr(warehouse, "COPY_SLICE_ROWS", slice_rows)
        for read_size in (1, 5, 64, 1 << 16):
            stream, pieces = warehouse._CsvStream(frame), []
            while piece := stream.read(read_size):
                pieces.append(piece)
            assert b"".join(pieces) == whole, (slice_rows, read_size)
