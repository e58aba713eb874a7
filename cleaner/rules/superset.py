"""A linear-time RE2 stand-in for a stage screen's patterns (used when ``google-re2`` is installed).

The stage screen (:mod:`.prefilter`) may answer "maybe" too often but never
"no" when a pattern is found. So it can ask a *looser* pattern than the rule's
own, one that matches every text the rule's pattern matches and perhaps a few
more. This module writes such a looser pattern in RE2's syntax, which runs as a
DFA: eight patterns cost one pass over the text, where the ``regex`` module
tries them branch by branch (about 50 µs a line for the generic pack).

What the translation loosens (each keeps the "never misses" promise):

* lookarounds, ``\\b`` and ``\\B`` are dropped (a test less can only match more);
* ``\\w``, ``\\d``, ``\\s``, ``\\p{L}``... are exact on ASCII and allow every
  non-ASCII character (RE2's own classes differ from ``regex``'s there);
* ``{m,n}`` becomes ``*`` or ``+`` (counting makes the DFA's states multiply);
* ``^`` and ``$`` may also match at a line break; possessive and atomic groups
  become plain ones;
* a letter whose case-insensitive matches differ between the two engines
  (``i`` and the Turkish ``İ``) is written as a class of every form ``regex``
  would accept.

A pattern this reader does not know (backreferences, nested sets, unknown
escapes) raises :class:`Untranslatable` and stays with the ``regex`` screen.
``CLEANER_SCREEN=regex`` turns this module off (the reference behaviour).
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Any, FrozenSet, List, Optional, Sequence, Tuple

from .syntax import GROUP_NAME, QUANTIFIER, SCOPED_FLAGS, case_forms

try:
    import re2
except ImportError:  # the optional accelerator (``pip install 'cleaner[fast]'``)
    re2 = None



class Untranslatable(Exception):
    """Syntax :func:`re2_superset` does not translate."""


_NON_ASCII = r"\x{80}-\x{10ffff}"
# Escape -> (members holding every character it matches, members it surely matches).
_CLASSES = {
    "w": (r"0-9A-Z_a-z" + _NON_ASCII, r"0-9A-Z_a-z"),
    "W": (r"\x00-/:-@\[-\^`{-\x{10ffff}", r"\x00-/:-@\[-\^`{-\x7f"),
    "s": (r"\t-\r\x1c-\x20" + _NON_ASCII, r"\t-\r\x20"),
    "S": (r"\x00-\x08\x0e-\x1f\x21-\x{10ffff}", r"\x21-\x7e"),
    "d": (r"0-9" + _NON_ASCII, r"0-9"),
    "D": (r"\x00-/:-\x{10ffff}", r"\x00-/:-\x7f"),
}
# Blocks of scripts without letter case (Hebrew to Myanmar, Hangul Jamo, Ethiopic, CJK, Yi,
# Hangul, Arabic presentation forms): no character in them is or will be an upper- or lower-case
# letter, so ``\p{Lu}`` and ``\p{Ll}`` (case-insensitive too) leave them out. The rest of the
# non-ASCII range stays "maybe" (RE2's Unicode tables may be older than ``regex``'s).
CASELESS_BLOCKS = ((0x0590, 0x109F), (0x1100, 0x139F), (0x2E80, 0x4DBF), (0x4E00, 0xA4CF), (0xAC00, 0xD7AF),
                   (0xF900, 0xFAFF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def _cased_non_ascii() -> str:
    starts = [0x80] + [end + 1 for _, end in CASELESS_BLOCKS]
    ends = [start - 1 for start, _ in CASELESS_BLOCKS] + [0x10FFFF]
    return "".join("\\x{%x}-\\x{%x}" % (a, b) for a, b in zip(starts, ends))


_CASED_NON_ASCII = _cased_non_ascii()
_PROPERTIES = {
    "L": (r"A-Za-z" + _NON_ASCII, r"A-Za-z"), "Lu": (r"A-Z" + _CASED_NON_ASCII, r"A-Z"),
    "Ll": (r"a-z" + _CASED_NON_ASCII, r"a-z"), "N": (r"0-9" + _NON_ASCII, r"0-9"),
    "Nd": (r"0-9" + _NON_ASCII, r"0-9"),
}
_ANY = r"\x00-\x{10ffff}"
_SIMPLE_ESCAPES = {"n": 10, "r": 13, "t": 9, "f": 12, "v": 11, "a": 7}
# A set range wider than this is not translated (its case forms are looked up one by one).
_MAX_RANGE = 512


def _member(code: int) -> str:
    """One character written safely for RE2, inside or outside a set."""
    char = chr(code)
    return char if char.isascii() and char.isalnum() else "\\x{%x}" % code


@lru_cache(maxsize=None)
def _missed_cases(code: int) -> Tuple[int, ...]:
    """Characters ``regex`` matches case-insensitively for ``code`` that RE2 does not."""
    forms = case_forms(chr(code))
    if forms is None:
        raise Untranslatable("the regex module does not tell a letter's case forms")
    if len(forms) <= 1:
        return ()
    own = re2.compile("(?i)" + _member(code))
    return tuple(sorted(ord(c) for c in forms if ord(c) != code and not own.fullmatch(c)))


def _char(code: int) -> str:
    missed = _missed_cases(code)
    if not missed:
        return _member(code)
    return "[" + "".join(_member(c) for c in (code,) + missed) + "]"


class _Translator:
    """Walks a joinable ``regex`` source once, writing its RE2 superset."""

    def __init__(self, source: str) -> None:
        self.src, self.pos = source, 0

    def _escaped_char(self, at: int) -> Optional[Tuple[int, int]]:
        """(code point, end) of an escape at ``at`` that stands for one character, or None."""
        src, kind = self.src, self.src[at + 1:at + 2]
        widths = {"x": 2, "u": 4, "U": 8}
        if kind in widths:
            return int(src[at + 2:at + 2 + widths[kind]], 16), at + 2 + widths[kind]
        if kind in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[kind], at + 2
        if not kind or kind.isalnum() or kind == "_":
            return None
        return ord(kind), at + 2

    def _class(self, at: int, surely: bool) -> Optional[Tuple[str, int]]:
        """(set members, end) of a class escape at ``at``; ``surely``: members it surely matches
        (for a negated set) instead of every one it might."""
        src, kind = self.src, self.src[at + 1:at + 2]
        if kind in _CLASSES:
            return _CLASSES[kind][surely], at + 2
        if kind not in ("p", "P"):
            return None
        negated = kind == "P"
        if src[at + 2:at + 3] == "{":
            end = src.index("}", at)
            name, after = src[at + 3:end], end + 1
        else:
            name, after = src[at + 2:at + 3], at + 3
        if name.startswith("^"):
            negated, name = not negated, name[1:]
        if negated or name not in _PROPERTIES:
            return ("" if surely else _ANY), after
        return _PROPERTIES[name][surely], after

    def _set(self) -> str:
        src, at = self.src, self.pos + 1
        negated = src[at:at + 1] == "^"
        at += negated
        members: List[str] = []
        first = True
        while True:
            if at >= len(src):
                raise Untranslatable("unterminated set")
            char = src[at]
            if char == "]" and not first:
                at += 1
                break
            first = False
            if char == "[":
                raise Untranslatable("nested set")
            if char == "\\":
                found = self._class(at, negated)
                if found:
                    members.append(found[0])
                    at = found[1]
                    continue
                escaped = self._escaped_char(at)
                if escaped is None:
                    raise Untranslatable(f"escape {src[at:at + 2]} in a set")
                low, at = escaped
            else:
                low, at = ord(char), at + 1
            high = low
            if src[at:at + 1] == "-" and src[at + 1:at + 2] not in ("]", ""):
                if src[at + 1] == "\\":
                    escaped = self._escaped_char(at + 1)
                    if escaped is None:
                        raise Untranslatable("class as a range end")
                    high, at = escaped
                else:
                    high, at = ord(src[at + 1]), at + 2
                if high < low or high - low > _MAX_RANGE:
                    raise Untranslatable("range")
            members.append(_member(low) if low == high else _member(low) + "-" + _member(high))
            if not negated:  # (a negated set leaves out fewer forms in RE2: it already matches more)
                members.extend(_member(c) for code in range(low, high + 1) for c in _missed_cases(code))
        self.pos = at
        body = "".join(members)
        if not body:
            return "(?s:.)" if negated else "[^\\x00-\\x{10ffff}]"
        return ("[^" if negated else "[") + body + "]"

    def translate(self) -> str:
        out: List[str] = []
        dropped: List[bool] = []  # per open group: a lookaround, left out
        depth_dropped = 0
        src = self.src

        def emit(text: str) -> None:
            if not depth_dropped:
                out.append(text)

        while self.pos < len(src):
            at, char = self.pos, src[self.pos]
            if char == "\\":
                found = self._class(at, False)
                kind = src[at + 1:at + 2]
                if found:
                    emit("[" + found[0] + "]")
                    self.pos = found[1]
                elif kind in ("b", "B"):
                    self.pos += 2
                elif kind == "A":
                    emit("\\A")
                    self.pos += 2
                elif kind in ("Z", "z"):
                    emit("(?m:$)")
                    self.pos += 2
                else:
                    escaped = self._escaped_char(at)
                    if escaped is None:
                        raise Untranslatable(f"escape {src[at:at + 2]}")
                    emit(_char(escaped[0]))
                    self.pos = escaped[1]
            elif char == "[":
                emit(self._set())
            elif char == "(":
                if src.startswith(("(?=", "(?!", "(?<=", "(?<!"), at):
                    dropped.append(True)
                    depth_dropped += 1
                    self.pos += 3 + (src[at + 2] == "<")
                    continue
                dropped.append(False)
                flags = SCOPED_FLAGS.match(src, at + 1)
                name = GROUP_NAME.match(src, at + 1)
                if src.startswith(("(?:", "(?>"), at):
                    emit("(?:")
                    self.pos += 3
                elif name:
                    emit("(?:")
                    self.pos = name.end()
                elif flags:
                    emit("(" + flags.group(0))
                    self.pos = flags.end()
                elif src.startswith("(?", at):
                    raise Untranslatable("group kind")
                else:
                    emit("(?:")
                    self.pos += 1
            elif char == ")":
                if not dropped:
                    raise Untranslatable("unbalanced parenthesis")
                self.pos += 1
                if dropped.pop():
                    depth_dropped -= 1
                    self._skip_quantifier()
                else:
                    emit(")")
            elif char in "*+?{":
                emit(self._quantifier())
            elif char == "$":
                emit("(?m:$)")
                self.pos += 1
            elif char == "^":
                emit("(?m:^)")
                self.pos += 1
            elif char in ".|":
                emit(char)
                self.pos += 1
            else:
                emit(_char(ord(char)) if char != " " else " ")
                self.pos += 1
        if dropped:
            raise Untranslatable("unclosed group")
        return "".join(out)

    def _quantifier(self) -> str:
        src, at = self.src, self.pos
        if src[at] == "{":
            found = QUANTIFIER.match(src, at)
            if not found:  # a literal brace
                self.pos += 1
                return "\\{"
            written = "*" if int(found.group(1) or 0) == 0 else "+"
            self.pos = found.end()
        else:
            written = src[at]
            self.pos += 1
        if src[self.pos:self.pos + 1] == "?":  # lazy: kept
            written += "?"
            self.pos += 1
        elif src[self.pos:self.pos + 1] == "+":  # possessive: a plain one matches at least as much
            self.pos += 1
        return written

    def _skip_quantifier(self) -> None:
        if self.pos < len(self.src) and self.src[self.pos] in "*+?{":
            self._quantifier()


def re2_superset(source: str) -> str:
    """RE2 syntax for a pattern that matches wherever the joinable ``regex`` ``source`` does.

    >>> re2_superset(r"(?i:^\\W*read more\\b)")
    '(?i:(?m:^)[\\\\x00-/:-@\\\\[-\\\\^`{-\\\\x{10ffff}]*read more)'
    >>> re2_superset(r"(?:a{2,5}(?=x))")
    '(?:a+)'
    """
    if re2 is None:
        raise Untranslatable("google-re2 is not installed")
    return _Translator(source).translate()


def enabled() -> bool:
    """True when screens may use RE2 (installed, and ``CLEANER_SCREEN`` is not ``regex``)."""
    return re2 is not None and os.environ.get("CLEANER_SCREEN", "") != "regex"


# Patterns per compiled RE2 program. A DFA's states multiply with the patterns that are
# alive at once; eight keep each program's cache small and its scans fast.
GROUP_SIZE = 8
# Each program's DFA cache, RE2's default: with eight patterns a program the shipped pack never
# fills it (16 MB measured as fast and cost 11 MB more peak memory; one program for the whole
# pack ran out of 64 MB).
MAX_MEMORY = 8 << 20
# The word limit of a pattern without one.
NO_LIMIT = 1 << 62


def _options() -> Any:
    options = re2.Options()
    options.max_mem = MAX_MEMORY
    options.never_capture = True  # only "found or not" is asked
    # A user's patterns may outgrow the DFA's cache: RE2 then finishes the scan another way,
    # as correct and slower. Without this it would also write to stderr on every such text,
    # and on every pattern it cannot parse.
    options.log_errors = False
    return options


def _program(sources: Sequence[str], anchored: bool) -> Any:
    body = "|".join(sources)
    # Matched from position 0: a floating pattern gets a lazy lead-in (a start anchor
    # spares RE2 the reverse scan that finds where a match begins).
    return re2.compile(body if anchored else f"(?s:.*?)(?:{body})", _options())


class Superset:
    """RE2 programs for a list of (source, anchored) patterns: ``found(text)`` names the
    patterns that may be found in ``text`` (those of each program that matched), and
    leaves out only patterns that are not there. ``failed`` lists the positions of the
    patterns RE2 would not take even alone (too large): ask those of ``regex``."""

    def __init__(self, sources: Sequence[Tuple[str, bool]], limits: Optional[Sequence[Optional[int]]] = None) -> None:
        # ``limits``: each pattern's word limit (None: none), its rule sees no longer block. The
        # patterns are grouped by it, so that a long paragraph is not scanned by the programs
        # whose every pattern's rule would not see it (``found(text, words)``).
        limit = [NO_LIMIT if m is None else m for m in (limits or [None] * len(sources))]
        # A pattern the translation lets match most text in other scripts (``\W*`` or ``\p{Lu}``
        # allow every non-ASCII character) is grouped with its like only: in a program with
        # others it would name them all on every line of a Cyrillic, Arabic or Chinese page.
        broad = [_broad(s, a) for s, a in sources]
        programs: List[Tuple[Any, FrozenSet[int], int]] = []  # (program, positions of its patterns, limit)
        failed: List[int] = []
        for anchored, wide in ((True, False), (True, True), (False, False), (False, True)):
            chosen = sorted(((i, s) for i, (s, a) in enumerate(sources) if a == anchored and broad[i] == wide),
                            key=lambda c: limit[c[0]])
            for start in range(0, len(chosen), GROUP_SIZE):
                group = chosen[start:start + GROUP_SIZE]
                try:
                    programs.append((_program([s for _, s in group], anchored), frozenset(i for i, _ in group),
                                     max(limit[i] for i, _ in group)))
                except re2.error:  # together over the memory budget: one program each
                    for i, source in group:
                        try:
                            programs.append((_program([source], anchored), frozenset((i,)), limit[i]))
                        except re2.error:
                            failed.append(i)
        self._programs = tuple(programs)
        self._everything = frozenset(range(len(sources)))
        self.failed = tuple(sorted(failed))

    def found(self, text: str, words: int = 0) -> FrozenSet[int]:
        """The positions of the patterns that may be found in ``text`` (every program is asked;
        a program that matches answers for all its patterns). All of them for a text RE2 cannot read.
        With ``words`` (``text``'s word count), a program whose patterns' limits are all below it is
        not asked: none of its patterns is named (their rules would not see the text).

        >>> sorted(Superset([("(?:ab)", False), ("(?:cd)", True)]).found("xab"))
        [0]
        """
        data = _utf8(text)
        if data is None:
            return self._everything
        return frozenset().union(*(members for program, members, limit in self._programs
                                   if limit >= words and program.match(data) is not None))


# Lines in scripts without ASCII letters, of the shapes a page has (a title, a list item, a
# sentence), that say nothing a rule looks for (no "Home" or "Menu": the packs know such words
# in these languages): a pattern whose translation matches one of them is "broad" (``Superset``).
_OTHER_SCRIPT_LINES = ("Старый пирс", "* Старый пирс", "Совет одобрил план ремонта старого пирса в понедельник.",
                       "الرصيف القديم", "• الرصيف القديم", "وافق المجلس على خطة إعادة بناء الرصيف القديم يوم الاثنين.",
                       "旧码头", "- 旧码头", "市议会周一投票决定重建旧码头。", "पुराना घाट", "शहर में नई बस सेवा शुरू हुई।")
_OTHER_SCRIPT_BYTES = tuple(line.encode("utf-8") for line in _OTHER_SCRIPT_LINES)


def _broad(source: str, anchored: bool) -> bool:
    """True when ``source`` (an RE2 superset) matches a line of ``_OTHER_SCRIPT_LINES``."""
    try:
        program = _program([source], anchored)
    except re2.error:
        return False
    return any(program.match(line) is not None for line in _OTHER_SCRIPT_BYTES)


def _utf8(text: str) -> Optional[bytes]:
    """``text`` as RE2 reads it; None for a lone surrogate, which RE2 cannot read ("maybe")."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


def translated(sources: Sequence[str]) -> List[Optional[str]]:
    """Each source's RE2 superset, or None where it cannot be written or compiled."""
    out: List[Optional[str]] = []
    for source in sources:
        try:
            written = re2_superset(source)
            re2.compile(written, _options())
        except (Untranslatable, ValueError, IndexError, re2.error):
            written = None
        out.append(written)
    return out

