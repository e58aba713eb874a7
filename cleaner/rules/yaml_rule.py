"""A rule written in YAML: documentation, scope, one matcher, and its own examples."""
from __future__ import annotations

from typing import Iterable, Optional, Tuple, Union

import regex

from ..document import Removal
from .matchers import BlockMatcher, RestOfPageMatcher, RunAfterHeadingMatcher, SpanMatcher
from .model import Example, Page, Rule

Matcher = Union[BlockMatcher, SpanMatcher, RunAfterHeadingMatcher, RestOfPageMatcher]


class YamlRule(Rule):
    """One entry of a rule file; built by :mod:`cleaner.rules.loader`."""

    def __init__(self, *, id: str, summary: str, why: str, matcher: Matcher, source: str,
                 risk: str = "", category: str = "other", domains: Tuple[str, ...] = (),
                 modes: Tuple[str, ...] = (), remove_examples: Tuple[Example, ...] = (), keep_examples: Tuple[Example, ...] = ()) -> None:
        self.id, self.summary, self.why, self.risk = id, summary, why, risk
        self.matcher, self.source, self.category, self.domains = matcher, source, category, domains
        self.modes = modes
        self.remove_examples, self.keep_examples = remove_examples, keep_examples
        # A block rule with max_run reads the blocks around a match: not context-free.
        self.context_free = isinstance(matcher, SpanMatcher) or (
            isinstance(matcher, BlockMatcher) and matcher.max_run is None)

    def screen(self) -> Optional[Tuple[regex.Pattern, Optional[int]]]:
        """Block and span rules act only where their pattern is found (block rules: on short enough blocks)."""
        if isinstance(self.matcher, BlockMatcher):
            return self.matcher.pattern, self.matcher.max_words
        if isinstance(self.matcher, SpanMatcher):
            return self.matcher.pattern, None
        return None

    def hint(self) -> Optional[Tuple[regex.Pattern, Optional[int]]]:
        """A rest-of-page rule looks for its marker in short blocks."""
        if isinstance(self.matcher, RestOfPageMatcher):
            return self.matcher.marker, self.matcher.max_words
        return None

    def find(self, page: Page) -> Iterable[Removal]:
        for block, span, reason in self.matcher.find(page, self):
            yield Removal(index=block.index, rule=self.id, stage="rules", reason=reason, span=span)
