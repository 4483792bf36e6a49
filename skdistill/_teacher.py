"""Reading a teacher: its classes, and its outputs in the student's terms.

A classifier teacher speaks in logits, one column per class of the
distiller's ``classes_`` (:class:`LogitOutput`); a regressor teacher in
predictions (:class:`PredictionOutput`). Both are read in chunks of
``CHUNK_ROWS`` rows, so that big transfer sets do not hold the teacher's
intermediate arrays all at once.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import _num_samples

from ._fit_params import _caller_stacklevel
from ._validation import _is_dataframe
from .soft_targets import _PROBA_FLOOR, logits_from_decision, logits_from_proba

TEACHER_OUTPUTS = ("auto", "predict_proba", "decision_function")


# The default teacher of both distillers (a LightGBM model, classifier or
# regressor) and of the command line.
DEFAULT_TEACHER_PARAMS = {"n_estimators": 300, "learning_rate": 0.05, "verbose": -1}


def is_frozen(estimator: Any) -> bool:
    """Whether ``estimator`` is a prefit model wrapped in ``FrozenEstimator``."""
    return isinstance(estimator, FrozenEstimator)


def _feature_names(estimator: Any) -> NDArray[Any] | None:
    """The estimator's ``feature_names_in_``, or None (LightGBM raises without)."""
    try:
        names = getattr(estimator, "feature_names_in_", None)
    except Exception:  # a property that raises anything but AttributeError
        return None
    return None if names is None else np.asarray(names, dtype=object)


def _reads_columns(estimator: Any) -> Any:
    """The model that reads X's columns: a Pipeline's first step, or itself."""
    while isinstance(estimator, Pipeline):
        estimator = estimator.steps[0][1]
    return estimator


def _normalized(names: Any) -> list[str]:
    """Column names as LightGBM stores them (whitespace becomes ``_``)."""
    return [re.sub(r"\s", "_", str(n)) for n in names]


def check_teacher_features(teacher: Any, X: Any) -> None:
    """A frozen teacher's features (names, order, count) against ``X``.

    A prefit teacher that reads X's columns by position needs them in the
    order it was fitted on. scikit-learn estimators (a ColumnTransformer
    included, which selects columns by name) check this themselves in
    ``predict``; LightGBM's and other libraries' do not, and a reordered
    DataFrame silently gives wrong outputs. For those, this check compares
    X with the fitted model's ``feature_names_in_`` (whitespace compared as
    LightGBM stores it) and ``n_features_in_``.

    Raises
    ------
    ValueError
        If X's column names differ from the teacher's (other names, or the
        same in another order), or its number of columns does.
    """
    if not is_frozen(teacher):
        return
    fitted = teacher.estimator
    reader = _reads_columns(fitted)
    if type(reader).__module__.startswith("sklearn."):
        return  # scikit-learn checks names, order and count in predict
    name = type(fitted).__name__
    names = _feature_names(fitted)
    columns = list(X.columns) if _is_dataframe(X) else None
    if names is not None and columns is not None:
        expected, given = _normalized(names), _normalized(columns)
        if given == expected:
            return
        if sorted(given) == sorted(expected):
            at = next(
                i
                for i, (a, b) in enumerate(zip(given, expected, strict=True))
                if a != b
            )
            raise ValueError(
                f"X has the columns of the frozen teacher {name}, but in another "
                f"order: column {at} of X is {columns[at]!r}, the teacher's is "
                f"{names[at]!r}. A prefit {name} reads columns by position: "
                "reorder X as the teacher was fitted (its feature_names_in_)."
            )
        unseen = [
            c for c, g in zip(columns, given, strict=True) if g not in set(expected)
        ]
        missing = [
            c for c, e in zip(names, expected, strict=True) if e not in set(given)
        ]
        parts = [
            f"{label}: {_preview(values)}"
            for label, values in (
                ("not seen in its fit", unseen),
                ("missing from X", missing),
            )
            if values
        ]
        raise ValueError(
            f"X's columns differ from those the frozen teacher {name} was fitted "
            f"on ({'; '.join(parts)}). Pass X with the teacher's columns, in its "
            "order."
        )
    n_expected = getattr(fitted, "n_features_in_", None)
    n_columns = X.shape[1]
    if n_expected is not None and n_columns != n_expected:
        raise ValueError(
            f"X has {n_columns} features, but the frozen teacher {name} was "
            f"fitted on {n_expected}. Pass X with the teacher's features."
        )
    if names is not None and columns is None:
        warnings.warn(
            f"X has no column names, but the frozen teacher {name} was fitted on "
            f"a DataFrame with columns {_preview(names)}; X's columns are taken "
            "to be these, in this order. Pass a DataFrame to have them checked.",
            UserWarning,
            stacklevel=_caller_stacklevel(),
        )


def _preview(names: Any, limit: int = 6) -> str:
    """A short list of column names for a message: the first few, and a count."""
    names = [str(n) for n in names]
    shown = ", ".join(repr(n) for n in names[:limit])
    more = f", ... ({len(names) - limit} more)" if len(names) > limit else ""
    return f"[{shown}{more}]"


