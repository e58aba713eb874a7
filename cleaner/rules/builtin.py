"""Rules written in Python that ship with cleaner, registered as plugins of cleaner itself.

They are found the same way a third-party plugin is: through the
``cleaner.rules`` entry-point group in ``pyproject.toml``.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Dict, Iterable, List

from ..document import Removal
from ..textshape import word_count
from .model import Example, Page, Rule


class DuplicateBlocks(Rule):
    """Drop earlier copies of a long block that occurs again later on the page.

    A standfirst repeated as the first paragraph, a caption shown twice, a
    teaser of the story in a sidebar: the page says the same thing twice and
    only one copy is body. The last copy is kept, as the earlier ones are
    usually the teaser or deck above the article. In HTML mode a line that
    recurs three or more times with new prose between every two copies is the
    story's structure (an interview's question) and stays.
    """

    id = "duplicate-block"
    summary = ("Earlier copies of a paragraph (6+ words) that occurs again later on the page (in HTML mode "
               "not a line that recurs 3+ times with new prose between every two copies: the story's structure)")
    why = "A repeated paragraph is a teaser, deck or caption copy; the story says it once."
    risk = "A refrain the author repeats on purpose loses its earlier copies."
    category = "other"
    source = "cleaner/rules/builtin.py"
    min_words = 6
    # In HTML mode (the blocks of trafilatura's main content) a line that comes back
    # ``structure_copies`` times or more, with a block of ``prose_words``+ words found once
    # on the page between every two copies (an interview's recurring question, a meal
    # plan's "Before your workout"), is the story's own structure: all copies stay. Per-page
    # A/B on the dev pages: HTML 33 pages up (+1.005 in all), 25 down (-0.260). In text
    # mode, where the whole page is there, it was a loss (67 up +0.99, 61 down -1.52: kept
    # widget copies shift the detector's context).
    structure_copies = 3
    prose_words = 10   # at least min_words, so every such block is in ``seen`` below
    remove_examples = (Example("The minister said the plan would cut costs by half.\nIntro line\n"
                               "The minister said the plan would cut costs by half.",
                               "Intro line\n\nThe minister said the plan would cut costs by half."),)
    keep_examples = (Example("The minister said the plan would cut costs by half.\n"
                             "The opposition said the plan would raise costs."),)

    def find(self, page: Page) -> Iterable[Removal]:
        seen: Dict[str, List[int]] = defaultdict(list)   # text -> positions in page.blocks
        for pos, block in enumerate(page.blocks):
            if word_count(block.text) >= self.min_words:
                seen[block.text.casefold()].append(pos)
        for positions in seen.values():
            if page.document.mode == "html" and len(positions) >= self.structure_copies and all(
                    self._unique_prose_between(page, seen, a, b) for a, b in zip(positions, positions[1:])):
                continue
            for pos in positions[:-1]:
                yield Removal(page.blocks[pos].index, self.id, "rules",
                              f"repeated later on the page ({len(positions)} copies)")

    def _unique_prose_between(self, page: Page, seen: Dict[str, List[int]], start: int, end: int) -> bool:
        """A block of ``prose_words``+ words that occurs once on the page lies between two copies."""
        return any(len(seen.get(b.text.casefold(), ())) == 1 and word_count(b.text) >= self.prose_words
                   for b in page.blocks[start + 1:end])
