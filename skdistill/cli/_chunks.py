"""Reading a table too big for memory, chunk by chunk: CSV and Parquet.

``--chunksize N`` never holds a whole data file: a CSV file (compressed or
not) is read by :func:`pandas.read_csv` with ``chunksize=N``, a Parquet
file (or a folder of Parquet files) by a :mod:`pyarrow.dataset` scanner in
record batches of at most ``N`` rows, one row group at a time. Only the
columns asked for are read. A CSV file gets the checks of the whole-file
reader first (every row with one field per column of the header, see
:func:`~skdistill.cli._data.check_field_counts`), in one streaming pass
that also counts its rows for the progress bar.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ._data import (
    CSV_ERRORS,
    PARQUET_SUFFIXES,
    count_csv_rows,
    csv_error,
    did_you_mean,
    read_parquet_with,
    source_name,
)
from ._errors import EXIT_USAGE, CLIError

#: Record batches that the Parquet scanner reads ahead of the one in use, and
#: files (fragments) it opens ahead: few, so that memory follows the chunk size.
PARQUET_READAHEAD = {"batch_readahead": 1, "fragment_readahead": 1}


@dataclass(frozen=True)
class ChunkedTable:
    """A data file to read chunk by chunk (see :func:`open_chunked`).

    Attributes
    ----------
    path : str
        The file (a folder: a Parquet dataset).
    name : str
        How messages name it.
    columns : list of str
        Its columns, in order.
    n_rows : int or None
        Its data rows, when known before reading them (Parquet metadata,
        or the CSV check's count); None otherwise.
    parquet : bool
        Parquet (pyarrow) rather than CSV (pandas).
    """

    path: str
    name: str
    columns: list[str]
    n_rows: int | None
    parquet: bool

    def require(self, columns: list[str], what: str) -> None:
        """Raise an error naming the ``columns`` that the file lacks.

        Parameters
        ----------
        columns : list of str
            Columns the command needs.
        what : str
            Who needs them, ending the message (such as "the model was fit
            on").
        """
        missing = [column for column in columns if column not in self.columns]
        if not missing:
            return
        hint = did_you_mean(missing[0], self.columns) if len(missing) == 1 else ""
        shown = ", ".join(map(repr, missing[:20]))
        more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
        raise CLIError(
            f"{self.name} lacks {len(missing)} column(s) {what}: {shown}{more}{hint}"
        )

    def chunks(self, columns: list[str], chunksize: int) -> Iterator[pd.DataFrame]:
        """The rows of ``columns``, in chunks of at most ``chunksize`` rows.

        CSV values are text (missing values ``NaN``), as
        :func:`~skdistill.cli._data.read_table` reads them; Parquet columns
        keep their types. A chunk's index counts its rows from 0 or from
        the rows before it: use positions, not labels. Empty chunks are
        skipped.

        Parameters
        ----------
        columns : list of str
            Columns to read (among :attr:`columns`), in the order of the
            chunks' columns (a column named twice is read once).
        chunksize : int
            Most rows of a chunk.

        Yields
        ------
        chunk : DataFrame
            At most ``chunksize`` rows, ``columns`` in that order.

        Raises
        ------
        CLIError
            The file cannot be read, or holds no data rows.
        """
        columns = list(dict.fromkeys(columns))
        read = self._parquet_chunks if self.parquet else self._csv_chunks
        n_rows = 0
        for chunk in read(columns, chunksize):
            if len(chunk):
                n_rows += len(chunk)
                yield chunk[columns]
        if n_rows == 0:
            raise CLIError(f"{self.name} has a header but no data rows")

    def _csv_chunks(self, columns: list[str], chunksize: int) -> Iterator[pd.DataFrame]:
        try:
            with pd.read_csv(
                self.path, dtype=str, usecols=columns, chunksize=chunksize
            ) as reader:
                yield from reader
        except CSV_ERRORS as exc:
            raise csv_error(exc, self.name) from None

    def _parquet_chunks(
        self, columns: list[str], chunksize: int
    ) -> Iterator[pd.DataFrame]:
        dataset = _parquet_dataset(self.path, self.name)
        try:
            batches = dataset.to_batches(
                columns=columns, batch_size=chunksize, **PARQUET_READAHEAD
            )
            for batch in batches:
                yield batch.to_pandas()
        except Exception as exc:  # pyarrow raises its own error types
            if isinstance(exc, CLIError):
                raise
            raise CLIError(f"cannot read {self.name} as Parquet: {exc}") from None


def _parquet_dataset(path: str, name: str) -> Any:
    def dataset(source: str) -> Any:
        import pyarrow.dataset as ds

        return ds.dataset(source, format="parquet")

    return read_parquet_with(dataset, path, name)


def open_chunked(path: str) -> ChunkedTable:
    """A data file to read in chunks: its columns, and its rows if known.

    ``.parquet`` and ``.pq`` files, and folders (a Parquet dataset: every
    Parquet file in it, as one table), are read as Parquet, with
    :mod:`pyarrow`; any other file as CSV (``.gz``, ``.bz2``, ``.xz``,
    ``.zip``, ... decompressed as pandas does), after the check of its
    field counts.

    Parameters
    ----------
    path : str
        The path given on the command line.

    Returns
    -------
    table : ChunkedTable

    Raises
    ------
    CLIError
        ``path`` is ``-`` (standard input cannot be checked, then read, in
        one pass), missing, or not a readable CSV or Parquet file.
    """
    name = source_name(path)
    if path == "-":
        raise CLIError(
            "--chunksize reads DATA from a file, chunk by chunk: standard input "
            "('-') cannot be; save it to a file first, or drop --chunksize to "
            "read it whole",
            EXIT_USAGE,
        )
    source = Path(path)
    if not source.exists():
        raise CLIError(f"no such file: {path}")
    if source.is_dir() or source.suffix.lower() in PARQUET_SUFFIXES:
        dataset = _parquet_dataset(path, name)
        if source.is_dir() and not dataset.files:
            raise CLIError(f"{path} is a folder without Parquet files")
        try:
            n_rows = dataset.count_rows()
        except Exception as exc:  # pyarrow raises its own error types
            raise CLIError(f"cannot read {name} as Parquet: {exc}") from None
        return ChunkedTable(path, name, list(dataset.schema.names), n_rows, True)
    n_rows = count_csv_rows(source, name)
    try:
        header = pd.read_csv(source, dtype=str, nrows=0)
    except pd.errors.EmptyDataError:
        raise CLIError(f"{name} is empty") from None
    except ImportError as exc:  # a compression whose package is missing
        raise CLIError(f"cannot read {name}: {exc}") from None
    except CSV_ERRORS as exc:
        raise csv_error(exc, name) from None
    return ChunkedTable(path, name, [str(c) for c in header.columns], n_rows, False)
