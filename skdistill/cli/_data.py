"""Reading tables (CSV, Parquet), taking the target out, detecting the task."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ._errors import EXIT_USAGE, CLIError

#: An integer target with at most this many distinct values is a class label.
MAX_AUTO_CLASSES = 20
PARQUET_SUFFIXES = (".parquet", ".pq")


def _columns_list(columns: list[str], limit: int = 20) -> str:
    shown = ", ".join(map(repr, columns[:limit]))
    more = len(columns) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def source_name(path: str) -> str:
    """How messages name the data file ``path`` (``-``: standard input).

    Parameters
    ----------
    path : str
        The path given on the command line.

    Returns
    -------
    name : str
        ``"standard input"`` for ``-``, else ``path``.
    """
    return "standard input" if path == "-" else path


def read_table(path: str) -> pd.DataFrame:
    """Read a CSV file (``-``: standard input) or a Parquet file.

    CSV values are read as text (missing values as ``NaN``), so that the
    same file always gives the same values, whichever rows it holds; the
    column types are decided by :class:`~skdistill.preprocessing.TableSchema`.
    A compressed CSV (``.csv.gz``, ``.zip``, ...) is decompressed.

    Parameters
    ----------
    path : str
        Path of the file; ``.parquet`` and ``.pq`` files are read as Parquet
        (needs ``pyarrow``), any other as CSV.

    Returns
    -------
    table : DataFrame
        At least one row and one column.

    Raises
    ------
    CLIError
        The file is missing, unreadable, or holds no rows.
    """
    name = source_name(path)
    if path == "-":
        source = sys.stdin
    else:
        source = Path(path)
        if not source.exists():
            raise CLIError(f"no such file: {path}")
        if source.is_dir():
            raise CLIError(f"{path} is a directory, not a data file")
    if path != "-" and source.suffix.lower() in PARQUET_SUFFIXES:
        table = _read_parquet(source, name)
    else:
        try:
            table = pd.read_csv(source, dtype=str)
        except pd.errors.EmptyDataError:
            raise CLIError(f"{name} is empty") from None
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc
            raise CLIError(f"cannot read {name} as CSV: {reason}") from None
    if table.shape[0] == 0:
        raise CLIError(f"{name} has a header but no data rows")
    return table


def _read_parquet(path: Path, name: str) -> pd.DataFrame:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise CLIError(
            f"reading the Parquet file {name} needs pyarrow: "
            'pip install "skdistill[parquet]"'
        ) from None
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises its own error types
        raise CLIError(f"cannot read {name} as Parquet: {exc}") from None


def split_target(
    table: pd.DataFrame, target: str, name: str
) -> tuple[pd.DataFrame, pd.Series, int]:
    """The feature columns, the target column and how many rows lacked a target.

    Rows whose target is missing are dropped.

    Parameters
    ----------
    table : DataFrame
        The table read from ``name``.
    target : str
        Name of the target column.
    name : str
        Where the table comes from, for messages.

    Returns
    -------
    X : DataFrame
        Every other column, rows with a target.
    y : Series
        The target, rows with a target.
    n_dropped : int
        Rows dropped for a missing target.
    """
    if target not in table.columns:
        raise CLIError(
            f"no column {target!r} in {name}; its columns are: "
            f"{_columns_list(list(table.columns))}",
            EXIT_USAGE,
        )
    y = table[target]
    X = table.drop(columns=target)
    if X.shape[1] == 0:
        raise CLIError(f"{name} has no column besides the target {target!r}")
    labelled = y.notna().to_numpy()
    if not labelled.any():
        raise CLIError(f"the target column {target!r} of {name} is empty")
    return X[labelled], y[labelled], int((~labelled).sum())


def _as_numbers(y: pd.Series) -> pd.Series | None:
    """The target as float64 if every value is a number, else None."""
    if pd.api.types.is_bool_dtype(y):
        return None
    if pd.api.types.is_numeric_dtype(y):
        return y.astype(np.float64)
    numbers = pd.to_numeric(y.map(str), errors="coerce")
    return numbers.astype(np.float64) if numbers.notna().all() else None


def detect_task(y: pd.Series, task: str = "auto") -> str:
    """``"classification"`` or ``"regression"``, from the target's values.

    Text or boolean values are class labels; numbers are class labels when
    they are all integers with at most :data:`MAX_AUTO_CLASSES` distinct
    values, else a regression target.

    Parameters
    ----------
    y : Series
        The target, without missing values.
    task : {"auto", "classification", "regression"}, default="auto"
        Anything other than ``"auto"`` is returned as is.

    Returns
    -------
    task : {"classification", "regression"}
    """
    if task != "auto":
        return task
    numbers = _as_numbers(y)
    if numbers is None:
        return "classification"
    integral = bool(np.all(np.mod(numbers.to_numpy(), 1) == 0))
    if integral and numbers.nunique() <= MAX_AUTO_CLASSES:
        return "classification"
    return "regression"


def prepare_target(
    y: pd.Series, task: str, target: str, *, classes: NDArray | None = None
) -> NDArray:
    """The target as an array for ``task``, with a clear error if unusable.

    Class labels that are all integers become ``int64``, other labels
    ``str``; a regression target becomes ``float64``. With the ``classes``
    of a fitted model, labels take their type, and a single class is fine.

    Parameters
    ----------
    y : Series
        The target, without missing values.
    task : {"classification", "regression"}
        The task.
    target : str
        Name of the target column, for messages.
    classes : ndarray, default=None
        Classes of the fitted model the labels are compared with.

    Returns
    -------
    y : ndarray of shape (n_samples,)
    """
    numbers = _as_numbers(y)
    if task == "classification" and classes is not None:
        if classes.dtype.kind in "iu" and numbers is not None:
            integral = np.mod(numbers.to_numpy(), 1) == 0
            if integral.all():
                return numbers.to_numpy().astype(np.int64)
        return y.map(str).to_numpy(dtype=object)
    if task == "regression":
        if numbers is None:
            text = y.map(str)
            bad = text[pd.to_numeric(text, errors="coerce").isna()].iloc[0]
            raise CLIError(
                f"the target {target!r} holds values that are not numbers (e.g. "
                f"{bad!r}), so it cannot be a regression target; use --task "
                "classification",
                EXIT_USAGE,
            )
        if not np.isfinite(numbers.to_numpy()).all():
            raise CLIError(f"the target {target!r} holds infinite values")
        return numbers.to_numpy()
    if numbers is not None and bool(np.all(np.mod(numbers.to_numpy(), 1) == 0)):
        labels = numbers.to_numpy().astype(np.int64)
    elif numbers is not None:
        raise CLIError(
            f"the target {target!r} holds non-integer numbers (e.g. "
            f"{numbers[np.mod(numbers, 1) != 0].iloc[0]!r}), which cannot be "
            "class labels; use --task regression",
            EXIT_USAGE,
        )
    else:
        labels = y.map(str).to_numpy(dtype=object)
    classes = np.unique(labels)
    if classes.size < 2:
        raise CLIError(
            f"the target {target!r} has a single class ({classes[0]!r}); "
            "classification needs at least two"
        )
    return labels


def select_features(
    table: pd.DataFrame, features: list[str], name: str
) -> pd.DataFrame:
    """The model's feature columns of ``table``, with an error naming missing ones.

    Parameters
    ----------
    table : DataFrame
        The table read from ``name``.
    features : list of str
        Columns the model was fit on.
    name : str
        Where the table comes from, for messages.

    Returns
    -------
    X : DataFrame
        ``table[features]``.
    """
    missing = [column for column in features if column not in table.columns]
    if missing:
        raise CLIError(
            f"{name} lacks {len(missing)} column(s) the model was fit on: "
            f"{_columns_list(missing)}"
        )
    return table[features]
