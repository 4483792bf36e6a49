"""Reading tables (CSV, Parquet), taking the target out, detecting the task."""

from __future__ import annotations

import bz2
import csv
import difflib
import gzip
import io
import lzma
import sys
import tarfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .._validation import EXACT_FLOAT_INTEGER
from ._errors import EXIT_USAGE, CLIError

#: An integer target with at most this many distinct values is a class label.
MAX_AUTO_CLASSES = 20
PARQUET_SUFFIXES = (".parquet", ".pq")


def _columns_list(columns: list[str], limit: int = 20) -> str:
    shown = ", ".join(map(repr, columns[:limit]))
    more = len(columns) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def close_names(name: str, candidates: Iterable[Any], n: int = 3) -> list[str]:
    """The names among ``candidates`` that ``name`` was probably meant to be.

    A name that differs only in case (or in surrounding spaces) comes first
    and alone; otherwise the close matches of :func:`difflib.get_close_matches`,
    compared without case, best first (equally close ones in their order).

    Parameters
    ----------
    name : str
        The name given on the command line.
    candidates : iterable
        The names that exist (such as the columns of a table).
    n : int, default=3
        At most this many names.

    Returns
    -------
    names : list of str
        Best first; empty if none is close.
    """
    texts = [str(candidate) for candidate in candidates]
    key = name.strip().casefold()
    same = [text for text in texts if text.strip().casefold() == key]
    if same:
        return same[:n]
    by_key: dict[str, list[str]] = {}
    for text in texts:
        by_key.setdefault(text.casefold(), []).append(text)
    keys = list(by_key)
    matches = difflib.get_close_matches(key, keys, n=n, cutoff=0.6)
    # best first; equally close names in the order of the columns
    matches.sort(
        key=lambda match: (
            -difflib.SequenceMatcher(None, key, match).ratio(),
            keys.index(match),
        )
    )
    return [text for match in matches for text in by_key[match]][:n]


def did_you_mean(name: str, candidates: Iterable[Any]) -> str:
    """``"; did you mean 'x'?"`` for the close names of ``name``, or ``""``.

    Parameters
    ----------
    name : str
        The name given on the command line.
    candidates : iterable
        The names that exist.

    Returns
    -------
    text : str
        To append to an error message.
    """
    names = [repr(text) for text in close_names(name, candidates)]
    if not names:
        return ""
    if len(names) > 1:
        names = [", ".join(names[:-1]), names[-1]]
    return f"; did you mean {' or '.join(names)}?"


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
        try:
            # read once, for the check and for pandas; a BOM is not data
            text = sys.stdin.read().removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise CLIError(f"cannot read {name} as CSV: {exc}") from None

        def open_text() -> Iterator[TextIO]:
            yield io.StringIO(text, newline="")

        check_field_counts(contextmanager(open_text), name)
        return _read_csv(io.StringIO(text), name)
    source = Path(path)
    if not source.exists():
        raise CLIError(f"no such file: {path}")
    if source.is_dir():
        raise CLIError(f"{path} is a directory, not a data file")
    if source.suffix.lower() in PARQUET_SUFFIXES:
        table = _read_parquet(source, name)
        if table.shape[0] == 0:
            raise CLIError(f"{name} has a header but no data rows")
        return table
    count_csv_rows(source, name)
    return _read_csv(source, name)


def _read_csv(source: Any, name: str) -> pd.DataFrame:
    try:
        table = pd.read_csv(source, dtype=str)
    except pd.errors.EmptyDataError:
        raise CLIError(f"{name} is empty") from None
    except ImportError as exc:  # a compression whose package is missing
        raise CLIError(f"cannot read {name}: {exc}") from None
    except CSV_ERRORS as exc:
        raise csv_error(exc, name) from None
    if table.shape[0] == 0:
        raise CLIError(f"{name} has a header but no data rows")
    return table


