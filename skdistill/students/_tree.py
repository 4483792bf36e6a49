"""Tree students: splits learned from the teacher, leaves from the blended targets.

A shallow tree fitted on hard labels spends its few splits on the noise of
single labels. Fitted on the teacher instead, it splits where the teacher's
outputs change; its leaves are then set to the blended targets of the
training rows that reach them, so that they keep the labels' share
(``alpha``) and the calibration of a soft-target fit. The result is the same
kind of tree the user passed (a :class:`~sklearn.tree.DecisionTreeClassifier`
stays one: it can be plotted, inspected and exported).

- Classification (the ``"logit_tree"`` strategy): the splits come from a
  regression tree with the student's structural parameters, fitted on the
  teacher's centered logits (one output per class; the log-odds for two
  classes), as in logit matching (Ba & Caruana, 2014); each node's class
  distribution is the weighted mean of the blended targets
  ``q = alpha * onehot(y) + (1 - alpha) * p_T`` of its rows.
- Regression: the splits come from the tree fitted on the teacher's
  predictions; each node's value is the weighted mean of the blended target
  ``alpha * y + (1 - alpha) * t`` of its rows. The structure does not depend
  on ``alpha``, so the student's error moves smoothly with it.

Only ``tree_`` of the fitted student is built here (scikit-learn's ``Tree``,
through its pickling state for a classifier); ``tests/students/test_tree.py``
fails loudly if that state changes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.pipeline import Pipeline
from sklearn.tree import (
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    ExtraTreeClassifier,
    ExtraTreeRegressor,
)
from sklearn.tree._tree import Tree

from .._fit_params import fit_with_sample_weight
from .._validation import final_estimator
from ..soft_targets import blend_targets
from ._logit_matching import target_logits

# Parameters that shape a tree (its criterion aside), shared by the
# classifier and regressor trees.
_STRUCTURE_PARAMS = (
    "splitter",
    "max_depth",
    "min_samples_split",
    "min_samples_leaf",
    "min_weight_fraction_leaf",
    "max_features",
    "random_state",
    "max_leaf_nodes",
    "min_impurity_decrease",
    "ccp_alpha",
    "monotonic_cst",
)


def is_tree_classifier(student: Any) -> bool:
    """Whether the student (or its Pipeline's final step) is a decision tree."""
    return isinstance(final_estimator(student), DecisionTreeClassifier)


def is_tree_regressor(student: Any) -> bool:
    """Whether the student (or its Pipeline's final step) is a squared-error tree.

    Only those: a node's value is then the mean of its rows' targets, which
    is what the teacher-split route sets (a median or Poisson tree's is not).
    """
    tree = final_estimator(student)
    return isinstance(tree, DecisionTreeRegressor) and tree.criterion in (
        "squared_error",
        "friedman_mse",
    )


def _fit_preprocessing(
    student: Any, X: Any, y: Any, sample_weight: Any, fit_params: dict[str, Any]
) -> Any:
    """Fit a Pipeline student's steps before its tree; return the tree's input."""
    if not isinstance(student, Pipeline) or len(student.steps) == 1:
        return X
    head = student[:-1]  # shares its step objects with the student
    fit_with_sample_weight(head, X, y, sample_weight, **fit_params)
    return head.transform(X)


def _structure_regressor(tree: Any) -> Any:
    """A squared-error regression tree with ``tree``'s structural parameters."""
    params = tree.get_params(deep=False)
    extra = isinstance(tree, ExtraTreeClassifier)
    regressor = ExtraTreeRegressor() if extra else DecisionTreeRegressor()
    return regressor.set_params(
        criterion="squared_error",
        **{name: params[name] for name in _STRUCTURE_PARAMS if name in params},
    )


def _node_means(
    tree: Any, X: Any, targets: NDArray[np.float64], weight: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Weighted mean of ``targets`` over the training rows of every node.

    Returns an array of shape (n_nodes, n_targets).
    """
    path = tree.decision_path(X).tocsc()
    node_weight = path.T @ weight
    sums = path.T @ (weight[:, None] * targets)
    means = np.zeros_like(sums)
    np.divide(sums, node_weight[:, None], out=means, where=node_weight[:, None] > 0)
    return means


def _check_class_weight(class_weight: Any, classes: NDArray[Any]) -> None:
    """The checks of a tree's fit on ``class_weight``, for one output."""
    if isinstance(class_weight, dict):
        unknown = [c for c in class_weight if c not in set(classes.tolist())]
        if unknown:
            raise ValueError(
                f"The classes {unknown} of the student's class_weight are not in "
                f"the data's classes {classes.tolist()}; use the labels of y as "
                "its keys."
            )


def _class_factors(class_weight: Any, classes: NDArray[Any], q: NDArray) -> Any:
    """Per-class factors of ``class_weight`` ("balanced" uses soft counts)."""
    if class_weight is None:
        return None
    if isinstance(class_weight, str):  # "balanced", validated by the tree
        counts = q.sum(axis=0)
        factors = np.ones(classes.size)
        np.divide(counts.sum(), classes.size * counts, out=factors, where=counts > 0)
        return factors
    return np.array([float(class_weight.get(c, 1.0)) for c in classes.tolist()])


def fit_logit_tree(
    student: Any,
    X: Any,
    y: NDArray[np.intp],
    soft_targets: NDArray[np.float64],
    *,
    classes: NDArray[Any],
    temperature: float,
    alpha: float,
    sample_weight: NDArray[np.float64] | None,
    fit_params: dict[str, Any],
) -> Any:
    """Fit a decision-tree student: splits from logits, leaves from soft targets.

    The student (a :class:`~sklearn.tree.DecisionTreeClassifier`, or a
    Pipeline ending in one) is fitted in place and returned, as a tree of
    the same class whose ``predict_proba`` is its leaves' blended targets.

    Parameters
    ----------
    student : DecisionTreeClassifier or Pipeline
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        Labels encoded as indices into ``classes``; ``-1`` for a row without
        a label.
    soft_targets : ndarray of shape (n_samples, n_classes)
        The teacher's softened distribution ``p_T``.
    classes : ndarray of shape (n_classes,)
    temperature : float
        The temperature of ``soft_targets`` (the splits do not depend on it:
        the teacher's logits are ``T * log(p_T)`` up to a constant).
    alpha : float
        Weight of the labels in the leaves.
    sample_weight : ndarray of shape (n_samples,) or None
    fit_params : dict
        Passed to the fit of a Pipeline's steps before the tree, or to the
        fit of the regression tree that finds the splits.

    Notes
    -----
    The splits minimize the squared error of the logits, so the tree's
    ``criterion`` is not used, and ``min_impurity_decrease`` and
    ``ccp_alpha`` are compared with decreases of that squared error (whose
    scale is that of the squared logits, larger than the Gini index's):
    prefer ``max_depth``, ``max_leaf_nodes`` and ``min_samples_leaf`` to
    bound the tree.

    Returns
    -------
    student : the fitted student
    """
    tree = final_estimator(student)
    tree._validate_params()  # its fit, which would check them, is not called
    _check_class_weight(tree.class_weight, classes)
    targets = blend_targets(y, soft_targets, alpha)
    labels = classes[targets.argmax(axis=1)]
    Xt = _fit_preprocessing(student, X, labels, sample_weight, fit_params)
    tree_params = {} if isinstance(student, Pipeline) else fit_params
    weight = (
        np.ones(targets.shape[0])
        if sample_weight is None
        else np.asarray(sample_weight, dtype=np.float64)
    )
    factors = _class_factors(tree.class_weight, classes, weight[:, None] * targets)
    if factors is not None:
        targets = targets * factors
        weight = weight * targets.sum(axis=1)
        targets = targets / targets.sum(axis=1, keepdims=True)
    # The teacher's centered logits, its probabilities floored as logit
    # matching floors them: a teacher with exact zeros (a random forest)
    # would otherwise give logits near -708 T that dominate the splits.
    logits = target_logits(
        y, soft_targets, alpha=0.0, temperature=temperature, label_smoothing=1.0
    )
    structure_target = logits[:, 1] - logits[:, 0] if classes.size == 2 else logits
    regressor = _structure_regressor(tree).fit(
        Xt, structure_target, sample_weight=weight, **tree_params
    )
    distribution = _node_means(regressor, Xt, targets, weight)
    distribution /= np.maximum(distribution.sum(axis=1, keepdims=True), 1e-300)
    _set_classifier_tree(tree, regressor, distribution, classes)
    return student


def _set_classifier_tree(
    tree: Any, regressor: Any, distribution: NDArray[np.float64], classes: NDArray
) -> None:
    """Give ``tree`` the fitted state of a classifier with ``regressor``'s splits.

    Each node's value is its row of ``distribution`` and its impurity the
    Gini index of that distribution, as a classifier tree records them.
    """
    state = regressor.tree_.__getstate__()
    nodes = state["nodes"].copy()
    nodes["impurity"] = 1.0 - np.square(distribution).sum(axis=1)
    n_classes = np.array([classes.size], dtype=np.intp)
    fitted = Tree(regressor.n_features_in_, n_classes, 1)
    fitted.__setstate__(
        {
            **state,
            "nodes": nodes,
            "values": np.ascontiguousarray(distribution[:, None, :]),
        }
    )
    tree.tree_ = fitted
    tree.n_features_in_ = regressor.n_features_in_
    if hasattr(regressor, "feature_names_in_"):
        tree.feature_names_in_ = regressor.feature_names_in_
    elif hasattr(tree, "feature_names_in_"):
        del tree.feature_names_in_
    tree.n_outputs_ = 1
    tree.classes_ = classes
    tree.n_classes_ = int(classes.size)
    tree.max_features_ = regressor.max_features_


def fit_teacher_split_tree(
    student: Any,
    X: Any,
    target: NDArray[np.float64],
    teacher_predictions: NDArray[np.float64],
    *,
    alpha: float,
    sample_weight: NDArray[np.float64] | None,
    fit_params: dict[str, Any],
) -> Any:
    """Fit a regression-tree student: splits from the teacher, leaves from ``target``.

    The student (a :class:`~sklearn.tree.DecisionTreeRegressor`, or a
    Pipeline ending in one) is fitted on ``teacher_predictions``; then every
    node's value becomes the weighted mean of ``target`` (the blended
    target) over its training rows, and its impurity their weighted
    variance. With ``alpha = 1`` it is fitted on ``target`` directly (the
    labels alone).

    Returns
    -------
    student : the fitted student
    """
    if alpha == 1.0:
        return fit_with_sample_weight(student, X, target, sample_weight, **fit_params)
    tree = final_estimator(student)
    Xt = _fit_preprocessing(student, X, target, sample_weight, fit_params)
    tree_params = {} if isinstance(student, Pipeline) else fit_params
    tree.fit(Xt, teacher_predictions, sample_weight=sample_weight, **tree_params)
    weight = (
        np.ones(target.shape[0])
        if sample_weight is None
        else np.asarray(sample_weight, dtype=np.float64)
    )
    columns = target.reshape(target.shape[0], -1)
    # one pass down the tree for the means and the means of the squares
    moments = _node_means(tree, Xt, np.hstack([columns, np.square(columns)]), weight)
    means, squares = np.split(moments, 2, axis=1)
    tree.tree_.value[:, :, 0] = means
    tree.tree_.impurity[:] = np.maximum(squares - np.square(means), 0.0).mean(axis=1)
    return student
