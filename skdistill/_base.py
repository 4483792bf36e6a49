"""The fit every distiller shares: prepare, teach, then fit the student.

A fit is three steps, each reused by the search estimators of
:mod:`skdistill._search` on their folds:

1. ``_prepare``: validate the parameters and the data, resolve the teacher
   and the student, route the fit parameters. Gives a :class:`FitSetup`
   (what the parameters resolved to) and :class:`TrainingRows` (the rows,
   targets, weights and fit parameters of this fit).
2. ``_transfer_set``: fit the teacher and read its outputs on the transfer
   set (:func:`~skdistill._transfer.transfer_set`), cached with ``memory``.
   Neither the temperature nor alpha plays a role here.
3. ``_fit_from_transfer``: fit the student on the transfer set at given
   settings (``temperature``, ``alpha``) and set the fitted attributes; the
   task-specific step, implemented by each distiller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    MaxAbsScaler,
    MinMaxScaler,
    RobustScaler,
    StandardScaler,
)
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
    validate_data,
)

from ._augment import check_augmenter
from ._memory import cached_transfer_set
from ._sample_weight import accepts_sample_weight
from ._strategies import _index_params
from ._teacher import is_frozen
from ._transfer import TransferSet, check_student_params_for_augment, concat_rows
from ._validation import _is_dataframe


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
    """Whether the student takes NaN.

    A Pipeline's tags do not say whether an imputer inside it (perhaps in a
    ColumnTransformer) handles missing values, so it is trusted to raise its
    own error, unless every step before its final one is a scaler, which
    passes NaN through (the default student): then its final step decides.
    """
    if isinstance(student, Pipeline):
        head = [step for _, step in student.steps[:-1]]
        if not all(isinstance(step, _NAN_PASSING_SCALERS) for step in head):
            return True
        student = student.steps[-1][1]
    try:
        return get_tags(student).input_tags.allow_nan
    except Exception:  # a third-party estimator without tags
        return False


_NAN_PASSING_SCALERS = (StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler)


def _object_to_float(X: NDArray[Any]) -> NDArray[Any]:
    try:
        return X.astype(np.float64)
    except (TypeError, ValueError):
        return X  # strings: let the sub-estimators decide


def check_transfer_options(
    teacher: Any, X: Any, *, cv: Any, augment: Any, student: Any, owner: str
) -> Any:
    """Check the teacher and transfer-set options before any fit; the augmenter.

    A frozen teacher must be fitted and cannot be cross-fitted; augmentation
    needs dense X; NaN in X needs a student that takes it.
    """
    if is_frozen(teacher):
        check_is_fitted(
            teacher.estimator,
            msg=(
                "The teacher wrapped in FrozenEstimator is not fitted. Fit it "
                "before freezing it, or pass it unfrozen so that it is fit."
            ),
        )
        if cv is not None:
            raise ValueError(
                "cv is set but the teacher is frozen: a FrozenEstimator cannot be "
                "cross-fitted. Set cv=None to use the prefit teacher's outputs on "
                "the training rows, or pass the teacher unfrozen."
            )
    if _has_nan(X) and not _student_allows_nan(student):
        raise ValueError(
            f"Input X contains NaN, which the student {type(student).__name__}"
            f" does not accept. Put an imputer before the {owner} in a Pipeline, "
            f"e.g. make_pipeline(SimpleImputer(), {owner}(...)), or use a student "
            "that handles missing values (such as HistGradientBoosting)."
        )
    augmenter = check_augmenter(augment)
    if augmenter is not None and sp.issparse(X):
        raise ValueError(
            "augment needs dense X (an array or a DataFrame); got a sparse "
            "matrix. Densify X or set augment=None."
        )
    return augmenter


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


def student_training_set(
    rows: TrainingRows, transfer: TransferSet, y_fill: Any
) -> tuple[Any, NDArray[Any], NDArray[np.float64], NDArray[np.bool_], Any]:
    """The student's rows: the training rows, then the synthetic ones.

    Synthetic rows are unlabelled (their ``y`` is ``y_fill``), carry the
    teacher's outputs and the mean sample weight of the real rows.

    Returns
    -------
    X, y, teacher_outputs, labelled, sample_weight
    """
    if transfer.X_synthetic is None:
        return rows.X, rows.y, transfer.outputs, rows.labelled, rows.student_weight
    n_syn = transfer.synthetic_outputs.shape[0]
    y_syn = np.full((n_syn, *rows.y.shape[1:]), y_fill, dtype=rows.y.dtype)
    weight = rows.student_weight
    if weight is not None:
        fill = np.mean(weight) if weight.size else 1.0
        weight = np.concatenate([weight, np.full(n_syn, fill)])
    return (
        concat_rows(rows.X, transfer.X_synthetic),
        np.concatenate([rows.y, y_syn]),
        np.concatenate([transfer.outputs, transfer.synthetic_outputs]),
        np.concatenate([rows.labelled, np.zeros(n_syn, dtype=bool)]),
        weight,
    )


class BaseDistiller(MetaEstimatorMixin, BaseEstimator):
    """Base class of the distillers: the fit steps, routing and input checks.

    Subclasses define ``_default_teacher``, ``_default_student``,
    ``_resolve_roles``, ``_validate_fit_data``, ``_labelled_mask``,
    ``_encode_targets``, ``_settings`` and ``_fit_from_transfer``.
    """

    # -- sub-estimators -------------------------------------------------------
    def _resolved_teacher(self) -> Any:
        return self._default_teacher() if self.teacher is None else self.teacher

    def _resolved_student(self) -> Any:
        return self._default_student() if self.student is None else self.student

    # -- step 1: prepare ------------------------------------------------------
    def _prepare(
        self, X: Any, y: Any, sample_weight: Any, fit_params: dict[str, Any]
    ) -> tuple[FitSetup, TrainingRows, Any]:
        """Validate and resolve everything a fit needs, without fitting.

        Returns the setup, the training rows and the routed parameters
        (a Bunch with metadata routing enabled, else None).
        """
        _raise_for_params(fit_params, self, "fit")
        teacher = self._resolved_teacher()
        student = clone(self._resolved_student())
        frozen = is_frozen(teacher)
        X, y = self._validate_fit_data(X, y, teacher, student)
        if self.student is None:  # the default student may depend on X
            student = self._default_student(X)
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
        labelled = self._labelled_mask(y)
        y_student, y_teacher, output, classes = self._encode_targets(
            y, labelled, teacher
        )
        strategy, student_to_fit = self._resolve_roles(teacher, student, classes)
        teacher_params, student_params, routed = self._route_fit_params(
            teacher, student, frozen, sample_weight, fit_params
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
        return setup, rows, routed

    def _route_fit_params(
        self,
        teacher: Any,
        student: Any,
        frozen: bool,
        sample_weight: NDArray[np.float64] | None,
        fit_params: dict[str, Any],
    ) -> tuple[dict[str, Any], dict[str, Any], Any]:
        if _routing_enabled():
            if sample_weight is not None:
                fit_params["sample_weight"] = sample_weight
            routed = process_routing(self, "fit", **fit_params)
            teacher_params = {} if frozen else dict(routed.teacher.fit)
            return teacher_params, dict(routed.student.fit), routed
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
        return teacher_params, student_params, None

    # -- step 2: the transfer set -----------------------------------------------
    def _transfer_set(
        self,
        setup: FitSetup,
        rows: TrainingRows,
        *,
        augmenter: Any,
        memory: Any = None,
        n_jobs: int | None = None,
    ) -> TransferSet:
        """Fit the teacher and read it on the transfer set (cached in ``memory``)."""
        return cached_transfer_set(
            memory,
            teacher=setup.teacher,
            X=rows.X,
            y=rows.y_teacher,
            labelled=rows.labelled,
            output=setup.output,
            cv=self.cv,
            augmenter=augmenter,
            random_state=None if augmenter is None else self.random_state,
            sample_weight=rows.teacher_weight,
            fit_params=rows.teacher_params,
            n_jobs=n_jobs,
            verbose=self.verbose,
        )

    # -- the three steps --------------------------------------------------------
    def _fit(
        self, X: Any, y: Any, sample_weight: Any, fit_params: dict[str, Any]
    ) -> BaseDistiller:
        setup, rows, _ = self._prepare(X, y, sample_weight, fit_params)
        transfer = self._transfer_set(
            setup,
            rows,
            augmenter=setup.augmenter,
            memory=self.memory,
            n_jobs=self.n_jobs,
        )
        self._fit_from_transfer(setup, rows, transfer, **self._settings())
        return self

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
        return _object_to_float(X) if X.dtype.kind == "O" else X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        teacher_tags = get_tags(self._resolved_teacher())
        # The default student is built for the data: its tags are those of
        # the one built for sparse data (which also takes dense data).
        student = self.student
        if student is None:
            student = self._default_student(sp.csr_matrix((1, 1)))
        student_tags = get_tags(student)
        tags.input_tags.allow_nan = (
            teacher_tags.input_tags.allow_nan and student_tags.input_tags.allow_nan
        )
        tags.input_tags.sparse = (
            teacher_tags.input_tags.sparse
            and student_tags.input_tags.sparse
            and self.augment is None  # the augmenters need dense X
        )
        return tags