#: What pandas decompresses, by suffix, that :func:`check_field_counts` reads
#: too; other compressed files (``.zst``, ``.tar``, ...) are not checked.
_DECOMPRESSORS: dict[str, Callable[..., Any]] = {
    ".gz": gzip.open,
    ".bz2": bz2.open,
    ".xz": lzma.open,
}


def count_csv_rows(path: Path, name: str) -> int | None:
    """Check the field counts of a CSV file (:func:`check_field_counts`), count rows.

    Parameters
    ----------
    path : Path
        The file, compressed or not.
    name : str
        How messages name the file.

    Returns
    -------
    n_rows : int or None
        The number of data rows (blank lines left out); None for a file
        whose compression is not read here, or that :mod:`csv` cannot read
        strictly (pandas then reports the error or reads it).
    """
    opener = _text_opener(path)
    return None if opener is None else check_field_counts(opener, name)


def csv_error(exc: BaseException, name: str) -> CLIError:
    """The error of a CSV file that pandas cannot read (one of :data:`CSV_ERRORS`).

    Parameters
    ----------
    exc : Exception
        What pandas (or a decompressor) raised.
    name : str
        How messages name the file.

    Returns
    -------
    error : CLIError
        ``cannot read NAME as CSV: <the first line of the reason>``.
    """
    # A corrupt or mislabelled compressed file, or text pandas cannot parse.
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc
    return CLIError(f"cannot read {name} as CSV: {reason}")


def _text_opener(path: Path) -> Callable[[], Any] | None:
    """A function opening ``path`` as text, as pandas reads it, or None.

    None for a compressed file whose compression is not handled here.
    """
    suffixes = [suffix.lower() for suffix in path.suffixes]
    suffix = suffixes[-1] if suffixes else ""
    if ".tar" in suffixes or suffix in (".zst", ".tgz", ".tbz", ".txz"):
        return None
    if suffix in _DECOMPRESSORS:
        decompress = _DECOMPRESSORS[suffix]
        return lambda: decompress(path, "rt", encoding="utf-8-sig", newline="")
    if suffix == ".zip":

        @contextmanager
        def open_zip() -> Iterator[TextIO]:
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if not n.endswith("/")]
                if len(names) != 1:  # pandas refuses it, with its reason
                    raise csv.Error("not a single file")
                with archive.open(names[0]) as member:
                    yield io.TextIOWrapper(member, encoding="utf-8-sig", newline="")

        return open_zip
    return lambda: open(path, encoding="utf-8-sig", newline="")


def _is_blank(row: Sequence[str]) -> bool:
    """Whether a row of :mod:`csv` is a line that pandas skips as blank."""
    return not row or (len(row) == 1 and not row[0].strip())


#: Errors of a file that :func:`check_field_counts` leaves to pandas to report.
_UNREADABLE = (
    csv.Error,
    UnicodeDecodeError,
    OSError,
    EOFError,
    ValueError,
    lzma.LZMAError,
    zipfile.BadZipFile,
)
#: What pandas raises for a CSV file it cannot read (see :func:`csv_error`).
CSV_ERRORS = (pd.errors.ParserError, tarfile.TarError, *_UNREADABLE)


