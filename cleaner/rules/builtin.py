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
    usually the teaser or deck above the article.
    """

    id = "duplicate-block"
    summary = "Earlier copies of a paragraph (6+ words) that occurs again later on the page"
    why = "A repeated paragraph is a teaser, deck or caption copy; the story says it once."
    risk = "A refrain the author repeats on purpose loses its earlier copies."
    category = "other"
    source = "cleaner/rules/builtin.py"
    min_words = 6
    remove_examples = (Example("The minister said the plan would cut costs by half.\nIntro line\n"
                               "The minister said the plan would cut costs by half.",
                               "Intro line\n\nThe minister said the plan would cut costs by half."),)
    keep_examples = (Example("The minister said the plan would cut costs by half.\n"
                             "The opposition said the plan would raise costs."),)

    def find(self, page: Page) -> Iterable[Removal]:
        seen: Dict[str, List[int]] = defaultdict(list)
        for block in page.blocks:
            if word_count(block.text) >= self.min_words:
                seen[block.text.casefold()].append(block.index)
        for indices in seen.values():
            for index in indices[:-1]:
                yield Removal(index, self.id, "rules", f"repeated later on the page ({len(indices)} copies)")
