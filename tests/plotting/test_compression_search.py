"""Tests of CompressionDisplay.from_search, drawn with the Agg backend."""

import re

import numpy as np
import pytest
from lightgbm import LGBMClassifier, LGBMRegressor
from plotting._data import legend_texts
from sklearn.datasets import load_breast_cancer, make_friedman1
from sklearn.exceptions import NotFittedError
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifierCV
from skdistill.compress import (
    BudgetError,
    CompressedClassifierCV,
    CompressedRegressorCV,
    pareto_front,
)
from skdistill.plotting import CompressionDisplay

plt = pytest.importorskip("matplotlib.pyplot")


def _trees(depths):
    return [DecisionTreeClassifier(max_depth=d, random_state=0) for d in depths]


def _classifier_search(**params):
    """A small search of four trees; ``params`` set its budget and options."""
    options = {
        "cv": 3,
        "onnx": False,
        "latency_repeats": 1,
        "patience": None,
        "random_state": 0,
    }
    return CompressedClassifierCV(
        LGBMClassifier(n_estimators=30, verbose=-1, n_jobs=1, random_state=0),
        _trees((1, 2, 3, 4)),
        **{**options, **params},
    )


@pytest.fixture(scope="module")
def cancer():
    """The breast-cancer table: X, y."""
    return load_breast_cancer(return_X_y=True)


@pytest.fixture(scope="module")
def search(cancer):
    """A classifier search with every kind of budget, all of them loose."""
    return _classifier_search(keep=0.9, max_size=50_000, max_latency=0.5).fit(*cancer)


@pytest.fixture(scope="module")
def failed_search(cancer):
    """A search whose budget no student meets, scored with balanced accuracy,
    and not timed (latency_repeats=0)."""
    failed = _classifier_search(
        min_score=2.0, scoring="balanced_accuracy", latency_repeats=0
    )
    with pytest.raises(BudgetError):
        failed.fit(*cancer)
    return failed


@pytest.fixture(scope="module")
def regressor_search():
    """A regressor search without any budget."""
    X, y = make_friedman1(n_samples=300, noise=0.5, random_state=0)
    return CompressedRegressorCV(
        LGBMRegressor(n_estimators=30, verbose=-1, n_jobs=1, random_state=0),
        [DecisionTreeRegressor(max_depth=d, random_state=0) for d in (1, 2, 3)],
        cv=3,
        onnx=False,
        latency_repeats=1,
        random_state=0,
    ).fit(X, y)


def _data(line):
    return (
        np.asarray(line.get_xdata(), dtype=float).tolist(),
        np.asarray(line.get_ydata(), dtype=float).tolist(),
    )


def _front(costs, scores):
    """The frontier's (costs, scores), computed from cv_results_ columns."""
    costs, scores = np.asarray(costs, dtype=float), np.asarray(scores, dtype=float)
    front = pareto_front(costs, scores)
    return costs[front].tolist(), scores[front].tolist()


def test_from_search_size_draws_both_frontiers(search):
    """The step lines are the two size frontiers of cv_results_; every student
    is a faint point; the teacher and the chosen student are labelled."""
    results = search.cv_results_
    display = CompressionDisplay.from_search(search)

    assert set(display.lines_) == {"distilled", "hard_label"}
    assert _data(display.lines_["distilled"]) == _front(
        results["size_bytes"], results["mean_test_score"]
    )
    assert _data(display.lines_["hard_label"]) == _front(
        results["hard_label_size_bytes"], results["mean_hard_label_score"]
    )
    for line in display.lines_.values():
        assert line.get_drawstyle() == "steps-post"
    assert _data(display.students_) == (
        results["size_bytes"].tolist(),
        results["mean_test_score"].tolist(),
    )

    chosen = results["student_name"][search.best_index_]
    assert list(display.points_) == ["teacher", chosen]
    assert _data(display.points_["teacher"]) == (
        [search.teacher_footprint_["size_bytes"]],
        [search.teacher_score_],
    )
    assert _data(display.points_[chosen]) == (
        [results["size_bytes"][search.best_index_]],
        [search.best_score_],
    )
    assert display.points_[chosen].get_marker() == "*"
    assert (
        display.points_[chosen].get_color() == display.lines_["distilled"].get_color()
    )
    assert display.points_["teacher"].get_marker() == "o"
    assert [a.get_text() for a in display.annotations_.values()] == [
        "teacher",
        chosen,
    ]
    assert display.ax_.get_xscale() == "log"
    assert display.ax_.get_xlabel() == "Serialized size (bytes)"
    assert display.ax_.get_ylabel() == "Accuracy"
    assert legend_texts(display.ax_) == [
        "students tried",
        "distilled frontier",
        "hard-label frontier",
        "teacher",
        f"chosen: {chosen}",
        f"budget: score ≥ {search.min_score_:.4g}",
        "budget: cost ≤ 50,000",
    ]


