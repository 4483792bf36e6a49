"""Compression to a budget: the smallest student that keeps the teacher's quality.

:class:`CompressedClassifierCV` and :class:`CompressedRegressorCV` run the
fit steps of a distiller (:mod:`skdistill._base`) by hand, as the searches
of :mod:`skdistill._search` do, but over students instead of settings:

1. on each fold of ``cv``, the teacher is fit once
   (:func:`~skdistill._base.teach`, cached with ``memory``) and scored;
2. the ladders of students (:mod:`skdistill.compress._ladder`) are climbed
   in order: each student is distilled on every fold's teacher outputs
   (:func:`~skdistill._base.distil`), and its hard-label twin fit on the
   labels alone; both are scored, and the distilled student's footprint
   measured (:mod:`skdistill.compress._footprint`); a ladder is left once
   its larger students stop improving;
3. the budget (:mod:`skdistill.compress._budget`) picks a candidate, which
   is refit on all rows.
"""

from __future__ import annotations

import sys
import time
import warnings
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, effective_n_jobs
from numpy.typing import ArrayLike, NDArray
from scipy.stats import rankdata
from sklearn.base import (
    ClassifierMixin,
    RegressorMixin,
    _fit_context,
    clone,
    is_classifier,
)
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import check_cv
from sklearn.pipeline import make_pipeline
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)

from .._base import BaseDistiller, FitSetup, TrainingRows, distil, prepare, teach
from .._classifier import DistilledClassifier
from .._config import delayed
from .._fit_params import _index_params, fit_with_sample_weight
from .._regressor import DistilledRegressor
from .._search import (
    _REFIT_ATTRIBUTES,
    _SEARCH_CONSTRAINTS,
    RefitClassifierMixin,
    _BaseDistillerSearch,
    candidate_model,
    check_search_teacher_cv,
    split_fold,
)
from .._teacher import is_frozen
from .._threads import InWorker, fit_threads, limit_threads, n_values
from .._transfer import TransferSet
from ..metrics._deploy import require_export
from ..metrics._footprint import serialized_size
from ..preprocessing import make_preprocessor
from ._budget import Budget, choose, pareto_front
from ._footprint import export_installed, footprint
from ._ladder import Candidate, check_students

_COMPRESSION_CONSTRAINTS: dict = {
    "students": [list, dict, None],
    "keep": [Interval(Real, 0, 1, closed="right"), None],
    "min_score": [Real, None],
    "max_size": [Interval(Real, 0, None, closed="neither"), None],
    "max_latency": [Interval(Real, 0, None, closed="neither"), None],
    "patience": [Interval(Integral, 1, None, closed="left"), None],
    "tol": [Interval(Real, 0, None, closed="left")],
    "onnx": ["boolean", StrOptions({"auto"})],
    "latency_repeats": [Interval(Integral, 0, None, closed="left")],
    "scoring": _SEARCH_CONSTRAINTS["scoring"],
    "cv": _SEARCH_CONSTRAINTS["cv"],
    "refit": _SEARCH_CONSTRAINTS["refit"],
}


@dataclass
class _Fold:
    """A fold of the search: its rows, its teacher's outputs and score."""

    train: NDArray[np.intp]
    test: NDArray[np.intp]
    transfer: TransferSet
    teacher_score: float


@dataclass
class _Scored:
    """A candidate, distilled and as its hard-label twin, on every fold."""

    candidate: Candidate
    scores: NDArray[np.float64]
    twin_scores: NDArray[np.float64]
    fit_times: NDArray[np.float64]
    footprint: dict[str, float]
    twin_size: float


def _teach_fold(
    distiller: BaseDistiller,
    setup: FitSetup,
    rows: TrainingRows,
    train: NDArray[np.intp],
    test: NDArray[np.intp],
    scorer: Any,
    score_params: dict[str, Any],
    n_jobs: int | None,
) -> _Fold:
    """Step 1 on a fold: the teacher fit once (cached in ``memory``), scored."""
    fold, test = split_fold(setup, rows, train, test)
    transfer = teach(
        distiller,
        setup,
        fold,
        augmenter=setup.augmenter,
        memory=distiller.memory,
        n_jobs=n_jobs,
    )
    score = scorer(
        transfer.teacher,
        _safe_indexing(rows.X, test),
        rows.y_teacher[test],
        **_index_params(score_params, test, rows.n_rows),
    )
    return _Fold(train, test, transfer, float(score))


