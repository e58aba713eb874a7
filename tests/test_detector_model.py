"""The detector's boosted-tree stage: the compiled function is the trees, and bad weights fail loudly."""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.detector import model
from cleaner.detector.model import WEIGHTS_PATH, load_model

NAMES = ["a", "b", "c"]


def _walk(tree: dict, x) -> float:
    """The plain reading of one tree: from the root, left while x[feature] <= threshold."""
    i = 0
    while tree["feature"][i] >= 0:
        i = tree["left"][i] if x[tree["feature"][i]] <= tree["threshold"][i] else tree["right"][i]
    return tree["value"][i]


@st.composite
def trees(draw, depth: int = 4) -> dict:
    """A random tree in the weights' node order (a node's children come after it)."""
    feature, threshold, left, right, value = [], [], [], [], []

    def node(level: int) -> int:
        i = len(feature)
        feature.append(-1), threshold.append(0.0), left.append(0), right.append(0)
        value.append(draw(st.floats(-3, 3, allow_nan=False)))
        if level < depth and draw(st.booleans()):
            feature[i] = draw(st.integers(0, len(NAMES) - 1))
            threshold[i] = draw(st.floats(-2, 2, allow_nan=False))
            value[i] = 0.0
            left[i] = node(level + 1)
            right[i] = node(level + 1)
        return i

    node(0)
    return {"feature": feature, "threshold": threshold, "left": left, "right": right, "value": value}


@settings(max_examples=60, deadline=None)
@given(st.lists(trees(), min_size=1, max_size=5), st.floats(-1, 1),
       st.lists(st.lists(st.floats(-3, 3, allow_nan=False), min_size=3, max_size=3), min_size=1, max_size=8))
def test_compiled_trees_give_the_sum_of_their_leaves(forest, bias, rows):
    stage = model.Trees.from_dict({"kind": "trees", "names": NAMES, "bias": bias, "trees": forest}, NAMES)
    for x in rows:
        z = bias + sum(_walk(t, x) for t in forest)
        assert stage.log_odds(x) == pytest.approx(z, abs=1e-9)
        assert stage.prob(x) == pytest.approx(1 / (1 + math.exp(-z)) if z >= -30 else 0.0)


def _stump(**change) -> dict:
    tree = {"feature": [0, -1, -1], "threshold": [0.5, 0.0, 0.0], "left": [1, 0, 0], "right": [2, 0, 0],
            "value": [0.0, -1.0, 1.0]}
    tree.update(change)
    return {"kind": "trees", "names": NAMES, "bias": 0.0, "trees": [tree]}


def test_a_stump_splits_at_its_threshold():
    stage = model.Trees.from_dict(_stump(), NAMES)
    assert stage.log_odds([0.5, 9, 9]) == -1.0 and stage.log_odds([0.51, 9, 9]) == 1.0


@pytest.mark.parametrize("change", [
    {"left": [0, 0, 0]},            # a child that points back at its parent: a loop
    {"right": [3, 0, 0]},           # a child past the end
    {"right": [1, 0, 0]},           # both branches share one child
    {"feature": [3, -1, -1]},       # a feature the stage does not have
    {"feature": [0.0, -1, -1]},     # an index that is not an integer
    {"value": [0.0, 1.0]},          # columns of different lengths
    {"threshold": [math.nan, 0.0, 0.0]},   # repr(nan) is not a literal the compiled source could hold
    {"value": [0.0, -math.inf, 1.0]},
    {"left": "abc"},
    {"feature": [-1, -1, -1]},      # a root leaf, and two nodes no path reaches
])
def test_malformed_trees_are_refused(change):
    with pytest.raises(ValueError, match="tree 0"):
        model.Trees.from_dict(_stump(**change), NAMES)


def _chain(depth: int) -> dict:
    """A tree that goes right ``depth`` times: node 2k splits, 2k+1 and 2k+2 are its children."""
    feature, left, right = [], [], []
    for k in range(depth):
        feature.append(0), left.append(2 * k + 1), right.append(2 * k + 2)
        feature.append(-1), left.append(0), right.append(0)
    feature.append(-1), left.append(0), right.append(0)
    size = len(feature)
    return {"feature": feature, "threshold": [0.0] * size, "left": left, "right": right, "value": [1.0] * size}


def test_a_tree_deeper_than_the_limit_is_refused_and_one_at_it_compiles():
    tree = _chain(model.MAX_DEPTH)
    stage = model.Trees.from_dict({"kind": "trees", "names": NAMES, "bias": 0.0, "trees": [tree]}, NAMES)
    assert stage.log_odds([1.0, 0, 0]) == 1.0
    with pytest.raises(ValueError, match="deeper"):
        model.Trees.from_dict({"kind": "trees", "names": NAMES, "bias": 0.0,
                               "trees": [_chain(model.MAX_DEPTH + 1)]}, NAMES)


