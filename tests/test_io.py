"""The pieces under ``cleaner.io``: damaged compressed streams, resumable compressed outputs,
input expansion, output plans, chunking and the bounded ordered pool."""
from __future__ import annotations

import gzip
import io
import os
import threading
from pathlib import Path
from typing import Iterator, List

import pytest

from cleaner.io.compress import open_read
from cleaner.io.items import RAW, Item
from cleaner.io.outfile import OutFile
from cleaner.io.plan import PlanError, build_plan
from cleaner.io.pool import chunked, ordered_map
from cleaner.io.resume import rename_parts
from cleaner.io.sources import InputNotFound, Source, expand_inputs

DATA = b"".join(b"line %d of the input\n" % i for i in range(20000))


def read_all(path: Path) -> tuple:
    stream = open_read(str(path))
    return io.BufferedReader(stream).read(), stream.error


@pytest.mark.parametrize("codec", ["gz", "zst"])
def test_whole_compressed_file_reads_back(tmp_path: Path, codec: str) -> None:
    path = tmp_path / f"a.{codec}"
    path.write_bytes(_compress(DATA, codec))
    assert read_all(path) == (DATA, None)


@pytest.mark.parametrize("codec", ["gz", "zst"])
def test_truncated_stream_gives_what_it_can_then_reports(tmp_path: Path, codec: str) -> None:
    # Several members/frames, as a writer that checkpoints makes them: all before the cut survive.
    members = b"".join(_compress(DATA[i:i + 40000], codec) for i in range(0, len(DATA), 40000))
    path = tmp_path / f"cut.{codec}"
    path.write_bytes(members[: len(members) * 2 // 3])
    data, error = read_all(path)
    assert error and "truncated" in error
    assert len(data) > len(DATA) // 2 and DATA.startswith(data)


def test_not_really_gzip_is_an_error_not_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "fake.gz"
    path.write_bytes(b"\x1f\x8b" + os.urandom(100))
    data, error = read_all(path)
    assert data == b"" and error


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz", "out.jsonl.zst"])
def test_outfile_resumes_from_a_checkpoint_offset(tmp_path: Path, name: str) -> None:
    path = str(tmp_path / name)
    f = OutFile(path)
    f.write(b"first\n")
    offset = f.checkpoint()
    f.write(b"lost after the checkpoint\n")
    f._fh.flush()  # as if killed here: bytes past the checkpoint are on disk
    assert not os.path.exists(path) and os.path.exists(path + ".part")
    resumed = OutFile(path, resume_offset=offset)
    resumed.write(b"second\n")
    resumed.finish()
    rename_parts([resumed.part])
    assert not os.path.exists(path + ".part")
    assert read_all(Path(path)) == (b"first\nsecond\n", None)


def test_outfile_refuses_to_resume_a_missing_part(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        OutFile(str(tmp_path / "x.jsonl"), resume_offset=10)


def test_empty_compressed_output_is_valid(tmp_path: Path) -> None:
    f = OutFile(str(tmp_path / "e.jsonl.gz"))
    f.finish()
    rename_parts([f.part])
    assert gzip.decompress((tmp_path / "e.jsonl.gz").read_bytes()) == b""


def test_expand_inputs_walks_dirs_sorted_and_dedups(tmp_path: Path) -> None:
    (tmp_path / "d" / "z").mkdir(parents=True)
    for rel in ("d/b.jsonl.gz", "d/a.txt", "d/z/c.warc.gz", "d/skip.pdf", "d/.hidden.txt"):
        (tmp_path / rel).write_text("x")
    got = expand_inputs([str(tmp_path / "d"), str(tmp_path / "d" / "a.txt")])
    assert [(s.rel, s.format) for s in got] == [("a.txt", "txt"), ("b.jsonl.gz", "jsonl"), ("z/c.warc.gz", "warc")]
    assert [s.rel for s in expand_inputs([str(tmp_path / "d" / "**" / "*.gz")])] == ["b.jsonl.gz", "z/c.warc.gz"]
    with pytest.raises(InputNotFound):
        expand_inputs([str(tmp_path / "nothing*.jsonl")])


def test_plans(tmp_path: Path) -> None:
    page, jl = Source("a.html", "html", "a.html"), Source("b.jsonl", "jsonl", "b.jsonl")
    warc = Source("c.warc.gz", "warc", "c.warc.gz")
    assert build_plan([page], None).kind == "stdout-text"
    assert build_plan([page, jl], None).kind == "stdout-jsonl"
    assert build_plan([jl], str(tmp_path / "o.jsonl.gz")).kind == "file-jsonl"
    plan = build_plan([page, jl, warc], str(tmp_path / "out"))
    assert plan.kind == "dir"
    assert [os.path.relpath(plan.output_of(s), tmp_path / "out") for s in (page, jl, warc)] == ["a.txt", "b.jsonl", "c.jsonl.gz"]
    assert [plan.emit(s) for s in (page, jl, warc)] == ["text", "json", "json"]
    with pytest.raises(PlanError):
        build_plan([jl], str(tmp_path / "o.parquet"))
    with pytest.raises(PlanError):
        build_plan([Source("a.txt", "txt", "a.txt"), Source("a.html", "html", "a.html")], str(tmp_path / "out"))


def test_chunks_are_bounded_by_records_and_bytes() -> None:
    items = [Item(RAW, 0, i, b"x" * 100) for i in range(250)]
    sizes = [len(c) for c in chunked(items, 64, 10**9)]
    assert sizes == [64, 64, 64, 58]
    assert max(len(c) for c in chunked(items, 1000, 1000)) == 10


def _square(x: int) -> int:
    return x * x


def _noop() -> None:
    pass


def test_ordered_map_keeps_order_and_bounds_what_is_in_flight() -> None:
    pulled: List[int] = []
    lock = threading.Lock()

    def tasks() -> Iterator[int]:
        for i in range(200):
            with lock:
                pulled.append(i)
            yield i

    results = []
    for n, value in enumerate(ordered_map(_square, tasks(), 2, _noop, (), in_flight=4)):
        results.append(value)
        assert len(pulled) <= n + 1 + 4  # never more than 4 tasks ahead of the consumer
    assert results == [i * i for i in range(200)]


def _compress(data: bytes, codec: str) -> bytes:
    if codec == "gz":
        return gzip.compress(data)
    zstandard = pytest.importorskip("zstandard")
    return zstandard.ZstdCompressor().compress(data)


def test_parquet_output_schema_replaces_every_output_field_of_the_input() -> None:
    """An input column named cleaner_error stayed in the output schema, null in every row."""
    pa = pytest.importorskip("pyarrow")
    from cleaner.io.parquet import output_schema

    schema = pa.schema([("id", pa.int64()), ("text", pa.string()), ("cleaner_error", pa.string()),
                        ("language", pa.string())])
    assert output_schema(schema, False).names == ["id", "text", "clean_text", "language"]
    assert output_schema(schema, True).names == ["id", "text", "clean_text", "language", "cleaner_audit"]


@pytest.mark.parametrize("method, loaded", [("fork", "True True True 1"), ("spawn", "False False False 0")])
def test_preload_loads_what_workers_use_and_freezes_it_before_a_fork(method: str, loaded: str) -> None:
    """With forked workers the parent loads the rules, models (the detector for pages without
    case too) and the HTML extractor once and freezes them out of the collector, so the
    workers share those pages; spawned workers share nothing, so then it loads nothing."""
    import subprocess
    import sys
    code = (f"import gc, multiprocessing, sys; multiprocessing.set_start_method({method!r}); "
            "from cleaner.io.worker import Settings, preload; done = preload(Settings()); "
            "from cleaner.detector.model import caseless_model; "
            "print(done, 'trafilatura' in sys.modules, gc.get_freeze_count() > 0, caseless_model.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == loaded.split()


def test_a_resume_state_is_another_runs_once_a_rule_file_or_the_weights_change(tmp_path: Path) -> None:
    """The fingerprint hashed the rule files' paths only: a rule edited between a crash and
    ``--resume`` gave one output of records cleaned two ways."""
    from cleaner.io import resume
    from cleaner.io.worker import Settings

    rules, weights, caseless = tmp_path / "mine.yaml", tmp_path / "w.json", tmp_path / "lower.json"
    rules.write_text("rules: []\n", encoding="utf-8")
    weights.write_text("{}", encoding="utf-8")
    caseless.write_text("{}", encoding="utf-8")
    settings = Settings(options={"rules": [str(rules)], "detector_weights": str(weights),
                                 "detector_weights_caseless": str(caseless)})
    assert settings.files() == [str(rules), str(weights), str(caseless)]

    def state() -> str:
        return resume.fingerprint([], str(tmp_path / "out.jsonl"), settings, settings.files())

    before = state()
    assert state() == before
    rules.write_text("rules: []\n# edited\n", encoding="utf-8")
    after_rules = state()
    weights.write_text('{"edited": 1}', encoding="utf-8")
    after_weights = state()
    caseless.write_text('{"edited": 1}', encoding="utf-8")
    assert len({before, after_rules, after_weights, state()}) == 4
