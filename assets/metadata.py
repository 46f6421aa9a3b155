"""How assets describe their data in the Dagster UI."""

from __future__ import annotations

import polars as pl
from dagster import MetadataValue


def markdown_preview(frame: pl.DataFrame, columns: list[str] | None = None, rows: int = 5) -> MetadataValue:
    """The first rows of a frame as a Markdown table (long texts cut, so the UI stays readable)."""
    if frame.is_empty():
        return MetadataValue.md("_no rows_")
    shown = frame.select(columns or frame.columns[:8]).head(rows)
    header = "| " + " | ".join(shown.columns) + " |\n|" + "---|" * len(shown.columns) + "\n"
    lines = []
    for row in shown.iter_rows():
        cells = ["" if v is None else str(v).replace("|", "/")[:40] for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return MetadataValue.md(header + "\n".join(lines))
