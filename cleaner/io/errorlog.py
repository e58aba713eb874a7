"""The errors file: one JSON line per record that could not be cleaned, with its input,
position (the record's 1-based number in that input), id/URL and the error. Without
``--errors`` the first few go to stderr."""
from __future__ import annotations

import sys
from typing import Any, Dict, Optional

from tqdm import tqdm

from .jsonl import dump_line
from .outfile import OutFile

STDERR_LIMIT = 10


class ErrorLog:
    """Writes error records to ``path`` (via a temporary name), or reports them on stderr."""

    def __init__(self, path: Optional[str], resume_offset: Optional[int] = None) -> None:
        self.file = OutFile(path, resume_offset) if path else None
        self.count = 0

    def write(self, source: str, position: int, info: Dict[str, Any]) -> None:
        self.count += 1
        record = {"input": source, "position": position, "id": info.get("id"), "url": info.get("url"),
                  "error": {"type": info.get("type"), "message": info.get("message")}}
        if self.file:
            self.file.write(dump_line(record))
        elif self.count <= STDERR_LIMIT:
            # ``position``: the record's number in its input (for JSONL, blank lines are not counted).
            where = f"{source} record {position}" + (f" ({info['url']})" if info.get("url") else "")
            tqdm.write(f"cleaner: error: {where}: {info.get('type')}: {info.get('message')}", file=sys.stderr)

    def offsets(self) -> Dict[str, int]:
        return {self.file.part: self.file.checkpoint()} if self.file else {}

    def close(self) -> None:
        if self.file:
            self.file.close()
