"""One combined regex per rule stage that rules out most blocks for all its pattern rules at once.

A context-free pattern rule (a YAML ``block`` or ``span`` rule) can only touch
a block in which its pattern is found. Asking 25 such rules about every block
costs 25 ``regex`` calls a block, and each call with a timeout has a fixed cost
of a few microseconds, several times the matching itself on a short line. A
:class:`StageScreen` joins the patterns of a stage and asks once: it answers
with the patterns that may be found (:meth:`StageScreen.candidates`), by the
joined test each belongs to (a group of up to eight in RE2, a bucket's
alternation in ``regex``). The engine shows a rule only the blocks its pattern
may be in, and the rule still runs its own pattern on them, so the screen only
ever skips work, never changes a verdict. A rest-of-page rule's marker is
screened too (its ``hint()``): that rule sees the whole page, and is told in
which blocks to look for its marker (``Page.hinted``).

Why the alternation is a sound test: if one pattern is found in a text, the
alternation of all of them is found too (at that position the alternation tries
that branch). Two alternations are built, because one is much cheaper than the
other:

* patterns whose every top-level branch starts with ``^`` (and without
  MULTILINE) can only match at position 0, so their alternation is tried there
  only (``match``), each branch behind a lookahead for the first word
  characters its matches can have (see ``first_word_chars``);
* the others are searched for anywhere (``search``), each only where one of its
  needles (literal strings every match holds, see ``needles``) is in the
  case-folded text: as one alternation on short lines when several qualify,
  one by one otherwise (see ``JOIN_FLOATING_MAX_CHARS``). On long HTML
  paragraphs this is most of the screen's saving: a needle costs ``in`` on a
  string, the pattern's own search tries its alternatives at every word.

With google-re2 installed, the patterns it can stand in for go to RE2 instead
(:mod:`.superset`: a looser form of each, a few patterns to a DFA, one pass over
the text, in linear time); only the others take the two ``regex`` alternations.

The needles and the first word characters come from a small reader of the
pattern (literals, groups, repeats, classes, lookarounds); on syntax it does
not know it gives up and the pattern is tried as before.

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
from typing import Any, Callable, Dict, FrozenSet, List, NamedTuple, Optional, Sequence, Set, Tuple, Union

import regex

from ..document import Block
from ..textshape import word_count
from . import superset
from .model import Rule
from .syntax import GROUP_NAME, QUANTIFIER, SCOPED_FLAGS, case_forms

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


# --- what a match needs of the text ----------------------------------------------------------
#
# A small reader turns a joinable pattern into a tree of what matters here: literal
# characters, groups, repeats with their least count, zero-width tests, characters that
# are never word characters (``\W``, ``\s``), and anything else as "some characters". On
# syntax it does not know it gives up, and the pattern is simply tried as before. Two
# sound tests come from the tree:
#
# * needles: strings one of which every match holds (for each top-level branch, one of its
#   mandatory literal runs or groups). Case-folded, they are looked for with ``in`` in the
#   case-folded text: well under a microsecond each, where a floating pattern's own search
#   over a long paragraph costs tens (it tries its alternatives at every word).
# * first word characters: what the first word character (``\w``) of a match can be. An
#   anchored pattern matches a prefix of the text, so the text's own first word character
#   must be one of them.


class _Unknown(Exception):
    """Syntax the reader does not know: no test is derived from the pattern."""


class _Lit(NamedTuple):
    char: str
    ignore_case: bool


class _Sequence(NamedTuple):
    nodes: Tuple["_Node", ...]


class _Group(NamedTuple):
    branches: Tuple[_Sequence, ...]


class _Repeat(NamedTuple):
    node: "_Node"
    least: int


_ZERO, _NON_WORD, _SOME = "zero-width", "non-word characters", "some characters"
_Node = Union[_Lit, _Group, _Repeat, str]  # str: one of the three kinds above

_ZERO_ESCAPES = frozenset("bBAZzGmMK")
_COMMON_PUNCTUATION = frozenset(".,;:!?'\"()-\u2013\u2014\u2018\u2019\u201c\u201d\u00ab\u00bb")
_NON_WORD_ESCAPES = frozenset("Ws")      # never a word character (checked in the tests)
_SOME_ESCAPES = frozenset("dDwSXtnrfva")
_WORD_CHAR = regex.compile(r"\w", regex.V0)


class _Reader:
    """Reads a joinable pattern source into a tree of :data:`_Node` (see above)."""

    def __init__(self, source: str) -> None:
        self.source, self.pos = source, 0

    def read(self) -> _Group:
        tree = self._alternation(False)
        if self.pos != len(self.source):
            raise _Unknown("unbalanced parenthesis")
        return tree

    def _peek(self) -> str:
        return self.source[self.pos:self.pos + 1]

    def _alternation(self, ignore_case: bool) -> _Group:
        branches = [self._sequence(ignore_case)]
        while self._peek() == "|":
            self.pos += 1
            branches.append(self._sequence(ignore_case))
        return _Group(tuple(branches))

    def _sequence(self, ignore_case: bool) -> _Sequence:
        nodes: List[_Node] = []
        while self._peek() and self._peek() not in "|)":
            node = self._atom(ignore_case)
            least = self._quantifier()
            nodes.append(node if least is None else _Repeat(node, least))
        return _Sequence(tuple(nodes))

    def _quantifier(self) -> Optional[int]:
        char = self._peek()
        if char in ("?", "*", "+"):
            self.pos += 1
            least = 1 if char == "+" else 0
        elif char == "{":
            found = QUANTIFIER.match(self.source, self.pos)
            if not found:
                raise _Unknown("brace that is not a quantifier")
            self.pos = found.end()
            least = int(found.group(1) or 0)
        else:
            return None
        if self._peek() in ("?", "+"):  # lazy or possessive: the same least count
            self.pos += 1
        return least

    def _atom(self, ignore_case: bool) -> _Node:
        char = self._peek()
        if char == "\\":
            return self._escape(ignore_case)
        if char == "[":
            self._skip_set()
            return _SOME
        if char == "(":
            return self._group(ignore_case)
        if char in ("*", "+", "?", "{"):
            raise _Unknown("quantifier with nothing to repeat")
        self.pos += 1
        if char == ".":
            return _SOME
        if char in ("^", "$"):
            return _ZERO
        return _Lit(char, ignore_case)

    def _escape(self, ignore_case: bool) -> _Node:
        char = self.source[self.pos + 1:self.pos + 2]
        self.pos += 2
        if char in _ZERO_ESCAPES:
            return _ZERO
        if char in _NON_WORD_ESCAPES:
            return _NON_WORD
        if char in _SOME_ESCAPES:
            return _SOME
        if char in ("p", "P"):
            if self._peek() == "{":
                end = self.source.find("}", self.pos)
                if end < 0:
                    raise _Unknown("unterminated property")
                self.pos = end + 1
            else:
                self.pos += 1
            return _SOME
        if not char or char.isalnum() or char == "_":
            raise _Unknown(f"escape \\{char}")
        return _Lit(char, ignore_case)

    def _skip_set(self) -> None:
        i = self.pos + 1
        i += self.source[i:i + 1] == "^"
        i += self.source[i:i + 1] == "]"  # a ']' first is a member
        while i < len(self.source):
            char = self.source[i]
            if char == "\\":
                i += 2
                continue
            if char == "[":
                raise _Unknown("nested set or POSIX class")
            if char == "]":
                self.pos = i + 1
                return
            i += 1
        raise _Unknown("unterminated set")

    def _group(self, ignore_case: bool) -> _Node:
        source, start = self.source, self.pos + 1
        zero_width = False
        if source[start:start + 1] != "?":
            self.pos = start
        elif source.startswith(("?:", "?>"), start):
            self.pos = start + 2
        elif source.startswith(("?=", "?!"), start):
            self.pos, zero_width = start + 2, True
        elif source.startswith(("?<=", "?<!"), start):
            self.pos, zero_width = start + 3, True
        elif (name := GROUP_NAME.match(source, start)):
            self.pos = name.end()
        else:
            flags = SCOPED_FLAGS.match(source, start)
            if not flags or not (flags.group(1) or flags.group(2)):
                raise _Unknown("group kind")
            ignore_case = ("i" in flags.group(1)) or (ignore_case and "i" not in (flags.group(2) or ""))
            self.pos = flags.end()
        inner = self._alternation(ignore_case)
        if self._peek() != ")":
            raise _Unknown("unclosed group")
        self.pos += 1
        return _ZERO if zero_width else inner


class _Needles:
    """The needles of one pattern, and the characters a text must not hold for them to be sound."""

    # A needle set is used when each of its needles weighs this much (see ``weight``).
    MIN_CHARS = 3

    def __init__(self, flags: int) -> None:
        self.flags = flags
        self.unsafe: Set[str] = set()

    def of(self, group: _Group) -> Optional[FrozenSet[str]]:
        """Strings one of which every match of ``group`` holds, case-folded; None when there are none."""
        found = [self._sequence(branch) for branch in group.branches]
        if any(f is None for f in found):
            return None
        return frozenset().union(*found)  # type: ignore[arg-type]

    def _folded(self, node: _Node) -> Optional[str]:
        """The case-folded literal character, when every character it matches folds the same."""
        if not isinstance(node, _Lit):
            return None
        folded = node.char.casefold()
        if not node.ignore_case:
            return folded
        cases = case_forms(node.char, self.flags)
        if cases is None:
            return None
        others = {c for c in cases if c.casefold() != folded}
        if any(c.isascii() for c in others):
            return None
        self.unsafe |= others  # e.g. 'İ' for 'i': a text holding one is tried without needles
        return folded

    def _sequence(self, sequence: _Sequence) -> Optional[FrozenSet[str]]:
        candidates: List[FrozenSet[str]] = []
        run: List[str] = []
        for node in sequence.nodes + (_ZERO,):
            folded = self._folded(node)
            if folded is not None:
                run.append(folded)
                continue
            if run:
                candidates.append(frozenset(["".join(run)]))
                run = []
            inner = node.node if isinstance(node, _Repeat) and node.least >= 1 else node
            if isinstance(inner, _Group):
                found = self.of(inner)
                if found:
                    candidates.append(found)
        strong = [c for c in candidates if min(map(self.weight, c)) >= self.MIN_CHARS]
        # The most selective: the heaviest lightest needle, then the fewest needles.
        return max(strong, key=lambda c: (min(map(self.weight, c)), -len(c)), default=None)

    @classmethod
    def weight(cls, needle: str) -> int:
        """How selective a needle is: its characters besides spaces; one made only of rarer
        symbols ('©', '//') weighs as much as a short word."""
        core = needle.strip()
        if core and not any(c.isalnum() or c in _COMMON_PUNCTUATION for c in core):
            return cls.MIN_CHARS
        return len(core)


def _tree(pattern: regex.Pattern) -> Optional[_Group]:
    """The reader's tree of ``pattern``'s joinable form; None when it cannot be joined or read."""
    source = joinable_source(pattern)
    if source is None:
        return None
    try:
        return _Reader(source).read()
    except (_Unknown, IndexError):
        return None


def needles(pattern: regex.Pattern) -> Tuple[Optional[FrozenSet[str]], FrozenSet[str]]:
    """Case-folded strings one of which is in the case-folded text wherever ``pattern`` is found
    (None: no such test), and the characters whose presence in a text voids that test.

    >>> sorted(needles(regex.compile(r"(?i)\\bwe use cookies|cookie (?:policy|settings)"))[0])
    ['cookie ', 'we use cookies']
    """
    tree = _tree(pattern)
    if tree is None:
        return None, frozenset()
    finder = _Needles(pattern.flags)
    found = finder.of(tree)
    if not found:
        return None, frozenset()
    # A needle holding another is found only where that one is: one check fewer.
    found = frozenset(n for n in found if not any(m != n and m in n for m in found))
    return found, frozenset(finder.unsafe)


def _first_word_chars(node: _Node, flags: int) -> Tuple[Optional[FrozenSet[str]], bool]:
    """(what the first word character of a match of ``node`` can be, None: anything;
    whether a match may hold no word character at all)."""
    if node in (_ZERO, _NON_WORD):
        return frozenset(), True
    if isinstance(node, _Lit):
        cases = case_forms(node.char, flags) if node.ignore_case else frozenset(node.char)
        if cases is None:
            return None, True
        words = frozenset(c for c in cases if _WORD_CHAR.match(c))
        if words and len(words) != len(cases):
            return None, True
        return words, not words
    if isinstance(node, _Repeat):
        chars, wordless = _first_word_chars(node.node, flags)
        return chars, wordless or node.least == 0
    if isinstance(node, _Group):
        results = [_first_word_chars(branch, flags) for branch in node.branches]
        if any(chars is None for chars, _ in results):
            return None, True
        return frozenset().union(*(chars for chars, _ in results)), any(w for _, w in results)
    if isinstance(node, _Sequence):
        seen: Set[str] = set()
        for item in node.nodes:
            chars, wordless = _first_word_chars(item, flags)
            if chars is None:
                return None, True
            seen |= chars
            if not wordless:
                return frozenset(seen), False
        return frozenset(seen), True
    return None, True  # _SOME


def first_word_chars(pattern: regex.Pattern) -> Optional[FrozenSet[str]]:
    """The characters the first word character of any match of ``pattern`` can be; None when
    unknown or when a match may hold no word character.

    >>> sorted(first_word_chars(regex.compile(r"^\\W*(?:ad|tags?):")))
    ['a', 't']
    """
    tree = _tree(pattern)
    if tree is None:
        return None
    chars, wordless = _first_word_chars(tree, pattern.flags)
    return None if wordless else chars


def with_first_word_test(pattern: regex.Pattern, source: str) -> str:
    """``source`` (the joinable form of ``pattern``, anchored at the start) behind a lookahead
    for its first word characters, when they are known: the same matches, but a branch of
    the stage's alternation then fails on one set test instead of trying its every word.

    >>> print(with_first_word_test(regex.compile(r"^\\W*(?:ad|tags?):"), r"(?:^\\W*(?:ad|tags?):)"))
    (?:(?=\\W*[at])(?:^\\W*(?:ad|tags?):))
    """
    chars = first_word_chars(pattern)
    if not chars:
        return source
    members = "".join(c if c.isalnum() else "\\" + c for c in sorted(chars))
    return f"(?:(?=\\W*[{members}]){source})"


# Up to this many characters the floating patterns are searched for as one
# alternation; beyond it one by one. A single pattern scans a long text faster
# (the `regex` module skips ahead to its literal parts, which it cannot do for an
# alternation), while on short lines the per-call cost dominates. Measured on the
# dev pages: the alternation wins below about 48 characters.
JOIN_FLOATING_MAX_CHARS = 48
# Block-length buckets (words): a block is screened only with the patterns whose
# rules may fire on a block that long.
BUCKET_LIMITS = (3, 6, 12, 25)
# The answers for lines up to this long are remembered across pages, this many at most (a
# stage's screen each: 16,384 held more of a worker's memory than they saved time).
REMEMBER_MAX_CHARS = 80
REMEMBER_LINES = 4096
# The word limit of a pattern whose rule has none.
UNLIMITED = superset.NO_LIMIT


@dataclass(frozen=True)
class _Bucket:
    """The patterns that apply to blocks of one word-count bucket."""

    anchored: Optional[regex.Pattern]           # alternation, tried at position 0 only
    anchored_keys: FrozenSet[Screened]          # the rules' keys of its branches
    floating: Optional[regex.Pattern]           # alternation, searched anywhere
    # The same one by one with their word limits, needles (None: none) and keys.
    floating_each: Tuple[Tuple[regex.Pattern, int, Optional[FrozenSet[str]], Screened], ...]


class StageScreen:
    """The joined patterns of one stage's screenable rules, by word-count bucket."""

    def __init__(self, screened: Sequence[Screened], use_re2: bool = False) -> None:
        parts = []  # (pattern, joinable source, anchored, max_words)
        for pattern, max_words in screened:
            source = joinable_source(pattern)
            if source is not None:
                parts.append((pattern, source, anchored_at_start(pattern), max_words))
        # With google-re2, the patterns it can stand in for are asked of it (one DFA pass for a
        # group of them, :mod:`.superset`); the rest, and all without it, of ``regex`` below.
        self._superset: Optional[superset.Superset] = None
        self._fast_keys: Tuple[Screened, ...] = ()  # the key of each of the superset's patterns
        fast_parts = []
        if parts and use_re2:
            written = superset.translated([source for _, source, _, _ in parts])
            fast = [(w, part) for w, part in zip(written, parts) if w is not None]
            if fast:
                self._superset = superset.Superset([(w, anchored) for w, (_, _, anchored, _) in fast],
                                                   [max_words for _, (_, _, _, max_words) in fast])
                self._fast_keys = tuple((pattern, max_words) for _, (pattern, _, _, max_words) in fast)
                rejected = set(self._superset.failed)  # too large for RE2: back to regex
                fast_parts = [part for i, (_, part) in enumerate(fast) if i not in rejected]
                parts = [part for w, part in zip(written, parts) if w is None] + \
                    [part for i, (_, part) in enumerate(fast) if i in rejected]
        # Buckets by block length, coarse: each costs two large compiles (tens of ms
        # apiece), so one per distinct ``max_words`` made building a screen take seconds.
        self._limits = [c for c in BUCKET_LIMITS if any(m is not None and m >= c for *_, m in parts)]
        self._needles = {p: needles(p) for p, _, anchored, _ in parts if not anchored}
        # A text holding one of these characters is searched without needles (see ``needles``).
        self._unsafe = "".join(sorted({c for _, unsafe in self._needles.values() for c in unsafe}))
        try:
            self._buckets = {bucket: self._bucket(parts, bucket) for bucket in self._limits + [None]} if parts else {}
        except (regex.error, ValueError):  # e.g. a group name used twice in incompatible ways
            self._buckets, parts = {}, []
        self.covered = frozenset((pattern, max_words) for pattern, _, _, max_words in parts + fast_parts)
        # Short lines (menus, share prompts, labels) recur across the pages of a site
        # and a crawl: their answers are kept (a timeout is not).
        self._remembered = lru_cache(maxsize=REMEMBER_LINES)(self._answer)

    def _bucket(self, parts: Sequence[Tuple[regex.Pattern, str, bool, Optional[int]]], bucket: Optional[int]) -> _Bucket:
        # The bucket holds blocks longer than the limit below it: every pattern
        # allowed on such a block (``max_words`` above that limit) is in it.
        below = max((c for c in self._limits if bucket is None or c < bucket), default=0)
        live = [(p, s, a, m) for p, s, a, m in parts if m is None or m > below]
        anchored = [(with_first_word_test(p, s), (p, m)) for p, s, a, m in live if a]
        floating = [(p, s, m) for p, s, a, m in live if not a]
        return _Bucket(regex.compile("|".join(s for s, _ in anchored), regex.V0) if anchored else None,
                       frozenset(key for _, key in anchored),
                       regex.compile("|".join(s for _, s, _ in floating), regex.V0) if floating else None,
                       tuple((p, UNLIMITED if m is None else m, self._needles[p][0], (p, m)) for p, _, m in floating))

    def covers(self, screened: Optional[Screened]) -> bool:
        """True when the screen answers for this rule's pattern."""
        return screened is not None and screened in self.covered

    def candidates(self, text: str, timeout: float) -> FrozenSet[Screened]:
        """The covered patterns (as ``(pattern, max_words)``) that may be found in ``text``: a
        pattern left out is not there, or its rule may not see a block this long. A
        pattern is in when the joined test it belongs to says "maybe" (a group of up to
        :data:`~.superset.GROUP_SIZE` patterns in RE2, a bucket's alternation in ``regex``).

        Raises ``TimeoutError`` when a pattern runs out of time.
        """
        if len(text) <= REMEMBER_MAX_CHARS:
            return self._remembered(text, timeout)
        return self._answer(text, timeout)

    def _answer(self, text: str, timeout: float) -> FrozenSet[Screened]:
        found: Set[Screened] = set()
        words = word_count(text)
        if self._superset is not None:
            found.update(self._fast_keys[i] for i in self._superset.found(text, words))
        if not self._buckets:
            return frozenset(found)
        # The smallest limit at or above this block's length names its bucket (None: longer than all).
        bucket = self._buckets[next((m for m in self._limits if words <= m), None)]
        if bucket.anchored is not None and bucket.anchored.match(text, timeout=timeout):
            found.update(bucket.anchored_keys)
        # A floating pattern is tried only when its rule may see a block this long (the
        # bucket is coarser: a 30-word block would meet a 90-word rule's pattern) and one
        # of its needles is in the text. When several qualify on a short text, the bucket's
        # whole alternation is searched once (sound: it holds them all), not each in turn.
        folded = None if self._unsafe and not text.isascii() and any(c in text for c in self._unsafe) \
            else text.casefold()
        floating = [(p, key) for p, m, wanted, key in bucket.floating_each
                    if words <= m and (wanted is None or folded is None or any(n in folded for n in wanted))]
        if len(floating) > 1 and len(text) <= JOIN_FLOATING_MAX_CHARS:
            if bucket.floating.search(text, timeout=timeout) is not None:  # type: ignore[union-attr]
                found.update(key for _, key in floating)
        else:
            found.update(key for p, key in floating if p.search(text, timeout=timeout) is not None)
        return frozenset(found)


