"""The final estimator of a student, written as C statements.

:func:`emit_classifier` writes the statements that fill ``proba`` (one
probability per class) from the columns the preprocessing computed, and
:func:`emit_regressor` those that compute a regressor's outputs. Each model
is computed as its own ``predict_proba`` or ``predict`` computes it:

- linear models: ``z @ coef_.T + intercept_``, then the sigmoid (a binary
  ``LogisticRegression``: ``[1 - expit(s), expit(s)]``) or the softmax;
- scikit-learn trees and forests: the tree is walked as scikit-learn walks
  it, which casts ``X`` to ``float32`` before comparing it with the
  ``float64`` threshold; the table holds, for each threshold ``t``, the cut
  of a ``double`` that gives the same answer (:func:`float32_cut`), so C
  never converts to ``float``. A missing value follows
  ``missing_go_to_left``. Leaves hold the normalized class frequencies that
  ``predict_proba`` returns;
- LightGBM: the trees of ``booster_.dump_model()`` are walked as
  LightGBM's ``Tree::GetLeaf`` walks them (``tree.h``: missing types
  ``None``, ``Zero``, ``NaN``, default directions, categorical splits on
  bitsets), their leaf values summed in LightGBM's order, then the
  objective's transformation (sigmoid, softmax, exp, ...), or, for a
  :class:`~skdistill.SoftLGBMClassifier` fitted on soft targets, the raw
  scores plus ``init_score_``, then the softmax of its logits;
- :class:`~skdistill.LogitMatchingClassifier`: its regressor's outputs are
  the logits (``[0, s]`` for two classes), then the softmax.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.base import is_classifier
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import (
    ARDRegression,
    BayesianRidge,
    ElasticNet,
    ElasticNetCV,
    HuberRegressor,
    Lars,
    Lasso,
    LassoCV,
    LassoLars,
    LinearRegression,
    LogisticRegression,
    LogisticRegressionCV,
    QuantileRegressor,
    Ridge,
    RidgeCV,
    SGDRegressor,
    TheilSenRegressor,
)
from sklearn.multioutput import MultiOutputRegressor
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVR
from sklearn.tree import BaseDecisionTree

from ..students import LogitMatchingClassifier, SoftLogisticRegression
from ._c_steps import Column, emit_step, unsupported
from ._c_writer import CSource, c_double

__all__ = ["emit_classifier", "emit_regressor", "float32_cut"]

_LINEAR_REGRESSORS = (
    ARDRegression,
    BayesianRidge,
    ElasticNet,
    ElasticNetCV,
    HuberRegressor,
    Lars,
    Lasso,
    LassoCV,
    LassoLars,
    LinearRegression,
    LinearSVR,
    QuantileRegressor,
    Ridge,
    RidgeCV,
    SGDRegressor,
    TheilSenRegressor,
)
_FORESTS = (
    RandomForestClassifier,
    RandomForestRegressor,
    ExtraTreesClassifier,
    ExtraTreesRegressor,
)


def as_array(columns: Sequence[Column], source: CSource, comment: str) -> str:
    """The name of a C array holding ``columns`` in order (copied if needed)."""
    first = columns[0].expr if columns else ""
    array = first.split("[", 1)[0]
    if source.widths.get(array) == len(columns) and all(
        column.expr == f"{array}[{j}]" for j, column in enumerate(columns)
    ):
        return array
    buffer = source.buffer(len(columns), comment)
    for j, column in enumerate(columns):
        source.emit(f"{buffer}[{j}] = {column.expr};")
    return buffer


def _numeric_only(estimator: Any, columns: Sequence[Column], path: str) -> None:
    for column in columns:
        if column.categories is not None:
            raise unsupported(
                estimator,
                f"the model {path!r} receives the categorical column "
                f"{column.name!r}; in C only LightGBM takes categories directly",
            )


# -- probabilities ------------------------------------------------------------


def _softmax(source: CSource, scores: str, n_classes: int) -> None:
    """``proba = softmax(scores)``, as LightGBM's Common::Softmax computes it."""
    helper = source.helper(
        "softmax",
        """
/* proba = softmax(scores): exp(scores - max), divided by their sum. */
static void {name}_softmax(const double *scores, double *proba, int n)
{
    double max = scores[0];
    double sum = 0.0;
    int k;
    for (k = 1; k < n; ++k) {
        if (scores[k] > max) {
            max = scores[k];
        }
    }
    for (k = 0; k < n; ++k) {
        proba[k] = exp(scores[k] - max);
        sum += proba[k];
    }
    for (k = 0; k < n; ++k) {
        proba[k] /= sum;
    }
}
""",
    )
    source.emit(f"{helper}({scores}, proba, {n_classes});")