def resolve_teacher_output(teacher: Any, teacher_output: str) -> str:
    """Pick the teacher method that gives logits, or explain why none does."""
    if teacher_output == "auto":
        for method in ("predict_proba", "decision_function"):
            if hasattr(teacher, method):
                return method
        raise ValueError(
            f"The teacher {type(teacher).__name__} has neither predict_proba nor "
            "decision_function, so it cannot provide soft targets. Use a "
            "probabilistic classifier as teacher (for example "
            "lightgbm.LGBMClassifier) or wrap it in "
            "sklearn.calibration.CalibratedClassifierCV."
        )
    if not hasattr(teacher, teacher_output):
        raise ValueError(
            f"teacher_output={teacher_output!r} but the teacher "
            f"{type(teacher).__name__} has no {teacher_output} method. Use "
            "teacher_output='auto' to pick the method it has."
        )
    return teacher_output


# Rows of X sent to the teacher at once: bounds the memory of its outputs
# (and of its own intermediate arrays) on big transfer sets.
CHUNK_ROWS = 16_384


def teacher_logits(
    teacher: Any,
    X: Any,
    method: str,
    column_order: NDArray[np.intp],
    *,
    verbose: int = 0,
) -> NDArray[np.float64]:
    """Teacher logits of shape (n_samples, n_classes), columns in our class order.

    ``column_order[k]`` is the teacher's column holding our class ``k``, or
    ``-1`` for a class the teacher never saw (a cross-fitted teacher whose
    training folds lacked it), which gets the logit of probability 0. The
    teacher is called on chunks of ``CHUNK_ROWS`` rows, and each chunk's
    output is checked (:func:`check_teacher_output`); with ``verbose`` a
    progress line is printed per chunk.
    """
    n = _num_samples(X)
    out = np.empty((n, column_order.size), dtype=np.float64)
    missing = column_order < 0
    n_teacher_classes = len(teacher.classes_)
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        output = getattr(teacher, method)(_safe_indexing(X, slice(start, stop)))
        output = check_teacher_output(
            teacher, method, output, stop - start, n_teacher_classes, first_row=start
        )
        if method == "predict_proba":
            z = logits_from_proba(output)
        else:
            z = logits_from_decision(output)
        out[start:stop] = z[:, np.where(missing, 0, column_order)]
        if missing.any():
            out[start:stop, missing] = np.log(_PROBA_FLOOR)
        if verbose and n > CHUNK_ROWS:
            print(f"[skdistill] teacher outputs: {stop:,}/{n:,} rows", flush=True)
    return out


# How far a row of a teacher's predict_proba may sum from 1 (float32
# probabilities over many classes stay well within it).
PROBA_SUM_TOLERANCE = 1e-3


def check_teacher_output(
    teacher: Any,
    method: str,
    output: Any,
    n_rows: int,
    n_classes: int | None,
    *,
    first_row: int = 0,
) -> NDArray[np.float64]:
    """The teacher's output on ``n_rows`` rows, checked; as a float array.

    The shape must be one row per input row and, for a classifier, one
    column per class of the teacher's ``classes_`` (a binary
    ``decision_function`` may have one); the values must be finite; the
    probabilities of ``predict_proba`` must be non-negative and sum to 1 per
    row (within ``PROBA_SUM_TOLERANCE``). Errors name the teacher and the
    method, and the first row at fault (``first_row`` is the offset of this
    chunk in X).

    Raises
    ------
    ValueError
        If the output is of the wrong shape, not finite, or not
        probabilities.
    """
    where = f"The teacher {type(_unfrozen(teacher)).__name__}'s {method}"
    try:
        values = np.asarray(output, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{where} returned values that are not numbers "
            f"({type(output).__name__}); it must return an array of floats."
        ) from None
    if n_classes is None:
        expected: tuple[str, ...] = ("n_samples", "n_samples, n_outputs")
        shape_ok = values.shape[:1] == (n_rows,)
    else:
        binary_decision = method == "decision_function" and n_classes == 2
        expected = (("n_samples",) if binary_decision else ()) + (
            f"n_samples, {n_classes}",
        )
        shape_ok = values.shape == (n_rows, n_classes) or (
            binary_decision and values.shape in ((n_rows,), (n_rows, 1))
        )
    if not shape_ok:
        classes = "" if n_classes is None else f" for its {n_classes} classes"
        shapes = " or ".join(f"({e})" for e in expected)
        raise ValueError(
            f"{where} returned an array of shape {values.shape} on {n_rows} rows"
            f"{classes}; expected {shapes}. Check that the teacher is fitted on "
            "these classes and that its method follows scikit-learn's "
            "conventions."
        )
    bad = ~np.isfinite(values)
    if bad.any():
        row = first_row + int(np.argwhere(bad)[0][0])
        rows = int(bad.reshape(n_rows, -1).any(axis=1).sum())
        raise ValueError(
            f"{where} returned NaN or infinite values on {rows} row(s) of X "
            f"(the first at row {row}). Check the teacher and its input; "
            "an imputer before the teacher may be missing."
        )
    if method == "predict_proba":
        negative = values < -PROBA_SUM_TOLERANCE
        sums = values.sum(axis=1)
        off = np.abs(sums - 1.0) > PROBA_SUM_TOLERANCE
        if negative.any() or off.any():
            i = int(np.argmax(negative.any(axis=1) | off))
            raise ValueError(
                f"{where} returned rows that are not probabilities (row "
                f"{first_row + i} sums to {sums[i]:.6g}, min {values[i].min():.6g}); "
                "each row must be non-negative and sum to 1. Use a teacher "
                "whose predict_proba gives probabilities, or "
                "teacher_output='decision_function'."
            )
        np.clip(values, 0.0, None, out=values)
    return values


