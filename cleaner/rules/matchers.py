"""The matchers a YAML rule can name, each a small class over a :class:`Page`.

* ``block``: drop each block the pattern matches (optionally only short ones).
* ``span``: strip each match inside a block (an image URL in a sentence); a
  block left empty goes whole.
* ``run-after-heading``: a heading line (pattern) followed by at least
  ``min_items`` short title-like lines: a link list. Drops the heading and the
  run; the heading alone, or one short line, is not a list.
* ``rest-of-page``: a short marker line (pattern) in the last part of the page
  (``within`` share of its words): the marker and everything after it go
  (comment sections, "related" tails, footers). With ``min_markers`` the
  marker must occur that often there (comment headers), and the cut is at the first.

Every pattern runs with the ``regex`` module's timeout, so a catastrophic user
pattern raises :class:`~cleaner.errors.RuleTimeout` naming the rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Iterator, List, Optional, Tuple

import regex

from ..document import Block
from ..errors import RuleTimeout
from ..textshape import CLOSERS, SENTENCE_MARKS, word_count
from .model import Page, Rule

# A line ending like a sentence (or a label, ':' ';') is not title-like; closers may follow.
_TERMINAL = regex.compile(rf"[{regex.escape(SENTENCE_MARKS + ':;')}][{regex.escape(CLOSERS)}]*\s*$|[»\"”']\s*$")


def is_title_like(text: str, max_words: int) -> bool:
    """Short and not a sentence: what menu items, link titles and tags look like."""
    return 0 < word_count(text) <= max_words and not _TERMINAL.search(text)


def search(pattern: regex.Pattern, text: str, rule: Rule, timeout: float) -> Optional[regex.Match]:
    try:
        return pattern.search(text, timeout=timeout)
    except TimeoutError:
        raise RuleTimeout(rule.id, rule.source, timeout) from None


@lru_cache(maxsize=16384)
def _found(pattern: regex.Pattern, text: str, timeout: float) -> bool:
    return pattern.search(text, timeout=timeout) is not None


def found(pattern: regex.Pattern, text: str, rule: Rule, timeout: float) -> bool:
    """Whether ``pattern`` is found in ``text``, remembered across passes and pages.

    The context matchers ask the same short lines again on every pass; the
    answer depends only on the pattern and the text (a timeout is not remembered).
    """
    try:
        return _found(pattern, text, timeout)
    except TimeoutError:
        raise RuleTimeout(rule.id, rule.source, timeout) from None


def finditer(pattern: regex.Pattern, text: str, rule: Rule, timeout: float) -> List[regex.Match]:
    try:
        return list(pattern.finditer(text, timeout=timeout))
    except TimeoutError:
        raise RuleTimeout(rule.id, rule.source, timeout) from None


def _snippet(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class BlockMatcher:
    """Drop blocks matched by ``pattern`` with at most ``max_words`` words."""

    pattern: regex.Pattern
    max_words: Optional[int] = None

    def find(self, page: Page, rule: Rule) -> Iterator[Tuple[Block, Optional[Tuple[int, int]], str]]:
        for block in page.blocks:
            if self.max_words is not None and word_count(block.text) > self.max_words:
                continue
            match = search(self.pattern, block.text, rule, page.regex_timeout)
            if match:
                yield block, None, f"matched {_snippet(match.group(0) or block.text)!r}"


@dataclass(frozen=True)
class SpanMatcher:
    """Strip each match of ``pattern`` inside a block."""

    pattern: regex.Pattern

    def find(self, page: Page, rule: Rule) -> Iterator[Tuple[Block, Optional[Tuple[int, int]], str]]:
        for block in page.blocks:
            for match in finditer(self.pattern, block.text, rule, page.regex_timeout):
                if match.end() > match.start():
                    yield block, match.span(), f"stripped {_snippet(match.group(0))!r}"


@dataclass(frozen=True)
class RunAfterHeadingMatcher:
    """A heading line followed by a run of at least ``min_items`` short title-like lines."""

    heading: regex.Pattern
    min_items: int = 2
    max_words: int = 16

    def find(self, page: Page, rule: Rule) -> Iterator[Tuple[Block, Optional[Tuple[int, int]], str]]:
        blocks = page.blocks
        i = 0
        while i < len(blocks):
            head = blocks[i]
            if word_count(head.text) <= 8 and found(self.heading, head.text, rule, page.regex_timeout):
                end = i + 1
                while end < len(blocks) and is_title_like(blocks[end].text, self.max_words):
                    end += 1
                items = end - i - 1
                if items >= self.min_items:
                    reason = f"{items} short title lines after {_snippet(head.text)!r}"
                    for block in blocks[i:end]:
                        yield block, None, reason
                    i = end
                    continue
            i += 1


@dataclass(frozen=True)
class RestOfPageMatcher:
    """A short marker line in the last ``within`` share of the page: it and all after it go.

    With ``min_markers`` above 1 the marker must occur that many times in that
    part of the page (one "Ann says:" line may be body; a run of them is a
    comment thread); the cut is at the first.
    """

    marker: regex.Pattern
    within: float = 0.4
    max_words: int = 10
    min_markers: int = 1

    def find(self, page: Page, rule: Rule) -> Iterator[Tuple[Block, Optional[Tuple[int, int]], str]]:
        blocks = page.blocks
        sizes, before, total = _words_before(blocks)
        # Words before block i over all words: from the first block past the share on.
        limit = 1 - self.within
        start = next((i for i, seen in enumerate(before) if seen / total >= limit), len(blocks))
        hits: List[int] = []
        for i in range(start, len(blocks)):
            if sizes[i] <= self.max_words and found(self.marker, blocks[i].text, rule, page.regex_timeout):
                hits.append(i)
                if len(hits) >= self.min_markers:
                    break
        if hits and len(hits) >= self.min_markers:
            first = hits[0]
            reason = f"after {_snippet(blocks[first].text)!r} near the end of the page"
            if self.min_markers > 1:
                reason = f"from {_snippet(blocks[first].text)!r}, the first of {self.min_markers}+ such lines"
            for tail in blocks[first:]:
                yield tail, None, reason


# The rest-of-page rules of a stage ask in turn about the same blocks: the last answer is kept.
_LAST_WORDS: Tuple[Tuple[Block, ...], Tuple[List[int], List[int], int]] = ((), ([], [], 1))


def _words_before(blocks: Tuple[Block, ...]) -> Tuple[List[int], List[int], int]:
    """Each block's word count, the words before each block, and the total (1 when 0)."""
    global _LAST_WORDS
    last = _LAST_WORDS
    if last[0] is blocks:
        return last[1]
    sizes = [word_count(b.text) for b in blocks]
    before = list(accumulate(sizes, initial=0))[:-1]
    answer = (sizes, before, sum(sizes) or 1)
    _LAST_WORDS = (blocks, answer)
    return answer