def test_from_search_budget_lines(search, failed_search, regressor_search):
    """A horizontal line at min_score_, a vertical one at the ceiling of the
    cost drawn; none for a budget not set."""
    display = CompressionDisplay.from_search(search, cost="size")
    assert list(display.budget_lines_) == ["min_score", "max_cost"]
    # keep=0.9 of the teacher's cross-validated accuracy
    floor = search.teacher_score_ - 0.1 * search.teacher_score_
    assert search.min_score_ == pytest.approx(floor, rel=1e-12)
    assert _data(display.budget_lines_["min_score"])[1] == [search.min_score_] * 2
    assert _data(display.budget_lines_["max_cost"])[0] == [50_000.0] * 2

    latency = CompressionDisplay.from_search(search, cost="latency")
    assert _data(latency.budget_lines_["max_cost"])[0] == [0.5e6] * 2  # µs
    assert legend_texts(latency.ax_)[-1] == "budget: cost ≤ 500,000"

    failed = CompressionDisplay.from_search(failed_search)
    assert list(failed.budget_lines_) == ["min_score"]
    assert _data(failed.budget_lines_["min_score"])[1] == [2.0, 2.0]

    assert CompressionDisplay.from_search(regressor_search).budget_lines_ == {}


def test_from_search_latency_in_microseconds(search):
    """cost="latency": one-row prediction times in µs on a log axis; the
    hard-label twins are placed at their students' times."""
    results = search.cv_results_
    times = results["predict_time_1row"] * 1e6
    display = CompressionDisplay.from_search(search, cost="latency")

    assert _data(display.lines_["distilled"]) == _front(
        times, results["mean_test_score"]
    )
    assert _data(display.lines_["hard_label"]) == _front(
        times, results["mean_hard_label_score"]
    )
    assert _data(display.students_)[0] == times.tolist()
    assert _data(display.points_["teacher"])[0] == [
        search.teacher_footprint_["predict_time_1row"] * 1e6
    ]
    chosen = results["student_name"][search.best_index_]
    assert _data(display.points_[chosen])[0] == [times[search.best_index_]]
    assert display.ax_.get_xscale() == "log"
    assert display.ax_.get_xlabel() == "Prediction time of one row, 1 thread (µs)"


def test_from_search_regressor(regressor_search):
    """A regressor's search plots its R² frontiers; no budget, no budget lines."""
    results = regressor_search.cv_results_
    display = CompressionDisplay.from_search(regressor_search)
    assert display.ax_.get_ylabel() == "R²"
    assert _data(display.lines_["distilled"]) == _front(
        results["size_bytes"], results["mean_test_score"]
    )
    assert _data(display.lines_["hard_label"]) == _front(
        results["hard_label_size_bytes"], results["mean_hard_label_score"]
    )
    chosen = results["student_name"][regressor_search.best_index_]
    assert list(display.points_) == ["teacher", chosen]
    assert legend_texts(display.ax_) == [
        "students tried",
        "distilled frontier",
        "hard-label frontier",
        "teacher",
        f"chosen: {chosen}",
    ]


def test_from_search_without_a_chosen_student(failed_search):
    """A search whose fit raised BudgetError is drawn without a chosen student,
    with its scorer's name on the y-axis."""
    display = CompressionDisplay.from_search(failed_search)
    assert list(display.points_) == ["teacher"]
    assert display.chosen is None
    assert display.ax_.get_ylabel() == "balanced_accuracy"
    results = failed_search.cv_results_
    assert _data(display.lines_["distilled"]) == _front(
        results["size_bytes"], results["mean_test_score"]
    )


