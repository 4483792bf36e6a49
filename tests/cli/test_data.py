"""Reading data files (CSV, Parquet, standard input) and detecting the task."""

import bz2
import gzip
import io
import re
import sys
import zipfile

import pandas as pd
import pytest
from cli._helpers import FAST, classification_table, last_line, run, write

from skdistill.cli._data import (
    MAX_AUTO_CLASSES,
    close_names,
    detect_task,
    prepare_target,
    read_table,
)
from skdistill.cli._errors import CLIError


def test_parquet_input(tmp_path, capsys):
    """A Parquet file is read like a CSV file (needs pyarrow)."""
    pytest.importorskip("pyarrow")
    path = tmp_path / "data.parquet"
    classification_table().to_parquet(path)
    model = tmp_path / "m.skops"
    code, _, err = run(capsys, "fit", path, "--target", "label", "--out", model, *FAST)
    assert code == 0, err
    code, out, _ = run(capsys, "predict", model, path)
    assert code == 0
    assert len(pd.read_csv(io.StringIO(out))) == 150


def test_parquet_without_pyarrow(tmp_path, capsys, monkeypatch):
    """Without pyarrow, a Parquet file gives a message telling what to install."""
    path = tmp_path / "data.parquet"
    path.write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code, _, err = run(
        capsys, "fit", path, "--target", "y", "--out", tmp_path / "m.skops"
    )
    assert code == 1
    assert last_line(err) == (
        f"skdistill fit: error: reading the Parquet file {path} needs pyarrow: "
        'pip install "skdistill[parquet]"'
    )


@pytest.mark.parametrize(
    "values, expected",
    [
        (["a", "b", "a"], "classification"),
        ([True, False, True], "classification"),
        (["1", "2", "3", "1"], "classification"),
        (["1.0", "2.0", "1.0"], "classification"),
        (["0.5", "1.25", "3"], "regression"),
        ([str(i) for i in range(MAX_AUTO_CLASSES + 1)], "regression"),
        ([str(i) for i in range(MAX_AUTO_CLASSES)], "classification"),
    ],
)
def test_detect_task(values, expected):
    """Text, booleans and few integers are labels; other numbers a regression."""
    assert detect_task(pd.Series(values)) == expected


def test_detect_task_override():
    """An explicit task is returned as is."""
    assert detect_task(pd.Series(["1", "2"]), "regression") == "regression"


def test_missing_data_file(tmp_path, capsys):
    """A missing data file: exit code 1, one line, no traceback."""
    missing = tmp_path / "nope.csv"
    code, _, err = run(
        capsys, "fit", missing, "--target", "y", "--out", tmp_path / "m.skops"
    )
    assert code == 1
    assert err == f"skdistill fit: error: no such file: {missing}\n"
    code, _, err = run(capsys, "predict", missing, missing)
    assert code == 1
    assert err == f"skdistill predict: error: no such file: {missing}\n"


def test_missing_target_column(tmp_path, capsys):
    """A missing target column is a usage error listing the columns."""
    data = write(tmp_path, classification_table())
    code, _, err = run(
        capsys, "fit", data, "--target", "nope", "--out", tmp_path / "m.skops"
    )
    assert code == 2
    assert last_line(err) == (
        f"skdistill fit: error: no column 'nope' in {data}; its columns are: "
        "'id', 'x1', 'x2', 'color', 'flag', 'label'"
    )


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "{path} is empty"),
        (b"a,b,label\n", "{path} has a header but no data rows"),
        (b'a,label\n1,x\n"2,y\n', "cannot read {path} as CSV: Error tokenizing"),
        (b"a,label\n\xff\xfe\x00\x81,x\n", "cannot read {path} as CSV: 'utf-8' codec"),
    ],
)
def test_unreadable_csv(tmp_path, capsys, content, message):
    """Empty, header-only, unclosed quote, binary: clear errors, exit code 1."""
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    code, _, err = run(
        capsys, "fit", path, "--target", "label", "--out", tmp_path / "m.skops"
    )
    assert code == 1
    assert err.startswith("skdistill fit: error: " + message.format(path=path))


