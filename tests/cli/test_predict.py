"""``skdistill predict``: a saved model's predictions as CSV."""

import errno
import io
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli._helpers import (
    FAST,
    classification_table,
    last_line,
    regression_table,
    run,
    subprocess_env,
    write,
)
from numpy.testing import assert_allclose

from skdistill.cli import main


def test_predict_labels_and_probabilities(fitted, capsys, tmp_path):
    """predict: a column named after the target, proba_<class> columns summing to 1."""
    data, model = fitted
    code, out, _ = run(capsys, "predict", model, data)
    assert code == 0
    predictions = pd.read_csv(io.StringIO(out))
    assert list(predictions.columns) == ["label"]
    assert set(predictions["label"]) <= {"yes", "no"}
    assert len(predictions) == 150

    output = tmp_path / "out.csv"
    code, out, _ = run(
        capsys,
        *["predict", model, data, "--proba", "--id-column", "id", "-o", output],
    )
    assert code == 0
    assert out == ""
    predictions = pd.read_csv(output)
    assert list(predictions.columns) == ["id", "label", "proba_no", "proba_yes"]
    assert predictions["id"].tolist() == [f"row{i}" for i in range(150)]
    assert_allclose(predictions[["proba_no", "proba_yes"]].sum(axis=1), 1.0)
    chosen = np.where(predictions["proba_yes"] > 0.5, "yes", "no")
    assert (chosen == predictions["label"]).mean() > 0.95  # ties aside


def test_predict_ignores_other_columns_and_unseen_categories(fitted, capsys, tmp_path):
    """Extra columns, another column order and unseen categories are fine."""
    data, model = fitted
    table = pd.read_csv(data).drop(columns="label")
    table = table[["flag", "color", "x2", "x1", "id"]].assign(extra=1)
    table.loc[0, "color"] = "purple"
    code, out, err = run(capsys, "predict", model, write(tmp_path, table, "new.csv"))
    assert code == 0, err
    assert len(pd.read_csv(io.StringIO(out))) == len(table)


def test_predict_from_standard_input(fitted, capsys, monkeypatch):
    """DATA '-' reads the CSV from standard input."""
    data, model = fitted
    monkeypatch.setattr(sys, "stdin", io.StringIO(Path(data).read_text()))
    code, out, _ = run(capsys, "predict", model, "-")
    assert code == 0
    assert len(pd.read_csv(io.StringIO(out))) == 150


def test_predict_non_number_in_a_numeric_column(fitted, capsys, tmp_path):
    """Text in a column that held numbers in fit is an error naming it."""
    data, model = fitted
    table = pd.read_csv(data)
    table["x2"] = table["x2"].astype(object)
    table.loc[3, "x2"] = "unknown"
    code, _, err = run(capsys, "predict", model, write(tmp_path, table, "bad.csv"))
    assert code == 1
    assert (
        "Column 'x2' held numbers in fit but now holds values that are not "
        "numbers, e.g. 'unknown'." in err
    )


def test_predict_missing_feature_columns(fitted, capsys, tmp_path):
    """Data without some of the model's columns: an error naming them."""
    data, model = fitted
    table = pd.read_csv(data).drop(columns=["x1", "color"])
    path = write(tmp_path, table, "partial.csv")
    code, _, err = run(capsys, "predict", model, path)
    assert code == 1
    assert last_line(err) == (
        f"skdistill predict: error: {path} lacks 2 column(s) the model was fit on: "
        "'x1', 'color'"
    )


def test_predict_options_errors(fitted, capsys, tmp_path):
    """An unknown --id-column; --proba with a regression model."""
    data, model = fitted
    code, _, err = run(capsys, "predict", model, data, "--id-column", "key")
    assert code == 2
    assert last_line(err) == (
        f"skdistill predict: error: --id-column: no column 'key' in {data}"
    )
    regression_data = write(tmp_path, regression_table())
    regression_model = tmp_path / "r.skops"
    code, _, _ = run(
        capsys,
        *["fit", regression_data, "--target", "price", "--out", regression_model],
        *["--student", "linear", *FAST],
    )
    assert code == 0
    code, _, err = run(capsys, "predict", regression_model, regression_data, "--proba")
    assert code == 2
    assert last_line(err) == (
        f"skdistill predict: error: --proba needs a classification model; "
        f"{regression_model} is a regression model"
    )


