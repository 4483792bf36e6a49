"""Reading data files (CSV, Parquet, standard input) and detecting the task."""

import io
import sys

import pandas as pd
import pytest
from cli._helpers import FAST, classification_table, last_line, run, write

from skdistill.cli._data import MAX_AUTO_CLASSES, detect_task


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
        (
            b"a,label\n1,x\n2,y,3,4\n",
            "cannot read {path} as CSV: Error tokenizing data.",
        ),
        (b"a,label\n\xff\xfe\x00\x81,x\n", "cannot read {path} as CSV: 'utf-8' codec"),
    ],
)
def test_unreadable_csv(tmp_path, capsys, content, message):
    """Empty, header-only, malformed and binary files: clear errors, exit code 1."""
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
