"""Learning batch by batch: the ``partial_fit`` of the distillers.

A distiller whose teacher is fitted (wrapped in
:class:`~sklearn.frozen.FrozenEstimator`, or fitted by a first ``fit``)
can distil a stream: each batch is read by the teacher, its outputs become
soft targets, and a student with ``partial_fit`` learns them
(:func:`partial_fit_batch`). Nothing of a batch is kept, so memory does not
grow with the number of rows. The online distillers
(:mod:`skdistill.variants._online`) learn each batch with the same
functions: :func:`learn_batch` (a Pipeline step by step) and
:func:`learn_soft_batch` (the fit strategies, one batch at a time).
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from inspect import signature
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.linear_model import SGDRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import _safe_indexing
from sklearn.utils.metadata_routing import (
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.validation import _check_sample_weight, _num_samples

from ._fit_params import _caller_stacklevel, _index_params
from ._teacher import is_frozen
from ._threads import fit_threads, limit_threads
from ._transfer import check_transfer_options
from ._validation import final_estimator
from .soft_targets import blend_targets
from .students._strategies import expand_targets

#: The fit strategies that learn batch by batch (``"auto"`` picks one).
PARTIAL_FIT_STRATEGIES = ("auto", "native", "weighted", "hard")


def default_stream_classifier(X: Any = None) -> Any:
    """The student of a classifier that learns batch by batch, when ``student=None``.

    A standardized :class:`~skdistill.SoftLogisticRegression` (the scaler
    does not center a sparse ``X``): the streaming counterpart of the
    default student, a standardized logistic regression.
    """
    from .students._soft_logistic import SoftLogisticRegression

    return make_pipeline(
        StandardScaler(with_mean=not sp.issparse(X)), SoftLogisticRegression()
    )


def default_stream_regressor(X: Any = None) -> Any:
    """The student of a regressor that learns batch by batch, when ``student=None``."""
    return make_pipeline(StandardScaler(with_mean=not sp.issparse(X)), SGDRegressor())


# -- what a model needs to learn batch by batch ---------------------------------------
def _takes(estimator: Any, method: str, parameter: str) -> bool:
    """Whether ``estimator.method`` (a Pipeline: its last step's) takes it."""
    return _class_takes(type(final_estimator(estimator)), method, parameter)


@lru_cache(maxsize=256)
def _class_takes(cls: type, method: str, parameter: str) -> bool:
    """:func:`_takes` by class (a signature is the class's), cached: it runs on
    every batch."""
    function = getattr(cls, method, None)
    if function is None:
        return False
    try:
        return parameter in signature(function).parameters
    except (TypeError, ValueError):
        return False


def missing_partial_fit(estimator: Any) -> str | None:
    """What keeps ``estimator`` from learning batch by batch, or None.

    A Pipeline learns step by step: each step needs ``partial_fit`` (and
    every step but the last ``transform``), except a fitted step wrapped in
    :class:`~sklearn.frozen.FrozenEstimator`, which only transforms.
    """
    if isinstance(estimator, Pipeline):
        for name, step in estimator.steps:
            if step in (None, "passthrough"):
                continue
            if is_frozen(step) and step is not estimator.steps[-1][1]:
                continue
            if not hasattr(step, "partial_fit"):
                return f"its step {name!r} ({type(step).__name__}) has no partial_fit"
        return None
    if not hasattr(estimator, "partial_fit"):
        return "it has no partial_fit"
    return None


def check_partial_fit_student(student: Any) -> None:
    """A student must learn batch by batch; a ValueError says what it lacks."""
    missing = missing_partial_fit(student)
    if missing is not None:
        raise ValueError(
            f"The student {type(student).__name__} cannot learn batch by batch: "
            f"{missing}. Use a student with partial_fit (e.g. "
            "SoftLogisticRegression, SGDClassifier(loss='log_loss'), "
            "MLPClassifier, SGDRegressor), or a Pipeline whose every step has "
            "one or is a fitted step wrapped in FrozenEstimator (e.g. "
            "make_pipeline(StandardScaler(), SoftLogisticRegression()))."
        )


def learn_batch(
    estimator: Any,
    method: str,
    X: Any,
    y: Any,
    sample_weight: NDArray[np.float64] | None,
    **kwargs: Any,
) -> Any:
    """Call ``estimator.method(X, y, ...)`` on one batch (a Pipeline: step by step).

    A Pipeline's steps but the last ``partial_fit`` the batch, then
    transform it for the next (a step wrapped in
    :class:`~sklearn.frozen.FrozenEstimator` only transforms it: it is never
    refit); the last step's ``method`` (``partial_fit`` or
    ``partial_fit_soft_targets``) learns the transformed batch.
    ``sample_weight`` goes to every step whose ``partial_fit`` takes it;
    ``classes`` only to a final method that takes it.
    """
    final = final_estimator(estimator)
    if "classes" in kwargs and not _takes(final, method, "classes"):
        kwargs.pop("classes")
    if isinstance(estimator, Pipeline):
        for _, step in estimator.steps[:-1]:
            if step in (None, "passthrough"):
                continue
            if is_frozen(step):
                X = step.transform(X)
                continue
            if sample_weight is not None and _takes(
                step, "partial_fit", "sample_weight"
            ):
                step.partial_fit(X, y, sample_weight=sample_weight)
            else:
                step.partial_fit(X, y)
            X = step.transform(X)
    if sample_weight is not None:
        kwargs["sample_weight"] = sample_weight
    getattr(final, method)(X, y, **kwargs)
    return estimator


def partial_fit_strategy(student: Any, fit_strategy: str) -> str:
    """How a classifier student learns batch by batch (a warning for ``"hard"``).

    ``"native"``: the student (a Pipeline: its last step) has
    ``partial_fit_soft_targets``; ``"weighted"``: its ``partial_fit`` takes
    ``sample_weight``; else ``"hard"``.
    """
    name = type(final_estimator(student)).__name__
    native = callable(
        getattr(final_estimator(student), "partial_fit_soft_targets", None)
    )
    weighted = _takes(student, "partial_fit", "sample_weight")
    if fit_strategy == "auto":
        if native:
            return "native"
        if weighted:
            return "weighted"
        warnings.warn(
            f"The student {name} has neither partial_fit_soft_targets nor a "
            "partial_fit that accepts sample_weight, so it cannot learn the "
            "teacher's soft targets; it learns the most probable class of the "
            "blended target instead (fit_strategy='hard'). Pass "
            "fit_strategy='hard' to silence this warning.",
            UserWarning,
            stacklevel=_caller_stacklevel(),
        )
        return "hard"
    if fit_strategy == "native" and not native:
        raise ValueError(
            f"fit_strategy='native' needs a student with a partial_fit_soft_targets "
            f"method (such as SoftLogisticRegression); {name} has none. Use "
            "fit_strategy='auto' to pick the best strategy the student supports."
        )
    if fit_strategy == "weighted" and not weighted:
        raise ValueError(
            f"fit_strategy='weighted' needs a student whose partial_fit accepts "
            f"sample_weight; {name}.partial_fit does not. Use fit_strategy='hard' "
            "or 'auto'."
        )
    return fit_strategy


def learn_soft_batch(
    student: Any,
    strategy: str,
    X: Any,
    encoded: NDArray[np.intp],
    soft_targets: NDArray[np.float64],
    *,
    classes: NDArray[Any],
    temperature: float,
    alpha: float,
    weight_threshold: float,
    sample_weight: NDArray[np.float64] | None,
    params: dict[str, Any],
) -> None:
    """A classifier student learns one batch's soft targets, by ``strategy``.

    ``encoded`` holds the labels as indices into ``classes`` (``-1``: a row
    without a label, learnt from its soft target alone). The strategies
    are those of the offline fits, one batch at a time: ``"native"`` calls
    ``partial_fit_soft_targets``; ``"weighted"`` expands each row into one
    row per class weighted by the blended target; ``"hard"`` learns the
    blended target's most probable class.
    """
    if strategy == "native":
        learn_batch(
            student,
            "partial_fit_soft_targets",
            X,
            encoded,
            sample_weight,
            soft_targets=soft_targets,
            classes=classes,
            temperature=temperature,
            alpha=alpha,
            **params,
        )
        return
    targets = blend_targets(encoded, soft_targets, alpha)
    if strategy == "weighted":
        rows, columns, weights = expand_targets(
            targets, sample_weight, weight_threshold
        )
        learn_batch(
            student,
            "partial_fit",
            _safe_indexing(X, rows),
            classes[columns],
            weights,
            classes=classes,
            **_index_params(params, rows, encoded.size),
        )
        return
    learn_batch(
        student,
        "partial_fit",
        X,
        classes[targets.argmax(axis=1)],
        sample_weight,
        classes=classes,
        **params,
    )


# -- the partial_fit of DistilledClassifier and DistilledRegressor ------------------
def fitted_teacher(distiller: Any) -> Any:
    """The teacher a distiller's ``partial_fit`` reads: frozen, or fit by ``fit``.

    Raises an AttributeError (which ``available_if`` reports as the method
    being absent) naming what to do.
    """
    teacher = getattr(distiller, "teacher_", None)
    if teacher is not None:
        return teacher
    if is_frozen(distiller.teacher):
        return distiller.teacher
    raise AttributeError(
        f"{type(distiller).__name__}.partial_fit needs a fitted teacher, which it "
        "reads but never trains: wrap a prefit teacher in "
        "sklearn.frozen.FrozenEstimator (teacher=FrozenEstimator(model)), or "
        "call fit first (partial_fit then continues from the fitted student)."
    )


def stream_student(distiller: Any, X: Any = None) -> Any:
    """The student that ``partial_fit`` trains: the fitted one, or a new one."""
    fitted = getattr(distiller, "student_", None)
    if fitted is not None:
        return fitted
    if distiller.student is None:
        return distiller._default_stream_student(X)
    return distiller.student


def can_partial_fit(distiller: Any) -> bool:
    """``available_if`` check of ``partial_fit``: a fitted teacher and a student
    with ``partial_fit``; an AttributeError says which is missing."""
    fitted_teacher(distiller)
    student = stream_student(distiller)
    missing = missing_partial_fit(student)
    if missing is not None:
        raise AttributeError(
            f"{type(distiller).__name__}.partial_fit needs a student that learns "
            f"batch by batch, but the student {type(student).__name__} does not: "
            f"{missing}. Use a student with partial_fit (e.g. "
            "SoftLogisticRegression, SGDClassifier(loss='log_loss'), "
            "MLPClassifier, SGDRegressor, MLPRegressor), or a Pipeline whose "
            "every step has one or is a fitted step wrapped in FrozenEstimator."
        )
    return True


def partial_fit_batch(
    distiller: Any,
    X: Any,
    y: Any,
    classes: Any,
    sample_weight: Any,
    fit_params: dict[str, Any],
    *,
    teacher_outputs: NDArray[np.float64] | None = None,
) -> Any:
    """One call of a distiller's ``partial_fit``, top-down.

    The first call (no ``student_`` yet) resolves the teacher, the student
    and the fit strategy; later calls, and calls after ``fit``, continue
    from the fitted student. Then the teacher reads the batch (unless its
    ``teacher_outputs`` are given: a Dask job computes them in parallel
    beforehand), and the student learns the batch's soft targets.
    """
    _raise_for_params(fit_params, distiller, "partial_fit")
    first = getattr(distiller, "student_", None) is None
    if not first and not hasattr(distiller, "_stream_fidelity"):
        _resume(distiller)  # the first partial_fit after fit
    X, y = distiller._validate_batch(X, y, reset=first)
    if first:
        _start(distiller, X, y, classes)
    else:
        distiller._check_batch_classes(classes)
    if sample_weight is not None:
        sample_weight = _check_sample_weight(sample_weight, X, ensure_non_negative=True)
    params = _route_student_params(distiller, sample_weight, fit_params)
    sample_weight = params.pop("sample_weight", None)
    n_values = _num_samples(X) * (X.shape[1] if len(X.shape) == 2 else 1)
    with limit_threads(fit_threads(n_values), distiller.teacher_, distiller.student_):
        if teacher_outputs is None:
            teacher_outputs = distiller._stream_teacher_outputs(X)
        else:
            teacher_outputs = _check_outputs(distiller, teacher_outputs, X)
        distiller._learn_stream_batch(X, y, teacher_outputs, sample_weight, params)
    distiller.n_batches_seen_ += 1
    return distiller


def _start(distiller: Any, X: Any, y: Any, classes: Any) -> None:
    """The first call: the teacher, the student, the strategy, the targets."""
    teacher = fitted_teacher(distiller)
    student = clone(stream_student(distiller, X))
    check_partial_fit_student(student)
    check_transfer_options(
        teacher,
        X,
        teacher_cv=None,
        augment=None,
        student=student,
        owner=type(distiller).__name__,
        streaming=True,
    )
    distiller.teacher_ = teacher
    distiller._start_stream(teacher, student, y, classes)
    distiller.alpha_ = float(distiller.alpha)
    distiller.n_synthetic_ = 0
    distiller.n_batches_seen_ = 0
    distiller.student_ = student  # last: partial_fit starts again until it is set


def _resume(distiller: Any) -> None:
    """The first ``partial_fit`` after ``fit``: continue from the fitted student.

    The fitted student must learn batch by batch, by a strategy that can
    (not ``"logits"``, ``"logit_tree"`` or ``"teacher_splits"``, whose
    students are refit whole).
    """
    strategy = distiller.fit_strategy_
    if strategy not in ("native", "weighted", "hard", "blend"):
        raise ValueError(
            f"partial_fit cannot continue a {type(distiller).__name__} fitted with "
            f"fit_strategy={strategy!r}: that strategy refits its student whole. "
            "Distil a stream with a student that has partial_fit (e.g. "
            "SGDClassifier(loss='log_loss'), SoftLogisticRegression, SGDRegressor) "
            "and a strategy that learns batch by batch ('native', 'weighted', "
            "'hard'; 'blend' for a regressor)."
        )
    check_partial_fit_student(distiller.student_)
    distiller._resume_stream()
    distiller.n_batches_seen_ = 0


def reset_stream(distiller: Any) -> None:
    """Forget the state of earlier ``partial_fit`` calls (``fit`` starts afresh)."""
    for name in ("n_batches_seen_", "_stream_fidelity", "_stream_classes"):
        distiller.__dict__.pop(name, None)


def _route_student_params(
    distiller: Any, sample_weight: NDArray[np.float64] | None, fit_params: dict
) -> dict[str, Any]:
    """The student's ``partial_fit`` parameters (metadata routing).

    Without routing, ``sample_weight`` goes to the student, whose
    ``partial_fit`` must take it.
    """
    if _routing_enabled():
        params = dict(fit_params)
        if sample_weight is not None:
            params["sample_weight"] = sample_weight
        if params and isinstance(distiller.student_, Pipeline):
            raise ValueError(
                f"{sorted(params)} cannot reach the partial_fit of a Pipeline "
                "student with metadata routing enabled: scikit-learn's Pipeline "
                "routes metadata to fit only. Disable metadata routing "
                "(sample_weight then goes to every step whose partial_fit takes "
                "it), or use a student that is not a Pipeline."
            )
        return dict(
            process_routing(distiller, "partial_fit", **params).student.partial_fit
        )
    if sample_weight is None:
        return {}
    if not _takes(distiller.student_, "partial_fit", "sample_weight"):
        raise ValueError(
            f"sample_weight was given but the student "
            f"{type(distiller.student_).__name__} does not accept sample_weight in "
            "partial_fit; drop sample_weight or use a student that supports it."
        )
    return {"sample_weight": sample_weight}


def _check_outputs(distiller: Any, outputs: Any, X: Any) -> NDArray[np.float64]:
    """Teacher outputs computed elsewhere: one finite row per row of X."""
    outputs = np.asarray(outputs, dtype=np.float64)
    expected = (_num_samples(X), *distiller._stream_output_shape())
    if outputs.shape != expected and outputs.ndim <= 2 and len(expected) <= 2:
        # only (n,) <-> (n, 1): a single output's column, or its vector
        if outputs.shape[0] == expected[0] and outputs.size == expected[0]:
            outputs = outputs.reshape(expected)
    if outputs.shape != expected or not np.isfinite(outputs).all():
        raise ValueError(
            f"teacher_outputs must hold the teacher's finite outputs, of shape "
            f"{expected}; got shape {outputs.shape}."
        )
    return outputs


def label_fidelity(
    state: NDArray[np.float64] | None, student_labels: Any, teacher_labels: Any
) -> tuple[NDArray[np.float64], float]:
    """A classifier's running fidelity: the share of the streamed rows on which
    the student predicts the teacher's most probable class.

    ``state`` is ``[agreeing rows, rows]`` (``None`` before the first batch):
    plain numbers, so that a model file holds no object of skdistill's own.
    Returns the new state and the fidelity.
    """
    batch = np.array(
        [np.sum(np.asarray(student_labels) == teacher_labels), len(teacher_labels)],
        dtype=np.float64,
    )
    state = batch if state is None else state + batch
    return state, float(state[0] / state[1])


def value_fidelity(
    state: NDArray[np.float64] | None,
    student_predictions: Any,
    teacher_predictions: NDArray[np.float64],
) -> tuple[NDArray[np.float64], float]:
    """A regressor's running fidelity: R² of the student's predictions against
    the teacher's over the streamed rows (averaged over outputs), from running
    sums.

    ``state`` holds, per output, the rows, the sum of the teacher's
    predictions, the sum of their squares and the sum of squared differences.
    """
    t = np.asarray(teacher_predictions, dtype=np.float64)
    t = t.reshape(t.shape[0], -1)
    s = np.asarray(student_predictions, dtype=np.float64).reshape(t.shape)
    batch = np.stack(
        [
            np.full(t.shape[1], t.shape[0]),
            t.sum(0),
            (t**2).sum(0),
            ((t - s) ** 2).sum(0),
        ]
    )
    state = batch if state is None else state + batch
    n, total, squares, residual = state
    spread = squares - total**2 / n
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(
            spread > 0, 1.0 - residual / spread, np.where(residual == 0, 1.0, 0.0)
        )
    return state, float(np.mean(r2))
