"""``skdistill evaluate``: the report of a saved model on labelled rows."""

import json
import sys

import numpy as np
import pandas as pd
import pytest
from cli._helpers import (
    FAST,
    classification_table,
    last_line,
    regression_table,
    run,
    write,
)
from numpy.testing import assert_array_equal

from skdistill.cli._evaluate import STUDENT_ONLY_NOTE
from skdistill.cli._persist import load_bundle


def test_evaluate_prints_the_report(fitted, capsys):
    """evaluate reads the target named in the model file by default."""
    data, model = fitted
    code, out, err = run(capsys, "evaluate", model, data, "-q")
    assert code == 0, err
    assert "Distillation report (classification, 150 rows)" in out
    code, out, _ = run(capsys, "evaluate", model, data, "--target", "label", "--json")
    assert code == 0
    assert json.loads(out)["n_samples"] == 150


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


def _split_files(tmp_path, table, n_train=120):
    """The first ``n_train`` rows in train.csv, the others in held_out.csv."""
    train = write(tmp_path, table.iloc[:n_train], "train.csv")
    held_out = write(tmp_path, table.iloc[n_train:], "held_out.csv")
    return train, held_out


def _fit_on(capsys, data, model, *options):
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "label", "--drop", "id", "--out", model],
        *[*options, *FAST],
    )
    assert code == 0, err


WARNING_ADVICE = (
    ": scores on training rows overstate the model's quality. Evaluate it on rows "
    "held out from the fit; 'skdistill fit' does not save its --test-size split, "
    "so keep a held-out file yourself (split the data in two files and fit on one "
    "of them only)."
)


def test_evaluate_warns_on_training_rows(tmp_path, capsys):
    """Rows the model was trained on: a warning naming the share, even with -q.

    Fit with --test-size 0 on train.csv: every row of train.csv is a training
    row; the rows of a file holding train.csv and held_out.csv are 120 of
    180 training rows; held_out.csv has none, and gets no warning.
    """
    table = classification_table(n=180)
    train, held_out = _split_files(tmp_path, table)
    both = write(tmp_path, table, "both.csv")
    model = tmp_path / "m.skops"
    _fit_on(capsys, train, model, "--test-size", "0")

    code, out, err = run(capsys, "evaluate", model, train, "-q")
    assert code == 0, err
    assert err == (
        f"skdistill evaluate: warning: 120 of the 120 rows of {train} (100%) are "
        f"rows the model was trained on{WARNING_ADVICE}\n"
    )
    assert "Distillation report (classification, 120 rows)" in out

    code, _, err = run(capsys, "evaluate", model, both, "-q")
    assert code == 0
    assert err == (
        f"skdistill evaluate: warning: 120 of the 180 rows of {both} (67%) are "
        f"rows the model was trained on{WARNING_ADVICE}\n"
    )

    code, out, err = run(capsys, "evaluate", model, held_out, "-q", "--json")
    assert code == 0
    assert err == ""
    assert json.loads(out)["n_samples"] == 60


def test_evaluate_on_the_file_fit_split(fitted, capsys):
    """The file fit split (120 training rows of 150): 80% are training rows."""
    data, model = fitted
    code, _, err = run(capsys, "evaluate", model, data, "-q")
    assert code == 0
    assert err == (
        f"skdistill evaluate: warning: 120 of the 150 rows of {data} (80%) are "
        f"rows the model was trained on{WARNING_ADVICE}\n"
    )


def test_no_warning_below_half(tmp_path, capsys):
    """Fewer than half of the rows are training rows: no warning."""
    table = classification_table(n=300)
    train, _ = _split_files(tmp_path, table, n_train=100)
    mixed = write(
        tmp_path, pd.concat([table.iloc[:90], table.iloc[100:]]), "mixed.csv"
    )  # 90 training rows of 290
    model = tmp_path / "m.skops"
    _fit_on(capsys, train, model, "--test-size", "0")
    code, _, err = run(capsys, "evaluate", model, mixed, "-q")
    assert code == 0
    assert err == ""


def test_the_warning_estimates_from_a_sample(tmp_path, capsys, monkeypatch):
    """More training rows than the fingerprint keeps: the share is estimated."""
    monkeypatch.setattr("skdistill.cli._persist.MAX_FINGERPRINT_ROWS", 40)
    table = classification_table(n=180)
    train, _ = _split_files(tmp_path, table)
    model = tmp_path / "m.skops"
    _fit_on(capsys, train, model, "--test-size", "0")
    assert len(load_bundle(str(model))["training_rows"]["hashes"]) == 40
    code, _, err = run(capsys, "evaluate", model, train, "-q")
    assert code == 0
    assert err == (
        f"skdistill evaluate: warning: about 100% of the 120 rows of {train} are "
        "rows the model was trained on (estimated from 40 of its 120 training "
        f"rows){WARNING_ADVICE}\n"
    )


