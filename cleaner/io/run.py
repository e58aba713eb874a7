"""One ``cleaner clean`` run: read every input, clean in a process pool, write in input
order, checkpoint for ``--resume``, and account for every record."""
from __future__ import annotations

import gc
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Iterator, List, Optional

from . import resume
from .errorlog import ErrorLog
from .items import BEGIN, COUNTED, END, ERROR, OUT, SKIP, Item, Result, read_error
from .jsonl import read_jsonl
from .pages import read_page
from .parquet import read_parquet
from .plan import Plan
from .pool import chunked, ordered_map
from .report import Tally, progress
from .sinks import RunError, Sink, make_sink
from .sources import STDIN, Source
from .warc import read_warc
from .worker import Settings, init, preload, process_chunk


@dataclass
class RunConfig:
    """Everything a run needs besides the plan and the cleaning settings."""

    workers: int = 1
    errors_path: Optional[str] = None
    resume: bool = False
    quiet: bool = False
    max_bytes: int = 20_000_000
    chunk_records: int = 64
    chunk_bytes: int = 1 << 20
    checkpoint_seconds: float = 1.0


@dataclass
class RunSummary:
    """The tallies of the whole run (including the part done before a resume)."""

    tally: Tally
    seconds: float
    done_now: int = 0


def _reader(src: int, source: Source, skip: int, max_bytes: int, emit: str) -> Iterator[Item]:
    raw = sys.stdin.buffer if source.path == STDIN else None
    if source.format == "jsonl":
        return read_jsonl(src, source.path, skip, max_bytes, emit, raw)
    if source.format == "warc":
        return read_warc(src, source.path, skip, max_bytes, emit, raw)
    if source.format == "parquet":
        return read_parquet(src, source.path, skip, emit)
    return read_page(src, source.path, source.rel, source.format, skip, max_bytes, emit, raw)


def _guarded(items: Iterator[Item], src: int, fmt: str, emit: str) -> Iterator[Item]:
    """An input that cannot be opened or read becomes one error record, not a crash."""
    pos, ended, begun = 0, False, False
    try:
        for item in items:
            begun = begun or item.kind == BEGIN
            ended = item.kind == END
            pos = max(pos, item.pos)
            yield item
    except Exception as exc:  # an unreadable input is one error record, the run goes on
        if not begun:
            yield Item(BEGIN, src, 0, None, fmt, emit)
        yield read_error(src, pos + 1, type(exc).__name__, str(exc), fmt)
    if not ended:
        yield Item(END, src, pos + 1, None, fmt, emit)


