"""``skdistill evaluate``: the report of a saved model on labelled rows."""

import json

import pandas as pd
from cli._helpers import last_line, run, write


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
