"""Output files written under a temporary name and renamed when complete.

Compressed outputs (``.gz``, ``.zst``) end a gzip member / zstd frame at every
checkpoint, so the temporary file can be cut back to a checkpoint's offset by
``--resume`` and appended to, and the result still decompresses as one stream.
"""
from __future__ import annotations

import os
import sys
import zlib
from typing import Any, BinaryIO, Optional

PART_SUFFIX = ".part"
GZIP_LEVEL = 6
ZSTD_LEVEL = 3


def codec_of(path: str) -> Optional[str]:
    """``"gz"``, ``"zst"`` or None, by extension."""
    lower = path.lower()
    if lower.endswith((".gz", ".gzip")):
        return "gz"
    if lower.endswith((".zst", ".zstd")):
        return "zst"
    return None


class _Members:
    """Compresses into self-contained members; :meth:`end` closes the current one."""

    def __init__(self, codec: str) -> None:
        self.codec = codec
        self._obj: Any = None

    def _new(self) -> Any:
        if self.codec == "gz":
            return zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
        import zstandard

        return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compressobj()

    def compress(self, data: bytes) -> bytes:
        if self._obj is None:
            self._obj = self._new()
        return self._obj.compress(data)

    def end(self) -> bytes:
        if self._obj is None:
            return b""
        obj, self._obj = self._obj, None
        return obj.flush()


class OutFile:
    """``<path>.part`` while writing; :meth:`finish` completes it there, and the run renames
    it to ``path`` once its checkpoint says so (:func:`cleaner.io.resume.rename_parts`).

    ``resume_offset`` reopens an existing part file cut back to that offset
    (the last checkpoint of an interrupted run) instead of starting afresh.
    """

    def __init__(self, path: str, resume_offset: Optional[int] = None) -> None:
        self.path = path
        self.part = path + PART_SUFFIX
        self._members = _Members(codec_of(path)) if codec_of(path) else None
        self._fh = self._open(resume_offset)
        self.written = 0

    def _open(self, resume_offset: Optional[int]) -> BinaryIO:
        os.makedirs(os.path.dirname(os.path.abspath(self.part)), exist_ok=True)
        if resume_offset is not None:
            if not os.path.exists(self.part) or os.path.getsize(self.part) < resume_offset:
                raise FileNotFoundError(f"{self.part} is missing or shorter than the resume state says; "
                                        "run without --resume to start over")
            fh = open(self.part, "r+b")
            fh.truncate(resume_offset)
            fh.seek(resume_offset)
            return fh
        return open(self.part, "wb")

    def write(self, data: bytes) -> None:
        self.written += 1
        self._fh.write(self._members.compress(data) if self._members else data)

    def checkpoint(self) -> int:
        """End the current compressed member, flush to the OS, return the safe offset."""
        if self._members:
            self._fh.write(self._members.end())
        self._fh.flush()
        return self._fh.tell()

    def finish(self) -> None:
        """Complete the file under its temporary name (flushed to disk, closed)."""
        if self._members and self._fh.tell() == 0:
            self._fh.write(self._members.compress(b""))  # an empty but valid compressed file
        self.checkpoint()
        os.fsync(self._fh.fileno())
        self._fh.close()

    def close(self) -> None:
        """Stop without committing (the part file stays for ``--resume``)."""
        if not self._fh.closed:
            self.checkpoint()
            self._fh.close()

    def discard(self) -> None:
        """Stop and remove the output (see :func:`remove_output`)."""
        self._fh.close()
        remove_output(self.path)


class StdoutFile:
    """Standard output with the :class:`OutFile` interface; not resumable."""

    path = "-"
    part = "-"

    def __init__(self) -> None:
        self._fh = sys.stdout.buffer
        self.written = 0

    def write(self, data: bytes) -> None:
        self.written += 1
        self._fh.write(data)

    def checkpoint(self) -> int:
        self._fh.flush()
        return 0

    def finish(self) -> None:
        self._fh.flush()

    def close(self) -> None:
        self._fh.flush()

    def discard(self) -> None:
        self._fh.flush()


def remove_output(path: str) -> None:
    """An output that would hold no record: its temporary file goes, and so does an
    output an earlier run left under the final name (this run replaces it)."""
    os.remove(path + PART_SUFFIX)
    if os.path.exists(path):
        os.remove(path)


def write_atomic(path: str, data: bytes) -> None:
    """Write a small file (a page, the resume state) via a temporary name and rename."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + PART_SUFFIX
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
