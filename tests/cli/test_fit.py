"""``skdistill fit``: distil on a table, report, save; its options and checks."""

import errno
import io
import json
import re
import subprocess
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
    subprocess_env,
    write,
)
from numpy.testing import assert_allclose, assert_array_equal

from skdistill.cli import main
from skdistill.cli._fit import NO_REPORT
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


def _fit(capsys, data, model, *options, target="label"):
    """``skdistill fit`` with the fast settings: exit code, stdout, stderr."""
    return run(capsys, "fit", data, "--target", target, "--out", model, *options, *FAST)


def test_refit_all_saves_the_model_of_all_rows(tmp_path, capsys):
    """--refit-all: the held-out report, then the model refit on all rows is saved.

    The saved model is the one --test-size 0 saves (same settings, same rows),
    and differs from the one fit on the training split; the JSON report and
    the model file say which rows it was trained on.
    """
    data = write(tmp_path, classification_table())
    code, out, err = run(
        capsys,
        *["fit", data, "--target", "label", "--drop", "id", "--json"],
        *["--out", tmp_path / "refit.skops", "--refit-all"],
        *["--n-estimators", "10", "--n-jobs", "1"],
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["n_samples"] == 30  # the held-out rows
    assert report["saved_model"] == {
        "trained_on": "all rows",
        "n_rows": 150,
        "contents": "distiller",
    }
    assert (
        "--refit-all: the report measures the model fit on the 120 training rows; "
        "the saved model is fit again on all 150 rows" in err
    )
    assert err.count("distilling the teacher") == 2
    assert re.search(
        rf"saved the model to {re.escape(str(tmp_path / 'refit.skops'))} "
        r"\(\d+ KiB; trained on all 150 rows\)",
        err,
    )

    code, _, err = _fit(
        capsys, data, tmp_path / "all.skops", "--drop", "id", "--test-size", "0"
    )
    assert code == 0, err
    code, _, err = _fit(capsys, data, tmp_path / "split.skops", "--drop", "id")
    assert code == 0, err
    refit, everything, split = (
        load_bundle(str(tmp_path / f"{name}.skops"))
        for name in ("refit", "all", "split")
    )
    assert refit["settings"]["refit_all"] is True
    assert refit["settings"]["trained_on"] == "all rows"
    assert refit["training_rows"]["n_rows"] == 150
    assert everything["settings"]["refit_all"] is False
    assert everything["settings"]["trained_on"] == "all rows"
    assert split["settings"]["trained_on"] == "training split"
    assert split["training_rows"]["n_rows"] == 120
    table = pd.read_csv(data, dtype=str)
    assert_allclose(
        refit["model"].predict_proba(table), everything["model"].predict_proba(table)
    )
    assert not np.allclose(
        refit["model"].predict_proba(table), split["model"].predict_proba(table)
    )
    assert refit["model"][-1].teacher_.n_estimators == 10  # the same settings
    assert refit["baseline"] is not None


def test_test_size_zero_trains_on_all_rows_without_a_report(tmp_path, capsys):
    """--test-size 0: no report, a note saying so and suggesting --refit-all."""
    data = write(tmp_path, classification_table())
    model = tmp_path / "m.skops"
    code, out, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", model, "--test-size", "0"],
        *["--n-estimators", "10", "--n-jobs", "1"],
    )
    assert code == 0, err
    assert out == (
        "No report: --test-size 0 holds no rows out, so the model is trained on "
        "all 150 rows and no rows are left to measure it on. For a report on "
        "held-out rows and a model trained on all rows, use --refit-all with a "
        "--test-size above 0 (such as 0.2).\n"
    )
    assert "all 150 rows for training, none held out (--test-size 0)" in err
    assert "measuring the models" not in err
    bundle = load_bundle(str(model))
    assert bundle["settings"]["test_size"] == 0
    assert bundle["training_rows"]["n_rows"] == 150
    assert bundle["baseline"] is not None  # for the report of evaluate

    code, out, err = _fit(capsys, data, model, "--test-size", "0", "--json", "--force")
    assert code == 0, err
    report = json.loads(out)
    assert report == {
        "student": "tree",
        "saved_model": {
            "trained_on": "all rows",
            "n_rows": 150,
            "contents": "distiller",
        },
        "report": None,
        "note": NO_REPORT.format(n_rows=150),
    }
    assert report["note"].startswith("No report: --test-size 0 holds no rows out")


