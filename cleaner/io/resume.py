"""The resume state of a run: how far the output is safely written.

Saved atomically next to the output at each checkpoint; ``--resume`` cuts every
open output back to its recorded offset, skips the records already done and
goes on. A fingerprint of the inputs and settings guards against resuming a
different run.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional, Sequence

from .outfile import write_atomic
from .sources import STDIN, Source

VERSION = 1


class ResumeError(ValueError):
    """The saved state does not belong to this run or cannot be used."""


@dataclass
class State:
    """``sources_done`` inputs are complete; input ``current`` has ``current_done`` records
    done; ``outputs`` maps each open temporary file to its safe length; ``commits`` are
    complete temporary files still to be renamed; ``counts`` are the tallies so far."""

    fingerprint: str
    sources_done: int = 0
    current: int = -1
    current_done: int = 0
    outputs: Dict[str, int] = field(default_factory=dict)
    commits: List[str] = field(default_factory=list)
    counts: Dict[str, Any] = field(default_factory=dict)
    version: int = VERSION

    def skip_for(self, src: int) -> int:
        """How many records of input ``src`` are already done (-1: the whole input)."""
        if src < self.sources_done:
            return -1
        return self.current_done if src == self.current else 0


def fingerprint(sources: Sequence[Source], target: str, settings: Any, files: Sequence[str] = ()) -> str:
    """A hash of what decides the output: inputs (path, size, mtime), target, settings, and the
    state of ``files`` the settings name (rule files, detector weights: edited between a crash
    and ``--resume``, they would mix records cleaned two ways in one output)."""
    parts: List[Any] = [os.path.abspath(target), repr(settings)]
    for s in sources:
        st = os.stat(s.path) if s.path != STDIN else None
        parts.append((os.path.abspath(s.path), s.format, st.st_size if st else 0, st.st_mtime_ns if st else 0))
    for path in files:
        try:
            st = os.stat(path)
            parts.append((os.path.abspath(path), st.st_size, st.st_mtime_ns))
        except OSError:
            parts.append((os.path.abspath(path), "missing"))
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]


def load(path: str, expected: str) -> Optional[State]:
    """The saved state at ``path`` (None if there is none); refuses another run's state."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ResumeError(f"cannot read resume state {path}: {exc}") from None
    if data.get("version") != VERSION or data.get("fingerprint") != expected:
        raise ResumeError(f"{path} belongs to a different run (other inputs, output or options); "
                          "run without --resume to start over")
    return State(**data)


def save(path: str, state: State) -> None:
    """Write ``state`` to ``path`` atomically."""
    write_atomic(path, json.dumps(asdict(state)).encode("utf-8"))


def finish_commits(state: State) -> None:
    """Rename the complete temporary files an interrupted run had not renamed yet."""
    rename_parts(state.commits)
    state.commits = []


def rename_parts(parts: Sequence[str]) -> None:
    """Rename each complete ``<path>.part`` that exists to ``<path>``."""
    from .outfile import PART_SUFFIX

    for part in parts:
        if os.path.exists(part):
            os.replace(part, part[: -len(PART_SUFFIX)])


def remove(path: str) -> None:
    """Delete the state file at ``path`` (gone already is fine)."""
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
