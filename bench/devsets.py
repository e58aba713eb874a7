"""Load the public development sets in ../shared/bench and score outputs.

Every benchmark and the detector's training script read pages through this
module, so they agree on the held-out split and on the metric.

Held-out pages: ``is_holdout(page_id)`` is true for about one page in five,
chosen by a hash of the id. Train and tune on the rest; quote held-out figures
as the honest ones.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Tuple

ROOT = Path(os.environ.get("CLEANER_BENCH_DIR", Path(__file__).resolve().parents[1].parent / "shared" / "bench"))
SETS = ("scrapinghub", "wcxb-dev")
_WORD = re.compile(r"\w+")


@dataclass
class Page:
    set: str
    id: str
    url: Optional[str]
    meta: dict = field(repr=False)

    @property
    def dir(self) -> Path:
        return ROOT / self.set

    def html_bytes(self) -> bytes:
        with gzip.open(self.dir / "html" / f"{self.id}.html.gz", "rb") as fh:
            return fh.read()

    def text(self) -> str:
        with gzip.open(self.dir / "text" / f"{self.id}.txt.gz", "rt", encoding="utf-8") as fh:
            return fh.read()

    def gold(self) -> str:
        return (self.dir / "gold" / f"{self.id}.txt").read_text(encoding="utf-8")

    @property
    def holdout(self) -> bool:
        return is_holdout(self.id)

    @property
    def page_type(self) -> str:
        return self.meta.get("page_type", "article")


def is_holdout(page_id: str) -> bool:
    """About 20 % of pages, fixed by the id: never train or tune on these."""
    return int(hashlib.sha1(page_id.encode()).hexdigest(), 16) % 5 == 0


def fold_of(page_id: str, folds: int, salt: str = "fold:") -> int:
    """The cross-validation fold of a page (``bench/train_detector.py --cv``); a page's
    copies (``<id>#...``) share it."""
    return int(hashlib.sha1((salt + page_id.split("#")[0]).encode()).hexdigest(), 16) % folds


def pages(set_name: str, split: str = "all") -> List[Page]:
    """Pages of one set; ``split`` is ``all``, ``train`` or ``holdout``."""
    out = []
    with open(ROOT / set_name / "meta.jsonl", encoding="utf-8") as fh:
        for line in fh:
            meta = json.loads(line)
            page = Page(set_name, meta["id"], meta.get("url"), meta)
            if split == "all" or (split == "holdout") == page.holdout:
                out.append(page)
    return out


def bag(text: str) -> Counter:
    return Counter(_WORD.findall(text.lower()))


def prf(output: str, gold: str) -> Tuple[float, float, float]:
    """Bag-of-words precision, recall, F1 (the reference metric of score.py)."""
    o, g = bag(output), bag(gold)
    if not g:
        return (1.0, 1.0, 1.0) if not o else (0.0, 1.0, 0.0)
    tp = sum((o & g).values())
    p = tp / sum(o.values()) if o else 0.0
    r = tp / sum(g.values())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def snippets_left(output: str, without: Sequence[str]) -> Tuple[int, int]:
    """(must-drop snippets still in ``output``, snippets checked)."""
    folded = _fold(output)
    return sum(1 for s in without if _fold(s) and _fold(s) in folded), len(without)


def iter_sets(names: Sequence[str] = SETS, split: str = "all") -> Iterator[Page]:
    for name in names:
        yield from pages(name, split)


_LATIN = "abcdefghijklmnopqrstuvwxyz"
# Latin letters one for one into another script (``text.translate(...)``), for pages in a
# language nothing in cleaner knows: bench/letter_swap.py and the quality gate's floors.
LETTER_SWAPS = {
    "cyrillic": str.maketrans(_LATIN + _LATIN.upper(), "абвгдежзийклмнопрстуфхцчшщ" + "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩ"),
    "arabic": str.maketrans(_LATIN + _LATIN.upper(), "ابتثجحخدذرزسشصضطظعغفقكلمنه" * 2),  # no case
    # The page's own letters in lower case: the words and stopwords known, the case gone (what
    # a script without case shows the title-case and all-caps signals).
    "lower": str.maketrans(_LATIN.upper(), _LATIN),
}
