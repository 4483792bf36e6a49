"""Tests of the skdistill command line, run in-process through ``main(argv)``."""

import functools
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from lightgbm import LGBMClassifier
from numpy.testing import assert_allclose
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdistill import DistilledClassifier
from skdistill.cli import main
from skdistill.cli._data import MAX_AUTO_CLASSES, detect_task
from skdistill.cli._persist import (
    is_trusted,
    load_bundle,
    make_bundle,
    save_bundle,
)
from skdistill.cli._preprocess import TableSchema

REPO = Path(__file__).resolve().parents[1]
# Small teachers, one thread, no progress lines: fast and deterministic.
FAST = ["--n-estimators", "10", "--n-jobs", "1", "-q"]


class Untrusted:
    """A type that no allow-list trusts, to put into a model file."""

    def __init__(self, note="hello"):
        self.note = note


@pytest.fixture(autouse=True)
def quick_latency(monkeypatch):
    """Time 100 rows once, not 1,000 rows five times: latencies are not tested."""
    import skdistill.metrics

    report = functools.partial(
        skdistill.metrics.distillation_report, n_repeats=1, latency_rows=100
    )
    monkeypatch.setattr(skdistill.metrics, "distillation_report", report)


def run(capsys, *argv):
    """``main(argv)``: its exit code, standard output and standard error."""
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def last_line(err):
    """The last line printed on standard error: the error message."""
    return err.strip().splitlines()[-1]


def classification_table(n=150, seed=0):
    """Numbers, strings, booleans, missing values and a text label."""
    rng = np.random.RandomState(seed)
    x1 = rng.normal(size=n)
    x2 = rng.uniform(size=n)
    color = rng.choice(["red", "green", "blue"], size=n)
    flag = rng.choice([True, False], size=n)
    score = x1 + 2 * (color == "red") - x2 + rng.normal(scale=0.5, size=n)
    table = pd.DataFrame(
        {
            "id": [f"row{i}" for i in range(n)],
            "x1": x1,
            "x2": x2,
            "color": color,
            "flag": flag,
            "label": np.where(score > 0.5, "yes", "no"),
        }
    )
    table.loc[rng.rand(n) < 0.1, "x1"] = np.nan
    table.loc[rng.rand(n) < 0.1, "color"] = np.nan
    return table


def multiclass_table(n=240, n_classes=8, seed=0):
    """A many-class text target that depends on a number and a category."""
    rng = np.random.RandomState(seed)
    x = rng.uniform(0, n_classes, size=n)
    shop = rng.choice(["a", "b"], size=n)
    label = np.floor(x).astype(int) % n_classes
    label = np.where(shop == "b", (label + 1) % n_classes, label)
    names = np.array([f"class_{chr(ord('A') + k)}" for k in range(n_classes)])
    return pd.DataFrame({"x": x, "shop": shop, "label": names[label]})


def regression_table(n=150, seed=0):
    """A continuous target from numbers and a category, no missing values."""
    rng = np.random.RandomState(seed)
    x1 = rng.normal(size=n)
    kind = rng.choice(["small", "large"], size=n)
    y = 3 * x1 + 2 * (kind == "large") + rng.normal(scale=0.3, size=n)
    return pd.DataFrame({"x1": x1, "kind": kind, "price": y})


def write(tmp_path, table, name="data.csv"):
    path = tmp_path / name
    table.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """A classification model fitted by ``skdistill fit``, and its data."""
    folder = tmp_path_factory.mktemp("fitted")
    data = write(folder, classification_table())
    model = folder / "model.skops"
    argv = ["fit", data, "--target", "label", "--drop", "id", "--out", model]
    assert main([str(arg) for arg in [*argv, *FAST]]) == 0
    return data, model


# -- help and usage -------------------------------------------------------------
def test_help_of_the_command_and_every_subcommand(capsys):
    """--help works everywhere and lists the subcommands."""
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("demo", "fit", "evaluate", "predict"):
        assert command in out
        code, out_command, _ = run(capsys, command, "--help")
        assert code == 0
        assert f"usage: skdistill {command}" in out_command


