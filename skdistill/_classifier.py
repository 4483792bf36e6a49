"""DistilledClassifier: a teacher's knowledge distilled into a light student."""

from __future__ import annotations

import warnings
from numbers import Integral, Real
from typing import Any

import numpy as np
import scipy.sparse as sp
from joblib import Memory
from numpy.typing import ArrayLike, NDArray
from sklearn.base import ClassifierMixin, _fit_context, clone, is_regressor
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets

from ._base import BaseDistiller, FitSetup, StudentSet, TrainingRows
from ._fit_params import _caller_stacklevel
from ._partial import (
    can_partial_fit,
    default_stream_classifier,
    label_fidelity,
    learn_batch,
    learn_soft_batch,
    partial_fit_batch,
    partial_fit_strategy,
)
from ._teacher import (
    DEFAULT_TEACHER_PARAMS,
    TEACHER_OUTPUTS,
    LogitOutput,
    is_frozen,
    resolve_teacher_output,
    teacher_column_order,
)
from ._validation import (
    final_estimator,
    marker_example,
    validate_fit_xy,
)
from .augment import Augmenter
from .augment._check import AUGMENT_NAMES
from .soft_targets import logits_from_decision, softmax
from .students._strategies import (
    FIT_STRATEGIES,
    default_temperature,
    fit_with_strategy,
    resolve_student,
)


def _default_teacher() -> Any:
    from lightgbm import LGBMClassifier

    return LGBMClassifier(**DEFAULT_TEACHER_PARAMS)


def _default_student(X: Any = None) -> Any:
    # A sparse X cannot be centered: it is only scaled.
    scaler = StandardScaler(with_mean=not sp.issparse(X))
    return make_pipeline(scaler, LogisticRegression(max_iter=1000))


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


