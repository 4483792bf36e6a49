"""Input checks shared by the estimators: DataFrames, missing values, grids."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    MaxAbsScaler,
    MinMaxScaler,
    RobustScaler,
    StandardScaler,
)
from sklearn.utils import get_tags
from sklearn.utils.validation import (
    _check_y,
    check_consistent_length,
    column_or_1d,
    validate_data,
)

#: The largest integer magnitude a float64 holds exactly (every smaller
#: integer too): integers beyond it cannot go through floats unchanged.
EXACT_FLOAT_INTEGER = 2**53


def _is_dataframe(X: Any) -> bool:
    """Whether ``X`` is a DataFrame (pandas, or anything indexed like one)."""
    return hasattr(X, "iloc") and hasattr(X, "columns")


def _check_dataframe_shape(X: Any, estimator: Any) -> None:
    """A DataFrame has at least one row and one column, as ``check_array`` asks.

    The DataFrame path skips ``check_array`` (to keep the dtypes), so its
    minimum sizes are checked here, with scikit-learn's message.
    """
    n_rows, n_columns = X.shape
    name = type(estimator).__name__
    if n_rows < 1:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 "
            f"is required by {name}."
        )
    if n_columns < 1:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={X.shape}) while a minimum of "
            f"1 is required by {name}."
        )


def _missing_labels(y: NDArray[Any]) -> NDArray[np.bool_]:
    """Which entries of a label array are missing (None, NaN of any float, NA)."""
    if y.dtype.kind == "f":
        return np.isnan(y)
    if y.dtype.kind != "O":
        return np.zeros(y.shape, dtype=bool)
    return np.asarray(pd.isna(y), dtype=bool)


def marker_example(labels: NDArray[Any]) -> str:
    """A marker of unlabelled rows of the labels' own type, for messages."""
    if any(isinstance(v, str) for v in labels.ravel()[:100].tolist()):
        return "'unlabeled'"
    return "-1"


def _check_no_missing_labels(y: NDArray[Any], *, marker: Any = None) -> None:
    """Refuse missing labels (None, NaN, NA) in a classifier's ``y``, clearly.

    ``marker`` is the distiller's ``unlabeled`` parameter, named in the hint.
    """
    missing = _missing_labels(y)
    if not missing.any():
        return
    first = int(np.flatnonzero(missing.reshape(missing.shape[0], -1).any(axis=1))[0])
    example = marker_example(y[~missing])
    hint = (
        "drop these rows, or give them the unlabeled marker "
        f"({marker!r}) to distil them without a label"
        if marker is not None
        else f"drop these rows, or mark them with a value such as {example} and "
        f"set unlabeled={example} to distil them without a label"
    )
    raise ValueError(
        f"y contains {int(missing.sum())} missing label(s) (None, NaN or NA; the "
        f"first at row {first}); a class label is needed on every row: {hint}."
    )


def final_estimator(estimator: Any) -> Any:
    """The estimator that is fitted last: a Pipeline's final step, or itself."""
    if isinstance(estimator, Pipeline):
        return estimator.steps[-1][1]
    return estimator


def _has_nan(X: Any) -> bool:
    """Whether X holds a missing value (NaN, None or pandas NA)."""
    if _is_dataframe(X):
        return bool(X.isna().to_numpy().any())
    if hasattr(X, "tocsr"):  # scipy sparse
        data = X.tocsr().data
        return data.dtype.kind == "f" and bool(np.isnan(data).any())
    X = np.asarray(X)
    if X.dtype.kind in "fc":
        return bool(np.isnan(X).any())
    if X.dtype.kind == "O":
        return any(v is None or (isinstance(v, float) and v != v) for v in X.flat)
    return False


_NAN_PASSING_SCALERS = (StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler)


def _allows_nan(estimator: Any) -> bool:
    """Whether an estimator (a student) takes NaN.

    A Pipeline's tags do not say whether an imputer inside it (perhaps in a
    ColumnTransformer) handles missing values, so it is trusted to raise its
    own error, unless every step before its final one is a scaler, which
    passes NaN through (the default student): then its final step decides.
    A :class:`~sklearn.frozen.FrozenEstimator` takes what its estimator takes
    (its own tags are not its estimator's).
    """
    if isinstance(estimator, FrozenEstimator):
        return _allows_nan(estimator.estimator)
    if isinstance(estimator, Pipeline):
        head = [step for _, step in estimator.steps[:-1]]
        if not all(isinstance(step, _NAN_PASSING_SCALERS) for step in head):
            return True
        estimator = final_estimator(estimator)
    try:
        return get_tags(estimator).input_tags.allow_nan
    except Exception:  # a third-party estimator without tags
        return False


