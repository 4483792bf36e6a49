"""Choosing temperature and alpha by cross-validation, one teacher fit per fold.

Neither the temperature nor alpha changes the teacher: on a fold, the
teacher's fit and its outputs are the same for every setting, and only the
student's fit differs. :class:`DistilledClassifierCV` and
:class:`DistilledRegressorCV` hold a plain distiller built from their
parameters and run its fit steps (:mod:`skdistill._base`) by hand: on each
fold of ``cv``, :func:`~skdistill._base.teach` once, then
:func:`score_candidates`, which runs :func:`~skdistill._base.distil` on a
clone of the distiller at every setting and scores it; the best setting is refit
on all rows, as :class:`~sklearn.linear_model.LogisticRegressionCV` does for
``C``. :func:`score_candidates` is also the sweep behind
:func:`skdistill.metrics.temperature_curve`.
"""

from __future__ import annotations

import time
import warnings
from abc import ABCMeta, abstractmethod
from numbers import Integral
from typing import Any

import numpy as np
from joblib import Parallel, effective_n_jobs
from numpy.typing import ArrayLike, NDArray
from scipy.stats import rankdata
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    _fit_context,
    clone,
    is_classifier,
)
from sklearn.exceptions import NotFittedError
from sklearn.metrics import check_scoring, get_scorer, get_scorer_names
from sklearn.model_selection import ParameterGrid, check_cv
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._base import (
    BaseDistiller,
    FitSetup,
    TrainingRows,
    check_transfer_memory,
    distil,
    prepare,
    teach,
)
from ._classifier import DistilledClassifier
from ._config import delayed
from ._fit_params import (
    _caller_stacklevel,
    _index_params,
    scorer_accepts_sample_weight,
)
from ._regressor import DistilledRegressor
from ._teacher import is_frozen
from ._threads import InWorker, fit_threads, limit_threads, n_values
from ._transfer import TransferSet, synthetic_outputs
from ._validation import check_grid_values
from .augment._check import check_augmenter
from .students._strategies import _fits_labels_alone

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
    "cv": ["cv_object"],
    "refit": ["boolean"],
}

#: Fitted attributes of the refit distiller that a search exposes as its own.
_REFIT_ATTRIBUTES = (
    "teacher_",
    "student_",
    "n_synthetic_",
    "fit_strategy_",
    "training_fidelity_",
)


# -- the sweep: one teacher, a student per candidate ---------------------------
def sized_augmenter(augmenter: Any, size: float | None) -> Any:
    """The augmenter at ``size`` (``None``: as given; ``0``: no augmentation)."""
    if size is None or augmenter is None:
        return augmenter
    if size == 0:
        return None
    return clone(augmenter).set_params(size=size)


def candidate_model(distiller: BaseDistiller, candidate: dict[str, float]) -> Any:
    """An unfitted clone of ``distiller`` at ``candidate``'s settings.

    Its parameters are those a ``GridSearchCV`` candidate would have (with
    ``augment`` at the candidate's size). It knows the features ``distiller``
    saw in :func:`~skdistill._base.prepare`, so that a scorer can call it
    once it has been through :func:`~skdistill._base.distil`.
    """
    settings = {k: v for k, v in candidate.items() if k != "augment_size"}
    model = clone(distiller).set_params(**settings)
    if "augment_size" in candidate:
        augmenter = check_augmenter(distiller.augment)
        model.set_params(augment=sized_augmenter(augmenter, candidate["augment_size"]))
    model.n_features_in_ = distiller.n_features_in_
    if hasattr(distiller, "feature_names_in_"):
        model.feature_names_in_ = distiller.feature_names_in_
    return model


def transfers_by_size(
    distiller: BaseDistiller,
    setup: FitSetup,
    rows: TrainingRows,
    sizes: set[float | None],
    n_jobs: int | None,
) -> dict[float | None, TransferSet]:
    """The teacher fitted once on ``rows``, read on the transfer set of each size.

    Every size's memory is checked before the teacher is fit.
    """
    for size in sizes:
        check_transfer_memory(setup, rows, sized_augmenter(setup.augmenter, size))
    transfer = teach(distiller, setup, rows, augmenter=None, n_jobs=n_jobs)
    transfers = {}
    for size in sizes:
        augmenter = sized_augmenter(setup.augmenter, size)
        if augmenter is None:
            transfers[size] = transfer
            continue
        X_syn, outputs_syn = synthetic_outputs(
            transfer.teacher,
            rows.X,
            rows.labelled,
            augmenter,
            output=setup.output,
            random_state=distiller.random_state,
            verbose=distiller.verbose,
        )
        transfers[size] = transfer._replace(
            X_synthetic=X_syn, synthetic_outputs=outputs_syn
        )
    return transfers


