"""Route results to the output the plan chose: standard output, one file, or one file
per input under a directory. Every output is written under a temporary name and
renamed when complete."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from .outfile import OutFile, StdoutFile, write_atomic
from .parquet import ParquetOut
from .plan import Plan
from .resume import State

Writer = Union[OutFile, StdoutFile, ParquetOut]


class RunError(RuntimeError):
    """The run cannot go on (e.g. Parquet inputs with different columns into one file)."""


def _encode(payload: Any, emit: str) -> bytes:
    return (payload + "\n").encode("utf-8", "replace") if emit == "text" else payload


class Sink:
    """Base: hands each output to the writer of its input."""

    def __init__(self, plan: Plan, state: Optional[State], audit: bool) -> None:
        self.plan, self.audit = plan, audit
        self.resume_offsets: Dict[str, int] = dict(state.outputs) if state else {}

    def begin(self, src: int, payload: Any) -> None:
        """Input ``src`` starts (``payload``: its Parquet schema, if any)."""

    def out(self, src: int, payload: Any) -> None:
        raise NotImplementedError

    def end(self, src: int, keep: bool = True) -> List[str]:
        """Input ``src`` is done; returns temporary files now complete (to rename).
        ``keep=False``: every record of it failed, so its own output is not written."""
        return []

    def offsets(self) -> Optional[Dict[str, int]]:
        """Safe lengths of the open temporary files, or None when they cannot be resumed now."""
        return {}

    def finish(self, keep: bool = True) -> List[str]:
        """The run is complete: finish every output; returns the temporary files to rename.
        ``keep=False``: every record failed, so no output file is written."""
        return []

    def close(self) -> None:
        """The run stops early: flush, leave the temporary files for ``--resume``."""

    def _open(self, path: str, schema: Any) -> Writer:
        if path.lower().endswith(".parquet"):
            if schema is None:
                raise RunError(f"{path}: no Parquet schema for this input")
            return ParquetOut(path, schema, self.audit)
        if path == "-":
            return StdoutFile()
        return OutFile(path, self.resume_offsets.get(path + ".part"))


class SingleSink(Sink):
    """Everything into one output (a file or standard output)."""

    def __init__(self, plan: Plan, state: Optional[State], audit: bool) -> None:
        super().__init__(plan, state, audit)
        self.writer: Optional[Writer] = None
        self.schema: Any = None
        if not plan.kind.endswith("parquet"):
            self.writer = self._open(plan.target, None)

    def begin(self, src: int, payload: Any) -> None:
        if self.plan.kind != "file-parquet" or payload is None:
            return
        if self.writer is None:
            self.schema = payload
            self.writer = self._open(self.plan.target, payload)
        elif not payload.equals(self.schema):
            raise RunError(f"{self.plan.sources[src].path}: columns differ from the first Parquet input; "
                           "write one output per input with -o DIR")

    def out(self, src: int, payload: Any) -> None:
        if isinstance(self.writer, ParquetOut):
            self.writer.add(payload)
        elif self.writer is not None:
            self.writer.write(_encode(payload, self.plan.emit(self.plan.sources[src])))

    def offsets(self) -> Optional[Dict[str, int]]:
        if self.writer is None or isinstance(self.writer, StdoutFile):
            return {}
        offset = self.writer.checkpoint()
        return None if offset is None else {self.writer.part: offset}

    def finish(self, keep: bool = True) -> List[str]:
        if self.writer is None and self.plan.kind == "file-parquet":
            raise RunError("no Parquet input could be read; nothing to write")
        if self.writer is None:
            return []
        if not keep:
            self.writer.discard()
            return []
        self.writer.finish()
        return [] if isinstance(self.writer, StdoutFile) else [self.writer.part]

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class DirSink(Sink):
    """One output file per input under the ``-o`` directory, mirroring the input tree."""

    def __init__(self, plan: Plan, state: Optional[State], audit: bool) -> None:
        super().__init__(plan, state, audit)
        self.writer: Optional[Writer] = None

    def begin(self, src: int, payload: Any) -> None:
        source = self.plan.sources[src]
        target = self.plan.output_of(source)
        if source.is_page or (payload is None and target.lower().endswith(".parquet")):
            return  # a page is written whole; a Parquet input that did not open is one error record, no file
        self.writer = self._open(target, payload)

    def out(self, src: int, payload: Any) -> None:
        source = self.plan.sources[src]
        if source.is_page:
            write_atomic(self.plan.output_of(source), _encode(payload, "text"))
        elif isinstance(self.writer, ParquetOut):
            self.writer.add(payload)
        elif self.writer is not None:
            self.writer.write(payload)

    def end(self, src: int, keep: bool = True) -> List[str]:
        if self.writer is None:
            return []
        if not keep:
            self.writer.discard()
            self.writer = None
            return []
        self.writer.finish()
        part, self.writer = self.writer.part, None
        return [part]

    def offsets(self) -> Optional[Dict[str, int]]:
        if self.writer is None:
            return {}
        offset = self.writer.checkpoint()
        return None if offset is None else {self.writer.part: offset}

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def make_sink(plan: Plan, state: Optional[State], audit: bool) -> Sink:
    """The writer of a run's outputs: a directory mirroring the inputs, or one file (or stdout)."""
    return DirSink(plan, state, audit) if plan.kind == "dir" else SingleSink(plan, state, audit)
