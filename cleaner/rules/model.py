"""What a rule is: an id, its documentation, its scope, and ``find(page) -> removals``.

A rule never edits the page. It reads a :class:`Page` (the blocks still alive,
with their current text) and returns :class:`~cleaner.document.Removal`
records; the engine applies them and keeps the audit trail. Python plugins
subclass :class:`Rule`; YAML rules are :class:`~cleaner.rules.yaml_rule.YamlRule`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, FrozenSet, Iterable, Optional, Tuple

from ..document import Block, Document, Removal


def host_name(domain: str) -> str:
    """A rule's domain as hosts are compared: lower-case, no ``www.`` or trailing dot,
    an internationalised name in its ASCII (punycode) form.

    >>> host_name("www.Example.com."), host_name("bücher.de")
    ('example.com', 'xn--bcher-kva.de')
    """
    host = domain.strip().rstrip(".").lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return host  # the schema then names it
    return host[4:] if host.startswith("www.") else host


@dataclass(frozen=True)
class Page:
    """What a rule sees: the live blocks of a document, in order, with their current text."""

    document: Document
    blocks: Tuple[Block, ...]
    language: Optional[str] = None
    regex_timeout: float = 1.0
    #: For a rule with a :meth:`Rule.hint`: the indexes of the blocks its pattern may be
    #: found in (the stage screen's answer); None when unknown (test every block).
    hinted: Optional[FrozenSet[int]] = None
    #: The time the rules' pattern calls may still spend on this page, all together
    #: (``regex_timeout`` bounds one call); None: no page budget.
    budget: Optional["RegexBudget"] = None

    @property
    def domain(self) -> Optional[str]:
        return self.document.domain


@dataclass
class RegexBudget:
    """Seconds of pattern calls one page may still spend (shared by all its rules and passes)."""

    seconds: float
    left: float = -1.0

    def __post_init__(self) -> None:
        if self.left < 0:
            self.left = self.seconds


@dataclass(frozen=True)
class Example:
    """A rule's own test case: ``output`` is ``None`` for "must all go" (remove) or
    "must stay unchanged" (keep); else the exact text the rule must leave."""

    input: str
    output: Optional[str] = None


class Rule:
    """Base class of every rule. Subclasses set the attributes and implement :meth:`find`."""

    id: str = ""
    summary: str = ""
    why: str = ""
    risk: str = ""
    category: str = "other"
    domains: Tuple[str, ...] = ()
    #: The input modes ("text", "html") the rule runs in; empty: both.
    modes: Tuple[str, ...] = ()
    source: str = "<python>"
    remove_examples: Tuple[Example, ...] = ()
    keep_examples: Tuple[Example, ...] = ()
    #: True when the verdict on a block depends on its text alone, not on its
    #: neighbours: the engine then never shows the rule the same block text twice.
    context_free: bool = False

    def screen(self) -> Optional[Tuple[Any, Optional[int]]]:
        """``(pattern, max_words)`` when the rule only ever touches blocks of at most
        ``max_words`` words (None: any length) in which ``pattern`` (a ``regex``
        pattern) is found; None when no such test describes it (the default).

        The engine joins these patterns per stage to rule out most blocks for
        many rules in one call (:mod:`cleaner.rules.prefilter`); the rule still
        runs its own test on every block it is shown.
        """
        return None

    def hint(self) -> Optional[Tuple[Any, Optional[int]]]:
        """``(pattern, max_words)`` for a pattern the rule tests blocks for although it may act
        on other blocks too (a rest-of-page marker: the marker and all after it go); None
        when it has none (the default).

        The engine screens it with the stage's other patterns and passes the blocks
        it may be found in as :attr:`Page.hinted`; the rule still tests them itself,
        and must not look for the pattern in blocks of more than ``max_words`` words
        (:func:`~cleaner.textshape.word_count`): the screen may leave those out.
        """
        return None

    def applies_to(self, domain: Optional[str]) -> bool:
        """A generic rule (no ``domains``) applies everywhere; a site rule only on its hosts
        (a plugin's ``domains`` are compared as YAML ones are: ``www.Example.com`` is example.com)."""
        if not self.domains:
            return True
        if not domain:
            return False
        return any(domain == d or domain.endswith("." + d) for d in map(host_name, self.domains))

    def runs_in(self, mode: str) -> bool:
        """Whether the rule runs on documents of this input mode ("text" or "html")."""
        return not self.modes or mode in self.modes

    @property
    def scope(self) -> str:
        where = ", ".join(self.domains) if self.domains else "generic"
        return f"{where}; {'/'.join(self.modes)} mode only" if self.modes else where

    def find(self, page: Page) -> Iterable[Removal]:  # pragma: no cover - interface
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} ({self.source})>"