def score_candidates(
    distiller: BaseDistiller,
    setup: FitSetup,
    rows: TrainingRows,
    transfers: dict[float | None, TransferSet],
    candidates: list[dict[str, float]],
    X_test: Any,
    y_test: Any,
    scorers: dict[str, Any],
    score_params: dict[str, Any],
) -> tuple[dict[str, NDArray[np.float64]], NDArray[np.float64], NDArray[np.float64]]:
    """Fit a student per candidate on the same teacher outputs, and score it.

    ``transfers`` maps each augmentation size of the candidates (``None``
    when not searched) to its transfer set. A candidate whose student is
    its hard-label twin (see :func:`_is_twin`) is fitted once per size and
    its scores given to the other temperatures.

    Returns
    -------
    scores : dict
        For each scorer's name, an array of one score per candidate.
    fit_times, score_times : ndarray of shape (n_candidates,)
    """
    n = len(candidates)
    scores = {name: np.empty(n) for name in scorers}
    fit_times, score_times = np.empty(n), np.empty(n)
    twins: dict[Any, int] = {}  # augment size -> the twin candidate scored
    for i, candidate in enumerate(candidates):
        size = candidate.get("augment_size")
        transfer = transfers[size]
        twin = _is_twin(setup, rows, transfer, candidate)
        if twin and size in twins:  # the same student: only T differs
            first = twins[size]
            for values in scores.values():
                values[i] = values[first]
            fit_times[i], score_times[i] = fit_times[first], score_times[first]
            continue
        model = candidate_model(distiller, candidate)
        start = time.perf_counter()
        distil(model, setup, rows, transfer)
        fit_times[i] = time.perf_counter() - start
        start = time.perf_counter()
        for name, scorer in scorers.items():
            scores[name][i] = scorer(model, X_test, y_test, **score_params)
        score_times[i] = time.perf_counter() - start
        if twin:
            twins[size] = i
    return scores, fit_times, score_times


def _is_twin(
    setup: FitSetup, rows: TrainingRows, transfer: TransferSet, candidate: dict
) -> bool:
    """Whether the candidate's student is its hard-label twin, whatever ``T``.

    With ``alpha = 1``, every row labelled and no synthetic row, a student
    whose strategy then fits the labels alone (see ``fit_with_strategy``) is the
    same model at every temperature: the search fits it once per fold and
    gives its scores to the other temperatures, as a refit would.
    """
    return (
        setup.classes is not None
        and candidate.get("alpha") == 1.0
        and transfer.X_synthetic is None
        and bool(rows.labelled.all())
        and _fits_labels_alone(setup.strategy, setup.student)
    )


def check_search_teacher_cv(teacher_cv: Any) -> None:
    """``teacher_cv`` inside a search's folds: ``None``, an int or a splitter."""
    if not (
        teacher_cv is None
        or isinstance(teacher_cv, Integral)
        or hasattr(teacher_cv, "split")
    ):
        raise ValueError(
            "teacher_cv in a search must be None, an int or a "
            "cross-validation splitter (such as KFold(5)): explicit (train, "
            "test) indices name rows of all the data, not of a fold of cv. "
            "Pass a splitter, or fit a plain distiller with those splits."
        )


def split_fold(
    setup: FitSetup,
    rows: TrainingRows,
    train: NDArray[np.intp],
    test: NDArray[np.intp],
) -> tuple[TrainingRows, NDArray[np.intp]]:
    """A fold of a search: its training rows, and its labelled test rows.

    Raises a ValueError, naming ``cv``, when the test part has no label or
    the training part a single class (a teacher to fit needs two).
    """
    fold = rows.subset(train)
    test = test[rows.labelled[test]]  # unlabelled rows cannot be scored
    if test.size == 0:
        raise ValueError(
            "A fold of cv has no labelled row in its test part, so its settings "
            "cannot be scored. Use fewer folds (cv=<int>) or fewer unlabeled "
            "rows."
        )
    labels = np.unique(fold.y_teacher[fold.labelled])
    if setup.classes is not None and labels.size < 2 and not is_frozen(setup.teacher):
        raise ValueError(
            f"A fold of cv leaves only the class {labels.tolist()} in its "
            "training part, so its teacher cannot be fit. Use fewer folds "
            "(cv=<int>) or stratified ones."
        )
    return fold, test


