"""One day's raw pages -> the warehouse tables and how each is written (key, newer-wins column).

Pure: frames in, frames and TableWrites out. The ingestion assets and the benchmark both use it, so the
benchmark measures exactly what the assets do.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bidradar.core import schema
from bidradar.core.warehouse import TableWrite
from bidradar.ingestion import crawl, fields, normalize, search_index

RAW_PAGE_KEY = ["dataset", "partition_date", "operation", "request_key", "page_no"]
NOTICE_TABLE_KEYS = {
    "bid_notices": ["notice_no"],
    "notice_base_amounts": ["notice_no", "notice_order"],
    "notice_license_limits": ["notice_no", "notice_order", "group_no", "seq_no"],
    "notice_region_limits": ["notice_no", "notice_order", "seq_no"],
}
RESULT_TABLE_KEYS = {
    "bid_openings": normalize.OPENING_KEY,
    "bid_awards": normalize.OPENING_KEY,
    "bid_result_reserve_prices": [*normalize.OPENING_KEY, "price_no"],
    "bid_result_bidders": [*normalize.OPENING_KEY, "business_no"],
}
OUTCOME_KEY = normalize.OPENING_KEY


def raw_pages_write(pages: pl.DataFrame, dataset: str) -> TableWrite:
    """A day's raw pages of one dataset (notices or results): the day owns only its own dataset's pages."""
    return TableWrite("g2b_raw_pages", pages, RAW_PAGE_KEY, scope={"dataset": dataset})


def prune_raw_pages(engine: Engine, before: dt.date) -> int:
    """Delete the raw pages of partition days before `before`, in one transaction; how many went. The normalized
    tables keep every row; only a re-normalization of those days would need them (a new crawl then)."""
    pages = schema.g2b_raw_pages
    with engine.begin() as conn:
        return conn.execute(sa.delete(pages).where(pages.c.partition_date < before)).rowcount


def load_raw_pages(engine: Engine, dataset: str, day: dt.date) -> dict[str, pl.DataFrame]:
    """The raw items of one partition, one all-string frame per operation.

    Read from the columnar copies (Arrow IPC) when every page of the operation has one of the current mapping
    version; otherwise from the gzipped JSON (pages crawled before the copies existed, or a changed mapping)."""
    with engine.connect() as conn:
        pages = conn.execute(
            sa.text(
                "SELECT operation, items_ipc, mapping_version FROM g2b_raw_pages WHERE dataset = :dataset "
                "AND partition_date = :day ORDER BY operation, request_key, page_no"
            ),
            {"dataset": dataset, "day": day.isoformat()},
        ).all()
        by_operation: dict[str, list[bytes | None]] = {}
        for operation, blob, version in pages:
            usable = blob is not None and version == fields.MAPPING_VERSION
            by_operation.setdefault(operation, []).append(bytes(blob) if usable else None)
        out = {}
        for op, blobs in by_operation.items():
            if all(b is not None for b in blobs):
                out[op] = normalize.columnar_to_frame(blobs, op)  # type: ignore[arg-type]
                continue
            json_pages = conn.execute(
                sa.text(
                    "SELECT items_json_gz FROM g2b_raw_pages WHERE dataset = :dataset AND partition_date = :day "
                    "AND operation = :op ORDER BY request_key, page_no"
                ),
                {"dataset": dataset, "day": day.isoformat(), "op": op},
            ).scalars()
            out[op] = normalize.pages_to_frame([bytes(b) for b in json_pages], op)
    return out


def concat_operations(raw: dict[str, pl.DataFrame], operations: list[str]) -> pl.DataFrame:
    """The raw items of several operations (one per category) as one frame."""
    frames = [raw[op] for op in operations if op in raw and not raw[op].is_empty()]
    if not frames:
        return pl.DataFrame({"_operation": []}, schema={"_operation": pl.String})
    return pl.concat(frames, how="diagonal")


def _empty_as_table(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """A day without rows of a table: an empty frame of the table's columns (the normalizers return the raw columns
    then, which the writer rightly refuses)."""
    if not frame.is_empty():
        return frame
    return pl.DataFrame(schema=schema.polars_schema(schema.metadata.tables[name]))


def notice_tables(raw: dict[str, pl.DataFrame], day: dt.date) -> dict[str, pl.DataFrame]:
    tables = {
        "bid_notices": normalize.normalize_notices(concat_operations(raw, crawl.NOTICE_LIST_OPS), day),
        "notice_base_amounts": normalize.normalize_base_amounts(concat_operations(raw, crawl.BASE_AMOUNT_OPS), day),
        "notice_license_limits": normalize.normalize_license_limits(
            concat_operations(raw, [crawl.LICENSE_LIMIT_OP]), day
        ),
        "notice_region_limits": normalize.normalize_region_limits(concat_operations(raw, [crawl.REGION_LIMIT_OP]), day),
    }
    return {name: _empty_as_table(name, frame) for name, frame in tables.items()}


def notice_writes(
    tables: dict[str, pl.DataFrame], raw: dict[str, pl.DataFrame], fetched_at: dt.datetime, dialect: str
) -> list[TableWrite]:
    """The notice tables, plus the record of which details were fetched (what tells "none" from "unknown").

    On PostgreSQL the notices' search bigrams are staged first and removed again last, in the same transaction:
    the search triggers read them instead of computing them (migration 0031, `search_index`). SQLite's row
    triggers index each notice themselves."""
    fetched = pl.DataFrame(
        {
            "license_limits_complete": [crawl.LICENSE_LIMIT_OP in raw],
            "region_limits_complete": [crawl.REGION_LIMIT_OP in raw],
            "base_amounts_complete": [all(op in raw for op in crawl.BASE_AMOUNT_OPS)],
            "fetched_at": [fetched_at],
        }
    )
    writes = [
        TableWrite(
            name,
            frame.drop("partition_date", strict=False),
            NOTICE_TABLE_KEYS[name],
            "revision_key" if name == "bid_notices" else None,
        )
        for name, frame in tables.items()
    ]
    writes.append(TableWrite("notice_detail_fetches", fetched, ["partition_date"]))
    if dialect != "postgresql":
        return writes
    staged = search_index.staged_search_rows(tables["bid_notices"])
    return [
        TableWrite("notice_search_staged", staged, ["notice_no"], replace="table", staging=True),
        *writes,
        TableWrite("notice_search_staged", staged.clear(), ["notice_no"], replace="table", staging=True),
    ]


def result_tables(raw: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """One registration day's result pages -> the four result tables of that day."""
    return normalize.normalize_results(
        concat_operations(raw, crawl.OPENING_OPS),
        concat_operations(raw, crawl.AWARD_OPS),
        concat_operations(raw, crawl.RESERVE_PRICE_OPS),
        concat_operations(raw, [crawl.BIDDERS_OP]),
    )


def result_writes(tables: dict[str, pl.DataFrame]) -> list[TableWrite]:
    return [TableWrite(name, frame, RESULT_TABLE_KEYS[name]) for name, frame in tables.items()]


def outcome_write(frame: pl.DataFrame) -> TableWrite:
    """Outcomes are upserted by opening: a run rewrites the openings it touched, never a whole day."""
    return TableWrite("bid_outcomes", frame, OUTCOME_KEY, replace="rows")
