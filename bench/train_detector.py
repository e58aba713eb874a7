"""Train the text-mode body detector and write cleaner/detector/weights.json.

    source /work/venv/bin/activate
    python bench/train_detector.py            # train on split=train of both dev sets, write weights
    python bench/train_detector.py --caseless # the same pages in lower case: weights-caseless.json
    python bench/train_detector.py --cv       # also print 5-fold page-grouped CV figures (--folds 3: quicker)
    python bench/train_detector.py --cv --folds 3 --save-folds /tmp/folds --out /tmp/w.json
    python bench/quality.py --mode text --split train --detector-folds /tmp/folds
                                              # the whole engine on train pages, each page cleaned
                                              # by the fold detector that never saw it

Labels come from aligning each page's tokens to its gold text
(:func:`label_blocks`). Two gradient-boosted tree ensembles are fitted
(scikit-learn's HistGradientBoostingClassifier, exported as plain lists):
stage 1 on the per-block features, stage 2 on the context of stage-1 scores
plus the same block features, where stage 1's scores for training come
out-of-fold so stage 2 learns from honest inputs.
Only ``split="train"`` pages are read. Needs numpy and scikit-learn (dev-time
only; the runtime is pure Python).
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import devsets  # noqa: E402
from cleaner.detector import context, features, keep_mask, model  # noqa: E402
from cleaner.document import Block  # noqa: E402
from cleaner.language import page_language  # noqa: E402
from cleaner.segment import split_text  # noqa: E402

_WORD = re.compile(r"\w+")
MIN_MATCH = 3          # aligned runs shorter than this are chance ("Home", "More")
BODY_SHARE = 0.5       # a block is body when this share of its tokens aligns to gold
WEIGHTS = HERE.parent / "cleaner" / "detector" / "weights.json"
CASELESS_WEIGHTS = HERE.parent / "cleaner" / "detector" / "weights-caseless.json"
SEED = 0


def label_blocks(blocks: Sequence[Block], gold: str) -> List[int]:
    """1 for blocks whose tokens mostly align, in order, with the gold text."""
    tokens, owner = [], []
    for i, block in enumerate(blocks):
        for tok in _WORD.findall(block.text.lower()):
            tokens.append(tok)
            owner.append(i)
    matcher = difflib.SequenceMatcher(None, tokens, _WORD.findall(gold.lower()), autojunk=False)
    hits, totals = [0] * len(blocks), [0] * len(blocks)
    for i in owner:
        totals[i] += 1
    for a, _, size in matcher.get_matching_blocks():
        if size >= MIN_MATCH:
            for k in range(a, a + size):
                hits[owner[k]] += 1
    return [int(t > 0 and h >= BODY_SHARE * t) for h, t in zip(hits, totals)]


@dataclass
class PageData:
    id: str
    set: str
    blocks: List[Block]
    page: features.Page
    x1: np.ndarray
    y: np.ndarray
    weight: np.ndarray


# Every page weighs the same in total, as in the metric (a mean of per-page F1):
# without it a forum page of 2,000 blocks outweighs forty articles. Each training
# copy of a page (#kept, #rules) gets the same total again, so a page with both
# copies weighs three times one without. 50 is about the weight of a page of 20
# blocks before normalising. Chosen with the earlier additive model, page-grouped
# 3-fold CV label F1, scrapinghub / wcxb-dev: 0.882 / 0.816 with block weights
# alone, 0.892 / 0.821 with this, 0.890 / 0.817 with a page total growing as the
# square root of its block count.
PAGE_WEIGHT = 50.0


def _weights(page: features.Page) -> np.ndarray:
    """Long blocks carry more of the metric, short ones still count (snippets); each page sums
    to ``PAGE_WEIGHT``."""
    raw = np.array([1.0 + np.log1p(m.tokens) for m in page.measures])
    return raw * (PAGE_WEIGHT / raw.sum()) if raw.size else raw


def load_pages(split: str, survivors: bool = False, caseless: bool = False) -> List[PageData]:
    """Blocks, features and labels of every page of ``split`` with a non-empty gold.

    With ``survivors`` each page also yields a copy holding only its body blocks,
    as the output text re-read (cleaning cleaned text must keep it whole), and a
    copy holding what the engine's rule stages keep (the detector runs after
    them, so that is the input it usually sees). With ``caseless`` every page is read in
    lower case (the detector for pages without case, :func:`cleaner.detector.model.caseless_model`).
    """
    out = []
    for page in devsets.iter_sets(split=split):
        gold = page.gold()
        text = page.text().lower() if caseless else page.text()
        blocks = split_text(text)
        if not gold.strip() or not blocks:
            continue
        language = None if _without_language(page.id) else page_language(blocks)
        y = label_blocks(blocks, gold)
        out.append(_page_data(page.id, page.set, blocks, language, y))
        if survivors and sum(y) >= 3:
            # As clean(clean(x)) meets it: the body alone, one block a paragraph, blank
            # lines between (the trees, unlike the additive models, read that shape apart).
            kept = split_text("\n\n".join(b.text for b, label in zip(blocks, y) if label))
            out.append(_page_data(page.id + "#kept", page.set, kept, language, [1] * len(kept)))
        if survivors:
            ruled = _after_rules(text, len(blocks))
            if ruled:
                out.append(_page_data(page.id + "#rules", page.set, ruled, language, [y[b.index] for b in ruled]))
    return out


def _after_rules(text: str, n_blocks: int) -> List[Block]:
    """The blocks the engine's rule and language stages keep (what the detector sees in production)."""
    from cleaner import clean_document
    try:
        kept = list(clean_document(text, detector=False).blocks)
    except Exception as exc:  # the engine is optional here: train without this copy
        print(f"  rule stages failed ({exc!r}); no rule-survivor copy", file=sys.stderr)
        return []
    if not kept or len(kept) == n_blocks or any(b.index >= n_blocks for b in kept):
        return []
    return kept


