"""Threads inside a fit: OpenMP pools sized so that they do not spin-wait.

LightGBM and scikit-learn's HistGradientBoosting run their loops in OpenMP
parallel regions, and an idle OpenMP thread spin-waits at every barrier.
When another process holds a core, a thread of the team is descheduled and
the others spin until it runs again; a boosted model has tens of thousands
of regions, so a fit of a second can take minutes on a busy machine
(``docs/benchmarks/threads.md``). One thread has no barrier to wait at.

Inside a distiller's fit (and a search's), each worker (the fit itself, or
one of ``n_jobs`` workers fitting folds or candidates in parallel) limits
OpenMP to::

    n_threads = min(n_values // VALUES_PER_THREAD, (cores - 1) // n_workers)

and at least 1, where ``n_values`` is the number of values of ``X`` (rows x
columns) and ``cores`` the physical cores this process may use
(:func:`joblib.cpu_count`). A thread gets a quarter of a million values to
work on, so small fits, where threads save little and risk much, get one
(LightGBM's own advice: few threads for small data); one core is left for
the rest of the machine (on 2 cores, every fit gets one thread). The limit
never raises the one in effect (``OMP_NUM_THREADS``, a ``threadpoolctl`` limit
around the fit, joblib's limit in its workers).

:func:`limit_threads` applies it: :func:`threadpoolctl.threadpool_limits`
for every OpenMP library, and, as LightGBM's scikit-learn models ignore
OpenMP's setting when their ``n_jobs`` is ``None`` (they then ask for all
physical cores), ``n_jobs=0`` ("OpenMP's default") on the LightGBM models of
the teacher and the student whose thread count is unset. A LightGBM model
with an explicit ``n_jobs`` (or ``num_threads``) keeps it. The environment
variable ``SKDISTILL_N_THREADS`` replaces the rule: a number of threads per
fit (shared by its workers), ``"auto"`` (the rule) or ``"none"`` (no limit:
every library's own default).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from joblib import cpu_count
from sklearn.frozen import FrozenEstimator
from threadpoolctl import threadpool_info, threadpool_limits

#: Values of ``X`` (rows x columns) per OpenMP thread under the default rule.
VALUES_PER_THREAD = 250_000

#: The environment variable that replaces the rule.
ENV_VAR = "SKDISTILL_N_THREADS"

# LightGBM's names for its thread count, besides n_jobs: any of them set on a
# model is the user's choice.
_LIGHTGBM_THREAD_ALIASES = ("num_threads", "num_thread", "nthread", "nthreads")
# LightGBM's n_jobs=0: as many threads as OpenMP says, so threadpoolctl's
# limit reaches the model.
_OPENMP_DEFAULT = 0


def thread_setting() -> int | str:
    """The setting of ``SKDISTILL_N_THREADS``: ``"auto"``, ``"none"`` or an int.

    Read at each fit. Unset or empty is ``"auto"``.

    Returns
    -------
    setting : int or {"auto", "none"}

    Raises
    ------
    ValueError
        If the variable is set to anything else than a positive integer,
        ``"auto"`` or ``"none"``.
    """
    text = os.environ.get(ENV_VAR, "").strip().lower()
    if text in ("", "auto"):
        return "auto"
    if text == "none":
        return "none"
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(
            f"The environment variable {ENV_VAR} must be a positive number of "
            "threads, 'auto' (the default rule) or 'none' (no limit); got "
            f"{os.environ[ENV_VAR]!r}."
        )
    return value


def n_values(X: Any) -> int:
    """Rows x columns of ``X`` (an array, sparse matrix or DataFrame)."""
    shape = getattr(X, "shape", None)
    if shape is None:
        return len(X)
    n = 1
    for size in shape:
        n *= int(size)
    return n


def _cores() -> int:
    """Physical cores this process may use (affinity and cgroup quota included)."""
    return max(1, cpu_count(only_physical_cores=True))


def _openmp_ceiling() -> int | None:
    """The OpenMP limit in effect in this thread (the lowest over the loaded
    OpenMP libraries), or None if none is loaded."""
    counts = [
        info["num_threads"]
        for info in threadpool_info()
        if info.get("user_api") == "openmp"
    ]
    return min(counts) if counts else None


def fit_threads(n_values: int, n_workers: int = 1) -> int | None:
    """OpenMP threads for each of ``n_workers`` workers of a fit.

    The rule of this module (or ``SKDISTILL_N_THREADS``), never above the
    limit in effect in the calling thread.

    Parameters
    ----------
    n_values : int
        Rows x columns of the fit's ``X``.
    n_workers : int, default=1
        Workers running at once (folds or candidates in parallel).

    Returns
    -------
    n_threads : int or None
        ``None`` with ``SKDISTILL_N_THREADS=none``: no limit.
    """
    setting = thread_setting()
    if setting == "none":
        return None
    n_workers = max(1, int(n_workers))
    if setting == "auto":
        n_threads = min(n_values // VALUES_PER_THREAD, (_cores() - 1) // n_workers)
    else:
        n_threads = setting // n_workers
    ceiling = _openmp_ceiling()
    if ceiling is not None:
        n_threads = min(n_threads, ceiling)
    return max(1, n_threads)


def _lightgbm_models(estimator: Any) -> list[tuple[str, Any]]:
    """The LightGBM models of ``estimator``: itself or nested, by parameter path.

    The path is ``""`` for the estimator itself, else the name of the
    parameter that holds the model (``"model"``, ``"steps__model"``...).
    Models inside a :class:`~sklearn.frozen.FrozenEstimator` are left out.
    """
    lightgbm = sys.modules.get("lightgbm")
    if lightgbm is None or estimator is None or isinstance(estimator, FrozenEstimator):
        return []
    model_class = lightgbm.LGBMModel
    found = [("", estimator)] if isinstance(estimator, model_class) else []
    try:
        params = estimator.get_params(deep=True)
    except (AttributeError, TypeError):
        return found
    frozen = [
        name for name, value in params.items() if isinstance(value, FrozenEstimator)
    ]
    for name, value in params.items():
        if isinstance(value, model_class) and not any(
            name.startswith(f"{prefix}__") for prefix in frozen
        ):
            found.append((name, value))
    return found


def _threads_unset(model: Any) -> bool:
    """Whether a LightGBM model leaves its thread count to LightGBM's default."""
    params = model.get_params(deep=False)
    return params.get("n_jobs") is None and all(
        params.get(alias) is None for alias in _LIGHTGBM_THREAD_ALIASES
    )


