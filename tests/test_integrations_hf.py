"""Hugging Face datasets: Dataset.map(clean_columns, batched=True) equals clean_batch row for row."""
from __future__ import annotations

from typing import Any, Dict, List

import pytest

datasets = pytest.importorskip("datasets")

import cleaner  # noqa: E402
from cleaner.integrations._samples import synthetic_records  # noqa: E402
from cleaner.integrations.hf import clean_columns, output_features  # noqa: E402

OPTIONS: Dict[str, Any] = {}  # the defaults


def _records() -> List[Dict[str, Any]]:
    records = list(synthetic_records(60, seed=21))
    records[0]["text"] = None  # a bad record first: its batch's clean_text column starts with null
    return records


def _without_nulls(row: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in row.items() if not (k in ("clean_text", "language", "cleaner_error") and v is None)}


@pytest.mark.parametrize("audit", [False, True])
def test_dataset_map_matches_clean_batch(audit: bool, tmp_path):
    records = _records()
    ds = datasets.Dataset.from_list(records)
    out = ds.map(clean_columns, batched=True, batch_size=16, fn_kwargs=dict(audit=audit, **OPTIONS),
                 features=output_features(ds.features, audit=audit), cache_file_name=str(tmp_path / "c.arrow"))
    expected = cleaner.clean_batch(records, audit=audit, **OPTIONS)
    rows = [_without_nulls(r) for r in out]
    if audit:
        for row in rows:
            for removal in row.get("cleaner_audit") or []:
                removal["span"] = tuple(removal["span"]) if removal["span"] is not None else None
            if row.get("cleaner_audit") is None:
                row.pop("cleaner_audit", None)
    assert rows == expected
    assert out[0]["cleaner_error"]["type"] == "TypeError" and out[0]["clean_text"] is None
    assert out.column_names[:3] == ["id", "url", "text"]


def test_clean_columns_on_a_plain_dict():
    batch = {"text": ["Share on Facebook\nThe council approved the new budget on Monday after a long debate."],
             "url": [None]}
    out = clean_columns(batch, **OPTIONS)
    assert set(out) == {"text", "url", "clean_text", "language", "cleaner_error"}
    assert out["clean_text"] == ["The council approved the new budget on Monday after a long debate."]
    assert out["cleaner_error"] == [None]
    assert clean_columns({}) == {"clean_text": [], "language": [], "cleaner_error": []}
