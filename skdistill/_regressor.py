"""DistilledRegressor: a teacher regressor distilled into a light student."""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import numpy as np
from joblib import Memory
from numpy.typing import ArrayLike, NDArray
from sklearn.base import RegressorMixin, _fit_context, clone, is_classifier
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import (
    column_or_1d,
)

from ._base import BaseDistiller, FitSetup, StudentSet, TrainingRows
from ._fit_params import fit_with_sample_weight
from ._partial import (
    can_partial_fit,
    default_stream_regressor,
    learn_batch,
    partial_fit_batch,
    value_fidelity,
)
from ._teacher import DEFAULT_TEACHER_PARAMS, PredictionOutput, is_frozen
from ._validation import (
    final_estimator,
    validate_fit_xy,
)
from .augment import Augmenter
from .augment._check import AUGMENT_NAMES
from .students._tree import (
    fit_teacher_split_tree,
    is_tree_regressor,
)


def _default_teacher() -> Any:
    from lightgbm import LGBMRegressor

    return LGBMRegressor(**DEFAULT_TEACHER_PARAMS)


def _default_student(X: Any = None) -> Any:
    return Ridge()


REGRESSION_STRATEGIES = ("auto", "blend", "teacher_splits")


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


def _multi_output(estimator: Any) -> bool:
    if is_frozen(estimator):  # FrozenEstimator's tags are not its estimator's
        estimator = estimator.estimator
    try:
        return get_tags(estimator).target_tags.multi_output
    except Exception:  # a third-party estimator without tags
        return False