def set_members_input_tags(tags: Any, members: Any) -> Any:
    """``tags`` taking NaN (``allow_nan``) and sparse X (``sparse``) only when
    every one of ``members`` does; returned."""
    tags.input_tags.allow_nan = all(_allows_nan(member) for member in members)
    tags.input_tags.sparse = all(
        get_tags(member).input_tags.sparse for member in members
    )
    return tags


def _object_to_float(X: NDArray[Any]) -> NDArray[Any]:
    """An object array as floats when it holds numbers (strings stay as they are)."""
    try:
        return X.astype(np.float64)
    except (TypeError, ValueError):
        return X  # strings: let the sub-estimators decide


def _array_checks(accept_sparse: Any) -> dict[str, Any]:
    """``validate_data``'s default checks of an array X (any dtype, NaN kept)."""
    if accept_sparse is None:
        accept_sparse = ["csr", "csc"]
    return {"accept_sparse": accept_sparse, "dtype": None, "ensure_all_finite": False}


def validate_fit_xy(
    estimator: Any,
    X: Any,
    y: Any,
    *,
    reset: bool = True,
    multi_output: bool = False,
    check_labels: bool = False,
    marker: Any = None,
    accept_sparse: Any = None,
    array_checks: dict[str, Any] | None = None,
) -> tuple[Any, Any]:
    """``X`` and ``y`` of a fit checked (``validate_data``); a DataFrame kept as is.

    ``y`` is required. With ``check_labels``, missing labels are refused first
    (``marker``: the ``unlabeled`` parameter, named in the hint). A
    ``multi_output`` (regression) ``y`` is numeric and may have several
    columns; otherwise it is 1-d. An array ``X`` is checked with
    ``array_checks``, by default any dtype, NaN kept, ``accept_sparse``
    (CSR or CSC unless given); an object array of numbers becomes float.
    """
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y "
            "is None."
        )
    if check_labels:
        _check_no_missing_labels(np.asarray(y), marker=marker)
    y_checks = {"multi_output": True, "y_numeric": True} if multi_output else {}
    if _is_dataframe(X):
        # Keep the DataFrame (names, categorical dtypes) for the sub-estimators;
        # only record its feature names and count.
        validate_data(estimator, X, y, skip_check_array=True, reset=reset)
        _check_dataframe_shape(X, estimator)
        if multi_output:
            y = _check_y(y, **y_checks, estimator=estimator)
        else:
            y = column_or_1d(y, warn=True)
        check_consistent_length(X, y)
        return X, y
    if array_checks is None:
        array_checks = _array_checks(accept_sparse)
    X, y = validate_data(estimator, X, y, reset=reset, **array_checks, **y_checks)
    if X.dtype.kind == "O":
        X = _object_to_float(X)
    return X, y


def validate_predict_x(estimator: Any, X: Any, **array_checks: Any) -> Any:
    """``X`` checked against the fit (features, names); a DataFrame kept as is.

    An array ``X`` is checked with ``array_checks`` (by default any dtype,
    NaN kept, CSR or CSC); an object array of numbers becomes float.
    """
    if _is_dataframe(X):
        validate_data(estimator, X, reset=False, skip_check_array=True)
        _check_dataframe_shape(X, estimator)
        return X
    X = validate_data(
        estimator, X, reset=False, **(array_checks or _array_checks(None))
    )
    return _object_to_float(X) if X.dtype.kind == "O" else X


def check_grid_values(
    values: Any, name: str, low: float, high: float | None, low_closed: bool
) -> list[float]:
    """``values`` as a list of floats within bounds, or an error naming ``name``."""
    if high is None:
        bounds = f"{'>=' if low_closed else '>'} {low:g}"
    else:
        bounds = f"in [{low:g}, {high:g}]"
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    valid = array is not None and array.ndim == 1 and array.size > 0
    if valid:
        too_low = array < low if low_closed else array <= low
        valid = bool(np.isfinite(array).all() and not too_low.any())
        if high is not None:
            valid = valid and not (array > high).any()
    if not valid:
        raise ValueError(
            f"{name} must be a non-empty list of numbers {bounds}; got {values!r}."
        )
    return [float(v) for v in array]
