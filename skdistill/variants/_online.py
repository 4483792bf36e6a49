"""Online distillation: a teacher and a student that learn together, batch by batch.

Each batch of a stream goes through the same three steps, in this order
(:meth:`_OnlineDistiller._learn_batch`):

1. **the teacher labels it** before it has learnt it: its outputs on the
   batch are out of sample (prequential), as they would be on new rows;
2. **the student learns it** from the batch's labels blended with those
   outputs (only the labels before the teacher has learnt anything, and
   during the warm-up);
3. **the teacher learns it**: ``partial_fit``, or, for a LightGBM model,
   more trees grown on the batch from the booster it has
   (``init_model``).

``partial_fit`` runs the steps on one batch and keeps nothing of it; ``fit``
runs them over ``max_iter`` passes of shuffled mini-batches. The soft
targets, the blend with the labels, the row expansion of the weighted
strategy and the teacher's outputs are those of the offline distillers
(:mod:`skdistill.soft_targets`, :mod:`skdistill.students._strategies`,
:mod:`skdistill._teacher`); what is new here is the schedule, and how a
model learns one batch (:func:`~skdistill._partial.learn_batch`,
:func:`grow_lightgbm`).
"""

from __future__ import annotations

import math
from abc import ABCMeta, abstractmethod
from collections import deque
from numbers import Integral, Real
from typing import Any

import numpy as np
import scipy.sparse as sp
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
from sklearn.utils import _safe_indexing, check_random_state
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
    _num_samples,
    column_or_1d,
)

from .._base import BaseDistiller
from .._classifier import _sub_estimator_has
from .._fit_params import _index_params
from .._partial import (
    _takes,
    check_partial_fit_student,
    default_stream_classifier,
    default_stream_regressor,
    learn_batch,
    learn_soft_batch,
    missing_partial_fit,
    partial_fit_strategy,
)
from .._regressor import _multi_output, blend_regression_targets
from .._teacher import (
    DEFAULT_TEACHER_PARAMS,
    TEACHER_OUTPUTS,
    LogitOutput,
    PredictionOutput,
    is_frozen,
    resolve_teacher_output,
    teacher_column_order,
)
from .._threads import fit_threads, limit_threads
from .._transfer import check_transfer_options, concat_rows
from .._validation import (
    final_estimator,
    set_members_input_tags,
    validate_fit_xy,
)
from ..soft_targets import log_softmax, softmax
from ..students._strategies import default_temperature

#: ``batch_size="auto"``: as MLPClassifier, ``min(AUTO_BATCH_SIZE, n_samples)``.
AUTO_BATCH_SIZE = 200

#: ``teacher_trees_per_batch="auto"`` in ``partial_fit``: a LightGBM teacher
#: reaches its ``n_estimators`` after this many batches of a stream.
STREAM_TEACHER_BATCHES = 50

#: The fit strategies of an online student.
ONLINE_STRATEGIES = ("auto", "native", "weighted", "hard")


# -- learning one batch ---------------------------------------------------------
def _is_lightgbm(estimator: Any) -> bool:
    """Whether ``estimator`` is a LightGBM scikit-learn model (grown in stages)."""
    from lightgbm import LGBMModel

    return isinstance(estimator, LGBMModel)


def teacher_kind(teacher: Any) -> str:
    """How the teacher learns: ``"frozen"``, ``"lightgbm"`` or ``"partial_fit"``.

    Raises a ValueError naming the teacher and what it lacks when it can do
    none of these.
    """
    if is_frozen(teacher):
        return "frozen"
    if _is_lightgbm(teacher):
        return "lightgbm"
    missing = missing_partial_fit(teacher)
    if missing is not None:
        raise ValueError(
            f"The teacher {type(teacher).__name__} cannot learn batch by batch: "
            f"{missing}, and it is not a LightGBM model (grown in stages). Use a "
            "teacher with partial_fit (e.g. MLPClassifier, SGDClassifier("
            "loss='log_loss'), SGDRegressor), a LightGBM model, or a prefit "
            "teacher wrapped in FrozenEstimator."
        )
    return "partial_fit"


def _pad_classes(
    X: Any,
    y: NDArray[Any],
    sample_weight: NDArray[np.float64] | None,
    classes: NDArray[Any],
) -> tuple[Any, NDArray[Any], NDArray[np.float64] | None]:
    """One row of zero weight per class the batch lacks (a copy of its first row).

    A LightGBM classifier takes its classes from the labels it is fit on;
    every stage must know all of them to continue the same booster.
    """
    missing = np.setdiff1d(classes, y)
    if missing.size == 0:
        return X, y, sample_weight
    weight = np.ones(y.shape[0]) if sample_weight is None else sample_weight
    extra = _safe_indexing(X, np.zeros(missing.size, dtype=np.intp))
    return (
        concat_rows(X, extra),
        np.concatenate([y, missing]),
        np.concatenate([weight, np.zeros(missing.size)]),
    )


def grow_lightgbm(
    model: Any,
    X: Any,
    y: NDArray[Any],
    sample_weight: NDArray[np.float64] | None,
    n_trees: int,
    *,
    classes: NDArray[Any] | None = None,
    **fit_params: Any,
) -> Any:
    """Add ``n_trees`` trees fit on one batch to a LightGBM model, in place.

    The model is refit with ``init_model`` set to its own booster: the new
    trees fit the batch's gradients at the current predictions, and the
    booster keeps every earlier tree. ``n_estimators`` is given back
    afterwards. A classifier's batch is padded with zero-weight rows of the
    classes it lacks (see :func:`_pad_classes`).
    """
    if classes is not None:
        X, y, sample_weight = _pad_classes(X, y, sample_weight, classes)
    init_model = model.booster_ if _lightgbm_trees(model) else None
    # The attribute itself, as set_params would set it: set_params (through
    # get_params) costs more than a small batch's fit.
    n_estimators = model.n_estimators
    model.n_estimators = n_trees
    try:
        model.fit(
            X, y, sample_weight=sample_weight, init_model=init_model, **fit_params
        )
    finally:
        model.n_estimators = n_estimators
    return model