def test_version(capsys):
    """--version prints the package version."""
    from skdistill import __version__

    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"skdistill {__version__}"


def test_no_command_is_a_usage_error(capsys):
    """Without a subcommand: exit code 2 and argparse's message."""
    code, _, err = run(capsys)
    assert code == 2
    assert "the following arguments are required: COMMAND" in err


def test_out_is_required(capsys):
    """fit without --out is a usage error."""
    code, _, err = run(capsys, "fit", "data.csv", "--target", "y")
    assert code == 2
    assert "the following arguments are required: --out" in err


def test_python_dash_m_skdistill_runs():
    """``python -m skdistill --help`` runs as a separate process."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])}
    result = subprocess.run(
        [sys.executable, "-m", "skdistill", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: skdistill")


# -- fit, evaluate, predict -------------------------------------------------------
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


def test_evaluate_prints_the_report(fitted, capsys):
    """evaluate reads the target named in the model file by default."""
    data, model = fitted
    code, out, err = run(capsys, "evaluate", model, data, "-q")
    assert code == 0, err
    assert "Distillation report (classification, 150 rows)" in out
    code, out, _ = run(capsys, "evaluate", model, data, "--target", "label", "--json")
    assert code == 0
    assert json.loads(out)["n_samples"] == 150


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


def test_many_classes_round_trip(tmp_path, capsys):
    """A many-class target: logistic student, out-of-fold targets, 8 proba columns."""
    data = write(tmp_path, multiclass_table())
    model = tmp_path / "m.skops"
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", model, "--student", "logreg"],
        *["--cv", "3", "--temperature", "3", "--alpha", "0.3", *FAST],
    )
    assert code == 0, err
    code, out, _ = run(capsys, "predict", model, data, "--proba")
    assert code == 0
    predictions = pd.read_csv(io.StringIO(out))
    proba_columns = [f"proba_class_{chr(ord('A') + k)}" for k in range(8)]
    assert list(predictions.columns) == ["label", *proba_columns]
    assert_allclose(predictions[proba_columns].sum(axis=1), 1.0)
    settings = load_bundle(str(model))["settings"]
    assert settings["cv"] == 3
    assert settings["temperature"] == 3.0


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


# -- task detection and column types ---------------------------------------------
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


def test_table_schema_types():
    """Numbers as float64, the rest as categories; unseen categories missing."""
    raw = pd.DataFrame(
        {"n": ["1", "2.5", None], "c": ["x", None, "y"], "b": [True, False, True]}
    )
    schema = TableSchema().fit(raw)
    assert schema.numeric_columns_ == ["n"]
    assert schema.categories_ == {"c": ["x", "y"], "b": ["False", "True"]}
    typed = schema.transform(
        pd.DataFrame({"b": ["True"], "c": ["z"], "n": [3], "other": [0]})
    )
    assert list(typed.columns) == ["n", "c", "b"]
    assert typed["n"].dtype == np.float64
    assert typed["c"].isna().all()
    assert typed["b"].tolist() == ["True"]
    with pytest.raises(
        ValueError, match=re.escape("X lacks 1 column(s) seen in fit: b")
    ):
        schema.transform(raw[["n", "c"]])


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


# -- model files ------------------------------------------------------------------
def test_skops_round_trip_of_lightgbm_teacher_and_pipeline_student(tmp_path):
    """A DistilledClassifier with a LightGBM teacher round-trips, types trusted."""
    X, y = classification_table()[["x2"]].assign(z=np.arange(150.0)), np.arange(150) % 3
    model = DistilledClassifier(
        LGBMClassifier(n_estimators=5, n_jobs=1, verbose=-1),
        make_pipeline(StandardScaler(), LogisticRegression()),
        teacher_cv=2,
    ).fit(X, y)
    path = tmp_path / "m.skops"
    bundle = make_bundle(model, task="classification", target="y", features=["x2"])
    save_bundle(bundle, str(path))
    assert all(is_trusted(name) for name in sio.get_untrusted_types(file=path))
    loaded = load_bundle(str(path))["model"]
    assert_allclose(loaded.predict_proba(X), model.predict_proba(X))
    assert_allclose(loaded.teacher_.predict_proba(X), model.teacher_.predict_proba(X))


@pytest.mark.parametrize(
    "name, trusted",
    [
        ("lightgbm.basic.Booster", True),
        ("lightgbm.sklearn.LGBMClassifier", True),
        ("skdistill._classifier.DistilledClassifier", True),
        ("skdistill.cli._preprocess.TableSchema", True),
        ("sklearn.tree._tree.Tree", True),
        ("sklearn.datasets.fetch_openml", False),  # a function, not a class
        ("sklearn.no_such_module.Estimator", False),
        ("builtins.eval", False),
        ("posix.system", False),
        ("collections.Counter", False),
    ],
)
def test_is_trusted(name, trusted):
    """Only our estimator classes and a few listed types are trusted."""
    assert is_trusted(name) is trusted


def test_untrusted_types_are_refused_unless_opted_in(fitted, capsys, tmp_path):
    """A file holding a foreign type is refused with the list of types."""
    data, model = fitted
    bundle = load_bundle(str(model))
    bundle["settings"]["note"] = Untrusted()
    path = tmp_path / "untrusted.skops"
    sio.dump(bundle, path)
    type_name = f"{Untrusted.__module__}.Untrusted"

    code, out, err = run(capsys, "predict", path, data)
    assert code == 1
    assert out == ""
    assert last_line(err) == (
        f"skdistill predict: error: {path} holds types that skdistill does not "
        f"trust: {type_name}. Loading them could run code from the file. Pass "
        f"--trust-untrusted-types only if you trust the source of {path}."
    )
    code, _, err = run(capsys, "evaluate", path, data)
    assert code == 1
    assert type_name in err

    code, out, _ = run(capsys, "predict", path, data, "--trust-untrusted-types")
    assert code == 0
    assert len(pd.read_csv(io.StringIO(out))) == 150


@pytest.mark.parametrize("content", [b"a,b\n1,2\n", b"", b"PK\x03\x04garbage"])
def test_a_file_that_is_not_a_skops_file(tmp_path, capsys, content):
    """A CSV, an empty file or a broken zip is not a model file."""
    path = tmp_path / "model.skops"
    path.write_bytes(content)
    code, _, err = run(capsys, "predict", path, path)
    assert code == 1
    assert err.startswith(
        f"skdistill predict: error: {path} is not a model file of skdistill (a "
        "skops file written by 'skdistill fit')"
    )


def test_a_skops_file_that_is_not_a_model_file(tmp_path, capsys):
    """A skops file of something else than a model bundle is refused."""
    path = tmp_path / "other.skops"
    sio.dump({"hello": [1, 2]}, path)
    code, _, err = run(capsys, "evaluate", path, path)
    assert code == 1
    assert last_line(err) == (
        f"skdistill evaluate: error: {path} is not a model file of skdistill (a "
        "skops file written by 'skdistill fit')"
    )


def test_model_files_are_zip_files(fitted):
    """Model files are skops zips: a schema and no pickle."""
    _, model = fitted
    with zipfile.ZipFile(model) as archive:
        names = archive.namelist()
    assert "schema.json" in names
    assert not any(name.endswith(".pkl") for name in names)


def test_refuses_to_overwrite_without_force(fitted, capsys):
    """An existing --out file is kept unless --force."""
    data, model = fitted
    before = model.read_bytes()
    code, _, err = run(capsys, "fit", data, "--target", "label", "--out", model)
    assert code == 2
    assert last_line(err) == (
        f"skdistill fit: error: {model} exists; pass --force to overwrite it"
    )
    assert model.read_bytes() == before


# -- errors -----------------------------------------------------------------------
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


def test_verbose_shows_the_traceback(tmp_path, capsys):
    """--verbose adds the traceback to the message."""
    missing = tmp_path / "nope.csv"
    code, _, err = run(
        capsys, "fit", missing, "--target", "y", "--out", tmp_path / "m", "-v"
    )
    assert code == 1
    assert "Traceback" in err
    assert err.endswith(f"skdistill fit: error: no such file: {missing}\n")


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


@pytest.mark.parametrize(
    "option, message",
    [
        (["--alpha", "2"], "argument --alpha: must be between 0 and 1, got 2"),
        (["--temperature", "0"], "argument --temperature: must be greater than 0"),
        (["--cv", "1"], "argument --cv: must be 'none' or at least 2 folds, got 1"),
        (["--cv", "many"], "argument --cv: must be 'none' or an integer, got 'many'"),
        (["--test-size", "1"], "argument --test-size: must be strictly between 0"),
        (["--n-jobs", "0"], "argument --n-jobs: must not be 0"),
        (["--augment", "smote"], "argument --augment: invalid choice: 'smote'"),
    ],
)
def test_bad_option_values(tmp_path, capsys, option, message):
    """Option values are checked by argparse: exit code 2."""
    code, _, err = run(
        capsys, "fit", "data.csv", "--target", "y", "--out", tmp_path / "m", *option
    )
    assert code == 2
    assert message in err


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


def test_evaluate_unknown_labels_and_missing_target(fitted, capsys, tmp_path):
    """Labels the model never saw, and a missing target column."""
    data, model = fitted
    table = pd.read_csv(data)
    table.loc[:2, "label"] = "maybe"
    path = write(tmp_path, table, "new.csv")
    code, _, err = run(capsys, "evaluate", model, path)
    assert code == 1
    assert last_line(err) == (
        f"skdistill evaluate: error: {path} hold labels the model was not trained "
        "on: 'maybe' (its classes: 'no', 'yes')"
    )
    code, _, err = run(capsys, "evaluate", model, data, "--target", "outcome")
    assert code == 2
    assert f"no column 'outcome' in {data}" in err


def test_unexpected_errors_have_a_hint(fitted, capsys, monkeypatch):
    """An unexpected exception: its type and message, and a hint, exit code 1."""
    data, model = fitted

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("skdistill.cli._predict.read_table", boom)
    code, _, err = run(capsys, "predict", model, data)
    assert code == 1
    assert err == (
        "skdistill predict: error: RuntimeError: boom (run with --verbose for the "
        "traceback)\n"
    )


# -- demo -------------------------------------------------------------------------
def test_demo_small_teacher_with_plots(tmp_path, capsys):
    """The demo with a small teacher: a report per student, and the plots."""
    plots = tmp_path / "plots"
    code, out, err = run(
        capsys,
        *["demo", "--n-estimators", "10", "--cv", "none", "--n-jobs", "1"],
        *["--plots", plots],
    )
    assert code == 0, err
    assert out.count("Distillation report (classification, 114 rows)") == 2
    assert "== student: logreg (logistic regression) ==" in out
    assert "== student: tree (decision tree, depth 6) ==" in out
    assert "dataset: breast cancer, shipped with scikit-learn" in err
    assert "demo done in" in err
    assert sorted(p.name for p in plots.iterdir()) == [
        "compression.png",
        "reliability_logreg.png",
        "reliability_tree.png",
    ]


def test_demo_json_on_another_dataset(capsys):
    """--json prints one report per student; --dataset picks the data."""
    code, out, _ = run(
        capsys,
        *["demo", "--dataset", "iris", "--students", "lgbm-small", "--json"],
        *["--cv", "none", *FAST],
    )
    assert code == 0
    reports = json.loads(out)
    assert [report["student"] for report in reports] == ["lgbm-small"]
    assert reports[0]["n_samples"] == 30


def test_demo_plots_without_matplotlib(tmp_path, capsys, monkeypatch):
    """Without matplotlib, --plots tells what to install."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, _, err = run(
        capsys,
        *["demo", "--students", "tree", "--cv", "none", *FAST],
        *["--plots", tmp_path / "plots"],
    )
    assert code == 1
    assert last_line(err) == (
        "skdistill demo: error: saving plots needs matplotlib: "
        'pip install "skdistill[plots]"'
    )


def test_demo_unknown_student(capsys):
    """The demo checks student names before any work."""
    code, _, err = run(capsys, "demo", "--students", "tree", "ridge")
    assert code == 2
    assert "the student 'ridge' is for regression" in err
