"""Strategies and checks shared by the property-based (fuzz) tests.

Tables are drawn column by column: hypothesis draws each column's kind, a
small pool of values (where it finds the extreme values: huge, tiny, empty,
odd unicode), the share of missing cells and a seed; the cells are then
filled from the pool with numpy, so that a table of 500 columns costs a few
draws per column rather than one per cell, and still shrinks column by
column. A :class:`TableSpec` draws a training table and, from the same
columns, a table to predict (fewer or more rows, values unseen in fit).

:func:`check_clear_error` is the property every failure must have: a
``ValueError`` or ``TypeError`` raised by skdistill or by scikit-learn (its
input validation included), with a short, non-empty message.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import event
from hypothesis import strategies as st

# -- errors ------------------------------------------------------------------------

#: Modules whose errors are the library's own or scikit-learn's.
OWN_PACKAGES = ("skdistill", "sklearn")
#: scikit-learn's input validation: it converts X and y with numpy and pandas,
#: whose own errors ("could not convert string to float: 'a'") it lets through.
VALIDATION_MODULES = (
    "sklearn.utils.validation",
    "sklearn.utils._array_api",
    # check_classification_targets sorts the labels with numpy: labels of
    # mixed types (["a", 0]) raise numpy's TypeError, or sklearn's
    # "Unknown label type" when the first label is not a string (upstream).
    "sklearn.utils.multiclass",
)
#: Also count each error message (its start) among hypothesis's events.
DETAILED_EVENTS = bool(os.environ.get("FUZZ_DETAILED_EVENTS"))
#: A longer message (or one of more lines) dumps the data rather than
#: describing it.
MAX_MESSAGE = 2000
MAX_MESSAGE_LINES = 20


def _tb_modules(exc: BaseException) -> list[tuple[str, str, int]]:
    """(module, file, line) of each frame of ``exc``'s traceback, outermost first."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        frames.append(
            (
                frame.f_globals.get("__name__", "?"),
                frame.f_code.co_filename,
                tb.tb_lineno,
            )
        )
        tb = tb.tb_next
    return frames


def _package(module: str) -> str:
    return module.split(".", 1)[0]


def error_origin(exc: BaseException) -> str:
    """``module:line`` of the innermost frame that raised ``exc``."""
    frames = _tb_modules(exc)
    if not frames:
        return "?"
    module, _, line = frames[-1]
    return f"{module}:{line}"


def is_clear_error(exc: BaseException) -> bool:
    """Whether ``exc`` is a clear ValueError/TypeError of skdistill or scikit-learn.

    Raised by a frame of skdistill or scikit-learn, or by numpy or pandas
    called from scikit-learn's validation (below its deepest validation
    frame, no other library's code); with a message that is not empty and
    does not dump the data (at most 2,000 characters and 20 lines).
    """
    if not isinstance(exc, (ValueError, TypeError)):
        return False
    modules = [module for module, _, _ in _tb_modules(exc)]
    if not modules:
        return False
    raised_by_us = _package(modules[-1]) in OWN_PACKAGES
    validation = [i for i, module in enumerate(modules) if module in VALIDATION_MODULES]
    if validation and not raised_by_us:
        below = modules[validation[-1] + 1 :]
        raised_by_us = all(
            _package(module) in ("sklearn", "numpy", "pandas") for module in below
        )
    message = str(exc).strip()
    short = len(message) <= MAX_MESSAGE and message.count("\n") < MAX_MESSAGE_LINES
    return raised_by_us and bool(message) and short


def check_clear_error(exc: BaseException, what: str, excuse: Any = None) -> None:
    """Fail (chained to ``exc``) unless ``exc`` is a clear error (see module doc).

    ``excuse(exc)``, if given, may accept an unclear error all the same (see
    the upstream errors of ``test_estimators``); hypothesis counts those.
    The AssertionError is raised ``from exc``, so that hypothesis tells
    failures apart by where ``exc`` was raised, and reports each one.
    """
    if is_clear_error(exc):
        return
    if excuse is not None and excuse(exc):
        event(f"{what}: excused {type(exc).__name__} from {error_origin(exc)}")
        return
    message = str(exc)
    shown = message if len(message) <= 300 else message[:300] + "..."
    raise AssertionError(
        f"{what} failed with an unclear error: {type(exc).__module__}."
        f"{type(exc).__qualname__} raised in {error_origin(exc)} "
        f"({len(message)} characters): {shown!r}"
    ) from exc


