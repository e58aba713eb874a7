"""Text-mode segmentation: whitespace folding and line blocks."""
from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.segment import fold_space, split_text

_REFERENCE_SPACE = regex.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
TRICKY = " \t\n\v\f\r\x1c\x1d\x1e\x1f\x85\xa0\u2028\u200b\ufeffab."


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet=TRICKY, max_size=20), st.text(max_size=40)))
def test_fold_space_matches_the_unicode_regex(text: str) -> None:
    assert fold_space(text) == _REFERENCE_SPACE.sub(" ", text).strip()


def test_split_text_counts_lines_and_gaps() -> None:
    blocks = split_text("Title\n\n\n  Body \t line.\x1f\r\nEnd")
    assert [(b.text, b.line, b.gap_before) for b in blocks] == [
        ("Title", 1, 0), ("Body line.", 4, 2), ("End", 5, 0)]