def _without_language(page_id: str) -> bool:
    """One page in four trains without a language code (the page's own stoplist stands in)."""
    return int(hashlib.sha1(("nolang:" + page_id).encode()).hexdigest(), 16) % 4 == 0


def _page_data(pid: str, set_name: str, blocks: List[Block], language, y) -> PageData:
    analysed = features.analyse(blocks, language)
    return PageData(pid, set_name, blocks, analysed, np.array(features.local_vectors(analysed)),
                    np.array(y), _weights(analysed))


# Gradient-boosted trees (see cleaner.detector.model.Trees). A fixed number of
# rounds and no early stopping keep the fit deterministic (no validation draw).
TREES = dict(max_iter=200, learning_rate=0.1, max_leaf_nodes=15, min_samples_leaf=50,
             l2_regularization=1.0, early_stopping=False, random_state=SEED)


def _fit_trees(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> dict:
    """A boosted-tree stage as plain lists: per tree its nodes' feature (-1 at a leaf),
    threshold, children and leaf value; ``x[feature] <= threshold`` goes left.

    Thresholds are stored unrounded: a split can sit exactly on a common value
    (a stopword share of 1/3), and rounding it sends those rows the other way.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    assert np.isfinite(x).all(), "features must be finite (the export has no NaN routing)"
    fitted = HistGradientBoostingClassifier(**TREES).fit(x, y, sample_weight=w)
    trees = []
    for (predictor,) in fitted._predictors:  # sklearn's fitted trees, one per round
        nodes = predictor.nodes
        assert not nodes["is_categorical"].any()
        trees.append({"feature": [-1 if leaf else int(f) for f, leaf in zip(nodes["feature_idx"], nodes["is_leaf"])],
                      "threshold": [0.0 if leaf else float(t) for t, leaf in zip(nodes["num_threshold"], nodes["is_leaf"])],
                      "left": [int(i) for i in nodes["left"]], "right": [int(i) for i in nodes["right"]],
                      "value": [round(float(v), 6) if leaf else 0.0 for v, leaf in zip(nodes["value"], nodes["is_leaf"])]})
    weights = {"kind": "trees", "bias": float(fitted._baseline_prediction.ravel()[0]), "trees": trees}
    # The export is sklearn's model: only the leaf values' rounding (1e-6 each) differs.
    sample = x[:: max(1, len(x) // 5000)]
    assert np.abs(_log_odds(weights, sample) - fitted.decision_function(sample)).max() < 1e-3
    return weights


def _predict(weights: dict, x: np.ndarray) -> np.ndarray:
    """The stage's body probability for each row of ``x`` (the runtime's log-odds, bit for bit)."""
    return 1.0 / (1.0 + np.exp(-_log_odds(weights, x)))


def _log_odds(weights: dict, x: np.ndarray) -> np.ndarray:
    """``bias`` plus each tree's leaf value, added in tree order as the compiled function does."""
    z = np.full(len(x), weights["bias"])
    rows = np.arange(len(x))
    for tree in weights["trees"]:
        feature, threshold = np.array(tree["feature"]), np.array(tree["threshold"])
        left, right, value = np.array(tree["left"]), np.array(tree["right"]), np.array(tree["value"])
        node = np.zeros(len(x), dtype=int)
        while True:
            inner = feature[node] >= 0
            if not inner.any():
                break
            goes_left = x[rows, np.maximum(feature[node], 0)] <= threshold[node]
            node = np.where(inner, np.where(goes_left, left[node], right[node]), node)
        z += value[node]
    return z


