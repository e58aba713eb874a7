"""Measure the text-mode body detector (and C4's line heuristics) on the dev sets.

    source /work/venv/bin/activate
    python bench/eval_text_detector.py                 # train + holdout, both sets
    python bench/eval_text_detector.py --split holdout
    python bench/eval_text_detector.py --no-language   # detector without a language code
    python bench/eval_text_detector.py --engine        # also the whole engine, rules included

Per set and split: mean F1 / P / R over pages with a non-empty gold (the
reference bag-of-words metric), wcxb articles on their own, the share of
wcxb must-drop snippets left, ms/page of ``classify_blocks`` alone, and the
share of kept blocks a second run on the kept blocks would drop (the engine
repeats its stages until nothing changes). The language code is the one the
engine resolves (:func:`cleaner.language.page_language`).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import devsets  # noqa: E402
from cleaner.detector import classify_blocks  # noqa: E402
from cleaner.document import Block  # noqa: E402
from cleaner.language import page_language  # noqa: E402
from cleaner.segment import split_text  # noqa: E402

_C4_TERMINAL = (".", "!", "?", '"', "\u201d")
_C4_BAD = re.compile(r"javascript|lorem ipsum|\{|cookie policy|use cookies|use of cookies", re.IGNORECASE)


def c4_keep(blocks: Sequence[Block]) -> List[bool]:
    """C4's line filter: >= 5 words, terminal punctuation, no code/cookie/lorem lines."""
    return [len(b.text.split()) >= 5 and b.text.endswith(_C4_TERMINAL) and not _C4_BAD.search(b.text)
            for b in blocks]


class Tally:
    """Running sums for one (system, set, split) cell."""

    def __init__(self) -> None:
        self.p: List[float] = []
        self.r: List[float] = []
        self.f: List[float] = []
        self.art: List[float] = []
        self.left = self.checked = 0
        self.seconds = 0.0
        self.pages = 0
        self.second_drop = self.kept = 0

    def add(self, page: devsets.Page, out: str, gold: str) -> None:
        if gold.strip():
            p, r, f = devsets.prf(out, gold)
            self.p.append(p)
            self.r.append(r)
            self.f.append(f)
            if page.set == "wcxb-dev" and page.page_type == "article":
                self.art.append(f)
        left, checked = devsets.snippets_left(out, page.meta.get("without") or [])
        self.left += left
        self.checked += checked

    def line(self, name: str) -> str:
        def mean(xs: Sequence[float]) -> float:
            return sum(xs) / len(xs) if xs else float("nan")
        parts = [f"{name:<34} F1 {mean(self.f):.3f}  P {mean(self.p):.3f}  R {mean(self.r):.3f}  n={len(self.f)}"]
        if self.art:
            parts.append(f"articles F1 {mean(self.art):.3f} (n={len(self.art)})")
        if self.checked:
            parts.append(f"snippets left {100 * self.left / self.checked:.1f} %")
        if self.seconds:
            parts.append(f"{1000 * self.seconds / self.pages:.2f} CPU ms/page")
        if self.kept:
            parts.append(f"2nd-run drops {100 * self.second_drop / self.kept:.1f} % of kept")
        return " | ".join(parts)


def _join(blocks: Sequence[Block], keep: Sequence[bool]) -> str:
    return "\n\n".join(b.text for b, k in zip(blocks, keep) if k)


def _detect(blocks: Sequence[Block], language: Optional[str], tally: Tally) -> List[bool]:
    start = time.process_time()
    keep = [v.keep for v in classify_blocks(blocks, language)]
    tally.seconds += time.process_time() - start
    tally.pages += 1
    kept = [b for b, k in zip(blocks, keep) if k]
    if kept:
        tally.kept += len(kept)
        tally.second_drop += sum(1 for v in classify_blocks(kept, language) if not v.keep)
    return keep


def _engine(text: str, tally: Tally) -> str:
    """The whole engine in text mode (rule stages, language, detector)."""
    from cleaner import clean_document
    start = time.process_time()
    out = clean_document(text).text
    tally.seconds += time.process_time() - start
    tally.pages += 1
    return out


def run(split: str, use_language: bool, sets: Sequence[str], engine: bool = False) -> Dict[str, Tally]:
    tallies: Dict[str, Tally] = defaultdict(Tally)
    for page in devsets.iter_sets(sets, split):
        blocks = split_text(page.text())
        gold = page.gold()
        language = page_language(blocks) if use_language and blocks else None
        systems: Dict[str, Callable[[], List[bool]]] = {
            "detector": lambda: _detect(blocks, language, tallies[f"detector {page.set} {split}"]),
            "c4": lambda: c4_keep(blocks),
            "nothing removed": lambda: [True] * len(blocks),
        }
        for name, keep_fn in systems.items():
            tallies[f"{name} {page.set} {split}"].add(page, _join(blocks, keep_fn()), gold)
        if engine:
            key = f"engine {page.set} {split}"
            tallies[key].add(page, _engine(page.text(), tallies[key]), gold)
    return tallies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("train", "holdout", "all", "both"), default="both")
    parser.add_argument("--no-language", action="store_true", help="pass language=None to the detector")
    parser.add_argument("--set", choices=devsets.SETS, action="append", help="only these sets")
    parser.add_argument("--engine", action="store_true", help="also run the whole engine (cleaner.clean_document)")
    args = parser.parse_args()
    splits = ("train", "holdout") if args.split == "both" else (args.split,)
    classify_blocks(split_text("warm up the stoplists and weights"), "en")
    for split in splits:
        for key, tally in sorted(run(split, not args.no_language, args.set or devsets.SETS, args.engine).items()):
            print(tally.line(key), flush=True)


if __name__ == "__main__":
    main()