def _softmax_of_logits(source: CSource, scores: Sequence[str], n_classes: int) -> None:
    """Softmax of the logits of ``scores``: ``[0, s]`` for one score (binary)."""
    logits = ["0.0", scores[0]] if len(scores) == 1 else list(scores)
    if len(logits) != n_classes:
        raise ValueError(f"{len(logits)} logits for {n_classes} classes")
    buffer = source.buffer(n_classes, "logits")
    for k, logit in enumerate(logits):
        source.emit(f"{buffer}[{k}] = {logit};")
    _softmax(source, buffer, n_classes)


def _sigmoid_pair(source: CSource, score: str, scale: float = 1.0) -> None:
    """``proba = [1 - p, p]`` with ``p = 1 / (1 + exp(-scale * score))``."""
    factor = "" if scale == 1.0 else f"{c_double(scale)} * "
    source.emit(
        f"proba[1] = 1.0 / (1.0 + exp(-{factor}{score}));",
        "proba[0] = 1.0 - proba[1];",
    )


# -- linear models ------------------------------------------------------------


def _linear(
    estimator: Any, columns: Sequence[Column], source: CSource, path: str
) -> tuple[str, int]:
    """``z @ coef_.T + intercept_``: the array of the scores, and their number."""
    _numeric_only(estimator, columns, path)
    coef = np.atleast_2d(np.asarray(estimator.coef_, dtype=np.float64))
    n_outputs, n_inputs = coef.shape
    intercept = np.broadcast_to(
        np.asarray(estimator.intercept_, dtype=np.float64).ravel(), (n_outputs,)
    )
    if n_inputs != len(columns):
        raise unsupported(
            estimator,
            f"the model {path!r} has {n_inputs} coefficients per output but "
            f"receives {len(columns)} columns",
        )
    z = as_array(columns, source, f"input of {path!r}")
    helper = source.helper(
        "linear",
        """
/* out[k] = sum_j coef[k * n_in + j] * z[j] + intercept[k], for k < n_out. */
static void {name}_linear(const double *coef, const double *intercept,
                          int n_out, int n_in, const double *z, double *out)
{
    int k, j;
    for (k = 0; k < n_out; ++k) {
        double sum = 0.0;
        for (j = 0; j < n_in; ++j) {
            sum += coef[k * n_in + j] * z[j];
        }
        out[k] = sum + intercept[k];
    }
}
""",
    )
    coef_table = source.doubles(
        "coef", coef.ravel(), comment=f"{path}: coef_, {n_outputs} x {n_inputs}"
    )
    intercept_table = source.doubles(
        "intercept", intercept, comment=f"{path}: intercept_"
    )
    scores = source.buffer(n_outputs, f"scores of {path!r}")
    source.emit(
        f"{helper}({coef_table}, {intercept_table}, {n_outputs}, {n_inputs}, "
        f"{z}, {scores});"
    )
    return scores, n_outputs


def _items(array: str, width: int) -> list[str]:
    return [f"{array}[{k}]" for k in range(width)]


# -- scikit-learn trees -------------------------------------------------------


def float32_cut(threshold: float) -> tuple[float, bool]:
    """The cut of a ``double`` ``v`` equivalent to ``float32(v) <= threshold``.

    For every ``double`` ``v`` that is not NaN, ``float32(v) <= threshold``
    (the comparison scikit-learn's trees make, ``float32`` rounding to
    nearest, ties to even) holds exactly when ``v < cut`` if ``strict``, or
    ``v <= cut`` otherwise. ``cut`` is the midpoint between ``f``, the
    largest ``float32`` not above ``threshold``, and the next ``float32``:
    values below it round to ``f`` or less, values above it to more, and
    the midpoint itself to whichever of the two is even.

    Parameters
    ----------
    threshold : float

    Returns
    -------
    cut : float
    strict : bool
    """
    if threshold == np.inf:  # scikit-learn's split of the missing values
        return np.inf, False
    with np.errstate(over="ignore"):
        below = np.float32(threshold)
    if float(below) > threshold:
        below = np.nextafter(below, np.float32(-np.inf))
    if np.isinf(below):  # threshold below -FLT_MAX: only what rounds to -inf
        return -float(np.finfo(np.float32).max) - 2.0**103, False
    with np.errstate(over="ignore"):
        above = float(np.nextafter(below, np.float32(np.inf)))
    if np.isinf(above):  # below is FLT_MAX: the next step would be 2**128
        above = 2.0**128
    cut = (float(below) + above) / 2.0
    odd = bool(np.array(below, dtype=np.float32).view(np.uint32) & 1)
    return cut, odd


