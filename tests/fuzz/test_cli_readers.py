"""Property-based tests of the command line's input readers (``cli/_data.py``).

Generated files (well-formed CSV with quoted fields, missing values and odd
text; ragged rows; any bytes, plain or named as compressed or Parquet
files; empty files, header only) go through :func:`read_table`, then
:func:`split_target`, :func:`detect_task`, :func:`prepare_target` and
:func:`select_features`, as ``skdistill fit`` reads them. The only failure
allowed is the command line's own :class:`CLIError`, with a one-line
message (``main`` prints it as one line, without a traceback).
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, example, given, note
from hypothesis import strategies as st

from skdistill.cli._data import (
    detect_task,
    prepare_target,
    read_table,
    select_features,
    split_target,
)
from skdistill.cli._errors import CLIError

# pandas reads these cells as missing values (read_csv's default na_values).
NA_TEXT = frozenset(
    [
        "",
        "#N/A",
        "#N/A N/A",
        "#NA",
        "-1.#IND",
        "-1.#QNAN",
        "-NaN",
        "-nan",
        "1.#IND",
        "1.#QNAN",
        "<NA>",
        "N/A",
        "NA",
        "NULL",
        "NaN",
        "None",
        "n/a",
        "nan",
        "null",
    ]
)

#: Text of a cell: odd characters (quotes, separators, line breaks, unicode),
#: numbers of every form, booleans and missing-value markers.
cells = st.one_of(
    st.text(max_size=6),
    st.text(alphabet=",\"\n\r\t ;\\'xy1", max_size=6),
    st.integers(-(2**70), 2**70).map(str),
    st.floats().map(repr),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda v: f"{v:.3e}"),
    st.sampled_from(["True", "false", "1e400", "-0", " 1", "1_000", "0x1F", "inf"]),
    st.sampled_from(sorted(NA_TEXT)),
)
#: A header name: not blank (pandas names an empty one "Unnamed: k").
header_names = st.text(min_size=1, max_size=6).map(
    lambda name: name if name.strip() else name + "x"
)


def _unique(names):
    """The names, a duplicate suffixed by its position (pandas would mangle it)."""
    seen = set()
    unique = []
    for j, name in enumerate(names):
        name = name if name not in seen else f"{name}~{j}"
        seen.add(name)
        unique.append(name)
    return unique


@st.composite
def csv_tables(draw, *, min_columns=1, min_rows=0):
    """A header of unique names and rows of cells, every row as long as the header."""
    n_columns = draw(st.integers(min_columns, 6))
    header = _unique(
        draw(st.lists(header_names, min_size=n_columns, max_size=n_columns))
    )
    n_rows = draw(st.integers(min_rows, 12))
    rows = draw(
        st.lists(
            st.lists(cells, min_size=n_columns, max_size=n_columns),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
    return header, rows


def write_csv(header, rows, *, quote_all=False, newline="\n"):
    """CSV text of a header and rows (RFC 4180).

    A field holding a comma, a quote, a line feed or a carriage return is
    quoted, its quotes doubled; with ``quote_all``, every field. (Python's
    csv module leaves a carriage return unquoted when the line terminator is
    a line feed.)
    """

    def field(text):
        if quote_all or any(char in text for char in ',"\r\n'):
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = [",".join(field(text) for text in row) for row in [header, *rows]]
    return "".join(line + newline for line in lines)


def read_or_error(path):
    """``read_table(path)``, or None after a CLIError with a one-line message."""
    try:
        table = read_table(str(path))
    except CLIError as exc:
        message = str(exc)
        assert message.strip(), "a CLIError without a message"
        assert "\n" not in message.strip(), f"a message of several lines: {message!r}"
        kind = message.replace(str(path), "<file>").split(":")[0]
        event(f"read_table: CLIError {kind}")
        return None
    assert isinstance(table, pd.DataFrame)
    assert table.shape[0] >= 1 and table.shape[1] >= 1, table.shape
    event("read_table: a table")
    return table


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """One folder for the module's files (hypothesis reruns a test many times)."""
    return tmp_path_factory.mktemp("fuzz-csv")