def _unfrozen(teacher: Any) -> Any:
    """The model inside a FrozenEstimator (for messages), or the teacher."""
    return teacher.estimator if is_frozen(teacher) else teacher


def teacher_column_order(
    teacher_classes: NDArray[Any], classes: NDArray[Any], *, allow_missing=False
) -> NDArray[np.intp]:
    """Index of each of ``classes`` among ``teacher_classes``.

    Raises a ValueError naming the classes the teacher does not know, unless
    ``allow_missing``, in which case their index is ``-1``.
    """
    teacher_classes = np.asarray(teacher_classes)
    position = {c: i for i, c in enumerate(teacher_classes.tolist())}
    missing = [c for c in classes.tolist() if c not in position]
    if allow_missing:
        return np.array([position.get(c, -1) for c in classes.tolist()], np.intp)
    if missing:
        raise ValueError(
            f"The teacher was trained on classes {teacher_classes.tolist()}, but y "
            f"contains {missing} which it does not know. A frozen (prefit) "
            "teacher must have been trained on every class that appears in y; "
            "refit it on these labels or pass it unfrozen so that it is refit."
        )
    return np.array([position[c] for c in classes.tolist()], dtype=np.intp)


def teacher_predictions(
    teacher: Any, X: Any, output_shape: tuple[int, ...] = (), *, verbose: int = 0
) -> NDArray[np.float64]:
    """The teacher's ``predict`` on X, in chunks of ``CHUNK_ROWS`` rows.

    Returns an array of shape ``(n_samples, *output_shape)``; each chunk is
    checked (:func:`check_teacher_output`: one row per input row, finite);
    with ``verbose`` a progress line is printed per chunk on big inputs.
    """
    n = _num_samples(X)
    out = np.empty((n, *output_shape), dtype=np.float64)
    size = int(np.prod(output_shape))
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        chunk = teacher.predict(_safe_indexing(X, slice(start, stop)))
        chunk = check_teacher_output(
            teacher, "predict", chunk, stop - start, None, first_row=start
        )
        if chunk.size != (stop - start) * size:
            raise ValueError(
                f"The teacher {type(_unfrozen(teacher)).__name__}'s predict "
                f"returned an array of shape {chunk.shape} on {stop - start} "
                f"rows; expected {(stop - start, *output_shape)}, the shape of y."
            )
        out[start:stop] = chunk.reshape(stop - start, *output_shape)
        if verbose and n > CHUNK_ROWS:
            print(f"[skdistill] teacher outputs: {stop:,}/{n:,} rows", flush=True)
    return out


class LogitOutput:
    """How a classifier teacher is read: logits in the order of ``classes``.

    ``read(teacher, X)`` is :func:`teacher_logits` with the teacher's
    columns matched to ``classes`` by label; a class the teacher never saw
    (a fold whose training part lacked it) gets the logit of probability 0.

    Parameters
    ----------
    method : {"predict_proba", "decision_function"}
        The teacher method giving the logits.
    classes : ndarray of shape (n_classes,)
        Column order of the logits.
    """

    stratify = True

    def __init__(self, method: str, classes: NDArray[Any]) -> None:
        self.method = method
        self.classes = classes

    def read(self, teacher: Any, X: Any, *, verbose: int = 0) -> NDArray[np.float64]:
        """Logits of shape (n_samples, n_classes)."""
        order = teacher_column_order(teacher.classes_, self.classes, allow_missing=True)
        return teacher_logits(teacher, X, self.method, order, verbose=verbose)

    def check_fold(self, y_train: NDArray[Any]) -> None:
        """A fold's teacher needs two classes in its training part."""
        labels = np.unique(y_train)
        if labels.size < 2:
            raise ValueError(
                f"A fold of teacher_cv leaves only the class {labels.tolist()} in its "
                "training part, so its teacher cannot be fit. Use fewer folds, "
                "stratified folds (teacher_cv=<int>), or teacher_cv=None."
            )


class PredictionOutput:
    """How a regressor teacher is read: its predictions, one row per sample.

    Parameters
    ----------
    shape : tuple of int
        Shape of one row's prediction: ``()`` for one output, ``(n_outputs,)``
        for several.
    """

    stratify = False

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def read(self, teacher: Any, X: Any, *, verbose: int = 0) -> NDArray[np.float64]:
        """Predictions of shape (n_samples, *shape)."""
        return teacher_predictions(teacher, X, self.shape, verbose=verbose)

    def check_fold(self, y_train: NDArray[Any]) -> None:
        """Any fold can fit a regressor."""
