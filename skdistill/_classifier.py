"""DistilledClassifier: a teacher's knowledge distilled into a light student."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    _fit_context,
    clone,
    is_regressor,
)
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from ._augment import AUGMENT_NAMES, Augmenter
from ._soft_targets import logits_from_decision, softmax
from ._strategies import (
    FIT_STRATEGIES,
    _index_params,
    accepts_sample_weight,
    fit_student,
    fit_with_sample_weight,
    resolve_student,
)
from ._teacher import (
    TEACHER_OUTPUTS,
    is_frozen,
    resolve_teacher_output,
    teacher_column_order,
    teacher_logits,
)
from ._transfer import (
    check_transfer_options,
    concat_rows,
    out_of_fold_logits,
    synthetic_rows,
)


def _default_teacher() -> Any:
    from lightgbm import LGBMClassifier

    return LGBMClassifier(n_estimators=200, learning_rate=0.05, verbose=-1)


def _default_student() -> Any:
    return LogisticRegression(max_iter=1000)


def _is_dataframe(X: Any) -> bool:
    return hasattr(X, "iloc") and hasattr(X, "columns")


def _has_nan(X: Any) -> bool:
    """Whether X holds a missing value (NaN, None or pandas NA)."""
    if _is_dataframe(X):
        return bool(X.isna().to_numpy().any())
    if hasattr(X, "tocsr"):  # scipy sparse
        data = X.tocsr().data
        return data.dtype.kind == "f" and bool(np.isnan(data).any())
    X = np.asarray(X)
    if X.dtype.kind in "fc":
        return bool(np.isnan(X).any())
    if X.dtype.kind == "O":
        return any(v is None or (isinstance(v, float) and v != v) for v in X.flat)
    return False


def _student_allows_nan(student: Any) -> bool:
    """Whether the student takes NaN; a Pipeline is trusted to handle it.

    A Pipeline's tags do not say whether an imputer inside it (perhaps in a
    ColumnTransformer) handles missing values, so it is left to the Pipeline
    to raise its own error.
    """
    if isinstance(student, Pipeline):
        return True
    try:
        return get_tags(student).input_tags.allow_nan
    except Exception:  # a third-party estimator without tags
        return False


def _sub_estimator_has(role: str, method: str):
    """available_if check: the fitted (or else the unfitted) sub-estimator has it."""

    def check(self: DistilledClassifier) -> bool:
        fitted = getattr(self, f"{role}_", None)
        est = fitted if fitted is not None else getattr(self, "_resolved_" + role)()
        if fitted is None and role == "student" and is_regressor(est):
            return True  # fit wraps it in a LogitMatchingClassifier
        getattr(est, method)  # raises AttributeError, which available_if reports
        return True

    return check


class DistilledClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Distil a heavy teacher classifier into a light student classifier.

    ``fit`` fits the teacher on ``(X, y)`` (or uses a prefit teacher wrapped in
    :class:`sklearn.frozen.FrozenEstimator` as is), turns its outputs into
    logits ``z_t``, softens them with the temperature ``T`` into
    ``p_T = softmax(z_t / T)``, and trains the student on a blend of the true
    labels and these soft targets, weighted by ``alpha``. Predictions come
    from the student alone.

    How the student learns the soft targets depends on ``fit_strategy``
    (see the user guide, "Fitting strategies"):

    - ``"native"``: the student implements
      :class:`~skdistill.SoftTargetStudent` and minimizes Hinton's loss
      ``alpha * CE(y, softmax(z)) + (1 - alpha) * T**2 *
      KL(p_T || softmax(z / T))`` with its own logits ``z``.
    - ``"weighted"``: each row is repeated once per class, labelled with that
      class and weighted by the blended target
      ``q = alpha * onehot(y) + (1 - alpha) * p_T`` (times the row's sample
      weight; weights at or below ``weight_threshold`` are pruned). For a
      log-loss student this minimizes exactly
      ``sum_i w_i CE(q_i, s_i) = alpha * CE(y, s) + (1 - alpha) *
      [KL(p_T || s) + H(p_T)]`` with ``s`` the student's probabilities; the
      temperature acts on the teacher only, so ``T**2`` plays no role. Costs
      up to ``n_samples * n_classes`` training rows.
    - ``"hard"``: the student is fit on ``argmax q``, the most probable class
      of the blended target; for any classifier, without dark knowledge.
    - ``"logits"``: a regressor student fits the teacher's centered logits
      with a squared loss (Ba & Caruana, 2014), wrapped in
      :class:`~skdistill.LogitMatchingClassifier`.
    - ``"auto"`` (default): ``"logits"`` for a regressor; ``"native"`` if the
      student supports it (a plain ``LGBMClassifier`` is converted to
      :class:`~skdistill.SoftLGBMClassifier` with the same parameters), else
      ``"weighted"`` if its ``fit`` accepts ``sample_weight``, else
      ``"hard"`` with a warning.

    ``predict_proba`` returns the student's own probabilities (at
    temperature 1), with one column per class of ``classes_``.

    Parameters
    ----------
    teacher : classifier, default=None
        The heavy model. It needs ``fit`` and ``predict_proba`` or
        ``decision_function``. It is cloned and refit, unless wrapped in
        :class:`sklearn.frozen.FrozenEstimator`, in which case it is used as
        is and never refit. ``None`` means
        ``lightgbm.LGBMClassifier(n_estimators=200, learning_rate=0.05)``.
    student : classifier, default=None
        The light model that is shipped. Cloned, then fit by the strategy
        above. ``None`` means ``LogisticRegression(max_iter=1000)``.
    temperature : float, default=2.0
        ``T > 0``; the teacher's logits are divided by ``T`` before the
        softmax. ``T = 1`` uses the teacher's probabilities as they are;
        larger values flatten them and expose the ranking of wrong classes.
    alpha : float in [0, 1], default=0.5
        Weight of the hard labels in the blend; ``alpha = 1`` ignores the
        teacher (the student is fit on the labels alone), ``alpha = 0``
        ignores the labels.
    fit_strategy : {"auto", "native", "weighted", "hard", "logits"}, \
default="auto"
        How the student learns the soft targets, see above.
    teacher_output : {"auto", "predict_proba", "decision_function"}, \
default="auto"
        Teacher method whose output gives the logits: ``log`` of
        ``predict_proba``, or ``decision_function`` as is (``[0, d]`` for a
        binary one). ``"auto"`` prefers ``predict_proba``.
    weight_threshold : float in [0, 1), default=1e-3
        With the ``"weighted"`` strategy, expanded rows whose target weight
        is at or below this value are dropped (and the rest of the row
        renormalized), which bounds memory for many classes.
    cv : int, cross-validation generator, iterable or None, default=None
        Where the soft targets of the training rows come from. ``None``: the
        teacher fitted on all rows (in-sample; a boosted teacher's outputs
        there are nearly one-hot). Otherwise out-of-fold: each row's soft
        target comes from a clone of the teacher fit on the other folds (an
        int gives that many stratified folds); ``teacher_`` is still refit on
        all rows, and predicts the synthetic and unlabeled rows. An error
        with a frozen teacher, which cannot be cross-fitted.
    augment : {"munge", "perturb"}, Augmenter, callable or None, default=None
        Synthetic rows added to the student's training set, labelled by the
        teacher alone (no hard-label term): ``"munge"`` is
        :class:`~skdistill.MUNGE` (Bucilă et al., 2006), ``"perturb"`` the
        cheaper :class:`~skdistill.RandomPerturbation`; an
        :class:`~skdistill.Augmenter` instance sets its own size and
        parameters; a callable ``f(X, n_samples, random_state)`` is wrapped in
        :class:`~skdistill.FunctionAugmenter`. Synthetic rows get the mean
        sample weight of the real rows.
    unlabeled : int, str or None, default=None
        Marker of unlabeled rows in ``y`` (``-1`` is scikit-learn's
        semi-supervised convention). Such rows are not used to fit the
        teacher; the teacher labels them and the student learns them from
        the soft targets alone. ``None``: every row is labelled (so that
        labels such as ``{-1, 1}`` are safe by default).
    n_jobs : int, default=None
        Folds of ``cv`` fitted in parallel (joblib).
    verbose : int, default=0
        Progress reports: the folds, and the teacher's outputs on big
        transfer sets (computed in chunks of 16,384 rows).
    random_state : int, RandomState instance or None, default=None
        Seed of the augmentation (unless the Augmenter has its own).

    Attributes
    ----------
    teacher_ : classifier
        The fitted teacher (the frozen one itself when frozen).
    student_ : classifier
        The fitted student, which makes every prediction.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted. With a frozen teacher, the teacher's classes
        (which may include classes absent from ``y``: the student learns
        them from the soft targets).
    n_synthetic_ : int
        Number of synthetic rows the student was trained on.
    fit_strategy_ : str
        The strategy used: ``"native"``, ``"weighted"``, ``"hard"`` or
        ``"logits"``.
    training_fidelity_ : float
        Share of training rows on which the student predicts the teacher's
        most probable class.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skdistill.SoftTargetStudent : Protocol of students that learn soft
        targets natively.

    References
    ----------
    G. Hinton, O. Vinyals and J. Dean, "Distilling the Knowledge in a Neural
    Network", 2015.

    Examples
    --------
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdistill import DistilledClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> model = make_pipeline(
    ...     StandardScaler(),
    ...     DistilledClassifier(
    ...         teacher=LGBMClassifier(n_estimators=50, verbose=-1),
    ...         student=LogisticRegression(),
    ...         temperature=2.0,
    ...         alpha=0.5,
    ...     ),
    ... ).fit(X_train, y_train)
    >>> bool(model.score(X_test, y_test) > 0.9)
    True
    >>> model[-1].fit_strategy_
    'weighted'
    """

    _parameter_constraints: dict = {
        "teacher": [HasMethods(["fit"]), None],
        "student": [HasMethods(["fit", "predict"]), None],
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "alpha": [Interval(Real, 0, 1, closed="both")],
        "fit_strategy": [StrOptions(set(FIT_STRATEGIES))],
        "teacher_output": [StrOptions(set(TEACHER_OUTPUTS))],
        "weight_threshold": [Interval(Real, 0, 1, closed="left")],
        "cv": ["cv_object", None],
        "augment": [
            None,
            StrOptions(set(AUGMENT_NAMES)),
            Augmenter,
            callable,
        ],
        "unlabeled": [None, Integral, str],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        teacher: Any = None,
        student: Any = None,
        *,
        temperature: float = 2.0,
        alpha: float = 0.5,
        fit_strategy: str = "auto",
        teacher_output: str = "auto",
        weight_threshold: float = 1e-3,
        cv: Any = None,
        augment: Any = None,
        unlabeled: int | str | None = None,
        n_jobs: int | None = None,
        verbose: int = 0,
        random_state: Any = None,
    ) -> None:
        self.teacher = teacher
        self.student = student
        self.temperature = temperature
        self.alpha = alpha
        self.fit_strategy = fit_strategy
        self.teacher_output = teacher_output
        self.weight_threshold = weight_threshold
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

    # -- fitting ----------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> DistilledClassifier:
        """Fit the teacher (unless frozen), then the student on its soft targets.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed as is to the teacher and the student (a
            DataFrame keeps its column names and dtypes).
        y : array-like of shape (n_samples,)
            Class labels (strings, integers in any order, ...).
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights. Without metadata routing they go to the teacher and
            the student, whose ``fit`` must accept them; with routing
            enabled, to whichever requested them.
        **fit_params : dict
            Further fit parameters, routed to the teacher and the student by
            metadata routing (``sklearn.set_config(enable_metadata_routing=True)``).

        Returns
        -------
        self : DistilledClassifier
            The fitted estimator.
        """
        _raise_for_params(fit_params, self, "fit")
        X, y = self._validate_fit_data(X, y)
        teacher = self._resolved_teacher()
        student = clone(self._resolved_student())
        frozen = is_frozen(teacher)
        method = resolve_teacher_output(teacher, self.teacher_output)
        strategy, fitted_student = resolve_student(student, self.fit_strategy)
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
        if (
            strategy == "hard"
            and student_weight is not None
            and not accepts_sample_weight(student)
        ):
            raise ValueError(
                f"sample_weight was given but the student {type(student).__name__} "
                "does not accept sample_weight in fit; drop sample_weight or use a "
                "student that supports it."
            )
        labelled = self._labelled_mask(y)
        rows = np.flatnonzero(labelled)
        X_lab, y_lab = _safe_indexing(X, rows), y[rows]
        if self.unlabeled is not None and y_lab.dtype == object:
            # e.g. [0, 1, "u"] with unlabeled="u": the rest are plain labels
            y_lab = np.asarray(y_lab.tolist())
        check_classification_targets(y_lab)
        labels = np.unique(y_lab)
        if labels.size < 2 and not frozen:
            raise ValueError(
                f"y contains only one class ({labels.tolist()[:1]!r}); a classifier "
                "needs at least two classes in y (or a frozen teacher that knows "
                "more)."
            )
        teacher_weight = teacher_params.pop("sample_weight", None)
        if teacher_weight is not None:
            teacher_weight = teacher_weight[rows]
        teacher_params = _index_params(teacher_params, rows, y.shape[0])
        if frozen:
            teacher_column_order(teacher.classes_, labels)  # y's classes known?
            self.teacher_ = teacher
            self.classes_ = np.unique(np.asarray(teacher.classes_))
        else:
            self.classes_ = labels
            self.teacher_ = fit_with_sample_weight(
                clone(teacher), X_lab, y_lab, teacher_weight, **teacher_params
            )
        order = teacher_column_order(self.teacher_.classes_, self.classes_)
        if self.cv is None:
            logits = teacher_logits(
                self.teacher_, X, method, order, verbose=self.verbose
            )
        else:
            logits = np.empty((y.shape[0], self.classes_.size))
            logits[rows] = out_of_fold_logits(
                teacher,
                X_lab,
                y_lab,
                cv=self.cv,
                method=method,
                classes=self.classes_,
                sample_weight=teacher_weight,
                fit_params=teacher_params,
                n_jobs=self.n_jobs,
                verbose=self.verbose,
            )
            unlabelled_rows = np.flatnonzero(~labelled)
            if unlabelled_rows.size:
                logits[unlabelled_rows] = teacher_logits(
                    self.teacher_,
                    _safe_indexing(X, unlabelled_rows),
                    method,
                    order,
                    verbose=self.verbose,
                )
        y_encoded = np.full(y.shape[0], -1, dtype=np.intp)
        y_encoded[rows] = np.searchsorted(self.classes_, y_lab)

        X_student, logits_student = X, logits
        if augmenter is not None:
            X_syn = synthetic_rows(
                augmenter,
                X_lab,
                student_params=student_params,
                n_rows=y.shape[0],
                random_state=self.random_state,
            )
            logits_syn = teacher_logits(
                self.teacher_, X_syn, method, order, verbose=self.verbose
            )
            n_syn = logits_syn.shape[0]
            X_student = concat_rows(X, X_syn)
            logits_student = np.vstack([logits, logits_syn])
            y_encoded = np.concatenate([y_encoded, np.full(n_syn, -1, np.intp)])
            if student_weight is not None:
                fill = np.mean(student_weight) if student_weight.size else 1.0
                student_weight = np.concatenate([student_weight, np.full(n_syn, fill)])
            self.n_synthetic_ = n_syn
        else:
            self.n_synthetic_ = 0

        self.student_ = fit_student(
            strategy,
            fitted_student,
            X_student,
            y_encoded,
            softmax(logits_student, self.temperature),
            classes=self.classes_,
            temperature=float(self.temperature),
            alpha=float(self.alpha),
            weight_threshold=float(self.weight_threshold),
            sample_weight=student_weight,
            fit_params=student_params,
        )
        self.fit_strategy_ = strategy
        self._student_columns = self._student_column_positions()
        teacher_pred = self.classes_[logits.argmax(axis=1)]
        self.training_fidelity_ = float(
            np.mean(self.student_.predict(X) == teacher_pred)
        )
        return self

    def _labelled_mask(self, y: NDArray[Any]) -> NDArray[np.bool_]:
        """Rows with a label: all, unless ``unlabeled`` marks some of them."""
        if self.unlabeled is None:
            return np.ones(y.shape[0], dtype=bool)
        marker = self.unlabeled
        if (
            isinstance(marker, bool)
            or (isinstance(marker, str) and y.dtype.kind in "iufb")
            or (isinstance(marker, Integral) and y.dtype.kind in "US")
        ):
            raise ValueError(
                f"unlabeled={marker!r} cannot mark rows of y, whose labels are of "
                f"dtype {y.dtype}: use a marker of the labels' own type (for "
                "example -1 for integer labels, or a string such as 'unlabeled' "
                "for string labels)."
            )
        mask = np.array([not (v == marker) for v in y.tolist()], dtype=bool)
        if not mask.any():
            raise ValueError(
                f"Every row of y is marked unlabeled ({marker!r}); the teacher "
                "needs labelled rows."
            )
        return mask

    def _validate_fit_data(self, X: Any, y: Any) -> tuple[Any, NDArray[Any]]:
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        if _is_dataframe(X):
            # Keep the DataFrame (names, categorical dtypes) for the teacher
            # and student; only record its feature names and count.
            X, _ = validate_data(self, X, y, skip_check_array=True)
            y = column_or_1d(y, warn=True)
            check_consistent_length(X, y)
        else:
            X, y = validate_data(
                self,
                X,
                y,
                accept_sparse=["csr", "csc"],
                dtype=None,
                ensure_all_finite=False,
            )
            if X.dtype.kind == "O":
                X = self._object_to_float(X)
        if self.unlabeled is None:
            check_classification_targets(y)
        return X, y

    @staticmethod
    def _object_to_float(X: NDArray[Any]) -> NDArray[Any]:
        try:
            return X.astype(np.float64)
        except (TypeError, ValueError):
            return X  # strings: let the sub-estimators decide

    def _route_fit_params(
        self,
        teacher: Any,
        student: Any,
        frozen: bool,
        sample_weight: NDArray[np.float64] | None,
        fit_params: dict[str, Any],
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        if _routing_enabled():
            if sample_weight is not None:
                fit_params["sample_weight"] = sample_weight
            routed = process_routing(self, "fit", **fit_params)
            teacher_params = {} if frozen else dict(routed.teacher.fit)
            return teacher_params, dict(routed.student.fit)
        teacher_params: dict[str, Any] = {}
        student_params: dict[str, Any] = {}
        if sample_weight is not None:
            if not frozen:
                if not accepts_sample_weight(teacher):
                    raise ValueError(
                        f"sample_weight was given but the teacher "
                        f"{type(teacher).__name__} does not accept sample_weight "
                        "in fit; drop sample_weight or use a teacher that supports "
                        "it."
                    )
                teacher_params["sample_weight"] = sample_weight
            student_params["sample_weight"] = sample_weight
        return teacher_params, student_params

    def _student_column_positions(self) -> NDArray[np.intp] | None:
        """Where each of the student's classes sits in ``classes_`` (None: same)."""
        student_classes = getattr(self.student_, "classes_", None)
        if student_classes is None or np.array_equal(student_classes, self.classes_):
            return None
        return np.searchsorted(self.classes_, student_classes)

    # -- metadata routing ---------------------------------------------------------
    def get_metadata_routing(self) -> MetadataRouter:
        """Get the metadata routing of this object.

        ``fit`` routes its metadata (``sample_weight`` and any other fit
        parameter) to the ``fit`` of the teacher (unless frozen) and the
        student, for those that requested it.

        Returns
        -------
        routing : MetadataRouter
            The routing information.
        """
        router = MetadataRouter(owner=self)
        teacher = self._resolved_teacher()
        if not is_frozen(teacher):
            router.add(
                teacher=teacher,
                method_mapping=MethodMapping().add(caller="fit", callee="fit"),
            )
        router.add(
            student=self._resolved_student(),
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )
        return router

    # -- prediction ---------------------------------------------------------------
    def _check_predict_input(self, X: Any) -> Any:
        check_is_fitted(self)
        if _is_dataframe(X):
            validate_data(self, X, reset=False, skip_check_array=True)
            return X
        X = validate_data(
            self,
            X,
            reset=False,
            accept_sparse=["csr", "csc"],
            dtype=None,
            ensure_all_finite=False,
        )
        return self._object_to_float(X) if X.dtype.kind == "O" else X

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Predict class labels with the student.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        X = self._check_predict_input(X)
        return self.student_.predict(X)

    @available_if(_sub_estimator_has("student", "predict_proba"))
    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Class probabilities of the student, one column per class of ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1. A class the student never saw (possible with a
            frozen teacher or the ``"hard"`` strategy) has probability 0.
        """
        X = self._check_predict_input(X)
        proba = self.student_.predict_proba(X)
        if self._student_columns is None:
            return proba
        out = np.zeros((proba.shape[0], self.classes_.size), dtype=np.float64)
        out[:, self._student_columns] = proba
        return out

    @available_if(_sub_estimator_has("student", "predict_proba"))
    def predict_log_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Logarithm of :meth:`predict_proba` (``-inf`` where it is 0).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    @available_if(_sub_estimator_has("student", "decision_function"))
    def decision_function(self, X: ArrayLike) -> NDArray[np.float64]:
        """The student's decision function.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            If the student never saw some classes of ``classes_``, one column
            per class, ``-inf`` for those.
        """
        X = self._check_predict_input(X)
        scores = self.student_.decision_function(X)
        if self._student_columns is None:
            return scores
        # The student saw fewer classes than classes_: one column per class,
        # -inf for those it never saw.
        out = np.full((scores.shape[0], self.classes_.size), -np.inf)
        out[:, self._student_columns] = logits_from_decision(scores)
        return out

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
        tags.classifier_tags.multi_class = True
        return tags
