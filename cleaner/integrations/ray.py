"""Ray Data: clean a dataset on one machine or a cluster with :func:`cleaner.clean_batch`::

    import ray.data
    from cleaner.integrations.ray import clean_dataset
    ds = ray.data.read_json("pages/", lines=True)
    clean_dataset(ds, language="en").write_parquet("clean/")

Each Ray task cleans one Arrow batch with :func:`cleaner.integrations.arrow.clean_table`; the rules and
language profiles are cached per worker process, so they load once. The
output keeps every input column as it was and adds ``clean_text``,
``language``, ``cleaner_error`` (``{"type", "message"}`` or null) and, with
``audit=True``, ``cleaner_audit`` (see :mod:`cleaner.integrations.arrow`).
Ray is imported lazily: ``import cleaner.integrations.ray`` works without it.
"""
from __future__ import annotations

import glob
import io
import json
import os
import time
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Tuple, Union

from .. import clean_batch
from ..config import Options
from ..io.jsonl import dump_line, json_value, line_limit, parse_line, read_lines, too_long
from ..io.sources import JSONL_SUFFIXES
from .arrow import OUTPUT_FIELDS, clean_table, output_columns

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
    import ray.data

__all__ = ["OUTPUT_FIELDS", "clean_arrow_batch", "clean_dataset", "clean_table", "run_jsonl"]

def clean_arrow_batch(batch: "pa.Table", kwargs: Dict[str, Any]) -> "pa.Table":
    """The ``map_batches`` function. Ray reuses its worker processes, and the engine caches
    rules per process, so rules and language profiles load once per worker, not per batch."""
    return clean_table(batch, **kwargs)


def clean_dataset(ds: "ray.data.Dataset", *, text_field: str = "text", html_field: Optional[str] = None,
                  url_field: Optional[str] = "url", audit: bool = False, workers: Optional[int] = None,
                  batch_size: Optional[int] = 256, **options: Any) -> "ray.data.Dataset":
    """A lazy dataset of ``ds``'s rows cleaned by :func:`cleaner.clean_batch` (same options).

    Runs as Ray tasks of one CPU each (fused with the read when there is one,
    so pages do not cross the object store twice); ``workers`` caps how many
    run at once, by default one per CPU of the cluster. Options are checked
    here, before any work is scheduled; rule YAML paths must exist on every node.
    """
    import ray.data

    Options.checked(**options)  # fail in the driver, not in every worker
    kwargs = dict(text_field=text_field, html_field=html_field, url_field=url_field, audit=audit, **options)
    compute = ray.data.TaskPoolStrategy(size=workers) if workers else None
    return ds.map_batches(clean_arrow_batch, fn_kwargs={"kwargs": kwargs}, batch_format="pyarrow",
                          batch_size=batch_size, compute=compute, num_cpus=1, udf_modifying_row_count=False)


def _expand(inputs: Union[str, Iterable[str]]) -> List[str]:
    paths: List[str] = []
    for item in [inputs] if isinstance(inputs, str) else inputs:
        matches = sorted(glob.glob(item)) if glob.has_magic(item) else [item]
        if not matches:
            raise FileNotFoundError(f"no input matches {item!r}")
        paths.extend(matches)
    return paths


def _is_parquet(paths: List[str]) -> bool:
    """Parquet when every path (or every file under a directory) ends in ``.parquet``."""
    files = [os.path.join(r, f) for p in paths for r, _, fs in (os.walk(p) if os.path.isdir(p) else [("", [], [p])])
             for f in fs]
    return bool(files) and all(f.endswith(".parquet") for f in files)


RAW_LINE = "cleaner_raw_line"
"""The field that keeps a JSONL line that is not a JSON object, as it was read (invalid UTF-8
as backslash escapes), in the error row that stands in its place."""
ROWS_PER_BLOCK = 1024


