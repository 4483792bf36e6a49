"""Transfer sets: the rows on which the teacher speaks to the student.

A boosted teacher memorizes its training rows, so its outputs there are
nearly one-hot. Its knowledge shows where it speaks about rows it did not
see: out-of-fold predictions on the training rows (cross-fitting), synthetic
rows near the data (augmentation) and unlabeled rows.

:func:`transfer_set` fits the teacher and reads it on all of them;
:func:`cached_transfer_set` does it through :class:`joblib.Memory`: neither
the temperature nor alpha changes the teacher, so a grid search over them
reuses one transfer set per fold, as :class:`sklearn.pipeline.Pipeline`
caches its transformers (the key is everything the transfer set depends on,
and nothing else).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, effective_n_jobs
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.model_selection import check_cv
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import _num_samples, check_is_fitted

from ._cache import cache_key, cached_call
from ._config import delayed
from ._fit_params import _index_params, fit_with_sample_weight
from ._teacher import check_teacher_features, is_frozen
from ._threads import fit_threads, limit_threads, n_values
from ._validation import _allows_nan, _has_nan
from .augment._check import check_augmenter


def _fit_fold(
    teacher: Any,
    X: Any,
    y: NDArray[Any],
    train: NDArray[np.intp],
    test: NDArray[np.intp],
    output: Any,
    sample_weight: NDArray[np.float64] | None,
    fit_params: dict[str, Any],
    n_threads: int | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """One fold's teacher, fit and read with OpenMP limited to ``n_threads``
    (a worker's share, :mod:`skdistill._threads`; ``None``: no limit)."""
    output.check_fold(y[train])
    params = _index_params(fit_params, train, y.shape[0])
    weight = None if sample_weight is None else sample_weight[train]
    unfitted = clone(teacher)
    with limit_threads(n_threads, unfitted):
        fold_teacher = fit_with_sample_weight(
            unfitted, _safe_indexing(X, train), y[train], weight, **params
        )
        return test, output.read(fold_teacher, _safe_indexing(X, test))


def out_of_fold_outputs(
    teacher: Any,
    X: Any,
    y: NDArray[Any],
    *,
    cv: Any,
    output: Any,
    sample_weight: NDArray[np.float64] | None = None,
    fit_params: dict[str, Any] | None = None,
    n_jobs: int | None = None,
    verbose: int = 0,
) -> NDArray[np.float64]:
    """Teacher outputs on every row from a clone that was not trained on it.

    The rows are split by ``cv``, as in
    :func:`sklearn.model_selection.cross_val_predict` (an int gives
    stratified folds for a classifier, :class:`~sklearn.model_selection.KFold`
    for a regressor); for each split a clone of ``teacher`` is fit on the
    training part and predicts the held-out part. Each row must be held out
    exactly once. A class that a fold's training part lacks (a tiny class)
    gets probability 0 from that fold's teacher.

    Parameters
    ----------
    teacher : estimator
        Unfitted teacher, cloned for each fold.
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
    cv : int, cross-validation generator or iterable
    output : LogitOutput or PredictionOutput
        How the teacher is read (see :mod:`skdistill._teacher`).
    sample_weight : ndarray of shape (n_samples,), default=None
    fit_params : dict, default=None
        Further fit parameters of the teacher; sample-aligned ones are
        indexed per fold.
    n_jobs : int, default=None
        Folds fitted in parallel (joblib); each worker limits OpenMP to its
        share of the threads (:func:`skdistill._threads.fit_threads`).
    verbose : int, default=0
        Progress of the folds (joblib's verbosity).

    Returns
    -------
    outputs : ndarray of shape (n_samples, ...)
        Logits (n_samples, n_classes) or predictions (the shape of ``y``).
    """
    splitter = check_cv(cv, y, classifier=output.stratify)
    splits = list(splitter.split(X, y))
    held_out = np.concatenate([test for _, test in splits])
    if held_out.size != y.shape[0] or np.unique(held_out).size != y.shape[0]:
        raise ValueError(
            "teacher_cv must hold out every training row exactly once (a partition, "
            "like KFold or StratifiedKFold) so that each row gets an "
            "out-of-fold teacher output; got splits that do not."
        )
    n_threads = fit_threads(n_values(X), min(effective_n_jobs(n_jobs), len(splits)))
    results = Parallel(n_jobs=n_jobs, verbose=verbose)(
        delayed(_fit_fold)(
            teacher,
            X,
            y,
            train,
            test,
            output,
            sample_weight,
            fit_params or {},
            n_threads,
        )
        for train, test in splits
    )
    first = results[0][1]
    outputs = np.empty((y.shape[0], *first.shape[1:]), dtype=np.float64)
    for test, fold_outputs in results:
        outputs[test] = fold_outputs
    return outputs


def fit_teacher_outputs(
    teacher: Any,
    X: Any,
    y: NDArray[Any],
    labelled: NDArray[np.bool_],
    *,
    output: Any,
    cv: Any = None,
    sample_weight: NDArray[np.float64] | None = None,
    fit_params: dict[str, Any] | None = None,
    n_jobs: int | None = None,
    verbose: int = 0,
) -> tuple[Any, NDArray[np.float64]]:
    """Fit the teacher on the labelled rows and read its outputs on every row.

    The teacher (a clone; a frozen one is used as is) is fit on the rows
    where ``labelled`` is true, with their ``sample_weight`` and
    sample-aligned ``fit_params``. With ``cv=None`` its outputs on all rows
    are returned; otherwise the labelled rows get out-of-fold outputs
    (:func:`out_of_fold_outputs`) and the unlabelled rows the full teacher's.

    Returns
    -------
    teacher : estimator
        The fitted teacher.
    outputs : ndarray of shape (n_samples, ...)
    """
    rows = np.flatnonzero(labelled)
    X_lab, y_lab = _safe_indexing(X, rows), y[rows]
    weight = None if sample_weight is None else sample_weight[rows]
    params = _index_params(fit_params or {}, rows, y.shape[0])
    if is_frozen(teacher):
        fitted = teacher
    else:
        fitted = fit_with_sample_weight(clone(teacher), X_lab, y_lab, weight, **params)
    if cv is None:
        return fitted, output.read(fitted, X, verbose=verbose)
    oof = out_of_fold_outputs(
        teacher,
        X_lab,
        y_lab,
        cv=cv,
        output=output,
        sample_weight=weight,
        fit_params=params,
        n_jobs=n_jobs,
        verbose=verbose,
    )
    outputs = np.empty((y.shape[0], *oof.shape[1:]), dtype=np.float64)
    outputs[rows] = oof
    unlabelled = np.flatnonzero(~labelled)
    if unlabelled.size:
        outputs[unlabelled] = output.read(
            fitted, _safe_indexing(X, unlabelled), verbose=verbose
        )
    return fitted, outputs


def synthetic_outputs(
    teacher: Any,
    X: Any,
    labelled: NDArray[np.bool_],
    augmenter: Any,
    *,
    output: Any,
    random_state: Any = None,
    verbose: int = 0,
) -> tuple[Any, NDArray[np.float64]]:
    """Synthetic rows generated from the labelled rows, and the teacher's outputs.

    ``random_state`` (the distiller's) seeds the generator unless the
    augmenter has a seed of its own.

    Returns
    -------
    X_synthetic : {ndarray, DataFrame}
    outputs : ndarray of shape (n_synthetic, ...)
    """
    seed = random_state if getattr(augmenter, "random_state", None) is None else None
    X_syn = augmenter.generate(
        _safe_indexing(X, np.flatnonzero(labelled)), random_state=seed
    )
    return X_syn, output.read(teacher, X_syn, verbose=verbose)


class TransferSet(NamedTuple):
    """The teacher and what it said: the input of the student's fit.

    ``outputs`` holds the teacher's outputs on the training rows (in-sample
    or out-of-fold); ``X_synthetic`` the synthetic rows (``None`` without
    augmentation) and ``synthetic_outputs`` the teacher's outputs on them.
    """

    teacher: Any
    outputs: NDArray[np.float64]
    X_synthetic: Any
    synthetic_outputs: NDArray[np.float64] | None


def transfer_set(
    teacher: Any,
    X: Any,
    y: NDArray[Any],
    labelled: NDArray[np.bool_],
    *,
    output: Any,
    cv: Any = None,
    augmenter: Any = None,
    random_state: Any = None,
    sample_weight: NDArray[np.float64] | None = None,
    fit_params: dict[str, Any] | None = None,
    n_jobs: int | None = None,
    verbose: int = 0,
) -> TransferSet:
    """Fit the teacher and compute its outputs on the whole transfer set.

    :func:`fit_teacher_outputs` on the training rows, then, with an
    ``augmenter``, :func:`synthetic_outputs`. A pure function of its
    arguments (given seeded randomness), which is what
    :func:`skdistill._transfer.cached_transfer_set` caches.
    """
    fitted, outputs = fit_teacher_outputs(
        teacher,
        X,
        y,
        labelled,
        output=output,
        cv=cv,
        sample_weight=sample_weight,
        fit_params=fit_params,
        n_jobs=n_jobs,
        verbose=verbose,
    )
    if augmenter is None:
        return TransferSet(fitted, outputs, None, None)
    X_syn, outputs_syn = synthetic_outputs(
        fitted,
        X,
        labelled,
        augmenter,
        output=output,
        random_state=random_state,
        verbose=verbose,
    )
    return TransferSet(fitted, outputs, X_syn, outputs_syn)


def concat_rows(first: Any, second: Any) -> Any:
    """Stack two row sets of the same kind (array, sparse matrix, DataFrame)."""
    if hasattr(first, "iloc"):
        import pandas as pd

        return pd.concat([first, second], ignore_index=True)
    if sp.issparse(first):
        return sp.vstack([first, second], format=first.format)
    return np.concatenate([np.asarray(first), np.asarray(second)], axis=0)


# Arguments of transfer_set that do not change its result.
_NOT_IN_KEY = ("n_jobs", "verbose")


def cached_transfer_set(memory: Any, **transfer_args: Any) -> TransferSet:
    """:func:`transfer_set`, cached in ``memory``.

    The cache key (:func:`skdistill._cache.cache_key`) covers the arguments:
    the teacher (its class and parameters, or a frozen teacher's model),
    ``X``, ``y``, which rows are labelled, how the teacher is read (method
    and classes, or the output shape), ``cv``, the augmenter (the code of a
    callable one included) and seed, the teacher's sample weights and fit
    parameters. ``n_jobs`` and ``verbose`` are not part of it.
    ``memory=None`` calls the function directly and stores nothing. An
    entry that cannot be read or is not a transfer set of these rows is
    recomputed with a warning; a location that cannot be created gives a
    warning and no cache.

    Parameters
    ----------
    memory : None, str or joblib.Memory
        Where to cache, as in :func:`sklearn.utils.validation.check_memory`:
        a string is the cache directory. Entries are pickles: a cache
        directory must be trusted like code.
    **transfer_args : dict
        Arguments of :func:`transfer_set`.

    Returns
    -------
    transfer : TransferSet
    """
    if memory is None:
        return transfer_set(**transfer_args)
    key = cache_key(
        {
            _KEY_NAMES.get(name, name): value
            for name, value in transfer_args.items()
            if name not in _NOT_IN_KEY
        }
    )
    n_rows = _num_samples(transfer_args["X"])

    def is_valid(entry: Any) -> bool:
        return (
            isinstance(entry, TransferSet)
            and isinstance(entry.outputs, np.ndarray)
            and entry.outputs.shape[0] == n_rows
        )

    return cached_call(memory, transfer_set, key, transfer_args, is_valid=is_valid)


# Names of transfer_set's arguments as the user knows them (in messages).
_KEY_NAMES = {
    "augmenter": "augment",
    "cv": "teacher_cv",
    "output": "teacher_output",
    "fit_params": "teacher's fit parameters",
}


def check_transfer_options(
    teacher: Any,
    X: Any,
    *,
    teacher_cv: Any,
    augment: Any,
    student: Any,
    owner: str,
    streaming: bool = False,
) -> Any:
    """Check the teacher and transfer-set options before any fit; the augmenter.

    A frozen teacher must be fitted, cannot be cross-fitted and must have
    been fitted on X's features (names, order, count); augmentation needs
    dense X; NaN in X needs a student that takes it.
    """
    if is_frozen(teacher):
        check_is_fitted(
            teacher.estimator,
            msg=(
                "The teacher wrapped in FrozenEstimator is not fitted. Fit it "
                "before freezing it, or pass it unfrozen so that it is fit."
            ),
        )
        if teacher_cv is not None:
            raise ValueError(
                "teacher_cv is set but the teacher is frozen: a FrozenEstimator "
                "cannot be cross-fitted. Set teacher_cv=None to use the prefit "
                "teacher's outputs on the training rows, or pass the teacher "
                "unfrozen."
            )
        check_teacher_features(teacher, X)
    if _has_nan(X) and not _allows_nan(student):
        if streaming:
            hint = (
                "Give the student a fitted imputation (or encoding) as a first "
                "step wrapped in FrozenEstimator, which partial_fit applies and "
                "never refits, e.g. make_pipeline(FrozenEstimator(SimpleImputer()"
                ".fit(X_sample)), StandardScaler(), SGDClassifier(loss='log_loss'))."
            )
        else:
            hint = (
                f"Put an imputer before the {owner} in a Pipeline, e.g. "
                f"make_pipeline(SimpleImputer(), {owner}(...)), or use a student "
                "that handles missing values (such as HistGradientBoosting)."
            )
        raise ValueError(
            f"Input X contains NaN, which the student {type(student).__name__}"
            f" does not accept. {hint}"
        )
    augmenter = check_augmenter(augment)
    if augmenter is not None and sp.issparse(X):
        raise ValueError(
            "augment needs dense X (an array or a DataFrame); got a sparse "
            "matrix. Densify X or set augment=None."
        )
    return augmenter