class Run:
    """State of one run while it goes: position, tallies, outputs and checkpoints."""

    def __init__(self, plan: Plan, settings: Settings, config: RunConfig) -> None:
        self.plan, self.settings, self.config = plan, settings, config
        self.fingerprint = resume.fingerprint(plan.sources, plan.target, (settings, config.errors_path),
                                              settings.files())
        self.state = self._load_state()
        self.tally = Tally.from_dict(self.state.counts if self.state else None)
        self.prior_read = self.tally.read
        self.read_now = 0
        self.sources_done = self.state.sources_done if self.state else 0
        self.current, self.current_done = -1, 0
        self.current_results, self.current_errors, self.current_fresh = 0, 0, False
        errors_part = (config.errors_path + ".part") if config.errors_path else ""
        offset = self.state.outputs.get(errors_part) if self.state else None
        self.sink: Sink = make_sink(plan, self.state, settings.audit)
        self.errors = ErrorLog(config.errors_path, offset)
        self.last_checkpoint = time.monotonic()

    def _load_state(self) -> Optional[resume.State]:
        if not self.plan.resumable:
            if self.config.resume:
                raise resume.ResumeError("--resume needs -o (standard output cannot be resumed)")
            return None
        if not self.config.resume:
            resume.remove(self.plan.state_path)
            return None
        state = resume.load(self.plan.state_path, self.fingerprint)
        if state is not None:
            resume.finish_commits(state)
        return state

    def items(self) -> Iterator[Item]:
        for src, source in enumerate(self.plan.sources):
            skip = self.state.skip_for(src) if self.state else 0
            if skip < 0:
                continue
            emit = self.plan.emit(source)
            reader = _reader(src, source, skip, self.config.max_bytes, emit)
            for item in _guarded(reader, src, source.format, emit):
                if item.kind in COUNTED:
                    self.read_now += 1
                yield item

    def handle(self, r: Result) -> None:
        if r.kind == BEGIN:
            self.sink.begin(r.src, r.payload)
            self.current = r.src
            self.current_done = self.state.skip_for(r.src) if self.state else 0
            self.current_results, self.current_errors, self.current_fresh = 0, 0, self.current_done == 0
        elif r.kind == END:
            every_record_failed = self.current_fresh and self.current_errors and not self.current_results
            commits = self.sink.end(r.src, keep=not every_record_failed)
            self.sources_done, self.current, self.current_done = r.src + 1, -1, 0
            if commits or every_record_failed:  # a discarded part must leave the resume state too
                self.checkpoint(commits)
        else:
            self.current_done += 1
            if r.kind == OUT:
                self.sink.out(r.src, r.payload)
                self.tally.out += 1
                self.current_results += 1
                self.tally.rules.update(r.rules or {})
            elif r.kind == ERROR:
                self.errors.write(self.plan.sources[r.src].path, r.pos, r.payload)
                self.tally.errors += 1
                self.current_errors += 1
            elif r.kind == SKIP:
                self.tally.skip(r.payload)
                self.current_results += 1  # a skipped record is a result too: the output is kept

    def checkpoint(self, commits: Optional[List[str]] = None) -> None:
        """Save how far the output is safely written; rename files that are complete."""
        self.last_checkpoint = time.monotonic()
        if not self.plan.resumable:
            return
        offsets = self.sink.offsets()
        if offsets is None:
            return
        offsets.update(self.errors.offsets())
        counts = self.tally.to_dict()
        counts["read"] = self.tally.out + self.tally.errors + self.tally.skipped
        state = resume.State(self.fingerprint, self.sources_done, self.current, self.current_done,
                             offsets, list(commits or []), counts)
        resume.save(self.plan.state_path, state)
        resume.finish_commits(state)

    def finish(self) -> None:
        commits = self.sink.finish(keep=not self.tally.every_record_failed)
        if self.errors.file:
            self.errors.file.finish()
            commits.append(self.errors.file.part)
        if self.plan.resumable:
            counts = self.tally.to_dict()
            state = resume.State(self.fingerprint, len(self.plan.sources), -1, 0, {}, commits, counts)
            resume.save(self.plan.state_path, state)
            resume.finish_commits(state)
            resume.remove(self.plan.state_path)
        else:  # output on stdout: no state to keep, but the errors file is still renamed
            resume.rename_parts(commits)

    def close(self) -> None:
        self.sink.close()
        self.errors.close()


def run_clean(plan: Plan, settings: Settings, config: RunConfig) -> RunSummary:
    """Clean every input of ``plan``; raises only for problems of the run itself
    (bad options or rules, unusable resume state), never for a bad record."""
    start = time.monotonic()
    run = Run(plan, settings, config)
    bar = progress(config.quiet)
    frozen = False
    try:
        chunks = chunked(run.items(), config.chunk_records, config.chunk_bytes)
        frozen = config.workers > 1 and preload(settings)
        for results in ordered_map(process_chunk, chunks, config.workers, init, (settings,)):
            for r in results:
                run.handle(r)
            bar.update(sum(1 for r in results if r.kind in (OUT, ERROR, SKIP)))
            if time.monotonic() - run.last_checkpoint >= config.checkpoint_seconds:
                run.checkpoint()
        run.tally.read = run.prior_read + run.read_now
        run.finish()
    except BrokenProcessPool as exc:
        run.close()
        raise RunError(f"a worker process died ({exc}); what was written so far is kept: "
                       "run again with --resume to continue") from None
    except BaseException:
        run.close()
        raise
    finally:
        bar.close()
        if frozen:
            gc.unfreeze()  # the workers are gone; this process collects as before
    return RunSummary(run.tally, time.monotonic() - start, run.read_now)