def test_the_same_rows_read_differently_have_the_same_hashes():
    """Text, numbers, booleans, categories: hashed as text, missing kept missing."""
    from skdistill.cli._persist import row_hashes

    table = classification_table(n=20)[["x1", "color", "flag"]]
    as_text = table.astype(str).where(table.notna(), np.nan)
    typed = table.assign(color=table["color"].astype("category"))
    assert_array_equal(row_hashes(as_text), row_hashes(table))
    assert_array_equal(row_hashes(typed), row_hashes(table))
    assert_array_equal(row_hashes(table.astype(object)), row_hashes(table))
    reordered = row_hashes(table[["color", "x1", "flag"]])
    assert not np.isin(reordered, row_hashes(table)).any()
    assert np.unique(row_hashes(table)).size == 20


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_evaluate_a_student_only_file(tmp_path, capsys, task):
    """A student-only file: the student's own scores, and a note that it is alone.

    The scores are those of the full model's distilled student on the same rows.
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
    code, out, err = run(capsys, "evaluate", full, data, "--json", "-q")
    assert code == 0
    distilled = json.loads(out)["models"]["distilled"]

    code, out, err = run(capsys, "evaluate", alone, data)
    assert code == 0
    lines = out.splitlines()
    assert lines[:3] == [
        f"Student report ({task}, 150 rows)",
        STUDENT_ONLY_NOTE.format(model=alone),
        "",
    ]
    assert "teacher" not in "\n".join(lines[3:])
    assert "fidelity" not in "\n".join(lines[3:])
    assert f"measuring the student on {data} (150 rows)" in err
    keys = ["accuracy", "log_loss"] if task == "classification" else ["rmse", "r2"]
    names = {"accuracy": "accuracy", "log_loss": "log-loss", "rmse": "RMSE", "r2": "R²"}
    for line, key in zip(lines[3:], keys, strict=True):
        assert line.split() == [names[key], f"{distilled[key]:.4f}"]

    code, out, _ = run(capsys, "evaluate", alone, data, "--json", "-q")
    assert code == 0
    report = json.loads(out)
    assert report["contents"] == "student"
    assert report["n_samples"] == 150
    assert list(report["models"]) == ["student"]
    for key in keys:
        assert report["models"]["student"][key] == pytest.approx(distilled[key])


def test_evaluate_a_student_only_file_on_unknown_labels(tmp_path, capsys):
    """The student's classes are checked as the distiller's are."""
    data = write(tmp_path, classification_table())
    model = tmp_path / "alone.skops"
    _fit_on(capsys, data, model, "--student-only")
    table = pd.read_csv(data)
    table.loc[:2, "label"] = "maybe"
    path = write(tmp_path, table, "new.csv")
    code, _, err = run(capsys, "evaluate", model, path)
    assert code == 1
    assert last_line(err) == (
        f"skdistill evaluate: error: {path} hold labels the model was not trained "
        "on: 'maybe' (its classes: 'no', 'yes')"
    )


def test_evaluate_onnx_figures(fitted, capsys):
    """--onnx adds the ONNX size and latency of the teacher and the student."""
    data, model = fitted
    code, out, err = run(capsys, "evaluate", model, data, "--onnx", "--json", "-q")
    assert code == 0, err
    models = json.loads(out)["models"]
    for name in ("teacher", "distilled"):
        assert models[name]["onnx_size_bytes"] > 1000
        assert models[name]["onnx_latency_us_1row"] > 0
    assert models["baseline"]["onnx_size_bytes"] is None  # not exported
    code, out, _ = run(capsys, "evaluate", model, data, "-q", "--json")
    assert "onnx_size_bytes" not in json.loads(out)["models"]["teacher"]


def test_evaluate_onnx_refusals(fitted, capsys, tmp_path, monkeypatch):
    """--onnx on a student-only file, and without onnxruntime: clear errors."""
    data, model = fitted
    alone = tmp_path / "alone.skops"
    _fit_on(capsys, data, alone, "--student-only")
    code, _, err = run(capsys, "evaluate", alone, data, "--onnx")
    assert code == 2
    assert last_line(err) == (
        f"skdistill evaluate: error: --onnx compares the teacher and the student "
        f"exported to ONNX, but {alone} holds the student alone; 'skdistill export "
        f"{alone} --format onnx --out FILE' writes its ONNX file"
    )
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    code, _, err = run(capsys, "evaluate", model, data, "--onnx", "-q")
    assert code == 1
    assert last_line(err).startswith(
        "skdistill evaluate: error: --onnx: distillation_report(onnx=True) exports "
        "the models to ONNX"
    )
    assert 'pip install "skdistill[export]"' in last_line(err)