def _hard_label_twin(student: Any, setup: FitSetup, rows: TrainingRows) -> Any:
    """The student fit on the labelled rows' labels alone (no teacher).

    A regressor student of a classifier (the ``"logits"`` strategy) fits the
    labels as its distilled fit does the teacher's logits: its
    :class:`~skdistill.LogitMatchingClassifier` fit on the labels.
    """
    if setup.strategy == "logits":
        student = setup.student
    labelled = np.flatnonzero(rows.labelled)
    params = _index_params(rows.student_params, labelled, rows.n_rows)
    weight = None if rows.student_weight is None else rows.student_weight[labelled]
    return fit_with_sample_weight(
        clone(student),
        _safe_indexing(rows.X, labelled),
        rows.y_teacher[labelled],
        weight,
        **params,
    )


class _BaseCompressionSearch(_BaseDistillerSearch):
    """The search shared by both compression searches: students to a budget."""

    def _setting_grid(self) -> dict[str, list[float]]:
        return {}  # the distiller's settings are fixed; the students vary

    def _refit_model(self) -> BaseDistiller:
        if (
            self.refit
            and hasattr(self, "cv_results_")
            and not hasattr(self, "best_index_")
        ):
            raise NotFittedError(
                f"This {type(self).__name__}'s last fit chose no student: none met "
                "its budget (see the BudgetError it raised; cv_results_ and "
                "frontier_ hold what was tried). Loosen the budget and fit again."
            )
        return super()._refit_model()

    def _labelled_targets(self, y: Any) -> Any:
        """``y`` without the rows ``unlabeled`` marks (the default ladder's
        scale of a regressor's L1 penalty is the labelled targets')."""
        if self.unlabeled is None:
            return y
        y = np.asarray(y)
        return y[self._distiller()._marked_rows(y)]

    def _routes(
        self, sample_weight: Any, fit_params: dict[str, Any], n_candidates: int
    ) -> tuple[list[tuple[Any, dict[str, Any]]], dict[str, Any], dict | None]:
        """Each candidate's ``(sample_weight, fit parameters)``, the splitter's
        and the scorer's parameters (``None``: derived without routing)."""
        if not _routing_enabled():
            _raise_for_params(fit_params, self, "fit")
            return [(sample_weight, {})] * n_candidates, {}, None
        if sample_weight is not None:
            fit_params = {**fit_params, "sample_weight": sample_weight}
        routed = process_routing(self, "fit", **fit_params)
        routes = []
        for i in range(n_candidates):
            params = dict(routed[f"distiller_{i}"].fit)
            routes.append((params.pop("sample_weight", None), params))
        return routes, dict(routed.splitter.split), dict(routed.scorer.score)

    def get_metadata_routing(self) -> MetadataRouter:
        """Get the metadata routing of this object.

        ``fit`` routes its metadata, for each student, to a distiller of
        that student (which passes it on to the ``fit`` of the teacher,
        unless frozen, and of the student), to the scorer's ``score`` and
        to the ``split`` of ``cv`` (``groups``), for those that requested
        it. The students are those of ``students`` (the default ladder's
        have no request set: pass your own students to route metadata to
        them).

        Returns
        -------
        routing : MetadataRouter
            The routing information.
        """
        router = MetadataRouter(owner=self)
        distiller = self._distiller()
        candidates = check_students(
            self.students,
            None,
            None,
            classifier=is_classifier(self._distiller_class()),
            random_state=None,
        )
        for i, candidate in enumerate(candidates):
            router.add(
                **{
                    f"distiller_{i}": clone(distiller).set_params(
                        student=candidate.student
                    )
                },
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

    def _budget(self) -> Budget:
        if self.max_latency is not None and self.latency_repeats == 0:
            raise ValueError(
                f"max_latency={self.max_latency:g} needs the students' prediction "
                "times, but latency_repeats=0 turns the timing off. Set "
                "latency_repeats to 1 or more, or drop max_latency."
            )
        return Budget(self.min_score, self.keep, self.max_size, self.max_latency)

    def _measures_onnx(self) -> bool:
        if self.onnx == "auto":
            return export_installed()
        if self.onnx:
            require_export(f"{type(self).__name__}(onnx=True)")
        return bool(self.onnx)

    def _base_distiller(self, X: Any) -> BaseDistiller:
        """The distiller of every candidate; a default teacher gets what a
        table needs (text and categories to LightGBM's categories)."""
        distiller = self._distiller()
        if self.teacher is None and isinstance(X, pd.DataFrame):
            teacher = distiller._default_teacher()
            distiller.set_params(
                teacher=make_pipeline(make_preprocessor(teacher, X), teacher)
            )
        return distiller

    def _say(self, message: str) -> None:
        if self.verbose:
            print(f"[{type(self).__name__}] {message}", file=sys.stderr, flush=True)

    # -- the fit, top-down ----------------------------------------------------------
    def _compress(
        self, X: Any, y: Any, sample_weight: Any, fit_params: dict[str, Any]
    ) -> _BaseCompressionSearch:
        # a previous fit's results must not outlive a fit that fails
        for name in [
            k for k in vars(self) if k.endswith("_") and not k.startswith("_")
        ]:
            delattr(self, name)
        budget = self._budget()
        scorer = self._scorer()
        check_search_teacher_cv(self.teacher_cv)
        onnx = self._measures_onnx()
        base = self._base_distiller(X)
        candidates = check_students(
            self.students,
            X,
            self._labelled_targets(y),
            classifier=is_classifier(self),
            random_state=self.random_state,
        )
        routes, split_params, score_params = self._routes(
            sample_weight, fit_params, len(candidates)
        )
        base.set_params(student=candidates[0].student)
        setup, rows = prepare(base, X, y, *routes[0])
        if score_params is None:
            score_params = self._unrouted_score_params(scorer, rows.student_weight)
        self.n_features_in_ = base.n_features_in_
        if hasattr(base, "feature_names_in_"):
            self.feature_names_in_ = base.feature_names_in_
        if setup.classes is not None:
            self.classes_ = setup.classes
        self.scorer_ = scorer

        splitter = check_cv(self.cv, rows.y, classifier=is_classifier(self))
        splits = list(splitter.split(rows.X, rows.y, **split_params))
        self.n_splits_ = len(splits)
        folds = self._teach_folds(base, setup, rows, splits, scorer, score_params)
        self.teacher_split_scores_ = np.array([f.teacher_score for f in folds])
        self.teacher_score_ = float(self.teacher_split_scores_.mean())
        timing_rows = _safe_indexing(rows.X, folds[0].test)
        self.teacher_footprint_ = footprint(
            folds[0].transfer.teacher,
            timing_rows,
            onnx=onnx,
            n_repeats=self.latency_repeats,
        )
        self._say(f"teacher: score {self.teacher_score_:.4f}")

        scored, self.skipped_ = self._climb_ladders(
            base,
            candidates,
            [(X, y, *route) for route in routes],
            folds,
            (scorer, score_params),
            timing_rows,
            onnx,
        )
        self.cv_results_ = _format_results(scored)
        self.frontier_ = {
            "size": pareto_front(
                self.cv_results_["size_bytes"], self.cv_results_["mean_test_score"]
            ),
            "latency": pareto_front(
                self.cv_results_["predict_time_1row"],
                self.cv_results_["mean_test_score"],
            ),
        }
        self.min_score_ = budget.floor(self.teacher_score_)
        self.n_teacher_fits_ = 0 if is_frozen(setup.teacher) else self.n_splits_
        self.best_index_ = choose(
            budget,
            self.cv_results_["mean_test_score"],
            self.cv_results_["size_bytes"],
            self.cv_results_["predict_time_1row"],
            self.teacher_score_,
            list(self.cv_results_["student_name"]),
        )
        best = scored[self.best_index_].candidate
        best_data = (X, y, *routes[candidates.index(best)])
        self.best_params_ = {"student": clone(best.student)}
        self.best_score_ = float(self.cv_results_["mean_test_score"][self.best_index_])
        self._say(f"chosen: {best.name} (score {self.best_score_:.4f})")
        if self.refit:
            self._refit(base, best, best_data, timing_rows, onnx)
        return self

    def _teach_folds(
        self,
        base: BaseDistiller,
        setup: FitSetup,
        rows: TrainingRows,
        splits: list,
        scorer: Any,
        score_params: dict[str, Any],
    ) -> list[_Fold]:
        """Step 1: the teacher once per fold, the folds in parallel (``n_jobs``)."""
        inner_jobs = 1 if effective_n_jobs(self.n_jobs) > 1 else self.n_jobs
        n_threads = fit_threads(n_values(rows.X))
        fold_threads = fit_threads(
            n_values(rows.X), min(effective_n_jobs(self.n_jobs), len(splits))
        )
        with limit_threads(n_threads, setup.teacher):
            return Parallel(n_jobs=self.n_jobs)(
                delayed(InWorker(_teach_fold, fold_threads))(
                    base, setup, rows, train, test, scorer, score_params, inner_jobs
                )
                for train, test in splits
            )

    def _climb_ladders(
        self,
        base: BaseDistiller,
        candidates: list[Candidate],
        data: list[tuple],
        folds: list[_Fold],
        scoring: tuple,
        timing_rows: Any,
        onnx: bool,
    ) -> tuple[list[_Scored], list[str]]:
        """Step 2: each ladder in order, left after ``patience`` students
        that do not beat its best mean score by more than ``tol``."""
        scored: list[_Scored] = []
        skipped: list[str] = []
        best: dict[str, float] = {}
        misses: dict[str, int] = {}
        for candidate, candidate_data in zip(candidates, data, strict=True):
            ladder = candidate.ladder
            if self.patience is not None and misses.get(ladder, 0) >= self.patience:
                skipped.append(candidate.name)
                continue
            result = self._evaluate(
                base, candidate, candidate_data, folds, scoring, timing_rows, onnx
            )
            scored.append(result)
            mean = float(np.mean(result.scores))
            if mean > best.get(ladder, -np.inf) + self.tol:
                best[ladder], misses[ladder] = mean, 0
            else:
                misses[ladder] = misses.get(ladder, 0) + 1
            self._say(
                f"{candidate.name}: score {mean:.4f} (hard labels "
                f"{np.mean(result.twin_scores):.4f}), "
                f"{result.footprint['size_bytes']:,.0f} bytes"
            )
        return scored, skipped

    def _evaluate(
        self,
        base: BaseDistiller,
        candidate: Candidate,
        data: tuple,
        folds: list[_Fold],
        scoring: tuple,
        timing_rows: Any,
        onnx: bool,
    ) -> _Scored:
        """A candidate distilled on every fold's teacher outputs, and its twin."""
        X, y, weight, distiller_params = data
        scorer, score_params = scoring
        model = clone(base).set_params(student=candidate.student)
        setup, rows = prepare(model, X, y, weight, distiller_params)
        n = len(folds)
        scores, twin_scores, fit_times = np.empty(n), np.empty(n), np.empty(n)
        # the twin is a clone of candidate.student: its LightGBM models need
        # the limit too (n_jobs=0), or they use every core
        with limit_threads(
            fit_threads(n_values(rows.X)), setup.student, candidate.student
        ):
            for k, fold in enumerate(folds):
                train = rows.subset(fold.train)
                X_test = _safe_indexing(rows.X, fold.test)
                y_test = rows.y_teacher[fold.test]
                params = _index_params(score_params, fold.test, rows.n_rows)
                distilled = candidate_model(model, {})
                start = time.perf_counter()
                distil(distilled, setup, train, fold.transfer)
                fit_times[k] = time.perf_counter() - start
                scores[k] = scorer(distilled, X_test, y_test, **params)
                twin = _hard_label_twin(candidate.student, setup, train)
                twin_scores[k] = scorer(twin, X_test, y_test, **params)
                if k == 0:
                    figures = footprint(
                        distilled.student_,
                        timing_rows,
                        onnx=onnx,
                        n_repeats=self.latency_repeats,
                    )
                    twin_size = float(serialized_size(twin))
        return _Scored(candidate, scores, twin_scores, fit_times, figures, twin_size)

    def _refit(
        self,
        base: BaseDistiller,
        best: Candidate,
        data: tuple,
        timing_rows: Any,
        onnx: bool,
    ) -> None:
        """Step 3: the chosen student distilled from a teacher fit on all rows."""
        X, y, weight, distiller_params = data
        start = time.perf_counter()
        model = clone(base).set_params(student=best.student)
        setup, rows = prepare(model, X, y, weight, distiller_params)
        refit = candidate_model(model, {})
        with limit_threads(
            fit_threads(n_values(rows.X)), setup.teacher, setup.student
        ) as limit:
            transfer = teach(
                refit,
                setup,
                rows,
                augmenter=setup.augmenter,
                memory=self.memory,
                n_jobs=self.n_jobs,
            )
            self.best_estimator_ = distil(refit, setup, rows, transfer)
        limit.restore(refit.teacher_, refit.student_)
        self.refit_time_ = time.perf_counter() - start
        if not is_frozen(setup.teacher):
            self.n_teacher_fits_ += 1
        for name in (*_REFIT_ATTRIBUTES, "temperature_", "alpha_"):
            if hasattr(refit, name):
                setattr(self, name, getattr(refit, name))
        self.best_footprint_ = footprint(
            refit.student_, timing_rows, onnx=onnx, n_repeats=self.latency_repeats
        )
        for bound, key in (
            ("max_size", "size_bytes"),
            ("max_latency", "predict_time_1row"),
        ):
            limit, value = getattr(self, bound), self.best_footprint_[key]
            if limit is not None and value > limit:
                warnings.warn(
                    f"The chosen student {best.name!r}, refit on all rows, measures "
                    f"{key}={value:g}, above {bound}={limit:g}: its fit on the "
                    "first fold met it, and a model trained on more rows grows "
                    f"(best_footprint_). Lower {bound}, or choose a smaller "
                    "student from cv_results_.",
                    UserWarning,
                    stacklevel=3,
                )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # the classifier's mixin sets estimator_type after this runs
        classifier = is_classifier(self._distiller_class())
        distiller = self._distiller()
        if self.students is None:
            # the default ladder's preprocessing imputes what the table
            # misses: NaN is the teacher's concern alone (seen with a tree)
            candidates = check_students(
                None, None, None, classifier=classifier, random_state=None
            )
            tree = next(c.student for c in candidates if c.ladder == "tree")
            tags.input_tags.allow_nan = get_tags(
                clone(distiller).set_params(student=tree)
            ).input_tags.allow_nan
        else:
            candidates = check_students(
                self.students, None, None, classifier=classifier, random_state=None
            )
            tags.input_tags.allow_nan = all(
                get_tags(
                    clone(distiller).set_params(student=c.student)
                ).input_tags.allow_nan
                for c in candidates
            )
        tags.input_tags.sparse = all(
            get_tags(clone(distiller).set_params(student=c.student)).input_tags.sparse
            for c in candidates
        )
        return tags


def _format_results(scored: list[_Scored]) -> dict[str, Any]:
    """``cv_results_``: GridSearchCV's keys, the twins' scores, the footprints."""
    scores = np.array([s.scores for s in scored])
    twins = np.array([s.twin_scores for s in scored])
    fit_times = np.array([s.fit_times for s in scored])
    students = np.empty(len(scored), dtype=object)
    students[:] = [s.candidate.student for s in scored]
    results: dict[str, Any] = {
        "mean_fit_time": fit_times.mean(axis=1),
        "std_fit_time": fit_times.std(axis=1),
        "param_student": students,
        "params": [{"student": s.candidate.student} for s in scored],
        "student_name": np.array([s.candidate.name for s in scored], dtype=object),
        "ladder": np.array([s.candidate.ladder for s in scored], dtype=object),
    }
    for k in range(scores.shape[1]):
        results[f"split{k}_test_score"] = scores[:, k]
    results["mean_test_score"] = scores.mean(axis=1)
    results["std_test_score"] = scores.std(axis=1)
    means = results["mean_test_score"]
    filled = np.where(np.isnan(means), np.nanmin(means, initial=0.0) - 1, means)
    results["rank_test_score"] = rankdata(-filled, method="min").astype(np.int32)
    for k in range(twins.shape[1]):
        results[f"split{k}_hard_label_score"] = twins[:, k]
    results["mean_hard_label_score"] = twins.mean(axis=1)
    results["std_hard_label_score"] = twins.std(axis=1)
    for key in scored[0].footprint:
        results[key] = np.array([s.footprint[key] for s in scored])
    results["hard_label_size_bytes"] = np.array([s.twin_size for s in scored])
    return results


_SHARED_DOC = """
    Parameters
    ----------
    teacher : {kind}, default=None
        As in :class:`~skdistill.{distiller}`; a frozen teacher is never fit.
        ``None``: its default LightGBM teacher, behind
        :func:`~skdistill.preprocessing.make_preprocessor` when ``X`` is a
        DataFrame (text and categories become LightGBM's categories).
    students : list, dict or None, default=None
        The students to try. ``None``: :func:`default_ladder` on the
        training table (linear models with and without L1 sparsity,
        decision trees of depth 1 to 12, LightGBM of 2 to 128 trees of 4 to
        32 leaves, each behind the preprocessing the table needs). A list
        of estimators or ``(name, estimator)`` pairs is one ladder, from the
        smallest up; a dict maps ladder names to such lists. Each student
        is distilled as given: the model in ``student_`` is of its kind.
    keep : float in (0, 1], default=None
        Quality floor as a share of the teacher's cross-validated score:
        the chosen student scores at least ``teacher - (1 - keep) *
        |teacher|`` (``0.99``: within 1% of the teacher).
    min_score : float, default=None
        Quality floor as a score (in the scorer's units).
    max_size : float > 0, default=None
        Largest serialized size of the student, in bytes (``size_bytes``:
        pickled, its preprocessing included), as measured on the first
        fold's student; the refit student is measured again
        (``best_footprint_``) and a warning says when it grew past the bound.
    max_latency : float > 0, default=None
        Longest prediction time of one row on one thread, in seconds
        (``predict_time_1row``: ``predict`` in Python, preprocessing
        included; ``1e-3`` is 1 ms).
    {settings}
    scoring : str, callable or None, default=None
        One scikit-learn scorer. ``None``: {default_score}.
    cv : int, cross-validation generator or iterable, default=5
        Splits of the search, as in every scikit-learn ``*CV`` estimator
        ({cv_kind}).
    patience : int >= 1 or None, default=2
        A ladder is left once this many students in a row fail to beat, by
        more than ``tol``, the mean score of its last student that counted
        as an improvement (so gains smaller than ``tol`` never add up);
        the students left untried are listed in ``skipped_``. ``None``:
        every student is tried.
    tol : float >= 0, default=0.0
        Smallest gain in mean score that counts as an improvement.
    refit : bool, default=True
        Distil the chosen student from a teacher fit on all rows. With
        ``False`` the search's results are set but prediction raises
        :class:`~sklearn.exceptions.NotFittedError`.
    onnx : bool or "auto", default="auto"
        Also measure each student's ONNX export (``onnx_size_bytes``,
        ``onnx_predict_time_1row``).
        ``"auto"``: when the ``export`` extra is installed; ``True``
        requires it.
    latency_repeats : int >= 0, default=3
        Timed batches of each prediction time (the median is kept). ``0``:
        no timing (the times are NaN; ``max_latency`` then raises).
    {strategy}
    teacher_cv : int, cross-validation generator, iterable or None, default=None
        As in :class:`~skdistill.{distiller}`, inside each fold.
    augment : {{"munge", "perturb"}}, Augmenter, callable or None, default=None
        As in :class:`~skdistill.{distiller}`.
    unlabeled : {unlabeled_kind}, default=None
        As in :class:`~skdistill.{distiller}`; unlabeled rows are never
        scored.
    memory : str, joblib.Memory or None, default=None
        Cache of the teacher's fits, as in
        :class:`~skdistill.{distiller}`: the same search run again with
        another budget or other students reads the teachers from it.
    n_jobs : int, default=None
        Teachers of the folds fitted in parallel (joblib); the students are
        fitted one after the other, in this process.
    verbose : int, default=0
        Progress on stderr: the teacher's score, each student's.
    random_state : int, RandomState instance or None, default=None
        Seed of the default ladder's trees and LightGBM models (an int; a
        RandomState instance leaves them unseeded), and of the augmentation.

    Attributes
    ----------
    cv_results_ : dict of ndarrays
        One entry per student tried, in the order tried (loads into a
        :class:`pandas.DataFrame`): GridSearchCV's ``params``,
        ``param_student``, ``split{{k}}_test_score``, ``mean_test_score``,
        ``std_test_score``, ``rank_test_score``, ``mean_fit_time`` and
        ``std_fit_time`` (the distilled student's fit); the student's
        ``student_name`` and ``ladder``; its hard-label twin's
        ``split{{k}}_hard_label_score``, ``mean_hard_label_score``,
        ``std_hard_label_score`` and ``hard_label_size_bytes``; and the
        footprint of the student distilled on the first fold:
        ``size_bytes``, ``onnx_size_bytes`` (NaN if not measured),
        ``n_parameters`` (nodes of trees, non-zero coefficients of linear
        models), ``predict_time_1row`` and ``predict_time_per_row``
        (seconds, one thread, ``predict`` in Python with the preprocessing:
        a Python call costs tens of microseconds whatever the model) and
        ``onnx_predict_time_1row`` (one row in onnxruntime on one thread,
        NaN if not measured).
    frontier_ : dict of str to ndarray
        Indices into ``cv_results_`` of the Pareto-optimal students, from
        the cheapest up: ``"size"`` (score against ``size_bytes``) and
        ``"latency"`` (against ``predict_time_1row``).
    best_index_ : int
        The chosen student's index in ``cv_results_``.
    best_params_ : dict
        ``{{"student": <the chosen student, unfitted>}}``.
    best_score_ : float
        Its mean cross-validated score.
    best_estimator_ : {distiller}
        The chosen student distilled from a teacher fit on all rows (with
        ``refit=True``); it makes the predictions.
    best_footprint_ : dict of str to float
        The footprint of ``best_estimator_``'s student (trained on more
        rows than the folds', so a tree may have a few more nodes).
    teacher_score_ : float
        The teacher's mean cross-validated score.
    teacher_split_scores_ : ndarray of shape (n_splits_,)
        Its score on each fold.
    teacher_footprint_ : dict of str to float
        The footprint of the first fold's teacher.
    min_score_ : float or None
        The quality floor the budget resolved to.
    skipped_ : list of str
        Students left untried by ``patience``.
    n_teacher_fits_ : int
        Times the teacher was fit: once per fold and once for the refit (0
        for a frozen teacher; a ``memory`` hit still counts; the clones of
        ``teacher_cv`` do not).
    scorer_ : callable
        The scorer used.
    n_splits_ : int
        Number of folds.
    refit_time_ : float
        Seconds of the refit.
    teacher_, student_, {refit_attributes} : see :class:`~skdistill.{distiller}`
        Those of ``best_estimator_``.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.
"""

_CHOICE_DOC = """
    The budget is any of ``keep``, ``min_score`` (quality floors),
    ``max_size`` and ``max_latency`` (cost ceilings). A student is within
    budget when it meets every bound given. With a quality floor, the
    smallest student within budget is chosen (ties: the faster, then the
    better score); with cost ceilings alone, the best score within budget
    (ties: the smaller); with no budget, the best score. When no student is
    within budget, ``fit`` raises :class:`~skdistill.compress.BudgetError`
    (a ``ValueError``) naming the budget and the students that came
    closest, after setting ``cv_results_`` and ``frontier_``.
"""


class CompressedClassifierCV(
    RefitClassifierMixin, ClassifierMixin, _BaseCompressionSearch
):
    (
        """The smallest distilled student classifier that meets a budget.

    On each fold of ``cv`` the teacher is fit once (and scored); then every
    student of the ladders is distilled from that fold's teacher outputs,
    its hard-label twin (the same student fit on the labels alone) is fit
    beside it, both are scored on the fold's held-out rows, and the
    distilled student's footprint is measured: pickled size, ONNX size,
    parameters, prediction time on one thread. Each ladder is climbed from
    its smallest student and left once larger ones stop improving
    (``patience``). The budget then picks a student, which is distilled
    again from a teacher fit on all rows: ``best_estimator_``, a
    :class:`~skdistill.DistilledClassifier`, makes the predictions.
    """
        + _CHOICE_DOC
        + _SHARED_DOC.format(
            kind="classifier",
            distiller="DistilledClassifier",
            settings="""temperature : float or "auto", default="auto"
        As in :class:`~skdistill.DistilledClassifier` (``"auto"``: 2 for a
        decision-tree student, 1 for any other).
    alpha : float in [0, 1], default=0.5
        As in :class:`~skdistill.DistilledClassifier`.""",
            default_score="accuracy",
            cv_kind="an int gives stratified folds",
            strategy="""fit_strategy : str, default="auto"
        As in :class:`~skdistill.DistilledClassifier`.
    teacher_output : str, default="auto"
        As in :class:`~skdistill.DistilledClassifier`.
    weight_threshold : float in [0, 1), default=1e-3
        As in :class:`~skdistill.DistilledClassifier`.""",
            unlabeled_kind="int, str or None",
            refit_attributes="classes_, temperature_, alpha_, fit_strategy_, "
            "n_synthetic_, training_fidelity_",
        )
        + """
    See Also
    --------
    skdistill.compress.default_ladder : The students tried by default.
    skdistill.DistilledClassifierCV : Chooses temperature and alpha for one
        student.
    skdistill.plotting.CompressionDisplay.from_search : Draws the frontier.

    Examples
    --------
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill.compress import CompressedClassifierCV
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> search = CompressedClassifierCV(
    ...     LGBMClassifier(n_estimators=50, verbose=-1),
    ...     [DecisionTreeClassifier(max_depth=d, random_state=0) for d in (1, 2, 3, 4)],
    ...     keep=0.95,
    ...     cv=3,
    ...     onnx=False,
    ... ).fit(X, y)
    >>> search.cv_results_["student_name"][search.best_index_]
    'DecisionTreeClassifier[max_depth=3]'
    >>> bool(search.best_score_ >= search.min_score_)
    True
    >>> type(search.student_).__name__
    'DecisionTreeClassifier'
    """
    )

    _distiller_class = DistilledClassifier

    _parameter_constraints: dict = {
        **{
            k: v
            for k, v in DistilledClassifier._parameter_constraints.items()
            if k != "student"
        },
        **_COMPRESSION_CONSTRAINTS,
    }

    def __init__(
        self,
        teacher: Any = None,
        students: list | dict | None = None,
        *,
        keep: float | None = None,
        min_score: float | None = None,
        max_size: float | None = None,
        max_latency: float | None = None,
        temperature: float | str = "auto",
        alpha: float = 0.5,
        scoring: str | Any | None = None,
        cv: int | Any = 5,
        patience: int | None = 2,
        tol: float = 0.0,
        refit: bool = True,
        onnx: bool | str = "auto",
        latency_repeats: int = 3,
        fit_strategy: str = "auto",
        teacher_output: str = "auto",
        weight_threshold: float = 1e-3,
        teacher_cv: Any = None,
        augment: Any = None,
        unlabeled: int | str | None = None,
        memory: Any = None,
        n_jobs: int | None = None,
        verbose: int = 0,
        random_state: Any = None,
    ) -> None:
        self.teacher = teacher
        self.students = students
        self.keep = keep
        self.min_score = min_score
        self.max_size = max_size
        self.max_latency = max_latency
        self.temperature = temperature
        self.alpha = alpha
        self.scoring = scoring
        self.cv = cv
        self.patience = patience
        self.tol = tol
        self.refit = refit
        self.onnx = onnx
        self.latency_repeats = latency_repeats
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

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> CompressedClassifierCV:
        """Distil every student on the folds, then refit the one the budget picks.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed as is to the teacher and the students.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, for the fits of the teacher and the students (and
            their twins), and for the scorer if it takes them; with
            metadata routing, for those that requested them.
        **fit_params : dict
            Further parameters, routed by metadata routing to the teacher,
            the students, the scorer and ``cv``'s ``split``.

        Returns
        -------
        self : CompressedClassifierCV
            The fitted search.

        Raises
        ------
        BudgetError
            No student meets the budget (``cv_results_`` is set).
        """
        return self._compress(X, y, sample_weight, fit_params)


class CompressedRegressorCV(RegressorMixin, _BaseCompressionSearch):
    (
        """The smallest distilled student regressor that meets a budget.

    The regression sibling of :class:`CompressedClassifierCV`: on each
    fold the teacher is fit once, every student of the ladders is distilled
    from its predictions (and its twin fit on the targets alone), scored
    and measured; the budget picks a student, distilled again from a
    teacher fit on all rows: ``best_estimator_``, a
    :class:`~skdistill.DistilledRegressor`, makes the predictions.
    """
        + _CHOICE_DOC
        + _SHARED_DOC.format(
            kind="regressor",
            distiller="DistilledRegressor",
            settings="""alpha : float in [0, 1], default=0.5
        As in :class:`~skdistill.DistilledRegressor`.""",
            default_score="R²",
            cv_kind="an int gives KFold",
            strategy="""fit_strategy : str, default="auto"
        As in :class:`~skdistill.DistilledRegressor`.""",
            unlabeled_kind="float or None",
            refit_attributes="alpha_, fit_strategy_, n_synthetic_, training_fidelity_",
        )
        + """
    See Also
    --------
    skdistill.compress.default_ladder : The students tried by default.
    skdistill.DistilledRegressorCV : Chooses alpha for one student.

    Examples
    --------
    >>> from lightgbm import LGBMRegressor
    >>> from sklearn.datasets import make_friedman1
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from skdistill.compress import CompressedRegressorCV
    >>> X, y = make_friedman1(n_samples=400, noise=0.5, random_state=0)
    >>> search = CompressedRegressorCV(
    ...     LGBMRegressor(n_estimators=100, verbose=-1),
    ...     [DecisionTreeRegressor(max_depth=d, random_state=0) for d in (2, 4, 6)],
    ...     max_size=3000,
    ...     cv=3,
    ...     onnx=False,
    ... ).fit(X, y)
    >>> bool(search.cv_results_["size_bytes"][search.best_index_] <= 3000)
    True
    """
    )

    _distiller_class = DistilledRegressor

    _parameter_constraints: dict = {
        **{
            k: v
            for k, v in DistilledRegressor._parameter_constraints.items()
            if k != "student"
        },
        **_COMPRESSION_CONSTRAINTS,
    }

    def __init__(
        self,
        teacher: Any = None,
        students: list | dict | None = None,
        *,
        keep: float | None = None,
        min_score: float | None = None,
        max_size: float | None = None,
        max_latency: float | None = None,
        alpha: float = 0.5,
        scoring: str | Any | None = None,
        cv: int | Any = 5,
        patience: int | None = 2,
        tol: float = 0.0,
        refit: bool = True,
        onnx: bool | str = "auto",
        latency_repeats: int = 3,
        fit_strategy: str = "auto",
        teacher_cv: Any = None,
        augment: Any = None,
        unlabeled: float | None = None,
        memory: Any = None,
        n_jobs: int | None = None,
        verbose: int = 0,
        random_state: Any = None,
    ) -> None:
        self.teacher = teacher
        self.students = students
        self.keep = keep
        self.min_score = min_score
        self.max_size = max_size
        self.max_latency = max_latency
        self.alpha = alpha
        self.scoring = scoring
        self.cv = cv
        self.patience = patience
        self.tol = tol
        self.refit = refit
        self.onnx = onnx
        self.latency_repeats = latency_repeats
        self.fit_strategy = fit_strategy
        self.teacher_cv = teacher_cv
        self.augment = augment
        self.unlabeled = unlabeled
        self.memory = memory
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> CompressedRegressorCV:
        """Distil every student on the folds, then refit the one the budget picks.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed as is to the teacher and the students.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, as in :meth:`CompressedClassifierCV.fit`.
        **fit_params : dict
            Further parameters, routed by metadata routing.

        Returns
        -------
        self : CompressedRegressorCV
            The fitted search.

        Raises
        ------
        BudgetError
            No student meets the budget (``cv_results_`` is set).
        """
        return self._compress(X, y, sample_weight, fit_params)
