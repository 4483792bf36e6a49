"""What a model costs to ship and to run: serialized size and prediction latency."""

from __future__ import annotations

import copy
import pickle
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import _num_samples
from threadpoolctl import threadpool_limits


def shipped_model(estimator: Any) -> Any:
    """The fitted model that would be shipped: a FrozenEstimator's inner model."""
    while isinstance(estimator, FrozenEstimator):
        estimator = estimator.estimator
    return estimator


def serialized_size(estimator: Any) -> int:
    """Bytes of ``estimator`` pickled with the highest protocol.

    Pickle is what joblib and most deployments store; for a LightGBM model
    it holds the model's text dump, so the size grows with the number of
    trees and leaves.
    """
    return len(pickle.dumps(shipped_model(estimator), protocol=pickle.HIGHEST_PROTOCOL))


def _with_n_jobs(obj: Any, n_jobs: int, memo: dict[int, Any]) -> Any:
    """``obj`` with every reachable estimator's ``n_jobs`` set, copying only the path.

    Estimators are shallow-copied (their fitted arrays and boosters are
    shared, not duplicated), so this is cheap even for a large ensemble.
    """
    if id(obj) in memo:
        return memo[id(obj)]
    if isinstance(obj, (list, tuple)):
        items = [_with_n_jobs(item, n_jobs, memo) for item in obj]
        out = type(obj)(items) if isinstance(obj, list) else tuple(items)
    elif isinstance(obj, dict):
        out = {key: _with_n_jobs(item, n_jobs, memo) for key, item in obj.items()}
    elif isinstance(obj, BaseEstimator):
        out = copy.copy(obj)
        memo[id(obj)] = out
        for key, item in vars(obj).items():
            if isinstance(item, (list, tuple, dict, BaseEstimator)):
                setattr(out, key, _with_n_jobs(item, n_jobs, memo))
        if "n_jobs" in obj.get_params(deep=False):
            out.n_jobs = n_jobs
        return out
    else:
        out = obj
    memo[id(obj)] = out
    return out


def single_threaded(estimator: Any) -> Any:
    """A copy of ``estimator`` whose estimators (fitted ones too) use one thread.

    LightGBM and joblib-based models read ``n_jobs`` at predict time, so a
    thread-pool limit alone would not restrict them. The copy is shallow:
    ``estimator`` itself is left untouched.
    """
    return _with_n_jobs(estimator, 1, {})


def sample_rows(
    X: Any, n_rows: int, random_state: np.random.RandomState
) -> NDArray[np.intp]:
    """Indices of ``n_rows`` rows of ``X`` (drawn with replacement if it has fewer)."""
    n = _num_samples(X)
    rows = random_state.choice(n, size=n_rows, replace=n < n_rows)
    return np.sort(rows)


def median_time(predict: Callable[[Any], Any], X: Any, n_repeats: int) -> float:
    """Median wall time in seconds of ``predict(X)`` over ``n_repeats`` calls.

    One untimed call first warms caches (and lazy initialisations).
    """
    predict(X)
    times = []
    for _ in range(n_repeats):
        start = time.perf_counter()
        predict(X)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def prediction_latency(
    estimator: Any, method: str, X: Any, *, n_repeats: int
) -> dict[str, float]:
    """Median milliseconds of ``estimator.method(X)``, single- and multi-threaded.

    Returns ``{"latency_ms_1thread": ..., "latency_ms_default": ...}``. The
    single-threaded figure uses a copy whose every ``n_jobs`` is 1, under a
    thread-pool limit of one thread (BLAS and OpenMP); the default figure
    uses the estimator as it is.
    """
    one = single_threaded(estimator)
    with threadpool_limits(limits=1):
        single = median_time(getattr(one, method), X, n_repeats)
    default = median_time(getattr(estimator, method), X, n_repeats)
    return {"latency_ms_1thread": 1e3 * single, "latency_ms_default": 1e3 * default}
