"""Arrow: clean_table keeps the input columns and appends fixed-type output columns."""
from __future__ import annotations

import pytest

pa = pytest.importorskip("pyarrow")

import cleaner  # noqa: E402
from cleaner.integrations._samples import synthetic_records  # noqa: E402
from cleaner.integrations.arrow import clean_table, output_types  # noqa: E402

OPTIONS: dict = {}  # the defaults


def test_clean_table_schema_is_fixed_whatever_the_rows():
    good = pa.Table.from_pylist([r for r in synthetic_records(5, seed=2)])
    bad = pa.Table.from_pylist([{"id": 9, "url": None, "text": None}], schema=good.schema)
    for audit in (False, True):
        a, b = clean_table(good, audit=audit, **OPTIONS), clean_table(bad, audit=audit, **OPTIONS)
        assert a.schema == b.schema
        assert a.schema.names == ["id", "url", "text", *output_types(audit)]
        assert a.select(["id", "url", "text"]).equals(good)
    out = clean_table(good, **OPTIONS).to_pylist()
    assert [r["clean_text"] for r in out] == [r["clean_text"] for r in cleaner.clean_batch(good.to_pylist(), **OPTIONS)]
    assert all(r["cleaner_error"] is None for r in out)
    assert clean_table(bad, **OPTIONS).to_pylist()[0]["cleaner_error"]["type"] == "TypeError"


def test_clean_table_replaces_existing_output_columns():
    table = pa.table({"text": ["The council approved the new budget on Monday after a long debate."],
                      "clean_text": [123]})
    out = clean_table(table, url_field=None, **OPTIONS)
    assert out.column_names == ["text", "clean_text", "language", "cleaner_error"]
    assert out["clean_text"].type == pa.string()