def _jsonl_datasource(paths: List[str], max_bytes: int) -> Any:
    """A Ray datasource of JSONL files read line by line (with the local engine's reader),
    one row a non-blank line: its file, line number and bytes, parsed later by the cleaning
    task. The rows all have one schema, whatever the records hold."""
    import pyarrow as pa
    from ray.data.datasource import FileBasedDatasource

    schema = pa.schema([("path", pa.string()), ("line", pa.int64()), ("raw", pa.binary()), ("error", pa.string())])
    limit = line_limit(max_bytes)

    class JsonlLines(FileBasedDatasource):
        def _read_stream(self, f: Any, path: str) -> Iterable["pa.Table"]:
            rows: List[Dict[str, Any]] = []
            for number, (line, complete) in enumerate(read_lines(io.BufferedReader(f), limit), 1):
                if complete and not line.strip():
                    continue
                rows.append({"path": path, "line": number, "raw": line, "error": None if complete else too_long(limit)})
                if len(rows) >= ROWS_PER_BLOCK:
                    yield pa.Table.from_pylist(rows, schema=schema)
                    rows = []
            if rows:
                yield pa.Table.from_pylist(rows, schema=schema)

    # The local engine's JSONL names (.jsonl, .ndjson, and either .gz or .zst): a manifest.json or
    # README beside the shards is not read as records.
    return JsonlLines(paths, file_extensions=[name.lstrip(".") for name in JSONL_SUFFIXES])


def _parsed(row: Dict[str, Any]) -> Tuple[Dict[str, Any], bool]:
    """The record a JSONL row holds, or the error row that stands in its place (and True)."""
    error = row["error"]
    if error is None:
        try:
            return parse_line(row["raw"]), False
        except (ValueError, RecursionError) as exc:  # as the local engine: bad JSON, bad UTF-8, deep nesting
            error = str(exc)
    return {"cleaner_error": {"type": "MalformedRecord", "message": f"{row['path']}, line {row['line']}: {error}"[:500]},
            RAW_LINE: row["raw"].decode("utf-8", "backslashreplace").rstrip("\r\n")}, True


def _clean_rows(rows: List[Dict[str, Any]], kwargs: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Parse and clean one batch of JSONL rows, in order; a malformed line's error row stays as it is."""
    parsed = [_parsed(row) for row in rows]
    records = [record for record, _ in parsed]
    good = [i for i, (_, failed) in enumerate(parsed) if not failed]
    for i, out in zip(good, clean_batch([records[i] for i in good], **kwargs)):
        records[i] = out
    return records


def _column(values: List[Any]) -> "pa.Array":
    """One Arrow column; a field whose type varies from row to row becomes text (JSON for non-strings)."""
    import pyarrow as pa

    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return pa.array([v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=json_value)
                         for v in values], type=pa.string())


def _table(records: List[Dict[str, Any]], audit: bool) -> "pa.Table":
    """Cleaned records as a table: the input's fields, then the output columns with their fixed types."""
    import pyarrow as pa

    names = [n for n in dict.fromkeys(name for record in records for name in record) if n not in OUTPUT_FIELDS]
    columns = [_column([record.get(name) for record in records]) for name in names]
    fields = [pa.field(name, column.type) for name, column in zip(names, columns)]
    for field, column in output_columns(records, audit):
        fields.append(field)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def _jsonl_sink(output_dir: str) -> Any:
    """A Ray datasink that writes each block's ``json`` column (whole JSON lines) as it is:
    every record keeps its own fields and types, as in the local engine's output."""
    from ray.data.datasource import BlockBasedFileDatasink, FilenameProvider

    class JsonlLinesSink(BlockBasedFileDatasink):
        def write_block_to_file(self, block: Any, file: Any) -> None:
            file.write(b"".join(block.to_arrow().column("json").to_pylist()))

    # Files named <write-uuid>_<task:06>.jsonl: sorted names follow the input order.
    return JsonlLinesSink(output_dir, file_format="jsonl", filename_provider=FilenameProvider(file_format="jsonl"))


class _Tally:
    """A zero-CPU actor that adds up rows and errors as the streaming write goes."""

    def __init__(self) -> None:
        self.records = self.errors = 0

    def add(self, records: int, errors: int) -> None:
        self.records += records
        self.errors += errors

    def totals(self) -> Dict[str, int]:
        return {"records": self.records, "errors": self.errors}


def _clean_and_tally(batch: "pa.Table", kwargs: Dict[str, Any], tally: Any) -> "pa.Table":
    """Parquet rows: cleaned as a table, every input column kept."""
    import ray

    out = clean_table(batch, **kwargs)
    ray.get(tally.add.remote(out.num_rows, out.num_rows - out.column("cleaner_error").null_count))
    return out