@lru_cache(maxsize=8)
def _screen(screened: Tuple[Screened, ...], use_re2: bool) -> StageScreen:
    return StageScreen(screened, use_re2)


def stage_screen(rules: Sequence[Rule]) -> StageScreen:
    """The screen of a stage's rules' patterns and hints (built once per distinct set of
    patterns; with RE2 standing in where it can unless ``CLEANER_SCREEN=regex``)."""
    return _stage_screen(_asked(rules), superset.enabled())


def _asked(rules: Sequence[Rule]) -> List[Tuple[Optional[Screened], Optional[Screened]]]:
    """Each rule's ``screen()`` and ``hint()``, None where it has no usable one."""
    return [(_screenable(rule.screen()), _screenable(_hint(rule))) for rule in rules]


def _stage_screen(asked: Sequence[Tuple[Optional[Screened], Optional[Screened]]], use_re2: bool) -> StageScreen:
    patterns = (p for pair in asked for p in pair if p is not None)
    return _screen(tuple(dict.fromkeys(patterns)), use_re2)


@lru_cache(maxsize=16)
def _stage_keys(rules: Tuple[Rule, ...], use_re2: bool
                ) -> Tuple[StageScreen, Dict[Tuple[int, bool], Optional[Screened]]]:
    """A stage's screen and, by ``(id(rule), hint?)``, the pattern it answers for each rule.
    The cache key holds the rules themselves, so an id here is never another rule's."""
    asked = _asked(rules)
    screen = _stage_screen(asked, use_re2)
    keys: Dict[Tuple[int, bool], Optional[Screened]] = {}
    for rule, (screened, hint) in zip(rules, asked):
        keys[id(rule), False] = screened if screen.covers(screened) else None
        keys[id(rule), True] = hint if screen.covers(hint) else None
    return screen, keys


