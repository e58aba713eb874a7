"""Per rule: how many blocks it removes on the dev sets, how many were body, and its F1 gain.

A removed block counts as body when its text (case- and space-folded) occurs in
the page's gold main text and has at least 4 words. "gain" is the mean F1 lost
when that rule's removals are put back (other removals kept): a first-order
ablation. Run on the train split while tuning; a rule with many body hits or a
negative gain is too greedy.

    python bench/rule_audit.py [--mode text|html] [--split train] [--limit N] [--show RULE]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import devsets  # noqa: E402

import cleaner  # noqa: E402


def fold(text: str) -> str:
    return " ".join(text.lower().split())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=["text", "html"], default="text")
    ap.add_argument("--split", default="train")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--show", help="print the body blocks this rule removed")
    ap.add_argument("--detector", action="store_true", help="include the body detector")
    args = ap.parse_args()
    removed, body_hits, gain = Counter(), Counter(), Counter()
    examples = defaultdict(list)
    pages = list(devsets.iter_sets(split=args.split))[: args.limit or None]
    for page in pages:
        source = page.text() if args.mode == "text" else page.html_bytes()
        gold = fold(page.gold())
        result = cleaner.clean_document(source, url=page.url, mode=args.mode, detector=args.detector)
        texts = {b.index: b.text for b in result.document.blocks}
        f1 = devsets.prf(result.text, page.gold())[2]
        for rule in {r.rule for r in result.removals}:
            back = {r.index for r in result.removals if r.rule == rule}
            restored = "\n\n".join(texts[b.index] for b in result.document.blocks
                                    if b.index in back or b.index in {k.index for k in result.blocks})
            gain[rule] += f1 - devsets.prf(restored, page.gold())[2]
        for r in result.removals:
            text = texts[r.index]
            removed[r.rule] += 1
            if len(text.split()) >= 4 and fold(text) in gold:
                body_hits[r.rule] += 1
                examples[r.rule].append(f"{page.set}/{page.id}: {text[:120]}")
    print(f"{len(pages)} pages, mode={args.mode}, split={args.split}")
    print(f"{'rule':32} {'removed':>8} {'body':>6} {'body %':>7} {'gain':>8}")
    for rule, n in removed.most_common():
        print(f"{rule:32} {n:8d} {body_hits[rule]:6d} {100 * body_hits[rule] / n:6.1f}% "
              f"{gain[rule] / len(pages):+8.4f}")
    if args.show:
        print("\n".join(examples[args.show][:40]))


if __name__ == "__main__":
    main()
