"""What a candidate student costs to ship and to run.

:func:`footprint` measures a fitted student as a compression search
reports it: its pickled size, its number of parameters, its prediction
time on one thread for one row and per row of a batch (``predict`` in
Python, preprocessing included: a Python call and a DataFrame's encoding
cost tens of microseconds to milliseconds whatever the model), and, with
the ``export`` extra, the size of its ONNX export and its one-row time in
onnxruntime (what a service running the exported student pays).
"""

from __future__ import annotations

import importlib.util
import warnings
from functools import cache
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import _num_samples
from threadpoolctl import ThreadpoolController

from ..metrics._deploy import EXPORT_MODULES
from ..metrics._footprint import median_time, serialized_size, single_threaded

#: The columns of a search's ``cv_results_`` that :func:`footprint` fills.
FOOTPRINT_KEYS = (
    "size_bytes",
    "onnx_size_bytes",
    "n_parameters",
    "predict_time_1row",
    "predict_time_per_row",
    "onnx_predict_time_1row",
)
#: Rows of the timed batch (at most).
BATCH_ROWS = 1000


@cache
def thread_controller() -> ThreadpoolController:
    """One ThreadpoolController for every measure (making one inspects every
    loaded library, which takes milliseconds)."""
    return ThreadpoolController()


def export_installed() -> bool:
    """Whether the libraries of the ``export`` extra can be imported."""
    return all(importlib.util.find_spec(name) is not None for name in EXPORT_MODULES)


def n_parameters(model: Any) -> float:
    """The learnt numbers of a fitted model's final estimator.

    - a decision tree: its nodes (``tree_.node_count``);
    - LightGBM: the nodes of all its trees (splits and leaves);
    - a linear model: its non-zero coefficients, and its intercepts;
    - an ensemble of such models (``estimators_``): their sum;
    - a model wrapping one (``regressor_``, ``estimator_``): that model's.

    Preprocessing steps in front of it are not counted. ``NaN`` for any
    other model.

    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> n_parameters(DecisionTreeClassifier(max_depth=1).fit(X, y))
    3.0
    """
    if isinstance(model, Pipeline):
        model = model.steps[-1][1]
    if hasattr(model, "tree_"):
        return float(model.tree_.node_count)
    booster = getattr(model, "booster_", None)
    if booster is not None:
        trees = booster.dump_model()["tree_info"]
        return float(sum(2 * tree["num_leaves"] - 1 for tree in trees))
    if hasattr(model, "coef_"):
        intercept = np.atleast_1d(getattr(model, "intercept_", 0.0))
        return float(np.count_nonzero(model.coef_) + intercept.size)
    estimators = getattr(model, "estimators_", None)
    if estimators is not None:
        flat = np.ravel(np.asarray(estimators, dtype=object))
        return float(sum(n_parameters(estimator) for estimator in flat))
    for name in ("regressor_", "estimator_"):
        if hasattr(model, name):
            return n_parameters(getattr(model, name))
    return float("nan")


def onnx_figures(student: Any, X: Any, n_repeats: int) -> tuple[float, float]:
    """Bytes of the student's ONNX export, and its one-row time in onnxruntime.

    The time is :func:`skdistill.metrics._deploy.onnx_footprint`'s: a
    session on one thread, ``session.run`` alone timed (``NaN`` with
    ``n_repeats=0``). Both are ``NaN``, with a warning, if the export fails.
    """
    from ..export import to_onnx
    from ..metrics._deploy import onnx_footprint

    nan = float("nan")
    try:
        sample = _safe_indexing(X, np.arange(min(_num_samples(X), 10)))
        model = to_onnx(student, sample)
    except Exception as error:
        warnings.warn(
            f"The model {type(student).__name__} could not be exported to ONNX "
            f"({type(error).__name__}: {error}); its ONNX figures are NaN.",
            UserWarning,
            stacklevel=3,
        )
        return nan, nan
    size = float(len(model.SerializeToString()))
    if n_repeats == 0:
        return size, nan
    batch = _safe_indexing(X, np.arange(min(_num_samples(X), BATCH_ROWS)))
    figures = onnx_footprint(model, batch, n_repeats=n_repeats)
    return size, figures["onnx_latency_us_1row"] / 1e6


def footprint(
    student: Any,
    X: Any,
    *,
    onnx: bool,
    n_repeats: int,
) -> dict[str, float]:
    """Size, parameters and single-threaded prediction times of a fitted student.

    Parameters
    ----------
    student : estimator
        A fitted model, as shipped (its preprocessing steps included).
    X : array-like or DataFrame
        Rows it predicts: the first one is timed alone, the first
        ``BATCH_ROWS`` together.
    onnx : bool
        Also export it to ONNX, measure the file and time one row in
        onnxruntime (``NaN`` otherwise).
    n_repeats : int
        Timed batches of each prediction time (their median is taken, see
        :func:`skdistill.metrics._footprint.median_time`); ``0``: not timed
        (``NaN``).

    Returns
    -------
    figures : dict of str to float
        The keys of ``FOOTPRINT_KEYS``: bytes, bytes, a count, seconds for
        one row, seconds per row in a batch (``predict`` in Python, its
        preprocessing included), seconds for one row in onnxruntime.
    """
    n_batch = min(_num_samples(X), BATCH_ROWS)
    time_1row = time_batch = float("nan")
    if n_repeats > 0:
        one_row = _safe_indexing(X, [0])
        batch = _safe_indexing(X, np.arange(n_batch))
        one_thread = single_threaded(student)
        with thread_controller().limit(limits=1):
            time_1row = median_time(one_thread.predict, one_row, n_repeats)
            time_batch = median_time(one_thread.predict, batch, n_repeats)
    onnx_size, onnx_time = (
        onnx_figures(student, X, n_repeats) if onnx else (float("nan"),) * 2
    )
    return {
        "size_bytes": float(serialized_size(student)),
        "onnx_size_bytes": onnx_size,
        "n_parameters": n_parameters(student),
        "predict_time_1row": time_1row,
        "predict_time_per_row": time_batch / n_batch,
        "onnx_predict_time_1row": onnx_time,
    }