def check_field_counts(open_text: Callable[[], Any], name: str) -> int | None:
    """Raise an error if a CSV row has more or fewer fields than the header.

    :func:`pandas.read_csv` fills a short row with missing values, without a
    word, and takes the first field of every row as the index when each row
    has one field more than the header: a missing or unquoted comma would
    silently shift or lose values. This counts the fields of every row with
    :mod:`csv` (which reads quoted commas and line breaks as pandas does;
    blank lines are skipped, as pandas skips them), in one fast pass; only
    if a count is wrong does a second pass find the line numbers. A file
    that :mod:`csv` cannot read strictly (a quote left open, text after a
    closing quote) is left to pandas, whose error says why, or which reads
    it as it always did.

    Parameters
    ----------
    open_text : callable
        Opens the file as text (``newline=""``); a context manager.
    name : str
        How messages name the file.

    Returns
    -------
    n_rows : int or None
        The number of data rows, counted in the same pass (blank lines left
        out); None when the file is left to pandas.

    Raises
    ------
    CLIError
        Naming the file, the line (of the file, 1 for the header) of the
        first row of a wrong length, its field count and the header's.
    """
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # a long text value is no error
    try:
        with open_text() as handle:
            reader = csv.reader(handle, strict=True)
            header = next((row for row in reader if not _is_blank(row)), None)
            if header is None:
                return 0  # empty: pandas says so
            expected = len(header)
            lengths = Counter(map(len, reader))
        if set(lengths) - {0, expected}:
            # wrong lengths, or lines of spaces (1 field) that pandas skips
            _report_field_counts(open_text, name)
        return lengths[expected]
    except _UNREADABLE:
        return None
    finally:
        csv.field_size_limit(limit)


def _report_field_counts(open_text: Callable[[], Any], name: str) -> None:
    """Find the rows of a wrong length and raise the error naming the first."""
    first: tuple[int, int] | None = None
    n_bad = 0
    with open_text() as handle:
        reader = csv.reader(handle, strict=True)
        header = next((row for row in reader if not _is_blank(row)), [])
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            if len(row) != len(header) and not _is_blank(row):
                n_bad += 1
                if first is None:
                    first = start, len(row)
    if first is None or not header:
        return  # only lines of spaces, which pandas skips
    start, count = first
    more = f" (and {n_bad - 1:,} more rows of the wrong length)" if n_bad > 1 else ""
    raise CLIError(
        f"cannot read {name} as CSV: line {start} has {count} field"
        f"{'' if count == 1 else 's'} but the header has {len(header)}{more}; "
        "give every row one value per column (an empty value is fine: a,,c), "
        "and quote a value that holds a comma"
    )


def listed(values: Any, limit: int = 10) -> str:
    """Values quoted as they are (no escapes), at most ``limit``, with a count
    of the rest: ``'a', 'b', ... (29 in all)``."""
    values = list(values)
    shown = ", ".join(f"'{value}'" for value in values[:limit])
    if len(values) > limit:
        shown += f", ... ({len(values)} in all)"
    return shown


def read_parquet_with(reader: Any, path: Any, name: str) -> Any:
    """``reader(path)`` (pandas' or pyarrow's), with pyarrow's absence and its
    errors as CLIErrors naming the file."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise CLIError(
            f"reading the Parquet file {name} needs pyarrow: "
            'pip install "skdistill[parquet]"'
        ) from None
    try:
        return reader(path)
    except Exception as exc:  # pyarrow raises its own error types
        raise CLIError(f"cannot read {name} as Parquet: {exc}") from None


def _read_parquet(path: Path, name: str) -> pd.DataFrame:
    return read_parquet_with(pd.read_parquet, path, name)


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
        hint = did_you_mean(target, table.columns) or (
            f"; its columns are: {_columns_list(list(table.columns))}"
        )
        raise CLIError(f"no column {target!r} in {name}{hint}", EXIT_USAGE)
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


def _exact_integers(values: NDArray) -> bool:
    """Whether every value is an integer that converts exactly to ``int64``."""
    return bool(
        np.all(np.mod(values, 1) == 0) and np.all(np.abs(values) <= EXACT_FLOAT_INTEGER)
    )


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
            if _exact_integers(numbers.to_numpy()):
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
    if numbers is not None and _exact_integers(numbers.to_numpy()):
        labels = numbers.to_numpy().astype(np.int64)
    elif numbers is not None and np.all(np.mod(numbers.to_numpy(), 1) == 0):
        # Integers too large for int64 (or for a float to hold exactly): kept
        # as the text they were written as, so that distinct ones stay distinct.
        labels = y.map(str).to_numpy(dtype=object)
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
