"""WARC input: response (and resource) records holding HTML or text, read with fastwarc
(compressed files), or warcio (uncompressed ones, or when fastwarc is not installed). Each record becomes one item carrying the
body and the record's URL, date and id; other payloads are counted skips."""
from __future__ import annotations

import os
import re
import zlib
from typing import Any, BinaryIO, Dict, Iterator, List, Optional

from .compress import SafeReader, open_read
from .items import BEGIN, END, ERROR, RECORD, SKIP, Item, error_info, read_error

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
BACKEND_ENV = "CLEANER_WARC_READER"


def backend() -> str:
    """``fastwarc`` when importable (unless ``CLEANER_WARC_READER=warcio``), else ``warcio``
    (an uncompressed file is read with warcio whatever this says: see :func:`read_warc`)."""
    wanted = os.environ.get(BACKEND_ENV, "")
    if wanted != "warcio":
        try:
            import fastwarc.warc  # noqa: F401

            return "fastwarc"
        except ImportError:
            pass
    return "warcio"


def read_warc(src: int, path: str, skip: int, max_bytes: int, emit: str,
              raw: Optional[BinaryIO] = None) -> Iterator[Item]:
    """Items of one WARC file, then one error if the file is cut short or unreadable."""
    yield Item(BEGIN, src, 0, None, "warc", emit)
    stream = open_read(path, raw)
    # fastwarc passes over a last record cut inside its header in an uncompressed file without
    # a word (in a compressed one the cut is a read error): a plain .warc is read with warcio.
    plain = type(stream) is SafeReader
    records = _fastwarc if backend() == "fastwarc" and not plain else _warcio
    pos = 0
    try:
        for pos, item in enumerate(records(stream, skip, max_bytes), 1):
            if pos > skip:
                yield item._replace(src=src, pos=pos, emit=emit)
    except Exception as exc:  # a WARC parser error ends this file, not the run
        stream.error = stream.error or f"{type(exc).__name__}: {exc}"
    if stream.error and pos + 1 > skip:
        yield read_error(src, pos + 1, "TruncatedInput", f"WARC input ends early after record {pos}: {stream.error}", "warc")
    yield Item(END, src, pos, None, "warc", emit)


def _record_item(meta: Dict[str, Any], content_type: str, status: Optional[int], length: int,
               read: Any, encoding: str, max_bytes: int, transfer: str = "") -> Item:
    """The item for one record, given its metadata and a ``read(n)`` for its payload
    (``transfer``: the HTTP Transfer-Encoding still on it, undone before ``encoding``)."""
    mime = content_type.split(";")[0].strip().lower()
    if mime and mime not in PAGE_TYPES:
        return Item(SKIP, 0, 0, f"not HTML ({mime})", "warc")
    if status is not None and not 200 <= status < 300:
        return Item(SKIP, 0, 0, f"HTTP status {status}", "warc")
    if length > max_bytes:
        return Item(ERROR, 0, 0, error_info("InputError", f"record payload is {length:,} bytes, over --max-bytes {max_bytes:,}",
                                            meta["warc_record_id"], meta["url"]), "warc")
    body = read(length)
    if len(body) < length:
        return Item(ERROR, 0, 0, error_info("TruncatedInput", f"record payload has {len(body):,} of {length:,} bytes",
                                            meta["warc_record_id"], meta["url"]), "warc")
    try:
        if "chunked" in transfer.lower():
            body = dechunk(body)
        body = _decode_content(body, encoding)
    except (zlib.error, ValueError) as exc:
        return Item(ERROR, 0, 0, error_info("InputError", f"cannot undo Transfer-Encoding {transfer!r} or "
                                            f"Content-Encoding {encoding!r}: {exc}",
                                            meta["warc_record_id"], meta["url"]), "warc")
    return Item(RECORD, 0, 0, dict(meta, html=body), "warc")


_CHUNK_SIZE = re.compile(rb"[ \t]*([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\n]*)?\r?$")


def dechunk(body: bytes) -> bytes:
    """An HTTP/1.1 chunked body joined back (sizes in hex, extensions and trailers ignored),
    as leniently as warcio: a body that does not start with a chunk size is returned as it
    is (a crawler kept the header but stored the body dechunked), and a body that ends
    without the closing 0 chunk keeps the chunks it holds.

    >>> dechunk(b"5\\r\\nHello\\r\\n7;x=1\\r\\n, world\\r\\n0\\r\\n\\r\\n"), dechunk(b"<html>already plain")
    (b'Hello, world', b'<html>already plain')
    >>> dechunk(b"5\\nHello\\n-4\\nrest"), dechunk(b"5\\r\\nHello\\r\\n")
    (b'Hello', b'Hello')
    """
    out: List[bytes] = []
    at = 0
    while True:
        end = body.find(b"\n", at)
        size = _CHUNK_SIZE.match(body[at:end if end >= 0 else len(body)])
        if size is None or end < 0:
            return b"".join(out) if out else body
        length = int(size.group(1), 16)
        start = end + 1
        if length == 0:
            return b"".join(out)
        out.append(body[start:start + length])
        if start + length >= len(body):
            return b"".join(out)
        at = start + length
        at += 2 if body[at:at + 2] == b"\r\n" else 1 if body[at:at + 1] == b"\n" else 0


