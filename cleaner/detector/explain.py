"""Short human reasons for a dropped block, read off the block's measurements."""
from __future__ import annotations

from typing import List

from .features import SHORT_UNITS, Measure, Page

LIST_RUN = 4


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
    run = page.short_runs[i]
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