class DistilledClassifier(ClassifierMixin, BaseDistiller):
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
    - ``"logit_tree"``: a :class:`~sklearn.tree.DecisionTreeClassifier`
      student (or a Pipeline ending in one) takes its splits from a
      regression tree fitted on the teacher's centered logits, and each
      node's class distribution is the mean blended target ``q`` of its
      training rows; it stays a ``DecisionTreeClassifier``.
    - ``"auto"`` (default): ``"logits"`` for a regressor;
      ``"logit_tree"`` for a decision tree with three classes or more
      (``"weighted"`` with two); ``"native"`` if the
      student supports it (a plain ``LGBMClassifier`` is converted to
      :class:`~skdistill.SoftLGBMClassifier` with the same parameters), else
      ``"weighted"`` if its ``fit`` accepts ``sample_weight``, else
      ``"hard"`` with a warning.

    With ``alpha = 1`` and a label on every row (no ``unlabeled`` rows, no
    ``augment``), the ``"weighted"``, ``"hard"`` and ``"logit_tree"``
    strategies and skdistill's own native students fit the student with its
    own ``fit`` on the labels: it is then exactly the student's hard-label
    twin (a :class:`~skdistill.DistilledClassifierCV` has it among its
    candidates). Other native students get ``fit_soft_targets`` with
    ``alpha = 1``.

    ``predict_proba`` returns the student's own probabilities (at
    temperature 1), with one column per class of ``classes_``.

    Parameters
    ----------
    teacher : classifier, default=None
        The heavy model. It needs ``fit`` and ``predict_proba`` or
        ``decision_function``. It is cloned and refit, unless wrapped in
        :class:`sklearn.frozen.FrozenEstimator`, in which case it is used as
        is and never refit. ``None`` means
        ``lightgbm.LGBMClassifier(n_estimators=300, learning_rate=0.05)``.
    student : classifier, default=None
        The light model that is shipped. Cloned, then fit by the strategy
        above. ``None`` means
        ``make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))``
        (the scaler does not center a sparse ``X``).
    temperature : float or "auto", default="auto"
        ``T > 0``; the teacher's logits are divided by ``T`` before the
        softmax. ``T = 1`` uses the teacher's probabilities as they are;
        larger values flatten them and expose the ranking of wrong classes.
        ``"auto"``: 2 for a decision-tree student, 1 for any other (the
        rule and its measurements are in the user guide, "Choosing a
        student"); the value used is ``temperature_``.
    alpha : float in [0, 1], default=0.5
        Weight of the hard labels in the blend; ``alpha = 1`` ignores the
        teacher (the student is fit on the labels alone), ``alpha = 0``
        ignores the labels.
    fit_strategy : {"auto", "native", "weighted", "hard", "logits", \
"logit_tree"}, default="auto"
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
    teacher_cv : int, cross-validation generator, iterable or None, default=None
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
    memory : str, joblib.Memory or None, default=None
        Cache of the teacher's fit and outputs, as in
        :class:`sklearn.pipeline.Pipeline`: a string is the path of a cache
        directory. The key is everything the teacher's outputs depend on
        (the teacher's class and parameters, ``X``, ``y``,
        ``sample_weight`` and the teacher's fit parameters,
        ``teacher_output``, ``teacher_cv``, ``augment``, ``unlabeled`` and, with
        ``augment``, ``random_state``) and nothing else, so that a
        :class:`~sklearn.model_selection.GridSearchCV` over ``temperature``
        and ``alpha`` fits the teacher once per fold. A hit returns a copy
        of the cached teacher. ``None``: nothing is cached. See also
        :class:`~skdistill.DistilledClassifierCV`.
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
        The strategy used: ``"native"``, ``"weighted"``, ``"hard"``,
        ``"logits"`` or ``"logit_tree"``.
    temperature_ : float
        The temperature used (``temperature``, or what ``"auto"`` stood
        for).
    alpha_ : float
        The weight of the labels used.
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
    skdistill.DistilledClassifierCV : Chooses ``temperature`` and ``alpha`` by
        cross-validation, fitting the teacher once per fold.
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
        "temperature": [
            Interval(Real, 0, None, closed="neither"),
            StrOptions({"auto"}),
        ],
        "alpha": [Interval(Real, 0, 1, closed="both")],
        "fit_strategy": [StrOptions(set(FIT_STRATEGIES))],
        "teacher_output": [StrOptions(set(TEACHER_OUTPUTS))],
        "weight_threshold": [Interval(Real, 0, 1, closed="left")],
        "teacher_cv": ["cv_object", None],
        "augment": [
            None,
            StrOptions(set(AUGMENT_NAMES)),
            Augmenter,
            callable,
        ],
        "unlabeled": [None, Integral, str],
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
        temperature: float | str = "auto",
        alpha: float = 0.5,
        fit_strategy: str = "auto",
        teacher_output: str = "auto",
        weight_threshold: float = 1e-3,
        teacher_cv: Any = None,
        augment: Any = None,
        unlabeled: int | str | None = None,
        memory: str | Memory | None = None,
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
        self.teacher_cv = teacher_cv
        self.augment = augment
        self.unlabeled = unlabeled
        self.memory = memory
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.random_state = random_state

    _default_teacher = staticmethod(_default_teacher)
    _default_student = staticmethod(_default_student)
    _default_stream_student = staticmethod(default_stream_classifier)
    _UNLABELLED_FILL = -1

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
        return self._fit(X, y, sample_weight, fit_params)

    @available_if(can_partial_fit)
    def partial_fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        classes: ArrayLike | None = None,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> DistilledClassifier:
        """Distil one batch of a stream: the fitted teacher labels it, the student
        learns it.

        Available with a fitted teacher (wrapped in
        :class:`~sklearn.frozen.FrozenEstimator`, or fit by :meth:`fit`) and a
        student with ``partial_fit`` (``SGDClassifier``, ``MLPClassifier``,
        :class:`~skdistill.SoftLogisticRegression`, or a Pipeline whose every
        step has one or is a fitted step wrapped in
        :class:`~sklearn.frozen.FrozenEstimator`, applied and never refit: a
        table with text columns or missing values needs such an encoding,
        fitted on a sample, as the default student takes numbers only);
        ``student=None`` means
        ``make_pipeline(StandardScaler(), SoftLogisticRegression())`` here.
        The teacher is never trained. The first call starts the student
        (after :meth:`fit`, it continues the fitted one); each call softens
        the teacher's logits at the temperature and the student learns them
        blended with the labels by ``alpha``, by the strategy of
        ``fit_strategy`` that learns one batch at a time (``"native"``:
        ``partial_fit_soft_targets``; ``"weighted"``: one row per class,
        weighted by the blended target; ``"hard"``). Rows marked
        ``unlabeled`` are learnt from the teacher alone. Nothing of a batch
        is kept: memory does not grow with the stream.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            One batch.
        y : array-like of shape (n_samples,)
            Its labels, each one of ``classes`` (or the ``unlabeled`` marker).
        classes : array-like of shape (n_classes,), default=None
            Every class of the stream (a batch may lack some), as
            scikit-learn's ``partial_fit`` takes it on the first call. When
            omitted, the teacher's classes; when given, they must be among
            the teacher's, and ``classes_`` is still the teacher's (the
            student learns every class the teacher knows). On later calls it
            may be omitted, and must otherwise be the same.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, passed to the student's ``partial_fit``.
        **fit_params : dict
            Further parameters of the student's ``partial_fit``, routed by
            metadata routing.

        Returns
        -------
        self : DistilledClassifier
            The updated estimator.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import make_classification
        >>> from sklearn.frozen import FrozenEstimator
        >>> from sklearn.linear_model import LogisticRegression, SGDClassifier
        >>> from skdistill import DistilledClassifier
        >>> X, y = make_classification(n_samples=3000, random_state=0)
        >>> teacher = LogisticRegression().fit(X[:1000], y[:1000])
        >>> model = DistilledClassifier(
        ...     FrozenEstimator(teacher), SGDClassifier(loss="log_loss", random_state=0)
        ... )
        >>> for batch in np.array_split(np.arange(1000, 3000), 4):
        ...     model = model.partial_fit(X[batch], y[batch])
        >>> model.n_batches_seen_, model.fit_strategy_
        (4, 'weighted')
        >>> bool(model.training_fidelity_ > 0.9)
        True
        """
        return partial_fit_batch(self, X, y, classes, sample_weight, fit_params)

    def _resolve_roles(
        self, teacher: Any, student: Any, classes: NDArray[Any]
    ) -> tuple[str, Any]:
        """The fit strategy and the estimator it fits."""
        return resolve_student(student, self.fit_strategy, classes.size)

    def _encode_targets(
        self, y: NDArray[Any], labelled: NDArray[np.bool_], teacher: Any
    ) -> tuple[NDArray[np.intp], NDArray[Any], LogitOutput, NDArray[Any]]:
        """Classes, labels encoded as their indices, the teacher's labels."""
        method = resolve_teacher_output(teacher, self.teacher_output)
        rows = np.flatnonzero(labelled)
        y_lab = y[rows]
        if self.unlabeled is not None:
            if y_lab.dtype == object:
                # e.g. [0, 1, "u"] with unlabeled="u": the rest are plain labels
                y_lab = np.asarray(y_lab.tolist())
        check_classification_targets(y_lab)
        labels = np.unique(y_lab)
        frozen = is_frozen(teacher)
        if labels.size < 2 and not frozen:
            marked = (
                ""
                if self.unlabeled is None
                else f" once the rows marked unlabeled={self.unlabeled!r} are set "
                "aside (if that value is a class, set unlabeled to a value that "
                f"is not a label, such as {marker_example(labels)})"
            )
            raise ValueError(
                f"y contains only one class ({labels.tolist()[:1]!r}){marked}; a "
                "classifier needs at least two classes in y (or a frozen teacher "
                "that knows more)."
            )
        if self.unlabeled is not None:
            self._check_marker(labels, teacher if frozen else None)
        if frozen:
            teacher_column_order(teacher.classes_, labels)  # y's classes known?
            classes = np.unique(np.asarray(teacher.classes_))
        else:
            classes = labels
        encoded = np.full(y.shape[0], -1, dtype=np.intp)
        encoded[rows] = np.searchsorted(classes, y_lab)
        y_teacher = classes[np.maximum(encoded, 0)]
        return encoded, y_teacher, LogitOutput(method, classes), classes

    def _check_marker(self, labels: NDArray[Any], frozen_teacher: Any) -> None:
        """The ``unlabeled`` marker must not be a class.

        Every row equal to the marker is taken as unlabelled, so a marker
        that is a class loses that class. A frozen teacher's classes say it
        for sure (error). Without one, a non-negative integer marker that
        fills a gap in the labels, completing them into ``0, ..., K`` (for
        example ``unlabeled=0`` with labels ``{1, 2}``) is most likely a
        class of the usual integer encoding, not a marker (scikit-learn's is ``-1``): a
        warning, since such a marker is still possible.
        """
        marker = self.unlabeled
        if frozen_teacher is not None:
            known = np.asarray(frozen_teacher.classes_).tolist()
            if marker in known:
                raise ValueError(
                    f"unlabeled={marker!r} is one of the classes of the frozen "
                    f"teacher ({known}): the rows where y == {marker!r} would be "
                    "taken as unlabelled and that class lost. Set unlabeled to a "
                    f"value that is not a label (such as {marker_example(labels)}), "
                    "or None."
                )
        if (
            isinstance(marker, Integral)
            and marker >= 0
            and labels.dtype.kind in "iu"
            and labels.size > 0
            and marker < labels.max()
            and set(labels.tolist()) | {marker} == set(range(labels.size + 1))
        ):
            warnings.warn(
                f"unlabeled={marker!r} looks like a class: with it, the labels are "
                f"0 to {labels.size}, the usual encoding of {labels.size + 1} "
                f"classes. The rows where y == {marker!r} are taken as unlabelled, "
                "so that class is not learnt. If it is a class, mark unlabelled "
                "rows with a value that is not a label (scikit-learn's convention "
                "is -1).",
                UserWarning,
                stacklevel=_caller_stacklevel(),
            )

    def _temperature(self, setup: FitSetup) -> float:
        """The temperature used: ``temperature``, or what ``"auto"`` stands for."""
        if self.temperature == "auto":
            return default_temperature(setup.student)
        return float(self.temperature)

    def _soft_targets(
        self, setup: FitSetup, teacher_outputs: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """The teacher's logits softened at the temperature: ``softmax(z / T)``."""
        return softmax(teacher_outputs, self._temperature(setup))

    def _fit_student(
        self, setup: FitSetup, rows: TrainingRows, training: StudentSet
    ) -> None:
        """Fit the student on the soft targets blended with the labels by alpha."""
        self.temperature_ = self._temperature(setup)
        self.classes_ = setup.classes
        self.student_ = fit_with_strategy(
            setup.strategy,
            clone(setup.student),
            training.X,
            training.y,
            training.soft_targets,
            classes=self.classes_,
            temperature=self.temperature_,
            alpha=self.alpha_,
            weight_threshold=float(self.weight_threshold),
            sample_weight=training.sample_weight,
            fit_params=dict(rows.student_params),
        )
        self._student_columns = self._student_column_positions()
        real = training.teacher_outputs[: rows.n_rows]
        teacher_pred = self.classes_[real.argmax(axis=1)]
        self.training_fidelity_ = float(
            np.mean(self.student_.predict(rows.X) == teacher_pred)
        )

    def _labelled_mask(self, y: NDArray[Any]) -> NDArray[np.bool_]:
        """Rows with a label: all, unless ``unlabeled`` marks some of them."""
        mask = self._marked_rows(y)
        if not mask.any():
            raise ValueError(
                f"Every row of y is marked unlabeled ({self.unlabeled!r}); the "
                "teacher needs labelled rows."
            )
        return mask

    def _marked_rows(self, y: NDArray[Any]) -> NDArray[np.bool_]:
        """Rows not marked by ``unlabeled`` (a batch of ``partial_fit`` may have
        none: its teacher is fitted)."""
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
        return np.array([not (v == marker) for v in y.tolist()], dtype=bool)

    def _validate_fit_data(
        self, X: Any, y: Any, teacher: Any, student: Any
    ) -> tuple[Any, NDArray[Any]]:
        X, y = validate_fit_xy(self, X, y, check_labels=True, marker=self.unlabeled)
        if self.unlabeled is None:
            check_classification_targets(y)
        return X, y

    def _student_column_positions(self) -> NDArray[np.intp] | None:
        """Where each of the student's classes sits in ``classes_`` (None: same)."""
        student_classes = getattr(self.student_, "classes_", None)
        if student_classes is None or np.array_equal(student_classes, self.classes_):
            return None
        return np.searchsorted(self.classes_, student_classes)

    # -- hooks of partial_fit (skdistill._partial) ------------------------------------
    def _validate_batch(self, X: Any, y: Any, *, reset: bool) -> tuple[Any, Any]:
        return validate_fit_xy(
            self, X, y, reset=reset, check_labels=True, marker=self.unlabeled
        )

    def _start_stream(
        self, teacher: Any, student: Any, y: NDArray[Any], classes: Any
    ) -> None:
        """The first batch: roles, strategy, temperature, classes."""
        for role, estimator in (("teacher", teacher), ("student", student)):
            if is_regressor(final_estimator(estimator)):
                raise ValueError(
                    f"The {role} {type(estimator).__name__} is a regressor, but "
                    "DistilledClassifier.partial_fit needs classifiers (a "
                    "regressor student's logit matching refits it whole). Use a "
                    "classifier with partial_fit, such as "
                    "SGDClassifier(loss='log_loss')."
                )
        if self.fit_strategy not in ("auto", "native", "weighted", "hard"):
            raise ValueError(
                f"fit_strategy={self.fit_strategy!r} refits the student whole and "
                "cannot learn batch by batch; partial_fit takes 'auto', 'native', "
                "'weighted' or 'hard'."
            )
        self.fit_strategy_ = partial_fit_strategy(student, self.fit_strategy)
        self.temperature_ = (
            default_temperature(student)
            if self.temperature == "auto"
            else float(self.temperature)
        )
        known = np.unique(np.asarray(teacher.classes_))
        if classes is not None:
            classes = np.unique(np.asarray(classes))
            teacher_column_order(known, classes)  # every class known to the teacher
        if self.unlabeled is not None:
            self._check_marker(known, teacher)
        self._stream_classes = classes
        self.classes_ = known
        self._student_columns = None
        self._stream_method = resolve_teacher_output(teacher, self.teacher_output)
        self._stream_fidelity = None

    def _resume_stream(self) -> None:
        """The first batch after fit: read the fitted teacher as fit did."""
        if self._student_columns is not None:
            missing = np.setdiff1d(self.classes_, self.student_.classes_)
            raise ValueError(
                f"partial_fit cannot continue this {type(self).__name__}: fit left "
                f"its student without the classes {missing.tolist()[:10]}, which "
                "the student's partial_fit cannot add. Start the stream with "
                "partial_fit on a new distiller, or fit on rows holding every "
                "class the teacher knows."
            )
        self._stream_classes = None
        self._stream_method = resolve_teacher_output(self.teacher_, self.teacher_output)
        self._stream_fidelity = None

    def _check_batch_classes(self, classes: Any) -> None:
        if classes is None or self._stream_classes is None:
            return
        if not np.array_equal(np.unique(np.asarray(classes)), self._stream_classes):
            raise ValueError(
                f"classes={np.asarray(classes).tolist()} differs from the classes "
                f"of the first call, {self._stream_classes.tolist()}. Pass the "
                "same classes on every call to partial_fit, or call fit to start "
                "afresh."
            )

    def _stream_output_shape(self) -> tuple[int, ...]:
        return (self.classes_.size,)

    def _stream_teacher_outputs(self, X: Any) -> NDArray[np.float64]:
        """The teacher's logits on a batch, in the order of ``classes_``."""
        return LogitOutput(self._stream_method, self.classes_).read(self.teacher_, X)

    def _learn_stream_batch(
        self,
        X: Any,
        y: NDArray[Any],
        teacher_outputs: NDArray[np.float64],
        sample_weight: NDArray[np.float64] | None,
        params: dict[str, Any],
    ) -> None:
        """The student learns one batch; the running fidelity is updated."""
        labelled = self._marked_rows(y)
        encoded = np.full(y.shape[0], -1, dtype=np.intp)
        encoded[labelled] = self._encode_labels(y[labelled])
        if self._stream_classes is not None:
            outside = ~np.isin(self.classes_[encoded[labelled]], self._stream_classes)
            if outside.any():
                raise ValueError(
                    f"y contains labels "
                    f"{np.unique(self.classes_[encoded[labelled]][outside]).tolist()[:10]}"
                    f" that are not in classes={self._stream_classes.tolist()[:20]}, "
                    "given on the first call to partial_fit. Pass every class of "
                    "the stream in classes (or omit it: the teacher's classes are "
                    "then used)."
                )
        if self.alpha_ == 1.0 and labelled.all():
            learn_batch(
                self.student_,
                "partial_fit",
                X,
                self.classes_[encoded],
                sample_weight,
                classes=self.classes_,
                **params,
            )
        else:
            learn_soft_batch(
                self.student_,
                self.fit_strategy_,
                X,
                encoded,
                softmax(teacher_outputs, self.temperature_),
                classes=self.classes_,
                temperature=self.temperature_,
                alpha=self.alpha_,
                weight_threshold=float(self.weight_threshold),
                sample_weight=sample_weight,
                params=params,
            )
        self._stream_fidelity, self.training_fidelity_ = label_fidelity(
            self._stream_fidelity,
            self.student_.predict(X),
            self.classes_[teacher_outputs.argmax(axis=1)],
        )

    def _encode_labels(self, y: NDArray[Any]) -> NDArray[np.intp]:
        """Labels as indices into ``classes_``; a label outside it raises."""
        if y.dtype == object:
            y = np.asarray(y.tolist())
        if y.size == 0:
            return np.zeros(0, dtype=np.intp)
        check_classification_targets(y)
        encoded = np.minimum(np.searchsorted(self.classes_, y), self.classes_.size - 1)
        unknown = self.classes_[encoded] != y
        if unknown.any():
            raise ValueError(
                f"y contains labels {np.unique(y[unknown]).tolist()[:10]} that are "
                f"not among the teacher's {self.classes_.size} classes "
                f"{self.classes_.tolist()[:20]}"
                f"{' (the first 20)' if self.classes_.size > 20 else ''}; the "
                "student learns the classes the teacher knows: leave those rows "
                "out, or mark them with the unlabeled marker (learnt from the "
                "teacher alone)."
            )
        return encoded

    # -- prediction ---------------------------------------------------------------
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
        tags.classifier_tags.multi_class = True
        return tags
