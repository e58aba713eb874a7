"""The page's densest run of running text, found once per page.

Each block scores its length in words when it reads like prose, and a small
penalty otherwise; the maximum-sum span (Kadane) is the body region. Blocks
are then described by whether they sit in it and how far outside they are.
"""
from __future__ import annotations

from typing import Sequence, Tuple

NON_TEXT_PENALTY = 2.0


def body_region(measures: Sequence, texty: Sequence[bool]) -> Tuple[int, int]:
    """(first, last) block index of the max-sum span; (0, -1) for an empty page."""
    best, best_span = 0.0, (0, -1)
    run, run_start = 0.0, 0
    for i, (m, t) in enumerate(zip(measures, texty)):
        value = m.units if t else -NON_TEXT_PENALTY
        if run <= 0:
            run, run_start = value, i
        else:
            run += value
        if run > best:
            best, best_span = run, (run_start, i)
    return best_span