def _folds(pages: Sequence[PageData], k: int, salt: str = "fold:") -> List[int]:
    """Page-grouped fold ids; a page and its survivor copy share a fold."""
    return [devsets.fold_of(p.id, k, salt) for p in pages]


def _stack(pages: Sequence[PageData], attr: str) -> np.ndarray:
    return np.concatenate([getattr(p, attr) for p in pages])


def oof_stage1(pages: Sequence[PageData], k: int = 5, salt: str = "fold:") -> List[np.ndarray]:
    folds = _folds(pages, k, salt)
    scores: List[np.ndarray] = [None] * len(pages)  # type: ignore[list-item]
    for f in range(k):
        train = [p for p, fold in zip(pages, folds) if fold != f]
        w1 = _fit_trees(_stack(train, "x1"), _stack(train, "y"), _stack(train, "weight"))
        for i, (p, fold) in enumerate(zip(pages, folds)):
            if fold == f:
                scores[i] = _predict(w1, p.x1)
    return scores


def context_matrix(page: PageData, scores: np.ndarray) -> np.ndarray:
    """Stage-2 inputs: the context of the stage-1 scores, then the block's own features."""
    return np.hstack([np.array(context.context_vectors(page.page, list(scores))), page.x1])


def train(pages: Sequence[PageData], folds: int = 5, salt: str = "fold:") -> dict:
    """Both stages on ``pages``; stage 2 reads out-of-fold stage-1 scores (``folds`` folds split by ``salt``)."""
    w1 = _fit_trees(_stack(pages, "x1"), _stack(pages, "y"), _stack(pages, "weight"))
    oof = oof_stage1(pages, folds, salt)
    x2 = np.concatenate([context_matrix(p, s) for p, s in zip(pages, oof)])
    w2 = _fit_trees(x2, _stack(pages, "y"), _stack(pages, "weight"))
    return {"format": 2, "stage1": dict(w1, names=list(features.LOCAL_NAMES)),
            "stage2": dict(w2, names=list(model.STAGE2_NAMES)), "threshold": model.THRESHOLD}


def _cv(pages: Sequence[PageData], k: int = 5, save: Optional[Path] = None) -> None:
    """Page-grouped k-fold CV: each fold's model scores its held-out pages (not their copies).
    With ``save``, each fold's weights go to ``save/fold<f>.json``."""
    folds = _folds(pages, k)
    f1s: dict = {name: [] for name in devsets.SETS}
    for f in range(k):
        trained = train([p for p, fold in zip(pages, folds) if fold != f], folds=k, salt="cv-inner:")
        if save is not None:
            save.mkdir(parents=True, exist_ok=True)
            (save / f"fold{f}.json").write_text(dumps(trained), encoding="utf-8")
        weights = model.Model.from_dict(trained)
        for p, fold in zip(pages, folds):
            if fold == f and "#" not in p.id:
                keep = keep_mask(p.page, weights.scores(p.page, p.x1.tolist()), weights.threshold)
                out = "\n\n".join(b.text for b, k_ in zip(p.blocks, keep) if k_)
                gold = "\n\n".join(b.text for b, y in zip(p.blocks, p.y) if y)
                f1s[p.set].append(devsets.prf(out, gold)[2])
    for set_name, values in f1s.items():
        print(f"cv {set_name}: label-F1 {np.mean(values):.3f} over {len(values)} pages")