def _node_type(source: CSource) -> str:
    return source.helper(
        "node",
        """
/* A node of a decision tree. A split tests z[feature]; a leaf has
   feature = -1 and its row of values in left. */
typedef struct {
    int feature;      /* the column tested, or -1 for a leaf */
    int left;         /* the node where the test holds (a leaf: its row) */
    int right;        /* the node where it does not */
    int flags;        /* how the test is done: see the walking function */
    double threshold; /* what the column is compared with */
} {name}_node;
""",
    )


def _node(feature: int, left: int, right: int, flags: int, threshold: float) -> str:
    return f"{{{feature}, {left}, {right}, {flags}, {c_double(threshold)}}}"


def _sklearn_leaf(source: CSource) -> str:
    _node_type(source)
    return source.helper(
        "sklearn_leaf",
        """
/* The row of the leaf that z reaches in the scikit-learn tree rooted at
   nodes[i]. scikit-learn compares float32(z[f]) <= t; the table holds the
   cut of a double that gives the same answer: z[f] < threshold when
   flags & 1, else z[f] <= threshold. A missing value (NAN) goes left when
   flags & 2 (missing_go_to_left). */
static int {name}_sklearn_leaf(const {name}_node *nodes, int i, const double *z)
{
    while (nodes[i].feature >= 0) {
        const {name}_node *node = &nodes[i];
        double value = z[node->feature];
        int left;
        if (isnan(value)) {
            left = node->flags & 2;
        } else if (node->flags & 1) {
            left = value < node->threshold;
        } else {
            left = value <= node->threshold;
        }
        i = left ? node->left : node->right;
    }
    return nodes[i].left;
}
""",
    )


def _sklearn_tables(
    trees: Sequence[Any], values: Sequence[np.ndarray], source: CSource, path: str
) -> tuple[str, str, str]:
    """Nodes, roots and leaf values of scikit-learn ``tree_`` objects."""
    nodes: list[str] = []
    roots: list[str] = []
    rows: list[float] = []
    for tree, leaf_values in zip(trees, values, strict=True):
        offset = len(nodes)
        roots.append(str(offset))
        missing_left = getattr(tree, "missing_go_to_left", None)
        for i in range(tree.node_count):
            left, right = int(tree.children_left[i]), int(tree.children_right[i])
            if left < 0:  # a leaf
                row = len(rows) // leaf_values.shape[1]
                rows.extend(leaf_values[i])
                nodes.append(_node(-1, row, -1, 0, 0.0))
                continue
            cut, strict = float32_cut(float(tree.threshold[i]))
            flags = int(strict) | (
                2 if missing_left is not None and missing_left[i] else 0
            )
            nodes.append(
                _node(int(tree.feature[i]), offset + left, offset + right, flags, cut)
            )
    node_type = _node_type(source)
    node_table = source.table(
        "nodes",
        node_type,
        nodes,
        comment=f"{path}: {{feature, left, right, flags, cut}}",
    )
    root_table = (
        source.table("roots", "int", roots, comment=f"{path}: the trees' roots")
        if len(roots) > 1
        else ""
    )
    value_table = source.doubles("leaves", rows, comment=f"{path}: the leaves' values")
    return node_table, root_table, value_table


def _tree_values(tree: Any, classifier: bool) -> np.ndarray:
    """Each node's outputs, as ``predict_proba`` or ``predict`` gives them."""
    if classifier:
        proba = np.array(tree.value[:, 0, :], dtype=np.float64)
        normalizer = proba.sum(axis=1)[:, np.newaxis]
        normalizer[normalizer == 0.0] = 1.0
        return proba / normalizer
    return np.array(tree.value[:, :, 0], dtype=np.float64)


