"""JSON Lines: read raw lines (the workers parse them), write one JSON object a line."""
from __future__ import annotations

import base64
import codecs
import io
import json
from typing import Any, BinaryIO, Dict, Iterator, Tuple

from .compress import SafeReader, open_read
from .items import BEGIN, END, RAW, Item, read_error


def line_limit(max_bytes: int) -> int:
    """The longest JSONL line read: a record whose text is ``max_bytes``, every byte JSON-escaped."""
    return 4 * max_bytes + 2


def too_long(limit: int) -> str:
    """The error of a line over ``limit`` bytes."""
    return f"line is over {limit:,} bytes; raise --max-bytes to read it"


def read_lines(stream: BinaryIO, limit: int) -> Iterator[Tuple[bytes, bool]]:
    """(line, complete) pairs; a line over ``limit`` bytes is consumed and given as (b"", False)."""
    while True:
        line = stream.readline(limit)
        if not line:
            return
        if len(line) >= limit and not line.endswith(b"\n"):
            while True:
                more = stream.readline(limit)
                if not more or more.endswith(b"\n"):
                    break
            yield b"", False
            continue
        yield line, True


_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_jsonl(src: int, path: str, skip: int, max_bytes: int, emit: str,
               raw: "BinaryIO | None" = None) -> Iterator[Item]:
    """Items of one JSONL input: one per non-blank line, then one error if the file is cut short."""
    yield Item(BEGIN, src, 0, None, "jsonl", emit)
    stream = open_read(path, raw)
    limit = line_limit(max_bytes)
    pos = 0
    last_complete = True
    buffered = io.BufferedReader(stream, 1 << 20)
    if buffered.peek(2)[:2] in _UTF16_BOMS:  # split on b"\n", each half-record would fail on its own
        if skip < 1:
            yield read_error(src, 1, "InputError", "JSONL input is UTF-16; JSONL must be UTF-8 "
                             "(convert it first, e.g. iconv -f UTF-16 -t UTF-8)", "jsonl")
        yield Item(END, src, 1, None, "jsonl", emit)
        return
    for line, ok in read_lines(buffered, limit):
        if not line.strip() and ok:
            continue
        pos += 1
        last_complete = line.endswith(b"\n")
        if pos <= skip:
            continue
        if not ok:
            yield read_error(src, pos, "InputError", too_long(limit), "jsonl")
        elif stream.error and not last_complete:
            yield read_error(src, pos, "TruncatedInput", f"last line cut short: {stream.error}", "jsonl")
        else:
            yield Item(RAW, src, pos, line, "jsonl", emit)
    yield from _stream_error(src, pos, skip, stream, last_complete)
    yield Item(END, src, pos, None, "jsonl", emit)


def _stream_error(src: int, pos: int, skip: int, stream: SafeReader, last_complete: bool) -> Iterator[Item]:
    if stream.error and last_complete and pos + 1 > skip:
        yield read_error(src, pos + 1, "TruncatedInput", f"input ends early after record {pos}: {stream.error}", "jsonl")


def parse_line(line: bytes) -> Dict[str, Any]:
    """One JSON object; raises ValueError for anything else."""
    value = json.loads(line)
    if not isinstance(value, dict):
        raise ValueError(f"line is a JSON {type(value).__name__}, not an object")
    return value


def json_value(value: Any) -> Any:
    """What JSON cannot hold, as JSON: bytes as their UTF-8 text (else ``{"base64": ...}``),
    anything else (dates, decimals) as its ``str``.

    >>> json_value(b"caf\\xc3\\xa9"), json_value(b"\\xff\\x00"), json_value(1.5j)
    ('café', {'base64': '/wA='}, '1.5j')
    """
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return {"base64": base64.b64encode(raw).decode("ascii")}
    return str(value)


def dump_line(record: Dict[str, Any]) -> bytes:
    """One output line, UTF-8 with non-ASCII kept as is (escaped if it holds lone surrogates);
    a bytes field (a Parquet binary column) as its text, not as "b'...'"."""
    try:
        return json.dumps(record, ensure_ascii=False, default=json_value).encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return json.dumps(record, default=json_value).encode("ascii") + b"\n"