def _clean_lines_and_tally(batch: "pa.Table", kwargs: Dict[str, Any], tally: Any, fmt: str) -> "pa.Table":
    """JSONL rows: parsed and cleaned, as JSON lines (``json``) or, for Parquet, as a table."""
    import pyarrow as pa
    import ray

    records = _clean_rows(batch.to_pylist(), kwargs)
    ray.get(tally.add.remote(len(records), sum(1 for r in records if r.get("cleaner_error"))))
    if fmt == "parquet":
        return _table(records, kwargs["audit"])
    return pa.table({"json": pa.array([dump_line(r) for r in records], type=pa.binary())})


def run_jsonl(inputs: Union[str, Iterable[str]], output_dir: str, address: Optional[str] = None, *,
              output_format: Optional[str] = None, workers: Optional[int] = None,
              text_field: str = "text", html_field: Optional[str] = None, url_field: Optional[str] = "url",
              audit: bool = False, batch_size: Optional[int] = 256, **options: Any) -> Dict[str, Any]:
    """Clean JSONL or Parquet shards with Ray and write cleaned shards to ``output_dir``.

    ``inputs`` are files, directories or globs (JSONL, ``.jsonl.gz``/``.zst``,
    or ``.parquet``). Without ``address`` a local Ray instance is started (all
    local CPUs, no dashboard); ``address="auto"`` or ``"ray://host:10001"``
    joins a running cluster. ``output_format`` is ``"jsonl"`` (``*.jsonl`` files)
    or ``"parquet"`` (default: the input's). A Parquet row is the input row plus ``clean_text``,
    ``language`` and ``cleaner_error`` (null unless it failed). JSONL (``JSONL_SUFFIXES``) is read
    line by line and written in the local engine's output format: each record with its own fields
    and types plus ``clean_text`` and ``language``, and ``cleaner_error`` only where it failed. A
    line that is not a JSON object (or is over ``max_bytes`` x 4) becomes one row with
    ``cleaner_error`` MalformedRecord (file and line number) and the line in ``cleaner_raw_line``,
    in its place, without stopping the run. (Parquet output of JSONL input needs each input field
    to keep one type: within a batch a mixed one is written as text.) Read, clean and write stream
    block by block (nothing is held whole); row order is preserved. Returns counts (errors
    included) and wall time.
    """
    import ray
    import ray.data
    from ray.data.datasource import FilenameProvider

    checked = Options.checked(**options)
    paths = _expand(inputs)
    parquet = _is_parquet(paths)
    fmt = output_format or ("parquet" if parquet else "jsonl")
    if fmt not in ("jsonl", "parquet"):
        raise ValueError(f"output_format must be 'jsonl' or 'parquet', not {fmt!r}")
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 configure_logging=False, ignore_reinit_error=True)
    t0 = time.perf_counter()
    execution = ray.data.DataContext.get_current().execution_options
    preserve_order, execution.preserve_order = execution.preserve_order, True
    try:
        tally = ray.remote(num_cpus=0)(_Tally).remote()
        kwargs = dict(text_field=text_field, html_field=html_field, url_field=url_field, audit=audit, **options)
        compute = ray.data.TaskPoolStrategy(size=workers) if workers else None
        if parquet:
            cleaned = ray.data.read_parquet(paths).map_batches(
                _clean_and_tally, fn_kwargs={"kwargs": kwargs, "tally": tally}, batch_format="pyarrow",
                batch_size=batch_size, num_cpus=1, compute=compute, udf_modifying_row_count=False)
        else:
            cleaned = ray.data.read_datasource(_jsonl_datasource(paths, checked.max_bytes)).map_batches(
                _clean_lines_and_tally, fn_kwargs={"kwargs": kwargs, "tally": tally, "fmt": fmt},
                batch_format="pyarrow", batch_size=batch_size, num_cpus=1, compute=compute,
                udf_modifying_row_count=False)
        if fmt == "parquet":
            cleaned.write_parquet(output_dir)
        elif parquet:
            cleaned.write_json(output_dir, force_ascii=False, filename_provider=FilenameProvider(file_format="jsonl"))
        else:
            cleaned.write_datasink(_jsonl_sink(output_dir))
        totals = ray.get(tally.totals.remote())
    finally:
        execution.preserve_order = preserve_order
        if started_here:
            ray.shutdown()
    return dict(totals, seconds=round(time.perf_counter() - t0, 3), output_dir=output_dir, format=fmt)
