"""The units that flow from readers through the worker pool to the writers.

A reader yields, per input, a ``BEGIN`` marker, one counted item per record
(``RAW`` JSON line, ``RECORD`` dict, read ``ERROR`` or counted ``SKIP``) and an
``END`` marker. Each counted item becomes exactly one :class:`Result`: an
output, an error or a skip. ``pos`` is the 1-based record position in its input
(the line of a JSONL file, the record of a WARC, the row of a Parquet file).
"""
from __future__ import annotations

from typing import Any, Dict, NamedTuple, Optional

BEGIN, END = "begin", "end"
RAW, RECORD, ERROR, SKIP = "raw", "record", "error", "skip"
OUT = "out"
COUNTED = frozenset((RAW, RECORD, ERROR, SKIP))


class Item(NamedTuple):
    """One thing read: ``kind``, input index ``src``, position, payload, input format,
    and how the worker should ``emit`` the output (``json`` line, ``text`` or ``dict``)."""

    kind: str
    src: int
    pos: int
    payload: Any = None
    fmt: str = ""
    emit: str = "json"


class Result(NamedTuple):
    """One thing to write: ``OUT`` (bytes, str or dict by ``emit``), ``ERROR`` (dict),
    ``SKIP`` (reason) or a marker; ``rules`` counts each rule's removals (span cuts too)."""

    kind: str
    src: int
    pos: int
    payload: Any = None
    rules: Optional[Dict[str, int]] = None


def error_info(exc_type: str, message: str, record_id: Any = None, url: Any = None) -> Dict[str, Any]:
    """The payload of an error item or result."""
    return {"type": exc_type, "message": message, "id": record_id, "url": url}


def read_error(src: int, pos: int, exc_type: str, message: str, fmt: str = "") -> Item:
    """An input problem found while reading (malformed line, truncated file)."""
    return Item(ERROR, src, pos, error_info(exc_type, message), fmt)
