"""``skdistill predict``: a saved model's predictions as CSV."""

import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from cli._helpers import FAST, last_line, regression_table, run, write
from numpy.testing import assert_allclose


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