def test_a_directory_is_not_a_data_file(tmp_path, capsys):
    """A directory given as DATA is reported as such."""
    code, _, err = run(
        capsys, "fit", tmp_path, "--target", "y", "--out", tmp_path / "m.skops"
    )
    assert code == 1
    assert last_line(err) == (
        f"skdistill fit: error: {tmp_path} is a directory, not a data file"
    )


def _wrong_length(path, line, count, header, more=0):
    """The error of a CSV row of ``count`` fields at ``line`` (header: ``header``)."""
    fields = "field" if count == 1 else "fields"
    others = f" (and {more} more rows of the wrong length)" if more else ""
    return (
        f"cannot read {path} as CSV: line {line} has {count} {fields} but the header "
        f"has {header}{others}; give every row one value per column (an empty value "
        "is fine: a,,c), and quote a value that holds a comma"
    )


@pytest.mark.parametrize(
    "content, line, count, more",
    [
        ("a,b,label\n1,2,x\n3,4\n5,6,y\n", 3, 2, 0),  # too few: not NaN-padded
        ("a,b,label\n1,2,x\n3,4,y,z\n5,6,y\n", 3, 4, 0),  # too many
        ("a,label\n1,2,x\n3,4,y\n", 2, 3, 1),  # all too long: not an index
        ('a,label\n"1\n2",x\n\n3\n', 5, 1, 0),  # after a quoted line break
        ("a,b,label\r\n1,2,x\r\n3\r\n", 3, 1, 0),  # Windows line ends
    ],
)
def test_rows_of_the_wrong_length(tmp_path, capsys, content, line, count, more):
    """A row with too few or too many fields: an error naming file and line."""
    path = tmp_path / "data.csv"
    path.write_bytes(content.encode())
    header = content.splitlines()[0].count(",") + 1
    code, _, err = run(
        capsys, "fit", path, "--target", "label", "--out", tmp_path / "m.skops"
    )
    assert code == 1
    assert last_line(err) == (
        f"skdistill fit: error: {_wrong_length(path, line, count, header, more)}"
    )
    assert not (tmp_path / "m.skops").exists()


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".zip"])
def test_rows_of_the_wrong_length_in_a_compressed_file(tmp_path, suffix):
    """A compressed CSV is checked as well."""
    content = b"a,b,label\n1,2,x\n3,4\n"
    path = tmp_path / f"data.csv{suffix}"
    if suffix == ".gz":
        path.write_bytes(gzip.compress(content))
    elif suffix == ".bz2":
        path.write_bytes(bz2.compress(content))
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("data.csv", content)
    with pytest.raises(CLIError, match=re.escape(_wrong_length(path, 3, 2, 3))):
        read_table(str(path))


def test_rows_of_the_wrong_length_on_standard_input(monkeypatch):
    """Standard input is checked as well, and read once."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("a,b,label\n1,2,x\n3,4\n"))
    with pytest.raises(
        CLIError, match=re.escape(_wrong_length("standard input", 3, 2, 3))
    ):
        read_table("-")
    monkeypatch.setattr(sys, "stdin", io.StringIO("a,b,label\n1,2,x\n3,4,y\n"))
    assert read_table("-").shape == (2, 3)


def test_quoted_commas_line_breaks_and_blank_lines_are_fine(tmp_path):
    """Quoted commas and line breaks, empty values, blank lines: read as pandas does."""
    path = tmp_path / "data.csv"
    path.write_text(
        'name,note,label\n"Smith, J.","two\nlines",x\n\n,,y\n   \n"a ""b""",c,x\n'
    )
    table = read_table(str(path))
    assert table["name"].tolist()[0] == "Smith, J."
    assert table["note"].tolist()[0] == "two\nlines"
    assert table["name"].isna().tolist() == [False, True, False]
    assert table["name"].tolist()[2] == 'a "b"'
    assert table["label"].tolist() == ["x", "y", "x"]


