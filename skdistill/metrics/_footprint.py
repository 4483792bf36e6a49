"""What a model costs to ship and to run: serialized size and prediction latency."""

from __future__ import annotations

import copy
import pickle
import time
import types
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import _num_samples
from threadpoolctl import ThreadpoolController

# Parameters through which libraries take a thread count at predict time:
# scikit-learn's and LightGBM's n_jobs, and LightGBM's aliases, which it
# prefers to n_jobs when given.
THREAD_PARAMS = ("n_jobs", "num_threads", "num_thread", "nthread", "nthreads")

# Each timed batch repeats the call until it lasts at least this long, so
# that a call of a fraction of a millisecond is still timed reliably.
MIN_BATCH_SECONDS = 0.02


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


_LEAVES = (np.ndarray, np.generic, str, bytes, int, float, complex, bool, type(None))
_SKIP = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType)


def _is_model(obj: Any) -> bool:
    """An estimator, or one of scikit-learn's fitted helper objects.

    Those are walked for thread counts; anything else (a LightGBM booster,
    whose copy would duplicate the whole model) is shared as it is.
    """
    return isinstance(obj, BaseEstimator) or (
        hasattr(obj, "__dict__") and type(obj).__module__.startswith("sklearn.")
    )


def _with_threads(obj: Any, n_threads: int, memo: dict[int, Any]) -> Any:
    """``obj`` with every reachable thread-count parameter set, copying only the path.

    Estimators are shallow-copied (fitted arrays and boosters are shared,
    not duplicated), so this is cheap even for a large ensemble; ``obj``
    itself is left untouched.
    """
    if isinstance(obj, _LEAVES) or isinstance(obj, _SKIP):
        return obj
    if id(obj) in memo:
        return memo[id(obj)]
    if isinstance(obj, (list, tuple)):
        items = [_with_threads(item, n_threads, memo) for item in obj]
        out = items if isinstance(obj, list) else tuple(items)
        memo[id(obj)] = out
        return out
    if isinstance(obj, dict):
        out = {key: _with_threads(v, n_threads, memo) for key, v in obj.items()}
        for key in THREAD_PARAMS:
            if key in out and isinstance(out[key], (int, np.integer, type(None))):
                out[key] = n_threads
        memo[id(obj)] = out
        return out
    if not _is_model(obj):
        return obj
    out = copy.copy(obj)
    memo[id(obj)] = out
    for key, value in vars(obj).items():
        new = _with_threads(value, n_threads, memo)
        if new is not value:
            setattr(out, key, new)
    for key in THREAD_PARAMS:
        value = vars(out).get(key, "absent")
        if value is None or isinstance(value, (int, np.integer)):
            setattr(out, key, n_threads)
    return out


def single_threaded(estimator: Any) -> Any:
    """A copy of ``estimator`` whose models (fitted ones too) use one thread.

    LightGBM and joblib-based models read ``n_jobs`` (or LightGBM's
    ``num_threads`` aliases) at predict time, and an explicit thread count
    overrides a thread-pool limit, so every such parameter reachable from
    ``estimator`` - inside pipelines, ensembles and wrappers - is set to 1
    on a shallow copy. ``estimator`` itself is left untouched.
    """
    return _with_threads(estimator, 1, {})


def sample_rows(
    X: Any, n_rows: int, random_state: np.random.RandomState
) -> NDArray[np.intp]:
    """Indices of ``n_rows`` rows of ``X`` (drawn with replacement if it has fewer)."""
    n = _num_samples(X)
    rows = random_state.choice(n, size=n_rows, replace=n < n_rows)
    return np.sort(rows)


def median_time(predict: Callable[[Any], Any], X: Any, n_repeats: int) -> float:
    """Median seconds per call of ``predict(X)``, timed as :mod:`timeit` does.

    One untimed call warms caches (and lazy initialisations); the number of
    calls per batch is then doubled until a batch lasts at least
    ``MIN_BATCH_SECONDS``, and the median over ``n_repeats`` batches of the
    time per call is returned. A fast call is thus timed over many
    repetitions instead of once, which keeps the figure stable.
    """
    predict(X)
    loops, elapsed = 1, 0.0
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            predict(X)
        elapsed = time.perf_counter() - start
        if elapsed >= MIN_BATCH_SECONDS:
            break
        loops *= 2
    times = [elapsed / loops]
    for _ in range(n_repeats - 1):
        start = time.perf_counter()
        for _ in range(loops):
            predict(X)
        times.append((time.perf_counter() - start) / loops)
    return float(np.median(times))


def prediction_latency(
    estimator: Any,
    method: str,
    X: Any,
    *,
    n_repeats: int,
    timer: Callable[..., Any] | None = None,
    controller: ThreadpoolController | None = None,
) -> dict[str, float]:
    """Median milliseconds of ``estimator.method(X)``, single- and multi-threaded.

    Returns ``{"latency_ms_1thread": ..., "latency_ms_default": ...}``. The
    single-threaded figure uses :func:`single_threaded` under a thread-pool
    limit of one thread (BLAS and OpenMP); the default figure uses the
    estimator as it is. ``timer(func, *args)``, when given, wraps the timed
    calls (to account for the time they take). ``controller`` is a
    ``threadpoolctl.ThreadpoolController`` to reuse (making one inspects
    every loaded library, which takes milliseconds).
    """

    def call(func, *args):
        return timer(func, *args) if timer is not None else func(*args)

    one = single_threaded(estimator)
    controller = controller if controller is not None else ThreadpoolController()
    with controller.limit(limits=1):
        single = call(median_time, getattr(one, method), X, n_repeats)
    default = call(median_time, getattr(estimator, method), X, n_repeats)
    return {"latency_ms_1thread": 1e3 * single, "latency_ms_default": 1e3 * default}
