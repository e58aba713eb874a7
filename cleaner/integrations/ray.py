"""Ray Data: clean a dataset on one machine or a cluster with :func:`cleaner.clean_batch`.

>>> import ray.data                                                  # doctest: +SKIP
>>> from cleaner.integrations.ray import clean_dataset               # doctest: +SKIP
>>> ds = ray.data.read_json("pages/", lines=True)                    # doctest: +SKIP
>>> clean_dataset(ds, language="en").write_parquet("clean/")         # doctest: +SKIP

Each Ray task cleans one Arrow batch with :func:`cleaner.integrations.arrow.clean_table`; the rules and
language profiles are cached per worker process, so they load once. The
output keeps every input column as it was and adds ``clean_text``,
``language``, ``cleaner_error`` (``{"type", "message"}`` or null) and, with
``audit=True``, ``cleaner_audit`` (see :mod:`cleaner.integrations.arrow`).
Ray is imported lazily: ``import cleaner.integrations.ray`` works without it.
"""
from __future__ import annotations

import glob
import json
import os
import time
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Union

from ..config import Options
from ..io.jsonl import json_value, parse_line
from .arrow import OUTPUT_FIELDS, clean_table

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

    Options.from_kwargs(**options)  # fail in the driver, not in every worker
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


MALFORMED = "cleaner_malformed"
"""The column the JSONL reader fills, on a line that is not a JSON object only, with that
line's error; :func:`_clean_and_tally` turns it into the row's ``cleaner_error``."""
RAW_LINE = "cleaner_raw_line"
"""The column that keeps such a line as it was read (invalid UTF-8 as backslash escapes)."""
ROWS_PER_BLOCK = 1024


def _column(values: List[Any]) -> "pa.Array":
    """One Arrow column; a field whose type varies from row to row becomes text (JSON for non-strings)."""
    import pyarrow as pa

    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return pa.array([v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=json_value)
                         for v in values], type=pa.string())


def _block(rows: List[Dict[str, Any]]) -> "pa.Table":
    import pyarrow as pa

    names = list(dict.fromkeys(name for row in rows for name in row))
    return pa.table([_column([row.get(name) for row in rows]) for name in names], names=names)


def _jsonl_datasource(paths: List[str]) -> Any:
    """A Ray datasource of JSONL files that streams them line by line and makes a line that is not a
    JSON object one row carrying its error and its text (Ray's own JSON reader stops the run there)."""
    from ray.data.datasource import FileBasedDatasource

    class JsonlLines(FileBasedDatasource):
        def _read_stream(self, f: Any, path: str) -> Iterable["pa.Table"]:
            rows: List[Dict[str, Any]] = []
            number, rest = 0, b""
            while True:
                chunk = f.read(1 << 20)
                lines = (rest + chunk).split(b"\n")
                rest = lines.pop() if chunk else b""
                for line in lines:
                    number += 1
                    if not line.strip():
                        continue
                    try:
                        rows.append(parse_line(line))
                    except ValueError as exc:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
                        rows.append({MALFORMED: f"{path}, line {number}: {exc}"[:500],
                                     RAW_LINE: line.decode("utf-8", "backslashreplace")})
                    if len(rows) >= ROWS_PER_BLOCK:
                        yield _block(rows)
                        rows = []
                if not chunk:
                    break
            if rows:
                yield _block(rows)

    return JsonlLines(paths)


def _mark_malformed(table: "pa.Table") -> "pa.Table":
    """``cleaner_error`` = MalformedRecord on the rows the JSONL reader could not parse."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if MALFORMED not in table.column_names:
        return table
    message = table.column(MALFORMED)
    malformed = pa.StructArray.from_arrays(
        [pa.array(["MalformedRecord"] * len(table), type=pa.string()), message.combine_chunks().cast(pa.string())],
        names=["type", "message"])
    index = table.column_names.index("cleaner_error")
    errors = pc.if_else(pc.is_valid(message), malformed, table.column(index))
    return table.set_column(index, table.field(index), errors).drop_columns([MALFORMED])


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
    import ray

    out = _mark_malformed(clean_table(batch, **kwargs))
    ray.get(tally.add.remote(out.num_rows, out.num_rows - out.column("cleaner_error").null_count))
    return out


def run_jsonl(inputs: Union[str, Iterable[str]], output_dir: str, address: Optional[str] = None, *,
              output_format: Optional[str] = None, workers: Optional[int] = None,
              text_field: str = "text", html_field: Optional[str] = None, url_field: Optional[str] = "url",
              audit: bool = False, batch_size: Optional[int] = 256, **options: Any) -> Dict[str, Any]:
    """Clean JSONL or Parquet shards with Ray and write cleaned shards to ``output_dir``.

    ``inputs`` are files, directories or globs (JSONL, ``.jsonl.gz``/``.zst``,
    or ``.parquet``). Without ``address`` a local Ray instance is started (all
    local CPUs, no dashboard); ``address="auto"`` or ``"ray://host:10001"``
    joins a running cluster. ``output_format`` is ``"jsonl"`` (``*.jsonl`` files)
    or ``"parquet"`` (default: the input's); each row is the input record plus
    ``clean_text``, ``language`` and ``cleaner_error`` (null unless it failed). A JSONL line that is
    not a JSON object is one row with ``cleaner_error`` MalformedRecord and the line in
    ``cleaner_raw_line``: it does not stop the run. Read, clean and write stream block by block
    (nothing is held whole); row order is preserved. Returns counts (errors included) and wall time.
    """
    import ray
    import ray.data
    from ray.data.datasource import FilenameProvider

    Options.from_kwargs(**options)
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
        ds = ray.data.read_parquet(paths) if parquet else ray.data.read_datasource(_jsonl_datasource(paths))
        kwargs = dict(text_field=text_field, html_field=html_field, url_field=url_field, audit=audit, **options)
        cleaned = ds.map_batches(_clean_and_tally, fn_kwargs={"kwargs": kwargs, "tally": tally},
                                 batch_format="pyarrow", batch_size=batch_size, num_cpus=1,
                                 compute=ray.data.TaskPoolStrategy(size=workers) if workers else None,
                                 udf_modifying_row_count=False)
        if fmt == "parquet":
            cleaned.write_parquet(output_dir)
        else:
            # JSON lines, named <write-uuid>_<task:06>.jsonl: sorted names follow the input order.
            cleaned.write_json(output_dir, force_ascii=False, filename_provider=FilenameProvider(file_format="jsonl"))
        totals = ray.get(tally.totals.remote())
    finally:
        execution.preserve_order = preserve_order
        if started_here:
            ray.shutdown()
    return dict(totals, seconds=round(time.perf_counter() - t0, 3), output_dir=output_dir, format=fmt)
