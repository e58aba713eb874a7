"""Text-mode segmentation: whitespace folding and line blocks."""
from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.segment import fold_space, split_text

_REFERENCE_SPACE = regex.compile(r"[\s\u200b\u2060\ufeff]+")
JOINERS = "\u200c\u200d"
TRICKY = " \t\n\v\f\r\x1c\x1d\x1e\x1f\x85\xa0\u2028\u3000\u200b\u2060\ufeff\u200c\u200dab.\u00e9"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet=TRICKY, max_size=20), st.text(max_size=40)))
def test_fold_space_matches_the_unicode_regex(text: str) -> None:
    folded = _REFERENCE_SPACE.sub(" ", text)
    while folded and (folded[0].isspace() or folded[0] in JOINERS):
        folded = folded[1:]
    while folded and (folded[-1].isspace() or folded[-1] in JOINERS):
        folded = folded[:-1]
    assert fold_space(text) == folded


def test_zero_width_joiners_are_part_of_the_word() -> None:
    """They were folded to spaces: Persian and Sinhala words and emoji sequences came out split."""
    for word in ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0633\u062a\u06cc\u0645",   # Persian, ZWNJ
                 "\u0dc1\u0dca\u200d\u0dbb\u0dd3",                                  # Sinhala, ZWJ
                 "\U0001f468\u200d\U0001f469\u200d\U0001f467"):                        # a family emoji
        assert fold_space(f" {word}\u00a0ok ") == f"{word} ok"
    assert [b.text for b in split_text("a\n\u200d\nb")] == ["a", "b"]  # a line of a joiner alone is empty
    assert fold_space("x\u200c \u200c") == "x" and fold_space("\u200d \u200dy") == "y"


def test_split_text_counts_lines_and_gaps() -> None:
    blocks = split_text("Title\n\n\n  Body \t line.\x1f\r\nEnd")
    assert [(b.text, b.line, b.gap_before) for b in blocks] == [
        ("Title", 1, 0), ("Body line.", 4, 2), ("End", 5, 0)]