_counter = itertools.count()


def _path(folder, suffix):
    return folder / f"data{next(_counter)}{suffix}"


@given(
    table=csv_tables(min_columns=2),
    quote_all=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
)
@example(table=(["a,b", "c"], [["1", "2"]]), quote_all=False, newline="\n", bom=True)
def test_well_formed_csv_round_trips(folder, table, quote_all, newline, bom):
    """A well-formed CSV file is read as written: its columns and every cell.

    Each cell is the written text, or missing when the text is one of
    pandas's missing-value markers; a file with no data row is a CLIError.
    """
    header, rows = table
    text = write_csv(header, rows, quote_all=quote_all, newline=newline)
    path = _path(folder, ".csv")
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8", newline="")
    note(f"file: {text!r}")
    read = read_or_error(path)
    if not rows:
        assert read is None, "a file without data rows was read"
        return
    assert read is not None, "a well-formed CSV file was refused"
    assert list(read.columns) == header
    assert read.shape == (len(rows), len(header))
    for i, row in enumerate(rows):
        for j, text_cell in enumerate(row):
            value = read.iat[i, j]
            if text_cell in NA_TEXT:
                assert pd.isna(value), (
                    f"cell ({i}, {j}) {text_cell!r} read as {value!r}"
                )
            else:
                assert value == text_cell, (
                    f"cell ({i}, {j}) {text_cell!r} read as {value!r}"
                )


@st.composite
def ragged_csv(draw):
    """A CSV file in which some data rows have more or fewer fields than the header.

    A shorter row keeps at least one field and is not blank (pandas skips
    blank lines); sometimes every data row has one more field than the
    header (which pandas would read as an index column).
    """
    header, rows = draw(csv_tables(min_columns=1, min_rows=1))
    n_columns = len(header)
    every_row_longer = draw(st.booleans())
    ragged = set(range(len(rows))) if every_row_longer else set()
    if not ragged:
        ragged = set(draw(st.sets(st.integers(0, len(rows) - 1), min_size=1)))
    rows = [list(row) for row in rows]
    for i in sorted(ragged):
        longer = every_row_longer or n_columns == 1 or draw(st.booleans())
        if longer:
            extra = draw(st.lists(cells, min_size=1, max_size=3))
            rows[i] = rows[i] + extra
        else:
            keep = draw(st.integers(1, n_columns - 1))
            rows[i] = rows[i][:keep]
            if keep == 1 and rows[i][0].strip() == "":
                rows[i][0] = "x"  # not a blank line (which pandas skips)
    return header, rows


@given(table=ragged_csv(), quote_all=st.booleans())
def test_ragged_rows_are_a_clear_error(folder, table, quote_all):
    """A data row with more or fewer fields than the header is a CLIError.

    pandas alone fills a short row with missing values, and reads a file
    whose rows all have one more field than the header with an index column:
    both would shift or invent values silently.
    """
    header, rows = table
    text = write_csv(header, rows, quote_all=quote_all)
    path = _path(folder, ".csv")
    path.write_text(text, encoding="utf-8", newline="")
    note(f"file: {text!r}")
    read = read_or_error(path)
    assert read is None, f"a ragged file was read as a table of shape {read.shape}"


#: File names: plain CSV, the compressions pandas infers from the name, Parquet.
SUFFIXES = [
    ".csv",
    ".txt",
    ".csv.gz",
    ".zip",
    ".bz2",
    ".xz",
    ".tar",
    ".tar.gz",
    ".zst",
    ".parquet",
]


