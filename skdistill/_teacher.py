"""Reading a teacher: its classes, and its outputs in the student's terms.

A classifier teacher speaks in logits, one column per class of the
distiller's ``classes_`` (:class:`LogitOutput`); a regressor teacher in
predictions (:class:`PredictionOutput`). Both are read in chunks of
``CHUNK_ROWS`` rows, so that big transfer sets do not hold the teacher's
intermediate arrays all at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.frozen import FrozenEstimator
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import _num_samples

from .soft_targets import _PROBA_FLOOR, logits_from_decision, logits_from_proba

TEACHER_OUTPUTS = ("auto", "predict_proba", "decision_function")


# The default teacher of both distillers (a LightGBM model, classifier or
# regressor) and of the command line.
DEFAULT_TEACHER_PARAMS = {"n_estimators": 300, "learning_rate": 0.05, "verbose": -1}


def is_frozen(estimator: Any) -> bool:
    """Whether ``estimator`` is a prefit model wrapped in ``FrozenEstimator``."""
    return isinstance(estimator, FrozenEstimator)


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
    teacher is called on chunks of ``CHUNK_ROWS`` rows; with ``verbose`` a
    progress line is printed per chunk.
    """
    n = _num_samples(X)
    out = np.empty((n, column_order.size), dtype=np.float64)
    missing = column_order < 0
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        output = getattr(teacher, method)(_safe_indexing(X, slice(start, stop)))
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

    Returns an array of shape ``(n_samples, *output_shape)``; with
    ``verbose`` a progress line is printed per chunk on big inputs.
    """
    n = _num_samples(X)
    out = np.empty((n, *output_shape), dtype=np.float64)
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        chunk = teacher.predict(_safe_indexing(X, slice(start, stop)))
        out[start:stop] = np.asarray(chunk, dtype=np.float64).reshape(
            stop - start, *output_shape
        )
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