def test_predict_output_exists_needs_force(fitted, capsys, tmp_path):
    """-o over an existing file is refused without --force, before any work."""
    data, model = fitted
    output = tmp_path / "predictions.csv"
    output.write_text("old\n")
    code, out, err = run(capsys, "predict", model, data, "-o", output)
    assert code == 2
    assert out == ""
    assert last_line(err) == (
        f"skdistill predict: error: {output} exists; pass --force to overwrite it"
    )
    assert output.read_text() == "old\n"
    code, _, err = run(capsys, "predict", model, data, "-o", output, "--force")
    assert code == 0, err
    assert len(pd.read_csv(output)) == 150


@pytest.mark.parametrize("role", ["DATA", "MODEL"])
def test_predict_never_overwrites_its_inputs(
    fitted, capsys, tmp_path, monkeypatch, role
):
    """-o naming DATA or MODEL (by any path) is refused even with --force.

    The check comes first: neither file is read.
    """
    data, model = fitted
    copies = {"DATA": tmp_path / "data.csv", "MODEL": tmp_path / "model.skops"}
    shutil.copyfile(data, copies["DATA"])
    shutil.copyfile(model, copies["MODEL"])
    before = copies[role].read_bytes()
    monkeypatch.setattr(
        "skdistill.cli._predict.read_table", lambda path: pytest.fail("DATA was read")
    )
    monkeypatch.setattr(
        "skdistill.cli._predict.load_bundle",
        lambda *args, **kwargs: pytest.fail("MODEL was read"),
    )
    (tmp_path / "sub").mkdir()
    output = tmp_path / "sub" / ".." / copies[role].name  # another spelling
    code, _, err = run(
        capsys,
        *["predict", copies["MODEL"], copies["DATA"], "-o", output, "--force"],
    )
    assert code == 2
    assert last_line(err) == (
        f"skdistill predict: error: --output: {output} is the same file as "
        f"{role} {copies[role]}; write to another file (--force never overwrites "
        "an input)"
    )
    assert copies[role].read_bytes() == before


def test_predict_id_column_suggests_a_close_name(fitted, capsys):
    """A wrong --id-column names the column it probably meant."""
    data, model = fitted
    code, _, err = run(capsys, "predict", model, data, "--id-column", "ID")
    assert code == 2
    assert last_line(err) == (
        f"skdistill predict: error: --id-column: no column 'ID' in {data}; "
        "did you mean 'id'?"
    )


class _ClosedPipe(io.StringIO):
    """Standard output whose reader went away: every write is a broken pipe."""

    def write(self, text):
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def test_broken_pipe_in_process(fitted, capsys, monkeypatch):
    """A broken pipe on standard output: exit code 141, nothing on stderr."""
    data, model = fitted
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    code = main(["predict", str(model), str(data)])
    monkeypatch.undo()
    assert code == 141
    assert capsys.readouterr().err == ""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_broken_pipe_ends_quietly(fitted, tmp_path):
    """``skdistill predict ... | head -1``: no traceback, exit code 141.

    The reader takes one line and closes the pipe while predict still
    writes (the predictions are far larger than a pipe's buffer).
    """
    data, model = fitted
    big = write(tmp_path, pd.concat([pd.read_csv(data)] * 60), "big.csv")
    process = subprocess.Popen(
        [sys.executable, "-m", "skdistill", "predict", model, big, "--proba"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(),
    )
    first = process.stdout.readline()
    process.stdout.close()  # as head -1 does
    err = process.stderr.read().decode()
    process.stderr.close()
    code = process.wait(timeout=300)
    assert first == b"label,proba_no,proba_yes\n"
    assert err == ""  # no traceback, no "Exception ignored"
    assert code == 141


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_predict_with_a_student_only_file(tmp_path, capsys, task):
    """A student-only file predicts exactly as the whole model does.

    Labels (or values) and probabilities: the same CSV, byte for byte.
    """
    table = classification_table() if task == "classification" else regression_table()
    target = "label" if task == "classification" else "price"
    data = write(tmp_path, table)
    full, alone = tmp_path / "full.skops", tmp_path / "alone.skops"
    for path, options in ((full, []), (alone, ["--student-only"])):
        code, _, err = run(
            capsys,
            *["fit", data, "--target", target, "--out", path, *options, *FAST],
        )
        assert code == 0, err
    options = [["--proba"], []] if task == "classification" else [[]]
    for extra in options:
        outputs = []
        for path in (full, alone):
            code, out, err = run(capsys, "predict", path, data, *extra)
            assert code == 0, err
            outputs.append(out)
        assert outputs[0] == outputs[1]
        predictions = pd.read_csv(io.StringIO(outputs[1]))
        assert len(predictions) == 150
        assert predictions.columns[0] == target
    if task == "classification":
        assert list(predictions.columns) == ["label"]
        assert set(predictions["label"]) == {"yes", "no"}