def test_a_long_text_value_is_fine(tmp_path):
    """A value longer than the csv module's default field limit is read."""
    path = tmp_path / "data.csv"
    path.write_text(f"text,label\n{'w' * 200_000},x\n")
    assert read_table(str(path)).shape == (1, 2)


@pytest.mark.parametrize(
    "target, hint",
    [
        ("Label", "did you mean 'label'?"),  # case first
        (" label", "did you mean 'label'?"),
        ("lable", "did you mean 'label'?"),
        ("colour", "did you mean 'color'?"),
        ("x", "did you mean 'x1' or 'x2'?"),
        (
            "nope",
            "its columns are: 'id', 'x1', 'x2', 'color', 'flag', 'label'",
        ),
    ],
)
def test_a_wrong_target_suggests_close_names(tmp_path, capsys, target, hint):
    """--target: a close column name is suggested, else the columns are listed."""
    data = write(tmp_path, classification_table())
    code, _, err = run(
        capsys, "fit", data, "--target", target, "--out", tmp_path / "m.skops"
    )
    assert code == 2
    assert (
        last_line(err)
        == f"skdistill fit: error: no column {target!r} in {data}; {hint}"
    )


def test_a_wrong_target_among_many_columns(tmp_path, capsys):
    """With many columns, the suggestion replaces the long list."""
    table = pd.DataFrame({f"feature_{i}": [1, 2] for i in range(30)}).assign(
        target=[0, 1]
    )
    data = write(tmp_path, table)
    code, _, err = run(
        capsys, "fit", data, "--target", "Target", "--out", tmp_path / "m.skops"
    )
    assert code == 2
    assert last_line(err) == (
        f"skdistill fit: error: no column 'Target' in {data}; did you mean 'target'?"
    )


def test_a_wrong_drop_suggests_a_close_name(tmp_path, capsys):
    """--drop: a close feature name is suggested."""
    data = write(tmp_path, classification_table())
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", tmp_path / "m"],
        *["--drop", "ID"],
    )
    assert code == 2
    assert last_line(err) == (
        f"skdistill fit: error: --drop: no column 'ID' among the features of {data}; "
        "did you mean 'id'?"
    )


def test_close_names():
    """Case-insensitive matches first, then difflib's, at most n."""
    columns = ["Target", "target", "targets", "age", 3]
    assert close_names("TARGET", columns) == ["Target", "target"]
    assert close_names("targt", columns) == ["Target", "target", "targets"]
    assert close_names("targt", columns, n=1) == ["Target"]
    assert close_names("3", columns) == ["3"]
    assert close_names("zzz", columns) == []


def test_a_bom_before_a_quoted_header_is_not_data(tmp_path):
    """A UTF-8 byte-order mark, then a quoted name with a comma: two columns.

    Found by the fuzz tests (tests/fuzz).
    """
    path = tmp_path / "bom.csv"
    path.write_text('\ufeff"a,b",c\n1,2\n', encoding="utf-8")
    assert list(read_table(str(path)).columns) == ["a,b", "c"]


@pytest.mark.parametrize("suffix", [".zip", ".xz", ".tar", ".gz"])
def test_a_corrupt_compressed_file_is_a_clear_error(tmp_path, suffix):
    """Text under a compressed file's suffix: a CLIError, not a zip/tar traceback."""
    path = tmp_path / f"data.csv{suffix}"
    path.write_bytes(b"a,b\n1,2\n")
    with pytest.raises(CLIError, match="cannot read"):
        read_table(str(path))


def test_huge_integer_labels_stay_distinct():
    """1e20 and 2e20 overflow int64: they stay two classes, as text."""
    y = pd.Series(["100000000000000000000", "200000000000000000000"] * 3)
    labels = prepare_target(y, "classification", "y")
    assert len(set(labels.tolist())) == 2
