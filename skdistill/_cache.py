"""The ``memory`` cache of transfer sets: its key, and safe reading and writing.

A cache entry is stored by :class:`joblib.Memory` as a pickle, so a cache
directory is trusted like code: loading a planted entry runs it. What this
module adds to joblib:

- **The key covers code.** joblib pickles a module-level function by
  reference (its module and name), so a function redefined under the same
  name would hit the old entry. :func:`cache_key` hashes callables by their
  code (:func:`code_digest`: bytecode, constants, defaults, closure, and the
  module-level functions and constants they use) and estimators by their
  class and parameters, recursively; what it cannot hash is refused with a
  message that names the parameter and never prints the data.
- **A bad entry is recomputed, with a warning**: one that cannot be read
  (joblib logs it) or that holds something other than a transfer set of the
  right size.
- **An unusable location falls back** to computing without a cache, with a
  warning, when the cache directory cannot be created.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import types
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import joblib
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_memory

from ._fit_params import _caller_stacklevel

# Functions and classes from these packages are keyed by name: their code
# changes with their version, not under a running program (skdistill's own,
# few and small, are keyed by their code like the user's).
_KEYED_BY_NAME = ("builtins", "numpy", "scipy", "pandas", "sklearn", "lightgbm")


class UnkeyableError(TypeError):
    """A value that the cache key cannot cover (raised by :func:`cache_key`)."""


def code_digest(func: Callable[..., Any], _seen: set[int] | None = None) -> str:
    """A hash of what a callable does: its code, not its name.

    A Python function is hashed by its bytecode, constants (nested
    functions included), names, defaults, closure, and the module-level
    functions and constants of its own module that it uses (recursively).
    A ``functools.partial`` adds its arguments, a bound method its object, a
    callable object its class's methods and its attributes. Builtins and
    functions of installed libraries (numpy, scikit-learn, ...) are hashed
    by their qualified name.

    Raises
    ------
    UnkeyableError
        If a default, closure value or argument cannot be hashed.

    Examples
    --------
    >>> def double(x):
    ...     return 2 * x
    >>> first = code_digest(double)
    >>> def double(x):
    ...     return 3 * x
    >>> code_digest(double) == first
    False
    """
    seen = set() if _seen is None else _seen
    if id(func) in seen:  # recursion (a function calling itself)
        return "recursive"
    seen.add(id(func))
    if isinstance(func, functools.partial):
        parts: Any = (
            code_digest(func.func, seen),
            [value_key(a, seen) for a in func.args],
            {k: value_key(v, seen) for k, v in func.keywords.items()},
        )
    elif isinstance(func, types.MethodType):
        parts = (code_digest(func.__func__, seen), value_key(func.__self__, seen))
    elif isinstance(func, types.FunctionType) and not _by_name(func):
        parts = _function_parts(func, seen)
    elif isinstance(func, (types.FunctionType, types.BuiltinFunctionType, type)):
        parts = _qualified_name(func)
    elif callable(func) and not _by_name(type(func)):
        parts = (_class_key(type(func), seen), _attributes_key(func, seen))
    else:
        parts = _qualified_name(type(func)), _attributes_key(func, seen)
    return _hash(parts, what=f"the callable {_qualified_name(func)}")


def value_key(value: Any, _seen: set[int] | None = None) -> Any:
    """A hashable stand-in of ``value`` for the cache key.

    Callables are replaced by :func:`code_digest`; an estimator by its class
    and (recursively) its attributes, which are its parameters and, once
    fitted, its fitted state (a frozen teacher is keyed by its model);
    lists, tuples and dicts element-wise; anything else is hashed by
    joblib (arrays and DataFrames by content).

    Raises
    ------
    UnkeyableError
        If ``value`` or a part of it cannot be hashed (for example an object
        that cannot be pickled).
    """
    seen = set() if _seen is None else _seen
    if isinstance(value, BaseEstimator):
        return _class_key(type(value), seen), _attributes_key(value, seen)
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [value_key(v, seen) for v in value]
    if isinstance(value, dict):
        return {k: value_key(v, seen) for k, v in value.items()}
    if callable(value) and not isinstance(value, type):
        return code_digest(value, seen)
    return _hash(value, what=f"a value of type {type(value).__name__}")


def cache_key(parts: dict[str, Any]) -> str:
    """The key of a cache entry: one hash over ``parts``, keyed by name.

    ``parts`` maps the name of each input (as the user knows it: ``teacher``,
    ``augment``, ``X``, ...) to its value. Estimators and callables are
    keyed by :func:`value_key`, a frozen (prefit) model by its full state,
    data by content.

    Raises
    ------
    TypeError
        Naming the input that cannot be keyed and what to do; the message
        never includes the data.
    """
    keyed = {}
    for name, value in parts.items():
        try:
            keyed[name] = value_key(value)
        except UnkeyableError as exc:
            raise TypeError(
                f"memory is set but the {name} cannot be part of the cache key: "
                f"{exc} Use module-level functions and picklable values for it, "
                "or set memory=None."
            ) from None
    return _hash(keyed, what="the cache key")


@contextmanager
def _unreadable_entries_warn() -> Any:
    """Turn joblib's log of an unreadable cache entry into one warning.

    joblib recomputes an entry it cannot load and logs the traceback (on its
    ``joblib`` logger); that record is held back by a filter, and the user
    gets a one-line ``UserWarning`` instead.
    """
    logger = logging.getLogger("joblib")
    unreadable: list[logging.LogRecord] = []

    thread = threading.get_ident()

    def hold_back(record: logging.LogRecord) -> bool:
        # Only this thread's record: another fit may log at the same time.
        if record.thread == thread and "Exception while loading results" in str(
            record.msg
        ):
            unreadable.append(record)
            return False
        return True

    logger.addFilter(hold_back)
    try:
        yield
    finally:
        logger.removeFilter(hold_back)
    if unreadable:
        warnings.warn(
            "A cache entry of memory could not be read (corrupt, or written by "
            "another version of a library); it was recomputed and stored again.",
            UserWarning,
            stacklevel=_caller_stacklevel(),
        )


def cached_call(
    memory: Any,
    func: Callable[..., Any],
    key: str,
    kwargs: dict[str, Any],
    *,
    is_valid: Callable[[Any], bool],
) -> Any:
    """``func(**kwargs)``, stored in ``memory`` under ``key``.

    ``memory`` is a cache directory or a :class:`joblib.Memory` (or
    anything with its ``cache`` method). The entry is looked up by ``key``
    alone (``kwargs`` are not hashed again). An entry that cannot be read,
    or for which ``is_valid`` is false, is recomputed and stored again, with
    a warning. A cache location that cannot be created gives a warning and
    an uncached call.
    """
    location = memory if isinstance(memory, (str, os.PathLike)) else None
    location = getattr(memory, "location", location)
    if isinstance(location, (str, os.PathLike)):
        try:
            os.makedirs(location, exist_ok=True)
        except OSError as exc:
            warnings.warn(
                f"The memory location {os.fspath(location)!r} cannot be created "
                f"({exc.strerror or exc}); fitting without a cache. Set memory to "
                "a writable directory, or None.",
                UserWarning,
                stacklevel=_caller_stacklevel(),
            )
            return func(**kwargs)
    memory = check_memory(memory)
    cached = memory.cache(_keyed_call, ignore=["func", "kwargs"])
    with _unreadable_entries_warn():
        result = cached(key, func, kwargs)
    if is_valid(result):
        return result
    warnings.warn(
        f"A cache entry of memory holds a {type(result).__name__}, not what this "
        "fit stored; it was recomputed and stored again.",
        UserWarning,
        stacklevel=_caller_stacklevel(),
    )
    if hasattr(cached, "call"):
        result = cached.call(key, func, kwargs)
        if (
            isinstance(result, tuple)
            and len(result) == 2
            and isinstance(result[1], dict)
        ):  # joblib >= 1.4 returns (output, metadata)
            result = result[0]
        return result
    return func(**kwargs)


def _keyed_call(key: str, func: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    """What the cache stores under ``key`` (``func`` and ``kwargs`` not hashed)."""
    return func(**kwargs)


# -- helpers --------------------------------------------------------------------
def _hash(value: Any, *, what: str) -> str:
    try:
        return joblib.hash(value)
    except Exception as exc:  # pickling errors come in many types
        raise UnkeyableError(
            f"{what} cannot be hashed ({type(exc).__name__}: {_first_line(str(exc))})."
        ) from None


def _first_line(message: str, limit: int = 160) -> str:
    """The start of an error message (pickling errors can quote the data)."""
    line = message.strip().splitlines()[0] if message.strip() else ""
    return line if len(line) <= limit else line[:limit] + "..."


def _qualified_name(obj: Any) -> str:
    module = getattr(obj, "__module__", None) or type(obj).__module__
    name = getattr(obj, "__qualname__", None) or type(obj).__qualname__
    return f"{module}.{name}"


def _by_name(obj: Any) -> bool:
    """Whether ``obj`` (a function or class) comes from a library keyed by name."""
    module = getattr(obj, "__module__", None) or ""
    return module.split(".")[0] in _KEYED_BY_NAME


def _class_key(cls: type, seen: set[int]) -> Any:
    """A class: its name; for a user's class, also the code of its methods."""
    if _by_name(cls):
        return _qualified_name(cls)
    methods = {
        name: code_digest(member, seen)
        for klass in cls.__mro__
        if not _by_name(klass)
        for name, member in sorted(vars(klass).items())
        if isinstance(member, types.FunctionType)
    }
    return _qualified_name(cls), methods