def attempt(
    what: str, func: Any, *args: Any, excuse: Any = None, **kwargs: Any
) -> tuple[Any, Any]:
    """``(func(*args, **kwargs), None)``, or ``(None, error)`` for a clear error.

    Any other exception fails the test (see :func:`check_clear_error`).
    """
    try:
        result = func(*args, **kwargs)
    except Exception as exc:  # checked: only clear errors pass
        check_clear_error(exc, what, excuse)
        event(f"{what}: {type(exc).__name__} from {_package(error_origin(exc))}")
        if DETAILED_EVENTS:
            event(f"{what}: {str(exc)[:70]}")
        return None, exc
    event(f"{what}: ok")
    return result, None


# -- inputs are not modified ------------------------------------------------------


def snapshot(obj: Any) -> Any:
    """A deep copy of an input, to compare with it after the call."""
    return copy.deepcopy(obj)


def assert_unchanged(before: Any, after: Any, name: str) -> None:
    """``after`` equals its ``before`` snapshot: values, dtypes, index, categories."""
    if isinstance(before, pd.DataFrame):
        pd.testing.assert_frame_equal(after, before, check_exact=True, obj=name)
    elif isinstance(before, pd.Series):
        pd.testing.assert_series_equal(after, before, check_exact=True, obj=name)
    elif isinstance(before, np.ndarray):
        assert isinstance(after, np.ndarray), f"{name} is no longer an array"
        assert after.dtype == before.dtype, (
            f"{name} changed dtype: {before.dtype} -> {after.dtype}"
        )
        assert after.shape == before.shape, f"{name} changed shape"
        if before.dtype.kind == "O":
            same = [
                (a is b) or (a == b) or (_is_missing(a) and _is_missing(b))
                for a, b in zip(
                    before.ravel().tolist(), after.ravel().tolist(), strict=True
                )
            ]
            assert all(same), f"{name} was modified in place"
        else:
            np.testing.assert_array_equal(after, before, err_msg=f"{name} modified")
    elif before is not None:
        assert after == before, f"{name} was modified"


def _is_missing(value: Any) -> bool:
    return (
        value is None or value is pd.NA or (isinstance(value, float) and value != value)
    )


# -- outputs ------------------------------------------------------------------------


def check_proba(proba: Any, n_rows: int, n_classes: int) -> None:
    """Probabilities: shape (n_rows, n_classes), in [0, 1], rows summing to 1."""
    proba = np.asarray(proba)
    assert proba.shape == (n_rows, n_classes), (
        f"predict_proba has shape {proba.shape}, expected {(n_rows, n_classes)}"
    )
    assert np.isfinite(proba).all(), f"predict_proba is not finite: {proba}"
    assert ((proba >= 0) & (proba <= 1)).all(), f"probabilities not in [0, 1]: {proba}"
    np.testing.assert_allclose(
        proba.sum(axis=1), 1.0, rtol=0, atol=1e-6, err_msg="rows do not sum to 1"
    )


def check_labels(labels: Any, n_rows: int, classes: Any) -> None:
    """Predicted labels: shape (n_rows,), each one of ``classes``."""
    labels = np.asarray(labels)
    assert labels.shape == (n_rows,), (
        f"predict has shape {labels.shape}, expected {(n_rows,)}"
    )
    known = set(np.asarray(classes).tolist())
    unknown = [label for label in labels.tolist() if label not in known]
    assert not unknown, f"predicted labels {unknown[:5]} not among classes_ {known}"


def check_regression(pred: Any, n_rows: int, n_outputs: int | None) -> None:
    """Regression predictions: finite, of shape (n_rows,) or (n_rows, n_outputs)."""
    pred = np.asarray(pred)
    expected = (n_rows,) if n_outputs is None else (n_rows, n_outputs)
    assert pred.shape == expected, (
        f"predict has shape {pred.shape}, expected {expected}"
    )
    # Numbers; an object array of them too (Ridge's, on category columns).
    pred = pred.astype(np.float64)
    assert np.isfinite(pred).all(), f"non-finite predictions: {pred}"


# -- tables ----------------------------------------------------------------------------

#: Column kinds: numpy dtypes, pandas nullable ones, text, categories, objects.
NUMERIC_KINDS = ("float64", "float32", "int64", "uint8", "bool")
NULLABLE_KINDS = ("Int64", "Float64", "boolean")
TEXT_KINDS = ("str", "string", "category", "object")
ALL_KINDS = NUMERIC_KINDS + NULLABLE_KINDS + TEXT_KINDS
#: Kinds that hold a missing value (NaN, None or pd.NA).
MISSING_KINDS = ("float64", "float32", *NULLABLE_KINDS, *TEXT_KINDS)

INT64 = np.iinfo(np.int64)

