"""The two stages, evaluated in pure Python from ``weights.json``.

Each stage is a logistic additive model: a linear term per feature plus a
piecewise-constant term (a weight per quantile bin of the feature), so it can
bend where a straight line cannot ("3-8 words is worse than 1 or 30"). The
bins are looked up with ``bisect``; the sums run at C speed through ``map``.

The JSON is written by ``bench/train_detector.py``; each stage stores its
feature names so a weights file that does not match the code fails loudly.
"""
from __future__ import annotations

import json
import math
import operator
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Sequence, Tuple

from . import context, features

THRESHOLD = 0.5
WEIGHTS_PATH = Path(__file__).with_name("weights.json")
# Stage 2 reads the context of stage-1 scores, then the block's own features again.
STAGE2_NAMES = tuple(context.CONTEXT_NAMES) + tuple(features.LOCAL_NAMES)


@dataclass(frozen=True)
class Additive:
    """``sigmoid(bias + sum_j coef_j * x_j + table_j[bin of x_j])``."""

    coef: Tuple[float, ...]
    bias: float
    edges: Tuple[Tuple[float, ...], ...]
    tables: Tuple[Tuple[float, ...], ...]

    def prob(self, x: Sequence[float]) -> float:
        z = self.bias + sum(map(operator.mul, self.coef, x))
        z += sum(map(operator.getitem, self.tables, map(bisect_right, self.edges, x)))
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def from_dict(cls, data: dict, names: Sequence[str]) -> "Additive":
        n = len(names)
        if list(data.get("names", names)) != list(names) or len(data["coef"]) != n:
            raise ValueError("detector weights do not match the feature list; retrain")
        edges = tuple(tuple(map(float, e)) for e in data.get("edges", [[]] * n))
        tables = tuple(tuple(map(float, t)) for t in data.get("tables", [[0.0]] * n))
        if len(edges) != n or any(len(t) != len(e) + 1 for e, t in zip(edges, tables)):
            raise ValueError("detector weights: bin tables do not match their edges")
        return cls(tuple(float(c) for c in data["coef"]), float(data["bias"]), edges, tables)


@dataclass(frozen=True)
class Model:
    """Stage 1 (block features) then stage 2 (context of stage-1 scores)."""

    stage1: Additive
    stage2: Additive
    threshold: float = THRESHOLD

    @classmethod
    def from_dict(cls, data: dict) -> "Model":
        return cls(Additive.from_dict(data["stage1"], features.LOCAL_NAMES),
                   Additive.from_dict(data["stage2"], STAGE2_NAMES),
                   float(data.get("threshold", THRESHOLD)))

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
