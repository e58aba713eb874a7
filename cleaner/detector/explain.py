"""Short human reasons for a dropped block, read off the block's measurements."""
from __future__ import annotations

from typing import List

from .features import SHORT_UNITS, Measure, Page, is_shortish

LIST_RUN = 4


def _short_run(page: Page, i: int) -> int:
    """Consecutive title-like lines around block ``i`` (itself included)."""
    ms = page.measures
    if not is_shortish(ms[i]):
        return 0
    lo = i
    while lo > 0 and is_shortish(ms[lo - 1]):
        lo -= 1
    hi = i
    while hi + 1 < len(ms) and is_shortish(ms[hi + 1]):
        hi += 1
    return hi - lo + 1


def _traits(m: Measure) -> List[str]:
    traits = []
    if m.units <= SHORT_UNITS:
        traits.append("short")
    if m.tokens and m.stop == 0:
        traits.append("no stopwords")
    if not m.terminal:
        traits.append("no terminal punctuation")
    if m.urlish:
        traits.append("URL/e-mail")
    if m.separators >= 2:
        traits.append("separators")
    if m.digits > 0.3:
        traits.append("mostly digits")
    return traits


def reason(page: Page, i: int, score: float) -> str:
    """Why block ``i`` went, e.g. ``link-list run (7 short title-like lines)``."""
    m = page.measures[i]
    run = _short_run(page, i)
    if run >= LIST_RUN:
        return f"link-list run ({run} short title-like lines)"
    if m.notice:
        return f"copyright/trademark notice, body score {score:.2f}"
    if page.repeats[i]:
        return f"line repeated on the page, body score {score:.2f}"
    start, end = page.region
    where = "" if start <= i <= end else ", outside the main text region"
    traits = ", ".join(_traits(m)) or "context"
    return f"low body score {score:.2f}: {traits}{where}"