def _set_n_jobs(estimator: Any, path: str, value: Any, *, only_if: Any) -> None:
    """Set the ``n_jobs`` of the model at ``path`` if it is ``only_if``."""
    key = f"{path}__n_jobs" if path else "n_jobs"
    try:
        params = estimator.get_params(deep=True)
        if key in params and params[key] == only_if:
            estimator.set_params(**{key: value})
    except (AttributeError, TypeError, ValueError):
        pass


@dataclass
class ThreadLimit:
    """The limit :func:`limit_threads` applies, and what it changed.

    Attributes
    ----------
    n_threads : int or None
        OpenMP threads within the block (``None``: no limit).
    changed : list of (int, str)
        The LightGBM models given ``n_jobs=0``: the position of their
        estimator among those passed, and their parameter path in it.
    """

    n_threads: int | None
    changed: list[tuple[int, str]] = field(default_factory=list)

    def restore(self, *estimators: Any) -> None:
        """Give back ``n_jobs=None`` to the LightGBM models that were changed.

        Parameters
        ----------
        *estimators : estimator or None
            The estimators passed to :func:`limit_threads`, or their fitted
            clones (same positions and parameter paths): a fitted teacher or
            student shows the ``n_jobs`` its user gave. ``None`` is skipped.
        """
        for position, path in self.changed:
            if position < len(estimators) and estimators[position] is not None:
                _set_n_jobs(estimators[position], path, None, only_if=_OPENMP_DEFAULT)


@contextmanager
def limit_threads(n_threads: int | None, *estimators: Any) -> Iterator[ThreadLimit]:
    """Limit OpenMP to ``n_threads`` threads within the block.

    :func:`threadpoolctl.threadpool_limits` on every OpenMP library (in the
    calling thread), and ``n_jobs=0`` (OpenMP's default, hence the limit) on
    the LightGBM models of ``estimators`` whose thread count is unset; their
    ``n_jobs=None`` is given back at the end. Clones made within the block
    inherit ``n_jobs=0``: :meth:`ThreadLimit.restore` gives it back on fitted
    ones.

    Parameters
    ----------
    n_threads : int or None
        ``None``: nothing is limited or changed.
    *estimators : estimator or None
        The unfitted teacher and student whose clones are fitted in the
        block (a :class:`~sklearn.frozen.FrozenEstimator` is left alone).

    Yields
    ------
    limit : ThreadLimit
    """
    limit = ThreadLimit(n_threads)
    if n_threads is None:
        yield limit
        return
    for position, estimator in enumerate(estimators):
        for path, model in _lightgbm_models(estimator):
            if _threads_unset(model):
                _set_n_jobs(estimator, path, _OPENMP_DEFAULT, only_if=None)
                limit.changed.append((position, path))
    try:
        with threadpool_limits(limits=n_threads, user_api="openmp"):
            yield limit
    finally:
        limit.restore(*estimators)


class InWorker:
    """A function run under an OpenMP limit (picklable, for joblib's workers).

    A joblib worker, a thread or a process, starts from OpenMP's default:
    the limit of the caller does not reach it, so each task applies its own.
    """

    def __init__(self, function: Callable[..., Any], n_threads: int | None) -> None:
        self.function = function
        self.n_threads = n_threads

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with limit_threads(self.n_threads):
            return self.function(*args, **kwargs)
