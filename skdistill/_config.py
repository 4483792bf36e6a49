"""skdistill's global configuration, and the memory guard it sets.

One setting for now, ``memory_limit``: the largest allocation skdistill
makes without asking. Before it allocates a transfer set (synthetic rows
and the teacher's outputs on them), the weighted strategy's row expansion
or an augmenter's rows, it estimates their bytes and raises
:class:`MemoryLimitError`, naming the parameter to lower, when the estimate
is above the limit. The default, ``"auto"``, is 80% of the memory
available when the check runs (within a container, under its limit).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from numbers import Real
from typing import Any

import joblib
import numpy as np

_DEFAULTS = {"memory_limit": "auto"}
_local = threading.local()


def _config() -> dict[str, Any]:
    if not hasattr(_local, "config"):
        _local.config = dict(_DEFAULTS)
        env = os.environ.get("SKDISTILL_MEMORY_LIMIT")
        if env is not None:
            _local.config["memory_limit"] = _check_limit(env, "SKDISTILL_MEMORY_LIMIT")
    return _local.config


def get_config() -> dict[str, Any]:
    """The current values of skdistill's settings (see :func:`set_config`).

    Returns
    -------
    config : dict
        Keys are the parameter names of :func:`set_config`.

    Examples
    --------
    >>> from skdistill import get_config
    >>> "memory_limit" in get_config()
    True
    """
    return dict(_config())


def set_config(memory_limit: int | str | None = None) -> None:
    """Set skdistill's settings (for this thread; see :func:`config_context`).

    Parameters
    ----------
    memory_limit : int, str or None, default=None
        The largest allocation, in bytes, that skdistill makes without
        asking: a transfer set (synthetic rows and the teacher's outputs), the
        weighted strategy's row expansion, an augmenter's rows. Above it, a
        :class:`MemoryLimitError` says which parameter to lower, before
        anything large is allocated. An int is bytes; a string is
        ``"auto"`` (80% of the memory available when the check runs, within
        a container's limit: the default), ``"none"`` (no limit), or a size
        such as ``"32GiB"``, ``"500MB"``, ``"2e9"``. ``None`` leaves it unchanged. The
        environment variable ``SKDISTILL_MEMORY_LIMIT`` sets the starting
        value.

    Examples
    --------
    >>> from skdistill import get_config, set_config
    >>> set_config(memory_limit="64GiB")
    >>> get_config()["memory_limit"]
    68719476736
    >>> set_config(memory_limit="auto")
    """
    if memory_limit is not None:
        _config()["memory_limit"] = _check_limit(memory_limit, "memory_limit")


@contextmanager
def config_context(*, memory_limit: int | str | None = None) -> Iterator[None]:
    """Settings of :func:`set_config` within a ``with`` block only.

    Parameters
    ----------
    memory_limit : int, str or None, default=None
        As in :func:`set_config`.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill import config_context
    >>> from skdistill.augment import RandomPerturbation
    >>> X = np.zeros((100, 10))
    >>> with config_context(memory_limit="1KiB"):
    ...     RandomPerturbation(size=2.0).generate(X)
    Traceback (most recent call last):
    ...
    skdistill.MemoryLimitError: RandomPerturbation.generate (200 rows of 10 ...
    """
    old = get_config()
    set_config(memory_limit=memory_limit)
    try:
        yield
    finally:
        _config().update(old)


class _WithConfig:
    """A function run under given settings (picklable, for joblib's workers)."""

    def __init__(self, function: Any, config: dict[str, Any]) -> None:
        self.function = function
        self.config = config

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with config_context(**self.config):
            return self.function(*args, **kwargs)


def delayed(function: Any) -> Any:
    """:func:`joblib.delayed` that carries the caller's settings to the worker.

    The settings are per thread, and a joblib worker (a thread or a process)
    starts from the defaults; as :func:`sklearn.utils.parallel.delayed` does
    for scikit-learn's configuration, the settings of the thread that builds
    the task are applied around the call.
    """
    return joblib.delayed(_WithConfig(function, get_config()))


class MemoryLimitError(MemoryError, ValueError):
    """An allocation estimated above ``memory_limit`` (see :func:`set_config`).

    A :class:`MemoryError` raised before the allocation, and a
    :class:`ValueError` (the parameter that asked for it is too large).
    """


_UNITS = {
    "": 1,
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}


def _check_limit(value: Any, name: str) -> int | str:
    """``memory_limit`` as bytes, or ``"auto"`` / ``"none"``."""
    if isinstance(value, bool) or not isinstance(value, (Real, str)):
        raise TypeError(
            f"{name} must be a number of bytes or a string such as '32GiB', "
            f"'auto' or 'none'; got a {type(value).__name__}."
        )
    n_bytes = None
    if isinstance(value, Real):
        n_bytes = float(value)
    else:
        text = value.strip().lower()
        if text in ("auto", "none"):
            return text
        match = re.fullmatch(r"([0-9]*\.?[0-9]+(?:e\+?[0-9]+)?)\s*([kmgt]i?b|b)?", text)
        if match:
            n_bytes = float(match[1]) * _UNITS[match[2] or ""]
    if n_bytes is None or not np.isfinite(n_bytes) or n_bytes < 1:
        raise ValueError(
            f"{name} must be at least 1 byte: a number of bytes, a size such as "
            f"'32GiB' or '500MB', 'auto' or 'none'; got {value!r}."
        )
    return int(n_bytes)


def available_memory() -> int | None:
    """Bytes of memory available now, or None if unknown.

    Linux's ``MemAvailable``, and within a container the room left under its
    cgroup's limit (``memory.max`` less ``memory.current``), whichever is
    smaller.
    """
    amounts = [_meminfo_available(), _cgroup_available()]
    known = [a for a in amounts if a is not None]
    return min(known) if known else None


def _meminfo_available() -> int | None:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


# cgroup v2, then v1: (limit, usage) files.
_CGROUP_FILES = (
    ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
    (
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
        "/sys/fs/cgroup/memory/memory.usage_in_bytes",
    ),
)


def _cgroup_available() -> int | None:
    for limit_file, usage_file in _CGROUP_FILES:
        try:
            with open(limit_file) as f:
                limit = f.read().strip()
            with open(usage_file) as f:
                usage = int(f.read().strip())
        except (OSError, ValueError):
            continue
        if limit == "max" or int(limit) >= 2**60:  # no limit
            return None
        return max(int(limit) - usage, 0)
    return None


# The share of the available memory that "auto" allows.
AUTO_SHARE = 0.8


def memory_limit() -> int | None:
    """The limit in bytes now (``"auto"``: 80% of the available memory), or None."""
    limit = _config()["memory_limit"]
    if limit == "none":
        return None
    if limit == "auto":
        available = available_memory()
        return None if available is None else int(available * AUTO_SHARE)
    return int(limit)


def check_allocation(n_bytes: float, what: str, lower: str) -> None:
    """Raise :class:`MemoryLimitError` if ``n_bytes`` is above the limit.

    Parameters
    ----------
    n_bytes : float
        The estimated size of the allocation.
    what : str
        What would be allocated (starts the message).
    lower : str
        The parameters to lower, and how (ends the message).
    """
    limit = memory_limit()
    if limit is None or n_bytes <= limit:
        return
    setting = _config()["memory_limit"]
    source = "80% of the available memory" if setting == "auto" else "memory_limit"
    raise MemoryLimitError(
        f"{what} would allocate about {format_bytes(n_bytes)}, above the limit of "
        f"{format_bytes(limit)} ({source}). {lower} To allow it, raise the limit: "
        "skdistill.set_config(memory_limit='64GiB') or 'none', or the environment "
        "variable SKDISTILL_MEMORY_LIMIT."
    )


def format_bytes(n_bytes: float) -> str:
    """A size for a message: ``1.1 TiB``, ``512.0 MiB``."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n_bytes < 1024 or unit == "TiB":
            return f"{n_bytes:.1f} {unit}" if unit != "B" else f"{n_bytes:.0f} B"
        n_bytes /= 1024
    return f"{n_bytes:.1f} PiB"  # pragma: no cover


def row_bytes(X: Any) -> float:
    """Bytes of one row of X (dense, sparse or a DataFrame), on average."""
    n_rows = max(X.shape[0], 1)
    if hasattr(X, "memory_usage") and hasattr(X, "columns"):
        return float(X.memory_usage(index=False, deep=False).sum()) / n_rows
    if hasattr(X, "nnz"):
        return (X.data.itemsize + X.indices.itemsize) * X.nnz / n_rows
    X = np.asarray(X)
    return float(X.dtype.itemsize * (X.shape[1] if X.ndim > 1 else 1))