def dumps(weights: dict) -> str:
    """The weights as JSON, one tree a line (diffable, and a tenth of the size of indent=1)."""
    def stage(data: dict) -> str:
        head = {k: v for k, v in data.items() if k != "trees"}
        trees = ",\n".join("  " + json.dumps(t, separators=(",", ":")) for t in data["trees"])
        return json.dumps(head)[:-1] + ', "trees": [\n' + trees + "\n ]}"
    return ("{" + f'"format": {weights["format"]}, "threshold": {weights["threshold"]},\n'
            + f' "stage1": {stage(weights["stage1"])},\n "stage2": {stage(weights["stage2"])}' + "}\n")


def _cached_pages(path, caseless: bool = False) -> List[PageData]:
    """The labelled train pages, from the ``--cache`` pickle when it holds them read the same
    way (``caseless`` or not); ``SystemExit`` when it holds the other reading or is unreadable."""
    import pickle
    if path and Path(path).exists():
        try:
            with open(path, "rb") as fh:
                cached = pickle.load(fh)
        except Exception as exc:  # a pickle of older code (other Measure fields), or no pickle
            raise SystemExit(f"--cache {path}: cannot read it ({exc!r}); delete it to relabel") from None
        if not isinstance(cached, dict) or cached.get("caseless") is not caseless:
            raise SystemExit(f"--cache {path}: not pages read {'in lower case' if caseless else 'as written'}; "
                             "give another file")
        return cached["pages"]
    pages = load_pages("train", survivors=True, caseless=caseless)
    if path:
        with open(path, "wb") as fh:
            pickle.dump({"caseless": caseless, "pages": pages}, fh)
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cv", action="store_true", help="print page-grouped CV figures too")
    parser.add_argument("--folds", type=int, default=5, help="CV folds (outer, and stage 1's inner ones)")
    parser.add_argument("--out", help=f"default: {WEIGHTS.name}, or {CASELESS_WEIGHTS.name} with --caseless")
    parser.add_argument("--caseless", action="store_true",
                        help="train on the pages written in lower case: the detector for pages without case")
    parser.add_argument("--sets", nargs="+", choices=devsets.SETS, default=list(devsets.SETS),
                        help="train on these sets' train pages only (the other set then measures how the "
                             "detector carries to sites and languages it never saw)")
    parser.add_argument("--cache", help="pickle the labelled pages here and reuse them (dev runs)")
    parser.add_argument("--save-folds", metavar="DIR", type=Path,
                        help="with --cv: write each fold's weights to DIR/fold<f>.json, for "
                             "bench/quality.py --detector-folds DIR (the whole engine out of fold)")
    args = parser.parse_args()
    if args.save_folds and not args.cv:
        parser.error("--save-folds needs --cv")
    shipped = {WEIGHTS.resolve(), CASELESS_WEIGHTS.resolve()}
    if set(args.sets) != set(devsets.SETS) and (not args.out or Path(args.out).resolve() in shipped):
        parser.error("--sets trains a detector for a measurement: give it --out (the shipped weights stay)")
    args.out = args.out or str(CASELESS_WEIGHTS if args.caseless else WEIGHTS)
    pages = [p for p in _cached_pages(args.cache, args.caseless) if p.set in args.sets]
    print(f"{len(pages)} train pages (with survivor copies), {sum(len(p.y) for p in pages)} blocks")
    if args.cv:
        _cv(pages, args.folds, args.save_folds)
    weights = train(pages)
    Path(args.out).write_text(dumps(weights), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
