"""The two stages, evaluated in pure Python from ``weights.json``.

Each stage is an ensemble of gradient-boosted regression trees (``kind:
trees``): the log-odds of body are the sum of one leaf value per tree. When the
weights load, each tree becomes one nested conditional expression and the
ensemble one Python function, compiled once (its source holds only numbers read
from the JSON), so a block costs a few hundred comparisons at interpreter
speed rather than a loop over node arrays.

The JSON is written by ``bench/train_detector.py``; each stage stores its
feature names so a weights file that does not match the code fails loudly.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, List, Sequence, Tuple

from . import context, features

THRESHOLD = 0.5
WEIGHTS_PATH = Path(__file__).with_name("weights.json")
# Trained on the same pages written in lower case (``bench/train_detector.py --caseless``): for a
# page whose script has no case (:func:`features.reads_case`), where the title-case and all-caps
# signals the shipped trees lean on read 0.
CASELESS_WEIGHTS_PATH = Path(__file__).with_name("weights-caseless.json")
# Stage 2 reads the context of stage-1 scores, then the block's own features again.
STAGE2_NAMES = tuple(context.CONTEXT_NAMES) + tuple(features.LOCAL_NAMES)


@dataclass(frozen=True)
class Trees:
    """``sigmoid(bias + sum of each tree's leaf value)``; a node sends ``x`` left when
    ``x[feature] <= threshold``."""

    bias: float
    trees: Tuple[Tuple[Tuple[int, ...], Tuple[float, ...], Tuple[int, ...], Tuple[int, ...], Tuple[float, ...]], ...]
    n_features: int
    log_odds: Callable[[Sequence[float]], float] = field(compare=False, repr=False)

    def prob(self, x: Sequence[float]) -> float:
        z = self.log_odds(x)
        return 0.0 if z < -30 else 1.0 / (1.0 + math.exp(-z))  # the logistic function

    def __reduce__(self):
        """Pickled as its numbers (a compiled function does not pickle); compiled again on load."""
        return _rebuilt, (self.bias, self.trees, self.n_features)

    @classmethod
    def from_dict(cls, data: dict, names: Sequence[str]) -> "Trees":
        """Read and check a stage; ``ValueError`` names what is wrong with it."""
        if list(data.get("names", ())) != list(names):
            raise ValueError("detector weights do not match the feature list; retrain")
        where = "bias"
        try:
            bias = _number(data["bias"])
            trees = []
            nodes = 0
            for k, tree in enumerate(data["trees"]):
                where = f"tree {k}"
                trees.append(_tree(tree, len(names)))
                nodes += len(trees[-1][0])
                if nodes > MAX_NODES:
                    raise ValueError(f"the stage has more than {MAX_NODES:,} nodes (fewer or smaller trees)")
        except ValueError as exc:
            raise ValueError(f"detector weights, {where}: {exc}") from None
        except (KeyError, TypeError, IndexError) as exc:
            raise ValueError(f"detector weights, {where}: malformed ({exc!r})") from None
        return cls(bias, tuple(trees), len(names), _compile(bias, trees, len(names)))


def _rebuilt(bias: float, trees, n_features: int) -> Trees:
    return Trees(bias, trees, n_features, _compile(bias, trees, n_features))


MAX_DEPTH = 64  # far above what training grows (15 leaves); keeps the compiled source small
# Nodes a stage may have: the shipped stages have about 6,000; a stage is compiled into one
# Python function, and 400,000 nodes took seconds and a gigabyte to compile in every worker.
MAX_NODES = 150_000


def _number(v) -> float:
    """A finite float; JSON's NaN and Infinity are refused (their repr is not a literal)."""
    try:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ValueError
        return float(v)
    except (ValueError, OverflowError):  # OverflowError: an integer such as 10**400
        raise ValueError(f"{str(v)[:40]!r} is not a finite number") from None


def _index(v) -> int:
    if type(v) is not int:
        raise ValueError(f"{v!r} is not an integer")
    return v


def _tree(tree: dict, n_features: int):
    """One tree's columns, checked to be a tree: every node but the root is the child of
    exactly one node that comes before it, so every path ends at a leaf (feature -1)."""
    feature = tuple(_index(f) for f in tree["feature"])
    threshold = tuple(_number(t) for t in tree["threshold"])
    left, right = tuple(_index(i) for i in tree["left"]), tuple(_index(i) for i in tree["right"])
    value = tuple(_number(v) for v in tree["value"])
    size = len(feature)
    if not size or any(len(col) != size for col in (threshold, left, right, value)):
        raise ValueError("a tree has columns of different lengths")
    depth, parent = [0] * size, [None] * size
    for i, f in enumerate(feature):
        if not -1 <= f < n_features:
            raise ValueError(f"node {i} reads feature {f} of {n_features}")
        if f < 0:
            continue
        for child in (left[i], right[i]):
            if not i < child < size or parent[child] is not None:
                raise ValueError(f"node {i} has a child ({child}) that is not its own")
            parent[child], depth[child] = i, depth[i] + 1
            if depth[child] > MAX_DEPTH:
                raise ValueError(f"a tree is deeper than {MAX_DEPTH}")
    if any(p is None for p in parent[1:]):
        raise ValueError("a tree has nodes no path reaches")
    return feature, threshold, left, right, value


def _expression(tree, i: int = 0) -> str:
    """One tree as a nested conditional expression over the features ``f0``, ``f1``, ..."""
    feature, threshold, left, right, value = tree
    if feature[i] < 0:
        return repr(value[i])
    return (f"({_expression(tree, left[i])} if f{feature[i]} <= {threshold[i]!r} "
            f"else {_expression(tree, right[i])})")


def _compile(bias: float, trees, n_features: int) -> Callable[[Sequence[float]], float]:
    """The ensemble as one function ``x -> log-odds``: unpack ``x`` into locals (faster to
    read than ``x[i]``; a vector of the wrong length fails), then ``bias`` plus each tree,
    in order, in one expression (the sum, left to right, that the training script's
    ``_log_odds`` makes). Its source holds only finite float literals and feature numbers,
    checked by :func:`_tree`."""
    lines = [f"    ({''.join(f'f{j}, ' for j in range(n_features))}) = x", f"    z = {bias!r}"]
    lines += [f"    z = z{''.join(f' + {_expression(tree)}' for tree in trees[k:k + _TREES_A_LINE])}"
              for k in range(0, len(trees), _TREES_A_LINE)]
    namespace: dict = {}
    exec(compile("def log_odds(x):\n" + "\n".join(lines) + "\n    return z\n", "<detector trees>", "exec"),
         namespace)
    return namespace["log_odds"]


# Trees summed in one expression (a line of the compiled function); the sum and its order are
# the same as one ``z +=`` a tree, with fewer stores and loads of ``z``.
_TREES_A_LINE = 50


def _stage(data: dict, names: Sequence[str]) -> Trees:
    kind = data.get("kind")
    if kind != "trees":
        raise ValueError(f"detector weights: unknown stage kind {kind!r} (retrain: bench/train_detector.py)")
    return Trees.from_dict(data, names)


@dataclass(frozen=True)
class Model:
    """Stage 1 (block features) then stage 2 (context of stage-1 scores)."""

    stage1: Trees
    stage2: Trees
    threshold: float = THRESHOLD

    @classmethod
    def from_dict(cls, data: dict) -> "Model":
        """The model of a weights file's JSON; ``ValueError`` names what is wrong with it."""
        threshold = data.get("threshold", THRESHOLD)
        try:
            threshold = _number(threshold)
        except ValueError:
            threshold = math.nan
        if not 0 < threshold < 1:  # NaN or 5 kept almost nothing, silently
            raise ValueError(f"detector weights: threshold {data.get('threshold')!r} is not a number between 0 and 1")
        return cls(_stage(data["stage1"], features.LOCAL_NAMES),
                   _stage(data["stage2"], STAGE2_NAMES),
                   threshold)

    def scores(self, page: features.Page, x1: Sequence[Sequence[float]]) -> List[float]:
        """The body probability of every block: stage 2 over stage 1's scores, near misses
        between confident body raised (see :func:`context.keep_sandwiched`)."""
        first = [self.stage1.prob(x) for x in x1]
        second = [self.stage2.prob(c + x) for c, x in zip(context.context_vectors(page, first), x1)]
        return context.keep_sandwiched(second, self.threshold)


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The shipped weights (read once)."""
    return Model.from_dict(json.loads(WEIGHTS_PATH.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def caseless_model() -> Model:
    """The shipped weights for pages without case (read once, when the first such page comes)."""
    return Model.from_dict(json.loads(CASELESS_WEIGHTS_PATH.read_text(encoding="utf-8")))


def shipped_model(reads_case: bool) -> Model:
    """The shipped model for a page: :func:`default_model` where case tells its lines apart
    (:func:`features.reads_case`), else :func:`caseless_model`."""
    return default_model() if reads_case else caseless_model()


@lru_cache(maxsize=8)
def load_model(path: str) -> Model:
    """Weights written by ``bench/train_detector.py`` (``--out``, ``--save-folds``), read once
    per process; ``ValueError`` names the file and what is wrong with it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return Model.from_dict(data)
    except OSError as exc:
        raise ValueError(f"detector weights {path}: cannot read ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"detector weights {path}: not JSON (line {exc.lineno}: {exc.msg})") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"detector weights {path}: {exc}") from None
