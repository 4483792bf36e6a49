"""DistilledRegressor: a teacher regressor distilled into a light student."""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from numpy.typing import ArrayLike, NDArray
from sklearn.base import (
    BaseEstimator,
    MetaEstimatorMixin,
    RegressorMixin,
    _fit_context,
    clone,
    is_classifier,
)
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import check_cv
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metadata_routing import _raise_for_params
from sklearn.utils.validation import (
    _check_sample_weight,
    _check_y,
    _num_samples,
    check_consistent_length,
    column_or_1d,
    validate_data,
)

from ._augment import AUGMENT_NAMES, Augmenter
from ._classifier import (
    DistilledClassifier,
    _has_nan,
    _is_dataframe,
)
from ._strategies import _index_params, accepts_sample_weight, fit_with_sample_weight
from ._teacher import CHUNK_ROWS, is_frozen
from ._transfer import check_transfer_options, concat_rows, synthetic_rows


def _default_teacher() -> Any:
    from lightgbm import LGBMRegressor

    return LGBMRegressor(n_estimators=200, learning_rate=0.05, verbose=-1)


def _default_student() -> Any:
    return Ridge()


def blend_regression_targets(
    y: NDArray[np.float64],
    teacher_predictions: NDArray[np.float64],
    alpha: float,
    labelled: NDArray[np.bool_] | None = None,
) -> NDArray[np.float64]:
    """The student's regression target: labels blended with the teacher's.

    ``target = alpha * y + (1 - alpha) * teacher_predictions`` on labelled
    rows, and ``target = teacher_predictions`` on the others (unlabeled or
    synthetic rows have no ``y``). For a squared-loss student this is the
    minimizer of ``alpha * (y - f)**2 + (1 - alpha) * (t - f)**2``.

    Parameters
    ----------
    y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Labels; their values on unlabelled rows are ignored.
    teacher_predictions : ndarray of the same shape as ``y``
    alpha : float in [0, 1]
        Weight of the labels.
    labelled : ndarray of bool of shape (n_samples,), default=None
        Rows that have a label; ``None`` means all.

    Returns
    -------
    target : ndarray of the same shape as ``y``

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill._regressor import blend_regression_targets
    >>> blend_regression_targets(
    ...     np.array([1.0, 1.0]), np.array([3.0, 3.0]), 0.25, np.array([True, False])
    ... ).tolist()
    [2.5, 3.0]
    """
    y = np.asarray(y, dtype=np.float64)
    teacher_predictions = np.asarray(teacher_predictions, dtype=np.float64)
    target = alpha * y + (1.0 - alpha) * teacher_predictions
    if labelled is not None:
        target[~labelled] = teacher_predictions[~labelled]
    return target


def teacher_predictions(
    teacher: Any, X: Any, output_shape: tuple[int, ...] = (), *, verbose: int = 0
) -> NDArray[np.float64]:
    """The teacher's ``predict`` on X, in chunks of ``CHUNK_ROWS`` rows.

    Returns an array of shape ``(n_samples, *output_shape)``; with
    ``verbose`` a progress line is printed per chunk on big inputs.
    """
    n = _num_samples(X)
    out = np.empty((n, *output_shape), dtype=np.float64)
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        chunk = teacher.predict(_safe_indexing(X, slice(start, stop)))
        out[start:stop] = np.asarray(chunk, dtype=np.float64).reshape(
            stop - start, *output_shape
        )
        if verbose and n > CHUNK_ROWS:
            print(f"[skdistill] teacher outputs: {stop:,}/{n:,} rows", flush=True)
    return out


