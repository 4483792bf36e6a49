"""Choosing temperature and alpha by cross-validation, one teacher fit per fold.

Neither the temperature nor alpha changes the teacher: on a fold, the
teacher's fit and its outputs are the same for every setting, and only the
student's fit differs. :class:`DistilledClassifierCV` and
:class:`DistilledRegressorCV` therefore fit the teacher once per fold of
``search_cv`` (:meth:`~skdistill._base.BaseDistiller._transfer_set`), fit
and score a student for every setting on it
(:meth:`~skdistill._base.BaseDistiller._fit_from_transfer`, the step every
distiller's ``fit`` ends with), and refit on all rows with the best setting,
as :class:`~sklearn.linear_model.LogisticRegressionCV` does for ``C``.
"""

from __future__ import annotations

import time
import warnings
from inspect import signature
from typing import Any

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from numpy.typing import ArrayLike, NDArray
from scipy.stats import rankdata
from sklearn.base import _fit_context, clone, is_classifier
from sklearn.exceptions import NotFittedError
from sklearn.metrics import check_scoring, get_scorer, get_scorer_names
from sklearn.model_selection import ParameterGrid, check_cv
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping
from sklearn.utils.validation import check_is_fitted

from ._augment import check_augmenter
from ._base import FitSetup, TrainingRows
from ._classifier import DistilledClassifier
from ._regressor import DistilledRegressor
from ._strategies import _caller_stacklevel, _fits_labels_alone, _index_params
from ._teacher import is_frozen
from ._transfer import synthetic_outputs

_SEARCH_CONSTRAINTS: dict = {
    "alphas": ["array-like"],
    "augment_sizes": ["array-like", None],
    "scoring": [
        StrOptions(set(get_scorer_names())),
        callable,
        list,
        tuple,
        set,
        dict,
        None,
    ],
    "search_cv": ["cv_object"],
    "refit": ["boolean"],
}


def _check_grid_values(
    values: Any, name: str, low: float, high: float | None, low_closed: bool
) -> list[float]:
    """``values`` as a list of floats within bounds, or an error naming ``name``."""
    if high is None:
        bounds = f"{'>=' if low_closed else '>'} {low:g}"
    else:
        bounds = f"in [{low:g}, {high:g}]"
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    valid = array is not None and array.ndim == 1 and array.size > 0
    if valid:
        too_low = array < low if low_closed else array <= low
        valid = bool(np.isfinite(array).all() and not too_low.any())
        if high is not None:
            valid = valid and not (array > high).any()
    if not valid:
        raise ValueError(
            f"{name} must be a non-empty list of numbers {bounds}; got {values!r}."
        )
    return [float(v) for v in array]


