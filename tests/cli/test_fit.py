"""``skdistill fit``: distil on a table, report, save; its options and checks."""

import errno
import io
import json
import sys

import numpy as np
import pandas as pd
import pytest
from cli._helpers import (
    FAST,
    classification_table,
    last_line,
    multiclass_table,
    regression_table,
    run,
    write,
)
from numpy.testing import assert_allclose

from skdistill.cli import main
from skdistill.cli._persist import load_bundle


def test_fit_prints_the_report_and_saves_a_model(fitted):
    """The fitted model file holds the model, baseline, task, target, features."""
    data, model = fitted
    bundle = load_bundle(str(model))
    assert bundle["task"] == "classification"
    assert bundle["target"] == "label"
    assert bundle["features"] == ["x1", "x2", "color", "flag"]
    assert bundle["settings"]["student"] == "tree"
    assert list(bundle["model"][-1].classes_) == ["no", "yes"]
    table = pd.read_csv(data, dtype=str)
    proba = bundle["model"].predict_proba(table)
    assert_allclose(proba.sum(axis=1), 1.0)


def test_fit_output(tmp_path, capsys):
    """The report goes to stdout; progress lines and notes to stderr."""
    table = classification_table()
    table.loc[:4, "label"] = np.nan
    data = write(tmp_path, table)
    out_path = tmp_path / "model.skops"
    code, out, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", out_path],
        *["--n-estimators", "10", "--n-jobs", "1", "--student", "logreg"],
    )
    assert code == 0, err
    assert "Distillation report (classification, 29 rows)" in out  # 20% of 145
    for line in ("teacher", "baseline", "distilled", "fidelity", "serialized size"):
        assert line in out
    assert "left out 5 rows whose target is missing" in err
    assert "target 'label': classification, 2 classes" in err
    assert "features: 2 numeric, 3 categorical" in err  # id is a category
    assert "distilling the teacher (LightGBM, 10 trees) into the student" in err
    assert f"saved the model to {out_path}" in err
    assert "Distillation report" not in err


def test_fit_json_report(tmp_path, capsys):
    """--json prints the report as one JSON object, NaN as null."""
    data = write(tmp_path, classification_table())
    code, out, _ = run(
        capsys,
        *["fit", data, "--target", "label", "--out", tmp_path / "m.skops", "--json"],
        *FAST,
    )
    assert code == 0
    report = json.loads(out)
    assert report["student"] == "tree"
    assert set(report["models"]) == {"teacher", "baseline", "distilled"}
    assert 0 <= report["models"]["distilled"]["accuracy"] <= 1


def test_many_classes_round_trip(tmp_path, capsys):
    """A many-class target: logistic student, out-of-fold targets, 8 proba columns."""
    data = write(tmp_path, multiclass_table())
    model = tmp_path / "m.skops"
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", model, "--student", "logreg"],
        *["--teacher-cv", "3", "--temperature", "3", "--alpha", "0.3", *FAST],
    )
    assert code == 0, err
    code, out, _ = run(capsys, "predict", model, data, "--proba")
    assert code == 0
    predictions = pd.read_csv(io.StringIO(out))
    proba_columns = [f"proba_class_{chr(ord('A') + k)}" for k in range(8)]
    assert list(predictions.columns) == ["label", *proba_columns]
    assert_allclose(predictions[proba_columns].sum(axis=1), 1.0)
    bundle = load_bundle(str(model))
    assert bundle["settings"]["teacher_cv"] == 3
    assert bundle["settings"]["temperature"] == 3.0
    assert bundle["model"][-1].teacher_cv == 3


def test_small_lightgbm_student_random_forest_teacher(tmp_path, capsys):
    """The small LightGBM student, the random-forest teacher, synthetic rows."""
    data = write(tmp_path, classification_table())
    model = tmp_path / "m.skops"
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", model, "--student"],
        *["lgbm-small", "--teacher", "random-forest", "--augment", "perturb", *FAST],
    )
    assert code == 0, err
    code, out, _ = run(capsys, "evaluate", model, data, "-q")
    assert code == 0
    assert "Distillation report" in out


@pytest.mark.parametrize("student", ["ridge", "lgbm-small"])
def test_regression_round_trip(tmp_path, capsys, student):
    """A float target is a regression; a linear and a LightGBM student round-trip."""
    data = write(tmp_path, regression_table())
    model = tmp_path / "m.skops"
    code, out, err = run(
        capsys,
        *["fit", data, "--target", "price", "--out", model, "--student", student],
        *FAST,
    )
    assert code == 0, err
    assert "Distillation report (regression" in out
    assert load_bundle(str(model))["task"] == "regression"
    code, out, _ = run(capsys, "predict", model, data)
    assert code == 0
    predictions = pd.read_csv(io.StringIO(out))
    assert list(predictions.columns) == ["price"]
    assert predictions["price"].dtype == np.float64
    code, out, _ = run(capsys, "evaluate", model, data, "-q")
    assert code == 0
    assert "RMSE" in out


def test_regression_with_missing_values(tmp_path, capsys):
    """Missing numbers and categories in a regression table."""
    table = regression_table()
    table.loc[::7, "x1"] = np.nan
    table.loc[::5, "kind"] = np.nan
    data = write(tmp_path, table)
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "price", "--out", tmp_path / "m.skops"],
        *["--student", "ridge", *FAST],
    )
    assert code == 0, err


