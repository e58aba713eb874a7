"""Where the output goes: standard output, one file, or a directory mirroring the inputs."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from .pages import text_name
from .sources import STDIN, Source

JSONL_OUT = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson", ".ndjson.gz", ".ndjson.zst")
# Names that read as a file, not a directory: -o out.csv made a directory called out.csv.
_FILE_SUFFIXES = (".csv", ".tsv", ".json", ".xml", ".html", ".htm", ".txt", ".md", ".gz", ".zst", ".bz2", ".xz",
                  ".warc", ".arrow", ".feather", ".zip", ".tar")


def names_a_file(output: str) -> bool:
    """``output`` reads as a file name (``out.jsonl``, ``out.csv``), not a directory's,
    unless a directory of that name exists."""
    return output.lower().endswith(JSONL_OUT + (".parquet",) + _FILE_SUFFIXES) and not os.path.isdir(output)
STATE_NAME = ".cleaner-resume.json"


class PlanError(ValueError):
    """The inputs and ``-o`` do not fit together."""


@dataclass(frozen=True)
class Plan:
    """``kind``: ``stdout-text``, ``stdout-jsonl``, ``file-text``, ``file-jsonl``,
    ``file-parquet`` or ``dir``; ``target``: the ``-o`` path (``"-"`` for stdout)."""

    sources: Sequence[Source]
    kind: str
    target: str

    @property
    def resumable(self) -> bool:
        return not self.kind.startswith("stdout")

    @property
    def state_path(self) -> str:
        return os.path.join(self.target, STATE_NAME) if self.kind == "dir" else self.target + STATE_NAME

    def emit(self, source: Source) -> str:
        """How the workers shape one output of ``source``: ``text``, ``dict`` or ``json``."""
        if self.kind in ("stdout-text", "file-text") or (self.kind == "dir" and source.is_page):
            return "text"
        if self.kind == "file-parquet" or (self.kind == "dir" and source.format == "parquet"):
            return "dict"
        return "json"

    def output_of(self, source: Source) -> str:
        """The file (in ``dir`` mode) that ``source``'s output goes to."""
        if self.kind != "dir":
            return self.target
        rel = source.rel
        if source.is_page:
            rel = text_name(rel)
        elif source.format == "warc":
            rel = _swap_warc(rel)
        return os.path.join(self.target, rel)


def _swap_warc(rel: str) -> str:
    """``crawl.warc.gz`` -> ``crawl.jsonl.gz``."""
    lower = rel.lower()
    for old, new in ((".warc.gz", ".jsonl.gz"), (".warc.zst", ".jsonl.zst"), (".warc", ".jsonl")):
        if lower.endswith(old):
            return rel[: -len(old)] + new
    return rel + ".jsonl"


def _kind(sources: Sequence[Source], output: Optional[str]) -> str:
    single_page = len(sources) == 1 and (sources[0].is_page or (sources[0].path == STDIN and sources[0].format != "jsonl"))
    if output in (None, "-"):
        return "stdout-text" if single_page else "stdout-jsonl"
    lower = output.lower()
    if lower.endswith(JSONL_OUT):
        return "file-jsonl"
    if lower.endswith(".parquet"):
        if any(s.format != "parquet" for s in sources):
            raise PlanError("a .parquet output needs Parquet inputs; write JSONL (-o out.jsonl) instead")
        return "file-parquet"
    if lower.endswith(".txt") and single_page:
        return "file-text"
    if os.path.isfile(output):
        raise PlanError(f"{output} is a file; -o takes a directory, a .jsonl[.gz|.zst] file or - (stdout)")
    if names_a_file(output):
        raise PlanError(f"-o {output} names a file of a kind cleaner does not write; -o takes a directory, "
                        "a .jsonl[.gz|.zst] file, a .parquet file (Parquet inputs), a .txt file (one page) "
                        "or - (stdout)")
    return "dir"


def build_plan(sources: Sequence[Source], output: Optional[str]) -> Plan:
    """Decide where each input's output goes; refuse to overwrite an input."""
    if not sources:
        raise PlanError("no input files found (directories are searched for known extensions)")
    plan = Plan(tuple(sources), _kind(sources, output), output or "-")
    if plan.kind == "dir" and any(s.path == STDIN for s in sources):
        raise PlanError("stdin needs -o FILE.jsonl or standard output, not a directory")
    inputs = {os.path.abspath(s.path) for s in sources if s.path != STDIN}
    outputs: List[str] = [os.path.abspath(plan.output_of(s)) for s in sources] if plan.resumable else []
    clash = inputs.intersection(outputs)
    if clash:
        raise PlanError(f"output would overwrite input {sorted(clash)[0]}; choose another -o")
    if plan.kind == "dir" and len(set(outputs)) != len(outputs):
        first: Dict[str, str] = {}
        for source, out in zip(sources, outputs):
            if out in first:
                raise PlanError(f"{first[out]} and {source.path} would both be written to {out}; "
                                "use -o FILE.jsonl")
            first[out] = source.path
    return plan
