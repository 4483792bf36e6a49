"""Fit strategies: how a student learns from a matrix of soft targets.

A strategy receives the training rows, the hard labels (encoded as column
indices, ``-1`` for a row without a label), the teacher's softened
distribution ``p_T = softmax(z_t / T)`` and the blend weight ``alpha``, and
fits the student. The strategies:

``"native"``
    The student implements the soft-target protocol (a
    ``fit_soft_targets`` method, see :class:`SoftTargetStudent`) and
    minimizes Hinton's loss itself.
``"weighted"``
    Exact soft-target training for any student whose ``fit`` accepts
    ``sample_weight``: each row is repeated once per class, labelled with
    that class and weighted by its target probability.
``"hard"``
    The student is fit on the most probable class of the blended target.
    Works with any classifier; loses the dark knowledge.
``"logits"``
    A regressor student fits the logits of the blended target (Ba & Caruana,
    2014), wrapped in :class:`~skdistill.LogitMatchingClassifier`.
``"logit_tree"``
    A decision-tree student takes its splits from the teacher's logits and
    its leaves from the blended targets (:mod:`skdistill.students._tree`);
    it stays a :class:`~sklearn.tree.DecisionTreeClassifier`.

A plain ``lightgbm.LGBMClassifier`` student is made native by converting
it to :class:`~skdistill.SoftLGBMClassifier` with the same parameters.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from lightgbm import LGBMClassifier
from numpy.typing import NDArray
from sklearn.base import is_regressor
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing

from .._config import check_allocation, row_bytes
from .._fit_params import (
    _caller_stacklevel,
    _index_params,
    accepts_sample_weight,
    fit_with_sample_weight,
)
from ..soft_targets import blend_targets
from ._lgbm import SoftLGBMClassifier
from ._logit_matching import LogitMatchingClassifier
from ._protocol import supports_soft_targets
from ._soft_logistic import SoftLogisticRegression
from ._tree import fit_logit_tree, is_tree_classifier

FIT_STRATEGIES = ("auto", "native", "weighted", "hard", "logits", "logit_tree")


def _native_adapter(student: Any) -> Any | None:
    """A protocol-implementing stand-in for a known student type, or None."""
    if isinstance(student, LGBMClassifier) and not supports_soft_targets(student):
        return SoftLGBMClassifier(**student.get_params())
    return None


def resolve_student(
    student: Any, fit_strategy: str, n_classes: int = 2
) -> tuple[str, Any]:
    """The strategy used for ``student`` and the estimator it applies to.

    With ``"auto"``: a regressor fits logits; a decision tree (or a Pipeline
    ending in one) takes its splits from the teacher's logits when there are
    three classes or more (``"logit_tree"``) and is weighted with two; a
    student with the soft-target protocol (or a LightGBM classifier,
    converted) is native; one that accepts ``sample_weight`` is weighted;
    any other falls back to ``"hard"`` with a warning.

    Why trees split on logits only with three classes or more: with two,
    the single log-odds target is dominated by the rows the teacher is most
    sure of, and the weighted route's Gini splits were as accurate or more
    on the benchmark (docs: "Choosing a student").
    """
    name = type(student).__name__
    regressor = is_regressor(student)
    if fit_strategy in ("auto", "logits") and regressor:
        return "logits", LogitMatchingClassifier(student)
    if regressor:
        raise ValueError(
            f"The student {name} is a regressor; it can only learn the teacher's "
            f"logits. Use fit_strategy='logits' or 'auto' instead of "
            f"{fit_strategy!r}, or a classifier as student."
        )
    if fit_strategy == "logits":
        raise ValueError(
            f"fit_strategy='logits' needs a regressor as student (for example "
            f"Ridge or DecisionTreeRegressor); {name} is not one."
        )
    if fit_strategy == "logit_tree":
        if not is_tree_classifier(student):
            raise ValueError(
                f"fit_strategy='logit_tree' needs a DecisionTreeClassifier student "
                f"(or a Pipeline ending in one); {name} is not one. Use "
                "fit_strategy='auto'."
            )
        return "logit_tree", student
    if fit_strategy == "auto" and is_tree_classifier(student) and n_classes > 2:
        return "logit_tree", student
    if fit_strategy in ("auto", "native"):
        adapted = _native_adapter(student)
        if adapted is not None:
            return "native", adapted
    return resolve_strategy(student, fit_strategy), student


def default_temperature(student: Any) -> float:
    """The temperature ``temperature="auto"`` stands for, by student family.

    2 for a decision-tree student (its leaves average the soft targets of
    many rows, and a softer teacher gave better-calibrated leaves at the
    same accuracy), 1 for every other student: the native, weighted and
    logit-matching fits of smooth students (linear models, boosted trees)
    lost accuracy at ``T = 2`` and above on the benchmark ("Choosing a
    student" in the user guide gives the figures).
    """
    return 2.0 if is_tree_classifier(student) else 1.0


def resolve_strategy(student: Any, fit_strategy: str) -> str:
    """The strategy used for ``student``; warns when "auto" falls back to "hard"."""
    name = type(student).__name__
    if fit_strategy == "auto":
        if supports_soft_targets(student):
            return "native"
        if accepts_sample_weight(student):
            return "weighted"
        warnings.warn(
            f"The student {name} has neither fit_soft_targets nor a fit method "
            "that accepts sample_weight, so it cannot learn the teacher's soft "
            "targets; it is fit on the most probable class of the blended "
            "target instead (fit_strategy='hard'). Pass fit_strategy='hard' to "
            "silence this warning, or use a student that accepts sample_weight.",
            UserWarning,
            stacklevel=_caller_stacklevel(),
        )
        return "hard"
    if fit_strategy == "native" and not supports_soft_targets(student):
        raise ValueError(
            f"fit_strategy='native' needs a student with a fit_soft_targets "
            f"method (see skdistill.SoftTargetStudent); {name} has none. Use "
            "fit_strategy='auto' to pick the best strategy the student supports."
        )
    if fit_strategy == "weighted" and not accepts_sample_weight(student):
        raise ValueError(
            f"fit_strategy='weighted' needs a student whose fit accepts "
            f"sample_weight; {name}.fit does not. Use fit_strategy='hard' or "
            "'auto'."
        )
    return fit_strategy


def _weighted_estimator(student: Any) -> tuple[Any, str]:
    """The estimator that receives the expansion weights, and its param prefix."""
    if isinstance(student, Pipeline):
        name, final = student.steps[-1]
        return final, f"{name}__"
    return student, ""


def _fold_class_weight(
    student: Any,
    classes: NDArray[Any],
    targets: NDArray[np.float64],
    sample_weight: NDArray[np.float64] | None,
) -> NDArray[np.float64] | None:
    """Move the student's ``class_weight`` into the expansion weights.

    Repeated rows would make ``class_weight="balanced"`` count each original
    row once per class it is expanded into; instead the class totals are the
    soft counts ``sum_i w_i q_ik`` (the usual counts for one-hot targets), the
    per-class factors multiply the expansion weights and the student's own
    ``class_weight`` is set to None. Returns the factors, or None.
    """
    estimator, prefix = _weighted_estimator(student)
    if not hasattr(estimator, "get_params"):
        return None
    class_weight = estimator.get_params(deep=False).get("class_weight")
    if class_weight is None:
        return None
    if isinstance(class_weight, str):
        if class_weight != "balanced":
            return None  # let the student report its own error
        w = np.ones(targets.shape[0]) if sample_weight is None else sample_weight
        counts = (np.asarray(w, dtype=np.float64)[:, None] * targets).sum(axis=0)
        factor = np.ones(classes.size)
        np.divide(counts.sum(), classes.size * counts, out=factor, where=counts > 0)
    else:
        factor = np.array([float(class_weight.get(c, 1.0)) for c in classes.tolist()])
    student.set_params(**{f"{prefix}class_weight": None})
    return factor


def _fits_labels_alone(strategy: str, student: Any) -> bool:
    """Whether ``student.fit`` is the hard-label fit the strategy reduces to.

    True for the weighted, hard and logit-tree strategies (their student is
    a plain classifier) and for skdistill's own native students, whose
    ``fit`` is the fit on hard labels; a third-party native student or a
    logit-matching one keeps ``fit_soft_targets`` (with ``alpha = 1``).
    """
    if strategy in ("weighted", "hard", "logit_tree"):
        return True

    return strategy == "native" and isinstance(
        student, SoftLGBMClassifier | SoftLogisticRegression
    )


def expand_targets(
    targets: NDArray[np.float64],
    sample_weight: NDArray[np.float64] | None,
    threshold: float,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Row expansion of a target matrix: (rows, class indices, weights).

    Entries of ``targets`` at or below ``threshold`` are pruned, except the
    largest entry of each row (a row never vanishes) and the largest entry
    of each class column (a class with any mass is never lost); the kept
    weights of a row are renormalized to sum to its sample weight, so the
    expanded data carries the same total weight as the original.
    """
    n = targets.shape[0]
    keep = targets > threshold
    keep[np.arange(n), targets.argmax(axis=1)] = True
    has_mass = targets.max(axis=0) > 0
    keep[targets.argmax(axis=0)[has_mass], np.flatnonzero(has_mass)] = True
    kept = np.where(keep, targets, 0.0)
    kept /= kept.sum(axis=1, keepdims=True)
    if sample_weight is not None:
        kept *= np.asarray(sample_weight, dtype=np.float64)[:, None]
        keep &= kept > 0  # a zero-weight row is absent, as if removed
    rows, cols = np.nonzero(keep)
    return rows, cols, kept[rows, cols]


def fit_with_strategy(
    strategy: str,
    student: Any,
    X: Any,
    y: NDArray[np.intp],
    soft_targets: NDArray[np.float64],
    *,
    classes: NDArray[Any],
    temperature: float,
    alpha: float,
    weight_threshold: float,
    sample_weight: NDArray[np.float64] | None,
    fit_params: dict[str, Any],
) -> Any:
    """Fit ``student`` (in place) with the given strategy and return it.

    With ``alpha = 1`` and a label on every row, a student whose ``fit`` is
    its fit on the labels (see :func:`_fits_labels_alone`) is fitted by it:
    it is then exactly the student's hard-label twin.
    """
    if alpha == 1.0 and (np.asarray(y) >= 0).all():
        if _fits_labels_alone(strategy, student):
            return fit_with_sample_weight(
                student, X, classes[y], sample_weight, **fit_params
            )
    if strategy == "logit_tree":
        return fit_logit_tree(
            student,
            X,
            y,
            soft_targets,
            classes=classes,
            temperature=temperature,
            alpha=alpha,
            sample_weight=sample_weight,
            fit_params=fit_params,
        )
    if strategy in ("native", "logits"):
        return student.fit_soft_targets(
            X,
            y,
            soft_targets,
            classes=classes,
            temperature=temperature,
            alpha=alpha,
            sample_weight=sample_weight,
            **fit_params,
        )
    targets = blend_targets(y, soft_targets, alpha)
    if strategy == "weighted":
        # At most the entries above the threshold, plus each row's and each
        # class's largest (see expand_targets); counted before expanding.
        n_kept = min(
            int(np.count_nonzero(targets > weight_threshold)) + sum(targets.shape),
            targets.size,
        )
        check_allocation(
            n_kept * (row_bytes(X) + 24),  # a row of X, its index, class, weight
            f"The weighted strategy's row expansion (up to {n_kept:,} rows: "
            f"{targets.shape[0]:,} rows times up to {targets.shape[1]:,} classes)",
            f"Raise weight_threshold (now {weight_threshold:g}) to prune more "
            "classes per row, use a student with a native soft-target fit or "
            "fit_strategy='hard', or fit on fewer rows.",
        )
        rows, cols, weights = expand_targets(targets, sample_weight, weight_threshold)
        class_factor = _fold_class_weight(student, classes, targets, sample_weight)
        if class_factor is not None:
            weights = weights * class_factor[cols]
        return fit_with_sample_weight(
            student,
            _safe_indexing(X, rows),
            classes[cols],
            weights,
            **_index_params(fit_params, rows, targets.shape[0]),
        )
    # "hard": the most probable class of the blended target (the caller has
    # checked that a student given sample_weight accepts it).
    labels = classes[targets.argmax(axis=1)]
    return fit_with_sample_weight(student, X, labels, sample_weight, **fit_params)