# Short text, including the empty string, spaces and any unicode (no surrogates).
texts = st.text(max_size=4)
finite_floats = st.floats(allow_nan=False, allow_infinity=False)
# Mostly moderate values, sometimes anything down to subnormals and up to 1e308.
floats = st.one_of(
    st.floats(-1e3, 1e3, allow_nan=False),
    st.integers(-5, 5).map(float),
    finite_floats,
)
targets = st.one_of(
    st.floats(-1e3, 1e3, allow_nan=False),
    st.integers(-5, 5).map(float),
    st.floats(-1e150, 1e150, allow_nan=False),
)
ints = st.one_of(
    st.integers(-5, 5), st.integers(-1000, 1000), st.integers(INT64.min, INT64.max)
)


def _pool_values(kind: str, infinite: bool) -> st.SearchStrategy:
    """Distinct non-missing values a column of ``kind`` takes."""
    if kind in ("float64", "Float64"):
        return floats | st.sampled_from([np.inf, -np.inf]) if infinite else floats
    if kind == "float32":
        values = st.floats(-1e3, 1e3, width=32, allow_nan=False) | st.floats(
            width=32, allow_nan=False, allow_infinity=infinite
        )
        return values
    if kind in ("int64", "Int64"):
        return ints
    if kind == "uint8":
        return st.integers(0, 255)
    if kind in ("bool", "boolean"):
        return st.booleans()
    if kind == "object":  # Python objects of mixed types
        return st.one_of(texts, st.integers(-5, 5), floats, st.booleans())
    if kind == "category":
        return texts | st.integers(-5, 5)
    return texts


@dataclass
class ColumnSpec:
    """One column: its kind, the values it draws from, its share of missing cells."""

    kind: str
    pool: list
    unseen: list
    missing: float
    seed: int

    def values(self, n_rows: int, rng: np.random.RandomState, fresh: bool) -> Any:
        """``n_rows`` cells; with ``fresh``, also values the pool never had."""
        pool = self.pool + self.unseen if fresh and self.unseen else self.pool
        picks = rng.randint(len(pool), size=n_rows)
        cells = [pool[i] for i in picks]
        missing = rng.random_sample(n_rows) < self.missing
        kind = self.kind
        if kind in ("float64", "float32"):
            array = np.array(cells, dtype=np.float64)
            array[missing] = np.nan
            return array.astype(kind)
        if kind in ("int64", "uint8", "bool"):
            return np.array(cells, dtype=kind)
        if kind in NULLABLE_KINDS:
            series = pd.array(cells, dtype=kind)
            series[missing] = pd.NA
            return series
        if kind == "category":
            text_pool = [*self.pool, *self.unseen]
            categories = list(dict.fromkeys(text_pool if fresh else self.pool))
            array = pd.Categorical(
                [None if m else c for c, m in zip(cells, missing, strict=True)],
                categories=_sorted_if_possible(categories),
            )
            return array
        if kind == "object":
            array = np.empty(n_rows, dtype=object)
            array[:] = [None if m else c for c, m in zip(cells, missing, strict=True)]
            return array
        dtype = "str" if kind == "str" else pd.StringDtype("python")
        return pd.array(
            [None if m else c for c, m in zip(cells, missing, strict=True)], dtype=dtype
        )


def _sorted_if_possible(values: list) -> list:
    try:
        return sorted(values)
    except TypeError:
        return values


@dataclass
class TableSpec:
    """The columns of a table, its type (array or DataFrame) and column names."""

    columns: list[ColumnSpec]
    names: list
    as_frame: bool
    array_dtype: str | None = None

    @property
    def n_columns(self) -> int:
        return len(self.columns)

    def make(self, n_rows: int, seed: int, *, fresh: bool = False) -> Any:
        """A table of ``n_rows`` rows (a DataFrame or a numpy array)."""
        rng = np.random.RandomState(seed)
        data = {j: col.values(n_rows, rng, fresh) for j, col in enumerate(self.columns)}
        if self.as_frame:
            frame = pd.DataFrame(data, index=pd.RangeIndex(n_rows))
            frame.columns = pd.Index(self.names, dtype=object, tupleize_cols=False)
            return frame
        if self.array_dtype == "object":
            array = np.empty((n_rows, self.n_columns), dtype=object)
            for j, values in data.items():
                array[:, j] = np.asarray(values, dtype=object)
            return array
        array = np.empty((n_rows, self.n_columns), dtype=self.array_dtype)
        for j, values in data.items():
            array[:, j] = values
        return array


