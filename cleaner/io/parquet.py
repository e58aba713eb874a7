"""Parquet (optional extra ``cleaner[parquet]``, pyarrow): read by row groups, write row groups.

A Parquet file cannot be appended to once its footer is written, so a Parquet
output is never checkpointed halfway: ``--resume`` redoes the file it was in.
"""
from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterator, List, Optional

from .. import OUTPUT_FIELDS
from .items import BEGIN, END, RECORD, Item, read_error
from .outfile import PART_SUFFIX, remove_output

ROWS_PER_GROUP = 4096
_BATCH = 1024


def _pyarrow() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError("Parquet needs pyarrow: pip install 'cleaner[parquet]'") from None
    return pq


def read_parquet(src: int, path: str, skip: int, emit: str) -> Iterator[Item]:
    """One item per row, read a batch at a time; whole row groups before ``skip`` are not read."""
    pq = _pyarrow()
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # not Parquet, or a damaged footer
        yield Item(BEGIN, src, 0, None, "parquet", emit)
        yield read_error(src, 1, type(exc).__name__, f"cannot open as Parquet: {exc}", "parquet")
        yield Item(END, src, 1, None, "parquet", emit)
        return
    yield Item(BEGIN, src, 0, pf.schema_arrow, "parquet", emit)
    pos = 0
    try:
        for group in range(pf.num_row_groups):
            rows = pf.metadata.row_group(group).num_rows
            if pos + rows <= skip:
                pos += rows
                continue
            for batch in pf.iter_batches(batch_size=_BATCH, row_groups=[group]):
                for row in batch.to_pylist():
                    pos += 1
                    if pos > skip:
                        yield Item(RECORD, src, pos, row, "parquet", emit)
    except Exception as exc:  # a damaged row group ends this file, not the run
        yield read_error(src, pos + 1, type(exc).__name__, f"Parquet file unreadable after row {pos}: {exc}", "parquet")
    yield Item(END, src, pos, None, "parquet", emit)


def output_schema(schema: Any, audit: bool) -> Any:
    """The input columns (but any named like cleaner's output fields, :data:`cleaner.OUTPUT_FIELDS`)
    plus ``clean_text``, ``language`` (and ``cleaner_audit`` as JSON); failed records go to the errors file."""
    import pyarrow as pa

    fields = [f for f in schema if f.name not in OUTPUT_FIELDS]
    fields += [pa.field("clean_text", pa.string()), pa.field("language", pa.string())]
    if audit:
        fields.append(pa.field("cleaner_audit", pa.string()))
    return pa.schema(fields)


class ParquetOut:
    """A Parquet file written under ``<path>.part`` in row groups, renamed by the run once
    finished (:func:`cleaner.io.resume.rename_parts`)."""

    def __init__(self, path: str, input_schema: Any, audit: bool) -> None:
        pq = _pyarrow()
        self.path, self.part, self.audit = path, path + PART_SUFFIX, audit
        self.schema = output_schema(input_schema, audit)
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self._writer = pq.ParquetWriter(self.part, self.schema)
        self._rows: List[Dict[str, Any]] = []
        self.written = 0

    def add(self, row: Dict[str, Any]) -> None:
        if self.audit:
            row["cleaner_audit"] = json.dumps(row.get("cleaner_audit") or [], ensure_ascii=False)
        self._rows.append(row)
        self.written += 1
        if len(self._rows) >= ROWS_PER_GROUP:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            import pyarrow as pa

            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self.schema))
            self._rows = []

    def checkpoint(self) -> Optional[int]:
        """Parquet cannot resume mid-file."""
        return None

    def finish(self) -> None:
        """Write the last row group and the footer, under the temporary name."""
        self.flush()
        self._writer.close()

    def close(self) -> None:
        self._writer.close()

    def discard(self) -> None:
        """Stop and remove the output (see :func:`.outfile.remove_output`)."""
        self._writer.close()
        remove_output(self.path)