def _decode_content(body: bytes, encoding: str) -> bytes:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity", "none"):
        return body
    if encoding in ("gzip", "x-gzip", "deflate"):
        try:
            return zlib.decompress(body, 47)  # gzip or zlib header, auto-detected
        except zlib.error:
            if encoding != "deflate":
                raise
            return zlib.decompress(body, -15)  # "deflate" sent raw, as some servers do
    raise ValueError("unsupported encoding")


def _fastwarc(stream: SafeReader, skip: int, max_bytes: int) -> Iterator[Item]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    kinds = WarcRecordType.response | WarcRecordType.resource
    for record in ArchiveIterator(stream, record_types=kinds, parse_http=True, stream_detect=False, auto_decode="none"):
        if skip > 0:
            skip -= 1
            yield Item(SKIP, 0, 0, "resumed")
            continue
        http = record.is_http and record.record_type == WarcRecordType.response
        headers = record.http_headers if http else record.headers
        meta = {"url": record.headers.get("WARC-Target-URI"), "warc_date": record.headers.get("WARC-Date"),
                "warc_record_id": record.record_id, "http_charset": record.http_charset if http else None}
        if record.headers.get("Content-Length") is None:  # a file cut inside this record's WARC header
            yield Item(ERROR, 0, 0, error_info("TruncatedInput", "record header ends early (no Content-Length)",
                                               meta["warc_record_id"], meta["url"]), "warc")
            continue
        status = headers.status_code if http else None
        # fastwarc leaves the HTTP body as sent (auto_decode="none"): chunking and compression on.
        yield _record_item(meta, headers.get("Content-Type") or "", status, record.content_length,
                         record.reader.read, (headers.get("Content-Encoding") or "") if http else "", max_bytes,
                         (headers.get("Transfer-Encoding") or "") if http else "")


def _warcio(stream: SafeReader, skip: int, max_bytes: int) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator

    for record in ArchiveIterator(stream, no_record_parse=False):
        if record.rec_type not in ("response", "resource"):
            continue
        if skip > 0:
            skip -= 1
            yield Item(SKIP, 0, 0, "resumed")
            continue
        http = record.http_headers if record.rec_type == "response" else None
        headers = http or record.rec_headers
        content_type = headers.get_header("Content-Type") or ""
        meta = {"url": record.rec_headers.get_header("WARC-Target-URI"),
                "warc_date": record.rec_headers.get_header("WARC-Date"),
                "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
                "http_charset": _charset(content_type) if http else None}
        status = int(http.get_statuscode() or 0) if http else None
        yield _warcio_item(meta, content_type, status, record.content_stream(), max_bytes,
                           lambda: _cut_short(record.raw_stream))


def _warcio_item(meta: Dict[str, Any], content_type: str, status: Optional[int], reader: Any,
                 max_bytes: int, cut: Any = lambda: False) -> Item:
    """``cut()``: after the read, whether the record's bytes ended before its Content-Length."""
    # warcio undoes chunking and Content-Encoding itself; a payload over max_bytes is refused.
    body = reader.read(max_bytes + 1)
    size = len(body)
    if size <= max_bytes and cut():  # an uncompressed file cut inside this record: no read error says so
        return Item(ERROR, 0, 0, error_info("TruncatedInput", f"record payload ends early, after {size:,} bytes",
                                            meta["warc_record_id"], meta["url"]), "warc")
    item = _record_item(meta, content_type, status, min(size, max_bytes), lambda n: body, "", max_bytes)
    if item.kind == RECORD and size > max_bytes:
        return Item(ERROR, 0, 0, error_info("InputError", f"record payload is over --max-bytes {max_bytes:,}",
                                            meta["warc_record_id"], meta["url"]), "warc")
    return item


def _cut_short(raw: Any) -> bool:
    """Whether the stream ended before the record's Content-Length: what is left of it is
    read (bytes after a chunked body's last chunk are not a cut), then warcio's LimitReader
    says how much it still expected."""
    while raw.read(1 << 16):
        pass
    return getattr(raw, "limit", 0) > 0


def _charset(content_type: str) -> Optional[str]:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None
