"""Born-again distillation: generations of students of the teacher's own family.

Generation 0 (the teacher) is a clone of the estimator fit on the labels;
generation ``k + 1`` is a fresh clone of the same estimator distilled from
generation ``k`` (Furlanello et al., 2018). Each generation is one run of
steps 3 and 4 of a :class:`~skdistill.DistilledClassifier` (or
:class:`~skdistill.DistilledRegressor`) whose teacher and student are both
the estimator: :func:`~skdistill._base.prepare` resolves the fit strategy
and routes the fit parameters once, :func:`~skdistill._base.teach` fits
generation 0 (cached with ``memory``, out of fold with ``teacher_cv``), and
:func:`~skdistill._base.distil` fits every later generation on the previous
one's outputs, so every student route (native, weighted, logit tree,
teacher splits...) is the distillers' own.

The schedule with ``teacher_cv`` (:func:`out_of_fold_generation`): the
folds are drawn once; generation ``k``'s soft targets on the training rows
come from generation ``k - 1``'s fold models, each fit (by the same route)
on the other folds with generation ``k - 2``'s soft targets, so a
generation costs one fit on all rows plus one per fold.
"""

from __future__ import annotations

import dataclasses
import time
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real
from typing import Any

import numpy as np
from joblib import Memory, Parallel, effective_n_jobs
from numpy.typing import ArrayLike, NDArray
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    _fit_context,
    clone,
    is_classifier,
    is_regressor,
)
from sklearn.model_selection import check_cv
from sklearn.utils import _safe_indexing, check_random_state, get_tags
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
    check_is_fitted,
)

from .._base import FitSetup, TrainingRows, distil, prepare, teach
from .._classifier import DistilledClassifier
from .._config import delayed
from .._fit_params import accepts_sample_weight
from .._regressor import REGRESSION_STRATEGIES, DistilledRegressor
from .._teacher import DEFAULT_TEACHER_PARAMS, teacher_column_order
from .._threads import InWorker, fit_threads, limit_threads, n_values
from .._transfer import TransferSet
from .._validation import (
    _allows_nan,
    _has_nan,
    _missing_labels,
    set_members_input_tags,
    validate_fit_xy,
    validate_predict_x,
)
from ..students._strategies import FIT_STRATEGIES

PREDICT_WITH = ("last", "average")


# -- the schedule -----------------------------------------------------------------
def generation_seeds(random_state: Any, n_generations: int) -> list[int | None]:
    """The seed of each generation, generation 0 first.

    ``None`` (the default) leaves every generation's estimator with its own
    ``random_state``; otherwise ``n_generations + 1`` integers drawn from
    ``random_state``, so that generations differ and a fit is reproducible.
    """
    if random_state is None:
        return [None] * (n_generations + 1)
    rng = check_random_state(random_state)
    return [int(s) for s in rng.randint(np.iinfo(np.int32).max, size=n_generations + 1)]


def seeded(estimator: Any, seed: int | None) -> Any:
    """A clone of ``estimator`` with every ``random_state`` parameter set to ``seed``.

    Its own ``random_state``, and those of nested estimators (a Pipeline's
    steps): every parameter named ``random_state`` or ``<path>__random_state``.
    ``seed=None`` returns a plain clone; an estimator without such a
    parameter is cloned as it is.
    """
    estimator = clone(estimator)
    if seed is None:
        return estimator
    keys = [
        key
        for key in estimator.get_params(deep=True)
        if key == "random_state" or key.endswith("__random_state")
    ]
    return estimator.set_params(**dict.fromkeys(keys, seed))


