"""Split page text into blocks (text mode).

A block is one non-blank line; blank lines between blocks are counted in
``gap_before`` because they carry layout (a paragraph break, a section break).
Whitespace is folded so that the same words give the same block text.

>>> [b.text for b in split_text("Title\\n\\n  Body  line.\\u00a0\\n")]
['Title', 'Body line.']
"""
from __future__ import annotations

from typing import List

import regex

from .document import Block

_LINE_BREAK = regex.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
# \s in `regex` covers NBSP and the other Unicode spaces; add the zero-width space, word
# joiner and BOM. Not the zero-width (non-)joiners U+200C/U+200D: they are part of the
# spelling (Persian می‌خواستیم, Sinhala ශ්‍රී, emoji sequences); only at a line's ends do they go.
_SPACE_RUN = regex.compile(r"[\s\u200b\u2060\ufeff]+")
_EDGES = regex.compile(r"^[\s\x1c-\x1f\u200c\u200d]+|[\s\x1c-\x1f\u200c\u200d]+$")  # as str.strip(), and joiners
# ASCII separators that str.split() treats as whitespace and \s does not.
_SPLIT_ONLY = ("\x1c", "\x1d", "\x1e", "\x1f")
# What _SPACE_RUN folds or _EDGES strips that str.split() leaves.
_NOT_SPLIT = _SPLIT_ONLY + ("\u200b", "\u2060", "\ufeff", "\u200c", "\u200d")


def fold_space(text: str) -> str:
    """Collapse every run of whitespace (Unicode-aware) to one space and strip.

    >>> fold_space(" a\\u00a0\\u00a0b\\t"), fold_space("\\u0645\\u06cc\\u200c\\u062e\\u0648\\u0627\\u0647\\u0645")
    ('a b', 'می\u200cخواهم')
    """
    # str.split() breaks on exactly what \s matches plus \x1c-\x1f, and is several times
    # faster: it serves any text without those and without the zero-width characters.
    if not any(map(text.__contains__, _SPLIT_ONLY if text.isascii() else _NOT_SPLIT)):
        return " ".join(text.split())
    return _EDGES.sub("", _SPACE_RUN.sub(" ", text))


def split_text(text: str) -> List[Block]:
    """Cut ``text`` into line blocks with their 1-based line numbers."""
    blocks: List[Block] = []
    gap = 0
    for lineno, raw in enumerate(_LINE_BREAK.split(text), start=1):
        line = fold_space(raw)
        if not line:
            gap += 1
            continue
        blocks.append(Block(index=len(blocks), text=line, kind="line", line=lineno, gap_before=gap))
        gap = 0
    return blocks