def test_task_override_and_bool_target(tmp_path, capsys):
    """A boolean target is a classification; --task regression on it is refused."""
    table = classification_table()
    table["label"] = table["label"] == "yes"
    data = write(tmp_path, table)
    model = tmp_path / "m.skops"
    code, _, err = run(capsys, "fit", data, "--target", "label", "--out", model, *FAST)
    assert code == 0, err
    assert list(load_bundle(str(model))["model"][-1].classes_) == ["False", "True"]
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", model, "--force"],
        *["--task", "regression", *FAST],
    )
    assert code == 2
    assert (
        "the target 'label' holds values that are not numbers (e.g. 'True'), so it "
        "cannot be a regression target; use --task classification" in err
    )


@pytest.mark.parametrize(
    "option, message",
    [
        (
            ["--student", "svm"],
            "unknown student 'svm'; valid students: tree, logreg, ridge, linear, "
            "lgbm-small",
        ),
        (
            ["--teacher", "xgboost"],
            "unknown teacher 'xgboost'; valid teachers: lgbm, random-forest",
        ),
        (
            ["--student", "ridge"],
            "the student 'ridge' is for regression, but the task is classification; "
            "valid students for classification: tree, logreg, lgbm-small",
        ),
    ],
)
def test_unknown_or_unsuitable_names(tmp_path, capsys, option, message):
    """Names are checked, with the list of valid ones."""
    data = write(tmp_path, classification_table())
    code, _, err = run(
        capsys, "fit", data, "--target", "label", "--out", tmp_path / "m", *option
    )
    assert code == 2
    assert last_line(err) == f"skdistill fit: error: {message}"


def test_logreg_student_on_a_regression(tmp_path, capsys):
    """A classification-only student on a regression target."""
    data = write(tmp_path, regression_table())
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "price", "--out", tmp_path / "m"],
        *["--student", "logreg"],
    )
    assert code == 2
    assert last_line(err) == (
        "skdistill fit: error: the student 'logreg' is for classification, but the "
        "task is regression; valid students for regression: tree, ridge, linear, "
        "lgbm-small"
    )


def test_temperature_on_a_regression(tmp_path, capsys):
    """--temperature is a classification option."""
    data = write(tmp_path, regression_table())
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "price", "--out", tmp_path / "m"],
        *["--temperature", "3"],
    )
    assert code == 2
    assert "--temperature applies to classification only" in err


def test_target_with_one_class(tmp_path, capsys):
    """A classification target needs two classes."""
    table = classification_table().assign(label="yes")
    code, _, err = run(
        capsys,
        *["fit", write(tmp_path, table), "--target", "label"],
        *["--out", tmp_path / "m.skops"],
    )
    assert code == 1
    assert last_line(err) == (
        "skdistill fit: error: the target 'label' has a single class ('yes'); "
        "classification needs at least two"
    )


def test_class_with_a_single_row(tmp_path, capsys):
    """The stratified hold-out split needs two rows per class."""
    table = classification_table()
    table.loc[0, "label"] = "maybe"
    code, _, err = run(
        capsys,
        *["fit", write(tmp_path, table), "--target", "label"],
        *["--out", tmp_path / "m.skops"],
    )
    assert code == 1
    assert "1 class(es) of the target have a single row ('maybe')" in err


def test_drop_unknown_column(tmp_path, capsys):
    """--drop names a feature column."""
    data = write(tmp_path, classification_table())
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", tmp_path / "m"],
        *["--drop", "nope"],
    )
    assert code == 2
    assert last_line(err) == (
        f"skdistill fit: error: --drop: no column 'nope' among the features of {data}"
    )


def test_columns_of_another_type(tmp_path, capsys, monkeypatch):
    """A column of dates (as a Parquet file may hold): an error naming it."""
    table = classification_table().assign(
        when=pd.date_range("2024-01-01", periods=150, freq="D").astype("datetime64[ns]")
    )
    monkeypatch.setattr("skdistill.cli._fit.read_table", lambda path: table)
    code, _, err = run(
        capsys, "fit", "data.parquet", "--target", "label", "--out", tmp_path / "m"
    )
    assert code == 1
    assert last_line(err) == (
        "skdistill fit: error: cannot use the feature columns of data.parquet "
        "(--drop leaves a column out): X has 1 column(s) of a type that is neither "
        "numbers, text, booleans nor categories: 'when' (datetime64[ns]). Convert "
        "them (a date to numbers such as its year or day of the week, for example) "
        "or drop them."
    )
    assert not (tmp_path / "m").exists()


def test_more_teacher_folds_than_rows(tmp_path, capsys):
    """--teacher-cv with more folds than training rows: a usage error naming it."""
    data = write(tmp_path, classification_table())
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", tmp_path / "m.skops"],
        *["--teacher-cv", "200", *FAST],
    )
    assert code == 2
    assert last_line(err) == (
        "skdistill fit: error: --teacher-cv 200: more folds than the 120 training "
        "rows; use fewer folds, or 'none'"
    )


class _ClosedPipe(io.StringIO):
    """Standard output whose reader went away: every write is a broken pipe."""

    def write(self, text):
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def test_a_closed_pipe_loses_no_model(tmp_path, capsys, monkeypatch):
    """``skdistill fit ... | head -1``: the model is saved, exit code 141."""
    data = write(tmp_path, classification_table())
    model = tmp_path / "m.skops"
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    code = main(
        [str(arg) for arg in ["fit", data, "--target", "label", "--out", model, *FAST]]
    )
    monkeypatch.undo()
    assert code == 141
    assert capsys.readouterr().err == ""
    assert load_bundle(str(model))["target"] == "label"
