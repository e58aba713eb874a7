"""Page files (``.txt``, ``.html``, one page each): read whole, written back as text files
that mirror the input tree."""
from __future__ import annotations

import io
import os
from typing import BinaryIO, Iterator, Optional

from .compress import open_read
from .items import BEGIN, END, RECORD, Item, read_error
from .sources import COMPRESSED, PAGE_SUFFIXES


def read_page(src: int, path: str, rel: str, fmt: str, skip: int, max_bytes: int, emit: str,
              raw: Optional[BinaryIO] = None) -> Iterator[Item]:
    """One item for the page (or an error if it is unreadable, too big or cut short)."""
    yield Item(BEGIN, src, 0, None, fmt, emit)
    if skip < 1:
        yield _page_item(src, path, rel, fmt, max_bytes, emit, raw)
    yield Item(END, src, 1, None, fmt, emit)


def _page_item(src: int, path: str, rel: str, fmt: str, max_bytes: int, emit: str,
               raw: Optional[BinaryIO]) -> Item:
    try:
        size = os.path.getsize(path) if raw is None else 0
        if size > max_bytes and not path.lower().endswith(COMPRESSED):
            return read_error(src, 1, "InputError", f"page is {size:,} bytes, over --max-bytes {max_bytes:,}", fmt)
        stream = open_read(path, raw)
        data = io.BufferedReader(stream).read(max_bytes + 1)
    except OSError as exc:
        return read_error(src, 1, "OSError", str(exc), fmt)
    if len(data) > max_bytes:
        return read_error(src, 1, "InputError", f"page is over --max-bytes {max_bytes:,} bytes", fmt)
    if stream.error:
        return read_error(src, 1, "TruncatedInput", stream.error, fmt)
    return Item(RECORD, src, 1, {"path": rel, "text": data}, fmt, emit)


def text_name(rel: str) -> str:
    """Where a page's cleaned text goes under the output directory.

    >>> text_name("news/a.html.gz"), text_name("b.txt"), text_name("c.xhtml.zst")
    ('news/a.txt', 'b.txt', 'c.txt')
    """
    lower = rel.lower()
    for suffix in PAGE_SUFFIXES:
        if lower.endswith(suffix):
            return rel[: -len(suffix)] + ".txt"
    return rel + ".txt"
