"""Stage 2: read each block's first-pass score next to its neighbours' scores.

jusText smooths its classes by hand (a short block between two good ones is
good); here the same idea is learned. For every block the second model sees
its own first-pass logit, its neighbours' scores at a few distances, how far
the nearest confident body block is on each side, and what share of the
page's confident body text lies before it (headlines and bylines sit just
before the body, footers and related lists after it).
"""
from __future__ import annotations

import math
from typing import List, Optional, Sequence

from .features import Page, prefix_sums

CONFIDENT = 0.7
_FAR = 50


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _nearest_confident(scores: Sequence[float]) -> tuple:
    """Distance (in blocks) to the nearest confident block before and after each block."""
    n = len(scores)
    before, after = [_FAR] * n, [_FAR] * n
    last = None
    for i in range(n):
        if last is not None:
            before[i] = min(i - last, _FAR)
        if scores[i] >= CONFIDENT:
            last = i
    last = None
    for i in range(n - 1, -1, -1):
        if last is not None:
            after[i] = min(last - i, _FAR)
        if scores[i] >= CONFIDENT:
            last = i
    return before, after


def _mass_split(page: Page, scores: Sequence[float]) -> tuple:
    """Share of the page's confident body words before, and after, each block."""
    mass = [m.units if s >= CONFIDENT else 0.0 for m, s in zip(page.measures, scores)]
    total = sum(mass) or 1.0
    before, acc = [], 0.0
    for w in mass:
        before.append(acc / total)
        acc += w
    after = [1.0 - b - w / total for b, w in zip(before, mass)]
    return before, after


# Constant added to a block's length when it is weighed in the body span: with it a
# short chrome line costs something whatever its length, so an alternation of short
# chrome lines and teaser sentences (related lists, comment threads) stays outside.
SPAN_PADS = (2.0, 12.0)
_SPAN_FLOOR = -3.0


def span_support(units: Sequence[float], scores: Sequence[float], pad: float) -> List[float]:
    """How well each block fits the page's one body span, in [-3, 1].

    Every block weighs ``(score - 0.5) * (units + pad)``; the best span through
    block ``i`` (best run ending at ``i`` plus best run starting there, Kadane
    both ways) is divided by the page's best span. 1 means the block lies in
    the best span; less, how much the best span would lose to reach it.
    """
    n = len(scores)
    value = [(s - 0.5) * (u + pad) for s, u in zip(scores, units)]
    fwd, acc = [0.0] * n, 0.0
    for i, v in enumerate(value):
        acc = v + (acc if acc > 0 else 0.0)
        fwd[i] = acc
    bwd, acc = [0.0] * n, 0.0
    for i in range(n - 1, -1, -1):
        acc = value[i] + (acc if acc > 0 else 0.0)
        bwd[i] = acc
    best = max(fwd) if fwd else 0.0
    if best <= 0:
        return [_SPAN_FLOOR] * n
    return [min(1.0, max(_SPAN_FLOOR, (f + b - v) / best)) for f, b, v in zip(fwd, bwd, value)]


CONTEXT_NAMES = (
    "logit", "prev1", "next1", "prev3", "next3", "prev_far", "next_far", "log_conf_before",
    "log_conf_after", "mass_before", "mass_after", "page_conf_share",
) + tuple(f"span_support_{int(pad)}" for pad in SPAN_PADS)


def _window_means(scores: Sequence[float], lo: int, hi: int, prefix: Optional[Sequence[float]] = None) -> List[float]:
    """Mean score over offsets ``lo..hi-1`` from each block (clipped to the page; 0 when empty).
    ``prefix``: :func:`prefix_sums` of ``scores``, when the caller has it."""
    n = len(scores)
    prefix = prefix_sums(scores) if prefix is None else prefix
    return [(prefix[b] - prefix[a]) / (b - a) if b > a else 0.0
            for a, b in zip(_clipped(n, lo), _clipped(n, hi))]


def _clipped(n: int, offset: int) -> List[int]:
    """``[min(max(i + offset, 0), n) for i in range(n)]``, from ranges."""
    below = min(n, max(0, -offset))              # i + offset < 0
    above = min(n - below, max(0, offset))       # i + offset >= n
    return [0] * below + list(range(below + offset, n - above + offset)) + [n] * above


def context_vectors(page: Page, scores: Sequence[float]) -> List[List[float]]:
    """Stage-2 feature vectors (:data:`CONTEXT_NAMES`), one per block."""
    n = len(scores)
    before, after = _nearest_confident(scores)
    mass_before, mass_after = _mass_split(page, scores)
    share = sum(1 for s in scores if s >= CONFIDENT) / (n or 1)
    units = [m.units for m in page.measures]
    prefix = prefix_sums(scores)
    columns = [
        [_logit(s) for s in scores],
        [0.0] + list(scores[:-1]), list(scores[1:]) + [0.0],
        _window_means(scores, -3, 0, prefix), _window_means(scores, 1, 4, prefix),
        _window_means(scores, -10, -3, prefix), _window_means(scores, 4, 11, prefix),
        [math.log1p(d) for d in before], [math.log1p(d) for d in after],
        mass_before, mass_after, [share] * n,
    ] + [span_support(units, scores, pad) for pad in SPAN_PADS]
    return [list(row) for row in zip(*columns)]


SANDWICH_FLOOR = 0.3


def keep_sandwiched(scores: Sequence[float], threshold: float) -> List[float]:
    """jusText's rule, kept by hand: a near-miss block between two confident body blocks
    (an in-body subheading) is raised to the threshold. Neutral on the dev sets' F1; it
    guards short subheadings the model leaves just under the line. "Confident" is the
    same ``CONFIDENT`` the context features count with."""
    out = list(scores)
    for i in range(1, len(scores) - 1):
        if (SANDWICH_FLOOR <= scores[i] < threshold and scores[i - 1] >= CONFIDENT
                and scores[i + 1] >= CONFIDENT):
            out[i] = threshold
    return out