#: Mostly a few columns, sometimes many (up to 500).
COLUMN_COUNTS = st.one_of(
    st.integers(1, 3), st.integers(1, 6), st.integers(1, 6), st.integers(7, 500)
)
#: Column kinds of a table: mostly plain numbers, which every model takes, so
#: that most fits succeed and their predictions are checked; else anything.
TABLE_KINDS = st.sampled_from(
    [
        ("float64",),
        ("float64", "int64"),
        NUMERIC_KINDS,
        NUMERIC_KINDS,
        NUMERIC_KINDS + NULLABLE_KINDS,
        ("float64", "category"),
        ALL_KINDS,
        ALL_KINDS,
    ]
)
#: At most this many distinct column specs; wider tables repeat them (with
#: their own seeds), so that drawing 500 columns costs a few dozen draws.
MAX_DISTINCT_COLUMNS = 8


@st.composite
def column_specs(draw: Any, kinds: tuple[str, ...], allow_missing: bool) -> ColumnSpec:
    """A column: its kind, its values (one value: constant), missing share, seed."""
    kind = draw(st.sampled_from(kinds))
    infinite = allow_missing and draw(st.sampled_from([False] * 4 + [True]))
    values = _pool_values(kind, infinite)
    pool = draw(st.lists(values, min_size=1, max_size=6, unique_by=_key))
    unseen = draw(st.lists(values, max_size=2, unique_by=_key))
    unseen = [v for v in unseen if _key(v) not in {_key(p) for p in pool}]
    missing = 0.0
    if allow_missing and kind in MISSING_KINDS:
        missing = draw(st.sampled_from([0.0, 0.0, 0.0, 0.1, 0.5, 1.0]))
    return ColumnSpec(kind, pool, unseen, missing, draw(seeds))


def _key(value: Any) -> tuple:
    """Distinctness of pool values: 1, 1.0 and True are different cells."""
    if isinstance(value, float) and value == 0:
        return (float, 0.0)  # 0.0 and -0.0: one value
    return (type(value), value)


@st.composite
def column_names(draw: Any, n_columns: int) -> list:
    """Unique string names (mostly), integer names, or names of mixed types."""
    style = draw(st.sampled_from(["str", "str", "str", "str", "int", "mixed", "text"]))
    if style == "int":
        return list(range(n_columns))
    if style == "mixed" and n_columns > 1:
        return [f"c{j}" if j % 2 else j for j in range(n_columns)]
    if style == "text" and n_columns <= 10:
        return draw(
            st.lists(
                st.text(max_size=5), min_size=n_columns, max_size=n_columns, unique=True
            )
        )
    return [f"c{j}" for j in range(n_columns)]


def _repeat(specs: list[ColumnSpec], n_columns: int) -> list[ColumnSpec]:
    """``n_columns`` columns cycling through ``specs``, each with its own seed."""
    return [
        ColumnSpec(
            **{**vars(specs[j % len(specs)]), "seed": specs[j % len(specs)].seed + j}
        )
        for j in range(n_columns)
    ]


@st.composite
def table_specs(
    draw: Any,
    *,
    kinds: tuple[str, ...] | None = None,
    frame: bool | None = None,
    allow_missing: bool | None = None,
) -> TableSpec:
    """A table's columns; a DataFrame (any kind) or a numpy array (one dtype).

    ``kinds=None`` draws them from :data:`TABLE_KINDS`; ``frame=None`` draws
    a DataFrame or an array: an array has numeric columns of one dtype, or
    is an object array (text and numbers) when ``kinds`` holds ``object``.
    ``allow_missing=None``: missing and infinite values in one table of three.
    """
    kinds = draw(TABLE_KINDS) if kinds is None else kinds
    if allow_missing is None:
        allow_missing = draw(st.sampled_from([False, False, True]))
    as_frame = draw(st.booleans()) if frame is None else frame
    n_columns = draw(COLUMN_COUNTS)
    n_distinct = min(n_columns, MAX_DISTINCT_COLUMNS)
    if as_frame:
        specs = [draw(column_specs(kinds, allow_missing)) for _ in range(n_distinct)]
        return TableSpec(_repeat(specs, n_columns), draw(column_names(n_columns)), True)
    choices = [k for k in kinds if k in NUMERIC_KINDS]
    if "object" in kinds or not choices:
        choices.append("object")
    dtype = draw(st.sampled_from(choices))
    if dtype == "object":
        column_kinds: tuple[str, ...] = ("object", "float64", "int64")
    else:
        column_kinds = (dtype,)
    specs = [draw(column_specs(column_kinds, allow_missing)) for _ in range(n_distinct)]
    return TableSpec(_repeat(specs, n_columns), list(range(n_columns)), False, dtype)


