"""Metadata read back from what the stages removed.

HTML pages get their metadata from trafilatura; page text has none. What is
missing, the byline and date rules' removals give (author, date), and in text
mode the headline is the last title-like line the detector dropped just above
the body.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Dict, Optional, Sequence

import regex

from .document import Block, Metadata, Removal
from .rules.matchers import is_title_like, word_count

_BY = regex.compile(r"^\W*(?i:by|written by|reported by|words by|por|par|von|di|door|av|af|od|от|автор:?)\s+")
_HEADLINE_WINDOW = 8
# A menu, not a headline: items set apart by bars, bullets or slashes ("Home | News | Sport").
_MENU = regex.compile(r"\s[|·•/»]\s")


def _author(text: str) -> str:
    return _BY.sub("", text).strip(" |,–—-")


def _headline(blocks: Sequence[Block], kept: Sequence[Block], removals: Dict[int, Removal]) -> Optional[str]:
    if not kept:
        return None
    first = next(i for i, b in enumerate(blocks) if b.index == kept[0].index)
    for block in reversed(blocks[max(0, first - _HEADLINE_WINDOW):first]):
        removal = removals.get(block.index)
        if (removal and removal.stage == "detector" and word_count(block.text) >= 4
                and is_title_like(block.text, 25) and not _MENU.search(block.text)):
            return block.text
    return None


def fill_metadata(base: Metadata, blocks: Sequence[Block], kept: Sequence[Block],
                  removals: Sequence[Removal]) -> Metadata:
    """Fill title, author and date that ``base`` lacks from the page's removed blocks."""
    whole = {r.index: r for r in removals if r.span is None}
    texts = {b.index: b.text for b in blocks}
    author = next((_author(texts[r.index]) for r in removals if r.rule == "byline"), None)
    date = next((texts[r.index] for r in removals if r.rule == "date-line"), None)
    return replace(base, title=base.title or _headline(blocks, kept, whole),
                   author=base.author or author or None, date=base.date or date)