def _fit_and_score_fold(
    distiller: BaseDistiller,
    setup: FitSetup,
    rows: TrainingRows,
    train: NDArray[np.intp],
    test: NDArray[np.intp],
    candidates: list[dict[str, float]],
    scorer: Any,
    score_params: dict[str, Any],
    n_jobs: int | None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """One fold of a search: the teacher once, then a student per candidate.

    Returns the test scores, the students' fit times and the scoring times,
    one per candidate.
    """
    fold, test = split_fold(setup, rows, train, test)
    sizes = {candidate.get("augment_size") for candidate in candidates}
    transfers = transfers_by_size(distiller, setup, fold, sizes, n_jobs)
    scores, fit_times, score_times = score_candidates(
        distiller,
        setup,
        fold,
        transfers,
        candidates,
        _safe_indexing(rows.X, test),
        rows.y_teacher[test],
        {"score": scorer},
        _index_params(score_params, test, rows.n_rows),
    )
    return scores["score"], fit_times, score_times


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


def _refit_has(method: str):
    """available_if check: the refit model (or else a plain distiller) has it."""

    def check(search: _BaseDistillerSearch) -> bool:
        model = getattr(search, "best_estimator_", None)
        getattr(model if model is not None else search._distiller(), method)
        return True

    return check


class _BaseDistillerSearch(MetaEstimatorMixin, BaseEstimator, metaclass=ABCMeta):
    """The search shared by :class:`DistilledClassifierCV` and
    :class:`DistilledRegressorCV`: it holds the distiller it searches.
    """

    #: The plain distiller whose settings are searched.
    _distiller_class: type[BaseDistiller]

    @abstractmethod
    def _setting_grid(self) -> dict[str, list[float]]:
        """The searched values of the distiller's own settings, checked."""

    def _distiller(self) -> BaseDistiller:
        """An unfitted plain distiller with this search's shared parameters."""
        names = self._distiller_class._get_param_names()
        params = self.get_params(deep=False)
        return self._distiller_class(**{k: params[k] for k in names if k in params})

    def _grid(self) -> dict[str, list[float]]:
        """The searched values of each setting, checked (``augment_size`` last)."""
        grid = self._setting_grid()
        if self.augment_sizes is not None:
            if self.augment is None:
                raise ValueError(
                    f"augment_sizes={self.augment_sizes!r} is set but augment=None: "
                    "the sizes are those of the augmenter. Set augment (e.g. "
                    "augment='munge') or augment_sizes=None."
                )
            grid["augment_size"] = check_grid_values(
                self.augment_sizes, "augment_sizes", 0.0, None, low_closed=True
            )
        return grid

    def _scorer(self) -> Any:
        if isinstance(self.scoring, (list, tuple, set, dict)):
            raise ValueError(
                f"{type(self).__name__} selects one setting by one score, so "
                "scoring must be a single metric (a string, a callable scorer or "
                f"None); got {self.scoring!r}. To compare several metrics, use "
                f"GridSearchCV({self._distiller_class.__name__}(memory=...), ..., "
                "scoring=[...], refit=<metric>), which also fits the teacher "
                "once per fold."
            )
        if self.scoring is None:
            return get_scorer("accuracy" if is_classifier(self) else "r2")
        return check_scoring(self._distiller(), self.scoring)

    def _unrouted_score_params(
        self, scorer: Any, sample_weight: NDArray[np.float64] | None
    ) -> dict[str, Any]:
        """Without routing, ``sample_weight`` reaches a scorer that accepts it.

        As in ``GridSearchCV``, with a warning when the scorer does not.
        """
        if sample_weight is None:
            return {}
        if not scorer_accepts_sample_weight(scorer):
            warnings.warn(
                f"The scoring {scorer} does not support sample_weight, so the "
                f"scores of {type(self).__name__} are not weighted although its "
                "fits are. Use a scorer that takes sample_weight.",
                UserWarning,
                stacklevel=_caller_stacklevel(),
            )
            return {}
        return {"sample_weight": sample_weight}

    def _route(
        self, sample_weight: Any, fit_params: dict[str, Any]
    ) -> tuple[Any, dict[str, Any], dict[str, Any], dict[str, Any] | None]:
        """The distiller's sample weight and fit parameters, the splitter's
        and the scorer's parameters (``None``: to be derived without routing).
        """
        if not _routing_enabled():
            _raise_for_params(fit_params, self, "fit")
            return sample_weight, {}, {}, None
        if sample_weight is not None:
            fit_params = {**fit_params, "sample_weight": sample_weight}
        routed = process_routing(self, "fit", **fit_params)
        distiller_params = dict(routed.distiller.fit)
        distiller_weight = distiller_params.pop("sample_weight", None)
        return (
            distiller_weight,
            distiller_params,
            dict(routed.splitter.split),
            dict(routed.scorer.score),
        )

    def _search(
        self, X: Any, y: Any, sample_weight: Any, fit_params: dict[str, Any]
    ) -> _BaseDistillerSearch:
        """The fit of both searches: the grid on the folds, then the refit."""
        grid = self._grid()
        scorer = self._scorer()
        check_search_teacher_cv(self.teacher_cv)
        distiller = self._distiller()
        weight, distiller_params, split_params, score_params = self._route(
            sample_weight, fit_params
        )
        setup, rows = prepare(distiller, X, y, weight, distiller_params)
        if score_params is None:
            score_params = self._unrouted_score_params(scorer, rows.student_weight)
        self.n_features_in_ = distiller.n_features_in_
        if hasattr(distiller, "feature_names_in_"):
            self.feature_names_in_ = distiller.feature_names_in_
        if setup.classes is not None:
            self.classes_ = setup.classes
        candidates = list(ParameterGrid(grid))

        splitter = check_cv(self.cv, rows.y, classifier=is_classifier(self))
        splits = list(splitter.split(rows.X, rows.y, **split_params))
        self.n_splits_ = len(splits)
        inner_jobs = 1 if effective_n_jobs(self.n_jobs) > 1 else self.n_jobs
        # OpenMP limited (skdistill._threads): in this process, and in each
        # worker to its share when the folds run in parallel.
        n_threads = fit_threads(n_values(rows.X))
        fold_threads = fit_threads(
            n_values(rows.X), min(effective_n_jobs(self.n_jobs), len(splits))
        )
        with limit_threads(n_threads, setup.teacher, setup.student):
            results = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(
                delayed(InWorker(_fit_and_score_fold, fold_threads))(
                    distiller,
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
        self.cv_results_ = _format_results(
            candidates,
            np.column_stack([r[0] for r in results]),
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
            best = candidate_model(distiller, self.best_params_)
            augmenter = sized_augmenter(setup.augmenter, self.augment_size_)
            with limit_threads(n_threads, setup.teacher, setup.student) as limit:
                transfer = teach(
                    best, setup, rows, augmenter=augmenter, n_jobs=self.n_jobs
                )
                self.best_estimator_ = distil(best, setup, rows, transfer)
            limit.restore(best.teacher_, best.student_)
            self.refit_time_ = time.perf_counter() - start
            for name in _REFIT_ATTRIBUTES:
                setattr(self, name, getattr(best, name))
        return self

    # -- routing ------------------------------------------------------------------
    def get_metadata_routing(self) -> MetadataRouter:
        """Get the metadata routing of this object.

        ``fit`` routes its metadata to the distiller it searches (which
        passes it on to the ``fit`` of the teacher, unless frozen, and of
        the student), to the scorer's ``score`` and to the ``split`` of
        ``cv`` (``groups``), for those that requested it.

        Returns
        -------
        routing : MetadataRouter
            The routing information.
        """
        router = MetadataRouter(owner=self)
        router.add(
            distiller=self._distiller(),
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )
        router.add(
            scorer=self._scorer(),
            method_mapping=MethodMapping().add(caller="fit", callee="score"),
        )
        router.add(
            splitter=check_cv(self.cv),
            method_mapping=MethodMapping().add(caller="fit", callee="split"),
        )
        return router

    # -- prediction: by the refit distiller -------------------------------------------
    def _refit_model(self) -> BaseDistiller:
        check_is_fitted(self)
        if not hasattr(self, "best_estimator_"):
            raise NotFittedError(
                f"This {type(self).__name__} was fit with refit=False: it holds "
                "the search's results (cv_results_, best_params_, best_score_) "
                "but no model to predict with. Fit it with refit=True, or fit "
                f"{self._distiller_class.__name__}(**best_params_) with the other "
                "parameters."
            )
        return self.best_estimator_

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Predict with the refit distiller's student.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        return self._refit_model().predict(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        distiller_tags = get_tags(self._distiller())
        tags.input_tags.allow_nan = distiller_tags.input_tags.allow_nan
        tags.input_tags.sparse = distiller_tags.input_tags.sparse
        tags.target_tags.multi_output = distiller_tags.target_tags.multi_output
        return tags


class RefitClassifierMixin:
    """The class-probability methods of a classifier search, by its refit model.

    For searches whose ``_refit_model()`` is a fitted classifier (a
    :class:`~skdistill.DistilledClassifier`).
    """

    @available_if(_refit_has("predict_proba"))
    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Class probabilities of the refit distiller's student.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return self._refit_model().predict_proba(X)

    @available_if(_refit_has("predict_log_proba"))
    def predict_log_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        return self._refit_model().predict_log_proba(X)

    @available_if(_refit_has("decision_function"))
    def decision_function(self, X: ArrayLike) -> NDArray[np.float64]:
        """The refit distiller's decision function.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        return self._refit_model().decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = True
        return tags


class DistilledClassifierCV(
    RefitClassifierMixin, ClassifierMixin, _BaseDistillerSearch
):
    """A distilled classifier whose temperature and alpha are chosen by CV.

    The search fits, on each fold of ``cv``, the teacher once (and its
    out-of-fold clones with ``teacher_cv``, its synthetic rows with
    ``augment``), then a student for every ``(temperature, alpha)`` of the grid on these
    same teacher outputs, and scores it on the fold's held-out rows. The
    best setting (highest mean score) is refit on all rows. A
    :class:`~sklearn.model_selection.GridSearchCV` over
    :class:`~skdistill.DistilledClassifier` finds the same setting on the
    same folds, but refits the teacher for every setting of every fold:
    ``len(temperatures) * len(alphas)`` times more teacher fits.

    The search holds a plain :class:`~skdistill.DistilledClassifier` built
    from its parameters; after ``fit``, ``best_estimator_`` is that distiller
    refit at the best setting, which makes the predictions: ``predict``,
    ``predict_proba``, ``teacher_``, ``student_`` and the other attributes
    mean what they mean for it.

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
    cv : int, cross-validation generator or iterable, default=5
        Splits of the search, as ``cv`` in ``GridSearchCV`` and every
        scikit-learn ``*CV`` estimator: an int gives that many stratified
        folds. The teacher's out-of-fold transfer set inside each fit is
        ``teacher_cv``.
    refit : bool, default=True
        Refit the best setting on all rows. With ``False`` the search's
        results (``cv_results_``, ``best_params_``, ``best_score_``,
        ``temperature_``, ``alpha_``) are set but nothing is fitted on all
        rows: prediction raises :class:`~sklearn.exceptions.NotFittedError`,
        as ``GridSearchCV(refit=False)`` cannot predict either.
    fit_strategy : {"auto", "native", "weighted", "hard", "logits", \
"logit_tree"}, default="auto"
        As in :class:`~skdistill.DistilledClassifier`.
    teacher_output : {"auto", "predict_proba", "decision_function"}, \
default="auto"
        As in :class:`~skdistill.DistilledClassifier`.
    weight_threshold : float in [0, 1), default=1e-3
        As in :class:`~skdistill.DistilledClassifier`.
    teacher_cv : int, cross-validation generator, iterable or None, default=None
        The teacher's out-of-fold transfer set, as in
        :class:`~skdistill.DistilledClassifier`; applied inside each fold of
        the search (``teacher_cv`` extra teacher fits per fold).
    augment : {"munge", "perturb"}, Augmenter, callable or None, default=None
        As in :class:`~skdistill.DistilledClassifier`.
    unlabeled : int, str or None, default=None
        As in :class:`~skdistill.DistilledClassifier`. Unlabeled rows are
        spread over the folds; they are used for fitting, never for scoring.
    n_jobs : int, default=None
        Folds of the search fitted in parallel (joblib); the refit uses it
        for the folds of ``teacher_cv``. OpenMP threads (LightGBM,
        HistGradientBoosting) are limited inside ``fit`` so that
        they do not spin-wait on a busy machine: one per 250,000 values of
        ``X`` (rows x columns), at most the physical cores less one, shared
        by the ``n_jobs`` workers. A LightGBM model's own ``n_jobs`` wins;
        the environment variable ``SKDISTILL_N_THREADS`` replaces the rule
        (see the user guide, "Threads on a busy machine").
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
    best_estimator_ : DistilledClassifier
        The refit model (with ``refit=True``), which makes the predictions.
    teacher_, student_, classes_, n_synthetic_, fit_strategy_, \
training_fidelity_ : see :class:`~skdistill.DistilledClassifier`
        Those of ``best_estimator_`` (with ``refit=True``; ``classes_`` in
        any case).
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
    ...     cv=3,
    ... ).fit(X, y)
    >>> model.best_params_
    {'alpha': 0.5, 'temperature': 1.0}
    >>> model.cv_results_["rank_test_score"].tolist()
    [2, 4, 1, 3]
    >>> model.predict(X[:3]).tolist()
    [0, 0, 0]
    """

    _distiller_class = DistilledClassifier

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
        cv: int | Any = 5,
        refit: bool = True,
        fit_strategy: str = "auto",
        teacher_output: str = "auto",
        weight_threshold: float = 1e-3,
        teacher_cv: Any = None,
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
        self.cv = cv
        self.refit = refit
        self.fit_strategy = fit_strategy
        self.teacher_output = teacher_output
        self.weight_threshold = weight_threshold
        self.teacher_cv = teacher_cv
        self.augment = augment
        self.unlabeled = unlabeled
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.random_state = random_state

    def _setting_grid(self) -> dict[str, list[float]]:
        return {
            "temperature": check_grid_values(
                self.temperatures, "temperatures", 0.0, None, low_closed=False
            ),
            "alpha": check_grid_values(self.alphas, "alphas", 0.0, 1.0, True),
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
            the student, the scorer and ``cv``'s ``split``
            (``groups``).

        Returns
        -------
        self : DistilledClassifierCV
            The fitted estimator.
        """
        return self._search(X, y, sample_weight, fit_params)


class DistilledRegressorCV(RegressorMixin, _BaseDistillerSearch):
    """A distilled regressor whose alpha is chosen by cross-validation.

    The regression sibling of :class:`DistilledClassifierCV`: on each fold of
    ``cv`` the teacher is fit once, then a student for every
    ``alpha`` (and every augmentation size of ``augment_sizes``) is fit on
    the same teacher predictions and scored on the held-out rows; the best
    setting is refit on all rows: ``best_estimator_``, a
    :class:`~skdistill.DistilledRegressor` at the best setting, makes the
    predictions.

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
    cv : int, cross-validation generator or iterable, default=5
        Splits of the search (an int gives
        :class:`~sklearn.model_selection.KFold`).
    refit : bool, default=True
        Refit the best setting on all rows; with ``False`` only the search's
        results are set and prediction raises ``NotFittedError``.
    fit_strategy : {"auto", "blend", "teacher_splits"}, default="auto"
        As in :class:`~skdistill.DistilledRegressor`.
    teacher_cv : int, cross-validation generator, iterable or None, default=None
        The teacher's out-of-fold predictions inside each fit, as in
        :class:`~skdistill.DistilledRegressor`.
    augment : {"munge", "perturb"}, Augmenter, callable or None, default=None
        As in :class:`~skdistill.DistilledRegressor`.
    unlabeled : int, float or None, default=None
        As in :class:`~skdistill.DistilledRegressor`; unlabeled rows are
        never scored.
    n_jobs : int, default=None
        Folds of the search fitted in parallel (joblib), as in
        :class:`~skdistill.DistilledClassifierCV`, with OpenMP threads
        limited likewise (see the user guide, "Threads on a busy machine").
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
    best_estimator_ : DistilledRegressor
        The refit model (with ``refit=True``), which makes the predictions.
    teacher_, student_, n_synthetic_, fit_strategy_, training_fidelity_ : \
see :class:`~skdistill.DistilledRegressor`
        Those of ``best_estimator_`` (with ``refit=True``).
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
    ...     cv=3,
    ... ).fit(X, y)
    >>> sorted(model.best_params_)
    ['alpha']
    >>> model.cv_results_["param_alpha"].tolist()
    [0.0, 0.5, 1.0]
    """

    _distiller_class = DistilledRegressor

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
        cv: int | Any = 5,
        refit: bool = True,
        fit_strategy: str = "auto",
        teacher_cv: Any = None,
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
        self.cv = cv
        self.refit = refit
        self.fit_strategy = fit_strategy
        self.teacher_cv = teacher_cv
        self.augment = augment
        self.unlabeled = unlabeled
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.random_state = random_state

    def _setting_grid(self) -> dict[str, list[float]]:
        return {"alpha": check_grid_values(self.alphas, "alphas", 0.0, 1.0, True)}

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
            the student, the scorer and ``cv``'s ``split``.

        Returns
        -------
        self : DistilledRegressorCV
            The fitted estimator.
        """
        return self._search(X, y, sample_weight, fit_params)