@given(
    content=st.one_of(
        st.binary(max_size=64),
        st.text(max_size=64).map(lambda text: text.encode("utf-8")),
        st.text(alphabet=',"\n\r ;ab1', max_size=64).map(str.encode),
        st.sampled_from(
            [b"", b"\n", b"a,b\n", b"a\n\n", b'"', b'a,b\n"1,2\n', b"\xef\xbb\xbf"]
        ),
    ),
    suffix=st.sampled_from(SUFFIXES),
)
@example(content=b"a,b\n1,2\n", suffix=".zip")
@example(content=b"a,b\n1,2\n", suffix=".xz")
@example(content=b"a,b\n1,2\n", suffix=".tar")
@example(content=b"", suffix=".bz2")
@example(content=b"a,b\n1,2\n", suffix=".zst")
def test_any_file_is_read_or_refused_clearly(folder, content, suffix):
    """Any bytes, under any supported name, give a table or a CLIError.

    The suffix names the format: a compressed CSV (.gz, .zip, .bz2, .xz,
    .tar) is decompressed, a Parquet file read by pyarrow; bytes that are
    not such a file are a CLIError, not a traceback of pandas, gzip, zipfile,
    lzma, tarfile or pyarrow.
    """
    path = _path(folder, suffix)
    path.write_bytes(content)
    read_or_error(path)


@st.composite
def target_tables(draw):
    """A header, a target column (the first) and the rows of 1 to 3 features."""
    header = _unique(draw(st.lists(header_names, min_size=2, max_size=4)))
    target = draw(st.lists(cells, min_size=1, max_size=25))
    n_rows, n_features = len(target), len(header) - 1
    features = draw(
        st.lists(
            st.lists(cells, min_size=n_features, max_size=n_features),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
    return header, target, features


@given(
    table=target_tables(),
    task=st.sampled_from(["auto", "auto", "classification", "regression"]),
)
@example(table=(["y", "x"], ["0", "9.223372036854776e+18"], [[""], [""]]), task="auto")
@example(table=(["y", "x"], ["1e20", "2e20", "3"], [["a"], ["b"], ["c"]]), task="auto")
def test_target_is_prepared_or_refused_clearly(folder, table, task):
    """From a CSV file to the target array: each step succeeds or is a CLIError.

    Distinct target values stay distinct labels (two labels are one only if
    their numbers or their text are equal), numbers are read exactly, a
    regression target is finite.
    """
    header, target_cells, features = table
    rows = [[cell, *row] for cell, row in zip(target_cells, features, strict=True)]
    text = write_csv(header, rows)
    path = _path(folder, ".csv")
    path.write_text(text, encoding="utf-8", newline="")
    note(f"file: {text!r}")
    table = read_or_error(path)
    if table is None:
        return
    target = header[0]
    try:
        X, y, n_dropped = split_target(table, target, str(path))
        assert n_dropped == int(table[target].isna().sum())
        assert X.shape == (y.shape[0], len(header) - 1)
        chosen = detect_task(y, task)
        assert chosen in ("classification", "regression")
        labels = prepare_target(y, chosen, target)
        assert select_features(table, list(X.columns), "file").shape[1] == X.shape[1]
    except CLIError as exc:
        assert str(exc).strip() and "\n" not in str(exc).strip(), str(exc)
        event(f"targets: CLIError {str(exc)[:40]}")
        return
    event(f"targets: {chosen}")
    labels = np.asarray(labels)
    assert labels.shape == (y.shape[0],)
    numbers = pd.to_numeric(y, errors="coerce").to_numpy(dtype=np.float64)
    if chosen == "regression":
        assert labels.dtype == np.float64
        assert np.isfinite(labels).all()
        np.testing.assert_array_equal(labels, numbers)
        return
    # Classification: one label per distinct value, as text or as a number.
    groups: dict = {}
    for label, text_value, number in zip(
        labels.tolist(), y.tolist(), numbers, strict=True
    ):
        groups.setdefault(label, set()).add(text_value if np.isnan(number) else number)
    merged = {label: values for label, values in groups.items() if len(values) > 1}
    assert not merged, f"distinct target values became one label: {merged}"
    if labels.dtype.kind in "iu":
        np.testing.assert_array_equal(labels.astype(np.float64), numbers)
