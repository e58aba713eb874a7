"""The two logistic stages, evaluated in pure Python from ``weights.json``.

The JSON is written by ``bench/train_detector.py``; each stage stores its
feature names so a weights file that does not match the code fails loudly.
"""
from __future__ import annotations

import json
import math
import operator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Sequence, Tuple

from . import context, features

THRESHOLD = 0.5
WEIGHTS_PATH = Path(__file__).with_name("weights.json")


@dataclass(frozen=True)
class Linear:
    """A logistic regression: ``sigmoid(coef . x + bias)``."""

    coef: Tuple[float, ...]
    bias: float

    def prob(self, x: Sequence[float]) -> float:
        z = self.bias + sum(map(operator.mul, self.coef, x))
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def from_dict(cls, data: dict, names: Sequence[str]) -> "Linear":
        if list(data.get("names", names)) != list(names) or len(data["coef"]) != len(names):
            raise ValueError("detector weights do not match the feature list; retrain")
        return cls(tuple(float(c) for c in data["coef"]), float(data["bias"]))


@dataclass(frozen=True)
class Model:
    """Stage 1 (block features) then stage 2 (context of stage-1 scores)."""

    stage1: Linear
    stage2: Linear
    threshold: float = THRESHOLD

    @classmethod
    def from_dict(cls, data: dict) -> "Model":
        return cls(Linear.from_dict(data["stage1"], features.LOCAL_NAMES),
                   Linear.from_dict(data["stage2"], context.CONTEXT_NAMES),
                   float(data.get("threshold", THRESHOLD)))

    def scores(self, page: features.Page, x1: Sequence[Sequence[float]]) -> Tuple[List[float], List[float]]:
        """(stage-1, stage-2) body probabilities of every block."""
        first = [self.stage1.prob(x) for x in x1]
        second = [self.stage2.prob(x) for x in context.context_vectors(page, first)]
        return first, second

    def keep(self, page: features.Page, x1: Sequence[Sequence[float]]) -> List[bool]:
        return [p >= self.threshold for p in self.scores(page, x1)[1]]


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The shipped weights (read once)."""
    return Model.from_dict(json.loads(WEIGHTS_PATH.read_text(encoding="utf-8")))
