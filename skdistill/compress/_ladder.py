"""The students a compression search tries: ladders, each from its smallest up.

A *ladder* is a list of students of one family ordered by cost (a deeper
tree, more boosting rounds, a weaker sparsity penalty); the search climbs
each ladder in order and stops climbing once larger students stop
improving (see :class:`~skdistill.compress.CompressedClassifierCV`).
:func:`default_ladder` builds the ladders worth trying on a table;
:func:`check_students` turns what a user passes as ``students`` into the
search's list of candidates.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.base import clone, is_classifier
from sklearn.linear_model import Lasso, LogisticRegression, Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.validation import _num_samples

from ..preprocessing import make_preprocessor

#: Depths of the decision-tree ladder.
TREE_DEPTHS = tuple(range(1, 13))
#: Boosting rounds of each LightGBM ladder, and the leaves of each ladder.
LGBM_ROUNDS = (2, 4, 8, 16, 32, 64, 128)
LGBM_LEAVES = (4, 8, 16, 32)
#: The L1 ladder of a classifier: ``C = k / n_rows`` for each ``k``. With
#: standardized features, scikit-learn's summed log-loss zeroes every
#: coefficient below about ``C = 1 / (n_rows * max |correlation|)``, so the
#: ladder starts a little above that, sparse, and ends nearly dense.
L1_C_ROWS = (5.0, 25.0, 125.0)
#: The L1 ladder of a regressor: ``alpha = s * std(y)`` for each ``s``. With
#: standardized features, Lasso zeroes every coefficient above
#: ``alpha = max |correlation| * std(y)``.
LASSO_STD_SHARES = (0.1, 0.01, 0.001)
#: Parameters left out of a student's name: they do not change its size.
_NAMELESS = ("random_state", "verbose", "n_jobs", "max_iter", "tol", "solver")


@dataclass(frozen=True)
class Candidate:
    """One student of a ladder: its name, its ladder and the estimator."""

    name: str
    ladder: str
    student: Any


def default_ladder(
    X: Any = None,
    y: Any = None,
    *,
    task: str = "classification",
    random_state: int | None = None,
) -> dict[str, list[tuple[str, Any]]]:
    """The students a compression search tries by default, ladder by ladder.

    Ladders, in the order the search climbs them (cheapest first):

    - ``"linear_l1"``: a linear model with L1 sparsity, from sparse to
      dense: ``LogisticRegression(l1_ratio=1, C=k / n_rows)`` for ``k`` in
      5, 25, 125 (``Lasso(alpha=s * std(y))`` for ``s`` in 0.1, 0.01,
      0.001 for regression);
    - ``"linear"``: ``LogisticRegression()`` (``Ridge()``), dense L2;
    - ``"tree"``: a decision tree of depth 1 to 12;
    - ``"lgbm_<L>_leaves"`` for ``L`` in 4, 8, 16, 32: LightGBM of 2, 4, 8,
      ..., 128 trees of at most ``L`` leaves.

    Each student comes behind the preprocessing the table needs
    (:func:`skdistill.preprocessing.make_preprocessor`: one-hot codes and
    standardized numbers for the linear models, ordinal codes for the
    trees, categories as they are for LightGBM); the linear models are
    always standardized.

    Parameters
    ----------
    X : DataFrame, array-like or None, default=None
        The training table, for the preprocessing and for the number of
        rows of the L1 ladder. ``None``: plain numeric students (and
        ``n_rows = 1000``).
    y : array-like or None, default=None
        The targets; a regressor's L1 ladder is scaled by their standard
        deviation (``None``: 1).
    task : {"classification", "regression"}, default="classification"
        Classifiers or regressors.
    random_state : int or None, default=None
        Seed of the trees and of LightGBM.

    Returns
    -------
    ladders : dict of str to list of (str, estimator)
        Each ladder's name, and its named students from the smallest up:
        a value for ``students=`` of the compression searches (edit it to
        try fewer or other students).

    Examples
    --------
    >>> from skdistill.compress import default_ladder
    >>> ladders = default_ladder()
    >>> list(ladders)  # doctest: +NORMALIZE_WHITESPACE
    ['linear_l1', 'linear', 'tree', 'lgbm_4_leaves', 'lgbm_8_leaves',
     'lgbm_16_leaves', 'lgbm_32_leaves']
    >>> [name for name, _ in ladders["tree"]][:3]
    ['tree[max_depth=1]', 'tree[max_depth=2]', 'tree[max_depth=3]']
    >>> sum(len(students) for students in ladders.values())
    44
    """
    if task not in ("classification", "regression"):
        raise ValueError(
            f"task must be 'classification' or 'regression'; got {task!r}."
        )
    classify = task == "classification"
    n_rows = 1000 if X is None else max(_num_samples(X), 1)
    ladders: dict[str, list[tuple[str, Any]]] = {}
    if classify:
        ladders["linear_l1"] = [
            (
                f"linear_l1[C={k:g}/n_rows]",
                LogisticRegression(
                    C=k / n_rows, l1_ratio=1.0, solver="saga", max_iter=1000, tol=1e-3
                ),
            )
            for k in L1_C_ROWS
        ]
        ladders["linear"] = [("linear[C=1]", LogisticRegression(max_iter=1000))]
    else:
        scale = 1.0 if y is None else float(np.nanstd(np.asarray(y, dtype=float)))
        scale = scale if scale > 0 else 1.0
        ladders["linear_l1"] = [
            (f"linear_l1[alpha={s:g}*std(y)]", Lasso(alpha=s * scale, max_iter=5000))
            for s in LASSO_STD_SHARES
        ]
        ladders["linear"] = [("linear[alpha=1]", Ridge())]
    tree = DecisionTreeClassifier if classify else DecisionTreeRegressor
    ladders["tree"] = [
        (f"tree[max_depth={d}]", tree(max_depth=d, random_state=random_state))
        for d in TREE_DEPTHS
    ]
    lgbm = LGBMClassifier if classify else LGBMRegressor
    for leaves in LGBM_LEAVES:
        ladders[f"lgbm_{leaves}_leaves"] = [
            (
                f"lgbm[num_leaves={leaves},n_estimators={rounds}]",
                lgbm(
                    n_estimators=rounds,
                    num_leaves=leaves,
                    random_state=random_state,
                    verbose=-1,
                ),
            )
            for rounds in LGBM_ROUNDS
        ]
    linear = ("linear_l1", "linear")
    return {
        ladder: [
            (name, _behind_preprocessing(student, X, scale=ladder in linear))
            for name, student in students
        ]
        for ladder, students in ladders.items()
    }


def _behind_preprocessing(student: Any, X: Any, *, scale: bool) -> Any:
    """``student`` behind what the table ``X`` needs (nothing if nothing)."""
    if sp.issparse(X):  # trees and LightGBM take it; a linear model is scaled
        if not scale:
            return student
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(StandardScaler(with_mean=False), student)
    if X is None:
        if not scale:
            return student
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(StandardScaler(), student)
    preprocessor = make_preprocessor(student, X)
    if isinstance(preprocessor, FunctionTransformer) and preprocessor.func is None:
        return student  # the table suits the student as it is
    return make_pipeline(preprocessor, student)


def student_name(student: Any) -> str:
    """A short name of a student: its final model's class and changed parameters.

    >>> from sklearn.tree import DecisionTreeClassifier
    >>> student_name(DecisionTreeClassifier(max_depth=3, random_state=0))
    'DecisionTreeClassifier[max_depth=3]'
    """
    model = student.steps[-1][1] if isinstance(student, Pipeline) else student
    signature = inspect.signature(type(model).__init__)
    defaults = {
        key: parameter.default
        for key, parameter in signature.parameters.items()
        if parameter.default is not parameter.empty
    }
    changed = [
        f"{key}={value!r}"
        for key, value in model.get_params(deep=False).items()
        if key not in _NAMELESS and _differs(value, defaults.get(key, object()))
    ]
    return f"{type(model).__name__}[{','.join(changed)}]"


def _differs(value: Any, default: Any) -> bool:
    try:
        return bool(value != default)
    except (TypeError, ValueError):  # arrays and estimators
        return value is not default


def check_students(
    students: Any,
    X: Any,
    y: Any,
    *,
    classifier: bool,
    random_state: Any,
) -> list[Candidate]:
    """The candidates of ``students``, in the order the search tries them.

    ``None`` is :func:`default_ladder` on ``X``; a list is one ladder, in
    its order; a dict maps each ladder's name to its list. A list holds
    estimators or ``(name, estimator)`` pairs; names must be unique.
    """
    if students is None:
        seed = random_state if isinstance(random_state, (int, np.integer)) else None
        task = "classification" if classifier else "regression"
        students = default_ladder(X, y, task=task, random_state=seed)
    if isinstance(students, Mapping):
        ladders = list(students.items())
    elif isinstance(students, Sequence) and not isinstance(students, str):
        ladders = [("students", students)]
    else:
        raise ValueError(
            "students must be None (the default ladder), a list of students "
            "(estimators or (name, estimator) pairs, one ladder from the "
            "smallest up) or a dict of such lists (one per ladder); got "
            f"{type(students).__name__}."
        )
    candidates: list[Candidate] = []
    for ladder, items in ladders:
        if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
            raise ValueError(
                f"The ladder {ladder!r} of students must be a list of estimators "
                f"or (name, estimator) pairs; got {type(items).__name__}."
            )
        for item in items:
            student = item[1] if isinstance(item, tuple) and len(item) == 2 else item
            if isinstance(student, type) or not (
                hasattr(student, "fit") and hasattr(student, "predict")
            ):
                raise ValueError(
                    f"Each student of the ladder {ladder!r} must be an estimator "
                    "instance (with fit and predict, such as "
                    "DecisionTreeClassifier(max_depth=3)) or a (name, estimator) "
                    f"pair; got {item!r}."
                )
            name, student = _named(item)
            # a classifier's search also takes regressors (fit_strategy="logits")
            if not classifier and is_classifier(student):
                raise ValueError(
                    f"The student {name!r} is a classifier, but a regression "
                    "search needs regressors."
                )
            candidates.append(Candidate(name, str(ladder), clone(student)))
    if not candidates:
        raise ValueError("students is empty: give at least one student to try.")
    names = [c.name for c in candidates]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(
            f"Students must have distinct names; {repeated} appear several times. "
            "Name them with (name, estimator) pairs."
        )
    return candidates


def _named(item: Any) -> tuple[str, Any]:
    """``(name, estimator)`` of a ladder's item."""
    if isinstance(item, tuple):
        if len(item) != 2 or not isinstance(item[0], str):
            raise ValueError(
                "A student given as a tuple must be a (name, estimator) pair; "
                f"got {item!r}."
            )
        return item
    return student_name(item), item