class DistilledRegressor(RegressorMixin, BaseDistiller):
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
        ``lightgbm.LGBMRegressor(n_estimators=300, learning_rate=0.05)``.
    student : regressor, default=None
        The light model that is shipped. Cloned, then fit on the blended
        target. ``None`` means ``Ridge()``.
    alpha : float in [0, 1], default=0.5
        Weight of the labels in the target; ``alpha = 1`` ignores the
        teacher on labelled rows (with every row labelled and no ``augment``,
        the student is its hard-target twin), ``alpha = 0`` ignores the
        labels.
    fit_strategy : {"auto", "blend", "teacher_splits"}, default="auto"
        How the student learns the blended target. ``"blend"``: its own
        ``fit`` on the blended target. ``"teacher_splits"`` (a
        :class:`~sklearn.tree.DecisionTreeRegressor` student with a
        squared-error criterion, or a Pipeline ending in one): the tree's
        splits are fitted on the teacher's
        predictions, then each node's value is set to the mean blended target
        of its training rows; the student stays a
        ``DecisionTreeRegressor``, and its error changes smoothly with
        ``alpha`` (the splits do not depend on it). ``"auto"``:
        ``"teacher_splits"`` for a decision tree, ``"blend"`` otherwise.
    teacher_cv : int, cross-validation generator, iterable or None, default=None
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
    memory : str, joblib.Memory or None, default=None
        Cache of the teacher's fit and predictions, as in
        :class:`sklearn.pipeline.Pipeline` (a string is the path of a cache
        directory), keyed on everything they depend on (the teacher's class
        and parameters, ``X``, ``y``, ``sample_weight`` and the teacher's fit
        parameters, ``teacher_cv``, ``augment``, ``unlabeled`` and, with ``augment``,
        ``random_state``): a :class:`~sklearn.model_selection.GridSearchCV`
        over ``alpha`` fits the teacher once per fold. ``None``: nothing is
        cached. See also :class:`~skdistill.DistilledRegressorCV`.
        A callable ``augment`` is keyed by its code (a function redefined
        under the same name misses the cache), and what cannot be keyed is
        refused. Entries are pickles: a cache directory is trusted like
        code, never one that others can write (see the user guide,
        "Reliability and security").
    n_jobs : int, default=None
        Folds of ``teacher_cv`` fitted in parallel (joblib). OpenMP threads
        (LightGBM, HistGradientBoosting) are limited inside ``fit`` so that
        they do not spin-wait on a busy machine: one per 250,000 values of
        ``X`` (rows x columns), at most the physical cores less one, shared
        by the ``n_jobs`` workers. A LightGBM model's own ``n_jobs`` wins;
        the environment variable ``SKDISTILL_N_THREADS`` replaces the rule
        (see the user guide, "Threads on a busy machine").
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
    fit_strategy_ : str
        The strategy used: ``"blend"`` or ``"teacher_splits"``.
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
    skdistill.DistilledRegressorCV : Chooses ``alpha`` (and the augmentation
        size) by cross-validation, fitting the teacher once per fold.
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
    >>> from skdistill import DistilledRegressor
    >>> X, y = make_friedman1(n_samples=1000, noise=1.0, random_state=0)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> model = DistilledRegressor(
    ...     teacher=LGBMRegressor(n_estimators=100, verbose=-1),
    ...     student=DecisionTreeRegressor(max_depth=4, random_state=0),
    ...     alpha=0.5,
    ...     teacher_cv=5,
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
        "fit_strategy": [StrOptions(set(REGRESSION_STRATEGIES))],
        "teacher_cv": ["cv_object", None],
        "augment": [
            None,
            StrOptions(set(AUGMENT_NAMES)),
            Augmenter,
            callable,
        ],
        "unlabeled": [None, Real],
        "memory": [None, str, HasMethods(["cache"])],
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
        fit_strategy: str = "auto",
        teacher_cv: Any = None,
        augment: Any = None,
        unlabeled: float | None = None,
        memory: str | Memory | None = None,
        n_jobs: int | None = None,
        verbose: int = 0,
        random_state: Any = None,
    ) -> None:
        self.teacher = teacher
        self.student = student
        self.alpha = alpha
        self.fit_strategy = fit_strategy
        self.teacher_cv = teacher_cv
        self.augment = augment
        self.unlabeled = unlabeled
        self.memory = memory
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.random_state = random_state

    _default_teacher = staticmethod(_default_teacher)
    _default_student = staticmethod(_default_student)
    _default_stream_student = staticmethod(default_stream_regressor)

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
        return self._fit(X, y, sample_weight, fit_params)

    @available_if(can_partial_fit)
    def partial_fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> DistilledRegressor:
        """Distil one batch of a stream: the fitted teacher predicts it, the
        student learns the blended target.

        Available with a fitted teacher (wrapped in
        :class:`~sklearn.frozen.FrozenEstimator`, or fit by :meth:`fit`) and a
        student with ``partial_fit`` (``SGDRegressor``, ``MLPRegressor``, or a
        Pipeline whose every step has one or is a fitted step wrapped in
        :class:`~sklearn.frozen.FrozenEstimator`, applied and never refit: a
        table with text columns or missing values needs such an encoding,
        fitted on a sample, as the default student takes numbers only);
        ``student=None`` means
        ``make_pipeline(StandardScaler(), SGDRegressor())`` here. The teacher
        is never trained. The first call starts the student (after
        :meth:`fit`, it continues the fitted one); each call learns
        ``alpha * y + (1 - alpha) * teacher_prediction`` (the teacher's
        prediction alone on rows marked ``unlabeled``). Nothing of a batch is
        kept: memory does not grow with the stream.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            One batch.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Its targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, passed to the student's ``partial_fit``.
        **fit_params : dict
            Further parameters of the student's ``partial_fit``, routed by
            metadata routing.

        Returns
        -------
        self : DistilledRegressor
            The updated estimator.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import make_regression
        >>> from sklearn.frozen import FrozenEstimator
        >>> from sklearn.linear_model import Ridge, SGDRegressor
        >>> from skdistill import DistilledRegressor
        >>> X, y = make_regression(n_samples=3000, n_features=5, random_state=0)
        >>> teacher = Ridge().fit(X[:1000], y[:1000])
        >>> model = DistilledRegressor(
        ...     FrozenEstimator(teacher), SGDRegressor(random_state=0)
        ... )
        >>> for batch in np.array_split(np.arange(1000, 3000), 4):
        ...     model = model.partial_fit(X[batch], y[batch])
        >>> model.n_batches_seen_
        4
        >>> bool(model.training_fidelity_ > 0.99)
        True
        """
        return partial_fit_batch(self, X, y, None, sample_weight, fit_params)

    def _resolve_roles(
        self, teacher: Any, student: Any, classes: None
    ) -> tuple[str, Any]:
        """The strategy that fits the student (both are regressors, checked
        with the data)."""
        tree = is_tree_regressor(student)
        final = final_estimator(student)
        if self.fit_strategy == "teacher_splits" and not tree:
            if isinstance(final, DecisionTreeRegressor):
                raise ValueError(
                    "fit_strategy='teacher_splits' sets each node's value to the "
                    "mean of its rows' blended targets, which only a squared-error "
                    f"tree uses; the student's criterion is {final.criterion!r}. "
                    "Use criterion='squared_error' or fit_strategy='blend'."
                )
            raise ValueError(
                "fit_strategy='teacher_splits' needs a DecisionTreeRegressor "
                "student with criterion='squared_error' or 'friedman_mse' (or a "
                f"Pipeline ending in one); {type(student).__name__} is not one. "
                "Use fit_strategy='auto' or 'blend'."
            )
        if self.fit_strategy == "auto":
            return ("teacher_splits" if tree else "blend"), student
        return self.fit_strategy, student

    def _encode_targets(
        self,
        y: NDArray[np.float64],
        labelled: NDArray[np.bool_],
        teacher: Any,
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], PredictionOutput, None]:
        """The targets as they are, for the teacher and the student."""
        return y, y, PredictionOutput(y.shape[1:]), None

    def _soft_targets(
        self, setup: FitSetup, teacher_outputs: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """The teacher's predictions, as they are (a regression has no temperature)."""
        return teacher_outputs

    def _fit_student(
        self, setup: FitSetup, rows: TrainingRows, training: StudentSet
    ) -> None:
        """Fit the student on the labels blended with the teacher's predictions."""
        self._output_shape = tuple(training.y.shape[1:])
        target = blend_regression_targets(
            training.y, training.soft_targets, self.alpha_, training.labelled
        )
        if setup.strategy == "teacher_splits":
            self.student_ = fit_teacher_split_tree(
                clone(setup.student),
                training.X,
                target,
                training.soft_targets,
                alpha=self.alpha_,
                sample_weight=training.sample_weight,
                fit_params=dict(rows.student_params),
            )
        else:
            self.student_ = fit_with_sample_weight(
                clone(setup.student),
                training.X,
                target,
                training.sample_weight,
                **rows.student_params,
            )
        real = training.teacher_outputs[: rows.n_rows]
        student_pred = np.asarray(self.student_.predict(rows.X), dtype=np.float64)
        self.training_fidelity_ = float(
            r2_score(real, student_pred.reshape(real.shape))
        )

    def _validate_fit_data(
        self, X: Any, y: Any, teacher: Any, student: Any
    ) -> tuple[Any, NDArray[np.float64]]:
        for role, estimator in (("teacher", teacher), ("student", student)):
            if is_classifier(estimator):
                raise ValueError(
                    f"The {role} {type(estimator).__name__} is a classifier, but "
                    "DistilledRegressor needs regressors. Use a regressor, or "
                    "DistilledClassifier for a classification task."
                )
        X, y = validate_fit_xy(self, X, y, multi_output=True)
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
        mask = self._marked_rows(y)
        if not mask.any():
            raise ValueError(
                f"Every row of y is marked unlabeled ({self.unlabeled!r}); the "
                "teacher needs labelled rows."
            )
        return mask

    def _marked_rows(self, y: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Rows not marked by ``unlabeled`` (a batch of ``partial_fit`` may have
        none: its teacher is fitted)."""
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
        return ~marked

    # -- hooks of partial_fit (skdistill._partial) ------------------------------------
    def _validate_batch(self, X: Any, y: Any, *, reset: bool) -> tuple[Any, Any]:
        X, y = validate_fit_xy(self, X, y, reset=reset, multi_output=True)
        y = np.asarray(y, dtype=np.float64)
        if not reset and y.shape[1:] != self._output_shape:
            if y.ndim == 2 and y.shape[1] == 1 and self._output_shape == ():
                return X, y.ravel()
            raise ValueError(
                f"y has shape {y.shape}, but the first batch's targets had "
                f"{(self._output_shape or (1,))[0]} output(s) per row. Pass targets "
                "of the same shape on every call to partial_fit."
            )
        return X, y

    def _start_stream(
        self, teacher: Any, student: Any, y: NDArray[np.float64], classes: Any
    ) -> None:
        """The first batch: roles, strategy, the shape of the targets."""
        for role, estimator in (("teacher", teacher), ("student", student)):
            if is_classifier(final_estimator(estimator)):
                raise ValueError(
                    f"The {role} {type(estimator).__name__} is a classifier, but "
                    "DistilledRegressor needs regressors. Use a regressor, or "
                    "DistilledClassifier for a classification task."
                )
        if self.fit_strategy == "teacher_splits":
            raise ValueError(
                "fit_strategy='teacher_splits' grows a tree whole and cannot learn "
                "batch by batch; partial_fit takes 'auto' or 'blend'."
            )
        if (
            y.ndim == 2
            and y.shape[1] != 1
            and not (_multi_output(teacher) and _multi_output(student))
        ):
            inner = teacher.estimator if is_frozen(teacher) else teacher
            raise ValueError(
                f"y has {y.shape[1]} outputs (shape {y.shape}), but the teacher "
                f"{type(inner).__name__} or the student "
                f"{type(student).__name__} supports a single output (by its "
                "multi_output tag). Use estimators that support several outputs, "
                "e.g. a student MultiOutputRegressor(SGDRegressor()), which has "
                "partial_fit."
            )
        self.fit_strategy_ = "blend"
        shape = y.shape[1:] if y.ndim == 2 and y.shape[1] != 1 else ()
        self._output_shape = tuple(shape)
        self._stream_fidelity = None

    def _resume_stream(self) -> None:
        """The first batch after fit: the targets' shape of the teacher's outputs."""
        self._stream_fidelity = None

    def _check_batch_classes(self, classes: Any) -> None:
        """A regressor has no classes."""

    def _stream_output_shape(self) -> tuple[int, ...]:
        return self._output_shape

    def _stream_teacher_outputs(self, X: Any) -> NDArray[np.float64]:
        """The teacher's predictions on a batch, in the shape of the targets'."""
        return PredictionOutput(self._output_shape).read(self.teacher_, X)

    def _learn_stream_batch(
        self,
        X: Any,
        y: NDArray[np.float64],
        teacher_outputs: NDArray[np.float64],
        sample_weight: NDArray[np.float64] | None,
        params: dict[str, Any],
    ) -> None:
        """The student learns one batch's blended target; the running fidelity."""
        if y.ndim == 2 and self._output_shape == ():
            y = y.ravel()
        labelled = self._marked_rows(y)
        target = blend_regression_targets(y, teacher_outputs, self.alpha_, labelled)
        learn_batch(self.student_, "partial_fit", X, target, sample_weight, **params)
        self._stream_fidelity, self.training_fidelity_ = value_fidelity(
            self._stream_fidelity, self.student_.predict(X), teacher_outputs
        )

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
        return self.student_.predict(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        teacher_tags = get_tags(self._resolved_teacher())
        student_tags = get_tags(self._resolved_student())
        tags.target_tags.multi_output = (
            teacher_tags.target_tags.multi_output
            and student_tags.target_tags.multi_output
        )
        return tags