def test_a_bias_that_is_not_finite_is_refused():
    with pytest.raises(ValueError, match="bias"):
        model.Trees.from_dict(dict(_stump(), bias=math.inf), NAMES)


def test_the_training_export_is_sklearns_model_and_the_runtime_reads_it_bit_for_bit():
    """bench/train_detector.py turns a scikit-learn fit into the weights' lists: ``_fit_trees``
    asserts the export agrees with sklearn's decision_function (it failed when thresholds were
    rounded), and the runtime adds up the same log-odds as the script's own numpy reading."""
    np = pytest.importorskip("numpy")
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import train_detector

    rng = np.random.default_rng(0)
    x = np.column_stack([rng.integers(0, 4, 3000) / 3, rng.normal(size=3000) * 100, rng.random(3000)])
    y = ((x[:, 0] == 1 / 3) ^ (x[:, 1] > 0)).astype(int)
    fit = dict(train_detector.TREES, max_iter=20)
    original = train_detector.TREES
    try:
        train_detector.TREES = fit
        weights = train_detector._fit_trees(x, y, np.ones(len(y)))
    finally:
        train_detector.TREES = original
    stage = model.Trees.from_dict(dict(weights, names=NAMES), NAMES)
    runtime = np.array([stage.log_odds(row) for row in x.tolist()])
    assert (runtime == train_detector._log_odds(weights, x)).all()
    assert ((runtime > 0) == y.astype(bool)).mean() > 0.95


def test_a_stage_of_unknown_kind_or_other_features_is_refused():
    with pytest.raises(ValueError, match="unknown stage kind"):
        model.Model.from_dict({"stage1": dict(_stump(), kind="forest"), "stage2": _stump()})
    with pytest.raises(ValueError, match="feature list"):
        model.Trees.from_dict(_stump(), ["a", "b"])


def test_the_shipped_weights_are_trees_over_the_current_features_and_pickle():
    import pickle
    shipped = model.default_model()
    assert shipped.stage1.n_features == len(model.features.LOCAL_NAMES)
    assert shipped.stage2.n_features == len(model.STAGE2_NAMES)
    assert len(shipped.stage1.trees) > 1 and len(shipped.stage2.trees) > 1
    again = pickle.loads(pickle.dumps(shipped))     # e.g. passed as model= to another process
    x = [0.5] * len(model.STAGE2_NAMES)
    assert again == shipped and again.stage2.log_odds(x) == shipped.stage2.log_odds(x)


def _weights_file(tmp_path: Path, stage2_bias: float) -> Path:
    """The shipped stage 1 and a stage 2 of no trees: every block scores sigmoid(bias)."""
    import json
    shipped = json.loads(model.WEIGHTS_PATH.read_text(encoding="utf-8"))
    shipped["stage2"] = {"kind": "trees", "names": list(model.STAGE2_NAMES), "bias": stage2_bias, "trees": []}
    path = tmp_path / f"weights{stage2_bias:+g}.json"
    path.write_text(json.dumps(shipped), encoding="utf-8")
    return path


BODY = ["The council approved the new budget on Monday after a long and heated debate.",
        "Spending on schools and roads will rise by a tenth next year, the mayor told reporters.",
        "Opposition members said the plan would raise taxes for families in the poorer districts."]


# A share line under the paragraphs: on a page of prose blocks only the detector
# keeps them all, whatever the weights say.
PAGE = "\n".join(BODY + ["Share this article"])


def test_weights_of_your_own_replace_the_shipped_ones(tmp_path):
    import cleaner
    text = PAGE
    shipped = cleaner.clean_document(text, language=False, builtin_rules=False)
    assert [b.text for b in shipped.blocks] == BODY
    nothing_is_body = cleaner.clean_document(text, language=False, builtin_rules=False,
                                             detector_weights=_weights_file(tmp_path, -40.0))
    # no block reaches the threshold: only the best-scoring sentence stays
    assert len(nothing_is_body.blocks) == 1
    assert {(r.rule, r.score) for r in nothing_is_body.removals} == {("body-detector", 0.0)}


