"""One combined regex per rule stage that rules out most blocks for all its pattern rules at once.

A context-free pattern rule (a YAML ``block`` or ``span`` rule) can only touch
a block in which its pattern is found. Asking 25 such rules about every block
costs 25 ``regex`` calls a block, and each call with a timeout has a fixed cost
of a few microseconds, several times the matching itself on a short line. A
:class:`StageScreen` joins the patterns of a stage into an alternation and asks
once: when nothing is found, none of the rules can fire and the engine does not
show them the block. When something is found, every rule still runs its own
pattern as before, so the screen only ever skips work, never changes a verdict.

Why the alternation is a sound test: if one pattern is found in a text, the
alternation of all of them is found too (at that position the alternation tries
that branch). Two alternations are built, because one is much cheaper than the
other:

* patterns whose every top-level branch starts with ``^`` (and without
  MULTILINE) can only match at position 0, so their alternation is tried there
  only (``match``);
* the others are searched for anywhere (``search``), as one alternation on
  short lines and one by one on longer ones (see ``JOIN_FLOATING_MAX_CHARS``).

Patterns whose meaning could change inside a larger pattern (backreferences,
recursion, backtracking verbs, inline flags other than leading ones, verbose
mode, unusual flags, syntax this module does not read) are left out: their
rules simply see every block, as without a screen. The screen is built per
word-count bucket: a rule with ``max_words`` never sees longer blocks, so its
pattern is not tried on them.

Each call runs under the rule timeout. A screen call that times out answers
"maybe" and switches the screen off for the rest of the page, so a catastrophic
user pattern still ends in :class:`~cleaner.errors.RuleTimeout` from its own
rule after at most one extra timeout. Answers are kept per page, and for
short lines across pages (menus and prompts recur across a site's pages).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

import regex

from ..textshape import word_count
from .model import Rule

# (pattern, max_words or None): what a rule's ``screen()`` returns.
Screened = Tuple[regex.Pattern, Optional[int]]

_DEFAULT_FLAGS = regex.compile("", regex.V0).flags
_SCOPABLE = {regex.IGNORECASE: "i", regex.MULTILINE: "m", regex.DOTALL: "s"}
_SCOPABLE_MASK = regex.IGNORECASE | regex.MULTILINE | regex.DOTALL
_LEADING_FLAGS = regex.compile(r"^(?:\(\?[imsu]+\))+")
# Constructs that refer to groups by number or name, change how the whole search
# backtracks, or set flags mid-pattern: a pattern holding any of them is not joined.
_NOT_JOINABLE = regex.compile(r"\\[1-9]|\\g|\(\?P[=>]|\(\?&|\(\?R|\(\?\(|\(\?[0-9+-]|\(\?\||\(\*|\(\?#"
                              r"|\(\?[\w-]*\)")


def joinable_source(pattern: regex.Pattern) -> Optional[str]:
    """The pattern as a self-contained group with the same meaning, or None when it cannot be joined.

    >>> joinable_source(regex.compile(r"(?i)^read more$", regex.V0))
    '(?i:^read more$)'
    >>> joinable_source(regex.compile(r"(a)\\1", regex.V0)) is None
    True
    """
    if not isinstance(pattern, regex.Pattern) or not isinstance(pattern.pattern, str):
        return None
    extra = pattern.flags & ~_DEFAULT_FLAGS
    if extra & ~_SCOPABLE_MASK:
        return None  # verbose, ASCII, version 1, reverse... : not reproduced inside a group
    body = _LEADING_FLAGS.sub("", pattern.pattern)
    if _NOT_JOINABLE.search(body):
        return None
    flags = "".join(letter for flag, letter in _SCOPABLE.items() if extra & flag)
    source = f"(?{flags}:{body})"
    try:
        regex.compile(source, regex.V0)
    except (regex.error, ValueError):
        return None
    return source


def _top_level_branches(body: str) -> Optional[List[str]]:
    """``body`` cut at its top-level ``|``; None where this simple reader could be wrong."""
    branches: List[str] = []
    depth, start, i, in_set = 0, 0, 0, False
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 2
            continue
        if in_set:
            if char == "[":
                return None  # nested set or POSIX class: do not guess
            in_set = char != "]"
        elif char == "[":
            in_set = True
            # A ']' right after '[' or '[^' is a literal member, not the end of the set.
            i += 1 + (body[i + 1:i + 2] == "^")
            i += body[i:i + 1] == "]"
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(body[start:i])
            start = i + 1
        i += 1
    branches.append(body[start:])
    return branches


def anchored_at_start(pattern: regex.Pattern) -> bool:
    """True when every match of ``pattern`` starts at position 0 (each top-level branch opens with ``^``).

    >>> anchored_at_start(regex.compile(r"(?i)^a|^b")), anchored_at_start(regex.compile(r"^a|b"))
    (True, False)
    """
    if pattern.flags & regex.MULTILINE:
        return False  # '^' also matches after each newline
    branches = _top_level_branches(_LEADING_FLAGS.sub("", pattern.pattern))
    # '^' followed by a quantifier ('^*', '^?') could match zero times.
    return bool(branches) and all(b.startswith("^") and b[1:2] not in ("*", "+", "?", "{") for b in branches)


# Up to this many characters the floating patterns are searched for as one
# alternation; beyond it one by one. A single pattern scans a long text faster
# (the `regex` module skips ahead to its literal parts, which it cannot do for an
# alternation), while on short lines the per-call cost dominates. Measured on the
# dev pages: the alternation wins below about 48 characters.
JOIN_FLOATING_MAX_CHARS = 48
# Block-length buckets (words): a block is screened only with the patterns whose
# rules may fire on a block that long.
BUCKET_LIMITS = (3, 6, 12, 25)
# The answers for lines up to this long are remembered across pages, this many at most.
REMEMBER_MAX_CHARS = 80
REMEMBER_LINES = 16384
# The word limit of a pattern whose rule has none.
UNLIMITED = 1 << 62


@dataclass(frozen=True)
class _Bucket:
    """The patterns that apply to blocks of one word-count bucket."""

    anchored: Optional[regex.Pattern]           # alternation, tried at position 0 only
    floating: Optional[regex.Pattern]           # alternation, searched anywhere
    floating_each: Tuple[Tuple[regex.Pattern, int], ...]  # the same one by one with their word limits


class StageScreen:
    """The joined patterns of one stage's screenable rules, by word-count bucket."""

    def __init__(self, screened: Sequence[Screened]) -> None:
        parts = []  # (pattern, joinable source, anchored, max_words)
        for pattern, max_words in screened:
            source = joinable_source(pattern)
            if source is not None:
                parts.append((pattern, source, anchored_at_start(pattern), max_words))
        # Buckets by block length, coarse: each costs two large compiles (tens of ms
        # apiece), so one per distinct ``max_words`` made building a screen take seconds.
        self._limits = [c for c in BUCKET_LIMITS if any(m is not None and m >= c for *_, m in parts)]
        try:
            self._buckets = {bucket: self._bucket(parts, bucket) for bucket in self._limits + [None]} if parts else {}
        except (regex.error, ValueError):  # e.g. a group name used twice in incompatible ways
            self._buckets, parts = {}, []
        self.covered = {(pattern, max_words) for pattern, _, _, max_words in parts}
        # Short lines (menus, share prompts, labels) recur across the pages of a site
        # and a crawl: their answers are kept (a timeout is not).
        self._remembered = lru_cache(maxsize=REMEMBER_LINES)(self._answer)

    def _bucket(self, parts: Sequence[Tuple[regex.Pattern, str, bool, Optional[int]]], bucket: Optional[int]) -> _Bucket:
        # The bucket holds blocks longer than the limit below it: every pattern
        # allowed on such a block (``max_words`` above that limit) is in it.
        below = max((c for c in self._limits if bucket is None or c < bucket), default=0)
        live = [(p, s, a) for p, s, a, m in parts if m is None or m > below]
        anchored = [s for _, s, a in live if a]
        floating = [(p, s, m) for p, s, a, m in parts if not a and (m is None or m > below)]
        return _Bucket(regex.compile("|".join(anchored), regex.V0) if anchored else None,
                       regex.compile("|".join(s for _, s, _ in floating), regex.V0) if floating else None,
                       tuple((p, UNLIMITED if m is None else m) for p, _, m in floating))

    def covers(self, screened: Optional[Screened]) -> bool:
        """True when the screen answers for this rule's pattern."""
        return screened is not None and screened in self.covered

    def may_match(self, text: str, timeout: float) -> bool:
        """False only when no covered pattern that applies to a block this long is found in ``text``.

        Raises ``TimeoutError`` when a pattern runs out of time.
        """
        if len(text) <= REMEMBER_MAX_CHARS:
            return self._remembered(text, timeout)
        return self._answer(text, timeout)

    def _answer(self, text: str, timeout: float) -> bool:
        if not self._buckets:
            return True
        words = word_count(text)
        # The smallest limit at or above this block's length names its bucket (None: longer than all).
        bucket = self._buckets[next((m for m in self._limits if words <= m), None)]
        if bucket.anchored is not None and bucket.anchored.match(text, timeout=timeout):
            return True
        if len(text) <= JOIN_FLOATING_MAX_CHARS:
            return bucket.floating is not None and bucket.floating.search(text, timeout=timeout) is not None
        # One by one, a pattern is tried only when its rule may see a block this long
        # (the bucket is coarser: a 30-word block would meet a 90-word rule's pattern).
        return any(p.search(text, timeout=timeout) is not None for p, m in bucket.floating_each if words <= m)