def _hint(rule: Rule) -> Any:
    """``rule.hint()``, or None when ``hint`` is not a method (a plugin's own attribute)."""
    hint = getattr(rule, "hint", None)
    return hint() if callable(hint) else None


def _screenable(answer: Any) -> Optional[Screened]:
    """A rule's ``screen()`` or ``hint()`` answer when it is a ``(regex pattern, max_words)``
    pair; None otherwise (a plugin's other use of the name: its rule is simply not screened)."""
    if isinstance(answer, tuple) and len(answer) == 2 and isinstance(answer[0], regex.Pattern) \
            and (answer[1] is None or isinstance(answer[1], int)):
        return answer
    return None


class PageScreen:
    """One stage's screen over one page: remembers each text's answer, stops after a timeout."""

    def __init__(self, screen: StageScreen, timeout: float) -> None:
        self.screen, self.timeout = screen, timeout
        self._answers: Dict[str, FrozenSet[Screened]] = {}
        self._keys: Dict[Tuple[int, bool], Optional[Screened]] = {}  # by id(): the rules outlive this page
        self._on = True

    @classmethod
    def of(cls, rules: Sequence[Rule], timeout: float) -> "PageScreen":
        """The screen of a stage's ``rules`` for one page (the rules' patterns asked once for
        each set of rules, not once a page: about 0.6 ms a page of text mode)."""
        screen, keys = _stage_keys(tuple(rules), superset.enabled())
        page = cls(screen, timeout)
        page._keys.update(keys)
        return page

    def key(self, rule: Rule) -> Optional[Screened]:
        """The rule's ``screen()`` when the screen answers for it (its blocks can be narrowed
        with :meth:`blocks_by_key`), else None."""
        return self._key(rule, lambda: _screenable(rule.screen()))

    def hint_key(self, rule: Rule) -> Optional[Screened]:
        """The rule's ``hint()`` when the screen answers for it, else None."""
        return self._key(rule, lambda: _screenable(_hint(rule)), hint=True)

    def _key(self, rule: Rule, ask: Callable[[], Optional[Screened]], hint: bool = False) -> Optional[Screened]:
        at = (id(rule), hint)
        if at not in self._keys:
            screened = ask()
            self._keys[at] = screened if self.screen.covers(screened) else None
        return self._keys[at]

    def candidates(self, text: str) -> FrozenSet[Screened]:
        """The covered patterns that may be found in ``text`` (:meth:`StageScreen.candidates`);
        all of them once a call has timed out on this page."""
        if not self._on:
            return self.screen.covered
        answer = self._answers.get(text)
        if answer is None:
            try:
                answer = self.screen.candidates(text, self.timeout)
            except TimeoutError:
                self._on = False  # the rules' own calls will name the slow pattern
                return self.screen.covered
            self._answers[text] = answer
        return answer

    def blocks_by_key(self, blocks: Sequence[Block]) -> Dict[Screened, List[Block]]:
        """For each covered pattern, the blocks (in order) in which it may be found."""
        found: Dict[Screened, List[Block]] = {}
        for block in blocks:
            for key in self.candidates(block.text):
                found.setdefault(key, []).append(block)
        return found