def _sklearn_trees(
    estimator: Any,
    columns: Sequence[Column],
    source: CSource,
    path: str,
    target: str,
    classifier: bool,
) -> int:
    """Write the mean of a tree's or forest's leaves into ``target``; its width."""
    _numeric_only(estimator, columns, path)
    trees = estimator.estimators_ if isinstance(estimator, _FORESTS) else [estimator]
    if classifier and estimator.n_outputs_ != 1:
        raise unsupported(
            estimator, f"the classifier {path!r} has several outputs (n_outputs_ > 1)"
        )
    values = [_tree_values(tree.tree_, classifier) for tree in trees]
    width = values[0].shape[1]
    z = as_array(columns, source, f"input of {path!r}")
    walk = _sklearn_leaf(source)
    nodes, roots, leaves = _sklearn_tables(
        [tree.tree_ for tree in trees], values, source, path
    )
    if not isinstance(estimator, _FORESTS):
        source.emit(
            f"int row = {walk}({nodes}, 0, {z});",
            f"for (int k = 0; k < {width}; ++k) {{",
            f"    {target}[k] = {leaves}[row * {width} + k];",
            "}",
        )
        return width
    # RandomForest*: a sum over the trees in order, then / n_estimators.
    source.emit(
        f"for (int k = 0; k < {width}; ++k) {{",
        f"    {target}[k] = 0.0;",
        "}",
        f"for (int tree = 0; tree < {len(trees)}; ++tree) {{",
        f"    int row = {walk}({nodes}, {roots}[tree], {z});",
        f"    for (int k = 0; k < {width}; ++k) {{",
        f"        {target}[k] += {leaves}[row * {width} + k];",
        "    }",
        "}",
        f"for (int k = 0; k < {width}; ++k) {{",
        f"    {target}[k] /= {len(trees)}.0;",
        "}",
    )
    return width


# -- LightGBM -----------------------------------------------------------------

# LightGBM's Tree: decision_type bits (kCategoricalMask, kDefaultLeftMask)
# and the missing types in bits 2-3.
_CATEGORICAL, _DEFAULT_LEFT = 1, 2
_MISSING_TYPES = {"None": 0, "Zero": 1, "NaN": 2}
_IDENTITY_OBJECTIVES = frozenset(
    {"regression", "regression_l1", "huber", "fair", "quantile", "mape", "custom"}
)
_EXP_OBJECTIVES = frozenset({"poisson", "gamma", "tweedie"})


_LIGHTGBM_NUMERICAL = """
            if (isnan(value) && missing != 2) {
                value = 0.0;
            }
            if ((missing == 1 && value >= -zero && value <= zero)
                || (missing == 2 && isnan(value))) {
                left = node->flags & 2;
            } else {
                left = value <= node->threshold;
            }"""

_LIGHTGBM_CATEGORICAL = """
            long code = -1; /* NAN and negative codes go right */
            left = 0;
            if (value > -1.0 && value < 2147483648.0) {
                code = (long)value;
            }
            if (code >= 0) {
                int start = bounds[(int)node->threshold];
                long words = bounds[(int)node->threshold + 1] - start;
                left = code / 32 < words
                       && ((bits[start + code / 32] >> (code % 32)) & 1UL);
            }"""


def _lightgbm_leaf(source: CSource, categorical: bool) -> str:
    _node_type(source)
    key = "lightgbm_leaf_categorical" if categorical else "lightgbm_leaf"
    if categorical:
        arguments = ",\n    const unsigned long *bits, const int *bounds"
        decision = (
            "if (node->flags & 1) { /* CategoricalDecision */"
            + _LIGHTGBM_CATEGORICAL
            + "\n        } else { /* NumericalDecision */"
            + _LIGHTGBM_NUMERICAL
            + "\n        }"
        )
    else:
        arguments = ""
        decision = "{ /* NumericalDecision */" + _LIGHTGBM_NUMERICAL + "\n        }"
    zero = c_double(np.float32(1e-35))
    return source.helper(
        key,
        """
/* The row of the leaf that z reaches in the LightGBM tree rooted at
   nodes[i], as LightGBM's Tree::GetLeaf finds it (tree.h, NumericalDecision
   and CategoricalDecision). flags is LightGBM's decision_type: 1 a
   categorical split (on the integer part of the value; NAN, negative and
   unlisted codes go right), 2 missing values go left, (flags >> 2) & 3 the
   missing type of a numerical split (0 None: NAN counts as 0; 1 Zero: 0 is
   missing; 2 NaN: NAN is missing). Like LightGBM, |value| <= kZeroThreshold
   (1e-35f) reads as 0. */
static int {name}_KEY(const {name}_node *nodes, int i, const double *zARGUMENTS)
{
    const double zero = ZERO; /* kZeroThreshold */
    while (nodes[i].feature >= 0) {
        const {name}_node *node = &nodes[i];
        double value = z[node->feature];
        int missing = (node->flags >> 2) & 3;
        int left;
        if (fabs(value) <= zero) {
            value = 0.0;
        }
        DECISION
        i = left ? node->left : node->right;
    }
    return nodes[i].left;
}
""".replace("KEY", key)
        .replace("ARGUMENTS", arguments)
        .replace("ZERO", zero)
        .replace("DECISION", decision),
    )