@lru_cache(maxsize=8)
def _screen(screened: Tuple[Screened, ...]) -> StageScreen:
    return StageScreen(screened)


def stage_screen(rules: Sequence[Rule]) -> StageScreen:
    """The screen of a stage's rules (built once per distinct set of patterns)."""
    return _screen(tuple(s for s in (rule.screen() for rule in rules) if s is not None))


class PageScreen:
    """One stage's screen over one page: remembers each text's answer, stops after a timeout."""

    def __init__(self, screen: StageScreen, timeout: float) -> None:
        self.screen, self.timeout = screen, timeout
        self._answers: Dict[str, bool] = {}
        self._covers: Dict[int, bool] = {}  # by id(): the rules outlive this page
        self._on = True

    def covers(self, rule: Rule) -> bool:
        """True when the screen answers for ``rule`` (its blocks can be narrowed with :meth:`may_match`)."""
        known = self._covers.get(id(rule))
        if known is None:
            known = self._covers[id(rule)] = self.screen.covers(rule.screen())
        return known

    def may_match(self, text: str) -> bool:
        """False only when no covered rule of the stage can touch a block of ``text``."""
        if not self._on:
            return True
        answer = self._answers.get(text)
        if answer is None:
            try:
                answer = self.screen.may_match(text, self.timeout)
            except TimeoutError:
                self._on = False  # the rules' own calls will name the slow pattern
                return True
            self._answers[text] = answer
        return answer