def _fit_fold(
    distiller: Any,
    setup: FitSetup,
    rows: TrainingRows,
    train: NDArray[np.intp],
    test: NDArray[np.intp],
    outputs: NDArray[np.float64],
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """One fold model of a generation: distilled on ``train``, read on ``test``."""
    fold = distil(
        clone(distiller),
        setup,
        rows.subset(train),
        TransferSet(None, outputs[train], None, None),
    )
    return test, setup.output.read(fold.student_, _safe_indexing(rows.X, test))


def out_of_fold_generation(
    distiller: Any,
    setup: FitSetup,
    rows: TrainingRows,
    outputs: NDArray[np.float64],
    splits: list[tuple[NDArray[np.intp], NDArray[np.intp]]],
    *,
    n_jobs: int | None = None,
) -> NDArray[np.float64]:
    """A generation's out-of-fold outputs on the training rows.

    For each split, a clone of ``distiller`` fits the generation's estimator
    (``setup.student``, by ``setup.strategy``) on the training part, with the
    soft targets that ``outputs`` (the previous generation's out-of-fold
    outputs) give those rows, and is read on the held-out part. The folds
    run in parallel with ``n_jobs``, each worker's OpenMP limited to its
    share (:mod:`skdistill._threads`).

    The chain is out of fold at every step, not nested: from generation 2
    on, a row's label reaches its own soft target through the soft targets
    of other rows (their fold models saw it), a second-order effect that
    nested folds would remove at a cost exponential in the generations.

    Returns
    -------
    outputs : ndarray of shape ``outputs.shape``
        Logits (classifier) or predictions (regressor).
    """
    n_threads = fit_threads(
        n_values(rows.X), min(effective_n_jobs(n_jobs), len(splits))
    )
    results = Parallel(n_jobs=n_jobs)(
        delayed(InWorker(_fit_fold, n_threads))(
            distiller, setup, rows, train, test, outputs
        )
        for train, test in splits
    )
    new = np.empty_like(outputs)
    for test, fold_outputs in results:
        new[test] = fold_outputs
    return new


# -- the estimators -----------------------------------------------------------------
def _estimator_has(method: str):
    """available_if check: the fitted (or else the unfitted) estimator has it."""

    def check(self: _BaseBornAgain) -> bool:
        generations = getattr(self, "generations_", None)
        model = generations[-1] if generations else self._resolved_estimator()
        getattr(model, method)  # raises AttributeError, which available_if reports
        return True

    return check


class _BaseBornAgain(MetaEstimatorMixin, BaseEstimator, metaclass=ABCMeta):
    """The fit of both born-again estimators: generation after generation."""

    # -- hooks ------------------------------------------------------------------
    @staticmethod
    @abstractmethod
    def _default_estimator() -> Any:
        """The estimator used when ``estimator=None``."""

    @abstractmethod
    def _distiller(self) -> Any:
        """The unfitted distiller of one generation (teacher and student: the
        estimator)."""

    @abstractmethod
    def _check_task(self, estimator: Any, X: Any, y: Any) -> tuple[Any, Any]:
        """The estimator's kind and ``y`` checked for the task; ``X``, ``y``
        validated (``validate_data``, which sets ``n_features_in_``)."""

    @abstractmethod
    def _set_task_attributes(self, setup: FitSetup) -> None:
        """The task's own fitted attributes (``classes_``, ``temperature_``)."""

    # -- fitting --------------------------------------------------------------------
    def _resolved_estimator(self) -> Any:
        return self._default_estimator() if self.estimator is None else self.estimator

    def _distiller_params(self) -> dict[str, Any]:
        """The parameters every generation's distiller takes from this one."""
        return {
            "alpha": self.alpha,
            "fit_strategy": self.fit_strategy,
            "memory": self.memory,
            "n_jobs": self.n_jobs,
            "verbose": self.verbose,
        }

    def _fit(
        self, X: Any, y: Any, sample_weight: Any, fit_params: dict[str, Any]
    ) -> _BaseBornAgain:
        """Validate, then fit generation 0 and each later one in turn."""
        _raise_for_params(fit_params, self, "fit")
        estimator = self._resolved_estimator()
        X, y = self._check_task(estimator, X, y)
        self._check_options(estimator, X, sample_weight, fit_params)
        distiller = self._distiller()
        setup, rows = prepare(distiller, X, y, sample_weight, fit_params)
        splits = None
        if self.teacher_cv is not None:
            cv = check_cv(
                self.teacher_cv, rows.y_teacher, classifier=is_classifier(self)
            )
            splits = list(cv.split(rows.X, rows.y_teacher))
            distiller.set_params(teacher_cv=splits)  # the same folds for all
        seeds = generation_seeds(self.random_state, self.n_generations)
        teacher = seeded(setup.teacher, seeds[0])
        students = [seeded(setup.student, seed) for seed in seeds[1:]]
        with limit_threads(fit_threads(n_values(rows.X)), teacher, *students) as limit:
            generations, fidelity = self._fit_generations(
                distiller,
                dataclasses.replace(setup, teacher=teacher),
                rows,
                splits,
                students,
            )
        limit.restore(*generations)
        self.generations_ = generations
        self.teacher_ = generations[0]
        self.training_fidelity_ = np.asarray(fidelity, dtype=np.float64)
        self.alpha_ = float(self.alpha)
        self.fit_strategy_ = setup.strategy
        self._set_task_attributes(setup)
        return self

    def _fit_generations(
        self,
        distiller: Any,
        setup: FitSetup,
        rows: TrainingRows,
        splits: list | None,
        students: list[Any],
    ) -> tuple[list[Any], list[float]]:
        """The generations, generation 0 first, and each later one's training
        fidelity to the outputs it learnt."""
        start = time.perf_counter()
        transfer = teach(
            distiller,
            setup,
            rows,
            augmenter=None,
            memory=self.memory,
            n_jobs=self.n_jobs,
        )
        self._report(0, start)
        generations, fidelity = [transfer.teacher], []
        outputs = transfer.outputs
        for k, student in enumerate(students, start=1):
            start = time.perf_counter()
            generation_setup = dataclasses.replace(setup, student=student)
            fitted = distil(
                clone(distiller),
                generation_setup,
                rows,
                TransferSet(generations[-1], outputs, None, None),
            )
            generations.append(fitted.student_)
            fidelity.append(fitted.training_fidelity_)
            if k < len(students):  # the last generation teaches no one
                if splits is None:
                    outputs = setup.output.read(fitted.student_, rows.X)
                else:
                    outputs = out_of_fold_generation(
                        distiller,
                        generation_setup,
                        rows,
                        outputs,
                        splits,
                        n_jobs=self.n_jobs,
                    )
            self._report(k, start)
        return generations, fidelity

    def _report(self, generation: int, start: float) -> None:
        if self.verbose:
            print(
                f"[skdistill] born-again generation {generation}/{self.n_generations}"
                f" fitted in {time.perf_counter() - start:.1f} s",
                flush=True,
            )

    def _check_options(
        self, estimator: Any, X: Any, sample_weight: Any, fit_params: dict[str, Any]
    ) -> None:
        """NaN, sample weights and routed metadata, in this estimator's terms."""
        name = type(self).__name__
        if _has_nan(X) and not _allows_nan(estimator):
            raise ValueError(
                f"Input X contains NaN, which the estimator "
                f"{type(estimator).__name__} does not accept. Put an imputer before "
                f"the {name} in a Pipeline, e.g. make_pipeline(SimpleImputer(), "
                f"{name}(...)), or use an estimator that handles missing values "
                "(such as HistGradientBoosting or LightGBM)."
            )
        if _routing_enabled():
            params = dict(fit_params)
            if sample_weight is not None:
                params["sample_weight"] = sample_weight
            process_routing(self, "fit", **params)  # unset requests: sklearn's error
        elif sample_weight is not None and not accepts_sample_weight(estimator):
            raise ValueError(
                f"sample_weight was given but the estimator "
                f"{type(estimator).__name__} does not accept sample_weight in fit; "
                "drop sample_weight or use an estimator that supports it."
            )
        if self.predict_with == "average" and self.n_generations > 0:
            self._check_average(estimator)

    def _check_average(self, estimator: Any) -> None:
        """Whether the generations' outputs can be averaged."""

    # -- metadata routing -----------------------------------------------------------
    def get_metadata_routing(self) -> MetadataRouter:
        """Get the metadata routing of this object.

        ``fit`` routes its metadata (``sample_weight`` and any other fit
        parameter) to the ``fit`` of every generation, if the estimator
        requested it.

        Returns
        -------
        routing : MetadataRouter
            The routing information.
        """
        return MetadataRouter(owner=self).add(
            estimator=self._resolved_estimator(),
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )

    # -- prediction -----------------------------------------------------------------
    def _check_predict_input(self, X: Any) -> Any:
        """X checked against the fit (features, names); a DataFrame kept as is."""
        check_is_fitted(self)
        return validate_predict_x(self, X)

    def _averaged(self) -> list[Any]:
        """The generations averaged by ``predict_with="average"``: 1 to n (the
        teacher alone with ``n_generations=0``)."""
        return self.generations_[1:] or self.generations_[:1]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        return set_members_input_tags(tags, [self._resolved_estimator()])


_COMMON_CONSTRAINTS: dict = {
    "n_generations": [Interval(Integral, 0, None, closed="left")],
    "alpha": [Interval(Real, 0, 1, closed="both")],
    "teacher_cv": ["cv_object", None],
    "predict_with": [StrOptions(set(PREDICT_WITH))],
    "memory": [None, str, HasMethods(["cache"])],
    "n_jobs": [Integral, None],
    "verbose": ["verbose"],
    "random_state": ["random_state"],
}


def _default_classifier() -> Any:
    from lightgbm import LGBMClassifier

    return LGBMClassifier(**DEFAULT_TEACHER_PARAMS)


def _default_regressor() -> Any:
    from lightgbm import LGBMRegressor

    return LGBMRegressor(**DEFAULT_TEACHER_PARAMS)


class BornAgainClassifier(ClassifierMixin, _BaseBornAgain):
    """Born-again distillation: students of the teacher's own family, in turn.

    ``fit`` fits generation 0, the teacher, a clone of ``estimator``, on the
    labels; then, for ``k = 1, ..., n_generations``, generation ``k``, a
    fresh clone of the same ``estimator``, is distilled from generation
    ``k - 1`` exactly as a :class:`~skdistill.DistilledClassifier` distils
    (its teacher the previous generation, its student the estimator): the
    previous generation's logits ``z`` give the soft targets
    ``softmax(z / T)``, which the new generation learns blended with the
    labels by ``alpha``, through the fit strategy ``fit_strategy`` picks
    (a LightGBM model learns them natively, a decision tree stays a
    decision tree, any model whose ``fit`` takes ``sample_weight`` learns
    them by row weights; see the user guide, "Fitting strategies").
    Furlanello et al. (2018) found that such a student, the same size as
    its teacher, can end up more accurate than it.

    Where the soft targets come from:

    - ``teacher_cv=None`` (the paper's schedule): generation ``k - 1``'s
      outputs on the training rows, in-sample. A boosted or deep tree model
      is nearly one-hot on its own training rows, so its students see
      little more than the labels.
    - ``teacher_cv`` set: out of fold. The folds are drawn once. Generation
      0's outputs on each fold come from a clone fit on the other folds
      (as with :class:`~skdistill.DistilledClassifier`); generation ``k``'s,
      for ``k >= 1``, from a fold model of generation ``k``, fit by the same
      route on the other folds with generation ``k - 1``'s out-of-fold soft
      targets. Each generation then costs one fit on all rows and one per
      fold (none for the last generation, which teaches no one). The chain
      is not nested: from generation 2 on, a row's own label reaches its
      soft target through those of other rows.

    Predictions come from the last generation (``predict_with="last"``), or
    from the mean probabilities of generations 1 to ``n_generations``
    (``predict_with="average"``, the "BAN ensemble" of the paper, which
    averages the students and leaves the teacher out; with
    ``n_generations=0`` the teacher predicts alone).

    Parameters
    ----------
    estimator : classifier, default=None
        The model of every generation. It needs ``fit`` and
        ``predict_proba`` or ``decision_function``; it is cloned for each
        generation (and each fold) and never fit itself. ``None`` means
        ``lightgbm.LGBMClassifier(n_estimators=300, learning_rate=0.05)``,
        the default teacher of :class:`~skdistill.DistilledClassifier`.
    n_generations : int >= 0, default=3
        Students after the teacher. ``0``: the teacher alone.
    temperature : float or "auto", default="auto"
        ``T > 0``, dividing the previous generation's logits before the
        softmax. ``"auto"``: 2 for a decision tree, 1 for any other model
        (as in :class:`~skdistill.DistilledClassifier`); the value used is
        ``temperature_``.
    alpha : float in [0, 1], default=0.5
        Weight of the labels in each generation's targets; ``alpha = 1``
        refits the estimator on the labels alone, ``alpha = 0`` learns the
        previous generation alone.
    fit_strategy : {"auto", "native", "weighted", "hard", "logit_tree"}, \
default="auto"
        How each generation learns the soft targets, as in
        :class:`~skdistill.DistilledClassifier`.
    teacher_cv : int, cross-validation generator, iterable or None, default=None
        ``None``: in-sample soft targets. Otherwise out-of-fold ones, see
        above (an int gives that many stratified folds; any splitter that
        holds out every row exactly once works).
    predict_with : {"last", "average"}, default="last"
        Which generations predict, see above. ``"average"`` needs an
        estimator with ``predict_proba``.
    memory : str, joblib.Memory or None, default=None
        Cache of generation 0 (its fit and its outputs, in-sample or out of
        fold), as for the teacher of :class:`~skdistill.DistilledClassifier`:
        a search over ``temperature``, ``alpha`` or ``n_generations`` fits
        the teacher once per fold. Later generations are not cached.
        Entries are pickles: use a cache directory you trust like code.
    n_jobs : int, default=None
        Folds of ``teacher_cv`` fitted in parallel (joblib); OpenMP threads
        are limited inside ``fit`` as in
        :class:`~skdistill.DistilledClassifier`.
    verbose : int, default=0
        A line per generation fitted, with its time.
    random_state : int, RandomState instance or None, default=None
        Seeds of the generations: an int or a RandomState draws one seed per
        generation, set on every ``random_state`` parameter of its estimator
        (nested ones included: a Pipeline's steps), so that generations
        differ and the fit is reproducible; the fold models of a generation
        share its seed. ``None``: every generation keeps the estimator's own
        ``random_state``.

    Attributes
    ----------
    generations_ : list of classifiers
        The fitted generations, generation 0 (the teacher) first; each is of
        the estimator's kind (a plain ``LGBMClassifier`` becomes
        :class:`~skdistill.SoftLGBMClassifier`, its native soft-target
        form, from generation 1 on).
    teacher_ : classifier
        Generation 0, ``generations_[0]``.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    training_fidelity_ : ndarray of shape (n_generations,)
        For generation ``k >= 1`` (at index ``k - 1``): the share of training
        rows on which it predicts the class its soft targets favour (those
        of generation ``k - 1``, in-sample or out of fold).
    temperature_ : float
        The temperature used.
    alpha_ : float
        The weight of the labels used.
    fit_strategy_ : str
        The strategy that fitted generations 1 and later.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skdistill.DistilledClassifier : One teacher distilled into one student,
        which is what each generation does.
    skdistill.BornAgainRegressor : The same for regression.

    References
    ----------
    T. Furlanello, Z. C. Lipton, M. Tschannen, L. Itti and A. Anandkumar,
    "Born-Again Neural Networks", ICML 2018.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import BornAgainClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> model = BornAgainClassifier(
    ...     DecisionTreeClassifier(max_depth=4),
    ...     n_generations=2,
    ...     teacher_cv=5,
    ...     random_state=0,
    ... ).fit(X_train, y_train)
    >>> len(model.generations_)
    3
    >>> type(model.generations_[-1]).__name__
    'DecisionTreeClassifier'
    >>> bool(model.score(X_test, y_test) > 0.9)
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "temperature": [
            Interval(Real, 0, None, closed="neither"),
            StrOptions({"auto"}),
        ],
        "fit_strategy": [StrOptions(set(FIT_STRATEGIES) - {"logits"})],
        **_COMMON_CONSTRAINTS,
    }

    def __init__(
        self,
        estimator: Any = None,
        *,
        n_generations: int = 3,
        temperature: float | str = "auto",
        alpha: float = 0.5,
        fit_strategy: str = "auto",
        teacher_cv: Any = None,
        predict_with: str = "last",
        memory: str | Memory | None = None,
        n_jobs: int | None = None,
        verbose: int = 0,
        random_state: Any = None,
    ) -> None:
        self.estimator = estimator
        self.n_generations = n_generations
        self.temperature = temperature
        self.alpha = alpha
        self.fit_strategy = fit_strategy
        self.teacher_cv = teacher_cv
        self.predict_with = predict_with
        self.memory = memory
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.random_state = random_state

    _default_estimator = staticmethod(_default_classifier)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> BornAgainClassifier:
        """Fit the teacher on the labels, then each generation from the one before.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed as is to every generation (a DataFrame
            keeps its column names and dtypes).
        y : array-like of shape (n_samples,)
            Class labels (strings, integers in any order, ...).
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights of every generation's fit. Without metadata routing
            the estimator's ``fit`` must accept them; with routing enabled,
            they go where the estimator requested them.
        **fit_params : dict
            Further fit parameters of every generation, routed by metadata
            routing (``sklearn.set_config(enable_metadata_routing=True)``).

        Returns
        -------
        self : BornAgainClassifier
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, fit_params)

    def _distiller(self) -> DistilledClassifier:
        estimator = self._resolved_estimator()
        return DistilledClassifier(
            estimator,
            estimator,
            temperature=self.temperature,
            **self._distiller_params(),
        )

    def _check_task(self, estimator: Any, X: Any, y: Any) -> tuple[Any, Any]:
        name = type(self).__name__
        if is_regressor(estimator):
            raise ValueError(
                f"{name} needs a classifier as estimator; "
                f"{type(estimator).__name__} is a regressor. Use "
                "BornAgainRegressor for a regression task."
            )
        if y is not None:
            missing = _missing_labels(np.asarray(y))
            if missing.any():
                raise ValueError(
                    f"y contains {int(missing.sum())} missing label(s) (None, NaN "
                    "or NA); every generation needs a class label on every row: "
                    "drop these rows."
                )
        X, y = validate_fit_xy(self, X, y)
        check_classification_targets(y)
        return X, y

    def _check_average(self, estimator: Any) -> None:
        if not hasattr(estimator, "predict_proba"):
            raise ValueError(
                "predict_with='average' averages the generations' predict_proba, "
                f"which the estimator {type(estimator).__name__} does not have. "
                "Use predict_with='last', or an estimator with predict_proba."
            )

    def _set_task_attributes(self, setup: FitSetup) -> None:
        self.classes_ = setup.classes
        self.temperature_ = self._distiller()._temperature(setup)

    def _proba(self, model: Any, X: Any) -> NDArray[np.float64]:
        """A generation's probabilities, one column per class of ``classes_``
        (0 for a class it never predicts)."""
        proba = model.predict_proba(X)
        order = teacher_column_order(model.classes_, self.classes_, allow_missing=True)
        out = np.zeros((proba.shape[0], self.classes_.size), dtype=np.float64)
        known = order >= 0
        out[:, known] = proba[:, order[known]]
        return out

    def _mean_proba(self, X: Any) -> NDArray[np.float64]:
        """The mean probabilities of the averaged generations (checked X)."""
        return np.mean([self._proba(m, X) for m in self._averaged()], axis=0)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Predict class labels: the last generation's, or the averaged ones'.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        X = self._check_predict_input(X)
        if self.predict_with == "last":
            return self.generations_[-1].predict(X)
        return self.classes_[self._mean_proba(X).argmax(axis=1)]

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Class probabilities: the last generation's, or the mean of 1 to n.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            One column per class of ``classes_``; rows sum to 1.
        """
        X = self._check_predict_input(X)
        if self.predict_with == "last":
            return self._proba(self.generations_[-1], X)
        return self._mean_proba(X)

    @available_if(_estimator_has("predict_proba"))
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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = True
        return tags


class BornAgainRegressor(RegressorMixin, _BaseBornAgain):
    """Born-again distillation for regression: generations of one family.

    ``fit`` fits generation 0, the teacher, a clone of ``estimator``, on
    ``y``; then generation ``k = 1, ..., n_generations``, a fresh clone of
    the same estimator, is distilled from generation ``k - 1`` as a
    :class:`~skdistill.DistilledRegressor` distils: it learns the blended
    target ``alpha * y + (1 - alpha) * t``, with ``t`` the previous
    generation's predictions (a squared-error decision tree takes its splits
    from ``t`` and its leaves from the blend, ``fit_strategy="auto"``).

    ``teacher_cv`` makes ``t`` out of fold with the schedule of
    :class:`~skdistill.BornAgainClassifier`: folds drawn once (an int gives
    :class:`~sklearn.model_selection.KFold`), each generation's predictions
    on a fold from its fold model fit on the other folds with the previous
    generation's out-of-fold predictions; one fit on all rows and one per
    fold per generation.

    Predictions come from the last generation (``predict_with="last"``) or
    are the mean of the predictions of generations 1 to ``n_generations``
    (``predict_with="average"``; the teacher is left out, as in the paper's
    ensemble, unless ``n_generations=0``).

    Parameters
    ----------
    estimator : regressor, default=None
        The model of every generation, cloned for each generation and fold.
        ``None`` means
        ``lightgbm.LGBMRegressor(n_estimators=300, learning_rate=0.05)``.
    n_generations : int >= 0, default=3
        Students after the teacher. ``0``: the teacher alone.
    alpha : float in [0, 1], default=0.5
        Weight of ``y`` in each generation's target.
    fit_strategy : {"auto", "blend", "teacher_splits"}, default="auto"
        How each generation learns its target, as in
        :class:`~skdistill.DistilledRegressor`.
    teacher_cv : int, cross-validation generator, iterable or None, default=None
        ``None``: in-sample predictions of the previous generation;
        otherwise out of fold, see above.
    predict_with : {"last", "average"}, default="last"
        Which generations predict, see above.
    memory : str, joblib.Memory or None, default=None
        Cache of generation 0 (its fit and its predictions), as for the
        teacher of :class:`~skdistill.DistilledRegressor`. Entries are
        pickles: use a cache directory you trust like code.
    n_jobs : int, default=None
        Folds of ``teacher_cv`` fitted in parallel (joblib).
    verbose : int, default=0
        A line per generation fitted, with its time.
    random_state : int, RandomState instance or None, default=None
        Seeds of the generations, as in
        :class:`~skdistill.BornAgainClassifier`: one per generation, set on
        every ``random_state`` parameter of its estimator. ``None``: the
        estimator's own ``random_state`` for all.

    Attributes
    ----------
    generations_ : list of regressors
        The fitted generations, generation 0 (the teacher) first, each of the
        estimator's kind.
    teacher_ : regressor
        Generation 0, ``generations_[0]``.
    training_fidelity_ : ndarray of shape (n_generations,)
        For generation ``k >= 1`` (at index ``k - 1``): R² of its predictions
        on the training rows against the previous generation's (in-sample or
        out of fold), those it learnt.
    alpha_ : float
        The weight of ``y`` used.
    fit_strategy_ : str
        The strategy used: ``"blend"`` or ``"teacher_splits"``.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skdistill.DistilledRegressor : One teacher distilled into one student.
    skdistill.BornAgainClassifier : The same for classification.

    References
    ----------
    T. Furlanello, Z. C. Lipton, M. Tschannen, L. Itti and A. Anandkumar,
    "Born-Again Neural Networks", ICML 2018.

    Examples
    --------
    >>> from sklearn.datasets import make_friedman1
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from skdistill import BornAgainRegressor
    >>> X, y = make_friedman1(n_samples=500, noise=1.0, random_state=0)
    >>> model = BornAgainRegressor(
    ...     DecisionTreeRegressor(max_depth=5),
    ...     n_generations=2,
    ...     predict_with="average",
    ...     random_state=0,
    ... ).fit(X, y)
    >>> [type(m).__name__ for m in model.generations_]
    ['DecisionTreeRegressor', 'DecisionTreeRegressor', 'DecisionTreeRegressor']
    >>> model.training_fidelity_.shape
    (2,)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "fit_strategy": [StrOptions(set(REGRESSION_STRATEGIES))],
        **_COMMON_CONSTRAINTS,
    }

    def __init__(
        self,
        estimator: Any = None,
        *,
        n_generations: int = 3,
        alpha: float = 0.5,
        fit_strategy: str = "auto",
        teacher_cv: Any = None,
        predict_with: str = "last",
        memory: str | Memory | None = None,
        n_jobs: int | None = None,
        verbose: int = 0,
        random_state: Any = None,
    ) -> None:
        self.estimator = estimator
        self.n_generations = n_generations
        self.alpha = alpha
        self.fit_strategy = fit_strategy
        self.teacher_cv = teacher_cv
        self.predict_with = predict_with
        self.memory = memory
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.random_state = random_state

    _default_estimator = staticmethod(_default_regressor)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> BornAgainRegressor:
        """Fit the teacher on ``y``, then each generation from the one before.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed as is to every generation.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets. Several outputs need an estimator that supports them.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights of every generation's fit. Without metadata routing
            the estimator's ``fit`` must accept them; with routing enabled,
            they go where the estimator requested them.
        **fit_params : dict
            Further fit parameters of every generation, routed by metadata
            routing.

        Returns
        -------
        self : BornAgainRegressor
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, fit_params)

    def _distiller(self) -> DistilledRegressor:
        estimator = self._resolved_estimator()
        return DistilledRegressor(estimator, estimator, **self._distiller_params())

    def _check_task(self, estimator: Any, X: Any, y: Any) -> tuple[Any, Any]:
        name = type(self).__name__
        if is_classifier(estimator):
            raise ValueError(
                f"{name} needs a regressor as estimator; "
                f"{type(estimator).__name__} is a classifier. Use "
                "BornAgainClassifier for a classification task."
            )
        return validate_fit_xy(self, X, y, multi_output=True)

    def _set_task_attributes(self, setup: FitSetup) -> None:
        """A regressor has no classes and no temperature."""

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Predict: the last generation's predictions, or the mean of 1 to n.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        X = self._check_predict_input(X)
        if self.predict_with == "last":
            return self.generations_[-1].predict(X)
        return np.mean([m.predict(X) for m in self._averaged()], axis=0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = get_tags(
            self._resolved_estimator()
        ).target_tags.multi_output
        return tags
