"""The fit every distiller shares, as four named steps.

A distiller's ``fit`` runs :meth:`BaseDistiller._fit`, which reads top-down;
each step is a function of this module, which the searches of
:mod:`skdistill._search` also call on their folds:

1. :func:`prepare`: validate the parameters and the data, resolve the
   teacher, the student and its fit strategy, route the fit parameters.
   Gives a :class:`FitSetup` (what the parameters resolved to) and
   :class:`TrainingRows` (the rows, targets, weights and fit parameters).
2. :func:`teach`: fit the teacher and read it on the transfer set (the
   training rows, out-of-fold with ``teacher_cv``; synthetic rows with
   ``augment``), cached with ``memory``
   (:func:`~skdistill._transfer.cached_transfer_set`). Neither the
   temperature nor alpha plays a role here.
3. :func:`soft_targets`: the student's rows (:class:`StudentSet`) and their
   soft targets, the teacher's outputs as the distiller turns them into
   targets (``softmax(z / T)`` for a classifier, the predictions for a
   regressor).
4. :func:`fit_student`: the student is fit on them, blended with the labels
   by ``alpha``, and the fitted attributes are set.

:func:`distil` is steps 3 and 4, which a search runs for every candidate
setting on one transfer set. A distiller subclass implements the abstract
hooks of :class:`BaseDistiller`: how its data and targets are validated and
encoded (step 1), how the teacher's outputs become soft targets (step 3),
how the student is fit (step 4).
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
)

from ._config import check_allocation, row_bytes
from ._fit_params import (
    _index_params,
    accepts_sample_weight,
    check_student_params_for_augment,
)
from ._partial import reset_stream
from ._teacher import is_frozen
from ._threads import fit_threads, limit_threads, n_values
from ._transfer import (
    TransferSet,
    cached_transfer_set,
    check_transfer_options,
    concat_rows,
)
from ._validation import (
    _allows_nan,
    _has_nan,
    validate_predict_x,
)


@dataclass
class FitSetup:
    """What a distiller's parameters resolved to, before any row is used.

    Attributes
    ----------
    teacher : estimator
        An unfitted clone of the teacher, or the frozen teacher itself.
    student : estimator
        The unfitted estimator the strategy fits (cloned for every fit): the
        student, or its native or logit-matching stand-in.
    strategy : str or None
        The classifier's fit strategy; ``None`` for a regressor.
    output : LogitOutput or PredictionOutput
        How the teacher is read.
    augmenter : Augmenter or None
    classes : ndarray or None
        The classifier's ``classes_``; ``None`` for a regressor.
    """

    teacher: Any
    student: Any
    strategy: str | None
    output: Any
    augmenter: Any
    classes: NDArray[Any] | None


@dataclass
class TrainingRows:
    """The rows of one fit, with everything aligned to them.

    Attributes
    ----------
    X : {ndarray, sparse matrix, DataFrame}
    y : ndarray
        The student's targets: a classifier's labels encoded as indices into
        ``classes`` (``-1`` on unlabelled rows), a regressor's targets.
    y_teacher : ndarray
        The teacher's targets (meaningful on labelled rows only).
    labelled : ndarray of bool
        Rows with a label (all, unless ``unlabeled`` marks some).
    teacher_weight, student_weight : ndarray or None
        Sample weights routed to the teacher and the student.
    teacher_params, student_params : dict
        Further fit parameters routed to them (sample-aligned ones have one
        value per row).
    """

    X: Any
    y: NDArray[Any]
    y_teacher: NDArray[Any]
    labelled: NDArray[np.bool_]
    teacher_weight: NDArray[np.float64] | None
    student_weight: NDArray[np.float64] | None
    teacher_params: dict[str, Any]
    student_params: dict[str, Any]

    @property
    def n_rows(self) -> int:
        return self.y.shape[0]

    def subset(self, indices: NDArray[np.intp]) -> TrainingRows:
        """The same rows restricted to ``indices`` (a fold's training part)."""
        n = self.n_rows

        def weight(w: NDArray[np.float64] | None) -> NDArray[np.float64] | None:
            return None if w is None else w[indices]

        return TrainingRows(
            X=_safe_indexing(self.X, indices),
            y=self.y[indices],
            y_teacher=self.y_teacher[indices],
            labelled=self.labelled[indices],
            teacher_weight=weight(self.teacher_weight),
            student_weight=weight(self.student_weight),
            teacher_params=_index_params(self.teacher_params, indices, n),
            student_params=_index_params(self.student_params, indices, n),
        )


@dataclass
class StudentSet:
    """The rows a student is fit on: the training rows, then the synthetic ones.

    Synthetic rows are unlabelled (their ``y`` is the distiller's fill
    value), carry the teacher's outputs and the mean sample weight of the
    real rows.

    Attributes
    ----------
    X : {ndarray, sparse matrix, DataFrame}
    y : ndarray
        The student's targets (encoded labels for a classifier).
    teacher_outputs : ndarray
        The teacher's logits (classifier) or predictions (regressor).
    labelled : ndarray of bool
    sample_weight : ndarray or None
    n_synthetic : int
    soft_targets : ndarray or None
        The student's soft targets, set by step 3.
    """

    X: Any
    y: NDArray[Any]
    teacher_outputs: NDArray[np.float64]
    labelled: NDArray[np.bool_]
    sample_weight: NDArray[np.float64] | None
    n_synthetic: int
    soft_targets: NDArray[np.float64] | None = None


def student_set(rows: TrainingRows, transfer: TransferSet, y_fill: Any) -> StudentSet:
    """The student's rows: the training rows, then the transfer set's synthetic ones."""
    if transfer.X_synthetic is None:
        return StudentSet(
            rows.X, rows.y, transfer.outputs, rows.labelled, rows.student_weight, 0
        )
    n_syn = transfer.synthetic_outputs.shape[0]
    y_syn = np.full((n_syn, *rows.y.shape[1:]), y_fill, dtype=rows.y.dtype)
    weight = rows.student_weight
    if weight is not None:
        fill = np.mean(weight) if weight.size else 1.0
        weight = np.concatenate([weight, np.full(n_syn, fill)])
    return StudentSet(
        X=concat_rows(rows.X, transfer.X_synthetic),
        y=np.concatenate([rows.y, y_syn]),
        teacher_outputs=np.concatenate([transfer.outputs, transfer.synthetic_outputs]),
        labelled=np.concatenate([rows.labelled, np.zeros(n_syn, dtype=bool)]),
        sample_weight=weight,
        n_synthetic=n_syn,
    )


# -- the four steps -------------------------------------------------------------
def prepare(
    distiller: BaseDistiller, X: Any, y: Any, sample_weight: Any, fit_params: dict
) -> tuple[FitSetup, TrainingRows]:
    """Step 1: validate and resolve everything a fit needs, without fitting.

    Returns the setup and the training rows. Sets ``n_features_in_`` (and
    ``feature_names_in_``) on ``distiller``.
    """
    _raise_for_params(fit_params, distiller, "fit")
    teacher = distiller._resolved_teacher()
    student = clone(distiller._resolved_student())
    frozen = is_frozen(teacher)
    X, y = distiller._validate_fit_data(X, y, teacher, student)
    if distiller.student is None:  # the default student may depend on X
        student = distiller._default_student(X)
    augmenter = check_transfer_options(
        teacher,
        X,
        teacher_cv=distiller.teacher_cv,
        augment=distiller.augment,
        student=student,
        owner=type(distiller).__name__,
    )
    if sample_weight is not None:
        sample_weight = _check_sample_weight(sample_weight, X, ensure_non_negative=True)
    labelled = distiller._labelled_mask(y)
    y_student, y_teacher, output, classes = distiller._encode_targets(
        y, labelled, teacher
    )
    strategy, student_to_fit = distiller._resolve_roles(teacher, student, classes)
    teacher_params, student_params = _route_fit_params(
        distiller, teacher, student, frozen, sample_weight, fit_params
    )
    student_weight = student_params.pop("sample_weight", None)
    if (
        strategy in ("blend", "hard")
        and student_weight is not None
        and not accepts_sample_weight(student)
    ):
        raise ValueError(
            f"sample_weight was given but the student {type(student).__name__} "
            "does not accept sample_weight in fit; drop sample_weight or use a "
            "student that supports it."
        )
    if augmenter is not None:
        check_student_params_for_augment(student_params, y.shape[0])
    setup = FitSetup(
        teacher=teacher if frozen else clone(teacher),
        student=student_to_fit,
        strategy=strategy,
        output=output,
        augmenter=augmenter,
        classes=classes,
    )
    rows = TrainingRows(
        X=X,
        y=y_student,
        y_teacher=y_teacher,
        labelled=labelled,
        teacher_weight=teacher_params.pop("sample_weight", None),
        student_weight=student_weight,
        teacher_params=teacher_params,
        student_params=student_params,
    )
    return setup, rows


def check_transfer_memory(setup: FitSetup, rows: TrainingRows, augmenter: Any) -> None:
    """The transfer set's estimated bytes against ``memory_limit``, before any fit.

    The synthetic rows (twice their size: an augmenter's working copies)
    and the teacher's outputs on all rows (three matrices: outputs, soft
    targets, blended targets). Raises :class:`~skdistill.MemoryLimitError`
    naming ``augment``'s size when they are above the limit.
    """
    n_synthetic = 0
    if augmenter is not None and hasattr(augmenter, "size"):
        n_synthetic = round(float(augmenter.size) * int(rows.labelled.sum()))
    if setup.classes is not None:
        n_outputs = setup.classes.size
    else:
        n_outputs = int(np.prod(getattr(setup.output, "shape", ()) or (1,)))
    n_total = rows.n_rows + n_synthetic
    n_bytes = 2 * n_synthetic * row_bytes(rows.X) + 3 * n_total * n_outputs * 8
    check_allocation(
        n_bytes,
        f"The transfer set ({n_total:,} rows, {n_synthetic:,} of them synthetic; "
        f"{n_outputs:,} teacher outputs per row)",
        "Lower the augmenter's size (augment, or augment_sizes in a search)."
        if n_synthetic
        else "Fit on fewer rows.",
    )


def teach(
    distiller: BaseDistiller,
    setup: FitSetup,
    rows: TrainingRows,
    *,
    augmenter: Any,
    memory: Any = None,
    n_jobs: int | None = None,
) -> TransferSet:
    """Step 2: fit the teacher and read it on the transfer set (cached in ``memory``).

    ``augmenter`` is the one to use (a search passes each size it tries).
    The transfer set's memory is checked first (:func:`check_transfer_memory`).
    """
    check_transfer_memory(setup, rows, augmenter)
    return cached_transfer_set(
        memory,
        teacher=setup.teacher,
        X=rows.X,
        y=rows.y_teacher,
        labelled=rows.labelled,
        output=setup.output,
        cv=distiller.teacher_cv,
        augmenter=augmenter,
        random_state=None if augmenter is None else distiller.random_state,
        sample_weight=rows.teacher_weight,
        fit_params=rows.teacher_params,
        n_jobs=n_jobs,
        verbose=distiller.verbose,
    )


def soft_targets(
    distiller: BaseDistiller, setup: FitSetup, rows: TrainingRows, transfer: TransferSet
) -> StudentSet:
    """Step 3: the student's rows and their soft targets, at the distiller's settings.

    The rows are the training rows, then the transfer set's synthetic ones;
    the soft targets are the teacher's outputs on them as the distiller
    turns them into targets (``softmax(z / T)`` for a classifier).
    """
    training = student_set(rows, transfer, distiller._UNLABELLED_FILL)
    training.soft_targets = distiller._soft_targets(setup, training.teacher_outputs)
    return training


def fit_student(
    distiller: BaseDistiller,
    setup: FitSetup,
    rows: TrainingRows,
    transfer: TransferSet,
    training: StudentSet,
) -> BaseDistiller:
    """Step 4: fit the student on the soft targets (blended with the labels by
    ``alpha``) and set the fitted attributes."""
    distiller.teacher_ = transfer.teacher
    distiller.alpha_ = float(distiller.alpha)
    distiller.fit_strategy_ = setup.strategy
    distiller.n_synthetic_ = training.n_synthetic
    distiller._fit_student(setup, rows, training)
    return distiller


def distil(
    distiller: BaseDistiller,
    setup: FitSetup,
    rows: TrainingRows,
    transfer: TransferSet,
) -> BaseDistiller:
    """Steps 3 and 4 at the distiller's own settings, on a transfer set.

    The settings are the distiller's parameters (``temperature``,
    ``alpha``): a search sets them on a clone for each candidate and calls
    this on the transfer set of the fold.
    """
    training = soft_targets(distiller, setup, rows, transfer)
    return fit_student(distiller, setup, rows, transfer, training)


def _route_fit_params(
    distiller: BaseDistiller,
    teacher: Any,
    student: Any,
    frozen: bool,
    sample_weight: NDArray[np.float64] | None,
    fit_params: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fit parameters of the teacher and the student."""
    if _routing_enabled():
        if sample_weight is not None:
            fit_params["sample_weight"] = sample_weight
        routed = process_routing(distiller, "fit", **fit_params)
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


class BaseDistiller(MetaEstimatorMixin, BaseEstimator, metaclass=ABCMeta):
    """Base class of the distillers: the fit, routing and input checks.

    ``fit`` runs the four steps of this module; a subclass implements the
    abstract hooks, grouped below by the step that calls them.
    """

    #: ``y`` of the synthetic rows (which have no label).
    _UNLABELLED_FILL: Any = 0

    def _fit(
        self, X: Any, y: Any, sample_weight: Any, fit_params: dict[str, Any]
    ) -> BaseDistiller:
        """The fit of every distiller (its ``fit`` calls this), top-down.

        Steps 2 to 4 run with OpenMP limited (:mod:`skdistill._threads`).
        """
        setup, rows = prepare(self, X, y, sample_weight, fit_params)
        reset_stream(self)
        n_threads = fit_threads(n_values(rows.X))
        with limit_threads(n_threads, setup.teacher, setup.student) as limit:
            transfer = teach(
                self,
                setup,
                rows,
                augmenter=setup.augmenter,
                memory=self.memory,
                n_jobs=self.n_jobs,
            )
            training = soft_targets(self, setup, rows, transfer)
            fit_student(self, setup, rows, transfer, training)
        limit.restore(self.teacher_, self.student_)
        return self

    # -- sub-estimators -------------------------------------------------------
    def _resolved_teacher(self) -> Any:
        return self._default_teacher() if self.teacher is None else self.teacher

    def _resolved_student(self) -> Any:
        return self._default_student() if self.student is None else self.student

    @staticmethod
    @abstractmethod
    def _default_teacher() -> Any:
        """The teacher used when ``teacher=None``."""

    @staticmethod
    @abstractmethod
    def _default_student(X: Any = None) -> Any:
        """The student used when ``student=None`` (it may depend on ``X``)."""

    # -- hooks of step 1: prepare -----------------------------------------------
    @abstractmethod
    def _validate_fit_data(
        self, X: Any, y: Any, teacher: Any, student: Any
    ) -> tuple[Any, NDArray[Any]]:
        """``X`` and ``y`` checked (``validate_data``) for this task."""

    @abstractmethod
    def _labelled_mask(self, y: NDArray[Any]) -> NDArray[np.bool_]:
        """Rows with a label: all, unless ``unlabeled`` marks some of them."""

    @abstractmethod
    def _encode_targets(
        self, y: NDArray[Any], labelled: NDArray[np.bool_], teacher: Any
    ) -> tuple[NDArray[Any], NDArray[Any], Any, NDArray[Any] | None]:
        """The student's targets, the teacher's, how the teacher is read, classes."""

    @abstractmethod
    def _resolve_roles(
        self, teacher: Any, student: Any, classes: NDArray[Any] | None
    ) -> tuple[str, Any]:
        """The fit strategy, and the estimator it fits."""

    # -- hook of step 3: soft targets ---------------------------------------------
    @abstractmethod
    def _soft_targets(
        self, setup: FitSetup, teacher_outputs: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """The student's soft targets from the teacher's outputs."""

    # -- hook of step 4: the student ----------------------------------------------
    @abstractmethod
    def _fit_student(
        self, setup: FitSetup, rows: TrainingRows, training: StudentSet
    ) -> None:
        """Fit ``student_`` on ``training`` (its soft targets blended with the
        labels by ``alpha``) and set the task's own fitted attributes."""

    # -- metadata routing ---------------------------------------------------------
    def get_metadata_routing(self) -> MetadataRouter:
        """Get the metadata routing of this object.

        ``fit`` routes its metadata (``sample_weight`` and any other fit
        parameter) to the ``fit`` of the teacher (unless frozen) and the
        student, for those that requested it; ``partial_fit`` to the
        student's ``partial_fit``.

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
            method_mapping=MethodMapping()
            .add(caller="fit", callee="fit")
            .add(caller="partial_fit", callee="partial_fit"),
        )
        return router

    # -- prediction ---------------------------------------------------------------
    def _check_predict_input(self, X: Any) -> Any:
        check_is_fitted(self)
        X = validate_predict_x(self, X)
        if self._rejects_nan() and _has_nan(X):
            raise ValueError(
                f"Input X contains NaN, which this {type(self).__name__} does not "
                "accept (its teacher or its student does not handle missing "
                "values). Put an imputer before it in a Pipeline."
            )
        return X

    def _rejects_nan(self) -> bool:
        """Whether predictions refuse NaN: as the tags say (see ``_allows_nan``)."""
        return not self.__sklearn_tags__().input_tags.allow_nan

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        teacher_tags = get_tags(self._resolved_teacher())
        # The default student is built for the data: its tags are those of
        # the one built for sparse data (which also takes dense data).
        student = self.student
        if student is None:
            student = self._default_student(sp.csr_matrix((1, 1)))
        student_tags = get_tags(student)
        # A Pipeline's tags are those of its first step; _allows_nan trusts
        # a Pipeline to handle (or refuse) NaN itself.
        tags.input_tags.allow_nan = _allows_nan(
            self._resolved_teacher()
        ) and _allows_nan(student)
        tags.input_tags.sparse = (
            teacher_tags.input_tags.sparse
            and student_tags.input_tags.sparse
            and self.augment is None  # the augmenters need dense X
        )
        return tags
