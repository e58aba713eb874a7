"""What the user named on the command line: files, directories, globs or ``-``,
expanded into an ordered list of :class:`Source` with a format each."""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

FORMATS = ("txt", "html", "jsonl", "warc", "parquet")
# Each extension also names its gzip or zstd file (``a.html.gz``, ``crawl.warc.zst``);
# the data is decompressed by its magic bytes.
COMPRESSED = (".gz", ".zst")
_EXTENSIONS = (
    ((".jsonl", ".ndjson"), "jsonl"),
    ((".warc",), "warc"),
    ((".html", ".htm", ".xhtml"), "html"),
    ((".txt", ".text", ".md"), "txt"),
)


def _with_compressed(extensions: Sequence[str]) -> Tuple[str, ...]:
    return tuple(e + c for e in extensions for c in ("", *COMPRESSED))


JSONL_SUFFIXES = _with_compressed(_EXTENSIONS[0][0])
# A page file's suffixes, longest first ("a.html.gz" is "a" + ".html.gz", not "a.html" + ".gz").
PAGE_SUFFIXES = tuple(sorted(_with_compressed(_EXTENSIONS[2][0] + _EXTENSIONS[3][0]), key=len, reverse=True))
_SUFFIXES = tuple((_with_compressed(exts), fmt) for exts, fmt in _EXTENSIONS) + (((".parquet",), "parquet"),)
STDIN = "-"


class InputNotFound(ValueError):
    """An input path or glob matched nothing."""


@dataclass(frozen=True)
class Source:
    """One input: ``path`` (``"-"`` for stdin), its ``format`` and ``rel``, the path the
    output mirrors under an output directory."""

    path: str
    format: str
    rel: str

    @property
    def is_page(self) -> bool:
        return self.format in ("txt", "html")


def format_of(path: str) -> Optional[str]:
    """The format an extension implies, or None.

    >>> format_of("crawl/part-0001.warc.gz"), format_of("a.JSONL.zst"), format_of("a.xhtml.zst"), format_of("notes.pdf")
    ('warc', 'jsonl', 'html', None)
    """
    lower = path.lower()
    for suffixes, fmt in _SUFFIXES:
        if lower.endswith(suffixes):
            return fmt
    return None


def _walk(root: str) -> List[str]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        found.extend(os.path.join(folder, f) for f in sorted(files) if not f.startswith("."))
    return found


def _glob_root(pattern: str) -> str:
    parts = []
    for part in pattern.split(os.sep):
        if glob.has_magic(part):
            break
        parts.append(part)
    return os.sep.join(parts) or "."


def _expand_one(arg: str, forced: Optional[str]) -> List[Source]:
    if arg == STDIN:
        return [Source(STDIN, forced or "", "stdin")]
    if os.path.isdir(arg):
        paths = [p for p in _walk(arg) if forced or format_of(p)]
        return [Source(p, forced or format_of(p) or "", os.path.relpath(p, arg)) for p in paths]
    if os.path.isfile(arg):
        fmt = forced or format_of(arg)
        if not fmt:
            raise InputNotFound(f"{arg}: unknown format (extension); name it with --format {'|'.join(FORMATS)}")
        return [Source(arg, fmt, os.path.basename(arg))]
    matches = sorted(p for p in glob.glob(arg, recursive=True) if os.path.isfile(p))
    if not matches:
        raise InputNotFound(f"{arg}: no such file, directory or matching glob")
    root = _glob_root(arg)
    return [Source(p, forced or format_of(p) or "txt", os.path.relpath(p, root)) for p in matches]


def expand_inputs(args: Sequence[str], forced: Optional[str] = None) -> List[Source]:
    """Every input file in a stable order (arguments as given, directories walked sorted).

    A directory contributes only files with a known extension (unless ``forced``);
    the same file named twice is read once.
    """
    sources: List[Source] = []
    seen = set()
    for arg in args:
        for source in _expand_one(arg, forced):
            key = os.path.abspath(source.path) if source.path != STDIN else STDIN
            if key not in seen:
                seen.add(key)
                sources.append(source)
    return sources


def unread_files(args: Sequence[str], forced: Optional[str] = None) -> List[str]:
    """The files in the directories of ``args`` that :func:`expand_inputs` leaves out
    (no known extension, and no ``forced`` format)."""
    if forced:
        return []
    return [p for arg in args if arg != STDIN and os.path.isdir(arg) for p in _walk(arg) if not format_of(p)]


def sniff_format(head: bytes) -> str:
    """``jsonl`` when the data starts with a JSON object (``{`` then a key's quote, or ``}``),
    ``html`` for markup, else ``txt``: a page that opens with "{Note}" is text.

    >>> sniff_format(b'  {"text": "x"}'), sniff_format(b"<!doctype html>"), sniff_format(b"{Note} Hello")
    ('jsonl', 'html', 'txt')
    """
    start = head.lstrip()
    if start[:1] == b"{" and start[1:].lstrip()[:1] in (b'"', b"}"):
        return "jsonl"
    return "html" if start[:1] == b"<" else "txt"
