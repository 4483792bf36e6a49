"""``skdistill demo``: the main job on a dataset shipped with scikit-learn."""

import json
import sys

import pytest
from cli._helpers import FAST, last_line, run


@pytest.mark.slow
def test_demo_small_teacher_with_plots(tmp_path, capsys):
    """The demo with a small teacher: a report per student, and the plots."""
    plots = tmp_path / "plots"
    code, out, err = run(
        capsys,
        *["demo", "--n-estimators", "10", "--teacher-cv", "none", "--n-jobs", "1"],
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
        *["--teacher-cv", "none", *FAST],
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
        *["demo", "--students", "tree", "--teacher-cv", "none", *FAST],
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
