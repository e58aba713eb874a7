"""datatrove: CleanerStep inside a real LocalPipelineExecutor (JsonlReader -> CleanerStep -> JsonlWriter)."""
from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List

import pytest

pytest.importorskip("datatrove")
pytest.importorskip("orjson")  # datatrove's JSONL reader and writer need it

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

import cleaner  # noqa: E402
from cleaner.integrations._samples import synthetic_html, synthetic_records  # noqa: E402
from cleaner.integrations.datatrove import CleanerStep  # noqa: E402

OPTIONS: Dict[str, Any] = dict(max_bytes=20_000)  # so the long page is an error record
CHROME_ONLY = "Share on Facebook\nRead more\nAdvertisement\n"


def _write_input(folder: Path, with_html: bool) -> List[Dict[str, Any]]:
    records: List[Dict[str, Any]] = [r for r in synthetic_records(40, seed=3) if r["text"] is not None]
    records += [{"id": 100, "url": "https://news.example.org/empty", "text": CHROME_ONLY},
                {"id": 101, "url": "https://news.example.org/bad", "text": "word " * 5000}]  # over max_bytes: an error record
    if with_html:
        rng = random.Random(9)
        records += [{"id": 200 + i, "url": f"https://news.example.org/h{i}", "text": "(see html)",
                     "html": synthetic_html(rng)} for i in range(3)]
    for r in records:
        r["id"] = str(r["id"])  # datatrove ids are strings (and its writer drops falsy fields such as 0)
    folder.mkdir()
    for shard in range(2):
        with open(folder / f"part-{shard}.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in records[shard::2])
    return records


def _read_output(folder: Path) -> Dict[int, Dict[str, Any]]:
    rows = [json.loads(line) for f in sorted(folder.glob("*.jsonl")) for line in f.read_text("utf-8").splitlines()]
    return {int(r["id"]): r for r in rows}


def _run(tmp_path: Path, step: CleanerStep, workers: int) -> Any:
    pipeline = [JsonlReader(str(tmp_path / "in")), step, JsonlWriter(str(tmp_path / "out"), compression=None)]
    return LocalPipelineExecutor(pipeline, tasks=2, workers=workers, logging_dir=str(tmp_path / "logs")).run()


def test_cleaner_step_cleans_drops_empty_and_counts_rules(tmp_path: Path):
    records = _write_input(tmp_path / "in", with_html=True)
    stats = _run(tmp_path, CleanerStep(html_field="html", **OPTIONS), workers=2)
    out = _read_output(tmp_path / "out")

    expected = {int(r["id"]): r for r in cleaner.clean_batch(records, html_field="html", audit=True, **OPTIONS)}
    kept = {i for i, r in expected.items() if "cleaner_error" in r or r["clean_text"].strip()}
    assert set(out) == kept and 100 not in out  # the chrome-only page is dropped
    for i, row in out.items():
        exp = expected[i]
        if "cleaner_error" in exp:
            assert row["metadata"]["cleaner_error"]["type"] == exp["cleaner_error"]["type"]
            continue
        assert row["text"] == exp["clean_text"]
        assert row["metadata"]["language"] == exp["language"]
        assert row["metadata"]["cleaner_removed"] == dict(Counter(r["rule"] for r in exp["cleaner_audit"]))
        assert "html" not in row["metadata"]

    step_stats = next(s for s in stats.stats if s.name == str(CleanerStep()))
    assert step_stats["total"].total == len(records)
    assert step_stats["dropped_empty"].total == 1 and step_stats["cleaner_error"].total == 1
    assert step_stats["forwarded"].total == len(out)
    rule_totals = {k[5:]: v.total for k, v in step_stats.stats.items() if k.startswith("rule/")}
    assert rule_totals and rule_totals == dict(Counter(
        r["rule"] for e in expected.values() for r in e.get("cleaner_audit", [])))


def test_cleaner_step_keeps_empty_and_drops_errors_by_option(tmp_path: Path):
    _write_input(tmp_path / "in", with_html=False)
    _run(tmp_path, CleanerStep(drop_empty=False, on_error="drop", **OPTIONS), workers=1)
    out = _read_output(tmp_path / "out")
    assert out[100].get("text", "") == "" and 101 not in out  # datatrove's writer omits empty fields


def test_cleaner_step_rejects_bad_options():
    with pytest.raises(TypeError, match="unknown cleaner option"):
        CleanerStep(no_such_option=True)
    with pytest.raises(ValueError, match="on_error"):
        CleanerStep(on_error="explode")
    with pytest.raises(cleaner.RuleError, match="nope.yaml"):  # it passed, then failed in every worker
        CleanerStep(rules=["nope.yaml"])


def test_the_readme_recipe_for_html_only_records_loses_none(tmp_path: Path):
    """JsonlReader skips a record without its text_key: HTML-only records need text_key="html"."""
    rng = random.Random(4)
    records = [{"id": str(i), "url": f"https://news.example.org/p{i}", "html": synthetic_html(rng)} for i in range(4)]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "part-0.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    pipeline = [JsonlReader(str(tmp_path / "in"), text_key="html"), CleanerStep(**OPTIONS),
                JsonlWriter(str(tmp_path / "out"), compression=None)]
    LocalPipelineExecutor(pipeline, tasks=1, workers=1, logging_dir=str(tmp_path / "logs")).run()
    out = _read_output(tmp_path / "out")
    expected = cleaner.clean_batch(records, text_field="html", **OPTIONS)
    assert {i: row["text"] for i, row in out.items()} == {int(r["id"]): r["clean_text"] for r in expected}
    assert all(r["clean_text"] and "<" not in r["clean_text"] for r in expected)
