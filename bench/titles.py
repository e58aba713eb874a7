"""How often text mode's title (``result.metadata.title``) names the page, on the dev sets.

    python bench/titles.py --split all --jobs 2

Page text carries no title, so text mode takes one of the lines the detector
dropped above the body. The reference is the title trafilatura reads from the
page's HTML (``<title>``, ``og:title``, the ``<h1>``): a text-mode title
*agrees* when at least half of its words (of four or more letters, case
folded) are in that reference, which allows for a site name or a rephrased
``<title>``. A wrong title is worse than none, so the figures to watch are
both columns: titles given that agree, and titles given that do not.
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Optional, Set, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import devsets  # noqa: E402

_WORD = re.compile(r"\w{4,}")


def _words(text: Optional[str]) -> Set[str]:
    return set(_WORD.findall((text or "").casefold()))


def agrees(title: str, reference: Optional[str]) -> bool:
    """At least half of the title's long words are in the reference title."""
    words = _words(title)
    return bool(words) and len(words & _words(reference)) >= 0.5 * len(words)


def _one(page: devsets.Page) -> Tuple[str, Optional[str], Optional[str]]:
    logging.disable(logging.CRITICAL)
    import trafilatura

    import cleaner

    title = cleaner.clean_document(page.text(), url=page.url, mode="text").metadata.title
    meta = trafilatura.extract_metadata(page.html_bytes())  # bytes: trafilatura reads the page's charset
    return page.set, title, meta.title if meta else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("train", "holdout", "all"), default="all")
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    pages = [p for s in devsets.SETS for p in devsets.pages(s, args.split)]
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(_one, pages, chunksize=4))
    print(f"{'set':12s} {'pages':>6s} {'no title':>9s} {'agrees':>7s} {'differs':>8s}")
    for name in devsets.SETS:
        mine = [(t, r) for s, t, r in rows if s == name]
        given = [(t, r) for t, r in mine if t]
        good = sum(agrees(t, r) for t, r in given)
        print(f"{name:12s} {len(mine):6d} {len(mine) - len(given):9d} {good:7d} {len(given) - good:8d}")


if __name__ == "__main__":
    main()
