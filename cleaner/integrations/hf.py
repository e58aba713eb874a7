"""Hugging Face ``datasets``: :func:`clean_columns`, the columnar form of :func:`cleaner.clean_batch`.

``Dataset.map(batched=True)`` passes a dict of columns, not a list of records::

    from cleaner.integrations.hf import clean_columns, output_features
    ds = ds.map(clean_columns, batched=True, fn_kwargs={"language": "en"},
                features=output_features(ds.features), num_proc=4)

Each row gets ``clean_text``, ``language`` and ``cleaner_error`` (null, or
``{"type", "message"}`` for a row that failed; ``clean_text`` is then null), plus
``cleaner_audit`` with ``audit=True``. ``features=`` fixes the new columns'
types so a batch whose values are all null still writes. ``datasets`` is
imported only by :func:`output_features`.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from .. import OUTPUT_FIELDS, clean_batch
from .arrow import listed_spans

# The columns added to every row (``cleaner_audit`` too with ``audit=True``).
NEW_COLUMNS = tuple(c for c in OUTPUT_FIELDS if c != "cleaner_audit")


def clean_columns(batch: Dict[str, List[Any]], *, text_field: str = "text", html_field: Optional[str] = None,
                  url_field: Optional[str] = "url", audit: bool = False, **options: Any) -> Dict[str, List[Any]]:
    """Clean a batch of columns; returns the input columns unchanged plus the new ones, same length."""
    names = list(batch)
    n = len(batch[names[0]]) if names else 0
    records = [{name: batch[name][i] for name in names} for i in range(n)]
    rows = clean_batch(records, text_field=text_field, html_field=html_field, url_field=url_field,
                       audit=audit, **options)
    out = dict(batch)
    for column in NEW_COLUMNS + (("cleaner_audit",) if audit else ()):
        out[column] = [row.get(column) for row in rows]
    if audit:
        out["cleaner_audit"] = list(map(listed_spans, out["cleaner_audit"]))
    return out


def output_features(features: Any, audit: bool = False) -> Any:
    """``features`` (the input dataset's) plus the types of the columns :func:`clean_columns` adds."""
    from datasets import Features, List as DList, Value

    string = Value("string")
    new: Dict[str, Any] = {"clean_text": string, "language": string,
                           "cleaner_error": {"type": string, "message": string}}
    if audit:
        new["cleaner_audit"] = DList({"index": Value("int64"), "rule": string, "stage": string, "reason": string,
                                      "span": DList(Value("int64")), "score": Value("float64"), "text": string})
    return Features({**features, **new})
