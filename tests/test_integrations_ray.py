"""Ray Data: clean_dataset and run_jsonl give exactly the single-process clean_batch output."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")
pq = pytest.importorskip("pyarrow.parquet")

import cleaner  # noqa: E402
from cleaner.integrations._samples import synthetic_records  # noqa: E402
from cleaner.integrations.arrow import output_types  # noqa: E402
from cleaner.integrations.ray import OUTPUT_FIELDS, clean_dataset, run_jsonl  # noqa: E402

OPTIONS: Dict[str, Any] = {}  # the defaults
OUTPUT_TYPES = output_types(audit=False)
N = 1000
pytestmark = pytest.mark.xdist_group("ray")  # with --dist loadgroup, one xdist worker starts Ray, once


@pytest.fixture(scope="session")
def ray_local():
    """One light local Ray instance for the whole session: 2 CPUs, no dashboard, small object store."""
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=100 * 1024 ** 2,
             log_to_driver=False, configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def records() -> List[Dict[str, Any]]:
    return list(synthetic_records(N, seed=5))


@pytest.fixture(scope="module")
def expected(records) -> List[Dict[str, Any]]:
    """The single-process reference, with the audit trail (computed once for the module)."""
    return cleaner.clean_batch(records, audit=True, **OPTIONS)


def _no_audit(rows: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "cleaner_audit"} for r in rows]


def _tabular(rows: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Drop the nulls a table adds for output fields that clean_batch leaves out of a record."""
    return [{k: v for k, v in r.items() if not (k in OUTPUT_FIELDS and v is None)} for r in rows]