class _LightGBMTables:
    """The nodes, leaf values and category bitsets of a LightGBM dump."""

    def __init__(self, estimator: Any, path: str) -> None:
        self.estimator, self.path = estimator, path
        self.nodes: list[str] = []
        self.roots: list[str] = []
        self.leaves: list[float] = []
        self.bits: list[str] = []
        self.bounds: list[int] = [0]

    def add_tree(self, structure: dict[str, Any]) -> None:
        self.roots.append(str(len(self.nodes)))
        self._add(structure)

    def _add(self, node: dict[str, Any]) -> int:
        index = len(self.nodes)
        if "leaf_value" in node:
            if "leaf_const" in node or "leaf_coeff" in node:
                raise unsupported(
                    self.estimator,
                    f"the LightGBM model {self.path!r} has linear trees "
                    "(linear_tree=True), which the C export does not support",
                )
            self.nodes.append(_node(-1, len(self.leaves), -1, 0, 0.0))
            self.leaves.append(float(node["leaf_value"]))
            return index
        self.nodes.append("")  # filled in once the children have their places
        flags = _MISSING_TYPES[node["missing_type"]] << 2
        if node["default_left"]:
            flags |= _DEFAULT_LEFT
        if node["decision_type"] == "==":
            flags |= _CATEGORICAL
            threshold = float(len(self.bounds) - 1)
            self._add_bitset([int(c) for c in str(node["threshold"]).split("||")])
        elif node["decision_type"] == "<=":
            threshold = float(node["threshold"])
        else:
            raise unsupported(
                self.estimator,
                f"the LightGBM model {self.path!r} has a split of type "
                f"{node['decision_type']!r}",
            )
        left = self._add(node["left_child"])
        right = self._add(node["right_child"])
        self.nodes[index] = _node(
            int(node["split_feature"]), left, right, flags, threshold
        )
        return index

    def _add_bitset(self, categories: list[int]) -> None:
        words = [0] * (max(categories) // 32 + 1)
        for category in categories:
            words[category // 32] |= 1 << (category % 32)
        self.bits.extend(f"{word}UL" for word in words)
        self.bounds.append(self.bounds[-1] + len(words))


def _lightgbm_input(
    estimator: Any, dump: dict[str, Any], columns: Sequence[Column], source: CSource
) -> str:
    """The array LightGBM reads: categories recoded as its pandas codes if needed."""
    path = "LightGBM"
    if len(dump["feature_names"]) != len(columns):
        raise unsupported(
            estimator,
            f"the LightGBM model has {len(dump['feature_names'])} features but "
            f"receives {len(columns)} columns",
        )
    recorded = estimator.booster_.pandas_categorical or []
    categorical = [
        j for j, column in enumerate(columns) if column.categories is not None
    ]
    if not categorical:
        return as_array(columns, source, f"input of {path}")
    if len(categorical) != len(recorded):
        raise unsupported(
            estimator,
            f"the LightGBM model records {len(recorded)} pandas categorical "
            f"columns but receives {len(categorical)} categorical columns",
        )
    result = list(columns)
    for j, labels in zip(categorical, recorded, strict=True):
        column = columns[j]
        if [str(c) for c in column.categories] == [str(label) for label in labels]:
            continue
        # pandas' set_categories: a category LightGBM did not see is missing.
        position = {str(label): i for i, label in enumerate(labels)}
        codes = source.doubles(
            "lightgbm_codes",
            (position.get(str(c), np.nan) for c in column.categories),
            comment=f"LightGBM's code of each category of {column.name!r}",
        )
        recoded = source.buffer(1, f"{column.name!r} as LightGBM codes it")
        source.emit(
            f"{recoded}[0] = isnan({column.expr}) ? NAN : {codes}[(int){column.expr}];"
        )
        result[j] = Column(f"{recoded}[0]", column.name)
    return as_array(result, source, f"input of {path}")


def _lightgbm_scores(
    estimator: Any, columns: Sequence[Column], source: CSource, path: str
) -> tuple[str, int, str]:
    """The raw scores of a LightGBM model: (array, width, objective)."""
    dump = estimator.booster_.dump_model()
    z = _lightgbm_input(estimator, dump, columns, source)
    tables = _LightGBMTables(estimator, path)
    for tree in dump["tree_info"]:
        tables.add_tree(tree["tree_structure"])
    width = int(dump["num_tree_per_iteration"])
    categorical = len(tables.bounds) > 1
    walk = _lightgbm_leaf(source, categorical)
    node_type = _node_type(source)
    nodes = source.table(
        "nodes",
        node_type,
        tables.nodes,
        comment=f"{path}: {{feature, left, right, decision_type, threshold}}",
    )
    roots = source.table(
        "roots", "int", tables.roots, comment=f"{path}: the trees' roots"
    )
    leaves = source.doubles("leaves", tables.leaves, comment=f"{path}: leaf values")
    extra = ""
    if categorical:
        bits = source.table(
            "category_bits",
            "unsigned long",
            tables.bits,
            comment=f"{path}: the categories going left, 32 per word",
        )
        bounds = source.table(
            "category_bounds",
            "int",
            (str(b) for b in tables.bounds),
            comment=f"{path}: where each split's words start in the bits",
        )
        extra = f", {bits}, {bounds}"
    scores = source.buffer(width, f"raw scores of {path!r}")
    n_trees = len(tables.roots)
    # GBDT::PredictRaw: tree t adds to score t % width, in order.
    source.emit(
        f"for (int k = 0; k < {width}; ++k) {{",
        f"    {scores}[k] = 0.0;",
        "}",
        f"for (int tree = 0; tree < {n_trees}; ++tree) {{",
        f"    int row = {walk}({nodes}, {roots}[tree], {z}{extra});",
        f"    {scores}[tree % {width}] += {leaves}[row];",
        "}",
    )
    if dump.get("average_output") and n_trees:
        source.emit(
            f"for (int k = 0; k < {width}; ++k) {{",
            f"    {scores}[k] /= {n_trees // width}.0;",
            "}",
        )
    return scores, width, str(dump.get("objective", "custom"))


def _objective(objective: str) -> tuple[str, dict[str, str]]:
    """A LightGBM objective string: its name and its ``key:value`` options."""
    name, *options = objective.split()
    return name, dict(option.split(":", 1) for option in options if ":" in option)


def _lightgbm_classifier(
    estimator: Any, columns: Sequence[Column], source: CSource, path: str
) -> None:
    n_classes = len(estimator.classes_)
    scores, width, objective = _lightgbm_scores(estimator, columns, source, path)
    init_score = getattr(estimator, "init_score_", None)
    if init_score is not None:  # SoftLGBMClassifier after fit_soft_targets
        init = np.broadcast_to(
            np.asarray(init_score, dtype=np.float64).ravel(), (width,)
        )
        for k in range(width):
            source.emit(f"{scores}[{k}] += {c_double(init[k])};")
        _softmax_of_logits(source, _items(scores, width), n_classes)
        return
    name, options = _objective(objective)
    sigmoid = float(options.get("sigmoid", 1.0))
    if name in ("binary", "cross_entropy", "xentropy") and width == 1:
        _sigmoid_pair(source, f"{scores}[0]", sigmoid if name == "binary" else 1.0)
    elif name in ("multiclass", "softmax") and width == n_classes:
        _softmax(source, scores, n_classes)
    elif (
        name in ("multiclassova", "multiclass_ova", "ova", "ovr") and width == n_classes
    ):
        source.emit(
            f"for (int k = 0; k < {n_classes}; ++k) {{",
            f"    proba[k] = 1.0 / (1.0 + exp(-{c_double(sigmoid)} * {scores}[k]));",
            "}",
        )
    else:
        raise unsupported(
            estimator,
            f"the LightGBM classifier {path!r} has the objective {objective!r}, "
            "whose probabilities the C export does not compute (a callable "
            "objective makes LightGBM return raw scores)",
        )


def _lightgbm_regressor(
    estimator: Any, columns: Sequence[Column], source: CSource, path: str
) -> list[str]:
    scores, width, objective = _lightgbm_scores(estimator, columns, source, path)
    name, _ = _objective(objective)
    value = f"{scores}[0]"
    if name in _EXP_OBJECTIVES:
        source.emit(f"{value} = exp({value});")
    elif name in ("cross_entropy", "xentropy"):
        source.emit(f"{value} = 1.0 / (1.0 + exp(-{value}));")
    elif name not in _IDENTITY_OBJECTIVES:
        raise unsupported(
            estimator,
            f"the LightGBM regressor {path!r} has the objective {objective!r}, "
            "which the C export does not support",
        )
    elif "sqrt" in objective.split():  # reg_sqrt: sign(s) * s * s
        sign = f"({value} > 0.0 ? 1.0 : ({value} < 0.0 ? -1.0 : 0.0))"
        source.emit(f"{value} = {sign} * {value} * {value};")
    return _items(scores, width)


# -- dispatch -----------------------------------------------------------------


def emit_regressor(
    estimator: Any, columns: list[Column], source: CSource, path: str
) -> list[str]:
    """Write a regressor; the C expressions of its outputs."""
    if isinstance(estimator, Pipeline):
        for name, step in estimator.steps[:-1]:
            if step is not None and not (
                isinstance(step, str) and step == "passthrough"
            ):
                columns = emit_step(step, columns, source, f"{path} > {name}")
        name, final = estimator.steps[-1]
        return emit_regressor(final, columns, source, f"{path} > {name}")
    if isinstance(estimator, MultiOutputRegressor):
        outputs = []
        for k, inner in enumerate(estimator.estimators_):
            outputs.extend(emit_regressor(inner, columns, source, f"{path}[{k}]"))
        return outputs
    if isinstance(estimator, _LINEAR_REGRESSORS):
        return _items(*_linear(estimator, columns, source, path))
    if is_classifier(estimator):
        raise unsupported(estimator, f"{path!r} is a classifier, not a regressor")
    if isinstance(
        estimator, (BaseDecisionTree, RandomForestRegressor, ExtraTreesRegressor)
    ):
        width = estimator.n_outputs_
        outputs = source.buffer(width, f"outputs of {path!r}")
        _sklearn_trees(estimator, columns, source, path, outputs, classifier=False)
        return [f"{outputs}[{k}]" for k in range(width)]
    if isinstance(estimator, LGBMRegressor):
        return _lightgbm_regressor(estimator, columns, source, path)
    raise unsupported(estimator)


def emit_classifier(
    estimator: Any, columns: list[Column], source: CSource, path: str
) -> np.ndarray:
    """Write a classifier's statements that fill ``proba``; its classes."""
    classes = np.asarray(estimator.classes_)
    n_classes = len(classes)
    if isinstance(estimator, (LogisticRegression, LogisticRegressionCV)):
        scores, _ = _linear(estimator, columns, source, path)
        if n_classes == 2:
            _sigmoid_pair(source, f"{scores}[0]")  # _predict_proba_lr: expit
        else:
            _softmax(source, scores, n_classes)
    elif isinstance(estimator, SoftLogisticRegression):
        scores, width = _linear(estimator, columns, source, path)
        _softmax_of_logits(source, _items(scores, width), n_classes)
    elif isinstance(estimator, LogitMatchingClassifier):
        scores = emit_regressor(
            estimator.regressor_, columns, source, f"{path} > regressor_"
        )
        _softmax_of_logits(source, scores, n_classes)
    elif isinstance(
        estimator, (BaseDecisionTree, RandomForestClassifier, ExtraTreesClassifier)
    ):
        _sklearn_trees(estimator, columns, source, path, "proba", classifier=True)
    elif isinstance(estimator, LGBMClassifier):
        _lightgbm_classifier(estimator, columns, source, path)
    else:
        raise unsupported(estimator)
    return classes