def _fit_fold_predict(
    teacher: Any,
    X: Any,
    y: NDArray[np.float64],
    train: NDArray[np.intp],
    test: NDArray[np.intp],
    sample_weight: NDArray[np.float64] | None,
    fit_params: dict[str, Any],
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    params = _index_params(fit_params, train, y.shape[0])
    weight = None if sample_weight is None else sample_weight[train]
    fold_teacher = fit_with_sample_weight(
        clone(teacher), _safe_indexing(X, train), y[train], weight, **params
    )
    return test, teacher_predictions(fold_teacher, _safe_indexing(X, test), y.shape[1:])


def out_of_fold_predictions(
    teacher: Any,
    X: Any,
    y: NDArray[np.float64],
    *,
    cv: Any,
    sample_weight: NDArray[np.float64] | None = None,
    fit_params: dict[str, Any] | None = None,
    n_jobs: int | None = None,
    verbose: int = 0,
) -> NDArray[np.float64]:
    """Teacher predictions on every row from a clone that was not trained on it.

    The regression counterpart of :func:`skdistill._transfer.out_of_fold_logits`:
    an int ``cv`` gives :class:`~sklearn.model_selection.KFold` splits (as in
    :func:`~sklearn.model_selection.cross_val_predict` for a regressor), and
    each row must be held out exactly once.

    Returns
    -------
    predictions : ndarray of the same shape as ``y``
    """
    splits = list(check_cv(cv, y, classifier=False).split(X, y))
    held_out = np.concatenate([test for _, test in splits])
    if held_out.size != y.shape[0] or np.unique(held_out).size != y.shape[0]:
        raise ValueError(
            "cv must hold out every training row exactly once (a partition, "
            "like KFold) so that each row gets an out-of-fold teacher "
            "prediction; got splits that do not."
        )
    results = Parallel(n_jobs=n_jobs, verbose=verbose)(
        delayed(_fit_fold_predict)(
            teacher, X, y, train, test, sample_weight, fit_params or {}
        )
        for train, test in splits
    )
    predictions = np.empty(y.shape, dtype=np.float64)
    for test, fold_predictions in results:
        predictions[test] = fold_predictions
    return predictions


def _multi_output(estimator: Any) -> bool:
    try:
        return get_tags(estimator).target_tags.multi_output
    except Exception:  # a third-party estimator without tags
        return False


class DistilledRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Distil a heavy teacher regressor into a light student regressor.

    ``fit`` fits the teacher on ``(X, y)`` (or uses a prefit teacher wrapped
    in :class:`sklearn.frozen.FrozenEstimator` as is), predicts the training
    rows with it, and fits the student on the blended target::

        target = alpha * y + (1 - alpha) * teacher_prediction

    (see :func:`blend_regression_targets`). Rows without a label (synthetic
    rows from ``augment``, rows marked ``unlabeled``) get the teacher's
    prediction alone. Predictions come from the student alone. For a
    squared-loss student the blended target is exactly the minimizer of
    ``alpha * (y - f)**2 + (1 - alpha) * (t - f)**2``: the teacher's
    predictions act as a smoothed, denoised label (Ba & Caruana, 2014).

    Parameters
    ----------
    teacher : regressor, default=None
        The heavy model. Cloned and refit, unless wrapped in
        :class:`sklearn.frozen.FrozenEstimator`, in which case it is used as
        is. ``None`` means
        ``lightgbm.LGBMRegressor(n_estimators=200, learning_rate=0.05)``.
    student : regressor, default=None
        The light model that is shipped. Cloned, then fit on the blended
        target. ``None`` means ``Ridge()``.
    alpha : float in [0, 1], default=0.5
        Weight of the labels in the target; ``alpha = 1`` ignores the
        teacher, ``alpha = 0`` ignores the labels.
    cv : int, cross-validation generator, iterable or None, default=None
        Where the teacher's predictions on the training rows come from.
        ``None``: the teacher fitted on all rows (in-sample, close to ``y``
        for a boosted teacher). Otherwise out-of-fold, as in
        :func:`~sklearn.model_selection.cross_val_predict` (an int gives
        that many :class:`~sklearn.model_selection.KFold` folds);
        ``teacher_`` is still refit on all rows and predicts the synthetic
        and unlabeled rows. An error with a frozen teacher.
    augment : {"munge", "perturb"}, Augmenter, callable or None, default=None
        Synthetic rows added to the student's training set, labelled by the
        teacher alone, as in :class:`~skdistill.DistilledClassifier`. They
        get the mean sample weight of the real rows.
    unlabeled : int, float or None, default=None
        Marker of unlabeled rows in ``y``, compared with ``==`` (with
        several outputs, a row is unlabeled when all of them equal it). Such
        rows are not used to fit the teacher; the student learns the
        teacher's prediction for them. ``NaN`` cannot be a marker
        (``NaN != NaN``, and ``y`` must be finite): use a value that cannot
        be a real target, such as ``-999``.
    n_jobs : int, default=None
        Folds of ``cv`` fitted in parallel (joblib).
    verbose : int, default=0
        Progress reports: the folds, and the teacher's predictions on big
        transfer sets (computed in chunks of 16,384 rows).
    random_state : int, RandomState instance or None, default=None
        Seed of the augmentation (unless the Augmenter has its own).

    Attributes
    ----------
    teacher_ : regressor
        The fitted teacher (the frozen one itself when frozen).
    student_ : regressor
        The fitted student, which makes every prediction.
    n_synthetic_ : int
        Number of synthetic rows the student was trained on.
    training_fidelity_ : float
        R^2 of the student's predictions against the teacher's (in-sample
        or out-of-fold, as used for the target) on the training rows.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skdistill.DistilledClassifier : The same for classification.

    References
    ----------
    J. Ba and R. Caruana, "Do Deep Nets Really Need to be Deep?", NeurIPS 2014.

    C. Bucilă, R. Caruana and A. Niculescu-Mizil, "Model Compression", KDD 2006.

    Examples
    --------
    >>> from lightgbm import LGBMRegressor
    >>> from sklearn.datasets import make_friedman1
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from skdistill._regressor import DistilledRegressor
    >>> X, y = make_friedman1(n_samples=1000, noise=1.0, random_state=0)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> model = DistilledRegressor(
    ...     teacher=LGBMRegressor(n_estimators=100, verbose=-1),
    ...     student=DecisionTreeRegressor(max_depth=4, random_state=0),
    ...     alpha=0.5,
    ...     cv=5,
    ... ).fit(X_train, y_train)
    >>> bool(model.score(X_test, y_test) > 0.5)
    True
    >>> bool(model.training_fidelity_ > 0.5)
    True
    """

    _parameter_constraints: dict = {
        "teacher": [HasMethods(["fit", "predict"]), None],
        "student": [HasMethods(["fit", "predict"]), None],
        "alpha": [Interval(Real, 0, 1, closed="both")],
        "cv": ["cv_object", None],
        "augment": [
            None,
            StrOptions(set(AUGMENT_NAMES)),
            Augmenter,
            callable,
        ],
        "unlabeled": [None, Real],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        teacher: Any = None,
        student: Any = None,
        *,
        alpha: float = 0.5,
        cv: Any = None,
        augment: Any = None,
        unlabeled: float | None = None,
        n_jobs: int | None = None,
        verbose: int = 0,
        random_state: Any = None,
    ) -> None:
        self.teacher = teacher
        self.student = student
        self.alpha = alpha
        self.cv = cv
        self.augment = augment
        self.unlabeled = unlabeled
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.random_state = random_state

    # -- sub-estimators -------------------------------------------------------
    def _resolved_teacher(self) -> Any:
        return _default_teacher() if self.teacher is None else self.teacher

    def _resolved_student(self) -> Any:
        return _default_student() if self.student is None else self.student

    # Shared with DistilledClassifier: the routing of fit parameters to the
    # teacher and the student is the same for both tasks.
    _route_fit_params = DistilledClassifier._route_fit_params
    get_metadata_routing = DistilledClassifier.get_metadata_routing
    _check_predict_input = DistilledClassifier._check_predict_input
    _object_to_float = staticmethod(DistilledClassifier._object_to_float)

    # -- fitting ----------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> DistilledRegressor:
        """Fit the teacher (unless frozen), then the student on the blended target.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed as is to the teacher and the student (a
            DataFrame keeps its column names and dtypes).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets. Several outputs need a teacher and a student that
            support them.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights. Without metadata routing they go to the teacher and
            the student, whose ``fit`` must accept them; with routing
            enabled, to whichever requested them.
        **fit_params : dict
            Further fit parameters, routed to the teacher and the student by
            metadata routing (``sklearn.set_config(enable_metadata_routing=True)``).

        Returns
        -------
        self : DistilledRegressor
            The fitted estimator.
        """
        _raise_for_params(fit_params, self, "fit")
        teacher = self._resolved_teacher()
        student = clone(self._resolved_student())
        for role, estimator in (("teacher", teacher), ("student", student)):
            if is_classifier(estimator):
                raise ValueError(
                    f"The {role} {type(estimator).__name__} is a classifier, but "
                    "DistilledRegressor needs regressors. Use a regressor, or "
                    "DistilledClassifier for a classification task."
                )
        X, y = self._validate_fit_data(X, y, teacher, student)
        frozen = is_frozen(teacher)
        augmenter = check_transfer_options(
            teacher,
            X,
            cv=self.cv,
            augment=self.augment,
            student=student,
            owner=type(self).__name__,
        )
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, ensure_non_negative=True
            )
        teacher_params, student_params = self._route_fit_params(
            teacher, student, frozen, sample_weight, fit_params
        )
        student_weight = student_params.pop("sample_weight", None)
        if student_weight is not None and not accepts_sample_weight(student):
            raise ValueError(
                f"sample_weight was given but the student {type(student).__name__} "
                "does not accept sample_weight in fit; drop sample_weight or use a "
                "student that supports it."
            )

        labelled = self._labelled_mask(y)
        rows = np.flatnonzero(labelled)
        X_lab, y_lab = _safe_indexing(X, rows), y[rows]
        teacher_weight = teacher_params.pop("sample_weight", None)
        if teacher_weight is not None:
            teacher_weight = teacher_weight[rows]
        teacher_params = _index_params(teacher_params, rows, y.shape[0])
        if frozen:
            self.teacher_ = teacher
        else:
            self.teacher_ = fit_with_sample_weight(
                clone(teacher), X_lab, y_lab, teacher_weight, **teacher_params
            )
        output_shape = y.shape[1:]
        if self.cv is None:
            predictions = teacher_predictions(
                self.teacher_, X, output_shape, verbose=self.verbose
            )
        else:
            predictions = np.empty(y.shape, dtype=np.float64)
            predictions[rows] = out_of_fold_predictions(
                teacher,
                X_lab,
                y_lab,
                cv=self.cv,
                sample_weight=teacher_weight,
                fit_params=teacher_params,
                n_jobs=self.n_jobs,
                verbose=self.verbose,
            )
            unlabelled_rows = np.flatnonzero(~labelled)
            if unlabelled_rows.size:
                predictions[unlabelled_rows] = teacher_predictions(
                    self.teacher_,
                    _safe_indexing(X, unlabelled_rows),
                    output_shape,
                    verbose=self.verbose,
                )
        target = blend_regression_targets(y, predictions, self.alpha, labelled)

        X_student = X
        if augmenter is not None:
            X_syn = synthetic_rows(
                augmenter,
                X_lab,
                student_params=student_params,
                n_rows=y.shape[0],
                random_state=self.random_state,
            )
            target_syn = teacher_predictions(
                self.teacher_, X_syn, output_shape, verbose=self.verbose
            )
            n_syn = target_syn.shape[0]
            X_student = concat_rows(X, X_syn)
            target = np.concatenate([target, target_syn])
            if student_weight is not None:
                fill = np.mean(student_weight) if student_weight.size else 1.0
                student_weight = np.concatenate([student_weight, np.full(n_syn, fill)])
            self.n_synthetic_ = n_syn
        else:
            self.n_synthetic_ = 0

        self.student_ = fit_with_sample_weight(
            student, X_student, target, student_weight, **student_params
        )
        student_pred = np.asarray(self.student_.predict(X), dtype=np.float64)
        self.training_fidelity_ = float(
            r2_score(predictions, student_pred.reshape(predictions.shape))
        )
        return self

    def _validate_fit_data(
        self, X: Any, y: Any, teacher: Any, student: Any
    ) -> tuple[Any, NDArray[np.float64]]:
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        if _is_dataframe(X):
            # Keep the DataFrame (names, categorical dtypes) for the teacher
            # and student; only record its feature names and count.
            X, _ = validate_data(self, X, y, skip_check_array=True)
            y = _check_y(y, multi_output=True, y_numeric=True, estimator=self)
        else:
            X, y = validate_data(
                self,
                X,
                y,
                accept_sparse=["csr", "csc"],
                dtype=None,
                ensure_all_finite=False,
                multi_output=True,
                y_numeric=True,
            )
            if X.dtype.kind == "O":
                X = self._object_to_float(X)
        check_consistent_length(X, y)
        if y.ndim == 2 and not (_multi_output(teacher) and _multi_output(student)):
            if y.shape[1] != 1:
                raise ValueError(
                    f"y has {y.shape[1]} outputs (shape {y.shape}), but the teacher "
                    f"{type(teacher).__name__} or the student "
                    f"{type(student).__name__} supports a single output. Use "
                    "estimators that support several outputs (e.g. Ridge, "
                    "DecisionTreeRegressor) or wrap them in "
                    "sklearn.multioutput.MultiOutputRegressor."
                )
            y = column_or_1d(y, warn=True)
        return X, np.asarray(y, dtype=np.float64)

    def _labelled_mask(self, y: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Rows with a label: all, unless ``unlabeled`` marks some of them."""
        if self.unlabeled is None:
            return np.ones(y.shape[0], dtype=bool)
        if isinstance(self.unlabeled, Real) and math.isnan(self.unlabeled):
            raise ValueError(
                "unlabeled=nan cannot mark rows: NaN != NaN, and y must be "
                "finite. Mark unlabeled rows with a finite value that no real "
                "target takes, e.g. unlabeled=-999."
            )
        marked = y == self.unlabeled
        if marked.ndim == 2:
            marked = marked.all(axis=1)
        if marked.all():
            raise ValueError(
                f"Every row of y is marked unlabeled ({self.unlabeled!r}); the "
                "teacher needs labelled rows."
            )
        return ~marked

    # -- prediction ---------------------------------------------------------------
    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Predict with the student.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        X = self._check_predict_input(X)
        if not self.__sklearn_tags__().input_tags.allow_nan and _has_nan(X):
            raise ValueError(
                "Input X contains NaN, which this DistilledRegressor does not "
                "accept (its teacher or student does not handle missing values). "
                "Put an imputer before it in a Pipeline."
            )
        return self.student_.predict(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        teacher_tags = get_tags(self._resolved_teacher())
        student_tags = get_tags(self._resolved_student())
        tags.input_tags.allow_nan = (
            teacher_tags.input_tags.allow_nan and student_tags.input_tags.allow_nan
        )
        tags.input_tags.sparse = (
            teacher_tags.input_tags.sparse
            and student_tags.input_tags.sparse
            and self.augment is None  # the augmenters need dense X
        )
        tags.target_tags.multi_output = (
            teacher_tags.target_tags.multi_output
            and student_tags.target_tags.multi_output
        )
        return tags