def test_refit_all_with_test_size_zero_is_a_usage_error(tmp_path, capsys, monkeypatch):
    """--refit-all --test-size 0 contradict each other: refused before any work."""
    monkeypatch.setattr(
        "skdistill.cli._fit.read_table", lambda path: pytest.fail("DATA was read")
    )
    code, out, err = run(
        capsys,
        *["fit", "data.csv", "--target", "label", "--out", tmp_path / "m.skops"],
        *["--test-size", "0", "--refit-all"],
    )
    assert code == 2
    assert out == ""
    assert last_line(err) == (
        "skdistill fit: error: --refit-all refits on all rows after the report on "
        "held-out rows, but --test-size 0 holds no rows out (and already trains on "
        "all rows): drop --refit-all, or give --test-size a share such as 0.2"
    )
    assert not (tmp_path / "m.skops").exists()


def test_the_model_file_records_its_training_rows(tmp_path, capsys):
    """The fingerprint: hashes of the training rows' features, read as evaluate does."""
    from skdistill.cli._data import read_table
    from skdistill.cli._persist import FINGERPRINT_METHOD, row_hashes

    data = write(tmp_path, classification_table())
    model = tmp_path / "m.skops"
    code, _, err = _fit(capsys, data, model, "--drop", "id")
    assert code == 0, err
    fingerprint = load_bundle(str(model))["training_rows"]
    assert fingerprint["method"] == FINGERPRINT_METHOD
    assert fingerprint["n_rows"] == 120
    assert fingerprint["hashes"].dtype == np.uint64
    features = read_table(str(data))[["x1", "x2", "color", "flag"]]
    hashes = set(row_hashes(features).tolist())
    assert len(hashes) == 150
    assert set(fingerprint["hashes"].tolist()) <= hashes


@pytest.mark.parametrize("student", ["tree", "logreg", "lgbm-small"])
def test_student_only_file(tmp_path, capsys, student):
    """--student-only: schema, encoding and student; no teacher, no baseline.

    Its predictions are the full model's, label for label and probability
    for probability.
    """
    import skops.io as sio

    data = write(tmp_path, classification_table())
    full, alone = tmp_path / "full.skops", tmp_path / "alone.skops"
    for path, options in ((full, []), (alone, ["--student-only"])):
        code, _, err = _fit(capsys, data, path, "--student", student, *options)
        assert code == 0, err
    full_bundle, bundle = load_bundle(str(full)), load_bundle(str(alone))
    assert full_bundle["contents"] == "distiller"
    assert bundle["contents"] == "student"
    assert bundle["baseline"] is None
    steps = [type(step).__name__ for _, step in bundle["model"].steps]
    assert steps[0] == "TableSchema"
    assert "DistilledClassifier" not in steps
    types = sio.get_untrusted_types(file=alone)
    assert "skdistill.DistilledClassifier" not in types
    assert not any(name.startswith("lightgbm") for name in types) or (
        student == "lgbm-small"
    )
    table = pd.read_csv(data, dtype=str)
    assert_array_equal(
        bundle["model"].predict(table), full_bundle["model"].predict(table)
    )
    assert_array_equal(
        bundle["model"].predict_proba(table), full_bundle["model"].predict_proba(table)
    )
    assert alone.stat().st_size < full.stat().st_size


def test_student_only_file_is_much_smaller(tmp_path, capsys):
    """The demo's data and default teacher (LightGBM, 300 trees): a far smaller file.

    Measured: 289,331 bytes for the whole model, 11,406 for the tree student
    alone (a ratio of 25.4); asserted with a wide margin (10).
    """
    from sklearn.datasets import load_breast_cancer

    data = tmp_path / "cancer.csv"
    load_breast_cancer(as_frame=True).frame.to_csv(data, index=False)
    sizes = {}
    for name, options in (("full", []), ("alone", ["--student-only"])):
        path = tmp_path / f"{name}.skops"
        code, _, err = run(
            capsys,
            *["fit", data, "--target", "target", "--out", path, "-q"],
            *["--n-jobs", "1", *options],
        )
        assert code == 0, err
        sizes[name] = path.stat().st_size
    assert sizes["full"] / sizes["alone"] > 10, sizes


def test_a_column_without_values_is_warned_about_once(tmp_path):
    """scikit-learn warns at every transform of an empty column: fit says it once.

    In a subprocess: pytest records warnings instead of printing them.
    """
    data = write(tmp_path, classification_table().assign(empty=np.nan))
    argv = ["fit", data, "--target", "label", "--out", tmp_path / "m.skops"]
    argv += ["--student", "logreg", "--teacher-cv", "3", *FAST]
    done = subprocess.run(
        [sys.executable, "-m", "skdistill", *map(str, argv)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("Skipping features without any observed values") == 1