def _audit_spans_as_tuples(rows: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    for r in rows:
        for removal in r.get("cleaner_audit") or []:
            removal["span"] = tuple(removal["span"]) if removal["span"] is not None else None
    return rows


def test_clean_dataset_matches_single_process(ray_local, records, expected):
    ds = ray.data.from_items(records, override_num_blocks=8)
    out = clean_dataset(ds, audit=True, workers=2, batch_size=100, **OPTIONS).take_all()
    out = _audit_spans_as_tuples(_tabular(sorted(out, key=lambda r: r["id"])))
    assert len(out) == N
    assert [r["id"] for r in out] == list(range(N))
    assert sum("cleaner_error" in r for r in expected) == N // 97  # the generator's bad records
    assert out == expected
    assert any(r["cleaner_audit"] for r in out)


def test_clean_dataset_rejects_unknown_option_in_driver(ray_local):
    with pytest.raises(TypeError, match="unknown cleaner option"):
        clean_dataset(ray.data.from_items([{"text": "x"}]), no_such_option=1)


def test_run_jsonl_writes_cleaned_shards_in_order(ray_local, records, expected, tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    subset = records[:300]
    for shard in range(3):
        with open(src / f"part-{shard}.jsonl", "w", encoding="utf-8") as fh:
            for r in subset[shard * 100:(shard + 1) * 100]:
                fh.write(json.dumps(r) + "\n")
    stats = run_jsonl(str(src / "*.jsonl"), str(tmp_path / "out"), workers=2, **OPTIONS)
    assert stats["records"] == 300 and stats["format"] == "jsonl"
    assert stats["errors"] == sum(r["text"] is None for r in subset)
    rows = [json.loads(line) for f in sorted((tmp_path / "out").glob("*.jsonl"))
            for line in f.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == list(range(300))  # files in name order, rows in input order
    assert _tabular(rows) == _no_audit(expected[:300])


def test_run_jsonl_reads_and_writes_parquet(ray_local, records, expected, tmp_path: Path):
    import pyarrow as pa

    src = tmp_path / "in"
    src.mkdir()
    subset = [r for r in records[:120] if r["text"] is not None]
    reference = _no_audit([e for r, e in zip(records[:120], expected) if r["text"] is not None])
    pq.write_table(pa.Table.from_pylist(subset), src / "part-0.parquet")
    stats = run_jsonl([str(src)], str(tmp_path / "out"), **OPTIONS)
    assert stats == dict(stats, records=len(subset), errors=0, format="parquet")
    table = pa.concat_tables([pq.read_table(f) for f in sorted((tmp_path / "out").glob("*.parquet"))])
    rows = _tabular(sorted(table.to_pylist(), key=lambda r: r["id"]))
    assert rows == reference


def test_cli_engine_ray(ray_local, records, expected, tmp_path: Path):
    from click.testing import CliRunner

    from cleaner.cli import main
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records[:50]), encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", str(src), "-o", str(tmp_path / "out"), "--engine", "ray", "-q"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for f in sorted((tmp_path / "out").glob("*.jsonl"))
            for line in f.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == list(range(50))
    assert [r.get("clean_text") for r in rows] == [e.get("clean_text") for e in expected[:50]]


def test_cli_engine_ray_makes_a_malformed_line_one_error_row(ray_local, tmp_path: Path):
    """A line that is not a JSON object costs that line only: it comes out, in order, as one row with
    cleaner_error MalformedRecord (file and line number) and the line as it was read."""
    from click.testing import CliRunner

    from cleaner.cli import main
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": 1, "text": "The council approved the plan on Monday."}\n\n'
                    b'{"text": "bro\n[1, 2]\n{"id": 4, "text": "Caf\xe9 owners met the mayor on Tuesday."}\n'
                    b'{"id": 5, "text": "The vote is set for Friday afternoon."}')
    for fmt in ("jsonl", "parquet"):
        out = tmp_path / f"out-{fmt}"
        if fmt == "jsonl":
            result = CliRunner().invoke(main, ["clean", str(src), "-o", str(out), "--engine", "ray"])
            assert result.exit_code == 0, result.output
            assert "'records': 5, 'errors': 3" in result.stderr
        else:
            stats = run_jsonl(str(src), str(out), output_format="parquet", batch_size=2)  # three batches
            assert (stats["records"], stats["errors"]) == (5, 3)
            schemas = {f: pq.read_schema(f) for f in out.glob("*.parquet")}
            for name in ("clean_text", "language", "cleaner_error"):  # the same, fixed type in every file
                assert {str(schema.field(name).type) for schema in schemas.values()} == {str(OUTPUT_TYPES[name])}
        if fmt == "jsonl":
            rows = [json.loads(line) for f in sorted(out.glob("*.jsonl")) for line in f.read_text(encoding="utf-8").splitlines()]
        else:
            rows = [row for f in sorted(out.glob("*.parquet")) for row in pq.read_table(f).to_pylist()]
        assert [r.get("id") for r in rows] == [1, None, None, None, 5]
        assert rows[0]["clean_text"] == "The council approved the plan on Monday." and rows[0].get("cleaner_error") is None
        errors = [r["cleaner_error"] for r in rows[1:4]]
        assert [e["type"] for e in errors] == ["MalformedRecord"] * 3
        assert [e["message"].split(": ")[0] for e in errors] == [f"{src}, line {n}" for n in (3, 4, 5)]
        assert [r["cleaner_raw_line"] for r in rows[1:4]] == ['{"text": "bro', "[1, 2]",
                                                              '{"id": 4, "text": "Caf\\xe9 owners met the mayor on Tuesday."}']
        assert rows[4]["clean_text"] == "The vote is set for Friday afternoon." and "cleaner_malformed" not in rows[4]


def test_cli_engine_ray_names_a_failed_read_in_one_line(ray_local, tmp_path: Path):
    """A shard Ray cannot read at all (here a corrupt Parquet file) stops the run: exit 1 and one line."""
    from click.testing import CliRunner

    from cleaner.cli import main
    src = tmp_path / "in.parquet"
    src.write_bytes(b"PAR1 this is not a parquet file")
    result = CliRunner().invoke(main, ["clean", str(src), "-o", str(tmp_path / "out"), "--engine", "ray", "-q"])
    assert result.exit_code == 1
    said = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(said) == 1 and said[0].startswith("cleaner: error: ray run failed: ArrowInvalid: "), result.stderr


def test_run_jsonl_keeps_each_records_types_and_reads_any_line_ending(ray_local, tmp_path: Path):
    """JSONL in, JSONL out in the local engine's format: a field that is a number in some records and
    text in others (across Ray's blocks and batches) keeps each record's own type; CRLF endings, a last
    line with no newline, an empty file and a deeply nested line cost nothing but that line; .ndjson
    is read, other files in the directory (a manifest.json, a README) are not; a record that has a
    cleaner_raw_line field of its own is cleaned like any other."""
    src = tmp_path / "in"
    src.mkdir()
    n = 2100  # more than one reader block (1,024 rows) and many batches
    ids = [i if i < 1100 else (str(i) if i % 2 else i + 0.5) for i in range(n)]
    lines = [json.dumps({"id": v, "text": f"Story {i} is about the harbour and the pier."}) for i, v in enumerate(ids)]
    (src / "a.jsonl").write_bytes(("\r\n".join(lines[:1500]) + "\r\n").encode())
    own = json.dumps({"id": "own", "text": "A record of ours, cleaned again.", "cleaner_raw_line": "x"})
    (src / "b.ndjson").write_bytes(("\n".join(lines[1500:]) + "\n" + "[" * 100_000 + "\n" + own).encode())
    (src / "c.jsonl").write_bytes(b"")
    (src / "manifest.json").write_text('{"shards": 3}\n', encoding="utf-8")
    (src / "README.txt").write_text("not a shard\n", encoding="utf-8")
    stats = run_jsonl(str(src), str(tmp_path / "out"), language=False, detector=False)
    assert (stats["records"], stats["errors"]) == (n + 2, 1)
    rows = [json.loads(line) for f in sorted((tmp_path / "out").glob("*.jsonl"))
            for line in f.read_text(encoding="utf-8").splitlines()]
    assert [r.get("id") for r in rows] == ids + [None, "own"]
    assert rows[-1]["clean_text"] == "A record of ours, cleaned again." and "cleaner_error" not in rows[-1]
    assert [r["clean_text"] for r in rows[:2]] == ["Story 0 is about the harbour and the pier.",
                                                   "Story 1 is about the harbour and the pier."]
    deep = rows[n]
    assert deep["cleaner_error"]["type"] == "MalformedRecord" and deep["cleaner_raw_line"] == "[" * 100_000
    assert deep["cleaner_error"]["message"].startswith(f"{src / 'b.ndjson'}, line {n - 1500 + 1}: ")


def test_cli_engine_ray_refuses_local_only_options_and_fails_when_every_record_does(ray_local, tmp_path: Path):
    """--errors, --resume, --format and --url were ignored without a word, and a run whose every
    record failed exited 0 (the local engine exits 1)."""
    from click.testing import CliRunner

    from cleaner.cli import main
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": 1}\n[1, 2]\n')
    for extra in (["--errors", str(tmp_path / "e.jsonl")], ["--resume"], ["--format", "jsonl"],
                  ["--url", "https://example.com/"]):
        result = CliRunner().invoke(main, ["clean", str(src), "-o", str(tmp_path / "out"), "--engine", "ray", *extra])
        assert result.exit_code == 2 and "not with --engine ray" in result.stderr, extra
    result = CliRunner().invoke(main, ["clean", str(src), "-o", str(tmp_path / "out"), "--engine", "ray"])
    assert result.exit_code == 1 and "every record failed (2 error(s))" in result.stderr, result.stderr