#: Mostly a few dozen rows; sometimes none, one or two; sometimes 200.
ROW_COUNTS = st.one_of(
    st.integers(3, 40),
    st.integers(3, 40),
    st.integers(3, 40),
    st.integers(3, 40),
    st.integers(3, 40),
    st.integers(41, 200),
    st.integers(0, 2),
)
seeds = st.integers(0, 2**16)


# -- targets ---------------------------------------------------------------


#: Label values by kind: hypothesis draws a few odd ones (huge integers,
#: empty or odd text), the others are plain (see :func:`class_targets`).
LABEL_VALUES: dict[str, st.SearchStrategy] = {
    "int": st.integers(-3, 3) | st.integers(INT64.min, INT64.max),
    "str": st.text(max_size=3),
    "bool": st.booleans(),
    "float": st.floats(-10, 10, allow_nan=False) | st.integers(-3, 3).map(float),
    "mixed": st.one_of(st.integers(-3, 3), st.text(max_size=2)),
}


def _plain_label(kind: str, i: int) -> Any:
    return {"int": 100 + i, "str": f"class {i}", "float": i + 0.5}.get(kind, i)


@st.composite
def class_targets(draw: Any, n_rows: int, *, max_classes: int = 8) -> np.ndarray:
    """Class labels: one class, two, many, tiny ones; ints, strings, bools, mixes.

    Mostly 2 or 3 classes of integers or strings, every class present.
    """
    upper = max(2, min(max_classes, n_rows))
    n_classes = draw(
        st.one_of(
            st.integers(2, 3),
            st.integers(2, 3),
            st.integers(2, upper),
            st.integers(1, max(2, n_rows)),  # one class, or as many as rows
        )
    )
    kind = draw(st.sampled_from(["int"] * 4 + ["str"] * 4 + ["bool", "float", "mixed"]))
    if kind == "bool":
        n_classes = min(n_classes, 2)
    odd = draw(st.lists(LABEL_VALUES[kind], max_size=min(n_classes, 3), unique_by=_key))
    labels = list(odd)
    seen = {_key(label) for label in labels}
    i = 0
    while len(labels) < n_classes:
        label = _plain_label(kind, i)
        if _key(label) not in seen:
            labels.append(label)
            seen.add(_key(label))
        i += 1
    rng = np.random.RandomState(draw(seeds))
    skew = draw(st.sampled_from([0.0, 0.0, 1.0, 3.0]))  # tiny classes
    weights = np.exp(-skew * np.arange(len(labels)))
    picks = rng.choice(len(labels), size=n_rows, p=weights / weights.sum())
    every_class = draw(st.sampled_from([True, True, True, False]))
    if every_class and n_rows >= len(labels):
        picks[: len(labels)] = np.arange(len(labels))
        rng.shuffle(picks)
    if kind == "mixed":
        y = np.empty(n_rows, dtype=object)
        y[:] = [labels[i] for i in picks]
        return y
    return np.asarray([labels[i] for i in picks])


@st.composite
def regression_targets(draw: Any, n_rows: int) -> np.ndarray:
    """Numbers: moderate, huge, constant; rarely NaN or inf; sometimes 2 outputs.

    At most 1e150 in magnitude: a student regresses on the teacher's
    predictions, and a linear one squares and sums them, which overflows
    near 1e308 in scikit-learn itself (Ridge alone on such targets).
    """
    n_outputs = draw(st.sampled_from([None, None, None, 1, 2]))
    pool = draw(st.lists(targets, min_size=1, max_size=8))
    if draw(st.sampled_from([False] * 9 + [True])):
        pool.append(draw(st.sampled_from([np.nan, np.inf, -np.inf])))
    rng = np.random.RandomState(draw(seeds))
    shape = (n_rows,) if n_outputs is None else (n_rows, n_outputs)
    return np.asarray(pool, dtype=np.float64)[rng.randint(len(pool), size=shape)]


@st.composite
def sample_weights(draw: Any, n_rows: int) -> np.ndarray | None:
    """None (mostly), or non-negative weights, zeros included."""
    if draw(st.sampled_from([True, True, True, False])):
        return None
    pool = draw(st.lists(st.sampled_from([1.0, 0.5, 3.0, 0.0, 1e-8, 1e6]), min_size=1))
    rng = np.random.RandomState(draw(seeds))
    return np.asarray(pool)[rng.randint(len(pool), size=n_rows)]


def reordered(X: Any, rng: np.random.RandomState) -> Any:
    """X with its columns in another order (a DataFrame only)."""
    if isinstance(X, pd.DataFrame) and X.shape[1] > 1:
        return X.iloc[:, rng.permutation(X.shape[1])]
    return X