def _fit_and_score_fold(
    search: Any,
    setup: FitSetup,
    rows: TrainingRows,
    train: NDArray[np.intp],
    test: NDArray[np.intp],
    candidates: list[dict[str, float]],
    scorer: Any,
    score_params: dict[str, Any],
    n_jobs: int | None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Fit the teacher on a fold once, then a student per candidate; scores.

    Returns the test scores, the students' fit times and the scoring times,
    one per candidate.
    """
    fold = rows.subset(train)
    test = test[rows.labelled[test]]  # unlabelled rows cannot be scored
    if test.size == 0:
        raise ValueError(
            "A fold of search_cv has no labelled row in its test part, so its "
            "settings cannot be scored. Use fewer folds (search_cv=<int>) or "
            "fewer unlabeled rows."
        )
    labels = np.unique(fold.y_teacher[fold.labelled])
    if setup.classes is not None and labels.size < 2 and not is_frozen(setup.teacher):
        raise ValueError(
            f"A fold of search_cv leaves only the class {labels.tolist()} in its "
            "training part, so its teacher cannot be fit. Use fewer folds "
            "(search_cv=<int>) or stratified ones."
        )
    X_test = _safe_indexing(rows.X, test)
    y_test = rows.y_teacher[test]
    params = _index_params(score_params, test, rows.n_rows)

    transfer = search._transfer_set(setup, fold, augmenter=None, n_jobs=n_jobs)
    transfers = {}
    for size in {candidate.get("augment_size") for candidate in candidates}:
        augmenter = search._sized_augmenter(setup.augmenter, size)
        if augmenter is None:
            transfers[size] = transfer
            continue
        X_syn, outputs_syn = synthetic_outputs(
            transfer.teacher,
            fold.X,
            fold.labelled,
            augmenter,
            output=setup.output,
            random_state=search.random_state,
            verbose=search.verbose,
        )
        transfers[size] = transfer._replace(
            X_synthetic=X_syn, synthetic_outputs=outputs_syn
        )

    n = len(candidates)
    scores, fit_times, score_times = np.empty(n), np.empty(n), np.empty(n)
    twins: dict[Any, int] = {}  # augment size -> the twin candidate scored
    for i, candidate in enumerate(candidates):
        transfer_i = transfers[candidate.get("augment_size")]
        twin = _is_twin(setup, fold, transfer_i, candidate)
        if twin and candidate.get("augment_size") in twins:
            # the same student as an earlier candidate: only T differs
            first = twins[candidate.get("augment_size")]
            scores[i], fit_times[i] = scores[first], fit_times[first]
            score_times[i] = score_times[first]
            continue
        model = search._fold_model(candidate)
        start = time.perf_counter()
        model._fit_from_transfer(setup, fold, transfer_i, **model._settings())
        fit_times[i] = time.perf_counter() - start
        start = time.perf_counter()
        scores[i] = scorer(model, X_test, y_test, **params)
        score_times[i] = time.perf_counter() - start
        if twin:
            twins[candidate.get("augment_size")] = i
    return scores, fit_times, score_times


def _is_twin(
    setup: FitSetup, fold: TrainingRows, transfer: Any, candidate: dict
) -> bool:
    """Whether the candidate's student is its hard-label twin, whatever ``T``.

    With ``alpha = 1``, every row labelled and no synthetic row, a student
    whose strategy then fits the labels alone (see ``fit_student``) is the
    same model at every temperature: the search fits it once per fold and
    gives its scores to the other temperatures, as a refit would.
    """
    return (
        setup.classes is not None
        and candidate.get("alpha") == 1.0
        and transfer.X_synthetic is None
        and bool(fold.labelled.all())
        and _fits_labels_alone(setup.strategy, setup.student)
    )


class _DistillerSearchMixin:
    """The search shared by :class:`DistilledClassifierCV` and
    :class:`DistilledRegressorCV`; mixed in before the distiller it searches.
    """

    def _distiller(self) -> type:
        """The plain distiller whose settings are searched."""
        raise NotImplementedError

    def _setting_grid(self) -> dict[str, list[float]]:
        """The searched values of the distiller's own settings, checked."""
        raise NotImplementedError

    def _grid(self) -> dict[str, list[float]]:
        """The searched values of each setting, checked (``augment_size`` last)."""
        grid = self._setting_grid()
        if self.augment_sizes is not None:
            grid["augment_size"] = _check_grid_values(
                self.augment_sizes, "augment_sizes", 0.0, None, low_closed=True
            )
        return grid

    @staticmethod
    def _student_settings(candidate: dict[str, float]) -> dict[str, float]:
        """The candidate's settings of the student's fit (not augment_size)."""
        return {k: v for k, v in candidate.items() if k != "augment_size"}

    def _sized_augmenter(self, augmenter: Any, size: float | None) -> Any:
        """The augmenter at ``size`` (``None``: as given; ``0``: no augmentation)."""
        if size is None:
            return augmenter
        if size == 0:
            return None
        return clone(augmenter).set_params(size=size)

    def _plain_distiller(self) -> Any:
        """An unfitted plain distiller with this search's shared parameters."""
        cls = self._distiller()
        names = cls._get_param_names()
        return cls(
            **{k: v for k, v in self.get_params(deep=False).items() if k in names}
        )

    def _fold_model(self, candidate: dict[str, float]) -> Any:
        """The plain distiller at ``candidate``, knowing the features seen by fit.

        Its parameters are those a ``GridSearchCV`` candidate would have
        (with ``augment`` at the candidate's size). Fitted by
        ``_fit_from_transfer`` on a fold, it is what the scorer calls.
        """
        model = self._plain_distiller().set_params(**self._student_settings(candidate))
        if "augment_size" in candidate:
            model.set_params(
                augment=self._sized_augmenter(
                    check_augmenter(self.augment), candidate["augment_size"]
                )
            )
        model.n_features_in_ = self.n_features_in_
        if hasattr(self, "feature_names_in_"):
            model.feature_names_in_ = self.feature_names_in_
        return model

    def _scorer(self) -> Any:
        if isinstance(self.scoring, (list, tuple, set, dict)):
            raise ValueError(
                f"{type(self).__name__} selects one setting by one score, so "
                "scoring must be a single metric (a string, a callable scorer or "
                f"None); got {self.scoring!r}. To compare several metrics, use "
                f"GridSearchCV({self._distiller().__name__}(memory=...), ..., "
                "scoring=[...], refit=<metric>), which also fits the teacher "
                "once per fold."
            )
        if self.scoring is None:
            return get_scorer("accuracy" if is_classifier(self) else "r2")
        return check_scoring(self._plain_distiller(), self.scoring)

    def _unrouted_score_params(
        self, scorer: Any, sample_weight: NDArray[np.float64] | None
    ) -> dict[str, Any]:
        """Without routing, ``sample_weight`` reaches a scorer that accepts it.

        As in ``GridSearchCV``, with a warning when the scorer does not.
        """
        if sample_weight is None:
            return {}
        if hasattr(scorer, "_accept_sample_weight"):
            accepts = scorer._accept_sample_weight()
        else:
            func = getattr(scorer, "_score_func", scorer)
            accepts = "sample_weight" in signature(func).parameters
        if not accepts:
            warnings.warn(
                f"The scoring {scorer} does not support sample_weight, so the "
                f"scores of {type(self).__name__} are not weighted although its "
                "fits are. Use a scorer that takes sample_weight.",
                UserWarning,
                stacklevel=_caller_stacklevel(),
            )
            return {}
        return {"sample_weight": sample_weight}

    def _search(
        self, X: Any, y: Any, sample_weight: Any, fit_params: dict[str, Any]
    ) -> Any:
        grid = self._grid()
        if self.augment_sizes is not None and self.augment is None:
            raise ValueError(
                f"augment_sizes={self.augment_sizes!r} is set but augment=None: the "
                "sizes are those of the augmenter. Set augment (e.g. "
                "augment='munge') or augment_sizes=None."
            )
        scorer = self._scorer()
        setup, rows, routed = self._prepare(X, y, sample_weight, fit_params)
        if routed is None:
            score_params = self._unrouted_score_params(scorer, rows.student_weight)
            split_params = {}
        else:
            score_params = dict(routed.scorer.score)
            split_params = dict(routed.splitter.split)
        if setup.classes is not None:
            self.classes_ = setup.classes
        candidates = list(ParameterGrid(grid))

        splitter = check_cv(self.search_cv, rows.y, classifier=is_classifier(self))
        splits = list(splitter.split(rows.X, rows.y, **split_params))
        self.n_splits_ = len(splits)
        inner_jobs = 1 if effective_n_jobs(self.n_jobs) > 1 else self.n_jobs
        results = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(
            delayed(_fit_and_score_fold)(
                self,
                setup,
                rows,
                train,
                test,
                candidates,
                scorer,
                score_params,
                inner_jobs,
            )
            for train, test in splits
        )
        scores = np.column_stack([r[0] for r in results])
        self.cv_results_ = self._format_results(
            candidates,
            scores,
            np.column_stack([r[1] for r in results]),
            np.column_stack([r[2] for r in results]),
        )
        self.best_index_ = int(np.argmin(self.cv_results_["rank_test_score"]))
        self.best_params_ = candidates[self.best_index_]
        self.best_score_ = float(self.cv_results_["mean_test_score"][self.best_index_])
        self.scorer_ = scorer
        self.alpha_ = self.best_params_["alpha"]
        self.augment_size_ = self.best_params_.get("augment_size")
        if "temperature" in self.best_params_:
            self.temperature_ = self.best_params_["temperature"]

        if self.refit:
            start = time.perf_counter()
            augmenter = self._sized_augmenter(setup.augmenter, self.augment_size_)
            transfer = self._transfer_set(
                setup, rows, augmenter=augmenter, n_jobs=self.n_jobs
            )
            self._fit_from_transfer(
                setup, rows, transfer, **self._student_settings(self.best_params_)
            )
            self.refit_time_ = time.perf_counter() - start
        return self

    @staticmethod
    def _format_results(
        candidates: list[dict[str, float]],
        scores: NDArray[np.float64],
        fit_times: NDArray[np.float64],
        score_times: NDArray[np.float64],
    ) -> dict[str, Any]:
        """``cv_results_`` with the keys (and the ranking) of GridSearchCV's."""
        results: dict[str, Any] = {
            "mean_fit_time": fit_times.mean(axis=1),
            "std_fit_time": fit_times.std(axis=1),
            "mean_score_time": score_times.mean(axis=1),
            "std_score_time": score_times.std(axis=1),
        }
        for name in sorted(candidates[0]):
            results[f"param_{name}"] = np.array([c[name] for c in candidates])
        results["params"] = candidates
        for k in range(scores.shape[1]):
            results[f"split{k}_test_score"] = scores[:, k]
        means = scores.mean(axis=1)
        results["mean_test_score"] = means
        results["std_test_score"] = scores.std(axis=1)
        # As in GridSearchCV: a NaN mean ranks with the worst; ties share the
        # lowest rank, and the first candidate of the best rank is chosen.
        if np.isnan(means).all():
            ranks = np.ones(means.size, dtype=np.int32)
        else:
            filled = np.where(np.isnan(means), np.nanmin(means) - 1, means)
            ranks = rankdata(-filled, method="min").astype(np.int32)
        results["rank_test_score"] = ranks
        return results

    # -- routing ------------------------------------------------------------------
    def get_metadata_routing(self) -> MetadataRouter:
        """Get the metadata routing of this object.

        ``fit`` routes its metadata to the ``fit`` of the teacher (unless
        frozen) and the student, to the scorer's ``score`` and to the
        ``split`` of ``search_cv`` (``groups``), for those that requested it.

        Returns
        -------
        routing : MetadataRouter
            The routing information.
        """
        router = super().get_metadata_routing()
        router.add(
            scorer=self._scorer(),
            method_mapping=MethodMapping().add(caller="fit", callee="score"),
        )
        router.add(
            splitter=check_cv(self.search_cv),
            method_mapping=MethodMapping().add(caller="fit", callee="split"),
        )
        return router

    # -- prediction ---------------------------------------------------------------
    def _check_predict_input(self, X: Any) -> Any:
        check_is_fitted(self)
        if not hasattr(self, "student_"):
            raise NotFittedError(
                f"This {type(self).__name__} was fit with refit=False: it holds "
                "the search's results (cv_results_, best_params_, best_score_) "
                "but no model to predict with. Fit it with refit=True, or fit "
                f"{self._distiller().__name__}(**best_params_) with the other "
                "parameters."
            )
        return super()._check_predict_input(X)


class DistilledClassifierCV(_DistillerSearchMixin, DistilledClassifier):
    """A distilled classifier whose temperature and alpha are chosen by CV.

    The search fits, on each fold of ``search_cv``, the teacher once (and its
    out-of-fold clones with ``cv``, its synthetic rows with ``augment``),
    then a student for every ``(temperature, alpha)`` of the grid on these
    same teacher outputs, and scores it on the fold's held-out rows. The
    best setting (highest mean score) is refit on all rows. A
    :class:`~sklearn.model_selection.GridSearchCV` over
    :class:`~skdistill.DistilledClassifier` finds the same setting on the
    same folds, but refits the teacher for every setting of every fold:
    ``len(temperatures) * len(alphas)`` times more teacher fits.

    After ``fit`` it is a :class:`~skdistill.DistilledClassifier` at the best
    setting: ``predict``, ``predict_proba``, ``teacher_``, ``student_`` and
    the other attributes mean the same.

    Candidates are ordered as ``GridSearchCV`` orders them: ``alphas`` outer,
    then ``augment_sizes``, then ``temperatures`` inner, each in the order
    given. Ties in the mean score are broken as ``GridSearchCV`` breaks them:
    the first candidate in that order wins.

    Parameters
    ----------
    teacher : classifier, default=None
        As in :class:`~skdistill.DistilledClassifier`; a frozen teacher is
        never fit (not even in the folds).
    student : classifier, default=None
        As in :class:`~skdistill.DistilledClassifier`.
    temperatures : array-like of float > 0, default=(1.0, 2.0, 4.0)
        Temperatures searched.
    alphas : array-like of float in [0, 1], default=(1.0, 0.5, 0.0)
        Weights of the hard labels searched. ``1.0`` is exactly the student
        trained on the labels alone (its hard-label twin): with it among the
        candidates, and first (ties go to the first candidate), the search
        chooses the twin where distillation does not help on the folds. The
        twin is the same student at every temperature, so it is fitted once
        per fold and its scores given to every temperature (``cv_results_``
        lists them all, as ``GridSearchCV`` does). The default grid of nine
        candidates (seven distinct students) is small on purpose: every
        candidate costs a student fit per fold, and the more candidates, the
        more the best mean score of the folds overstates the chosen one.
    augment_sizes : array-like of float >= 0, default=None
        Sizes of the augmenter (``augment``, whose ``size`` is set to each)
        searched; ``0`` means no synthetic rows. ``None``: ``augment`` as
        given, not searched. The teacher is fit once per fold for all sizes.
    scoring : str, callable or None, default=None
        One scikit-learn scorer (a name such as ``"neg_log_loss"``, or a
        callable ``scorer(estimator, X, y)``, which receives a fitted
        :class:`~skdistill.DistilledClassifier` whose ``teacher_`` is the
        fold's teacher). ``None``: accuracy. Several metrics are not
        supported (an error); use ``GridSearchCV`` with ``memory`` for them.
    search_cv : int, cross-validation generator or iterable, default=5
        Splits of the search, as ``cv`` in ``GridSearchCV``: an int gives
        that many stratified folds. Not to be confused with ``cv``, the
        teacher's out-of-fold transfer set inside each fit.
    refit : bool, default=True
        Refit the best setting on all rows. With ``False`` the search's
        results (``cv_results_``, ``best_params_``, ``best_score_``,
        ``temperature_``, ``alpha_``) are set but nothing is fitted on all
        rows: prediction raises :class:`~sklearn.exceptions.NotFittedError`,
        as ``GridSearchCV(refit=False)`` cannot predict either.
    fit_strategy : {"auto", "native", "weighted", "hard", "logits"}, \
default="auto"
        As in :class:`~skdistill.DistilledClassifier`.
    teacher_output : {"auto", "predict_proba", "decision_function"}, \
default="auto"
        As in :class:`~skdistill.DistilledClassifier`.
    weight_threshold : float in [0, 1), default=1e-3
        As in :class:`~skdistill.DistilledClassifier`.
    cv : int, cross-validation generator, iterable or None, default=None
        The teacher's out-of-fold transfer set, as in
        :class:`~skdistill.DistilledClassifier`; applied inside each fold of
        the search (``cv`` extra teacher fits per fold).
    augment : {"munge", "perturb"}, Augmenter, callable or None, default=None
        As in :class:`~skdistill.DistilledClassifier`.
    unlabeled : int, str or None, default=None
        As in :class:`~skdistill.DistilledClassifier`. Unlabeled rows are
        spread over the folds; they are used for fitting, never for scoring.
    n_jobs : int, default=None
        Folds of the search fitted in parallel (joblib); the refit uses it
        for the folds of ``cv``.
    verbose : int, default=0
        Progress reports.
    random_state : int, RandomState instance or None, default=None
        Seed of the augmentation (unless the Augmenter has its own).

    Attributes
    ----------
    temperature_ : float
        The chosen temperature.
    alpha_ : float
        The chosen alpha.
    augment_size_ : float or None
        The chosen augmentation size (``None`` if not searched).
    best_params_ : dict
        The chosen setting, ``{"alpha": ..., "temperature": ...}`` (and
        ``"augment_size"``).
    best_score_ : float
        Its mean score over the folds.
    best_index_ : int
        Its index in ``cv_results_``.
    cv_results_ : dict of ndarrays
        As ``GridSearchCV``'s: ``params``, ``param_alpha``,
        ``param_temperature`` (``param_augment_size``),
        ``split{k}_test_score``, ``mean_test_score``, ``std_test_score``,
        ``rank_test_score``, and ``mean_fit_time``/``std_fit_time`` (the
        student's fit; the teacher's, shared by all candidates of a fold, is
        not included) and ``mean_score_time``/``std_score_time``. Loads into
        a :class:`pandas.DataFrame`.
    scorer_ : callable
        The scorer used.
    n_splits_ : int
        Number of folds of the search.
    refit_time_ : float
        Seconds taken by the refit on all rows (with ``refit=True``).
    teacher_, student_, classes_, n_synthetic_, fit_strategy_, \
training_fidelity_ : see :class:`~skdistill.DistilledClassifier`
        Of the refit model (with ``refit=True``; ``classes_`` in any case).
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skdistill.DistilledClassifier : The distiller at a fixed setting; its
        ``memory`` parameter caches the teacher for ``GridSearchCV``.
    skdistill.DistilledRegressorCV : The same for regression.
    sklearn.linear_model.LogisticRegressionCV : The same idea for ``C``.

    Examples
    --------
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import load_iris
    >>> from skdistill import DistilledClassifierCV, SoftLogisticRegression
    >>> X, y = load_iris(return_X_y=True)
    >>> model = DistilledClassifierCV(
    ...     teacher=LGBMClassifier(n_estimators=20, verbose=-1),
    ...     student=SoftLogisticRegression(max_iter=500),
    ...     temperatures=[1.0, 4.0],
    ...     alphas=[0.0, 0.5],
    ...     scoring="neg_log_loss",
    ...     search_cv=3,
    ... ).fit(X, y)
    >>> model.best_params_
    {'alpha': 0.5, 'temperature': 1.0}
    >>> model.cv_results_["rank_test_score"].tolist()
    [2, 4, 1, 3]
    >>> model.predict(X[:3]).tolist()
    [0, 0, 0]
    """

    _parameter_constraints: dict = {
        **{
            k: v
            for k, v in DistilledClassifier._parameter_constraints.items()
            if k not in ("temperature", "alpha", "memory")
        },
        "temperatures": ["array-like"],
        **_SEARCH_CONSTRAINTS,
    }

    def __init__(
        self,
        teacher: Any = None,
        student: Any = None,
        *,
        temperatures: ArrayLike = (1.0, 2.0, 4.0),
        alphas: ArrayLike = (1.0, 0.5, 0.0),
        augment_sizes: ArrayLike | None = None,
        scoring: str | Any | None = None,
        search_cv: int | Any = 5,
        refit: bool = True,
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
        self.temperatures = temperatures
        self.alphas = alphas
        self.augment_sizes = augment_sizes
        self.scoring = scoring
        self.search_cv = search_cv
        self.refit = refit
        self.fit_strategy = fit_strategy
        self.teacher_output = teacher_output
        self.weight_threshold = weight_threshold
        self.cv = cv
        self.augment = augment
        self.unlabeled = unlabeled
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.random_state = random_state

    def _distiller(self) -> type:
        return DistilledClassifier

    def _setting_grid(self) -> dict[str, list[float]]:
        return {
            "temperature": _check_grid_values(
                self.temperatures, "temperatures", 0.0, None, low_closed=False
            ),
            "alpha": _check_grid_values(self.alphas, "alphas", 0.0, 1.0, True),
        }

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> DistilledClassifierCV:
        """Search the grid by cross-validation, then refit the best setting.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed as is to the teacher and the student.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights. Without metadata routing they go to the fits of the
            teacher and the student (in every fold and in the refit) and to
            the scorer if it takes them (a warning if not), as in
            ``GridSearchCV``; with routing enabled, to whichever of teacher,
            student and scorer requested them.
        **fit_params : dict
            Further parameters, routed by metadata routing to the teacher,
            the student, the scorer and ``search_cv``'s ``split``
            (``groups``).

        Returns
        -------
        self : DistilledClassifierCV
            The fitted estimator.
        """
        return self._search(X, y, sample_weight, fit_params)


class DistilledRegressorCV(_DistillerSearchMixin, DistilledRegressor):
    """A distilled regressor whose alpha is chosen by cross-validation.

    The regression sibling of :class:`DistilledClassifierCV`: on each fold of
    ``search_cv`` the teacher is fit once, then a student for every
    ``alpha`` (and every augmentation size of ``augment_sizes``) is fit on
    the same teacher predictions and scored on the held-out rows; the best
    setting is refit on all rows. After ``fit`` it is a
    :class:`~skdistill.DistilledRegressor` at the best setting.

    Candidates are ordered ``alphas`` outer, ``augment_sizes`` inner, each in
    the order given; ties go to the first, as in ``GridSearchCV``.

    Parameters
    ----------
    teacher : regressor, default=None
        As in :class:`~skdistill.DistilledRegressor`.
    student : regressor, default=None
        As in :class:`~skdistill.DistilledRegressor`.
    alphas : array-like of float in [0, 1], default=(1.0, 0.75, 0.5, 0.25, 0.0)
        Weights of the labels searched; ``1.0`` is the student fitted on the
        labels alone (its hard-label twin), first so that ties go to it.
    augment_sizes : array-like of float >= 0, default=None
        Sizes of the augmenter searched (``0``: no synthetic rows);
        ``None``: ``augment`` as given.
    scoring : str, callable or None, default=None
        One scikit-learn scorer; ``None``: R². Several metrics are an
        error.
    search_cv : int, cross-validation generator or iterable, default=5
        Splits of the search (an int gives
        :class:`~sklearn.model_selection.KFold`).
    refit : bool, default=True
        Refit the best setting on all rows; with ``False`` only the search's
        results are set and prediction raises ``NotFittedError``.
    fit_strategy : {"auto", "blend", "teacher_splits"}, default="auto"
        As in :class:`~skdistill.DistilledRegressor`.
    cv : int, cross-validation generator, iterable or None, default=None
        The teacher's out-of-fold predictions inside each fit, as in
        :class:`~skdistill.DistilledRegressor`.
    augment : {"munge", "perturb"}, Augmenter, callable or None, default=None
        As in :class:`~skdistill.DistilledRegressor`.
    unlabeled : int, float or None, default=None
        As in :class:`~skdistill.DistilledRegressor`; unlabeled rows are
        never scored.
    n_jobs : int, default=None
        Folds of the search fitted in parallel.
    verbose : int, default=0
        Progress reports.
    random_state : int, RandomState instance or None, default=None
        Seed of the augmentation (unless the Augmenter has its own).

    Attributes
    ----------
    alpha_ : float
        The chosen alpha.
    augment_size_ : float or None
        The chosen augmentation size (``None`` if not searched).
    best_params_, best_score_, best_index_, cv_results_, scorer_, \
n_splits_, refit_time_ : see :class:`DistilledClassifierCV`
    teacher_, student_, n_synthetic_, training_fidelity_ : \
see :class:`~skdistill.DistilledRegressor`
        Of the refit model.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skdistill.DistilledRegressor : The distiller at a fixed alpha.
    skdistill.DistilledClassifierCV : The same for classification.

    Examples
    --------
    >>> from lightgbm import LGBMRegressor
    >>> from sklearn.datasets import make_friedman1
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from skdistill import DistilledRegressorCV
    >>> X, y = make_friedman1(n_samples=300, noise=1.0, random_state=0)
    >>> model = DistilledRegressorCV(
    ...     teacher=LGBMRegressor(n_estimators=50, verbose=-1),
    ...     student=DecisionTreeRegressor(max_depth=4, random_state=0),
    ...     alphas=[0.0, 0.5, 1.0],
    ...     search_cv=3,
    ... ).fit(X, y)
    >>> sorted(model.best_params_)
    ['alpha']
    >>> model.cv_results_["param_alpha"].tolist()
    [0.0, 0.5, 1.0]
    """

    _parameter_constraints: dict = {
        **{
            k: v
            for k, v in DistilledRegressor._parameter_constraints.items()
            if k not in ("alpha", "memory")
        },
        **_SEARCH_CONSTRAINTS,
    }

    def __init__(
        self,
        teacher: Any = None,
        student: Any = None,
        *,
        alphas: ArrayLike = (1.0, 0.75, 0.5, 0.25, 0.0),
        augment_sizes: ArrayLike | None = None,
        scoring: str | Any | None = None,
        search_cv: int | Any = 5,
        refit: bool = True,
        fit_strategy: str = "auto",
        cv: Any = None,
        augment: Any = None,
        unlabeled: float | None = None,
        n_jobs: int | None = None,
        verbose: int = 0,
        random_state: Any = None,
    ) -> None:
        self.teacher = teacher
        self.student = student
        self.alphas = alphas
        self.augment_sizes = augment_sizes
        self.scoring = scoring
        self.search_cv = search_cv
        self.refit = refit
        self.fit_strategy = fit_strategy
        self.cv = cv
        self.augment = augment
        self.unlabeled = unlabeled
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.random_state = random_state

    def _distiller(self) -> type:
        return DistilledRegressor

    def _setting_grid(self) -> dict[str, list[float]]:
        return {"alpha": _check_grid_values(self.alphas, "alphas", 0.0, 1.0, True)}

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> DistilledRegressorCV:
        """Search the grid by cross-validation, then refit the best setting.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed as is to the teacher and the student.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights: without metadata routing, for the fits of the
            teacher and the student and for the scorer if it takes them; with
            routing, for whichever of teacher, student and scorer requested
            them.
        **fit_params : dict
            Further parameters, routed by metadata routing to the teacher,
            the student, the scorer and ``search_cv``'s ``split``.

        Returns
        -------
        self : DistilledRegressorCV
            The fitted estimator.
        """
        return self._search(X, y, sample_weight, fit_params)