def test_from_search_on_given_ax_with_name_and_style(search, regressor_search):
    """ax= is drawn on, name= prefixes the labels, annotate=False writes no
    names, kwargs style the labelled points, and plot() redraws the values."""
    fig, ax = plt.subplots()
    display = CompressionDisplay.from_search(
        search, ax=ax, name="cancer", annotate=False, markersize=11
    )
    assert display.ax_ is ax
    assert display.figure_ is fig
    assert display.annotations_ == {}
    assert len(ax.texts) == 0
    assert all(p.get_markersize() == 11 for p in display.points_.values())
    assert display.lines_["distilled"].get_label() == "cancer: distilled frontier"
    assert display.points_["teacher"].get_label() == "cancer: teacher"
    chosen = search.cv_results_["student_name"][search.best_index_]
    assert display.points_[chosen].get_label() == f"cancer: chosen: {chosen}"

    redrawn = display.plot()
    assert redrawn is display
    assert display.ax_ is not ax
    for key, line in display.lines_.items():
        assert line.axes is display.ax_
        assert _data(line) == _data(CompressionDisplay.from_search(search).lines_[key])
    # 3 + 1 per point; 2 budget lines
    assert len(display.ax_.get_lines()) == 3 + len(display.points_) + 2


def test_from_search_errors(cancer, search, failed_search):
    """A search that is not fitted, not a compression search, a bad cost and
    a latency that was never measured are explained."""
    unfitted = _classifier_search()
    message = (
        "This CompressedClassifierCV is not fitted yet: call fit before plotting "
        "its frontiers with CompressionDisplay.from_search."
    )
    with pytest.raises(NotFittedError, match=re.escape(message)):
        CompressionDisplay.from_search(unfitted)

    message = (
        "search must be a fitted CompressedClassifierCV or CompressedRegressorCV; "
        "got DistilledClassifierCV."
    )
    with pytest.raises(TypeError, match=re.escape(message)):
        CompressionDisplay.from_search(DistilledClassifierCV())
    tree = DecisionTreeClassifier(max_depth=1).fit(*cancer)
    with pytest.raises(TypeError, match=re.escape("got DecisionTreeClassifier.")):
        CompressionDisplay.from_search(tree)

    message = "cost must be 'size' or 'latency'; got 'size_bytes'."
    with pytest.raises(ValueError, match=re.escape(message)):
        CompressionDisplay.from_search(search, cost="size_bytes")

    message = (
        "cost='latency' needs the students' prediction times, but the search "
        "measured none (latency_repeats=0). Plot cost='size', or fit the search "
        "with latency_repeats=1 or more."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        CompressionDisplay.from_search(failed_search, cost="latency")


def test_constructor_frontiers_budget_and_chosen():
    """The constructor's frontiers, students, chosen model and budget are
    drawn as given, and checked when plotting."""
    display = CompressionDisplay(
        ["teacher", "tree"],
        [1e5, 2e3],
        [0.95, 0.93],
        students=([1e3, 2e3, 5e3], [0.9, 0.93, 0.92]),
        frontier=([1e3, 2e3], [0.9, 0.93]),
        hard_label_frontier=([1e3, 5e3], [0.89, 0.92]),
        chosen="tree",
        min_score=0.92,
        max_cost=3e3,
    ).plot()
    assert _data(display.lines_["hard_label"]) == ([1e3, 5e3], [0.89, 0.92])
    assert _data(display.students_) == ([1e3, 2e3, 5e3], [0.9, 0.93, 0.92])
    assert display.points_["tree"].get_marker() == "*"
    assert _data(display.budget_lines_["max_cost"])[0] == [3e3, 3e3]
    assert legend_texts(display.ax_)[-2:] == [
        "budget: score ≥ 0.92",
        "budget: cost ≤ 3,000",
    ]

    plain = CompressionDisplay(["teacher"], [1e5], [0.95]).plot()
    assert (plain.students_, plain.lines_, plain.budget_lines_) == (None, {}, {})
    assert plain.ax_.get_legend() is None

    cases = [
        (
            {"chosen": "forest"},
            "chosen='forest' must be one of the models, ['teacher'].",
        ),
        (
            {"frontier": ([1.0, 2.0], [0.5])},
            "frontier must be a pair (costs, scores) of 1-d arrays of one "
            "length; got shapes (2,) and (1,).",
        ),
        (
            {"students": ([1.0], [0.5], [0.1])},
            "students must be a pair (costs, scores) of arrays; got 3 arrays.",
        ),
        (
            {"hard_label_frontier": ([1.0, 2.0], [0.5, np.nan])},
            "hard_label_frontier holds values that are not finite (costs: "
            "[1.0, 2.0], scores: [0.5, nan]), so it cannot be drawn.",
        ),
        (
            {"max_cost": np.inf},
            "max_cost must be a finite number or None; got inf.",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValueError, match=re.escape(message)):
            CompressionDisplay(["teacher"], [1e5], [0.95], **kwargs).plot()
