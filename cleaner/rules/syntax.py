"""What the stage screen's two readers of ``regex`` patterns share.

:mod:`.prefilter` reads a pattern for its needles and first word characters,
:mod:`.superset` rewrites it for RE2; both meet the same syntax and ask the
same question of the ``regex`` module: which characters a case-insensitive
letter matches.
"""
from __future__ import annotations

from typing import FrozenSet, Optional

import regex

# Matched at the position after a group's "(" (a quantifier: at its "{"). ASCII digits
# only: ``regex`` reads "{٣}" as text, and ``int`` would read it as 3.
QUANTIFIER = regex.compile(r"\{([0-9]*)(?:,([0-9]*))?\}")
SCOPED_FLAGS = regex.compile(r"\?([ims]*)(?:-([ims]+))?:")
GROUP_NAME = regex.compile(r"\?P?<(\w+)>")

try:  # private API of the regex module: without it no case forms are known
    from regex._regex import get_all_cases as _get_all_cases
except ImportError:
    _get_all_cases = None


def case_forms(char: str, flags: int = regex.V0) -> Optional[FrozenSet[str]]:
    """Every character a case-insensitive ``char`` matches (None when the regex module cannot tell).

    >>> sorted(map(ord, case_forms("k")))  # k, K and the Kelvin sign
    [75, 107, 8490]
    """
    if _get_all_cases is None:
        return None
    try:
        return frozenset(map(chr, _get_all_cases(flags | regex.IGNORECASE, ord(char))))
    except Exception:  # a future signature of the private function: no answer rather than a wrong one
        return None
