"""The matchers a YAML rule can name, each a small class over a :class:`Page`.

* ``block``: drop each block the pattern matches (optionally only short ones,
  and with ``max_run`` not those in a longer run of matches in a row).
* ``span``: strip each match inside a block (an image URL in a sentence); a
  block left empty goes whole.
* ``run-after-heading``: a heading line (pattern) followed by at least
  ``min_items`` headlines (short, no full stop at the end): a link list. Drops
  the heading and the run; the heading alone, or one short line, is not a list.
* ``rest-of-page``: a short marker line (pattern) in the last part of the page
  (``within`` share of its words): the marker and everything after it go
  (comment sections, "related" tails, footers). With ``min_markers`` the
  marker must occur that often (comment headers), the last in that part; the
  cut is at the first. With ``after_prose`` (one marker) a marker further up
  counts too when that many words of prose lines stand above it and the last
  of them is just above (a copyright notice that closes the story, above a
  long teaser grid).

Every pattern runs with the ``regex`` module's timeout, so a catastrophic user
pattern raises :class:`~cleaner.errors.RuleTimeout` naming the rule.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain
from typing import Callable, Iterator, List, Optional, Tuple, TypeVar

import regex

from ..document import Block
from ..errors import RuleTimeout
from ..textshape import CLOSERS, LIST_ITEM, SENTENCE_MARKS, cut_short, ends_sentence, word_count
from .model import Page, Rule

T = TypeVar("T")

# A line ending like a sentence (or a label, ':' ';') is not title-like; closers may follow.
_TERMINAL = regex.compile(rf"[{regex.escape(SENTENCE_MARKS + ':;')}][{regex.escape(CLOSERS)}]*\s*$|[»\"”']\s*$")


def is_title_like(text: str, max_words: int) -> bool:
    """Short and not a sentence: what menu items, link titles and tags look like."""
    return 0 < word_count(text) <= max_words and not _TERMINAL.search(text)


# A headline may end in a question or exclamation mark, an ellipsis or a closing quote;
# one that ends in a full stop (of any script), ':' or ';', or holds a full stop after a
# lower-case word and then more words ("It was close. The council..."), is prose. A stop
# after a capital ("U.S. stocks", "Mr. Musk") does not end a sentence.
_FULL_STOPS = "".join(c for c in SENTENCE_MARKS if c not in "!?\u2026\uff01\uff1f\u061f\u037e")
_LINE_END = regex.escape(_FULL_STOPS + ":;\uff1a")
_INNER_STOP = regex.escape(_FULL_STOPS.replace(".", ""))
_NOT_HEADLINE = regex.compile(rf"[{_LINE_END}][{regex.escape(CLOSERS)}]*\s*$|\p{{Ll}}{{3}}\.\s+\S|[{_INNER_STOP}]\s*\S")


def is_headline(text: str, max_words: int) -> bool:
    """A link title in a list of other stories: short, one clause, no full stop at its end.

    >>> is_headline("Will the bridge open in May?", 16), is_headline("The bridge opens in May.", 16)
    (True, False)
    >>> is_headline("U.S. stocks slide as oil jumps", 16), is_headline("शहर में नई बस सेवा शुरू हुई।", 16)
    (True, False)
    """
    return 0 < word_count(text) <= max_words and not _NOT_HEADLINE.search(text)


def _call(rule: Rule, page: Page, call: Callable[[float], T]) -> T:
    """``call(timeout)`` under the page's ``regex_timeout`` and, with one, its budget (what
    the call took is taken off it): past either, a :class:`RuleTimeout` naming ``rule``. One call
    is bounded by ``regex_timeout``; a pattern just under it on every block of a long page
    would otherwise run for hours."""
    budget = page.budget
    if budget is not None and budget.left <= 0:
        raise RuleTimeout(rule.id, rule.source, budget.seconds, page=True)
    start = time.perf_counter()
    try:
        return call(page.regex_timeout)
    except TimeoutError:
        raise RuleTimeout(rule.id, rule.source, page.regex_timeout) from None
    finally:
        if budget is not None:
            budget.left -= time.perf_counter() - start


def search(pattern: regex.Pattern, text: str, rule: Rule, page: Page) -> Optional[regex.Match]:
    """``pattern.search`` under the page's time limits (:func:`_call`)."""
    return _call(rule, page, lambda timeout: pattern.search(text, timeout=timeout))