def _attributes_key(obj: Any, seen: set[int]) -> Any:
    state = getattr(obj, "__dict__", None)
    if state is None:
        return _hash(obj, what=f"the object {_qualified_name(type(obj))}")
    return {k: value_key(v, seen) for k, v in sorted(state.items())}


def _code_parts(code: types.CodeType) -> Any:
    consts = [_constant_key(c) for c in code.co_consts]
    return code.co_code, consts, code.co_names, code.co_varnames


def _constant_key(const: Any) -> Any:
    """A code constant, stable across processes (``repr`` of a frozenset is not:
    its order follows ``PYTHONHASHSEED``)."""
    if isinstance(const, types.CodeType):
        return _code_parts(const)
    if isinstance(const, frozenset):
        return "frozenset", sorted(repr(_constant_key(c)) for c in const)
    if isinstance(const, tuple):
        return "tuple", [_constant_key(c) for c in const]
    return repr(const)


def _global_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def _function_parts(func: types.FunctionType, seen: set[int]) -> Any:
    closure = [
        value_key(cell.cell_contents, seen)
        for cell in (func.__closure__ or ())
        if _cell_is_set(cell)
    ]
    used = {}
    for name in sorted(_global_names(func.__code__)):
        if name not in func.__globals__:
            continue
        value = func.__globals__[name]
        if isinstance(value, types.ModuleType):
            used[name] = value.__name__
        elif isinstance(value, (types.FunctionType, type)) and (
            value.__module__ == func.__module__
        ):  # the module's own functions and classes: by their code
            used[name] = (
                _class_key(value, seen)
                if isinstance(value, type)
                else code_digest(value, seen)
            )
        elif isinstance(value, functools.partial):
            used[name] = code_digest(value, seen)
        elif isinstance(value, (bool, int, float, complex, str, bytes)):
            used[name] = repr(value)
        else:  # classes, library functions, other objects: by name and type
            used[name] = _qualified_name(value if callable(value) else type(value))
    return (
        _code_parts(func.__code__),
        value_key(func.__defaults__ or (), seen),
        value_key(func.__kwdefaults__ or {}, seen),
        closure,
        used,
    )


def _cell_is_set(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018
    except ValueError:  # an empty cell
        return False
    return True