def _lightgbm_trees(model: Any) -> int:
    """Boosting rounds of a LightGBM model (0 before its first fit)."""
    booster = getattr(model, "_Booster", None)
    return 0 if booster is None else int(booster.current_iteration())


def _weighted_mean(values: NDArray[np.float64], weight: Any) -> float:
    """Mean of ``values`` weighted by ``weight`` (None: plain); NaN if no weight."""
    if weight is None:
        return float(np.mean(values))
    total = float(np.sum(weight))
    return float(np.dot(values, weight) / total) if total > 0 else math.nan


# -- the distillers ---------------------------------------------------------------
class _OnlineDistiller(MetaEstimatorMixin, BaseEstimator, metaclass=ABCMeta):
    """The schedule shared by the online distillers; the task is in the hooks.

    State between batches: the teacher, the student, the counts of batches,
    the LightGBM teacher's trees and ``history_`` (one small record per
    batch). No row of a past batch is kept.
    """

    _parameter_constraints: dict = {
        "teacher": [HasMethods(["fit"]), None],
        "student": [HasMethods(["fit", "predict"]), None],
        "alpha": [Interval(Real, 0, 1, closed="both")],
        "n_warmup_batches": [Interval(Integral, 0, None, closed="left")],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "teacher_trees_per_batch": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "history_size": [Interval(Integral, 0, None, closed="left"), None],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    }

    # -- the public fits --------------------------------------------------------
    def _fit(
        self, X: Any, y: Any, sample_weight: Any, fit_params: dict[str, Any]
    ) -> _OnlineDistiller:
        """``max_iter`` passes of shuffled mini-batches, from a fresh start."""
        self.__dict__.pop("student_", None)  # a fresh start, even if this fails
        X, y = self._validate_batch(X, y, reset=True)
        self._start(X, y, None, sample_weight, fit_params, caller="fit")
        n_rows = _num_samples(X)
        batch_size = self._batch_size(n_rows)
        n_batches = math.ceil(n_rows / batch_size)
        self._tree_plan = (self.max_iter * n_batches, 0)
        sample_weight = self._check_weight(sample_weight, X)
        teacher_params, student_params = self._route(sample_weight, fit_params, "fit")
        rng = check_random_state(self.random_state)
        with self._limit_threads(batch_size, X):
            for epoch in range(self.max_iter):
                order = rng.permutation(n_rows) if self.shuffle else np.arange(n_rows)
                for start in range(0, n_rows, batch_size):
                    rows = order[start : start + batch_size]
                    self._learn_batch(
                        _safe_indexing(X, rows),
                        y[rows],
                        None if sample_weight is None else sample_weight[rows],
                        _index_params(teacher_params, rows, n_rows),
                        _index_params(student_params, rows, n_rows),
                        epoch,
                    )
                if self.verbose:
                    print(
                        f"[skdistill] online pass {epoch + 1}/{self.max_iter}: "
                        f"{self.n_batches_seen_} batches",
                        flush=True,
                    )
        self.n_iter_ = self.max_iter
        return self

    def _partial_fit(
        self,
        X: Any,
        y: Any,
        classes: Any,
        sample_weight: Any,
        fit_params: dict[str, Any],
    ) -> _OnlineDistiller:
        """One batch of a stream: started on the first call, continued after."""
        first = not hasattr(self, "student_")
        X, y = self._validate_batch(X, y, reset=first)
        if first:
            self._start(X, y, classes, sample_weight, fit_params, caller="partial_fit")
            self._tree_plan = None
            self.n_iter_ = 0
        else:
            self._check_batch_targets(y, classes)
        sample_weight = self._check_weight(sample_weight, X)
        teacher_params, student_params = self._route(
            sample_weight, fit_params, "partial_fit"
        )
        with self._limit_threads(_num_samples(X), X):
            self._learn_batch(X, y, sample_weight, teacher_params, student_params, 0)
        return self

    # -- the steps of a batch ---------------------------------------------------
    def _learn_batch(
        self,
        X: Any,
        y: NDArray[Any],
        sample_weight: NDArray[np.float64] | None,
        teacher_params: dict[str, Any],
        student_params: dict[str, Any],
        epoch: int,
    ) -> None:
        """The teacher labels the batch, the student learns it, the teacher learns it.

        ``sample_weight`` weighs the history's scores; the teacher's and the
        student's weights are in their fit parameters. A batch whose weights
        are all zero is counted and skipped, as if it had no rows.
        """
        record: dict[str, Any] = {
            "pass": epoch,
            "batch": self.n_batches_seen_,
            "n_rows": _num_samples(X),
        }
        skip = sample_weight is not None and not np.any(sample_weight > 0)
        outputs = None
        if self._teacher_batches > 0 or self._teacher_kind == "frozen":
            outputs = self._teacher_outputs(X)  # 1. before the teacher learns X
            record.update(self._scores("teacher", outputs, y, sample_weight))
        if self._student_batches > 0:
            record.update(
                self._scores("student", self._student_outputs(X), y, sample_weight)
            )
        soft = outputs is not None and self.n_batches_seen_ >= self.n_warmup_batches
        record["soft_targets"] = bool(soft and not skip)
        if not skip:
            # The weights each one gets (all, or as routed), apart.
            student_params = dict(student_params)
            student_weight = student_params.pop("sample_weight", None)
            teacher_params = dict(teacher_params)
            teacher_weight = teacher_params.pop("sample_weight", None)
            self._student_learns(  # 2.
                X, y, outputs if soft else None, student_weight, student_params
            )
            self._student_batches += 1
            if self._teacher_learns(X, y, teacher_weight, teacher_params):  # 3.
                self._teacher_batches += 1
        if self._teacher_kind == "lightgbm":
            record["teacher_trees"] = _lightgbm_trees(self.teacher_)
        self.n_batches_seen_ += 1
        self.history_.append(record)

    def _teacher_learns(
        self,
        X: Any,
        y: NDArray[Any],
        sample_weight: NDArray[np.float64] | None,
        params: dict[str, Any],
    ) -> bool:
        """Step 3: the teacher learns the batch; whether it learnt anything."""
        if self._teacher_kind == "frozen":
            return False
        labels, extra = self._teacher_targets(y)
        if self._teacher_kind == "partial_fit":
            learn_batch(
                self.teacher_,
                "partial_fit",
                X,
                labels,
                sample_weight,
                **extra,
                **params,
            )
            return True
        n_trees = self._new_trees()
        if n_trees == 0:
            return False
        grow_lightgbm(
            self.teacher_, X, labels, sample_weight, n_trees, **extra, **params
        )
        return True

    def _new_trees(self) -> int:
        """Trees a LightGBM teacher grows on this batch (0 once it has them all).

        ``n_estimators`` is the teacher's size: with ``"auto"``, ``fit``
        spreads it evenly over all batches of all passes (the teacher has
        ``ceil(n_estimators * b / B)`` trees after batch ``b`` of ``B``);
        ``partial_fit`` grows ``ceil(n_estimators / 50)`` per batch. An int
        is that many per batch. Either way it stops at ``n_estimators``.
        """
        budget = int(self.teacher_.n_estimators)
        have = _lightgbm_trees(self.teacher_)
        if self.teacher_trees_per_batch != "auto":
            return max(0, min(int(self.teacher_trees_per_batch), budget - have))
        if self._tree_plan is None:
            return max(
                0, min(math.ceil(budget / STREAM_TEACHER_BATCHES), budget - have)
            )
        total, done = self._tree_plan
        done += 1
        self._tree_plan = (total, done)
        return max(0, min(math.ceil(budget * done / total), budget) - have)

    # -- setting up -------------------------------------------------------------
    def _start(
        self,
        X: Any,
        y: NDArray[Any],
        classes: Any,
        sample_weight: Any,
        fit_params: dict[str, Any],
        *,
        caller: str,
    ) -> None:
        """Resolve and check the teacher and the student; the task's targets."""
        _raise_for_params(fit_params, self, caller)
        teacher = self._resolved_teacher()
        student = clone(self._resolved_student(X))
        if self.student is None:
            # The default student's own randomness follows random_state.
            seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
            student.set_params(
                **{
                    name: seed
                    for name in student.get_params()
                    if name.endswith("__random_state")
                }
            )
        self._teacher_kind = teacher_kind(teacher)
        check_partial_fit_student(student)
        check_transfer_options(
            teacher,
            X,
            teacher_cv=None,
            augment=None,
            student=student,
            owner=type(self).__name__,
        )
        self._check_roles(teacher, student)
        self.teacher_ = teacher if self._teacher_kind == "frozen" else clone(teacher)
        self._start_targets(y, classes, caller)
        self.alpha_ = float(self.alpha)
        self.n_batches_seen_ = 0
        self._teacher_batches = 0
        self._student_batches = 0
        self.history_: deque[dict[str, Any]] = deque(maxlen=self.history_size)
        self.student_ = student  # last: partial_fit starts again until it is set

    def _batch_size(self, n_rows: int) -> int:
        if self.batch_size == "auto":
            return min(AUTO_BATCH_SIZE, n_rows)
        return min(int(self.batch_size), n_rows)

    def _check_weight(self, sample_weight: Any, X: Any) -> NDArray[np.float64] | None:
        if sample_weight is None:
            return None
        return _check_sample_weight(sample_weight, X, ensure_non_negative=True)

    def _limit_threads(self, batch_rows: int, X: Any):
        """OpenMP limited as in the offline fits, sized on one batch's values."""
        n_values = batch_rows * (X.shape[1] if X.ndim == 2 else 1)
        return limit_threads(fit_threads(n_values), self.teacher_, self.student_)

    def _route(
        self,
        sample_weight: NDArray[np.float64] | None,
        fit_params: dict[str, Any],
        caller: str,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Fit parameters of the teacher and the student (metadata routing).

        Without routing, ``sample_weight`` goes to both (a frozen teacher
        excepted), whose learning method must take it.
        """
        frozen = self._teacher_kind == "frozen"
        teacher_method = "fit" if self._teacher_kind == "lightgbm" else "partial_fit"
        if _routing_enabled():
            params = dict(fit_params)
            if sample_weight is not None:
                params["sample_weight"] = sample_weight
            routed = process_routing(self, caller, **params)
            teacher_params = {} if frozen else dict(routed.teacher[teacher_method])
            return teacher_params, dict(routed.student.partial_fit)
        teacher_params: dict[str, Any] = {}
        student_params: dict[str, Any] = {}
        if sample_weight is not None:
            roles = [("student", self.student_, "partial_fit", student_params)]
            if not frozen:
                roles.append(("teacher", self.teacher_, teacher_method, teacher_params))
            for role, estimator, method, params in roles:
                if not _takes(estimator, method, "sample_weight"):
                    raise ValueError(
                        f"sample_weight was given but the {role} "
                        f"{type(estimator).__name__} does not accept sample_weight "
                        f"in {method}; drop sample_weight or use a {role} that "
                        "supports it."
                    )
                params["sample_weight"] = sample_weight
        return teacher_params, student_params

    # -- sub-estimators -----------------------------------------------------------
    def _resolved_teacher(self) -> Any:
        return self._default_teacher() if self.teacher is None else self.teacher

    def _resolved_student(self, X: Any = None) -> Any:
        return self._default_student(X) if self.student is None else self.student

    def get_metadata_routing(self) -> MetadataRouter:
        """Get the metadata routing of this object.

        ``fit`` and ``partial_fit`` route their metadata (``sample_weight``
        and any other fit parameter) to the teacher's ``partial_fit`` (a
        LightGBM teacher's ``fit``; none for a frozen teacher) and the
        student's ``partial_fit``, for those that requested it.

        Returns
        -------
        routing : MetadataRouter
            The routing information.
        """
        router = MetadataRouter(owner=self)
        teacher = self._resolved_teacher()
        if not is_frozen(teacher):
            method = "fit" if _is_lightgbm(teacher) else "partial_fit"
            router.add(
                teacher=teacher,
                method_mapping=MethodMapping()
                .add(caller="fit", callee=method)
                .add(caller="partial_fit", callee=method),
            )
        router.add(
            student=self._resolved_student(),
            method_mapping=MethodMapping()
            .add(caller="fit", callee="partial_fit")
            .add(caller="partial_fit", callee="partial_fit"),
        )
        return router

    # -- prediction -----------------------------------------------------------------
    _check_predict_input = BaseDistiller._check_predict_input
    _rejects_nan = BaseDistiller._rejects_nan

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        teacher = self._resolved_teacher()
        # The default student is built for the data: its tags are those of
        # the one built for sparse data (which also takes dense data).
        student = self._resolved_student(sp.csr_matrix((1, 1)))
        return set_members_input_tags(tags, [teacher, student])

    # -- hooks of the task --------------------------------------------------------
    @staticmethod
    @abstractmethod
    def _default_teacher() -> Any:
        """The teacher used when ``teacher=None``."""

    @staticmethod
    @abstractmethod
    def _default_student(X: Any = None) -> Any:
        """The student used when ``student=None`` (it may depend on ``X``)."""

    @abstractmethod
    def _validate_batch(self, X: Any, y: Any, *, reset: bool) -> tuple[Any, Any]:
        """``X`` and ``y`` of a batch, checked (``validate_data``)."""

    @abstractmethod
    def _check_roles(self, teacher: Any, student: Any) -> None:
        """The teacher and the student suit the task; sets the fit strategy."""

    @abstractmethod
    def _start_targets(self, y: NDArray[Any], classes: Any, caller: str) -> None:
        """The task's fitted attributes of the targets (``classes_``...)."""

    @abstractmethod
    def _check_batch_targets(self, y: NDArray[Any], classes: Any) -> None:
        """A later batch's targets agree with the first one's."""

    @abstractmethod
    def _teacher_outputs(self, X: Any) -> NDArray[np.float64]:
        """The teacher's logits (classifier) or predictions (regressor) on X."""

    @abstractmethod
    def _student_outputs(self, X: Any) -> Any:
        """The student's probabilities (or labels) or predictions on X."""

    @abstractmethod
    def _scores(
        self, role: str, outputs: Any, y: NDArray[Any], sample_weight: Any
    ) -> dict[str, float]:
        """The history's measures of ``role``'s outputs on a batch it has not learnt."""

    @abstractmethod
    def _teacher_targets(self, y: NDArray[Any]) -> tuple[Any, dict[str, Any]]:
        """The teacher's targets for a batch and extra keyword arguments."""

    @abstractmethod
    def _student_learns(
        self,
        X: Any,
        y: NDArray[Any],
        teacher_outputs: NDArray[np.float64] | None,
        sample_weight: NDArray[np.float64] | None,
        params: dict[str, Any],
    ) -> None:
        """Step 2: the student learns the batch (labels alone without outputs)."""


_SHARED_PARAMETERS_DOC = """
    alpha : float in [0, 1], default=0.5
        Weight of the labels in the blend; ``alpha = 1`` ignores the teacher
        (the student learns the labels alone, on the same schedule).
    n_warmup_batches : int, default=1
        The first batches (counted over all passes and calls) on which the
        student learns the labels alone while the teacher learns them too.
        Before the teacher has learnt a batch, the student learns labels
        alone in any case; a frozen teacher labels from the first batch on
        when this is 0.
    batch_size : int or "auto", default="auto"
        Rows of the mini-batches of ``fit``; ``"auto"`` is
        ``min(200, n_samples)``, as in
        :class:`~sklearn.neural_network.MLPClassifier`. ``partial_fit``
        learns the batch it is given.
    max_iter : int, default=10
        Passes of ``fit`` over the data. From the second pass on, the
        teacher has seen each batch before (its outputs are no longer out
        of sample).
    shuffle : bool, default=True
        Whether ``fit`` shuffles the rows before each pass.
    teacher_trees_per_batch : int or "auto", default="auto"
        Trees a LightGBM teacher grows on each batch. The teacher's
        ``n_estimators`` is its size, never exceeded: once it has that many
        trees it stops learning and keeps labelling the batches (LightGBM
        itself may stop a stage early, when no split gains). ``"auto"``:
        in ``fit``, ``n_estimators`` spread evenly over all batches of all
        passes; in ``partial_fit``, ``ceil(n_estimators / 50)`` per batch,
        so that the teacher is complete after 50 batches.
    history_size : int or None, default=10_000
        Records kept in ``history_``: the most recent ones, so that the
        memory of a long stream stays bounded (``None`` keeps them all, 0
        none).
    verbose : int, default=0
        Prints a line after each pass of ``fit``.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffling of ``fit``, and of the default student's own
        randomness (if any).
"""

_SHARED_ATTRIBUTES_DOC = """
    teacher_ : estimator
        The teacher as it learnt (the frozen one itself when frozen).
    student_ : estimator
        The student, which makes every prediction.
    alpha_ : float
        The weight of the labels used.
    n_iter_ : int
        Passes of the last ``fit`` (0 after ``partial_fit`` alone).
    n_batches_seen_ : int
        Batches learnt since the last ``fit`` or the first ``partial_fit``.
    history_ : collections.deque of dict
        One record per batch, the last ``history_size`` of them
        (``pandas.DataFrame(model.history_)`` makes a table): ``pass``,
        ``batch``, ``n_rows``, ``soft_targets`` (whether the student
        learnt the teacher's outputs), the teacher's and the student's
        scores on the batch *before* learning it (prequential:
        the classifier's ``*_accuracy`` and ``*_log_loss``, the regressor's
        ``*_mse``; absent before the model has learnt anything) and, for a
        LightGBM teacher, ``teacher_trees``. About 1 KB a batch.
    n_features_in_ : int
        Number of features seen during the first batch.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during the first batch, when ``X`` has string
        column names.
"""


def _default_classifier_teacher() -> Any:
    from lightgbm import LGBMClassifier

    return LGBMClassifier(**DEFAULT_TEACHER_PARAMS)


_default_classifier_student = default_stream_classifier


class OnlineDistilledClassifier(ClassifierMixin, _OnlineDistiller):
    """A teacher and a student classifier that learn together, batch by batch.

    Each batch goes through three steps, in this order:

    1. the teacher gives its logits ``z_t`` on the batch *before* it learns
       it, so that its soft targets ``p_T = softmax(z_t / T)`` are out of
       sample (prequential), as on new rows;
    2. the student learns the batch's blended target
       ``q = alpha * onehot(y) + (1 - alpha) * p_T``;
    3. the teacher learns the batch: its ``partial_fit``, or, for a
       LightGBM model, trees added to its booster by a fit on the batch
       with ``init_model`` (see ``teacher_trees_per_batch``).

    Before the teacher has learnt anything (the first batch) and during
    the warm-up (``n_warmup_batches``), the student learns the labels
    alone. :meth:`partial_fit` runs the steps on one batch of a stream and
    keeps no row of it; :meth:`fit` runs them over ``max_iter`` passes of
    shuffled mini-batches.

    How the student learns ``q`` (``fit_strategy``):

    - ``"native"``: its ``partial_fit_soft_targets`` (as
      :class:`~skdistill.SoftLogisticRegression` has) minimizes Hinton's
      loss ``alpha * CE(y, softmax(z)) + (1 - alpha) * T**2 *
      KL(p_T || softmax(z / T))`` on the batch;
    - ``"weighted"``: each row is repeated once per class, labelled with
      it and weighted by ``q`` (times its sample weight; weights at or
      below ``weight_threshold`` pruned), for a ``partial_fit`` that takes
      ``sample_weight`` (``SGDClassifier(loss="log_loss")``,
      ``MLPClassifier``): the batch's cross-entropy with ``q``;
    - ``"hard"``: ``argmax q``, for any ``partial_fit``;
    - ``"auto"``: the first the student supports, in this order (``"hard"``
      with a warning).

    A Pipeline learns step by step: each step's ``partial_fit`` on the
    batch, then its ``transform`` for the next (a ``StandardScaler``'s
    running mean and variance).

    Parameters
    ----------
    teacher : classifier, default=None
        A model with ``partial_fit`` (``MLPClassifier``,
        ``SGDClassifier(loss="log_loss")``, a Pipeline of such steps), a
        LightGBM classifier (grown in stages), or a prefit teacher wrapped
        in :class:`~sklearn.frozen.FrozenEstimator` (it never learns). It
        needs ``predict_proba`` or ``decision_function``. Cloned. ``None``
        means ``lightgbm.LGBMClassifier(n_estimators=300,
        learning_rate=0.05)``, which needs no scaling.
    student : classifier, default=None
        The model that is shipped; it needs ``partial_fit`` (a Pipeline:
        every step). Cloned. ``None`` means
        ``make_pipeline(StandardScaler(), SoftLogisticRegression())`` (the
        scaler does not center a sparse ``X``): a linear student learns
        best on standardized features.
    temperature : float or "auto", default="auto"
        ``T > 0``: the teacher's logits are divided by it before the
        softmax. ``"auto"`` is 1 (the rule of
        :class:`~skdistill.DistilledClassifier`; a tree student, for which
        it is 2, has no ``partial_fit``).
    fit_strategy : {"auto", "native", "weighted", "hard"}, default="auto"
        How the student learns the blended target, see above.
    teacher_output : {"auto", "predict_proba", "decision_function"}, \
default="auto"
        Teacher method whose output gives the logits, as in
        :class:`~skdistill.DistilledClassifier`.
    weight_threshold : float in [0, 1), default=1e-3
        The ``"weighted"`` strategy's pruning of small targets.
    {shared_parameters}
    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted: those of ``y`` in ``fit``, ``classes`` of the
        first ``partial_fit`` (or a frozen teacher's classes).
    fit_strategy_ : str
        ``"native"``, ``"weighted"`` or ``"hard"``.
    temperature_ : float
        The temperature used.
    {shared_attributes}
    See Also
    --------
    skdistill.DistilledClassifier : The teacher fit first on all rows, then
        the student (offline distillation).
    skdistill.SoftLogisticRegression : A student with
        ``partial_fit_soft_targets``.

    References
    ----------
    G. Hinton, O. Vinyals and J. Dean, "Distilling the Knowledge in a Neural
    Network", 2015.

    R. Anil et al., "Large scale distributed neural network training through
    online distillation", ICLR 2018.

    A. P. Dawid, "Present position and potential developments: some personal
    views: statistical theory: the prequential approach", JRSS A, 1984.

    Examples
    --------
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.model_selection import train_test_split
    >>> from skdistill import OnlineDistilledClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> model = OnlineDistilledClassifier(
    ...     teacher=LGBMClassifier(n_estimators=60, verbose=-1, n_jobs=1),
    ...     batch_size=100,
    ...     max_iter=3,
    ...     random_state=0,
    ... ).fit(X_train, y_train)
    >>> bool(model.score(X_test, y_test) > 0.9)
    True
    >>> model.n_batches_seen_, model.fit_strategy_
    (15, 'native')

    On a stream, batch after batch (``classes`` on the first call):

    >>> stream = OnlineDistilledClassifier(random_state=0)
    >>> for start in range(0, len(y_train), 100):
    ...     batch = slice(start, start + 100)
    ...     stream = stream.partial_fit(X_train[batch], y_train[batch], classes=[0, 1])
    >>> bool(stream.score(X_test, y_test) > 0.9)
    True
    """

    __doc__ = __doc__.replace(
        "    {shared_parameters}\n", _SHARED_PARAMETERS_DOC.lstrip("\n") + "\n"
    )
    __doc__ = __doc__.replace(
        "    {shared_attributes}\n", _SHARED_ATTRIBUTES_DOC.lstrip("\n") + "\n"
    )

    _parameter_constraints: dict = {
        **_OnlineDistiller._parameter_constraints,
        "temperature": [
            Interval(Real, 0, None, closed="neither"),
            StrOptions({"auto"}),
        ],
        "fit_strategy": [StrOptions(set(ONLINE_STRATEGIES))],
        "teacher_output": [StrOptions(set(TEACHER_OUTPUTS))],
        "weight_threshold": [Interval(Real, 0, 1, closed="left")],
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
        n_warmup_batches: int = 1,
        batch_size: int | str = "auto",
        max_iter: int = 10,
        shuffle: bool = True,
        teacher_trees_per_batch: int | str = "auto",
        history_size: int | None = 10_000,
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
        self.n_warmup_batches = n_warmup_batches
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.teacher_trees_per_batch = teacher_trees_per_batch
        self.history_size = history_size
        self.verbose = verbose
        self.random_state = random_state

    _default_teacher = staticmethod(_default_classifier_teacher)
    _default_student = staticmethod(_default_classifier_student)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> OnlineDistilledClassifier:
        """Learn ``max_iter`` passes of shuffled mini-batches, from scratch.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data; batches of it go as they are to the teacher and
            the student (a DataFrame keeps its columns and dtypes).
        y : array-like of shape (n_samples,)
            Class labels (strings, integers in any order, ...).
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights. Without metadata routing they go to the teacher and
            the student, which must accept them; with routing enabled, to
            whichever requested them.
        **fit_params : dict
            Further fit parameters (row-aligned ones follow their rows),
            routed by metadata routing.

        Returns
        -------
        self : OnlineDistilledClassifier
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, fit_params)

    @_fit_context(prefer_skip_nested_validation=False)
    def partial_fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        classes: ArrayLike | None = None,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> OnlineDistilledClassifier:
        """Learn one batch: the teacher labels it, the student learns it, then
        the teacher.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            One batch.
        y : array-like of shape (n_samples,)
            Its class labels, each one of ``classes``.
        classes : array-like of shape (n_classes,), default=None
            Every class of the stream (a batch may lack some). Required on
            the first call, unless the teacher is frozen (its classes are
            then used); afterwards it may be omitted, and must otherwise be
            the same.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, as in :meth:`fit`.
        **fit_params : dict
            Further fit parameters, routed by metadata routing.

        Returns
        -------
        self : OnlineDistilledClassifier
            The updated estimator.
        """
        return self._partial_fit(X, y, classes, sample_weight, fit_params)

    # -- hooks --------------------------------------------------------------------
    def _validate_batch(self, X: Any, y: Any, *, reset: bool) -> tuple[Any, Any]:
        X, y = validate_fit_xy(
            self, X, y, reset=reset, check_labels=True, accept_sparse="csr"
        )
        check_classification_targets(y)
        return X, y

    def _check_roles(self, teacher: Any, student: Any) -> None:
        for role, estimator in (("teacher", teacher), ("student", student)):
            if is_regressor(final_estimator(estimator)):
                raise ValueError(
                    f"The {role} {type(estimator).__name__} is a regressor, but "
                    f"{type(self).__name__} needs classifiers. Use a classifier, or "
                    "OnlineDistilledRegressor for a regression task."
                )
        self._teacher_method = resolve_teacher_output(teacher, self.teacher_output)
        self.fit_strategy_ = partial_fit_strategy(student, self.fit_strategy)
        self.temperature_ = (
            default_temperature(student)
            if self.temperature == "auto"
            else float(self.temperature)
        )

    def _start_targets(self, y: NDArray[Any], classes: Any, caller: str) -> None:
        if classes is None and self._teacher_kind == "frozen":
            classes = self.teacher_.classes_
        if classes is None:
            if caller == "partial_fit":
                raise ValueError(
                    "classes must be passed on the first call to partial_fit: "
                    "every class of the stream, as a batch may lack some (or use "
                    "a frozen teacher, whose classes are then used)."
                )
            classes = y
        classes = np.unique(np.asarray(classes))
        if classes.size < 2:
            raise ValueError(
                f"y contains only one class ({classes.tolist()[:1]!r}); a classifier "
                "needs at least two classes in y (or in classes, for partial_fit)."
            )
        if self._teacher_kind == "frozen":
            teacher_column_order(self.teacher_.classes_, classes)
        self.classes_ = classes
        self._teacher_output = LogitOutput(self._teacher_method, classes)
        self._encode(y)

    def _check_batch_targets(self, y: NDArray[Any], classes: Any) -> None:
        if classes is not None and not np.array_equal(
            np.unique(np.asarray(classes)), self.classes_
        ):
            raise ValueError(
                f"classes={np.asarray(classes).tolist()} differs from the classes of "
                f"the first batch, {self.classes_.tolist()}. Pass the same classes "
                "on every call to partial_fit, or call fit to start afresh."
            )
        self._encode(y)

    def _encode(self, y: NDArray[Any]) -> NDArray[np.intp]:
        """Labels as indices into ``classes_``; labels outside it raise."""
        encoded = np.minimum(np.searchsorted(self.classes_, y), self.classes_.size - 1)
        unknown = self.classes_[encoded] != y
        if unknown.any():
            raise ValueError(
                f"y contains labels {np.unique(y[unknown]).tolist()[:10]} that are "
                f"not among the classes {self.classes_.tolist()[:20]} (set by fit, "
                "or by classes on the first call to partial_fit)."
            )
        return encoded

    def _teacher_outputs(self, X: Any) -> NDArray[np.float64]:
        return self._teacher_output.read(self.teacher_, X)

    def _student_outputs(self, X: Any) -> Any:
        if hasattr(self.student_, "predict_proba"):
            return self.student_.predict_proba(X)
        return self.student_.predict(X)

    def _scores(
        self, role: str, outputs: Any, y: NDArray[Any], sample_weight: Any
    ) -> dict[str, float]:
        """Accuracy and log-loss of logits (teacher), probabilities or labels."""
        encoded = self._encode(y)
        rows = np.arange(encoded.size)
        if role == "teacher":
            log_proba = log_softmax(outputs)
        elif outputs.ndim == 2:
            with np.errstate(divide="ignore"):
                log_proba = np.log(outputs)
        else:
            correct = (outputs == y).astype(np.float64)
            return {f"{role}_accuracy": _weighted_mean(correct, sample_weight)}
        correct = (log_proba.argmax(axis=1) == encoded).astype(np.float64)
        loss = -np.maximum(log_proba[rows, encoded], np.log(1e-15))
        return {
            f"{role}_accuracy": _weighted_mean(correct, sample_weight),
            f"{role}_log_loss": _weighted_mean(loss, sample_weight),
        }

    def _teacher_targets(self, y: NDArray[Any]) -> tuple[Any, dict[str, Any]]:
        return y, {"classes": self.classes_}

    def _student_learns(
        self,
        X: Any,
        y: NDArray[Any],
        teacher_outputs: NDArray[np.float64] | None,
        sample_weight: NDArray[np.float64] | None,
        params: dict[str, Any],
    ) -> None:
        classes = self.classes_
        if teacher_outputs is None or self.alpha_ == 1.0:
            learn_batch(
                self.student_,
                "partial_fit",
                X,
                y,
                sample_weight,
                classes=classes,
                **params,
            )
            return
        learn_soft_batch(
            self.student_,
            self.fit_strategy_,
            X,
            self._encode(y),
            softmax(teacher_outputs, self.temperature_),
            classes=classes,
            temperature=self.temperature_,
            alpha=self.alpha_,
            weight_threshold=float(self.weight_threshold),
            sample_weight=sample_weight,
            params=params,
        )

    # -- prediction -------------------------------------------------------------------
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
        """
        X = self._check_predict_input(X)
        return self.student_.predict_proba(X)

    @available_if(_sub_estimator_has("student", "predict_proba"))
    def predict_log_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Logarithm of :meth:`predict_proba`.

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
        """
        X = self._check_predict_input(X)
        return self.student_.decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = True
        return tags


def _default_regressor_teacher() -> Any:
    from lightgbm import LGBMRegressor

    return LGBMRegressor(**DEFAULT_TEACHER_PARAMS)


_default_regressor_student = default_stream_regressor


class OnlineDistilledRegressor(RegressorMixin, _OnlineDistiller):
    """A teacher and a student regressor that learn together, batch by batch.

    The schedule of :class:`~skdistill.OnlineDistilledClassifier`: on each
    batch, the teacher predicts it *before* learning it (prequential
    predictions ``t``), the student learns the blended target
    ``alpha * y + (1 - alpha) * t`` with its ``partial_fit`` (see
    ``blend_regression_targets`` in the user guide), then the teacher
    learns the batch (``partial_fit``, or more trees for a LightGBM model).
    Before the teacher has learnt anything, and during the warm-up, the
    student learns ``y`` alone. For a squared-loss student the blended
    target minimizes ``alpha * (y - f)**2 + (1 - alpha) * (t - f)**2``.

    Parameters
    ----------
    teacher : regressor, default=None
        A model with ``partial_fit`` (``MLPRegressor``, ``SGDRegressor``, a
        Pipeline of such steps), a LightGBM regressor (grown in stages), or
        a prefit teacher wrapped in :class:`~sklearn.frozen.FrozenEstimator`.
        Cloned. ``None`` means ``lightgbm.LGBMRegressor(n_estimators=300,
        learning_rate=0.05)``.
    student : regressor, default=None
        The model that is shipped; it needs ``partial_fit`` (a Pipeline:
        every step). ``None`` means ``make_pipeline(StandardScaler(),
        SGDRegressor())`` (the scaler does not center a sparse ``X``).
        SGD is sensitive to the scale of ``y`` as well: standardize a
        target of large magnitude.
    {shared_parameters}
    Attributes
    ----------
    {shared_attributes}
    See Also
    --------
    skdistill.DistilledRegressor : The teacher fit first on all rows, then
        the student.
    skdistill.OnlineDistilledClassifier : The same for classification.

    References
    ----------
    J. Ba and R. Caruana, "Do Deep Nets Really Need to be Deep?", NeurIPS 2014.

    Examples
    --------
    >>> from lightgbm import LGBMRegressor
    >>> from sklearn.datasets import make_friedman1
    >>> from sklearn.model_selection import train_test_split
    >>> from skdistill import OnlineDistilledRegressor
    >>> X, y = make_friedman1(n_samples=1000, noise=1.0, random_state=0)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> model = OnlineDistilledRegressor(
    ...     teacher=LGBMRegressor(n_estimators=100, verbose=-1, n_jobs=1),
    ...     max_iter=5,
    ...     random_state=0,
    ... ).fit(X_train, y_train)
    >>> bool(model.score(X_test, y_test) > 0.6)
    True
    >>> len(model.history_), sorted(model.history_[-1])[:3]
    (20, ['batch', 'n_rows', 'pass'])
    """

    __doc__ = __doc__.replace(
        "    {shared_parameters}\n", _SHARED_PARAMETERS_DOC.lstrip("\n") + "\n"
    )
    __doc__ = __doc__.replace(
        "    {shared_attributes}\n", _SHARED_ATTRIBUTES_DOC.lstrip("\n") + "\n"
    )

    def __init__(
        self,
        teacher: Any = None,
        student: Any = None,
        *,
        alpha: float = 0.5,
        n_warmup_batches: int = 1,
        batch_size: int | str = "auto",
        max_iter: int = 10,
        shuffle: bool = True,
        teacher_trees_per_batch: int | str = "auto",
        history_size: int | None = 10_000,
        verbose: int = 0,
        random_state: Any = None,
    ) -> None:
        self.teacher = teacher
        self.student = student
        self.alpha = alpha
        self.n_warmup_batches = n_warmup_batches
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.teacher_trees_per_batch = teacher_trees_per_batch
        self.history_size = history_size
        self.verbose = verbose
        self.random_state = random_state

    _default_teacher = staticmethod(_default_regressor_teacher)
    _default_student = staticmethod(_default_regressor_student)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> OnlineDistilledRegressor:
        """Learn ``max_iter`` passes of shuffled mini-batches, from scratch.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed batch by batch as it is.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets. Several outputs need a teacher and a student that
            support them.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, to the teacher and the student (or as routed).
        **fit_params : dict
            Further fit parameters, routed by metadata routing.

        Returns
        -------
        self : OnlineDistilledRegressor
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, fit_params)

    @_fit_context(prefer_skip_nested_validation=False)
    def partial_fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> OnlineDistilledRegressor:
        """Learn one batch: the teacher predicts it, the student learns it, then
        the teacher.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            One batch.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Its targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, as in :meth:`fit`.
        **fit_params : dict
            Further fit parameters, routed by metadata routing.

        Returns
        -------
        self : OnlineDistilledRegressor
            The updated estimator.
        """
        return self._partial_fit(X, y, None, sample_weight, fit_params)

    # -- hooks --------------------------------------------------------------------
    def _validate_batch(self, X: Any, y: Any, *, reset: bool) -> tuple[Any, Any]:
        X, y = validate_fit_xy(
            self, X, y, reset=reset, multi_output=True, accept_sparse="csr"
        )
        if y.ndim == 2 and y.shape[1] == 1 and not self._supports_multi_output():
            y = column_or_1d(y, warn=True)
        return X, np.asarray(y, dtype=np.float64)

    def _supports_multi_output(self) -> bool:
        """Whether the teacher and the student both take several outputs."""
        student = self._resolved_student(sp.csr_matrix((1, 1)))
        return _multi_output(self._resolved_teacher()) and _multi_output(student)

    def _check_roles(self, teacher: Any, student: Any) -> None:
        for role, estimator in (("teacher", teacher), ("student", student)):
            if is_classifier(final_estimator(estimator)):
                raise ValueError(
                    f"The {role} {type(estimator).__name__} is a classifier, but "
                    f"{type(self).__name__} needs regressors. Use a regressor, or "
                    "OnlineDistilledClassifier for a classification task."
                )
        self._multi_output_ok = _multi_output(teacher) and _multi_output(student)

    def _start_targets(self, y: NDArray[Any], classes: Any, caller: str) -> None:
        self._check_batch_targets(y, classes)
        self._output_shape = y.shape[1:] if y.ndim == 2 and y.shape[1] > 1 else ()
        self._teacher_output = PredictionOutput(self._output_shape)

    def _check_batch_targets(self, y: NDArray[Any], classes: Any) -> None:
        if y.ndim == 2 and y.shape[1] != 1 and not self._multi_output_ok:
            raise ValueError(
                f"y has {y.shape[1]} outputs (shape {y.shape}), but the teacher or "
                "the student supports a single output. Use estimators that "
                "support several outputs (e.g. MLPRegressor)."
            )

    def _targets(self, y: NDArray[Any]) -> NDArray[np.float64]:
        """``y`` in the shape of the first batch's (1D for a single output)."""
        return y.reshape(y.shape[0], *self._output_shape)

    def _teacher_outputs(self, X: Any) -> NDArray[np.float64]:
        return self._teacher_output.read(self.teacher_, X)

    def _student_outputs(self, X: Any) -> Any:
        return np.asarray(self.student_.predict(X), dtype=np.float64)

    def _scores(
        self, role: str, outputs: Any, y: NDArray[Any], sample_weight: Any
    ) -> dict[str, float]:
        errors = (outputs.reshape(y.shape[0], -1) - y.reshape(y.shape[0], -1)) ** 2
        return {f"{role}_mse": _weighted_mean(errors.mean(axis=1), sample_weight)}

    def _teacher_targets(self, y: NDArray[Any]) -> tuple[Any, dict[str, Any]]:
        return self._targets(y), {}

    def _student_learns(
        self,
        X: Any,
        y: NDArray[Any],
        teacher_outputs: NDArray[np.float64] | None,
        sample_weight: NDArray[np.float64] | None,
        params: dict[str, Any],
    ) -> None:
        target = self._targets(y)
        if teacher_outputs is not None and self.alpha_ < 1.0:
            target = blend_regression_targets(target, teacher_outputs, self.alpha_)
        learn_batch(self.student_, "partial_fit", X, target, sample_weight, **params)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = self._supports_multi_output()
        return tags

    # -- prediction -------------------------------------------------------------------
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
