"""Arrow tables: :func:`clean_table`, the columnar form of :func:`cleaner.clean_batch` (Ray, Spark ``mapInArrow``).

The output keeps every input column unchanged (but those named like the ones it adds) and appends ``clean_text``,
``language``, ``cleaner_error`` (``{"type", "message"}`` or null) and, with
``audit=True``, ``cleaner_audit``, with fixed types (:func:`output_types`) so
every batch has the same schema. A table has one schema for all rows, so an
output field that :func:`cleaner.clean_batch` leaves out of a record is null
here (``cleaner_error`` on success; ``clean_text`` and ``language`` on error).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from .. import OUTPUT_FIELDS, clean_batch

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa


def output_types(audit: bool) -> Dict[str, "pa.DataType"]:
    """The Arrow types of the columns :func:`clean_table` appends."""
    import pyarrow as pa

    types = {"clean_text": pa.string(), "language": pa.string(),
             "cleaner_error": pa.struct([("type", pa.string()), ("message", pa.string())])}
    if audit:
        removal = pa.struct([("index", pa.int64()), ("rule", pa.string()), ("stage", pa.string()),
                             ("reason", pa.string()), ("span", pa.list_(pa.int64())),
                             ("score", pa.float64()), ("text", pa.string())])
        types["cleaner_audit"] = pa.list_(removal)
    return types


def clean_table(table: "pa.Table", *, text_field: str = "text", html_field: Optional[str] = None,
                url_field: Optional[str] = "url", audit: bool = False, **options: Any) -> "pa.Table":
    """Clean one Arrow table with :func:`cleaner.clean_batch`; input columns are kept unchanged,
    except ``OUTPUT_FIELDS`` (an earlier run's output, or a column of the same name), which are replaced."""
    import pyarrow as pa

    rows = clean_batch(table.to_pylist(), text_field=text_field, html_field=html_field,
                       url_field=url_field, audit=audit, **options)
    out = table.drop_columns([c for c in OUTPUT_FIELDS if c in table.column_names])
    for field, column in output_columns(rows, audit):
        out = out.append_column(field, column)
    return out


def listed_spans(audit: Optional[List[Dict[str, Any]]]) -> Optional[List[Dict[str, Any]]]:
    """A record's ``cleaner_audit`` with each span as a list (Arrow and datasets hold no tuples).

    >>> listed_spans([{"rule": "image-url-span", "span": (3, 9)}, {"rule": "byline", "span": None}])
    [{'rule': 'image-url-span', 'span': [3, 9]}, {'rule': 'byline', 'span': None}]
    """
    if audit is None:
        return None
    return [dict(r, span=list(r["span"]) if r["span"] else None) for r in audit]


def output_columns(rows: List[Dict[str, Any]], audit: bool) -> List[Tuple["pa.Field", "pa.Array"]]:
    """The columns :func:`clean_table` appends, with their fixed types, from ``clean_batch``'s rows."""
    import pyarrow as pa

    columns = []
    for name, typ in output_types(audit).items():
        values = [row.get(name) for row in rows]
        if name == "cleaner_audit":
            values = list(map(listed_spans, values))
        columns.append((pa.field(name, typ), pa.array(values, type=typ)))
    return columns