def test_weights_that_cannot_be_read_fail_before_any_page_and_name_the_file(tmp_path):
    import cleaner
    broken = tmp_path / "broken.json"
    broken.write_text('{"stage1": ', encoding="utf-8")
    other = tmp_path / "other.json"
    other.write_text('{"stage1": {"kind": "trees", "names": ["a"], "bias": 0, "trees": []}, "stage2": {}}',
                     encoding="utf-8")
    for path, why in [(tmp_path / "missing.json", "cannot read"), (broken, "not JSON"), (other, "feature list")]:
        for option in ("detector_weights", "detector_weights_caseless"):
            with pytest.raises(ValueError, match=f"{path.name}.*{why}"):
                cleaner.Options.from_kwargs(**{option: path})
        with pytest.raises(ValueError, match=why):
            cleaner.clean_batch([{"text": "\n".join(BODY)}], detector_weights=str(path))


@pytest.mark.parametrize("threshold", [float("nan"), float("inf"), 5, -1, 0, True, "0.5", 10 ** 400])
def test_a_weights_threshold_outside_0_1_fails_by_name(tmp_path, threshold):
    """NaN or 5 loaded without a word and kept one block of a page's 28."""
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    data["threshold"] = threshold
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # writes NaN/Infinity as Python's json does
    with pytest.raises(ValueError, match="mine.json.*threshold"):
        load_model(str(path))


def test_a_leaf_too_large_for_a_float_fails_by_name(tmp_path):
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    data["stage1"]["trees"][0]["value"][-1] = 10 ** 400
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="huge.json.*tree 0.*not a finite number"):
        load_model(str(path))


def test_a_relative_weights_path_is_kept_absolute_for_workers_in_other_directories(tmp_path, monkeypatch):
    import cleaner
    path = _weights_file(tmp_path, -40.0)
    monkeypatch.chdir(tmp_path)
    options = cleaner.Options.from_kwargs(detector_weights=path.name)
    assert options.detector_weights == str(path)
    assert cleaner.Options.from_kwargs(detector_weights_caseless=path.name).detector_weights_caseless == str(path)
    monkeypatch.chdir(tmp_path.parent)  # e.g. a Ray worker's own directory
    result = cleaner.clean_document(PAGE, language=False, builtin_rules=False,
                                    detector_weights=options.detector_weights)
    assert len(result.blocks) == 1


def test_a_stage_too_large_to_compile_fails_by_name(tmp_path):
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    tree = data["stage1"]["trees"][0]
    data["stage1"]["trees"] = [tree] * (model.MAX_NODES // len(tree["feature"]) + 1)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="big.json.*more than 150,000 nodes"):
        load_model(str(path))


def test_many_trees_add_up_in_order_bit_for_bit():
    """The compiled function sums the trees in several lines (``_TREES_A_LINE`` a line); the sum
    is the training script's, left to right, to the last bit."""
    import random
    rnd = random.Random(7)
    forest = [{"feature": [rnd.randrange(3), -1, -1], "threshold": [rnd.uniform(-1, 1), 0.0, 0.0],
               "left": [1, 0, 0], "right": [2, 0, 0], "value": [0.0, rnd.uniform(-1, 1), rnd.uniform(-1, 1) / 3]}
              for _ in range(2 * model._TREES_A_LINE + 7)]
    stage = model.Trees.from_dict({"kind": "trees", "names": NAMES, "bias": 0.1, "trees": forest}, NAMES)
    for _ in range(20):
        x = [rnd.uniform(-1, 1) for _ in NAMES]
        z = 0.1
        for t in forest:
            z += _walk(t, x)
        assert stage.log_odds(x) == z


def test_a_line_of_trees_at_the_depth_limit_compiles():
    stage = model.Trees.from_dict({"kind": "trees", "names": NAMES, "bias": 0.0,
                                   "trees": [_chain(model.MAX_DEPTH)] * (model._TREES_A_LINE + 1)}, NAMES)
    assert stage.log_odds([1.0, 0, 0]) == model._TREES_A_LINE + 1


def test_a_training_cache_of_the_other_reading_is_refused(tmp_path):
    """``--cache`` reused a pickle of pages read as written when training ``--caseless``
    (and the reverse): the detector for pages without case would have trained on case."""
    import pickle
    pytest.importorskip("numpy")
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import train_detector

    path = tmp_path / "pages.pickle"
    path.write_bytes(pickle.dumps({"caseless": False, "pages": ["as written"]}))
    assert train_detector._cached_pages(str(path), caseless=False) == ["as written"]
    with pytest.raises(SystemExit, match="not pages read in lower case"):
        train_detector._cached_pages(str(path), caseless=True)
    path.write_bytes(pickle.dumps(["a list, as older code wrote it"]))
    with pytest.raises(SystemExit, match="not pages read as written"):
        train_detector._cached_pages(str(path), caseless=False)