@lru_cache(maxsize=4096)
def _found(pattern: regex.Pattern, text: str, timeout: float) -> bool:
    return pattern.search(text, timeout=timeout) is not None


def found(pattern: regex.Pattern, text: str, rule: Rule, page: Page) -> bool:
    """Whether ``pattern`` is found in ``text``, remembered across passes and pages.

    The context matchers ask the same short lines again on every pass; the
    answer depends only on the pattern and the text (a timeout is not remembered).
    """
    return _call(rule, page, lambda timeout: _found(pattern, text, timeout))


def finditer(pattern: regex.Pattern, text: str, rule: Rule, page: Page) -> List[regex.Match]:
    """Every match of ``pattern`` in ``text`` under the page's time limits (:func:`_call`)."""
    return _call(rule, page, lambda timeout: list(pattern.finditer(text, timeout=timeout)))


def _snippet(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class BlockMatcher:
    """Drop blocks matched by ``pattern`` with at most ``max_words`` words; with ``max_run``,
    not those in a run of more than ``max_run`` matched blocks next to each other on the
    page (consecutive ``Block.index``; a block another rule removed between two matches ends
    the run): the rows of a table or a timeline, not a dateline."""

    pattern: regex.Pattern
    max_words: Optional[int] = None
    max_run: Optional[int] = None

    def find(self, page: Page, rule: Rule) -> Iterator[Tuple[Block, Optional[Tuple[int, int]], str]]:
        matches = []
        for block in page.blocks:
            if self.max_words is not None and word_count(block.text) > self.max_words:
                continue
            match = search(self.pattern, block.text, rule, page)
            if match:
                matches.append((block, f"matched {_snippet(match.group(0) or block.text)!r}"))
        for run in self._runs(matches):
            if self.max_run is None or len(run) <= self.max_run:
                yield from ((block, None, reason) for block, reason in run)

    def _runs(self, matches: List[Tuple[Block, str]]) -> List[List[Tuple[Block, str]]]:
        """The matches cut where the page's block numbers jump (one run when ``max_run`` is unset)."""
        if self.max_run is None:
            return [matches]
        runs: List[List[Tuple[Block, str]]] = []
        for item in matches:
            if runs and runs[-1][-1][0].index + 1 == item[0].index:
                runs[-1].append(item)
            else:
                runs.append([item])
        return runs


@dataclass(frozen=True)
class SpanMatcher:
    """Strip each match of ``pattern`` inside a block."""

    pattern: regex.Pattern

    def find(self, page: Page, rule: Rule) -> Iterator[Tuple[Block, Optional[Tuple[int, int]], str]]:
        for block in page.blocks:
            for match in finditer(self.pattern, block.text, rule, page):
                if match.end() > match.start():
                    yield block, match.span(), f"stripped {_snippet(match.group(0))!r}"


@dataclass(frozen=True)
class RunAfterHeadingMatcher:
    """A heading line followed by a run of at least ``min_items`` headlines (:func:`is_headline`)."""

    heading: regex.Pattern
    min_items: int = 2
    max_words: int = 16

    def find(self, page: Page, rule: Rule) -> Iterator[Tuple[Block, Optional[Tuple[int, int]], str]]:
        blocks = page.blocks
        i = 0
        while i < len(blocks):
            head = blocks[i]
            if word_count(head.text) <= 8 and found(self.heading, head.text, rule, page):
                end = i + 1
                while end < len(blocks) and is_headline(blocks[end].text, self.max_words):
                    end += 1
                items = end - i - 1
                if items >= self.min_items:
                    reason = f"{items} headlines after {_snippet(head.text)!r}"
                    for block in blocks[i:end]:
                        yield block, None, reason
                    i = end
                    continue
            i += 1


@dataclass(frozen=True)
class RestOfPageMatcher:
    """A short marker line in the last ``within`` share of the page: it and all after it go.

    With ``min_markers`` above 1 the marker must occur that many times after the
    page's first block, the last of them in that part of the page (one "Ann
    says:" line may be body; a run of them is a comment thread, and a long
    thread starts early in the page's words); the cut is at the first.
    With ``after_prose`` (one marker only) a marker before that part counts
    too when that many words of prose lines are above it, the last of them
    within :data:`PROSE_NEAR` blocks; ``within: 0`` takes only such markers.
    With ``inline_unless_prose_follows`` (one marker only) a marker after which the
    story's prose resumes (two prose lines in a row starting within
    :data:`PROSE_NEAR` blocks) is a link box inside the story, not its end: the
    next marker is looked for.
    """

    marker: regex.Pattern
    within: float = 0.4
    max_words: int = 10
    min_markers: int = 1
    after_prose: Optional[int] = None
    inline_unless_prose_follows: bool = False

    def find(self, page: Page, rule: Rule) -> Iterator[Tuple[Block, Optional[Tuple[int, int]], str]]:
        blocks = page.blocks
        sizes, before, total = _words_before(blocks)
        # Words before block i over all words: from the first block past the share on.
        limit = 1 - self.within
        start = next((i for i, seen in enumerate(before) if seen / total >= limit), len(blocks))
        if self.min_markers == 1:
            early = _below_prose(blocks, sizes, self.after_prose, start) if self.after_prose else ()
            candidates = chain(early, range(start, len(blocks)))
            first = next((i for i in candidates if self._marks(blocks[i], sizes[i], page, rule)
                          and not (self.inline_unless_prose_follows and _prose_resumes(blocks, sizes, i))), None)
            reason = ""
            if first is not None:
                where = "near the end of the page" if first >= start else "below the story's prose"
                reason = f"after {_snippet(blocks[first].text)!r} {where}"
        else:
            # A thread far longer than the story starts before the window: the markers
            # are counted from the second block on, and the last one must be in the window.
            hits = [i for i in range(1, len(blocks)) if self._marks(blocks[i], sizes[i], page, rule)]
            ok = len(hits) >= self.min_markers and hits[-1] >= start
            first = hits[0] if ok else None
            reason = f"from {_snippet(blocks[hits[0]].text)!r}, the first of {len(hits)} such lines" if ok else ""
        if first is not None:
            for tail in blocks[first:]:
                yield tail, None, reason

    def _marks(self, block: Block, size: int, page: Page, rule: Rule) -> bool:
        return size <= self.max_words and (page.hinted is None or block.index in page.hinted) \
            and found(self.marker, block.text, rule, page)


# For ``after_prose``: a prose line has at least this many words and ends like a
# sentence (a teaser cut short with "..." is not prose); the marker must follow
# one closely (the story's last paragraph).
PROSE_LINE_WORDS = 12
PROSE_NEAR = 5


def _is_prose(text: str, size: int) -> bool:
    return size >= PROSE_LINE_WORDS and ends_sentence(text) and not cut_short(text)


def _below_prose(blocks: Tuple[Block, ...], sizes: List[int], words: int, stop: int) -> List[int]:
    """Indexes before ``stop`` with ``words`` words of prose lines above and one of the
    :data:`PROSE_NEAR` blocks just above a prose line. Only prose lines next to another
    count: a story's paragraphs follow each other, a listing's teasers stand alone."""
    prose = [_is_prose(blocks[i].text, sizes[i]) for i in range(stop)] + [False]
    seen, last, out = 0, -PROSE_NEAR - 1, []
    for i in range(stop):
        if seen >= words and i - last <= PROSE_NEAR:
            out.append(i)
        if prose[i] and ((i > 0 and prose[i - 1]) or prose[i + 1]):
            seen += sizes[i]
            last = i
    return out


def _prose_resumes(blocks: Tuple[Block, ...], sizes: List[int], marker: int) -> bool:
    """Two prose lines in a row, not list items, start within :data:`PROSE_NEAR` blocks after
    ``marker``: the story goes on below it (a related list's teasers stand alone between
    titles, or are numbered or bulleted)."""
    end = min(len(blocks), marker + PROSE_NEAR + 2)
    prose = [_is_prose(blocks[i].text, sizes[i]) and not LIST_ITEM.match(blocks[i].text)
             for i in range(marker + 1, end)]
    return any(a and b for a, b in zip(prose, prose[1:]))


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
