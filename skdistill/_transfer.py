"""Transfer sets: the rows on which the teacher speaks to the student.

A boosted teacher memorizes its training rows, so its outputs there are
nearly one-hot. Its knowledge shows where it speaks about rows it did not
see: out-of-fold predictions on the training rows (cross-fitting), synthetic
rows near the data (augmentation) and unlabeled rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.model_selection import check_cv
from sklearn.utils import _safe_indexing

from ._strategies import _index_params, fit_with_sample_weight
from ._teacher import teacher_column_order, teacher_logits


def _fit_fold(
    teacher: Any,
    X: Any,
    y: NDArray[Any],
    train: NDArray[np.intp],
    test: NDArray[np.intp],
    method: str,
    classes: NDArray[Any],
    sample_weight: NDArray[np.float64] | None,
    fit_params: dict[str, Any],
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    if np.unique(y[train]).size < 2:
        raise ValueError(
            f"A fold of cv leaves only the class {np.unique(y[train]).tolist()} in "
            "its training part, so its teacher cannot be fit. Use fewer folds, "
            "stratified folds (cv=<int>), or cv=None."
        )
    params = _index_params(fit_params, train, y.shape[0])
    weight = None if sample_weight is None else sample_weight[train]
    fold_teacher = fit_with_sample_weight(
        clone(teacher), _safe_indexing(X, train), y[train], weight, **params
    )
    order = teacher_column_order(fold_teacher.classes_, classes, allow_missing=True)
    return test, teacher_logits(fold_teacher, _safe_indexing(X, test), method, order)


def out_of_fold_logits(
    teacher: Any,
    X: Any,
    y: NDArray[Any],
    *,
    cv: Any,
    method: str,
    classes: NDArray[Any],
    sample_weight: NDArray[np.float64] | None = None,
    fit_params: dict[str, Any] | None = None,
    n_jobs: int | None = None,
    verbose: int = 0,
) -> NDArray[np.float64]:
    """Teacher logits on every row from a clone that was not trained on it.

    The rows are split by ``cv`` (an int gives stratified folds); for each
    split a clone of ``teacher`` is fit on the training part and predicts
    the held-out part. Each row must be held out exactly once. A class that
    a fold's training part lacks (a tiny class) gets probability 0 from that
    fold's teacher.

    Parameters
    ----------
    teacher : classifier
        Unfitted teacher, cloned for each fold.
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    cv : int, cross-validation generator or iterable
        As in :func:`sklearn.model_selection.cross_val_predict`.
    method : {"predict_proba", "decision_function"}
    classes : ndarray of shape (n_classes,)
        Column order of the result.
    sample_weight : ndarray of shape (n_samples,), default=None
    fit_params : dict, default=None
        Further fit parameters of the teacher; sample-aligned ones are
        indexed per fold.
    n_jobs : int, default=None
        Folds fitted in parallel (joblib).
    verbose : int, default=0
        Progress of the folds (joblib's verbosity).

    Returns
    -------
    logits : ndarray of shape (n_samples, n_classes)
    """
    splitter = check_cv(cv, y, classifier=True)
    splits = list(splitter.split(X, y))
    held_out = np.concatenate([test for _, test in splits])
    if held_out.size != y.shape[0] or np.unique(held_out).size != y.shape[0]:
        raise ValueError(
            "cv must hold out every training row exactly once (a partition, "
            "like KFold or StratifiedKFold) so that each row gets an "
            "out-of-fold soft target; got splits that do not."
        )
    results = Parallel(n_jobs=n_jobs, verbose=verbose)(
        delayed(_fit_fold)(
            teacher,
            X,
            y,
            train,
            test,
            method,
            classes,
            sample_weight,
            fit_params or {},
        )
        for train, test in splits
    )
    logits = np.empty((y.shape[0], classes.size), dtype=np.float64)
    for test, fold_logits in results:
        logits[test] = fold_logits
    return logits


def concat_rows(first: Any, second: Any) -> Any:
    """Stack two row sets of the same kind (array, sparse matrix, DataFrame)."""
    if hasattr(first, "iloc"):
        import pandas as pd

        return pd.concat([first, second], ignore_index=True)
    if sp.issparse(first):
        return sp.vstack([first, second], format=first.format)
    return np.concatenate([np.asarray(first), np.asarray(second)], axis=0)


def synthetic_rows(
    augmenter: Any,
    X: Any,
    *,
    student_params: dict[str, Any],
    n_rows: int,
    random_state: Any,
) -> Any:
    """Generate the synthetic rows of a transfer set from the labelled rows ``X``.

    ``random_state`` (the meta-estimator's) seeds the generator unless the
    augmenter has a seed of its own. Student fit parameters aligned with the
    ``n_rows`` training rows cannot be extended to synthetic rows: an error;
    per-feature ones (``categorical_feature``, ...) are fine.
    """
    from sklearn.utils.validation import _num_samples

    aligned = []
    for key, value in student_params.items():
        try:
            if value is not None and _num_samples(value) == n_rows:
                aligned.append(key)
        except TypeError:
            pass
    if aligned:
        raise ValueError(
            f"Fit parameters {sorted(aligned)} are routed to the student with one "
            "value per training row, but augment adds synthetic rows they do not "
            "cover. Drop them or set augment=None."
        )
    seed = random_state if getattr(augmenter, "random_state", None) is None else None
    return augmenter.generate(X, random_state=seed)


def check_transfer_options(
    teacher: Any, X: Any, *, cv: Any, augment: Any, student: Any, owner: str
) -> Any:
    """Check the teacher and transfer-set options before any fit; the augmenter.

    A frozen teacher must be fitted and cannot be cross-fitted; augmentation
    needs dense X; NaN in X needs a student that takes it.
    """
    from sklearn.utils.validation import check_is_fitted

    from ._augment import check_augmenter
    from ._classifier import _has_nan, _student_allows_nan
    from ._teacher import is_frozen

    if is_frozen(teacher):
        check_is_fitted(
            teacher.estimator,
            msg=(
                "The teacher wrapped in FrozenEstimator is not fitted. Fit it "
                "before freezing it, or pass it unfrozen so that it is fit."
            ),
        )
        if cv is not None:
            raise ValueError(
                "cv is set but the teacher is frozen: a FrozenEstimator cannot be "
                "cross-fitted. Set cv=None to use the prefit teacher's outputs on "
                "the training rows, or pass the teacher unfrozen."
            )
    if _has_nan(X) and not _student_allows_nan(student):
        raise ValueError(
            f"Input X contains NaN, which the student {type(student).__name__}"
            f" does not accept. Put an imputer before the {owner} in a Pipeline, "
            f"e.g. make_pipeline(SimpleImputer(), {owner}(...)), or use a student "
            "that handles missing values (such as HistGradientBoosting)."
        )
    augmenter = check_augmenter(augment)
    if augmenter is not None and sp.issparse(X):
        raise ValueError(
            "augment needs dense X (an array or a DataFrame); got a sparse "
            "matrix. Densify X or set augment=None."
        )
    return augmenter
